/* SPDX-License-Identifier: MIT */
/* Property test: seeded random operation sequences on the capability core,
 * checked after every step against the model and every invariant (ops.h),
 * then a full cleanup that must tear every object down exactly once.
 *
 *   cap-random [seed [steps [runs]]]     defaults: 1 3000 8
 *
 * Runs seeds seed .. seed+runs-1; every third seed may abandon preempted
 * deletes and revokes (zombies left behind, invariants only from then on).
 * A failure prints the seed, the step and the command that replays it. */
#include <stdio.h>
#include <stdlib.h>

#include "ops.h"

static struct driver d;

static int run(unsigned long long seed, unsigned steps)
{
    struct source s;
    source_seed(&s, seed);
    bool interfere = seed % 3 == 0;
    driver_init(&d, interfere);
    bool ok = true;
    bool verbose = getenv("CAP_RANDOM_VERBOSE") != NULL;
    for (unsigned i = 0; i < steps && ok; i++) {
        ok = driver_step(&d, &s);
        if (verbose)
            printf("  %u: %s\n", d.steps, d.op);
    }
    if (ok)
        ok = driver_cleanup(&d);
    if (!ok) {
        printf("FAIL seed=%llu step=%u op=%s\n  %s\n  replay: cap-random %llu %u 1\n", seed,
               d.steps, d.op, d.why, seed, steps);
        if (getenv("CAP_RANDOM_VERBOSE"))
            model_dump(&d.m, stdout);
    } else {
        printf("seed %llu%s: %u steps, %u ok, %u errors, %u preempted calls, %u objects torn "
               "down (%u with slots), %u garbage zombies finished, model %s\n",
               seed, interfere ? " (interfering)" : "", d.steps, d.n_ok, d.n_err,
               d.n_preempted, mock.final_calls, mock.dying_calls, d.n_cycle_fixups,
               d.exact ? "exact throughout" : "dropped after an abandoned operation");
    }
    if (getenv("CAP_RANDOM_STATS")) {
        for (unsigned i = 0; i < TSR_E_COUNT; i++) {
            if (d.n_code[i])
                printf("    error %u: %u\n", i, d.n_code[i]);
        }
    }
    driver_free(&d);
    return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
    unsigned long long seed = argc > 1 ? strtoull(argv[1], NULL, 0) : 1;
    unsigned steps = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 0) : 3000;
    unsigned runs = argc > 3 ? (unsigned)strtoul(argv[3], NULL, 0) : 8;
    int failures = 0;
    for (unsigned r = 0; r < runs; r++)
        failures += run(seed + r, steps);
    printf("%s: %d of %u runs failed\n", failures ? "FAIL" : "PASS", failures, runs);
    return failures != 0;
}
