/* SPDX-License-Identifier: MIT */
/* The kernel's half of the address space after boot: the direct map of RAM
 * and the device window, added to the boot tables of boot_mmu.c. Page tables
 * come from a fixed pool in .bss, sized for any board we boot: the kernel has
 * no heap, and these tables are the kernel's own, never user memory. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch.h"
#include "boot/platform.h"
#include "boot_tables.h"
#include "memlayout.h"
#include "mmu.h"
#include "pte.h"
#include "sysreg.h"

#define TABLE_POOL_SIZE 48

static pte_t table_pool[TABLE_POOL_SIZE][PTES_PER_TABLE] __attribute__((aligned(PAGE_SIZE)));
static unsigned table_pool_used;
static uint64_t kernel_image_pa;
static uint64_t kernel_image_size;
static uint64_t device_window_next = DEVICE_WINDOW_BASE;

extern char _start[], _end[];

_Static_assert(PHYSMAP_BASE == ARCH_DIRECT_MAP_BASE, "one direct map");

uint64_t arch_virt_to_phys(const void *va)
{
    uint64_t v = (uint64_t)(uintptr_t)va;
    if (v >= KERNEL_VBASE && v < KERNEL_VBASE + kernel_image_size)
        return v - KERNEL_VBASE + kernel_image_pa;
    if (v >= PHYSMAP_BASE && v < PHYSMAP_BASE + PHYSMAP_SIZE)
        return v - PHYSMAP_BASE;
    return MMU_BAD_PA;
}

void *arch_phys_to_virt(uint64_t pa)
{
    /* The image is left out of the direct map (see mmu_map_ram), so its
     * physical pages are reached through the image's own mapping. */
    if (pa >= kernel_image_pa && pa < kernel_image_pa + kernel_image_size)
        return (void *)(uintptr_t)(KERNEL_VBASE + (pa - kernel_image_pa));
    return (void *)(uintptr_t)(PHYSMAP_BASE + pa);
}

static pte_t *table_alloc(void)
{
    if (table_pool_used == TABLE_POOL_SIZE)
        return NULL;
    return table_pool[table_pool_used++];
}

/* Find, creating tables on the way, the TTBR1 entry that maps va at level. */
static pte_t *walk_create(uint64_t va, unsigned level)
{
    pte_t *table = boot_ttbr1_l0;
    for (unsigned l = 0; l < level; l++) {
        pte_t *e = &table[LEVEL_INDEX(va, l)];
        if (!(*e & PTE_VALID)) {
            pte_t *next = table_alloc();
            if (!next)
                return NULL;
            *e = arch_virt_to_phys(next) | PTE_VALID | PTE_TABLE;
        } else if (!(*e & PTE_TABLE)) {
            return NULL; /* a block already maps this range */
        }
        table = arch_phys_to_virt(*e & PTE_ADDR_MASK);
    }
    return &table[LEVEL_INDEX(va, level)];
}

/* Map [pa, pa + size) at va with the largest blocks alignment allows. */
static int map_range(uint64_t va, uint64_t pa, uint64_t size, pte_t attrs)
{
    while (size) {
        unsigned level = 3;
        uint64_t step = PAGE_SIZE;
        if (((va | pa) & (BLOCK_SIZE_L1 - 1)) == 0 && size >= BLOCK_SIZE_L1) {
            level = 1;
            step = BLOCK_SIZE_L1;
        } else if (((va | pa) & (BLOCK_SIZE_L2 - 1)) == 0 && size >= BLOCK_SIZE_L2) {
            level = 2;
            step = BLOCK_SIZE_L2;
        }
        pte_t *e = walk_create(va, level);
        if (!e || (*e & PTE_VALID))
            return -1;
        *e = pa | attrs | (level == 3 ? PTE_PAGE : PTE_BLOCK);
        va += step;
        pa += step;
        size -= step;
    }
    return 0;
}

static int map_ram_piece(uint64_t start, uint64_t end)
{
    if (end <= start)
        return 0;
    return map_range(PHYSMAP_BASE + start, start, end - start, PTE_KERNEL_DATA);
}

int mmu_map_ram(const struct platform *plat)
{
    uint64_t img_start = kernel_image_pa, img_end = kernel_image_pa + kernel_image_size;
    for (unsigned i = 0; i < plat->ram_count; i++) {
        uint64_t start = (plat->ram[i].base + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
        uint64_t end = (plat->ram[i].base + plat->ram[i].size) & ~(uint64_t)(PAGE_SIZE - 1);
        if (end > PHYSMAP_SIZE)
            end = PHYSMAP_SIZE;
        /* Leave the kernel image out: its text must not have a writable alias
         * (W^X), and the kernel reaches it through KERNEL_VBASE anyway. */
        if (img_end <= start || img_start >= end) {
            if (map_ram_piece(start, end))
                return -1;
        } else {
            if (map_ram_piece(start, img_start) || map_ram_piece(img_end, end))
                return -1;
        }
    }
    dsb_ishst();
    isb();
    return 0;
}

void *arch_map_device(uint64_t pa, uint64_t size)
{
    uint64_t offset = pa & (PAGE_SIZE - 1);
    uint64_t span = (offset + size + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
    uint64_t va = device_window_next;
    if (size == 0 || span > DEVICE_WINDOW_BASE + DEVICE_WINDOW_SIZE - va)
        return NULL;
    if (map_range(va, pa - offset, span, PTE_KERNEL_DEVICE))
        return NULL;
    /* One unmapped guard page between devices catches overruns. */
    device_window_next = va + span + PAGE_SIZE;
    dsb_ishst();
    isb();
    return (void *)(uintptr_t)(va + offset);
}

const void *arch_boot_dtb(uint64_t dtb_pa, size_t *mapped)
{
    /* boot_mmu_build mapped the DTB only if its magic was right; translate the
     * window's first address to see whether it did. */
    uint64_t va = FDT_VBASE + (dtb_pa & (PAGE_SIZE - 1));
    __asm__ volatile("at s1e1r, %0" ::"r"(va));
    isb();
    if (dtb_pa == 0 || (sysreg_read(par_el1) & 1)) {
        *mapped = 0;
        return NULL;
    }
    /* boot_mmu_build mapped min(totalsize, FDT_MAX_SIZE) bytes from va. */
    const volatile uint8_t *hdr = (const volatile uint8_t *)(uintptr_t)va;
    uint64_t total = ((uint64_t)hdr[4] << 24) | ((uint64_t)hdr[5] << 16) | ((uint64_t)hdr[6] << 8) | hdr[7];
    *mapped = total < FDT_MAX_SIZE ? total : FDT_MAX_SIZE;
    return (const void *)(uintptr_t)va;
}

void mmu_init(uint64_t image_pa)
{
    kernel_image_pa = image_pa;
    kernel_image_size = (uint64_t)(uintptr_t)_end - (uint64_t)(uintptr_t)_start;
    /* The identity map in TTBR0 was only for the jump to the upper half.
     * Replace it with an empty table (ASID 0, never given to user space) until
     * a user address space is installed, so a stray lower-half access faults
     * instead of finding head.S. */
    arch_vspace_activate(0, 0);
    __asm__ volatile("tlbi vmalle1\n dsb nsh\n isb" ::: "memory");
}

/* What translation gives va right now, for the self-tests: AT S1E1R/S1E1W ask
 * the MMU itself about read and write (D7.x, "Address translation
 * instructions"); execute permission is read from the tables by a software
 * walk, since AT has no execute variant. */
unsigned mmu_kernel_mapping(uint64_t va)
{
    unsigned flags = 0;
    __asm__ volatile("at s1e1r, %0" ::"r"(va));
    isb();
    uint64_t par = sysreg_read(par_el1);
    if (par & 1)
        return 0;
    flags |= MMU_MAP_PRESENT;
    if (((par >> 56) & 0xff) == 0x00 || ((par >> 56) & 0xff) == 0x04)
        flags |= MMU_MAP_DEVICE;
    __asm__ volatile("at s1e1w, %0" ::"r"(va));
    isb();
    if (!(sysreg_read(par_el1) & 1))
        flags |= MMU_MAP_WRITE;

    if (va < PHYSMAP_BASE)
        return flags; /* lower half: never kernel-executable by construction */
    pte_t *table = boot_ttbr1_l0;
    for (unsigned level = 0; level <= 3; level++) {
        pte_t e = table[LEVEL_INDEX(va, level)];
        if (!(e & PTE_VALID))
            return flags;
        bool is_table = level < 3 && (e & PTE_TABLE);
        if (is_table) {
            if (e & PTE_TABLE_PXN)
                return flags;
            table = arch_phys_to_virt(e & PTE_ADDR_MASK);
            continue;
        }
        if (!(e & PTE_PXN))
            flags |= MMU_MAP_EXEC;
        return flags;
    }
    return flags;
}
