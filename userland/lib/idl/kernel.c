/* SPDX-License-Identifier: MIT */
/* The IDL runtime over Tessera IPC (see idl/kernel.h). */
#include <stdint.h>

#include <tessera/ipc.h>

#include "idl/kernel.h"
#include "tsr/bulk.h"
#include "tsr/msgqueue.h"
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
    for (unsigned i = 0; i < caps; i++) {
        buf->caps[i] = in->caps[i];
        buf->cap_info[i] = in->cap_info[i];
    }
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
    for (unsigned i = 0; i < out->ncaps; i++) {
        out->caps[i] = first_slot + i;
        out->cap_info[i] = buf->cap_info[i];
    }
}

/* After a system call that sent capabilities: the restrictions the
 * generated code wrote in cap_info (IDL_CAP_SEND) stay in the IPC buffer
 * until overwritten, and would restrict the next capability this thread
 * sends by hand. Received entries never have the bit, so this clears
 * only what was sent. */
static void forget_restrictions(struct tsr_ipc_buffer *buf)
{
    for (unsigned i = 0; i < TSR_MSG_MAX_CAPS; i++)
        if (buf->cap_info[i] & TSR_CAP_INFO_RESTRICT)
            buf->cap_info[i] = 0;
}

static tsr_error_t kernel_call(idl_transport *t, idl_msg *msg)
{
    const idl_kernel_transport *kt = (const idl_kernel_transport *)t;
    struct tsr_ipc_buffer *buf = tsr_ipc_buffer();
    struct tsr_msg m;
    to_message(msg, &m, buf);
    tsr_error_t err = tsr_call(kt->endpoint, &m);
    forget_restrictions(buf);
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
    tsr_error_t err = tsr_send(kt->endpoint, &m);
    forget_restrictions(tsr_ipc_buffer());
    return err;
}

static const idl_transport_ops kernel_ops = {.call = kernel_call, .send = kernel_send};

void idl_kernel_transport_init(idl_kernel_transport *t, uint64_t endpoint)
{
    t->transport.ops = &kernel_ops;
    t->endpoint = endpoint;
}

idl_status_t idl_kernel_share_bulk(idl_kernel_transport *t, uint64_t first_frame,
                                   unsigned nframes)
{
    if (nframes == 0 || nframes > TSR_MSG_MAX_CAPS)
        return IDL_E_BAD_BULK;
    struct tsr_ipc_buffer *buf = tsr_ipc_buffer();
    for (unsigned i = 0; i < nframes; i++)
        buf->caps[i] = first_frame + i;
    struct tsr_msg m = {.info = tsr_msginfo(IDL_KERNEL_SHARE_BULK_LABEL, nframes, 0) |
                                TSR_MSGINFO_SHARE};
    tsr_error_t err = tsr_call(t->endpoint, &m);
    if (err)
        return idl_status_from_tsr(err);
    return (idl_status_t)tsr_msginfo_label(m.info);
}

/* The server's side of the bulk regions. */
struct bulk_client {
    uint64_t badge;
    uint8_t *base;
    size_t size;
};
struct bulk_state {
    const idl_kernel_bulk_config *config;
    struct bulk_client client[IDL_KERNEL_BULK_CLIENTS];
    unsigned clients;
};

static const struct bulk_client *bulk_find(const struct bulk_state *b, uint64_t badge)
{
    for (unsigned i = 0; b->config && i < b->clients; i++)
        if (b->client[i].badge == badge)
            return &b->client[i];
    return NULL;
}

/* Before each receive: frames may land in the next client's slice. */
static void bulk_prepare(const struct bulk_state *b)
{
    const idl_kernel_bulk_config *c = b->config;
    if (b->clients < IDL_KERNEL_BULK_CLIENTS)
        tsr_receive_window(c->window + b->clients * c->slice, c->slice);
    else
        tsr_receive_window(0, 0);
}

/* A region offered by `badge`: `n` frames that arrived in slots from
 * `first`, mapped at the addresses caps[] holds. It is taken if they follow
 * one another from the slice's start (each frame's size asked of the
 * kernel: a client's word is not trusted) and the client has none yet. */
static idl_status_t bulk_take(struct bulk_state *b, uint64_t badge, uint64_t first, unsigned n,
                              uint64_t cnode, uint64_t depth)
{
    const idl_kernel_bulk_config *c = b->config;
    const struct tsr_ipc_buffer *buf = tsr_ipc_buffer();
    bool ok = c && n > 0 && b->clients < IDL_KERNEL_BULK_CLIENTS && !bulk_find(b, badge);
    uint64_t start = c ? c->window + b->clients * c->slice : 0, next = start;
    for (unsigned i = 0; ok && i < n; i++) {
        uint64_t size;
        ok = tsr_frame_get_size(first + i, &size) == TSR_OK && buf->caps[i] == next;
        next += size;
    }
    uint64_t store = c ? c->store_first + 4 * b->clients : 0;
    for (unsigned i = 0; ok && i < n; i++)
        ok = first + i == store + i || tsr_cnode_move(c->cnode, store + i, (unsigned)c->depth,
                                                     cnode, first + i, (unsigned)depth) == TSR_OK;
    if (!ok) {
        /* Not a region: delete whatever arrived (its mappings go too). */
        for (unsigned i = 0; i < n; i++) {
            tsr_cnode_delete(cnode, first + i, (unsigned)depth);
            if (c)
                tsr_cnode_delete(c->cnode, store + i, (unsigned)c->depth);
        }
        return IDL_E_BAD_BULK;
    }
    b->client[b->clients++] = (struct bulk_client){badge, (uint8_t *)(uintptr_t)start,
                                                   (size_t)(next - start)};
    return IDL_OK;
}

/* ---- deferred replies: a handle is the reply object the caller waits on ---- */

static tsr_error_t kernel_answer(idl_deferrals *d, uint64_t handle, idl_msg *reply)
{
    (void)d;
    struct tsr_ipc_buffer *buf = tsr_ipc_buffer();
    struct tsr_msg m;
    to_message(reply, &m, buf);
    tsr_error_t err = tsr_send(handle, &m); /* ILLEGAL_OPERATION: nobody waits */
    forget_restrictions(buf);
    return err;
}

static bool kernel_waiting(idl_deferrals *d, uint64_t handle)
{
    (void)d;
    bool waiting = false;
    return tsr_reply_probe(handle, &waiting) == TSR_OK && waiting;
}

static const idl_defer_ops kernel_defer_ops = {.answer = kernel_answer,
                                               .waiting = kernel_waiting};

/* A reply object no waiting call holds, to receive the next request with
 * (there is one: at most n - 1 calls wait). */
static uint64_t free_reply(const idl_kernel_defer_config *c)
{
    for (unsigned i = 0; i < c->n; i++) {
        bool held = false;
        for (unsigned k = 0; k < c->table->capacity && !held; k++)
            held = c->table->pending[k].used && c->table->pending[k].handle == c->replies[i];
        if (!held)
            return c->replies[i];
    }
    return c->replies[0]; /* not reached */
}

static tsr_error_t serve_loop(uint64_t endpoint, uint64_t reply, const idl_binding *bindings,
                              size_t nbindings, const idl_kernel_cap_slots *slots,
                              const idl_kernel_bulk_config *bulk, idl_kernel_defer_config *defer,
                              unsigned max_requests);

tsr_error_t idl_kernel_serve_deferred(uint64_t endpoint, const idl_binding *bindings,
                                      size_t nbindings, const idl_kernel_cap_slots *slots,
                                      idl_kernel_defer_config *defer, unsigned max_requests)
{
    return idl_kernel_serve_bulk_deferred(endpoint, bindings, nbindings, slots, NULL, defer,
                                          max_requests);
}

tsr_error_t idl_kernel_serve_bulk_deferred(uint64_t endpoint, const idl_binding *bindings,
                                           size_t nbindings, const idl_kernel_cap_slots *slots,
                                           const idl_kernel_bulk_config *bulk,
                                           idl_kernel_defer_config *defer, unsigned max_requests)
{
    if (defer->n < 2 || defer->n > IDL_DEFER_MAX + 1 || defer->table == NULL)
        return TSR_E_INVALID_ARGUMENT;
    idl_deferrals_init(defer->table, &kernel_defer_ops, NULL, defer->n - 1);
    return serve_loop(endpoint, defer->replies[0], bindings, nbindings, slots, bulk, defer,
                      max_requests);
}

tsr_error_t idl_kernel_serve(uint64_t endpoint, uint64_t reply, const idl_binding *bindings,
                             size_t nbindings, const idl_kernel_cap_slots *slots,
                             unsigned max_requests)
{
    return idl_kernel_serve_bulk(endpoint, reply, bindings, nbindings, slots, NULL, max_requests);
}

tsr_error_t idl_kernel_serve_bulk(uint64_t endpoint, uint64_t reply, const idl_binding *bindings,
                                  size_t nbindings, const idl_kernel_cap_slots *slots,
                                  const idl_kernel_bulk_config *bulk, unsigned max_requests)
{
    return serve_loop(endpoint, reply, bindings, nbindings, slots, bulk, NULL, max_requests);
}

static tsr_error_t serve_loop(uint64_t endpoint, uint64_t reply, const idl_binding *bindings,
                              size_t nbindings, const idl_kernel_cap_slots *slots,
                              const idl_kernel_bulk_config *bulk, idl_kernel_defer_config *defer,
                              unsigned max_requests)
{
    struct tsr_ipc_buffer *buf = tsr_ipc_buffer();
    static const idl_kernel_cap_slots none = {0, 0, 0, 0};
    if (!slots)
        slots = &none;
    struct bulk_state b = {.config = bulk};
    idl_msg msg;
    struct tsr_msg m = {0};
    uint64_t badge;
    bool have_reply = false;
    for (unsigned served = 0; max_requests == 0 || served < max_requests;) {
        /* Received capabilities must find their slots empty: the server
         * moves or deletes them in its handlers. With bulk regions they
         * arrive in the next client's four store slots, where the frames of
         * a region stay. */
        uint64_t cnode = slots->cnode, first = slots->first, depth = slots->depth;
        bool accept = slots->count != 0;
        if (bulk && b.clients < IDL_KERNEL_BULK_CLIENTS) {
            cnode = bulk->cnode, first = bulk->store_first + 4 * b.clients, depth = bulk->depth;
            accept = true;
        }
        tsr_receive_slots(cnode, first, accept ? (unsigned)depth : 0);
        if (bulk)
            bulk_prepare(&b);
        tsr_error_t err = have_reply ? tsr_reply_recv(endpoint, reply, &m, &badge)
                                     : tsr_recv(endpoint, reply, &m, &badge);
        forget_restrictions(buf);
        if (err) {
            if (defer)
                idl_defer_drop_all(defer->table);
            return err;
        }
        if (defer && defer->intercept && defer->intercept(defer->ctx, badge, &m)) {
            have_reply = false; /* not a request: nobody to answer */
            continue;
        }
        unsigned ncaps = tsr_msginfo_caps(m.info);
        if (__builtin_expect((m.info & (TSR_MSGINFO_MOVE | TSR_MSGINFO_SHARE)) != 0, 0) ||
            tsr_msginfo_label(m.info) == IDL_KERNEL_SHARE_BULK_LABEL) {
            /* A transport message, not a request: a region offered (frames
             * sent any other way are refused and deleted). */
            bool offer = tsr_msginfo_label(m.info) == IDL_KERNEL_SHARE_BULK_LABEL &&
                         (m.info & TSR_MSGINFO_SHARE);
            idl_status_t st = offer ? bulk_take(&b, badge, first, ncaps, cnode, depth)
                                    : IDL_E_MALFORMED;
            if (!offer)
                for (unsigned i = 0; i < ncaps; i++)
                    tsr_cnode_delete(cnode, first + i, (unsigned)depth);
            msg = (idl_msg){.label = st};
            to_message(&msg, &m, buf);
            have_reply = true;
            continue;
        }
        served++;
        from_message(&m, buf, first, &msg);
        const struct bulk_client *region = bulk_find(&b, badge);
        idl_caller caller = {.badge = badge,
                             .bulk_base = region ? region->base : NULL,
                             .bulk_size = region ? region->size : 0,
                             .defer = defer ? defer->table : NULL};
        if (defer) {
            defer->table->current = reply;
            defer->table->current_kept = false;
        }
        have_reply = idl_server_dispatch(bindings, nbindings, &caller, &msg) == IDL_REPLY;
        if (defer && defer->table->current_kept)
            reply = free_reply(defer); /* the caller waits on the old one */
        /* Capabilities a handler did not move away (or that arrived with a
         * request refused before any handler ran: a wrong kind, say) must
         * not block the next transfer. */
        for (unsigned i = 0; i < ncaps; i++)
            tsr_cnode_delete(cnode, first + i, (unsigned)depth);
        if (have_reply)
            to_message(&msg, &m, buf);
    }
    /* Answer the last request before returning, and whoever still waits. */
    tsr_error_t err = TSR_OK;
    if (have_reply) {
        err = tsr_send(reply, &m);
        forget_restrictions(buf);
    }
    if (defer)
        idl_defer_drop_all(defer->table);
    return err;
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
        forget_restrictions(buf);
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

/* ---- events: a sink is a message queue capability ---- */

static tsr_error_t kernel_post(idl_event_sink *s, const idl_msg *m)
{
    struct tsr_msg msg;
    to_message(m, &msg, tsr_ipc_buffer());
    return tsr_send(s->handle, &msg); /* a queue never blocks: QUEUE_FULL */
}

static const idl_event_sink_ops kernel_sink_ops = {.post = kernel_post};

void idl_kernel_event_sink_init(idl_event_sink *s, uint64_t queue)
{
    *s = (idl_event_sink){.ops = &kernel_sink_ops, .handle = queue};
}

bool idl_kernel_event_take(struct tsr_msgq_view *v, idl_msg *m)
{
    struct tsr_msg msg;
    uint64_t badge;
    if (!tsr_msgq_view_take(v, &badge, &msg))
        return false;
    m->label = tsr_msginfo_label(msg.info);
    m->nwords = tsr_msginfo_length(msg.info);
    if (m->nwords > TSR_MSG_REG_WORDS)
        m->nwords = TSR_MSG_REG_WORDS; /* a queue holds register words only */
    m->ncaps = 0;
    for (unsigned i = 0; i < m->nwords; i++)
        m->words[i] = msg.mr[i];
    return true;
}
