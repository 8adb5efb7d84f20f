/* SPDX-License-Identifier: MIT */
/* VMSAv8-64 translation table descriptors for the 4 KiB granule with 48-bit
 * addresses (Arm ARM D8.3, "Translation table descriptor formats"), and the
 * MAIR_EL1 attribute slots the kernel uses. One header owns every bit. */
#ifndef ARCH_AARCH64_PTE_H
#define ARCH_AARCH64_PTE_H

#ifdef __ASSEMBLER__
#define UL(x) x
#else
#include <stdint.h>
#define UL(x) x##ul
typedef uint64_t pte_t;
#endif

#define PTES_PER_TABLE 512
#define PTE_VALID (UL(1) << 0)
#define PTE_TABLE (UL(1) << 1) /* levels 0-2: next-level table; level 3: page */
#define PTE_PAGE (UL(1) << 1)
#define PTE_BLOCK UL(0)        /* levels 1-2 with bit 1 clear */
#define PTE_ATTR(idx) ((UL(0) + (idx)) << 2)
#define PTE_ATTR_MASK (UL(7) << 2)
#define PTE_AP_EL0 (UL(1) << 6) /* AP[1]: EL0 may access */
#define PTE_AP_RO (UL(1) << 7)  /* AP[2]: read only at every EL */
#define PTE_SH_INNER (UL(3) << 8)
#define PTE_AF (UL(1) << 10)    /* access flag: set, so no access-flag faults */
#define PTE_NG (UL(1) << 11)    /* not global: tagged with the ASID */
#define PTE_PXN (UL(1) << 53)
#define PTE_UXN (UL(1) << 54)
#define PTE_ADDR_MASK UL(0x0000fffffffff000)

/* Hierarchical controls in table descriptors (D8.3.1, "APTable, XNTable"). */
#define PTE_TABLE_PXN (UL(1) << 59)
#define PTE_TABLE_UXN (UL(1) << 60)

/* MAIR_EL1 slots (D19.2.97). Attr0 Device-nGnRnE, Attr1 Device-nGnRE,
 * Attr2 Normal non-cacheable, Attr3 Normal write-back read/write-allocate. */
#define MAIR_DEVICE_nGnRnE 0
#define MAIR_DEVICE_nGnRE 1
#define MAIR_NORMAL_NC 2
#define MAIR_NORMAL_WB 3
#define MAIR_VALUE UL(0x00000000ff440400)

/* Level shifts: level 0 covers 512 GiB per entry, level 3 4 KiB. */
#define LEVEL_SHIFT(l) (39 - 9 * (l))
#define LEVEL_INDEX(va, l) (((va) >> LEVEL_SHIFT(l)) & 0x1ff)
#define BLOCK_SIZE_L1 (UL(1) << 30)
#define BLOCK_SIZE_L2 (UL(1) << 21)

/* Kernel mapping attribute sets: W^X holds because no set has both writable
 * and privileged-executable. */
#define PTE_KERNEL_COMMON (PTE_VALID | PTE_AF | PTE_SH_INNER | PTE_UXN)
#define PTE_KERNEL_TEXT (PTE_KERNEL_COMMON | PTE_ATTR(MAIR_NORMAL_WB) | PTE_AP_RO)
#define PTE_KERNEL_RODATA (PTE_KERNEL_COMMON | PTE_ATTR(MAIR_NORMAL_WB) | PTE_AP_RO | PTE_PXN)
#define PTE_KERNEL_DATA (PTE_KERNEL_COMMON | PTE_ATTR(MAIR_NORMAL_WB) | PTE_PXN)
#define PTE_KERNEL_DEVICE (PTE_VALID | PTE_AF | PTE_UXN | PTE_PXN | PTE_ATTR(MAIR_DEVICE_nGnRE))

#endif
