/* SPDX-License-Identifier: MIT */
/* Typed capabilities (docs/idl.md, "Capabilities"): resolving cap<kind,
 * right...> and client<iface, lo..hi> into what the generated code checks
 * on receipt and keeps when sending, and the rule for changing them between
 * versions. Part of checker pass 2 (kinds and rights), with the client
 * version ranges checked in pass 5 once every interface's versions are
 * known. */
#include "check.h"

#include <string.h>

#include "layout.h"

/* The kinds a cap<...> may name, by their IDL spelling; the index is the
 * resolved type_ref.cap_kind, and the emitters print the C name. */
static const struct {
    const char *idl, *c;
} kinds[] = {
    [CAPK_ANY] = {"any", "IDL_CAP_ANY"},
    [CAPK_ENDPOINT] = {"endpoint", "IDL_CAP_ENDPOINT"},
    [CAPK_NOTIFICATION] = {"notification", "IDL_CAP_NOTIFICATION"},
    [CAPK_FRAME] = {"frame", "IDL_CAP_FRAME"},
    [CAPK_MSG_QUEUE] = {"msg_queue", "IDL_CAP_MSG_QUEUE"},
    [CAPK_REPLY] = {"reply", "IDL_CAP_REPLY"},
    [CAPK_UNTYPED] = {"untyped", "IDL_CAP_UNTYPED"},
    [CAPK_CNODE] = {"cnode", "IDL_CAP_CNODE"},
    [CAPK_TCB] = {"tcb", "IDL_CAP_TCB"},
    [CAPK_VSPACE] = {"vspace", "IDL_CAP_VSPACE"},
    [CAPK_PAGE_TABLE] = {"page_table", "IDL_CAP_PAGE_TABLE"},
    [CAPK_IRQ_HANDLER] = {"irq_handler", "IDL_CAP_IRQ_HANDLER"},
};

static const struct {
    const char *idl, *c;
    uint32_t bit;
} rights[] = {
    {"read", "TSR_RIGHT_READ", CAPR_READ},
    {"write", "TSR_RIGHT_WRITE", CAPR_WRITE},
    {"grant", "TSR_RIGHT_GRANT", CAPR_GRANT},
    {"grant_reply", "TSR_RIGHT_GRANT_REPLY", CAPR_GRANT_REPLY},
};

const char *cap_kind_idl(uint32_t kind)
{
    return kinds[kind].idl;
}

const char *cap_kind_c(uint32_t kind)
{
    return kinds[kind].c;
}

void cap_rights_c(strbuf *sb, uint32_t bits)
{
    size_t start = sb->len;
    for (size_t i = 0; i < sizeof rights / sizeof rights[0]; i++) {
        if (bits & rights[i].bit)
            sb_printf(sb, "%s%s", sb->len > start ? " | " : "", rights[i].c);
    }
    if (sb->len == start)
        sb_puts(sb, "0u");
}

void cap_rights_idl(strbuf *sb, uint32_t bits)
{
    for (size_t i = 0; i < sizeof rights / sizeof rights[0]; i++) {
        if (bits & rights[i].bit)
            sb_printf(sb, ", %s", rights[i].idl);
    }
}

/* cap<kind, right...>: the receiver requires the kind and the rights; the
 * sender sends exactly those rights when any are named. */
static bool resolve_cap(checker *c, type_ref *t)
{
    const type_word *k = &t->words[0];
    size_t ki = 0;
    while (ki < sizeof kinds / sizeof kinds[0] && strcmp(kinds[ki].idl, k->name) != 0)
        ki++;
    if (ki == sizeof kinds / sizeof kinds[0]) {
        diag_error(c->d, IDL45,
                   k->loc, "unknown capability kind '%s' (expected any, endpoint, notification, "
                           "frame, msg_queue, reply, untyped, cnode, tcb, vspace, page_table or "
                           "irq_handler)",
                   k->name);
        return false;
    }
    t->cap_kind = (uint32_t)ki;
    for (size_t i = 1; i < t->nwords; i++) {
        const type_word *w = &t->words[i];
        size_t ri = 0;
        while (ri < sizeof rights / sizeof rights[0] && strcmp(rights[ri].idl, w->name) != 0)
            ri++;
        if (ri == sizeof rights / sizeof rights[0]) {
            diag_error(c->d, IDL45, w->loc,
                       "unknown capability right '%s' (expected read, write, grant or "
                       "grant_reply)",
                       w->name);
            return false;
        }
        if (t->cap_rights & rights[ri].bit) {
            diag_error(c->d, IDL45, w->loc, "right '%s' named twice", w->name);
            return false;
        }
        t->cap_rights |= rights[ri].bit;
    }
    t->cap_send = t->nwords > 1 ? t->cap_rights : CAPR_ALL;
    return true;
}

/* client<iface, lo..hi>: an endpoint the receiver may call (WRITE); the
 * sender gives it up without READ, so no client can receive on a server's
 * endpoint. The version range is checked once versions are known
 * (check_client_ranges). */
static bool resolve_client(checker *c, type_ref *t)
{
    const type_word *w = &t->words[0];
    decl *d = check_lookup(c, w->name, t->lib);
    if (d == NULL) {
        diag_error(c->d, IDL31, w->loc, "unknown interface '%s'", w->name);
        return false;
    }
    if (d->kind != D_INTERFACE) {
        diag_error(c->d, IDL32, w->loc, "'%s' is a %s, not an interface", w->name,
                   check_kind_name(d->kind));
        return false;
    }
    t->decl = d;
    t->cap_kind = CAPK_ENDPOINT;
    t->cap_rights = CAPR_WRITE;
    t->cap_send = CAPR_WRITE | CAPR_GRANT | CAPR_GRANT_REPLY;
    t->vlo = 1;
    t->vhi = 65535;
    bool ok = true;
    ival v;
    if (t->has_range && check_resolve_value(c, &t->lo, &v)) {
        if (v.neg || v.mag < 1 || v.mag > 65535) {
            diag_error(c->d, IDL46, t->lo.loc, "client version must be in 1..65535");
            ok = false;
        }
        t->vlo = (uint32_t)v.mag;
    } else if (t->has_range) {
        ok = false;
    }
    if (t->has_hi && check_resolve_value(c, &t->hi, &v)) {
        if (v.neg || v.mag < 1 || v.mag > 65535) {
            diag_error(c->d, IDL46, t->hi.loc, "client version must be in 1..65535");
            ok = false;
        }
        t->vhi = (uint32_t)v.mag;
    } else if (t->has_hi) {
        ok = false;
    }
    if (ok) /* a bad bound says enough */
        *VEC_PUSH(c->a, c->clients, c->nclients, c->clients_cap) = t;
    return ok;
}

bool check_resolve_cap(checker *c, type_ref *t)
{
    if (t->nwords == 0) { /* plain cap: any capability, sent as held */
        t->cap_send = CAPR_ALL;
        return true;
    }
    return t->is_client ? resolve_client(c, t) : resolve_cap(c, t);
}

/* Pass 5: a client<iface, lo..hi> must accept at least one version the
 * interface declares. */
void check_client_ranges(checker *c)
{
    for (size_t i = 0; i < c->nclients; i++) {
        const type_ref *t = c->clients[i];
        const iface_group *g = check_group_of(c, t->decl);
        bool any = false;
        for (size_t v = 0; g != NULL && v < g->n && !any; v++)
            any = g->versions[v]->version >= t->vlo && g->versions[v]->version <= t->vhi;
        if (g != NULL && !any)
            diag_error(c->d, IDL46, t->loc,
                       "no version of interface '%s' is in the range %u..%u", t->decl->name,
                       t->vlo, t->vhi);
    }
}

/* May a kept method's capability parameter change from `a` (the earlier
 * version or revision) to `b`? The receiver checks, the sender restricts:
 * an in-parameter may accept more (any kind instead of one, fewer required
 * rights, a wider version range), an out-parameter may promise more. The
 * sender's kept rights must cover the receiver's in both. */
bool cap_change_ok(const type_ref *a, const type_ref *b, bool in)
{
    if (a->is_client != b->is_client)
        return false;
    const type_ref *weak = in ? b : a, *strong = in ? a : b;
    if (a->is_client)
        return a->decl == b->decl && weak->vlo <= strong->vlo && weak->vhi >= strong->vhi;
    bool kind_ok = weak->cap_kind == CAPK_ANY || weak->cap_kind == strong->cap_kind;
    bool rights_ok = (weak->cap_rights & ~strong->cap_rights) == 0;
    return kind_ok && rights_ok;
}
