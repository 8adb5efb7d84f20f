/* SPDX-License-Identifier: MIT */
/* IPC objects: endpoints (synchronous rendezvous), notifications (signal
 * words) and reply objects (where a Call waits for its answer). This is the
 * slow path, which handles every case; the fast paths for the common cases
 * will sit in front of it and fall back to it. */
#ifndef KERNEL_IPC_H
#define KERNEL_IPC_H

#include <stdbool.h>
#include <stdint.h>

#include <tessera/ipc.h>
#include <tessera/syscalls.h>

#include "cap/cap.h"
#include "core/panic.h"
#include "object/tcb.h"

/* A FIFO of blocked threads, linked through their queue_prev/queue_next:
 * the waiters of an endpoint or a notification. */
struct thread_queue {
    struct tcb *head, *tail;
};

static inline void thread_queue_append(struct thread_queue *q, struct tcb *t)
{
    /* Not on any queue already, and the queue's ends agree. */
    kassert(!t->queue_next && !t->queue_prev && q->head != t);
    kassert(!q->head == !q->tail && (!q->tail || !q->tail->queue_next));
    t->queue_next = NULL;
    t->queue_prev = q->tail;
    if (q->tail)
        q->tail->queue_next = t;
    else
        q->head = t;
    q->tail = t;
}

static inline void thread_queue_remove(struct thread_queue *q, struct tcb *t)
{
    /* t is on this queue: its neighbours point back at it. */
    kassert(t->queue_prev ? t->queue_prev->queue_next == t : q->head == t);
    kassert(t->queue_next ? t->queue_next->queue_prev == t : q->tail == t);
    if (t->queue_prev)
        t->queue_prev->queue_next = t->queue_next;
    else
        q->head = t->queue_next;
    if (t->queue_next)
        t->queue_next->queue_prev = t->queue_prev;
    else
        q->tail = t->queue_prev;
    t->queue_prev = t->queue_next = NULL;
}

/* Endpoint object (2^TSR_ENDPOINT_BITS bytes): one queue, of senders or of
 * receivers, never both. */
enum endpoint_state { ENDPOINT_IDLE = 0, ENDPOINT_SENDING, ENDPOINT_RECEIVING };
struct endpoint {
    struct thread_queue queue;
    uint64_t state;
    uint64_t reserved;
};

/* Notification object: a word of pending signal bits and its waiters. */
struct notification {
    uint64_t word;
    struct thread_queue waiters;
    struct tcb *bound; /* thread receiving it alongside its endpoint */
    /* Interrupt lines bound to it, linked through their state
     * (object/irq_handler.c): the first one's intid, 0 for none. Its
     * teardown unbinds them without looking at any other line. */
    uint32_t irq_first;
    uint32_t reserved[7];
};

/* Reply object: the caller waiting for an answer, once a Call was received. */
struct reply {
    struct tcb *caller;   /* bound by a received Call, until answered */
    struct tcb *receiver; /* thread blocked in Recv offering this object */
    uint8_t can_grant;    /* the Call was made with GRANT_REPLY: the reply may carry caps */
    uint8_t reserved[15];
};

_Static_assert(sizeof(struct endpoint) <= (1u << TSR_ENDPOINT_BITS), "endpoint size");
_Static_assert(sizeof(struct notification) <= (1u << TSR_NOTIFICATION_BITS), "notification size");
_Static_assert(sizeof(struct reply) <= (1u << TSR_REPLY_BITS), "reply size");

static inline struct endpoint *endpoint_from_pa(paddr_t pa)
{
    return arch_object_to_virt(pa);
}
static inline struct notification *notification_from_pa(paddr_t pa)
{
    return arch_object_to_virt(pa);
}
static inline struct reply *reply_from_pa(paddr_t pa)
{
    return arch_object_to_virt(pa);
}

/* Messages (message.c). */
/* Make a blocked or waiting thread return from its system call with err. */
void ipc_fail_thread(struct tcb *t, tsr_error_t err);
/* Copy the message of s (or its fault report) into r, with the badge;
 * capabilities go along only if can_grant. */
void ipc_transfer_message(struct tcb *s, struct tcb *r, uint64_t badge, bool can_grant);
/* Copy message registers MR0..MR(len-1) (len <= TSR_MSG_REG_WORDS) from s's
 * saved context to r's, and zero r's other message registers: a register
 * that carries no message never shows what it held before. */
void ipc_copy_registers(struct tcb *s, struct tcb *r, unsigned len);

/* Endpoints (endpoint.c). */
/* Send from `sender` through an endpoint capability. */
void endpoint_send(const struct cap *ep_cap, struct tcb *sender, bool blocking, bool is_call);
/* Receive on an endpoint capability; reply_pa is the reply object offered
 * (0 if none). */
void endpoint_receive(const struct cap *ep_cap, struct tcb *receiver, paddr_t reply_pa,
                      bool blocking);
/* Remove t from the queue of the endpoint it is blocked on. */
void endpoint_dequeue(struct tcb *t);
/* A message is about to be delivered to r, the first receiver waiting on
 * ep: take it off the queue; it no longer waits, nor offers its reply
 * object. */
void endpoint_take_receiver(struct endpoint *ep, struct tcb *r);
/* receiver (not runnable) waits on ep, offering the reply object reply_pa
 * (0: none). */
void endpoint_block_receiver(struct endpoint *ep, paddr_t ep_pa, struct tcb *receiver,
                             paddr_t reply_pa);

/* The fast path (fastpath.c): Call and ReplyRecv when every condition of
 * docs/ipc.md holds. Returns true when the call is complete and the other
 * thread is current; false, having changed nothing, for the slow path. cap
 * is the endpoint named in x0 (Call: with WRITE; ReplyRecv: with READ),
 * reply_cap the reply object named in x16. */
bool fastpath_call(struct tcb *caller, const struct cap *cap);
bool fastpath_reply_recv(struct tcb *server, const struct cap *reply_cap, const struct cap *cap);

/* Event counters (TSR_COUNTERS, read by DebugCounter): counted in debug
 * builds only, so other builds pay nothing. */
#ifdef TESSERA_DEBUG
extern uint64_t ipc_counters[];
#define ipc_count(id) ((void)ipc_counters[id]++)
#else
#define ipc_count(id) ((void)0)
#endif
#define ipc_count_false(id) (ipc_count(id), false)

/* Reply objects (reply.c). */
/* The caller of a delivered Call waits on the reply object until answered. */
void reply_bind(paddr_t reply_pa, struct tcb *caller, bool can_grant);
/* The caller (not runnable) waits on the reply object rp, which has no
 * caller, until it is answered. */
static inline void reply_wait(struct reply *rp, paddr_t reply_pa, struct tcb *caller,
                              bool can_grant)
{
    kassert(!caller->in_ready_queue); /* blocked: not also ready to run */
    rp->caller = caller;
    rp->can_grant = can_grant;
    caller->state = THREAD_BLOCKED_REPLY;
    caller->blocked_on = reply_pa;
    caller->caller_reply = reply_pa;
}
/* Deliver a reply through the reply object to its caller. Errors:
 * ILLEGAL_OPERATION (no caller), BAD_ADDRESS (the replier's long-message
 * buffer is unusable; the caller still waits), PREEMPTED (a long copy
 * stopped for an interrupt: the replier's call must restart). */
tsr_error_t reply_send(paddr_t reply_pa, struct tcb *replier);
/* Unbind a reply object's caller (caller is being cancelled). */
void reply_unbind_caller(struct tcb *caller);

/* Notifications. */
/* The pages of a message queue's view mapped at *va under *asid (0 and no
 * pages when unmapped): for the invariant checker. */
unsigned msgq_mapped_pages(const struct cap *cap, unsigned *asid, uint64_t *va);

void notification_signal(paddr_t ntfn, uint64_t badge);
void notification_wait(paddr_t ntfn, struct tcb *t, bool blocking);
void notification_dequeue(struct tcb *t);
/* The thread bound to the notification, or NULL. */
struct tcb *notification_bound_thread(paddr_t ntfn);
/* Bind (both sides must be unbound: the caller checked). */
void notification_bind(paddr_t ntfn, struct tcb *t);
void notification_unbind(struct tcb *t);

/* Message queues (msgqueue.c): Send/NBSend of the sender's register
 * message to the queue (never blocks). Errors: INVALID_ARGUMENT (more than
 * 14 words, or capabilities), QUEUE_FULL (no slot free, the sender's badge
 * over its quota, or every account in use). */
tsr_error_t msgq_enqueue(const struct cap *cap, struct tcb *sender);

/* Long messages (longcopy.c): copy the long part of s's message into r's
 * receive buffer, on behalf of `copier` (s or r: the thread whose system
 * call this is), before the message is delivered. DONE sets long_sent and
 * long_received in the IPC buffers. PREEMPTED: an interrupt is waiting; the
 * progress is kept, and the copier's call must restart. A FAULT names the
 * thread whose buffer is unusable (not mapped for it, read-only to the
 * receiver, outside the address range). */
enum long_copy_result {
    LONG_COPY_DONE,
    LONG_COPY_PREEMPTED,
    LONG_COPY_SENDER_FAULT,
    LONG_COPY_RECEIVER_FAULT,
};
enum long_copy_result long_copy(struct tcb *copier, struct tcb *s, struct tcb *r);
/* Forget an unfinished copy t takes part in (t is being destroyed). */
void long_copy_forget(struct tcb *t);
/* Whether t's pending message has a long part to copy. */
static inline bool ipc_has_long(struct tcb *t)
{
    return !t->fault.type && (tcb_arg(t, TSR_ARG_MSGINFO) & TSR_MSGINFO_LONG);
}

/* What a receiver's cap_info[i] says of a capability it received: its
 * user-visible type code and rights (tessera/ipc.h). message.c. */
uint64_t ipc_cap_info(const struct cap *c);

/* Page transfer (pages.c): frames named by s's caps[0..count) moved (or
 * shared) into r's receive slots and window. Returns how many arrived; the
 * rest stay with s. */
unsigned pages_transfer(struct tcb *s, struct tcb *r, unsigned count, bool move);

/* Faults (fault.c): send t's fault report (t->fault) through its fault
 * endpoint; a thread without a usable one is suspended. */
void fault_deliver(struct tcb *t);

#endif
