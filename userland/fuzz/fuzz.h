/* SPDX-License-Identifier: MIT */
/* The syscall fuzzer (Image-fuzz, docs/testing.md): a supervisor (the root
 * task, main.c) and a worker thread (worker.c) that issues seeded random
 * system calls inside a sandbox CSpace. This header is what they share. */
#ifndef FUZZ_H
#define FUZZ_H

#include <stdint.h>

/* The worker's CSpace: a CNode of 2^SANDBOX_RADIX slots whose cptrs are
 * plain slot numbers. Slots below FUZZ_FIRST hold what the supervisor
 * gives it; random operations create, copy, move and delete in the rest. */
#define SANDBOX_RADIX 8
#define SANDBOX_SLOTS (1u << SANDBOX_RADIX)
enum sandbox_slot {
    S_CNODE = 1,      /* the sandbox CNode itself */
    S_VSPACE = 2,     /* the shared address space (maps only in the window) */
    S_ASID_POOL = 3,  /* to give new address spaces an ASID */
    S_HELPER_IPC = 4, /* the frame of the helpers' shared IPC buffer */
    S_AUTHORITY = 5,  /* a TCB with MCP = the worker's priority */
    S_UNTYPED = 6,    /* S_UNTYPED..+3: 256 KiB untypeds */
    S_UNTYPED_2M = 10, /* a 2 MiB untyped (2 MiB frames) */
    S_IRQ = 11,       /* the RTC's interrupt handler */
    S_IRQ_NTFN = 12,  /* the notification it signals */
    S_PROBE = 13,     /* the probe's frame */
    S_SCENARIO_EP = 14,  /* the scripted transfer's endpoint */
    S_SCENARIO_TCB = 15, /* and its sending thread */
    FUZZ_FIRST = 16,
};
#define SANDBOX_UNTYPEDS 4

/* Addresses in the shared address space. */
#define FUZZ_WINDOW 0x60000000ull      /* random mappings go in 32 MiB here */
#define FUZZ_WINDOW_SIZE 0x02000000ull
#define PROBE_VA 0x62000000ull         /* the probe's frame */
#define WORKER_IPC_VA 0x62100000ull
#define RTC_VA 0x62200000ull           /* the PL031, mapped by the supervisor */
#define HELPER_IPC_VA 0x62300000ull    /* one IPC buffer all helper threads share */
#define SCRATCH_VA 0x62310000ull       /* where the worker's long receives land */

#define WORKER_PRIORITY 100
#define SUPERVISOR_PRIORITY 10

/* What the worker is doing, for the supervisor's reports. */
struct fuzz_state {
    uint64_t seed;
    uint64_t calls;          /* system calls made so far, this seed */
    uint64_t target;         /* calls to make */
    uint64_t check_every;    /* DebugCheck after this many calls */
    uint64_t trace_from;     /* print the calls up to this one when it is made (0: never) */
    uint64_t checks;         /* invariant checks run */
    uint64_t probes_unmap;   /* stale-mapping probes (read after unmap) */
    uint64_t probes_zero;    /* new frames read all zero */
    uint64_t interrupts;     /* RTC interrupts raised */
    uint64_t helpers;        /* helper threads started */
    uint64_t errors_seen;    /* bit e: error e was returned at least once */
    uint64_t succeeded;      /* calls that returned no error */
    uint64_t long_copies;    /* messages whose long payload was copied (sent or received) */
    uint64_t caps_received;  /* capabilities the worker received */
    uint64_t scripted_ipc;   /* scripted transfers the worker received */
    uint64_t probe_va;       /* a fault here is expected (0: none) */
    int failed;              /* the worker found something: its message is printed */
    int done;
};
extern volatile struct fuzz_state fuzz;

void fuzz_worker(uint64_t arg);

/* svc.S */
unsigned fuzz_svc(uint64_t regs[18], unsigned number);
int fuzz_probe_read(uint64_t va);
void fuzz_probe_faulted(void);
void fuzz_helper(void);
void fuzz_worker_entry(void);
void fuzz_worker_done(void);

#endif
