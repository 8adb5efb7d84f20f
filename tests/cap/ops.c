/* SPDX-License-Identifier: MIT */
/* The operation interpreter (ops.h). Each step draws one operation and its
 * arguments, runs it on cap/ and on the model, and checks: same error code,
 * same resulting state (model_compare), every invariant (world_check), and
 * per-operation facts (rights only shrink, revoke leaves no child, retyped
 * objects aligned and device memory untouched). Deletes and revokes run with
 * small budgets, the invariants checked after every preempted call. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops.h"

/* ---- numbers ------------------------------------------------------------- */

void source_seed(struct source *s, uint64_t seed)
{
    memset(s, 0, sizeof *s);
    /* Hash the seed so that neighbouring seeds give unrelated sequences. */
    uint64_t z = seed + UINT64_C(0x9E3779B97F4A7C15);
    z = (z ^ (z >> 33)) * UINT64_C(0xFF51AFD7ED558CCD);
    z = (z ^ (z >> 33)) * UINT64_C(0xC4CEB9FE1A85EC53);
    s->state = z ^ (z >> 33);
}

void source_bytes(struct source *s, const uint8_t *data, size_t len)
{
    memset(s, 0, sizeof *s);
    s->data = data;
    s->len = len;
}

uint32_t source_below(struct source *s, uint32_t bound)
{
    if (bound <= 1)
        return 0;
    if (s->data) {
        uint32_t v = 0;
        for (uint32_t b = bound - 1; b; b >>= 8) {
            if (s->pos >= s->len) {
                s->exhausted = true;
                return 0;
            }
            v = v << 8 | s->data[s->pos++];
        }
        return v % bound;
    }
    uint64_t z = (s->state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return (uint32_t)((z ^ (z >> 31)) % bound);
}

static uint64_t below64(struct source *s)
{
    return (uint64_t)source_below(s, UINT32_MAX) << 32 | source_below(s, UINT32_MAX);
}

/* ---- slots the "kernel" can name ---------------------------------------------- */

#define MAX_PICK 8192
static struct cte *pick_buf[MAX_PICK];

/* Boot slot 0 (if wanted) and every slot of each live object that is not
 * dying: the kernel never reaches into an object whose last capability is a
 * zombie. */
static size_t gather(struct driver *d, bool boot0)
{
    size_t n = 0;
    if (boot0)
        pick_buf[n++] = &d->w.boot[0];
    for (unsigned i = 0; i < mock.ninst; i++) {
        struct mock_instance *mi = &mock.inst[i];
        if (!mi->alive || mi->dying_calls)
            continue;
        struct cte *slots;
        unsigned radix = mi->type == CAP_CNODE ? mi->bits - TSR_SLOT_BITS : 0;
        unsigned cnt = mock_slots_of((enum cap_type)mi->type, mi->pa, radix, &slots);
        for (unsigned j = 0; j < cnt && n < MAX_PICK; j++)
            pick_buf[n++] = &slots[j];
    }
    return n;
}

enum want { ANY, FULL, EMPTY };

static struct cte *pick(struct driver *d, struct source *s, enum want want, bool boot0)
{
    size_t n = gather(d, boot0);
    if (want != ANY && source_below(s, 10) < 8) {
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            bool full = pick_buf[i]->cap.type != CAP_NULL;
            if (full == (want == FULL))
                pick_buf[k++] = pick_buf[i];
        }
        if (k)
            n = k;
        else
            n = gather(d, boot0);
    }
    return pick_buf[source_below(s, (uint32_t)n)];
}

/* A live CNode that is not dying (the root CNode included): its slots and
 * their number. */
static struct cte *pick_cnode(struct source *s, unsigned *nslots)
{
    unsigned k = 0;
    for (unsigned i = 0; i < mock.ninst; i++) {
        struct mock_instance *mi = &mock.inst[i];
        k += mi->alive && !mi->dying_calls && mi->type == CAP_CNODE;
    }
    if (!k)
        return NULL;
    unsigned want = source_below(s, k);
    for (unsigned i = 0; i < mock.ninst; i++) {
        struct mock_instance *mi = &mock.inst[i];
        if (!(mi->alive && !mi->dying_calls && mi->type == CAP_CNODE) || want--)
            continue;
        *nslots = 1u << (mi->bits - TSR_SLOT_BITS);
        return (struct cte *)(uintptr_t)mi->pa;
    }
    return NULL;
}

/* The untyped capabilities the world started with are precious: without
 * them nothing more can be made. Deleting or moving one is rare. */
static bool is_boot_untyped(struct driver *d, struct cte *slot)
{
    for (unsigned i = 0; i < d->w.nut; i++) {
        if (slot == &d->w.root[i] && slot->cap.type == CAP_UNTYPED && !slot->mdb.prev)
            return true;
    }
    return false;
}

static struct cte *pick_type(struct driver *d, struct source *s, uint8_t t1, uint8_t t2)
{
    size_t n = gather(d, false), k = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t t = pick_buf[i]->cap.type;
        if (t == t1 || t == t2)
            pick_buf[k++] = pick_buf[i];
    }
    return k ? pick_buf[source_below(s, (uint32_t)k)] : NULL;
}

/* ---- checks ---------------------------------------------------------------- */

static bool failf(struct driver *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool failf(struct driver *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->why, sizeof d->why, fmt, ap);
    va_end(ap);
    return false;
}

static bool same_err(struct driver *d, tsr_error_t real, tsr_error_t model)
{
    if (real == TSR_OK)
        d->n_ok++;
    else
        d->n_err++;
    if ((unsigned)real < TSR_E_COUNT)
        d->n_code[real]++;
    if (!d->exact || real == model)
        return true;
    return failf(d, "error %d, model says %d", real, model);
}

static bool check_all(struct driver *d)
{
    char why[400];
    if (!world_check(&d->w, why, sizeof why))
        return failf(d, "invariant: %s", why);
    if (d->exact && !model_compare(&d->m, why, sizeof why))
        return failf(d, "model: %s", why);
    return true;
}

/* ---- operations ----------------------------------------------------------------- */

static bool op_retype(struct driver *d, struct source *s)
{
    struct cte *ut = source_below(s, 10) < 8 ? pick_type(d, s, CAP_UNTYPED, CAP_UNTYPED) : NULL;
    if (!ut)
        ut = pick(d, s, FULL, false);
    static const tsr_object_type_t common[] = {
        TSR_OBJ_CNODE,    TSR_OBJ_CNODE,        TSR_OBJ_CNODE,     TSR_OBJ_TCB,
        TSR_OBJ_TCB,      TSR_OBJ_ENDPOINT,     TSR_OBJ_ENDPOINT,  TSR_OBJ_NOTIFICATION,
        TSR_OBJ_UNTYPED,  TSR_OBJ_UNTYPED,      TSR_OBJ_FRAME_4K,  TSR_OBJ_PAGE_TABLE,
        TSR_OBJ_VSPACE,   TSR_OBJ_REPLY,        TSR_OBJ_FRAME_2M,  TSR_OBJ_MSG_QUEUE,
    };
    tsr_object_type_t type = source_below(s, 10) < 9
                                 ? common[source_below(s, sizeof common / sizeof common[0])]
                                 : (tsr_object_type_t)source_below(s, TSR_OBJ_TYPE_COUNT + 1);
    unsigned sb = source_below(s, 64);
    if (type == TSR_OBJ_UNTYPED && source_below(s, 10) < 8)
        sb = 6 + source_below(s, 8);
    if (type == TSR_OBJ_CNODE && source_below(s, 10) < 8)
        sb = 1 + source_below(s, 3);
    if (type == TSR_OBJ_MSG_QUEUE && source_below(s, 10) < 8)
        sb = TSR_MSG_QUEUE_MIN_BITS + source_below(s, 3);
    unsigned count = 1 + source_below(s, 4);
    unsigned r = source_below(s, 40);
    if (r == 0)
        count = 0;
    else if (r == 1)
        count = TSR_RETYPE_MAX_COUNT + 1;
    unsigned n = 0;
    struct cte *dn = pick_cnode(s, &n);
    struct cte *dest = NULL;
    if (dn && source_below(s, 50)) {
        /* Mostly a window of empty slots: start at an empty one. */
        unsigned off = source_below(s, n);
        for (unsigned tries = 0; tries < n && dn[off].cap.type != CAP_NULL &&
                                 source_below(s, 8); tries++)
            off = (off + 1) % n;
        dest = dn + off;
        if (count >= 1 && count <= TSR_RETYPE_MAX_COUNT && count > n - off)
            count = n - off;
    }
    snprintf(d->op, sizeof d->op, "retype(%p, type %d, bits %u, dest %p, count %u)", (void *)ut,
             type, sb, (void *)dest, count);
    tsr_error_t me = d->exact ? model_retype(&d->m, ut, type, sb, dest, count) : TSR_OK;
    tsr_error_t e = untyped_retype(ut, type, sb, dest, count);
    if (!same_err(d, e, me))
        return false;
    if (e)
        return true;
    unsigned obits = object_size_bits(type, sb);
    for (unsigned i = 0; i < count; i++) {
        const struct cap *c = &dest[i].cap;
        if (c->object & ((UINT64_C(1) << obits) - 1))
            return failf(d, "object %u at %llx not aligned to 2^%u", i,
                         (unsigned long long)c->object, obits);
        if (c->object < ut->cap.object || c->object + (UINT64_C(1) << obits) >
                                              ut->cap.object + ut->cap.w0)
            return failf(d, "object %u outside the untyped's used range", i);
        if ((ut->cap.flags & CAP_FLAG_DEVICE) && c->type == CAP_FRAME) {
            const uint8_t *p = (const uint8_t *)(uintptr_t)c->object;
            for (size_t k = 0; k < ((size_t)1 << obits); k += 509) {
                if (p[k] != 0xA5)
                    return failf(d, "device frame memory was written");
            }
        }
    }
    return true;
}

static uint8_t draw_rights(struct source *s)
{
    return source_below(s, 2) ? TSR_RIGHTS_ALL : (uint8_t)source_below(s, 256);
}

static uint64_t draw_badge(struct source *s)
{
    unsigned r = source_below(s, 5);
    /* Few distinct badges, so that badge groups meet in the tree. */
    return r < 2 ? 0 : r < 4 ? 1 + source_below(s, 3) : below64(s);
}

static bool op_derive(struct driver *d, struct source *s, int kind)
{
    static const char *names[] = {"copy", "mint", "move", "mutate", "mint_guard", "mutate_guard"};
    bool derive = kind == 0 || kind == 1 || kind == 4;
    struct cte *src = pick(d, s, FULL, derive);
    /* Mostly a source that can be copied: untypeds and control caps are
     * common in the world and would make most copies fail. */
    for (int tries = 0; tries < 4 && source_below(s, 10) < 8; tries++) {
        uint8_t t = src->cap.type;
        if (t != CAP_UNTYPED && t != CAP_IRQ_CONTROL && t != CAP_ASID_CONTROL &&
            t != CAP_PAGE_TABLE)
            break;
        src = pick(d, s, FULL, derive);
    }
    if ((kind == 1 || kind == 3) && source_below(s, 2)) {
        struct cte *ep = source_below(s, 4) ? pick_type(d, s, CAP_ENDPOINT, CAP_NOTIFICATION)
                                            : pick_type(d, s, CAP_MSG_QUEUE, CAP_MSG_QUEUE);
        if (ep)
            src = ep;
    }
    if ((kind == 4 || kind == 5) && source_below(s, 10) < 7) {
        struct cte *cn = pick_type(d, s, CAP_CNODE, CAP_CNODE);
        if (cn)
            src = cn;
    }
    struct cte *dst = pick(d, s, EMPTY, false);
    if (!derive && is_boot_untyped(d, src) && source_below(s, 100))
        return true;
    uint8_t rights = draw_rights(s);
    uint64_t badge = draw_badge(s);
    unsigned gbits = source_below(s, 10) < 7 ? source_below(s, 5) : source_below(s, 70);
    uint64_t guard = gbits && gbits < 16 && source_below(s, 10) < 7
                         ? source_below(s, 1u << gbits) : below64(s);
    if (gbits == 0 && source_below(s, 2))
        guard = 0;
    snprintf(d->op, sizeof d->op, "%s(%p -> %p, rights %x, badge %llx, guard %llx/%u)",
             names[kind], (void *)src, (void *)dst, rights, (unsigned long long)badge,
             (unsigned long long)guard, gbits);
    uint8_t old_rights = src->cap.rights;
    tsr_error_t me = TSR_OK, e;
    struct model *m = &d->m;
    switch (kind) {
    case 0:
        me = d->exact ? model_copy(m, src, dst, rights) : me;
        e = cap_copy(src, dst, rights);
        break;
    case 1:
        me = d->exact ? model_mint(m, src, dst, rights, badge) : me;
        e = cap_mint(src, dst, rights, badge);
        break;
    case 2:
        me = d->exact ? model_move(m, src, dst) : me;
        e = cap_move(src, dst);
        rights = TSR_RIGHTS_ALL;
        break;
    case 3:
        me = d->exact ? model_mutate(m, src, dst, rights, badge) : me;
        e = cap_mutate(src, dst, rights, badge);
        break;
    case 4:
        me = d->exact ? model_mint_guard(m, src, dst, rights, guard, gbits) : me;
        e = cap_mint_guard(src, dst, rights, guard, gbits);
        break;
    default:
        me = d->exact ? model_mutate_guard(m, src, dst, rights, guard, gbits) : me;
        e = cap_mutate_guard(src, dst, rights, guard, gbits);
        break;
    }
    if (!same_err(d, e, me))
        return false;
    /* Rights never grow. */
    if (e == TSR_OK && dst->cap.rights != (old_rights & rights & TSR_RIGHTS_ALL))
        return failf(d, "rights %x from %x with mask %x", dst->cap.rights, old_rights, rights);
    return true;
}

/* Run a delete or revoke with small budgets; returns false on a failed check.
 * In interfering runs a preempted operation may be abandoned, which ends the
 * model's exactness (zombies stay behind for later operations to meet). */
static bool run_long(struct driver *d, struct source *s, struct cte *slot, bool revoke)
{
    for (unsigned calls = 0;; calls++) {
        if (calls > 1000000)
            return failf(d, "no progress after %u calls (livelock)", calls);
        unsigned budget = 1 + source_below(s, d->max_budget);
        tsr_error_t e = revoke ? cap_revoke(slot, &budget) : cap_delete(slot, &budget);
        if (e == TSR_OK)
            break;
        if (e != TSR_E_PREEMPTED)
            return failf(d, "%s returned %d", revoke ? "revoke" : "delete", e);
        d->n_preempted++;
        /* Mid-way the model (which is ahead) cannot match; the invariants must. */
        char why[400];
        if (!world_check(&d->w, why, sizeof why))
            return failf(d, "invariant while preempted: %s", why);
        if (d->interfere && source_below(s, 4) == 0) {
            d->exact = false;
            return true;
        }
    }
    if (revoke && cap_has_children(slot))
        return failf(d, "revoke left a child");
    if (!revoke && slot->cap.type != CAP_NULL)
        return failf(d, "delete left the slot full");
    return true;
}

/* After a revoke through a garbage cycle (model.h), finish every zombie left
 * behind, as revoking their own untypeds would; the model, which counted
 * them dead already, must then match exactly again. */
static bool finish_zombies(struct driver *d, struct source *s)
{
    for (;;) {
        struct cte **all;
        size_t n = world_slots(&d->w, &all);
        struct cte *z = NULL;
        for (size_t i = 0; i < n && !z; i++) {
            if (all[i]->cap.type == CAP_ZOMBIE)
                z = all[i];
        }
        if (!z)
            return true;
        d->n_cycle_fixups++;
        bool interfere = d->interfere;
        d->interfere = false;
        bool ok = run_long(d, s, z, false);
        d->interfere = interfere;
        if (!ok)
            return false;
    }
}

static bool op_long(struct driver *d, struct source *s, bool revoke)
{
    struct cte *slot = revoke && source_below(s, 2) ? pick_type(d, s, CAP_UNTYPED, CAP_UNTYPED)
                                                    : NULL;
    if (!slot)
        slot = pick(d, s, FULL, false);
    if (!revoke && is_boot_untyped(d, slot) && source_below(s, 100))
        return true;
    snprintf(d->op, sizeof d->op, "%s(%p type %u)", revoke ? "revoke" : "delete", (void *)slot,
             slot->cap.type);
    unsigned before = mock.final_calls;
    d->m.revoke_hit_cycle = false;
    if (d->exact) {
        if (revoke)
            model_revoke(&d->m, slot);
        else
            model_delete(&d->m, slot);
    }
    if (!run_long(d, s, slot, revoke))
        return false;
    if (d->exact && d->m.revoke_hit_cycle && !finish_zombies(d, s))
        return false;
    d->n_teardowns += mock.final_calls - before;
    return true;
}

static uint64_t shl(uint64_t x, unsigned n)
{
    return n >= 64 ? 0 : x << n;
}

static bool op_lookup(struct driver *d, struct source *s)
{
    struct cte *root = source_below(s, 3) ? pick_type(d, s, CAP_CNODE, CAP_CNODE) : NULL;
    if (!root)
        root = &d->w.boot[0];
    bool slot_mode = source_below(s, 2);
    /* Build a cptr along a real path, then maybe spoil it. */
    uint64_t bits = 0;
    unsigned used = 0;
    const struct cap *node = &root->cap;
    for (int level = 0; level < 4; level++) {
        unsigned gb = (unsigned)node->w1, rb = node->size_bits;
        if (gb + rb + used > 64)
            break;
        uint64_t idx = source_below(s, 1u << (rb < 16 ? rb : 16));
        bits = shl(shl(bits, gb) | node->w0, rb) | idx;
        used += gb + rb;
        const struct cte *next = (const struct cte *)(uintptr_t)node->object + idx;
        if (next->cap.type != CAP_CNODE || source_below(s, 2))
            break;
        node = &next->cap;
    }
    unsigned depth = used;
    uint64_t cptr = bits;
    unsigned r = source_below(s, 10);
    if (r == 0)
        cptr ^= UINT64_C(1) << source_below(s, 64);
    else if (r == 1)
        depth = source_below(s, 66);
    else if (r == 2)
        depth += 1;
    if (!slot_mode && used > 0 && used < 64)
        cptr = (bits << (64 - used)) | (below64(s) & ((UINT64_C(1) << (64 - used)) - 1));
    snprintf(d->op, sizeof d->op, "lookup_%s(root %p, cptr %llx, depth %u)",
             slot_mode ? "slot" : "cap", (void *)root, (unsigned long long)cptr, depth);
    struct cte *rs = NULL, *ms = NULL;
    tsr_error_t e, me = TSR_OK;
    if (slot_mode) {
        e = cspace_lookup_slot(&root->cap, cptr, depth, &rs);
        if (d->exact)
            me = model_lookup(&d->m, &root->cap, cptr, depth, false, &ms);
    } else {
        e = cspace_lookup_cap(&root->cap, cptr, &rs);
        if (d->exact) {
            me = model_lookup(&d->m, &root->cap, cptr, 64, true, &ms);
            int k = me ? -1 : model_node_at(&d->m, ms);
            if (!me && (k < 0 || d->m.n[k].cap.type == CAP_ZOMBIE))
                me = TSR_E_INVALID_CAPABILITY;
        }
    }
    if (!same_err(d, e, me))
        return false;
    if (d->exact && e == TSR_OK && rs != ms)
        return failf(d, "lookup found %p, model %p", (void *)rs, (void *)ms);
    return true;
}

static bool op_map(struct driver *d, struct source *s)
{
    struct cte *slot = pick_type(d, s, CAP_FRAME, CAP_PAGE_TABLE);
    if (!slot)
        return true;
    uint64_t va = (uint64_t)(1 + source_below(s, 1000)) << 12;
    uint64_t asid = 1 + source_below(s, 255);
    unsigned level = 1 + source_below(s, 3);
    snprintf(d->op, sizeof d->op, "map(%p)", (void *)slot);
    slot->cap.w0 = va;
    slot->cap.w1 = asid;
    if (slot->cap.type == CAP_PAGE_TABLE)
        slot->cap.size_bits = (uint8_t)level;
    if (d->exact)
        model_set_mapping(&d->m, slot, va, asid, level);
    return true;
}

static bool op_irq(struct driver *d, struct source *s)
{
    struct cte *ctl = pick_type(d, s, CAP_IRQ_CONTROL, CAP_IRQ_CONTROL);
    struct cte *dst = pick(d, s, EMPTY, false);
    unsigned irq = source_below(s, MODEL_IRQS);
    if (!ctl || dst->cap.type != CAP_NULL)
        return true;
    /* The kernel issues one handler per interrupt. */
    struct cte **all;
    size_t n = world_slots(&d->w, &all);
    for (size_t i = 0; i < n; i++) {
        if (all[i]->cap.type == CAP_IRQ_HANDLER && all[i]->cap.w0 == irq)
            return true;
    }
    snprintf(d->op, sizeof d->op, "irq_handler(%u -> %p)", irq, (void *)dst);
    struct cap h = {.type = CAP_IRQ_HANDLER, .rights = TSR_RIGHTS_ALL, .w0 = irq};
    cap_insert(ctl, dst, &h, true);
    if (d->exact)
        model_insert_child(&d->m, ctl, dst, &h);
    return true;
}

void driver_init(struct driver *d, bool interfere)
{
    memset(d, 0, sizeof *d);
    world_init_default(&d->w);
    model_init(&d->m, &d->w);
    d->exact = true;
    d->interfere = interfere;
    d->max_budget = 8;
}

void driver_free(struct driver *d)
{
    model_free(&d->m);
    world_free(&d->w);
}

bool driver_step(struct driver *d, struct source *s)
{
    unsigned r = source_below(s, 100);
    bool ok;
    d->op[0] = 0;
    if (r < 24)
        ok = op_retype(d, s);
    else if (r < 56)
        ok = op_derive(d, s, (int)source_below(s, 6));
    else if (r < 70)
        ok = op_long(d, s, false);
    else if (r < 80)
        ok = op_long(d, s, true);
    else if (r < 92)
        ok = op_lookup(d, s);
    else if (r < 96)
        ok = op_map(d, s);
    else
        ok = op_irq(d, s);
    d->steps++;
    if (ok)
        ok = check_all(d);
    mock_compact();
    return ok;
}

bool driver_cleanup(struct driver *d)
{
    snprintf(d->op, sizeof d->op, "cleanup");
    d->interfere = false;
    struct source s;
    source_seed(&s, d->steps);
    /* Delete every capability (zombies included) but the root CNode's boot
     * capability, looking again after each: objects vanish with their slots. */
    for (;;) {
        struct cte **all;
        size_t n = world_slots(&d->w, &all);
        struct cte *victim = NULL;
        for (size_t i = 0; i < n && !victim; i++) {
            if (all[i] != &d->w.boot[0] && all[i]->cap.type != CAP_NULL)
                victim = all[i];
        }
        if (!victim)
            break;
        if (d->exact)
            model_delete(&d->m, victim);
        if (!run_long(d, &s, victim, false))
            return false;
        if (!check_all(d))
            return false;
        mock_compact();
    }
    for (unsigned i = 0; i < mock.ninst; i++) {
        if (mock.inst[i].alive && !mock.inst[i].boot)
            return failf(d, "object %llx (type %u) survived cleanup",
                         (unsigned long long)mock.inst[i].pa, mock.inst[i].type);
    }
    return check_all(d);
}
