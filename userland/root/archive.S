/* SPDX-License-Identifier: MIT */
/* The boot archive (cpio newc, tools/mkarchive): the system's programs and
 * its description, linked into the root task's read-only data.
 * BOOT_ARCHIVE_PATH comes from tessera_system() in the build. */
    .section .rodata.boot_archive, "a"
    .balign 16
    .globl boot_archive_start
boot_archive_start:
    .incbin BOOT_ARCHIVE_PATH
    .globl boot_archive_end
boot_archive_end:
