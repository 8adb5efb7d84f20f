/* SPDX-License-Identifier: MIT */
/* Compilation driver: loads the input and, depth first, every file it
 * imports (IDL0020, IDL0021), parses each, and if all parsed, checks the
 * program and runs the three emitters. Imports are searched next to the
 * importing file, then in each -I directory in order. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "idlc.h"

#include <limits.h>
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

/* The loader walks the import graph depth first with an explicit stack (an
 * import chain may be as long as the input allows), so a file's imports are
 * finished before the file itself: that order, imports first, is
 * prog->order, the order the checker declares names in and diagnostics are
 * listed in. A file is identified by its key (o->key, e.g. its real path, or
 * else its normalized path), so "a.idl" and "inc/../a.idl" are one file. */
enum { FILE_LOADING = 1, FILE_DONE = 2 };

typedef struct load_frame {
    uint32_t file;
    size_t next;      /* the next of its imports to follow */
} load_frame;

/* The real path: one file reached through different paths or links is one
 * file. NULL if it does not exist. */
const char *idlc_file_key(void *ctx, arena *a, const char *path)
{
    (void)ctx;
    char buf[PATH_MAX];
    if (realpath(path, buf) == NULL)
        return NULL;
    return arena_strdup(a, buf);
}

typedef struct loader {
    idlc *c;
    const idlc_options *o;
    hmap by_key;      /* file key -> program index + 1 */
    char *state;      /* per program file: FILE_LOADING or FILE_DONE */
    size_t *depth;    /* per program file: its position on the stack while loading */
    size_t nstate, state_cap, ndepth, depth_cap;
    load_frame *stack;
    size_t nstack, stack_cap;
    bool parse_ok;
} loader;

static const char *file_key(loader *l, const char *path)
{
    if (l->o->key != NULL)
        return l->o->key(l->o->read_ctx, &l->c->arena, path);
    return path_normalize(&l->c->arena, path);
}

/* Register and parse one file, and push it on the stack. */
static uint32_t load_file(loader *l, const char *path, const char *key, char *text,
                          size_t len, src_loc from)
{
    idlc *c = l->c;
    uint32_t fid = diag_add_file(&c->diag, path, text, len);
    *VEC_PUSH(&c->arena, c->deps, c->ndeps, c->deps_cap) = path;
    ast_file *af = VEC_PUSH(&c->arena, c->prog.files, c->prog.nfiles, c->prog.files_cap);
    *VEC_PUSH(&c->arena, l->state, l->nstate, l->state_cap) = FILE_LOADING;
    *VEC_PUSH(&c->arena, l->depth, l->ndepth, l->depth_cap) = l->nstack;
    hmap_put_str(&l->by_key, key, (void *)(uintptr_t)(fid + 1));
    if (!parse_file(&c->arena, &c->diag, fid, af))
        l->parse_ok = false;
    af->loaded_at = from;
    load_frame *fr = VEC_PUSH(&c->arena, l->stack, l->nstack, l->stack_cap);
    fr->file = fid;
    fr->next = 0;
    return fid;
}

/* The import `im` of the file on top of the stack closes a cycle back to
 * `target`, which is further down the stack: report the chain. */
static void report_cycle(loader *l, const import_decl *im, uint32_t target)
{
    diag_ctx *d = &l->c->diag;
    const ast_file *files = l->c->prog.files;
    size_t from = l->depth[target], n = l->nstack - from; /* files on the cycle */
    if (n == 1) {
        diag_error(d, IDL21, im->loc, "import cycle: '%s' imports itself",
                   d->files[target].path);
        return;
    }
    /* "a.idl -> b.idl -> a.idl", the middle elided for long chains. */
    enum { SHOW = 4 };
    strbuf chain;
    sb_init(&chain);
    for (size_t i = 0; i < n; i++) {
        if (n > 2 * SHOW && i == SHOW) {
            sb_printf(&chain, "(%zu more) -> ", n - 2 * SHOW);
            i = n - SHOW - 1;
            continue;
        }
        sb_printf(&chain, "%s -> ", d->files[l->stack[from + i].file].path);
    }
    sb_puts(&chain, d->files[target].path);
    diag_error(d, IDL21, im->loc, "import cycle: %s", chain.data);
    sb_free(&chain);
    /* Notes: where each file on the chain imports the next (also elided). */
    for (size_t i = 0; i + 1 < n; i++) {
        if (n > 2 * SHOW && i == SHOW)
            i = n - SHOW - 1;
        const load_frame *fr = &l->stack[from + i];
        const import_decl *via = &files[fr->file].imports[fr->next - 1];
        diag_note(d, via->loc, "'%s' imports '%s' here", d->files[fr->file].path,
                  d->files[l->stack[from + i + 1].file].path);
    }
}

/* Follow import `im` of file `from`: returns true if a new file was loaded
 * (and pushed). Candidates: beside the importing file, then each -I
 * directory in order. */
static bool follow_import(loader *l, uint32_t from, import_decl *im)
{
    idlc *c = l->c;
    size_t ncand = 1 + l->o->nimport_dirs;
    for (size_t k = 0; k < ncand; k++) {
        const char *dir =
            k == 0 ? path_dir(&c->arena, c->diag.files[from].path) : l->o->import_dirs[k - 1];
        char *cand = path_normalize(&c->arena, path_join(&c->arena, dir, im->path));
        const char *key = file_key(l, cand);
        if (key == NULL)
            continue; /* does not exist */
        uintptr_t known = (uintptr_t)hmap_get_str(&l->by_key, key);
        if (known != 0) {
            uint32_t target = (uint32_t)(known - 1);
            if (l->state[target] == FILE_LOADING) {
                report_cycle(l, im, target);
                l->parse_ok = false;
                return false;
            }
            im->target = target;
            return false;
        }
        char *text;
        size_t len;
        if (l->o->read(l->o->read_ctx, &c->arena, cand, &text, &len)) {
            im->target = load_file(l, cand, key, text, len, im->loc);
            return true;
        }
    }
    diag_error(&c->diag, IDL20, im->loc, "cannot find imported file '%s'", im->path);
    l->parse_ok = false;
    return false;
}

/* Load the input and everything it imports; fills prog.files (input first,
 * then in load order) and prog.order (imports before importers). */
static void load_all(loader *l, const char *path, char *text, size_t len)
{
    idlc *c = l->c;
    const char *key = file_key(l, path);
    load_file(l, path, key ? key : path, text, len, (src_loc){0, 0, 0, 0});
    while (l->nstack > 0) {
        load_frame *top = &l->stack[l->nstack - 1];
        uint32_t f = top->file;
        if (top->next == c->prog.files[f].nimports) {
            l->state[f] = FILE_DONE;
            *VEC_PUSH(&c->arena, c->prog.order, c->prog.norder, c->prog.order_cap) = f;
            l->nstack--;
            continue;
        }
        follow_import(l, f, &c->prog.files[f].imports[top->next++]);
    }
}

bool idlc_compile(idlc *c, const idlc_options *o)
{
    memset(c, 0, sizeof *c);
    sb_init(&c->messages);
    sb_init(&c->header);
    sb_init(&c->client);
    sb_init(&c->server);
    sb_init(&c->doc);
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
    hmap_init(&l.by_key, &c->arena);
    load_all(&l, arena_strdup(&c->arena, o->input), text, len);
    /* Diagnostics are listed in the checker's file order. */
    uint32_t *rank = arena_alloc(&c->arena, (c->prog.nfiles + 1) * sizeof *rank);
    for (size_t i = 0; i < c->prog.norder; i++)
        rank[c->prog.order[i]] = (uint32_t)i;
    c->diag.rank = rank;
    bool ok = l.parse_ok && c->diag.errors == 0 &&
              check_program(&c->arena, &c->diag, &c->prog);
    diag_flush(&c->diag);
    if (!ok)
        return false;
    c->stem = c->prog.files[0].stem;
    emit_header(&c->arena, &c->prog, &c->header);
    emit_client(&c->arena, &c->prog, &c->client);
    emit_server(&c->arena, &c->prog, &c->server);
    emit_doc(&c->arena, &c->prog, &c->doc);
    return true;
}

void idlc_free(idlc *c)
{
    sb_free(&c->messages);
    sb_free(&c->header);
    sb_free(&c->client);
    sb_free(&c->server);
    sb_free(&c->doc);
    arena_free(&c->arena);
}
