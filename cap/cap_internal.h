/* SPDX-License-Identifier: MIT */
/* Helpers shared by the files of cap/ and by nothing else: slot predicates,
 * the memory a capability covers, and the three list edits every operation
 * is built from (link, unlink, swap). Not part of the kernel's contract. */
#ifndef CAP_CAP_INTERNAL_H
#define CAP_CAP_INTERNAL_H

#include "cap.h"

static inline bool cte_empty(const struct cte *slot)
{
    return slot->cap.type == CAP_NULL;
}

/* log2 of the bytes of memory the capability names, 0 if it names none
 * (control capabilities, IRQ handlers, the null capability). A zombie covers
 * its dying object. */
unsigned cap_memory_bits(const struct cap *cap);

/* The capability a zombie stands for, as handed to the kernel hooks. */
struct cap cap_zombie_original(const struct cap *zombie);

/* Slots held by the object a capability (or a zombie) names; 0 if none. */
unsigned cap_object_slots(const struct cap *cap, struct cte **slots);

/* Place the (already filled) slot dst into the list right after prev, or
 * alone when prev is NULL. */
void mdb_link_after(struct cte *prev, struct cte *dst);
/* Take the slot out of the list and clear it; the next capability inherits
 * its first_badged flag. */
void mdb_unlink_clear(struct cte *slot);
/* Exchange the contents of two slots, each capability keeping its place in
 * the list (the neighbours are pointed at the new slots). */
void mdb_swap(struct cte *a, struct cte *b);

#endif /* CAP_CAP_INTERNAL_H */
