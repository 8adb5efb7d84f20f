/* SPDX-License-Identifier: MIT */
/* Lazy FP/SIMD switching inside the arch (fpu.c, fpu.S); the generic kernel
 * only sees arch_fpu_release (arch/context.h). */
#ifndef ARCH_AARCH64_FPU_H
#define ARCH_AARCH64_FPU_H

#include <arch/context.h>

/* fpu.S: store every FP/SIMD register (FP accessible at EL1). */
void fpu_save(struct arch_fpu *fpu);

#endif
