/* SPDX-License-Identifier: MIT */
/* The in-QEMU test suite's framework. Each test has a stable ID and a
 * description and reports one TAP line; the suite ends with the "N passed,
 * M failed" line the QEMU harness checks, then exits through the kernel.
 *
 * Each test gets a fresh untyped region (TEST_REGION_BITS) and a slot
 * allocator; when it ends the region is revoked and the slots freed, so tests
 * cannot leak into each other and every object a test made is destroyed
 * through the derivation tree, which is itself under test. */
#ifndef TESTS_TEST_H
#define TESTS_TEST_H

#include <stdbool.h>
#include <stdint.h>

#include <tessera/bootinfo.h>
#include <tessera/objects.h>
#include <tessera/syscalls.h>

#include "tsr/invoke.h"
#include "tsr/runtime.h"
#include "tsr/stdio.h"
#include "tsr/string.h"
#include "tsr/syscall.h"
#include "tsr/vm.h"

#define TEST_REGION_BITS 22 /* 4 MiB per test: room for a 2 MiB frame */
#define D TSR_ROOT_DEPTH
#define ROOT TSR_INIT_CNODE

struct test {
    const char *id;
    const char *description;
    bool (*run)(void);
};

/* Set by the framework for the running test. */
extern const struct tsr_bootinfo *test_bootinfo;
extern tsr_cptr_t test_region; /* the test's untyped */

/* A new slot, freed when the test ends. */
tsr_cptr_t t_slot(void);
/* n consecutive new slots (the first is returned; 0 if there is no run). */
tsr_cptr_t t_slots(unsigned n);
/* A new object from the test's region, in a new slot (0 on failure, which
 * also fails the test). */
tsr_cptr_t t_new(tsr_object_type_t type, unsigned size_bits);
/* Record a failed check with its location; returns false. */
bool t_fail(const char *file, int line, const char *what, long got, long want);

/* Checks: on failure, print what went wrong and end the test. */
#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond))                                                                               \
            return t_fail(__FILE__, __LINE__, #cond, 0, 0);                                        \
    } while (0)
#define CHECK_EQ(got, want)                                                                        \
    do {                                                                                           \
        long got_ = (long)(got), want_ = (long)(want);                                             \
        if (got_ != want_)                                                                         \
            return t_fail(__FILE__, __LINE__, #got " == " #want, got_, want_);                     \
    } while (0)
#define CHECK_OK(expr) CHECK_EQ((expr), TSR_OK)

/* Threads for tests: run fn(arg) at `priority` in the root task's address
 * space, with a fault endpoint (0 = none). Stacks come from a VA range
 * reserved for tests; the thread is destroyed with the test's region. */
tsr_cptr_t t_thread(void (*fn)(uint64_t), uint64_t arg, unsigned priority, tsr_cptr_t fault_ep);
/* Set the root task's own priority (tests that need others to run). */
void t_set_my_priority(unsigned priority);
/* Drop to the lowest priority and back: every runnable test thread runs
 * until it blocks or stops. */
void t_yield_to_lower(void);

/* Test tables, one per area (defined in t_*.c). */
extern const struct test untyped_tests[], cnode_tests[], tcb_tests[], ipc_tests[], vm_tests[],
    fault_tests[], misc_tests[], error_tests[], idl_tests[], device_tests[],
    regress_tests[], fastpath_tests[], msgqueue_tests[], longmsg_tests[],
    pages_tests[], ring_tests[], flood_tests[], idl_feature_tests[], fpu_tests[];

#endif
