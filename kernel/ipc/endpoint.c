/* SPDX-License-Identifier: MIT */
/* Synchronous IPC through endpoints, and replies through reply objects
 * (the slow path: every case, in C). A Send meets a waiting receiver or
 * queues; a Call additionally waits on the reply object the receiver
 * offered; a fault is sent as a Call whose message the kernel composes.
 * Every queue link lives in the TCBs and the endpoint itself: IPC never
 * allocates. */
#include <stdbool.h>
#include <stdint.h>

#include <tessera/ipc.h>
#include <tessera/syscalls.h>

#include "cap/cdt.h"
#include "cap/cspace.h"
#include "ipc/ipc.h"
#include "core/sched.h"

static void queue_append(struct endpoint *ep, struct tcb *t)
{
    t->queue_next = NULL;
    t->queue_prev = ep->tail;
    if (ep->tail)
        ep->tail->queue_next = t;
    else
        ep->head = t;
    ep->tail = t;
}

static void queue_remove(struct endpoint *ep, struct tcb *t)
{
    if (t->queue_prev)
        t->queue_prev->queue_next = t->queue_next;
    else
        ep->head = t->queue_next;
    if (t->queue_next)
        t->queue_next->queue_prev = t->queue_prev;
    else
        ep->tail = t->queue_prev;
    t->queue_prev = t->queue_next = NULL;
    if (!ep->head)
        ep->state = ENDPOINT_IDLE;
}

void ipc_fail_thread(struct tcb *t, tsr_error_t err)
{
    t->blocked_on = 0;
    t->caller_reply = 0;
    if (t->fault.type) {
        /* Its "call" was a fault report: nothing it could return to. It stays
         * stopped (with the fault kept) until resumed, like a thread whose
         * fault nobody can take. */
        tcb_suspend(t);
        return;
    }
    tcb_set_error(t, err);
    sched_make_runnable(t);
}

/* Move capabilities named in the sender's IPC buffer into the receiver's
 * receive slots. Stops at the first that cannot be moved; returns how many
 * arrived. The sender keeps its capabilities: each arrives as a copy. */
static unsigned transfer_caps(struct tcb *s, struct tcb *r, unsigned count)
{
    struct tsr_ipc_buffer *sbuf = tcb_ipc_buffer(s), *rbuf = tcb_ipc_buffer(r);
    if (!sbuf || !rbuf || rbuf->receive_depth == 0 || rbuf->receive_depth > 64)
        return 0;
    struct cte *root_slot;
    if (cspace_lookup_cap(&r->slots[TCB_SLOT_CSPACE].cap, rbuf->receive_cnode, &root_slot) != TSR_OK)
        return 0;
    unsigned done = 0;
    for (; done < count && done < TSR_MSG_MAX_CAPS; done++) {
        struct cte *src, *dst;
        if (cspace_lookup_cap(&s->slots[TCB_SLOT_CSPACE].cap, sbuf->caps[done], &src) != TSR_OK)
            break;
        if (cspace_lookup_slot(&root_slot->cap, rbuf->receive_index + done,
                               (unsigned)rbuf->receive_depth, &dst) != TSR_OK)
            break;
        if (cap_copy(src, dst, TSR_RIGHTS_ALL) != TSR_OK)
            break;
        bool badged = dst->cap.type == CAP_ENDPOINT || dst->cap.type == CAP_NOTIFICATION;
        rbuf->caps[done] = badged ? dst->cap.a : 0;
    }
    return done;
}

/* Copy the message of s (or its fault report) into r, with the badge. */
static void transfer_message(struct tcb *s, struct tcb *r, uint64_t badge, bool can_grant)
{
    uint64_t label;
    unsigned len, caps = 0;
    if (s->fault.type) {
        label = s->fault.type;
        len = 4;
        for (unsigned i = 0; i < len; i++)
            tcb_set_mr(r, i, s->fault.words[i]);
    } else {
        tsr_msginfo_t mi = tcb_arg(s, TSR_ARG_MSGINFO);
        label = tsr_msginfo_label(mi);
        len = tsr_msginfo_length(mi);
        if (len > TSR_MSG_MAX_WORDS)
            len = TSR_MSG_MAX_WORDS;
        /* Register words move context to context; words beyond them need an
         * IPC buffer on both sides (the message is cut short otherwise). */
        unsigned in_regs = len < TSR_MSG_REG_WORDS ? len : TSR_MSG_REG_WORDS;
        for (unsigned i = 0; i < in_regs; i++)
            *arch_context_mr(&r->ctx, i) = *arch_context_mr(&s->ctx, i);
        if (len > TSR_MSG_REG_WORDS) {
            struct tsr_ipc_buffer *sbuf = tcb_ipc_buffer(s), *rbuf = tcb_ipc_buffer(r);
            if (sbuf && rbuf) {
                for (unsigned i = TSR_MSG_REG_WORDS; i < len; i++)
                    rbuf->msg[i] = sbuf->msg[i];
            } else {
                len = TSR_MSG_REG_WORDS;
            }
        }
        if (can_grant && tsr_msginfo_caps(mi))
            caps = transfer_caps(s, r, tsr_msginfo_caps(mi));
    }
    tcb_set_arg(r, TSR_ARG_BADGE, badge);
    tcb_set_arg(r, TSR_ARG_MSGINFO, tsr_msginfo(label, caps, len));
}

/* The caller waits on the reply object until the receiver answers. */
static void reply_bind(paddr_t reply_pa, struct tcb *caller, bool can_grant)
{
    struct reply *rp = reply_from_pa(reply_pa);
    rp->receiver = NULL;
    if (rp->caller && rp->caller != caller) {
        /* The receiver reused the reply object without answering: the
         * earlier caller will never get its answer. */
        struct tcb *old = rp->caller;
        old->caller_reply = 0;
        ipc_fail_thread(old, TSR_E_CANCELLED);
    }
    rp->caller = caller;
    rp->can_grant = can_grant;
    sched_remove(caller);
    caller->state = THREAD_BLOCKED_REPLY;
    caller->blocked_on = reply_pa;
    caller->caller_reply = reply_pa;
}

/* A Call was delivered: make the sender wait for the reply, or, if the
 * receiver offered no reply object, end the call now. */
static void call_delivered(struct tcb *s, paddr_t reply_pa)
{
    if (reply_pa) {
        reply_bind(reply_pa, s, s->send_can_grant_reply);
    } else {
        /* Nobody can answer: the call fails (a fault report: the thread
         * stays stopped, see ipc_fail_thread). */
        ipc_fail_thread(s, TSR_E_ILLEGAL_OPERATION);
    }
}

void endpoint_send(const struct cap *ep_cap, struct tcb *sender, bool blocking, bool is_call)
{
    struct endpoint *ep = endpoint_from_pa(ep_cap->object);
    sender->send_badge = ep_cap->a;
    sender->send_is_call = is_call;
    sender->send_can_grant = (ep_cap->rights & TSR_RIGHT_GRANT) != 0;
    sender->send_can_grant_reply = (ep_cap->rights & TSR_RIGHT_GRANT_REPLY) != 0;

    if (ep->state == ENDPOINT_RECEIVING) {
        struct tcb *r = ep->head;
        queue_remove(ep, r);
        paddr_t reply_pa = r->recv_reply;
        /* r stops waiting: whether or not this is a Call, its reply object no
         * longer has a receiver (a stale pointer would outlive r). */
        if (reply_pa)
            reply_from_pa(reply_pa)->receiver = NULL;
        r->recv_reply = 0;
        r->blocked_on = 0;
        transfer_message(sender, r, sender->send_badge, sender->send_can_grant);
        sched_make_runnable(r);
        if (is_call)
            call_delivered(sender, reply_pa);
        else
            tcb_set_error(sender, TSR_OK);
        return;
    }
    if (!blocking) {
        tcb_set_error(sender, TSR_E_WOULD_BLOCK);
        return;
    }
    sched_remove(sender);
    sender->state = THREAD_BLOCKED_SEND;
    sender->blocked_on = ep_cap->object;
    queue_append(ep, sender);
    ep->state = ENDPOINT_SENDING;
}

void endpoint_receive(const struct cap *ep_cap, struct tcb *receiver, paddr_t reply_pa,
                      bool blocking)
{
    struct endpoint *ep = endpoint_from_pa(ep_cap->object);

    /* A signal on the bound notification is delivered like a message. */
    if (receiver->bound_notification) {
        struct notification *n = notification_from_pa(receiver->bound_notification);
        if (n->word) {
            tcb_set_arg(receiver, TSR_ARG_BADGE, n->word);
            tcb_set_arg(receiver, TSR_ARG_MSGINFO, 0);
            n->word = 0;
            return;
        }
    }
    if (reply_pa) {
        struct reply *rp = reply_from_pa(reply_pa);
        if (rp->receiver && rp->receiver != receiver) {
            tcb_set_error(receiver, TSR_E_ILLEGAL_OPERATION); /* another thread offers it */
            return;
        }
    }
    if (ep->state == ENDPOINT_SENDING) {
        struct tcb *s = ep->head;
        queue_remove(ep, s);
        s->blocked_on = 0;
        transfer_message(s, receiver, s->send_badge, s->send_can_grant);
        if (s->send_is_call) {
            call_delivered(s, reply_pa);
        } else {
            tcb_set_error(s, TSR_OK);
            sched_make_runnable(s);
        }
        return;
    }
    if (!blocking) {
        tcb_set_error(receiver, TSR_E_WOULD_BLOCK);
        return;
    }
    sched_remove(receiver);
    receiver->state = THREAD_BLOCKED_RECV;
    receiver->blocked_on = ep_cap->object;
    receiver->recv_reply = reply_pa;
    if (reply_pa)
        reply_from_pa(reply_pa)->receiver = receiver;
    queue_append(ep, receiver);
    ep->state = ENDPOINT_RECEIVING;
}

tsr_error_t reply_send(paddr_t reply_pa, struct tcb *replier)
{
    struct reply *rp = reply_from_pa(reply_pa);
    struct tcb *c = rp->caller;
    if (!c)
        return TSR_E_ILLEGAL_OPERATION;
    rp->caller = NULL;
    c->caller_reply = 0;
    c->blocked_on = 0;
    if (c->fault.type) {
        /* Answering a fault resumes the thread where it stopped, or at MR0. */
        tsr_msginfo_t mi = tcb_arg(replier, TSR_ARG_MSGINFO);
        if (tsr_msginfo_label(mi) == TSR_FAULT_REPLY_SET_PC && tsr_msginfo_length(mi) >= 1)
            arch_context_set_pc(&c->ctx, tcb_get_mr(replier, 0));
        c->fault.type = 0;
    } else {
        transfer_message(replier, c, 0, rp->can_grant);
    }
    sched_make_runnable(c);
    return TSR_OK;
}

void endpoint_dequeue(struct tcb *t)
{
    struct endpoint *ep = endpoint_from_pa(t->blocked_on);
    queue_remove(ep, t);
    if (t->recv_reply) {
        reply_from_pa(t->recv_reply)->receiver = NULL;
        t->recv_reply = 0;
    }
    t->blocked_on = 0;
}

void endpoint_destroy(paddr_t pa)
{
    struct endpoint *ep = endpoint_from_pa(pa);
    while (ep->head) {
        struct tcb *t = ep->head;
        endpoint_dequeue(t);
        ipc_fail_thread(t, TSR_E_CANCELLED);
    }
}

void reply_unbind_caller(struct tcb *caller)
{
    if (caller->caller_reply) {
        struct reply *rp = reply_from_pa(caller->caller_reply);
        if (rp->caller == caller)
            rp->caller = NULL;
        caller->caller_reply = 0;
    }
}

void reply_destroy(paddr_t pa)
{
    struct reply *rp = reply_from_pa(pa);
    if (rp->caller) {
        struct tcb *c = rp->caller;
        rp->caller = NULL;
        c->caller_reply = 0;
        ipc_fail_thread(c, TSR_E_CANCELLED);
    }
    if (rp->receiver) {
        rp->receiver->recv_reply = 0;
        rp->receiver = NULL;
    }
}
