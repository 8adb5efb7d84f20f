/* SPDX-License-Identifier: MIT */
/* TCB methods: configure (CSpace, VSpace, IPC buffer, fault endpoint),
 * priorities, registers, resume/suspend, notification binding. */
#include <stdbool.h>
#include <stdint.h>

#include <tessera/ipc.h>
#include <tessera/syscalls.h>

#include "cap/cdt.h"
#include "object/invoke.h"
#include "ipc/ipc.h"
#include "core/sched.h"

/* Look up an optional capability argument of a given type (cptr 0: none). */
static tsr_error_t optional_cap(struct invocation *inv, uint64_t cptr, enum cap_type type,
                                struct cte **slot)
{
    *slot = NULL;
    return cptr ? inv_lookup_typed(inv, cptr, type, 0, slot) : TSR_OK;
}

/* Still what decode saw? The deletions of Configure can destroy things: the
 * old CSpace may hold the only capability to this very TCB, or to the CNode
 * a source capability lives in. */
static bool still_valid(const struct invocation *inv, const struct tcb *t, const struct cte *src,
                        const struct cap *decoded)
{
    return inv->slot->cap.type == CAP_TCB && inv->slot->cap.object == t->self &&
           src->cap.type == decoded->type && src->cap.object == decoded->object;
}

static tsr_error_t configure(struct invocation *inv, struct tcb *t)
{
    if (inv->length < 5)
        return TSR_E_TRUNCATED;
    struct cte *fault_ep, *cspace, *vspace, *buffer;
    uint64_t buffer_va = inv_arg(inv, 3);
    tsr_error_t err;
    if ((err = optional_cap(inv, inv_arg(inv, 0), CAP_ENDPOINT, &fault_ep)) ||
        (err = optional_cap(inv, inv_arg(inv, 1), CAP_CNODE, &cspace)) ||
        (err = optional_cap(inv, inv_arg(inv, 2), CAP_VSPACE, &vspace)) ||
        (err = optional_cap(inv, inv_arg(inv, 4), CAP_FRAME, &buffer)))
        return err;
    if (fault_ep && !(fault_ep->cap.rights & TSR_RIGHT_WRITE))
        return TSR_E_INSUFFICIENT_RIGHTS;
    if (vspace && vspace->cap.a == 0)
        return TSR_E_ILLEGAL_OPERATION; /* no ASID yet: ASIDPool_Assign first */
    if (buffer) {
        if ((buffer->cap.rights & (TSR_RIGHT_READ | TSR_RIGHT_WRITE)) !=
            (TSR_RIGHT_READ | TSR_RIGHT_WRITE))
            return TSR_E_INSUFFICIENT_RIGHTS;
        if (buffer->cap.flags & CAP_FLAG_DEVICE)
            return TSR_E_INVALID_CAPABILITY;
        if (buffer_va & (TSR_IPC_BUFFER_SIZE - 1))
            return TSR_E_ALIGNMENT;
    }
    /* Each TCB slot gets a copy of its source; the old capability is deleted
     * first, which may take several restarts of this call and may destroy
     * what decode checked, so that is checked again around each deletion. */
    unsigned budget = INVOKE_DELETE_BUDGET;
    struct cte *srcs[4] = {fault_ep, cspace, vspace, buffer};
    enum tcb_slot dsts[4] = {TCB_SLOT_FAULT_EP, TCB_SLOT_CSPACE, TCB_SLOT_VSPACE,
                             TCB_SLOT_IPC_BUFFER};
    for (unsigned i = 0; i < 4; i++) {
        if (!srcs[i])
            continue;
        struct cap decoded = srcs[i]->cap;
        struct cte *dst = &t->slots[dsts[i]];
        if (dst->cap.type != CAP_NULL) {
            err = cap_delete(dst, &budget);
            if (err)
                return err;
            if (!still_valid(inv, t, srcs[i], &decoded))
                return TSR_E_INVALID_CAPABILITY;
        }
        err = cap_copy(srcs[i], dst, TSR_RIGHTS_ALL);
        if (err)
            return err;
    }
    if (buffer)
        t->ipc_buffer_va = buffer_va;
    sched_vspace_changed();
    return TSR_OK;
}

static struct tcb *authority(struct invocation *inv, tsr_error_t *err)
{
    struct cte *slot;
    *err = inv_lookup_typed(inv, inv_arg(inv, 0), CAP_TCB, 0, &slot);
    return *err ? NULL : tcb_from_pa(slot->cap.object);
}

static tsr_error_t set_priority(struct invocation *inv, struct tcb *t, bool mcp)
{
    if (inv->length < 2)
        return TSR_E_TRUNCATED;
    tsr_error_t err;
    struct tcb *auth = authority(inv, &err);
    if (!auth)
        return err;
    uint64_t prio = inv_arg(inv, 1);
    if (prio > TSR_MAX_PRIORITY)
        return TSR_E_RANGE;
    /* Nobody gives a priority above the authority's maximum (seL4's MCP). */
    if (prio > auth->mcp)
        return TSR_E_INSUFFICIENT_RIGHTS;
    if (mcp) {
        t->mcp = (uint8_t)prio;
        return TSR_OK;
    }
    bool queued = t->in_ready_queue;
    sched_remove(t);
    t->priority = (uint8_t)prio;
    if (queued)
        sched_make_runnable(t);
    if (t == sched_current)
        sched_yield(); /* let a now-higher thread run */
    return TSR_OK;
}

static tsr_error_t read_registers(struct invocation *inv, struct tcb *t)
{
    if (inv->length < 1)
        return TSR_E_TRUNCATED;
    uint64_t count = inv_arg(inv, 0);
    if (count > TSR_REG_COUNT)
        return TSR_E_RANGE;
    if (t == inv->caller)
        return TSR_E_ILLEGAL_OPERATION; /* its registers are this very call */
    for (unsigned i = 0; i < count; i++)
        inv_result(inv, *arch_context_word(&t->ctx, i));
    return TSR_OK;
}

static tsr_error_t write_registers(struct invocation *inv, struct tcb *t)
{
    if (inv->length < 2)
        return TSR_E_TRUNCATED;
    uint64_t resume = inv_arg(inv, 0), count = inv_arg(inv, 1);
    if (count > TSR_REG_COUNT)
        return TSR_E_RANGE;
    if (inv->length < 2 + count)
        return TSR_E_TRUNCATED;
    if (t == inv->caller)
        return TSR_E_ILLEGAL_OPERATION;
    for (unsigned i = 0; i < count; i++)
        *arch_context_word(&t->ctx, i) = inv_arg(inv, 2 + i);
    arch_context_sanitise(&t->ctx);
    if (resume)
        tcb_resume(t);
    return TSR_OK;
}

tsr_error_t invoke_tcb(struct invocation *inv)
{
    struct tcb *t = tcb_from_pa(inv->slot->cap.object);
    switch (inv->label) {
    case TSR_TCB_CONFIGURE:
        return configure(inv, t);
    case TSR_TCB_SET_PRIORITY:
        return set_priority(inv, t, false);
    case TSR_TCB_SET_MCP:
        return set_priority(inv, t, true);
    case TSR_TCB_READ_REGISTERS:
        return read_registers(inv, t);
    case TSR_TCB_WRITE_REGISTERS:
        return write_registers(inv, t);
    case TSR_TCB_RESUME:
        tcb_resume(t);
        return TSR_OK;
    case TSR_TCB_SUSPEND:
        tcb_suspend(t);
        return TSR_OK;
    case TSR_TCB_BIND_NOTIFICATION: {
        if (inv->length < 1)
            return TSR_E_TRUNCATED;
        struct cte *n;
        tsr_error_t err = inv_lookup_typed(inv, inv_arg(inv, 0), CAP_NOTIFICATION,
                                           TSR_RIGHT_READ, &n);
        if (err)
            return err;
        return notification_bind(n->cap.object, t);
    }
    case TSR_TCB_UNBIND_NOTIFICATION:
        if (!t->bound_notification)
            return TSR_E_ILLEGAL_OPERATION;
        notification_unbind(t);
        return TSR_OK;
    default:
        return TSR_E_ILLEGAL_OPERATION;
    }
}
