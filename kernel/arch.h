/* SPDX-License-Identifier: MIT */
/* The narrow interface the generic kernel uses to reach the machine. Only
 * arch/<arch>/ implements it; nothing in kernel/ names a CPU register. */
#ifndef KERNEL_ARCH_H
#define KERNEL_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct platform;

/* Boot. arch_boot_dtb returns the kernel's read-only view of the DTB that was
 * passed in x0 and the number of bytes mapped there (0 if there was none). */
const void *arch_boot_dtb(uint64_t dtb_pa, size_t *mapped);
/* Map RAM and devices, start the console, interrupt controller and timer. */
int arch_init(const struct platform *plat, uint64_t image_pa);
const char *arch_name(void);

/* Memory. */
void *arch_phys_to_virt(uint64_t pa);
uint64_t arch_virt_to_phys(const void *va);
void *arch_map_device(uint64_t pa, uint64_t size);

/* Console: polled output, safe in any context including exception handlers. */
void arch_console_putc(char c);

/* Interrupts. Intids are the GIC's: 16-31 PPIs, 32+ SPIs. */
void arch_irq_enable_line(unsigned intid);
void arch_irq_disable_line(unsigned intid);
void arch_interrupts_enable(void);
void arch_interrupts_disable(void);
void arch_wait_for_interrupt(void);
/* Send a software-generated interrupt (0-15) to this CPU. */
void arch_irq_raise_sgi(unsigned sgi);

/* Time and counting. */
uint64_t arch_counter(void);           /* the generic timer's count */
uint64_t arch_counter_frequency(void); /* its frequency in Hz */
void arch_timer_start_periodic(uint64_t hz);
unsigned arch_timer_intid(void);
uint64_t arch_cycle_counter(void);     /* PMU cycle counter: instructions under -icount */

/* Stopping. arch_exit reports a status to the host when the build uses
 * semihosting (tests, benchmarks) and powers off otherwise. */
_Noreturn void arch_halt(void);
_Noreturn void arch_power_off(void);
_Noreturn void arch_exit(int status);

#endif
