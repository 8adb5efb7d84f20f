/* SPDX-License-Identifier: MIT */
/* The kernel's console printf and a bounded snprintf, on top of fmt.c. */
#include <stdarg.h>
#include <stddef.h>

#include "arch.h"
#include "printf.h"

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

struct buf_sink {
    char *buf;
    size_t size;
    size_t used;
};

static void buffer_sink(char c, void *ctx)
{
    struct buf_sink *b = ctx;
    if (b->used + 1 < b->size)
        b->buf[b->used] = c;
    b->used++;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
    struct buf_sink b = {buf, size, 0};
    va_list ap;
    va_start(ap, fmt);
    int n = vformat(buffer_sink, &b, fmt, ap);
    va_end(ap);
    if (size)
        buf[b.used < size ? b.used : size - 1] = '\0';
    return n;
}
