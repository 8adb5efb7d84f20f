/* SPDX-License-Identifier: MIT */
/* What the kernel runs after bring-up. Each build links one definition of
 * boot_run(): the system with its root task (system.c), the boot self-tests
 * (boot_tests.c) or the kernel benchmarks (bench.c). */
#ifndef KERNEL_BOOT_H
#define KERNEL_BOOT_H

#include <stdint.h>

struct platform;

/* The exit status (semihosting builds) when no console could be found:
 * beside core/panic.h's KERNEL_EXIT_* (0 ok, 1 tests failed, 3 panic). */
#define KERNEL_EXIT_NO_CONSOLE 4

_Noreturn void boot_run(const struct platform *plat);
const struct platform *kernel_platform(void);
/* Create the root task from the embedded image and run it (rootserver.c). */
_Noreturn void boot_start_root_task(const struct platform *plat, unsigned tests_passed,
                                    unsigned tests_failed);
extern uint64_t boot_banner_counter;
extern uint64_t boot_dtb_pa, boot_image_pa;
extern unsigned boot_entry_el;

#endif
