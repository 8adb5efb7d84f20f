/* SPDX-License-Identifier: MIT */
/* Address-space methods: mapping frames and page tables, ASID pools. The
 * mapping itself is arch code; here are the capability rules: a frame or page
 * table is mapped through one capability at a time, rights can only shrink,
 * nothing is both writable and executable, and an address space needs an
 * ASID before anything is mapped into it. */
#include <stdbool.h>
#include <stdint.h>

#include <tessera/syscalls.h>

#include "object/asid.h"
#include "cap/cdt.h"
#include "cap/cspace.h"
#include "object/invoke.h"
#include "lib/kstring.h"
#include "core/sched.h"

/* The VSpace argument: a VSpace capability whose ASID is live. */
static tsr_error_t lookup_vspace(struct invocation *inv, uint64_t cptr, paddr_t *vspace,
                                 unsigned *asid)
{
    struct cte *slot;
    tsr_error_t err = inv_lookup_typed(inv, cptr, CAP_VSPACE, 0, &slot);
    if (err)
        return err;
    if (slot->cap.a == 0 || asid_lookup((unsigned)slot->cap.a) != slot->cap.object)
        return TSR_E_ILLEGAL_OPERATION; /* no ASID assigned (ASIDPool_Assign first) */
    *vspace = slot->cap.object;
    *asid = (unsigned)slot->cap.a;
    return TSR_OK;
}

tsr_error_t invoke_frame(struct invocation *inv)
{
    struct cap *cap = &inv->slot->cap;
    switch (inv->label) {
    case TSR_FRAME_MAP: {
        if (inv->length < 4)
            return TSR_E_TRUNCATED;
        uint64_t va = inv_arg(inv, 1), rights = inv_arg(inv, 2), attrs = inv_arg(inv, 3);
        paddr_t vspace;
        unsigned asid;
        tsr_error_t err = lookup_vspace(inv, inv_arg(inv, 0), &vspace, &asid);
        if (err)
            return err;
        if (cap->b)
            return TSR_E_ALREADY_MAPPED; /* this capability already maps the frame */
        if ((rights & ~(uint64_t)TSR_RIGHTS_ALL) || (attrs & ~(uint64_t)(TSR_VM_EXECUTE | TSR_VM_UNCACHED)))
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
        unsigned vm = ARCH_VM_READ;
        if (rights & TSR_RIGHT_WRITE)
            vm |= ARCH_VM_WRITE;
        if (attrs & TSR_VM_EXECUTE)
            vm |= ARCH_VM_EXECUTE;
        if ((attrs & TSR_VM_UNCACHED) || (cap->flags & CAP_FLAG_DEVICE))
            vm = (vm & ~ARCH_VM_EXECUTE) | ARCH_VM_UNCACHED;
        /* RAM mapped uncached is read from memory, bypassing the caches: write
         * back and drop whatever they hold for it first, or the mapping could
         * show what the memory held before it was zeroed. */
        if ((attrs & TSR_VM_UNCACHED) && !(cap->flags & CAP_FLAG_DEVICE))
            arch_clean_invalidate(arch_phys_to_virt(cap->object), size);
        err = arch_vspace_map_frame(vspace, asid, va, cap->object, cap->size_bits, vm);
        if (err)
            return err;
        cap->a = va;
        cap->b = asid;
        return TSR_OK;
    }
    case TSR_FRAME_UNMAP:
        if (cap->b) {
            paddr_t vspace = asid_lookup((unsigned)cap->b);
            if (vspace)
                arch_vspace_unmap_frame(vspace, (unsigned)cap->b, cap->a, cap->object,
                                        cap->size_bits);
            cap->a = cap->b = 0;
        }
        return TSR_OK;
    case TSR_FRAME_GET_ADDRESS:
        inv_result(inv, cap->object);
        return TSR_OK;
    default:
        return TSR_E_ILLEGAL_OPERATION;
    }
}

tsr_error_t invoke_page_table(struct invocation *inv)
{
    struct cap *cap = &inv->slot->cap;
    switch (inv->label) {
    case TSR_PAGE_TABLE_MAP: {
        if (inv->length < 2)
            return TSR_E_TRUNCATED;
        paddr_t vspace;
        unsigned asid, level;
        uint64_t va = inv_arg(inv, 1);
        tsr_error_t err = lookup_vspace(inv, inv_arg(inv, 0), &vspace, &asid);
        if (err)
            return err;
        if (cap->b)
            return TSR_E_ALREADY_MAPPED;
        if (va >= ARCH_USER_VA_END)
            return TSR_E_RANGE;
        err = arch_vspace_map_table(vspace, asid, va, cap->object, &level);
        if (err)
            return err;
        /* A level-n table covers 2^(48 - 9n) bytes: record the aligned base. */
        cap->a = va & ~((1ull << (48 - 9 * level)) - 1);
        cap->b = asid;
        cap->size_bits = (uint8_t)level;
        inv_result(inv, level);
        return TSR_OK;
    }
    case TSR_PAGE_TABLE_UNMAP:
        if (cap->b) {
            paddr_t vspace = asid_lookup((unsigned)cap->b);
            if (vspace)
                arch_vspace_unmap_table(vspace, (unsigned)cap->b, cap->a, cap->object,
                                        cap->size_bits);
            else
                memset(arch_phys_to_virt(cap->object), 0, 1u << TSR_PAGE_TABLE_BITS);
            cap->a = cap->b = 0;
            cap->size_bits = 0;
        }
        return TSR_OK;
    default:
        return TSR_E_ILLEGAL_OPERATION;
    }
}

tsr_error_t invoke_asid_control(struct invocation *inv)
{
    if (inv->label != TSR_ASID_CONTROL_MAKE_POOL)
        return TSR_E_ILLEGAL_OPERATION;
    if (inv->length < 4)
        return TSR_E_TRUNCATED;
    struct cte *ut, *dst;
    tsr_error_t err = inv_lookup_cap(inv, inv_arg(inv, 0), &ut);
    if (err)
        return err;
    if (ut->cap.type != CAP_UNTYPED || (ut->cap.flags & CAP_FLAG_DEVICE))
        return TSR_E_INVALID_CAPABILITY;
    if (ut->cap.size_bits != TSR_PAGE_BITS)
        return TSR_E_INVALID_ARGUMENT; /* a pool takes exactly one 4 KiB untyped */
    if (cap_has_children(ut))
        return TSR_E_REVOKE_FIRST;
    err = inv_lookup_slot(inv, inv_arg(inv, 1), inv_arg(inv, 2), inv_arg(inv, 3), &dst);
    if (err)
        return err;
    if (dst->cap.type != CAP_NULL)
        return TSR_E_SLOT_OCCUPIED;
    unsigned base = asid_pool_create(ut->cap.object);
    if (base > ARCH_ASID_MAX)
        return TSR_E_NOT_ENOUGH_MEMORY; /* all 128 pool ranges are taken */
    memset(arch_phys_to_virt(ut->cap.object), 0, 1u << TSR_PAGE_BITS);
    ut->cap.a = 1u << TSR_PAGE_BITS; /* the untyped is used up */
    struct cap pool = {.type = CAP_ASID_POOL, .rights = TSR_RIGHTS_ALL, .object = ut->cap.object,
                       .a = base};
    cap_insert(ut, dst, &pool, true);
    return TSR_OK;
}

tsr_error_t invoke_asid_pool(struct invocation *inv)
{
    if (inv->label != TSR_ASID_POOL_ASSIGN)
        return TSR_E_ILLEGAL_OPERATION;
    if (inv->length < 1)
        return TSR_E_TRUNCATED;
    struct cte *vs;
    tsr_error_t err = inv_lookup_typed(inv, inv_arg(inv, 0), CAP_VSPACE, 0, &vs);
    if (err)
        return err;
    if (vs->cap.a)
        return TSR_E_ILLEGAL_OPERATION; /* already has an ASID */
    unsigned asid;
    err = asid_assign(&inv->slot->cap, vs->cap.object, &asid);
    if (err)
        return err;
    vs->cap.a = asid;
    sched_vspace_changed();
    inv_result(inv, asid);
    return TSR_OK;
}
