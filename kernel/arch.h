/* SPDX-License-Identifier: MIT */
/* The narrow interface the generic kernel uses to reach the machine. Only
 * arch/<arch>/ implements it; nothing in kernel/ names a CPU register. */
#ifndef KERNEL_ARCH_H
#define KERNEL_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <arch/context.h>
#include <arch/memory.h>
#include <tessera/errors.h>

struct platform;

/* Boot. arch_boot_dtb returns the kernel's read-only view of the DTB that was
 * passed in x0 and the number of bytes mapped there (0 if there was none). */
const void *arch_boot_dtb(uint64_t dtb_pa, size_t *mapped);
/* Map RAM and devices, start the console, interrupt controller and timer. */
int arch_init(const struct platform *plat, uint64_t image_pa);
const char *arch_name(void);
/* Print one line per device the arch drives (console, interrupt controller,
 * timer, power) for the boot banner. */
void arch_describe_platform(const struct platform *plat);
/* Start every other CPU the platform lists; each reports on the console and
 * parks (threads run on the boot CPU only). */
void arch_start_secondary_cpus(const struct platform *plat);

/* Memory. arch_phys_to_virt reaches any RAM, the kernel image included;
 * kernel objects and untyped memory go through the cheaper
 * arch_object_to_virt (arch/memory.h). */
void *arch_phys_to_virt(uint64_t pa);
uint64_t arch_virt_to_phys(const void *va);
void *arch_map_device(uint64_t pa, uint64_t size);
/* Zero [va, va + size) of normal memory; both aligned to `size`, a power of
 * two (the way new objects are). Uses the cache's zeroing instruction when it
 * can. */
void arch_zero_object(void *va, size_t size);
/* Write [va, va + size) back to memory and drop it from the data caches
 * (before memory is mapped uncached: such a mapping reads memory, not the
 * cache). */
void arch_clean_invalidate(const void *va, size_t size);
/* Make instructions written through the data side at [va, va + size)
 * visible to instruction fetch (before code is run). */
void arch_sync_icache(const void *va, size_t size);
/* Number of ASIDs the MMU tags TLB entries with (256 or 65536). */
unsigned arch_asid_count(void);

/* Bits of physical address the CPU implements (ID_AA64MMFR0_EL1.PARange). */
unsigned arch_phys_addr_bits(void);

/* Console: polled output, safe in any context including exception handlers. */
void arch_console_putc(char c);

/* Interrupts. Intids are the GIC's: 16-31 PPIs, 32+ SPIs. */
void arch_irq_enable_line(unsigned intid);
void arch_irq_disable_line(unsigned intid);
void arch_interrupts_enable(void);
void arch_interrupts_disable(void);
void arch_wait_for_interrupt(void);
/* Whether an interrupt is waiting to be taken (the kernel runs with them
 * masked): long operations check it to stop early and restart. */
bool arch_interrupt_pending(void);
/* Send a software-generated interrupt (0-15) to this CPU. */
void arch_irq_raise_sgi(unsigned sgi);

/* Time and counting. */
uint64_t arch_counter(void);           /* the generic timer's count */
uint64_t arch_cycles(void);            /* the PMU cycle counter (instructions under -icount) */
uint64_t arch_counter_frequency(void); /* its frequency in Hz */
void arch_timer_start_periodic(uint64_t hz);
unsigned arch_timer_intid(void);

/* User address spaces (arch/aarch64/vspace.c). A VSpace is the physical
 * address of a root table; an ASID (1..ARCH_ASID_MAX) tags its TLB entries.
 * Page tables below the root are made by user space (PageTable objects) and
 * linked in with arch_vspace_map_table before frames can be mapped. */
#define ARCH_USER_VA_END (1ull << 48)
#define ARCH_ASID_MAX 0xffffu
#define ARCH_VM_READ 0x1u
#define ARCH_VM_WRITE 0x2u
#define ARCH_VM_EXECUTE 0x4u
#define ARCH_VM_UNCACHED 0x8u /* device memory: Device-nGnRE, never executable */
/* Mapping is two steps, so an invocation can check everything before it
 * changes anything: *_slot finds the entry a mapping of va would fill and
 * reports why it cannot (changing nothing), *_at fills it and cannot fail.
 * A slot is valid until the address space changes. */
struct arch_map_slot {
    uint64_t *entry;
    unsigned level;
};
/* Frames of 2^size_bits bytes. Errors: ALIGNMENT (va not aligned to the
 * size, or beyond the user range), NOT_MAPPED (a page table on the way is
 * missing), ALREADY_MAPPED (something is mapped there already). */
tsr_error_t arch_vspace_frame_slot(uint64_t vspace, uint64_t va, unsigned size_bits,
                                   struct arch_map_slot *slot);
void arch_vspace_map_frame_at(const struct arch_map_slot *slot, uint64_t frame, unsigned vm_attrs);
/* Page tables: the first missing level on va's path; slot->level is the
 * level (1-3) the new table will serve. Errors: RANGE, ALREADY_MAPPED
 * (every level exists, or a block covers va). */
tsr_error_t arch_vspace_table_slot(uint64_t vspace, uint64_t va, struct arch_map_slot *slot);
void arch_vspace_map_table_at(const struct arch_map_slot *slot, uint64_t table);
/* Both steps at once (boot code). */
tsr_error_t arch_vspace_map_frame(uint64_t vspace, uint64_t va, uint64_t frame,
                                  unsigned size_bits, unsigned vm_attrs);
tsr_error_t arch_vspace_map_table(uint64_t vspace, uint64_t va, uint64_t table, unsigned *level);
/* The base of the region a level-n table linked for va serves. */
uint64_t arch_vspace_table_region(uint64_t va, unsigned level);
/* Remove the mapping of `frame` at va, if that is still what va maps. */
void arch_vspace_unmap_frame(uint64_t vspace, unsigned asid, uint64_t va, uint64_t frame,
                             unsigned size_bits);
/* Unlink `table` (if it is still linked at va) and clear its entries. */
void arch_vspace_unmap_table(uint64_t vspace, unsigned asid, uint64_t va, uint64_t table,
                             unsigned level);
/* Translate a user address for the kernel, checking EL0 permissions. */
tsr_error_t arch_vspace_translate(uint64_t vspace, uint64_t va, bool write, uint64_t *pa);
/* Install the address space the next return to EL0 runs in (vspace 0: none,
 * every user access faults). The token is what the MMU is given for it,
 * computed once and kept by whoever switches often (the scheduler). */
void arch_vspace_activate(uint64_t vspace, unsigned asid);
uint64_t arch_vspace_token(uint64_t vspace, unsigned asid);
void arch_vspace_install(uint64_t token);
/* The address space whose root table is `vspace` is being destroyed: if the
 * MMU still points at it, point it at the empty table. */
void arch_vspace_release(uint64_t vspace);
void arch_tlb_flush_asid(unsigned asid);
/* For the invariant checker (debug kernels): the page or block va is
 * mapped to in the user tables rooted at vspace (false if none); the table
 * linked to serve `level` (1-3) at va (0 if none); and how many leaf
 * entries and tables hang below the root. */
bool arch_vspace_leaf(uint64_t vspace, uint64_t va, uint64_t *pa, unsigned *size_bits);
uint64_t arch_vspace_table_at(uint64_t vspace, uint64_t va, unsigned level);
void arch_vspace_count(uint64_t vspace, uint64_t *leaves, uint64_t *tables);
/* For the invariant checker: the context whose values the FP/SIMD
 * registers hold (NULL: nobody's), and whether the FP/SIMD trap and the
 * vector table agree with it while `running` is in the kernel (NULL if
 * they do, else what is wrong). */
const struct arch_context *arch_fpu_owner(void);
const char *arch_fpu_check(const struct arch_context *running);

/* Leave the kernel into the user thread whose registers are in ctx. */
_Noreturn void arch_return_to_user(struct arch_context *ctx);

/* Stopping. arch_exit reports a status to the host when the build uses
 * semihosting (tests, benchmarks) and powers off otherwise. */
_Noreturn void arch_halt(void);
_Noreturn void arch_power_off(void);
_Noreturn void arch_exit(int status);

#endif
