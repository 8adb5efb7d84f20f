/* SPDX-License-Identifier: MIT */
/* In-guest test reporting in the format the QEMU harness parses: one TAP line
 * per test, "ok N - ID description" or "not ok N - ID description", then a
 * closing "N passed, M failed" line. Test IDs are stable (e.g. MMU0001). */
#ifndef KERNEL_KTEST_H
#define KERNEL_KTEST_H

#include <stdbool.h>

#include "core/printf.h"

void ktest_plan(unsigned count);
/* Record one result; returns ok so callers can chain on it. */
bool ktest_result(bool ok, const char *id, const char *description);
/* A "# ..." diagnostic line, e.g. why a check failed. */
void ktest_diag(const char *fmt, ...) FMT_PRINTF(1, 2);
/* Print the summary; returns the number of failures. */
unsigned ktest_finish(void);

#define KTEST_CHECK(cond)                                                                          \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            ktest_diag("%s:%d: check failed: %s", __FILE__, __LINE__, #cond);                      \
            return false;                                                                          \
        }                                                                                          \
    } while (0)

#endif
