/* SPDX-License-Identifier: MIT */
/* Compile-and-run test: deferred replies (deferred.idl) through loopback.
 * Several loopback transports, one per client, share one server and its
 * table of waiting calls; a client whose call was deferred runs the "rest
 * of the world" (pump) until its answer comes, as a blocked thread would
 * let other threads run. */
#include <string.h>

#include <idl/loopback.h>

#include "deferred.h"
#include "testutil.h"

/* ---- the server ------------------------------------------------------------ */

typedef struct waiter {
    idl_reply_token tok;
    uint32_t at;
    bool used;
} waiter;

static struct {
    waiter w[8];
    idl_reply_token last;     /* the last token an op got */
    uint32_t now;
    unsigned echo_mode;       /* 0: answer, 1: answer then return an error too */
    const char *note;         /* what wait's answer says */
} srv;

static idl_status_t s_wait(void *self, const idl_caller *c, uint32_t at, idl_reply_token tok)
{
    (void)self, (void)c;
    srv.last = tok;
    if (at == 0)
        return TIMER_ERROR_TOO_LATE; /* answered now; the token is void */
    for (unsigned i = 0; i < 8; i++) {
        if (!srv.w[i].used) {
            srv.w[i] = (waiter){tok, at, true};
            return IDL_DEFERRED;
        }
    }
    return IDL_E_BUSY;
}

static idl_status_t s_fire(void *self, const idl_caller *c, uint32_t now, uint32_t *woken)
{
    (void)self, (void)c;
    srv.now = now;
    *woken = 0;
    for (unsigned i = 0; i < 8; i++) {
        if (srv.w[i].used && srv.w[i].at <= now) {
            srv.w[i].used = false;
            if (timer_v1_wait_reply(srv.w[i].tok, now, srv.note) == IDL_OK)
                ++*woken;
        }
    }
    return IDL_OK;
}

static idl_status_t s_echo(void *self, const idl_caller *c, uint64_t x, idl_reply_token tok)
{
    (void)self, (void)c;
    srv.last = tok;
    idl_status_t st = timer_v1_echo_reply(tok, x + 1);
    CHECK_EQ(st, IDL_OK);
    /* One-shot: a second answer, or one with another method's function. */
    CHECK_EQ(timer_v1_echo_reply(tok, 0), IDL_E_STALE_TOKEN);
    CHECK_EQ(idl_reply_fail(tok, TIMER_ERROR_TOO_LATE), IDL_E_STALE_TOKEN);
    return srv.echo_mode ? TIMER_ERROR_TOO_LATE : IDL_DEFERRED; /* either way, answered */
}

static idl_status_t s_lend(void *self, const idl_caller *c, idl_reply_token tok)
{
    (void)self, (void)c;
    /* Another method's reply function refuses the token. */
    CHECK_EQ(timer_v1_echo_reply(tok, 1), IDL_E_STALE_TOKEN);
    CHECK_EQ(timer_v1_lend_reply(tok, 77), IDL_OK);
    return IDL_DEFERRED;
}

static idl_status_t s_drop_all(void *self, const idl_caller *c, uint32_t *dropped)
{
    (void)self, (void)c;
    *dropped = 0;
    for (unsigned i = 0; i < 8; i++) {
        if (srv.w[i].used) {
            srv.w[i].used = false;
            if (idl_reply_drop(srv.w[i].tok) == IDL_OK)
                ++*dropped;
        }
    }
    return IDL_OK;
}

static idl_status_t s_forget(void *self, const idl_caller *c, idl_reply_token tok)
{
    (void)self, (void)c, (void)tok;
    return IDL_OK; /* neither kept nor used: the caller gets IDL_E_DROPPED */
}

static const timer_v1_ops ops = {s_wait, s_fire, s_echo, s_lend, s_drop_all, s_forget};

/* ---- the world: clients and what happens while one waits ----------------------- */

#define NCLIENTS 4
static idl_loopback lb[NCLIENTS];
static idl_deferrals table;

/* What the pump does next: a script of steps, each run once. */
typedef bool (*step_fn)(void);
static step_fn script[8];
static unsigned nsteps, next_step;

static bool pump(void *ctx)
{
    (void)ctx;
    if (next_step == nsteps)
        return false; /* nothing else will happen: the waiter is stuck */
    return script[next_step++]();
}

static void set_script(unsigned n, const step_fn *steps)
{
    for (unsigned i = 0; i < n; i++)
        script[i] = steps[i];
    nsteps = n;
    next_step = 0;
}

static uint64_t cap_info(void *ctx, idl_cap_t cap)
{
    (void)ctx;
    return cap == 77 ? TSR_CAP_INFO(TSR_OBJ_FRAME_4K, TSR_RIGHTS_ALL) : 0;
}

/* Steps. */
static uint32_t woken;
static idl_status_t nested_st;
static uint32_t nested_now;
static char nested_note[9];

static bool fire3(void)
{
    return timer_v1_fire(&lb[1].transport, 3, &woken) == IDL_OK;
}
static bool fire7(void)
{
    return timer_v1_fire(&lb[1].transport, 7, &woken) == IDL_OK;
}
static bool drop(void)
{
    uint32_t n;
    return timer_v1_drop_all(&lb[1].transport, &n) == IDL_OK;
}
static bool client0_gone(void)
{
    idl_loopback_client_gone(&lb[0]);
    return true;
}
/* Client 2 waits too (nested: its own wait runs the rest of the script). */
static bool client2_waits(void)
{
    nested_st = timer_v1_wait(&lb[2].transport, 5, &nested_now, nested_note);
    return true;
}

/* ---- the tests ------------------------------------------------------------------- */

/* Answered from another op: the call waits through a fire() that wakes
 * nobody, and returns with what the later one said. */
static void test_answer_later(void)
{
    static const step_fn s[] = {fire3, fire7};
    set_script(2, s);
    srv.note = "tick";
    uint32_t now = 0;
    char note[9];
    CHECK_EQ(timer_v1_wait(&lb[0].transport, 5, &now, note), IDL_OK);
    CHECK_EQ(now, 7);
    CHECK(strcmp(note, "tick") == 0);
    CHECK_EQ(woken, 1);
    CHECK_EQ(next_step, 2); /* it waited through both */
    /* The token is used up. */
    CHECK_EQ(timer_v1_wait_reply(srv.last, 1, "x"), IDL_E_STALE_TOKEN);
    CHECK(!idl_reply_waiting(srv.last));
}

/* Answered at once: through the token (the op's status after that does not
 * matter), with an error (the token is void), or not at all. */
static void test_answer_now(void)
{
    set_script(0, NULL);
    uint64_t y = 0;
    srv.echo_mode = 0;
    CHECK_EQ(timer_v1_echo(&lb[0].transport, 41, &y), IDL_OK);
    CHECK_EQ(y, 42);
    srv.echo_mode = 1;
    CHECK_EQ(timer_v1_echo(&lb[0].transport, 1, &y), IDL_OK);
    CHECK_EQ(y, 2);
    uint32_t now;
    char note[9];
    CHECK_EQ(timer_v1_wait(&lb[0].transport, 0, &now, note), TIMER_ERROR_TOO_LATE);
    CHECK_EQ(timer_v1_wait_reply(srv.last, 1, "x"), IDL_E_STALE_TOKEN);
    unsigned dropped = table.dropped;
    CHECK_EQ(timer_v1_forget(&lb[0].transport), IDL_E_DROPPED);
    CHECK_EQ(table.dropped, dropped + 1);
    /* A typed capability in a deferred answer: kept to its rights. */
    idl_cap_t f = 0;
    CHECK_EQ(timer_v1_lend(&lb[0].transport, &f), IDL_OK);
    CHECK_EQ(f, 77);
    CHECK_EQ(lb[0].answer.cap_info[0], TSR_CAP_INFO(TSR_OBJ_FRAME_4K, TSR_RIGHT_READ));
}

/* Dropped: the caller is told IDL_E_DROPPED, and the token is used up. */
static void test_dropped(void)
{
    static const step_fn s[] = {fire3, drop};
    set_script(2, s);
    uint32_t now;
    char note[9];
    CHECK_EQ(timer_v1_wait(&lb[0].transport, 5, &now, note), IDL_E_DROPPED);
    CHECK_EQ(idl_reply_drop(srv.last), IDL_E_STALE_TOKEN);
}

/* An answer that breaks its bound: the caller gets IDL_E_ENCODE, and so
 * does the server. */
static void test_encode(void)
{
    static const step_fn s[] = {fire7};
    set_script(1, s);
    srv.note = "far too long";
    uint32_t now;
    char note[9];
    CHECK_EQ(timer_v1_wait(&lb[0].transport, 5, &now, note), IDL_E_ENCODE);
    CHECK_EQ(woken, 0);
    srv.note = "tick";
}

/* A caller that goes away: its answer is refused, Reply Probe (here the
 * loopback) says it is gone, and its entry is freed. */
static void test_gone(void)
{
    static const step_fn s[] = {client0_gone};
    set_script(1, s);
    uint32_t now;
    char note[9];
    CHECK_EQ(timer_v1_wait(&lb[0].transport, 5, &now, note),
             idl_status_from_tsr(TSR_E_CANCELLED));
    unsigned gone = table.gone;
    CHECK(!idl_reply_waiting(srv.last));
    CHECK_EQ(table.gone, gone + 1);
    /* The server still holds it in its own list: answering it fails. */
    CHECK_EQ(timer_v1_wait_reply(srv.last, 1, "x"), IDL_E_STALE_TOKEN);
    memset(srv.w, 0, sizeof srv.w);
}

/* The table holds two waiting calls: a third is IDL_E_BUSY, unless one of
 * the two has gone away, whose entry is then reused. */
static idl_status_t third_st;
static bool client3_waits(void)
{
    uint32_t now;
    char note[9];
    third_st = timer_v1_wait(&lb[3].transport, 5, &now, note);
    return true;
}

static void test_busy(void)
{
    /* Client 0 waits; meanwhile client 2 waits too; meanwhile client 3's
     * wait finds the table full; then fire(7) answers the two. */
    static const step_fn s[] = {client2_waits, client3_waits, fire7};
    set_script(3, s);
    uint32_t now = 0;
    char note[9];
    CHECK_EQ(timer_v1_wait(&lb[0].transport, 5, &now, note), IDL_OK);
    CHECK_EQ(now, 7);
    CHECK_EQ(third_st, IDL_E_BUSY);
    CHECK_EQ(nested_st, IDL_OK);
    CHECK_EQ(nested_now, 7);
    CHECK_EQ(woken, 2);
}

static void test_reap(void)
{
    /* As above, but client 0 goes away before client 3 comes: its entry is
     * taken over, and its answer never sent. */
    static const step_fn s[] = {client2_waits, client0_gone, client3_waits, fire7};
    set_script(4, s);
    unsigned gone = table.gone;
    uint32_t now = 0;
    char note[9];
    CHECK_EQ(timer_v1_wait(&lb[0].transport, 5, &now, note),
             idl_status_from_tsr(TSR_E_CANCELLED));
    CHECK_EQ(third_st, IDL_OK);
    CHECK_EQ(nested_st, IDL_OK);
    CHECK_EQ(woken, 2); /* client 0's stale token answered nobody */
    CHECK_EQ(table.gone, gone + 1);
}

/* A server that stops answers whoever still waits: IDL_E_DROPPED. */
static bool stop_server(void)
{
    return idl_defer_drop_all(&table) == 2;
}

static void test_drop_all(void)
{
    static const step_fn s[] = {client2_waits, stop_server};
    set_script(2, s);
    uint32_t now;
    char note[9];
    CHECK_EQ(timer_v1_wait(&lb[0].transport, 5, &now, note), IDL_E_DROPPED);
    CHECK_EQ(nested_st, IDL_E_DROPPED);
    memset(srv.w, 0, sizeof srv.w);
}

/* Without a table (a transport that keeps no calls waiting), a deferred
 * method is IDL_E_BUSY; the op never runs. */
static void test_no_table(const idl_binding *b)
{
    idl_loopback plain;
    idl_loopback_init(&plain, b, 1, 9, NULL, 0);
    uint64_t y = 0;
    srv.last = (idl_reply_token){0};
    CHECK_EQ(timer_v1_echo(&plain.transport, 1, &y), IDL_E_BUSY);
    CHECK(srv.last.d == NULL);
}

int main(void)
{
    timer_server server = {.self = NULL, .v1 = &ops};
    idl_binding b = timer_binding(&server);
    idl_loopback_deferrals_init(&table, 2);
    for (unsigned i = 0; i < NCLIENTS; i++) {
        idl_loopback_init(&lb[i], &b, 1, 100 + i, NULL, 0);
        idl_loopback_set_deferrals(&lb[i], &table, pump, NULL);
        idl_loopback_set_cap_info(&lb[i], cap_info, NULL);
    }
    test_answer_later();
    test_answer_now();
    test_dropped();
    test_encode();
    test_gone();
    test_busy();
    test_reap();
    test_drop_all();
    test_no_table(&b);
    return t_finish();
}
