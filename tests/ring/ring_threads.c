/* SPDX-License-Identifier: MIT */
/* The ring between real threads, built with ThreadSanitizer (any data race,
 * such as a read of a record before its head was acquired, fails the run).
 * Each scenario checks every record or byte against a seeded expectation:
 *
 *   records <mode> <count> <seed>   one producer, one consumer, random record
 *       lengths up to the longest; mode "balanced", "slow-consumer" (the
 *       consumer stops every so often until the producer is blocked on a
 *       full ring) or "slow-producer" (the other way round), so both sleep
 *       paths are taken a known number of times;
 *   stream <bytes> <seed>           a byte stream in random write and read sizes;
 *   pingpong <bursts> <seed>        bursts of requests echoed back over two
 *       rings, one notification per thread: the threads fall asleep and wake
 *       all the time, half the bursts wait until the echo thread sleeps, so
 *       a lost wake-up hangs it (and the watchdog fails it);
 *   multi <producers> <count> <seed> producers sharing one producer handle
 *       under a mutex (multi-producer, locked), one consumer checking each
 *       producer's sequence.
 *
 * A watchdog thread fails the run if no record moves for a few seconds and
 * prints both sides' state, so a hang is reported as one. */
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "host_notification.h"
#include "ring_pattern.h"
#include "tsr/ring.h"

/* Stop a run with a message; exit status 1. */
#define FAIL(...)                                                                                  \
    do {                                                                                           \
        fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                                       \
        fprintf(stderr, __VA_ARGS__);                                                              \
        fputc('\n', stderr);                                                                       \
        exit(1);                                                                                   \
    } while (0)

#define EXPECT(cond)                                                                               \
    do {                                                                                           \
        if (!(cond))                                                                               \
            FAIL("%s", #cond);                                                                     \
    } while (0)

/* ---- One ring: region, two handles, two notifications -------------------- */

struct channel {
    unsigned char *region;
    size_t size;
    struct tsr_ring producer;
    struct tsr_ring consumer;
};

static void channel_init(struct channel *ch, size_t size, struct host_notification *producer_waits,
                         struct host_notification *consumer_waits)
{
    ch->size = size;
    ch->region = aligned_alloc(TSR_RING_ALIGN, tsr_ring_region_size(size));
    EXPECT(ch->region != NULL);
    EXPECT(tsr_ring_format(ch->region, size) == TSR_RING_OK);
    struct tsr_ring_notify p = {host_wait, producer_waits, host_signal, consumer_waits};
    struct tsr_ring_notify c = {host_wait, consumer_waits, host_signal, producer_waits};
    EXPECT(tsr_ring_attach(&ch->producer, ch->region, size, TSR_RING_PRODUCER, &p) == TSR_RING_OK);
    EXPECT(tsr_ring_attach(&ch->consumer, ch->region, size, TSR_RING_CONSUMER, &c) == TSR_RING_OK);
}

/* ---- Watchdog ------------------------------------------------------------- */

static _Atomic uint64_t progress; /* bumped by whoever moves data */
static _Atomic int finished;
static int stall_seconds = 10;
/* Printed on a stall; set after the watchdog started, hence atomic. */
static _Atomic(struct channel *) watched[2];

static void *watchdog(void *arg)
{
    (void)arg;
    uint64_t last = atomic_load(&progress);
    int idle_ticks = 0;
    struct timespec tick = {0, 100 * 1000 * 1000};
    while (!atomic_load(&finished)) {
        nanosleep(&tick, NULL);
        uint64_t now = atomic_load(&progress);
        idle_ticks = now == last ? idle_ticks + 1 : 0;
        last = now;
        if (idle_ticks < stall_seconds * 10)
            continue;
        fprintf(stderr, "FAIL: no progress for %d s (lost wake-up?) after %" PRIu64 " steps\n",
                stall_seconds, now);
        for (int i = 0; i < 2; i++) {
            struct channel *ch = atomic_load(&watched[i]);
            if (ch == NULL)
                continue;
            const _Atomic uint64_t *w = (const _Atomic uint64_t *)(void *)ch->region;
            fprintf(stderr,
                    "  ring %d: head %" PRIu64 " tail %" PRIu64 " producer_sleep %" PRIu64
                    " wake_tail %" PRIu64 " consumer_sleep %" PRIu64 "\n",
                    i, atomic_load(&w[8]), atomic_load(&w[16]), atomic_load(&w[24]),
                    atomic_load(&w[25]), atomic_load(&w[32]));
        }
        _exit(3);
    }
    return NULL;
}

/* Yield until the thread waiting on n is blocked in its wait. */
static void until_blocked(struct host_notification *n)
{
    while (!host_is_blocked(n))
        sched_yield();
}

/* ---- records ------------------------------------------------------------- */

enum mode { BALANCED, SLOW_CONSUMER, SLOW_PRODUCER };

struct records_run {
    struct channel ch;
    struct host_notification producer_waits, consumer_waits;
    enum mode mode;
    uint64_t count, seed;
    uint64_t gate_every;
    uint64_t gates; /* times one side stopped until the other slept */
};

/* Mostly short records, some medium, a few up to the longest. */
static size_t record_length(uint64_t *rng, size_t max)
{
    uint64_t r = rng_below(rng, 100);
    if (r < 70)
        return (size_t)rng_below(rng, 65);
    if (r < 95)
        return 65 + (size_t)rng_below(rng, 448);
    return 513 + (size_t)rng_below(rng, max - 512);
}

static void *records_producer(void *arg)
{
    struct records_run *run = arg;
    size_t max = tsr_ring_max_record(&run->ch.producer);
    unsigned char *buf = malloc(max);
    uint64_t rng = run->seed;
    EXPECT(buf != NULL);
    for (uint64_t seq = 0; seq < run->count; seq++) {
        size_t len = record_length(&rng, max);
        fill_pattern(buf, len, seq);
        tsr_ring_status_t st = tsr_ring_write(&run->ch.producer, buf, len);
        if (st != TSR_RING_OK)
            FAIL("write %" PRIu64 ": status %d", seq, st);
        /* Slow producer: now and then let the consumer drain the ring and
         * block before going on, so its sleep path is taken. */
        if (run->mode == SLOW_PRODUCER && seq % run->gate_every == 0 && seq + 1 < run->count) {
            until_blocked(&run->consumer_waits);
            run->gates++;
        }
    }
    free(buf);
    return NULL;
}

static void *records_consumer(void *arg)
{
    struct records_run *run = arg;
    size_t max = tsr_ring_max_record(&run->ch.consumer);
    unsigned char *buf = malloc(max);
    uint64_t rng = run->seed;
    EXPECT(buf != NULL);
    for (uint64_t seq = 0; seq < run->count; seq++) {
        size_t expect = record_length(&rng, max), len;
        tsr_ring_status_t st = tsr_ring_read(&run->ch.consumer, buf, max, &len);
        if (st != TSR_RING_OK)
            FAIL("read %" PRIu64 ": status %d", seq, st);
        if (len != expect)
            FAIL("record %" PRIu64 ": length %zu, expected %zu", seq, len, expect);
        size_t bad = check_pattern(buf, len, seq);
        if (bad != len)
            FAIL("record %" PRIu64 ": byte %zu of %zu wrong", seq, bad, len);
        atomic_fetch_add_explicit(&progress, 1, memory_order_relaxed);
        /* Slow consumer: now and then stop until the producer has filled
         * the ring and blocked. Only while more records remain than a full
         * ring can hold (each takes at least 8 bytes), so it must block. */
        if (run->mode == SLOW_CONSUMER && seq % run->gate_every == 0 &&
            run->count - seq > run->ch.size / 8 + 1) {
            until_blocked(&run->producer_waits);
            run->gates++;
        }
    }
    free(buf);
    return NULL;
}

/* Every signal went to a distinct sleep: a side's notification is signalled
 * at most once per sleep (its sleep word counts two per sleep). */
static void check_signals_per_sleep(const char *who, struct host_notification *n,
                                    const struct tsr_ring *sleeper)
{
    uint64_t signals, waits, blocks;
    host_counts(n, &signals, &waits, &blocks);
    uint64_t sleeps = sleeper->sleep_count / 2;
    printf("  %s: %" PRIu64 " sleeps, %" PRIu64 " waits (%" PRIu64 " blocked), %" PRIu64
           " signals received\n",
           who, sleeps, waits, blocks, signals);
    if (signals > sleeps)
        FAIL("%s: %" PRIu64 " signals for %" PRIu64 " sleeps", who, signals, sleeps);
    EXPECT(waits <= sleeps);
}

static int run_records(enum mode mode, uint64_t count, uint64_t seed)
{
    static struct records_run run;
    pthread_t p, c;
    run.mode = mode;
    run.count = count;
    run.seed = seed;
    run.gate_every = 1000;
    host_notification_init(&run.producer_waits);
    host_notification_init(&run.consumer_waits);
    channel_init(&run.ch, 4096, &run.producer_waits, &run.consumer_waits);
    atomic_store(&watched[0], &run.ch);
    EXPECT(pthread_create(&c, NULL, records_consumer, &run) == 0);
    EXPECT(pthread_create(&p, NULL, records_producer, &run) == 0);
    pthread_join(p, NULL);
    pthread_join(c, NULL);
    printf("records: %" PRIu64 " checked, %" PRIu64 " gates\n", count, run.gates);
    check_signals_per_sleep("producer", &run.producer_waits, &run.ch.producer);
    check_signals_per_sleep("consumer", &run.consumer_waits, &run.ch.consumer);
    uint64_t s, w, blocks;
    if (mode == SLOW_CONSUMER) {
        host_counts(&run.producer_waits, &s, &w, &blocks);
        EXPECT(run.gates > 0 && blocks >= run.gates);
    }
    if (mode == SLOW_PRODUCER) {
        host_counts(&run.consumer_waits, &s, &w, &blocks);
        EXPECT(run.gates > 0 && blocks >= run.gates);
    }
    return 0;
}

/* ---- stream -------------------------------------------------------------- */

struct stream_run {
    struct channel ch;
    struct host_notification producer_waits, consumer_waits;
    uint64_t bytes, seed;
};

static void *stream_producer(void *arg)
{
    struct stream_run *run = arg;
    size_t most = 3 * run->ch.size;
    unsigned char *buf = malloc(most);
    uint64_t rng = run->seed, pos = 0;
    EXPECT(buf != NULL);
    while (pos < run->bytes) {
        size_t n = 1 + (size_t)rng_below(&rng, most), done;
        if (n > run->bytes - pos)
            n = (size_t)(run->bytes - pos);
        for (size_t i = 0; i < n; i++)
            buf[i] = pattern_byte(run->seed, pos + i);
        tsr_ring_status_t st = tsr_ring_stream_write(&run->ch.producer, buf, n, &done);
        if (st != TSR_RING_OK || done != n)
            FAIL("stream write at %" PRIu64 ": status %d, %zu of %zu", pos, st, done, n);
        pos += n;
    }
    free(buf);
    return NULL;
}

static void *stream_consumer(void *arg)
{
    struct stream_run *run = arg;
    size_t most = 3 * run->ch.size;
    unsigned char *buf = malloc(most);
    uint64_t rng = run->seed ^ 0x5eed, pos = 0;
    EXPECT(buf != NULL);
    while (pos < run->bytes) {
        size_t n = 1 + (size_t)rng_below(&rng, most), done;
        if (n > run->bytes - pos)
            n = (size_t)(run->bytes - pos);
        tsr_ring_status_t st = tsr_ring_stream_read(&run->ch.consumer, buf, n, &done);
        if (st != TSR_RING_OK || done != n)
            FAIL("stream read at %" PRIu64 ": status %d, %zu of %zu", pos, st, done, n);
        for (size_t i = 0; i < n; i++)
            if (buf[i] != pattern_byte(run->seed, pos + i))
                FAIL("stream byte %" PRIu64 " wrong", pos + i);
        pos += n;
        atomic_fetch_add_explicit(&progress, 1, memory_order_relaxed);
    }
    free(buf);
    return NULL;
}

static int run_stream(uint64_t bytes, uint64_t seed)
{
    static struct stream_run run;
    pthread_t p, c;
    run.bytes = bytes;
    run.seed = seed;
    host_notification_init(&run.producer_waits);
    host_notification_init(&run.consumer_waits);
    channel_init(&run.ch, 16384, &run.producer_waits, &run.consumer_waits);
    atomic_store(&watched[0], &run.ch);
    EXPECT(pthread_create(&c, NULL, stream_consumer, &run) == 0);
    EXPECT(pthread_create(&p, NULL, stream_producer, &run) == 0);
    pthread_join(p, NULL);
    pthread_join(c, NULL);
    printf("stream: %" PRIu64 " bytes checked\n", bytes);
    check_signals_per_sleep("producer", &run.producer_waits, &run.ch.producer);
    check_signals_per_sleep("consumer", &run.consumer_waits, &run.ch.consumer);
    /* Everything written was read: the indices agree. */
    EXPECT(run.ch.producer.index == run.ch.consumer.index);
    return 0;
}

/* ---- pingpong ------------------------------------------------------------ */

/* Ring A carries requests from the main thread to the echo thread, ring B
 * the echoes back. Each thread waits on its own single notification for
 * everything (data on one ring, room on the other). */
/* Requests are 0 to 24 bytes long; one of 25 bytes ends the echo thread. */
#define PINGPONG_END 25

struct pingpong_run {
    struct channel a, b;
    struct host_notification main_waits, echo_waits;
    uint64_t bursts, seed;
    uint64_t records;
};

static void *echo_thread(void *arg)
{
    struct pingpong_run *run = arg;
    unsigned char buf[64];
    for (;;) {
        size_t len;
        tsr_ring_status_t st = tsr_ring_read(&run->a.consumer, buf, sizeof buf, &len);
        if (st != TSR_RING_OK)
            FAIL("echo read: status %d", st);
        if (len == PINGPONG_END)
            return NULL;
        st = tsr_ring_write(&run->b.producer, buf, len);
        if (st != TSR_RING_OK)
            FAIL("echo write: status %d", st);
    }
}

static int run_pingpong(uint64_t bursts, uint64_t seed)
{
    static struct pingpong_run run;
    pthread_t echo;
    uint64_t rng = seed, seq = 0;
    unsigned char buf[64];
    host_notification_init(&run.main_waits);
    host_notification_init(&run.echo_waits);
    /* Rings of 128 bytes, records of at most 32 (8 + 24), bursts of at most
     * 6: a burst always fits in the two rings together, so the protocol
     * itself cannot deadlock, but each ring fills now and then. */
    channel_init(&run.a, 128, &run.main_waits, &run.echo_waits);
    channel_init(&run.b, 128, &run.echo_waits, &run.main_waits);
    atomic_store(&watched[0], &run.a);
    atomic_store(&watched[1], &run.b);
    EXPECT(pthread_create(&echo, NULL, echo_thread, &run) == 0);
    uint64_t gates = 0;
    for (uint64_t burst = 0; burst < bursts; burst++) {
        uint64_t first = seq, k = 1 + rng_below(&rng, 6);
        size_t lengths[6];
        /* Every other burst starts only once the echo thread is blocked, so
         * it must be woken that many times at least; the other bursts run
         * freely, and there the two threads race into and out of sleep. */
        if (burst % 2 == 1) {
            until_blocked(&run.echo_waits);
            gates++;
        }
        for (uint64_t i = 0; i < k; i++, seq++) {
            lengths[i] = (size_t)rng_below(&rng, 25);
            fill_pattern(buf, lengths[i], seq);
            EXPECT(tsr_ring_write(&run.a.producer, buf, lengths[i]) == TSR_RING_OK);
        }
        for (uint64_t s = first; s < seq; s++) {
            size_t len;
            EXPECT(tsr_ring_read(&run.b.consumer, buf, sizeof buf, &len) == TSR_RING_OK);
            if (len != lengths[s - first] || check_pattern(buf, len, s) != len)
                FAIL("echo %" PRIu64 " wrong", s);
            atomic_fetch_add_explicit(&progress, 1, memory_order_relaxed);
        }
    }
    memset(buf, 0, PINGPONG_END);
    EXPECT(tsr_ring_write(&run.a.producer, buf, PINGPONG_END) == TSR_RING_OK);
    pthread_join(echo, NULL);
    printf("pingpong: %" PRIu64 " bursts, %" PRIu64 " records echoed\n", bursts, seq);
    uint64_t signals, waits, blocks;
    host_counts(&run.main_waits, &signals, &waits, &blocks);
    printf("  main: %" PRIu64 " waits (%" PRIu64 " blocked), %" PRIu64 " signals\n", waits, blocks,
           signals);
    host_counts(&run.echo_waits, &signals, &waits, &blocks);
    printf("  echo: %" PRIu64 " waits (%" PRIu64 " blocked), %" PRIu64 " signals\n", waits, blocks,
           signals);
    EXPECT(blocks >= gates && signals >= gates);
    return 0;
}

/* ---- multi: producers sharing one handle under a lock -------------------- */

struct multi_run {
    struct channel ch;
    struct host_notification producer_waits, consumer_waits;
    pthread_mutex_t producer_lock; /* serialises the shared producer handle */
    int producers;
    uint64_t count, seed;
};

struct producer_arg {
    struct multi_run *run;
    uint64_t id;
};

static void *multi_producer(void *arg)
{
    struct producer_arg *pa = arg;
    struct multi_run *run = pa->run;
    unsigned char buf[200];
    uint64_t rng = run->seed + pa->id;
    for (uint64_t seq = 0; seq < run->count; seq++) {
        /* id and sequence number first, then a pattern of both */
        size_t len = 16 + (size_t)rng_below(&rng, 180);
        memcpy(buf, &pa->id, 8);
        memcpy(buf + 8, &seq, 8);
        fill_pattern(buf + 16, len - 16, pa->id << 32 | seq);
        pthread_mutex_lock(&run->producer_lock);
        tsr_ring_status_t st = tsr_ring_write(&run->ch.producer, buf, len);
        pthread_mutex_unlock(&run->producer_lock);
        if (st != TSR_RING_OK)
            FAIL("producer %" PRIu64 " write %" PRIu64 ": status %d", pa->id, seq, st);
    }
    return NULL;
}

static int run_multi(int producers, uint64_t count, uint64_t seed)
{
    static struct multi_run run;
    pthread_t threads[8];
    struct producer_arg args[8];
    uint64_t next[8] = {0};
    unsigned char buf[256];
    EXPECT(producers >= 1 && producers <= 8);
    run.producers = producers;
    run.count = count;
    run.seed = seed;
    pthread_mutex_init(&run.producer_lock, NULL);
    host_notification_init(&run.producer_waits);
    host_notification_init(&run.consumer_waits);
    channel_init(&run.ch, 2048, &run.producer_waits, &run.consumer_waits);
    atomic_store(&watched[0], &run.ch);
    for (int i = 0; i < producers; i++) {
        args[i] = (struct producer_arg){&run, (uint64_t)i};
        EXPECT(pthread_create(&threads[i], NULL, multi_producer, &args[i]) == 0);
    }
    for (uint64_t n = 0; n < (uint64_t)producers * count; n++) {
        size_t len;
        uint64_t id, seq;
        EXPECT(tsr_ring_read(&run.ch.consumer, buf, sizeof buf, &len) == TSR_RING_OK);
        EXPECT(len >= 16);
        memcpy(&id, buf, 8);
        memcpy(&seq, buf + 8, 8);
        if (id >= (uint64_t)producers || seq != next[id])
            FAIL("record %" PRIu64 ": producer %" PRIu64 " seq %" PRIu64, n, id, seq);
        if (check_pattern(buf + 16, len - 16, id << 32 | seq) != len - 16)
            FAIL("producer %" PRIu64 " record %" PRIu64 " corrupt", id, seq);
        next[id]++;
        atomic_fetch_add_explicit(&progress, 1, memory_order_relaxed);
    }
    for (int i = 0; i < producers; i++) {
        pthread_join(threads[i], NULL);
        EXPECT(next[i] == count);
    }
    printf("multi: %d producers x %" PRIu64 " records, each in order\n", producers, count);
    check_signals_per_sleep("producers", &run.producer_waits, &run.ch.producer);
    check_signals_per_sleep("consumer", &run.consumer_waits, &run.ch.consumer);
    return 0;
}

/* ---- main ---------------------------------------------------------------- */

static uint64_t arg_u64(int argc, char **argv, int i)
{
    if (i >= argc)
        FAIL("missing argument %d", i);
    return strtoull(argv[i], NULL, 0);
}

int main(int argc, char **argv)
{
    pthread_t dog;
    int result;
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc < 2)
        FAIL("usage: %s records|stream|pingpong|multi ...", argv[0]);
    const char *stall = getenv("RING_STALL_SECONDS");
    if (stall != NULL)
        stall_seconds = atoi(stall);
    EXPECT(pthread_create(&dog, NULL, watchdog, NULL) == 0);
    if (strcmp(argv[1], "records") == 0) {
        if (argc < 3)
            FAIL("records needs a mode");
        enum mode mode = BALANCED;
        if (strcmp(argv[2], "slow-consumer") == 0)
            mode = SLOW_CONSUMER;
        else if (strcmp(argv[2], "slow-producer") == 0)
            mode = SLOW_PRODUCER;
        else if (strcmp(argv[2], "balanced") != 0)
            FAIL("unknown mode %s", argv[2]);
        result = run_records(mode, arg_u64(argc, argv, 3), arg_u64(argc, argv, 4));
    } else if (strcmp(argv[1], "stream") == 0) {
        result = run_stream(arg_u64(argc, argv, 2), arg_u64(argc, argv, 3));
    } else if (strcmp(argv[1], "pingpong") == 0) {
        result = run_pingpong(arg_u64(argc, argv, 2), arg_u64(argc, argv, 3));
    } else if (strcmp(argv[1], "multi") == 0) {
        result =
            run_multi((int)arg_u64(argc, argv, 2), arg_u64(argc, argv, 3), arg_u64(argc, argv, 4));
    } else {
        FAIL("unknown scenario %s", argv[1]);
    }
    atomic_store(&finished, 1);
    pthread_join(dog, NULL);
    return result;
}
