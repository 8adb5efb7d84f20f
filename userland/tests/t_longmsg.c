/* SPDX-License-Identifier: MIT */
/* Long messages (IPC path 3, kernel/ipc/longcopy.c): bytes copied between
 * two address spaces in both directions of a Call, whichever thread arrives
 * second; bounded by the smaller buffer with nothing written past it; an
 * unusable buffer is its owner's error and nobody else's; a copy stopped
 * by the timer resumes where it stopped; a receiver deleted in the middle
 * of a copy leaves the sender to its next receiver. */
#include "test.h"

#include "tsr/bulk.h"
#include "tsr/space.h"

/* The server's CNode slots and buffers, in its own address space. */
#define S_EP 2
#define S_REPLY 3
#define SRV_BUF 0x10000000ull /* four pages mapped read-write */
#define SRV_PAGES 4
#define SRV_LEN 0x3000ull     /* of which it receives into three */

/* Root-side buffers. */
#define BUF_VA 0x54000000ull
#define BUF_PAGES 8 /* four to send from, four to receive in */
#define SEND_BUF ((uint8_t *)(uintptr_t)BUF_VA)
#define RECV_BUF ((uint8_t *)(uintptr_t)(BUF_VA + 4 * TSR_PAGE_SIZE))
#define RO_VA (BUF_VA + BUF_PAGES * TSR_PAGE_SIZE)

enum { LONG_ECHO = 1 }; /* answer the bytes received, each + 1 */

/* The server: receives up to SRV_LEN bytes, answers label + 1 with MR0 =
 * bytes received, MR1 = their sum, and the bytes each plus one as a long
 * answer. */
static void long_server(uint64_t arg)
{
    (void)arg;
    uint8_t *buf = (uint8_t *)(uintptr_t)SRV_BUF;
    struct tsr_msg m = {0};
    uint64_t badge;
    tsr_long_receive_into(buf, SRV_LEN);
    tsr_recv(S_EP, S_REPLY, &m, &badge);
    for (;;) {
        uint64_t n = (m.info & TSR_MSGINFO_LONG) ? tsr_long_received() : 0, sum = 0;
        for (uint64_t i = 0; i < n; i++) {
            sum += buf[i];
            buf[i]++;
        }
        tsr_long_send_from(buf, n);
        m.info = tsr_msginfo(tsr_msginfo_label(m.info) + 1, 0, 2) | TSR_MSGINFO_LONG;
        m.mr[0] = n;
        m.mr[1] = sum;
        tsr_reply_recv(S_EP, S_REPLY, &m, &badge);
    }
}

/* Root buffers: BUF_PAGES pages read-write, one more page mapped read-only. */
static bool map_buffers(void)
{
    CHECK_OK(tsr_vm_ensure_tables(TSR_INIT_VSPACE, BUF_VA, (BUF_PAGES + 1) * TSR_PAGE_SIZE));
    for (unsigned i = 0; i <= BUF_PAGES; i++) {
        tsr_cptr_t f = t_new(TSR_OBJ_FRAME_4K, 0);
        CHECK(f);
        unsigned rights = i < BUF_PAGES ? TSR_RIGHT_READ | TSR_RIGHT_WRITE : TSR_RIGHT_READ;
        CHECK_OK(tsr_vm_map(f, TSR_INIT_VSPACE, BUF_VA + i * TSR_PAGE_SIZE, rights, 0));
    }
    return true;
}

/* The server in its own address space at our priority; when `wait` it has
 * run until it waits in Recv, otherwise it has not run yet. */
static bool start_server(tsr_cptr_t *ep, bool wait)
{
    struct tsr_space s;
    *ep = t_new(TSR_OBJ_ENDPOINT, 0);
    tsr_cptr_t reply = t_new(TSR_OBJ_REPLY, 0);
    CHECK(*ep && reply);
    CHECK_OK(tsr_space_create(&s, test_bootinfo, test_region, 4, t_slot, 0));
    CHECK_OK(tsr_space_give(&s, S_EP, *ep, TSR_RIGHTS_ALL, 0));
    CHECK_OK(tsr_space_give(&s, S_REPLY, reply, TSR_RIGHTS_ALL, 0));
    for (unsigned i = 0; i < SRV_PAGES; i++) {
        tsr_cptr_t f = t_new(TSR_OBJ_FRAME_4K, 0);
        CHECK(f);
        CHECK_OK(tsr_space_map(&s, f, SRV_BUF + i * TSR_PAGE_SIZE,
                               TSR_RIGHT_READ | TSR_RIGHT_WRITE, 0, 0));
    }
    CHECK_OK(tsr_space_start(&s, long_server, 0, test_bootinfo->root_priority));
    if (wait)
        t_yield_to_lower();
    return true;
}

static void fill(uint8_t *p, uint64_t n, uint8_t seed)
{
    for (uint64_t i = 0; i < n; i++)
        p[i] = (uint8_t)(seed + i * 7);
}

/* One LONG_ECHO Call of `send` bytes from SEND_BUF + offset, answered into
 * RECV_BUF (room: `room` bytes, the rest of its pages pre-filled with 0xee).
 * Checks what the server saw (at most SRV_LEN bytes) and what came back. */
static bool echo(tsr_cptr_t ep, uint64_t offset, uint64_t send, uint64_t room)
{
    uint64_t server_gets = send < SRV_LEN ? send : SRV_LEN;
    fill(SEND_BUF + offset, send, (uint8_t)send);
    for (uint64_t i = 0; i < 4 * TSR_PAGE_SIZE; i++)
        RECV_BUF[i] = 0xee;
    uint64_t sum = 0;
    for (uint64_t i = 0; i < server_gets; i++)
        sum += SEND_BUF[offset + i];
    tsr_long_send_from(SEND_BUF + offset, send);
    tsr_long_receive_into(RECV_BUF, room);
    struct tsr_msg m = {.info = tsr_msginfo(LONG_ECHO, 0, 0) | TSR_MSGINFO_LONG};
    CHECK_OK(tsr_call(ep, &m));
    CHECK_EQ(tsr_long_sent(), server_gets);
    CHECK_EQ(tsr_msginfo_label(m.info), LONG_ECHO + 1);
    CHECK(m.info & TSR_MSGINFO_LONG);
    CHECK_EQ(m.mr[0], server_gets);
    CHECK_EQ(m.mr[1], sum);
    uint64_t back = server_gets < room ? server_gets : room;
    CHECK_EQ(tsr_long_received(), back);
    for (uint64_t i = 0; i < back; i++)
        CHECK_EQ(RECV_BUF[i], (uint8_t)(SEND_BUF[offset + i] + 1));
    for (uint64_t i = back; i < 4 * TSR_PAGE_SIZE; i++)
        CHECK_EQ(RECV_BUF[i], 0xee); /* nothing past what was copied */
    return true;
}

static bool long_call_both_ways(void)
{
    tsr_cptr_t ep;
    CHECK(map_buffers() && start_server(&ep, true));
    /* Unaligned, across page boundaries, then empty, then one byte. */
    CHECK(echo(ep, 3, 10000, 4 * TSR_PAGE_SIZE));
    CHECK(echo(ep, 0, 0, 4 * TSR_PAGE_SIZE));
    CHECK(echo(ep, 4095, 1, 4 * TSR_PAGE_SIZE));
    CHECK(echo(ep, 8, SRV_LEN, 4 * TSR_PAGE_SIZE));
    return true;
}

/* The server has not run yet, so our Call queues first and the server's
 * Recv does the copy from the waiting sender. */
static bool long_receiver_copies(void)
{
    tsr_cptr_t ep;
    CHECK(map_buffers() && start_server(&ep, false));
    CHECK(echo(ep, 5, 9000, 4 * TSR_PAGE_SIZE));
    return true;
}

/* More than the server takes (SRV_LEN), and answers longer than our room
 * (5000 bytes, then none): each side gets the smaller length. */
static bool long_bounded(void)
{
    tsr_cptr_t ep;
    CHECK(map_buffers() && start_server(&ep, true));
    CHECK(echo(ep, 0, 4 * TSR_PAGE_SIZE, 5000));
    CHECK(echo(ep, 1, 100, 0));
    return true;
}

/* ---- unusable buffers ------------------------------------------------------ */

static volatile tsr_error_t got_error;
static volatile uint64_t got_label, receive_va;

/* Receive once on ep into 100 bytes at receive_va, and record. */
static void receive_once(uint64_t ep)
{
    tsr_long_receive_into((void *)(uintptr_t)receive_va, 100);
    struct tsr_msg m = {0};
    uint64_t badge;
    got_error = tsr_recv(ep, 0, &m, &badge);
    got_label = tsr_msginfo_label(m.info);
}

/* NBSend of a long message to a receiver whose buffer is at va: it must
 * fail with BAD_ADDRESS, and the sender find nobody left (WOULD_BLOCK). */
static bool receiver_buffer_unusable(uint64_t va)
{
    tsr_cptr_t ep = t_new(TSR_OBJ_ENDPOINT, 0);
    CHECK(ep);
    got_error = TSR_OK;
    receive_va = va;
    /* It runs above us (until it waits), and again as soon as it fails. */
    t_set_my_priority(test_bootinfo->root_priority - 1);
    CHECK(t_thread(receive_once, ep, test_bootinfo->root_priority, 0));
    tsr_long_send_from(SEND_BUF, 64);
    struct tsr_msg m = {.info = tsr_msginfo(9, 0, 0) | TSR_MSGINFO_LONG};
    CHECK_EQ(tsr_nb_send(ep, &m), TSR_E_WOULD_BLOCK);
    CHECK_EQ(got_error, TSR_E_BAD_ADDRESS);
    t_set_my_priority(test_bootinfo->root_priority);
    return true;
}

/* A client that calls with a receive buffer and records the outcome. */
static volatile uint64_t client_got;
static void long_client(uint64_t ep)
{
    tsr_long_receive_into(RECV_BUF, 64);
    struct tsr_msg m = {.info = tsr_msginfo(7, 0, 0)};
    got_error = tsr_call(ep, &m);
    client_got = tsr_long_received();
}

static bool long_errors(void)
{
    tsr_cptr_t ep;
    CHECK(map_buffers() && start_server(&ep, true));
    struct tsr_msg m;
    /* Our send buffer unmapped, or wrapping past the address range: our
     * error; the server still waits and answers the next call. */
    tsr_long_send_from((void *)(uintptr_t)0x7e000000, 10);
    m = (struct tsr_msg){.info = tsr_msginfo(LONG_ECHO, 0, 0) | TSR_MSGINFO_LONG};
    CHECK_EQ(tsr_call(ep, &m), TSR_E_BAD_ADDRESS);
    tsr_long_send_from(SEND_BUF, 1ull << 63);
    m = (struct tsr_msg){.info = tsr_msginfo(LONG_ECHO, 0, 0) | TSR_MSGINFO_LONG};
    CHECK_EQ(tsr_call(ep, &m), TSR_E_BAD_ADDRESS);
    CHECK(echo(ep, 0, 50, 64));
    /* Moving and sharing pages at once is not a message. */
    m = (struct tsr_msg){.info = tsr_msginfo(LONG_ECHO, 0, 0) | TSR_MSGINFO_MOVE |
                                 TSR_MSGINFO_SHARE};
    CHECK_EQ(tsr_call(ep, &m), TSR_E_INVALID_ARGUMENT);
    /* A receive buffer that is read-only, unmapped, or past the end of the
     * address range: the receiver's error. */
    CHECK(receiver_buffer_unusable(RO_VA));
    CHECK(receiver_buffer_unusable(0x7e000000));
    CHECK(receiver_buffer_unusable((1ull << 48) - 50));

    /* Answers: a long answer from an unusable buffer is the replier's
     * error and the caller goes on waiting; a good one then arrives. */
    tsr_cptr_t my_ep = t_new(TSR_OBJ_ENDPOINT, 0), reply = t_new(TSR_OBJ_REPLY, 0);
    CHECK(my_ep && reply);
    got_error = TSR_E_CANCELLED;
    CHECK(t_thread(long_client, my_ep, test_bootinfo->root_priority - 1, 0));
    uint64_t badge;
    m = (struct tsr_msg){0};
    CHECK_OK(tsr_recv(my_ep, reply, &m, &badge)); /* we block; the client calls */
    tsr_long_send_from((void *)(uintptr_t)0x7e000000, 10);
    m = (struct tsr_msg){.info = tsr_msginfo(8, 0, 0) | TSR_MSGINFO_LONG};
    CHECK_EQ(tsr_send(reply, &m), TSR_E_BAD_ADDRESS);
    fill(SEND_BUF, 64, 1);
    tsr_long_send_from(SEND_BUF, 64);
    m = (struct tsr_msg){.info = tsr_msginfo(8, 0, 0) | TSR_MSGINFO_LONG};
    CHECK_OK(tsr_send(reply, &m));
    t_yield_to_lower();
    CHECK_EQ(got_error, TSR_OK);
    CHECK_EQ(client_got, 64);
    CHECK_EQ(RECV_BUF[63], SEND_BUF[63]);
    return true;
}

/* ---- preemption -------------------------------------------------------------- */

#define BIG_VA 0x56000000ull /* one 2 MiB frame: 1 MiB sent into the other */
#define BIG (1ull << 20)

static volatile uint64_t big_sum, big_count;

/* Receives long messages into the upper half of the big frame and sums
 * them, for ever. */
static void big_receiver(uint64_t ep)
{
    uint8_t *to = (uint8_t *)(uintptr_t)(BIG_VA + BIG);
    tsr_long_receive_into(to, BIG);
    struct tsr_msg m = {0};
    uint64_t badge;
    for (;;) {
        if (tsr_recv(ep, 0, &m, &badge) == TSR_OK) {
            uint64_t sum = 0;
            for (uint64_t i = 0; i < tsr_long_received(); i += 8)
                sum += *(volatile uint64_t *)(to + i);
            big_sum = sum;
            big_count++;
        }
    }
}

static bool map_big(void)
{
    tsr_cptr_t big = t_new(TSR_OBJ_FRAME_2M, 0);
    CHECK(big);
    CHECK_OK(tsr_vm_map(big, TSR_INIT_VSPACE, BIG_VA, TSR_RIGHT_READ | TSR_RIGHT_WRITE, 0));
    uint64_t *w = (uint64_t *)(uintptr_t)BIG_VA;
    for (uint64_t i = 0; i < BIG / 8; i++)
        w[i] = i * 0x9e3779b97f4a7c15ull;
    return true;
}

static uint64_t big_expected(void)
{
    uint64_t sum = 0;
    for (uint64_t i = 0; i < BIG / 8; i++)
        sum += i * 0x9e3779b97f4a7c15ull;
    return sum;
}

/* 1 MiB copies until the timer has interrupted one (the kernel counts the
 * stops): each arrives whole. A tick comes every 4 ms and a copy takes a
 * good part of one, so this takes a few rounds. */
static bool long_preempted_resumes(void)
{
    CHECK(map_big()); /* first: the 2 MiB frame needs the region's aligned half */
    tsr_cptr_t ep = t_new(TSR_OBJ_ENDPOINT, 0);
    CHECK(ep);
    /* The receiver above us: it takes each message and waits again. */
    t_set_my_priority(test_bootinfo->root_priority - 1);
    CHECK(t_thread(big_receiver, ep, test_bootinfo->root_priority, 0));
    uint64_t want = big_expected(), stops = tsr_debug_counter(TSR_COUNTER_LONG_PREEMPTED);
    unsigned rounds = 0;
    for (; rounds < 400 && tsr_debug_counter(TSR_COUNTER_LONG_PREEMPTED) == stops; rounds++) {
        big_sum = 0;
        tsr_long_send_from((void *)(uintptr_t)BIG_VA, BIG);
        struct tsr_msg m = {.info = tsr_msginfo(1, 0, 0) | TSR_MSGINFO_LONG};
        CHECK_OK(tsr_send(ep, &m));
        CHECK_EQ(tsr_long_sent(), BIG);
        CHECK_EQ(big_count, rounds + 1);
        CHECK_EQ(big_sum, want);
    }
    CHECK(tsr_debug_counter(TSR_COUNTER_LONG_PREEMPTED) > stops);
    return true;
}

/* The receiver deleted while a copy to it is stopped: a thread at our
 * priority deletes it when the timer gives it our turn, which (the copy
 * being nearly all we do) is nearly always in the middle of a copy. The
 * restarted send finds nobody (WOULD_BLOCK); nothing else changes. */
static volatile tsr_cptr_t victim;
static volatile bool sending, deleted;

static void deleter(uint64_t arg)
{
    (void)arg;
    for (;;) {
        if (sending && victim && !deleted) {
            tsr_cnode_delete(ROOT, victim, D);
            deleted = true;
        }
        tsr_yield();
    }
}

static bool long_receiver_deleted(void)
{
    CHECK(map_big()); /* first: the 2 MiB frame needs the region's aligned half */
    tsr_cptr_t ep = t_new(TSR_OBJ_ENDPOINT, 0);
    CHECK(ep);
    /* Receivers above us; the deleter beside us. */
    unsigned p = test_bootinfo->root_priority;
    t_set_my_priority(p - 1);
    CHECK(t_thread(deleter, 0, p - 1, 0));
    unsigned mid_copy = 0;
    for (unsigned attempt = 0; attempt < 5 && !mid_copy; attempt++) {
        deleted = false;
        victim = t_thread(big_receiver, ep, p, 0);
        CHECK(victim);
        tsr_error_t err = TSR_OK;
        uint64_t stops = 0;
        for (unsigned round = 0; round < 2000 && err == TSR_OK; round++) {
            stops = tsr_debug_counter(TSR_COUNTER_LONG_PREEMPTED);
            tsr_long_send_from((void *)(uintptr_t)BIG_VA, BIG);
            struct tsr_msg m = {.info = tsr_msginfo(1, 0, 0) | TSR_MSGINFO_LONG};
            sending = true;
            err = tsr_nb_send(ep, &m);
            sending = false;
        }
        CHECK_EQ(err, TSR_E_WOULD_BLOCK);
        CHECK(deleted);
        if (tsr_debug_counter(TSR_COUNTER_LONG_PREEMPTED) > stops)
            mid_copy++;
    }
    CHECK(mid_copy > 0);
    /* The endpoint works on: a new receiver gets a whole message. */
    big_sum = 0;
    CHECK(t_thread(big_receiver, ep, p, 0));
    tsr_long_send_from((void *)(uintptr_t)BIG_VA, BIG);
    struct tsr_msg m = {.info = tsr_msginfo(1, 0, 0) | TSR_MSGINFO_LONG};
    CHECK_OK(tsr_send(ep, &m));
    CHECK_EQ(big_sum, big_expected());
    return true;
}

const struct test longmsg_tests[] = {
    {"LONG0001", "long Call between address spaces: bytes both ways, lengths reported", long_call_both_ways},
    {"LONG0002", "the receiver arriving second copies from the queued sender", long_receiver_copies},
    {"LONG0003", "bounded by the smaller buffer; nothing written past it", long_bounded},
    {"LONG0004", "unusable buffers: the owner's BAD_ADDRESS, the other side unaffected", long_errors},
    {"LONG0005", "a copy stopped by the timer resumes and arrives whole", long_preempted_resumes},
    {"LONG0006", "receiver deleted in the middle of a copy: the sender finds nobody", long_receiver_deleted},
    {0, 0, 0},
};
