/* SPDX-License-Identifier: MIT */
/* Untyped memory: carving kernel objects out of a region named by an untyped
 * capability. Objects are placed at the watermark, aligned to their size;
 * the watermark only grows, except that an untyped with no children left
 * (all revoked or deleted) starts again from zero — memory is reused only
 * when nothing can still refer to it. */
#ifndef CAP_UNTYPED_H
#define CAP_UNTYPED_H

#include "cap.h"

/* Size in bits of an object of `type` with the caller's size_bits argument
 * (used by CNodes: radix, and untyped: size). Returns 0 for an invalid
 * combination (size_bits out of range for the type). */
unsigned object_size_bits(tsr_object_type_t type, unsigned size_bits);

/* Retype: make `count` objects of `type` from the untyped in ut_slot, placing
 * their capabilities into dest[0..count-1] (consecutive slots of one CNode,
 * all of which must be empty) as children of the untyped.
 * Checks everything before changing anything. Errors:
 *  TSR_E_INVALID_CAPABILITY  ut_slot is NULL or does not hold an untyped capability
 *  TSR_E_INVALID_ARGUMENT    unknown type, or size_bits invalid for the type
 *  TSR_E_RANGE               count is 0 or larger than TSR_RETYPE_MAX_COUNT
 *  TSR_E_INVALID_ARGUMENT    dest is NULL
 *  TSR_E_SLOT_OCCUPIED       a destination slot is not empty
 *  TSR_E_ILLEGAL_OPERATION   device untyped asked for anything but frames or
 *                            untyped, or the untyped capability is not
 *                            revocable (boot code must insert untypeds as
 *                            originals: cap_insert(..., true))
 *  TSR_E_NOT_ENOUGH_MEMORY   the objects do not fit after the watermark
 * Objects are placed from the watermark (0 if the untyped has no children),
 * each aligned to its size; new capabilities are revocable children placed
 * right after the untyped in the order of dest; each object is prepared with
 * cap_hook_object_init; device untypeds give device frames and untypeds. */
#define TSR_RETYPE_MAX_COUNT 256u
tsr_error_t untyped_retype(struct cte *ut_slot, tsr_object_type_t type, unsigned size_bits,
                           struct cte *dest, unsigned count);

/* untyped_retype in two steps: decode checks everything (the errors above)
 * and fills in a plan, changing nothing; perform carries it out and cannot
 * fail. A plan is valid only until the slots it names change. */
struct retype_plan {
    struct cte *ut_slot, *dest;
    tsr_object_type_t type;
    unsigned size_bits, object_bits, count;
    paddr_t first;      /* address of the first object */
    uint64_t watermark; /* the untyped's watermark afterwards */
    bool device;
};
tsr_error_t untyped_decode_retype(struct cte *ut_slot, tsr_object_type_t type, unsigned size_bits,
                                  struct cte *dest, unsigned count, struct retype_plan *plan);
void untyped_perform_retype(const struct retype_plan *plan);

#endif
