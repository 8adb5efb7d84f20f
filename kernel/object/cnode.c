/* SPDX-License-Identifier: MIT */
/* CNode objects: tables of capability slots, and their methods Copy, Mint,
 * Move, Mutate, Delete and Revoke. The invoked CNode is the root the
 * destination is named in. The derivation-tree rules are cap/'s (cdt.h);
 * here each method decodes into a cap_change and performs it, except the
 * preemptible Delete and Revoke. */
#include <stdint.h>

#include <tessera/syscalls.h>

#include "arch.h"
#include "cap/cdt.h"
#include "object/invoke.h"
#include "object/objects.h"

static unsigned cnode_slots(const struct cap *cap, struct cte **slots)
{
    *slots = arch_object_to_virt(cap->object);
    return 1u << cap->size_bits; /* the radix; also a CNode's zombie's */
}

/* Copy, Mint, Move and Mutate: dst_index, dst_depth (within the invoked
 * CNode), src_root, src_index, src_depth, then rights and badge. For a CNode
 * source the badge word is the guard (TSR_CNODE_GUARD). */
static tsr_error_t decode_transfer(struct invocation *inv, struct cap_change *change)
{
    struct cte *src, *dst;
    tsr_error_t err = inv_lookup_in(&inv->slot->cap, inv_arg(inv, 0), inv_arg(inv, 1), &dst);
    if (err)
        return err;
    err = inv_lookup_slot(inv, inv_arg(inv, 2), inv_arg(inv, 3), inv_arg(inv, 4), &src);
    if (err)
        return err;
    if (src->cap.type == CAP_NULL)
        return TSR_E_INVALID_CAPABILITY;
    if (dst->cap.type != CAP_NULL || src == dst)
        return TSR_E_SLOT_OCCUPIED;
    uint8_t rights = (uint8_t)(inv_arg(inv, 5) & TSR_RIGHTS_ALL);
    uint64_t badge = inv_arg(inv, 6);
    bool guard = src->cap.type == CAP_CNODE;
    switch (inv->label) {
    case TSR_CNODE_COPY:
        return cap_decode_copy(src, dst, rights, change);
    case TSR_CNODE_MOVE:
        return cap_decode_move(src, dst, change);
    case TSR_CNODE_MINT:
        return guard ? cap_decode_mint_guard(src, dst, rights, badge >> 6,
                                             (unsigned)(badge & 63), change)
                     : cap_decode_mint(src, dst, rights, badge, change);
    default: /* TSR_CNODE_MUTATE */
        return guard ? cap_decode_mutate_guard(src, dst, rights, badge >> 6,
                                               (unsigned)(badge & 63), change)
                     : cap_decode_mutate(src, dst, rights, badge, change);
    }
}

/* Delete and Revoke: index, depth. */
static tsr_error_t decode_target(struct invocation *inv, struct cte **target)
{
    return inv_lookup_in(&inv->slot->cap, inv_arg(inv, 0), inv_arg(inv, 1), target);
}

static tsr_error_t cnode_invoke(struct invocation *inv)
{
    if (inv->label == TSR_CNODE_DELETE || inv->label == TSR_CNODE_REVOKE) {
        struct cte *target;
        tsr_error_t err = decode_target(inv, &target);
        if (err)
            return err;
        /* Preemptible: progress is kept in the objects and the call restarts. */
        unsigned budget = INVOKE_DELETE_BUDGET;
        return inv->label == TSR_CNODE_DELETE ? cap_delete(target, &budget)
                                              : cap_revoke(target, &budget);
    }
    struct cap_change change;
    tsr_error_t err = decode_transfer(inv, &change);
    if (err)
        return err;
    cap_perform(&change);
    return TSR_OK;
}

const struct object_type cnode_type = {
    .name = "cnode",
    .slots = cnode_slots,
    .invoke = cnode_invoke,
};
