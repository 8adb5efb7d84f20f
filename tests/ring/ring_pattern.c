/* SPDX-License-Identifier: MIT */
/* Payload patterns and the seeded generator of ring_pattern.h. */
#include "ring_pattern.h"

unsigned char pattern_byte(uint64_t seq, uint64_t at)
{
    return (unsigned char)(seq * 131 + at * 7 + (at >> 8) + 1);
}

void fill_pattern(unsigned char *buf, size_t n, uint64_t seq)
{
    for (size_t i = 0; i < n; i++)
        buf[i] = pattern_byte(seq, i);
}

size_t check_pattern(const unsigned char *buf, size_t n, uint64_t seq)
{
    for (size_t i = 0; i < n; i++)
        if (buf[i] != pattern_byte(seq, i))
            return i;
    return n;
}

uint64_t rng_next(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

uint64_t rng_below(uint64_t *state, uint64_t bound)
{
    return bound ? rng_next(state) % bound : 0;
}
