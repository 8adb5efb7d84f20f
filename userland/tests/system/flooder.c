/* SPDX-License-Identifier: MIT */
/* A client that floods the name service for as long as it runs: resolves
 * (found, unknown, forbidden), registrations it is not allowed, lists and
 * malformed requests, as fast as it can, at the same priority as the test
 * driver, which checks that its own requests are still answered promptly.
 * With the argument "resolve" it is another client resolving meanwhile:
 * 200 resolutions, each answered within 5 ms of guest time (qemu-names runs
 * under -icount) or it exits with status 1 (NAMES0008 checks for 0). */
#include "tsr/invoke.h"
#include "tsr/service.h"
#include "tsr/runtime.h"
#include "tsr/stdio.h"
#include "tsr/string.h"
#include "tsr/sys.h"

static uint64_t now_us(void)
{
    uint64_t ticks, hz;
    __asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(ticks));
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(hz));
    return ticks / (hz >= 1000000 ? hz / 1000000 : 1);
}

static int resolve(void)
{
    uint64_t worst = 0;
    for (unsigned i = 0; i < 200; i++) {
        uint32_t vid;
        tsr_cptr_t ep;
        uint64_t t0 = now_us();
        idl_status_t st = names_resolve_wait("helper", &vid, &ep);
        uint64_t dt = now_us() - t0;
        if (st != IDL_OK) {
            printf("resolver: resolution %u failed: %s\n", i, names_status_text(st));
            return 1;
        }
        tsr_free_object(ep);
        worst = dt > worst ? dt : worst;
    }
    printf("resolver: 200 resolutions under flooding, the slowest %lu us\n", (unsigned long)worst);
    return worst < 5000 ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "resolve") == 0)
        return resolve();
    for (uint64_t round = 0;; round++) {
        uint32_t vid, count, next;
        tsr_cptr_t ep;
        if (names_resolve("helper", &vid, &ep) == IDL_OK)
            tsr_free_object(ep);
        names_resolve("nothing-here", &vid, &ep);
        names_register("flood", &vid);                 /* not allowed */
        names_register("helper", &vid);                /* not allowed, and taken */
        static service_info_t list[8];
        names_v1_list(names_transport(), (uint32_t)round % 64, list, &count, &next);
        idl_msg bad = {.label = IDL_LABEL(1, 99, 0), .nwords = 2,
                       .words = {NAMES_GUID_HI, NAMES_GUID_LO}};
        idl_call(names_transport(), &bad);
    }
}
