/* SPDX-License-Identifier: MIT */
/* Program entry for user images, and the trampoline new threads start in.
 * The root task starts with x0 = its boot-information page and a stack the
 * kernel made; frames came zeroed, so .bss needs no clearing. */
    .section .text.start, "ax"
    .globl _start
_start:
    mov     x29, xzr
    mov     x30, xzr
    bl      tsr_runtime_start       /* (bootinfo) -> never returns */
1:  b       1b

/* A thread made with tsr_thread_start begins here with
 * x0 = function, x1 = argument, x2 = its own TCB cptr (to stop itself). */
    .globl tsr_thread_trampoline
tsr_thread_trampoline:
    mov     x29, xzr
    mov     x30, xzr
    mov     x19, x2
    mov     x3, x0
    mov     x0, x1
    blr     x3
    mov     x0, x19
    bl      tsr_thread_exit
2:  b       2b
