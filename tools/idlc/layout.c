/* SPDX-License-Identifier: MIT */
/* Wire layout computation (see layout.h and docs/wire-format.md). All sizes
 * are computed in 64 bits and saturate at LAYOUT_WORDS_MAX, so absurd
 * declarations (an array of 65535 structs of 65535-element arrays) are
 * reported, not overflowed. A struct's sizes are computed once, from those
 * of the structs it contains (layout_struct_facts). */
#include "layout.h"

#define SAT_MAX LAYOUT_WORDS_MAX

static uint64_t sat_add(uint64_t a, uint64_t b)
{
    uint64_t s = a + b;
    return s > SAT_MAX ? SAT_MAX : s;
}

static uint64_t sat_mul(uint64_t a, uint64_t b)
{
    if (a != 0 && b > SAT_MAX / a)
        return SAT_MAX;
    return a * b;
}

unsigned scalar_size(const type_ref *t)
{
    switch (t->kind) {
    case TY_INT:
        return int_kind_size(t->ik);
    case TY_BOOL:
        return 1;
    case TY_ENUM:
        return int_kind_size(t->decl->itype.ik);
    default:
        return 0;
    }
}

bool is_scalar_base(const type_ref *t)
{
    return t->kind == TY_INT || t->kind == TY_BOOL || t->kind == TY_ENUM;
}

bool type_is_variable(const type_ref *t)
{
    if (t->optional)
        return true; /* one presence word, then the value or nothing */
    if (t->kind == TY_STRING || t->kind == TY_BYTES)
        return true;
    return t->kind == TY_STRUCT && t->decl->wire_known && t->decl->wire_var;
}

static uint64_t struct_words(const decl *s, bool max)
{
    if (!s->wire_known)
        return SAT_MAX; /* never used: only sound structs are laid out */
    return max ? s->wire_max : s->wire_min;
}

/* Words of one element (no array suffix). */
static uint64_t base_words(const type_ref *t, bool max)
{
    switch (t->kind) {
    case TY_STRING:
    case TY_BYTES:
        return max ? 1 + ((uint64_t)t->bound_v + 7) / 8 : 1;
    case TY_STRUCT:
        return struct_words(t->decl, max);
    case TY_BULK:
        return 2;
    case TY_CAP:
        return 0;
    default:
        return 1;
    }
}

static uint64_t type_words(const type_ref *t, bool max)
{
    if (t->optional) {
        type_ref inner = *t;
        inner.optional = false;
        return max ? sat_add(1, type_words(&inner, true)) : 1;
    }
    if (!t->is_array)
        return base_words(t, max);
    if (is_scalar_base(t))
        return ((uint64_t)t->array_n * scalar_size(t) + 7) / 8;
    return sat_mul(t->array_n, base_words(t, max));
}

/* Walk a list with the packing rules; returns total words. */
static uint64_t walk(const wire_item *items, const field *fields, size_t n, bool max,
                     slot *slots, uint32_t *nsegs, uint32_t *seg_words)
{
    uint64_t total = 0; /* words before the current segment */
    uint64_t word = 0;  /* word within the segment */
    unsigned byte = 0;  /* bytes used in the current word */
    uint32_t seg = 0;
    for (size_t i = 0; i < n; i++) {
        /* Struct bodies are walked straight from their fields. */
        const type_ref *t = fields ? &fields[i].type : items[i].type;
        item_role role = fields ? ROLE_VALUE : items[i].role;
        slot s = {SLOT_NONE, seg, 0, 0, 0, 0};
        if (role == ROLE_BULK_LEN || role == ROLE_BULK_WINDOW) {
            if (byte)
                word++, byte = 0;
            s.kind = SLOT_FIXED;
            s.word = (uint32_t)word;
            s.words = role == ROLE_BULK_LEN ? 1 : 2;
            word += s.words;
        } else if (t->kind == TY_CAP) {
            /* no words */
        } else if (is_scalar_base(t) && !t->is_array && !t->optional) {
            unsigned sz = scalar_size(t);
            byte = (byte + sz - 1) / sz * sz;
            if (byte + sz > 8)
                word++, byte = 0;
            s.kind = SLOT_SCALAR;
            s.word = (uint32_t)word;
            s.shift = byte * 8;
            s.size = sz;
            byte += sz;
        } else {
            if (byte)
                word++, byte = 0;
            s.word = (uint32_t)word;
            if (type_is_variable(t)) {
                s.kind = SLOT_VAR;
                if (seg_words)
                    seg_words[seg] = (uint32_t)word;
                total = sat_add(total, sat_add(word, type_words(t, max)));
                word = 0;
                seg++;
            } else {
                s.kind = SLOT_FIXED;
                uint64_t w = type_words(t, max);
                s.words = w > UINT32_MAX ? UINT32_MAX : (uint32_t)w;
                word = sat_add(word, w);
            }
        }
        if (slots)
            slots[i] = s;
    }
    if (byte)
        word++;
    if (seg_words)
        seg_words[seg] = (uint32_t)(word > UINT32_MAX ? UINT32_MAX : word);
    if (nsegs)
        *nsegs = seg + 1;
    return sat_add(total, word);
}

uint64_t type_max_words(const type_ref *t)
{
    return type_words(t, true);
}

uint64_t type_min_words(const type_ref *t)
{
    return type_words(t, false);
}

/* A union: the tag word, then the payload of one variant (docs/wire-format.md,
 * "Unions"); its length varies with the variant, so it is variable. */
static void union_facts(decl *s)
{
    uint64_t max = 0, min = SAT_MAX;
    for (size_t i = 0; i < s->nfields; i++) {
        uint64_t hi = type_words(&s->fields[i].type, true);
        uint64_t lo = type_words(&s->fields[i].type, false);
        max = hi > max ? hi : max;
        min = lo < min ? lo : min;
    }
    s->wire_var = true;
    s->wire_max = sat_add(1, max);
    s->wire_min = sat_add(1, s->nfields ? min : 0);
    s->wire_known = true;
}

/* A table: the count word, then for each field present an entry word and
 * its value (docs/wire-format.md, packing rule 10). */
static void table_facts(decl *s)
{
    uint64_t max = 1;
    for (size_t i = 0; i < s->nfields; i++)
        max = sat_add(max, sat_add(1, type_words(&s->fields[i].type, true)));
    s->wire_var = true;
    s->wire_max = max;
    s->wire_min = 1;
    s->wire_known = true;
}

void layout_struct_facts(decl *s)
{
    if (s->is_table) {
        table_facts(s);
        return;
    }
    if (s->is_union) {
        union_facts(s);
        return;
    }
    bool var = false;
    for (size_t i = 0; i < s->nfields; i++)
        var |= type_is_variable(&s->fields[i].type);
    s->wire_var = var;
    s->wire_max = walk(NULL, s->fields, s->nfields, true, NULL, NULL, NULL);
    s->wire_min = walk(NULL, s->fields, s->nfields, false, NULL, NULL, NULL);
    s->wire_known = true;
}

void layout_list(arena *a, const wire_item *items, size_t n, list_layout *out)
{
    out->n = n;
    out->slots = arena_alloc(a, (n ? n : 1) * sizeof(slot));
    out->seg_words = arena_alloc(a, (n + 1) * sizeof(uint32_t));
    out->max_words = walk(items, NULL, n, true, out->slots, &out->nsegs, out->seg_words);
    out->min_words = walk(items, NULL, n, false, NULL, NULL, NULL);
    out->fixed = out->nsegs == 1;
}

void layout_struct(arena *a, const decl *s, list_layout *out)
{
    wire_item *items = arena_alloc(a, (s->nfields ? s->nfields : 1) * sizeof *items);
    for (size_t i = 0; i < s->nfields; i++) {
        items[i].type = &s->fields[i].type;
        items[i].role = ROLE_VALUE;
        items[i].name = s->fields[i].name;
    }
    layout_list(a, items, s->nfields, out);
}

void method_items(arena *a, const method *m, bool reply, wire_item **items, size_t *n)
{
    size_t cap = m->nin + m->nout + 1, k = 0;
    wire_item *v = arena_alloc(a, cap * sizeof *v);
    if (!reply) {
        for (size_t i = 0; i < m->nin; i++)
            v[k++] = (wire_item){&m->in[i].type, ROLE_VALUE, m->in[i].name};
        for (size_t i = 0; i < m->nout; i++) {
            if (m->out[i].type.kind == TY_BULK)
                v[k++] = (wire_item){&m->out[i].type, ROLE_BULK_WINDOW, m->out[i].name};
        }
    } else {
        for (size_t i = 0; i < m->nout; i++) {
            item_role r = m->out[i].type.kind == TY_BULK ? ROLE_BULK_LEN : ROLE_VALUE;
            v[k++] = (wire_item){&m->out[i].type, r, m->out[i].name};
        }
    }
    *items = v;
    *n = k;
}
