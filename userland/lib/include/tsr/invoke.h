/* SPDX-License-Identifier: MIT */
/* Kernel-object methods (docs/syscalls.md), as plain C functions over
 * tsr_invoke(): a Call whose label is the method and whose words are the
 * arguments; the reply's label is the error code. */
#ifndef TSR_INVOKE_H
#define TSR_INVOKE_H

#include <stdbool.h>
#include <stdint.h>

#include <tessera/objects.h>

#include "syscall.h"

/* Invoke `cap` with method `label`: nargs argument words in, up to nres
 * result words out (results may be NULL when nres is 0). Words past MR13
 * travel through the IPC buffer. */
tsr_error_t tsr_invoke(tsr_cptr_t cap, uint64_t label, unsigned nargs, const uint64_t *args,
                       unsigned nres, uint64_t *res);

/* Untyped */
tsr_error_t tsr_untyped_retype(tsr_cptr_t ut, tsr_object_type_t type, unsigned size_bits,
                               tsr_cptr_t root, uint64_t index, unsigned depth, uint64_t offset,
                               unsigned count);
/* CNode: dst (index, depth) within `node`; src named by (root, index, depth). */
tsr_error_t tsr_cnode_copy(tsr_cptr_t node, uint64_t dst, unsigned dst_depth, tsr_cptr_t src_root,
                           uint64_t src, unsigned src_depth, unsigned rights);
tsr_error_t tsr_cnode_mint(tsr_cptr_t node, uint64_t dst, unsigned dst_depth, tsr_cptr_t src_root,
                           uint64_t src, unsigned src_depth, unsigned rights, uint64_t badge);
tsr_error_t tsr_cnode_move(tsr_cptr_t node, uint64_t dst, unsigned dst_depth, tsr_cptr_t src_root,
                           uint64_t src, unsigned src_depth);
tsr_error_t tsr_cnode_mutate(tsr_cptr_t node, uint64_t dst, unsigned dst_depth,
                             tsr_cptr_t src_root, uint64_t src, unsigned src_depth,
                             unsigned rights, uint64_t badge);
tsr_error_t tsr_cnode_delete(tsr_cptr_t node, uint64_t index, unsigned depth);
tsr_error_t tsr_cnode_revoke(tsr_cptr_t node, uint64_t index, unsigned depth);
/* TCB */
tsr_error_t tsr_tcb_configure(tsr_cptr_t tcb, tsr_cptr_t fault_ep, tsr_cptr_t cspace,
                              tsr_cptr_t vspace, uint64_t ipc_buffer_va, tsr_cptr_t ipc_frame);
tsr_error_t tsr_tcb_set_priority(tsr_cptr_t tcb, tsr_cptr_t authority, unsigned priority);
tsr_error_t tsr_tcb_set_mcp(tsr_cptr_t tcb, tsr_cptr_t authority, unsigned mcp);
tsr_error_t tsr_tcb_read_registers(tsr_cptr_t tcb, unsigned count, uint64_t *regs);
tsr_error_t tsr_tcb_write_registers(tsr_cptr_t tcb, int resume, unsigned count,
                                    const uint64_t *regs);
tsr_error_t tsr_tcb_resume(tsr_cptr_t tcb);
tsr_error_t tsr_tcb_suspend(tsr_cptr_t tcb);
tsr_error_t tsr_tcb_bind_notification(tsr_cptr_t tcb, tsr_cptr_t ntfn);
tsr_error_t tsr_tcb_unbind_notification(tsr_cptr_t tcb);
/* Register indices for read/write_registers: TSR_REG_* (tessera/syscalls.h). */
/* Frames and page tables */
tsr_error_t tsr_frame_map(tsr_cptr_t frame, tsr_cptr_t vspace, uint64_t va, unsigned rights,
                          unsigned attrs);
tsr_error_t tsr_frame_unmap(tsr_cptr_t frame);
tsr_error_t tsr_frame_get_address(tsr_cptr_t frame, uint64_t *pa);
/* Its size in bytes (the second result of GetAddress). */
tsr_error_t tsr_frame_get_size(tsr_cptr_t frame, uint64_t *size);
tsr_error_t tsr_page_table_map(tsr_cptr_t pt, tsr_cptr_t vspace, uint64_t va, unsigned *level);
tsr_error_t tsr_page_table_unmap(tsr_cptr_t pt);
/* ASIDs */
tsr_error_t tsr_asid_control_make_pool(tsr_cptr_t control, tsr_cptr_t untyped, tsr_cptr_t root,
                                       uint64_t index, unsigned depth);
tsr_error_t tsr_asid_pool_assign(tsr_cptr_t pool, tsr_cptr_t vspace, unsigned *asid);
/* Interrupts */
tsr_error_t tsr_irq_control_get(tsr_cptr_t control, unsigned intid, tsr_cptr_t root,
                                uint64_t index, unsigned depth);
tsr_error_t tsr_irq_handler_ack(tsr_cptr_t handler);
tsr_error_t tsr_irq_handler_set_notification(tsr_cptr_t handler, tsr_cptr_t ntfn);
tsr_error_t tsr_irq_handler_clear(tsr_cptr_t handler);
/* Message queues (tessera/msgqueue.h): enqueue with tsr_send / tsr_nb_send
 * on a queue capability (never blocks: TSR_E_QUEUE_FULL when full). */
tsr_error_t tsr_msgq_map(tsr_cptr_t queue, tsr_cptr_t vspace, uint64_t va);
tsr_error_t tsr_msgq_unmap(tsr_cptr_t queue);
/* The next message: its sender's badge and the message (info and words). */
tsr_error_t tsr_msgq_dequeue(tsr_cptr_t queue, uint64_t *badge, struct tsr_msg *m);
tsr_error_t tsr_msgq_bind_notification(tsr_cptr_t queue, tsr_cptr_t ntfn);
tsr_error_t tsr_msgq_unbind_notification(tsr_cptr_t queue);
/* Reply objects: *waiting = whether a caller waits on it for an answer. */
tsr_error_t tsr_reply_probe(tsr_cptr_t reply, bool *waiting);

#endif
