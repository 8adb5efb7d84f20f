/* SPDX-License-Identifier: MIT */
/* The ring's sleep and wake (tsr/ring.h, docs/ring.md) on Tessera
 * notifications: this side waits on its own notification (a capability
 * with READ) and wakes the other side by signalling the other's (a
 * capability with WRITE and a nonzero badge). */
#ifndef TSR_RING_NOTIFY_H
#define TSR_RING_NOTIFY_H

#include "ring.h"
#include "syscall.h"

/* Fill *n to wait on `mine` and signal `theirs` (either may be 0: never). */
void tsr_ring_notify_init(struct tsr_ring_notify *n, tsr_cptr_t mine, tsr_cptr_t theirs);

#endif
