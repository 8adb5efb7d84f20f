/* SPDX-License-Identifier: MIT */
/* Minimal check macros for the IDL compile-and-run tests: every failed check
 * prints where and what; the test ends with "N passed, N failed" and a
 * nonzero exit status if anything failed. */
#ifndef IDLC_TESTUTIL_H
#define IDLC_TESTUTIL_H

#include <stdio.h>

static unsigned t_checks, t_failed;

#define CHECK(cond)                                                                        \
    do {                                                                                   \
        t_checks++;                                                                        \
        if (!(cond)) {                                                                     \
            t_failed++;                                                                    \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);     \
        }                                                                                  \
    } while (0)

#define CHECK_EQ(a, b)                                                                     \
    do {                                                                                   \
        unsigned long long t_a = (unsigned long long)(a), t_b = (unsigned long long)(b);   \
        t_checks++;                                                                        \
        if (t_a != t_b) {                                                                  \
            t_failed++;                                                                    \
            fprintf(stderr, "%s:%d: check failed: %s == %s (0x%llx != 0x%llx)\n", __FILE__, \
                    __LINE__, #a, #b, t_a, t_b);                                           \
        }                                                                                  \
    } while (0)

static int t_finish(void)
{
    printf("%u passed, %u failed\n", t_checks - t_failed, t_failed);
    return t_failed ? 1 : 0;
}

#endif /* IDLC_TESTUTIL_H */
