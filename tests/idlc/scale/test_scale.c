/* SPDX-License-Identifier: MIT */
/* Scale test (idlc-scale): the compiler on inputs far larger than any real
 * one, built in memory: 100,000 constants each defined from the one before,
 * 100,000 structs each containing the one before, 100,000 files each
 * importing the next, a cycle of each, and one enum, struct and interface
 * with tens of thousands of members. No input may crash idlc (it runs here
 * under ASan/UBSan on an ordinary stack, where recursion as deep as the
 * input would overflow), each gives its expected result, and compile time
 * grows linearly: N declarations may take at most 30 times as long as N/10
 * (linear is about 10, quadratic 100). Times are CPU time, so other
 * processes on the machine hardly matter; each size runs once, or up to
 * three times if the ratio looks too high, keeping the best time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "idlc.h"

#define N 100000u

typedef struct shape {
    const char *name;
    /* Write file number `file` (of `n` for import chains) for size n. */
    void (*write)(strbuf *sb, size_t n, size_t file);
    int expect;         /* 0: compiles; else the one diagnostic expected */
    const char *output; /* on success, text the header or client must hold */
} shape;

static const char guid[] = "5e1f0c2d-8a7b-4c3d-9e0f-a1b2c3d4e5f6";

static void const_chain(strbuf *sb, size_t n, size_t file)
{
    (void)file;
    sb_puts(sb, "const c0: u32 = 7;\n");
    for (size_t i = 1; i < n; i++)
        sb_printf(sb, "const c%zu: u32 = c%zu;\n", i, i - 1);
    sb_printf(sb, "struct last { s: string<c%zu>; }\n", n - 1);
}

static void const_cycle(strbuf *sb, size_t n, size_t file)
{
    (void)file;
    sb_printf(sb, "const c0: u32 = c%zu;\n", n - 1);
    for (size_t i = 1; i < n; i++)
        sb_printf(sb, "const c%zu: u32 = c%zu;\n", i, i - 1);
}

static void struct_chain(strbuf *sb, size_t n, size_t file)
{
    (void)file;
    sb_puts(sb, "struct s0 { x: u8; }\n");
    for (size_t i = 1; i < n; i++)
        sb_printf(sb, "struct s%zu { x: s%zu; }\n", i, i - 1);
}

static void struct_cycle(strbuf *sb, size_t n, size_t file)
{
    (void)file;
    for (size_t i = 0; i < n; i++)
        sb_printf(sb, "struct s%zu { x: s%zu; }\n", i, (i + 1) % n);
}

/* Nested structs sent by a method: the codecs of every one are emitted. */
static void struct_chain_sent(strbuf *sb, size_t n, size_t file)
{
    n /= 10;
    struct_chain(sb, n, file);
    sb_printf(sb, "interface deep { guid = \"%s\"; version = 1; 1: f(a: s%zu) -> (b: s%zu); }\n",
              guid, n - 1, n - 1);
}

static void import_chain(strbuf *sb, size_t n, size_t file)
{
    if (file + 1 < n)
        sb_printf(sb, "import \"f%zu.idl\";\n", file + 1);
    sb_printf(sb, "struct t%zu { x: u8; }\n", file);
}

static void import_cycle(strbuf *sb, size_t n, size_t file)
{
    sb_printf(sb, "import \"f%zu.idl\";\n", (file + 1) % n);
    sb_printf(sb, "struct t%zu { x: u8; }\n", file);
}

static void wide_enum(strbuf *sb, size_t n, size_t file)
{
    (void)file;
    sb_puts(sb, "enum wide : u32 {\n");
    for (size_t i = 0; i < n; i++)
        sb_printf(sb, "    v%zu = %zu;\n", i, i * 3);
    sb_puts(sb, "}\n");
}

/* Too big for a message (IDL0064), but every field is checked first. */
static void wide_struct(strbuf *sb, size_t n, size_t file)
{
    (void)file;
    sb_puts(sb, "struct wide {\n");
    for (size_t i = 0; i < n; i++)
        sb_printf(sb, "    f%zu: u8;\n", i);
    sb_puts(sb, "}\n");
}

/* Lacks its version (IDL0050), so nothing is emitted, but every method's
 * ordinal, name and parameters are checked. */
static void wide_interface(strbuf *sb, size_t n, size_t file)
{
    (void)file;
    n /= 2; /* ordinals stop at 65535 */
    sb_printf(sb, "interface wide {\n    guid = \"%s\";\n", guid);
    for (size_t i = 0; i < n; i++)
        sb_printf(sb, "    %zu: m%zu(a: u32, b: string<8>) -> (c: u64);\n", i + 1, i);
    sb_puts(sb, "}\n");
}

static const shape shapes[] = {
    {"constant chain", const_chain, 0, "#define C99999 ((uint32_t)7u)"},
    {"constant cycle", const_cycle, 36, NULL},
    {"struct chain", struct_chain, 0, "} s99999_t;"},
    {"struct cycle", struct_cycle, 34, NULL},
    {"struct chain sent by a method", struct_chain_sent, 0, "idlg_put_s0("},
    {"import chain", import_chain, 0, "#include \"f1.h\""},
    {"import cycle", import_cycle, 21, NULL},
    {"enum of many values", wide_enum, 0, "#define WIDE_V99999 ((wide_t)299997u)"},
    {"struct of many fields", wide_struct, 64, NULL},
    {"interface of many methods", wide_interface, 50, NULL},
};

typedef struct mem_fs {
    const shape *s;
    size_t n;
} mem_fs;

static bool mem_read(void *ctx, arena *a, const char *path, char **text, size_t *len)
{
    const mem_fs *fs = ctx;
    char *end;
    if (path[0] != 'f')
        return false;
    unsigned long file = strtoul(path + 1, &end, 10);
    if (strcmp(end, ".idl") != 0 || file >= fs->n)
        return false;
    strbuf sb;
    sb_init(&sb);
    fs->s->write(&sb, fs->n, file);
    *text = arena_strndup(a, sb.data, sb.len);
    *len = sb.len;
    sb_free(&sb);
    return true;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static unsigned failures;

#define FAIL(...)                                                                          \
    do {                                                                                   \
        fprintf(stderr, "FAIL %s (n=%zu): ", s->name, n);                                  \
        fprintf(stderr, __VA_ARGS__);                                                      \
        fputc('\n', stderr);                                                               \
        failures++;                                                                        \
    } while (0)

/* Compile the shape at size n `repeats` times, check the outcome, return
 * the best time. */
static double run(const shape *s, size_t n, int repeats)
{
    double best = 1e9;
    for (int r = 0; r < repeats; r++) {
        mem_fs fs = {s, n};
        idlc_options o = {"f0.idl", NULL, 0, mem_read, &fs, NULL};
        idlc c;
        double t0 = now();
        bool ok = idlc_compile(&c, &o);
        double dt = now() - t0;
        if (dt < best)
            best = dt;
        if (s->expect == 0) {
            if (!ok)
                FAIL("did not compile:\n%.2000s", c.messages.data);
            else if (n == N && strstr(c.header.data, s->output) == NULL &&
                     strstr(c.client.data, s->output) == NULL)
                FAIL("output lacks '%s'", s->output);
        } else {
            char code[16];
            snprintf(code, sizeof code, "[IDL%04d]", s->expect);
            if (ok || c.diag.errors != 1 || strstr(c.messages.data, code) == NULL)
                FAIL("expected exactly one %s error, got %u:\n%.2000s", code, c.diag.errors,
                     c.messages.data);
        }
        idlc_free(&c);
    }
    return best;
}

int main(void)
{
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        const shape *s = &shapes[i];
        size_t n = N;
        /* Rounds of one run at each size, keeping the best of each, until
         * the ratio is plausible or three rounds are done. */
        double small = 1e9, big = 1e9;
        for (int round = 0; round < 3; round++) {
            double t = run(s, N / 10, 1);
            small = t < small ? t : small;
            t = run(s, N, 1);
            big = t < big ? t : big;
            if (big <= 0.2 || big <= 30 * small)
                break;
        }
        printf("%-32s n=%u: %7.3f s, n=%u: %7.3f s, ratio %.1f\n", s->name, N / 10, small, N,
               big, big / small);
        /* Below 0.2 s at n = 100,000 nothing can be quadratic. */
        if (big > 0.2 && big > 30 * small)
            FAIL("%.3f s is more than 30 times the %.3f s of n=%u: not linear", big, small,
                 N / 10);
    }
    printf("%s\n", failures ? "FAILED" : "all scale checks passed");
    return failures ? 1 : 0;
}
