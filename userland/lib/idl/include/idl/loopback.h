/* SPDX-License-Identifier: MIT */
/* Loopback transport (host only): connects a client straight to server
 * bindings in the same process, so generated stubs and dispatchers are tested
 * end to end without a kernel. It behaves like kernel IPC where that matters
 * to the protocol: the server gets its own copy of exactly nwords words and
 * ncaps caps, the rest of its buffer is poisoned, and messages longer than the
 * ABI allows are refused with the error the kernel would give. */
#ifndef IDL_LOOPBACK_H
#define IDL_LOOPBACK_H

#include <idl/runtime.h>

/* What the kernel would report of a capability the sender holds (its
 * type and rights, TSR_CAP_INFO), for typed-capability tests; loopback
 * applies the sender's restriction to it as the kernel would. */
typedef uint64_t (*idl_loopback_cap_info_fn)(void *ctx, idl_cap_t cap);

typedef struct idl_loopback {
    idl_transport transport; /* first: &lb->transport is what stubs take */
    const idl_binding *bindings;
    size_t nbindings;
    idl_caller caller;    /* badge and bulk region the server sees */
    idl_msg server_msg;   /* the server's receive buffer */
    idl_loopback_cap_info_fn cap_info; /* NULL: every capability's info is 0 */
    void *cap_ctx;
    /* Deferred replies (idl_loopback_set_deferrals). */
    idl_deferrals *defer;
    bool (*pump)(void *ctx); /* runs the world while a call waits */
    void *pump_ctx;
    bool waiting;         /* our call waits for a deferred answer */
    bool answered;        /* ... and it came, in `answer` */
    idl_msg answer;
    /* Statistics for tests. */
    unsigned calls;       /* requests delivered through call */
    unsigned sends;       /* requests delivered through send */
    unsigned replies;     /* replies produced (call, or send that replied) */
    unsigned dropped;     /* one-way requests the dispatcher answered nothing */
} idl_loopback;

/* bulk_base/bulk_size: the region shared by this client and the servers
 * (the same memory on both sides in one process), or NULL/0. */
void idl_loopback_init(idl_loopback *lb, const idl_binding *bindings, size_t nbindings,
                       uint64_t badge, void *bulk_base, size_t bulk_size);
/* Report capabilities' kinds and rights through fn (both directions). */
void idl_loopback_set_cap_info(idl_loopback *lb, idl_loopback_cap_info_fn fn, void *ctx);

/* Deferred replies. Loopbacks to one server share its table `d` (set up
 * once with idl_loopback_deferrals_init, `capacity` waiting calls at most).
 * A call whose answer was deferred waits by running pump(ctx) until the
 * answer comes: pump is the rest of the world (other clients' calls, an
 * "interrupt"), and returns false when it has nothing left to do, which
 * ends the call with TSR_E_CANCELLED, as does idl_loopback_client_gone. */
void idl_loopback_deferrals_init(idl_deferrals *d, unsigned capacity);
void idl_loopback_set_deferrals(idl_loopback *lb, idl_deferrals *d, bool (*pump)(void *ctx),
                                void *ctx);
/* Events: a queue of `capacity` (up to IDL_LOOPBACK_EVENT_SLOTS) messages
 * standing in for a client's message queue, a sink that posts to it (full:
 * TSR_E_QUEUE_FULL; closed: TSR_E_INVALID_CAPABILITY, as a destroyed queue)
 * and the client's side that takes from it. */
#define IDL_LOOPBACK_EVENT_SLOTS 16
typedef struct idl_loopback_events {
    idl_msg slot[IDL_LOOPBACK_EVENT_SLOTS];
    unsigned capacity;
    uint64_t head, tail; /* taken, posted */
    bool closed;
} idl_loopback_events;
void idl_loopback_events_init(idl_loopback_events *q, unsigned capacity);
void idl_loopback_event_sink_init(idl_event_sink *s, idl_loopback_events *q);
bool idl_loopback_event_take(idl_loopback_events *q, idl_msg *m);

/* The client behind lb stops waiting (its thread went away, as the kernel
 * would see it): its pending answer is refused and Reply Probe says so. */
void idl_loopback_client_gone(idl_loopback *lb);

#endif /* IDL_LOOPBACK_H */
