/* SPDX-License-Identifier: MIT */
/* A Tessera notification modelled on the host with a mutex and a condition
 * variable, for the threaded ring tests: signal latches a bit and wakes the
 * waiter; wait blocks until the bit is set and takes it. It also counts, so
 * that tests can assert how often each side really slept. */
#ifndef TESTS_RING_HOST_NOTIFICATION_H
#define TESTS_RING_HOST_NOTIFICATION_H

#include <pthread.h>
#include <stdint.h>

struct host_notification {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int latched;      /* a signal not yet taken */
    int blocked;      /* a thread is blocked in wait now */
    uint64_t signals; /* calls of signal */
    uint64_t waits;   /* calls of wait */
    uint64_t blocks;  /* waits that found nothing latched and blocked */
};

void host_notification_init(struct host_notification *n);
void host_notification_destroy(struct host_notification *n);
/* The struct tsr_ring_notify functions; arg is a struct host_notification. */
int host_signal(void *arg);
int host_wait(void *arg);
/* True while a thread is blocked in host_wait on n. */
int host_is_blocked(struct host_notification *n);
/* A consistent copy of the counters. */
void host_counts(struct host_notification *n, uint64_t *signals, uint64_t *waits, uint64_t *blocks);

#endif
