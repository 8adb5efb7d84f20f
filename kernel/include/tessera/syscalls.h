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
 * message registers the results.
 *
 * This header is the single source of the ABI's numbers: the call numbers
 * and the method labels below are X-macro tables from which the kernel's
 * dispatch tables and the user-space wrappers' argument checks are built,
 * and against which tests/abi checks every table of docs/syscalls.md. */
#ifndef TESSERA_SYSCALLS_H
#define TESSERA_SYSCALLS_H

/* Argument and result registers of every system call, by their number n in
 * xn (the kernel reads them from the saved context, user stubs bind them to
 * the named registers). */
#define TSR_ARG_CPTR 0    /* in: capability invoked */
#define TSR_ARG_BADGE 0   /* out: the sender's badge (receives) */
#define TSR_ARG_ERROR 0   /* out: the error code */
#define TSR_ARG_MSGINFO 1 /* in/out: message info (tessera/ipc.h) */
#define TSR_ARG_MR0 2     /* MR0..MR13 in x2..x15 */
#define TSR_ARG_REPLY 16  /* in: reply-object cptr (Recv, NBRecv, ReplyRecv) */

/* The system calls: X(NAME, number, DocName). TSR_SYS_<NAME> is `svc #number`;
 * DocName is its name in docs/syscalls.md. */
#define TSR_SYSCALLS(X)                                                                            \
    X(NULL, 0, Null) /* does nothing: the floor of kernel entry and exit */                       \
    X(SEND, 1, Send)                                                                               \
    X(NB_SEND, 2, NBSend)                                                                          \
    X(CALL, 3, Call)                                                                               \
    X(RECV, 4, Recv)                                                                               \
    X(NB_RECV, 5, NBRecv)                                                                          \
    X(REPLY_RECV, 6, ReplyRecv)                                                                    \
    X(YIELD, 7, Yield)                                                                             \
    X(DEBUG_PUTC, 8, DebugPutc)   /* x0 = character */                                             \
    X(DEBUG_WRITE, 9, DebugWrite) /* x0 = user pointer, x1 = length; x0 out = error */             \
    X(DEBUG_EXIT, 10, DebugExit)  /* x0 = status: stop the machine (tests) */                     \
    X(DEBUG_COUNTER, 11, DebugCounter) /* x0 = counter id; x0 out = its value */                  \
    X(DEBUG_CHECK, 12, DebugCheck) /* x0 out = broken invariant (0: none), x1 out = caps checked */

enum tsr_syscall {
#define TSR_SYSCALL_ENUM(name, number, doc) TSR_SYS_##name = number,
    TSR_SYSCALLS(TSR_SYSCALL_ENUM)
#undef TSR_SYSCALL_ENUM
    TSR_SYS_COUNT
};

/* Kernel-object methods: X(OBJECT, METHOD, DocName, label, nargs, arguments, results)
 *   TSR_<OBJECT>_<METHOD> = label, the Call's label; the kernel dispatches it
 *     to the object type CAP_<OBJECT>;
 *   nargs: message words the method needs at least (fewer is TRUNCATED), also
 *     TSR_<OBJECT>_<METHOD>_ARGS, which the user wrappers check themselves
 *     against at compile time;
 *   arguments, results: the MR0... words in and out, as the method's row in
 *     docs/syscalls.md lists them ("-" for none). */
#define TSR_METHODS(X)                                                                             \
    X(UNTYPED, RETYPE, Retype, 1, 7, "type, size_bits, root, index, depth, offset, count", "-")   \
    X(CNODE, COPY, Copy, 10, 6, "dst_index, dst_depth, src_root, src_index, src_depth, rights",    \
      "-")                                                                                         \
    X(CNODE, MINT, Mint, 11, 7,                                                                    \
      "dst_index, dst_depth, src_root, src_index, src_depth, rights, badge", "-")                  \
    X(CNODE, MOVE, Move, 12, 5, "dst_index, dst_depth, src_root, src_index, src_depth", "-")       \
    X(CNODE, MUTATE, Mutate, 13, 7,                                                                \
      "dst_index, dst_depth, src_root, src_index, src_depth, rights, badge", "-")                  \
    X(CNODE, DELETE, Delete, 14, 2, "index, depth", "-")                                           \
    X(CNODE, REVOKE, Revoke, 15, 2, "index, depth", "-")                                           \
    X(TCB, CONFIGURE, Configure, 20, 5,                                                            \
      "fault_ep, cspace_root, vspace_root, ipc_buffer_va, ipc_buffer_frame", "-")                  \
    X(TCB, SET_PRIORITY, SetPriority, 21, 2, "authority_tcb, priority", "-")                       \
    X(TCB, SET_MCP, SetMCP, 22, 2, "authority_tcb, mcp", "-")                                      \
    X(TCB, READ_REGISTERS, ReadRegisters, 23, 1, "count", "registers 0..count-1")                \
    X(TCB, WRITE_REGISTERS, WriteRegisters, 24, 2, "resume, count, registers...", "-")             \
    X(TCB, RESUME, Resume, 25, 0, "-", "-")                                                        \
    X(TCB, SUSPEND, Suspend, 26, 0, "-", "-")                                                      \
    X(TCB, BIND_NOTIFICATION, BindNotification, 27, 1, "notification", "-")                        \
    X(TCB, UNBIND_NOTIFICATION, UnbindNotification, 28, 0, "-", "-")                               \
    X(FRAME, MAP, Map, 30, 4, "vspace, va, rights, attributes", "-")                               \
    X(FRAME, UNMAP, Unmap, 31, 0, "-", "-")                                                        \
    X(FRAME, GET_ADDRESS, GetAddress, 32, 0, "-", "physical address, size")                        \
    X(PAGE_TABLE, MAP, Map, 35, 2, "vspace, va", "level")                                          \
    X(PAGE_TABLE, UNMAP, Unmap, 36, 0, "-", "-")                                                   \
    X(ASID_CONTROL, MAKE_POOL, MakePool, 40, 4, "untyped, root, index, depth", "-")                \
    X(ASID_POOL, ASSIGN, Assign, 41, 1, "vspace", "asid")                                          \
    X(IRQ_CONTROL, GET, Get, 45, 4, "intid, root, index, depth", "-")                              \
    X(IRQ_HANDLER, ACK, Ack, 46, 0, "-", "-")                                                      \
    X(IRQ_HANDLER, SET_NOTIFICATION, SetNotification, 47, 1, "notification", "-")                 \
    X(IRQ_HANDLER, CLEAR, Clear, 48, 0, "-", "-")                                                  \
    X(MSG_QUEUE, MAP, Map, 50, 2, "vspace, va", "-")                                               \
    X(MSG_QUEUE, UNMAP, Unmap, 51, 0, "-", "-")                                                    \
    X(MSG_QUEUE, DEQUEUE, Dequeue, 52, 0, "-", "badge, info, words...")                           \
    X(MSG_QUEUE, BIND_NOTIFICATION, BindNotification, 53, 1, "notification", "-")                 \
    X(MSG_QUEUE, UNBIND_NOTIFICATION, UnbindNotification, 54, 0, "-", "-")                        \
    X(REPLY, PROBE, Probe, 56, 0, "-", "waiting")

/* Method labels (the Call's label). */
enum tsr_invocation {
#define TSR_METHOD_ENUM(object, method, doc, label, nargs, args, results)                          \
    TSR_##object##_##method = label, TSR_##object##_##method##_ARGS = nargs,
    TSR_METHODS(TSR_METHOD_ENUM)
#undef TSR_METHOD_ENUM
    TSR_METHOD_LABEL_MAX = 56 /* the largest label above (tests/abi checks it) */
};

/* Registers in a register dump (TCB ReadRegisters and WriteRegisters): x0-x30,
 * then SP_EL0, PC, SPSR, TPIDR_EL0 (TSR_REG_COUNT words), then the FP/SIMD
 * state: V0-V31 as two words each (bits 63:0, then 127:64), FPSR and FPCR
 * (TSR_REG_COUNT_ALL words in all). A count covers registers 0..count-1, so
 * a count up to TSR_REG_COUNT leaves the FP/SIMD state alone. */
#define TSR_REG_X(n) (n)
#define TSR_REG_SP 31
#define TSR_REG_PC 32
#define TSR_REG_SPSR 33
#define TSR_REG_TPIDR 34
#define TSR_REG_COUNT 35
#define TSR_REG_V_LO(n) (35 + 2 * (n))
#define TSR_REG_V_HI(n) (36 + 2 * (n))
#define TSR_REG_FPSR 99
#define TSR_REG_FPCR 100
#define TSR_REG_COUNT_ALL 101

/* Frame mapping attributes (TSR_FRAME_MAP). Rights come from the frame
 * capability and the rights argument; execute is refused with write. */
#define TSR_VM_EXECUTE 0x1u
#define TSR_VM_UNCACHED 0x2u

/* Fault messages: a faulting thread is made to Call its fault endpoint with
 * one of these labels. Replying resumes it (at MR0 of the reply if the reply
 * label is TSR_FAULT_REPLY_SET_PC). X(NAME, label, doc name):
 *   VM               MR0 pc, MR1 address, MR2 1 if instruction fetch, MR3 ESR
 *   UNKNOWN_SYSCALL  MR0 pc, MR1 syscall number, MR2 x0, MR3 x1
 *   USER_EXCEPTION   MR0 pc, MR1 ESR, MR2 FAR */
#define TSR_FAULTS(X)                                                                              \
    X(VM, 1, VM fault)                                                                             \
    X(UNKNOWN_SYSCALL, 2, unknown syscall)                                                         \
    X(USER_EXCEPTION, 3, user exception)

enum tsr_fault {
#define TSR_FAULT_ENUM(name, label, doc) TSR_FAULT_##name = label,
    TSR_FAULTS(TSR_FAULT_ENUM)
#undef TSR_FAULT_ENUM
};
#define TSR_FAULT_REPLY_SET_PC 1u

/* Kernel event counters that DebugCounter reads (debug builds count; other
 * builds answer 0): which IPC path each Call and ReplyRecv took, and why the
 * fast path fell back to the slow one. X(NAME, id, what). */
#define TSR_COUNTERS(X)                                                                            \
    X(FASTPATH_CALL, 0, "Calls the fast path completed")                                           \
    X(FASTPATH_REPLY_RECV, 1, "ReplyRecvs the fast path completed")                                \
    X(SLOW_MESSAGE, 2, "fell back: more than 14 words, capabilities, or a long or page message")   \
    X(SLOW_NO_RECEIVER, 3, "fell back: Call with nobody waiting on the endpoint")                  \
    X(SLOW_REPLY_OBJECT, 4, "fell back: no usable reply object (none offered, or in use)")         \
    X(SLOW_PRIORITY, 5, "fell back: a ready thread outranks the one to switch to")                 \
    X(SLOW_SENDERS_WAITING, 6, "fell back: ReplyRecv on an endpoint with senders queued")          \
    X(SLOW_NOTIFICATION, 7, "fell back: ReplyRecv with its bound notification signalled")          \
    X(SLOW_FAULT_REPLY, 8, "fell back: ReplyRecv answering a fault report")                        \
    X(LONG_PREEMPTED, 9, "long copies stopped early for an interrupt (the call restarted)")        \
    X(MAX_MASKED, 10, "the most cycles one system call ran with interrupts masked (read resets)")

enum tsr_counter {
#define TSR_COUNTER_ENUM(name, id, what) TSR_COUNTER_##name = id,
    TSR_COUNTERS(TSR_COUNTER_ENUM)
#undef TSR_COUNTER_ENUM
    TSR_COUNTER_COUNT
};

/* Thread priorities: 0 (lowest) to TSR_MAX_PRIORITY. */
#define TSR_MAX_PRIORITY 255u

#endif /* TESSERA_SYSCALLS_H */
