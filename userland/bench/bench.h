/* SPDX-License-Identifier: MIT */
/* What the benchmark files share: the instruction counter, reporting, and
 * the median of many runs of one operation. Under QEMU's -icount shift=0 the
 * PMU cycle counter counts guest instructions, so every figure is exact and
 * the same in every run. */
#ifndef BENCH_BENCH_H
#define BENCH_BENCH_H

#include <stdint.h>

#include <tessera/bootinfo.h>

static inline uint64_t cycles(void)
{
    uint64_t v;
    __asm__ volatile("isb\n mrs %0, pmccntr_el0" : "=r"(v)::"memory");
    return v;
}

/* The cost of the two counter reads around an empty body. */
extern uint64_t bench_overhead;

/* "BENCH name value unit" for the harness (tests/qemu/bench.sh). */
void bench_report(const char *name, uint64_t value, const char *unit);

/* Median of samples[0..n) (values up to BENCH_MAX_SAMPLE: larger ones count
 * as BENCH_MAX_SAMPLE). */
#define BENCH_MAX_SAMPLE 65535u
uint64_t bench_median(const uint32_t *samples, unsigned n);

/* Run `stmt` warmup times, then n times, each timed on its own, and leave the
 * median (counter overhead taken off) in `result`. */
#define BENCH_SAMPLES 10000u
extern uint32_t bench_samples[BENCH_SAMPLES];
#define BENCH_MEDIAN(result, warmup, n, stmt)                                                      \
    do {                                                                                           \
        for (unsigned w_ = 0; w_ < (warmup); w_++) {                                               \
            stmt;                                                                                  \
        }                                                                                          \
        for (unsigned i_ = 0; i_ < (n); i_++) {                                                    \
            uint64_t a_ = cycles();                                                                \
            stmt;                                                                                  \
            uint64_t b_ = cycles();                                                                \
            uint64_t d_ = b_ - a_ - bench_overhead;                                                \
            bench_samples[i_] = d_ > BENCH_MAX_SAMPLE ? BENCH_MAX_SAMPLE : (uint32_t)d_;           \
        }                                                                                          \
        (result) = bench_median(bench_samples, (n));                                               \
    } while (0)

/* The IPC paths between two address spaces (ipc.c). Returns nonzero on
 * failure. */
int bench_ipc(const struct tsr_bootinfo *bi);
/* Payloads of 8 B to 1 MiB on each path (payload.c). */
int bench_payload(const struct tsr_bootinfo *bi);
/* A caller's latency while eight others flood its server (flood.c). */
int bench_flood(const struct tsr_bootinfo *bi);
/* Thread switches between threads that use FP/SIMD (fpu.c). */
int bench_fpu(const struct tsr_bootinfo *bi);

#endif
