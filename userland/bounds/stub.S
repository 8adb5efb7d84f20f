/* SPDX-License-Identifier: MIT */
/* What a waiting thread of the bounds program runs: wait on x0 (a Recv on
 * an endpoint or a notification, no reply object) until the wait ends,
 * then suspend itself (a Call on its own TCB, x19, with the Suspend label
 * in x20), so that a cancelled waiter never spins. It touches no memory:
 * thousands of them share no stack. */
    .text
    .globl bounds_wait_then_stop
bounds_wait_then_stop:
    mov     x16, xzr
    svc     #4              /* Recv */
    mov     x0, x19
    mov     x1, x20
    svc     #3              /* Call: TCB Suspend */
1:  b       1b
