/* SPDX-License-Identifier: MIT */
/* A minimal check macro for the system host tests: report the failed
 * condition with its place and count it; main returns the count. */
#ifndef SYS_CHECK_H
#define SYS_CHECK_H

#include <stdio.h>

extern int check_failures;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);              \
            check_failures++;                                                                      \
        }                                                                                          \
    } while (0)

#endif
