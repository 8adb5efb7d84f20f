/* SPDX-License-Identifier: MIT */
/* Compile-and-run test: libraries (net.idl, disk.idl, libs.idl) through
 * loopback. Two libraries both declare `status` and an interface `probe`;
 * their C names carry the library's prefix, so one program serves and
 * calls all of them. */
#include <string.h>

#include <idl/loopback.h>

#include "libs.h"
#include "testutil.h"

static idl_status_t n_ping(void *self, const idl_caller *c, const net_addr_t *a, uint8_t hops,
                           net_status_t *s, char path[31])
{
    (void)self, (void)c;
    if (hops > NET_MAX_HOPS)
        return NET_STATUS_DOWN; /* the interface's error enum, from its library */
    *s = a->port ? NET_STATUS_OK : NET_STATUS_DOWN;
    strcpy(path, "a.b.c");
    return IDL_OK;
}

static idl_status_t d_check(void *self, const idl_caller *c, uint32_t blocks, disk_status_t *s)
{
    (void)self, (void)c;
    *s = blocks > 100 ? DISK_STATUS_FULL : DISK_STATUS_OK;
    return IDL_OK;
}

static idl_status_t m_submit(void *self, const idl_caller *c, const report_t *r, uint8_t *worst)
{
    (void)self, (void)c;
    if (strlen(r->trace) == 0)
        return NET_STATUS_DOWN;
    *worst = r->n > r->d ? r->n : r->d;
    return IDL_OK;
}

static idl_status_t m_watch(void *self, const idl_caller *c, idl_cap_t p, idl_cap_t q)
{
    (void)self, (void)c, (void)p, (void)q;
    return IDL_OK;
}

static const net_probe_v1_ops net_ops = {n_ping};
static const disk_probe_v1_ops disk_ops = {d_check};
static const monitor_v1_ops mon_ops = {m_submit, m_watch};

static uint64_t cap_info(void *ctx, idl_cap_t cap)
{
    (void)ctx, (void)cap;
    return TSR_CAP_INFO(TSR_OBJ_ENDPOINT, TSR_RIGHTS_ALL);
}

int main(void)
{
    net_probe_server ns = {.v1 = &net_ops};
    disk_probe_server ds = {.v1 = &disk_ops};
    monitor_server ms = {.v1 = &mon_ops};
    idl_binding b[3] = {net_probe_binding(&ns), disk_probe_binding(&ds), monitor_binding(&ms)};
    idl_loopback lb;
    idl_loopback_init(&lb, b, 3, 1, NULL, 0);
    idl_loopback_set_cap_info(&lb, cap_info, NULL);
    idl_transport *t = &lb.transport;

    net_addr_t a = {0x0a000001, 80};
    net_status_t ns_st = 0;
    char path[31];
    CHECK_EQ(net_probe_v1_ping(t, &a, 3, &ns_st, path), IDL_OK);
    CHECK(ns_st == NET_STATUS_OK && strcmp(path, "a.b.c") == 0);
    CHECK_EQ(net_probe_v1_ping(t, &a, 31, &ns_st, path), NET_STATUS_DOWN);
    disk_status_t ds_st = 0;
    CHECK_EQ(disk_probe_v1_check(t, 500, &ds_st), IDL_OK);
    CHECK_EQ(ds_st, DISK_STATUS_FULL);
    /* The two `status` enums are distinct types with their own values. */
    CHECK(NET_STATUS_DOWN == 2 && DISK_STATUS_FULL == 2 && sizeof(net_status_t) == 1);
    CHECK(net_status_valid(2) && disk_status_valid(2) && !disk_status_valid(3));
    report_t r = {.n = NET_STATUS_DOWN, .d = DISK_STATUS_OK, .where = a, .trace = "x"};
    uint8_t worst = 0;
    CHECK_EQ(monitor_v1_submit(t, &r, &worst), IDL_OK);
    CHECK_EQ(worst, 2);
    r.trace[0] = '\0';
    CHECK_EQ(monitor_v1_submit(t, &r, &worst), NET_STATUS_DOWN);
    r.d = 3; /* not a disk.status */
    r.trace[0] = 'y';
    CHECK_EQ(monitor_v1_submit(t, &r, &worst), IDL_E_BAD_VALUE);
    CHECK_EQ(monitor_v1_watch(t, 5, 6), IDL_OK);
    return t_finish();
}
