/* SPDX-License-Identifier: MIT */
/* The fuzzer's worker: seeded random system calls and invocations over
 * every object type, made inside the sandbox CSpace (fuzz.h), biased toward
 * arguments that name real objects so that calls get past their first
 * check. Each call goes through issue() (calls.c), which checks it; every
 * fuzz.check_every calls checkpoint() (oracles.c) runs the kernel's
 * invariant checker and the oracles. It stops at the first failure; the
 * supervisor (main.c) reports the seed and the call. */
#include "calls.h"
#include "fuzz.h"

static const uint8_t retype_types[] = {
    TSR_OBJ_ENDPOINT, TSR_OBJ_NOTIFICATION, TSR_OBJ_TCB,        TSR_OBJ_REPLY,
    TSR_OBJ_FRAME_4K, TSR_OBJ_PAGE_TABLE,   TSR_OBJ_CNODE,      TSR_OBJ_UNTYPED,
    TSR_OBJ_VSPACE,   TSR_OBJ_MSG_QUEUE,    TSR_OBJ_FRAME_2M,   TSR_OBJ_ENDPOINT,
};

static uint64_t untyped_slot(void)
{
    unsigned r = below(10);
    return r < 7 ? sandbox_untyped() : r < 8 ? S_UNTYPED_2M : any_slot();
}

static void op_retype(void)
{
    uint64_t type = chance(97) ? retype_types[below(sizeof retype_types)] : below(16);
    uint64_t bits = 0;
    if (type == TSR_OBJ_UNTYPED)
        bits = 4 + below(15);
    else if (type == TSR_OBJ_CNODE)
        bits = 1 + below(6);
    else if (type == TSR_OBJ_MSG_QUEUE)
        bits = 14 + below(2);
    if (chance(3))
        bits = below(64);
    uint64_t count = chance(90) ? 1 + below(3) : below(300);
    uint64_t node = chance(90) ? S_CNODE : any_slot(), dst = fuzz_slot();
    unsigned depth = any_depth();
    if (INV(untyped_slot(), TSR_UNTYPED_RETYPE, type, bits, S_CNODE, node, depth, dst, count) ==
            0 &&
        node == S_CNODE && depth == DEPTH)
        remember(type, dst);
}

static uint64_t any_badge(void)
{
    unsigned r = below(4);
    return r == 0 ? 0 : r == 1 ? TSR_CNODE_GUARD(below(60), 0) : r == 2 ? 1 + below(7) : rnd();
}

static void op_cnode(void)
{
    uint64_t node = chance(90) ? S_CNODE : any_slot();
    uint64_t dst = fuzz_slot(), src = chance(40) ? slot_of(below(TSR_OBJ_TYPE_COUNT)) : any_slot();
    if (src == S_VSPACE)
        src = fuzz_slot(); /* the shared address space maps only through S_VSPACE */
    switch (below(4)) {
    case 0:
        INV(node, TSR_CNODE_COPY, dst, any_depth(), S_CNODE, src, any_depth(), below(16));
        break;
    case 1:
        INV(node, TSR_CNODE_MINT, dst, any_depth(), S_CNODE, src, any_depth(), below(16),
            any_badge());
        break;
    case 2:
        INV(node, TSR_CNODE_MOVE, dst, any_depth(), S_CNODE, fuzz_slot(), any_depth());
        break;
    default:
        INV(node, TSR_CNODE_MUTATE, dst, any_depth(), S_CNODE, fuzz_slot(), any_depth(),
            below(16), any_badge());
        break;
    }
}

static void op_delete_revoke(void)
{
    uint64_t node = chance(90) ? S_CNODE : any_slot();
    if (chance(65))
        INV(node, TSR_CNODE_DELETE, fuzz_slot(), any_depth());
    else /* revoking a sandbox untyped destroys everything made from it */
        INV(node, TSR_CNODE_REVOKE, chance(40) ? untyped_slot() : fuzz_slot(), any_depth());
}

static void op_tcb(void)
{
    uint64_t t = chance(70) ? slot_of(TSR_OBJ_TCB) : any_slot();
    if (t == S_AUTHORITY)
        t = fuzz_slot(); /* its MCP is what lets the worker start helpers */
    switch (below(9)) {
    case 0:
        INV(t, TSR_TCB_CONFIGURE, chance(50) ? 0 : any_slot(), chance(50) ? S_CNODE : any_slot(),
            chance(50) ? S_VSPACE : any_slot(), chance(80) ? 0 : rnd() & ~0x7ffull,
            chance(80) ? 0 : any_slot());
        break;
    case 1:
        INV(t, TSR_TCB_SET_PRIORITY, chance(80) ? S_AUTHORITY : any_slot(),
            chance(90) ? below(WORKER_PRIORITY + 1) : below(300));
        break;
    case 2:
        INV(t, TSR_TCB_SET_MCP, chance(80) ? S_AUTHORITY : any_slot(),
            chance(90) ? below(WORKER_PRIORITY + 1) : below(300));
        break;
    case 3:
        INV(t, TSR_TCB_READ_REGISTERS, below(TSR_REG_COUNT_ALL + 8)); /* FP words too */
        break;
    case 4: {
        /* Registers past the message words come from the IPC buffer:
         * whatever an earlier call left there. */
        uint64_t args[14] = {below(2), below(TSR_REG_COUNT_ALL + 8)};
        for (unsigned i = 2; i < 14; i++)
            args[i] = rnd();
        invoke(t, TSR_TCB_WRITE_REGISTERS,
               chance(80) ? 2 + below(13) : below(TSR_REG_COUNT_ALL + 8), args);
        break;
    }
    case 5:
        INV0(t, TSR_TCB_RESUME);
        break;
    case 6:
        INV0(t, TSR_TCB_SUSPEND);
        break;
    case 7:
        INV(t, TSR_TCB_BIND_NOTIFICATION, slot_of(TSR_OBJ_NOTIFICATION));
        break;
    default:
        INV0(t, TSR_TCB_UNBIND_NOTIFICATION);
        break;
    }
}

/* A thread that makes one IPC call on a random capability and stops: the
 * way threads come to be blocked in every IPC state, then torn down by
 * whatever the random operations delete. */
static void op_spawn_helper(void)
{
    uint64_t t = fuzz_slot();
    if (chance(70) &&
        INV(untyped_slot(), TSR_UNTYPED_RETYPE, TSR_OBJ_TCB, 0, S_CNODE, S_CNODE, DEPTH, t, 1) == 0)
        remember(TSR_OBJ_TCB, t);
    bool buffer = chance(60); /* the shared one: transfers reach helpers */
    INV(t, TSR_TCB_CONFIGURE, chance(70) ? 0 : any_slot(), S_CNODE, S_VSPACE,
        buffer ? HELPER_IPC_VA : 0, buffer ? S_HELPER_IPC : 0);
    INV(t, TSR_TCB_SET_PRIORITY, S_AUTHORITY, WORKER_PRIORITY);
    randomise_buffer((struct tsr_ipc_buffer *)HELPER_IPC_VA);
    uint64_t regs[2 + TSR_REG_COUNT] = {1, TSR_REG_COUNT};
    uint64_t *r = regs + 2;
    r[TSR_REG_X(0)] = chance(75) ? ipc_slot() : any_slot();
    r[TSR_REG_X(1)] = tsr_msginfo(rnd() & 0xff, chance(70) ? 0 : below(4), below(15)) |
                      (chance(70) ? 0 : rnd() & TSR_MSGINFO_PATHS);
    r[TSR_REG_TPIDR] = buffer ? HELPER_IPC_VA : 0;
    for (unsigned i = 2; i < 16; i++)
        r[i] = rnd();
    r[TSR_REG_X(16)] = chance(60) ? slot_of(TSR_OBJ_REPLY) : 0;
    r[TSR_REG_X(19)] = below(6);
    r[TSR_REG_PC] = (uint64_t)(uintptr_t)fuzz_helper;
    if (invoke(t, TSR_TCB_WRITE_REGISTERS, 2 + TSR_REG_COUNT, regs) == 0)
        fuzz.helpers++;
}

static uint64_t any_va(uint64_t vspace)
{
    if (vspace == S_VSPACE) /* only the window of the shared address space */
        return FUZZ_WINDOW + ((rnd() % FUZZ_WINDOW_SIZE) & ~0xfffull);
    unsigned r = below(10);
    return r < 6 ? (rnd() & 0x3fffff000ull) : r < 9 ? (rnd() & 0xffffffffff000ull) : rnd();
}

static void op_vm(void)
{
    uint64_t vspace = chance(60) ? S_VSPACE : chance(70) ? slot_of(TSR_OBJ_VSPACE) : any_slot();
    uint64_t frame = chance(70) ? slot_of(chance(80) ? TSR_OBJ_FRAME_4K : TSR_OBJ_FRAME_2M)
                                : any_slot();
    uint64_t table = chance(70) ? slot_of(TSR_OBJ_PAGE_TABLE) : any_slot(), cap = frame;
    switch (below(7)) {
    case 0:
    case 1:
        INV(cap, TSR_FRAME_MAP, vspace, any_va(vspace), below(16), chance(90) ? below(4) : rnd());
        break;
    case 2:
        INV0(cap, TSR_FRAME_UNMAP);
        break;
    case 3:
        INV0(cap, TSR_FRAME_GET_ADDRESS);
        break;
    case 4:
        INV(table, TSR_PAGE_TABLE_MAP, vspace, any_va(vspace));
        break;
    case 5:
        INV0(table, TSR_PAGE_TABLE_UNMAP);
        break;
    default:
        INV(chance(80) ? S_ASID_POOL : any_slot(), TSR_ASID_POOL_ASSIGN,
            chance(70) ? slot_of(TSR_OBJ_VSPACE) : any_slot());
        break;
    }
}

static void op_irq_queue(void)
{
    uint64_t irq = chance(50) ? S_IRQ : any_slot();
    uint64_t q = chance(70) ? slot_of(TSR_OBJ_MSG_QUEUE) : any_slot();
    uint64_t vspace = chance(60) ? S_VSPACE : any_slot();
    switch (below(8)) {
    case 0:
        INV0(irq, TSR_IRQ_HANDLER_ACK);
        break;
    case 1:
        INV(irq, TSR_IRQ_HANDLER_SET_NOTIFICATION,
            chance(50) ? S_IRQ_NTFN : slot_of(TSR_OBJ_NOTIFICATION));
        break;
    case 2:
        INV0(irq, TSR_IRQ_HANDLER_CLEAR);
        break;
    case 3:
        INV(q, TSR_MSG_QUEUE_MAP, vspace, any_va(vspace));
        break;
    case 4:
        INV0(q, TSR_MSG_QUEUE_UNMAP);
        break;
    case 5:
        /* Dequeue is a Call on a queue; as NBSend it enqueues: both fine. */
        INV0(q, TSR_MSG_QUEUE_DEQUEUE);
        break;
    case 6:
        INV(q, TSR_MSG_QUEUE_BIND_NOTIFICATION, slot_of(TSR_OBJ_NOTIFICATION));
        break;
    default:
        INV0(q, TSR_MSG_QUEUE_UNBIND_NOTIFICATION);
        break;
    }
}

/* A message, or a random method, sent to any capability. */
static void op_send(void)
{
    for (unsigned i = 0; i < 18; i++)
        call_regs[i] = rnd();
    call_regs[0] = chance(60) ? ipc_slot() : any_slot();
    unsigned caps = chance(75) ? 0 : below(4);
    uint64_t flags = chance(85) ? 0 : (rnd() & TSR_MSGINFO_PATHS);
    call_regs[1] = tsr_msginfo(chance(50) ? below(64) : rnd(), caps, below(20)) | flags;
    if (caps || flags)
        randomise_buffer(own_buffer());
    uint32_t doc = doc_errors(tsr_msginfo_label(call_regs[1]));
    issue(TSR_SYS_NB_SEND, flags ? ANY_DOCUMENTED : doc | INVOKE_COMMON | IPC_SEND);
}

static void op_recv(void)
{
    for (unsigned i = 0; i < 18; i++)
        call_regs[i] = 0;
    call_regs[0] = chance(70) ? ipc_slot() : any_slot();
    call_regs[16] = chance(40) ? 0 : slot_of(TSR_OBJ_REPLY);
    if (chance(30))
        randomise_buffer(own_buffer());
    issue(TSR_SYS_NB_RECV, IPC_RECV);
}

static void op_misc(void)
{
    for (unsigned i = 0; i < 18; i++)
        call_regs[i] = rnd();
    switch (below(7)) {
    case 0:
        issue(TSR_SYS_NULL, 0);
        break;
    case 1:
        issue(TSR_SYS_YIELD, 0); /* helpers at this priority run */
        break;
    case 2:
        /* Never a readable buffer: the console stays clean. */
        call_regs[0] = chance(50) ? 0xffff000000000000ull + (rnd() & 0xffffff) : rnd() & 0xfff;
        call_regs[1] = chance(50) ? 1 + below(256) : 257 + below(4096);
        issue(TSR_SYS_DEBUG_WRITE, ERR(TSR_E_RANGE) | ERR(TSR_E_BAD_ADDRESS));
        break;
    case 3:
        call_regs[0] = below(16);
        issue(TSR_SYS_DEBUG_COUNTER, ~0u); /* a count, not an error */
        break;
    case 4:
        if (issue(TSR_SYS_DEBUG_EXIT, ERR(TSR_E_ILLEGAL_OPERATION)) != TSR_E_ILLEGAL_OPERATION)
            fail("DebugExit from a thread other than the root's first", call_regs[0], 0);
        break;
    case 5:
        /* An unknown system call is a fault the supervisor answers. */
        issue(TSR_SYS_COUNT + below(16 - TSR_SYS_COUNT), ~0u);
        break;
    default:
        op_recv();
        break;
    }
}

void fuzz_worker(uint64_t arg)
{
    (void)arg;
    fuzz_rng = fuzz.seed ? fuzz.seed : 1;
    for (unsigned i = 0; i < HISTORY; i++)
        history[i].call = 0;
    for (unsigned t = 0; t < TSR_OBJ_TYPE_COUNT; t++)
        for (unsigned i = 0; i < RECENT; i++)
            recent[t][i] = 0;
    uint64_t next_check = fuzz.check_every;
    while (!fuzz.failed && fuzz.calls < fuzz.target) {
        unsigned r = below(100);
        if (r < 16)
            op_retype();
        else if (r < 32)
            op_cnode();
        else if (r < 42)
            op_delete_revoke();
        else if (r < 54)
            op_tcb();
        else if (r < 58)
            op_spawn_helper();
        else if (r < 70)
            op_vm();
        else if (r < 78)
            op_irq_queue();
        else if (r < 90)
            op_send();
        else
            op_misc();
        if (fuzz.calls >= next_check) {
            checkpoint();
            next_check = fuzz.calls + fuzz.check_every;
        }
    }
    if (!fuzz.failed)
        checkpoint();
    fuzz.done = 1;
}
