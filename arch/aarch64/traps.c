/* SPDX-License-Identifier: MIT */
/* Exception dispatch in C, called from vectors.S with the saved frame.
 * Interrupts go to the interrupt controller and then the generic kernel;
 * anything the kernel does not expect prints a full register dump and stops
 * the machine cleanly, never silently. */
#include <stdint.h>

#include <tessera/syscalls.h>

#include "arch.h"
#include "core/irq.h"
#include "core/sched.h"
#include "core/syscall.h"
#include "core/panic.h"
#include "core/printf.h"
#include "irqchip.h"
#include "sysreg.h"
#include "timer.h"
#include "trap_frame.h"

static const char *const vector_names[16] = {
    "EL1t synchronous", "EL1t IRQ", "EL1t FIQ", "EL1t SError",
    "EL1h synchronous", "EL1h IRQ", "EL1h FIQ", "EL1h SError",
    "EL0 AArch64 synchronous", "EL0 AArch64 IRQ", "EL0 AArch64 FIQ", "EL0 AArch64 SError",
    "EL0 AArch32 synchronous", "EL0 AArch32 IRQ", "EL0 AArch32 FIQ", "EL0 AArch32 SError",
};

static const char *exception_class_name(unsigned ec)
{
    switch (ec) {
    case ESR_EC_UNKNOWN: return "unknown reason";
    case ESR_EC_WFX: return "WFI/WFE";
    case ESR_EC_FP: return "FP/SIMD access";
    case ESR_EC_ILLEGAL: return "illegal execution state";
    case ESR_EC_SVC64: return "SVC";
    case ESR_EC_SYSREG: return "system register access";
    case ESR_EC_SVE: return "SVE access";
    case ESR_EC_SME: return "SME access";
    case ESR_EC_IABT_LOWER: return "instruction abort from EL0";
    case ESR_EC_IABT_SAME: return "instruction abort from EL1";
    case ESR_EC_PC_ALIGN: return "PC alignment fault";
    case ESR_EC_DABT_LOWER: return "data abort from EL0";
    case ESR_EC_DABT_SAME: return "data abort from EL1";
    case ESR_EC_SP_ALIGN: return "SP alignment fault";
    case ESR_EC_SERROR: return "SError";
    case ESR_EC_BRK64: return "BRK";
    default: return "other";
    }
}

/* Print every saved register. Used for faults the kernel cannot handle. */
void trap_dump(const struct trap_frame *tf, unsigned vector)
{
    unsigned ec = esr_class(tf->esr);
    kprintf("\n*** unexpected exception: %s\n", vector < 16 ? vector_names[vector] : "?");
    kprintf("ESR  0x%016lx  EC 0x%02x (%s)  ISS 0x%07lx\n", (unsigned long)tf->esr, ec,
            exception_class_name(ec), (unsigned long)(tf->esr & 0x1ffffff));
    kprintf("FAR  0x%016lx\n", (unsigned long)tf->far);
    kprintf("ELR  0x%016lx\n", (unsigned long)tf->elr);
    kprintf("SPSR 0x%016lx\n", (unsigned long)tf->spsr);
    for (unsigned i = 0; i < 31; i++)
        kprintf("x%-2u  0x%016lx%s", i, (unsigned long)tf->x[i], (i % 4 == 3 || i == 30) ? "\n" : "  ");
    kprintf("SP_EL0 0x%016lx  SP_EL1 0x%016lx\n", (unsigned long)tf->sp_el0,
            (unsigned long)((uintptr_t)tf + sizeof(*tf)));
}

static _Noreturn void trap_fatal(const struct trap_frame *tf, unsigned vector)
{
    arch_interrupts_disable();
    trap_dump(tf, vector);
    kprintf("*** system halted\n");
    arch_exit(KERNEL_EXIT_PANIC);
}

/* Kept out of line: inlined into trap_dispatch, its loop would make every
 * exception, even an svc from EL1, save and restore six more registers. */
static __attribute__((noinline)) void irq_entry(void)
{
    unsigned intid;
    while ((intid = irqchip_acknowledge()) < IRQCHIP_MAX_LINES) {
        /* Re-arm first: the timer's level output stays asserted until the
         * comparator moves past the counter. */
        if (intid == arch_timer_intid())
            timer_rearm();
        kernel_handle_irq(intid);
        irqchip_end_of_interrupt(intid);
    }
}

void trap_dispatch(struct trap_frame *tf, unsigned vector)
{
    switch (vector) {
    case VEC_EL1H_IRQ:
    case VEC_EL0_64_IRQ:
        irq_entry();
        return;
    case VEC_EL1H_SYNC:
        /* `svc` from EL1 is the kernel's own exception round trip, used by
         * the benchmarks and self-tests; ELR already points past it. */
        if (esr_class(tf->esr) == ESR_EC_SVC64) {
            kernel_handle_kernel_svc(tf->esr & 0xffff);
            return;
        }
        trap_fatal(tf, vector);
    default:
        trap_fatal(tf, vector);
    }
}

/* Every exception from EL0 arrives here with the thread's registers saved in
 * ctx (its TCB). It never returns: the scheduler leaves for user space. */
_Noreturn void el0_trap(struct arch_context *ctx, unsigned vector, uint64_t esr, uint64_t far);

_Noreturn void el0_trap(struct arch_context *ctx, unsigned vector, uint64_t esr, uint64_t far)
{
    switch (vector) {
    case VEC_EL0_64_SYNC:
        /* System calls never come here: vectors.S sends them to svc_table. */
        switch (esr_class(esr)) {
        case ESR_EC_DABT_LOWER:
            kernel_user_fault(TSR_FAULT_VM, ctx->pc, far, 0, esr);
            break;
        case ESR_EC_IABT_LOWER:
            kernel_user_fault(TSR_FAULT_VM, ctx->pc, far, 1, esr);
            break;
        default:
            /* Undefined instructions, SVE and SME use (always trapped,
             * EC 0x19 and 0x1D), system-register access, alignment,
             * breakpoints: the thread's problem, not the kernel's. (A
             * trapped FP/SIMD instruction, EC 0x07, never comes here:
             * the vector sends it to el0_fp_trap, fpu.S.) */
            kernel_user_fault(TSR_FAULT_USER_EXCEPTION, ctx->pc, esr, far, 0);
            break;
        }
        break;
    case VEC_EL0_64_IRQ:
        irq_entry();
        break;
    default:
        /* FIQ, SError, or anything from AArch32 (never entered). */
        kernel_user_fault(TSR_FAULT_USER_EXCEPTION, ctx->pc, esr, far, vector);
        break;
    }
    sched_exit_to_user();
}
