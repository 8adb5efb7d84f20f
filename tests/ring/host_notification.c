/* SPDX-License-Identifier: MIT */
/* The host model of a notification (host_notification.h). */
#include "host_notification.h"

void host_notification_init(struct host_notification *n)
{
    pthread_mutex_init(&n->lock, NULL);
    pthread_cond_init(&n->cond, NULL);
    n->latched = 0;
    n->blocked = 0;
    n->signals = n->waits = n->blocks = 0;
}

void host_notification_destroy(struct host_notification *n)
{
    pthread_cond_destroy(&n->cond);
    pthread_mutex_destroy(&n->lock);
}

int host_signal(void *arg)
{
    struct host_notification *n = arg;
    pthread_mutex_lock(&n->lock);
    n->signals++;
    n->latched = 1;
    pthread_cond_signal(&n->cond);
    pthread_mutex_unlock(&n->lock);
    return 0;
}

int host_wait(void *arg)
{
    struct host_notification *n = arg;
    pthread_mutex_lock(&n->lock);
    n->waits++;
    if (!n->latched)
        n->blocks++;
    while (!n->latched) {
        n->blocked = 1;
        pthread_cond_wait(&n->cond, &n->lock);
    }
    n->blocked = 0;
    n->latched = 0;
    pthread_mutex_unlock(&n->lock);
    return 0;
}

int host_is_blocked(struct host_notification *n)
{
    pthread_mutex_lock(&n->lock);
    int blocked = n->blocked && !n->latched;
    pthread_mutex_unlock(&n->lock);
    return blocked;
}

void host_counts(struct host_notification *n, uint64_t *signals, uint64_t *waits, uint64_t *blocks)
{
    pthread_mutex_lock(&n->lock);
    *signals = n->signals;
    *waits = n->waits;
    *blocks = n->blocks;
    pthread_mutex_unlock(&n->lock);
}
