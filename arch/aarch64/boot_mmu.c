/* SPDX-License-Identifier: MIT */
/* The boot page tables, built before the MMU is on.
 *
 * boot_mmu_build() runs at the image's physical load address with the MMU
 * off, so it is compiled with -mstrict-align (every data access is to Device
 * memory, which faults on unaligned access, Arm ARM B2.5.2) and uses only
 * PC-relative addresses: taking the address of a global yields its physical
 * address here. It maps:
 *   TTBR1: the kernel image at KERNEL_VBASE with 4 KiB pages, text read-only
 *          and executable, rodata read-only, data and bss read-write and
 *          execute-never (W^X); the boot DTB read-only at FDT_VBASE.
 *   TTBR0: the 2 MiB block holding head.S, identity mapped read-only and
 *          executable, live only for the branch to the upper half.
 * Everything else (the direct map of RAM, devices) is mapped by mmu.c once
 * the kernel runs at its link address and can read the device tree. */
#include <stddef.h>
#include <stdint.h>

#include "memlayout.h"
#include "pte.h"
#include "boot_tables.h"

#define BOOT_TEXT __attribute__((section(".text.boot")))
#define TABLE_ALIGN __attribute__((aligned(PAGE_SIZE)))

#define KERNEL_L3_TABLES (KERNEL_MAX_SIZE / BLOCK_SIZE_L2)
#define FDT_L3_TABLES (FDT_MAX_SIZE / BLOCK_SIZE_L2 + 1) /* +1: the DTB need not be aligned */
#define FDT_DTB_MAGIC 0xd00dfeedu

pte_t boot_ttbr1_l0[PTES_PER_TABLE] TABLE_ALIGN;
pte_t boot_ttbr1_l1[PTES_PER_TABLE] TABLE_ALIGN; /* L0[511]: the top 512 GiB */
pte_t boot_kernel_l2[PTES_PER_TABLE] TABLE_ALIGN; /* L1[511]: the top 1 GiB */
static pte_t boot_kernel_l3[KERNEL_L3_TABLES][PTES_PER_TABLE] TABLE_ALIGN;
static pte_t boot_fdt_l3[FDT_L3_TABLES][PTES_PER_TABLE] TABLE_ALIGN;
pte_t boot_ttbr0_l0[PTES_PER_TABLE] TABLE_ALIGN;
static pte_t boot_ttbr0_l1[PTES_PER_TABLE] TABLE_ALIGN;
static pte_t boot_ttbr0_l2[PTES_PER_TABLE] TABLE_ALIGN;

extern char _start[], __text_end[], __rodata_end[], _end[];

static inline pte_t table_desc(const void *table_pa)
{
    return (pte_t)(uintptr_t)table_pa | PTE_VALID | PTE_TABLE;
}

/* Big-endian 32-bit load, one byte at a time: the DTB is Device memory here. */
static BOOT_TEXT uint32_t load_be32(uint64_t pa)
{
    const volatile uint8_t *p = (const volatile uint8_t *)(uintptr_t)pa;
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

/* Map [va, va + size) to pa with 4 KiB pages through the level-3 tables that
 * back the consecutive 2 MiB slots of boot_kernel_l2 starting at l2_first. */
static BOOT_TEXT void map_pages(pte_t (*l3)[PTES_PER_TABLE], unsigned l2_first, unsigned n_tables,
                           uint64_t offset, uint64_t size, uint64_t pa, pte_t attrs)
{
    for (uint64_t off = offset; off < offset + size; off += PAGE_SIZE) {
        uint64_t table = off / BLOCK_SIZE_L2;
        if (table >= n_tables)
            return;
        if (!(boot_kernel_l2[l2_first + table] & PTE_VALID))
            boot_kernel_l2[l2_first + table] = table_desc(l3[table]);
        l3[table][(off / PAGE_SIZE) % PTES_PER_TABLE] = (pa + off - offset) | attrs | PTE_PAGE;
    }
}

BOOT_TEXT void boot_mmu_build(uint64_t image_pa, uint64_t dtb_pa)
{
    uint64_t text_size = (uint64_t)(uintptr_t)__text_end - (uint64_t)(uintptr_t)_start;
    uint64_t rodata_end = (uint64_t)(uintptr_t)__rodata_end - (uint64_t)(uintptr_t)_start;
    uint64_t image_size = (uint64_t)(uintptr_t)_end - (uint64_t)(uintptr_t)_start;

    /* Upper half: L0[511] -> L1, L1[511] -> L2 covering KERNEL_VBASE. */
    boot_ttbr1_l0[LEVEL_INDEX(KERNEL_VBASE, 0)] = table_desc(boot_ttbr1_l1);
    boot_ttbr1_l1[LEVEL_INDEX(KERNEL_VBASE, 1)] = table_desc(boot_kernel_l2);

    map_pages(boot_kernel_l3, LEVEL_INDEX(KERNEL_VBASE, 2), KERNEL_L3_TABLES, 0, text_size,
              image_pa, PTE_KERNEL_TEXT);
    map_pages(boot_kernel_l3, LEVEL_INDEX(KERNEL_VBASE, 2), KERNEL_L3_TABLES, text_size,
              rodata_end - text_size, image_pa + text_size, PTE_KERNEL_RODATA);
    map_pages(boot_kernel_l3, LEVEL_INDEX(KERNEL_VBASE, 2), KERNEL_L3_TABLES, rodata_end,
              image_size - rodata_end, image_pa + rodata_end, PTE_KERNEL_DATA);

    /* The device tree, read only, if x0 pointed at one. Its header gives its
     * size; kernel_main validates everything else once it can print. */
    if (dtb_pa != 0 && (dtb_pa & 7) == 0 && load_be32(dtb_pa) == FDT_DTB_MAGIC) {
        uint64_t size = load_be32(dtb_pa + 4);
        if (size > FDT_MAX_SIZE)
            size = FDT_MAX_SIZE;
        uint64_t page_off = dtb_pa & (PAGE_SIZE - 1);
        map_pages(boot_fdt_l3, LEVEL_INDEX(FDT_VBASE, 2), FDT_L3_TABLES, 0, page_off + size,
                  dtb_pa - page_off, PTE_KERNEL_RODATA);
    }

    /* Lower half: identity map of the 2 MiB block holding head.S (the image
     * starts with it and is 4 KiB aligned, so the block contains all of it). */
    uint64_t block = image_pa & ~(BLOCK_SIZE_L2 - 1);
    boot_ttbr0_l0[LEVEL_INDEX(block, 0)] = table_desc(boot_ttbr0_l1);
    boot_ttbr0_l1[LEVEL_INDEX(block, 1)] = table_desc(boot_ttbr0_l2);
    boot_ttbr0_l2[LEVEL_INDEX(block, 2)] = block | PTE_BLOCK | PTE_VALID | PTE_AF | PTE_SH_INNER |
                                           PTE_ATTR(MAIR_NORMAL_WB) | PTE_AP_RO | PTE_UXN;
}
