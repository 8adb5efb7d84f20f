/* SPDX-License-Identifier: MIT */
/* The runtime of a program the root task starts (docs/programs.md): point
 * TPIDR_EL0 at the IPC buffer, set up the slot and memory allocators from
 * the information page, split the description's arguments into argv, run
 * main, and report its status to the root task, which then takes the
 * program's memory back. */
#include <stdint.h>

#include "system.h"
#include "tsr/invoke.h"
#include "tsr/program.h"
#include "tsr/runtime.h"
#include "tsr/syscall.h"
#include "tsr/sys.h"

int main(int argc, char **argv);
_Noreturn void tsr_program_start(struct tsr_program_info *info);

#define MAX_ARGS 16

static struct tsr_program_info *program_info;

const struct tsr_program_info *tsr_program(void)
{
    return program_info;
}

_Noreturn void tsr_program_exit(int status)
{
    idl_kernel_transport t;
    idl_kernel_transport_init(&t, TSR_PROG_SYSTEM);
    system_v1_exit(&t.transport, status);
    /* The root task stops us when it takes the message; should it not (no
     * system endpoint), stop here. */
    for (;;)
        tsr_tcb_suspend(TSR_PROG_TCB);
}

_Noreturn void tsr_program_start(struct tsr_program_info *info)
{
    __asm__ volatile("msr tpidr_el0, %0" ::"r"(info->ipc_buffer));
    program_info = info;
    tsr_alloc_init_ranges(info->empty, info->untyped, info->untyped_list, &info->untyped_free);
    /* argv[0] is the program's name, then the NUL-separated arguments. */
    static char *argv[MAX_ARGS + 2];
    int argc = 0;
    argv[argc++] = info->name;
    info->args[TSR_PROGRAM_ARGS_MAX - 1] = '\0';
    char *p = info->args;
    for (uint32_t i = 0; i < info->argc && argc <= MAX_ARGS && p < info->args + TSR_PROGRAM_ARGS_MAX; i++) {
        argv[argc++] = p;
        while (*p)
            p++;
        p++;
    }
    argv[argc] = 0;
    tsr_program_exit(main(argc, argv));
}
