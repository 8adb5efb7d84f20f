/* SPDX-License-Identifier: MIT */
/* Picks the GIC driver the device tree asks for and forwards the generic
 * kernel's interrupt calls to it. */
#include <stddef.h>

#include "arch.h"
#include "boot/platform.h"
#include "gic.h"

static const struct gic_ops *gic;
static int gic_ver;

int gic_init(const struct platform *plat)
{
    if (plat->gic.version == 2)
        gic = &gicv2_ops;
    else if (plat->gic.version == 3)
        gic = &gicv3_ops;
    else
        return -1;
    gic_ver = plat->gic.version;
    return gic->init(plat);
}

int gic_version(void)
{
    return gic_ver;
}

unsigned gic_acknowledge(void)
{
    return gic->acknowledge();
}

void gic_end_of_interrupt(unsigned intid)
{
    gic->end_of_interrupt(intid);
}

void arch_irq_enable_line(unsigned intid)
{
    if (intid <= GIC_MAX_INTID)
        gic->enable(intid);
}

void arch_irq_disable_line(unsigned intid)
{
    if (intid <= GIC_MAX_INTID)
        gic->disable(intid);
}

void arch_irq_raise_sgi(unsigned sgi)
{
    if (sgi < 16)
        gic->send_sgi_self(sgi);
}
