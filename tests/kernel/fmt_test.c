/* SPDX-License-Identifier: MIT */
/* Host test of kernel/lib/fmt.c: every conversion the kernel's printf supports is
 * compared with the C library's snprintf on the same format and arguments;
 * ksnprintf truncation is checked at every buffer size. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "arch.h"
#include "core/printf.h"

static int failures;
static char console[64];
static size_t console_used;

/* The arch hook printf.c writes the console through. */
void arch_console_putc(char c)
{
    if (console_used < sizeof(console))
        console[console_used++] = c;
}

struct buf {
    char data[256];
    size_t used;
};

static void sink(char c, void *ctx)
{
    struct buf *b = ctx;
    if (b->used + 1 < sizeof(b->data))
        b->data[b->used++] = c;
}

static void check(const char *fmt, ...)
{
    struct buf ours = {{0}, 0};
    char theirs[256];
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vformat(sink, &ours, fmt, ap);
    int m = vsnprintf(theirs, sizeof(theirs), fmt, ap2);
    va_end(ap2);
    va_end(ap);
    ours.data[ours.used] = '\0';
    if (n != m || strcmp(ours.data, theirs) != 0) {
        fprintf(stderr, "FAIL format \"%s\": ours \"%s\" (%d), libc \"%s\" (%d)\n", fmt, ours.data,
                n, theirs, m);
        failures++;
    }
}

int main(void)
{
    check("plain text");
    check("%d %d %d %d", 0, 1, -1, 2147483647);
    check("%d", (int)-2147483647 - 1);
    check("%i|%5d|%-5d|%05d", 42, -42, 42, 42);
    check("%u %u", 0u, 4294967295u);
    check("%lu %ld %ld", 18446744073709551615ul, -9223372036854775807l - 1, 0l);
    check("%llu %lld", 18446744073709551615ull, -1ll);
    check("%zu", (size_t)123456789);
    check("%x %X %08x %-8x| %lx", 0xdeadbeefu, 0xdeadbeefu, 0xabu, 0xabu, 0x123456789abcul);
    check("%016lx", 0xfffffffffffffffful);
    check("%hhu %hu %hhd %hd", 300, 70000, 200, 40000);
    check("%c%c%c", 'a', 'b', 'c');
    check("%s|%10s|%-10s|", "str", "right", "left");
    check("%%");
    check("%p", (void *)0x1234);

    /* ksnprintf: returns the full length, stores at most size-1 bytes plus
     * the terminator, at every buffer size. */
    const char *text = "truncated output";
    for (size_t size = 1; size <= strlen(text) + 2; size++) {
        char want[64], got[64];
        memset(got, 'X', sizeof(got));
        snprintf(want, size, "%s", text);
        int n = ksnprintf(got, size, "%s", text);
        if ((size_t)n != strlen(text) || strcmp(got, want) != 0 || got[size] != 'X') {
            fprintf(stderr, "FAIL ksnprintf truncation at size %zu: \"%s\"\n", size, got);
            failures++;
        }
    }

    /* kprintf turns "\n" into "\r\n" for serial terminals. */
    console_used = 0;
    kprintf("a\nb%d\n", 7);
    if (console_used != 7 || memcmp(console, "a\r\nb7\r\n", 7) != 0) {
        fprintf(stderr, "FAIL kprintf newline handling\n");
        failures++;
    }
    if (failures) {
        fprintf(stderr, "%d failure(s)\n", failures);
        return 1;
    }
    printf("fmt: all conversions agree with libc\n");
    return 0;
}
