/* SPDX-License-Identifier: MIT */
/* Checker passes 1-3: declarations, constants, enums, types and structs
 * (see check.h). Interfaces and versions are in check_iface.c. */
#include "check.h"

#include <stdio.h>
#include <string.h>

#include "layout.h"
#include "names.h"

/* ---- symbol table ---------------------------------------------------------- */

const char *check_key(checker *c, const decl *d)
{
    if (d->lib == NULL)
        return d->name;
    size_t nl = strlen(d->lib), nn = strlen(d->name);
    char *k = arena_alloc(c->a, nl + nn + 2);
    memcpy(k, d->lib, nl);
    k[nl] = '.';
    memcpy(k + nl + 1, d->name, nn + 1);
    return k;
}

decl *check_lookup(checker *c, const char *name, const char *lib)
{
    if (lib != NULL && strchr(name, '.') == NULL) {
        size_t nl = strlen(lib), nn = strlen(name);
        char *k = arena_alloc(c->a, nl + nn + 2);
        memcpy(k, lib, nl);
        k[nl] = '.';
        memcpy(k + nl + 1, name, nn + 1);
        decl *own = hmap_get_str(&c->names, k);
        if (own != NULL)
            return own;
    }
    return hmap_get_str(&c->names, name);
}

/* ---- reserved names -------------------------------------------------------- */

/* The built-in type names: a declaration so named could not be told apart
 * from the built-in type where a type is expected. */
static const char *const builtin_type_names[] = {
    "u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64", "bool", "string", "bytes", "cap", "bulk",
    "client",
};

/* Members, enumerators, parameters and methods appear in the generated C
 * as written: they may not be names the C environment takes (names.h). */
bool check_reserved_member(checker *c, const char *name, src_loc loc)
{
    const char *why = cname_reserved(name);
    if (why != NULL) {
        diag_error(c->d, IDL35, loc, "'%s' is reserved (%s)", name, why);
        return false;
    }
    return true;
}

static bool check_reserved_decl(checker *c, const decl *d)
{
    for (size_t i = 0; i < sizeof builtin_type_names / sizeof builtin_type_names[0]; i++) {
        if (strcmp(d->name, builtin_type_names[i]) == 0) {
            diag_error(c->d, IDL35, d->loc, "'%s' is reserved (a built-in type name)", d->name);
            return false;
        }
    }
    return check_reserved_member(c, d->name, d->loc);
}

const char *check_kind_name(decl_kind k)
{
    switch (k) {
    case D_CONST:
        return "constant";
    case D_ENUM:
        return "enum";
    case D_STRUCT:
        return "struct"; /* unions too: the messages say "struct or union" where it matters */
    case D_INTERFACE:
        return "interface";
    }
    return "?";
}

/* The program's declarations in checking order: files in prog->order
 * (imported files first), each file's declarations in source order. */
static void collect_decls(checker *c)
{
    program *p = c->prog;
    size_t n = 0;
    for (size_t f = 0; f < p->nfiles; f++)
        n += p->files[f].ndecls;
    p->decls = arena_alloc(c->a, (n ? n : 1) * sizeof *p->decls);
    p->ndecls = 0;
    for (size_t k = 0; k < p->norder; k++) {
        const ast_file *af = &p->files[p->order[k]];
        for (size_t i = 0; i < af->ndecls; i++) {
            af->decls[i]->index = (uint32_t)p->ndecls;
            p->decls[p->ndecls++] = af->decls[i];
        }
    }
}

/* Pass 1: one declaration per name, except that an interface name may be
 * declared once per version (pass 5 checks those). The first declaration
 * in checking order keeps the name, so a file that repeats a name from a
 * file it imports is the one told. */
static void declare_all(checker *c)
{
    for (size_t i = 0; i < c->prog->ndecls; i++) {
        decl *d = c->prog->decls[i];
        d->ok = check_reserved_decl(c, d);
        decl *prev = hmap_put_str(&c->names, check_key(c, d), d);
        if (prev != d && !(prev->kind == D_INTERFACE && d->kind == D_INTERFACE)) {
            diag_error(c->d, IDL30, d->loc, "'%s' is already declared as a %s", d->name,
                       check_kind_name(prev->kind));
            diag_note(c->d, prev->loc, "previous declaration of '%s' is here", d->name);
            d->ok = false;
        }
    }
}

/* ---- values ------------------------------------------------------------------ */

bool check_fits(ival v, int_kind k)
{
    unsigned bits = int_kind_size(k) * 8;
    if (!int_kind_signed(k))
        return !v.neg && (bits == 64 || v.mag < (UINT64_C(1) << bits));
    uint64_t lim = UINT64_C(1) << (bits - 1);
    return v.neg ? v.mag <= lim : v.mag < lim;
}

static void resolve_const(checker *c, decl *d);

/* A literal, or the value of a named constant. */
bool check_resolve_value(checker *c, const value_expr *v, ival *out)
{
    if (!v->is_ref) {
        *out = v->lit;
        return true;
    }
    decl *d = check_lookup(c, v->name, v->lib);
    if (d == NULL) {
        diag_error(c->d, IDL31, v->loc, "unknown constant '%s'", v->name);
        return false;
    }
    if (d->kind != D_CONST) {
        diag_error(c->d, IDL32, v->loc, "'%s' is a %s, not a constant", v->name,
                   check_kind_name(d->kind));
        return false;
    }
    resolve_const(c, d);
    if (d->state == 1) {
        diag_error(c->d, IDL36, v->loc, "constant '%s' is defined in terms of itself", v->name);
        return false;
    }
    if (!d->ok)
        return false;
    *out = d->cval;
    return true;
}

static void print_ival(char *buf, size_t n, ival v)
{
    snprintf(buf, n, "%s%llu", v.neg ? "-" : "", (unsigned long long)v.mag);
}

/* Check one constant whose value, if it names a constant, names one that
 * is resolved already (state 2) or still in progress (1: a cycle). */
static void finish_const(checker *c, decl *d)
{
    bool ok = d->ok;
    if (d->itype.kind != TY_INT || d->itype.is_array) {
        diag_error(c->d, IDL42, d->itype.loc, "constant type must be an integer type");
        ok = false;
    } else if (!check_resolve_value(c, &d->value, &d->cval)) {
        ok = false;
    } else if (!check_fits(d->cval, d->itype.ik)) {
        char buf[32];
        print_ival(buf, sizeof buf, d->cval);
        diag_error(c->d, IDL40, d->value.loc, "value %s does not fit in %s", buf,
                   int_kind_idl(d->itype.ik));
        ok = false;
    }
    d->ok = ok;
}

/* Constants resolve on demand (a constant may name one declared later);
 * state 0 = not started, 1 = in progress (a cycle if seen again), 2 = done.
 * A chain of constants each naming the next is followed with an explicit
 * stack: the named constant is resolved before the one naming it. */
static void resolve_const(checker *c, decl *d)
{
    if (d->state != 0)
        return;
    decl **stack = NULL;
    size_t n = 0, cap = 0;
    d->state = 1;
    *VEC_PUSH(c->a, stack, n, cap) = d;
    while (n > 0) {
        decl *top = stack[n - 1];
        if (top->value.is_ref) {
            decl *next = check_lookup(c, top->value.name, top->value.lib);
            if (next != NULL && next->kind == D_CONST && next->state == 0) {
                next->state = 1;
                *VEC_PUSH(c->a, stack, n, cap) = next;
                continue;
            }
        }
        finish_const(c, top);
        top->state = 2;
        n--;
    }
}

static void check_enum(checker *c, decl *d)
{
    if (d->itype.kind != TY_INT || d->itype.is_array) {
        diag_error(c->d, IDL42, d->itype.loc, "enum underlying type must be an integer type");
        d->ok = false;
        return;
    }
    if (d->nmembers == 0) {
        diag_error(c->d, IDL43, d->loc, "enum '%s' has no enumerators", d->name);
        d->ok = false;
    }
    hmap names, values;
    hmap_init(&names, c->a);
    hmap_init(&values, c->a);
    for (size_t i = 0; i < d->nmembers; i++) {
        enum_member *m = &d->members[i];
        if (!check_reserved_member(c, m->name, m->loc))
            d->ok = false;
        if (hmap_put_str(&names, m->name, m) != m) {
            diag_error(c->d, IDL33, m->loc, "enumerator '%s' declared twice", m->name);
            d->ok = false;
        }
        if (!check_resolve_value(c, &m->value, &m->v)) {
            d->ok = false;
            continue;
        }
        if (!check_fits(m->v, d->itype.ik)) {
            char buf[32];
            print_ival(buf, sizeof buf, m->v);
            diag_error(c->d, IDL40, m->value.loc, "value %s does not fit in %s", buf,
                       int_kind_idl(d->itype.ik));
            d->ok = false;
            continue;
        }
        /* A value that fits its type is one 64-bit two's complement word. */
        uint64_t key = m->v.neg ? 0 - m->v.mag : m->v.mag;
        enum_member *prev = hmap_put_u64(&values, key, m);
        if (prev != m) {
            diag_error(c->d, IDL41, m->value.loc, "enumerator '%s' has the same value as '%s'",
                       m->name, prev->name);
            d->ok = false;
        }
    }
}

/* ---- types ------------------------------------------------------------------- */

static bool resolve_bound(checker *c, const value_expr *v, uint32_t *out, const char *what)
{
    ival x;
    if (!check_resolve_value(c, v, &x))
        return false;
    if (x.neg || x.mag < 1 || x.mag > 65535) {
        char buf[32];
        print_ival(buf, sizeof buf, x);
        diag_error(c->d, IDL44, v->loc, "%s %s is out of range (1..65535)", what, buf);
        return false;
    }
    *out = (uint32_t)x.mag;
    return true;
}

/* Resolve names and bounds of a type. in_aggregate: the type is a struct
 * field (caps and bulk buffers may only be parameters). */
bool check_resolve_type(checker *c, type_ref *t, bool in_aggregate)
{
    bool ok = true;
    if (t->kind == TY_NAMED) {
        decl *d = check_lookup(c, t->name, t->lib);
        if (d == NULL) {
            diag_error(c->d, IDL31, t->loc, "unknown type '%s'", t->name);
            return false;
        }
        if (d->kind != D_ENUM && d->kind != D_STRUCT) {
            diag_error(c->d, IDL32, t->loc, "'%s' is a %s, not a type", t->name,
                       check_kind_name(d->kind));
            return false;
        }
        t->kind = d->kind == D_ENUM ? TY_ENUM : TY_STRUCT;
        t->decl = d;
    }
    if (t->has_bound && !resolve_bound(c, &t->bound, &t->bound_v, "maximum length"))
        ok = false;
    if (t->kind == TY_CAP && !check_resolve_cap(c, t))
        ok = false;
    if (t->optional && (t->kind == TY_CAP || t->kind == TY_BULK)) {
        diag_error(c->d, IDL68, t->loc, "%s cannot be optional",
                   t->kind == TY_CAP ? "a capability" : "a bulk buffer");
        return false;
    }
    if ((t->kind == TY_CAP || t->kind == TY_BULK) && (in_aggregate || t->is_array)) {
        diag_error(c->d, IDL60, t->loc, "%s may only be a method parameter, not %s",
                   t->kind == TY_CAP ? "a capability" : "a bulk buffer",
                   t->is_array ? "an array element" : "a struct field");
        return false;
    }
    if (t->is_array) {
        if (t->kind == TY_STRING || t->kind == TY_BYTES) {
            diag_error(c->d, IDL63, t->loc,
                       "arrays of strings or bytes are not supported; use an array of structs");
            ok = false;
        }
        if (!resolve_bound(c, &t->array_len, &t->array_n, "array length"))
            ok = false;
    }
    return ok;
}

/* Pass 3: a struct may not contain itself, directly or through others.
 * Depth-first search with an explicit stack and colours: GREY while on the
 * stack, BLACK when done; reaching a GREY struct closes a cycle. Each struct
 * is appended to *post when it is done, so every struct comes after the
 * structs it contains (except along a cycle, and those are not sound). */
enum { WHITE = 0, GREY = 10, BLACK = 11 };

typedef struct dfs_frame {
    decl *s;
    size_t next; /* next field to follow */
} dfs_frame;

typedef struct decl_list {
    decl **v;
    size_t n, cap;
} decl_list;

static void struct_dfs(checker *c, decl *root, decl_list *post)
{
    dfs_frame *stack = NULL;
    size_t n = 0, cap = 0;
    root->state = GREY;
    *VEC_PUSH(c->a, stack, n, cap) = (dfs_frame){root, 0};
    while (n > 0) {
        dfs_frame *top = &stack[n - 1];
        decl *s = top->s;
        if (top->next == s->nfields) {
            s->state = BLACK;
            *VEC_PUSH(c->a, post->v, post->n, post->cap) = s;
            n--;
            continue;
        }
        type_ref *t = &s->fields[top->next++].type;
        if (t->kind != TY_STRUCT)
            continue;
        if (t->decl->state == GREY) {
            diag_error(c->d, IDL34, t->loc, "struct '%s' contains itself", t->decl->name);
            t->decl->ok = false;
            s->ok = false;
        } else if (t->decl->state == WHITE) {
            t->decl->state = GREY;
            *VEC_PUSH(c->a, stack, n, cap) = (dfs_frame){t->decl, 0};
        }
    }
}

static void print_words(char *buf, size_t n, uint64_t words)
{
    if (words >= LAYOUT_WORDS_MAX)
        snprintf(buf, n, "more than %llu", (unsigned long long)LAYOUT_WORDS_MAX);
    else
        snprintf(buf, n, "up to %llu", (unsigned long long)words);
}

/* A struct is only usable if everything it contains is, and if it fits in
 * a message: a larger one could never be sent, and its C type could be
 * larger than a compiler accepts. Structs come contained-first. */
static void check_struct_sound(checker *c, decl *s)
{
    bool ok = s->ok;
    for (size_t i = 0; i < s->nfields; i++) {
        const type_ref *t = &s->fields[i].type;
        if ((t->kind == TY_ENUM || t->kind == TY_STRUCT) && !t->decl->ok)
            ok = false;
    }
    s->ok = ok;
    if (!ok)
        return;
    layout_struct_facts(s);
    if (s->wire_max > LAYOUT_MESSAGE_WORDS) {
        char buf[48];
        print_words(buf, sizeof buf, s->wire_max);
        diag_error(c->d, IDL64, s->loc,
                   "struct '%s' needs %s words with every string, bytes and array at its "
                   "maximum, more than the %u a message holds",
                   s->name, buf, LAYOUT_MESSAGE_WORDS);
        s->ok = false;
    }
}

/* A union's variant ordinals: 1..2^32-1, each once (the tag word's low
 * half; 0 is never a variant). */
static void check_variant_ordinals(checker *c, decl *d)
{
    hmap seen;
    hmap_init(&seen, c->a);
    for (size_t i = 0; i < d->nfields; i++) {
        field *f = &d->fields[i];
        ival v;
        if (!check_resolve_value(c, &f->ordinal_expr, &v)) {
            d->ok = false;
            continue;
        }
        if (v.neg || v.mag < 1 || v.mag > UINT32_MAX) {
            diag_error(c->d, IDL67, f->ordinal_expr.loc, "%s ordinal must be in 1..4294967295",
                       d->is_union ? "union variant" : "table field");
            d->ok = false;
            continue;
        }
        f->ordinal = (uint32_t)v.mag;
        field *prev = hmap_put_u64(&seen, f->ordinal, f);
        if (prev != f) {
            diag_error(c->d, IDL67, f->ordinal_expr.loc, "ordinal %u already used by %s '%s'",
                       f->ordinal, d->is_union ? "variant" : "field", prev->name);
            d->ok = false;
        }
    }
}

static void check_struct(checker *c, decl *d)
{
    if (d->nfields == 0) {
        diag_error(c->d, IDL43, d->loc,
                   d->is_union ? "union '%s' has no variants" : d->is_table ? "table '%s' has no fields"
                                                                            : "struct '%s' has no fields",
                   d->name);
        d->ok = false;
    }
    if (d->is_union || d->is_table)
        check_variant_ordinals(c, d);
    hmap names;
    hmap_init(&names, c->a);
    for (size_t i = 0; i < d->nfields; i++) {
        field *f = &d->fields[i];
        if (!check_reserved_member(c, f->name, f->loc))
            d->ok = false;
        if (hmap_put_str(&names, f->name, f) != f) {
            diag_error(c->d, IDL33, f->loc, "%s '%s' declared twice",
                       d->is_union ? "variant" : "field", f->name);
            d->ok = false;
        }
        if (!check_resolve_type(c, &f->type, true))
            d->ok = false;
        if ((d->is_union || d->is_table) && f->type.optional) {
            diag_error(c->d, IDL68, f->type.loc,
                       d->is_union ? "a union variant cannot be optional (the union holds one "
                                     "variant)"
                                   : "a table field is optional already");
            d->ok = false;
        }
    }
}

bool check_program(arena *a, diag_ctx *d, program *prog)
{
    checker c = {.a = a, .d = d, .prog = prog};
    hmap_init(&c.names, a);
    hmap_init(&c.groups, a);
    unsigned before = d->errors;
    collect_decls(&c);
    declare_all(&c);
    /* Pass 2: constants, enums, then struct field types. */
    for (size_t i = 0; i < prog->ndecls; i++) {
        decl *dc = prog->decls[i];
        if (dc->kind == D_CONST)
            resolve_const(&c, dc);
        else if (dc->kind == D_ENUM)
            check_enum(&c, dc);
        else if (dc->kind == D_STRUCT)
            check_struct(&c, dc);
    }
    /* Pass 3: recursion, then soundness and size, contained structs first. */
    decl_list post = {0};
    for (size_t i = 0; i < prog->ndecls; i++) {
        decl *dc = prog->decls[i];
        if (dc->kind == D_STRUCT && dc->state == WHITE)
            struct_dfs(&c, dc, &post);
    }
    for (size_t i = 0; i < post.n; i++)
        check_struct_sound(&c, post.v[i]);
    if (!diag_saturated(d))
        check_interfaces(&c);
    if (!diag_saturated(d))
        check_versions(&c);
    /* From here on, a declaration of a library goes by its C name, the
     * library's prefix included (docs/idl.md, "Libraries"): that is what the
     * name checks and the emitters see. */
    for (size_t i = 0; i < prog->ndecls; i++) {
        decl *dc = prog->decls[i];
        if (dc->lib != NULL) {
            size_t nl = strlen(dc->lib), nn = strlen(dc->name);
            char *cn = arena_alloc(a, nl + nn + 2);
            memcpy(cn, dc->lib, nl);
            cn[nl] = '_';
            memcpy(cn + nl + 1, dc->name, nn + 1);
            dc->shown = check_key(&c, dc);
            dc->name = cn;
        }
    }
    for (size_t i = 0; i < prog->ngroups; i++) {
        if (prog->groups[i].n > 0)
            prog->groups[i].name = prog->groups[i].versions[0]->name;
    }
    if (!diag_saturated(d))
        check_names(&c);
    return d->errors == before;
}
