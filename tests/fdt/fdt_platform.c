/* SPDX-License-Identifier: MIT */
/* platform_probe() on the board trees, asserting the exact addresses, IDs and
 * choices the kernel relies on, then on variants of them edited with libfdt
 * to cover each decision of kernel/boot/platform.c: console fallback, aliases and
 * stdout-path options, disabled nodes, zero-size and overflowing memory,
 * reservations, PSCI variants, malformed timers and missing vital devices.
 * Usage: fdt_platform DTB_DIR [LIVE_DTB...]. A live DTB (dumped from the
 * installed QEMU by ctest) is checked against the expectation for its name. */
#include <libfdt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fdt.h"
#include "fdt_test.h"
#include "boot/platform.h"

static const char *dtb_dir;

struct expect {
    const char *name;
    int ret;
    const char *model;
    uint32_t ram_count, ram_zero;
    uint64_t ram_base, ram_size; /* first range */
    uint32_t reserved_count;
    uint32_t uart;
    uint64_t uart_base, uart_size;
    bool uart_from_stdout;
    uint32_t gic;
    uint64_t gicd, gicd_size, gicc_or_r, gicc_or_r_size;
    bool timer;
    uint32_t virt_intid, phys_intid;
    uint32_t psci;
    uint32_t psci_major, psci_minor;
};

#define VIRT_COMMON                                                                                \
    .model = "linux,dummy-virt", .ram_count = 1, .ram_base = 0x40000000,                           \
    .uart = DT_DRIVER_PL011, .uart_base = 0x09000000, .uart_size = 0x1000,                     \
    .uart_from_stdout = true, .gicd = 0x08000000, .gicd_size = 0x10000, .timer = true,             \
    .virt_intid = 27, .phys_intid = 30

static const struct expect expects[] = {
    {.name = "qemu-virt-gicv2",
     VIRT_COMMON,
     .ram_size = 0x40000000,
     .gic = 2,
     .gicc_or_r = 0x08010000,
     .gicc_or_r_size = 0x10000,
     .psci = PSCI_CONDUIT_HVC,
     .psci_major = 1},
    {.name = "qemu-virt-gicv3",
     VIRT_COMMON,
     .ram_size = 0x40000000,
     .gic = 3,
     .gicc_or_r = 0x080a0000,
     .gicc_or_r_size = 0xf60000,
     .psci = PSCI_CONDUIT_HVC,
     .psci_major = 1},
    /* virtualization=on: QEMU enters at EL2, so PSCI goes through smc. */
    {.name = "qemu-virt-el2",
     VIRT_COMMON,
     .ram_size = 0x40000000,
     .gic = 3,
     .gicc_or_r = 0x080a0000,
     .gicc_or_r_size = 0xf60000,
     .psci = PSCI_CONDUIT_SMC,
     .psci_major = 1},
    /* secure=on: the secure UART at 0x09040000 and the secure RAM are
     * "disabled"; stdout-path names the non-secure UART; firmware owns
     * PSCI, so the tree has no psci node. */
    {.name = "qemu-virt-secure",
     VIRT_COMMON,
     .ram_size = 0x40000000,
     .gic = 2,
     .gicc_or_r = 0x08010000,
     .gicc_or_r_size = 0x10000,
     .psci = PSCI_CONDUIT_NONE},
    /* The Pi 4 tree as shipped: memory is "reg = <0 0 0>" until the firmware
     * fills it in, so the probe reports no memory but still finds the rest
     * (through the /soc ranges), including the console to complain on. */
    {.name = "bcm2711-rpi-4-b",
     .ret = PLATFORM_E_NO_MEMORY,
     .model = "Raspberry Pi 4 Model B",
     .ram_count = 0,
     .ram_zero = 1,
     .reserved_count = 1,
     .uart = DT_DRIVER_BCM2835_AUX,
     .uart_base = 0xfe215040,
     .uart_size = 0x40,
     .uart_from_stdout = true,
     .gic = 2,
     .gicd = 0xff841000,
     .gicd_size = 0x1000,
     .gicc_or_r = 0xff842000,
     .gicc_or_r_size = 0x2000,
     .timer = true,
     .virt_intid = 27,
     .phys_intid = 30,
     .psci = PSCI_CONDUIT_NONE},
    /* Dumped live by ctest: -M virt,gic-version=3 -m 2G -smp 2. */
    {.name = "live-qemu-virt-gicv3-2g",
     VIRT_COMMON,
     .ram_size = 0x80000000,
     .gic = 3,
     .gicc_or_r = 0x080a0000,
     .gicc_or_r_size = 0xf60000,
     .psci = PSCI_CONDUIT_HVC,
     .psci_major = 1},
};

static void check_expect(const struct expect *e, const uint8_t *blob, size_t size)
{
    struct platform p;
    int failures = test_failures;
    int ret = platform_probe(blob, size, &p);
    const char *n = e->name;
    CHECK(ret == e->ret, "%s: probe returned %d (%s), want %d", n, ret, platform_strerror(ret),
          e->ret);
    CHECK(strcmp(p.model, e->model) == 0, "%s: model '%s'", n, p.model);
    CHECK_EQ(p.dtb_size, size, "dtb_size");
    CHECK_EQ(p.ram_count, e->ram_count, "ram_count");
    CHECK_EQ(p.ram_zero_size, e->ram_zero, "ram_zero_size");
    if (e->ram_count > 0) {
        CHECK_EQ(p.ram[0].base, e->ram_base, "ram base");
        CHECK_EQ(p.ram[0].size, e->ram_size, "ram size");
    }
    CHECK_EQ(p.reserved_count, e->reserved_count, "reserved_count");
    CHECK_EQ(p.console.driver, e->uart, "uart kind");
    CHECK_EQ(p.console.reg[0].base, e->uart_base, "uart base");
    CHECK_EQ(p.console.reg[0].size, e->uart_size, "uart size");
    CHECK_EQ(p.console.from_stdout_path, e->uart_from_stdout, "uart from stdout-path");
    CHECK_EQ(gic_version(&p), e->gic, "gic version");
    CHECK_EQ(p.irqchip.reg[0].base, e->gicd, "GICD base");
    CHECK_EQ(p.irqchip.reg[0].size, e->gicd_size, "GICD size");
    CHECK_EQ(e->gic == 2 ? gic_cpu(&p).base : gic_redist(&p).base, e->gicc_or_r, "GICC/GICR base");
    CHECK_EQ(e->gic == 2 ? gic_cpu(&p).size : gic_redist(&p).size, e->gicc_or_r_size, "GICC/GICR size");
    CHECK_EQ(e->gic == 2 ? gic_redist(&p).base : gic_cpu(&p).base, 0, "other GIC field");
    CHECK_EQ((p.timer.driver != 0), e->timer, "timer present");
    CHECK_EQ(p.timer.word[TIMER_VIRT_INTID], e->virt_intid, "virtual timer INTID");
    CHECK_EQ(p.timer.word[TIMER_PHYS_INTID], e->phys_intid, "physical timer INTID");
    CHECK_EQ(p.timer.word[TIMER_CLOCK_FREQUENCY], 0, "timer clock-frequency");
    CHECK_EQ(p.power.word[PSCI_CONDUIT], e->psci, "psci conduit");
    CHECK_EQ(p.power.word[PSCI_VERSION_MAJOR], e->psci_major, "psci major");
    bool std = e->psci != PSCI_CONDUIT_NONE;
    CHECK_EQ(p.power.word[PSCI_FN_SYSTEM_OFF], std ? 0x84000008u : 0, "SYSTEM_OFF id");
    CHECK_EQ(p.power.word[PSCI_FN_SYSTEM_RESET], std ? 0x84000009u : 0, "SYSTEM_RESET id");
    CHECK(p.bootargs[0] == '\0', "%s: bootargs '%s'", n, p.bootargs);
    if (test_failures != failures)
        fprintf(stderr, "(while checking %s)\n", n);
}

static uint8_t *load_dtb(const char *name, size_t *size)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s.dtb", dtb_dir, name);
    return load_file(path, size);
}

/* A copy of a board tree with room to edit it with libfdt. */
static uint8_t *editable(const char *name, size_t *size)
{
    size_t n;
    uint8_t *blob = load_dtb(name, &n);
    size_t cap = n + 16384;
    uint8_t *buf = calloc(1, cap);
    if (buf == NULL || fdt_open_into(blob, buf, (int)cap) != 0)
        abort();
    free(blob);
    *size = cap;
    return buf;
}

static int node_of(void *fdt, const char *path)
{
    int node = fdt_path_offset(fdt, path);
    if (node < 0) {
        fprintf(stderr, "test tree lacks %s\n", path);
        abort();
    }
    return node;
}

static int probe_edited(void *fdt, size_t size, struct platform *p)
{
    CHECK(fdt_pack(fdt) == 0, "fdt_pack");
    uint8_t *copy = exact_copy(fdt, fdt_totalsize(fdt));
    (void)size;
    int ret = platform_probe(copy, fdt_totalsize(fdt), p);
    free(copy);
    return ret;
}

/* The Pi firmware fills /memory and /chosen before starting the kernel; do
 * what it does on a 4 GiB board and check the whole result. */
static void test_pi_firmware_filled(void)
{
    size_t size;
    uint8_t *fdt = editable("bcm2711-rpi-4-b", &size);
    int mem = node_of(fdt, "/memory@0");
    uint32_t reg[] = {cpu_to_fdt32(0), cpu_to_fdt32(0),          cpu_to_fdt32(0x3b400000),
                      cpu_to_fdt32(0), cpu_to_fdt32(0x40000000), cpu_to_fdt32(0xbc000000)};
    CHECK(fdt_setprop(fdt, mem, "reg", reg, sizeof(reg)) == 0, "setprop reg");
    int chosen = node_of(fdt, "/chosen");
    CHECK(fdt_setprop_string(fdt, chosen, "bootargs", "coherent_pool=1M 8250.nr_uarts=1") == 0,
          "bootargs");
    struct platform p;
    int ret = probe_edited(fdt, size, &p);
    CHECK(ret == 0, "pi filled: probe %d (%s)", ret, platform_strerror(ret));
    CHECK_EQ(p.ram_count, 2, "pi ram_count");
    CHECK_EQ(p.ram[0].base, 0, "pi ram0 base");
    CHECK_EQ(p.ram[0].size, 0x3b400000, "pi ram0 size");
    CHECK_EQ(p.ram[1].base, 0x40000000, "pi ram1 base");
    CHECK_EQ(p.ram[1].size, 0xbc000000, "pi ram1 size");
    CHECK_EQ(p.ram_zero_size, 0, "pi zero-size");
    CHECK(strcmp(p.bootargs, "coherent_pool=1M 8250.nr_uarts=1") == 0, "bootargs '%s'", p.bootargs);
    CHECK_EQ(p.reserved_count, 1, "pi reserved");
    CHECK_EQ(p.reserved[0].base, 0, "pi rsv base");
    CHECK_EQ(p.reserved[0].size, 0x1000, "pi rsv size (spin-table page)");
    CHECK_EQ(p.console.reg[0].base, 0xfe215040, "pi mini-uart");
    CHECK_EQ(p.irqchip.reg[0].base, 0xff841000, "pi GICD");
    CHECK_EQ(gic_cpu(&p).base, 0xff842000, "pi GICC");
    CHECK_EQ(p.power.word[PSCI_CONDUIT], PSCI_CONDUIT_NONE, "pi psci");
    free(fdt);
}

/* The Pi's PL011 (serial0) is reachable by alias and path, translated
 * through /soc's ranges; the timer's interrupt parent is the GIC-400. */
static void test_pi_lookups(void)
{
    size_t size;
    uint8_t *blob = load_dtb("bcm2711-rpi-4-b", &size);
    struct dt dt;
    CHECK(dt_init(&dt, blob, size) == 0, "pi init");
    int uart0 = dt_path(&dt, "serial0");
    CHECK_EQ(uart0, dt_path(&dt, "/soc/serial@7e201000"), "serial0 alias");
    CHECK(dt_is_compatible(&dt, uart0, "arm,pl011") && dt_node_enabled(&dt, uart0), "pl011");
    uint64_t a = 0, s = 0;
    CHECK_EQ(dt_reg(&dt, uart0, 0, &a, &s), 0, "pl011 reg");
    CHECK_EQ(a, 0xfe201000, "pl011 base");
    CHECK_EQ(s, 0x200, "pl011 size");
    CHECK_EQ(dt_reg(&dt, uart0, 1, &a, &s), DT_E_NOTFOUND, "pl011 reg[1]");
    int gic = dt_find_compatible(&dt, -1, "arm,gic-400");
    int timer = dt_find_compatible(&dt, -1, "arm,armv8-timer");
    CHECK_EQ(dt_interrupt_parent(&dt, timer), gic, "timer interrupt parent");
    CHECK_EQ(dt_interrupt_parent(&dt, uart0), gic, "uart interrupt parent");
    CHECK_EQ(dt_reg(&dt, gic, 3, &a, &s), 0, "GICV");
    CHECK_EQ(a, 0xff846000, "GICV base");
    /* The short form "/soc/serial" matches the first serial@... child. */
    CHECK_EQ(dt_path(&dt, "/soc/serial"), dt_path(&dt, "/soc/serial@7e201000"), "unit-less");
    CHECK_EQ(dt_path(&dt, "serial1/"), dt_path(&dt, "/soc/serial@7e215040"), "alias + slash");
    CHECK_EQ(dt_path(&dt, "/soc/serial@7e2010"), DT_E_NOTFOUND, "partial unit address");
    CHECK_EQ(dt_path(&dt, "nosuchalias"), DT_E_NOTFOUND, "unknown alias");
    /* PCIe children use 3-cell addresses (space code in the top cell):
     * outside what a 64-bit reg can express, reported, not misread. */
    int usb = dt_path(&dt, "/scb/pcie@7d500000/pci@0,0/usb@0,0");
    CHECK(usb >= 0, "usb node");
    CHECK_EQ(dt_reg(&dt, usb, 0, &a, &s), DT_E_NOTRANSLATE, "pci child reg");
    free(blob);
}

typedef void (*edit_fn)(void *fdt);

static int probe_variant(const char *board, edit_fn edit, struct platform *p)
{
    size_t size;
    uint8_t *fdt = editable(board, &size);
    edit(fdt);
    int ret = probe_edited(fdt, size, p);
    free(fdt);
    return ret;
}

static void no_stdout(void *f)
{
    CHECK(fdt_delprop(f, node_of(f, "/chosen"), "stdout-path") == 0, "delprop");
}
static void stdout_disabled(void *f)
{
    fdt_setprop_string(f, node_of(f, "/chosen"), "stdout-path", "/pl011@9040000:115200");
}
static void stdout_alias(void *f)
{
    int al = fdt_add_subnode(f, 0, "aliases");
    fdt_setprop_string(f, al, "serial0", "/pl011@9000000");
    fdt_setprop_string(f, node_of(f, "/chosen"), "stdout-path", "serial0:115200n8");
    /* If the probe ignored stdout-path it would pick this earlier UART. */
    fdt_setprop_string(f, node_of(f, "/pl011@9040000"), "status", "okay");
}
static void stdout_not_uart(void *f)
{
    fdt_setprop_string(f, node_of(f, "/chosen"), "stdout-path", "/pl031@9010000");
}
static void stdout_legacy(void *f)
{
    /* Offsets move with every edit: look nodes up again each time. */
    fdt_delprop(f, node_of(f, "/chosen"), "stdout-path");
    fdt_setprop_string(f, node_of(f, "/pl011@9040000"), "status", "ok");
    fdt_setprop_string(f, node_of(f, "/chosen"), "linux,stdout-path", "/pl011@9040000");
}
static void gic_unknown(void *f)
{
    fdt_setprop_string(f, node_of(f, "/intc@8000000"), "compatible", "arm,gic-v5");
}
static void gic_disabled(void *f)
{
    fdt_setprop_string(f, node_of(f, "/intc@8000000"), "status", "disabled");
}
static void gic_one_reg(void *f)
{
    uint32_t reg[] = {0, cpu_to_fdt32(0x08000000), 0, cpu_to_fdt32(0x10000)};
    fdt_setprop(f, node_of(f, "/intc@8000000"), "reg", reg, sizeof(reg));
}
static void no_memory(void *f)
{
    fdt_del_node(f, node_of(f, "/memory@40000000"));
}
static void no_uart(void *f)
{
    fdt_setprop_string(f, node_of(f, "/pl011@9000000"), "compatible", "tessera,no-such-uart");
}
static void psci_bad_method(void *f)
{
    fdt_setprop_string(f, node_of(f, "/psci"), "method", "svc");
}
static void psci_v01(void *f)
{
    fdt_setprop_string(f, node_of(f, "/psci"), "compatible", "arm,psci");
}
static void psci_v02_disabled(void *f)
{
    fdt_setprop_string(f, node_of(f, "/psci"), "compatible", "arm,psci-0.2");
    fdt_setprop_string(f, node_of(f, "/psci"), "status", "disabled");
}
static void reservations(void *f)
{
    fdt_add_mem_rsv(f, 0x48000000, 0x1000);
    fdt_add_mem_rsv(f, 0x0, 0x0); /* size 0: ignored */
    int rm = fdt_add_subnode(f, 0, "reserved-memory");
    fdt_setprop_u32(f, rm, "#address-cells", 2);
    fdt_setprop_u32(f, rm, "#size-cells", 2);
    fdt_setprop(f, rm, "ranges", NULL, 0);
    int a = fdt_add_subnode(f, rm, "fw@7f000000");
    uint32_t reg[] = {0, cpu_to_fdt32(0x7f000000), 0, cpu_to_fdt32(0x100000),
                      0, cpu_to_fdt32(0x7f200000), 0, cpu_to_fdt32(0x2000)};
    fdt_setprop(f, a, "reg", reg, sizeof(reg));
    int b = fdt_add_subnode(f, rm, "off@70000000");
    fdt_setprop(f, b, "reg", reg, 16);
    fdt_setprop_string(f, b, "status", "disabled");
    int c = fdt_add_subnode(f, rm, "pool");
    fdt_setprop_u64(f, c, "size", 0x400000);
}
/* Three more reservations than the table holds, spread out, with one far
 * away: each extra one is merged with its nearest neighbour. */
#define EXTRA_RESERVED 3
static uint64_t many_rsv_base(uint64_t i)
{
    return i == 5 ? 0x7f000000 : 0x50000000 + i * 0x10000 + (i % 3) * 0x100;
}
static void too_many_reservations(void *f)
{
    for (uint64_t i = 0; i < PLATFORM_MAX_RESERVED + EXTRA_RESERVED; i++)
        fdt_add_mem_rsv(f, many_rsv_base(i), 0x1000);
}
static void many_ram_ranges(void *f)
{
    uint32_t reg[4 * 11];
    for (int i = 0; i < 11; i++) {
        reg[4 * i] = 0;
        reg[4 * i + 1] = cpu_to_fdt32(0x40000000u + (uint32_t)i * 0x1000000u);
        reg[4 * i + 2] = 0;
        reg[4 * i + 3] = cpu_to_fdt32(i == 1 ? 0 : 0x100000); /* one zero-size */
    }
    fdt_setprop(f, node_of(f, "/memory@40000000"), "reg", reg, sizeof(reg));
}
static void long_strings(void *f)
{
    char s[400];
    memset(s, 'x', sizeof(s) - 1);
    s[sizeof(s) - 1] = '\0';
    fdt_setprop_string(f, node_of(f, "/chosen"), "bootargs", s);
    fdt_setprop_string(f, 0, "model", s);
}
static void timer_short(void *f)
{
    uint32_t irq[] = {cpu_to_fdt32(1), cpu_to_fdt32(13), cpu_to_fdt32(4), cpu_to_fdt32(1)};
    fdt_setprop(f, node_of(f, "/timer"), "interrupts", irq, sizeof(irq));
}
static void timer_spi(void *f)
{
    uint32_t irq[12] = {0};
    for (int i = 0; i < 4; i++)
        irq[3 * i + 1] = cpu_to_fdt32(13u - (uint32_t)i);
    fdt_setprop(f, node_of(f, "/timer"), "interrupts", irq, sizeof(irq)); /* type 0 = SPI */
}
static void timer_freq(void *f)
{
    fdt_setprop_u32(f, node_of(f, "/timer"), "clock-frequency", 62500000);
}

/* Precedence: each edit puts a competing node first in document order
 * (fdt_add_subnode inserts before the parent's other children), to pin down
 * which of several candidates each probe picks. */
static int first_child_named(void *f, const char *name)
{
    int node = fdt_add_subnode(f, 0, name);
    CHECK(node >= 0, "add %s: %d", name, node);
    return node;
}
static void set_reg(void *f, int node, uint32_t base, uint32_t size)
{
    uint32_t reg[] = {0, cpu_to_fdt32(base), 0, cpu_to_fdt32(size)};
    fdt_setprop(f, node, "reg", reg, sizeof(reg));
}
static void set_timer_irqs(void *f, int node, uint32_t phys_ppi, uint32_t virt_ppi)
{
    uint32_t irq[12];
    uint32_t ppi[4] = {13, phys_ppi, virt_ppi, 10};
    for (int i = 0; i < 4; i++) {
        irq[3 * i] = cpu_to_fdt32(1);
        irq[3 * i + 1] = cpu_to_fdt32(ppi[i]);
        irq[3 * i + 2] = cpu_to_fdt32(4);
    }
    fdt_setprop(f, node, "interrupts", irq, sizeof(irq));
}
static void uart_order(void *f)
{
    /* Both UARTs enabled, no stdout-path: 0x09040000 comes first. */
    fdt_delprop(f, node_of(f, "/chosen"), "stdout-path");
    fdt_setprop_string(f, node_of(f, "/pl011@9040000"), "status", "okay");
}
static void uart_first_no_reg(void *f)
{
    uart_order(f);
    fdt_delprop(f, node_of(f, "/pl011@9040000"), "reg");
}
static void uart_compat_unterminated(void *f)
{
    /* 2.3.1 strings are matched until one runs off the value. */
    fdt_setprop(f, node_of(f, "/pl011@9000000"), "compatible", "arm,pl011\0arm,primecell", 23);
}
static void uart_compat_unterminated_late(void *f)
{
    fdt_setprop(f, node_of(f, "/pl011@9000000"), "compatible", "arm,primecell\0arm,pl011", 23);
}
static void gic_first_one_reg(void *f)
{
    int gic = first_child_named(f, "intc@2c000000");
    fdt_setprop_string(f, gic, "compatible", "arm,gic-400");
    set_reg(f, gic, 0x2c001000, 0x1000);
}
static void gic_first_usable(void *f)
{
    int gic = first_child_named(f, "intc@2c000000");
    fdt_setprop_string(f, gic, "compatible", "arm,gic-v3");
    uint32_t reg[] = {0, cpu_to_fdt32(0x2c000000), 0, cpu_to_fdt32(0x10000),
                      0, cpu_to_fdt32(0x2c100000), 0, cpu_to_fdt32(0x100000)};
    fdt_setprop(f, gic, "reg", reg, sizeof(reg));
}
static void gic_first_usable_no_root_parent(void *f)
{
    gic_first_usable(f);
    fdt_delprop(f, 0, "interrupt-parent");
}
static void no_timer(void *f)
{
    fdt_del_node(f, node_of(f, "/timer"));
}
/* GICv3 with 4-cell specifiers (the PPI partition cell), as RK3399 has. */
static void gic_four_cells(void *f)
{
    fdt_setprop_u32(f, node_of(f, "/intc@8000000"), "#interrupt-cells", 4);
    uint32_t irq[16];
    uint32_t ppi[4] = {13, 14, 11, 10};
    for (int i = 0; i < 4; i++) {
        irq[4 * i] = cpu_to_fdt32(1);
        irq[4 * i + 1] = cpu_to_fdt32(ppi[i]);
        irq[4 * i + 2] = cpu_to_fdt32(4);
        irq[4 * i + 3] = 0;
    }
    fdt_setprop(f, node_of(f, "/timer"), "interrupts", irq, sizeof(irq));
}
/* The timer's interrupts through interrupts-extended (Renesas RZ/G2M),
 * PPIs 13, 12, 9, 10 so that a result from "interrupts" would show. */
static void timer_extended(void *f)
{
    uint32_t gic = fdt_get_phandle(f, node_of(f, "/intc@8000000"));
    uint32_t irq[16];
    uint32_t ppi[4] = {13, 12, 9, 10};
    for (int i = 0; i < 4; i++) {
        irq[4 * i] = cpu_to_fdt32(gic);
        irq[4 * i + 1] = cpu_to_fdt32(1);
        irq[4 * i + 2] = cpu_to_fdt32(ppi[i]);
        irq[4 * i + 3] = cpu_to_fdt32(4);
    }
    fdt_setprop(f, node_of(f, "/timer"), "interrupts-extended", irq, sizeof(irq));
}
/* interrupts-extended naming a controller the kernel does not drive. */
static void timer_extended_other(void *f)
{
    uint32_t other = fdt_get_phandle(f, node_of(f, "/intc@8000000/its@8080000"));
    uint32_t irq[8] = {cpu_to_fdt32(other), cpu_to_fdt32(1), cpu_to_fdt32(other),
                       cpu_to_fdt32(2), cpu_to_fdt32(other), cpu_to_fdt32(3)};
    int its = node_of(f, "/intc@8000000/its@8080000");
    fdt_setprop_u32(f, its, "#interrupt-cells", 1);
    fdt_setprop(f, node_of(f, "/timer"), "interrupts-extended", irq, 24);
}
static void gic_qcom(void *f)
{
    fdt_setprop_string(f, node_of(f, "/intc@8000000"), "compatible", "qcom,msm-qgic2");
}
/* Two redistributor regions (hip07-d05 has four) and a stride. */
static void gic_two_regions(void *f)
{
    int gic = node_of(f, "/intc@8000000");
    uint32_t reg[] = {0, cpu_to_fdt32(0x08000000), 0, cpu_to_fdt32(0x10000),
                      0, cpu_to_fdt32(0x080a0000), 0, cpu_to_fdt32(0x40000),
                      0, cpu_to_fdt32(0x080e0000), 0, cpu_to_fdt32(0xf20000)};
    fdt_setprop(f, gic, "reg", reg, sizeof(reg));
    fdt_setprop_u32(f, gic, "#redistributor-regions", 2);
    fdt_setprop_u32(f, gic, "redistributor-stride", 0x20000);
}
static void gic_regions_missing(void *f)
{
    fdt_setprop_u32(f, node_of(f, "/intc@8000000"), "#redistributor-regions", 2);
}
static void uart_dw_apb(void *f)
{
    int u = node_of(f, "/pl011@9000000");
    fdt_setprop(f, u, "compatible", "rockchip,rk3399-uart\0snps,dw-apb-uart", 38);
    fdt_setprop_u32(f, u, "reg-shift", 2);
    fdt_setprop_u32(f, u, "reg-io-width", 4);
    fdt_setprop_u32(f, u, "clock-frequency", 24000000);
}
static void uart_16550_offset(void *f)
{
    int u = node_of(f, "/pl011@9000000");
    fdt_setprop_string(f, u, "compatible", "ns16550a");
    fdt_setprop_u32(f, u, "reg-offset", 0x40);
}
static void uart_16550_bad_width(void *f)
{
    int u = node_of(f, "/pl011@9000000");
    fdt_setprop_string(f, u, "compatible", "ti,am654-uart");
    fdt_setprop_u32(f, u, "reg-io-width", 3);
}
static void uart_16550_big_endian(void *f)
{
    int u = node_of(f, "/pl011@9000000");
    fdt_setprop_string(f, u, "compatible", "nvidia,tegra20-uart");
    fdt_setprop(f, u, "big-endian", NULL, 0);
}
static void uart_sbsa(void *f)
{
    fdt_setprop(f, node_of(f, "/pl011@9000000"), "compatible", "arm,sbsa-uart\0arm,pl011", 24);
}
static void earlycon_args(void *f, const char *args)
{
    fdt_setprop_string(f, node_of(f, "/pl011@9000000"), "compatible", "qcom,geni-debug-uart");
    fdt_setprop_string(f, node_of(f, "/chosen"), "bootargs", args);
}
static void earlycon_8250(void *f)
{
    earlycon_args(f, "console=ttyS2,115200n8 earlycon=uart8250,mmio32,0x09000000,115200n8 quiet");
}
static void earlycon_pl011(void *f)
{
    earlycon_args(f, "earlycon=pl011,150994944");
}
static void earlycon_unknown(void *f)
{
    earlycon_args(f, "earlycon=qcom_geni,0x9000000 earlycon earlycon=uart8250,io,0x3f8 "
                     "earlycon=pl011,0xzz earlycon=uart8250,mmio32be,0x9000000");
}
static void smp_psci(void *f)
{
    int cpus = node_of(f, "/cpus");
    fdt_setprop_string(f, node_of(f, "/cpus/cpu@0"), "enable-method", "psci");
    for (int i = 3; i >= 1; i--) {
        char name[16];
        snprintf(name, sizeof(name), "cpu@%d", i);
        int c = fdt_add_subnode(f, cpus, name);
        fdt_setprop_string(f, c, "device_type", "cpu");
        fdt_setprop_string(f, c, "compatible", "arm,cortex-a72");
        fdt_setprop_u32(f, c, "reg", (uint32_t)i);
        fdt_setprop_string(f, c, "enable-method", i == 3 ? "spin-table" : "psci");
        if (i == 3)
            fdt_setprop_u64(f, c, "cpu-release-addr", 0x400000f0);
        if (i == 2)
            fdt_setprop_string(f, c, "status", "disabled");
    }
    int map = fdt_add_subnode(f, cpus, "cpu-map");
    fdt_add_subnode(f, map, "cluster0");
}
static void timer_first_disabled(void *f)
{
    int t = first_child_named(f, "timer0");
    fdt_setprop_string(f, t, "compatible", "arm,armv7-timer");
    fdt_setprop_string(f, t, "status", "disabled");
    set_timer_irqs(f, t, 12, 9);
}
static void timer_first_enabled(void *f)
{
    int t = first_child_named(f, "timer0");
    fdt_setprop_string(f, t, "compatible", "arm,armv7-timer");
    set_timer_irqs(f, t, 12, 9);
}
static void timer_first_malformed(void *f)
{
    int t = first_child_named(f, "timer0");
    fdt_setprop_string(f, t, "compatible", "arm,armv8-timer");
    fdt_setprop_u32(f, t, "interrupts", 1);
}
static void psci_less_specific_first(void *f)
{
    int ps = first_child_named(f, "psci-old");
    fdt_setprop_string(f, ps, "compatible", "arm,psci-0.2");
    fdt_setprop_string(f, ps, "method", "smc");
}
static void psci_most_specific_disabled(void *f)
{
    fdt_setprop_string(f, node_of(f, "/psci"), "status", "disabled");
    int ps = first_child_named(f, "psci-old");
    fdt_setprop_string(f, ps, "compatible", "arm,psci-0.2");
    fdt_setprop_string(f, ps, "method", "smc");
}
static void memory_two(void *f)
{
    int m = first_child_named(f, "memory@80000000");
    fdt_setprop_string(f, m, "device_type", "memory");
    set_reg(f, m, 0x80000000, 0x1000000);
}
static void nested_chosen(void *f)
{
    /* Only the root's children are /chosen and /reserved-memory. */
    fdt_setprop_string(f, node_of(f, "/chosen"), "bootargs", "right");
    int bus = first_child_named(f, "bus");
    int ch = fdt_add_subnode(f, bus, "chosen");
    fdt_setprop_string(f, ch, "bootargs", "wrong");
    fdt_setprop_string(f, ch, "stdout-path", "/pl011@9040000");
    int rm = fdt_add_subnode(f, bus, "reserved-memory");
    int r = fdt_add_subnode(f, rm, "r@0");
    set_reg(f, r, 0x7f000000, 0x1000);
}
static void unit_chosen(void *f)
{
    /* "/chosen" also names chosen@0 (2.2.3), and the first one wins. */
    fdt_setprop_string(f, node_of(f, "/chosen"), "bootargs", "second");
    int ch = first_child_named(f, "chosen@0");
    fdt_setprop_string(f, ch, "bootargs", "first");
}

static void test_variants(void)
{
    struct platform p;
    int r;

    r = probe_variant("qemu-virt-secure", no_stdout, &p);
    CHECK(r == 0 && p.console.reg[0].base == 0x09000000 && !p.console.from_stdout_path,
          "no stdout-path: first enabled UART (%d, 0x%llx)", r, (unsigned long long)p.console.reg[0].base);
    r = probe_variant("qemu-virt-secure", stdout_disabled, &p);
    CHECK(r == 0 && p.console.reg[0].base == 0x09000000 && !p.console.from_stdout_path,
          "stdout-path to a disabled UART falls back (%d, 0x%llx)", r,
          (unsigned long long)p.console.reg[0].base);
    r = probe_variant("qemu-virt-secure", stdout_alias, &p);
    CHECK(r == 0 && p.console.reg[0].base == 0x09000000 && p.console.from_stdout_path,
          "alias with options (%d, 0x%llx)", r, (unsigned long long)p.console.reg[0].base);
    r = probe_variant("qemu-virt-gicv2", stdout_not_uart, &p);
    CHECK(r == 0 && p.console.reg[0].base == 0x09000000 && !p.console.from_stdout_path, "stdout on an RTC");
    r = probe_variant("qemu-virt-secure", stdout_legacy, &p);
    CHECK(r == 0 && p.console.reg[0].base == 0x09040000 && p.console.from_stdout_path,
          "linux,stdout-path and status \"ok\" (%d, 0x%llx)", r, (unsigned long long)p.console.reg[0].base);

    r = probe_variant("qemu-virt-gicv2", gic_unknown, &p);
    CHECK(r == PLATFORM_E_NO_IRQCHIP && p.console.reg[0].base == 0x09000000, "unknown GIC: %d", r);
    r = probe_variant("qemu-virt-gicv3", gic_disabled, &p);
    CHECK_EQ(r, PLATFORM_E_NO_IRQCHIP, "disabled GIC");
    r = probe_variant("qemu-virt-gicv2", gic_one_reg, &p);
    CHECK_EQ(r, PLATFORM_E_NO_IRQCHIP, "GICv2 without GICC");
    r = probe_variant("qemu-virt-gicv2", no_memory, &p);
    CHECK(r == PLATFORM_E_NO_MEMORY && p.console.driver == DT_DRIVER_PL011 && gic_version(&p) == 2,
          "no memory: %d, rest still probed", r);
    r = probe_variant("qemu-virt-gicv2", no_uart, &p);
    CHECK(r == PLATFORM_E_NO_CONSOLE && p.console.driver == DT_DRIVER_NONE, "no uart: %d", r);

    r = probe_variant("qemu-virt-gicv2", psci_bad_method, &p);
    CHECK(r == 0 && p.power.word[PSCI_CONDUIT] == PSCI_CONDUIT_NONE && p.power.word[PSCI_FN_SYSTEM_OFF] == 0,
          "unknown PSCI method");
    r = probe_variant("qemu-virt-gicv2", psci_v01, &p);
    CHECK(r == 0 && p.power.word[PSCI_CONDUIT] == PSCI_CONDUIT_HVC && p.power.word[PSCI_VERSION_MAJOR] == 0 &&
              p.power.word[PSCI_VERSION_MINOR] == 1 && p.power.word[PSCI_FN_SYSTEM_OFF] == 0,
          "PSCI 0.1 has no SYSTEM_OFF");
    r = probe_variant("qemu-virt-gicv2", psci_v02_disabled, &p);
    CHECK(r == 0 && p.power.word[PSCI_CONDUIT] == PSCI_CONDUIT_NONE, "disabled PSCI");

    r = probe_variant("qemu-virt-gicv2", reservations, &p);
    CHECK_EQ(r, 0, "reservations probe");
    CHECK_EQ(p.reserved_count, 3, "reserved_count");
    CHECK(p.reserved[0].base == 0x48000000 && p.reserved[0].size == 0x1000, "rsvmap entry");
    CHECK(p.reserved[1].base == 0x7f000000 && p.reserved[1].size == 0x100000, "rmem reg[0]");
    CHECK(p.reserved[2].base == 0x7f200000 && p.reserved[2].size == 0x2000, "rmem reg[1]");
    r = probe_variant("qemu-virt-gicv2", too_many_reservations, &p);
    CHECK_EQ(r, 0, "reservation overflow merges");
    CHECK_EQ(p.reserved_count, PLATFORM_MAX_RESERVED, "reserved table full");
    CHECK_EQ(p.reserved_merged, EXTRA_RESERVED, "merged reservations");
    for (uint64_t i = 0; i < PLATFORM_MAX_RESERVED + EXTRA_RESERVED; i++) {
        bool covered = false;
        for (unsigned k = 0; k < p.reserved_count; k++)
            covered |= p.reserved[k].base <= many_rsv_base(i) &&
                       many_rsv_base(i) + 0x1000 <= p.reserved[k].base + p.reserved[k].size;
        CHECK(covered, "reservation %llu (0x%llx) dropped", (unsigned long long)i,
              (unsigned long long)many_rsv_base(i));
    }
    /* Merging reserves only the gap to the nearest range: nothing swallows
     * the whole region up to the far one. */
    for (unsigned k = 0; k < p.reserved_count; k++)
        CHECK(p.reserved[k].size <= 0x40000 || p.reserved[k].base == 0x7f000000,
              "merge reserved 0x%llx bytes at 0x%llx", (unsigned long long)p.reserved[k].size,
              (unsigned long long)p.reserved[k].base);

    r = probe_variant("qemu-virt-gicv2", many_ram_ranges, &p);
    CHECK(r == 0 && p.ram_count == PLATFORM_MAX_RAM && p.ram_truncated && p.ram_zero_size == 1,
          "RAM table overflow: %d count %u zero %u", r, p.ram_count, p.ram_zero_size);
    CHECK(p.ram[1].base == 0x42000000 && p.ram[7].base == 0x48000000, "RAM order");

    r = probe_variant("qemu-virt-gicv2", long_strings, &p);
    CHECK(r == 0 && strlen(p.bootargs) == PLATFORM_BOOTARGS_MAX - 1 && p.bootargs_truncated &&
              strlen(p.model) == PLATFORM_MODEL_MAX - 1 && p.model_truncated,
          "long strings cut");

    /* An unusable timer node: the GIC's standard PPIs (BSA), flagged. */
    r = probe_variant("qemu-virt-gicv3", timer_short, &p);
    CHECK(r == 0 && p.timer.driver == DT_DRIVER_ARMV8_TIMER && p.timer.word[TIMER_FALLBACK] == 1 &&
              p.timer.word[TIMER_VIRT_INTID] == 27 && p.timer.word[TIMER_PHYS_INTID] == 30 &&
              p.timer.node == -1,
          "short timer interrupts: fallback");
    r = probe_variant("qemu-virt-gicv3", timer_spi, &p);
    CHECK(r == 0 && p.timer.word[TIMER_FALLBACK] == 1 && p.timer.word[TIMER_VIRT_INTID] == 27,
          "timer on SPIs: fallback");
    r = probe_variant("qemu-virt-gicv3", no_timer, &p);
    CHECK(r == 0 && p.timer.word[TIMER_FALLBACK] == 1 && p.timer.word[TIMER_VIRT_INTID] == 27 &&
              p.timer.word[TIMER_PHYS_INTID] == 30,
          "no timer node: fallback");
    r = probe_variant("qemu-virt-gicv3", gic_unknown, &p);
    CHECK(r == PLATFORM_E_NO_IRQCHIP && p.timer.driver == 0, "no controller: no timer fallback");
    r = probe_variant("qemu-virt-gicv3", timer_freq, &p);
    CHECK(r == 0 && (p.timer.driver != 0) && p.timer.word[TIMER_CLOCK_FREQUENCY] == 62500000, "timer frequency");

    /* Issue 16's defects, each on an edited board tree. */
    r = probe_variant("qemu-virt-gicv3", gic_four_cells, &p);
    CHECK(r == 0 && p.timer.word[TIMER_FALLBACK] == 0 && p.timer.word[TIMER_VIRT_INTID] == 27 &&
              p.timer.word[TIMER_PHYS_INTID] == 30,
          "4-cell GICv3 specifiers (%u/%u)", p.timer.word[TIMER_VIRT_INTID],
          p.timer.word[TIMER_PHYS_INTID]);
    r = probe_variant("qemu-virt-gicv3", timer_extended, &p);
    CHECK(r == 0 && p.timer.word[TIMER_FALLBACK] == 0 && p.timer.word[TIMER_VIRT_INTID] == 25 &&
              p.timer.word[TIMER_PHYS_INTID] == 28,
          "interrupts-extended (%u/%u)", p.timer.word[TIMER_VIRT_INTID],
          p.timer.word[TIMER_PHYS_INTID]);
    r = probe_variant("qemu-virt-gicv3", timer_extended_other, &p);
    CHECK(r == 0 && p.timer.word[TIMER_FALLBACK] == 1, "interrupts-extended to another controller");
    r = probe_variant("qemu-virt-gicv2", gic_qcom, &p);
    CHECK(r == 0 && gic_version(&p) == 2 && gic_cpu(&p).base == 0x08010000 &&
              p.timer.word[TIMER_FALLBACK] == 0 && p.timer.word[TIMER_VIRT_INTID] == 27,
          "qcom,msm-qgic2 is a GICv2 (%d)", r);
    r = probe_variant("qemu-virt-gicv3", gic_two_regions, &p);
    CHECK(r == 0 && gic_version(&p) == 3 && p.irqchip.reg_count == 3 &&
              p.irqchip.word[GICV3_REDIST_REGIONS] == 2 &&
              p.irqchip.word[GICV3_REDIST_STRIDE] == 0x20000 && p.irqchip.reg[1].base == 0x080a0000 &&
              p.irqchip.reg[2].base == 0x080e0000 && p.irqchip.reg[2].size == 0xf20000,
          "two redistributor regions (%d)", r);
    r = probe_variant("qemu-virt-gicv3", gic_regions_missing, &p);
    CHECK_EQ(r, PLATFORM_E_NO_IRQCHIP, "#redistributor-regions beyond reg");
    r = probe_variant("qemu-virt-gicv2", uart_dw_apb, &p);
    CHECK(r == 0 && p.console.driver == DT_DRIVER_NS16550 && p.console.reg[0].base == 0x09000000 &&
              p.console.word[UART_REG_SHIFT] == 2 && p.console.word[UART_IO_WIDTH] == 4 &&
              p.console.word[UART_CLOCK] == 24000000 && p.console.from_stdout_path,
          "snps,dw-apb-uart with reg-shift and reg-io-width (%d)", r);
    r = probe_variant("qemu-virt-gicv2", uart_16550_offset, &p);
    CHECK(r == 0 && p.console.driver == DT_DRIVER_NS16550 && p.console.reg[0].base == 0x09000040 &&
              p.console.reg[0].size == 0xfc0 && p.console.word[UART_REG_SHIFT] == 0 &&
              p.console.word[UART_IO_WIDTH] == 1,
          "ns16550a defaults and reg-offset (%d)", r);
    r = probe_variant("qemu-virt-gicv2", uart_16550_bad_width, &p);
    CHECK_EQ(r, PLATFORM_E_NO_CONSOLE, "reg-io-width 3");
    r = probe_variant("qemu-virt-gicv2", uart_16550_big_endian, &p);
    CHECK_EQ(r, PLATFORM_E_NO_CONSOLE, "big-endian 16550");
    r = probe_variant("qemu-virt-gicv2", uart_sbsa, &p);
    CHECK(r == 0 && p.console.driver == DT_DRIVER_SBSA_UART && p.console.reg[0].base == 0x09000000,
          "arm,sbsa-uart before arm,pl011 (%d)", r);
    r = probe_variant("qemu-virt-gicv2", earlycon_8250, &p);
    CHECK(r == 0 && p.console.driver == DT_DRIVER_NS16550 && p.console.from_earlycon &&
              p.console.node == -1 && p.console.reg[0].base == 0x09000000 &&
              p.console.word[UART_REG_SHIFT] == 2 && p.console.word[UART_IO_WIDTH] == 4,
          "earlycon=uart8250,mmio32 (%d)", r);
    r = probe_variant("qemu-virt-gicv2", earlycon_pl011, &p);
    CHECK(r == 0 && p.console.driver == DT_DRIVER_PL011 && p.console.from_earlycon &&
              p.console.reg[0].base == 0x09000000,
          "earlycon=pl011 with a decimal address (%d)", r);
    r = probe_variant("qemu-virt-gicv2", earlycon_unknown, &p);
    CHECK(r == PLATFORM_E_NO_CONSOLE && p.console.driver == 0 && !p.console.from_earlycon,
          "unusable earlycon= forms (%d)", r);
    r = probe_variant("qemu-virt-gicv3", smp_psci, &p);
    /* fdt_add_subnode puts each new CPU first: cpu@1, @2, @3, then @0. */
    CHECK(r == 0 && p.cpu_count == 3 && p.cpu[0].mpidr == 1 &&
              p.cpu[0].enable_method == PLATFORM_CPU_PSCI && p.cpu[1].mpidr == 3 &&
              p.cpu[1].enable_method == PLATFORM_CPU_SPIN_TABLE &&
              p.cpu[1].release_addr == 0x400000f0 && p.cpu[2].mpidr == 0 &&
              p.cpu[2].enable_method == PLATFORM_CPU_PSCI && !p.cpus_truncated &&
              p.power.word[PSCI_FN_CPU_ON] == 0xc4000003u,
          "CPUs: psci, spin-table, a disabled one and cpu-map skipped (%d, %u)", r, p.cpu_count);

    /* Precedence between competing candidates. */
    r = probe_variant("qemu-virt-secure", uart_order, &p);
    CHECK(r == 0 && p.console.reg[0].base == 0x09040000 && !p.console.from_stdout_path,
          "first enabled UART in document order (%d, 0x%llx)", r, (unsigned long long)p.console.reg[0].base);
    r = probe_variant("qemu-virt-secure", uart_first_no_reg, &p);
    CHECK(r == 0 && p.console.reg[0].base == 0x09000000 && !p.console.from_stdout_path,
          "UART without reg skipped (%d, 0x%llx)", r, (unsigned long long)p.console.reg[0].base);
    r = probe_variant("qemu-virt-gicv2", uart_compat_unterminated, &p);
    CHECK(r == 0 && p.console.driver == DT_DRIVER_PL011 && p.console.from_stdout_path,
          "pl011 before an unterminated compatible string (%d)", r);
    r = probe_variant("qemu-virt-gicv2", uart_compat_unterminated_late, &p);
    CHECK_EQ(r, PLATFORM_E_NO_CONSOLE, "pl011 as an unterminated compatible string");
    r = probe_variant("qemu-virt-gicv2", gic_first_one_reg, &p);
    CHECK(r == 0 && gic_version(&p) == 2 && p.irqchip.reg[0].base == 0x08000000 &&
              gic_cpu(&p).base == 0x08010000,
          "GIC with one reg skipped (%d, 0x%llx)", r, (unsigned long long)p.irqchip.reg[0].base);
    r = probe_variant("qemu-virt-gicv2", gic_first_usable, &p);
    CHECK(r == 0 && gic_version(&p) == 2 && p.irqchip.reg[0].base == 0x08000000,
          "the root's interrupt parent before document order (%d, v%u)", r, gic_version(&p));
    r = probe_variant("qemu-virt-gicv2", gic_first_usable_no_root_parent, &p);
    CHECK(r == 0 && gic_version(&p) == 3 && p.irqchip.reg[0].base == 0x2c000000 &&
              gic_redist(&p).base == 0x2c100000 && gic_redist(&p).size == 0x100000 &&
              gic_cpu(&p).base == 0 && p.irqchip.word[GICV3_REDIST_REGIONS] == 1,
          "no interrupt parent at the root: first usable GIC in document order (%d, v%u)", r,
          gic_version(&p));
    r = probe_variant("qemu-virt-gicv3", timer_first_disabled, &p);
    CHECK(r == 0 && (p.timer.driver != 0) && p.timer.word[TIMER_PHYS_INTID] == 30 && p.timer.word[TIMER_VIRT_INTID] == 27,
          "disabled timer skipped (%u/%u)", p.timer.word[TIMER_VIRT_INTID], p.timer.word[TIMER_PHYS_INTID]);
    r = probe_variant("qemu-virt-gicv3", timer_first_enabled, &p);
    CHECK(r == 0 && (p.timer.driver != 0) && p.timer.word[TIMER_PHYS_INTID] == 28 && p.timer.word[TIMER_VIRT_INTID] == 25,
          "first enabled timer (%u/%u)", p.timer.word[TIMER_VIRT_INTID], p.timer.word[TIMER_PHYS_INTID]);
    r = probe_variant("qemu-virt-gicv3", timer_first_malformed, &p);
    CHECK(r == 0 && p.timer.word[TIMER_FALLBACK] == 1 && p.timer.word[TIMER_VIRT_INTID] == 27,
          "first enabled timer malformed: the later good one is not used, the fallback is");
    r = probe_variant("qemu-virt-gicv2", psci_less_specific_first, &p);
    CHECK(r == 0 && p.power.word[PSCI_CONDUIT] == PSCI_CONDUIT_HVC && p.power.word[PSCI_VERSION_MAJOR] == 1,
          "most specific PSCI compatible wins over document order");
    r = probe_variant("qemu-virt-gicv2", psci_most_specific_disabled, &p);
    CHECK(r == 0 && p.power.word[PSCI_CONDUIT] == PSCI_CONDUIT_NONE,
          "the most specific PSCI node decides, even disabled");
    r = probe_variant("qemu-virt-gicv2", memory_two, &p);
    CHECK(r == 0 && p.ram_count == 2 && p.ram[0].base == 0x80000000 && p.ram[0].size == 0x1000000 &&
              p.ram[1].base == 0x40000000,
          "memory nodes in document order (%d, %u)", r, p.ram_count);
    r = probe_variant("qemu-virt-secure", nested_chosen, &p);
    CHECK(r == 0 && strcmp(p.bootargs, "right") == 0 && p.console.reg[0].base == 0x09000000 &&
              p.console.from_stdout_path && p.reserved_count == 0,
          "only the root's chosen and reserved-memory ('%s', %u)", p.bootargs, p.reserved_count);
    r = probe_variant("qemu-virt-gicv2", unit_chosen, &p);
    CHECK(r == 0 && strcmp(p.bootargs, "first") == 0, "chosen@0 first ('%s')", p.bootargs);

    /* A malformed tree: dt_error, and nothing left in *out. */
    size_t size;
    uint8_t *blob = load_dtb("qemu-virt-gicv2", &size);
    blob[0] ^= 0xff;
    memset(&p, 0x5a, sizeof(p));
    CHECK_EQ(platform_probe(blob, size, &p), DT_E_BADMAGIC, "bad magic");
    CHECK(p.model[0] == 0 && p.console.driver == DT_DRIVER_NONE && p.ram_count == 0, "zeroed");
    CHECK_EQ(platform_probe(NULL, size, &p), DT_E_BADARG, "NULL dtb");
    CHECK_EQ(platform_probe(blob, size, NULL), DT_E_BADARG, "NULL out");
    free(blob);
}

/* ---- the real Pi trees of Debian's kernel package (--pi DIR) ---------------- */

static uint8_t *editable_file(const char *path, size_t *size)
{
    size_t n;
    uint8_t *blob = load_file(path, &n);
    size_t cap = n + 16384;
    uint8_t *buf = calloc(1, cap);
    if (buf == NULL || fdt_open_into(blob, buf, (int)cap) != 0)
        abort();
    free(blob);
    *size = cap;
    return buf;
}

struct pi_board {
    const char *name;
    bool pi4;
    uint64_t ram_size; /* as shipped; 0: filled by the firmware */
    bool ships_pl011;  /* stdout-path names serial0 already (no Bluetooth: the CM3) */
};

/* What the Pi firmware does before starting the kernel: memory filled in
 * (a 4 GiB Pi 4: 0-0x3b400000 and 0x40000000-0xfc000000), and, with
 * dtoverlay=disable-bt (or tools/rpi/mkcard.sh --console pl011),
 * stdout-path on serial0, the PL011. */
static int probe_pi(const char *dir, const struct pi_board *b, bool pl011, struct platform *p)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s.dtb", dir, b->name);
    size_t size;
    uint8_t *fdt = editable_file(path, &size);
    if (b->pi4) {
        uint32_t reg[] = {0, 0, cpu_to_fdt32(0x3b400000), 0, cpu_to_fdt32(0x40000000),
                          cpu_to_fdt32(0xbc000000)};
        CHECK(fdt_setprop(fdt, node_of(fdt, "/memory@0"), "reg", reg, sizeof(reg)) == 0, "mem");
    }
    if (pl011)
        CHECK(fdt_setprop_string(fdt, node_of(fdt, "/chosen"), "stdout-path", "serial0:115200n8") == 0,
              "stdout-path");
    int r = probe_edited(fdt, size, p);
    free(fdt);
    return r;
}

static void test_debian_pi(const char *dir)
{
    static const struct pi_board boards[] = {
        {"bcm2711-rpi-4-b", true, 0, false},
        {"bcm2711-rpi-400", true, 0, false},
        {"bcm2711-rpi-cm4-io", true, 0, false},
        {"bcm2837-rpi-3-b", false, 0x40000000, false},
        {"bcm2837-rpi-3-b-plus", false, 0x40000000, false},
        {"bcm2837-rpi-3-a-plus", false, 0x20000000, false},
        {"bcm2837-rpi-cm3-io3", false, 0x40000000, true},
        {"bcm2837-rpi-zero-2-w", false, 0x20000000, false},
    };
    for (size_t i = 0; i < sizeof(boards) / sizeof(boards[0]); i++) {
        const struct pi_board *b = &boards[i];
        int failures = test_failures;
        /* The peripherals through /soc's ranges: bus 0x7e000000 is CPU
         * 0xfe000000 on the Pi 4, 0x3f000000 on the Pi 3. */
        uint64_t periph = b->pi4 ? 0xfe000000 : 0x3f000000;
        for (int pl011 = 0; pl011 <= 1; pl011++) {
            struct platform p;
            int r = probe_pi(dir, b, pl011, &p);
            CHECK(r == 0, "%s: probe %d (%s)", b->name, r, platform_strerror(r));
            if (b->pi4) {
                CHECK(p.ram_count == 2 && p.ram[0].base == 0 && p.ram[0].size == 0x3b400000 &&
                          p.ram[1].base == 0x40000000 && p.ram[1].size == 0xbc000000,
                      "%s: RAM as the firmware filled it", b->name);
                CHECK(gic_version(&p) == 2 && p.irqchip.reg[0].base == 0xff841000 &&
                          gic_cpu(&p).base == 0xff842000,
                      "%s: GIC-400 at 0xff841000/0xff842000 (v%u 0x%llx)", b->name, gic_version(&p),
                      (unsigned long long)p.irqchip.reg[0].base);
                CHECK(p.timer.word[TIMER_VIRT_INTID] == 27 && p.timer.word[TIMER_PHYS_INTID] == 30 &&
                          !p.timer.word[TIMER_FALLBACK],
                      "%s: timer PPIs 27/30", b->name);
            } else {
                CHECK(p.ram_count == 1 && p.ram[0].base == 0 && p.ram[0].size == b->ram_size,
                      "%s: RAM 0x%llx", b->name, (unsigned long long)p.ram[0].size);
                CHECK(p.irqchip.driver == DT_DRIVER_BCM2836 && p.irqchip.reg[0].base == 0x40000000 &&
                          p.irqchip.reg_count == 2 && p.irqchip.reg[1].base == 0x3f00b200,
                      "%s: BCM2836 local 0x40000000 + BCM2835 0x3f00b200", b->name);
                CHECK(p.timer.word[TIMER_VIRT_INTID] == 19 && p.timer.word[TIMER_PHYS_INTID] == 17 &&
                          !p.timer.word[TIMER_FALLBACK],
                      "%s: timer lines 19/17", b->name);
            }
            if (pl011 || b->ships_pl011)
                CHECK(p.console.driver == DT_DRIVER_PL011 && p.console.reg[0].base == periph + 0x201000 &&
                          p.console.from_stdout_path,
                      "%s: stdout-path serial0: PL011 at 0x%llx", b->name,
                      (unsigned long long)p.console.reg[0].base);
            else
                CHECK(p.console.driver == DT_DRIVER_BCM2835_AUX &&
                          p.console.reg[0].base == periph + 0x215040 && p.console.from_stdout_path,
                      "%s: stdout-path serial1: mini-UART at 0x%llx", b->name,
                      (unsigned long long)p.console.reg[0].base);
            CHECK(p.power.driver == 0, "%s: no PSCI", b->name);
            CHECK(p.cpu_count == 4, "%s: %u CPUs", b->name, p.cpu_count);
            for (unsigned c = 0; c < p.cpu_count && c < 4; c++)
                CHECK(p.cpu[c].mpidr == c && p.cpu[c].enable_method == PLATFORM_CPU_SPIN_TABLE &&
                          p.cpu[c].release_addr == 0xd8 + 8 * c,
                      "%s: cpu%u spin table at 0x%llx", b->name, c,
                      (unsigned long long)p.cpu[c].release_addr);
            /* The spin-table page is reserved. */
            CHECK(p.reserved_count >= 1 && p.reserved[0].base == 0 && p.reserved[0].size >= 0x1000,
                  "%s: spin-table page reserved", b->name);
        }
        /* Both UARTs by alias, wherever stdout-path points. */
        char path[1024];
        snprintf(path, sizeof(path), "%s/%s.dtb", dir, b->name);
        size_t size;
        uint8_t *blob = load_file(path, &size);
        struct dt dt;
        uint64_t a = 0, sz;
        CHECK(dt_init(&dt, blob, size) == 0, "%s init", b->name);
        CHECK(dt_reg(&dt, dt_path(&dt, "serial0"), 0, &a, &sz) == 0 && a == periph + 0x201000,
              "%s: serial0 (PL011) at 0x%llx", b->name, (unsigned long long)a);
        CHECK(dt_reg(&dt, dt_path(&dt, "serial1"), 0, &a, &sz) == 0 && a == periph + 0x215040,
              "%s: serial1 (mini-UART) at 0x%llx", b->name, (unsigned long long)a);
        free(blob);
        printf("%s (Debian): %s\n", b->name, test_failures == failures ? "ok" : "FAILED");
    }
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--pi") == 0) {
        test_debian_pi(argv[2]);
        return test_failures == 0 ? 0 : 1;
    }
    if (argc < 2) {
        fprintf(stderr, "usage: %s DTB_DIR [LIVE_DTB...]\n", argv[0]);
        return 2;
    }
    dtb_dir = argv[1];
    int checked = 0;
    for (size_t i = 0; i < sizeof(expects) / sizeof(expects[0]); i++) {
        if (strncmp(expects[i].name, "live-", 5) == 0)
            continue;
        size_t size;
        uint8_t *blob = load_dtb(expects[i].name, &size);
        check_expect(&expects[i], blob, size);
        free(blob);
        checked++;
    }
    for (int a = 2; a < argc; a++) {
        const char *file = base_name(argv[a]);
        const struct expect *e = NULL;
        for (size_t i = 0; i < sizeof(expects) / sizeof(expects[0]); i++)
            if (strncmp(file, expects[i].name, strlen(expects[i].name)) == 0 &&
                strcmp(file + strlen(expects[i].name), ".dtb") == 0)
                e = &expects[i];
        CHECK(e != NULL, "no expectation for %s", file);
        if (e == NULL)
            continue;
        size_t size;
        uint8_t *blob = load_file(argv[a], &size);
        check_expect(e, blob, size);
        free(blob);
        checked++;
    }
    test_pi_firmware_filled();
    test_pi_lookups();
    test_variants();
    printf("%d board trees and the edited variants: %s\n", checked,
           test_failures == 0 ? "ok" : "FAILED");
    return test_failures == 0 ? 0 : 1;
}
