/* SPDX-License-Identifier: MIT */
/* A program given less memory than it goes on to ask for: it checks that
 * the system refuses it a right its description does not grant, then
 * allocates frames until its budget runs out, and exits with status 3 if
 * both went as they should (the test driver checks the status, and that
 * everything else still runs). */
#include "system.h"
#include "tsr/invoke.h"
#include "tsr/runtime.h"
#include "tsr/stdio.h"
#include "tsr/sys.h"

int main(void)
{
    idl_kernel_transport sys;
    idl_kernel_transport_init(&sys, TSR_PROG_SYSTEM);
    idl_status_t st = system_v1_poweroff(&sys.transport, 0);
    if (st != SYSTEM_ERROR_NOT_ALLOWED) {
        printf("hog: poweroff without the right gave 0x%x\n", st);
        return 1;
    }
    uint64_t before = tsr_alloc_free_bytes();
    unsigned frames = 0;
    tsr_cptr_t frame;
    tsr_error_t err;
    while ((err = tsr_alloc_object(TSR_OBJ_FRAME_4K, 0, &frame)) == TSR_OK)
        frames++;
    printf("hog: %u KiB of frames from %lu KiB free, then error %d\n", frames * 4,
           (unsigned long)(before >> 10), err);
    return err == TSR_E_NOT_ENOUGH_MEMORY && frames > 0 && tsr_alloc_free_bytes() < 4096 ? 3 : 1;
}
