/* SPDX-License-Identifier: MIT */
/* Platform discovery from the boot device tree (see platform.h). One walk
 * over every node classifies each from a single look at its properties and
 * remembers the first candidate of each kind; the probe_* functions then
 * read the few chosen nodes with the fdt.c reader and record them in struct
 * platform. None of them fails the whole probe for a missing optional
 * device. Freestanding like fdt.c: no libc, no globals, no allocation.
 * Section numbers refer to the Devicetree Specification v0.4. */
#include "boot/platform.h"
#include "lib/fdt.h"

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

/* Does the counted string s[0..n) (no NUL inside) equal the C string c? */
static bool streq_n(const char *s, size_t n, const char *c)
{
    for (size_t i = 0; i < n; i++)
        if (c[i] != s[i]) /* also stops at c's NUL, as s[i] is no NUL */
            return false;
    return c[n] == '\0';
}

/* Index of the first NUL in s[0..max), or max if there is none. */
static size_t bounded_len(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n] != '\0')
        n++;
    return n;
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

/* ---- classifying nodes -------------------------------------------------- */

/* What a node is, as far as the probe cares: a set of these bits, from
 * device_type (memory) and from compatible (compat_kinds[]). A node that is
 * both a PL011 and a mini-UART counts as a PL011, one that is both a GICv2
 * and a GICv3 as a GICv2. */
enum node_kind {
    KIND_MEMORY = 1u << 0,
    KIND_PL011 = 1u << 1,
    KIND_AUX_UART = 1u << 2,
    KIND_GIC_V2 = 1u << 3,
    KIND_GIC_V3 = 1u << 4,
    KIND_TIMER = 1u << 5,
    KIND_PSCI_1_0 = 1u << 6,
    KIND_PSCI_0_2 = 1u << 7,
    KIND_PSCI_0_1 = 1u << 8,
    KIND_UART = KIND_PL011 | KIND_AUX_UART,
    KIND_GIC = KIND_GIC_V2 | KIND_GIC_V3,
    /* Kinds that count only on an enabled node (2.3.4). PSCI is looked up
     * whatever its status: a disabled PSCI node means no PSCI. */
    KIND_NEED_ENABLED = KIND_MEMORY | KIND_UART | KIND_GIC | KIND_TIMER,
};

static const struct {
    const char *compat;
    unsigned kind;
} compat_kinds[] = {
    {"arm,pl011", KIND_PL011},
    {"brcm,bcm2835-aux-uart", KIND_AUX_UART}, /* the Pi's mini-UART */
    {"arm,gic-400", KIND_GIC_V2},
    {"arm,cortex-a15-gic", KIND_GIC_V2},
    {"arm,cortex-a7-gic", KIND_GIC_V2},
    {"arm,gic-v3", KIND_GIC_V3},
    {"arm,armv8-timer", KIND_TIMER},
    {"arm,armv7-timer", KIND_TIMER},
    {"arm,psci-1.0", KIND_PSCI_1_0},
    {"arm,psci-0.2", KIND_PSCI_0_2},
    {"arm,psci", KIND_PSCI_0_1},
};

/* The kinds named by a compatible value. 2.3.1: a list of NUL-terminated
 * strings; like dt_is_compatible, a string that runs off the end of the
 * value ends the list unmatched. */
static unsigned compat_kind(const char *s, uint32_t len)
{
    unsigned kind = 0;
    uint32_t pos = 0;
    while (pos < len) {
        size_t n = bounded_len(s + pos, len - pos);
        if (n == len - pos)
            break;
        for (size_t i = 0; i < sizeof(compat_kinds) / sizeof(compat_kinds[0]); i++)
            if (streq_n(s + pos, n, compat_kinds[i].compat))
                kind |= compat_kinds[i].kind;
        pos += (uint32_t)n + 1;
    }
    return kind;
}

/* One look at the node's properties: the first "compatible" and the first
 * "device_type" (the ones dt_prop would find) give its kinds; an enabled
 * check follows only for the few nodes that are something. Malformed data
 * makes a node nothing, as the reader's predicates do; a fault in the tree
 * itself is left for the walk to report. */
static unsigned classify(const struct dt *dt, int node)
{
    unsigned kind = 0;
    bool compat_seen = false, type_seen = false;
    for (int p = dt_first_prop(dt, node); p >= 0 && !(compat_seen && type_seen);
         p = dt_next_prop(dt, p)) {
        const char *name;
        const void *val;
        uint32_t len;
        if (dt_prop_at(dt, p, &name, &val, &len) < 0)
            break;
        const char *s = (const char *)val;
        if (!compat_seen && streq(name, "compatible")) {
            compat_seen = true;
            kind |= compat_kind(s, len);
        } else if (!type_seen && streq(name, "device_type")) {
            type_seen = true;
            if (bounded_len(s, len) < len && streq(s, "memory"))
                kind |= KIND_MEMORY;
        }
    }
    if ((kind & KIND_NEED_ENABLED) != 0 && !dt_node_enabled(dt, node))
        kind &= ~(unsigned)KIND_NEED_ENABLED;
    return kind;
}

/* The next node after `node` in document order of one of the kinds in
 * `mask`: the walk resumed past a candidate that proved unusable. */
static int next_of_kind(const struct dt *dt, int node, unsigned mask)
{
    do
        node = next_node(dt, node);
    while (node >= 0 && (classify(dt, node) & mask) == 0);
    return node;
}

/* Does a node called n[0..len) answer to "/name" as dt_path resolves it
 * below the root: `name` itself or `name@unit` (2.2.3)? The first child of
 * the root that does is the one. */
static bool named(const char *n, int len, const char *name)
{
    for (int i = 0; i < len; i++) {
        if (name[i] == '\0')
            return n[i] == '@';
        if (n[i] != name[i])
            return false;
    }
    return name[len] == '\0';
}

/* What the walk found: the first node of each kind, in document order, or
 * DT_E_NOTFOUND. RAM is recorded during the walk, as every memory node
 * counts. */
struct found {
    int chosen, reserved_memory; /* "/chosen", "/reserved-memory" */
    int uart, gic, timer;        /* enabled */
    int psci[3];                 /* per compatible, most specific first */
};

/* 3.4: RAM is every reg entry of every node with device_type = "memory".
 * Disabled nodes are skipped (QEMU's secure=on lists the secure RAM as
 * status = "disabled"). A zero-size entry is a placeholder that firmware
 * was meant to fill in (the Pi 4 tree ships "reg = <0 0 0>"), not RAM. */
static void add_memory(const struct dt *dt, int node, struct platform *out)
{
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

static void keep_first(int *slot, int node)
{
    if (*slot < 0)
        *slot = node;
}

/* The one walk over the whole tree, in document order: each node is looked
 * at once (classify) and the first of each kind kept in *f; the children
 * of the root are also matched against "/chosen" and "/reserved-memory".
 * Memory nodes are read on the spot. A walk fault is returned. */
static int scan(const struct dt *dt, struct found *f, struct platform *out)
{
    f->chosen = f->reserved_memory = f->uart = f->gic = f->timer = DT_E_NOTFOUND;
    f->psci[0] = f->psci[1] = f->psci[2] = DT_E_NOTFOUND;
    int depth = 0, node;
    for (node = dt_next_node(dt, -1, &depth); node >= 0; node = dt_next_node(dt, node, &depth)) {
        const char *name;
        int len = depth == 1 ? dt_node_name(dt, node, &name) : -1;
        if (len >= 0 && named(name, len, "chosen"))
            keep_first(&f->chosen, node);
        if (len >= 0 && named(name, len, "reserved-memory"))
            keep_first(&f->reserved_memory, node);
        unsigned kind = classify(dt, node);
        if (kind == 0)
            continue;
        if ((kind & KIND_MEMORY) != 0)
            add_memory(dt, node, out);
        if ((kind & KIND_UART) != 0)
            keep_first(&f->uart, node);
        if ((kind & KIND_GIC) != 0)
            keep_first(&f->gic, node);
        if ((kind & KIND_TIMER) != 0)
            keep_first(&f->timer, node);
        if ((kind & KIND_PSCI_1_0) != 0)
            keep_first(&f->psci[0], node);
        if ((kind & KIND_PSCI_0_2) != 0)
            keep_first(&f->psci[1], node);
        if ((kind & KIND_PSCI_0_1) != 0)
            keep_first(&f->psci[2], node);
    }
    return walk_end(node);
}

/* ---- reading the chosen nodes ------------------------------------------- */

static void probe_strings(const struct dt *dt, const struct found *f, struct platform *out)
{
    const char *s;
    if (dt_prop_str(dt, dt_root(dt), "model", &s) == DT_OK) /* 2.3.2 */
        out->model_truncated = copy_str(out->model, sizeof(out->model), s);
    if (f->chosen >= 0 && dt_prop_str(dt, f->chosen, "bootargs", &s) == DT_OK) /* 3.6 */
        out->bootargs_truncated = copy_str(out->bootargs, sizeof(out->bootargs), s);
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
static int probe_reserved(const struct dt *dt, int rm, struct platform *out, bool *overflow)
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
    if (rm < 0)
        return DT_OK;
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

/* Use `node` as the console if it is an enabled UART we drive whose first
 * reg entry translates to a CPU address. */
static bool try_uart(const struct dt *dt, int node, struct platform *out)
{
    unsigned kind = classify(dt, node);
    uint64_t base, size;
    if ((kind & KIND_UART) == 0 || dt_reg(dt, node, 0, &base, &size) != DT_OK)
        return false;
    out->uart.kind = (kind & KIND_PL011) != 0 ? PLATFORM_UART_PL011 : PLATFORM_UART_BCM2835_AUX;
    out->uart.base = base;
    out->uart.size = size;
    return true;
}

/* 3.6: /chosen/stdout-path names the console by path or alias; a ':'
 * ends the path and starts options such as "115200n8". Without a usable
 * stdout-path, fall back to the first enabled UART in document order. */
static int probe_console(const struct dt *dt, const struct found *f, struct platform *out)
{
    const char *path;
    if (f->chosen >= 0 && (dt_prop_str(dt, f->chosen, "stdout-path", &path) == DT_OK ||
                           dt_prop_str(dt, f->chosen, "linux,stdout-path", &path) == DT_OK)) {
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
    for (node = f->uart; node >= 0; node = next_of_kind(dt, node, KIND_UART))
        if (try_uart(dt, node, out))
            return DT_OK;
    return walk_end(node);
}

/* GIC bindings: reg[0] is the distributor; reg[1] is the CPU interface on
 * v2 and the first redistributor region on v3. The first enabled GIC with
 * both is used. */
static int probe_gic(const struct dt *dt, const struct found *f, struct platform *out)
{
    int node;
    for (node = f->gic; node >= 0; node = next_of_kind(dt, node, KIND_GIC)) {
        uint32_t version = (classify(dt, node) & KIND_GIC_V2) != 0 ? 2 : 3;
        uint64_t db, ds, cb, cs;
        if (dt_reg(dt, node, 0, &db, &ds) != DT_OK || dt_reg(dt, node, 1, &cb, &cs) != DT_OK)
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
 * physical, non-secure physical, virtual, hypervisor. Only the first
 * enabled timer is read: a malformed or unusual description leaves the
 * timer absent, and the kernel then falls back to the architecturally
 * recommended PPIs. */
static void probe_timer(const struct dt *dt, int node, struct platform *out)
{
    if (node < 0)
        return;
    int ic = dt_interrupt_parent(dt, node);
    uint32_t ncells;
    const void *val;
    uint32_t len;
    if (ic < 0 || dt_prop_u32(dt, ic, "#interrupt-cells", &ncells) != DT_OK || ncells != 3 ||
        dt_prop(dt, node, "interrupts", &val, &len) != DT_OK || len % 12 != 0 || len < 3 * 12)
        return;
    const uint8_t *p = (const uint8_t *)val;
    uint32_t phys, virt;
    if (!ppi_intid(p + 12, &phys) || !ppi_intid(p + 24, &virt))
        return;
    out->timer.present = true;
    out->timer.phys_intid = phys;
    out->timer.virt_intid = virt;
    uint32_t freq;
    if (dt_prop_u32(dt, node, "clock-frequency", &freq) == DT_OK)
        out->timer.clock_frequency = freq;
}

/* PSCI binding: the most specific compatible gives the version; "method"
 * the conduit. The first node with the most specific compatible any node
 * has decides: if it is disabled, there is no PSCI. PSCI 0.2 and later fix
 * the function IDs; 0.1 has no SYSTEM_OFF/RESET at all. An unknown method
 * makes PSCI unusable. */
static void probe_psci(const struct dt *dt, const struct found *f, struct platform *out)
{
    static const struct {
        uint32_t major, minor;
    } psci[] = {{1, 0}, {0, 2}, {0, 1}}; /* as found->psci[] */
    for (size_t i = 0; i < sizeof(psci) / sizeof(psci[0]); i++) {
        int node = f->psci[i];
        if (node < 0)
            continue;
        const char *method;
        if (!dt_node_enabled(dt, node) || dt_prop_str(dt, node, "method", &method) != DT_OK)
            return;
        if (streq(method, "hvc"))
            out->psci.conduit = PLATFORM_PSCI_HVC;
        else if (streq(method, "smc"))
            out->psci.conduit = PLATFORM_PSCI_SMC;
        else
            return;
        out->psci.version_major = psci[i].major;
        out->psci.version_minor = psci[i].minor;
        if (psci[i].major > 0 || psci[i].minor >= 2) {
            out->psci.fn_system_off = PSCI_0_2_FN_SYSTEM_OFF;
            out->psci.fn_system_reset = PSCI_0_2_FN_SYSTEM_RESET;
        }
        return;
    }
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
    struct found f;
    err = scan(&dt, &f, out);
    if (err == DT_OK) {
        probe_strings(&dt, &f, out);
        err = probe_reserved(&dt, f.reserved_memory, out, &overflow);
    }
    if (err == DT_OK)
        err = probe_console(&dt, &f, out);
    if (err == DT_OK)
        err = probe_gic(&dt, &f, out);
    if (err == DT_OK) {
        probe_timer(&dt, f.timer, out);
        probe_psci(&dt, &f, out);
    }
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
