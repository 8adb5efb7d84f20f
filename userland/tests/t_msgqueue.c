/* SPDX-License-Identifier: MIT */
/* Message queues (IPC path 2, kernel/ipc/msgqueue.c, tessera/msgqueue.h):
 * enqueue never blocks, Dequeue and the mapped view take messages in order,
 * capacity and per-badge quotas bound what senders can queue, a corrupted
 * head written by the receiver harms nobody else, a bound notification
 * announces the first message, and every documented error. */
#include "test.h"

#include <tessera/msgqueue.h>

#include "tsr/msgqueue.h"
#include "tsr/space.h"

#define Q_BITS 14
#define VIEW_VA 0x50000000ull

static tsr_cptr_t new_queue(void)
{
    /* Page tables for the views, from the general allocator: they outlive
     * the test, as the test stacks' do. */
    if (tsr_vm_ensure_tables(TSR_INIT_VSPACE, VIEW_VA, 1ull << TSR_MSG_QUEUE_MAX_BITS))
        return 0;
    return t_new(TSR_OBJ_MSG_QUEUE, Q_BITS);
}

/* A sender capability: WRITE only, with a badge and a quota. */
static tsr_cptr_t sender(tsr_cptr_t q, uint64_t badge, unsigned quota)
{
    tsr_cptr_t s = t_slot();
    if (tsr_cnode_mint(ROOT, s, D, ROOT, q, D, TSR_RIGHT_WRITE, TSR_MSGQ_SENDER(badge, quota)))
        return 0;
    return s;
}

static tsr_error_t send_words(tsr_cptr_t q, uint64_t label, unsigned len, uint64_t base)
{
    struct tsr_msg m = {.info = tsr_msginfo(label, 0, len)};
    for (unsigned i = 0; i < len && i < TSR_MSG_REG_WORDS; i++)
        m.mr[i] = base + i;
    return tsr_send(q, &m);
}

static bool check_message(uint64_t badge, const struct tsr_msg *m, uint64_t want_badge,
                          uint64_t label, unsigned len, uint64_t base)
{
    CHECK_EQ(badge, want_badge);
    CHECK_EQ(tsr_msginfo_label(m->info), label);
    CHECK_EQ(tsr_msginfo_length(m->info), len);
    for (unsigned i = 0; i < TSR_MSG_REG_WORDS; i++)
        CHECK_EQ(m->mr[i], i < len ? base + i : 0);
    return true;
}

static bool retype_sizes(void)
{
    tsr_cptr_t s = t_slot();
    CHECK_EQ(tsr_untyped_retype(test_region, TSR_OBJ_MSG_QUEUE, TSR_MSG_QUEUE_MIN_BITS - 1, ROOT,
                                ROOT, D, s, 1),
             TSR_E_INVALID_ARGUMENT);
    CHECK_EQ(tsr_untyped_retype(test_region, TSR_OBJ_MSG_QUEUE, TSR_MSG_QUEUE_MAX_BITS + 1, ROOT,
                                ROOT, D, s, 1),
             TSR_E_INVALID_ARGUMENT);
    tsr_cptr_t q = new_queue();
    CHECK(q);
    CHECK_OK(tsr_msgq_map(q, TSR_INIT_VSPACE, VIEW_VA));
    const struct tsr_msgq_header *h = tsr_msgq_header((void *)(uintptr_t)VIEW_VA);
    CHECK_EQ(h->capacity, tsr_msgq_capacity(Q_BITS));
    CHECK_EQ(h->tail, 0);
    return true;
}

static bool send_and_dequeue(void)
{
    tsr_cptr_t q = new_queue(), s = sender(q, 7, 0);
    CHECK(q && s);
    CHECK_OK(send_words(s, 11, 0, 0));
    CHECK_OK(send_words(s, 12, 3, 100));
    CHECK_OK(send_words(s, 13, 14, 200));
    uint64_t badge;
    struct tsr_msg m;
    CHECK_OK(tsr_msgq_dequeue(q, &badge, &m));
    CHECK(check_message(badge, &m, 7, 11, 0, 0));
    CHECK_OK(tsr_msgq_dequeue(q, &badge, &m));
    CHECK(check_message(badge, &m, 7, 12, 3, 100));
    CHECK_OK(tsr_msgq_dequeue(q, &badge, &m));
    CHECK(check_message(badge, &m, 7, 13, 14, 200));
    CHECK_EQ(tsr_msgq_dequeue(q, &badge, &m), TSR_E_WOULD_BLOCK);
    return true;
}

static bool full_queue(void)
{
    tsr_cptr_t q = new_queue(), s = sender(q, 1, 0);
    CHECK(q && s);
    unsigned capacity = tsr_msgq_capacity(Q_BITS);
    for (unsigned i = 0; i < capacity; i++)
        CHECK_OK(send_words(s, 1, 1, i));
    /* Send never blocks on a queue: a full one is an error at once. */
    CHECK_EQ(send_words(s, 1, 1, 0), TSR_E_QUEUE_FULL);
    CHECK_EQ(send_words(s, 1, 1, 0), TSR_E_QUEUE_FULL);
    uint64_t badge;
    struct tsr_msg m;
    CHECK_OK(tsr_msgq_dequeue(q, &badge, &m));
    CHECK_EQ(m.mr[0], 0);
    CHECK_OK(send_words(s, 1, 1, 999));
    CHECK_EQ(send_words(s, 1, 1, 0), TSR_E_QUEUE_FULL);
    /* Everything comes out in order, the last one too. */
    for (unsigned i = 1; i < capacity; i++) {
        CHECK_OK(tsr_msgq_dequeue(q, &badge, &m));
        CHECK_EQ(m.mr[0], i);
    }
    CHECK_OK(tsr_msgq_dequeue(q, &badge, &m));
    CHECK_EQ(m.mr[0], 999);
    return true;
}

static bool quota_per_badge(void)
{
    tsr_cptr_t q = new_queue(), a = sender(q, 0xa, 5), b = sender(q, 0xb, 5);
    CHECK(q && a && b);
    unsigned sent = 0;
    while (send_words(a, 1, 1, sent) == TSR_OK && sent < 100)
        sent++;
    CHECK_EQ(sent, 5); /* the flooder filled only its share */
    CHECK_EQ(send_words(a, 1, 1, 0), TSR_E_QUEUE_FULL);
    for (unsigned i = 0; i < 5; i++)
        CHECK_OK(send_words(b, 2, 1, i));
    CHECK_EQ(send_words(b, 2, 1, 0), TSR_E_QUEUE_FULL);
    /* Taking two of a's frees two places for a, none for b. */
    uint64_t badge;
    struct tsr_msg m;
    CHECK_OK(tsr_msgq_dequeue(q, &badge, &m));
    CHECK_EQ(badge, 0xa);
    CHECK_OK(tsr_msgq_dequeue(q, &badge, &m));
    CHECK_EQ(badge, 0xa);
    CHECK_OK(send_words(a, 1, 1, 50));
    CHECK_OK(send_words(a, 1, 1, 51));
    CHECK_EQ(send_words(a, 1, 1, 0), TSR_E_QUEUE_FULL);
    CHECK_EQ(send_words(b, 2, 1, 0), TSR_E_QUEUE_FULL);
    /* A quota needs a badge. */
    tsr_cptr_t bad = t_slot();
    CHECK_EQ(tsr_cnode_mint(ROOT, bad, D, ROOT, q, D, TSR_RIGHT_WRITE, TSR_MSGQ_SENDER(0, 3)),
             TSR_E_INVALID_ARGUMENT);
    return true;
}

/* The sender, in its own address space: `arg` messages of increasing words
 * through the queue capability in its slot 2, retrying while the queue is
 * full (the receiver drains it meanwhile), then it stops. */
#define SENDER_Q 2
static void space_sender(uint64_t count)
{
    for (uint64_t i = 0; i < count; i++) {
        for (;;) {
            /* A failed send hands back its error in the message info: build
             * the message afresh for each try. */
            struct tsr_msg m = {.info = tsr_msginfo(3, 0, 2), .mr = {i, i * i}};
            if (tsr_send(SENDER_Q, &m) != TSR_E_QUEUE_FULL)
                break;
            tsr_yield();
        }
    }
}

static bool view_across_spaces(void)
{
    tsr_cptr_t q = new_queue();
    CHECK(q);
    CHECK_OK(tsr_msgq_map(q, TSR_INIT_VSPACE, VIEW_VA));
    struct tsr_msgq_view v;
    tsr_msgq_view_init(&v, (void *)(uintptr_t)VIEW_VA);
    struct tsr_space s;
    CHECK_OK(tsr_space_create(&s, test_bootinfo, test_region, 4, t_slot, 0));
    CHECK_OK(tsr_space_give(&s, SENDER_Q, q, TSR_RIGHT_WRITE, TSR_MSGQ_SENDER(0x55, 0)));
    /* More messages than the queue holds: the view must give slots back. */
    const uint64_t total = 3 * tsr_msgq_capacity(Q_BITS) + 7;
    CHECK_OK(tsr_space_start(&s, space_sender, total, test_bootinfo->root_priority));
    uint64_t next = 0, badge;
    struct tsr_msg m;
    for (unsigned spins = 0; next < total && spins < 100000; spins++) {
        while (tsr_msgq_view_take(&v, &badge, &m)) {
            CHECK_EQ(badge, 0x55);
            CHECK_EQ(tsr_msginfo_label(m.info), 3);
            CHECK_EQ(m.mr[0], next);
            CHECK_EQ(m.mr[1], next * next);
            next++;
        }
        tsr_yield(); /* the sender, at our priority, refills */
    }
    CHECK_EQ(next, total);
    CHECK_EQ(v.header->tail, total);
    return true;
}

static bool corrupted_head(void)
{
    tsr_cptr_t q = new_queue(), s = sender(q, 9, 0);
    CHECK(q && s);
    CHECK_OK(tsr_msgq_map(q, TSR_INIT_VSPACE, VIEW_VA));
    struct tsr_msgq_control *c = (void *)(uintptr_t)VIEW_VA;
    unsigned capacity = tsr_msgq_capacity(Q_BITS);
    for (unsigned i = 0; i < 4; i++)
        CHECK_OK(send_words(s, 1, 1, i));
    /* A head past the tail, then one that goes backwards, then a huge one:
     * each is ignored; the kernel keeps what it knows (nothing taken). */
    uint64_t bogus[] = {5000, ~0ull, 1ull << 63};
    for (unsigned k = 0; k < 3; k++) {
        c->head = bogus[k];
        CHECK_OK(send_words(s, 1, 1, 100 + k));
    }
    /* 7 queued; capacity - 7 more fit, and not one more. */
    for (unsigned i = 7; i < capacity; i++)
        CHECK_OK(send_words(s, 1, 1, i));
    CHECK_EQ(send_words(s, 1, 1, 0), TSR_E_QUEUE_FULL);
    /* Dequeue starts from what the kernel knows, and rewrites the head. */
    uint64_t badge;
    struct tsr_msg m;
    CHECK_OK(tsr_msgq_dequeue(q, &badge, &m));
    CHECK_EQ(m.mr[0], 0);
    CHECK_EQ(c->head, 1);
    /* A head within range is believed: two more taken through the view,
     * so three places are free now. */
    c->head = 3;
    for (unsigned i = 0; i < 3; i++)
        CHECK_OK(send_words(s, 1, 1, 0));
    CHECK_EQ(send_words(s, 1, 1, 0), TSR_E_QUEUE_FULL);
    CHECK_OK(tsr_msgq_dequeue(q, &badge, &m));
    CHECK_EQ(m.mr[0], 3);
    return true;
}

static bool notification_on_first(void)
{
    tsr_cptr_t q = new_queue(), s = sender(q, 2, 0), n = t_new(TSR_OBJ_NOTIFICATION, 0);
    tsr_cptr_t nb = t_slot(), ro = t_slot();
    CHECK(q && s && n);
    CHECK_OK(tsr_cnode_mint(ROOT, nb, D, ROOT, n, D, TSR_RIGHTS_ALL, 0x10));
    CHECK_OK(tsr_cnode_copy(ROOT, ro, D, ROOT, n, D, TSR_RIGHT_READ));
    CHECK_EQ(tsr_msgq_bind_notification(q, ro), TSR_E_INSUFFICIENT_RIGHTS);
    CHECK_OK(tsr_msgq_bind_notification(q, nb));
    CHECK_EQ(tsr_msgq_bind_notification(q, nb), TSR_E_ILLEGAL_OPERATION);
    uint64_t bits;
    CHECK_OK(tsr_poll(n, &bits));
    CHECK_EQ(bits, 0);
    for (unsigned i = 0; i < 3; i++)
        CHECK_OK(send_words(s, 1, 0, 0));
    CHECK_OK(tsr_poll(n, &bits));
    CHECK_EQ(bits, 0x10); /* the first message into an empty queue signalled */
    CHECK_OK(send_words(s, 1, 0, 0));
    CHECK_OK(tsr_poll(n, &bits));
    CHECK_EQ(bits, 0); /* the queue was not empty: no signal */
    uint64_t badge;
    struct tsr_msg m;
    while (tsr_msgq_dequeue(q, &badge, &m) == TSR_OK)
        continue;
    CHECK_OK(send_words(s, 1, 0, 0));
    CHECK_OK(tsr_poll(n, &bits));
    CHECK_EQ(bits, 0x10);
    /* Unbound, it stays quiet; the binding was a copy: the notification
     * lives on. */
    CHECK_OK(tsr_msgq_unbind_notification(q));
    CHECK_OK(tsr_msgq_dequeue(q, &badge, &m));
    CHECK_OK(send_words(s, 1, 0, 0));
    CHECK_OK(tsr_poll(n, &bits));
    CHECK_EQ(bits, 0);
    CHECK_OK(tsr_msgq_bind_notification(q, nb));
    return true;
}

static bool errors(void)
{
    tsr_cptr_t q = new_queue(), s = sender(q, 3, 0), frame = t_new(TSR_OBJ_FRAME_4K, 0);
    CHECK(q && s && frame);
    struct tsr_msg m = {.info = tsr_msginfo(1, 0, 15)};
    CHECK_EQ(tsr_send(s, &m), TSR_E_INVALID_ARGUMENT); /* more than 14 words */
    m.info = tsr_msginfo(1, 1, 2);
    CHECK_EQ(tsr_send(s, &m), TSR_E_INVALID_ARGUMENT); /* a capability */
    tsr_cptr_t readonly = t_slot();
    CHECK_OK(tsr_cnode_copy(ROOT, readonly, D, ROOT, q, D, TSR_RIGHT_READ));
    m.info = tsr_msginfo(1, 0, 1);
    CHECK_EQ(tsr_send(readonly, &m), TSR_E_INSUFFICIENT_RIGHTS);
    uint64_t badge;
    CHECK_EQ(tsr_msgq_dequeue(s, &badge, &m), TSR_E_INSUFFICIENT_RIGHTS); /* WRITE only */
    CHECK_EQ(tsr_msgq_map(s, TSR_INIT_VSPACE, VIEW_VA), TSR_E_INSUFFICIENT_RIGHTS);
    CHECK_EQ(tsr_msgq_dequeue(frame, &badge, &m), TSR_E_ILLEGAL_OPERATION); /* not a queue */
    CHECK_EQ(tsr_msgq_map(q, frame, VIEW_VA), TSR_E_INVALID_CAPABILITY);    /* not a VSpace */
    CHECK_EQ(tsr_msgq_map(q, TSR_INIT_VSPACE, VIEW_VA + 8), TSR_E_ALIGNMENT);
    CHECK_EQ(tsr_msgq_map(q, TSR_INIT_VSPACE, (1ull << 48) - TSR_MSGQ_PAGE), TSR_E_RANGE);
    /* No page tables at all up there. */
    CHECK_EQ(tsr_msgq_map(q, TSR_INIT_VSPACE, 0x7000000000ull), TSR_E_NOT_MAPPED);
    CHECK_OK(tsr_msgq_map(q, TSR_INIT_VSPACE, VIEW_VA));
    CHECK_EQ(tsr_msgq_map(q, TSR_INIT_VSPACE, VIEW_VA + 0x100000), TSR_E_ALREADY_MAPPED);
    /* Another queue cannot land on top of it. */
    tsr_cptr_t q2 = new_queue();
    CHECK_EQ(tsr_msgq_map(q2, TSR_INIT_VSPACE, VIEW_VA), TSR_E_ALREADY_MAPPED);
    CHECK_OK(tsr_msgq_unmap(q));
    CHECK_OK(tsr_msgq_map(q2, TSR_INIT_VSPACE, VIEW_VA));
    /* Recv on a queue is not how it is read. */
    CHECK_EQ(tsr_recv(q, 0, &m, &badge), TSR_E_INVALID_CAPABILITY);
    return true;
}

/* Deleting the queue takes its view out of the receiver's address space
 * (touching it is a fault the handler sees) and later sends fail. */
static volatile uint64_t touched;
static void touch_view(uint64_t va)
{
    touched = *(volatile uint64_t *)(uintptr_t)va;
}

static bool delete_while_mapped(void)
{
    tsr_cptr_t q = new_queue(), s = sender(q, 4, 0), fault_ep = t_new(TSR_OBJ_ENDPOINT, 0);
    tsr_cptr_t reply = t_new(TSR_OBJ_REPLY, 0);
    CHECK(q && s && fault_ep && reply);
    CHECK_OK(tsr_msgq_map(q, TSR_INIT_VSPACE, VIEW_VA));
    CHECK_OK(send_words(s, 1, 1, 1));
    CHECK_OK(tsr_cnode_revoke(ROOT, q, D)); /* the sender capability goes too */
    CHECK_OK(tsr_cnode_delete(ROOT, q, D));
    struct tsr_msg m = {.info = tsr_msginfo(1, 0, 1)};
    CHECK_EQ(tsr_send(s, &m), TSR_E_INVALID_CAPABILITY);
    CHECK(t_thread(touch_view, VIEW_VA + TSR_MSGQ_PAGE, 100, fault_ep));
    uint64_t badge;
    struct tsr_msg f = {0};
    CHECK_OK(tsr_recv(fault_ep, reply, &f, &badge));
    CHECK_EQ(tsr_msginfo_label(f.info), TSR_FAULT_VM);
    CHECK_EQ(f.mr[1], VIEW_VA + TSR_MSGQ_PAGE);
    return true;
}

const struct test msgqueue_tests[] = {
    {"MSGQ0001", "retype: sizes 14-18 only; the view shows its capacity", retype_sizes},
    {"MSGQ0002", "Send enqueues, Dequeue takes in order; empty is WOULD_BLOCK", send_and_dequeue},
    {"MSGQ0003", "a full queue is QUEUE_FULL at once, room again after a take", full_queue},
    {"MSGQ0004", "per-badge quotas: a flooding sender fills only its share", quota_per_badge},
    {"MSGQ0005", "view between address spaces: taken with no system call", view_across_spaces},
    {"MSGQ0006", "a corrupted head is ignored; senders are unaffected", corrupted_head},
    {"MSGQ0007", "a bound notification announces the first message only", notification_on_first},
    {"MSGQ0008", "errors: words, capabilities, rights, types, mapping", errors},
    {"MSGQ0009", "deleted queue: view unmapped (a fault), sends fail", delete_while_mapped},
    {0, 0, 0},
};
