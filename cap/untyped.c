/* SPDX-License-Identifier: MIT */
/* Untyped retype: carving kernel objects out of an untyped region at its
 * watermark, each aligned to its own size, and inserting their capabilities
 * as children of the untyped. Decode (every check) happens before perform
 * (which cannot fail), so an error leaves everything untouched. */
#include "cap_internal.h"
#include "cdt.h"
#include "untyped.h"

unsigned object_size_bits(tsr_object_type_t type, unsigned size_bits)
{
    switch (type) {
    case TSR_OBJ_UNTYPED:
        if (size_bits < TSR_UNTYPED_MIN_BITS || size_bits > TSR_UNTYPED_MAX_BITS)
            return 0;
        return size_bits;
    case TSR_OBJ_CNODE:
        if (size_bits < TSR_CNODE_MIN_RADIX || size_bits > TSR_CNODE_MAX_RADIX)
            return 0;
        return size_bits + TSR_SLOT_BITS;
    case TSR_OBJ_TCB:
        return TSR_TCB_BITS;
    case TSR_OBJ_ENDPOINT:
        return TSR_ENDPOINT_BITS;
    case TSR_OBJ_NOTIFICATION:
        return TSR_NOTIFICATION_BITS;
    case TSR_OBJ_REPLY:
        return TSR_REPLY_BITS;
    case TSR_OBJ_FRAME_4K:
        return TSR_PAGE_BITS;
    case TSR_OBJ_FRAME_2M:
        return TSR_LARGE_PAGE_BITS;
    case TSR_OBJ_PAGE_TABLE:
        return TSR_PAGE_TABLE_BITS;
    case TSR_OBJ_VSPACE:
        return TSR_VSPACE_BITS;
    case TSR_OBJ_MSG_QUEUE:
        if (size_bits < TSR_MSG_QUEUE_MIN_BITS || size_bits > TSR_MSG_QUEUE_MAX_BITS)
            return 0;
        return size_bits;
    default:
        return 0;
    }
}

static enum cap_type cap_type_of(tsr_object_type_t type)
{
    switch (type) {
    case TSR_OBJ_UNTYPED:
        return CAP_UNTYPED;
    case TSR_OBJ_CNODE:
        return CAP_CNODE;
    case TSR_OBJ_TCB:
        return CAP_TCB;
    case TSR_OBJ_ENDPOINT:
        return CAP_ENDPOINT;
    case TSR_OBJ_NOTIFICATION:
        return CAP_NOTIFICATION;
    case TSR_OBJ_REPLY:
        return CAP_REPLY;
    case TSR_OBJ_FRAME_4K:
    case TSR_OBJ_FRAME_2M:
        return CAP_FRAME;
    case TSR_OBJ_PAGE_TABLE:
        return CAP_PAGE_TABLE;
    case TSR_OBJ_VSPACE:
        return CAP_VSPACE;
    case TSR_OBJ_MSG_QUEUE:
        return CAP_MSG_QUEUE;
    default:
        return CAP_NULL;
    }
}

/* The capability to a new object at pa. */
static struct cap new_cap(tsr_object_type_t type, unsigned size_bits, paddr_t pa, bool device)
{
    switch (type) {
    case TSR_OBJ_UNTYPED:
        return cap_make_untyped(pa, size_bits, device); /* watermark 0 */
    case TSR_OBJ_CNODE:
        return cap_make_cnode(pa, size_bits, 0, 0); /* radix; no guard yet */
    case TSR_OBJ_FRAME_4K:
        return cap_make_frame(pa, TSR_PAGE_BITS, device);
    case TSR_OBJ_FRAME_2M:
        return cap_make_frame(pa, TSR_LARGE_PAGE_BITS, device);
    case TSR_OBJ_MSG_QUEUE: {
        struct cap c = cap_make(CAP_MSG_QUEUE, pa);
        c.size_bits = (uint8_t)size_bits;
        return c;
    }
    default:
        /* Page tables start unmapped (level 0), VSpaces without an ASID. */
        return cap_make(cap_type_of(type), pa);
    }
}

tsr_error_t untyped_decode_retype(struct cte *ut_slot, tsr_object_type_t type, unsigned size_bits,
                                  struct cte *dest, unsigned count, struct retype_plan *plan)
{
    if (!ut_slot || ut_slot->cap.type != CAP_UNTYPED)
        return TSR_E_INVALID_CAPABILITY;
    const struct cap *ut = &ut_slot->cap;
    unsigned obits = object_size_bits(type, size_bits);
    if (obits == 0)
        return TSR_E_INVALID_ARGUMENT;
    if (count == 0 || count > TSR_RETYPE_MAX_COUNT)
        return TSR_E_RANGE;
    if (!dest)
        return TSR_E_INVALID_ARGUMENT;
    for (unsigned i = 0; i < count; i++) {
        if (!cte_empty(&dest[i]))
            return TSR_E_SLOT_OCCUPIED;
    }
    bool device = (ut->flags & CAP_FLAG_DEVICE) != 0;
    /* Device memory may hold registers: only user-mapped frames (and smaller
     * device untypeds) may be made of it, never kernel objects. */
    if (device && type != TSR_OBJ_FRAME_4K && type != TSR_OBJ_FRAME_2M &&
        type != TSR_OBJ_UNTYPED)
        return TSR_E_ILLEGAL_OPERATION;
    /* Children are recognised by following a revocable untyped (cdt.h). */
    if (!ut_slot->mdb.revocable)
        return TSR_E_ILLEGAL_OPERATION;
    if (ut->size_bits > TSR_UNTYPED_MAX_BITS || obits > ut->size_bits)
        return TSR_E_NOT_ENOUGH_MEMORY;

    /* Memory is reused only when nothing can still refer to it. */
    uint64_t size = UINT64_C(1) << ut->size_bits;
    uint64_t watermark = cap_has_children(ut_slot) ? cap_untyped_watermark(ut) : 0;
    if (watermark > size)
        return TSR_E_NOT_ENOUGH_MEMORY;
    uint64_t obj = UINT64_C(1) << obits;
    uint64_t cursor = ut->object + watermark;
    if (cursor < ut->object)
        return TSR_E_NOT_ENOUGH_MEMORY; /* region wraps: a corrupt capability */
    uint64_t start = (cursor + (obj - 1)) & ~(obj - 1);
    if (start < cursor)
        return TSR_E_NOT_ENOUGH_MEMORY;
    uint64_t offset = start - ut->object;
    uint64_t need = (uint64_t)count << obits; /* count <= 256, obits <= 47 */
    if (offset > size || need > size - offset)
        return TSR_E_NOT_ENOUGH_MEMORY;

    *plan = (struct retype_plan){.ut_slot = ut_slot, .dest = dest, .type = type,
                                 .size_bits = size_bits, .object_bits = obits, .count = count,
                                 .first = start, .watermark = offset + need, .device = device};
    return TSR_OK;
}

void untyped_perform_retype(const struct retype_plan *plan)
{
    cap_untyped_set_watermark(&plan->ut_slot->cap, plan->watermark);
    /* Inserting each right after the untyped, last first, leaves them in
     * dest order in the tree. */
    for (unsigned i = plan->count; i-- > 0;) {
        paddr_t pa = plan->first + ((uint64_t)i << plan->object_bits);
        struct cap c = new_cap(plan->type, plan->size_bits, pa, plan->device);
        cap_hook_object_init((enum cap_type)c.type, pa, plan->object_bits, plan->device);
        cap_insert(plan->ut_slot, &plan->dest[i], &c, true);
    }
}

tsr_error_t untyped_retype(struct cte *ut_slot, tsr_object_type_t type, unsigned size_bits,
                           struct cte *dest, unsigned count)
{
    struct retype_plan plan;
    tsr_error_t err = untyped_decode_retype(ut_slot, type, size_bits, dest, count, &plan);
    if (!err)
        untyped_perform_retype(&plan);
    return err;
}
