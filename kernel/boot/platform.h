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
#define PLATFORM_MAX_RESERVED 32
#define PLATFORM_MAX_CPUS 8
#define PLATFORM_MODEL_MAX 64
#define PLATFORM_BOOTARGS_MAX 256

/* Errors of platform_probe() beyond the dt_error values of fdt.h. */
enum platform_error {
    PLATFORM_E_NO_MEMORY = -32,         /* no usable device_type = "memory" range */
    PLATFORM_E_NO_CONSOLE = -33,        /* no enabled console the arch drives */
    PLATFORM_E_NO_IRQCHIP = -34,        /* no enabled interrupt controller with usable reg */
    /* -35 was "too many reserved ranges": the table now merges instead. */
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
    PLATFORM_TIMER,   /* the per-CPU timer's interrupts (fallback: the controller's standard ones) */
    PLATFORM_POWER,   /* the firmware interface that powers off */
    PLATFORM_CLASSES
};

#define PLATFORM_DEVICE_REGS 6
#define PLATFORM_DEVICE_WORDS 6
struct platform_device {
    uint32_t driver;               /* the matching driver's id; 0: none found */
    int32_t node;                  /* its node's offset in the tree; -1: none (a fallback) */
    bool from_stdout_path;         /* console: named by /chosen/stdout-path */
    bool from_earlycon;            /* console: from "earlycon=" in bootargs, not a node */
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
     * not listed (the caller knows where it is; see dtb_size). A range that
     * finds the table full is merged with its nearest neighbour (the gap
     * between them is reserved too: less RAM, never firmware memory handed
     * out); reserved_merged counts those merges. */
    uint32_t reserved_count;
    struct platform_range reserved[PLATFORM_MAX_RESERVED];
    uint32_t reserved_merged;

    /* The CPUs of /cpus (device_type = "cpu", enabled), in document order:
     * their MPIDR affinity (reg) and how a secondary is started. */
    uint32_t cpu_count;
    struct platform_cpu {
        uint64_t mpidr;
        uint64_t release_addr; /* spin-table: cpu-release-addr */
        uint32_t enable_method; /* enum platform_cpu_method */
    } cpu[PLATFORM_MAX_CPUS];
    bool cpus_truncated;

    /* The probe's bookkeeping for platform_interrupt(): a node whose
     * interrupt parent the walk already found (-1: none), and that parent. */
    int32_t known_node, known_parent;

    /* One device per class (driver 0 when none was found). */
    struct platform_device console, irqchip, timer, power;
};

enum platform_cpu_method {
    PLATFORM_CPU_NONE = 0,   /* no or unknown enable-method: cannot be started */
    PLATFORM_CPU_PSCI,       /* "psci": CPU_ON through the power device */
    PLATFORM_CPU_SPIN_TABLE, /* "spin-table": write the entry to release_addr, sev */
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
    /* NULL: the class's fallback, probed with node -1 when no node of the
     * class was usable (the timer's standard interrupts). */
    const char *compatible;
    uint32_t platform_class; /* enum platform_class */
    uint32_t id;             /* the arch's driver id, never 0 */
    /* Read the node's binding into out (driver and node already set, the
     * rest zero); false if the node is unusable. `sofar` holds the classes
     * probed before this one (console, then irqchip, timer, power). */
    bool (*probe)(const struct dt *dt, int node, const struct platform *sofar,
                  struct platform_device *out);
    /* Interrupt controllers: the kernel's interrupt id for one specifier
     * (`cells` cells at `spec`) of `controller`, a node of the tree that
     * `chip`, this driver's device, may or may not drive; false if it does
     * not, or the specifier names no line it handles. */
    bool (*interrupt)(const struct dt *dt, const struct platform_device *chip, int controller,
                      const uint8_t *spec, uint32_t cells, uint32_t *intid);
};
/* The arch's table, rows of one class in order of preference. */
extern const struct platform_driver platform_drivers[];
extern const unsigned platform_driver_count;
#define PLATFORM_MAX_DRIVERS 32

/* Early consoles by their "earlycon=NAME,..." names (Linux's), for a tree
 * whose own console the arch cannot drive. */
struct platform_earlycon {
    const char *name;
    uint32_t id; /* a console driver id */
    /* Fill out (driver set, the rest zero) for a UART at `addr` whose
     * access type is iotype[0..len) ("mmio", "mmio32"...; len 0: none
     * given); false if the driver cannot use that. */
    bool (*setup)(uint64_t addr, const char *iotype, size_t len, struct platform_device *out);
};
extern const struct platform_earlycon platform_earlycons[];
extern const unsigned platform_earlycon_count;

/* Interrupt `index` of `node` as the chosen interrupt controller numbers
 * it: from "interrupts-extended", or from "interrupts" and the interrupt
 * parent (2.4). False if the node has no such interrupt, or it goes to a
 * controller the kernel does not drive. */
bool platform_interrupt(const struct dt *dt, const struct platform *p, int node, uint32_t index,
                        uint32_t *intid);

/* For drivers' probes: the node's first `count` reg entries, translated to
 * CPU addresses (false if one is missing or untranslatable). */
bool platform_read_regs(const struct dt *dt, int node, unsigned count, struct platform_device *out);
/* Equality of two NUL-terminated strings (the probe has no libc). */
bool platform_streq(const char *a, const char *b);

#endif /* TESSERA_PLATFORM_H */
