/* SPDX-License-Identifier: MIT */
/* PageTable objects: a level 1-3 translation table that user space makes
 * and links into a VSpace. One capability maps a table (page-table
 * capabilities cannot be copied), so a table is never linked twice, and an
 * unlinked table is cleared so it never brings old mappings along. */
#include <stdint.h>

#include <tessera/syscalls.h>

#include "arch.h"
#include "object/invoke.h"
#include "object/objects.h"
#include "object/vspace.h"

/* Map: vspace, va. */
struct table_map {
    struct arch_map_slot slot;
    unsigned asid;
    uint64_t va;
};

static tsr_error_t decode_map(struct invocation *inv, struct table_map *m)
{
    paddr_t vspace;
    m->va = inv_arg(inv, 1);
    tsr_error_t err = vspace_lookup_arg(inv, inv_arg(inv, 0), &vspace, &m->asid);
    if (err)
        return err;
    if (cap_mapped_asid(&inv->slot->cap))
        return TSR_E_ALREADY_MAPPED;
    if (m->va >= ARCH_USER_VA_END)
        return TSR_E_RANGE;
    return arch_vspace_table_slot(vspace, m->va, &m->slot);
}

static void perform_map(struct invocation *inv, const struct table_map *m)
{
    struct cap *cap = &inv->slot->cap;
    arch_vspace_map_table_at(&m->slot, cap->object);
    cap_set_mapping(cap, arch_vspace_table_region(m->va, m->slot.level), m->asid);
    cap_page_table_set_level(cap, m->slot.level);
    inv_result(inv, m->slot.level);
}

static tsr_error_t page_table_invoke(struct invocation *inv)
{
    if (inv->label == TSR_PAGE_TABLE_UNMAP) {
        vspace_unmap_cap(&inv->slot->cap);
        return TSR_OK;
    }
    struct table_map m; /* TSR_PAGE_TABLE_MAP */
    tsr_error_t err = decode_map(inv, &m);
    if (!err)
        perform_map(inv, &m);
    return err;
}

/* The capability that linked the table is going: unlink and clear it. */
static void page_table_cap_removed(const struct cap *cap)
{
    struct cap c = *cap;
    vspace_unmap_cap(&c);
}

const struct object_type page_table_type = {
    .name = "page_table",
    .cap_removed = page_table_cap_removed,
    .invoke = page_table_invoke,
};
