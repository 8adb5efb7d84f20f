/* SPDX-License-Identifier: MIT */
/* printf-style formatting into a character sink (fmt.c): the one formatter
 * the kernel's console, user space's printf and snprintf all use. */
#ifndef LIB_FMT_H
#define LIB_FMT_H

#include <stdarg.h>
#include <stddef.h>

#define FMT_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* Format into a sink. Supports %c %s %d %i %u %x %X %p %% with the flags
 * '-', '0', a field width, and the length modifiers h, hh, l, ll, z. */
typedef void (*fmt_sink_t)(char c, void *ctx);
int vformat(fmt_sink_t sink, void *ctx, const char *fmt, va_list ap);
/* snprintf's contract on top of vformat: at most size-1 characters and a
 * terminator are stored; the return value is the full length. */
int vformat_to_buffer(char *buf, size_t size, const char *fmt, va_list ap);

#endif
