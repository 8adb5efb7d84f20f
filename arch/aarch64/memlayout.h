/* SPDX-License-Identifier: MIT */
/* The kernel's virtual memory layout. Included by C, assembly and the linker
 * script, so it holds only preprocessor constants.
 *
 * 48-bit virtual addresses with the 4 KiB granule (TCR_EL1.T0SZ = T1SZ = 16).
 * TTBR0_EL1 translates the lower half (user address spaces, and the identity
 * map used for a few instructions while the MMU is switched on); TTBR1_EL1 the
 * upper half, which belongs to the kernel:
 *
 *   0xffff000000000000  direct map of RAM: VA = PHYSMAP_BASE + PA (up to 512 GiB)
 *   0xffffff8000000000  device window: MMIO mapped on demand, Device-nGnRE
 *   0xffffffffc0000000  kernel image (text, rodata, data, bss), 4 KiB pages
 *   0xffffffffc2000000  device-tree window: the boot DTB, read only
 */
#ifndef ARCH_AARCH64_MEMLAYOUT_H
#define ARCH_AARCH64_MEMLAYOUT_H

#define VA_BITS 48
#define PAGE_SHIFT 12
#define PAGE_SIZE (1 << PAGE_SHIFT)

#define PHYSMAP_BASE 0xffff000000000000 /* ARCH_DIRECT_MAP_BASE of arch/memory.h */
#define PHYSMAP_SIZE 0x0000008000000000 /* one level-0 entry: 512 GiB */
#define DEVICE_WINDOW_BASE 0xffffff8000000000
#define DEVICE_WINDOW_SIZE 0x0000000040000000 /* 1 GiB */
#define KERNEL_VBASE 0xffffffffc0000000
#define KERNEL_MAX_SIZE 0x0000000002000000 /* 32 MiB: 16 level-3 tables */
#define FDT_VBASE 0xffffffffc2000000
#define FDT_MAX_SIZE 0x0000000000200000 /* the arm64 boot protocol's 2 MiB limit */

/* Boot stack for the one CPU; later threads run on their own kernel stacks. */
#define BOOT_STACK_SIZE 0x4000

#endif
