/* SPDX-License-Identifier: MIT */
/* The EL1 exception vector table and the common entry/exit path.
 *
 * Every one of the 16 vectors (Arm ARM D1.10.2) saves the full register state
 * into a struct trap_frame on the EL1 stack and calls trap_dispatch(frame,
 * slot) in C; on return the frame is restored and eret resumes wherever the
 * frame's ELR/SPSR say. The table must be 2 KiB aligned (VBAR_EL1 bits 10:0
 * are RES0) and each entry is 0x80 bytes; .org makes the assembler enforce
 * the spacing. */
#include "trap_frame.h"

.macro vector_entry slot
    .org exception_vectors + \slot * 0x80
    sub     sp, sp, #TF_SIZE
    stp     x0, x1, [sp, #TF_X(0)]
    mov     x0, #\slot
    b       exception_common
.endm

    .section .text.vectors, "ax"
    .balign 2048
    .globl exception_vectors
exception_vectors:
    vector_entry VEC_EL1T_SYNC
    vector_entry VEC_EL1T_IRQ
    vector_entry VEC_EL1T_FIQ
    vector_entry VEC_EL1T_SERROR
    vector_entry VEC_EL1H_SYNC
    vector_entry VEC_EL1H_IRQ
    vector_entry VEC_EL1H_FIQ
    vector_entry VEC_EL1H_SERROR
    vector_entry VEC_EL0_64_SYNC
    vector_entry VEC_EL0_64_IRQ
    vector_entry VEC_EL0_64_FIQ
    vector_entry VEC_EL0_64_SERROR
    vector_entry VEC_EL0_32_SYNC
    vector_entry VEC_EL0_32_IRQ
    vector_entry VEC_EL0_32_FIQ
    vector_entry VEC_EL0_32_SERROR
    .org exception_vectors + 16 * 0x80

/* x0 = vector slot; the original x0/x1 are already in the frame. */
exception_common:
    stp     x2, x3, [sp, #TF_X(2)]
    stp     x4, x5, [sp, #TF_X(4)]
    stp     x6, x7, [sp, #TF_X(6)]
    stp     x8, x9, [sp, #TF_X(8)]
    stp     x10, x11, [sp, #TF_X(10)]
    stp     x12, x13, [sp, #TF_X(12)]
    stp     x14, x15, [sp, #TF_X(14)]
    stp     x16, x17, [sp, #TF_X(16)]
    stp     x18, x19, [sp, #TF_X(18)]
    stp     x20, x21, [sp, #TF_X(20)]
    stp     x22, x23, [sp, #TF_X(22)]
    stp     x24, x25, [sp, #TF_X(24)]
    stp     x26, x27, [sp, #TF_X(26)]
    stp     x28, x29, [sp, #TF_X(28)]
    mrs     x1, sp_el0
    stp     x30, x1, [sp, #TF_X(30)]
    mrs     x2, elr_el1
    mrs     x3, spsr_el1
    stp     x2, x3, [sp, #TF_ELR]
    mrs     x2, esr_el1
    mrs     x3, far_el1
    stp     x2, x3, [sp, #TF_ESR]
    mov     x1, x0
    mov     x0, sp
    bl      trap_dispatch

    .globl exception_return
exception_return:
    ldp     x2, x3, [sp, #TF_ELR]
    msr     elr_el1, x2
    msr     spsr_el1, x3
    ldp     x30, x1, [sp, #TF_X(30)]
    msr     sp_el0, x1
    ldp     x0, x1, [sp, #TF_X(0)]
    ldp     x2, x3, [sp, #TF_X(2)]
    ldp     x4, x5, [sp, #TF_X(4)]
    ldp     x6, x7, [sp, #TF_X(6)]
    ldp     x8, x9, [sp, #TF_X(8)]
    ldp     x10, x11, [sp, #TF_X(10)]
    ldp     x12, x13, [sp, #TF_X(12)]
    ldp     x14, x15, [sp, #TF_X(14)]
    ldp     x16, x17, [sp, #TF_X(16)]
    ldp     x18, x19, [sp, #TF_X(18)]
    ldp     x20, x21, [sp, #TF_X(20)]
    ldp     x22, x23, [sp, #TF_X(22)]
    ldp     x24, x25, [sp, #TF_X(24)]
    ldp     x26, x27, [sp, #TF_X(26)]
    ldp     x28, x29, [sp, #TF_X(28)]
    add     sp, sp, #TF_SIZE
    eret
