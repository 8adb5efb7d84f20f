/* SPDX-License-Identifier: MIT */
/* A second client of the file system for its tests: it opens /held and
 * keeps it open for as long as it runs, so the test can check that
 * another client's handle does not work for it and that an open file
 * cannot be removed. */
#include "tsr/files.h"
#include "tsr/program.h"
#include "tsr/stdio.h"
#include "tsr/syscall.h"

int main(void)
{
    uint32_t h;
    if (vfs_connect() != IDL_OK || vfs_open("/held", VFS_OPEN_CREATE, &h) != IDL_OK ||
        vfs_write(h, 0, "mine", 4) != IDL_OK) {
        printf("vfs-holder: could not open /held\n");
        return 1;
    }
    uint64_t bits;
    for (;;)
        tsr_wait(TSR_PROG_NOTIFICATION, &bits);
}
