/* SPDX-License-Identifier: MIT */
/* The system tests' helper (helper.idl): registers its endpoint under its
 * own name (argv[0]) and serves versions 1 and 2 of `helper`, or only
 * version 1 (argument "old") or only version 2 ("new"). Asked to die, it
 * exits or faults without answering. */
#include "helper.h"
#include "tsr/service.h"
#include "tsr/stdio.h"
#include "tsr/string.h"
#include "tsr/sys.h"

static idl_status_t op_ping(void *self, const idl_caller *caller, uint32_t *pid, uint64_t *badge)
{
    (void)self;
    *pid = tsr_program()->pid;
    *badge = caller->badge;
    return IDL_OK;
}

static idl_status_t op_die(void *self, const idl_caller *caller, bool fault)
{
    (void)self, (void)caller;
    if (fault)
        *(volatile int *)0x8 = 1; /* nothing is mapped there */
    tsr_program_exit(7);
}

static idl_status_t op_echo(void *self, const idl_caller *caller, const char *text,
                            char text_back[65])
{
    (void)self, (void)caller;
    memcpy(text_back, text, strlen(text) + 1);
    return IDL_OK;
}

int main(int argc, char **argv)
{
    static const helper_v1_ops v1 = {.ping = op_ping, .die = op_die};
    static const helper_v2_ops v2 = {.ping = op_ping, .die = op_die, .echo = op_echo};
    bool old = argc > 1 && strcmp(argv[1], "old") == 0;
    bool new = argc > 1 && strcmp(argv[1], "new") == 0;
    helper_server server = {.self = 0, .v1 = new ? 0 : &v1, .v2 = old ? 0 : &v2};
    idl_binding binding = helper_binding(&server);
    uint32_t vid;
    idl_status_t st = names_register(argv[0], &vid);
    if (st != IDL_OK) {
        printf("%s: cannot register: %s\n", argv[0], names_status_text(st));
        return 1;
    }
    tsr_serve(&binding, 1);
    return 1;
}
