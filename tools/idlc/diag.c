/* SPDX-License-Identifier: MIT */
/* Diagnostic formatting: location prefix, message, numbered code, the
 * offending source line and a caret underline (see diag.h). */
#include "diag.h"

#include <stdarg.h>
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

static void emit(diag_ctx *d, const char *kind, int code, src_loc loc, const char *fmt,
                 va_list ap)
{
    if (loc.file < d->nfiles)
        sb_printf(d->out, "%s:%u:%u: %s: ", d->files[loc.file].path, loc.line, loc.col, kind);
    else
        sb_printf(d->out, "idlc: %s: ", kind);
    sb_vprintf(d->out, fmt, ap);
    if (code > 0)
        sb_printf(d->out, " [IDL%04d]", code);
    sb_putc(d->out, '\n');
    print_caret(d, loc);
}

void diag_error(diag_ctx *d, diag_code code, src_loc loc, const char *fmt, ...)
{
    if (d->errors >= DIAG_MAX_ERRORS)
        return;
    va_list ap;
    va_start(ap, fmt);
    emit(d, "error", (int)code, loc, fmt, ap);
    va_end(ap);
    d->errors++;
    if (d->errors == DIAG_MAX_ERRORS)
        sb_puts(d->out, "idlc: error: too many errors, stopping\n");
}

void diag_note(diag_ctx *d, src_loc loc, const char *fmt, ...)
{
    if (d->errors > DIAG_MAX_ERRORS || (d->errors == DIAG_MAX_ERRORS && d->errors > 0))
        return;
    va_list ap;
    va_start(ap, fmt);
    emit(d, "note", 0, loc, fmt, ap);
    va_end(ap);
}

int diag_saturated(const diag_ctx *d)
{
    return d->errors >= DIAG_MAX_ERRORS;
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
