/* SPDX-License-Identifier: MIT */
/* Platform discovery: everything the kernel needs to know about the board,
 * read once at boot from the device tree passed in x0 and flattened into a
 * plain struct, so no later code has to parse the tree. Missing optional
 * devices are reported as absent; a tree without RAM, a console or an
 * interrupt controller is an error. docs/device-tree.md explains how each
 * device is chosen. */
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
    PLATFORM_E_NO_CONSOLE = -33,        /* no enabled console the arch drives */
    PLATFORM_E_NO_IRQCHIP = -34,        /* no enabled interrupt controller with usable reg */
    PLATFORM_E_TOO_MANY_RESERVED = -35, /* reserved ranges overflow the table */
};

struct platform_range {
    uint64_t base;
    uint64_t size;
};

/* ---- devices ------------------------------------------------------------------
 * The kernel drives one device of each class. Which compatible strings a
 * class answers to, and how a matching node's binding is read, is the arch's
 * driver table (platform_drivers below, arch/<arch>/dt_drivers.c); the
 * probe here only chooses the node (the rules are in platform.c and
 * docs/device-tree.md). */
enum platform_class {
    PLATFORM_CONSOLE, /* the UART the kernel prints on */
    PLATFORM_IRQCHIP, /* the interrupt controller */
    PLATFORM_TIMER,   /* the per-CPU timer's interrupts */
    PLATFORM_POWER,   /* the firmware interface that powers off */
    PLATFORM_CLASSES
};

#define PLATFORM_DEVICE_REGS 2
#define PLATFORM_DEVICE_WORDS 6
struct platform_device {
    uint32_t driver;               /* the matching driver's id; 0: none found */
    bool from_stdout_path;         /* console: named by /chosen/stdout-path */
    uint32_t reg_count;
    struct platform_range reg[PLATFORM_DEVICE_REGS]; /* CPU physical addresses */
    uint32_t word[PLATFORM_DEVICE_WORDS];            /* what the driver read (its header says) */
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

    /* One device per class (driver 0 when none was found). */
    struct platform_device console, irqchip, timer, power;
};

/* Validate the DTB at `dtb` (at most max_size bytes readable) and fill *out.
 * Returns 0, a dt_error (malformed tree: *out is zeroed), or a
 * platform_error (well-formed tree missing a vital device: *out holds
 * everything that was found, e.g. a console to report the problem on). */
int platform_probe(const void *dtb, size_t max_size, struct platform *out);
const char *platform_strerror(int err);

/* ---- drivers: what the arch provides -------------------------------------------- */
struct dt;
struct platform_driver {
    const char *compatible;
    uint32_t platform_class; /* enum platform_class */
    uint32_t id;             /* the arch's driver id, never 0 */
    /* Read the node's binding into out (driver already set, the rest zero);
     * false if the node is unusable. */
    bool (*probe)(const struct dt *dt, int node, struct platform_device *out);
};
/* The arch's table, rows of one class in order of preference. */
extern const struct platform_driver platform_drivers[];
extern const unsigned platform_driver_count;
#define PLATFORM_MAX_DRIVERS 32

/* For drivers' probes: the node's first `count` reg entries, translated to
 * CPU addresses (false if one is missing or untranslatable). */
bool platform_read_regs(const struct dt *dt, int node, unsigned count, struct platform_device *out);
/* Equality of two NUL-terminated strings (the probe has no libc). */
bool platform_streq(const char *a, const char *b);

#endif /* TESSERA_PLATFORM_H */
