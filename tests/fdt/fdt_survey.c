/* SPDX-License-Identifier: MIT */
/* The survey: the reader and platform_probe() over every .dtb under the
 * directories given (Debian's arm64 kernel package, fetched at test time by
 * survey.sh), each compared with libfdt and probed as its firmware would
 * hand it over. Prints the table of results by reason that
 * docs/device-tree.md records, and fails on any disagreement with libfdt,
 * any tree the reader refuses that libfdt accepts, any sanitizer report,
 * and when fewer trees give a usable platform than the document records.
 *
 *   fdt_survey DOC.md DIR...
 *
 * "Usable" means platform_probe() returns 0: RAM, a console the kernel
 * drives, an interrupt controller it drives, and (from the tree or the
 * controller's standard numbers) the timer's interrupt. Where a tree leaves
 * RAM for the firmware to fill in (no memory node, or only zero-size
 * entries) the survey fills it as firmware would: 1 GiB at the base of the
 * first memory entry, or at 0x40000000 when there is none. */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <libfdt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fdt_test.h"
#include "lib/fdt.h"

#define MAX_TREES 2048
#define MAX_REASONS 128
#define EXAMPLES 3

static char *paths[MAX_TREES];
static int npaths;

struct reason {
    char text[160];
    int count;
    char examples[EXAMPLES][64];
};
static struct reason reasons[MAX_REASONS];
static int nreasons;

static struct {
    int trees, usable, ram_supplied, regs, nodes, timer_fallback, psci_missing, reserved_merged,
        many_redists, console_8250, console_sbsa;
} tally;

static void add_reason(const char *text, const char *file)
{
    for (int i = 0; i < nreasons; i++)
        if (strcmp(reasons[i].text, text) == 0) {
            if (reasons[i].count < EXAMPLES)
                snprintf(reasons[i].examples[reasons[i].count], 64, "%s", file);
            reasons[i].count++;
            return;
        }
    if (nreasons == MAX_REASONS)
        return;
    struct reason *r = &reasons[nreasons++];
    snprintf(r->text, sizeof(r->text), "%s", text);
    snprintf(r->examples[0], 64, "%s", file);
    r->count = 1;
}

/* ---- an independent reg translation with libfdt, as the reader documents
 * it (docs/device-tree.md): cells above the low two must be zero, the whole
 * region must fit one window, no ranges means no mapping. ---- */

static int cells_of(const void *fdt, int node, const char *name, int dflt, int min)
{
    int len;
    const fdt32_t *p = fdt_getprop(fdt, node, name, &len);
    if (p == NULL)
        return dflt;
    if (len != 4)
        return DT_E_BADVALUE;
    uint32_t v = fdt32_to_cpu(*p);
    return v >= (uint32_t)min && v <= 4 ? (int)v : DT_E_BADVALUE;
}

static int get_cells(const fdt32_t *p, int n, uint64_t *out)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++) {
        uint32_t c = fdt32_to_cpu(p[i]);
        if (i < n - 2 && c != 0)
            return DT_E_BADVALUE;
        v = v << 32 | c;
    }
    *out = v;
    return 0;
}

/* reg entry `index` of stack[n - 1], whose ancestors are stack[0..n - 1)
 * (stack[0] the root): the walk keeps them, which spares libfdt's linear
 * parent search. */
static int ref_reg(const void *fdt, const int *stack, int n, int index, uint64_t *addr,
                   uint64_t *size)
{
    if (n < 2)
        return DT_E_NOTFOUND;
    int node = stack[n - 1], parent = stack[n - 2];
    int ac = cells_of(fdt, parent, "#address-cells", 2, 1);
    int sc = cells_of(fdt, parent, "#size-cells", 1, 0);
    if (ac < 0 || sc < 0)
        return ac < 0 ? ac : sc;
    int len;
    const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
    if (reg == NULL)
        return DT_E_NOTFOUND;
    int entry = ac + sc;
    if (len % (4 * entry) != 0)
        return DT_E_BADVALUE;
    if (index >= len / (4 * entry))
        return DT_E_NOTFOUND;
    uint64_t a, s;
    if (get_cells(reg + index * entry, ac, &a) < 0 || get_cells(reg + index * entry + ac, sc, &s) < 0)
        return DT_E_BADVALUE;
    if (a + s < a)
        return DT_E_BADVALUE;
    for (int i = n - 2; i >= 1; i--) {
        int bus = stack[i], up = stack[i - 1];
        const fdt32_t *rg = fdt_getprop(fdt, bus, "ranges", &len);
        if (rg == NULL)
            return DT_E_NOTRANSLATE;
        if (len == 0)
            continue;
        int cac = cells_of(fdt, bus, "#address-cells", 2, 1);
        int csc = cells_of(fdt, bus, "#size-cells", 1, 0);
        int pac = cells_of(fdt, up, "#address-cells", 2, 1);
        if (cac < 0 || csc < 0 || pac < 0)
            return cac < 0 ? cac : csc < 0 ? csc : pac;
        int w = cac + pac + csc;
        if (len % (4 * w) != 0)
            return DT_E_BADVALUE;
        bool found = false;
        for (int k = 0; k < len / (4 * w) && !found; k++) {
            uint64_t cb, pb, sz;
            if (get_cells(rg + k * w, cac, &cb) < 0 || get_cells(rg + k * w + cac, pac, &pb) < 0 ||
                get_cells(rg + k * w + cac + pac, csc, &sz) < 0)
                continue;
            if (a < cb || a - cb >= sz || s > sz - (a - cb))
                continue;
            if (pb + (a - cb) < pb)
                return DT_E_BADVALUE;
            a = pb + (a - cb);
            found = true;
        }
        if (!found)
            return DT_E_NOTRANSLATE;
    }
    *addr = a;
    *size = s;
    return 0;
}

/* Walk both readers in document order: offsets, depths, names, property
 * bytes, and every reg entry's translation. */
static void compare_with_libfdt(const char *file, const uint8_t *blob, const struct dt *dt)
{
    int ldepth = -1, mdepth = 0;
    int stack[DT_MAX_DEPTH + 2];
    int ln = fdt_next_node(blob, -1, &ldepth), mn = dt_next_node(dt, -1, &mdepth);
    while ((ln >= 0 && ldepth >= 0) || mn >= 0) {
        CHECK(ln == mn && ldepth == mdepth, "%s: walk libfdt %d@%d, dt %d@%d", file, ln, ldepth, mn,
              mdepth);
        if (ln != mn || ln < 0 || ldepth > DT_MAX_DEPTH)
            return;
        stack[ldepth] = ln;
        int llen, mlen;
        const char *lname = fdt_get_name(blob, ln, &llen), *mname;
        mlen = dt_node_name(dt, mn, &mname);
        CHECK(lname != NULL && llen == mlen && memcmp(lname, mname, (size_t)mlen) == 0,
              "%s: name of node %d", file, ln);
        int lp = fdt_first_property_offset(blob, ln), mp = dt_first_prop(dt, mn);
        for (; lp >= 0 && mp == lp; lp = fdt_next_property_offset(blob, lp), mp = dt_next_prop(dt, mp)) {
            const char *pn, *qn;
            int pl;
            const void *pv = fdt_getprop_by_offset(blob, lp, &pn, &pl), *qv;
            uint32_t ql;
            CHECK(dt_prop_at(dt, mp, &qn, &qv, &ql) == 0 && pv != NULL && strcmp(pn, qn) == 0 &&
                      (uint32_t)pl == ql && memcmp(pv, qv, ql) == 0,
                  "%s: property at %d", file, lp);
        }
        CHECK(lp == mp || (lp < 0 && mp < 0), "%s: property walk of node %d: %d vs %d", file, ln,
              lp, mp);
        /* dt_reg climbs from the root each time: ask it only about nodes
         * that have reg (the others are checked by the property walk). */
        for (uint32_t i = 0; fdt_getprop(blob, ln, "reg", NULL) != NULL; i++) {
            uint64_t la = 0, ls = 0, ma = 0, ms = 0;
            int le = ref_reg(blob, stack, ldepth + 1, (int)i, &la, &ls);
            int me = dt_reg(dt, mn, i, &ma, &ms);
            CHECK(le == me && (le < 0 || (la == ma && ls == ms)),
                  "%s: node %d reg[%u]: reference %d 0x%llx+0x%llx, dt %d 0x%llx+0x%llx", file, ln,
                  i, le, (unsigned long long)la, (unsigned long long)ls, me,
                  (unsigned long long)ma, (unsigned long long)ms);
            if (le < 0 || me < 0)
                break;
            tally.regs++;
        }
        tally.nodes++;
        ln = fdt_next_node(blob, ln, &ldepth);
        mn = dt_next_node(dt, mn, &mdepth);
    }
}

/* ---- probing as the firmware would hand the tree over ---- */

static const char *first_compatible(const void *fdt, int node)
{
    const char *c = node >= 0 ? fdt_getprop(fdt, node, "compatible", NULL) : NULL;
    return c != NULL ? c : "(no compatible)";
}

/* The node stdout-path names, or -1. */
static int stdout_node(const void *fdt)
{
    int chosen = fdt_path_offset(fdt, "/chosen");
    const char *s = chosen >= 0 ? fdt_getprop(fdt, chosen, "stdout-path", NULL) : NULL;
    if (s == NULL)
        return -1;
    return fdt_path_offset_namelen(fdt, s, (int)strcspn(s, ":"));
}

/* The root interrupt controller: the root's interrupt-parent. */
static int root_irqchip(const void *fdt)
{
    const fdt32_t *p = fdt_getprop(fdt, 0, "interrupt-parent", NULL);
    return p != NULL ? fdt_node_offset_by_phandle(fdt, fdt32_to_cpu(*p)) : -1;
}

/* 1 GiB of RAM where the firmware would put it. */
static uint8_t *supply_ram(const uint8_t *blob, size_t *size)
{
    size_t cap = fdt_totalsize(blob) + 4096;
    uint8_t *buf = calloc(1, cap);
    if (buf == NULL || fdt_open_into(blob, buf, (int)cap) != 0)
        abort();
    int mem = fdt_path_offset(buf, "/memory");
    uint64_t base = 0x40000000;
    if (mem < 0) {
        mem = fdt_add_subnode(buf, 0, "memory@40000000");
        fdt_setprop_string(buf, mem, "device_type", "memory");
    } else {
        uint64_t a, s;
        struct dt dt;
        if (dt_init(&dt, buf, cap) == 0 && dt_reg_untranslated(&dt, mem, 0, &a, &s) == 0)
            base = a;
    }
    int ac = fdt_address_cells(buf, 0), sc = fdt_size_cells(buf, 0);
    fdt32_t reg[4];
    int n = 0;
    if (ac == 2)
        reg[n++] = cpu_to_fdt32((uint32_t)(base >> 32));
    reg[n++] = cpu_to_fdt32((uint32_t)base);
    if (sc == 2)
        reg[n++] = 0;
    reg[n++] = cpu_to_fdt32(0x40000000);
    CHECK(fdt_setprop(buf, mem, "reg", reg, (int)(4 * n)) == 0, "supply RAM");
    fdt_pack(buf);
    *size = fdt_totalsize(buf);
    return buf;
}

static void survey(const char *path)
{
    size_t size;
    uint8_t *blob = load_file(path, &size);
    const char *file = base_name(path);
    char name[128];
    /* vendor/board.dtb, as the package lays them out */
    const char *slash = path + strlen(path);
    int seen = 0;
    while (slash > path && seen < 2)
        if (*--slash == '/')
            seen++;
    snprintf(name, sizeof(name), "%s", seen == 2 ? slash + 1 : file);
    tally.trees++;

    int lerr = fdt_check_full(blob, size);
    struct dt dt;
    int err = dt_init(&dt, blob, size);
    CHECK((lerr == 0) == (err == 0), "%s: libfdt says %d, dt_init %d", name, lerr, err);
    if (err < 0) {
        add_reason("malformed tree", name);
        free(blob);
        return;
    }
    compare_with_libfdt(name, blob, &dt);

    struct platform p;
    int ret = platform_probe(blob, size, &p);
    uint8_t *filled = NULL;
    if (ret == PLATFORM_E_NO_MEMORY) {
        size_t fsize;
        filled = supply_ram(blob, &fsize);
        ret = platform_probe(filled, fsize, &p);
        tally.ram_supplied++;
    }
    const uint8_t *tree = filled != NULL ? filled : blob;
    char why[160];
    if (ret == 0) {
        tally.usable++;
        snprintf(why, sizeof(why), "usable");
    } else if (ret == PLATFORM_E_NO_CONSOLE) {
        int n = stdout_node(tree);
        snprintf(why, sizeof(why), "no console: stdout-path %s%s", n >= 0 ? "is " : "",
                 n >= 0 ? first_compatible(tree, n) : "absent or unresolvable");
    } else if (ret == PLATFORM_E_NO_IRQCHIP) {
        snprintf(why, sizeof(why), "no interrupt controller: root controller is %s",
                 first_compatible(tree, root_irqchip(tree)));
    } else {
        snprintf(why, sizeof(why), "%s", platform_strerror(ret));
    }
    add_reason(why, name);
    if (ret == 0 && p.timer.word[TIMER_FALLBACK] != 0)
        tally.timer_fallback++;
    if (p.power.driver == 0 && fdt_node_offset_by_prop_value(tree, -1, "enable-method", "psci", 5) >= 0)
        tally.psci_missing++;
    if (p.reserved_merged)
        tally.reserved_merged++;
    if (p.irqchip.driver == DT_DRIVER_GICV3 && p.irqchip.word[GICV3_REDIST_REGIONS] > 1)
        tally.many_redists++;
    if (ret == 0 && p.console.driver == DT_DRIVER_NS16550)
        tally.console_8250++;
    if (ret == 0 && p.console.driver == DT_DRIVER_SBSA_UART)
        tally.console_sbsa++;
    free(filled);
    free(blob);
}

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    size_t n = strlen(path);
    if (type == FTW_F && n > 4 && strcmp(path + n - 4, ".dtb") == 0 && npaths < MAX_TREES)
        paths[npaths++] = strdup(path);
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int by_count(const void *a, const void *b)
{
    const struct reason *x = a, *y = b;
    return x->count != y->count ? y->count - x->count : strcmp(x->text, y->text);
}

/* The minimum recorded in the document: the number after "survey-usable:". */
static int recorded_minimum(const char *doc)
{
    size_t n;
    char *text = (char *)load_file(doc, &n);
    char *buf = realloc(text, n + 1);
    if (buf == NULL)
        abort();
    buf[n] = '\0';
    const char *m = strstr(buf, "survey-usable:");
    int v = m != NULL ? atoi(m + strlen("survey-usable:")) : -1;
    free(buf);
    return v;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s DOC.md DIR...\n", argv[0]);
        return 2;
    }
    int minimum = recorded_minimum(argv[1]);
    CHECK(minimum > 0, "%s records no 'survey-usable: N'", argv[1]);
    for (int i = 2; i < argc; i++)
        if (nftw(argv[i], visit, 16, FTW_PHYS) != 0)
            CHECK(false, "cannot walk %s", argv[i]);
    qsort(paths, (size_t)npaths, sizeof(paths[0]), by_name);
    CHECK(npaths > 0, "no .dtb files under the directories given");
    for (int i = 0; i < npaths; i++) {
        survey(paths[i]);
        free(paths[i]);
    }
    qsort(reasons, (size_t)nreasons, sizeof(reasons[0]), by_count);
    printf("| result | trees | for example |\n|---|---|---|\n");
    for (int i = 0; i < nreasons; i++) {
        printf("| %s | %d |", reasons[i].text, reasons[i].count);
        for (int e = 0; e < EXAMPLES && e < reasons[i].count; e++)
            printf("%s `%s`", e ? "," : "", reasons[i].examples[e]);
        printf(" |\n");
    }
    printf("\n%d trees, %d nodes, %d reg entries agree with libfdt\n", tally.trees, tally.nodes,
           tally.regs);
    printf("usable: %d (recorded minimum %d); RAM supplied for %d; timer from the interrupt "
           "controller's standard numbers on %d; console a 16550 on %d, an SBSA UART on %d; "
           "reservations merged on %d; GICv3 with several redistributor regions on %d; "
           "CPUs with enable-method psci but no PSCI node on %d\n",
           tally.usable, minimum, tally.ram_supplied, tally.timer_fallback, tally.console_8250,
           tally.console_sbsa, tally.reserved_merged, tally.many_redists, tally.psci_missing);
    CHECK(tally.usable >= minimum, "%d usable trees, fewer than the %d docs/device-tree.md records",
          tally.usable, minimum);
    if (tally.usable > minimum)
        printf("note: more usable trees than recorded: raise survey-usable in %s\n", argv[1]);
    printf("survey: %s\n", test_failures == 0 ? "ok" : "FAILED");
    return test_failures == 0 ? 0 : 1;
}
