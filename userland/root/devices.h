/* SPDX-License-Identifier: MIT */
/* Devices for programs: a board device named in the system description
 * (`device = "stdout"` or a path) is looked up in the boot device tree, and
 * its registers become frame capabilities carved out of the device untyped
 * memory the kernel handed over, its interrupt an IRQ handler capability. */
#ifndef ROOT_DEVICES_H
#define ROOT_DEVICES_H

#include <stdint.h>

#include <tessera/bootinfo.h>

#include "tsr/program.h"
#include "tsr/syscall.h"

struct device {
    uint64_t paddr, size;
    unsigned intid;        /* 0: none the root task can hand out */
    char compatible[32];
};

void devices_init(const struct tsr_bootinfo *bi);
/* Find `which` in the board's tree. Errors come with a sentence in why. */
tsr_error_t devices_lookup(const char *which, struct device *dev, char *why, unsigned why_size);
/* A frame capability (a new root-task slot) for the device page at pa. The
 * same page can be asked for only once. Errors: TSR_E_ILLEGAL_OPERATION (the
 * page was given out already), TSR_E_INVALID_ARGUMENT (no device untyped
 * covers it), TSR_E_RANGE (no slot or table entry left), or the retype's. */
tsr_error_t devices_frame(uint64_t pa, tsr_cptr_t *frame);

#endif
