/* SPDX-License-Identifier: MIT */
/* The fuzzer's raw system calls and the code its threads run.
 *
 * fuzz_svc(regs, number): x0-x16 from regs[0..16], `svc #number` (0-15,
 * through a table: the number is part of the instruction), x0-x17 back into
 * regs[0..17]. Returns 0 if every register the ABI preserves survived
 * (x19-x29, SP, TPIDR_EL0, d8-d15; x19-x28 and d8-d15 hold known patterns
 * across the call), else 1. The caller's d8-d15 are saved and restored. */
    .text
    .globl fuzz_svc
fuzz_svc:
    stp     d8, d9, [sp, #-64]!
    stp     d10, d11, [sp, #16]
    stp     d12, d13, [sp, #32]
    stp     d14, d15, [sp, #48]
    sub     sp, sp, #112
    stp     x19, x20, [sp, #0]
    stp     x21, x22, [sp, #16]
    stp     x23, x24, [sp, #32]
    stp     x25, x26, [sp, #48]
    stp     x27, x28, [sp, #64]
    stp     x29, x30, [sp, #80]
    str     x0, [sp, #96]
    mrs     x9, tpidr_el0
    str     x9, [sp, #104]
    mov     x29, sp
    adr     x9, fuzz_patterns
    ldp     x19, x20, [x9, #0]
    ldp     x21, x22, [x9, #16]
    ldp     x23, x24, [x9, #32]
    ldp     x25, x26, [x9, #48]
    ldp     x27, x28, [x9, #64]
    /* d8-d15 (the low halves of v8-v15, which the procedure-call standard
     * preserves) carry the same patterns across the call. */
    fmov    d8, x19
    fmov    d9, x20
    fmov    d10, x21
    fmov    d11, x22
    fmov    d12, x23
    fmov    d13, x24
    fmov    d14, x25
    fmov    d15, x26
    adr     x17, 1f
    add     x17, x17, x1, lsl #3
    mov     x18, x0
    ldp     x0, x1, [x18, #0]
    ldp     x2, x3, [x18, #16]
    ldp     x4, x5, [x18, #32]
    ldp     x6, x7, [x18, #48]
    ldp     x8, x9, [x18, #64]
    ldp     x10, x11, [x18, #80]
    ldp     x12, x13, [x18, #96]
    ldp     x14, x15, [x18, #112]
    ldr     x16, [x18, #128]
    br      x17
1:  svc     #0
    b       2f
    svc     #1
    b       2f
    svc     #2
    b       2f
    svc     #3
    b       2f
    svc     #4
    b       2f
    svc     #5
    b       2f
    svc     #6
    b       2f
    svc     #7
    b       2f
    svc     #8
    b       2f
    svc     #9
    b       2f
    svc     #10
    b       2f
    svc     #11
    b       2f
    svc     #12
    b       2f
    svc     #13
    b       2f
    svc     #14
    b       2f
    svc     #15
    b       2f
2:  ldr     x18, [x29, #96]
    stp     x0, x1, [x18, #0]
    stp     x2, x3, [x18, #16]
    stp     x4, x5, [x18, #32]
    stp     x6, x7, [x18, #48]
    stp     x8, x9, [x18, #64]
    stp     x10, x11, [x18, #80]
    stp     x12, x13, [x18, #96]
    stp     x14, x15, [x18, #112]
    stp     x16, x17, [x18, #128]
    mov     x0, #0
    adr     x9, fuzz_patterns
    ldp     x10, x11, [x9, #0]
    cmp     x19, x10
    ccmp    x20, x11, #0, eq
    ldp     x10, x11, [x9, #16]
    ccmp    x21, x10, #0, eq
    ccmp    x22, x11, #0, eq
    ldp     x10, x11, [x9, #32]
    ccmp    x23, x10, #0, eq
    ccmp    x24, x11, #0, eq
    ldp     x10, x11, [x9, #48]
    ccmp    x25, x10, #0, eq
    ccmp    x26, x11, #0, eq
    ldp     x10, x11, [x9, #64]
    ccmp    x27, x10, #0, eq
    ccmp    x28, x11, #0, eq
    mov     x10, sp
    ccmp    x29, x10, #0, eq
    mrs     x10, tpidr_el0
    ldr     x11, [x29, #104]
    ccmp    x10, x11, #0, eq
    fmov    x10, d8
    ccmp    x10, x19, #0, eq
    fmov    x10, d9
    ccmp    x10, x20, #0, eq
    fmov    x10, d10
    ccmp    x10, x21, #0, eq
    fmov    x10, d11
    ccmp    x10, x22, #0, eq
    fmov    x10, d12
    ccmp    x10, x23, #0, eq
    fmov    x10, d13
    ccmp    x10, x24, #0, eq
    fmov    x10, d14
    ccmp    x10, x25, #0, eq
    fmov    x10, d15
    ccmp    x10, x26, #0, eq
    cset    x0, ne
    ldp     x19, x20, [sp, #0]
    ldp     x21, x22, [sp, #16]
    ldp     x23, x24, [sp, #32]
    ldp     x25, x26, [sp, #48]
    ldp     x27, x28, [sp, #64]
    ldp     x29, x30, [sp, #80]
    add     sp, sp, #112
    ldp     d10, d11, [sp, #16]
    ldp     d12, d13, [sp, #32]
    ldp     d14, d15, [sp, #48]
    ldp     d8, d9, [sp], #64
    ret

/* fuzz_probe_read(va): 0 if the load from va completes. If it faults, the
 * supervisor moves the thread to fuzz_probe_faulted, which returns 1. */
    .globl fuzz_probe_read
    .globl fuzz_probe_faulted
fuzz_probe_read:
    ldr     x1, [x0]
    mov     x0, #0
    ret
fuzz_probe_faulted:
    mov     x0, #1
    ret

/* What a helper thread runs: FP registers written, then one IPC call chosen by x19 (0 Send, 1 Call,
 * 2 Recv, 3 ReplyRecv, 4 NBSend, 5 NBRecv) with the registers the fuzzer
 * wrote, then an undefined instruction: it reports a fault (or stops, with
 * no fault endpoint) instead of running on. It touches no memory. */
    .globl fuzz_helper
fuzz_helper:
    /* Use FP first, with the random message words: the kernel must switch
     * the FP registers lazily between it and the worker without mixing
     * them up (the worker checks its d8-d15 around every call). */
    fmov    d8, x2
    fmov    d9, x3
    fmov    d15, x4
    and     x19, x19, #7
    cmp     x19, #5
    b.hi    4f
    adr     x17, 3f
    add     x17, x17, x19, lsl #3
    br      x17
3:  svc     #1
    b       4f
    svc     #3
    b       4f
    svc     #4
    b       4f
    svc     #6
    b       4f
    svc     #2
    b       4f
    svc     #5
    b       4f
4:  udf     #0

    .section .rodata
    .balign 8
fuzz_patterns:
    .quad 0x1919191919191919, 0x2020202020202020, 0x2121212121212121, 0x2222222222222222
    .quad 0x2323232323232323, 0x2424242424242424, 0x2525252525252525, 0x2626262626262626
    .quad 0x2727272727272727, 0x2828282828282828

/* Where the worker starts (SP, TPIDR_EL0 set by the supervisor): its loop,
 * then an undefined instruction, the fault that tells the supervisor it is
 * done. It has no capability to its own TCB to stop itself with. */
    .text
    .globl fuzz_worker_entry
    .globl fuzz_worker_done
fuzz_worker_entry:
    mov     x29, xzr
    mov     x30, xzr
    bl      fuzz_worker
fuzz_worker_done:
    udf     #1
