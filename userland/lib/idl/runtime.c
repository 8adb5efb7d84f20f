/* SPDX-License-Identifier: MIT */
/* IDL runtime helpers shared by all generated stubs and dispatchers: reply
 * classification for failed calls, GUID routing across interfaces, interface
 * discovery (the answer every server gives from its bindings, and the
 * client calls that pick a version), and byte packing. Freestanding: no
 * libc, no allocation, no global state. */
#include <idl/runtime.h>

idl_status_t idl_call_failed(tsr_error_t e, const idl_msg *msg)
{
    if (e != TSR_OK)
        return idl_status_from_tsr(e);
    uint64_t label = msg->label;
    /* A reply status is 32 bits; anything above is a broken server. */
    if (label > 0xffffffffull)
        return IDL_E_BAD_REPLY;
    idl_status_t st = (idl_status_t)label;
    if (st == IDL_OK)
        return IDL_OK;
    /* Error replies carry nothing else, and only statuses a server may send:
     * interface errors or the protocol errors idl_status_server_sends()
     * lists (never IDL_E_BAD_REPLY or transport codes, which only a client
     * produces). */
    if (msg->nwords != 0 || msg->ncaps != 0)
        return IDL_E_BAD_REPLY;
    if (st > IDL_STATUS_IFACE_MAX && !idl_status_server_sends(st))
        return IDL_E_BAD_REPLY;
    return st;
}

idl_dispatch_result idl_server_dispatch(const idl_binding *bindings, size_t nbindings,
                                        const idl_caller *caller, idl_msg *msg)
{
    /* Too short to name an interface: nothing to route on. */
    if (msg->nwords < IDL_REQ_HEADER_WORDS)
        return idl_reply_status(msg, IDL_E_MALFORMED);
    uint64_t hi = msg->words[0], lo = msg->words[1];
    for (size_t i = 0; i < nbindings; i++) {
        if (bindings[i].guid.hi == hi && bindings[i].guid.lo == lo)
            return bindings[i].dispatch(bindings[i].server, caller, msg);
    }
    /* Discovery last: no binding has its GUID, and the calls of the
     * interfaces themselves do not pay for the comparison. */
    if (hi == IDL_DISCOVERY_GUID_HI && lo == IDL_DISCOVERY_GUID_LO)
        return idl_discovery_answer(bindings, nbindings, msg);
    return idl_reply_status(msg, IDL_E_UNKNOWN_INTERFACE);
}

size_t idl_strnlen(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n] != '\0')
        n++;
    return n;
}

void idl_pack_bytes(uint64_t *w, const void *src, size_t n)
{
    const uint8_t *p = src;
    size_t nw = IDL_WORDS(n);
    for (size_t i = 0; i < nw; i++) {
        uint64_t v = 0;
        for (size_t b = 0; b < 8 && i * 8 + b < n; b++)
            v |= (uint64_t)p[i * 8 + b] << (8 * b);
        w[i] = v;
    }
}

bool idl_unpack_bytes(void *dst, const uint64_t *w, size_t n)
{
    uint8_t *p = dst;
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(w[i / 8] >> (8 * (i % 8)));
    /* Canonical encoding: the unused tail of the last word is zero. */
    if (n % 8 != 0 && (w[n / 8] >> (8 * (n % 8))) != 0)
        return false;
    return true;
}

idl_status_t idl_unpack_string(char *dst, const uint64_t *w, size_t n)
{
    if (!idl_unpack_bytes(dst, w, n))
        return IDL_E_MALFORMED;
    for (size_t i = 0; i < n; i++) {
        if (dst[i] == '\0')
            return IDL_E_BAD_VALUE;
    }
    dst[n] = '\0';
    return IDL_OK;
}

void idl_zero(void *p, size_t n)
{
    /* A plain loop; the compiler may still emit a memset call, which every
     * freestanding C environment provides (struct copies need it too). */
    uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        b[i] = 0;
}

/* ---- discovery (docs/wire-format.md, "Discovery") ---------------------------- */

/* The index-th (GUID, version) the bindings serve, in binding order. */
static bool offer_at(const idl_binding *bindings, size_t nbindings, uint64_t index, idl_offer *o)
{
    for (size_t b = 0; b < nbindings; b++) {
        uint32_t n = bindings[b].nversions;
        if (n > IDL_BINDING_MAX_VERSIONS)
            n = IDL_BINDING_MAX_VERSIONS;
        if (index < n) {
            o->guid = bindings[b].guid;
            o->version = bindings[b].versions[index];
            return true;
        }
        index -= n;
    }
    return false;
}

idl_dispatch_result idl_discovery_answer(const idl_binding *bindings, size_t nbindings,
                                         idl_msg *msg)
{
    /* The checks of a generated dispatcher, in its order: label (reserved
     * bits, version, method, one-way flag), caps, words. */
    uint64_t label = msg->label;
    if (IDL_LABEL_INVALID(label))
        return idl_reply_status(msg, IDL_E_MALFORMED);
    if (IDL_LABEL_VERSION(label) != IDL_DISCOVERY_VERSION)
        return idl_reply_status(msg, IDL_E_UNKNOWN_VERSION);
    if (IDL_LABEL_ORDINAL(label) != IDL_DISCOVERY_LIST)
        return idl_reply_status(msg, IDL_E_UNKNOWN_METHOD);
    if ((label & IDL_LABEL_ONEWAY) || msg->ncaps != 0 || msg->nwords != IDL_REQ_HEADER_WORDS + 1)
        return idl_reply_status(msg, IDL_E_MALFORMED);
    uint64_t first = msg->words[IDL_REQ_HEADER_WORDS];
    uint64_t total = 0;
    idl_offer o = {{0, 0}, 0};
    while (offer_at(bindings, nbindings, total, &o))
        total++;
    uint64_t count = 0;
    for (uint64_t i = first; i < total && count < IDL_DISCOVERY_MAX_OFFERS; i++, count++) {
        offer_at(bindings, nbindings, i, &o);
        msg->words[2 + 3 * count] = o.guid.hi;
        msg->words[3 + 3 * count] = o.guid.lo;
        msg->words[4 + 3 * count] = o.version;
    }
    msg->words[0] = total;
    msg->words[1] = count;
    msg->label = IDL_OK;
    msg->nwords = (uint32_t)(2 + 3 * count);
    msg->ncaps = 0;
    return IDL_REPLY;
}

idl_status_t idl_discover(idl_transport *t, idl_offer *out, size_t max, size_t *count)
{
    size_t got = 0;
    uint64_t total = 1;
    /* Each round asks from where the last stopped; a server that answers
     * no offers before the total it announced is broken. */
    while (got < total && got < max) {
        idl_msg msg;
        msg.label = IDL_LABEL(IDL_DISCOVERY_VERSION, IDL_DISCOVERY_LIST, 0);
        msg.nwords = IDL_REQ_HEADER_WORDS + 1;
        msg.ncaps = 0;
        msg.words[0] = IDL_DISCOVERY_GUID_HI;
        msg.words[1] = IDL_DISCOVERY_GUID_LO;
        msg.words[2] = got;
        idl_status_t st = idl_call(t, &msg);
        if (st != IDL_OK)
            return st;
        if (msg.nwords < 2 || msg.ncaps != 0)
            return IDL_E_BAD_REPLY;
        uint64_t n = msg.words[1];
        total = msg.words[0];
        if (n > IDL_DISCOVERY_MAX_OFFERS || msg.nwords != 2 + 3 * n || n > total - got ||
            (n == 0 && got < total) || total < got)
            return IDL_E_BAD_REPLY;
        for (uint64_t i = 0; i < n; i++) {
            uint64_t v = msg.words[4 + 3 * i];
            if (v == 0 || v > 0xffff)
                return IDL_E_BAD_REPLY;
            if (got < max)
                out[got] = (idl_offer){{msg.words[2 + 3 * i], msg.words[3 + 3 * i]},
                                       (uint16_t)v};
            got++;
        }
    }
    *count = got < max ? got : max;
    return IDL_OK;
}

idl_status_t idl_negotiate(idl_transport *t, idl_guid guid, const uint16_t *known,
                           size_t nknown, uint16_t *chosen)
{
    idl_offer offers[2 * IDL_DISCOVERY_MAX_OFFERS];
    size_t n;
    idl_status_t st = idl_discover(t, offers, sizeof(offers) / sizeof(offers[0]), &n);
    if (st != IDL_OK)
        return st;
    bool any = false;
    uint16_t best = 0;
    for (size_t i = 0; i < n; i++) {
        if (offers[i].guid.hi != guid.hi || offers[i].guid.lo != guid.lo)
            continue;
        any = true;
        for (size_t k = 0; k < nknown; k++)
            if (known[k] == offers[i].version && offers[i].version > best)
                best = offers[i].version;
    }
    if (!any)
        return IDL_E_UNKNOWN_INTERFACE;
    if (best == 0)
        return IDL_E_NO_COMPATIBLE_VERSION;
    *chosen = best;
    return IDL_OK;
}

/* ---- deferred replies (runtime.h) ------------------------------------------ */

void idl_deferrals_init(idl_deferrals *d, const idl_defer_ops *ops, void *ctx,
                        unsigned capacity)
{
    idl_zero(d, sizeof *d);
    d->ops = ops;
    d->ctx = ctx;
    d->capacity = capacity < IDL_DEFER_MAX ? capacity : IDL_DEFER_MAX;
}

static void pending_free(idl_deferrals *d, uint32_t slot)
{
    d->pending[slot].used = false;
    d->pending[slot].gen++;
}

/* The entry a token names, if it is still the one the token was made for. */
static idl_pending *token_entry(idl_reply_token t)
{
    if (t.d == NULL || t.slot >= t.d->capacity)
        return NULL;
    idl_pending *p = &t.d->pending[t.slot];
    return p->used && p->gen == t.gen ? p : NULL;
}

idl_status_t idl_defer_take(const idl_caller *caller, uint64_t label, idl_reply_token *t)
{
    idl_deferrals *d = caller->defer;
    if (d == NULL)
        return IDL_E_BUSY;
    uint32_t slot = d->capacity;
    for (uint32_t i = 0; i < d->capacity && slot == d->capacity; i++)
        if (!d->pending[i].used)
            slot = i;
    /* Full: free the entries whose callers went away, then look again. */
    for (uint32_t i = 0; i < d->capacity && slot == d->capacity; i++) {
        if (!d->ops->waiting(d, d->pending[i].handle)) {
            pending_free(d, i);
            d->gone++;
            slot = i;
        }
    }
    if (slot == d->capacity)
        return IDL_E_BUSY;
    idl_pending *p = &d->pending[slot];
    p->used = true;
    p->handle = d->current;
    p->label = label;
    *t = (idl_reply_token){d, slot, p->gen};
    return IDL_OK;
}

idl_dispatch_result idl_defer_finish(idl_reply_token t, idl_msg *msg, idl_status_t st)
{
    bool live = token_entry(t) != NULL;
    if (st == IDL_DEFERRED) {
        /* Kept: the transport must not reuse the request's reply path. */
        if (live)
            t.d->current_kept = true;
        return IDL_NO_REPLY;
    }
    if (!live)
        return IDL_NO_REPLY; /* answered through the token already */
    pending_free(t.d, t.slot);
    if (st == IDL_OK) {
        t.d->dropped++;
        st = IDL_E_DROPPED; /* returned without keeping or using the token */
    }
    return idl_reply_status(msg, st);
}

bool idl_reply_valid(idl_reply_token t, uint64_t label)
{
    const idl_pending *p = token_entry(t);
    return p != NULL && p->label == label;
}

idl_status_t idl_reply_send(idl_reply_token t, idl_msg *reply)
{
    idl_pending *p = token_entry(t);
    if (p == NULL)
        return IDL_E_STALE_TOKEN;
    uint64_t handle = p->handle;
    pending_free(t.d, t.slot); /* one-shot, whatever the transport says */
    tsr_error_t e = t.d->ops->answer(t.d, handle, reply);
    if (e != TSR_OK) {
        t.d->gone++;
        return idl_status_from_tsr(e);
    }
    t.d->answered++;
    return IDL_OK;
}

idl_status_t idl_reply_fail(idl_reply_token t, idl_status_t status)
{
    if (token_entry(t) == NULL)
        return IDL_E_STALE_TOKEN;
    if (status == IDL_OK || (status > IDL_STATUS_IFACE_MAX && !idl_status_server_sends(status)))
        return IDL_E_ENCODE;
    idl_msg m;
    m.label = status;
    m.nwords = 0;
    m.ncaps = 0;
    return idl_reply_send(t, &m);
}

idl_status_t idl_reply_encode_failed(idl_reply_token t, idl_status_t st)
{
    idl_reply_fail(t, st);
    return st;
}

idl_status_t idl_reply_drop(idl_reply_token t)
{
    idl_status_t st = idl_reply_fail(t, IDL_E_DROPPED);
    if (st != IDL_E_STALE_TOKEN)
        t.d->dropped++;
    return st;
}

bool idl_reply_waiting(idl_reply_token t)
{
    const idl_pending *p = token_entry(t);
    if (p == NULL)
        return false;
    if (t.d->ops->waiting(t.d, p->handle))
        return true;
    pending_free(t.d, t.slot);
    t.d->gone++;
    return false;
}

unsigned idl_defer_drop_all(idl_deferrals *d)
{
    unsigned n = 0;
    for (uint32_t i = 0; i < d->capacity; i++) {
        if (d->pending[i].used) {
            idl_reply_drop((idl_reply_token){d, i, d->pending[i].gen});
            n++;
        }
    }
    return n;
}

/* ---- events (runtime.h) ---------------------------------------------------- */

idl_status_t idl_event_post(idl_event_sink *s, idl_msg *m)
{
    if (s->failed != TSR_OK)
        return idl_status_from_tsr(s->failed);
    m->words[2] = s->lost;
    tsr_error_t e = s->ops->post(s, m);
    if (e == TSR_OK) {
        s->lost = 0;
        s->delivered++;
        return IDL_OK;
    }
    if (e == TSR_E_QUEUE_FULL) {
        s->lost++;
        s->lost_total++;
        return IDL_E_EVENT_LOST;
    }
    s->failed = e;
    return idl_status_from_tsr(e);
}
