/* SPDX-License-Identifier: MIT */
/* Helpers shared by the FDT host tests and the fuzz target (see fdt_test.h). */
#include "fdt_test.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fdt.h"
#include "boot/platform.h"

int test_failures;

uint8_t *load_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc(n > 0 ? (size_t)n : 1);
    if (buf == NULL || n < 0 || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(2);
    }
    fclose(f);
    *size = (size_t)n;
    return buf;
}

const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s != NULL ? s + 1 : path;
}

uint8_t *exact_copy(const void *src, size_t size)
{
    uint8_t *p = malloc(size > 0 ? size : 1);
    if (p == NULL)
        abort();
    if (size > 0)
        memcpy(p, src, size);
    return p;
}

void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

void put_be64(uint8_t *p, uint64_t v)
{
    put_be32(p, (uint32_t)(v >> 32));
    put_be32(p + 4, (uint32_t)v);
}

/* ---- raw builder -------------------------------------------------------- */

void tb_init(struct tb *t)
{
    memset(t, 0, sizeof(*t));
}

static void tb_bytes(struct tb *t, const void *p, size_t n)
{
    if (t->st_len + n + 4 > sizeof(t->st))
        abort();
    memcpy(t->st + t->st_len, p, n);
    t->st_len += n;
    while (t->st_len % 4 != 0)
        t->st[t->st_len++] = 0;
}

void tb_word(struct tb *t, uint32_t w)
{
    uint8_t b[4];
    put_be32(b, w);
    tb_bytes(t, b, 4);
}

void tb_begin(struct tb *t, const char *name)
{
    tb_word(t, 1);
    tb_bytes(t, name, strlen(name) + 1);
}

void tb_end(struct tb *t)
{
    tb_word(t, 2);
}

static uint32_t tb_string(struct tb *t, const char *name)
{
    for (size_t off = 0; off < t->str_len; off += strlen(t->str + off) + 1)
        if (strcmp(t->str + off, name) == 0)
            return (uint32_t)off;
    size_t n = strlen(name) + 1;
    if (t->str_len + n > sizeof(t->str))
        abort();
    memcpy(t->str + t->str_len, name, n);
    t->str_len += n;
    return (uint32_t)(t->str_len - n);
}

void tb_prop(struct tb *t, const char *name, const void *val, uint32_t len)
{
    tb_word(t, 3);
    tb_word(t, len);
    tb_word(t, tb_string(t, name));
    if (len > 0)
        tb_bytes(t, val, len);
}

void tb_prop_str(struct tb *t, const char *name, const char *s)
{
    tb_prop(t, name, s, (uint32_t)strlen(s) + 1);
}

void tb_prop_cells(struct tb *t, const char *name, int n, ...)
{
    uint8_t buf[4 * 64];
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n && i < 64; i++)
        put_be32(buf + 4 * i, va_arg(ap, uint32_t));
    va_end(ap);
    tb_prop(t, name, buf, (uint32_t)(4 * n));
}

void tb_finish(struct tb *t)
{
    tb_word(t, 9);
}

size_t tb_blob(const struct tb *t, uint8_t *out, size_t cap)
{
    size_t rsv_off = 40, rsv_len = 16 * (size_t)(t->nrsv + 1);
    size_t st_off = rsv_off + rsv_len, str_off = st_off + t->st_len;
    size_t total = str_off + t->str_len;
    if (total > cap)
        abort();
    memset(out, 0, total);
    put_be32(out + H_MAGIC, 0xd00dfeed);
    put_be32(out + H_TOTALSIZE, (uint32_t)total);
    put_be32(out + H_OFF_STRUCT, (uint32_t)st_off);
    put_be32(out + H_OFF_STRINGS, (uint32_t)str_off);
    put_be32(out + H_OFF_RSV, (uint32_t)rsv_off);
    put_be32(out + H_VERSION, 17);
    put_be32(out + H_LAST_COMP, 16);
    put_be32(out + H_SIZE_STRINGS, (uint32_t)t->str_len);
    put_be32(out + H_SIZE_STRUCT, (uint32_t)t->st_len);
    for (int i = 0; i < t->nrsv; i++) {
        put_be64(out + rsv_off + 16 * (size_t)i, t->rsv[i][0]);
        put_be64(out + rsv_off + 16 * (size_t)i + 8, t->rsv[i][1]);
    }
    memcpy(out + st_off, t->st, t->st_len);
    memcpy(out + str_off, t->str, t->str_len);
    return total;
}

/* ---- exercise ----------------------------------------------------------- */

static bool known_error(int err)
{
    return (err <= DT_E_BADMAGIC && err >= DT_E_BADARG) ||
           (err <= PLATFORM_E_NO_MEMORY && err >= PLATFORM_E_NO_IRQCHIP);
}

/* p[0..len) lies inside the blob. */
static bool inside(const uint8_t *blob, size_t size, const void *p, size_t len)
{
    const uint8_t *b = p;
    return b >= blob && b <= blob + size && len <= (size_t)(blob + size - b);
}

/* A NUL-terminated string lying inside the blob. */
static bool string_inside(const uint8_t *blob, size_t size, const char *s)
{
    if (!inside(blob, size, s, 1))
        return false;
    size_t max = (size_t)(blob + size - (const uint8_t *)s);
    return memchr(s, 0, max) != NULL;
}

static void check_result(int r, const char *what)
{
    CHECK(r >= 0 || known_error(r), "%s returned unknown error %d", what, r);
}

static void exercise_node(const struct dt *dt, const uint8_t *blob, size_t size, int node,
                          bool deep)
{
    const char *name;
    int len = dt_node_name(dt, node, &name);
    CHECK(len >= 0 && inside(blob, size, name, (size_t)len + 1) && name[len] == '\0',
          "node %d name out of bounds (%d)", node, len);
    int nprops = 0;
    for (int p = dt_first_prop(dt, node); p >= 0; p = dt_next_prop(dt, p)) {
        const char *pn;
        const void *pv;
        uint32_t pl;
        CHECK(++nprops <= (int)(dt->struct_size / 12), "property walk does not end");
        if (nprops > (int)(dt->struct_size / 12))
            break;
        int err = dt_prop_at(dt, p, &pn, &pv, &pl);
        CHECK(err == 0, "dt_prop_at(%d) = %d", p, err);
        if (err != 0)
            continue;
        CHECK(string_inside(blob, size, pn), "property name outside blob");
        CHECK(inside(blob, size, pv, pl), "property value outside blob");
        const void *v2;
        uint32_t l2;
        err = dt_prop(dt, node, pn, &v2, &l2);
        CHECK(err == 0 && inside(blob, size, v2, l2), "dt_prop by name failed: %d", err);
    }
    static const char *const names[] = {"compatible", "status",         "reg",
                                        "phandle",    "#address-cells", "interrupt-parent",
                                        "device_type"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        uint32_t v;
        const char *s;
        check_result(dt_prop_u32(dt, node, names[i], &v), "dt_prop_u32");
        int err = dt_prop_str(dt, node, names[i], &s);
        check_result(err, "dt_prop_str");
        if (err == 0)
            CHECK(string_inside(blob, size, s), "dt_prop_str outside blob");
    }
    (void)dt_is_compatible(dt, node, "arm,pl011");
    (void)dt_node_enabled(dt, node);
    int ac = dt_address_cells(dt, node), sc = dt_size_cells(dt, node);
    CHECK((ac >= 1 && ac <= 4) || known_error(ac), "address cells %d", ac);
    CHECK((sc >= 0 && sc <= 4) || known_error(sc), "size cells %d", sc);
    int c = dt_first_child(dt, node);
    CHECK(c > node || known_error(c), "first child %d of %d", c, node);
    int s = dt_next_sibling(dt, node);
    CHECK(s > node || known_error(s), "next sibling %d of %d", s, node);
    if (!deep)
        return;
    int parent = dt_parent(dt, node);
    CHECK((parent >= 0 && parent < node) || known_error(parent), "parent %d of %d", parent, node);
    if (c >= 0) {
        int cp = dt_parent(dt, c);
        CHECK(cp == node, "parent(first_child(%d)) = %d", node, cp);
    }
    char path[DT_MAX_PATH];
    int pl = dt_node_path(dt, node, path, sizeof(path));
    check_result(pl, "dt_node_path");
    if (pl >= 0) {
        CHECK(strlen(path) == (size_t)pl, "path length");
        check_result(dt_path(dt, path), "dt_path");
    }
    for (uint32_t i = 0; i < 3; i++) {
        uint64_t a, sz;
        check_result(dt_reg(dt, node, i, &a, &sz), "dt_reg");
    }
    int ip = dt_interrupt_parent(dt, node);
    check_result(ip, "dt_interrupt_parent");
    uint32_t ph;
    if (dt_prop_u32(dt, node, "phandle", &ph) == 0)
        check_result(dt_phandle_node(dt, ph), "dt_phandle_node");
}

int exercise_blob(const uint8_t *blob, size_t size, int deep)
{
    struct dt dt;
    int err = dt_init(&dt, blob, size);
    check_result(err, "dt_init");
    CHECK(dt_strerror(err) != NULL, "strerror");
    if (err < 0) {
        /* A failed init must leave a dt every call refuses. */
        CHECK(dt_root(&dt) == DT_E_BADARG, "root of a failed dt");
        CHECK(dt_first_child(&dt, 0) == DT_E_BADARG, "child of a failed dt");
        return err;
    }
    CHECK(dt.totalsize <= size, "totalsize %u > buffer %zu", dt.totalsize, size);
    int depth = 0, count = 0, prev = -1;
    int node;
    for (node = dt_next_node(&dt, -1, &depth); node >= 0; node = dt_next_node(&dt, node, &depth)) {
        CHECK(node > prev && (uint32_t)node < dt.struct_size, "node offset %d after %d", node,
              prev);
        CHECK(count <= (int)(dt.struct_size / 8), "node walk does not end");
        if (node <= prev || count > (int)(dt.struct_size / 8))
            break;
        CHECK(depth >= 0 && depth <= DT_MAX_DEPTH, "depth %d", depth);
        exercise_node(&dt, blob, size, node, count < deep);
        prev = node;
        count++;
    }
    check_result(node, "dt_next_node");
    int n = dt_num_mem_rsv(&dt);
    for (int i = 0; i < n; i++) {
        uint64_t a, s;
        CHECK(dt_mem_rsv(&dt, (uint32_t)i, &a, &s) == 0, "mem rsv %d", i);
    }
    check_result(dt_path(&dt, "serial0:115200"), "alias");
    check_result(dt_find_compatible(&dt, -1, "arm,gic-400"), "find compatible");
    struct platform p;
    int perr = platform_probe(blob, size, &p);
    check_result(perr, "platform_probe");
    CHECK(platform_strerror(perr) != NULL, "platform_strerror");
    CHECK(p.ram_count <= PLATFORM_MAX_RAM && p.reserved_count <= PLATFORM_MAX_RESERVED,
          "table counts %u %u", p.ram_count, p.reserved_count);
    CHECK(memchr(p.model, 0, sizeof(p.model)) != NULL, "model unterminated");
    CHECK(memchr(p.bootargs, 0, sizeof(p.bootargs)) != NULL, "bootargs unterminated");
    if (perr == 0)
        CHECK(p.ram_count > 0 && p.console.driver != DT_DRIVER_NONE && gic_version(&p) != 0,
              "probe succeeded without vital devices");
    return err;
}
