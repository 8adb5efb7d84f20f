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
    row_mask fallback; /* rows without a compatible string */
};

static void rows_init(struct rows *r)
{
    r->count = platform_driver_count < PLATFORM_MAX_DRIVERS ? platform_driver_count
                                                             : PLATFORM_MAX_DRIVERS;
    for (unsigned c = 0; c < PLATFORM_CLASSES; c++)
        r->of_class[c] = 0;
    r->fallback = 0;
    for (unsigned i = 0; i < r->count; i++) {
        if (platform_drivers[i].compatible == NULL)
            r->fallback |= (row_mask)1 << i;
        else if (platform_drivers[i].platform_class < PLATFORM_CLASSES)
            r->of_class[platform_drivers[i].platform_class] |= (row_mask)1 << i;
    }
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
            if (((r->fallback >> i) & 1) == 0 && streq_n(s + pos, n, platform_drivers[i].compatible))
                rows |= (row_mask)1 << i;
        pos += (uint32_t)n + 1;
    }
    return rows;
}

/* What a node is: the driver rows it matches, whether it is RAM, and what
 * the interrupt tree needs: its phandle, its own interrupt-parent (0 for
 * none) and whether it has #interrupt-cells. */
struct node_kind {
    row_mask rows;
    bool memory, icells;
    uint32_t phandle, iparent;
};

/* The value of a 4-byte property, or 0. */
static uint32_t u32_or_0(const void *val, uint32_t len)
{
    return len == 4 ? dt_be32(val) : 0;
}

/* One look at the node's properties: the first "compatible" and the first
 * "device_type" (the ones dt_prop would find) give its kind; an enabled
 * check follows only for the few nodes that are something. Malformed data
 * makes a node nothing, as the reader's predicates do; a fault in the tree
 * itself is left for the walk to report. "phandle" and "interrupt-parent"
 * are noted on the way (the older "linux,phandle" is not: the interrupt
 * tree is then resolved by the reader, more slowly). */
static struct node_kind classify(const struct dt *dt, const struct rows *r, int node)
{
    struct node_kind k = {0, false, false, 0, 0};
    bool compat_seen = false, type_seen = false, ph_seen = false, ip_seen = false;
    for (int p = dt_first_prop(dt, node); p >= 0; p = dt_next_prop(dt, p)) {
        const char *name;
        const void *val;
        uint32_t len;
        if (dt_prop_at(dt, p, &name, &val, &len) < 0)
            break;
        const char *s = (const char *)val;
        if (name[0] == 'c' && !compat_seen && platform_streq(name, "compatible")) {
            compat_seen = true;
            k.rows = compat_rows(r, s, len);
        } else if (name[0] == 'd' && !type_seen && platform_streq(name, "device_type")) {
            type_seen = true;
            if (bounded_len(s, len) < len && platform_streq(s, "memory"))
                k.memory = true;
        } else if (name[0] == 'p' && !ph_seen && platform_streq(name, "phandle")) {
            ph_seen = true;
            k.phandle = u32_or_0(val, len);
        } else if (name[0] == 'i' && !ip_seen && platform_streq(name, "interrupt-parent")) {
            ip_seen = true;
            k.iparent = u32_or_0(val, len);
        } else if (name[0] == '#' && platform_streq(name, "#interrupt-cells")) {
            k.icells = true;
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
 * walk, as every memory node counts. So is what spares the interrupt tree
 * the reader's searches from the root: the node the root's
 * interrupt-parent names, and whether each class's first node is a child
 * of the root with no interrupt-parent of its own (so that its interrupt
 * parent is the root's, 2.4). */
struct found {
    int chosen, reserved_memory, cpus; /* "/chosen", "/reserved-memory", "/cpus" */
    int first_of_class[PLATFORM_CLASSES];
    bool first_inherits_root[PLATFORM_CLASSES];
    int first_of_row[PLATFORM_MAX_DRIVERS];
    uint32_t root_iparent; /* the root's interrupt-parent phandle, 0: none */
    int root_iparent_node; /* its node if the walk met it, else DT_E_NOTFOUND */
    bool root_icells;      /* the root has #interrupt-cells (then it is the parent) */
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
    f->chosen = f->reserved_memory = f->cpus = DT_E_NOTFOUND;
    f->root_iparent = 0;
    f->root_iparent_node = DT_E_NOTFOUND;
    f->root_icells = false;
    for (unsigned c = 0; c < PLATFORM_CLASSES; c++) {
        f->first_of_class[c] = DT_E_NOTFOUND;
        f->first_inherits_root[c] = false;
    }
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
        if (len >= 0 && named(name, len, "cpus"))
            keep_first(&f->cpus, node);
        struct node_kind k = classify(dt, r, node);
        if (depth == 0) {
            f->root_iparent = k.iparent;
            f->root_icells = k.icells;
        }
        if (k.phandle != 0 && k.phandle == f->root_iparent)
            keep_first(&f->root_iparent_node, node);
        if (k.memory)
            add_memory(dt, node, out);
        if (k.rows == 0)
            continue;
        for (unsigned c = 0; c < PLATFORM_CLASSES; c++)
            if ((k.rows & r->of_class[c]) != 0 && f->first_of_class[c] < 0) {
                f->first_of_class[c] = node;
                f->first_inherits_root[c] = depth == 1 && k.iparent == 0;
            }
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

/* The distance between [a, a+as) and [b, b+bs): 0 if they touch or overlap. */
static uint64_t gap(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
    if (a + as < b)
        return b - (a + as);
    if (b + bs < a)
        return a - (b + bs);
    return 0;
}

/* [base, base+size) joins range i: the result covers both and the gap. */
static void merge_into(struct platform_range *r, uint64_t base, uint64_t size)
{
    uint64_t end = r->base + r->size > base + size ? r->base + r->size : base + size;
    if (base < r->base)
        r->base = base;
    r->size = end - r->base;
}

/* Record a reservation. With the table full, the range is merged with the
 * entry nearest to it, so no reservation is ever dropped: the cost of a
 * tree with very many is some RAM between them left unused. */
static void add_reserved(struct platform *out, uint64_t base, uint64_t size)
{
    if (size == 0)
        return;
    if (out->reserved_count < PLATFORM_MAX_RESERVED) {
        out->reserved[out->reserved_count].base = base;
        out->reserved[out->reserved_count].size = size;
        out->reserved_count++;
        return;
    }
    unsigned best = 0;
    uint64_t best_gap = UINT64_MAX;
    for (unsigned i = 0; i < out->reserved_count; i++) {
        uint64_t g = gap(out->reserved[i].base, out->reserved[i].size, base, size);
        if (g < best_gap) {
            best = i;
            best_gap = g;
        }
    }
    merge_into(&out->reserved[best], base, size);
    out->reserved_merged++;
}

/* 5.3 and 3.5: the memory reservation block, then the static regions of
 * /reserved-memory (children with reg). Children without reg ask the OS to
 * allocate a pool (Linux CMA): nothing is reserved yet, so they are
 * ignored. Dropping a reservation could let the kernel hand out firmware
 * memory, so a full table merges rather than truncates (add_reserved). */
static int probe_reserved(const struct dt *dt, int rm, struct platform *out)
{
    uint64_t base, size;
    int n = dt_num_mem_rsv(dt);
    for (int i = 0; i < n; i++) {
        int err = dt_mem_rsv(dt, (uint32_t)i, &base, &size);
        if (err < 0)
            return err;
        add_reserved(out, base, size);
    }
    if (rm < 0)
        return DT_OK;
    int child;
    for (child = dt_first_child(dt, rm); child >= 0; child = dt_next_sibling(dt, child)) {
        if (!dt_node_enabled(dt, child))
            continue;
        for (uint32_t i = 0; dt_reg(dt, child, i, &base, &size) == DT_OK; i++)
            add_reserved(out, base, size);
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
    d->node = node;
    if (drv->probe && !drv->probe(dt, node, out, d)) {
        zero_device(d);
        return false;
    }
    return true;
}

/* No node of class c was usable: its fallback rows, in order, with no node. */
static void probe_fallback(const struct dt *dt, const struct rows *r, enum platform_class c,
                           struct platform *out)
{
    for (unsigned i = 0; i < r->count && device_of(out, c)->driver == 0; i++)
        if (((r->fallback >> i) & 1) != 0 && platform_drivers[i].platform_class == c)
            (void)try_row(dt, i, -1, out);
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

/* ---- the early console from bootargs ------------------------------------ */

/* Parse a number as Linux's earlycon does (base 0: "0x" hex, else decimal);
 * false if s[0..n) is not one. */
static bool parse_number(const char *s, size_t n, uint64_t *out)
{
    uint64_t v = 0;
    unsigned base = 10;
    size_t i = 0;
    if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        i = 2;
    }
    if (i == n)
        return false;
    for (; i < n; i++) {
        char c = s[i];
        unsigned d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
                     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                     : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
                                            : 16;
        if (d >= base || v > (UINT64_MAX - d) / base)
            return false;
        v = v * base + d;
    }
    *out = v;
    return true;
}

/* "earlycon=NAME[,IOTYPE],ADDR[,OPTIONS]" in bootargs (Linux's
 * Documentation/admin-guide/kernel-parameters.txt, "earlycon"), for a tree
 * whose consoles the arch cannot drive: NAME must be one of the arch's
 * platform_earlycons, IOTYPE "mmio", "mmio16", "mmio32"... A bare
 * "earlycon" means stdout-path, which was tried already. */
static void probe_earlycon(struct platform *out)
{
    const char *a = out->bootargs;
    for (size_t i = 0; a[i] != '\0';) {
        while (a[i] == ' ')
            i++;
        size_t end = i;
        while (a[end] != '\0' && a[end] != ' ')
            end++;
        static const char key[] = "earlycon=";
        size_t k = 0;
        while (k < sizeof(key) - 1 && i + k < end && a[i + k] == key[k])
            k++;
        if (k == sizeof(key) - 1) {
            /* Split NAME, then IOTYPE if it looks like one, then ADDR. */
            const char *f[3];
            size_t flen[3], nf = 0;
            for (size_t at = i + k; at <= end && nf < 3;) {
                size_t e = at;
                while (e < end && a[e] != ',')
                    e++;
                f[nf] = a + at;
                flen[nf++] = e - at;
                at = e + 1;
            }
            bool has_io = nf == 3 && flen[1] >= 2 && (f[1][0] == 'm' || f[1][0] == 'i');
            const char *io = has_io ? f[1] : "";
            size_t iolen = has_io ? flen[1] : 0;
            const char *addr_s = has_io ? f[2] : nf >= 2 ? f[1] : "";
            size_t addr_len = has_io ? flen[2] : nf >= 2 ? flen[1] : 0;
            uint64_t addr;
            if (nf >= 2 && parse_number(addr_s, addr_len, &addr))
                for (unsigned e = 0; e < platform_earlycon_count; e++) {
                    const struct platform_earlycon *ec = &platform_earlycons[e];
                    if (!streq_n(f[0], flen[0], ec->name))
                        continue;
                    zero_device(&out->console);
                    out->console.driver = ec->id;
                    out->console.node = -1;
                    if (ec->setup(addr, io, iolen, &out->console)) {
                        out->console.from_earlycon = true;
                        return;
                    }
                    zero_device(&out->console);
                }
        }
        i = end;
    }
}

/* ---- the interrupt controller --------------------------------------------- */

/* The controller an "interrupt-parent" property of node names, if it has one
 * and it names another node (else -1). */
static int explicit_parent(const struct dt *dt, int node)
{
    uint32_t ph;
    if (dt_prop_u32(dt, node, "interrupt-parent", &ph) != DT_OK)
        return -1;
    int p = dt_phandle_node(dt, ph);
    return p >= 0 && p != node ? p : -1;
}

/* The root of the interrupt tree (2.4): from the root node's interrupt
 * parent, up every controller that names another as its own interrupt
 * parent (a cascade such as the Pi 3's BCM2835 controller into the
 * per-core one, or a wake-up controller in front of a GIC); -1 if the root
 * names none. */
static int interrupt_root(const struct dt *dt, const struct found *f)
{
    int c = f->root_iparent == 0 ? -1 : f->root_iparent_node >= 0 ? f->root_iparent_node
                                                                  : explicit_parent(dt, dt_root(dt));
    for (int hops = 0; c >= 0 && hops < DT_MAX_HOPS; hops++) {
        int up = explicit_parent(dt, c);
        if (up < 0)
            return c;
        c = up;
    }
    return -1;
}

/* The controller at the root of the interrupt tree if the arch drives it;
 * otherwise the first usable one in document order. */
static int probe_irqchip(const struct dt *dt, const struct rows *r, const struct found *f,
                         struct platform *out)
{
    int root = interrupt_root(dt, f);
    if (root >= 0 && try_node(dt, r, PLATFORM_IRQCHIP, root, out))
        return DT_OK;
    return probe_in_order(dt, r, f, PLATFORM_IRQCHIP, true, out);
}

/* 2.4: interrupt `index` of node: its controller and specifier. From
 * "interrupts-extended" (<phandle specifier>...), or from "interrupts" and
 * the interrupt parent. */
static bool interrupt_spec(const struct dt *dt, const struct platform *p, int node, uint32_t index,
                           int *ctrl, const uint8_t **spec, uint32_t *cells)
{
    const void *val;
    uint32_t len, n;
    if (dt_prop(dt, node, "interrupts-extended", &val, &len) == DT_OK) {
        const uint8_t *p = (const uint8_t *)val;
        for (uint32_t at = 0, i = 0; at + 4 <= len; i++) {
            int c = dt_phandle_node(dt, dt_be32(p + at));
            if (c < 0 || dt_prop_u32(dt, c, "#interrupt-cells", &n) != DT_OK || n == 0 || n > 4 ||
                4 * n > len - at - 4)
                return false;
            if (i == index) {
                *ctrl = c;
                *spec = p + at + 4;
                *cells = n;
                return true;
            }
            at += 4 + 4 * n;
        }
        return false;
    }
    int c = node == p->known_node ? p->known_parent : dt_interrupt_parent(dt, node);
    if (c < 0 || dt_prop_u32(dt, c, "#interrupt-cells", &n) != DT_OK || n == 0 || n > 4 ||
        dt_prop(dt, node, "interrupts", &val, &len) != DT_OK || len / (4 * n) <= index)
        return false;
    *ctrl = c;
    *spec = (const uint8_t *)val + 4 * n * index;
    *cells = n;
    return true;
}

bool platform_interrupt(const struct dt *dt, const struct platform *p, int node, uint32_t index,
                        uint32_t *intid)
{
    int ctrl;
    const uint8_t *spec;
    uint32_t cells;
    if (p->irqchip.driver == 0 || !interrupt_spec(dt, p, node, index, &ctrl, &spec, &cells))
        return false;
    for (unsigned i = 0; i < platform_driver_count && i < PLATFORM_MAX_DRIVERS; i++) {
        const struct platform_driver *d = &platform_drivers[i];
        if (d->platform_class == PLATFORM_IRQCHIP && d->id == p->irqchip.driver && d->interrupt)
            return d->interrupt(dt, &p->irqchip, ctrl, spec, cells, intid);
    }
    return false;
}

/* ---- CPUs ------------------------------------------------------------------- */

/* /cpus: every enabled child with device_type = "cpu" (3.7, 3.8): reg is
 * its MPIDR affinity, enable-method how to start it; "spin-table" comes
 * with a 64-bit cpu-release-addr (one or two cells). */
static int probe_cpus(const struct dt *dt, int cpus, struct platform *out)
{
    if (cpus < 0)
        return DT_OK;
    int c;
    for (c = dt_first_child(dt, cpus); c >= 0; c = dt_next_sibling(dt, c)) {
        const char *type, *method;
        uint64_t mpidr;
        if (dt_prop_str(dt, c, "device_type", &type) != DT_OK || !platform_streq(type, "cpu") ||
            !dt_node_enabled(dt, c) || dt_reg_untranslated(dt, c, 0, &mpidr, NULL) != DT_OK)
            continue;
        if (out->cpu_count == PLATFORM_MAX_CPUS) {
            out->cpus_truncated = true;
            continue;
        }
        struct platform_cpu *cpu = &out->cpu[out->cpu_count++];
        cpu->mpidr = mpidr;
        cpu->release_addr = 0;
        cpu->enable_method = PLATFORM_CPU_NONE;
        if (dt_prop_str(dt, c, "enable-method", &method) != DT_OK)
            continue;
        const void *val;
        uint32_t len;
        if (platform_streq(method, "psci")) {
            cpu->enable_method = PLATFORM_CPU_PSCI;
        } else if (platform_streq(method, "spin-table") &&
                   dt_prop(dt, c, "cpu-release-addr", &val, &len) == DT_OK &&
                   (len == 4 || len == 8)) {
            const uint8_t *v = (const uint8_t *)val;
            cpu->release_addr = len == 8 ? (uint64_t)dt_be32(v) << 32 | dt_be32(v + 4) : dt_be32(v);
            cpu->enable_method = PLATFORM_CPU_SPIN_TABLE;
        }
    }
    return walk_end(c);
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
    out->known_node = -1;
    struct dt dt;
    int err = dt_init(&dt, dtb, max_size);
    if (err < 0)
        return err;
    out->dtb_size = dt.totalsize;
    struct rows r;
    rows_init(&r);
    struct found f;
    err = scan(&dt, &r, &f, out);
    if (err == DT_OK) {
        probe_strings(&dt, &f, out);
        err = probe_reserved(&dt, f.reserved_memory, out);
    }
    if (err == DT_OK)
        err = probe_console(&dt, &r, &f, out);
    if (err == DT_OK && out->console.driver == 0)
        probe_earlycon(out);
    if (err == DT_OK)
        err = probe_irqchip(&dt, &r, &f, out);
    /* The timer: the first node only; if its driver cannot read it, the
     * interrupt controller's standard numbers (the fallback row). */
    /* The timer's interrupt parent, if the walk knows it: the root's, for a
     * child of the root without its own (2.4; what dt_interrupt_parent
     * would find, without its two searches from the root). */
    if (f.first_inherits_root[PLATFORM_TIMER] && !f.root_icells && f.root_iparent_node >= 0 &&
        classify(&dt, &r, f.root_iparent_node).icells) {
        out->known_node = f.first_of_class[PLATFORM_TIMER];
        out->known_parent = f.root_iparent_node;
    }
    if (err == DT_OK)
        err = probe_in_order(&dt, &r, &f, PLATFORM_TIMER, false, out);
    if (err == DT_OK && out->timer.driver == 0)
        probe_fallback(&dt, &r, PLATFORM_TIMER, out);
    if (err == DT_OK)
        probe_power(&dt, &r, &f, out);
    if (err == DT_OK)
        err = probe_cpus(&dt, f.cpus, out);
    if (err < 0) {
        zero_platform(out); /* a fault inside a validated tree: trust nothing */
        return err;
    }
    /* Everything was probed, so on the errors below *out still holds the
     * console (if any) for the kernel to report the problem on. */
    if (out->ram_count == 0)
        return PLATFORM_E_NO_MEMORY;
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
    default:
        return dt_strerror(err);
    }
}
