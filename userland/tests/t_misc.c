/* SPDX-License-Identifier: MIT */
/* System calls outside the object model: null, debug output with user
 * pointers, IRQ control errors, and the boot information. */
#include "lib/fdt.h"
#include "test.h"

static bool null_syscall(void)
{
    CHECK_EQ(tsr_sys_null(123, 456), 0);
    return true;
}

static bool debug_write_pointers(void)
{
    static const char ok[] = "# debug_write from a mapped buffer\n";
    CHECK_OK(tsr_debug_write(ok, sizeof(ok) - 1));
    CHECK_EQ(tsr_debug_write((const char *)0x70000000ull, 4), TSR_E_BAD_ADDRESS);
    CHECK_EQ(tsr_debug_write((const char *)0xffffffffc0000000ull, 4), TSR_E_BAD_ADDRESS);
    CHECK_EQ(tsr_debug_write((const char *)0, 1), TSR_E_BAD_ADDRESS);
    CHECK_EQ(tsr_debug_write(ok, 5000), TSR_E_RANGE);
    /* A buffer that starts mapped and runs into an unmapped page. */
    CHECK_EQ(tsr_debug_write((const char *)(test_bootinfo->stack_top - 8), 64), TSR_E_BAD_ADDRESS);
    return true;
}

static bool registers_preserved(void)
{
    /* The ABI keeps x19-x29 across every system call. */
    register uint64_t x19 __asm__("x19") = 0x1919, x28 __asm__("x28") = 0x2828;
    __asm__ volatile("svc #0" : "+r"(x19), "+r"(x28)::"x0", "x1", "x16", "x17", "x18", "x30", "memory");
    CHECK_EQ(x19, 0x1919);
    CHECK_EQ(x28, 0x2828);
    __asm__ volatile("svc #7" : "+r"(x19), "+r"(x28)::"x0", "x1", "x16", "x17", "x18", "x30", "memory");
    CHECK_EQ(x19, 0x1919);
    CHECK_EQ(x28, 0x2828);
    return true;
}

static bool irq_control(void)
{
    tsr_cptr_t h = t_slot(), h2 = t_slot(), n = t_new(TSR_OBJ_NOTIFICATION, 0);
    CHECK_EQ(tsr_irq_control_get(TSR_INIT_IRQ_CONTROL, 27, ROOT, h, D), TSR_E_RANGE); /* the kernel's timer */
    CHECK_EQ(tsr_irq_control_get(TSR_INIT_IRQ_CONTROL, 1020, ROOT, h, D), TSR_E_RANGE);
    CHECK_OK(tsr_irq_control_get(TSR_INIT_IRQ_CONTROL, 40, ROOT, h, D));
    CHECK_EQ(tsr_irq_control_get(TSR_INIT_IRQ_CONTROL, 40, ROOT, h2, D), TSR_E_ILLEGAL_OPERATION);
    CHECK_EQ(tsr_irq_control_get(TSR_INIT_IRQ_CONTROL, 41, ROOT, h, D), TSR_E_SLOT_OCCUPIED);
    CHECK_EQ(tsr_irq_handler_set_notification(h, h2), TSR_E_INVALID_CAPABILITY);
    CHECK_OK(tsr_irq_handler_set_notification(h, n));
    CHECK_OK(tsr_irq_handler_ack(h));
    CHECK_OK(tsr_irq_handler_clear(h));
    /* Deleting the handler frees the line for the next claim. */
    CHECK_OK(tsr_cnode_delete(ROOT, h, D));
    CHECK_OK(tsr_irq_control_get(TSR_INIT_IRQ_CONTROL, 40, ROOT, h2, D));
    CHECK_OK(tsr_cnode_delete(ROOT, h2, D));
    return true;
}

static bool boot_info(void)
{
    const struct tsr_bootinfo *bi = test_bootinfo;
    CHECK_EQ(bi->magic, TSR_BOOTINFO_MAGIC);
    CHECK(bi->untyped.count > 0);
    CHECK(bi->empty.count > 0);
    CHECK(bi->image_frames.count > 0);
    uint64_t ram = 0;
    bool device_seen = false;
    for (uint32_t i = 0; i < bi->untyped.count; i++) {
        if (bi->untyped_list[i].is_device)
            device_seen = true;
        else
            ram += 1ull << bi->untyped_list[i].size_bits;
        /* Every untyped is aligned to its size. */
        CHECK_EQ(bi->untyped_list[i].paddr & ((1ull << bi->untyped_list[i].size_bits) - 1), 0);
    }
    CHECK(device_seen);
    /* The device tree copy is readable and starts with its magic. */
    const uint8_t *dtb = (const uint8_t *)bi->dtb;
    CHECK_EQ(dtb[0], 0xd0);
    CHECK_EQ(dtb[1], 0x0d);
    /* Nearly all of the board's RAM (its memory nodes: 1 GiB on virt, 960
     * MiB on raspi3b) is ours; the kernel, the DTB and the root task's own
     * objects take a little. */
    struct dt dt;
    CHECK_EQ(dt_init(&dt, dtb, bi->dtb_size), DT_OK);
    uint64_t board = 0, base, size;
    for (int node = dt_next_node(&dt, -1, NULL); node >= 0; node = dt_next_node(&dt, node, NULL)) {
        const char *type;
        if (dt_prop_str(&dt, node, "device_type", &type) != DT_OK || strcmp(type, "memory") != 0)
            continue;
        for (uint32_t i = 0; dt_reg(&dt, node, i, &base, &size) == DT_OK; i++)
            board += size;
    }
    CHECK(board >= (512ull << 20));
    CHECK(ram > board - (24ull << 20) && ram <= board);
    return true;
}

const struct test misc_tests[] = {
    {"SYS0001", "the null system call returns 0", null_syscall},
    {"SYS0002", "debug write checks every user pointer and length", debug_write_pointers},
    {"SYS0003", "x19-x29 survive system calls", registers_preserved},
    {"SYS0004", "IRQ control: range, one handler per line, release on delete", irq_control},
    {"SYS0005", "boot info lists all RAM as untyped, device untyped apart", boot_info},
    {0, 0, 0},
};
