/* SPDX-License-Identifier: MIT */
/* Unit tests of sleeping and waking (RING0020-RING0029), deterministic in
 * one thread: the fake notification's wait lets the other side act while
 * this side "sleeps", and counts a lost wake-up if that side then does not
 * signal. Checks who signals, how often, and when. */
#include <string.h>

#include "ring_fixture.h"
#include "ring_test.h"

TEST(RING0020, "nobody signals while both sides are awake")
{
    struct fixture f;
    CHECK(fixture_init(&f, 256, 0) == 0);
    for (uint64_t seq = 0; seq < 1000; seq++) {
        CHECK_EQ(fixture_put(&f, seq, seq % 40), TSR_RING_OK);
        if (seq % 3 == 2) {
            for (uint64_t k = seq - 2; k <= seq; k++)
                CHECK(fixture_take(&f, k, k % 40) == 0);
        }
    }
    /* Full and empty are no reason to signal either, without a sleep. */
    unsigned char buf[64];
    size_t len;
    while (fixture_put(&f, 1, 8) == TSR_RING_OK)
        ;
    while (tsr_ring_try_read(&f.consumer, buf, sizeof buf, &len) == TSR_RING_OK)
        ;
    CHECK_EQ(tsr_ring_try_read(&f.consumer, buf, sizeof buf, &len), TSR_RING_E_EMPTY);
    CHECK_EQ(f.producer_wakes.signals, 0);
    CHECK_EQ(f.consumer_wakes.signals, 0);
    fixture_free(&f);
}

/* ---- A sleeping reader ---------------------------------------------------- */

static void write_three(void *ctx)
{
    struct fixture *f = ctx;
    for (uint64_t seq = 1; seq <= 3; seq++)
        fixture_put(f, seq, 10);
}

TEST(RING0021, "a sleeping reader is woken once, by the next record")
{
    struct fixture f;
    unsigned char buf[64];
    size_t len;
    CHECK(fixture_init(&f, 256, 0) == 0);
    f.consumer_wakes.while_asleep = write_three;
    f.consumer_wakes.ctx = &f;
    CHECK_EQ(tsr_ring_read(&f.consumer, buf, sizeof buf, &len), TSR_RING_OK);
    CHECK_EQ(len, 10);
    CHECK_EQ(check_pattern(buf, 10, 1), 10);
    CHECK_EQ(f.consumer_wakes.waits, 1);
    CHECK_EQ(f.consumer_wakes.signals, 1); /* three records, one signal */
    CHECK_EQ(f.consumer_wakes.lost_wakeups, 0);
    CHECK_EQ(shared_word(&f, OFF_CONSUMER_SLEEP), 2); /* awake again: even */
    /* Records while it is awake signal nobody. */
    CHECK(fixture_take(&f, 2, 10) == 0);
    CHECK(fixture_take(&f, 3, 10) == 0);
    CHECK_EQ(fixture_put(&f, 4, 10), TSR_RING_OK);
    CHECK_EQ(f.consumer_wakes.signals, 1);
    CHECK(fixture_take(&f, 4, 10) == 0);
    fixture_free(&f);
}

static void write_one(void *ctx)
{
    fixture_put(ctx, 77, 33);
}

TEST(RING0022, "a reader woken by a stale signal checks again and sleeps again")
{
    struct fixture f;
    unsigned char buf[64];
    size_t len;
    CHECK(fixture_init(&f, 256, 0) == 0);
    f.consumer_wakes.pending = 1; /* left over from an earlier sleep */
    f.consumer_wakes.while_asleep = write_one;
    f.consumer_wakes.ctx = &f;
    CHECK_EQ(tsr_ring_read(&f.consumer, buf, sizeof buf, &len), TSR_RING_OK);
    CHECK_EQ(len, 33);
    CHECK_EQ(check_pattern(buf, 33, 77), 33);
    CHECK_EQ(f.consumer_wakes.waits, 2);
    CHECK_EQ(f.consumer_wakes.signals, 1);
    CHECK_EQ(f.consumer_wakes.lost_wakeups, 0);
    CHECK_EQ(shared_word(&f, OFF_CONSUMER_SLEEP), 4); /* two sleeps */
    fixture_free(&f);
}

/* A stream reader that sleeps is woken too, also in the middle of a read. */
static void stream_in_two(void *ctx)
{
    struct fixture *f = ctx;
    unsigned char buf[40];
    size_t done;
    fill_pattern(buf, sizeof buf, 5);
    tsr_ring_try_stream_write(&f->producer, buf, sizeof buf, &done);
}

TEST(RING0023, "a sleeping stream reader is woken, and takes exactly what it asked")
{
    struct fixture f;
    unsigned char buf[64];
    size_t done;
    CHECK(fixture_init(&f, 256, 0) == 0);
    f.consumer_wakes.while_asleep = stream_in_two;
    f.consumer_wakes.ctx = &f;
    CHECK_EQ(tsr_ring_stream_read(&f.consumer, buf, 60, &done), TSR_RING_OK);
    CHECK_EQ(done, 60);
    CHECK_EQ(check_pattern(buf, 40, 5), 40);
    CHECK_EQ(check_pattern(buf + 40, 20, 5), 20);
    CHECK_EQ(f.consumer_wakes.waits, 2);
    CHECK_EQ(f.consumer_wakes.signals, 2);
    CHECK_EQ(f.consumer_wakes.lost_wakeups, 0);
    fixture_free(&f);
}

/* ---- A sleeping writer ---------------------------------------------------- */

struct drain {
    struct fixture *f;
    uint64_t next_seq; /* of the next record to take */
    size_t len;        /* of every record taken */
    int taken;         /* records taken while the writer slept */
    int pending_after[16];
};

/* Take records one at a time until the writer is signalled. */
static void take_until_signalled(void *ctx)
{
    struct drain *d = ctx;
    while (!d->f->producer_wakes.pending && d->taken < 16) {
        if (fixture_take(d->f, d->next_seq, d->len) != 0)
            return;
        d->next_seq++;
        d->pending_after[d->taken++] = d->f->producer_wakes.pending;
    }
}

TEST(RING0024, "a blocked writer is woken when its record fits, not before")
{
    struct fixture f;
    struct drain d = {&f, 0, 24, 0, {0}};
    unsigned char rec[56];
    CHECK(fixture_init(&f, 256, 0) == 0);
    for (uint64_t seq = 0; seq < 8; seq++) /* 8 x 32 bytes: full */
        CHECK_EQ(fixture_put(&f, seq, 24), TSR_RING_OK);
    f.producer_wakes.while_asleep = take_until_signalled;
    f.producer_wakes.ctx = &d;
    fill_pattern(rec, sizeof rec, 100);
    CHECK_EQ(tsr_ring_write(&f.producer, rec, sizeof rec), TSR_RING_OK); /* needs 64 */
    CHECK_EQ(d.taken, 2);
    CHECK_EQ(d.pending_after[0], 0); /* 32 free: not enough, no signal */
    CHECK_EQ(d.pending_after[1], 1); /* 64 free: signalled */
    CHECK_EQ(f.producer_wakes.waits, 1);
    CHECK_EQ(f.producer_wakes.signals, 1);
    CHECK_EQ(f.producer_wakes.lost_wakeups, 0);
    CHECK_EQ(shared_word(&f, OFF_PRODUCER_SLEEP), 2);
    for (uint64_t seq = 2; seq < 8; seq++)
        CHECK(fixture_take(&f, seq, 24) == 0);
    CHECK(fixture_take(&f, 100, 56) == 0);
    fixture_free(&f);
}

TEST(RING0025, "with wake space set, a blocked writer sleeps until that much is free")
{
    struct fixture f;
    struct drain d = {&f, 0, 24, 0, {0}};
    unsigned char rec[56];
    CHECK(fixture_init(&f, 256, 0) == 0);
    CHECK_EQ(tsr_ring_set_wake_space(&f.producer, 128), TSR_RING_OK);
    for (uint64_t seq = 0; seq < 8; seq++)
        CHECK_EQ(fixture_put(&f, seq, 24), TSR_RING_OK);
    f.producer_wakes.while_asleep = take_until_signalled;
    f.producer_wakes.ctx = &d;
    fill_pattern(rec, sizeof rec, 100);
    CHECK_EQ(tsr_ring_write(&f.producer, rec, sizeof rec), TSR_RING_OK);
    CHECK_EQ(d.taken, 4); /* 128 bytes free */
    CHECK_EQ(d.pending_after[2], 0);
    CHECK_EQ(d.pending_after[3], 1);
    CHECK_EQ(f.producer_wakes.signals, 1);
    fixture_free(&f);
}

struct stream_drain {
    struct fixture *f;
    unsigned char got[4096];
    size_t received;
    size_t free_at_wake[64]; /* room the writer had at each wake-up */
    int wakes;
};

/* Take the stream 8 bytes at a time until the writer is signalled, noting
 * how much room it then has. */
static void take_stream_until_signalled(void *ctx)
{
    struct stream_drain *d = ctx;
    struct fixture *f = d->f;
    while (!f->producer_wakes.pending) {
        size_t done;
        tsr_ring_status_t st =
            tsr_ring_try_stream_read(&f->consumer, d->got + d->received, 8, &done);
        d->received += done;
        if (st != TSR_RING_OK)
            return;
    }
    if (d->wakes < 64)
        d->free_at_wake[d->wakes] = f->size - (size_t)(f->producer.index - f->consumer.index);
    d->wakes++;
}

TEST(RING0026, "a blocked stream writer is woken once per piece, not per byte")
{
    struct fixture f;
    static struct stream_drain d;
    unsigned char out[2000];
    size_t done;
    memset(&d, 0, sizeof d);
    d.f = &f;
    CHECK(fixture_init(&f, 256, 0) == 0); /* pieces of 64 */
    f.producer_wakes.while_asleep = take_stream_until_signalled;
    f.producer_wakes.ctx = &d;
    fill_pattern(out, sizeof out, 9);
    CHECK_EQ(tsr_ring_stream_write(&f.producer, out, sizeof out, &done), TSR_RING_OK);
    CHECK_EQ(done, sizeof out);
    while (d.received < sizeof out) {
        CHECK_EQ(tsr_ring_try_stream_read(&f.consumer, d.got + d.received, 8, &done), TSR_RING_OK);
        d.received += done;
    }
    CHECK(memcmp(d.got, out, sizeof out) == 0);
    CHECK_EQ(f.producer_wakes.lost_wakeups, 0);
    CHECK_EQ(f.producer_wakes.signals, d.wakes);
    /* Woken only with room for a whole piece (8 + 64), but the last time,
     * when less was left to write: so at most one wake per 64 bytes, where
     * waking for the first free bytes would wake the writer every 8 bytes. */
    CHECK(d.wakes >= 2 && d.wakes <= (int)(sizeof out / 64));
    for (int i = 0; i < d.wakes - 1; i++)
        CHECK(d.free_at_wake[i] >= 72);
    CHECK(d.free_at_wake[d.wakes - 1] >= 16);
    fixture_free(&f);
}

/* ---- Failures and odd sleep words ---------------------------------------- */

TEST(RING0027, "a failing wait or signal gives NOTIFY_FAILED; what moved stays moved")
{
    struct fixture f;
    unsigned char buf[64];
    size_t len, done;
    CHECK(fixture_init(&f, 256, 0) == 0);
    f.consumer_wakes.fail_wait = 1;
    CHECK_EQ(tsr_ring_read(&f.consumer, buf, sizeof buf, &len), TSR_RING_E_NOTIFY_FAILED);
    CHECK_EQ(tsr_ring_stream_read(&f.consumer, buf, 4, &done), TSR_RING_E_NOTIFY_FAILED);
    CHECK_EQ(shared_word(&f, OFF_CONSUMER_SLEEP) & 1, 0); /* not left "asleep" */
    /* The consumer (as if) asleep, its notification gone. */
    set_shared_word(&f, OFF_CONSUMER_SLEEP, 1001);
    f.consumer_wakes.fail_signal = 1;
    CHECK_EQ(fixture_put(&f, 1, 12), TSR_RING_E_NOTIFY_FAILED);
    CHECK_EQ(fixture_put(&f, 2, 12), TSR_RING_OK); /* that sleep was handled: no retry */
    CHECK(fixture_take(&f, 1, 12) == 0);
    CHECK(fixture_take(&f, 2, 12) == 0);
    set_shared_word(&f, OFF_CONSUMER_SLEEP, 1003);
    fill_pattern(buf, 40, 3);
    CHECK_EQ(tsr_ring_try_stream_write(&f.producer, buf, 40, &done), TSR_RING_E_NOTIFY_FAILED);
    CHECK_EQ(done, 40);
    /* A blocked writer whose wait fails. */
    f.producer_wakes.fail_wait = 1;
    while (fixture_put(&f, 5, 8) == TSR_RING_OK) /* 16 bytes each: exactly full */
        ;
    CHECK_EQ(tsr_ring_write(&f.producer, buf, 40), TSR_RING_E_NOTIFY_FAILED);
    CHECK_EQ(tsr_ring_stream_write(&f.producer, buf, 40, &done), TSR_RING_E_NOTIFY_FAILED);
    CHECK_EQ(done, 0);
    CHECK_EQ(shared_word(&f, OFF_PRODUCER_SLEEP) & 1, 0);
    fixture_free(&f);
}

TEST(RING0028, "each sleep is signalled once, a sleep not yet signalled always")
{
    struct fixture f;
    CHECK(fixture_init(&f, 256, 0) == 0);
    set_shared_word(&f, OFF_CONSUMER_SLEEP, 5);
    CHECK_EQ(fixture_put(&f, 0, 1), TSR_RING_OK);
    CHECK_EQ(f.consumer_wakes.signals, 1);
    CHECK_EQ(fixture_put(&f, 0, 1), TSR_RING_OK);
    CHECK_EQ(f.consumer_wakes.signals, 1);
    set_shared_word(&f, OFF_CONSUMER_SLEEP, 7);
    CHECK_EQ(fixture_put(&f, 0, 1), TSR_RING_OK);
    CHECK_EQ(f.consumer_wakes.signals, 2);
    set_shared_word(&f, OFF_CONSUMER_SLEEP, 8); /* awake */
    CHECK_EQ(fixture_put(&f, 0, 1), TSR_RING_OK);
    CHECK_EQ(f.consumer_wakes.signals, 2);
    /* The producer's wish decides when the consumer signals it. */
    set_shared_word(&f, OFF_PRODUCER_SLEEP, 3);
    set_shared_word(&f, OFF_PRODUCER_WAKE_TAIL, f.consumer.index + 1000);
    CHECK(fixture_take(&f, 0, 1) == 0);
    CHECK_EQ(f.producer_wakes.signals, 0);
    set_shared_word(&f, OFF_PRODUCER_WAKE_TAIL, f.consumer.index + 16);
    CHECK(fixture_take(&f, 0, 1) == 0); /* tail reaches it exactly */
    CHECK_EQ(f.producer_wakes.signals, 1);
    CHECK(fixture_take(&f, 0, 1) == 0);
    CHECK_EQ(f.producer_wakes.signals, 1);
    fixture_free(&f);
}

TEST(RING0029, "a side that attaches again does not reuse the number of a sleep")
{
    struct fixture f;
    unsigned char buf[64];
    size_t len;
    struct tsr_ring_notify consumer_notify = {fake_wait, &f.consumer_wakes, fake_signal,
                                              &f.producer_wakes};
    CHECK(fixture_init(&f, 256, 0) == 0);
    f.consumer_wakes.while_asleep = write_one;
    f.consumer_wakes.ctx = &f;
    CHECK_EQ(tsr_ring_read(&f.consumer, buf, sizeof buf, &len), TSR_RING_OK); /* sleep 1 */
    /* The consumer starts again; the producer remembers having signalled
     * sleep 1. The new handle's first sleep must have another number. */
    CHECK_EQ(tsr_ring_attach(&f.consumer, f.region, 256, TSR_RING_CONSUMER, &consumer_notify),
             TSR_RING_OK);
    CHECK_EQ(tsr_ring_read(&f.consumer, buf, sizeof buf, &len), TSR_RING_OK);
    CHECK_EQ(f.consumer_wakes.lost_wakeups, 0);
    CHECK_EQ(f.consumer_wakes.signals, 2);
    CHECK_EQ(shared_word(&f, OFF_CONSUMER_SLEEP), 4);
    /* A side that stopped while asleep (odd word) resumes awake after it. */
    set_shared_word(&f, OFF_PRODUCER_SLEEP, 9);
    struct tsr_ring again;
    CHECK_EQ(tsr_ring_attach(&again, f.region, 256, TSR_RING_PRODUCER, NULL), TSR_RING_OK);
    CHECK_EQ(shared_word(&f, OFF_PRODUCER_SLEEP), 10);
    fixture_free(&f);
}
