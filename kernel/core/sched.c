/* SPDX-License-Identifier: MIT */
/* Scheduler (see sched.h). Ready queues are doubly linked lists per priority
 * with a two-level bitmap, so finding the highest ready priority is a few
 * instructions whatever the number of threads. The running thread is not in
 * any queue; it goes back when it is preempted or yields. */
#include <stdbool.h>
#include <stdint.h>

#include <tessera/syscalls.h>

#include "arch.h"
#include "core/panic.h"
#include "core/sched.h"

#define PRIORITIES (TSR_MAX_PRIORITY + 1)
#define BITMAP_WORDS (PRIORITIES / 64)

struct tcb *sched_current;
static struct tcb *queue_head[PRIORITIES], *queue_tail[PRIORITIES];
/* Bit p of ready_bitmap: queue p is not empty. Bit w of ready_summary:
 * ready_bitmap[w] is not zero. */
static uint64_t ready_bitmap[BITMAP_WORDS];
static uint64_t ready_summary;
static bool current_preempted; /* the current thread must go to the back */
/* Something that can change the choice happened since the last one (a thread
 * became runnable or blocked, a tick, a yield, a priority or address-space
 * change): without it the current thread simply continues. */
bool sched_choice_is_stale = true;
/* Bumped whenever an address space or ASID changes: a thread's cached MMU
 * token (tcb.vspace_token) is recomputed when its generation is older. It
 * starts at 1, so a new TCB (generation 0) computes its token first. */
static uint64_t vspace_generation = 1;

static void queue_insert(struct tcb *t, bool at_head)
{
    kassert(!t->in_ready_queue && t->state == THREAD_RUNNABLE);
    unsigned p = t->priority;
    t->sched_prev = t->sched_next = NULL;
    if (!queue_head[p]) {
        queue_head[p] = queue_tail[p] = t;
    } else if (at_head) {
        t->sched_next = queue_head[p];
        queue_head[p]->sched_prev = t;
        queue_head[p] = t;
    } else {
        t->sched_prev = queue_tail[p];
        queue_tail[p]->sched_next = t;
        queue_tail[p] = t;
    }
    ready_bitmap[p / 64] |= 1ull << (p % 64);
    ready_summary |= 1ull << (p / 64);
    t->in_ready_queue = 1;
    sched_choice_is_stale = true;
}

void sched_remove(struct tcb *t)
{
    sched_choice_is_stale = true; /* t may be the current thread, now blocking */
    if (!t->in_ready_queue)
        return;
    unsigned p = t->priority;
    kassert(t->sched_prev ? t->sched_prev->sched_next == t : queue_head[p] == t);
    kassert(t->sched_next ? t->sched_next->sched_prev == t : queue_tail[p] == t);
    if (t->sched_prev)
        t->sched_prev->sched_next = t->sched_next;
    else
        queue_head[p] = t->sched_next;
    if (t->sched_next)
        t->sched_next->sched_prev = t->sched_prev;
    else
        queue_tail[p] = t->sched_prev;
    if (!queue_head[p]) {
        ready_bitmap[p / 64] &= ~(1ull << (p % 64));
        if (!ready_bitmap[p / 64])
            ready_summary &= ~(1ull << (p / 64));
    }
    t->sched_prev = t->sched_next = NULL;
    t->in_ready_queue = 0;
}

static int highest_ready(void)
{
    if (!ready_summary)
        return -1;
    int w = 63 - __builtin_clzll(ready_summary);
    return w * 64 + 63 - __builtin_clzll(ready_bitmap[w]);
}

const char *sched_check(unsigned *threads)
{
    *threads = 0;
    for (unsigned p = 0; p < PRIORITIES; p++) {
        bool bit = ready_bitmap[p / 64] >> (p % 64) & 1;
        if (bit != (queue_head[p] != NULL) || (bit && !(ready_summary >> (p / 64) & 1)))
            return "ready bitmap disagrees with the queues";
        struct tcb *prev = NULL;
        for (struct tcb *t = queue_head[p]; t; prev = t, t = t->sched_next) {
            if (++*threads > (1u << 24))
                return "ready queue does not end";
            if (t->sched_prev != prev)
                return "ready queue link broken";
            if (!t->in_ready_queue || t->state != THREAD_RUNNABLE || t->priority != p ||
                t == sched_current)
                return "thread in a ready queue is not ready there";
        }
        if (queue_tail[p] != prev)
            return "ready queue tail is not its last thread";
    }
    return NULL;
}

void sched_init(void)
{
    sched_current = NULL;
}

void sched_make_runnable(struct tcb *t)
{
    t->state = THREAD_RUNNABLE;
    sched_choice_is_stale = true;
    if (t != sched_current && !t->in_ready_queue) {
        if (!t->timeslice)
            t->timeslice = SCHED_TIMESLICE_TICKS;
        queue_insert(t, false);
    }
}

void sched_yield(void)
{
    if (sched_current) {
        sched_current->timeslice = SCHED_TIMESLICE_TICKS;
        current_preempted = true;
        sched_choice_is_stale = true;
    }
}

void sched_tick(void)
{
    struct tcb *t = sched_current;
    if (!t)
        return;
    if (t->timeslice > 1) {
        t->timeslice--;
        return;
    }
    t->timeslice = SCHED_TIMESLICE_TICKS;
    current_preempted = true;
    sched_choice_is_stale = true;
}

void sched_choose(void)
{
    struct tcb *cur = sched_current;
    int best = highest_ready();
    bool cur_runnable = cur && cur->state == THREAD_RUNNABLE;

    if (cur_runnable) {
        /* Keep running unless someone more important is ready, or the
         * current thread's turn is over and an equal is waiting. */
        if (best < (int)cur->priority || (best == (int)cur->priority && !current_preempted)) {
            current_preempted = false;
            return;
        }
        /* Preempted by a higher priority: keep the front of the queue and
         * the rest of the slice; out of time or yielding: go to the back. */
        queue_insert(cur, !current_preempted);
        best = highest_ready();
    }
    current_preempted = false;
    if (best < 0) {
        sched_current = NULL;
        return;
    }
    struct tcb *next = queue_head[best];
    kassert(next && next->state == THREAD_RUNNABLE && next->priority == best);
    sched_remove(next);
    sched_current = next;
}

void sched_forget(const struct tcb *t)
{
    if (sched_current == t)
        sched_current = NULL;
    sched_choice_is_stale = true;
}

void sched_vspace_changed(void)
{
    vspace_generation++;
    sched_choice_is_stale = true;
}



/* Make t's address space the one the next return to EL0 runs in (the arch
 * leaves the MMU alone if it already is). */
static void install_vspace(struct tcb *t)
{
    if (t->vspace_generation != vspace_generation) {
        uint64_t vspace;
        unsigned asid;
        tcb_vspace(t, &vspace, &asid);
        t->vspace_token = arch_vspace_token(vspace, asid);
        t->vspace_generation = vspace_generation;
    }
    arch_vspace_install(t->vspace_token);
}

bool sched_may_switch_to(const struct tcb *t)
{
    return (int)t->priority >= highest_ready();
}

void sched_switch_to(struct tcb *next)
{
    kassert(!next->in_ready_queue && next != sched_current);
    next->state = THREAD_RUNNABLE;
    if (!next->timeslice)
        next->timeslice = SCHED_TIMESLICE_TICKS;
    sched_current = next;
    current_preempted = false;
    sched_choice_is_stale = false;
    install_vspace(next);
}

struct tcb *sched_select(void)
{
    for (;;) {
        sched_choice_is_stale = false;
        sched_choose();
        struct tcb *t = sched_current;
        if (t) {
            install_vspace(t);
            return t;
        }
        /* Idle: wait with interrupts on; a handler may make a thread
         * runnable, then choose again. (An address space destroyed
         * before we idle is not left installed: arch_vspace_release.) */
        arch_interrupts_enable();
        arch_wait_for_interrupt();
        arch_interrupts_disable();
    }
}

_Noreturn void sched_exit_to_user(void)
{
    arch_return_to_user(&sched_select()->ctx);
}
