/* SPDX-License-Identifier: MIT */
/* The latency a caller sees while eight others flood the same server
 * (docs/ipc.md, "Floods"; the test is FLOOD0001), all at the caller's
 * priority, the server too: six Call with 14 words and two with 16 KiB long
 * messages; then again with two of the 14-word ones replaced by threads
 * that NBSend in a loop and never block. A Call waits for at most the
 * requests queued before it, one per blocking flooder; a thread that never
 * blocks takes the CPU for its whole timeslice. Reported: the largest and
 * the median of 16 Calls (3 with the spinners, each of which may wait for
 * whole timeslices), in instructions: everything the CPU ran between the
 * Call and its answer. */
#include <stdbool.h>
#include <stdint.h>

#include <tessera/bootinfo.h>

#include "bench.h"
#include "tsr/bulk.h"
#include "tsr/invoke.h"
#include "tsr/runtime.h"
#include "tsr/stdio.h"
#include "tsr/vm.h"

#define FLOODERS 8
#define CALLS 16u          /* without spinners */
#define SPINNER_CALLS 3u   /* with them: each may wait for their timeslices */
#define LONG_VA 0x34000000ull /* 16 KiB sent, 16 KiB received */
#define LONG_LEN 0x4000u
#define STACKS 0x35000000ull

static tsr_cptr_t ep, reply;
static volatile uint64_t flooder_runs[FLOODERS], exited;
static volatile bool stop, spinners;

static void flood_server(uint64_t unused)
{
    (void)unused;
    tsr_long_receive_into((void *)(uintptr_t)(LONG_VA + LONG_LEN), LONG_LEN);
    struct tsr_msg m = {0};
    uint64_t badge;
    tsr_recv(ep, reply, &m, &badge);
    for (;;) {
        m = (struct tsr_msg){.info = tsr_msginfo(0, 0, 1), .mr = {m.mr[0] + 1}};
        tsr_reply_recv(ep, reply, &m, &badge);
    }
}

/* Flooders 0-3 Call with 14 words, 4-5 with a 16 KiB long message, 6-7
 * the same as 0-3, or, with `spinners`, NBSend in a loop that never
 * blocks. */
static void flooder(uint64_t i)
{
    if (i >= 4 && i < 6)
        tsr_long_send_from((void *)(uintptr_t)LONG_VA, LONG_LEN);
    while (!stop) {
        struct tsr_msg m = {.info = tsr_msginfo(1, 0, 14)};
        if (i >= 4 && i < 6)
            m.info |= TSR_MSGINFO_LONG;
        if (i >= 6 && spinners)
            tsr_nb_send(ep, &m);
        else
            tsr_call(ep, &m);
        flooder_runs[i]++;
    }
    exited++;
}

static bool all_started(void)
{
    for (unsigned i = 0; i < FLOODERS; i++)
        if (!flooder_runs[i])
            return false;
    return true;
}

/* Start the flooders, make `calls` Calls among them, report the largest and
 * the median latency, stop the flooders. */
static int flood_run(unsigned priority, bool with_spinners, unsigned calls, uint64_t stacks,
                     const char *max_name, const char *median_name)
{
    struct tsr_thread t;
    stop = false;
    spinners = with_spinners;
    exited = 0;
    for (unsigned i = 0; i < FLOODERS; i++) {
        flooder_runs[i] = 0;
        if (tsr_thread_create(&t, TSR_INIT_CNODE, TSR_INIT_VSPACE, stacks + i * 0x10000, priority,
                              flooder, i) ||
            tsr_thread_start(&t))
            return 1;
    }
    for (unsigned spins = 0; spins < 100000 && !all_started(); spins++)
        tsr_yield();
    if (!all_started()) {
        printf("bench: the flooders did not start\n");
        return 1;
    }
    static uint64_t took[CALLS];
    for (unsigned k = 0; k < calls; k++) {
        /* Between Calls the caller lets the others run (as a client doing
         * other work would), so the flooders have requests queued again. */
        tsr_yield();
        struct tsr_msg m = {.info = tsr_msginfo(2, 0, 1), .mr = {k}};
        uint64_t t0 = cycles();
        tsr_call(ep, &m);
        uint64_t d = cycles() - t0 - bench_overhead;
        if (m.mr[0] != k + 1)
            return 1;
        /* In order, by insertion: the latencies can exceed bench_median's
         * 16-bit samples. */
        unsigned at = k;
        for (; at > 0 && took[at - 1] > d; at--)
            took[at] = took[at - 1];
        took[at] = d;
    }
    bench_report(max_name, took[calls - 1], "instructions");
    bench_report(median_name, took[calls / 2], "instructions");
    stop = true;
    for (unsigned spins = 0; spins < 100000 && exited < FLOODERS; spins++)
        tsr_yield();
    return exited == FLOODERS ? 0 : 1;
}

int bench_flood(const struct tsr_bootinfo *bi)
{
    unsigned p = bi->root_priority;
    struct tsr_thread t;
    if (tsr_alloc_object(TSR_OBJ_ENDPOINT, 0, &ep) || tsr_alloc_object(TSR_OBJ_REPLY, 0, &reply) ||
        tsr_vm_ensure_tables(TSR_INIT_VSPACE, LONG_VA, 2 * LONG_LEN))
        return 1;
    for (unsigned i = 0; i < 2 * LONG_LEN / TSR_PAGE_SIZE; i++) {
        tsr_cptr_t f;
        if (tsr_alloc_object(TSR_OBJ_FRAME_4K, 0, &f) ||
            tsr_vm_map(f, TSR_INIT_VSPACE, LONG_VA + i * TSR_PAGE_SIZE,
                       TSR_RIGHT_READ | TSR_RIGHT_WRITE, 0))
            return 1;
    }
    if (tsr_thread_create(&t, TSR_INIT_CNODE, TSR_INIT_VSPACE, STACKS + 0x200000, p,
                          flood_server, 0) ||
        tsr_thread_start(&t))
        return 1;
    return flood_run(p, false, CALLS, STACKS, "flood_call_latency_max",
                     "flood_call_latency_median") ||
           flood_run(p, true, SPINNER_CALLS, STACKS + 0x100000, "flood_call_latency_max_spinners",
                     "flood_call_latency_median_spinners");
}
