/* SPDX-License-Identifier: MIT */
/* ASID pools (see asid.h). The kernel's only table here is the 128-entry
 * array of pools; each pool's 512 entries live in the pool object. */
#include <stdint.h>

#include "arch.h"
#include "object/asid.h"
#include "core/sched.h"

static paddr_t pools[ASID_POOLS];

static paddr_t *pool_entries(paddr_t pool)
{
    return arch_phys_to_virt(pool);
}

paddr_t asid_lookup(unsigned asid)
{
    if (asid == 0 || asid > ARCH_ASID_MAX)
        return 0;
    paddr_t pool = pools[asid >> ASID_POOL_BITS];
    return pool ? pool_entries(pool)[asid & (ASID_POOL_SIZE - 1)] : 0;
}

unsigned asid_pool_create(paddr_t pool)
{
    /* Only as many pools as the MMU has ASIDs: with 8-bit ASIDs, ASID n and
     * n + 256 would share TLB entries. */
    unsigned pools_usable = arch_asid_count() / ASID_POOL_SIZE;
    if (pools_usable == 0)
        pools_usable = 1;
    for (unsigned i = 0; i < pools_usable && i < ASID_POOLS; i++) {
        if (!pools[i]) {
            pools[i] = pool;
            /* Pool 0's first entry would be ASID 0, which stays unused. */
            return i << ASID_POOL_BITS;
        }
    }
    return ARCH_ASID_MAX + 1; /* no free range */
}

tsr_error_t asid_assign(const struct cap *pool_cap, paddr_t vspace, unsigned *asid)
{
    unsigned base = (unsigned)pool_cap->a;
    if (pools[base >> ASID_POOL_BITS] != pool_cap->object)
        return TSR_E_INVALID_CAPABILITY;
    paddr_t *entries = pool_entries(pool_cap->object);
    unsigned limit = arch_asid_count();
    for (unsigned i = 0; i < ASID_POOL_SIZE && base + i < limit; i++) {
        if (base + i == 0 || entries[i])
            continue;
        entries[i] = vspace;
        *asid = base + i;
        return TSR_OK;
    }
    return TSR_E_NOT_ENOUGH_MEMORY; /* the pool is full */
}

void asid_vspace_destroyed(paddr_t vspace, unsigned asid)
{
    if (asid == 0 || asid_lookup(asid) != vspace)
        return;
    pool_entries(pools[asid >> ASID_POOL_BITS])[asid & (ASID_POOL_SIZE - 1)] = 0;
    arch_tlb_flush_asid(asid);
    sched_vspace_changed();
}

void asid_pool_destroyed(const struct cap *pool_cap)
{
    unsigned idx = (unsigned)pool_cap->a >> ASID_POOL_BITS;
    if (idx >= ASID_POOLS || pools[idx] != pool_cap->object)
        return;
    paddr_t *entries = pool_entries(pool_cap->object);
    for (unsigned i = 0; i < ASID_POOL_SIZE; i++)
        if (entries[i])
            arch_tlb_flush_asid(((unsigned)pool_cap->a) + i);
    pools[idx] = 0;
    sched_vspace_changed();
}
