/* SPDX-License-Identifier: MIT */
/* Lexer: source text => tokens. Token kinds are one X-macro list so names
 * for diagnostics never drift from the enum. Comments and whitespace are
 * skipped; lexical errors (IDL0001-IDL0004) are reported and lexing goes on,
 * so one run shows every bad character. */
#ifndef IDLC_LEXER_H
#define IDLC_LEXER_H

#include <stdbool.h>
#include <stdint.h>

#include "diag.h"

/* X(name, spelling for "expected ..." messages) */
#define TOKEN_KINDS(X)                                                                     \
    X(EOF, "end of file")                                                                  \
    X(IDENT, "identifier")                                                                 \
    X(INT, "integer")                                                                      \
    X(STRING, "string literal")                                                            \
    X(LBRACE, "'{'")                                                                       \
    X(RBRACE, "'}'")                                                                       \
    X(LPAREN, "'('")                                                                       \
    X(RPAREN, "')'")                                                                       \
    X(LBRACKET, "'['")                                                                     \
    X(RBRACKET, "']'")                                                                     \
    X(LT, "'<'")                                                                           \
    X(GT, "'>'")                                                                           \
    X(COLON, "':'")                                                                        \
    X(SEMI, "';'")                                                                         \
    X(COMMA, "','")                                                                        \
    X(EQ, "'='")                                                                           \
    X(MINUS, "'-'")                                                                        \
    X(ARROW, "'->'")                                                                       \
    X(QUESTION, "'?'")                                                                     \
    X(DOTDOT, "'..'")                                                                      \
    X(DOT, "'.'")                                                                          \
    X(KW_IMPORT, "'import'")                                                               \
    X(KW_CONST, "'const'")                                                                 \
    X(KW_ENUM, "'enum'")                                                                   \
    X(KW_STRUCT, "'struct'")                                                               \
    X(KW_UNION, "'union'")                                                                 \
    X(KW_TABLE, "'table'")                                                                 \
    X(KW_INTERFACE, "'interface'")                                                         \
    X(KW_ONEWAY, "'oneway'")

typedef enum tok_kind {
#define X(name, spelling) TOK_##name,
    TOKEN_KINDS(X)
#undef X
} tok_kind;

typedef struct token {
    tok_kind kind;
    src_loc loc;
    const char *text; /* points into the source; loc.len bytes */
    uint64_t value;   /* TOK_INT */
    bool bad;         /* a lexical error was reported for it (an unterminated
                       * string; the end of file inside a comment): the
                       * parser reports nothing more about it */
    /* The "///" comment lines right before the token (doc comments), as a
     * range of the source; NULL if none. */
    const char *doc, *doc_end;
} token;

typedef struct lexer {
    diag_ctx *diag;
    uint32_t file;
    const char *src, *p, *end;
    uint32_t line;
    const char *line_start;
    bool comment_at_eof; /* the file ends inside a block comment */
    const char *doc, *doc_end; /* the run of "///" lines since the last token */
} lexer;

void lexer_init(lexer *lx, diag_ctx *d, uint32_t file);
token lexer_next(lexer *lx);
const char *tok_kind_name(tok_kind k);

#endif /* IDLC_LEXER_H */
