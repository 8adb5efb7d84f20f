/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the device-tree reader (kernel/lib/fdt.c, fdt_prop.c)
 * and kernel/boot/platform.c: the input is a DTB; it goes through dt_init, a walk
 * that calls every reader function on every node (the O(tree) ones on the
 * first 8 nodes only, to keep the rate up) and platform_probe, with the
 * invariants of exercise_blob() checked.
 * Seeds: tests/fdt/corpus/. Longer campaign by hand:
 *   build-fdt/tests/fdt/fuzz_fdt -max_total_time=600 CORPUS_DIR */
#include <stdint.h>
#include <stdlib.h>

#include "fdt_test.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* libFuzzer hands over a buffer of exactly `size` bytes, so ASan
     * catches any read past the blob. */
    exercise_blob(data, size, 8);
    if (test_failures != 0)
        abort(); /* an invariant broke: make libFuzzer save the input */
    return 0;
}
