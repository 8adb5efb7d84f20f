/* SPDX-License-Identifier: MIT */
/* VSpace objects (a level-0 table: the root of an address space) and what
 * the frame and page-table methods share: the VSpace argument, and removing
 * a mapping. A VSpace has no methods; it gets its ASID from an ASID pool,
 * and deleting it frees the ASID, so later unmaps of its frames find
 * nothing to do. */
#include <stdint.h>

#include "arch.h"
#include "lib/kstring.h"
#include "object/asid.h"
#include "object/invoke.h"
#include "object/objects.h"
#include "object/vspace.h"

tsr_error_t vspace_lookup_arg(struct invocation *inv, uint64_t cptr, paddr_t *vspace,
                              unsigned *asid)
{
    struct cte *slot;
    tsr_error_t err = inv_lookup_typed(inv, cptr, CAP_VSPACE, 0, &slot);
    if (err)
        return err;
    unsigned a = cap_vspace_asid(&slot->cap);
    if (a == 0 || asid_lookup(a) != slot->cap.object)
        return TSR_E_ILLEGAL_OPERATION; /* no ASID assigned (ASIDPool_Assign first) */
    *vspace = slot->cap.object;
    *asid = a;
    return TSR_OK;
}

void vspace_unmap_cap(struct cap *cap)
{
    unsigned asid = cap_mapped_asid(cap);
    if (!asid)
        return;
    paddr_t vspace = asid_lookup(asid);
    uint64_t va = cap_mapped_va(cap);
    if (cap->type == CAP_FRAME) {
        if (vspace)
            arch_vspace_unmap_frame(vspace, asid, va, cap->object, cap->size_bits);
    } else if (vspace) {
        arch_vspace_unmap_table(vspace, asid, va, cap->object, cap_page_table_level(cap));
    } else {
        memset(arch_object_to_virt(cap->object), 0, (size_t)1 << TSR_PAGE_TABLE_BITS);
    }
    cap_set_mapping(cap, 0, 0);
    if (cap->type == CAP_PAGE_TABLE)
        cap_page_table_set_level(cap, 0);
}

/* The last capability went: its ASID is free again. */
static void vspace_type_destroy(const struct cap *cap)
{
    asid_vspace_destroyed(cap->object, cap_vspace_asid(cap));
}

const struct object_type vspace_type = {
    .name = "vspace",
    .destroy = vspace_type_destroy,
};
