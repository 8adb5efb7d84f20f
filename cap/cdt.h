/* SPDX-License-Identifier: MIT */
/* The capability derivation tree: copy, mint, move, mutate, delete, revoke.
 *
 * Parent relation (cap_mdb_is_parent(a, b), b after a in the list), as seL4:
 *  - a must be revocable (an original: made by retype, or the first mint of a
 *    badge);
 *  - an untyped is the parent of every capability to memory inside its region;
 *  - otherwise a and b must name the same object; an unbadged original
 *    endpoint/notification is the parent of all its badged copies; a badged
 *    original is the parent only of capabilities with the same badge that are
 *    not themselves first_badged.
 * All capabilities to one object are contiguous in the list, so finality
 * (the last capability to an object) is decided by looking at the neighbours.
 * When a capability leaves the list, the one after it inherits its
 * first_badged flag (as seL4), so the copies of a deleted badged original are
 * not adopted by an earlier original with the same badge.
 *
 * Long operations are preemptible: cap_delete and cap_revoke take a work
 * budget, stop with TSR_E_PREEMPTED when it runs out, and leave every
 * structure consistent so that calling again continues where they stopped. */
#ifndef CAP_CDT_H
#define CAP_CDT_H

#include "cap.h"

bool cap_mdb_is_parent(const struct cte *a, const struct cte *b);
bool cap_same_object(const struct cap *a, const struct cap *b);
bool cap_is_final(const struct cte *slot);
/* True if the slot's capability has at least one child in the tree. */
bool cap_has_children(const struct cte *slot);

/* Insert `cap` into the empty slot `dst` as a child of `parent` (placed right
 * after it), or as a root of the tree when parent is NULL (boot-time caps).
 * A revocable capability is also first_badged (an original starts its own
 * badge group). Kernel-only and trusted: does nothing if dst is NULL or not
 * empty or cap is a null capability. */
void cap_insert(struct cte *parent, struct cte *dst, const struct cap *cap, bool revocable);

/* Copy src into the empty slot dst as its child, with rights reduced to
 * src.rights & rights. The copy of a mapped frame is unmapped (a mapping
 * belongs to one capability). The copy is not revocable. Errors, in the order
 * they are checked: TSR_E_INVALID_ARGUMENT (src or dst NULL),
 * TSR_E_INVALID_CAPABILITY (src empty or a type that cannot be copied: zombie,
 * IRQ control, ASID control; untyped — a second capability to an untyped
 * would need a shared watermark; a page table — the one capability that maps
 * it is what stops it being linked twice; a VSpace without an ASID yet — its
 * copies could each be given one), TSR_E_SLOT_OCCUPIED (dst not empty, which
 * includes dst == src). */
tsr_error_t cap_copy(struct cte *src, struct cte *dst, uint8_t rights);
/* As cap_copy, also setting a badge on an endpoint/notification capability.
 * A non-zero badge may only be set on an unbadged endpoint or notification
 * capability (TSR_E_ILLEGAL_OPERATION otherwise, checked after the cap_copy
 * errors); the result is revocable and first_badged, so revoking it removes
 * its copies. Badge 0 = plain copy. */
tsr_error_t cap_mint(struct cte *src, struct cte *dst, uint8_t rights, uint64_t badge);
/* Move src to the empty slot dst, keeping its place in the tree. Errors:
 * TSR_E_INVALID_ARGUMENT (NULL), TSR_E_INVALID_CAPABILITY (src empty or a
 * zombie), TSR_E_SLOT_OCCUPIED (dst not empty, including dst == src). */
tsr_error_t cap_move(struct cte *src, struct cte *dst);
/* Move, reducing rights and optionally setting a badge on an unbadged
 * original endpoint/notification capability. Errors: as cap_move, then
 * TSR_E_ILLEGAL_OPERATION (badge on another type, on a badged capability or
 * on a capability that is not an original), TSR_E_REVOKE_FIRST (badge on a
 * capability with children: they would silently stop being its children).
 * The badged result stays revocable and becomes first_badged. */
tsr_error_t cap_mutate(struct cte *src, struct cte *dst, uint8_t rights, uint64_t badge);

/* As cap_mint and cap_mutate for CNode capabilities: set the guard (value
 * `guard`, `guard_bits` bits) used by CSpace lookups. Errors: as cap_copy /
 * cap_move, then TSR_E_INVALID_CAPABILITY (src is not a CNode capability),
 * TSR_E_INVALID_ARGUMENT (guard_bits + radix > 64, or guard has bits set at
 * or above guard_bits). The minted copy is a non-revocable child like a copy. */
tsr_error_t cap_mint_guard(struct cte *src, struct cte *dst, uint8_t rights, uint64_t guard,
                           unsigned guard_bits);
tsr_error_t cap_mutate_guard(struct cte *src, struct cte *dst, uint8_t rights, uint64_t guard,
                             unsigned guard_bits);

/* Each operation above also comes as a decode step that checks everything
 * and changes nothing, filling in a cap_change, and cap_perform, which
 * applies it and cannot fail: cap_copy(s, d, r) is cap_decode_copy(s, d, r,
 * &c) and, if that succeeded, cap_perform(&c). The kernel's invocations
 * decode every argument first and perform last. A cap_change is valid only
 * until the slots it names change. */
struct cap_change {
    enum { CAP_CHANGE_DERIVE, CAP_CHANGE_MOVE } kind;
    struct cte *src, *dst;
    struct cap cap;      /* what dst will hold */
    bool revocable, first_badged;
};
tsr_error_t cap_decode_copy(struct cte *src, struct cte *dst, uint8_t rights,
                            struct cap_change *change);
tsr_error_t cap_decode_mint(struct cte *src, struct cte *dst, uint8_t rights, uint64_t badge,
                            struct cap_change *change);
tsr_error_t cap_decode_move(struct cte *src, struct cte *dst, struct cap_change *change);
tsr_error_t cap_decode_mutate(struct cte *src, struct cte *dst, uint8_t rights, uint64_t badge,
                              struct cap_change *change);
tsr_error_t cap_decode_mint_guard(struct cte *src, struct cte *dst, uint8_t rights,
                                  uint64_t guard, unsigned guard_bits, struct cap_change *change);
tsr_error_t cap_decode_mutate_guard(struct cte *src, struct cte *dst, uint8_t rights,
                                    uint64_t guard, unsigned guard_bits,
                                    struct cap_change *change);
void cap_perform(const struct cap_change *change);

/* Delete the capability in slot (an empty slot is not an error). If it was
 * the last capability to an object that holds slots (CNode, TCB), those are
 * emptied first, slot by slot, the capability standing as a zombie while that
 * is under way; nested objects are handled without recursion on the kernel
 * stack. Every step costs one unit of *budget (a call with *budget == 0 on a
 * non-empty slot returns TSR_E_PREEMPTED at once); when it runs out the call
 * returns TSR_E_PREEMPTED with all structures consistent, and calling again
 * on the same slot continues. While preempted, the slot holds the zombie of
 * the object being deleted, in its place in the tree (the one exception: in a
 * cycle of objects no CSpace reaches, the slot may end up holding the zombie
 * of the dying object that contains the slot itself).
 * Objects are torn down through cap_hook_cap_removed.
 * Returns TSR_OK, TSR_E_PREEMPTED or TSR_E_INVALID_ARGUMENT (NULL). */
tsr_error_t cap_delete(struct cte *slot, unsigned *budget);
/* Delete every descendant of the capability in slot (not the capability
 * itself), one after the other, each as cap_delete. A revoke of a zombie or
 * of a capability without children succeeds at once.
 * Returns TSR_OK, TSR_E_PREEMPTED or TSR_E_INVALID_ARGUMENT (NULL). */
tsr_error_t cap_revoke(struct cte *slot, unsigned *budget);

#endif
