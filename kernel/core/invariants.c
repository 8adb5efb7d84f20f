/* SPDX-License-Identifier: MIT */
/* The kernel's invariant checker (DebugCheck, debug kernels only): walks
 * every capability reachable from the root task's CNode through the
 * derivation tree and checks the structures the kernel trusts:
 *   - the derivation list: links agree both ways, it ends, no empty slot in it;
 *   - untyped memory: every object made from an untyped lies below its
 *     watermark, and distinct objects never overlap;
 *   - queues: each endpoint's and notification's waiters point back at it
 *     in the right state; the ready queues and their bitmaps agree; a thread
 *     blocked on an object is on that object's queue; a caller waiting for a
 *     reply is the one its reply object names;
 *   - mappings: every entry of every live address space is one a
 *     capability made and records (a frame, a page table, a page of a
 *     message queue's view): no page stays mapped without a capability,
 *     the stale-mapping bug the fuzzer hunts;
 *   - FP/SIMD: the thread whose values the registers hold is a live TCB's,
 *     and not a stopped one (the kernel would otherwise store them into
 *     whatever the memory has become), and FP/SIMD is on only for it.
 * The fuzz image (userland/fuzz) calls it every few hundred system calls.
 * It stops at the first broken invariant, prints it, and returns its number
 * (enum invariant); the walk is bounded so a cycle is reported, not a hang. */
#include <stdbool.h>
#include <stdint.h>

#include "arch.h"
#include "boot/rootserver.h"
#include "cap/cap.h"
#include "cap/cap_internal.h"
#include "cap/cdt.h"
#include "core/invariants.h"
#include "core/printf.h"
#include "core/sched.h"
#include "ipc/ipc.h"
#include "object/asid.h"
#include "object/tcb.h"

#ifdef TESSERA_DEBUG

#define WALK_LIMIT (1u << 22) /* more capabilities than memory can hold: a cycle */

struct check {
    enum invariant failed;
    unsigned long caps;
};

static bool fail(struct check *c, enum invariant inv, const char *why, const void *where)
{
    if (!c->failed) {
        c->failed = inv;
        kprintf("INVARIANT %u broken: %s (at %p)\n", (unsigned)inv, why, where);
    }
    return false;
}

static uint64_t object_end(const struct cap *cap)
{
    return cap->object + (1ull << cap_memory_bits(cap));
}

/* Where untyped slot u's descendants end: the capabilities after it that
 * it is the parent of (contiguous, as the derivation list keeps them). */
static const struct cte *untyped_run_end(const struct cte *u)
{
    const struct cte *x = u->mdb.next;
    for (unsigned long n = 0; x && cap_mdb_is_parent(u, x) && n < WALK_LIMIT; n++)
        x = x->mdb.next;
    return x;
}

/* The next object made directly from an untyped after x (which is one, or
 * the untyped itself): copies of x and, if x is an untyped, everything made
 * from it are skipped. */
static const struct cte *next_object(const struct cte *x, const struct cte *end)
{
    const struct cte *y = x->mdb.next;
    uint64_t s = x->cap.object, e = object_end(&x->cap);
    while (y != end && y->cap.object >= s && object_end(&y->cap) <= e)
        y = y->mdb.next;
    return y;
}

/* Every object made from untyped u lies inside it below its watermark, and
 * no two overlap (each pair is compared: the order of the list says
 * nothing about addresses once capabilities move). */
static bool check_untyped(struct check *c, const struct cte *u)
{
    uint64_t base = u->cap.object, top = base + cap_untyped_watermark(&u->cap);
    if (cap_untyped_watermark(&u->cap) > (1ull << u->cap.size_bits))
        return fail(c, INV_UNTYPED, "watermark beyond the untyped", u);
    const struct cte *end = untyped_run_end(u);
    for (const struct cte *x = next_object(u, end); x != end; x = next_object(x, end)) {
        uint64_t s = x->cap.object, e = object_end(&x->cap);
        if (s < base || e > top)
            return fail(c, INV_UNTYPED, "object lies past its untyped's watermark", x);
        for (const struct cte *y = next_object(x, end); y != end; y = next_object(y, end))
            if (y->cap.object < e && s < object_end(&y->cap))
                return fail(c, INV_UNTYPED, "two objects overlap", y);
    }
    return true;
}

/* t is on queue q (bounded walk). */
static bool on_queue(const struct thread_queue *q, const struct tcb *t)
{
    unsigned long n = 0;
    for (const struct tcb *x = q->head; x && n < WALK_LIMIT; x = x->queue_next, n++)
        if (x == t)
            return true;
    return false;
}

static bool check_queue(struct check *c, const struct thread_queue *q, paddr_t pa, uint8_t state,
                        const void *where)
{
    const struct tcb *prev = NULL;
    unsigned long n = 0;
    for (const struct tcb *t = q->head; t; prev = t, t = t->queue_next) {
        if (++n > WALK_LIMIT)
            return fail(c, INV_QUEUE, "thread queue does not end", where);
        if (t->queue_prev != prev)
            return fail(c, INV_QUEUE, "thread queue link broken", t);
        if (t->blocked_on != pa || t->state != state || t->in_ready_queue)
            return fail(c, INV_QUEUE, "queued thread not blocked on this object", t);
    }
    if (q->tail != prev)
        return fail(c, INV_QUEUE, "thread queue tail is not its last thread", where);
    return true;
}

static bool check_thread(struct check *c, const struct tcb *t)
{
    if (t->state > THREAD_BLOCKED_NOTIFICATION)
        return fail(c, INV_THREAD, "thread state out of range", t);
    if (t->state == THREAD_RUNNABLE && !t->in_ready_queue && t != sched_current)
        return fail(c, INV_THREAD, "runnable thread neither running nor queued", t);
    if (t->in_ready_queue && t->state != THREAD_RUNNABLE)
        return fail(c, INV_THREAD, "blocked thread in a ready queue", t);
    switch (t->state) {
    case THREAD_BLOCKED_SEND:
    case THREAD_BLOCKED_RECV:
        if (!on_queue(&endpoint_from_pa(t->blocked_on)->queue, t))
            return fail(c, INV_THREAD, "thread blocked on an endpoint is not on its queue", t);
        break;
    case THREAD_BLOCKED_NOTIFICATION:
        if (!on_queue(&notification_from_pa(t->blocked_on)->waiters, t))
            return fail(c, INV_THREAD, "thread waiting on a notification is not on its queue", t);
        break;
    case THREAD_BLOCKED_REPLY:
        if (reply_from_pa(t->caller_reply)->caller != t)
            return fail(c, INV_THREAD, "caller waits on a reply object that names another", t);
        break;
    default:
        break;
    }
    if (t->bound_notification && notification_from_pa(t->bound_notification)->bound != t)
        return fail(c, INV_THREAD, "bound notification does not name its thread", t);
    return true;
}

/* The checks made once per object, at its first capability in the list. */
static bool check_object(struct check *c, const struct cte *x)
{
    const struct cap *cap = &x->cap;
    switch (cap->type) {
    case CAP_ENDPOINT: {
        const struct endpoint *ep = endpoint_from_pa(cap->object);
        uint8_t want = ep->state == ENDPOINT_SENDING     ? THREAD_BLOCKED_SEND
                       : ep->state == ENDPOINT_RECEIVING ? THREAD_BLOCKED_RECV
                                                         : 0;
        if (ep->state > ENDPOINT_RECEIVING || (want == 0) != (ep->queue.head == NULL))
            return fail(c, INV_QUEUE, "endpoint state disagrees with its queue", ep);
        return check_queue(c, &ep->queue, cap->object, want, ep);
    }
    case CAP_NOTIFICATION: {
        const struct notification *n = notification_from_pa(cap->object);
        if (n->word && n->waiters.head)
            return fail(c, INV_QUEUE, "notification has both pending bits and waiters", n);
        if (n->bound && n->bound->bound_notification != cap->object)
            return fail(c, INV_QUEUE, "notification's bound thread does not name it", n);
        return check_queue(c, &n->waiters, cap->object, THREAD_BLOCKED_NOTIFICATION, n);
    }
    case CAP_TCB:
        return check_thread(c, tcb_from_pa(cap->object));
    case CAP_REPLY: {
        const struct reply *r = reply_from_pa(cap->object);
        if (r->caller && (r->caller->state != THREAD_BLOCKED_REPLY ||
                          r->caller->caller_reply != cap->object))
            return fail(c, INV_THREAD, "reply object names a caller not waiting on it", r);
        return true;
    }
    default:
        return true;
    }
}

typedef bool (*cap_visit)(struct check *c, const struct cte *x, void *arg);

/* Visit every capability in every derivation list that starts in the root
 * task's CNode (in the fuzz image, every capability there is). */
static void for_each_cap(struct check *c, cap_visit visit, void *arg)
{
    const struct tcb *root = rootserver_root_thread();
    const struct cap *cspace = &root->slots[TCB_SLOT_CSPACE].cap;
    if (cspace->type != CAP_CNODE)
        return;
    const struct cte *slots = arch_object_to_virt(cspace->object);
    for (uint64_t i = 0; i < (1ull << cap_cnode_radix(cspace)); i++) {
        if (slots[i].cap.type == CAP_NULL || slots[i].mdb.prev)
            continue; /* empty, or not the head of its list */
        unsigned long n = 0;
        for (const struct cte *x = &slots[i]; x; x = x->mdb.next) {
            if (++n > WALK_LIMIT) {
                fail(c, INV_CDT, "derivation list does not end", &slots[i]);
                return;
            }
            if (!visit(c, x, arg))
                return;
        }
    }
}

static bool visit_structure(struct check *c, const struct cte *x, void *arg)
{
    (void)arg;
    c->caps++;
    if (x->cap.type == CAP_NULL || x->cap.type >= CAP_TYPE_COUNT)
        return fail(c, INV_CDT, "empty or unknown capability in the derivation list", x);
    if ((x->mdb.next && x->mdb.next->mdb.prev != x) || (x->mdb.prev && x->mdb.prev->mdb.next != x))
        return fail(c, INV_CDT, "derivation list links disagree", x);
    if (x->cap.type == CAP_UNTYPED && !check_untyped(c, x))
        return false;
    bool first = !x->mdb.prev || !cap_same_object(&x->mdb.prev->cap, &x->cap);
    return !first || check_object(c, x);
}

/* An address space's entries must each be one a capability made: a leaf
 * per frame mapped through a capability and per page of a message queue's
 * view, a table per page-table capability. A capability's record of its
 * mapping may outlive the mapping (a table above it was unlinked and
 * cleared, as in seL4, and Unmap then finds nothing to remove), so only
 * records the tables confirm are counted, each mapping once. */
struct space_count {
    unsigned asid;
    paddr_t vspace;
    uint64_t leaves, tables;
};

static bool leaf_is(paddr_t vspace, uint64_t va, paddr_t pa, unsigned size_bits)
{
    uint64_t got;
    unsigned bits;
    return arch_vspace_leaf(vspace, va, &got, &bits) && got == pa && bits == size_bits;
}

/* x confirmed-maps its frame at its recorded place, and no earlier
 * capability to the same frame records the same place. */
static bool frame_mapping_counts(const struct space_count *s, const struct cte *x)
{
    const struct cap *cap = &x->cap;
    uint64_t va = cap_mapped_va(cap);
    if (!leaf_is(s->vspace, va, cap->object, cap->size_bits))
        return false;
    for (const struct cte *p = x->mdb.prev; p && cap_same_object(&p->cap, cap); p = p->mdb.prev)
        if (cap_mapped_asid(&p->cap) == s->asid && cap_mapped_va(&p->cap) == va)
            return false;
    return true;
}

static bool visit_count(struct check *c, const struct cte *x, void *arg)
{
    (void)c;
    struct space_count *s = arg;
    const struct cap *cap = &x->cap;
    if (cap_is_mappable(cap) && cap_mapped_asid(cap) == s->asid) {
        if (cap->type == CAP_FRAME)
            s->leaves += frame_mapping_counts(s, x);
        else
            s->tables += arch_vspace_table_at(s->vspace, cap_mapped_va(cap), cap->size_bits) ==
                         cap->object;
    } else if (cap->type == CAP_MSG_QUEUE &&
               (!x->mdb.prev || !cap_same_object(&x->mdb.prev->cap, cap))) {
        unsigned asid;
        uint64_t va;
        unsigned pages = msgq_mapped_pages(cap, &asid, &va);
        for (unsigned i = 0; asid == s->asid && i < pages; i++)
            s->leaves += leaf_is(s->vspace, va + (uint64_t)i * TSR_PAGE_SIZE,
                                 cap->object + (uint64_t)i * TSR_PAGE_SIZE, TSR_PAGE_BITS);
    }
    return true;
}

static bool visit_spaces(struct check *c, const struct cte *x, void *arg)
{
    (void)arg;
    const struct cap *cap = &x->cap;
    if (cap->type != CAP_VSPACE || (x->mdb.prev && cap_same_object(&x->mdb.prev->cap, cap)))
        return true;
    unsigned asid = cap_vspace_asid(cap);
    if (!asid || asid_lookup(asid) != cap->object)
        return true;
    struct space_count want = {.asid = asid, .vspace = cap->object};
    uint64_t leaves, tables;
    for_each_cap(c, visit_count, &want);
    arch_vspace_count(cap->object, &leaves, &tables);
    if (leaves != want.leaves)
        return fail(c, INV_MAPPING, "address space holds a page no capability maps", x);
    if (tables != want.tables)
        return fail(c, INV_MAPPING, "address space links a table no capability maps", x);
    return true;
}

/* Found when a TCB capability names the owner's thread. */
struct fpu_owner_search {
    const struct arch_context *owner;
    const struct tcb *found;
};

static bool visit_fpu_owner(struct check *c, const struct cte *x, void *arg)
{
    (void)c;
    struct fpu_owner_search *s = arg;
    if (x->cap.type == CAP_TCB && &tcb_from_pa(x->cap.object)->ctx == s->owner)
        s->found = tcb_from_pa(x->cap.object);
    return !s->found;
}

static void check_fpu(struct check *c)
{
    const char *why = arch_fpu_check(&sched_current->ctx);
    if (why) {
        fail(c, INV_FPU, why, sched_current);
        return;
    }
    struct fpu_owner_search s = {.owner = arch_fpu_owner()};
    if (!s.owner)
        return;
    for_each_cap(c, visit_fpu_owner, &s);
    if (!s.found)
        fail(c, INV_FPU, "the FP/SIMD registers' owner is no live thread", s.owner);
    else if (s.found->state == THREAD_INACTIVE)
        fail(c, INV_FPU, "a stopped thread owns the FP/SIMD registers", s.found);
}

enum invariant invariants_check(unsigned long *caps_checked)
{
    struct check c = {0};
    unsigned ready;
    const char *why = sched_check(&ready);
    if (why)
        fail(&c, INV_SCHED, why, NULL);
    if (!c.failed)
        for_each_cap(&c, visit_structure, NULL);
    if (!c.failed)
        for_each_cap(&c, visit_spaces, NULL);
    if (!c.failed)
        check_fpu(&c);
    *caps_checked = c.caps;
    return c.failed;
}

#else

enum invariant invariants_check(unsigned long *caps_checked)
{
    *caps_checked = 0;
    return INV_OK;
}

#endif
