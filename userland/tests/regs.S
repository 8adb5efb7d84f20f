/* SPDX-License-Identifier: MIT */
/* test_svc_regs(number, in, out): set x0-x16 from in[0..16], make system
 * call `number` (Call, Recv or ReplyRecv only: the svc immediate is chosen by
 * a branch), and store x0-x18 into out[0..18], so a test can see every
 * register a system call hands back (FAST0002). Preserves x19-x29 as the
 * procedure-call standard asks. */
    .text
    .globl test_svc_regs
test_svc_regs:
    stp     x29, x30, [sp, #-32]!
    stp     x1, x2, [sp, #16]       /* in, out */
    mov     x17, x0
    mov     x18, x1
    ldp     x0, x1, [x18, #0]
    ldp     x2, x3, [x18, #16]
    ldp     x4, x5, [x18, #32]
    ldp     x6, x7, [x18, #48]
    ldp     x8, x9, [x18, #64]
    ldp     x10, x11, [x18, #80]
    ldp     x12, x13, [x18, #96]
    ldp     x14, x15, [x18, #112]
    ldr     x16, [x18, #128]
    cmp     x17, #4
    b.eq    1f
    cmp     x17, #6
    b.eq    2f
    svc     #3                      /* Call */
    b       3f
1:  svc     #4                      /* Recv */
    b       3f
2:  svc     #6                      /* ReplyRecv */
3:  str     x18, [sp, #-16]!        /* keep x18 as the kernel left it */
    ldr     x18, [sp, #40]          /* out */
    stp     x0, x1, [x18, #0]
    stp     x2, x3, [x18, #16]
    stp     x4, x5, [x18, #32]
    stp     x6, x7, [x18, #48]
    stp     x8, x9, [x18, #64]
    stp     x10, x11, [x18, #80]
    stp     x12, x13, [x18, #96]
    stp     x14, x15, [x18, #112]
    stp     x16, x17, [x18, #128]
    ldr     x0, [sp], #16
    str     x0, [x18, #144]
    ldp     x29, x30, [sp], #32
    ret
