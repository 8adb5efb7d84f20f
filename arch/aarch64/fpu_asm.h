/* SPDX-License-Identifier: MIT */
/* Assembly macros of the lazy FP/SIMD switch (fpu.c explains it), shared by
 * vectors.S and fpu.S: turning FP/SIMD on and off for EL0 together with the
 * vector table that goes with each state, and storing and loading the
 * registers in struct arch_fpu's layout (arch/context.h). */
#ifndef ARCH_AARCH64_FPU_ASM_H
#define ARCH_AARCH64_FPU_ASM_H

#ifdef __ASSEMBLER__
#include "sysreg.h"

#define FPU_FPSR (64 * 8) /* struct arch_fpu: fpsr, then fpcr */

/* FP/SIMD trapped at EL0 (and EL1) again, CPACR_EL1.FPEN = 0b00 (D19.2.30),
 * and the ordinary vector table back. No ISB: the kernel executes no
 * FP/SIMD instruction before it writes CPACR_EL1 again with an ISB after
 * it, and the ERET that leaves for EL0 is a context synchronization event,
 * after which both writes are in effect. Corrupts \scratch. */
.macro fp_trap_el0 scratch
    msr     cpacr_el1, xzr
    adr     \scratch, exception_vectors
    msr     vbar_el1, \scratch
.endm

/* The opposite, for the owner of the registers: FPEN = 0b11 and the second
 * table (exception_vectors_fp). Corrupts \scratch. */
.macro fp_untrap_el0 scratch
    mov     \scratch, #CPACR_FP_NO_TRAP
    msr     cpacr_el1, \scratch
    adr     \scratch, exception_vectors_fp
    msr     vbar_el1, \scratch
.endm

/* Store V0-V31, FPSR, FPCR at \base (a struct arch_fpu). STP/LDP of q
 * registers reach offsets up to 1008 (a signed 7-bit immediate scaled by
 * 16); FPSR and FPCR go through \t with STR/LDR, whose reach is larger.
 * Corrupts \t. */
.macro fpu_store base, t
    stp     q0, q1, [\base, #0]
    stp     q2, q3, [\base, #32]
    stp     q4, q5, [\base, #64]
    stp     q6, q7, [\base, #96]
    stp     q8, q9, [\base, #128]
    stp     q10, q11, [\base, #160]
    stp     q12, q13, [\base, #192]
    stp     q14, q15, [\base, #224]
    stp     q16, q17, [\base, #256]
    stp     q18, q19, [\base, #288]
    stp     q20, q21, [\base, #320]
    stp     q22, q23, [\base, #352]
    stp     q24, q25, [\base, #384]
    stp     q26, q27, [\base, #416]
    stp     q28, q29, [\base, #448]
    stp     q30, q31, [\base, #480]
    mrs     \t, fpsr
    str     \t, [\base, #FPU_FPSR]
    mrs     \t, fpcr
    str     \t, [\base, #FPU_FPSR + 8]
.endm

/* Load them all from \base: every FP/SIMD register is written, so nothing
 * of the previous owner survives. Corrupts \t. */
.macro fpu_load base, t
    ldp     q0, q1, [\base, #0]
    ldp     q2, q3, [\base, #32]
    ldp     q4, q5, [\base, #64]
    ldp     q6, q7, [\base, #96]
    ldp     q8, q9, [\base, #128]
    ldp     q10, q11, [\base, #160]
    ldp     q12, q13, [\base, #192]
    ldp     q14, q15, [\base, #224]
    ldp     q16, q17, [\base, #256]
    ldp     q18, q19, [\base, #288]
    ldp     q20, q21, [\base, #320]
    ldp     q22, q23, [\base, #352]
    ldp     q24, q25, [\base, #384]
    ldp     q26, q27, [\base, #416]
    ldp     q28, q29, [\base, #448]
    ldp     q30, q31, [\base, #480]
    ldr     \t, [\base, #FPU_FPSR]
    msr     fpsr, \t
    ldr     \t, [\base, #FPU_FPSR + 8]
    msr     fpcr, \t
.endm
#endif

#endif
