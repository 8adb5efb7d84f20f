/* SPDX-License-Identifier: MIT */
/* A minimal test harness for the cap/ unit tests: TEST(ID, "description")
 * registers a case with a stable ID; CHECK* report the file, line and values
 * and end the case. test_main.c runs the cases in ID order (all, or those
 * whose ID or description contains argv[1]). */
#ifndef TESTS_CAP_TEST_H
#define TESTS_CAP_TEST_H

#include <stdio.h>

#include "world.h"

void test_register(const char *id, const char *desc, void (*fn)(void));
void test_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
extern int test_case_failed;

#define TEST(id, desc)                                                                      \
    static void id##_run(void);                                                             \
    __attribute__((constructor)) static void id##_register(void)                          \
    {                                                                                       \
        test_register(#id, desc, id##_run);                                                 \
    }                                                                                       \
    static void id##_run(void)

#define CHECK(cond)                                                                         \
    do {                                                                                    \
        if (!(cond)) {                                                                      \
            test_fail(__FILE__, __LINE__, "%s", #cond);                                     \
            return;                                                                         \
        }                                                                                   \
    } while (0)

#define CHECK_EQ(a, b)                                                                      \
    do {                                                                                    \
        unsigned long long check_a_ = (unsigned long long)(a);                              \
        unsigned long long check_b_ = (unsigned long long)(b);                              \
        if (check_a_ != check_b_) {                                                         \
            test_fail(__FILE__, __LINE__, "%s == %s (0x%llx != 0x%llx)", #a, #b, check_a_,  \
                      check_b_);                                                            \
            return;                                                                         \
        }                                                                                   \
    } while (0)

/* Every invariant of world.h holds. */
#define CHECK_WORLD(w)                                                                      \
    do {                                                                                    \
        char check_why_[400];                                                               \
        if (!world_check((w), check_why_, sizeof check_why_)) {                             \
            test_fail(__FILE__, __LINE__, "invariant: %s", check_why_);                     \
            return;                                                                         \
        }                                                                                   \
    } while (0)

/* ---- helpers shared by the unit tests (test_main.c) ---- */

/* A big budget: operations complete in one call. */
#define BIG_BUDGET 1000000u

/* The case's world (freed by the runner after each case, so a failing CHECK
 * leaks nothing): the default world or one from a configuration. */
struct world *new_world(void);
struct world *new_world_cfg(const struct world_config *cfg);

/* Retype one object into root slot `index`; returns the error. */
tsr_error_t retype_into(struct world *w, unsigned ut, tsr_object_type_t type, unsigned bits,
                        unsigned index);
/* Delete / revoke with a big budget. */
tsr_error_t del(struct cte *slot);
tsr_error_t rev(struct cte *slot);
/* The slots of a CNode / TCB capability (NULL if none). */
struct cte *slots_of(const struct cap *cap);
/* Live mock instance for a capability's object. */
struct mock_instance *inst_of(const struct cap *cap);

#endif
