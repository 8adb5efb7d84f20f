/* SPDX-License-Identifier: MIT */
/* libFuzzer target: any bytes as an .idl file through the whole compiler
 * (lexer, parser, checker and, when it checks, the three emitters). Imports
 * of "imp.idl" resolve to a small in-memory file so that path is exercised
 * too. Whatever the input, the compiler must not crash, leak or hit
 * undefined behaviour, and it must either produce all three outputs or
 * report at least one error. */
#include <stdlib.h>
#include <string.h>

#include "idlc.h"

typedef struct mem_fs {
    const uint8_t *data;
    size_t size;
} mem_fs;

static const char imported[] = "const K: u8 = 4;\nstruct imp { a: u8; s: string<K>; }\n";

static bool mem_read(void *ctx, arena *a, const char *path, char **text, size_t *len)
{
    mem_fs *fs = ctx;
    if (strcmp(path, "fuzz.idl") == 0) {
        *text = arena_strndup(a, (const char *)fs->data, fs->size);
        *len = fs->size;
        return true;
    }
    if (strcmp(path, "imp.idl") == 0) {
        *text = arena_strdup(a, imported);
        *len = sizeof imported - 1;
        return true;
    }
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mem_fs fs = {data, size};
    idlc_options o = {"fuzz.idl", NULL, 0, mem_read, &fs, NULL};
    idlc c;
    bool ok = idlc_compile(&c, &o);
    if (ok && (c.header.len == 0 || c.client.len == 0 || c.server.len == 0))
        abort(); /* success must produce all three files */
    if (!ok && c.messages.len == 0)
        abort(); /* failure must say why */
    idlc_free(&c);
    return 0;
}
