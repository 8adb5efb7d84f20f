/* SPDX-License-Identifier: MIT */
/* TAP reporting for the system test programs (tap.h). */
#include "tap.h"

static unsigned number, failed;

bool tap_fail(const char *file, int line, const char *what, long got, long want)
{
    printf("# %s:%d: check failed: %s (got %ld = 0x%lx, want %ld = 0x%lx)\n", file, line, what,
           got, (unsigned long)got, want, (unsigned long)want);
    return false;
}

void tap_run(const struct systest *tests)
{
    for (const struct systest *t = tests; t->id; t++) {
        bool ok = t->run();
        number++;
        failed += !ok;
        printf("%s %u - %s %s\n", ok ? "ok" : "not ok", number, t->id, t->description);
    }
}

idl_transport *tap_system(void)
{
    static idl_kernel_transport t;
    idl_kernel_transport_init(&t, TSR_PROG_SYSTEM);
    return &t.transport;
}

bool tap_program(const char *name, program_status_t *st)
{
    uint32_t count = 1;
    for (uint32_t i = 0; i < count; i++) {
        if (system_v1_program(tap_system(), i, st, &count) != IDL_OK)
            return false;
        if (strcmp(st->name, name) == 0)
            return true;
    }
    return false;
}

bool tap_contains(const char *s, const char *sub)
{
    size_t n = strlen(sub);
    for (; *s; s++)
        if (strncmp(s, sub, n) == 0)
            return true;
    return n == 0;
}

uint64_t tap_now_us(void)
{
    uint64_t ticks, hz;
    __asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(ticks));
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(hz));
    return hz ? ticks / (hz / 1000000 ? hz / 1000000 : 1) : 0;
}

_Noreturn void tap_finish(void)
{
    printf("%u passed, %u failed\n", number - failed, failed);
    idl_status_t st = system_v1_poweroff(tap_system(), (int32_t)failed);
    printf("# poweroff refused: status 0x%x\n", st);
    tsr_program_exit(1);
}
