/* SPDX-License-Identifier: MIT */
/* Loopback transport: see include/idl/loopback.h. Host only, so it may use
 * libc. */
#include <idl/loopback.h>

#include <string.h>

/* Pattern left in words and caps the sender did not fill, so a dispatcher
 * that reads past nwords sees garbage rather than the client's data. */
#define POISON 0xa5a5a5a5a5a5a5a5ull

/* The checks the kernel makes on any message (docs/syscalls.md). */
static bool shape_ok(const idl_msg *m)
{
    return m->label <= IDL_LABEL_MAX && m->nwords <= TSR_MSG_MAX_WORDS &&
           m->ncaps <= TSR_MSG_MAX_CAPS;
}

/* Copy a message as the kernel would deliver it: the receiver's cap_info
 * says what each capability is, with the rights the sender kept. */
static void copy_msg(const idl_loopback *lb, idl_msg *dst, const idl_msg *src)
{
    dst->label = src->label;
    dst->nwords = src->nwords;
    dst->ncaps = src->ncaps;
    memcpy(dst->words, src->words, src->nwords * sizeof dst->words[0]);
    memcpy(dst->caps, src->caps, src->ncaps * sizeof dst->caps[0]);
    for (uint32_t i = 0; i < src->ncaps; i++) {
        uint64_t info = lb->cap_info ? lb->cap_info(lb->cap_ctx, src->caps[i]) : 0;
        unsigned rights = tsr_cap_info_rights(info);
        if (src->cap_info[i] & TSR_CAP_INFO_RESTRICT)
            rights &= tsr_cap_info_rights(src->cap_info[i]);
        dst->cap_info[i] = TSR_CAP_INFO(tsr_cap_info_type(info), rights);
    }
}

static void poison(idl_msg *m)
{
    for (size_t i = 0; i < TSR_MSG_MAX_WORDS; i++)
        m->words[i] = POISON;
    for (size_t i = 0; i < TSR_MSG_MAX_CAPS; i++)
        m->caps[i] = m->cap_info[i] = POISON;
}

static idl_dispatch_result deliver(idl_loopback *lb, const idl_msg *req)
{
    poison(&lb->server_msg);
    copy_msg(lb, &lb->server_msg, req);
    return idl_server_dispatch(lb->bindings, lb->nbindings, &lb->caller, &lb->server_msg);
}

/* A call the server did not answer at once: if a token kept it, wait for
 * the answer by running the rest of the world. */
static tsr_error_t await_answer(idl_loopback *lb, bool kept, idl_msg *msg)
{
    while (kept && lb->waiting && !lb->answered && lb->pump && lb->pump(lb->pump_ctx))
        ;
    lb->waiting = false;
    if (!lb->answered)
        return TSR_E_CANCELLED; /* never answered: the caller is released */
    lb->replies++;
    *msg = lb->answer;
    return TSR_OK;
}

static tsr_error_t lb_call(idl_transport *t, idl_msg *msg)
{
    idl_loopback *lb = (idl_loopback *)t;
    if (!shape_ok(msg))
        return TSR_E_INVALID_ARGUMENT;
    lb->calls++;
    lb->waiting = true;
    lb->answered = false;
    if (lb->defer) {
        lb->defer->current = (uint64_t)(uintptr_t)lb;
        lb->defer->current_kept = false;
    }
    if (deliver(lb, msg) != IDL_REPLY)
        return await_answer(lb, lb->defer && lb->defer->current_kept, msg);
    lb->waiting = false;
    if (!shape_ok(&lb->server_msg))
        return TSR_E_INVALID_ARGUMENT;
    lb->replies++;
    copy_msg(lb, msg, &lb->server_msg);
    return TSR_OK;
}

static tsr_error_t lb_send(idl_transport *t, const idl_msg *msg)
{
    idl_loopback *lb = (idl_loopback *)t;
    if (!shape_ok(msg))
        return TSR_E_INVALID_ARGUMENT;
    lb->sends++;
    /* Kernel send has no reply path: whatever the dispatcher says is lost. */
    if (deliver(lb, msg) == IDL_REPLY)
        lb->replies++;
    else
        lb->dropped++;
    return TSR_OK;
}

static const idl_transport_ops loopback_ops = {
    .call = lb_call,
    .send = lb_send,
};

void idl_loopback_init(idl_loopback *lb, const idl_binding *bindings, size_t nbindings,
                       uint64_t badge, void *bulk_base, size_t bulk_size)
{
    memset(lb, 0, sizeof *lb);
    lb->transport.ops = &loopback_ops;
    lb->bindings = bindings;
    lb->nbindings = nbindings;
    lb->caller.badge = badge;
    lb->caller.bulk_base = bulk_base;
    lb->caller.bulk_size = bulk_size;
}

void idl_loopback_set_cap_info(idl_loopback *lb, idl_loopback_cap_info_fn fn, void *ctx)
{
    lb->cap_info = fn;
    lb->cap_ctx = ctx;
}

/* ---- deferred replies: a handle is the idl_loopback whose call waits ---- */

static tsr_error_t lb_answer(idl_deferrals *d, uint64_t handle, idl_msg *reply)
{
    (void)d;
    idl_loopback *lb = (idl_loopback *)(uintptr_t)handle;
    if (!lb->waiting || lb->answered)
        return TSR_E_ILLEGAL_OPERATION; /* nobody waits: as Send on a reply object */
    if (!shape_ok(reply))
        return TSR_E_INVALID_ARGUMENT;
    copy_msg(lb, &lb->answer, reply);
    lb->answered = true;
    return TSR_OK;
}

static bool lb_waiting(idl_deferrals *d, uint64_t handle)
{
    (void)d;
    const idl_loopback *lb = (const idl_loopback *)(uintptr_t)handle;
    return lb->waiting && !lb->answered;
}

static const idl_defer_ops lb_defer_ops = {.answer = lb_answer, .waiting = lb_waiting};

void idl_loopback_deferrals_init(idl_deferrals *d, unsigned capacity)
{
    idl_deferrals_init(d, &lb_defer_ops, NULL, capacity);
}

void idl_loopback_set_deferrals(idl_loopback *lb, idl_deferrals *d, bool (*pump)(void *ctx),
                                void *ctx)
{
    lb->defer = d;
    lb->caller.defer = d;
    lb->pump = pump;
    lb->pump_ctx = ctx;
}

/* ---- events ---- */

static tsr_error_t lb_post(idl_event_sink *s, const idl_msg *m)
{
    idl_loopback_events *q = (idl_loopback_events *)(uintptr_t)s->handle;
    if (q->closed)
        return TSR_E_INVALID_CAPABILITY;
    if (!shape_ok(m) || m->ncaps != 0 || m->nwords > TSR_MSG_REG_WORDS)
        return TSR_E_INVALID_ARGUMENT; /* what a message queue takes */
    if (q->tail - q->head == q->capacity)
        return TSR_E_QUEUE_FULL;
    idl_msg *slot = &q->slot[q->tail % q->capacity];
    poison(slot);
    slot->label = m->label;
    slot->nwords = m->nwords;
    slot->ncaps = 0;
    memcpy(slot->words, m->words, m->nwords * sizeof m->words[0]);
    q->tail++;
    return TSR_OK;
}

static const idl_event_sink_ops lb_sink_ops = {.post = lb_post};

void idl_loopback_events_init(idl_loopback_events *q, unsigned capacity)
{
    memset(q, 0, sizeof *q);
    q->capacity = capacity && capacity <= IDL_LOOPBACK_EVENT_SLOTS ? capacity
                                                                   : IDL_LOOPBACK_EVENT_SLOTS;
}

void idl_loopback_event_sink_init(idl_event_sink *s, idl_loopback_events *q)
{
    memset(s, 0, sizeof *s);
    s->ops = &lb_sink_ops;
    s->handle = (uint64_t)(uintptr_t)q;
}

bool idl_loopback_event_take(idl_loopback_events *q, idl_msg *m)
{
    if (q->head == q->tail)
        return false;
    *m = q->slot[q->head++ % q->capacity];
    return true;
}

void idl_loopback_client_gone(idl_loopback *lb)
{
    lb->waiting = false;
}
