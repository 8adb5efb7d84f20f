/* SPDX-License-Identifier: MIT */
/* What the single-threaded ring tests share: a region holding one ring with
 * both sides attached, fake notifications that act out the other side while
 * one side "sleeps", access to the shared header words at their documented
 * offsets (docs/ring.md), and record helpers. */
#ifndef TESTS_RING_FIXTURE_H
#define TESTS_RING_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "tsr/ring.h"

#include "ring_pattern.h"

/* Byte offsets of the header words (the layout is ABI, docs/ring.md). */
enum {
    OFF_MAGIC = 0,
    OFF_DATA_SIZE = 8,
    OFF_HEAD = 64,
    OFF_TAIL = 128,
    OFF_PRODUCER_SLEEP = 192,
    OFF_PRODUCER_WAKE_TAIL = 200,
    OFF_CONSUMER_SLEEP = 256,
};

/* A notification as the kernel's, for one thread: signal latches, wait takes
 * the latch. There is no other thread, so a wait with nothing latched first
 * lets `while_asleep` act as the other side; if that does not signal either,
 * a real wait would block for ever: it counts a lost wake-up and fails. */
struct fake_notification {
    int pending;
    int signals;
    int waits;
    int lost_wakeups;
    int fail_wait;   /* wait returns an error */
    int fail_signal; /* signal returns an error (and latches nothing) */
    void (*while_asleep)(void *ctx);
    void *ctx;
};

int fake_signal(void *arg);
int fake_wait(void *arg);

struct fixture {
    unsigned char *region;
    size_t size;
    struct tsr_ring producer;
    struct tsr_ring consumer;
    struct fake_notification producer_wakes; /* the producer waits here */
    struct fake_notification consumer_wakes; /* the consumer waits here */
};

/* Format a ring of `size` data bytes whose indices both start at `start` (a
 * multiple of 8), attach both sides with fake notifications. 0 on success. */
int fixture_init(struct fixture *f, size_t size, uint64_t start);
void fixture_free(struct fixture *f);

uint64_t shared_word(const struct fixture *f, size_t offset);
void set_shared_word(struct fixture *f, size_t offset, uint64_t value);
/* The record header word the ring writes for `length`. */
uint64_t record_header_word(uint64_t length);

/* Write record `seq` (`len` pattern bytes, len <= 8192) with try_write. */
tsr_ring_status_t fixture_put(struct fixture *f, uint64_t seq, size_t len);
/* Read one record with try_read; 0 if it is record `seq` of `len` bytes,
 * otherwise the running test case fails. */
int fixture_take(struct fixture *f, uint64_t seq, size_t len);

#endif
