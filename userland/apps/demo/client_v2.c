/* SPDX-License-Identifier: MIT */
/* A client that knows both versions of `tally`: tally_negotiate (which idlc
 * generates with every version the .idl declares) picks 2 from this server,
 * and the client uses what version 2 added; against a server with version 1
 * only it would fall back to the version-1 calls. */
#include "tally.h"
#include "tsr/service.h"
#include "tsr/stdio.h"

int main(void)
{
    idl_kernel_transport t;
    idl_status_t st = tsr_connect("demo", &t);
    uint16_t v = 0;
    if (st == IDL_OK)
        st = tally_negotiate(&t.transport, &v);
    if (st != IDL_OK) {
        printf("demo-v2: no tally to talk to: %s\n", names_status_text(st));
        return 1;
    }
    uint64_t total = 0, previous = 0;
    if (v == 1) {
        st = tally_v1_add(&t.transport, 36, &total);
        printf("demo-v2: knows versions 2 and 1, negotiated 1: add 36 -> %lu (%s)\n",
               (unsigned long)total, tsr_status_text(st));
        return st == IDL_OK ? 0 : 1;
    }
    static const uint32_t amounts[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    char text[81];
    st = tally_v2_add_many(&t.transport, amounts, 8, &total);
    if (st == IDL_OK)
        st = tally_v2_describe(&t.transport, text);
    if (st == IDL_OK)
        st = tally_v2_reset(&t.transport, &previous);
    printf("demo-v2: knows versions 2 and 1, negotiated %u: add_many 1..8 -> %lu, reset from "
           "%lu (%s)\n", v, (unsigned long)total, (unsigned long)previous, tsr_status_text(st));
    if (st == IDL_OK)
        printf("demo-v2: describe: %s\n", text);
    return st == IDL_OK ? 0 : 1;
}
