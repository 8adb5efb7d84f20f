/* SPDX-License-Identifier: MIT */
/* A user thread's saved registers, as the generic kernel sees them. Part of
 * the narrow arch interface: kernel/ names registers only through the
 * ARCH_REG_* roles below, which the syscall ABI (docs/syscalls.md) fixes.
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

/* Register roles of the syscall ABI. */
#define ARCH_REG_CPTR 0      /* in: capability invoked; out: badge */
#define ARCH_REG_BADGE 0
#define ARCH_REG_MSGINFO 1   /* in/out: message info word */
#define ARCH_REG_MR0 2       /* MR0..MR13 in x2..x15 */
#define ARCH_REG_REPLY 16    /* in: reply-object cptr for Recv/ReplyRecv */
#define ARCH_REG_RETURN 0    /* error code of syscalls that return one */
#define ARCH_REG_COUNT 31

/* Number of registers in a register dump / TCB ReadRegisters reply:
 * x0..x30, sp, pc, spsr, tpidr. */
#define ARCH_DUMP_WORDS 35

static inline uint64_t *arch_context_mr(struct arch_context *ctx, unsigned i)
{
    return &ctx->x[ARCH_REG_MR0 + i];
}

/* Word i (0..ARCH_DUMP_WORDS-1) of the context in register-dump order. */
static inline uint64_t *arch_context_word(struct arch_context *ctx, unsigned i)
{
    return &((uint64_t *)ctx)[i];
}

/* Make a fresh user context: entry point, stack, first argument. */
void arch_context_init(struct arch_context *ctx, uint64_t pc, uint64_t sp, uint64_t arg0);
/* Make a user-supplied SPSR safe: EL0t, AArch64, interrupts unmasked. */
uint64_t arch_context_sanitise_spsr(uint64_t spsr);
#endif

#endif
