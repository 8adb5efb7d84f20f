/* SPDX-License-Identifier: MIT */
/* The capability core's data: what a capability is, what a CNode slot holds,
 * and the hooks the kernel supplies. Pure C with no hardware access, so the
 * same code runs in the kernel and in host tests (where the hooks are mocks).
 *
 * A slot ("cte") is 64 bytes: a 32-byte capability and the 32-byte node that
 * links it into the capability derivation tree (the "MDB"). The MDB is kept, as
 * in seL4, as one doubly linked list in depth-first order: every descendant of
 * a capability follows it directly, and the parent relation is decided from
 * the capabilities themselves (cap_mdb_is_parent), so delete and move are O(1).
 * Objects are named by physical address; the kernel reaches them through its
 * direct map (cap_hook_phys_to_virt). No C bitfields: plain fixed-width fields. */
#ifndef CAP_CAP_H
#define CAP_CAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <tessera/errors.h>
#include <tessera/objects.h>

typedef uint64_t paddr_t;

/* Capability types. Not ABI: user space names object types with
 * tsr_object_type_t. CAP_ZOMBIE marks a CNode whose last capability is
 * being deleted and whose slots are being emptied (see cap_delete). */
enum cap_type {
    CAP_NULL = 0,
    CAP_UNTYPED,
    CAP_CNODE,
    CAP_TCB,
    CAP_ENDPOINT,
    CAP_NOTIFICATION,
    CAP_REPLY,
    CAP_FRAME,
    CAP_PAGE_TABLE,
    CAP_VSPACE,
    CAP_ASID_CONTROL,
    CAP_ASID_POOL,
    CAP_IRQ_CONTROL,
    CAP_IRQ_HANDLER,
    CAP_MSG_QUEUE,
    CAP_ZOMBIE,
    CAP_TYPE_COUNT
};

/* Flags in struct cap.flags. */
#define CAP_FLAG_DEVICE 0x1u /* untyped/frame: device memory, never zeroed or in the direct map */

/* A capability: 32 bytes. The common fields are plain; the two words whose
 * meaning depends on the type (w0, w1) are read and written only through the
 * typed accessors below (tests/kernel/layering.sh checks that nothing else
 * names them). By type:
 *   UNTYPED       object = base, size_bits, watermark (bytes used from base)
 *   CNODE         object, size_bits = radix, guard value and guard bits
 *   TCB, REPLY    object
 *   ENDPOINT,
 *   NOTIFICATION  object, badge (0 = unbadged)
 *   FRAME         object, size_bits (12 or 21), the mapping: user VA and the
 *                 ASID of the address space it is mapped in (0 = unmapped)
 *   PAGE_TABLE    object, the mapping: level (1-3, 0 unmapped, kept in
 *                 size_bits), user VA of the region it serves, ASID
 *   VSPACE        object, assigned ASID (0 = none yet)
 *   ASID_CONTROL  (nothing)
 *   ASID_POOL     object, first ASID of the pool
 *   IRQ_CONTROL   (nothing)
 *   IRQ_HANDLER   interrupt id
 *   MSG_QUEUE     object, size_bits, badge (0 = unbadged) and quota (the most
 *                 undrained messages of that badge; 0 = no limit)
 *   ZOMBIE        object = the dying object (a CNode or a TCB: objects that
 *                 hold slots), its original cap type, slots not yet emptied
 *                 (counts down to 0); rights, flags and size_bits are the
 *                 original capability's (a CNode's radix stays in
 *                 size_bits). Only cap/ makes zombies; see cdt.h.
 */
struct cap {
    uint8_t type;     /* enum cap_type */
    uint8_t rights;   /* TSR_RIGHT_* */
    uint8_t flags;    /* CAP_FLAG_* */
    uint8_t size_bits;
    uint32_t reserved;
    paddr_t object;
    uint64_t w0, w1;  /* by type: use the accessors */
};

struct cte;

/* The derivation-tree node of a slot. */
struct mdb_node {
    struct cte *prev;
    struct cte *next;
    uint8_t revocable;    /* original capability: may have children */
    uint8_t first_badged; /* first capability minted with its badge */
    uint8_t reserved[14];
};

struct cte {
    struct cap cap;
    struct mdb_node mdb;
};

_Static_assert(sizeof(struct cap) == 32, "capability is 32 bytes");
_Static_assert(sizeof(struct cte) == (1u << TSR_SLOT_BITS), "slot size is 2^TSR_SLOT_BITS");

/* ---- typed accessors and constructors ---------------------------------------
 * The one place that knows which word holds what. Debug builds (host tests,
 * TESSERA_DEBUG kernels) trap on an accessor used on the wrong type. */
#if defined(TESSERA_HOST) || defined(TESSERA_DEBUG)
#define CAP_CHECK(c, cond) ((cond) ? (void)0 : __builtin_trap())
#else
#define CAP_CHECK(c, cond) ((void)0)
#endif
#define CAP_IS(c, t) ((c)->type == (t))

/* Untyped: bytes used from the base. */
static inline uint64_t cap_untyped_watermark(const struct cap *c)
{
    CAP_CHECK(c, CAP_IS(c, CAP_UNTYPED));
    return c->w0;
}
static inline void cap_untyped_set_watermark(struct cap *c, uint64_t used)
{
    CAP_CHECK(c, CAP_IS(c, CAP_UNTYPED));
    c->w0 = used;
}

/* CNode: radix (size_bits) and guard. */
static inline unsigned cap_cnode_radix(const struct cap *c)
{
    CAP_CHECK(c, CAP_IS(c, CAP_CNODE));
    return c->size_bits;
}
static inline uint64_t cap_cnode_guard(const struct cap *c)
{
    CAP_CHECK(c, CAP_IS(c, CAP_CNODE));
    return c->w0;
}
static inline uint64_t cap_cnode_guard_bits(const struct cap *c)
{
    CAP_CHECK(c, CAP_IS(c, CAP_CNODE));
    return c->w1;
}
static inline void cap_cnode_set_guard(struct cap *c, uint64_t guard, uint64_t guard_bits)
{
    CAP_CHECK(c, CAP_IS(c, CAP_CNODE));
    c->w0 = guard;
    c->w1 = guard_bits;
}

/* Endpoint, notification and message queue: the badge (0 = unbadged). */
static inline bool cap_has_badge_field(const struct cap *c)
{
    return c->type == CAP_ENDPOINT || c->type == CAP_NOTIFICATION || c->type == CAP_MSG_QUEUE;
}
static inline uint64_t cap_badge(const struct cap *c)
{
    CAP_CHECK(c, cap_has_badge_field(c));
    return c->w0;
}
static inline void cap_set_badge(struct cap *c, uint64_t badge)
{
    CAP_CHECK(c, cap_has_badge_field(c));
    c->w0 = badge;
}

/* Message queue: the sender quota minted with the badge (0 = no limit). */
static inline uint64_t cap_msgq_quota(const struct cap *c)
{
    CAP_CHECK(c, CAP_IS(c, CAP_MSG_QUEUE));
    return c->w1;
}
static inline void cap_msgq_set_quota(struct cap *c, uint64_t quota)
{
    CAP_CHECK(c, CAP_IS(c, CAP_MSG_QUEUE));
    c->w1 = quota;
}

/* Frame and page table: where the capability maps its object (ASID 0:
 * nowhere). A page table's level (1-3) lives in size_bits once mapped. */
static inline bool cap_is_mappable(const struct cap *c)
{
    return c->type == CAP_FRAME || c->type == CAP_PAGE_TABLE;
}
static inline uint64_t cap_mapped_va(const struct cap *c)
{
    CAP_CHECK(c, cap_is_mappable(c));
    return c->w0;
}
static inline unsigned cap_mapped_asid(const struct cap *c)
{
    CAP_CHECK(c, cap_is_mappable(c));
    return (unsigned)c->w1;
}
static inline void cap_set_mapping(struct cap *c, uint64_t va, unsigned asid)
{
    CAP_CHECK(c, cap_is_mappable(c));
    c->w0 = va;
    c->w1 = asid;
}
static inline unsigned cap_page_table_level(const struct cap *c)
{
    CAP_CHECK(c, CAP_IS(c, CAP_PAGE_TABLE));
    return c->size_bits;
}
static inline void cap_page_table_set_level(struct cap *c, unsigned level)
{
    CAP_CHECK(c, CAP_IS(c, CAP_PAGE_TABLE));
    c->size_bits = (uint8_t)level;
}

/* VSpace: its ASID (0 = none assigned yet). */
static inline unsigned cap_vspace_asid(const struct cap *c)
{
    CAP_CHECK(c, CAP_IS(c, CAP_VSPACE));
    return (unsigned)c->w0;
}
static inline void cap_vspace_set_asid(struct cap *c, unsigned asid)
{
    CAP_CHECK(c, CAP_IS(c, CAP_VSPACE));
    c->w0 = asid;
}

/* ASID pool: its first ASID. */
static inline unsigned cap_asid_pool_base(const struct cap *c)
{
    CAP_CHECK(c, CAP_IS(c, CAP_ASID_POOL));
    return (unsigned)c->w0;
}

/* IRQ handler: its interrupt line. */
static inline unsigned cap_irq_handler_intid(const struct cap *c)
{
    CAP_CHECK(c, CAP_IS(c, CAP_IRQ_HANDLER));
    return (unsigned)c->w0;
}

/* Zombie: the original type and the slots still to empty. */
static inline enum cap_type cap_zombie_type(const struct cap *c)
{
    CAP_CHECK(c, CAP_IS(c, CAP_ZOMBIE));
    return (enum cap_type)c->w1;
}
static inline uint64_t cap_zombie_remaining(const struct cap *c)
{
    CAP_CHECK(c, CAP_IS(c, CAP_ZOMBIE));
    return c->w0;
}
static inline void cap_zombie_set_remaining(struct cap *c, uint64_t n)
{
    CAP_CHECK(c, CAP_IS(c, CAP_ZOMBIE));
    c->w0 = n;
}
/* Turn the capability in place into the zombie of its object. */
static inline void cap_make_zombie(struct cap *c, uint64_t slots)
{
    c->w1 = c->type;
    c->type = CAP_ZOMBIE;
    c->w0 = slots;
}

/* Constructors: a capability with all rights to a new or boot-time object. */
static inline struct cap cap_make(enum cap_type type, paddr_t object)
{
    struct cap c = {0};
    c.type = (uint8_t)type;
    c.rights = TSR_RIGHTS_ALL;
    c.object = object;
    return c;
}
static inline struct cap cap_make_untyped(paddr_t base, unsigned size_bits, bool device)
{
    struct cap c = cap_make(CAP_UNTYPED, base);
    c.size_bits = (uint8_t)size_bits;
    c.flags = device ? CAP_FLAG_DEVICE : 0;
    return c;
}
static inline struct cap cap_make_cnode(paddr_t object, unsigned radix, uint64_t guard,
                                        uint64_t guard_bits)
{
    struct cap c = cap_make(CAP_CNODE, object);
    c.size_bits = (uint8_t)radix;
    cap_cnode_set_guard(&c, guard, guard_bits);
    return c;
}
static inline struct cap cap_make_frame(paddr_t object, unsigned size_bits, bool device)
{
    struct cap c = cap_make(CAP_FRAME, object);
    c.size_bits = (uint8_t)size_bits;
    c.flags = device ? CAP_FLAG_DEVICE : 0;
    return c;
}
static inline struct cap cap_make_vspace(paddr_t object, unsigned asid)
{
    struct cap c = cap_make(CAP_VSPACE, object);
    cap_vspace_set_asid(&c, asid);
    return c;
}
static inline struct cap cap_make_asid_pool(paddr_t object, unsigned base)
{
    struct cap c = cap_make(CAP_ASID_POOL, object);
    c.w0 = base;
    return c;
}
static inline struct cap cap_make_irq_handler(unsigned intid)
{
    struct cap c = cap_make(CAP_IRQ_HANDLER, 0);
    c.w0 = intid;
    return c;
}

/* ---- hooks the kernel provides (host tests provide mocks) ------------------- */

/* The kernel's pointer to physical address pa (direct map). */
void *cap_hook_phys_to_virt(paddr_t pa);
/* A new object of `type` was carved out of untyped memory at pa: prepare its
 * memory (zero it unless device memory, initialise kernel state). size_bits is
 * the object's size in bytes as a power of two (a CNode's radix +
 * TSR_SLOT_BITS). Called for sub-untypeds too, which need no preparation.
 * A CNode's or TCB's slots must read as empty (all zero) afterwards. */
void cap_hook_object_init(enum cap_type type, paddr_t pa, unsigned size_bits, bool device);
/* The slots held inside the object `cap` names: a CNode's 2^radix slots, a
 * TCB's few (CSpace root, VSpace root, IPC buffer, fault endpoint...), a
 * message queue's one (its notification). Returns the count and sets *slots
 * to the first; 0 for objects without slots. */
unsigned cap_hook_object_slots(const struct cap *cap, struct cte **slots);
/* The last capability to an object without slots is about to be deleted:
 * do one bounded unit of the work its teardown needs (cancel a few of the
 * threads waiting on it). Returns true while work remains: cap/ then calls
 * again, one unit of the deletion budget each time, and removes the
 * capability only once it returns false. So no single step, and no
 * preemptible call, costs more than a unit however many threads wait. */
bool cap_hook_object_drain(const struct cap *cap);
/* The last capability to an object with slots is being deleted: called once,
 * before the first slot is emptied, so the kernel can stop the object being
 * used meanwhile (a TCB is suspended). */
void cap_hook_object_dying(const struct cap *cap);
/* A capability is leaving its slot. `final` is true when it was the last
 * capability to its object, which must then be torn down (threads stopped,
 * IPC cancelled, mappings removed, interrupts released). A mapped frame or
 * page-table capability is unmapped even when not final: each mapping belongs
 * to one capability. For objects with slots, cap_delete has already emptied
 * every slot (through a zombie) before the final call, and `cap` is the
 * original capability rebuilt from the zombie (type, rights, flags, size_bits,
 * object; a = b = 0). Called after the slot has been cleared and unlinked, with
 * a pointer to a copy. Untyped capabilities are always final (as in seL4):
 * deleting one never affects the objects made from it. */
void cap_hook_cap_removed(const struct cap *cap, bool final);

#endif /* CAP_CAP_H */
