/* SPDX-License-Identifier: MIT */
/* Mapping helpers: map a frame, creating the page tables on the way from
 * untyped memory when the kernel reports one missing. */
#ifndef TSR_VM_H
#define TSR_VM_H

#include <stdint.h>

#include "syscall.h"

tsr_error_t tsr_vm_map(tsr_cptr_t frame, tsr_cptr_t vspace, uint64_t va, unsigned rights,
                       unsigned attrs);
/* Make sure page tables exist down to level 3 for [va, va + size), so that
 * 4 KiB pages can be mapped there (e.g. a message queue's view). */
tsr_error_t tsr_vm_ensure_tables(tsr_cptr_t vspace, uint64_t va, uint64_t size);

#endif
