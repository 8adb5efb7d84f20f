/* SPDX-License-Identifier: MIT */
/* The kernel's invariant checker, behind the DebugCheck system call. */
#ifndef KERNEL_INVARIANTS_H
#define KERNEL_INVARIANTS_H

/* Which invariant broke (DebugCheck's x0; docs/testing.md lists them). */
enum invariant {
    INV_OK = 0,
    INV_CDT = 1,     /* derivation list: links, termination, no empty slot */
    INV_UNTYPED = 2, /* objects below the watermark, not overlapping */
    INV_QUEUE = 3,   /* endpoint and notification queues */
    INV_THREAD = 4,  /* a thread's state agrees with what it waits on */
    INV_SCHED = 5,   /* ready queues and bitmaps */
    INV_MAPPING = 6, /* mappings agree with the capabilities that made them */
    INV_FPU = 7,     /* the FP/SIMD registers' owner is a live thread; trap state */
};

/* Check every invariant (debug kernels; others check nothing and report 0
 * capabilities). Returns the first broken one, or INV_OK, and how many
 * capabilities were looked at. */
enum invariant invariants_check(unsigned long *caps_checked);

#endif
