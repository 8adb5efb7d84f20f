/* SPDX-License-Identifier: MIT */
/* Invocation plumbing: the checks every method shares (from the ABI table),
 * arguments, results, capability and slot lookups, dispatch through the
 * object-type table, and the reply. */
#include <stdbool.h>
#include <stdint.h>

#include <tessera/ipc.h>
#include <tessera/syscalls.h>

#include "cap/cspace.h"
#include "object/invoke.h"
#include "object/objects.h"

/* What the ABI table says of each label: the object type whose method it
 * is (CAP_NULL: no method has it) and the argument words it needs. */
static const struct {
    uint8_t cap_type;
    uint8_t nargs;
} methods[TSR_METHOD_LABEL_MAX + 1] = {
#define METHOD_ROW(object, method, doc, label, nargs, args, results)                               \
    [label] = {CAP_##object, nargs},
    TSR_METHODS(METHOD_ROW)
#undef METHOD_ROW
};

uint64_t inv_arg(const struct invocation *inv, unsigned i)
{
    return i < inv->length ? tcb_get_mr(inv->caller, i) : 0;
}

void inv_result(struct invocation *inv, uint64_t v)
{
    if (tcb_set_mr(inv->caller, inv->results, v))
        inv->results++;
}

tsr_error_t inv_lookup_cap(const struct invocation *inv, uint64_t cptr, struct cte **slot)
{
    return cspace_lookup_cap(&inv->caller->slots[TCB_SLOT_CSPACE].cap, cptr, slot);
}

tsr_error_t inv_lookup_typed(const struct invocation *inv, uint64_t cptr, enum cap_type type,
                             uint8_t rights, struct cte **slot)
{
    tsr_error_t err = inv_lookup_cap(inv, cptr, slot);
    if (err)
        return err;
    if ((*slot)->cap.type != type)
        return TSR_E_INVALID_CAPABILITY;
    if (((*slot)->cap.rights & rights) != rights)
        return TSR_E_INSUFFICIENT_RIGHTS;
    return TSR_OK;
}

tsr_error_t inv_lookup_optional(const struct invocation *inv, uint64_t cptr, enum cap_type type,
                                struct cte **slot)
{
    *slot = NULL;
    return cptr ? inv_lookup_typed(inv, cptr, type, 0, slot) : TSR_OK;
}

tsr_error_t inv_lookup_in(const struct cap *cnode, uint64_t index, uint64_t depth,
                          struct cte **slot)
{
    if (depth == 0 || depth > 64)
        return TSR_E_RANGE;
    return cspace_lookup_slot(cnode, index, (unsigned)depth, slot);
}

tsr_error_t inv_lookup_slot(const struct invocation *inv, uint64_t root, uint64_t index,
                            uint64_t depth, struct cte **slot)
{
    struct cte *root_slot;
    tsr_error_t err = inv_lookup_cap(inv, root, &root_slot);
    if (err)
        return err;
    if (root_slot->cap.type != CAP_CNODE)
        return TSR_E_INVALID_CAPABILITY;
    return inv_lookup_in(&root_slot->cap, index, depth, slot);
}

tsr_error_t inv_lookup_empty_slot(const struct invocation *inv, uint64_t root, uint64_t index,
                                  uint64_t depth, struct cte **slot)
{
    tsr_error_t err = inv_lookup_slot(inv, root, index, depth, slot);
    if (!err && (*slot)->cap.type != CAP_NULL)
        err = TSR_E_SLOT_OCCUPIED;
    return err;
}

/* The checks every method shares, in this order: a capability that names
 * an object (not a zombie), a label that is a method of that object's type,
 * then the method's argument words. */
static tsr_error_t check_method(const struct invocation *inv, const struct object_type **type)
{
    enum cap_type t = (enum cap_type)inv->slot->cap.type;
    if (t == CAP_NULL || t == CAP_ZOMBIE || t >= CAP_TYPE_COUNT)
        return TSR_E_INVALID_CAPABILITY;
    if (inv->label > TSR_METHOD_LABEL_MAX || methods[inv->label].cap_type != t)
        return TSR_E_ILLEGAL_OPERATION;
    if (inv->length < methods[inv->label].nargs)
        return TSR_E_TRUNCATED;
    *type = object_type(t);
    return TSR_OK;
}

void invoke_object(struct tcb *caller, struct cte *slot)
{
    tsr_msginfo_t mi = tcb_arg(caller, TSR_ARG_MSGINFO);
    struct invocation inv = {
        .caller = caller,
        .slot = slot,
        .label = tsr_msginfo_label(mi),
        .length = tsr_msginfo_length(mi),
    };
    if (inv.length > TSR_MSG_MAX_WORDS)
        inv.length = TSR_MSG_MAX_WORDS;
    const struct object_type *type;
    tsr_error_t err = check_method(&inv, &type);
    if (!err)
        err = type->invoke(&inv);
    if (err == TSR_E_PREEMPTED) {
        /* Progress was made and recorded in the objects; run the same svc
         * again after whatever is pending has had its turn. */
        arch_context_restart_syscall(&caller->ctx);
        return;
    }
    tcb_set_error(caller, err);
    if (!err)
        tcb_set_arg(caller, TSR_ARG_MSGINFO, tsr_msginfo(0, 0, inv.results));
}
