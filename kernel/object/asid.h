/* SPDX-License-Identifier: MIT */
/* ASIDs, managed as in seL4: ASID pools are objects user space pays for
 * (ASIDControl_MakePool turns a 4 KiB untyped into one); each pool serves 512
 * ASIDs, and ASIDPool_Assign gives a VSpace one of them. The ASID tags the
 * VSpace's TLB entries and names it in frame and page-table capabilities, so
 * a mapping outlives its address space harmlessly. */
#ifndef KERNEL_ASID_H
#define KERNEL_ASID_H

#include <stdint.h>

#include "cap/cap.h"

#define ASID_POOL_BITS 9
#define ASID_POOL_SIZE (1u << ASID_POOL_BITS) /* ASIDs per pool */
#define ASID_POOLS 128                         /* 2^16 ASIDs in all */

/* The VSpace that owns asid, or 0. ASID 0 is never assigned. */
paddr_t asid_lookup(unsigned asid);
/* The first ASID of the next free pool range, or ARCH_ASID_MAX + 1 if all
 * ranges the MMU can use are taken (changes nothing). */
unsigned asid_pool_free_range(void);
/* Make the (zeroed) pool object at pa serve the range starting at base, a
 * value asid_pool_free_range returned. */
void asid_pool_install(paddr_t pool, unsigned base);
/* A free ASID of the pool a capability names (changes nothing). Errors:
 * INVALID_CAPABILITY (not a live pool), NOT_ENOUGH_MEMORY (pool full). */
tsr_error_t asid_pool_find_free(const struct cap *pool_cap, unsigned *asid);
/* Give vspace the ASID asid_pool_find_free returned. */
void asid_install(const struct cap *pool_cap, unsigned asid, paddr_t vspace);
/* Both steps, for boot code: a free ASID of the pool, given to vspace. */
tsr_error_t asid_assign(const struct cap *pool_cap, paddr_t vspace, unsigned *asid);
void asid_vspace_destroyed(paddr_t vspace, unsigned asid);

#endif
