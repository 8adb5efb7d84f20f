/* SPDX-License-Identifier: MIT */
/* The console client (tsr/console.h). Input is fetched in pieces of up to
 * 256 bytes into a local buffer; when the service has none, the program
 * waits on its own notification (TSR_PROG_NOTIFICATION), which the console
 * signals when characters arrive. Checking before waiting cannot lose a
 * wake-up: a signal sent in between stays in the notification's word. */
#include <stdbool.h>
#include <stdint.h>

#include "console.h"
#include "tsr/console.h"
#include "tsr/invoke.h"
#include "tsr/program.h"
#include "tsr/runtime.h"
#include "tsr/service.h"
#include "tsr/stdio.h"
#include "tsr/vid.h"

#define D TSR_ROOT_DEPTH
#define CHUNK 800 /* bytes<800> in console.idl */

static idl_kernel_transport console_t;
static bool connected;
static uint8_t pending[256];
static size_t pending_at, pending_len;

idl_status_t console_open(bool reader)
{
    tsr_cptr_t ep;
    /* The console may still be starting: wait for its name. */
    uint32_t vid;
    idl_status_t st = names_resolve_wait("console", &vid, &ep);
    if (st != IDL_OK)
        return st;
    idl_kernel_transport_init(&console_t, ep);
    connected = true;
    if (!reader)
        return IDL_OK;
    /* A badged copy of our notification for the console to signal. */
    tsr_cptr_t wakeup = tsr_alloc_slot();
    tsr_error_t err = tsr_cnode_mint(TSR_PROG_CNODE, wakeup, D, TSR_PROG_CNODE,
                                     TSR_PROG_NOTIFICATION, D, TSR_RIGHT_WRITE, 1);
    if (err)
        return idl_status_from_tsr(err);
    st = console_v1_subscribe(&console_t.transport, wakeup);
    tsr_cnode_delete(TSR_PROG_CNODE, wakeup, D);
    tsr_free_slot(wakeup);
    return st;
}

idl_status_t console_write(const char *s, size_t n)
{
    if (!connected)
        return idl_status_from_tsr(TSR_E_INVALID_CAPABILITY);
    while (n) {
        size_t k = n < CHUNK ? n : CHUNK;
        idl_status_t st = console_v1_write(&console_t.transport, (const uint8_t *)s, k);
        if (st != IDL_OK)
            return st;
        s += k;
        n -= k;
    }
    return IDL_OK;
}

int console_getc(void)
{
    while (pending_at == pending_len) {
        pending_at = pending_len = 0;
        idl_status_t st = console_v1_read(&console_t.transport, sizeof(pending), pending,
                                          &pending_len);
        if (st != IDL_OK)
            return -1;
        if (pending_len == 0) {
            uint64_t bits;
            tsr_wait(TSR_PROG_NOTIFICATION, &bits);
        }
    }
    return pending[pending_at++];
}

idl_transport *console_transport(void)
{
    return &console_t.transport;
}

static void console_stdout(const char *s, size_t n)
{
    console_write(s, n);
}

void console_use_for_printf(void)
{
    if (connected)
        tsr_stdout = console_stdout;
}
