/* SPDX-License-Identifier: MIT */
/* The kernel benchmarks that are instruction sequences (benchmark image
 * only; kernel/boot/bench.c reports them). Under QEMU's -icount shift=0 the
 * PMU cycle counter (PMCCNTR_EL0) advances once per instruction. */
#include <stdint.h>

#include "arch.h"

/* Instructions from one read of the cycle counter to the next with `body`
 * in between, minus the same with nothing in between. */
#define MEASURE(body)                                                                              \
    ({                                                                                             \
        uint64_t a_, b_;                                                                           \
        __asm__ volatile("isb\n mrs %0, pmccntr_el0\n" body "\n mrs %1, pmccntr_el0"               \
                         : "=&r"(a_), "=r"(b_)::"memory");                                         \
        b_ - a_;                                                                                   \
    })

uint64_t arch_bench_exception_roundtrip(void);
uint64_t arch_bench_irq_roundtrip(unsigned sgi);

uint64_t arch_bench_exception_roundtrip(void)
{
    uint64_t empty = MEASURE("");
    uint64_t svc = MEASURE("svc #0");
    return svc - empty;
}

uint64_t arch_bench_irq_roundtrip(unsigned sgi)
{
    /* Raise the SGI with IRQs masked (that cost is not counted), then
     * measure from the unmask to the return from the handler, minus an
     * unmask with nothing pending. */
    arch_irq_enable_line(sgi);
    arch_irq_raise_sgi(sgi);
    uint64_t irq = MEASURE("msr daifclr, #2\n isb\n msr daifset, #2");
    uint64_t unmask = MEASURE("msr daifclr, #2\n isb\n msr daifset, #2");
    return irq - unmask;
}
