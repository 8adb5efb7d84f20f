/* SPDX-License-Identifier: MIT */
/* The kernel's console printf and a bounded snprintf, on top of fmt.c. */
#include <stdarg.h>
#include <stddef.h>

#include "arch.h"
#include "core/printf.h"

static void console_sink(char c, void *ctx)
{
    (void)ctx;
    if (c == '\n')
        arch_console_putc('\r');
    arch_console_putc(c);
}

int vkprintf(const char *fmt, va_list ap)
{
    return vformat(console_sink, NULL, fmt, ap);
}

int kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vkprintf(fmt, ap);
    va_end(ap);
    return n;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vformat_to_buffer(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
