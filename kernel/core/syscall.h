/* SPDX-License-Identifier: MIT */
/* Entry points from the arch trap code into the generic kernel. */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include <stdint.h>

/* The lean system-call entry (vectors.S) calls svc_table[number] (numbers
 * from SVC_TABLE_SIZE - 1 on are all "unknown") with the calling thread and
 * the number; the handler says which thread to resume and how. `message` is SVC_EXIT_RESTORE_ALL (restore
 * every register from its context) or, when the IPC fast path switched
 * threads, the message length L (0..TSR_MSG_REG_WORDS): the resumed thread's
 * x2-x15 are then the calling thread's MR0..MR(L-1), taken from its saved
 * context, and zero past them (vectors.S, el0_svc_switch). */
struct arch_context;
struct svc_exit {
    struct arch_context *resume;
    uint64_t message;
};
#define SVC_EXIT_RESTORE_ALL UINT64_MAX
struct tcb;
typedef struct svc_exit (*svc_handler_t)(struct tcb *t, unsigned number);
#define SVC_TABLE_SIZE 16 /* also in vectors.S */
extern const svc_handler_t svc_table[SVC_TABLE_SIZE];
/* Set by the IPC fast path: the message length to pass on in svc_exit. */
extern uint64_t svc_exit_message;
/* The current thread faulted: report it to its fault endpoint. The words
 * are the fault message (tessera/syscalls.h, enum tsr_fault). */
void kernel_user_fault(unsigned type, uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3);

#endif
