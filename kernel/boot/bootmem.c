/* SPDX-License-Identifier: MIT */
/* The boot-time free list (see bootmem.h): a small array of page-aligned
 * ranges; allocation takes an aligned block and splits the range around it. */
#include <stdint.h>

#include <tessera/objects.h>

#include "boot/bootmem.h"
#include "boot/platform.h"
#include "core/printf.h"

#define PAGE TSR_PAGE_SIZE

static struct bootmem_region regions[BOOTMEM_MAX_REGIONS];
static unsigned count;

static void add(paddr_t base, paddr_t end)
{
    base = (base + PAGE - 1) & ~(PAGE - 1);
    end &= ~(PAGE - 1);
    if (end <= base)
        return;
    if (count == BOOTMEM_MAX_REGIONS) {
        kprintf("bootmem: too many regions, dropping 0x%lx-0x%lx\n", (unsigned long)base,
                (unsigned long)end);
        return;
    }
    regions[count].base = base;
    regions[count].end = end;
    count++;
}

static void remove_at(unsigned i)
{
    for (; i + 1 < count; i++)
        regions[i] = regions[i + 1];
    count--;
}

void bootmem_reserve(paddr_t base, paddr_t end)
{
    base &= ~(PAGE - 1);
    end = (end + PAGE - 1) & ~(PAGE - 1);
    for (unsigned i = 0; i < count;) {
        struct bootmem_region r = regions[i];
        if (end <= r.base || base >= r.end) {
            i++;
            continue;
        }
        remove_at(i);
        if (r.base < base)
            add(r.base, base);
        if (end < r.end)
            add(end, r.end);
        /* The pieces went to the end of the array; look at index i again. */
    }
}

void bootmem_init(const struct platform *plat, paddr_t image_base, paddr_t image_end,
                  paddr_t dtb_base, paddr_t dtb_end)
{
    count = 0;
    for (unsigned i = 0; i < plat->ram_count; i++)
        add(plat->ram[i].base, plat->ram[i].base + plat->ram[i].size);
    bootmem_reserve(image_base, image_end);
    bootmem_reserve(dtb_base, dtb_end);
    for (unsigned i = 0; i < plat->reserved_count; i++)
        bootmem_reserve(plat->reserved[i].base, plat->reserved[i].base + plat->reserved[i].size);
}

bool bootmem_alloc(unsigned size_bits, paddr_t *pa)
{
    uint64_t size = 1ull << size_bits;
    for (unsigned i = 0; i < count; i++) {
        paddr_t at = (regions[i].base + size - 1) & ~(size - 1);
        if (at < regions[i].base || at + size > regions[i].end)
            continue;
        bootmem_reserve(at, at + size);
        *pa = at;
        return true;
    }
    return false;
}

unsigned bootmem_region_count(void)
{
    return count;
}

const struct bootmem_region *bootmem_region(unsigned i)
{
    return i < count ? &regions[i] : 0;
}
