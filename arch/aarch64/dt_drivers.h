/* SPDX-License-Identifier: MIT */
/* The devices the AArch64 kernel drives, as the device tree names them
 * (dt_drivers.c): driver ids for struct platform_device, and what each
 * driver's probe leaves in its words. Read by the arch code that brings the
 * devices up (uart.c, gic.c, timer.c, cpu.c) and by the host tests. Adding a
 * driver is a row in dt_drivers.c, an id here, and the driver's own file. */
#ifndef ARCH_AARCH64_DT_DRIVERS_H
#define ARCH_AARCH64_DT_DRIVERS_H

enum dt_driver_id {
    DT_DRIVER_NONE = 0,
    DT_DRIVER_PL011,       /* console: "arm,pl011" */
    DT_DRIVER_BCM2835_AUX, /* console: "brcm,bcm2835-aux-uart", the Pi's mini-UART */
    DT_DRIVER_GICV2,       /* irqchip: reg[0] GICD, reg[1] GICC */
    DT_DRIVER_GICV3,       /* irqchip: reg[0] GICD, reg[1..] the GICR regions */
    DT_DRIVER_ARMV8_TIMER, /* timer: the architected generic timer */
    DT_DRIVER_PSCI,        /* power: PSCI firmware */
    DT_DRIVER_SBSA_UART,   /* console: "arm,sbsa-uart", a PL011 the firmware owns */
    DT_DRIVER_NS16550,     /* console: the 16550/8250 family, polled */
    DT_DRIVER_BCM2836,     /* irqchip: reg[0] the BCM2836 per-core controller,
                              reg[1] the BCM2835 ARM controller cascaded into it */
};

/* Interrupt ids (what the irqchip drivers number lines by, and what
 * platform_interrupt() returns) follow the GIC's layout on every
 * controller, because the generic kernel keeps 0-31 for itself:
 *   0-15   software-generated (GIC SGIs; BCM2836: this core's mailbox 0 bits)
 *   16-31  per-CPU (GIC PPIs; BCM2836: 16 + its local interrupt number,
 *          e.g. 19 the virtual timer, 17 the physical one)
 *   32-    shared (GIC SPIs; BCM2835: 32 + 32 * bank + number, bank 0 the
 *          "basic" interrupts, 1 and 2 the GPU interrupts 0-31 and 32-63) */
#define BCM2836_LOCAL_INTID(n) (16u + (n))
#define BCM2835_INTID(bank, n) (32u + 32u * (bank) + (n))

/* Words of the generic timer's platform_device. */
enum {
    TIMER_VIRT_INTID = 0,      /* virtual timer interrupt (a per-CPU id, 16-31) */
    TIMER_PHYS_INTID = 1,      /* non-secure physical timer interrupt */
    TIMER_CLOCK_FREQUENCY = 2, /* 0: absent, read CNTFRQ_EL0 */
    TIMER_FALLBACK = 3,        /* 1: no usable timer node; the controller's standard ids */
};

/* Words of a 16550 console. */
enum {
    UART_REG_SHIFT = 0,    /* register i is at reg[0].base + (i << shift) */
    UART_IO_WIDTH = 1,     /* bytes per access: 1, 2 or 4 */
    UART_CLOCK = 2,        /* clock-frequency, 0: unknown (the baud rate is left alone) */
};

/* Words of a GICv3. */
enum {
    GICV3_REDIST_REGIONS = 0, /* redistributor regions: reg[1 .. 1 + n) */
    GICV3_REDIST_STRIDE = 1,  /* bytes between redistributors; 0: from GICR_TYPER */
};

/* Words of the BCM2836 controller. */
enum {
    BCM2836_ARMCTRL_NODE = 0, /* the cascaded BCM2835 controller's node + 1; 0: none */
};

/* Words of PSCI's platform_device. */
enum {
    PSCI_CONDUIT = 0, /* enum psci_conduit */
    PSCI_VERSION_MAJOR = 1,
    PSCI_VERSION_MINOR = 2,
    PSCI_FN_SYSTEM_OFF = 3,   /* function ID, 0: not available */
    PSCI_FN_SYSTEM_RESET = 4, /* function ID, 0: not available */
    PSCI_FN_CPU_ON = 5,       /* function ID (64-bit entry point), 0: not available */
};
enum psci_conduit { PSCI_CONDUIT_NONE = 0, PSCI_CONDUIT_HVC, PSCI_CONDUIT_SMC };

#endif
