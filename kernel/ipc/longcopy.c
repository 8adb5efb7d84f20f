/* SPDX-License-Identifier: MIT */
/* Long messages (IPC path 3): the kernel copies bytes from the sender's
 * send buffer into the receiver's receive buffer, both named in their IPC
 * buffers, bounded by the smaller length. The copy runs before the message
 * is delivered, in the system call of whichever thread completes the
 * rendezvous, a page at a time: each page of each side is translated (and
 * checked readable or writable at EL0) just before it is copied, with
 * interrupts masked, so no mapping can change under it. When an interrupt
 * is waiting after a page, the copy stops, records how far it got on both
 * threads, and the call restarts: the interrupt is taken, and the
 * restarted call goes on from there if it meets the same partner again. So
 * the kernel never holds the CPU for more than one page's copy. */
#include <stdbool.h>
#include <stdint.h>

#include <tessera/ipc.h>

#include "arch.h"
#include "ipc/ipc.h"
#include "lib/kstring.h"

struct long_side {
    uint64_t vspace;
    uint64_t va, length;
    bool usable; /* an address space and a buffer that fits in it */
};

static struct long_side side_of(struct tcb *t, uint64_t va, uint64_t length)
{
    struct long_side side = {.va = va, .length = length};
    unsigned asid;
    tcb_vspace(t, &side.vspace, &asid);
    side.usable = side.vspace && length <= ARCH_USER_VA_END && va <= ARCH_USER_VA_END - length;
    return side;
}

static void record(struct tcb *copier, struct tcb *peer, uint64_t done)
{
    copier->long_partner = peer;
    peer->long_partner = copier;
    copier->long_done = peer->long_done = done;
}

void long_copy_forget(struct tcb *t)
{
    struct tcb *p = t->long_partner;
    if (p && p->long_partner == t)
        p->long_partner = NULL;
    t->long_partner = NULL;
}

enum long_copy_result long_copy(struct tcb *copier, struct tcb *s, struct tcb *r)
{
    struct tsr_ipc_buffer *sbuf = tcb_ipc_buffer(s), *rbuf = tcb_ipc_buffer(r);
    if (!sbuf)
        return LONG_COPY_SENDER_FAULT; /* a long message needs its buffer named */
    /* Each length is read once: the buffers are user memory. */
    struct long_side from = side_of(s, sbuf->send_buffer, sbuf->send_length);
    struct long_side to = rbuf ? side_of(r, rbuf->receive_buffer, rbuf->receive_length)
                               : (struct long_side){.usable = true};
    if (!from.usable)
        return LONG_COPY_SENDER_FAULT;
    if (!to.usable)
        return LONG_COPY_RECEIVER_FAULT;
    uint64_t total = from.length < to.length ? from.length : to.length;

    struct tcb *peer = copier == s ? r : s;
    uint64_t done = 0;
    if (copier->long_partner == peer && peer->long_partner == copier &&
        copier->long_done <= total)
        done = copier->long_done; /* the same pair again: go on */
    long_copy_forget(copier);
    long_copy_forget(peer);

    while (done < total) {
        uint64_t from_va = from.va + done, to_va = to.va + done, from_pa, to_pa;
        if (arch_vspace_translate(from.vspace, from_va, false, &from_pa))
            return LONG_COPY_SENDER_FAULT;
        if (arch_vspace_translate(to.vspace, to_va, true, &to_pa))
            return LONG_COPY_RECEIVER_FAULT;
        uint64_t chunk = total - done;
        uint64_t from_room = TSR_PAGE_SIZE - (from_va & (TSR_PAGE_SIZE - 1));
        uint64_t to_room = TSR_PAGE_SIZE - (to_va & (TSR_PAGE_SIZE - 1));
        chunk = chunk < from_room ? chunk : from_room;
        chunk = chunk < to_room ? chunk : to_room;
        memcpy(arch_phys_to_virt(to_pa), arch_phys_to_virt(from_pa), (size_t)chunk);
        done += chunk;
        if (done < total && arch_interrupt_pending()) {
            record(copier, peer, done);
            ipc_count(TSR_COUNTER_LONG_PREEMPTED);
            return LONG_COPY_PREEMPTED;
        }
    }
    sbuf->long_sent = done;
    if (rbuf)
        rbuf->long_received = done;
    return LONG_COPY_DONE;
}
