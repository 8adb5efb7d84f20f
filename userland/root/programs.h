/* SPDX-License-Identifier: MIT */
/* The root task of a running system (docs/programs.md): it reads the boot
 * archive and the system description, starts every program the description
 * lists (start.c), then serves the system interface and the programs'
 * faults for as long as the machine runs (manager.c). This is the table of
 * programs both halves share. */
#ifndef ROOT_PROGRAMS_H
#define ROOT_PROGRAMS_H

#include <stdint.h>

#include "loader.h"
#include "names.h"
#include "sysdesc.h"
#include "system.h"

/* Badges of the root task's endpoint: a program's system requests carry
 * its pid, its faults the pid with this bit (a fault report is a Call the
 * kernel makes for it, not an IDL request). */
#define ROOT_FAULT_BADGE (1ull << 20)

struct program {
    const struct sysdesc_program *desc;
    program_state_t state;
    int32_t exit_status;
    char reason[80];
    struct loaded_program loaded;
};

extern struct program root_programs[SYSDESC_MAX_PROGRAMS];
extern unsigned root_program_count;
/* The root task's endpoint (system interface and fault reports). */
extern tsr_cptr_t root_endpoint;
/* Its unbadged capability to the name service (0 if there is none). */
extern tsr_cptr_t root_names;

/* Serve the system interface and fault reports; never returns. */
_Noreturn void manager_run(void);
/* Take a program apart and tell the name service it stopped. */
void manager_reclaim(struct program *p);

#endif
