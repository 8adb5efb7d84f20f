/* SPDX-License-Identifier: MIT */
/* Emits FILE.md for `idlc --doc`: a Markdown reference of the file's
 * declarations from their "///" comments. Per interface: its GUID and
 * versions, its error enum, and per version each method (one-way,
 * deferred), event and its parameters in IDL syntax, with the words and
 * capabilities its request and reply may take against the message
 * limits; then the file's types. Deterministic, like the C outputs. */
#include "emit.h"

#include <string.h>

/* A declaration's IDL name: "lib.name" in a library. */
static const char *nm(const decl *d)
{
    return d->shown ? d->shown : d->name;
}

/* A type as written in IDL (emit.h). */
char *idl_type(arena *a, const type_ref *t)
{
    char *base;
    switch (t->kind) {
    case TY_INT:
        base = arena_strdup(a, int_kind_idl(t->ik));
        break;
    case TY_BOOL:
        base = arena_strdup(a, "bool");
        break;
    case TY_STRING:
        base = fmt(a, "string<%u>", t->bound_v);
        break;
    case TY_BYTES:
        base = fmt(a, "bytes<%u>", t->bound_v);
        break;
    case TY_CAP:
        base = cap_type_idl(a, t);
        break;
    case TY_BULK:
        base = arena_strdup(a, "bulk");
        break;
    default:
        base = arena_strdup(a, t->decl ? nm(t->decl) : t->name);
        break;
    }
    if (t->is_array)
        base = fmt(a, "%s[%u]", base, t->array_n);
    return t->optional ? fmt(a, "%s?", base) : base;
}

/* A doc comment as a paragraph (its lines kept), or nothing. */
static void doc_para(strbuf *out, const char *doc)
{
    if (doc && *doc)
        sb_printf(out, "%s\n\n", doc);
}

/* The doc comment's first line, for table cells ("-" if none). */
static char *doc_line(arena *a, const char *doc)
{
    if (doc == NULL || *doc == '\0')
        return arena_strdup(a, "-");
    const char *nl = strchr(doc, '\n');
    char *s = nl ? arena_strndup(a, doc, (size_t)(nl - doc)) : arena_strdup(a, doc);
    for (char *q = s; *q; q++) {
        if (*q == '|')
            *q = '/'; /* keep the table's columns */
    }
    return s;
}

static void params(arena *a, strbuf *out, const field *f, size_t n)
{
    sb_puts(out, "(");
    for (size_t i = 0; i < n; i++)
        sb_printf(out, "%s%s: %s", i ? ", " : "", f[i].name, idl_type(a, &f[i].type));
    sb_puts(out, ")");
}

static void param_table(arena *a, strbuf *out, const char *what, const field *f, size_t n)
{
    bool any = false;
    for (size_t i = 0; i < n && !any; i++)
        any = f[i].doc != NULL;
    if (!any)
        return;
    sb_printf(out, "| %s | type | |\n|---|---|---|\n", what);
    for (size_t i = 0; i < n; i++)
        sb_printf(out, "| `%s` | `%s` | %s |\n", f[i].name, idl_type(a, &f[i].type),
                  doc_line(a, f[i].doc));
    sb_puts(out, "\n");
}

/* Words a list takes at most (GUID or event header included), and caps. */
static void limits(arena *a, strbuf *out, const method *m)
{
    for (int reply = 0; reply < (m->event || m->oneway ? 1 : 2); reply++) {
        wire_item *items;
        size_t n;
        list_layout l;
        method_items(a, m, reply, &items, &n);
        layout_list(a, items, n, &l);
        uint64_t head = reply ? 0 : m->event ? LAYOUT_EVENT_HEADER_WORDS : 2;
        unsigned caps = 0;
        const field *f = reply ? m->out : m->in;
        size_t nf = reply ? m->nout : m->nin;
        for (size_t i = 0; i < nf; i++)
            caps += f[i].type.kind == TY_CAP;
        sb_printf(out, "%s%s: up to %llu of %u words, %u capabilit%s", reply ? "; " : "",
                  m->event ? "event" : reply ? "reply" : "request",
                  (unsigned long long)(l.max_words + head),
                  m->event ? LAYOUT_EVENT_WORDS : LAYOUT_MESSAGE_WORDS, caps,
                  caps == 1 ? "y" : "ies");
    }
    sb_puts(out, ".\n\n");
}

static void emit_member(arena *a, strbuf *out, const method *m)
{
    const char *kind = m->event ? "event " : m->oneway ? "oneway " : m->deferred ? "deferred " : "";
    sb_printf(out, "#### %s%s\n\n", kind, m->name);
    sb_printf(out, "```\n%u: %s%s", m->ordinal, kind, m->name);
    params(a, out, m->in, m->nin);
    if (m->has_reply) {
        sb_puts(out, " -> ");
        params(a, out, m->out, m->nout);
    }
    sb_puts(out, ";\n```\n\n");
    doc_para(out, m->doc);
    param_table(a, out, "parameter", m->in, m->nin);
    param_table(a, out, "result", m->out, m->nout);
    limits(a, out, m);
}

static void emit_iface(arena *a, strbuf *out, const iface_group *g)
{
    const decl *last = g->versions[g->n - 1];
    sb_printf(out, "## interface %s\n\n", nm(last));
    doc_para(out, last->doc);
    sb_printf(out, "GUID `%s`; version%s", last->guid_text, g->n > 1 ? "s" : "");
    for (size_t v = 0; v < g->n; v++)
        sb_printf(out, "%s %u", v ? "," : "", g->versions[v]->version);
    sb_puts(out, ".\n\n");
    if (last->error_enum) {
        const decl *e = last->error_enum;
        sb_printf(out, "Errors (`%s`), besides the protocol errors of docs/wire-format.md:\n\n",
                  nm(e));
        sb_puts(out, "| value | name | |\n|---|---|---|\n");
        for (size_t i = 0; i < e->nmembers; i++)
            sb_printf(out, "| %llu | `%s` | %s |\n", (unsigned long long)e->members[i].v.mag,
                      e->members[i].name, doc_line(a, e->members[i].doc));
        sb_puts(out, "\n");
    }
    for (size_t v = g->n; v-- > 0;) {
        const decl *d = g->versions[v];
        sb_printf(out, "### Version %u\n\n", d->version);
        if (d != last)
            doc_para(out, d->doc);
        for (size_t m = 0; m < d->nmethods; m++)
            emit_member(a, out, &d->methods[m]);
    }
}

static void emit_type(arena *a, strbuf *out, const decl *d)
{
    const char *kind = d->kind == D_ENUM ? "enum" : d->kind == D_CONST ? "const"
                       : d->is_union                                  ? "union"
                       : d->is_table                                  ? "table"
                                                                      : "struct";
    sb_printf(out, "### %s %s\n\n", kind, nm(d));
    doc_para(out, d->doc);
    if (d->kind == D_CONST) {
        sb_printf(out, "`%s = %s%llu`\n\n", int_kind_idl(d->itype.ik), d->cval.neg ? "-" : "",
                  (unsigned long long)d->cval.mag);
        return;
    }
    if (d->kind == D_ENUM) {
        sb_printf(out, "| value | name | |\n|---|---|---|\n");
        for (size_t i = 0; i < d->nmembers; i++)
            sb_printf(out, "| %s%llu | `%s` | %s |\n", d->members[i].v.neg ? "-" : "",
                      (unsigned long long)d->members[i].v.mag, d->members[i].name,
                      doc_line(a, d->members[i].doc));
        sb_puts(out, "\n");
        return;
    }
    bool ordinals = d->is_union || d->is_table;
    sb_printf(out, "| %s%s | type | |\n|---|---|---|%s\n", ordinals ? "ordinal | " : "",
              d->is_union ? "variant" : "field", ordinals ? "---|" : "");
    for (size_t i = 0; i < d->nfields; i++) {
        const field *f = &d->fields[i];
        if (ordinals)
            sb_printf(out, "| %u ", f->ordinal);
        sb_printf(out, "| `%s` | `%s` | %s |\n", f->name, idl_type(a, &f->type),
                  doc_line(a, f->doc));
    }
    sb_printf(out, "\nUp to %llu words.\n\n", (unsigned long long)d->wire_max);
}

void emit_doc(arena *a, const program *prog, strbuf *out)
{
    const ast_file *f = &prog->files[0];
    sb_printf(out, "<!-- Generated by idlc %s --doc from %s.idl. DO NOT EDIT. -->\n",
              IDLC_VERSION_STRING, f->stem);
    sb_printf(out, "# %s.idl\n\n", f->stem);
    for (size_t i = 0; i < prog->ngroups; i++) {
        if (prog->groups[i].file == f->file && prog->groups[i].n > 0)
            emit_iface(a, out, &prog->groups[i]);
    }
    bool types = false;
    for (size_t i = 0; i < f->ndecls; i++)
        types |= f->decls[i]->kind != D_INTERFACE;
    if (!types)
        return;
    sb_puts(out, "## Types\n\n");
    for (size_t i = 0; i < f->ndecls; i++) {
        if (f->decls[i]->kind != D_INTERFACE)
            emit_type(a, out, f->decls[i]);
    }
}
