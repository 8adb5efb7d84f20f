/* SPDX-License-Identifier: MIT */
/* Thread control blocks: message registers, suspend/resume, cancelling a
 * thread's IPC, and tearing a thread down when its last capability goes. */
#include <stdbool.h>
#include <stdint.h>

#include <tessera/ipc.h>

#include "object/asid.h"
#include "ipc/ipc.h"
#include "lib/kstring.h"
#include "core/sched.h"
#include "object/tcb.h"

struct tsr_ipc_buffer *tcb_ipc_buffer(struct tcb *t)
{
    const struct cap *frame = &t->slots[TCB_SLOT_IPC_BUFFER].cap;
    if (frame->type != CAP_FRAME || (frame->flags & CAP_FLAG_DEVICE))
        return NULL;
    uint64_t offset = t->ipc_buffer_va & ((1ull << frame->size_bits) - 1);
    return arch_phys_to_virt(frame->object + offset);
}

uint64_t tcb_get_mr(struct tcb *t, unsigned i)
{
    if (i < TSR_MSG_REG_WORDS)
        return *arch_context_mr(&t->ctx, i);
    struct tsr_ipc_buffer *buf = tcb_ipc_buffer(t);
    return buf && i < TSR_MSG_MAX_WORDS ? buf->msg[i] : 0;
}

bool tcb_set_mr(struct tcb *t, unsigned i, uint64_t v)
{
    if (i < TSR_MSG_REG_WORDS) {
        *arch_context_mr(&t->ctx, i) = v;
        return true;
    }
    struct tsr_ipc_buffer *buf = tcb_ipc_buffer(t);
    if (!buf || i >= TSR_MSG_MAX_WORDS)
        return false;
    buf->msg[i] = v;
    return true;
}

void tcb_set_error(struct tcb *t, tsr_error_t err)
{
    tcb_set_arg(t, TSR_ARG_ERROR, err);
    tcb_set_arg(t, TSR_ARG_MSGINFO,
                err ? TSR_MSGINFO_ERROR | ((uint64_t)err << TSR_MSGINFO_LABEL_SHIFT) : 0);
}

void tcb_init(struct tcb *t, paddr_t self)
{
    /* The object's memory is already zero: every slot empty, INACTIVE. */
    t->self = self;
    t->priority = 0;
    t->mcp = 0;
    arch_context_init(&t->ctx, 0, 0, 0);
}

void tcb_cancel_ipc(struct tcb *t)
{
    switch (t->state) {
    case THREAD_BLOCKED_SEND:
    case THREAD_BLOCKED_RECV:
        if (t->blocked_on)
            endpoint_dequeue(t);
        break;
    case THREAD_BLOCKED_NOTIFICATION:
        if (t->blocked_on)
            notification_dequeue(t);
        break;
    case THREAD_BLOCKED_REPLY:
        reply_unbind_caller(t);
        break;
    default:
        break;
    }
    t->blocked_on = 0;
}

void tcb_suspend(struct tcb *t)
{
    bool was_blocked = t->state >= THREAD_BLOCKED_SEND;
    tcb_cancel_ipc(t);
    sched_remove(t);
    /* A thread stopped in the middle of an IPC call must not later resume as
     * if the call had worked: it returns "cancelled". A fault report leaves
     * its registers alone: they are the ones the thread resumes with. */
    if (was_blocked && !t->fault.type)
        tcb_set_error(t, TSR_E_CANCELLED);
    t->state = THREAD_INACTIVE;
    /* Running threads that stop go through the scheduler on the way out. */
}

void tcb_resume(struct tcb *t)
{
    if (t->state != THREAD_INACTIVE)
        return;
    /* A thread stopped by a fault nobody answered starts clean. */
    t->fault.type = 0;
    sched_make_runnable(t);
}

void tcb_destroy(struct tcb *t)
{
    tcb_suspend(t);
    notification_unbind(t);
    sched_forget(t);
}

void tcb_vspace(struct tcb *t, uint64_t *vspace, unsigned *asid)
{
    const struct cap *vs = &t->slots[TCB_SLOT_VSPACE].cap;
    *vspace = 0;
    *asid = 0;
    if (vs->type != CAP_VSPACE || vs->a == 0)
        return;
    /* The ASID must still belong to this address space (its pool or the
     * VSpace itself may have been deleted and the ASID reused). */
    if (asid_lookup((unsigned)vs->a) != vs->object)
        return;
    *vspace = vs->object;
    *asid = (unsigned)vs->a;
}
