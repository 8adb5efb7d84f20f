/* SPDX-License-Identifier: MIT */
/* Compile-and-run test: optional values (optional.idl) through loopback.
 * Every optional field kind, present and absent in all combinations that
 * matter (first, between and after variable items), and optional
 * in-parameters given as NULL or not; then malformed presence words. */
#include <string.h>

#include <idl/loopback.h>

#include "optional.h"
#include "testutil.h"

/* ---- the server -------------------------------------------------------------- */

static idl_status_t s_put(void *self, const idl_caller *c, const profile_t *p, profile_t *q)
{
    (void)self, (void)c;
    *q = *p;
    return IDL_OK;
}

static idl_status_t s_find(void *self, const idl_caller *c, const char *name,
                           const uint32_t *limit, const mood_t *m, const place_t *where,
                           const uint8_t *raw, size_t raw_len, uint8_t last, uint8_t *given,
                           uint64_t *sum)
{
    (void)self, (void)c;
    *given = (uint8_t)((name != NULL) | (limit != NULL) << 1 | (m != NULL) << 2 |
                       (where != NULL) << 3 | (raw != NULL) << 4);
    *sum = last;
    if (name)
        *sum += strlen(name);
    if (limit)
        *sum += *limit;
    if (m)
        *sum += *m;
    if (where)
        *sum += where->a;
    if (raw)
        *sum += raw_len + raw[0];
    return IDL_OK;
}

static const registry_v1_ops ops = {s_put, s_find};

/* ---- the tests ----------------------------------------------------------------- */

static bool same(const profile_t *a, const profile_t *b)
{
    if (a->id != b->id || a->tail != b->tail || a->has_nick != b->has_nick ||
        a->has_age != b->has_age || a->has_m != b->has_m || a->has_home != b->has_home ||
        a->has_tags != b->has_tags || a->has_blob != b->has_blob)
        return false;
    if (a->has_nick && strcmp(a->nick, b->nick) != 0)
        return false;
    if (a->has_age && a->age != b->age)
        return false;
    if (a->has_m && a->m != b->m)
        return false;
    if (a->has_home && a->home.a != b->home.a)
        return false;
    if (a->has_tags && memcmp(a->tags, b->tags, sizeof a->tags) != 0)
        return false;
    if (a->has_blob &&
        (a->blob.len != b->blob.len || memcmp(a->blob.data, b->blob.data, a->blob.len) != 0))
        return false;
    return true;
}

static void test_fields(idl_transport *t)
{
    /* All 64 combinations of the six optional fields. */
    for (unsigned mask = 0; mask < 64; mask++) {
        profile_t p, q;
        memset(&p, 0, sizeof p);
        memset(&q, 0x77, sizeof q);
        p.id = 1000 + mask;
        p.tail = 0xee;
        if ((p.has_nick = mask & 1))
            strcpy(p.nick, mask & 8 ? "twelve chars" : "");
        if ((p.has_age = mask & 2))
            p.age = 42;
        if ((p.has_m = mask & 4))
            p.m = MOOD_CROSS;
        if ((p.has_home = mask & 8))
            p.home.a = 0xbeef;
        if ((p.has_tags = mask & 16))
            p.tags[0] = 1, p.tags[1] = 2, p.tags[2] = 0xffff;
        if ((p.has_blob = mask & 32))
            p.blob.len = mask & 1 ? 10 : 0, memcpy(p.blob.data, "0123456789", 10);
        CHECK_EQ(registry_v1_put(t, &p, &q), IDL_OK);
        CHECK(same(&p, &q));
    }
}

static void test_params(idl_transport *t)
{
    uint8_t given = 0;
    uint64_t sum = 0;
    CHECK_EQ(registry_v1_find(t, NULL, NULL, NULL, NULL, NULL, 0, 9, &given, &sum), IDL_OK);
    CHECK(given == 0 && sum == 9);
    uint32_t limit = 100;
    mood_t m = MOOD_CALM;
    place_t where = {7};
    const uint8_t raw[2] = {5, 6};
    CHECK_EQ(registry_v1_find(t, "abc", &limit, &m, &where, raw, 2, 1, &given, &sum), IDL_OK);
    CHECK(given == 31 && sum == 1 + 3 + 100 + 1 + 7 + 2 + 5);
    CHECK_EQ(registry_v1_find(t, "", NULL, &m, NULL, raw, 0, 0, &given, &sum), IDL_OK);
    CHECK(given == (1 | 4 | 16) && sum == 1 + 0 + 5);
    /* A present value is checked as any other. */
    mood_t bad = 9;
    CHECK_EQ(registry_v1_find(t, NULL, NULL, &bad, NULL, NULL, 0, 0, &given, &sum), IDL_E_BAD_VALUE);
    CHECK_EQ(registry_v1_find(t, "thirteen char", NULL, NULL, NULL, NULL, 0, 0, &given, &sum),
             IDL_E_ENCODE);
}

/* Presence words other than 0 and 1, and values cut short. */
static void test_malformed(idl_transport *t)
{
    idl_msg m;
    uint64_t *w = &m.words[2];
    memset(&m, 0, sizeof m);
    m.label = IDL_LABEL(1, REGISTRY_V1_FIND_ORDINAL, 0);
    m.words[0] = REGISTRY_GUID_HI;
    m.words[1] = REGISTRY_GUID_LO;
    /* name absent, limit present (2 words), m, where, raw absent, last */
    w[0] = 0, w[1] = 1, w[2] = 5, w[3] = 0, w[4] = 0, w[5] = 0, w[6] = 3;
    m.nwords = 2 + 7;
    idl_msg k = m;
    CHECK_EQ(idl_call(t, &k), IDL_OK);
    CHECK(k.words[0] == 2 && k.words[1] == 8); /* given: limit; sum: 5 + 3 */
    k = m;
    k.words[2 + 1] = 2; /* presence 2 */
    CHECK_EQ(idl_call(t, &k), IDL_E_BAD_VALUE);
    k = m;
    k.words[2 + 2] = UINT64_C(1) << 32; /* the u32 value's padding */
    CHECK_EQ(idl_call(t, &k), IDL_E_MALFORMED);
    k = m;
    k.nwords = 2 + 2; /* present, but the value is missing */
    CHECK_EQ(idl_call(t, &k), IDL_E_MALFORMED);
    k = m;
    k.words[2 + 3] = 1; /* m present: enum value 0 is no enumerator */
    CHECK_EQ(idl_call(t, &k), IDL_E_BAD_VALUE);
}

int main(void)
{
    registry_server server = {.self = NULL, .v1 = &ops};
    idl_binding b = registry_binding(&server);
    idl_loopback lb;
    idl_loopback_init(&lb, &b, 1, 3, NULL, 0);
    test_fields(&lb.transport);
    test_params(&lb.transport);
    test_malformed(&lb.transport);
    return t_finish();
}
