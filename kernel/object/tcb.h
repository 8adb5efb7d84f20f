/* SPDX-License-Identifier: MIT */
/* Thread control blocks. A TCB object (2^TSR_TCB_BITS bytes, retyped from
 * untyped memory) holds the thread's saved registers, a few capability slots
 * the kernel uses on the thread's behalf (so they take part in the
 * derivation tree like any other slot), and its scheduling and IPC state. */
#ifndef KERNEL_TCB_H
#define KERNEL_TCB_H

#include <stdbool.h>
#include <stdint.h>

#include "arch.h"
#include "cap/cap.h"

enum tcb_slot {
    TCB_SLOT_CSPACE = 0, /* root CNode the thread's cptrs are resolved in */
    TCB_SLOT_VSPACE,     /* its address space */
    TCB_SLOT_IPC_BUFFER, /* the frame holding its IPC buffer */
    TCB_SLOT_FAULT_EP,   /* endpoint its faults are sent to */
    TCB_SLOT_COUNT
};

enum thread_state {
    THREAD_INACTIVE = 0,      /* never resumed, or suspended */
    THREAD_RUNNABLE,          /* running or in a ready queue */
    THREAD_BLOCKED_SEND,      /* queued on an endpoint to send (or Call) */
    THREAD_BLOCKED_RECV,      /* queued on an endpoint to receive */
    THREAD_BLOCKED_REPLY,     /* made a Call; waits on a reply object */
    THREAD_BLOCKED_NOTIFICATION, /* waits on a notification */
};

/* Fault being reported (kept until the fault message is sent). */
struct tcb_fault {
    uint8_t type; /* enum tsr_fault, 0 = none */
    uint64_t words[4];
};

struct tcb {
    /* Saved user registers: vectors.S stores into this on entry from EL0. */
    struct arch_context ctx;
    struct cte slots[TCB_SLOT_COUNT];

    /* Scheduling: protected by running with interrupts masked (one CPU). */
    uint8_t state;            /* enum thread_state */
    uint8_t priority;
    uint8_t mcp;              /* highest priority this thread may give */
    uint8_t in_ready_queue;
    uint32_t timeslice;       /* ticks left */
    struct tcb *sched_prev, *sched_next;

    /* IPC: the object the thread is blocked on and its queue links there. */
    paddr_t blocked_on;       /* endpoint, notification or reply object */
    struct tcb *queue_prev, *queue_next;
    uint64_t send_badge;      /* badge of the capability it is sending through */
    uint8_t send_is_call;
    uint8_t send_can_grant;   /* endpoint capability had the GRANT right */
    uint8_t send_can_grant_reply;
    uint8_t reserved;
    paddr_t recv_reply;       /* reply object offered while blocked receiving */
    paddr_t caller_reply;     /* reply object this thread waits on (BLOCKED_REPLY) */
    paddr_t bound_notification;

    /* Address space: the MMU token for it (arch_vspace_token), valid while
     * vspace_generation is the scheduler's (sched.c). */
    uint64_t vspace_token;
    uint64_t vspace_generation;

    uint64_t ipc_buffer_va;   /* user VA; the frame is in TCB_SLOT_IPC_BUFFER */
    /* A long copy stopped early to let an interrupt in (longcopy.c): kept
     * on both threads, so that the restarted call goes on where it stopped
     * if it is the same pair, and either side's deletion forgets it. */
    struct tcb *long_partner;
    uint64_t long_done;       /* bytes copied so far */
    struct tcb_fault fault;
    paddr_t self;             /* physical address of this TCB */
};

/* The TCB object is 2 KiB: struct tcb, as it was in a 1 KiB TCB, then the
 * FP/SIMD state, the arch's alone, at CTX_FPU from ctx (arch/context.h,
 * arch_context_fpu). Keeping it out of the structure leaves the structure,
 * and so the code the compiler makes for every path that does not touch FP,
 * exactly what it was. */
_Static_assert(sizeof(struct tcb) <= CTX_FPU, "struct tcb ends before the FP state");
_Static_assert(CTX_FPU + sizeof(struct arch_fpu) <= (1u << TSR_TCB_BITS), "TCB fits its object");
/* vectors.S hands the system-call table the thread's context as its TCB. */
_Static_assert(__builtin_offsetof(struct tcb, ctx) == 0, "the context starts the TCB");

static inline struct tcb *tcb_from_pa(paddr_t pa)
{
    return (struct tcb *)arch_object_to_virt(pa);
}

/* System-call register n of a thread (TSR_ARG_* in tessera/syscalls.h). */
static inline uint64_t tcb_arg(struct tcb *t, unsigned n)
{
    return *arch_context_arg(&t->ctx, n);
}
static inline void tcb_set_arg(struct tcb *t, unsigned n, uint64_t v)
{
    *arch_context_arg(&t->ctx, n) = v;
}
struct tsr_ipc_buffer;
/* The thread's IPC buffer as the kernel sees it, or NULL if it has none. */
struct tsr_ipc_buffer *tcb_ipc_buffer(struct tcb *t);
/* Message register i (0..TSR_MSG_MAX_WORDS-1): from registers or the IPC
 * buffer; words the thread cannot hold (no buffer) read as 0. */
uint64_t tcb_get_mr(struct tcb *t, unsigned i);
/* Returns false if the word cannot be stored (no IPC buffer). */
bool tcb_set_mr(struct tcb *t, unsigned i, uint64_t v);

/* End the thread's system call with err: x0 = err, and x1 = message info
 * with the error bit and err as label (x1 = 0 for TSR_OK). */
void tcb_set_error(struct tcb *t, tsr_error_t err);

void tcb_init(struct tcb *t, paddr_t self);
/* Tear down a thread whose last capability is going away. */
void tcb_destroy(struct tcb *t);
/* Stop a thread: cancel whatever it is blocked on, take it off the run queue. */
void tcb_suspend(struct tcb *t);
void tcb_resume(struct tcb *t);
/* Abort the IPC a blocked thread is in the middle of (it becomes inactive). */
void tcb_cancel_ipc(struct tcb *t);
/* The address space the thread runs in (0 if it has no valid one). */
void tcb_vspace(struct tcb *t, uint64_t *vspace, unsigned *asid);

#endif
