/* SPDX-License-Identifier: MIT */
/* Formatted output for the kernel console. */
#ifndef KERNEL_PRINTF_H
#define KERNEL_PRINTF_H

#include <stdarg.h>
#include <stddef.h>

#define KPRINTF_FORMAT(f, a) __attribute__((format(printf, f, a)))

/* Format into a sink. Supports %c %s %d %i %u %x %X %p %% with the flags
 * '-', '0', a field width, and the length modifiers h, hh, l, ll, z. */
typedef void (*fmt_sink_t)(char c, void *ctx);
int vformat(fmt_sink_t sink, void *ctx, const char *fmt, va_list ap);
/* snprintf's contract on top of vformat: at most size-1 characters and a
 * terminator are stored; the return value is the full length. */
int vformat_to_buffer(char *buf, size_t size, const char *fmt, va_list ap);

int kprintf(const char *fmt, ...) KPRINTF_FORMAT(1, 2);
int vkprintf(const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...) KPRINTF_FORMAT(3, 4);

#endif
