/* SPDX-License-Identifier: MIT */
/* Formatted output for the kernel console (printf.c), on the shared
 * formatter of lib/fmt.h. */
#ifndef KERNEL_PRINTF_H
#define KERNEL_PRINTF_H

#include <stdarg.h>
#include <stddef.h>

#include "lib/fmt.h"

int kprintf(const char *fmt, ...) FMT_PRINTF(1, 2);
int vkprintf(const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...) FMT_PRINTF(3, 4);

#endif
