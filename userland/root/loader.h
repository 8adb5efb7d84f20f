/* SPDX-License-Identifier: MIT */
/* The program loader: builds a program's address space, CSpace and thread
 * from its ELF file and its memory budget, using capability invocations
 * only. Everything a program is made of is retyped from its budget (a few
 * untyped capabilities split off the root task's memory for it), so
 * revoking the budget destroys the program completely: that is how a
 * program that failed to load, exited or faulted is taken apart.
 *
 * Order: loader_create (address space, image, stack, CSpace, the rest of
 * the budget as its untyped), then loader_give for the capabilities other
 * programs provide, then loader_start. Errors are tsr_error_t values, with
 * a sentence for the boot console in `why`. */
#ifndef ROOT_LOADER_H
#define ROOT_LOADER_H

#include <stddef.h>
#include <stdint.h>

#include "tsr/program.h"
#include "tsr/syscall.h"

#define LOADER_MAX_PIECES 20
#define LOADER_WHY_MAX 95

/* The untyped capabilities (root task slots) a budget was split into. */
struct budget {
    unsigned count;
    tsr_cptr_t piece[LOADER_MAX_PIECES];
    uint8_t bits[LOADER_MAX_PIECES];
    uint64_t used[LOADER_MAX_PIECES]; /* bytes below its watermark, as the kernel counts */
};

struct loaded_program {
    uint32_t pid;
    struct budget budget;
    /* Root-task slots of capabilities made from the budget. */
    tsr_cptr_t cnode, vspace, tcb, endpoint, info_copy;
    unsigned radix;
    uint64_t entry;
    struct tsr_program_info *info; /* the root task's mapping of its page */
    unsigned next_slot;            /* next free slot of its CNode */
    char why[LOADER_WHY_MAX + 1];
};

struct program_request {
    uint32_t pid;
    const char *name;
    const void *elf;
    size_t elf_size;
    uint64_t memory;  /* bytes, a multiple of 4 KiB */
    uint64_t stack;   /* bytes, a multiple of 4 KiB */
    uint32_t priority;
    uint32_t rights;
    uint32_t argc;
    const char *args; /* argc NUL-terminated strings */
    size_t args_size;
    tsr_cptr_t fault_endpoint; /* minted by the caller with the program's fault badge */
    /* Its device's frames (root-task slots; copies are mapped from
     * TSR_PROG_DEVICE_VA, before the budget is handed over, since mapping
     * may need page tables from it). */
    unsigned device_frames;
    tsr_cptr_t device_frame[TSR_PROG_MAX_DEVICE_FRAMES];
};

void loader_init(void);
tsr_error_t loader_create(struct loaded_program *p, const struct program_request *req);
/* A copy of `cap` (minted with rights and badge) into its fixed slot. */
tsr_error_t loader_give(struct loaded_program *p, unsigned slot, tsr_cptr_t cap,
                        unsigned rights, uint64_t badge);
tsr_error_t loader_start(struct loaded_program *p, uint32_t priority);
/* Take the program apart: revoke and delete its budget, free the root
 * task's slots. Safe on a partly created program. */
void loader_destroy(struct loaded_program *p);

#endif
