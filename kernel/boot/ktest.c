/* SPDX-License-Identifier: MIT */
/* TAP-style result lines for the in-guest test suites (see ktest.h). */
#include <stdarg.h>
#include <stdbool.h>

#include "boot/ktest.h"
#include "core/printf.h"

static unsigned tests_run, tests_failed;

bool ktest_result(bool ok, const char *id, const char *description)
{
    tests_run++;
    if (!ok)
        tests_failed++;
    kprintf("%s %u - %s %s\n", ok ? "ok" : "not ok", tests_run, id, description);
    return ok;
}

void ktest_diag(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kprintf("# ");
    vkprintf(fmt, ap);
    kprintf("\n");
    va_end(ap);
}

unsigned ktest_finish(void)
{
    kprintf("%u passed, %u failed\n", tests_run - tests_failed, tests_failed);
    return tests_failed;
}
