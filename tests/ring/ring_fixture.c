/* SPDX-License-Identifier: MIT */
/* The single-threaded test fixture of ring_fixture.h. The region is allocated
 * at exactly its size, so ASan reports any access past either end. */
#include "ring_fixture.h"
#include "ring_test.h"

#include <stdlib.h>
#include <string.h>

int fake_signal(void *arg)
{
    struct fake_notification *n = arg;
    if (n->fail_signal)
        return -1;
    n->signals++;
    n->pending = 1;
    return 0;
}

int fake_wait(void *arg)
{
    struct fake_notification *n = arg;
    n->waits++;
    if (n->fail_wait)
        return -1;
    if (!n->pending && n->while_asleep != NULL)
        n->while_asleep(n->ctx);
    if (!n->pending) {
        n->lost_wakeups++;
        return -1;
    }
    n->pending = 0;
    return 0;
}

int fixture_init(struct fixture *f, size_t size, uint64_t start)
{
    memset(f, 0, sizeof *f);
    f->size = size;
    f->region = aligned_alloc(TSR_RING_ALIGN, TSR_RING_HEADER_SIZE + size);
    if (f->region == NULL)
        return -1;
    /* Not zero: a reader that used bytes nobody wrote would show it. */
    memset(f->region, 0xa5, TSR_RING_HEADER_SIZE + size);
    if (tsr_ring_format(f->region, size) != TSR_RING_OK)
        return -1;
    set_shared_word(f, OFF_HEAD, start);
    set_shared_word(f, OFF_TAIL, start);
    struct tsr_ring_notify producer_notify = {fake_wait, &f->producer_wakes, fake_signal,
                                              &f->consumer_wakes};
    struct tsr_ring_notify consumer_notify = {fake_wait, &f->consumer_wakes, fake_signal,
                                              &f->producer_wakes};
    if (tsr_ring_attach(&f->producer, f->region, size, TSR_RING_PRODUCER, &producer_notify) !=
        TSR_RING_OK)
        return -1;
    if (tsr_ring_attach(&f->consumer, f->region, size, TSR_RING_CONSUMER, &consumer_notify) !=
        TSR_RING_OK)
        return -1;
    return 0;
}

void fixture_free(struct fixture *f)
{
    free(f->region);
    f->region = NULL;
}

uint64_t shared_word(const struct fixture *f, size_t offset)
{
    return __atomic_load_n((uint64_t *)(void *)(f->region + offset), __ATOMIC_RELAXED);
}

void set_shared_word(struct fixture *f, size_t offset, uint64_t value)
{
    __atomic_store_n((uint64_t *)(void *)(f->region + offset), value, __ATOMIC_RELAXED);
}

uint64_t record_header_word(uint64_t length)
{
    return length | (uint64_t)((uint32_t)length ^ 0x52494e47u) << 32;
}

tsr_ring_status_t fixture_put(struct fixture *f, uint64_t seq, size_t len)
{
    unsigned char buf[8192];
    if (len > sizeof buf)
        return TSR_RING_E_INVALID_ARGUMENT;
    fill_pattern(buf, len, seq);
    return tsr_ring_try_write(&f->producer, buf, len);
}

int fixture_take(struct fixture *f, uint64_t seq, size_t len)
{
    unsigned char buf[8192];
    size_t got = 12345;
    tsr_ring_status_t st = tsr_ring_try_read(&f->consumer, buf, sizeof buf, &got);
    CHECK_OR(st == TSR_RING_OK, -1);
    CHECK_OR(got == len, -1);
    CHECK_OR(check_pattern(buf, len, seq) == len, -1);
    return 0;
}
