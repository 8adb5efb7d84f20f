/* SPDX-License-Identifier: MIT */
/* Message queues (IPC path 2): short messages buffered at the receiver. A
 * message queue is an object retyped from untyped memory (its capacity paid
 * for by whoever made it). Senders enqueue register messages with Send or
 * NBSend on a queue capability and never block: a full queue, or a sender
 * over its quota, is TSR_E_QUEUE_FULL, never a kernel allocation. The
 * receiver takes messages with the Dequeue method, or with no system call at
 * all from a view of the queue mapped into its address space (MsgQueue Map):
 * the first page is the receiver's (it writes `head` there), the rest is
 * read-only to it and written by the kernel. The kernel treats everything
 * the receiver can write as untrusted. docs/ipc.md, "Message queues". */
#ifndef TESSERA_MSGQUEUE_H
#define TESSERA_MSGQUEUE_H

#include <stdint.h>

/* Sizes: TSR_MSG_QUEUE_MIN_BITS (four pages: the receiver's, the header,
 * slots, the kernel's own) to TSR_MSG_QUEUE_MAX_BITS (2,012 slots), in
 * tessera/objects.h. The maximum bounds the work of one Send that learns
 * the receiver drained the whole queue at once. */
#define TSR_MSGQ_PAGE 4096u
#define TSR_MSGQ_ACCOUNTS 16 /* badges with messages queued at once */

/* A minted sender capability carries a badge (bits 0-47) and a quota (bits
 * 48-63): at most `quota` of its messages may be queued and not yet taken
 * (0: only the queue's capacity limits it). The Mint badge argument is
 * TSR_MSGQ_SENDER(badge, quota); a quota needs a non-zero badge. */
#define TSR_MSGQ_BADGE_BITS 48
#define TSR_MSGQ_SENDER(badge, quota) (((uint64_t)(quota) << TSR_MSGQ_BADGE_BITS) | (badge))

/* Page 0: the receiver's. It takes messages head, head + 1, ... up to the
 * kernel's tail, then stores the new head here (release order). */
struct tsr_msgq_control {
    volatile uint64_t head;
};

/* One queued message: the sender's badge, its message info (label and
 * length; capabilities are never queued) and its words. */
struct tsr_msgq_slot {
    uint64_t badge;
    uint64_t info;
    uint64_t mr[14];
};
_Static_assert(sizeof(struct tsr_msgq_slot) == 128, "a slot is 128 bytes");

/* Page 1 up to the last page: written by the kernel only (the last page is
 * the kernel's own and not part of the view). The receiver reads tail
 * (acquire order), then the slots before it; message n is in slot
 * n % capacity. */
struct tsr_msgq_header {
    volatile uint64_t tail; /* messages ever enqueued */
    uint32_t capacity;      /* slots */
    uint32_t reserved;
};
#define TSR_MSGQ_HEADER_SIZE 512u
_Static_assert(sizeof(struct tsr_msgq_header) <= TSR_MSGQ_HEADER_SIZE, "header fits");
#define TSR_MSGQ_SLOTS_OFFSET (TSR_MSGQ_PAGE + TSR_MSGQ_HEADER_SIZE)

/* Slots in a queue of 2^size_bits bytes: what lies between the header and
 * the last page, which is the kernel's own and never mapped. */
static inline uint32_t tsr_msgq_capacity(unsigned size_bits)
{
    return (uint32_t)(((1ull << size_bits) - TSR_MSGQ_SLOTS_OFFSET - TSR_MSGQ_PAGE) /
                      sizeof(struct tsr_msgq_slot));
}

static inline struct tsr_msgq_header *tsr_msgq_header(void *view)
{
    return (struct tsr_msgq_header *)((char *)view + TSR_MSGQ_PAGE);
}

static inline struct tsr_msgq_slot *tsr_msgq_slots(void *view)
{
    return (struct tsr_msgq_slot *)((char *)view + TSR_MSGQ_SLOTS_OFFSET);
}

#endif /* TESSERA_MSGQUEUE_H */
