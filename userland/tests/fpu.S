/* SPDX-License-Identifier: MIT */
/* FP/SIMD helpers for t_fpu.c, in assembly so that the test decides exactly
 * which FP/SIMD instruction runs first and what every register holds (C code
 * may use these registers for anything).
 *
 * fp_worker(struct fp_job *job): load V0-V31 from job->init, FPCR from
 * job->fpcr, FPSR = 0; then `iterations` times: V0-V26 += V27 (64-bit lanes)
 * and D28 += D29 / D30 (rounded as FPCR says, raising FPSR flags as the
 * arithmetic does), and in mode
 *   FP_LOOP   nothing more;
 *   FP_CALL   Call job->ep with an empty message (the server runs);
 *   FP_CALL_YIELD  the same, then Yield (a thread of the same priority
 *             runs before the next unit);
 *   FP_SERVE  answer one Call on job->ep with job->reply (the first
 *             Recv comes before the loop), storing the results before
 *             answering the last;
 *   FP_FAULT  (no loop) load x1 from job->fault_va, which faults until the
 *             handler maps it;
 * then store CNTVCT (job->start and job->end bracket the work), V0-V31,
 * FPSR and FPCR into job->out. Preserves what AAPCS64 asks (x19-x29, d8-d15)
 * so the root thread can call it too; a thread may also start in it.
 *
 * fp_dump(uint64_t out[66]): store V0-V31, FPSR, FPCR as they are, so that,
 * as a thread's entry point, its first FP/SIMD instruction is the store. */

#define JOB_INIT 0
#define JOB_FPCR 512
#define JOB_ITERATIONS 520
#define JOB_MODE 528
#define JOB_EP 536
#define JOB_REPLY 544
#define JOB_FAULT_VA 552
#define JOB_START 560
#define JOB_END 568
#define JOB_OUT 576

#define FP_LOOP 0
#define FP_CALL 1
#define FP_SERVE 2
#define FP_FAULT 3
#define FP_CALL_YIELD 4

.macro store_all base
    stp     q0, q1, [\base, #0]
    stp     q2, q3, [\base, #32]
    stp     q4, q5, [\base, #64]
    stp     q6, q7, [\base, #96]
    stp     q8, q9, [\base, #128]
    stp     q10, q11, [\base, #160]
    stp     q12, q13, [\base, #192]
    stp     q14, q15, [\base, #224]
    stp     q16, q17, [\base, #256]
    stp     q18, q19, [\base, #288]
    stp     q20, q21, [\base, #320]
    stp     q22, q23, [\base, #352]
    stp     q24, q25, [\base, #384]
    stp     q26, q27, [\base, #416]
    stp     q28, q29, [\base, #448]
    stp     q30, q31, [\base, #480]
    mrs     x2, fpsr
    mrs     x3, fpcr
    add     x4, \base, #512        /* beyond STP's reach for x registers */
    stp     x2, x3, [x4]
.endm

    .text
    .globl fp_dump
fp_dump:
    store_all x0                /* its first instruction is the first FP/SIMD one */
    ret

/* fp_finish: CNTVCT to job->end, the registers to job->out. x19 = job. */
fp_finish:
    isb
    mrs     x1, cntvct_el0
    str     x1, [x19, #JOB_END]
    add     x1, x19, #JOB_OUT
    store_all x1
    ret

    .globl fp_worker
fp_worker:
    stp     x29, x30, [sp, #-112]!
    mov     x29, sp
    stp     x19, x20, [sp, #16]
    stp     x21, x22, [sp, #32]
    stp     d8, d9, [sp, #48]
    stp     d10, d11, [sp, #64]
    stp     d12, d13, [sp, #80]
    stp     d14, d15, [sp, #96]
    mov     x19, x0
    ldr     x20, [x19, #JOB_ITERATIONS]
    ldr     x21, [x19, #JOB_MODE]
    isb
    mrs     x1, cntvct_el0
    str     x1, [x19, #JOB_START]
    ldp     q0, q1, [x19, #0]
    ldp     q2, q3, [x19, #32]
    ldp     q4, q5, [x19, #64]
    ldp     q6, q7, [x19, #96]
    ldp     q8, q9, [x19, #128]
    ldp     q10, q11, [x19, #160]
    ldp     q12, q13, [x19, #192]
    ldp     q14, q15, [x19, #224]
    ldp     q16, q17, [x19, #256]
    ldp     q18, q19, [x19, #288]
    ldp     q20, q21, [x19, #320]
    ldp     q22, q23, [x19, #352]
    ldp     q24, q25, [x19, #384]
    ldp     q26, q27, [x19, #416]
    ldp     q28, q29, [x19, #448]
    ldp     q30, q31, [x19, #480]
    ldr     x1, [x19, #JOB_FPCR]
    msr     fpcr, x1
    msr     fpsr, xzr
    cmp     x21, #FP_FAULT
    b.eq    4f
    cmp     x21, #FP_SERVE
    b.ne    1f
    ldr     x0, [x19, #JOB_EP]
    ldr     x16, [x19, #JOB_REPLY]
    svc     #4                      /* Recv: the first Call */
1:  cbz     x20, 5f
    add     v0.2d, v0.2d, v27.2d
    add     v1.2d, v1.2d, v27.2d
    add     v2.2d, v2.2d, v27.2d
    add     v3.2d, v3.2d, v27.2d
    add     v4.2d, v4.2d, v27.2d
    add     v5.2d, v5.2d, v27.2d
    add     v6.2d, v6.2d, v27.2d
    add     v7.2d, v7.2d, v27.2d
    add     v8.2d, v8.2d, v27.2d
    add     v9.2d, v9.2d, v27.2d
    add     v10.2d, v10.2d, v27.2d
    add     v11.2d, v11.2d, v27.2d
    add     v12.2d, v12.2d, v27.2d
    add     v13.2d, v13.2d, v27.2d
    add     v14.2d, v14.2d, v27.2d
    add     v15.2d, v15.2d, v27.2d
    add     v16.2d, v16.2d, v27.2d
    add     v17.2d, v17.2d, v27.2d
    add     v18.2d, v18.2d, v27.2d
    add     v19.2d, v19.2d, v27.2d
    add     v20.2d, v20.2d, v27.2d
    add     v21.2d, v21.2d, v27.2d
    add     v22.2d, v22.2d, v27.2d
    add     v23.2d, v23.2d, v27.2d
    add     v24.2d, v24.2d, v27.2d
    add     v25.2d, v25.2d, v27.2d
    add     v26.2d, v26.2d, v27.2d
    fdiv    d31, d29, d30
    fadd    d28, d28, d31
    sub     x20, x20, #1
    cmp     x21, #FP_CALL
    b.eq    2f
    cmp     x21, #FP_CALL_YIELD
    b.eq    2f
    cmp     x21, #FP_SERVE
    b.eq    3f
    b       1b
2:  ldr     x0, [x19, #JOB_EP]
    mov     x1, xzr                 /* label 0, no words */
    svc     #3                      /* Call */
    cmp     x21, #FP_CALL_YIELD
    b.ne    1b
    svc     #7                      /* Yield */
    b       1b
3:  cbnz    x20, 6f
    bl      fp_finish               /* before the last answer: the caller then sees it */
6:  ldr     x0, [x19, #JOB_EP]
    ldr     x16, [x19, #JOB_REPLY]
    mov     x1, xzr
    svc     #6                      /* ReplyRecv */
    b       1b
4:  ldr     x2, [x19, #JOB_FAULT_VA]
    ldr     x1, [x2]                /* faults until the handler maps the page */
5:  bl      fp_finish
    ldp     d14, d15, [sp, #96]
    ldp     d12, d13, [sp, #80]
    ldp     d10, d11, [sp, #64]
    ldp     d8, d9, [sp, #48]
    ldp     x21, x22, [sp, #32]
    ldp     x19, x20, [sp, #16]
    ldp     x29, x30, [sp], #112
    ret

/* fp_sve() and fp_sme(): one FP/SIMD instruction first, so the thread owns
 * the registers and runs with FP/SIMD on (CPACR_EL1.FPEN = 0b11), then one
 * SVE instruction (RDVL x0, #1) or SME instruction (SMSTART): turning FP on
 * must not turn those on. Neither completes: the handler sees the second
 * instruction's PC. */
    .globl fp_sve
fp_sve:
    fmov    d0, xzr
    .inst   0x04bf5020              /* rdvl x0, #1 */
    ret

    .globl fp_sme
fp_sme:
    fmov    d0, xzr
    .inst   0xd503477f              /* smstart */
    ret
