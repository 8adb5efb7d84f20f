/* SPDX-License-Identifier: MIT */
/* Checker pass 6 (see check.h): the C names the emitters will make. Every
 * file-scope name (macros, typedefs and functions, struct tags), spelled by
 * names.c exactly as the emitters spell it, is claimed in checking order; a
 * name the C environment takes is IDL0035, and two sources of one name are
 * IDL0037, reported at the later one with a note at the earlier:
 *   - a macro replaces every later use of its name, so it may share its
 *     name with nothing at all, not even a field or parameter;
 *   - typedefs and functions share one name space, struct tags another;
 *   - parameters (and the _len/_cap names bytes and bulk parameters add)
 *     are locals of the stub, the op and the handler, so they must differ
 *     from each other and from every typedef and function, which they
 *     would hide inside those functions;
 *   - fields, enumerators and method names (members of the ops tables) only
 *     meet macros.
 * The generated static functions need no check: idlg_put_S, idlg_get_S and
 * idlg_err_E are unique with the struct and enum names, idlg_route_I and
 * idlg_reject_I with the interface names, and idlg_h_ + a stub's name with
 * the stub names, and the idlg_ prefix is reserved. Neither do the
 * generated locals and parameters (idl_ prefix) and the few fixed
 * lower-case names (server, caller, msg, self, v...): every generated
 * file-scope name contains an underscore, every macro is upper case.
 * File names become header names and include guards: they must be usable
 * in C (IDL0023) and distinct (IDL0037). */
#include "check.h"

#include <string.h>

#include "names.h"

enum { NS_MACRO, NS_ORDINARY, NS_TAG, NS_COUNT };

typedef struct claim {
    const char *what; /* "enumerator 'c' of enum 'a_b'" */
    src_loc loc;
} claim;

typedef struct claims {
    claim *ns[NS_COUNT];
} claims;

typedef struct names_ctx {
    checker *c;
    hmap table; /* C name -> claims */
} names_ctx;

static char *what(arena *a, const char *f, ...) __attribute__((format(printf, 2, 3)));
static char *what(arena *a, const char *f, ...)
{
    strbuf sb;
    sb_init(&sb);
    va_list ap;
    va_start(ap, f);
    sb_vprintf(&sb, f, ap);
    va_end(ap);
    char *r = arena_strndup(a, sb.data, sb.len);
    sb_free(&sb);
    return r;
}

static void collide(names_ctx *n, const char *cname, const claim *earlier, const char *w,
                    src_loc loc)
{
    diag_error(n->c->d, IDL37, loc, "C name '%s' is generated for both %s and %s", cname,
               earlier->what, w);
    diag_note(n->c->d, earlier->loc, "%s is declared here", earlier->what);
}

/* A file-scope name in name space ns. */
static void claim_name(names_ctx *n, int ns, const char *cname, src_loc loc, const char *w)
{
    const char *why = cname_reserved(cname);
    if (why != NULL) {
        diag_error(n->c->d, IDL35, loc, "%s would be the C name '%s', which is reserved (%s)",
                   w, cname, why);
        return;
    }
    claims *cl = hmap_get_str(&n->table, cname);
    if (cl == NULL) {
        cl = arena_alloc(n->c->a, sizeof *cl);
        hmap_put_str(&n->table, cname, cl);
    }
    const claim *other = cl->ns[NS_MACRO];
    for (int k = 0; k < NS_COUNT && other == NULL; k++) {
        if (ns == NS_MACRO || k == ns)
            other = cl->ns[k];
    }
    if (other != NULL) {
        collide(n, cname, other, w, loc);
        return;
    }
    claim *mine = arena_alloc(n->c->a, sizeof *mine);
    mine->what = w;
    mine->loc = loc;
    cl->ns[ns] = mine;
}

/* A member-level name: a field, method or parameter. It meets every macro;
 * a parameter also every typedef and function. */
static void check_member(names_ctx *n, const char *cname, bool is_param, src_loc loc,
                         const char *w)
{
    const claims *cl = hmap_get_str(&n->table, cname);
    if (cl == NULL)
        return;
    const claim *other = cl->ns[NS_MACRO];
    if (other == NULL && is_param)
        other = cl->ns[NS_ORDINARY];
    if (other != NULL)
        collide(n, cname, other, w, loc);
}

static void claim_decl(names_ctx *n, const decl *d)
{
    arena *a = n->c->a;
    switch (d->kind) {
    case D_CONST:
        claim_name(n, NS_MACRO, cname_const(a, d->name), d->loc,
                   what(a, "constant '%s'", d->name));
        break;
    case D_ENUM: {
        const char *w = what(a, "enum '%s'", d->name);
        claim_name(n, NS_ORDINARY, cname_type(a, d->name), d->loc, w);
        claim_name(n, NS_ORDINARY, cname_valid(a, d->name), d->loc, w);
        for (size_t i = 0; i < d->nmembers; i++) {
            const enum_member *m = &d->members[i];
            claim_name(n, NS_MACRO, cname_enumerator(a, d->name, m->name), m->loc,
                       what(a, "enumerator '%s' of enum '%s'", m->name, d->name));
        }
        break;
    }
    case D_STRUCT: {
        const char *w = what(a, "struct '%s'", d->name);
        claim_name(n, NS_TAG, d->name, d->loc, w);
        claim_name(n, NS_ORDINARY, cname_type(a, d->name), d->loc, w);
        break;
    }
    case D_INTERFACE:
        break; /* by group, below */
    }
}

static void claim_interface(names_ctx *n, const iface_group *g)
{
    arena *a = n->c->a;
    const decl *first = g->versions[0];
    const char *w = what(a, "interface '%s'", g->name);
    claim_name(n, NS_MACRO, cname_guid(a, g->name, "HI"), first->loc, w);
    claim_name(n, NS_MACRO, cname_guid(a, g->name, "LO"), first->loc, w);
    claim_name(n, NS_ORDINARY, cname_server(a, g->name), first->loc, w);
    claim_name(n, NS_TAG, cname_server(a, g->name), first->loc, w);
    claim_name(n, NS_ORDINARY, cname_dispatch(a, g->name), first->loc, w);
    claim_name(n, NS_ORDINARY, cname_binding(a, g->name), first->loc, w);
    for (size_t v = 0; v < g->n; v++) {
        const decl *d = g->versions[v];
        const char *wv = what(a, "interface '%s' version %u", g->name, d->version);
        claim_name(n, NS_ORDINARY, cname_ops(a, g->name, d->version), d->loc, wv);
        claim_name(n, NS_TAG, cname_ops(a, g->name, d->version), d->loc, wv);
        for (size_t m = 0; m < d->nmethods; m++) {
            const method *me = &d->methods[m];
            const char *wm = what(a, "method '%s' of interface '%s' version %u", me->name,
                                  g->name, d->version);
            claim_name(n, NS_ORDINARY, cname_stub(a, g->name, d->version, me->name), me->loc,
                       wm);
            claim_name(n, NS_MACRO, cname_ordinal(a, g->name, d->version, me->name), me->loc,
                       wm);
        }
    }
}

/* The C names one parameter becomes, in the stub and in the op together:
 * its own, plus _len for bytes and bulk and _cap for an out bulk. */
static void check_param(names_ctx *n, hmap *locals, const method *m, const field *f,
                        bool out)
{
    arena *a = n->c->a;
    const char *names[3] = {f->name, NULL, NULL};
    const char *whats[3] = {what(a, "parameter '%s' of method '%s'", f->name, m->name), NULL,
                            NULL};
    if (f->type.kind == TY_BYTES || f->type.kind == TY_BULK) {
        names[1] = what(a, "%s_len", f->name);
        whats[1] = what(a, "the length of parameter '%s'", f->name);
    }
    if (f->type.kind == TY_BULK && out) {
        names[2] = what(a, "%s_cap", f->name);
        whats[2] = what(a, "the capacity of parameter '%s'", f->name);
    }
    for (int k = 0; k < 3; k++) {
        if (names[k] == NULL)
            continue;
        if (k > 0) {
            const char *why = cname_reserved(names[k]);
            if (why != NULL) {
                diag_error(n->c->d, IDL35, f->loc,
                           "%s would be the C name '%s', which is reserved (%s)", whats[k],
                           names[k], why);
                continue;
            }
        }
        claim *mine = arena_alloc(a, sizeof *mine);
        mine->what = whats[k];
        mine->loc = f->loc;
        /* Only sound methods get here: no parameter name is repeated
         * (IDL0033), so a clash involves an added _len or _cap. */
        claim *prev = hmap_put_str(locals, names[k], mine);
        if (prev != mine) {
            collide(n, names[k], prev, whats[k], f->loc);
            continue;
        }
        check_member(n, names[k], true, f->loc, whats[k]);
    }
}

static void check_members(names_ctx *n, const decl *d)
{
    arena *a = n->c->a;
    if (d->kind == D_STRUCT) {
        for (size_t i = 0; i < d->nfields; i++) {
            const field *f = &d->fields[i];
            check_member(n, f->name, false, f->loc,
                         what(a, "field '%s' of struct '%s'", f->name, d->name));
        }
        return;
    }
    if (d->kind != D_INTERFACE)
        return;
    for (size_t m = 0; m < d->nmethods; m++) {
        const method *me = &d->methods[m];
        check_member(n, me->name, false, me->loc,
                     what(a, "method '%s' of interface '%s' version %u", me->name, d->name,
                          d->version));
        hmap locals;
        hmap_init(&locals, a);
        for (size_t i = 0; i < me->nin; i++)
            check_param(n, &locals, me, &me->in[i], false);
        for (size_t i = 0; i < me->nout; i++)
            check_param(n, &locals, me, &me->out[i], true);
    }
}

static bool stem_usable(const char *s)
{
    if (*s == '\0')
        return false;
    for (; *s; s++) {
        char ch = *s;
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '_' || ch == '-' || ch == '.' || ch == '+'))
            return false;
    }
    return true;
}

/* Each file becomes STEM.h (included by its importers as "STEM.h") with the
 * guard IDL_GEN_STEM_H, and STEM_client.c and STEM_server.c. */
static void check_files(names_ctx *n)
{
    program *p = n->c->prog;
    arena *a = n->c->a;
    hmap stems, guards;
    hmap_init(&stems, a);
    hmap_init(&guards, a);
    for (size_t k = 0; k < p->norder; k++) {
        const ast_file *f = &p->files[p->order[k]];
        const char *path = n->c->d->files[f->file].path;
        src_loc loc = f->loaded_at;
        if (f->file == 0)
            loc = (src_loc){0, 1, 1, 1};
        if (!stem_usable(f->stem)) {
            diag_error(n->c->d, IDL23, loc,
                       "file name '%s' cannot name generated C files (use letters, digits, "
                       "'_', '-', '.' and '+')",
                       path);
            continue;
        }
        const char *w = what(a, "file '%s'", path);
        claim *mine = arena_alloc(a, sizeof *mine);
        mine->what = w;
        mine->loc = loc;
        claim *prev = hmap_put_str(&stems, f->stem, mine);
        if (prev != mine) {
            diag_error(n->c->d, IDL37, loc, "C header '%s.h' is generated for both %s and %s",
                       f->stem, prev->what, w);
            diag_note(n->c->d, prev->loc, "%s is loaded here", prev->what);
            continue;
        }
        const char *guard = cname_guard(a, f->stem);
        prev = hmap_put_str(&guards, guard, mine);
        if (prev != mine) {
            collide(n, guard, prev, w, loc);
            continue;
        }
    }
}

/* Pass 6. Names are claimed in checking order, so of two sources of one
 * name the one in the importing file, or further down, is reported. */
void check_names(checker *c)
{
    names_ctx n = {.c = c};
    hmap_init(&n.table, c->a);
    check_files(&n);
    program *p = c->prog;
    hmap groups; /* interface name -> its group, if every version is sound */
    hmap met;    /* interface name -> the first version met */
    hmap_init(&groups, c->a);
    hmap_init(&met, c->a);
    for (size_t k = 0; k < p->ngroups; k++) {
        iface_group *g = &p->groups[k];
        bool ok = true;
        for (size_t v = 0; v < g->n; v++)
            ok &= g->versions[v]->ok;
        if (ok)
            hmap_put_str(&groups, g->name, g);
    }
    for (size_t i = 0; i < p->ndecls; i++) {
        decl *d = p->decls[i];
        if (!d->ok)
            continue;
        if (d->kind != D_INTERFACE) {
            claim_decl(&n, d);
            continue;
        }
        /* All versions at the first one met. */
        iface_group *g = hmap_get_str(&groups, d->name);
        if (g != NULL && hmap_put_str(&met, d->name, d) == d)
            claim_interface(&n, g);
    }
    for (size_t i = 0; i < p->ndecls; i++) {
        if (p->decls[i]->ok)
            check_members(&n, p->decls[i]);
    }
}
