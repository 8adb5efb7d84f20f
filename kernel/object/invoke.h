/* SPDX-License-Identifier: MIT */
/* Kernel-object invocations: a Call on a capability to anything but an
 * endpoint, notification or reply. Each object type has a decode step that
 * checks every argument and capability and changes nothing, then an invoke
 * step that cannot fail (seL4's discipline); the exceptions are the
 * preemptible deletions, which make progress and ask to be restarted. */
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
    unsigned length;    /* message words supplied */
    unsigned results;   /* result words written */
};

/* Argument i, or 0 past the message (callers check length first). */
uint64_t inv_arg(const struct invocation *inv, unsigned i);
void inv_result(struct invocation *inv, uint64_t v);
/* Look a capability up in the caller's CSpace. */
tsr_error_t inv_lookup_cap(const struct invocation *inv, uint64_t cptr, struct cte **slot);
/* Look up a capability argument that must be of `type` and carry `rights`
 * (errors: the lookup's, INVALID_CAPABILITY, INSUFFICIENT_RIGHTS). */
tsr_error_t inv_lookup_typed(const struct invocation *inv, uint64_t cptr, enum cap_type type,
                             uint8_t rights, struct cte **slot);
/* Name a slot the way CNode and retype calls do: `root` is a cptr (looked
 * up in the caller's CSpace) to a CNode, and `depth` bits of `index` are
 * resolved from there (docs/syscalls.md, "Naming a slot"). */
tsr_error_t inv_lookup_slot(const struct invocation *inv, uint64_t root, uint64_t index,
                            uint64_t depth, struct cte **slot);

/* Work units a deletion may spend before the call restarts. */
#define INVOKE_DELETE_BUDGET 256u

tsr_error_t invoke_untyped(struct invocation *inv);
tsr_error_t invoke_cnode(struct invocation *inv);
tsr_error_t invoke_tcb(struct invocation *inv);
tsr_error_t invoke_frame(struct invocation *inv);
tsr_error_t invoke_page_table(struct invocation *inv);
tsr_error_t invoke_asid_control(struct invocation *inv);
tsr_error_t invoke_asid_pool(struct invocation *inv);
tsr_error_t invoke_irq_control(struct invocation *inv);
tsr_error_t invoke_irq_handler(struct invocation *inv);

/* Perform the invocation and write its reply into the caller's registers;
 * a preempted invocation rewinds the caller to run the call again. */
void invoke_object(struct tcb *caller, struct cte *slot);

#endif
