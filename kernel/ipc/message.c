/* SPDX-License-Identifier: MIT */
/* Moving a message between two threads: register words context to context,
 * longer messages through both IPC buffers, capabilities through the
 * receiver's receive slots, and the kernel-composed message of a fault
 * report. Also how a blocked thread is made to fail its call. Shared by
 * endpoints, reply objects and faults. */
#include <stdbool.h>
#include <stdint.h>

#include <tessera/ipc.h>

#include "cap/cdt.h"
#include "cap/cspace.h"
#include "core/sched.h"
#include "ipc/ipc.h"

void ipc_fail_thread(struct tcb *t, tsr_error_t err)
{
    t->blocked_on = 0;
    t->caller_reply = 0;
    if (t->fault.type) {
        /* Its "call" was a fault report: nothing it could return to. It stays
         * stopped (with the fault kept) until resumed, like a thread whose
         * fault nobody can take. */
        tcb_suspend(t);
        return;
    }
    tcb_set_error(t, err);
    sched_make_runnable(t);
}

uint64_t ipc_cap_info(const struct cap *c)
{
    static const uint8_t codes[CAP_TYPE_COUNT] = {
        [CAP_UNTYPED] = TSR_OBJ_UNTYPED,
        [CAP_CNODE] = TSR_OBJ_CNODE,
        [CAP_TCB] = TSR_OBJ_TCB,
        [CAP_ENDPOINT] = TSR_OBJ_ENDPOINT,
        [CAP_NOTIFICATION] = TSR_OBJ_NOTIFICATION,
        [CAP_REPLY] = TSR_OBJ_REPLY,
        [CAP_PAGE_TABLE] = TSR_OBJ_PAGE_TABLE,
        [CAP_VSPACE] = TSR_OBJ_VSPACE,
        [CAP_ASID_CONTROL] = TSR_CAPTYPE_ASID_CONTROL,
        [CAP_ASID_POOL] = TSR_CAPTYPE_ASID_POOL,
        [CAP_IRQ_CONTROL] = TSR_CAPTYPE_IRQ_CONTROL,
        [CAP_IRQ_HANDLER] = TSR_CAPTYPE_IRQ_HANDLER,
        [CAP_MSG_QUEUE] = TSR_OBJ_MSG_QUEUE,
    };
    unsigned type = c->type < CAP_TYPE_COUNT ? codes[c->type] : 0;
    if (c->type == CAP_FRAME)
        type = c->size_bits == TSR_LARGE_PAGE_BITS ? TSR_OBJ_FRAME_2M : TSR_OBJ_FRAME_4K;
    return TSR_CAP_INFO(type, c->rights);
}

/* Copy capabilities named in the sender's IPC buffer into the receiver's
 * receive slots, each with all its rights or, if the sender's cap_info[i]
 * says TSR_CAP_INFO_RESTRICT, only those it names. Stops at the first that
 * cannot be copied; returns how many arrived. The sender keeps its
 * capabilities. The receiver's caps[i] gets the badge (endpoints and
 * notifications, else 0), cap_info[i] the type and rights that arrived. */
static unsigned transfer_caps(struct tcb *s, struct tcb *r, unsigned count)
{
    struct tsr_ipc_buffer *sbuf = tcb_ipc_buffer(s), *rbuf = tcb_ipc_buffer(r);
    if (!sbuf || !rbuf || rbuf->receive_depth == 0 || rbuf->receive_depth > 64)
        return 0;
    struct cte *root_slot;
    if (cspace_lookup_cap(&r->slots[TCB_SLOT_CSPACE].cap, rbuf->receive_cnode, &root_slot) != TSR_OK)
        return 0;
    unsigned done = 0;
    for (; done < count && done < TSR_MSG_MAX_CAPS; done++) {
        struct cte *src, *dst;
        uint64_t want = sbuf->cap_info[done];
        uint8_t rights = (want & TSR_CAP_INFO_RESTRICT) ? (uint8_t)tsr_cap_info_rights(want)
                                                        : TSR_RIGHTS_ALL;
        if (cspace_lookup_cap(&s->slots[TCB_SLOT_CSPACE].cap, sbuf->caps[done], &src) != TSR_OK)
            break;
        if (cspace_lookup_slot(&root_slot->cap, rbuf->receive_index + done,
                               (unsigned)rbuf->receive_depth, &dst) != TSR_OK)
            break;
        if (cap_copy(src, dst, rights) != TSR_OK)
            break;
        bool badged = dst->cap.type == CAP_ENDPOINT || dst->cap.type == CAP_NOTIFICATION;
        rbuf->caps[done] = badged ? cap_badge(&dst->cap) : 0;
        rbuf->cap_info[done] = ipc_cap_info(&dst->cap);
    }
    return done;
}

void ipc_copy_registers(struct tcb *s, struct tcb *r, unsigned len)
{
    const uint64_t *restrict from = arch_context_mr(&s->ctx, 0);
    uint64_t *restrict to = arch_context_mr(&r->ctx, 0);
    /* Copy all fourteen in pairs, then clear the ones past the message,
     * entering the run of stores at word len: cheaper than deciding per
     * word. (s == r never happens: a thread does not message itself.) */
    _Static_assert(TSR_MSG_REG_WORDS == 14, "fourteen message registers");
    for (unsigned i = 0; i < TSR_MSG_REG_WORDS; i++)
        to[i] = from[i];
    switch (len) {
    case 0: to[0] = 0; /* fall through */
    case 1: to[1] = 0; /* fall through */
    case 2: to[2] = 0; /* fall through */
    case 3: to[3] = 0; /* fall through */
    case 4: to[4] = 0; /* fall through */
    case 5: to[5] = 0; /* fall through */
    case 6: to[6] = 0; /* fall through */
    case 7: to[7] = 0; /* fall through */
    case 8: to[8] = 0; /* fall through */
    case 9: to[9] = 0; /* fall through */
    case 10: to[10] = 0; /* fall through */
    case 11: to[11] = 0; /* fall through */
    case 12: to[12] = 0; /* fall through */
    case 13: to[13] = 0; /* fall through */
    default: break;
    }
}

/* Copy the message of s (or its fault report) into r, with the badge. The
 * long part, if any, was copied already (long_copy); the received info
 * keeps the sender's path bits, so the receiver knows what arrived. */
void ipc_transfer_message(struct tcb *s, struct tcb *r, uint64_t badge, bool can_grant)
{
    uint64_t label, paths = 0;
    unsigned len, caps = 0;
    if (s->fault.type) {
        label = s->fault.type;
        len = 4;
        for (unsigned i = 0; i < TSR_MSG_REG_WORDS; i++)
            tcb_set_mr(r, i, i < len ? s->fault.words[i] : 0);
    } else {
        tsr_msginfo_t mi = tcb_arg(s, TSR_ARG_MSGINFO);
        label = tsr_msginfo_label(mi);
        len = tsr_msginfo_length(mi);
        if (len > TSR_MSG_MAX_WORDS)
            len = TSR_MSG_MAX_WORDS;
        /* Register words move context to context; words beyond them need an
         * IPC buffer on both sides (the message is cut short otherwise). */
        ipc_copy_registers(s, r, len < TSR_MSG_REG_WORDS ? len : TSR_MSG_REG_WORDS);
        if (len > TSR_MSG_REG_WORDS) {
            struct tsr_ipc_buffer *sbuf = tcb_ipc_buffer(s), *rbuf = tcb_ipc_buffer(r);
            if (sbuf && rbuf) {
                for (unsigned i = TSR_MSG_REG_WORDS; i < len; i++)
                    rbuf->msg[i] = sbuf->msg[i];
            } else {
                len = TSR_MSG_REG_WORDS;
            }
        }
        paths = mi & TSR_MSGINFO_PATHS;
        if (can_grant && tsr_msginfo_caps(mi)) {
            if (paths & (TSR_MSGINFO_MOVE | TSR_MSGINFO_SHARE))
                caps = pages_transfer(s, r, tsr_msginfo_caps(mi), (paths & TSR_MSGINFO_MOVE) != 0);
            else
                caps = transfer_caps(s, r, tsr_msginfo_caps(mi));
        }
    }
    tcb_set_arg(r, TSR_ARG_BADGE, badge);
    tcb_set_arg(r, TSR_ARG_MSGINFO, tsr_msginfo(label, caps, len) | paths);
}
