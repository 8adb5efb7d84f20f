/* SPDX-License-Identifier: MIT */
/* Page transfer (IPC paths 4 and 5): frame capabilities sent with
 * TSR_MSGINFO_MOVE or TSR_MSGINFO_SHARE through a capability with GRANT
 * land in the receiver's receive window: their capabilities in its receive
 * slots, their pages mapped one after another from receive_window. A move
 * takes the capability (and its mapping) from the sender; a share gives the
 * receiver a derived capability, a child of the sender's, so the sender's
 * Revoke takes the receiver's mapping away. The receiver's mapping has at
 * most the rights the sender had: those of its capability, and no write if
 * the sender's own mapping was read-only. Never executable. Each frame is
 * checked whole (a capability, a slot, room in the window, a free place in
 * an existing page table) before anything changes; the first that does not
 * fit ends the transfer and stays with the sender. */
#include <stdbool.h>
#include <stdint.h>

#include <tessera/ipc.h>

#include "arch.h"
#include "cap/cdt.h"
#include "cap/cspace.h"
#include "ipc/ipc.h"
#include "object/asid.h"
#include "object/vspace.h"

/* The receiver's side, read once from its IPC buffer. */
struct window {
    struct cte *cnode;    /* the receive CNode's slot */
    uint64_t index, depth;
    uint64_t next, end;   /* where the next frame may go; the window's end */
    uint64_t vspace;
    unsigned asid;
};

static bool window_of(struct tcb *r, struct tsr_ipc_buffer *rbuf, struct window *w)
{
    uint64_t base = rbuf->receive_window, size = rbuf->receive_window_size;
    w->index = rbuf->receive_index;
    w->depth = rbuf->receive_depth;
    tcb_vspace(r, &w->vspace, &w->asid);
    if (!w->vspace || w->depth == 0 || w->depth > 64 || size == 0 ||
        size > ARCH_USER_VA_END || base > ARCH_USER_VA_END - size)
        return false;
    w->next = base;
    w->end = base + size;
    return cspace_lookup_cap(&r->slots[TCB_SLOT_CSPACE].cap, rbuf->receive_cnode, &w->cnode) ==
           TSR_OK;
}

/* The rights the sender holds the frame with: its capability's, less
 * write if its own mapping is read-only. */
static unsigned sender_vm_rights(const struct cap *frame)
{
    unsigned vm = 0;
    if (frame->rights & TSR_RIGHT_READ)
        vm |= ARCH_VM_READ;
    if (frame->rights & TSR_RIGHT_WRITE)
        vm |= ARCH_VM_WRITE;
    unsigned asid = cap_mapped_asid(frame);
    uint64_t vspace = asid ? asid_lookup(asid) : 0, pa;
    if (vspace && arch_vspace_translate(vspace, cap_mapped_va(frame), true, &pa) != TSR_OK)
        vm &= ~(unsigned)ARCH_VM_WRITE;
    if (frame->flags & CAP_FLAG_DEVICE)
        vm |= ARCH_VM_UNCACHED;
    return vm;
}

/* Transfer frame i: checks everything, then changes it. False if it does
 * not fit (nothing changed). Where it is mapped, and the receiver's
 * cap_info for it, go to *mapped_at and *info. */
static bool transfer_one(struct tcb *s, const struct tsr_ipc_buffer *sbuf, struct window *w,
                         unsigned i, bool move, uint64_t *mapped_at, uint64_t *info)
{
    struct cte *src, *dst;
    if (cspace_lookup_cap(&s->slots[TCB_SLOT_CSPACE].cap, sbuf->caps[i], &src) != TSR_OK ||
        src->cap.type != CAP_FRAME)
        return false;
    if (cspace_lookup_slot(&w->cnode->cap, w->index + i, (unsigned)w->depth, &dst) != TSR_OK)
        return false;
    unsigned vm = sender_vm_rights(&src->cap);
    if (!(vm & ARCH_VM_READ))
        return false;
    uint64_t size = 1ull << src->cap.size_bits;
    uint64_t va = (w->next + size - 1) & ~(size - 1);
    if (va < w->next || va > w->end || size > w->end - va)
        return false; /* the window has no room left for it */
    struct arch_map_slot pte;
    if (arch_vspace_frame_slot(w->vspace, va, src->cap.size_bits, &pte) != TSR_OK)
        return false; /* no page table there, or something mapped already */
    struct cap_change change;
    tsr_error_t err = move ? cap_decode_move(src, dst, &change)
                           : cap_decode_copy(src, dst, src->cap.rights, &change);
    if (err)
        return false;

    /* Everything holds. A moved capability leaves its mapping behind: the
     * sender's page goes away before the capability moves. */
    if (move)
        vspace_unmap_cap(&change.cap);
    cap_perform(&change);
    arch_vspace_map_frame_at(&pte, dst->cap.object, vm);
    cap_set_mapping(&dst->cap, va, w->asid);
    w->next = va + size;
    *mapped_at = va;
    *info = ipc_cap_info(&dst->cap);
    return true;
}

unsigned pages_transfer(struct tcb *s, struct tcb *r, unsigned count, bool move)
{
    struct tsr_ipc_buffer *sbuf = tcb_ipc_buffer(s), *rbuf = tcb_ipc_buffer(r);
    struct window w;
    if (!sbuf || !rbuf || !window_of(r, rbuf, &w))
        return 0;
    unsigned done = 0;
    for (; done < count && done < TSR_MSG_MAX_CAPS; done++) {
        uint64_t va, info;
        if (!transfer_one(s, sbuf, &w, done, move, &va, &info))
            break;
        rbuf->caps[done] = va;
        rbuf->cap_info[done] = info;
    }
    return done;
}
