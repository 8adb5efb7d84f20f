/* SPDX-License-Identifier: MIT */
/* Interrupt routing in the generic kernel. For now: the timer tick and
 * software-generated interrupts are counted; any other line that fires has
 * no owner yet, so it is masked to stop it from storming. */
#include <stdint.h>

#include "arch.h"
#include "irq.h"
#include "printf.h"

static uint64_t timer_ticks;
static uint64_t sgi_counts[16];
static uint64_t kernel_svcs;

void kernel_handle_irq(unsigned intid)
{
    if (intid == arch_timer_intid()) {
        timer_ticks++;
    } else if (intid < 16) {
        sgi_counts[intid]++;
    } else {
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
