/* SPDX-License-Identifier: MIT */
/* Compile-and-run test: every type of alltypes.idl round-trips through the
 * generated client stub, the loopback transport and the generated
 * dispatcher; boundary sizes (a string and an array filling all 120 words,
 * 14 vs 15 words), one-way methods, capabilities, bulk data, interface
 * errors and unimplemented ops behave as docs/idl.md says. */
#include <string.h>

#include <idl/loopback.h>

#include "alltypes.h"
#include "testutil.h"

/* ---- the server ----------------------------------------------------------- */

typedef struct state {
    unsigned notes;
    uint32_t last_code;
    char last_text[SMALL + 1];
    idl_cap_t caps_seen[4];
    uint32_t caps_x;
} state;

static idl_status_t s_echo_args(void *self, const idl_caller *c, uint8_t a, uint16_t b,
                                uint32_t cc, uint64_t d, int8_t e, int16_t f, int32_t g,
                                int64_t h, bool t, color_t col, temp_t tp, wide_t wd,
                                uint8_t *ra, uint16_t *rb, uint32_t *rc, uint64_t *rd,
                                int8_t *re, int16_t *rf, int32_t *rg, int64_t *rh, bool *rt,
                                color_t *rcol, temp_t *rtp, wide_t *rwd)
{
    (void)self, (void)c;
    *ra = a, *rb = b, *rc = cc, *rd = d, *re = e, *rf = f, *rg = g, *rh = h, *rt = t;
    *rcol = col, *rtp = tp, *rwd = wd;
    return IDL_OK;
}

static idl_status_t s_echo_scalars(void *self, const idl_caller *c, const scalars_t *s,
                                   scalars_t *r)
{
    (void)self, (void)c;
    *r = *s;
    return IDL_OK;
}

static idl_status_t s_echo_struct(void *self, const idl_caller *c, const outer_t *o, outer_t *r)
{
    (void)self, (void)c;
    *r = *o;
    return IDL_OK;
}

static idl_status_t s_echo_arrays(void *self, const idl_caller *c, const uint8_t a8[3],
                                  const int16_t a16[5], const bool ab[9], const color_t ac[3],
                                  const uint64_t a64[2], const inner_t ai[2], uint8_t r8[3],
                                  int16_t r16[5], bool rb[9], color_t rc[3], uint64_t r64[2],
                                  inner_t ri[2])
{
    (void)self, (void)c;
    memcpy(r8, a8, 3);
    memcpy(r16, a16, 5 * sizeof *r16);
    memcpy(rb, ab, 9 * sizeof *rb);
    memcpy(rc, ac, 3 * sizeof *rc);
    memcpy(r64, a64, 2 * sizeof *r64);
    memcpy(ri, ai, 2 * sizeof *ri);
    return IDL_OK;
}

static idl_status_t s_max_string(void *self, const idl_caller *c, const char *s, char r[937])
{
    (void)self, (void)c;
    strcpy(r, s);
    return IDL_OK;
}

static idl_status_t s_max_bytes(void *self, const idl_caller *c, const uint8_t *b, size_t b_len,
                                uint8_t r[936], size_t *r_len)
{
    (void)self, (void)c;
    memcpy(r, b, b_len);
    *r_len = b_len;
    return IDL_OK;
}

static idl_status_t s_max_array(void *self, const idl_caller *c, const uint64_t v[118],
                                uint64_t *sum)
{
    (void)self, (void)c;
    *sum = 0;
    for (int i = 0; i < 118; i++)
        *sum += v[i];
    return IDL_OK;
}

static idl_status_t s_regs14(void *self, const idl_caller *c, uint64_t w0, uint64_t w1,
                             uint64_t w2, uint64_t w3, uint64_t w4, uint64_t w5, uint64_t w6,
                             uint64_t w7, uint64_t w8, uint64_t w9, uint64_t w10, uint64_t w11,
                             uint64_t *sum)
{
    (void)self, (void)c;
    *sum = w0 + w1 + w2 + w3 + w4 + w5 + w6 + w7 + w8 + w9 + w10 + w11;
    return IDL_OK;
}

static idl_status_t s_regs15(void *self, const idl_caller *c, uint64_t w0, uint64_t w1,
                             uint64_t w2, uint64_t w3, uint64_t w4, uint64_t w5, uint64_t w6,
                             uint64_t w7, uint64_t w8, uint64_t w9, uint64_t w10, uint64_t w11,
                             uint64_t w12, uint64_t *sum)
{
    (void)self, (void)c;
    *sum = w0 + w1 + w2 + w3 + w4 + w5 + w6 + w7 + w8 + w9 + w10 + w11 + w12;
    return IDL_OK;
}

static idl_status_t s_note(void *self, const idl_caller *c, uint32_t code, const char *text)
{
    state *st = self;
    (void)c;
    st->notes++;
    st->last_code = code;
    strcpy(st->last_text, text);
    return IDL_OK;
}

static idl_status_t s_caps(void *self, const idl_caller *c, idl_cap_t a, idl_cap_t b, uint32_t x,
                           idl_cap_t cc, idl_cap_t d, idl_cap_t *r, idl_cap_t *s)
{
    state *st = self;
    (void)c;
    st->caps_seen[0] = a, st->caps_seen[1] = b, st->caps_seen[2] = cc, st->caps_seen[3] = d;
    st->caps_x = x;
    *r = a + 100;
    *s = d + 100;
    return IDL_OK;
}

static idl_status_t s_bulk_sum(void *self, const idl_caller *c, const uint8_t *data,
                               size_t data_len, uint64_t *sum)
{
    (void)self;
    *sum = 0;
    for (size_t i = 0; i < data_len; i++)
        *sum += data[i];
    *sum += c->badge << 32; /* proves the badge reaches the op */
    return IDL_OK;
}

static idl_status_t s_bulk_fill(void *self, const idl_caller *c, uint8_t pattern, uint8_t *out,
                                size_t out_cap, size_t *out_len)
{
    (void)self, (void)c;
    if (pattern == 0xee) { /* misbehave: claim more than the window holds */
        *out_len = out_cap + 1;
        return IDL_OK;
    }
    size_t n = out_cap > 5 ? out_cap - 5 : out_cap;
    memset(out, pattern, n);
    *out_len = n;
    return IDL_OK;
}

static idl_status_t s_failing(void *self, const idl_caller *c, uint16_t code)
{
    (void)self, (void)c;
    return code;
}

static idl_status_t s_from_import(void *self, const idl_caller *c, const common_point_t *p,
                                  const char *name, common_point_t *q)
{
    (void)self, (void)c;
    q->x = p->y + (int64_t)strlen(name);
    q->y = p->x;
    return IDL_OK;
}

static idl_status_t s_echo_args8(void *self, const idl_caller *c, uint64_t a, uint64_t b,
                                 uint64_t cc, uint64_t d, uint64_t e, uint64_t f, uint64_t g,
                                 uint64_t h, uint64_t *sum)
{
    (void)self, (void)c;
    *sum = a + b + cc + d + e + f + g + h;
    return IDL_OK;
}

static const alltypes_v1_ops ops = {
    .echo_args = s_echo_args,
    .echo_scalars = s_echo_scalars,
    .echo_struct = s_echo_struct,
    .echo_arrays = s_echo_arrays,
    .max_string = s_max_string,
    .max_bytes = s_max_bytes,
    .max_array = s_max_array,
    .regs14 = s_regs14,
    .regs15 = s_regs15,
    .note = s_note,
    .caps = s_caps,
    .bulk_sum = s_bulk_sum,
    .bulk_fill = s_bulk_fill,
    .failing = s_failing,
    .unimplemented = NULL,
    .from_import = s_from_import,
    .echo_args8 = s_echo_args8,
};

/* A transport in front of the loopback that records what was sent, so the
 * tests can see word and cap counts on the wire. */
typedef struct spy {
    idl_transport transport;
    idl_loopback *inner;
    idl_msg last;
} spy;

static tsr_error_t spy_call(idl_transport *t, idl_msg *m)
{
    spy *s = (spy *)t;
    s->last = *m;
    return s->inner->transport.ops->call(&s->inner->transport, m);
}

static tsr_error_t spy_send(idl_transport *t, const idl_msg *m)
{
    spy *s = (spy *)t;
    s->last = *m;
    return s->inner->transport.ops->send(&s->inner->transport, m);
}

static const idl_transport_ops spy_ops = {spy_call, spy_send};

/* ---- tests --------------------------------------------------------------- */

static void test_scalars(idl_transport *t)
{
    uint8_t ra;
    uint16_t rb;
    uint32_t rc;
    uint64_t rd;
    int8_t re;
    int16_t rf;
    int32_t rg;
    int64_t rh;
    bool rt;
    color_t rcol;
    temp_t rtp;
    wide_t rwd;
    /* Extremes of every integer type. */
    CHECK_EQ(alltypes_v1_echo_args(t, 255, 65535, 0xffffffffu, UINT64_MAX, -128, -32768,
                                   INT32_MIN, MOST_NEGATIVE, true, COLOR_BLUE, TEMP_COLD,
                                   WIDE_TOP, &ra, &rb, &rc, &rd, &re, &rf, &rg, &rh, &rt, &rcol,
                                   &rtp, &rwd),
             IDL_OK);
    CHECK_EQ(ra, 255);
    CHECK_EQ(rb, 65535);
    CHECK_EQ(rc, 0xffffffffu);
    CHECK_EQ(rd, UINT64_MAX);
    CHECK(re == -128);
    CHECK(rf == -32768);
    CHECK(rg == INT32_MIN);
    CHECK(rh == INT64_MIN);
    CHECK(rt == true);
    CHECK_EQ(rcol, 200);
    CHECK(rtp == -40);
    CHECK_EQ(rwd, UINT64_MAX);
    CHECK_EQ(alltypes_v1_echo_args(t, 0, 1, 2, 3, 127, 32767, INT32_MAX, INT64_MAX, false,
                                   COLOR_RED, TEMP_HOT, WIDE_ZERO, &ra, &rb, &rc, &rd, &re, &rf,
                                   &rg, &rh, &rt, &rcol, &rtp, &rwd),
             IDL_OK);
    CHECK(ra == 0 && rb == 1 && rc == 2 && rd == 3 && re == 127 && rf == 32767);
    CHECK(rg == INT32_MAX && rh == INT64_MAX && rt == false && rcol == 0 && rtp == 45);
    CHECK_EQ(rwd, 0);

    scalars_t s = {7, 300, 70000, 1ull << 40, -1, -2, -3, -4, true, COLOR_GREEN, TEMP_MILD,
                   WIDE_TOP};
    scalars_t r;
    memset(&r, 0x55, sizeof r);
    CHECK_EQ(alltypes_v1_echo_scalars(t, &s, &r), IDL_OK);
    CHECK(r.a == 7 && r.b == 300 && r.c == 70000 && r.d == 1ull << 40);
    CHECK(r.e == -1 && r.f == -2 && r.g == -3 && r.h == -4 && r.t && r.col == 1 && r.tp == 20);
    CHECK_EQ(r.wd, UINT64_MAX);
    /* An enum value the IDL does not list is caught by the server's decoder. */
    s.col = 3;
    CHECK_EQ(alltypes_v1_echo_scalars(t, &s, &r), IDL_E_BAD_VALUE);
}

static void test_structs_arrays(idl_transport *t)
{
    outer_t o, r;
    memset(&o, 0, sizeof o);
    o.id = 0xdeadbeef;
    o.in1 = (inner_t){true, COLOR_BLUE, TEMP_COLD, 65535};
    strcpy(o.tag, "twelve chars");
    memcpy(o.raw.data, "\0\1\2\3\4\5\6\7\10\11", 10);
    o.raw.len = 10;
    o.inners[0] = (inner_t){false, COLOR_RED, TEMP_HOT, 1};
    o.inners[1] = (inner_t){true, COLOR_GREEN, TEMP_MILD, 2};
    o.w = WIDE_TOP;
    memset(&r, 0x55, sizeof r);
    CHECK_EQ(alltypes_v1_echo_struct(t, &o, &r), IDL_OK);
    CHECK_EQ(r.id, 0xdeadbeef);
    CHECK(r.in1.flag && r.in1.c == COLOR_BLUE && r.in1.t == TEMP_COLD && r.in1.n == 65535);
    CHECK(strcmp(r.tag, "twelve chars") == 0);
    CHECK(r.raw.len == 10 && memcmp(r.raw.data, o.raw.data, 10) == 0);
    CHECK(!r.inners[0].flag && r.inners[0].t == TEMP_HOT && r.inners[1].n == 2);
    CHECK_EQ(r.w, WIDE_TOP);
    /* A string one byte over its bound never leaves the client. */
    memset(o.tag, 'x', sizeof o.tag); /* no NUL within 13 bytes */
    CHECK_EQ(alltypes_v1_echo_struct(t, &o, &r), IDL_E_ENCODE);
    strcpy(o.tag, "");
    o.raw.len = 11; /* bytes<10> */
    CHECK_EQ(alltypes_v1_echo_struct(t, &o, &r), IDL_E_ENCODE);

    uint8_t a8[3] = {1, 2, 255}, r8[3];
    int16_t a16[5] = {-1, 2, -3, 4, -32768}, r16[5];
    bool ab[9] = {true, false, true, true, false, false, true, false, true}, rb[9];
    color_t ac[3] = {COLOR_BLUE, COLOR_RED, COLOR_GREEN}, rc[3];
    uint64_t a64[2] = {UINT64_MAX, 42}, r64[2];
    inner_t ai[2] = {{true, COLOR_RED, TEMP_MILD, 9}, {false, COLOR_BLUE, TEMP_COLD, 10}}, ri[2];
    CHECK_EQ(alltypes_v1_echo_arrays(t, a8, a16, ab, ac, a64, ai, r8, r16, rb, rc, r64, ri),
             IDL_OK);
    CHECK(memcmp(a8, r8, sizeof a8) == 0);
    CHECK(memcmp(a16, r16, sizeof a16) == 0);
    CHECK(memcmp(ab, rb, sizeof ab) == 0);
    CHECK(memcmp(ac, rc, sizeof ac) == 0);
    CHECK(memcmp(a64, r64, sizeof a64) == 0);
    CHECK(ri[0].n == 9 && ri[1].t == TEMP_COLD && ri[1].c == COLOR_BLUE && !ri[1].flag);
    ac[1] = 201;
    CHECK_EQ(alltypes_v1_echo_arrays(t, a8, a16, ab, ac, a64, ai, r8, r16, rb, rc, r64, ri),
             IDL_E_BAD_VALUE);

    common_point_t p = {-5, 6}, q;
    CHECK_EQ(alltypes_v1_from_import(t, &p, "abc", &q), IDL_OK);
    CHECK(q.x == 9 && q.y == -5);
    CHECK_EQ(alltypes_v1_from_import(t, &p, "123456789", &q), IDL_E_ENCODE); /* string<8> */
}

static void test_boundaries(spy *sp)
{
    idl_transport *t = &sp->transport;
    static char s[MAX_S + 2], r[MAX_S + 1];
    memset(s, 'a', MAX_S);
    s[MAX_S] = '\0';
    CHECK_EQ(alltypes_v1_max_string(t, s, r), IDL_OK);
    CHECK_EQ(sp->last.nwords, TSR_MSG_MAX_WORDS); /* exactly full */
    CHECK(strlen(r) == MAX_S && memcmp(r, s, MAX_S) == 0);
    s[MAX_S] = 'a';
    s[MAX_S + 1] = '\0';
    CHECK_EQ(alltypes_v1_max_string(t, s, r), IDL_E_ENCODE);
    CHECK_EQ(alltypes_v1_max_string(t, "", r), IDL_OK);
    CHECK_EQ(sp->last.nwords, 3);
    CHECK(r[0] == '\0');

    static uint8_t b[MAX_S], rb[MAX_S];
    size_t rlen = 0;
    for (size_t i = 0; i < sizeof b; i++)
        b[i] = (uint8_t)(i * 7);
    CHECK_EQ(alltypes_v1_max_bytes(t, b, MAX_S, rb, &rlen), IDL_OK);
    CHECK_EQ(sp->last.nwords, TSR_MSG_MAX_WORDS);
    CHECK(rlen == MAX_S && memcmp(b, rb, MAX_S) == 0);
    CHECK_EQ(alltypes_v1_max_bytes(t, b, MAX_S + 1, rb, &rlen), IDL_E_ENCODE);
    CHECK_EQ(alltypes_v1_max_bytes(t, b, 13, rb, &rlen), IDL_OK);
    CHECK_EQ(sp->last.nwords, 2 + 1 + 2);
    CHECK(rlen == 13 && memcmp(b, rb, 13) == 0);

    uint64_t v[118], sum = 0, expect = 0;
    for (int i = 0; i < 118; i++)
        v[i] = (uint64_t)i * 1000003u, expect += v[i];
    CHECK_EQ(alltypes_v1_max_array(t, v, &sum), IDL_OK);
    CHECK_EQ(sp->last.nwords, TSR_MSG_MAX_WORDS);
    CHECK_EQ(sum, expect);

    /* 12 argument words + 2 GUID words = 14: all in registers on the target. */
    CHECK_EQ(alltypes_v1_regs14(t, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, &sum), IDL_OK);
    CHECK_EQ(sp->last.nwords, TSR_MSG_REG_WORDS);
    CHECK_EQ(sum, 78);
    /* One more spills word 14 into the IPC buffer. */
    CHECK_EQ(alltypes_v1_regs15(t, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, &sum), IDL_OK);
    CHECK_EQ(sp->last.nwords, TSR_MSG_REG_WORDS + 1);
    CHECK_EQ(sum, 91);
    CHECK_EQ(alltypes_v1_echo_args8(t, 1, 2, 3, 4, 5, 6, 7, 8, &sum), IDL_OK);
    CHECK_EQ(sp->last.nwords, 10);
    CHECK_EQ(sum, 36);
}

static void test_oneway_caps_errors(spy *sp, idl_loopback *lb, state *st)
{
    idl_transport *t = &sp->transport;
    unsigned replies = lb->replies;
    CHECK_EQ(alltypes_v1_note(t, 77, "hello"), IDL_OK);
    CHECK_EQ(st->notes, 1);
    CHECK_EQ(st->last_code, 77);
    CHECK(strcmp(st->last_text, "hello") == 0);
    CHECK(sp->last.label & IDL_LABEL_ONEWAY);
    CHECK_EQ(lb->replies, replies); /* nothing came back */
    CHECK_EQ(lb->dropped, 1);
    CHECK_EQ(alltypes_v1_note(t, 1, "seventeen chars!!"), IDL_E_ENCODE); /* string<16> */
    CHECK_EQ(st->notes, 1);

    idl_cap_t r = 0, s = 0;
    CHECK_EQ(alltypes_v1_caps(t, 11, 12, 99, 13, 14, &r, &s), IDL_OK);
    CHECK_EQ(sp->last.ncaps, 4);
    CHECK_EQ(sp->last.nwords, 3); /* caps take no words */
    CHECK(st->caps_seen[0] == 11 && st->caps_seen[1] == 12 && st->caps_seen[2] == 13 &&
          st->caps_seen[3] == 14 && st->caps_x == 99);
    CHECK(r == 111 && s == 114);

    CHECK_EQ(alltypes_v1_failing(t, FAIL_DENIED), FAIL_DENIED);
    CHECK_EQ(alltypes_v1_failing(t, FAIL_BUSY), FAIL_BUSY);
    CHECK_EQ(alltypes_v1_failing(t, 0), IDL_OK);
    /* 5 is not in enum fail: the client refuses to pass it on. */
    CHECK_EQ(alltypes_v1_failing(t, 5), IDL_E_BAD_REPLY);
    CHECK_EQ(alltypes_v1_unimplemented(t), IDL_E_NOT_IMPLEMENTED);
}

static void test_bulk(idl_transport *t, uint8_t *region, size_t size)
{
    uint64_t sum = 0;
    for (size_t i = 0; i < 100; i++)
        region[200 + i] = (uint8_t)i;
    CHECK_EQ(alltypes_v1_bulk_sum(t, (idl_bulk){200, 100}, &sum), IDL_OK);
    CHECK_EQ(sum, 4950 + (42ull << 32));
    CHECK_EQ(alltypes_v1_bulk_sum(t, (idl_bulk){size, 0}, &sum), IDL_OK);
    CHECK_EQ(sum, 42ull << 32);
    CHECK_EQ(alltypes_v1_bulk_sum(t, (idl_bulk){size - 10, 11}, &sum), IDL_E_BAD_BULK);
    CHECK_EQ(alltypes_v1_bulk_sum(t, (idl_bulk){size + 1, 0}, &sum), IDL_E_BAD_BULK);
    CHECK_EQ(alltypes_v1_bulk_sum(t, (idl_bulk){UINT64_MAX, 2}, &sum), IDL_E_BAD_BULK);

    idl_bulk w = {1000, 50};
    memset(region + 1000, 0, 60);
    CHECK_EQ(alltypes_v1_bulk_fill(t, 0xab, &w), IDL_OK);
    CHECK_EQ(w.offset, 1000);
    CHECK_EQ(w.length, 45);
    CHECK(region[1000] == 0xab && region[1044] == 0xab && region[1045] == 0);
    w = (idl_bulk){1000, 50};
    CHECK_EQ(alltypes_v1_bulk_fill(t, 0xee, &w), IDL_E_ENCODE);
    w = (idl_bulk){size, 1};
    CHECK_EQ(alltypes_v1_bulk_fill(t, 1, &w), IDL_E_BAD_BULK);
}

int main(void)
{
    static uint8_t region[4096];
    state st = {0};
    alltypes_server srv = {&st, &ops};
    idl_binding b = alltypes_binding(&srv);
    idl_loopback lb;
    idl_loopback_init(&lb, &b, 1, 42, region, sizeof region);
    spy sp = {{&spy_ops}, &lb, {0}};

    test_scalars(&sp.transport);
    test_structs_arrays(&sp.transport);
    test_boundaries(&sp);
    test_oneway_caps_errors(&sp, &lb, &st);
    test_bulk(&sp.transport, region, sizeof region);
    return t_finish();
}
