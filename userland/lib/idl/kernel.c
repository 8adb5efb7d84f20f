/* SPDX-License-Identifier: MIT */
/* The IDL runtime over Tessera IPC (see idl/kernel.h). */
#include <stdint.h>

#include <tessera/ipc.h>

#include "idl/kernel.h"
#include "tsr/invoke.h"
#include "tsr/syscall.h"

/* idl_msg -> registers and IPC buffer. */
static void to_message(const idl_msg *in, struct tsr_msg *out, struct tsr_ipc_buffer *buf)
{
    unsigned n = in->nwords <= TSR_MSG_MAX_WORDS ? in->nwords : TSR_MSG_MAX_WORDS;
    unsigned caps = in->ncaps <= TSR_MSG_MAX_CAPS ? in->ncaps : TSR_MSG_MAX_CAPS;
    for (unsigned i = 0; i < n; i++) {
        if (i < TSR_MSG_REG_WORDS)
            out->mr[i] = in->words[i];
        else
            buf->msg[i] = in->words[i];
    }
    for (unsigned i = 0; i < caps; i++)
        buf->caps[i] = in->caps[i];
    out->info = tsr_msginfo(in->label, caps, n);
}

/* Registers and IPC buffer -> idl_msg. Received capabilities are named by
 * the slots they arrived in, from `first_slot` on. */
static void from_message(const struct tsr_msg *in, const struct tsr_ipc_buffer *buf,
                         uint64_t first_slot, idl_msg *out)
{
    out->label = tsr_msginfo_label(in->info);
    out->nwords = tsr_msginfo_length(in->info);
    out->ncaps = tsr_msginfo_caps(in->info);
    for (unsigned i = 0; i < out->nwords; i++)
        out->words[i] = i < TSR_MSG_REG_WORDS ? in->mr[i] : buf->msg[i];
    for (unsigned i = 0; i < out->ncaps; i++)
        out->caps[i] = first_slot + i;
}

static tsr_error_t kernel_call(idl_transport *t, idl_msg *msg)
{
    const idl_kernel_transport *kt = (const idl_kernel_transport *)t;
    struct tsr_ipc_buffer *buf = tsr_ipc_buffer();
    struct tsr_msg m;
    to_message(msg, &m, buf);
    tsr_error_t err = tsr_call(kt->endpoint, &m);
    if (err)
        return err;
    from_message(&m, buf, buf->receive_index, msg);
    return TSR_OK;
}

static tsr_error_t kernel_send(idl_transport *t, const idl_msg *msg)
{
    const idl_kernel_transport *kt = (const idl_kernel_transport *)t;
    struct tsr_msg m;
    to_message(msg, &m, tsr_ipc_buffer());
    return tsr_send(kt->endpoint, &m);
}

static const idl_transport_ops kernel_ops = {.call = kernel_call, .send = kernel_send};

void idl_kernel_transport_init(idl_kernel_transport *t, uint64_t endpoint)
{
    t->transport.ops = &kernel_ops;
    t->endpoint = endpoint;
}

tsr_error_t idl_kernel_serve(uint64_t endpoint, uint64_t reply, const idl_binding *bindings,
                             size_t nbindings, const idl_kernel_cap_slots *slots,
                             unsigned max_requests)
{
    struct tsr_ipc_buffer *buf = tsr_ipc_buffer();
    static const idl_kernel_cap_slots none = {0, 0, 0, 0};
    if (!slots)
        slots = &none;
    idl_msg msg;
    struct tsr_msg m = {0};
    uint64_t badge;
    bool have_reply = false;
    for (unsigned served = 0; max_requests == 0 || served < max_requests; served++) {
        /* Received capabilities must find their slots empty: the server
         * moves or deletes them in its handlers. */
        buf->receive_cnode = slots->cnode;
        buf->receive_index = slots->first;
        buf->receive_depth = slots->count ? slots->depth : 0;
        tsr_error_t err = have_reply ? tsr_reply_recv(endpoint, reply, &m, &badge)
                                     : tsr_recv(endpoint, reply, &m, &badge);
        if (err)
            return err;
        from_message(&m, buf, slots->first, &msg);
        idl_caller caller = {.badge = badge, .bulk_base = NULL, .bulk_size = 0};
        have_reply = idl_server_dispatch(bindings, nbindings, &caller, &msg) == IDL_REPLY;
        if (have_reply)
            to_message(&msg, &m, buf);
    }
    /* Answer the last request before returning. */
    if (have_reply)
        return tsr_send(reply, &m);
    return TSR_OK;
}

tsr_error_t idl_kernel_serve_intercept(uint64_t endpoint, uint64_t reply,
                                       const idl_binding *bindings, size_t nbindings,
                                       const idl_kernel_cap_slots *slots,
                                       idl_kernel_intercept_fn intercept, void *ctx)
{
    struct tsr_ipc_buffer *buf = tsr_ipc_buffer();
    static const idl_kernel_cap_slots none = {0, 0, 0, 0};
    if (!slots)
        slots = &none;
    idl_msg msg;
    struct tsr_msg m = {0};
    uint64_t badge;
    bool have_reply = false;
    for (;;) {
        buf->receive_cnode = slots->cnode;
        buf->receive_index = slots->first;
        buf->receive_depth = slots->count ? slots->depth : 0;
        tsr_error_t err = have_reply ? tsr_reply_recv(endpoint, reply, &m, &badge)
                                     : tsr_recv(endpoint, reply, &m, &badge);
        if (err)
            return err;
        if (intercept && intercept(ctx, badge, &m)) {
            have_reply = false;
            continue;
        }
        from_message(&m, buf, slots->first, &msg);
        idl_caller caller = {.badge = badge, .bulk_base = NULL, .bulk_size = 0};
        have_reply = idl_server_dispatch(bindings, nbindings, &caller, &msg) == IDL_REPLY;
        /* Whatever arrived and was not moved away (a request refused
         * before its handler ran, a handler that kept nothing) must not
         * block the next transfer: empty the receive slots. */
        for (unsigned i = 0; i < tsr_msginfo_caps(m.info) && i < slots->count; i++)
            tsr_cnode_delete(slots->cnode, slots->first + i, slots->depth);
        if (have_reply)
            to_message(&msg, &m, buf);
    }
}
