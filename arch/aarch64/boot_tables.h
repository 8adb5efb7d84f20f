/* SPDX-License-Identifier: MIT */
/* What head.S and boot_mmu.c hand to the rest of arch/aarch64: the boot page
 * tables (extended by mmu.c once the kernel runs in the upper half). */
#ifndef ARCH_AARCH64_BOOT_TABLES_H
#define ARCH_AARCH64_BOOT_TABLES_H

#include <stdint.h>
#include "pte.h"

extern pte_t boot_ttbr1_l0[PTES_PER_TABLE];
extern pte_t boot_ttbr1_l1[PTES_PER_TABLE];
extern pte_t boot_kernel_l2[PTES_PER_TABLE];
extern pte_t boot_ttbr0_l0[PTES_PER_TABLE];

void boot_mmu_build(uint64_t image_pa, uint64_t dtb_pa);
_Noreturn void boot_halt(void);

#endif
