/* SPDX-License-Identifier: MIT */
/* Allocators for user programs: CSpace slots of the program's own CNode (a
 * bitmap over the free range its start-up information names) and kernel
 * objects retyped from its RAM untypeds, first fit. The kernel keeps the
 * untyped watermarks; asking it and moving on when an untyped is full keeps
 * this side simple. Alongside, each untyped's watermark is mirrored with the
 * kernel's rule (objects aligned to their size) so a program can say how
 * much memory it has left (the shell's `mem`). */
#include <stdbool.h>
#include <stdint.h>

#include <tessera/bootinfo.h>

#include "tsr/invoke.h"
#include "tsr/runtime.h"

#define MAX_SLOTS 4096u
#define MAX_UNTYPED TSR_BOOTINFO_MAX_UNTYPED

static uint32_t ut_first, ut_count;
static const struct tsr_untyped_desc *ut_list;
static uint64_t ut_used[MAX_UNTYPED]; /* bytes below each watermark, as we count */
static volatile uint64_t *free_report;
static uint64_t free_slots[MAX_SLOTS / 64];

static uint64_t free_bytes(void)
{
    uint64_t total = 0;
    for (uint32_t i = 0; i < ut_count; i++)
        if (!ut_list[i].is_device)
            total += (1ull << ut_list[i].size_bits) - ut_used[i];
    return total;
}

void tsr_alloc_init_ranges(struct tsr_slot_range empty, struct tsr_slot_range untyped,
                           const struct tsr_untyped_desc *list, volatile uint64_t *report)
{
    for (uint32_t i = 0; i < empty.count; i++) {
        uint32_t s = empty.first + i;
        if (s < MAX_SLOTS)
            free_slots[s / 64] |= 1ull << (s % 64);
    }
    ut_first = untyped.first;
    ut_count = untyped.count < MAX_UNTYPED ? untyped.count : MAX_UNTYPED;
    ut_list = list;
    free_report = report;
    if (free_report)
        *free_report = free_bytes();
}

void tsr_alloc_init(const struct tsr_bootinfo *bi)
{
    tsr_alloc_init_ranges(bi->empty, bi->untyped, bi->untyped_list, 0);
}

uint64_t tsr_alloc_free_bytes(void)
{
    return free_bytes();
}

tsr_cptr_t tsr_alloc_slot(void)
{
    for (unsigned w = 0; w < MAX_SLOTS / 64; w++) {
        if (free_slots[w]) {
            unsigned bit = (unsigned)__builtin_ctzll(free_slots[w]);
            free_slots[w] &= ~(1ull << bit);
            return w * 64 + bit;
        }
    }
    return 0;
}

static bool slot_free(unsigned s)
{
    return (free_slots[s / 64] >> (s % 64)) & 1;
}

tsr_cptr_t tsr_alloc_slots(unsigned n)
{
    unsigned run = 0;
    for (unsigned s = 1; s < MAX_SLOTS && n; s++) {
        run = slot_free(s) ? run + 1 : 0;
        if (run == n) {
            unsigned first = s + 1 - n;
            for (unsigned i = first; i <= s; i++)
                free_slots[i / 64] &= ~(1ull << (i % 64));
            return first;
        }
    }
    return 0;
}

void tsr_free_slot(tsr_cptr_t slot)
{
    if (slot && slot < MAX_SLOTS)
        free_slots[slot / 64] |= 1ull << (slot % 64);
}

unsigned tsr_object_size_bits(tsr_object_type_t type, unsigned size_bits)
{
    switch (type) {
    case TSR_OBJ_UNTYPED:
    case TSR_OBJ_MSG_QUEUE: return size_bits;
    case TSR_OBJ_CNODE: return size_bits + TSR_SLOT_BITS;
    case TSR_OBJ_TCB: return TSR_TCB_BITS;
    case TSR_OBJ_ENDPOINT: return TSR_ENDPOINT_BITS;
    case TSR_OBJ_NOTIFICATION: return TSR_NOTIFICATION_BITS;
    case TSR_OBJ_REPLY: return TSR_REPLY_BITS;
    case TSR_OBJ_FRAME_2M: return TSR_LARGE_PAGE_BITS;
    default: return TSR_PAGE_BITS;
    }
}

tsr_error_t tsr_alloc_object(tsr_object_type_t type, unsigned size_bits, tsr_cptr_t *slot)
{
    tsr_cptr_t s = tsr_alloc_slot();
    if (!s)
        return TSR_E_RANGE;
    tsr_error_t err = TSR_E_NOT_ENOUGH_MEMORY;
    for (uint32_t i = 0; i < ut_count; i++) {
        if (ut_list[i].is_device)
            continue;
        err = tsr_untyped_retype(ut_first + i, type, size_bits, TSR_INIT_CNODE, TSR_INIT_CNODE,
                                 TSR_ROOT_DEPTH, s, 1);
        if (err == TSR_OK) {
            uint64_t size = 1ull << tsr_object_size_bits(type, size_bits);
            ut_used[i] = ((ut_used[i] + size - 1) & ~(size - 1)) + size;
            if (free_report)
                *free_report = free_bytes();
        }
        if (err != TSR_E_NOT_ENOUGH_MEMORY)
            break;
    }
    if (err) {
        tsr_free_slot(s);
        return err;
    }
    *slot = s;
    return TSR_OK;
}

tsr_error_t tsr_alloc_untyped(unsigned size_bits, tsr_cptr_t *slot)
{
    return tsr_alloc_object(TSR_OBJ_UNTYPED, size_bits, slot);
}

void tsr_free_object(tsr_cptr_t slot)
{
    tsr_cnode_delete(TSR_INIT_CNODE, slot, TSR_ROOT_DEPTH);
    tsr_free_slot(slot);
}
