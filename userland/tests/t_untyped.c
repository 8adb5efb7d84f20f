/* SPDX-License-Identifier: MIT */
/* Untyped_Retype: every object type, and every way to get it wrong. */
#include "test.h"

static bool retype_every_type(void)
{
    static const struct {
        tsr_object_type_t type;
        unsigned bits;
    } objs[] = {
        /* The 2 MiB frame first: objects are aligned to their size, and the
         * test's region is 4 MiB. */
        {TSR_OBJ_FRAME_2M, 0},    {TSR_OBJ_CNODE, 4},      {TSR_OBJ_TCB, 0},
        {TSR_OBJ_ENDPOINT, 0},    {TSR_OBJ_NOTIFICATION, 0}, {TSR_OBJ_REPLY, 0},
        {TSR_OBJ_FRAME_4K, 0},    {TSR_OBJ_PAGE_TABLE, 0}, {TSR_OBJ_VSPACE, 0},
        {TSR_OBJ_UNTYPED, 12},
    };
    for (unsigned i = 0; i < sizeof(objs) / sizeof(objs[0]); i++) {
        tsr_cptr_t s = t_slot();
        CHECK_OK(tsr_untyped_retype(test_region, objs[i].type, objs[i].bits, ROOT, ROOT, D, s, 1));
    }
    return true;
}

static bool retype_many(void)
{
    tsr_cptr_t first = t_slots(8);
    CHECK(first);
    CHECK_OK(tsr_untyped_retype(test_region, TSR_OBJ_ENDPOINT, 0, ROOT, ROOT, D, first, 8));
    /* Each of the eight slots now holds a working endpoint: a poll on one
     * with nothing queued says so. */
    for (unsigned i = 0; i < 8; i++) {
        struct tsr_msg m = {0};
        uint64_t badge;
        CHECK_EQ(tsr_nb_recv(first + i, 0, &m, &badge), TSR_E_WOULD_BLOCK);
    }
    return true;
}

static bool retype_bad_type(void)
{
    tsr_cptr_t s = t_slot();
    CHECK_EQ(tsr_untyped_retype(test_region, 0, 0, ROOT, ROOT, D, s, 1), TSR_E_INVALID_ARGUMENT);
    CHECK_EQ(tsr_untyped_retype(test_region, TSR_OBJ_TYPE_COUNT, 0, ROOT, ROOT, D, s, 1),
             TSR_E_INVALID_ARGUMENT);
    CHECK_EQ(tsr_untyped_retype(test_region, 1000, 0, ROOT, ROOT, D, s, 1), TSR_E_INVALID_ARGUMENT);
    return true;
}

static bool retype_bad_size(void)
{
    tsr_cptr_t s = t_slot();
    CHECK_EQ(tsr_untyped_retype(test_region, TSR_OBJ_CNODE, 0, ROOT, ROOT, D, s, 1),
             TSR_E_INVALID_ARGUMENT);
    CHECK_EQ(tsr_untyped_retype(test_region, TSR_OBJ_CNODE, TSR_CNODE_MAX_RADIX + 1, ROOT, ROOT, D, s, 1),
             TSR_E_INVALID_ARGUMENT);
    CHECK_EQ(tsr_untyped_retype(test_region, TSR_OBJ_UNTYPED, TSR_UNTYPED_MIN_BITS - 1, ROOT, ROOT, D, s, 1),
             TSR_E_INVALID_ARGUMENT);
    CHECK_EQ(tsr_untyped_retype(test_region, TSR_OBJ_UNTYPED, 48, ROOT, ROOT, D, s, 1),
             TSR_E_INVALID_ARGUMENT);
    return true;
}

static bool retype_bad_count(void)
{
    tsr_cptr_t s = t_slot();
    CHECK_EQ(tsr_untyped_retype(test_region, TSR_OBJ_ENDPOINT, 0, ROOT, ROOT, D, s, 0), TSR_E_RANGE);
    CHECK_EQ(tsr_untyped_retype(test_region, TSR_OBJ_ENDPOINT, 0, ROOT, ROOT, D, s, 257), TSR_E_RANGE);
    /* Past the end of the destination CNode. */
    CHECK_EQ(tsr_untyped_retype(test_region, TSR_OBJ_ENDPOINT, 0, ROOT, ROOT, D, 4095, 2), TSR_E_RANGE);
    CHECK_EQ(tsr_untyped_retype(test_region, TSR_OBJ_ENDPOINT, 0, ROOT, ROOT, D, 4096, 1), TSR_E_RANGE);
    return true;
}

static bool retype_occupied(void)
{
    tsr_cptr_t s = t_new(TSR_OBJ_ENDPOINT, 0);
    CHECK(s);
    CHECK_EQ(tsr_untyped_retype(test_region, TSR_OBJ_ENDPOINT, 0, ROOT, ROOT, D, s, 1),
             TSR_E_SLOT_OCCUPIED);
    /* Two slots where the second is taken: nothing is created at all. */
    tsr_cptr_t a = t_slots(2), b = a + 1;
    CHECK(a);
    CHECK_OK(tsr_untyped_retype(test_region, TSR_OBJ_ENDPOINT, 0, ROOT, ROOT, D, b, 1));
    CHECK_EQ(tsr_untyped_retype(test_region, TSR_OBJ_ENDPOINT, 0, ROOT, ROOT, D, a, 2),
             TSR_E_SLOT_OCCUPIED);
    struct tsr_msg m = {0};
    uint64_t badge;
    CHECK_EQ(tsr_nb_recv(a, 0, &m, &badge), TSR_E_INVALID_CAPABILITY);
    return true;
}

static bool retype_exhausted(void)
{
    tsr_cptr_t small = t_new(TSR_OBJ_UNTYPED, 12);
    CHECK(small);
    tsr_cptr_t f1 = t_slot(), f2 = t_slot();
    CHECK_OK(tsr_untyped_retype(small, TSR_OBJ_FRAME_4K, 0, ROOT, ROOT, D, f1, 1));
    CHECK_EQ(tsr_untyped_retype(small, TSR_OBJ_FRAME_4K, 0, ROOT, ROOT, D, f2, 1),
             TSR_E_NOT_ENOUGH_MEMORY);
    CHECK_EQ(tsr_untyped_retype(small, TSR_OBJ_ENDPOINT, 0, ROOT, ROOT, D, f2, 1),
             TSR_E_NOT_ENOUGH_MEMORY);
    /* Larger than the whole untyped. */
    tsr_cptr_t small2 = t_new(TSR_OBJ_UNTYPED, 12);
    CHECK_EQ(tsr_untyped_retype(small2, TSR_OBJ_FRAME_2M, 0, ROOT, ROOT, D, f2, 1),
             TSR_E_NOT_ENOUGH_MEMORY);
    return true;
}

static bool retype_wrong_cap(void)
{
    tsr_cptr_t s = t_slot();
    tsr_cptr_t frame = t_new(TSR_OBJ_FRAME_4K, 0);
    /* A frame has no retype method. */
    CHECK_EQ(tsr_untyped_retype(frame, TSR_OBJ_ENDPOINT, 0, ROOT, ROOT, D, s, 1),
             TSR_E_ILLEGAL_OPERATION);
    /* An empty slot, and an address outside the CNode's guard. */
    CHECK_EQ(tsr_untyped_retype(s, TSR_OBJ_ENDPOINT, 0, ROOT, ROOT, D, s, 1),
             TSR_E_INVALID_CAPABILITY);
    CHECK_EQ(tsr_untyped_retype(1ull << 40, TSR_OBJ_ENDPOINT, 0, ROOT, ROOT, D, s, 1),
             TSR_E_LOOKUP_FAILED);
    /* The destination root must be a CNode. */
    CHECK_EQ(tsr_untyped_retype(test_region, TSR_OBJ_ENDPOINT, 0, frame, ROOT, D, s, 1),
             TSR_E_INVALID_CAPABILITY);
    CHECK_EQ(tsr_untyped_retype(test_region, TSR_OBJ_ENDPOINT, 0, ROOT, frame, D, s, 1),
             TSR_E_INVALID_CAPABILITY);
    CHECK_EQ(tsr_untyped_retype(test_region, TSR_OBJ_ENDPOINT, 0, ROOT, ROOT, 0, s, 1), TSR_E_RANGE);
    return true;
}

static bool retype_short_message(void)
{
    const uint64_t args[3] = {TSR_OBJ_ENDPOINT, 0, ROOT};
    CHECK_EQ(tsr_invoke(test_region, TSR_UNTYPED_RETYPE, 3, args, 0, 0), TSR_E_TRUNCATED);
    return true;
}

static bool retype_device(void)
{
    const struct tsr_bootinfo *bi = test_bootinfo;
    tsr_cptr_t dev = 0;
    for (uint32_t i = 0; i < bi->untyped.count && !dev; i++)
        if (bi->untyped_list[i].is_device && bi->untyped_list[i].size_bits >= 12)
            dev = bi->untyped.first + i;
    CHECK(dev);
    tsr_cptr_t s = t_slot();
    CHECK_EQ(tsr_untyped_retype(dev, TSR_OBJ_TCB, 0, ROOT, ROOT, D, s, 1), TSR_E_ILLEGAL_OPERATION);
    CHECK_EQ(tsr_untyped_retype(dev, TSR_OBJ_CNODE, 4, ROOT, ROOT, D, s, 1), TSR_E_ILLEGAL_OPERATION);
    /* A device frame may be made (and is never zeroed), and given back. */
    CHECK_OK(tsr_untyped_retype(dev, TSR_OBJ_FRAME_4K, 0, ROOT, ROOT, D, s, 1));
    CHECK_OK(tsr_cnode_revoke(ROOT, dev, D));
    CHECK_EQ(tsr_frame_get_address(s, &(uint64_t){0}), TSR_E_INVALID_CAPABILITY);
    return true;
}

static bool retype_reuse_after_revoke(void)
{
    tsr_cptr_t sub = t_new(TSR_OBJ_UNTYPED, 16);
    tsr_cptr_t a = t_slot(), b = t_slot();
    uint64_t pa1, pa2, pa3;
    CHECK_OK(tsr_untyped_retype(sub, TSR_OBJ_FRAME_4K, 0, ROOT, ROOT, D, a, 1));
    CHECK_OK(tsr_untyped_retype(sub, TSR_OBJ_FRAME_4K, 0, ROOT, ROOT, D, b, 1));
    CHECK_OK(tsr_frame_get_address(a, &pa1));
    CHECK_OK(tsr_frame_get_address(b, &pa2));
    CHECK_EQ(pa2, pa1 + 4096);
    /* Revoke: both frames gone, and the next object starts at the base again. */
    CHECK_OK(tsr_cnode_revoke(ROOT, sub, D));
    CHECK_EQ(tsr_frame_get_address(a, &pa3), TSR_E_INVALID_CAPABILITY);
    CHECK_OK(tsr_untyped_retype(sub, TSR_OBJ_FRAME_4K, 0, ROOT, ROOT, D, a, 1));
    CHECK_OK(tsr_frame_get_address(a, &pa3));
    CHECK_EQ(pa3, pa1);
    return true;
}

static bool retype_alignment_and_zeroing(void)
{
    tsr_cptr_t sub = t_new(TSR_OBJ_UNTYPED, 16);
    tsr_cptr_t ep = t_slot(), frame = t_slot(), frame2 = t_slot();
    CHECK_OK(tsr_untyped_retype(sub, TSR_OBJ_ENDPOINT, 0, ROOT, ROOT, D, ep, 1));
    CHECK_OK(tsr_untyped_retype(sub, TSR_OBJ_FRAME_4K, 0, ROOT, ROOT, D, frame, 1));
    uint64_t pa;
    CHECK_OK(tsr_frame_get_address(frame, &pa));
    CHECK_EQ(pa & 4095, 0);
    /* Write into the frame, revoke, retype again: the new frame reads zero. */
    uint64_t va = 0x50000000ull;
    CHECK_OK(tsr_vm_map(frame, TSR_INIT_VSPACE, va, TSR_RIGHT_READ | TSR_RIGHT_WRITE, 0));
    *(volatile uint64_t *)va = 0x1234;
    CHECK_OK(tsr_cnode_revoke(ROOT, sub, D));
    CHECK_OK(tsr_untyped_retype(sub, TSR_OBJ_FRAME_4K, 0, ROOT, ROOT, D, frame2, 1));
    CHECK_OK(tsr_vm_map(frame2, TSR_INIT_VSPACE, va, TSR_RIGHT_READ | TSR_RIGHT_WRITE, 0));
    CHECK_EQ(*(volatile uint64_t *)va, 0);
    return true;
}

const struct test untyped_tests[] = {
    {"UT0001", "retype into every object type", retype_every_type},
    {"UT0002", "retype several objects into consecutive slots", retype_many},
    {"UT0003", "unknown object type: invalid argument", retype_bad_type},
    {"UT0004", "size out of range for the type: invalid argument", retype_bad_size},
    {"UT0005", "count 0, too many, or past the CNode: range error", retype_bad_count},
    {"UT0006", "occupied destination: nothing is created", retype_occupied},
    {"UT0007", "exhausted untyped: not enough memory", retype_exhausted},
    {"UT0008", "wrong or missing capability, bad destination", retype_wrong_cap},
    {"UT0009", "message too short: truncated", retype_short_message},
    {"UT0010", "device untyped makes frames only", retype_device},
    {"UT0011", "memory is reused from the start after revoke", retype_reuse_after_revoke},
    {"UT0012", "objects are aligned and zeroed", retype_alignment_and_zeroing},
    {0, 0, 0},
};
