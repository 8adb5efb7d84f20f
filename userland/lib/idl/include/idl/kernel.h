/* SPDX-License-Identifier: MIT */
/* The IDL runtime over Tessera IPC: a client transport that turns each
 * request into a Call (one-way requests into a Send) on an endpoint, and a
 * server loop that receives requests, hands them to idl_server_dispatch and
 * answers through a reply object. Generated code is the same as with the
 * loopback transport: only the transport object differs. Word i of an
 * idl_msg is message register i (MR0-MR13 in registers, the rest in the IPC
 * buffer); capabilities travel in the IPC buffer's capability slots. */
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
 * stopped it, or TSR_OK after max_requests. */
tsr_error_t idl_kernel_serve(uint64_t endpoint, uint64_t reply, const idl_binding *bindings,
                             size_t nbindings, const idl_kernel_cap_slots *slots,
                             unsigned max_requests);

/* As idl_kernel_serve, forever, with two differences. Every message is
 * first shown to `intercept` (if not NULL) with the sender's badge: if it
 * returns true the message was not an IDL request (a fault report, a signal
 * of the bound notification, which arrives with message info 0) and has
 * been dealt with; nothing is answered and the server receives again. And
 * capabilities a request brought that are still in the receive slots after
 * dispatch (its handler did not move them, or it was refused before any
 * handler ran) are deleted, so the next transfer finds the slots empty. */
struct tsr_msg;
typedef bool (*idl_kernel_intercept_fn)(void *ctx, uint64_t badge, const struct tsr_msg *m);
tsr_error_t idl_kernel_serve_intercept(uint64_t endpoint, uint64_t reply,
                                       const idl_binding *bindings, size_t nbindings,
                                       const idl_kernel_cap_slots *slots,
                                       idl_kernel_intercept_fn intercept, void *ctx);

#endif
