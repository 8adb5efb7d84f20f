/* SPDX-License-Identifier: MIT */
/* Untyped memory objects: Retype. The placement rules (watermark, alignment,
 * reuse after revoke) are cap/untyped.c's; here is the invocation, which
 * names the destination slots and bounds the zeroing one call may do. */
#include <stdint.h>

#include <tessera/syscalls.h>

#include "arch.h"
#include "cap/untyped.h"
#include "object/invoke.h"
#include "object/objects.h"

/* Retype: type, size_bits, root, index, depth, offset, count. */
static tsr_error_t decode_retype(struct invocation *inv, struct retype_plan *plan)
{
    uint64_t type = inv_arg(inv, 0), size_bits = inv_arg(inv, 1), root = inv_arg(inv, 2);
    uint64_t index = inv_arg(inv, 3), depth = inv_arg(inv, 4);
    uint64_t offset = inv_arg(inv, 5), count = inv_arg(inv, 6);

    if (type == 0 || type >= TSR_OBJ_TYPE_COUNT || size_bits > 64)
        return TSR_E_INVALID_ARGUMENT;
    if (count == 0 || count > TSR_RETYPE_MAX_COUNT)
        return TSR_E_RANGE;
    /* The destination: a CNode, and a run of its slots. */
    struct cte *node;
    tsr_error_t err = inv_lookup_slot(inv, root, index, depth, &node);
    if (err)
        return err;
    if (node->cap.type != CAP_CNODE)
        return TSR_E_INVALID_CAPABILITY;
    uint64_t slots = 1ull << cap_cnode_radix(&node->cap);
    if (offset >= slots || count > slots - offset)
        return TSR_E_RANGE;
    /* Bound the zeroing one call does (device memory is never zeroed). */
    unsigned obj_bits = object_size_bits((tsr_object_type_t)type, (unsigned)size_bits);
    if (type != TSR_OBJ_UNTYPED && !(inv->slot->cap.flags & CAP_FLAG_DEVICE) && obj_bits &&
        (obj_bits > TSR_RETYPE_MAX_ZERO_BITS ||
         count > (1ull << (TSR_RETYPE_MAX_ZERO_BITS - obj_bits))))
        return TSR_E_RANGE;
    struct cte *dest = (struct cte *)arch_object_to_virt(node->cap.object) + offset;
    return untyped_decode_retype(inv->slot, (tsr_object_type_t)type, (unsigned)size_bits, dest,
                                 (unsigned)count, plan);
}

static tsr_error_t untyped_invoke(struct invocation *inv)
{
    /* The only method (TSR_UNTYPED_RETYPE): invoke_object checked the label. */
    struct retype_plan plan;
    tsr_error_t err = decode_retype(inv, &plan);
    if (err)
        return err;
    untyped_perform_retype(&plan);
    return TSR_OK;
}

const struct object_type untyped_type = {
    .name = "untyped",
    .invoke = untyped_invoke,
};
