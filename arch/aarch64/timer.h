/* SPDX-License-Identifier: MIT */
/* Generic timer internals shared with traps.c. */
#ifndef ARCH_AARCH64_TIMER_H
#define ARCH_AARCH64_TIMER_H

struct platform;

int timer_init(const struct platform *plat);
void timer_rearm(void);

#endif
