/* SPDX-License-Identifier: MIT */
/* Flattened device tree reader, second half (see fdt.h): properties, by
 * offset and by name, and the standard properties of spec 2.3 read from
 * them: compatible, status, the cell counts, reg translated through the
 * ranges of every ancestor, phandles and interrupt-parent. Every token is
 * decoded by dti_token() in fdt.c, which re-checks its bounds, and node
 * ancestors come from dti_ancestors(), which walks from the root. Loops
 * either advance through the blob or count hops against DT_MAX_HOPS.
 * Freestanding: no libc, no globals, no allocation, no recursion. Section
 * numbers refer to the Devicetree Specification v0.4. */
#include "lib/fdt_internal.h"

/* ---- properties --------------------------------------------------------- */

/* From the token after `off`, skip NOPs; return the next property or
 * DT_E_NOTFOUND when the node's property list ends. */
static int prop_from(const struct dt *dt, uint32_t off)
{
    for (;;) {
        uint32_t next;
        int tok = dti_token(dt, (int)off, &next);
        if (tok < 0)
            return tok;
        if (tok == TOK_PROP)
            return (int)off;
        if (tok != TOK_NOP)
            return DT_E_NOTFOUND;
        off = next;
    }
}

int dt_first_prop(const struct dt *dt, int node)
{
    uint32_t off;
    int err = dti_check_node(dt, node, &off);
    return err < 0 ? err : prop_from(dt, off);
}

int dt_next_prop(const struct dt *dt, int prop)
{
    if (!dt_ok(dt))
        return DT_E_BADARG;
    uint32_t next;
    int tok = dti_token(dt, prop, &next);
    if (tok != TOK_PROP)
        return DT_E_BADOFFSET;
    return prop_from(dt, next);
}

int dt_prop_at(const struct dt *dt, int prop, const char **name, const void **val, uint32_t *len)
{
    if (!dt_ok(dt))
        return DT_E_BADARG;
    uint32_t next;
    if (dti_token(dt, prop, &next) != TOK_PROP)
        return DT_E_BADOFFSET;
    const uint8_t *p = sblock(dt) + prop;
    if (name != NULL)
        *name = (const char *)dt->blob + dt->strings_off + dt_be32(p + 8);
    if (val != NULL)
        *val = p + 12;
    if (len != NULL)
        *len = dt_be32(p + 4);
    return DT_OK;
}

int dti_find_prop(const struct dt *dt, int node, const char *name, size_t nlen, const void **val,
                  uint32_t *len)
{
    int p = dt_first_prop(dt, node);
    while (p >= 0) {
        const char *pname;
        const void *pval;
        uint32_t plen;
        int err = dt_prop_at(dt, p, &pname, &pval, &plen);
        if (err < 0)
            return err;
        if (str_eq_n(name, nlen, pname)) {
            if (val != NULL)
                *val = pval;
            if (len != NULL)
                *len = plen;
            return p;
        }
        p = dt_next_prop(dt, p);
    }
    return p;
}

int dt_prop(const struct dt *dt, int node, const char *name, const void **val, uint32_t *len)
{
    if (name == NULL)
        return DT_E_BADARG;
    int p = dti_find_prop(dt, node, name, bounded_len(name, DT_MAX_PATH), val, len);
    return p < 0 ? p : DT_OK;
}

int dt_prop_u32(const struct dt *dt, int node, const char *name, uint32_t *out)
{
    const void *val;
    uint32_t len;
    int err = dt_prop(dt, node, name, &val, &len);
    if (err < 0)
        return err;
    if (len != 4)
        return DT_E_BADVALUE;
    if (out != NULL)
        *out = dt_be32(val);
    return DT_OK;
}

int dt_prop_str(const struct dt *dt, int node, const char *name, const char **out)
{
    const void *val;
    uint32_t len;
    int err = dt_prop(dt, node, name, &val, &len);
    if (err < 0)
        return err;
    if (bounded_len((const char *)val, len) == len) /* no NUL inside */
        return DT_E_BADVALUE;
    if (out != NULL)
        *out = (const char *)val;
    return DT_OK;
}

/* ---- standard properties (2.3) ------------------------------------------ */

bool dt_is_compatible(const struct dt *dt, int node, const char *compat)
{
    const void *val;
    uint32_t len;
    if (compat == NULL || dt_prop(dt, node, "compatible", &val, &len) < 0)
        return false;
    /* 2.3.1: a list of NUL-terminated strings, most specific first. */
    const char *s = (const char *)val;
    uint32_t pos = 0;
    while (pos < len) {
        size_t n = bounded_len(s + pos, len - pos);
        if (n == len - pos)
            return false; /* last string unterminated */
        if (str_eq_n(s + pos, n, compat))
            return true;
        pos += (uint32_t)n + 1;
    }
    return false;
}

int dt_find_compatible(const struct dt *dt, int start, const char *compat)
{
    if (compat == NULL)
        return DT_E_BADARG;
    int node = start < 0 ? dt_root(dt) : dt_next_node(dt, start, NULL);
    while (node >= 0) {
        if (dt_is_compatible(dt, node, compat))
            return node;
        node = dt_next_node(dt, node, NULL);
    }
    return node;
}

bool dt_node_enabled(const struct dt *dt, int node)
{
    const char *status;
    int err = dt_prop_str(dt, node, "status", &status);
    /* 2.3.4: no status means "okay"; "ok" is an older spelling still seen. */
    if (err == DT_E_NOTFOUND) /* only returned for a valid node */
        return true;
    if (err < 0)
        return false;
    return str_eq_n(status, bounded_len(status, 5), "okay") ||
           str_eq_n(status, bounded_len(status, 3), "ok");
}

/* 2.3.5: the cell counts a node defines for its children; not inherited. */
static int cells(const struct dt *dt, int node, const char *name, uint32_t dflt, uint32_t min)
{
    uint32_t v;
    int err = dt_prop_u32(dt, node, name, &v);
    if (err == DT_E_NOTFOUND)
        return (int)dflt;
    if (err < 0)
        return err;
    return v >= min && v <= 4 ? (int)v : DT_E_BADVALUE;
}

int dt_address_cells(const struct dt *dt, int node)
{
    return cells(dt, node, "#address-cells", 2, 1);
}

int dt_size_cells(const struct dt *dt, int node)
{
    return cells(dt, node, "#size-cells", 1, 0);
}

/* Read an n-cell number (n <= 4); anything above 64 bits must be zero. */
static int read_cells(const uint8_t *p, int n, uint64_t *out)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++) {
        uint32_t c = dt_be32(p + 4 * i);
        if (i < n - 2 && c != 0)
            return DT_E_BADVALUE;
        v = v << 32 | c;
    }
    *out = v;
    return DT_OK;
}

/* Translate [*addr, +size) from the address space that `bus` defines for its
 * children into the one `up` defines (2.3.8). */
static int translate_one(const struct dt *dt, int bus, int up, uint64_t *addr, uint64_t size)
{
    const void *val;
    uint32_t len;
    int err = dt_prop(dt, bus, "ranges", &val, &len);
    if (err == DT_E_NOTFOUND)
        return DT_E_NOTRANSLATE; /* no ranges: no mapping to the parent */
    if (err < 0)
        return err;
    if (len == 0)
        return DT_OK; /* empty ranges: identity */
    int cac = dt_address_cells(dt, bus), csc = dt_size_cells(dt, bus);
    int pac = dt_address_cells(dt, up);
    if (cac < 0 || csc < 0 || pac < 0)
        return cac < 0 ? cac : csc < 0 ? csc : pac;
    uint32_t entry = (uint32_t)(cac + pac + csc) * 4;
    if (len % entry != 0)
        return DT_E_BADVALUE;
    const uint8_t *p = (const uint8_t *)val;
    for (uint32_t at = 0; at < len; at += entry) {
        uint64_t cb, pb, sz;
        /* Entries wider than 64 bits (PCI space codes) cannot match a 64-bit
         * address: skip them. */
        if (read_cells(p + at, cac, &cb) < 0 || read_cells(p + at + 4 * cac, pac, &pb) < 0 ||
            read_cells(p + at + 4 * (cac + pac), csc, &sz) < 0)
            continue;
        if (*addr < cb || *addr - cb >= sz || size > sz - (*addr - cb))
            continue;
        uint64_t off = *addr - cb;
        if (pb + off < pb)
            return DT_E_BADVALUE;
        *addr = pb + off;
        return DT_OK;
    }
    return DT_E_NOTRANSLATE;
}

/* Entry `index` of reg, in the address space of the node's parent;
 * stack[0..n) are the node's ancestors and the node itself. */
static int read_reg(const struct dt *dt, const int *stack, int n, uint32_t index, uint64_t *addr,
                    uint64_t *size)
{
    if (n < 2)
        return DT_E_NOTFOUND; /* the root has no reg in any parent space */
    int node = stack[n - 1], parent = stack[n - 2];
    int ac = dt_address_cells(dt, parent), sc = dt_size_cells(dt, parent);
    if (ac < 0 || sc < 0)
        return ac < 0 ? ac : sc;
    const void *val;
    uint32_t len;
    int err = dt_prop(dt, node, "reg", &val, &len);
    if (err < 0)
        return err;
    uint32_t entry = (uint32_t)(ac + sc) * 4; /* ac >= 1: never zero */
    if (len % entry != 0)
        return DT_E_BADVALUE;
    if (index >= len / entry)
        return DT_E_NOTFOUND;
    const uint8_t *p = (const uint8_t *)val + (size_t)index * entry;
    if (read_cells(p, ac, addr) < 0 || read_cells(p + 4 * ac, sc, size) < 0)
        return DT_E_BADVALUE;
    if (*addr + *size < *addr)
        return DT_E_BADVALUE;
    return DT_OK;
}

/* reg entry `index`, translated up to the root's space (2.3.6) or left in
 * the parent's. */
static int reg_entry(const struct dt *dt, int node, uint32_t index, bool translate, uint64_t *addr,
                     uint64_t *size)
{
    int stack[DT_MAX_DEPTH + 1];
    int n = dti_ancestors(dt, node, stack);
    if (n < 0)
        return n;
    uint64_t a, s;
    int err = read_reg(dt, stack, n, index, &a, &s);
    /* Climb: stack[i] is a bus, stack[i - 1] the space it maps into. */
    for (int i = n - 2; translate && err == DT_OK && i >= 1; i--)
        err = translate_one(dt, stack[i], stack[i - 1], &a, s);
    if (err < 0)
        return err;
    if (addr != NULL)
        *addr = a;
    if (size != NULL)
        *size = s;
    return DT_OK;
}

int dt_reg(const struct dt *dt, int node, uint32_t index, uint64_t *addr, uint64_t *size)
{
    return reg_entry(dt, node, index, true, addr, size);
}

int dt_reg_untranslated(const struct dt *dt, int node, uint32_t index, uint64_t *addr,
                        uint64_t *size)
{
    return reg_entry(dt, node, index, false, addr, size);
}

/* 2.3.3: "phandle", or the older "linux,phandle" when it is absent. A
 * phandle property of the wrong size is treated as absent. As with dt_prop,
 * only the first property of each name counts. */
struct phandle_props {
    bool seen, linux_seen; /* the first property of each name was read */
    bool from_phandle;     /* value came from "phandle": final */
    uint32_t value;        /* 0: none */
};

static void phandle_prop(struct phandle_props *ph, const char *name, const uint8_t *val,
                         uint32_t len)
{
    if (!ph->seen && str_eq_n("phandle", 7, name)) {
        ph->seen = true;
        if (len == 4) {
            ph->value = dt_be32(val);
            ph->from_phandle = true;
        }
    } else if (!ph->linux_seen && str_eq_n("linux,phandle", 13, name)) {
        ph->linux_seen = true;
        if (len == 4 && !ph->from_phandle)
            ph->value = dt_be32(val);
    }
}

int dt_phandle_node(const struct dt *dt, uint32_t phandle)
{
    if (!dt_ok(dt))
        return DT_E_BADARG;
    if (phandle == 0 || phandle == 0xffffffffu)
        return DT_E_BADVALUE;
    /* One walk over the tokens rather than a property search per node: a
     * node's properties follow its FDT_BEGIN_NODE (NOPs aside), so its
     * phandle is known at the next token that is neither. */
    int node = -1; /* the node whose properties are being read */
    struct phandle_props ph = {0};
    uint32_t off = (uint32_t)dt->root;
    for (;;) {
        uint32_t next;
        int tok = dti_token(dt, (int)off, &next);
        if (tok < 0)
            return tok;
        if (tok == TOK_PROP) {
            const uint8_t *p = sblock(dt) + off;
            const char *name = (const char *)dt->blob + dt->strings_off + dt_be32(p + 8);
            if (node >= 0)
                phandle_prop(&ph, name, p + 12, dt_be32(p + 4));
        } else if (tok != TOK_NOP) {
            if (node >= 0 && ph.value == phandle)
                return node;
            if (tok == TOK_END)
                return DT_E_NOTFOUND;
            node = tok == TOK_BEGIN_NODE ? (int)off : -1;
            ph = (struct phandle_props){0};
        }
        off = next;
    }
}

int dt_interrupt_parent(const struct dt *dt, int node)
{
    int cur = node;
    /* 2.4.1: follow interrupt-parent, or the tree parent when it is absent,
     * until a node that roots an interrupt domain (#interrupt-cells, 2.4.2).
     * A cycle of interrupt-parent links is cut off after DT_MAX_HOPS. */
    for (int hop = 0; hop < DT_MAX_HOPS; hop++) {
        uint32_t ph;
        int err = dt_prop_u32(dt, cur, "interrupt-parent", &ph);
        int next;
        if (err == DT_OK)
            next = dt_phandle_node(dt, ph);
        else if (err == DT_E_NOTFOUND)
            next = dt_parent(dt, cur);
        else
            return err;
        if (next < 0)
            return next;
        err = dt_prop(dt, next, "#interrupt-cells", NULL, NULL);
        if (err == DT_OK)
            return next;
        if (err != DT_E_NOTFOUND)
            return err;
        cur = next;
    }
    return DT_E_LOOP;
}
