/* SPDX-License-Identifier: MIT */
/* Bare-metal entry and measuring trampolines for bench_call.c, the AArch64
 * stub + dispatcher benchmark. QEMU virt starts _start at EL1 with the MMU
 * off; under -icount shift=0 PMCCNTR_EL0 counts instructions retired, and a
 * read returns the count of instructions before it. */

/* Stamp the counter into the 8-byte variable `var`; 3 instructions, clobbers
 * x9 and x10 (temporaries in the procedure-call standard, free at a call
 * boundary). */
.macro stamp var
    mrs     x9, pmccntr_el0
    adrp    x10, \var
    str     x9, [x10, :lo12:\var]
.endm

    .section .text.start, "ax"
    .globl _start
_start:
    adrp    x0, __stack_top
    add     x0, x0, :lo12:__stack_top
    mov     sp, x0
    /* Zero .bss (QEMU's ELF loader does too, but do not rely on it). */
    adrp    x0, __bss_start
    add     x0, x0, :lo12:__bss_start
    adrp    x1, __bss_end
    add     x1, x1, :lo12:__bss_end
1:  cmp     x0, x1
    b.hs    2f
    str     xzr, [x0], #8
    b       1b
2:
    /* Identity map with two 1 GiB level-1 blocks: [0, 1G) Device-nGnRnE
     * (the UART), [1G, 2G) Normal write-back (RAM), so compiled code may
     * make the unaligned accesses Device memory would fault on. FP/SIMD
     * stays off: the C code has no floating point and is built with
     * -mno-implicit-float, like the runtime and generated code in user
     * programs, so it never touches those registers.
     * MAIR attr0 = 0x00 (Device-nGnRnE), attr1 = 0xff (Normal WB). */
    adrp    x0, l1_table
    mov     x1, #0x401                      /* AF | block, AttrIndx 0 */
    str     x1, [x0]
    mov     x1, #0x705                      /* AF | SH inner | AttrIndx 1 | block */
    movk    x1, #0x4000, lsl #16            /* output address 1 GiB */
    str     x1, [x0, #8]
    mov     x1, #0xff00
    msr     mair_el1, x1
    /* TCR_EL1: T0SZ 32 (4 GiB, walk starts at level 1), inner/outer WB
     * walks, inner shareable, 4 KiB granule, EPD1 (no TTBR1 walks). */
    mov     x1, #0x3520
    movk    x1, #0x80, lsl #16
    msr     tcr_el1, x1
    msr     ttbr0_el1, x0
    dsb     sy
    tlbi    vmalle1
    dsb     sy
    isb
    mrs     x1, sctlr_el1
    mov     x2, #0x1005                     /* M | C | I */
    orr     x1, x1, x2
    msr     sctlr_el1, x1
    isb
    /* Cycle counter: count at EL1 (PMCCFILTR_EL0 = 0), enable, reset. */
    msr     pmccfiltr_el0, xzr
    mov     x1, #(1 << 31)
    msr     pmcntenset_el0, x1
    mrs     x1, pmcr_el0
    mov     x2, #5                          /* E | C */
    orr     x1, x1, x2
    msr     pmcr_el0, x1
    isb
    bl      main
    /* Semihosting SYS_EXIT (0x18) with ADP_Stopped_ApplicationExit
     * (0x20026) and main's return value as the exit code. */
    adrp    x1, exit_block
    add     x1, x1, :lo12:exit_block
    mov     x2, #0x0026
    movk    x2, #0x2, lsl #16
    str     x2, [x1]
    str     x0, [x1, #8]
    mov     x0, #0x18
    hlt     #0xf000
3:  b       3b

    .text
/* The transport's call, as the stub sees it: everything from this
 * trampoline's first instruction to its ret is "the transport" (t_in is
 * stamped by the first instruction, t_out 4 instructions before the end). */
    .globl bench_tramp_call
bench_tramp_call:
    stamp   t_in
    stp     x29, x30, [sp, #-16]!
    mov     x29, sp
    bl      bench_transport_call
    ldp     x29, x30, [sp], #16
    stamp   t_out
    ret

/* idl_server_dispatch with stamps around it: d_out - d_in counts the 7
 * trampoline instructions between the stamps (mrs adrp str stp mov bl, ldp)
 * plus idl_server_dispatch itself, its callees and its ret. */
    .globl bench_tramp_dispatch
bench_tramp_dispatch:
    stamp   d_in
    stp     x29, x30, [sp, #-16]!
    mov     x29, sp
    bl      idl_server_dispatch
    ldp     x29, x30, [sp], #16
    stamp   d_out
    ret

/* The server op of echo_args8: *sum = a + ... + h, IDL_OK. Written here so
 * its stamps are its first and last instructions: it runs from the first
 * mrs (op_in) to ret, 4 instructions after op_out.
 * (self x0, caller x1, a-f x2-x7, g [sp], h [sp, #8], sum [sp, #16]) */
    .globl bench_op
bench_op:
    stamp   op_in
    add     x2, x2, x3
    add     x2, x2, x4
    add     x2, x2, x5
    add     x2, x2, x6
    add     x2, x2, x7
    ldp     x9, x10, [sp]
    add     x2, x2, x9
    add     x2, x2, x10
    ldr     x9, [sp, #16]
    str     x2, [x9]
    mov     w0, #0
    stamp   op_out
    ret

/* A function that does nothing: 1 instruction. Called exactly like the
 * stub to measure what the caller's setup costs. */
    .globl bench_nothing
bench_nothing:
    ret

/* Two back-to-back reads: their difference is what one read costs. */
    .globl bench_read_twice
bench_read_twice:
    mrs     x9, pmccntr_el0
    mrs     x10, pmccntr_el0
    sub     x0, x10, x9
    ret

    .bss
    .balign 4096
l1_table:
    .space  4096
    .balign 8
exit_block:
    .space  16
    .globl t_in, t_out, d_in, d_out, op_in, op_out
t_in:   .space 8
t_out:  .space 8
d_in:   .space 8
d_out:  .space 8
op_in:  .space 8
op_out: .space 8
