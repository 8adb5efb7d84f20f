/* SPDX-License-Identifier: MIT */
/* libFuzzer target: raw messages fed to the generated decoders of
 * alltypes.idl, versions.idl and caps.idl, both as requests to the
 * dispatchers and as replies to the client stubs, and of events.idl as
 * events to a client's event dispatcher. The ops assert what
 * decoding promises (enums valid, bools 0/1, strings NUL-terminated within
 * bounds, bulk inside the region, typed capabilities of their kind with
 * their rights), so a decoder that lets something through aborts the run.
 *
 * Input layout: byte 0 picks interface/GUID handling and the direction,
 * bytes 1-6 the label, 7 nwords, 8 ncaps, then words (8 bytes each, LE);
 * the last 8 bytes, if there are more than the words take, are what the
 * "kernel" reports of the 4 capabilities (type byte, rights byte each). */
#include <stdlib.h>
#include <string.h>

#include <idl/runtime.h>

#include "alltypes.h"
#include "caps.h"
#include "events.h"
#include "optional.h"
#include "tables.h"
#include "unions.h"
#include "versions.h"

static uint8_t region[512];

#define ASSERT(c)                                                                          \
    do {                                                                                   \
        if (!(c))                                                                          \
            abort();                                                                       \
    } while (0)

static void check_inner(const inner_t *i)
{
    ASSERT(color_valid(i->c) && temp_valid(i->t));
    ASSERT(*(const uint8_t *)&i->flag <= 1);
}

static idl_status_t f_echo_args(void *s, const idl_caller *c, uint8_t a, uint16_t b, uint32_t cc,
                                uint64_t d, int8_t e, int16_t f, int32_t g, int64_t h, bool t,
                                color_t col, temp_t tp, wide_t wd, uint8_t *ra, uint16_t *rb,
                                uint32_t *rc, uint64_t *rd, int8_t *re, int16_t *rf, int32_t *rg,
                                int64_t *rh, bool *rt, color_t *rcol, temp_t *rtp, wide_t *rwd)
{
    (void)s, (void)c;
    ASSERT(color_valid(col) && temp_valid(tp) && wide_valid(wd));
    *ra = a, *rb = b, *rc = cc, *rd = d, *re = e, *rf = f, *rg = g, *rh = h, *rt = t;
    *rcol = col, *rtp = tp, *rwd = wd;
    return IDL_OK;
}

static idl_status_t f_echo_struct(void *s, const idl_caller *c, const outer_t *o, outer_t *r)
{
    (void)s, (void)c;
    check_inner(&o->in1);
    check_inner(&o->inners[0]);
    check_inner(&o->inners[1]);
    ASSERT(strlen(o->tag) <= 12 && o->raw.len <= 10 && wide_valid(o->w));
    *r = *o;
    return IDL_OK;
}

static idl_status_t f_echo_arrays(void *s, const idl_caller *c, const uint8_t a8[3],
                                  const int16_t a16[5], const bool ab[9], const color_t ac[3],
                                  const uint64_t a64[2], const inner_t ai[2], uint8_t r8[3],
                                  int16_t r16[5], bool rb[9], color_t rc[3], uint64_t r64[2],
                                  inner_t ri[2])
{
    (void)s, (void)c, (void)a8, (void)a16, (void)a64, (void)r8, (void)r16, (void)r64;
    for (int i = 0; i < 9; i++) {
        ASSERT(*(const uint8_t *)&ab[i] <= 1);
        rb[i] = ab[i];
    }
    for (int i = 0; i < 3; i++) {
        ASSERT(color_valid(ac[i]));
        rc[i] = ac[i];
    }
    check_inner(&ai[0]);
    check_inner(&ai[1]);
    ri[0] = ai[0], ri[1] = ai[1];
    return IDL_OK;
}

static idl_status_t f_max_string(void *s, const idl_caller *c, const char *str, char r[937])
{
    (void)s, (void)c;
    size_t n = strlen(str);
    ASSERT(n <= MAX_S);
    memcpy(r, str, n + 1);
    return IDL_OK;
}

static idl_status_t f_bulk_sum(void *s, const idl_caller *c, const uint8_t *d, size_t len,
                               uint64_t *sum)
{
    (void)s;
    ASSERT(len == 0 || (d >= c->bulk_base && d + len <= c->bulk_base + c->bulk_size));
    *sum = 0;
    for (size_t i = 0; i < len; i++)
        *sum += d[i];
    return IDL_OK;
}

static idl_status_t f_bulk_fill(void *s, const idl_caller *c, uint8_t p, uint8_t *out, size_t cap,
                                size_t *len)
{
    (void)s;
    ASSERT(cap == 0 || (out >= c->bulk_base && out + cap <= c->bulk_base + c->bulk_size));
    if (cap)
        memset(out, p, cap);
    *len = cap;
    return IDL_OK;
}

static idl_status_t f_note(void *s, const idl_caller *c, uint32_t code, const char *text)
{
    (void)s, (void)c, (void)code;
    ASSERT(strlen(text) <= SMALL);
    return IDL_OK;
}

static idl_status_t f_get(void *s, const idl_caller *c, uint32_t k, uint64_t *v)
{
    (void)s, (void)c;
    *v = k;
    return k & 1 ? 1 : IDL_OK;
}

static idl_status_t f_remove(void *s, const idl_caller *c, uint32_t k, bool *e)
{
    (void)s, (void)c;
    *e = k & 1;
    return IDL_OK;
}

/* keeper (caps.idl): each op checks what its parameter's type promises,
 * from the message the dispatcher decoded (the fuzz input's cap_info). */
static const idl_msg *current;

static void check_cap(unsigned i, unsigned kind, unsigned rights)
{
    uint64_t info = current->cap_info[i];
    unsigned type = tsr_cap_info_type(info);
    ASSERT(type != 0);
    if (kind == IDL_CAP_FRAME)
        ASSERT(type == TSR_OBJ_FRAME_4K || type == TSR_OBJ_FRAME_2M);
    else if (kind != IDL_CAP_ANY)
        ASSERT(type == kind);
    ASSERT((tsr_cap_info_rights(info) & rights) == rights);
}

static idl_status_t k_give_frame(void *s, const idl_caller *c, idl_cap_t f)
{
    (void)s, (void)c, (void)f;
    check_cap(0, IDL_CAP_FRAME, TSR_RIGHT_READ);
    return IDL_OK;
}

static idl_status_t k_give_pair(void *s, const idl_caller *c, idl_cap_t e, idl_cap_t n,
                                uint32_t x, uint32_t *y)
{
    (void)s, (void)c, (void)e, (void)n;
    check_cap(0, IDL_CAP_ENDPOINT, 0);
    check_cap(1, IDL_CAP_NOTIFICATION, TSR_RIGHT_WRITE);
    *y = x;
    return IDL_OK;
}

static idl_status_t k_give_client(void *s, const idl_caller *c, idl_cap_t p)
{
    (void)s, (void)c, (void)p;
    check_cap(0, IDL_CAP_ENDPOINT, TSR_RIGHT_WRITE);
    return IDL_OK;
}

static idl_status_t k_drop_queue(void *s, const idl_caller *c, idl_cap_t q)
{
    (void)s, (void)c, (void)q;
    check_cap(0, IDL_CAP_MSG_QUEUE, TSR_RIGHT_WRITE);
    return IDL_OK;
}

static const keeper_v1_ops k_ops = {.give_frame = k_give_frame, .give_pair = k_give_pair,
                                    .give_client = k_give_client, .drop_queue = k_drop_queue};

static const alltypes_v1_ops a_ops = {
    .echo_args = f_echo_args, .echo_struct = f_echo_struct, .echo_arrays = f_echo_arrays,
    .max_string = f_max_string, .bulk_sum = f_bulk_sum, .bulk_fill = f_bulk_fill,
    .note = f_note,
};
static const kv_v1_ops k1_ops = {.get = f_get};
static const kv_v2_ops k2_ops = {.get = f_get, .remove = f_remove};

/* Unions (unions.idl): a known variant decoded in full, an unknown one
 * with nothing but its tag. */
static void check_shape(const shape_t *s)
{
    static const shape_t zero;
    switch (s->tag) {
    case SHAPE_LABEL:
        ASSERT(strlen(s->u.label) <= 16);
        break;
    case SHAPE_RAW:
        ASSERT(s->u.raw.len <= 12);
        break;
    case SHAPE_FLAGS:
        for (int i = 0; i < 3; i++)
            ASSERT(*(const uint8_t *)&s->u.flags[i] <= 1);
        break;
    case SHAPE_CIRCLE:
    case SHAPE_RECT:
    case SHAPE_NOTHING:
        break;
    default:
        ASSERT(s->tag != 0 && memcmp(&s->u, &zero.u, sizeof s->u) == 0);
    }
}

static idl_status_t u_echo(void *self, const idl_caller *c, const shape_t *s, shape_t *t)
{
    (void)self, (void)c;
    check_shape(s);
    *t = *s;
    return IDL_OK;
}

static idl_status_t u_draw(void *self, const idl_caller *c, const drawing_t *d, uint32_t *tag,
                           uint64_t *area)
{
    (void)self, (void)c, (void)area;
    check_shape(&d->s);
    *tag = d->s.tag;
    return IDL_OK;
}

static const painter_v1_ops u_ops = {.echo = u_echo, .draw = u_draw};

/* Optional values (optional.idl): presence flags 0/1, present values valid,
 * absent ones never reach the op. */
static idl_status_t o_put(void *self, const idl_caller *c, const profile_t *p, profile_t *q)
{
    (void)self, (void)c;
    ASSERT(*(const uint8_t *)&p->has_nick <= 1 && *(const uint8_t *)&p->has_age <= 1);
    ASSERT(!p->has_nick || strlen(p->nick) <= 12);
    ASSERT(!p->has_m || mood_valid(p->m));
    ASSERT(!p->has_blob || p->blob.len <= 10);
    *q = *p;
    return IDL_OK;
}

static idl_status_t o_find(void *self, const idl_caller *c, const char *name, const uint32_t *limit,
                           const mood_t *m, const place_t *where, const uint8_t *raw,
                           size_t raw_len, uint8_t last, uint8_t *given, uint64_t *sum)
{
    (void)self, (void)c, (void)limit, (void)where, (void)last, (void)sum;
    ASSERT(name == NULL || strlen(name) <= 12);
    ASSERT(m == NULL || mood_valid(*m));
    ASSERT(raw != NULL || raw_len == 0);
    ASSERT(raw_len <= 4);
    *given = 0;
    return IDL_OK;
}

static const registry_v1_ops o_ops = {o_put, o_find};

/* Tables (tables.idl): absent fields zero, present ones valid. */
static idl_status_t t_apply(void *self, const idl_caller *c, const settings_t *s, settings_t *t,
                            uint32_t *present)
{
    (void)self, (void)c;
    ASSERT(s->has_name ? strlen(s->name) <= 16 : s->name[0] == '\0');
    ASSERT(s->has_mode ? theme_valid(s->mode) : s->mode == 0);
    ASSERT(s->has_blob ? s->blob.len <= 6 : s->blob.len == 0);
    ASSERT(s->has_volume || s->volume == 0);
    *t = *s;
    *present = 0;
    return IDL_OK;
}

static const prefs_v1_ops t_ops = {.apply = t_apply};

/* Events (events.idl): what the client's event dispatcher promises. */
static void ev_tick(void *self, uint64_t lost, uint32_t seq, const char *label)
{
    (void)self, (void)lost, (void)seq;
    ASSERT(strlen(label) <= 16);
}

static void ev_reset(void *self, uint64_t lost)
{
    (void)self, (void)lost;
}

static void ev_level(void *self, uint64_t lost, int8_t level, const uint8_t *bits, size_t len)
{
    (void)self, (void)lost, (void)level, (void)bits;
    ASSERT(len <= 24);
}

static const ticker_v2_events ev_handlers = {ev_tick, ev_reset, ev_level};

/* Client side: a transport whose "server" answers with the fuzz input. */
typedef struct canned {
    idl_transport t;
    const idl_msg *reply;
} canned;

static tsr_error_t canned_call(idl_transport *t, idl_msg *m)
{
    *m = *((canned *)t)->reply;
    return TSR_OK;
}

static tsr_error_t canned_send(idl_transport *t, const idl_msg *m)
{
    (void)t, (void)m;
    return TSR_OK;
}

static const idl_transport_ops canned_ops = {canned_call, canned_send};

static void as_replies(const idl_msg *m)
{
    canned c = {{&canned_ops}, m};
    outer_t o, r;
    memset(&o, 0, sizeof o);
    o.in1.t = o.inners[0].t = o.inners[1].t = TEMP_MILD;
    if (alltypes_v1_echo_struct(&c.t, &o, &r) == IDL_OK) {
        check_inner(&r.in1);
        ASSERT(strlen(r.tag) <= 12 && r.raw.len <= 10 && wide_valid(r.w));
    }
    static char s[MAX_S + 1];
    if (alltypes_v1_max_string(&c.t, "x", s) == IDL_OK)
        ASSERT(strlen(s) <= MAX_S);
    idl_bulk w = {0, 7};
    if (alltypes_v1_bulk_fill(&c.t, 1, &w) == IDL_OK)
        ASSERT(w.length <= 7);
    bool e;
    idl_status_t st = kv_v2_remove(&c.t, 1, &e);
    ASSERT(st == IDL_OK || st <= IDL_STATUS_IFACE_MAX || idl_status_is_protocol(st));
    /* Typed capabilities in replies. */
    current = m;
    idl_cap_t cap;
    if (keeper_v1_take_frame(&c.t, 1, &cap) == IDL_OK)
        check_cap(0, IDL_CAP_FRAME, TSR_RIGHT_READ | TSR_RIGHT_WRITE);
    if (keeper_v1_take_readable(&c.t, 1, &cap) == IDL_OK)
        check_cap(0, IDL_CAP_ANY, TSR_RIGHT_READ);
    /* Unions in replies. */
    shape_t in = {.tag = SHAPE_CIRCLE}, out;
    if (painter_v1_echo(&c.t, &in, &out) == IDL_OK)
        check_shape(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 9)
        return 0;
    static idl_msg m;
    memset(&m, 0, sizeof m);
    uint64_t label = 0;
    for (int i = 0; i < 6; i++)
        label |= (uint64_t)data[1 + i] << (8 * i);
    m.label = label;
    m.nwords = data[7] % (TSR_MSG_MAX_WORDS + 1);
    m.ncaps = data[8] % (TSR_MSG_MAX_CAPS + 1);
    size_t nbytes = size - 9 > m.nwords * 8 ? m.nwords * 8 : size - 9;
    for (size_t i = 0; i < nbytes; i++)
        m.words[i / 8] |= (uint64_t)data[9 + i] << (8 * (i % 8));
    if (size - 9 - nbytes >= 8) {
        const uint8_t *ci = data + size - 8;
        for (unsigned i = 0; i < TSR_MSG_MAX_CAPS; i++)
            m.cap_info[i] = TSR_CAP_INFO(ci[2 * i], ci[2 * i + 1]);
    }
    /* Let the fuzzer reach past the GUID check without guessing 128 bits. */
    unsigned sel = data[0];
    if (m.nwords >= 2 && (sel & 0x80) == 0) {
        bool kv = sel & 1;
        m.words[0] = kv ? KV_GUID_HI : ALLTYPES_GUID_HI;
        m.words[1] = kv ? KV_GUID_LO : ALLTYPES_GUID_LO;
        if (sel & 0x20) {
            m.words[0] = KEEPER_GUID_HI;
            m.words[1] = KEEPER_GUID_LO;
        }
        if (sel & 0x10) {
            m.words[0] = TICKER_GUID_HI;
            m.words[1] = TICKER_GUID_LO;
        }
        if ((sel & 0x30) == 0x30) {
            m.words[0] = sel & 1 ? REGISTRY_GUID_HI : PAINTER_GUID_HI;
            m.words[1] = sel & 1 ? REGISTRY_GUID_LO : PAINTER_GUID_LO;
            if (sel & 2) {
                m.words[0] = PREFS_GUID_HI;
                m.words[1] = PREFS_GUID_LO;
            }
        }
    }
    if ((sel & 0x30) == 0x10) {
        /* An event message, as taken from a client's queue. */
        idl_status_t st = ticker_v2_event_dispatch(&ev_handlers, NULL, &m);
        ASSERT(st == IDL_OK || idl_status_is_protocol(st));
        return 0;
    }
    if (sel & 0x40) {
        as_replies(&m);
        return 0;
    }
    alltypes_server as = {NULL, &a_ops};
    kv_server ks = {NULL, &k1_ops, &k2_ops};
    keeper_server kp = {NULL, &k_ops};
    painter_server pp = {NULL, &u_ops};
    registry_server rp = {NULL, &o_ops};
    prefs_server tp = {NULL, &t_ops};
    idl_binding b[6] = {alltypes_binding(&as), kv_binding(&ks),       keeper_binding(&kp),
                        painter_binding(&pp),  registry_binding(&rp), prefs_binding(&tp)};
    idl_caller who = {1, region, sizeof region, NULL};
    current = &m;
    idl_dispatch_result r = idl_server_dispatch(b, 6, &who, &m);
    if (r == IDL_REPLY) {
        /* Replies are well formed: counts in range, errors carry nothing. */
        ASSERT(m.nwords <= TSR_MSG_MAX_WORDS && m.ncaps <= TSR_MSG_MAX_CAPS);
        ASSERT(m.label == IDL_OK || (m.nwords == 0 && m.ncaps == 0));
    }
    return 0;
}
