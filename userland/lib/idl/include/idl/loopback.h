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

#endif /* IDL_LOOPBACK_H */
