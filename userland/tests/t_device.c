/* SPDX-License-Identifier: MIT */
/* A real device driven from user space: the PL031 real-time clock on QEMU's
 * virt board, or the BCM2835 system timer on the Raspberry Pi (raspi3b),
 * found in the boot device tree, mapped from device untyped memory as an
 * uncached frame, its interrupt claimed with IRQControl and delivered as a
 * notification. */
#include "lib/fdt.h"
#include "test.h"

#define PL031_DR 0x00   /* current count (seconds) */
#define PL031_MR 0x04   /* match: interrupt when the count reaches it */
#define PL031_IMSC 0x10 /* interrupt mask set/clear: 1 = enabled */
#define PL031_RIS 0x14  /* raw interrupt status */
#define PL031_ICR 0x1c  /* interrupt clear */
#define DEVICE_VA 0x58000000ull
/* BCM2835 system timer (BCM2835 ARM Peripherals, 12.1): a free-running
 * 1 MHz counter and four compare channels; channel 3 belongs to the ARM. */
#define SYSTMR_CS 0x00  /* match flags: write 1 to clear */
#define SYSTMR_CLO 0x04 /* counter, low 32 bits */
#define SYSTMR_C3 0x18  /* compare 3 */

static volatile uint32_t *reg(uint32_t off)
{
    return (volatile uint32_t *)(DEVICE_VA + off);
}

/* A frame capability for the device page at `pa`: carve the covering device
 * untyped down to exactly that page, largest aligned pieces first (objects
 * are placed at the watermark, aligned to their size). */
static tsr_cptr_t device_frame(uint64_t pa)
{
    const struct tsr_bootinfo *bi = test_bootinfo;
    for (uint32_t i = 0; i < bi->untyped.count; i++) {
        const struct tsr_untyped_desc *u = &bi->untyped_list[i];
        uint64_t base = u->paddr, end = u->paddr + (1ull << u->size_bits);
        if (!u->is_device || pa < base || pa >= end)
            continue;
        tsr_cptr_t ut = bi->untyped.first + i;
        /* Empty it first: an earlier test may have left its watermark up. */
        if (tsr_cnode_revoke(ROOT, ut, D))
            return 0;
        for (uint64_t at = base; at < pa;) {
            unsigned bits = 12;
            while (bits < 47 && (at & ((1ull << (bits + 1)) - 1)) == 0 && at + (2ull << bits) <= pa)
                bits++;
            if (tsr_untyped_retype(ut, TSR_OBJ_UNTYPED, bits, ROOT, ROOT, D, t_slot(), 1))
                return 0;
            at += 1ull << bits;
        }
        tsr_cptr_t frame = t_slot();
        if (tsr_untyped_retype(ut, TSR_OBJ_FRAME_4K, 0, ROOT, ROOT, D, frame, 1))
            return 0;
        return frame;
    }
    return 0;
}

/* The Pi's system timer: compare channel 3 a few microseconds ahead, its
 * interrupt (<1 3> on the BCM2835 controller: 32 + 32 * bank + number, as
 * docs/device-tree.md numbers the Pi's lines) as a notification. */
static bool systmr_interrupt(struct dt *dt, int node)
{
    uint64_t pa, size;
    CHECK_EQ(dt_reg(dt, node, 0, &pa, &size), DT_OK);
    const void *irqs;
    uint32_t len;
    CHECK_EQ(dt_prop(dt, node, "interrupts", &irqs, &len), DT_OK);
    CHECK(len >= 32);
    const uint8_t *ch3 = (const uint8_t *)irqs + 24;
    unsigned intid = 32 + 32 * dt_be32(ch3) + dt_be32(ch3 + 4);
    CHECK_EQ(intid, 67);
    tsr_cptr_t frame = device_frame(pa);
    CHECK(frame);
    CHECK_OK(tsr_vm_map(frame, TSR_INIT_VSPACE, DEVICE_VA, TSR_RIGHT_READ | TSR_RIGHT_WRITE, 0));
    tsr_cptr_t handler = t_slot(), n = t_new(TSR_OBJ_NOTIFICATION, 0), nb = t_slot();
    CHECK_OK(tsr_cnode_mint(ROOT, nb, D, ROOT, n, D, TSR_RIGHTS_ALL, 0x4));
    CHECK_OK(tsr_irq_control_get(TSR_INIT_IRQ_CONTROL, intid, ROOT, handler, D));
    CHECK_OK(tsr_irq_handler_set_notification(handler, nb));
    CHECK_OK(tsr_irq_handler_ack(handler));
    *reg(SYSTMR_CS) = 1u << 3;
    *reg(SYSTMR_C3) = *reg(SYSTMR_CLO) + 100;
    uint64_t bits = 0;
    for (unsigned i = 0; i < 100000 && bits == 0; i++) {
        CHECK_OK(tsr_poll(n, &bits));
        if (!bits)
            tsr_yield();
    }
    CHECK_EQ(bits, 0x4);
    CHECK_EQ(*reg(SYSTMR_CS) & (1u << 3), 1u << 3);
    /* Clear the match, acknowledge, and the line is quiet again. */
    *reg(SYSTMR_CS) = 1u << 3;
    CHECK_OK(tsr_irq_handler_ack(handler));
    CHECK_OK(tsr_poll(n, &bits));
    CHECK_EQ(bits, 0);
    CHECK_OK(tsr_cnode_delete(ROOT, handler, D));
    CHECK_OK(tsr_frame_unmap(frame));
    return true;
}

static bool rtc_interrupt(void)
{
    /* Find the RTC (or, on the Pi, the system timer) and its interrupt in
     * our copy of the device tree. */
    struct dt dt;
    CHECK_EQ(dt_init(&dt, (const void *)test_bootinfo->dtb, test_bootinfo->dtb_size), DT_OK);
    int node = dt_find_compatible(&dt, -1, "arm,pl031");
    if (node < 0 && (node = dt_find_compatible(&dt, -1, "brcm,bcm2835-system-timer")) >= 0)
        return systmr_interrupt(&dt, node);
    CHECK(node >= 0);
    uint64_t pa, size;
    CHECK_EQ(dt_reg(&dt, node, 0, &pa, &size), DT_OK);
    const void *irqs;
    uint32_t len;
    CHECK_EQ(dt_prop(&dt, node, "interrupts", &irqs, &len), DT_OK);
    CHECK(len >= 12 && dt_be32(irqs) == 0); /* an SPI */
    unsigned intid = 32 + dt_be32((const uint8_t *)irqs + 4);

    tsr_cptr_t frame = device_frame(pa);
    CHECK(frame);
    uint64_t got;
    CHECK_OK(tsr_frame_get_address(frame, &got));
    CHECK_EQ(got, pa);
    /* Device memory maps uncached and never executable. */
    CHECK_EQ(tsr_vm_map(frame, TSR_INIT_VSPACE, DEVICE_VA, TSR_RIGHT_READ | TSR_RIGHT_WRITE,
                        TSR_VM_EXECUTE), TSR_E_INVALID_ARGUMENT);
    CHECK_OK(tsr_vm_map(frame, TSR_INIT_VSPACE, DEVICE_VA, TSR_RIGHT_READ | TSR_RIGHT_WRITE, 0));

    tsr_cptr_t handler = t_slot(), n = t_new(TSR_OBJ_NOTIFICATION, 0), nb = t_slot();
    CHECK_OK(tsr_cnode_mint(ROOT, nb, D, ROOT, n, D, TSR_RIGHTS_ALL, 0x2));
    CHECK_OK(tsr_irq_control_get(TSR_INIT_IRQ_CONTROL, intid, ROOT, handler, D));
    CHECK_OK(tsr_irq_handler_set_notification(handler, nb));
    CHECK_OK(tsr_irq_handler_ack(handler));

    /* A match at the current count raises the interrupt at once. */
    *reg(PL031_ICR) = 1;
    *reg(PL031_IMSC) = 1;
    *reg(PL031_MR) = *reg(PL031_DR);
    uint64_t bits = 0;
    for (unsigned i = 0; i < 100000 && bits == 0; i++) {
        CHECK_OK(tsr_poll(n, &bits));
        if (!bits)
            tsr_yield();
    }
    CHECK_EQ(bits, 0x2);
    CHECK_EQ(*reg(PL031_RIS) & 1, 1);
    /* Clear the device, acknowledge, and the line is quiet again. */
    *reg(PL031_IMSC) = 0;
    *reg(PL031_ICR) = 1;
    CHECK_OK(tsr_irq_handler_ack(handler));
    CHECK_OK(tsr_poll(n, &bits));
    CHECK_EQ(bits, 0);
    CHECK_OK(tsr_cnode_delete(ROOT, handler, D));
    CHECK_OK(tsr_frame_unmap(frame));
    return true;
}

const struct test device_tests[] = {
    {"DEV0001", "a device interrupt reaches user space: PL031 RTC (Pi: system timer) from device untyped", rtc_interrupt},
    {0, 0, 0},
};
