/* SPDX-License-Identifier: MIT */
/* Interrupt routing in the generic kernel. The timer tick drives the
 * scheduler; SGIs are counted (the kernel's own tests use them); an SPI that
 * user space claimed through an IRQHandler capability is masked and turned
 * into a signal on the notification bound to it, and stays masked until the
 * handler acknowledges it, so a device cannot flood the kernel. Any other
 * line that fires has no owner: it is masked. */
#include <stdbool.h>
#include <stdint.h>

#include "arch.h"
#include "ipc/ipc.h"
#include "core/irq.h"
#include "core/printf.h"
#include "core/sched.h"

struct irq_handler_state {
    bool claimed;
    paddr_t notification;
    uint64_t badge;
};

static uint64_t timer_ticks;
static uint64_t sgi_counts[16];
static uint64_t kernel_svcs;
static struct irq_handler_state handlers[IRQ_USER_LAST + 1];

void kernel_handle_irq(unsigned intid)
{
    if (intid == arch_timer_intid()) {
        timer_ticks++;
        sched_tick();
    } else if (intid < 16) {
        sgi_counts[intid]++;
    } else if (intid >= IRQ_USER_FIRST && intid <= IRQ_USER_LAST && handlers[intid].claimed) {
        arch_irq_disable_line(intid);
        if (handlers[intid].notification)
            notification_signal(handlers[intid].notification, handlers[intid].badge);
    } else {
        kprintf("irq: no handler for intid %u, masking it\n", intid);
        arch_irq_disable_line(intid);
    }
}

tsr_error_t irq_handler_claim(unsigned intid)
{
    if (intid < IRQ_USER_FIRST || intid > IRQ_USER_LAST)
        return TSR_E_RANGE;
    if (handlers[intid].claimed)
        return TSR_E_ILLEGAL_OPERATION;
    handlers[intid] = (struct irq_handler_state){.claimed = true};
    return TSR_OK;
}

void irq_handler_release(unsigned intid)
{
    if (intid < IRQ_USER_FIRST || intid > IRQ_USER_LAST)
        return;
    arch_irq_disable_line(intid);
    handlers[intid] = (struct irq_handler_state){0};
}

tsr_error_t irq_handler_set_notification(unsigned intid, paddr_t ntfn, uint64_t badge)
{
    handlers[intid].notification = ntfn;
    handlers[intid].badge = badge;
    return TSR_OK;
}

void irq_handler_clear_notification(unsigned intid)
{
    handlers[intid].notification = 0;
    arch_irq_disable_line(intid);
}

void irq_handler_ack(unsigned intid)
{
    if (handlers[intid].notification)
        arch_irq_enable_line(intid);
}

void irq_notification_destroyed(paddr_t ntfn)
{
    for (unsigned i = IRQ_USER_FIRST; i <= IRQ_USER_LAST; i++)
        if (handlers[i].notification == ntfn)
            irq_handler_clear_notification(i);
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
