/* SPDX-License-Identifier: MIT */
/* GICv3 driver (QEMU virt with gic-version=3): memory-mapped distributor and
 * redistributors, system-register CPU interface. Register offsets from the
 * GICv3/v4 Architecture Specification (IHI 0069), chapter 12. */
#include <stdint.h>

#include "arch.h"
#include "boot/platform.h"
#include "core/printf.h"
#include "dt_drivers.h"
#include "irqchip.h"
#include "mmio.h"
#include "sysreg.h"

#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_ICPENDR 0x0280
#define GICD_IPRIORITYR 0x0400
#define GICD_IROUTER 0x6100
#define GICD_CTLR_RWP (1u << 31)
/* Group-1 enable and affinity routing. Bit 1 is EnableGrp1 with one security
 * state and EnableGrp1A in the non-secure view; bit 4 is ARE / ARE_NS (12.9.4). */
#define GICD_CTLR_ENABLE_G1_ARE ((1u << 1) | (1u << 4))

#define GICR_FRAME_SIZE 0x20000 /* RD_base + SGI_base, 64 KiB each */
#define GICR_TYPER 0x0008
#define GICR_TYPER_LAST (1u << 4)
#define GICR_TYPER_VLPIS (1u << 1)
#define GICR_WAKER 0x0014
#define GICR_WAKER_PROCESSOR_SLEEP (1u << 1)
#define GICR_WAKER_CHILDREN_ASLEEP (1u << 2)
#define GICR_SGI_BASE 0x10000
#define GICR_IGROUPR0 (GICR_SGI_BASE + 0x0080)
#define GICR_ISENABLER0 (GICR_SGI_BASE + 0x0100)
#define GICR_ICENABLER0 (GICR_SGI_BASE + 0x0180)
#define GICR_ICPENDR0 (GICR_SGI_BASE + 0x0280)
#define GICR_IPRIORITYR (GICR_SGI_BASE + 0x0400)

#define SPIN_LIMIT 1000000

static volatile void *gicd;
static volatile void *gicr; /* this CPU's redistributor frame */
static unsigned gicd_lines;

static int wait_clear32(volatile void *base, uint64_t off, uint32_t bits)
{
    for (unsigned i = 0; i < SPIN_LIMIT; i++)
        if (!(mmio_read32(base, off) & bits))
            return 0;
    return -1;
}

/* The redistributor in [base, base + size) whose GICR_TYPER affinity
 * matches MPIDR_EL1 (12.11.37). Frames are `stride` bytes apart, or, with
 * stride 0, two 64 KiB frames (RD_base, SGI_base) plus two more when
 * GICR_TYPER.VLPIS says the redistributor has the GICv4 virtual frames. */
static volatile void *find_redistributor(volatile uint8_t *base, uint64_t size, uint64_t stride)
{
    uint64_t mpidr = sysreg_read(mpidr_el1);
    uint32_t aff = (uint32_t)((mpidr & 0xffffff) | ((mpidr >> 8) & 0xff000000));
    for (uint64_t off = 0; off + GICR_FRAME_SIZE <= size;) {
        uint64_t typer = mmio_read64(base + off, GICR_TYPER);
        if ((uint32_t)(typer >> 32) == aff)
            return base + off;
        if (typer & GICR_TYPER_LAST)
            break;
        off += stride ? stride : (typer & GICR_TYPER_VLPIS) ? 2 * GICR_FRAME_SIZE : GICR_FRAME_SIZE;
    }
    return NULL;
}

static int gicv3_init(const struct platform_device *dev)
{
    /* reg[0] the distributor, reg[1 .. 1 + regions) the redistributor
     * regions (dt_drivers.c): this CPU's frame may be in any of them. */
    gicd = arch_map_device(dev->reg[0].base, dev->reg[0].size);
    if (!gicd)
        return -1;
    gicr = NULL;
    uint32_t regions = dev->word[GICV3_REDIST_REGIONS];
    for (uint32_t r = 1; r <= regions && r < dev->reg_count && !gicr; r++) {
        volatile uint8_t *redists = arch_map_device(dev->reg[r].base, dev->reg[r].size);
        if (!redists)
            return -1;
        gicr = find_redistributor(redists, dev->reg[r].size, dev->word[GICV3_REDIST_STRIDE]);
    }
    if (!gicr)
        return -1;
    gicd_lines = 32 * ((mmio_read32(gicd, GICD_TYPER) & 0x1f) + 1);
    if (gicd_lines > 1020)
        gicd_lines = 1020;

    /* Distributor: SPIs disabled, group 1, default priority, routed here. */
    mmio_write32(gicd, GICD_CTLR, 0);
    if (wait_clear32(gicd, GICD_CTLR, GICD_CTLR_RWP))
        return -1;
    for (unsigned i = 32; i < gicd_lines; i += 32) {
        mmio_write32(gicd, GICD_ICENABLER + i / 8, 0xffffffffu);
        mmio_write32(gicd, GICD_ICPENDR + i / 8, 0xffffffffu);
        mmio_write32(gicd, GICD_IGROUPR + i / 8, 0xffffffffu);
    }
    for (unsigned i = 32; i < gicd_lines; i++)
        mmio_write8(gicd, GICD_IPRIORITYR + i, GIC_PRIORITY_DEFAULT);
    uint64_t mpidr = sysreg_read(mpidr_el1);
    uint64_t route = (mpidr & 0xffffff) | ((mpidr & 0xff00000000ul));
    for (unsigned i = 32; i < gicd_lines; i++)
        mmio_write64(gicd, GICD_IROUTER + (i - 32) * 8, route);
    mmio_write32(gicd, GICD_CTLR, GICD_CTLR_ENABLE_G1_ARE);
    if (wait_clear32(gicd, GICD_CTLR, GICD_CTLR_RWP))
        return -1;

    /* Redistributor: wake it (12.11.42), then SGIs and PPIs like SPIs above. */
    mmio_write32(gicr, GICR_WAKER, mmio_read32(gicr, GICR_WAKER) & ~GICR_WAKER_PROCESSOR_SLEEP);
    if (wait_clear32(gicr, GICR_WAKER, GICR_WAKER_CHILDREN_ASLEEP))
        return -1;
    mmio_write32(gicr, GICR_ICENABLER0, 0xffffffffu);
    mmio_write32(gicr, GICR_ICPENDR0, 0xffffffffu);
    mmio_write32(gicr, GICR_IGROUPR0, 0xffffffffu);
    for (unsigned i = 0; i < 32; i++)
        mmio_write8(gicr, GICR_IPRIORITYR + i, GIC_PRIORITY_DEFAULT);

    /* CPU interface: system registers on, all priorities unmasked, one
     * priority group, EOI both drops priority and deactivates, group 1 on. */
    sysreg_write(ICC_SRE_EL1, sysreg_read(ICC_SRE_EL1) | 1);
    isb();
    sysreg_write(ICC_PMR_EL1, 0xff);
    sysreg_write(ICC_BPR1_EL1, 0);
    sysreg_write(ICC_CTLR_EL1, 0);
    sysreg_write(ICC_IGRPEN1_EL1, 1);
    isb();
    return 0;
}

static void gicv3_enable(unsigned intid)
{
    if (intid < 32)
        mmio_write32(gicr, GICR_ISENABLER0, 1u << intid);
    else
        mmio_write32(gicd, GICD_ISENABLER + (intid / 32) * 4, 1u << (intid % 32));
}

static void gicv3_disable(unsigned intid)
{
    if (intid < 32)
        mmio_write32(gicr, GICR_ICENABLER0, 1u << intid);
    else
        mmio_write32(gicd, GICD_ICENABLER + (intid / 32) * 4, 1u << (intid % 32));
}

static unsigned gicv3_acknowledge(void)
{
    unsigned intid = (unsigned)(sysreg_read(ICC_IAR1_EL1) & 0xffffff);
    /* The read must complete before the handler touches the device (12.1.3). */
    __asm__ volatile("dsb sy" ::: "memory");
    return intid;
}

static void gicv3_end_of_interrupt(unsigned intid)
{
    sysreg_write(ICC_EOIR1_EL1, intid);
    isb();
}

static void gicv3_send_sgi_self(unsigned sgi)
{
    /* ICC_SGI1R_EL1 (12.2.22): INTID 27:24, Aff3 55:48, Aff2 39:32, Aff1 23:16,
     * TargetList 15:0 holds one bit per Aff0 value 0-15. */
    uint64_t mpidr = sysreg_read(mpidr_el1);
    uint64_t aff0 = mpidr & 0xff, aff1 = (mpidr >> 8) & 0xff, aff2 = (mpidr >> 16) & 0xff,
             aff3 = (mpidr >> 32) & 0xff;
    uint64_t v = ((uint64_t)sgi << 24) | (aff3 << 48) | (aff2 << 32) | (aff1 << 16) |
                 (1ul << (aff0 & 15));
    dsb_ishst();
    sysreg_write(ICC_SGI1R_EL1, v);
    isb();
}

static void gicv3_describe(const struct platform_device *dev)
{
    kprintf("  GICv3    GICD 0x%lx GICR 0x%lx", (unsigned long)dev->reg[0].base,
            (unsigned long)dev->reg[1].base);
    if (dev->word[GICV3_REDIST_REGIONS] > 1)
        kprintf(" (%u redistributor regions)", dev->word[GICV3_REDIST_REGIONS]);
    kprintf("\n");
}

const struct irqchip_ops gicv3_ops = {
    .driver = DT_DRIVER_GICV3,
    .init = gicv3_init,
    .enable = gicv3_enable,
    .disable = gicv3_disable,
    .acknowledge = gicv3_acknowledge,
    .end_of_interrupt = gicv3_end_of_interrupt,
    .send_sgi_self = gicv3_send_sgi_self,
    .describe = gicv3_describe,
};
