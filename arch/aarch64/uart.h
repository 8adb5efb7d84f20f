/* SPDX-License-Identifier: MIT */
/* Console UART set-up (uart.c). */
#ifndef ARCH_AARCH64_UART_H
#define ARCH_AARCH64_UART_H

struct platform_device;
int uart_init(const struct platform_device *dev);
/* The console's line of the boot banner. */
void uart_describe(const struct platform_device *dev);

#endif
