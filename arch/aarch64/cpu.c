/* SPDX-License-Identifier: MIT */
/* CPU-wide pieces of the arch interface: bring-up order, interrupt masking,
 * the PMU cycle counter, and the ways to stop (halt, PSCI power-off,
 * semihosting exit with a status for tests). */
#include <stdint.h>

#include "arch.h"
#include "lib/kstring.h"
#include "boot/platform.h"
#include "boot_tables.h"
#include "core/printf.h"
#include "dt_drivers.h"
#include "irqchip.h"
#include "mmu.h"
#include "smp.h"
#include "sysreg.h"
#include "timer.h"
#include "uart.h"

/* Semihosting (ARM IHI 0073): SYS_EXIT_EXTENDED with ADP_Stopped_ApplicationExit. */
#define SEMIHOST_SYS_EXIT_EXTENDED 0x20
#define SEMIHOST_ADP_APPLICATION_EXIT 0x20026

/* PMCR_EL0 (D19.x): E enables the counters, C resets the cycle counter. */
#define PMCR_E (1u << 0)
#define PMCR_C (1u << 2)
#define PMCNTEN_CYCLES (1u << 31)

/* PSCI as the device tree described it (dt_drivers.h): how to call the
 * firmware, and SYSTEM_OFF's function ID (0: not available). */
static uint32_t psci_conduit, psci_fn_system_off, psci_fn_cpu_on;

const char *arch_name(void)
{
    return "aarch64";
}

static void pmu_init(void)
{
    /* Count cycles (instructions, under -icount) at EL1 and EL0. */
    sysreg_write(pmccfiltr_el0, 0);
    sysreg_write(pmcntenset_el0, PMCNTEN_CYCLES);
    sysreg_write(pmcr_el0, sysreg_read(pmcr_el0) | PMCR_E | PMCR_C);
#ifdef TESSERA_BENCH
    /* Benchmark builds let EL0 read the counters (PMUSERENR_EL0.EN, CR, ER). */
    sysreg_write(pmuserenr_el0, 0xf);
#endif
    isb();
}

int arch_init(const struct platform *plat, uint64_t image_pa)
{
    /* FP/SIMD traps at EL0 and EL1 (CPACR_EL1.FPEN = 0b00, D19.2.30) until
     * a thread first uses it (fpu.c), and SVE and SME always trap (ZEN,
     * SMEN = 0b00). Loaders (QEMU, U-Boot) may leave them enabled. */
    sysreg_write(cpacr_el1, CPACR_FP_TRAP_ALL);
    isb();
    /* PSCI first, so that whatever fails below can still power off; the
     * console before RAM, so that a failure to map RAM can be reported. */
    if (plat->power.driver == DT_DRIVER_PSCI) {
        psci_conduit = plat->power.word[PSCI_CONDUIT];
        psci_fn_system_off = plat->power.word[PSCI_FN_SYSTEM_OFF];
        psci_fn_cpu_on = plat->power.word[PSCI_FN_CPU_ON];
    }
    mmu_init(image_pa);
    if (uart_init(&plat->console))
        return -2;
    if (mmu_map_ram(plat))
        return -1;
    if (irqchip_init(&plat->irqchip))
        return -3;
    if (timer_init(&plat->timer))
        return -4;
    pmu_init();
    return 0;
}

void arch_describe_platform(const struct platform *plat)
{
    uart_describe(&plat->console);
    irqchip_describe(&plat->irqchip);
    kprintf("  timer    virtual, INTID %u, %lu Hz\n", plat->timer.word[TIMER_VIRT_INTID],
            (unsigned long)arch_counter_frequency());
    uint32_t conduit = plat->power.driver == DT_DRIVER_PSCI ? plat->power.word[PSCI_CONDUIT] : 0;
    kprintf("  PSCI     %s\n", conduit == PSCI_CONDUIT_HVC   ? "hvc"
                               : conduit == PSCI_CONDUIT_SMC ? "smc"
                                                             : "none");
}

unsigned arch_phys_addr_bits(void)
{
    static const unsigned bits[] = {32, 36, 40, 42, 44, 48, 52};
    unsigned range = (unsigned)(sysreg_read(id_aa64mmfr0_el1) & 0xf);
    /* 52-bit addresses need the 64 KiB granule or LPA2: we stop at 48. */
    return range < 6 ? bits[range] : 48;
}

void arch_context_init(struct arch_context *ctx, uint64_t pc, uint64_t sp, uint64_t arg0)
{
    for (unsigned i = 0; i < 31; i++)
        ctx->x[i] = 0;
    ctx->x[0] = arg0;
    ctx->sp = sp;
    ctx->pc = pc;
    ctx->spsr = 0; /* EL0t, AArch64, interrupts unmasked (SPSR_EL1.M = 0b0000) */
    ctx->tpidr = 0;
    /* FP/SIMD starts zero: FPCR 0 is round to nearest, no flush to zero,
     * NaNs propagated, no traps. */
    struct arch_fpu *fpu = arch_context_fpu(ctx);
    for (unsigned i = 0; i < CTX_FPU_WORDS; i++)
        ((uint64_t *)fpu)[i] = 0;
}

void arch_context_sanitise(struct arch_context *ctx)
{
    /* Keep only the condition flags N, Z, C, V (bits 31:28): user space
     * must not choose the exception level, execution state or masks. */
    ctx->spsr &= 0xf0000000ull;
    /* FPSR: the cumulative exception flags IOC..IXC, IDC and QC. FPCR: the
     * fields the architecture defines for AArch64 (AHP, DN, FZ, RMode,
     * Stride, FZ16, Len, IDE, EBF, IXE..IOE, NEP, AH, FIZ); the rest is RES0
     * (FPSR and FPCR register descriptions). A trap enable set on a CPU that
     * implements trapping only makes the thread's own FP exceptions user
     * exceptions (EC 0x2C). */
    arch_context_fpu(ctx)->fpsr &= 0x0800009full;
    arch_context_fpu(ctx)->fpcr &= 0x07ffbf07ull;
}

void arch_zero_object(void *va, size_t size)
{
    /* DC ZVA zeroes one whole block (DCZID_EL0.BS: 4 << BS bytes, 64 on the
     * Cortex-A72) per instruction, unless DCZID_EL0.DZP prohibits it (D7.4.x,
     * "DC ZVA"). Objects are aligned to their size, so any object at least a
     * block long is made of whole blocks. */
    uint64_t dczid = sysreg_read(dczid_el0);
    size_t block = (size_t)4 << (dczid & 0xf);
    if ((dczid & 0x10) || size < block) {
        memset(va, 0, size);
        return;
    }
    for (char *p = va, *end = p + size; p < end; p += block)
        __asm__ volatile("dc zva, %0" ::"r"(p) : "memory");
    dsb_ish();
}

static size_t dcache_line(void)
{
    return (size_t)4 << ((sysreg_read(ctr_el0) >> 16) & 0xf); /* CTR_EL0.DminLine */
}

void arch_clean_invalidate(const void *va, size_t size)
{
    size_t line = dcache_line();
    uintptr_t p = (uintptr_t)va & ~(line - 1), end = (uintptr_t)va + size;
    for (; p < end; p += line)
        __asm__ volatile("dc civac, %0" ::"r"(p) : "memory");
    dsb_sy();
}

void arch_sync_icache(const void *va, size_t size)
{
    /* Clean to the point of unification, then invalidate the instruction
     * cache (Arm ARM D7.4.x, "instruction cache coherency"). */
    size_t line = dcache_line();
    uintptr_t p = (uintptr_t)va & ~(line - 1), end = (uintptr_t)va + size;
    for (; p < end; p += line)
        __asm__ volatile("dc cvau, %0" ::"r"(p) : "memory");
    __asm__ volatile("dsb ish\n ic ialluis\n dsb ish\n isb" ::: "memory");
}

unsigned arch_asid_count(void)
{
    /* ID_AA64MMFR0_EL1.ASIDBits: 0b0010 = 16 bits (head.S then sets TCR.AS). */
    return ((sysreg_read(id_aa64mmfr0_el1) >> 4) & 0xf) == 2 ? 65536u : 256u;
}

void arch_interrupts_enable(void)
{
    __asm__ volatile("msr daifclr, #2" ::: "memory");
}

void arch_interrupts_disable(void)
{
    __asm__ volatile("msr daifset, #2" ::: "memory");
}

uint64_t arch_cycles(void)
{
    /* PMCCNTR_EL0, enabled for EL1 and EL0 counting by pmu_init. */
    uint64_t v;
    __asm__ volatile("isb\n mrs %0, pmccntr_el0" : "=r"(v));
    return v;
}

bool arch_interrupt_pending(void)
{
    /* ISR_EL1.I (bit 7): an IRQ is pending, whether PSTATE.I masks it or not
     * (Arm ARM, ISR_EL1). */
    uint64_t isr;
    __asm__ volatile("mrs %0, isr_el1" : "=r"(isr));
    return (isr & (1u << 7)) != 0;
}

void arch_wait_for_interrupt(void)
{
    __asm__ volatile("dsb sy\n wfi" ::: "memory");
}

_Noreturn void arch_halt(void)
{
    boot_halt();
}

/* SMC Calling Convention (ARM DEN 0028): function ID in x0, arguments in
 * x1-x3, result in x0; x4-x17 may be clobbered. */
static int64_t psci_call(uint32_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
    register uint64_t x0 __asm__("x0") = fn;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = a2;
    register uint64_t x3 __asm__("x3") = a3;
    if (psci_conduit == PSCI_CONDUIT_HVC)
        __asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)::"x4", "x5", "x6", "x7",
                         "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17", "memory");
    else if (psci_conduit == PSCI_CONDUIT_SMC)
        __asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)::"x4", "x5", "x6", "x7",
                         "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17", "memory");
    else
        return -1; /* PSCI NOT_SUPPORTED */
    return (int64_t)x0;
}

int64_t psci_cpu_on(uint64_t mpidr, uint64_t entry)
{
    if (!psci_fn_cpu_on)
        return -1;
    return psci_call(psci_fn_cpu_on, mpidr, entry, 0);
}

_Noreturn void arch_power_off(void)
{
    if (psci_fn_system_off)
        psci_call(psci_fn_system_off, 0, 0, 0);
    /* No PSCI (the Pi uses spin tables) or the call failed: just stop. */
    boot_halt();
}

_Noreturn void arch_exit(int status)
{
#ifdef TESSERA_SEMIHOSTING
    /* QEMU with -semihosting exits with `status`. Without -semihosting this
     * instruction is undefined, which is why only test builds use it. */
    uint64_t block[2] = {SEMIHOST_ADP_APPLICATION_EXIT, (uint64_t)(int64_t)status};
    register uint64_t x0 __asm__("x0") = SEMIHOST_SYS_EXIT_EXTENDED;
    register uint64_t x1 __asm__("x1") = (uint64_t)(uintptr_t)block;
    __asm__ volatile("hlt #0xf000" ::"r"(x0), "r"(x1) : "memory");
#else
    if (status == 0)
        arch_power_off();
#endif
    boot_halt();
}
