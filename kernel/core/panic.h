/* SPDX-License-Identifier: MIT */
/* Stopping the kernel: panic() for broken kernel invariants, and the exit
 * statuses a test or benchmark build reports to QEMU through semihosting. */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

#include "core/printf.h"

/* Status values for arch_exit(): the QEMU harness checks them. */
#define KERNEL_EXIT_OK 0
#define KERNEL_EXIT_TESTS_FAILED 1
#define KERNEL_EXIT_PANIC 3

_Noreturn void panic_at(const char *file, int line, const char *fmt, ...) FMT_PRINTF(3, 4);
#define panic(...) panic_at(__FILE__, __LINE__, __VA_ARGS__)

/* Kernel invariants, checked in debug builds (TESSERA_DEBUG). */
#ifdef TESSERA_DEBUG
#define kassert(cond)                                                                              \
    do {                                                                                           \
        if (!(cond))                                                                               \
            panic("assertion failed: %s", #cond);                                                  \
    } while (0)
#else
#define kassert(cond) ((void)sizeof(cond))
#endif

#endif
