/* SPDX-License-Identifier: MIT */
/* Frame objects: memory to map. The capability rules are here: a frame is
 * mapped through one capability at a time, rights can only shrink, nothing
 * is both writable and executable, and device memory is never cached or
 * executable. The page-table entry is arch code. */
#include <stdint.h>

#include <tessera/syscalls.h>

#include "arch.h"
#include "object/invoke.h"
#include "object/objects.h"
#include "object/vspace.h"

/* Map: vspace, va, rights, attributes. */
struct frame_map {
    struct arch_map_slot slot;
    unsigned vm;       /* ARCH_VM_* */
    unsigned asid;
    uint64_t va;
    bool clean_first;  /* RAM mapped uncached: clean the caches first */
};

static tsr_error_t decode_map(struct invocation *inv, struct frame_map *m)
{
    const struct cap *cap = &inv->slot->cap;
    uint64_t va = inv_arg(inv, 1), rights = inv_arg(inv, 2), attrs = inv_arg(inv, 3);
    paddr_t vspace;
    tsr_error_t err = vspace_lookup_arg(inv, inv_arg(inv, 0), &vspace, &m->asid);
    if (err)
        return err;
    if (cap_mapped_asid(cap))
        return TSR_E_ALREADY_MAPPED; /* this capability already maps the frame */
    if ((rights & ~(uint64_t)TSR_RIGHTS_ALL) ||
        (attrs & ~(uint64_t)(TSR_VM_EXECUTE | TSR_VM_UNCACHED)))
        return TSR_E_INVALID_ARGUMENT;
    rights &= cap->rights;
    if (!(rights & TSR_RIGHT_READ))
        return TSR_E_INSUFFICIENT_RIGHTS;
    if ((attrs & TSR_VM_EXECUTE) && (rights & TSR_RIGHT_WRITE))
        return TSR_E_INVALID_ARGUMENT; /* W^X */
    uint64_t size = 1ull << cap->size_bits;
    if (va & (size - 1))
        return TSR_E_ALIGNMENT;
    if (va >= ARCH_USER_VA_END || size > ARCH_USER_VA_END - va)
        return TSR_E_RANGE;
    err = arch_vspace_frame_slot(vspace, va, cap->size_bits, &m->slot);
    if (err)
        return err;
    bool device = (cap->flags & CAP_FLAG_DEVICE) != 0;
    m->vm = ARCH_VM_READ;
    if (rights & TSR_RIGHT_WRITE)
        m->vm |= ARCH_VM_WRITE;
    if (attrs & TSR_VM_EXECUTE)
        m->vm |= ARCH_VM_EXECUTE;
    if ((attrs & TSR_VM_UNCACHED) || device)
        m->vm = (m->vm & ~ARCH_VM_EXECUTE) | ARCH_VM_UNCACHED;
    m->clean_first = (attrs & TSR_VM_UNCACHED) && !device;
    m->va = va;
    return TSR_OK;
}

static void perform_map(struct cap *cap, const struct frame_map *m)
{
    /* RAM mapped uncached is read from memory, bypassing the caches: write
     * back and drop whatever they hold for it first, or the mapping could
     * show what the memory held before it was zeroed. */
    if (m->clean_first)
        arch_clean_invalidate(arch_object_to_virt(cap->object), (size_t)1 << cap->size_bits);
    arch_vspace_map_frame_at(&m->slot, cap->object, m->vm);
    cap_set_mapping(cap, m->va, m->asid);
}

static tsr_error_t frame_invoke(struct invocation *inv)
{
    struct cap *cap = &inv->slot->cap;
    switch (inv->label) {
    case TSR_FRAME_MAP: {
        struct frame_map m;
        tsr_error_t err = decode_map(inv, &m);
        if (!err)
            perform_map(cap, &m);
        return err;
    }
    case TSR_FRAME_UNMAP:
        vspace_unmap_cap(cap);
        return TSR_OK;
    default: /* TSR_FRAME_GET_ADDRESS */
        inv_result(inv, cap->object);
        inv_result(inv, (uint64_t)1 << cap->size_bits);
        return TSR_OK;
    }
}

/* Mappings belong to one capability: remove its mapping whenever it goes. */
static void frame_cap_removed(const struct cap *cap)
{
    struct cap c = *cap;
    vspace_unmap_cap(&c);
}

const struct object_type frame_type = {
    .name = "frame",
    .cap_removed = frame_cap_removed,
    .invoke = frame_invoke,
};
