/* SPDX-License-Identifier: MIT */
/* Interrupt capabilities (irq_handler.c): IRQControl hands out one
 * IRQHandler per line; an IRQHandler binds its line to a notification and
 * acknowledges it. The generic interrupt path (core/irq.c) asks here what
 * to do with a line that fired. */
#ifndef KERNEL_IRQ_HANDLER_H
#define KERNEL_IRQ_HANDLER_H

#include <stdbool.h>
#include <stdint.h>

#include "cap/cap.h"

#define IRQ_USER_FIRST 32 /* SPIs; PPIs and SGIs stay with the kernel */
#define IRQ_USER_LAST 1019

/* A line user space claimed fired: mask it and signal its notification.
 * Returns false if nobody claimed the line. */
bool irq_handler_fired(unsigned intid);
/* Unbind up to `count` of the interrupt lines bound to the notification at
 * ntfn (it is being destroyed); true while some remain. */
bool irq_unbind_notification(paddr_t ntfn, unsigned count);

#endif
