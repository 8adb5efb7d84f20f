/* SPDX-License-Identifier: MIT */
/* Runner for the cap/ unit and zombie tests (test.h): runs every registered
 * case in ID order, or those matching argv[1], and reports each by ID. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"

struct test_case {
    const char *id, *desc;
    void (*fn)(void);
};

static struct test_case cases[512];
static int ncases;
int test_case_failed;

void test_register(const char *id, const char *desc, void (*fn)(void))
{
    if (ncases < (int)(sizeof cases / sizeof cases[0]))
        cases[ncases++] = (struct test_case){id, desc, fn};
}

void test_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stdout, "    %s:%d: ", file, line);
    vfprintf(stdout, fmt, ap);
    fprintf(stdout, "\n");
    va_end(ap);
    test_case_failed = 1;
}

static struct world the_world;
static bool world_live;

static void world_release(void)
{
    if (world_live)
        world_free(&the_world);
    world_live = false;
}

struct world *new_world_cfg(const struct world_config *cfg)
{
    world_release();
    world_init(&the_world, cfg);
    world_live = true;
    return &the_world;
}

struct world *new_world(void)
{
    world_release();
    world_init_default(&the_world);
    world_live = true;
    return &the_world;
}

tsr_error_t retype_into(struct world *w, unsigned ut, tsr_object_type_t type, unsigned bits,
                        unsigned index)
{
    return untyped_retype(&w->root[ut], type, bits, &w->root[index], 1);
}

tsr_error_t del(struct cte *slot)
{
    unsigned b = BIG_BUDGET;
    return cap_delete(slot, &b);
}

tsr_error_t rev(struct cte *slot)
{
    unsigned b = BIG_BUDGET;
    return cap_revoke(slot, &b);
}

struct cte *slots_of(const struct cap *cap)
{
    struct cte *s = NULL;
    mock_slots_of((enum cap_type)cap->type, cap->object, cap->size_bits, &s);
    return s;
}

struct mock_instance *inst_of(const struct cap *cap)
{
    return mock_find_live((enum cap_type)cap->type, cap->object);
}

static int by_id(const void *a, const void *b)
{
    return strcmp(((const struct test_case *)a)->id, ((const struct test_case *)b)->id);
}

int main(int argc, char **argv)
{
    const char *filter = argc > 1 ? argv[1] : NULL;
    qsort(cases, (size_t)ncases, sizeof cases[0], by_id);
    int run = 0, failed = 0;
    for (int i = 0; i < ncases; i++) {
        if (filter && !strstr(cases[i].id, filter) && !strstr(cases[i].desc, filter))
            continue;
        test_case_failed = 0;
        cases[i].fn();
        world_release();
        if (!test_case_failed && mock.violation) {
            printf("    hook saw: %s\n", mock.why);
            test_case_failed = 1;
        }
        printf("%s %s %s\n", test_case_failed ? "FAIL" : "ok  ", cases[i].id, cases[i].desc);
        run++;
        failed += test_case_failed;
    }
    printf("%s: %d of %d cases failed\n", failed ? "FAIL" : "PASS", failed, run);
    return failed != 0 || run == 0;
}
