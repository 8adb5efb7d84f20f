/* SPDX-License-Identifier: MIT */
/* The test machine for cap/ (world.h): boot objects in host memory, and the
 * invariant checker. The checker looks only at real state (slots, the MDB
 * list, the mock's instance table); the random test's model is separate. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "world.h"

static struct cte **slot_buf;
static size_t slot_cap;

static void *xaligned(unsigned bits)
{
    size_t size = (size_t)1 << bits;
    void *p = aligned_alloc(size, size);
    if (!p) {
        fprintf(stderr, "out of host memory\n");
        abort();
    }
    return p;
}

void world_init(struct world *w, const struct world_config *cfg)
{
    memset(w, 0, sizeof *w);
    mock_reset();
    w->root_radix = cfg->root_radix;
    unsigned root_bits = cfg->root_radix + TSR_SLOT_BITS;
    w->root = xaligned(root_bits);
    memset(w->root, 0, (size_t)1 << root_bits);
    mock_add_boot_instance(CAP_CNODE, (paddr_t)(uintptr_t)w->root, root_bits);
    struct cap rc = {.type = CAP_CNODE, .rights = TSR_RIGHTS_ALL,
                     .size_bits = (uint8_t)cfg->root_radix, .object = (paddr_t)(uintptr_t)w->root};
    cap_insert(NULL, &w->boot[0], &rc, true);

    w->nut = cfg->nut;
    for (unsigned i = 0; i < cfg->nut; i++) {
        w->ut_bits[i] = cfg->ut[i].bits;
        w->ut_device[i] = cfg->ut[i].device;
        w->ut_mem[i] = xaligned(cfg->ut[i].bits);
        memset(w->ut_mem[i], cfg->ut[i].device ? 0xA5 : 0x5A, (size_t)1 << cfg->ut[i].bits);
        struct cap u = {.type = CAP_UNTYPED, .rights = TSR_RIGHTS_ALL,
                        .flags = cfg->ut[i].device ? CAP_FLAG_DEVICE : 0,
                        .size_bits = (uint8_t)cfg->ut[i].bits,
                        .object = (paddr_t)(uintptr_t)w->ut_mem[i]};
        cap_insert(NULL, &w->root[i], &u, true);
    }
    w->irq_control_index = cfg->nut;
    w->asid_control_index = cfg->nut + 1;
    w->first_free_index = cfg->nut + 2;
    struct cap irq = {.type = CAP_IRQ_CONTROL, .rights = TSR_RIGHTS_ALL};
    struct cap asid = {.type = CAP_ASID_CONTROL, .rights = TSR_RIGHTS_ALL};
    cap_insert(NULL, &w->root[w->irq_control_index], &irq, true);
    cap_insert(NULL, &w->root[w->asid_control_index], &asid, true);
}

void world_init_default(struct world *w)
{
    struct world_config cfg = {.root_radix = 5, .nut = 3,
                               .ut = {{14, false}, {14, false}, {14, true}}};
    world_init(w, &cfg);
}

void world_free(struct world *w)
{
    free(w->root);
    for (unsigned i = 0; i < w->nut; i++)
        free(w->ut_mem[i]);
    memset(w, 0, sizeof *w);
}

static int cmp_ptr(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t) * (struct cte *const *)a;
    uintptr_t y = (uintptr_t) * (struct cte *const *)b;
    return x < y ? -1 : x > y;
}

static void push_slot(size_t *n, struct cte *s)
{
    if (*n == slot_cap) {
        slot_cap = slot_cap ? slot_cap * 2 : 1024;
        slot_buf = realloc(slot_buf, slot_cap * sizeof *slot_buf);
        if (!slot_buf)
            abort();
    }
    slot_buf[(*n)++] = s;
}

size_t world_slots(struct world *w, struct cte ***out)
{
    size_t n = 0;
    for (unsigned i = 0; i < WORLD_BOOT_SLOTS; i++)
        push_slot(&n, &w->boot[i]);
    for (unsigned i = 0; i < mock.ninst; i++) {
        struct mock_instance *m = &mock.inst[i];
        if (!m->alive)
            continue;
        struct cte *slots;
        unsigned radix = m->type == CAP_CNODE ? m->bits - TSR_SLOT_BITS : 0;
        unsigned cnt = mock_slots_of((enum cap_type)m->type, m->pa, radix, &slots);
        for (unsigned j = 0; j < cnt; j++)
            push_slot(&n, &slots[j]);
    }
    qsort(slot_buf, n, sizeof *slot_buf, cmp_ptr);
    *out = slot_buf;
    return n;
}

/* ---- the checker ---------------------------------------------------------- */

struct key {
    uint8_t type;     /* object type (a zombie's original type) */
    uint64_t obj;     /* object address, or IRQ number */
    size_t chain, pos;
    struct cte *slot;
};

struct checker {
    char *why;
    size_t len;
    bool ok;
    struct cte **slots;
    size_t nslots;
    struct cte **parent; /* reconstructed tree parent, per index in slots */
    struct key *keys;
    size_t nkeys;
};

static void fail(struct checker *c, const char *fmt, ...)
{
    if (!c->ok)
        return;
    c->ok = false;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->why, c->len, fmt, ap);
    va_end(ap);
}

static long slot_index(struct checker *c, const struct cte *s)
{
    size_t lo = 0, hi = c->nslots;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if ((uintptr_t)c->slots[mid] < (uintptr_t)s)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < c->nslots && c->slots[lo] == s ? (long)lo : -1;
}

static bool cte_zero(const struct cte *s)
{
    static const struct cte zero;
    return memcmp(s, &zero, sizeof zero) == 0;
}

static unsigned cap_bits(const struct cap *cap)
{
    unsigned t = cap->type == CAP_ZOMBIE ? (unsigned)cap->w1 : cap->type;
    switch (t) {
    case CAP_UNTYPED:
    case CAP_FRAME:
    case CAP_MSG_QUEUE:
        return cap->size_bits;
    case CAP_CNODE:
        return cap->size_bits + TSR_SLOT_BITS;
    case CAP_TCB:
        return TSR_TCB_BITS;
    case CAP_ENDPOINT:
        return TSR_ENDPOINT_BITS;
    case CAP_NOTIFICATION:
        return TSR_NOTIFICATION_BITS;
    case CAP_REPLY:
        return TSR_REPLY_BITS;
    case CAP_PAGE_TABLE:
    case CAP_VSPACE:
        return 12;
    default:
        return 0;
    }
}

static uint8_t object_type(const struct cap *cap)
{
    return cap->type == CAP_ZOMBIE ? (uint8_t)cap->w1 : cap->type;
}

/* I1: links point at existing slots and agree both ways; empty slots are all
 * zero; every chain is acyclic and together they hold every full slot. */
static void check_links(struct checker *c)
{
    size_t full = 0;
    for (size_t i = 0; i < c->nslots && c->ok; i++) {
        struct cte *s = c->slots[i];
        if (s->cap.type == CAP_NULL) {
            if (!cte_zero(s))
                fail(c, "empty slot %p is not all zero", (void *)s);
            continue;
        }
        full++;
        if (s->cap.type >= CAP_TYPE_COUNT)
            fail(c, "slot %p holds unknown type %u", (void *)s, s->cap.type);
        struct cte *p = s->mdb.prev, *n = s->mdb.next;
        if (p && (slot_index(c, p) < 0 || p->mdb.next != s))
            fail(c, "slot %p: prev link broken", (void *)s);
        if (n && (slot_index(c, n) < 0 || n->mdb.prev != s))
            fail(c, "slot %p: next link broken", (void *)s);
    }
    size_t seen = 0;
    for (size_t i = 0; i < c->nslots && c->ok; i++) {
        struct cte *s = c->slots[i];
        if (s->cap.type == CAP_NULL || s->mdb.prev)
            continue;
        for (struct cte *x = s; x && c->ok; x = x->mdb.next) {
            if (++seen > full)
                fail(c, "MDB list has a cycle or counts too many slots");
        }
    }
    if (c->ok && seen != full)
        fail(c, "MDB chains reach %zu of %zu full slots", seen, full);
}

/* Rebuild the tree from the list (each capability's parent is the nearest
 * open ancestor that is its parent), check memory ancestry (I2), and collect
 * object keys for contiguity and liveness. */
static void check_tree(struct checker *c, struct cte **stack)
{
    size_t chain = 0;
    for (size_t i = 0; i < c->nslots && c->ok; i++) {
        struct cte *h = c->slots[i];
        if (h->cap.type == CAP_NULL || h->mdb.prev)
            continue;
        size_t depth = 0, pos = 0;
        for (struct cte *x = h; x && c->ok; x = x->mdb.next, pos++) {
            while (depth && !cap_mdb_is_parent(stack[depth - 1], x))
                depth--;
            struct cte *par = depth ? stack[depth - 1] : NULL;
            c->parent[slot_index(c, x)] = par;
            stack[depth++] = x;
            unsigned bits = cap_bits(&x->cap);
            uint8_t ot = object_type(&x->cap);
            if ((bits && ot != CAP_UNTYPED) || x->cap.type == CAP_IRQ_HANDLER) {
                struct key *k = &c->keys[c->nkeys++];
                k->type = x->cap.type == CAP_IRQ_HANDLER ? CAP_IRQ_HANDLER : ot;
                k->obj = x->cap.type == CAP_IRQ_HANDLER ? x->cap.w0 : x->cap.object;
                k->chain = chain;
                k->pos = pos;
                k->slot = x;
            }
        }
        chain++;
    }
}

static bool is_ancestor(struct checker *c, const struct cte *a, struct cte *x)
{
    for (struct cte *p = c->parent[slot_index(c, x)]; p; p = c->parent[slot_index(c, p)]) {
        if (p == a)
            return true;
    }
    return false;
}

/* I2, no capability outlives its memory: a capability to memory inside an
 * untyped's region is that untyped's descendant (revoking the untyped
 * removes it) and lies in its used range (retype cannot hand it out again).
 * Memory outside every untyped (boot objects, or objects whose untyped
 * capability was deleted) can never be handed out again at all. */
static void check_ancestry(struct checker *c)
{
    size_t nut = 0;
    struct cte **uts = calloc(c->nslots + 1, sizeof *uts);
    for (size_t i = 0; i < c->nslots; i++) {
        if (c->slots[i]->cap.type == CAP_UNTYPED)
            uts[nut++] = c->slots[i];
    }
    for (size_t i = 0; i < c->nslots && c->ok; i++) {
        struct cte *x = c->slots[i];
        unsigned xb = cap_bits(&x->cap);
        if (!xb)
            continue;
        uint64_t xs = x->cap.object, xe = xs + (UINT64_C(1) << xb);
        for (size_t j = 0; j < nut && c->ok; j++) {
            struct cte *u = uts[j];
            if (u == x)
                continue;
            uint64_t us = u->cap.object, ue = us + (UINT64_C(1) << u->cap.size_bits);
            if (xs < us || xe > ue)
                continue; /* not inside (partial overlaps: check_memory) */
            if (x->cap.type == CAP_UNTYPED && xs == us && xe == ue) {
                if (!is_ancestor(c, u, x) && !is_ancestor(c, x, u))
                    fail(c, "untypeds %p and %p cover the same region, unrelated", (void *)u,
                         (void *)x);
                continue;
            }
            if (!is_ancestor(c, u, x))
                fail(c, "slot %p (type %u) lies in untyped %p but is not its descendant",
                     (void *)x, x->cap.type, (void *)u);
            else if (xe > us + u->cap.w0)
                fail(c, "slot %p (type %u) outside its untyped's used range", (void *)x,
                     x->cap.type);
        }
    }
    free(uts);
}

static int cmp_key(const void *a, const void *b)
{
    const struct key *x = a, *y = b;
    if (x->type != y->type)
        return x->type < y->type ? -1 : 1;
    if (x->obj != y->obj)
        return x->obj < y->obj ? -1 : 1;
    if (x->chain != y->chain)
        return x->chain < y->chain ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* I3 contiguity, I6 liveness (every capability names a live object, every
 * live object has a capability), I8 dying calls match zombies. */
static void check_objects(struct checker *c)
{
    qsort(c->keys, c->nkeys, sizeof *c->keys, cmp_key);
    for (size_t i = 0; i < c->nkeys && c->ok; i++) {
        struct key *k = &c->keys[i];
        if (i > 0 && k->type == k[-1].type && k->obj == k[-1].obj &&
            (k->chain != k[-1].chain || k->pos != k[-1].pos + 1))
            fail(c, "capabilities to object %llx (type %u) are not contiguous",
                 (unsigned long long)k->obj, k->type);
        if (k->type == CAP_IRQ_HANDLER)
            continue;
        struct mock_instance *m = mock_find_live((enum cap_type)k->type, k->obj);
        if (!m) {
            fail(c, "slot %p names object %llx (type %u) that is not live", (void *)k->slot,
                 (unsigned long long)k->obj, k->type);
            continue;
        }
        if (m->bits != cap_bits(&k->slot->cap))
            fail(c, "slot %p: size differs from its object's", (void *)k->slot);
        bool zombie = k->slot->cap.type == CAP_ZOMBIE;
        if (zombie && m->dying_calls != 1)
            fail(c, "zombie for %llx without exactly one dying call", (unsigned long long)k->obj);
        if (!zombie && m->dying_calls != 0)
            fail(c, "live capability to %llx whose object was made dying",
                 (unsigned long long)k->obj);
    }
    for (unsigned i = 0; i < mock.ninst && c->ok; i++) {
        struct mock_instance *m = &mock.inst[i];
        if (!m->alive)
            continue;
        struct key probe = {.type = m->type, .obj = m->pa};
        bool found = false;
        for (size_t lo = 0, hi = c->nkeys; lo < hi;) {
            size_t mid = (lo + hi) / 2;
            struct key *k = &c->keys[mid];
            int r = k->type != probe.type ? (k->type < probe.type ? -1 : 1)
                    : k->obj != probe.obj ? (k->obj < probe.obj ? -1 : 1) : 0;
            if (r == 0) {
                found = true;
                break;
            }
            if (r < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (!found)
            fail(c, "live object %llx (type %u) has no capability (leaked)",
                 (unsigned long long)m->pa, m->type);
    }
}

static bool ranges_overlap(uint64_t a, uint64_t ae, uint64_t b, uint64_t be)
{
    return a < be && b < ae;
}

/* I4: live objects are disjoint, and each lies inside the used range of
 * every untyped whose region it touches; untyped regions nest the same way. */
static void check_memory(struct checker *c)
{
    size_t nut = 0;
    for (size_t i = 0; i < c->nslots; i++)
        nut += c->slots[i]->cap.type == CAP_UNTYPED;
    struct cte **uts = calloc(nut + 1, sizeof *uts);
    nut = 0;
    for (size_t i = 0; i < c->nslots; i++) {
        if (c->slots[i]->cap.type == CAP_UNTYPED)
            uts[nut++] = c->slots[i];
    }
    for (size_t i = 0; i < nut && c->ok; i++) {
        const struct cap *u = &uts[i]->cap;
        uint64_t ub = u->object, ue = ub + (UINT64_C(1) << u->size_bits), uw = ub + u->w0;
        if (u->w0 > (UINT64_C(1) << u->size_bits))
            fail(c, "untyped %p watermark past its end", (void *)uts[i]);
        for (unsigned j = 0; j < mock.ninst && c->ok; j++) {
            struct mock_instance *m = &mock.inst[j];
            if (!m->alive || m->boot)
                continue;
            uint64_t ob = m->pa, oe = ob + (UINT64_C(1) << m->bits);
            if (ranges_overlap(ob, oe, ub, ue) && (ob < ub || oe > uw))
                fail(c, "object %llx overlaps the free part of untyped %p",
                     (unsigned long long)ob, (void *)uts[i]);
        }
        for (size_t j = 0; j < nut && c->ok; j++) {
            const struct cap *v = &uts[j]->cap;
            if (j == i)
                continue;
            uint64_t vb = v->object, ve = vb + (UINT64_C(1) << v->size_bits),
                     vw = vb + v->w0;
            if (!ranges_overlap(ub, ue, vb, ve))
                continue;
            bool v_in_u = vb >= ub && ve <= uw;
            bool u_in_v = ub >= vb && ue <= vw;
            if (!v_in_u && !u_in_v)
                fail(c, "untypeds %p and %p overlap without nesting", (void *)uts[i],
                     (void *)uts[j]);
        }
    }
    free(uts);
    for (unsigned i = 0; i + 1 < mock.ninst && c->ok; i++) {
        for (unsigned j = i + 1; j < mock.ninst && c->ok; j++) {
            struct mock_instance *a = &mock.inst[i], *b = &mock.inst[j];
            if (!a->alive || !b->alive)
                continue;
            if (ranges_overlap(a->pa, a->pa + (UINT64_C(1) << a->bits), b->pa,
                               b->pa + (UINT64_C(1) << b->bits)))
                fail(c, "live objects %llx and %llx overlap", (unsigned long long)a->pa,
                     (unsigned long long)b->pa);
        }
    }
}

/* I5, I7: rights within TSR_RIGHTS_ALL; a zombie's object has nothing in the
 * slots it has already emptied, except the zombie itself. */
static void check_caps(struct checker *c)
{
    for (size_t i = 0; i < c->nslots && c->ok; i++) {
        struct cte *s = c->slots[i];
        if (s->cap.type == CAP_NULL)
            continue;
        if (s->cap.rights & ~TSR_RIGHTS_ALL)
            fail(c, "slot %p has rights 0x%x", (void *)s, s->cap.rights);
        if (s->cap.type != CAP_ZOMBIE)
            continue;
        struct cte *zs;
        unsigned n = mock_slots_of((enum cap_type)s->cap.w1, s->cap.object, s->cap.size_bits, &zs);
        if (n == 0 || s->cap.w0 > n)
            fail(c, "zombie %p has count %llu of %u slots", (void *)s,
                 (unsigned long long)s->cap.w0, n);
        for (uint64_t j = s->cap.w0; j < n && c->ok; j++) {
            if (zs[j].cap.type == CAP_NULL || &zs[j] == s)
                continue;
            fail(c, "zombie %p: emptied slot %llu of its object is full", (void *)s,
                 (unsigned long long)j);
        }
    }
}

bool world_check(struct world *w, char *why, size_t len)
{
    struct checker c = {.why = why, .len = len, .ok = true};
    if (mock.violation) {
        snprintf(why, len, "hook: %s", mock.why);
        return false;
    }
    c.nslots = world_slots(w, &c.slots);
    c.parent = calloc(c.nslots + 1, sizeof *c.parent);
    c.keys = calloc(c.nslots + 1, sizeof *c.keys);
    struct cte **stack = calloc(c.nslots + 1, sizeof *stack);
    check_links(&c);
    if (c.ok)
        check_tree(&c, stack);
    if (c.ok)
        check_ancestry(&c);
    if (c.ok)
        check_objects(&c);
    if (c.ok)
        check_memory(&c);
    if (c.ok)
        check_caps(&c);
    free(stack);
    free(c.keys);
    free(c.parent);
    return c.ok;
}

unsigned world_delete_all(struct cte *slot, unsigned budget, unsigned max_calls)
{
    for (unsigned calls = 1; calls <= max_calls; calls++) {
        unsigned b = budget;
        tsr_error_t err = cap_delete(slot, &b);
        if (err == TSR_OK)
            return calls;
        if (err != TSR_E_PREEMPTED)
            return 0;
    }
    return 0;
}

unsigned world_revoke_all(struct cte *slot, unsigned budget, unsigned max_calls)
{
    for (unsigned calls = 1; calls <= max_calls; calls++) {
        unsigned b = budget;
        tsr_error_t err = cap_revoke(slot, &b);
        if (err == TSR_OK)
            return calls;
        if (err != TSR_E_PREEMPTED)
            return 0;
    }
    return 0;
}
