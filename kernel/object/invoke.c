/* SPDX-License-Identifier: MIT */
/* Invocation plumbing (arguments, results, lookups, the reply) and the
 * capability-space methods: Untyped_Retype and the CNode operations. */
#include <stdbool.h>
#include <stdint.h>

#include <tessera/ipc.h>
#include <tessera/syscalls.h>

#include "cap/cdt.h"
#include "cap/cspace.h"
#include "object/invoke.h"
#include "cap/untyped.h"

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

tsr_error_t inv_lookup_slot(const struct invocation *inv, uint64_t root, uint64_t index,
                            uint64_t depth, struct cte **slot)
{
    struct cte *root_slot;
    tsr_error_t err = inv_lookup_cap(inv, root, &root_slot);
    if (err)
        return err;
    if (root_slot->cap.type != CAP_CNODE)
        return TSR_E_INVALID_CAPABILITY;
    if (depth == 0 || depth > 64)
        return TSR_E_RANGE;
    return cspace_lookup_slot(&root_slot->cap, index, (unsigned)depth, slot);
}

/* ---- Untyped ------------------------------------------------------------------ */

tsr_error_t invoke_untyped(struct invocation *inv)
{
    if (inv->label != TSR_UNTYPED_RETYPE)
        return TSR_E_ILLEGAL_OPERATION;
    if (inv->length < 7)
        return TSR_E_TRUNCATED;
    uint64_t type = inv_arg(inv, 0), size_bits = inv_arg(inv, 1), root = inv_arg(inv, 2);
    uint64_t index = inv_arg(inv, 3), depth = inv_arg(inv, 4);
    uint64_t offset = inv_arg(inv, 5), count = inv_arg(inv, 6);

    if (type == 0 || type >= TSR_OBJ_TYPE_COUNT || size_bits > 64)
        return TSR_E_INVALID_ARGUMENT;
    if (count == 0 || count > TSR_RETYPE_MAX_COUNT)
        return TSR_E_RANGE;
    /* The destination: a CNode, and a run of its slots. */
    struct cte *node;
    tsr_error_t err = inv_lookup_slot(inv, root, index, depth, &node);
    if (err)
        return err;
    if (node->cap.type != CAP_CNODE)
        return TSR_E_INVALID_CAPABILITY;
    uint64_t slots = 1ull << node->cap.size_bits;
    if (offset >= slots || count > slots - offset)
        return TSR_E_RANGE;
    /* Bound the zeroing one call does (device memory is never zeroed). */
    unsigned obj_bits = object_size_bits((tsr_object_type_t)type, (unsigned)size_bits);
    if (type != TSR_OBJ_UNTYPED && !(inv->slot->cap.flags & CAP_FLAG_DEVICE) && obj_bits &&
        (obj_bits > TSR_RETYPE_MAX_ZERO_BITS ||
         count > (1ull << (TSR_RETYPE_MAX_ZERO_BITS - obj_bits))))
        return TSR_E_RANGE;
    struct cte *dest = (struct cte *)arch_phys_to_virt(node->cap.object) + offset;
    return untyped_retype(inv->slot, (tsr_object_type_t)type, (unsigned)size_bits, dest,
                          (unsigned)count);
}

/* ---- CNode -------------------------------------------------------------------- */

/* Copy, Mint, Move and Mutate share their first five arguments:
 * dst_index, dst_depth (within the invoked CNode), src_root, src_index, src_depth. */
static tsr_error_t decode_src_dst(struct invocation *inv, struct cte **src, struct cte **dst)
{
    struct cap *node = &inv->slot->cap;
    uint64_t dst_depth = inv_arg(inv, 1);
    if (dst_depth == 0 || dst_depth > 64)
        return TSR_E_RANGE;
    tsr_error_t err = cspace_lookup_slot(node, inv_arg(inv, 0), (unsigned)dst_depth, dst);
    if (err)
        return err;
    err = inv_lookup_slot(inv, inv_arg(inv, 2), inv_arg(inv, 3), inv_arg(inv, 4), src);
    if (err)
        return err;
    if ((*src)->cap.type == CAP_NULL)
        return TSR_E_INVALID_CAPABILITY;
    if ((*dst)->cap.type != CAP_NULL)
        return TSR_E_SLOT_OCCUPIED;
    if (*src == *dst)
        return TSR_E_SLOT_OCCUPIED;
    return TSR_OK;
}

tsr_error_t invoke_cnode(struct invocation *inv)
{
    struct cte *src, *dst, *target;
    tsr_error_t err;
    unsigned budget = INVOKE_DELETE_BUDGET;

    switch (inv->label) {
    case TSR_CNODE_COPY:
    case TSR_CNODE_MINT:
    case TSR_CNODE_MOVE:
    case TSR_CNODE_MUTATE: {
        unsigned need = inv->label == TSR_CNODE_COPY   ? 6
                        : inv->label == TSR_CNODE_MOVE ? 5
                                                       : 7;
        if (inv->length < need)
            return TSR_E_TRUNCATED;
        err = decode_src_dst(inv, &src, &dst);
        if (err)
            return err;
        uint8_t rights = (uint8_t)(inv_arg(inv, 5) & TSR_RIGHTS_ALL);
        uint64_t badge = inv_arg(inv, 6);
        if (inv->label == TSR_CNODE_COPY)
            return cap_copy(src, dst, rights);
        if (inv->label == TSR_CNODE_MOVE)
            return cap_move(src, dst);
        if (src->cap.type == CAP_CNODE) {
            /* For a CNode the badge word is the guard (TSR_CNODE_GUARD). */
            uint64_t guard = badge >> 6;
            unsigned guard_bits = (unsigned)(badge & 63);
            return inv->label == TSR_CNODE_MINT
                       ? cap_mint_guard(src, dst, rights, guard, guard_bits)
                       : cap_mutate_guard(src, dst, rights, guard, guard_bits);
        }
        if (inv->label == TSR_CNODE_MINT)
            return cap_mint(src, dst, rights, badge);
        return cap_mutate(src, dst, rights, badge);
    }
    case TSR_CNODE_DELETE:
    case TSR_CNODE_REVOKE: {
        if (inv->length < 2)
            return TSR_E_TRUNCATED;
        uint64_t depth = inv_arg(inv, 1);
        if (depth == 0 || depth > 64)
            return TSR_E_RANGE;
        err = cspace_lookup_slot(&inv->slot->cap, inv_arg(inv, 0), (unsigned)depth, &target);
        if (err)
            return err;
        if (inv->label == TSR_CNODE_DELETE)
            return cap_delete(target, &budget);
        return cap_revoke(target, &budget);
    }
    default:
        return TSR_E_ILLEGAL_OPERATION;
    }
}

/* ---- dispatch and reply ----------------------------------------------------------- */

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
    tsr_error_t err;
    switch (slot->cap.type) {
    case CAP_UNTYPED: err = invoke_untyped(&inv); break;
    case CAP_CNODE: err = invoke_cnode(&inv); break;
    case CAP_TCB: err = invoke_tcb(&inv); break;
    case CAP_FRAME: err = invoke_frame(&inv); break;
    case CAP_PAGE_TABLE: err = invoke_page_table(&inv); break;
    case CAP_ASID_CONTROL: err = invoke_asid_control(&inv); break;
    case CAP_ASID_POOL: err = invoke_asid_pool(&inv); break;
    case CAP_IRQ_CONTROL: err = invoke_irq_control(&inv); break;
    case CAP_IRQ_HANDLER: err = invoke_irq_handler(&inv); break;
    case CAP_VSPACE: err = TSR_E_ILLEGAL_OPERATION; break; /* no methods */
    default: err = TSR_E_INVALID_CAPABILITY; break;       /* zombies */
    }
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
