/* SPDX-License-Identifier: MIT */
/* Threads: configure, priorities, registers, suspend/resume, scheduling. */
#include "test.h"

static volatile uint64_t counter_a, counter_b, order[4];
static volatile unsigned order_n;

static void count_forever(uint64_t which)
{
    volatile uint64_t *c = which ? &counter_b : &counter_a;
    for (;;)
        (*c)++;
}

static bool thread_runs(void)
{
    counter_a = 0;
    tsr_cptr_t t = t_thread(count_forever, 0, 10, 0);
    CHECK(t);
    /* The counter never blocks, so drop to its priority and yield: round
     * robin hands it the CPU and brings us back. */
    t_set_my_priority(10);
    for (volatile int spin = 0; spin < 1000000 && counter_a == 0; spin++)
        tsr_yield();
    t_set_my_priority(test_bootinfo->root_priority);
    CHECK(counter_a > 0);
    CHECK_OK(tsr_tcb_suspend(t));
    return true;
}

static bool suspend_resume(void)
{
    counter_a = 0;
    tsr_cptr_t t = t_thread(count_forever, 0, 10, 0);
    CHECK(t);
    CHECK_OK(tsr_tcb_suspend(t));
    t_yield_to_lower();
    CHECK_EQ(counter_a, 0); /* suspended before it ever ran */
    CHECK_OK(tsr_tcb_resume(t));
    t_set_my_priority(10);
    for (volatile int spin = 0; spin < 1000000 && counter_a == 0; spin++)
        tsr_yield();
    t_set_my_priority(test_bootinfo->root_priority);
    CHECK_OK(tsr_tcb_suspend(t));
    uint64_t seen = counter_a;
    CHECK(seen > 0);
    t_yield_to_lower();
    CHECK_EQ(counter_a, seen); /* stopped stays stopped */
    return true;
}

static bool round_robin(void)
{
    /* Two equal-priority threads that never block both make progress:
     * the timer preempts each at the end of its timeslice. */
    counter_a = counter_b = 0;
    tsr_cptr_t a = t_thread(count_forever, 0, 20, 0), b = t_thread(count_forever, 1, 20, 0);
    CHECK(a && b);
    t_set_my_priority(20);
    for (volatile int spin = 0; spin < 100000000 && (counter_a < 1000 || counter_b < 1000); spin++)
        tsr_yield();
    t_set_my_priority(test_bootinfo->root_priority);
    CHECK_OK(tsr_tcb_suspend(a));
    CHECK_OK(tsr_tcb_suspend(b));
    CHECK(counter_a >= 1000 && counter_b >= 1000);
    return true;
}

static void record(uint64_t tag)
{
    order[order_n++] = tag;
}

static bool priority_order(void)
{
    /* Three threads become runnable at once; they run highest first. */
    order_n = 0;
    CHECK(t_thread(record, 1, 30, 0));
    CHECK(t_thread(record, 3, 90, 0));
    CHECK(t_thread(record, 2, 60, 0));
    t_yield_to_lower();
    CHECK_EQ(order_n, 3);
    CHECK_EQ(order[0], 3);
    CHECK_EQ(order[1], 2);
    CHECK_EQ(order[2], 1);
    return true;
}

static bool priority_errors(void)
{
    tsr_cptr_t t = t_new(TSR_OBJ_TCB, 0), t2 = t_new(TSR_OBJ_TCB, 0);
    CHECK_EQ(tsr_tcb_set_priority(t, TSR_INIT_TCB, 256), TSR_E_RANGE);
    /* t has MCP 0: as an authority it can give nothing above 0. */
    CHECK_EQ(tsr_tcb_set_priority(t2, t, 1), TSR_E_INSUFFICIENT_RIGHTS);
    CHECK_OK(tsr_tcb_set_priority(t2, t, 0));
    CHECK_OK(tsr_tcb_set_mcp(t, TSR_INIT_TCB, 50));
    CHECK_OK(tsr_tcb_set_priority(t2, t, 50));
    CHECK_EQ(tsr_tcb_set_priority(t2, t, 51), TSR_E_INSUFFICIENT_RIGHTS);
    /* The authority must be a TCB. */
    tsr_cptr_t ep = t_new(TSR_OBJ_ENDPOINT, 0);
    CHECK_EQ(tsr_tcb_set_priority(t2, ep, 1), TSR_E_INVALID_CAPABILITY);
    return true;
}

static bool registers(void)
{
    tsr_cptr_t t = t_new(TSR_OBJ_TCB, 0);
    uint64_t regs[TSR_REG_COUNT], back[TSR_REG_COUNT];
    for (unsigned i = 0; i < TSR_REG_COUNT; i++)
        regs[i] = 0x1000 + i;
    /* Try to make the thread run at EL1 with interrupts masked. */
    regs[TSR_REG_SPSR] = 0x3c5 | 0xf0000000ull;
    CHECK_OK(tsr_tcb_write_registers(t, 0, TSR_REG_COUNT, regs));
    CHECK_OK(tsr_tcb_read_registers(t, TSR_REG_COUNT, back));
    for (unsigned i = 0; i < TSR_REG_COUNT; i++)
        if (i != TSR_REG_SPSR)
            CHECK_EQ(back[i], regs[i]);
    CHECK_EQ(back[TSR_REG_SPSR], 0xf0000000ull); /* flags kept, mode and masks not */
    /* Past the FP/SIMD state (t_fpu.c tests the words up to it). */
    static uint64_t all[TSR_REG_COUNT_ALL + 1];
    CHECK_EQ(tsr_tcb_read_registers(t, TSR_REG_COUNT_ALL + 1, all), TSR_E_RANGE);
    CHECK_EQ(tsr_tcb_write_registers(t, 0, TSR_REG_COUNT_ALL + 1, all), TSR_E_RANGE);
    CHECK_EQ(tsr_tcb_read_registers(TSR_INIT_TCB, 1, back), TSR_E_ILLEGAL_OPERATION);
    /* Claiming more registers than the message carries. */
    const uint64_t short_args[3] = {0, 5, 1};
    CHECK_EQ(tsr_invoke(t, TSR_TCB_WRITE_REGISTERS, 3, short_args, 0, 0), TSR_E_TRUNCATED);
    return true;
}

static bool configure_errors(void)
{
    tsr_cptr_t t = t_new(TSR_OBJ_TCB, 0), ep = t_new(TSR_OBJ_ENDPOINT, 0);
    tsr_cptr_t frame = t_new(TSR_OBJ_FRAME_4K, 0), ro = t_slot(), ro_ep = t_slot();
    CHECK_EQ(tsr_tcb_configure(t, 0, ep, 0, 0, 0), TSR_E_INVALID_CAPABILITY);   /* CSpace: not a CNode */
    CHECK_EQ(tsr_tcb_configure(t, 0, 0, frame, 0, 0), TSR_E_INVALID_CAPABILITY); /* VSpace: not a VSpace */
    CHECK_EQ(tsr_tcb_configure(t, frame, 0, 0, 0, 0), TSR_E_INVALID_CAPABILITY); /* fault ep */
    CHECK_EQ(tsr_tcb_configure(t, 0, 0, 0, 0x100, frame), TSR_E_ALIGNMENT);     /* IPC buffer */
    CHECK_OK(tsr_cnode_copy(ROOT, ro, D, ROOT, frame, D, TSR_RIGHT_READ));
    CHECK_EQ(tsr_tcb_configure(t, 0, 0, 0, 0, ro), TSR_E_INSUFFICIENT_RIGHTS);
    CHECK_OK(tsr_cnode_copy(ROOT, ro_ep, D, ROOT, ep, D, TSR_RIGHT_READ));
    CHECK_EQ(tsr_tcb_configure(t, ro_ep, 0, 0, 0, 0), TSR_E_INSUFFICIENT_RIGHTS);
    CHECK_EQ(tsr_tcb_configure(t, t_slot(), 0, 0, 0, 0), TSR_E_INVALID_CAPABILITY); /* empty */
    CHECK_EQ(tsr_tcb_configure(t, 0x7777, 0, 0, 0, 0), TSR_E_LOOKUP_FAILED); /* outside the guard */
    CHECK_OK(tsr_tcb_configure(t, ep, ROOT, TSR_INIT_VSPACE, 0x800, frame));
    const uint64_t short_args[2] = {0, 0};
    CHECK_EQ(tsr_invoke(t, TSR_TCB_CONFIGURE, 2, short_args, 0, 0), TSR_E_TRUNCATED);
    return true;
}

static volatile uint64_t bound_badge;

static void wait_bound(uint64_t ep)
{
    struct tsr_msg m = {0};
    uint64_t badge = 0;
    tsr_recv(ep, 0, &m, &badge);
    bound_badge = badge;
}

static bool bound_notification(void)
{
    /* A thread waiting on an endpoint is woken by a signal on its bound
     * notification, with the notification's bits as the badge. */
    tsr_cptr_t ep = t_new(TSR_OBJ_ENDPOINT, 0), n = t_new(TSR_OBJ_NOTIFICATION, 0);
    tsr_cptr_t nb = t_slot();
    CHECK_OK(tsr_cnode_mint(ROOT, nb, D, ROOT, n, D, TSR_RIGHTS_ALL, 0x40));
    bound_badge = 0;
    tsr_cptr_t t = t_thread(wait_bound, ep, 10, 0);
    CHECK(t);
    CHECK_OK(tsr_tcb_bind_notification(t, n));
    CHECK_EQ(tsr_tcb_bind_notification(t, n), TSR_E_ILLEGAL_OPERATION); /* once */
    t_yield_to_lower();
    CHECK_EQ(bound_badge, 0);
    CHECK_OK(tsr_signal(nb));
    t_yield_to_lower();
    CHECK_EQ(bound_badge, 0x40);
    CHECK_OK(tsr_tcb_unbind_notification(t));
    CHECK_EQ(tsr_tcb_unbind_notification(t), TSR_E_ILLEGAL_OPERATION);
    CHECK_EQ(tsr_tcb_bind_notification(t, ep), TSR_E_INVALID_CAPABILITY);
    return true;
}

static bool yield_alone(void)
{
    /* With nothing else runnable, Yield returns to the caller. */
    for (unsigned i = 0; i < 100; i++)
        tsr_yield();
    CHECK_EQ(tsr_sys_null(0, 0), 0);
    return true;
}

const struct test tcb_tests[] = {
    {"TCB0001", "a new thread runs in our address space", thread_runs},
    {"TCB0002", "suspend stops a thread, resume restarts it", suspend_resume},
    {"TCB0003", "equal priorities share the CPU (timer preemption)", round_robin},
    {"TCB0004", "higher priorities run first", priority_order},
    {"TCB0005", "priority range and MCP authority enforced", priority_errors},
    {"TCB0006", "registers round-trip; SPSR sanitised; bad counts refused", registers},
    {"TCB0007", "configure checks every capability and the IPC buffer", configure_errors},
    {"TCB0008", "bound notification wakes an endpoint wait", bound_notification},
    {"TCB0009", "yield with nothing else runnable", yield_alone},
    {0, 0, 0},
};
