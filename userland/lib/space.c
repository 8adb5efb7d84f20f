/* SPDX-License-Identifier: MIT */
/* Second address spaces that run the caller's own code (see tsr/space.h). */
#include <stdint.h>

#include <tessera/bootinfo.h>
#include <tessera/objects.h>

#include "tsr/invoke.h"
#include "tsr/runtime.h"
#include "tsr/space.h"

/* A new object from the space's untyped, in a new slot of the caller's CNode. */
static tsr_error_t new_object(struct tsr_space *s, tsr_object_type_t type, unsigned size_bits,
                              tsr_cptr_t *slot)
{
    *slot = s->alloc_slot();
    if (!*slot)
        return TSR_E_RANGE;
    return tsr_untyped_retype(s->untyped, type, size_bits, TSR_INIT_CNODE, TSR_INIT_CNODE,
                              TSR_ROOT_DEPTH, *slot, 1);
}

/* Map `frame` at va in the space, making page tables from its untyped as the
 * kernel reports them missing. */
static tsr_error_t map_in(struct tsr_space *s, tsr_cptr_t frame, uint64_t va, unsigned rights,
                          unsigned attrs)
{
    for (unsigned tries = 0; tries < 4; tries++) {
        tsr_error_t err = tsr_frame_map(frame, s->vspace, va, rights, attrs);
        if (err != TSR_E_NOT_MAPPED)
            return err;
        tsr_cptr_t pt;
        if ((err = new_object(s, TSR_OBJ_PAGE_TABLE, 0, &pt)) ||
            (err = tsr_page_table_map(pt, s->vspace, va, 0)))
            return err;
    }
    return TSR_E_NOT_MAPPED;
}

tsr_error_t tsr_space_map(struct tsr_space *s, tsr_cptr_t frame, uint64_t va, unsigned rights,
                          unsigned attrs, tsr_cptr_t *copy)
{
    tsr_cptr_t c = s->alloc_slot();
    if (!c)
        return TSR_E_RANGE;
    tsr_error_t err = tsr_cnode_copy(TSR_INIT_CNODE, c, TSR_ROOT_DEPTH, TSR_INIT_CNODE, frame,
                                     TSR_ROOT_DEPTH, TSR_RIGHTS_ALL);
    if (!err)
        err = map_in(s, c, va, rights, attrs);
    if (copy)
        *copy = c;
    return err;
}

tsr_error_t tsr_space_create(struct tsr_space *s, const struct tsr_bootinfo *bi,
                             tsr_cptr_t untyped, unsigned radix, tsr_cptr_t (*alloc_slot)(void),
                             tsr_cptr_t fault_ep)
{
    const unsigned d = TSR_ROOT_DEPTH;
    s->untyped = untyped;
    s->alloc_slot = alloc_slot;
    s->radix = radix;
    tsr_cptr_t stack, guarded = alloc_slot();
    tsr_error_t err;
    if (!guarded)
        return TSR_E_RANGE;
    if ((err = new_object(s, TSR_OBJ_CNODE, radix, &s->cnode)) ||
        (err = new_object(s, TSR_OBJ_VSPACE, 0, &s->vspace)) ||
        (err = new_object(s, TSR_OBJ_TCB, 0, &s->tcb)) ||
        (err = new_object(s, TSR_OBJ_FRAME_4K, 0, &stack)) ||
        (err = new_object(s, TSR_OBJ_FRAME_4K, 0, &s->ipc_frame)) ||
        (err = tsr_asid_pool_assign(TSR_INIT_ASID_POOL, s->vspace, 0)))
        return err;
    /* The image, read only: user.ld lays its segments out back to back from
     * image_start, one page per frame capability. Text stays executable. */
    for (uint32_t i = 0; i < bi->image_frames.count; i++) {
        uint64_t va = bi->image_start + i * (uint64_t)TSR_PAGE_SIZE;
        if ((err = tsr_space_map(s, bi->image_frames.first + i, va, TSR_RIGHT_READ,
                                 TSR_VM_EXECUTE, 0)))
            return err;
    }
    s->ipc_buffer = TSR_SPACE_STACK_VA + TSR_PAGE_SIZE;
    if ((err = map_in(s, stack, TSR_SPACE_STACK_VA, TSR_RIGHT_READ | TSR_RIGHT_WRITE, 0)) ||
        (err = map_in(s, s->ipc_frame, s->ipc_buffer, TSR_RIGHT_READ | TSR_RIGHT_WRITE, 0)))
        return err;
    /* Its CSpace root: the CNode with a guard that makes cptrs slot numbers. */
    if ((err = tsr_cnode_mint(TSR_INIT_CNODE, guarded, d, TSR_INIT_CNODE, s->cnode, d,
                              TSR_RIGHTS_ALL, TSR_CNODE_GUARD(64 - radix, 0))) ||
        (err = tsr_cnode_copy(s->cnode, TSR_SPACE_SELF, radix, TSR_INIT_CNODE, s->tcb, d,
                              TSR_RIGHTS_ALL)) ||
        (err = tsr_tcb_configure(s->tcb, fault_ep, guarded, s->vspace, s->ipc_buffer,
                                 s->ipc_frame)))
        return err;
    return TSR_OK;
}

tsr_error_t tsr_space_give(struct tsr_space *s, unsigned slot, tsr_cptr_t cap, unsigned rights,
                           uint64_t badge)
{
    return tsr_cnode_mint(s->cnode, slot, s->radix, TSR_INIT_CNODE, cap, TSR_ROOT_DEPTH, rights,
                          badge);
}

tsr_error_t tsr_space_start(struct tsr_space *s, void (*fn)(uint64_t), uint64_t arg,
                            unsigned priority)
{
    tsr_error_t err = tsr_tcb_set_priority(s->tcb, TSR_INIT_TCB, priority);
    if (err)
        return err;
    uint64_t regs[TSR_REG_COUNT] = {0};
    regs[TSR_REG_X(0)] = (uint64_t)(uintptr_t)fn;
    regs[TSR_REG_X(1)] = arg;
    regs[TSR_REG_X(2)] = TSR_SPACE_SELF;
    regs[TSR_REG_SP] = TSR_SPACE_STACK_VA + TSR_PAGE_SIZE;
    regs[TSR_REG_PC] = (uint64_t)(uintptr_t)tsr_thread_trampoline;
    regs[TSR_REG_TPIDR] = s->ipc_buffer;
    return tsr_tcb_write_registers(s->tcb, 1, TSR_REG_COUNT, regs);
}
