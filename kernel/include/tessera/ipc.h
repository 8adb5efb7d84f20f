/* SPDX-License-Identifier: MIT */
/* The shape of an IPC message, shared by the kernel, user space and code that
 * idlc generates. A message is a 48-bit label, up to TSR_MSG_MAX_WORDS 64-bit
 * message words (MR0..) and up to TSR_MSG_MAX_CAPS capabilities. MR0..MR13
 * travel in CPU registers x2..x15 across `svc`; the rest sit in the sending
 * thread's IPC buffer at the same index. docs/syscalls.md has the full ABI. */
#ifndef TESSERA_IPC_H
#define TESSERA_IPC_H

#include <stdint.h>

#define TSR_MSG_REG_WORDS 14u  /* MR0..MR13 in x2..x15 */
#define TSR_MSG_MAX_WORDS 120u /* MR14..MR119 in the IPC buffer */
#define TSR_MSG_MAX_CAPS 4u    /* capabilities carried by one message */

/* Message info word (x1): length in words, number of caps, 48-bit label.
 *   bits  0..6   length   (0..TSR_MSG_MAX_WORDS)
 *   bits  7..9   caps     (0..TSR_MSG_MAX_CAPS)
 *   bit  10      long     a long message: the bytes at ipc_buffer->send_buffer
 *                         are copied into the receiver's receive_buffer (path 3)
 *   bit  11      move     the capabilities are frames, moved and mapped into
 *                         the receiver's receive window (path 4)
 *   bit  12      share    the capabilities are frames, shared: the receiver
 *                         gets derived capabilities mapped into its window
 *                         (path 5)
 *   bits 13..14  reserved, zero
 *   bit  15      error    set only by the kernel: the call failed and the
 *                         label is a tsr_error_t (user-to-user messages
 *                         never carry it: the kernel clears it in transit)
 *   bits 16..63  label    (meaning chosen by the protocol)
 */
#define TSR_MSGINFO_LENGTH_BITS 7u
#define TSR_MSGINFO_CAPS_SHIFT 7u
#define TSR_MSGINFO_CAPS_BITS 3u
#define TSR_MSGINFO_LONG (1ull << 10)
#define TSR_MSGINFO_MOVE (1ull << 11)
#define TSR_MSGINFO_SHARE (1ull << 12)
#define TSR_MSGINFO_PATHS (TSR_MSGINFO_LONG | TSR_MSGINFO_MOVE | TSR_MSGINFO_SHARE)
#define TSR_MSGINFO_ERROR (1ull << 15)
#define TSR_MSGINFO_LABEL_SHIFT 16u
#define TSR_MSGINFO_LABEL_BITS 48u

typedef uint64_t tsr_msginfo_t;

static inline tsr_msginfo_t tsr_msginfo(uint64_t label, unsigned caps, unsigned length)
{
    return (label << TSR_MSGINFO_LABEL_SHIFT) |
           ((uint64_t)(caps & 7u) << TSR_MSGINFO_CAPS_SHIFT) | (length & 0x7fu);
}
static inline unsigned tsr_msginfo_length(tsr_msginfo_t mi)
{
    return (unsigned)(mi & 0x7fu);
}
static inline unsigned tsr_msginfo_caps(tsr_msginfo_t mi)
{
    return (unsigned)((mi >> TSR_MSGINFO_CAPS_SHIFT) & 7u);
}
static inline uint64_t tsr_msginfo_label(tsr_msginfo_t mi)
{
    return mi >> TSR_MSGINFO_LABEL_SHIFT;
}

static inline int tsr_msginfo_is_error(tsr_msginfo_t mi)
{
    return (mi & TSR_MSGINFO_ERROR) != 0;
}

/* What cap_info[i] of the IPC buffer says of a capability:
 *   bits 0..7   its type: the tsr_object_type_t of its object (TSR_OBJ_*;
 *               a frame is TSR_OBJ_FRAME_4K or TSR_OBJ_FRAME_2M by size),
 *               or one of the TSR_CAPTYPE_* below for capabilities that
 *               name no retyped object
 *   bits 8..11  its rights (TSR_RIGHT_*)
 *   bit  63     (sending only) TSR_CAP_INFO_RESTRICT: send it with only
 *               those rights
 * Other bits are zero. */
#define TSR_CAPTYPE_ASID_CONTROL 16u
#define TSR_CAPTYPE_ASID_POOL 17u
#define TSR_CAPTYPE_IRQ_CONTROL 18u
#define TSR_CAPTYPE_IRQ_HANDLER 19u
#define TSR_CAP_INFO_RIGHTS_SHIFT 8u
#define TSR_CAP_INFO_RESTRICT (1ull << 63)
#define TSR_CAP_INFO(type, rights)                                                              \
    ((uint64_t)((type)&0xffu) | ((uint64_t)((rights)&0xfu) << TSR_CAP_INFO_RIGHTS_SHIFT))
static inline unsigned tsr_cap_info_type(uint64_t info)
{
    return (unsigned)(info & 0xffu);
}
static inline unsigned tsr_cap_info_rights(uint64_t info)
{
    return (unsigned)((info >> TSR_CAP_INFO_RIGHTS_SHIFT) & 0xfu);
}

/* The IPC buffer: one per thread, in a frame the thread names with
 * TCB_Configure, 2 KiB aligned. msg[] is indexed by message-register number,
 * so msg[0..13] are unused (those travel in registers). */
#define TSR_IPC_BUFFER_SIZE 2048u
struct tsr_ipc_buffer {
    uint64_t msg[TSR_MSG_MAX_WORDS];
    /* Sending: capability pointers of the capabilities to send.
     * Receiving: the badges of received endpoint/notification capabilities. */
    uint64_t caps[TSR_MSG_MAX_CAPS];
    /* Where received capabilities go: CNode cptr (looked up in the receiver's
     * CSpace), then index and depth of the first slot inside it; received
     * capabilities fill consecutive slots. receive_depth 0 = accept none. */
    uint64_t receive_cnode;
    uint64_t receive_index;
    uint64_t receive_depth;
    uint64_t user_data; /* free for the user runtime (e.g. a thread pointer) */
    /* Long messages (TSR_MSGINFO_LONG, docs/ipc.md "Long messages"). Sending:
     * the bytes to copy. Receiving (Recv, and Call for its answer): where
     * they may land; at most receive_length bytes are written, nothing
     * outside. The kernel sets long_sent (on the sender) and long_received
     * (on the receiver) to the bytes copied: the smaller length. */
    uint64_t send_buffer;
    uint64_t send_length;
    uint64_t receive_buffer;
    uint64_t receive_length;
    uint64_t long_sent;
    uint64_t long_received;
    /* Frames received with TSR_MSGINFO_MOVE or SHARE are mapped one after
     * another (each aligned to its size) from receive_window, never past
     * receive_window + receive_window_size; their capabilities go to the
     * receive slots, and caps[i] then holds the address frame i is mapped
     * at. */
    uint64_t receive_window;
    uint64_t receive_window_size;
    /* Capability transfer (docs/syscalls.md, "Capability transfer").
     * Receiving: the kernel writes cap_info[i] for each capability that
     * arrived (frames of a page transfer too): its type and its rights,
     * TSR_CAP_INFO(type, rights), so a receiver checks what it got without
     * a system call. Sending: with TSR_CAP_INFO_RESTRICT set, capability i
     * arrives with only the rights in bits 8-11 (ANDed with those it has);
     * without it, with all its rights. The received words never have that
     * bit, so a buffer reused for sending after a receive restricts
     * nothing; a restriction the sender wrote stays until it changes it.
     * Page transfers ignore it. */
    uint64_t cap_info[TSR_MSG_MAX_CAPS];
};
_Static_assert(sizeof(struct tsr_ipc_buffer) <= TSR_IPC_BUFFER_SIZE, "IPC buffer fits");

#endif /* TESSERA_IPC_H */
