/* SPDX-License-Identifier: MIT */
/* printf for user programs: format with the shared formatter (kernel/lib/fmt.c)
 * into a line buffer and write it through tsr_stdout: the debug console
 * system call, unless the program points it at a console service. */
#include <stdarg.h>
#include <stddef.h>

#include "lib/fmt.h"
#include "tsr/stdio.h"
#include "tsr/string.h"
#include "tsr/syscall.h"

static void debug_console_write(const char *s, size_t len)
{
    tsr_debug_write(s, len);
}

void (*tsr_stdout)(const char *s, size_t len) = debug_console_write;

struct line {
    char buf[128];
    size_t used;
};

static void flush(struct line *l)
{
    if (l->used)
        tsr_stdout(l->buf, l->used);
    l->used = 0;
}

static void line_sink(char c, void *ctx)
{
    struct line *l = ctx;
    l->buf[l->used++] = c;
    if (l->used == sizeof(l->buf) || c == '\n')
        flush(l);
}

int vprintf(const char *fmt, va_list ap)
{
    struct line l = {.used = 0};
    int n = vformat(line_sink, &l, fmt, ap);
    flush(&l);
    return n;
}

int printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vprintf(fmt, ap);
    va_end(ap);
    return n;
}

int puts(const char *s)
{
    return printf("%s\n", s);
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vformat_to_buffer(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
