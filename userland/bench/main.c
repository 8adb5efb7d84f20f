/* SPDX-License-Identifier: MIT */
/* User-level benchmarks (root task of Image-bench). Under QEMU's -icount
 * shift=0 the PMU cycle counter counts guest instructions exactly, so each
 * figure is instructions per operation, the same in every run. The kernel
 * lets EL0 read the counter in benchmark builds only. */
#include <stdint.h>

#include <tessera/bootinfo.h>

#include <idl/kernel.h>

#include "bench.h"
#include "calc.h"
#include "tsr/invoke.h"
#include "tsr/runtime.h"
#include "tsr/stdio.h"
#include "tsr/vm.h"

#define ROUNDS 64

uint64_t bench_overhead;
uint32_t bench_samples[BENCH_SAMPLES];

void bench_report(const char *name, uint64_t value, const char *unit)
{
    printf("BENCH %s %lu %s\n", name, (unsigned long)value, unit);
}

uint64_t bench_median(const uint32_t *samples, unsigned n)
{
    /* A histogram: the values are small and the median of exact counts
     * needs no sort. */
    static uint32_t count[BENCH_MAX_SAMPLE + 1];
    for (unsigned v = 0; v <= BENCH_MAX_SAMPLE; v++)
        count[v] = 0;
    for (unsigned i = 0; i < n; i++)
        count[samples[i]]++;
    unsigned seen = 0;
    for (unsigned v = 0; v <= BENCH_MAX_SAMPLE; v++) {
        seen += count[v];
        if (2 * seen > n)
            return v;
    }
    return BENCH_MAX_SAMPLE;
}

static void report(const char *name, uint64_t total, uint64_t ops, uint64_t overhead)
{
    bench_report(name, (total - overhead) / ops, "instructions");
}

static volatile int partner_ready;

/* A plain IPC server: answers every Call with its first word. */
struct server_env {
    tsr_cptr_t ep, reply;
};

static void echo_server(uint64_t arg)
{
    const struct server_env *e = (const void *)(uintptr_t)arg;
    struct tsr_msg m = {0};
    uint64_t badge;
    tsr_recv(e->ep, e->reply, &m, &badge);
    for (;;) {
        m.info = tsr_msginfo(0, 0, 1);
        tsr_reply_recv(e->ep, e->reply, &m, &badge);
    }
}

/* The same over IDL: calc (userland/tests/calc.idl), kernel transport. */
static idl_status_t op_sum8(void *self, const idl_caller *caller, uint64_t a, uint64_t b,
                            uint64_t c, uint64_t d, uint64_t e, uint64_t f, uint64_t g, uint64_t h,
                            uint64_t *sum)
{
    (void)self, (void)caller;
    *sum = a + b + c + d + e + f + g + h;
    return IDL_OK;
}
static const calc_v1_ops calc_ops = {.sum8 = op_sum8};

static void idl_server(uint64_t arg)
{
    const struct server_env *e = (const void *)(uintptr_t)arg;
    static const calc_server server = {.v1 = &calc_ops};
    idl_binding binding = calc_binding(&server);
    idl_kernel_serve(e->ep, e->reply, &binding, 1, 0, 0);
}

static tsr_error_t start_server(struct server_env *e, void (*fn)(uint64_t), uint64_t stack_va,
                                struct tsr_thread *t_out)
{
    struct tsr_thread t;
    tsr_error_t err;
    if ((err = tsr_alloc_object(TSR_OBJ_ENDPOINT, 0, &e->ep)) ||
        (err = tsr_alloc_object(TSR_OBJ_REPLY, 0, &e->reply)) ||
        (err = tsr_thread_create(&t, TSR_INIT_CNODE, TSR_INIT_VSPACE, stack_va, 200, fn,
                                 (uint64_t)(uintptr_t)e)))
        return err;
    *t_out = t;
    return tsr_thread_start(&t);
}

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
    bench_overhead = overhead;

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

    /* ipc_call_8w: a Call carrying 8 words to a server thread that answers
     * with ReplyRecv: two switches, two system calls. */
    static struct server_env echo, idl;
    struct tsr_thread echo_thread, idl_thread;
    if (start_server(&echo, echo_server, 0x32000000ull, &echo_thread) ||
        start_server(&idl, idl_server, 0x33000000ull, &idl_thread))
        return 1;
    struct tsr_msg m = {.info = tsr_msginfo(1, 0, 8), .mr = {1, 2, 3, 4, 5, 6, 7, 8}};
    tsr_call(echo.ep, &m);
    t0 = cycles();
    for (unsigned i = 0; i < ROUNDS; i++) {
        m.info = tsr_msginfo(1, 0, 8);
        tsr_call(echo.ep, &m);
    }
    t1 = cycles();
    report("ipc_call_8w", t1 - t0, ROUNDS, overhead);

    /* idl_call_8w: the same round trip through idlc's stub and dispatcher
     * (calc.sum8, 8 u64 arguments) over the kernel transport. */
    idl_kernel_transport kt;
    idl_kernel_transport_init(&kt, idl.ep);
    uint64_t sum;
    calc_v1_sum8(&kt.transport, 1, 2, 3, 4, 5, 6, 7, 8, &sum);
    t0 = cycles();
    for (unsigned i = 0; i < ROUNDS; i++)
        calc_v1_sum8(&kt.transport, 1, 2, 3, 4, 5, 6, 7, 8, &sum);
    t1 = cycles();
    if (sum != 36)
        return 1;
    report("idl_call_8w", t1 - t0, ROUNDS, overhead);
    tsr_tcb_suspend(echo_thread.tcb);
    tsr_tcb_suspend(idl_thread.tcb);

    /* The IPC paths between two address spaces, then payloads of 8 B to
     * 1 MiB on each path, then a caller among flooders (which stop again,
     * but for their server, blocked in Recv), then FP/SIMD switches: last,
     * so that no thread has touched FP/SIMD before every figure of threads
     * without it is taken. */
    return bench_ipc(bi) || bench_payload(bi) || bench_flood(bi) || bench_fpu(bi);
}
