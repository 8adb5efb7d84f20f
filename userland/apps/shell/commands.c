/* SPDX-License-Identifier: MIT */
/* The shell's system commands: echo, services (the name service's list and
 * each service's discovery answer), ipcbench (a few round trips, timed with
 * the generic timer), mem (the root task's program table) and poweroff. */
#include "console.h"
#include "names.h"
#include "shell.h"
#include "system.h"
#include "tsr/console.h"
#include "tsr/invoke.h"
#include "tsr/runtime.h"
#include "tsr/service.h"
#include "tsr/string.h"
#include "tally.h"
#include "tsr/sys.h"
#include "vfs.h"


int cmd_echo(int argc, char **argv)
{
    /* echo TEXT... [> FILE]: the words up to '>' joined by spaces. */
    static char text[512];
    size_t n = 0;
    const char *file = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], ">") == 0) {
            if (i + 2 != argc) {
                printf("echo: usage: echo TEXT > FILE\n");
                return 1;
            }
            file = argv[i + 1];
            break;
        }
        size_t len = strlen(argv[i]);
        if (n + len + 2 > sizeof(text)) {
            printf("echo: too long\n");
            return 1;
        }
        if (n)
            text[n++] = ' ';
        memcpy(text + n, argv[i], len);
        n += len;
    }
    text[n] = '\0';
    if (file)
        return shell_write_file(file, text, true);
    printf("%s\n", text);
    return 0;
}

static idl_transport *system_transport(void)
{
    static idl_kernel_transport t;
    idl_kernel_transport_init(&t, TSR_PROG_SYSTEM);
    return &t.transport;
}

/* Interfaces the shell can name; others print as their GUID's first half. */
static const struct {
    uint64_t hi, lo;
    const char *name;
} known[] = {
    {NAMES_GUID_HI, NAMES_GUID_LO, "names"},
    {CONSOLE_GUID_HI, CONSOLE_GUID_LO, "console"},
    {SYSTEM_GUID_HI, SYSTEM_GUID_LO, "system"},
    {VFS_GUID_HI, VFS_GUID_LO, "vfs"},
    {TALLY_GUID_HI, TALLY_GUID_LO, "tally"},
};

static void print_offers(tsr_cptr_t ep)
{
    idl_kernel_transport t;
    idl_kernel_transport_init(&t, ep);
    idl_offer offers[16];
    size_t n;
    idl_status_t st = idl_discover(&t.transport, offers, 16, &n);
    if (st != IDL_OK) {
        printf("(no answer: %s)", tsr_status_text(st));
        return;
    }
    /* One entry per interface, its versions after it. */
    for (size_t i = 0; i < n; i++) {
        bool first = i == 0 || offers[i].guid.hi != offers[i - 1].guid.hi ||
                     offers[i].guid.lo != offers[i - 1].guid.lo;
        if (first) {
            const char *name = 0;
            for (size_t k = 0; k < sizeof(known) / sizeof(known[0]); k++)
                if (known[k].hi == offers[i].guid.hi && known[k].lo == offers[i].guid.lo)
                    name = known[k].name;
            if (name)
                printf("%s%s", i ? ", " : "", name);
            else
                printf("%s%016lx", i ? ", " : "", (unsigned long)offers[i].guid.hi);
        }
        printf(" v%u", offers[i].version);
    }
}

int cmd_services(int argc, char **argv)
{
    (void)argc, (void)argv;
    printf("%4s  %-16s %4s  %s\n", "VID", "NAME", "PID", "INTERFACES");
    uint32_t first = 0, count, next;
    static service_info_t list[8];
    do {
        idl_status_t st = names_v1_list(names_transport(), first, list, &count, &next);
        if (st != IDL_OK) {
            printf("services: %s\n", tsr_status_text(st));
            return 1;
        }
        for (uint32_t i = 0; i < count; i++) {
            printf("%4u  %-16s %4u  ", list[i].vid, list[i].name, list[i].pid);
            tsr_cptr_t ep;
            if (!list[i].alive) {
                printf("(stopped)");
            } else if (names_connect(list[i].vid, &ep) == IDL_OK) {
                print_offers(ep);
                tsr_free_object(ep);
            } else {
                printf("(not reachable)");
            }
            printf("\n");
        }
        first = next;
    } while (count);
    return 0;
}

static uint64_t ticks(void)
{
    uint64_t t;
    __asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(t));
    return t;
}

static uint64_t timer_hz(void)
{
    uint64_t hz;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(hz));
    return hz;
}

static void report(const char *what, uint64_t elapsed, unsigned rounds)
{
    uint64_t ns = elapsed * 1000000000ull / timer_hz() / rounds;
    printf("  %-44s %6lu ns\n", what, (unsigned long)ns);
}

int cmd_ipcbench(int argc, char **argv)
{
    (void)argc, (void)argv;
    enum { ROUNDS = 2000 };
    printf("ipcbench: mean time per operation over %u rounds (wall clock: QEMU\n"
           "emulates, so compare these with each other; docs/benchmarks.md has\n"
           "instruction counts)\n", ROUNDS);
    uint64_t t0 = ticks();
    for (unsigned i = 0; i < ROUNDS; i++)
        tsr_sys_null(0, 0);
    report("null system call", ticks() - t0, ROUNDS);

    /* An IDL call and its reply with the name service (2 and 5 words). */
    idl_offer offers[4];
    size_t n;
    t0 = ticks();
    for (unsigned i = 0; i < ROUNDS; i++)
        idl_discover(names_transport(), offers, 4, &n);
    report("IDL call: discovery query to names", ticks() - t0, ROUNDS);

    uint32_t count, next;
    static service_info_t list[8];
    t0 = ticks();
    for (unsigned i = 0; i < ROUNDS; i++)
        names_v1_list(names_transport(), 1000, list, &count, &next);
    report("IDL call: names list (60-word reply)", ticks() - t0, ROUNDS);

    t0 = ticks();
    for (unsigned i = 0; i < ROUNDS / 4; i++) {
        uint32_t vid;
        tsr_cptr_t ep;
        if (names_resolve("console", &vid, &ep) == IDL_OK)
            tsr_free_object(ep);
    }
    report("resolve a name (a capability in the reply)", ticks() - t0, ROUNDS / 4);

    t0 = ticks();
    for (unsigned i = 0; i < ROUNDS; i++)
        console_v1_write(console_transport(), (const uint8_t *)"", 0);
    report("IDL call: empty console write", ticks() - t0, ROUNDS);
    return 0;
}

static const char *state_name(program_state_t s)
{
    switch (s) {
    case PROGRAM_STATE_NOT_STARTED: return "not started";
    case PROGRAM_STATE_RUNNING: return "running";
    case PROGRAM_STATE_EXITED: return "exited";
    case PROGRAM_STATE_FAULTED: return "faulted";
    }
    return "?";
}

int cmd_mem(int argc, char **argv)
{
    (void)argc, (void)argv;
    printf("%4s  %-16s %-12s %10s %10s\n", "PID", "PROGRAM", "STATE", "BUDGET", "UNTYPED");
    uint32_t count = 1;
    for (uint32_t i = 0; i < count; i++) {
        static program_status_t st;
        idl_status_t s = system_v1_program(system_transport(), i, &st, &count);
        if (s != IDL_OK) {
            printf("mem: %s\n", tsr_status_text(s));
            return 1;
        }
        printf("%4u  %-16s %-12s %6lu KiB", st.pid, st.name, state_name(st.state),
               (unsigned long)(st.budget >> 10));
        if (st.state == PROGRAM_STATE_RUNNING)
            printf(" %6lu KiB\n", (unsigned long)(st.free >> 10));
        else
            printf("   %s\n", st.reason);
    }
    return 0;
}

int cmd_poweroff(int argc, char **argv)
{
    (void)argc, (void)argv;
    printf("Switching off.\n");
    idl_status_t st = system_v1_poweroff(system_transport(), 0);
    printf("poweroff: %s\n", st == SYSTEM_ERROR_NOT_ALLOWED ? "not allowed for this shell"
                                                          : tsr_status_text(st));
    return 1;
}
