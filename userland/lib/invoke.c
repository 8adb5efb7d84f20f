/* SPDX-License-Identifier: MIT */
/* Kernel-object method wrappers (see tsr/invoke.h). */
#include <stdint.h>

#include <tessera/syscalls.h>

#include "tsr/invoke.h"

tsr_error_t tsr_invoke(tsr_cptr_t cap, uint64_t label, unsigned nargs, const uint64_t *args,
                       unsigned nres, uint64_t *res)
{
    struct tsr_msg m = {0};
    struct tsr_ipc_buffer *buf = tsr_ipc_buffer();
    if (nargs > TSR_MSG_MAX_WORDS || (nargs > TSR_MSG_REG_WORDS && !buf))
        return TSR_E_RANGE;
    for (unsigned i = 0; i < nargs; i++) {
        if (i < TSR_MSG_REG_WORDS)
            m.mr[i] = args[i];
        else
            buf->msg[i] = args[i];
    }
    m.info = tsr_msginfo(label, 0, nargs);
    tsr_error_t err = tsr_call(cap, &m);
    if (err)
        return err;
    unsigned got = tsr_msginfo_length(m.info);
    for (unsigned i = 0; i < nres; i++) {
        if (i >= got)
            res[i] = 0;
        else if (i < TSR_MSG_REG_WORDS)
            res[i] = m.mr[i];
        else
            res[i] = buf ? buf->msg[i] : 0;
    }
    return TSR_OK;
}

/* Invoke method `label` with the given argument words, taking nres result
 * words into res; the argument count must be what the ABI table
 * (tessera/syscalls.h) says the method takes, or the build fails. */
#define INVOKE_R(cap, label, nres, res, ...)                                                       \
    ({                                                                                             \
        const uint64_t args_[] = {__VA_ARGS__};                                                    \
        _Static_assert(sizeof(args_) / sizeof(args_[0]) == label##_ARGS, #label " arguments");     \
        tsr_invoke(cap, label, sizeof(args_) / sizeof(args_[0]), args_, nres, res);                \
    })
#define INVOKE(cap, label, ...) INVOKE_R(cap, label, 0, 0, __VA_ARGS__)
/* The same for methods without arguments. */
#define INVOKE0(cap, label, nres, res)                                                             \
    ({                                                                                             \
        _Static_assert(label##_ARGS == 0, #label " takes arguments");                              \
        tsr_invoke(cap, label, 0, 0, nres, res);                                                   \
    })

tsr_error_t tsr_untyped_retype(tsr_cptr_t ut, tsr_object_type_t type, unsigned size_bits,
                               tsr_cptr_t root, uint64_t index, unsigned depth, uint64_t offset,
                               unsigned count)
{
    return INVOKE(ut, TSR_UNTYPED_RETYPE, type, size_bits, root, index, depth, offset, count);
}

tsr_error_t tsr_cnode_copy(tsr_cptr_t node, uint64_t dst, unsigned dst_depth, tsr_cptr_t src_root,
                           uint64_t src, unsigned src_depth, unsigned rights)
{
    return INVOKE(node, TSR_CNODE_COPY, dst, dst_depth, src_root, src, src_depth, rights);
}

tsr_error_t tsr_cnode_mint(tsr_cptr_t node, uint64_t dst, unsigned dst_depth, tsr_cptr_t src_root,
                           uint64_t src, unsigned src_depth, unsigned rights, uint64_t badge)
{
    return INVOKE(node, TSR_CNODE_MINT, dst, dst_depth, src_root, src, src_depth, rights, badge);
}

tsr_error_t tsr_cnode_move(tsr_cptr_t node, uint64_t dst, unsigned dst_depth, tsr_cptr_t src_root,
                           uint64_t src, unsigned src_depth)
{
    return INVOKE(node, TSR_CNODE_MOVE, dst, dst_depth, src_root, src, src_depth);
}

tsr_error_t tsr_cnode_mutate(tsr_cptr_t node, uint64_t dst, unsigned dst_depth,
                             tsr_cptr_t src_root, uint64_t src, unsigned src_depth,
                             unsigned rights, uint64_t badge)
{
    return INVOKE(node, TSR_CNODE_MUTATE, dst, dst_depth, src_root, src, src_depth, rights, badge);
}

tsr_error_t tsr_cnode_delete(tsr_cptr_t node, uint64_t index, unsigned depth)
{
    return INVOKE(node, TSR_CNODE_DELETE, index, depth);
}

tsr_error_t tsr_cnode_revoke(tsr_cptr_t node, uint64_t index, unsigned depth)
{
    return INVOKE(node, TSR_CNODE_REVOKE, index, depth);
}

tsr_error_t tsr_tcb_configure(tsr_cptr_t tcb, tsr_cptr_t fault_ep, tsr_cptr_t cspace,
                              tsr_cptr_t vspace, uint64_t ipc_buffer_va, tsr_cptr_t ipc_frame)
{
    return INVOKE(tcb, TSR_TCB_CONFIGURE, fault_ep, cspace, vspace, ipc_buffer_va, ipc_frame);
}

tsr_error_t tsr_tcb_set_priority(tsr_cptr_t tcb, tsr_cptr_t authority, unsigned priority)
{
    return INVOKE(tcb, TSR_TCB_SET_PRIORITY, authority, priority);
}

tsr_error_t tsr_tcb_set_mcp(tsr_cptr_t tcb, tsr_cptr_t authority, unsigned mcp)
{
    return INVOKE(tcb, TSR_TCB_SET_MCP, authority, mcp);
}

tsr_error_t tsr_tcb_read_registers(tsr_cptr_t tcb, unsigned count, uint64_t *regs)
{
    return INVOKE_R(tcb, TSR_TCB_READ_REGISTERS, count, regs, count);
}

tsr_error_t tsr_tcb_write_registers(tsr_cptr_t tcb, int resume, unsigned count,
                                    const uint64_t *regs)
{
    uint64_t args[2 + TSR_REG_COUNT_ALL];
    if (count > TSR_REG_COUNT_ALL)
        return TSR_E_RANGE;
    /* Variable length: the ABI's two fixed words, then the registers. */
    _Static_assert(TSR_TCB_WRITE_REGISTERS_ARGS == 2, "WriteRegisters arguments");
    args[0] = resume != 0;
    args[1] = count;
    for (unsigned i = 0; i < count; i++)
        args[2 + i] = regs[i];
    return tsr_invoke(tcb, TSR_TCB_WRITE_REGISTERS, 2 + count, args, 0, 0);
}

tsr_error_t tsr_tcb_resume(tsr_cptr_t tcb)
{
    return INVOKE0(tcb, TSR_TCB_RESUME, 0, 0);
}

tsr_error_t tsr_tcb_suspend(tsr_cptr_t tcb)
{
    return INVOKE0(tcb, TSR_TCB_SUSPEND, 0, 0);
}

tsr_error_t tsr_tcb_bind_notification(tsr_cptr_t tcb, tsr_cptr_t ntfn)
{
    return INVOKE(tcb, TSR_TCB_BIND_NOTIFICATION, ntfn);
}

tsr_error_t tsr_tcb_unbind_notification(tsr_cptr_t tcb)
{
    return INVOKE0(tcb, TSR_TCB_UNBIND_NOTIFICATION, 0, 0);
}

tsr_error_t tsr_frame_map(tsr_cptr_t frame, tsr_cptr_t vspace, uint64_t va, unsigned rights,
                          unsigned attrs)
{
    return INVOKE(frame, TSR_FRAME_MAP, vspace, va, rights, attrs);
}

tsr_error_t tsr_frame_unmap(tsr_cptr_t frame)
{
    return INVOKE0(frame, TSR_FRAME_UNMAP, 0, 0);
}

tsr_error_t tsr_frame_get_address(tsr_cptr_t frame, uint64_t *pa)
{
    return INVOKE0(frame, TSR_FRAME_GET_ADDRESS, 1, pa);
}

tsr_error_t tsr_frame_get_size(tsr_cptr_t frame, uint64_t *size)
{
    uint64_t res[2];
    tsr_error_t err = INVOKE0(frame, TSR_FRAME_GET_ADDRESS, 2, res);
    *size = err ? 0 : res[1];
    return err;
}

tsr_error_t tsr_page_table_map(tsr_cptr_t pt, tsr_cptr_t vspace, uint64_t va, unsigned *level)
{
    uint64_t lvl = 0;
    tsr_error_t err = INVOKE_R(pt, TSR_PAGE_TABLE_MAP, 1, &lvl, vspace, va);
    if (level)
        *level = (unsigned)lvl;
    return err;
}

tsr_error_t tsr_page_table_unmap(tsr_cptr_t pt)
{
    return INVOKE0(pt, TSR_PAGE_TABLE_UNMAP, 0, 0);
}

tsr_error_t tsr_asid_control_make_pool(tsr_cptr_t control, tsr_cptr_t untyped, tsr_cptr_t root,
                                       uint64_t index, unsigned depth)
{
    return INVOKE(control, TSR_ASID_CONTROL_MAKE_POOL, untyped, root, index, depth);
}

tsr_error_t tsr_asid_pool_assign(tsr_cptr_t pool, tsr_cptr_t vspace, unsigned *asid)
{
    uint64_t a = 0;
    tsr_error_t err = INVOKE_R(pool, TSR_ASID_POOL_ASSIGN, 1, &a, vspace);
    if (asid)
        *asid = (unsigned)a;
    return err;
}

tsr_error_t tsr_irq_control_get(tsr_cptr_t control, unsigned intid, tsr_cptr_t root,
                                uint64_t index, unsigned depth)
{
    return INVOKE(control, TSR_IRQ_CONTROL_GET, intid, root, index, depth);
}

tsr_error_t tsr_irq_handler_ack(tsr_cptr_t handler)
{
    return INVOKE0(handler, TSR_IRQ_HANDLER_ACK, 0, 0);
}

tsr_error_t tsr_irq_handler_set_notification(tsr_cptr_t handler, tsr_cptr_t ntfn)
{
    return INVOKE(handler, TSR_IRQ_HANDLER_SET_NOTIFICATION, ntfn);
}

tsr_error_t tsr_irq_handler_clear(tsr_cptr_t handler)
{
    return INVOKE0(handler, TSR_IRQ_HANDLER_CLEAR, 0, 0);
}

tsr_error_t tsr_msgq_map(tsr_cptr_t queue, tsr_cptr_t vspace, uint64_t va)
{
    return INVOKE(queue, TSR_MSG_QUEUE_MAP, vspace, va);
}

tsr_error_t tsr_msgq_unmap(tsr_cptr_t queue)
{
    return INVOKE0(queue, TSR_MSG_QUEUE_UNMAP, 0, 0);
}

tsr_error_t tsr_msgq_dequeue(tsr_cptr_t queue, uint64_t *badge, struct tsr_msg *m)
{
    uint64_t res[2 + TSR_MSG_REG_WORDS];
    tsr_error_t err = INVOKE0(queue, TSR_MSG_QUEUE_DEQUEUE, 2 + TSR_MSG_REG_WORDS, res);
    if (err)
        return err;
    *badge = res[0];
    m->info = res[1];
    for (unsigned i = 0; i < TSR_MSG_REG_WORDS; i++)
        m->mr[i] = res[2 + i];
    return TSR_OK;
}

tsr_error_t tsr_msgq_bind_notification(tsr_cptr_t queue, tsr_cptr_t ntfn)
{
    return INVOKE(queue, TSR_MSG_QUEUE_BIND_NOTIFICATION, ntfn);
}

tsr_error_t tsr_msgq_unbind_notification(tsr_cptr_t queue)
{
    return INVOKE0(queue, TSR_MSG_QUEUE_UNBIND_NOTIFICATION, 0, 0);
}

tsr_error_t tsr_reply_probe(tsr_cptr_t reply, bool *waiting)
{
    uint64_t w = 0;
    tsr_error_t err = INVOKE0(reply, TSR_REPLY_PROBE, 1, &w);
    *waiting = !err && w != 0;
    return err;
}
