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

tsr_error_t tsr_vm_ensure_tables(tsr_cptr_t vspace, uint64_t va, uint64_t size)
{
    /* One level-3 table serves 2 MiB: link tables at each 2 MiB step until
     * the kernel says every level on the way exists. */
    const uint64_t step = 1ull << 21;
    uint64_t end = va + size;
    for (uint64_t a = va & ~(step - 1); a < end; a += step) {
        for (unsigned level = 0; level < 3; level++) {
            tsr_cptr_t pt;
            tsr_error_t err = tsr_alloc_object(TSR_OBJ_PAGE_TABLE, 0, &pt);
            if (err)
                return err;
            err = tsr_page_table_map(pt, vspace, a, 0);
            if (err == TSR_E_ALREADY_MAPPED) {
                tsr_free_object(pt);
                break;
            }
            if (err)
                return err;
        }
    }
    return TSR_OK;
}
