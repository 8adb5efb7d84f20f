/* SPDX-License-Identifier: MIT */
/* Formatted output for user programs, written to the kernel's debug
 * console (TSR_SYS_DEBUG_WRITE). Same conversions as the kernel's printf. */
#ifndef TSR_STDIO_H
#define TSR_STDIO_H

#include <stdarg.h>
#include <stddef.h>

int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int puts(const char *s);
/* Where printf's lines go: the kernel's debug console by default; programs
 * that use the console service point it there (tsr/console.h). */
extern void (*tsr_stdout)(const char *s, size_t len);

#endif
