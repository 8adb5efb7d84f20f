/* SPDX-License-Identifier: MIT */
/* printf-style formatting into a character sink. Freestanding and free of
 * kernel state, so user space builds the same file for its own printf. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/fmt.h"

struct spec {
    bool left;      /* '-' */
    bool zero;      /* '0' */
    unsigned width;
    int length;     /* -2 hh, -1 h, 0 int, 1 long, 2 long long / size_t */
};

static int emit_padded(fmt_sink_t sink, void *ctx, const struct spec *sp, const char *prefix,
                       const char *body, size_t len)
{
    size_t plen = 0;
    while (prefix[plen])
        plen++;
    size_t total = plen + len;
    size_t pad = sp->width > total ? sp->width - total : 0;
    int n = 0;
    if (!sp->left && !sp->zero)
        for (; pad; pad--, n++)
            sink(' ', ctx);
    for (size_t i = 0; i < plen; i++, n++)
        sink(prefix[i], ctx);
    if (!sp->left && sp->zero)
        for (; pad; pad--, n++)
            sink('0', ctx);
    for (size_t i = 0; i < len; i++, n++)
        sink(body[i], ctx);
    for (; pad; pad--, n++)
        sink(' ', ctx);
    return n;
}

static int emit_unsigned(fmt_sink_t sink, void *ctx, const struct spec *sp, const char *prefix,
                         uint64_t v, unsigned base, bool upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char buf[24];
    size_t i = sizeof(buf);
    do {
        buf[--i] = digits[v % base];
        v /= base;
    } while (v);
    return emit_padded(sink, ctx, sp, prefix, buf + i, sizeof(buf) - i);
}

static uint64_t take_unsigned(va_list *ap, int length)
{
    switch (length) {
    case -2: return (unsigned char)va_arg(*ap, unsigned int);
    case -1: return (unsigned short)va_arg(*ap, unsigned int);
    case 0: return va_arg(*ap, unsigned int);
    case 1: return va_arg(*ap, unsigned long);
    default: return va_arg(*ap, unsigned long long);
    }
}

static int64_t take_signed(va_list *ap, int length)
{
    switch (length) {
    case -2: return (signed char)va_arg(*ap, int);
    case -1: return (short)va_arg(*ap, int);
    case 0: return va_arg(*ap, int);
    case 1: return va_arg(*ap, long);
    default: return va_arg(*ap, long long);
    }
}

int vformat(fmt_sink_t sink, void *ctx, const char *fmt, va_list ap_in)
{
    va_list ap;
    va_copy(ap, ap_in);
    int n = 0;
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            sink(*p, ctx);
            n++;
            continue;
        }
        struct spec sp = {0};
        for (p++;; p++) {
            if (*p == '-')
                sp.left = true;
            else if (*p == '0')
                sp.zero = true;
            else
                break;
        }
        while (*p >= '0' && *p <= '9')
            sp.width = sp.width * 10 + (unsigned)(*p++ - '0');
        for (;; p++) {
            if (*p == 'h')
                sp.length--;
            else if (*p == 'l')
                sp.length++;
            else if (*p == 'z')
                sp.length = 2;
            else
                break;
        }
        switch (*p) {
        case 'c': {
            char c = (char)va_arg(ap, int);
            n += emit_padded(sink, ctx, &sp, "", &c, 1);
            break;
        }
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s)
                s = "(null)";
            size_t len = 0;
            while (s[len])
                len++;
            sp.zero = false;
            n += emit_padded(sink, ctx, &sp, "", s, len);
            break;
        }
        case 'd':
        case 'i': {
            int64_t v = take_signed(&ap, sp.length);
            uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
            n += emit_unsigned(sink, ctx, &sp, v < 0 ? "-" : "", mag, 10, false);
            break;
        }
        case 'u':
            n += emit_unsigned(sink, ctx, &sp, "", take_unsigned(&ap, sp.length), 10, false);
            break;
        case 'x':
        case 'X':
            n += emit_unsigned(sink, ctx, &sp, "", take_unsigned(&ap, sp.length), 16, *p == 'X');
            break;
        case 'p':
            n += emit_unsigned(sink, ctx, &sp, "0x", (uintptr_t)va_arg(ap, void *), 16, false);
            break;
        case '%':
            sink('%', ctx);
            n++;
            break;
        case '\0':
            p--; /* a lone '%' at the end: stop at the terminator */
            break;
        default: /* unknown conversion: print it as is so the mistake shows */
            sink('%', ctx);
            sink(*p, ctx);
            n += 2;
            break;
        }
    }
    va_end(ap);
    return n;
}

struct buffer_sink {
    char *buf;
    size_t size, used;
};

static void buffer_sink(char c, void *ctx)
{
    struct buffer_sink *b = ctx;
    if (b->used + 1 < b->size)
        b->buf[b->used] = c;
    b->used++;
}

int vformat_to_buffer(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct buffer_sink b = {buf, size, 0};
    int n = vformat(buffer_sink, &b, fmt, ap);
    if (size)
        buf[b.used < size ? b.used : size - 1] = '\0';
    return n;
}
