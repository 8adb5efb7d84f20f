/* SPDX-License-Identifier: MIT */
/* The IPC fast path: Call and ReplyRecv in the common case, a message of at
 * most 14 words in registers and no capabilities, between two threads that
 * switch directly to each other without going through the ready queues. Each
 * function checks every condition first (the list is in docs/ipc.md) and
 * returns false, having changed nothing, as soon as one fails: the slow path
 * then handles the call, with the same outcome. The system-call code has
 * looked the capabilities up and checked their types and rights already.
 * On success the caller's registers are saved (the lean system-call entry,
 * vectors.S), the other thread is current with its badge and message info
 * in its saved context, and the exit code gives it the message registers
 * straight from the caller's saved context (svc_exit_message): the words
 * are not copied context to context. */
#include <stdbool.h>
#include <stdint.h>

#include <tessera/ipc.h>
#include <tessera/syscalls.h>

#include "core/sched.h"
#include "core/syscall.h"
#include "ipc/ipc.h"

#ifdef TESSERA_DEBUG
uint64_t ipc_counters[TSR_COUNTER_COUNT];
#endif

/* The message info word the fast path carries: at most TSR_MSG_REG_WORDS
 * words, no capabilities and no long or page part (the error bit, which
 * only the kernel sets, is ignored as the slow path ignores it). */
static bool fast_message(tsr_msginfo_t mi)
{
    /* No capabilities (bits 7-9), no long or page path (bits 10-12). */
    const uint64_t caps_and_paths = (7ull << TSR_MSGINFO_CAPS_SHIFT) | TSR_MSGINFO_PATHS;
    return tsr_msginfo_length(mi) <= TSR_MSG_REG_WORDS && (mi & caps_and_paths) == 0;
}

/* Both entries are inlined into the system-call code (with link-time
 * optimisation): a call and a second prologue would cost about ten
 * instructions a round trip, and the compiler's own choice changes with
 * the size of the code around. */
__attribute__((always_inline)) bool fastpath_call(struct tcb *caller, const struct cap *cap)
{
    /* 1. A short message without capabilities. */
    tsr_msginfo_t mi = tcb_arg(caller, TSR_ARG_MSGINFO);
    if (!fast_message(mi))
        return ipc_count_false(TSR_COUNTER_SLOW_MESSAGE);
    /* 2. (The caller checked: an endpoint capability with WRITE.) A
     *    receiver waiting on it. */
    struct endpoint *ep = endpoint_from_pa(cap->object);
    if (ep->state != ENDPOINT_RECEIVING)
        return ipc_count_false(TSR_COUNTER_SLOW_NO_RECEIVER);
    struct tcb *r = ep->queue.head;
    /* 3. ... which offered a reply object nobody else is waiting on. */
    paddr_t reply_pa = r->recv_reply;
    if (!reply_pa || reply_from_pa(reply_pa)->caller)
        return ipc_count_false(TSR_COUNTER_SLOW_REPLY_OBJECT);
    /* 4. ... and that the scheduler would run now: no ready thread outranks it. */
    if (!sched_may_switch_to(r))
        return ipc_count_false(TSR_COUNTER_SLOW_PRIORITY);

    /* Everything holds: nothing below can fail. */
    endpoint_take_receiver(ep, r); /* which leaves the reply object without a receiver */
    reply_wait(reply_from_pa(reply_pa), reply_pa, caller,
               (cap->rights & TSR_RIGHT_GRANT_REPLY) != 0);
    unsigned len = tsr_msginfo_length(mi);
    tcb_set_arg(r, TSR_ARG_BADGE, cap_badge(cap));
    tcb_set_arg(r, TSR_ARG_MSGINFO, tsr_msginfo(tsr_msginfo_label(mi), 0, len));
    svc_exit_message = len; /* the words go register to register on the way out */
    sched_switch_to(r);
    ipc_count(TSR_COUNTER_FASTPATH_CALL);
    return true;
}

__attribute__((always_inline)) bool fastpath_reply_recv(struct tcb *server,
                                                        const struct cap *reply_cap,
                                                        const struct cap *cap)
{
    /* 1. A short answer without capabilities. */
    tsr_msginfo_t mi = tcb_arg(server, TSR_ARG_MSGINFO);
    if (!fast_message(mi))
        return ipc_count_false(TSR_COUNTER_SLOW_MESSAGE);
    /* 2. (The caller checked: a reply object, and an endpoint capability
     *    with READ.) A caller waiting on the reply object, which the server
     *    may offer again (no other thread is receiving with it). */
    struct reply *rp = reply_from_pa(reply_cap->object);
    struct tcb *c = rp->caller;
    if (!c || (rp->receiver && rp->receiver != server))
        return ipc_count_false(TSR_COUNTER_SLOW_REPLY_OBJECT);
    /* 3. The caller made a Call, not a fault report (a fault reply resumes
     *    the thread where it stopped). */
    if (c->fault.type)
        return ipc_count_false(TSR_COUNTER_SLOW_FAULT_REPLY);
    /* 4. The receive would block: no sender queued, no signal pending on
     *    the server's bound notification. */
    struct endpoint *ep = endpoint_from_pa(cap->object);
    if (ep->state == ENDPOINT_SENDING)
        return ipc_count_false(TSR_COUNTER_SLOW_SENDERS_WAITING);
    if (server->bound_notification && notification_from_pa(server->bound_notification)->word)
        return ipc_count_false(TSR_COUNTER_SLOW_NOTIFICATION);
    /* 5. The caller is what the scheduler would run now. */
    if (!sched_may_switch_to(c))
        return ipc_count_false(TSR_COUNTER_SLOW_PRIORITY);

    /* Everything holds: nothing below can fail. */
    rp->caller = NULL;
    c->caller_reply = 0;
    c->blocked_on = 0;
    unsigned len = tsr_msginfo_length(mi);
    tcb_set_arg(c, TSR_ARG_BADGE, 0);
    tcb_set_arg(c, TSR_ARG_MSGINFO, tsr_msginfo(tsr_msginfo_label(mi), 0, len));
    endpoint_block_receiver(ep, cap->object, server, reply_cap->object);
    svc_exit_message = len;
    sched_switch_to(c);
    ipc_count(TSR_COUNTER_FASTPATH_REPLY_RECV);
    return true;
}
