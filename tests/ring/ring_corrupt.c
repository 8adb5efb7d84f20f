/* SPDX-License-Identifier: MIT */
/* The peer is hostile (RING0030-RING0049): every index and record header it
 * can write is corrupted in each way that matters, and each gives its
 * documented error, sticky from then on, with no access outside the region
 * (ASan watches: the region is allocated at exactly its size). A seeded
 * random run then corrupts anything in the region while both sides work,
 * and checks that every result is one the API documents. */
#include <stdbool.h>
#include <string.h>

#include "ring_fixture.h"
#include "ring_test.h"

/* Fill the ring exactly with 24-byte records (32 bytes each); returns how
 * many (size / 32). */
static uint64_t fill(struct fixture *f)
{
    uint64_t n = 0;
    while (fixture_put(f, n, 24) == TSR_RING_OK)
        n++;
    return n;
}

/* The producer's next write must read the tail; the consumer's next read
 * must read the head. Both report `expect`, and keep reporting it. */
static int producer_sees(struct fixture *f, tsr_ring_status_t expect)
{
    unsigned char buf[8] = {0};
    size_t done;
    CHECK_OR(tsr_ring_try_write(&f->producer, buf, 8) == expect, -1);
    CHECK_OR(tsr_ring_try_write(&f->producer, buf, 8) == expect, -1);
    CHECK_OR(tsr_ring_write(&f->producer, buf, 8) == expect, -1);
    CHECK_OR(tsr_ring_try_stream_write(&f->producer, buf, 8, &done) == expect, -1);
    CHECK_OR(done == 0, -1);
    CHECK_OR(tsr_ring_stream_write(&f->producer, buf, 8, &done) == expect, -1);
    return 0;
}

static int consumer_sees(struct fixture *f, tsr_ring_status_t expect)
{
    unsigned char buf[300];
    size_t len, done;
    CHECK_OR(tsr_ring_try_read(&f->consumer, buf, sizeof buf, &len) == expect, -1);
    CHECK_OR(len == 0, -1);
    CHECK_OR(tsr_ring_try_read(&f->consumer, buf, sizeof buf, &len) == expect, -1);
    CHECK_OR(tsr_ring_read(&f->consumer, buf, sizeof buf, &len) == expect, -1);
    CHECK_OR(tsr_ring_try_stream_read(&f->consumer, buf, 8, &done) == expect, -1);
    CHECK_OR(done == 0, -1);
    CHECK_OR(tsr_ring_stream_read(&f->consumer, buf, 8, &done) == expect, -1);
    return 0;
}

/* ---- The consumer's tail, as the producer sees it ------------------------ */

TEST(RING0030, "a tail after the head is PEER_INDEX, and stays so")
{
    struct fixture f;
    CHECK(fixture_init(&f, 256, 0) == 0);
    fill(&f);
    set_shared_word(&f, OFF_TAIL, 256 + 8);
    CHECK(producer_sees(&f, TSR_RING_E_PEER_INDEX) == 0);
    set_shared_word(&f, OFF_TAIL, 0); /* put right: too late */
    CHECK(producer_sees(&f, TSR_RING_E_PEER_INDEX) == 0);
    fixture_free(&f);
}

TEST(RING0031, "a tail that moved back is PEER_INDEX")
{
    struct fixture f;
    CHECK(fixture_init(&f, 256, 0) == 0);
    fill(&f);
    CHECK(fixture_take(&f, 0, 24) == 0);
    CHECK(fixture_take(&f, 1, 24) == 0);
    CHECK_EQ(fixture_put(&f, 8, 24), TSR_RING_OK); /* producer saw tail 64 */
    CHECK_EQ(fixture_put(&f, 9, 24), TSR_RING_OK);
    set_shared_word(&f, OFF_TAIL, 32); /* back, yet within a ring of the head */
    CHECK(producer_sees(&f, TSR_RING_E_PEER_INDEX) == 0);
    fixture_free(&f);
}

TEST(RING0032, "a tail more than a ring behind the head is PEER_INDEX")
{
    struct fixture f;
    CHECK(fixture_init(&f, 256, 1024) == 0);
    fill(&f);
    set_shared_word(&f, OFF_TAIL, 1024 - 8);
    CHECK(producer_sees(&f, TSR_RING_E_PEER_INDEX) == 0);
    fixture_free(&f);
}

TEST(RING0033, "a tail far away (2^63 off) is PEER_INDEX")
{
    struct fixture f;
    CHECK(fixture_init(&f, 256, 0) == 0);
    fill(&f);
    set_shared_word(&f, OFF_TAIL, UINT64_C(1) << 63);
    CHECK(producer_sees(&f, TSR_RING_E_PEER_INDEX) == 0);
    fixture_free(&f);
}

/* ---- The producer's head, as the consumer sees it ------------------------ */

TEST(RING0034, "a head not at a record boundary (not a multiple of 8) is PEER_INDEX")
{
    struct fixture f;
    CHECK(fixture_init(&f, 256, 0) == 0);
    CHECK_EQ(fixture_put(&f, 0, 24), TSR_RING_OK);
    set_shared_word(&f, OFF_HEAD, 36);
    CHECK(consumer_sees(&f, TSR_RING_E_PEER_INDEX) == 0);
    set_shared_word(&f, OFF_HEAD, 32);
    CHECK(consumer_sees(&f, TSR_RING_E_PEER_INDEX) == 0);
    fixture_free(&f);
}

TEST(RING0035, "a head more than a ring ahead of the tail is PEER_INDEX")
{
    struct fixture f;
    CHECK(fixture_init(&f, 256, 0) == 0);
    CHECK_EQ(fixture_put(&f, 0, 24), TSR_RING_OK);
    set_shared_word(&f, OFF_HEAD, 256 + 8);
    CHECK(consumer_sees(&f, TSR_RING_E_PEER_INDEX) == 0);
    fixture_free(&f);
}

TEST(RING0036, "a head that moved back is PEER_INDEX, found when it is next read")
{
    struct fixture f;
    CHECK(fixture_init(&f, 256, 0) == 0);
    for (uint64_t seq = 0; seq < 3; seq++)
        CHECK_EQ(fixture_put(&f, seq, 24), TSR_RING_OK);
    CHECK(fixture_take(&f, 0, 24) == 0); /* the consumer read head 96 */
    set_shared_word(&f, OFF_HEAD, 32);
    /* What it already checked it still uses: the two records are intact. */
    CHECK(fixture_take(&f, 1, 24) == 0);
    CHECK(fixture_take(&f, 2, 24) == 0);
    CHECK(consumer_sees(&f, TSR_RING_E_PEER_INDEX) == 0);
    fixture_free(&f);
}

/* ---- Record headers ------------------------------------------------------ */

/* One good record at 0, then its header replaced by `word`. */
static int corrupt_header(struct fixture *f, uint64_t word, size_t len)
{
    CHECK_OR(fixture_init(f, 256, 0) == 0, -1);
    CHECK_OR(fixture_put(f, 0, len) == TSR_RING_OK, -1);
    memcpy(f->region + TSR_RING_HEADER_SIZE, &word, 8);
    return 0;
}

TEST(RING0037, "a record header with a wrong tag is PEER_RECORD")
{
    struct fixture f;
    CHECK(corrupt_header(&f, record_header_word(24) ^ (UINT64_C(1) << 40), 24) == 0);
    CHECK(consumer_sees(&f, TSR_RING_E_PEER_RECORD) == 0);
    fixture_free(&f);
    /* Memory that never held a header: zeros, and the fill pattern. */
    CHECK(corrupt_header(&f, 0, 24) == 0);
    CHECK(consumer_sees(&f, TSR_RING_E_PEER_RECORD) == 0);
    fixture_free(&f);
    CHECK(corrupt_header(&f, UINT64_C(0xa5a5a5a5a5a5a5a5), 24) == 0);
    CHECK(consumer_sees(&f, TSR_RING_E_PEER_RECORD) == 0);
    fixture_free(&f);
}

TEST(RING0038, "a record longer than the ring can hold is PEER_RECORD")
{
    struct fixture f;
    CHECK(corrupt_header(&f, record_header_word(249), 24) == 0);
    set_shared_word(&f, OFF_HEAD, 256); /* even with a full ring published */
    CHECK(consumer_sees(&f, TSR_RING_E_PEER_RECORD) == 0);
    fixture_free(&f);
    CHECK(corrupt_header(&f, record_header_word(UINT32_MAX), 24) == 0);
    CHECK(consumer_sees(&f, TSR_RING_E_PEER_RECORD) == 0);
    fixture_free(&f);
}

TEST(RING0039, "a record that runs past the published head is PEER_RECORD")
{
    struct fixture f;
    /* 24 bytes written (32 published); the header claims 25 (40 bytes). */
    CHECK(corrupt_header(&f, record_header_word(25), 24) == 0);
    CHECK(consumer_sees(&f, TSR_RING_E_PEER_RECORD) == 0);
    fixture_free(&f);
    /* The longest record the ring holds, claimed where only 32 bytes are. */
    CHECK(corrupt_header(&f, record_header_word(248), 24) == 0);
    CHECK(consumer_sees(&f, TSR_RING_E_PEER_RECORD) == 0);
    fixture_free(&f);
}

TEST(RING0040, "a bad record met by a stream read: done counts the good bytes before it")
{
    struct fixture f;
    unsigned char buf[100];
    size_t done;
    CHECK(fixture_init(&f, 256, 0) == 0);
    CHECK_EQ(fixture_put(&f, 1, 10), TSR_RING_OK);
    CHECK_EQ(fixture_put(&f, 2, 10), TSR_RING_OK);
    memset(f.region + TSR_RING_HEADER_SIZE + 24, 0xff, 8); /* the second header */
    CHECK_EQ(tsr_ring_try_stream_read(&f.consumer, buf, sizeof buf, &done), TSR_RING_E_PEER_RECORD);
    CHECK_EQ(done, 10);
    CHECK_EQ(check_pattern(buf, 10, 1), 10);
    CHECK(consumer_sees(&f, TSR_RING_E_PEER_RECORD) == 0);
    fixture_free(&f);
}

TEST(RING0041, "a record rewritten after its header was checked is read as checked")
{
    /* A stream read took the header and part of the payload; the producer
     * then scribbles over the rest and the header. The consumer goes on with
     * the length it checked, within the published bytes. */
    struct fixture f;
    unsigned char buf[300];
    size_t done, len;
    CHECK(fixture_init(&f, 256, 0) == 0);
    CHECK_EQ(fixture_put(&f, 1, 100), TSR_RING_OK);
    CHECK_EQ(tsr_ring_try_stream_read(&f.consumer, buf, 30, &done), TSR_RING_OK);
    memset(f.region + TSR_RING_HEADER_SIZE, 0xee, 108);
    CHECK_EQ(tsr_ring_try_read(&f.consumer, buf, sizeof buf, &len), TSR_RING_OK);
    CHECK_EQ(len, 70);
    CHECK_EQ(buf[0], 0xee);
    CHECK_EQ(tsr_ring_try_read(&f.consumer, buf, sizeof buf, &len), TSR_RING_E_EMPTY);
    fixture_free(&f);
}

/* ---- Corruption while a side sleeps -------------------------------------- */

static void corrupt_head_and_signal(void *ctx)
{
    struct fixture *f = ctx;
    set_shared_word(f, OFF_HEAD, 12);
    fake_signal(&f->consumer_wakes);
}

static void corrupt_tail_and_signal(void *ctx)
{
    struct fixture *f = ctx;
    set_shared_word(f, OFF_TAIL, f->producer.index + 64);
    fake_signal(&f->producer_wakes);
}

TEST(RING0042, "an index corrupted while its reader sleeps is found on waking")
{
    struct fixture f;
    unsigned char buf[64];
    size_t len;
    CHECK(fixture_init(&f, 256, 0) == 0);
    f.consumer_wakes.while_asleep = corrupt_head_and_signal;
    f.consumer_wakes.ctx = &f;
    CHECK_EQ(tsr_ring_read(&f.consumer, buf, sizeof buf, &len), TSR_RING_E_PEER_INDEX);
    CHECK_EQ(f.consumer_wakes.waits, 1);
    fixture_free(&f);

    CHECK(fixture_init(&f, 256, 0) == 0);
    fill(&f);
    f.producer_wakes.while_asleep = corrupt_tail_and_signal;
    f.producer_wakes.ctx = &f;
    CHECK_EQ(tsr_ring_write(&f.producer, buf, 8), TSR_RING_E_PEER_INDEX);
    CHECK_EQ(f.producer_wakes.waits, 1);
    fixture_free(&f);
}

TEST(RING0043, "an index already corrupt when a side goes to sleep is found before the wait")
{
    /* The producer's head goes bad while the consumer still reads from its
     * cache; it is caught when the consumer looks again, before sleeping. */
    struct fixture f;
    unsigned char buf[64];
    size_t len;
    CHECK(fixture_init(&f, 256, 0) == 0);
    CHECK_EQ(tsr_ring_try_read(&f.consumer, buf, sizeof buf, &len), TSR_RING_E_EMPTY);
    set_shared_word(&f, OFF_HEAD, 3);
    CHECK_EQ(tsr_ring_read(&f.consumer, buf, sizeof buf, &len), TSR_RING_E_PEER_INDEX);
    CHECK_EQ(f.consumer_wakes.waits, 0);
    fixture_free(&f);
}

TEST(RING0044, "hostile sleep words change only who is signalled")
{
    struct fixture f;
    uint64_t rng = 44;
    CHECK(fixture_init(&f, 256, 0) == 0);
    for (uint64_t seq = 0; seq < 2000; seq++) {
        set_shared_word(&f, OFF_CONSUMER_SLEEP, rng_next(&rng));
        set_shared_word(&f, OFF_PRODUCER_SLEEP, rng_next(&rng));
        set_shared_word(&f, OFF_PRODUCER_WAKE_TAIL, rng_next(&rng));
        CHECK_EQ(fixture_put(&f, seq, seq % 50), TSR_RING_OK);
        CHECK(fixture_take(&f, seq, seq % 50) == 0);
    }
    /* Roughly half the random words were odd: the signals went out, and the
     * data was never affected. */
    CHECK(f.consumer_wakes.signals > 500);
    CHECK(f.producer_wakes.signals > 0);
    fixture_free(&f);
}

/* ---- Anything, anywhere, any time ---------------------------------------- */

static bool one_of(tsr_ring_status_t st, const tsr_ring_status_t *allowed, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (st == allowed[i])
            return true;
    return false;
}

#define ALLOWED(st, ...)                                                                           \
    one_of((st), (const tsr_ring_status_t[]){__VA_ARGS__},                                         \
           sizeof((const tsr_ring_status_t[]){__VA_ARGS__}) / sizeof(tsr_ring_status_t))

/* Write something plausible or random at a random place in the region. */
static void corrupt_somewhere(struct fixture *f, uint64_t *rng)
{
    size_t region = TSR_RING_HEADER_SIZE + f->size;
    uint64_t value;
    size_t at;
    switch (rng_below(rng, 6)) {
    case 0: /* the head, near where it is */
        set_shared_word(f, OFF_HEAD, f->producer.index + rng_below(rng, 64) - 32);
        return;
    case 1: /* the tail, near where it is */
        set_shared_word(f, OFF_TAIL, f->consumer.index + rng_below(rng, 64) - 32);
        return;
    case 2: /* either index, anything */
        set_shared_word(f, rng_below(rng, 2) ? OFF_HEAD : OFF_TAIL, rng_next(rng));
        return;
    case 3: /* a record header with a well-formed tag and any length */
        value = record_header_word(rng_below(rng, f->size + 64));
        at = TSR_RING_HEADER_SIZE + (size_t)(rng_below(rng, f->size / 8) * 8);
        memcpy(f->region + at, &value, 8);
        return;
    case 4: /* a random word anywhere in the region, header included */
        value = rng_next(rng);
        at = (size_t)(rng_below(rng, region / 8) * 8);
        memcpy(f->region + at, &value, 8);
        return;
    default: /* a random byte in the data area */
        f->region[TSR_RING_HEADER_SIZE + rng_below(rng, f->size)] = (unsigned char)rng_next(rng);
        return;
    }
}

TEST(RING0045, "random corruption of the region while both sides work (seeded)")
{
    static unsigned char buf[4096];
    uint64_t rng = 45;
    int peer_errors = 0, rounds = 0;
    long steps = 0, moved_ok = 0;
    for (int round = 0; round < 1000; round++) {
        struct fixture f;
        size_t size = (size_t)64 << rng_below(&rng, 5); /* 64 .. 1024 */
        uint64_t start = rng_below(&rng, 2) ? 0 : (uint64_t)0 - 8 * rng_below(&rng, 300);
        CHECK(fixture_init(&f, size, start) == 0);
        rounds++;
        for (int step = 0; step < 2000; step++) {
            /* Mostly lengths that fit, sometimes up to twice the ring. */
            size_t n = (size_t)rng_below(&rng, rng_below(&rng, 8) ? size / 2 : 2 * size);
            size_t done = 0, len = 0;
            tsr_ring_status_t was_p = f.producer.broken, was_c = f.consumer.broken;
            tsr_ring_status_t st;
            steps++;
            if (rng_below(&rng, 64) == 0)
                corrupt_somewhere(&f, &rng);
            uint64_t op = rng_below(&rng, 6);
            bool on_producer = op <= 2;
            switch (op) {
            case 0:
                st = tsr_ring_try_write(&f.producer, buf, n);
                CHECK(ALLOWED(st, TSR_RING_OK, TSR_RING_E_FULL, TSR_RING_E_RECORD_TOO_LONG,
                              TSR_RING_E_PEER_INDEX));
                break;
            case 1:
                st = tsr_ring_try_stream_write(&f.producer, buf, n, &done);
                CHECK(ALLOWED(st, TSR_RING_OK, TSR_RING_E_FULL, TSR_RING_E_PEER_INDEX));
                CHECK(done <= n);
                break;
            case 2: /* blocking: nobody acts while it sleeps, so a wait fails */
                st = tsr_ring_write(&f.producer, buf, n % (size - 7));
                CHECK(ALLOWED(st, TSR_RING_OK, TSR_RING_E_NOTIFY_FAILED, TSR_RING_E_PEER_INDEX));
                break;
            case 3:
                st = tsr_ring_try_read(&f.consumer, buf, n, &len);
                CHECK(ALLOWED(st, TSR_RING_OK, TSR_RING_E_EMPTY, TSR_RING_E_BUFFER_TOO_SMALL,
                              TSR_RING_E_PEER_INDEX, TSR_RING_E_PEER_RECORD));
                CHECK(st != TSR_RING_OK || len <= n);
                CHECK(len < size);
                break;
            case 4:
                st = tsr_ring_try_stream_read(&f.consumer, buf, n, &done);
                CHECK(ALLOWED(st, TSR_RING_OK, TSR_RING_E_EMPTY, TSR_RING_E_PEER_INDEX,
                              TSR_RING_E_PEER_RECORD));
                CHECK(done <= n);
                break;
            default:
                st = tsr_ring_stream_read(&f.consumer, buf, n, &done);
                CHECK(ALLOWED(st, TSR_RING_OK, TSR_RING_E_NOTIFY_FAILED, TSR_RING_E_PEER_INDEX,
                              TSR_RING_E_PEER_RECORD));
                CHECK(done <= n);
                break;
            }
            moved_ok += st == TSR_RING_OK;
            /* A peer error, once seen, is what that side reports from then on. */
            if (was_p != TSR_RING_OK) {
                CHECK(!on_producer || st == was_p);
                CHECK_EQ(f.producer.broken, was_p);
            }
            if (was_c != TSR_RING_OK) {
                CHECK(on_producer || st == was_c);
                CHECK_EQ(f.consumer.broken, was_c);
            }
            /* Once a call on a broken side has shown that the error sticks,
             * the round has nothing left to test. */
            if ((was_p != TSR_RING_OK && on_producer) || (was_c != TSR_RING_OK && !on_producer))
                break;
            /* Reset the fake notifications: each blocking call starts clean. */
            f.producer_wakes.pending = f.consumer_wakes.pending = 0;
        }
        peer_errors += f.producer.broken != TSR_RING_OK || f.consumer.broken != TSR_RING_OK;
        fixture_free(&f);
    }
    printf("  %d rounds, %ld operations (%ld OK), %d rounds ended by a peer error\n", rounds,
           steps, moved_ok, peer_errors);
    /* The corruption did reach the checks (most rounds end with an error),
     * and the sides did real work in between. */
    CHECK(peer_errors > rounds / 2);
    CHECK(moved_ok > steps / 4);
}
