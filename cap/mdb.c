/* SPDX-License-Identifier: MIT */
/* The capability derivation tree ("MDB"): the parent relation, finality, and
 * the operations that add capabilities to the tree or move them in it (insert,
 * copy, mint, move, mutate). Deletion and revocation live in delete.c.
 *
 * The tree is one doubly linked list in depth-first order (see cdt.h); every
 * function here is O(1). Each public operation first checks everything and
 * returns an error without having changed anything, then applies a change
 * that cannot fail. */
#include <tessera/msgqueue.h>

#include "cap_internal.h"
#include "cdt.h"

/* ---- what a capability covers -------------------------------------------- */

static unsigned type_memory_bits(unsigned type, unsigned size_bits)
{
    switch (type) {
    case CAP_UNTYPED:
        return size_bits;
    case CAP_CNODE:
        return size_bits + TSR_SLOT_BITS;
    case CAP_TCB:
        return TSR_TCB_BITS;
    case CAP_ENDPOINT:
        return TSR_ENDPOINT_BITS;
    case CAP_NOTIFICATION:
        return TSR_NOTIFICATION_BITS;
    case CAP_REPLY:
        return TSR_REPLY_BITS;
    case CAP_FRAME:
        return size_bits;
    case CAP_PAGE_TABLE:
        return TSR_PAGE_TABLE_BITS;
    case CAP_VSPACE:
        return TSR_VSPACE_BITS;
    case CAP_ASID_POOL:
        return TSR_PAGE_BITS;
    case CAP_MSG_QUEUE:
        return size_bits;
    default:
        return 0;
    }
}

unsigned cap_memory_bits(const struct cap *cap)
{
    if (cap->type == CAP_ZOMBIE)
        return type_memory_bits(cap_zombie_type(cap), cap->size_bits);
    return type_memory_bits(cap->type, cap->size_bits);
}

struct cap cap_zombie_original(const struct cap *zombie)
{
    struct cap orig = {0};
    orig.type = (uint8_t)cap_zombie_type(zombie);
    orig.rights = zombie->rights;
    orig.flags = zombie->flags;
    orig.size_bits = zombie->size_bits;
    orig.object = zombie->object;
    return orig;
}

unsigned cap_object_slots(const struct cap *cap, struct cte **slots)
{
    *slots = NULL;
    if (cap->type == CAP_ZOMBIE) {
        struct cap orig = cap_zombie_original(cap);
        return cap_hook_object_slots(&orig, slots);
    }
    if (cap->type == CAP_NULL || cap->type >= CAP_TYPE_COUNT)
        return 0;
    return cap_hook_object_slots(cap, slots);
}

/* seL4's sameRegionAs: does a's authority cover the object b names? */
static bool same_region(const struct cap *a, const struct cap *b)
{
    switch (a->type) {
    case CAP_UNTYPED: {
        unsigned bbits = cap_memory_bits(b);
        /* Zombies count: the memory of a dying object is still in use. */
        if (bbits == 0 || bbits > 63 || a->size_bits > 63)
            return false;
        uint64_t a_last = a->object + ((UINT64_C(1) << a->size_bits) - 1);
        uint64_t b_last = b->object + ((UINT64_C(1) << bbits) - 1);
        return a->object <= b->object && b_last <= a_last && b->object <= b_last;
    }
    case CAP_CNODE:
        /* The guard is how a capability addresses the CNode, not which one. */
        return b->type == CAP_CNODE && a->object == b->object && a->size_bits == b->size_bits;
    case CAP_FRAME:
        return b->type == CAP_FRAME && a->object == b->object && a->size_bits == b->size_bits &&
               (a->flags & CAP_FLAG_DEVICE) == (b->flags & CAP_FLAG_DEVICE);
    case CAP_TCB:
    case CAP_ENDPOINT:
    case CAP_NOTIFICATION:
    case CAP_REPLY:
    case CAP_PAGE_TABLE:
    case CAP_VSPACE:
    case CAP_ASID_POOL:
    case CAP_MSG_QUEUE:
        return b->type == a->type && a->object == b->object;
    case CAP_IRQ_CONTROL:
        return b->type == CAP_IRQ_CONTROL || b->type == CAP_IRQ_HANDLER;
    case CAP_IRQ_HANDLER:
        return b->type == CAP_IRQ_HANDLER && cap_irq_handler_intid(a) == cap_irq_handler_intid(b);
    case CAP_ASID_CONTROL:
        return b->type == CAP_ASID_CONTROL;
    default:
        /* Null and zombie capabilities are nobody's parent. */
        return false;
    }
}

bool cap_mdb_is_parent(const struct cte *a, const struct cte *b)
{
    if (!a || !b || cte_empty(a) || cte_empty(b))
        return false;
    if (!a->mdb.revocable)
        return false;
    if (!same_region(&a->cap, &b->cap))
        return false;
    if (cap_has_badge_field(&a->cap)) {
        uint64_t badge = cap_badge(&a->cap);
        if (badge == 0)
            return true;
        return cap_badge(&b->cap) == badge && !b->mdb.first_badged;
    }
    return true;
}

bool cap_same_object(const struct cap *a, const struct cap *b)
{
    /* As seL4: untyped capabilities are never "the same object" as another,
     * so each is final; an IRQ handler is not the IRQ controller. */
    if (a->type == CAP_UNTYPED || b->type == CAP_UNTYPED)
        return false;
    if (a->type == CAP_IRQ_CONTROL && b->type == CAP_IRQ_HANDLER)
        return false;
    if (b->type == CAP_IRQ_CONTROL && a->type == CAP_IRQ_HANDLER)
        return false;
    return same_region(a, b);
}

bool cap_is_final(const struct cte *slot)
{
    if (!slot || cte_empty(slot))
        return false;
    const struct cte *prev = slot->mdb.prev;
    const struct cte *next = slot->mdb.next;
    if (prev && cap_same_object(&prev->cap, &slot->cap))
        return false;
    if (next && cap_same_object(&slot->cap, &next->cap))
        return false;
    return true;
}

bool cap_has_children(const struct cte *slot)
{
    return slot && !cte_empty(slot) && cap_mdb_is_parent(slot, slot->mdb.next);
}

/* ---- list edits ------------------------------------------------------------ */

void mdb_link_after(struct cte *prev, struct cte *dst)
{
    /* Debug builds: the list is consistent where it is cut open. */
    CAP_CHECK(prev, !prev || !prev->mdb.next || prev->mdb.next->mdb.prev == prev);
    dst->mdb.prev = prev;
    dst->mdb.next = prev ? prev->mdb.next : NULL;
    if (dst->mdb.next)
        dst->mdb.next->mdb.prev = dst;
    if (prev)
        prev->mdb.next = dst;
}

void mdb_unlink_clear(struct cte *slot)
{
    struct cte *prev = slot->mdb.prev;
    struct cte *next = slot->mdb.next;
    CAP_CHECK(slot, !prev || prev->mdb.next == slot);
    CAP_CHECK(slot, !next || next->mdb.prev == slot);
    if (prev)
        prev->mdb.next = next;
    if (next) {
        next->mdb.prev = prev;
        next->mdb.first_badged |= slot->mdb.first_badged;
    }
    *slot = (struct cte){0};
}

/* Point the neighbours recorded in slot's node at slot. */
static void mdb_fix_neighbours(struct cte *slot)
{
    if (slot->mdb.prev)
        slot->mdb.prev->mdb.next = slot;
    if (slot->mdb.next)
        slot->mdb.next->mdb.prev = slot;
}

void mdb_swap(struct cte *a, struct cte *b)
{
    if (a == b)
        return;
    struct cte tmp = *a;
    *a = *b;
    *b = tmp;
    /* Adjacent slots: each node now names itself where it named the other. */
    if (a->mdb.prev == a)
        a->mdb.prev = b;
    if (a->mdb.next == a)
        a->mdb.next = b;
    if (b->mdb.prev == b)
        b->mdb.prev = a;
    if (b->mdb.next == b)
        b->mdb.next = a;
    mdb_fix_neighbours(a);
    mdb_fix_neighbours(b);
}

void cap_insert(struct cte *parent, struct cte *dst, const struct cap *cap, bool revocable)
{
    /* Trusted kernel callers only; refuse rather than corrupt the list. */
    if (!dst || !cap || !cte_empty(dst) || cap->type == CAP_NULL || cap->type >= CAP_TYPE_COUNT)
        return;
    dst->cap = *cap;
    dst->mdb = (struct mdb_node){0};
    dst->mdb.revocable = revocable;
    dst->mdb.first_badged = revocable;
    mdb_link_after(parent, dst);
}

/* ---- copy, mint, move, mutate ------------------------------------------------ */


static bool is_copyable(const struct cap *cap)
{
    switch (cap->type) {
    case CAP_NULL:
    case CAP_ZOMBIE:         /* only delete/revoke may touch a dying object */
    case CAP_IRQ_CONTROL:    /* singletons: their authority is never shared */
    case CAP_ASID_CONTROL:
    case CAP_UNTYPED:        /* two watermarks over one region would overlap */
    case CAP_PAGE_TABLE:     /* one capability maps a table: a copy could link it twice */
        return false;
    case CAP_VSPACE:
        /* The ASID lives in the capability: copies made before ASIDPool_Assign
         * could each be given one, for a single address space. */
        return cap_vspace_asid(cap) != 0;
    default:
        return cap->type < CAP_TYPE_COUNT;
    }
}

/* The checks shared by copy and mint (and their guard variant). */
static tsr_error_t decode_derive(const struct cte *src, const struct cte *dst)
{
    if (!src || !dst)
        return TSR_E_INVALID_ARGUMENT;
    if (!is_copyable(&src->cap))
        return TSR_E_INVALID_CAPABILITY;
    if (!cte_empty(dst))
        return TSR_E_SLOT_OCCUPIED;
    return TSR_OK;
}

/* The checks shared by move and mutate. */
static tsr_error_t decode_move(const struct cte *src, const struct cte *dst)
{
    if (!src || !dst)
        return TSR_E_INVALID_ARGUMENT;
    if (cte_empty(src) || src->cap.type == CAP_ZOMBIE || src->cap.type >= CAP_TYPE_COUNT)
        return TSR_E_INVALID_CAPABILITY;
    if (!cte_empty(dst))
        return TSR_E_SLOT_OCCUPIED;
    return TSR_OK;
}

/* A badge may be set only on an unbadged endpoint/notification. */
static tsr_error_t decode_badge(const struct cap *cap, uint64_t badge)
{
    if (badge == 0)
        return TSR_OK;
    if (!cap_has_badge_field(cap) || cap_badge(cap) != 0)
        return TSR_E_ILLEGAL_OPERATION;
    /* A message queue's badge word also carries a quota (bits 48-63); the
     * quota belongs to a badge, so the badge part must not be zero. */
    if (cap->type == CAP_MSG_QUEUE && (badge & ((UINT64_C(1) << TSR_MSGQ_BADGE_BITS) - 1)) == 0)
        return TSR_E_INVALID_ARGUMENT;
    return TSR_OK;
}

/* Give a capability the badge word decode_badge accepted. */
static void set_badge_word(struct cap *c, uint64_t badge)
{
    if (c->type == CAP_MSG_QUEUE) {
        cap_msgq_set_quota(c, badge >> TSR_MSGQ_BADGE_BITS);
        badge &= (UINT64_C(1) << TSR_MSGQ_BADGE_BITS) - 1;
    }
    cap_set_badge(c, badge);
}

/* A guard must fit beside the radix in a 64-bit cptr. */
static tsr_error_t decode_guard(const struct cap *cap, uint64_t guard, unsigned guard_bits)
{
    if (cap->type != CAP_CNODE)
        return TSR_E_INVALID_CAPABILITY;
    if (guard_bits > 64 || cap->size_bits > 64 || guard_bits + cap->size_bits > 64)
        return TSR_E_INVALID_ARGUMENT;
    if (guard_bits < 64 && (guard >> guard_bits) != 0)
        return TSR_E_INVALID_ARGUMENT;
    return TSR_OK;
}

/* The capability a copy gets: fewer rights, never a mapping. (Page tables
 * are never copied; VSpace copies keep their ASID.) */
static struct cap derived_cap(const struct cap *src, uint8_t rights)
{
    struct cap c = *src;
    c.rights = (uint8_t)(src->rights & rights & TSR_RIGHTS_ALL);
    if (c.type == CAP_FRAME)
        cap_set_mapping(&c, 0, 0);
    return c;
}

/* Fill dst and link it right after src. */
static void insert_after(struct cte *src, struct cte *dst, const struct cap *cap, bool revocable,
                         bool first_badged)
{
    dst->cap = *cap;
    dst->mdb = (struct mdb_node){0};
    dst->mdb.revocable = revocable;
    dst->mdb.first_badged = first_badged;
    mdb_link_after(src, dst);
}

/* Move the whole slot, node included, keeping its place in the list. */
static void move_slot(struct cte *src, struct cte *dst)
{
    *dst = *src;
    mdb_fix_neighbours(dst);
    *src = (struct cte){0};
}

/* ---- decode: copy, mint, move, mutate (check everything, change nothing) ---- */

static void plan_derive(struct cap_change *c, struct cte *src, struct cte *dst, uint8_t rights)
{
    c->kind = CAP_CHANGE_DERIVE;
    c->src = src;
    c->dst = dst;
    c->cap = derived_cap(&src->cap, rights);
    c->revocable = false;
    c->first_badged = false;
}

static void plan_move(struct cap_change *c, struct cte *src, struct cte *dst, uint8_t rights)
{
    c->kind = CAP_CHANGE_MOVE;
    c->src = src;
    c->dst = dst;
    c->cap = src->cap;
    c->cap.rights = (uint8_t)(src->cap.rights & rights & TSR_RIGHTS_ALL);
    c->revocable = src->mdb.revocable;
    c->first_badged = src->mdb.first_badged;
}

tsr_error_t cap_decode_copy(struct cte *src, struct cte *dst, uint8_t rights,
                            struct cap_change *change)
{
    tsr_error_t err = decode_derive(src, dst);
    if (err)
        return err;
    plan_derive(change, src, dst, rights);
    return TSR_OK;
}

tsr_error_t cap_decode_mint(struct cte *src, struct cte *dst, uint8_t rights, uint64_t badge,
                            struct cap_change *change)
{
    tsr_error_t err = decode_derive(src, dst);
    if (!err)
        err = decode_badge(&src->cap, badge);
    if (err)
        return err;
    plan_derive(change, src, dst, rights);
    if (badge != 0) {
        /* A new badge starts a new group: the minted capability is its
         * original, so revoking it removes exactly the copies made from it. */
        set_badge_word(&change->cap, badge);
        change->revocable = true;
        change->first_badged = true;
    }
    return TSR_OK;
}

tsr_error_t cap_decode_move(struct cte *src, struct cte *dst, struct cap_change *change)
{
    tsr_error_t err = decode_move(src, dst);
    if (err)
        return err;
    plan_move(change, src, dst, TSR_RIGHTS_ALL);
    return TSR_OK;
}

tsr_error_t cap_decode_mutate(struct cte *src, struct cte *dst, uint8_t rights, uint64_t badge,
                              struct cap_change *change)
{
    tsr_error_t err = decode_move(src, dst);
    if (!err)
        err = decode_badge(&src->cap, badge);
    if (!err && badge != 0 && !src->mdb.revocable)
        err = TSR_E_ILLEGAL_OPERATION; /* copies get a badge through mint */
    if (!err && badge != 0 && cap_has_children(src))
        err = TSR_E_REVOKE_FIRST; /* its children would silently be orphaned */
    if (err)
        return err;
    plan_move(change, src, dst, rights);
    if (badge != 0) {
        set_badge_word(&change->cap, badge);
        change->first_badged = true;
    }
    return TSR_OK;
}

tsr_error_t cap_decode_mint_guard(struct cte *src, struct cte *dst, uint8_t rights,
                                  uint64_t guard, unsigned guard_bits, struct cap_change *change)
{
    tsr_error_t err = decode_derive(src, dst);
    if (!err)
        err = decode_guard(&src->cap, guard, guard_bits);
    if (err)
        return err;
    plan_derive(change, src, dst, rights);
    cap_cnode_set_guard(&change->cap, guard, guard_bits);
    return TSR_OK;
}

tsr_error_t cap_decode_mutate_guard(struct cte *src, struct cte *dst, uint8_t rights,
                                    uint64_t guard, unsigned guard_bits,
                                    struct cap_change *change)
{
    tsr_error_t err = decode_move(src, dst);
    if (!err)
        err = decode_guard(&src->cap, guard, guard_bits);
    if (err)
        return err;
    plan_move(change, src, dst, rights);
    cap_cnode_set_guard(&change->cap, guard, guard_bits);
    return TSR_OK;
}

/* ---- perform (cannot fail) -------------------------------------------------- */

void cap_perform(const struct cap_change *change)
{
    if (change->kind == CAP_CHANGE_DERIVE) {
        insert_after(change->src, change->dst, &change->cap, change->revocable,
                     change->first_badged);
        return;
    }
    move_slot(change->src, change->dst);
    change->dst->cap = change->cap;
    change->dst->mdb.first_badged = change->first_badged;
}

/* ---- the same, in one call ------------------------------------------------------ */

static tsr_error_t apply(tsr_error_t err, const struct cap_change *change)
{
    if (!err)
        cap_perform(change);
    return err;
}

tsr_error_t cap_copy(struct cte *src, struct cte *dst, uint8_t rights)
{
    struct cap_change c;
    return apply(cap_decode_copy(src, dst, rights, &c), &c);
}

tsr_error_t cap_mint(struct cte *src, struct cte *dst, uint8_t rights, uint64_t badge)
{
    struct cap_change c;
    return apply(cap_decode_mint(src, dst, rights, badge, &c), &c);
}

tsr_error_t cap_move(struct cte *src, struct cte *dst)
{
    struct cap_change c;
    return apply(cap_decode_move(src, dst, &c), &c);
}

tsr_error_t cap_mutate(struct cte *src, struct cte *dst, uint8_t rights, uint64_t badge)
{
    struct cap_change c;
    return apply(cap_decode_mutate(src, dst, rights, badge, &c), &c);
}

tsr_error_t cap_mint_guard(struct cte *src, struct cte *dst, uint8_t rights, uint64_t guard,
                           unsigned guard_bits)
{
    struct cap_change c;
    return apply(cap_decode_mint_guard(src, dst, rights, guard, guard_bits, &c), &c);
}

tsr_error_t cap_mutate_guard(struct cte *src, struct cte *dst, uint8_t rights, uint64_t guard,
                             unsigned guard_bits)
{
    struct cap_change c;
    return apply(cap_decode_mutate_guard(src, dst, rights, guard, guard_bits, &c), &c);
}
