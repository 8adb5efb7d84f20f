/* SPDX-License-Identifier: MIT */
/* The user runtime: program start, threads, and the allocators of CSpace
 * slots and untyped memory a program uses to make kernel objects. */
#ifndef TSR_RUNTIME_H
#define TSR_RUNTIME_H

#include <stdbool.h>
#include <stdint.h>

#include <tessera/bootinfo.h>
#include <tessera/objects.h>

#include "syscall.h"

/* The root task's own CNode holds 2^radix slots; cptrs into it are plain
 * slot numbers resolved with depth 64 (its guard covers the rest). */
#define TSR_ROOT_DEPTH 64

/* Stop the calling thread (its TCB capability is `self`). */
_Noreturn void tsr_thread_exit(tsr_cptr_t self);

/* Allocation from the boot information: free slots of the root CNode and
 * RAM untypeds. Freed slots are reused; untyped memory comes back only when
 * its untyped is revoked. */
void tsr_alloc_init(const struct tsr_bootinfo *bi);
/* The same from explicit ranges (programs: tsr/program.h). If report is not
 * NULL, the untyped bytes left are written there after every allocation. */
void tsr_alloc_init_ranges(struct tsr_slot_range empty, struct tsr_slot_range untyped,
                           const struct tsr_untyped_desc *list, volatile uint64_t *report);
/* log2 of the size of an object of `type` made with `size_bits`: the
 * kernel places each object at the next multiple of its size. */
unsigned tsr_object_size_bits(tsr_object_type_t type, unsigned size_bits);
/* RAM untyped bytes not yet used, counting each untyped's watermark with the
 * kernel's placement rule (objects aligned to their size). */
uint64_t tsr_alloc_free_bytes(void);
tsr_cptr_t tsr_alloc_slot(void); /* 0 when none is left */
/* n consecutive free slots; returns the first, or 0 if there is no such run. */
tsr_cptr_t tsr_alloc_slots(unsigned n);
void tsr_free_slot(tsr_cptr_t slot);
/* Retype one object from the first RAM untyped with room into a new slot. */
tsr_error_t tsr_alloc_object(tsr_object_type_t type, unsigned size_bits, tsr_cptr_t *slot);
/* Delete the capability in `slot` and give the slot back. */
void tsr_free_object(tsr_cptr_t slot);
/* An untyped capability of exactly 2^size_bits bytes, split off a larger one. */
tsr_error_t tsr_alloc_untyped(unsigned size_bits, tsr_cptr_t *slot);

/* A thread in the caller's own address space and CSpace. */
struct tsr_thread {
    tsr_cptr_t tcb;
    tsr_cptr_t ipc_frame;
    uint64_t ipc_buffer;   /* VA of its IPC buffer */
    uint64_t stack_top;
};
/* Make (not start) a thread that will run fn(arg) at `priority`, with a
 * stack and IPC buffer in frames mapped at stack_va (two pages: stack, then
 * buffer) in `vspace`. */
tsr_error_t tsr_thread_create(struct tsr_thread *t, tsr_cptr_t cspace, tsr_cptr_t vspace,
                              uint64_t stack_va, unsigned priority, void (*fn)(uint64_t),
                              uint64_t arg);
tsr_error_t tsr_thread_start(struct tsr_thread *t);

extern void tsr_thread_trampoline(void);

#endif
