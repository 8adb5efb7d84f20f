/* SPDX-License-Identifier: MIT */
/* Kernel entry: the Linux arm64 Image header, the EL2 -> EL1 drop, and the
 * switch from the physical load address to the kernel's high virtual address.
 *
 * Boot protocol (Linux Documentation/arch/arm64/booting.rst, which QEMU,
 * U-Boot `booti` and the Raspberry Pi firmware follow): x0 = physical address
 * of the device tree, x1-x3 = 0, MMU off, D-cache off or cleaned, at EL2 or EL1.
 * Until the MMU is on, this code runs wherever it was loaded, so it uses only
 * PC-relative addressing (adr/adrp) and never an absolute address.
 *
 * Callee-saved registers used across boot:
 *   x19  physical address of the device tree blob (from x0)
 *   x20  exception level at entry (1 or 2)
 *   x21  physical address of _start (where the image was loaded)
 */
#include "memlayout.h"
#include "pte.h"

#define CURRENTEL_EL(r) lsr r, r, #2

/* HCR_EL2.RW (bit 31): EL1 is AArch64. Everything else zero: no stage 2, no traps. */
#define HCR_EL2_RW (1 << 31)
/* SPSR for the eret into EL1: EL1h (SP_EL1), D, A, I, F masked (C5.2.19). */
#define SPSR_EL1H_MASKED 0x3c5
/* CPTR_EL2 RES1 bits for the non-VHE layout, TFP clear: no FP/SIMD trap to EL2. */
#define CPTR_EL2_RES1 0x33ff
/* TCR_EL1 (D19.2.139): T0SZ = T1SZ = 16 (48-bit VAs), 4 KiB granule on both
 * halves (TG0 = 0b00, TG1 = 0b10), inner-shareable write-back walks. IPS and
 * AS are filled in from ID_AA64MMFR0_EL1 at run time. */
#define TCR_BASE 0xb5103510
#define TCR_IPS_SHIFT 32
#define TCR_AS (1 << 36)

/*
 * Turn the MMU on with the boot tables: TTBR0 the identity map of head.S's
 * 2 MiB block, TTBR1 the kernel's half. MAIR, TCR (IPS and AS from
 * ID_AA64MMFR0_EL1), a local TLB flush, then SCTLR_EL1 (D8.2, "Enabling
 * and disabling the MMU"). Corrupts x0-x2.
 */
.macro mmu_on
    ldr     x0, =MAIR_VALUE
    msr     mair_el1, x0
    ldr     x0, =TCR_BASE
    mrs     x1, id_aa64mmfr0_el1
    and     x2, x1, #0x7            /* PARange -> TCR_EL1.IPS */
    orr     x0, x0, x2, lsl #TCR_IPS_SHIFT
    ubfx    x2, x1, #4, #4          /* ASIDBits: 0b0010 means 16-bit ASIDs */
    cmp     x2, #2
    b.ne    55f
    orr     x0, x0, #TCR_AS
55: msr     tcr_el1, x0
    adrp    x0, boot_ttbr0_l0
    msr     ttbr0_el1, x0
    adrp    x0, boot_ttbr1_l0
    msr     ttbr1_el1, x0
    isb
    tlbi    vmalle1
    dsb     nsh
    isb
    ldr     x0, =SCTLR_EL1_KERNEL
    msr     sctlr_el1, x0
    isb
.endm

    .section .text.head, "ax"
    .globl _start
_start:
    /* Image header (booting.rst, "Call the kernel image"). */
    b       primary_entry           /* code0 */
    .long   0                       /* code1 */
    .quad   0x80000                 /* text_offset: where loaders traditionally put us */
    .quad   __image_size            /* image_size, bss included (from the linker script) */
    .quad   0xa                     /* flags: little endian, 4 KiB pages, any 2 MiB base */
    .quad   0                       /* res2 */
    .quad   0                       /* res3 */
    .quad   0                       /* res4 */
    .ascii  "ARM\x64"               /* magic */
    .long   0                       /* res5: no PE/COFF header */

primary_entry:
    msr     daifset, #0xf
    mov     x19, x0
    mrs     x20, CurrentEL
    CURRENTEL_EL(x20)
    adr     x2, el1_entry
    cmp     x20, #2
    b.eq    el2_to_el1
    cmp     x20, #1
    b.eq    el1_entry
    /* EL3 (or anything else) is not a supported entry state: the boot protocol
     * forbids it and there is no console yet to say so. */
    b       boot_halt

/*
 * Leave EL2 for EL1 with a clean, trap-free EL2 configuration, continuing at
 * x2 (a physical address). Order follows booting.rst's requirements for a
 * kernel entered at EL2 and running at EL1. Corrupts x0, x1. Used by the
 * boot CPU and by every secondary CPU.
 */
el2_to_el1:
    mov     x0, #HCR_EL2_RW
    msr     hcr_el2, x0
    /* Generic timer: EL1 may use the physical counter and timer
     * (CNTHCTL_EL2.EL1PCTEN, EL1PCEN, D19.11.x) and sees no virtual offset. */
    mrs     x0, cnthctl_el2
    orr     x0, x0, #3
    msr     cnthctl_el2, x0
    msr     cntvoff_el2, xzr
    /* PMU: give EL1 every event counter (MDCR_EL2.HPMN = PMCR_EL0.N), or the
     * benchmarks lose their counters. TPM/TPMCR stay clear: no traps. */
    mrs     x0, pmcr_el0
    ubfx    x0, x0, #11, #5
    msr     mdcr_el2, x0
    /* GICv3: let EL1 use the system-register CPU interface
     * (ICC_SRE_EL2.SRE | Enable), if the PE has one (ID_AA64PFR0_EL1.GIC). */
    mrs     x0, id_aa64pfr0_el1
    ubfx    x0, x0, #24, #4
    cbz     x0, 1f
    mrs     x0, S3_4_C12_C9_5       /* ICC_SRE_EL2 */
    mov     x1, #0x9
    orr     x0, x0, x1
    msr     S3_4_C12_C9_5, x0
    isb
1:  mov     x0, #CPTR_EL2_RES1
    msr     cptr_el2, x0
    msr     hstr_el2, xzr
    msr     vttbr_el2, xzr
    /* EL1 starts with its MMU and caches off (SCTLR_EL1 RES1 bits only). */
    ldr     x0, =SCTLR_EL1_BOOT
    msr     sctlr_el1, x0
    mov     x0, #SPSR_EL1H_MASKED
    msr     spsr_el2, x0
    msr     elr_el2, x2
    eret

el1_entry:
    ldr     x0, =SCTLR_EL1_BOOT
    msr     sctlr_el1, x0
    isb
    adrp    x21, _start

    /* Zero .bss (page aligned at both ends), which holds the boot page tables
     * and the boot stack, 64 bytes a step: it is most of the work before
     * the banner (docs/benchmarks.md, boot_to_banner). */
    adrp    x0, __bss_start
    adrp    x1, __bss_end
    b       3f
2:  stp     xzr, xzr, [x0]
    stp     xzr, xzr, [x0, #16]
    stp     xzr, xzr, [x0, #32]
    stp     xzr, xzr, [x0, #48]
    add     x0, x0, #64
3:  cmp     x0, x1
    b.lo    2b
    adrp    x0, boot_stack_top
    add     x0, x0, :lo12:boot_stack_top
    mov     sp, x0

    mov     x0, x21
    mov     x1, x19
    bl      boot_mmu_build          /* C, still at the physical address */

    /* The tables were written with the MMU off, straight to memory. Discard any
     * stale cache lines a bootloader may have left for that range, so the walker
     * and later cacheable accesses see what is in memory (D7.5.x, "Data and
     * unified caches": cache maintenance by VA to the PoC). */
    adrp    x0, __bss_start
    adrp    x1, __bss_end
    mrs     x2, ctr_el0
    ubfx    x2, x2, #16, #4         /* DminLine: log2(words) of the smallest line */
    mov     x3, #4
    lsl     x3, x3, x2
4:  dc      ivac, x0
    add     x0, x0, x3
    cmp     x0, x1
    b.lo    4b
    dsb     sy

    mmu_on
    /* Still at the physical address, through the identity map in TTBR0.
     * An absolute branch takes us to the link address in the upper half. */
    ldr     x0, =el1_high
    br      x0

el1_high:
    ldr     x0, =boot_stack_top
    mov     sp, x0
    ldr     x0, =exception_vectors
    msr     vbar_el1, x0
    isb
    mov     x0, x19
    mov     x1, x20
    mov     x2, x21
    bl      kernel_main
    b       boot_halt

/*
 * Secondary CPUs (smp.c): started by PSCI CPU_ON or released from a spin
 * table at the physical address of secondary_entry, MMU off, at EL2 or EL1.
 * They drop to EL1 like the boot CPU, turn the MMU on with the same tables
 * (the identity map of this block is still in boot_ttbr0_l0), move to the
 * upper half and call secondary_main on the stack smp.c published in
 * secondary_boot_stack before starting this CPU.
 */
    .globl secondary_entry
secondary_entry:
    msr     daifset, #0xf
    mrs     x20, CurrentEL
    CURRENTEL_EL(x20)
    adr     x2, secondary_el1
    cmp     x20, #2
    b.eq    el2_to_el1
    cmp     x20, #1
    b.ne    boot_halt
secondary_el1:
    ldr     x0, =SCTLR_EL1_BOOT
    msr     sctlr_el1, x0
    isb
    mmu_on
    ldr     x0, =secondary_high
    br      x0
secondary_high:
    ldr     x0, =secondary_boot_stack
    ldr     x0, [x0]
    mov     sp, x0
    ldr     x0, =exception_vectors
    msr     vbar_el1, x0
    isb
    mov     x0, x20
    bl      secondary_main
    b       boot_halt

    .globl boot_halt
boot_halt:
    msr     daifset, #0xf
6:  wfi
    b       6b

    .ltorg

/* SCTLR_EL1 values (D19.2.118): RES1 bits; then MMU, caches, SP alignment
 * checks and WXN on. WXN makes any writable mapping execute-never in hardware,
 * a second line behind the kernel's own W^X mapping attributes. UCI (bit 26)
 * lets EL0 clean caches and invalidate the instruction cache by address, for
 * its own memory, as a program loader needs; everything else EL0 might touch
 * (DAIF, WFI/WFE, DC ZVA, CTR_EL0) stays trapped. */
    .set SCTLR_EL1_BOOT, 0x30d00800
    .set SCTLR_EL1_KERNEL, 0x30d00800 | (1 << 0) | (1 << 2) | (1 << 3) | (1 << 4) | (1 << 12) | (1 << 19) | (1 << 26)

    .section .bss.boot_stack, "aw", %nobits
    .balign 16
boot_stack:
    .space  BOOT_STACK_SIZE
    .globl boot_stack_top
boot_stack_top:
