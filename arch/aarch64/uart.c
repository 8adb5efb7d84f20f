/* SPDX-License-Identifier: MIT */
/* Console output, polled: the ARM PL011 (QEMU virt, Pi 4 with
 * dtoverlay=disable-bt), the SBSA generic UART (a PL011 whose set-up belongs
 * to the firmware), the BCM2835 auxiliary mini-UART (the Pi's default
 * console) and the 16550/8250 family (most SoCs). The firmware or QEMU has
 * set the baud rate; we only transmit. */
#include <stdint.h>

#include "arch.h"
#include "boot/platform.h"
#include "core/printf.h"
#include "dt_drivers.h"
#include "mmio.h"
#include "uart.h"

/* PL011 (ARM DDI 0183, 3.3). */
#define PL011_DR 0x00
#define PL011_FR 0x18
#define PL011_FR_TXFF (1u << 5)
#define PL011_CR 0x30
#define PL011_CR_UARTEN (1u << 0)
#define PL011_CR_TXE (1u << 8)

/* Mini-UART registers relative to AUX_MU_IO_REG (BCM2835 ARM Peripherals, 2.2.1). */
#define MU_IO 0x00
#define MU_LSR 0x14
#define MU_LSR_TX_EMPTY (1u << 5)

/* 16550 registers, numbered (PC16550D data sheet, table 2); each is at
 * (number << reg-shift), accessed reg-io-width bytes wide. */
#define NS_THR 0
#define NS_LSR 5
#define NS_LSR_THRE (1u << 5)

#define SPIN_LIMIT 100000

static volatile void *uart;
static uint32_t uart_kind; /* DT_DRIVER_PL011, _SBSA_UART, _BCM2835_AUX or _NS16550 */
static uint32_t ns_shift, ns_width;

static uint32_t ns_read(unsigned reg)
{
    uint64_t off = (uint64_t)reg << ns_shift;
    volatile uint8_t *p = (volatile uint8_t *)uart + off;
    return ns_width == 4 ? *(volatile uint32_t *)p : ns_width == 2 ? *(volatile uint16_t *)p : *p;
}

static void ns_write(unsigned reg, uint8_t v)
{
    uint64_t off = (uint64_t)reg << ns_shift;
    volatile uint8_t *p = (volatile uint8_t *)uart + off;
    if (ns_width == 4)
        *(volatile uint32_t *)p = v;
    else if (ns_width == 2)
        *(volatile uint16_t *)p = v;
    else
        *p = v;
}

int uart_init(const struct platform_device *dev)
{
    if (dev->driver != DT_DRIVER_PL011 && dev->driver != DT_DRIVER_BCM2835_AUX &&
        dev->driver != DT_DRIVER_SBSA_UART && dev->driver != DT_DRIVER_NS16550)
        return -1;
    uart = arch_map_device(dev->reg[0].base, dev->reg[0].size ? dev->reg[0].size : 0x1000);
    if (!uart)
        return -1;
    uart_kind = dev->driver;
    ns_shift = dev->word[UART_REG_SHIFT];
    ns_width = dev->word[UART_IO_WIDTH];
    if (uart_kind == DT_DRIVER_PL011) {
        uint32_t cr = mmio_read32(uart, PL011_CR);
        if ((cr & (PL011_CR_UARTEN | PL011_CR_TXE)) != (PL011_CR_UARTEN | PL011_CR_TXE))
            mmio_write32(uart, PL011_CR, cr | PL011_CR_UARTEN | PL011_CR_TXE);
    }
    return 0;
}

void arch_console_putc(char c)
{
    if (!uart)
        return;
    /* Bounded waits: a wedged UART must not hang the kernel, only lose text. */
    if (uart_kind == DT_DRIVER_PL011 || uart_kind == DT_DRIVER_SBSA_UART) {
        for (unsigned i = 0; i < SPIN_LIMIT && (mmio_read32(uart, PL011_FR) & PL011_FR_TXFF); i++)
            ;
        mmio_write32(uart, PL011_DR, (uint8_t)c);
    } else if (uart_kind == DT_DRIVER_NS16550) {
        for (unsigned i = 0; i < SPIN_LIMIT && !(ns_read(NS_LSR) & NS_LSR_THRE); i++)
            ;
        ns_write(NS_THR, (uint8_t)c);
    } else {
        for (unsigned i = 0; i < SPIN_LIMIT && !(mmio_read32(uart, MU_LSR) & MU_LSR_TX_EMPTY); i++)
            ;
        mmio_write32(uart, MU_IO, (uint8_t)c);
    }
}

void uart_describe(const struct platform_device *dev)
{
    const char *kind = dev->driver == DT_DRIVER_PL011        ? "PL011"
                       : dev->driver == DT_DRIVER_SBSA_UART  ? "SBSA UART"
                       : dev->driver == DT_DRIVER_NS16550    ? "16550"
                                                             : "BCM2835 mini-UART";
    kprintf("  console  %s at 0x%lx", kind, (unsigned long)dev->reg[0].base);
    if (dev->driver == DT_DRIVER_NS16550)
        kprintf(" (reg-shift %u, %u-byte access)", dev->word[UART_REG_SHIFT],
                dev->word[UART_IO_WIDTH]);
    kprintf("%s\n", dev->from_earlycon ? ", from earlycon" : "");
}
