/* SPDX-License-Identifier: MIT */
/* ASID pools and ASIDControl (see asid.h). The kernel's only table here is
 * the 128-entry array of pools; each pool's 512 entries live in the pool
 * object. */
#include <stdint.h>

#include <tessera/syscalls.h>

#include "arch.h"
#include "cap/cdt.h"
#include "core/sched.h"
#include "lib/kstring.h"
#include "object/asid.h"
#include "object/invoke.h"
#include "object/objects.h"

static paddr_t pools[ASID_POOLS];

static paddr_t *pool_entries(paddr_t pool)
{
    return arch_object_to_virt(pool);
}

paddr_t asid_lookup(unsigned asid)
{
    if (asid == 0 || asid > ARCH_ASID_MAX)
        return 0;
    paddr_t pool = pools[asid >> ASID_POOL_BITS];
    return pool ? pool_entries(pool)[asid & (ASID_POOL_SIZE - 1)] : 0;
}

unsigned asid_pool_free_range(void)
{
    /* Only as many pools as the MMU has ASIDs: with 8-bit ASIDs, ASID n and
     * n + 256 would share TLB entries. */
    unsigned pools_usable = arch_asid_count() / ASID_POOL_SIZE;
    if (pools_usable == 0)
        pools_usable = 1;
    for (unsigned i = 0; i < pools_usable && i < ASID_POOLS; i++)
        if (!pools[i])
            return i << ASID_POOL_BITS; /* pool 0's ASID 0 stays unused */
    return ARCH_ASID_MAX + 1; /* no free range */
}

void asid_pool_install(paddr_t pool, unsigned base)
{
    pools[base >> ASID_POOL_BITS] = pool;
}

tsr_error_t asid_pool_find_free(const struct cap *pool_cap, unsigned *asid)
{
    unsigned base = cap_asid_pool_base(pool_cap);
    if (pools[base >> ASID_POOL_BITS] != pool_cap->object)
        return TSR_E_INVALID_CAPABILITY;
    paddr_t *entries = pool_entries(pool_cap->object);
    unsigned limit = arch_asid_count();
    for (unsigned i = 0; i < ASID_POOL_SIZE && base + i < limit; i++) {
        if (base + i == 0 || entries[i])
            continue;
        *asid = base + i;
        return TSR_OK;
    }
    return TSR_E_NOT_ENOUGH_MEMORY; /* the pool is full */
}

void asid_install(const struct cap *pool_cap, unsigned asid, paddr_t vspace)
{
    /* An ASID is never given to a new address space with TLB entries of an
     * earlier one still cached under it (Arm ARM DDI 0487, D8: entries are
     * tagged with the ASID, so reuse needs TLBI ASIDE1 first). Its earlier
     * owner's teardown flushed it already unless its pool went first. */
    arch_tlb_flush_asid(asid);
    pool_entries(pool_cap->object)[asid - cap_asid_pool_base(pool_cap)] = vspace;
}

tsr_error_t asid_assign(const struct cap *pool_cap, paddr_t vspace, unsigned *asid)
{
    tsr_error_t err = asid_pool_find_free(pool_cap, asid);
    if (!err)
        asid_install(pool_cap, *asid, vspace);
    return err;
}

void asid_vspace_destroyed(paddr_t vspace, unsigned asid)
{
    arch_vspace_release(vspace); /* the MMU must not keep walking it */
    if (asid == 0 || asid_lookup(asid) != vspace)
        return;
    pool_entries(pools[asid >> ASID_POOL_BITS])[asid & (ASID_POOL_SIZE - 1)] = 0;
    arch_tlb_flush_asid(asid);
    sched_vspace_changed();
}

/* ---- ASIDControl: MakePool ----------------------------------------------------- */

struct make_pool {
    struct cte *untyped, *dst;
    unsigned base;
};

/* MakePool: untyped, root, index, depth. */
static tsr_error_t decode_make_pool(struct invocation *inv, struct make_pool *m)
{
    tsr_error_t err = inv_lookup_cap(inv, inv_arg(inv, 0), &m->untyped);
    if (err)
        return err;
    const struct cap *ut = &m->untyped->cap;
    if (ut->type != CAP_UNTYPED || (ut->flags & CAP_FLAG_DEVICE))
        return TSR_E_INVALID_CAPABILITY;
    if (ut->size_bits != TSR_PAGE_BITS)
        return TSR_E_INVALID_ARGUMENT; /* a pool takes exactly one 4 KiB untyped */
    if (cap_has_children(m->untyped))
        return TSR_E_REVOKE_FIRST;
    err = inv_lookup_empty_slot(inv, inv_arg(inv, 1), inv_arg(inv, 2), inv_arg(inv, 3), &m->dst);
    if (err)
        return err;
    m->base = asid_pool_free_range();
    if (m->base > ARCH_ASID_MAX)
        return TSR_E_NOT_ENOUGH_MEMORY; /* all 128 pool ranges are taken */
    return TSR_OK;
}

static void perform_make_pool(const struct make_pool *m)
{
    paddr_t pa = m->untyped->cap.object;
    memset(arch_object_to_virt(pa), 0, 1u << TSR_PAGE_BITS);
    asid_pool_install(pa, m->base);
    cap_untyped_set_watermark(&m->untyped->cap, 1u << TSR_PAGE_BITS); /* used up */
    struct cap pool = cap_make_asid_pool(pa, m->base);
    cap_insert(m->untyped, m->dst, &pool, true);
}

static tsr_error_t asid_control_invoke(struct invocation *inv)
{
    struct make_pool m; /* the only method: TSR_ASID_CONTROL_MAKE_POOL */
    tsr_error_t err = decode_make_pool(inv, &m);
    if (!err)
        perform_make_pool(&m);
    return err;
}

const struct object_type asid_control_type = {
    .name = "asid_control",
    .invoke = asid_control_invoke,
};

/* ---- ASIDPool: Assign ------------------------------------------------------------ */

/* Assign: vspace. */
static tsr_error_t decode_assign(struct invocation *inv, struct cte **vs, unsigned *asid)
{
    tsr_error_t err = inv_lookup_typed(inv, inv_arg(inv, 0), CAP_VSPACE, 0, vs);
    if (err)
        return err;
    if (cap_vspace_asid(&(*vs)->cap))
        return TSR_E_ILLEGAL_OPERATION; /* already has an ASID */
    return asid_pool_find_free(&inv->slot->cap, asid);
}

static tsr_error_t asid_pool_invoke(struct invocation *inv)
{
    struct cte *vs; /* the only method: TSR_ASID_POOL_ASSIGN */
    unsigned asid;
    tsr_error_t err = decode_assign(inv, &vs, &asid);
    if (err)
        return err;
    asid_install(&inv->slot->cap, asid, vs->cap.object);
    cap_vspace_set_asid(&vs->cap, asid);
    sched_vspace_changed();
    inv_result(inv, asid);
    return TSR_OK;
}

/* The last capability went: its ASIDs are flushed and its range freed. */
static void asid_pool_type_destroy(const struct cap *pool_cap)
{
    unsigned base = cap_asid_pool_base(pool_cap);
    unsigned idx = base >> ASID_POOL_BITS;
    if (idx >= ASID_POOLS || pools[idx] != pool_cap->object)
        return;
    paddr_t *entries = pool_entries(pool_cap->object);
    for (unsigned i = 0; i < ASID_POOL_SIZE; i++)
        if (entries[i])
            arch_tlb_flush_asid(base + i);
    pools[idx] = 0;
    sched_vspace_changed();
}

const struct object_type asid_pool_type = {
    .name = "asid_pool",
    .destroy = asid_pool_type_destroy,
    .invoke = asid_pool_invoke,
};
