/* SPDX-License-Identifier: MIT */
/* Generic timer internals shared with traps.c. */
#ifndef ARCH_AARCH64_TIMER_H
#define ARCH_AARCH64_TIMER_H

struct platform_device;

int timer_init(const struct platform_device *dev);
/* This CPU's timer quiet (masked), EL0 counter access on (every CPU). */
void timer_init_cpu(void);
void timer_rearm(void);

#endif
