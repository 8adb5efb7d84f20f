/* SPDX-License-Identifier: MIT */
/* The IDL's features for real services over kernel IPC (features.idl):
 * each test runs a server thread with idl_kernel_serve and calls it
 * through the kernel transport, with the stubs the host tests run over
 * loopback (tests/idlc/run). */
#include <idl/kernel.h>

#include "features.h"
#include "test.h"
#include "tsr/bulk.h"

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

const struct test idl_feature_tests[] = {
    {"IDL0002", "typed capabilities over kernel IPC: kinds, rights kept, refusals", typed_caps},
    {0, 0, 0},
};
