/* SPDX-License-Identifier: MIT */
/* The IDL runtime over Tessera IPC: a client transport that turns each
 * request into a Call (one-way requests into a Send) on an endpoint, and a
 * server loop that receives requests, hands them to idl_server_dispatch and
 * answers through a reply object. Generated code is the same as with the
 * loopback transport: only the transport object differs. Word i of an
 * idl_msg is message register i (MR0-MR13 in registers, the rest in the IPC
 * buffer); capabilities travel in the IPC buffer's capability slots; bulk
 * buffers live in a region the client shared with the server once. */
#ifndef IDL_KERNEL_H
#define IDL_KERNEL_H

#include <stddef.h>
#include <stdint.h>

#include "idl/runtime.h"

typedef struct idl_kernel_transport {
    idl_transport transport; /* first: generated stubs take &t->transport */
    uint64_t endpoint;       /* cptr of the server's endpoint in our CSpace */
} idl_kernel_transport;

void idl_kernel_transport_init(idl_kernel_transport *t, uint64_t endpoint);

/* Where a server's received capabilities go: `count` consecutive slots from
 * `first` in the CNode named by `cnode` (depth `depth`). */
typedef struct idl_kernel_cap_slots {
    uint64_t cnode, first, depth, count;
} idl_kernel_cap_slots;

/* Serve requests on `endpoint`, answering through `reply`, until a handler
 * has run `max_requests` times (0: forever). Returns the transport error that
 * stopped it, or TSR_OK after max_requests. Capabilities a request brings
 * arrive in `slots`; a handler that keeps one moves it elsewhere, and
 * whatever is left there after dispatch is deleted. */
tsr_error_t idl_kernel_serve(uint64_t endpoint, uint64_t reply, const idl_binding *bindings,
                             size_t nbindings, const idl_kernel_cap_slots *slots,
                             unsigned max_requests);

/* ---- bulk buffers ------------------------------------------------------------
 * A client's bulk region is memory it shares with the server once, with
 * the page-share IPC path: up to TSR_MSG_MAX_CAPS frames, mapped one after
 * another in the client's space from the region's start (offset 0). After
 * that, requests carry only (offset, length) windows and no byte is copied
 * (docs/idl.md, "What goes where"). A transport message with this label,
 * never a request (it sets a bit IDL labels keep reserved), carries the
 * frames; the answer's label is the status. */
#define IDL_KERNEL_SHARE_BULK_LABEL (1ull << 47)
#define IDL_KERNEL_BULK_CLIENTS 8

/* Client: share the frames in slots first_frame.. first_frame + nframes - 1
 * (1-4) as this client's region. The endpoint capability needs GRANT.
 * IDL_E_BAD_BULK if the server took them as no region (frames that do not
 * follow one another, a second region, no room for another client). */
idl_status_t idl_kernel_share_bulk(idl_kernel_transport *t, uint64_t first_frame,
                                   unsigned nframes);

/* Server: where shared regions go. Client k's frames are mapped in its own
 * slice of the window (window + k * slice, slice bytes, a multiple of the
 * largest frame used), and their capabilities kept in slots store_first +
 * 4k .. of the CNode `cnode` (depth `depth`). */
typedef struct idl_kernel_bulk_config {
    uint64_t window, slice;
    uint64_t cnode, store_first, depth;
} idl_kernel_bulk_config;

/* As idl_kernel_serve, also taking bulk regions from up to
 * IDL_KERNEL_BULK_CLIENTS clients (told apart by their badges): each
 * request's idl_caller then names its sender's region. Received
 * capabilities then arrive in the next client's store slots instead of
 * `slots` (handlers move or delete them, as always). */
tsr_error_t idl_kernel_serve_bulk(uint64_t endpoint, uint64_t reply, const idl_binding *bindings,
                                  size_t nbindings, const idl_kernel_cap_slots *slots,
                                  const idl_kernel_bulk_config *bulk, unsigned max_requests);

/* ---- deferred replies ----------------------------------------------------------
 * A server whose interfaces have deferred methods keeps each waiting
 * caller on its own reply object: it receives with one, and when a token
 * keeps the call, receives the next request with another. `replies` names
 * n reply objects (2 .. IDL_DEFER_MAX + 1), so n - 1 calls may wait; one
 * more gets IDL_E_BUSY, unless a waiting caller has gone away (Reply Probe
 * says so), whose object is then reused. An answer is a Send on the
 * caller's reply object, made from any op or from `intercept`, which sees
 * every message first as with idl_kernel_serve_intercept (a signal of the
 * endpoint's bound notification: an interrupt, say). When the loop returns
 * (after max_requests), every call still waiting is answered
 * IDL_E_DROPPED. The table is the loop's; ops reach it through their
 * tokens. */
struct tsr_msg;
typedef bool (*idl_kernel_intercept_fn)(void *ctx, uint64_t badge, const struct tsr_msg *m);
typedef struct idl_kernel_defer_config {
    const uint64_t *replies;
    unsigned n;
    idl_deferrals *table;             /* set up by the loop */
    idl_kernel_intercept_fn intercept; /* may be NULL */
    void *ctx;
} idl_kernel_defer_config;

/* As idl_kernel_serve, with deferred calls; the reply objects are defer's. */
tsr_error_t idl_kernel_serve_deferred(uint64_t endpoint, const idl_binding *bindings,
                                      size_t nbindings, const idl_kernel_cap_slots *slots,
                                      idl_kernel_defer_config *defer, unsigned max_requests);

/* Both: bulk regions as idl_kernel_serve_bulk, deferred calls as
 * idl_kernel_serve_deferred (a server whose bulk methods answer at once and
 * whose other methods may wait: the VFS). */
tsr_error_t idl_kernel_serve_bulk_deferred(uint64_t endpoint, const idl_binding *bindings,
                                           size_t nbindings, const idl_kernel_cap_slots *slots,
                                           const idl_kernel_bulk_config *bulk,
                                           idl_kernel_defer_config *defer, unsigned max_requests);

/* ---- events --------------------------------------------------------------------
 * A subscriber gives the server a message queue capability with WRITE
 * (typically as a cap<msg_queue, write> parameter); the server keeps it (moved
 * out of the receive slots) and makes it a sink. Posting is a Send on the
 * queue, which never blocks: a full queue (or a sender over its quota) loses
 * the event, counted. The client maps the queue (MsgQueue Map) and takes
 * each event with idl_kernel_event_take, without a system call, then hands
 * it to the generated I_vV_event_dispatch. */
struct tsr_msgq_view;
void idl_kernel_event_sink_init(idl_event_sink *s, uint64_t queue);
bool idl_kernel_event_take(struct tsr_msgq_view *v, idl_msg *m);

/* As idl_kernel_serve, forever, with two differences. Every message is
 * first shown to `intercept` (if not NULL) with the sender's badge: if it
 * returns true the message was not an IDL request (a fault report, a signal
 * of the bound notification, which arrives with message info 0) and has
 * been dealt with; nothing is answered and the server receives again. And
 * capabilities a request brought that are still in the receive slots after
 * dispatch (its handler did not move them, or it was refused before any
 * handler ran) are deleted, so the next transfer finds the slots empty. */
tsr_error_t idl_kernel_serve_intercept(uint64_t endpoint, uint64_t reply,
                                       const idl_binding *bindings, size_t nbindings,
                                       const idl_kernel_cap_slots *slots,
                                       idl_kernel_intercept_fn intercept, void *ctx);

#endif
