/* SPDX-License-Identifier: MIT */
/* Interrupt controllers. Each driver (gicv2.c, gicv3.c) provides a struct
 * irqchip_ops; irqchip.c picks the one whose device-tree driver id the probe
 * found (dt_drivers.h) and forwards the generic kernel's interrupt calls to
 * it. A new controller family is a new driver file and a row in irqchip.c's
 * table. Interrupt ids are the controller's own (GIC: 0-15 SGIs, 16-31 PPIs,
 * 32+ SPIs). */
#ifndef ARCH_AARCH64_IRQCHIP_H
#define ARCH_AARCH64_IRQCHIP_H

#include <stdint.h>

/* Interrupt ids the drivers can report; acknowledge returns a value at or
 * above this one when nothing is pending (the GIC's spurious 1020-1023). */
#define IRQCHIP_MAX_LINES 1020
#define GIC_PRIORITY_DEFAULT 0xa0

struct platform_device;

struct irqchip_ops {
    uint32_t driver; /* DT_DRIVER_* */
    int (*init)(const struct platform_device *dev);
    void (*enable)(unsigned intid);
    void (*disable)(unsigned intid);
    unsigned (*acknowledge)(void);
    void (*end_of_interrupt)(unsigned intid);
    void (*send_sgi_self)(unsigned sgi);
    /* One line for the boot banner ("  GICv3    GICD ..."). */
    void (*describe)(const struct platform_device *dev);
};

extern const struct irqchip_ops gicv2_ops;
extern const struct irqchip_ops gicv3_ops;
extern const struct irqchip_ops bcm2836_ops;

int irqchip_init(const struct platform_device *dev);
unsigned irqchip_acknowledge(void);
void irqchip_end_of_interrupt(unsigned intid);
void irqchip_describe(const struct platform_device *dev);

#endif
