/* SPDX-License-Identifier: MIT */
/* Picks the interrupt-controller driver the device tree asks for and
 * forwards the generic kernel's interrupt calls to it (see irqchip.h). */
#include <stddef.h>

#include "arch.h"
#include "boot/platform.h"
#include "irqchip.h"

/* The drivers, by device-tree driver id. */
static const struct irqchip_ops *const drivers[] = {&gicv2_ops, &gicv3_ops, &bcm2836_ops};

static const struct irqchip_ops *chip;

static const struct irqchip_ops *driver_for(uint32_t id)
{
    for (size_t i = 0; i < sizeof(drivers) / sizeof(drivers[0]); i++)
        if (drivers[i]->driver == id)
            return drivers[i];
    return NULL;
}

int irqchip_init(const struct platform_device *dev)
{
    chip = driver_for(dev->driver);
    return chip ? chip->init(dev) : -1;
}

void irqchip_describe(const struct platform_device *dev)
{
    const struct irqchip_ops *ops = driver_for(dev->driver);
    if (ops)
        ops->describe(dev);
}

unsigned irqchip_acknowledge(void)
{
    return chip->acknowledge();
}

void irqchip_end_of_interrupt(unsigned intid)
{
    chip->end_of_interrupt(intid);
}

void arch_irq_enable_line(unsigned intid)
{
    if (intid < IRQCHIP_MAX_LINES)
        chip->enable(intid);
}

void arch_irq_disable_line(unsigned intid)
{
    if (intid < IRQCHIP_MAX_LINES)
        chip->disable(intid);
}

void arch_irq_raise_sgi(unsigned sgi)
{
    if (sgi < 16)
        chip->send_sgi_self(sgi);
}
