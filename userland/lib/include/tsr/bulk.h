/* SPDX-License-Identifier: MIT */
/* Long messages and page transfer (IPC paths 3-5, docs/ipc.md): the fields
 * of the calling thread's IPC buffer that name what to send and where
 * things may land. A long message is an ordinary Send or Call whose message
 * info has TSR_MSGINFO_LONG; a page transfer names frame capabilities in
 * caps[] with TSR_MSGINFO_MOVE or TSR_MSGINFO_SHARE. */
#ifndef TSR_BULK_H
#define TSR_BULK_H

#include <stdint.h>

#include "syscall.h"

/* The bytes the next long message sends. */
static inline void tsr_long_send_from(const void *data, uint64_t length)
{
    struct tsr_ipc_buffer *b = tsr_ipc_buffer();
    b->send_buffer = (uint64_t)(uintptr_t)data;
    b->send_length = length;
}

/* Where long messages received (by Recv, or as the answer to a Call) may
 * land: at most `length` bytes from buf. Length 0 accepts none. */
static inline void tsr_long_receive_into(void *buf, uint64_t length)
{
    struct tsr_ipc_buffer *b = tsr_ipc_buffer();
    b->receive_buffer = (uint64_t)(uintptr_t)buf;
    b->receive_length = length;
}

/* Bytes the last long message sent or received carried. */
static inline uint64_t tsr_long_sent(void)
{
    return tsr_ipc_buffer()->long_sent;
}
static inline uint64_t tsr_long_received(void)
{
    return tsr_ipc_buffer()->long_received;
}

/* Where received capabilities go: slots index, index + 1, ... of the CNode
 * `cnode` names, `depth` bits deep (0 accepts none). */
static inline void tsr_receive_slots(tsr_cptr_t cnode, uint64_t index, unsigned depth)
{
    struct tsr_ipc_buffer *b = tsr_ipc_buffer();
    b->receive_cnode = cnode;
    b->receive_index = index;
    b->receive_depth = depth;
}

/* The virtual range received frames are mapped in (page tables for it must
 * exist). Size 0 accepts none. */
static inline void tsr_receive_window(uint64_t va, uint64_t size)
{
    struct tsr_ipc_buffer *b = tsr_ipc_buffer();
    b->receive_window = va;
    b->receive_window_size = size;
}

#endif
