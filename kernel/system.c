/* SPDX-License-Identifier: MIT */
/* boot_run() for the everyday image: start the tick and idle. (User space,
 * the root task and its services arrive with the capability work.) With
 * "poweroff" in the bootargs the system switches itself off through PSCI
 * SYSTEM_OFF after the first second of ticks, which is how the tests check
 * that path. */
#include <stdbool.h>

#include "arch.h"
#include "boot.h"
#include "irq.h"
#include "kstring.h"
#include "platform.h"
#include "printf.h"

#define TICK_HZ 100

static bool bootargs_has_word(const char *args, const char *word)
{
    size_t len = strlen(word);
    for (const char *p = args; *p;) {
        while (*p == ' ')
            p++;
        const char *end = p;
        while (*end && *end != ' ')
            end++;
        if ((size_t)(end - p) == len && strncmp(p, word, len) == 0)
            return true;
        p = end;
    }
    return false;
}

_Noreturn void boot_run(const struct platform *plat)
{
    arch_timer_start_periodic(TICK_HZ);
    arch_interrupts_enable();
    while (irq_timer_ticks() < TICK_HZ)
        arch_wait_for_interrupt();
    kprintf("timer: %lu ticks at %u Hz\n", (unsigned long)irq_timer_ticks(), TICK_HZ);
    if (bootargs_has_word(plat->bootargs, "poweroff")) {
        kprintf("powering off through PSCI SYSTEM_OFF\n");
        arch_power_off();
    }
    kprintf("idle (in QEMU, Ctrl-A X quits)\n");
    for (;;)
        arch_wait_for_interrupt();
}
