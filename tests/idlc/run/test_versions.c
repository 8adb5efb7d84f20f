/* SPDX-License-Identifier: MIT */
/* Compile-and-run test: one server serving versions 1 and 2 of kv; v1 and
 * v2 clients; a server serving only v2; two interfaces behind one
 * idl_server_dispatch; unknown GUIDs, versions and ordinals get the
 * documented error replies. */
#include <string.h>

#include <idl/loopback.h>

#include "testutil.h"
#include "versions.h"

typedef struct store {
    uint64_t v[16];
    bool used[16];
    unsigned touches;
} store;

static idl_status_t kv_get(void *self, const idl_caller *c, uint32_t key, uint64_t *value)
{
    store *s = self;
    (void)c;
    if (key >= 16 || !s->used[key])
        return 1; /* interface error: not found */
    *value = s->v[key];
    return IDL_OK;
}

static idl_status_t kv_put(void *self, const idl_caller *c, uint32_t key, uint64_t value)
{
    store *s = self;
    (void)c;
    if (key >= 16)
        return 2;
    s->v[key] = value;
    s->used[key] = true;
    return IDL_OK;
}

static idl_status_t kv_remove(void *self, const idl_caller *c, uint32_t key, bool *existed)
{
    store *s = self;
    (void)c;
    *existed = key < 16 && s->used[key];
    if (key < 16)
        s->used[key] = false;
    return IDL_OK;
}

static idl_status_t kv_touch(void *self, const idl_caller *c, uint32_t key)
{
    store *s = self;
    (void)c, (void)key;
    s->touches++;
    return IDL_OK;
}

/* The same functions serve both versions: the compatibility rules keep
 * v1's signatures in v2. */
static const kv_v1_ops v1_ops = {kv_get, kv_put};
static const kv_v2_ops v2_ops = {kv_get, kv_put, kv_remove, kv_touch};

static idl_status_t other_ping(void *self, const idl_caller *c)
{
    (void)c;
    ++*(unsigned *)self;
    return IDL_OK;
}
static const other_v1_ops other_ops = {other_ping};

static void raw(idl_msg *m, uint64_t hi, uint64_t lo, uint32_t version, uint32_t ordinal)
{
    memset(m, 0, sizeof *m);
    m->label = IDL_LABEL(version, ordinal, 0);
    m->words[0] = hi;
    m->words[1] = lo;
    m->words[2] = 3; /* key */
    m->nwords = 3;
}

int main(void)
{
    store st = {0};
    kv_server both = {&st, &v1_ops, &v2_ops};
    kv_server only2 = {&st, NULL, &v2_ops};
    idl_binding b_both = kv_binding(&both), b_only2 = kv_binding(&only2);
    idl_loopback lb, lb2;
    idl_loopback_init(&lb, &b_both, 1, 1, NULL, 0);
    idl_loopback_init(&lb2, &b_only2, 1, 1, NULL, 0);
    idl_transport *t = &lb.transport, *t2 = &lb2.transport;

    /* v1 client and v2 client against the server serving both. */
    uint64_t value = 0;
    bool existed = false;
    CHECK_EQ(kv_v1_put(t, 3, 333), IDL_OK);
    CHECK_EQ(kv_v2_get(t, 3, &value), IDL_OK);
    CHECK_EQ(value, 333);
    CHECK_EQ(kv_v1_get(t, 3, &value), IDL_OK);
    CHECK_EQ(kv_v2_remove(t, 3, &existed), IDL_OK);
    CHECK(existed);
    CHECK_EQ(kv_v1_get(t, 3, &value), 1); /* the op's own error */
    CHECK_EQ(kv_v1_put(t, 99, 1), 2);
    CHECK_EQ(kv_v2_touch(t, 5), IDL_OK);
    CHECK_EQ(st.touches, 1);

    /* A server offering only v2 refuses v1 clients. */
    CHECK_EQ(kv_v1_put(t2, 1, 1), IDL_E_UNKNOWN_VERSION);
    CHECK_EQ(kv_v2_put(t2, 1, 1), IDL_OK);

    /* Unknown GUID: a client of another interface. */
    CHECK_EQ(other_v1_ping(t), IDL_E_UNKNOWN_INTERFACE);

    idl_msg m;
    /* Unknown version number. */
    raw(&m, KV_GUID_HI, KV_GUID_LO, 3, 1);
    CHECK_EQ(idl_call(t, &m), IDL_E_UNKNOWN_VERSION);
    raw(&m, KV_GUID_HI, KV_GUID_LO, 0, 1);
    CHECK_EQ(idl_call(t, &m), IDL_E_UNKNOWN_VERSION);
    /* remove (ordinal 3) exists in v2 only. */
    raw(&m, KV_GUID_HI, KV_GUID_LO, 1, KV_V2_REMOVE_ORDINAL);
    CHECK_EQ(idl_call(t, &m), IDL_E_UNKNOWN_METHOD);
    raw(&m, KV_GUID_HI, KV_GUID_LO, 2, KV_V2_REMOVE_ORDINAL);
    CHECK_EQ(idl_call(t, &m), IDL_OK);
    raw(&m, KV_GUID_HI, KV_GUID_LO, 2, 999);
    CHECK_EQ(idl_call(t, &m), IDL_E_UNKNOWN_METHOD);
    /* GUID off by one bit in either word. */
    raw(&m, KV_GUID_HI ^ 1, KV_GUID_LO, 1, 1);
    CHECK_EQ(idl_call(t, &m), IDL_E_UNKNOWN_INTERFACE);
    raw(&m, KV_GUID_HI, KV_GUID_LO ^ (1ull << 63), 1, 1);
    CHECK_EQ(idl_call(t, &m), IDL_E_UNKNOWN_INTERFACE);
    /* Too short to carry a GUID. */
    raw(&m, KV_GUID_HI, KV_GUID_LO, 1, 1);
    m.nwords = 1;
    CHECK_EQ(idl_call(t, &m), IDL_E_MALFORMED);
    /* The generated dispatcher alone, without idl_server_dispatch's routing,
     * checks the GUID too. */
    idl_caller who = {0, NULL, 0, NULL};
    raw(&m, 5, 6, 1, 1);
    CHECK_EQ(kv_dispatch(&both, &who, &m), IDL_REPLY);
    CHECK_EQ(m.label, IDL_E_UNKNOWN_INTERFACE);
    /* Two interfaces behind one endpoint: idl_server_dispatch matches the
     * GUID and hands the request to that binding's router, which trusts the
     * match and routes on the label alone. */
    unsigned pings = 0;
    other_server os = {&pings, &other_ops};
    idl_binding two[2] = {other_binding(&os), kv_binding(&only2)};
    raw(&m, KV_GUID_HI, KV_GUID_LO, 2, KV_V2_REMOVE_ORDINAL);
    CHECK_EQ(idl_server_dispatch(two, 2, &who, &m), IDL_REPLY);
    CHECK_EQ(m.label, IDL_OK);
    raw(&m, KV_GUID_HI, KV_GUID_LO, 1, KV_V1_GET_ORDINAL); /* only2 does not serve v1 */
    CHECK_EQ(idl_server_dispatch(two, 2, &who, &m), IDL_REPLY);
    CHECK_EQ(m.label, IDL_E_UNKNOWN_VERSION);
    raw(&m, OTHER_GUID_HI, OTHER_GUID_LO, 1, OTHER_V1_PING_ORDINAL);
    m.nwords = 2;
    CHECK_EQ(idl_server_dispatch(two, 2, &who, &m), IDL_REPLY);
    CHECK_EQ(m.label, IDL_OK);
    CHECK_EQ(pings, 1);
    raw(&m, OTHER_GUID_HI, KV_GUID_LO, 1, 1); /* half of each GUID */
    CHECK_EQ(idl_server_dispatch(two, 2, &who, &m), IDL_REPLY);
    CHECK_EQ(m.label, IDL_E_UNKNOWN_INTERFACE);
    CHECK_EQ(pings, 1);
    return t_finish();
}
