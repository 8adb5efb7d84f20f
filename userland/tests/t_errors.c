/* SPDX-License-Identifier: MIT */
/* The error cases the area tests leave out, so that every invocation's every
 * documented error (docs/syscalls.md) is provoked at least once. */
#include "test.h"

static bool cnode_more_errors(void)
{
    tsr_cptr_t ep = t_new(TSR_OBJ_ENDPOINT, 0), other = t_new(TSR_OBJ_ENDPOINT, 0);
    tsr_cptr_t empty = t_slot(), s = t_slot();
    CHECK_EQ(tsr_cnode_move(ROOT, other, D, ROOT, ep, D), TSR_E_SLOT_OCCUPIED);
    CHECK_EQ(tsr_cnode_move(ROOT, s, D, ROOT, empty, D), TSR_E_INVALID_CAPABILITY);
    CHECK_EQ(tsr_cnode_mutate(ROOT, other, D, ROOT, ep, D, TSR_RIGHTS_ALL, 0), TSR_E_SLOT_OCCUPIED);
    CHECK_EQ(tsr_cnode_mutate(ROOT, s, D, ROOT, empty, D, TSR_RIGHTS_ALL, 0), TSR_E_INVALID_CAPABILITY);
    CHECK_EQ(tsr_cnode_delete(ROOT, s, 0), TSR_E_RANGE);
    CHECK_EQ(tsr_cnode_revoke(ROOT, s | (1ull << 60), D), TSR_E_LOOKUP_FAILED);
    /* Too short, and a label CNodes do not have. */
    const uint64_t one[1] = {s};
    CHECK_EQ(tsr_invoke(ROOT, TSR_CNODE_COPY, 1, one, 0, 0), TSR_E_TRUNCATED);
    CHECK_EQ(tsr_invoke(ROOT, TSR_CNODE_DELETE, 1, one, 0, 0), TSR_E_TRUNCATED);
    CHECK_EQ(tsr_invoke(ROOT, TSR_FRAME_MAP, 1, one, 0, 0), TSR_E_ILLEGAL_OPERATION);
    /* Untyped capabilities cannot be copied (they would share a watermark). */
    CHECK_EQ(tsr_cnode_copy(ROOT, s, D, ROOT, test_region, D, TSR_RIGHTS_ALL), TSR_E_INVALID_CAPABILITY);
    return true;
}

static bool tcb_more_errors(void)
{
    tsr_cptr_t t = t_new(TSR_OBJ_TCB, 0), n = t_new(TSR_OBJ_NOTIFICATION, 0), wo = t_slot();
    uint64_t regs[TSR_REG_COUNT] = {0};
    CHECK_EQ(tsr_tcb_write_registers(TSR_INIT_TCB, 0, 1, regs), TSR_E_ILLEGAL_OPERATION);
    CHECK_OK(tsr_cnode_copy(ROOT, wo, D, ROOT, n, D, TSR_RIGHT_WRITE));
    CHECK_EQ(tsr_tcb_bind_notification(t, wo), TSR_E_INSUFFICIENT_RIGHTS);
    CHECK_EQ(tsr_tcb_set_mcp(t, TSR_INIT_TCB, 256), TSR_E_RANGE);
    CHECK_EQ(tsr_invoke(t, TSR_TCB_SET_PRIORITY, 1, regs, 0, 0), TSR_E_TRUNCATED);
    CHECK_EQ(tsr_invoke(t, TSR_TCB_READ_REGISTERS, 0, regs, 0, 0), TSR_E_TRUNCATED);
    CHECK_EQ(tsr_invoke(t, TSR_TCB_BIND_NOTIFICATION, 0, regs, 0, 0), TSR_E_TRUNCATED);
    CHECK_EQ(tsr_invoke(t, TSR_UNTYPED_RETYPE, 0, regs, 0, 0), TSR_E_ILLEGAL_OPERATION);
    return true;
}

static bool page_table_more_errors(void)
{
    tsr_cptr_t pt = t_new(TSR_OBJ_PAGE_TABLE, 0), f = t_new(TSR_OBJ_FRAME_4K, 0);
    unsigned level;
    CHECK_EQ(tsr_page_table_map(pt, f, 0x60000000ull, &level), TSR_E_INVALID_CAPABILITY);
    CHECK_EQ(tsr_page_table_map(pt, TSR_INIT_VSPACE, 1ull << 48, &level), TSR_E_RANGE);
    const uint64_t one[1] = {TSR_INIT_VSPACE};
    CHECK_EQ(tsr_invoke(pt, TSR_PAGE_TABLE_MAP, 1, one, 0, 0), TSR_E_TRUNCATED);
    CHECK_EQ(tsr_invoke(pt, TSR_FRAME_MAP, 1, one, 0, 0), TSR_E_ILLEGAL_OPERATION);
    /* Unmapping what is not mapped is harmless. */
    CHECK_OK(tsr_page_table_unmap(pt));
    CHECK_OK(tsr_frame_unmap(f));
    /* A VSpace has no methods. */
    CHECK_EQ(tsr_invoke(TSR_INIT_VSPACE, TSR_FRAME_UNMAP, 0, 0, 0, 0), TSR_E_ILLEGAL_OPERATION);
    return true;
}

static bool asid_more_errors(void)
{
    tsr_cptr_t ut = t_new(TSR_OBJ_UNTYPED, 12), occupied = t_new(TSR_OBJ_ENDPOINT, 0);
    tsr_cptr_t f = t_new(TSR_OBJ_FRAME_4K, 0);
    CHECK_EQ(tsr_asid_control_make_pool(TSR_INIT_ASID_CONTROL, ut, ROOT, occupied, D),
             TSR_E_SLOT_OCCUPIED);
    CHECK_EQ(tsr_asid_pool_assign(TSR_INIT_ASID_POOL, f, 0), TSR_E_INVALID_CAPABILITY);
    const uint64_t one[1] = {ut};
    CHECK_EQ(tsr_invoke(TSR_INIT_ASID_CONTROL, TSR_ASID_CONTROL_MAKE_POOL, 1, one, 0, 0), TSR_E_TRUNCATED);
    CHECK_EQ(tsr_invoke(TSR_INIT_ASID_POOL, TSR_ASID_POOL_ASSIGN, 0, one, 0, 0), TSR_E_TRUNCATED);
    return true;
}

static bool asid_pool_full(void)
{
    /* A fresh pool serves 512 address spaces; the 513th is refused. */
    tsr_cptr_t ut = t_new(TSR_OBJ_UNTYPED, 12), pool = t_slot();
    tsr_cptr_t extra = t_new(TSR_OBJ_VSPACE, 0);
    CHECK(extra);
    CHECK_OK(tsr_asid_control_make_pool(TSR_INIT_ASID_CONTROL, ut, ROOT, pool, D));
    tsr_cptr_t sub = t_new(TSR_OBJ_UNTYPED, 21); /* 2 MiB: 512 VSpaces */
    tsr_cptr_t first = t_slots(256);
    CHECK(sub && first);
    for (unsigned round = 0; round < 2; round++) {
        CHECK_OK(tsr_untyped_retype(sub, TSR_OBJ_VSPACE, 0, ROOT, ROOT, D, first, 256));
        for (unsigned i = 0; i < 256; i++)
            CHECK_OK(tsr_asid_pool_assign(pool, first + i, 0));
        /* The first 256 must stay alive to keep their ASIDs: move them
         * aside and reuse the slots for the next 256. */
        if (round == 0) {
            tsr_cptr_t keep = t_slots(256);
            CHECK(keep);
            for (unsigned i = 0; i < 256; i++)
                CHECK_OK(tsr_cnode_move(ROOT, keep + i, D, ROOT, first + i, D));
        }
    }
    CHECK_EQ(tsr_asid_pool_assign(pool, extra, 0), TSR_E_NOT_ENOUGH_MEMORY);
    return true;
}

static bool irq_more_errors(void)
{
    tsr_cptr_t h = t_slot(), n = t_new(TSR_OBJ_NOTIFICATION, 0), ro = t_slot();
    CHECK_OK(tsr_irq_control_get(TSR_INIT_IRQ_CONTROL, 50, ROOT, h, D));
    CHECK_OK(tsr_cnode_copy(ROOT, ro, D, ROOT, n, D, TSR_RIGHT_READ));
    CHECK_EQ(tsr_irq_handler_set_notification(h, ro), TSR_E_INSUFFICIENT_RIGHTS);
    const uint64_t one[1] = {50};
    CHECK_EQ(tsr_invoke(TSR_INIT_IRQ_CONTROL, TSR_IRQ_CONTROL_GET, 1, one, 0, 0), TSR_E_TRUNCATED);
    CHECK_EQ(tsr_invoke(h, TSR_IRQ_HANDLER_SET_NOTIFICATION, 0, one, 0, 0), TSR_E_TRUNCATED);
    CHECK_EQ(tsr_invoke(h, TSR_CNODE_COPY, 0, one, 0, 0), TSR_E_ILLEGAL_OPERATION);
    CHECK_OK(tsr_cnode_delete(ROOT, h, D));
    return true;
}

struct reply_env {
    tsr_cptr_t ep, reply;
};
static volatile int caller_result[2];
static volatile int receiver_result;

static void caller(uint64_t arg)
{
    const struct reply_env *e = (const void *)(uintptr_t)(arg & ~1ull);
    struct tsr_msg m = {.info = tsr_msginfo(0, 0, 0)};
    caller_result[arg & 1] = tsr_call(e->ep, &m);
}

static void second_receiver(uint64_t arg)
{
    const struct reply_env *e = (const void *)(uintptr_t)arg;
    struct tsr_msg m = {0};
    uint64_t badge;
    receiver_result = tsr_recv(e->ep, e->reply, &m, &badge);
}

static bool reply_object_misuse(void)
{
    static struct reply_env e;
    e = (struct reply_env){t_new(TSR_OBJ_ENDPOINT, 0), t_new(TSR_OBJ_REPLY, 0)};
    caller_result[0] = caller_result[1] = 999;
    receiver_result = 999;
    /* Two callers queue up. We take the first call into the reply object,
     * then receive again with the same object before answering: the first
     * caller's call is abandoned (CANCELLED). */
    CHECK(t_thread(caller, (uint64_t)(uintptr_t)&e, 100, 0));
    CHECK(t_thread(caller, (uint64_t)(uintptr_t)&e | 1, 100, 0));
    t_yield_to_lower();
    struct tsr_msg m = {0};
    uint64_t badge;
    CHECK_OK(tsr_recv(e.ep, e.reply, &m, &badge));
    CHECK_OK(tsr_recv(e.ep, e.reply, &m, &badge));
    t_yield_to_lower();
    CHECK_EQ(caller_result[0], TSR_E_CANCELLED);
    CHECK_EQ(caller_result[1], 999); /* still waiting for its answer */
    m.info = tsr_msginfo(0, 0, 0);
    CHECK_OK(tsr_send(e.reply, &m));
    t_yield_to_lower();
    CHECK_EQ(caller_result[1], TSR_OK);
    /* A reply object offered by a thread blocked in Recv cannot be offered
     * by a second one at the same time. */
    CHECK(t_thread(second_receiver, (uint64_t)(uintptr_t)&e, 100, 0));
    t_yield_to_lower();
    CHECK_EQ(receiver_result, 999);
    CHECK_EQ(tsr_nb_recv(e.ep, e.reply, &m, &badge), TSR_E_ILLEGAL_OPERATION);
    /* Call on a reply object is not a thing. */
    CHECK_EQ(tsr_call(e.reply, &m), TSR_E_ILLEGAL_OPERATION);
    return true;
}

const struct test error_tests[] = {
    {"ERR0001", "CNode: move/mutate errors, short messages, unknown labels", cnode_more_errors},
    {"ERR0002", "TCB: self-writes, rights to bind, MCP range, short messages", tcb_more_errors},
    {"ERR0003", "page tables: wrong VSpace, range, short messages", page_table_more_errors},
    {"ERR0004", "ASIDs: occupied slot, wrong capability, short messages", asid_more_errors},
    {"ERR0005", "an ASID pool serves exactly 512 address spaces", asid_pool_full},
    {"ERR0006", "IRQ handler: rights, short messages, unknown labels", irq_more_errors},
    {"ERR0007", "reply objects: reuse abandons the call; one receiver at a time", reply_object_misuse},
    {0, 0, 0},
};
