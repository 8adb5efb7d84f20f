/* SPDX-License-Identifier: MIT */
/* The AArch64 driver table the generic device-tree probe matches nodes
 * against (kernel/boot/platform.h, "Drivers"), and each driver's reading of
 * its binding. Pure device-tree code with no hardware access, so the host
 * tests run it against real trees. Rows of one class are in order of
 * preference: a node that matches two rows takes the first. */
#include "boot/platform.h"
#include "dt_drivers.h"
#include "lib/fdt.h"

/* Standard PSCI 0.2+ function IDs (ARM DEN 0022, 5.1): the only place
 * these numbers are written. CPU_ON in its SMC64 form (64-bit entry). */
#define PSCI_0_2_FN_SYSTEM_OFF 0x84000008u
#define PSCI_0_2_FN_SYSTEM_RESET 0x84000009u
#define PSCI_0_2_FN64_CPU_ON 0xc4000003u

/* UARTs: the first reg entry, translated to a CPU address. */
static bool probe_uart(const struct dt *dt, int node, const struct platform *sofar,
                       struct platform_device *out)
{
    (void)sofar;
    return platform_read_regs(dt, node, 1, out);
}

/* The 16550 family (Linux's Documentation/devicetree/bindings/serial/
 * 8250.yaml and snps-dw-apb-uart.yaml): register i at reg + reg-offset +
 * (i << reg-shift), accessed reg-io-width bytes at a time (1, 2 or 4; 1 if
 * absent). A big-endian UART is not driven. */
static bool probe_16550(const struct dt *dt, int node, const struct platform *sofar,
                        struct platform_device *out)
{
    uint32_t shift = 0, width = 1, offset = 0, clock = 0;
    if (!probe_uart(dt, node, sofar, out) || dt_prop(dt, node, "big-endian", NULL, NULL) == DT_OK)
        return false;
    (void)dt_prop_u32(dt, node, "reg-shift", &shift);
    (void)dt_prop_u32(dt, node, "reg-io-width", &width);
    (void)dt_prop_u32(dt, node, "reg-offset", &offset);
    (void)dt_prop_u32(dt, node, "clock-frequency", &clock);
    if (shift > 4 || (width != 1 && width != 2 && width != 4) || offset >= out->reg[0].size)
        return false;
    out->reg[0].base += offset;
    out->reg[0].size -= offset;
    out->word[UART_REG_SHIFT] = shift;
    out->word[UART_IO_WIDTH] = width;
    out->word[UART_CLOCK] = clock;
    return true;
}

/* GICv2 binding: reg[0] the distributor, reg[1] the CPU interface. */
static bool probe_gicv2(const struct dt *dt, int node, const struct platform *sofar,
                        struct platform_device *out)
{
    (void)sofar;
    return platform_read_regs(dt, node, 2, out);
}

/* GICv3 binding (arm,gic-v3.yaml): reg[0] the distributor, then
 * #redistributor-regions (default 1) redistributor regions, each scanned
 * for this CPU's frame; redistributor-stride if the frames are not packed
 * as GICR_TYPER says. */
static bool probe_gicv3(const struct dt *dt, int node, const struct platform *sofar,
                        struct platform_device *out)
{
    (void)sofar;
    uint32_t regions = 1, stride = 0;
    (void)dt_prop_u32(dt, node, "#redistributor-regions", &regions);
    (void)dt_prop_u32(dt, node, "redistributor-stride", &stride);
    if (regions == 0 || regions > PLATFORM_DEVICE_REGS - 1 || (stride & 0xffff) != 0)
        return false;
    if (!platform_read_regs(dt, node, 1 + regions, out))
        return false;
    out->word[GICV3_REDIST_REGIONS] = regions;
    out->word[GICV3_REDIST_STRIDE] = stride;
    return true;
}

/* GIC interrupt specifiers (arm,gic.yaml, arm,gic-v3.yaml): <type number
 * flags>, and on GICv3 a fourth cell, the PPI partition (0: every CPU).
 * Type 0 is an SPI (INTID 32 + number), type 1 a PPI (16 + number); the
 * extended ranges are not driven. Only the GIC that was chosen counts. */
static bool gic_interrupt(const struct dt *dt, const struct platform_device *chip, int controller,
                          const uint8_t *spec, uint32_t cells, uint32_t *intid)
{
    (void)dt;
    if (controller != chip->node || cells < 3)
        return false;
    uint32_t type = dt_be32(spec), num = dt_be32(spec + 4);
    if (type == 0 && num < 988)
        *intid = 32 + num;
    else if (type == 1 && num < 16)
        *intid = 16 + num;
    else
        return false;
    return true;
}

/* The BCM2836 per-core controller (brcm,bcm2836-l1-intc.txt) at reg[0],
 * and the BCM2835 ARM controller (brcm,bcm2835-armctrl-ic.txt) that the
 * Pi 2 and 3 cascade into it, at reg[1] when present: the first enabled
 * "brcm,bcm2836-armctrl-ic" whose interrupt parent is this controller. */
static bool probe_bcm2836(const struct dt *dt, int node, const struct platform *sofar,
                          struct platform_device *out)
{
    (void)sofar;
    if (!platform_read_regs(dt, node, 1, out))
        return false;
    for (int c = dt_find_compatible(dt, -1, "brcm,bcm2836-armctrl-ic"); c >= 0;
         c = dt_find_compatible(dt, c, "brcm,bcm2836-armctrl-ic")) {
        uint64_t base, size;
        if (!dt_node_enabled(dt, c) || dt_interrupt_parent(dt, c) != node ||
            dt_reg(dt, c, 0, &base, &size) != DT_OK)
            continue;
        out->reg[1].base = base;
        out->reg[1].size = size;
        out->reg_count = 2;
        out->word[BCM2836_ARMCTRL_NODE] = (uint32_t)c + 1;
        break;
    }
    return true;
}

/* Specifiers of the two Pi controllers, both 2 cells: the per-core one
 * <number flags> (0-3 the timers, 4-7 the mailboxes, 8 the GPU, 9 the
 * PMU), the ARM one <bank number> (bank 0 with 8 lines, banks 1 and 2 the
 * GPU's 32 each). Numbered as dt_drivers.h says. */
static bool bcm2836_interrupt(const struct dt *dt, const struct platform_device *chip,
                              int controller, const uint8_t *spec, uint32_t cells,
                              uint32_t *intid)
{
    (void)dt;
    if (cells != 2)
        return false;
    uint32_t a = dt_be32(spec), b = dt_be32(spec + 4);
    if (controller == chip->node && a < 10) {
        *intid = BCM2836_LOCAL_INTID(a);
        return true;
    }
    if (chip->word[BCM2836_ARMCTRL_NODE] != 0 &&
        controller == (int)chip->word[BCM2836_ARMCTRL_NODE] - 1 && a < 3 && b < (a == 0 ? 8u : 32u)) {
        *intid = BCM2835_INTID(a, b);
        return true;
    }
    return false;
}

/* The architected timer binding (arm,arch_timer.yaml) lists its interrupts
 * in the order secure physical, non-secure physical, virtual, hypervisor.
 * Entries 1 and 2 must reach the chosen controller as per-CPU interrupts;
 * anything else makes the node unusable (and the fallback row applies). */
static bool probe_timer(const struct dt *dt, int node, const struct platform *sofar,
                        struct platform_device *out)
{
    uint32_t phys, virt;
    if (!platform_interrupt(dt, sofar, node, 1, &phys) ||
        !platform_interrupt(dt, sofar, node, 2, &virt) || phys < 16 || phys >= 32 || virt < 16 ||
        virt >= 32)
        return false;
    out->word[TIMER_PHYS_INTID] = phys;
    out->word[TIMER_VIRT_INTID] = virt;
    uint32_t freq;
    if (dt_prop_u32(dt, node, "clock-frequency", &freq) == DT_OK)
        out->word[TIMER_CLOCK_FREQUENCY] = freq;
    return true;
}

/* No usable timer node: the interrupt controller's standard lines. On a
 * GIC, the PPIs the Arm Base System Architecture (DEN 0094, "PPI
 * assignments") gives the EL1 timers: virtual 27, physical 30; on the
 * BCM2836, its fixed per-core lines CNTVIRQ (3) and CNTPNSIRQ (1). */
static bool probe_timer_fallback(const struct dt *dt, int node, const struct platform *sofar,
                                 struct platform_device *out)
{
    (void)dt;
    (void)node;
    switch (sofar->irqchip.driver) {
    case DT_DRIVER_GICV2:
    case DT_DRIVER_GICV3:
        out->word[TIMER_VIRT_INTID] = 27;
        out->word[TIMER_PHYS_INTID] = 30;
        break;
    case DT_DRIVER_BCM2836:
        out->word[TIMER_VIRT_INTID] = BCM2836_LOCAL_INTID(3);
        out->word[TIMER_PHYS_INTID] = BCM2836_LOCAL_INTID(1);
        break;
    default:
        return false;
    }
    out->word[TIMER_FALLBACK] = 1;
    return true;
}

/* PSCI binding: "method" gives the conduit (an unknown one makes PSCI
 * unusable); the compatible gives the version. PSCI 0.2 and later fix the
 * function IDs; 0.1 has no SYSTEM_OFF/RESET at all. */
static bool probe_psci(const struct dt *dt, int node, struct platform_device *out,
                       uint32_t major, uint32_t minor)
{
    const char *method;
    if (dt_prop_str(dt, node, "method", &method) != DT_OK)
        return false;
    if (platform_streq(method, "hvc"))
        out->word[PSCI_CONDUIT] = PSCI_CONDUIT_HVC;
    else if (platform_streq(method, "smc"))
        out->word[PSCI_CONDUIT] = PSCI_CONDUIT_SMC;
    else
        return false;
    out->word[PSCI_VERSION_MAJOR] = major;
    out->word[PSCI_VERSION_MINOR] = minor;
    if (major > 0 || minor >= 2) {
        out->word[PSCI_FN_SYSTEM_OFF] = PSCI_0_2_FN_SYSTEM_OFF;
        out->word[PSCI_FN_SYSTEM_RESET] = PSCI_0_2_FN_SYSTEM_RESET;
        out->word[PSCI_FN_CPU_ON] = PSCI_0_2_FN64_CPU_ON;
    } else if (dt_prop_u32(dt, node, "cpu_on", &out->word[PSCI_FN_CPU_ON]) != DT_OK) {
        out->word[PSCI_FN_CPU_ON] = 0; /* 0.1: the node gives the IDs it has */
    }
    return true;
}

static bool probe_psci_1_0(const struct dt *dt, int node, const struct platform *sofar,
                           struct platform_device *out)
{
    (void)sofar;
    return probe_psci(dt, node, out, 1, 0);
}
static bool probe_psci_0_2(const struct dt *dt, int node, const struct platform *sofar,
                           struct platform_device *out)
{
    (void)sofar;
    return probe_psci(dt, node, out, 0, 2);
}
static bool probe_psci_0_1(const struct dt *dt, int node, const struct platform *sofar,
                           struct platform_device *out)
{
    (void)sofar;
    return probe_psci(dt, node, out, 0, 1);
}

/* Early consoles ("earlycon=" in bootargs, platform.h). */
static bool earlycon_pl011(uint64_t addr, const char *io, size_t len, struct platform_device *out)
{
    /* "pl011,ADDR" or "pl011,mmio32,ADDR": 32-bit registers either way. */
    if (len != 0 && !(len == 6 && io[4] == '3' && io[5] == '2'))
        return false;
    out->reg[0].base = addr;
    out->reg[0].size = 0x1000;
    out->reg_count = 1;
    return true;
}

static bool earlycon_8250(uint64_t addr, const char *io, size_t len, struct platform_device *out)
{
    /* "mmio" bytes, "mmio16" and "mmio32" wider registers spaced by their
     * width (Linux's 8250 earlycon); port I/O and big-endian are refused. */
    uint32_t width;
    if (len == 0 || (len == 4 && io[0] == 'm'))
        width = 1;
    else if (len == 6 && io[0] == 'm' && io[4] == '1' && io[5] == '6')
        width = 2;
    else if (len == 6 && io[0] == 'm' && io[4] == '3' && io[5] == '2')
        width = 4;
    else
        return false;
    out->reg[0].base = addr;
    out->reg[0].size = 0x1000;
    out->reg_count = 1;
    out->word[UART_IO_WIDTH] = width;
    out->word[UART_REG_SHIFT] = width == 4 ? 2 : width == 2 ? 1 : 0;
    return true;
}

const struct platform_earlycon platform_earlycons[] = {
    {"pl011", DT_DRIVER_PL011, earlycon_pl011},
    {"uart8250", DT_DRIVER_NS16550, earlycon_8250},
    {"uart", DT_DRIVER_NS16550, earlycon_8250},
    {"ns16550a", DT_DRIVER_NS16550, earlycon_8250},
    {"ns16550", DT_DRIVER_NS16550, earlycon_8250},
};
const unsigned platform_earlycon_count = sizeof(platform_earlycons) / sizeof(platform_earlycons[0]);

const struct platform_driver platform_drivers[] = {
    /* An SBSA UART that also says "arm,pl011" is an SBSA UART; a node that
     * is both a PL011 and a mini-UART counts as a PL011. */
    {"arm,sbsa-uart", PLATFORM_CONSOLE, DT_DRIVER_SBSA_UART, probe_uart, NULL},
    {"arm,pl011", PLATFORM_CONSOLE, DT_DRIVER_PL011, probe_uart, NULL},
    {"brcm,bcm2835-aux-uart", PLATFORM_CONSOLE, DT_DRIVER_BCM2835_AUX, probe_uart, NULL},
    /* The 16550 family: the generic names and the SoC UARTs that are one. */
    {"ns16550a", PLATFORM_CONSOLE, DT_DRIVER_NS16550, probe_16550, NULL},
    {"ns16550", PLATFORM_CONSOLE, DT_DRIVER_NS16550, probe_16550, NULL},
    {"snps,dw-apb-uart", PLATFORM_CONSOLE, DT_DRIVER_NS16550, probe_16550, NULL},
    {"ti,am654-uart", PLATFORM_CONSOLE, DT_DRIVER_NS16550, probe_16550, NULL},
    {"nvidia,tegra20-uart", PLATFORM_CONSOLE, DT_DRIVER_NS16550, probe_16550, NULL},
    /* One that is both a GICv2 and a GICv3 counts as a GICv2. Qualcomm's
     * "qcom,msm-qgic2" is a GICv2 by another name. */
    {"arm,gic-400", PLATFORM_IRQCHIP, DT_DRIVER_GICV2, probe_gicv2, gic_interrupt},
    {"arm,cortex-a15-gic", PLATFORM_IRQCHIP, DT_DRIVER_GICV2, probe_gicv2, gic_interrupt},
    {"arm,cortex-a7-gic", PLATFORM_IRQCHIP, DT_DRIVER_GICV2, probe_gicv2, gic_interrupt},
    {"qcom,msm-qgic2", PLATFORM_IRQCHIP, DT_DRIVER_GICV2, probe_gicv2, gic_interrupt},
    {"arm,gic-v3", PLATFORM_IRQCHIP, DT_DRIVER_GICV3, probe_gicv3, gic_interrupt},
    {"brcm,bcm2836-l1-intc", PLATFORM_IRQCHIP, DT_DRIVER_BCM2836, probe_bcm2836, bcm2836_interrupt},
    {"arm,armv8-timer", PLATFORM_TIMER, DT_DRIVER_ARMV8_TIMER, probe_timer, NULL},
    {"arm,armv7-timer", PLATFORM_TIMER, DT_DRIVER_ARMV8_TIMER, probe_timer, NULL},
    {NULL, PLATFORM_TIMER, DT_DRIVER_ARMV8_TIMER, probe_timer_fallback, NULL},
    /* Power is chosen by row: the most specific PSCI any node claims. */
    {"arm,psci-1.0", PLATFORM_POWER, DT_DRIVER_PSCI, probe_psci_1_0, NULL},
    {"arm,psci-0.2", PLATFORM_POWER, DT_DRIVER_PSCI, probe_psci_0_2, NULL},
    {"arm,psci", PLATFORM_POWER, DT_DRIVER_PSCI, probe_psci_0_1, NULL},
};
const unsigned platform_driver_count = sizeof(platform_drivers) / sizeof(platform_drivers[0]);
