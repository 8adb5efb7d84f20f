/* SPDX-License-Identifier: MIT */
/* Checker passes 4 and 5 (see check.h): each interface declaration on its
 * own, then the versions of each interface together: same file, distinct
 * versions, one GUID per interface and the compatibility rules of
 * docs/idl.md ("Versions and compatibility"). */
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"

/* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx": hi = first 16 hex digits, lo =
 * the last 16, as docs/wire-format.md fixes. */
static bool parse_guid(const char *s, uint64_t *hi, uint64_t *lo)
{
    static const unsigned groups[] = {8, 4, 4, 4, 12};
    uint64_t v[2] = {0, 0};
    unsigned digit = 0;
    for (unsigned g = 0; g < 5; g++) {
        if (g > 0 && *s++ != '-')
            return false;
        for (unsigned i = 0; i < groups[g]; i++, s++, digit++) {
            char ch = *s;
            unsigned x;
            if (ch >= '0' && ch <= '9')
                x = (unsigned)(ch - '0');
            else if (ch >= 'a' && ch <= 'f')
                x = (unsigned)(ch - 'a' + 10);
            else if (ch >= 'A' && ch <= 'F')
                x = (unsigned)(ch - 'A' + 10);
            else
                return false;
            v[digit / 16] = (v[digit / 16] << 4) | x;
        }
    }
    if (*s != '\0')
        return false;
    *hi = v[0];
    *lo = v[1];
    return true;
}

static bool check_attributes(checker *c, decl *d)
{
    bool ok = true;
    if (!d->has_guid || !d->has_version) {
        diag_error(c->d, IDL50, d->loc, "interface '%s' needs %s", d->name,
                   !d->has_guid && !d->has_version ? "'guid = \"...\";' and 'version = N;'"
                   : !d->has_guid                  ? "a 'guid = \"...\";' attribute"
                                                   : "a 'version = N;' attribute");
        ok = false;
    }
    if (d->has_guid && !parse_guid(d->guid_text, &d->guid_hi, &d->guid_lo)) {
        diag_error(c->d, IDL51, d->guid_loc,
                   "malformed GUID (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx in hex)");
        d->has_guid = false; /* no value to compare with other interfaces */
        ok = false;
    }
    if (d->has_version) {
        ival v;
        if (!check_resolve_value(c, &d->version_expr, &v)) {
            ok = false;
        } else if (v.neg || v.mag < 1 || v.mag > 65535) {
            diag_error(c->d, IDL52, d->version_expr.loc,
                       "interface version must be in 1..65535");
            ok = false;
        } else {
            d->version = (uint32_t)v.mag;
        }
    }
    if (d->has_error) {
        decl *e = check_lookup(c, d->error_name, d->lib);
        if (e == NULL) {
            diag_error(c->d, IDL31, d->error_loc, "unknown enum '%s'", d->error_name);
            ok = false;
        } else if (e->kind != D_ENUM) {
            diag_error(c->d, IDL57, d->error_loc, "error type '%s' is not an enum", e->name);
            ok = false;
        } else if (!e->ok) {
            ok = false;
        } else {
            for (size_t i = 0; i < e->nmembers; i++) {
                if (e->members[i].v.neg || e->members[i].v.mag < 1 ||
                    e->members[i].v.mag > 0xffff) {
                    diag_error(c->d, IDL57, d->error_loc,
                               "error enum '%s' has value outside 1..65535 ('%s')", e->name,
                               e->members[i].name);
                    diag_note(c->d, e->members[i].loc, "'%s' declared here",
                              e->members[i].name);
                    ok = false;
                    break;
                }
            }
            d->error_enum = e;
        }
    }
    return ok;
}

/* `names` holds the method's parameter names so far: in and out
 * parameters share one C prototype, so names are unique across both lists. */
static bool check_params(checker *c, field *list, size_t n, bool out, hmap *names)
{
    bool ok = true;
    unsigned caps = 0;
    for (size_t i = 0; i < n; i++) {
        field *f = &list[i];
        if (!check_reserved_member(c, f->name, f->loc))
            ok = false;
        if (hmap_put_str(names, f->name, f) != f) {
            diag_error(c->d, IDL33, f->loc, "parameter '%s' declared twice", f->name);
            ok = false;
        }
        if (!check_resolve_type(c, &f->type, false)) {
            ok = false;
            continue;
        }
        if (out && f->type.optional) {
            diag_error(c->d, IDL68, f->type.loc,
                       "an out-parameter cannot be optional (return a struct with an optional "
                       "field)");
            ok = false;
        }
        if ((f->type.kind == TY_STRUCT || f->type.kind == TY_ENUM) && !f->type.decl->ok)
            ok = false;
        if (f->type.kind == TY_CAP && ++caps == 5)
            diag_error(c->d, IDL61, f->loc, "more than %u capabilities in one %s", 4u,
                       out ? "reply" : "request");
    }
    return ok && caps <= 4;
}

static void check_sizes(checker *c, method *m, bool *ok)
{
    for (int reply = 0; reply < 2; reply++) {
        wire_item *items;
        size_t n;
        list_layout l;
        method_items(c->a, m, reply, &items, &n);
        layout_list(c->a, items, n, &l);
        uint64_t words = l.max_words + (reply ? 0 : 2);
        if (words > LAYOUT_MESSAGE_WORDS) {
            char buf[48];
            if (words >= LAYOUT_WORDS_MAX)
                snprintf(buf, sizeof buf, "more than %llu", (unsigned long long)LAYOUT_WORDS_MAX);
            else
                snprintf(buf, sizeof buf, "up to %llu", (unsigned long long)words);
            diag_error(c->d, IDL62, m->loc,
                       "%s of '%s' needs %s words, more than the %u a message holds "
                       "(use a bulk buffer for large data)",
                       reply ? "reply" : "request", m->name, buf, LAYOUT_MESSAGE_WORDS);
            *ok = false;
        }
    }
}

/* An event travels in one slot of the subscriber's message queue: 14
 * words, the GUID and the count of events lost before it included, and no
 * capabilities. */
static void check_event(checker *c, method *m, bool *ok)
{
    for (size_t i = 0; i < m->nin; i++) {
        if (m->in[i].type.kind == TY_CAP || m->in[i].type.kind == TY_BULK) {
            diag_error(c->d, IDL66, m->in[i].loc,
                       "event '%s' cannot carry %s (a message queue holds words only)",
                       m->name, m->in[i].type.kind == TY_CAP ? "a capability" : "a bulk buffer");
            *ok = false;
            return;
        }
    }
    wire_item *items;
    size_t n;
    list_layout l;
    method_items(c->a, m, false, &items, &n);
    layout_list(c->a, items, n, &l);
    uint64_t words = l.max_words + LAYOUT_EVENT_HEADER_WORDS;
    if (words > LAYOUT_EVENT_WORDS) {
        diag_error(c->d, IDL66, m->loc,
                   "event '%s' needs up to %llu words, more than the %u of a message queue slot "
                   "(%u after the GUID and the lost count)",
                   m->name, (unsigned long long)(words < LAYOUT_WORDS_MAX ? words : LAYOUT_WORDS_MAX),
                   LAYOUT_EVENT_WORDS, LAYOUT_EVENT_WORDS - LAYOUT_EVENT_HEADER_WORDS);
        *ok = false;
    }
}

/* The interface's methods so far, by ordinal and by name. */
typedef struct method_index {
    hmap ordinals, names;
} method_index;

static void check_method(checker *c, decl *d, method *m, method_index *ix)
{
    bool ok = check_reserved_member(c, m->name, m->loc);
    ival o;
    if (!check_resolve_value(c, &m->ordinal_expr, &o)) {
        ok = false;
    } else if (o.neg || o.mag < 1 || o.mag > 65535) {
        diag_error(c->d, IDL54, m->ordinal_expr.loc, "method ordinal must be in 1..65535");
        ok = false;
    } else {
        m->ordinal = (uint32_t)o.mag;
        method *prev = hmap_put_u64(&ix->ordinals, m->ordinal, m);
        if (prev != m) {
            diag_error(c->d, IDL53, m->ordinal_expr.loc, "ordinal %u already used by method '%s'",
                       m->ordinal, prev->name);
            diag_note(c->d, prev->loc, "'%s' declared here", prev->name);
            ok = false;
        }
    }
    method *prev = hmap_put_str(&ix->names, m->name, m);
    if (prev != m) {
        diag_error(c->d, IDL33, m->loc, "method '%s' declared twice", m->name);
        diag_note(c->d, prev->loc, "previous declaration is here");
        ok = false;
    }
    if (m->oneway && m->has_reply) {
        diag_error(c->d, IDL56, m->loc, "one-way method '%s' cannot have a reply", m->name);
        ok = false;
    }
    if (m->deferred && m->oneway) {
        diag_error(c->d, IDL65, m->deferred_loc,
                   "one-way method '%s' has no reply to defer", m->name);
        ok = false;
    }
    for (size_t i = 0; m->deferred && i < m->nout; i++) {
        if (m->out[i].type.kind == TY_BULK) {
            /* The window lives in the caller's region, known only while the
             * request is dispatched. */
            diag_error(c->d, IDL65, m->out[i].loc,
                       "deferred method '%s' cannot have an out bulk buffer", m->name);
            ok = false;
        }
    }
    if (m->event && (m->has_reply || m->oneway)) {
        diag_error(c->d, IDL66, m->event_loc, "event '%s' cannot %s", m->name,
                   m->has_reply ? "have a reply" : "be marked one-way (events always are)");
        ok = false;
    }
    hmap params;
    hmap_init(&params, c->a);
    bool pin = check_params(c, m->in, m->nin, false, &params);
    bool pout = check_params(c, m->out, m->nout, true, &params);
    if (pin && pout && m->event)
        check_event(c, m, &ok);
    else if (pin && pout)
        check_sizes(c, m, &ok);
    if (!(ok && pin && pout))
        d->ok = false;
}

/* Pass 4. */
void check_interfaces(checker *c)
{
    for (size_t i = 0; i < c->prog->ndecls && !diag_saturated(c->d); i++) {
        decl *d = c->prog->decls[i];
        if (d->kind != D_INTERFACE)
            continue;
        if (!check_attributes(c, d))
            d->ok = false;
        if (d->nmethods == 0) {
            diag_error(c->d, IDL43, d->loc, "interface '%s' has no methods", d->name);
            d->ok = false;
        }
        method_index ix;
        hmap_init(&ix.ordinals, c->a);
        hmap_init(&ix.names, c->a);
        for (size_t m = 0; m < d->nmethods; m++)
            check_method(c, d, &d->methods[m], &ix);
    }
}

bool types_equal(const type_ref *a, const type_ref *b)
{
    /* "T?" adds a presence word on the wire: not the same type as T. */
    if (a->kind != b->kind || a->is_array != b->is_array || a->optional != b->optional)
        return false;
    if (a->is_array && a->array_n != b->array_n)
        return false;
    switch (a->kind) {
    case TY_INT:
        return a->ik == b->ik;
    case TY_ENUM:
    case TY_STRUCT:
        return a->decl == b->decl;
    case TY_STRING:
    case TY_BYTES:
        return a->bound_v == b->bound_v;
    case TY_CAP:
        return a->is_client == b->is_client && a->cap_kind == b->cap_kind &&
               a->cap_rights == b->cap_rights && a->cap_send == b->cap_send &&
               a->decl == b->decl && a->vlo == b->vlo && a->vhi == b->vhi;
    default:
        return true;
    }
}

/* Parameters keep their wire types; capabilities may change as
 * cap_change_ok allows (they take no words). */
static bool lists_compatible(const field *a, size_t na, const field *b, size_t nb, bool in)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++) {
        const type_ref *x = &a[i].type, *y = &b[i].type;
        if (x->kind == TY_CAP && y->kind == TY_CAP ? !cap_change_ok(x, y, in)
                                                   : !types_equal(x, y))
            return false;
    }
    return true;
}

/* Version `later` must keep every method of `earlier` unchanged on the wire. */
static void check_compat(checker *c, const decl *earlier, const decl *later)
{
    hmap by_ordinal;
    hmap_init(&by_ordinal, c->a);
    for (size_t j = 0; j < later->nmethods; j++)
        hmap_put_u64(&by_ordinal, later->methods[j].ordinal, &later->methods[j]);
    for (size_t i = 0; i < earlier->nmethods; i++) {
        const method *em = &earlier->methods[i];
        const method *lm = hmap_get_u64(&by_ordinal, em->ordinal);
        if (lm == NULL) {
            diag_error(c->d, IDL80, later->loc,
                       "version %u of '%s' removes method '%s' (ordinal %u) of version %u",
                       later->version, later->name, em->name, em->ordinal, earlier->version);
            diag_note(c->d, em->loc, "'%s' declared here", em->name);
            continue;
        }
        if (strcmp(lm->name, em->name) != 0) {
            diag_error(c->d, IDL81, lm->loc,
                       "ordinal %u is '%s' in version %u but '%s' in version %u", em->ordinal,
                       em->name, earlier->version, lm->name, later->version);
            continue;
        }
        if (lm->event != em->event) {
            diag_error(c->d, IDL83, lm->loc, "'%s' is %s in version %u", lm->name,
                       em->event ? "an event" : "a method", earlier->version);
            continue;
        }
        if (lm->oneway != em->oneway) {
            diag_error(c->d, IDL83, lm->loc, "method '%s' is %s in version %u", lm->name,
                       em->oneway ? "one-way" : "two-way", earlier->version);
            continue;
        }
        if (!lists_compatible(em->in, em->nin, lm->in, lm->nin, true) ||
            !lists_compatible(em->out, em->nout, lm->out, lm->nout, false)) {
            diag_error(c->d, IDL82, lm->loc,
                       "parameters of '%s' differ from version %u (types, order and count "
                       "must stay the same; a capability may only accept more as an "
                       "in-parameter, or promise more as an out-parameter)",
                       lm->name, earlier->version);
            diag_note(c->d, em->loc, "version %u declares it here", earlier->version);
        }
    }
    if (earlier->error_enum != later->error_enum) {
        diag_error(c->d, IDL84, later->has_error ? later->error_loc : later->loc,
                   "error type of '%s' version %u differs from version %u", later->name,
                   later->version, earlier->version);
    }
}

static int version_cmp(const void *pa, const void *pb)
{
    const decl *a = *(decl *const *)pa, *b = *(decl *const *)pb;
    return a->version < b->version ? -1 : a->version > b->version;
}

/* Pass 5, first step: gather the declarations of each interface into a
 * group, sorted by version. A version declared in another file than the
 * first (IDL0022) or a second time (IDL0059) stays out of the group; one
 * with another GUID than the first (IDL0071) is kept but not sound. */
static void group_versions(checker *c)
{
    program *p = c->prog;
    hmap groups;   /* name -> group index + 1 */
    hmap versions; /* (group index, version) -> decl */
    hmap_init(&groups, c->a);
    hmap_init(&versions, c->a);
    for (size_t i = 0; i < p->ndecls; i++) {
        decl *d = p->decls[i];
        if (d->kind != D_INTERFACE)
            continue;
        const char *key = check_key(c, d);
        size_t gi = (size_t)(uintptr_t)hmap_put_str(&groups, key,
                                                    (void *)(uintptr_t)(p->ngroups + 1)) - 1;
        if (gi == p->ngroups) {
            iface_group *ng = VEC_PUSH(c->a, p->groups, p->ngroups, p->groups_cap);
            ng->name = d->name;
            ng->file = d->file;
        }
        hmap_put_str(&c->groups, key, (void *)(uintptr_t)(gi + 1));
        iface_group *g = &p->groups[gi];
        decl *first = g->n ? g->versions[0] : NULL;
        if (first && first->file != d->file) {
            diag_error(c->d, IDL22, d->loc,
                       "all versions of interface '%s' must be declared in one file", d->name);
            diag_note(c->d, first->loc, "another version is declared here");
            d->ok = false;
            continue;
        }
        if (first && d->has_guid && first->has_guid &&
            (first->guid_hi != d->guid_hi || first->guid_lo != d->guid_lo)) {
            diag_error(c->d, IDL71, d->guid_loc,
                       "version %u of '%s' has a different GUID from version %u", d->version,
                       d->name, first->version);
            diag_note(c->d, first->guid_loc, "version %u's GUID is here", first->version);
            d->ok = false;
        }
        if (d->has_version && d->version != 0) {
            decl *o = hmap_put_u64(&versions, (uint64_t)gi << 32 | d->version, d);
            if (o != d) {
                diag_error(c->d, IDL59, d->version_expr.loc,
                           "version %u of interface '%s' declared twice", d->version, d->name);
                diag_note(c->d, o->loc, "previous declaration is here");
                d->ok = false;
                continue;
            }
        }
        *VEC_PUSH(c->a, g->versions, g->n, g->cap) = d;
    }
    for (size_t k = 0; k < p->ngroups; k++)
        qsort(p->groups[k].versions, p->groups[k].n, sizeof(decl *), version_cmp);
}

/* Pass 5, second step: no two interfaces share a GUID (IDL0070). */
static void check_guid_reuse(checker *c)
{
    program *p = c->prog;
    hmap by_guid;
    hmap_init(&by_guid, c->a);
    for (size_t k = 0; k < p->ngroups; k++) {
        decl *y = p->groups[k].versions[0];
        if (!y->has_guid)
            continue;
        uint64_t key[2] = {y->guid_hi, y->guid_lo};
        decl *x = hmap_put(&by_guid, key, sizeof key, y);
        if (x != y) {
            diag_error(c->d, IDL70, y->guid_loc, "interface '%s' reuses the GUID of '%s'",
                       y->name, x->name);
            diag_note(c->d, x->guid_loc, "'%s' uses it here", x->name);
            y->ok = false;
        }
    }
}

/* Pass 5, third step: each version keeps what the one before it had. */
static void check_history(checker *c)
{
    program *p = c->prog;
    for (size_t k = 0; k < p->ngroups; k++) {
        iface_group *g = &p->groups[k];
        for (size_t v = 1; v < g->n; v++) {
            if (g->versions[v - 1]->ok && g->versions[v]->ok)
                check_compat(c, g->versions[v - 1], g->versions[v]);
        }
    }
}

const iface_group *check_group_of(checker *c, const decl *iface)
{
    size_t gi = (size_t)(uintptr_t)hmap_get_str(&c->groups, check_key(c, iface));
    return gi ? &c->prog->groups[gi - 1] : NULL;
}

/* Pass 5. */
void check_versions(checker *c)
{
    group_versions(c);
    check_guid_reuse(c);
    check_client_ranges(c);
    check_history(c);
}
