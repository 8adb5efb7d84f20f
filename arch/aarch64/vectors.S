/* SPDX-License-Identifier: MIT */
/* The EL1 exception vector table and the entry/exit paths.
 *
 * Exceptions taken from EL1 (the kernel itself: interrupts while idle,
 * faults) save a struct trap_frame on the kernel stack and call
 * trap_dispatch(frame, slot); on return the frame is restored.
 *
 * Exceptions taken from EL0 save the user registers straight into the running
 * thread's struct arch_context: every return to EL0 leaves SP_EL1 pointing at
 * that context (arch_return_to_user), so the stores need no scratch register.
 * Then the kernel stack is installed and el0_trap(ctx, slot, esr, far) runs in
 * C; it never returns, but leaves through arch_return_to_user with whichever
 * thread is to run next. The kernel keeps one stack (it is not preemptible),
 * so nothing on it survives a return to user space.
 *
 * There are two tables. exception_vectors is the ordinary one. While the
 * thread that owns the FP/SIMD registers runs with them on (fpu.c),
 * exception_vectors_fp is installed instead: the same, except that its
 * entries from EL0 trap FP/SIMD again and reinstall the ordinary table
 * before anything can switch threads (a system call does that only when
 * it switches). So the paths threads without FP take are the same
 * instructions whether or not any thread uses FP.
 *
 * Each table must be 2 KiB aligned (VBAR_EL1 bits 10:0 are RES0) and each
 * entry is 0x80 bytes (Arm ARM D1.10.2); .org makes the assembler enforce it. */
#include "trap_frame.h"
#include "arch/context.h"
#include "fpu_asm.h"
#include "sysreg.h"

/* struct svc_exit's "restore in full" value: anything above the largest
 * message length; the system-call table's size (kernel/core/syscall.h). */
#define SVC_EXIT_MESSAGE_MAX 14
#define SVC_TABLE_SIZE 16

/* ESR_EL1 of `svc #0` (TSR_SYS_NULL): EC 0x15, IL 1, ISS 0. */
#define ESR_SVC_NULL 0x56000000

.macro vector_entry table, slot
    .org \table + \slot * 0x80
    sub     sp, sp, #TF_SIZE
    stp     x0, x1, [sp, #TF_X(0)]
    mov     x0, #\slot
    b       exception_common
.endm

/* Both frames (struct trap_frame and struct arch_context) keep xN at N * 8,
 * so one set of macros moves the general registers for either. */
.macro store_x2_x15 base
    stp     x2, x3, [\base, #16]
    stp     x4, x5, [\base, #32]
    stp     x6, x7, [\base, #48]
    stp     x8, x9, [\base, #64]
    stp     x10, x11, [\base, #80]
    stp     x12, x13, [\base, #96]
    stp     x14, x15, [\base, #112]
.endm
.macro load_x2_x15 base
    ldp     x2, x3, [\base, #16]
    ldp     x4, x5, [\base, #32]
    ldp     x6, x7, [\base, #48]
    ldp     x8, x9, [\base, #64]
    ldp     x10, x11, [\base, #80]
    ldp     x12, x13, [\base, #96]
    ldp     x14, x15, [\base, #112]
.endm
.macro store_x16_x29 base
    stp     x16, x17, [\base, #128]
    stp     x18, x19, [\base, #144]
    stp     x20, x21, [\base, #160]
    stp     x22, x23, [\base, #176]
    stp     x24, x25, [\base, #192]
    stp     x26, x27, [\base, #208]
    stp     x28, x29, [\base, #224]
.endm
.macro load_x16_x29 base
    ldp     x16, x17, [\base, #128]
    ldp     x18, x19, [\base, #144]
    ldp     x20, x21, [\base, #160]
    ldp     x22, x23, [\base, #176]
    ldp     x24, x25, [\base, #192]
    ldp     x26, x27, [\base, #208]
    ldp     x28, x29, [\base, #224]
.endm

/* From EL0: SP_EL1 is the thread's context. Through the second table
 * (fp = 1), FP/SIMD is trapped again first. */
.macro vector_entry_el0 table, slot, fp
    .org \table + \slot * 0x80
    stp     x0, x1, [sp, #CTX_X(0)]
    .if \fp
    fp_trap_el0 x0
    .endif
    mov     x0, #\slot
    b       el0_entry
.endm

/* A whole table. Synchronous from EL0: the Null call is answered at once,
 * any other system call takes the lean path (its FP copy through the second
 * table), a trapped FP/SIMD instruction el0_fp_trap (only the ordinary
 * table sees one), everything else the full path. */
.macro vector_table table, fp
    vector_entry \table, VEC_EL1T_SYNC
    vector_entry \table, VEC_EL1T_IRQ
    vector_entry \table, VEC_EL1T_FIQ
    vector_entry \table, VEC_EL1T_SERROR
    vector_entry \table, VEC_EL1H_SYNC
    vector_entry \table, VEC_EL1H_IRQ
    vector_entry \table, VEC_EL1H_FIQ
    vector_entry \table, VEC_EL1H_SERROR
    .org \table + VEC_EL0_64_SYNC * 0x80
    stp     x0, x1, [sp, #CTX_X(0)]
    mrs     x0, esr_el1
    mov     x1, #ESR_SVC_NULL
    cmp     x0, x1
    b.eq    el0_null
    ubfx    x1, x0, #26, #6         /* ESR_EL1.EC */
    cmp     x1, #ESR_EC_SVC64       /* SVC from AArch64 */
    .if \fp
    b.eq    el0_svc_fp
    fp_trap_el0 x0
    .else
    b.eq    el0_svc
    cmp     x1, #ESR_EC_FP          /* FP/SIMD trapped by CPACR_EL1.FPEN */
    b.eq    el0_fp_trap             /* fpu.S */
    .endif
    mov     x0, #VEC_EL0_64_SYNC
    b       el0_entry
    vector_entry_el0 \table, VEC_EL0_64_IRQ, \fp
    vector_entry_el0 \table, VEC_EL0_64_FIQ, \fp
    vector_entry_el0 \table, VEC_EL0_64_SERROR, \fp
    vector_entry_el0 \table, VEC_EL0_32_SYNC, \fp
    vector_entry_el0 \table, VEC_EL0_32_IRQ, \fp
    vector_entry_el0 \table, VEC_EL0_32_FIQ, \fp
    vector_entry_el0 \table, VEC_EL0_32_SERROR, \fp
    .org \table + 16 * 0x80
.endm

    .section .text.vectors, "ax"
    .balign 2048
    .globl exception_vectors
exception_vectors:
    vector_table exception_vectors, 0
    .globl exception_vectors_fp
exception_vectors_fp:
    vector_table exception_vectors_fp, 1

/* x0 = vector slot; the original x0/x1 are already in the frame. */
exception_common:
    store_x2_x15 sp
    store_x16_x29 sp
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
    load_x2_x15 sp
    load_x16_x29 sp
    add     sp, sp, #TF_SIZE
    eret

/* x0 = vector slot; user x0/x1 already saved; sp = the thread's context. */
el0_entry:
    store_x2_x15 sp
    store_x16_x29 sp
    mrs     x2, sp_el0
    stp     x30, x2, [sp, #CTX_X(30)]
    mrs     x2, elr_el1
    mrs     x3, spsr_el1
    stp     x2, x3, [sp, #CTX_PC]
    mrs     x2, tpidr_el0
    str     x2, [sp, #CTX_TPIDR]
    mov     x1, x0
    mov     x0, sp
    adrp    x2, boot_stack_top
    add     x2, x2, :lo12:boot_stack_top
    mov     sp, x2
    mov     x29, xzr                /* end of the frame-pointer chain */
    mrs     x2, esr_el1
    mrs     x3, far_el1
    bl      el0_trap
    b       boot_halt               /* not reached: el0_trap leaves via arch_return_to_user */

/* Null: nothing to do and nothing changed, so x0 = 0 and straight back.
 * This is the floor of any system call: entry, one check, exit. */
el0_null:
    ldr     x1, [sp, #CTX_X(1)]
    mov     x0, xzr
    eret

/*
 * System calls. The ABI (docs/syscalls.md) is the procedure-call standard:
 * x19-x29, SP_EL0 and TPIDR_EL0 belong to the caller and the kernel's C code
 * preserves them anyway, so only the argument registers x0-x16, the link
 * register and the return state are stored. If the call ends in the same
 * thread, those are loaded back (with the kernel's results) and x17/x18 are
 * zeroed; if another thread is to run, the callee-saved registers are stored
 * too and the full restore path runs.
 * There are two copies: el0_svc for threads running with FP/SIMD trapped,
 * el0_svc_fp for the owner running with it on, which traps it again only
 * if another thread runs next.
 * In: x0 = ESR_EL1; user x0/x1 saved; sp = the thread's context.
 */
.macro svc_path switch
    store_x2_x15 sp
    str     x16, [sp, #CTX_X(16)]
    str     x30, [sp, #CTX_X(30)]
    mrs     x2, elr_el1
    mrs     x3, spsr_el1
    stp     x2, x3, [sp, #CTX_PC]
    mov     x4, sp                  /* the thread: its TCB starts with this context */
    adrp    x2, boot_stack_top
    add     x2, x2, :lo12:boot_stack_top
    mov     sp, x2
    and     x1, x0, #0xffff         /* the svc immediate: the call number */
    mov     x2, #SVC_TABLE_SIZE - 1 /* numbers past the table share its last entry */
    cmp     x1, x2
    csel    x2, x1, x2, lo
    adrp    x3, svc_table
    add     x3, x3, :lo12:svc_table
    ldr     x3, [x3, x2, lsl #3]
    mov     x0, x4
    str     x4, [sp, #-16]!
    blr     x3                      /* (thread, number) -> x0 context to resume, x1 how */
    ldr     x2, [sp], #16
    cmp     x0, x2
    b.ne    \switch
    mov     sp, x0
    ldp     x2, x3, [sp, #CTX_PC]
    msr     elr_el1, x2
    msr     spsr_el1, x3
    ldr     x30, [sp, #CTX_X(30)]
    ldr     x16, [sp, #CTX_X(16)]
    ldp     x0, x1, [sp, #CTX_X(0)]
    load_x2_x15 sp
    mov     x17, xzr                /* scratch above: never leave kernel values */
    mov     x18, xzr
    eret
.endm

el0_svc:
    svc_path el0_svc_switch
el0_svc_fp:
    svc_path el0_svc_switch_fp

/* The owner of the FP/SIMD registers switches to another thread: trap
 * FP/SIMD for it (it cannot be the owner), then as below. */
el0_svc_switch_fp:
    fp_trap_el0 x3

/* Another thread runs next: x2 = the caller's context, x0 = the next one's,
 * x1 = how to restore it (struct svc_exit, kernel/core/syscall.h). Complete
 * the caller's saved state (its x17/x18 are undefined by the ABI: store
 * zero), then restore the next thread: in full, or, after the IPC fast path,
 * with its message registers taken from the caller's saved context. */
el0_svc_switch:
    stp     xzr, xzr, [x2, #CTX_X(17)]
    stp     x19, x20, [x2, #CTX_X(19)]
    stp     x21, x22, [x2, #CTX_X(21)]
    stp     x23, x24, [x2, #CTX_X(23)]
    stp     x25, x26, [x2, #CTX_X(25)]
    stp     x27, x28, [x2, #CTX_X(27)]
    str     x29, [x2, #CTX_X(29)]
    mrs     x3, sp_el0
    str     x3, [x2, #CTX_SP]
    mrs     x3, tpidr_el0
    str     x3, [x2, #CTX_TPIDR]
    cmp     x1, #SVC_EXIT_MESSAGE_MAX
    b.hi    arch_return_to_user

/* The IPC fast path's exit: x0 = the receiver's context, x1 = the message
 * length L (0-14), x2 = the sender's context. The receiver gets its own
 * registers but x2-x15, which are the sender's MR0..MR(L-1) and zero past
 * them: the message is not copied context to context, and no register
 * carries anything but the message or the receiver's own value. */
    mov     sp, x0
    ldp     x3, x4, [sp, #CTX_PC]
    msr     elr_el1, x3
    msr     spsr_el1, x4
    ldr     x3, [sp, #CTX_TPIDR]
    msr     tpidr_el0, x3
    ldp     x30, x3, [sp, #CTX_X(30)]
    msr     sp_el0, x3
    load_x16_x29 sp
    mov     x0, x1                  /* L */
    mov     x1, x2                  /* the sender's context */
    load_x2_x15 x1
    adr     x1, 1f
    add     x1, x1, x0, lsl #2      /* enter the run below at register 2 + L */
    br      x1
1:  mov     x2, xzr
    mov     x3, xzr
    mov     x4, xzr
    mov     x5, xzr
    mov     x6, xzr
    mov     x7, xzr
    mov     x8, xzr
    mov     x9, xzr
    mov     x10, xzr
    mov     x11, xzr
    mov     x12, xzr
    mov     x13, xzr
    mov     x14, xzr
    mov     x15, xzr
    ldp     x0, x1, [sp, #CTX_X(0)] /* badge and message info */
    eret

/* arch_return_to_user(ctx): restore every register from ctx and eret to EL0,
 * leaving SP_EL1 = ctx for the next entry. */
    .globl arch_return_to_user
arch_return_to_user:
    mov     sp, x0
    ldp     x2, x3, [sp, #CTX_PC]
    msr     elr_el1, x2
    msr     spsr_el1, x3
    ldr     x2, [sp, #CTX_TPIDR]
    msr     tpidr_el0, x2
    ldp     x30, x2, [sp, #CTX_X(30)]
    msr     sp_el0, x2
    ldp     x0, x1, [sp, #CTX_X(0)]
    load_x2_x15 sp
    load_x16_x29 sp
    eret
