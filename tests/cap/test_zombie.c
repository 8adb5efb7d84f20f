/* SPDX-License-Identifier: MIT */
/* Zombie tests (CAP10xx): deleting objects that hold slots — deep chains,
 * CNodes holding capabilities to themselves or to each other, TCBs holding
 * the last capability to a CNode — with tiny budgets, checking every
 * invariant after each preempted call, that every object is torn down
 * exactly once with its slots empty (the mock checks this at the teardown),
 * and that the stack used does not grow with the nesting depth. */
#include <string.h>

#include "test.h"

/* Two 64 KiB untypeds: enough for 256 small CNodes and a 256-slot holder. */
static struct world *big_world(void)
{
    struct world_config cfg = {.root_radix = 5, .nut = 2, .ut = {{16, false}, {16, false}}};
    return new_world_cfg(&cfg);
}

static unsigned live_of_type(uint8_t type)
{
    unsigned n = 0;
    for (unsigned i = 0; i < mock.ninst; i++)
        n += mock.inst[i].alive && !mock.inst[i].boot && mock.inst[i].type == type;
    return n;
}

/* Every dead instance was torn down exactly once, after one dying call if it
 * holds slots; returns how many are dead. */
static unsigned dead_ok(bool *ok)
{
    unsigned dead = 0;
    *ok = true;
    for (unsigned i = 0; i < mock.ninst; i++) {
        struct mock_instance *m = &mock.inst[i];
        if (m->alive)
            continue;
        dead++;
        if (m->final_calls != 1)
            *ok = false;
        if ((m->type == CAP_CNODE || m->type == CAP_TCB) && m->dying_calls != 1)
            *ok = false;
    }
    return dead;
}

/* Build a chain of n radix-1 CNodes from untyped 0, each holding the only
 * capability to the next in slot `link` (and an endpoint in the other slot
 * if `fill`); the first one's capability ends in root slot 6. The holder
 * CNode (untyped 1) stays in root slot 5, empty. */
static bool build_chain(struct world *w, unsigned n, unsigned link, bool fill)
{
    if (retype_into(w, 1, TSR_OBJ_CNODE, 8, 5) != TSR_OK)
        return false;
    struct cte *h = slots_of(&w->root[5].cap);
    if (untyped_retype(&w->root[0], TSR_OBJ_CNODE, 1, h, n) != TSR_OK)
        return false;
    for (unsigned i = n - 1; i-- > 0;) {
        struct cte *c = slots_of(&h[i].cap);
        if (cap_move(&h[i + 1], &c[link]) != TSR_OK)
            return false;
        if (fill && untyped_retype(&w->root[0], TSR_OBJ_ENDPOINT, 0, &c[1 - link], 1) != TSR_OK)
            return false;
    }
    return cap_move(&h[0], &w->root[6]) == TSR_OK;
}

/* Delete with `budget` per call until done, checking the world after every
 * call; returns the number of calls (0 on failure). */
static unsigned delete_checked(struct world *w, struct cte *slot, unsigned budget, bool revoke,
                               char *why, size_t len)
{
    for (unsigned calls = 1; calls < 1000000; calls++) {
        unsigned b = budget;
        tsr_error_t err = revoke ? cap_revoke(slot, &b) : cap_delete(slot, &b);
        if (!world_check(w, why, len))
            return 0;
        if (err == TSR_OK)
            return calls;
        if (err != TSR_E_PREEMPTED) {
            snprintf(why, len, "error %d", err);
            return 0;
        }
        if (b != 0) {
            snprintf(why, len, "preempted with budget left");
            return 0;
        }
    }
    snprintf(why, len, "no progress");
    return 0;
}

#define DELETE_CHECKED(w, slot, budget, revoke)                                             \
    ({                                                                                      \
        char why_[400] = "";                                                                \
        unsigned calls_ = delete_checked((w), (slot), (budget), (revoke), why_, sizeof why_); \
        if (!calls_)                                                                        \
            test_fail(__FILE__, __LINE__, "deletion failed: %s", why_);                     \
        calls_;                                                                             \
    })

static void chain_case(unsigned n, unsigned link, bool fill, unsigned budget)
{
    struct world *w = big_world();
    CHECK(build_chain(w, n, link, fill));
    CHECK_WORLD(w);
    CHECK_EQ(live_of_type(CAP_CNODE), n + 1);
    unsigned calls = DELETE_CHECKED(w, &w->root[6], budget, false);
    if (!calls)
        return;
    CHECK(calls > 1);
    CHECK_EQ(w->root[6].cap.type, CAP_NULL);
    CHECK_EQ(live_of_type(CAP_CNODE), 1); /* the holder */
    CHECK_EQ(live_of_type(CAP_ENDPOINT), 0);
    bool ok;
    CHECK_EQ(dead_ok(&ok), fill ? 2 * n - 1 : n);
    CHECK(ok);
    CHECK(!cap_has_children(&w->root[0]));
}

TEST(CAP1001, "a chain of 200 CNodes deleted with budget 1: each torn down once")
{
    chain_case(200, 1, false, 1);
}

TEST(CAP1002, "a chain of 200 CNodes linked through slot 0, with endpoints, budget 3")
{
    chain_case(200, 0, true, 3);
}

TEST(CAP1003, "a chain of 256 CNodes with endpoints, budget 2, links in slot 1")
{
    chain_case(256, 1, true, 2);
}

TEST(CAP1004, "stack use does not grow with the nesting depth")
{
    uintptr_t used[2];
    unsigned depth[2] = {2, 250};
    for (int k = 0; k < 2; k++) {
        struct world *w = big_world();
        CHECK(build_chain(w, depth[k], 1, false));
        uintptr_t top = (uintptr_t)__builtin_frame_address(0);
        mock.stack_low = 0;
        CHECK_EQ(del(&w->root[6]), TSR_OK);
        CHECK(mock.stack_low != 0 && mock.stack_low < top);
        used[k] = top - mock.stack_low;
    }
    CHECK(used[1] <= used[0]);
}

TEST(CAP1005, "a CNode holding a capability to itself: garbage until its untyped is revoked")
{
    struct world *w = new_world();
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_CNODE, 2, 5), TSR_OK);
    struct cte *a = slots_of(&w->root[5].cap);
    CHECK_EQ(cap_copy(&w->root[5], &a[1], TSR_RIGHTS_ALL), TSR_OK);
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_ENDPOINT, 0, 6), TSR_OK);
    CHECK_EQ(cap_move(&w->root[6], &a[3]), TSR_OK);
    CHECK_EQ(del(&w->root[5]), TSR_OK); /* not final: a[1] remains */
    CHECK_EQ(live_of_type(CAP_CNODE), 1);
    CHECK_WORLD(w);
    if (!DELETE_CHECKED(w, &w->root[0], 1, true))
        return;
    CHECK_EQ(live_of_type(CAP_CNODE), 0);
    CHECK_EQ(live_of_type(CAP_ENDPOINT), 0);
    bool ok;
    CHECK_EQ(dead_ok(&ok), 2);
    CHECK(ok);
    CHECK(!cap_has_children(&w->root[0]));
}

TEST(CAP1006, "deleting a CNode's own capability from inside it (the slot is in the object)")
{
    for (unsigned budget = 1; budget <= 3; budget++) {
        struct world *w = new_world();
        CHECK_EQ(retype_into(w, 0, TSR_OBJ_CNODE, 3, 5), TSR_OK);
        struct cte *a = slots_of(&w->root[5].cap);
        CHECK_EQ(cap_move(&w->root[5], &a[5]), TSR_OK); /* its only capability, inside */
        CHECK_EQ(untyped_retype(&w->root[0], TSR_OBJ_NOTIFICATION, 0, &a[6], 2), TSR_OK);
        CHECK_EQ(untyped_retype(&w->root[0], TSR_OBJ_ENDPOINT, 0, &a[0], 2), TSR_OK);
        CHECK_WORLD(w);
        if (!DELETE_CHECKED(w, &a[5], budget, false))
            return;
        bool ok;
        CHECK_EQ(dead_ok(&ok), 5);
        CHECK(ok);
        CHECK(!cap_has_children(&w->root[0]));
    }
}

/* A and B hold the only capabilities to each other; A also holds an endpoint
 * and B a third CNode with a TCB in it. */
static bool build_pair(struct world *w, struct cte **pa, struct cte **pb)
{
    if (retype_into(w, 0, TSR_OBJ_CNODE, 2, 5) || retype_into(w, 0, TSR_OBJ_CNODE, 2, 6) ||
        retype_into(w, 0, TSR_OBJ_CNODE, 1, 7) || retype_into(w, 0, TSR_OBJ_TCB, 0, 8) ||
        retype_into(w, 0, TSR_OBJ_ENDPOINT, 0, 9))
        return false;
    struct cte *a = slots_of(&w->root[5].cap), *b = slots_of(&w->root[6].cap);
    struct cte *c = slots_of(&w->root[7].cap);
    *pa = a;
    *pb = b;
    return cap_move(&w->root[8], &c[1]) == TSR_OK && cap_move(&w->root[7], &b[3]) == TSR_OK &&
           cap_move(&w->root[9], &a[2]) == TSR_OK && cap_move(&w->root[6], &a[0]) == TSR_OK &&
           cap_move(&w->root[5], &b[1]) == TSR_OK;
}

TEST(CAP1007, "two CNodes holding each other: revoking their untyped frees both")
{
    struct world *w = new_world();
    struct cte *a, *b;
    CHECK(build_pair(w, &a, &b));
    CHECK_WORLD(w);
    if (!DELETE_CHECKED(w, &w->root[0], 1, true))
        return;
    bool ok;
    CHECK_EQ(dead_ok(&ok), 5);
    CHECK(ok);
}

TEST(CAP1008, "two CNodes holding each other, deleted from the slot inside either")
{
    for (int from_b = 0; from_b < 2; from_b++) {
        for (unsigned budget = 1; budget <= 4; budget++) {
            struct world *w = new_world();
            struct cte *a, *b;
            CHECK(build_pair(w, &a, &b));
            struct cte *root = from_b ? &b[1] : &a[0];
            if (!DELETE_CHECKED(w, root, budget, false))
                return;
            bool ok;
            CHECK_EQ(dead_ok(&ok), 5);
            CHECK(ok);
            CHECK(!cap_has_children(&w->root[0]));
        }
    }
}

TEST(CAP1009, "a TCB whose slot holds the last capability to a CNode")
{
    struct world *w = new_world();
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_TCB, 0, 5), TSR_OK);
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_CNODE, 1, 6), TSR_OK);
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_ENDPOINT, 0, 7), TSR_OK);
    struct cte *t = slots_of(&w->root[5].cap), *c = slots_of(&w->root[6].cap);
    CHECK_EQ(cap_move(&w->root[7], &c[0]), TSR_OK);
    CHECK_EQ(cap_copy(&w->boot[0], &t[1], TSR_RIGHTS_ALL), TSR_OK); /* a CSpace root copy */
    CHECK_EQ(cap_move(&w->root[6], &t[0]), TSR_OK);
    CHECK_WORLD(w);
    struct mock_instance *tcb = inst_of(&w->root[5].cap);
    CHECK(tcb);
    unsigned calls = DELETE_CHECKED(w, &w->root[5], 1, false);
    CHECK(calls > 1);
    CHECK_EQ(tcb->dying_calls, 1);
    CHECK_EQ(tcb->final_calls, 1);
    bool ok;
    CHECK_EQ(dead_ok(&ok), 3);
    CHECK(ok);
    CHECK_EQ(w->boot[0].cap.type, CAP_CNODE); /* the root CNode is untouched */
    CHECK(inst_of(&w->boot[0].cap) != NULL);
}

TEST(CAP1010, "a preempted delete, then a revoke of the untyped finishes everything")
{
    struct world *w = big_world();
    CHECK(build_chain(w, 30, 0, true));
    for (int i = 0; i < 7; i++) {
        unsigned b = 5;
        CHECK_EQ(cap_delete(&w->root[6], &b), TSR_E_PREEMPTED);
    }
    CHECK_WORLD(w);
    if (!DELETE_CHECKED(w, &w->root[0], 2, true))
        return;
    CHECK_EQ(live_of_type(CAP_CNODE), 1); /* the holder, from untyped 1 */
    CHECK_EQ(live_of_type(CAP_ENDPOINT), 0);
    if (!DELETE_CHECKED(w, &w->root[6], 1, false))
        return;
    CHECK_EQ(w->root[6].cap.type, CAP_NULL);
    bool ok;
    CHECK_EQ(dead_ok(&ok), 59);
    CHECK(ok);
}

TEST(CAP1011, "a zombie can only be deleted or revoked")
{
    struct world *w = new_world();
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_CNODE, 2, 5), TSR_OK);
    unsigned b = 1;
    CHECK_EQ(cap_delete(&w->root[5], &b), TSR_E_PREEMPTED);
    struct cte z = w->root[5];
    CHECK_EQ(z.cap.type, CAP_ZOMBIE);
    CHECK_EQ(z.cap.w0, 4);
    CHECK_EQ(cap_copy(&w->root[5], &w->root[6], TSR_RIGHTS_ALL), TSR_E_INVALID_CAPABILITY);
    CHECK_EQ(cap_mint(&w->root[5], &w->root[6], TSR_RIGHTS_ALL, 1), TSR_E_INVALID_CAPABILITY);
    CHECK_EQ(cap_move(&w->root[5], &w->root[6]), TSR_E_INVALID_CAPABILITY);
    CHECK_EQ(cap_mutate(&w->root[5], &w->root[6], TSR_RIGHTS_ALL, 0), TSR_E_INVALID_CAPABILITY);
    CHECK_EQ(cap_mutate_guard(&w->root[5], &w->root[6], TSR_RIGHTS_ALL, 0, 0),
             TSR_E_INVALID_CAPABILITY);
    CHECK_EQ(untyped_retype(&w->root[5], TSR_OBJ_ENDPOINT, 0, &w->root[6], 1),
             TSR_E_INVALID_CAPABILITY);
    CHECK_EQ(rev(&w->root[5]), TSR_OK);
    CHECK(memcmp(&z, &w->root[5], sizeof z) == 0);
    CHECK_EQ(w->root[6].cap.type, CAP_NULL);
    CHECK_EQ(del(&w->root[5]), TSR_OK);
    CHECK_WORLD(w);
}

TEST(CAP1012, "each step costs one unit: zombify, each slot, tear down")
{
    struct world *w = new_world();
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_CNODE, 2, 5), TSR_OK);
    unsigned b = 5;
    CHECK_EQ(cap_delete(&w->root[5], &b), TSR_E_PREEMPTED);
    CHECK_EQ(b, 0);
    CHECK_EQ(w->root[5].cap.w0, 0);
    b = 1;
    CHECK_EQ(cap_delete(&w->root[5], &b), TSR_OK);
    CHECK_EQ(b, 0);
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_CNODE, 2, 6), TSR_OK);
    b = 6;
    CHECK_EQ(cap_delete(&w->root[6], &b), TSR_OK);
    CHECK_EQ(b, 0);
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_ENDPOINT, 0, 7), TSR_OK);
    b = 1;
    CHECK_EQ(cap_delete(&w->root[7], &b), TSR_OK);
    CHECK_EQ(b, 0);
}

TEST(CAP1013, "a garbage ring of ten CNodes, deleted from inside the last one")
{
    for (unsigned budget = 1; budget <= 2; budget++) {
        struct world *w = big_world();
        CHECK(build_chain(w, 10, 1, true));
        /* The last CNode's free slot gets a copy of the first's capability,
         * then the outside capability goes: a ring nobody can reach. */
        struct cte *c = slots_of(&w->root[6].cap);
        for (int i = 0; i < 9; i++)
            c = slots_of(&c[1].cap);
        CHECK_EQ(del(&c[0]), TSR_OK);
        CHECK_EQ(cap_copy(&w->root[6], &c[0], TSR_RIGHTS_ALL), TSR_OK);
        CHECK_EQ(del(&w->root[6]), TSR_OK);
        CHECK_EQ(live_of_type(CAP_CNODE), 11);
        CHECK_WORLD(w);
        if (!DELETE_CHECKED(w, &c[0], budget, false))
            return;
        CHECK_EQ(live_of_type(CAP_CNODE), 1);
        CHECK_EQ(live_of_type(CAP_ENDPOINT), 0);
        bool ok;
        dead_ok(&ok);
        CHECK(ok);
    }
}

TEST(CAP1014, "a garbage tree of CNodes and TCBs, deleted from inside, budgets 1 to 4")
{
    for (unsigned budget = 1; budget <= 4; budget++) {
        struct world *w = big_world();
        CHECK_EQ(retype_into(w, 0, TSR_OBJ_CNODE, 3, 6), TSR_OK);
        struct cte *top = slots_of(&w->root[6].cap);
        CHECK_EQ(untyped_retype(&w->root[0], TSR_OBJ_CNODE, 2, top, 6), TSR_OK);
        CHECK_EQ(untyped_retype(&w->root[0], TSR_OBJ_TCB, 0, &top[6], 2), TSR_OK);
        for (unsigned i = 0; i < 6; i++) {
            struct cte *s = slots_of(&top[i].cap);
            CHECK_EQ(untyped_retype(&w->root[0], TSR_OBJ_ENDPOINT, 0, &s[i % 4], 1), TSR_OK);
            /* Copies across the tree: not final, must survive until their turn. */
            CHECK_EQ(cap_copy(&top[(i + 1) % 6], &s[(i + 2) % 4], TSR_RIGHTS_ALL), TSR_OK);
        }
        struct cte *t = slots_of(&top[6].cap);
        CHECK_EQ(cap_move(&top[5], &t[3]), TSR_OK);
        CHECK_EQ(cap_copy(&w->root[6], &t[2], TSR_RIGHTS_ALL), TSR_OK); /* a cycle */
        CHECK_WORLD(w);
        /* The outside capability is not the last (t[2]): the tree becomes
         * garbage; deleting from inside the TCB takes all of it down. */
        CHECK_EQ(del(&w->root[6]), TSR_OK);
        CHECK_EQ(live_of_type(CAP_CNODE), 7);
        CHECK_WORLD(w);
        if (!DELETE_CHECKED(w, &t[2], budget, false))
            return;
        /* The six small CNodes name each other in a ring: none held its
         * own last capability, so they (and their endpoints) live on as
         * garbage until the untyped is revoked. */
        CHECK_EQ(live_of_type(CAP_CNODE), 6);
        CHECK_EQ(live_of_type(CAP_TCB), 0);
        CHECK_EQ(live_of_type(CAP_ENDPOINT), 6);
        bool ok;
        CHECK_EQ(dead_ok(&ok), 3);
        CHECK(ok);
        if (!DELETE_CHECKED(w, &w->root[0], budget, true))
            return;
        CHECK_EQ(live_of_type(CAP_CNODE), 0);
        CHECK_EQ(live_of_type(CAP_ENDPOINT), 0);
        CHECK_EQ(dead_ok(&ok), 15);
        CHECK(ok);
        CHECK(!cap_has_children(&w->root[0]));
    }
}

TEST(CAP1015, "a half-deleted CNode met again from inside: it becomes the bottom, counted")
{
    /* Q and X hold each other's last capability. A first deletion of Q (from
     * inside X) stops with Q's zombie at count 1; a second deletion, from
     * Q's slot 0, meets that zombie and must make Q the bottom of its stack
     * with Q's holder slot counted again. */
    struct world *w = new_world();
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_CNODE, 1, 5), TSR_OK);
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_CNODE, 1, 6), TSR_OK);
    struct cte *q = slots_of(&w->root[5].cap), *x = slots_of(&w->root[6].cap);
    CHECK_EQ(cap_move(&w->root[6], &q[0]), TSR_OK);
    CHECK_EQ(cap_move(&w->root[5], &x[1]), TSR_OK);
    unsigned b = 2;
    CHECK_EQ(cap_delete(&x[1], &b), TSR_E_PREEMPTED);
    CHECK_EQ(x[1].cap.type, CAP_ZOMBIE);
    CHECK_EQ(x[1].cap.w0, 1);
    CHECK_WORLD(w);
    if (!DELETE_CHECKED(w, &q[0], 1, false))
        return;
    bool ok;
    CHECK_EQ(dead_ok(&ok), 2);
    CHECK(ok);
    CHECK(!cap_has_children(&w->root[0]));
}

TEST(CAP1016, "the CNode holding the root, met at the holder slot, becomes the bottom")
{
    /* H and X hold each other's last capability; the deletion starts at
     * H's slot r, which holds X's. X's slot 0 (the holder) holds H's: H
     * becomes a zombie right in the holder and must take the root's place. */
    for (unsigned r = 0; r < 2; r++) {
        struct world *w = new_world();
        CHECK_EQ(retype_into(w, 0, TSR_OBJ_CNODE, 1, 5), TSR_OK);
        CHECK_EQ(retype_into(w, 0, TSR_OBJ_CNODE, 1, 6), TSR_OK);
        CHECK_EQ(retype_into(w, 0, TSR_OBJ_ENDPOINT, 0, 7), TSR_OK);
        struct cte *h = slots_of(&w->root[5].cap), *x = slots_of(&w->root[6].cap);
        CHECK_EQ(cap_move(&w->root[6], &h[r]), TSR_OK);
        CHECK_EQ(cap_move(&w->root[5], &x[0]), TSR_OK);
        CHECK_EQ(cap_move(&w->root[7], &h[1 - r]), TSR_OK);
        CHECK_WORLD(w);
        if (!DELETE_CHECKED(w, &h[r], 1, false))
            return;
        bool ok;
        CHECK_EQ(dead_ok(&ok), 3);
        CHECK(ok);
        CHECK(!cap_has_children(&w->root[0]));
    }
}

TEST(CAP1017, "an endpoint with waiters to cancel: one unit each, removed only when drained")
{
    /* The kernel cancels a bounded number of waiters per unit; here each
     * endpoint asks for three units. A copy is not final: no draining. */
    struct world *w = new_world();
    mock.drain_units = 3;
    CHECK_EQ(retype_into(w, 0, TSR_OBJ_ENDPOINT, 0, 5), TSR_OK);
    CHECK_EQ(cap_copy(&w->root[5], &w->root[6], TSR_RIGHTS_ALL), TSR_OK);
    unsigned b = 1;
    CHECK_EQ(cap_delete(&w->root[6], &b), TSR_OK);
    CHECK_EQ(mock.drain_calls, 0);
    b = 2;
    CHECK_EQ(cap_delete(&w->root[5], &b), TSR_E_PREEMPTED);
    CHECK_EQ(w->root[5].cap.type, CAP_ENDPOINT); /* still there, half drained */
    CHECK_WORLD(w);
    b = 1;
    CHECK_EQ(cap_delete(&w->root[5], &b), TSR_E_PREEMPTED);
    b = 1;
    CHECK_EQ(cap_delete(&w->root[5], &b), TSR_OK);
    CHECK_EQ(w->root[5].cap.type, CAP_NULL);
    CHECK_EQ(mock.drain_calls, 4);
    CHECK_EQ(mock_find_any(CAP_ENDPOINT, mock.last_removed.object)->final_calls, 1);
    mock.drain_units = 0;
    CHECK_WORLD(w);
}
