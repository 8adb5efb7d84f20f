/* SPDX-License-Identifier: MIT */
/* Kernel address-space set-up inside arch/aarch64 (see mmu.c). */
#ifndef ARCH_AARCH64_MMU_H
#define ARCH_AARCH64_MMU_H

#include <stdint.h>

struct platform;

#define MMU_BAD_PA (~(uint64_t)0)

#define MMU_MAP_PRESENT 1u
#define MMU_MAP_WRITE 2u
#define MMU_MAP_EXEC 4u
#define MMU_MAP_DEVICE 8u

void mmu_init(uint64_t image_pa);
unsigned mmu_kernel_mapping(uint64_t va);
int mmu_map_ram(const struct platform *plat);

#endif
