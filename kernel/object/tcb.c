/* SPDX-License-Identifier: MIT */
/* Thread control blocks: message registers, suspend/resume, cancelling a
 * thread's IPC, tearing a thread down when its last capability goes, and
 * the TCB's methods (configure, priorities, registers, resume/suspend,
 * notification binding). */
#include <stdbool.h>
#include <stdint.h>

#include <tessera/ipc.h>

#include <tessera/syscalls.h>

#include "cap/cdt.h"
#include "core/sched.h"
#include "ipc/ipc.h"
#include "object/asid.h"
#include "object/invoke.h"
#include "object/objects.h"
#include "object/tcb.h"

struct tsr_ipc_buffer *tcb_ipc_buffer(struct tcb *t)
{
    const struct cap *frame = &t->slots[TCB_SLOT_IPC_BUFFER].cap;
    if (frame->type != CAP_FRAME || (frame->flags & CAP_FLAG_DEVICE))
        return NULL;
    uint64_t offset = t->ipc_buffer_va & ((1ull << frame->size_bits) - 1);
    return arch_object_to_virt(frame->object + offset);
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
    /* A stopped thread holds no FP/SIMD registers: its values go into its
     * TCB, and a TCB being destroyed (which suspends first) is never
     * written by a later switch. */
    arch_fpu_release(&t->ctx);
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
    long_copy_forget(t);
    notification_unbind(t);
    sched_forget(t);
}

void tcb_vspace(struct tcb *t, uint64_t *vspace, unsigned *asid)
{
    const struct cap *vs = &t->slots[TCB_SLOT_VSPACE].cap;
    *vspace = 0;
    *asid = 0;
    if (vs->type != CAP_VSPACE || cap_vspace_asid(vs) == 0)
        return;
    /* The ASID must still belong to this address space (its pool or the
     * VSpace itself may have been deleted and the ASID reused). */
    if (asid_lookup(cap_vspace_asid(vs)) != vs->object)
        return;
    *vspace = vs->object;
    *asid = cap_vspace_asid(vs);
}

/* ---- methods: each decodes (checks, changes nothing), then performs --------- */

/* Configure: fault_ep, cspace_root, vspace_root, ipc_buffer_va,
 * ipc_buffer_frame; cptr 0 leaves that slot as it is. */
#define CONFIGURE_SLOTS 4
struct configure {
    struct cte *src[CONFIGURE_SLOTS]; /* NULL: leave the slot alone */
    struct cap_change copy[CONFIGURE_SLOTS];
    uint64_t buffer_va;
    int occupied; /* a slot to replace that still holds a capability, or -1 */
};
static const enum tcb_slot configure_slot[CONFIGURE_SLOTS] = {
    TCB_SLOT_FAULT_EP, TCB_SLOT_CSPACE, TCB_SLOT_VSPACE, TCB_SLOT_IPC_BUFFER};

static tsr_error_t decode_configure(struct invocation *inv, struct tcb *t, struct configure *c)
{
    struct cte **src = c->src;
    tsr_error_t err;
    if ((err = inv_lookup_optional(inv, inv_arg(inv, 0), CAP_ENDPOINT, &src[0])) ||
        (err = inv_lookup_optional(inv, inv_arg(inv, 1), CAP_CNODE, &src[1])) ||
        (err = inv_lookup_optional(inv, inv_arg(inv, 2), CAP_VSPACE, &src[2])) ||
        (err = inv_lookup_optional(inv, inv_arg(inv, 4), CAP_FRAME, &src[3])))
        return err;
    c->buffer_va = inv_arg(inv, 3);
    if (src[0] && !(src[0]->cap.rights & TSR_RIGHT_WRITE))
        return TSR_E_INSUFFICIENT_RIGHTS;
    if (src[2] && cap_vspace_asid(&src[2]->cap) == 0)
        return TSR_E_ILLEGAL_OPERATION; /* no ASID yet: ASIDPool_Assign first */
    if (src[3]) {
        if ((src[3]->cap.rights & (TSR_RIGHT_READ | TSR_RIGHT_WRITE)) !=
            (TSR_RIGHT_READ | TSR_RIGHT_WRITE))
            return TSR_E_INSUFFICIENT_RIGHTS;
        if (src[3]->cap.flags & CAP_FLAG_DEVICE)
            return TSR_E_INVALID_CAPABILITY;
        if (c->buffer_va & (TSR_IPC_BUFFER_SIZE - 1))
            return TSR_E_ALIGNMENT;
    }
    /* Each slot gets a copy of its source; a slot that still holds an old
     * capability must be emptied first (see tcb_invoke). */
    c->occupied = -1;
    for (int i = 0; i < CONFIGURE_SLOTS; i++) {
        if (!src[i])
            continue;
        struct cte *dst = &t->slots[configure_slot[i]];
        if (dst->cap.type != CAP_NULL) {
            if (c->occupied < 0)
                c->occupied = i;
            continue;
        }
        err = cap_decode_copy(src[i], dst, TSR_RIGHTS_ALL, &c->copy[i]);
        if (err)
            return err;
    }
    return TSR_OK;
}

static void perform_configure(struct tcb *t, const struct configure *c)
{
    for (int i = 0; i < CONFIGURE_SLOTS; i++)
        if (c->src[i])
            cap_perform(&c->copy[i]);
    if (c->src[3])
        t->ipc_buffer_va = c->buffer_va;
    sched_vspace_changed();
}

/* Configure in full: old capabilities in the slots being replaced are
 * deleted first. A deletion is preemptible, and it may destroy what decode
 * looked at (the old CSpace may hold the only capability to this very TCB,
 * or to the CNode a source capability lives in), so after each one the call
 * restarts and decodes afresh; only a decode that finds every slot to fill
 * empty performs. */
static tsr_error_t configure(struct invocation *inv, struct tcb *t)
{
    struct configure c;
    tsr_error_t err = decode_configure(inv, t, &c);
    if (err)
        return err;
    if (c.occupied >= 0) {
        unsigned budget = INVOKE_DELETE_BUDGET;
        err = cap_delete(&t->slots[configure_slot[c.occupied]], &budget);
        return err ? err : TSR_E_PREEMPTED; /* PREEMPTED: run the call again */
    }
    perform_configure(t, &c);
    return TSR_OK;
}

/* SetPriority and SetMCP: authority_tcb, priority. */
static tsr_error_t decode_priority(struct invocation *inv, uint8_t *prio)
{
    struct cte *auth;
    tsr_error_t err = inv_lookup_typed(inv, inv_arg(inv, 0), CAP_TCB, 0, &auth);
    if (err)
        return err;
    uint64_t p = inv_arg(inv, 1);
    if (p > TSR_MAX_PRIORITY)
        return TSR_E_RANGE;
    /* Nobody gives a priority above the authority's maximum (seL4's MCP). */
    if (p > tcb_from_pa(auth->cap.object)->mcp)
        return TSR_E_INSUFFICIENT_RIGHTS;
    *prio = (uint8_t)p;
    return TSR_OK;
}

static void perform_set_priority(struct tcb *t, uint8_t prio)
{
    bool queued = t->in_ready_queue;
    sched_remove(t);
    t->priority = prio;
    if (queued)
        sched_make_runnable(t);
    if (t == sched_current)
        sched_yield(); /* let a now-higher thread run */
}

/* ReadRegisters: count (beyond TSR_REG_COUNT, the FP/SIMD state too). */
static tsr_error_t decode_read_registers(struct invocation *inv, struct tcb *t, unsigned *count)
{
    uint64_t n = inv_arg(inv, 0);
    if (n > TSR_REG_COUNT_ALL)
        return TSR_E_RANGE;
    if (t == inv->caller)
        return TSR_E_ILLEGAL_OPERATION; /* its registers are this very call */
    *count = (unsigned)n;
    return TSR_OK;
}

static void perform_read_registers(struct invocation *inv, struct tcb *t, unsigned count)
{
    if (count > TSR_REG_COUNT)
        arch_fpu_release(&t->ctx); /* its FP values may be the live ones */
    for (unsigned i = 0; i < count; i++)
        inv_result(inv, *arch_context_word(&t->ctx, i));
}

/* WriteRegisters: resume, count, registers... */
static tsr_error_t decode_write_registers(struct invocation *inv, struct tcb *t, unsigned *count)
{
    uint64_t n = inv_arg(inv, 1);
    if (n > TSR_REG_COUNT_ALL)
        return TSR_E_RANGE;
    if (inv->length < TSR_TCB_WRITE_REGISTERS_ARGS + n)
        return TSR_E_TRUNCATED;
    if (t == inv->caller)
        return TSR_E_ILLEGAL_OPERATION;
    *count = (unsigned)n;
    return TSR_OK;
}

static void perform_write_registers(struct invocation *inv, struct tcb *t, unsigned count)
{
    if (count > TSR_REG_COUNT)
        arch_fpu_release(&t->ctx); /* so its next FP use loads what is written */
    for (unsigned i = 0; i < count; i++)
        *arch_context_word(&t->ctx, i) = inv_arg(inv, TSR_TCB_WRITE_REGISTERS_ARGS + i);
    arch_context_sanitise(&t->ctx);
    if (inv_arg(inv, 0))
        tcb_resume(t);
}

/* BindNotification: notification (READ needed). */
static tsr_error_t decode_bind(struct invocation *inv, struct tcb *t, paddr_t *ntfn)
{
    struct cte *n;
    tsr_error_t err =
        inv_lookup_typed(inv, inv_arg(inv, 0), CAP_NOTIFICATION, TSR_RIGHT_READ, &n);
    if (err)
        return err;
    if (notification_bound_thread(n->cap.object) || t->bound_notification)
        return TSR_E_ILLEGAL_OPERATION; /* either side is taken */
    *ntfn = n->cap.object;
    return TSR_OK;
}

static tsr_error_t tcb_invoke(struct invocation *inv)
{
    struct tcb *t = tcb_from_pa(inv->slot->cap.object);
    tsr_error_t err;
    uint8_t prio;
    unsigned count;
    paddr_t ntfn;
    switch (inv->label) {
    case TSR_TCB_CONFIGURE:
        return configure(inv, t);
    case TSR_TCB_SET_PRIORITY:
        if (!(err = decode_priority(inv, &prio)))
            perform_set_priority(t, prio);
        return err;
    case TSR_TCB_SET_MCP:
        if (!(err = decode_priority(inv, &prio)))
            t->mcp = prio;
        return err;
    case TSR_TCB_READ_REGISTERS:
        if (!(err = decode_read_registers(inv, t, &count)))
            perform_read_registers(inv, t, count);
        return err;
    case TSR_TCB_WRITE_REGISTERS:
        if (!(err = decode_write_registers(inv, t, &count)))
            perform_write_registers(inv, t, count);
        return err;
    case TSR_TCB_RESUME:
        tcb_resume(t);
        return TSR_OK;
    case TSR_TCB_SUSPEND:
        tcb_suspend(t);
        return TSR_OK;
    case TSR_TCB_BIND_NOTIFICATION:
        if (!(err = decode_bind(inv, t, &ntfn)))
            notification_bind(ntfn, t);
        return err;
    default: /* TSR_TCB_UNBIND_NOTIFICATION */
        if (!t->bound_notification)
            return TSR_E_ILLEGAL_OPERATION;
        notification_unbind(t);
        return TSR_OK;
    }
}

/* ---- the object type -------------------------------------------------------- */

static void tcb_type_init(paddr_t pa, unsigned size_bits)
{
    (void)size_bits;
    tcb_init(tcb_from_pa(pa), pa);
}

static unsigned tcb_type_slots(const struct cap *cap, struct cte **slots)
{
    *slots = tcb_from_pa(cap->object)->slots;
    return TCB_SLOT_COUNT;
}

/* Stop a thread before its CSpace and VSpace are taken apart. */
static void tcb_type_dying(const struct cap *cap)
{
    tcb_suspend(tcb_from_pa(cap->object));
}

static void tcb_type_destroy(const struct cap *cap)
{
    tcb_destroy(tcb_from_pa(cap->object));
}

const struct object_type tcb_type = {
    .name = "tcb",
    .init = tcb_type_init,
    .slots = tcb_type_slots,
    .dying = tcb_type_dying,
    .destroy = tcb_type_destroy,
    .invoke = tcb_invoke,
};
