/* SPDX-License-Identifier: MIT */
/* What the kernel runs after bring-up. Each build links one definition of
 * boot_run(): the system (system.c), the boot self-tests (boot_tests.c) or
 * the benchmarks (bench.c). */
#ifndef KERNEL_BOOT_H
#define KERNEL_BOOT_H

#include <stdint.h>

struct platform;

_Noreturn void boot_run(const struct platform *plat);
const struct platform *kernel_platform(void);
extern uint64_t boot_banner_counter;
extern unsigned boot_entry_el;

#endif
