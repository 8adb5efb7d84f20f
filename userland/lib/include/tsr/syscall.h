/* SPDX-License-Identifier: MIT */
/* System calls as inline functions (docs/syscalls.md). Each moves a message
 * between a struct tsr_msg and the registers the ABI names: x0 capability /
 * badge, x1 message info, x2-x15 MR0-MR13, x16 reply object. Words MR14 and
 * up live in the thread's IPC buffer (tsr_ipc_buffer()). The clobber lists
 * follow the ABI: x16-x18 and x30 may change, x19-x29 survive. */
#ifndef TSR_SYSCALL_H
#define TSR_SYSCALL_H

#include <stdint.h>

#include <tessera/errors.h>
#include <tessera/ipc.h>
#include <tessera/syscalls.h>

typedef uint64_t tsr_cptr_t;

/* The first TSR_MSG_REG_WORDS message registers, with the info word. */
struct tsr_msg {
    tsr_msginfo_t info;
    uint64_t mr[TSR_MSG_REG_WORDS];
};

/* The calling thread's IPC buffer: TPIDR_EL0 holds its address (crt0 and
 * tsr_thread_start set it). */
static inline struct tsr_ipc_buffer *tsr_ipc_buffer(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, tpidr_el0" : "=r"(v));
    return (struct tsr_ipc_buffer *)(uintptr_t)v;
}

/* Register bindings shared by the IPC calls. */
#define TSR_IPC_REGS                                                                               \
    register uint64_t x0 __asm__("x0") = cptr;                                                     \
    register uint64_t x1 __asm__("x1") = m->info;                                                  \
    register uint64_t x2 __asm__("x2") = m->mr[0];                                                 \
    register uint64_t x3 __asm__("x3") = m->mr[1];                                                 \
    register uint64_t x4 __asm__("x4") = m->mr[2];                                                 \
    register uint64_t x5 __asm__("x5") = m->mr[3];                                                 \
    register uint64_t x6 __asm__("x6") = m->mr[4];                                                 \
    register uint64_t x7 __asm__("x7") = m->mr[5];                                                 \
    register uint64_t x8 __asm__("x8") = m->mr[6];                                                 \
    register uint64_t x9 __asm__("x9") = m->mr[7];                                                 \
    register uint64_t x10 __asm__("x10") = m->mr[8];                                               \
    register uint64_t x11 __asm__("x11") = m->mr[9];                                               \
    register uint64_t x12 __asm__("x12") = m->mr[10];                                              \
    register uint64_t x13 __asm__("x13") = m->mr[11];                                              \
    register uint64_t x14 __asm__("x14") = m->mr[12];                                              \
    register uint64_t x15 __asm__("x15") = m->mr[13];                                              \
    register uint64_t x16 __asm__("x16") = reply

#define TSR_IPC_OUTPUTS                                                                            \
    "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), "+r"(x6), "+r"(x7), "+r"(x8),      \
        "+r"(x9), "+r"(x10), "+r"(x11), "+r"(x12), "+r"(x13), "+r"(x14), "+r"(x15), "+r"(x16)

#define TSR_IPC_STORE_BACK                                                                         \
    do {                                                                                           \
        m->info = x1;                                                                              \
        m->mr[0] = x2, m->mr[1] = x3, m->mr[2] = x4, m->mr[3] = x5, m->mr[4] = x6;                 \
        m->mr[5] = x7, m->mr[6] = x8, m->mr[7] = x9, m->mr[8] = x10, m->mr[9] = x11;               \
        m->mr[10] = x12, m->mr[11] = x13, m->mr[12] = x14, m->mr[13] = x15;                        \
    } while (0)

#define TSR_DEFINE_IPC(name, number)                                                               \
    static inline uint64_t name(tsr_cptr_t cptr, tsr_cptr_t reply, struct tsr_msg *m)              \
    {                                                                                              \
        TSR_IPC_REGS;                                                                              \
        __asm__ volatile("svc %[nr]"                                                               \
                         : TSR_IPC_OUTPUTS                                                         \
                         : [nr] "i"(number)                                                        \
                         : "x17", "x18", "x30", "memory");                                         \
        TSR_IPC_STORE_BACK;                                                                        \
        return x0;                                                                                 \
    }

/* Each returns x0: the badge for receives, the error code otherwise. On
 * failure m->info carries TSR_MSGINFO_ERROR and the error as its label. */
TSR_DEFINE_IPC(tsr_sys_send, TSR_SYS_SEND)
TSR_DEFINE_IPC(tsr_sys_nb_send, TSR_SYS_NB_SEND)
TSR_DEFINE_IPC(tsr_sys_call, TSR_SYS_CALL)
TSR_DEFINE_IPC(tsr_sys_recv, TSR_SYS_RECV)
TSR_DEFINE_IPC(tsr_sys_nb_recv, TSR_SYS_NB_RECV)
TSR_DEFINE_IPC(tsr_sys_reply_recv, TSR_SYS_REPLY_RECV)

/* The error a call's reply reports, or TSR_OK. */
static inline tsr_error_t tsr_msg_error(const struct tsr_msg *m)
{
    return tsr_msginfo_is_error(m->info) ? (tsr_error_t)tsr_msginfo_label(m->info) : TSR_OK;
}

static inline tsr_error_t tsr_send(tsr_cptr_t ep, struct tsr_msg *m)
{
    return (tsr_error_t)tsr_sys_send(ep, 0, m);
}
static inline tsr_error_t tsr_nb_send(tsr_cptr_t ep, struct tsr_msg *m)
{
    return (tsr_error_t)tsr_sys_nb_send(ep, 0, m);
}
static inline tsr_error_t tsr_call(tsr_cptr_t ep, struct tsr_msg *m)
{
    tsr_sys_call(ep, 0, m);
    return tsr_msg_error(m);
}
/* Receive; *badge gets the sender's badge (or notification bits). */
static inline tsr_error_t tsr_recv(tsr_cptr_t ep, tsr_cptr_t reply, struct tsr_msg *m,
                                   uint64_t *badge)
{
    *badge = tsr_sys_recv(ep, reply, m);
    return tsr_msg_error(m);
}
static inline tsr_error_t tsr_nb_recv(tsr_cptr_t ep, tsr_cptr_t reply, struct tsr_msg *m,
                                      uint64_t *badge)
{
    *badge = tsr_sys_nb_recv(ep, reply, m);
    return tsr_msg_error(m);
}
static inline tsr_error_t tsr_reply_recv(tsr_cptr_t ep, tsr_cptr_t reply, struct tsr_msg *m,
                                         uint64_t *badge)
{
    *badge = tsr_sys_reply_recv(ep, reply, m);
    return tsr_msg_error(m);
}

/* Notifications: signal is a Send on the notification, wait a Recv. */
static inline tsr_error_t tsr_signal(tsr_cptr_t ntfn)
{
    struct tsr_msg m = {0};
    return tsr_send(ntfn, &m);
}
static inline tsr_error_t tsr_wait(tsr_cptr_t ntfn, uint64_t *bits)
{
    struct tsr_msg m = {0};
    return tsr_recv(ntfn, 0, &m, bits);
}
static inline tsr_error_t tsr_poll(tsr_cptr_t ntfn, uint64_t *bits)
{
    struct tsr_msg m = {0};
    return tsr_nb_recv(ntfn, 0, &m, bits);
}

/* Calls with plain register arguments. */
#define TSR_DEFINE_SIMPLE(name, number)                                                            \
    static inline uint64_t name(uint64_t a0, uint64_t a1)                                          \
    {                                                                                              \
        register uint64_t x0 __asm__("x0") = a0;                                                   \
        register uint64_t x1 __asm__("x1") = a1;                                                   \
        __asm__ volatile("svc %[nr]"                                                               \
                         : "+r"(x0), "+r"(x1)                                                      \
                         : [nr] "i"(number)                                                        \
                         : "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",    \
                           "x13", "x14", "x15", "x16", "x17", "x18", "x30", "memory");            \
        return x0;                                                                                 \
    }
TSR_DEFINE_SIMPLE(tsr_sys_null, TSR_SYS_NULL)
TSR_DEFINE_SIMPLE(tsr_sys_yield, TSR_SYS_YIELD)
TSR_DEFINE_SIMPLE(tsr_sys_debug_putc, TSR_SYS_DEBUG_PUTC)
TSR_DEFINE_SIMPLE(tsr_sys_debug_write, TSR_SYS_DEBUG_WRITE)
TSR_DEFINE_SIMPLE(tsr_sys_debug_exit, TSR_SYS_DEBUG_EXIT)
TSR_DEFINE_SIMPLE(tsr_sys_debug_counter, TSR_SYS_DEBUG_COUNTER)

static inline void tsr_yield(void)
{
    tsr_sys_yield(0, 0);
}
/* A kernel event counter (TSR_COUNTER_*; 0 in builds that do not count). */
static inline uint64_t tsr_debug_counter(enum tsr_counter id)
{
    return tsr_sys_debug_counter(id, 0);
}
/* Debug kernels: check every kernel invariant. Returns 0 or the number of
 * the first broken one; *caps = capabilities checked (0: not a debug kernel). */
static inline unsigned tsr_debug_check(uint64_t *caps)
{
    register uint64_t x0 __asm__("x0") = 0;
    register uint64_t x1 __asm__("x1") = 0;
    __asm__ volatile("svc %[nr]"
                     : "+r"(x0), "+r"(x1)
                     : [nr] "i"(TSR_SYS_DEBUG_CHECK)
                     : "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
                       "x14", "x15", "x16", "x17", "x18", "x30", "memory");
    *caps = x1;
    return (unsigned)x0;
}
static inline tsr_error_t tsr_debug_write(const char *s, uint64_t len)
{
    return (tsr_error_t)tsr_sys_debug_write((uint64_t)(uintptr_t)s, len);
}
static inline _Noreturn void tsr_debug_exit(int status)
{
    tsr_sys_debug_exit((uint64_t)(int64_t)status, 0);
    for (;;)
        ;
}

#endif
