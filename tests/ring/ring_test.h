/* SPDX-License-Identifier: MIT */
/* A small harness for the ring's unit tests: TEST(ID, "description")
 * registers a case under a stable ID (RINGnnnn); CHECK and CHECK_EQ report
 * file, line and values and end the case. ring_test_main.c runs every case,
 * or those whose ID or description contains argv[1]. */
#ifndef TESTS_RING_TEST_H
#define TESTS_RING_TEST_H

#include <stdio.h>

void test_register(const char *id, const char *desc, void (*fn)(void));
void test_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* True once the running case has failed (helpers use it to stop early). */
int test_failed(void);

#define TEST(id, desc)                                                                             \
    static void id##_run(void);                                                                    \
    __attribute__((constructor)) static void id##_register(void)                                   \
    {                                                                                              \
        test_register(#id, desc, id##_run);                                                        \
    }                                                                                              \
    static void id##_run(void)

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            test_fail(__FILE__, __LINE__, "%s", #cond);                                            \
            return;                                                                                \
        }                                                                                          \
    } while (0)

#define CHECK_EQ(a, b)                                                                             \
    do {                                                                                           \
        unsigned long long check_a_ = (unsigned long long)(a);                                     \
        unsigned long long check_b_ = (unsigned long long)(b);                                     \
        if (check_a_ != check_b_) {                                                                \
            test_fail(__FILE__, __LINE__, "%s == %s (%llu != %llu)", #a, #b, check_a_, check_b_);  \
            return;                                                                                \
        }                                                                                          \
    } while (0)

/* In helpers that return a value: fail the case and return `ret`. */
#define CHECK_OR(cond, ret)                                                                        \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            test_fail(__FILE__, __LINE__, "%s", #cond);                                            \
            return ret;                                                                            \
        }                                                                                          \
    } while (0)

#endif
