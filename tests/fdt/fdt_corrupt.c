/* SPDX-License-Identifier: MIT */
/* Hostile and malformed trees for kernel/lib/fdt.c and kernel/boot/platform.c. Each
 * case has a stable ID and must produce the documented error (or, for benign
 * changes, consistent results); run under ASan/UBSan, so an out-of-bounds
 * read or overflow fails the test even when the result looks right. Every
 * blob is handed over in a buffer of exactly its size. The last part is a
 * seeded random-mutation loop over a built tree and the board trees given
 * on the command line. Usage: fdt_corrupt [ITERATIONS] [DTB...] */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fdt.h"
#include "fdt_test.h"
#include "boot/platform.h"

static uint8_t buf[65536];

/* dt_init on an exact-size copy. */
static int init_exact(const uint8_t *blob, size_t size, struct dt *out)
{
    uint8_t *copy = exact_copy(blob, size);
    struct dt dt;
    int err = dt_init(&dt, copy, size);
    int perr;
    struct platform p;
    perr = platform_probe(copy, size, &p);
    if (err < 0)
        CHECK(perr == err, "platform_probe %d vs dt_init %d", perr, err);
    free(copy);
    if (out != NULL) {
        /* Re-init on the caller's long-lived buffer for follow-up queries. */
        dt_init(out, blob, size);
    }
    return err;
}

#define EXPECT_INIT(id, blob, size, want)                                                          \
    do {                                                                                           \
        int got_ = init_exact(blob, size, NULL);                                                   \
        CHECK(got_ == (want), "%s: dt_init = %d (%s), want %d (%s)", id, got_, dt_strerror(got_),  \
              want, dt_strerror(want));                                                            \
    } while (0)

/* The base tree: small but complete enough for platform_probe. */
static void base_tree(struct tb *t)
{
    tb_begin(t, "");
    tb_prop_cells(t, "#address-cells", 1, 2);
    tb_prop_cells(t, "#size-cells", 1, 2);
    tb_prop_str(t, "model", "tessera,test");
    tb_prop_cells(t, "interrupt-parent", 1, 1);
    tb_begin(t, "aliases");
    tb_prop_str(t, "serial0", "/soc/uart@1000");
    tb_prop_str(t, "soc", "/soc");
    tb_end(t);
    tb_begin(t, "chosen");
    tb_prop_str(t, "stdout-path", "serial0:115200n8");
    tb_end(t);
    tb_begin(t, "memory@80000000");
    tb_prop_str(t, "device_type", "memory");
    tb_prop_cells(t, "reg", 4, 0, 0x80000000, 0, 0x10000000);
    tb_end(t);
    tb_begin(t, "intc@8000000");
    tb_prop_str(t, "compatible", "arm,gic-400");
    tb_prop(t, "interrupt-controller", NULL, 0);
    tb_prop_cells(t, "#interrupt-cells", 1, 3);
    tb_prop_cells(t, "phandle", 1, 1);
    tb_prop_cells(t, "reg", 8, 0, 0x08000000, 0, 0x1000, 0, 0x08010000, 0, 0x2000);
    tb_end(t);
    tb_begin(t, "soc");
    tb_prop_str(t, "compatible", "simple-bus");
    tb_prop_cells(t, "#address-cells", 1, 1);
    tb_prop_cells(t, "#size-cells", 1, 1);
    tb_prop_cells(t, "ranges", 4, 0x0, 0, 0x20000000, 0x100000);
    tb_begin(t, "uart@1000");
    tb_prop_str(t, "compatible", "arm,pl011");
    tb_prop_cells(t, "reg", 2, 0x1000, 0x100);
    tb_end(t);
    tb_begin(t, "bus@8000");
    tb_prop_cells(t, "#address-cells", 1, 1);
    tb_prop_cells(t, "#size-cells", 1, 1);
    tb_prop_cells(t, "ranges", 3, 0x0, 0x8000, 0x1000);
    tb_begin(t, "dev@10");
    tb_prop_cells(t, "reg", 2, 0x10, 0x4);
    tb_end(t);
    tb_end(t);
    tb_end(t);
    tb_begin(t, "timer");
    tb_prop_str(t, "compatible", "arm,armv8-timer");
    tb_prop_cells(t, "interrupts", 12, 1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4);
    tb_end(t);
}

static size_t base_blob(uint8_t *out)
{
    static struct tb t;
    tb_init(&t);
    base_tree(&t);
    tb_end(&t);
    tb_finish(&t);
    return tb_blob(&t, out, sizeof(buf));
}

static uint32_t get32(const uint8_t *p)
{
    return dt_be32(p);
}

static void test_base(void)
{
    size_t size = base_blob(buf);
    struct dt dt;
    CHECK_EQ(dt_init(&dt, buf, size), 0, "FDT-BASE-001 base tree");
    struct platform p;
    int r = platform_probe(buf, size, &p);
    CHECK(r == 0 && p.ram[0].base == 0x80000000 && p.console.reg[0].base == 0x20001000 &&
              p.console.from_stdout_path && gic_cpu(&p).base == 0x08010000 && p.timer.word[TIMER_VIRT_INTID] == 27,
          "FDT-BASE-002 probe of the base tree: %d", r);
    uint64_t a = 0, s = 0;
    int dev = dt_path(&dt, "soc/bus@8000/dev@10");
    CHECK(dt_reg(&dt, dev, 0, &a, &s) == 0 && a == 0x20008010 && s == 4,
          "FDT-BASE-003 two-level ranges: 0x%llx", (unsigned long long)a);
    CHECK_EQ(dt_reg(&dt, dt_root(&dt), 0, &a, &s), DT_E_NOTFOUND, "FDT-BASE-004 root reg");
    CHECK_EQ(dt_path(&dt, ""), DT_E_BADVALUE, "FDT-BASE-005 empty path");
    CHECK_EQ(dt_path(&dt, "/"), dt_root(&dt), "FDT-BASE-006 root path");
    CHECK_EQ(dt_path(&dt, "//soc//uart@1000/"), dt_path(&dt, "/soc/uart@1000"),
             "FDT-BASE-007 repeated slashes");
    CHECK_EQ(dt_path(&dt, "/soc/uart@1000/nothing"), DT_E_NOTFOUND, "FDT-BASE-008 missing");
    /* Offsets that are not nodes or properties. */
    int prop = dt_first_prop(&dt, dt_root(&dt));
    CHECK_EQ(dt_first_child(&dt, 2), DT_E_BADOFFSET, "FDT-OFF-001 misaligned");
    CHECK_EQ(dt_first_child(&dt, prop), DT_E_BADOFFSET, "FDT-OFF-002 property as node");
    CHECK_EQ(dt_first_child(&dt, -5), DT_E_BADOFFSET, "FDT-OFF-003 negative");
    CHECK_EQ(dt_next_sibling(&dt, 0x7ffffff0), DT_E_BADOFFSET, "FDT-OFF-004 past the end");
    CHECK_EQ(dt_parent(&dt, prop), DT_E_BADOFFSET, "FDT-OFF-005 parent of a property");
    CHECK_EQ(dt_next_prop(&dt, dt_root(&dt)), DT_E_BADOFFSET, "FDT-OFF-006 node as property");
    CHECK_EQ(dt_prop_at(&dt, 4, NULL, NULL, NULL), DT_E_BADOFFSET, "FDT-OFF-007 name as prop");
    CHECK_EQ(dt_node_name(&dt, prop, NULL), DT_E_BADOFFSET, "FDT-OFF-008 name of a property");
    char small[8];
    CHECK_EQ(dt_node_path(&dt, dev, small, sizeof(small)), DT_E_NOSPACE, "FDT-OFF-009 nospace");
    char exact[19]; /* "/soc/bus@8000/dev@10" is 20 bytes with its NUL */
    CHECK_EQ(dt_node_path(&dt, dev, exact, sizeof(exact)), DT_E_NOSPACE, "FDT-OFF-010 one short");
    char fits[21];
    CHECK_EQ(dt_node_path(&dt, dev, fits, sizeof(fits)), 20, "FDT-OFF-011 exact fit");
    CHECK_EQ(dt_init(NULL, buf, size), DT_E_BADARG, "FDT-ARG-001 NULL dt");
    CHECK_EQ(dt_init(&dt, NULL, size), DT_E_BADARG, "FDT-ARG-002 NULL blob");
    CHECK_EQ(dt_root(&dt), DT_E_BADARG, "FDT-ARG-003 dt after failed init");
    CHECK_EQ(dt_phandle_node(&dt, 1), DT_E_BADARG, "FDT-ARG-004 dt after failed init");
    for (int e = DT_E_BADARG; e <= DT_E_BADMAGIC; e++)
        CHECK(strcmp(dt_strerror(e), "unknown error") != 0, "FDT-ARG-005 strerror(%d)", e);
}

/* Every truncation of the base tree is refused: the blob claims more bytes
 * than the buffer holds, or (if totalsize is cut too) its blocks overflow. */
static void test_truncation(void)
{
    size_t size = base_blob(buf);
    for (size_t len = 0; len < size; len++) {
        int got = init_exact(buf, len, NULL);
        CHECK(got == DT_E_TRUNCATED, "FDT-TRUNC-001 length %zu: %d", len, got);
    }
    for (size_t len = 40; len < size; len++) {
        uint8_t *copy = exact_copy(buf, len);
        put_be32(copy + H_TOTALSIZE, (uint32_t)len);
        struct dt dt;
        int got = dt_init(&dt, copy, len);
        CHECK(got == DT_E_BADLAYOUT || got == DT_E_BADSTRUCTURE,
              "FDT-TRUNC-002 consistent cut at %zu: %d", len, got);
        free(copy);
    }
}

static void set_field(uint8_t *blob, int field, uint32_t v)
{
    put_be32(blob + field, v);
}

static void test_header(void)
{
    uint8_t b[4096];
    size_t size = base_blob(buf);
    uint32_t soff = get32(buf + H_OFF_STRUCT), ssize = get32(buf + H_SIZE_STRUCT);
    uint32_t stroff = get32(buf + H_OFF_STRINGS), strsize = get32(buf + H_SIZE_STRINGS);
    struct {
        const char *id;
        int field;
        uint32_t value;
        int want;
    } cases[] = {
        {"FDT-HDR-001 bad magic", H_MAGIC, 0xd00dfeee, DT_E_BADMAGIC},
        {"FDT-HDR-002 byte-swapped magic", H_MAGIC, 0xedfe0dd0, DT_E_BADMAGIC},
        {"FDT-HDR-003 version 15", H_VERSION, 15, DT_E_BADVERSION},
        {"FDT-HDR-004 last_comp 18", H_LAST_COMP, 18, DT_E_BADVERSION},
        {"FDT-HDR-005 totalsize > buffer", H_TOTALSIZE, (uint32_t)size + 1, DT_E_TRUNCATED},
        {"FDT-HDR-006 totalsize 4G-1", H_TOTALSIZE, 0xffffffff, DT_E_TRUNCATED},
        {"FDT-HDR-007 totalsize < header", H_TOTALSIZE, 39, DT_E_BADLAYOUT},
        {"FDT-HDR-010 struct past end", H_OFF_STRUCT, (uint32_t)size + 4, DT_E_BADLAYOUT},
        {"FDT-HDR-011 struct misaligned", H_OFF_STRUCT, soff + 2, DT_E_BADLAYOUT},
        {"FDT-HDR-012 struct in header", H_OFF_STRUCT, 0, DT_E_BADLAYOUT},
        {"FDT-HDR-013 struct size > blob", H_SIZE_STRUCT, (uint32_t)size, DT_E_BADLAYOUT},
        {"FDT-HDR-014 struct size wraps", H_SIZE_STRUCT, 0xfffffff0, DT_E_BADLAYOUT},
        {"FDT-HDR-015 struct offset wraps", H_OFF_STRUCT, 0xfffffffc, DT_E_BADLAYOUT},
        {"FDT-HDR-016 struct size 0", H_SIZE_STRUCT, 0, DT_E_BADSTRUCTURE},
        {"FDT-HDR-020 strings past end", H_OFF_STRINGS, (uint32_t)size + 1, DT_E_BADLAYOUT},
        {"FDT-HDR-021 strings size > blob", H_SIZE_STRINGS, strsize + 1, DT_E_BADLAYOUT},
        {"FDT-HDR-022 strings size wraps", H_SIZE_STRINGS, 0xffffffff, DT_E_BADLAYOUT},
        {"FDT-HDR-023 strings offset wraps", H_OFF_STRINGS, 0xfffffff0, DT_E_BADLAYOUT},
        {"FDT-HDR-024 strings over struct", H_OFF_STRINGS, soff, DT_E_BADLAYOUT},
        {"FDT-HDR-025 strings overlap tail", H_OFF_STRINGS, soff + ssize - 4, DT_E_BADLAYOUT},
        {"FDT-HDR-026 strings in header", H_OFF_STRINGS, 8, DT_E_BADLAYOUT},
        {"FDT-HDR-030 rsvmap misaligned", H_OFF_RSV, 44, DT_E_BADLAYOUT},
        {"FDT-HDR-031 rsvmap in header", H_OFF_RSV, 0, DT_E_BADLAYOUT},
        {"FDT-HDR-032 rsvmap over struct", H_OFF_RSV, soff & ~7u, DT_E_BADLAYOUT},
        {"FDT-HDR-033 rsvmap at end", H_OFF_RSV, ((uint32_t)size - 8) & ~7u, DT_E_BADLAYOUT},
        {"FDT-HDR-034 rsvmap past end", H_OFF_RSV, 0xfffffff8, DT_E_BADLAYOUT},
        {"FDT-HDR-040 version 16 (no size_dt_struct)", H_VERSION, 16, DT_OK},
        {"FDT-HDR-041 version 20, compatible", H_VERSION, 20, DT_OK},
        {"FDT-HDR-017 struct covers strings", H_SIZE_STRUCT, ssize + strsize, DT_E_BADLAYOUT},
    };
    (void)stroff;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        memcpy(b, buf, size);
        set_field(b, cases[i].field, cases[i].value);
        EXPECT_INIT(cases[i].id, b, size, cases[i].want);
    }
    /* Larger than DT_MAX_TOTALSIZE: refused from the header alone, even if
     * the caller claims that much is readable. */
    memcpy(b, buf, size);
    set_field(b, H_TOTALSIZE, DT_MAX_TOTALSIZE + 8);
    struct dt dt;
    CHECK_EQ(dt_init(&dt, b, (size_t)DT_MAX_TOTALSIZE + 64), DT_E_BADLAYOUT, "FDT-HDR-008");
    /* A reservation map whose terminator was overwritten runs into the
     * struct block: refused. */
    static struct tb t;
    tb_init(&t);
    t.nrsv = 2;
    t.rsv[0][0] = 0x1000;
    t.rsv[0][1] = 0x2000;
    t.rsv[1][0] = 0x40000000;
    t.rsv[1][1] = 0x100000;
    base_tree(&t);
    tb_end(&t);
    tb_finish(&t);
    size = tb_blob(&t, b, sizeof(b));
    CHECK_EQ(dt_init(&dt, b, size), 0, "FDT-RSV-001 two entries");
    uint64_t a = 0, s = 0;
    CHECK(dt_num_mem_rsv(&dt) == 2 && dt_mem_rsv(&dt, 1, &a, &s) == 0 && a == 0x40000000 &&
              s == 0x100000,
          "FDT-RSV-002 entry values");
    CHECK_EQ(dt_mem_rsv(&dt, 2, &a, &s), DT_E_NOTFOUND, "FDT-RSV-003 past the terminator");
    put_be64(b + 40 + 32, 0xdead); /* the terminator */
    EXPECT_INIT("FDT-RSV-004 no terminator", b, size, DT_E_BADLAYOUT);
}

/* Trees with a broken structure block, each built token by token. */
static size_t raw_tree(int variant, uint8_t *out)
{
    static struct tb t;
    tb_init(&t);
    switch (variant) {
    case 0: /* unterminated node name reaching the end of the block */
        tb_word(&t, 1);
        tb_word(&t, 0x61626364);
        break;
    case 1: /* missing FDT_END */
        tb_begin(&t, "");
        tb_end(&t);
        break;
    case 2: /* FDT_END inside the root */
        tb_begin(&t, "");
        tb_finish(&t);
        break;
    case 3: /* extra END_NODE */
        tb_begin(&t, "");
        tb_end(&t);
        tb_end(&t);
        tb_finish(&t);
        break;
    case 4: /* a second root */
        tb_begin(&t, "");
        tb_end(&t);
        tb_begin(&t, "");
        tb_end(&t);
        tb_finish(&t);
        break;
    case 5: /* property before the root */
        tb_prop_str(&t, "model", "x");
        tb_begin(&t, "");
        tb_end(&t);
        tb_finish(&t);
        break;
    case 6: /* property after a child node (5.4.2) */
        tb_begin(&t, "");
        tb_begin(&t, "a");
        tb_end(&t);
        tb_prop_str(&t, "model", "x");
        tb_end(&t);
        tb_finish(&t);
        break;
    case 7:
    case 8:
    case 9: /* unknown tokens */
        tb_begin(&t, "");
        tb_word(&t, variant == 7 ? 5 : variant == 8 ? 0 : 0xffffffff);
        tb_end(&t);
        tb_finish(&t);
        break;
    case 10: /* only FDT_END */
        tb_finish(&t);
        break;
    case 11: /* property value longer than the block */
        tb_begin(&t, "");
        tb_word(&t, 3);
        tb_word(&t, 0x100);
        tb_word(&t, 0);
        tb_prop_str(&t, "x", "y"); /* puts "x" in the strings block */
        tb_end(&t);
        tb_finish(&t);
        break;
    case 12:
    case 13: /* property length that wraps the offset arithmetic */
        tb_begin(&t, "");
        tb_prop_str(&t, "x", "y");
        tb_word(&t, 3);
        tb_word(&t, variant == 12 ? 0xffffffff : 0xfffffff4);
        tb_word(&t, 0);
        tb_end(&t);
        tb_finish(&t);
        break;
    case 14:
    case 15: /* name offset outside the strings block */
        tb_begin(&t, "");
        tb_prop_str(&t, "x", "y");
        tb_word(&t, 3);
        tb_word(&t, 0);
        tb_word(&t, variant == 14 ? 2 : 0xffffffff);
        tb_end(&t);
        tb_finish(&t);
        break;
    case 16: /* truncated property header */
        tb_begin(&t, "");
        tb_word(&t, 3);
        tb_word(&t, 0);
        break;
    case 17: /* missing END_NODE */
        tb_begin(&t, "");
        tb_begin(&t, "a");
        tb_end(&t);
        tb_finish(&t);
        break;
    case 18: /* benign: NOPs everywhere */
        tb_word(&t, 4);
        tb_begin(&t, "");
        tb_word(&t, 4);
        tb_prop_str(&t, "model", "nop");
        tb_word(&t, 4);
        tb_begin(&t, "a");
        tb_word(&t, 4);
        tb_end(&t);
        tb_word(&t, 4);
        tb_end(&t);
        tb_word(&t, 4);
        tb_finish(&t);
        break;
    }
    return tb_blob(&t, out, sizeof(buf));
}

static void test_structure(void)
{
    static const struct {
        const char *id;
        int want;
    } cases[] = {
        {"FDT-STR-000 unterminated node name", DT_E_BADSTRUCTURE},
        {"FDT-STR-001 missing FDT_END", DT_E_BADSTRUCTURE},
        {"FDT-STR-002 FDT_END inside root", DT_E_BADSTRUCTURE},
        {"FDT-STR-003 extra END_NODE", DT_E_BADSTRUCTURE},
        {"FDT-STR-004 second root", DT_E_BADSTRUCTURE},
        {"FDT-STR-005 property before root", DT_E_BADSTRUCTURE},
        {"FDT-STR-006 property after child", DT_E_BADSTRUCTURE},
        {"FDT-STR-007 token 5", DT_E_BADSTRUCTURE},
        {"FDT-STR-008 token 0", DT_E_BADSTRUCTURE},
        {"FDT-STR-009 token ffffffff", DT_E_BADSTRUCTURE},
        {"FDT-STR-010 no root", DT_E_BADSTRUCTURE},
        {"FDT-STR-011 value past block", DT_E_BADSTRUCTURE},
        {"FDT-STR-012 length ffffffff", DT_E_BADSTRUCTURE},
        {"FDT-STR-013 length fffffff4", DT_E_BADSTRUCTURE},
        {"FDT-STR-014 nameoff = strings size", DT_E_BADSTRUCTURE},
        {"FDT-STR-015 nameoff ffffffff", DT_E_BADSTRUCTURE},
        {"FDT-STR-016 truncated property", DT_E_BADSTRUCTURE},
        {"FDT-STR-017 missing END_NODE", DT_E_BADSTRUCTURE},
        {"FDT-STR-018 NOPs everywhere", DT_OK},
    };
    uint8_t b[4096];
    for (int v = 0; v < (int)(sizeof(cases) / sizeof(cases[0])); v++) {
        size_t size = raw_tree(v, b);
        EXPECT_INIT(cases[v].id, b, size, cases[v].want);
    }
    /* The benign one reads as if the NOPs were not there. */
    struct dt dt;
    size_t size = raw_tree(18, b);
    const char *model = NULL;
    CHECK(dt_init(&dt, b, size) == 0 && dt_prop_str(&dt, dt_root(&dt), "model", &model) == 0 &&
              strcmp(model, "nop") == 0 && dt_root(&dt) == 4 &&
              dt_path(&dt, "/a") == dt_first_child(&dt, 4) &&
              dt_parent(&dt, dt_path(&dt, "/a")) == dt_root(&dt),
          "FDT-STR-019 NOPs are transparent");

    /* Unterminated last string: cut the strings block's final NUL. */
    size = base_blob(b);
    put_be32(b + H_SIZE_STRINGS, get32(b + H_SIZE_STRINGS) - 1);
    EXPECT_INIT("FDT-STR-020 unterminated property name", b, size, DT_E_BADSTRUCTURE);

    /* Nesting: DT_MAX_DEPTH levels below the root are fine, one more not. */
    for (int extra = 0; extra <= 1; extra++) {
        static struct tb t;
        tb_init(&t);
        tb_begin(&t, "");
        for (int i = 0; i < DT_MAX_DEPTH + extra; i++)
            tb_begin(&t, "n");
        for (int i = 0; i < DT_MAX_DEPTH + extra; i++)
            tb_end(&t);
        tb_end(&t);
        tb_finish(&t);
        size = tb_blob(&t, b, sizeof(b));
        EXPECT_INIT(extra ? "FDT-STR-021 too deep" : "FDT-STR-022 deepest allowed", b, size,
                    extra ? DT_E_DEPTH : DT_OK);
        if (!extra) {
            CHECK(dt_init(&dt, b, size) == 0, "deep init");
            int leaf = 0;
            for (int i = 0; i < DT_MAX_DEPTH; i++)
                leaf = dt_first_child(&dt, leaf);
            char path[2 * DT_MAX_DEPTH + 2];
            CHECK(leaf > 0 && dt_node_path(&dt, leaf, path, sizeof(path)) == 2 * DT_MAX_DEPTH &&
                      dt_path(&dt, path) == leaf && dt_parent(&dt, dt_parent(&dt, leaf)) > 0,
                  "FDT-STR-023 deepest node reachable");
        }
    }

    /* A node-like byte sequence inside a property value is not a node. */
    static struct tb t;
    tb_init(&t);
    tb_begin(&t, "");
    uint8_t fake[12] = {0, 0, 0, 1, 'x', 0, 0, 0, 0, 0, 0, 2};
    tb_prop(&t, "fake", fake, sizeof(fake));
    tb_end(&t);
    tb_finish(&t);
    size = tb_blob(&t, b, sizeof(b));
    CHECK(dt_init(&dt, b, size) == 0, "fake init");
    int fake_node = dt_first_prop(&dt, 0) + 12;
    CHECK_EQ(dt_parent(&dt, fake_node), DT_E_BADOFFSET, "FDT-STR-024 fake node has no parent");
    char path[64];
    CHECK_EQ(dt_node_path(&dt, fake_node, path, sizeof(path)), DT_E_BADOFFSET, "FDT-STR-025");
    uint64_t a, s;
    CHECK_EQ(dt_reg(&dt, fake_node, 0, &a, &s), DT_E_BADOFFSET, "FDT-STR-026 reg of fake");
    (void)dt_first_child(&dt, fake_node); /* walks on from there: must stay in bounds */
    (void)dt_next_sibling(&dt, fake_node);
}

/* Trees whose references loop or dangle, and cells/ranges that do not work. */
static void test_references(void)
{
    static struct tb t;
    uint8_t b[8192];
    tb_init(&t);
    base_tree(&t);
    tb_begin(&t, "loop-a");
    tb_prop_cells(&t, "phandle", 1, 0x10);
    tb_prop_cells(&t, "interrupt-parent", 1, 0x11);
    tb_end(&t);
    tb_begin(&t, "loop-b");
    tb_prop_cells(&t, "linux,phandle", 1, 0x11);
    tb_prop_cells(&t, "interrupt-parent", 1, 0x10);
    tb_end(&t);
    tb_begin(&t, "self");
    tb_prop_cells(&t, "phandle", 1, 0x12);
    tb_prop_cells(&t, "interrupt-parent", 1, 0x12);
    tb_end(&t);
    tb_begin(&t, "dangling");
    tb_prop_cells(&t, "interrupt-parent", 1, 0x99);
    tb_end(&t);
    tb_begin(&t, "zero");
    tb_prop_cells(&t, "interrupt-parent", 1, 0);
    tb_end(&t);
    tb_begin(&t, "wide");
    tb_prop_cells(&t, "interrupt-parent", 2, 0, 1);
    tb_end(&t);
    tb_begin(&t, "nexus"); /* a hop that is not a controller: followed on */
    tb_prop_cells(&t, "phandle", 1, 0x13);
    tb_prop_cells(&t, "interrupt-parent", 1, 1);
    tb_end(&t);
    tb_begin(&t, "via-nexus");
    tb_prop_cells(&t, "interrupt-parent", 1, 0x13);
    tb_end(&t);
    tb_begin(&t, "nobus"); /* a bus without ranges */
    tb_prop_cells(&t, "#address-cells", 1, 1);
    tb_prop_cells(&t, "#size-cells", 1, 1);
    tb_begin(&t, "d@0");
    tb_prop_cells(&t, "reg", 2, 0, 4);
    tb_end(&t);
    tb_end(&t);
    tb_begin(&t, "window"); /* ranges that do not cover the child */
    tb_prop_cells(&t, "#address-cells", 1, 1);
    tb_prop_cells(&t, "#size-cells", 1, 1);
    tb_prop_cells(&t, "ranges", 8, 0x0, 0, 0x1000, 0x100, 0x200, 0, 0x3000, 0x100);
    tb_begin(&t, "in@210");
    tb_prop_cells(&t, "reg", 2, 0x210, 0x10);
    tb_end(&t);
    tb_begin(&t, "gap@100");
    tb_prop_cells(&t, "reg", 2, 0x100, 0x10);
    tb_end(&t);
    tb_begin(&t, "straddle@f8");
    tb_prop_cells(&t, "reg", 2, 0xf8, 0x10);
    tb_end(&t);
    tb_end(&t);
    tb_begin(&t, "badranges");
    tb_prop_cells(&t, "#address-cells", 1, 1);
    tb_prop_cells(&t, "#size-cells", 1, 1);
    tb_prop_cells(&t, "ranges", 2, 0, 0);
    tb_begin(&t, "d@0");
    tb_prop_cells(&t, "reg", 2, 0, 4);
    tb_end(&t);
    tb_end(&t);
    tb_begin(&t, "wrap");
    tb_prop_cells(&t, "#address-cells", 1, 1);
    tb_prop_cells(&t, "#size-cells", 1, 1);
    tb_prop_cells(&t, "ranges", 4, 0, 0xffffffff, 0xfffff000, 0x10000);
    tb_begin(&t, "d@2000");
    tb_prop_cells(&t, "reg", 2, 0x2000, 4);
    tb_end(&t);
    tb_end(&t);
    static const uint32_t bad_cells[][2] = {{0, 1}, {5, 1}, {1, 5}, {3, 1}};
    for (int i = 0; i < 4; i++) {
        char name[16];
        snprintf(name, sizeof(name), "cells%d", i);
        tb_begin(&t, name);
        tb_prop_cells(&t, "#address-cells", 1, bad_cells[i][0]);
        tb_prop_cells(&t, "#size-cells", 1, bad_cells[i][1]);
        tb_prop(&t, "ranges", NULL, 0);
        tb_begin(&t, "d");
        tb_prop_cells(&t, "reg", 4, 1, 0, 0, 4); /* 3-cell: top cell set */
        tb_end(&t);
        tb_begin(&t, "ok");
        tb_prop_cells(&t, "reg", 4, 0, 0, 0x10, 4);
        tb_end(&t);
        tb_end(&t);
    }
    tb_begin(&t, "widecells");
    tb_prop_cells(&t, "#address-cells", 2, 0, 1);
    tb_prop(&t, "ranges", NULL, 0);
    tb_begin(&t, "d");
    tb_prop_cells(&t, "reg", 2, 0, 4);
    tb_end(&t);
    tb_end(&t);
    tb_begin(&t, "oddreg");
    tb_prop_cells(&t, "reg", 3, 0, 0x1000, 0);
    tb_end(&t);
    tb_begin(&t, "overflow");
    tb_prop_cells(&t, "reg", 4, 0xffffffff, 0xfffff000, 0, 0x2000);
    tb_end(&t);
    tb_begin(&t, "cpus");
    tb_prop_cells(&t, "#address-cells", 1, 1);
    tb_prop_cells(&t, "#size-cells", 1, 0);
    tb_begin(&t, "cpu@1");
    tb_prop_cells(&t, "reg", 1, 1);
    tb_end(&t);
    tb_end(&t);
    tb_end(&t);
    tb_finish(&t);
    size_t size = tb_blob(&t, b, sizeof(b));
    struct dt dt;
    CHECK_EQ(dt_init(&dt, b, size), 0, "references tree");
#define AT(path) dt_path(&dt, path)
    int intc = AT("/intc@8000000");
    CHECK_EQ(dt_interrupt_parent(&dt, AT("/loop-a")), DT_E_LOOP, "FDT-REF-001 two-node loop");
    CHECK_EQ(dt_interrupt_parent(&dt, AT("/self")), DT_E_LOOP, "FDT-REF-002 self loop");
    CHECK_EQ(dt_interrupt_parent(&dt, AT("/dangling")), DT_E_NOTFOUND, "FDT-REF-003 dangling");
    CHECK_EQ(dt_interrupt_parent(&dt, AT("/zero")), DT_E_BADVALUE, "FDT-REF-004 phandle 0");
    CHECK_EQ(dt_interrupt_parent(&dt, AT("/wide")), DT_E_BADVALUE, "FDT-REF-005 8-byte phandle");
    CHECK_EQ(dt_interrupt_parent(&dt, AT("/via-nexus")), intc, "FDT-REF-006 through a hop");
    CHECK_EQ(dt_interrupt_parent(&dt, AT("/soc/uart@1000")), intc, "FDT-REF-007 inherited");
    CHECK_EQ(dt_phandle_node(&dt, 0x11), AT("/loop-b"), "FDT-REF-008 linux,phandle");
    CHECK_EQ(dt_phandle_node(&dt, 0xffffffff), DT_E_BADVALUE, "FDT-REF-009 phandle -1");
    CHECK_EQ(dt_phandle_node(&dt, 0x1234), DT_E_NOTFOUND, "FDT-REF-010 unknown phandle");
    uint64_t a = 0, s = 0;
    CHECK_EQ(dt_reg(&dt, AT("/nobus/d@0"), 0, &a, &s), DT_E_NOTRANSLATE, "FDT-RNG-001 no ranges");
    CHECK(dt_reg(&dt, AT("/window/in@210"), 0, &a, &s) == 0 && a == 0x3010,
          "FDT-RNG-002 second window: 0x%llx", (unsigned long long)a);
    CHECK_EQ(dt_reg(&dt, AT("/window/gap@100"), 0, &a, &s), DT_E_NOTRANSLATE, "FDT-RNG-003 gap");
    CHECK_EQ(dt_reg(&dt, AT("/window/straddle@f8"), 0, &a, &s), DT_E_NOTRANSLATE,
             "FDT-RNG-004 straddles the window end");
    CHECK_EQ(dt_reg(&dt, AT("/badranges/d@0"), 0, &a, &s), DT_E_BADVALUE,
             "FDT-RNG-005 ranges of the wrong length");
    CHECK_EQ(dt_reg(&dt, AT("/wrap/d@2000"), 0, &a, &s), DT_E_BADVALUE,
             "FDT-RNG-006 translation past 2^64");
    CHECK_EQ(dt_reg(&dt, AT("/cells0/ok"), 0, &a, &s), DT_E_BADVALUE, "FDT-CEL-001 #address 0");
    CHECK_EQ(dt_reg(&dt, AT("/cells1/ok"), 0, &a, &s), DT_E_BADVALUE, "FDT-CEL-002 #address 5");
    CHECK_EQ(dt_reg(&dt, AT("/cells2/ok"), 0, &a, &s), DT_E_BADVALUE, "FDT-CEL-003 #size 5");
    CHECK_EQ(dt_reg(&dt, AT("/cells3/d"), 0, &a, &s), DT_E_BADVALUE, "FDT-CEL-004 >64-bit addr");
    CHECK(dt_reg(&dt, AT("/cells3/ok"), 0, &a, &s) == 0 && a == 0x10 && s == 4,
          "FDT-CEL-005 3-cell address, top zero");
    CHECK_EQ(dt_address_cells(&dt, AT("/cells0")), DT_E_BADVALUE, "FDT-CEL-006");
    CHECK_EQ(dt_size_cells(&dt, AT("/cells2")), DT_E_BADVALUE, "FDT-CEL-007");
    CHECK_EQ(dt_address_cells(&dt, AT("/widecells")), DT_E_BADVALUE, "FDT-CEL-008 8-byte cells");
    CHECK_EQ(dt_reg(&dt, AT("/widecells/d"), 0, &a, &s), DT_E_BADVALUE, "FDT-CEL-009");
    CHECK_EQ(dt_reg(&dt, AT("/oddreg"), 0, &a, &s), DT_E_BADVALUE, "FDT-CEL-010 reg length");
    CHECK_EQ(dt_reg(&dt, AT("/overflow"), 0, &a, &s), DT_E_BADVALUE, "FDT-CEL-011 addr+size");
    CHECK_EQ(dt_reg(&dt, AT("/cpus/cpu@1"), 0, &a, &s), DT_E_NOTRANSLATE,
             "FDT-CEL-012 /cpus has no ranges");
    CHECK(dt_reg_untranslated(&dt, AT("/cpus/cpu@1"), 0, &a, &s) == 0 && a == 1 && s == 0,
          "FDT-CEL-013 #size-cells 0, untranslated");
    CHECK_EQ(dt_reg_untranslated(&dt, AT("/cpus/cpu@1"), 1, &a, &s), DT_E_NOTFOUND,
             "FDT-CEL-016 index");
    CHECK(dt_reg_untranslated(&dt, AT("/window/in@210"), 0, &a, &s) == 0 && a == 0x210,
          "FDT-CEL-017 untranslated bus address");
    CHECK_EQ(dt_address_cells(&dt, AT("/chosen")), 2, "FDT-CEL-014 default #address-cells");
    CHECK_EQ(dt_size_cells(&dt, AT("/chosen")), 1, "FDT-CEL-015 default #size-cells");
#undef AT
}

static void test_aliases(void)
{
    static const struct {
        const char *id, *alias, *value;
        int len; /* -1: strlen + 1 */
        int want;
    } cases[] = {
        {"FDT-ALI-001 alias to alias (loop)", "a", "b", -1, DT_E_BADVALUE},
        {"FDT-ALI-002 alias to itself", "self", "self", -1, DT_E_BADVALUE},
        {"FDT-ALI-003 alias to missing node", "gone", "/nowhere", -1, DT_E_NOTFOUND},
        {"FDT-ALI-004 empty alias", "empty", "", 0, DT_E_BADVALUE},
        {"FDT-ALI-005 unterminated alias", "raw", "/soc", 4, DT_E_BADVALUE},
        {"FDT-ALI-006 alias to root", "top", "/", -1, 0},
        {"FDT-ALI-007 unknown alias", "nosuch", NULL, 0, DT_E_NOTFOUND},
    };
    static struct tb t;
    tb_init(&t);
    tb_begin(&t, "");
    tb_begin(&t, "aliases");
    tb_prop_str(&t, "b", "a");
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        if (cases[i].value != NULL)
            tb_prop(&t, cases[i].alias, cases[i].value,
                    cases[i].len < 0 ? (uint32_t)strlen(cases[i].value) + 1
                                     : (uint32_t)cases[i].len);
    tb_end(&t);
    tb_begin(&t, "soc");
    tb_end(&t);
    tb_end(&t);
    tb_finish(&t);
    uint8_t b[4096];
    size_t size = tb_blob(&t, b, sizeof(b));
    struct dt dt;
    CHECK_EQ(dt_init(&dt, b, size), 0, "aliases tree");
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        CHECK_EQ(dt_path(&dt, cases[i].alias), cases[i].want, cases[i].id);
    CHECK_EQ(dt_path(&dt, "top/soc"), dt_path(&dt, "/soc"), "FDT-ALI-008 alias + rest");
    CHECK_EQ(dt_path_n(&dt, "top/soc/junk", 7), dt_path(&dt, "/soc"), "FDT-ALI-009 counted");
    /* An alias followed by a relative path (the base tree's "soc"). */
    size = base_blob(b);
    CHECK(dt_init(&dt, b, size) == 0, "base");
    CHECK_EQ(dt_path(&dt, "soc/uart@1000"), dt_path(&dt, "/soc/uart@1000"), "FDT-ALI-010");
}

/* xorshift32: deterministic, so a failure reproduces. */
static uint32_t rnd(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

static void mutate_loop(const char *what, const uint8_t *orig, size_t size, int iters,
                        uint32_t seed)
{
    static const uint32_t interesting[] = {
        0, 1, 2, 3, 4, 9, 0xffffffff, 0x7fffffff, 0x80000000, 0xfffffff8, 16, 17, 40, 0x1000};
    int accepted = 0;
    uint32_t s = seed;
    for (int it = 0; it < iters; it++) {
        size_t n = size;
        uint8_t *m = exact_copy(orig, size);
        int kind = (int)(rnd(&s) % 4);
        int count = 1 + (int)(rnd(&s) % 4);
        for (int k = 0; k < count; k++) {
            size_t at = rnd(&s) % size;
            if (kind == 0 || kind == 3)
                m[at] ^= (uint8_t)(1u << (rnd(&s) % 8));
            else if (kind == 1 && size >= 4)
                put_be32(m + ((at & ~(size_t)3) < size - 3 ? (at & ~(size_t)3) : 0),
                         interesting[rnd(&s) % (sizeof(interesting) / sizeof(interesting[0]))]);
            else if (kind == 2)
                m[at % 40] = (uint8_t)rnd(&s); /* header bytes */
        }
        if (kind == 3)
            n = rnd(&s) % (size + 1); /* and truncate the buffer */
        uint8_t *cut = exact_copy(m, n);
        int failures = test_failures;
        if (exercise_blob(cut, n, 12) == 0)
            accepted++;
        if (test_failures != failures)
            fprintf(stderr, "%s: mutation %d (seed %u) broke an invariant\n", what, it, seed);
        free(cut);
        free(m);
    }
    /* Most single-byte changes land in values and leave a valid tree: if
     * none was accepted the loop never reached the walkers. */
    CHECK(accepted > iters / 10, "%s: only %d of %d mutants accepted", what, accepted, iters);
    printf("%s: %d mutants, %d accepted\n", what, iters, accepted);
}

int main(int argc, char **argv)
{
    int iters = argc > 1 ? atoi(argv[1]) : 500;
    test_base();
    test_truncation();
    test_header();
    test_structure();
    test_references();
    test_aliases();
    size_t size = base_blob(buf);
    uint8_t *base = exact_copy(buf, size);
    CHECK_EQ(exercise_blob(base, size, 1000), 0, "exercise of the base tree");
    mutate_loop("base tree", base, size, iters, 1);
    free(base);
    for (int a = 2; a < argc; a++) {
        uint8_t *blob = load_file(argv[a], &size);
        CHECK_EQ(exercise_blob(blob, size, 1000), 0, base_name(argv[a]));
        mutate_loop(base_name(argv[a]), blob, size, iters, (uint32_t)a * 7919u);
        free(blob);
    }
    printf("fdt_corrupt: %s\n", test_failures == 0 ? "ok" : "FAILED");
    return test_failures == 0 ? 0 : 1;
}
