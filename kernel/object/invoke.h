/* SPDX-License-Identifier: MIT */
/* Kernel-object invocations: a Call on a capability to anything but an
 * endpoint, notification or reply. invoke_object checks what the ABI table
 * (TSR_METHODS in tessera/syscalls.h) fixes for every method -- the label
 * belongs to the invoked object's type and the message holds the method's
 * arguments -- then hands the call to the type's invoke function
 * (object/objects.h). Every method there is a decode_* that checks each
 * argument and capability and changes nothing, followed by a perform_* that
 * cannot fail (seL4's discipline), so an error never leaves a call half
 * done. The exception is a deletion (CNode Delete and Revoke, Configure
 * replacing a slot's capability): it is preemptible, makes progress, and
 * restarts the whole call, which then decodes afresh. */
#ifndef KERNEL_INVOKE_H
#define KERNEL_INVOKE_H

#include <stdbool.h>
#include <stdint.h>

#include <tessera/errors.h>

#include "cap/cap.h"
#include "object/tcb.h"

struct invocation {
    struct tcb *caller;
    struct cte *slot;   /* the capability invoked */
    uint64_t label;     /* method, enum tsr_invocation */
    unsigned length;    /* message words supplied (at least the method's arguments) */
    unsigned results;   /* result words written */
};

/* Argument i, or 0 past the message (the length was checked against the
 * method's argument count before the type's invoke function runs). */
uint64_t inv_arg(const struct invocation *inv, unsigned i);
void inv_result(struct invocation *inv, uint64_t v);
/* Look a capability up in the caller's CSpace. */
tsr_error_t inv_lookup_cap(const struct invocation *inv, uint64_t cptr, struct cte **slot);
/* Look up a capability argument that must be of `type` and carry `rights`
 * (errors: the lookup's, INVALID_CAPABILITY, INSUFFICIENT_RIGHTS). */
tsr_error_t inv_lookup_typed(const struct invocation *inv, uint64_t cptr, enum cap_type type,
                             uint8_t rights, struct cte **slot);
/* As inv_lookup_typed, where cptr 0 means "none" (*slot = NULL). */
tsr_error_t inv_lookup_optional(const struct invocation *inv, uint64_t cptr, enum cap_type type,
                                struct cte **slot);
/* Name a slot the way CNode and retype calls do: `root` is a cptr (looked
 * up in the caller's CSpace) to a CNode, and `depth` bits of `index` are
 * resolved from there (docs/syscalls.md, "Naming a slot"). */
tsr_error_t inv_lookup_slot(const struct invocation *inv, uint64_t root, uint64_t index,
                            uint64_t depth, struct cte **slot);
/* The same inside a given CNode capability (depth 1-64, else RANGE). */
tsr_error_t inv_lookup_in(const struct cap *cnode, uint64_t index, uint64_t depth,
                          struct cte **slot);
/* An empty slot named by (root, index, depth): SLOT_OCCUPIED if it is not. */
tsr_error_t inv_lookup_empty_slot(const struct invocation *inv, uint64_t root, uint64_t index,
                                  uint64_t depth, struct cte **slot);

/* Work units a deletion may spend before the call restarts. */
#define INVOKE_DELETE_BUDGET 128u

/* Perform the invocation and write its reply into the caller's registers;
 * a preempted invocation rewinds the caller to run the call again. */
void invoke_object(struct tcb *caller, struct cte *slot);

#endif
