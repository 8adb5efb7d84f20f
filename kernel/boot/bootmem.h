/* SPDX-License-Identifier: MIT */
/* Boot-time memory: the free RAM left once the kernel image, the device
 * tree and firmware reservations are taken out. The kernel carves the root
 * task's first objects from it, then hands every remaining byte to the root
 * task as untyped memory. Used only before the first thread runs. */
#ifndef KERNEL_BOOTMEM_H
#define KERNEL_BOOTMEM_H

#include <stdbool.h>
#include <stdint.h>

#include "cap/cap.h"

#define BOOTMEM_MAX_REGIONS 32

struct bootmem_region {
    paddr_t base, end; /* [base, end) */
};

struct platform;

/* Build the free list from the platform description, removing the kernel
 * image and the DTB. */
void bootmem_init(const struct platform *plat, paddr_t image_base, paddr_t image_end,
                  paddr_t dtb_base, paddr_t dtb_end);
/* Take an aligned block of 2^size_bits bytes; false if none is left. */
bool bootmem_alloc(unsigned size_bits, paddr_t *pa);
unsigned bootmem_region_count(void);
const struct bootmem_region *bootmem_region(unsigned i);
/* Remove [base, end) from the free list (firmware reservations and so on). */
void bootmem_reserve(paddr_t base, paddr_t end);

#endif
