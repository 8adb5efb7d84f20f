/* SPDX-License-Identifier: MIT */
/* Unit tests of untyped retype (CAP04xx): object sizes, every error code,
 * alignment, the watermark and its reset, device memory, nesting. Default
 * world as in test_unit.c (untyped 0 and 1: 16 KiB, untyped 2: 16 KiB of
 * device memory filled with 0xA5; normal memory starts filled with 0x5A). */
#include <string.h>

#include "test.h"

TEST(CAP0401, "object_size_bits: fixed sizes, CNode radix and untyped bounds")
{
    CHECK_EQ(object_size_bits(TSR_OBJ_TCB, 99), TSR_TCB_BITS);
    CHECK_EQ(object_size_bits(TSR_OBJ_ENDPOINT, 0), TSR_ENDPOINT_BITS);
    CHECK_EQ(object_size_bits(TSR_OBJ_NOTIFICATION, 7), TSR_NOTIFICATION_BITS);
    CHECK_EQ(object_size_bits(TSR_OBJ_REPLY, 0), TSR_REPLY_BITS);
    CHECK_EQ(object_size_bits(TSR_OBJ_FRAME_4K, 0), 12);
    CHECK_EQ(object_size_bits(TSR_OBJ_FRAME_2M, 0), 21);
    CHECK_EQ(object_size_bits(TSR_OBJ_PAGE_TABLE, 0), 12);
    CHECK_EQ(object_size_bits(TSR_OBJ_VSPACE, 0), 12);
    CHECK_EQ(object_size_bits(TSR_OBJ_CNODE, 0), 0);
    CHECK_EQ(object_size_bits(TSR_OBJ_CNODE, 1), 1 + TSR_SLOT_BITS);
    CHECK_EQ(object_size_bits(TSR_OBJ_CNODE, TSR_CNODE_MAX_RADIX),
             TSR_CNODE_MAX_RADIX + TSR_SLOT_BITS);
    CHECK_EQ(object_size_bits(TSR_OBJ_CNODE, TSR_CNODE_MAX_RADIX + 1), 0);
    CHECK_EQ(object_size_bits(TSR_OBJ_UNTYPED, 3), 0);
    CHECK_EQ(object_size_bits(TSR_OBJ_UNTYPED, 4), 4);
    CHECK_EQ(object_size_bits(TSR_OBJ_UNTYPED, 47), 47);
    CHECK_EQ(object_size_bits(TSR_OBJ_UNTYPED, 48), 0);
    CHECK_EQ(object_size_bits((tsr_object_type_t)0, 12), 0);
    CHECK_EQ(object_size_bits(TSR_OBJ_TYPE_COUNT, 12), 0);
}

TEST(CAP0402, "retype makes each type: capability fields, hook call, zeroed memory")
{
    static const struct {
        tsr_object_type_t t;
        unsigned sb;
        uint8_t ctype, csize;
        unsigned obits;
    } k[] = {
        {TSR_OBJ_UNTYPED, 9, CAP_UNTYPED, 9, 9},   {TSR_OBJ_CNODE, 3, CAP_CNODE, 3, 9},
        {TSR_OBJ_TCB, 0, CAP_TCB, 0, TSR_TCB_BITS},
        {TSR_OBJ_ENDPOINT, 0, CAP_ENDPOINT, 0, TSR_ENDPOINT_BITS},
        {TSR_OBJ_NOTIFICATION, 0, CAP_NOTIFICATION, 0, TSR_NOTIFICATION_BITS},
        {TSR_OBJ_REPLY, 0, CAP_REPLY, 0, TSR_REPLY_BITS},       {TSR_OBJ_FRAME_4K, 0, CAP_FRAME, 12, 12},
        {TSR_OBJ_PAGE_TABLE, 0, CAP_PAGE_TABLE, 0, 12},
        {TSR_OBJ_VSPACE, 0, CAP_VSPACE, 0, 12},
    };
    for (unsigned i = 0; i < sizeof k / sizeof k[0]; i++) {
        struct world *w = new_world();
        CHECK_EQ(retype_into(w, 0, k[i].t, k[i].sb, 5), TSR_OK);
        const struct cap *c = &w->root[5].cap;
        CHECK_EQ(c->type, k[i].ctype);
        CHECK_EQ(c->size_bits, k[i].csize);
        CHECK_EQ(c->rights, TSR_RIGHTS_ALL);
        CHECK_EQ(c->flags, 0);
        CHECK_EQ(c->w0, 0);
        CHECK_EQ(c->w1, 0);
        CHECK_EQ(c->object, (paddr_t)(uintptr_t)w->ut_mem[0]);
        CHECK(w->root[5].mdb.revocable);
        CHECK(w->root[0].mdb.next == &w->root[5]);
        CHECK_EQ(mock.init_calls, 1);
        CHECK_EQ(mock.last_init_type, k[i].ctype);
        CHECK_EQ(mock.last_init_pa, c->object);
        CHECK_EQ(mock.last_init_bits, k[i].obits);
        CHECK(!mock.last_init_device);
        CHECK_EQ(w->root[0].cap.w0, 1u << k[i].obits);
        const uint8_t *mem = w->ut_mem[0];
        if (k[i].t != TSR_OBJ_UNTYPED)
            CHECK(mem[0] == 0 && mem[(1u << k[i].obits) - 1] == 0);
        CHECK_WORLD(w);
    }
}

TEST(CAP0403, "objects are aligned to their size; the watermark is aligned up per object")
{
    struct world *w = new_world();
    paddr_t base = (paddr_t)(uintptr_t)w->ut_mem[0];
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_ENDPOINT, 0, 5), TSR_OK);
    CHECK_EQ(w->root[0].cap.w0, 32);
    _Static_assert(TSR_TCB_BITS == 11, "the offsets below assume a 2 KiB TCB");
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_TCB, 0, 6), TSR_OK);
    CHECK_EQ(w->root[6].cap.object, base + 2048);
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_NOTIFICATION, 0, 7), TSR_OK);
    CHECK_EQ(w->root[7].cap.object, base + 4096);
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_FRAME_4K, 0, 8), TSR_OK);
    CHECK_EQ(w->root[8].cap.object, base + 8192);
    CHECK_EQ(w->root[0].cap.w0, 12288);
    CHECK_WORLD(w);
}

TEST(CAP0404, "retype of several objects: consecutive, in dest order after the untyped")
{
    struct world *w = new_world();
    paddr_t base = (paddr_t)(uintptr_t)w->ut_mem[1];
    CHECK_EQ(untyped_retype(&w->root[1], TSR_OBJ_CNODE, 1, &w->root[10], 4), TSR_OK);
    for (unsigned i = 0; i < 4; i++) {
        CHECK_EQ(w->root[10 + i].cap.object, base + 128 * i);
        CHECK(cap_mdb_is_parent(&w->root[1], &w->root[10 + i]));
    }
    CHECK(w->root[1].mdb.next == &w->root[10]);
    CHECK(w->root[10].mdb.next == &w->root[11]);
    CHECK(w->root[13].mdb.next == NULL);
    CHECK_EQ(mock.init_calls, 4);
    CHECK_WORLD(w);
}

TEST(CAP0405, "exhaustion is TSR_E_NOT_ENOUGH_MEMORY and changes nothing")
{
    struct world *w = new_world();
    CHECK_EQ(untyped_retype(&w->root[0], TSR_OBJ_FRAME_4K, 0, &w->root[5], 3), TSR_OK);
    struct cte before = w->root[0];
    CHECK_EQ(untyped_retype(&w->root[0], TSR_OBJ_FRAME_4K, 0, &w->root[8], 2),
             TSR_E_NOT_ENOUGH_MEMORY);
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_UNTYPED, 15, 8), TSR_E_NOT_ENOUGH_MEMORY);
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_FRAME_2M, 0, 8), TSR_E_NOT_ENOUGH_MEMORY);
    CHECK(memcmp(&before, &w->root[0], sizeof before) == 0);
    CHECK_EQ(w->root[8].cap.type, CAP_NULL);
    CHECK_EQ(mock.init_calls, 3);
    /* The last page fits exactly; then nothing does. */
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_FRAME_4K, 0, 8), TSR_OK);
    CHECK_EQ(w->root[0].cap.w0, 16384);
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_ENDPOINT, 0, 9), TSR_E_NOT_ENOUGH_MEMORY);
    CHECK_WORLD(w);
}

TEST(CAP0406, "retype argument errors, each changing nothing")
{
    struct world *w = new_world();
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_ENDPOINT, 0, 6), TSR_OK);
    struct cte before[32];
    memcpy(before, w->root, sizeof before);
    unsigned inits = mock.init_calls;
    CHECK_EQ(untyped_retype(NULL, TSR_OBJ_TCB, 0, &w->root[9], 1), TSR_E_INVALID_CAPABILITY);
    CHECK_EQ(untyped_retype(&w->root[6], TSR_OBJ_TCB, 0, &w->root[9], 1),
             TSR_E_INVALID_CAPABILITY);
    CHECK_EQ(untyped_retype(&w->root[20], TSR_OBJ_TCB, 0, &w->root[9], 1),
             TSR_E_INVALID_CAPABILITY);
    CHECK_EQ(retype_into(w, 0, (tsr_object_type_t)0, 0, 9), TSR_E_INVALID_ARGUMENT);
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_TYPE_COUNT, 0, 9), TSR_E_INVALID_ARGUMENT);
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_CNODE, 0, 9), TSR_E_INVALID_ARGUMENT);
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_CNODE, 21, 9), TSR_E_INVALID_ARGUMENT);
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_UNTYPED, 3, 9), TSR_E_INVALID_ARGUMENT);
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_UNTYPED, 48, 9), TSR_E_INVALID_ARGUMENT);
    CHECK_EQ(untyped_retype(&w->root[0], TSR_OBJ_TCB, 0, &w->root[9], 0), TSR_E_RANGE);
    CHECK_EQ(untyped_retype(&w->root[0], TSR_OBJ_TCB, 0, &w->root[9], 257), TSR_E_RANGE);
    CHECK_EQ(untyped_retype(&w->root[0], TSR_OBJ_TCB, 0, NULL, 1), TSR_E_INVALID_ARGUMENT);
    /* One occupied slot in the window: nothing is made. */
    CHECK_EQ(untyped_retype(&w->root[0], TSR_OBJ_ENDPOINT, 0, &w->root[4], 3),
             TSR_E_SLOT_OCCUPIED);
    CHECK_EQ(untyped_retype(&w->root[0], TSR_OBJ_ENDPOINT, 0, &w->root[0], 1),
             TSR_E_SLOT_OCCUPIED);
    CHECK(memcmp(before, w->root, sizeof before) == 0);
    CHECK_EQ(mock.init_calls, inits);
}

TEST(CAP0407, "device untyped: only frames and untypeds, never zeroed, device flag kept")
{
    struct world *w = new_world();
    static const tsr_object_type_t refused[] = {TSR_OBJ_CNODE, TSR_OBJ_TCB, TSR_OBJ_ENDPOINT,
                                                TSR_OBJ_NOTIFICATION, TSR_OBJ_REPLY,
                                                TSR_OBJ_PAGE_TABLE, TSR_OBJ_VSPACE};
    for (unsigned i = 0; i < sizeof refused / sizeof refused[0]; i++)
        CHECK_EQ(retype_into(w, 2, refused[i], 2, 9), TSR_E_ILLEGAL_OPERATION);
    CHECK_EQ(w->root[2].cap.w0, 0);
    CHECK_EQ(retype_into(w, 2, TSR_OBJ_FRAME_4K, 0, 9), TSR_OK);
    CHECK_EQ(w->root[9].cap.flags, CAP_FLAG_DEVICE);
    CHECK(mock.last_init_device);
    const uint8_t *mem = w->ut_mem[2];
    for (unsigned i = 0; i < 4096; i++)
        CHECK_EQ(mem[i], 0xA5);
    CHECK_EQ(retype_into(w, 2, TSR_OBJ_UNTYPED, 12, 10), TSR_OK);
    CHECK_EQ(w->root[10].cap.flags, CAP_FLAG_DEVICE);
    CHECK_EQ(untyped_retype(&w->root[10], TSR_OBJ_ENDPOINT, 0, &w->root[11], 1),
             TSR_E_ILLEGAL_OPERATION);
    CHECK_EQ(untyped_retype(&w->root[10], TSR_OBJ_FRAME_4K, 0, &w->root[11], 1), TSR_OK);
    CHECK_EQ(w->root[11].cap.flags, CAP_FLAG_DEVICE);
    for (unsigned i = 4096; i < 8192; i++)
        CHECK_EQ(mem[i], 0xA5);
    CHECK_WORLD(w);
}

TEST(CAP0408, "an untyped without children starts again from 0 (reuse after revoke)")
{
    struct world *w = new_world();
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_TCB, 0, 5), TSR_OK);
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_TCB, 0, 6), TSR_OK);
    paddr_t first = w->root[5].cap.object;
    CHECK_EQ(rev(&w->root[0]), TSR_OK);
    CHECK_EQ(w->root[0].cap.w0, 2u << TSR_TCB_BITS); /* not reset until the next retype */
    memset(w->ut_mem[0], 0x77, 2u << TSR_TCB_BITS);
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_CNODE, 2, 7), TSR_OK);
    CHECK_EQ(w->root[7].cap.object, first);
    CHECK_EQ(w->root[0].cap.w0, 256);
    struct cte *a = slots_of(&w->root[7].cap);
    for (unsigned i = 0; i < 4; i++)
        CHECK_EQ(a[i].cap.type, CAP_NULL); /* zeroed by the init hook */
    CHECK_WORLD(w);
}

TEST(CAP0409, "the watermark does not go back while any child remains")
{
    struct world *w = new_world();
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_ENDPOINT, 0, 5), TSR_OK);
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_ENDPOINT, 0, 6), TSR_OK);
    CHECK_EQ(del(&w->root[5]), TSR_OK);
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_ENDPOINT, 0, 7), TSR_OK);
    CHECK_EQ(w->root[7].cap.object, (paddr_t)(uintptr_t)w->ut_mem[0] + 64);
    /* A preempted delete leaves a zombie: still a child, memory still used. */
    CHECK_EQ(del(&w->root[6]), TSR_OK);
    CHECK_EQ(del(&w->root[7]), TSR_OK);
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_CNODE, 1, 8), TSR_OK);
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_ENDPOINT, 0, 9), TSR_OK);
    CHECK_EQ(cap_move(&w->root[9], slots_of(&w->root[8].cap)), TSR_OK);
    unsigned b = 1;
    CHECK_EQ(cap_delete(&w->root[8], &b), TSR_E_PREEMPTED);
    CHECK(cap_has_children(&w->root[0]));
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_ENDPOINT, 0, 10), TSR_OK);
    CHECK(w->root[10].cap.object >= (paddr_t)(uintptr_t)w->ut_mem[0] + 160);
    CHECK_WORLD(w);
    CHECK_EQ(del(&w->root[8]), TSR_OK);
    CHECK_WORLD(w);
}

TEST(CAP0410, "untyped in untyped: both are ancestors; the outer cannot reset meanwhile")
{
    struct world *w = new_world();
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_ENDPOINT, 0, 5), TSR_OK);
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_UNTYPED, 12, 6), TSR_OK);
    CHECK_EQ(w->root[6].cap.object, (paddr_t)(uintptr_t)w->ut_mem[0] + 4096);
    CHECK_EQ(untyped_retype(&w->root[6], TSR_OBJ_TCB, 0, &w->root[7], 2), TSR_OK);
    CHECK(cap_mdb_is_parent(&w->root[6], &w->root[7]));
    CHECK(cap_mdb_is_parent(&w->root[0], &w->root[7]));
    CHECK_EQ(del(&w->root[5]), TSR_OK);
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_ENDPOINT, 0, 9), TSR_OK);
    CHECK_EQ(w->root[9].cap.object, (paddr_t)(uintptr_t)w->ut_mem[0] + 8192);
    CHECK_EQ(rev(&w->root[6]), TSR_OK); /* the inner one resets alone */
    CHECK_EQ(untyped_retype(&w->root[6], TSR_OBJ_ENDPOINT, 0, &w->root[7], 1), TSR_OK);
    CHECK_EQ(w->root[7].cap.object, w->root[6].cap.object);
    CHECK_EQ(rev(&w->root[0]), TSR_OK);
    CHECK_EQ(w->root[6].cap.type, CAP_NULL);
    CHECK_EQ(w->root[7].cap.type, CAP_NULL);
    CHECK_EQ(w->root[9].cap.type, CAP_NULL);
    CHECK_WORLD(w);
}

TEST(CAP0411, "a 2 MiB frame is aligned to 2 MiB inside a 4 MiB untyped")
{
    struct world_config cfg = {.root_radix = 5, .nut = 1, .ut = {{22, false}}};
    struct world *w = new_world_cfg(&cfg);
    paddr_t base = (paddr_t)(uintptr_t)w->ut_mem[0];
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_ENDPOINT, 0, 5), TSR_OK);
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_FRAME_2M, 0, 6), TSR_OK);
    CHECK_EQ(w->root[6].cap.object, base + (1u << 21));
    CHECK_EQ(w->root[6].cap.size_bits, 21);
    CHECK_EQ(w->root[0].cap.w0, 1u << 22);
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_FRAME_2M, 0, 7), TSR_E_NOT_ENOUGH_MEMORY);
    CHECK_WORLD(w);
}

TEST(CAP0412, "retype of TSR_RETYPE_MAX_COUNT objects at once")
{
    struct world *w = new_world();
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_CNODE, 8, 5), TSR_OK); /* 256 slots, 16 KiB */
    struct cte *big = slots_of(&w->root[5].cap);
    CHECK_EQ(untyped_retype(&w->root[1], TSR_OBJ_ENDPOINT, 0, big, TSR_RETYPE_MAX_COUNT),
             TSR_OK);
    CHECK_EQ(w->root[1].cap.w0, 256u * 32u);
    CHECK_EQ(big[255].cap.object, (paddr_t)(uintptr_t)w->ut_mem[1] + 255 * 32);
    CHECK_WORLD(w);
    unsigned calls = 0;
    tsr_error_t err;
    do {
        unsigned b = 17;
        err = cap_delete(&w->root[5], &b);
        calls++;
    } while (err == TSR_E_PREEMPTED && calls < 1000);
    CHECK_EQ(err, TSR_OK);
    CHECK_EQ(calls, (1 + 256 + 1 + 16) / 17);
    CHECK(!cap_has_children(&w->root[1]));
    CHECK_WORLD(w);
}

TEST(CAP0413, "retype needs an original untyped capability")
{
    struct world *w = new_world();
    struct cap u = w->root[1].cap;
    struct cte *s = &w->root[20];
    cap_insert(&w->root[1], s, &u, false); /* a kernel mistake: a non-revocable copy */
    CHECK_EQ(untyped_retype(s, TSR_OBJ_ENDPOINT, 0, &w->root[21], 1), TSR_E_ILLEGAL_OPERATION);
    CHECK_EQ(w->root[21].cap.type, CAP_NULL);
}
