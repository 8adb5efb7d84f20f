/* SPDX-License-Identifier: MIT */
/* Compilation driver: loads the input and, depth first, every file it
 * imports (IDL0020, IDL0021), parses each, and if all parsed, checks the
 * program and runs the three emitters. Imports are searched next to the
 * importing file, then in each -I directory in order. */
#include "idlc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "parser.h"

bool idlc_read_file(void *ctx, arena *a, const char *path, char **text, size_t *len)
{
    (void)ctx;
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return false;
    strbuf sb;
    sb_init(&sb);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sb_putn(&sb, buf, n);
    bool ok = !ferror(f);
    fclose(f);
    if (ok) {
        *text = arena_strndup(a, sb.data, sb.len);
        *len = sb.len;
    }
    sb_free(&sb);
    return ok;
}

typedef struct loader {
    idlc *c;
    const idlc_options *o;
    const char **paths; /* per program file: the path it was read from */
    char *state;        /* per program file: 1 loading, 2 done */
    size_t n, nstate, paths_cap, state_cap;
    bool parse_ok;
} loader;

static int find_loaded(const loader *l, const char *path)
{
    for (size_t i = 0; i < l->n; i++) {
        if (strcmp(l->paths[i], path) == 0)
            return (int)i;
    }
    return -1;
}

/* Load, parse and (recursively) import one file; returns its program index
 * or -1 if it could not be read. */
static int load(loader *l, const char *path, const char *text, size_t len)
{
    idlc *c = l->c;
    uint32_t fid = diag_add_file(&c->diag, path, text, len);
    *VEC_PUSH(&c->arena, c->deps, c->ndeps, c->deps_cap) = path;
    size_t idx = c->prog.nfiles;
    (void)VEC_PUSH(&c->arena, c->prog.files, c->prog.nfiles, c->prog.files_cap);
    *VEC_PUSH(&c->arena, l->paths, l->n, l->paths_cap) = path;
    *VEC_PUSH(&c->arena, l->state, l->nstate, l->state_cap) = 1;
    ast_file af = {0};
    if (!parse_file(&c->arena, &c->diag, fid, &af))
        l->parse_ok = false;
    c->prog.files[idx] = af;
    for (size_t i = 0; i < af.nimports && !diag_saturated(&c->diag); i++) {
        import_decl *im = &c->prog.files[idx].imports[i];
        /* Candidates: beside the importing file, then each -I directory. */
        const char *found = NULL;
        char *ftext = NULL;
        size_t flen = 0;
        int target = -1;
        size_t ncand = 1 + l->o->nimport_dirs;
        for (size_t k = 0; k < ncand && found == NULL && target < 0; k++) {
            const char *dir = k == 0 ? path_dir(&c->arena, path) : l->o->import_dirs[k - 1];
            char *cand = path_join(&c->arena, dir, im->path);
            target = find_loaded(l, cand);
            if (target < 0 && l->o->read(l->o->read_ctx, &c->arena, cand, &ftext, &flen))
                found = cand;
        }
        if (target >= 0) {
            if (l->state[target] == 1) {
                diag_error(&c->diag, IDL21, im->loc, "import cycle: '%s' imports itself",
                           im->path);
                l->parse_ok = false;
                continue;
            }
            c->prog.files[idx].imports[i].target = (uint32_t)target;
            continue;
        }
        if (found == NULL) {
            diag_error(&c->diag, IDL20, im->loc, "cannot find imported file '%s'", im->path);
            l->parse_ok = false;
            continue;
        }
        int t = load(l, found, ftext, flen);
        c->prog.files[idx].imports[i].target = (uint32_t)t;
    }
    l->state[idx] = 2;
    return (int)idx;
}

bool idlc_compile(idlc *c, const idlc_options *o)
{
    memset(c, 0, sizeof *c);
    sb_init(&c->messages);
    sb_init(&c->header);
    sb_init(&c->client);
    sb_init(&c->server);
    c->diag.arena = &c->arena;
    c->diag.out = &c->messages;
    char *text;
    size_t len;
    if (!o->read(o->read_ctx, &c->arena, o->input, &text, &len)) {
        sb_printf(&c->messages, "idlc: error: cannot read '%s'\n", o->input);
        c->diag.errors++;
        return false;
    }
    loader l = {.c = c, .o = o, .parse_ok = true};
    load(&l, arena_strdup(&c->arena, o->input), text, len);
    if (!l.parse_ok || c->diag.errors > 0)
        return false;
    if (!check_program(&c->arena, &c->diag, &c->prog))
        return false;
    c->stem = c->prog.files[0].stem;
    emit_header(&c->arena, &c->prog, &c->header);
    emit_client(&c->arena, &c->prog, &c->client);
    emit_server(&c->arena, &c->prog, &c->server);
    return true;
}

void idlc_free(idlc *c)
{
    sb_free(&c->messages);
    sb_free(&c->header);
    sb_free(&c->client);
    sb_free(&c->server);
    arena_free(&c->arena);
}
