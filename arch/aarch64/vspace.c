/* SPDX-License-Identifier: MIT */
/* User address spaces: the lower half, translated through TTBR0_EL1 with the
 * thread's VSpace (a level-0 table) and its ASID. The kernel never allocates
 * here: every table is an object user space retyped and linked in with
 * arch_vspace_map_table, and each mapping is recorded in the capability that
 * made it (cap/cap.h). Descriptor formats: Arm ARM D8.3; TLB maintenance
 * follows the break-before-make rule of D8.16 (we only ever go from invalid to
 * valid or valid to invalid, never between two valid entries). */
#include <stdbool.h>
#include <stdint.h>

#include <tessera/objects.h>

#include "arch.h"
#include "lib/kstring.h"
#include "memlayout.h"
#include "pte.h"
#include "sysreg.h"

_Static_assert(PAGE_SIZE == TSR_PAGE_SIZE, "the MMU's granule is the ABI's page");

/* User pages: non-global (ASID tagged), never executable by the kernel. */
#define PTE_USER_BASE (PTE_VALID | PTE_AF | PTE_NG | PTE_PXN | PTE_AP_EL0)

static pte_t empty_user_table[PTES_PER_TABLE] __attribute__((aligned(PAGE_SIZE)));

static pte_t *table_at(uint64_t pa)
{
    return arch_object_to_virt(pa);
}

static inline void tlb_flush_va(unsigned asid, uint64_t va)
{
    uint64_t arg = ((uint64_t)asid << 48) | ((va >> 12) & 0xfffffffffffull);
    __asm__ volatile("dsb ishst\n tlbi vae1is, %0\n dsb ish\n isb" ::"r"(arg) : "memory");
}

void arch_tlb_flush_asid(unsigned asid)
{
    uint64_t arg = (uint64_t)asid << 48;
    __asm__ volatile("dsb ishst\n tlbi aside1is, %0\n dsb ish\n isb" ::"r"(arg) : "memory");
}

/* Walk from the root towards va and return the entry at `level`. On the way a
 * missing table gives NULL with *blocked false; a block mapping that already
 * covers va gives NULL with *blocked true. */
static pte_t *walk(uint64_t vspace, uint64_t va, unsigned level, bool *blocked)
{
    pte_t *table = table_at(vspace);
    *blocked = false;
    for (unsigned l = 0; l < level; l++) {
        pte_t e = table[LEVEL_INDEX(va, l)];
        if (!(e & PTE_VALID))
            return NULL;
        if (!(e & PTE_TABLE)) {
            *blocked = true;
            return NULL;
        }
        table = table_at(e & PTE_ADDR_MASK);
    }
    return &table[LEVEL_INDEX(va, level)];
}

static pte_t user_page_attrs(unsigned vm)
{
    pte_t attrs = PTE_USER_BASE;
    if (!(vm & ARCH_VM_WRITE))
        attrs |= PTE_AP_RO;
    /* W^X for user pages too: executable only when not writable. */
    if (!(vm & ARCH_VM_EXECUTE) || (vm & ARCH_VM_WRITE) || (vm & ARCH_VM_UNCACHED))
        attrs |= PTE_UXN;
    if (vm & ARCH_VM_UNCACHED)
        attrs |= PTE_ATTR(MAIR_DEVICE_nGnRE);
    else
        attrs |= PTE_ATTR(MAIR_NORMAL_WB) | PTE_SH_INNER;
    return attrs;
}

tsr_error_t arch_vspace_frame_slot(uint64_t vspace, uint64_t va, unsigned size_bits,
                                   struct arch_map_slot *slot)
{
    unsigned level = size_bits == 21 ? 2 : 3;
    if (va >= ARCH_USER_VA_END || (va & ((1ull << size_bits) - 1)))
        return TSR_E_ALIGNMENT;
    bool blocked;
    pte_t *e = walk(vspace, va, level, &blocked);
    if (!e)
        return blocked ? TSR_E_ALREADY_MAPPED : TSR_E_NOT_MAPPED; /* NOT_MAPPED: a table is missing */
    if (*e & PTE_VALID)
        return TSR_E_ALREADY_MAPPED;
    slot->entry = e;
    slot->level = level;
    return TSR_OK;
}

void arch_vspace_map_frame_at(const struct arch_map_slot *slot, uint64_t frame, unsigned vm_attrs)
{
    *slot->entry = frame | user_page_attrs(vm_attrs) | (slot->level == 3 ? PTE_PAGE : PTE_BLOCK);
    /* The entry was invalid, so no TLB entry can exist for it (D8.16.1):
     * a barrier makes the store visible to the walker. */
    dsb_ishst();
    isb();
}

tsr_error_t arch_vspace_map_frame(uint64_t vspace, uint64_t va, uint64_t frame,
                                  unsigned size_bits, unsigned vm_attrs)
{
    struct arch_map_slot slot;
    tsr_error_t err = arch_vspace_frame_slot(vspace, va, size_bits, &slot);
    if (!err)
        arch_vspace_map_frame_at(&slot, frame, vm_attrs);
    return err;
}

void arch_vspace_unmap_frame(uint64_t vspace, unsigned asid, uint64_t va, uint64_t frame,
                             unsigned size_bits)
{
    unsigned level = size_bits == 21 ? 2 : 3;
    bool blocked;
    pte_t *e = walk(vspace, va, level, &blocked);
    /* Only remove what this frame's capability mapped: the address space may
     * have been torn down and its ASID given to another since. */
    if (!e || !(*e & PTE_VALID) || (*e & PTE_ADDR_MASK) != frame)
        return;
    if ((level == 3) != ((*e & PTE_PAGE) != 0))
        return;
    *e = 0;
    tlb_flush_va(asid, va);
}

tsr_error_t arch_vspace_table_slot(uint64_t vspace, uint64_t va, struct arch_map_slot *slot)
{
    if (va >= ARCH_USER_VA_END)
        return TSR_E_RANGE;
    pte_t *t = table_at(vspace);
    for (unsigned l = 0; l < 3; l++) {
        pte_t *e = &t[LEVEL_INDEX(va, l)];
        if (!(*e & PTE_VALID)) {
            slot->entry = e;
            slot->level = l + 1; /* the level the new table will serve */
            return TSR_OK;
        }
        if (!(*e & PTE_TABLE))
            return TSR_E_ALREADY_MAPPED; /* a block mapping covers va */
        t = table_at(*e & PTE_ADDR_MASK);
    }
    return TSR_E_ALREADY_MAPPED; /* every level on the path already exists */
}

void arch_vspace_map_table_at(const struct arch_map_slot *slot, uint64_t table)
{
    *slot->entry = table | PTE_VALID | PTE_TABLE;
    dsb_ishst();
    isb();
}

tsr_error_t arch_vspace_map_table(uint64_t vspace, uint64_t va, uint64_t table, unsigned *level)
{
    struct arch_map_slot slot;
    tsr_error_t err = arch_vspace_table_slot(vspace, va, &slot);
    if (err)
        return err;
    arch_vspace_map_table_at(&slot, table);
    *level = slot.level;
    return TSR_OK;
}

uint64_t arch_vspace_table_region(uint64_t va, unsigned level)
{
    /* A table at level n (1-3) is reached through the entry for va at level
     * n - 1, which covers 2^LEVEL_SHIFT(n - 1) bytes. */
    return va & ~((1ull << LEVEL_SHIFT(level - 1)) - 1);
}

void arch_vspace_unmap_table(uint64_t vspace, unsigned asid, uint64_t va, uint64_t table,
                             unsigned level)
{
    if (level < 1 || level > 3)
        return;
    bool blocked;
    pte_t *e = walk(vspace, va, level - 1, &blocked);
    if (e && (*e & (PTE_VALID | PTE_TABLE)) == (PTE_VALID | PTE_TABLE) &&
        (*e & PTE_ADDR_MASK) == table) {
        *e = 0;
        arch_tlb_flush_asid(asid);
    }
    /* A table that is linked again later must not bring old mappings with
     * it: their frames may be gone by then (seL4 does the same). */
    memset(table_at(table), 0, PAGE_SIZE);
    dsb_ishst();
}

tsr_error_t arch_vspace_translate(uint64_t vspace, uint64_t va, bool write, uint64_t *pa)
{
    if (!vspace || va >= ARCH_USER_VA_END)
        return TSR_E_BAD_ADDRESS;
    pte_t *t = table_at(vspace);
    for (unsigned l = 0; l <= 3; l++) {
        pte_t e = t[LEVEL_INDEX(va, l)];
        if (!(e & PTE_VALID))
            return TSR_E_BAD_ADDRESS;
        bool leaf = l == 3 || !(e & PTE_TABLE);
        if (!leaf) {
            t = table_at(e & PTE_ADDR_MASK);
            continue;
        }
        if (l < 2 || (l == 3 && !(e & PTE_PAGE)))
            return TSR_E_BAD_ADDRESS;
        if (!(e & PTE_AP_EL0) || (write && (e & PTE_AP_RO)))
            return TSR_E_BAD_ADDRESS;
        if ((e & PTE_ATTR_MASK) != PTE_ATTR(MAIR_NORMAL_WB))
            return TSR_E_BAD_ADDRESS; /* the kernel does not copy to or from devices */
        uint64_t offset_mask = (1ull << LEVEL_SHIFT(l)) - 1;
        *pa = (e & PTE_ADDR_MASK & ~offset_mask) | (va & offset_mask);
        return TSR_OK;
    }
    return TSR_E_BAD_ADDRESS;
}

uint64_t arch_vspace_token(uint64_t vspace, unsigned asid)
{
    /* TTBR0_EL1: the root table, and the ASID in bits 63:48 (D19.2.152). */
    if (!vspace)
        return arch_virt_to_phys(empty_user_table);
    return vspace | ((uint64_t)asid << 48);
}

void arch_vspace_install(uint64_t token)
{
    if (sysreg_read(ttbr0_el1) == token)
        return;
    sysreg_write(ttbr0_el1, token);
    isb();
}

void arch_vspace_release(uint64_t vspace)
{
    /* The MMU may walk the tables TTBR0_EL1 names at any time, also
     * speculatively and while the CPU idles in the kernel (Arm ARM DDI 0487,
     * D8: translation table walks may be made speculatively, and their
     * results cached): a freed root table, soon other data, must not stay
     * reachable from it until the next thread switch. */
    if ((sysreg_read(ttbr0_el1) & ~(0xffffull << 48)) == vspace)
        arch_vspace_install(arch_vspace_token(0, 0));
}

void arch_vspace_activate(uint64_t vspace, unsigned asid)
{
    arch_vspace_install(arch_vspace_token(vspace, asid));
}
