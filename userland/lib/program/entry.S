/* SPDX-License-Identifier: MIT */
/* Where a program started by the root task begins (the ELF entry point that
 * tessera_program links with): x0 = its information page
 * (tsr/program.h), SP = the top of its stack. Frames came zeroed, so .bss
 * needs no clearing. */
    .section .text.start, "ax"
    .globl tsr_program_entry
tsr_program_entry:
    mov     x29, xzr
    mov     x30, xzr
    bl      tsr_program_start       /* (info) -> never returns */
1:  b       1b
