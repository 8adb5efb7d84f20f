/* SPDX-License-Identifier: MIT */
/* Secondary CPUs: every CPU the device tree lists besides the boot one is
 * started (PSCI CPU_ON, or a spin table: the entry point written to its
 * release address, cleaned to memory, then sev), runs its own early set-up
 * (EL2 -> EL1, MMU with the kernel's tables, vectors, its generic timer
 * quiet) in head.S and secondary_main, reports on the console and parks in
 * wfe with interrupts masked. The kernel keeps running threads on the boot
 * CPU (docs/boot.md, "Secondary CPUs"). One CPU is started at a time: the
 * boot CPU waits for each to report, so their lines never interleave. */
#include <stdbool.h>
#include <stdint.h>

#include "arch.h"
#include "boot/platform.h"
#include "core/printf.h"
#include "dt_drivers.h"
#include "smp.h"
#include "sysreg.h"
#include "timer.h"

#define SECONDARY_STACK_SIZE 0x1000
#define MPIDR_AFF_MASK 0xff00ffffffull /* Aff3, Aff2, Aff1, Aff0 (D19.2.x, MPIDR_EL1) */
#define BRINGUP_TIMEOUT_MS 1000

extern char secondary_entry[];

/* Stacks outside the zeroed .bss (nothing needs them zero, and zeroing is
 * most of the work before the banner): kernel.ld places .bss.noinit after
 * __bss_end, inside the image's size. */
static uint8_t secondary_stacks[PLATFORM_MAX_CPUS][SECONDARY_STACK_SIZE]
    __attribute__((section(".bss.noinit"), aligned(16)));

/* The hand-over to the CPU being started (head.S reads the stack): written
 * by the boot CPU before it starts one, read by that CPU with its MMU on. */
uint64_t secondary_boot_stack;
static volatile unsigned secondary_index;
static volatile uint32_t secondary_reported; /* index + 1 once it parked */

static uint64_t this_mpidr(void)
{
    return sysreg_read(mpidr_el1) & MPIDR_AFF_MASK;
}

/* The secondary's own C entry (head.S), on its stack, at EL1 with the MMU
 * on and interrupts masked. `entry_el` is the level it was started at. */
_Noreturn void secondary_main(uint64_t entry_el);
_Noreturn void secondary_main(uint64_t entry_el)
{
    unsigned index = secondary_index;
    timer_init_cpu();
    kprintf("cpu%u: MPIDR 0x%lx up (entered at EL%lu, running at EL1, MMU on), parked\n", index,
            (unsigned long)this_mpidr(), (unsigned long)entry_el);
    __atomic_store_n(&secondary_reported, index + 1, __ATOMIC_RELEASE);
    __asm__ volatile("dsb sy\n sev" ::: "memory");
    for (;;)
        __asm__ volatile("wfe" ::: "memory");
}

/* A spin-table CPU waits at its release address with its MMU and caches
 * off (Linux Documentation/arch/arm64/booting.rst, "spin-table"): write the
 * entry there, clean it to memory, wake it. */
static bool release_spin_table(const struct platform *plat, uint64_t release_pa,
                               uint64_t entry_pa)
{
    if (release_pa & 7)
        return false;
    /* Usually in RAM (the Pi's 0xd8-0xf0), so in the direct map; else map it. */
    volatile uint64_t *slot = NULL;
    for (unsigned r = 0; r < plat->ram_count && !slot; r++)
        if (release_pa >= plat->ram[r].base && release_pa - plat->ram[r].base < plat->ram[r].size)
            slot = arch_phys_to_virt(release_pa);
    if (!slot)
        slot = arch_map_device(release_pa, 8);
    if (!slot)
        return false;
    *slot = entry_pa;
    arch_clean_invalidate((const void *)slot, 8);
    __asm__ volatile("dsb sy\n sev" ::: "memory");
    return true;
}

static bool wait_for(unsigned index)
{
    uint64_t freq = arch_counter_frequency(), start = arch_counter();
    while (__atomic_load_n(&secondary_reported, __ATOMIC_ACQUIRE) != index + 1)
        if (arch_counter() - start > freq / 1000 * BRINGUP_TIMEOUT_MS)
            return false;
    return true;
}

void arch_start_secondary_cpus(const struct platform *plat)
{
    uint64_t me = this_mpidr();
    uint64_t entry_pa = arch_virt_to_phys(secondary_entry);
    for (unsigned i = 0; i < plat->cpu_count; i++) {
        const struct platform_cpu *cpu = &plat->cpu[i];
        if ((cpu->mpidr & MPIDR_AFF_MASK) == me)
            continue; /* the boot CPU */
        secondary_index = i;
        secondary_boot_stack = (uint64_t)(uintptr_t)&secondary_stacks[i][SECONDARY_STACK_SIZE];
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        bool started = false;
        const char *how = "no enable-method";
        if (cpu->enable_method == PLATFORM_CPU_PSCI) {
            how = "PSCI CPU_ON";
            int64_t r = psci_cpu_on(cpu->mpidr, entry_pa);
            started = r == 0;
            if (!started)
                kprintf("cpu%u: PSCI CPU_ON failed (%ld)\n", i, (long)r);
        } else if (cpu->enable_method == PLATFORM_CPU_SPIN_TABLE) {
            how = "spin table";
            started = release_spin_table(plat, cpu->release_addr, entry_pa);
        }
        if (!started) {
            kprintf("cpu%u: MPIDR 0x%lx not started (%s)\n", i, (unsigned long)cpu->mpidr, how);
            continue;
        }
        if (!wait_for(i))
            kprintf("cpu%u: MPIDR 0x%lx did not report within %u ms (%s)\n", i,
                    (unsigned long)cpu->mpidr, BRINGUP_TIMEOUT_MS, how);
    }
}
