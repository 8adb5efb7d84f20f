/* SPDX-License-Identifier: MIT */
/* The shared-memory ring (IPC path 6, userland/lib/ring.c, docs/ring.md) in
 * QEMU between two address spaces: the root task produces, a consumer in
 * its own address space takes, both sleeping on notifications only when
 * the other side must move. Records and byte streams wrap around the ring
 * many times; the consumer checks every byte and reports over IPC. (The
 * protocol's own tests, with real threads under ThreadSanitizer and a
 * hostile peer, are the host tests in tests/ring.) */
#include "test.h"

#include "tsr/ring.h"
#include "tsr/ring_notify.h"
#include "tsr/space.h"

#define RING_VA 0x5a000000ull
#define RING_DATA 1024u /* small, so that everything wraps often */
#define RING_PAGES 2

/* The consumer's CNode slots. */
#define C_WAIT 2   /* its notification: READ */
#define C_SIGNAL 3 /* the root task's: WRITE, badged */
#define C_EP 4     /* where it reports */

enum { RECORDS = 1, STREAM = 2 };
#define RECORD_COUNT 2000u
#define STREAM_BYTES (100u * 1024u)

static uint8_t pattern(uint64_t i)
{
    return (uint8_t)(i * 131 + (i >> 8));
}

/* Record n is (n % 300) bytes, byte i of it pattern(n + i). */
static unsigned record_length(unsigned n)
{
    return n % 300;
}

/* The consumer: mode RECORDS or STREAM. Reports (items checked, errors) to
 * C_EP; an error stops it early. Its buffer is on its stack. */
static void consumer(uint64_t mode)
{
    struct tsr_ring r;
    struct tsr_ring_notify n;
    tsr_ring_notify_init(&n, C_WAIT, C_SIGNAL);
    uint64_t good = 0, bad = 0;
    uint8_t buf[512];
    tsr_ring_status_t st = tsr_ring_attach(&r, (void *)(uintptr_t)RING_VA, RING_DATA,
                                           TSR_RING_CONSUMER, &n);
    if (mode == RECORDS) {
        for (unsigned k = 0; st == TSR_RING_OK && k < RECORD_COUNT; k++) {
            size_t len;
            st = tsr_ring_read(&r, buf, sizeof buf, &len);
            bool ok = st == TSR_RING_OK && len == record_length(k);
            for (size_t i = 0; ok && i < len; i++)
                ok = buf[i] == pattern(k + i);
            ok ? good++ : bad++;
        }
    } else {
        for (uint64_t at = 0; st == TSR_RING_OK && at < STREAM_BYTES;) {
            size_t want = STREAM_BYTES - at < 333 ? STREAM_BYTES - at : 333, got;
            st = tsr_ring_stream_read(&r, buf, want, &got);
            for (size_t i = 0; i < got; i++)
                buf[i] == pattern(at + i) ? good++ : bad++;
            at += got;
        }
    }
    struct tsr_msg m = {.info = tsr_msginfo(mode, 0, 3), .mr = {good, bad, st}};
    tsr_send(C_EP, &m);
}

struct ring_pair {
    struct tsr_ring producer;
    tsr_cptr_t ep;
};

/* The region mapped here and there, formatted; the consumer started. */
static bool start_pair(struct ring_pair *p, uint64_t mode)
{
    struct tsr_space s;
    p->ep = t_new(TSR_OBJ_ENDPOINT, 0);
    tsr_cptr_t mine = t_new(TSR_OBJ_NOTIFICATION, 0), theirs = t_new(TSR_OBJ_NOTIFICATION, 0);
    tsr_cptr_t signal_theirs = t_slot();
    CHECK(p->ep && mine && theirs && signal_theirs);
    CHECK_OK(tsr_space_create(&s, test_bootinfo, test_region, 4, t_slot, 0));
    CHECK_OK(tsr_space_give(&s, C_WAIT, theirs, TSR_RIGHT_READ, 0));
    CHECK_OK(tsr_space_give(&s, C_SIGNAL, mine, TSR_RIGHT_WRITE, 1));
    CHECK_OK(tsr_space_give(&s, C_EP, p->ep, TSR_RIGHT_WRITE, 0));
    CHECK_OK(tsr_cnode_mint(ROOT, signal_theirs, D, ROOT, theirs, D, TSR_RIGHT_WRITE, 1));
    CHECK_OK(tsr_vm_ensure_tables(TSR_INIT_VSPACE, RING_VA, RING_PAGES * TSR_PAGE_SIZE));
    for (unsigned i = 0; i < RING_PAGES; i++) {
        tsr_cptr_t f = t_new(TSR_OBJ_FRAME_4K, 0);
        uint64_t va = RING_VA + i * TSR_PAGE_SIZE;
        CHECK(f);
        CHECK_OK(tsr_vm_map(f, TSR_INIT_VSPACE, va, TSR_RIGHT_READ | TSR_RIGHT_WRITE, 0));
        CHECK_OK(tsr_space_map(&s, f, va, TSR_RIGHT_READ | TSR_RIGHT_WRITE, 0, 0));
    }
    CHECK(tsr_ring_region_size(RING_DATA) <= RING_PAGES * TSR_PAGE_SIZE);
    CHECK_EQ(tsr_ring_format((void *)(uintptr_t)RING_VA, RING_DATA), TSR_RING_OK);
    struct tsr_ring_notify n;
    tsr_ring_notify_init(&n, mine, signal_theirs);
    CHECK_EQ(tsr_ring_attach(&p->producer, (void *)(uintptr_t)RING_VA, RING_DATA,
                             TSR_RING_PRODUCER, &n),
             TSR_RING_OK);
    CHECK_OK(tsr_space_start(&s, consumer, mode, test_bootinfo->root_priority));
    return true;
}

static bool consumer_reports(tsr_cptr_t ep, uint64_t mode, uint64_t good)
{
    struct tsr_msg m = {0};
    uint64_t badge;
    CHECK_OK(tsr_recv(ep, 0, &m, &badge));
    CHECK_EQ(tsr_msginfo_label(m.info), mode);
    CHECK_EQ(m.mr[2], TSR_RING_OK);
    CHECK_EQ(m.mr[1], 0);
    CHECK_EQ(m.mr[0], good);
    return true;
}

static bool ring_records(void)
{
    struct ring_pair p;
    CHECK(start_pair(&p, RECORDS));
    uint8_t buf[300];
    uint64_t bytes = 0;
    for (unsigned k = 0; k < RECORD_COUNT; k++) {
        unsigned len = record_length(k);
        for (unsigned i = 0; i < len; i++)
            buf[i] = pattern(k + i);
        CHECK_EQ(tsr_ring_write(&p.producer, buf, len), TSR_RING_OK);
        bytes += 8 + ((len + 7) & ~7u);
    }
    CHECK(bytes > 100 * RING_DATA); /* the ring wrapped many times */
    CHECK(consumer_reports(p.ep, RECORDS, RECORD_COUNT));
    return true;
}

static bool ring_stream(void)
{
    struct ring_pair p;
    CHECK(start_pair(&p, STREAM));
    uint8_t buf[700];
    for (uint64_t at = 0; at < STREAM_BYTES;) {
        size_t n = STREAM_BYTES - at < sizeof buf ? STREAM_BYTES - at : sizeof buf, done;
        for (size_t i = 0; i < n; i++)
            buf[i] = pattern(at + i);
        CHECK_EQ(tsr_ring_stream_write(&p.producer, buf, n, &done), TSR_RING_OK);
        CHECK_EQ(done, n);
        at += n;
    }
    CHECK(consumer_reports(p.ep, STREAM, STREAM_BYTES));
    return true;
}

const struct test ring_tests[] = {
    {"RING0101", "ring between address spaces: 2,000 records, wrapping, every byte checked", ring_records},
    {"RING0102", "ring byte stream: 100 KiB through 1 KiB, read in other pieces", ring_stream},
    {0, 0, 0},
};
