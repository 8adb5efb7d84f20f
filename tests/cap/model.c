/* SPDX-License-Identifier: MIT */
/* The model's state (model.h): tree of nodes, objects and their slots, and
 * the comparison with the real state. The operations are in model_ops.c. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "model_internal.h"

/* ---- tree --------------------------------------------------------------- */

int mnode_new(struct model *m)
{
    for (int i = 0; i < MODEL_MAX_NODES; i++) {
        if (!m->n[i].used) {
            memset(&m->n[i], 0, sizeof m->n[i]);
            m->n[i].used = true;
            m->n[i].parent = m->n[i].first = m->n[i].last = -1;
            m->n[i].prev = m->n[i].next = -1;
            return i;
        }
    }
    m->overflow = true;
    return -1;
}

/* Link child c into p's children after sibling `after` (-1: as first). */
static void link_child(struct model *m, int p, int after, int c)
{
    struct mnode *P = &m->n[p], *C = &m->n[c];
    C->parent = p;
    C->prev = after;
    C->next = after < 0 ? P->first : m->n[after].next;
    if (C->next >= 0)
        m->n[C->next].prev = c;
    else
        P->last = c;
    if (after >= 0)
        m->n[after].next = c;
    else
        P->first = c;
}

void mtree_first_child(struct model *m, int p, int c)
{
    link_child(m, p, -1, c);
}

void mtree_after(struct model *m, int s, int c)
{
    link_child(m, m->n[s].parent, s, c);
}

void mtree_new_root(struct model *m, int c)
{
    int v = mnode_new(m);
    if (v < 0)
        return;
    m->n[v].virt = true;
    link_child(m, v, -1, c);
}

/* Take node c out of the tree; its children take its place, in order. */
void mtree_remove(struct model *m, int c)
{
    struct mnode *C = &m->n[c];
    int p = C->parent, after = C->prev;
    for (int k = C->first; k >= 0;) {
        int nk = m->n[k].next;
        link_child(m, p, after, k);
        after = k;
        k = nk;
    }
    /* Unlink c itself: its children now sit just before it. */
    struct mnode *P = &m->n[p];
    int before = C->prev, behind = C->next;
    if (before >= 0)
        m->n[before].next = behind;
    else
        P->first = behind;
    if (behind >= 0)
        m->n[behind].prev = before;
    else
        P->last = before;
    memset(C, 0, sizeof *C);
    C->parent = C->first = C->last = C->prev = C->next = -1;
}

/* ---- objects and slots ------------------------------------------------ */

int mobj_add(struct model *m, uint8_t type, paddr_t pa, unsigned bits, bool boot)
{
    for (int i = 0; i < MODEL_MAX_OBJECTS; i++) {
        struct mobj *o = &m->o[i];
        if (o->used)
            continue;
        memset(o, 0, sizeof *o);
        o->used = o->alive = true;
        o->boot = boot;
        o->type = type;
        o->pa = pa;
        o->bits = bits;
        if (type == CAP_CNODE)
            o->nslots = 1u << (bits - TSR_SLOT_BITS);
        else if (type == CAP_TCB)
            o->nslots = MOCK_TCB_SLOTS;
        if (o->nslots) {
            o->slots = (struct cte *)(uintptr_t)pa;
            o->node = malloc(o->nslots * sizeof *o->node);
            for (unsigned k = 0; k < o->nslots; k++)
                o->node[k] = -1;
        }
        return i;
    }
    m->overflow = true;
    return -1;
}

int mobj_find(struct model *m, uint8_t type, paddr_t pa)
{
    for (int i = 0; i < MODEL_MAX_OBJECTS; i++) {
        struct mobj *o = &m->o[i];
        if (o->used && o->alive && o->type == type && o->pa == pa)
            return i;
    }
    return -1;
}

void mobj_release(struct model *m, int i)
{
    free(m->o[i].node);
    memset(&m->o[i], 0, sizeof m->o[i]);
}

/* Where the node index of a slot is kept, or NULL for an unknown slot. */
int *mslot_ref(struct model *m, struct cte *slot)
{
    for (int i = 0; i < WORLD_BOOT_SLOTS; i++) {
        if (slot == &m->w->boot[i])
            return &m->boot_node[i];
    }
    uintptr_t p = (uintptr_t)slot;
    for (int i = 0; i < MODEL_MAX_OBJECTS; i++) {
        struct mobj *o = &m->o[i];
        if (!o->used || !o->alive || !o->nslots)
            continue;
        uintptr_t b = (uintptr_t)o->slots;
        if (p >= b && p < b + o->nslots * sizeof(struct cte) && (p - b) % sizeof(struct cte) == 0)
            return &o->node[(p - b) / sizeof(struct cte)];
    }
    return NULL;
}

int model_node_at(struct model *m, struct cte *slot)
{
    int *r = mslot_ref(m, slot);
    return r ? *r : -1;
}

bool model_slot_known(struct model *m, struct cte *slot)
{
    return mslot_ref(m, slot) != NULL;
}

size_t model_slots(struct model *m, struct cte **out, size_t max)
{
    size_t k = 0;
    for (int i = 0; i < WORLD_BOOT_SLOTS && k < max; i++)
        out[k++] = &m->w->boot[i];
    for (int i = 0; i < MODEL_MAX_OBJECTS; i++) {
        struct mobj *o = &m->o[i];
        if (!o->used || !o->alive)
            continue;
        for (unsigned j = 0; j < o->nslots && k < max; j++)
            out[k++] = &o->slots[j];
    }
    return k;
}

/* Put node c into slot (both directions). */
void mslot_set(struct model *m, struct cte *slot, int c)
{
    int *r = mslot_ref(m, slot);
    if (!r) {
        m->overflow = true;
        return;
    }
    *r = c;
    if (c >= 0)
        m->n[c].slot = slot;
}

/* ---- the boot state ------------------------------------------------------ */

static void add_boot_cap(struct model *m, struct cte *slot)
{
    int c = mnode_new(m);
    m->n[c].cap = slot->cap;
    m->n[c].original = true;
    mslot_set(m, slot, c);
    mtree_new_root(m, c);
    int ob = mobj_of_cap(m, &slot->cap);
    if (ob >= 0)
        m->o[ob].ncaps++;
}

void model_init(struct model *m, struct world *w)
{
    memset(m, 0, sizeof *m);
    m->w = w;
    for (int i = 0; i < WORLD_BOOT_SLOTS; i++)
        m->boot_node[i] = -1;
    struct world *W = w;
    unsigned root_bits = W->root_radix + TSR_SLOT_BITS;
    mobj_add(m, CAP_CNODE, (paddr_t)(uintptr_t)W->root, root_bits, true);
    add_boot_cap(m, &W->boot[0]);
    for (unsigned i = 0; i < (1u << W->root_radix); i++) {
        if (W->root[i].cap.type != CAP_NULL)
            add_boot_cap(m, &W->root[i]);
    }
}

void model_free(struct model *m)
{
    for (int i = 0; i < MODEL_MAX_OBJECTS; i++) {
        if (m->o[i].used)
            mobj_release(m, i);
    }
}

/* ---- comparison -------------------------------------------------------------- */

struct cmp {
    char *why;
    size_t len;
    bool ok;
};

static void mismatch(struct cmp *c, const char *fmt, ...)
{
    if (!c->ok)
        return;
    c->ok = false;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->why, c->len, fmt, ap);
    va_end(ap);
}

static void compare_slot(struct model *m, struct cmp *c, struct cte *s)
{
    int k = model_node_at(m, s);
    if (k < 0) {
        if (s->cap.type != CAP_NULL)
            mismatch(c, "slot %p: model empty, real type %u", (void *)s, s->cap.type);
        return;
    }
    const struct cap *e = &m->n[k].cap;
    const struct cap *r = &s->cap;
    if (e->type != r->type || e->rights != r->rights || e->flags != r->flags ||
        e->size_bits != r->size_bits || e->object != r->object || e->w0 != r->w0 || e->w1 != r->w1)
        mismatch(c,
                 "slot %p: model {t%u r%x f%x s%u o%llx a%llx b%llx} real {t%u r%x f%x s%u o%llx "
                 "a%llx b%llx}",
                 (void *)s, e->type, e->rights, e->flags, e->size_bits,
                 (unsigned long long)e->object, (unsigned long long)e->w0,
                 (unsigned long long)e->w1, r->type, r->rights, r->flags, r->size_bits,
                 (unsigned long long)r->object, (unsigned long long)r->w0,
                 (unsigned long long)r->w1);
    else if (m->n[k].original != (s->mdb.revocable != 0))
        mismatch(c, "slot %p: model original %d, real revocable %d", (void *)s,
                 m->n[k].original, s->mdb.revocable);
}

/* Preorder of the subtree below v must be one real chain, each element's
 * parent (rebuilt from the list as the implementation reads it) equal to the
 * model's. */
static void compare_chain(struct model *m, struct cmp *c, int v, struct cte **stack,
                          size_t *chains)
{
    if (m->n[v].first < 0)
        return;
    (*chains)++;
    struct cte *x = m->n[m->n[v].first].slot;
    if (x->mdb.prev)
        mismatch(c, "slot %p: model chain head, real has a predecessor", (void *)x);
    size_t depth = 0;
    int k = m->n[v].first;
    while (k >= 0 && c->ok) {
        struct cte *s = m->n[k].slot;
        if (s != x) {
            mismatch(c, "tree order: model has %p where the real list has %p", (void *)s,
                     (void *)x);
            break;
        }
        while (depth && !cap_mdb_is_parent(stack[depth - 1], x))
            depth--;
        struct cte *real_parent = depth ? stack[depth - 1] : NULL;
        int mp = m->n[k].parent;
        struct cte *model_parent = m->n[mp].virt ? NULL : m->n[mp].slot;
        if (real_parent != model_parent)
            mismatch(c, "slot %p: model parent %p, real parent %p", (void *)s,
                     (void *)model_parent, (void *)real_parent);
        stack[depth++] = x;
        x = x->mdb.next;
        /* Next in preorder. */
        if (m->n[k].first >= 0) {
            k = m->n[k].first;
        } else {
            while (k >= 0 && k != v && m->n[k].next < 0)
                k = m->n[k].parent;
            k = (k < 0 || k == v) ? -1 : m->n[k].next;
        }
    }
    if (c->ok && x)
        mismatch(c, "real chain continues past the model's (at %p)", (void *)x);
}

bool model_compare(struct model *m, char *why, size_t len)
{
    struct cmp c = {.why = why, .len = len, .ok = true};
    if (m->overflow) {
        snprintf(why, len, "model table overflow");
        return false;
    }
    /* The same set of slots... */
    struct cte **real;
    size_t nreal = world_slots(m->w, &real);
    size_t nmodel = 0;
    for (size_t i = 0; i < nreal && c.ok; i++) {
        if (!model_slot_known(m, real[i]))
            mismatch(&c, "real slot %p unknown to the model", (void *)real[i]);
    }
    for (int i = 0; i < MODEL_MAX_OBJECTS; i++) {
        if (m->o[i].used && m->o[i].alive)
            nmodel += m->o[i].nslots;
    }
    nmodel += WORLD_BOOT_SLOTS;
    if (c.ok && nmodel != nreal)
        mismatch(&c, "model has %zu slots, real %zu", nmodel, nreal);
    /* ...holding the same capabilities... */
    for (size_t i = 0; i < nreal && c.ok; i++)
        compare_slot(m, &c, real[i]);
    /* ...the same live objects... */
    unsigned live_model = 0, live_real = 0;
    for (int i = 0; i < MODEL_MAX_OBJECTS && c.ok; i++) {
        struct mobj *o = &m->o[i];
        if (!o->used || !o->alive)
            continue;
        live_model++;
        struct mock_instance *mi = mock_find_live((enum cap_type)o->type, o->pa);
        if (!mi || mi->bits != o->bits)
            mismatch(&c, "model object %llx (type %u) is not live in the kernel",
                     (unsigned long long)o->pa, o->type);
    }
    for (unsigned i = 0; i < mock.ninst; i++)
        live_real += mock.inst[i].alive;
    if (c.ok && live_model != live_real)
        mismatch(&c, "model has %u live objects, kernel %u", live_model, live_real);
    /* ...in the same tree. */
    struct cte **stack = calloc(nreal + 1, sizeof *stack);
    size_t chains = 0, real_chains = 0;
    for (int v = 0; v < MODEL_MAX_NODES && c.ok; v++) {
        if (m->n[v].used && m->n[v].virt)
            compare_chain(m, &c, v, stack, &chains);
    }
    for (size_t i = 0; i < nreal; i++)
        real_chains += real[i]->cap.type != CAP_NULL && !real[i]->mdb.prev;
    if (c.ok && chains != real_chains)
        mismatch(&c, "model has %zu chains, real %zu", chains, real_chains);
    free(stack);
    return c.ok;
}

void model_dump(struct model *m, FILE *f)
{
    fprintf(f, "model objects:\n");
    for (int i = 0; i < MODEL_MAX_OBJECTS; i++) {
        struct mobj *o = &m->o[i];
        if (o->used && o->alive)
            fprintf(f, "  obj t%u %llx bits %u ncaps %u\n", o->type, (unsigned long long)o->pa,
                    o->bits, o->ncaps);
    }
    fprintf(f, "kernel objects:\n");
    for (unsigned i = 0; i < mock.ninst; i++) {
        struct mock_instance *mi = &mock.inst[i];
        fprintf(f, "  inst t%u %llx bits %u alive %d final %u dying %u\n", mi->type,
                (unsigned long long)mi->pa, mi->bits, mi->alive, mi->final_calls,
                mi->dying_calls);
    }
    struct cte **real;
    size_t n = world_slots(m->w, &real);
    fprintf(f, "slots (real | model):\n");
    for (size_t i = 0; i < n; i++) {
        struct cte *s = real[i];
        int k = model_node_at(m, s);
        if (s->cap.type == CAP_NULL && k < 0)
            continue;
        fprintf(f, "  %p: t%u o%llx a%llx rev%d prev %p next %p | ", (void *)s, s->cap.type,
                (unsigned long long)s->cap.object, (unsigned long long)s->cap.w0,
                s->mdb.revocable, (void *)s->mdb.prev, (void *)s->mdb.next);
        if (k >= 0)
            fprintf(f, "t%u o%llx a%llx orig%d parent %p\n", m->n[k].cap.type,
                    (unsigned long long)m->n[k].cap.object, (unsigned long long)m->n[k].cap.w0,
                    m->n[k].original,
                    m->n[m->n[k].parent].virt ? NULL : (void *)m->n[m->n[k].parent].slot);
        else
            fprintf(f, "-\n");
    }
}
