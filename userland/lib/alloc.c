/* SPDX-License-Identifier: MIT */
/* Allocators for user programs: CSpace slots of the root CNode (a bitmap over
 * the free range the boot information names) and kernel objects retyped from
 * RAM untypeds, first fit. The kernel keeps the untyped watermarks; asking it
 * and moving on when an untyped is full keeps this side stateless. */
#include <stdbool.h>
#include <stdint.h>

#include <tessera/bootinfo.h>

#include "tsr/invoke.h"
#include "tsr/runtime.h"

#define MAX_SLOTS 4096u

static const struct tsr_bootinfo *boot;
static uint64_t free_slots[MAX_SLOTS / 64];

void tsr_alloc_init(const struct tsr_bootinfo *bi)
{
    boot = bi;
    for (uint32_t i = 0; i < bi->empty.count; i++) {
        uint32_t s = bi->empty.first + i;
        if (s < MAX_SLOTS)
            free_slots[s / 64] |= 1ull << (s % 64);
    }
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

tsr_error_t tsr_alloc_object(tsr_object_type_t type, unsigned size_bits, tsr_cptr_t *slot)
{
    tsr_cptr_t s = tsr_alloc_slot();
    if (!s)
        return TSR_E_RANGE;
    tsr_error_t err = TSR_E_NOT_ENOUGH_MEMORY;
    for (uint32_t i = 0; i < boot->untyped.count; i++) {
        if (boot->untyped_list[i].is_device)
            continue;
        err = tsr_untyped_retype(boot->untyped.first + i, type, size_bits, TSR_INIT_CNODE,
                                 TSR_INIT_CNODE, TSR_ROOT_DEPTH, s, 1);
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
