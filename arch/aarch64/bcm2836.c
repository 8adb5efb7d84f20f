/* SPDX-License-Identifier: MIT */
/* The Raspberry Pi 2/3 interrupt controllers (BCM2836, BCM2837): the
 * per-core "ARM local" controller (generic-timer, mailbox, GPU and PMU
 * lines of each core) and the BCM2835 ARM controller behind it, which
 * gathers the peripherals' ("GPU") interrupts into the local controller's
 * GPU line. Neither has priorities or an acknowledge register: a line is
 * pending while its source says so, so the driver finds the source in the
 * pending registers and the kernel masks a device line until user space
 * acknowledges it. Interrupt ids follow the GIC's shape (dt_drivers.h):
 * 0-15 the bits of this core's mailbox 0, 16 + n local line n, 32 + 32 *
 * bank + n the ARM controller's lines.
 * Registers: "BCM2836 ARM-local peripherals" (QA7 rev 3.4), sections 4.6
 * (core timer interrupts), 4.7 (mailboxes), 4.10 (core interrupt sources);
 * "BCM2835 ARM Peripherals", 7.5 (interrupt registers). */
#include <stdint.h>

#include "arch.h"
#include "boot/platform.h"
#include "core/printf.h"
#include "dt_drivers.h"
#include "irqchip.h"
#include "mmio.h"
#include "sysreg.h"

/* ARM local registers, per core c. */
#define LOCAL_GPU_ROUTING 0x0c                     /* bits 1:0: GPU IRQ to this core */
#define LOCAL_PMU_ROUTE_SET 0x10                   /* bit c: PMU IRQ to core c */
#define LOCAL_PMU_ROUTE_CLR 0x14
#define LOCAL_TIMER_CTL(c) (0x40 + 4 * (c))        /* bits 3:0: timer IRQ enables */
#define LOCAL_MAILBOX_CTL(c) (0x50 + 4 * (c))      /* bits 3:0: mailbox IRQ enables */
#define LOCAL_IRQ_SOURCE(c) (0x60 + 4 * (c))
#define LOCAL_MAILBOX0_SET(c) (0x80 + 16 * (c))    /* write 1s: set bits */
#define LOCAL_MAILBOX0_CLR(c) (0xc0 + 16 * (c))    /* read; write 1s: clear bits */
#define SOURCE_MAILBOX0 (1u << 4)
#define SOURCE_GPU (1u << 8)
#define SOURCE_PMU (1u << 9)
#define LOCAL_TIMER_LINES 4 /* CNTPS, CNTPNS, CNTHP, CNTV */
#define LOCAL_GPU_LINE 8
#define LOCAL_PMU_LINE 9
#define LOCAL_LINES 10

/* BCM2835 ARM interrupt controller, relative to its reg (0x7e00b200 on the bus). */
#define ARMCTRL_PENDING_BASIC 0x00
#define ARMCTRL_PENDING(bank) (0x04 * (bank))       /* banks 1, 2 */
#define ARMCTRL_ENABLE(bank) ((bank) == 0 ? 0x18 : 0x0c + 4 * (bank))
#define ARMCTRL_DISABLE(bank) ((bank) == 0 ? 0x24 : 0x18 + 4 * (bank))
#define ARMCTRL_BANKS 3
#define ARMCTRL_BASIC_LINES 8

static volatile void *local;
static volatile void *armctrl; /* NULL: only the local lines */
static unsigned core;

static int bcm2836_init(const struct platform_device *dev)
{
    local = arch_map_device(dev->reg[0].base, dev->reg[0].size ? dev->reg[0].size : 0x100);
    if (!local)
        return -1;
    armctrl = NULL;
    if (dev->reg_count > 1) {
        armctrl = arch_map_device(dev->reg[1].base, dev->reg[1].size ? dev->reg[1].size : 0x200);
        if (!armctrl)
            return -1;
    }
    core = (unsigned)(sysreg_read(mpidr_el1) & 3);
    /* Everything off, mailbox 0 cleared; the GPU's interrupts come here. */
    mmio_write32(local, LOCAL_TIMER_CTL(core), 0);
    mmio_write32(local, LOCAL_MAILBOX_CTL(core), 0);
    mmio_write32(local, LOCAL_MAILBOX0_CLR(core), 0xffffffffu);
    mmio_write32(local, LOCAL_PMU_ROUTE_CLR, 1u << core);
    mmio_write32(local, LOCAL_GPU_ROUTING, core);
    if (armctrl)
        for (unsigned bank = 0; bank < ARMCTRL_BANKS; bank++)
            mmio_write32(armctrl, ARMCTRL_DISABLE(bank), 0xffffffffu);
    /* Mailbox 0 carries the software-generated interrupts: always on; each
     * bit is one SGI (set by bcm2836_send_sgi_self, cleared when taken). */
    mmio_write32(local, LOCAL_MAILBOX_CTL(core), 1u);
    return 0;
}

static void local_line(unsigned n, bool on)
{
    uint64_t reg;
    uint32_t bit;
    if (n < LOCAL_TIMER_LINES) {
        reg = LOCAL_TIMER_CTL(core);
        bit = 1u << n;
    } else if (n < LOCAL_TIMER_LINES + 4) {
        reg = LOCAL_MAILBOX_CTL(core);
        bit = 1u << (n - LOCAL_TIMER_LINES);
        if (n == LOCAL_TIMER_LINES)
            return; /* mailbox 0 is the SGIs': always on */
    } else if (n == LOCAL_PMU_LINE) {
        mmio_write32(local, on ? LOCAL_PMU_ROUTE_SET : LOCAL_PMU_ROUTE_CLR, 1u << core);
        return;
    } else {
        return; /* the GPU line is routed, not enabled; others do not exist */
    }
    uint32_t v = mmio_read32(local, reg);
    mmio_write32(local, reg, on ? v | bit : v & ~bit);
}

static void line(unsigned intid, bool on)
{
    if (intid < 16) {
        return; /* SGIs are always deliverable */
    } else if (intid < 16 + LOCAL_LINES) {
        local_line(intid - 16, on);
    } else if (intid >= 32 && armctrl) {
        unsigned bank = (intid - 32) / 32, n = (intid - 32) % 32;
        if (bank < ARMCTRL_BANKS && (bank > 0 || n < ARMCTRL_BASIC_LINES))
            mmio_write32(armctrl, on ? ARMCTRL_ENABLE(bank) : ARMCTRL_DISABLE(bank), 1u << n);
    }
}

static void bcm2836_enable(unsigned intid)
{
    line(intid, true);
}

static void bcm2836_disable(unsigned intid)
{
    line(intid, false);
}

static unsigned lowest(uint32_t bits)
{
    return (unsigned)__builtin_ctz(bits);
}

/* The GPU line: which of the ARM controller's enabled lines is pending
 * (its pending registers show only enabled lines). */
static unsigned armctrl_pending(void)
{
    if (!armctrl)
        return IRQCHIP_MAX_LINES;
    for (unsigned bank = 1; bank < ARMCTRL_BANKS; bank++) {
        uint32_t p = mmio_read32(armctrl, ARMCTRL_PENDING(bank));
        if (p)
            return BCM2835_INTID(bank, lowest(p));
    }
    uint32_t basic = mmio_read32(armctrl, ARMCTRL_PENDING_BASIC) & ((1u << ARMCTRL_BASIC_LINES) - 1);
    return basic ? BCM2835_INTID(0, lowest(basic)) : IRQCHIP_MAX_LINES;
}

static unsigned bcm2836_acknowledge(void)
{
    uint32_t source = mmio_read32(local, LOCAL_IRQ_SOURCE(core));
    if (source & SOURCE_MAILBOX0) {
        uint32_t mb = mmio_read32(local, LOCAL_MAILBOX0_CLR(core)) & 0xffffu;
        if (mb) {
            unsigned sgi = lowest(mb);
            mmio_write32(local, LOCAL_MAILBOX0_CLR(core), 1u << sgi);
            return sgi;
        }
        /* Bits above 15 mean nothing here: clear them. */
        mmio_write32(local, LOCAL_MAILBOX0_CLR(core), 0xffff0000u);
    }
    if (source & ((1u << LOCAL_TIMER_LINES) - 1))
        return BCM2836_LOCAL_INTID(lowest(source & ((1u << LOCAL_TIMER_LINES) - 1)));
    if (source & SOURCE_GPU) {
        unsigned intid = armctrl_pending();
        if (intid < IRQCHIP_MAX_LINES)
            return intid;
    }
    if (source & SOURCE_PMU)
        return BCM2836_LOCAL_INTID(LOCAL_PMU_LINE);
    __asm__ volatile("dsb sy" ::: "memory");
    return IRQCHIP_MAX_LINES; /* nothing (else) pending */
}

static void bcm2836_end_of_interrupt(unsigned intid)
{
    /* No active state to end: mailbox bits were cleared when taken, the
     * timer re-arms itself, a device line is masked by the kernel until
     * user space acknowledges it. */
    (void)intid;
}

static void bcm2836_send_sgi_self(unsigned sgi)
{
    dsb_ishst();
    mmio_write32(local, LOCAL_MAILBOX0_SET(core), 1u << sgi);
}

static void bcm2836_describe(const struct platform_device *dev)
{
    kprintf("  BCM2836  local 0x%lx", (unsigned long)dev->reg[0].base);
    if (dev->reg_count > 1)
        kprintf(", BCM2835 0x%lx", (unsigned long)dev->reg[1].base);
    kprintf("\n");
}

const struct irqchip_ops bcm2836_ops = {
    .driver = DT_DRIVER_BCM2836,
    .init = bcm2836_init,
    .enable = bcm2836_enable,
    .disable = bcm2836_disable,
    .acknowledge = bcm2836_acknowledge,
    .end_of_interrupt = bcm2836_end_of_interrupt,
    .send_sgi_self = bcm2836_send_sgi_self,
    .describe = bcm2836_describe,
};
