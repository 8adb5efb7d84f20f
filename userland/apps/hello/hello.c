/* SPDX-License-Identifier: MIT */
/* The smallest program: says who it is and what it was given, then exits.
 * The system description starts it with `args`. */
#include "tsr/stdio.h"
#include "tsr/sys.h"

int main(int argc, char **argv)
{
    const struct tsr_program_info *me = tsr_program();
    printf("%s: hello from pid %u with %lu KiB", argv[0], me->pid,
           (unsigned long)(me->budget >> 10));
    for (int i = 1; i < argc; i++)
        printf("%s %s", i == 1 ? ", args:" : "", argv[i]);
    printf("\n");
    return argc - 1;
}
