/* SPDX-License-Identifier: MIT */
/* panic(): say what broke and where, then stop the machine. */
#include <stdarg.h>

#include "arch.h"
#include "core/panic.h"

_Noreturn void panic_at(const char *file, int line, const char *fmt, ...)
{
    arch_interrupts_disable();
    kprintf("\n*** PANIC at %s:%d: ", file, line);
    va_list ap;
    va_start(ap, fmt);
    vkprintf(fmt, ap);
    va_end(ap);
    kprintf("\n*** system halted\n");
    arch_exit(KERNEL_EXIT_PANIC);
}
