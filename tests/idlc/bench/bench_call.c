/* SPDX-License-Identifier: MIT */
/* Call-overhead benchmark: N calls of alltypes_v1_echo_args8 (8 words of
 * arguments, one word back) through the loopback transport. Run under
 * valgrind --tool=callgrind with --toggle-collect (see bench.cmake) to count
 * the instructions the stub and dispatcher add around the transport.
 * usage: bench_call [N] */
#include <stdio.h>
#include <stdlib.h>

#include <idl/loopback.h>

#include "alltypes.h"

/* The op: its cost is the server's business, subtracted by bench.cmake. */
idl_status_t bench_op(void *self, const idl_caller *c, uint64_t a, uint64_t b, uint64_t cc,
                      uint64_t d, uint64_t e, uint64_t f, uint64_t g, uint64_t h,
                      uint64_t *sum);
idl_status_t bench_op(void *self, const idl_caller *c, uint64_t a, uint64_t b, uint64_t cc,
                      uint64_t d, uint64_t e, uint64_t f, uint64_t g, uint64_t h, uint64_t *sum)
{
    (void)self, (void)c;
    *sum = a + b + cc + d + e + f + g + h;
    return IDL_OK;
}

int main(int argc, char **argv)
{
    unsigned n = argc > 1 ? (unsigned)atoi(argv[1]) : 1000;
    static const alltypes_v1_ops ops = {.echo_args8 = bench_op};
    alltypes_server srv = {NULL, &ops};
    idl_binding b = alltypes_binding(&srv);
    static idl_loopback lb;
    idl_loopback_init(&lb, &b, 1, 1, NULL, 0);
    uint64_t total = 0;
    for (unsigned i = 0; i < n; i++) {
        uint64_t sum;
        if (alltypes_v1_echo_args8(&lb.transport, i, 2, 3, 4, 5, 6, 7, 8, &sum) != IDL_OK)
            return 1;
        total += sum;
    }
    printf("%u calls, checksum %llu\n", n, (unsigned long long)total);
    return 0;
}
