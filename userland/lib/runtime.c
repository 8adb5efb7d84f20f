/* SPDX-License-Identifier: MIT */
/* The runtime a user program starts in: set up the thread pointer (its IPC
 * buffer), call main, report main's status. */
#include <stdint.h>

#include <tessera/bootinfo.h>

#include "tsr/invoke.h"
#include "tsr/runtime.h"
#include "tsr/syscall.h"

int main(const struct tsr_bootinfo *bi);

_Noreturn void tsr_runtime_start(const struct tsr_bootinfo *bi);

_Noreturn void tsr_runtime_start(const struct tsr_bootinfo *bi)
{
    __asm__ volatile("msr tpidr_el0, %0" ::"r"(bi->ipc_buffer));
    int status = main(bi);
    tsr_debug_exit(status);
}

_Noreturn void tsr_thread_exit(tsr_cptr_t self)
{
    tsr_tcb_suspend(self);
    for (;;)
        tsr_yield();
}
