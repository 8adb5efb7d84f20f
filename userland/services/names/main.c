/* SPDX-License-Identifier: MIT */
/* The name service (docs/services.md): serves names.idl on its endpoint.
 * Each registered name's endpoint capability lives in slot
 * `base + entry index` of this program's CNode; resolving mints a copy
 * badged with the client's pid, so a server always sees who calls it. The
 * root task (badge 0) sends the rules of the system description and says
 * which programs stopped. */
#include <stdint.h>

#include "names.h"
#include "table.h"
#include "tsr/invoke.h"
#include "tsr/runtime.h"
#include "tsr/stdio.h"
#include "tsr/sys.h"

#define D TSR_ROOT_DEPTH
#define ROOT_BADGE 0

/* What clients get: call and pass capabilities both ways, never receive. */
#define CLIENT_RIGHTS (TSR_RIGHT_WRITE | TSR_RIGHT_GRANT | TSR_RIGHT_GRANT_REPLY)

static struct names_table table;
static tsr_cptr_t base;     /* first of NAMES_MAX_SERVICES slots */
static tsr_cptr_t received; /* where a registered capability arrives */
static tsr_cptr_t minted;   /* the badged copy a reply carries */

/* The copy the last reply carried has been transferred by now. */
static tsr_error_t mint_for(uint32_t pid, unsigned index)
{
    tsr_cnode_delete(TSR_PROG_CNODE, minted, D);
    return tsr_cnode_mint(TSR_PROG_CNODE, minted, D, TSR_PROG_CNODE, base + index, D,
                          CLIENT_RIGHTS, pid);
}

static idl_status_t op_register(void *self, const idl_caller *caller, const char *name,
                                idl_cap_t endpoint, uint32_t *vid)
{
    (void)self;
    /* It must take a badge: an unbadged endpoint (or notification). */
    tsr_cnode_delete(TSR_PROG_CNODE, minted, D);
    if (tsr_cnode_mint(TSR_PROG_CNODE, minted, D, TSR_PROG_CNODE, endpoint, D, CLIENT_RIGHTS, 1)) {
        tsr_cnode_delete(TSR_PROG_CNODE, endpoint, D);
        return NAMES_ERROR_BAD_CAPABILITY;
    }
    tsr_cnode_delete(TSR_PROG_CNODE, minted, D);
    unsigned index;
    uint32_t st = names_register(&table, (uint32_t)caller->badge, name, &index);
    if (st == NAMES_OK) {
        /* A dead server's slot was emptied when the root task revoked it;
         * delete anyway, in case it was not. */
        tsr_cnode_delete(TSR_PROG_CNODE, base + index, D);
        if (tsr_cnode_move(TSR_PROG_CNODE, base + index, D, TSR_PROG_CNODE, endpoint, D)) {
            names_unregister(&table, (uint32_t)caller->badge, name, &index);
            st = NAMES_ERROR_BAD_CAPABILITY;
        } else {
            *vid = table.entries[index].vid;
            printf("names: '%s' is VID %u (pid %u)\n", name, *vid, (unsigned)caller->badge);
        }
    }
    tsr_cnode_delete(TSR_PROG_CNODE, endpoint, D);
    return st;
}

static idl_status_t op_unregister(void *self, const idl_caller *caller, const char *name)
{
    (void)self;
    unsigned index;
    uint32_t st = names_unregister(&table, (uint32_t)caller->badge, name, &index);
    if (st == NAMES_OK)
        tsr_cnode_delete(TSR_PROG_CNODE, base + index, D);
    return st;
}

static idl_status_t op_resolve(void *self, const idl_caller *caller, const char *name,
                               uint32_t *vid, idl_cap_t *endpoint)
{
    (void)self;
    unsigned index;
    uint32_t st = names_resolve(&table, (uint32_t)caller->badge, name, &index);
    if (st != NAMES_OK)
        return st;
    if (mint_for((uint32_t)caller->badge, index))
        return NAMES_ERROR_SERVER_DEAD; /* its capability is gone: revoked */
    *vid = table.entries[index].vid;
    *endpoint = minted;
    return IDL_OK;
}

static idl_status_t op_connect(void *self, const idl_caller *caller, uint32_t vid,
                               idl_cap_t *endpoint)
{
    (void)self;
    unsigned index;
    uint32_t st = names_connect(&table, (uint32_t)caller->badge, vid, &index);
    if (st != NAMES_OK)
        return st;
    if (mint_for((uint32_t)caller->badge, index))
        return NAMES_ERROR_SERVER_DEAD;
    *endpoint = minted;
    return IDL_OK;
}

static idl_status_t op_list(void *self, const idl_caller *caller, uint32_t first,
                            service_info_t services[8], uint32_t *count, uint32_t *next)
{
    (void)self, (void)caller;
    const struct names_entry *found[8];
    *count = names_list(&table, first, found, 8, next);
    for (uint32_t i = 0; i < *count; i++) {
        services[i].vid = found[i]->vid;
        services[i].pid = found[i]->pid;
        services[i].alive = found[i]->alive;
        for (unsigned k = 0; k <= NAMES_NAME_MAX; k++)
            services[i].name[k] = found[i]->name[k];
    }
    return IDL_OK;
}

static idl_status_t op_allow(void *self, const idl_caller *caller, uint32_t pid,
                             const char *name, bool serve)
{
    (void)self;
    if (caller->badge != ROOT_BADGE)
        return NAMES_ERROR_NOT_ALLOWED;
    return names_allow(&table, pid, name, serve);
}

static idl_status_t op_stopped(void *self, const idl_caller *caller, uint32_t pid)
{
    (void)self;
    if (caller->badge != ROOT_BADGE)
        return NAMES_ERROR_NOT_ALLOWED;
    names_stopped(&table, pid);
    return IDL_OK;
}

int main(void)
{
    names_table_init(&table);
    base = tsr_alloc_slots(NAMES_MAX_SERVICES);
    received = tsr_alloc_slot();
    minted = tsr_alloc_slot();
    if (!base || !received || !minted) {
        printf("names: not enough slots\n");
        return 1;
    }
    /* Itself, under its well-known VID. */
    unsigned index;
    names_allow(&table, tsr_program()->pid, "names", true);
    names_register(&table, tsr_program()->pid, "names", &index);
    tsr_cnode_copy(TSR_PROG_CNODE, base + index, D, TSR_PROG_CNODE, TSR_PROG_ENDPOINT, D,
                   TSR_RIGHTS_ALL);
    static const names_v1_ops ops = {
        .register_name = op_register, .unregister_name = op_unregister, .resolve = op_resolve,
        .connect = op_connect, .list = op_list, .allow = op_allow, .stopped = op_stopped};
    static const names_server server = {.self = 0, .v1 = &ops};
    idl_binding binding = names_binding(&server);
    idl_kernel_cap_slots slots = {TSR_PROG_CNODE, received, D, 1};
    printf("names: ready\n");
    tsr_error_t err = idl_kernel_serve_intercept(TSR_PROG_ENDPOINT, TSR_PROG_REPLY, &binding, 1,
                                                 &slots, NULL, NULL);
    printf("names: receive failed (error %d)\n", err);
    return 1;
}
