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

#define BENCH_SGI 5
#define NS_PER_S 1000000000ull

static void report(const char *name, uint64_t value, const char *unit)
{
    kprintf("BENCH %s %lu %s\n", name, (unsigned long)value, unit);
}

/* Instructions from one read of the cycle counter to the next with `body`
 * in between, minus the same with nothing in between. */
#define MEASURE(body)                                                                              \
    ({                                                                                             \
        uint64_t a_, b_;                                                                           \
        __asm__ volatile("isb\n mrs %0, pmccntr_el0\n" body "\n mrs %1, pmccntr_el0"               \
                         : "=&r"(a_), "=r"(b_)::"memory");                                         \
        b_ - a_;                                                                                   \
    })

_Noreturn void boot_run(const struct platform *plat)
{
    /* Under -icount shift=0 one instruction is one nanosecond of guest time. */
    uint64_t freq = arch_counter_frequency();
    report("boot_to_banner", boot_banner_counter * (NS_PER_S / freq), "instructions");

    uint64_t empty = MEASURE("");
    uint64_t svc = MEASURE("svc #0");
    report("exception_roundtrip_el1", svc - empty, "instructions");

    /* An interrupt: raise an SGI with IRQs masked (cost of raising it), then
     * unmask and measure from the unmask to the return from the handler. */
    arch_irq_enable_line(BENCH_SGI);
    arch_irq_raise_sgi(BENCH_SGI);
    uint64_t before = irq_sgi_count(BENCH_SGI);
    uint64_t irq = MEASURE("msr daifclr, #2\n isb\n msr daifset, #2");
    uint64_t unmask = MEASURE("msr daifclr, #2\n isb\n msr daifset, #2");
    if (irq_sgi_count(BENCH_SGI) != before + 1)
        panic("bench: SGI was not taken exactly once");
    report("irq_roundtrip_sgi", irq - unmask, "instructions");

    /* The user-level figures come from the root task (userland/bench). */
    boot_start_root_task(plat, 0, 0);
}
