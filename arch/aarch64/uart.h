/* SPDX-License-Identifier: MIT */
/* Console UART set-up (uart.c). */
#ifndef ARCH_AARCH64_UART_H
#define ARCH_AARCH64_UART_H

struct platform;
int uart_init(const struct platform *plat);

#endif
