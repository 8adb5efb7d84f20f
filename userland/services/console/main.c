/* SPDX-License-Identifier: MIT */
/* The console service (docs/services.md, console.idl): it owns the board's
 * console UART through the capabilities its system description grants
 * (`device = "stdout"`: the registers' frames, mapped at TSR_PROG_DEVICE_VA,
 * and an IRQ handler for its interrupt). Output is written polled; input
 * arrives by interrupt, is kept in a ring, and wakes the reader through the
 * notification it subscribed with. The kernel keeps printing its own
 * messages on the same UART. A UART it cannot drive leaves it with output
 * through the kernel's debug console and no input. */
#include <stdbool.h>
#include <stdint.h>

#include "console.h"
#include "tsr/invoke.h"
#include "tsr/runtime.h"
#include "tsr/service.h"
#include "tsr/stdio.h"
#include "tsr/string.h"
#include "tsr/sys.h"

#define D TSR_ROOT_DEPTH
#define INPUT_SIZE 512 /* a power of two */
/* The badge the UART's interrupt signals our notification with; pids (the
 * badges of clients) are far smaller. */
#define IRQ_BADGE (1ull << 40)

/* PL011 registers (ARM DDI 0183, 3.3). */
#define PL011_DR 0x00
#define PL011_FR 0x18
#define PL011_FR_RXFE (1u << 4)
#define PL011_FR_TXFF (1u << 5)
#define PL011_CR 0x30
#define PL011_CR_RXE (1u << 9)
#define PL011_IMSC 0x38
#define PL011_IMSC_RXIM (1u << 4)
#define PL011_IMSC_RTIM (1u << 6)
#define PL011_ICR 0x44
#define SPIN_LIMIT 100000

static volatile uint32_t *uart; /* NULL: no UART of ours */
static char input[INPUT_SIZE];
static uint32_t input_head, input_tail; /* free-running; tail - head bytes waiting */
static uint32_t reader;                 /* pid of the reader (0: none) */
static tsr_cptr_t reader_wakeup;        /* its notification */
static bool throttled;                  /* ring full: receive interrupts masked */

static uint32_t reg(uint32_t off)
{
    return uart[off / 4];
}

static void set_reg(uint32_t off, uint32_t v)
{
    uart[off / 4] = v;
}

static void put_byte(char c)
{
    for (unsigned i = 0; i < SPIN_LIMIT && (reg(PL011_FR) & PL011_FR_TXFF); i++)
        ;
    set_reg(PL011_DR, (uint8_t)c);
}

static void output(const uint8_t *s, size_t n)
{
    if (!uart) {
        /* No UART: the kernel's console, in pieces it accepts. */
        char buf[256];
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            if (s[i] == '\n' && k < sizeof(buf))
                buf[k++] = '\r';
            buf[k++] = (char)s[i];
            if (k >= sizeof(buf) - 1 || i + 1 == n) {
                tsr_debug_write(buf, k);
                k = 0;
            }
        }
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n')
            put_byte('\r');
        put_byte((char)s[i]);
    }
}

/* The UART's interrupt: move what arrived into the ring, wake the reader,
 * acknowledge. The interrupt is cleared before the FIFO is emptied, never
 * after: a byte arriving between the last read and a late clear would sit
 * in the FIFO with its interrupt gone (QEMU's PL011 raises it only when the
 * FIFO stops being empty), and input would stop.
 *
 * Flow control: no byte is ever dropped. When the ring is full, the bytes
 * stay in the UART's FIFO and its receive interrupts are masked; a full
 * FIFO holds the sender back (QEMU stops reading its input, a real line
 * overruns only past the FIFO). op_read unmasks them once the reader has
 * made room, and takes what waited. A paste of any length, or commands
 * typed while the shell is busy, arrive whole. */
static void take_input(void)
{
    bool any = false;
    set_reg(PL011_ICR, PL011_IMSC_RXIM | PL011_IMSC_RTIM);
    while (!(reg(PL011_FR) & PL011_FR_RXFE)) {
        if (input_tail - input_head == INPUT_SIZE) {
            throttled = true;
            set_reg(PL011_IMSC, reg(PL011_IMSC) & ~(PL011_IMSC_RXIM | PL011_IMSC_RTIM));
            break;
        }
        input[input_tail++ % INPUT_SIZE] = (char)(reg(PL011_DR) & 0xff);
        any = true;
    }
    tsr_irq_handler_ack(TSR_PROG_IRQ);
    if (any && reader_wakeup)
        tsr_signal(reader_wakeup);
}

/* The reader made room: let the UART's interrupts in again, and take what
 * waited in its FIFO meanwhile. */
static void resume_input(void)
{
    if (!throttled || input_tail - input_head == INPUT_SIZE)
        return;
    throttled = false;
    set_reg(PL011_IMSC, reg(PL011_IMSC) | PL011_IMSC_RXIM | PL011_IMSC_RTIM);
    take_input();
}

static bool intercept(void *ctx, uint64_t badge, const struct tsr_msg *m)
{
    (void)ctx;
    if (m->info != 0 || !(badge & IRQ_BADGE))
        return false;
    if (uart)
        take_input();
    return true;
}

static idl_status_t op_write(void *self, const idl_caller *caller, const uint8_t *text,
                             size_t text_len)
{
    (void)self, (void)caller;
    output(text, text_len);
    return IDL_OK;
}

static idl_status_t op_subscribe(void *self, const idl_caller *caller, idl_cap_t wakeup)
{
    (void)self;
    /* The new reader's notification replaces the old one's. */
    tsr_cnode_delete(TSR_PROG_CNODE, reader_wakeup, D);
    if (tsr_cnode_move(TSR_PROG_CNODE, reader_wakeup, D, TSR_PROG_CNODE, wakeup, D))
        return idl_status_from_tsr(TSR_E_INVALID_CAPABILITY);
    reader = (uint32_t)caller->badge;
    if (input_tail != input_head)
        tsr_signal(reader_wakeup);
    return IDL_OK;
}

static idl_status_t op_read(void *self, const idl_caller *caller, uint16_t max, uint8_t text[256],
                            size_t *text_len)
{
    (void)self;
    if ((uint32_t)caller->badge != reader)
        return CONSOLE_ERROR_NOT_READER;
    size_t n = 0;
    while (n < max && n < 256 && input_head != input_tail)
        text[n++] = (uint8_t)input[input_head++ % INPUT_SIZE];
    *text_len = n;
    if (uart)
        resume_input();
    return IDL_OK;
}

/* Map the UART and take its interrupt, if the description gave us one we
 * can drive. */
static bool start_uart(const struct tsr_program_info *me)
{
    bool pl011 = strcmp(me->device_compatible, "arm,pl011") == 0;
    bool sbsa = strcmp(me->device_compatible, "arm,sbsa-uart") == 0;
    if (!me->device_frames || !me->device_irq || !(pl011 || sbsa)) {
        printf("console: no UART it can drive (device '%s', interrupt %u): output through the "
               "kernel's console, no input\n", me->device_compatible, me->device_irq);
        return false;
    }
    uart = (volatile uint32_t *)(uintptr_t)(TSR_PROG_DEVICE_VA + me->device_offset);
    tsr_cptr_t irq_signal = tsr_alloc_slot();
    tsr_error_t err;
    if ((err = tsr_cnode_mint(TSR_PROG_CNODE, irq_signal, D, TSR_PROG_CNODE, TSR_PROG_NOTIFICATION,
                              D, TSR_RIGHT_WRITE, IRQ_BADGE)) ||
        (err = tsr_irq_handler_set_notification(TSR_PROG_IRQ, irq_signal)) ||
        (err = tsr_tcb_bind_notification(TSR_PROG_TCB, TSR_PROG_NOTIFICATION))) {
        printf("console: cannot take the UART's interrupt (error %d)\n", err);
        uart = 0;
        return false;
    }
    /* An SBSA UART's set-up belongs to the firmware; a PL011 needs its
     * receiver on. */
    if (pl011)
        set_reg(PL011_CR, reg(PL011_CR) | PL011_CR_RXE);
    set_reg(PL011_ICR, PL011_IMSC_RXIM | PL011_IMSC_RTIM);
    set_reg(PL011_IMSC, reg(PL011_IMSC) | PL011_IMSC_RXIM | PL011_IMSC_RTIM);
    tsr_irq_handler_ack(TSR_PROG_IRQ);
    return true;
}

int main(void)
{
    const struct tsr_program_info *me = tsr_program();
    reader_wakeup = tsr_alloc_slot();
    bool input_ok = start_uart(me);
    static const console_v1_ops ops = {.write = op_write, .subscribe = op_subscribe,
                                       .read = op_read};
    static const console_server server = {.self = 0, .v1 = &ops};
    idl_binding binding = console_binding(&server);
    uint32_t vid;
    idl_status_t st = names_register("console", &vid);
    if (st != IDL_OK) {
        printf("console: cannot register: %s\n", names_status_text(st));
        return 1;
    }
    printf("console: ready, %s at 0x%lx, interrupt %u%s\n", me->device_compatible,
           (unsigned long)(me->device_paddr + me->device_offset), me->device_irq,
           input_ok ? "" : " (output only)");
    static tsr_cptr_t received;
    received = tsr_alloc_slot();
    idl_kernel_cap_slots slots = {TSR_PROG_CNODE, received, D, 1};
    tsr_error_t err = idl_kernel_serve_intercept(TSR_PROG_ENDPOINT, TSR_PROG_REPLY, &binding, 1,
                                                 &slots, intercept, 0);
    printf("console: receive failed (error %d)\n", err);
    return 1;
}
