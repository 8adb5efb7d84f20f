/* SPDX-License-Identifier: MIT */
/* What a payload of 8 B to 1 MiB costs on each IPC path, from the root task
 * to a server in its own address space (docs/ipc.md, "Choosing a path").
 * Each figure is the mean over a run of messages, in guest instructions on
 * the one CPU: both threads, the kernel and every switch included.
 *   payload_regs_N     Call with N bytes in message registers, empty answer
 *   payload_ipcbuf_N   the same with the words in the IPC buffer (N > 112)
 *   payload_copy_N     Call with an N-byte long message (kernel copy), empty
 *                      answer
 *   payload_move_N     N bytes of 4 KiB frames (1 MiB: one 2 MiB frame) moved
 *                      to the server in Calls of up to 4 frames, each answer
 *                      moving them back: ownership there and back
 *   payload_share_N    the frames shared in Calls, then our Revoke of each
 *   payload_ring_N     N-byte records (64 KiB and up: a byte stream) through
 *                      a 64 KiB shared ring; the consumer copies each out
 *   memcpy_64K         a plain memcpy of 64 KiB in user space, for scale
 * The queue's figures (8 and 64 bytes) are msgq_send_take_view_* in ipc.c. */
#include <stdbool.h>
#include <stdint.h>

#include <tessera/bootinfo.h>

#include "bench.h"
#include "lib/kstring.h"
#include "tsr/bulk.h"
#include "tsr/invoke.h"
#include "tsr/ring.h"
#include "tsr/ring_notify.h"
#include "tsr/runtime.h"
#include "tsr/space.h"
#include "tsr/stdio.h"
#include "tsr/vm.h"

/* The server's CNode (radix 5) and address space. */
#define P_EP 2
#define P_REPLY 3
#define P_CNODE 4
#define P_WAIT 5   /* its notification */
#define P_SIGNAL 6 /* ours, badge 1: the ring's wake-up */
#define P_DONE 7   /* ours, badge 2: a ring run consumed */
#define P_RADIX 5
#define P_RECV 16
#define P_BUF 0x10000000ull   /* a 2 MiB frame: long messages and ring reads land here */
#define P_WIN4K 0x10600000ull /* window for 4 KiB frames (its page table exists) */
#define P_WIN2M 0x10800000ull /* window for a 2 MiB frame */
#define P_RING 0x10a00000ull  /* the ring, shared */

/* Ours. */
#define SRC 0x40000000ull     /* a 2 MiB frame: what we send */
#define SRC4K 0x40400000ull   /* sixteen 4 KiB frames */
#define BACK4K 0x40600000ull  /* where moved frames come back */
#define BACK2M 0x40800000ull
#define RING_VA 0x40a00000ull
#define RING_DATA (64u << 10)

enum { P_PLAIN = 1, P_GIVE_BACK, P_WINDOW, P_RING_RECORDS, P_RING_STREAM };

static void ring_consume(uint64_t mode, uint64_t size, uint64_t count)
{
    struct tsr_ring r;
    struct tsr_ring_notify n;
    tsr_ring_notify_init(&n, P_WAIT, P_SIGNAL);
    if (tsr_ring_attach(&r, (void *)(uintptr_t)P_RING, RING_DATA, TSR_RING_CONSUMER, &n))
        return;
    void *to = (void *)(uintptr_t)P_BUF;
    for (uint64_t k = 0; k < count; k++) {
        size_t got;
        if (mode == P_RING_RECORDS)
            tsr_ring_read(&r, to, 1u << 21, &got);
        else
            tsr_ring_stream_read(&r, to, size, &got);
    }
    tsr_signal(P_DONE);
}

/* The server: answers P_PLAIN with nothing, gives moved frames back,
 * sets its window, and consumes ring runs (started with a Send). */
static void payload_server(uint64_t arg)
{
    (void)arg;
    struct tsr_ipc_buffer *b = tsr_ipc_buffer();
    tsr_long_receive_into((void *)(uintptr_t)P_BUF, 1u << 21);
    tsr_receive_slots(P_CNODE, P_RECV, P_RADIX);
    tsr_receive_window(P_WIN4K, 16 * TSR_PAGE_SIZE);
    struct tsr_msg m = {0};
    uint64_t badge;
    tsr_recv(P_EP, P_REPLY, &m, &badge);
    for (;;) {
        uint64_t label = tsr_msginfo_label(m.info), got = tsr_msginfo_caps(m.info);
        uint64_t mr0 = m.mr[0], mr1 = m.mr[1];
        m.info = tsr_msginfo(0, 0, 0);
        if (label == P_GIVE_BACK) {
            for (unsigned i = 0; i < got; i++) {
                tsr_frame_unmap(P_RECV + i);
                b->caps[i] = P_RECV + i;
            }
            m.info = tsr_msginfo(0, (unsigned)got, 0) | TSR_MSGINFO_MOVE;
        } else if (label == P_WINDOW) {
            tsr_receive_window(mr0, mr1);
        } else if (label == P_RING_RECORDS || label == P_RING_STREAM) {
            ring_consume(label, mr0, mr1);
        }
        tsr_reply_recv(P_EP, P_REPLY, &m, &badge);
    }
}

struct payload {
    tsr_cptr_t ep, src2m, frames, back, mine, theirs_signal;
    struct tsr_ring ring;
};

static int map_new(tsr_object_type_t type, tsr_cptr_t *f, uint64_t va)
{
    return tsr_alloc_object(type, 0, f) ||
           tsr_vm_map(*f, TSR_INIT_VSPACE, va, TSR_RIGHT_READ | TSR_RIGHT_WRITE, 0);
}

static int setup(const struct tsr_bootinfo *bi, struct payload *p)
{
    struct tsr_space s;
    tsr_cptr_t ut, reply, theirs, buf, table_page, ring, unused;
    const unsigned d = TSR_ROOT_DEPTH;
    if (tsr_alloc_untyped(23, &ut) || tsr_space_create(&s, bi, ut, P_RADIX, tsr_alloc_slot, 0) ||
        tsr_alloc_object(TSR_OBJ_ENDPOINT, 0, &p->ep) ||
        tsr_alloc_object(TSR_OBJ_REPLY, 0, &reply) ||
        tsr_alloc_object(TSR_OBJ_NOTIFICATION, 0, &p->mine) ||
        tsr_alloc_object(TSR_OBJ_NOTIFICATION, 0, &theirs) ||
        tsr_space_give(&s, P_EP, p->ep, TSR_RIGHTS_ALL, 0) ||
        tsr_space_give(&s, P_REPLY, reply, TSR_RIGHTS_ALL, 0) ||
        tsr_space_give(&s, P_CNODE, s.cnode, TSR_RIGHTS_ALL, 0) ||
        tsr_space_give(&s, P_WAIT, theirs, TSR_RIGHT_READ, 0) ||
        tsr_space_give(&s, P_SIGNAL, p->mine, TSR_RIGHT_WRITE, 1) ||
        tsr_space_give(&s, P_DONE, p->mine, TSR_RIGHT_WRITE, 2))
        return 1;
    p->theirs_signal = tsr_alloc_slot();
    if (tsr_cnode_mint(TSR_INIT_CNODE, p->theirs_signal, d, TSR_INIT_CNODE, theirs, d,
                       TSR_RIGHT_WRITE, 1))
        return 1;
    /* Its buffer, the page table its 4 KiB window needs, the shared ring. */
    if (tsr_alloc_object(TSR_OBJ_FRAME_2M, 0, &buf) ||
        tsr_space_map(&s, buf, P_BUF, TSR_RIGHT_READ | TSR_RIGHT_WRITE, 0, &unused) ||
        tsr_alloc_object(TSR_OBJ_FRAME_4K, 0, &table_page) ||
        tsr_space_map(&s, table_page, P_WIN4K + (1u << 21) - TSR_PAGE_SIZE, TSR_RIGHT_READ, 0,
                      &unused) ||
        map_new(TSR_OBJ_FRAME_2M, &ring, RING_VA) ||
        tsr_space_map(&s, ring, P_RING, TSR_RIGHT_READ | TSR_RIGHT_WRITE, 0, &unused))
        return 1;
    /* Ours: the 2 MiB source, sixteen 4 KiB frames in consecutive slots
     * (received frames come back to the same slots), their way back. */
    if (map_new(TSR_OBJ_FRAME_2M, &p->src2m, SRC) || !(p->frames = tsr_alloc_slots(16)) ||
        tsr_untyped_retype(ut, TSR_OBJ_FRAME_4K, 0, TSR_INIT_CNODE, TSR_INIT_CNODE, d,
                           p->frames, 16) ||
        tsr_vm_ensure_tables(TSR_INIT_VSPACE, SRC4K, 1u << 22))
        return 1;
    for (unsigned i = 0; i < 16; i++)
        if (tsr_vm_map(p->frames + i, TSR_INIT_VSPACE, SRC4K + i * TSR_PAGE_SIZE,
                       TSR_RIGHT_READ | TSR_RIGHT_WRITE, 0))
            return 1;
    struct tsr_ring_notify n;
    tsr_ring_notify_init(&n, p->mine, p->theirs_signal);
    if (tsr_ring_format((void *)(uintptr_t)RING_VA, RING_DATA) ||
        tsr_ring_attach(&p->ring, (void *)(uintptr_t)RING_VA, RING_DATA, TSR_RING_PRODUCER, &n))
        return 1;
    return tsr_space_start(&s, payload_server, 0, bi->root_priority) != TSR_OK;
}

static uint64_t plain_call(tsr_cptr_t ep, uint64_t info)
{
    struct tsr_msg m = {.info = info};
    return tsr_call(ep, &m);
}

/* Run `stmt` once to warm up, then `n` times; report the mean. */
#define MEAN(name, n, stmt)                                                                        \
    do {                                                                                           \
        stmt;                                                                                      \
        uint64_t t0_ = cycles();                                                                   \
        for (unsigned i_ = 0; i_ < (n); i_++) {                                                    \
            stmt;                                                                                  \
        }                                                                                          \
        bench_report(name, (cycles() - t0_ - bench_overhead) / (n), "instructions");              \
    } while (0)

static const uint64_t sizes[] = {8, 64, 512, 4096, 64 << 10, 1 << 20};
static const char *const size_names[] = {"8", "64", "512", "4K", "64K", "1M"};
#define SIZES 6

static void name_of(char *out, const char *path, unsigned size_index)
{
    snprintf(out, 40, "payload_%s_%s", path, size_names[size_index]);
}

static void words_and_copies(struct payload *p)
{
    char name[40];
    for (unsigned k = 0; k < 3; k++) { /* 8, 64 bytes in registers; 512 in the buffer */
        unsigned words = (unsigned)(sizes[k] / 8);
        name_of(name, k < 2 ? "regs" : "ipcbuf", k);
        MEAN(name, 1000, plain_call(p->ep, tsr_msginfo(P_PLAIN, 0, words)));
    }
    for (unsigned k = 0; k < SIZES; k++) {
        name_of(name, "copy", k);
        tsr_long_send_from((void *)(uintptr_t)SRC, sizes[k]);
        MEAN(name, k < 4 ? 1000 : 20,
             plain_call(p->ep, tsr_msginfo(P_PLAIN, 0, 0) | TSR_MSGINFO_LONG));
    }
    static uint8_t dst[64 << 10];
    MEAN("memcpy_64K", 20, memcpy(dst, (const void *)(uintptr_t)SRC, sizeof dst));
}

/* Move `count` frames from slots first.. (at most 4 a Call) and take them
 * back into the same slots, mapped in our window at `back`. */
static void move_round(struct payload *p, tsr_cptr_t first, unsigned count, uint64_t back,
                       uint64_t frame_size)
{
    for (unsigned done = 0; done < count; done += 4) {
        unsigned n = count - done < 4 ? count - done : 4;
        for (unsigned i = 0; i < n; i++)
            tsr_ipc_buffer()->caps[i] = first + done + i;
        tsr_receive_slots(TSR_INIT_CNODE, first + done, TSR_ROOT_DEPTH);
        tsr_receive_window(back + done * frame_size, n * frame_size);
        plain_call(p->ep, tsr_msginfo(P_GIVE_BACK, n, 0) | TSR_MSGINFO_MOVE);
    }
}

static void share_round(struct payload *p, tsr_cptr_t first, unsigned count)
{
    for (unsigned done = 0; done < count; done += 4) {
        unsigned n = count - done < 4 ? count - done : 4;
        for (unsigned i = 0; i < n; i++)
            tsr_ipc_buffer()->caps[i] = first + done + i;
        plain_call(p->ep, tsr_msginfo(P_PLAIN, n, 0) | TSR_MSGINFO_SHARE);
        for (unsigned i = 0; i < n; i++)
            tsr_cnode_revoke(TSR_INIT_CNODE, first + done + i, TSR_ROOT_DEPTH);
    }
}

static void window(struct payload *p, uint64_t base, uint64_t size)
{
    struct tsr_msg m = {.info = tsr_msginfo(P_WINDOW, 0, 2), .mr = {base, size}};
    tsr_call(p->ep, &m);
}

static void pages(struct payload *p)
{
    char name[40];
    for (unsigned k = 3; k < SIZES; k++) { /* 4 KiB, 64 KiB, 1 MiB */
        bool big = k == 5;
        unsigned count = big ? 1 : (unsigned)(sizes[k] / TSR_PAGE_SIZE);
        tsr_cptr_t first = big ? p->src2m : p->frames;
        uint64_t frame_size = big ? 1u << 21 : TSR_PAGE_SIZE;
        window(p, big ? P_WIN2M : P_WIN4K, big ? 1u << 21 : 16 * TSR_PAGE_SIZE);
        name_of(name, "move", k);
        MEAN(name, 20, move_round(p, first, count, big ? BACK2M : BACK4K, frame_size));
        name_of(name, "share", k);
        MEAN(name, 20, share_round(p, first, count));
    }
    tsr_receive_slots(0, 0, 0);
    tsr_receive_window(0, 0);
}

/* Start the consumer (a Send: we produce meanwhile), push count messages
 * of `size` bytes, and wait until it has taken them all. */
static void ring_run(struct payload *p, uint64_t size, unsigned count)
{
    bool stream = size > 4096;
    struct tsr_msg m = {.info = tsr_msginfo(stream ? P_RING_STREAM : P_RING_RECORDS, 0, 2),
                        .mr = {size, count}};
    tsr_send(p->ep, &m);
    const void *from = (const void *)(uintptr_t)SRC;
    for (unsigned k = 0; k < count; k++) {
        size_t done;
        if (stream)
            tsr_ring_stream_write(&p->ring, from, size, &done);
        else
            tsr_ring_write(&p->ring, from, size);
    }
    uint64_t bits = 0;
    while (!(bits & 2))
        tsr_wait(p->mine, &bits);
}

static void rings(struct payload *p)
{
    char name[40];
    for (unsigned k = 0; k < SIZES; k++) {
        unsigned count = k < 4 ? 1000 : k == 4 ? 32 : 4;
        name_of(name, "ring", k);
        ring_run(p, sizes[k], 1); /* warm */
        uint64_t t0 = cycles();
        ring_run(p, sizes[k], count);
        bench_report(name, (cycles() - t0 - bench_overhead) / count, "instructions");
    }
}

int bench_payload(const struct tsr_bootinfo *bi)
{
    struct payload p;
    if (setup(bi, &p)) {
        printf("bench: cannot set up the payload server\n");
        return 1;
    }
    words_and_copies(&p);
    rings(&p); /* before pages(), which leaves the 2 MiB source elsewhere */
    pages(&p);
    return 0;
}
