/* SPDX-License-Identifier: MIT */
/* The AArch64 driver table the generic device-tree probe matches nodes
 * against (kernel/boot/platform.h, "Drivers"), and each driver's reading of
 * its binding. Pure device-tree code with no hardware access, so the host
 * tests run it against real trees. Rows of one class are in order of
 * preference: a node that matches two rows takes the first. */
#include "boot/platform.h"
#include "dt_drivers.h"
#include "lib/fdt.h"

/* Standard PSCI 0.2+ function IDs (SMC32 calling convention; ARM DEN 0022,
 * 5.1): the only place these numbers are written. */
#define PSCI_0_2_FN_SYSTEM_OFF 0x84000008u
#define PSCI_0_2_FN_SYSTEM_RESET 0x84000009u

/* UARTs: the first reg entry, translated to a CPU address. */
static bool probe_uart(const struct dt *dt, int node, struct platform_device *out)
{
    return platform_read_regs(dt, node, 1, out);
}

/* GIC bindings: reg[0] is the distributor; reg[1] is the CPU interface on
 * v2 and the first redistributor region on v3. A GIC without both is
 * unusable. */
static bool probe_gic(const struct dt *dt, int node, struct platform_device *out)
{
    return platform_read_regs(dt, node, 2, out);
}

/* One GIC interrupt specifier <type number flags> as an INTID: PPIs
 * (type 1) are INTIDs 16..31. Anything else is not a timer interrupt. */
static bool ppi_intid(const uint8_t *spec, uint32_t *intid)
{
    uint32_t type = dt_be32(spec), num = dt_be32(spec + 4);
    if (type != 1 || num >= 16)
        return false;
    *intid = 16 + num;
    return true;
}

/* The architected timer binding lists its interrupts in the order secure
 * physical, non-secure physical, virtual, hypervisor, as 3-cell GIC
 * specifiers. A malformed or unusual description leaves the timer absent. */
static bool probe_timer(const struct dt *dt, int node, struct platform_device *out)
{
    int ic = dt_interrupt_parent(dt, node);
    uint32_t ncells;
    const void *val;
    uint32_t len;
    if (ic < 0 || dt_prop_u32(dt, ic, "#interrupt-cells", &ncells) != DT_OK || ncells != 3 ||
        dt_prop(dt, node, "interrupts", &val, &len) != DT_OK || len % 12 != 0 || len < 3 * 12)
        return false;
    const uint8_t *p = (const uint8_t *)val;
    uint32_t phys, virt;
    if (!ppi_intid(p + 12, &phys) || !ppi_intid(p + 24, &virt))
        return false;
    out->word[TIMER_PHYS_INTID] = phys;
    out->word[TIMER_VIRT_INTID] = virt;
    uint32_t freq;
    if (dt_prop_u32(dt, node, "clock-frequency", &freq) == DT_OK)
        out->word[TIMER_CLOCK_FREQUENCY] = freq;
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
    }
    return true;
}

static bool probe_psci_1_0(const struct dt *dt, int node, struct platform_device *out)
{
    return probe_psci(dt, node, out, 1, 0);
}
static bool probe_psci_0_2(const struct dt *dt, int node, struct platform_device *out)
{
    return probe_psci(dt, node, out, 0, 2);
}
static bool probe_psci_0_1(const struct dt *dt, int node, struct platform_device *out)
{
    return probe_psci(dt, node, out, 0, 1);
}

const struct platform_driver platform_drivers[] = {
    /* A node that is both a PL011 and a mini-UART counts as a PL011. */
    {"arm,pl011", PLATFORM_CONSOLE, DT_DRIVER_PL011, probe_uart},
    {"brcm,bcm2835-aux-uart", PLATFORM_CONSOLE, DT_DRIVER_BCM2835_AUX, probe_uart},
    /* One that is both a GICv2 and a GICv3 counts as a GICv2. */
    {"arm,gic-400", PLATFORM_IRQCHIP, DT_DRIVER_GICV2, probe_gic},
    {"arm,cortex-a15-gic", PLATFORM_IRQCHIP, DT_DRIVER_GICV2, probe_gic},
    {"arm,cortex-a7-gic", PLATFORM_IRQCHIP, DT_DRIVER_GICV2, probe_gic},
    {"arm,gic-v3", PLATFORM_IRQCHIP, DT_DRIVER_GICV3, probe_gic},
    {"arm,armv8-timer", PLATFORM_TIMER, DT_DRIVER_ARMV8_TIMER, probe_timer},
    {"arm,armv7-timer", PLATFORM_TIMER, DT_DRIVER_ARMV8_TIMER, probe_timer},
    /* Power is chosen by row: the most specific PSCI any node claims. */
    {"arm,psci-1.0", PLATFORM_POWER, DT_DRIVER_PSCI, probe_psci_1_0},
    {"arm,psci-0.2", PLATFORM_POWER, DT_DRIVER_PSCI, probe_psci_0_2},
    {"arm,psci", PLATFORM_POWER, DT_DRIVER_PSCI, probe_psci_0_1},
};
const unsigned platform_driver_count = sizeof(platform_drivers) / sizeof(platform_drivers[0]);
