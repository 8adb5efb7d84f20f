/* SPDX-License-Identifier: MIT */
/* boot_run() for the test image: the kernel's boot self-tests. They check
 * what the boot foundation promises — the device tree was read, the MMU
 * enforces W^X, exceptions and interrupts round-trip, the timer ticks —
 * and report through ktest.h; the exit status tells QEMU the result.
 *
 * Bootargs steer them (QEMU -append): "expect.el=N" and "expect.ram_mib=N"
 * are compared with what the kernel found (the arch's self-tests compare
 * its own, e.g. "expect.gic=N"), and
 * "fault=KIND" makes the kernel fault on purpose to show the register dump
 * (KIND: null, text-write, rodata-write, exec-data). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch.h"
#include "boot/boot.h"
#include "core/irq.h"
#include "lib/kstring.h"
#include "boot/ktest.h"
#include "core/panic.h"
#include "boot/platform.h"
#include "core/printf.h"


/* Find "key=value" in the space-separated bootargs; copy value into buf. */
static bool bootarg(const char *args, const char *key, char *buf, size_t len)
{
    size_t klen = strlen(key);
    for (const char *p = args; *p;) {
        while (*p == ' ')
            p++;
        const char *end = p;
        while (*end && *end != ' ')
            end++;
        if ((size_t)(end - p) > klen && strncmp(p, key, klen) == 0 && p[klen] == '=') {
            size_t n = (size_t)(end - p) - klen - 1;
            if (n >= len)
                n = len - 1;
            memcpy(buf, p + klen + 1, n);
            buf[n] = '\0';
            return true;
        }
        p = end;
    }
    return false;
}

static bool parse_u64(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    if (!*s)
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    *out = v;
    return true;
}

bool boot_expect(const char *key, uint64_t found)
{
    char buf[24];
    uint64_t want;
    if (!bootarg(kernel_platform()->bootargs, key, buf, sizeof(buf)))
        return true;
    if (!parse_u64(buf, &want) || want != found) {
        ktest_diag("%s: expected %s, found %lu", key, buf, (unsigned long)found);
        return false;
    }
    return true;
}

static bool test_platform_found(void)
{
    const struct platform *p = kernel_platform();
    KTEST_CHECK(p->ram_count >= 1);
    KTEST_CHECK(p->console.driver != 0);
    KTEST_CHECK(p->irqchip.driver != 0);
    KTEST_CHECK(p->timer.driver != 0);
    return true;
}

static bool test_expectations(void)
{
    const struct platform *p = kernel_platform();
    uint64_t ram = 0;
    for (unsigned i = 0; i < p->ram_count; i++)
        ram += p->ram[i].size;
    bool ok = boot_expect("expect.el", boot_entry_el);
    ok &= boot_expect("expect.ram_mib", ram >> 20);
    return ok;
}

static bool test_format(void)
{
    char buf[64];
    ksnprintf(buf, sizeof(buf), "%d|%5u|%-4x|%08lx|%s|%c|%%", -42, 7u, 0xabu, 0x1234ul, "str", 'z');
    KTEST_CHECK(strcmp(buf, "-42|    7|ab  |00001234|str|z|%") == 0);
    int n = ksnprintf(buf, 4, "%s", "truncated");
    KTEST_CHECK(n == 9 && strcmp(buf, "tru") == 0);
    return true;
}

static bool test_sgi_delivered(void)
{
    const unsigned sgi = 3;
    uint64_t before = irq_sgi_count(sgi);
    arch_irq_enable_line(sgi);
    arch_interrupts_disable();
    arch_irq_raise_sgi(sgi);
    /* Masked: pending at the GIC, not yet taken. */
    KTEST_CHECK(irq_sgi_count(sgi) == before);
    arch_interrupts_enable();
    for (unsigned i = 0; i < 1000 && irq_sgi_count(sgi) == before; i++)
        continue; /* the count is updated by the handler (core/irq.c) */
    arch_interrupts_disable();
    KTEST_CHECK(irq_sgi_count(sgi) == before + 1);
    return true;
}

static bool test_timer_ticks(void)
{
    const uint64_t hz = 1000, want = 10;
    uint64_t freq = arch_counter_frequency();
    KTEST_CHECK(freq != 0);
    uint64_t start_ticks = irq_timer_ticks();
    uint64_t start = arch_counter();
    arch_timer_start_periodic(hz);
    arch_interrupts_enable();
    /* Bounded wait: one second of counter time at most. */
    while (irq_timer_ticks() - start_ticks < want && arch_counter() - start < freq)
        arch_wait_for_interrupt();
    arch_interrupts_disable();
    arch_timer_start_periodic(0);
    uint64_t ticks = irq_timer_ticks() - start_ticks;
    uint64_t elapsed = arch_counter() - start;
    if (ticks < want)
        ktest_diag("only %lu ticks in %lu counts", (unsigned long)ticks, (unsigned long)elapsed);
    KTEST_CHECK(ticks >= want);
    /* Ten ticks at 1 kHz cannot arrive in less than about 9 ms. */
    KTEST_CHECK(elapsed >= (want - 1) * freq / hz);
    return true;
}

static void deliberate_fault(const char *kind)
{
    extern char __text_end[], __rodata_end[];
    static uint64_t data_word = 0xd65f03c0; /* "ret": executable if NX failed */
    kprintf("deliberate fault: %s\n", kind);
    if (strcmp(kind, "null") == 0) {
        (void)*(volatile uint64_t *)0;
    } else if (strcmp(kind, "text-write") == 0) {
        *(volatile uint32_t *)(void *)boot_run = 0;
    } else if (strcmp(kind, "rodata-write") == 0) {
        *(volatile char *)(__rodata_end - 8) = 0;
    } else if (strcmp(kind, "exec-data") == 0) {
        void (*fn)(void) = (void (*)(void))(void *)&data_word;
        fn();
    }
    kprintf("deliberate fault: %s did not fault\n", kind);
}

_Noreturn void boot_run(const struct platform *plat)
{
    char kind[24];
    if (bootarg(plat->bootargs, "fault", kind, sizeof(kind))) {
        deliberate_fault(kind);
        arch_exit(KERNEL_EXIT_TESTS_FAILED);
    }
    ktest_result(test_platform_found(), "BOOT0001",
                 "device tree gave RAM, console, interrupt controller and timer");
    ktest_result(test_expectations(), "BOOT0002", "exception level and RAM match the expect.* bootargs");
    ktest_result(test_format(), "BOOT0003", "kernel printf formats and truncates");
    arch_selftests();
    ktest_result(test_sgi_delivered(), "IRQ0001", "software-generated interrupt taken through the GIC");
    ktest_result(test_timer_ticks(), "TIMER0001", "generic timer ticks at 1 kHz through the GIC");
    arch_exit(ktest_finish() ? KERNEL_EXIT_TESTS_FAILED : KERNEL_EXIT_OK);
}
