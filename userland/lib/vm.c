/* SPDX-License-Identifier: MIT */
/* tsr_vm_map: map a frame; each time the kernel answers that a page table is
 * missing (TSR_E_NOT_MAPPED), make one and link it in, then try again. At
 * most three tables can be missing on the way to a 4 KiB page. */
#include <stdint.h>

#include "tsr/invoke.h"
#include "tsr/runtime.h"
#include "tsr/vm.h"

tsr_error_t tsr_vm_map(tsr_cptr_t frame, tsr_cptr_t vspace, uint64_t va, unsigned rights,
                       unsigned attrs)
{
    for (unsigned tries = 0; tries < 4; tries++) {
        tsr_error_t err = tsr_frame_map(frame, vspace, va, rights, attrs);
        if (err != TSR_E_NOT_MAPPED)
            return err;
        tsr_cptr_t pt;
        err = tsr_alloc_object(TSR_OBJ_PAGE_TABLE, 0, &pt);
        if (err)
            return err;
        err = tsr_page_table_map(pt, vspace, va, 0);
        if (err)
            return err;
    }
    return TSR_E_NOT_MAPPED;
}
