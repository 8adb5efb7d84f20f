/* SPDX-License-Identifier: MIT */
/* A client written when `tally` had only version 1: it negotiates with
 * the versions it knows ({1}), so it keeps working against a server that
 * also serves version 2, and says so if a server ever stops serving 1. */
#include "tally.h"
#include "tsr/service.h"
#include "tsr/stdio.h"

int main(void)
{
    static const uint16_t known[] = {1};
    idl_kernel_transport t;
    idl_status_t st = tsr_connect("demo", &t);
    uint16_t v = 0;
    if (st == IDL_OK)
        st = idl_negotiate(&t.transport, (idl_guid){TALLY_GUID_HI, TALLY_GUID_LO}, known, 1, &v);
    if (st != IDL_OK) {
        printf("demo-v1: no tally version 1 to talk to: %s\n", names_status_text(st));
        return 1;
    }
    uint64_t a = 0, b = 0;
    st = tally_v1_add(&t.transport, 5, &a);
    if (st == IDL_OK)
        st = tally_v1_add(&t.transport, 7, &b);
    printf("demo-v1: knows version 1, negotiated %u: add 5 -> %lu, add 7 -> %lu (%s)\n", v,
           (unsigned long)a, (unsigned long)b, tsr_status_text(st));
    return st == IDL_OK ? 0 : 1;
}
