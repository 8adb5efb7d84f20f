/* SPDX-License-Identifier: MIT */
/* Reading user translation tables for the kernel's invariant checker
 * (kernel/core/invariants.c): which page a VA maps to, which table serves
 * a level, and how many entries a VSpace holds, so that every user mapping
 * can be matched to the capability that made it. Debug kernels only call
 * these; descriptor formats are those of Arm ARM D8.3. */
#include <stdbool.h>
#include <stdint.h>

#include "arch.h"
#include "pte.h"

static const pte_t *table_at(uint64_t pa)
{
    return arch_object_to_virt(pa);
}

bool arch_vspace_leaf(uint64_t vspace, uint64_t va, uint64_t *pa, unsigned *size_bits)
{
    const pte_t *t = table_at(vspace);
    for (unsigned l = 0; l <= 3; l++) {
        pte_t e = t[LEVEL_INDEX(va, l)];
        if (!(e & PTE_VALID))
            return false;
        if (l < 3 && (e & PTE_TABLE)) {
            t = table_at(e & PTE_ADDR_MASK);
            continue;
        }
        *size_bits = LEVEL_SHIFT(l);
        *pa = e & PTE_ADDR_MASK & ~((1ull << LEVEL_SHIFT(l)) - 1);
        return true;
    }
    return false;
}

uint64_t arch_vspace_table_at(uint64_t vspace, uint64_t va, unsigned level)
{
    const pte_t *t = table_at(vspace);
    for (unsigned l = 0; l < level; l++) {
        pte_t e = t[LEVEL_INDEX(va, l)];
        if (!(e & PTE_VALID) || !(e & PTE_TABLE))
            return 0;
        if (l + 1 == level)
            return e & PTE_ADDR_MASK;
        t = table_at(e & PTE_ADDR_MASK);
    }
    return 0;
}

static void count_table(const pte_t *t, unsigned level, uint64_t *leaves, uint64_t *tables)
{
    for (unsigned i = 0; i < PTES_PER_TABLE; i++) {
        pte_t e = t[i];
        if (!(e & PTE_VALID))
            continue;
        if (level < 3 && (e & PTE_TABLE)) {
            ++*tables;
            count_table(table_at(e & PTE_ADDR_MASK), level + 1, leaves, tables);
        } else {
            ++*leaves;
        }
    }
}

void arch_vspace_count(uint64_t vspace, uint64_t *leaves, uint64_t *tables)
{
    *leaves = *tables = 0;
    /* Only the lower half's 512 GiB per level-0 entry: every user VA. */
    count_table(table_at(vspace), 0, leaves, tables);
}
