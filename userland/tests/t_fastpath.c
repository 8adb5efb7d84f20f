/* SPDX-License-Identifier: MIT */
/* The IPC fast path (kernel/ipc/fastpath.c, docs/ipc.md): Call and ReplyRecv
 * between two address spaces take it, carry every message length intact,
 * leave no register that carries no message holding anything but zero (on
 * the fast path and on the slow one), fall back to the slow path for each
 * condition that fails with the same result, and follow the scheduler's
 * priority rule. The kernel's debug counters (DebugCounter) say which path
 * each call took. */
#include "test.h"

#include "tsr/space.h"

/* Slots of the server's CNode (in its own address space). */
#define S_EP 2
#define S_REPLY 3
#define S_NTFN 4 /* bound to the server */
#define S_NTFN_SEND 5

/* What the server does with each request, by label. */
enum {
    ECHO = 1,          /* answer label+1, the same length, each word + 1 */
    ECHO_SHORT = 2,    /* answer with 3 words, and report registers 3..13 */
    YIELD_FIRST = 3,   /* yield before answering (others may queue) */
    SIGNAL_FIRST = 4,  /* signal the server's own bound notification first */
    ECHO_SHORT_SLOW = 5, /* as ECHO_SHORT, the answer naming a capability: slow path */
};

uint64_t test_svc_regs(uint64_t number, const uint64_t in[17], uint64_t out[19]);

static uint64_t count(enum tsr_counter id)
{
    return tsr_debug_counter(id);
}

/* Which message registers past the message length hold anything but zero:
 * bit i for MR i. */
static uint64_t stray_registers(const uint64_t out[19], unsigned len)
{
    uint64_t stray = 0;
    for (unsigned i = len; i < TSR_MSG_REG_WORDS; i++)
        if (out[2 + i])
            stray |= 1ull << i;
    return stray;
}

/* The server, in its own address space: receive with a reply object and
 * answer each request as its label says. With the registers it received
 * checked for strays on every receive (kept for ECHO_SHORT's answer). */
static void server(uint64_t arg)
{
    (void)arg;
    uint64_t in[17] = {0}, out[19];
    in[0] = S_EP;
    in[16] = S_REPLY;
    test_svc_regs(TSR_SYS_RECV, in, out);
    for (;;) {
        uint64_t label = tsr_msginfo_label(out[1]);
        unsigned len = tsr_msginfo_length(out[1]);
        uint64_t stray = tsr_msginfo_is_error(out[1]) ? ~0ull : stray_registers(out, len);
        for (unsigned i = 0; i < 17; i++)
            in[i] = 0;
        in[0] = S_EP;
        in[16] = S_REPLY;
        if (label == ECHO_SHORT || label == ECHO_SHORT_SLOW) {
            in[1] = tsr_msginfo(label + 1, label == ECHO_SHORT_SLOW, 3);
            in[2] = stray;
            in[3] = len;
            in[4] = out[0]; /* the badge */
            for (unsigned i = 5; i < 16; i++)
                in[i] = 0xbad0 + i; /* garbage past the answer */
        } else {
            if (label == YIELD_FIRST)
                tsr_yield();
            if (label == SIGNAL_FIRST)
                tsr_signal(S_NTFN_SEND);
            in[1] = tsr_msginfo(label + 1, 0, len);
            for (unsigned i = 0; i < len && i < TSR_MSG_REG_WORDS; i++)
                in[2 + i] = out[2 + i] + 1;
        }
        test_svc_regs(TSR_SYS_REPLY_RECV, in, out);
    }
}

/* The server in a second address space at `priority`, with an endpoint and
 * a reply object, already waiting in Recv when this returns. *ep gets the
 * endpoint (all rights), *tcb the server's thread. */
static bool start_server(struct tsr_space *s, tsr_cptr_t *ep, unsigned priority)
{
    *ep = t_new(TSR_OBJ_ENDPOINT, 0);
    tsr_cptr_t reply = t_new(TSR_OBJ_REPLY, 0);
    CHECK(*ep && reply);
    CHECK_OK(tsr_space_create(s, test_bootinfo, test_region, 4, t_slot, 0));
    CHECK_OK(tsr_space_give(s, S_EP, *ep, TSR_RIGHTS_ALL, 0));
    CHECK_OK(tsr_space_give(s, S_REPLY, reply, TSR_RIGHTS_ALL, 0));
    CHECK_OK(tsr_space_start(s, server, 0, priority));
    t_yield_to_lower(); /* it runs until it waits */
    return true;
}

/* One Call from the root task with len words (caps: 1 names a capability,
 * which the endpoint capability may not grant: the slow path). */
static bool echo_call(tsr_cptr_t ep, unsigned len, unsigned caps, uint64_t base)
{
    struct tsr_msg m = {.info = tsr_msginfo(ECHO, caps, len)};
    for (unsigned i = 0; i < len; i++)
        m.mr[i] = base + i;
    CHECK_OK(tsr_call(ep, &m));
    CHECK_EQ(tsr_msginfo_label(m.info), ECHO + 1);
    CHECK_EQ(tsr_msginfo_length(m.info), len);
    for (unsigned i = 0; i < len; i++)
        CHECK_EQ(m.mr[i], base + i + 1);
    return true;
}

static bool fast_every_length(void)
{
    struct tsr_space s;
    tsr_cptr_t ep;
    CHECK(start_server(&s, &ep, 100));
    uint64_t calls = count(TSR_COUNTER_FASTPATH_CALL);
    uint64_t replies = count(TSR_COUNTER_FASTPATH_REPLY_RECV);
    for (unsigned len = 0; len <= TSR_MSG_REG_WORDS; len++)
        CHECK(echo_call(ep, len, 0, 1000 * len));
    CHECK_EQ(count(TSR_COUNTER_FASTPATH_CALL) - calls, TSR_MSG_REG_WORDS + 1);
    CHECK_EQ(count(TSR_COUNTER_FASTPATH_REPLY_RECV) - replies, TSR_MSG_REG_WORDS + 1);
    return true;
}

/* A Call whose x2-x15 hold garbage past the message, answered with 3 words
 * after garbage in the server's registers past its answer: the server saw
 * zeros past the request, and the client sees zeros past the answer, and
 * nothing in x17/x18. */
static bool no_stray_registers_on(tsr_cptr_t ep, unsigned caps)
{
    for (unsigned len = 0; len <= 5; len++) {
        uint64_t in[17], out[19];
        for (unsigned i = 0; i < 17; i++)
            in[i] = 0x5eed0000 + i;
        in[0] = ep;
        in[1] = tsr_msginfo(caps ? ECHO_SHORT_SLOW : ECHO_SHORT, caps, len);
        test_svc_regs(TSR_SYS_CALL, in, out);
        CHECK_EQ(tsr_msginfo_is_error(out[1]), 0);
        CHECK_EQ(tsr_msginfo_length(out[1]), 3);
        CHECK_EQ(out[2], 0);   /* the server saw no stray registers */
        CHECK_EQ(out[3], len); /* and the length sent */
        CHECK_EQ(stray_registers(out, 3), 0);
        CHECK_EQ(out[17], 0);
        CHECK_EQ(out[18], 0);
        CHECK(out[16] == 0 || out[16] == in[16]); /* x16: never another thread's */
    }
    return true;
}

static bool no_stray_registers(void)
{
    struct tsr_space s;
    tsr_cptr_t ep;
    CHECK(start_server(&s, &ep, 100));
    uint64_t fast = count(TSR_COUNTER_FASTPATH_CALL), slow = count(TSR_COUNTER_SLOW_MESSAGE);
    CHECK(no_stray_registers_on(ep, 0));
    CHECK_EQ(count(TSR_COUNTER_FASTPATH_CALL) - fast, 6);
    /* Requests and answers naming a capability: the slow path both ways. */
    CHECK(no_stray_registers_on(ep, 1));
    CHECK_EQ(count(TSR_COUNTER_SLOW_MESSAGE) - slow, 12);
    return true;
}

/* A long message or one naming a capability takes the slow path: same
 * answer. */
static bool fallback_message(void)
{
    struct tsr_space s;
    tsr_cptr_t ep;
    CHECK(start_server(&s, &ep, 100));
    uint64_t before = count(TSR_COUNTER_SLOW_MESSAGE), fast = count(TSR_COUNTER_FASTPATH_CALL);
    CHECK(echo_call(ep, 8, 1, 77));
    /* 15 words: MR14 is in the IPC buffer; the server echoes what arrived in
     * registers, and the word in the buffer arrives too. */
    struct tsr_msg m = {.info = tsr_msginfo(ECHO, 0, 15)};
    tsr_ipc_buffer()->msg[14] = 4242;
    CHECK_OK(tsr_call(ep, &m));
    CHECK_EQ(tsr_msginfo_label(m.info), ECHO + 1);
    CHECK_EQ(count(TSR_COUNTER_SLOW_MESSAGE) - before, 2 + 1); /* +1: the server's 15-word answer */
    CHECK_EQ(count(TSR_COUNTER_FASTPATH_CALL) - fast, 0);
    return true;
}

/* A Call with nobody waiting queues (slow path); a receiver without a reply
 * object makes the Call fail as before (slow path). */
static void plain_receiver(uint64_t ep)
{
    struct tsr_msg m = {0};
    uint64_t badge;
    tsr_recv(ep, 0, &m, &badge);
}

/* Receives with a reply object and answers once (in the root task's space). */
static void answer_once(uint64_t arg)
{
    tsr_cptr_t ep = arg & 0xffffffff, reply = arg >> 32;
    struct tsr_msg m = {0};
    uint64_t badge;
    tsr_recv(ep, reply, &m, &badge);
    m.mr[0] += 1;
    m.info = tsr_msginfo(tsr_msginfo_label(m.info) + 1, 0, 1);
    tsr_send(reply, &m);
}

static bool fallback_no_receiver(void)
{
    tsr_cptr_t ep = t_new(TSR_OBJ_ENDPOINT, 0), reply = t_new(TSR_OBJ_REPLY, 0);
    CHECK(ep && reply);
    /* The receiver has not run yet: the Call queues, then it receives. */
    CHECK(t_thread(answer_once, ep | (reply << 32), 50, 0));
    uint64_t before = count(TSR_COUNTER_SLOW_NO_RECEIVER);
    struct tsr_msg m = {.info = tsr_msginfo(9, 0, 1), .mr = {30}};
    CHECK_OK(tsr_call(ep, &m));
    CHECK_EQ(tsr_msginfo_label(m.info), 10);
    CHECK_EQ(m.mr[0], 31);
    CHECK_EQ(count(TSR_COUNTER_SLOW_NO_RECEIVER) - before, 1);
    return true;
}

static bool fallback_reply_object(void)
{
    tsr_cptr_t ep = t_new(TSR_OBJ_ENDPOINT, 0);
    CHECK(t_thread(plain_receiver, ep, 50, 0));
    t_yield_to_lower(); /* it waits in Recv without a reply object */
    uint64_t before = count(TSR_COUNTER_SLOW_REPLY_OBJECT);
    struct tsr_msg c = {.info = tsr_msginfo(9, 0, 1), .mr = {1}};
    CHECK_EQ(tsr_call(ep, &c), TSR_E_ILLEGAL_OPERATION);
    CHECK_EQ(count(TSR_COUNTER_SLOW_REPLY_OBJECT) - before, 1);
    return true;
}

/* Priorities. A ready thread that outranks the server: the slow path queues
 * the server behind it, and that thread runs before the answer comes. With
 * nothing ready above it, a server at a lower priority than its caller gets
 * the CPU directly (the fast path), as the scheduler would give it. */
static volatile int order_log[4];
static volatile unsigned order_count;

static void middle_thread(uint64_t unused)
{
    (void)unused;
    order_log[order_count++ % 4] = 80;
}

static bool priority_policy(void)
{
    struct tsr_space s;
    tsr_cptr_t ep;
    CHECK(start_server(&s, &ep, 50));
    uint64_t fast = count(TSR_COUNTER_FASTPATH_CALL), slow = count(TSR_COUNTER_SLOW_PRIORITY);
    /* Nothing ready: straight to the lower-priority server. */
    CHECK(echo_call(ep, 4, 0, 10));
    CHECK_EQ(count(TSR_COUNTER_FASTPATH_CALL) - fast, 1);
    /* A ready thread at 80 outranks the server at 50. */
    order_count = 0;
    CHECK(t_thread(middle_thread, 0, 80, 0)); /* ready, not yet run */
    CHECK(echo_call(ep, 4, 0, 20));
    order_log[order_count++ % 4] = 255; /* we got the answer */
    CHECK_EQ(count(TSR_COUNTER_SLOW_PRIORITY) - slow, 1);
    CHECK_EQ(order_count, 2);
    CHECK_EQ(order_log[0], 80); /* the ready thread ran before the answer */
    CHECK_EQ(order_log[1], 255);
    return true;
}

/* ReplyRecv with a sender already queued: the slow path answers and takes
 * the queued message at once. */
static void queued_sender(uint64_t ep)
{
    struct tsr_msg m = {.info = tsr_msginfo(ECHO, 0, 1), .mr = {41}};
    tsr_call(ep, &m);
    order_log[0] = m.mr[0] == 42 ? 1 : -1;
}

static bool fallback_senders_waiting(void)
{
    struct tsr_space s;
    tsr_cptr_t ep;
    CHECK(start_server(&s, &ep, 100));
    order_log[0] = 0;
    /* The server yields before answering; this thread, at its priority,
     * then calls and queues behind our request. */
    CHECK(t_thread(queued_sender, ep, 100, 0));
    uint64_t before = count(TSR_COUNTER_SLOW_SENDERS_WAITING);
    struct tsr_msg m = {.info = tsr_msginfo(YIELD_FIRST, 0, 1), .mr = {1}};
    CHECK_OK(tsr_call(ep, &m));
    CHECK_EQ(tsr_msginfo_label(m.info), YIELD_FIRST + 1);
    CHECK_EQ(m.mr[0], 2);
    CHECK_EQ(count(TSR_COUNTER_SLOW_SENDERS_WAITING) - before, 1);
    t_yield_to_lower();
    CHECK_EQ(order_log[0], 1); /* the queued caller was answered too */
    return true;
}

/* ReplyRecv by a server whose bound notification is signalled: the slow path
 * answers, then the receive returns the signal. */
static bool fallback_notification(void)
{
    struct tsr_space s;
    tsr_cptr_t ep, n = t_new(TSR_OBJ_NOTIFICATION, 0);
    CHECK(n);
    CHECK(start_server(&s, &ep, 100));
    CHECK_OK(tsr_tcb_bind_notification(s.tcb, n));
    CHECK_OK(tsr_space_give(&s, S_NTFN_SEND, n, TSR_RIGHT_WRITE, 0x80));
    uint64_t before = count(TSR_COUNTER_SLOW_NOTIFICATION);
    struct tsr_msg m = {.info = tsr_msginfo(SIGNAL_FIRST, 0, 1), .mr = {7}};
    CHECK_OK(tsr_call(ep, &m));
    CHECK_EQ(m.mr[0], 8);
    CHECK_EQ(count(TSR_COUNTER_SLOW_NOTIFICATION) - before, 1);
    /* The server took the signal as a message (label 0) and answers nothing;
     * it is back in ReplyRecv: a Call still works. */
    CHECK(echo_call(ep, 1, 0, 3));
    return true;
}

/* A fault report answered with ReplyRecv: the slow path resumes the thread
 * where it stopped. */
static volatile int fault_resumed;
static void faulting_thread(uint64_t unused)
{
    (void)unused;
    __asm__ volatile("udf #0"); /* undefined instruction: a user exception */
    fault_resumed = 1;
}

static void fault_server(uint64_t ep)
{
    /* In the root task's address space: receive the fault, answer it by
     * resuming past the instruction, wait again. */
    tsr_cptr_t reply = ep >> 32;
    ep &= 0xffffffff;
    struct tsr_msg m = {0};
    uint64_t badge;
    tsr_recv(ep, reply, &m, &badge);
    for (;;) {
        uint64_t pc = m.mr[0];
        m.info = tsr_msginfo(TSR_FAULT_REPLY_SET_PC, 0, 1);
        m.mr[0] = pc + 4;
        tsr_reply_recv(ep, reply, &m, &badge);
    }
}

static bool fallback_fault_reply(void)
{
    tsr_cptr_t ep = t_new(TSR_OBJ_ENDPOINT, 0), reply = t_new(TSR_OBJ_REPLY, 0);
    CHECK(ep && reply);
    CHECK(t_thread(fault_server, ep | (reply << 32), 150, 0));
    t_yield_to_lower();
    uint64_t before = count(TSR_COUNTER_SLOW_FAULT_REPLY);
    fault_resumed = 0;
    CHECK(t_thread(faulting_thread, 0, 100, ep));
    t_yield_to_lower();
    CHECK_EQ(fault_resumed, 1);
    CHECK_EQ(count(TSR_COUNTER_SLOW_FAULT_REPLY) - before, 1);
    return true;
}

const struct test fastpath_tests[] = {
    {"FAST0001", "Call/ReplyRecv across address spaces: fast path, every length 0-14", fast_every_length},
    {"FAST0002", "no register past the message holds anything, fast path and slow", no_stray_registers},
    {"FAST0003", "long messages and capabilities fall back, same answers", fallback_message},
    {"FAST0004", "no receiver waiting: slow path, same outcome", fallback_no_receiver},
    {"FAST0005", "receiver without a reply object: slow path, ILLEGAL_OPERATION", fallback_reply_object},
    {"FAST0006", "priority rule: direct to a lower server unless a ready thread outranks it", priority_policy},
    {"FAST0007", "ReplyRecv with a sender queued: slow path takes it at once", fallback_senders_waiting},
    {"FAST0008", "ReplyRecv with its notification signalled: slow path", fallback_notification},
    {"FAST0009", "ReplyRecv answering a fault: slow path resumes the thread", fallback_fault_reply},
    {0, 0, 0},
};
