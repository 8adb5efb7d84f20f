/* SPDX-License-Identifier: MIT */
/* Linker script for the kernel image (preprocessed by the C preprocessor so it
 * shares memlayout.h). The image is linked at KERNEL_VBASE but may be loaded
 * at any 4 KiB-aligned physical address; head.S runs position independent
 * until the MMU maps the image at its link address. Section ends are page
 * aligned so each section gets its own permissions (W^X). */
#include "memlayout.h"

OUTPUT_ARCH(aarch64)
ENTRY(_start)

SECTIONS
{
    . = KERNEL_VBASE;
    _start = .;
    .text : {
        KEEP(*(.text.head))
        *(.text.boot)
        *(.text .text.*)
    }
    . = ALIGN(PAGE_SIZE);
    __text_end = .;

    .rodata : {
        *(.rodata .rodata.*)
        *(.srodata .srodata.*)
    }
    . = ALIGN(PAGE_SIZE);
    __rodata_end = .;

    .data : {
        *(.data .data.*)
    }
    . = ALIGN(PAGE_SIZE);
    /* Memory nothing needs zeroed (the secondary CPUs' stacks): before
     * __bss_start, so head.S skips it; listed first, so .bss.* below does
     * not take it. */
    .bss.noinit (NOLOAD) : {
        *(.bss.noinit)
    }
    . = ALIGN(PAGE_SIZE);
    __bss_start = .;
    .bss (NOLOAD) : {
        *(.bss .bss.*)
        *(COMMON)
    }
    . = ALIGN(PAGE_SIZE);
    __bss_end = .;
    _end = .;

    /* The Image header's image_size: bytes from _start to _end, bss included. */
    __image_size = _end - _start;

    /DISCARD/ : {
        *(.comment) *(.note .note.*) *(.eh_frame .eh_frame_hdr) *(.interp)
    }
}

ASSERT(_end - _start <= KERNEL_MAX_SIZE, "kernel image larger than KERNEL_MAX_SIZE")
