/* SPDX-License-Identifier: MIT */
/* FP/SIMD in user threads: each thread has its own V0-V31, FPSR and FPCR,
 * switched lazily by the kernel (arch/aarch64/fpu.c). Threads doing FP work
 * are preempted by the timer and by IPC and must end with exactly the
 * results they get running alone; a new thread's registers start zero
 * whatever the previous owner left; the state is readable and writable
 * through ReadRegisters/WriteRegisters, survives a fault, and a deleted
 * owner is never written to; SVE stays a user exception. The register work
 * is in fpu.S, so the test knows what every register holds. */
#include "test.h"

enum { FP_LOOP, FP_CALL, FP_SERVE, FP_FAULT, FP_CALL_YIELD }; /* fpu.S, fp_worker's modes */

struct fp_job {
    uint64_t init[64]; /* V0-V31 at the start, low word first */
    uint64_t fpcr, iterations, mode, ep, reply, fault_va;
    uint64_t start, end; /* CNTVCT around the work */
    uint64_t out[66];    /* V0-V31, FPSR, FPCR at the end */
} __attribute__((aligned(16)));
_Static_assert(__builtin_offsetof(struct fp_job, fpcr) == 512, "fpu.S JOB_FPCR");
_Static_assert(__builtin_offsetof(struct fp_job, start) == 560, "fpu.S JOB_START");
_Static_assert(__builtin_offsetof(struct fp_job, out) == 576, "fpu.S JOB_OUT");

void fp_worker(struct fp_job *job);
void fp_dump(uint64_t *out);
void fp_sve(void);
void fp_sme(void);

#define OUT_FPSR 64
#define OUT_FPCR 65
#define FPCR_RP (1ull << 22) /* FPCR.RMode: round towards plus infinity */
#define FPCR_RM (2ull << 22) /* ... minus infinity */
#define FPCR_RZ (3ull << 22) /* ... zero */
#define FPCR_FZ (1ull << 24)
#define FPCR_DN (1ull << 25)
#define FPSR_IXC (1ull << 4) /* inexact */
#define DOUBLE_1 0x3ff0000000000000ull
#define DOUBLE_3 0x4008000000000000ull
#define DOUBLE_4 0x4010000000000000ull /* 1/4, and sums of it, are exact */
#define DOUBLE_7 0x401c000000000000ull

#define V_INC 27 /* fpu.S: V0-V26 += V27; D28 += D29 / D30 */
#define SLICE_MS 20 /* the kernel's timeslice (docs/architecture.md, "Scheduling") */

/* Every word of V0-V31 distinct and non-zero, from `seed`. */
static void job_setup(struct fp_job *j, uint64_t seed, uint64_t fpcr, uint64_t denominator,
                      uint64_t iterations, uint64_t mode)
{
    *j = (struct fp_job){.fpcr = fpcr, .iterations = iterations, .mode = mode};
    for (unsigned i = 0; i < 64; i++)
        j->init[i] = (seed << 56) ^ (0x9e3779b97f4a7c15ull * (i + 1));
    j->init[2 * V_INC] |= 1;
    j->init[2 * 28] = 0; /* the accumulator starts at +0.0 */
    j->init[2 * 29] = DOUBLE_1;
    j->init[2 * 30] = denominator;
}

/* The integer lanes follow from the arithmetic; the rest is compared with
 * the same job run alone (ref). */
static bool job_matches(const struct fp_job *j, const struct fp_job *ref)
{
    for (unsigned w = 0; w < 2 * V_INC; w++)
        CHECK_EQ(j->out[w], j->init[w] + j->iterations * j->init[2 * V_INC + (w & 1)]);
    for (unsigned w = 0; w < 66; w++)
        CHECK_EQ(j->out[w], ref->out[w]);
    CHECK_EQ(j->out[OUT_FPCR], j->fpcr);
    return true;
}

static void worker_thread(uint64_t job)
{
    fp_worker((struct fp_job *)(uintptr_t)job);
}

static void dump_thread(uint64_t out)
{
    fp_dump((uint64_t *)(uintptr_t)out);
}

static uint64_t counter_hz(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
    return v;
}

/* Iterations of fp_worker's loop that take about three timeslices (60 ms)
 * on this machine, so each thread below is preempted by the timer mid-work.
 * The fastest of three runs counts (after one that pays for QEMU's
 * translation of the loop): a busy host only ever makes a run slower. */
static uint64_t iterations_for_three_slices(void)
{
    static struct fp_job probe;
    const uint64_t n = 100000;
    uint64_t best = UINT64_MAX;
    for (unsigned run = 0; run < 4; run++) {
        job_setup(&probe, 9, 0, DOUBLE_3, run ? n : n / 10, FP_LOOP);
        fp_worker(&probe);
        uint64_t ticks = probe.end - probe.start + 1;
        if (run && ticks < best)
            best = ticks;
    }
    return n * (counter_hz() * 3 * SLICE_MS / 1000) / best + 1;
}

/* One round of timer_preempted: false if a check failed; *interleaved says
 * whether every thread started before any finished. */
static bool preempted_round(unsigned n, uint64_t iterations, bool *interleaved)
{
    static struct fp_job ref[3], job[3];
    static const struct {
        uint64_t fpcr, denominator;
    } kind[3] = {{FPCR_RZ, DOUBLE_3}, {0, DOUBLE_4}, {FPCR_RP | FPCR_DN, DOUBLE_7}};
    for (unsigned i = 0; i < n; i++) {
        job_setup(&ref[i], i + 1, kind[i].fpcr, kind[i].denominator, iterations, FP_LOOP);
        fp_worker(&ref[i]); /* alone: the expected results */
        job_setup(&job[i], i + 1, kind[i].fpcr, kind[i].denominator, iterations, FP_LOOP);
    }
    /* The exact sums of 1/4 raise no flag: a flag there came from another. */
    CHECK_EQ(ref[1].out[OUT_FPSR], 0);
    CHECK_EQ(ref[0].out[OUT_FPSR], FPSR_IXC);
    for (unsigned i = 0; i < n; i++)
        CHECK(t_thread(worker_thread, (uint64_t)(uintptr_t)&job[i], 20, 0));
    t_yield_to_lower();
    uint64_t last_start = 0, first_end = UINT64_MAX;
    for (unsigned i = 0; i < n; i++) {
        CHECK(job_matches(&job[i], &ref[i]));
        last_start = job[i].start > last_start ? job[i].start : last_start;
        first_end = job[i].end < first_end ? job[i].end : first_end;
    }
    *interleaved = last_start < first_end;
    return true;
}

/* n threads (2 or 3) at one priority, each with its own rounding mode and
 * numbers, all running at once: the timer switches between them while their
 * registers are live. The test insists that they did interleave (every
 * thread started before any finished); if the machine ran faster than
 * measured and they did not, it runs again with twice the work. */
static bool timer_preempted(unsigned n)
{
    uint64_t iterations = iterations_for_three_slices();
    for (unsigned round = 0;; round++) {
        bool interleaved;
        if (!preempted_round(n, iterations, &interleaved))
            return false;
        if (interleaved)
            return true;
        printf("# %u threads of %lu iterations did not interleave\n", n,
               (unsigned long)iterations);
        CHECK(round < 3);
        iterations *= 2;
    }
}

static bool two_threads(void)
{
    return timer_preempted(2);
}

static bool three_threads(void)
{
    return timer_preempted(3);
}

static bool across_ipc(void)
{
    /* A client and a server at one priority: every Call and every answer
     * switches threads (the fast path), with both threads' registers live. */
    static struct fp_job ref[2], client, server;
    const uint64_t n = 3000;
    tsr_cptr_t ep = t_new(TSR_OBJ_ENDPOINT, 0), reply = t_new(TSR_OBJ_REPLY, 0);
    CHECK(ep && reply);
    job_setup(&ref[0], 4, FPCR_RZ, DOUBLE_3, n, FP_LOOP);
    job_setup(&ref[1], 5, FPCR_RM, DOUBLE_7, n, FP_LOOP);
    fp_worker(&ref[0]);
    fp_worker(&ref[1]);
    job_setup(&client, 4, FPCR_RZ, DOUBLE_3, n, FP_CALL);
    job_setup(&server, 5, FPCR_RM, DOUBLE_7, n, FP_SERVE);
    client.ep = server.ep = ep;
    server.reply = reply;
    uint64_t calls = tsr_debug_counter(TSR_COUNTER_FASTPATH_CALL);
    uint64_t answers = tsr_debug_counter(TSR_COUNTER_FASTPATH_REPLY_RECV);
    CHECK(t_thread(worker_thread, (uint64_t)(uintptr_t)&server, 20, 0));
    CHECK(t_thread(worker_thread, (uint64_t)(uintptr_t)&client, 20, 0));
    t_yield_to_lower();
    CHECK(job_matches(&client, &ref[0]));
    CHECK(job_matches(&server, &ref[1]));
    CHECK(tsr_debug_counter(TSR_COUNTER_FASTPATH_CALL) - calls >= n);
    CHECK(tsr_debug_counter(TSR_COUNTER_FASTPATH_REPLY_RECV) - answers >= n - 1);
    return true;
}

static bool three_across_ipc(void)
{
    /* Two clients and one server at one priority, all using FP. A client
     * yields after each answer, so the other client's next Call comes in
     * between: C0, S, C0, C1, S, C1, C0... each taking the registers from
     * another, with every thread's values live. Each ends as if alone. */
    static struct fp_job ref[3], client[2], server;
    const uint64_t n = 2000;
    tsr_cptr_t ep = t_new(TSR_OBJ_ENDPOINT, 0), reply = t_new(TSR_OBJ_REPLY, 0);
    CHECK(ep && reply);
    job_setup(&ref[0], 13, FPCR_RZ, DOUBLE_3, n, FP_LOOP);
    job_setup(&ref[1], 14, FPCR_RP | FPCR_DN, DOUBLE_7, n, FP_LOOP);
    job_setup(&ref[2], 15, FPCR_RM, DOUBLE_3, 2 * n, FP_LOOP);
    for (unsigned i = 0; i < 3; i++)
        fp_worker(&ref[i]);
    job_setup(&client[0], 13, FPCR_RZ, DOUBLE_3, n, FP_CALL_YIELD);
    job_setup(&client[1], 14, FPCR_RP | FPCR_DN, DOUBLE_7, n, FP_CALL_YIELD);
    job_setup(&server, 15, FPCR_RM, DOUBLE_3, 2 * n, FP_SERVE); /* one unit per Call */
    client[0].ep = client[1].ep = server.ep = ep;
    server.reply = reply;
    uint64_t calls = tsr_debug_counter(TSR_COUNTER_FASTPATH_CALL);
    CHECK(t_thread(worker_thread, (uint64_t)(uintptr_t)&server, 20, 0));
    CHECK(t_thread(worker_thread, (uint64_t)(uintptr_t)&client[0], 20, 0));
    CHECK(t_thread(worker_thread, (uint64_t)(uintptr_t)&client[1], 20, 0));
    t_yield_to_lower();
    CHECK(job_matches(&client[0], &ref[0]));
    CHECK(job_matches(&client[1], &ref[1]));
    CHECK(job_matches(&server, &ref[2]));
    /* The clients' calls did alternate: neither finished before the other
     * started. */
    CHECK(client[0].start < client[1].end && client[1].start < client[0].end);
    CHECK(tsr_debug_counter(TSR_COUNTER_FASTPATH_CALL) - calls >= n);
    return true;
}

static bool all_zero(const uint64_t *words, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        CHECK_EQ(words[i], 0);
    return true;
}

static bool first_use_sees_zeros(void)
{
    /* A fills every register (and FPCR, and FPSR through inexact
     * arithmetic) and stops; B, next in line, dumps its registers with its
     * very first FP/SIMD instruction. Then the same with A2 still owning the
     * registers, blocked in Recv. */
    static struct fp_job a, a2;
    static uint64_t seen_b[66], seen_c[66];
    tsr_cptr_t ep = t_new(TSR_OBJ_ENDPOINT, 0), reply = t_new(TSR_OBJ_REPLY, 0);
    CHECK(ep && reply);
    job_setup(&a, 6, FPCR_RZ | FPCR_DN | FPCR_FZ, DOUBLE_3, 10, FP_LOOP);
    for (unsigned i = 0; i < 66; i++)
        seen_b[i] = seen_c[i] = 0xdead;
    CHECK(t_thread(worker_thread, (uint64_t)(uintptr_t)&a, 20, 0));
    CHECK(t_thread(dump_thread, (uint64_t)(uintptr_t)seen_b, 20, 0));
    t_yield_to_lower();
    CHECK_EQ(a.out[OUT_FPSR], FPSR_IXC); /* A did leave flags behind */
    CHECK(all_zero(seen_b, 66));

    job_setup(&a2, 7, FPCR_RM, DOUBLE_7, 10, FP_SERVE);
    a2.ep = ep;
    a2.reply = reply;
    CHECK(t_thread(worker_thread, (uint64_t)(uintptr_t)&a2, 20, 0));
    CHECK(t_thread(dump_thread, (uint64_t)(uintptr_t)seen_c, 20, 0));
    t_yield_to_lower();
    CHECK(all_zero(seen_c, 66));
    return true;
}

#define FAULT_VA 0x71000000ull

static bool across_fault(void)
{
    /* T loads its registers and faults; the handler reads its integer
     * registers, writes new FP values while T still owns the registers,
     * then does FP work itself, and answers: T resumes with what was
     * written, not with its old values or the handler's. */
    static struct fp_job t, scratch;
    tsr_cptr_t ep = t_new(TSR_OBJ_ENDPOINT, 0), reply = t_new(TSR_OBJ_REPLY, 0);
    tsr_cptr_t page = t_new(TSR_OBJ_FRAME_4K, 0);
    CHECK(ep && reply && page);
    job_setup(&t, 8, FPCR_RP, DOUBLE_3, 0, FP_FAULT);
    t.fault_va = FAULT_VA;
    tsr_cptr_t tcb = t_thread(worker_thread, (uint64_t)(uintptr_t)&t, 100, ep);
    CHECK(tcb);
    struct tsr_msg m = {0};
    uint64_t badge;
    CHECK_OK(tsr_recv(ep, reply, &m, &badge));
    CHECK_EQ(tsr_msginfo_label(m.info), TSR_FAULT_VM);
    CHECK_EQ(m.mr[1], FAULT_VA);

    static uint64_t regs[TSR_REG_COUNT_ALL];
    CHECK_OK(tsr_tcb_read_registers(tcb, TSR_REG_COUNT, regs));
    for (unsigned i = 0; i < 64; i++)
        regs[TSR_REG_COUNT + i] = t.init[i] + 1000 * i;
    regs[TSR_REG_FPSR] = FPSR_IXC;
    regs[TSR_REG_FPCR] = FPCR_RM | FPCR_FZ;
    CHECK_OK(tsr_tcb_write_registers(tcb, 0, TSR_REG_COUNT_ALL, regs));

    job_setup(&scratch, 10, FPCR_RZ, DOUBLE_7, 5, FP_LOOP);
    fp_worker(&scratch); /* the handler's own FP work */

    CHECK_OK(tsr_vm_map(page, TSR_INIT_VSPACE, FAULT_VA, TSR_RIGHT_READ, 0));
    struct tsr_msg r = {.info = tsr_msginfo(0, 0, 0)};
    CHECK_OK(tsr_send(reply, &r));
    t_yield_to_lower();
    for (unsigned i = 0; i < 64; i++)
        CHECK_EQ(t.out[i], t.init[i] + 1000 * i);
    CHECK_EQ(t.out[OUT_FPSR], FPSR_IXC);
    CHECK_EQ(t.out[OUT_FPCR], FPCR_RM | FPCR_FZ);
    CHECK_OK(tsr_frame_unmap(page));
    return true;
}

static bool across_fault_handler_fp(void)
{
    /* T loads its registers and faults; the handler, without touching T's
     * state, does FP work of its own (taking the registers from T while
     * they are live) and answers: T resumes with its own values. */
    static struct fp_job t, scratch;
    tsr_cptr_t ep = t_new(TSR_OBJ_ENDPOINT, 0), reply = t_new(TSR_OBJ_REPLY, 0);
    tsr_cptr_t page = t_new(TSR_OBJ_FRAME_4K, 0);
    CHECK(ep && reply && page);
    job_setup(&t, 18, FPCR_RM | FPCR_DN, DOUBLE_7, 0, FP_FAULT);
    t.fault_va = FAULT_VA;
    CHECK(t_thread(worker_thread, (uint64_t)(uintptr_t)&t, 100, ep));
    struct tsr_msg m = {0};
    uint64_t badge;
    CHECK_OK(tsr_recv(ep, reply, &m, &badge));
    CHECK_EQ(tsr_msginfo_label(m.info), TSR_FAULT_VM);
    job_setup(&scratch, 19, FPCR_RZ, DOUBLE_3, 5, FP_LOOP);
    fp_worker(&scratch);
    CHECK_EQ(scratch.out[OUT_FPCR], FPCR_RZ);
    CHECK_OK(tsr_vm_map(page, TSR_INIT_VSPACE, FAULT_VA, TSR_RIGHT_READ, 0));
    struct tsr_msg r = {.info = tsr_msginfo(0, 0, 0)};
    CHECK_OK(tsr_send(reply, &r));
    t_yield_to_lower();
    for (unsigned i = 0; i < 64; i++)
        CHECK_EQ(t.out[i], t.init[i]);
    CHECK_EQ(t.out[OUT_FPSR], 0);
    CHECK_EQ(t.out[OUT_FPCR], FPCR_RM | FPCR_DN);
    CHECK_OK(tsr_frame_unmap(page));
    return true;
}

static bool registers(void)
{
    /* ReadRegisters of a thread that owns the registers, blocked: the
     * values are the live ones. Then counts, truncation, sanitising. */
    static struct fp_job t;
    static uint64_t regs[TSR_REG_COUNT_ALL + 1], back[TSR_REG_COUNT_ALL];
    tsr_cptr_t ep = t_new(TSR_OBJ_ENDPOINT, 0), reply = t_new(TSR_OBJ_REPLY, 0);
    CHECK(ep && reply);
    job_setup(&t, 11, FPCR_RZ, DOUBLE_3, 0, FP_SERVE);
    t.ep = ep;
    t.reply = reply;
    tsr_cptr_t tcb = t_thread(worker_thread, (uint64_t)(uintptr_t)&t, 100, 0);
    CHECK(tcb);
    t_yield_to_lower(); /* it loads its registers and waits in Recv */
    CHECK_OK(tsr_tcb_read_registers(tcb, TSR_REG_COUNT_ALL, back));
    for (unsigned i = 0; i < 64; i++)
        CHECK_EQ(back[TSR_REG_COUNT + i], t.init[i]);
    CHECK_EQ(back[TSR_REG_FPSR], 0);
    CHECK_EQ(back[TSR_REG_FPCR], FPCR_RZ);

    /* Bad counts change nothing. */
    CHECK_EQ(tsr_tcb_read_registers(tcb, TSR_REG_COUNT_ALL + 1, regs), TSR_E_RANGE);
    const uint64_t too_many[2] = {0, TSR_REG_COUNT_ALL + 1};
    CHECK_EQ(tsr_invoke(tcb, TSR_TCB_WRITE_REGISTERS, 2, too_many, 0, 0), TSR_E_RANGE);
    static uint64_t short_args[2 + TSR_REG_COUNT_ALL];
    short_args[1] = TSR_REG_COUNT_ALL;
    CHECK_EQ(tsr_invoke(tcb, TSR_TCB_WRITE_REGISTERS, 1 + TSR_REG_COUNT_ALL, short_args, 0, 0),
             TSR_E_TRUNCATED);
    CHECK_EQ(tsr_tcb_read_registers(TSR_INIT_TCB, TSR_REG_COUNT_ALL, regs),
             TSR_E_ILLEGAL_OPERATION);
    CHECK_OK(tsr_tcb_read_registers(tcb, TSR_REG_COUNT_ALL, regs));
    for (unsigned i = 0; i < TSR_REG_COUNT_ALL; i++)
        CHECK_EQ(regs[i], back[i]);

    /* A new thread's FP state, written and read back: FPSR and FPCR keep
     * only their defined bits; a count up to TSR_REG_COUNT leaves it alone. */
    tsr_cptr_t fresh = t_new(TSR_OBJ_TCB, 0);
    CHECK(fresh);
    CHECK_OK(tsr_tcb_read_registers(fresh, TSR_REG_COUNT_ALL, regs));
    CHECK(all_zero(regs, TSR_REG_COUNT_ALL));
    for (unsigned i = 0; i < TSR_REG_COUNT_ALL; i++)
        regs[i] = 0x5000 + i;
    regs[TSR_REG_SPSR] = 0;
    regs[TSR_REG_FPSR] = ~0ull;
    regs[TSR_REG_FPCR] = ~0ull;
    CHECK_OK(tsr_tcb_write_registers(fresh, 0, TSR_REG_COUNT_ALL, regs));
    CHECK_OK(tsr_tcb_write_registers(fresh, 0, TSR_REG_COUNT, back));
    CHECK_OK(tsr_tcb_read_registers(fresh, TSR_REG_COUNT_ALL, back));
    for (unsigned i = TSR_REG_COUNT; i < TSR_REG_FPSR; i++)
        CHECK_EQ(back[i], regs[i]);
    CHECK_EQ(back[TSR_REG_FPSR], 0x0800009full);
    CHECK_EQ(back[TSR_REG_FPCR], 0x07ffbf07ull);
    return true;
}

static bool deleted_owner(void)
{
    /* T, in a TCB of its own 4 KiB untyped, loads its registers and blocks:
     * it owns them. Deleting it, then making a frame of the same memory,
     * filling it, and letting another thread take the registers must leave
     * the frame as filled: the kernel does not save into a dead TCB. */
    static struct fp_job t;
    static uint64_t seen[66];
    tsr_cptr_t ut = t_new(TSR_OBJ_UNTYPED, 12), tcb = t_slot(), frame = t_slot();
    tsr_cptr_t stack = t_new(TSR_OBJ_FRAME_4K, 0), ipc = t_new(TSR_OBJ_FRAME_4K, 0);
    tsr_cptr_t ep = t_new(TSR_OBJ_ENDPOINT, 0), reply = t_new(TSR_OBJ_REPLY, 0);
    CHECK(ut && tcb && frame && stack && ipc && ep && reply);
    CHECK_OK(tsr_untyped_retype(ut, TSR_OBJ_TCB, 0, ROOT, ROOT, D, tcb, 1));
    const uint64_t stack_va = 0x72000000ull, frame_va = 0x72010000ull;
    CHECK_OK(tsr_vm_map(stack, TSR_INIT_VSPACE, stack_va, TSR_RIGHT_READ | TSR_RIGHT_WRITE, 0));
    CHECK_OK(tsr_vm_map(ipc, TSR_INIT_VSPACE, stack_va + 0x1000, TSR_RIGHT_READ | TSR_RIGHT_WRITE,
                        0));
    CHECK_OK(tsr_tcb_configure(tcb, 0, TSR_INIT_CNODE, TSR_INIT_VSPACE, stack_va + 0x1000, ipc));
    CHECK_OK(tsr_tcb_set_priority(tcb, TSR_INIT_TCB, 20));
    job_setup(&t, 12, FPCR_RZ, DOUBLE_3, 1, FP_SERVE);
    t.ep = ep;
    t.reply = reply;
    static uint64_t regs[TSR_REG_COUNT];
    regs[TSR_REG_X(0)] = (uint64_t)(uintptr_t)worker_thread;
    regs[TSR_REG_X(1)] = (uint64_t)(uintptr_t)&t;
    regs[TSR_REG_X(2)] = tcb;
    regs[TSR_REG_SP] = stack_va + 0x1000;
    regs[TSR_REG_PC] = (uint64_t)(uintptr_t)tsr_thread_trampoline;
    CHECK_OK(tsr_tcb_write_registers(tcb, 1, TSR_REG_COUNT, regs));
    t_yield_to_lower(); /* T loads its registers and blocks in Recv */

    CHECK_OK(tsr_cnode_delete(ROOT, tcb, D));
    CHECK_OK(tsr_cnode_revoke(ROOT, ut, D));
    CHECK_OK(tsr_untyped_retype(ut, TSR_OBJ_FRAME_4K, 0, ROOT, ROOT, D, frame, 1));
    CHECK_OK(tsr_vm_map(frame, TSR_INIT_VSPACE, frame_va, TSR_RIGHT_READ | TSR_RIGHT_WRITE, 0));
    volatile uint64_t *words = (volatile uint64_t *)(uintptr_t)frame_va;
    for (unsigned i = 0; i < 512; i++)
        words[i] = 0x5a5a5a5a5a5a5a5aull;
    CHECK(t_thread(dump_thread, (uint64_t)(uintptr_t)seen, 20, 0));
    t_yield_to_lower();
    for (unsigned i = 0; i < 512; i++)
        CHECK_EQ(words[i], 0x5a5a5a5a5a5a5a5aull);
    CHECK(all_zero(seen, 66));
    CHECK_OK(tsr_frame_unmap(frame));
    return true;
}

/* FPU0010's second thread: when it first runs, the worker has been
 * preempted by the timer mid-work and owns the registers. */
struct suspender {
    struct fp_job *victim, own;
    tsr_cptr_t victim_tcb;
    bool mid_work, ok;
    uint64_t seen[TSR_REG_COUNT_ALL];
};

static void suspender_thread(uint64_t arg)
{
    struct suspender *s = (struct suspender *)(uintptr_t)arg;
    s->mid_work = s->victim->start != 0 && s->victim->end == 0;
    s->ok = tsr_tcb_suspend(s->victim_tcb) == TSR_OK &&
            tsr_tcb_read_registers(s->victim_tcb, TSR_REG_COUNT_ALL, s->seen) == TSR_OK;
    fp_worker(&s->own); /* every register this thread's, while the victim is stopped */
    s->ok = s->ok && tsr_tcb_resume(s->victim_tcb) == TSR_OK;
}

/* One round of suspended_owner: false if a check failed. */
static bool suspended_round(uint64_t iterations, bool *mid_work)
{
    static struct fp_job ref[2], victim;
    static struct suspender s;
    job_setup(&ref[0], 16, FPCR_RP, DOUBLE_7, iterations, FP_LOOP);
    job_setup(&ref[1], 17, FPCR_RZ | FPCR_FZ, DOUBLE_3, 1000, FP_LOOP);
    fp_worker(&ref[0]);
    fp_worker(&ref[1]);
    job_setup(&victim, 16, FPCR_RP, DOUBLE_7, iterations, FP_LOOP);
    s = (struct suspender){.victim = &victim};
    job_setup(&s.own, 17, FPCR_RZ | FPCR_FZ, DOUBLE_3, 1000, FP_LOOP);
    s.victim_tcb = t_thread(worker_thread, (uint64_t)(uintptr_t)&victim, 20, 0);
    CHECK(s.victim_tcb);
    CHECK(t_thread(suspender_thread, (uint64_t)(uintptr_t)&s, 20, 0));
    t_yield_to_lower();
    CHECK(s.ok);
    CHECK(job_matches(&victim, &ref[0]));
    CHECK(job_matches(&s.own, &ref[1]));
    *mid_work = s.mid_work;
    if (s.mid_work) {
        /* What ReadRegisters saw of the stopped owner: its increment and
         * divisors, which the loop never changes, and its FPCR. */
        CHECK_EQ(s.seen[TSR_REG_V_LO(V_INC)], victim.init[2 * V_INC]);
        CHECK_EQ(s.seen[TSR_REG_V_HI(V_INC)], victim.init[2 * V_INC + 1]);
        CHECK_EQ(s.seen[TSR_REG_V_LO(30)], DOUBLE_7);
        CHECK_EQ(s.seen[TSR_REG_FPCR], FPCR_RP);
    }
    return true;
}

static bool suspended_owner(void)
{
    /* W does FP work of three timeslices; S, at its priority, runs when the
     * timer preempts W, suspends W (which owns the registers, live), reads
     * its FP state, fills every register with its own work, and resumes W,
     * which then finishes as if alone. If W finished within one slice (a
     * faster machine than measured), again with twice the work. */
    uint64_t iterations = iterations_for_three_slices();
    for (unsigned round = 0;; round++) {
        bool mid_work;
        if (!suspended_round(iterations, &mid_work))
            return false;
        if (mid_work)
            return true;
        printf("# %lu iterations finished within a timeslice\n", (unsigned long)iterations);
        CHECK(round < 3);
        iterations *= 2;
    }
}

static volatile uint64_t after_trap;

/* If the instruction did not trap, say so on the endpoint (label 0), so the
 * test fails instead of waiting for a fault that never comes. */
static void went_on(tsr_cptr_t ep)
{
    after_trap = 0x600d;
    struct tsr_msg m = {.info = tsr_msginfo(0, 0, 0)};
    tsr_send(ep, &m);
}

static void use_sve(uint64_t ep)
{
    fp_sve();
    went_on(ep);
}

static void use_sme(uint64_t ep)
{
    fp_sme();
    went_on(ep);
}

/* "word" is one of the space-separated words of the kernel command line. */
static bool bootarg(const char *word)
{
    size_t len = strlen(word);
    for (const char *p = test_bootinfo->bootargs; *p;) {
        while (*p == ' ')
            p++;
        const char *e = p;
        while (*e && *e != ' ')
            e++;
        if ((size_t)(e - p) == len && strncmp(p, word, len) == 0)
            return true;
        p = e;
    }
    return false;
}

/* The second instruction of `insn` (which fn calls) is a user exception
 * with exception class `ec` (ESR_EL1.EC), reported to the handler; the
 * thread does not go on. */
static bool user_exception(void (*fn)(uint64_t), void (*insn)(void), const char *what,
                           unsigned ec)
{
    tsr_cptr_t ep = t_new(TSR_OBJ_ENDPOINT, 0), reply = t_new(TSR_OBJ_REPLY, 0);
    CHECK(ep && reply);
    after_trap = 0;
    CHECK(t_thread(fn, ep, 100, ep));
    struct tsr_msg m = {0};
    uint64_t badge;
    CHECK_OK(tsr_recv(ep, reply, &m, &badge));
    CHECK_EQ(tsr_msginfo_label(m.info), TSR_FAULT_USER_EXCEPTION);
    unsigned got = (unsigned)(m.mr[1] >> 26) & 0x3f;
    printf("# FPU0008: %s instruction: user exception, EC 0x%02x\n", what, got);
    CHECK_EQ(got, ec);
    CHECK_EQ(m.mr[0], (uint64_t)(uintptr_t)insn + 4);
    CHECK_EQ(after_trap, 0);
    return true;
}

static bool sve_sme_fault(void)
{
    /* SVE (RDVL) and SME (SMSTART) stay off for user threads, even while
     * FP/SIMD is on for them. On a CPU that has them (QEMU -cpu max, booted
     * with expect.sve=1 expect.sme=1) they trap as SVE (EC 0x19) and SME
     * (EC 0x1D) uses, elsewhere they are undefined (EC 0x00): a user
     * exception either way. */
    return user_exception(use_sve, (void (*)(void))fp_sve, "SVE",
                          bootarg("expect.sve=1") ? 0x19 : 0x00) &&
           user_exception(use_sme, (void (*)(void))fp_sme, "SME",
                          bootarg("expect.sme=1") ? 0x1d : 0x00);
}

const struct test fpu_tests[] = {
    {"FPU0001", "two FP threads at one priority, preempted by the timer, exact results",
     two_threads},
    {"FPU0002", "three FP threads at one priority (rounding modes, flags) exact", three_threads},
    {"FPU0003", "FP client and server switching at every Call and answer, exact", across_ipc},
    {"FPU0004", "a thread's first FP instruction sees zeros, not the last owner's values",
     first_use_sees_zeros},
    {"FPU0005", "FP state across a fault: written by the handler while live, resumed",
     across_fault},
    {"FPU0006", "ReadRegisters/WriteRegisters of FP state: live owner, counts, sanitising",
     registers},
    {"FPU0007", "deleting the registers' owner: nothing is written into its old memory",
     deleted_owner},
    {"FPU0008", "SVE and SME are user exceptions", sve_sme_fault},
    {"FPU0009", "three FP threads through IPC (two clients, one server), exact", three_across_ipc},
    {"FPU0010", "the registers' owner suspended mid-work, another uses FP, resumed: exact",
     suspended_owner},
    {"FPU0011", "FP state across a fault and its reply, the handler using FP itself",
     across_fault_handler_fp},
    {0, 0, 0},
};
