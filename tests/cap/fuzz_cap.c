/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the input bytes are an operation sequence for the
 * interpreter of ops.h (each byte or two picks an operation or an argument),
 * run on a fresh world with the model and all invariants checked after every
 * step, then a full cleanup. Any failure aborts with the step and reason. */
#include <stdio.h>
#include <stdlib.h>

#include "ops.h"

static struct driver d;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct source s;
    source_bytes(&s, data, size);
    /* The first byte chooses whether preempted operations may be abandoned. */
    bool interfere = size > 0 && (data[0] & 1);
    driver_init(&d, interfere);
    bool ok = true;
    for (unsigned i = 0; i < 200 && ok && !s.exhausted; i++)
        ok = driver_step(&d, &s);
    if (ok)
        ok = driver_cleanup(&d);
    if (!ok) {
        fprintf(stderr, "cap-fuzz: step %u op %s: %s\n", d.steps, d.op, d.why);
        abort();
    }
    driver_free(&d);
    return 0;
}
