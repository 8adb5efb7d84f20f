/* SPDX-License-Identifier: MIT */
/* The ring library's wait and signal functions as notification system
 * calls: the ring itself knows no system call (tsr/ring_notify.h). The
 * capability pointers travel in the functions' argument pointers. */
#include "tsr/ring_notify.h"

static int ring_wait(void *arg)
{
    uint64_t bits;
    return tsr_wait((tsr_cptr_t)(uintptr_t)arg, &bits) == TSR_OK ? 0 : -1;
}

static int ring_signal(void *arg)
{
    return tsr_signal((tsr_cptr_t)(uintptr_t)arg) == TSR_OK ? 0 : -1;
}

void tsr_ring_notify_init(struct tsr_ring_notify *n, tsr_cptr_t mine, tsr_cptr_t theirs)
{
    *n = (struct tsr_ring_notify){
        .wait = mine ? ring_wait : 0,
        .wait_arg = (void *)(uintptr_t)mine,
        .signal = theirs ? ring_signal : 0,
        .signal_arg = (void *)(uintptr_t)theirs,
    };
}
