/* SPDX-License-Identifier: MIT */
/* GICv2 driver (GIC-400 on the Raspberry Pi 4, QEMU virt with gic-version=2):
 * distributor and CPU interface are both memory mapped. Register offsets from
 * the GICv2 Architecture Specification (IHI 0048B), section 4. */
#include <stdint.h>

#include "arch.h"
#include "boot/platform.h"
#include "core/printf.h"
#include "dt_drivers.h"
#include "irqchip.h"
#include "mmio.h"
#include "sysreg.h"

#define GICD_CTLR 0x000
#define GICD_TYPER 0x004
#define GICD_ISENABLER 0x100
#define GICD_ICENABLER 0x180
#define GICD_ICPENDR 0x280
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR 0x800
#define GICD_SGIR 0xf00
#define GICD_SGIR_TARGET_SELF (2u << 24) /* TargetListFilter 0b10 (4.3.15) */

#define GICC_CTLR 0x00
#define GICC_PMR 0x04
#define GICC_BPR 0x08
#define GICC_IAR 0x0c
#define GICC_EOIR 0x10

/* GICD_CTLR/GICC_CTLR: enable both groups. Seen from the non-secure side
 * (firmware has made everything group 1) bit 0 is the group-1 enable and bit 1
 * is ignored; without security extensions both bits are group enables, and
 * with FIQEn clear group 0 is signalled as IRQ too (4.3.1, 4.4.1). */
#define GIC_CTLR_ENABLE_BOTH 3u

static volatile void *gicd;
static volatile void *gicc;

static int gicv2_init(const struct platform_device *dev)
{
    /* reg[0] the distributor, reg[1] the CPU interface (dt_drivers.c). */
    gicd = arch_map_device(dev->reg[0].base, dev->reg[0].size);
    gicc = arch_map_device(dev->reg[1].base, dev->reg[1].size ? dev->reg[1].size : 0x2000);
    if (!gicd || !gicc)
        return -1;
    unsigned lines = 32 * ((mmio_read32(gicd, GICD_TYPER) & 0x1f) + 1);

    mmio_write32(gicd, GICD_CTLR, 0);
    for (unsigned i = 0; i < lines; i += 32) {
        mmio_write32(gicd, GICD_ICENABLER + i / 8, 0xffffffffu);
        mmio_write32(gicd, GICD_ICPENDR + i / 8, 0xffffffffu);
    }
    for (unsigned i = 0; i < lines; i++)
        mmio_write8(gicd, GICD_IPRIORITYR + i, GIC_PRIORITY_DEFAULT);
    /* SPIs go to this CPU (ITARGETSR for 0-31 is read only, 4.3.12). */
    for (unsigned i = 32; i < lines; i++)
        mmio_write8(gicd, GICD_ITARGETSR + i, 1);
    mmio_write32(gicd, GICD_CTLR, GIC_CTLR_ENABLE_BOTH);

    mmio_write32(gicc, GICC_PMR, 0xff);
    mmio_write32(gicc, GICC_BPR, 0);
    mmio_write32(gicc, GICC_CTLR, GIC_CTLR_ENABLE_BOTH);
    return 0;
}

static void gicv2_enable(unsigned intid)
{
    mmio_write32(gicd, GICD_ISENABLER + (intid / 32) * 4, 1u << (intid % 32));
}

static void gicv2_disable(unsigned intid)
{
    mmio_write32(gicd, GICD_ICENABLER + (intid / 32) * 4, 1u << (intid % 32));
}

static unsigned gicv2_acknowledge(void)
{
    /* Bits 12:10 hold the source CPU of an SGI; the intid is bits 9:0. */
    return mmio_read32(gicc, GICC_IAR) & 0x3ff;
}

static void gicv2_end_of_interrupt(unsigned intid)
{
    mmio_write32(gicc, GICC_EOIR, intid);
}

static void gicv2_send_sgi_self(unsigned sgi)
{
    dsb_ishst();
    mmio_write32(gicd, GICD_SGIR, GICD_SGIR_TARGET_SELF | sgi);
}

static void gicv2_describe(const struct platform_device *dev)
{
    kprintf("  GICv2    GICD 0x%lx GICC 0x%lx\n", (unsigned long)dev->reg[0].base,
            (unsigned long)dev->reg[1].base);
}

const struct irqchip_ops gicv2_ops = {
    .driver = DT_DRIVER_GICV2,
    .init = gicv2_init,
    .enable = gicv2_enable,
    .disable = gicv2_disable,
    .acknowledge = gicv2_acknowledge,
    .end_of_interrupt = gicv2_end_of_interrupt,
    .send_sgi_self = gicv2_send_sgi_self,
    .describe = gicv2_describe,
};
