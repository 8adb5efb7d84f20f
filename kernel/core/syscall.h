/* SPDX-License-Identifier: MIT */
/* Entry points from the arch trap code into the generic kernel. */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include <stdint.h>

/* `svc #number` from the current thread. */
void kernel_syscall(unsigned number);
/* The lean system-call entry (vectors.S): handle the call, then return the
 * context of the thread to resume, which may be another one. */
struct arch_context;
struct arch_context *kernel_svc(unsigned number, struct arch_context *ctx);
/* The current thread faulted: report it to its fault endpoint. The words
 * are the fault message (tessera/syscalls.h, enum tsr_fault). */
void kernel_user_fault(unsigned type, uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3);

#endif
