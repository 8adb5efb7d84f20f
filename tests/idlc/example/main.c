/* SPDX-License-Identifier: MIT */
/* The docs/idl.md walk-through: a greeter server and a client calling it
 * through the loopback transport. */
#include <stdio.h>
#include <string.h>

#include <idl/loopback.h>

#include "greeter.h"

/* ---- server: implement the ops ---------------------------------------------- */
typedef struct greeter_state {
    uint32_t calls;
} greeter_state;

static idl_status_t do_hello(void *self, const idl_caller *caller, const char *name,
                             char text[49], uint32_t *calls)
{
    greeter_state *st = self;
    (void)caller;
    if (name[0] == '\0')
        return GREET_ERROR_EMPTY_NAME; /* an interface error */
    snprintf(text, 49, "hello, %s", name);
    *calls = ++st->calls;
    return IDL_OK;
}

static const greeter_v1_ops ops = {.hello = do_hello};

int main(void)
{
    /* ---- wire the server to a transport ---- */
    greeter_state state = {0};
    greeter_server server = {.self = &state, .v1 = &ops};
    idl_binding binding = greeter_binding(&server);
    idl_loopback lb;
    idl_loopback_init(&lb, &binding, 1, /*badge*/ 0, NULL, 0); /* or the kernel transport */

    /* ---- client: call the stub ---- */
    char text[49];
    uint32_t calls = 0;
    idl_status_t st = greeter_v1_hello(&lb.transport, "newcomer", text, &calls);
    printf("status %u: '%s' (call %u)\n", (unsigned)st, text, (unsigned)calls);
    if (st != IDL_OK || strcmp(text, "hello, newcomer") != 0 || calls != 1)
        return 1;
    st = greeter_v1_hello(&lb.transport, "", text, &calls);
    printf("status %u for an empty name\n", (unsigned)st);
    return st == GREET_ERROR_EMPTY_NAME ? 0 : 1;
}
