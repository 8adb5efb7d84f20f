/* SPDX-License-Identifier: MIT */
/* System-call dispatch (docs/syscalls.md). Entered from the arch trap code
 * with the current thread's registers saved in its TCB; results are written
 * back there, and the caller then leaves through the scheduler. */
#include <stdbool.h>
#include <stdint.h>

#include <tessera/ipc.h>
#include <tessera/objects.h>
#include <tessera/syscalls.h>

#include "arch.h"
#include "cap/cspace.h"
#include "object/invoke.h"
#include "ipc/ipc.h"
#include "core/printf.h"
#include "boot/rootserver.h"
#include "core/invariants.h"
#include "core/sched.h"
#include "core/syscall.h"

#define DEBUG_WRITE_MAX 256u /* polled console: bound the time in the kernel */

static tsr_error_t lookup(struct tcb *t, uint64_t cptr, struct cte **slot)
{
    return cspace_lookup_cap_fast(&t->slots[TCB_SLOT_CSPACE].cap, cptr, slot);
}

/* A message may move frames or share them, not both. */
static bool paths_valid(struct tcb *t)
{
    uint64_t both = TSR_MSGINFO_MOVE | TSR_MSGINFO_SHARE;
    return (tcb_arg(t, TSR_ARG_MSGINFO) & both) != both;
}

/* Answer through a reply object: a long copy stopped for an interrupt
 * restarts the call (the answer is not delivered yet). */
static tsr_error_t answer(struct tcb *t, const struct cap *reply)
{
    tsr_error_t err = paths_valid(t) ? reply_send(reply->object, t) : TSR_E_INVALID_ARGUMENT;
    if (err == TSR_E_PREEMPTED)
        arch_context_restart_syscall(&t->ctx);
    return err;
}

/* Send, NBSend and Call. */
static void sys_send(struct tcb *t, bool blocking, bool is_call)
{
    struct cte *slot;
    tsr_error_t err = lookup(t, tcb_arg(t, TSR_ARG_CPTR), &slot);
    if (err) {
        tcb_set_error(t, err);
        return;
    }
    const struct cap *cap = &slot->cap;
    bool may_send = (cap->rights & TSR_RIGHT_WRITE) != 0;
    switch (cap->type) {
    case CAP_ENDPOINT:
        if (!may_send)
            tcb_set_error(t, TSR_E_INSUFFICIENT_RIGHTS);
        else if (is_call && fastpath_call(t, cap))
            return; /* (it takes no message with path bits) */
        else if (!paths_valid(t))
            tcb_set_error(t, TSR_E_INVALID_ARGUMENT);
        else
            endpoint_send(cap, t, blocking, is_call);
        return;
    case CAP_NOTIFICATION:
        if (may_send)
            notification_signal(cap->object, cap_badge(cap));
        tcb_set_error(t, may_send ? TSR_OK : TSR_E_INSUFFICIENT_RIGHTS);
        return;
    case CAP_REPLY: {
        if (is_call) { /* a Call invokes its methods (Probe) */
            invoke_object(t, slot);
            return;
        }
        tsr_error_t err = answer(t, cap);
        if (err != TSR_E_PREEMPTED)
            tcb_set_error(t, err);
        return;
    }
    case CAP_MSG_QUEUE:
        /* Send and NBSend enqueue; a Call invokes the queue's methods. */
        if (is_call)
            invoke_object(t, slot);
        else
            tcb_set_error(t, may_send ? msgq_enqueue(cap, t) : TSR_E_INSUFFICIENT_RIGHTS);
        return;
    default:
        invoke_object(t, slot);
        return;
    }
}

/* The reply object named in x16, or NULL for none. */
static tsr_error_t reply_arg(struct tcb *t, const struct cap **reply)
{
    uint64_t cptr = tcb_arg(t, TSR_ARG_REPLY);
    *reply = NULL;
    if (cptr == 0)
        return TSR_OK;
    struct cte *slot;
    tsr_error_t err = lookup(t, cptr, &slot);
    if (err)
        return err;
    if (slot->cap.type != CAP_REPLY)
        return TSR_E_INVALID_CAPABILITY;
    *reply = &slot->cap;
    return TSR_OK;
}

/* What Recv, NBRecv and ReplyRecv receive on: an endpoint or a
 * notification capability with READ. */
static tsr_error_t recv_arg(struct tcb *t, const struct cap **cap)
{
    struct cte *slot;
    tsr_error_t err = lookup(t, tcb_arg(t, TSR_ARG_CPTR), &slot);
    if (err)
        return err;
    *cap = &slot->cap;
    if ((*cap)->type != CAP_ENDPOINT && (*cap)->type != CAP_NOTIFICATION)
        return TSR_E_INVALID_CAPABILITY;
    if (!((*cap)->rights & TSR_RIGHT_READ))
        return TSR_E_INSUFFICIENT_RIGHTS;
    return TSR_OK;
}

static void receive(struct tcb *t, const struct cap *cap, bool blocking, const struct cap *reply)
{
    if (cap->type == CAP_NOTIFICATION)
        notification_wait(cap->object, t, blocking);
    else
        endpoint_receive(cap, t, reply ? reply->object : 0, blocking);
}

/* Recv and NBRecv. */
static void sys_recv_common(struct tcb *t, bool blocking)
{
    const struct cap *reply, *cap;
    tsr_error_t err = reply_arg(t, &reply);
    if (!err)
        err = recv_arg(t, &cap);
    if (err)
        tcb_set_error(t, err);
    else
        receive(t, cap, blocking, reply);
}

static void sys_reply_recv(struct tcb *t)
{
    const struct cap *reply, *cap;
    tsr_error_t err = reply_arg(t, &reply);
    if (err) {
        tcb_set_error(t, err);
        return;
    }
    /* Both capabilities are looked up before anything changes, so the fast
     * path can check everything first. */
    tsr_error_t recv_err = recv_arg(t, &cap);
    if (!recv_err && reply && cap->type == CAP_ENDPOINT && fastpath_reply_recv(t, reply, cap))
        return;
    /* Nothing to answer (first round, or the caller went away) is fine. An
     * unusable receive capability is reported after the reply went out. A
     * long answer that stopped for an interrupt restarts the whole call; one
     * whose buffer is unusable (or path bits that are) is this thread's
     * error, and it does not receive. */
    if (reply) {
        tsr_error_t err = answer(t, reply);
        if (err == TSR_E_PREEMPTED)
            return;
        if (err == TSR_E_BAD_ADDRESS || err == TSR_E_INVALID_ARGUMENT) {
            tcb_set_error(t, err);
            return;
        }
    }
    if (recv_err)
        tcb_set_error(t, recv_err);
    else
        receive(t, cap, true, reply);
}

/* Write a string from user memory to the console, checking every page. */
static tsr_error_t debug_write(struct tcb *t, uint64_t va, uint64_t len)
{
    if (len > DEBUG_WRITE_MAX)
        return TSR_E_RANGE;
    uint64_t vspace;
    unsigned asid;
    tcb_vspace(t, &vspace, &asid);
    /* Check the whole range before printing any of it. */
    for (uint64_t done = 0; done < len;) {
        uint64_t pa;
        tsr_error_t err = arch_vspace_translate(vspace, va + done, false, &pa);
        if (err)
            return err;
        done += TSR_PAGE_SIZE - ((va + done) & (TSR_PAGE_SIZE - 1));
    }
    for (uint64_t i = 0; i < len; i++) {
        uint64_t pa;
        arch_vspace_translate(vspace, va + i, false, &pa);
        const char *c = arch_object_to_virt(pa);
        if (*c == '\n')
            arch_console_putc('\r');
        arch_console_putc(*c);
    }
    return TSR_OK;
}

/* One handler per system call, indexed by number (Null never gets here: the
 * vector answers it). Each takes the calling thread. */
static void sys_null(struct tcb *t)
{
    tcb_set_arg(t, TSR_ARG_ERROR, 0);
}
static void sys_send_blocking(struct tcb *t)
{
    sys_send(t, true, false);
}
static void sys_nb_send(struct tcb *t)
{
    sys_send(t, false, false);
}
static void sys_call(struct tcb *t)
{
    sys_send(t, true, true);
}
static void sys_recv_blocking(struct tcb *t)
{
    sys_recv_common(t, true);
}
static void sys_nb_recv(struct tcb *t)
{
    sys_recv_common(t, false);
}
static void sys_yield(struct tcb *t)
{
    sched_yield();
    tcb_set_arg(t, TSR_ARG_ERROR, 0);
}
static void sys_debug_putc(struct tcb *t)
{
    arch_console_putc((char)tcb_arg(t, 0));
    tcb_set_arg(t, TSR_ARG_ERROR, 0);
}
static void sys_debug_write(struct tcb *t)
{
    tcb_set_arg(t, TSR_ARG_ERROR, debug_write(t, tcb_arg(t, 0), tcb_arg(t, 1)));
}
static void sys_debug_exit(struct tcb *t)
{
    /* Stopping the machine is the root task's decision, not any thread's. */
    if (!rootserver_is_root_thread(t)) {
        tcb_set_arg(t, TSR_ARG_ERROR, TSR_E_ILLEGAL_OPERATION);
        return;
    }
    arch_exit((int)tcb_arg(t, 0));
}

static void sys_debug_counter(struct tcb *t)
{
    uint64_t id = tcb_arg(t, 0);
#ifdef TESSERA_DEBUG
    tcb_set_arg(t, TSR_ARG_ERROR, id < TSR_COUNTER_COUNT ? ipc_counters[id] : 0);
    if (id == TSR_COUNTER_MAX_MASKED)
        ipc_counters[id] = 0; /* a new measurement starts */
#else
    (void)id;
    tcb_set_arg(t, TSR_ARG_ERROR, 0);
#endif
}

static void sys_debug_check(struct tcb *t)
{
    unsigned long caps;
    tcb_set_arg(t, TSR_ARG_ERROR, invariants_check(&caps));
    tcb_set_arg(t, TSR_ARG_MSGINFO, caps);
}

static void sys_unknown(struct tcb *t, unsigned number)
{
    kernel_user_fault(TSR_FAULT_UNKNOWN_SYSCALL, arch_context_pc(&t->ctx), number,
                      tcb_arg(t, 0), tcb_arg(t, 1));
}

uint64_t svc_exit_message = SVC_EXIT_RESTORE_ALL;

/* Every system call ends here: interrupts stay masked in the kernel, so if
 * the call changed nothing the scheduler cares about, the current thread
 * goes on: the caller, or the thread the IPC fast path switched to (with
 * its message). */
static struct svc_exit svc_done(void)
{
    if (!sched_choice_stale()) {
        struct svc_exit e = {&sched_current->ctx, svc_exit_message};
        svc_exit_message = SVC_EXIT_RESTORE_ALL;
        return e;
    }
    return (struct svc_exit){&sched_select()->ctx, SVC_EXIT_RESTORE_ALL};
}

/* Debug kernels measure how long each system call runs with interrupts
 * masked (TSR_COUNTER_MAX_MASKED: the longest since it was last read), in
 * PMU cycles, which are instructions under -icount: the bound every long
 * operation must keep (docs/testing.md). Other kernels pay nothing. */
#ifdef TESSERA_DEBUG
static uint64_t masked_since;
static inline void masked_begin(void)
{
    masked_since = arch_cycles();
}
static inline void masked_end(void)
{
    uint64_t took = arch_cycles() - masked_since;
    if (took > ipc_counters[TSR_COUNTER_MAX_MASKED])
        ipc_counters[TSR_COUNTER_MAX_MASKED] = took;
}
#else
static inline void masked_begin(void) {}
static inline void masked_end(void) {}
#endif

/* The entries of svc_table: the handler, then svc_done. */
#define SVC_ENTRY(name)                                                                            \
    static struct svc_exit svc_##name(struct tcb *t, unsigned number)                             \
    {                                                                                              \
        (void)number;                                                                              \
        masked_begin();                                                                            \
        sys_##name(t);                                                                             \
        struct svc_exit e = svc_done();                                                            \
        masked_end();                                                                              \
        return e;                                                                                  \
    }
SVC_ENTRY(null)
SVC_ENTRY(send_blocking)
SVC_ENTRY(nb_send)
SVC_ENTRY(call)
SVC_ENTRY(recv_blocking)
SVC_ENTRY(nb_recv)
SVC_ENTRY(reply_recv)
SVC_ENTRY(yield)
SVC_ENTRY(debug_putc)
SVC_ENTRY(debug_write)
SVC_ENTRY(debug_exit)
SVC_ENTRY(debug_counter)
SVC_ENTRY(debug_check)

static struct svc_exit svc_unknown(struct tcb *t, unsigned number)
{
    sys_unknown(t, number);
    return svc_done();
}

_Static_assert(TSR_SYS_COUNT < SVC_TABLE_SIZE, "every call has an entry, and one is left over");
const svc_handler_t svc_table[SVC_TABLE_SIZE] = {
    [TSR_SYS_NULL] = svc_null,
    [TSR_SYS_SEND] = svc_send_blocking,
    [TSR_SYS_NB_SEND] = svc_nb_send,
    [TSR_SYS_CALL] = svc_call,
    [TSR_SYS_RECV] = svc_recv_blocking,
    [TSR_SYS_NB_RECV] = svc_nb_recv,
    [TSR_SYS_REPLY_RECV] = svc_reply_recv,
    [TSR_SYS_YIELD] = svc_yield,
    [TSR_SYS_DEBUG_PUTC] = svc_debug_putc,
    [TSR_SYS_DEBUG_WRITE] = svc_debug_write,
    [TSR_SYS_DEBUG_EXIT] = svc_debug_exit,
    [TSR_SYS_DEBUG_COUNTER] = svc_debug_counter,
    [TSR_SYS_DEBUG_CHECK] = svc_debug_check,
    [TSR_SYS_COUNT ... SVC_TABLE_SIZE - 1] = svc_unknown, /* GNU C range */
};
