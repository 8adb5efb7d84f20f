/* SPDX-License-Identifier: MIT */
/* The scheduler: fixed priorities 0..255 (higher runs first), round robin
 * within a priority, preemption by the timer tick when a timeslice runs out
 * or by a higher-priority thread becoming runnable. */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <stdbool.h>

#include "object/tcb.h"

#define SCHED_TICK_HZ 250
#define SCHED_TIMESLICE_TICKS 5 /* 20 ms */

/* The thread whose registers the next return to user space restores, or NULL
 * when nothing is runnable (the kernel idles). */
extern struct tcb *sched_current;

void sched_init(void);
/* Make a thread runnable (it must not be blocked). */
void sched_make_runnable(struct tcb *t);
/* Take a thread off the ready queue (it is blocking or being suspended). */
void sched_remove(struct tcb *t);
/* The current thread gives up the rest of its timeslice. */
void sched_yield(void);
/* Timer tick: charge the current thread, preempt it when its slice is over. */
void sched_tick(void);
/* Choose who runs next (may keep the current thread). */
void sched_choose(void);
/* The thread to run next, its address space installed. If nothing can run,
 * idle with interrupts enabled until something can. */
struct tcb *sched_select(void);
/* Leave the kernel into sched_select()'s choice, restoring every register. */
_Noreturn void sched_exit_to_user(void);
/* The direct switch of the IPC fast path (ipc/fastpath.c), which bypasses
 * the ready queues: the current thread has just blocked, and `next`, which
 * was blocked, runs instead, with its address space installed. Only when
 * sched_may_switch_to(next): next's priority is at least that of every ready
 * thread (seL4's rule), so the switch is the scheduler's own choice. */
bool sched_may_switch_to(const struct tcb *next);
void sched_switch_to(struct tcb *next);
/* A thread is being destroyed: drop every scheduler reference to it. */
void sched_forget(const struct tcb *t);
/* An address space or ASID changed: the next exit re-installs it. */
void sched_vspace_changed(void);
/* False when nothing since the last sched_select() can change its answer:
 * the current thread then continues without a new choice. */
extern bool sched_choice_is_stale;
static inline bool sched_choice_stale(void)
{
    return sched_choice_is_stale;
}

/* Debug: the ready queues are consistent (links, bitmaps, thread states).
 * NULL if so, else what is wrong; *threads counts the queued threads. */
const char *sched_check(unsigned *threads);

#endif
