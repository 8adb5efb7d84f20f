/* SPDX-License-Identifier: MIT */
/* Platform discovery from the boot device tree (see platform.h). Each probe_*
 * function finds one kind of device with the fdt.c reader and records it in
 * struct platform; none of them fails the whole probe for a missing optional
 * device. Freestanding like fdt.c: no libc, no globals, no allocation.
 * Section numbers refer to the Devicetree Specification v0.4. */
#include "platform.h"
#include "fdt.h"

/* Standard PSCI 0.2+ function IDs (SMC32 calling convention; ARM DEN 0022). */
#define PSCI_0_2_FN_SYSTEM_OFF 0x84000008u
#define PSCI_0_2_FN_SYSTEM_RESET 0x84000009u

/* Both strings are NUL-terminated: s comes from a checked string property. */
static bool streq(const char *a, const char *b)
{
    while (*a != '\0' && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

static void zero_platform(struct platform *p)
{
    unsigned char *b = (unsigned char *)p;
    for (size_t i = 0; i < sizeof(*p); i++)
        b[i] = 0;
}

/* Copy a NUL-terminated string into dst[cap], always terminating it; returns
 * true if it had to be cut. */
static bool copy_str(char *dst, size_t cap, const char *src)
{
    size_t i = 0;
    for (; i + 1 < cap && src[i] != '\0'; i++)
        dst[i] = src[i];
    dst[i] = '\0';
    return src[i] != '\0';
}

/* The next node after `node` in document order (node < 0: the root); returns
 * DT_E_NOTFOUND at the end. Offsets only grow, so walks with it end. */
static int next_node(const struct dt *dt, int node)
{
    return dt_next_node(dt, node, NULL);
}

/* A walk ended: DT_E_NOTFOUND is the normal end, anything else a fault. */
static int walk_end(int err)
{
    return err == DT_E_NOTFOUND ? DT_OK : err;
}

static void probe_strings(const struct dt *dt, struct platform *out)
{
    const char *s;
    if (dt_prop_str(dt, dt_root(dt), "model", &s) == DT_OK) /* 2.3.2 */
        out->model_truncated = copy_str(out->model, sizeof(out->model), s);
    int chosen = dt_path(dt, "/chosen");
    if (chosen >= 0 && dt_prop_str(dt, chosen, "bootargs", &s) == DT_OK) /* 3.6 */
        out->bootargs_truncated = copy_str(out->bootargs, sizeof(out->bootargs), s);
}

/* 3.4: RAM is every reg entry of every node with device_type = "memory".
 * Disabled nodes are skipped (QEMU's secure=on lists the secure RAM as
 * status = "disabled"). A zero-size entry is a placeholder that firmware
 * was meant to fill in (the Pi 4 tree ships "reg = <0 0 0>"), not RAM. */
static int probe_memory(const struct dt *dt, struct platform *out)
{
    int node;
    for (node = next_node(dt, -1); node >= 0; node = next_node(dt, node)) {
        const char *type;
        if (dt_prop_str(dt, node, "device_type", &type) < 0 || !streq(type, "memory"))
            continue;
        if (!dt_node_enabled(dt, node))
            continue;
        uint64_t base, size;
        /* dt_reg fails with DT_E_NOTFOUND past the last entry; a malformed
         * reg ends this node's list too. */
        for (uint32_t i = 0; dt_reg(dt, node, i, &base, &size) == DT_OK; i++) {
            if (size == 0) {
                out->ram_zero_size++;
            } else if (out->ram_count == PLATFORM_MAX_RAM) {
                out->ram_truncated = true;
            } else {
                out->ram[out->ram_count].base = base;
                out->ram[out->ram_count].size = size;
                out->ram_count++;
            }
        }
    }
    return walk_end(node);
}

static bool add_reserved(struct platform *out, uint64_t base, uint64_t size)
{
    if (size == 0)
        return true;
    if (out->reserved_count == PLATFORM_MAX_RESERVED)
        return false;
    out->reserved[out->reserved_count].base = base;
    out->reserved[out->reserved_count].size = size;
    out->reserved_count++;
    return true;
}

/* 5.3 and 3.5: the memory reservation block, then the static regions of
 * /reserved-memory (children with reg). Children without reg ask the OS to
 * allocate a pool (Linux CMA): nothing is reserved yet, so they are
 * ignored. Dropping a reservation could let the kernel hand out firmware
 * memory, so a full table is an error rather than a truncation. */
static int probe_reserved(const struct dt *dt, struct platform *out, bool *overflow)
{
    uint64_t base, size;
    int n = dt_num_mem_rsv(dt);
    for (int i = 0; i < n; i++) {
        int err = dt_mem_rsv(dt, (uint32_t)i, &base, &size);
        if (err < 0)
            return err;
        if (!add_reserved(out, base, size))
            *overflow = true;
    }
    int rm = dt_path(dt, "/reserved-memory");
    if (rm < 0)
        return walk_end(rm);
    int child;
    for (child = dt_first_child(dt, rm); child >= 0; child = dt_next_sibling(dt, child)) {
        if (!dt_node_enabled(dt, child))
            continue;
        for (uint32_t i = 0; dt_reg(dt, child, i, &base, &size) == DT_OK; i++)
            if (!add_reserved(out, base, size))
                *overflow = true;
    }
    return walk_end(child);
}

static enum platform_uart_kind uart_kind(const struct dt *dt, int node)
{
    if (dt_is_compatible(dt, node, "arm,pl011"))
        return PLATFORM_UART_PL011;
    if (dt_is_compatible(dt, node, "brcm,bcm2835-aux-uart"))
        return PLATFORM_UART_BCM2835_AUX;
    return PLATFORM_UART_NONE;
}

/* Use `node` as the console if it is an enabled UART we drive whose first
 * reg entry translates to a CPU address. */
static bool try_uart(const struct dt *dt, int node, struct platform *out)
{
    enum platform_uart_kind kind = uart_kind(dt, node);
    uint64_t base, size;
    if (kind == PLATFORM_UART_NONE || !dt_node_enabled(dt, node) ||
        dt_reg(dt, node, 0, &base, &size) != DT_OK)
        return false;
    out->uart.kind = kind;
    out->uart.base = base;
    out->uart.size = size;
    return true;
}

/* 3.6: /chosen/stdout-path names the console by path or alias; a ':'
 * ends the path and starts options such as "115200n8". Without a usable
 * stdout-path, fall back to the first enabled UART in document order. */
static int probe_console(const struct dt *dt, struct platform *out)
{
    int chosen = dt_path(dt, "/chosen");
    const char *path;
    if (chosen >= 0 && (dt_prop_str(dt, chosen, "stdout-path", &path) == DT_OK ||
                        dt_prop_str(dt, chosen, "linux,stdout-path", &path) == DT_OK)) {
        size_t len = 0;
        while (path[len] != '\0' && path[len] != ':')
            len++;
        int node = len > 0 ? dt_path_n(dt, path, len) : DT_E_NOTFOUND;
        if (node >= 0 && try_uart(dt, node, out)) {
            out->uart.from_stdout_path = true;
            return DT_OK;
        }
    }
    int node;
    for (node = next_node(dt, -1); node >= 0; node = next_node(dt, node))
        if (try_uart(dt, node, out))
            return DT_OK;
    return walk_end(node);
}

/* GIC bindings: reg[0] is the distributor; reg[1] is the CPU interface on
 * v2 and the first redistributor region on v3. */
static int probe_gic(const struct dt *dt, struct platform *out)
{
    static const struct {
        const char *compat;
        uint32_t version;
    } gics[] = {
        {"arm,gic-400", 2},
        {"arm,cortex-a15-gic", 2},
        {"arm,cortex-a7-gic", 2},
        {"arm,gic-v3", 3},
    };
    int node;
    for (node = next_node(dt, -1); node >= 0; node = next_node(dt, node)) {
        uint32_t version = 0;
        for (size_t i = 0; i < sizeof(gics) / sizeof(gics[0]) && version == 0; i++)
            if (dt_is_compatible(dt, node, gics[i].compat))
                version = gics[i].version;
        uint64_t db, ds, cb, cs;
        if (version == 0 || !dt_node_enabled(dt, node) || dt_reg(dt, node, 0, &db, &ds) != DT_OK ||
            dt_reg(dt, node, 1, &cb, &cs) != DT_OK)
            continue;
        out->gic.version = version;
        out->gic.dist_base = db;
        out->gic.dist_size = ds;
        if (version == 2) {
            out->gic.cpu_base = cb;
            out->gic.cpu_size = cs;
        } else {
            out->gic.redist_base = cb;
            out->gic.redist_size = cs;
        }
        return DT_OK;
    }
    return walk_end(node);
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
 * physical, non-secure physical, virtual, hypervisor. A malformed or
 * unusual description leaves the timer absent; the kernel then falls back
 * to the architecturally recommended PPIs. */
static int probe_timer(const struct dt *dt, struct platform *out)
{
    int node;
    for (node = next_node(dt, -1); node >= 0; node = next_node(dt, node))
        if ((dt_is_compatible(dt, node, "arm,armv8-timer") ||
             dt_is_compatible(dt, node, "arm,armv7-timer")) &&
            dt_node_enabled(dt, node))
            break;
    if (node < 0)
        return walk_end(node);
    int ic = dt_interrupt_parent(dt, node);
    uint32_t ncells;
    const void *val;
    uint32_t len;
    if (ic < 0 || dt_prop_u32(dt, ic, "#interrupt-cells", &ncells) != DT_OK || ncells != 3 ||
        dt_prop(dt, node, "interrupts", &val, &len) != DT_OK || len % 12 != 0 || len < 3 * 12)
        return DT_OK;
    const uint8_t *p = (const uint8_t *)val;
    uint32_t phys, virt;
    if (!ppi_intid(p + 12, &phys) || !ppi_intid(p + 24, &virt))
        return DT_OK;
    out->timer.present = true;
    out->timer.phys_intid = phys;
    out->timer.virt_intid = virt;
    uint32_t freq;
    if (dt_prop_u32(dt, node, "clock-frequency", &freq) == DT_OK)
        out->timer.clock_frequency = freq;
    return DT_OK;
}

/* PSCI binding: the most specific compatible gives the version; "method"
 * the conduit. PSCI 0.2 and later fix the function IDs; 0.1 has no
 * SYSTEM_OFF/RESET at all. An unknown method makes PSCI unusable. */
static int probe_psci(const struct dt *dt, struct platform *out)
{
    static const struct {
        const char *compat;
        uint32_t major, minor;
    } psci[] = {
        {"arm,psci-1.0", 1, 0},
        {"arm,psci-0.2", 0, 2},
        {"arm,psci", 0, 1},
    };
    for (size_t i = 0; i < sizeof(psci) / sizeof(psci[0]); i++) {
        int node = dt_find_compatible(dt, -1, psci[i].compat);
        if (node == DT_E_NOTFOUND)
            continue;
        if (node < 0)
            return node;
        const char *method;
        if (!dt_node_enabled(dt, node) || dt_prop_str(dt, node, "method", &method) != DT_OK)
            return DT_OK;
        if (streq(method, "hvc"))
            out->psci.conduit = PLATFORM_PSCI_HVC;
        else if (streq(method, "smc"))
            out->psci.conduit = PLATFORM_PSCI_SMC;
        else
            return DT_OK;
        out->psci.version_major = psci[i].major;
        out->psci.version_minor = psci[i].minor;
        if (psci[i].major > 0 || psci[i].minor >= 2) {
            out->psci.fn_system_off = PSCI_0_2_FN_SYSTEM_OFF;
            out->psci.fn_system_reset = PSCI_0_2_FN_SYSTEM_RESET;
        }
        return DT_OK;
    }
    return DT_OK;
}

int platform_probe(const void *dtb, size_t max_size, struct platform *out)
{
    if (out == NULL)
        return DT_E_BADARG;
    zero_platform(out);
    struct dt dt;
    int err = dt_init(&dt, dtb, max_size);
    if (err < 0)
        return err;
    out->dtb_size = dt.totalsize;
    bool overflow = false;
    probe_strings(&dt, out);
    err = probe_memory(&dt, out);
    if (err == DT_OK)
        err = probe_reserved(&dt, out, &overflow);
    if (err == DT_OK)
        err = probe_console(&dt, out);
    if (err == DT_OK)
        err = probe_gic(&dt, out);
    if (err == DT_OK)
        err = probe_timer(&dt, out);
    if (err == DT_OK)
        err = probe_psci(&dt, out);
    if (err < 0) {
        zero_platform(out); /* a fault inside a validated tree: trust nothing */
        return err;
    }
    /* Everything was probed, so on the errors below *out still holds the
     * console (if any) for the kernel to report the problem on. */
    if (out->ram_count == 0)
        return PLATFORM_E_NO_MEMORY;
    if (overflow)
        return PLATFORM_E_TOO_MANY_RESERVED;
    if (out->uart.kind == PLATFORM_UART_NONE)
        return PLATFORM_E_NO_CONSOLE;
    if (out->gic.version == 0)
        return PLATFORM_E_NO_GIC;
    return DT_OK;
}

const char *platform_strerror(int err)
{
    switch (err) {
    case PLATFORM_E_NO_MEMORY:
        return "no memory node with a usable range";
    case PLATFORM_E_NO_CONSOLE:
        return "no usable console UART";
    case PLATFORM_E_NO_GIC:
        return "no usable GIC";
    case PLATFORM_E_TOO_MANY_RESERVED:
        return "too many reserved ranges";
    default:
        return dt_strerror(err);
    }
}
