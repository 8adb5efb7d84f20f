/* SPDX-License-Identifier: MIT */
/* The program runtime (userland/lib/program/): what a program started from
 * the system description can call about itself. Programs are built with
 * tessera_program() and start in main(argc, argv): argv[0] is their name in
 * the description, the rest its `args`. docs/programs.md. */
#ifndef TSR_SYS_H
#define TSR_SYS_H

#include <idl/kernel.h>

#include "tsr/program.h"

/* This program's information page (its pid, name, memory, device...). */
const struct tsr_program_info *tsr_program(void);
/* Stop this program with `status` (returning from main does the same); the
 * root task reports it and takes the program's memory back. */
_Noreturn void tsr_program_exit(int status);

#endif
