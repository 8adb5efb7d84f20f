/* SPDX-License-Identifier: MIT */
/* Emits FILE.h: constants, enums (with a _valid() range check), structs,
 * and per interface its GUID, client stub prototypes, the ops table of each
 * version and the server structure with its dispatcher. */
#include "emit.h"

#include <stdio.h>
#include <string.h>

static void emit_const(arena *a, printer *p, const decl *d)
{
    pr_doc(p, d->doc);
    pr(p, "#define %s ((%s)%s)", cname_const(a, d->name), int_kind_ctype(d->itype.ik),
       c_literal(a, d->cval, d->itype.ik));
}

static void emit_enum(arena *a, printer *p, const decl *d)
{
    char *type = cname_type(a, d->name);
    pr_doc(p, d->doc);
    pr(p, "/* enum %s : %s */", d->name, int_kind_idl(d->itype.ik));
    pr(p, "typedef %s %s;", int_kind_ctype(d->itype.ik), type);
    for (size_t i = 0; i < d->nmembers; i++) {
        pr_doc(p, d->members[i].doc);
        pr(p, "#define %s ((%s)%s)", cname_enumerator(a, d->name, d->members[i].name), type,
           c_literal(a, d->members[i].v, d->itype.ik));
    }
    pr(p, "/* True if v is one of the enumerators: decoders reject anything else. */");
    pr(p, "static inline bool %s(%s v)", cname_valid(a, d->name), type);
    pr(p, "{");
    pr(p, "    switch (v) {");
    for (size_t i = 0; i < d->nmembers; i++)
        pr(p, "    case %s:", c_literal(a, d->members[i].v, d->itype.ik));
    pr(p, "        return true;");
    pr(p, "    default:");
    pr(p, "        return false;");
    pr(p, "    }");
    pr(p, "}");
    pr(p, "%s", "");
}

static void emit_field(arena *a, printer *p, const field *f, bool table)
{
    const type_ref *t = &f->type;
    pr_doc(p, f->doc);
    if (t->optional || table)
        pr(p, "bool has_%s; /* %s is present */", f->name, f->name);
    if (t->kind == TY_STRING)
        pr(p, "char %s[%u]; /* string<%u>, NUL-terminated */", f->name, t->bound_v + 1,
           t->bound_v);
    else if (t->kind == TY_BYTES)
        pr(p, "struct { uint32_t len; uint8_t data[%u]; } %s; /* bytes<%u> */", t->bound_v,
           f->name, t->bound_v);
    else if (t->is_array)
        pr(p, "%s %s[%u];", c_type(a, t), f->name, t->array_n);
    else
        pr(p, "%s %s;", c_type(a, t), f->name);
}

/* A union: its tag says which member of u holds the value. */
static void emit_union(arena *a, printer *p, const decl *d)
{
    pr(p, "/* union %s: `tag` names the variant in `u`. A decoded tag that is none of", d->name);
    pr(p, " * these is a variant of a later definition, its payload skipped (and such a");
    pr(p, " * value cannot be sent on: IDL_E_ENCODE). */");
    for (size_t i = 0; i < d->nfields; i++)
        pr(p, "#define %s %uu", cname_enumerator(a, d->name, d->fields[i].name),
           d->fields[i].ordinal);
    pr(p, "typedef struct %s {", d->name);
    p->indent++;
    pr(p, "uint32_t tag;");
    pr(p, "union {");
    p->indent++;
    for (size_t i = 0; i < d->nfields; i++)
        emit_field(a, p, &d->fields[i], d->is_table);
    p->indent--;
    pr(p, "} u;");
    p->indent--;
    pr(p, "} %s;", cname_type(a, d->name));
    pr(p, "%s", "");
}

static void emit_struct(arena *a, printer *p, const decl *d)
{
    pr_doc(p, d->doc);
    if (d->is_union) {
        emit_union(a, p, d);
        return;
    }
    if (d->is_table) {
        pr(p, "/* table %s: every field may be absent (has_NAME false). Decoding skips", d->name);
        pr(p, " * fields of a later definition; absent ones read as zero. */");
    }
    pr(p, "typedef struct %s {", d->name);
    p->indent++;
    for (size_t i = 0; i < d->nfields; i++)
        emit_field(a, p, &d->fields[i], d->is_table);
    p->indent--;
    pr(p, "} %s;", cname_type(a, d->name));
    pr(p, "%s", "");
}

/* Structs of this file, fields' types first. */
static void order_structs(arena *a, const program *prog, const ast_file *f, struct_set *out)
{
    struct_set all;
    struct_set_init(a, &all, prog);
    for (size_t i = 0; i < f->ndecls; i++) {
        if (f->decls[i]->kind == D_STRUCT) {
            type_ref t = {.kind = TY_STRUCT, .decl = f->decls[i]};
            struct_set_add_type(a, &all, &t);
        }
    }
    for (size_t i = 0; i < all.n; i++) {
        if (all.v[i]->file == f->file)
            *VEC_PUSH(a, out->v, out->n, out->cap) = all.v[i];
    }
}

/* Before a prototype: what each typed capability parameter must be, which
 * the generated code checks on receipt (docs/idl.md, "Capabilities"). A
 * client<...> names its interface's GUID here (and its versions, if it
 * narrows them), since nothing on the wire does. Nothing for a method with only plain caps. */
static void emit_cap_doc(arena *a, printer *p, const method *m, bool ins, bool outs)
{
    bool any = false;
    for (int out = !ins; out < 1 + outs; out++) {
        const field *f = out ? m->out : m->in;
        size_t n = out ? m->nout : m->nin;
        for (size_t i = 0; i < n; i++) {
            const type_ref *t = &f[i].type;
            if (t->kind != TY_CAP || t->nwords == 0)
                continue;
            if (!any)
                pr(p, "/* Capabilities, checked on receipt:");
            any = true;
            if (t->is_client)
                pr(p, " *   %s: %s, an endpoint of a %s server (%s/_LO)", f[i].name,
                   cap_type_idl(a, t), t->decl->name, cname_guid(a, t->decl->name, "HI"));
            else
                pr(p, " *   %s: %s", f[i].name, cap_type_idl(a, t));
        }
    }
    if (any)
        pr(p, " */");
}

/* A version's events: the server's emit functions, the client's handler
 * table and the dispatcher that decodes an event message into a call. */
static void emit_events_decl(arena *a, printer *p, const iface_group *g, const decl *d)
{
    if (!decl_has_events(d))
        return;
    pr(p, "/* Version %u: events (docs/idl.md, \"Events\"). The server emits each to a", d->version);
    pr(p, " * subscriber's sink and never blocks: IDL_OK, IDL_E_EVENT_LOST (the queue was");
    pr(p, " * full: counted, and told with the next event that gets through) or a");
    pr(p, " * transport error (the subscriber's queue is gone). */");
    for (size_t m = 0; m < d->nmethods; m++) {
        const method *me = &d->methods[m];
        if (!me->event)
            continue;
        strbuf sb;
        sb_init(&sb);
        emit_params(a, &sb, me, false);
        pr_wrapped(p, fmt(a, "idl_status_t %s(idl_event_sink *idl_sink",
                          cname_emit(a, g->name, d->version, me->name)),
                   sb.data, ");");
        sb_free(&sb);
    }
    char *events = cname_events(a, g->name, d->version);
    pr(p, "/* The client's handlers, each told how many events were lost before this");
    pr(p, " * one; NULL: the event is ignored. */");
    pr(p, "typedef struct %s {", events);
    p->indent++;
    for (size_t m = 0; m < d->nmethods; m++) {
        const method *me = &d->methods[m];
        if (!me->event)
            continue;
        strbuf sb;
        sb_init(&sb);
        emit_params(a, &sb, me, true);
        pr_doc(p, me->doc);
        pr_wrapped(p, fmt(a, "void (*%s)(void *idl_self, uint64_t idl_lost", me->name), sb.data,
                   ");");
        sb_free(&sb);
    }
    p->indent--;
    pr(p, "} %s;", events);
    pr(p, "/* Check one event message taken from the client's queue and call its");
    pr(p, " * handler: IDL_OK, or IDL_E_UNKNOWN_INTERFACE, IDL_E_UNKNOWN_METHOD (an");
    pr(p, " * event of another version: skip it), IDL_E_MALFORMED or IDL_E_BAD_VALUE. */");
    pr_wrapped(p, fmt(a, "idl_status_t %s(const %s *idl_h", cname_event_dispatch(a, g->name, d->version),
                      events),
               ", void *idl_self, const idl_msg *idl_m", ");");
    pr(p, "%s", "");
}

static void emit_interface(arena *a, printer *p, const iface_group *g)
{
    const decl *first = g->versions[0];
    strbuf vs;
    sb_init(&vs);
    for (size_t v = 0; v < g->n; v++)
        sb_printf(&vs, "%s%u", v ? ", " : "", g->versions[v]->version);
    pr(p, "/* ---- interface %s, version%s %s ---- */", g->name, g->n > 1 ? "s" : "", vs.data);
    sb_free(&vs);
    pr_doc(p, g->versions[g->n - 1]->doc);
    pr(p, "#define %s UINT64_C(0x%016llx)", cname_guid(a, g->name, "HI"),
       (unsigned long long)first->guid_hi);
    pr(p, "#define %s UINT64_C(0x%016llx)", cname_guid(a, g->name, "LO"),
       (unsigned long long)first->guid_lo);
    pr(p, "%s", "");
    for (size_t v = 0; v < g->n; v++) {
        const decl *d = g->versions[v];
        pr(p, "/* Version %u: client stubs. They return IDL_OK, an error of %s, a protocol",
           d->version, d->error_enum ? d->error_enum->name : "the interface");
        pr(p, " * error (IDL_E_*) or a transport error; outputs are valid only on IDL_OK. */");
        for (size_t m = 0; m < d->nmethods; m++) {
            const method *me = &d->methods[m];
            pr(p, "#define %s %uu", cname_ordinal(a, g->name, d->version, me->name), me->ordinal);
        }
        for (size_t m = 0; m < d->nmethods; m++) {
            const method *me = &d->methods[m];
            if (me->event)
                continue;
            strbuf sb;
            sb_init(&sb);
            emit_params(a, &sb, me, false);
            pr_doc(p, me->doc);
            emit_cap_doc(a, p, me, true, true);
            if (me->oneway)
                pr(p, "/* one-way: returns once the request is sent */");
            char *head = fmt(a, "idl_status_t %s(idl_transport *idl_t",
                             cname_stub(a, g->name, d->version, me->name));
            pr_wrapped(p, head, sb.data, ");");
            sb_free(&sb);
        }
        pr(p, "%s", "");
        pr(p, "/* Version %u: server operations. A NULL entry answers IDL_E_NOT_IMPLEMENTED;",
           d->version);
        pr(p, " * an op returns IDL_OK (outputs are sent) or an error (only the status is). */");
        char *ops = cname_ops(a, g->name, d->version);
        pr(p, "typedef struct %s {", ops);
        p->indent++;
        for (size_t m = 0; m < d->nmethods; m++) {
            const method *me = &d->methods[m];
            if (me->event)
                continue;
            strbuf sb;
            sb_init(&sb);
            emit_params(a, &sb, me, true);
            pr_doc(p, me->doc);
            emit_cap_doc(a, p, me, true, !me->deferred);
            if (me->deferred)
                pr(p, "/* deferred: answer with %s() or idl_reply_fail(), now or later,",
                   cname_reply(a, g->name, d->version, me->name));
            if (me->deferred)
                pr(p, " * and return IDL_DEFERRED */");
            char *head = fmt(a, "idl_status_t (*%s)(void *idl_self, const idl_caller *idl_caller",
                     me->name);
            pr_wrapped(p, head, sb.data, ");");
            sb_free(&sb);
        }
        p->indent--;
        pr(p, "} %s;", ops);
        pr(p, "%s", "");
        emit_events_decl(a, p, g, d);
        bool deferred = false;
        for (size_t m = 0; m < d->nmethods; m++)
            deferred |= d->methods[m].deferred;
        if (!deferred)
            continue;
        pr(p, "/* Version %u: answers to deferred calls. Each uses up its token and returns",
           d->version);
        pr(p, " * IDL_OK, IDL_E_STALE_TOKEN (used already, or another method's), IDL_E_ENCODE");
        pr(p, " * (an output breaks its bound: the caller gets that error) or a transport");
        pr(p, " * error (the caller went away). */");
        for (size_t m = 0; m < d->nmethods; m++) {
            const method *me = &d->methods[m];
            if (!me->deferred)
                continue;
            strbuf sb;
            sb_init(&sb);
            emit_reply_params(a, &sb, me);
            emit_cap_doc(a, p, me, false, true);
            char *head = fmt(a, "idl_status_t %s(idl_reply_token idl_token",
                             cname_reply(a, g->name, d->version, me->name));
            pr_wrapped(p, head, sb.data, ");");
            sb_free(&sb);
        }
        pr(p, "%s", "");
    }
    pr(p, "/* A server of interface %s: one ops table per version it serves. */", g->name);
    char *server = cname_server(a, g->name);
    pr(p, "typedef struct %s {", server);
    pr(p, "    void *self; /* passed to every op */");
    for (size_t v = 0; v < g->n; v++)
        pr(p, "    const %s *v%u; /* NULL: version %u not served */",
           cname_ops(a, g->name, g->versions[v]->version), g->versions[v]->version,
           g->versions[v]->version);
    pr(p, "} %s;", server);
    pr(p, "%s", "");
    pr(p, "/* Handle one request for %s (server points to a %s); *msg becomes the", g->name,
       server);
    pr(p, " * reply when IDL_REPLY is returned. */");
    pr(p, "idl_dispatch_result %s(const void *server, const idl_caller *caller, "
          "idl_msg *msg);",
       cname_dispatch(a, g->name));
    pr(p, "/* The binding to give idl_server_dispatch, which matches the GUID and then");
    pr(p, " * routes on the label without checking the GUID again. */");
    pr(p, "idl_binding %s(const %s *server);", cname_binding(a, g->name), server);
    pr(p, "/* Ask a server which versions of %s it serves and pick the highest this",
       g->name);
    pr(p, " * code knows (IDL_E_NO_COMPATIBLE_VERSION if none, IDL_E_UNKNOWN_INTERFACE if");
    pr(p, " * it serves no version at all). */");
    pr(p, "idl_status_t %s(idl_transport *idl_t, uint16_t *version);",
       cname_negotiate(a, g->name));
    pr(p, "%s", "");
}

void emit_header(arena *a, const program *prog, strbuf *out)
{
    printer p = {out, 0};
    const ast_file *f = &prog->files[0];
    char *guard = cname_guard(a, f->stem);
    pr_banner(&p, f->stem, "types, client stubs, server ops");
    pr(&p, "#ifndef %s", guard);
    pr(&p, "#define %s", guard);
    pr(&p, "%s", "");
    pr(&p, "#include <idl/runtime.h>");
    unsigned char *included = arena_alloc(a, prog->nfiles);
    for (size_t i = 0; i < f->nimports; i++) {
        uint32_t target = f->imports[i].target;
        if (!included[target])
            pr(&p, "#include \"%s.h\"", prog->files[target].stem);
        included[target] = 1;
    }
    pr(&p, "%s", "");
    bool any = false;
    for (size_t i = 0; i < f->ndecls; i++) {
        if (f->decls[i]->kind == D_CONST) {
            emit_const(a, &p, f->decls[i]);
            any = true;
        }
    }
    if (any)
        pr(&p, "%s", "");
    for (size_t i = 0; i < f->ndecls; i++) {
        if (f->decls[i]->kind == D_ENUM)
            emit_enum(a, &p, f->decls[i]);
    }
    struct_set structs = {0};
    order_structs(a, prog, f, &structs);
    for (size_t i = 0; i < structs.n; i++)
        emit_struct(a, &p, structs.v[i]);
    for (size_t i = 0; i < prog->ngroups; i++) {
        if (prog->groups[i].file == f->file && prog->groups[i].n > 0)
            emit_interface(a, &p, &prog->groups[i]);
    }
    pr(&p, "#endif /* %s */", guard);
}
