/* SPDX-License-Identifier: MIT */
/* Checker passes 4 and 5 (see check.h): each interface declaration on its
 * own, then the versions of each interface together: same file, distinct
 * versions, one GUID per interface and the compatibility rules of
 * docs/idl.md ("Versions and compatibility"). */
#include "check.h"

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
        decl *e = check_lookup(c, d->error_name);
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

static bool check_params(checker *c, method *m, field *list, size_t n, bool out)
{
    bool ok = true;
    unsigned caps = 0;
    for (size_t i = 0; i < n; i++) {
        field *f = &list[i];
        if (!check_reserved_member(c, f->name, f->loc))
            ok = false;
        /* In and out parameters share one C prototype: names are unique
         * across both lists. */
        const field *all[2] = {m->in, m->out};
        size_t counts[2] = {out ? m->nin : i, out ? i : 0};
        for (int l = 0; l < 2; l++) {
            for (size_t j = 0; j < counts[l]; j++) {
                if (strcmp(all[l][j].name, f->name) == 0) {
                    diag_error(c->d, IDL33, f->loc, "parameter '%s' declared twice", f->name);
                    ok = false;
                }
            }
        }
        if (!check_resolve_type(c, &f->type, false)) {
            ok = false;
            continue;
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
        if (words > 120) {
            diag_error(c->d, IDL62, m->loc,
                       "%s of '%s' needs up to %llu words, more than the %u a message holds "
                       "(use a bulk buffer for large data)",
                       reply ? "reply" : "request", m->name, (unsigned long long)words, 120u);
            *ok = false;
        }
    }
}

static void check_method(checker *c, decl *d, size_t idx)
{
    method *m = &d->methods[idx];
    bool ok = check_reserved_member(c, m->name, m->loc);
    ival o;
    if (!check_resolve_value(c, &m->ordinal_expr, &o)) {
        ok = false;
    } else if (o.neg || o.mag < 1 || o.mag > 65535) {
        diag_error(c->d, IDL54, m->ordinal_expr.loc, "method ordinal must be in 1..65535");
        ok = false;
    } else {
        m->ordinal = (uint32_t)o.mag;
        for (size_t j = 0; j < idx; j++) {
            if (d->methods[j].ordinal == m->ordinal) {
                diag_error(c->d, IDL53, m->ordinal_expr.loc,
                           "ordinal %u already used by method '%s'", m->ordinal,
                           d->methods[j].name);
                diag_note(c->d, d->methods[j].loc, "'%s' declared here", d->methods[j].name);
                ok = false;
            }
        }
    }
    for (size_t j = 0; j < idx; j++) {
        if (strcmp(d->methods[j].name, m->name) == 0) {
            diag_error(c->d, IDL33, m->loc, "method '%s' declared twice", m->name);
            diag_note(c->d, d->methods[j].loc, "previous declaration is here");
            ok = false;
        }
    }
    if (m->oneway && m->has_reply) {
        diag_error(c->d, IDL56, m->loc, "one-way method '%s' cannot have a reply", m->name);
        ok = false;
    }
    bool pin = check_params(c, m, m->in, m->nin, false);
    bool pout = check_params(c, m, m->out, m->nout, true);
    if (pin && pout)
        check_sizes(c, m, &ok);
    if (!(ok && pin && pout))
        d->ok = false;
}

/* Pass 4. */
void check_interfaces(checker *c)
{
    for (size_t f = 0; f < c->prog->nfiles; f++) {
        ast_file *af = &c->prog->files[f];
        for (size_t i = 0; i < af->ndecls; i++) {
            decl *d = af->decls[i];
            if (d->kind != D_INTERFACE)
                continue;
            if (!check_attributes(c, d))
                d->ok = false;
            if (d->nmethods == 0) {
                diag_error(c->d, IDL43, d->loc, "interface '%s' has no methods", d->name);
                d->ok = false;
            }
            for (size_t m = 0; m < d->nmethods && !diag_saturated(c->d); m++)
                check_method(c, d, m);
        }
    }
}

bool types_equal(const type_ref *a, const type_ref *b)
{
    if (a->kind != b->kind || a->is_array != b->is_array)
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
    default:
        return true;
    }
}

static bool lists_equal(const field *a, size_t na, const field *b, size_t nb)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++) {
        if (!types_equal(&a[i].type, &b[i].type))
            return false;
    }
    return true;
}

/* Version `later` must keep every method of `earlier` unchanged on the wire. */
static void check_compat(checker *c, const decl *earlier, const decl *later)
{
    for (size_t i = 0; i < earlier->nmethods; i++) {
        const method *em = &earlier->methods[i];
        const method *lm = NULL;
        for (size_t j = 0; j < later->nmethods; j++) {
            if (later->methods[j].ordinal == em->ordinal)
                lm = &later->methods[j];
        }
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
        if (lm->oneway != em->oneway) {
            diag_error(c->d, IDL83, lm->loc, "method '%s' is %s in version %u", lm->name,
                       em->oneway ? "one-way" : "two-way", earlier->version);
            continue;
        }
        if (!lists_equal(em->in, em->nin, lm->in, lm->nin) ||
            !lists_equal(em->out, em->nout, lm->out, lm->nout)) {
            diag_error(c->d, IDL82, lm->loc,
                       "parameters of '%s' differ from version %u (types, order and count "
                       "must stay the same)",
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

/* Pass 5. */
void check_versions(checker *c)
{
    program *p = c->prog;
    for (size_t f = 0; f < p->nfiles; f++) {
        for (size_t i = 0; i < p->files[f].ndecls; i++) {
            decl *d = p->files[f].decls[i];
            if (d->kind != D_INTERFACE)
                continue;
            iface_group *g = NULL;
            for (size_t k = 0; k < p->ngroups; k++) {
                if (strcmp(p->groups[k].name, d->name) == 0)
                    g = &p->groups[k];
            }
            if (g == NULL) {
                g = VEC_PUSH(c->a, p->groups, p->ngroups, p->groups_cap);
                g->name = d->name;
                g->file = d->file;
            }
            decl *first = g->n ? g->versions[0] : NULL;
            if (first && first->file != d->file) {
                diag_error(c->d, IDL22, d->loc,
                           "all versions of interface '%s' must be declared in one file",
                           d->name);
                diag_note(c->d, first->loc, "another version is declared here");
                d->ok = false;
                continue;
            }
            bool dup = false;
            for (size_t k = 0; k < g->n; k++) {
                decl *o = g->versions[k];
                if (d->has_version && o->has_version && o->version == d->version &&
                    d->version != 0) {
                    diag_error(c->d, IDL59, d->version_expr.loc,
                               "version %u of interface '%s' declared twice", d->version,
                               d->name);
                    diag_note(c->d, o->loc, "previous declaration is here");
                    dup = true;
                }
            }
            if (first && d->has_guid && first->has_guid &&
                (first->guid_hi != d->guid_hi || first->guid_lo != d->guid_lo)) {
                diag_error(c->d, IDL71, d->guid_loc,
                           "version %u of '%s' has a different GUID from version %u",
                           d->version, d->name, first->version);
                diag_note(c->d, first->guid_loc, "version %u's GUID is here", first->version);
                d->ok = false;
            }
            if (dup) {
                d->ok = false;
                continue;
            }
            /* Insert sorted by version. */
            decl **slot = VEC_PUSH(c->a, g->versions, g->n, g->cap);
            size_t k = (size_t)(slot - g->versions);
            while (k > 0 && g->versions[k - 1]->version > d->version) {
                g->versions[k] = g->versions[k - 1];
                k--;
            }
            g->versions[k] = d;
        }
    }
    /* One GUID, one interface. */
    for (size_t a = 0; a < p->ngroups; a++) {
        for (size_t b = a + 1; b < p->ngroups; b++) {
            decl *x = p->groups[a].versions[0], *y = p->groups[b].versions[0];
            if (x->has_guid && y->has_guid && x->guid_hi == y->guid_hi &&
                x->guid_lo == y->guid_lo) {
                diag_error(c->d, IDL70, y->guid_loc, "interface '%s' reuses the GUID of '%s'",
                           y->name, x->name);
                diag_note(c->d, x->guid_loc, "'%s' uses it here", x->name);
                y->ok = false;
            }
        }
    }
    for (size_t k = 0; k < p->ngroups; k++) {
        iface_group *g = &p->groups[k];
        for (size_t v = 1; v < g->n; v++) {
            if (g->versions[v - 1]->ok && g->versions[v]->ok)
                check_compat(c, g->versions[v - 1], g->versions[v]);
        }
    }
}
