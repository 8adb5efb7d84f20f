/* SPDX-License-Identifier: MIT */
/* The register frame vectors.S saves on every exception, and the vector slot
 * numbers (Arm ARM D1.10.2, "Exception vectors": four groups of four). */
#ifndef ARCH_AARCH64_TRAP_FRAME_H
#define ARCH_AARCH64_TRAP_FRAME_H

#define TF_X(n) ((n) * 8)
#define TF_SP_EL0 (31 * 8)
#define TF_ELR (32 * 8)
#define TF_SPSR (33 * 8)
#define TF_ESR (34 * 8)
#define TF_FAR (35 * 8)
#define TF_SIZE (36 * 8) /* a multiple of 16: SP stays aligned */

/* Vector slots: group * 4 + kind. */
#define VEC_EL1T_SYNC 0
#define VEC_EL1T_IRQ 1
#define VEC_EL1T_FIQ 2
#define VEC_EL1T_SERROR 3
#define VEC_EL1H_SYNC 4
#define VEC_EL1H_IRQ 5
#define VEC_EL1H_FIQ 6
#define VEC_EL1H_SERROR 7
#define VEC_EL0_64_SYNC 8
#define VEC_EL0_64_IRQ 9
#define VEC_EL0_64_FIQ 10
#define VEC_EL0_64_SERROR 11
#define VEC_EL0_32_SYNC 12
#define VEC_EL0_32_IRQ 13
#define VEC_EL0_32_FIQ 14
#define VEC_EL0_32_SERROR 15

#ifndef __ASSEMBLER__
#include <stdint.h>

struct trap_frame {
    uint64_t x[31];
    uint64_t sp_el0;
    uint64_t elr;
    uint64_t spsr;
    uint64_t esr;
    uint64_t far;
};

_Static_assert(sizeof(struct trap_frame) == TF_SIZE, "trap frame layout");

void trap_dispatch(struct trap_frame *tf, unsigned vector);
#endif

#endif
