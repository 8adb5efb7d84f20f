/* SPDX-License-Identifier: MIT */
/* CSpace addressing: resolving a capability pointer (cptr) through a tree of
 * CNodes with guards, as in seL4. A cptr is read from its most significant
 * end: each CNode on the way consumes guard_bits + radix bits of the depth
 * being resolved; the guard bits must equal the CNode's guard value and the
 * radix bits index its slots. */
#ifndef CAP_CSPACE_H
#define CAP_CSPACE_H

#include "cap.h"

/* Resolve exactly `depth` bits (1..64) of cptr starting at the CNode
 * capability `root`, yielding the slot reached when they are used up (it may
 * be empty). Used for slots a call writes into (copy destinations, retype
 * destinations). Errors: TSR_E_RANGE (depth out of 1..64),
 * TSR_E_INVALID_CAPABILITY (root is not a CNode), TSR_E_LOOKUP_FAILED (a guard
 * mismatch, bits left over at a non-CNode, or bits running out inside a level). */
tsr_error_t cspace_lookup_slot(const struct cap *root, uint64_t cptr, unsigned depth,
                               struct cte **slot);

/* Resolve cptr with depth 64 from `root`, stopping early at the first slot
 * that holds anything other than a CNode capability: the way a thread names a
 * capability it invokes. Same errors as cspace_lookup_slot; an empty slot or a
 * zombie (which can only be deleted or revoked, through cspace_lookup_slot)
 * is TSR_E_INVALID_CAPABILITY. A zombie on the way is not a CNode. */
tsr_error_t cspace_lookup_cap(const struct cap *root, uint64_t cptr, struct cte **slot);

/* cspace_lookup_cap for the common CSpace, inline for the system-call path:
 * one CNode whose guard and radix take all 64 bits (the root task's, and
 * every tsr_space's), resolved without a loop. Anything else goes to the
 * general walk, which gives the same answers. */
static inline tsr_error_t cspace_lookup_cap_fast(const struct cap *root, uint64_t cptr,
                                                 struct cte **slot)
{
    unsigned radix = root->size_bits;
    if (root->type == CAP_CNODE && radix > 0 && radix < 64 &&
        cap_cnode_guard_bits(root) == 64 - radix && (cptr >> radix) == cap_cnode_guard(root)) {
        struct cte *s = (struct cte *)cap_hook_phys_to_virt(root->object) +
                        (cptr & ((UINT64_C(1) << radix) - 1));
        if (s->cap.type == CAP_NULL || s->cap.type == CAP_ZOMBIE)
            return TSR_E_INVALID_CAPABILITY;
        *slot = s;
        return TSR_OK;
    }
    return cspace_lookup_cap(root, cptr, slot);
}

#endif
