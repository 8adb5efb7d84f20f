/* SPDX-License-Identifier: MIT */
/* The stub + dispatcher benchmark on AArch64, bare metal under QEMU
 * (-icount shift=0: PMCCNTR_EL0 counts instructions). The same call as the
 * host's bench_call.c, alltypes_v1_echo_args8 with 8 u64 arguments and one
 * result, and the same figure: stub inclusive - transport inclusive +
 * idl_server_dispatch inclusive - op inclusive. Callgrind's function
 * boundaries are replaced by counter reads placed exactly on them
 * (start.S): the transport and the op read the counter in their first
 * instruction and four before their last; idl_server_dispatch is called
 * through a trampoline whose own instructions are known; the stub's
 * inclusive count is a call through a pointer minus the same call to a
 * one-instruction function. Generated code, runtime and this file build with
 * the flags of the IDL runtime and generated code in a user program
 * (TESSERA_TARGET_CFLAGS, -O2, and -mno-implicit-float). */
#include <stddef.h>
#include <stdint.h>

#include <idl/runtime.h>

#include "alltypes.h"

#define CALLS 10
#define UART_DR ((volatile uint32_t *)0x09000000) /* PL011 on QEMU virt */

/* start.S */
extern uint64_t t_in, t_out, d_in, d_out, op_in, op_out;
tsr_error_t bench_tramp_call(idl_transport *t, idl_msg *msg);
idl_dispatch_result bench_tramp_dispatch(const idl_binding *bindings, size_t nbindings,
                                         const idl_caller *caller, idl_msg *msg);
idl_status_t bench_op(void *self, const idl_caller *c, uint64_t a, uint64_t b, uint64_t cc,
                      uint64_t d, uint64_t e, uint64_t f, uint64_t g, uint64_t h, uint64_t *sum);
typedef idl_status_t stub8_fn(idl_transport *t, uint64_t a, uint64_t b, uint64_t c, uint64_t d,
                              uint64_t e, uint64_t f, uint64_t g, uint64_t h, uint64_t *sum);
stub8_fn bench_nothing;
uint64_t bench_read_twice(void);
int main(void);
tsr_error_t bench_transport_call(idl_transport *t, idl_msg *msg);

/* -ffreestanding code may still call these. */
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;
    while (n--)
        *d++ = *s++;
    return dst;
}
void *memset(void *dst, int c, size_t n)
{
    uint8_t *d = dst;
    while (n--)
        *d++ = (uint8_t)c;
    return dst;
}

static void puts_(const char *s)
{
    while (*s)
        *UART_DR = (uint8_t)*s++;
}

static void putu(uint64_t v)
{
    char buf[21];
    int i = 20;
    buf[i] = '\0';
    do {
        buf[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    puts_(&buf[i]);
}

static void bench(const char *name, uint64_t v)
{
    puts_("BENCH ");
    puts_(name);
    puts_(" ");
    putu(v);
    puts_(" instructions\n");
}

/* The transport: what the loopback does, without its poisoning. The server
 * gets its own copy of exactly nwords words and ncaps caps; the reply comes
 * back the same way. Its cost is excluded from the figure. */
static idl_binding binding;
static idl_caller caller = {1, NULL, 0, NULL};
static idl_msg server_msg;

static void copy_msg(idl_msg *dst, const idl_msg *src)
{
    dst->label = src->label;
    dst->nwords = src->nwords;
    dst->ncaps = src->ncaps;
    for (uint32_t i = 0; i < src->nwords; i++)
        dst->words[i] = src->words[i];
    for (uint32_t i = 0; i < src->ncaps; i++)
        dst->caps[i] = src->caps[i];
}

tsr_error_t bench_transport_call(idl_transport *t, idl_msg *msg)
{
    (void)t;
    copy_msg(&server_msg, msg);
    if (bench_tramp_dispatch(&binding, 1, &caller, &server_msg) != IDL_REPLY)
        return TSR_E_CANCELLED;
    copy_msg(msg, &server_msg);
    return TSR_OK;
}

static tsr_error_t no_send(idl_transport *t, const idl_msg *msg)
{
    (void)t, (void)msg;
    return TSR_E_INVALID_ARGUMENT;
}

static const idl_transport_ops transport_ops = {bench_tramp_call, no_send};
static idl_transport transport = {&transport_ops};

static inline uint64_t cycles(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, pmccntr_el0" : "=r"(v)::"memory");
    return v;
}

/* Instructions between two counter reads around one call of f: the same
 * instructions whichever f is, plus f's. */
static __attribute__((noinline)) uint64_t measure(stub8_fn *f, uint64_t i, uint64_t *sum,
                                                  idl_status_t *st)
{
    uint64_t s0 = cycles();
    *st = f(&transport, i, 2, 3, 4, 5, 6, 7, 8, sum);
    uint64_t s1 = cycles();
    return s1 - s0;
}

int main(void)
{
    static const alltypes_v1_ops ops = {.echo_args8 = bench_op};
    static const alltypes_server srv = {NULL, &ops};
    binding = alltypes_binding(&srv);
    uint64_t sum = 0, first = 0;
    idl_status_t st;
    int bad = 0;
    if (bench_read_twice() != 1) {
        puts_("bench: PMCCNTR_EL0 does not count instructions (run with -icount shift=0)\n");
        return 1;
    }
    /* bench_nothing is one instruction (ret): what measure() adds around f. */
    uint64_t around = measure(bench_nothing, 0, &sum, &st) - 1;
    for (uint64_t i = 0; i < CALLS; i++) {
        uint64_t a = measure(alltypes_v1_echo_args8, i, &sum, &st) - around;
        uint64_t b = t_out - t_in + 4;   /* transport, first instruction to ret */
        uint64_t c = d_out - d_in - 7;   /* idl_server_dispatch inclusive */
        uint64_t d = op_out - op_in + 4; /* op, first instruction to ret */
        if (st != IDL_OK || sum != i + 35) {
            puts_("bench: echo_args8 failed\n");
            return 1;
        }
        uint64_t overhead = a - b + c - d;
        if (i == 0)
            first = overhead;
        bad |= overhead != first;
        if (i == CALLS - 1) {
            bench("idl_call_8w_stub_overhead_aarch64", overhead);
            bench("idl_call_8w_stub_only_aarch64", a - b);
            bench("idl_call_8w_dispatcher_only_aarch64", c - d);
            bench("idl_call_8w_transport_aarch64", b - c);
            bench("idl_call_8w_total_aarch64", a);
        }
    }
    if (bad) {
        puts_("bench: the count differs between calls\n");
        return 1;
    }
    return 0;
}
