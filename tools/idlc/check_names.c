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
 * typedef and function name contains an underscore (struct tags, which
 * need not, have a name space of their own), and every macro is upper case.
 * File names become header names and include guards: they must be usable
 * in C (IDL0023) and distinct (IDL0037). */
#include "check.h"

#include <string.h>

#include "names.h"

enum { NS_MACRO, NS_ORDINARY, NS_TAG, NS_COUNT };

/* What a C name is generated for. Descriptions are only spelled out for a
 * diagnostic: most names never need one. */
/* A declaration as the messages name it: "lib.name" in a library (whose C
 * name d->name is by now), else its name. */
static const char *shown(const decl *d)
{
    return d->shown ? d->shown : d->name;
}

typedef enum source_kind {
    SRC_CONST, SRC_ENUM, SRC_ENUMERATOR, SRC_STRUCT, SRC_FIELD, SRC_IFACE, SRC_VERSION,
    SRC_METHOD, SRC_PARAM, SRC_PARAM_LEN, SRC_PARAM_CAP, SRC_PARAM_PRESENT, SRC_FIELD_HAS,
    SRC_FILE
} source_kind;

typedef struct claim {
    source_kind kind;
    const char *name;  /* the member, or the declaration */
    const char *owner; /* the declaration holding a member, or the method of a parameter */
    uint32_t version;  /* SRC_VERSION, SRC_METHOD */
    src_loc loc;
} claim;

typedef struct claims {
    const claim *ns[NS_COUNT];
} claims;

typedef struct names_ctx {
    checker *c;
    hmap table; /* C name -> claims */
} names_ctx;

static void describe(strbuf *sb, const claim *w)
{
    switch (w->kind) {
    case SRC_CONST:
        sb_printf(sb, "constant '%s'", w->name);
        break;
    case SRC_ENUM:
        sb_printf(sb, "enum '%s'", w->name);
        break;
    case SRC_ENUMERATOR:
        sb_printf(sb, "enumerator '%s' of enum '%s'", w->name, w->owner);
        break;
    case SRC_STRUCT:
        sb_printf(sb, "struct '%s'", w->name);
        break;
    case SRC_FIELD:
        sb_printf(sb, "field '%s' of struct '%s'", w->name, w->owner);
        break;
    case SRC_IFACE:
        sb_printf(sb, "interface '%s'", w->name);
        break;
    case SRC_VERSION:
        sb_printf(sb, "interface '%s' version %u", w->name, w->version);
        break;
    case SRC_METHOD:
        sb_printf(sb, "method '%s' of interface '%s' version %u", w->name, w->owner, w->version);
        break;
    case SRC_PARAM:
        sb_printf(sb, "parameter '%s' of method '%s'", w->name, w->owner);
        break;
    case SRC_PARAM_LEN:
        sb_printf(sb, "the length of parameter '%s'", w->name);
        break;
    case SRC_PARAM_CAP:
        sb_printf(sb, "the capacity of parameter '%s'", w->name);
        break;
    case SRC_PARAM_PRESENT:
        sb_printf(sb, "the presence flag of parameter '%s'", w->name);
        break;
    case SRC_FIELD_HAS:
        sb_printf(sb, "the presence flag of field '%s' of '%s'", w->name, w->owner);
        break;
    case SRC_FILE:
        sb_printf(sb, "file '%s'", w->name);
        break;
    }
}

/* `w` would be the C name `cname`, which `earlier` already is. */
static void collide(names_ctx *n, const char *cname, const claim *earlier, const claim *w)
{
    strbuf a, b;
    sb_init(&a);
    sb_init(&b);
    describe(&a, earlier);
    describe(&b, w);
    diag_error(n->c->d, IDL37, w->loc, "C name '%s' is generated for both %s and %s", cname,
               a.data, b.data);
    diag_note(n->c->d, earlier->loc, "%s is declared here", a.data);
    sb_free(&a);
    sb_free(&b);
}

static bool check_reserved(names_ctx *n, const char *cname, const claim *w)
{
    const char *why = cname_reserved(cname);
    if (why == NULL)
        return true;
    strbuf sb;
    sb_init(&sb);
    describe(&sb, w);
    diag_error(n->c->d, IDL35, w->loc, "%s would be the C name '%s', which is reserved (%s)",
               sb.data, cname, why);
    sb_free(&sb);
    return false;
}

/* A file-scope name in name space ns. */
static void claim_name(names_ctx *n, int ns, const char *cname, claim w)
{
    if (!check_reserved(n, cname, &w))
        return;
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
        collide(n, cname, other, &w);
        return;
    }
    claim *mine = arena_alloc(n->c->a, sizeof *mine);
    *mine = w;
    cl->ns[ns] = mine;
}

/* A member-level name: a field, method or parameter. It meets every macro;
 * a parameter also every typedef and function. */
static void check_member(names_ctx *n, const char *cname, bool is_param, const claim *w)
{
    const claims *cl = hmap_get_str(&n->table, cname);
    if (cl == NULL)
        return;
    const claim *other = cl->ns[NS_MACRO];
    if (other == NULL && is_param)
        other = cl->ns[NS_ORDINARY];
    if (other != NULL)
        collide(n, cname, other, w);
}

static void claim_decl(names_ctx *n, const decl *d)
{
    arena *a = n->c->a;
    switch (d->kind) {
    case D_CONST:
        claim_name(n, NS_MACRO, cname_const(a, d->name),
                   (claim){SRC_CONST, shown(d), NULL, 0, d->loc});
        break;
    case D_ENUM: {
        claim w = {SRC_ENUM, shown(d), NULL, 0, d->loc};
        claim_name(n, NS_ORDINARY, cname_type(a, d->name), w);
        claim_name(n, NS_ORDINARY, cname_valid(a, d->name), w);
        for (size_t i = 0; i < d->nmembers; i++) {
            const enum_member *m = &d->members[i];
            claim_name(n, NS_MACRO, cname_enumerator(a, d->name, m->name),
                       (claim){SRC_ENUMERATOR, m->name, shown(d), 0, m->loc});
        }
        break;
    }
    case D_STRUCT: {
        claim w = {SRC_STRUCT, shown(d), NULL, 0, d->loc};
        claim_name(n, NS_TAG, d->name, w);
        claim_name(n, NS_ORDINARY, cname_type(a, d->name), w);
        for (size_t i = 0; d->is_union && i < d->nfields; i++) {
            const field *f = &d->fields[i];
            claim_name(n, NS_MACRO, cname_enumerator(a, d->name, f->name),
                       (claim){SRC_ENUMERATOR, f->name, shown(d), 0, f->loc});
        }
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
    claim w = {SRC_IFACE, shown(first), NULL, 0, first->loc};
    claim_name(n, NS_MACRO, cname_guid(a, g->name, "HI"), w);
    claim_name(n, NS_MACRO, cname_guid(a, g->name, "LO"), w);
    claim_name(n, NS_ORDINARY, cname_server(a, g->name), w);
    claim_name(n, NS_TAG, cname_server(a, g->name), w);
    claim_name(n, NS_ORDINARY, cname_dispatch(a, g->name), w);
    claim_name(n, NS_ORDINARY, cname_binding(a, g->name), w);
    claim_name(n, NS_ORDINARY, cname_negotiate(a, g->name), w);
    for (size_t v = 0; v < g->n; v++) {
        const decl *d = g->versions[v];
        claim wv = {SRC_VERSION, shown(first), NULL, d->version, d->loc};
        claim_name(n, NS_ORDINARY, cname_ops(a, g->name, d->version), wv);
        claim_name(n, NS_TAG, cname_ops(a, g->name, d->version), wv);
        if (decl_has_events(d)) {
            claim_name(n, NS_ORDINARY, cname_events(a, g->name, d->version), wv);
            claim_name(n, NS_TAG, cname_events(a, g->name, d->version), wv);
            claim_name(n, NS_ORDINARY, cname_event_dispatch(a, g->name, d->version), wv);
        }
        for (size_t m = 0; m < d->nmethods; m++) {
            const method *me = &d->methods[m];
            claim wm = {SRC_METHOD, me->name, shown(first), d->version, me->loc};
            if (me->event)
                claim_name(n, NS_ORDINARY, cname_emit(a, g->name, d->version, me->name), wm);
            else
                claim_name(n, NS_ORDINARY, cname_stub(a, g->name, d->version, me->name), wm);
            claim_name(n, NS_MACRO, cname_ordinal(a, g->name, d->version, me->name), wm);
            if (me->deferred)
                claim_name(n, NS_ORDINARY, cname_reply(a, g->name, d->version, me->name), wm);
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
    source_kind kinds[3] = {SRC_PARAM, SRC_PARAM_LEN, SRC_PARAM_CAP};
    if (f->type.optional) {
        /* The server's local flag; an optional parameter is never an out
         * bulk, so slot 2 is free. */
        size_t len = strlen(f->name);
        char *x = arena_alloc(a, len + 9);
        memcpy(x, f->name, len);
        memcpy(x + len, "_present", 9);
        names[2] = x;
        kinds[2] = SRC_PARAM_PRESENT;
    }
    if (f->type.kind == TY_BYTES || f->type.kind == TY_BULK) {
        size_t len = strlen(f->name);
        char *x = arena_alloc(a, len + 5);
        memcpy(x, f->name, len);
        memcpy(x + len, "_len", 5);
        names[1] = x;
    }
    if (f->type.kind == TY_BULK && out) {
        size_t len = strlen(f->name);
        char *x = arena_alloc(a, len + 5);
        memcpy(x, f->name, len);
        memcpy(x + len, "_cap", 5);
        names[2] = x;
    }
    for (int k = 0; k < 3; k++) {
        if (names[k] == NULL)
            continue;
        claim w = {kinds[k], f->name, m->name, 0, f->loc};
        if (k > 0 && !check_reserved(n, names[k], &w))
            continue;
        /* Only sound methods get here: no parameter name is repeated
         * (IDL0033), so a clash involves an added _len or _cap. */
        claim *mine = arena_alloc(a, sizeof *mine);
        *mine = w;
        const claim *prev = hmap_put_str(locals, names[k], mine);
        if (prev != mine) {
            collide(n, names[k], prev, &w);
            continue;
        }
        check_member(n, names[k], true, &w);
    }
}

static void check_members(names_ctx *n, const decl *d)
{
    arena *a = n->c->a;
    if (d->kind == D_STRUCT) {
        hmap fields;
        hmap_init(&fields, a);
        for (size_t i = 0; i < d->nfields; i++) {
            const field *f = &d->fields[i];
            claim *w = arena_alloc(a, sizeof *w);
            *w = (claim){SRC_FIELD, f->name, shown(d), 0, f->loc};
            check_member(n, f->name, false, w);
            hmap_put_str(&fields, f->name, w);
        }
        /* An optional field adds has_NAME beside it. */
        for (size_t i = 0; i < d->nfields; i++) {
            const field *f = &d->fields[i];
            if (!f->type.optional && !d->is_table)
                continue;
            char *has = arena_alloc(a, strlen(f->name) + 5);
            memcpy(has, "has_", 4);
            memcpy(has + 4, f->name, strlen(f->name) + 1);
            claim *w = arena_alloc(a, sizeof *w);
            *w = (claim){SRC_FIELD_HAS, f->name, shown(d), 0, f->loc};
            const claim *prev = hmap_put_str(&fields, has, w);
            if (prev != w)
                collide(n, has, prev, w);
            else
                check_member(n, has, false, w);
        }
        return;
    }
    if (d->kind != D_INTERFACE)
        return;
    for (size_t m = 0; m < d->nmethods; m++) {
        const method *me = &d->methods[m];
        claim w = {SRC_METHOD, me->name, shown(d), d->version, me->loc};
        check_member(n, me->name, false, &w);
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
        claim *mine = arena_alloc(a, sizeof *mine);
        *mine = (claim){SRC_FILE, path, NULL, 0, loc};
        const claim *prev = hmap_put_str(&stems, f->stem, mine);
        if (prev != mine) {
            diag_error(n->c->d, IDL37, loc,
                       "C header '%s.h' is generated for both file '%s' and file '%s'", f->stem,
                       prev->name, path);
            diag_note(n->c->d, prev->loc, "file '%s' is loaded here", prev->name);
            continue;
        }
        const char *guard = cname_guard(a, f->stem);
        prev = hmap_put_str(&guards, guard, mine);
        if (prev != mine)
            collide(n, guard, prev, mine);
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
