/* SPDX-License-Identifier: MIT */
/* AArch64 boot self-tests (test image only): the kernel's own mappings obey
 * W^X, the direct map covers RAM without aliasing the kernel image, and the
 * lower half is closed until a user address space is installed. */
#include <stdbool.h>
#include <stdint.h>

#include "arch.h"
#include "boot/boot.h"
#include "boot/ktest.h"
#include "memlayout.h"
#include "mmu.h"
#include "boot/platform.h"
#include "core/irq.h"
#include "dt_drivers.h"

extern char _start[], __text_end[], __rodata_end[], __bss_start[], _end[];
static uint64_t some_data = 1;

static bool check_flags(const char *what, uint64_t va, unsigned want)
{
    unsigned got = mmu_kernel_mapping(va);
    if (got != want)
        ktest_diag("%s 0x%lx: mapping flags 0x%x, expected 0x%x", what, (unsigned long)va, got,
                   want);
    return got == want;
}

static bool test_kernel_sections(void)
{
    bool ok = check_flags("text", (uint64_t)(uintptr_t)_start, MMU_MAP_PRESENT | MMU_MAP_EXEC);
    ok &= check_flags("text end", (uint64_t)(uintptr_t)__text_end - 8,
                      MMU_MAP_PRESENT | MMU_MAP_EXEC);
    ok &= check_flags("rodata", (uint64_t)(uintptr_t)__text_end, MMU_MAP_PRESENT);
    ok &= check_flags("data", (uint64_t)(uintptr_t)&some_data, MMU_MAP_PRESENT | MMU_MAP_WRITE);
    ok &= check_flags("bss end", (uint64_t)(uintptr_t)_end - 8, MMU_MAP_PRESENT | MMU_MAP_WRITE);
    return ok;
}

/* Every RAM page outside the image is reachable, writable and non-executable
 * through the direct map; the image itself has no alias there. */
static bool test_direct_map(void)
{
    const struct platform *p = kernel_platform();
    uint64_t image_pa = arch_virt_to_phys(_start);
    uint64_t image_end = image_pa + (uint64_t)(_end - _start);
    bool ok = true;
    for (unsigned i = 0; i < p->ram_count; i++) {
        uint64_t first = p->ram[i].base, last = p->ram[i].base + p->ram[i].size - PAGE_SIZE;
        uint64_t probes[2] = {first, last};
        for (unsigned j = 0; j < 2; j++) {
            uint64_t pa = probes[j];
            if (pa >= image_pa && pa < image_end)
                continue;
            ok &= check_flags("direct map", PHYSMAP_BASE + pa, MMU_MAP_PRESENT | MMU_MAP_WRITE);
            volatile uint64_t *w = (volatile uint64_t *)(uintptr_t)(PHYSMAP_BASE + pa);
            uint64_t saved = *w;
            *w = 0x5445535345524121ull;
            ok &= *w == 0x5445535345524121ull;
            *w = saved;
        }
    }
    ok &= check_flags("image alias", PHYSMAP_BASE + image_pa, 0);
    ok &= check_flags("image alias end", PHYSMAP_BASE + image_end - PAGE_SIZE, 0);
    return ok;
}

static bool test_lower_half_closed(void)
{
    uint64_t image_pa = arch_virt_to_phys(_start);
    bool ok = check_flags("null", 0, 0);
    ok &= check_flags("identity map of head.S", image_pa, 0);
    return ok;
}

static bool test_devices_mapped(void)
{
    /* The console and GIC live in the device window as Device memory, and
     * nothing in the window is executable. */
    bool ok = check_flags("device window", DEVICE_WINDOW_BASE,
                          MMU_MAP_PRESENT | MMU_MAP_WRITE | MMU_MAP_DEVICE);
    return ok;
}

/* The GIC and PSCI as the expect.gic / expect.psci bootargs say, and the
 * timer on a PPI. */
static bool test_platform_expectations(void)
{
    const struct platform *p = kernel_platform();
    uint64_t gic = p->irqchip.driver == DT_DRIVER_GICV2   ? 2
                   : p->irqchip.driver == DT_DRIVER_GICV3 ? 3
                                                           : 0;
    uint64_t psci = p->power.driver == DT_DRIVER_PSCI ? p->power.word[PSCI_CONDUIT] : 0;
    uint32_t timer = p->timer.word[TIMER_VIRT_INTID];
    bool ok = boot_expect("expect.gic", gic);
    ok &= boot_expect("expect.psci", psci);
    ok &= timer >= 16 && timer < 32;
    return ok;
}

static bool test_svc_round_trip(void)
{
    /* Every general register must survive an EL1 exception untouched. */
    uint64_t before = irq_kernel_svc_count();
    register uint64_t x9 __asm__("x9") = 0x9999;
    register uint64_t x19 __asm__("x19") = 0x1919;
    register uint64_t x28 __asm__("x28") = 0x2828;
    __asm__ volatile("svc #42" : "+r"(x9), "+r"(x19), "+r"(x28)::"memory");
    KTEST_CHECK(x9 == 0x9999 && x19 == 0x1919 && x28 == 0x2828);
    KTEST_CHECK(irq_kernel_svc_count() == before + 1);
    return true;
}

/* A destroyed address space never stays installed: releasing the table
 * TTBR0 names installs the empty one; releasing another changes nothing. */
static bool test_vspace_release(void)
{
    static uint64_t fake[512] __attribute__((aligned(4096)));
    uint64_t table = arch_virt_to_phys(fake), empty = arch_vspace_token(0, 0);
    uint64_t ttbr;
    arch_vspace_install(arch_vspace_token(table, 5));
    arch_vspace_release(table + 4096); /* not the installed one */
    __asm__ volatile("mrs %0, ttbr0_el1" : "=r"(ttbr));
    KTEST_CHECK(ttbr == arch_vspace_token(table, 5));
    arch_vspace_release(table);
    __asm__ volatile("mrs %0, ttbr0_el1" : "=r"(ttbr));
    KTEST_CHECK(ttbr == empty);
    return true;
}

void arch_selftests(void)
{
    ktest_result(test_platform_expectations(), "ARCH0001",
                 "GIC version and PSCI conduit match the expect.* bootargs; timer on a PPI");
    ktest_result(test_svc_round_trip(), "EXC0001", "EL1 svc round trip preserves registers");
    ktest_result(test_kernel_sections(), "MMU0001",
                 "kernel text RX, rodata R, data RW: no section both writable and executable");
    ktest_result(test_direct_map(), "MMU0002",
                 "direct map reaches all RAM read-write, no alias of the kernel image");
    ktest_result(test_lower_half_closed(), "MMU0003", "lower half empty after boot: no identity map left");
    ktest_result(test_devices_mapped(), "MMU0004", "devices mapped as Device memory, not executable");
    ktest_result(test_vspace_release(), "MMU0005",
                 "a released address space is not left in TTBR0: the empty table is installed");
}
