/* SPDX-License-Identifier: MIT */
/* IPC path 6: a single-producer single-consumer ring buffer on memory that two
 * address spaces share, run entirely by user land (docs/ring.md). The kernel
 * only maps the frames and provides two notifications; this library knows no
 * system call: a side that must sleep calls the wait function its caller gave,
 * and wakes the other side through the signal function. While both sides are
 * busy no function is called at all, and a side signals only when it sees the
 * other one asleep. The ring carries records (a length, then the payload
 * padded to 8 bytes) and byte streams of any length (sent as records of at
 * most a quarter of the ring, read back as bytes). The peer is untrusted:
 * every index and record header it can write is checked before use, and a
 * corrupt one gives TSR_RING_E_PEER_INDEX or TSR_RING_E_PEER_RECORD, never an
 * access outside the region or a loop that does not end. */
#ifndef TSR_RING_H
#define TSR_RING_H

#include <stddef.h>
#include <stdint.h>

/* The shared region: a TSR_RING_HEADER_SIZE-byte header (five 64-byte cache
 * lines: geometry, producer index, consumer index, producer sleep word,
 * consumer sleep word), then the data area of data_size bytes. The region
 * must be aligned to TSR_RING_ALIGN; data_size is a power of two between
 * TSR_RING_MIN_DATA_SIZE and TSR_RING_MAX_DATA_SIZE. */
#define TSR_RING_HEADER_SIZE 320u
#define TSR_RING_ALIGN 64u
#define TSR_RING_MIN_DATA_SIZE 64u
#define TSR_RING_MAX_DATA_SIZE (1u << 30)
/* Each record starts with an 8-byte header; payloads are padded to 8 bytes. */
#define TSR_RING_RECORD_HEADER_SIZE 8u

/* Results, numbered for logs; 0 is success. The peer errors are sticky: once
 * a handle has seen a corrupt index or record it returns the same error from
 * every later call, since its view of the ring can no longer be trusted. */
typedef enum tsr_ring_status {
    TSR_RING_OK = 0,
    TSR_RING_E_INVALID_ARGUMENT = 1, /* null pointer, bad size or alignment, wrong role,
                                        blocking call without a wait function */
    TSR_RING_E_BAD_HEADER = 2,       /* attach: region not formatted for this data size */
    TSR_RING_E_EMPTY = 3,            /* try_ read: nothing (more) to read now */
    TSR_RING_E_FULL = 4,             /* try_ write: no room (for the rest) now */
    TSR_RING_E_RECORD_TOO_LONG = 5,  /* write: longer than tsr_ring_max_record(), never fits */
    TSR_RING_E_BUFFER_TOO_SMALL = 6, /* read: record longer than the buffer; *len gives its
                                        length and the record stays in the ring */
    TSR_RING_E_PEER_INDEX = 7,       /* the peer's index is impossible (sticky) */
    TSR_RING_E_PEER_RECORD = 8,      /* a record header is impossible (sticky) */
    TSR_RING_E_NOTIFY_FAILED = 9,    /* the wait or signal function returned nonzero; data
                                        already moved stays moved (see *done) */
} tsr_ring_status_t;

enum tsr_ring_role {
    TSR_RING_PRODUCER = 1,
    TSR_RING_CONSUMER = 2,
};

/* How one side sleeps and wakes the other. wait(wait_arg) blocks until the
 * other side has called signal since the previous wait returned (a
 * notification's latch: a signal that comes before the wait is not lost);
 * returning early is allowed, the ring checks again. signal(signal_arg) wakes
 * the other side's wait. Both return 0 on success. In Tessera, wait is
 * tsr_wait on this thread's notification and signal is tsr_signal on the
 * other side's, through a capability with a nonzero badge (a badge-0 signal
 * to a notification nobody waits on yet latches nothing). One notification
 * per waiting thread is enough, even when the thread uses several rings.
 * signal may be null if the other side only polls;
 * wait may be null if this side only uses the try_ calls. */
struct tsr_ring_notify {
    int (*wait)(void *wait_arg);
    void *wait_arg;
    int (*signal)(void *signal_arg);
    void *signal_arg;
};

/* One side's handle, in that side's private memory. Everything the ring
 * functions rely on lives here, copied from the caller's arguments or derived
 * from checked values; the shared region is only read, checked and written.
 * The fields are private to ring.c. */
struct tsr_ring {
    /* Fixed at attach. */
    void *shared;        /* the region's header */
    unsigned char *data; /* its data area */
    uint64_t size;       /* data area bytes, a power of two */
    uint64_t piece;      /* largest stream piece: size / 4 */
    enum tsr_ring_role role;
    struct tsr_ring_notify notify;
    uint64_t wake_space; /* producer: free bytes to wait for (0: just enough) */
    /* Progress, private and authoritative: never read back from the region. */
    uint64_t index;                /* own index: head (producer) or tail (consumer) */
    uint64_t peer_index;           /* the peer's index as last read and checked */
    uint64_t sleep_count;          /* own sleep word: odd while asleep */
    uint64_t peer_sleep_signalled; /* the peer's sleep word when we last signalled */
    uint64_t record_left;          /* consumer: payload bytes left of a record a stream
                                      read began */
    uint64_t record_pad;           /* consumer: padding after that record */
    tsr_ring_status_t broken;      /* sticky peer error, or TSR_RING_OK */
};

/* ---- Setting up ---------------------------------------------------------- */

/* Bytes the shared region needs for a data area of data_size bytes
 * (TSR_RING_HEADER_SIZE + data_size), or 0 if data_size is not valid. */
size_t tsr_ring_region_size(size_t data_size);

/* Make an empty ring in `region` (done once, by one side, before either
 * attaches). Only the header is written.
 * Errors: TSR_RING_E_INVALID_ARGUMENT (region null or misaligned, data_size not
 * a power of two in range). */
tsr_ring_status_t tsr_ring_format(void *region, size_t data_size);

/* Make `r` one side of the ring in `region`. data_size is the caller's own
 * knowledge (it must match the header, which is only a sanity check); the
 * indices are read once and checked. notify may be null (poll only).
 * Errors, in order: TSR_RING_E_INVALID_ARGUMENT (null r or region, misaligned
 * region, bad data_size or role), TSR_RING_E_BAD_HEADER (magic or size in the
 * header differ), TSR_RING_E_PEER_INDEX (indices impossible: more than one ring
 * apart, tail after head, or a consumer index not at a record boundary). */
tsr_ring_status_t tsr_ring_attach(struct tsr_ring *r, void *region, size_t data_size,
                                  enum tsr_ring_role role, const struct tsr_ring_notify *notify);

/* The longest record payload: data_size - 8 (a record fills the ring). */
size_t tsr_ring_max_record(const struct tsr_ring *r);

/* Producer: when a write must wait, wait until at least `bytes` are free (and
 * at least what the write needs) instead of just what it needs. Fewer wake-ups
 * when the producer is faster, but only safe if the consumer keeps reading
 * until the ring is empty: a consumer that stops with data unread can leave
 * the producer asleep although its write would fit. Default 0.
 * Errors: TSR_RING_E_INVALID_ARGUMENT (not a producer, bytes > data_size). */
tsr_ring_status_t tsr_ring_set_wake_space(struct tsr_ring *r, size_t bytes);

/* ---- Producer ------------------------------------------------------------ */
/* Common errors, checked first: a sticky peer error; then
 * TSR_RING_E_INVALID_ARGUMENT (null r, not a producer, null data with a
 * nonzero length, blocking call without a wait function). */

/* Append one record of len bytes (0 allowed) if there is room now.
 * Errors: TSR_RING_E_RECORD_TOO_LONG, TSR_RING_E_PEER_INDEX, TSR_RING_E_FULL,
 * TSR_RING_E_NOTIFY_FAILED (the record was written; waking the consumer failed). */
tsr_ring_status_t tsr_ring_try_write(struct tsr_ring *r, const void *data, size_t len);
/* The same, sleeping while the ring has no room for it. */
tsr_ring_status_t tsr_ring_write(struct tsr_ring *r, const void *data, size_t len);

/* Append n bytes of a byte stream, as records of at most data_size / 4 bytes,
 * each published as soon as it is written. *done (required) gets the number of
 * bytes written, also on error. The try_ form writes what fits now and returns
 * TSR_RING_E_FULL if that was not everything; the other sleeps until all n
 * bytes are in. Errors: TSR_RING_E_PEER_INDEX, TSR_RING_E_FULL (try_ only),
 * TSR_RING_E_NOTIFY_FAILED. */
tsr_ring_status_t tsr_ring_try_stream_write(struct tsr_ring *r, const void *data, size_t n,
                                            size_t *done);
tsr_ring_status_t tsr_ring_stream_write(struct tsr_ring *r, const void *data, size_t n,
                                        size_t *done);

/* ---- Consumer ------------------------------------------------------------ */
/* Common errors, checked first: a sticky peer error; then
 * TSR_RING_E_INVALID_ARGUMENT (null r, not a consumer, null buffer with a
 * nonzero size, null out-pointer, blocking call without a wait function). */

/* Take the next record into buf (cap bytes); *len (required) gets its length.
 * After a stream read that stopped inside a record, "the next record" is the
 * rest of that record.
 * Errors: TSR_RING_E_PEER_INDEX, TSR_RING_E_EMPTY, TSR_RING_E_PEER_RECORD,
 * TSR_RING_E_BUFFER_TOO_SMALL (*len = the record's length, nothing taken),
 * TSR_RING_E_NOTIFY_FAILED (the record was taken; waking the producer failed). */
tsr_ring_status_t tsr_ring_try_read(struct tsr_ring *r, void *buf, size_t cap, size_t *len);
/* The same, sleeping while the ring is empty. */
tsr_ring_status_t tsr_ring_read(struct tsr_ring *r, void *buf, size_t cap, size_t *len);

/* Take n bytes of the byte stream, ignoring record boundaries (a record can be
 * taken in parts; its bytes are released to the producer as they are copied).
 * *done (required) gets the number of bytes read, also on error. The try_ form
 * takes what is there now and returns TSR_RING_E_EMPTY if that was not n bytes;
 * the other sleeps until it has all n. Errors: TSR_RING_E_PEER_INDEX,
 * TSR_RING_E_PEER_RECORD, TSR_RING_E_EMPTY (try_ only), TSR_RING_E_NOTIFY_FAILED. */
tsr_ring_status_t tsr_ring_try_stream_read(struct tsr_ring *r, void *buf, size_t n, size_t *done);
tsr_ring_status_t tsr_ring_stream_read(struct tsr_ring *r, void *buf, size_t n, size_t *done);

#endif /* TSR_RING_H */
