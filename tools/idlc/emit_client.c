/* SPDX-License-Identifier: MIT */
/* Emits FILE_client.c: one stub per method of every version. A stub packs
 * the GUID and arguments into an idl_msg on its stack, hands it to the
 * transport, and decodes and checks the reply in place. */
#include "emit.h"

#include <stdio.h>
#include <string.h>

static char *s2(arena *a, const char *f, const char *n)
{
    size_t len = strlen(f) + 2 * strlen(n) + 1;
    char *r = arena_alloc(a, len);
    snprintf(r, len, f, n, n);
    return r;
}

/* How the stub reaches each request item (its parameters). */
static access *request_access(arena *a, const wire_item *items, size_t n)
{
    access *acc = arena_alloc(a, (n ? n : 1) * sizeof *acc);
    for (size_t i = 0; i < n; i++) {
        const char *nm = items[i].name;
        const type_ref *t = items[i].type;
        if (items[i].role == ROLE_BULK_WINDOW) {
            acc[i].val = s2(a, "%s->offset", nm);
            acc[i].len = s2(a, "%s->length", nm);
        } else if (t->kind == TY_BULK) {
            acc[i].val = s2(a, "%s.offset", nm);
            acc[i].len = s2(a, "%s.length", nm);
        } else if (t->kind == TY_BYTES) {
            acc[i].val = nm;
            acc[i].len = s2(a, "%s_len", nm);
        } else if (t->optional && is_scalar_base(t) && !t->is_array) {
            acc[i].val = s2(a, "*%s", nm);
        } else {
            acc[i].val = nm;
        }
        if (t->optional)
            acc[i].present = s2(a, "%s != NULL", nm);
    }
    return acc;
}

/* How the stub stores each reply item (its out-parameters). */
static access *reply_access(arena *a, const wire_item *items, size_t n)
{
    access *acc = arena_alloc(a, (n ? n : 1) * sizeof *acc);
    for (size_t i = 0; i < n; i++) {
        const char *nm = items[i].name;
        const type_ref *t = items[i].type;
        if (items[i].role == ROLE_BULK_LEN) {
            acc[i].val = s2(a, "%s->length", nm);
        } else if (t->kind == TY_BYTES) {
            acc[i].val = nm;
            acc[i].len = s2(a, "*%s_len", nm);
        } else if (is_scalar_base(t) && !t->is_array) {
            acc[i].val = s2(a, "*%s", nm);
        } else {
            acc[i].val = nm;
        }
    }
    return acc;
}

/* I_negotiate(): every version this file declares, highest first, given to
 * the runtime's idl_negotiate (docs/idl.md, "Discovery"). */
static void emit_negotiate(arena *a, printer *p, const iface_group *g)
{
    strbuf list;
    sb_init(&list);
    for (size_t v = g->n; v-- > 0;)
        sb_printf(&list, "%s%uu", v + 1 == g->n ? "" : ", ", g->versions[v]->version);
    pr(p, "idl_status_t %s(idl_transport *idl_t, uint16_t *version)",
       cname_negotiate(a, g->name));
    pr(p, "{");
    pr(p, "    static const uint16_t known[] = {%s};", list.data);
    pr(p, "    const idl_guid guid = {%s, %s};", cname_guid(a, g->name, "HI"),
       cname_guid(a, g->name, "LO"));
    pr(p, "    return idl_negotiate(idl_t, guid, known, %zu, version);", g->n);
    pr(p, "}");
    pr(p, "%s", "");
    sb_free(&list);
}

/* One event of a version, decoded from the words after the event header
 * and handed to its handler, as a server handler hands a request to its op. */
static void emit_event_receiver(arena *a, printer *p, const iface_group *g, const decl *d,
                                const method *m)
{
    wire_item *items;
    size_t n;
    list_layout l;
    method_items(a, m, false, &items, &n);
    layout_list(a, items, n, &l);
    pr_wrapped(p, fmt(a, "static idl_status_t idlg_ev_%s(const %s *idl_h",
                      cname_stub(a, g->name, d->version, m->name),
                      cname_events(a, g->name, d->version)),
               ", void *idl_self, uint64_t idl_lost, const uint64_t *idl_w, size_t idl_avail", ")");
    strbuf body;
    sb_init(&body);
    printer bp = {&body, 1};
    codec_ctx dec = {a, &bp, "idl_w", "idl_avail", true, "return $S;", NULL};
    char *end;
    emit_decode_list(&dec, items, &l, emit_op_access(a, items, n), &end);
    pr(&bp, "if (idl_h->%s != NULL)", m->name);
    strbuf args;
    sb_init(&args);
    emit_op_args(&args, m);
    pr_wrapped(&bp, fmt(a, "    idl_h->%s(idl_self, idl_lost", m->name), args.data, ");");
    sb_free(&args);
    pr(&bp, "return IDL_OK;");
    pr(p, "{");
    p->indent++;
    emit_op_locals(a, p, m);
    if (!emit_mentions(body.data, "idl_w"))
        pr(p, "(void)idl_w;");
    emit_flush_body(p, &body);
    p->indent--;
    pr(p, "}");
    pr(p, "%s", "");
    sb_free(&body);
}

/* I_vV_event_dispatch(): the header and label of an event message, then its
 * receiver. Events of other versions are IDL_E_UNKNOWN_METHOD, for the
 * client to skip. */
static void emit_event_dispatch(arena *a, printer *p, const iface_group *g, const decl *d)
{
    if (!decl_has_events(d))
        return;
    for (size_t m = 0; m < d->nmethods; m++) {
        if (d->methods[m].event)
            emit_event_receiver(a, p, g, d, &d->methods[m]);
    }
    char *events = cname_events(a, g->name, d->version);
    pr_wrapped(p, fmt(a, "idl_status_t %s(const %s *idl_h", cname_event_dispatch(a, g->name, d->version),
                      events),
               ", void *idl_self, const idl_msg *idl_m", ")");
    pr(p, "{");
    pr(p, "    if (idl_m->nwords < IDL_EVENT_HEADER_WORDS || idl_m->nwords > TSR_MSG_MAX_WORDS ||");
    pr(p, "        idl_m->ncaps != 0u)");
    pr(p, "        return IDL_E_MALFORMED;");
    pr(p, "    if (idl_m->words[0] != %s || idl_m->words[1] != %s)", cname_guid(a, g->name, "HI"),
       cname_guid(a, g->name, "LO"));
    pr(p, "        return IDL_E_UNKNOWN_INTERFACE;");
    pr(p, "    switch (idl_m->label) {");
    for (size_t m = 0; m < d->nmethods; m++) {
        const method *me = &d->methods[m];
        if (!me->event)
            continue;
        /* The same event of earlier versions too: later versions keep it
         * unchanged (IDL0080-0083), so a server may emit it at the version
         * its subscriber speaks. */
        for (size_t w = 0; w < g->n && g->versions[w]->version <= d->version; w++) {
            const decl *dw = g->versions[w];
            for (size_t k = 0; k < dw->nmethods; k++) {
                if (dw->methods[k].event && dw->methods[k].ordinal == me->ordinal)
                    pr(p, "    case IDL_LABEL(%uu, %uu, IDL_LABEL_ONEWAY): /* v%u %s */",
                       dw->version, me->ordinal, dw->version, me->name);
            }
        }
        pr(p, "        return idlg_ev_%s(idl_h, idl_self, idl_m->words[2],",
           cname_stub(a, g->name, d->version, me->name));
        pr(p, "            &idl_m->words[IDL_EVENT_HEADER_WORDS], idl_m->nwords - IDL_EVENT_HEADER_WORDS);");
    }
    pr(p, "    default:");
    pr(p, "        return IDL_E_UNKNOWN_METHOD;");
    pr(p, "    }");
    pr(p, "}");
    pr(p, "%s", "");
}

static void emit_stub(arena *a, printer *p, const iface_group *g, const decl *d, const method *m)
{
    wire_item *req, *rep;
    size_t nreq, nrep;
    list_layout lreq, lrep;
    method_items(a, m, false, &req, &nreq);
    method_items(a, m, true, &rep, &nrep);
    layout_list(a, req, nreq, &lreq);
    layout_list(a, rep, nrep, &lrep);

    strbuf params;
    sb_init(&params);
    emit_params(a, &params, m, false);
    char *head =
        fmt(a, "idl_status_t %s(idl_transport *idl_t", cname_stub(a, g->name, d->version, m->name));
    pr_wrapped(p, head, params.data, ")");
    sb_free(&params);

    strbuf body;
    sb_init(&body);
    printer bp = {&body, 1};
    pr(&bp, "idl_m.label = IDL_LABEL(%uu, %uu, %s);", d->version, m->ordinal,
       m->oneway ? "IDL_LABEL_ONEWAY" : "0u");
    pr(&bp, "idl_m.words[0] = %s;", cname_guid(a, g->name, "HI"));
    pr(&bp, "idl_m.words[1] = %s;", cname_guid(a, g->name, "LO"));
    codec_ctx enc = {a, &bp, "idl_w", NULL, false, "return $S;", NULL};
    char *end;
    emit_encode_list(&enc, req, &lreq, request_access(a, req, nreq), &end);
    pr(&bp, "idl_m.nwords = (uint32_t)(IDL_REQ_HEADER_WORDS + %s);", end);
    unsigned ncaps = 0;
    for (size_t i = 0; i < m->nin; i++) {
        if (m->in[i].type.kind == TY_CAP)
            emit_cap_put(a, &bp, "idl_m.", ncaps++, m->in[i].name, &m->in[i].type);
    }
    pr(&bp, "idl_m.ncaps = %uu;", ncaps);
    if (m->oneway) {
        pr(&bp, "return idl_send(idl_t, &idl_m);");
    } else {
        pr(&bp, "idl_st = idl_call(idl_t, &idl_m);");
        if (d->error_enum) {
            pr(&bp, "if (idl_st != IDL_OK) {");
            pr(&bp, "    /* Interface errors must be %s values. */", d->error_enum->name);
            pr(&bp, "    if (idl_st <= IDL_STATUS_IFACE_MAX && !idlg_err_%s(idl_st))",
               d->error_enum->name);
            pr(&bp, "        return IDL_E_BAD_REPLY;");
            pr(&bp, "    return idl_st;");
            pr(&bp, "}");
        } else {
            pr(&bp, "if (idl_st != IDL_OK)");
            pr(&bp, "    return idl_st;");
        }
        unsigned nout_caps = 0;
        for (size_t i = 0; i < m->nout; i++)
            nout_caps += m->out[i].type.kind == TY_CAP;
        pr(&bp, "if (idl_m.ncaps != %uu)", nout_caps);
        pr(&bp, "    return IDL_E_BAD_REPLY;");
        nout_caps = 0;
        for (size_t i = 0; i < m->nout; i++) {
            if (m->out[i].type.kind == TY_CAP)
                emit_cap_check(a, &bp, "idl_m.", nout_caps++, &m->out[i].type,
                               "return IDL_E_BAD_REPLY;");
        }
        codec_ctx dec = {a, &bp, "idl_m.words", "idl_m.nwords", true, "return IDL_E_BAD_REPLY;",
                         NULL};
        emit_decode_list(&dec, rep, &lrep, reply_access(a, rep, nrep), &end);
        nout_caps = 0;
        for (size_t i = 0; i < m->nout; i++) {
            if (m->out[i].type.kind == TY_CAP)
                pr(&bp, "*%s = idl_m.caps[%u];", m->out[i].name, nout_caps++);
        }
        pr(&bp, "return IDL_OK;");
    }
    pr(p, "{");
    p->indent++;
    pr(p, "idl_msg idl_m;");
    if (emit_mentions(body.data, "idl_w"))
        pr(p, "uint64_t *idl_w = &idl_m.words[IDL_REQ_HEADER_WORDS];");
    emit_flush_body(p, &body);
    p->indent--;
    pr(p, "}");
    pr(p, "%s", "");
    sb_free(&body);
}

void emit_client(arena *a, const program *prog, strbuf *out)
{
    printer p = {out, 0};
    const ast_file *f = &prog->files[0];
    pr_banner(&p, f->stem, "client stubs");
    pr(&p, "#include \"%s.h\"", f->stem);
    pr(&p, "%s", "");
    struct_set put, get;
    struct_set_init(a, &put, prog);
    struct_set_init(a, &get, prog);
    /* Error enums whose values the stubs check, each once. */
    decl **errs = NULL;
    size_t nerrs = 0, errs_cap = 0;
    unsigned char *err_seen = arena_alloc(a, prog->ndecls ? prog->ndecls : 1);
    for (size_t i = 0; i < prog->ngroups; i++) {
        const iface_group *g = &prog->groups[i];
        if (g->file != f->file)
            continue;
        for (size_t v = 0; v < g->n; v++) {
            const decl *d = g->versions[v];
            /* One-way stubs never see a status: only two-way methods check
             * interface errors. */
            bool two_way = false;
            for (size_t m = 0; m < d->nmethods; m++)
                two_way |= !d->methods[m].oneway && !d->methods[m].event;
            if (d->error_enum && two_way && !err_seen[d->error_enum->index]) {
                err_seen[d->error_enum->index] = 1;
                *VEC_PUSH(a, errs, nerrs, errs_cap) = d->error_enum;
            }
            for (size_t m = 0; m < d->nmethods; m++) {
                for (size_t k = 0; k < d->methods[m].nin; k++)
                    struct_set_add_type(a, &put, &d->methods[m].in[k].type);
                for (size_t k = 0; k < d->methods[m].nout; k++)
                    struct_set_add_type(a, &get, &d->methods[m].out[k].type);
            }
        }
    }
    emit_struct_codecs(a, &p, &put, &get);
    for (size_t k = 0; k < nerrs; k++) {
        const decl *e = errs[k];
        pr(&p, "static bool idlg_err_%s(idl_status_t st)", e->name);
        pr(&p, "{");
        pr(&p, "    switch (st) {");
        for (size_t i = 0; i < e->nmembers; i++)
            pr(&p, "    case %lluu:", (unsigned long long)e->members[i].v.mag);
        pr(&p, "        return true;");
        pr(&p, "    default:");
        pr(&p, "        return false;");
        pr(&p, "    }");
        pr(&p, "}");
        pr(&p, "%s", "");
    }
    for (size_t i = 0; i < prog->ngroups; i++) {
        const iface_group *g = &prog->groups[i];
        if (g->file != f->file)
            continue;
        for (size_t v = 0; v < g->n; v++) {
            for (size_t m = 0; m < g->versions[v]->nmethods; m++) {
                if (!g->versions[v]->methods[m].event)
                    emit_stub(a, &p, g, g->versions[v], &g->versions[v]->methods[m]);
            }
            emit_event_dispatch(a, &p, g, g->versions[v]);
        }
        emit_negotiate(a, &p, g);
    }
}
