/* SPDX-License-Identifier: MIT */
/* Interrupt routing in the generic kernel. The timer tick drives the
 * scheduler; SGIs are counted (the kernel's own tests use them); an SPI that
 * user space claimed through an IRQHandler capability goes to its handler
 * (object/irq_handler.c). Any other line that fires has no owner: it is
 * masked. */
#include <stdbool.h>
#include <stdint.h>

#include "arch.h"
#include "object/irq_handler.h"
#include "core/irq.h"
#include "core/printf.h"
#include "core/sched.h"

/* Written by interrupt and exception handlers, read by code they interrupt. */
static volatile uint64_t timer_ticks;
static volatile uint64_t sgi_counts[16];
static volatile uint64_t kernel_svcs;

void kernel_handle_irq(unsigned intid)
{
    if (intid == arch_timer_intid()) {
        timer_ticks++;
        sched_tick();
    } else if (intid < 16) {
        sgi_counts[intid]++;
    } else if (!irq_handler_fired(intid)) {
        kprintf("irq: no handler for intid %u, masking it\n", intid);
        arch_irq_disable_line(intid);
    }
}

void kernel_handle_kernel_svc(unsigned imm)
{
    (void)imm;
    kernel_svcs++;
}

uint64_t irq_timer_ticks(void)
{
    return timer_ticks;
}

uint64_t irq_sgi_count(unsigned sgi)
{
    return sgi < 16 ? sgi_counts[sgi] : 0;
}

uint64_t irq_kernel_svc_count(void)
{
    return kernel_svcs;
}
