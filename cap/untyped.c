/* SPDX-License-Identifier: MIT */
/* Untyped retype: carving kernel objects out of an untyped region at its
 * watermark, each aligned to its own size, and inserting their capabilities
 * as children of the untyped. Decode (every check) happens before invoke
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
    default:
        return CAP_NULL;
    }
}

/* The capability to a new object at pa. */
static struct cap new_cap(tsr_object_type_t type, unsigned size_bits, paddr_t pa, bool device)
{
    struct cap c = {0};
    c.type = (uint8_t)cap_type_of(type);
    c.rights = TSR_RIGHTS_ALL;
    c.object = pa;
    switch (type) {
    case TSR_OBJ_UNTYPED:
        c.size_bits = (uint8_t)size_bits; /* a = watermark 0 */
        c.flags = device ? CAP_FLAG_DEVICE : 0;
        break;
    case TSR_OBJ_CNODE:
        c.size_bits = (uint8_t)size_bits; /* radix; no guard yet */
        break;
    case TSR_OBJ_FRAME_4K:
        c.size_bits = TSR_PAGE_BITS;
        c.flags = device ? CAP_FLAG_DEVICE : 0;
        break;
    case TSR_OBJ_FRAME_2M:
        c.size_bits = TSR_LARGE_PAGE_BITS;
        c.flags = device ? CAP_FLAG_DEVICE : 0;
        break;
    default:
        break; /* page tables start unmapped (level 0), VSpaces without ASID */
    }
    return c;
}

tsr_error_t untyped_retype(struct cte *ut_slot, tsr_object_type_t type, unsigned size_bits,
                           struct cte *dest, unsigned count)
{
    /* ---- decode: check everything, change nothing ---- */
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
    uint64_t watermark = cap_has_children(ut_slot) ? ut->a : 0;
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

    /* ---- invoke: cannot fail ---- */
    ut_slot->cap.a = offset + need;
    /* Inserting each right after the untyped, last first, leaves them in
     * dest order in the tree. */
    for (unsigned i = count; i-- > 0;) {
        paddr_t pa = start + ((uint64_t)i << obits);
        struct cap c = new_cap(type, size_bits, pa, device);
        cap_hook_object_init((enum cap_type)c.type, pa, obits, device);
        cap_insert(ut_slot, &dest[i], &c, true);
    }
    return TSR_OK;
}
