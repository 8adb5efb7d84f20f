/* SPDX-License-Identifier: MIT */
/* A second address space that runs code of the caller's own image (tests,
 * benchmarks, demos): the image mapped read-only (its text executable; its
 * data is a read-only view of the caller's), a stack and an IPC buffer of its
 * own, a CSpace of its own (a CNode whose cptrs are plain slot numbers, its
 * own TCB in slot TSR_SPACE_SELF), its own ASID, and one thread. Every object
 * is retyped from one untyped the caller names, so revoking that untyped
 * destroys the whole space. Everything is done with capability invocations. */
#ifndef TSR_SPACE_H
#define TSR_SPACE_H

#include <stdint.h>

#include <tessera/bootinfo.h>

#include "syscall.h"

#define TSR_SPACE_SELF 1              /* its own TCB, in its own CNode */
#define TSR_SPACE_FIRST_FREE 2        /* first slot tsr_space_give may fill */
#define TSR_SPACE_STACK_VA 0x7f000000ull /* stack page, then the IPC buffer page */

struct tsr_space {
    tsr_cptr_t untyped;            /* pays for everything below */
    tsr_cptr_t (*alloc_slot)(void); /* slots of the caller's CNode for its caps */
    tsr_cptr_t cnode, vspace, tcb, ipc_frame;
    unsigned radix;                /* the CNode has 2^radix slots */
    uint64_t ipc_buffer;           /* VA of its IPC buffer (in its own space) */
};

/* Make the space (not its thread's code: see tsr_space_start). alloc_slot
 * gives slots of the root CNode (tsr_alloc_slot, or a test's allocator);
 * fault_ep (0: none) receives the thread's faults. The untyped needs about
 * 64 KiB plus 4 KiB per page of the image. */
tsr_error_t tsr_space_create(struct tsr_space *s, const struct tsr_bootinfo *bi,
                             tsr_cptr_t untyped, unsigned radix, tsr_cptr_t (*alloc_slot)(void),
                             tsr_cptr_t fault_ep);
/* Put a copy of `cap`, with `rights` and (endpoint or notification) `badge`,
 * in slot `slot` of the space's CNode. */
tsr_error_t tsr_space_give(struct tsr_space *s, unsigned slot, tsr_cptr_t cap, unsigned rights,
                           uint64_t badge);
/* Map a copy of the frame capability `frame` at va in the space (page
 * tables made from the space's untyped as needed). *copy gets the copy's
 * slot in the caller's CNode (unmap or delete it to take the mapping back). */
tsr_error_t tsr_space_map(struct tsr_space *s, tsr_cptr_t frame, uint64_t va, unsigned rights,
                          unsigned attrs, tsr_cptr_t *copy);
/* Start the thread: fn(arg) at `priority`, on its own stack. When fn
 * returns the thread suspends itself. */
tsr_error_t tsr_space_start(struct tsr_space *s, void (*fn)(uint64_t), uint64_t arg,
                            unsigned priority);

#endif
