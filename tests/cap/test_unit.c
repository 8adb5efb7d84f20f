/* SPDX-License-Identifier: MIT */
/* Unit tests: CSpace lookup (CAP00xx) and the derivation-tree predicates and
 * insert (CAP05xx). The default world: root CNode of radix 5 named by boot
 * slot 0 (guard 0/0), untypeds in root slots 0-2 (the third is device
 * memory), IRQ control in 3, ASID control in 4; slots from 5 are free. */
#include <string.h>

#include "test.h"

/* A CNode of radix `radix` from untyped 0 in root slot `index`. */
static struct cte *make_cnode(struct world *w, unsigned radix, unsigned index)
{
    if (retype_into(w, 0, TSR_OBJ_CNODE, radix, index) != TSR_OK)
        return NULL;
    return slots_of(&w->root[index].cap);
}

TEST(CAP0001, "lookup_slot with the exact depth finds the indexed slot")
{
    struct world *w = new_world();
    struct cte *s = NULL;
    CHECK_EQ(cspace_lookup_slot(&w->boot[0].cap, 7, 5, &s), TSR_OK);
    CHECK(s == &w->root[7]);
    CHECK_EQ(cspace_lookup_slot(&w->boot[0].cap, 31, 5, &s), TSR_OK);
    CHECK(s == &w->root[31]);
    /* Only the low `depth` bits are resolved. */
    CHECK_EQ(cspace_lookup_slot(&w->boot[0].cap, 0xffffffffffffffe1ull, 5, &s), TSR_OK);
    CHECK(s == &w->root[1]);
}

TEST(CAP0002, "lookup depth outside 1..64 is TSR_E_RANGE")
{
    struct world *w = new_world();
    struct cte *s = NULL;
    CHECK_EQ(cspace_lookup_slot(&w->boot[0].cap, 0, 0, &s), TSR_E_RANGE);
    CHECK_EQ(cspace_lookup_slot(&w->boot[0].cap, 0, 65, &s), TSR_E_RANGE);
    CHECK(s == NULL);
}

TEST(CAP0003, "lookup from a root that is not a CNode is TSR_E_INVALID_CAPABILITY")
{
    struct world *w = new_world();
    struct cte *s = NULL;
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_ENDPOINT, 0, 5), TSR_OK);
    CHECK_EQ(cspace_lookup_slot(&w->root[5].cap, 0, 5, &s), TSR_E_INVALID_CAPABILITY);
    CHECK_EQ(cspace_lookup_cap(&w->root[5].cap, 0, &s), TSR_E_INVALID_CAPABILITY);
    CHECK_EQ(cspace_lookup_slot(NULL, 0, 5, &s), TSR_E_INVALID_CAPABILITY);
    CHECK_EQ(cspace_lookup_slot(&w->root[20].cap, 0, 5, &s), TSR_E_INVALID_CAPABILITY);
    CHECK(s == NULL);
    CHECK_EQ(cspace_lookup_slot(&w->boot[0].cap, 0, 5, NULL), TSR_E_INVALID_ARGUMENT);
}

TEST(CAP0004, "depth running out inside a level is TSR_E_LOOKUP_FAILED")
{
    struct world *w = new_world();
    struct cte *s = NULL;
    CHECK_EQ(cspace_lookup_slot(&w->boot[0].cap, 1, 3, &s), TSR_E_LOOKUP_FAILED);
    CHECK_EQ(cspace_lookup_slot(&w->boot[0].cap, 1, 4, &s), TSR_E_LOOKUP_FAILED);
    CHECK(s == NULL);
}

TEST(CAP0005, "a guard must match: two-level lookup and guard mismatch")
{
    struct world *w = new_world();
    struct cte *a = make_cnode(w, 2, 5);
    CHECK(a != NULL);
    /* Give the CNode in slot 5 a 3-bit guard 0b101 by mutating it to slot 6. */
    CHECK_EQ(cap_mutate_guard(&w->root[5], &w->root[6], TSR_RIGHTS_ALL, 5, 3), TSR_OK);
    struct cte *s = NULL;
    uint64_t cptr = (6u << 5) | (5u << 2) | 3u; /* root idx 6, guard 101, idx 3 */
    CHECK_EQ(cspace_lookup_slot(&w->boot[0].cap, cptr, 10, &s), TSR_OK);
    CHECK(s == &a[3]);
    cptr = (6u << 5) | (4u << 2) | 3u; /* guard 100 */
    CHECK_EQ(cspace_lookup_slot(&w->boot[0].cap, cptr, 10, &s), TSR_E_LOOKUP_FAILED);
    /* Depth that ends inside the guard. */
    CHECK_EQ(cspace_lookup_slot(&w->boot[0].cap, cptr >> 2, 8, &s), TSR_E_LOOKUP_FAILED);
    CHECK_WORLD(w);
}

TEST(CAP0006, "bits left over at a non-CNode: lookup_slot fails, lookup_cap stops there")
{
    struct world *w = new_world();
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_ENDPOINT, 0, 9), TSR_OK);
    struct cte *s = NULL;
    CHECK_EQ(cspace_lookup_slot(&w->boot[0].cap, (9u << 3) | 1u, 8, &s), TSR_E_LOOKUP_FAILED);
    CHECK(s == NULL);
    CHECK_EQ(cspace_lookup_cap(&w->boot[0].cap, 9ull << 59 | 0x1234, &s), TSR_OK);
    CHECK(s == &w->root[9]);
}

TEST(CAP0007, "lookup_cap of an empty slot is TSR_E_INVALID_CAPABILITY")
{
    struct world *w = new_world();
    struct cte *s = NULL;
    CHECK_EQ(cspace_lookup_cap(&w->boot[0].cap, 10ull << 59, &s), TSR_E_INVALID_CAPABILITY);
    CHECK(s == NULL);
    CHECK_EQ(cspace_lookup_cap(&w->boot[0].cap, 0, NULL), TSR_E_INVALID_ARGUMENT);
}

TEST(CAP0008, "a guard of 64 - radix bits lets small cptrs name slots with depth 64")
{
    struct world *w = new_world();
    CHECK_EQ(cap_mint_guard(&w->boot[0], &w->root[12], TSR_RIGHTS_ALL, 0, 59), TSR_OK);
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_NOTIFICATION, 0, 7), TSR_OK);
    struct cte *s = NULL;
    CHECK_EQ(cspace_lookup_cap(&w->root[12].cap, 7, &s), TSR_OK);
    CHECK(s == &w->root[7]);
    CHECK_EQ(cspace_lookup_slot(&w->root[12].cap, 7, 64, &s), TSR_OK);
    CHECK(s == &w->root[7]);
    /* A bit set in the guard area is a mismatch. */
    CHECK_EQ(cspace_lookup_cap(&w->root[12].cap, 7 | 1ull << 40, &s), TSR_E_LOOKUP_FAILED);
}

TEST(CAP0009, "lookup_slot ending exactly at a slot holding a CNode returns that slot")
{
    struct world *w = new_world();
    CHECK(make_cnode(w, 1, 13) != NULL);
    struct cte *s = NULL;
    CHECK_EQ(cspace_lookup_slot(&w->boot[0].cap, 13, 5, &s), TSR_OK);
    CHECK(s == &w->root[13]);
    /* And one level further. */
    CHECK_EQ(cspace_lookup_slot(&w->boot[0].cap, (13u << 1) | 1u, 6, &s), TSR_OK);
    CHECK(s == slots_of(&w->root[13].cap) + 1);
}

TEST(CAP0010, "a zombie on the path is not a CNode, and is not a capability to invoke")
{
    struct world *w = new_world();
    struct cte *a = make_cnode(w, 2, 5);
    CHECK(a != NULL);
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_ENDPOINT, 0, 6), TSR_OK);
    CHECK_EQ(cap_move(&w->root[6], &a[2]), TSR_OK);
    unsigned budget = 2; /* zombify, then empty slot 3: the zombie stays */
    CHECK_EQ(cap_delete(&w->root[5], &budget), TSR_E_PREEMPTED);
    CHECK_EQ(w->root[5].cap.type, CAP_ZOMBIE);
    struct cte *s = NULL;
    CHECK_EQ(cspace_lookup_slot(&w->boot[0].cap, (5u << 2) | 2u, 7, &s), TSR_E_LOOKUP_FAILED);
    CHECK_EQ(cspace_lookup_slot(&w->boot[0].cap, 5u, 5, &s), TSR_OK);
    CHECK(s == &w->root[5]);
    CHECK_EQ(cspace_lookup_cap(&w->boot[0].cap, 5ull << 59, &s), TSR_E_INVALID_CAPABILITY);
    CHECK_WORLD(w);
    CHECK_EQ(del(&w->root[5]), TSR_OK);
    CHECK_WORLD(w);
}

TEST(CAP0011, "three-level lookup through guarded CNodes")
{
    struct world *w = new_world();
    struct cte *a = make_cnode(w, 3, 5);
    struct cte *b = make_cnode(w, 2, 6);
    CHECK(a && b);
    CHECK_EQ(cap_mutate_guard(&w->root[6], &a[4], TSR_RIGHTS_ALL, 1, 1), TSR_OK);
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_REPLY, 0, 7), TSR_OK);
    CHECK_EQ(cap_move(&w->root[7], &b[2]), TSR_OK);
    /* root idx 5 (5 bits) | a idx 4 (3 bits) | guard 1 (1 bit) | b idx 2 (2 bits) */
    uint64_t path = (((5ull << 3 | 4) << 1 | 1) << 2) | 2;
    struct cte *s = NULL;
    CHECK_EQ(cspace_lookup_slot(&w->boot[0].cap, path, 11, &s), TSR_OK);
    CHECK(s == &b[2]);
    CHECK_EQ(cspace_lookup_cap(&w->boot[0].cap, path << 53, &s), TSR_OK);
    CHECK(s == &b[2]);
    CHECK_EQ(cspace_lookup_slot(&w->boot[0].cap, path, 12, &s), TSR_E_LOOKUP_FAILED);
}

TEST(CAP0012, "a CNode capability of impossible shape fails lookup instead of looping")
{
    struct world *w = new_world();
    struct cap bad = w->boot[0].cap;
    bad.size_bits = 0; /* radix 0, no guard: would consume no bits */
    struct cte *s = NULL;
    CHECK_EQ(cspace_lookup_slot(&bad, 0, 5, &s), TSR_E_LOOKUP_FAILED);
    bad.size_bits = 5;
    bad.w1 = 65;
    CHECK_EQ(cspace_lookup_slot(&bad, 0, 64, &s), TSR_E_LOOKUP_FAILED);
}

/* ---- predicates and insert ---------------------------------------------------- */

TEST(CAP0501, "untyped is the parent of caps to its memory; copies are nobody's parent")
{
    struct world *w = new_world();
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_ENDPOINT, 0, 5), TSR_OK);
    CHECK(cap_mdb_is_parent(&w->root[0], &w->root[5]));
    CHECK(!cap_mdb_is_parent(&w->root[1], &w->root[5])); /* another region */
    CHECK(!cap_mdb_is_parent(&w->root[5], &w->root[0]));
    CHECK_EQ(cap_copy(&w->root[5], &w->root[6], TSR_RIGHTS_ALL), TSR_OK);
    CHECK(cap_mdb_is_parent(&w->root[5], &w->root[6]));
    CHECK_EQ(cap_copy(&w->root[6], &w->root[7], TSR_RIGHTS_ALL), TSR_OK);
    CHECK(!cap_mdb_is_parent(&w->root[6], &w->root[7]));
    CHECK(cap_mdb_is_parent(&w->root[5], &w->root[7]));
    CHECK(!cap_mdb_is_parent(&w->root[5], &w->root[20])); /* empty */
    CHECK(!cap_mdb_is_parent(NULL, &w->root[5]));
    CHECK(cap_has_children(&w->root[0]));
    CHECK(!cap_has_children(&w->root[7]));
}

TEST(CAP0502, "same_object: untyped never, IRQ control is not its handlers, CNode by radix")
{
    struct cap u = {.type = CAP_UNTYPED, .size_bits = 12, .object = 0x10000};
    CHECK(!cap_same_object(&u, &u));
    struct cap ic = {.type = CAP_IRQ_CONTROL}, ih = {.type = CAP_IRQ_HANDLER, .w0 = 3};
    CHECK(!cap_same_object(&ic, &ih));
    CHECK(!cap_same_object(&ih, &ic));
    struct cap ih2 = ih;
    CHECK(cap_same_object(&ih, &ih2));
    ih2.w0 = 4;
    CHECK(!cap_same_object(&ih, &ih2));
    struct cap c1 = {.type = CAP_CNODE, .size_bits = 2, .object = 0x20000};
    struct cap c2 = c1;
    c2.w0 = 1; /* another guard: same CNode */
    c2.w1 = 3;
    CHECK(cap_same_object(&c1, &c2));
    c2.size_bits = 3;
    CHECK(!cap_same_object(&c1, &c2));
    struct cap f1 = {.type = CAP_FRAME, .size_bits = 12, .object = 0x30000};
    struct cap f2 = f1;
    f2.w0 = 0x4000; /* a mapping does not change the object */
    CHECK(cap_same_object(&f1, &f2));
    f2.flags = CAP_FLAG_DEVICE;
    CHECK(!cap_same_object(&f1, &f2));
    struct cap z = {.type = CAP_ZOMBIE, .w1 = CAP_CNODE, .size_bits = 2, .object = 0x20000};
    CHECK(!cap_same_object(&z, &c1));
    CHECK(!cap_same_object(&c1, &z));
}

TEST(CAP0503, "finality follows the neighbours: copies make a cap non-final")
{
    struct world *w = new_world();
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_TCB, 0, 5), TSR_OK);
    CHECK(cap_is_final(&w->root[5]));
    CHECK_EQ(cap_copy(&w->root[5], &w->root[6], TSR_RIGHTS_ALL), TSR_OK);
    CHECK(!cap_is_final(&w->root[5]));
    CHECK(!cap_is_final(&w->root[6]));
    CHECK_EQ(del(&w->root[5]), TSR_OK);
    CHECK(cap_is_final(&w->root[6]));
    CHECK(!cap_is_final(&w->root[5])); /* empty */
    CHECK(cap_is_final(&w->root[0]));  /* untyped: always */
}

TEST(CAP0504, "cap_insert: roots, children, and it refuses an occupied slot")
{
    struct world *w = new_world();
    struct cap ep = {.type = CAP_ENDPOINT, .rights = TSR_RIGHTS_ALL,
                     .object = (paddr_t)(uintptr_t)w->ut_mem[1]};
    struct cte before = w->root[3];
    cap_insert(NULL, &w->root[3], &ep, true); /* occupied: ignored */
    CHECK(memcmp(&before, &w->root[3], sizeof before) == 0);
    struct cap null = {0};
    cap_insert(NULL, &w->root[9], &null, true);
    CHECK_EQ(w->root[9].cap.type, CAP_NULL);
    struct cap h = {.type = CAP_IRQ_HANDLER, .rights = TSR_RIGHTS_ALL, .w0 = 7};
    cap_insert(&w->root[3], &w->root[9], &h, true);
    CHECK(w->root[3].mdb.next == &w->root[9]);
    CHECK(w->root[9].mdb.prev == &w->root[3]);
    CHECK(w->root[9].mdb.revocable && w->root[9].mdb.first_badged);
    CHECK(cap_mdb_is_parent(&w->root[3], &w->root[9]));
    CHECK_WORLD(w);
}

TEST(CAP0505, "IRQ handlers: children of IRQ control, copies children of the handler")
{
    struct world *w = new_world();
    struct cap h = {.type = CAP_IRQ_HANDLER, .rights = TSR_RIGHTS_ALL, .w0 = 5};
    cap_insert(&w->root[3], &w->root[10], &h, true);
    CHECK_EQ(cap_copy(&w->root[10], &w->root[11], TSR_RIGHTS_ALL), TSR_OK);
    CHECK(cap_mdb_is_parent(&w->root[10], &w->root[11]));
    CHECK_EQ(del(&w->root[10]), TSR_OK);
    CHECK_EQ(mock.last_removed.type, CAP_IRQ_HANDLER);
    CHECK(!mock.last_removed_final); /* the copy still holds interrupt 5 */
    CHECK_EQ(rev(&w->root[3]), TSR_OK);
    CHECK_EQ(w->root[11].cap.type, CAP_NULL);
    CHECK(mock.last_removed_final);
    CHECK_EQ(w->root[3].cap.type, CAP_IRQ_CONTROL);
    CHECK_WORLD(w);
}
