/* SPDX-License-Identifier: MIT */
/* The fuzzer's worker: seeded random system calls and invocations over
 * every object type, made inside the sandbox CSpace (fuzz.h), biased
 * toward arguments that name real objects so that calls get past their
 * first check. Every call goes through fuzz_svc, which checks that the
 * registers the ABI preserves survive; every error returned must be one
 * docs/syscalls.md documents for that call (fuzz_doc_errors.h is generated
 * from it). Every fuzz.check_every calls the worker runs the kernel's
 * invariant checker (DebugCheck) and its own oracles: a frame unmapped or
 * deleted is no longer readable (stale TLB entries), a new frame reads zero,
 * and a real device interrupt (the PL031 RTC) is raised. It stops at the
 * first failure with a message; the supervisor (main.c) reports the seed
 * and the call. */
#include <stdbool.h>
#include <stdint.h>

#include <tessera/errors.h>
#include <tessera/ipc.h>
#include <tessera/objects.h>
#include <tessera/syscalls.h>

#include "fuzz.h"
#include "fuzz_doc_errors.h"
#include "tsr/stdio.h"

#define DEPTH 64
#define ERR(e) (1u << (e))
/* Errors any invocation may give: a short message, a method the object
 * does not have, an unusable or unresolvable capability (docs/syscalls.md,
 * "Object invocations"). */
#define INVOKE_COMMON                                                                              \
    (ERR(TSR_E_TRUNCATED) | ERR(TSR_E_ILLEGAL_OPERATION) | ERR(TSR_E_INVALID_CAPABILITY) |          \
     ERR(TSR_E_LOOKUP_FAILED))
/* Errors of Send and NBSend on an endpoint, notification, message queue or
 * reply object ("Errors common to the IPC calls", MsgQueue, Reply). */
#define IPC_SEND                                                                                   \
    (ERR(TSR_E_INVALID_CAPABILITY) | ERR(TSR_E_LOOKUP_FAILED) | ERR(TSR_E_INSUFFICIENT_RIGHTS) |    \
     ERR(TSR_E_WOULD_BLOCK) | ERR(TSR_E_ILLEGAL_OPERATION) | ERR(TSR_E_CANCELLED) |                \
     ERR(TSR_E_QUEUE_FULL) | ERR(TSR_E_INVALID_ARGUMENT))
/* ... and of receiving: a long message into an unusable receive buffer is
 * the receiver's BAD_ADDRESS ("Long messages"). */
#define IPC_RECV                                                                                   \
    (ERR(TSR_E_INVALID_CAPABILITY) | ERR(TSR_E_LOOKUP_FAILED) | ERR(TSR_E_INSUFFICIENT_RIGHTS) |    \
     ERR(TSR_E_WOULD_BLOCK) | ERR(TSR_E_ILLEGAL_OPERATION) | ERR(TSR_E_CANCELLED) |                \
     ERR(TSR_E_BAD_ADDRESS))
/* A message with long, move or share bits may fail in any documented way. */
#define ANY_DOCUMENTED ((1u << TSR_E_PREEMPTED) - 1)

static uint64_t R[18];
static uint64_t rng;

static uint64_t rnd(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 0x2545f4914f6cdd1dull;
}
static unsigned below(unsigned n)
{
    return (unsigned)(rnd() % n);
}
static bool chance(unsigned percent)
{
    return below(100) < percent;
}

/* A slot the random operations may fill, empty or move. */
static uint64_t fuzz_slot(void)
{
    return FUZZ_FIRST + below(SANDBOX_SLOTS - FUZZ_FIRST);
}
/* Any capability to use as an operand: mostly the fuzz slots, sometimes
 * what the supervisor gave, now and then garbage. */
static uint64_t any_slot(void)
{
    unsigned r = below(100);
    if (r < 80)
        return fuzz_slot();
    if (r < 97)
        return below(FUZZ_FIRST);
    return rnd();
}
/* Slots where the worker recently made an object of each type (its own
 * record, which deletes and moves make stale: a stale hint is just
 * another wrong capability). Operands drawn from it name the right kind of
 * object far more often, so calls get past their type checks. */
#define RECENT 4
static uint64_t recent[TSR_OBJ_TYPE_COUNT][RECENT];

static void remember(uint64_t type, uint64_t slot)
{
    if (type < TSR_OBJ_TYPE_COUNT)
        recent[type][below(RECENT)] = slot;
}
static uint64_t slot_of(unsigned type)
{
    uint64_t s = recent[type][below(RECENT)];
    return s ? s : any_slot();
}
/* An object IPC goes through: endpoint (most often), notification, queue. */
static uint64_t ipc_slot(void)
{
    unsigned r = below(10);
    return slot_of(r < 6 ? TSR_OBJ_ENDPOINT : r < 8 ? TSR_OBJ_NOTIFICATION : TSR_OBJ_MSG_QUEUE);
}

static unsigned any_depth(void)
{
    return chance(92) ? DEPTH : below(70);
}

/* The last calls, kept in memory so that keeping them costs the same in a
 * test and in its replay (printing as it goes would shift every timer
 * interrupt after the first line and so change what the helpers do). */
#define HISTORY 32
static struct {
    uint64_t call, number, in[5], out0, out1;
} history[HISTORY];

static void print_history(void)
{
    printf("# the last %u calls (number: svc, x0-x4 in -> x0, x1 out):\n", HISTORY);
    for (unsigned i = 0; i < HISTORY; i++) {
        unsigned k = (unsigned)((fuzz.calls + 1 + i) % HISTORY);
        if (!history[k].call)
            continue;
        printf("#  %lu: svc %lu 0x%lx 0x%lx 0x%lx 0x%lx 0x%lx -> 0x%lx 0x%lx\n",
               (unsigned long)history[k].call, (unsigned long)history[k].number,
               (unsigned long)history[k].in[0], (unsigned long)history[k].in[1],
               (unsigned long)history[k].in[2], (unsigned long)history[k].in[3],
               (unsigned long)history[k].in[4], (unsigned long)history[k].out0,
               (unsigned long)history[k].out1);
    }
}

static void fail(const char *what, uint64_t a, uint64_t b)
{
    printf("FUZZ FAILURE seed 0x%lx call %lu: %s (0x%lx, 0x%lx)\n", (unsigned long)fuzz.seed,
           (unsigned long)fuzz.calls, what, (unsigned long)a, (unsigned long)b);
    print_history();
    fuzz.failed = 1;
}

static struct tsr_ipc_buffer *own_buffer(void)
{
    struct tsr_ipc_buffer *buf;
    __asm__ volatile("mrs %0, tpidr_el0" : "=r"(buf));
    return buf;
}

/* Make system call `number` with R[0..16]; check the preserved registers
 * and that the error (if any) is in `allowed`. Returns the error. */
static unsigned issue(unsigned number, uint32_t allowed)
{
    uint64_t label_in = tsr_msginfo_label(R[1]), x0_in = R[0];
    fuzz.calls++;
    unsigned h = (unsigned)(fuzz.calls % HISTORY);
    history[h].call = fuzz.calls;
    history[h].number = number;
    for (unsigned i = 0; i < 5; i++)
        history[h].in[i] = R[i];
    bool preserved = fuzz_svc(R, number) == 0;
    history[h].out0 = R[0];
    history[h].out1 = R[1];
    if (fuzz.trace_from && fuzz.calls == fuzz.trace_from)
        print_history();
    if (!preserved)
        fail("a register the ABI preserves changed", number, label_in);
    if (allowed == ~0u)
        return 0; /* x0 is a count, or the call was a fault */
    unsigned err;
    if (number == TSR_SYS_NB_SEND || number == TSR_SYS_NB_RECV)
        err = tsr_msginfo_is_error(R[1]) ? (unsigned)tsr_msginfo_label(R[1]) : 0;
    else
        err = (unsigned)R[0];
    if (err >= 64 || (err && !(allowed & ERR(err))))
        fail(err == TSR_E_PREEMPTED ? "TSR_E_PREEMPTED reached user space"
                                    : "an error docs/syscalls.md does not list for the call",
             err, number == TSR_SYS_NB_SEND ? label_in : x0_in);
    else if (err)
        fuzz.errors_seen |= 1ull << err;
    else
        fuzz.succeeded++;
    if (!err && (number == TSR_SYS_NB_SEND || number == TSR_SYS_NB_RECV)) {
        struct tsr_ipc_buffer *b = own_buffer();
        if (number == TSR_SYS_NB_RECV)
            fuzz.caps_received += tsr_msginfo_caps(R[1]);
        if ((R[1] & TSR_MSGINFO_LONG) || b->long_sent || b->long_received)
            fuzz.long_copies += (b->long_sent | b->long_received) != 0;
        b->long_sent = b->long_received = 0;
    }
    return err;
}

/* Invoke `cap` with method `label` and n argument words (NBSend: never
 * blocks, whatever the capability turns out to be). */
static unsigned invoke(uint64_t cap, uint64_t label, unsigned n, const uint64_t *args)
{
    struct tsr_ipc_buffer *buf = own_buffer();
    for (unsigned i = 0; i < 18; i++)
        R[i] = 0;
    R[0] = cap;
    R[1] = tsr_msginfo(label, 0, n);
    for (unsigned i = 0; i < n; i++) {
        if (i < TSR_MSG_REG_WORDS)
            R[2 + i] = args[i];
        else
            buf->msg[i] = args[i];
    }
    uint32_t doc = label <= TSR_METHOD_LABEL_MAX ? fuzz_doc_errors[label] : 0;
    return issue(TSR_SYS_NB_SEND, doc | INVOKE_COMMON | IPC_SEND);
}
#define INV(cap, label, ...)                                                                       \
    ({                                                                                             \
        const uint64_t a_[] = {__VA_ARGS__};                                                       \
        invoke(cap, label, sizeof a_ / sizeof a_[0], a_);                                          \
    })
#define INV0(cap, label) invoke(cap, label, 0, 0)

/* ---- the random operations ------------------------------------------------- */

static uint64_t window_va(void)
{
    return FUZZ_WINDOW + (rnd() % FUZZ_WINDOW_SIZE);
}

/* Fill an IPC buffer's transfer fields (the worker's own, or the one its
 * helpers share) so that messages carry capabilities, long payloads and
 * pages, and receives accept them: into sandbox slots, at addresses in the
 * window (mapped or not). */
static void randomise_buffer(struct tsr_ipc_buffer *b)
{
    for (unsigned i = 0; i < TSR_MSG_MAX_CAPS; i++) {
        b->caps[i] = chance(40) ? slot_of(TSR_OBJ_FRAME_4K) : any_slot();
        b->cap_info[i] = chance(30) ? TSR_CAP_INFO_RESTRICT | (rnd() & 0xf00) : 0;
    }
    b->receive_cnode = chance(90) ? S_CNODE : any_slot();
    b->receive_index = fuzz_slot();
    b->receive_depth = chance(85) ? DEPTH : below(70);
    b->send_buffer = chance(90) ? window_va() : rnd();
    b->send_length = chance(90) ? below(3 * 4096) : rnd();
    b->receive_buffer = chance(90) ? window_va() : rnd();
    b->receive_length = chance(90) ? below(3 * 4096) : rnd();
    b->receive_window = chance(90) ? window_va() & ~0xfffull : rnd();
    b->receive_window_size = chance(90) ? (uint64_t)below(64) << 12 : rnd();
}


static const uint8_t retype_types[] = {
    TSR_OBJ_ENDPOINT, TSR_OBJ_NOTIFICATION, TSR_OBJ_TCB,        TSR_OBJ_REPLY,
    TSR_OBJ_FRAME_4K, TSR_OBJ_PAGE_TABLE,   TSR_OBJ_CNODE,      TSR_OBJ_UNTYPED,
    TSR_OBJ_VSPACE,   TSR_OBJ_MSG_QUEUE,    TSR_OBJ_FRAME_2M,   TSR_OBJ_ENDPOINT,
};

static uint64_t untyped_slot(void)
{
    unsigned r = below(10);
    return r < 7 ? S_UNTYPED + below(SANDBOX_UNTYPEDS) : r < 8 ? S_UNTYPED_2M : any_slot();
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
        R[i] = rnd();
    R[0] = chance(60) ? ipc_slot() : any_slot();
    unsigned caps = chance(75) ? 0 : below(4);
    uint64_t flags = chance(85) ? 0 : (rnd() & TSR_MSGINFO_PATHS);
    R[1] = tsr_msginfo(chance(50) ? below(64) : rnd(), caps, below(20)) | flags;
    if (caps || flags)
        randomise_buffer(own_buffer());
    uint64_t label = tsr_msginfo_label(R[1]);
    uint32_t doc = label <= TSR_METHOD_LABEL_MAX ? fuzz_doc_errors[label] : 0;
    issue(TSR_SYS_NB_SEND, flags ? ANY_DOCUMENTED : doc | INVOKE_COMMON | IPC_SEND);
}

static void op_recv(void)
{
    for (unsigned i = 0; i < 18; i++)
        R[i] = 0;
    R[0] = chance(70) ? ipc_slot() : any_slot();
    R[16] = chance(40) ? 0 : slot_of(TSR_OBJ_REPLY);
    if (chance(30))
        randomise_buffer(own_buffer());
    issue(TSR_SYS_NB_RECV, IPC_RECV);
}

static void op_misc(void)
{
    for (unsigned i = 0; i < 18; i++)
        R[i] = rnd();
    switch (below(7)) {
    case 0:
        issue(TSR_SYS_NULL, 0);
        break;
    case 1:
        issue(TSR_SYS_YIELD, 0); /* helpers at this priority run */
        break;
    case 2:
        /* Never a readable buffer: the console stays clean. */
        R[0] = chance(50) ? 0xffff000000000000ull + (rnd() & 0xffffff) : rnd() & 0xfff;
        R[1] = chance(50) ? 1 + below(256) : 257 + below(4096);
        issue(TSR_SYS_DEBUG_WRITE, ERR(TSR_E_RANGE) | ERR(TSR_E_BAD_ADDRESS));
        break;
    case 3:
        R[0] = below(16);
        issue(TSR_SYS_DEBUG_COUNTER, ~0u); /* a count, not an error */
        break;
    case 4:
        if (issue(TSR_SYS_DEBUG_EXIT, ERR(TSR_E_ILLEGAL_OPERATION)) != TSR_E_ILLEGAL_OPERATION)
            fail("DebugExit from a thread other than the root's first", R[0], 0);
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

/* ---- the oracles ------------------------------------------------------------ */

static bool unreadable(uint64_t va)
{
    fuzz.probe_va = va;
    int faulted = fuzz_probe_read(va);
    fuzz.probe_va = 0;
    return faulted;
}

/* A frame made from one of the sandbox's untypeds (whose memory earlier
 * objects, freed by revokes, used) reads zero; once unmapped or deleted it
 * is unreadable at once, though the reads just filled the TLB. */
static void probe_frames(void)
{
    uint64_t ut = S_UNTYPED + below(SANDBOX_UNTYPEDS);
    if (INV(ut, TSR_UNTYPED_RETYPE, TSR_OBJ_FRAME_4K, 0, S_CNODE, S_CNODE, DEPTH, S_PROBE, 1))
        return; /* full, or the slot is taken: the next probe tries again */
    if (INV(S_PROBE, TSR_FRAME_MAP, S_VSPACE, PROBE_VA, TSR_RIGHT_READ | TSR_RIGHT_WRITE, 0)) {
        fail("a new frame cannot be mapped at the probe address", 0, 0);
        return;
    }
    volatile uint64_t *p = (volatile uint64_t *)PROBE_VA;
    for (unsigned i = 0; i < 512; i++)
        if (p[i]) {
            fail("a new frame does not read zero", i, p[i]);
            return;
        }
    fuzz.probes_zero++;
    for (unsigned i = 0; i < 512; i++)
        p[i] = ~(uint64_t)i;
    bool by_delete = chance(50);
    if (by_delete ? INV(S_CNODE, TSR_CNODE_DELETE, S_PROBE, DEPTH) : INV0(S_PROBE, TSR_FRAME_UNMAP))
        fail("the probe frame cannot be unmapped", by_delete, 0);
    if (!unreadable(PROBE_VA))
        fail(by_delete ? "a deleted frame is still readable" : "an unmapped frame is still readable",
             PROBE_VA, 0);
    fuzz.probes_unmap++;
    INV(S_CNODE, TSR_CNODE_DELETE, S_PROBE, DEPTH);
}

/* The PL031 raises its interrupt when its match register equals its count;
 * the kernel must deliver it (to whatever notification the line is bound
 * to now) or mask it, never hang. */
static void raise_interrupt(void)
{
    volatile uint32_t *rtc = (volatile uint32_t *)RTC_VA;
    rtc[0x10 / 4] = 1;         /* IMSC: enable */
    rtc[0x04 / 4] = rtc[0];    /* MR = DR: fires at once */
    issue(TSR_SYS_YIELD, 0);   /* the interrupt is taken */
    rtc[0x1c / 4] = 1;         /* ICR: clear */
    INV0(S_IRQ, TSR_IRQ_HANDLER_ACK);
    fuzz.interrupts++;
}

/* One of the sandbox's untypeds (full ones just fail the retype). */
static uint64_t ut_with_room(void)
{
    return S_UNTYPED + below(SANDBOX_UNTYPEDS);
}

/* A scripted IPC: a new helper sends (or calls) on a new endpoint with
 * capabilities, a long payload, or frames to move or share, and the worker
 * takes it with NBRecv into its sandbox and its windows, so the transfer
 * paths run every checkpoint whatever the random calls did. */
static void scenario_ipc(void)
{
    uint64_t ep = S_SCENARIO_EP, tcb = S_SCENARIO_TCB;
    /* The last scenario's pair goes first (its helper may still wait). */
    INV(S_CNODE, TSR_CNODE_DELETE, ep, DEPTH);
    INV(S_CNODE, TSR_CNODE_DELETE, tcb, DEPTH);
    unsigned made = 0;
    for (unsigned i = 0; i < SANDBOX_UNTYPEDS && made < 2; i++) {
        uint64_t ut = S_UNTYPED + i;
        if (!made && INV(ut, TSR_UNTYPED_RETYPE, TSR_OBJ_ENDPOINT, 0, S_CNODE, S_CNODE, DEPTH, ep,
                         1) == 0)
            made = 1;
        if (made == 1 &&
            INV(ut, TSR_UNTYPED_RETYPE, TSR_OBJ_TCB, 0, S_CNODE, S_CNODE, DEPTH, tcb, 1) == 0)
            made = 2;
    }
    if (made < 2)
        return; /* every untyped full: the random revokes will make room */
    remember(TSR_OBJ_ENDPOINT, ep);
    remember(TSR_OBJ_TCB, tcb);
    struct tsr_ipc_buffer *hb = (struct tsr_ipc_buffer *)HELPER_IPC_VA;
    randomise_buffer(hb);
    hb->send_buffer = HELPER_IPC_VA; /* mapped: the copy goes through */
    hb->send_length = below(TSR_PAGE_SIZE);
    uint64_t regs[2 + TSR_REG_COUNT] = {1, TSR_REG_COUNT};
    uint64_t *r = regs + 2;
    unsigned kind = below(4); /* capabilities, long, move, share */
    r[TSR_REG_X(0)] = ep;
    r[TSR_REG_X(1)] = tsr_msginfo(below(64), kind != 1 ? 1 + below(3) : 0, below(15)) |
                      (kind == 1   ? TSR_MSGINFO_LONG
                       : kind == 2 ? TSR_MSGINFO_MOVE
                       : kind == 3 ? TSR_MSGINFO_SHARE
                                   : 0);
    r[TSR_REG_X(19)] = below(2); /* Send or Call */
    if (kind == 0) { /* capabilities of three kinds, one of them the endpoint itself */
        hb->caps[0] = S_IRQ_NTFN;
        hb->caps[1] = ep;
        hb->caps[2] = slot_of(below(TSR_OBJ_TYPE_COUNT));
    } else if (kind >= 2) { /* a frame of its own, mapped where it sends from */
        INV(S_CNODE, TSR_CNODE_DELETE, S_PROBE, DEPTH);
        if (INV(ut_with_room(), TSR_UNTYPED_RETYPE, TSR_OBJ_FRAME_4K, 0, S_CNODE, S_CNODE, DEPTH,
                S_PROBE, 1) == 0)
            INV(S_PROBE, TSR_FRAME_MAP, S_VSPACE, PROBE_VA, TSR_RIGHT_READ | TSR_RIGHT_WRITE, 0);
        hb->caps[0] = S_PROBE;
        r[TSR_REG_X(1)] = (r[TSR_REG_X(1)] & ~(7ull << TSR_MSGINFO_CAPS_SHIFT)) |
                          (1ull << TSR_MSGINFO_CAPS_SHIFT);
    }
    r[TSR_REG_PC] = (uint64_t)(uintptr_t)fuzz_helper;
    r[TSR_REG_TPIDR] = HELPER_IPC_VA;
    if (INV(tcb, TSR_TCB_CONFIGURE, 0, S_CNODE, S_VSPACE, HELPER_IPC_VA, S_HELPER_IPC) ||
        INV(tcb, TSR_TCB_SET_PRIORITY, S_AUTHORITY, WORKER_PRIORITY) ||
        invoke(tcb, TSR_TCB_WRITE_REGISTERS, 2 + TSR_REG_COUNT, regs))
        return;
    fuzz.helpers++;
    issue(TSR_SYS_YIELD, 0); /* it runs into its Send */
    struct tsr_ipc_buffer *b = own_buffer();
    randomise_buffer(b);
    b->receive_cnode = S_CNODE;
    b->receive_depth = DEPTH;
    b->receive_index = FUZZ_FIRST + below(SANDBOX_SLOTS - FUZZ_FIRST - 3);
    for (unsigned i = 0; i < 3; i++) /* room for what arrives */
        INV(S_CNODE, TSR_CNODE_DELETE, b->receive_index + i, DEPTH);
    b->receive_buffer = SCRATCH_VA;
    b->receive_length = TSR_PAGE_SIZE;
    b->receive_window = FUZZ_WINDOW + ((uint64_t)below(FUZZ_WINDOW_SIZE >> 16) << 16);
    b->receive_window_size = 0x10000;
    for (unsigned i = 0; i < 18; i++)
        R[i] = 0;
    R[0] = ep;
    R[16] = chance(60) ? slot_of(TSR_OBJ_REPLY) : 0;
    if (issue(TSR_SYS_NB_RECV, IPC_RECV) == 0)
        fuzz.scripted_ipc++;
    INV(S_CNODE, TSR_CNODE_DELETE, S_PROBE, DEPTH); /* the probe needs its slot */
}

static void checkpoint(void)
{
    uint64_t caps;
    for (unsigned i = 0; i < 18; i++)
        R[i] = 0;
    fuzz_svc(R, TSR_SYS_DEBUG_CHECK);
    fuzz.calls++;
    fuzz.checks++;
    caps = R[1];
    if (R[0] || caps == 0)
        fail(R[0] ? "the kernel's invariant checker found a broken invariant"
                  : "the invariant checker did not run",
             R[0], caps);
    probe_frames();
    raise_interrupt();
    scenario_ipc();
}

void fuzz_worker(uint64_t arg)
{
    (void)arg;
    rng = fuzz.seed ? fuzz.seed : 1;
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
