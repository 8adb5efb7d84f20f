/* SPDX-License-Identifier: MIT */
/* kernel_main: the first C code at the kernel's link address. It reads the
 * device tree, brings up the machine through the arch interface, prints the
 * banner, and hands over to whatever this build runs: the system, the boot
 * self-tests, or the benchmarks. */
#include <stdint.h>

#include "arch.h"
#include "boot/boot.h"
#include "core/panic.h"
#include "boot/platform.h"
#include "core/printf.h"

#ifndef TESSERA_VERSION
#define TESSERA_VERSION "0.0.0"
#endif

static struct platform platform;
uint64_t boot_banner_counter; /* generic-timer count when the banner starts */
uint64_t boot_dtb_pa, boot_image_pa;
unsigned boot_entry_el;        /* exception level the boot loader entered us at */

static void print_platform(const struct platform *p)
{
    for (unsigned i = 0; i < p->ram_count; i++)
        kprintf("  RAM      0x%016lx-0x%016lx (%lu MiB)\n", (unsigned long)p->ram[i].base,
                (unsigned long)(p->ram[i].base + p->ram[i].size - 1),
                (unsigned long)(p->ram[i].size >> 20));
    for (unsigned i = 0; i < p->reserved_count; i++)
        kprintf("  reserved 0x%016lx-0x%016lx\n", (unsigned long)p->reserved[i].base,
                (unsigned long)(p->reserved[i].base + p->reserved[i].size - 1));
    arch_describe_platform(p);
    if (p->bootargs[0])
        kprintf("  bootargs \"%s\"\n", p->bootargs);
}

/* Nothing can print. Say so the only ways left (docs/boot.md, "Stopping"):
 * a test build's semihosting status, else PSCI SYSTEM_OFF if the tree gave
 * PSCI (the emulator exits rather than hangs), else halt. */
static _Noreturn void stop_without_console(void)
{
#ifdef TESSERA_SEMIHOSTING
    arch_exit(KERNEL_EXIT_NO_CONSOLE);
#else
    arch_power_off();
#endif
}

const struct platform *kernel_platform(void)
{
    return &platform;
}

void kernel_main(uint64_t dtb_pa, unsigned entry_el, uint64_t image_pa)
{
    size_t dtb_size;
    boot_entry_el = entry_el;
    boot_dtb_pa = dtb_pa;
    boot_image_pa = image_pa;
    const void *dtb = arch_boot_dtb(dtb_pa, &dtb_size);
    /* Without a device tree there is no console to complain on: stop. */
    if (!dtb)
        stop_without_console();
    int err = platform_probe(dtb, dtb_size, &platform);
    /* Whatever else is missing, a console lets the banner and the panic
     * below say what; without one (none found, or it could not be mapped)
     * there is nothing to print on. arch_init has set up PSCI by then. */
    int arch_err = arch_init(&platform, image_pa);
    if (arch_err == -2)
        stop_without_console();

    boot_banner_counter = arch_counter();
    kprintf("Tessera %s on %s (%s, entered at EL%u, running at EL1)\n", TESSERA_VERSION,
            platform.model[0] ? platform.model : "unknown board", arch_name(), entry_el);
    if (err)
        panic("device tree: %s", platform_strerror(err));
    if (arch_err)
        panic("platform bring-up failed (%d)", arch_err);
    print_platform(&platform);
    arch_start_secondary_cpus(&platform);

    boot_run(&platform);
}
