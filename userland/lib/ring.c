/* SPDX-License-Identifier: MIT */
/* The shared-memory ring (IPC path 6, docs/ring.md): a single-producer
 * single-consumer queue of records in a region both sides map. Each side keeps
 * its own index privately and only publishes it; it reads the other side's
 * index at most once per operation, into a local, and checks it against what
 * it already knows before using it, because the other side may be hostile.
 * Sleeping and waking follow the store-then-load (Dekker) protocol explained
 * above producer_publish(); the wait and signal functions come from the caller,
 * so this file makes no system call and builds unchanged for the host tests.
 * Freestanding: the only outside function is memcpy (user land's own, from
 * kernel/lib/kstring.c, or the host's). */
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tsr/ring.h"

void *memcpy(void *restrict dst, const void *restrict src, size_t n);

/* "TSRRING1" in little-endian byte order: the region has been formatted. */
#define RING_MAGIC UINT64_C(0x31474e4952525354)
/* The top half of a record header is its length XOR this ("RING"), so that
 * memory that was never a header (zeros, payload bytes) is caught. */
#define RECORD_TAG UINT32_C(0x52494e47)
#define HALF_RANGE (UINT64_C(1) << 63)

/* The header of the shared region. Every line is written by one side only, so
 * the two sides never write the same cache line: the indices change on every
 * operation, the sleep words only around a sleep, so reading the other side's
 * sleep word after each operation normally hits the cache. All fields are
 * atomic because the other side may write any of them at any time. */
struct ring_shared {
    /* Line 0: written once by tsr_ring_format, before either side attaches. */
    _Alignas(64) _Atomic uint64_t magic;
    _Atomic uint64_t data_size;
    /* Line 1: the producer's index, bytes ever written (free-running). */
    _Alignas(64) _Atomic uint64_t head;
    /* Line 2: the consumer's index, bytes ever released (free-running). */
    _Alignas(64) _Atomic uint64_t tail;
    /* Line 3, producer: odd while it sleeps (the value names the sleep), and
     * the tail at which it wants to be woken. */
    _Alignas(64) _Atomic uint64_t producer_sleep;
    _Atomic uint64_t producer_wake_tail;
    /* Line 4, consumer: odd while it sleeps; it wants any new record. */
    _Alignas(64) _Atomic uint64_t consumer_sleep;
};

_Static_assert(sizeof(_Atomic uint64_t) == 8, "shared words are plain 64-bit words");
_Static_assert(offsetof(struct ring_shared, head) == 64, "head on its own line");
_Static_assert(offsetof(struct ring_shared, tail) == 128, "tail on its own line");
_Static_assert(offsetof(struct ring_shared, producer_sleep) == 192, "producer sleep line");
_Static_assert(offsetof(struct ring_shared, consumer_sleep) == 256, "consumer sleep line");
_Static_assert(sizeof(struct ring_shared) == TSR_RING_HEADER_SIZE, "header size is ABI");
_Static_assert(TSR_RING_HEADER_SIZE % 8 == 0, "the data area must be 8-byte aligned");

static struct ring_shared *shared_of(const struct tsr_ring *r)
{
    return r->shared;
}

static uint64_t pad8(uint64_t n)
{
    return (n + 7) & ~(uint64_t)7;
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
    return a < b ? a : b;
}

static bool valid_data_size(size_t size)
{
    return size >= TSR_RING_MIN_DATA_SIZE && size <= TSR_RING_MAX_DATA_SIZE &&
           (size & (size - 1)) == 0;
}

static bool valid_region(const void *region)
{
    return region != NULL && ((uintptr_t)region & (TSR_RING_ALIGN - 1)) == 0;
}

/* Remember a peer error: from now on every call returns it (ring.h). */
static tsr_ring_status_t peer_error(struct tsr_ring *r, tsr_ring_status_t status)
{
    r->broken = status;
    return status;
}

/* Null handle, sticky error, wrong side: the checks every operation starts with. */
static tsr_ring_status_t check_side(const struct tsr_ring *r, enum tsr_ring_role role)
{
    if (r == NULL)
        return TSR_RING_E_INVALID_ARGUMENT;
    if (r->broken != TSR_RING_OK)
        return r->broken;
    if (r->role != role)
        return TSR_RING_E_INVALID_ARGUMENT;
    return TSR_RING_OK;
}

/* ---- The data area --------------------------------------------------------
 * Offsets in the data area are ring indices modulo the size. Every caller has
 * checked that n <= size, so a copy touches at most the end of the area and
 * then its start. */

static void copy_to_ring(struct tsr_ring *r, uint64_t at, const unsigned char *src, uint64_t n)
{
    uint64_t offset = at & (r->size - 1);
    uint64_t first = min_u64(n, r->size - offset);
    if (n == 0)
        return; /* src may be null for an empty record */
    memcpy(r->data + offset, src, first);
    if (n > first)
        memcpy(r->data, src + first, n - first);
}

static void copy_from_ring(const struct tsr_ring *r, uint64_t at, unsigned char *dst, uint64_t n)
{
    uint64_t offset = at & (r->size - 1);
    uint64_t first = min_u64(n, r->size - offset);
    if (n == 0)
        return;
    memcpy(dst, r->data + offset, first);
    if (n > first)
        memcpy(dst + first, r->data, n - first);
}

/* Record headers sit at multiples of 8 and the size is a multiple of 8, so a
 * header never straddles the end of the data area (the wrap rule: only
 * payloads are split). The header is one 64-bit word, written and read with
 * single atomic accesses so that a header the producer rewrites under us is
 * read once, never half old and half new, and never read twice. */
static void put_record_header(struct tsr_ring *r, uint64_t at, uint64_t length)
{
    uint64_t *word = (uint64_t *)(void *)(r->data + (at & (r->size - 1)));
    uint64_t check = (uint32_t)length ^ RECORD_TAG;
    __atomic_store_n(word, length | check << 32, __ATOMIC_RELAXED);
}

/* ---- Memory ordering ------------------------------------------------------
 * Two kinds of ordering are needed; the steps are named in the code.
 *
 * 1. Data before index. The producer writes a record, then stores head (P1)
 *    with release semantics; the consumer loads head (C0) with acquire
 *    semantics before it reads the record. By C11 7.17.3 the release store
 *    synchronizes with the acquire load that reads its value, so the record's
 *    bytes happen before the consumer's reads. The same holds for space: the
 *    consumer's reads of a record come before its release store of tail (C1),
 *    and the producer loads tail with acquire (P0) before it writes over that
 *    space. On AArch64 a store-release (STLR) is ordered after every earlier
 *    load and store, and a load-acquire (LDAR) before every later one.
 *
 * 2. Sleep and wake: a store, then a load of another location, on each side.
 *    A side about to sleep stores its odd sleep word (S1), then loads the
 *    other side's index again (S2) and sleeps only if it still shows nothing
 *    to do. The other side stores its index (P1, C1), then loads the sleep
 *    word (P2, C2) and signals if it sees a sleep it has not signalled yet.
 *    The outcome to exclude is that both loads miss both stores: the sleeper
 *    sees no new index and waits, the other side sees no sleeper and does not
 *    signal, and the wake-up is lost. Release and acquire do not exclude it,
 *    since they do not keep a store before a later load of another location
 *    (on Arm the store may still sit in the store buffer). So S1, S2, P1/C1
 *    and P2/C2 are memory_order_seq_cst. C11 7.17.3 puts all seq_cst
 *    operations in one total order S consistent with program order, and a
 *    seq_cst load reads the last seq_cst store before it in S to that
 *    location (or a non-seq_cst store that does not happen before that one).
 *    Whichever of S1 and P1 comes first in S, the load that follows the other
 *    one in program order comes after it in S and reads it or a later store.
 *    The stores that end a sleep (wake-up, cancel) are relaxed: they follow S1
 *    in the sleep word's modification order, and a side that reads one knows
 *    the sleeper has already left the sleep that S1 named.
 *    On AArch64 clang compiles a seq_cst store to STLR and a seq_cst load to
 *    LDAR, with no barrier: the Arm ARM (DDI 0487, B2.3, the
 *    Barrier-ordered-before relation) orders a Store-Release before every
 *    Load-Acquire that follows it in program order (Arm's release and acquire
 *    are sequentially consistent, RCsc). That is also why S2, P2 and C2 must
 *    not be relaxed to memory_order_acquire: from Armv8.3 an acquire load may
 *    become LDAPR, which an earlier STLR does not order. The fast path thus
 *    costs one STLR and one LDAR per operation and no DMB (on x86 the seq_cst
 *    store carries a full barrier, XCHG or MFENCE).
 *
 * Every sleep is signalled at most once: a side remembers the other's sleep
 * word when it signals and does not signal the same value again. A
 * notification keeps a signal until the wait, so a signal sent between S2 and
 * the wait is not lost; a stale one only makes a later wait return early, and
 * every wait is in a loop that checks again. */

/* The re-check before sleeping (S2) is what prevents lost wake-ups. The host
 * tests build one mutant with it compiled out (TSR_RING_TEST_SKIP_RECHECK) and
 * require the threaded test to catch the hang; nothing else may define it. */
#ifdef TSR_RING_TEST_SKIP_RECHECK
#define RECHECK_BEFORE_SLEEP false
#else
#define RECHECK_BEFORE_SLEEP true
#endif

/* Signal the other side, if the caller gave a way to. */
static tsr_ring_status_t wake_peer(const struct tsr_ring *r)
{
    if (r->notify.signal == NULL)
        return TSR_RING_OK;
    return r->notify.signal(r->notify.signal_arg) == 0 ? TSR_RING_OK : TSR_RING_E_NOTIFY_FAILED;
}

/* The end of a sleep, or of one that was called off: an even sleep word. */
static void publish_awake(struct tsr_ring *r, _Atomic uint64_t *sleep_word)
{
    r->sleep_count++;
    atomic_store_explicit(sleep_word, r->sleep_count, memory_order_relaxed);
}

/* ---- Producer ------------------------------------------------------------ */

/* (P0) Read the consumer's tail once and check it. The tail only moves
 * forward and never passes the head, so it must lie in [peer_index, index]:
 * a tail that went back, past our head, or more than a ring behind it is
 * impossible. Unsigned differences keep the test right across the 2^64 wrap
 * of the free-running indices. */
static tsr_ring_status_t producer_read_tail(struct tsr_ring *r, memory_order order)
{
    uint64_t tail = atomic_load_explicit(&shared_of(r)->tail, order);
    if (tail - r->peer_index > r->index - r->peer_index)
        return peer_error(r, TSR_RING_E_PEER_INDEX);
    r->peer_index = tail;
    return TSR_RING_OK;
}

/* Free bytes as far as we know (the tail may have moved on since). */
static uint64_t producer_room(const struct tsr_ring *r)
{
    return r->size - (r->index - r->peer_index);
}

/* Write a record at the head; the caller made sure it fits. Not yet visible. */
static void producer_put_record(struct tsr_ring *r, const unsigned char *payload, uint64_t length)
{
    put_record_header(r, r->index, length);
    copy_to_ring(r, r->index + TSR_RING_RECORD_HEADER_SIZE, payload, length);
    r->index += TSR_RING_RECORD_HEADER_SIZE + pad8(length);
}

/* Make what was written visible, and wake the consumer if it sleeps. */
static tsr_ring_status_t producer_publish(struct tsr_ring *r)
{
    struct ring_shared *shared = shared_of(r);
    /* (P1) The records before this index are complete (release). */
    atomic_store_explicit(&shared->head, r->index, memory_order_seq_cst);
    /* (P2) Is the consumer asleep, or about to be? Any value the consumer
     * writes here only decides whether we signal. */
    uint64_t sleep = atomic_load_explicit(&shared->consumer_sleep, memory_order_seq_cst);
    if ((sleep & 1) == 0 || sleep == r->peer_sleep_signalled)
        return TSR_RING_OK;
    r->peer_sleep_signalled = sleep;
    return wake_peer(r);
}

/* Sleep until `need` bytes (or wake_space, if larger) may be free. Returns
 * when the consumer signalled, when the wait returned early, or at once if the
 * room appeared meanwhile; the caller tries again in every case. */
static tsr_ring_status_t producer_sleep(struct tsr_ring *r, uint64_t need)
{
    struct ring_shared *shared = shared_of(r);
    uint64_t want = need > r->wake_space ? need : r->wake_space;
    /* (S1) First the tail we wait for, then that we sleep: the consumer reads
     * them in the other order, so it sees this sleep's wish or a later one. */
    atomic_store_explicit(&shared->producer_wake_tail, r->index + want - r->size,
                          memory_order_relaxed);
    r->sleep_count++;
    atomic_store_explicit(&shared->producer_sleep, r->sleep_count, memory_order_seq_cst);
    /* (S2) Look again: a tail the consumer stored before it could see S1. */
    tsr_ring_status_t status = TSR_RING_OK;
    if (RECHECK_BEFORE_SLEEP)
        status = producer_read_tail(r, memory_order_seq_cst);
    if (status != TSR_RING_OK || producer_room(r) >= need) {
        publish_awake(r, &shared->producer_sleep);
        return status;
    }
    int failed = r->notify.wait(r->notify.wait_arg);
    publish_awake(r, &shared->producer_sleep);
    return failed ? TSR_RING_E_NOTIFY_FAILED : TSR_RING_OK;
}

tsr_ring_status_t tsr_ring_try_write(struct tsr_ring *r, const void *data, size_t len)
{
    tsr_ring_status_t status = check_side(r, TSR_RING_PRODUCER);
    if (status != TSR_RING_OK)
        return status;
    if (data == NULL && len != 0)
        return TSR_RING_E_INVALID_ARGUMENT;
    if (len > r->size - TSR_RING_RECORD_HEADER_SIZE)
        return TSR_RING_E_RECORD_TOO_LONG;
    uint64_t need = TSR_RING_RECORD_HEADER_SIZE + pad8(len);
    if (producer_room(r) < need) {
        status = producer_read_tail(r, memory_order_acquire);
        if (status != TSR_RING_OK)
            return status;
        if (producer_room(r) < need)
            return TSR_RING_E_FULL;
    }
    producer_put_record(r, data, len);
    return producer_publish(r);
}

tsr_ring_status_t tsr_ring_write(struct tsr_ring *r, const void *data, size_t len)
{
    tsr_ring_status_t status = check_side(r, TSR_RING_PRODUCER);
    if (status != TSR_RING_OK)
        return status;
    if (r->notify.wait == NULL)
        return TSR_RING_E_INVALID_ARGUMENT;
    for (;;) {
        status = tsr_ring_try_write(r, data, len);
        if (status != TSR_RING_E_FULL)
            return status;
        status = producer_sleep(r, TSR_RING_RECORD_HEADER_SIZE + pad8(len));
        if (status != TSR_RING_OK)
            return status;
    }
}

tsr_ring_status_t tsr_ring_try_stream_write(struct tsr_ring *r, const void *data, size_t n,
                                            size_t *done)
{
    if (done != NULL)
        *done = 0;
    tsr_ring_status_t status = check_side(r, TSR_RING_PRODUCER);
    if (status != TSR_RING_OK)
        return status;
    if (done == NULL || (data == NULL && n != 0))
        return TSR_RING_E_INVALID_ARGUMENT;
    const unsigned char *src = data;
    size_t written = 0;
    bool tail_read = false;
    while (written < n) {
        uint64_t piece = min_u64(n - written, r->piece);
        /* Round the room down to 8 so that a piece that fits still fits
         * once padded (the tail can stop anywhere inside a record). */
        uint64_t room = producer_room(r) & ~(uint64_t)7;
        if (room < TSR_RING_RECORD_HEADER_SIZE + pad8(piece) && !tail_read) {
            status = producer_read_tail(r, memory_order_acquire);
            if (status != TSR_RING_OK)
                break;
            tail_read = true;
            room = producer_room(r) & ~(uint64_t)7;
        }
        if (room < TSR_RING_RECORD_HEADER_SIZE + 8) {
            status = TSR_RING_E_FULL;
            break;
        }
        piece = min_u64(piece, room - TSR_RING_RECORD_HEADER_SIZE);
        producer_put_record(r, src + written, piece);
        written += piece;
        /* Publish each piece so the consumer can start on it at once. */
        status = producer_publish(r);
        if (status != TSR_RING_OK)
            break;
    }
    *done = written;
    return status;
}

tsr_ring_status_t tsr_ring_stream_write(struct tsr_ring *r, const void *data, size_t n,
                                        size_t *done)
{
    if (done != NULL)
        *done = 0;
    tsr_ring_status_t status = check_side(r, TSR_RING_PRODUCER);
    if (status != TSR_RING_OK)
        return status;
    if (done == NULL || (data == NULL && n != 0) || r->notify.wait == NULL)
        return TSR_RING_E_INVALID_ARGUMENT;
    const unsigned char *src = data;
    size_t written = 0;
    for (;;) {
        size_t part;
        status = tsr_ring_try_stream_write(r, src + written, n - written, &part);
        written += part;
        if (status != TSR_RING_E_FULL)
            break;
        /* Wait for room for a whole piece, not for the first free bytes:
         * one wake-up per piece the consumer releases. */
        uint64_t next = min_u64(n - written, r->piece);
        status = producer_sleep(r, TSR_RING_RECORD_HEADER_SIZE + pad8(next));
        if (status != TSR_RING_OK)
            break;
    }
    *done = written;
    return status;
}

tsr_ring_status_t tsr_ring_set_wake_space(struct tsr_ring *r, size_t bytes)
{
    if (r == NULL || r->role != TSR_RING_PRODUCER || bytes > r->size)
        return TSR_RING_E_INVALID_ARGUMENT;
    r->wake_space = bytes;
    return TSR_RING_OK;
}

/* ---- Consumer ------------------------------------------------------------ */

/* (C0) Read the producer's head once and check it. The head only moves
 * forward, by whole records (so it stays a multiple of 8), and never more
 * than one ring ahead of our tail: it must lie in [peer_index, index + size].
 * Our tail may be inside a record, but peer_index >= index always holds. */
static tsr_ring_status_t consumer_read_head(struct tsr_ring *r, memory_order order)
{
    uint64_t head = atomic_load_explicit(&shared_of(r)->head, order);
    if ((head & 7) != 0 || head - r->peer_index > r->index + r->size - r->peer_index)
        return peer_error(r, TSR_RING_E_PEER_INDEX);
    r->peer_index = head;
    return TSR_RING_OK;
}

/* Bytes published and not yet taken, as far as we know. */
static uint64_t consumer_available(const struct tsr_ring *r)
{
    return r->peer_index - r->index;
}

/* The length of the record at our tail, which is at a record boundary and
 * below the checked head. The header is read once into a local and checked:
 * its tag must match, the payload must fit the ring, and the whole padded
 * record must lie below the head (the producer publishes whole records). */
static tsr_ring_status_t consumer_record_length(struct tsr_ring *r, uint64_t *length)
{
    const uint64_t *at = (const uint64_t *)(const void *)(r->data + (r->index & (r->size - 1)));
    uint64_t word = __atomic_load_n(at, __ATOMIC_RELAXED);
    uint64_t len = (uint32_t)word;
    if ((uint32_t)(word >> 32) != ((uint32_t)len ^ RECORD_TAG) ||
        len > r->size - TSR_RING_RECORD_HEADER_SIZE ||
        TSR_RING_RECORD_HEADER_SIZE + pad8(len) > consumer_available(r))
        return peer_error(r, TSR_RING_E_PEER_RECORD);
    *length = len;
    return TSR_RING_OK;
}

/* Release what we took, and wake the producer if it sleeps and now has the
 * room it asked for. */
static tsr_ring_status_t consumer_publish(struct tsr_ring *r)
{
    struct ring_shared *shared = shared_of(r);
    /* (C1) Everything before this index has been read (release). */
    atomic_store_explicit(&shared->tail, r->index, memory_order_seq_cst);
    /* (C2) Is the producer asleep, or about to be? */
    uint64_t sleep = atomic_load_explicit(&shared->producer_sleep, memory_order_seq_cst);
    if ((sleep & 1) == 0 || sleep == r->peer_sleep_signalled)
        return TSR_RING_OK;
    /* Read after the sleep word (acquire): this sleep's wish or a later one.
     * The producer's value only decides whether the producer is woken. */
    uint64_t wake_tail = atomic_load_explicit(&shared->producer_wake_tail, memory_order_relaxed);
    if (r->index - wake_tail >= HALF_RANGE)
        return TSR_RING_OK; /* not there yet: a later release will signal */
    r->peer_sleep_signalled = sleep;
    return wake_peer(r);
}

/* Sleep until a record may have come; see producer_sleep. */
static tsr_ring_status_t consumer_sleep(struct tsr_ring *r)
{
    struct ring_shared *shared = shared_of(r);
    /* (S1) */
    r->sleep_count++;
    atomic_store_explicit(&shared->consumer_sleep, r->sleep_count, memory_order_seq_cst);
    /* (S2) */
    tsr_ring_status_t status = TSR_RING_OK;
    if (RECHECK_BEFORE_SLEEP)
        status = consumer_read_head(r, memory_order_seq_cst);
    if (status != TSR_RING_OK || consumer_available(r) != 0) {
        publish_awake(r, &shared->consumer_sleep);
        return status;
    }
    int failed = r->notify.wait(r->notify.wait_arg);
    publish_awake(r, &shared->consumer_sleep);
    return failed ? TSR_RING_E_NOTIFY_FAILED : TSR_RING_OK;
}

tsr_ring_status_t tsr_ring_try_read(struct tsr_ring *r, void *buf, size_t cap, size_t *len)
{
    if (len != NULL)
        *len = 0;
    tsr_ring_status_t status = check_side(r, TSR_RING_CONSUMER);
    if (status != TSR_RING_OK)
        return status;
    if ((buf == NULL && cap != 0) || len == NULL)
        return TSR_RING_E_INVALID_ARGUMENT;
    uint64_t length, start, total;
    if (r->record_left != 0) {
        /* The rest of a record a stream read began: already checked. */
        length = r->record_left;
        start = r->index;
        total = r->record_left + r->record_pad;
    } else {
        if (consumer_available(r) == 0) {
            status = consumer_read_head(r, memory_order_acquire);
            if (status != TSR_RING_OK)
                return status;
            if (consumer_available(r) == 0)
                return TSR_RING_E_EMPTY;
        }
        status = consumer_record_length(r, &length);
        if (status != TSR_RING_OK)
            return status;
        start = r->index + TSR_RING_RECORD_HEADER_SIZE;
        total = TSR_RING_RECORD_HEADER_SIZE + pad8(length);
    }
    *len = length;
    if (length > cap)
        return TSR_RING_E_BUFFER_TOO_SMALL;
    copy_from_ring(r, start, buf, length);
    r->index += total;
    r->record_left = 0;
    r->record_pad = 0;
    return consumer_publish(r);
}

tsr_ring_status_t tsr_ring_read(struct tsr_ring *r, void *buf, size_t cap, size_t *len)
{
    if (len != NULL)
        *len = 0;
    tsr_ring_status_t status = check_side(r, TSR_RING_CONSUMER);
    if (status != TSR_RING_OK)
        return status;
    if (r->notify.wait == NULL)
        return TSR_RING_E_INVALID_ARGUMENT;
    for (;;) {
        status = tsr_ring_try_read(r, buf, cap, len);
        if (status != TSR_RING_E_EMPTY)
            return status;
        status = consumer_sleep(r);
        if (status != TSR_RING_OK)
            return status;
    }
}

tsr_ring_status_t tsr_ring_try_stream_read(struct tsr_ring *r, void *buf, size_t n, size_t *done)
{
    if (done != NULL)
        *done = 0;
    tsr_ring_status_t status = check_side(r, TSR_RING_CONSUMER);
    if (status != TSR_RING_OK)
        return status;
    if (done == NULL || (buf == NULL && n != 0))
        return TSR_RING_E_INVALID_ARGUMENT;
    unsigned char *dst = buf;
    size_t got = 0;
    bool head_read = false;
    /* Each pass takes at least a header or one byte of checked, published
     * data, so the loop ends even if the producer sent nothing but empty
     * records. */
    while (got < n) {
        if (r->record_left == 0) {
            if (consumer_available(r) == 0) {
                if (head_read) {
                    status = TSR_RING_E_EMPTY;
                    break;
                }
                status = consumer_read_head(r, memory_order_acquire);
                if (status != TSR_RING_OK)
                    break;
                head_read = true;
                if (consumer_available(r) == 0) {
                    status = TSR_RING_E_EMPTY;
                    break;
                }
            }
            uint64_t length;
            status = consumer_record_length(r, &length);
            if (status != TSR_RING_OK)
                break;
            /* We hold the length now; the header's bytes can go back. */
            r->index += TSR_RING_RECORD_HEADER_SIZE;
            r->record_left = length;
            r->record_pad = pad8(length) - length;
            if (length == 0) {
                status = consumer_publish(r);
                if (status != TSR_RING_OK)
                    break;
                continue;
            }
        }
        uint64_t piece = min_u64(min_u64(r->record_left, n - got), r->piece);
        copy_from_ring(r, r->index, dst + got, piece);
        r->index += piece;
        got += piece;
        r->record_left -= piece;
        if (r->record_left == 0) {
            r->index += r->record_pad;
            r->record_pad = 0;
        }
        /* Release each piece as soon as it is copied: the producer may be
         * waiting for exactly this room. */
        status = consumer_publish(r);
        if (status != TSR_RING_OK)
            break;
    }
    *done = got;
    return status;
}

tsr_ring_status_t tsr_ring_stream_read(struct tsr_ring *r, void *buf, size_t n, size_t *done)
{
    if (done != NULL)
        *done = 0;
    tsr_ring_status_t status = check_side(r, TSR_RING_CONSUMER);
    if (status != TSR_RING_OK)
        return status;
    if (done == NULL || (buf == NULL && n != 0) || r->notify.wait == NULL)
        return TSR_RING_E_INVALID_ARGUMENT;
    unsigned char *dst = buf;
    size_t got = 0;
    for (;;) {
        size_t part;
        status = tsr_ring_try_stream_read(r, dst + got, n - got, &part);
        got += part;
        if (status != TSR_RING_E_EMPTY)
            break;
        status = consumer_sleep(r);
        if (status != TSR_RING_OK)
            break;
    }
    *done = got;
    return status;
}

/* ---- Setting up ---------------------------------------------------------- */

size_t tsr_ring_region_size(size_t data_size)
{
    return valid_data_size(data_size) ? TSR_RING_HEADER_SIZE + data_size : 0;
}

tsr_ring_status_t tsr_ring_format(void *region, size_t data_size)
{
    if (!valid_region(region) || !valid_data_size(data_size))
        return TSR_RING_E_INVALID_ARGUMENT;
    struct ring_shared *shared = region;
    atomic_store_explicit(&shared->data_size, data_size, memory_order_relaxed);
    atomic_store_explicit(&shared->head, 0, memory_order_relaxed);
    atomic_store_explicit(&shared->tail, 0, memory_order_relaxed);
    atomic_store_explicit(&shared->producer_sleep, 0, memory_order_relaxed);
    atomic_store_explicit(&shared->producer_wake_tail, 0, memory_order_relaxed);
    atomic_store_explicit(&shared->consumer_sleep, 0, memory_order_relaxed);
    /* Last, with release: a side that sees the magic sees the rest. */
    atomic_store_explicit(&shared->magic, RING_MAGIC, memory_order_release);
    return TSR_RING_OK;
}

tsr_ring_status_t tsr_ring_attach(struct tsr_ring *r, void *region, size_t data_size,
                                  enum tsr_ring_role role, const struct tsr_ring_notify *notify)
{
    if (r == NULL || !valid_region(region) || !valid_data_size(data_size) ||
        (role != TSR_RING_PRODUCER && role != TSR_RING_CONSUMER))
        return TSR_RING_E_INVALID_ARGUMENT;
    struct ring_shared *shared = region;
    if (atomic_load_explicit(&shared->magic, memory_order_acquire) != RING_MAGIC ||
        atomic_load_explicit(&shared->data_size, memory_order_relaxed) != data_size)
        return TSR_RING_E_BAD_HEADER;
    /* The only time a side reads its own index from the region: from here
     * on its private copy is the truth. Both are checked like peer indices;
     * the consumer must start at a record boundary. */
    uint64_t head = atomic_load_explicit(&shared->head, memory_order_acquire);
    uint64_t tail = atomic_load_explicit(&shared->tail, memory_order_acquire);
    if ((head & 7) != 0 || head - tail > data_size ||
        (role == TSR_RING_CONSUMER && (tail & 7) != 0))
        return TSR_RING_E_PEER_INDEX;

    r->shared = shared;
    r->data = (unsigned char *)region + TSR_RING_HEADER_SIZE;
    r->size = data_size;
    r->piece = data_size / 4;
    r->role = role;
    r->notify.wait = notify != NULL ? notify->wait : NULL;
    r->notify.wait_arg = notify != NULL ? notify->wait_arg : NULL;
    r->notify.signal = notify != NULL ? notify->signal : NULL;
    r->notify.signal_arg = notify != NULL ? notify->signal_arg : NULL;
    r->wake_space = 0;
    r->index = role == TSR_RING_PRODUCER ? head : tail;
    r->peer_index = role == TSR_RING_PRODUCER ? tail : head;
    /* Our sleep word continues from the value in the region, rounded up to
     * even (awake): a side that attaches again never reuses the number of a
     * sleep the peer may remember having signalled. 0 is even, so a sleep
     * the peer is in now gets one signal from us. */
    _Atomic uint64_t *own_sleep =
        role == TSR_RING_PRODUCER ? &shared->producer_sleep : &shared->consumer_sleep;
    r->sleep_count = atomic_load_explicit(own_sleep, memory_order_relaxed);
    r->sleep_count += r->sleep_count & 1;
    r->peer_sleep_signalled = 0;
    r->record_left = 0;
    r->record_pad = 0;
    r->broken = TSR_RING_OK;
    atomic_store_explicit(own_sleep, r->sleep_count, memory_order_relaxed);
    return TSR_RING_OK;
}

size_t tsr_ring_max_record(const struct tsr_ring *r)
{
    return r != NULL ? (size_t)(r->size - TSR_RING_RECORD_HEADER_SIZE) : 0;
}
