/* SPDX-License-Identifier: MIT */
/* Compile-and-run test: unions (unions.idl) through the loopback transport.
 * Every variant round-trips, alone, inside a struct and after a variable
 * item; a tag this file lacks (a later definition's variant) is kept with
 * its payload skipped; and each malformation gets its documented status. */
#include <string.h>

#include <idl/loopback.h>

#include "testutil.h"
#include "unions.h"

/* ---- the server ------------------------------------------------------------- */

static idl_status_t s_echo(void *self, const idl_caller *c, const shape_t *s, shape_t *t)
{
    (void)self, (void)c;
    if (s->tag >= 1 && s->tag <= 9 && s->tag != 6 && s->tag != 7 && s->tag != 8) {
        *t = *s;
        return IDL_OK;
    }
    /* An unknown variant: only its tag arrived. */
    t->tag = SHAPE_CIRCLE;
    t->u.circle = 1000 + s->tag;
    return IDL_OK;
}

static idl_status_t s_draw(void *self, const idl_caller *c, const drawing_t *d, uint32_t *tag,
                           uint64_t *area)
{
    (void)self, (void)c;
    *tag = d->s.tag;
    *area = d->s.tag == SHAPE_RECT ? (uint64_t)d->s.u.rect.x * (uint64_t)d->s.u.rect.y
                                   : (uint64_t)(d->id + d->z);
    return IDL_OK;
}

static idl_status_t s_pair(void *self, const idl_caller *c, const shape_t *a, uint8_t n,
                           const shape_t *b, shape_t *first, shape_t *second)
{
    (void)self, (void)c, (void)n;
    *first = *b;
    *second = *a;
    if (n == 99)
        second->tag = 42; /* an op that makes up a variant: cannot be sent */
    return IDL_OK;
}

static const painter_v1_ops ops = {s_echo, s_draw, s_pair};

/* ---- helpers ------------------------------------------------------------------- */

static bool same(const shape_t *a, const shape_t *b)
{
    if (a->tag != b->tag)
        return false;
    switch (a->tag) {
    case SHAPE_CIRCLE: return a->u.circle == b->u.circle;
    case SHAPE_RECT: return a->u.rect.x == b->u.rect.x && a->u.rect.y == b->u.rect.y;
    case SHAPE_LABEL: return strcmp(a->u.label, b->u.label) == 0;
    case SHAPE_RAW:
        return a->u.raw.len == b->u.raw.len && memcmp(a->u.raw.data, b->u.raw.data, a->u.raw.len) == 0;
    case SHAPE_FLAGS: return memcmp(a->u.flags, b->u.flags, sizeof a->u.flags) == 0;
    case SHAPE_NOTHING: return a->u.nothing == b->u.nothing;
    default: return true;
    }
}

static shape_t make(unsigned which)
{
    shape_t s;
    memset(&s, 0, sizeof s);
    switch (which) {
    case 0: s.tag = SHAPE_CIRCLE, s.u.circle = 0xfeedbeef; break;
    case 1: s.tag = SHAPE_RECT, s.u.rect.x = -3, s.u.rect.y = 7; break;
    case 2: s.tag = SHAPE_LABEL, strcpy(s.u.label, "sixteen chars ok"); break;
    case 3: s.tag = SHAPE_RAW, s.u.raw.len = 9, memcpy(s.u.raw.data, "123456789", 9); break;
    case 4: s.tag = SHAPE_FLAGS, s.u.flags[0] = true, s.u.flags[2] = true; break;
    default: s.tag = SHAPE_NOTHING, s.u.nothing = 0xa5; break;
    }
    return s;
}

/* A raw echo request: tag word, then `n` payload words. */
static idl_status_t raw_echo(idl_transport *t, uint64_t tag_word, const uint64_t *payload,
                             unsigned n, shape_t *out)
{
    idl_msg m;
    memset(&m, 0, sizeof m);
    m.label = IDL_LABEL(1, PAINTER_V1_ECHO_ORDINAL, 0);
    m.words[0] = PAINTER_GUID_HI;
    m.words[1] = PAINTER_GUID_LO;
    m.words[2] = tag_word;
    for (unsigned i = 0; i < n; i++)
        m.words[3 + i] = payload[i];
    m.nwords = 3 + n;
    idl_status_t st = idl_call(t, &m);
    if (st == IDL_OK && out) {
        CHECK_EQ(m.nwords, 2); /* circle: the tag word and one word */
        out->tag = (uint32_t)m.words[0];
        out->u.circle = (uint32_t)m.words[1];
    }
    return st;
}

/* ---- the tests ----------------------------------------------------------------- */

static void test_round_trip(idl_transport *t)
{
    for (unsigned i = 0; i < 6; i++) {
        shape_t s = make(i), r;
        memset(&r, 0x5a, sizeof r);
        CHECK_EQ(painter_v1_echo(t, &s, &r), IDL_OK);
        CHECK(same(&s, &r));
        /* Inside a struct, with a field after it. */
        drawing_t d = {.id = 40, .s = s, .z = 2};
        uint32_t tag = 0;
        uint64_t area = 0;
        CHECK_EQ(painter_v1_draw(t, &d, &tag, &area), IDL_OK);
        CHECK_EQ(tag, s.tag);
        CHECK_EQ(area, s.tag == SHAPE_RECT ? (uint64_t)(-3 * 7) : 42);
        /* Two unions around a scalar: the second starts where the first ends. */
        shape_t other = make(5 - i), f, g;
        CHECK_EQ(painter_v1_pair(t, &s, 7, &other, &f, &g), IDL_OK);
        CHECK(same(&f, &other) && same(&g, &s));
    }
}

/* A later definition's variant: the receiver keeps its tag, skips its
 * payload, and cannot send it on. */
static void test_unknown_variant(idl_transport *t)
{
    const uint64_t payload[3] = {1, 2, 3};
    shape_t out;
    CHECK_EQ(raw_echo(t, 77 | UINT64_C(3) << 32, payload, 3, &out), IDL_OK);
    CHECK(out.tag == SHAPE_CIRCLE && out.u.circle == 1077);
    CHECK_EQ(raw_echo(t, 78, NULL, 0, &out), IDL_OK); /* and an empty payload */
    CHECK_EQ(out.u.circle, 1078);
    shape_t s = make(0), r;
    s.tag = 6;
    CHECK_EQ(painter_v1_echo(t, &s, &r), IDL_E_ENCODE); /* the stub refuses to send it */
    shape_t a = make(0), b = make(1), f, g;
    CHECK_EQ(painter_v1_pair(t, &a, 99, &b, &f, &g), IDL_E_ENCODE); /* and the dispatcher */
}

static void test_malformed(idl_transport *t)
{
    const uint64_t one = 5, two[2] = {5, 6}, bad_bool = 2;
    CHECK_EQ(raw_echo(t, 0 | UINT64_C(1) << 32, &one, 1, NULL), IDL_E_BAD_VALUE); /* tag 0 */
    CHECK_EQ(raw_echo(t, SHAPE_CIRCLE | UINT64_C(2) << 32, two, 2, NULL), IDL_E_MALFORMED);
    CHECK_EQ(raw_echo(t, SHAPE_CIRCLE | UINT64_C(1) << 32, two, 2, NULL), IDL_E_MALFORMED);
    CHECK_EQ(raw_echo(t, SHAPE_CIRCLE, NULL, 0, NULL), IDL_E_MALFORMED);
    CHECK_EQ(raw_echo(t, 77 | UINT64_C(5) << 32, two, 2, NULL), IDL_E_MALFORMED); /* past the end */
    CHECK_EQ(raw_echo(t, SHAPE_FLAGS | UINT64_C(1) << 32, &bad_bool, 1, NULL), IDL_E_BAD_VALUE);
    const uint64_t big = UINT64_C(1) << 32;
    CHECK_EQ(raw_echo(t, SHAPE_CIRCLE | UINT64_C(1) << 32, &big, 1, NULL), IDL_E_MALFORMED);
}

int main(void)
{
    painter_server server = {.self = NULL, .v1 = &ops};
    idl_binding b = painter_binding(&server);
    idl_loopback lb;
    idl_loopback_init(&lb, &b, 1, 3, NULL, 0);
    test_round_trip(&lb.transport);
    test_unknown_variant(&lb.transport);
    test_malformed(&lb.transport);
    return t_finish();
}
