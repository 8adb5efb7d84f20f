/* SPDX-License-Identifier: MIT */
/* Accessors for AArch64 system registers and barriers, and the register bit
 * values the kernel programs. Bit positions cite the Arm ARM (DDI 0487) register
 * descriptions in chapter D19 (AArch64 System Register Descriptions).
 * Assembly includes it for the bit values only. */
#ifndef ARCH_AARCH64_SYSREG_H
#define ARCH_AARCH64_SYSREG_H

#ifndef __ASSEMBLER__
#include <stdint.h>

#define sysreg_read(reg)                                                                           \
    ({                                                                                             \
        uint64_t v_;                                                                               \
        __asm__ volatile("mrs %0, " #reg : "=r"(v_));                                              \
        v_;                                                                                        \
    })
#define sysreg_write(reg, val)                                                                     \
    do {                                                                                           \
        uint64_t v_ = (uint64_t)(val);                                                             \
        __asm__ volatile("msr " #reg ", %0" ::"r"(v_));                                            \
    } while (0)

static inline void isb(void)
{
    __asm__ volatile("isb" ::: "memory");
}
static inline void dsb_sy(void)
{
    __asm__ volatile("dsb sy" ::: "memory");
}
static inline void dsb_ish(void)
{
    __asm__ volatile("dsb ish" ::: "memory");
}
static inline void dsb_ishst(void)
{
    __asm__ volatile("dsb ishst" ::: "memory");
}
#endif

/* GICv3 CPU interface registers by encoding, so clang 14 needs no GICv3 names. */
#define ICC_SRE_EL1 S3_0_C12_C12_5
#define ICC_PMR_EL1 S3_0_C4_C6_0
#define ICC_BPR1_EL1 S3_0_C12_C12_3
#define ICC_CTLR_EL1 S3_0_C12_C12_4
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7
#define ICC_IAR1_EL1 S3_0_C12_C12_0
#define ICC_EOIR1_EL1 S3_0_C12_C12_1
#define ICC_SGI1R_EL1 S3_0_C12_C11_5

/* ESR_ELx exception classes (D19.2.37, ESR_EL1.EC) that the kernel names. */
#define ESR_EC_SHIFT 26
#define ESR_EC_UNKNOWN 0x00
#define ESR_EC_WFX 0x01
#define ESR_EC_FP 0x07
#define ESR_EC_ILLEGAL 0x0e
#define ESR_EC_SVC64 0x15
#define ESR_EC_SYSREG 0x18
#define ESR_EC_SVE 0x19 /* SVE use trapped by CPACR_EL1.ZEN */
#define ESR_EC_SME 0x1d /* SME use trapped by CPACR_EL1.SMEN */
#define ESR_EC_IABT_LOWER 0x20
#define ESR_EC_IABT_SAME 0x21
#define ESR_EC_PC_ALIGN 0x22
#define ESR_EC_DABT_LOWER 0x24
#define ESR_EC_DABT_SAME 0x25
#define ESR_EC_SP_ALIGN 0x26
#define ESR_EC_SERROR 0x2f
#define ESR_EC_BRK64 0x3c

#ifndef __ASSEMBLER__
static inline unsigned esr_class(uint64_t esr)
{
    return (unsigned)(esr >> ESR_EC_SHIFT) & 0x3f;
}
#endif

/* CPACR_EL1 (D19.2.30). FPEN, bits 21:20, traps FP/SIMD instructions
 * (EC 0x07): 0b00 at EL0 and EL1, 0b01 at EL0 only, 0b11 at neither. ZEN
 * (17:16, SVE, EC 0x19) and SMEN (25:24, SME, EC 0x1D) are left 0b00, so
 * SVE and SME always trap, at EL0 and EL1 (a ZEN trap takes precedence over
 * an FPEN one). */
#define CPACR_FP_TRAP_ALL 0
#define CPACR_FP_EL1_ONLY (1 << 20)
#define CPACR_FP_NO_TRAP (3 << 20)

/* SCTLR_EL1 (D19.2.118). */
#define SCTLR_M (1ul << 0)   /* stage 1 MMU enable */
#define SCTLR_A (1ul << 1)   /* alignment checking */
#define SCTLR_C (1ul << 2)   /* data cacheability */
#define SCTLR_SA (1ul << 3)  /* SP alignment check, EL1 */
#define SCTLR_SA0 (1ul << 4) /* SP alignment check, EL0 */
#define SCTLR_I (1ul << 12)  /* instruction cacheability */
#define SCTLR_WXN (1ul << 19) /* writable implies execute-never */
/* Bits that are RES1 in ARMv8.0 (11, 20, 22, 23, 28, 29). */
#define SCTLR_RES1 ((1ul << 11) | (1ul << 20) | (1ul << 22) | (1ul << 23) | (1ul << 28) | (1ul << 29))

#endif
