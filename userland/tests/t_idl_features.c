/* SPDX-License-Identifier: MIT */
/* The IDL's features for real services over kernel IPC (features.idl):
 * each test runs a server thread with idl_kernel_serve and calls it
 * through the kernel transport, with the stubs the host tests run over
 * loopback (tests/idlc/run). */
#include <idl/kernel.h>

#include "features.h"
#include "test.h"
#include "tsr/bulk.h"
#include "tsr/msgqueue.h"
#include "tsr/vm.h"

/* ---- IDL0002: typed capabilities ------------------------------------------------ */

static tsr_cptr_t holder_give; /* what take_frame / take_wrong hand out */
static volatile unsigned holder_ops;

/* What the kernel wrote of the request's first capability (the server
 * thread's own IPC buffer). */
static void arrived(uint32_t *type, uint32_t *rights)
{
    uint64_t info = tsr_ipc_buffer()->cap_info[0];
    *type = tsr_cap_info_type(info);
    *rights = tsr_cap_info_rights(info);
}

static idl_status_t h_give_frame(void *self, const idl_caller *c, idl_cap_t f, uint32_t *type,
                                 uint32_t *rights)
{
    (void)self, (void)c, (void)f;
    holder_ops++;
    arrived(type, rights);
    return IDL_OK;
}

static idl_status_t h_take(void *self, const idl_caller *c, idl_cap_t *f)
{
    (void)self, (void)c;
    holder_ops++;
    *f = holder_give;
    return IDL_OK;
}

static const holder_v1_ops holder_ops_v1 = {h_give_frame, h_give_frame, h_take, h_take};

struct serve_env {
    tsr_cptr_t ep, reply, slot;
    const idl_binding *binding;
};

static void serve_thread(uint64_t arg)
{
    const struct serve_env *e = (const void *)(uintptr_t)arg;
    idl_kernel_cap_slots slots = {ROOT, e->slot, D, 1};
    idl_kernel_serve(e->ep, e->reply, e->binding, 1, &slots, 0);
}

/* A server thread for `binding`, and a client capability (all rights,
 * badge 0xc1) in *client. */
static bool start_server(struct serve_env *env, const idl_binding *binding, tsr_cptr_t *client)
{
    *env = (struct serve_env){t_new(TSR_OBJ_ENDPOINT, 0), t_new(TSR_OBJ_REPLY, 0), t_slot(),
                              binding};
    *client = t_slot();
    CHECK_OK(tsr_cnode_mint(ROOT, *client, D, ROOT, env->ep, D, TSR_RIGHTS_ALL, 0xc1));
    CHECK(t_thread(serve_thread, (uint64_t)(uintptr_t)env, 100, 0));
    return true;
}

static bool typed_caps(void)
{
    static struct serve_env env;
    static const holder_server server = {.v1 = &holder_ops_v1};
    static idl_binding binding;
    binding = holder_binding(&server);
    tsr_cptr_t client;
    CHECK(start_server(&env, &binding, &client));
    idl_kernel_transport kt;
    idl_kernel_transport_init(&kt, client);
    idl_transport *t = &kt.transport;

    /* A frame with every right arrives as cap<frame, read> says: read only. */
    tsr_cptr_t frame = t_new(TSR_OBJ_FRAME_4K, 0), ntfn = t_new(TSR_OBJ_NOTIFICATION, 0);
    uint32_t type = 0, rights = 0;
    CHECK_EQ(holder_v1_give_frame(t, frame, &type, &rights), IDL_OK);
    CHECK_EQ(type, TSR_OBJ_FRAME_4K);
    CHECK_EQ(rights, TSR_RIGHT_READ);
    /* The stub's restriction does not outlive the call: a capability this
     * thread sends by hand next goes with all its rights. */
    CHECK_EQ(tsr_ipc_buffer()->cap_info[0], 0);
    /* Not a frame: refused before the op, and the slot is free again. */
    unsigned before = holder_ops;
    CHECK_EQ(holder_v1_give_frame(t, ntfn, &type, &rights), IDL_E_BAD_CAP);
    CHECK_EQ(holder_ops, before);
    tsr_cptr_t ro = t_slot();
    CHECK_OK(tsr_cnode_copy(ROOT, ro, D, ROOT, frame, D, TSR_RIGHT_WRITE));
    CHECK_EQ(holder_v1_give_frame(t, ro, &type, &rights), IDL_E_BAD_CAP); /* no READ */
    CHECK_EQ(holder_v1_give_frame(t, frame, &type, &rights), IDL_OK);
    /* client<holder>: an endpoint the receiver may call, never receive on. */
    CHECK_EQ(holder_v1_give_client(t, client, &type, &rights), IDL_OK);
    CHECK_EQ(type, TSR_OBJ_ENDPOINT);
    CHECK_EQ(rights, TSR_RIGHT_WRITE | TSR_RIGHT_GRANT | TSR_RIGHT_GRANT_REPLY);
    CHECK_EQ(holder_v1_give_client(t, ntfn, &type, &rights), IDL_E_BAD_CAP);

    /* Replies: the server keeps only read and write of the frame it gives. */
    tsr_cptr_t got = t_slot();
    tsr_receive_slots(ROOT, got, D);
    holder_give = frame;
    idl_cap_t f = 0;
    CHECK_EQ(holder_v1_take_frame(t, &f), IDL_OK);
    CHECK_EQ(f, got);
    CHECK_EQ(tsr_ipc_buffer()->cap_info[0],
             TSR_CAP_INFO(TSR_OBJ_FRAME_4K, TSR_RIGHT_READ | TSR_RIGHT_WRITE));
    uint64_t pa;
    CHECK_OK(tsr_frame_get_address(got, &pa));
    CHECK_OK(tsr_cnode_delete(ROOT, got, D));
    /* A notification where a frame was promised: the stub refuses it. */
    holder_give = ntfn;
    CHECK_EQ(holder_v1_take_wrong(t, &f), IDL_E_BAD_REPLY);
    CHECK_OK(tsr_cnode_delete(ROOT, got, D)); /* it arrived all the same */
    tsr_receive_slots(0, 0, 0);
    return true;
}

/* ---- IDL0003: deferred replies ----------------------------------------------- */

#define PAGER_HELD 4
static struct {
    idl_reply_token tok;
    uint32_t at;
    bool used;
} pager_held[PAGER_HELD];

static void pager_wake(uint32_t now, uint32_t at_most, uint32_t *woken)
{
    for (unsigned i = 0; i < PAGER_HELD; i++) {
        if (pager_held[i].used && pager_held[i].at <= at_most) {
            pager_held[i].used = false;
            if (pager_v1_wait_reply(pager_held[i].tok, now) == IDL_OK && woken)
                ++*woken;
        }
    }
}

static idl_status_t p_wait(void *self, const idl_caller *c, uint32_t at, idl_reply_token tok)
{
    (void)self, (void)c;
    for (unsigned i = 0; i < PAGER_HELD; i++) {
        if (!pager_held[i].used) {
            pager_held[i].tok = tok, pager_held[i].at = at, pager_held[i].used = true;
            return IDL_DEFERRED;
        }
    }
    return IDL_E_BUSY;
}

static idl_status_t p_ring(void *self, const idl_caller *c, uint32_t now, uint32_t *woken)
{
    (void)self, (void)c;
    *woken = 0;
    pager_wake(now, now, woken);
    return IDL_OK;
}

static idl_status_t p_census(void *self, const idl_caller *c, uint32_t *waiting, uint32_t *gone)
{
    (void)self, (void)c;
    for (unsigned i = 0; i < PAGER_HELD; i++) {
        if (!pager_held[i].used)
            continue;
        if (idl_reply_waiting(pager_held[i].tok)) {
            ++*waiting;
        } else {
            pager_held[i].used = false; /* its caller went away (Reply Probe) */
            ++*gone;
        }
    }
    return IDL_OK;
}

static const pager_v1_ops pager_ops_v1 = {p_wait, p_ring, p_census};

#define BELL_RANG 0xbe11u
/* The bell: a signal of the server's bound notification, as an interrupt
 * would arrive. It wakes every waiter. */
static bool pager_intercept(void *ctx, uint64_t badge, const struct tsr_msg *m)
{
    (void)ctx;
    if (m->info != 0 || badge != 1)
        return false;
    pager_wake(BELL_RANG, UINT32_MAX, NULL);
    return true;
}

#define PAGER_REQUESTS 11
static tsr_cptr_t pager_ep, pager_client;
static tsr_cptr_t pager_replies[3];
static idl_deferrals pager_table;
static volatile tsr_error_t pager_served = 99;

static void pager_thread(uint64_t arg)
{
    static idl_binding binding;
    static const pager_server server = {.v1 = &pager_ops_v1};
    binding = pager_binding(&server);
    idl_kernel_defer_config defer = {pager_replies, 3, &pager_table, pager_intercept, NULL};
    (void)arg;
    pager_served = idl_kernel_serve_deferred(pager_ep, &binding, 1, NULL, &defer,
                                             PAGER_REQUESTS);
}

#define NOT_YET 0xdeadu
static volatile idl_status_t waiter_st[6];
static volatile uint32_t waiter_now[6];
static const uint32_t waiter_at[6] = {5, 1000, 1000, 1000, 1000, 1000};

static void waiter(uint64_t i)
{
    idl_kernel_transport kt;
    idl_kernel_transport_init(&kt, pager_client);
    uint32_t now = 0;
    idl_status_t st = pager_v1_wait(&kt.transport, waiter_at[i], &now);
    waiter_now[i] = now;
    waiter_st[i] = st;
}

static tsr_cptr_t start_waiter(unsigned i)
{
    waiter_st[i] = NOT_YET;
    tsr_cptr_t tcb = t_thread(waiter, i, 100, 0);
    t_yield_to_lower(); /* it calls, and the server keeps it waiting */
    return tcb;
}

static bool deferred_replies(void)
{
    pager_ep = t_new(TSR_OBJ_ENDPOINT, 0);
    for (unsigned i = 0; i < 3; i++)
        pager_replies[i] = t_new(TSR_OBJ_REPLY, 0);
    tsr_cptr_t bell = t_new(TSR_OBJ_NOTIFICATION, 0);
    pager_client = t_slot();
    CHECK_OK(tsr_cnode_mint(ROOT, pager_client, D, ROOT, pager_ep, D, TSR_RIGHTS_ALL, 0xc2));
    tsr_cptr_t bell_badged = t_slot();
    CHECK_OK(tsr_cnode_mint(ROOT, bell_badged, D, ROOT, bell, D, TSR_RIGHTS_ALL, 1));
    tsr_cptr_t srv = t_thread(pager_thread, 0, 100, 0);
    CHECK(srv);
    CHECK_OK(tsr_tcb_bind_notification(srv, bell));
    idl_kernel_transport kt;
    idl_kernel_transport_init(&kt, pager_client);
    idl_transport *t = &kt.transport;

    /* 1, 2, 3: answered from another op, once ring() reaches its time. */
    start_waiter(0);
    CHECK_EQ(waiter_st[0], NOT_YET);
    uint32_t woken = 9;
    CHECK_EQ(pager_v1_ring(t, 3, &woken), IDL_OK);
    CHECK_EQ(woken, 0);
    t_yield_to_lower();
    CHECK_EQ(waiter_st[0], NOT_YET);
    CHECK_EQ(pager_v1_ring(t, 7, &woken), IDL_OK);
    CHECK_EQ(woken, 1);
    t_yield_to_lower();
    CHECK_EQ(waiter_st[0], IDL_OK);
    CHECK_EQ(waiter_now[0], 7);
    /* 4: answered after an "interrupt" (not a request). */
    start_waiter(1);
    CHECK_OK(tsr_signal(bell_badged));
    t_yield_to_lower();
    CHECK_EQ(waiter_st[1], IDL_OK);
    CHECK_EQ(waiter_now[1], BELL_RANG);
    /* 5, 6: a caller that goes away is noticed (Reply Probe). */
    tsr_cptr_t dead = start_waiter(2);
    CHECK_EQ(waiter_st[2], NOT_YET);
    CHECK_OK(tsr_cnode_delete(ROOT, dead, D));
    uint32_t waiting = 9, gone = 9;
    CHECK_EQ(pager_v1_census(t, &waiting, &gone), IDL_OK);
    CHECK_EQ(waiting, 0);
    CHECK_EQ(gone, 1);
    /* 7, 8, 9: three reply objects hold two callers; a third gets
     * IDL_E_BUSY at once. */
    tsr_cptr_t d = start_waiter(3);
    start_waiter(4);
    uint32_t now = 0;
    CHECK_EQ(pager_v1_wait(t, 1000, &now), IDL_E_BUSY);
    /* 10: unless one of the two has gone: its reply object is reused. */
    CHECK_OK(tsr_cnode_delete(ROOT, d, D));
    unsigned gone_before = pager_table.gone;
    start_waiter(5);
    CHECK_EQ(waiter_st[5], NOT_YET);
    CHECK_EQ(pager_table.gone, gone_before + 1);
    /* 11: the last request; then the loop ends and drops whoever waits. */
    waiting = gone = 0;
    CHECK_EQ(pager_v1_census(t, &waiting, &gone), IDL_OK);
    CHECK_EQ(waiting, 2);
    CHECK_EQ(gone, 1); /* the entry the runtime reused: stale for the server */
    t_yield_to_lower();
    CHECK_EQ(pager_served, TSR_OK);
    CHECK_EQ(waiter_st[4], IDL_E_DROPPED);
    CHECK_EQ(waiter_st[5], IDL_E_DROPPED);
    return true;
}

/* ---- IDL0004: events -------------------------------------------------------------- */

static tsr_cptr_t bell_queue_slot; /* the subscriber's queue, kept by the server */
static idl_event_sink bell_sink;
static uint32_t bell_seq;

static idl_status_t b_subscribe(void *self, const idl_caller *c, idl_cap_t q)
{
    (void)self, (void)c;
    /* Keep it: whatever stays in the receive slots is deleted after dispatch. */
    if (tsr_cnode_move(ROOT, bell_queue_slot, D, ROOT, q, D) != TSR_OK)
        return idl_status_from_tsr(TSR_E_INVALID_CAPABILITY);
    idl_kernel_event_sink_init(&bell_sink, bell_queue_slot);
    return IDL_OK;
}

static idl_status_t b_ring(void *self, const idl_caller *c, uint32_t n, uint32_t *delivered,
                           uint32_t *lost, uint32_t *gone)
{
    (void)self, (void)c;
    for (uint32_t i = 0; i < n; i++) {
        idl_status_t st = bell_v1_emit_rung(&bell_sink, ++bell_seq);
        *delivered += st == IDL_OK;
        *lost += st == IDL_E_EVENT_LOST;
        *gone += st != IDL_OK && st != IDL_E_EVENT_LOST;
    }
    return IDL_OK;
}

static const bell_v1_ops bell_ops_v1 = {b_subscribe, b_ring};

static struct {
    unsigned events;
    uint32_t last;
    uint64_t lost;
    bool in_order;
} rung_seen;

static void on_rung(void *self, uint64_t lost, uint32_t seq)
{
    (void)self;
    rung_seen.in_order &= seq == rung_seen.last + 1 + lost;
    rung_seen.events++;
    rung_seen.last = seq;
    rung_seen.lost += lost;
}

static const bell_v1_events bell_handlers = {on_rung};

#define EVENT_VA 0x5f000000ull

/* Take every event in the queue's view. */
static unsigned take_events(struct tsr_msgq_view *v)
{
    idl_msg m;
    unsigned n = 0;
    while (idl_kernel_event_take(v, &m)) {
        if (bell_v1_event_dispatch(&bell_handlers, NULL, &m) != IDL_OK)
            return 0;
        n++;
    }
    return n;
}

static bool events(void)
{
    static struct serve_env env;
    static const bell_server server = {.v1 = &bell_ops_v1};
    static idl_binding binding;
    binding = bell_binding(&server);
    bell_queue_slot = t_slot();
    tsr_cptr_t client;
    CHECK(start_server(&env, &binding, &client));
    idl_kernel_transport kt;
    idl_kernel_transport_init(&kt, client);
    idl_transport *t = &kt.transport;

    /* The client pays for its queue and maps it to read events without a
     * system call. */
    CHECK_OK(tsr_vm_ensure_tables(TSR_INIT_VSPACE, EVENT_VA, 1ull << TSR_MSG_QUEUE_MIN_BITS));
    tsr_cptr_t q = t_new(TSR_OBJ_MSG_QUEUE, TSR_MSG_QUEUE_MIN_BITS);
    CHECK_OK(tsr_msgq_map(q, TSR_INIT_VSPACE, EVENT_VA));
    struct tsr_msgq_view v;
    tsr_msgq_view_init(&v, (void *)(uintptr_t)EVENT_VA);
    CHECK_EQ(bell_v1_subscribe(t, q), IDL_OK);

    rung_seen.in_order = true;
    uint32_t d = 0, l = 0, g = 0;
    CHECK_EQ(bell_v1_ring(t, 3, &d, &l, &g), IDL_OK);
    CHECK(d == 3 && l == 0 && g == 0);
    CHECK_EQ(take_events(&v), 3);
    CHECK(rung_seen.last == 3 && rung_seen.lost == 0);
    /* A client that does not read: the server fills the queue, loses the
     * rest with a count and returns, never blocked. */
    uint32_t cap = tsr_msgq_capacity(TSR_MSG_QUEUE_MIN_BITS);
    d = l = g = 0;
    CHECK_EQ(bell_v1_ring(t, cap + 10, &d, &l, &g), IDL_OK);
    CHECK(d == cap && l == 10 && g == 0);
    CHECK_EQ(take_events(&v), cap);
    CHECK_EQ(rung_seen.lost, 0);
    /* The next event that gets through says how many were lost. */
    d = l = g = 0;
    CHECK_EQ(bell_v1_ring(t, 1, &d, &l, &g), IDL_OK);
    CHECK_EQ(take_events(&v), 1);
    CHECK_EQ(rung_seen.lost, 10);
    CHECK_EQ(rung_seen.last, 3 + cap + 10 + 1);
    CHECK(rung_seen.in_order);
    /* The subscriber takes its capability back (revoking it deletes the
     * server's copy): the sink fails for good, the server goes on. */
    CHECK_OK(tsr_cnode_revoke(ROOT, q, D));
    d = l = g = 0;
    CHECK_EQ(bell_v1_ring(t, 2, &d, &l, &g), IDL_OK);
    CHECK(d == 0 && l == 0 && g == 2);
    CHECK_OK(tsr_msgq_unmap(q));
    return true;
}

/* ---- IDL0005: unions and optional values ------------------------------------- */

static idl_status_t a_echo(void *self, const idl_caller *c, const spot_t *s, const char *hint,
                           char note[9], spot_t *twin)
{
    (void)self, (void)c;
    static const char *const names[] = {"?", "id", "name", "at"};
    const char *n = hint ? hint : s->tag <= SPOT_AT ? names[s->tag] : "unknown";
    for (unsigned i = 0; (note[i] = n[i]) != '\0'; i++)
        ;
    *twin = *s;
    return IDL_OK;
}

static idl_status_t a_stamp(void *self, const idl_caller *c, const pass_t *p, pass_t *p2,
                            uint32_t *fields);
static const atlas_v1_ops atlas_ops_v1 = {a_echo, a_stamp};

static bool unions(void)
{
    static struct serve_env env;
    static const atlas_server server = {.v1 = &atlas_ops_v1};
    static idl_binding binding;
    binding = atlas_binding(&server);
    tsr_cptr_t client;
    CHECK(start_server(&env, &binding, &client));
    idl_kernel_transport kt;
    idl_kernel_transport_init(&kt, client);
    idl_transport *t = &kt.transport;

    spot_t s = {.tag = SPOT_ID, .u.id = 0x1122334455667788ull}, twin;
    char note[9];
    CHECK_EQ(atlas_v1_echo(t, &s, NULL, note, &twin), IDL_OK);
    CHECK(twin.tag == SPOT_ID && twin.u.id == s.u.id && note[0] == 'i' && note[2] == '\0');
    s = (spot_t){.tag = SPOT_NAME};
    const char *name = "twenty-four characters!!";
    for (unsigned i = 0; (s.u.name[i] = name[i]) != '\0'; i++)
        ;
    CHECK_EQ(atlas_v1_echo(t, &s, NULL, note, &twin), IDL_OK);
    CHECK_EQ(twin.tag, SPOT_NAME);
    for (unsigned i = 0; i < 25; i++)
        CHECK_EQ(twin.u.name[i], s.u.name[i]);
    s = (spot_t){.tag = SPOT_AT, .u.at = {-5, 300}};
    CHECK_EQ(atlas_v1_echo(t, &s, NULL, note, &twin), IDL_OK);
    CHECK(twin.tag == SPOT_AT && twin.u.at.x == -5 && twin.u.at.y == 300);
    CHECK(note[0] == 'a' && note[1] == 't' && note[2] == '\0');
    /* An optional parameter given: the op sees it; absent (above): NULL. */
    CHECK_EQ(atlas_v1_echo(t, &s, "hinted", note, &twin), IDL_OK);
    CHECK(note[0] == 'h' && note[5] == 'd' && note[6] == '\0');
    /* A tag this code lacks is not sent. */
    s.tag = 9;
    CHECK_EQ(atlas_v1_echo(t, &s, NULL, note, &twin), IDL_E_ENCODE);
    return true;
}

/* ---- IDL0006: tables -------------------------------------------------------------- */

static idl_status_t a_stamp(void *self, const idl_caller *c, const pass_t *p, pass_t *p2,
                            uint32_t *fields)
{
    (void)self, (void)c;
    *p2 = *p;
    *fields = (uint32_t)(p->has_holder | p->has_level << 1 | p->has_expires << 2);
    if (p2->has_level)
        p2->level++;
    return IDL_OK;
}

static bool tables(void)
{
    static struct serve_env env;
    static const atlas_server server = {.v1 = &atlas_ops_v1};
    static idl_binding binding;
    binding = atlas_binding(&server);
    tsr_cptr_t client;
    CHECK(start_server(&env, &binding, &client));
    idl_kernel_transport kt;
    idl_kernel_transport_init(&kt, client);
    idl_transport *t = &kt.transport;

    pass_t p = {.has_level = true, .level = 4, .has_expires = true, .expires = 1ull << 40}, p2;
    uint32_t fields = 0;
    CHECK_EQ(atlas_v1_stamp(t, &p, &p2, &fields), IDL_OK);
    CHECK_EQ(fields, 6);
    CHECK(!p2.has_holder && p2.holder[0] == '\0');
    CHECK(p2.has_level && p2.level == 5 && p2.has_expires && p2.expires == 1ull << 40);
    p = (pass_t){.has_holder = true, .holder = "visitor"};
    CHECK_EQ(atlas_v1_stamp(t, &p, &p2, &fields), IDL_OK);
    CHECK(fields == 1 && p2.has_holder && p2.holder[6] == 'r' && !p2.has_level);
    p = (pass_t){0};
    CHECK_EQ(atlas_v1_stamp(t, &p, &p2, &fields), IDL_OK);
    CHECK_EQ(fields, 0);
    return true;
}

const struct test idl_feature_tests[] = {
    {"IDL0002", "typed capabilities over kernel IPC: kinds, rights kept, refusals", typed_caps},
    {"IDL0003", "deferred replies over kernel IPC: answered later, by an interrupt, callers "
                "gone, busy, dropped", deferred_replies},
    {"IDL0004", "events over a message queue: delivered, lost with a count, a gone subscriber",
     events},
    {"IDL0005", "unions and optional values over kernel IPC", unions},
    {"IDL0006", "tables over kernel IPC: any subset of fields", tables},
    {0, 0, 0},
};
