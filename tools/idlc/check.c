/* SPDX-License-Identifier: MIT */
/* Checker passes 1-3: declarations, constants, enums, types and structs
 * (see check.h). Interfaces and versions are in check_iface.c. */
#include "check.h"

#include <stdio.h>
#include <string.h>

#include "layout.h"

/* ---- symbol table ---------------------------------------------------------- */

static size_t hash_str(const char *s)
{
    size_t h = 1469598103934665603ull & (size_t)-1;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

decl *check_lookup(checker *c, const char *name)
{
    size_t mask = c->table_size - 1;
    for (size_t i = hash_str(name) & mask;; i = (i + 1) & mask) {
        if (c->table[i].name == NULL)
            return NULL;
        if (strcmp(c->table[i].name, name) == 0)
            return c->table[i].d;
    }
}

static void insert(checker *c, decl *d)
{
    size_t mask = c->table_size - 1;
    size_t i = hash_str(d->name) & mask;
    while (c->table[i].name != NULL)
        i = (i + 1) & mask;
    c->table[i].name = d->name;
    c->table[i].d = d;
}

/* ---- reserved names -------------------------------------------------------- */

static const char *const c_keywords[] = {
    "auto",     "break",    "case",     "char",   "const",    "continue", "default",
    "do",       "double",   "else",     "enum",   "extern",   "float",    "for",
    "goto",     "if",       "inline",   "int",    "long",     "register", "restrict",
    "return",   "short",    "signed",   "sizeof", "static",   "struct",   "switch",
    "typedef",  "union",    "unsigned", "void",   "volatile", "while",    "bool",
    "true",     "false",    "NULL",     "asm",    "typeof",
};

/* Names a declaration may not take: builtin type names, and stems whose
 * generated "<name>_t" would collide with a standard typedef. */
static const char *const reserved_decl_names[] = {
    "u8",     "u16",     "u32",    "u64",     "i8",     "i16",     "i32",      "i64",
    "string", "bytes",   "cap",    "bulk",    "int8",   "int16",   "int32",    "int64",
    "uint8",  "uint16",  "uint32", "uint64",  "size",   "ssize",   "ptrdiff",  "intptr",
    "uintptr", "intmax", "uintmax", "wchar",  "max_align",
};

static bool in_list(const char *name, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(name, list[i]) == 0)
            return true;
    }
    return false;
}

static bool idl_prefixed(const char *name)
{
    return strncmp(name, "idl_", 4) == 0 || strncmp(name, "IDL_", 4) == 0 ||
           strncmp(name, "idlg_", 5) == 0;
}

/* Members, enumerators and parameters: C keywords and the idl_ prefix that
 * generated locals use are off limits. */
bool check_reserved_member(checker *c, const char *name, src_loc loc)
{
    if (in_list(name, c_keywords, sizeof c_keywords / sizeof c_keywords[0]) ||
        idl_prefixed(name)) {
        diag_error(c->d, IDL35, loc, "'%s' is reserved (C keyword or idl_ prefix)", name);
        return false;
    }
    return true;
}

static bool check_reserved_decl(checker *c, const decl *d)
{
    if (in_list(d->name, reserved_decl_names,
                sizeof reserved_decl_names / sizeof reserved_decl_names[0])) {
        diag_error(c->d, IDL35, d->loc, "'%s' is reserved for a built-in or C type name",
                   d->name);
        return false;
    }
    return check_reserved_member(c, d->name, d->loc);
}

static const char *kind_name(decl_kind k)
{
    switch (k) {
    case D_CONST:
        return "constant";
    case D_ENUM:
        return "enum";
    case D_STRUCT:
        return "struct";
    case D_INTERFACE:
        return "interface";
    }
    return "?";
}

/* Pass 1: one declaration per name, except that an interface name may be
 * declared once per version (pass 5 checks those). */
static void declare_all(checker *c)
{
    size_t n = 0;
    for (size_t f = 0; f < c->prog->nfiles; f++)
        n += c->prog->files[f].ndecls;
    c->table_size = 16;
    while (c->table_size < 2 * n + 2)
        c->table_size *= 2;
    c->table = arena_alloc(c->a, c->table_size * sizeof(sym));
    for (size_t f = 0; f < c->prog->nfiles; f++) {
        ast_file *af = &c->prog->files[f];
        for (size_t i = 0; i < af->ndecls; i++) {
            decl *d = af->decls[i];
            d->ok = check_reserved_decl(c, d);
            decl *prev = check_lookup(c, d->name);
            if (prev == NULL) {
                insert(c, d);
            } else if (!(prev->kind == D_INTERFACE && d->kind == D_INTERFACE)) {
                diag_error(c->d, IDL30, d->loc, "'%s' is already declared as a %s", d->name,
                           kind_name(prev->kind));
                diag_note(c->d, prev->loc, "previous declaration of '%s' is here", d->name);
                d->ok = false;
            }
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
    decl *d = check_lookup(c, v->name);
    if (d == NULL) {
        diag_error(c->d, IDL31, v->loc, "unknown constant '%s'", v->name);
        return false;
    }
    if (d->kind != D_CONST) {
        diag_error(c->d, IDL32, v->loc, "'%s' is a %s, not a constant", v->name,
                   kind_name(d->kind));
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

/* Constants resolve on demand (a constant may name one declared later);
 * state 0 = not started, 1 = in progress (a cycle if seen again), 2 = done. */
static void resolve_const(checker *c, decl *d)
{
    if (d->state != 0)
        return;
    d->state = 1;
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
    d->state = 2;
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
    for (size_t i = 0; i < d->nmembers; i++) {
        enum_member *m = &d->members[i];
        if (!check_reserved_member(c, m->name, m->loc))
            d->ok = false;
        for (size_t j = 0; j < i; j++) {
            if (strcmp(d->members[j].name, m->name) == 0) {
                diag_error(c->d, IDL33, m->loc, "enumerator '%s' declared twice", m->name);
                d->ok = false;
                break;
            }
        }
        if (!check_resolve_value(c, &m->value, &m->v)) {
            d->ok = false;
            m->v.neg = false, m->v.mag = UINT64_MAX; /* never equal to a real one */
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
        for (size_t j = 0; j < i; j++) {
            if (d->members[j].v.neg == m->v.neg && d->members[j].v.mag == m->v.mag) {
                diag_error(c->d, IDL41, m->value.loc,
                           "enumerator '%s' has the same value as '%s'", m->name,
                           d->members[j].name);
                d->ok = false;
                break;
            }
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
        decl *d = check_lookup(c, t->name);
        if (d == NULL) {
            diag_error(c->d, IDL31, t->loc, "unknown type '%s'", t->name);
            return false;
        }
        if (d->kind != D_ENUM && d->kind != D_STRUCT) {
            diag_error(c->d, IDL32, t->loc, "'%s' is a %s, not a type", t->name,
                       kind_name(d->kind));
            return false;
        }
        t->kind = d->kind == D_ENUM ? TY_ENUM : TY_STRUCT;
        t->decl = d;
    }
    if (t->has_bound && !resolve_bound(c, &t->bound, &t->bound_v, "maximum length"))
        ok = false;
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
 * Depth-first search with colours: GREY while on the stack, BLACK when done;
 * reaching a GREY struct closes a cycle. */
enum { WHITE = 0, GREY = 10, BLACK = 11, SOUND_DONE = 12 };

static void struct_dfs(checker *c, decl *s)
{
    s->state = GREY;
    for (size_t i = 0; i < s->nfields; i++) {
        type_ref *t = &s->fields[i].type;
        if (t->kind != TY_STRUCT)
            continue;
        if (t->decl->state == GREY) {
            diag_error(c->d, IDL34, t->loc, "struct '%s' contains itself", t->decl->name);
            t->decl->ok = false;
            s->ok = false;
        } else if (t->decl->state == WHITE) {
            struct_dfs(c, t->decl);
        }
    }
    s->state = BLACK;
}

/* A struct is only usable if everything it contains is. */
static bool struct_sound(decl *d)
{
    if (d->state == SOUND_DONE || d->state == GREY)
        return d->ok && d->state == SOUND_DONE;
    d->state = GREY;
    bool ok = d->ok;
    for (size_t i = 0; i < d->nfields; i++) {
        type_ref *t = &d->fields[i].type;
        if (t->kind == TY_ENUM && !t->decl->ok)
            ok = false;
        if (t->kind == TY_STRUCT && !struct_sound(t->decl))
            ok = false;
    }
    d->ok = ok;
    d->state = SOUND_DONE;
    return ok;
}

static void check_struct(checker *c, decl *d)
{
    if (d->nfields == 0) {
        diag_error(c->d, IDL43, d->loc, "struct '%s' has no fields", d->name);
        d->ok = false;
    }
    for (size_t i = 0; i < d->nfields; i++) {
        field *f = &d->fields[i];
        if (!check_reserved_member(c, f->name, f->loc))
            d->ok = false;
        for (size_t j = 0; j < i; j++) {
            if (strcmp(d->fields[j].name, f->name) == 0) {
                diag_error(c->d, IDL33, f->loc, "field '%s' declared twice", f->name);
                d->ok = false;
                break;
            }
        }
        if (!check_resolve_type(c, &f->type, true))
            d->ok = false;
    }
}

bool check_program(arena *a, diag_ctx *d, program *prog)
{
    checker c = {.a = a, .d = d, .prog = prog};
    unsigned before = d->errors;
    declare_all(&c);
    /* Pass 2: constants, enums, then struct field types. */
    for (size_t f = 0; f < prog->nfiles; f++) {
        for (size_t i = 0; i < prog->files[f].ndecls; i++) {
            decl *dc = prog->files[f].decls[i];
            if (dc->kind == D_CONST)
                resolve_const(&c, dc);
        }
    }
    for (size_t f = 0; f < prog->nfiles; f++) {
        for (size_t i = 0; i < prog->files[f].ndecls; i++) {
            decl *dc = prog->files[f].decls[i];
            if (dc->kind == D_ENUM)
                check_enum(&c, dc);
            else if (dc->kind == D_STRUCT)
                check_struct(&c, dc);
        }
    }
    /* Pass 3: recursion, then soundness. */
    for (size_t f = 0; f < prog->nfiles; f++) {
        for (size_t i = 0; i < prog->files[f].ndecls; i++) {
            decl *dc = prog->files[f].decls[i];
            if (dc->kind == D_STRUCT && dc->state == WHITE)
                struct_dfs(&c, dc);
        }
    }
    for (size_t f = 0; f < prog->nfiles; f++) {
        for (size_t i = 0; i < prog->files[f].ndecls; i++) {
            decl *dc = prog->files[f].decls[i];
            if (dc->kind == D_STRUCT)
                struct_sound(dc);
        }
    }
    if (!diag_saturated(d))
        check_interfaces(&c);
    if (!diag_saturated(d))
        check_versions(&c);
    return d->errors == before;
}
