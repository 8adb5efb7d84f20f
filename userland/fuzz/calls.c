/* SPDX-License-Identifier: MIT */
/* The fuzzer worker's machinery: seeded random numbers, operand choice
 * biased toward slots that hold the right kind of object, and issue(),
 * through which every system call goes. issue() checks, through fuzz_svc,
 * that the registers the ABI preserves survive, and that every error is one
 * docs/syscalls.md documents for that call (fuzz_doc_errors.h is generated
 * from it); it keeps the last HISTORY calls for a failure's report. */
#include "calls.h"
#include "fuzz.h"
#include "fuzz_doc_errors.h"
#include "tsr/stdio.h"

uint64_t call_regs[18];
uint64_t fuzz_rng;

uint64_t rnd(void)
{
    fuzz_rng ^= fuzz_rng >> 12;
    fuzz_rng ^= fuzz_rng << 25;
    fuzz_rng ^= fuzz_rng >> 27;
    return fuzz_rng * 0x2545f4914f6cdd1dull;
}
unsigned below(unsigned n)
{
    return (unsigned)(rnd() % n);
}
bool chance(unsigned percent)
{
    return below(100) < percent;
}

/* A slot the random operations may fill, empty or move. */
uint64_t fuzz_slot(void)
{
    return FUZZ_FIRST + below(SANDBOX_SLOTS - FUZZ_FIRST);
}
/* Any capability to use as an operand: mostly the fuzz slots, sometimes
 * what the supervisor gave, now and then garbage. */
uint64_t any_slot(void)
{
    unsigned r = below(100);
    if (r < 80)
        return fuzz_slot();
    if (r < 97)
        return below(FUZZ_FIRST);
    return rnd();
}
/* Slots where the worker recently made an object of each type (its own
 * record, which deletes and moves make stale: a stale hint is just
 * another wrong capability). Operands drawn from it name the right kind of
 * object far more often, so calls get past their type checks. */
uint64_t recent[TSR_OBJ_TYPE_COUNT][RECENT];

void remember(uint64_t type, uint64_t slot)
{
    if (type < TSR_OBJ_TYPE_COUNT)
        recent[type][below(RECENT)] = slot;
}
uint64_t slot_of(unsigned type)
{
    uint64_t s = recent[type][below(RECENT)];
    return s ? s : any_slot();
}
/* An object IPC goes through: endpoint (most often), notification, queue. */
uint64_t sandbox_untyped(void)
{
    return S_UNTYPED + below(SANDBOX_UNTYPEDS);
}

uint64_t ipc_slot(void)
{
    unsigned r = below(10);
    return slot_of(r < 6 ? TSR_OBJ_ENDPOINT : r < 8 ? TSR_OBJ_NOTIFICATION : TSR_OBJ_MSG_QUEUE);
}

unsigned any_depth(void)
{
    return chance(92) ? DEPTH : below(70);
}

/* The last calls, kept in memory so that keeping them costs the same in a
 * test and in its replay (printing as it goes would shift every timer
 * interrupt after the first line and so change what the helpers do). */
struct call_record history[HISTORY];

static void print_history(void)
{
    printf("# the last %u calls (number: svc, x0-x4 in -> x0, x1 out):\n", HISTORY);
    for (unsigned i = 0; i < HISTORY; i++) {
        unsigned k = (unsigned)((fuzz.calls + 1 + i) % HISTORY);
        if (!history[k].call)
            continue;
        printf("#  %lu: svc %lu 0x%lx 0x%lx 0x%lx 0x%lx 0x%lx -> 0x%lx 0x%lx\n",
               (unsigned long)history[k].call, (unsigned long)history[k].number,
               (unsigned long)history[k].in[0], (unsigned long)history[k].in[1],
               (unsigned long)history[k].in[2], (unsigned long)history[k].in[3],
               (unsigned long)history[k].in[4], (unsigned long)history[k].out0,
               (unsigned long)history[k].out1);
    }
}

void fail(const char *what, uint64_t a, uint64_t b)
{
    printf("FUZZ FAILURE seed 0x%lx call %lu: %s (0x%lx, 0x%lx)\n", (unsigned long)fuzz.seed,
           (unsigned long)fuzz.calls, what, (unsigned long)a, (unsigned long)b);
    print_history();
    fuzz.failed = 1;
}

struct tsr_ipc_buffer *own_buffer(void)
{
    struct tsr_ipc_buffer *buf;
    __asm__ volatile("mrs %0, tpidr_el0" : "=r"(buf));
    return buf;
}

/* Make system call `number` with call_regs[0..16]; check the preserved registers
 * and that the error (if any) is in `allowed`. Returns the error. */
unsigned issue(unsigned number, uint32_t allowed)
{
    uint64_t label_in = tsr_msginfo_label(call_regs[1]), x0_in = call_regs[0];
    fuzz.calls++;
    unsigned h = (unsigned)(fuzz.calls % HISTORY);
    history[h].call = fuzz.calls;
    history[h].number = number;
    for (unsigned i = 0; i < 5; i++)
        history[h].in[i] = call_regs[i];
    bool preserved = fuzz_svc(call_regs, number) == 0;
    history[h].out0 = call_regs[0];
    history[h].out1 = call_regs[1];
    if (fuzz.trace_from && fuzz.calls == fuzz.trace_from)
        print_history();
    if (!preserved)
        fail("a register the ABI preserves changed", number, label_in);
    if (allowed == ~0u)
        return 0; /* x0 is a count, or the call was a fault */
    unsigned err;
    if (number == TSR_SYS_NB_SEND || number == TSR_SYS_NB_RECV)
        err = tsr_msginfo_is_error(call_regs[1]) ? (unsigned)tsr_msginfo_label(call_regs[1]) : 0;
    else
        err = (unsigned)call_regs[0];
    if (err >= 64 || (err && !(allowed & ERR(err))))
        fail(err == TSR_E_PREEMPTED ? "TSR_E_PREEMPTED reached user space"
                                    : "an error docs/syscalls.md does not list for the call",
             err, number == TSR_SYS_NB_SEND ? label_in : x0_in);
    else if (err)
        fuzz.errors_seen |= 1ull << err;
    else
        fuzz.succeeded++;
    if (!err && (number == TSR_SYS_NB_SEND || number == TSR_SYS_NB_RECV)) {
        struct tsr_ipc_buffer *b = own_buffer();
        if (number == TSR_SYS_NB_RECV)
            fuzz.caps_received += tsr_msginfo_caps(call_regs[1]);
        if ((call_regs[1] & TSR_MSGINFO_LONG) || b->long_sent || b->long_received)
            fuzz.long_copies += (b->long_sent | b->long_received) != 0;
        b->long_sent = b->long_received = 0;
    }
    return err;
}

uint32_t doc_errors(uint64_t label)
{
    return label <= TSR_METHOD_LABEL_MAX ? fuzz_doc_errors[label] : 0;
}

/* Invoke `cap` with method `label` and n argument words (NBSend: never
 * blocks, whatever the capability turns out to be). */
unsigned invoke(uint64_t cap, uint64_t label, unsigned n, const uint64_t *args)
{
    struct tsr_ipc_buffer *buf = own_buffer();
    for (unsigned i = 0; i < 18; i++)
        call_regs[i] = 0;
    call_regs[0] = cap;
    call_regs[1] = tsr_msginfo(label, 0, n);
    for (unsigned i = 0; i < n; i++) {
        if (i < TSR_MSG_REG_WORDS)
            call_regs[2 + i] = args[i];
        else
            buf->msg[i] = args[i];
    }
    return issue(TSR_SYS_NB_SEND, doc_errors(label) | INVOKE_COMMON | IPC_SEND);
}


/* ---- the random operations ------------------------------------------------- */

uint64_t window_va(void)
{
    return FUZZ_WINDOW + (rnd() % FUZZ_WINDOW_SIZE);
}

/* Fill an IPC buffer's transfer fields (the worker's own, or the one its
 * helpers share) so that messages carry capabilities, long payloads and
 * pages, and receives accept them: into sandbox slots, at addresses in the
 * window (mapped or not). */
void randomise_buffer(struct tsr_ipc_buffer *b)
{
    for (unsigned i = 0; i < TSR_MSG_MAX_CAPS; i++) {
        b->caps[i] = chance(40) ? slot_of(TSR_OBJ_FRAME_4K) : any_slot();
        b->cap_info[i] = chance(30) ? TSR_CAP_INFO_RESTRICT | (rnd() & 0xf00) : 0;
    }
    b->receive_cnode = chance(90) ? S_CNODE : any_slot();
    b->receive_index = fuzz_slot();
    b->receive_depth = chance(85) ? DEPTH : below(70);
    b->send_buffer = chance(90) ? window_va() : rnd();
    b->send_length = chance(90) ? below(3 * 4096) : rnd();
    b->receive_buffer = chance(90) ? window_va() : rnd();
    b->receive_length = chance(90) ? below(3 * 4096) : rnd();
    b->receive_window = chance(90) ? window_va() & ~0xfffull : rnd();
    b->receive_window_size = chance(90) ? (uint64_t)below(64) << 12 : rnd();
}
