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
#include "core/sched.h"
#include "core/syscall.h"

#define DEBUG_WRITE_MAX 256u /* polled console: bound the time in the kernel */

static tsr_error_t lookup(struct tcb *t, uint64_t cptr, struct cte **slot)
{
    return cspace_lookup_cap(&t->slots[TCB_SLOT_CSPACE].cap, cptr, slot);
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
        if (may_send)
            endpoint_send(cap, t, blocking, is_call);
        else
            tcb_set_error(t, TSR_E_INSUFFICIENT_RIGHTS);
        return;
    case CAP_NOTIFICATION:
        if (may_send)
            notification_signal(cap->object, cap_badge(cap));
        tcb_set_error(t, may_send ? TSR_OK : TSR_E_INSUFFICIENT_RIGHTS);
        return;
    case CAP_REPLY:
        tcb_set_error(t, is_call ? TSR_E_ILLEGAL_OPERATION : reply_send(cap->object, t));
        return;
    default:
        invoke_object(t, slot);
        return;
    }
}

/* The reply object named in x16, or 0 for none. */
static tsr_error_t reply_arg(struct tcb *t, paddr_t *reply)
{
    uint64_t cptr = tcb_arg(t, TSR_ARG_REPLY);
    *reply = 0;
    if (cptr == 0)
        return TSR_OK;
    struct cte *slot;
    tsr_error_t err = lookup(t, cptr, &slot);
    if (err)
        return err;
    if (slot->cap.type != CAP_REPLY)
        return TSR_E_INVALID_CAPABILITY;
    *reply = slot->cap.object;
    return TSR_OK;
}

/* Recv, NBRecv, and the receive half of ReplyRecv. */
static void sys_recv(struct tcb *t, bool blocking, paddr_t reply)
{
    struct cte *slot;
    tsr_error_t err = lookup(t, tcb_arg(t, TSR_ARG_CPTR), &slot);
    if (err) {
        tcb_set_error(t, err);
        return;
    }
    const struct cap *cap = &slot->cap;
    if (cap->type != CAP_ENDPOINT && cap->type != CAP_NOTIFICATION) {
        tcb_set_error(t, TSR_E_INVALID_CAPABILITY);
        return;
    }
    if (!(cap->rights & TSR_RIGHT_READ)) {
        tcb_set_error(t, TSR_E_INSUFFICIENT_RIGHTS);
        return;
    }
    if (cap->type == CAP_NOTIFICATION)
        notification_wait(cap->object, t, blocking);
    else
        endpoint_receive(cap, t, reply, blocking);
}

static void sys_reply_recv(struct tcb *t)
{
    paddr_t reply;
    tsr_error_t err = reply_arg(t, &reply);
    if (err) {
        tcb_set_error(t, err);
        return;
    }
    /* Nothing to answer (first round, or the caller went away) is fine. */
    if (reply)
        (void)reply_send(reply, t);
    sys_recv(t, true, reply);
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
        const char *c = arch_phys_to_virt(pa);
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
static void sys_recv_common(struct tcb *t, bool blocking)
{
    paddr_t reply;
    tsr_error_t err = reply_arg(t, &reply);
    if (err)
        tcb_set_error(t, err);
    else
        sys_recv(t, blocking, reply);
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

static void (*const syscall_handlers[TSR_SYS_COUNT])(struct tcb *) = {
    [TSR_SYS_NULL] = sys_null,
    [TSR_SYS_SEND] = sys_send_blocking,
    [TSR_SYS_NB_SEND] = sys_nb_send,
    [TSR_SYS_CALL] = sys_call,
    [TSR_SYS_RECV] = sys_recv_blocking,
    [TSR_SYS_NB_RECV] = sys_nb_recv,
    [TSR_SYS_REPLY_RECV] = sys_reply_recv,
    [TSR_SYS_YIELD] = sys_yield,
    [TSR_SYS_DEBUG_PUTC] = sys_debug_putc,
    [TSR_SYS_DEBUG_WRITE] = sys_debug_write,
    [TSR_SYS_DEBUG_EXIT] = sys_debug_exit,
};

void kernel_syscall(unsigned number)
{
    struct tcb *t = sched_current;
    if (number < TSR_SYS_COUNT)
        syscall_handlers[number](t);
    else
        kernel_user_fault(TSR_FAULT_UNKNOWN_SYSCALL, arch_context_pc(&t->ctx), number,
                          tcb_arg(t, 0), tcb_arg(t, 1));
}

struct arch_context *kernel_svc(unsigned number, struct arch_context *ctx)
{
    kernel_syscall(number);
    /* Interrupts stay masked in the kernel, so if the call changed nothing
     * the scheduler cares about, the caller simply goes on. */
    if (!sched_choice_stale())
        return ctx;
    return &sched_select()->ctx;
}
