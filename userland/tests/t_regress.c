/* SPDX-License-Identifier: MIT */
/* Regression tests for the bugs a security review found (each one fails on
 * the code before its fix): aliasing page tables and ASIDs through copies,
 * a reply object outliving its receiver, Configure destroying its own
 * thread, fault reports cancelled into a running thread, unbounded retype
 * zeroing and console writes, DebugExit from any thread, and a suspended
 * IPC call resuming as if it had worked. */
#include "test.h"

static bool page_table_not_copyable(void)
{
    tsr_cptr_t pt = t_new(TSR_OBJ_PAGE_TABLE, 0), copy = t_slot();
    /* A copy could link the same table a second time, at another level, and
     * turn a user frame into a live page table. */
    CHECK_EQ(tsr_cnode_copy(ROOT, copy, D, ROOT, pt, D, TSR_RIGHTS_ALL), TSR_E_INVALID_CAPABILITY);
    CHECK_EQ(tsr_cnode_mint(ROOT, copy, D, ROOT, pt, D, TSR_RIGHTS_ALL, 0), TSR_E_INVALID_CAPABILITY);
    CHECK_OK(tsr_cnode_move(ROOT, copy, D, ROOT, pt, D));
    return true;
}

static bool vspace_one_asid(void)
{
    tsr_cptr_t vs = t_new(TSR_OBJ_VSPACE, 0), copy = t_slot(), t = t_new(TSR_OBJ_TCB, 0);
    /* Before it has an ASID a VSpace has exactly one capability. */
    CHECK_EQ(tsr_cnode_copy(ROOT, copy, D, ROOT, vs, D, TSR_RIGHTS_ALL), TSR_E_INVALID_CAPABILITY);
    CHECK_EQ(tsr_tcb_configure(t, 0, 0, vs, 0, 0), TSR_E_ILLEGAL_OPERATION);
    unsigned asid = 0, again = 0;
    CHECK_OK(tsr_asid_pool_assign(TSR_INIT_ASID_POOL, vs, &asid));
    /* After, copies share it and cannot be given another. */
    CHECK_OK(tsr_cnode_copy(ROOT, copy, D, ROOT, vs, D, TSR_RIGHTS_ALL));
    CHECK_EQ(tsr_asid_pool_assign(TSR_INIT_ASID_POOL, copy, &again), TSR_E_ILLEGAL_OPERATION);
    CHECK_OK(tsr_tcb_configure(t, 0, 0, copy, 0, 0));
    return true;
}

static tsr_cptr_t rx_ep, rx_reply;
static volatile int rx_woken;

static void reply_receiver(uint64_t unused)
{
    (void)unused;
    struct tsr_msg m = {0};
    uint64_t badge;
    tsr_recv(rx_ep, rx_reply, &m, &badge);
    rx_woken = 1;
}

static bool reply_receiver_cleared(void)
{
    rx_ep = t_new(TSR_OBJ_ENDPOINT, 0);
    rx_reply = t_new(TSR_OBJ_REPLY, 0);
    tsr_cptr_t other = t_new(TSR_OBJ_ENDPOINT, 0);
    rx_woken = 0;
    CHECK(t_thread(reply_receiver, 0, 100, 0));
    t_yield_to_lower();
    /* A plain Send (not a Call) wakes it: the reply object stops naming it. */
    struct tsr_msg m = {.info = tsr_msginfo(0, 0, 0)};
    CHECK_OK(tsr_send(rx_ep, &m));
    t_yield_to_lower();
    CHECK_EQ(rx_woken, 1);
    uint64_t badge;
    CHECK_EQ(tsr_nb_recv(other, rx_reply, &m, &badge), TSR_E_WOULD_BLOCK);
    return true;
}

static volatile int self_config_returned;

static void configure_self(uint64_t unused)
{
    (void)unused;
    /* In this CSpace: 0x10 is our own TCB (its only capability), 0x20 a new
     * CSpace root (Y[0]), 0x31 a VSpace (X[1]).
     * Replacing our CSpace deletes the last capability to the CNode that
     * holds the last capability to ourselves. */
    self_config_returned = 100 + tsr_tcb_configure(0x10, 0, 0x20, 0x31, 0, 0);
    /* Still here (the call was cut short and its restart found no CSpace):
     * with no capability left, stop by faulting. */
    __asm__ volatile("udf #0");
}

static bool configure_destroys_itself(void)
{
    /* The witness: an ASID pool of our own. VSpace V gets its first ASID,
     * and the next VSpace gets that same ASID back only if V really died,
     * that is if no copy of V's capability was left anywhere. */
    tsr_cptr_t pool_ut = t_new(TSR_OBJ_UNTYPED, 12), pool = t_slot();
    CHECK_OK(tsr_asid_control_make_pool(TSR_INIT_ASID_CONTROL, pool_ut, ROOT, pool, D));
    tsr_cptr_t v = t_new(TSR_OBJ_VSPACE, 0), w = t_new(TSR_OBJ_VSPACE, 0);
    unsigned asid_v = 0, asid_w = 0;
    CHECK_OK(tsr_asid_pool_assign(pool, v, &asid_v));

    /* The thread's CSpace: `node` (guard 56: cptrs name two levels), holding
     * the thread's own TCB at 1, CNode Y at 2 with a new CSpace root at Y[0],
     * and CNode X at 3 with a copy of V at X[1]. We keep X and Y, so they and
     * what they hold outlive `node`. */
    tsr_cptr_t node = t_new(TSR_OBJ_CNODE, 4), other = t_new(TSR_OBJ_CNODE, 4);
    tsr_cptr_t x = t_new(TSR_OBJ_CNODE, 4), y = t_new(TSR_OBJ_CNODE, 4), guarded = t_slot();
    CHECK_OK(tsr_cnode_mint(ROOT, guarded, D, ROOT, node, D, TSR_RIGHTS_ALL, TSR_CNODE_GUARD(56, 0)));
    CHECK_OK(tsr_cnode_mint(y, 0, 4, ROOT, other, D, TSR_RIGHTS_ALL, TSR_CNODE_GUARD(60, 0)));
    CHECK_OK(tsr_cnode_copy(node, 2, 4, ROOT, y, D, TSR_RIGHTS_ALL));
    CHECK_OK(tsr_cnode_copy(node, 3, 4, ROOT, x, D, TSR_RIGHTS_ALL));
    CHECK_OK(tsr_cnode_copy(x, 1, 4, ROOT, v, D, TSR_RIGHTS_ALL));

    self_config_returned = 0;
    tsr_cptr_t t = t_thread(configure_self, 0, 100, 0);
    CHECK(t);
    CHECK_OK(tsr_tcb_configure(t, 0, guarded, 0, 0, 0));
    CHECK_OK(tsr_cnode_move(node, 1, 4, ROOT, t, D));
    /* Delete our capabilities to `node` (not revoke: the thread's CSpace
     * slot holds a copy, which must stay the last one). */
    CHECK_OK(tsr_cnode_delete(ROOT, guarded, D));
    CHECK_OK(tsr_cnode_delete(ROOT, node, D));
    t_yield_to_lower();
    CHECK_EQ(self_config_returned, 0); /* it destroyed itself */
    /* The call must have stopped there, not gone on to copy V into the dead
     * TCB's VSpace slot. Delete our copies of V: it must die, freeing its
     * ASID for W. */
    CHECK_OK(tsr_cnode_delete(x, 1, 4));
    CHECK_OK(tsr_cnode_delete(ROOT, v, D));
    CHECK_OK(tsr_asid_pool_assign(pool, w, &asid_w));
    CHECK_EQ(asid_w, asid_v);
    return true;
}

static volatile int after_fault;

static void fault_once(uint64_t unused)
{
    (void)unused;
    (void)*(volatile uint64_t *)0x70000000ull;
    after_fault = 1;
}

static bool cancelled_fault_stays_stopped(void)
{
    tsr_cptr_t ep = t_new(TSR_OBJ_ENDPOINT, 0), page = t_new(TSR_OBJ_FRAME_4K, 0);
    after_fault = 0;
    tsr_cptr_t t = t_thread(fault_once, 0, 100, ep);
    CHECK(t);
    t_yield_to_lower(); /* it faults; nobody receives on ep */
    /* Make the access valid, then destroy the fault endpoint (the thread's
     * TCB holds a copy: revoke it first). The thread's fault report is
     * cancelled: it must stay stopped, not run on as if a call had ended. */
    CHECK_OK(tsr_vm_map(page, TSR_INIT_VSPACE, 0x70000000ull, TSR_RIGHT_READ, 0));
    CHECK_OK(tsr_cnode_revoke(ROOT, ep, D));
    CHECK_OK(tsr_cnode_delete(ROOT, ep, D));
    t_yield_to_lower();
    CHECK_EQ(after_fault, 0);
    /* Resumed, it retries the access, which works now. */
    CHECK_OK(tsr_tcb_resume(t));
    t_yield_to_lower();
    CHECK_EQ(after_fault, 1);
    CHECK_OK(tsr_frame_unmap(page));
    return true;
}

static bool retype_zeroing_bounded(void)
{
    tsr_cptr_t first = t_slots(3);
    CHECK(first);
    CHECK_EQ(tsr_untyped_retype(test_region, TSR_OBJ_FRAME_2M, 0, ROOT, ROOT, D, first, 3), TSR_E_RANGE);
    CHECK_EQ(tsr_untyped_retype(test_region, TSR_OBJ_CNODE, TSR_CNODE_MAX_RADIX + 1, ROOT, ROOT, D,
                                first, 1), TSR_E_INVALID_ARGUMENT);
    /* Within the bound: two 2 MiB frames (the whole 4 MiB region). */
    CHECK_OK(tsr_untyped_retype(test_region, TSR_OBJ_FRAME_2M, 0, ROOT, ROOT, D, first, 2));
    return true;
}

static volatile uint64_t exit_result;

static void try_exit(uint64_t unused)
{
    (void)unused;
    exit_result = tsr_sys_debug_exit(7, 0);
}

static bool debug_exit_root_only(void)
{
    exit_result = 999;
    CHECK(t_thread(try_exit, 0, 100, 0));
    t_yield_to_lower();
    CHECK_EQ(exit_result, TSR_E_ILLEGAL_OPERATION); /* and the machine still runs */
    char buf[257];
    memset(buf, '#', sizeof(buf));
    CHECK_EQ(tsr_debug_write(buf, 257), TSR_E_RANGE);
    return true;
}

static volatile int recv_result;

static void recv_forever(uint64_t ep)
{
    struct tsr_msg m = {0};
    uint64_t badge;
    recv_result = tsr_recv(ep, 0, &m, &badge);
}

static bool suspended_call_cancelled(void)
{
    tsr_cptr_t ep = t_new(TSR_OBJ_ENDPOINT, 0);
    recv_result = 999;
    tsr_cptr_t t = t_thread(recv_forever, ep, 100, 0);
    CHECK(t);
    t_yield_to_lower();
    CHECK_OK(tsr_tcb_suspend(t));
    CHECK_OK(tsr_tcb_resume(t));
    t_yield_to_lower();
    CHECK_EQ(recv_result, TSR_E_CANCELLED);
    return true;
}

const struct test regress_tests[] = {
    {"REG0001", "page-table capabilities cannot be copied (no double linking)", page_table_not_copyable},
    {"REG0002", "a VSpace has one ASID: no copies before it, copies share it", vspace_one_asid},
    {"REG0003", "a reply object forgets a receiver woken by a plain Send", reply_receiver_cleared},
    {"REG0004", "Configure that destroys its own thread stops there", configure_destroys_itself},
    {"REG0005", "a thread whose fault report is cancelled stays stopped", cancelled_fault_stays_stopped},
    {"REG0006", "one retype zeroes at most 4 MiB", retype_zeroing_bounded},
    {"REG0007", "only the root thread may stop the machine; console writes bounded", debug_exit_root_only},
    {"REG0008", "a suspended receive resumes with CANCELLED", suspended_call_cancelled},
    {0, 0, 0},
};
