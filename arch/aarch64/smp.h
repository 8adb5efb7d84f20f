/* SPDX-License-Identifier: MIT */
/* Secondary-CPU bring-up (smp.c) and what it needs from cpu.c. */
#ifndef ARCH_AARCH64_SMP_H
#define ARCH_AARCH64_SMP_H

#include <stdint.h>

/* PSCI CPU_ON (ARM DEN 0022, 5.1.4): start the CPU with affinity `mpidr`
 * at physical address `entry`, MMU off; 0 on success, else PSCI's negative
 * error (-1 NOT_SUPPORTED when the device tree gave no PSCI). */
int64_t psci_cpu_on(uint64_t mpidr, uint64_t entry);

#endif
