/* SPDX-License-Identifier: MIT */
/* User-level benchmarks (root task of Image-bench). Under QEMU's -icount
 * shift=0 the PMU cycle counter counts guest instructions exactly, so each
 * figure is instructions per operation, the same in every run. The kernel
 * lets EL0 read the counter in benchmark builds only. */
#include <stdint.h>

#include <tessera/bootinfo.h>

#include "tsr/invoke.h"
#include "tsr/runtime.h"
#include "tsr/stdio.h"
#include "tsr/vm.h"

#define ROUNDS 64

static inline uint64_t cycles(void)
{
    uint64_t v;
    __asm__ volatile("isb\n mrs %0, pmccntr_el0" : "=r"(v)::"memory");
    return v;
}

static void report(const char *name, uint64_t total, uint64_t ops, uint64_t overhead)
{
    printf("BENCH %s %lu instructions\n", name, (unsigned long)((total - overhead) / ops));
}

static volatile int partner_ready;

static void yield_partner(uint64_t unused)
{
    (void)unused;
    partner_ready = 1;
    for (;;)
        tsr_yield();
}

int main(const struct tsr_bootinfo *bi)
{
    tsr_alloc_init(bi);
    const unsigned d = TSR_ROOT_DEPTH;

    /* The cost of reading the counter twice, taken off every figure. */
    uint64_t t0 = cycles(), t1 = cycles();
    uint64_t overhead = t1 - t0;

    t0 = cycles();
    for (unsigned i = 0; i < ROUNDS; i++)
        tsr_sys_null(0, 0);
    t1 = cycles();
    report("null_syscall", t1 - t0, ROUNDS, overhead);

    t0 = cycles();
    for (unsigned i = 0; i < ROUNDS; i++)
        tsr_yield();
    t1 = cycles();
    report("yield", t1 - t0, ROUNDS, overhead);

    /* retype_4k: one 4 KiB frame per call (zeroing included). */
    tsr_cptr_t ut;
    if (tsr_alloc_untyped(20, &ut))
        return 1;
    tsr_cptr_t slots[ROUNDS];
    for (unsigned i = 0; i < ROUNDS; i++)
        slots[i] = tsr_alloc_slot();
    t0 = cycles();
    for (unsigned i = 0; i < ROUNDS; i++)
        tsr_untyped_retype(ut, TSR_OBJ_FRAME_4K, 0, TSR_INIT_CNODE, TSR_INIT_CNODE, d, slots[i], 1);
    t1 = cycles();
    report("retype_4k", t1 - t0, ROUNDS, overhead);

    /* map_unmap_4k: map and unmap one frame (page tables already there). */
    const uint64_t va = 0x30000000ull;
    if (tsr_vm_map(slots[0], TSR_INIT_VSPACE, va, TSR_RIGHT_READ | TSR_RIGHT_WRITE, 0) ||
        tsr_frame_unmap(slots[0]))
        return 1;
    t0 = cycles();
    for (unsigned i = 0; i < ROUNDS; i++) {
        tsr_frame_map(slots[i], TSR_INIT_VSPACE, va, TSR_RIGHT_READ | TSR_RIGHT_WRITE, 0);
        tsr_frame_unmap(slots[i]);
    }
    t1 = cycles();
    report("map_unmap_4k", t1 - t0, ROUNDS, overhead);

    /* thread_switch: yield to an equal-priority thread that yields back;
     * each round is two switches. */
    struct tsr_thread partner;
    if (tsr_thread_create(&partner, TSR_INIT_CNODE, TSR_INIT_VSPACE, 0x31000000ull,
                          bi->root_priority, yield_partner, 0) ||
        tsr_thread_start(&partner))
        return 1;
    while (!partner_ready)
        tsr_yield();
    t0 = cycles();
    for (unsigned i = 0; i < ROUNDS; i++)
        tsr_yield();
    t1 = cycles();
    report("thread_switch", t1 - t0, 2 * ROUNDS, overhead);
    tsr_tcb_suspend(partner.tcb);
    return 0;
}
