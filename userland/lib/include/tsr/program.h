/* SPDX-License-Identifier: MIT */
/* What a program started by the root task receives (docs/programs.md): its
 * initial capabilities in fixed slots of its own CNode, and a program
 * information page at TSR_PROG_INFO_VA (x0 when it starts) describing the
 * rest. The root task fills both from the system description; this header
 * is the contract between the root task, the program runtime
 * (userland/lib/program/) and programs. Values are ABI: append only. */
#ifndef TSR_PROGRAM_H
#define TSR_PROGRAM_H

#include <stdint.h>

#include <tessera/bootinfo.h>

/* Fixed slots of a program's CNode. Slots 1-3 are where the root task has
 * its own TCB, CNode and VSpace, so the runtime's helpers (tsr_vm_map,
 * tsr_alloc_object...) work unchanged in programs. */
enum tsr_prog_slot {
    TSR_PROG_NULL = 0,
    TSR_PROG_TCB = 1,          /* its thread (MCP = its priority) */
    TSR_PROG_CNODE = 2,        /* its CNode, guarded: cptrs are slot numbers */
    TSR_PROG_VSPACE = 3,       /* its address space */
    TSR_PROG_SYSTEM = 4,       /* the root task's system endpoint (badge = pid) */
    TSR_PROG_NAMES = 5,        /* the name service (badge = pid); 0 before it runs */
    TSR_PROG_ENDPOINT = 6,     /* its own endpoint, to serve on (made for every program) */
    TSR_PROG_REPLY = 7,        /* a reply object for receiving on it */
    TSR_PROG_NOTIFICATION = 8, /* a notification of its own (interrupts, wake-ups) */
    TSR_PROG_IRQ = 9,          /* the IRQ handler of its device, if it was given one */
    TSR_PROG_DEVICE_FRAME = 10,/* the device's frames, mapped at device_va (up to 4) */
    TSR_PROG_FIRST_RANGE = 16  /* the ranges listed in the information page start here */
};
#define TSR_PROG_MAX_DEVICE_FRAMES 4

/* Where things are in a program's address space. Its ELF must load between
 * TSR_PROG_IMAGE_MIN and TSR_PROG_IMAGE_MAX (userland/lib/user.ld: 4 MiB). */
#define TSR_PROG_IMAGE_MIN 0x400000ull
#define TSR_PROG_IMAGE_MAX 0x10000000ull
#define TSR_PROG_INFO_VA 0x10000000ull       /* this page (read-write) */
#define TSR_PROG_IPC_BUFFER_VA 0x10001000ull
#define TSR_PROG_STACK_BOTTOM 0x10010000ull  /* an unmapped guard page below */
#define TSR_PROG_DEVICE_VA 0x20000000ull     /* its device's registers, if any */

#define TSR_PROGRAM_MAGIC 0x4f464e49474f5250ull /* "PROGINFO" */
#define TSR_PROGRAM_NAME_MAX 31
#define TSR_PROGRAM_MAX_UNTYPED 32
#define TSR_PROGRAM_ARGS_MAX 128

/* Rights a system description can grant beyond capabilities (the `rights`
 * property): checked by the root task's system interface. */
#define TSR_PROG_RIGHT_POWEROFF 0x1u /* may switch the machine off */

struct tsr_program_info {
    uint64_t magic;
    uint32_t version;           /* 1 */
    uint32_t pid;               /* 1, 2, ... in description order; the badge servers see */
    char name[TSR_PROGRAM_NAME_MAX + 1]; /* its node name in the system description */
    uint32_t priority;
    uint32_t cnode_radix;       /* its CNode has 2^radix slots */
    uint64_t ipc_buffer;        /* TSR_PROG_IPC_BUFFER_VA */
    uint64_t stack_top;
    uint64_t budget;            /* bytes of memory it was given, everything included */
    uint32_t rights;            /* TSR_PROG_RIGHT_* */
    uint32_t argc;              /* arguments: argc NUL-terminated strings in args */
    char args[TSR_PROGRAM_ARGS_MAX];
    struct tsr_slot_range image;   /* frames and page tables of its own address space */
    struct tsr_slot_range untyped; /* its untyped memory, described by untyped_list */
    struct tsr_slot_range empty;   /* free slots */
    struct tsr_untyped_desc untyped_list[TSR_PROGRAM_MAX_UNTYPED];
    /* Its device, if the description gave it one (device_frames == 0: none). */
    uint64_t device_paddr;      /* physical address of the first frame */
    uint64_t device_offset;     /* of the registers within the first frame */
    uint32_t device_frames;     /* frames mapped from TSR_PROG_DEVICE_VA */
    uint32_t device_irq;        /* its interrupt (INTID; 0: none) */
    char device_compatible[32]; /* the device's first compatible string */
    /* Written by the program's runtime as it allocates, read by the root
     * task for the shell's `mem`: untyped bytes it has not used yet. */
    volatile uint64_t untyped_free;
};
_Static_assert(sizeof(struct tsr_program_info) <= 4096, "the information page is one page");

#endif
