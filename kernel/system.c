/* SPDX-License-Identifier: MIT */
/* boot_run() for the everyday image: start the tick and idle. (User space,
 * the root task and its services arrive with the capability work.) */
#include "arch.h"
#include "boot.h"
#include "irq.h"
#include "printf.h"

#define TICK_HZ 100

_Noreturn void boot_run(const struct platform *plat)
{
    (void)plat;
    arch_timer_start_periodic(TICK_HZ);
    arch_interrupts_enable();
    while (irq_timer_ticks() < TICK_HZ)
        arch_wait_for_interrupt();
    kprintf("timer: %lu ticks at %u Hz; idle (in QEMU, Ctrl-A X quits)\n",
            (unsigned long)irq_timer_ticks(), TICK_HZ);
    for (;;)
        arch_wait_for_interrupt();
}
