/* SPDX-License-Identifier: MIT */
/* The root task once the system runs: it serves the system interface
 * (system.idl: exit, poweroff, the program table) and receives every
 * program's fault reports on the same endpoint, told apart by the badge. A
 * program that exits or faults is taken apart at once (its budget revoked)
 * and the name service is told, so its names answer "server dead" and
 * callers blocked on its endpoint get an error instead of waiting forever. */
#include <stdint.h>

#include <idl/kernel.h>

#include "programs.h"
#include "tsr/invoke.h"
#include "tsr/program.h"
#include "tsr/runtime.h"
#include "tsr/stdio.h"
#include "tsr/string.h"

struct program root_programs[SYSDESC_MAX_PROGRAMS];
unsigned root_program_count;
tsr_cptr_t root_endpoint;
tsr_cptr_t root_names;

static struct program *by_pid(uint64_t pid)
{
    if (pid == 0 || pid > root_program_count)
        return 0;
    return &root_programs[pid - 1];
}

void manager_reclaim(struct program *p)
{
    loader_destroy(&p->loaded);
    if (root_names) {
        idl_kernel_transport t;
        idl_kernel_transport_init(&t, root_names);
        names_v1_stopped(&t.transport, p->loaded.pid);
    }
}

static const char *fault_name(uint64_t label)
{
    switch (label) {
    case TSR_FAULT_VM: return "a memory fault";
    case TSR_FAULT_UNKNOWN_SYSCALL: return "an unknown system call";
    case TSR_FAULT_USER_EXCEPTION: return "an exception";
    }
    return "a fault";
}

/* Fault reports: print, stop, reclaim. The faulting thread is never
 * answered; revoking its budget destroys it. */
static bool intercept_fault(void *ctx, uint64_t badge, const struct tsr_msg *m)
{
    (void)ctx;
    if (!(badge & ROOT_FAULT_BADGE))
        return false;
    struct program *p = by_pid(badge & ~ROOT_FAULT_BADGE);
    if (!p || p->state != PROGRAM_STATE_RUNNING)
        return true;
    uint64_t label = tsr_msginfo_label(m->info);
    printf("root: program '%s' (pid %u) stopped: %s at pc 0x%lx, address 0x%lx\n", p->desc->name,
           p->loaded.pid, fault_name(label), (unsigned long)m->mr[0],
           (unsigned long)(label == TSR_FAULT_VM ? m->mr[1] : m->mr[2]));
    p->state = PROGRAM_STATE_FAULTED;
    snprintf(p->reason, sizeof(p->reason), "stopped by %s at pc 0x%lx", fault_name(label),
             (unsigned long)m->mr[0]);
    manager_reclaim(p);
    return true;
}

static idl_status_t op_exit(void *self, const idl_caller *caller, int32_t status)
{
    (void)self;
    struct program *p = by_pid(caller->badge);
    if (!p || p->state != PROGRAM_STATE_RUNNING)
        return IDL_OK;
    printf("root: program '%s' (pid %u) exited with status %d\n", p->desc->name, p->loaded.pid,
           (int)status);
    p->state = PROGRAM_STATE_EXITED;
    p->exit_status = status;
    snprintf(p->reason, sizeof(p->reason), "exited with status %d", (int)status);
    manager_reclaim(p);
    return IDL_OK;
}

static idl_status_t op_poweroff(void *self, const idl_caller *caller, int32_t status)
{
    (void)self;
    struct program *p = by_pid(caller->badge);
    if (!p || !(p->desc->rights & SYSDESC_RIGHT_POWEROFF))
        return SYSTEM_ERROR_NOT_ALLOWED;
    printf("root: '%s' switches the machine off (status %d)\n", p->desc->name, (int)status);
    tsr_debug_exit(status);
}

static idl_status_t op_program(void *self, const idl_caller *caller, uint32_t index,
                               program_status_t *st, uint32_t *count)
{
    (void)self, (void)caller;
    *count = root_program_count;
    if (index >= root_program_count)
        return SYSTEM_ERROR_NO_SUCH_PROGRAM;
    const struct program *p = &root_programs[index];
    st->pid = index + 1;
    st->priority = p->desc->priority;
    st->state = p->state;
    st->exit_status = p->exit_status;
    st->budget = (uint64_t)p->desc->memory_kib << 10;
    /* The program's own count, read from the page it shares with us:
     * information, not something to trust. */
    st->free = p->state == PROGRAM_STATE_RUNNING && p->loaded.info ? p->loaded.info->untyped_free
                                                                   : 0;
    memcpy(st->name, p->desc->name, sizeof(st->name) - 1);
    memcpy(st->reason, p->reason, sizeof(st->reason) - 1);
    return IDL_OK;
}

_Noreturn void manager_run(void)
{
    static const system_v1_ops ops = {.exit = op_exit, .poweroff = op_poweroff,
                                      .program = op_program};
    static const system_server server = {.self = 0, .v1 = &ops};
    idl_binding binding = system_binding(&server);
    tsr_cptr_t reply;
    if (tsr_alloc_object(TSR_OBJ_REPLY, 0, &reply) == TSR_OK) {
        tsr_error_t err = idl_kernel_serve_intercept(root_endpoint, reply, &binding, 1, 0,
                                                     intercept_fault, 0);
        printf("root: the system endpoint failed (error %d)\n", err);
    }
    for (;;)
        tsr_yield();
}
