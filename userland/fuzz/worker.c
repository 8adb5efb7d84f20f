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
#define IPC_RECV                                                                                   \
    (ERR(TSR_E_INVALID_CAPABILITY) | ERR(TSR_E_LOOKUP_FAILED) | ERR(TSR_E_INSUFFICIENT_RIGHTS) |    \
     ERR(TSR_E_WOULD_BLOCK) | ERR(TSR_E_ILLEGAL_OPERATION) | ERR(TSR_E_CANCELLED))
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
static unsigned any_depth(void)
{
    return chance(92) ? DEPTH : below(70);
}

static void fail(const char *what, uint64_t a, uint64_t b)
{
    printf("FUZZ FAILURE seed 0x%lx call %lu: %s (0x%lx, 0x%lx)\n", (unsigned long)fuzz.seed,
           (unsigned long)fuzz.calls, what, (unsigned long)a, (unsigned long)b);
    fuzz.failed = 1;
}

/* Make system call `number` with R[0..16]; check the preserved registers
 * and that the error (if any) is in `allowed`. Returns the error. */
static unsigned issue(unsigned number, uint32_t allowed)
{
    uint64_t label_in = tsr_msginfo_label(R[1]), x0_in = R[0];
    fuzz.calls++;
    if (fuzz.trace_from && fuzz.calls >= fuzz.trace_from)
        printf("# call %lu: svc %u x0 0x%lx x1 0x%lx x2 0x%lx x3 0x%lx x4 0x%lx\n",
               (unsigned long)fuzz.calls, number, (unsigned long)R[0], (unsigned long)R[1],
               (unsigned long)R[2], (unsigned long)R[3], (unsigned long)R[4]);
    if (fuzz_svc(R, number))
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
    return err;
}

/* Invoke `cap` with method `label` and n argument words (NBSend: never
 * blocks, whatever the capability turns out to be). */
static unsigned invoke(uint64_t cap, uint64_t label, unsigned n, const uint64_t *args)
{
    struct tsr_ipc_buffer *buf;
    __asm__ volatile("mrs %0, tpidr_el0" : "=r"(buf));
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
    uint64_t node = chance(90) ? S_CNODE : any_slot();
    INV(untyped_slot(), TSR_UNTYPED_RETYPE, type, bits, S_CNODE, node, any_depth(), fuzz_slot(),
        count);
}

static uint64_t any_badge(void)
{
    unsigned r = below(4);
    return r == 0 ? 0 : r == 1 ? TSR_CNODE_GUARD(below(60), 0) : r == 2 ? 1 + below(7) : rnd();
}

static void op_cnode(void)
{
    uint64_t node = chance(90) ? S_CNODE : any_slot();
    uint64_t dst = fuzz_slot(), src = any_slot();
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
    uint64_t t = any_slot();
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
        INV(t, TSR_TCB_READ_REGISTERS, below(40));
        break;
    case 4: {
        /* Registers past the message words come from the IPC buffer:
         * whatever an earlier call left there. */
        uint64_t args[14] = {below(2), below(40)};
        for (unsigned i = 2; i < 14; i++)
            args[i] = rnd();
        invoke(t, TSR_TCB_WRITE_REGISTERS, chance(80) ? 2 + below(13) : below(40), args);
        break;
    }
    case 5:
        INV0(t, TSR_TCB_RESUME);
        break;
    case 6:
        INV0(t, TSR_TCB_SUSPEND);
        break;
    case 7:
        INV(t, TSR_TCB_BIND_NOTIFICATION, any_slot());
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
    if (chance(70))
        INV(untyped_slot(), TSR_UNTYPED_RETYPE, TSR_OBJ_TCB, 0, S_CNODE, S_CNODE, DEPTH, t, 1);
    INV(t, TSR_TCB_CONFIGURE, chance(70) ? 0 : any_slot(), S_CNODE, S_VSPACE, 0, 0);
    INV(t, TSR_TCB_SET_PRIORITY, S_AUTHORITY, WORKER_PRIORITY);
    uint64_t regs[2 + TSR_REG_COUNT] = {1, TSR_REG_COUNT};
    uint64_t *r = regs + 2;
    r[TSR_REG_X(0)] = any_slot();
    r[TSR_REG_X(1)] = tsr_msginfo(rnd() & 0xff, chance(80) ? 0 : below(4), below(15));
    for (unsigned i = 2; i < 16; i++)
        r[i] = rnd();
    r[TSR_REG_X(16)] = chance(50) ? any_slot() : 0;
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
    uint64_t cap = any_slot(), vspace = chance(60) ? S_VSPACE : any_slot();
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
        INV(cap, TSR_PAGE_TABLE_MAP, vspace, any_va(vspace));
        break;
    case 5:
        INV0(cap, TSR_PAGE_TABLE_UNMAP);
        break;
    default:
        INV(chance(80) ? S_ASID_POOL : any_slot(), TSR_ASID_POOL_ASSIGN, any_slot());
        break;
    }
}

static void op_irq_queue(void)
{
    uint64_t irq = chance(50) ? S_IRQ : any_slot(), q = any_slot();
    uint64_t vspace = chance(60) ? S_VSPACE : any_slot();
    switch (below(8)) {
    case 0:
        INV0(irq, TSR_IRQ_HANDLER_ACK);
        break;
    case 1:
        INV(irq, TSR_IRQ_HANDLER_SET_NOTIFICATION, chance(50) ? S_IRQ_NTFN : any_slot());
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
        INV(q, TSR_MSG_QUEUE_BIND_NOTIFICATION, any_slot());
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
    R[0] = any_slot();
    unsigned caps = chance(85) ? 0 : below(4);
    uint64_t flags = chance(95) ? 0 : (rnd() & TSR_MSGINFO_PATHS);
    R[1] = tsr_msginfo(chance(50) ? below(64) : rnd(), caps, below(20)) | flags;
    struct tsr_ipc_buffer *buf;
    __asm__ volatile("mrs %0, tpidr_el0" : "=r"(buf));
    for (unsigned i = 0; i < caps; i++)
        buf->caps[i] = any_slot();
    uint64_t label = tsr_msginfo_label(R[1]);
    uint32_t doc = label <= TSR_METHOD_LABEL_MAX ? fuzz_doc_errors[label] : 0;
    issue(TSR_SYS_NB_SEND, flags ? ANY_DOCUMENTED : doc | INVOKE_COMMON | IPC_SEND);
}

static void op_recv(void)
{
    for (unsigned i = 0; i < 18; i++)
        R[i] = 0;
    R[0] = any_slot();
    R[16] = chance(50) ? 0 : any_slot();
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
}

void fuzz_worker(uint64_t arg)
{
    (void)arg;
    rng = fuzz.seed ? fuzz.seed : 1;
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
