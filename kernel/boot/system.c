/* SPDX-License-Identifier: MIT */
/* boot_run() for the everyday image: hand the machine to the root task. The
 * kernel gives it every free byte of RAM as untyped memory and from then on
 * acts only when a thread or an interrupt asks it to. */
#include "boot/boot.h"

_Noreturn void boot_run(const struct platform *plat)
{
    boot_start_root_task(plat, 0, 0);
}
