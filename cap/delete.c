/* SPDX-License-Identifier: MIT */
/* Deleting and revoking capabilities, with zombies: preemptible, bounded
 * work per step, no recursion on the kernel stack.
 *
 * Deleting the last capability to a CNode or TCB must first empty the slots
 * inside that object, and those may hold the last capabilities to further
 * CNodes, to any depth, including cycles. The capability turns into a zombie
 * (cap.h) that counts the slots still to empty, highest index first, one
 * slot per step. Nesting is kept as a stack threaded through the slots
 * themselves, so that every step is O(1) and the stack costs no memory:
 *
 *   - the slot cap_delete was called on (the "root") keeps the zombie of the
 *     object it held (the bottom of the stack) until that object is gone, so
 *     a preempted delete or revoke finds its work where it left it;
 *   - the bottom object's slot 0 (slot 1 if the root is its slot 0) is the
 *     "holder": when it holds the zombie of another object, that object is
 *     the top of the stack, the one being worked on;
 *   - every other object on the stack holds the zombie of the object below
 *     it in its slot 0 — the slot it empties last — except the lowest one,
 *     whose slot 0 is ordinary content.
 *
 * When the top object's next slot holds the last capability to an object Q
 * with slots, that capability becomes Q's zombie and Q is pushed: Q goes to
 * the holder, the old top to Q's slot 0, and what Q's slot 0 held to the slot
 * Q came from, where it is still counted. When the top is down to its slot 0
 * holding the zombie below it, it pops: that zombie returns to the holder and
 * the emptied object is torn down. Any zombie met in a slot is handled the
 * same way (pushed or popped), so a deletion left unfinished elsewhere is
 * finished as part of this one.
 *
 * Garbage cycles (objects no CSpace reaches, found by revoking their untyped)
 * add one case: the root may be a slot of a dying object H, which can only be
 * torn down after the root is empty. H is made the bottom as soon as it is
 * met (the root takes H's zombie; the old bottom goes on top). When H itself
 * runs down to the root's index, that slot is skipped: it holds H's zombie,
 * which is emptied last, when H is torn down. No other deletion can reach a
 * zombie that sits in the root inside its own object, so the skip is safe.
 *
 * Invariant kept by every step: for a zombie with count n, the slots of its
 * object from index n up are empty, except the slot holding the zombie
 * itself. An object is torn down only when all its other slots are empty. */
#include "cap_internal.h"
#include "cdt.h"

static bool slot_in(const struct cte *slot, const struct cte *slots, unsigned count)
{
    uintptr_t p = (uintptr_t)slot;
    uintptr_t base = (uintptr_t)slots;
    return slots && p >= base && p - base < (uintptr_t)count * sizeof(struct cte);
}

/* Remove a capability that needs no zombie; the hook sees a copy because the
 * slot may lie inside the object being torn down. */
static void remove_cap(struct cte *slot, bool final)
{
    struct cap cap = slot->cap;
    mdb_unlink_clear(slot);
    cap_hook_cap_removed(&cap, final);
}

/* The last capability to an object with `count` slots becomes its zombie, in
 * place: same slot, same place in the tree. */
static void zombify(struct cte *slot, unsigned count)
{
    cap_hook_object_dying(&slot->cap);
    cap_make_zombie(&slot->cap, count);
}

/* Tear down the object of a zombie whose slots are all empty. */
static void finish(struct cte *zslot)
{
    struct cap orig = cap_zombie_original(&zslot->cap);
    mdb_unlink_clear(zslot);
    cap_hook_cap_removed(&orig, true);
}

/* Handle a capability that is not a zombie in `slot`: returns true if the slot
 * was emptied, false if the capability became a zombie or its object still
 * has teardown to do first (waiters to cancel: one unit done, call again). */
static bool delete_plain(struct cte *slot)
{
    struct cte *slots;
    bool final = cap_is_final(slot);
    unsigned count = final ? cap_object_slots(&slot->cap, &slots) : 0;
    if (count > 0) {
        zombify(slot, count);
        return false;
    }
    if (final && cap_hook_object_drain(&slot->cap))
        return false;
    remove_cap(slot, final);
    return true;
}

/* Make the dying object Q (zombie in slot e), which holds the root slot, the
 * bottom of the stack: root <- Q, Q's holder <- the old bottom (now the top),
 * e <- what the holder held (still counted where e is). */
static void make_bottom(struct cte *root, struct cte *e, struct cte *qs, unsigned nq)
{
    unsigned hq = root == &qs[0] ? 1 : 0;
    if (hq >= nq) {
        /* A one-slot object holding its own last capability in the root:
         * nowhere to keep the old bottom but its own object. Only a kernel
         * object with a single slot could get here; CNodes have two. */
        mdb_swap(root, e);
        return;
    }
    mdb_swap(root, e);
    mdb_swap(e, &qs[hq]);
    if (cap_zombie_remaining(&root->cap) < hq + 1)
        cap_zombie_set_remaining(&root->cap, hq + 1); /* keep the holder inside the counted slots */
}

/* One unit of work on the top of the stack, the zombie in slot loc. */
static void work_on(struct cte *root, struct cte *loc, struct cte *holder)
{
    struct cte *ts;
    unsigned nt = cap_object_slots(&loc->cap, &ts);
    if (nt == 0) {
        finish(loc); /* defends against a hook that lost the object's slots */
        return;
    }
    uint64_t remaining = cap_zombie_remaining(&loc->cap);
    uint64_t n = remaining < nt ? remaining : nt;
    struct cte *e = n ? &ts[n - 1] : NULL;
    if (n == 0 || (n == 1 && e == loc)) {
        finish(loc);
        return;
    }
    if (e == loc) {
        /* The bottom lies in its own object: skip the root, it is emptied
         * when the object is torn down. */
        cap_zombie_set_remaining(&loc->cap, n - 1);
        return;
    }
    if (cte_empty(e)) {
        cap_zombie_set_remaining(&loc->cap, n - 1);
        return;
    }
    if (e->cap.type != CAP_ZOMBIE) {
        if (delete_plain(e))
            cap_zombie_set_remaining(&loc->cap, n - 1);
        return;
    }

    /* The next slot holds the zombie of another object Q. */
    struct cte *qs;
    unsigned nq = cap_object_slots(&e->cap, &qs);
    if (nq == 0 || cap_zombie_remaining(&e->cap) == 0) {
        finish(e); /* Q's slots are all empty */
        return;
    }
    if (slot_in(root, qs, nq)) {
        make_bottom(root, e, qs, nq);
        return;
    }
    if (loc != root && n == 1) {
        /* Pop: slot 0 holds the zombie below the top, which takes its place
         * in the holder; the top's object is empty and goes. */
        mdb_swap(loc, e);
        finish(e);
        return;
    }
    if (loc == root) {
        /* Push onto the bottom: Q into the holder, its content to e. The
         * holder cannot be e (a zombie there would already be the top). */
        if (!holder || holder == e) {
            mdb_swap(e, &qs[0]); /* unreachable; keeps Q counted by itself */
            return;
        }
        mdb_swap(holder, e);
        return;
    }
    /* Push onto a stacked top: holder <- Q, Q's slot 0 <- the old top,
     * e <- what Q's slot 0 held. */
    mdb_swap(loc, e);
    mdb_swap(e, &qs[0]);
}

/* One unit of work on the non-empty root slot. */
static void delete_step(struct cte *root)
{
    if (root->cap.type != CAP_ZOMBIE) {
        delete_plain(root);
        return;
    }
    struct cte *xs;
    unsigned nx = cap_object_slots(&root->cap, &xs);
    if (nx == 0) {
        finish(root); /* defends against a hook that lost the object's slots */
        return;
    }
    unsigned h = root == &xs[0] ? 1 : 0;
    struct cte *holder = h < nx ? &xs[h] : NULL;
    struct cte *loc = root;
    if (holder && holder->cap.type == CAP_ZOMBIE) {
        struct cte *ts;
        unsigned nt = cap_object_slots(&holder->cap, &ts);
        if (slot_in(root, ts, nt)) {
            make_bottom(root, holder, ts, nt);
            return;
        }
        loc = holder;
    }
    work_on(root, loc, holder);
}

tsr_error_t cap_delete(struct cte *slot, unsigned *budget)
{
    if (!slot || !budget)
        return TSR_E_INVALID_ARGUMENT;
    while (!cte_empty(slot)) {
        if (*budget == 0)
            return TSR_E_PREEMPTED;
        (*budget)--;
        delete_step(slot);
    }
    return TSR_OK;
}

tsr_error_t cap_revoke(struct cte *slot, unsigned *budget)
{
    if (!slot || !budget)
        return TSR_E_INVALID_ARGUMENT;
    /* Each pass deletes the first remaining child; every deletion costs at
     * least one unit, so the loop is bounded by the budget. The slot is read
     * again each time: a child's deletion may have emptied it (a garbage
     * cycle through the slot's own CNode). */
    while (cap_has_children(slot)) {
        if (*budget == 0)
            return TSR_E_PREEMPTED;
        tsr_error_t err = cap_delete(slot->mdb.next, budget);
        if (err)
            return err;
    }
    return TSR_OK;
}
