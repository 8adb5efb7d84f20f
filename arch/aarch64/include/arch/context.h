/* SPDX-License-Identifier: MIT */
/* A user thread's saved registers, as the generic kernel sees them. Part of
 * the narrow arch interface: kernel/ reaches registers only through the
 * accessors below, by the numbers the syscall ABI fixes (TSR_ARG_*,
 * TSR_REG_* in tessera/syscalls.h, docs/syscalls.md).
 *
 * vectors.S saves into this structure directly: on every return to EL0 the
 * kernel points SP_EL1 at the running thread's context, so the next exception
 * from EL0 stores the registers straight into the TCB. The offsets are used
 * by assembly (CTX_*), hence the static asserts.
 *
 * The FP/SIMD registers are saved lazily (arch/aarch64/fpu.c): the live
 * registers belong to one thread at a time, and its saved copy is stale
 * until another thread's first FP instruction makes the kernel store them.
 * That copy, a struct arch_fpu, is not in this structure but CTX_FPU bytes
 * after it: the kernel reserves it there, the TCB's second KiB
 * (kernel/object/tcb.h asserts it), so that the context and every TCB
 * field keep the layout of a 1 KiB TCB, and with it the code that reaches
 * them. */
#ifndef ARCH_CONTEXT_H
#define ARCH_CONTEXT_H

#define CTX_X(n) ((n) * 8)
#define CTX_SP (31 * 8)
#define CTX_PC (32 * 8)
#define CTX_SPSR (33 * 8)
#define CTX_TPIDR (34 * 8)
#define CTX_SIZE (36 * 8) /* 35 words, padded to keep 16-byte alignment */
#define CTX_FPU 1024      /* the thread's struct arch_fpu, from the context */
#define CTX_FPU_WORDS 66  /* V0-V31 (two words each), FPSR, FPCR */

#ifndef __ASSEMBLER__
#include <stdint.h>

#include <tessera/syscalls.h>

/* FP/SIMD state (Arm ARM C1.2.x: V0-V31 are 128 bits; FPSR and FPCR are
 * 32-bit registers accessed as 64), at CTX_FPU from the thread's context.
 * Only the thread that owns the registers has a stale copy here (fpu.c). */
struct arch_fpu {
    uint64_t v[64];   /* Vn is v[2n] (bits 63:0) and v[2n + 1] (bits 127:64) */
    uint64_t fpsr;
    uint64_t fpcr;
};

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
_Static_assert(CTX_FPU >= CTX_SIZE && CTX_FPU % 16 == 0,
               "the FP state follows the context, 16-byte aligned for LDP/STP of Q registers");
_Static_assert(sizeof(struct arch_fpu) == CTX_FPU_WORDS * 8, "fpu layout");

/* The register dump order of the ABI (TSR_REG_*) is this structure's. */
_Static_assert(__builtin_offsetof(struct arch_context, sp) == TSR_REG_SP * 8, "dump: sp");
_Static_assert(__builtin_offsetof(struct arch_context, pc) == TSR_REG_PC * 8, "dump: pc");
_Static_assert(__builtin_offsetof(struct arch_context, spsr) == TSR_REG_SPSR * 8, "dump: spsr");
_Static_assert(__builtin_offsetof(struct arch_context, tpidr) == TSR_REG_TPIDR * 8, "dump: tpidr");
/* ... and the FP/SIMD words follow in struct arch_fpu's order. */
_Static_assert(TSR_REG_COUNT_ALL - TSR_REG_COUNT == CTX_FPU_WORDS, "dump: fp words");
_Static_assert(TSR_REG_V_LO(0) == TSR_REG_COUNT && TSR_REG_FPCR == TSR_REG_COUNT_ALL - 1,
               "dump: V0 first, FPCR last");

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

/* The thread's FP/SIMD state, which the kernel keeps CTX_FPU bytes after
 * its context. */
static inline struct arch_fpu *arch_context_fpu(struct arch_context *ctx)
{
    return (struct arch_fpu *)((char *)ctx + CTX_FPU);
}

/* Word i (0..TSR_REG_COUNT_ALL-1) of the context in register-dump order:
 * the integer registers, then the FP/SIMD state. The FP words are only
 * current after arch_fpu_release(ctx). */
static inline uint64_t *arch_context_word(struct arch_context *ctx, unsigned i)
{
    return i < TSR_REG_COUNT ? &((uint64_t *)ctx)[i] : &arch_context_fpu(ctx)->v[i - TSR_REG_COUNT];
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
 * EL0t, AArch64, interrupts unmasked, whatever was written, and keep only
 * the defined bits of FPSR and FPCR. */
void arch_context_sanitise(struct arch_context *ctx);
/* If the live FP/SIMD registers hold ctx's values, store them in its state
 * and give them up: the thread's next FP instruction traps and loads them
 * back. Called before the kernel reads or writes a thread's FP state, and
 * when a thread stops (suspended, or its TCB destroyed), so the kernel never
 * keeps a pointer to a dead thread's context. */
void arch_fpu_release(struct arch_context *ctx);
#endif

#endif
