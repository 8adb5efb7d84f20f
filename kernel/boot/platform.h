/* SPDX-License-Identifier: MIT */
/* Platform discovery: everything the kernel needs to know about the board,
 * read once at boot from the device tree passed in x0 and flattened into a
 * plain struct, so no later code has to parse the tree. Missing optional
 * devices are reported as absent; a tree without RAM, a console or a GIC is
 * an error. docs/device-tree.md explains how each device is chosen. */
#ifndef TESSERA_PLATFORM_H
#define TESSERA_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PLATFORM_MAX_RAM 8
#define PLATFORM_MAX_RESERVED 16
#define PLATFORM_MODEL_MAX 64
#define PLATFORM_BOOTARGS_MAX 256

/* Errors of platform_probe() beyond the dt_error values of fdt.h. */
enum platform_error {
    PLATFORM_E_NO_MEMORY = -32,         /* no usable device_type = "memory" range */
    PLATFORM_E_NO_CONSOLE = -33,        /* no enabled PL011 or mini-UART found */
    PLATFORM_E_NO_GIC = -34,            /* no enabled GICv2/v3 with usable reg */
    PLATFORM_E_TOO_MANY_RESERVED = -35, /* reserved ranges overflow the table */
};

struct platform_range {
    uint64_t base;
    uint64_t size;
};

enum platform_uart_kind {
    PLATFORM_UART_NONE = 0,
    PLATFORM_UART_PL011,       /* "arm,pl011" */
    PLATFORM_UART_BCM2835_AUX, /* "brcm,bcm2835-aux-uart" (Pi mini-UART) */
};

enum platform_psci_conduit {
    PLATFORM_PSCI_NONE = 0, /* no PSCI node: e.g. spin-table CPUs on the Pi */
    PLATFORM_PSCI_HVC,
    PLATFORM_PSCI_SMC,
};

struct platform {
    uint32_t dtb_size;                    /* the blob's totalsize */
    char model[PLATFORM_MODEL_MAX];       /* root "model", "" if absent */
    char bootargs[PLATFORM_BOOTARGS_MAX]; /* /chosen/bootargs, "" if absent */
    bool model_truncated, bootargs_truncated;

    /* RAM: every reg entry of every enabled device_type = "memory" node.
     * Zero-size entries (firmware did not fill them in) are skipped and
     * counted; entries beyond the table are dropped (ram_truncated). */
    uint32_t ram_count;
    struct platform_range ram[PLATFORM_MAX_RAM];
    uint32_t ram_zero_size;
    bool ram_truncated;

    /* Memory the kernel must not hand out: the mem-rsvmap entries, then the
     * reg entries of enabled /reserved-memory children. The DTB itself is
     * not listed (the caller knows where it is; see dtb_size). */
    uint32_t reserved_count;
    struct platform_range reserved[PLATFORM_MAX_RESERVED];

    struct {
        enum platform_uart_kind kind; /* NONE only when probe failed */
        bool from_stdout_path;        /* false: first enabled UART used */
        uint64_t base, size;          /* CPU physical */
    } uart;

    struct {
        uint32_t version; /* 2 or 3; 0 only when probe failed */
        uint64_t dist_base, dist_size;
        uint64_t cpu_base, cpu_size;       /* v2: GICC */
        uint64_t redist_base, redist_size; /* v3: first GICR region */
    } gic;

    struct {
        bool present;
        uint32_t virt_intid;      /* virtual timer, 16 + PPI */
        uint32_t phys_intid;      /* non-secure physical timer */
        uint32_t clock_frequency; /* 0: absent, read CNTFRQ_EL0 */
    } timer;

    struct {
        enum platform_psci_conduit conduit;
        uint32_t version_major, version_minor;   /* from compatible */
        uint32_t fn_system_off, fn_system_reset; /* 0: not available */
    } psci;
};

/* Validate the DTB at `dtb` (at most max_size bytes readable) and fill *out.
 * Returns 0, a dt_error (malformed tree: *out is zeroed), or a
 * platform_error (well-formed tree missing a vital device: *out holds
 * everything that was found, e.g. a console to report the problem on). */
int platform_probe(const void *dtb, size_t max_size, struct platform *out);
const char *platform_strerror(int err);

#endif /* TESSERA_PLATFORM_H */
