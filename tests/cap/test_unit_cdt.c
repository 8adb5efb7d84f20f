/* SPDX-License-Identifier: MIT */
/* Unit tests of the derivation tree operations: copy and mint (CAP01xx),
 * move, mutate and guards (CAP02xx), delete and revoke without nesting
 * (CAP03xx). Error cases check that nothing changed. Default world as in
 * test_unit.c. */
#include <string.h>

#include "test.h"

/* A snapshot of the root CNode and boot slots, to prove an error changed
 * nothing. */
struct snap {
    struct cte root[32];
    struct cte boot[WORLD_BOOT_SLOTS];
};

static void take(struct world *w, struct snap *s)
{
    memcpy(s->root, w->root, sizeof s->root);
    memcpy(s->boot, w->boot, sizeof s->boot);
}

static bool same(struct world *w, const struct snap *s)
{
    return memcmp(s->root, w->root, sizeof s->root) == 0 &&
           memcmp(s->boot, w->boot, sizeof s->boot) == 0;
}

static struct world *with_ep(unsigned index)
{
    struct world *w = new_world();
    if (retype_into(w, 0, TSR_OBJ_ENDPOINT, 0, index) != TSR_OK)
        return NULL;
    return w;
}

TEST(CAP0101, "copy reduces rights to src & mask")
{
    struct world *w = with_ep(5);
    CHECK(w);
    CHECK_EQ(cap_copy(&w->root[5], &w->root[6], TSR_RIGHT_READ | TSR_RIGHT_GRANT), TSR_OK);
    CHECK_EQ(w->root[6].cap.rights, TSR_RIGHT_READ | TSR_RIGHT_GRANT);
    CHECK_EQ(cap_copy(&w->root[6], &w->root[7], TSR_RIGHT_READ | TSR_RIGHT_WRITE), TSR_OK);
    CHECK_EQ(w->root[7].cap.rights, TSR_RIGHT_READ);
    CHECK_EQ(w->root[5].cap.rights, TSR_RIGHTS_ALL);
    CHECK_WORLD(w);
}

TEST(CAP0102, "copy never adds rights, and ignores mask bits beyond TSR_RIGHTS_ALL")
{
    struct world *w = with_ep(5);
    CHECK(w);
    CHECK_EQ(cap_copy(&w->root[5], &w->root[6], TSR_RIGHT_WRITE), TSR_OK);
    CHECK_EQ(cap_copy(&w->root[6], &w->root[7], 0xff), TSR_OK);
    CHECK_EQ(w->root[7].cap.rights, TSR_RIGHT_WRITE);
    CHECK_EQ(cap_mint(&w->root[7], &w->root[8], 0xff, 9), TSR_OK);
    CHECK_EQ(w->root[8].cap.rights, TSR_RIGHT_WRITE);
}

TEST(CAP0103, "copy into an occupied slot is TSR_E_SLOT_OCCUPIED and changes nothing")
{
    struct world *w = with_ep(5);
    CHECK(w);
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_NOTIFICATION, 0, 6), TSR_OK);
    struct snap s;
    take(w, &s);
    CHECK_EQ(cap_copy(&w->root[5], &w->root[6], TSR_RIGHTS_ALL), TSR_E_SLOT_OCCUPIED);
    CHECK_EQ(cap_copy(&w->root[5], &w->root[5], TSR_RIGHTS_ALL), TSR_E_SLOT_OCCUPIED);
    CHECK_EQ(cap_mint(&w->root[5], &w->root[6], TSR_RIGHTS_ALL, 3), TSR_E_SLOT_OCCUPIED);
    CHECK(same(w, &s));
}

TEST(CAP0104, "copy from an empty slot or with NULL is refused, nothing changes")
{
    struct world *w = new_world();
    struct snap s;
    take(w, &s);
    CHECK_EQ(cap_copy(&w->root[10], &w->root[11], TSR_RIGHTS_ALL), TSR_E_INVALID_CAPABILITY);
    CHECK_EQ(cap_mint(&w->root[10], &w->root[11], TSR_RIGHTS_ALL, 1), TSR_E_INVALID_CAPABILITY);
    CHECK_EQ(cap_copy(NULL, &w->root[11], TSR_RIGHTS_ALL), TSR_E_INVALID_ARGUMENT);
    CHECK_EQ(cap_copy(&w->root[0], NULL, TSR_RIGHTS_ALL), TSR_E_INVALID_ARGUMENT);
    CHECK(same(w, &s));
}

TEST(CAP0105, "zombies, IRQ control, ASID control and untyped cannot be copied or minted")
{
    struct world *w = new_world();
    CHECK_EQ(retype_into(w, 1, TSR_OBJ_CNODE, 2, 5), TSR_OK);
    CHECK_EQ(retype_into(w, 1, TSR_OBJ_ENDPOINT, 0, 6), TSR_OK);
    CHECK_EQ(cap_move(&w->root[6], slots_of(&w->root[5].cap) + 1), TSR_OK);
    unsigned budget = 1;
    CHECK_EQ(cap_delete(&w->root[5], &budget), TSR_E_PREEMPTED);
    CHECK_EQ(w->root[5].cap.type, CAP_ZOMBIE);
    struct snap s;
    take(w, &s);
    unsigned from[] = {5, 3, 4, 0};
    for (unsigned i = 0; i < 4; i++) {
        CHECK_EQ(cap_copy(&w->root[from[i]], &w->root[20], TSR_RIGHTS_ALL),
                 TSR_E_INVALID_CAPABILITY);
        CHECK_EQ(cap_mint(&w->root[from[i]], &w->root[20], TSR_RIGHTS_ALL, 0),
                 TSR_E_INVALID_CAPABILITY);
        CHECK_EQ(cap_mint_guard(&w->root[from[i]], &w->root[20], TSR_RIGHTS_ALL, 0, 0),
                 TSR_E_INVALID_CAPABILITY);
    }
    CHECK(same(w, &s));
    CHECK_EQ(del(&w->root[5]), TSR_OK);
    CHECK_WORLD(w);
}

TEST(CAP0106, "a copy is a non-revocable child placed right after its source")
{
    struct world *w = with_ep(5);
    CHECK(w);
    CHECK_EQ(cap_copy(&w->root[5], &w->root[6], TSR_RIGHTS_ALL), TSR_OK);
    CHECK(w->root[5].mdb.next == &w->root[6]);
    CHECK(w->root[6].mdb.prev == &w->root[5]);
    CHECK(!w->root[6].mdb.revocable);
    CHECK(!w->root[6].mdb.first_badged);
    CHECK(w->root[5].mdb.revocable);
    CHECK_EQ(w->root[6].cap.object, w->root[5].cap.object);
    CHECK_WORLD(w);
}

TEST(CAP0107, "the copy of a mapped frame is unmapped; the source keeps it")
{
    struct world *w = new_world();
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_FRAME_4K, 0, 5), TSR_OK);
    w->root[5].cap.w0 = 0x400000;
    w->root[5].cap.w1 = 7;
    CHECK_EQ(cap_copy(&w->root[5], &w->root[7], TSR_RIGHTS_ALL), TSR_OK);
    CHECK_EQ(w->root[7].cap.w0, 0);
    CHECK_EQ(w->root[7].cap.w1, 0);
    CHECK_EQ(w->root[7].cap.size_bits, TSR_PAGE_BITS);
    CHECK_EQ(w->root[5].cap.w1, 7);
    CHECK(!cap_is_final(&w->root[5]));
    /* Deleting the mapped copy source reports the mapping, not final. */
    CHECK_EQ(del(&w->root[5]), TSR_OK);
    CHECK_EQ(mock.last_removed.w1, 7);
    CHECK(!mock.last_removed_final);
    CHECK_WORLD(w);
}

TEST(CAP0114, "page tables, and VSpaces without an ASID, are never copied")
{
    struct world *w = new_world();
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_PAGE_TABLE, 0, 5), TSR_OK);
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_VSPACE, 0, 6), TSR_OK);
    /* One capability per table is what keeps a table linked only once. */
    CHECK_EQ(cap_copy(&w->root[5], &w->root[7], TSR_RIGHTS_ALL), TSR_E_INVALID_CAPABILITY);
    CHECK_EQ(cap_mint(&w->root[5], &w->root[7], TSR_RIGHTS_ALL, 0), TSR_E_INVALID_CAPABILITY);
    /* A VSpace's copies share its ASID, so none before it has one. */
    CHECK_EQ(cap_copy(&w->root[6], &w->root[7], TSR_RIGHTS_ALL), TSR_E_INVALID_CAPABILITY);
    w->root[6].cap.w0 = 42;
    CHECK_EQ(cap_copy(&w->root[6], &w->root[7], TSR_RIGHTS_ALL), TSR_OK);
    CHECK_EQ(w->root[7].cap.w0, 42);
    /* Moving is fine: still one capability. */
    CHECK_EQ(cap_move(&w->root[5], &w->root[8]), TSR_OK);
    CHECK_WORLD(w);
}

TEST(CAP0108, "mint sets a badge: revocable, first_badged, child of the original")
{
    struct world *w = with_ep(5);
    CHECK(w);
    CHECK_EQ(cap_mint(&w->root[5], &w->root[6], TSR_RIGHT_WRITE, 42), TSR_OK);
    CHECK_EQ(w->root[6].cap.w0, 42);
    CHECK_EQ(w->root[6].cap.rights, TSR_RIGHT_WRITE);
    CHECK(w->root[6].mdb.revocable && w->root[6].mdb.first_badged);
    CHECK(cap_mdb_is_parent(&w->root[5], &w->root[6]));
    /* A notification too. */
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_NOTIFICATION, 0, 7), TSR_OK);
    CHECK_EQ(cap_mint(&w->root[7], &w->root[8], TSR_RIGHTS_ALL, 1), TSR_OK);
    CHECK_EQ(w->root[8].cap.w0, 1);
    CHECK_WORLD(w);
}

TEST(CAP0109, "a badge only on unbadged endpoints/notifications: else ILLEGAL_OPERATION")
{
    struct world *w = with_ep(5);
    CHECK(w);
    CHECK_EQ(cap_mint(&w->root[5], &w->root[6], TSR_RIGHTS_ALL, 42), TSR_OK);
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_FRAME_4K, 0, 7), TSR_OK);
    struct snap s;
    take(w, &s);
    CHECK_EQ(cap_mint(&w->root[6], &w->root[8], TSR_RIGHTS_ALL, 43), TSR_E_ILLEGAL_OPERATION);
    CHECK_EQ(cap_mint(&w->root[6], &w->root[8], TSR_RIGHTS_ALL, 42), TSR_E_ILLEGAL_OPERATION);
    CHECK_EQ(cap_mint(&w->root[7], &w->root[8], TSR_RIGHTS_ALL, 1), TSR_E_ILLEGAL_OPERATION);
    CHECK(same(w, &s));
}

TEST(CAP0110, "mint with badge 0 is a plain copy and keeps an existing badge")
{
    struct world *w = with_ep(5);
    CHECK(w);
    CHECK_EQ(cap_mint(&w->root[5], &w->root[6], TSR_RIGHTS_ALL, 42), TSR_OK);
    CHECK_EQ(cap_mint(&w->root[6], &w->root[7], TSR_RIGHT_READ, 0), TSR_OK);
    CHECK_EQ(w->root[7].cap.w0, 42);
    CHECK(!w->root[7].mdb.revocable);
    CHECK(cap_mdb_is_parent(&w->root[6], &w->root[7]));
}

TEST(CAP0111, "revoking a badged cap removes its copies only")
{
    struct world *w = with_ep(5);
    CHECK(w);
    CHECK_EQ(cap_copy(&w->root[5], &w->root[6], TSR_RIGHTS_ALL), TSR_OK);     /* unbadged */
    CHECK_EQ(cap_mint(&w->root[5], &w->root[7], TSR_RIGHTS_ALL, 1), TSR_OK);  /* badge 1 */
    CHECK_EQ(cap_mint(&w->root[5], &w->root[8], TSR_RIGHTS_ALL, 2), TSR_OK);  /* badge 2 */
    CHECK_EQ(cap_copy(&w->root[7], &w->root[9], TSR_RIGHTS_ALL), TSR_OK);
    CHECK_EQ(cap_copy(&w->root[9], &w->root[10], TSR_RIGHTS_ALL), TSR_OK);
    CHECK_EQ(cap_copy(&w->root[8], &w->root[11], TSR_RIGHTS_ALL), TSR_OK);
    CHECK_EQ(rev(&w->root[7]), TSR_OK);
    CHECK_EQ(w->root[9].cap.type, CAP_NULL);
    CHECK_EQ(w->root[10].cap.type, CAP_NULL);
    CHECK_EQ(w->root[7].cap.w0, 1);
    CHECK_EQ(w->root[11].cap.w0, 2);
    CHECK_EQ(w->root[6].cap.type, CAP_ENDPOINT);
    CHECK_EQ(w->root[8].cap.type, CAP_ENDPOINT);
    CHECK(!mock.last_removed_final);
    CHECK(inst_of(&w->root[5].cap) != NULL);
    CHECK_WORLD(w);
}

TEST(CAP0112, "revoking the unbadged original removes every badged and unbadged copy")
{
    struct world *w = with_ep(5);
    CHECK(w);
    CHECK_EQ(cap_mint(&w->root[5], &w->root[6], TSR_RIGHTS_ALL, 1), TSR_OK);
    CHECK_EQ(cap_copy(&w->root[6], &w->root[7], TSR_RIGHTS_ALL), TSR_OK);
    CHECK_EQ(cap_copy(&w->root[5], &w->root[8], TSR_RIGHTS_ALL), TSR_OK);
    CHECK_EQ(rev(&w->root[5]), TSR_OK);
    for (unsigned i = 6; i <= 8; i++)
        CHECK_EQ(w->root[i].cap.type, CAP_NULL);
    CHECK(!cap_has_children(&w->root[5]));
    CHECK(inst_of(&w->root[5].cap) != NULL);
    CHECK_WORLD(w);
}

TEST(CAP0113, "copies of a deleted badged original are not adopted by another original")
{
    struct world *w = with_ep(5);
    CHECK(w);
    CHECK_EQ(cap_mint(&w->root[5], &w->root[6], TSR_RIGHTS_ALL, 5), TSR_OK); /* A */
    CHECK_EQ(cap_copy(&w->root[6], &w->root[7], TSR_RIGHTS_ALL), TSR_OK);    /* A's copy */
    CHECK_EQ(cap_mint(&w->root[5], &w->root[8], TSR_RIGHTS_ALL, 5), TSR_OK); /* B, before A */
    CHECK(w->root[8].mdb.next == &w->root[6]);
    CHECK_EQ(del(&w->root[6]), TSR_OK);
    CHECK(w->root[7].mdb.first_badged); /* inherited */
    CHECK(!cap_has_children(&w->root[8]));
    CHECK_EQ(rev(&w->root[8]), TSR_OK);
    CHECK_EQ(w->root[7].cap.type, CAP_ENDPOINT);
    CHECK_WORLD(w);
}

/* ---- move, mutate, guards ------------------------------------------------------- */

TEST(CAP0201, "move keeps the capability's place in the tree and empties the source")
{
    struct world *w = with_ep(5);
    CHECK(w);
    CHECK_EQ(cap_copy(&w->root[5], &w->root[6], TSR_RIGHTS_ALL), TSR_OK);
    struct cte *prev = w->root[5].mdb.prev;
    CHECK_EQ(cap_move(&w->root[5], &w->root[20]), TSR_OK);
    CHECK_EQ(w->root[5].cap.type, CAP_NULL);
    CHECK(w->root[5].mdb.next == NULL && w->root[5].mdb.prev == NULL);
    CHECK(w->root[20].mdb.prev == prev);
    CHECK(prev->mdb.next == &w->root[20]);
    CHECK(w->root[20].mdb.next == &w->root[6]);
    CHECK(w->root[6].mdb.prev == &w->root[20]);
    CHECK(cap_mdb_is_parent(&w->root[20], &w->root[6]));
    CHECK(w->root[20].mdb.revocable);
    CHECK_WORLD(w);
}

TEST(CAP0202, "move refuses NULL, an empty or zombie source, an occupied destination")
{
    struct world *w = with_ep(5);
    CHECK(w);
    CHECK_EQ(retype_into(w, 1, TSR_OBJ_TCB, 0, 6), TSR_OK);
    unsigned budget = 1;
    CHECK_EQ(cap_delete(&w->root[6], &budget), TSR_E_PREEMPTED); /* now a zombie */
    struct snap s;
    take(w, &s);
    CHECK_EQ(cap_move(NULL, &w->root[9]), TSR_E_INVALID_ARGUMENT);
    CHECK_EQ(cap_move(&w->root[5], NULL), TSR_E_INVALID_ARGUMENT);
    CHECK_EQ(cap_move(&w->root[10], &w->root[9]), TSR_E_INVALID_CAPABILITY);
    CHECK_EQ(cap_move(&w->root[6], &w->root[9]), TSR_E_INVALID_CAPABILITY);
    CHECK_EQ(cap_mutate(&w->root[6], &w->root[9], TSR_RIGHTS_ALL, 0), TSR_E_INVALID_CAPABILITY);
    CHECK_EQ(cap_move(&w->root[5], &w->root[0]), TSR_E_SLOT_OCCUPIED);
    CHECK_EQ(cap_move(&w->root[5], &w->root[5]), TSR_E_SLOT_OCCUPIED);
    CHECK_EQ(cap_mutate(&w->root[5], &w->root[5], 0, 0), TSR_E_SLOT_OCCUPIED);
    CHECK(same(w, &s));
    CHECK_EQ(del(&w->root[6]), TSR_OK);
}

TEST(CAP0203, "control capabilities and untypeds can be moved")
{
    struct world *w = new_world();
    CHECK_EQ(cap_move(&w->root[3], &w->root[20]), TSR_OK);
    CHECK_EQ(cap_move(&w->root[4], &w->root[21]), TSR_OK);
    CHECK_EQ(cap_move(&w->root[0], &w->root[22]), TSR_OK);
    CHECK_EQ(w->root[20].cap.type, CAP_IRQ_CONTROL);
    CHECK_EQ(w->root[21].cap.type, CAP_ASID_CONTROL);
    CHECK_EQ(untyped_retype(&w->root[22], TSR_OBJ_ENDPOINT, 0, &w->root[23], 1), TSR_OK);
    CHECK(cap_mdb_is_parent(&w->root[22], &w->root[23]));
    CHECK_WORLD(w);
}

TEST(CAP0204, "mutate moves and reduces rights; badge 0 keeps an existing badge")
{
    struct world *w = with_ep(5);
    CHECK(w);
    CHECK_EQ(cap_mint(&w->root[5], &w->root[6], TSR_RIGHTS_ALL, 9), TSR_OK);
    CHECK_EQ(cap_mutate(&w->root[6], &w->root[7], TSR_RIGHT_READ | TSR_RIGHT_WRITE, 0), TSR_OK);
    CHECK_EQ(w->root[6].cap.type, CAP_NULL);
    CHECK_EQ(w->root[7].cap.rights, TSR_RIGHT_READ | TSR_RIGHT_WRITE);
    CHECK_EQ(w->root[7].cap.w0, 9);
    CHECK(w->root[7].mdb.revocable && w->root[7].mdb.first_badged);
    CHECK_EQ(cap_mutate(&w->root[7], &w->root[8], TSR_RIGHTS_ALL, 0), TSR_OK);
    CHECK_EQ(w->root[8].cap.rights, TSR_RIGHT_READ | TSR_RIGHT_WRITE);
    CHECK_WORLD(w);
}

TEST(CAP0205, "mutate sets a badge on an unbadged original without children")
{
    struct world *w = with_ep(5);
    CHECK(w);
    CHECK_EQ(cap_mutate(&w->root[5], &w->root[6], TSR_RIGHTS_ALL, 77), TSR_OK);
    CHECK_EQ(w->root[6].cap.w0, 77);
    CHECK(w->root[6].mdb.revocable && w->root[6].mdb.first_badged);
    CHECK_EQ(cap_copy(&w->root[6], &w->root[7], TSR_RIGHTS_ALL), TSR_OK);
    CHECK(cap_mdb_is_parent(&w->root[6], &w->root[7]));
    CHECK_EQ(rev(&w->root[6]), TSR_OK);
    CHECK_EQ(w->root[7].cap.type, CAP_NULL);
    CHECK_WORLD(w);
}

TEST(CAP0206, "mutate badge errors: badged, not original, not badgeable, has children")
{
    struct world *w = with_ep(5);
    CHECK(w);
    CHECK_EQ(cap_mint(&w->root[5], &w->root[6], TSR_RIGHTS_ALL, 3), TSR_OK);
    CHECK_EQ(cap_copy(&w->root[5], &w->root[7], TSR_RIGHTS_ALL), TSR_OK);
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_FRAME_4K, 0, 8), TSR_OK);
    struct snap s;
    take(w, &s);
    CHECK_EQ(cap_mutate(&w->root[6], &w->root[20], TSR_RIGHTS_ALL, 4), TSR_E_ILLEGAL_OPERATION);
    CHECK_EQ(cap_mutate(&w->root[7], &w->root[20], TSR_RIGHTS_ALL, 4), TSR_E_ILLEGAL_OPERATION);
    CHECK_EQ(cap_mutate(&w->root[8], &w->root[20], TSR_RIGHTS_ALL, 4), TSR_E_ILLEGAL_OPERATION);
    CHECK_EQ(cap_mutate(&w->root[5], &w->root[20], TSR_RIGHTS_ALL, 4), TSR_E_REVOKE_FIRST);
    CHECK_EQ(cap_mutate(&w->root[5], &w->root[6], TSR_RIGHTS_ALL, 4), TSR_E_SLOT_OCCUPIED);
    CHECK(same(w, &s));
}

TEST(CAP0207, "guards: mint_guard and mutate_guard set them, and check their arguments")
{
    struct world *w = new_world();
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_CNODE, 4, 5), TSR_OK);
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_ENDPOINT, 0, 6), TSR_OK);
    CHECK_EQ(cap_mint_guard(&w->root[5], &w->root[7], TSR_RIGHT_READ, 0x2a, 6), TSR_OK);
    CHECK_EQ(w->root[7].cap.w0, 0x2a);
    CHECK_EQ(w->root[7].cap.w1, 6);
    CHECK_EQ(w->root[7].cap.rights, TSR_RIGHT_READ);
    CHECK(!w->root[7].mdb.revocable);
    CHECK(cap_same_object(&w->root[5].cap, &w->root[7].cap));
    struct snap s;
    take(w, &s);
    CHECK_EQ(cap_mint_guard(&w->root[6], &w->root[8], TSR_RIGHTS_ALL, 0, 1),
             TSR_E_INVALID_CAPABILITY);
    CHECK_EQ(cap_mint_guard(&w->root[5], &w->root[8], TSR_RIGHTS_ALL, 0, 61),
             TSR_E_INVALID_ARGUMENT); /* 61 + radix 4 > 64 */
    CHECK_EQ(cap_mint_guard(&w->root[5], &w->root[8], TSR_RIGHTS_ALL, 4, 2),
             TSR_E_INVALID_ARGUMENT); /* guard wider than its bits */
    CHECK_EQ(cap_mutate_guard(&w->root[5], &w->root[8], TSR_RIGHTS_ALL, 1, 0),
             TSR_E_INVALID_ARGUMENT);
    CHECK_EQ(cap_mutate_guard(&w->root[5], &w->root[7], TSR_RIGHTS_ALL, 0, 0),
             TSR_E_SLOT_OCCUPIED);
    CHECK(same(w, &s));
    CHECK_EQ(cap_mutate_guard(&w->root[5], &w->root[8], TSR_RIGHTS_ALL, 3, 60), TSR_OK);
    CHECK_EQ(w->root[8].cap.w1, 60);
    CHECK(w->root[8].mdb.revocable);
    CHECK_WORLD(w);
}

/* ---- delete and revoke --------------------------------------------------------------- */

TEST(CAP0301, "deleting a non-final cap does not tear the object down")
{
    struct world *w = new_world();
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_TCB, 0, 5), TSR_OK);
    CHECK_EQ(cap_copy(&w->root[5], &w->root[6], TSR_RIGHTS_ALL), TSR_OK);
    mock_reset_counts();
    CHECK_EQ(del(&w->root[5]), TSR_OK);
    CHECK_EQ(mock.removed_calls, 1);
    CHECK_EQ(mock.final_calls, 0);
    CHECK_EQ(mock.dying_calls, 0);
    struct mock_instance *m = inst_of(&w->root[6].cap);
    CHECK(m && m->alive && m->nonfinal_calls == 1);
    CHECK_WORLD(w);
}

TEST(CAP0302, "deleting the final cap tears the object down exactly once")
{
    struct world *w = new_world();
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_NOTIFICATION, 0, 5), TSR_OK);
    struct mock_instance *m = inst_of(&w->root[5].cap);
    CHECK(m);
    CHECK_EQ(del(&w->root[5]), TSR_OK);
    CHECK(!m->alive);
    CHECK_EQ(m->final_calls, 1);
    CHECK(mock.last_removed_final);
    CHECK_EQ(mock.last_removed.type, CAP_NOTIFICATION);
    CHECK_EQ(del(&w->root[5]), TSR_OK); /* empty now */
    CHECK_EQ(m->final_calls, 1);
    CHECK_WORLD(w);
}

TEST(CAP0303, "delete and revoke: empty slot is OK, NULL is INVALID_ARGUMENT, budget 0 preempts")
{
    struct world *w = with_ep(5);
    CHECK(w);
    mock_reset_counts();
    CHECK_EQ(del(&w->root[10]), TSR_OK);
    CHECK_EQ(rev(&w->root[10]), TSR_OK);
    CHECK_EQ(mock.removed_calls, 0);
    unsigned b = 0;
    CHECK_EQ(cap_delete(NULL, &b), TSR_E_INVALID_ARGUMENT);
    CHECK_EQ(cap_delete(&w->root[5], NULL), TSR_E_INVALID_ARGUMENT);
    CHECK_EQ(cap_revoke(NULL, &b), TSR_E_INVALID_ARGUMENT);
    CHECK_EQ(cap_delete(&w->root[5], &b), TSR_E_PREEMPTED);
    CHECK_EQ(w->root[5].cap.type, CAP_ENDPOINT);
    CHECK_EQ(cap_revoke(&w->root[0], &b), TSR_E_PREEMPTED);
    CHECK_EQ(w->root[5].cap.type, CAP_ENDPOINT);
    CHECK_EQ(cap_revoke(&w->root[5], &b), TSR_OK); /* no children: nothing to do */
    CHECK_EQ(mock.removed_calls, 0);
}

TEST(CAP0304, "revoke removes every descendant and keeps the capability")
{
    struct world *w = new_world();
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_ENDPOINT, 0, 5), TSR_OK);
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_FRAME_4K, 0, 6), TSR_OK);
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_UNTYPED, TSR_TCB_BITS, 7), TSR_OK);
    CHECK_EQ(untyped_retype(&w->root[7], TSR_OBJ_TCB, 0, &w->root[8], 1), TSR_OK);
    CHECK_EQ(cap_copy(&w->root[5], &w->root[9], TSR_RIGHTS_ALL), TSR_OK);
    CHECK_EQ(retype_into(w, 1, TSR_OBJ_ENDPOINT, 0, 10), TSR_OK); /* other untyped */
    CHECK_EQ(rev(&w->root[0]), TSR_OK);
    for (unsigned i = 5; i <= 9; i++)
        CHECK_EQ(w->root[i].cap.type, CAP_NULL);
    CHECK_EQ(w->root[10].cap.type, CAP_ENDPOINT);
    CHECK_EQ(w->root[0].cap.type, CAP_UNTYPED);
    CHECK(!cap_has_children(&w->root[0]));
    CHECK_WORLD(w);
}

TEST(CAP0305, "a small budget preempts revoke; calling again finishes it")
{
    struct world *w = new_world();
    CHECK_EQ(untyped_retype(&w->root[0], TSR_OBJ_ENDPOINT, 0, &w->root[5], 20), TSR_OK);
    unsigned calls = 0;
    tsr_error_t err;
    do {
        unsigned b = 3;
        err = cap_revoke(&w->root[0], &b);
        calls++;
        CHECK_WORLD(w);
    } while (err == TSR_E_PREEMPTED && calls < 100);
    CHECK_EQ(err, TSR_OK);
    CHECK_EQ(calls, 7); /* 20 deletions, 3 per call */
    CHECK(!cap_has_children(&w->root[0]));
}

TEST(CAP0306, "deleting a CNode with contents: a zombie counts down, contents torn down")
{
    struct world *w = new_world();
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_CNODE, 2, 5), TSR_OK);
    struct cte *a = slots_of(&w->root[5].cap);
    CHECK_EQ(untyped_retype(&w->root[0], TSR_OBJ_ENDPOINT, 0, a, 4), TSR_OK);
    CHECK_EQ(cap_copy(&a[1], &w->root[9], TSR_RIGHTS_ALL), TSR_OK); /* survives */
    unsigned calls = 0;
    tsr_error_t err;
    do {
        unsigned b = 1;
        err = cap_delete(&w->root[5], &b);
        if (err == TSR_E_PREEMPTED) {
            CHECK_EQ(w->root[5].cap.type, CAP_ZOMBIE);
            CHECK_EQ(w->root[5].cap.w1, CAP_CNODE);
        }
        calls++;
        CHECK_WORLD(w);
    } while (err == TSR_E_PREEMPTED && calls < 100);
    CHECK_EQ(err, TSR_OK);
    CHECK_EQ(calls, 6); /* zombify, four slots, tear down */
    CHECK_EQ(w->root[9].cap.type, CAP_ENDPOINT);
    CHECK(inst_of(&w->root[9].cap) != NULL);
    unsigned dead = 0;
    for (unsigned i = 0; i < mock.ninst; i++)
        dead += !mock.inst[i].alive && mock.inst[i].final_calls == 1;
    CHECK_EQ(dead, 4); /* the CNode and three endpoints */
}

TEST(CAP0307, "deleting an untyped cap leaves its objects alive and covered")
{
    struct world *w = new_world();
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_UNTYPED, 12, 5), TSR_OK);
    CHECK_EQ(untyped_retype(&w->root[5], TSR_OBJ_ENDPOINT, 0, &w->root[6], 1), TSR_OK);
    mock_reset_counts();
    CHECK_EQ(del(&w->root[5]), TSR_OK);
    CHECK_EQ(mock.untyped_removed, 1);
    CHECK(inst_of(&w->root[6].cap) != NULL);
    CHECK(cap_mdb_is_parent(&w->root[0], &w->root[6]));
    CHECK_WORLD(w);
    /* The outer untyped still cannot reuse the memory. */
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_ENDPOINT, 0, 7), TSR_OK);
    CHECK(w->root[7].cap.object >= w->root[0].cap.object + 4096);
    CHECK_WORLD(w);
}

TEST(CAP0308, "revoke stops when a deletion takes the revoked capability itself")
{
    /* The untyped's capability sits inside a CNode made from it, whose only
     * capability is also inside: revoking the untyped deletes that CNode,
     * and with it the untyped's own slot. */
    struct world *w = new_world();
    CHECK_EQ(retype_into(w, 1, TSR_OBJ_UNTYPED, 12, 5), TSR_OK);
    CHECK_EQ(untyped_retype(&w->root[5], TSR_OBJ_CNODE, 2, &w->root[6], 1), TSR_OK);
    CHECK_EQ(untyped_retype(&w->root[5], TSR_OBJ_ENDPOINT, 0, &w->root[7], 1), TSR_OK);
    struct cte *a = slots_of(&w->root[6].cap);
    CHECK_EQ(cap_move(&w->root[5], &a[1]), TSR_OK);
    CHECK_EQ(cap_copy(&w->root[6], &a[2], TSR_RIGHTS_ALL), TSR_OK);
    CHECK_EQ(del(&w->root[6]), TSR_OK); /* not final: a[2] remains */
    CHECK_WORLD(w);
    unsigned calls = 0;
    tsr_error_t err;
    do {
        unsigned b = 2;
        err = cap_revoke(&a[1], &b);
        calls++;
        CHECK_WORLD(w);
    } while (err == TSR_E_PREEMPTED && calls < 1000);
    CHECK_EQ(err, TSR_OK);
    /* The outer untyped can account for everything: revoke it, all gone. */
    CHECK_EQ(rev(&w->root[1]), TSR_OK);
    for (unsigned i = 0; i < mock.ninst; i++)
        CHECK(!mock.inst[i].alive || mock.inst[i].boot);
    CHECK_WORLD(w);
}
