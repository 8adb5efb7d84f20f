/* SPDX-License-Identifier: MIT */
/* idlc command line: parse arguments, compile, and write FILE.h,
 * FILE_client.c and FILE_server.c (plus a depfile if asked) only if the
 * compilation succeeded. Outputs go to temporary names first and are renamed
 * at the end, so a failed run leaves no new or half-written outputs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "idlc.h"

static const char usage[] =
    "usage: idlc [-o OUTDIR] [-I DIR]... [--depfile FILE] FILE.idl\n"
    "\n"
    "Compile an interface definition into C: OUTDIR/FILE.h (types, client stub\n"
    "prototypes, server ops tables), OUTDIR/FILE_client.c and OUTDIR/FILE_server.c.\n"
    "\n"
    "  -o OUTDIR           directory for the generated files (default: .)\n"
    "  -I DIR              search DIR for imported files, after the importing\n"
    "                      file's own directory; may be repeated\n"
    "  --depfile FILE      write a Makefile-style dependency file\n"
    "  --list-diagnostics  print every diagnostic code with its meaning\n"
    "  --help              print this help\n"
    "  --version           print the version\n"
    "\n"
    "Exit status: 0 on success, 1 on any error (nothing is written then).\n"
    "The language is described in docs/idl.md.\n";

static int fail(const char *msg, const char *arg)
{
    fprintf(stderr, "idlc: error: %s%s%s%s\n", msg, arg ? " '" : "", arg ? arg : "",
            arg ? "'" : "");
    fputs("try 'idlc --help'\n", stderr);
    return 1;
}

typedef struct out_file {
    char *final;
    char *tmp;
    const strbuf *data;
} out_file;

static bool write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return false;
    bool ok = fwrite(data, 1, len, f) == len;
    ok = (fclose(f) == 0) && ok;
    return ok;
}

static void dep_path(strbuf *sb, const char *p)
{
    for (; *p; p++) {
        if (*p == ' ' || *p == '#')
            sb_putc(sb, '\\');
        if (*p == '$')
            sb_putc(sb, '$');
        sb_putc(sb, *p);
    }
}

int main(int argc, char **argv)
{
    const char *outdir = ".", *input = NULL, *depfile = NULL;
    const char **dirs = calloc((size_t)argc, sizeof *dirs);
    size_t ndirs = 0;
    if (dirs == NULL)
        return 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            free(dirs);
            return 0;
        }
        if (strcmp(a, "--version") == 0) {
            printf("idlc %s\n", IDLC_VERSION_STRING);
            free(dirs);
            return 0;
        }
        if (strcmp(a, "--list-diagnostics") == 0) {
            strbuf sb;
            sb_init(&sb);
            diag_list(&sb);
            fputs(sb.data, stdout);
            sb_free(&sb);
            free(dirs);
            return 0;
        }
        const char **slot = NULL;
        const char *val = NULL;
        if (strcmp(a, "-o") == 0 || strcmp(a, "-I") == 0 || strcmp(a, "--depfile") == 0) {
            if (i + 1 >= argc) {
                free(dirs);
                return fail("missing argument after", a);
            }
            val = argv[++i];
        } else if (strncmp(a, "-o", 2) == 0 || strncmp(a, "-I", 2) == 0) {
            val = a + 2;
        } else if (a[0] == '-' && a[1] != '\0') {
            free(dirs);
            return fail("unknown option", a);
        } else {
            if (input != NULL) {
                free(dirs);
                return fail("more than one input file; compile them one by one:", a);
            }
            input = a;
            continue;
        }
        if (a[1] == 'o')
            slot = &outdir;
        else if (a[1] == 'I')
            slot = &dirs[ndirs++];
        else
            slot = &depfile;
        *slot = val;
    }
    if (input == NULL) {
        free(dirs);
        return fail("no input file", NULL);
    }

    idlc c;
    idlc_options o = {input, dirs, ndirs, idlc_read_file, NULL, idlc_file_key};
    bool ok = idlc_compile(&c, &o);
    fputs(c.messages.data, stderr);
    if (ok) {
        if (c.diag.errors != 0)
            ok = false;
    }
    if (!ok) {
        fprintf(stderr, "idlc: %u error%s, no files written\n", c.diag.errors,
                c.diag.errors == 1 ? "" : "s");
        idlc_free(&c);
        free(dirs);
        return 1;
    }

    arena *a = &c.arena;
    char *base = path_join(a, outdir, c.stem);
    strbuf deps;
    sb_init(&deps);
    out_file outs[4] = {
        {NULL, NULL, &c.header}, {NULL, NULL, &c.client}, {NULL, NULL, &c.server},
        {NULL, NULL, &deps}};
    const char *suffix[3] = {".h", "_client.c", "_server.c"};
    for (int k = 0; k < 3; k++) {
        size_t n = strlen(base) + 16;
        outs[k].final = arena_alloc(a, n);
        snprintf(outs[k].final, n, "%s%s", base, suffix[k]);
        dep_path(&deps, outs[k].final);
        sb_puts(&deps, k < 2 ? " " : ":");
    }
    for (size_t k = 0; k < c.ndeps; k++) {
        sb_puts(&deps, " ");
        dep_path(&deps, c.deps[k]);
    }
    sb_puts(&deps, "\n");
    int nout = 3;
    if (depfile) {
        outs[3].final = (char *)depfile;
        nout = 4;
    }
    int status = 0;
    for (int k = 0; k < nout; k++) {
        size_t n = strlen(outs[k].final) + 8;
        outs[k].tmp = arena_alloc(a, n);
        snprintf(outs[k].tmp, n, "%s.tmp", outs[k].final);
        if (!write_file(outs[k].tmp, outs[k].data->data, outs[k].data->len)) {
            fprintf(stderr, "idlc: error: cannot write '%s'\n", outs[k].tmp);
            status = 1;
            break;
        }
    }
    for (int k = 0; k < nout; k++) {
        if (outs[k].tmp == NULL)
            continue;
        if (status != 0) {
            remove(outs[k].tmp);
        } else if (rename(outs[k].tmp, outs[k].final) != 0) {
            fprintf(stderr, "idlc: error: cannot write '%s'\n", outs[k].final);
            status = 1;
        }
    }
    sb_free(&deps);
    idlc_free(&c);
    free(dirs);
    return status;
}
