/* SPDX-License-Identifier: MIT */
/* Memory-mapped register access. Device-nGnRE mappings keep these accesses
 * in program order to one device; the volatile keeps the compiler honest. */
#ifndef ARCH_AARCH64_MMIO_H
#define ARCH_AARCH64_MMIO_H

#include <stdint.h>

static inline uint32_t mmio_read32(volatile void *base, uint64_t off)
{
    return *(volatile uint32_t *)((volatile uint8_t *)base + off);
}
static inline void mmio_write32(volatile void *base, uint64_t off, uint32_t v)
{
    *(volatile uint32_t *)((volatile uint8_t *)base + off) = v;
}
static inline uint64_t mmio_read64(volatile void *base, uint64_t off)
{
    return *(volatile uint64_t *)((volatile uint8_t *)base + off);
}
static inline void mmio_write64(volatile void *base, uint64_t off, uint64_t v)
{
    *(volatile uint64_t *)((volatile uint8_t *)base + off) = v;
}
static inline void mmio_write8(volatile void *base, uint64_t off, uint8_t v)
{
    *((volatile uint8_t *)base + off) = v;
}

#endif
