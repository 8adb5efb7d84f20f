/* SPDX-License-Identifier: MIT */
/* Compile-and-run test: tables (tables.idl) through loopback. Every subset
 * of fields round-trips alone and inside a struct; a table of a later
 * definition (settings_next) reaches an older receiver, which keeps the
 * fields it knows and skips the rest; malformed entries are refused. */
#include <string.h>

#include <idl/loopback.h>

#include "tables.h"
#include "testutil.h"

/* ---- the server ----------------------------------------------------------- */

static settings_t last;

static idl_status_t s_apply(void *self, const idl_caller *c, const settings_t *s, settings_t *t,
                            uint32_t *present)
{
    (void)self, (void)c;
    last = *s;
    *t = *s;
    *present = (uint32_t)(s->has_volume | s->has_name << 1 | s->has_mode << 2 |
                          s->has_size << 3 | s->has_blob << 4);
    return IDL_OK;
}

static idl_status_t s_wrap(void *self, const idl_caller *c, const wrapper_t *w, wrapper_t *w2)
{
    (void)self, (void)c;
    *w2 = *w;
    return IDL_OK;
}

static idl_status_t s_apply_next(void *self, const idl_caller *c, const settings_next_t *s,
                                 settings_next_t *t)
{
    (void)self, (void)c;
    *t = *s;
    return IDL_OK;
}

static const prefs_v1_ops ops = {s_apply, s_wrap, s_apply_next};

/* ---- helpers --------------------------------------------------------------- */

static settings_t make(unsigned mask)
{
    settings_t s;
    memset(&s, 0, sizeof s);
    if ((s.has_volume = mask & 1))
        s.volume = 11;
    if ((s.has_name = mask & 2))
        strcpy(s.name, mask & 4 ? "sixteen chars ok" : "x");
    if ((s.has_mode = mask & 4))
        s.mode = THEME_DARK;
    if ((s.has_size = mask & 8))
        s.size = (pair_t){640, 480};
    if ((s.has_blob = mask & 16))
        s.blob.len = 6, memcpy(s.blob.data, "abcdef", 6);
    return s;
}

static bool same(const settings_t *a, const settings_t *b)
{
    return a->has_volume == b->has_volume && a->volume == b->volume &&
           a->has_name == b->has_name && strcmp(a->name, b->name) == 0 &&
           a->has_mode == b->has_mode && a->mode == b->mode && a->has_size == b->has_size &&
           a->size.a == b->size.a && a->size.b == b->size.b && a->has_blob == b->has_blob &&
           a->blob.len == b->blob.len && memcmp(a->blob.data, b->blob.data, 6) == 0;
}

/* A transport that keeps the request and answers nothing. */
typedef struct capture {
    idl_transport t;
    idl_msg m;
} capture;

static tsr_error_t cap_call(idl_transport *t, idl_msg *m)
{
    ((capture *)t)->m = *m;
    return TSR_E_CANCELLED;
}

static tsr_error_t cap_send(idl_transport *t, const idl_msg *m)
{
    (void)t, (void)m;
    return TSR_OK;
}

static const idl_transport_ops capture_ops = {cap_call, cap_send};

/* ---- the tests ------------------------------------------------------------------ */

static void test_round_trip(idl_transport *t)
{
    for (unsigned mask = 0; mask < 32; mask++) {
        settings_t s = make(mask), r;
        uint32_t present = 99;
        memset(&r, 0x3c, sizeof r);
        CHECK_EQ(prefs_v1_apply(t, &s, &r, &present), IDL_OK);
        CHECK(same(&s, &r));
        CHECK_EQ(present, mask);
        wrapper_t w = {.before = 7, .s = s, .after = 0xabcd}, w2;
        CHECK_EQ(prefs_v1_wrap(t, &w, &w2), IDL_OK);
        CHECK(w2.before == 7 && w2.after == 0xabcd && same(&w2.s, &s));
    }
}

/* A later definition's table sent to a receiver that knows the older one:
 * the fields both know arrive, the new ones (ordinal 3 between them, 12
 * after them) are skipped. */
static void test_evolution(idl_transport *t)
{
    settings_next_t n;
    memset(&n, 0, sizeof n);
    n.has_volume = true, n.volume = 3;
    n.has_brightness = true, n.brightness = 900;
    n.has_mode = true, n.mode = THEME_LIGHT;
    n.has_tags = true, n.tags[4] = 9;
    n.has_blob = true, n.blob.len = 2, n.blob.data[0] = 'q';
    capture cap = {{&capture_ops}, {0}};
    CHECK_EQ(prefs_v1_apply_next(&cap.t, &n, &n), idl_status_from_tsr(TSR_E_CANCELLED));
    idl_msg m = cap.m;
    m.label = IDL_LABEL(1, PREFS_V1_APPLY_ORDINAL, 0); /* as the older method */
    CHECK_EQ(idl_call(t, &m), IDL_OK);
    CHECK(last.has_volume && last.volume == 3 && last.has_mode && last.mode == THEME_LIGHT);
    CHECK(last.has_blob && last.blob.len == 2 && last.blob.data[0] == 'q');
    CHECK(!last.has_name && !last.has_size);
    /* And the later definition round-trips whole. */
    settings_next_t back;
    CHECK_EQ(prefs_v1_apply_next(t, &n, &back), IDL_OK);
    CHECK(back.has_brightness && back.brightness == 900 && back.has_tags && back.tags[4] == 9);
}

/* Entries out of order, repeated, with ordinal 0, running past the table,
 * or counts that disagree with the words. */
static void test_malformed(idl_transport *t)
{
    settings_t s = make(1 | 4), r;
    capture cap = {{&capture_ops}, {0}};
    uint32_t present;
    prefs_v1_apply(&cap.t, &s, &r, &present);
    idl_msg good = cap.m, m;
    /* words: 2 GUID, count word, volume entry + value, mode entry + value */
    CHECK_EQ(good.nwords, 2 + 5);
    CHECK_EQ(good.words[2], 2 | UINT64_C(4) << 32);
    m = good;
    CHECK_EQ(idl_call(t, &m), IDL_OK);
    m = good;
    m.words[5] = 1 | UINT64_C(1) << 32; /* mode's entry says ordinal 1: repeated */
    CHECK_EQ(idl_call(t, &m), IDL_E_MALFORMED);
    m = good;
    m.words[3] = 0 | UINT64_C(1) << 32; /* ordinal 0 */
    CHECK_EQ(idl_call(t, &m), IDL_E_MALFORMED);
    m = good;
    m.words[3] = 5 | UINT64_C(1) << 32, m.words[5] = 4 | UINT64_C(1) << 32; /* 5 then 4 */
    CHECK_EQ(idl_call(t, &m), IDL_E_MALFORMED);
    m = good;
    m.words[2] = 3 | UINT64_C(4) << 32; /* three entries in the words of two */
    CHECK_EQ(idl_call(t, &m), IDL_E_MALFORMED);
    m = good;
    m.words[2] = 1 | UINT64_C(4) << 32; /* one entry, but more words */
    CHECK_EQ(idl_call(t, &m), IDL_E_MALFORMED);
    m = good;
    m.words[3] = 1 | UINT64_C(9) << 32; /* an entry running past the table */
    CHECK_EQ(idl_call(t, &m), IDL_E_MALFORMED);
    m = good;
    m.words[6] = 7; /* mode 7: no enumerator */
    CHECK_EQ(idl_call(t, &m), IDL_E_BAD_VALUE);
}

int main(void)
{
    prefs_server server = {.self = NULL, .v1 = &ops};
    idl_binding b = prefs_binding(&server);
    idl_loopback lb;
    idl_loopback_init(&lb, &b, 1, 3, NULL, 0);
    test_round_trip(&lb.transport);
    test_evolution(&lb.transport);
    test_malformed(&lb.transport);
    return t_finish();
}
