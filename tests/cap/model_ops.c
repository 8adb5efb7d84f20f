/* SPDX-License-Identifier: MIT */
/* The model's operations (model.h), written from the specification in the
 * cap/ headers and docs/capabilities.md, not from cap/'s code: error order,
 * the tree position of new capabilities, retype placement, the dying set of a
 * delete and the order of a revoke. */
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "model_internal.h"

int mobj_of_cap(struct model *m, const struct cap *cap)
{
    switch (cap->type) {
    case CAP_CNODE:
    case CAP_TCB:
    case CAP_ENDPOINT:
    case CAP_NOTIFICATION:
    case CAP_REPLY:
    case CAP_FRAME:
    case CAP_PAGE_TABLE:
    case CAP_VSPACE:
    case CAP_MSG_QUEUE:
        return mobj_find(m, cap->type, cap->object);
    default:
        return -1;
    }
}

/* What may be copied (cap/cdt.h, cap_copy): not the null cap, zombies,
 * control caps, untyped, page tables, or a VSpace before it has an ASID. */
static bool spec_copyable(const struct cap *cap)
{
    uint8_t type = cap->type;
    if (type == CAP_VSPACE)
        return cap->w0 != 0;
    return type != CAP_NULL && type != CAP_ZOMBIE && type != CAP_IRQ_CONTROL &&
           type != CAP_ASID_CONTROL && type != CAP_UNTYPED && type != CAP_PAGE_TABLE;
}

static struct cap spec_derive(const struct cap *src, uint8_t rights)
{
    struct cap c = *src;
    c.rights = src->rights & rights & TSR_RIGHTS_ALL;
    if (c.type == CAP_FRAME)
        c.w0 = c.w1 = 0;
    return c;
}

/* A new capability derived from the one in node s: the child of an original,
 * the next sibling of a copy. */
static int place_derived(struct model *m, int s, struct cte *dst, const struct cap *cap,
                         bool original)
{
    int c = mnode_new(m);
    if (c < 0)
        return -1;
    m->n[c].cap = *cap;
    m->n[c].original = original;
    if (m->n[s].original)
        mtree_first_child(m, s, c);
    else
        mtree_after(m, s, c);
    mslot_set(m, dst, c);
    int ob = mobj_of_cap(m, cap);
    if (ob >= 0)
        m->o[ob].ncaps++;
    if (cap->type == CAP_IRQ_HANDLER && cap->w0 < MODEL_IRQS)
        m->irq_caps[cap->w0]++;
    return c;
}

static tsr_error_t decode_derive(struct model *m, struct cte *src, struct cte *dst, int *s)
{
    *s = model_node_at(m, src);
    if (*s < 0 || !spec_copyable(&m->n[*s].cap))
        return TSR_E_INVALID_CAPABILITY;
    if (model_node_at(m, dst) >= 0)
        return TSR_E_SLOT_OCCUPIED;
    return TSR_OK;
}

static tsr_error_t decode_move(struct model *m, struct cte *src, struct cte *dst, int *s)
{
    *s = model_node_at(m, src);
    if (*s < 0 || m->n[*s].cap.type == CAP_ZOMBIE)
        return TSR_E_INVALID_CAPABILITY;
    if (model_node_at(m, dst) >= 0)
        return TSR_E_SLOT_OCCUPIED;
    return TSR_OK;
}

/* A badge may go on an unbadged endpoint, notification or message queue
 * (TSR_E_ILLEGAL_OPERATION otherwise); a queue's badge word carries a quota
 * in bits 48-63, and its badge bits must not be zero (INVALID_ARGUMENT). */
static tsr_error_t badge_ok(const struct cap *cap, uint64_t badge)
{
    if (badge == 0)
        return TSR_OK;
    if ((cap->type != CAP_ENDPOINT && cap->type != CAP_NOTIFICATION &&
         cap->type != CAP_MSG_QUEUE) ||
        cap->w0 != 0)
        return TSR_E_ILLEGAL_OPERATION;
    if (cap->type == CAP_MSG_QUEUE && (badge & ((UINT64_C(1) << 48) - 1)) == 0)
        return TSR_E_INVALID_ARGUMENT;
    return TSR_OK;
}

/* The badge word on a capability: a queue's splits into badge and quota. */
static void set_badge(struct cap *c, uint64_t badge)
{
    if (c->type == CAP_MSG_QUEUE) {
        c->w0 = badge & ((UINT64_C(1) << 48) - 1);
        c->w1 = badge >> 48;
    } else {
        c->w0 = badge;
    }
}

static tsr_error_t guard_ok(const struct cap *cap, uint64_t guard, unsigned guard_bits)
{
    if (cap->type != CAP_CNODE)
        return TSR_E_INVALID_CAPABILITY;
    if (guard_bits + cap->size_bits > 64)
        return TSR_E_INVALID_ARGUMENT;
    if (guard_bits < 64 && guard >= (UINT64_C(1) << guard_bits))
        return TSR_E_INVALID_ARGUMENT;
    return TSR_OK;
}

tsr_error_t model_copy(struct model *m, struct cte *src, struct cte *dst, uint8_t rights)
{
    int s;
    tsr_error_t err = decode_derive(m, src, dst, &s);
    if (err)
        return err;
    struct cap c = spec_derive(&m->n[s].cap, rights);
    place_derived(m, s, dst, &c, false);
    return TSR_OK;
}

tsr_error_t model_mint(struct model *m, struct cte *src, struct cte *dst, uint8_t rights,
                       uint64_t badge)
{
    int s;
    tsr_error_t err = decode_derive(m, src, dst, &s);
    if (err)
        return err;
    if ((err = badge_ok(&m->n[s].cap, badge)))
        return err;
    struct cap c = spec_derive(&m->n[s].cap, rights);
    if (badge)
        set_badge(&c, badge);
    place_derived(m, s, dst, &c, badge != 0);
    return TSR_OK;
}

static void move_node(struct model *m, int s, struct cte *src, struct cte *dst)
{
    mslot_set(m, src, -1);
    mslot_set(m, dst, s);
}

tsr_error_t model_move(struct model *m, struct cte *src, struct cte *dst)
{
    int s;
    tsr_error_t err = decode_move(m, src, dst, &s);
    if (err)
        return err;
    move_node(m, s, src, dst);
    return TSR_OK;
}

tsr_error_t model_mutate(struct model *m, struct cte *src, struct cte *dst, uint8_t rights,
                         uint64_t badge)
{
    int s;
    tsr_error_t err = decode_move(m, src, dst, &s);
    if (err)
        return err;
    if ((err = badge_ok(&m->n[s].cap, badge)))
        return err;
    if (badge && !m->n[s].original)
        return TSR_E_ILLEGAL_OPERATION;
    if (badge && m->n[s].first >= 0)
        return TSR_E_REVOKE_FIRST;
    move_node(m, s, src, dst);
    m->n[s].cap.rights &= rights & TSR_RIGHTS_ALL;
    if (badge)
        set_badge(&m->n[s].cap, badge);
    return TSR_OK;
}

tsr_error_t model_mint_guard(struct model *m, struct cte *src, struct cte *dst, uint8_t rights,
                             uint64_t guard, unsigned guard_bits)
{
    int s;
    tsr_error_t err = decode_derive(m, src, dst, &s);
    if (!err)
        err = guard_ok(&m->n[s].cap, guard, guard_bits);
    if (err)
        return err;
    struct cap c = spec_derive(&m->n[s].cap, rights);
    c.w0 = guard;
    c.w1 = guard_bits;
    place_derived(m, s, dst, &c, false);
    return TSR_OK;
}

tsr_error_t model_mutate_guard(struct model *m, struct cte *src, struct cte *dst, uint8_t rights,
                               uint64_t guard, unsigned guard_bits)
{
    int s;
    tsr_error_t err = decode_move(m, src, dst, &s);
    if (!err)
        err = guard_ok(&m->n[s].cap, guard, guard_bits);
    if (err)
        return err;
    move_node(m, s, src, dst);
    m->n[s].cap.rights &= rights & TSR_RIGHTS_ALL;
    m->n[s].cap.w0 = guard;
    m->n[s].cap.w1 = guard_bits;
    return TSR_OK;
}

/* ---- retype ---------------------------------------------------------------- */

static unsigned spec_bits(tsr_object_type_t t, unsigned sb)
{
    switch (t) {
    case TSR_OBJ_UNTYPED:
        return sb >= 4 && sb <= 47 ? sb : 0;
    case TSR_OBJ_CNODE:
        return sb >= TSR_CNODE_MIN_RADIX && sb <= TSR_CNODE_MAX_RADIX ? sb + TSR_SLOT_BITS : 0;
    case TSR_OBJ_TCB:
        return TSR_TCB_BITS;
    case TSR_OBJ_ENDPOINT:
    case TSR_OBJ_REPLY:
        return 5;
    case TSR_OBJ_NOTIFICATION:
        return 6; /* its list of interrupt lines made it 64 bytes */
    case TSR_OBJ_FRAME_4K:
    case TSR_OBJ_PAGE_TABLE:
    case TSR_OBJ_VSPACE:
        return 12;
    case TSR_OBJ_FRAME_2M:
        return 21;
    case TSR_OBJ_MSG_QUEUE:
        return sb >= TSR_MSG_QUEUE_MIN_BITS && sb <= TSR_MSG_QUEUE_MAX_BITS ? sb : 0;
    default:
        return 0;
    }
}

static struct cap spec_new_cap(tsr_object_type_t t, unsigned sb, paddr_t pa, bool device)
{
    static const uint8_t types[] = {
        [TSR_OBJ_UNTYPED] = CAP_UNTYPED,   [TSR_OBJ_CNODE] = CAP_CNODE,
        [TSR_OBJ_TCB] = CAP_TCB,           [TSR_OBJ_ENDPOINT] = CAP_ENDPOINT,
        [TSR_OBJ_NOTIFICATION] = CAP_NOTIFICATION, [TSR_OBJ_REPLY] = CAP_REPLY,
        [TSR_OBJ_FRAME_4K] = CAP_FRAME,    [TSR_OBJ_FRAME_2M] = CAP_FRAME,
        [TSR_OBJ_PAGE_TABLE] = CAP_PAGE_TABLE, [TSR_OBJ_VSPACE] = CAP_VSPACE,
        [TSR_OBJ_MSG_QUEUE] = CAP_MSG_QUEUE,
    };
    struct cap c = {.type = types[t], .rights = TSR_RIGHTS_ALL, .object = pa};
    if (t == TSR_OBJ_UNTYPED || t == TSR_OBJ_CNODE || t == TSR_OBJ_MSG_QUEUE)
        c.size_bits = (uint8_t)sb;
    if (t == TSR_OBJ_FRAME_4K)
        c.size_bits = 12;
    if (t == TSR_OBJ_FRAME_2M)
        c.size_bits = 21;
    if (device && (t == TSR_OBJ_UNTYPED || t == TSR_OBJ_FRAME_4K || t == TSR_OBJ_FRAME_2M))
        c.flags = CAP_FLAG_DEVICE;
    return c;
}

tsr_error_t model_retype(struct model *m, struct cte *ut, tsr_object_type_t type,
                         unsigned size_bits, struct cte *dest, unsigned count)
{
    int u = model_node_at(m, ut);
    if (u < 0 || m->n[u].cap.type != CAP_UNTYPED)
        return TSR_E_INVALID_CAPABILITY;
    unsigned obits = spec_bits(type, size_bits);
    if (!obits)
        return TSR_E_INVALID_ARGUMENT;
    if (count == 0 || count > 256)
        return TSR_E_RANGE;
    if (!dest)
        return TSR_E_INVALID_ARGUMENT;
    for (unsigned i = 0; i < count; i++) {
        if (model_node_at(m, &dest[i]) >= 0)
            return TSR_E_SLOT_OCCUPIED;
    }
    struct cap *uc = &m->n[u].cap;
    bool device = uc->flags & CAP_FLAG_DEVICE;
    if (device && type != TSR_OBJ_FRAME_4K && type != TSR_OBJ_FRAME_2M && type != TSR_OBJ_UNTYPED)
        return TSR_E_ILLEGAL_OPERATION;
    if (!m->n[u].original)
        return TSR_E_ILLEGAL_OPERATION;
    if (obits > uc->size_bits)
        return TSR_E_NOT_ENOUGH_MEMORY;
    uint64_t size = UINT64_C(1) << uc->size_bits;
    uint64_t wm = m->n[u].first >= 0 ? uc->w0 : 0;
    uint64_t align = UINT64_C(1) << obits;
    uint64_t start = (uc->object + wm + align - 1) / align * align;
    uint64_t off = start - uc->object;
    uint64_t need = (uint64_t)count << obits;
    if (off > size || need > size - off)
        return TSR_E_NOT_ENOUGH_MEMORY;
    uc->w0 = off + need;
    for (unsigned i = count; i-- > 0;) {
        paddr_t pa = start + ((uint64_t)i << obits);
        struct cap c = spec_new_cap(type, size_bits, pa, device);
        if (type != TSR_OBJ_UNTYPED)
            mobj_add(m, c.type, pa, obits, false);
        int k = mnode_new(m);
        if (k < 0)
            return TSR_OK;
        m->n[k].cap = c;
        m->n[k].original = true;
        mtree_first_child(m, u, k);
        mslot_set(m, &dest[i], k);
        int ob = mobj_of_cap(m, &c);
        if (ob >= 0)
            m->o[ob].ncaps++;
    }
    return TSR_OK;
}

/* ---- delete and revoke ----------------------------------------------------------- */

/* Delete the capability in node start and everything that goes with it: an
 * object whose last capability goes dies, and every capability in its slots
 * is deleted too. The order does not change the result. */
static bool slot_inside(const struct mobj *o, const struct cte *slot)
{
    uintptr_t p = (uintptr_t)slot, base = (uintptr_t)o->slots;
    return slot && o->nslots && p >= base && p < base + o->nslots * sizeof(struct cte);
}

static void cascade(struct model *m, int start, struct cte *watch, struct cte *watch2)
{
    int *work = malloc(sizeof(int) * MODEL_MAX_NODES);
    size_t nw = 0;
    work[nw++] = start;
    while (nw) {
        int k = work[--nw];
        if (!m->n[k].used || m->n[k].virt)
            continue;
        struct cap cap = m->n[k].cap;
        int ob = mobj_of_cap(m, &cap);
        if (cap.type == CAP_IRQ_HANDLER && cap.w0 < MODEL_IRQS)
            m->irq_caps[cap.w0]--;
        if (m->n[k].slot)
            mslot_set(m, m->n[k].slot, -1);
        mtree_remove(m, k);
        if (ob < 0 || --m->o[ob].ncaps != 0)
            continue;
        struct mobj *o = &m->o[ob];
        m->teardowns++;
        if (slot_inside(o, watch) || slot_inside(o, watch2))
            m->revoke_hit_cycle = true;
        for (unsigned j = 0; j < o->nslots; j++) {
            if (o->node[j] >= 0 && nw < MODEL_MAX_NODES) {
                m->n[o->node[j]].slot = NULL; /* the slot goes with the object */
                work[nw++] = o->node[j];
            }
        }
        mobj_release(m, ob);
    }
    free(work);
}

void model_delete(struct model *m, struct cte *slot)
{
    int k = model_node_at(m, slot);
    if (k >= 0)
        cascade(m, k, NULL, NULL);
}

void model_revoke(struct model *m, struct cte *slot)
{
    /* Children go first-first; a deletion may take the slot itself with it. */
    for (;;) {
        int k = model_node_at(m, slot);
        if (k < 0 || m->n[k].first < 0)
            return;
        int c = m->n[k].first;
        cascade(m, c, m->n[c].slot, slot);
    }
}

bool model_has_children(struct model *m, struct cte *slot)
{
    int k = model_node_at(m, slot);
    return k >= 0 && m->n[k].first >= 0;
}

void model_insert_child(struct model *m, struct cte *parent, struct cte *dst,
                        const struct cap *cap)
{
    int p = model_node_at(m, parent);
    int c = mnode_new(m);
    if (p < 0 || c < 0)
        return;
    m->n[c].cap = *cap;
    m->n[c].original = true;
    mtree_first_child(m, p, c);
    mslot_set(m, dst, c);
    if (cap->type == CAP_IRQ_HANDLER && cap->w0 < MODEL_IRQS)
        m->irq_caps[cap->w0]++;
}

void model_set_mapping(struct model *m, struct cte *slot, uint64_t va, uint64_t asid,
                       unsigned level)
{
    int k = model_node_at(m, slot);
    if (k < 0)
        return;
    m->n[k].cap.w0 = va;
    m->n[k].cap.w1 = asid;
    if (m->n[k].cap.type == CAP_PAGE_TABLE)
        m->n[k].cap.size_bits = (uint8_t)level;
}

/* ---- lookup ------------------------------------------------------------------- */

static uint64_t field(uint64_t x, unsigned lo, unsigned n)
{
    if (n == 0)
        return 0;
    uint64_t v = x >> lo;
    return n == 64 ? v : v & ((UINT64_C(1) << n) - 1);
}

tsr_error_t model_lookup(struct model *m, const struct cap *root, uint64_t cptr, unsigned depth,
                         bool stop_at_leaf, struct cte **slot)
{
    if (depth < 1 || depth > 64)
        return TSR_E_RANGE;
    if (!root || root->type != CAP_CNODE)
        return TSR_E_INVALID_CAPABILITY;
    struct cap node = *root;
    unsigned left = depth;
    for (int level = 0; level < 64; level++) {
        unsigned radix = node.size_bits;
        if (node.w1 > 64 || radix + node.w1 == 0)
            return TSR_E_LOOKUP_FAILED;
        unsigned gb = (unsigned)node.w1, lb = radix + gb;
        if (lb > left || field(cptr, left - gb, gb) != node.w0)
            return TSR_E_LOOKUP_FAILED;
        struct cte *s = (struct cte *)(uintptr_t)node.object + field(cptr, left - lb, radix);
        left -= lb;
        if (left == 0) {
            *slot = s;
            return TSR_OK;
        }
        int k = model_node_at(m, s);
        if (k < 0 || m->n[k].cap.type != CAP_CNODE) {
            if (!stop_at_leaf)
                return TSR_E_LOOKUP_FAILED;
            *slot = s;
            return TSR_OK;
        }
        node = m->n[k].cap;
    }
    return TSR_E_LOOKUP_FAILED;
}
