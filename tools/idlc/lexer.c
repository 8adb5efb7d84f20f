/* SPDX-License-Identifier: MIT */
/* Lexer implementation (see lexer.h). Grammar of tokens, in docs/idl.md:
 *   ident   = letter { letter | digit | "_" }
 *   integer = digit { digit } | "0x" hexdigit { hexdigit }
 *   string  = '"' { any character but '"' and newline } '"'
 *   comment = "//" ... newline | "/" "*" ... "*" "/"                       */
#include "lexer.h"

#include <string.h>

const char *tok_kind_name(tok_kind k)
{
    switch (k) {
#define X(name, spelling)                                                                  \
    case TOK_##name:                                                                       \
        return spelling;
        TOKEN_KINDS(X)
#undef X
    }
    return "?";
}

void lexer_init(lexer *lx, diag_ctx *d, uint32_t file)
{
    lx->diag = d;
    lx->file = file;
    lx->src = lx->p = d->files[file].text;
    lx->end = lx->src + d->files[file].len;
    lx->line = 1;
    lx->line_start = lx->src;
}

static src_loc here(const lexer *lx, const char *start)
{
    src_loc l = {lx->file, lx->line, (uint32_t)(start - lx->line_start) + 1,
                 (uint32_t)(lx->p - start)};
    if (l.len == 0)
        l.len = 1;
    return l;
}

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}
static int hex_val(char c)
{
    if (is_digit(c))
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static void newline(lexer *lx)
{
    lx->line++;
    lx->line_start = lx->p;
}

/* Skip whitespace and comments; report an unterminated block comment. */
static void skip_space(lexer *lx)
{
    while (lx->p < lx->end) {
        char c = *lx->p;
        if (c == '\n') {
            lx->p++;
            newline(lx);
        } else if (c == ' ' || c == '\t' || c == '\r') {
            lx->p++;
        } else if (c == '/' && lx->p + 1 < lx->end && lx->p[1] == '/') {
            /* "///" (not "////") starts a doc comment line: runs of them
             * document the next token's declaration; any other comment
             * ends the run. */
            const char *start = lx->p;
            bool doc = lx->p + 2 < lx->end && lx->p[2] == '/' &&
                       !(lx->p + 3 < lx->end && lx->p[3] == '/');
            while (lx->p < lx->end && *lx->p != '\n')
                lx->p++;
            if (doc && lx->doc == NULL)
                lx->doc = start;
            if (doc)
                lx->doc_end = lx->p;
            else
                lx->doc = lx->doc_end = NULL;
        } else if (c == '/' && lx->p + 1 < lx->end && lx->p[1] == '*') {
            const char *start = lx->p;
            uint32_t sline = lx->line;
            const char *sls = lx->line_start;
            lx->p += 2;
            lx->doc = lx->doc_end = NULL;
            for (;;) {
                if (lx->p >= lx->end) {
                    src_loc l = {lx->file, sline, (uint32_t)(start - sls) + 1, 2};
                    diag_error(lx->diag, IDL3, l, "unterminated comment");
                    lx->comment_at_eof = true;
                    return;
                }
                if (*lx->p == '*' && lx->p + 1 < lx->end && lx->p[1] == '/') {
                    lx->p += 2;
                    break;
                }
                if (*lx->p == '\n') {
                    lx->p++;
                    newline(lx);
                } else {
                    lx->p++;
                }
            }
        } else {
            return;
        }
    }
}

static const struct {
    const char *word;
    tok_kind kind;
} keywords[] = {
    {"import", TOK_KW_IMPORT}, {"const", TOK_KW_CONST},         {"enum", TOK_KW_ENUM},
    {"struct", TOK_KW_STRUCT}, {"union", TOK_KW_UNION}, {"table", TOK_KW_TABLE}, {"interface", TOK_KW_INTERFACE}, {"oneway", TOK_KW_ONEWAY},
};

static token lex_number(lexer *lx, const char *start)
{
    token t = {TOK_INT, {0, 0, 0, 0}, start, 0, false, NULL, NULL};
    uint64_t v = 0;
    int overflow = 0, digits = 0;
    if (*lx->p == '0' && lx->p + 1 < lx->end && (lx->p[1] == 'x' || lx->p[1] == 'X')) {
        lx->p += 2;
        while (lx->p < lx->end && hex_val(*lx->p) >= 0) {
            if (v >> 60)
                overflow = 1;
            v = (v << 4) | (uint64_t)hex_val(*lx->p);
            lx->p++;
            digits++;
        }
    } else {
        while (lx->p < lx->end && is_digit(*lx->p)) {
            uint64_t d = (uint64_t)(*lx->p - '0');
            if (v > (UINT64_MAX - d) / 10)
                overflow = 1;
            v = v * 10 + d;
            lx->p++;
            digits++;
        }
    }
    /* "12abc" or "0x" is one bad token, not a number followed by a name. */
    const char *tail = lx->p;
    while (lx->p < lx->end && (is_alpha(*lx->p) || is_digit(*lx->p) || *lx->p == '_'))
        lx->p++;
    t.loc = here(lx, start);
    if (tail != lx->p)
        diag_error(lx->diag, IDL1, t.loc, "invalid character '%c' in integer literal", *tail);
    else if (digits == 0)
        diag_error(lx->diag, IDL1, t.loc, "hexadecimal literal has no digits");
    else if (overflow)
        diag_error(lx->diag, IDL4, t.loc, "integer literal does not fit in 64 bits");
    t.value = overflow ? 0 : v;
    return t;
}

token lexer_next(lexer *lx)
{
    for (;;) {
        skip_space(lx);
        const char *start = lx->p;
        token t = {TOK_EOF, {lx->file, lx->line, (uint32_t)(start - lx->line_start) + 1, 1},
                   start, 0, false, lx->doc, lx->doc_end};
        lx->doc = lx->doc_end = NULL;
        if (lx->p >= lx->end) {
            t.bad = lx->comment_at_eof; /* "expected '}'" would only repeat IDL0003 */
            return t;
        }
        char c = *lx->p;
        if (is_alpha(c)) {
            while (lx->p < lx->end && (is_alpha(*lx->p) || is_digit(*lx->p) || *lx->p == '_'))
                lx->p++;
            t.kind = TOK_IDENT;
            t.loc = here(lx, start);
            for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++) {
                size_t n = strlen(keywords[i].word);
                if (n == t.loc.len && memcmp(start, keywords[i].word, n) == 0)
                    t.kind = keywords[i].kind;
            }
            return t;
        }
        if (is_digit(c)) {
            token n = lex_number(lx, start);
            n.doc = t.doc, n.doc_end = t.doc_end;
            return n;
        }
        if (c == '"') {
            lx->p++;
            while (lx->p < lx->end && *lx->p != '"' && *lx->p != '\n')
                lx->p++;
            t.kind = TOK_STRING;
            if (lx->p < lx->end && *lx->p == '"') {
                lx->p++;
                t.loc = here(lx, start);
                return t;
            }
            /* Unterminated. Most often the closing quote was forgotten before
             * the ';' ending the statement: end the string before the first
             * ';', '{' or '}' (none is in a file name or GUID) so the
             * statement, or the braces around it, still parse. One error
             * for the line: its quotes cannot be paired, so errors already
             * reported on it (a string that took this quote as its end)
             * mean nothing, and neither would later ones. */
            for (const char *q = start + 1; q < lx->p; q++) {
                if (*q == ';' || *q == '{' || *q == '}') {
                    lx->p = q;
                    break;
                }
            }
            t.loc = here(lx, start);
            t.bad = true;
            diag_error(lx->diag, IDL2, t.loc, "unterminated string literal");
            diag_quiet_line(lx->diag, lx->file, lx->line);
            return t;
        }
        lx->p++;
        switch (c) {
        case '{': t.kind = TOK_LBRACE; break;
        case '}': t.kind = TOK_RBRACE; break;
        case '(': t.kind = TOK_LPAREN; break;
        case ')': t.kind = TOK_RPAREN; break;
        case '[': t.kind = TOK_LBRACKET; break;
        case ']': t.kind = TOK_RBRACKET; break;
        case '<': t.kind = TOK_LT; break;
        case '>': t.kind = TOK_GT; break;
        case ':': t.kind = TOK_COLON; break;
        case ';': t.kind = TOK_SEMI; break;
        case ',': t.kind = TOK_COMMA; break;
        case '=': t.kind = TOK_EQ; break;
        case '?': t.kind = TOK_QUESTION; break;
        case '.':
            if (lx->p < lx->end && *lx->p == '.') {
                lx->p++;
                t.kind = TOK_DOTDOT;
                break;
            }
            t.kind = TOK_DOT; /* library.name */
            break;
        case '-':
            if (lx->p < lx->end && *lx->p == '>') {
                lx->p++;
                t.kind = TOK_ARROW;
            } else {
                t.kind = TOK_MINUS;
            }
            break;
        default: {
            t.loc = here(lx, start);
            if ((unsigned char)c >= 0x20 && (unsigned char)c < 0x7f)
                diag_error(lx->diag, IDL1, t.loc, "unexpected character '%c'", c);
            else
                diag_error(lx->diag, IDL1, t.loc, "unexpected byte 0x%02x",
                           (unsigned)(unsigned char)c);
            /* Skip the rest of a UTF-8 sequence so one character is one error. */
            while (lx->p < lx->end && ((unsigned char)*lx->p & 0xc0) == 0x80)
                lx->p++;
            continue;
        }
        }
        t.loc = here(lx, start);
        return t;
    }
}
