/* SPDX-License-Identifier: MIT */
/* What the kernel hands the root task: its initial capabilities in fixed
 * slots of its root CNode, and this boot-information page (read only, at the
 * address in x0 when the root task starts) describing the rest. */
#ifndef TESSERA_BOOTINFO_H
#define TESSERA_BOOTINFO_H

#include <stdint.h>

/* Fixed slots of the root task's CNode. */
enum tsr_init_slot {
    TSR_INIT_NULL = 0,
    TSR_INIT_TCB = 1,          /* the root task's own thread */
    TSR_INIT_CNODE = 2,        /* its root CNode (guard: 64 - radix bits, value 0) */
    TSR_INIT_VSPACE = 3,       /* its address space */
    TSR_INIT_ASID_CONTROL = 4, /* makes ASID pools */
    TSR_INIT_ASID_POOL = 5,    /* the pool the root VSpace's ASID came from */
    TSR_INIT_IRQ_CONTROL = 6,  /* hands out IRQ handler capabilities */
    TSR_INIT_BOOTINFO_FRAME = 7,
    TSR_INIT_IPC_BUFFER = 8,   /* the frame of its IPC buffer */
    TSR_INIT_FIRST_FREE = 9    /* first slot of the ranges listed below */
};

#define TSR_BOOTINFO_MAGIC 0x4f464e49544f4f42ull /* "BOOTINFO" */
#define TSR_BOOTINFO_MAX_UNTYPED 192

/* A range of consecutive slots [first, first + count). */
struct tsr_slot_range {
    uint32_t first;
    uint32_t count;
};

struct tsr_untyped_desc {
    uint64_t paddr;
    uint8_t size_bits;
    uint8_t is_device;
    uint8_t reserved[6];
};

struct tsr_bootinfo {
    uint64_t magic;
    uint32_t version;
    uint32_t cnode_radix;            /* root CNode has 2^radix slots */
    uint64_t ipc_buffer;             /* user VA of the root task's IPC buffer */
    uint64_t dtb;                    /* user VA of the device tree (read only) */
    uint64_t dtb_size;
    uint64_t image_start, image_end; /* user VAs the root task's ELF occupies */
    uint64_t stack_top;
    struct tsr_slot_range image_frames;  /* frames holding the root task's image */
    struct tsr_slot_range extra_frames;  /* its stack, then its copy of the device tree */
    struct tsr_slot_range page_tables;   /* page tables of its address space */
    struct tsr_slot_range untyped;       /* untyped capabilities, see untyped_list */
    struct tsr_slot_range empty;         /* free slots */
    char bootargs[256];              /* the kernel command line (/chosen/bootargs) */
    uint32_t root_priority;
    uint32_t kernel_tests_passed, kernel_tests_failed;
    uint32_t reserved;
    struct tsr_untyped_desc untyped_list[TSR_BOOTINFO_MAX_UNTYPED];
};

#endif /* TESSERA_BOOTINFO_H */
