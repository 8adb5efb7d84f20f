/* SPDX-License-Identifier: MIT */
/* The generic kernel's side of interrupts and kernel-mode exceptions. */
#ifndef KERNEL_IRQ_H
#define KERNEL_IRQ_H

#include <stdint.h>

#include <tessera/errors.h>

typedef uint64_t paddr_t;

/* Called by arch code for every acknowledged interrupt, with interrupts
 * masked, before end-of-interrupt. */
void kernel_handle_irq(unsigned intid);
/* An `svc` executed by the kernel itself (used only to measure and test the
 * exception path); imm is the svc immediate. */
void kernel_handle_kernel_svc(unsigned imm);

/* User-level interrupt handlers (IRQControl / IRQHandler capabilities). */
#define IRQ_USER_FIRST 32 /* SPIs; PPIs and SGIs stay with the kernel */
#define IRQ_USER_LAST 1019
tsr_error_t irq_handler_claim(unsigned intid);
void irq_handler_release(unsigned intid);
tsr_error_t irq_handler_set_notification(unsigned intid, paddr_t ntfn, uint64_t badge);
void irq_handler_clear_notification(unsigned intid);
void irq_handler_ack(unsigned intid);
void irq_notification_destroyed(paddr_t ntfn);

/* Counters, for the boot tests and the idle loop. */
uint64_t irq_timer_ticks(void);
uint64_t irq_sgi_count(unsigned sgi);
uint64_t irq_kernel_svc_count(void);

#endif
