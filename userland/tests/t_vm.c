/* SPDX-License-Identifier: MIT */
/* Address spaces: frames, page tables, ASIDs, and their errors. */
#include "test.h"

#define TEST_VA 0x60000000ull /* a 1 GiB-aligned area the root task leaves alone */

static bool map_and_use(void)
{
    tsr_cptr_t f = t_new(TSR_OBJ_FRAME_4K, 0);
    CHECK_OK(tsr_vm_map(f, TSR_INIT_VSPACE, TEST_VA, TSR_RIGHT_READ | TSR_RIGHT_WRITE, 0));
    volatile uint64_t *p = (volatile uint64_t *)TEST_VA;
    CHECK_EQ(p[0], 0);
    p[0] = 0xabcdef;
    p[511] = 42;
    CHECK_EQ(p[0], 0xabcdef);
    /* A second mapping of the same frame (a copy of the capability) sees it. */
    tsr_cptr_t copy = t_slot();
    CHECK_OK(tsr_cnode_copy(ROOT, copy, D, ROOT, f, D, TSR_RIGHT_READ));
    CHECK_OK(tsr_vm_map(copy, TSR_INIT_VSPACE, TEST_VA + 0x1000, TSR_RIGHT_READ, 0));
    CHECK_EQ(((volatile uint64_t *)(TEST_VA + 0x1000))[511], 42);
    CHECK_OK(tsr_frame_unmap(copy));
    CHECK_OK(tsr_frame_unmap(f));
    return true;
}

static bool map_errors(void)
{
    tsr_cptr_t f = t_new(TSR_OBJ_FRAME_4K, 0), g = t_new(TSR_OBJ_FRAME_4K, 0);
    const unsigned rw = TSR_RIGHT_READ | TSR_RIGHT_WRITE;
    CHECK_EQ(tsr_frame_map(f, TSR_INIT_VSPACE, TEST_VA + 8, rw, 0), TSR_E_ALIGNMENT);
    CHECK_EQ(tsr_frame_map(f, TSR_INIT_VSPACE, 1ull << 48, rw, 0), TSR_E_RANGE);
    CHECK_EQ(tsr_frame_map(f, TSR_INIT_VSPACE, 0xffff000000000000ull, rw, 0), TSR_E_RANGE);
    CHECK_EQ(tsr_frame_map(f, TSR_INIT_VSPACE, TEST_VA, rw, TSR_VM_EXECUTE), TSR_E_INVALID_ARGUMENT);
    CHECK_EQ(tsr_frame_map(f, TSR_INIT_VSPACE, TEST_VA, rw, 0x80), TSR_E_INVALID_ARGUMENT);
    CHECK_EQ(tsr_frame_map(f, TSR_INIT_VSPACE, TEST_VA, 0, 0), TSR_E_INSUFFICIENT_RIGHTS);
    CHECK_EQ(tsr_frame_map(f, f, TEST_VA, rw, 0), TSR_E_INVALID_CAPABILITY);
    CHECK_OK(tsr_vm_map(f, TSR_INIT_VSPACE, TEST_VA, rw, 0));
    /* Overlap, and a second mapping through the same capability. */
    CHECK_EQ(tsr_frame_map(g, TSR_INIT_VSPACE, TEST_VA, rw, 0), TSR_E_ALREADY_MAPPED);
    CHECK_EQ(tsr_frame_map(f, TSR_INIT_VSPACE, TEST_VA + 0x1000, rw, 0), TSR_E_ALREADY_MAPPED);
    /* Kernel addresses are not the user's to map (and not reachable). */
    CHECK_EQ(tsr_frame_map(g, TSR_INIT_VSPACE, 0xffffffffc0000000ull, rw, 0), TSR_E_RANGE);
    const uint64_t short_args[2] = {TSR_INIT_VSPACE, TEST_VA};
    CHECK_EQ(tsr_invoke(g, TSR_FRAME_MAP, 2, short_args, 0, 0), TSR_E_TRUNCATED);
    return true;
}

static bool page_tables(void)
{
    /* A fresh address space: nothing maps until its tables are linked. */
    tsr_cptr_t vs = t_new(TSR_OBJ_VSPACE, 0), f = t_new(TSR_OBJ_FRAME_4K, 0);
    tsr_cptr_t l1 = t_new(TSR_OBJ_PAGE_TABLE, 0), l2 = t_new(TSR_OBJ_PAGE_TABLE, 0);
    tsr_cptr_t l3 = t_new(TSR_OBJ_PAGE_TABLE, 0), extra = t_new(TSR_OBJ_PAGE_TABLE, 0);
    unsigned level = 0;
    /* No ASID yet. */
    CHECK_EQ(tsr_frame_map(f, vs, TEST_VA, TSR_RIGHT_READ, 0), TSR_E_ILLEGAL_OPERATION);
    CHECK_EQ(tsr_page_table_map(l1, vs, TEST_VA, &level), TSR_E_ILLEGAL_OPERATION);
    unsigned asid = 0;
    CHECK_OK(tsr_asid_pool_assign(TSR_INIT_ASID_POOL, vs, &asid));
    CHECK(asid != 0);
    CHECK_EQ(tsr_asid_pool_assign(TSR_INIT_ASID_POOL, vs, &asid), TSR_E_ILLEGAL_OPERATION);
    CHECK_EQ(tsr_frame_map(f, vs, TEST_VA, TSR_RIGHT_READ, 0), TSR_E_NOT_MAPPED);
    CHECK_OK(tsr_page_table_map(l1, vs, TEST_VA, &level));
    CHECK_EQ(level, 1);
    CHECK_EQ(tsr_page_table_map(l1, vs, TEST_VA, &level), TSR_E_ALREADY_MAPPED);
    CHECK_OK(tsr_page_table_map(l2, vs, TEST_VA, &level));
    CHECK_EQ(level, 2);
    CHECK_OK(tsr_page_table_map(l3, vs, TEST_VA, &level));
    CHECK_EQ(level, 3);
    /* Every level on the path exists now. */
    CHECK_EQ(tsr_page_table_map(extra, vs, TEST_VA, &level), TSR_E_ALREADY_MAPPED);
    CHECK_OK(tsr_frame_map(f, vs, TEST_VA, TSR_RIGHT_READ, 0));
    /* Unlinking the level-3 table takes the mapping with it. */
    CHECK_OK(tsr_page_table_unmap(l3));
    tsr_cptr_t f2 = t_new(TSR_OBJ_FRAME_4K, 0);
    CHECK_EQ(tsr_frame_map(f2, vs, TEST_VA, TSR_RIGHT_READ, 0), TSR_E_NOT_MAPPED);
    CHECK_OK(tsr_page_table_map(l3, vs, TEST_VA, &level));
    CHECK_OK(tsr_frame_map(f2, vs, TEST_VA, TSR_RIGHT_READ, 0)); /* the table came back empty */
    return true;
}

static bool large_frame(void)
{
    tsr_cptr_t f = t_new(TSR_OBJ_FRAME_2M, 0);
    CHECK(f);
    uint64_t pa;
    CHECK_OK(tsr_frame_get_address(f, &pa));
    CHECK_EQ(pa & ((1ull << 21) - 1), 0);
    CHECK_EQ(tsr_frame_map(f, TSR_INIT_VSPACE, TEST_VA + 0x1000, TSR_RIGHT_READ, 0), TSR_E_ALIGNMENT);
    CHECK_OK(tsr_vm_map(f, TSR_INIT_VSPACE, TEST_VA + 0x200000, TSR_RIGHT_READ | TSR_RIGHT_WRITE, 0));
    volatile uint64_t *p = (volatile uint64_t *)(TEST_VA + 0x200000);
    p[0] = 1;
    p[(1 << 21) / 8 - 1] = 2;
    CHECK_EQ(p[0] + p[(1 << 21) / 8 - 1], 3);
    CHECK_OK(tsr_frame_unmap(f));
    return true;
}

static bool asid_pools(void)
{
    tsr_cptr_t ut = t_new(TSR_OBJ_UNTYPED, 12), big = t_new(TSR_OBJ_UNTYPED, 13);
    tsr_cptr_t pool = t_slot(), pool2 = t_slot(), vs = t_new(TSR_OBJ_VSPACE, 0);
    CHECK_EQ(tsr_asid_control_make_pool(TSR_INIT_ASID_CONTROL, big, ROOT, pool, D),
             TSR_E_INVALID_ARGUMENT);
    CHECK_EQ(tsr_asid_control_make_pool(TSR_INIT_ASID_CONTROL, vs, ROOT, pool, D),
             TSR_E_INVALID_CAPABILITY);
    CHECK_OK(tsr_asid_control_make_pool(TSR_INIT_ASID_CONTROL, ut, ROOT, pool, D));
    /* The untyped is used up now. */
    CHECK_EQ(tsr_asid_control_make_pool(TSR_INIT_ASID_CONTROL, ut, ROOT, pool2, D),
             TSR_E_REVOKE_FIRST);
    unsigned asid;
    CHECK_OK(tsr_asid_pool_assign(pool, vs, &asid));
    CHECK(asid >= 512); /* pool 0 belongs to the root task */
    /* Revoking the untyped destroys the pool; the VSpace loses its ASID. */
    CHECK_OK(tsr_cnode_revoke(ROOT, ut, D));
    tsr_cptr_t f = t_new(TSR_OBJ_FRAME_4K, 0);
    CHECK_EQ(tsr_frame_map(f, vs, TEST_VA, TSR_RIGHT_READ, 0), TSR_E_ILLEGAL_OPERATION);
    return true;
}

static bool frame_address(void)
{
    tsr_cptr_t f = t_new(TSR_OBJ_FRAME_4K, 0);
    uint64_t pa = 1;
    CHECK_OK(tsr_frame_get_address(f, &pa));
    CHECK_EQ(pa & 4095, 0);
    CHECK(pa != 0);
    return true;
}

static bool delete_unmaps(void)
{
    tsr_cptr_t f = t_new(TSR_OBJ_FRAME_4K, 0), g = t_new(TSR_OBJ_FRAME_4K, 0);
    CHECK_OK(tsr_vm_map(f, TSR_INIT_VSPACE, TEST_VA, TSR_RIGHT_READ | TSR_RIGHT_WRITE, 0));
    CHECK_OK(tsr_cnode_delete(ROOT, f, D));
    /* The page is free again: another frame maps there. */
    CHECK_OK(tsr_frame_map(g, TSR_INIT_VSPACE, TEST_VA, TSR_RIGHT_READ, 0));
    CHECK_OK(tsr_frame_unmap(g));
    return true;
}

const struct test vm_tests[] = {
    {"VM0001", "map a frame, use it, share it read-only", map_and_use},
    {"VM0002", "alignment, range, W^X, rights and overlap refused", map_errors},
    {"VM0003", "page tables link level by level; unlinking clears them", page_tables},
    {"VM0004", "2 MiB frames: aligned, mapped as blocks", large_frame},
    {"VM0005", "ASID pools: exactly one 4 KiB untyped; revoke ends them", asid_pools},
    {"VM0006", "a frame reports its physical address", frame_address},
    {"VM0007", "deleting a frame capability unmaps it", delete_unmaps},
    {0, 0, 0},
};
