/* SPDX-License-Identifier: MIT */
/* How the generic kernel reaches kernel objects: part of the narrow arch
 * interface, inline because every object access goes through it.
 *
 * Kernel objects (and every byte an untyped capability covers) are RAM
 * outside the kernel image, which the kernel reaches through its direct map
 * at a fixed offset (arch/aarch64/memlayout.h). The image itself is left out
 * of the direct map (W^X), so arch_phys_to_virt, which must also handle
 * image addresses, checks a range first; objects never need that. */
#ifndef ARCH_MEMORY_H
#define ARCH_MEMORY_H

#include <stdint.h>

#define ARCH_DIRECT_MAP_BASE 0xffff000000000000ull

static inline void *arch_object_to_virt(uint64_t pa)
{
    return (void *)(uintptr_t)(ARCH_DIRECT_MAP_BASE + pa);
}

#endif
