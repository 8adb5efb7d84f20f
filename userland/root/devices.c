/* SPDX-License-Identifier: MIT */
/* Device frames and interrupts (devices.h). The device untyped capabilities
 * from the boot information are kept in a table of free pieces; a page is
 * cut out of the piece that covers it by splitting it in halves down to
 * 4 KiB, keeping the other halves for later requests. */
#include <stdbool.h>
#include <stdint.h>

#include <tessera/bootinfo.h>
#include <tessera/objects.h>

#include "devices.h"
#include "lib/fdt.h"
#include "tsr/invoke.h"
#include "tsr/runtime.h"
#include "tsr/stdio.h"
#include "tsr/string.h"

#define D TSR_ROOT_DEPTH
#define MAX_PIECES 320

struct piece {
    uint64_t paddr;
    uint8_t bits;
    tsr_cptr_t cap; /* 0: free table entry */
};

static struct piece pieces[MAX_PIECES];
static const struct tsr_bootinfo *boot;
/* Pages given out, to tell "taken" from "not device memory". */
#define MAX_GIVEN 64
static uint64_t given[MAX_GIVEN];
static unsigned given_count;

void devices_init(const struct tsr_bootinfo *bi)
{
    boot = bi;
    unsigned n = 0;
    for (uint32_t i = 0; i < bi->untyped.count && n < MAX_PIECES; i++) {
        const struct tsr_untyped_desc *u = &bi->untyped_list[i];
        if (u->is_device)
            pieces[n++] = (struct piece){u->paddr, u->size_bits, bi->untyped.first + i};
    }
}

static struct piece *free_entry(void)
{
    for (unsigned i = 0; i < MAX_PIECES; i++)
        if (!pieces[i].cap)
            return &pieces[i];
    return 0;
}

tsr_error_t devices_frame(uint64_t pa, tsr_cptr_t *frame)
{
    pa &= ~(TSR_PAGE_SIZE - 1);
    struct piece *p = 0;
    for (unsigned i = 0; i < MAX_PIECES && !p; i++)
        if (pieces[i].cap && pa >= pieces[i].paddr &&
            pa - pieces[i].paddr < (1ull << pieces[i].bits))
            p = &pieces[i];
    if (!p) {
        for (unsigned i = 0; i < given_count; i++)
            if (given[i] == pa)
                return TSR_E_ILLEGAL_OPERATION;
        return TSR_E_INVALID_ARGUMENT;
    }
    while (p->bits > TSR_PAGE_BITS) {
        /* Two halves in consecutive slots; the piece keeps the one with pa. */
        tsr_cptr_t halves = tsr_alloc_slots(2);
        struct piece *other = free_entry();
        if (!halves || !other)
            return TSR_E_RANGE;
        tsr_error_t err = tsr_untyped_retype(p->cap, TSR_OBJ_UNTYPED, p->bits - 1u, TSR_INIT_CNODE,
                                             TSR_INIT_CNODE, D, halves, 2);
        if (err)
            return err;
        /* The parent stays (as seL4 keeps it): it is just no longer free. */
        unsigned bits = p->bits - 1u;
        uint64_t mid = p->paddr + (1ull << bits);
        bool high = pa >= mid;
        *other = (struct piece){high ? p->paddr : mid, (uint8_t)bits, high ? halves : halves + 1};
        *p = (struct piece){high ? mid : p->paddr, (uint8_t)bits, high ? halves + 1 : halves};
    }
    tsr_cptr_t slot = tsr_alloc_slot();
    if (!slot)
        return TSR_E_RANGE;
    tsr_error_t err = tsr_untyped_retype(p->cap, TSR_OBJ_FRAME_4K, 0, TSR_INIT_CNODE,
                                         TSR_INIT_CNODE, D, slot, 1);
    if (err) {
        tsr_free_slot(slot);
        return err;
    }
    p->cap = 0; /* used up */
    if (given_count < MAX_GIVEN)
        given[given_count++] = pa;
    *frame = slot;
    return TSR_OK;
}

/* The node `which` names: "stdout" is /chosen/stdout-path (options after a
 * ':' dropped), anything else a path or alias. */
static int find_node(const struct dt *dt, const char *which)
{
    if (strcmp(which, "stdout") != 0)
        return dt_path(dt, which);
    int chosen = dt_path(dt, "/chosen");
    const char *path;
    if (chosen < 0 || dt_prop_str(dt, chosen, "stdout-path", &path) < 0)
        return DT_E_NOTFOUND;
    size_t n = 0;
    while (path[n] && path[n] != ':')
        n++;
    return dt_path_n(dt, path, n);
}

/* The node's first interrupt as a GIC INTID, if it is a shared peripheral
 * interrupt (the only kind IRQControl hands out): 3-cell specifiers with
 * type 0 (SPI), as on QEMU's virt board. */
static unsigned spi_of(const struct dt *dt, int node)
{
    int parent = dt_interrupt_parent(dt, node);
    uint32_t cells;
    const void *irqs;
    uint32_t len;
    if (parent < 0 || dt_prop_u32(dt, parent, "#interrupt-cells", &cells) < 0 || cells != 3 ||
        dt_prop(dt, node, "interrupts", &irqs, &len) < 0 || len < 12 || dt_be32(irqs) != 0)
        return 0;
    return 32 + dt_be32((const uint8_t *)irqs + 4);
}

tsr_error_t devices_lookup(const char *which, struct device *dev, char *why, unsigned why_size)
{
    struct dt dt;
    memset(dev, 0, sizeof(*dev));
    if (dt_init(&dt, (const void *)(uintptr_t)boot->dtb, boot->dtb_size) < 0) {
        snprintf(why, why_size, "the board's device tree is unreadable");
        return TSR_E_INVALID_ARGUMENT;
    }
    int node = find_node(&dt, which);
    if (node < 0) {
        snprintf(why, why_size, "its device '%s' is not in the board's device tree", which);
        return TSR_E_INVALID_ARGUMENT;
    }
    if (dt_reg(&dt, node, 0, &dev->paddr, &dev->size) < 0 || dev->size == 0) {
        snprintf(why, why_size, "its device '%s' has no registers", which);
        return TSR_E_INVALID_ARGUMENT;
    }
    uint64_t first = dev->paddr & ~(TSR_PAGE_SIZE - 1);
    if (dev->paddr + dev->size - first > TSR_PROG_MAX_DEVICE_FRAMES * TSR_PAGE_SIZE) {
        snprintf(why, why_size, "its device '%s' is larger than %u pages", which,
                 TSR_PROG_MAX_DEVICE_FRAMES);
        return TSR_E_RANGE;
    }
    const char *compat;
    if (dt_prop_str(&dt, node, "compatible", &compat) == 0) {
        size_t n = strlen(compat);
        if (n >= sizeof(dev->compatible))
            n = sizeof(dev->compatible) - 1;
        memcpy(dev->compatible, compat, n);
    }
    dev->intid = spi_of(&dt, node);
    return TSR_OK;
}
