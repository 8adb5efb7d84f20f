/* SPDX-License-Identifier: MIT */
/* Synchronous IPC through endpoints (the slow path: every case, in C). A
 * Send meets a waiting receiver or queues; a Call additionally waits on the
 * reply object the receiver offered (reply.c); a fault is sent as a Call
 * whose message the kernel composes (fault.c). Every queue link lives in
 * the TCBs and the endpoint itself: IPC never allocates. */
#include <stdbool.h>
#include <stdint.h>

#include <tessera/ipc.h>
#include <tessera/syscalls.h>

#include "core/panic.h"
#include "core/sched.h"
#include "ipc/ipc.h"
#include "object/objects.h"

static void queue_append(struct endpoint *ep, struct tcb *t)
{
    thread_queue_append(&ep->queue, t);
}

static void queue_remove(struct endpoint *ep, struct tcb *t)
{
    thread_queue_remove(&ep->queue, t);
    if (!ep->queue.head)
        ep->state = ENDPOINT_IDLE;
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
    sender->send_badge = cap_badge(ep_cap);
    sender->send_is_call = is_call;
    sender->send_can_grant = (ep_cap->rights & TSR_RIGHT_GRANT) != 0;
    sender->send_can_grant_reply = (ep_cap->rights & TSR_RIGHT_GRANT_REPLY) != 0;

    if (ep->state == ENDPOINT_RECEIVING) {
        struct tcb *r = ep->queue.head;
        if (ipc_has_long(sender)) {
            switch (long_copy(sender, sender, r)) {
            case LONG_COPY_DONE:
                break;
            case LONG_COPY_SENDER_FAULT:
                tcb_set_error(sender, TSR_E_BAD_ADDRESS);
                return;
            case LONG_COPY_RECEIVER_FAULT:
                /* The receiver's buffer is unusable: its Recv fails, and
                 * the send starts again with whoever waits next. */
                endpoint_take_receiver(ep, r);
                ipc_fail_thread(r, TSR_E_BAD_ADDRESS);
                arch_context_restart_syscall(&sender->ctx);
                return;
            case LONG_COPY_PREEMPTED:
                arch_context_restart_syscall(&sender->ctx);
                return;
            }
        }
        paddr_t reply_pa = r->recv_reply;
        endpoint_take_receiver(ep, r);
        ipc_transfer_message(sender, r, sender->send_badge, sender->send_can_grant);
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
        struct tcb *s = ep->queue.head;
        if (ipc_has_long(s)) {
            switch (long_copy(receiver, s, receiver)) {
            case LONG_COPY_DONE:
                break;
            case LONG_COPY_RECEIVER_FAULT:
                tcb_set_error(receiver, TSR_E_BAD_ADDRESS);
                return;
            case LONG_COPY_SENDER_FAULT:
                /* The queued sender's buffer is unusable: its Send or Call
                 * fails, and the receive starts again. */
                queue_remove(ep, s);
                ipc_fail_thread(s, TSR_E_BAD_ADDRESS);
                arch_context_restart_syscall(&receiver->ctx);
                return;
            case LONG_COPY_PREEMPTED:
                arch_context_restart_syscall(&receiver->ctx);
                return;
            }
        }
        queue_remove(ep, s);
        s->blocked_on = 0;
        ipc_transfer_message(s, receiver, s->send_badge, s->send_can_grant);
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
    endpoint_block_receiver(ep, ep_cap->object, receiver, reply_pa);
}

void endpoint_take_receiver(struct endpoint *ep, struct tcb *r)
{
    queue_remove(ep, r);
    /* r stops waiting: whether or not this is a Call, its reply object no
     * longer has a receiver (a stale pointer would outlive r). */
    if (r->recv_reply)
        reply_from_pa(r->recv_reply)->receiver = NULL;
    r->recv_reply = 0;
    r->blocked_on = 0;
}

void endpoint_block_receiver(struct endpoint *ep, paddr_t ep_pa, struct tcb *receiver,
                             paddr_t reply_pa)
{
    /* One queue holds senders or receivers, never both. */
    kassert(ep->state != ENDPOINT_SENDING && !receiver->in_ready_queue);
    receiver->state = THREAD_BLOCKED_RECV;
    receiver->blocked_on = ep_pa;
    receiver->recv_reply = reply_pa;
    if (reply_pa)
        reply_from_pa(reply_pa)->receiver = receiver;
    queue_append(ep, receiver);
    ep->state = ENDPOINT_RECEIVING;
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

/* The last capability is going: everybody still queued fails with
 * CANCELLED, OBJECT_DRAIN_UNIT threads per unit of the deletion's budget
 * (each step a bounded amount of work however many wait). */
static bool endpoint_type_drain(const struct cap *cap)
{
    struct endpoint *ep = endpoint_from_pa(cap->object);
    for (unsigned n = 0; ep->queue.head && n < OBJECT_DRAIN_UNIT; n++) {
        struct tcb *t = ep->queue.head;
        endpoint_dequeue(t);
        ipc_fail_thread(t, TSR_E_CANCELLED);
    }
    return ep->queue.head != NULL;
}

/* Torn down: drained, nobody can be queued any more. */
static void endpoint_type_destroy(const struct cap *cap)
{
    kassert(!endpoint_from_pa(cap->object)->queue.head);
    (void)cap;
}

const struct object_type endpoint_type = {
    .name = "endpoint",
    .drain = endpoint_type_drain,
    .destroy = endpoint_type_destroy,
};
