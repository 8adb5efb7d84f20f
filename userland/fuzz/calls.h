/* SPDX-License-Identifier: MIT */
/* The fuzzer worker's machinery (calls.c): its random numbers, the slots it
 * draws operands from, and issue(), through which every system call goes
 * and is checked. worker.c (the random operations) and oracles.c (the
 * checkpoints) share it. */
#ifndef FUZZ_CALLS_H
#define FUZZ_CALLS_H

#include <stdbool.h>
#include <stdint.h>

#include <tessera/errors.h>
#include <tessera/ipc.h>
#include <tessera/objects.h>
#include <tessera/syscalls.h>

#define DEPTH 64
#define ERR(e) (1u << (e))
/* Errors any invocation may give: a short message, a method the object
 * does not have, an unusable or unresolvable capability (docs/syscalls.md,
 * "Object invocations"). */
#define INVOKE_COMMON                                                                              \
    (ERR(TSR_E_TRUNCATED) | ERR(TSR_E_ILLEGAL_OPERATION) | ERR(TSR_E_INVALID_CAPABILITY) |          \
     ERR(TSR_E_LOOKUP_FAILED))
/* Errors of Send and NBSend on an endpoint, notification, message queue or
 * reply object ("Errors common to the IPC calls", MsgQueue, Reply). */
#define IPC_SEND                                                                                   \
    (ERR(TSR_E_INVALID_CAPABILITY) | ERR(TSR_E_LOOKUP_FAILED) | ERR(TSR_E_INSUFFICIENT_RIGHTS) |    \
     ERR(TSR_E_WOULD_BLOCK) | ERR(TSR_E_ILLEGAL_OPERATION) | ERR(TSR_E_CANCELLED) |                \
     ERR(TSR_E_QUEUE_FULL) | ERR(TSR_E_INVALID_ARGUMENT))
/* ... and of receiving: a long message into an unusable receive buffer is
 * the receiver's BAD_ADDRESS ("Long messages"). */
#define IPC_RECV                                                                                   \
    (ERR(TSR_E_INVALID_CAPABILITY) | ERR(TSR_E_LOOKUP_FAILED) | ERR(TSR_E_INSUFFICIENT_RIGHTS) |    \
     ERR(TSR_E_WOULD_BLOCK) | ERR(TSR_E_ILLEGAL_OPERATION) | ERR(TSR_E_CANCELLED) |                \
     ERR(TSR_E_BAD_ADDRESS))
/* A message with long, move or share bits may fail in any documented way. */
#define ANY_DOCUMENTED ((1u << TSR_E_PREEMPTED) - 1)

/* x0-x17 of the next or the last call (fuzz_svc). */
extern uint64_t call_regs[18];
extern uint64_t fuzz_rng;

uint64_t rnd(void);
unsigned below(unsigned n);
bool chance(unsigned percent);

/* Operands: fuzz_slot() a slot the random operations may fill, empty or
 * move; any_slot() mostly those, sometimes a supervisor's slot or garbage. */
uint64_t fuzz_slot(void);
uint64_t any_slot(void);
unsigned any_depth(void);
/* Where the worker last made objects of each type (RECENT per type). */
#define RECENT 4
extern uint64_t recent[TSR_OBJ_TYPE_COUNT][RECENT];
void remember(uint64_t type, uint64_t slot);
uint64_t slot_of(unsigned type);
uint64_t ipc_slot(void);
/* One of the sandbox's 256 KiB untypeds. */
uint64_t sandbox_untyped(void);
uint64_t window_va(void);

/* The last calls, printed on failure. */
#define HISTORY 32
struct call_record {
    uint64_t call, number, in[5], out0, out1;
};
extern struct call_record history[HISTORY];

void fail(const char *what, uint64_t a, uint64_t b);
struct tsr_ipc_buffer *own_buffer(void);
void randomise_buffer(struct tsr_ipc_buffer *b);
/* The errors docs/syscalls.md lists for method `label` (fuzz_doc_errors.h). */
uint32_t doc_errors(uint64_t label);
/* Make system call `number` with call_regs[0..16]; check it; return its error. */
unsigned issue(unsigned number, uint32_t allowed);
/* Invoke `cap` with method `label` and n argument words (NBSend). */
unsigned invoke(uint64_t cap, uint64_t label, unsigned n, const uint64_t *args);
#define INV(cap, label, ...)                                                                       \
    ({                                                                                             \
        const uint64_t a_[] = {__VA_ARGS__};                                                       \
        invoke(cap, label, sizeof a_ / sizeof a_[0], a_);                                          \
    })
#define INV0(cap, label) invoke(cap, label, 0, 0)

/* oracles.c: DebugCheck and the oracles, every fuzz.check_every calls. */
void checkpoint(void);

#endif
