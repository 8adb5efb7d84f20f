/* SPDX-License-Identifier: MIT */
/* Faults: a thread's VM fault, unknown system call or user exception is
 * reported as a Call to its fault endpoint with a message the kernel
 * composes (tessera/syscalls.h, enum tsr_fault); the handler's reply
 * resumes it. A thread without a usable fault endpoint is suspended and the
 * rest of the system goes on. */
#include <stdint.h>

#include <tessera/syscalls.h>

#include "core/printf.h"
#include "core/sched.h"
#include "core/syscall.h"
#include "ipc/ipc.h"

void kernel_user_fault(unsigned type, uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3)
{
    struct tcb *t = sched_current;
    t->fault.type = (uint8_t)type;
    t->fault.words[0] = w0;
    t->fault.words[1] = w1;
    t->fault.words[2] = w2;
    t->fault.words[3] = w3;
    fault_deliver(t);
}

void fault_deliver(struct tcb *t)
{
    const struct cap *ep = &t->slots[TCB_SLOT_FAULT_EP].cap;
    if (ep->type == CAP_ENDPOINT && (ep->rights & TSR_RIGHT_WRITE)) {
        endpoint_send(ep, t, true, true);
        return;
    }
    /* No handler: the thread stops; the system goes on. */
    kprintf("fault: thread %lx (fault %u at pc 0x%lx, 0x%lx) has no fault endpoint; suspended\n",
            (unsigned long)t->self, t->fault.type, (unsigned long)t->fault.words[0],
            (unsigned long)t->fault.words[1]);
    tcb_suspend(t);
}
