/* SPDX-License-Identifier: MIT */
/* The system-call ABI: call numbers, invocation labels and fault messages,
 * shared by the kernel and user space. docs/syscalls.md is the reference.
 *
 * A system call is `svc #N`, N from enum tsr_syscall, carried in ESR_EL1.ISS
 * so no register is spent on it. Registers follow the AAPCS64 procedure-call
 * rules: x19-x29, SP and TPIDR_EL0 are preserved; x0-x18 and x30 may be
 * changed, and those that carry no result are returned as zero or as the
 * caller's own value, never another thread's.
 *   x0   capability pointer in; badge (IPC) or error code out
 *   x1   message info (tessera/ipc.h) in and out
 *   x2-x15  message registers MR0-MR13
 *   x16  reply-object capability pointer (Recv, NBRecv, ReplyRecv)
 * Invoking a kernel object (anything but an endpoint, notification or
 * reply) is a Call whose label names the method; the reply's label is the
 * error code (0 = success, with TSR_MSGINFO_ERROR set on failure) and its
 * message registers the results. */
#ifndef TESSERA_SYSCALLS_H
#define TESSERA_SYSCALLS_H

enum tsr_syscall {
    TSR_SYS_NULL = 0,        /* does nothing: the floor of kernel entry and exit */
    TSR_SYS_SEND = 1,
    TSR_SYS_NB_SEND = 2,
    TSR_SYS_CALL = 3,
    TSR_SYS_RECV = 4,
    TSR_SYS_NB_RECV = 5,
    TSR_SYS_REPLY_RECV = 6,
    TSR_SYS_YIELD = 7,
    TSR_SYS_DEBUG_PUTC = 8,  /* x0 = character */
    TSR_SYS_DEBUG_WRITE = 9, /* x0 = user pointer, x1 = length; x0 out = error */
    TSR_SYS_DEBUG_EXIT = 10, /* x0 = status: stop the machine (tests) */
    TSR_SYS_COUNT
};

/* Method labels of kernel-object invocations. */
enum tsr_invocation {
    TSR_UNTYPED_RETYPE = 1,   /* type, size_bits, root, index, depth, offset, count */
    TSR_CNODE_COPY = 10,      /* dst_index, dst_depth, src_root, src_index, src_depth, rights */
    TSR_CNODE_MINT,           /* ... as copy, then badge */
    TSR_CNODE_MOVE,           /* dst_index, dst_depth, src_root, src_index, src_depth */
    TSR_CNODE_MUTATE,         /* ... as move, then rights, badge */
    TSR_CNODE_DELETE,         /* index, depth */
    TSR_CNODE_REVOKE,         /* index, depth */
    TSR_TCB_CONFIGURE = 20,   /* fault_ep, cspace_root, vspace_root, ipc_buffer_va, ipc_buffer_frame */
    TSR_TCB_SET_PRIORITY,     /* authority_tcb, priority */
    TSR_TCB_SET_MCP,          /* authority_tcb, mcp */
    TSR_TCB_READ_REGISTERS,   /* count -> registers in dump order */
    TSR_TCB_WRITE_REGISTERS,  /* resume, count, registers... */
    TSR_TCB_RESUME,
    TSR_TCB_SUSPEND,
    TSR_TCB_BIND_NOTIFICATION, /* notification */
    TSR_TCB_UNBIND_NOTIFICATION,
    TSR_FRAME_MAP = 30,       /* vspace, va, rights, attributes */
    TSR_FRAME_UNMAP,
    TSR_FRAME_GET_ADDRESS,    /* -> physical address */
    TSR_PAGE_TABLE_MAP = 35,  /* vspace, va -> level */
    TSR_PAGE_TABLE_UNMAP,
    TSR_ASID_CONTROL_MAKE_POOL = 40, /* untyped, root, index, depth */
    TSR_ASID_POOL_ASSIGN,     /* vspace -> asid */
    TSR_IRQ_CONTROL_GET = 45, /* intid, root, index, depth */
    TSR_IRQ_HANDLER_ACK,
    TSR_IRQ_HANDLER_SET_NOTIFICATION, /* notification */
    TSR_IRQ_HANDLER_CLEAR,
};

/* Frame mapping attributes (TSR_FRAME_MAP). Rights come from the frame
 * capability and the rights argument; execute is refused with write. */
#define TSR_VM_EXECUTE 0x1u
#define TSR_VM_UNCACHED 0x2u

/* Fault messages: a faulting thread is made to Call its fault endpoint with
 * one of these labels. Replying resumes it (at MR0 of the reply if the reply
 * label is TSR_FAULT_REPLY_SET_PC). */
enum tsr_fault {
    TSR_FAULT_VM = 1,              /* MR0 pc, MR1 address, MR2 1 if instruction fetch, MR3 ESR */
    TSR_FAULT_UNKNOWN_SYSCALL = 2, /* MR0 pc, MR1 syscall number, MR2 x0 ... */
    TSR_FAULT_USER_EXCEPTION = 3,  /* MR0 pc, MR1 ESR, MR2 FAR */
};
#define TSR_FAULT_REPLY_SET_PC 1u

/* Thread priorities: 0 (lowest) to TSR_MAX_PRIORITY. */
#define TSR_MAX_PRIORITY 255u

#endif /* TESSERA_SYSCALLS_H */
