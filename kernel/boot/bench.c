/* SPDX-License-Identifier: MIT */
/* boot_run() for the benchmark image. Run under QEMU with
 * -icount shift=0,align=off,sleep=off, where the PMU cycle counter advances
 * exactly once per guest instruction and the generic timer once per 16, so
 * every figure is an instruction count, identical from run to run. Prints one
 * "BENCH <name> <value> <unit>" line per figure (docs/benchmarks.md). */
#include <stdint.h>

#include "arch.h"
#include "boot/boot.h"
#include "core/irq.h"
#include "core/panic.h"
#include "core/printf.h"

/* The arch's measurements (arch/<arch>/bench.c), in instructions: an
 * exception taken and returned from in the kernel, and a software interrupt
 * from its unmasking to the return from its handler. */
uint64_t arch_bench_exception_roundtrip(void);
uint64_t arch_bench_irq_roundtrip(unsigned sgi);

#define BENCH_SGI 5
#define NS_PER_S 1000000000ull

static void report(const char *name, uint64_t value, const char *unit)
{
    kprintf("BENCH %s %lu %s\n", name, (unsigned long)value, unit);
}

_Noreturn void boot_run(const struct platform *plat)
{
    /* Under -icount shift=0 one instruction is one nanosecond of guest time. */
    uint64_t freq = arch_counter_frequency();
    report("boot_to_banner", boot_banner_counter * (NS_PER_S / freq), "instructions");
    report("exception_roundtrip_el1", arch_bench_exception_roundtrip(), "instructions");
    uint64_t before = irq_sgi_count(BENCH_SGI);
    report("irq_roundtrip_sgi", arch_bench_irq_roundtrip(BENCH_SGI), "instructions");
    if (irq_sgi_count(BENCH_SGI) != before + 1)
        panic("bench: SGI was not taken exactly once");

    /* The user-level figures come from the root task (userland/bench). */
    boot_start_root_task(plat, 0, 0);
}
