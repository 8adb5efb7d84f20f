/* SPDX-License-Identifier: MIT */
/* FP/SIMD benchmarks: what a thread switch costs when threads use FP/SIMD
 * (the kernel switches those registers lazily, arch/aarch64/fpu.c), beside
 * thread_switch (main.c), where neither does. docs/benchmarks.md explains
 * the figures. */
#include <stdint.h>

#include <tessera/bootinfo.h>

#include "bench.h"
#include "tsr/invoke.h"
#include "tsr/runtime.h"

#define FP_ROUNDS 64
#define FP_WARMUP 8
#define FP_STACKS 0x38000000ull /* clear of main.c's, payload.c's and flood.c's */

static volatile int partner_ready;

/* One FP instruction: a thread's first after it was switched to traps,
 * unless it still has the registers enabled. */
static inline void fp_touch(void)
{
    __asm__ volatile("fadd d0, d0, d1" ::: "v0");
}

static void partner(uint64_t uses_fp)
{
    partner_ready = 1;
    for (;;) {
        if (uses_fp)
            fp_touch();
        tsr_yield();
    }
}

/* Yield to an equal-priority partner that yields back, touching FP before
 * each Yield (the partner too if partner_fp): per switch, the touch
 * included. */
static int switch_figure(const struct tsr_bootinfo *bi, const char *name, uint64_t partner_fp,
                         uint64_t stack_va)
{
    struct tsr_thread t;
    partner_ready = 0;
    if (tsr_thread_create(&t, TSR_INIT_CNODE, TSR_INIT_VSPACE, stack_va, bi->root_priority,
                          partner, partner_fp) ||
        tsr_thread_start(&t))
        return 1;
    while (!partner_ready)
        tsr_yield();
    for (unsigned i = 0; i < FP_WARMUP; i++) {
        fp_touch();
        tsr_yield();
    }
    uint64_t t0 = cycles();
    for (unsigned i = 0; i < FP_ROUNDS; i++) {
        fp_touch();
        tsr_yield();
    }
    uint64_t t1 = cycles();
    bench_report(name, (t1 - t0 - bench_overhead) / (2 * FP_ROUNDS), "instructions");
    return tsr_tcb_suspend(t.tcb) != TSR_OK;
}

int bench_fpu(const struct tsr_bootinfo *bi)
{
    /* Both threads use FP: every switch stores one thread's registers and
     * loads the other's, on the first FP instruction after it. */
    return switch_figure(bi, "fp_thread_switch", 1, FP_STACKS) ||
           /* Only this one does: it keeps the registers, and only turns
            * FP/SIMD back on after each switch back to it. */
           switch_figure(bi, "fp_thread_switch_one_user", 0, FP_STACKS + 0x10000);
}
