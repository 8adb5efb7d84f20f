/* SPDX-License-Identifier: MIT */
/* Taking messages from a message queue with no system call: the view of the
 * queue that MsgQueue Map put into this address space (tessera/msgqueue.h).
 * The kernel publishes a message by writing its slot, then the tail
 * (release); the receiver reads the tail (acquire), then the slot, and
 * publishes how far it got by writing the head in its own page (release),
 * which the kernel reads on its next enqueue. One receiving thread per
 * queue. */
#ifndef TSR_MSGQUEUE_H
#define TSR_MSGQUEUE_H

#include <stdbool.h>
#include <stdint.h>

#include <tessera/msgqueue.h>

#include "syscall.h"

struct tsr_msgq_view {
    struct tsr_msgq_control *control; /* the receiver's page */
    const struct tsr_msgq_header *header;
    const struct tsr_msgq_slot *slots;
    uint32_t capacity;
    uint64_t head; /* the next message to take */
};

/* A view mapped at va (MsgQueue Map). */
static inline void tsr_msgq_view_init(struct tsr_msgq_view *v, void *va)
{
    v->control = (struct tsr_msgq_control *)va;
    v->header = tsr_msgq_header(va);
    v->slots = tsr_msgq_slots(va);
    v->capacity = v->header->capacity;
    v->head = v->control->head;
}

/* Take the next message, if there is one: its sender's badge and the
 * message. False if the queue is empty. */
static inline bool tsr_msgq_view_take(struct tsr_msgq_view *v, uint64_t *badge, struct tsr_msg *m)
{
    uint64_t tail = __atomic_load_n(&v->header->tail, __ATOMIC_ACQUIRE);
    if (v->head == tail)
        return false;
    const struct tsr_msgq_slot *slot = &v->slots[v->head % v->capacity];
    *badge = slot->badge;
    m->info = slot->info;
    for (unsigned i = 0; i < TSR_MSG_REG_WORDS; i++)
        m->mr[i] = slot->mr[i];
    v->head++;
    __atomic_store_n(&v->control->head, v->head, __ATOMIC_RELEASE);
    return true;
}

#endif
