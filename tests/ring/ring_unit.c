/* SPDX-License-Identifier: MIT */
/* Unit tests of the ring's behaviour with an honest peer (RING0001-RING0015):
 * set-up checks, empty and full, every record length at every offset,
 * wrap-around of the data area and of the 64-bit indices, streams against a
 * byte model. Both sides run in this one thread on one region. */
#include <stdlib.h>
#include <string.h>

#include "ring_fixture.h"
#include "ring_test.h"

#define BIG 8192 /* larger than any record these tests send */

TEST(RING0001, "format and attach reject bad arguments")
{
    unsigned char *mem = aligned_alloc(64, TSR_RING_HEADER_SIZE + 256);
    struct tsr_ring r;
    CHECK(mem != NULL);
    CHECK_EQ(tsr_ring_format(NULL, 256), TSR_RING_E_INVALID_ARGUMENT);
    CHECK_EQ(tsr_ring_format(mem + 8, 256), TSR_RING_E_INVALID_ARGUMENT);
    CHECK_EQ(tsr_ring_format(mem, 0), TSR_RING_E_INVALID_ARGUMENT);
    CHECK_EQ(tsr_ring_format(mem, 32), TSR_RING_E_INVALID_ARGUMENT);
    CHECK_EQ(tsr_ring_format(mem, 200), TSR_RING_E_INVALID_ARGUMENT);
    CHECK_EQ(tsr_ring_format(mem, (size_t)TSR_RING_MAX_DATA_SIZE * 2), TSR_RING_E_INVALID_ARGUMENT);
    CHECK_EQ(tsr_ring_format(mem, 256), TSR_RING_OK);
    CHECK_EQ(tsr_ring_attach(NULL, mem, 256, TSR_RING_PRODUCER, NULL), TSR_RING_E_INVALID_ARGUMENT);
    CHECK_EQ(tsr_ring_attach(&r, NULL, 256, TSR_RING_PRODUCER, NULL), TSR_RING_E_INVALID_ARGUMENT);
    CHECK_EQ(tsr_ring_attach(&r, mem + 32, 256, TSR_RING_PRODUCER, NULL),
             TSR_RING_E_INVALID_ARGUMENT);
    CHECK_EQ(tsr_ring_attach(&r, mem, 255, TSR_RING_PRODUCER, NULL), TSR_RING_E_INVALID_ARGUMENT);
    CHECK_EQ(tsr_ring_attach(&r, mem, 256, (enum tsr_ring_role)0, NULL),
             TSR_RING_E_INVALID_ARGUMENT);
    CHECK_EQ(tsr_ring_attach(&r, mem, 256, (enum tsr_ring_role)3, NULL),
             TSR_RING_E_INVALID_ARGUMENT);
    CHECK_EQ(tsr_ring_attach(&r, mem, 256, TSR_RING_CONSUMER, NULL), TSR_RING_OK);
    free(mem);
}

TEST(RING0002, "attach rejects a region formatted differently or not at all")
{
    struct fixture f;
    struct tsr_ring r;
    CHECK(fixture_init(&f, 256, 0) == 0);
    CHECK_EQ(tsr_ring_attach(&r, f.region, 128, TSR_RING_CONSUMER, NULL), TSR_RING_E_BAD_HEADER);
    set_shared_word(&f, OFF_MAGIC, shared_word(&f, OFF_MAGIC) ^ 1);
    CHECK_EQ(tsr_ring_attach(&r, f.region, 256, TSR_RING_CONSUMER, NULL), TSR_RING_E_BAD_HEADER);
    memset(f.region, 0, TSR_RING_HEADER_SIZE);
    CHECK_EQ(tsr_ring_attach(&r, f.region, 256, TSR_RING_PRODUCER, NULL), TSR_RING_E_BAD_HEADER);
    CHECK_EQ(tsr_ring_format(f.region, 256), TSR_RING_OK);
    CHECK_EQ(tsr_ring_attach(&r, f.region, 256, TSR_RING_PRODUCER, NULL), TSR_RING_OK);
    fixture_free(&f);
}

TEST(RING0003, "attach rejects impossible indices")
{
    struct fixture f;
    struct tsr_ring r;
    CHECK(fixture_init(&f, 256, 0) == 0);
    static const struct {
        uint64_t head, tail;
        tsr_ring_status_t producer, consumer;
    } cases[] = {
        {12, 0, TSR_RING_E_PEER_INDEX, TSR_RING_E_PEER_INDEX},  /* head not a record boundary */
        {8, 16, TSR_RING_E_PEER_INDEX, TSR_RING_E_PEER_INDEX},  /* tail after head */
        {264, 0, TSR_RING_E_PEER_INDEX, TSR_RING_E_PEER_INDEX}, /* more than a ring apart */
        {256, 0, TSR_RING_OK, TSR_RING_OK},                     /* exactly full */
        {8, 4, TSR_RING_OK, TSR_RING_E_PEER_INDEX},             /* tail inside a record */
        {16, UINT64_MAX - 7, TSR_RING_OK, TSR_RING_OK},         /* across the 2^64 wrap */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        set_shared_word(&f, OFF_HEAD, cases[i].head);
        set_shared_word(&f, OFF_TAIL, cases[i].tail);
        CHECK_EQ(tsr_ring_attach(&r, f.region, 256, TSR_RING_PRODUCER, NULL), cases[i].producer);
        CHECK_EQ(tsr_ring_attach(&r, f.region, 256, TSR_RING_CONSUMER, NULL), cases[i].consumer);
    }
    fixture_free(&f);
}

TEST(RING0004, "region size and longest record")
{
    struct fixture f;
    CHECK_EQ(tsr_ring_region_size(256), TSR_RING_HEADER_SIZE + 256);
    CHECK_EQ(tsr_ring_region_size(TSR_RING_MAX_DATA_SIZE),
             TSR_RING_HEADER_SIZE + TSR_RING_MAX_DATA_SIZE);
    CHECK_EQ(tsr_ring_region_size(100), 0);
    CHECK_EQ(tsr_ring_region_size(32), 0);
    CHECK_EQ(tsr_ring_max_record(NULL), 0);
    CHECK(fixture_init(&f, 256, 0) == 0);
    CHECK_EQ(tsr_ring_max_record(&f.producer), 248);
    CHECK_EQ(fixture_put(&f, 1, 249), TSR_RING_E_RECORD_TOO_LONG);
    CHECK_EQ(fixture_put(&f, 1, 248), TSR_RING_OK);
    CHECK(fixture_take(&f, 1, 248) == 0);
    fixture_free(&f);
}

TEST(RING0005, "an empty ring reads as empty and signals nobody")
{
    struct fixture f;
    unsigned char buf[16];
    size_t len = 99, done = 99;
    CHECK(fixture_init(&f, 256, 0) == 0);
    CHECK_EQ(tsr_ring_try_read(&f.consumer, buf, sizeof buf, &len), TSR_RING_E_EMPTY);
    CHECK_EQ(len, 0);
    CHECK_EQ(tsr_ring_try_stream_read(&f.consumer, buf, sizeof buf, &done), TSR_RING_E_EMPTY);
    CHECK_EQ(done, 0);
    CHECK_EQ(tsr_ring_try_stream_read(&f.consumer, buf, 0, &done), TSR_RING_OK);
    /* A record, then empty again. */
    CHECK_EQ(fixture_put(&f, 7, 5), TSR_RING_OK);
    CHECK(fixture_take(&f, 7, 5) == 0);
    CHECK_EQ(tsr_ring_try_read(&f.consumer, buf, sizeof buf, &len), TSR_RING_E_EMPTY);
    CHECK_EQ(f.producer_wakes.signals + f.consumer_wakes.signals, 0);
    fixture_free(&f);
}

TEST(RING0006, "wrong side, null pointers and a null handle are refused")
{
    struct fixture f;
    unsigned char buf[16];
    size_t len, done;
    CHECK(fixture_init(&f, 256, 0) == 0);
    CHECK_EQ(tsr_ring_try_read(&f.producer, buf, sizeof buf, &len), TSR_RING_E_INVALID_ARGUMENT);
    CHECK_EQ(tsr_ring_read(&f.producer, buf, sizeof buf, &len), TSR_RING_E_INVALID_ARGUMENT);
    CHECK_EQ(tsr_ring_try_stream_read(&f.producer, buf, 4, &done), TSR_RING_E_INVALID_ARGUMENT);
    CHECK_EQ(tsr_ring_try_write(&f.consumer, buf, 4), TSR_RING_E_INVALID_ARGUMENT);
    CHECK_EQ(tsr_ring_write(&f.consumer, buf, 4), TSR_RING_E_INVALID_ARGUMENT);
    CHECK_EQ(tsr_ring_try_stream_write(&f.consumer, buf, 4, &done), TSR_RING_E_INVALID_ARGUMENT);
    CHECK_EQ(tsr_ring_stream_write(&f.consumer, buf, 4, &done), TSR_RING_E_INVALID_ARGUMENT);
    CHECK_EQ(tsr_ring_try_write(&f.producer, NULL, 4), TSR_RING_E_INVALID_ARGUMENT);
    CHECK_EQ(tsr_ring_try_stream_write(&f.producer, buf, 4, NULL), TSR_RING_E_INVALID_ARGUMENT);
    CHECK_EQ(tsr_ring_try_stream_write(&f.producer, NULL, 4, &done), TSR_RING_E_INVALID_ARGUMENT);
    CHECK_EQ(tsr_ring_try_write(&f.producer, NULL, 0), TSR_RING_OK); /* an empty record */
    CHECK_EQ(tsr_ring_try_read(&f.consumer, buf, sizeof buf, NULL), TSR_RING_E_INVALID_ARGUMENT);
    CHECK_EQ(tsr_ring_try_read(&f.consumer, NULL, 4, &len), TSR_RING_E_INVALID_ARGUMENT);
    CHECK_EQ(tsr_ring_try_stream_read(&f.consumer, NULL, 4, &done), TSR_RING_E_INVALID_ARGUMENT);
    CHECK_EQ(tsr_ring_try_read(&f.consumer, NULL, 0, &len), TSR_RING_OK);
    CHECK_EQ(len, 0);
    CHECK_EQ(tsr_ring_set_wake_space(&f.consumer, 8), TSR_RING_E_INVALID_ARGUMENT);
    CHECK_EQ(tsr_ring_set_wake_space(&f.producer, 257), TSR_RING_E_INVALID_ARGUMENT);
    CHECK_EQ(tsr_ring_set_wake_space(&f.producer, 256), TSR_RING_OK);
    CHECK_EQ(tsr_ring_try_write(NULL, buf, 1), TSR_RING_E_INVALID_ARGUMENT);
    CHECK_EQ(tsr_ring_write(NULL, buf, 1), TSR_RING_E_INVALID_ARGUMENT);
    CHECK_EQ(tsr_ring_try_read(NULL, buf, 1, &len), TSR_RING_E_INVALID_ARGUMENT);
    CHECK_EQ(tsr_ring_read(NULL, buf, 1, &len), TSR_RING_E_INVALID_ARGUMENT);
    CHECK_EQ(tsr_ring_try_stream_write(NULL, buf, 1, &done), TSR_RING_E_INVALID_ARGUMENT);
    CHECK_EQ(tsr_ring_stream_write(NULL, buf, 1, &done), TSR_RING_E_INVALID_ARGUMENT);
    CHECK_EQ(tsr_ring_try_stream_read(NULL, buf, 1, &done), TSR_RING_E_INVALID_ARGUMENT);
    CHECK_EQ(tsr_ring_stream_read(NULL, buf, 1, &done), TSR_RING_E_INVALID_ARGUMENT);
    CHECK_EQ(tsr_ring_set_wake_space(NULL, 0), TSR_RING_E_INVALID_ARGUMENT);
    fixture_free(&f);
}

TEST(RING0007, "a full ring holds exactly size/(8+padded length) records")
{
    static const size_t lengths[] = {0, 1, 7, 8, 9, 24, 100, 120, 121, 248};
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        struct fixture f;
        size_t len = lengths[i];
        size_t fit = 256 / (8 + ((len + 7) & ~(size_t)7));
        size_t n = 0;
        CHECK(fixture_init(&f, 256, 0) == 0);
        while (fixture_put(&f, n, len) == TSR_RING_OK)
            n++;
        CHECK_EQ(n, fit);
        CHECK_EQ(fixture_put(&f, n, len), TSR_RING_E_FULL);
        /* Taking one record makes room for exactly one. */
        CHECK(fixture_take(&f, 0, len) == 0);
        CHECK_EQ(fixture_put(&f, n, len), TSR_RING_OK);
        CHECK_EQ(fixture_put(&f, n + 1, len), TSR_RING_E_FULL);
        for (size_t k = 1; k <= n; k++)
            CHECK(fixture_take(&f, k, len) == 0);
        CHECK_EQ(fixture_put(&f, 0, 0) == TSR_RING_OK, 1);
        fixture_free(&f);
    }
}

TEST(RING0008, "every record length at every 8-byte offset, across the end of the data area")
{
    /* A 128-byte ring: all 16 offsets x all 121 lengths, each in a fresh
     * ring whose indices start at that offset (in their third lap). */
    for (uint64_t offset = 0; offset < 128; offset += 8) {
        for (size_t len = 0; len <= 120; len++) {
            struct fixture f;
            CHECK(fixture_init(&f, 128, 2 * 128 + offset) == 0);
            CHECK_EQ(fixture_put(&f, len, len), TSR_RING_OK);
            CHECK(fixture_take(&f, len, len) == 0);
            CHECK_EQ(f.consumer.index, 2 * 128 + offset + 8 + ((len + 7) & ~(size_t)7));
            fixture_free(&f);
        }
    }
    /* A 4 KiB ring: every length once, one after the other, so the records
     * start at ever-changing offsets and wrap many times; two in flight. */
    struct fixture f;
    CHECK(fixture_init(&f, 4096, 0) == 0);
    CHECK_EQ(fixture_put(&f, 0, 0), TSR_RING_OK);
    for (size_t len = 1; len <= 2040; len++) {
        CHECK_EQ(fixture_put(&f, len, len), TSR_RING_OK);
        CHECK(fixture_take(&f, len - 1, len - 1) == 0);
    }
    CHECK(fixture_take(&f, 2040, 2040) == 0);
    for (size_t len = 2041; len <= 4088; len++) {
        CHECK_EQ(fixture_put(&f, len, len), TSR_RING_OK);
        CHECK(fixture_take(&f, len, len) == 0);
    }
    fixture_free(&f);
}

/* Move `n` stream bytes starting at stream position `*pos` through the ring,
 * writing in pieces of `wstep` and reading in pieces of `rstep`, and check
 * them. Records every byte offset the consumer's tail stopped at. */
static int pump_stream(struct fixture *f, uint64_t *pos, size_t n, size_t wstep, size_t rstep,
                       unsigned char *seen_offsets)
{
    unsigned char out[BIG], in[BIG];
    size_t written = 0, read = 0;
    for (size_t i = 0; i < n; i++)
        out[i] = pattern_byte(0, *pos + i);
    while (read < n) {
        size_t done, moved = 0;
        if (written < n) {
            size_t w = n - written < wstep ? n - written : wstep;
            tsr_ring_status_t st = tsr_ring_try_stream_write(&f->producer, out + written, w, &done);
            CHECK_OR(st == TSR_RING_OK || st == TSR_RING_E_FULL, -1);
            written += done;
            moved += done;
        }
        size_t r = n - read < rstep ? n - read : rstep;
        tsr_ring_status_t st = tsr_ring_try_stream_read(&f->consumer, in + read, r, &done);
        CHECK_OR(st == TSR_RING_OK || st == TSR_RING_E_EMPTY, -1);
        read += done;
        moved += done;
        CHECK_OR(moved > 0, -1); /* neither side could move: a ring both full and empty */
        if (seen_offsets != NULL)
            seen_offsets[f->consumer.index & (f->size - 1)] = 1;
    }
    CHECK_OR(memcmp(in, out, n) == 0, -1);
    *pos += n;
    return 0;
}

TEST(RING0009, "streams: the reader's tail stops at every byte offset, data intact")
{
    unsigned char seen[256] = {0};
    for (size_t prefix = 0; prefix < 300; prefix++) {
        struct fixture f;
        uint64_t pos = 0;
        CHECK(fixture_init(&f, 256, 0) == 0);
        CHECK(pump_stream(&f, &pos, prefix, 53, 1 + prefix % 13, seen) == 0);
        CHECK(pump_stream(&f, &pos, 1500, 1 + prefix % 97, 1 + prefix % 29, seen) == 0);
        fixture_free(&f);
    }
    for (size_t i = 0; i < 256; i++)
        CHECK(seen[i]);
}

TEST(RING0010, "indices wrap at 2^64 for records and streams")
{
    struct fixture f;
    uint64_t start = (uint64_t)0 - 3 * 256; /* three laps before the wrap */
    CHECK(fixture_init(&f, 256, start) == 0);
    for (uint64_t seq = 0; seq < 200; seq++) {
        CHECK_EQ(fixture_put(&f, seq, seq % 61), TSR_RING_OK);
        CHECK_EQ(fixture_put(&f, seq + 1000, (seq * 7) % 100), TSR_RING_OK);
        CHECK(fixture_take(&f, seq, seq % 61) == 0);
        CHECK(fixture_take(&f, seq + 1000, (seq * 7) % 100) == 0);
    }
    CHECK(f.producer.index < start); /* the head did wrap */
    uint64_t pos = 0;
    CHECK(pump_stream(&f, &pos, 3000, 77, 31, NULL) == 0);
    fixture_free(&f);

    /* A stream that starts just before the wrap. */
    CHECK(fixture_init(&f, 256, UINT64_MAX - 15) == 0);
    pos = 0;
    CHECK(pump_stream(&f, &pos, 5000, 200, 3, NULL) == 0);
    fixture_free(&f);
}

TEST(RING0011, "streams of random write and read sizes match a byte model (seeded)")
{
    for (uint64_t seed = 1; seed <= 8; seed++) {
        struct fixture f;
        uint64_t rng = seed;
        size_t size = (size_t)64 << (seed % 5); /* 64 .. 1024 */
        uint64_t written = 0, read = 0;
        unsigned char buf[BIG];
        CHECK(fixture_init(&f, size, (seed & 1) ? 0 : UINT64_MAX - size + 1) == 0);
        while (read < 200000) {
            size_t n = (size_t)rng_below(&rng, 3 * size + 1), done;
            if (rng_below(&rng, 2)) {
                for (size_t i = 0; i < n; i++)
                    buf[i] = pattern_byte(seed, written + i);
                size_t room = size - (size_t)(f.producer.index - f.consumer.index);
                tsr_ring_status_t st = tsr_ring_try_stream_write(&f.producer, buf, n, &done);
                CHECK(st == (done == n ? TSR_RING_OK : TSR_RING_E_FULL));
                /* A short write leaves less room than a header and 8 bytes. */
                if (st == TSR_RING_E_FULL)
                    CHECK(size - (f.producer.index - f.consumer.index) < 16);
                CHECK(done <= room);
                written += done;
            } else {
                tsr_ring_status_t st = tsr_ring_try_stream_read(&f.consumer, buf, n, &done);
                CHECK(st == (done == n ? TSR_RING_OK : TSR_RING_E_EMPTY));
                CHECK(done <= written - read);
                /* Short only when everything written has been read. */
                if (st == TSR_RING_E_EMPTY)
                    CHECK_EQ(read + done, written);
                for (size_t i = 0; i < done; i++)
                    CHECK_EQ(buf[i], pattern_byte(seed, read + i));
                read += done;
            }
        }
        fixture_free(&f);
    }
}

TEST(RING0012, "a stream is cut into records of at most a quarter of the ring")
{
    struct fixture f;
    unsigned char buf[1024];
    size_t done, len, total = 0;
    CHECK(fixture_init(&f, 1024, 0) == 0);
    fill_pattern(buf, sizeof buf, 3);
    CHECK_EQ(tsr_ring_try_stream_write(&f.producer, buf, 900, &done), TSR_RING_OK);
    CHECK_EQ(done, 900);
    /* 256 + 256 + 256 + 132 bytes of payload, each its own record. */
    static const size_t expect[] = {256, 256, 256, 132};
    for (size_t i = 0; i < 4; i++) {
        unsigned char in[1024];
        CHECK_EQ(tsr_ring_try_read(&f.consumer, in, sizeof in, &len), TSR_RING_OK);
        CHECK_EQ(len, expect[i]);
        for (size_t k = 0; k < len; k++)
            CHECK_EQ(in[k], buf[total + k]);
        total += len;
    }
    CHECK_EQ(tsr_ring_try_read(&f.consumer, buf, sizeof buf, &len), TSR_RING_E_EMPTY);
    /* Then 1024 bytes into the empty ring (now at offset 936) take what fits:
     * three whole pieces, and 224 bytes in the 232 left. */
    CHECK_EQ(tsr_ring_try_stream_write(&f.producer, buf, 1024, &done), TSR_RING_E_FULL);
    CHECK_EQ(done, 256 + 256 + 256 + (1024 - 3 * 264 - 8));
    fixture_free(&f);
}

TEST(RING0013, "a record read after a stream read takes the rest of that record")
{
    struct fixture f;
    unsigned char buf[64];
    size_t done, len;
    CHECK(fixture_init(&f, 256, 0) == 0);
    CHECK_EQ(fixture_put(&f, 9, 50), TSR_RING_OK);
    CHECK_EQ(fixture_put(&f, 10, 3), TSR_RING_OK);
    CHECK_EQ(tsr_ring_try_stream_read(&f.consumer, buf, 20, &done), TSR_RING_OK);
    CHECK_EQ(done, 20);
    CHECK(check_pattern(buf, 20, 9) == 20);
    /* The header and the 20 bytes are already released to the producer. */
    CHECK_EQ(shared_word(&f, OFF_TAIL), 8 + 20);
    /* Too small a buffer for the rest: its length, nothing taken. */
    CHECK_EQ(tsr_ring_try_read(&f.consumer, buf, 29, &len), TSR_RING_E_BUFFER_TOO_SMALL);
    CHECK_EQ(len, 30);
    CHECK_EQ(tsr_ring_try_read(&f.consumer, buf, sizeof buf, &len), TSR_RING_OK);
    CHECK_EQ(len, 30);
    for (size_t i = 0; i < 30; i++)
        CHECK_EQ(buf[i], pattern_byte(9, 20 + i));
    CHECK_EQ(shared_word(&f, OFF_TAIL), 64); /* padding skipped too */
    CHECK(fixture_take(&f, 10, 3) == 0);
    fixture_free(&f);
}

TEST(RING0014, "a buffer too small gives the record's length and keeps the record")
{
    struct fixture f;
    unsigned char buf[100];
    size_t len;
    CHECK(fixture_init(&f, 256, 0) == 0);
    CHECK_EQ(fixture_put(&f, 4, 100), TSR_RING_OK);
    CHECK_EQ(tsr_ring_try_read(&f.consumer, buf, 99, &len), TSR_RING_E_BUFFER_TOO_SMALL);
    CHECK_EQ(len, 100);
    CHECK_EQ(tsr_ring_try_read(&f.consumer, NULL, 0, &len), TSR_RING_E_BUFFER_TOO_SMALL);
    CHECK_EQ(len, 100);
    CHECK_EQ(shared_word(&f, OFF_TAIL), 0);
    CHECK(fixture_take(&f, 4, 100) == 0);
    fixture_free(&f);
}

TEST(RING0015, "blocking calls need a wait function; polling needs none")
{
    unsigned char *mem = aligned_alloc(64, TSR_RING_HEADER_SIZE + 256);
    struct tsr_ring p, c;
    unsigned char buf[8] = {1, 2, 3};
    size_t len, done;
    CHECK(mem != NULL);
    CHECK_EQ(tsr_ring_format(mem, 256), TSR_RING_OK);
    CHECK_EQ(tsr_ring_attach(&p, mem, 256, TSR_RING_PRODUCER, NULL), TSR_RING_OK);
    CHECK_EQ(tsr_ring_attach(&c, mem, 256, TSR_RING_CONSUMER, NULL), TSR_RING_OK);
    CHECK_EQ(tsr_ring_write(&p, buf, 3), TSR_RING_E_INVALID_ARGUMENT);
    CHECK_EQ(tsr_ring_stream_write(&p, buf, 3, &done), TSR_RING_E_INVALID_ARGUMENT);
    CHECK_EQ(tsr_ring_read(&c, buf, 8, &len), TSR_RING_E_INVALID_ARGUMENT);
    CHECK_EQ(tsr_ring_stream_read(&c, buf, 3, &done), TSR_RING_E_INVALID_ARGUMENT);
    /* Without a signal function the consumer's sleep goes unsignalled, but
     * polling works. */
    CHECK_EQ(tsr_ring_try_write(&p, buf, 3), TSR_RING_OK);
    CHECK_EQ(tsr_ring_try_read(&c, buf, 8, &len), TSR_RING_OK);
    CHECK_EQ(len, 3);
    CHECK_EQ(buf[2], 3);
    free(mem);
}
