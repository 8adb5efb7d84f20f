/* SPDX-License-Identifier: MIT */
/* Compile-and-run test: typed capabilities (caps.idl) through the loopback
 * transport, with a table of capabilities standing in for the kernel's
 * report (cap_info). The generated code checks kind and rights on receipt,
 * before the op runs (IDL_E_BAD_CAP) and in replies (IDL_E_BAD_REPLY), and
 * sends each capability with only the rights its type names. */
#include <idl/loopback.h>

#include "caps.h"
#include "testutil.h"

/* ---- the "kernel": what each capability is -------------------------------- */

enum {
    FRAME_ALL = 100, /* a 4 KiB frame, every right */
    FRAME_BIG_R,     /* a 2 MiB frame, read only */
    FRAME_W,         /* a 4 KiB frame, write only */
    EP_ALL,          /* an endpoint, every right */
    NTFN_R,          /* a notification, read only */
    NTFN_W,          /* a notification, write only */
    QUEUE_W,         /* a message queue, write */
    TCB_ALL,
    EP_R,            /* an endpoint, read only */
    UNKNOWN_R,       /* rights but no type (no kernel says this) */
    UNKNOWN = 999    /* nothing the kernel knows (info 0) */
};

static uint64_t cap_info(void *ctx, idl_cap_t cap)
{
    (void)ctx;
    switch (cap) {
    case FRAME_ALL: return TSR_CAP_INFO(TSR_OBJ_FRAME_4K, TSR_RIGHTS_ALL);
    case FRAME_BIG_R: return TSR_CAP_INFO(TSR_OBJ_FRAME_2M, TSR_RIGHT_READ);
    case FRAME_W: return TSR_CAP_INFO(TSR_OBJ_FRAME_4K, TSR_RIGHT_WRITE);
    case EP_ALL: return TSR_CAP_INFO(TSR_OBJ_ENDPOINT, TSR_RIGHTS_ALL);
    case NTFN_R: return TSR_CAP_INFO(TSR_OBJ_NOTIFICATION, TSR_RIGHT_READ);
    case NTFN_W: return TSR_CAP_INFO(TSR_OBJ_NOTIFICATION, TSR_RIGHT_WRITE);
    case QUEUE_W: return TSR_CAP_INFO(TSR_OBJ_MSG_QUEUE, TSR_RIGHT_WRITE);
    case TCB_ALL: return TSR_CAP_INFO(TSR_OBJ_TCB, TSR_RIGHTS_ALL);
    case EP_R: return TSR_CAP_INFO(TSR_OBJ_ENDPOINT, TSR_RIGHT_READ);
    case UNKNOWN_R: return TSR_CAP_INFO(0, TSR_RIGHT_READ);
    default: return 0;
    }
}

/* ---- the server ------------------------------------------------------------- */

typedef struct state {
    unsigned calls;   /* ops that ran */
    idl_cap_t got[2]; /* what the last op received */
} state;

static idl_status_t s_give_frame(void *self, const idl_caller *c, idl_cap_t f)
{
    state *st = self;
    (void)c;
    st->calls++;
    st->got[0] = f;
    return IDL_OK;
}

static idl_status_t s_give_any(void *self, const idl_caller *c, idl_cap_t x)
{
    return s_give_frame(self, c, x);
}

static idl_status_t s_give_pair(void *self, const idl_caller *c, idl_cap_t e, idl_cap_t n,
                                uint32_t x, uint32_t *y)
{
    state *st = self;
    (void)c;
    st->calls++;
    st->got[0] = e, st->got[1] = n;
    *y = x + 1;
    return IDL_OK;
}

static idl_status_t s_give_client(void *self, const idl_caller *c, idl_cap_t p)
{
    return s_give_frame(self, c, p);
}

static idl_status_t s_take(void *self, const idl_caller *c, uint64_t which, idl_cap_t *out)
{
    state *st = self;
    (void)c;
    st->calls++;
    *out = which;
    return IDL_OK;
}

static idl_status_t s_drop_queue(void *self, const idl_caller *c, idl_cap_t q)
{
    return s_give_frame(self, c, q);
}

static const keeper_v1_ops ops = {s_give_frame, s_give_any,  s_give_pair,  s_give_client,
                                  s_take,       s_take,      s_drop_queue};

/* ---- the tests ------------------------------------------------------------------ */

/* What the server's message said of capability i, as delivered. */
static uint64_t delivered(const idl_loopback *lb, unsigned i)
{
    return lb->server_msg.cap_info[i];
}

static void test_requests(idl_loopback *lb, state *st)
{
    idl_transport *t = &lb->transport;
    /* cap<frame, read>: any frame with READ, sent with READ only. */
    CHECK_EQ(keeper_v1_give_frame(t, FRAME_ALL), IDL_OK);
    CHECK_EQ(st->got[0], FRAME_ALL);
    CHECK_EQ(delivered(lb, 0), TSR_CAP_INFO(TSR_OBJ_FRAME_4K, TSR_RIGHT_READ));
    CHECK_EQ(keeper_v1_give_frame(t, FRAME_BIG_R), IDL_OK);
    CHECK_EQ(delivered(lb, 0), TSR_CAP_INFO(TSR_OBJ_FRAME_2M, TSR_RIGHT_READ));
    /* No READ, not a frame, nothing known: refused before the op runs. */
    unsigned before = st->calls;
    CHECK_EQ(keeper_v1_give_frame(t, FRAME_W), IDL_E_BAD_CAP);
    CHECK_EQ(keeper_v1_give_frame(t, EP_ALL), IDL_E_BAD_CAP);
    CHECK_EQ(keeper_v1_give_frame(t, UNKNOWN), IDL_E_BAD_CAP);
    CHECK_EQ(st->calls, before);
    /* A plain cap: anything, sent with all it has. */
    CHECK_EQ(keeper_v1_give_any(t, UNKNOWN), IDL_OK);
    CHECK_EQ(keeper_v1_give_any(t, TCB_ALL), IDL_OK);
    CHECK_EQ(delivered(lb, 0), TSR_CAP_INFO(TSR_OBJ_TCB, TSR_RIGHTS_ALL));
    /* Two capabilities: each checked, words still decoded. */
    uint32_t y = 0;
    CHECK_EQ(keeper_v1_give_pair(t, EP_ALL, NTFN_W, 41, &y), IDL_OK);
    CHECK_EQ(y, 42);
    CHECK(st->got[0] == EP_ALL && st->got[1] == NTFN_W);
    CHECK_EQ(delivered(lb, 0), TSR_CAP_INFO(TSR_OBJ_ENDPOINT, TSR_RIGHTS_ALL));
    CHECK_EQ(delivered(lb, 1), TSR_CAP_INFO(TSR_OBJ_NOTIFICATION, TSR_RIGHT_WRITE));
    before = st->calls;
    CHECK_EQ(keeper_v1_give_pair(t, EP_ALL, NTFN_R, 1, &y), IDL_E_BAD_CAP);
    CHECK_EQ(keeper_v1_give_pair(t, NTFN_W, NTFN_W, 1, &y), IDL_E_BAD_CAP);
    CHECK_EQ(st->calls, before);
    /* client<peer, 2..>: an endpoint the receiver may call, never READ. */
    CHECK_EQ(keeper_v1_give_client(t, EP_ALL), IDL_OK);
    CHECK_EQ(delivered(lb, 0), TSR_CAP_INFO(TSR_OBJ_ENDPOINT, TSR_RIGHT_WRITE | TSR_RIGHT_GRANT |
                                                                  TSR_RIGHT_GRANT_REPLY));
    CHECK_EQ(keeper_v1_give_client(t, EP_R), IDL_E_BAD_CAP);
    CHECK_EQ(keeper_v1_give_client(t, NTFN_W), IDL_E_BAD_CAP);
    /* One-way: a wrong capability is dropped unanswered, the op never runs. */
    before = st->calls;
    unsigned dropped = lb->dropped;
    CHECK_EQ(keeper_v1_drop_queue(t, QUEUE_W), IDL_OK);
    CHECK_EQ(st->calls, before + 1);
    CHECK_EQ(keeper_v1_drop_queue(t, NTFN_W), IDL_OK);
    CHECK_EQ(st->calls, before + 1);
    CHECK_EQ(lb->dropped, dropped + 2); /* one-way requests are never answered */
}

static void test_replies(idl_loopback *lb)
{
    idl_transport *t = &lb->transport;
    idl_cap_t f = 0;
    /* cap<frame, read, write> in a reply: the server keeps it to those. */
    CHECK_EQ(keeper_v1_take_frame(t, FRAME_ALL, &f), IDL_OK);
    CHECK_EQ(f, FRAME_ALL);
    CHECK_EQ(lb->server_msg.cap_info[0], IDL_CAP_SEND(TSR_RIGHT_READ | TSR_RIGHT_WRITE));
    /* A reply capability that is not what was promised: the stub refuses. */
    CHECK_EQ(keeper_v1_take_frame(t, FRAME_BIG_R, &f), IDL_E_BAD_REPLY);
    CHECK_EQ(keeper_v1_take_frame(t, EP_ALL, &f), IDL_E_BAD_REPLY);
    idl_cap_t c = 0;
    CHECK_EQ(keeper_v1_take_readable(t, NTFN_R, &c), IDL_OK);
    CHECK_EQ(c, NTFN_R);
    CHECK_EQ(keeper_v1_take_readable(t, NTFN_W, &c), IDL_E_BAD_REPLY);
    CHECK_EQ(keeper_v1_take_readable(t, UNKNOWN, &c), IDL_E_BAD_REPLY);
    CHECK_EQ(keeper_v1_take_readable(t, UNKNOWN_R, &c), IDL_E_BAD_REPLY); /* type 0: no kind */
}

/* A server may answer IDL_E_BAD_CAP; the stub passes it on. A code in the
 * protocol range that no server sends is still a bad reply. */
static void test_status_range(void)
{
    idl_msg m = {.label = IDL_E_BAD_CAP};
    CHECK_EQ(idl_call_failed(TSR_OK, &m), IDL_E_BAD_CAP);
    m.label = IDL_E_STALE_TOKEN;
    CHECK_EQ(idl_call_failed(TSR_OK, &m), IDL_E_BAD_REPLY);
    m.label = IDL_E_NO_COMPATIBLE_VERSION;
    CHECK_EQ(idl_call_failed(TSR_OK, &m), IDL_E_BAD_REPLY);
}

int main(void)
{
    state st = {0};
    keeper_server server = {.self = &st, .v1 = &ops};
    idl_binding b = keeper_binding(&server);
    idl_loopback lb;
    idl_loopback_init(&lb, &b, 1, 7, NULL, 0);
    idl_loopback_set_cap_info(&lb, cap_info, NULL);
    test_requests(&lb, &st);
    test_replies(&lb);
    test_status_range();
    return t_finish();
}
