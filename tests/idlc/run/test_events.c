/* SPDX-License-Identifier: MIT */
/* Compile-and-run test: events (events.idl) through loopback. Clients
 * subscribe with a "message queue" (a loopback event queue); the server
 * emits to each without blocking, a full queue loses events with a count
 * that the next delivered event carries, and a queue that is gone fails
 * its sink for good. */
#include <string.h>

#include <idl/loopback.h>

#include "events.h"
#include "testutil.h"

/* ---- the "kernel": capabilities 1..4 are the clients' queues --------------- */

#define NQUEUES 4
static idl_loopback_events queue[NQUEUES];

static uint64_t cap_info(void *ctx, idl_cap_t cap)
{
    (void)ctx;
    return cap >= 1 && cap <= NQUEUES ? TSR_CAP_INFO(TSR_OBJ_MSG_QUEUE, TSR_RIGHTS_ALL) : 0;
}

/* ---- the server ------------------------------------------------------------------ */

static idl_event_sink sink[NQUEUES];
static unsigned nsinks;
static uint32_t seq;

static idl_status_t s_subscribe(void *self, const idl_caller *c, idl_cap_t q, uint32_t *id)
{
    (void)self, (void)c;
    idl_loopback_event_sink_init(&sink[nsinks], &queue[q - 1]);
    *id = nsinks++;
    return IDL_OK;
}

static idl_status_t s_tick(void *self, const idl_caller *c, uint32_t n, uint32_t *delivered,
                           uint32_t *lost, uint32_t *gone)
{
    (void)self, (void)c;
    for (uint32_t i = 0; i < n; i++) {
        seq++;
        for (unsigned k = 0; k < nsinks; k++) {
            idl_status_t st = seq % 5 == 0 ? ticker_v2_emit_on_level(&sink[k], -3, (const uint8_t *)"lvl", 3)
                                           : ticker_v1_emit_on_tick(&sink[k], seq, "tick");
            *delivered += st == IDL_OK;
            *lost += st == IDL_E_EVENT_LOST;
            *gone += st != IDL_OK && st != IDL_E_EVENT_LOST;
        }
    }
    return IDL_OK;
}

static const ticker_v1_ops ops1 = {s_subscribe, s_tick};
static const ticker_v2_ops ops2 = {s_subscribe, s_tick};

/* ---- the client's handlers ---------------------------------------------------------- */

typedef struct seen {
    unsigned ticks, resets, levels;
    uint32_t last_seq;
    uint64_t lost;
    char label[17];
} seen;

static void h_tick(void *self, uint64_t lost, uint32_t s, const char *label)
{
    seen *x = self;
    x->ticks++;
    x->last_seq = s;
    x->lost += lost;
    strcpy(x->label, label);
}

static void h_reset(void *self, uint64_t lost)
{
    seen *x = self;
    x->resets++;
    x->lost += lost;
}

static void h_level(void *self, uint64_t lost, int8_t level, const uint8_t *bits, size_t len)
{
    seen *x = self;
    x->levels++;
    x->lost += lost;
    CHECK_EQ(level, -3);
    CHECK(len == 3 && memcmp(bits, "lvl", 3) == 0);
}

static const ticker_v1_events ev1 = {h_tick, h_reset};
static const ticker_v2_events ev2 = {h_tick, h_reset, h_level};

/* Take every event in q: v2 handlers, or v1 ones (which skip on_level). */
static unsigned drain(idl_loopback_events *q, seen *x, int version)
{
    idl_msg m;
    unsigned skipped = 0;
    while (idl_loopback_event_take(q, &m)) {
        idl_status_t st = version == 2 ? ticker_v2_event_dispatch(&ev2, x, &m)
                                       : ticker_v1_event_dispatch(&ev1, x, &m);
        if (st == IDL_E_UNKNOWN_METHOD)
            skipped++;
        else
            CHECK_EQ(st, IDL_OK);
    }
    return skipped;
}

/* ---- the tests ------------------------------------------------------------------------ */

static void test_delivery(idl_transport *t)
{
    uint32_t id = 9, d = 0, l = 0, g = 0;
    idl_loopback_events_init(&queue[0], 8);
    idl_loopback_events_init(&queue[1], 8);
    CHECK_EQ(ticker_v2_subscribe(t, 1, &id), IDL_OK);
    CHECK_EQ(id, 0);
    CHECK_EQ(ticker_v1_subscribe(t, 2, &id), IDL_OK);
    CHECK_EQ(ticker_v2_tick(t, 5, &d, &l, &g), IDL_OK); /* seq 1..5, 5 is a level */
    CHECK_EQ(d, 10);
    CHECK(l == 0 && g == 0);
    seen a = {0}, b = {0};
    CHECK_EQ(drain(&queue[0], &a, 2), 0);
    CHECK(a.ticks == 4 && a.levels == 1 && a.last_seq == 4 && a.lost == 0);
    CHECK(strcmp(a.label, "tick") == 0);
    /* A version 1 client skips the event it does not know. */
    CHECK_EQ(drain(&queue[1], &b, 1), 1);
    CHECK(b.ticks == 4 && b.levels == 0);
}

/* A client that does not drain its queue: the server never blocks, the
 * events that do not fit are lost and counted, and the next one that gets
 * through says how many. */
static void test_overflow(idl_transport *t)
{
    uint32_t d = 0, l = 0, g = 0;
    seen a = {0}, b = {0};
    /* seq 6..17: 12 events each; queue 0 is drained, queue 1 is not. */
    CHECK_EQ(ticker_v2_tick(t, 12, &d, &l, &g), IDL_OK);
    CHECK_EQ(d, 8 + 8);
    CHECK_EQ(l, 4 + 4);
    CHECK_EQ(sink[0].lost, 4);
    CHECK_EQ(sink[0].lost_total, 4);
    drain(&queue[0], &a, 2);
    CHECK_EQ(a.ticks + a.levels, 8);
    CHECK_EQ(a.lost, 0);
    d = l = g = 0;
    CHECK_EQ(ticker_v2_tick(t, 1, &d, &l, &g), IDL_OK); /* seq 18: queue 1 still full */
    CHECK(d == 1 && l == 1);
    a = (seen){0};
    drain(&queue[0], &a, 2);
    CHECK(a.ticks == 1 && a.last_seq == 18 && a.lost == 4);
    CHECK_EQ(sink[0].lost, 0);
    drain(&queue[1], &b, 1);
    CHECK_EQ(b.lost, 0);
    d = l = g = 0;
    CHECK_EQ(ticker_v2_tick(t, 1, &d, &l, &g), IDL_OK);
    b = (seen){0};
    drain(&queue[1], &b, 1);
    CHECK(b.ticks == 1 && b.lost == 5);
    drain(&queue[0], &a, 2);
}

/* A subscriber whose queue is gone: its sink fails for good, the others go
 * on. */
static void test_gone(idl_transport *t)
{
    uint32_t d = 0, l = 0, g = 0;
    queue[1].closed = true;
    CHECK_EQ(ticker_v2_tick(t, 2, &d, &l, &g), IDL_OK);
    CHECK(d == 2 && l == 0 && g == 2);
    CHECK_EQ(sink[1].failed, TSR_E_INVALID_CAPABILITY);
    seen a = {0};
    drain(&queue[0], &a, 2);
    CHECK_EQ(a.ticks + a.levels, 2);
}

/* What the client's dispatcher refuses. */
static void test_malformed(void)
{
    idl_loopback_events q;
    idl_event_sink s;
    idl_loopback_events_init(&q, 4);
    idl_loopback_event_sink_init(&s, &q);
    CHECK_EQ(ticker_v1_emit_on_tick(&s, 1, "ok"), IDL_OK);
    idl_msg good, m;
    CHECK(idl_loopback_event_take(&q, &good));
    seen x = {0};
    m = good;
    CHECK_EQ(ticker_v1_event_dispatch(&ev1, &x, &m), IDL_OK);
    m.words[0] ^= 1;
    CHECK_EQ(ticker_v1_event_dispatch(&ev1, &x, &m), IDL_E_UNKNOWN_INTERFACE);
    m = good;
    m.label = IDL_LABEL(1, 2, IDL_LABEL_ONEWAY); /* a method, not an event */
    CHECK_EQ(ticker_v1_event_dispatch(&ev1, &x, &m), IDL_E_UNKNOWN_METHOD);
    m = good;
    m.nwords = 2;
    CHECK_EQ(ticker_v1_event_dispatch(&ev1, &x, &m), IDL_E_MALFORMED);
    m = good;
    m.words[m.nwords++] = 0; /* trailing word */
    CHECK_EQ(ticker_v1_event_dispatch(&ev1, &x, &m), IDL_E_MALFORMED);
    m = good;
    m.words[4] = 17; /* the string's length over its bound */
    CHECK_EQ(ticker_v1_event_dispatch(&ev1, &x, &m), IDL_E_BAD_VALUE);
    m = good;
    m.ncaps = 1;
    CHECK_EQ(ticker_v1_event_dispatch(&ev1, &x, &m), IDL_E_MALFORMED);
    CHECK_EQ(x.ticks, 1);
    /* The emitter keeps bounds too. */
    CHECK_EQ(ticker_v1_emit_on_tick(&s, 1, "seventeen chars.."), IDL_E_ENCODE);
    /* A NULL handler ignores its event. */
    static const ticker_v1_events none = {NULL, NULL};
    CHECK_EQ(ticker_v1_event_dispatch(&none, &x, &good), IDL_OK);
}

int main(void)
{
    ticker_server server = {.self = NULL, .v1 = &ops1, .v2 = &ops2};
    idl_binding b = ticker_binding(&server);
    idl_loopback lb;
    idl_loopback_init(&lb, &b, 1, 5, NULL, 0);
    idl_loopback_set_cap_info(&lb, cap_info, NULL);
    test_delivery(&lb.transport);
    test_overflow(&lb.transport);
    test_gone(&lb.transport);
    test_malformed();
    return t_finish();
}
