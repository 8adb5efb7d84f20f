/* SPDX-License-Identifier: MIT */
/* In-guest test reporting in the format the QEMU harness parses: one TAP line
 * per test, "ok N - ID description" or "not ok N - ID description", then a
 * closing "N passed, M failed" line. Test IDs are stable (e.g. MMU0001). */
#ifndef KERNEL_KTEST_H
#define KERNEL_KTEST_H

#include <stdbool.h>
#include <stdint.h>

#include "core/printf.h"

/* Record one result; returns ok so callers can chain on it. */
bool ktest_result(bool ok, const char *id, const char *description);
/* A "# ..." diagnostic line, e.g. why a check failed. */
void ktest_diag(const char *fmt, ...) FMT_PRINTF(1, 2);
/* Compare the "key=value" expectation of the bootargs, if there is one,
 * with what was found (a diagnostic line if they differ). */
bool boot_expect(const char *key, uint64_t found);
/* The arch's own self-tests (arch/<arch>/selftest.c). */
void arch_selftests(void);
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
