/* SPDX-License-Identifier: MIT */
/* Compile-and-run test: malformed requests fed straight to the generated
 * dispatcher (and through idl_server_dispatch) get the error reply
 * docs/wire-format.md documents, and the op is never called; malformed
 * replies fed to client stubs give IDL_E_BAD_REPLY. */
#include <string.h>

#include <idl/loopback.h>

#include "alltypes.h"
#include "testutil.h"
#include "versions.h"

static unsigned op_calls;

static idl_status_t s_echo_scalars(void *self, const idl_caller *c, const scalars_t *s,
                                   scalars_t *r)
{
    (void)self, (void)c;
    op_calls++;
    *r = *s;
    return IDL_OK;
}

static idl_status_t s_echo_struct(void *self, const idl_caller *c, const outer_t *o, outer_t *r)
{
    (void)self, (void)c;
    op_calls++;
    *r = *o;
    return IDL_OK;
}

static idl_status_t s_max_string(void *self, const idl_caller *c, const char *s, char r[937])
{
    (void)self, (void)c, (void)r, (void)s;
    op_calls++;
    return IDL_OK;
}

static idl_status_t s_bulk_sum(void *self, const idl_caller *c, const uint8_t *data, size_t len,
                               uint64_t *sum)
{
    (void)self, (void)c, (void)data, (void)len;
    op_calls++;
    *sum = 0;
    return IDL_OK;
}

static idl_status_t s_caps(void *self, const idl_caller *c, idl_cap_t a, idl_cap_t b, uint32_t x,
                           idl_cap_t cc, idl_cap_t d, idl_cap_t *r, idl_cap_t *s)
{
    (void)self, (void)c, (void)a, (void)b, (void)x, (void)cc, (void)d;
    op_calls++;
    *r = *s = 0;
    return IDL_OK;
}

static idl_status_t s_note(void *self, const idl_caller *c, uint32_t code, const char *text)
{
    (void)self, (void)c, (void)code, (void)text;
    op_calls++;
    return IDL_OK;
}

static const alltypes_v1_ops ops = {
    .echo_scalars = s_echo_scalars,
    .echo_struct = s_echo_struct,
    .max_string = s_max_string,
    .bulk_sum = s_bulk_sum,
    .caps = s_caps,
    .note = s_note,
};

static alltypes_server srv = {NULL, &ops};
static uint8_t region[256];
static idl_caller who = {9, region, sizeof region, NULL};

/* Encode a valid request with the real stub (through a capturing transport)
 * so each test can break exactly one thing in it. */
typedef struct capture {
    idl_transport transport;
    idl_msg msg;
    idl_msg reply; /* what call() hands back to the stub */
} capture;

static tsr_error_t cap_call(idl_transport *t, idl_msg *m)
{
    capture *c = (capture *)t;
    c->msg = *m;
    *m = c->reply;
    return TSR_OK;
}

static tsr_error_t cap_send(idl_transport *t, const idl_msg *m)
{
    ((capture *)t)->msg = *m;
    return TSR_OK;
}

static const idl_transport_ops cap_ops = {cap_call, cap_send};

/* Dispatch m both ways a server can: through the public alltypes_dispatch
 * and through idl_server_dispatch with the binding, whose router skips the
 * GUID check idl_server_dispatch has just made. The two must give the same
 * reply and call the op equally often. Return the reply status, or 0xdead if
 * there was no reply. */
static uint64_t dispatch(idl_msg m)
{
    idl_msg m2 = m;
    idl_binding b = alltypes_binding(&srv);
    unsigned before = op_calls;
    idl_dispatch_result r = alltypes_dispatch(&srv, &who, &m);
    unsigned after = op_calls;
    CHECK_EQ(idl_server_dispatch(&b, 1, &who, &m2), r);
    CHECK_EQ(op_calls - after, after - before);
    op_calls = after;
    if (r != IDL_REPLY)
        return 0xdead;
    CHECK_EQ(m2.label, m.label);
    CHECK_EQ(m2.nwords, m.nwords);
    CHECK_EQ(m2.ncaps, m.ncaps);
    CHECK(memcmp(m2.words, m.words, m.nwords * sizeof m.words[0]) == 0);
    return m.label;
}

static idl_msg scalars_request(void)
{
    capture c = {{&cap_ops}, {0}, {0}};
    scalars_t s = {1, 2, 3, 4, -1, -2, -3, -4, true, COLOR_GREEN, TEMP_HOT, WIDE_ZERO}, r;
    (void)alltypes_v1_echo_scalars(&c.transport, &s, &r);
    return c.msg;
}

static void test_requests(void)
{
    idl_msg good = scalars_request(), m;
    /* Layout of scalars: w0 = a|b<<16|c<<32, w1 = d, w2 = e|f<<16|g<<32, w3 = h,
     * w4 = t | col<<8 | tp<<16, w5 = wd; plus the 2 GUID words. */
    CHECK_EQ(good.nwords, 8);
    CHECK_EQ(dispatch(good), IDL_OK);
    CHECK_EQ(op_calls, 1);

    m = good, m.nwords = 7;
    CHECK_EQ(dispatch(m), IDL_E_MALFORMED); /* one word short */
    m = good, m.nwords = 9;
    CHECK_EQ(dispatch(m), IDL_E_MALFORMED); /* one word too many */
    m = good, m.ncaps = 1;
    CHECK_EQ(dispatch(m), IDL_E_MALFORMED); /* unexpected capability */
    m = good, m.words[2 + 4] = (m.words[2 + 4] & ~0xff00ull) | (3ull << 8);
    CHECK_EQ(dispatch(m), IDL_E_BAD_VALUE); /* color 3 does not exist */
    m = good, m.words[2 + 4] = (m.words[2 + 4] & ~0xffull) | 2;
    CHECK_EQ(dispatch(m), IDL_E_BAD_VALUE); /* bool 2 */
    m = good, m.words[2 + 4] = (m.words[2 + 4] & ~0xffff0000ull) | (0xffc4ull << 16);
    CHECK_EQ(dispatch(m), IDL_E_BAD_VALUE); /* temp -60 is not an enumerator */
    m = good, m.words[2 + 5] = 5;
    CHECK_EQ(dispatch(m), IDL_E_BAD_VALUE); /* wide: only 0 and ~0 */
    m = good, m.words[2 + 0] |= 0xff00; /* padding between a (u8) and b (u16) */
    CHECK_EQ(dispatch(m), IDL_E_MALFORMED);
    m = good, m.words[2 + 4] |= 1ull << 40; /* bits no field uses */
    CHECK_EQ(dispatch(m), IDL_E_MALFORMED);
    m = good, m.label |= IDL_LABEL_ONEWAY; /* two-way method sent one-way */
    CHECK_EQ(dispatch(m), 0xdead);
    m = good, m.label |= 1ull << 40; /* reserved label bits */
    CHECK_EQ(dispatch(m), IDL_E_MALFORMED);
    m = good, m.label |= 1ull << 33; /* the lowest reserved bit */
    CHECK_EQ(dispatch(m), IDL_E_MALFORMED);
    m = good, m.label |= 1ull << 47; /* the highest */
    CHECK_EQ(dispatch(m), IDL_E_MALFORMED);
    m = good, m.label = IDL_LABEL(1, 18, 0); /* no method 18 in v1 */
    CHECK_EQ(dispatch(m), IDL_E_UNKNOWN_METHOD);
    m = good, m.label = IDL_LABEL(1, 0, 0); /* ordinal 0 is never valid */
    CHECK_EQ(dispatch(m), IDL_E_UNKNOWN_METHOD);
    m = good, m.label = IDL_LABEL(1, 18, IDL_LABEL_ONEWAY); /* ... and one-way: silence */
    CHECK_EQ(dispatch(m), 0xdead);
    m = good, m.label = IDL_LABEL(2, 2, 0); /* alltypes has only version 1 */
    CHECK_EQ(dispatch(m), IDL_E_UNKNOWN_VERSION);
    CHECK_EQ(op_calls, 1); /* none of the above reached the op */

    /* Strings: oversize length, length past the message, NUL, padding. */
    capture c = {{&cap_ops}, {0}, {0}};
    char r[937];
    (void)alltypes_v1_max_string(&c.transport, "hello world", r);
    idl_msg s = c.msg;
    CHECK_EQ(s.nwords, 2 + 1 + 2);
    CHECK_EQ(dispatch(s), IDL_OK);
    m = s, m.words[2] = 937;
    CHECK_EQ(dispatch(m), IDL_E_BAD_VALUE);
    m = s, m.words[2] = UINT64_MAX;
    CHECK_EQ(dispatch(m), IDL_E_BAD_VALUE);
    m = s, m.words[2] = 17; /* claims 3 data words, 2 present */
    CHECK_EQ(dispatch(m), IDL_E_MALFORMED);
    m = s, m.words[2] = 5; /* claims 1 data word, 2 present */
    CHECK_EQ(dispatch(m), IDL_E_MALFORMED);
    m = s, m.words[3] &= ~0xff00ull; /* "h\0llo..." */
    CHECK_EQ(dispatch(m), IDL_E_BAD_VALUE);
    m = s, m.words[4] |= 1ull << 56; /* byte 15 of an 11-byte string */
    CHECK_EQ(dispatch(m), IDL_E_MALFORMED);
    CHECK_EQ(op_calls, 2);

    /* Nested struct with bytes: length over the bound. */
    outer_t o, ro;
    memset(&o, 0, sizeof o);
    o.raw.len = 3;
    o.in1.t = o.inners[0].t = o.inners[1].t = TEMP_MILD; /* temp has no 0 */
    (void)alltypes_v1_echo_struct(&c.transport, &o, &ro);
    idl_msg os = c.msg;
    CHECK_EQ(dispatch(os), IDL_OK);
    /* outer: w0 id, w1-2 in1 (one word each? inner packs in one word), then tag */
    m = os;
    for (unsigned i = 2; i < m.nwords; i++) {
        if (m.words[i] == 3) { /* the raw.len word */
            m.words[i] = 11;
            break;
        }
    }
    CHECK_EQ(dispatch(m), IDL_E_BAD_VALUE);

    /* Bulk: window outside the region, and overflow of offset + length. */
    idl_bulk w = {10, 20};
    uint64_t sum;
    (void)alltypes_v1_bulk_sum(&c.transport, w, &sum);
    idl_msg bm = c.msg;
    CHECK_EQ(dispatch(bm), IDL_OK);
    m = bm, m.words[2] = sizeof region - 19;
    CHECK_EQ(dispatch(m), IDL_E_BAD_BULK);
    m = bm, m.words[2] = UINT64_MAX - 5, m.words[3] = 10;
    CHECK_EQ(dispatch(m), IDL_E_BAD_BULK);
    m = bm, m.words[2] = 0, m.words[3] = sizeof region;
    CHECK_EQ(dispatch(m), IDL_OK);

    /* Capabilities: the count must match exactly. */
    idl_cap_t rc, rs;
    (void)alltypes_v1_caps(&c.transport, 1, 2, 3, 4, 5, &rc, &rs);
    idl_msg cm = c.msg;
    CHECK_EQ(dispatch(cm), IDL_OK);
    m = cm, m.ncaps = 3;
    CHECK_EQ(dispatch(m), IDL_E_MALFORMED);

    /* One-way: a bad one-way request is dropped silently; a one-way method
     * sent as a call is answered MALFORMED. */
    (void)alltypes_v1_note(&c.transport, 1, "x");
    idl_msg nm = c.msg;
    unsigned before = op_calls;
    CHECK_EQ(dispatch(nm), 0xdead);
    CHECK_EQ(op_calls, before + 1);
    m = nm, m.nwords++;
    CHECK_EQ(dispatch(m), 0xdead);
    m = nm, m.label &= ~IDL_LABEL_ONEWAY;
    CHECK_EQ(dispatch(m), IDL_E_MALFORMED);
    CHECK_EQ(op_calls, before + 1);

    /* Not implemented: the ops table leaves echo_args NULL. */
    uint8_t ra;
    uint16_t rb;
    uint32_t rcc;
    uint64_t rd;
    int8_t re;
    int16_t rf;
    int32_t rg;
    int64_t rh;
    bool rt;
    color_t rcol;
    temp_t rtp;
    wide_t rwd;
    (void)alltypes_v1_echo_args(&c.transport, 1, 2, 3, 4, 5, 6, 7, 8, true, 0, TEMP_HOT, 0, &ra,
                                &rb, &rcc, &rd, &re, &rf, &rg, &rh, &rt, &rcol, &rtp, &rwd);
    CHECK_EQ(dispatch(c.msg), IDL_E_NOT_IMPLEMENTED);
}

static void test_replies(void)
{
    capture c = {{&cap_ops}, {0}, {0}};
    uint64_t value;
    /* A good reply first, so the failures below are the reply's fault. */
    c.reply.label = IDL_OK, c.reply.nwords = 1, c.reply.words[0] = 5;
    CHECK_EQ(kv_v1_get(&c.transport, 1, &value), IDL_OK);
    CHECK_EQ(value, 5);
    c.reply.nwords = 2;
    CHECK_EQ(kv_v1_get(&c.transport, 1, &value), IDL_E_BAD_REPLY);
    c.reply.nwords = 0;
    CHECK_EQ(kv_v1_get(&c.transport, 1, &value), IDL_E_BAD_REPLY);
    c.reply.nwords = 1, c.reply.ncaps = 1;
    CHECK_EQ(kv_v1_get(&c.transport, 1, &value), IDL_E_BAD_REPLY);
    c.reply.ncaps = 0, c.reply.label = 1ull << 32;
    CHECK_EQ(kv_v1_get(&c.transport, 1, &value), IDL_E_BAD_REPLY);
    c.reply.label = IDL_E_TRANSPORT_BASE + 1; /* client-only code from a server */
    c.reply.nwords = 0;
    CHECK_EQ(kv_v1_get(&c.transport, 1, &value), IDL_E_BAD_REPLY);
    c.reply.label = IDL_E_MALFORMED, c.reply.nwords = 1; /* error reply with words */
    CHECK_EQ(kv_v1_get(&c.transport, 1, &value), IDL_E_BAD_REPLY);
    c.reply.nwords = 0;
    CHECK_EQ(kv_v1_get(&c.transport, 1, &value), IDL_E_MALFORMED);

    bool existed;
    c.reply.label = IDL_OK, c.reply.nwords = 1, c.reply.words[0] = 2; /* bool 2 */
    CHECK_EQ(kv_v2_remove(&c.transport, 1, &existed), IDL_E_BAD_REPLY);
    c.reply.words[0] = 1;
    CHECK_EQ(kv_v2_remove(&c.transport, 1, &existed), IDL_OK);
    CHECK(existed);

    idl_bulk w = {0, 10};
    c.reply.label = IDL_OK, c.reply.nwords = 1, c.reply.words[0] = 11; /* > capacity */
    CHECK_EQ(alltypes_v1_bulk_fill(&c.transport, 1, &w), IDL_E_BAD_REPLY);
    c.reply.words[0] = 10;
    CHECK_EQ(alltypes_v1_bulk_fill(&c.transport, 1, &w), IDL_OK);
    CHECK_EQ(w.length, 10);

    char r[937];
    c.reply.label = IDL_OK, c.reply.nwords = 2, c.reply.words[0] = 8;
    memcpy(&c.reply.words[1], "abcdefgh", 8);
    CHECK_EQ(alltypes_v1_max_string(&c.transport, "x", r), IDL_OK);
    CHECK(strcmp(r, "abcdefgh") == 0);
    c.reply.words[0] = 9;
    CHECK_EQ(alltypes_v1_max_string(&c.transport, "x", r), IDL_E_BAD_REPLY);
}

int main(void)
{
    test_requests();
    test_replies();
    /* A transport error maps into IDL_E_TRANSPORT_BASE + tsr_error. */
    idl_loopback lb;
    idl_loopback_init(&lb, NULL, 0, 0, NULL, 0);
    idl_msg m;
    memset(&m, 0, sizeof m);
    m.nwords = TSR_MSG_MAX_WORDS + 1;
    CHECK_EQ(idl_call(&lb.transport, &m), IDL_E_TRANSPORT_BASE + TSR_E_INVALID_ARGUMENT);
    uint64_t v;
    CHECK_EQ(kv_v1_get(&lb.transport, 1, &v), IDL_E_UNKNOWN_INTERFACE); /* nothing bound */
    return t_finish();
}
