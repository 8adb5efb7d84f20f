/* SPDX-License-Identifier: MIT */
/* Test payloads and seeded randomness for the ring tests: a payload byte is
 * a function of (sequence number, position), so a reader can check any
 * record or stream byte without a copy of what was sent. */
#ifndef TESTS_RING_PATTERN_H
#define TESTS_RING_PATTERN_H

#include <stddef.h>
#include <stdint.h>

unsigned char pattern_byte(uint64_t seq, uint64_t at);
void fill_pattern(unsigned char *buf, size_t n, uint64_t seq);
/* Index of the first byte that differs, or n if all match. */
size_t check_pattern(const unsigned char *buf, size_t n, uint64_t seq);

/* splitmix64: a seeded generator, so every run is the same. */
uint64_t rng_next(uint64_t *state);
/* Uniform enough in [0, bound); 0 if bound is 0. */
uint64_t rng_below(uint64_t *state, uint64_t bound);

#endif
