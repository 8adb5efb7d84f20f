/* SPDX-License-Identifier: MIT */
/* A user thread's saved registers, as the generic kernel sees them. Part of
 * the narrow arch interface: kernel/ reaches registers only through the
 * accessors below, by the numbers the syscall ABI fixes (TSR_ARG_*,
 * TSR_REG_* in tessera/syscalls.h, docs/syscalls.md).
 *
 * vectors.S saves into this structure directly: on every return to EL0 the
 * kernel points SP_EL1 at the running thread's context, so the next exception
 * from EL0 stores the registers straight into the TCB. The offsets are used
 * by assembly (CTX_*), hence the static asserts. */
#ifndef ARCH_CONTEXT_H
#define ARCH_CONTEXT_H

#define CTX_X(n) ((n) * 8)
#define CTX_SP (31 * 8)
#define CTX_PC (32 * 8)
#define CTX_SPSR (33 * 8)
#define CTX_TPIDR (34 * 8)
#define CTX_SIZE (36 * 8) /* 35 words, padded to keep 16-byte alignment */

#ifndef __ASSEMBLER__
#include <stdint.h>

#include <tessera/syscalls.h>

struct arch_context {
    uint64_t x[31];   /* x0..x30 */
    uint64_t sp;      /* SP_EL0 */
    uint64_t pc;      /* ELR_EL1: where the thread resumes */
    uint64_t spsr;    /* SPSR_EL1: EL0t, interrupts unmasked */
    uint64_t tpidr;   /* TPIDR_EL0: the thread's TLS pointer */
    uint64_t pad;
};

_Static_assert(sizeof(struct arch_context) == CTX_SIZE, "context layout");
_Static_assert(__builtin_offsetof(struct arch_context, pc) == CTX_PC, "context pc");

/* The register dump order of the ABI (TSR_REG_*) is this structure's. */
_Static_assert(__builtin_offsetof(struct arch_context, sp) == TSR_REG_SP * 8, "dump: sp");
_Static_assert(__builtin_offsetof(struct arch_context, pc) == TSR_REG_PC * 8, "dump: pc");
_Static_assert(__builtin_offsetof(struct arch_context, spsr) == TSR_REG_SPSR * 8, "dump: spsr");
_Static_assert(__builtin_offsetof(struct arch_context, tpidr) == TSR_REG_TPIDR * 8, "dump: tpidr");

/* System-call register n (xn): TSR_ARG_* names the ABI's uses of them. */
static inline uint64_t *arch_context_arg(struct arch_context *ctx, unsigned n)
{
    return &ctx->x[n];
}

/* Message register i (MR0..MR13 travel in x2..x15). */
static inline uint64_t *arch_context_mr(struct arch_context *ctx, unsigned i)
{
    return &ctx->x[TSR_ARG_MR0 + i];
}

/* Word i (0..TSR_REG_COUNT-1) of the context in register-dump order. */
static inline uint64_t *arch_context_word(struct arch_context *ctx, unsigned i)
{
    return &((uint64_t *)ctx)[i];
}

static inline uint64_t arch_context_pc(const struct arch_context *ctx)
{
    return ctx->pc;
}

static inline void arch_context_set_pc(struct arch_context *ctx, uint64_t pc)
{
    ctx->pc = pc;
}

/* Make the thread execute its system call again when it next runs: the
 * saved PC points past the 4-byte `svc` (ELR_EL1 of an SVC exception is the
 * preferred return address, the next instruction: Arm ARM D1.10.1). */
static inline void arch_context_restart_syscall(struct arch_context *ctx)
{
    ctx->pc -= 4;
}

/* Make a fresh user context: entry point, stack, first argument. */
void arch_context_init(struct arch_context *ctx, uint64_t pc, uint64_t sp, uint64_t arg0);
/* After user space wrote a context (WriteRegisters): make the SPSR safe,
 * EL0t, AArch64, interrupts unmasked, whatever was written. */
void arch_context_sanitise(struct arch_context *ctx);
#endif

#endif
