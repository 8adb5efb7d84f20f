/* SPDX-License-Identifier: MIT */
/* Recursive-descent parser (see parser.h). Each parse_* function states the
 * rule it implements; they return false after reporting a syntax error, and
 * the loops that call them resynchronise. */
#include "parser.h"

#include <string.h>

#include "lexer.h"

typedef struct parser {
    arena *a;
    diag_ctx *d;
    lexer lx;
    token cur, peek;
    ast_file *out;
} parser;

static void advance(parser *p)
{
    p->cur = p->peek;
    p->peek = lexer_next(&p->lx);
}

static bool at(const parser *p, tok_kind k)
{
    return p->cur.kind == k;
}

static char *tok_str(parser *p, const token *t)
{
    return arena_strndup(p->a, t->text, t->loc.len);
}

static void syntax_error(parser *p, const char *expected)
{
    if (p->cur.bad)
        return; /* the lexer has said what is wrong with this token */
    if (p->cur.kind == TOK_EOF) {
        diag_error(p->d, IDL10, p->cur.loc, "expected %s, found end of file", expected);
    } else {
        unsigned n = p->cur.loc.len > 40 ? 40 : p->cur.loc.len;
        diag_error(p->d, IDL10, p->cur.loc, "expected %s, found '%.*s'", expected, (int)n,
                   p->cur.text);
    }
}

static bool expect(parser *p, tok_kind k, const char *what)
{
    if (at(p, k)) {
        advance(p);
        return true;
    }
    syntax_error(p, what ? what : tok_kind_name(k));
    return false;
}

/* Skip to just after the next ';' at this nesting level, or to the '}' that
 * closes the enclosing body (not consumed). */
static void sync_member(parser *p)
{
    int depth = 0;
    while (!at(p, TOK_EOF)) {
        if (depth == 0 && at(p, TOK_RBRACE))
            return;
        if (depth == 0 && at(p, TOK_SEMI)) {
            advance(p);
            return;
        }
        if (at(p, TOK_LBRACE) || at(p, TOK_LPAREN))
            depth++;
        else if ((at(p, TOK_RBRACE) || at(p, TOK_RPAREN)) && depth > 0)
            depth--;
        advance(p);
    }
}

static bool starts_decl(const parser *p)
{
    return at(p, TOK_KW_IMPORT) || at(p, TOK_KW_CONST) || at(p, TOK_KW_ENUM) ||
           at(p, TOK_KW_STRUCT) || at(p, TOK_KW_UNION) || at(p, TOK_KW_TABLE) ||
           at(p, TOK_KW_INTERFACE);
}

/* Skip to the next declaration keyword outside any braces. */
static void sync_decl(parser *p)
{
    int depth = 0;
    while (!at(p, TOK_EOF)) {
        if (depth == 0 && starts_decl(p))
            return;
        if (at(p, TOK_LBRACE))
            depth++;
        else if (at(p, TOK_RBRACE) && depth > 0)
            depth--;
        advance(p);
    }
}

/* value = [ "-" ] integer | ident */
static char *join_dot(arena *a, const char *x, const char *y)
{
    size_t nx = strlen(x), ny = strlen(y);
    char *r = arena_alloc(a, nx + ny + 2);
    memcpy(r, x, nx);
    r[nx] = '.';
    memcpy(r + nx + 1, y, ny + 1);
    return r;
}

/* ident [ "." ident ]: a name, qualified by a library or not. The current
 * token is the first ident; *loc grows to cover the whole. */
static const char *qualified_name(parser *p, src_loc *loc)
{
    const char *name = tok_str(p, &p->cur);
    advance(p);
    if (at(p, TOK_DOT) && p->peek.kind == TOK_IDENT) {
        advance(p);
        name = join_dot(p->a, name, tok_str(p, &p->cur));
        if (p->cur.loc.line == loc->line)
            loc->len = p->cur.loc.col + p->cur.loc.len - loc->col;
        advance(p);
    }
    return name;
}

static bool parse_value(parser *p, value_expr *v)
{
    memset(v, 0, sizeof *v);
    v->loc = p->cur.loc;
    v->lib = p->out->library;
    if (at(p, TOK_IDENT)) {
        v->is_ref = true;
        v->name = qualified_name(p, &v->loc);
        return true;
    }
    if (at(p, TOK_MINUS)) {
        v->lit.neg = true;
        advance(p);
        if (!at(p, TOK_INT)) {
            syntax_error(p, "integer after '-'");
            return false;
        }
        v->loc.len = p->cur.loc.col + p->cur.loc.len - v->loc.col;
    }
    if (!at(p, TOK_INT)) {
        syntax_error(p, "integer or constant name");
        return false;
    }
    v->lit.mag = p->cur.value;
    if (v->lit.mag == 0)
        v->lit.neg = false;
    advance(p);
    return true;
}

static const struct {
    const char *name;
    type_kind kind;
    int_kind ik;
} builtin_types[] = {
    {"u8", TY_INT, IK_U8},    {"u16", TY_INT, IK_U16},   {"u32", TY_INT, IK_U32},
    {"u64", TY_INT, IK_U64},  {"i8", TY_INT, IK_I8},     {"i16", TY_INT, IK_I16},
    {"i32", TY_INT, IK_I32},  {"i64", TY_INT, IK_I64},   {"bool", TY_BOOL, IK_U8},
    {"string", TY_STRING, IK_U8}, {"bytes", TY_BYTES, IK_U8}, {"cap", TY_CAP, IK_U8},
    {"bulk", TY_BULK, IK_U8},     {"client", TY_CAP, IK_U8},
};

/* An identifier inside a type's <...>. */
static bool parse_type_word(parser *p, type_ref *t, const char *what)
{
    if (!at(p, TOK_IDENT)) {
        syntax_error(p, what);
        return false;
    }
    type_word *w = VEC_PUSH(p->a, t->words, t->nwords, t->words_cap);
    w->loc = p->cur.loc;
    w->name = qualified_name(p, &w->loc); /* client<lib.iface> */
    return true;
}

/* cap-args    = "<" ident { "," ident } ">"              (kind, then rights)
 * client-args = "<" ident [ "," value ".." [ value ] ] ">" (interface, versions) */
static bool parse_cap_args(parser *p, type_ref *t, uint32_t *end_col)
{
    advance(p); /* '<' */
    if (!parse_type_word(p, t, t->is_client ? "interface name" : "capability kind"))
        return false;
    while (at(p, TOK_COMMA)) {
        advance(p);
        if (!t->is_client) {
            if (!parse_type_word(p, t, "capability right"))
                return false;
            continue;
        }
        if (t->has_range) {
            syntax_error(p, "'>'");
            return false;
        }
        t->has_range = true;
        if (!parse_value(p, &t->lo) || !expect(p, TOK_DOTDOT, NULL))
            return false;
        if (!at(p, TOK_GT)) {
            t->has_hi = true;
            if (!parse_value(p, &t->hi))
                return false;
        }
    }
    *end_col = p->cur.loc.col + 1;
    return expect(p, TOK_GT, t->is_client ? "',' or '>'" : "',' and a right, or '>'");
}

/* type = ident [ "<" value ">" | cap-args | client-args ] [ "[" value "]" ] */
static bool parse_type(parser *p, type_ref *t)
{
    memset(t, 0, sizeof *t);
    t->loc = p->cur.loc;
    if (!at(p, TOK_IDENT)) {
        syntax_error(p, "type");
        return false;
    }
    t->kind = TY_NAMED;
    t->lib = p->out->library;
    t->name = tok_str(p, &p->cur);
    for (size_t i = 0; i < sizeof builtin_types / sizeof builtin_types[0]; i++) {
        if (strcmp(t->name, builtin_types[i].name) == 0) {
            t->kind = builtin_types[i].kind;
            t->ik = builtin_types[i].ik;
        }
    }
    t->is_client = t->kind == TY_CAP && strcmp(t->name, "client") == 0;
    if (t->kind == TY_NAMED) {
        t->name = qualified_name(p, &t->loc);
    } else {
        advance(p);
    }
    uint32_t end_col = t->loc.col + t->loc.len;
    if (t->kind == TY_CAP && (at(p, TOK_LT) || t->is_client)) {
        if (t->is_client && !at(p, TOK_LT)) {
            syntax_error(p, "'<' and an interface name");
            return false;
        }
        if (!parse_cap_args(p, t, &end_col))
            return false;
    }
    if (t->kind == TY_STRING || t->kind == TY_BYTES) {
        if (!expect(p, TOK_LT, "'<' and a maximum length"))
            return false;
        if (!parse_value(p, &t->bound))
            return false;
        t->has_bound = true;
        end_col = p->cur.loc.col + 1;
        if (!expect(p, TOK_GT, NULL))
            return false;
    }
    if (at(p, TOK_LBRACKET)) {
        advance(p);
        if (!parse_value(p, &t->array_len))
            return false;
        t->is_array = true;
        end_col = p->cur.loc.col + 1;
        if (!expect(p, TOK_RBRACKET, NULL))
            return false;
    }
    if (at(p, TOK_QUESTION)) {
        t->optional = true;
        end_col = p->cur.loc.col + 1;
        advance(p);
    }
    if (end_col > t->loc.col && p->cur.loc.line == t->loc.line)
        t->loc.len = end_col - t->loc.col;
    return true;
}

/* field = ident ":" type     (struct fields and parameters) */
/* A token's doc comment as text: each "///" line without the slashes and
 * one following space, joined by newlines; NULL if it has none. */
static const char *doc_text(parser *p, const token *t)
{
    if (t->doc == NULL)
        return NULL;
    strbuf sb;
    sb_init(&sb);
    const char *q = t->doc;
    while (q < t->doc_end) {
        while (q < t->doc_end && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r'))
            q++;
        if (q + 3 > t->doc_end)
            break;
        q += 3; /* "///" */
        if (q < t->doc_end && *q == ' ')
            q++;
        const char *e = q;
        while (e < t->doc_end && *e != '\n' && *e != '\r')
            e++;
        if (sb.len)
            sb_putc(&sb, '\n');
        sb_putn(&sb, q, (size_t)(e - q));
        q = e;
    }
    char *r = arena_strdup(p->a, sb.data ? sb.data : "");
    sb_free(&sb);
    return r;
}

static bool parse_field(parser *p, field *f)
{
    if (f->doc == NULL)
        f->doc = doc_text(p, &p->cur);
    f->loc = p->cur.loc;
    if (!at(p, TOK_IDENT)) {
        syntax_error(p, "name");
        return false;
    }
    f->name = tok_str(p, &p->cur);
    advance(p);
    if (!expect(p, TOK_COLON, NULL))
        return false;
    return parse_type(p, &f->type);
}

/* params = "(" [ field { "," field } ] ")" */
static bool parse_params(parser *p, field **v, size_t *n, size_t *cap)
{
    if (!expect(p, TOK_LPAREN, NULL))
        return false;
    if (at(p, TOK_RPAREN)) {
        advance(p);
        return true;
    }
    for (;;) {
        field *f = VEC_PUSH(p->a, *v, *n, *cap);
        if (!parse_field(p, f))
            return false;
        if (at(p, TOK_COMMA)) {
            advance(p);
            continue;
        }
        return expect(p, TOK_RPAREN, "',' or ')'");
    }
}

static decl *new_decl(parser *p, decl_kind k)
{
    decl *d = arena_alloc(p->a, sizeof *d);
    d->kind = k;
    d->file = p->out->file;
    d->lib = p->out->library;
    d->doc = doc_text(p, &p->cur);
    return d;
}

/* Common head: keyword ident. */
static bool parse_decl_name(parser *p, decl *d)
{
    advance(p); /* the keyword */
    d->loc = p->cur.loc;
    if (!at(p, TOK_IDENT)) {
        syntax_error(p, "name");
        return false;
    }
    d->name = tok_str(p, &p->cur);
    advance(p);
    return true;
}

/* const = "const" ident ":" type "=" value ";" */
static bool parse_const(parser *p, decl *d)
{
    if (!parse_decl_name(p, d) || !expect(p, TOK_COLON, NULL) || !parse_type(p, &d->itype) ||
        !expect(p, TOK_EQ, NULL) || !parse_value(p, &d->value))
        return false;
    return expect(p, TOK_SEMI, NULL);
}

/* enum = "enum" ident ":" type "{" { ident "=" value ";" } "}" */
static bool parse_enum(parser *p, decl *d)
{
    if (!parse_decl_name(p, d) || !expect(p, TOK_COLON, NULL) || !parse_type(p, &d->itype) ||
        !expect(p, TOK_LBRACE, NULL))
        return false;
    while (!at(p, TOK_RBRACE) && !at(p, TOK_EOF)) {
        enum_member *m = VEC_PUSH(p->a, d->members, d->nmembers, d->members_cap);
        m->doc = doc_text(p, &p->cur);
        m->loc = p->cur.loc;
        bool ok = at(p, TOK_IDENT);
        if (ok) {
            m->name = tok_str(p, &p->cur);
            advance(p);
            ok = expect(p, TOK_EQ, NULL) && parse_value(p, &m->value) &&
                 expect(p, TOK_SEMI, NULL);
        } else {
            syntax_error(p, "enumerator name or '}'");
        }
        if (!ok) {
            d->nmembers--;
            sync_member(p);
        }
    }
    return expect(p, TOK_RBRACE, NULL);
}

/* struct = "struct" ident "{" { field ";" } "}" */
/* struct = "struct" ident "{" { ident ":" type ";" } "}"
 * union  = "union" ident "{" { value ":" ident ":" type ";" } "}"
 * table  = "table" ident "{" { value ":" ident ":" type ";" } "}" */
static bool parse_struct(parser *p, decl *d)
{
    if (!parse_decl_name(p, d) || !expect(p, TOK_LBRACE, NULL))
        return false;
    while (!at(p, TOK_RBRACE) && !at(p, TOK_EOF)) {
        field *f = VEC_PUSH(p->a, d->fields, d->nfields, d->fields_cap);
        f->doc = doc_text(p, &p->cur);
        bool ok = !(d->is_union || d->is_table) ||
                  (parse_value(p, &f->ordinal_expr) && expect(p, TOK_COLON, NULL));
        if (!ok || !parse_field(p, f) || !expect(p, TOK_SEMI, NULL)) {
            d->nfields--;
            sync_member(p);
        }
    }
    return expect(p, TOK_RBRACE, NULL);
}

/* attribute = ( "guid" "=" string | "version" "=" value | "error" "=" ident ) ";" */
static bool parse_attribute(parser *p, decl *d)
{
    token name = p->cur;
    char *s = tok_str(p, &name);
    advance(p);
    advance(p); /* '=' (checked by the caller's lookahead) */
    bool *seen = NULL;
    if (strcmp(s, "guid") == 0)
        seen = &d->has_guid;
    else if (strcmp(s, "version") == 0)
        seen = &d->has_version;
    else if (strcmp(s, "error") == 0)
        seen = &d->has_error;
    if (seen == NULL) {
        diag_error(p->d, IDL58, name.loc,
                   "unknown interface attribute '%s' (expected guid, version or error)", s);
        return false; /* resync skips the value */
    }
    if (*seen)
        diag_error(p->d, IDL55, name.loc, "attribute '%s' given twice", s);
    *seen = true;
    if (seen == &d->has_guid) {
        d->guid_loc = p->cur.loc;
        if (!at(p, TOK_STRING)) {
            syntax_error(p, "GUID string");
            return false;
        }
        d->guid_text = arena_strndup(p->a, p->cur.text + 1,
                                     p->cur.loc.len >= 2 ? p->cur.loc.len - 2 : 0);
        advance(p);
    } else if (seen == &d->has_version) {
        if (!parse_value(p, &d->version_expr))
            return false;
    } else {
        d->error_loc = p->cur.loc;
        if (!at(p, TOK_IDENT)) {
            syntax_error(p, "enum name");
            return false;
        }
        d->error_name = qualified_name(p, &d->error_loc);
    }
    return expect(p, TOK_SEMI, NULL);
}

/* method = value ":" [ "oneway" ] [ "deferred" | "event" ] ident params
 *          [ "->" params ] ";"
 * "deferred" and "event" are keywords only there, before the member's name:
 * a method may still be called deferred or event. */
static bool parse_method(parser *p, decl *d)
{
    method *m = VEC_PUSH(p->a, d->methods, d->nmethods, d->methods_cap);
    m->doc = doc_text(p, &p->cur);
    bool ok = parse_value(p, &m->ordinal_expr) && expect(p, TOK_COLON, NULL);
    if (ok && at(p, TOK_KW_ONEWAY)) {
        m->oneway = true;
        advance(p);
    }
    if (ok && at(p, TOK_IDENT) && p->peek.kind == TOK_IDENT &&
        strcmp(tok_str(p, &p->cur), "deferred") == 0) {
        m->deferred = true;
        m->deferred_loc = p->cur.loc;
        advance(p);
    } else if (ok && at(p, TOK_IDENT) && p->peek.kind == TOK_IDENT &&
               strcmp(tok_str(p, &p->cur), "event") == 0) {
        m->event = true;
        m->event_loc = p->cur.loc;
        advance(p);
    }
    if (ok) {
        m->loc = p->cur.loc;
        if (at(p, TOK_IDENT)) {
            m->name = tok_str(p, &p->cur);
            advance(p);
        } else {
            syntax_error(p, "method name");
            ok = false;
        }
    }
    ok = ok && parse_params(p, &m->in, &m->nin, &m->in_cap);
    if (ok && at(p, TOK_ARROW)) {
        advance(p);
        m->has_reply = true;
        ok = parse_params(p, &m->out, &m->nout, &m->out_cap);
    }
    ok = ok && expect(p, TOK_SEMI, m->has_reply ? "';'" : "'->' or ';'");
    if (!ok)
        d->nmethods--;
    return ok;
}

/* interface = "interface" ident "{" { attribute | method } "}" */
static bool parse_interface(parser *p, decl *d)
{
    if (!parse_decl_name(p, d) || !expect(p, TOK_LBRACE, NULL))
        return false;
    while (!at(p, TOK_RBRACE) && !at(p, TOK_EOF)) {
        bool ok;
        if (at(p, TOK_IDENT) && p->peek.kind == TOK_EQ)
            ok = parse_attribute(p, d);
        else
            ok = parse_method(p, d);
        if (!ok)
            sync_member(p);
    }
    return expect(p, TOK_RBRACE, NULL);
}

/* import = "import" string ";" */
static bool parse_import(parser *p)
{
    advance(p);
    if (!at(p, TOK_STRING)) {
        syntax_error(p, "file name in quotes");
        return false;
    }
    token path = p->cur;
    advance(p);
    /* Recorded only when complete, so a broken line does not also send the
     * loader looking for a half-read file name. */
    if (!expect(p, TOK_SEMI, NULL) || path.bad)
        return false;
    import_decl *im = VEC_PUSH(p->a, p->out->imports, p->out->nimports, p->out->imports_cap);
    im->loc = path.loc;
    im->path = arena_strndup(p->a, path.text + 1, path.loc.len >= 2 ? path.loc.len - 2 : 0);
    return true;
}

/* file = { import | const | enum | struct | interface } EOF */
bool parse_file(arena *a, diag_ctx *d, uint32_t file, ast_file *out)
{
    parser p = {.a = a, .d = d, .out = out};
    unsigned errors_before = d->errors;
    out->file = file;
    out->stem = path_stem(a, d->files[file].path);
    lexer_init(&p.lx, d, file);
    p.cur = lexer_next(&p.lx);
    p.peek = lexer_next(&p.lx);
    while (!at(&p, TOK_EOF) && !diag_saturated(d)) {
        bool ok;
        if (at(&p, TOK_IDENT) && p.peek.kind == TOK_IDENT &&
            strcmp(tok_str(&p, &p.cur), "library") == 0) {
            /* library NAME; first in the file, once (docs/idl.md, "Libraries") */
            src_loc at_loc = p.cur.loc;
            advance(&p);
            const char *name = tok_str(&p, &p.cur);
            if (out->library != NULL || out->ndecls != 0 || out->nimports != 0) {
                diag_error(d, IDL24, at_loc, "'library %s;' must come first in the file, once",
                           name);
                ok = false;
            } else {
                out->library = name;
                ok = true;
            }
            advance(&p);
            ok = expect(&p, TOK_SEMI, NULL) && ok;
        } else if (at(&p, TOK_KW_IMPORT)) {
            ok = parse_import(&p);
        } else if (at(&p, TOK_KW_CONST) || at(&p, TOK_KW_ENUM) || at(&p, TOK_KW_STRUCT) ||
                   at(&p, TOK_KW_UNION) || at(&p, TOK_KW_TABLE) || at(&p, TOK_KW_INTERFACE)) {
            bool is_union = at(&p, TOK_KW_UNION), is_table = at(&p, TOK_KW_TABLE);
            decl_kind k = at(&p, TOK_KW_CONST)                  ? D_CONST
                          : at(&p, TOK_KW_ENUM)                 ? D_ENUM
                          : at(&p, TOK_KW_STRUCT) || is_union || is_table ? D_STRUCT
                                                                          : D_INTERFACE;
            decl *dc = new_decl(&p, k);
            dc->is_union = is_union;
            dc->is_table = is_table;
            ok = k == D_CONST    ? parse_const(&p, dc)
                 : k == D_ENUM   ? parse_enum(&p, dc)
                 : k == D_STRUCT ? parse_struct(&p, dc)
                                 : parse_interface(&p, dc);
            /* Keep declarations that parsed, so later files can still name
             * them; the checker never runs when parsing failed anyway. */
            if (ok)
                *VEC_PUSH(a, out->decls, out->ndecls, out->decls_cap) = dc;
        } else {
            syntax_error(&p,
                         "'import', 'const', 'enum', 'struct', 'union', 'table' or 'interface'");
            advance(&p);
            ok = false;
        }
        if (!ok)
            sync_decl(&p);
    }
    return d->errors == errors_before;
}
