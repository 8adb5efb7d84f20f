/* SPDX-License-Identifier: MIT */
/* CSpace addressing: resolving a capability pointer through CNodes with
 * guards, from the most significant end of the bits being resolved (seL4's
 * resolveAddressBits). Every level consumes at least one bit, so a lookup
 * visits at most 64 CNodes whatever the CSpace looks like. */
#include "cap_internal.h"
#include "cspace.h"

/* Bits [lo, lo + n) of x (n <= 64, lo + n <= 64). */
static uint64_t bit_field(uint64_t x, unsigned lo, unsigned n)
{
    if (n == 0)
        return 0;
    x >>= lo;
    return n >= 64 ? x : x & ((UINT64_C(1) << n) - 1);
}

/* Resolve `depth` bits of cptr. With stop_at_leaf, stop early at a slot that
 * holds anything but a CNode capability (lookup_cap); without, such a slot
 * with bits left over is an error (lookup_slot). */
static tsr_error_t resolve(const struct cap *root, uint64_t cptr, unsigned depth, bool stop_at_leaf,
                           struct cte **slot)
{
    if (depth < 1 || depth > 64)
        return TSR_E_RANGE;
    if (!root || root->type != CAP_CNODE)
        return TSR_E_INVALID_CAPABILITY;

    const struct cap *node = root;
    unsigned left = depth;
    for (unsigned level = 0; level < 64; level++) {
        unsigned radix = node->size_bits;
        /* A CNode capability the kernel did not make could carry anything:
         * refuse shapes that would not consume bits or would overflow. */
        uint64_t guard_field = cap_cnode_guard_bits(node);
        if (guard_field > 64 || radix > 64 || radix + guard_field == 0)
            return TSR_E_LOOKUP_FAILED;
        unsigned guard_bits = (unsigned)guard_field;
        unsigned level_bits = radix + guard_bits;
        if (level_bits > left)
            return TSR_E_LOOKUP_FAILED; /* bits run out inside this level */
        if (bit_field(cptr, left - guard_bits, guard_bits) != cap_cnode_guard(node))
            return TSR_E_LOOKUP_FAILED; /* guard mismatch */
        uint64_t index = bit_field(cptr, left - level_bits, radix);
        struct cte *slots = cap_hook_phys_to_virt(node->object);
        struct cte *s = &slots[index];
        left -= level_bits;
        if (left == 0) {
            *slot = s;
            return TSR_OK;
        }
        if (s->cap.type != CAP_CNODE) {
            if (!stop_at_leaf)
                return TSR_E_LOOKUP_FAILED; /* bits left over at a non-CNode */
            *slot = s;
            return TSR_OK;
        }
        node = &s->cap;
    }
    return TSR_E_LOOKUP_FAILED;
}

tsr_error_t cspace_lookup_slot(const struct cap *root, uint64_t cptr, unsigned depth,
                               struct cte **slot)
{
    if (!slot)
        return TSR_E_INVALID_ARGUMENT;
    return resolve(root, cptr, depth, false, slot);
}

tsr_error_t cspace_lookup_cap(const struct cap *root, uint64_t cptr, struct cte **slot)
{
    if (!slot)
        return TSR_E_INVALID_ARGUMENT;
    struct cte *s;
    /* The common CSpace, which every system call resolves: one CNode whose
     * guard and radix take all 64 bits (the root task's, tsr_space's). The
     * general walk below gives the same answer, in a loop and slower. */
    if (root && root->type == CAP_CNODE) {
        unsigned radix = root->size_bits;
        if (radix > 0 && radix < 64 && cap_cnode_guard_bits(root) == 64 - radix &&
            (cptr >> radix) == cap_cnode_guard(root)) {
            s = (struct cte *)cap_hook_phys_to_virt(root->object) +
                (cptr & ((UINT64_C(1) << radix) - 1));
            if (cte_empty(s) || s->cap.type == CAP_ZOMBIE)
                return TSR_E_INVALID_CAPABILITY;
            *slot = s;
            return TSR_OK;
        }
    }
    tsr_error_t err = resolve(root, cptr, 64, true, &s);
    if (err)
        return err;
    /* A zombie is only ever named as a slot, to finish deleting it. */
    if (cte_empty(s) || s->cap.type == CAP_ZOMBIE)
        return TSR_E_INVALID_CAPABILITY;
    *slot = s;
    return TSR_OK;
}
