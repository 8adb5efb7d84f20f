/* SPDX-License-Identifier: MIT */
/* Creating the root task at boot (rootserver.c). */
#ifndef KERNEL_ROOTSERVER_H
#define KERNEL_ROOTSERVER_H

#include <stdbool.h>
#include <stddef.h>

struct platform;
struct tcb;

/* Build the root task from boot memory and make it runnable. bootmem must
 * have been initialised; dtb is copied into the root task. */
void rootserver_create(const struct platform *plat, const void *dtb, size_t dtb_size,
                       unsigned kernel_tests_passed, unsigned kernel_tests_failed);

/* Is t the root task's first thread (the only one allowed DebugExit)? */
bool rootserver_is_root_thread(const struct tcb *t);
const struct tcb *rootserver_root_thread(void); /* the invariant checker starts from its CSpace */

#endif
