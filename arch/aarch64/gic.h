/* SPDX-License-Identifier: MIT */
/* The interrupt controller: GICv2 (memory-mapped CPU interface) or GICv3
 * (system-register CPU interface), whichever the device tree describes. */
#ifndef ARCH_AARCH64_GIC_H
#define ARCH_AARCH64_GIC_H

#include <stdint.h>

#define GIC_INTID_SPURIOUS_FIRST 1020 /* 1020-1023 are special (GICv3 2.2.1) */
#define GIC_MAX_INTID 1019
#define GIC_PRIORITY_DEFAULT 0xa0

struct platform;

struct gic_ops {
    int (*init)(const struct platform *plat);
    void (*enable)(unsigned intid);
    void (*disable)(unsigned intid);
    unsigned (*acknowledge)(void);
    void (*end_of_interrupt)(unsigned intid);
    void (*send_sgi_self)(unsigned sgi);
};

extern const struct gic_ops gicv2_ops;
extern const struct gic_ops gicv3_ops;

int gic_init(const struct platform *plat);
unsigned gic_acknowledge(void);
void gic_end_of_interrupt(unsigned intid);
int gic_version(void);

#endif
