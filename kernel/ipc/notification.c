/* SPDX-License-Identifier: MIT */
/* Notifications: a word of signal bits. Signal ORs the sender's badge into
 * the word, or hands it straight to a waiting thread; Wait takes the word
 * and clears it. A notification bound to a thread is also delivered when
 * that thread waits on an endpoint, so a server can take interrupts and
 * requests in one loop. Signals never queue beyond one word: a producer
 * cannot make the kernel hold more state, whatever it does. */
#include <stdbool.h>
#include <stdint.h>

#include <tessera/ipc.h>

#include "core/panic.h"
#include "core/sched.h"
#include "ipc/ipc.h"
#include "object/irq_handler.h"
#include "object/objects.h"

static void wake_with(struct tcb *t, uint64_t word)
{
    tcb_set_arg(t, TSR_ARG_BADGE, word);
    tcb_set_arg(t, TSR_ARG_MSGINFO, 0);
    t->blocked_on = 0;
    sched_make_runnable(t);
}

static void queue_remove(struct notification *n, struct tcb *t)
{
    thread_queue_remove(&n->waiters, t);
}

void notification_signal(paddr_t pa, uint64_t badge)
{
    struct notification *n = notification_from_pa(pa);
    if (n->waiters.head) {
        /* Waiters exist only while the word is empty. */
        struct tcb *t = n->waiters.head;
        queue_remove(n, t);
        wake_with(t, badge);
        return;
    }
    struct tcb *b = n->bound;
    if (b && b->state == THREAD_BLOCKED_RECV && b->blocked_on) {
        /* The bound thread waits on its endpoint: the signal ends that wait. */
        endpoint_dequeue(b);
        wake_with(b, badge);
        return;
    }
    n->word |= badge;
}

void notification_wait(paddr_t pa, struct tcb *t, bool blocking)
{
    struct notification *n = notification_from_pa(pa);
    if (n->word || !blocking) {
        tcb_set_arg(t, TSR_ARG_BADGE, n->word); /* 0 from a poll: nothing pending */
        tcb_set_arg(t, TSR_ARG_MSGINFO, 0);
        n->word = 0;
        return;
    }
    sched_remove(t);
    t->state = THREAD_BLOCKED_NOTIFICATION;
    t->blocked_on = pa;
    thread_queue_append(&n->waiters, t);
}

void notification_dequeue(struct tcb *t)
{
    queue_remove(notification_from_pa(t->blocked_on), t);
    t->blocked_on = 0;
}

struct tcb *notification_bound_thread(paddr_t pa)
{
    return notification_from_pa(pa)->bound;
}

void notification_bind(paddr_t pa, struct tcb *t)
{
    notification_from_pa(pa)->bound = t;
    t->bound_notification = pa;
}

void notification_unbind(struct tcb *t)
{
    if (!t->bound_notification)
        return;
    notification_from_pa(t->bound_notification)->bound = NULL;
    t->bound_notification = 0;
}

/* The last capability is going: the waiters fail with CANCELLED and the
 * interrupt lines bound to it are unbound (and masked), OBJECT_DRAIN_UNIT
 * of them per unit of the deletion's budget. */
static bool notification_type_drain(const struct cap *cap)
{
    struct notification *n = notification_from_pa(cap->object);
    unsigned k = 0;
    for (; n->waiters.head && k < OBJECT_DRAIN_UNIT; k++) {
        struct tcb *t = n->waiters.head;
        queue_remove(n, t);
        ipc_fail_thread(t, TSR_E_CANCELLED);
    }
    bool lines_left = irq_unbind_notification(cap->object, OBJECT_DRAIN_UNIT - k);
    return n->waiters.head != NULL || lines_left;
}

/* Torn down, drained: unbind its thread. */
static void notification_type_destroy(const struct cap *cap)
{
    struct notification *n = notification_from_pa(cap->object);
    kassert(!n->waiters.head && !n->irq_first);
    if (n->bound)
        notification_unbind(n->bound);
}

const struct object_type notification_type = {
    .name = "notification",
    .drain = notification_type_drain,
    .destroy = notification_type_destroy,
};
