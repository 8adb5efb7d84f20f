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
    DT_DRIVER_GICV3,       /* irqchip: reg[0] GICD, reg[1] the first GICR region */
    DT_DRIVER_ARMV8_TIMER, /* timer: the architected generic timer */
    DT_DRIVER_PSCI,        /* power: PSCI firmware */
};

/* Words of the generic timer's platform_device. */
enum {
    TIMER_VIRT_INTID = 0,      /* virtual timer interrupt, 16 + PPI */
    TIMER_PHYS_INTID = 1,      /* non-secure physical timer interrupt */
    TIMER_CLOCK_FREQUENCY = 2, /* 0: absent, read CNTFRQ_EL0 */
};

/* Words of PSCI's platform_device. */
enum {
    PSCI_CONDUIT = 0, /* enum psci_conduit */
    PSCI_VERSION_MAJOR = 1,
    PSCI_VERSION_MINOR = 2,
    PSCI_FN_SYSTEM_OFF = 3,   /* function ID, 0: not available */
    PSCI_FN_SYSTEM_RESET = 4, /* function ID, 0: not available */
};
enum psci_conduit { PSCI_CONDUIT_NONE = 0, PSCI_CONDUIT_HVC, PSCI_CONDUIT_SMC };

#endif
