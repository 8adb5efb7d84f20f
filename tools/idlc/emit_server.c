/* SPDX-License-Identifier: MIT */
/* Emits FILE_server.c. Per interface: a router that switches on the whole
 * request label (version, ordinal and one-way flag in one compare) once the
 * GUID has matched, a cold function that explains a label no case took, the
 * public dispatcher (GUID check, then the router) and the binding; and one
 * static handler per method and version that checks and decodes the request
 * into locals, calls the op and encodes the reply over the request in the
 * same buffer. Checks run in the order docs/wire-format.md lists, so each
 * malformation has one documented reply. */
#include "emit.h"

#include <stdio.h>
#include <string.h>

static char *s2(arena *a, const char *f, const char *n)
{
    size_t len = strlen(f) + 3 * strlen(n) + 1;
    char *r = arena_alloc(a, len);
    snprintf(r, len, f, n, n, n);
    return r;
}

/* Locals: every parameter becomes one (two for bytes and bulk: data and
 * length; three for an out bulk). Outputs start zeroed so an op that forgets
 * one cannot leak stack contents to the client. */
void emit_op_locals(arena *a, printer *p, const method *m)
{
    if (m->deferred)
        pr(p, "idl_reply_token idl_tok;");
    for (int out = 0; out < (m->deferred ? 1 : 2); out++) {
        const field *list = out ? m->out : m->in;
        size_t n = out ? m->nout : m->nin;
        for (size_t i = 0; i < n; i++) {
            const type_ref *t = &list[i].type;
            const char *nm = list[i].name;
            char *ct = c_type(a, t);
            if (t->kind == TY_BULK) {
                pr(p, out ? "uint8_t *%s;" : "const uint8_t *%s;", nm);
                if (out)
                    pr(p, "size_t %s_cap;", nm);
                pr(p, out ? "size_t %s_len = 0;" : "size_t %s_len;", nm);
            } else if (t->kind == TY_STRING) {
                pr(p, "char %s[%u];", nm, t->bound_v + 1);
            } else if (t->kind == TY_BYTES) {
                pr(p, "uint8_t %s[%u];", nm, t->bound_v);
                pr(p, out || t->optional ? "size_t %s_len = 0;" : "size_t %s_len;", nm);
            } else if (t->is_array) {
                pr(p, "%s %s[%u];", ct, nm, t->array_n);
            } else if (t->kind == TY_STRUCT) {
                pr(p, "%s %s;", ct, nm);
            } else if (out) {
                pr(p, "%s %s = %s;", ct, nm, t->kind == TY_BOOL ? "false" : "0");
            } else {
                pr(p, "%s %s;", ct, nm);
            }
            if (t->optional)
                pr(p, "bool %s_present;", nm);
        }
    }
}

static void zero_outputs(printer *p, const method *m)
{
    for (size_t i = 0; i < m->nout && !m->deferred; i++) {
        const type_ref *t = &m->out[i].type;
        if (t->kind == TY_STRING || t->kind == TY_BYTES || t->is_array)
            pr(p, "idl_zero(%s, sizeof %s);", m->out[i].name, m->out[i].name);
        else if (t->kind == TY_STRUCT)
            pr(p, "idl_zero(&%s, sizeof %s);", m->out[i].name, m->out[i].name);
    }
}

access *emit_op_access(arena *a, const wire_item *items, size_t n)
{
    access *acc = arena_alloc(a, (n ? n : 1) * sizeof *acc);
    for (size_t i = 0; i < n; i++) {
        const char *nm = items[i].name;
        const type_ref *t = items[i].type;
        acc[i].val = nm;
        if (t->kind == TY_BULK || t->kind == TY_BYTES)
            acc[i].len = s2(a, "%s_len", nm);
        if (t->kind == TY_BULK)
            acc[i].cap = s2(a, "%s_cap", nm);
        if (t->kind == TY_STRUCT && !t->is_array)
            acc[i].val = s2(a, "&%s", nm);
        if (t->optional)
            acc[i].present = s2(a, "%s_present", nm);
    }
    return acc;
}

void emit_op_args(strbuf *sb, const method *m)
{
    for (int out = 0; out < (m->deferred ? 1 : 2); out++) {
        const field *list = out ? m->out : m->in;
        size_t n = out ? m->nout : m->nin;
        for (size_t i = 0; i < n; i++) {
            const type_ref *t = &list[i].type;
            const char *nm = list[i].name;
            if (t->optional && t->kind == TY_BYTES)
                sb_printf(sb, ", %s_present ? %s : NULL, %s_len", nm, nm, nm);
            else if (t->optional && (t->kind == TY_STRING || t->is_array))
                sb_printf(sb, ", %s_present ? %s : NULL", nm, nm);
            else if (t->optional)
                sb_printf(sb, ", %s_present ? &%s : NULL", nm, nm);
            else if (t->kind == TY_BULK && out)
                sb_printf(sb, ", %s, %s_cap, &%s_len", nm, nm, nm);
            else if (t->kind == TY_BULK || t->kind == TY_BYTES)
                sb_printf(sb, out ? ", %s, &%s_len" : ", %s, %s_len", nm, nm);
            else if (out && (t->kind == TY_STRING || t->is_array))
                sb_printf(sb, ", %s", nm);
            else if (out || (t->kind == TY_STRUCT && !t->is_array))
                sb_printf(sb, ", &%s", nm);
            else
                sb_printf(sb, ", %s", nm);
        }
    }
}

static void emit_handler(arena *a, printer *p, const iface_group *g, const decl *d,
                         const method *m)
{
    wire_item *req, *rep;
    size_t nreq, nrep;
    list_layout lreq, lrep;
    method_items(a, m, false, &req, &nreq);
    method_items(a, m, true, &rep, &nrep);
    layout_list(a, req, nreq, &lreq);
    layout_list(a, rep, nrep, &lrep);

    /* The handler takes the server as the router has it, so the router's
     * case is a plain jump; the label (version, ordinal, one-way flag) has
     * already matched exactly. */
    pr_wrapped(
        p,
        fmt(a, "static IDL_NOINLINE idl_dispatch_result idlg_h_%s(const %s *idl_s",
            cname_stub(a, g->name, d->version, m->name), cname_server(a, g->name)),
        ", const idl_caller *idl_caller, idl_msg *idl_m", ")");
    strbuf body;
    sb_init(&body);
    printer bp = {&body, 1};
    unsigned ncaps = 0;
    for (size_t i = 0; i < m->nin; i++)
        ncaps += m->in[i].type.kind == TY_CAP;
    pr(&bp, "if (idl_m->ncaps != %uu)", ncaps);
    pr(&bp, "    return idl_reply_status(idl_m, IDL_E_MALFORMED);");
    ncaps = 0;
    for (size_t i = 0; i < m->nin; i++) {
        if (m->in[i].type.kind == TY_CAP)
            emit_cap_check(a, &bp, "idl_m->", ncaps++, &m->in[i].type,
                           "return idl_reply_status(idl_m, IDL_E_BAD_CAP);");
    }
    codec_ctx dec = {a,    &bp, "idl_w", "idl_avail", true, "return idl_reply_status(idl_m, $S);",
                     "idl_caller"};
    char *end;
    emit_decode_list(&dec, req, &lreq, emit_op_access(a, req, nreq), &end);
    ncaps = 0;
    for (size_t i = 0; i < m->nin; i++) {
        if (m->in[i].type.kind == TY_CAP)
            pr(&bp, "%s = idl_m->caps[%u];", m->in[i].name, ncaps++);
    }
    zero_outputs(&bp, m);
    pr(&bp, "if (idl_ops->%s == NULL)", m->name);
    pr(&bp, "    return idl_reply_status(idl_m, IDL_E_NOT_IMPLEMENTED);");
    if (m->deferred) {
        /* The token names this caller until the op, or a later answer,
         * uses it; idl_defer_finish turns what the op returned into the
         * dispatch result (docs/idl.md, "Deferred replies"). */
        pr(&bp, "idl_st = idl_defer_take(idl_caller, idl_m->label, &idl_tok);");
        pr(&bp, "if (idl_st != IDL_OK)");
        pr(&bp, "    return idl_reply_status(idl_m, idl_st);");
    }
    strbuf args;
    sb_init(&args);
    emit_op_args(&args, m);
    if (m->deferred)
        sb_puts(&args, ", idl_tok");
    char *head = fmt(a, "idl_st = idl_ops->%s(idl_s->self, idl_caller", m->name);
    pr_wrapped(&bp, head, args.data, ");");
    sb_free(&args);
    if (m->deferred) {
        pr(&bp, "return idl_defer_finish(idl_tok, idl_m, idl_st);");
    } else if (m->oneway) {
        pr(&bp, "(void)idl_st; /* one-way: nobody to tell */");
        pr(&bp, "return IDL_NO_REPLY;");
    } else {
        pr(&bp, "if (idl_st != IDL_OK)");
        pr(&bp, "    return idl_reply_status(idl_m, idl_st);");
        codec_ctx enc = {a,     &bp, "idl_m->words", NULL, false,
                         "return idl_reply_status(idl_m, $S);", NULL};
        emit_encode_list(&enc, rep, &lrep, emit_op_access(a, rep, nrep), &end);
        pr(&bp, "idl_m->label = IDL_OK;");
        pr(&bp, "idl_m->nwords = (uint32_t)(%s);", end);
        ncaps = 0;
        for (size_t i = 0; i < m->nout; i++) {
            if (m->out[i].type.kind == TY_CAP)
                emit_cap_put(a, &bp, "idl_m->", ncaps++, m->out[i].name, &m->out[i].type);
        }
        pr(&bp, "idl_m->ncaps = %uu;", ncaps);
        pr(&bp, "return IDL_REPLY;");
    }
    pr(p, "{");
    p->indent++;
    pr(p, "const %s *idl_ops = idl_s->v%u;", cname_ops(a, g->name, d->version), d->version);
    if (emit_mentions(body.data, "idl_w"))
        pr(p, "const uint64_t *idl_w = &idl_m->words[IDL_REQ_HEADER_WORDS];");
    pr(p, "const size_t idl_avail = idl_m->nwords - IDL_REQ_HEADER_WORDS;");
    emit_op_locals(a, p, m);
    emit_flush_body(p, &body);
    p->indent--;
    pr(p, "}");
    pr(p, "%s", "");
    sb_free(&body);
}

/* The request label a handler takes: IDL_LABEL(version, ordinal, flag). */
static char *label_of(arena *a, const decl *d, const method *m)
{
    return fmt(a, "IDL_LABEL(%uu, %uu, %s)", d->version, m->ordinal,
               m->oneway || m->event ? "IDL_LABEL_ONEWAY" : "0u");
}

/* A label no case of the router took, explained: reserved bits set, version
 * not served, ordinal not in the version, or (what is left) a method of the
 * version sent with the wrong one-way flag. Only error paths come here. */
static void emit_reject(arena *a, printer *p, const iface_group *g)
{
    pr_wrapped(p,
               fmt(a,
                   "static IDL_NOINLINE idl_dispatch_result idlg_reject_%s(const %s *idl_s",
                   g->name, cname_server(a, g->name)),
               ", idl_msg *idl_m", ")");
    pr(p, "{");
    pr(p, "    uint64_t idl_l = idl_m->label;");
    pr(p, "    if (IDL_LABEL_INVALID(idl_l))");
    pr(p, "        return idl_reply_status(idl_m, IDL_E_MALFORMED);");
    for (size_t v = 0; v < g->n; v++) {
        const decl *d = g->versions[v];
        pr(p, "    if (IDL_LABEL_VERSION(idl_l) == %uu && idl_s->v%u != NULL) {", d->version,
           d->version);
        pr(p, "        switch (IDL_LABEL_ORDINAL(idl_l)) {");
        for (size_t m = 0; m < d->nmethods; m++) {
            if (!d->methods[m].event) /* a server is never sent its events */
                pr(p, "        case %uu:", d->methods[m].ordinal);
        }
        pr(p,
           "            return idl_reply_status(idl_m, IDL_E_MALFORMED); /* one-way flag wrong */");
        pr(p, "        default:");
        pr(p, "            return idl_reply_status(idl_m, IDL_E_UNKNOWN_METHOD);");
        pr(p, "        }");
        pr(p, "    }");
    }
    pr(p, "    return idl_reply_status(idl_m, IDL_E_UNKNOWN_VERSION);");
    pr(p, "}");
    pr(p, "%s", "");
}

/* How a reply function reaches its outputs: parameters, as a stub's
 * inputs. */
static access *reply_fn_access(arena *a, const wire_item *items, size_t n)
{
    access *acc = arena_alloc(a, (n ? n : 1) * sizeof *acc);
    for (size_t i = 0; i < n; i++) {
        const type_ref *t = items[i].type;
        acc[i].val = items[i].name;
        if (t->kind == TY_BYTES)
            acc[i].len = s2(a, "%s_len", items[i].name);
        if (t->optional && is_scalar_base(t) && !t->is_array)
            acc[i].val = s2(a, "*%s", items[i].name); /* an event's optional argument */
        if (t->optional)
            acc[i].present = s2(a, "%s != NULL", items[i].name);
    }
    return acc;
}

/* The answer to a deferred call: the reply the handler of an ordinary
 * method builds, sent through the token (whose request label must be this
 * method's) once the outputs are encoded. */
static void emit_reply_fn(arena *a, printer *p, const iface_group *g, const decl *d,
                          const method *m)
{
    wire_item *rep;
    size_t nrep;
    list_layout lrep;
    method_items(a, m, true, &rep, &nrep);
    layout_list(a, rep, nrep, &lrep);
    strbuf params;
    sb_init(&params);
    emit_reply_params(a, &params, m);
    pr_wrapped(p, fmt(a, "idl_status_t %s(idl_reply_token idl_token",
                      cname_reply(a, g->name, d->version, m->name)),
               params.data, ")");
    sb_free(&params);
    strbuf body;
    sb_init(&body);
    printer bp = {&body, 1};
    pr(&bp, "if (!idl_reply_valid(idl_token, %s))", label_of(a, d, m));
    pr(&bp, "    return IDL_E_STALE_TOKEN;");
    codec_ctx enc = {a, &bp, "idl_m.words", NULL, false,
                     "return idl_reply_encode_failed(idl_token, $S);", NULL};
    char *end;
    emit_encode_list(&enc, rep, &lrep, reply_fn_access(a, rep, nrep), &end);
    pr(&bp, "idl_m.label = IDL_OK;");
    pr(&bp, "idl_m.nwords = (uint32_t)(%s);", end);
    unsigned ncaps = 0;
    for (size_t i = 0; i < m->nout; i++) {
        if (m->out[i].type.kind == TY_CAP)
            emit_cap_put(a, &bp, "idl_m.", ncaps++, m->out[i].name, &m->out[i].type);
    }
    pr(&bp, "idl_m.ncaps = %uu;", ncaps);
    pr(&bp, "return idl_reply_send(idl_token, &idl_m);");
    pr(p, "{");
    p->indent++;
    pr(p, "idl_msg idl_m;");
    emit_flush_body(p, &body);
    p->indent--;
    pr(p, "}");
    pr(p, "%s", "");
    sb_free(&body);
}

/* Emitting an event: the message a subscriber's dispatcher decodes, posted
 * to its sink without blocking (the runtime adds the lost count). */
static void emit_event_fn(arena *a, printer *p, const iface_group *g, const decl *d,
                          const method *m)
{
    wire_item *items;
    size_t n;
    list_layout l;
    method_items(a, m, false, &items, &n);
    layout_list(a, items, n, &l);
    strbuf params;
    sb_init(&params);
    emit_params(a, &params, m, false);
    pr_wrapped(p, fmt(a, "idl_status_t %s(idl_event_sink *idl_sink",
                      cname_emit(a, g->name, d->version, m->name)),
               params.data, ")");
    sb_free(&params);
    strbuf body;
    sb_init(&body);
    printer bp = {&body, 1};
    pr(&bp, "idl_m.label = %s;", label_of(a, d, m));
    pr(&bp, "idl_m.words[0] = %s;", cname_guid(a, g->name, "HI"));
    pr(&bp, "idl_m.words[1] = %s;", cname_guid(a, g->name, "LO"));
    codec_ctx enc = {a, &bp, "idl_w", NULL, false, "return $S;", NULL};
    char *end;
    emit_encode_list(&enc, items, &l, reply_fn_access(a, items, n), &end);
    pr(&bp, "idl_m.nwords = (uint32_t)(IDL_EVENT_HEADER_WORDS + %s);", end);
    pr(&bp, "idl_m.ncaps = 0u;");
    pr(&bp, "return idl_event_post(idl_sink, &idl_m);");
    pr(p, "{");
    p->indent++;
    pr(p, "idl_msg idl_m;");
    if (emit_mentions(body.data, "idl_w"))
        pr(p, "uint64_t *idl_w = &idl_m.words[IDL_EVENT_HEADER_WORDS];");
    emit_flush_body(p, &body);
    p->indent--;
    pr(p, "}");
    pr(p, "%s", "");
    sb_free(&body);
}

static void emit_group(arena *a, printer *p, const iface_group *g)
{
    char *server = cname_server(a, g->name);
    char *hi = cname_guid(a, g->name, "HI"), *lo = cname_guid(a, g->name, "LO");
    for (size_t v = 0; v < g->n; v++) {
        const decl *d = g->versions[v];
        for (size_t m = 0; m < d->nmethods; m++) {
            if (d->methods[m].event) {
                emit_event_fn(a, p, g, d, &d->methods[m]);
                continue;
            }
            emit_handler(a, p, g, d, &d->methods[m]);
            if (d->methods[m].deferred)
                emit_reply_fn(a, p, g, d, &d->methods[m]);
        }
    }
    emit_reject(a, p, g);

    pr(p,
       "/* A request whose GUID is %s's (checked by idl_server_dispatch or %s):", g->name,
       cname_dispatch(a, g->name));
    pr(p, " * the whole label, one-way flag and reserved bits included, picks the handler. */");
    pr_wrapped(p, fmt(a, "static idl_dispatch_result idlg_route_%s(const void *server", g->name),
               ", const idl_caller *caller, idl_msg *msg", ")");
    pr(p, "{");
    pr(p, "    const %s *idl_s = server;", server);
    pr(p, "    switch (msg->label) {");
    for (size_t v = 0; v < g->n; v++) {
        const decl *d = g->versions[v];
        for (size_t m = 0; m < d->nmethods; m++) {
            const method *me = &d->methods[m];
            if (me->event)
                continue;
            pr(p, "    case %s: /* v%u %s */", label_of(a, d, me), d->version, me->name);
            pr(p, "        if (idl_s->v%u != NULL)", d->version);
            pr(p, "            return idlg_h_%s(idl_s, caller, msg);",
               cname_stub(a, g->name, d->version, me->name));
            pr(p, "        break;");
        }
    }
    pr(p, "    default:");
    pr(p, "        break;");
    pr(p, "    }");
    pr(p, "    return idlg_reject_%s(idl_s, msg);", g->name);
    pr(p, "}");
    pr(p, "%s", "");

    pr(p, "idl_dispatch_result %s(const void *server, const idl_caller *caller, "
          "idl_msg *msg)",
       cname_dispatch(a, g->name));
    pr(p, "{");
    pr(p, "    if (msg->nwords < IDL_REQ_HEADER_WORDS)");
    pr(p, "        return idl_reply_status(msg, IDL_E_MALFORMED);");
    pr(p, "    if (msg->words[0] != %s || msg->words[1] != %s)", hi, lo);
    pr(p, "        return idl_reply_status(msg, IDL_E_UNKNOWN_INTERFACE);");
    pr(p, "    return idlg_route_%s(server, caller, msg);", g->name);
    pr(p, "}");
    pr(p, "%s", "");
    pr(p,
       "/* idl_server_dispatch matches the GUID, so the binding goes straight to the router;");
    pr(p, " * it answers discovery queries from the versions listed here, highest first. */");
    pr(p, "idl_binding %s(const %s *server)", cname_binding(a, g->name), server);
    pr(p, "{");
    pr(p, "    idl_binding b = {{%s, %s}, idlg_route_%s, server, 0, {0}};", hi, lo, g->name);
    /* The highest versions first, as many as a binding lists (idl.md). */
    for (size_t v = g->n, listed = 0; v-- > 0 && listed < IDLC_BINDING_MAX_VERSIONS; listed++) {
        unsigned ver = g->versions[v]->version;
        pr(p, "    if (server->v%u != NULL)", ver);
        pr(p, "        b.versions[b.nversions++] = %uu;", ver);
    }
    pr(p, "    return b;");
    pr(p, "}");
    pr(p, "%s", "");
}

void emit_server(arena *a, const program *prog, strbuf *out)
{
    printer p = {out, 0};
    const ast_file *f = &prog->files[0];
    pr_banner(&p, f->stem, "server dispatcher");
    pr(&p, "#include \"%s.h\"", f->stem);
    pr(&p, "%s", "");
    struct_set put, get;
    struct_set_init(a, &put, prog);
    struct_set_init(a, &get, prog);
    for (size_t i = 0; i < prog->ngroups; i++) {
        const iface_group *g = &prog->groups[i];
        if (g->file != f->file)
            continue;
        for (size_t v = 0; v < g->n; v++) {
            const decl *d = g->versions[v];
            for (size_t m = 0; m < d->nmethods; m++) {
                for (size_t k = 0; k < d->methods[m].nin; k++)
                    struct_set_add_type(a, &get, &d->methods[m].in[k].type);
                for (size_t k = 0; k < d->methods[m].nout; k++)
                    struct_set_add_type(a, &put, &d->methods[m].out[k].type);
            }
        }
    }
    emit_struct_codecs(a, &p, &put, &get);
    for (size_t i = 0; i < prog->ngroups; i++) {
        if (prog->groups[i].file == f->file && prog->groups[i].n > 0)
            emit_group(a, &p, &prog->groups[i]);
    }
}
