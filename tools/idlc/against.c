/* SPDX-License-Identifier: MIT */
/* idlc --against OLD.idl: is the file just compiled a compatible evolution
 * of OLD? Types are shared by every version of an interface, so inside one
 * file a table or a union cannot be compared with its earlier definition;
 * given the earlier file, this compares every type and interface version
 * the two have in common, matched by name ("lib.name"), under the rules of
 * docs/idl.md ("Versions and compatibility"):
 *   tables    a field keeps its ordinal and its type; an ordinal is never
 *             reused for another type; new fields take new ordinals (IDL0085)
 *   unions    the same for variants (IDL0086)
 *   types     a struct or enum never changes, no type changes kind (IDL0087)
 *   versions  an interface version in both files is the same on the wire:
 *             GUID, error type, methods and events with their parameter
 *             types, capability kinds, rights and client ranges (IDL0088)
 * Both files were compiled and checked on their own first. Errors point at
 * NEW, each with a note at OLD: OLD's files are registered in NEW's
 * diagnostics context (after NEW's own, in the listing order). Removing a
 * type, field, variant or version is not an error here; an ordinal removed
 * is kept from reuse only as long as OLD still declares it, so compare
 * against the last published file. */
#include "idlc.h"

#include <string.h>

#include "emit.h"

typedef struct against {
    idlc *c;            /* NEW; diagnostics go to c->diag */
    uint32_t *file_map; /* OLD's file index -> its index in c->diag */
} against;

static src_loc old_loc(const against *g, src_loc l)
{
    l.file = g->file_map[l.file];
    return l;
}

/* A declaration's IDL name: "lib.name" in a library. */
static const char *nm(const decl *d)
{
    return d->shown ? d->shown : d->name;
}

static const char *kind_of(const decl *d)
{
    if (d->kind == D_STRUCT)
        return d->is_union ? "union" : d->is_table ? "table" : "struct";
    return check_kind_name(d->kind);
}

static const char *type_text(against *g, const type_ref *t)
{
    return idl_type(&g->c->arena, t);
}

/* The same wire type: as written (named types by their IDL name, which are
 * compared on their own when both files declare them), and for a
 * capability also the rights its sender keeps. */
static bool same_type(against *g, const type_ref *a, const type_ref *b)
{
    if (strcmp(type_text(g, a), type_text(g, b)) != 0)
        return false;
    return a->kind != TY_CAP || a->cap_send == b->cap_send;
}

static bool same_list(against *g, const field *a, size_t na, const field *b, size_t nb)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++)
        if (!same_type(g, &a[i].type, &b[i].type))
            return false;
    return true;
}

/* Table fields or union variants: an old ordinal present in NEW keeps its
 * type (a rename is allowed), and an old name present in NEW keeps its
 * ordinal. */
static void compare_members(against *g, const decl *o, const decl *n, diag_code code)
{
    diag_ctx *d = &g->c->diag;
    const char *what = n->is_table ? "field" : "variant";
    hmap by_ordinal, by_name;
    hmap_init(&by_ordinal, &g->c->arena);
    hmap_init(&by_name, &g->c->arena);
    for (size_t j = 0; j < n->nfields; j++) {
        hmap_put_u64(&by_ordinal, n->fields[j].ordinal, &n->fields[j]);
        hmap_put_str(&by_name, n->fields[j].name, &n->fields[j]);
    }
    for (size_t i = 0; i < o->nfields; i++) {
        const field *of = &o->fields[i];
        const field *nf = hmap_get_u64(&by_ordinal, of->ordinal);
        if (nf != NULL && !same_type(g, &of->type, &nf->type)) {
            diag_error(d, code, nf->loc,
                       "%s ordinal %u of %s '%s' is '%s: %s' but was '%s: %s' (an ordinal "
                       "keeps its type and is never reused for another)",
                       what, of->ordinal, kind_of(n), nm(n), nf->name,
                       type_text(g, &nf->type), of->name, type_text(g, &of->type));
            diag_note(d, old_loc(g, of->loc), "the earlier definition declares it here");
        }
        const field *same = hmap_get_str(&by_name, of->name);
        if (same != NULL && same->ordinal != of->ordinal) {
            diag_error(d, code, same->loc,
                       "%s '%s' of %s '%s' has ordinal %u but had %u (a %s keeps its "
                       "ordinal; new ones take new ordinals)",
                       what, same->name, kind_of(n), nm(n), same->ordinal, of->ordinal,
                       what);
            diag_note(d, old_loc(g, of->loc), "the earlier definition declares it here");
        }
    }
}

/* An enum keeps its type and every enumerator with its value, and adds
 * none: a receiver built from the older definition rejects a value it does
 * not know. */
static bool same_enum(against *g, const decl *o, const decl *n)
{
    if (o->itype.ik != n->itype.ik || o->nmembers != n->nmembers)
        return false;
    hmap by_name;
    hmap_init(&by_name, &g->c->arena);
    for (size_t j = 0; j < n->nmembers; j++)
        hmap_put_str(&by_name, n->members[j].name, &n->members[j]);
    for (size_t i = 0; i < o->nmembers; i++) {
        const enum_member *om = &o->members[i];
        const enum_member *m = hmap_get_str(&by_name, om->name);
        if (m == NULL || m->v.neg != om->v.neg || m->v.mag != om->v.mag)
            return false;
    }
    return true;
}

static void compare_type(against *g, const decl *o, const decl *n)
{
    diag_ctx *d = &g->c->diag;
    if (strcmp(kind_of(o), kind_of(n)) != 0) {
        diag_error(d, IDL87, n->loc, "'%s' is a %s but was a %s (a type never changes kind)",
                   nm(n), kind_of(n), kind_of(o));
        diag_note(d, old_loc(g, o->loc), "the earlier definition is here");
    } else if (n->kind == D_STRUCT && n->is_table) {
        compare_members(g, o, n, IDL85);
    } else if (n->kind == D_STRUCT && n->is_union) {
        compare_members(g, o, n, IDL86);
    } else if (n->kind == D_STRUCT ? !same_list(g, o->fields, o->nfields, n->fields, n->nfields)
                                   : !same_enum(g, o, n)) {
        diag_error(d, IDL87, n->loc,
                   "%s '%s' differs from the earlier definition (structs and enums never "
                   "change: declare a new type)",
                   kind_of(n), nm(n));
        diag_note(d, old_loc(g, o->loc), "the earlier definition is here");
    }
}

/* What changed in a method kept at its ordinal, or NULL. */
static const char *method_change(against *g, const method *om, const method *m)
{
    if (strcmp(om->name, m->name) != 0)
        return "its name";
    if (om->event != m->event)
        return om->event ? "it was an event" : "it was a method";
    if (om->oneway != m->oneway)
        return om->oneway ? "it was one-way" : "it was two-way";
    if (!same_list(g, om->in, om->nin, m->in, m->nin))
        return "its parameters";
    if (!same_list(g, om->out, om->nout, m->out, m->nout))
        return "its reply";
    return NULL;
}

/* One interface version in both files: the same on the wire. */
static void compare_version(against *g, const decl *o, const decl *n)
{
    diag_ctx *d = &g->c->diag;
    if (o->guid_hi != n->guid_hi || o->guid_lo != n->guid_lo) {
        diag_error(d, IDL88, n->guid_loc, "version %u of '%s' has another GUID than before",
                   n->version, nm(n));
        diag_note(d, old_loc(g, o->guid_loc), "the earlier definition's GUID");
    }
    const char *oe = o->error_enum ? nm(o->error_enum) : "(none)";
    const char *ne = n->error_enum ? nm(n->error_enum) : "(none)";
    if (strcmp(oe, ne) != 0) {
        diag_error(d, IDL88, n->has_error ? n->error_loc : n->loc,
                   "version %u of '%s' has error type '%s' but had '%s'", n->version, nm(n),
                   ne, oe);
        diag_note(d, old_loc(g, o->has_error ? o->error_loc : o->loc),
                  "the earlier definition is here");
    }
    hmap old_by_ordinal, by_ordinal;
    hmap_init(&old_by_ordinal, &g->c->arena);
    hmap_init(&by_ordinal, &g->c->arena);
    for (size_t i = 0; i < o->nmethods; i++)
        hmap_put_u64(&old_by_ordinal, o->methods[i].ordinal, &o->methods[i]);
    for (size_t j = 0; j < n->nmethods; j++)
        hmap_put_u64(&by_ordinal, n->methods[j].ordinal, &n->methods[j]);
    for (size_t i = 0; i < o->nmethods; i++) {
        const method *om = &o->methods[i];
        const method *m = hmap_get_u64(&by_ordinal, om->ordinal);
        const char *why = m ? method_change(g, om, m) : NULL;
        if (m == NULL) {
            diag_error(d, IDL88, n->loc, "version %u of '%s' no longer has '%s' (ordinal %u)",
                       n->version, nm(n), om->name, om->ordinal);
        } else if (why != NULL) {
            diag_error(d, IDL88, m->loc,
                       "'%s' (ordinal %u) of version %u of '%s' changed: %s (a published "
                       "version never changes: declare a new one)",
                       m->name, m->ordinal, n->version, nm(n), why);
        } else {
            continue;
        }
        diag_note(d, old_loc(g, om->loc), "the earlier definition declares it here");
    }
    for (size_t j = 0; j < n->nmethods; j++) {
        const method *m = &n->methods[j];
        if (hmap_get_u64(&old_by_ordinal, m->ordinal) == NULL) {
            diag_error(d, IDL88, m->loc,
                       "version %u of '%s' gains '%s' (a published version never changes: "
                       "declare a new one)",
                       n->version, nm(n), m->name);
            diag_note(d, old_loc(g, o->loc), "the earlier definition is here");
        }
    }
}

static const char *version_key(against *g, const decl *d)
{
    return fmt(&g->c->arena, "%s#%u", nm(d), d->version);
}

bool idlc_check_against(idlc *c, const idlc *old)
{
    diag_ctx *d = &c->diag;
    arena *a = &c->arena;
    size_t nnew = d->nfiles;
    against g = {c, arena_alloc(a, (old->diag.nfiles + 1) * sizeof(uint32_t))};
    for (size_t i = 0; i < old->diag.nfiles; i++) {
        const source_file *f = &old->diag.files[i];
        g.file_map[i] = diag_add_file(d, arena_strdup(a, f->path),
                                      arena_strndup(a, f->text, f->len), f->len);
    }
    for (size_t i = 0; i < old->ndeps; i++)
        *VEC_PUSH(a, c->deps, c->ndeps, c->deps_cap) = arena_strdup(a, old->deps[i]);
    /* NEW's files keep their places in the listing; OLD's come after. */
    uint32_t *rank = arena_alloc(a, (d->nfiles + 1) * sizeof *rank);
    for (size_t i = 0; i < d->nfiles; i++)
        rank[i] = i < nnew && d->rank ? d->rank[i] : (uint32_t)i;
    d->rank = rank;

    hmap types, versions;
    hmap_init(&types, a);
    hmap_init(&versions, a);
    for (size_t i = 0; i < c->prog.ndecls; i++) {
        decl *n = c->prog.decls[i];
        if (n->kind == D_INTERFACE)
            hmap_put_str(&versions, version_key(&g, n), n);
        else if (n->kind == D_STRUCT || n->kind == D_ENUM)
            hmap_put_str(&types, nm(n), n);
    }
    unsigned before = d->errors;
    for (size_t i = 0; i < old->prog.ndecls; i++) {
        const decl *o = old->prog.decls[i];
        if (o->kind == D_INTERFACE) {
            const decl *n = hmap_get_str(&versions, version_key(&g, o));
            if (n != NULL)
                compare_version(&g, o, n);
        } else if (o->kind == D_STRUCT || o->kind == D_ENUM) {
            const decl *n = hmap_get_str(&types, nm(o));
            if (n != NULL)
                compare_type(&g, o, n);
        }
    }
    diag_flush(d);
    return d->errors == before;
}
