/* SPDX-License-Identifier: MIT */
/* Cross-check of kernel/lib/fdt.c against Debian's libfdt on real device trees:
 * for every DTB named on the command line, walk every node with both
 * libraries and compare node offsets, depths, names, parents, children,
 * every property's bytes, full paths both ways, path lookups, phandle
 * lookups, compatible lookups, cell counts, aliases and the memory
 * reservation block. Any mismatch fails with the file and node named. */
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fdt.h"
#include "fdt_test.h"

struct stats {
    int nodes, props, phandles, compats;
    int shadowed; /* paths that find an earlier sibling with a unit address */
};

static void compare_props(const char *file, const void *fdt, const struct dt *dt, int node,
                          const char *path, struct stats *st)
{
    int lp = fdt_first_property_offset(fdt, node);
    int mp = dt_first_prop(dt, node);
    while (lp >= 0 || mp >= 0) {
        CHECK(lp == mp, "%s %s: property offset libfdt %d, dt %d", file, path, lp, mp);
        if (lp != mp || lp < 0)
            return;
        const char *lname, *mname;
        int llen;
        const void *lval = fdt_getprop_by_offset(fdt, lp, &lname, &llen);
        const void *mval;
        uint32_t mlen;
        int err = dt_prop_at(dt, mp, &mname, &mval, &mlen);
        CHECK(lval != NULL && err == 0, "%s %s: prop at %d unreadable (%d)", file, path, lp, err);
        if (lval == NULL || err != 0)
            return;
        CHECK(strcmp(lname, mname) == 0, "%s %s: prop name %s vs %s", file, path, lname, mname);
        CHECK((uint32_t)llen == mlen && memcmp(lval, mval, mlen) == 0,
              "%s %s: prop %s bytes differ (%d vs %u)", file, path, lname, llen, mlen);
        /* Lookup by name finds the same bytes (the first property with it). */
        const void *bval;
        uint32_t blen;
        int bl;
        const void *lb = fdt_getprop(fdt, node, lname, &bl);
        err = dt_prop(dt, node, lname, &bval, &blen);
        CHECK(err == 0 && lb == bval && (uint32_t)bl == blen, "%s %s: dt_prop(%s)", file, path,
              lname);
        st->props++;
        lp = fdt_next_property_offset(fdt, lp);
        mp = dt_next_prop(dt, mp);
    }
    CHECK(lp == -FDT_ERR_NOTFOUND && mp == DT_E_NOTFOUND, "%s %s: property list end %d %d", file,
          path, lp, mp);
}

static void compare_node(const char *file, const void *fdt, const struct dt *dt, int node,
                         struct stats *st)
{
    char lpath[1024], mpath[1024];
    CHECK(fdt_get_path(fdt, node, lpath, sizeof(lpath)) == 0, "%s: fdt_get_path(%d)", file, node);
    int plen = dt_node_path(dt, node, mpath, sizeof(mpath));
    CHECK(plen >= 0 && strcmp(lpath, mpath) == 0, "%s: path of %d: libfdt %s, dt %s", file, node,
          lpath, plen >= 0 ? mpath : dt_strerror(plen));
    /* A path finds the node, unless a component without a unit address
     * names an earlier sibling with one: "/timer" then finds
     * "timer@2a810000" first, in both readers (2.2.3; Juno, Tegra210), and
     * "/soc/funnel/out-ports" a port of an earlier "funnel@..." (HiKey960).
     * The node found must then be earlier, and its path must match ours
     * component by component, up to the unit addresses ours lacks. */
    int found = fdt_path_offset(fdt, lpath);
    CHECK_EQ(dt_path(dt, lpath), found, lpath);
    if (found != node) {
        char fpath[1024];
        bool same_shape = found >= 0 && found < node &&
                          fdt_get_path(fdt, found, fpath, sizeof(fpath)) == 0;
        for (const char *a = lpath, *b = fpath; same_shape && *a;) {
            size_t al = strcspn(a + 1, "/") + 1, bl = strcspn(b + 1, "/") + 1;
            same_shape = (al == bl && strncmp(a, b, al) == 0) ||
                         (al < bl && memchr(a, '@', al) == NULL && strncmp(a, b, al) == 0 &&
                          b[al] == '@');
            a += al;
            b += bl;
            same_shape &= (*a == '\0') == (*b == '\0');
        }
        CHECK(same_shape, "%s: %s finds node %d, not %d", file, lpath, found, node);
        st->shadowed++;
    }

    int llen, mlen;
    const char *lname = fdt_get_name(fdt, node, &llen), *mname;
    mlen = dt_node_name(dt, node, &mname);
    CHECK(lname != NULL && llen == mlen && memcmp(lname, mname, (size_t)mlen) == 0, "%s %s: name",
          file, lpath);

    int lparent = fdt_parent_offset(fdt, node), mparent = dt_parent(dt, node);
    CHECK(lparent == mparent || (lparent == -FDT_ERR_NOTFOUND && mparent == DT_E_NOTFOUND),
          "%s %s: parent libfdt %d, dt %d", file, lpath, lparent, mparent);

    int lchild = fdt_first_subnode(fdt, node), mchild = dt_first_child(dt, node);
    CHECK(lchild == mchild || (lchild == -FDT_ERR_NOTFOUND && mchild == DT_E_NOTFOUND),
          "%s %s: first child libfdt %d, dt %d", file, lpath, lchild, mchild);
    if (node != 0) {
        int lsib = fdt_next_subnode(fdt, node), msib = dt_next_sibling(dt, node);
        CHECK(lsib == msib || (lsib == -FDT_ERR_NOTFOUND && msib == DT_E_NOTFOUND),
              "%s %s: next sibling libfdt %d, dt %d", file, lpath, lsib, msib);
    }

    compare_props(file, fdt, dt, node, lpath, st);

    uint32_t ph = fdt_get_phandle(fdt, node);
    if (ph != 0) {
        CHECK_EQ(dt_phandle_node(dt, ph), node, "dt_phandle_node");
        CHECK_EQ(fdt_node_offset_by_phandle(fdt, ph), node, "fdt_node_offset_by_phandle");
        st->phandles++;
    }

    int lac = fdt_address_cells(fdt, node), mac = dt_address_cells(dt, node);
    CHECK(lac == mac || (lac < 0 && mac < 0), "%s %s: #address-cells %d vs %d", file, lpath, lac,
          mac);
    int lsc = fdt_size_cells(fdt, node), msc = dt_size_cells(dt, node);
    CHECK(lsc == msc || (lsc < 0 && msc < 0), "%s %s: #size-cells %d vs %d", file, lpath, lsc, msc);

    int clen;
    const char *compat = fdt_getprop(fdt, node, "compatible", &clen);
    for (int off = 0; compat != NULL && off < clen; off += (int)strlen(compat + off) + 1) {
        const char *c = compat + off;
        CHECK(dt_is_compatible(dt, node, c), "%s %s: not compatible with %s", file, lpath, c);
        int lf = fdt_node_offset_by_compatible(fdt, -1, c), mf = dt_find_compatible(dt, -1, c);
        CHECK(lf == mf, "%s: first %s: libfdt %d, dt %d", file, c, lf, mf);
        lf = fdt_node_offset_by_compatible(fdt, node, c);
        mf = dt_find_compatible(dt, node, c);
        CHECK(lf == mf || (lf == -FDT_ERR_NOTFOUND && mf == DT_E_NOTFOUND),
              "%s: next %s after %s: libfdt %d, dt %d", file, c, lpath, lf, mf);
        st->compats++;
    }
    CHECK(!dt_is_compatible(dt, node, "tessera,no-such-device"), "%s %s: bogus compatible", file,
          lpath);
    st->nodes++;
}

static void crosscheck(const char *path)
{
    size_t size;
    uint8_t *blob = load_file(path, &size);
    const char *file = base_name(path);
    int failures_before = test_failures;
    CHECK(fdt_check_header(blob) == 0, "%s: libfdt rejects the header", file);
    struct dt dt;
    int err = dt_init(&dt, blob, size);
    CHECK(err == 0, "%s: dt_init: %s", file, dt_strerror(err));
    if (err != 0) {
        free(blob);
        return;
    }
    CHECK_EQ(dt.totalsize, fdt_totalsize(blob), "totalsize");
    CHECK_EQ(dt_root(&dt), 0, "root offset");

    /* Walk both in document order, comparing offsets and depths. */
    struct stats st = {0};
    int ldepth = -1, mdepth = 0;
    int ln = fdt_next_node(blob, -1, &ldepth);
    int mn = dt_next_node(&dt, -1, &mdepth);
    /* libfdt ends its walk by returning with depth < 0, ours with
     * DT_E_NOTFOUND. */
    while ((ln >= 0 && ldepth >= 0) || mn >= 0) {
        CHECK(ln == mn && ldepth == mdepth, "%s: walk libfdt %d@%d, dt %d@%d", file, ln, ldepth, mn,
              mdepth);
        if (ln != mn || ln < 0)
            break;
        compare_node(file, blob, &dt, ln, &st);
        ln = fdt_next_node(blob, ln, &ldepth);
        mn = dt_next_node(&dt, mn, &mdepth);
    }
    CHECK(mn == DT_E_NOTFOUND, "%s: walk ended with %d", file, mn);

    /* Aliases resolve to the same node. */
    int aliases = fdt_path_offset(blob, "/aliases");
    int nalias = 0;
    for (int p = aliases >= 0 ? fdt_first_property_offset(blob, aliases) : -1; p >= 0;
         p = fdt_next_property_offset(blob, p)) {
        const char *name;
        fdt_getprop_by_offset(blob, p, &name, NULL);
        int l = fdt_path_offset(blob, name), m = dt_path(&dt, name);
        CHECK(l == m || (l < 0 && m < 0), "%s: alias %s: libfdt %d, dt %d", file, name, l, m);
        nalias++;
    }

    /* Memory reservation block. */
    CHECK_EQ(dt_num_mem_rsv(&dt), fdt_num_mem_rsv(blob), "mem rsv count");
    for (int i = 0; i < fdt_num_mem_rsv(blob); i++) {
        uint64_t la, ls, ma = 1, ms = 1;
        fdt_get_mem_rsv(blob, i, &la, &ls);
        CHECK(dt_mem_rsv(&dt, (uint32_t)i, &ma, &ms) == 0 && la == ma && ls == ms, "%s: mem rsv %d",
              file, i);
    }
    CHECK(st.nodes > 10 && st.props > st.nodes, "%s: suspiciously small tree (%d nodes)", file,
          st.nodes);
    printf("%s: %d nodes, %d properties, %d phandles, %d compatibles, %d aliases, %d rsv, "
           "%d shadowed paths: %s\n",
           file, st.nodes, st.props, st.phandles, st.compats, nalias, fdt_num_mem_rsv(blob), st.shadowed,
           test_failures == failures_before ? "match" : "MISMATCH");
    free(blob);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s file.dtb...\n", argv[0]);
        return 2;
    }
    for (int i = 1; i < argc; i++)
        crosscheck(argv[i]);
    return test_failures == 0 ? 0 : 1;
}
