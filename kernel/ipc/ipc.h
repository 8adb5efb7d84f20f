/* SPDX-License-Identifier: MIT */
/* IPC objects: endpoints (synchronous rendezvous), notifications (signal
 * words) and reply objects (where a Call waits for its answer). This is the
 * slow path, which handles every case; the fast paths for the common cases
 * will sit in front of it and fall back to it. */
#ifndef KERNEL_IPC_H
#define KERNEL_IPC_H

#include <stdbool.h>
#include <stdint.h>

#include "cap/cap.h"
#include "object/tcb.h"

/* Endpoint object (2^TSR_ENDPOINT_BITS bytes): one queue, of senders or of
 * receivers, never both. */
enum endpoint_state { ENDPOINT_IDLE = 0, ENDPOINT_SENDING, ENDPOINT_RECEIVING };
struct endpoint {
    struct tcb *head, *tail;
    uint64_t state;
    uint64_t reserved;
};

/* Notification object: a word of pending signal bits and its waiters. */
struct notification {
    uint64_t word;
    struct tcb *head, *tail;
    struct tcb *bound; /* thread receiving it alongside its endpoint */
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
    return arch_phys_to_virt(pa);
}
static inline struct notification *notification_from_pa(paddr_t pa)
{
    return arch_phys_to_virt(pa);
}
static inline struct reply *reply_from_pa(paddr_t pa)
{
    return arch_phys_to_virt(pa);
}

/* Make a blocked or waiting thread return from its system call with err. */
void ipc_fail_thread(struct tcb *t, tsr_error_t err);

/* Send from `sender` through an endpoint capability. */
void endpoint_send(const struct cap *ep_cap, struct tcb *sender, bool blocking, bool is_call);
/* Receive on an endpoint capability; reply_pa is the reply object offered
 * (0 if none). */
void endpoint_receive(const struct cap *ep_cap, struct tcb *receiver, paddr_t reply_pa,
                      bool blocking);
/* Deliver a reply through the reply object to its caller. Returns an error
 * if there was no caller. */
tsr_error_t reply_send(paddr_t reply_pa, struct tcb *replier);
/* Remove t from the queue of the endpoint it is blocked on. */
void endpoint_dequeue(struct tcb *t);
/* Last capability gone: fail everybody still queued. */
void endpoint_destroy(paddr_t ep);
void reply_destroy(paddr_t reply);
/* Unbind a reply object's caller (caller is being cancelled). */
void reply_unbind_caller(struct tcb *caller);

/* Notifications. */
void notification_signal(paddr_t ntfn, uint64_t badge);
void notification_wait(paddr_t ntfn, struct tcb *t, bool blocking);
void notification_dequeue(struct tcb *t);
void notification_destroy(paddr_t ntfn);
tsr_error_t notification_bind(paddr_t ntfn, struct tcb *t);
void notification_unbind(struct tcb *t);

/* Send a fault message for t through its fault endpoint; if it has none,
 * it is suspended. */
void fault_deliver(struct tcb *t);

#endif
