/* SPDX-License-Identifier: MIT */
/* Flood protection (docs/ipc.md, "Floods"): eight clients at one priority
 * send to one server as fast as they can while a ninth makes ordinary
 * calls, through the synchronous paths (register Calls, long messages,
 * shared pages, non-blocking sends), through a message queue, and through
 * rings. The ninth is answered every time; each flooder sees only its
 * documented results (a Call waits its turn: OK; an NBSend finds the server
 * busy: WOULD_BLOCK; a full quota or ring: QUEUE_FULL or E_FULL, and it
 * yields); queued messages stay within their quotas. The
 * kernel cannot allocate for any of it: it has no heap. The latency bound
 * is measured under -icount by `make bench` (flood_call_latency_max). */
#include "test.h"

#include <tessera/msgqueue.h>

#include "tsr/bulk.h"
#include "tsr/msgqueue.h"
#include "tsr/ring.h"
#include "tsr/ring_notify.h"

#define FLOODERS 8
#define CALLS 200 /* the ninth client's */

enum flood_kind { SHORT_CALL, LONG_CALL, SHARE_CALL, NB_SEND };
enum { ORDINARY = 1, FLOOD = 2 };

/* Per flooder: what it saw. */
static volatile uint64_t sent_ok[FLOODERS], would_block[FLOODERS], queue_full[FLOODERS],
    other[FLOODERS];
static volatile bool stop;
static volatile uint64_t served;

#define LONG_VA 0x5c000000ull  /* 16 KiB the long flooders send */
#define SRV_BUF 0x5c004000ull  /* 16 KiB the server receives into */
#define SHARE_VA 0x5c010000ull /* one page per sharing flooder */
#define SRV_WIN 0x5c100000ull  /* the server's receive window */
#define LONG_LEN 0x4000u

static tsr_cptr_t flood_ep, share_frames, server_slot;

static void count(unsigned i, tsr_error_t err, tsr_error_t expected_other)
{
    if (err == TSR_OK)
        sent_ok[i]++;
    else if (err == TSR_E_WOULD_BLOCK)
        would_block[i]++;
    else if (err == TSR_E_QUEUE_FULL)
        queue_full[i]++;
    else if (err != expected_other)
        other[i]++;
}

static void flooder(uint64_t i)
{
    enum flood_kind kind = (enum flood_kind)(i % 4);
    if (kind == LONG_CALL)
        tsr_long_send_from((void *)(uintptr_t)LONG_VA, LONG_LEN);
    while (!stop) {
        struct tsr_msg m = {.info = tsr_msginfo(FLOOD, 0, 14)};
        switch (kind) {
        case SHORT_CALL:
            count((unsigned)i, tsr_call(flood_ep, &m), TSR_OK);
            break;
        case LONG_CALL:
            m.info |= TSR_MSGINFO_LONG;
            count((unsigned)i, tsr_call(flood_ep, &m), TSR_OK);
            break;
        case SHARE_CALL:
            tsr_ipc_buffer()->caps[0] = share_frames + i;
            m.info = tsr_msginfo(FLOOD, 1, 0) | TSR_MSGINFO_SHARE;
            count((unsigned)i, tsr_call(flood_ep, &m), TSR_OK);
            tsr_cnode_revoke(ROOT, share_frames + i, D); /* the sender's clean-up */
            break;
        case NB_SEND:
            count((unsigned)i, tsr_nb_send(flood_ep, &m), TSR_OK);
            break;
        }
    }
}

static volatile uint64_t shares_received;

/* Answers every request: ORDINARY with MR0 + 1; a shared frame received is
 * deleted at once (its slot and window are needed for the next). */
static void flood_server(uint64_t reply)
{
    tsr_long_receive_into((void *)(uintptr_t)SRV_BUF, LONG_LEN);
    tsr_receive_slots(ROOT, server_slot, D);
    tsr_receive_window(SRV_WIN, TSR_PAGE_SIZE);
    struct tsr_msg m = {0};
    uint64_t badge;
    tsr_recv(flood_ep, reply, &m, &badge);
    for (;;) {
        served++;
        if (tsr_msginfo_caps(m.info)) {
            shares_received++;
            tsr_cnode_delete(ROOT, server_slot, D);
        }
        uint64_t label = tsr_msginfo_label(m.info);
        m = (struct tsr_msg){.info = tsr_msginfo(label + 1, 0, 1), .mr = {m.mr[0] + 1}};
        tsr_reply_recv(flood_ep, reply, &m, &badge);
    }
}

static bool all_started(void)
{
    for (unsigned i = 0; i < FLOODERS; i++)
        if (sent_ok[i] + would_block[i] + other[i] == 0)
            return false;
    return true;
}

/* Every flooder but the NBSend ones has had a call answered since `before`. */
static bool all_progressed(const uint64_t *before)
{
    for (unsigned i = 0; i < FLOODERS; i++)
        if (i % 4 != NB_SEND && sent_ok[i] <= before[i])
            return false;
    return true;
}

static bool map_new(uint64_t va, tsr_cptr_t *frame)
{
    tsr_cptr_t f = t_new(TSR_OBJ_FRAME_4K, 0);
    CHECK(f);
    CHECK_OK(tsr_vm_map(f, TSR_INIT_VSPACE, va, TSR_RIGHT_READ | TSR_RIGHT_WRITE, 0));
    if (frame)
        *frame = f;
    return true;
}

static bool flood_endpoint(void)
{
    unsigned p = test_bootinfo->root_priority;
    stop = false;
    for (unsigned i = 0; i < FLOODERS; i++)
        sent_ok[i] = would_block[i] = queue_full[i] = other[i] = 0;
    CHECK_OK(tsr_vm_ensure_tables(TSR_INIT_VSPACE, LONG_VA, 1u << 21));
    for (unsigned i = 0; i < 8; i++)
        CHECK(map_new(LONG_VA + i * TSR_PAGE_SIZE, 0));
    /* One frame per flooder, in consecutive slots (only the sharing ones
     * use theirs). */
    share_frames = t_slots(FLOODERS);
    CHECK(share_frames);
    CHECK_OK(tsr_untyped_retype(test_region, TSR_OBJ_FRAME_4K, 0, ROOT, ROOT, D, share_frames,
                                FLOODERS));
    for (unsigned i = 0; i < FLOODERS; i++)
        CHECK_OK(tsr_vm_map(share_frames + i, TSR_INIT_VSPACE, SHARE_VA + i * TSR_PAGE_SIZE,
                            TSR_RIGHT_READ | TSR_RIGHT_WRITE, 0));
    flood_ep = t_new(TSR_OBJ_ENDPOINT, 0);
    tsr_cptr_t reply = t_new(TSR_OBJ_REPLY, 0);
    server_slot = t_slot();
    CHECK(flood_ep && reply && server_slot);
    CHECK(t_thread(flood_server, reply, p, 0));
    for (unsigned i = 0; i < FLOODERS; i++)
        CHECK(t_thread(flooder, i, p, 0));
    /* Let the flood start: every flooder has had an answer or an error. (A
     * caller and a server at one priority otherwise pass the CPU back and
     * forth directly, and a short run ends before anyone else's turn.) */
    for (unsigned spins = 0; spins < 10000 && !all_started(); spins++)
        tsr_yield();
    CHECK(all_started());
    uint64_t before[FLOODERS];
    for (unsigned i = 0; i < FLOODERS; i++)
        before[i] = sent_ok[i];
    /* The ninth client: ordinary Calls, each answered. */
    for (uint64_t k = 0; k < CALLS; k++) {
        struct tsr_msg m = {.info = tsr_msginfo(ORDINARY, 0, 1), .mr = {k}};
        CHECK_OK(tsr_call(flood_ep, &m));
        CHECK_EQ(tsr_msginfo_label(m.info), ORDINARY + 1);
        CHECK_EQ(m.mr[0], k + 1);
    }
    /* Every flooder that calls gets through again: one that was runnable
     * but not queued when the ninth began may not have had a turn while
     * the ninth and the server passed the CPU back and forth (how many of
     * its 200 calls fit in a timeslice depends on the host's speed when
     * the timer is not counted in instructions), so give them turns. */
    for (unsigned spins = 0; spins < 10000 && !all_progressed(before); spins++)
        tsr_yield();
    stop = true;
    /* Every flooder got through, and saw nothing undocumented: Calls
     * succeed (they wait their turn), NBSend is OK or WOULD_BLOCK. */
    for (unsigned i = 0; i < FLOODERS; i++) {
        CHECK_EQ(other[i] + queue_full[i], 0);
        if (i % 4 == NB_SEND) {
            CHECK(sent_ok[i] + would_block[i] > 0); /* (mostly the latter) */
        } else {
            CHECK(sent_ok[i] > before[i]); /* served since the ninth began */
            CHECK_EQ(would_block[i], 0);
        }
    }
    CHECK(shares_received > 0);
    CHECK(served > CALLS);
    return true;
}

/* ---- a message queue --------------------------------------------------------- */

#define QUOTA 4
#define Q_BITS 14
#define Q_VIEW 0x5c200000ull

static tsr_cptr_t queue_senders; /* FLOODERS + 1 consecutive sender capabilities */
static volatile uint64_t over_quota;

static void queue_flooder(uint64_t i)
{
    while (!stop) {
        struct tsr_msg m = {.info = tsr_msginfo(FLOOD, 0, 2), .mr = {i, 0}};
        tsr_error_t err = tsr_nb_send(queue_senders + i, &m);
        count((unsigned)i, err, TSR_OK);
        if (err == TSR_E_QUEUE_FULL)
            tsr_yield(); /* its share is full: spinning would only burn its turn */
    }
}

/* Drains the view, answering the ninth client's messages (badge
 * FLOODERS + 1) on its notification, and checking that no badge ever has
 * more than QUOTA messages waiting. */
static void queue_server(uint64_t answer)
{
    struct tsr_msgq_view v;
    tsr_msgq_view_init(&v, (void *)(uintptr_t)Q_VIEW);
    for (;;) {
        uint64_t tail = __atomic_load_n(&v.header->tail, __ATOMIC_ACQUIRE);
        unsigned waiting[FLOODERS + 2] = {0};
        for (uint64_t n = v.head; n != tail; n++) {
            uint64_t b = v.slots[n % v.capacity].badge;
            if (b <= FLOODERS + 1 && ++waiting[b] > QUOTA)
                over_quota++;
        }
        uint64_t badge;
        struct tsr_msg m;
        if (!tsr_msgq_view_take(&v, &badge, &m)) {
            tsr_yield();
            continue;
        }
        served++;
        if (badge == FLOODERS + 1)
            tsr_signal(answer);
    }
}

static bool flood_queue(void)
{
    unsigned p = test_bootinfo->root_priority;
    stop = false;
    served = over_quota = 0;
    for (unsigned i = 0; i < FLOODERS; i++)
        sent_ok[i] = would_block[i] = queue_full[i] = other[i] = 0;
    tsr_cptr_t q = t_new(TSR_OBJ_MSG_QUEUE, Q_BITS), answer = t_new(TSR_OBJ_NOTIFICATION, 0);
    tsr_cptr_t answer_send = t_slot();
    queue_senders = t_slots(FLOODERS + 1);
    CHECK(q && answer && answer_send && queue_senders);
    CHECK((FLOODERS + 1) * QUOTA <= tsr_msgq_capacity(Q_BITS)); /* room for every share */
    for (unsigned i = 0; i <= FLOODERS; i++)
        CHECK_OK(tsr_cnode_mint(ROOT, queue_senders + i, D, ROOT, q, D, TSR_RIGHT_WRITE,
                                TSR_MSGQ_SENDER(i + 1, QUOTA)));
    CHECK_OK(tsr_cnode_mint(ROOT, answer_send, D, ROOT, answer, D, TSR_RIGHT_WRITE, 1));
    CHECK_OK(tsr_vm_ensure_tables(TSR_INIT_VSPACE, Q_VIEW, 1u << Q_BITS));
    CHECK_OK(tsr_msgq_map(q, TSR_INIT_VSPACE, Q_VIEW));
    CHECK(t_thread(queue_server, answer_send, p, 0));
    for (unsigned i = 0; i < FLOODERS; i++)
        CHECK(t_thread(queue_flooder, i, p, 0));
    /* The ninth: each message accepted at once, and answered. */
    for (uint64_t k = 0; k < CALLS; k++) {
        struct tsr_msg m = {.info = tsr_msginfo(ORDINARY, 0, 1), .mr = {k}};
        CHECK_OK(tsr_nb_send(queue_senders + FLOODERS, &m));
        uint64_t bits;
        CHECK_OK(tsr_wait(answer, &bits));
    }
    stop = true;
    CHECK_EQ(over_quota, 0);
    for (unsigned i = 0; i < FLOODERS; i++) {
        CHECK(sent_ok[i] > 0);
        CHECK_EQ(other[i] + would_block[i], 0); /* OK or QUEUE_FULL only */
    }
    uint64_t full = 0;
    for (unsigned i = 0; i < FLOODERS; i++)
        full += queue_full[i];
    CHECK(full > 0); /* they did flood */
    return true;
}

/* ---- rings --------------------------------------------------------------------- */

#define RING_BASE 0x5c400000ull
#define RING_DATA 256u
#define RING_STRIDE 0x1000u /* one page per ring: 320 + 256 bytes */

static struct tsr_ring producer[FLOODERS + 1];
static tsr_cptr_t server_ntfn_send, ninth_ntfn, ninth_ntfn_send;

/* Writes as fast as its ring takes records; a full ring is its own. */
static void ring_flooder(uint64_t i)
{
    uint64_t word = i;
    while (!stop) {
        tsr_ring_status_t st = tsr_ring_try_write(&producer[i], &word, sizeof word);
        if (st == TSR_RING_OK) {
            sent_ok[i]++;
        } else if (st == TSR_RING_E_FULL) {
            queue_full[i]++;
            tsr_yield();
        } else {
            other[i]++;
        }
    }
}

/* One record from each ring in turn (so no ring can starve another),
 * sleeping when all are empty; the ninth client's records are answered. */
static void ring_server(uint64_t server_ntfn)
{
    struct tsr_ring consumer[FLOODERS + 1];
    for (unsigned i = 0; i <= FLOODERS; i++) {
        struct tsr_ring_notify n;
        tsr_ring_notify_init(&n, server_ntfn, i == FLOODERS ? ninth_ntfn_send : 0);
        tsr_ring_attach(&consumer[i], (void *)(uintptr_t)(RING_BASE + i * RING_STRIDE),
                        RING_DATA, TSR_RING_CONSUMER, &n);
    }
    for (;;) {
        bool any = false;
        for (unsigned i = 0; i <= FLOODERS; i++) {
            uint64_t word;
            size_t len;
            if (tsr_ring_try_read(&consumer[i], &word, sizeof word, &len) != TSR_RING_OK)
                continue;
            any = true;
            served++;
            if (i == FLOODERS)
                tsr_signal(ninth_ntfn_send);
        }
        if (!any) {
            uint64_t bits;
            tsr_poll(server_ntfn, &bits);
            tsr_yield();
        }
    }
}

static bool flood_rings(void)
{
    unsigned p = test_bootinfo->root_priority;
    stop = false;
    served = 0;
    for (unsigned i = 0; i < FLOODERS; i++)
        sent_ok[i] = would_block[i] = queue_full[i] = other[i] = 0;
    tsr_cptr_t server_ntfn = t_new(TSR_OBJ_NOTIFICATION, 0);
    ninth_ntfn = t_new(TSR_OBJ_NOTIFICATION, 0);
    server_ntfn_send = t_slot();
    ninth_ntfn_send = t_slot();
    CHECK(server_ntfn && ninth_ntfn && server_ntfn_send && ninth_ntfn_send);
    CHECK_OK(tsr_cnode_mint(ROOT, server_ntfn_send, D, ROOT, server_ntfn, D, TSR_RIGHT_WRITE, 1));
    CHECK_OK(tsr_cnode_mint(ROOT, ninth_ntfn_send, D, ROOT, ninth_ntfn, D, TSR_RIGHT_WRITE, 1));
    CHECK_OK(tsr_vm_ensure_tables(TSR_INIT_VSPACE, RING_BASE, (FLOODERS + 1) * RING_STRIDE));
    for (unsigned i = 0; i <= FLOODERS; i++) {
        void *region = (void *)(uintptr_t)(RING_BASE + i * RING_STRIDE);
        CHECK(map_new(RING_BASE + i * RING_STRIDE, 0));
        CHECK_EQ(tsr_ring_format(region, RING_DATA), TSR_RING_OK);
        struct tsr_ring_notify n;
        tsr_ring_notify_init(&n, i == FLOODERS ? ninth_ntfn : 0, server_ntfn_send);
        CHECK_EQ(tsr_ring_attach(&producer[i], region, RING_DATA, TSR_RING_PRODUCER, &n),
                 TSR_RING_OK);
    }
    CHECK(t_thread(ring_server, server_ntfn, p, 0));
    for (unsigned i = 0; i < FLOODERS; i++)
        CHECK(t_thread(ring_flooder, i, p, 0));
    for (uint64_t k = 0; k < CALLS; k++) {
        CHECK_EQ(tsr_ring_try_write(&producer[FLOODERS], &k, sizeof k), TSR_RING_OK);
        uint64_t bits;
        CHECK_OK(tsr_wait(ninth_ntfn, &bits));
    }
    stop = true;
    uint64_t full = 0;
    for (unsigned i = 0; i < FLOODERS; i++) {
        CHECK(sent_ok[i] > 0);
        CHECK_EQ(other[i], 0);
        full += queue_full[i];
    }
    CHECK(full > 0); /* they did fill their rings */
    return true;
}

const struct test flood_tests[] = {
    {"FLOOD0001", "8 flooders (calls, long, shares, NBSend) vs one caller: answered every time", flood_endpoint},
    {"FLOOD0002", "8 flooders on a queue with quotas: the ninth always has room", flood_queue},
    {"FLOOD0003", "8 flooding rings, one server taking in turn: the ninth is served", flood_rings},
    {0, 0, 0},
};
