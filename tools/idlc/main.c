/* SPDX-License-Identifier: MIT */
/* idlc command line: three jobs, one function each: parse the arguments
 * (parse_args), compile (with --against, also the earlier file, and compare
 * the two) and print the diagnostics (compile), and only if
 * that succeeded write FILE.h, FILE_client.c and FILE_server.c plus a
 * depfile if asked (write_outputs). Outputs go to temporary names first and
 * are renamed at the end, so a failed run leaves no new or half-written
 * outputs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "idlc.h"

static const char usage[] =
    "usage: idlc [-o OUTDIR] [-I DIR]... [--depfile FILE] [--doc] [--against OLD.idl]\n"
    "            FILE.idl\n"
    "\n"
    "Compile an interface definition into C: OUTDIR/FILE.h (types, client stub\n"
    "prototypes, server ops tables), OUTDIR/FILE_client.c and OUTDIR/FILE_server.c.\n"
    "\n"
    "  -o OUTDIR           directory for the generated files (default: .)\n"
    "  -I DIR              search DIR for imported files, after the importing\n"
    "                      file's own directory; may be repeated\n"
    "  --depfile FILE      write a Makefile-style dependency file\n"
    "  --doc               also write OUTDIR/FILE.md, a Markdown reference of the\n"
    "                      file's interfaces and types from their /// comments\n"
    "  --against OLD.idl   also check that FILE.idl is a compatible evolution of\n"
    "                      OLD.idl, an earlier (published) revision of it: its\n"
    "                      tables, unions, structs, enums and interface versions\n"
    "  --list-diagnostics  print every diagnostic code with its meaning\n"
    "  --help              print this help\n"
    "  --version           print the version\n"
    "\n"
    "Exit status: 0 on success, 1 on any error (nothing is written then).\n"
    "The language is described in docs/idl.md.\n";

static void fail(const char *msg, const char *arg)
{
    fprintf(stderr, "idlc: error: %s%s%s%s\n", msg, arg ? " '" : "", arg ? arg : "",
            arg ? "'" : "");
    fputs("try 'idlc --help'\n", stderr);
}

/* What the command line asks for. */
typedef struct cli {
    const char *outdir;  /* -o, default "." */
    const char *input;
    const char *depfile; /* --depfile, or NULL */
    const char *against; /* --against, or NULL */
    bool doc;            /* --doc */
    const char **dirs;   /* -I, in order */
    size_t ndirs;
} cli;

typedef enum cli_result {
    CLI_COMPILE, /* arguments are in *o: go on */
    CLI_DONE,    /* --help, --version or --list-diagnostics answered: exit 0 */
    CLI_FAIL     /* a usage error was printed: exit 1 */
} cli_result;

/* Job 1: read the arguments into *o (o->dirs has room for argc entries). */
static cli_result parse_args(int argc, char **argv, cli *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            return CLI_DONE;
        }
        if (strcmp(a, "--version") == 0) {
            printf("idlc %s\n", IDLC_VERSION_STRING);
            return CLI_DONE;
        }
        if (strcmp(a, "--list-diagnostics") == 0) {
            strbuf sb;
            sb_init(&sb);
            diag_list(&sb);
            fputs(sb.data, stdout);
            sb_free(&sb);
            return CLI_DONE;
        }
        if (strcmp(a, "--doc") == 0) {
            o->doc = true;
            continue;
        }
        const char *val = NULL;
        if (strcmp(a, "-o") == 0 || strcmp(a, "-I") == 0 || strcmp(a, "--depfile") == 0 ||
            strcmp(a, "--against") == 0) {
            if (i + 1 >= argc) {
                fail("missing argument after", a);
                return CLI_FAIL;
            }
            val = argv[++i];
        } else if (strncmp(a, "-o", 2) == 0 || strncmp(a, "-I", 2) == 0) {
            val = a + 2;
        } else if (a[0] == '-' && a[1] != '\0') {
            fail("unknown option", a);
            return CLI_FAIL;
        } else {
            if (o->input != NULL) {
                fail("more than one input file; compile them one by one:", a);
                return CLI_FAIL;
            }
            o->input = a;
            continue;
        }
        if (a[1] == 'o')
            o->outdir = val;
        else if (a[1] == 'I')
            o->dirs[o->ndirs++] = val;
        else if (a[2] == 'a')
            o->against = val;
        else
            o->depfile = val;
    }
    if (o->input == NULL) {
        fail("no input file", NULL);
        return CLI_FAIL;
    }
    return CLI_COMPILE;
}

/* With --against: compile the earlier file and compare (its own errors are
 * reported as they are, and counted in c). */
static bool check_against(idlc *c, const cli *o)
{
    idlc old;
    idlc_options opts = {o->against, o->dirs, o->ndirs, idlc_read_file, NULL, idlc_file_key};
    bool ok = idlc_compile(&old, &opts) && old.diag.errors == 0;
    if (ok) {
        ok = idlc_check_against(c, &old);
    } else {
        sb_puts(&c->messages, old.messages.data);
        c->diag.errors += old.diag.errors;
    }
    idlc_free(&old);
    return ok;
}

/* Job 2: compile, and print the diagnostics (and a summary on failure). */
static bool compile(idlc *c, const cli *o)
{
    idlc_options opts = {o->input, o->dirs, o->ndirs, idlc_read_file, NULL, idlc_file_key};
    bool ok = idlc_compile(c, &opts) && c->diag.errors == 0;
    if (ok && o->against != NULL)
        ok = check_against(c, o);
    fputs(c->messages.data, stderr);
    if (!ok)
        fprintf(stderr, "idlc: %u error%s, no files written\n", c->diag.errors,
                c->diag.errors == 1 ? "" : "s");
    return ok;
}

typedef struct out_file {
    const char *final;
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

/* A Makefile rule: the three outputs depend on every file read. */
static void depfile_text(strbuf *deps, const idlc *c, const out_file *outs)
{
    for (int k = 0; k < 3; k++) {
        dep_path(deps, outs[k].final);
        sb_puts(deps, k < 2 ? " " : ":");
    }
    for (size_t k = 0; k < c->ndeps; k++) {
        sb_puts(deps, " ");
        dep_path(deps, c->deps[k]);
    }
    sb_puts(deps, "\n");
}

/* Job 3: write the outputs: each to a temporary name first, renamed only
 * once all are written, so a failure leaves no new or half-written file.
 * Returns the exit status. */
static int write_outputs(idlc *c, const cli *o)
{
    arena *a = &c->arena;
    char *base = path_join(a, o->outdir, c->stem);
    strbuf deps;
    sb_init(&deps);
    out_file outs[5] = {
        {NULL, NULL, &c->header}, {NULL, NULL, &c->client}, {NULL, NULL, &c->server},
        {o->depfile, NULL, &deps}, {NULL, NULL, &c->doc}};
    const char *suffix[3] = {".h", "_client.c", "_server.c"};
    for (int k = 0; k < 3; k++) {
        size_t n = strlen(base) + 16;
        char *name = arena_alloc(a, n);
        snprintf(name, n, "%s%s", base, suffix[k]);
        outs[k].final = name;
    }
    depfile_text(&deps, c, outs);
    int nout = 3;
    if (o->depfile)
        outs[nout++] = outs[3];
    if (o->doc) {
        size_t n = strlen(base) + 4;
        char *name = arena_alloc(a, n);
        snprintf(name, n, "%s.md", base);
        outs[nout++] = (out_file){name, NULL, &c->doc};
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
    return status;
}

int main(int argc, char **argv)
{
    cli o = {".", NULL, NULL, NULL, false, calloc((size_t)argc, sizeof(const char *)), 0};
    if (o.dirs == NULL)
        return 1;
    cli_result r = parse_args(argc, argv, &o);
    if (r != CLI_COMPILE) {
        free(o.dirs);
        return r == CLI_DONE ? 0 : 1;
    }
    idlc c;
    int status = compile(&c, &o) ? write_outputs(&c, &o) : 1;
    idlc_free(&c);
    free(o.dirs);
    return status;
}
