/* SPDX-License-Identifier: MIT */
/* TAP reporting for the system test programs (programs in a test system,
 * tests/system/NAME.dts): each test has a stable ID and a description and
 * prints one "ok N - ID description" or "not ok" line; the driver ends with
 * the "N passed, M failed" line tests/qemu/run-test.sh checks, then powers
 * the machine off with the number of failures as QEMU's exit status. */
#ifndef SYSTEST_TAP_H
#define SYSTEST_TAP_H

#include <stdbool.h>
#include <stdint.h>

#include "system.h"
#include "tsr/service.h"
#include "tsr/stdio.h"
#include "tsr/string.h"
#include "tsr/sys.h"

struct systest {
    const char *id;
    const char *description;
    bool (*run)(void);
};

bool tap_fail(const char *file, int line, const char *what, long got, long want);
/* Run the tests of a table (ends at an entry with id NULL). */
void tap_run(const struct systest *tests);
/* Print the summary and switch the machine off with the failure count. */
_Noreturn void tap_finish(void);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond))                                                                               \
            return tap_fail(__FILE__, __LINE__, #cond, 0, 0);                                      \
    } while (0)
#define CHECK_EQ(got, want)                                                                        \
    do {                                                                                           \
        long got_ = (long)(got), want_ = (long)(want);                                             \
        if (got_ != want_)                                                                         \
            return tap_fail(__FILE__, __LINE__, #got " == " #want, got_, want_);                   \
    } while (0)

/* The system interface (the root task) and a program's status by name. */
idl_transport *tap_system(void);
bool tap_program(const char *name, program_status_t *st);
/* Does s contain sub? */
bool tap_contains(const char *s, const char *sub);
/* The time in microseconds (the generic timer). */
uint64_t tap_now_us(void);

#endif
