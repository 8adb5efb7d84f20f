/* SPDX-License-Identifier: MIT */
/* The FP/SIMD half of the context switch (fpu.c explains the scheme): the
 * trap a thread's first FP/SIMD instruction takes while it runs with them
 * off, and the store routine fpu.c calls. The kernel is built
 * with -mgeneral-regs-only and touches these registers nowhere else. */
#include "arch/context.h"
#include "fpu_asm.h"

    .section .text.fpu, "ax"

/*
 * el0_fp_trap: the ordinary vector table's synchronous entry from EL0 comes
 * here for ESR_EL1.EC 0x07 (an FP/SIMD instruction trapped by
 * CPACR_EL1.FPEN), with the thread's x0/x1 saved in its context and sp = the
 * context. Nothing but x0-x2 is touched, so only those are saved, and the
 * instruction runs again after the ERET:
 *  - the thread owns the registers (it was switched away from and back, or
 *    took an interrupt): only lift the trap;
 *  - otherwise store the owner's registers in its context (if there is an
 *    owner), load this thread's, and make it the owner.
 * No thread is chosen and nothing else changes, so it returns to the same
 * thread.
 */
    .globl el0_fp_trap
el0_fp_trap:
    str     x2, [sp, #CTX_X(2)]
    adrp    x0, fpu_owner
    ldr     x1, [x0, :lo12:fpu_owner]
    mov     x2, sp
    cmp     x1, x2
    b.eq    2f
    str     x2, [x0, :lo12:fpu_owner]
    /* Accessible at EL1 first; the ISB makes the instructions below see it
     * (a System register write affects later instructions only after a
     * context synchronization event). */
    mov     x0, #CPACR_FP_NO_TRAP
    msr     cpacr_el1, x0
    isb
    cbz     x1, 1f
    add     x1, x1, #CTX_FPU
    fpu_store x1, x2                /* the previous owner's */
1:  add     x1, sp, #CTX_FPU
    fpu_load x1, x2                 /* ours: zero if never used */
2:  fp_untrap_el0 x0
    ldr     x2, [sp, #CTX_X(2)]
    ldp     x0, x1, [sp, #CTX_X(0)]
    eret

/* fpu_save(struct arch_fpu *x0), for fpu.c, with FP/SIMD accessible at
 * EL1. Corrupts x1. */
    .globl fpu_save
fpu_save:
    fpu_store x0, x1
    ret
