/* SPDX-License-Identifier: MIT */
/* The root task's ELF file, embedded in the kernel image's read-only data
 * (ROOT_TASK_PATH comes from the build). rootserver.c loads it at boot. */
    .section .rodata.root_task, "a"
    .balign 16
    .globl root_task_elf_start
root_task_elf_start:
    .incbin ROOT_TASK_PATH
    .globl root_task_elf_end
root_task_elf_end:
