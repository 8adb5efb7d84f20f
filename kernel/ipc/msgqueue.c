/* SPDX-License-Identifier: MIT */
/* Message queues (IPC path 2, tessera/msgqueue.h): register messages
 * buffered at the receiver in an object its maker paid for. Senders enqueue
 * with Send/NBSend and never block; the receiver dequeues with a method or
 * reads a view of the queue mapped into its address space, with no system
 * call. The object's pages:
 *   0          the receiver's page (mapped read-write): the head it reached;
 *   1 .. N-2   the kernel's header and the slots (mapped read-only);
 *   N-1        the kernel's own (never mapped): what it knows the receiver
 *              took, the per-badge accounts, the mapping, and a capability
 *              slot holding the bound notification (a copy, so the
 *              notification outlives the binding).
 * Everything the receiver can write (its head) is read once per call and
 * checked against what the kernel knows; an impossible value is ignored. */
#include <stdbool.h>
#include <stdint.h>

#include <tessera/ipc.h>
#include <tessera/msgqueue.h>
#include <tessera/syscalls.h>

#include "arch.h"
#include "cap/cdt.h"
#include "ipc/ipc.h"
#include "object/asid.h"
#include "object/invoke.h"
#include "object/objects.h"
#include "object/vspace.h"

/* The kernel's page: the last page of the object. */
/* How many undrained messages one badge has. */
struct msgq_account {
    uint64_t badge;
    uint32_t queued;
    uint32_t in_use;
};

struct msgq_kernel {
    struct cte notification; /* a copy of the bound notification's capability */
    uint64_t known_head;     /* messages the kernel knows were taken */
    uint64_t mapped_va;      /* the receiver's view, if mapped */
    unsigned mapped_asid;
    unsigned pages;
    struct msgq_account accounts[TSR_MSGQ_ACCOUNTS];
};
_Static_assert(sizeof(struct msgq_kernel) <= TSR_MSGQ_PAGE, "kernel page");

struct msgq {
    struct tsr_msgq_control *control;
    struct tsr_msgq_header *header;
    struct tsr_msgq_slot *slots;
    struct msgq_kernel *k;
};

static struct msgq msgq_at(paddr_t pa, unsigned size_bits)
{
    char *base = arch_object_to_virt(pa);
    return (struct msgq){
        .control = (struct tsr_msgq_control *)base,
        .header = tsr_msgq_header(base),
        .slots = tsr_msgq_slots(base),
        .k = (struct msgq_kernel *)(base + ((size_t)1 << size_bits) - TSR_MSGQ_PAGE),
    };
}

static struct msgq msgq_of(const struct cap *cap)
{
    return msgq_at(cap->object, cap->size_bits);
}

static void msgq_init(paddr_t pa, unsigned size_bits)
{
    struct msgq q = msgq_at(pa, size_bits);
    q.header->capacity = tsr_msgq_capacity(size_bits);
    q.k->pages = (unsigned)(((size_t)1 << size_bits) / TSR_MSGQ_PAGE);
}

/* ---- accounts: how many undrained messages each badge has ------------------
 * A small open-addressed table: a badge's account is found from its hash in
 * one probe in the common case. An account whose count falls to zero keeps
 * its badge (so a steady sender finds it again at once) and is reused for
 * another badge only when that one needs a place. */

static struct msgq_account *account_of(struct msgq *q, uint64_t badge, bool take)
{
    unsigned start = (unsigned)((badge * UINT64_C(0x9e3779b97f4a7c15)) >> 60);
    struct msgq_account *reusable = NULL;
    for (unsigned i = 0; i < TSR_MSGQ_ACCOUNTS; i++) {
        struct msgq_account *a = &q->k->accounts[(start + i) % TSR_MSGQ_ACCOUNTS];
        if (a->in_use && a->badge == badge)
            return a;
        if (!reusable && (!a->in_use || a->queued == 0))
            reusable = a;
        if (!a->in_use)
            break; /* never used: the badge is not further on */
    }
    if (take && reusable) {
        *reusable = (struct msgq_account){.badge = badge, .queued = 0, .in_use = 1};
        return reusable;
    }
    return NULL;
}

static void release(struct msgq *q, uint64_t badge)
{
    struct msgq_account *a = account_of(q, badge, false);
    if (a && a->queued)
        a->queued--;
}

/* Learn what the receiver took since the kernel last looked: its head, read
 * once. A head behind what the kernel knows, or past the tail, is ignored
 * (the receiver can only hurt itself). Each newly taken message releases
 * its place in its sender's account. The work is bounded by the capacity. */
static void sync_head(struct msgq *q)
{
    uint64_t head = q->control->head, known = q->k->known_head, tail = q->header->tail;
    if (head - known > tail - known)
        return;
    uint32_t capacity = q->header->capacity;
    for (uint64_t n = known; n != head; n++)
        release(q, q->slots[n % capacity].badge);
    q->k->known_head = head;
}

static const struct cap *bound_notification(const struct msgq *q)
{
    const struct cap *n = &q->k->notification.cap;
    return n->type == CAP_NOTIFICATION ? n : NULL;
}

/* ---- enqueue: Send and NBSend on a queue capability ------------------------ */

/* Copy the first len (at most 14) words: one store per word. */
static inline void copy_words(uint64_t *dst, const uint64_t *src, unsigned len)
{
    switch (len) {
    case 14: dst[13] = src[13]; /* fall through */
    case 13: dst[12] = src[12]; /* fall through */
    case 12: dst[11] = src[11]; /* fall through */
    case 11: dst[10] = src[10]; /* fall through */
    case 10: dst[9] = src[9];   /* fall through */
    case 9: dst[8] = src[8];    /* fall through */
    case 8: dst[7] = src[7];    /* fall through */
    case 7: dst[6] = src[6];    /* fall through */
    case 6: dst[5] = src[5];    /* fall through */
    case 5: dst[4] = src[4];    /* fall through */
    case 4: dst[3] = src[3];    /* fall through */
    case 3: dst[2] = src[2];    /* fall through */
    case 2: dst[1] = src[1];    /* fall through */
    case 1: dst[0] = src[0];    /* fall through */
    default: break;
    }
}

/* Whether the sender may queue one more message: room in the queue and in
 * its account. The kernel's idea of what was taken lags behind the
 * receiver's (it syncs only when a limit is hit), so a limit is checked
 * again after syncing: the accounting of taken messages is done in
 * batches, once per queue-full or quota-full, not on every Send. */
static struct msgq_account *admit(struct msgq *q, uint64_t tail, uint64_t badge, uint64_t quota)
{
    for (int synced = 0;; synced = 1) {
        struct msgq_account *a = NULL;
        if (tail - q->k->known_head < q->header->capacity)
            a = account_of(q, badge, true);
        if (a && (!quota || a->queued < quota))
            return a;
        if (synced)
            return NULL;
        sync_head(q);
    }
}

tsr_error_t msgq_enqueue(const struct cap *cap, struct tcb *sender)
{
    tsr_msginfo_t mi = tcb_arg(sender, TSR_ARG_MSGINFO);
    unsigned len = tsr_msginfo_length(mi);
    if (len > TSR_MSG_REG_WORDS || tsr_msginfo_caps(mi) || (mi & TSR_MSGINFO_PATHS))
        return TSR_E_INVALID_ARGUMENT; /* register words only: no capabilities, no long part */
    struct msgq q = msgq_of(cap);
    uint64_t tail = q.header->tail, badge = cap_badge(cap);
    struct msgq_account *a = admit(&q, tail, badge, cap_msgq_quota(cap));
    if (!a)
        return TSR_E_QUEUE_FULL; /* the queue, or this sender's quota, is full */

    struct tsr_msgq_slot *slot = &q.slots[tail % q.header->capacity];
    slot->badge = badge;
    slot->info = tsr_msginfo(tsr_msginfo_label(mi), 0, len);
    /* Only the message's words: what lies past them in the slot is an
     * earlier message of this queue, which its receiver had already. */
    copy_words(slot->mr, arch_context_mr(&sender->ctx, 0), len);
    a->queued++;
    /* Wake the receiver if it had taken everything (its head, untrusted: a
     * receiver that lies only gets a signal too many or too few). Read
     * before the tail moves, since after it the receiver may take this
     * message. */
    bool was_empty = q.control->head == tail;
    /* The slot before the tail that publishes it (ordered for a receiver on
     * another core; C11 release). */
    __atomic_store_n(&q.header->tail, tail + 1, __ATOMIC_RELEASE);
    const struct cap *n = was_empty ? bound_notification(&q) : NULL;
    if (n)
        notification_signal(n->object, cap_badge(n));
    return TSR_OK;
}

/* ---- methods ------------------------------------------------------------- */

static tsr_error_t need_read(const struct invocation *inv)
{
    return (inv->slot->cap.rights & TSR_RIGHT_READ) ? TSR_OK : TSR_E_INSUFFICIENT_RIGHTS;
}

/* Map: vspace, va. The receiver's page read-write, the view read-only; the
 * kernel's page is never mapped. */
static tsr_error_t decode_map(struct invocation *inv, struct msgq *q, paddr_t *vspace,
                              unsigned *asid, uint64_t *va)
{
    tsr_error_t err = need_read(inv);
    if (!err)
        err = vspace_lookup_arg(inv, inv_arg(inv, 0), vspace, asid);
    if (err)
        return err;
    *va = inv_arg(inv, 1);
    unsigned pages = q->k->pages - 1;
    if (q->k->mapped_asid)
        return TSR_E_ALREADY_MAPPED;
    if (*va & (TSR_MSGQ_PAGE - 1))
        return TSR_E_ALIGNMENT;
    if (*va >= ARCH_USER_VA_END || (uint64_t)pages * TSR_MSGQ_PAGE > ARCH_USER_VA_END - *va)
        return TSR_E_RANGE;
    for (unsigned i = 0; i < pages; i++) {
        struct arch_map_slot slot;
        err = arch_vspace_frame_slot(*vspace, *va + (uint64_t)i * TSR_MSGQ_PAGE, TSR_PAGE_BITS,
                                     &slot);
        if (err)
            return err;
    }
    return TSR_OK;
}

static void perform_map(const struct cap *cap, struct msgq *q, paddr_t vspace, unsigned asid,
                        uint64_t va)
{
    for (unsigned i = 0; i < q->k->pages - 1; i++) {
        struct arch_map_slot slot;
        uint64_t page_va = va + (uint64_t)i * TSR_MSGQ_PAGE;
        (void)arch_vspace_frame_slot(vspace, page_va, TSR_PAGE_BITS, &slot); /* decoded */
        arch_vspace_map_frame_at(&slot, cap->object + (uint64_t)i * TSR_MSGQ_PAGE,
                                 i == 0 ? ARCH_VM_READ | ARCH_VM_WRITE : ARCH_VM_READ);
    }
    q->k->mapped_va = va;
    q->k->mapped_asid = asid;
}

static void unmap(const struct cap *cap, struct msgq *q)
{
    unsigned asid = q->k->mapped_asid;
    if (!asid)
        return;
    paddr_t vspace = asid_lookup(asid);
    for (unsigned i = 0; vspace && i < q->k->pages - 1; i++)
        arch_vspace_unmap_frame(vspace, asid, q->k->mapped_va + (uint64_t)i * TSR_MSGQ_PAGE,
                                cap->object + (uint64_t)i * TSR_MSGQ_PAGE, TSR_PAGE_BITS);
    q->k->mapped_va = 0;
    q->k->mapped_asid = 0;
}

unsigned msgq_mapped_pages(const struct cap *cap, unsigned *asid, uint64_t *va)
{
    struct msgq q = msgq_at(cap->object, cap->size_bits);
    *asid = q.k->mapped_asid;
    *va = q.k->mapped_va;
    return *asid ? q.k->pages - 1 : 0;
}

/* Dequeue: the next message as badge, message info, words. */
static tsr_error_t dequeue(struct invocation *inv, struct msgq *q)
{
    tsr_error_t err = need_read(inv);
    if (err)
        return err;
    sync_head(q);
    uint64_t head = q->k->known_head;
    if (head == q->header->tail)
        return TSR_E_WOULD_BLOCK;
    const struct tsr_msgq_slot *slot = &q->slots[head % q->header->capacity];
    unsigned len = tsr_msginfo_length(slot->info);
    inv_result(inv, slot->badge);
    inv_result(inv, slot->info);
    for (unsigned i = 0; i < len; i++)
        inv_result(inv, slot->mr[i]);
    release(q, slot->badge);
    q->k->known_head = head + 1;
    q->control->head = head + 1; /* the receiver's page follows */
    return TSR_OK;
}

/* BindNotification: notification (WRITE); the queue signals it with that
 * capability's badge when a message arrives in an empty queue. */
static tsr_error_t bind(struct invocation *inv, struct msgq *q)
{
    struct cte *n;
    tsr_error_t err = need_read(inv);
    if (!err)
        err = inv_lookup_typed(inv, inv_arg(inv, 0), CAP_NOTIFICATION, TSR_RIGHT_WRITE, &n);
    if (err)
        return err;
    if (q->k->notification.cap.type != CAP_NULL)
        return TSR_E_ILLEGAL_OPERATION; /* bound already: unbind first */
    struct cap_change change;
    err = cap_decode_copy(n, &q->k->notification, TSR_RIGHT_WRITE, &change);
    if (!err)
        cap_perform(&change);
    return err;
}

static tsr_error_t msgq_invoke(struct invocation *inv)
{
    struct msgq q = msgq_of(&inv->slot->cap);
    switch (inv->label) {
    case TSR_MSG_QUEUE_MAP: {
        paddr_t vspace;
        unsigned asid;
        uint64_t va;
        tsr_error_t err = decode_map(inv, &q, &vspace, &asid, &va);
        if (!err)
            perform_map(&inv->slot->cap, &q, vspace, asid, va);
        return err;
    }
    case TSR_MSG_QUEUE_UNMAP:
        unmap(&inv->slot->cap, &q);
        return TSR_OK;
    case TSR_MSG_QUEUE_DEQUEUE:
        return dequeue(inv, &q);
    case TSR_MSG_QUEUE_BIND_NOTIFICATION:
        return bind(inv, &q);
    default: { /* TSR_MSG_QUEUE_UNBIND_NOTIFICATION: a deletion, preemptible */
        unsigned budget = INVOKE_DELETE_BUDGET;
        return cap_delete(&q.k->notification, &budget);
    }
    }
}

/* ---- the object type ---------------------------------------------------------- */

static unsigned msgq_slots(const struct cap *cap, struct cte **slots)
{
    *slots = &msgq_of(cap).k->notification;
    return 1;
}

/* The last capability went (its notification slot already emptied): take
 * the view out of the receiver's address space. */
static void msgq_destroy(const struct cap *cap)
{
    struct msgq q = msgq_of(cap);
    unmap(cap, &q);
}

const struct object_type msg_queue_type = {
    .name = "msg_queue",
    .init = msgq_init,
    .slots = msgq_slots,
    .destroy = msgq_destroy,
    .invoke = msgq_invoke,
};
