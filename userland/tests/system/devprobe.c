/* SPDX-License-Identifier: MIT */
/* Device rights as the system description grants them (SYSDEV0001 of
 * qemu-names, tests/system/names-test.dts). Given a device (argument
 * "pl031": QEMU virt's real-time clock), it checks that the device's
 * registers are mapped at TSR_PROG_DEVICE_VA (the PrimeCell identification
 * registers read back as a PL031's, and the frame capability says where it
 * is) and that the device's interrupt reaches it: an alarm set to the
 * current second fires at once and arrives on its notification through
 * TSR_PROG_IRQ. Given none, it checks that it holds neither: its
 * information page lists no device and the IRQ and device-frame slots are
 * empty. Exits 0 if everything was as it should be, else says why and
 * exits 1. */
#include "tsr/invoke.h"
#include "tsr/runtime.h"
#include "tsr/stdio.h"
#include "tsr/string.h"
#include "tsr/sys.h"

#define D TSR_ROOT_DEPTH
#define IRQ_BADGE 0x100u

/* PL031 registers (ARM DDI 0224, 3.2). */
#define RTC_DR 0x00
#define RTC_MR 0x04
#define RTC_IMSC 0x10
#define RTC_RIS 0x14
#define RTC_MIS 0x18
#define RTC_ICR 0x1c
#define RTC_PERIPH_ID0 0xfe0

static const char *me;

static int fail(const char *what, long value)
{
    printf("%s: %s (%ld)\n", me, what, value);
    return 1;
}

static int without_device(const struct tsr_program_info *info)
{
    if (info->device_frames || info->device_irq)
        return fail("the information page lists a device", (long)info->device_frames);
    tsr_error_t err = tsr_irq_handler_ack(TSR_PROG_IRQ);
    if (err != TSR_E_INVALID_CAPABILITY)
        return fail("TSR_PROG_IRQ is not empty", err);
    for (unsigned i = 0; i < 4; i++) {
        uint64_t pa;
        err = tsr_frame_get_address(TSR_PROG_DEVICE_FRAME + i, &pa);
        if (err != TSR_E_INVALID_CAPABILITY)
            return fail("a device-frame slot is not empty", err);
    }
    printf("%s: no device, no interrupt, as described\n", me);
    return 0;
}

static int with_pl031(const struct tsr_program_info *info)
{
    volatile uint32_t *rtc = (volatile uint32_t *)(uintptr_t)(TSR_PROG_DEVICE_VA +
                                                              info->device_offset);
    if (info->device_frames != 1 || info->device_irq != 34 ||
        strcmp(info->device_compatible, "arm,pl031") != 0)
        return fail("the information page does not describe the PL031", info->device_irq);
    uint64_t pa = 0;
    tsr_error_t err = tsr_frame_get_address(TSR_PROG_DEVICE_FRAME, &pa);
    if (err || pa != info->device_paddr)
        return fail("the device frame is not where the information page says", err);
    /* PrimeCell peripheral and cell ID: 0x00141031, 0xb105f00d. */
    uint32_t id = 0, cell = 0;
    for (unsigned i = 0; i < 4; i++) {
        id |= (rtc[(RTC_PERIPH_ID0 + 4 * i) / 4] & 0xff) << (8 * i);
        cell |= (rtc[(RTC_PERIPH_ID0 + 16 + 4 * i) / 4] & 0xff) << (8 * i);
    }
    if ((id & 0x000fffff) != 0x00041031 || cell != 0xb105f00d)
        return fail("the registers are not a PL031's", (long)id);

    /* Its interrupt, signalled on our notification with IRQ_BADGE. */
    tsr_cptr_t signal = tsr_alloc_slot();
    if ((err = tsr_cnode_mint(TSR_PROG_CNODE, signal, D, TSR_PROG_CNODE, TSR_PROG_NOTIFICATION, D,
                              TSR_RIGHT_WRITE, IRQ_BADGE)) ||
        (err = tsr_irq_handler_set_notification(TSR_PROG_IRQ, signal)) ||
        (err = tsr_irq_handler_ack(TSR_PROG_IRQ)))
        return fail("cannot take the interrupt", err);
    /* An alarm at the current second matches at once (the counter may tick
     * between reading it and writing the match register: try again). */
    rtc[RTC_ICR / 4] = 1;
    rtc[RTC_IMSC / 4] = 1;
    for (unsigned i = 0; i < 5 && !(rtc[RTC_RIS / 4] & 1); i++)
        rtc[RTC_MR / 4] = rtc[RTC_DR / 4];
    if (!(rtc[RTC_RIS / 4] & 1))
        return fail("the alarm did not match", (long)rtc[RTC_DR / 4]);
    uint64_t bits = 0;
    if ((err = tsr_wait(TSR_PROG_NOTIFICATION, &bits)) || bits != IRQ_BADGE)
        return fail("the interrupt did not arrive as a signal", (long)bits);
    if (!(rtc[RTC_MIS / 4] & 1))
        return fail("signalled, but the device raises no interrupt", 0);
    rtc[RTC_ICR / 4] = 1;
    rtc[RTC_IMSC / 4] = 0;
    tsr_irq_handler_ack(TSR_PROG_IRQ);
    printf("%s: pl031 at 0x%lx, interrupt %u: registers and interrupt as described\n", me,
           (unsigned long)(info->device_paddr + info->device_offset), info->device_irq);
    return 0;
}

int main(int argc, char **argv)
{
    me = argv[0];
    const struct tsr_program_info *info = tsr_program();
    if (argc > 1 && strcmp(argv[1], "pl031") == 0)
        return with_pl031(info);
    return without_device(info);
}
