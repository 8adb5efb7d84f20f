/* SPDX-License-Identifier: MIT */
/* The kernel's table of object types: for each capability type, how its
 * object is set up, which slots it holds, how it is torn down and how its
 * methods are invoked. objects.c holds the table (one row per type) and
 * implements the hooks cap/ calls (cap/cap.h) on top of it; each type's
 * functions live in that type's own file. Adding an object type is a new
 * file and a row here (docs/architecture.md, "Adding an object type"). */
#ifndef KERNEL_OBJECTS_H
#define KERNEL_OBJECTS_H

#include <tessera/errors.h>

#include "cap/cap.h"

struct invocation;

struct object_type {
    const char *name;
    /* A new object's memory is already zero; make it a valid object. NULL:
     * zero is a valid object. */
    void (*init)(paddr_t pa, unsigned size_bits);
    /* The capability slots the object holds (CNode, TCB): their number and
     * the first. NULL: none. */
    unsigned (*slots)(const struct cap *cap, struct cte **slots);
    /* The last capability to an object with slots is being deleted, before
     * the first slot is emptied: stop the object being used meanwhile. */
    void (*dying)(const struct cap *cap);
    /* Its last capability is about to go: one bounded unit of teardown work
     * (cancel up to OBJECT_DRAIN_UNIT waiters). True while more remains;
     * the capability is removed, and destroy called, once it is false.
     * NULL: nothing to drain. */
    bool (*drain)(const struct cap *cap);
    /* A capability to the object leaves its slot, whether or not it was the
     * last (mappings belong to one capability). */
    void (*cap_removed)(const struct cap *cap);
    /* The last capability went: tear the object down (wake waiters, release
     * what it holds). */
    void (*destroy)(const struct cap *cap);
    /* Its methods. Called only with a label the ABI table gives this type
     * and at least the method's argument words (object/invoke.h). */
    tsr_error_t (*invoke)(struct invocation *inv);
};

/* Waiters a drain cancels per unit of a deletion's budget. */
#define OBJECT_DRAIN_UNIT 16u

/* The row of a capability type (zombie and null rows are empty). */
const struct object_type *object_type(enum cap_type type);

/* Each type's row, defined in the type's own file. */
extern const struct object_type untyped_type, cnode_type, tcb_type, endpoint_type,
    notification_type, reply_type, frame_type, page_table_type, vspace_type, asid_control_type,
    asid_pool_type, irq_control_type, irq_handler_type, msg_queue_type;

#endif
