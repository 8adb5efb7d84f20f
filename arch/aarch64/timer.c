/* SPDX-License-Identifier: MIT */
/* The ARM generic timer: the EL1 virtual timer (CNTV_*), which works the same
 * whether we entered at EL1 or dropped from EL2 (head.S zeroes CNTVOFF_EL2).
 * Registers per Arm ARM D11 ("The Generic Timer in AArch64 state"). */
#include <stdint.h>

#include "arch.h"
#include "boot/platform.h"
#include "dt_drivers.h"
#include "sysreg.h"
#include "timer.h"

#define CNTV_CTL_ENABLE (1u << 0)
#define CNTV_CTL_IMASK (1u << 1)

static unsigned timer_intid;
static uint64_t timer_period; /* counter ticks between interrupts, 0 = off */
static uint64_t timer_deadline;

void timer_init_cpu(void)
{
    sysreg_write(cntv_ctl_el0, CNTV_CTL_IMASK);
    /* Let EL0 read the counters (CNTKCTL_EL1.EL0VCTEN, EL0PCTEN): user-space
     * timing and the benchmarks read CNTVCT_EL0 directly. */
    sysreg_write(cntkctl_el1, 3);
    isb();
}

int timer_init(const struct platform_device *dev)
{
    timer_intid = dev->word[TIMER_VIRT_INTID];
    timer_init_cpu();
    return timer_intid ? 0 : -1;
}

uint64_t arch_counter(void)
{
    isb(); /* do not let the read run ahead of earlier instructions (D11.2.2) */
    return sysreg_read(cntvct_el0);
}

uint64_t arch_counter_frequency(void)
{
    return sysreg_read(cntfrq_el0);
}

unsigned arch_timer_intid(void)
{
    return timer_intid;
}

void arch_timer_start_periodic(uint64_t hz)
{
    uint64_t freq = arch_counter_frequency();
    if (hz == 0 || hz > freq) {
        timer_period = 0;
        sysreg_write(cntv_ctl_el0, CNTV_CTL_IMASK);
        return;
    }
    timer_period = freq / hz;
    timer_deadline = arch_counter() + timer_period;
    sysreg_write(cntv_cval_el0, timer_deadline);
    sysreg_write(cntv_ctl_el0, CNTV_CTL_ENABLE);
    isb();
    arch_irq_enable_line(timer_intid);
}

void timer_rearm(void)
{
    if (!timer_period) {
        sysreg_write(cntv_ctl_el0, CNTV_CTL_IMASK);
        return;
    }
    /* Advance by whole periods so ticks stay on a grid even if one was late,
     * and skip periods already past so a long stall cannot cause a storm. */
    uint64_t now = arch_counter();
    timer_deadline += timer_period;
    if (timer_deadline <= now)
        timer_deadline = now + timer_period;
    sysreg_write(cntv_cval_el0, timer_deadline);
    isb();
}
