/* SPDX-License-Identifier: MIT */
/* The name-service client and the serving helper every program links
 * (tsr/service.h). Replies that carry a capability need the receive slot set
 * in the IPC buffer before the call, and cleared after, so a later call that
 * expects none cannot be handed one. */
#include <stdint.h>

#include "names.h"
#include "tsr/invoke.h"
#include "tsr/service.h"
#include "tsr/program.h"
#include "tsr/runtime.h"

#define D TSR_ROOT_DEPTH
#define WAIT_TRIES 2000

static idl_kernel_transport names_t;
static bool names_ready;

idl_transport *names_transport(void)
{
    if (!names_ready) {
        idl_kernel_transport_init(&names_t, TSR_PROG_NAMES);
        names_ready = true;
    }
    return &names_t.transport;
}

static void expect_cap(tsr_cptr_t slot)
{
    struct tsr_ipc_buffer *buf = tsr_ipc_buffer();
    buf->receive_cnode = TSR_PROG_CNODE;
    buf->receive_index = slot;
    buf->receive_depth = slot ? D : 0;
}

idl_status_t names_register_endpoint(const char *name, tsr_cptr_t endpoint, uint32_t *vid)
{
    return names_v1_register_name(names_transport(), name, endpoint, vid);
}

idl_status_t names_register(const char *name, uint32_t *vid)
{
    return names_register_endpoint(name, TSR_PROG_ENDPOINT, vid);
}

idl_status_t names_unregister(const char *name)
{
    return names_v1_unregister_name(names_transport(), name);
}

idl_status_t names_resolve(const char *name, uint32_t *vid, tsr_cptr_t *endpoint)
{
    tsr_cptr_t slot = tsr_alloc_slot();
    if (!slot)
        return idl_status_from_tsr(TSR_E_RANGE);
    expect_cap(slot);
    idl_cap_t got = 0;
    idl_status_t st = names_v1_resolve(names_transport(), name, vid, &got);
    expect_cap(0);
    if (st != IDL_OK || got != slot) {
        tsr_cnode_delete(TSR_PROG_CNODE, slot, D);
        tsr_free_slot(slot);
        return st != IDL_OK ? st : IDL_E_BAD_REPLY;
    }
    *endpoint = slot;
    return IDL_OK;
}

idl_status_t names_resolve_wait(const char *name, uint32_t *vid, tsr_cptr_t *endpoint)
{
    idl_status_t st = NAMES_ERROR_NOT_FOUND;
    for (unsigned i = 0; i < WAIT_TRIES && st == NAMES_ERROR_NOT_FOUND; i++) {
        st = names_resolve(name, vid, endpoint);
        if (st == NAMES_ERROR_NOT_FOUND)
            tsr_yield();
    }
    return st;
}

idl_status_t names_connect(uint32_t vid, tsr_cptr_t *endpoint)
{
    tsr_cptr_t slot = tsr_alloc_slot();
    if (!slot)
        return idl_status_from_tsr(TSR_E_RANGE);
    expect_cap(slot);
    idl_cap_t got = 0;
    idl_status_t st = names_v1_connect(names_transport(), vid, &got);
    expect_cap(0);
    if (st != IDL_OK || got != slot) {
        tsr_cnode_delete(TSR_PROG_CNODE, slot, D);
        tsr_free_slot(slot);
        return st != IDL_OK ? st : IDL_E_BAD_REPLY;
    }
    *endpoint = slot;
    return IDL_OK;
}

idl_status_t tsr_connect(const char *name, idl_kernel_transport *t)
{
    uint32_t vid;
    tsr_cptr_t ep;
    idl_status_t st = names_resolve_wait(name, &vid, &ep);
    if (st == IDL_OK)
        idl_kernel_transport_init(t, ep);
    return st;
}

tsr_error_t tsr_serve(const idl_binding *bindings, size_t n)
{
    static tsr_cptr_t received;
    if (!received)
        received = tsr_alloc_slot();
    idl_kernel_cap_slots slots = {TSR_PROG_CNODE, received, D, received ? 1 : 0};
    return idl_kernel_serve_intercept(TSR_PROG_ENDPOINT, TSR_PROG_REPLY, bindings, n, &slots,
                                      NULL, NULL);
}

const char *names_status_text(idl_status_t st)
{
    switch (st) {
    case NAMES_ERROR_NOT_FOUND: return "not found";
    case NAMES_ERROR_DUPLICATE: return "already registered";
    case NAMES_ERROR_SERVER_DEAD: return "server dead";
    case NAMES_ERROR_NOT_ALLOWED: return "not allowed";
    case NAMES_ERROR_NOT_OWNER: return "not the owner";
    case NAMES_ERROR_BAD_NAME: return "bad name";
    case NAMES_ERROR_TABLE_FULL: return "table full";
    case NAMES_ERROR_BAD_CAPABILITY: return "bad capability";
    }
    return tsr_status_text(st);
}

const char *tsr_status_text(idl_status_t st)
{
    switch (st) {
    case IDL_OK: return "ok";
    case IDL_E_UNKNOWN_INTERFACE: return "unknown interface";
    case IDL_E_UNKNOWN_VERSION: return "unknown version";
    case IDL_E_UNKNOWN_METHOD: return "unknown method";
    case IDL_E_MALFORMED: return "malformed message";
    case IDL_E_BAD_VALUE: return "bad value";
    case IDL_E_BAD_BULK: return "bad bulk window";
    case IDL_E_NOT_IMPLEMENTED: return "not implemented";
    case IDL_E_ENCODE: return "value out of bounds";
    case IDL_E_BAD_REPLY: return "bad reply";
    case IDL_E_NO_COMPATIBLE_VERSION: return "no compatible version";
    }
    if (st >= IDL_E_TRANSPORT_BASE)
        return "transport error";
    return st <= IDL_STATUS_IFACE_MAX ? "the interface's own error" : "unknown status";
}
