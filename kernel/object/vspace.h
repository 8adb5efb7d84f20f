/* SPDX-License-Identifier: MIT */
/* Address-space objects as the frame and page-table methods see them: the
 * VSpace argument of a Map, and the removal of a mapping a capability made.
 * The page tables themselves are arch code (kernel/arch.h); ASIDs are
 * object/asid.h's. */
#ifndef KERNEL_VSPACE_H
#define KERNEL_VSPACE_H

#include "cap/cap.h"

struct invocation;

/* The VSpace argument of a Map: a VSpace capability whose ASID is live.
 * Errors: the lookup's, INVALID_CAPABILITY (not a VSpace),
 * ILLEGAL_OPERATION (no ASID assigned, or it is no longer this VSpace's). */
tsr_error_t vspace_lookup_arg(struct invocation *inv, uint64_t cptr, paddr_t *vspace,
                              unsigned *asid);

/* Remove the mapping a frame or page-table capability made, if it made one
 * and it is still there, and record in the capability that it maps nothing.
 * A page table is cleared whenever it is unlinked (arch_vspace_unmap_table),
 * or here if its address space is gone. */
void vspace_unmap_cap(struct cap *cap);

#endif
