/* SPDX-License-Identifier: MIT */
/* Reply objects: where a Call waits for its answer. A receiver offers one
 * when it receives; a delivered Call binds its caller to it; the reply (or
 * the object's deletion, or its reuse before answering) ends the wait. */
#include <stdbool.h>
#include <stdint.h>

#include <tessera/ipc.h>
#include <tessera/syscalls.h>

#include "core/sched.h"
#include "ipc/ipc.h"
#include "object/invoke.h"
#include "object/objects.h"

/* The caller waits on the reply object until the receiver answers. */
void reply_bind(paddr_t reply_pa, struct tcb *caller, bool can_grant)
{
    struct reply *rp = reply_from_pa(reply_pa);
    rp->receiver = NULL;
    if (rp->caller && rp->caller != caller) {
        /* The receiver reused the reply object without answering: the
         * earlier caller will never get its answer. */
        struct tcb *old = rp->caller;
        old->caller_reply = 0;
        ipc_fail_thread(old, TSR_E_CANCELLED);
    }
    sched_remove(caller);
    reply_wait(rp, reply_pa, caller, can_grant);
}

tsr_error_t reply_send(paddr_t reply_pa, struct tcb *replier)
{
    struct reply *rp = reply_from_pa(reply_pa);
    struct tcb *c = rp->caller;
    if (!c)
        return TSR_E_ILLEGAL_OPERATION;
    if (!c->fault.type && ipc_has_long(replier)) {
        switch (long_copy(replier, replier, c)) {
        case LONG_COPY_DONE:
            break;
        case LONG_COPY_PREEMPTED:
            return TSR_E_PREEMPTED; /* the replier's call restarts */
        case LONG_COPY_SENDER_FAULT:
            return TSR_E_BAD_ADDRESS; /* the caller goes on waiting */
        case LONG_COPY_RECEIVER_FAULT:
            /* The caller's receive buffer is unusable: its Call fails. */
            rp->caller = NULL;
            c->caller_reply = 0;
            ipc_fail_thread(c, TSR_E_BAD_ADDRESS);
            return TSR_OK;
        }
    }
    rp->caller = NULL;
    c->caller_reply = 0;
    c->blocked_on = 0;
    if (c->fault.type) {
        /* Answering a fault resumes the thread where it stopped, or at MR0. */
        tsr_msginfo_t mi = tcb_arg(replier, TSR_ARG_MSGINFO);
        if (tsr_msginfo_label(mi) == TSR_FAULT_REPLY_SET_PC && tsr_msginfo_length(mi) >= 1)
            arch_context_set_pc(&c->ctx, tcb_get_mr(replier, 0));
        c->fault.type = 0;
    } else {
        ipc_transfer_message(replier, c, 0, rp->can_grant);
    }
    sched_make_runnable(c);
    return TSR_OK;
}

void reply_unbind_caller(struct tcb *caller)
{
    if (caller->caller_reply) {
        struct reply *rp = reply_from_pa(caller->caller_reply);
        if (rp->caller == caller)
            rp->caller = NULL;
        caller->caller_reply = 0;
    }
}

static void reply_type_destroy(const struct cap *cap)
{
    struct reply *rp = reply_from_pa(cap->object);
    if (rp->caller) {
        struct tcb *c = rp->caller;
        rp->caller = NULL;
        c->caller_reply = 0;
        ipc_fail_thread(c, TSR_E_CANCELLED);
    }
    if (rp->receiver) {
        rp->receiver->recv_reply = 0;
        rp->receiver = NULL;
    }
}

/* Probe: whether a caller waits on the reply object. A server that keeps
 * callers waiting (deferred replies) asks it to find the callers that went
 * away (their threads were destroyed or stopped), and reuses those reply
 * objects without answering anyone. */
static tsr_error_t reply_invoke(struct invocation *inv)
{
    const struct reply *rp = reply_from_pa(inv->slot->cap.object);
    inv_result(inv, rp->caller != NULL); /* TSR_REPLY_PROBE, the only method */
    return TSR_OK;
}

const struct object_type reply_type = {
    .name = "reply",
    .destroy = reply_type_destroy,
    .invoke = reply_invoke,
};
