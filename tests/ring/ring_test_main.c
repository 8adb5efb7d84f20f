/* SPDX-License-Identifier: MIT */
/* Runs the registered ring unit tests in ID order and reports each one; the
 * exit status is the number of failed cases (capped at 100). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ring_test.h"

#define MAX_TESTS 256

struct test_case {
    const char *id;
    const char *desc;
    void (*fn)(void);
};

static struct test_case cases[MAX_TESTS];
static int case_count;
static int current_failed;

void test_register(const char *id, const char *desc, void (*fn)(void))
{
    if (case_count == MAX_TESTS) {
        fprintf(stderr, "too many tests\n");
        exit(100);
    }
    cases[case_count++] = (struct test_case){id, desc, fn};
}

void test_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "  %s:%d: check failed: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    current_failed = 1;
}

int test_failed(void)
{
    return current_failed;
}

static int by_id(const void *a, const void *b)
{
    return strcmp(((const struct test_case *)a)->id, ((const struct test_case *)b)->id);
}

int main(int argc, char **argv)
{
    const char *filter = argc > 1 ? argv[1] : NULL;
    int run = 0, failed = 0;
    qsort(cases, (size_t)case_count, sizeof cases[0], by_id);
    for (int i = 0; i < case_count; i++) {
        if (filter && !strstr(cases[i].id, filter) && !strstr(cases[i].desc, filter))
            continue;
        current_failed = 0;
        cases[i].fn();
        run++;
        printf("%s %s: %s\n", current_failed ? "FAIL" : "ok  ", cases[i].id, cases[i].desc);
        failed += current_failed;
    }
    printf("%d run, %d failed\n", run, failed);
    if (run == 0)
        return 1; /* a filter that matches nothing is a mistake */
    return failed > 100 ? 100 : failed;
}
