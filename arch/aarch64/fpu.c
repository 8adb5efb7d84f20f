/* SPDX-License-Identifier: MIT */
/* Lazy FP/SIMD switching. The FP/SIMD registers belong to one thread at a
 * time, fpu_owner; every other thread runs with them trapped, so a thread
 * that never uses them costs nothing at any switch.
 *
 *  (1) FP/SIMD is trapped at EL0 and EL1 (CPACR_EL1.FPEN = 0b00) whenever a
 *      thread other than the owner runs, and from boot until the first use.
 *  (2) A thread's first FP/SIMD instruction after it was switched to traps
 *      (ESR_EL1.EC 0x07) to el0_fp_trap (fpu.S). If the thread is the
 *      owner, that only lifts the trap. Otherwise it stores the owner's
 *      registers in the owner's context, loads this thread's (zero for a
 *      new thread: TCBs are made from zeroed memory) and makes it the
 *      owner. The instruction is then executed again.
 *  (3) While the owner runs with FP/SIMD on, VBAR_EL1 is the second vector
 *      table, exception_vectors_fp: the same table, except that every
 *      exception from EL0 that may leave for another thread traps FP/SIMD
 *      again and puts the ordinary table back. A system call that returns to
 *      the same thread keeps it on. The ordinary table, which every thread
 *      that does not own the registers enters through, is unchanged: the
 *      state is in which table is installed, not in a flag to test.
 *  (4) A thread that stops (suspended, or its TCB destroyed) or whose FP
 *      state is read or written by another (ReadRegisters/WriteRegisters)
 *      gives the registers up first: arch_fpu_release stores them and forgets
 *      the owner, so the kernel never writes into a dead TCB and the methods
 *      see current values.
 * Nothing is loaded into the registers but a whole context, so no thread
 * ever sees a value another left there. SVE and SME stay trapped for
 * everyone (CPACR_EL1.ZEN and SMEN = 0b00): their use is a user exception. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch.h"
#include "fpu.h"
#include "sysreg.h"

_Static_assert(__builtin_offsetof(struct arch_fpu, fpsr) == 64 * 8, "fpu_asm.h: FPU_FPSR");

/* Whose values the FP/SIMD registers hold (NULL: nobody's; whatever is left
 * in them is never shown to anyone). fpu.S reads and sets it. */
struct arch_context *fpu_owner;

extern char exception_vectors[], exception_vectors_fp[];

void arch_fpu_release(struct arch_context *ctx)
{
    if (fpu_owner != ctx)
        return;
    if (sysreg_read(cpacr_el1) == CPACR_FP_TRAP_ALL) {
        sysreg_write(cpacr_el1, CPACR_FP_EL1_ONLY);
        isb();
    }
    fpu_save(arch_context_fpu(ctx));
    fpu_owner = NULL;
    /* Trapped again for everyone: if ctx is the thread running now, it is
     * no longer the owner, and its next use must trap and load. */
    sysreg_write(cpacr_el1, CPACR_FP_TRAP_ALL);
    sysreg_write(vbar_el1, (uintptr_t)exception_vectors);
}

const struct arch_context *arch_fpu_owner(void)
{
    return fpu_owner;
}

/* (1) and (3) above, as seen from a system call of `running`: FP/SIMD is on
 * only for the owner, and the second vector table is installed exactly
 * while it is; SVE and SME are never on (ZEN, SMEN = 0b00). */
const char *arch_fpu_check(const struct arch_context *running)
{
    uint64_t cpacr = sysreg_read(cpacr_el1);
    uintptr_t vbar = sysreg_read(vbar_el1);
    if (cpacr != CPACR_FP_TRAP_ALL && cpacr != CPACR_FP_NO_TRAP)
        return "CPACR_EL1 is neither FP trapped nor FP on (or SVE or SME is on)";
    bool on = cpacr == CPACR_FP_NO_TRAP;
    if (on && fpu_owner != running)
        return "FP/SIMD is on for a thread that does not own the registers";
    if (vbar != (uintptr_t)(on ? exception_vectors_fp : exception_vectors))
        return "the vector table does not match the FP/SIMD trap";
    return NULL;
}
