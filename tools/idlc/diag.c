/* SPDX-License-Identifier: MIT */
/* Diagnostic formatting: location prefix, message, numbered code, the
 * offending source line and a caret underline (see diag.h). */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

uint32_t diag_add_file(diag_ctx *d, const char *path, const char *text, size_t len)
{
    source_file *f = VEC_PUSH(d->arena, d->files, d->nfiles, d->files_cap);
    f->path = path;
    f->text = text;
    f->len = len;
    return (uint32_t)(d->nfiles - 1);
}

/* Print the source line of loc and a caret line under the span. Tabs in
 * front of the column are copied so the caret lines up in any editor. */
static void print_caret(diag_ctx *d, src_loc loc)
{
    if (loc.file >= d->nfiles || loc.line == 0)
        return;
    const source_file *f = &d->files[loc.file];
    const char *p = f->text, *end = f->text + f->len;
    for (uint32_t line = 1; line < loc.line && p < end; p++) {
        if (*p == '\n')
            line++;
    }
    const char *eol = p;
    while (eol < end && *eol != '\n')
        eol++;
    size_t n = (size_t)(eol - p);
    if (n > 0 && p[n - 1] == '\r')
        n--;
    sb_putn(d->out, p, n);
    sb_putc(d->out, '\n');
    uint32_t col = loc.col ? loc.col : 1;
    for (uint32_t i = 1; i < col; i++)
        sb_putc(d->out, (i - 1 < n && p[i - 1] == '\t') ? '\t' : ' ');
    sb_putc(d->out, '^');
    uint32_t len = loc.len;
    /* Underline no further than the end of the line. */
    if (col - 1 + (size_t)len > n)
        len = n >= col ? (uint32_t)(n - (col - 1)) : 1;
    for (uint32_t i = 1; i < len; i++)
        sb_putc(d->out, '~');
    sb_putc(d->out, '\n');
}

static void print_rec(diag_ctx *d, const diag_rec *r)
{
    const char *kind = r->code ? "error" : "note";
    if (r->loc.file < d->nfiles)
        sb_printf(d->out, "%s:%u:%u: %s: ", d->files[r->loc.file].path, r->loc.line,
                  r->loc.col, kind);
    else
        sb_printf(d->out, "idlc: %s: ", kind);
    sb_puts(d->out, r->text);
    if (r->code > 0)
        sb_printf(d->out, " [IDL%04d]", r->code);
    sb_putc(d->out, '\n');
    print_caret(d, r->loc);
}

static void record(diag_ctx *d, int code, src_loc loc, const char *fmt, va_list ap)
{
    strbuf sb;
    sb_init(&sb);
    sb_vprintf(&sb, fmt, ap);
    diag_rec *r = VEC_PUSH(d->arena, d->recs, d->nrecs, d->recs_cap);
    r->loc = loc;
    r->code = code;
    r->text = arena_strndup(d->arena, sb.data, sb.len);
    r->seq = d->nrecs - 1;
    sb_free(&sb);
}

void diag_error(diag_ctx *d, diag_code code, src_loc loc, const char *fmt, ...)
{
    d->drop_notes = true;
    if (d->errors >= DIAG_COLLECT_MAX)
        return;
    if (d->quiet && loc.file == d->quiet_file && loc.line == d->quiet_line)
        return;
    d->drop_notes = false;
    va_list ap;
    va_start(ap, fmt);
    record(d, (int)code, loc, fmt, ap);
    va_end(ap);
    d->errors++;
}

void diag_note(diag_ctx *d, src_loc loc, const char *fmt, ...)
{
    if (d->drop_notes || d->nrecs == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    record(d, 0, loc, fmt, ap);
    va_end(ap);
}

void diag_quiet_line(diag_ctx *d, uint32_t file, uint32_t line)
{
    /* The error just reported stays; the line's earlier ones are at the end
     * of the list, just before it, as lexing goes line by line. */
    if (d->nrecs == 0 || d->recs[d->nrecs - 1].loc.file != file ||
        d->recs[d->nrecs - 1].loc.line != line || d->recs[d->nrecs - 1].code == 0)
        return; /* the error was not kept (too many): nothing to keep it company */
    diag_rec last = d->recs[--d->nrecs];
    while (d->nrecs > 0 && d->recs[d->nrecs - 1].loc.file == file &&
           d->recs[d->nrecs - 1].loc.line == line) {
        if (d->recs[--d->nrecs].code != 0)
            d->errors--;
    }
    d->recs[d->nrecs++] = last;
    d->quiet = true;
    d->quiet_file = file;
    d->quiet_line = line;
}

int diag_saturated(const diag_ctx *d)
{
    return d->errors >= DIAG_COLLECT_MAX;
}

typedef struct diag_group {
    uint64_t rank;
    const diag_rec *first; /* the error; its notes follow it in recs */
} diag_group;

static int group_cmp(const void *pa, const void *pb)
{
    const diag_group *a = pa, *b = pb;
    if (a->rank != b->rank)
        return a->rank < b->rank ? -1 : 1;
    if (a->first->loc.line != b->first->loc.line)
        return a->first->loc.line < b->first->loc.line ? -1 : 1;
    if (a->first->loc.col != b->first->loc.col)
        return a->first->loc.col < b->first->loc.col ? -1 : 1;
    return a->first->seq < b->first->seq ? -1 : a->first->seq > b->first->seq;
}

void diag_flush(diag_ctx *d)
{
    size_t n = 0;
    for (size_t i = 0; i < d->nrecs; i++)
        n += d->recs[i].code != 0;
    diag_group *g = arena_alloc(d->arena, (n ? n : 1) * sizeof *g);
    size_t k = 0;
    for (size_t i = 0; i < d->nrecs; i++) {
        const diag_rec *r = &d->recs[i];
        if (r->code == 0)
            continue;
        /* Messages without a file (none yet) come first. */
        uint64_t rank = 0;
        if (r->loc.file < d->nfiles)
            rank = 1 + (uint64_t)(d->rank ? d->rank[r->loc.file] : r->loc.file);
        g[k].rank = rank;
        g[k].first = r;
        k++;
    }
    qsort(g, n, sizeof *g, group_cmp);
    size_t shown = n < DIAG_MAX_ERRORS ? n : DIAG_MAX_ERRORS;
    for (size_t i = 0; i < shown; i++) {
        const diag_rec *r = g[i].first, *end = d->recs + d->nrecs;
        print_rec(d, r);
        for (r++; r < end && r->code == 0; r++)
            print_rec(d, r);
    }
    if (n > shown)
        sb_printf(d->out, "idlc: note: %zu more errors not shown\n", n - shown);
    d->nrecs = 0;
}

const char *diag_describe(unsigned code)
{
    switch (code) {
#define X(n, desc)                                                                         \
    case n:                                                                                \
        return desc;
        IDL_DIAGNOSTICS(X)
#undef X
    }
    return NULL;
}

void diag_list(strbuf *sb)
{
#define X(n, desc) sb_printf(sb, "IDL%04d %s\n", n, desc);
    IDL_DIAGNOSTICS(X)
#undef X
}
