/* SPDX-License-Identifier: MIT */
/* A second client of the file system for its tests: it opens /held and
 * keeps it open for as long as it runs, so the test can check that
 * another client's handle does not work for it and that an open file
 * cannot be removed. Then it waits (vfs version 3's deferred wait_exists)
 * for /go, which the test makes later, and answers by writing /seen, so
 * the test sees a wait answered and another client's change events. */
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
    vfs_stat_t info;
    uint32_t seen;
    if (vfs_v3_wait_exists(vfs_transport(), "/go", &info) != IDL_OK ||
        info.kind != VFS_KIND_FILE ||
        vfs_open("/seen", VFS_OPEN_CREATE, &seen) != IDL_OK ||
        vfs_write(seen, 0, "saw /go", 7) != IDL_OK || vfs_close(seen) != IDL_OK)
        printf("vfs-holder: waiting for /go failed\n");
    uint64_t bits;
    for (;;)
        tsr_wait(TSR_PROG_NOTIFICATION, &bits);
}
