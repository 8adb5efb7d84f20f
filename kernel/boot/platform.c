/* SPDX-License-Identifier: MIT */
/* Platform discovery from the boot device tree (see platform.h). One walk
 * over every node classifies each from a single look at its properties
 * against the arch's driver table and remembers the first candidate of each
 * class; the chosen nodes are then read by their drivers' probes, and
 * memory, reservations and the strings by the code here. None of it fails
 * the whole probe for a missing optional device. Freestanding like fdt.c:
 * no libc, no globals, no allocation. Section numbers refer to the
 * Devicetree Specification v0.4. */
#include "boot/platform.h"
#include "lib/fdt.h"

/* Both strings are NUL-terminated: s comes from a checked string property. */
bool platform_streq(const char *a, const char *b)
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

/* Rows of the driver table as bits (PLATFORM_MAX_DRIVERS at most), and the
 * rows of each class. Classes other than power count only on an enabled
 * node (2.3.4); PSCI is looked up whatever its status: a disabled PSCI node
 * means no PSCI. So does memory. */
typedef uint32_t row_mask;
_Static_assert(PLATFORM_MAX_DRIVERS <= 32, "row masks are 32 bits");

struct rows {
    unsigned count;
    row_mask of_class[PLATFORM_CLASSES];
    row_mask need_enabled;
};

static void rows_init(struct rows *r)
{
    r->count = platform_driver_count < PLATFORM_MAX_DRIVERS ? platform_driver_count
                                                             : PLATFORM_MAX_DRIVERS;
    for (unsigned c = 0; c < PLATFORM_CLASSES; c++)
        r->of_class[c] = 0;
    for (unsigned i = 0; i < r->count; i++)
        if (platform_drivers[i].platform_class < PLATFORM_CLASSES)
            r->of_class[platform_drivers[i].platform_class] |= (row_mask)1 << i;
    r->need_enabled = ~r->of_class[PLATFORM_POWER];
}

/* The rows named by a compatible value. 2.3.1: a list of NUL-terminated
 * strings; like dt_is_compatible, a string that runs off the end of the
 * value ends the list unmatched. */
static row_mask compat_rows(const struct rows *r, const char *s, uint32_t len)
{
    row_mask rows = 0;
    uint32_t pos = 0;
    while (pos < len) {
        size_t n = bounded_len(s + pos, len - pos);
        if (n == len - pos)
            break;
        for (unsigned i = 0; i < r->count; i++)
            if (streq_n(s + pos, n, platform_drivers[i].compatible))
                rows |= (row_mask)1 << i;
        pos += (uint32_t)n + 1;
    }
    return rows;
}

/* What a node is: the driver rows it matches, and whether it is RAM. */
struct node_kind {
    row_mask rows;
    bool memory;
};

/* One look at the node's properties: the first "compatible" and the first
 * "device_type" (the ones dt_prop would find) give its kind; an enabled
 * check follows only for the few nodes that are something. Malformed data
 * makes a node nothing, as the reader's predicates do; a fault in the tree
 * itself is left for the walk to report. */
static struct node_kind classify(const struct dt *dt, const struct rows *r, int node)
{
    struct node_kind k = {0, false};
    bool compat_seen = false, type_seen = false;
    for (int p = dt_first_prop(dt, node); p >= 0 && !(compat_seen && type_seen);
         p = dt_next_prop(dt, p)) {
        const char *name;
        const void *val;
        uint32_t len;
        if (dt_prop_at(dt, p, &name, &val, &len) < 0)
            break;
        const char *s = (const char *)val;
        if (!compat_seen && platform_streq(name, "compatible")) {
            compat_seen = true;
            k.rows = compat_rows(r, s, len);
        } else if (!type_seen && platform_streq(name, "device_type")) {
            type_seen = true;
            if (bounded_len(s, len) < len && platform_streq(s, "memory"))
                k.memory = true;
        }
    }
    if ((k.memory || (k.rows & r->need_enabled) != 0) && !dt_node_enabled(dt, node)) {
        k.memory = false;
        k.rows &= ~r->need_enabled;
    }
    return k;
}

/* The next node after `node` in document order matching one of `rows`:
 * the walk resumed past a candidate that proved unusable. */
static int next_of_rows(const struct dt *dt, const struct rows *r, int node, row_mask rows)
{
    do
        node = next_node(dt, node);
    while (node >= 0 && (classify(dt, r, node).rows & rows) == 0);
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

/* What the walk found, in document order, or DT_E_NOTFOUND: the first node
 * of each class (enabled where the class needs it), and the first node
 * matching each row (for power, chosen by row). RAM is recorded during the
 * walk, as every memory node counts. */
struct found {
    int chosen, reserved_memory; /* "/chosen", "/reserved-memory" */
    int first_of_class[PLATFORM_CLASSES];
    int first_of_row[PLATFORM_MAX_DRIVERS];
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
static int scan(const struct dt *dt, const struct rows *r, struct found *f, struct platform *out)
{
    f->chosen = f->reserved_memory = DT_E_NOTFOUND;
    for (unsigned c = 0; c < PLATFORM_CLASSES; c++)
        f->first_of_class[c] = DT_E_NOTFOUND;
    for (unsigned i = 0; i < PLATFORM_MAX_DRIVERS; i++)
        f->first_of_row[i] = DT_E_NOTFOUND;
    int depth = 0, node;
    for (node = dt_next_node(dt, -1, &depth); node >= 0; node = dt_next_node(dt, node, &depth)) {
        const char *name;
        int len = depth == 1 ? dt_node_name(dt, node, &name) : -1;
        if (len >= 0 && named(name, len, "chosen"))
            keep_first(&f->chosen, node);
        if (len >= 0 && named(name, len, "reserved-memory"))
            keep_first(&f->reserved_memory, node);
        struct node_kind k = classify(dt, r, node);
        if (k.memory)
            add_memory(dt, node, out);
        if (k.rows == 0)
            continue;
        for (unsigned c = 0; c < PLATFORM_CLASSES; c++)
            if ((k.rows & r->of_class[c]) != 0)
                keep_first(&f->first_of_class[c], node);
        for (unsigned i = 0; i < r->count; i++)
            if ((k.rows & ((row_mask)1 << i)) != 0)
                keep_first(&f->first_of_row[i], node);
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

bool platform_read_regs(const struct dt *dt, int node, unsigned count, struct platform_device *out)
{
    if (count > PLATFORM_DEVICE_REGS)
        return false;
    for (unsigned i = 0; i < count; i++)
        if (dt_reg(dt, node, i, &out->reg[i].base, &out->reg[i].size) != DT_OK)
            return false;
    out->reg_count = count;
    return true;
}

static void zero_device(struct platform_device *d)
{
    unsigned char *b = (unsigned char *)d;
    for (size_t i = 0; i < sizeof(*d); i++)
        b[i] = 0;
}

static struct platform_device *device_of(struct platform *p, enum platform_class c)
{
    switch (c) {
    case PLATFORM_CONSOLE:
        return &p->console;
    case PLATFORM_IRQCHIP:
        return &p->irqchip;
    case PLATFORM_TIMER:
        return &p->timer;
    default:
        return &p->power;
    }
}

/* Let the driver of table row `row` read `node` into its class's device;
 * false (and the device left empty) if the node is unusable. */
static bool try_row(const struct dt *dt, unsigned row, int node, struct platform *out)
{
    const struct platform_driver *drv = &platform_drivers[row];
    struct platform_device *d = device_of(out, (enum platform_class)drv->platform_class);
    zero_device(d);
    d->driver = drv->id;
    if (drv->probe && !drv->probe(dt, node, d)) {
        zero_device(d);
        return false;
    }
    return true;
}

/* Use `node` for class c through the first row of c it matches, if any. */
static bool try_node(const struct dt *dt, const struct rows *r, enum platform_class c, int node,
                     struct platform *out)
{
    row_mask rows = classify(dt, r, node).rows & r->of_class[c];
    if (rows == 0)
        return false;
    return try_row(dt, (unsigned)__builtin_ctz(rows), node, out);
}

/* Console, interrupt controller: the first node in document order that its
 * driver can use. Timer: the first node only; if its driver cannot read it
 * the timer is absent (and the kernel uses its fallback). */
static int probe_in_order(const struct dt *dt, const struct rows *r, const struct found *f,
                          enum platform_class c, bool retry, struct platform *out)
{
    int node;
    for (node = f->first_of_class[c]; node >= 0; node = next_of_rows(dt, r, node, r->of_class[c]))
        if (try_node(dt, r, c, node, out) || !retry)
            return DT_OK;
    return walk_end(node);
}

/* 3.6: /chosen/stdout-path names the console by path or alias; a ':'
 * ends the path and starts options such as "115200n8". Without a usable
 * stdout-path, fall back to the first usable console in document order. */
static int probe_console(const struct dt *dt, const struct rows *r, const struct found *f,
                         struct platform *out)
{
    const char *path;
    if (f->chosen >= 0 && (dt_prop_str(dt, f->chosen, "stdout-path", &path) == DT_OK ||
                           dt_prop_str(dt, f->chosen, "linux,stdout-path", &path) == DT_OK)) {
        size_t len = 0;
        while (path[len] != '\0' && path[len] != ':')
            len++;
        int node = len > 0 ? dt_path_n(dt, path, len) : DT_E_NOTFOUND;
        if (node >= 0 && try_node(dt, r, PLATFORM_CONSOLE, node, out)) {
            out->console.from_stdout_path = true;
            return DT_OK;
        }
    }
    return probe_in_order(dt, r, f, PLATFORM_CONSOLE, true, out);
}

/* Power firmware is chosen by row, not by document order: the first node
 * with the most preferred compatible any node has decides. If it is
 * disabled, or its driver cannot use it, there is none. */
static void probe_power(const struct dt *dt, const struct rows *r, const struct found *f,
                        struct platform *out)
{
    for (unsigned i = 0; i < r->count; i++) {
        int node = f->first_of_row[i];
        if ((r->of_class[PLATFORM_POWER] & ((row_mask)1 << i)) == 0 || node < 0)
            continue;
        if (dt_node_enabled(dt, node))
            (void)try_row(dt, i, node, out);
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
    struct rows r;
    rows_init(&r);
    struct found f;
    err = scan(&dt, &r, &f, out);
    if (err == DT_OK) {
        probe_strings(&dt, &f, out);
        err = probe_reserved(&dt, f.reserved_memory, out, &overflow);
    }
    if (err == DT_OK)
        err = probe_console(&dt, &r, &f, out);
    if (err == DT_OK)
        err = probe_in_order(&dt, &r, &f, PLATFORM_IRQCHIP, true, out);
    if (err == DT_OK)
        err = probe_in_order(&dt, &r, &f, PLATFORM_TIMER, false, out);
    if (err == DT_OK)
        probe_power(&dt, &r, &f, out);
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
    if (out->console.driver == 0)
        return PLATFORM_E_NO_CONSOLE;
    if (out->irqchip.driver == 0)
        return PLATFORM_E_NO_IRQCHIP;
    return DT_OK;
}

const char *platform_strerror(int err)
{
    switch (err) {
    case PLATFORM_E_NO_MEMORY:
        return "no memory node with a usable range";
    case PLATFORM_E_NO_CONSOLE:
        return "no usable console UART";
    case PLATFORM_E_NO_IRQCHIP:
        return "no usable interrupt controller";
    case PLATFORM_E_TOO_MANY_RESERVED:
        return "too many reserved ranges";
    default:
        return dt_strerror(err);
    }
}
