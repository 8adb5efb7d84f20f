/* SPDX-License-Identifier: MIT */
/* The compiler as a library: one call runs load -> parse -> check -> emit
 * for a file and its imports, with file access through a callback so the
 * fuzzer and tests can compile from memory. main.c adds the command line
 * and writes the outputs. Nothing here touches global state. */
#ifndef IDLC_IDLC_H
#define IDLC_IDLC_H

#include "check.h"

/* Read `path` into arena memory; false if it cannot be read. */
typedef bool (*idlc_read_fn)(void *ctx, arena *a, const char *path, char **text, size_t *len);

/* A key naming the file at `path` uniquely (two paths to one file give one
 * key), or NULL if there is no such file. */
typedef const char *(*idlc_key_fn)(void *ctx, arena *a, const char *path);

typedef struct idlc_options {
    const char *input;               /* the .idl file as given */
    const char *const *import_dirs;  /* -I directories, searched in order */
    size_t nimport_dirs;
    idlc_read_fn read;
    void *read_ctx;
    idlc_key_fn key;                 /* NULL: the normalized path is the key */
} idlc_options;

typedef struct idlc {
    arena arena;
    diag_ctx diag;
    strbuf messages; /* diagnostics text for stderr */
    program prog;
    /* outputs, valid when idlc_compile returned true */
    const char *stem;
    strbuf header, client, server;
    strbuf doc;      /* the Markdown reference (written with --doc) */
    /* every file read (input first), for depfiles */
    const char **deps;
    size_t ndeps, deps_cap;
} idlc;

/* Initialise *c, compile, and return true if no error was reported. Always
 * call idlc_free afterwards. */
bool idlc_compile(idlc *c, const idlc_options *o);
void idlc_free(idlc *c);

/* idlc --against (against.c): after both compiled without error, report
 * in c's diagnostics (printed into c->messages) every way c's program is
 * not a compatible evolution of old's (docs/idl.md, "Versions and
 * compatibility"); true if there is none. old's files are added to c's
 * dependencies. */
bool idlc_check_against(idlc *c, const idlc *old);

/* The read and key callbacks of the file system (the key is the real path). */
bool idlc_read_file(void *ctx, arena *a, const char *path, char **text, size_t *len);
const char *idlc_file_key(void *ctx, arena *a, const char *path);

#endif /* IDLC_IDLC_H */
