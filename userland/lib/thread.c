/* SPDX-License-Identifier: MIT */
/* Threads in the caller's address space: a TCB, a stack page and an IPC
 * buffer page, set up entirely with capability invocations. */
#include <stdint.h>

#include <tessera/bootinfo.h>

#include "tsr/invoke.h"
#include "tsr/runtime.h"
#include "tsr/vm.h"

tsr_error_t tsr_thread_create(struct tsr_thread *t, tsr_cptr_t cspace, tsr_cptr_t vspace,
                              uint64_t stack_va, unsigned priority, void (*fn)(uint64_t),
                              uint64_t arg)
{
    tsr_cptr_t stack;
    tsr_error_t err;
    if ((err = tsr_alloc_object(TSR_OBJ_TCB, 0, &t->tcb)) ||
        (err = tsr_alloc_object(TSR_OBJ_FRAME_4K, 0, &stack)) ||
        (err = tsr_alloc_object(TSR_OBJ_FRAME_4K, 0, &t->ipc_frame)))
        return err;
    if ((err = tsr_vm_map(stack, vspace, stack_va, TSR_RIGHT_READ | TSR_RIGHT_WRITE, 0)) ||
        (err = tsr_vm_map(t->ipc_frame, vspace, stack_va + 4096, TSR_RIGHT_READ | TSR_RIGHT_WRITE, 0)))
        return err;
    t->ipc_buffer = stack_va + 4096;
    t->stack_top = stack_va + 4096;
    if ((err = tsr_tcb_configure(t->tcb, 0, cspace, vspace, t->ipc_buffer, t->ipc_frame)) ||
        (err = tsr_tcb_set_priority(t->tcb, TSR_INIT_TCB, priority)))
        return err;
    uint64_t regs[TSR_REG_COUNT] = {0};
    regs[TSR_REG_X(0)] = (uint64_t)(uintptr_t)fn;
    regs[TSR_REG_X(1)] = arg;
    regs[TSR_REG_X(2)] = t->tcb;
    regs[TSR_REG_SP] = t->stack_top;
    regs[TSR_REG_PC] = (uint64_t)(uintptr_t)tsr_thread_trampoline;
    regs[TSR_REG_TPIDR] = t->ipc_buffer;
    return tsr_tcb_write_registers(t->tcb, 0, TSR_REG_COUNT, regs);
}

tsr_error_t tsr_thread_start(struct tsr_thread *t)
{
    return tsr_tcb_resume(t->tcb);
}
