/* SPDX-License-Identifier: MIT */
/* IPC benchmarks between two address spaces: the client is the root task,
 * the server a thread in a second address space (tsr/space.h) with its own
 * VSpace and ASID. Each figure is the median of BENCH_SAMPLES runs after a
 * warm-up, counted by the client's cycle counter: instructions from the
 * client's point of view, both kernel entries and both switches included.
 * docs/ipc.md and docs/benchmarks.md explain each figure. */
#include <stdint.h>

#include <tessera/bootinfo.h>

#include "bench.h"
#include "tsr/invoke.h"
#include "tsr/msgqueue.h"
#include "tsr/runtime.h"
#include "tsr/space.h"
#include "tsr/stdio.h"
#include "tsr/vm.h"

/* Slots of the server's CNode. */
#define SRV_EP 2
#define SRV_REPLY 3
#define SRV_NTFN_IN 4
#define SRV_NTFN_OUT 5

#define WARMUP 100u

/* The server: answers every Call with `arg` message words (its low byte),
 * and with one capability named when bit 8 is set: the client's endpoint
 * capability lacks GRANT_REPLY, so nothing is transferred, but a message
 * that names a capability takes the slow path. */
static void echo_server(uint64_t arg)
{
    unsigned len = (unsigned)(arg & 0xff), caps = (arg >> 8) & 1;
    struct tsr_msg m = {0};
    uint64_t badge;
    tsr_recv(SRV_EP, SRV_REPLY, &m, &badge);
    for (;;) {
        m.info = tsr_msginfo(0, caps, len);
        tsr_reply_recv(SRV_EP, SRV_REPLY, &m, &badge);
    }
}

/* One-way: receive forever, answering nothing. */
static void sink_server(uint64_t arg)
{
    (void)arg;
    struct tsr_msg m = {0};
    uint64_t badge;
    for (;;)
        tsr_recv(SRV_EP, 0, &m, &badge);
}

/* Notifications: wait for the client's signal, signal back. */
static void ping_server(uint64_t arg)
{
    (void)arg;
    uint64_t bits;
    for (;;) {
        tsr_wait(SRV_NTFN_IN, &bits);
        tsr_signal(SRV_NTFN_OUT);
    }
}

/* A server in its own address space with an endpoint and a reply object. */
static int make_server(const struct tsr_bootinfo *bi, struct tsr_space *s, tsr_cptr_t *ep,
                       void (*fn)(uint64_t), uint64_t arg, unsigned priority)
{
    tsr_cptr_t ut, reply;
    if (tsr_alloc_untyped(22, &ut) || tsr_space_create(s, bi, ut, 4, tsr_alloc_slot, 0) ||
        tsr_alloc_object(TSR_OBJ_ENDPOINT, 0, ep) || tsr_alloc_object(TSR_OBJ_REPLY, 0, &reply) ||
        tsr_space_give(s, SRV_EP, *ep, TSR_RIGHTS_ALL, 0) ||
        tsr_space_give(s, SRV_REPLY, reply, TSR_RIGHTS_ALL, 0) ||
        tsr_space_start(s, fn, arg, priority)) {
        printf("bench: cannot make a server in a second address space\n");
        return 1;
    }
    return 0;
}

/* Call + ReplyRecv with `len` words each way; caps = 1 forces the slow path. */
static int call_roundtrip(const struct tsr_bootinfo *bi, const char *name, unsigned len,
                          unsigned caps)
{
    struct tsr_space s;
    tsr_cptr_t ep, client_ep = tsr_alloc_slot();
    if (make_server(bi, &s, &ep, echo_server, len | (caps << 8), bi->root_priority) ||
        tsr_cnode_mint(TSR_INIT_CNODE, client_ep, TSR_ROOT_DEPTH, TSR_INIT_CNODE, ep,
                       TSR_ROOT_DEPTH, TSR_RIGHT_WRITE, 7))
        return 1;
    struct tsr_msg m = {0};
    uint64_t median;
    BENCH_MEDIAN(median, WARMUP, BENCH_SAMPLES, {
        m.info = tsr_msginfo(1, caps, len);
        tsr_call(client_ep, &m);
    });
    if (tsr_msginfo_length(m.info) != len || tsr_msg_error(&m))
        return 1;
    bench_report(name, median, "instructions");
    return tsr_tcb_suspend(s.tcb) != TSR_OK;
}

/* Send 8 words to a higher-priority server blocked in Recv: it runs at once,
 * takes the message, and blocks again; then the client goes on. */
static int send_recv(const struct tsr_bootinfo *bi)
{
    struct tsr_space s;
    tsr_cptr_t ep;
    tsr_tcb_set_priority(TSR_INIT_TCB, TSR_INIT_TCB, bi->root_priority - 1);
    if (make_server(bi, &s, &ep, sink_server, 0, bi->root_priority))
        return 1;
    struct tsr_msg m = {0};
    uint64_t median;
    BENCH_MEDIAN(median, WARMUP, BENCH_SAMPLES, {
        m.info = tsr_msginfo(1, 0, 8);
        tsr_send(ep, &m);
    });
    bench_report("ipc_send_recv_8", median, "instructions");
    tsr_tcb_suspend(s.tcb);
    return tsr_tcb_set_priority(TSR_INIT_TCB, TSR_INIT_TCB, bi->root_priority) != TSR_OK;
}

/* Signal the server's notification and wait for its signal back. */
static int notification_roundtrip(const struct tsr_bootinfo *bi)
{
    struct tsr_space s;
    tsr_cptr_t ep, in, out, signal_in = tsr_alloc_slot();
    /* Signals carry a badge: a signal that finds nobody waiting must leave a
     * bit in the word, or it is lost. */
    if (tsr_alloc_object(TSR_OBJ_NOTIFICATION, 0, &in) ||
        tsr_alloc_object(TSR_OBJ_NOTIFICATION, 0, &out) ||
        tsr_cnode_mint(TSR_INIT_CNODE, signal_in, TSR_ROOT_DEPTH, TSR_INIT_CNODE, in,
                       TSR_ROOT_DEPTH, TSR_RIGHT_WRITE, 1))
        return 1;
    if (make_server(bi, &s, &ep, ping_server, 0, bi->root_priority) ||
        tsr_space_give(&s, SRV_NTFN_IN, in, TSR_RIGHTS_ALL, 0) ||
        tsr_space_give(&s, SRV_NTFN_OUT, out, TSR_RIGHTS_ALL, 1))
        return 1;
    uint64_t bits, median;
    BENCH_MEDIAN(median, WARMUP, BENCH_SAMPLES, {
        tsr_signal(signal_in);
        tsr_wait(out, &bits);
    });
    bench_report("notif_signal_wait_roundtrip", median, "instructions");
    return tsr_tcb_suspend(s.tcb) != TSR_OK;
}

/* Message queues: one 1- or 8-word message enqueued (Send on a badged
 * sender capability) and taken, through the mapped view with no system
 * call, or with the Dequeue method. */
#define QUEUE_VIEW_VA 0x60000000ull
static int msgq_send_take(void)
{
    tsr_cptr_t q, s = tsr_alloc_slot();
    if (tsr_alloc_object(TSR_OBJ_MSG_QUEUE, 14, &q) ||
        tsr_cnode_mint(TSR_INIT_CNODE, s, TSR_ROOT_DEPTH, TSR_INIT_CNODE, q, TSR_ROOT_DEPTH,
                       TSR_RIGHT_WRITE, TSR_MSGQ_SENDER(5, 8)) ||
        tsr_vm_ensure_tables(TSR_INIT_VSPACE, QUEUE_VIEW_VA, 1u << 14) ||
        tsr_msgq_map(q, TSR_INIT_VSPACE, QUEUE_VIEW_VA))
        return 1;
    struct tsr_msgq_view v;
    tsr_msgq_view_init(&v, (void *)(uintptr_t)QUEUE_VIEW_VA);
    struct tsr_msg m = {0}, got;
    uint64_t badge, median;
    BENCH_MEDIAN(median, WARMUP, BENCH_SAMPLES, {
        m.info = tsr_msginfo(1, 0, 1);
        tsr_send(s, &m);
        tsr_msgq_view_take(&v, &badge, &got);
    });
    bench_report("msgq_send_take_view_1", median, "instructions");
    BENCH_MEDIAN(median, WARMUP, BENCH_SAMPLES, {
        m.info = tsr_msginfo(1, 0, 8);
        tsr_send(s, &m);
        tsr_msgq_view_take(&v, &badge, &got);
    });
    bench_report("msgq_send_take_view_8", median, "instructions");
    /* The median hides the batched accounting (a Send that finds the queue
     * or its quota full first learns what the receiver took): the mean over
     * many messages includes it. */
    uint64_t start = cycles();
    for (unsigned i = 0; i < BENCH_SAMPLES; i++) {
        m.info = tsr_msginfo(1, 0, 8);
        tsr_send(s, &m);
        tsr_msgq_view_take(&v, &badge, &got);
    }
    bench_report("msgq_send_take_view_8_mean", (cycles() - start) / BENCH_SAMPLES,
                 "instructions");
    BENCH_MEDIAN(median, WARMUP, BENCH_SAMPLES, {
        m.info = tsr_msginfo(1, 0, 8);
        tsr_send(s, &m);
        tsr_msgq_dequeue(q, &badge, &got);
    });
    bench_report("msgq_send_dequeue_8", median, "instructions");
    return badge != 5 || tsr_msginfo_length(got.info) != 8;
}

int bench_ipc(const struct tsr_bootinfo *bi)
{
    return call_roundtrip(bi, "ipc_call_roundtrip_0", 0, 0) ||
           call_roundtrip(bi, "ipc_call_roundtrip_4", 4, 0) ||
           call_roundtrip(bi, "ipc_call_roundtrip_8", 8, 0) ||
           call_roundtrip(bi, "ipc_call_roundtrip_14", 14, 0) ||
           call_roundtrip(bi, "ipc_call_slow_8", 8, 1) || send_recv(bi) ||
           notification_roundtrip(bi) || msgq_send_take();
}
