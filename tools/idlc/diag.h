/* SPDX-License-Identifier: MIT */
/* Diagnostics: every error idlc can report has a stable number (IDLnnnn),
 * listed once below; docs/idl.md describes each and tests/idlc/bad/ holds a
 * negative test per number. Messages are printed as
 *     FILE:LINE:COL: error: MESSAGE [IDLnnnn]
 * followed by the source line and a caret line, like a C compiler. */
#ifndef IDLC_DIAG_H
#define IDLC_DIAG_H

#include <stdint.h>

#include "util.h"

/* X(number, short description) */
#define IDL_DIAGNOSTICS(X)                                                                 \
    X(1, "unexpected character")                                                           \
    X(2, "unterminated string literal")                                                    \
    X(3, "unterminated block comment")                                                     \
    X(4, "integer literal does not fit in 64 bits")                                        \
    X(10, "syntax error")                                                                  \
    X(20, "imported file cannot be read")                                                  \
    X(21, "import cycle")                                                                  \
    X(22, "versions of one interface declared in different files")                         \
    X(23, "file name unusable for generated files")                                        \
    X(24, "library statement not first in its file, or repeated")                          \
    X(30, "duplicate declaration")                                                         \
    X(31, "unknown name")                                                                  \
    X(32, "name refers to the wrong kind of declaration")                                  \
    X(33, "duplicate member, parameter or enumerator name")                                \
    X(34, "struct contains itself")                                                        \
    X(35, "reserved identifier")                                                           \
    X(36, "constant defined in terms of itself")                                           \
    X(37, "generated C names collide")                                                     \
    X(40, "value out of range for its type")                                               \
    X(41, "duplicate enumerator value")                                                    \
    X(42, "constant or enum type must be an integer type")                                 \
    X(43, "empty struct, enum or interface")                                               \
    X(44, "bound or array length out of range")                                            \
    X(45, "unknown capability kind or right")                                              \
    X(46, "client version range out of range or matching no version")                      \
    X(50, "interface lacks a guid or version")                                             \
    X(51, "malformed GUID")                                                                \
    X(52, "interface version out of range")                                                \
    X(53, "duplicate method ordinal")                                                      \
    X(54, "method ordinal out of range")                                                   \
    X(55, "duplicate interface attribute")                                                 \
    X(56, "one-way method with a reply")                                                   \
    X(57, "invalid error type")                                                            \
    X(58, "unknown interface attribute")                                                   \
    X(59, "duplicate interface version")                                                   \
    X(60, "capability or bulk buffer inside a struct or array")                            \
    X(61, "too many capabilities in one message")                                          \
    X(62, "message does not fit in the message words")                                     \
    X(63, "invalid array element type")                                                    \
    X(64, "struct does not fit in a message")                                              \
    X(65, "deferred method that is one-way or has an out bulk buffer")                     \
    X(66, "event with a reply, a capability or bulk buffer, or too many words")            \
    X(67, "union variant or table field ordinal out of range or used twice")               \
    X(68, "optional where it is not supported")                                            \
    X(70, "GUID used by two interfaces")                                                   \
    X(71, "versions of one interface with different GUIDs")                                \
    X(80, "method removed in a later version")                                             \
    X(81, "method renamed in a later version")                                             \
    X(82, "method signature changed in a later version")                                   \
    X(83, "one-way flag changed in a later version")                                       \
    X(84, "error type changed in a later version")                                         \
    X(85, "table field changed against the earlier definition (--against)")                \
    X(86, "union variant changed against the earlier definition (--against)")              \
    X(87, "struct, enum or kind of a type changed against the earlier definition")         \
    X(88, "interface version changed against the earlier definition (--against)")

typedef enum diag_code {
#define X(n, d) IDL##n = n,
    IDL_DIAGNOSTICS(X)
#undef X
} diag_code;

/* A span of source text. file indexes diag_ctx.files; line and col are
 * 1-based, col counts bytes; len is the span length for the ~~~ underline. */
typedef struct src_loc {
    uint32_t file;
    uint32_t line;
    uint32_t col;
    uint32_t len;
} src_loc;

typedef struct source_file {
    const char *path; /* as shown in diagnostics */
    const char *text; /* NUL-terminated contents */
    size_t len;
} source_file;

#define DIAG_MAX_ERRORS 50u      /* printed; the rest are counted */
#define DIAG_COLLECT_MAX 100000u /* passes stop early after this many */

/* A message waiting to be printed: an error and, after it, its notes. */
typedef struct diag_rec {
    src_loc loc;
    int code; /* 0 for a note */
    char *text;
    size_t seq;
} diag_rec;

typedef struct diag_ctx {
    arena *arena;
    source_file *files;
    size_t nfiles, files_cap;
    const uint32_t *rank; /* per file: its place in the listing (NULL: file order) */
    unsigned errors;
    strbuf *out; /* where diag_flush prints; the driver passes it on */
    /* Messages are kept and printed by diag_flush in source order. */
    diag_rec *recs;
    size_t nrecs, recs_cap;
    bool drop_notes;  /* the last error was not kept: neither are its notes */
    bool quiet;       /* errors on quiet_file:quiet_line are not kept */
    uint32_t quiet_file, quiet_line;
} diag_ctx;

/* Register a source file and return its index. */
uint32_t diag_add_file(diag_ctx *d, const char *path, const char *text, size_t len);
void diag_error(diag_ctx *d, diag_code code, src_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A note belongs to the error reported just before it. */
void diag_note(diag_ctx *d, src_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* After an error that makes the rest of its line meaningless (an
 * unterminated string: the line's quotes cannot be paired): withdraw the
 * other errors already reported on that line and keep none reported on it
 * later. */
void diag_quiet_line(diag_ctx *d, uint32_t file, uint32_t line);
/* True once so many errors were collected that passes should stop. */
int diag_saturated(const diag_ctx *d);
/* Print the kept messages into d->out: file by file in d->rank order
 * (imported files before their importers), by line and column within a
 * file, each error followed by its notes; at most DIAG_MAX_ERRORS errors. */
void diag_flush(diag_ctx *d);
/* Description of a code, NULL if the code does not exist. */
const char *diag_describe(unsigned code);
/* Print "IDLnnnn description" lines for every code into sb. */
void diag_list(strbuf *sb);

#endif /* IDLC_DIAG_H */
