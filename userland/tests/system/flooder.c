/* SPDX-License-Identifier: MIT */
/* A client that floods the name service for as long as it runs: resolves
 * (found, unknown, forbidden), registrations it is not allowed, lists and
 * malformed requests, as fast as it can, at the same priority as the test
 * driver, which checks that its own requests are still answered promptly. */
#include "tsr/invoke.h"
#include "tsr/service.h"
#include "tsr/runtime.h"
#include "tsr/stdio.h"
#include "tsr/sys.h"

int main(void)
{
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
