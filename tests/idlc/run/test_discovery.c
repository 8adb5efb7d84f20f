/* SPDX-License-Identifier: MIT */
/* Compile-and-run test of interface discovery (docs/wire-format.md,
 * "Discovery"): idl_server_dispatch answers the standard query from the
 * versions generated bindings list, clients negotiate the highest common
 * version in both directions of mismatch, and malformed queries and
 * replies are refused. */
#include <string.h>

#include <idl/loopback.h>

#include "testutil.h"
#include "versions.h"

static idl_status_t kv_get(void *self, const idl_caller *c, uint32_t key, uint64_t *value)
{
    (void)self, (void)c;
    *value = key;
    return IDL_OK;
}
static idl_status_t kv_put(void *self, const idl_caller *c, uint32_t key, uint64_t value)
{
    (void)self, (void)c, (void)key, (void)value;
    return IDL_OK;
}
static idl_status_t other_ping(void *self, const idl_caller *c)
{
    (void)self, (void)c;
    return IDL_OK;
}
static const kv_v1_ops v1_ops = {kv_get, kv_put};
static const kv_v2_ops v2_ops = {kv_get, kv_put, NULL, NULL};
static const other_v1_ops other_ops = {other_ping};

static const idl_guid kv_guid = {KV_GUID_HI, KV_GUID_LO};

int main(void)
{
    kv_server both = {NULL, &v1_ops, &v2_ops}, only1 = {NULL, &v1_ops, NULL},
              only2 = {NULL, NULL, &v2_ops};
    other_server os = {NULL, &other_ops};
    idl_binding b_both[2] = {kv_binding(&both), other_binding(&os)};
    idl_binding b_only1 = kv_binding(&only1), b_only2 = kv_binding(&only2);
    idl_binding b_other = other_binding(&os);
    idl_loopback lb_both, lb_only1, lb_only2, lb_other;
    idl_loopback_init(&lb_both, b_both, 2, 1, NULL, 0);
    idl_loopback_init(&lb_only1, &b_only1, 1, 1, NULL, 0);
    idl_loopback_init(&lb_only2, &b_only2, 1, 1, NULL, 0);
    idl_loopback_init(&lb_other, &b_other, 1, 1, NULL, 0);

    /* DISC0001: the binding lists the served versions, highest first. */
    CHECK_EQ(b_both[0].nversions, 2);
    CHECK_EQ(b_both[0].versions[0], 2);
    CHECK_EQ(b_both[0].versions[1], 1);
    CHECK_EQ(b_only1.nversions, 1);
    CHECK_EQ(b_only1.versions[0], 1);

    /* DISC0002: the query lists every (GUID, version) of every binding. */
    idl_offer offers[8];
    size_t n = 0;
    CHECK_EQ(idl_discover(&lb_both.transport, offers, 8, &n), IDL_OK);
    CHECK_EQ(n, 3);
    CHECK(offers[0].guid.hi == KV_GUID_HI && offers[0].guid.lo == KV_GUID_LO &&
          offers[0].version == 2);
    CHECK(offers[1].guid.hi == KV_GUID_HI && offers[1].version == 1);
    CHECK(offers[2].guid.hi == OTHER_GUID_HI && offers[2].guid.lo == OTHER_GUID_LO &&
          offers[2].version == 1);
    /* A smaller buffer gets the first ones. */
    CHECK_EQ(idl_discover(&lb_both.transport, offers, 1, &n), IDL_OK);
    CHECK_EQ(n, 1);

    /* DISC0003: negotiation picks the highest version both know. */
    uint16_t v = 0;
    CHECK_EQ(kv_negotiate(&lb_both.transport, &v), IDL_OK); /* knows 2, 1; serves 2, 1 */
    CHECK_EQ(v, 2);
    CHECK_EQ(kv_negotiate(&lb_only1.transport, &v), IDL_OK); /* newer client, older server */
    CHECK_EQ(v, 1);
    static const uint16_t old_client[] = {1};
    CHECK_EQ(idl_negotiate(&lb_both.transport, kv_guid, old_client, 1, &v), IDL_OK);
    CHECK_EQ(v, 1); /* older client, newer server */
    v = 77;
    CHECK_EQ(idl_negotiate(&lb_only2.transport, kv_guid, old_client, 1, &v),
             IDL_E_NO_COMPATIBLE_VERSION); /* older client, server dropped v1 */
    CHECK_EQ(v, 77);
    static const uint16_t future[] = {9, 3};
    CHECK_EQ(idl_negotiate(&lb_both.transport, kv_guid, future, 2, &v),
             IDL_E_NO_COMPATIBLE_VERSION);
    CHECK_EQ(kv_negotiate(&lb_other.transport, &v), IDL_E_UNKNOWN_INTERFACE);
    /* The negotiated version works; the one not served does not. */
    uint64_t value = 0;
    CHECK_EQ(kv_negotiate(&lb_only2.transport, &v), IDL_OK);
    CHECK_EQ(v, 2);
    CHECK_EQ(kv_v2_get(&lb_only2.transport, 5, &value), IDL_OK);
    CHECK_EQ(value, 5);
    CHECK_EQ(kv_v1_get(&lb_only2.transport, 5, &value), IDL_E_UNKNOWN_VERSION);

    /* DISC0004: malformed queries get the dispatcher's errors. */
    idl_msg m;
    memset(&m, 0, sizeof(m));
    m.label = IDL_LABEL(IDL_DISCOVERY_VERSION, IDL_DISCOVERY_LIST, 0);
    m.words[0] = IDL_DISCOVERY_GUID_HI;
    m.words[1] = IDL_DISCOVERY_GUID_LO;
    m.nwords = 2; /* no `first` */
    CHECK_EQ(idl_call(&lb_both.transport, &m), IDL_E_MALFORMED);
    m.label = IDL_LABEL(2, IDL_DISCOVERY_LIST, 0);
    m.nwords = 3;
    m.words[0] = IDL_DISCOVERY_GUID_HI;
    m.words[1] = IDL_DISCOVERY_GUID_LO;
    CHECK_EQ(idl_call(&lb_both.transport, &m), IDL_E_UNKNOWN_VERSION);
    m.label = IDL_LABEL(1, 2, 0);
    m.nwords = 3;
    m.words[0] = IDL_DISCOVERY_GUID_HI;
    m.words[1] = IDL_DISCOVERY_GUID_LO;
    CHECK_EQ(idl_call(&lb_both.transport, &m), IDL_E_UNKNOWN_METHOD);
    /* From past the end: the total, no offers. */
    m.label = IDL_LABEL(1, 1, 0);
    m.nwords = 3;
    m.words[0] = IDL_DISCOVERY_GUID_HI;
    m.words[1] = IDL_DISCOVERY_GUID_LO;
    m.words[2] = 10;
    CHECK_EQ(idl_call(&lb_both.transport, &m), IDL_OK);
    CHECK_EQ(m.nwords, 2);
    CHECK_EQ(m.words[0], 3);
    CHECK_EQ(m.words[1], 0);

    /* DISC0005: a server with no bindings offers nothing. */
    idl_loopback lb_none;
    idl_loopback_init(&lb_none, NULL, 0, 1, NULL, 0);
    CHECK_EQ(idl_discover(&lb_none.transport, offers, 8, &n), IDL_OK);
    CHECK_EQ(n, 0);
    CHECK_EQ(kv_negotiate(&lb_none.transport, &v), IDL_E_UNKNOWN_INTERFACE);
    return t_finish();
}
