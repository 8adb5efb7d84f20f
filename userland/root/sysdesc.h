/* SPDX-License-Identifier: MIT */
/* The system description (docs/programs.md): a device tree, compiled by dtc
 * from dts/system/<name>.dts and packed into the boot archive as
 * "system.dtb", listing the programs the root task starts. This reader
 * checks every entry on its own: a malformed program entry is marked
 * invalid with a message saying why, and the others are still read. Pure
 * code over the shared device-tree reader, tested on the host (tests/sys).
 *
 *   / { compatible = "tessera,system";
 *       programs {
 *           NAME { program = "file";        archive entry (default: NAME)
 *                  priority = <100>;        0-254 (default 100)
 *                  memory-kib = <256>;      required, a multiple of 4
 *                  stack-kib = <16>;        default 16, a multiple of 4
 *                  serves = "a", "b";       names it may register
 *                  uses = "c";              names it may resolve ("*": any)
 *                  device = "stdout";       a board device: "stdout" or a path
 *                  rights = "poweroff";     extra rights
 *                  args = "x", "y"; };      argv[1...]
 *       }; }; */
#ifndef ROOT_SYSDESC_H
#define ROOT_SYSDESC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SYSDESC_MAX_PROGRAMS 24
#define SYSDESC_NAME_MAX 31   /* program and service names */
#define SYSDESC_MAX_NAMES 16  /* entries of serves and of uses */
#define SYSDESC_PATH_MAX 63   /* program file and device path */
#define SYSDESC_ARGS_MAX 128  /* args, NULs included */
#define SYSDESC_ERROR_MAX 95
#define SYSDESC_MAX_MEMORY_KIB (1u << 20) /* 1 GiB */
#define SYSDESC_DEFAULT_PRIORITY 100
#define SYSDESC_MAX_PRIORITY 254 /* 255 is the root task's */
#define SYSDESC_DEFAULT_STACK_KIB 16
#define SYSDESC_MAX_STACK_KIB 1024

#define SYSDESC_RIGHT_POWEROFF 0x1u /* = TSR_PROG_RIGHT_POWEROFF */

struct sysdesc_program {
    bool valid;                      /* false: error says why; do not start it */
    char error[SYSDESC_ERROR_MAX + 1];
    char name[SYSDESC_NAME_MAX + 1];
    char program[SYSDESC_PATH_MAX + 1];
    uint32_t priority;
    uint32_t memory_kib;
    uint32_t stack_kib;
    uint32_t nserves, nuses;
    char serves[SYSDESC_MAX_NAMES][SYSDESC_NAME_MAX + 1];
    char uses[SYSDESC_MAX_NAMES][SYSDESC_NAME_MAX + 1];
    char device[SYSDESC_PATH_MAX + 1]; /* "" for none */
    uint32_t rights;
    uint32_t argc;
    char args[SYSDESC_ARGS_MAX];     /* argc NUL-terminated strings */
};

struct sysdesc {
    unsigned count;      /* entries read, valid or not */
    unsigned skipped;    /* entries past SYSDESC_MAX_PROGRAMS, not read */
    struct sysdesc_program programs[SYSDESC_MAX_PROGRAMS];
};

/* Read the description in the blob. Returns false (and a message in
 * `error`) only if the file as a whole is unusable: not a device tree, not
 * compatible "tessera,system", or no /programs node. */
bool sysdesc_parse(const void *blob, size_t size, struct sysdesc *out, char *error,
                   size_t error_size);

#endif
