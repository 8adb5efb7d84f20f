/* SPDX-License-Identifier: MIT */
/* The generic kernel's side of interrupts and kernel-mode exceptions. */
#ifndef KERNEL_IRQ_H
#define KERNEL_IRQ_H

#include <stdint.h>


/* Called by arch code for every acknowledged interrupt, with interrupts
 * masked, before end-of-interrupt. */
void kernel_handle_irq(unsigned intid);
/* An `svc` executed by the kernel itself (used only to measure and test the
 * exception path); imm is the svc immediate. */
void kernel_handle_kernel_svc(unsigned imm);

/* Counters, for the boot tests and the idle loop. */
uint64_t irq_timer_ticks(void);
uint64_t irq_sgi_count(unsigned sgi);
uint64_t irq_kernel_svc_count(void);

#endif
