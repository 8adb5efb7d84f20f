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
    CAP_ZOMBIE,
    CAP_TYPE_COUNT
};

/* Flags in struct cap.flags. */
#define CAP_FLAG_DEVICE 0x1u /* untyped/frame: device memory, never zeroed or in the direct map */

/* A capability: 32 bytes. Field use by type:
 *   UNTYPED       object = base, size_bits, a = watermark (bytes used from base)
 *   CNODE         object, size_bits = radix, a = guard value, b = guard bits
 *   TCB, REPLY    object
 *   ENDPOINT,
 *   NOTIFICATION  object, a = badge (0 = unbadged)
 *   FRAME         object, size_bits (12 or 21), a = mapped user VA,
 *                 b = ASID of the address space it is mapped in (0 = unmapped)
 *   PAGE_TABLE    object, size_bits = level once mapped (1-3, 0 unmapped),
 *                 a = mapped user VA, b = ASID mapped in (0 = unmapped)
 *   VSPACE        object, a = assigned ASID (0 = none yet)
 *   ASID_CONTROL  (nothing)
 *   ASID_POOL     object, a = first ASID of the pool
 *   IRQ_CONTROL   (nothing)
 *   IRQ_HANDLER   a = interrupt id
 *   ZOMBIE        object = the dying object (a CNode or a TCB: objects that
 *                 hold slots), b = its original cap type, a = slots not yet
 *                 emptied (counts down to 0); rights, flags and size_bits are
 *                 the original capability's (a CNode's radix stays in
 *                 size_bits). Only cap/ makes zombies; see cdt.h.
 */
struct cap {
    uint8_t type;     /* enum cap_type */
    uint8_t rights;   /* TSR_RIGHT_* */
    uint8_t flags;    /* CAP_FLAG_* */
    uint8_t size_bits;
    uint32_t reserved;
    paddr_t object;
    uint64_t a;
    uint64_t b;
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
 * TCB's few (CSpace root, VSpace root, IPC buffer, fault endpoint...). Returns
 * the count and sets *slots to the first; 0 for objects without slots. */
unsigned cap_hook_object_slots(const struct cap *cap, struct cte **slots);
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
