/* SPDX-License-Identifier: MIT */
/* The name service and interface discovery between programs
 * (tests/system/names-test.dts): registration, resolution, duplicates,
 * unknown names, policy, unregistering, servers that exit or fault while a
 * client waits on them, a flooding client, version negotiation in both
 * directions, programs that fail alone for lack of memory, and device
 * rights as the description grants them. */
#include "helper.h"
#include "names.h"
#include "tap.h"
#include "tsr/invoke.h"
#include "tsr/runtime.h"
#include "tsr/vid.h"

#define D TSR_ROOT_DEPTH

static uint32_t my_pid(void)
{
    return tsr_program()->pid;
}

static bool ping_ok(tsr_cptr_t ep, uint32_t *pid, uint64_t *badge)
{
    idl_kernel_transport t;
    idl_kernel_transport_init(&t, ep);
    return helper_v1_ping(&t.transport, pid, badge) == IDL_OK;
}

static bool register_resolve(void)
{
    uint32_t vid = 0, vid2 = 0, pid = 0;
    uint64_t badge = 0;
    tsr_cptr_t ep;
    /* Our own name: a dynamic VID. */
    CHECK_EQ(names_register("systest-a", &vid), IDL_OK);
    CHECK(vid >= TSR_VID_FIRST_DYNAMIC);
    /* A server's: its endpoint, badged with our pid. */
    CHECK_EQ(names_resolve("helper", &vid2, &ep), IDL_OK);
    CHECK(vid2 >= TSR_VID_FIRST_DYNAMIC && vid2 != vid);
    CHECK(ping_ok(ep, &pid, &badge));
    program_status_t st;
    CHECK(tap_program("helper", &st));
    CHECK_EQ(pid, st.pid);
    CHECK_EQ(badge, my_pid());
    tsr_free_object(ep);
    /* By VID, the same service. */
    CHECK_EQ(names_connect(vid2, &ep), IDL_OK);
    CHECK(ping_ok(ep, &pid, &badge));
    CHECK_EQ(pid, st.pid);
    tsr_free_object(ep);
    return true;
}

static bool well_known(void)
{
    uint32_t vid = 0;
    tsr_cptr_t ep;
    CHECK_EQ(names_resolve("names", &vid, &ep), IDL_OK);
    CHECK_EQ(vid, TSR_VID_NAMES);
    /* The name service reached through the new capability answers too. */
    idl_kernel_transport t;
    idl_kernel_transport_init(&t, ep);
    uint32_t again = 0;
    tsr_cptr_t ep2;
    struct tsr_ipc_buffer *buf = tsr_ipc_buffer();
    ep2 = tsr_alloc_slot();
    buf->receive_cnode = TSR_PROG_CNODE, buf->receive_index = ep2, buf->receive_depth = D;
    idl_cap_t got;
    CHECK_EQ(names_v1_resolve(&t.transport, "helper", &again, &got), IDL_OK);
    buf->receive_depth = 0;
    CHECK_EQ(got, ep2);
    tsr_free_object(ep2);
    tsr_free_object(ep);
    CHECK_EQ(names_connect(TSR_VID_NAMES, &ep), IDL_OK);
    tsr_free_object(ep);
    return true;
}

static bool duplicates_and_policy(void)
{
    uint32_t vid;
    tsr_cptr_t ep;
    /* Registered already (by us, above), and registered by a live server. */
    CHECK_EQ(names_register("systest-a", &vid), NAMES_ERROR_DUPLICATE);
    /* Not ours to serve, whether taken or not. */
    CHECK_EQ(names_register("helper", &vid), NAMES_ERROR_NOT_ALLOWED);
    CHECK_EQ(names_register("unlisted", &vid), NAMES_ERROR_NOT_ALLOWED);
    /* Registered by another program, but not in our `uses`. */
    CHECK_EQ(names_resolve("secret", &vid, &ep), NAMES_ERROR_NOT_ALLOWED);
    /* A second name we may serve, with an endpoint of our own making. */
    tsr_cptr_t mine;
    CHECK_EQ(tsr_alloc_object(TSR_OBJ_ENDPOINT, 0, &mine), TSR_OK);
    CHECK_EQ(names_register_endpoint("systest-b", mine, &vid), IDL_OK);
    /* A notification capability is no endpoint, but a badged one cannot
     * even be minted: refused. */
    tsr_cptr_t n, nb = tsr_alloc_slot();
    CHECK_EQ(tsr_alloc_object(TSR_OBJ_NOTIFICATION, 0, &n), TSR_OK);
    CHECK_EQ(tsr_cnode_mint(TSR_PROG_CNODE, nb, D, TSR_PROG_CNODE, n, D, TSR_RIGHTS_ALL, 5), TSR_OK);
    CHECK_EQ(names_unregister("systest-b"), IDL_OK);
    CHECK_EQ(names_register_endpoint("systest-b", nb, &vid), NAMES_ERROR_BAD_CAPABILITY);
    return true;
}

static bool unknown_names(void)
{
    uint32_t vid;
    tsr_cptr_t ep;
    /* A name we may use that nobody registered; one we may not use is
     * refused whether it exists or not (names tell nothing to outsiders). */
    CHECK_EQ(names_resolve("ghost", &vid, &ep), NAMES_ERROR_NOT_FOUND);
    CHECK_EQ(names_resolve("no-such-service", &vid, &ep), NAMES_ERROR_NOT_ALLOWED);
    CHECK_EQ(names_connect(9999, &ep), NAMES_ERROR_NOT_FOUND);
    CHECK_EQ(names_connect(0, &ep), NAMES_ERROR_NOT_FOUND);
    CHECK_EQ(names_resolve("Upper", &vid, &ep), NAMES_ERROR_BAD_NAME);
    CHECK_EQ(names_resolve("", &vid, &ep), NAMES_ERROR_BAD_NAME);
    CHECK_EQ(names_resolve("with space", &vid, &ep), NAMES_ERROR_BAD_NAME);
    /* 31 characters reach the name service; 32 are longer than string<31>,
     * and the stub refuses to send them. */
    CHECK_EQ(names_resolve("a-name-of-thirty-two-characters", &vid, &ep), NAMES_ERROR_NOT_ALLOWED);
    CHECK_EQ(names_resolve("a-name-of-thirty-two-characters!", &vid, &ep), IDL_E_ENCODE);
    return true;
}

static bool unregister(void)
{
    uint32_t vid, vid2;
    tsr_cptr_t ep;
    CHECK_EQ(names_resolve("systest-a", &vid, &ep), IDL_OK);
    tsr_free_object(ep);
    CHECK_EQ(names_unregister("systest-a"), IDL_OK);
    CHECK_EQ(names_resolve("systest-a", &vid2, &ep), NAMES_ERROR_NOT_FOUND);
    CHECK_EQ(names_unregister("systest-a"), NAMES_ERROR_NOT_FOUND);
    CHECK_EQ(names_unregister("helper"), NAMES_ERROR_NOT_OWNER);
    CHECK_EQ(names_resolve("helper", &vid2, &ep), IDL_OK); /* still there */
    tsr_free_object(ep);
    /* Registering again is a new entry. */
    CHECK_EQ(names_register("systest-a", &vid2), IDL_OK);
    CHECK(vid2 != vid);
    return true;
}

/* Which entry of the list has this name (and is it alive). */
static bool listed(const char *name, bool *alive)
{
    uint32_t first = 0, count, next;
    static service_info_t list[8];
    do {
        if (names_v1_list(names_transport(), first, list, &count, &next) != IDL_OK)
            return false;
        for (uint32_t i = 0; i < count; i++)
            if (strcmp(list[i].name, name) == 0) {
                *alive = list[i].alive;
                return true;
            }
        first = next;
    } while (count);
    return false;
}

/* A client waiting on a server that stops gets an error, and the name
 * answers "server dead" from then on. */
static bool server_death(const char *name, bool fault, program_state_t state)
{
    uint32_t vid, pid;
    uint64_t badge;
    tsr_cptr_t ep;
    bool alive = false;
    CHECK_EQ(names_resolve(name, &vid, &ep), IDL_OK);
    CHECK(ping_ok(ep, &pid, &badge));
    CHECK(listed(name, &alive) && alive);
    idl_kernel_transport t;
    idl_kernel_transport_init(&t, ep);
    /* Blocked in this call when the root task takes the server apart. */
    idl_status_t st = helper_v1_die(&t.transport, fault);
    CHECK_EQ(st, idl_status_from_tsr(TSR_E_CANCELLED));
    /* Our capability went with the server's endpoint. */
    CHECK_EQ(helper_v1_ping(&t.transport, &pid, &badge),
             idl_status_from_tsr(TSR_E_INVALID_CAPABILITY));
    tsr_free_object(ep);
    CHECK_EQ(names_resolve(name, &vid, &ep), NAMES_ERROR_SERVER_DEAD);
    CHECK_EQ(names_connect(vid, &ep), NAMES_ERROR_SERVER_DEAD);
    CHECK(listed(name, &alive) && !alive);
    program_status_t ps;
    CHECK(tap_program(name, &ps));
    CHECK_EQ(ps.state, state);
    if (state == PROGRAM_STATE_EXITED)
        CHECK_EQ(ps.exit_status, 7);
    return true;
}

static bool death_by_exit(void)
{
    return server_death("victim", false, PROGRAM_STATE_EXITED);
}

static bool death_by_fault(void)
{
    return server_death("victim2", true, PROGRAM_STATE_FAULTED);
}

/* The flooder (same priority as us) keeps the name service busy; our own
 * resolutions must still each be answered within a round of the queue. */
static bool flooding(void)
{
    program_status_t ps;
    CHECK(tap_program("flooder", &ps));
    CHECK_EQ(ps.state, PROGRAM_STATE_RUNNING);
    uint64_t start = tap_now_us(), worst = 0;
    for (unsigned i = 0; i < 200; i++) {
        uint32_t vid;
        tsr_cptr_t ep;
        uint64_t t0 = tap_now_us();
        CHECK_EQ(names_resolve("helper", &vid, &ep), IDL_OK);
        uint64_t dt = tap_now_us() - t0;
        worst = dt > worst ? dt : worst;
        tsr_free_object(ep);
    }
    uint64_t total = tap_now_us() - start;
    printf("# 200 resolutions under flooding: %lu us in all, the slowest %lu us\n",
           (unsigned long)total, (unsigned long)worst);
    /* qemu-names runs under -icount: a microsecond is 1000 instructions,
     * whatever the host's load. A resolution waits behind one flooder
     * request at most (tens of microseconds); a client starved until the
     * flooder's 20 ms timeslice ran out would take far more than 5 ms. */
    CHECK(worst < 5000);
    CHECK(tap_program("flooder", &ps));
    CHECK_EQ(ps.state, PROGRAM_STATE_RUNNING);
    /* Another client resolved 200 times meanwhile, under the same bound. */
    for (unsigned i = 0;
         i < 1000 && tap_program("resolver", &ps) && ps.state == PROGRAM_STATE_RUNNING; i++)
        tsr_yield();
    CHECK_EQ(ps.state, PROGRAM_STATE_EXITED);
    CHECK_EQ(ps.exit_status, 0);
    return true;
}

static bool connect_helper(const char *name, idl_kernel_transport *t)
{
    return tsr_connect(name, t) == IDL_OK;
}

static bool discovery(void)
{
    idl_kernel_transport t;
    CHECK(connect_helper("helper", &t));
    idl_offer offers[8];
    size_t n = 0;
    CHECK_EQ(idl_discover(&t.transport, offers, 8, &n), IDL_OK);
    CHECK_EQ(n, 2);
    CHECK(offers[0].guid.hi == HELPER_GUID_HI && offers[0].guid.lo == HELPER_GUID_LO);
    CHECK_EQ(offers[0].version, 2);
    CHECK_EQ(offers[1].version, 1);
    /* The name service answers the same query. */
    CHECK_EQ(idl_discover(names_transport(), offers, 8, &n), IDL_OK);
    CHECK_EQ(n, 1);
    CHECK(offers[0].guid.hi == NAMES_GUID_HI && offers[0].version == 1);
    return true;
}

static bool negotiation(void)
{
    static const uint16_t v1_only[] = {1};
    const idl_guid guid = {HELPER_GUID_HI, HELPER_GUID_LO};
    idl_kernel_transport both, old, new;
    CHECK(connect_helper("helper", &both) && connect_helper("helper-old", &old) &&
          connect_helper("helper-new", &new));
    uint16_t v = 0;
    char back[65];
    /* Both know 2. */
    CHECK_EQ(helper_negotiate(&both.transport, &v), IDL_OK);
    CHECK_EQ(v, 2);
    CHECK_EQ(helper_v2_echo(&both.transport, "two", back), IDL_OK);
    CHECK(strcmp(back, "two") == 0);
    /* A newer client, an older server: 1. */
    CHECK_EQ(helper_negotiate(&old.transport, &v), IDL_OK);
    CHECK_EQ(v, 1);
    CHECK_EQ(helper_v2_echo(&old.transport, "x", back), IDL_E_UNKNOWN_VERSION);
    /* An older client, a newer server that still serves 1: 1. */
    CHECK_EQ(idl_negotiate(&both.transport, guid, v1_only, 1, &v), IDL_OK);
    CHECK_EQ(v, 1);
    /* An older client, a server that dropped 1: none. */
    CHECK_EQ(idl_negotiate(&new.transport, guid, v1_only, 1, &v), IDL_E_NO_COMPATIBLE_VERSION);
    uint32_t pid;
    uint64_t badge;
    CHECK_EQ(helper_v1_ping(&new.transport, &pid, &badge), IDL_E_UNKNOWN_VERSION);
    /* Asking a server for an interface it does not serve at all. */
    CHECK_EQ(names_negotiate(&both.transport, &v), IDL_E_UNKNOWN_INTERFACE);
    return true;
}

/* A program whose budget cannot hold it is not started, with the reason;
 * one that runs out later fails alone; everything else is unaffected. */
static bool memory_alone(void)
{
    program_status_t ps;
    CHECK(tap_program("tiny", &ps));
    CHECK_EQ(ps.state, PROGRAM_STATE_NOT_STARTED);
    CHECK(tap_contains(ps.reason, "memory budget ran out"));
    CHECK(tap_program("typo", &ps));
    CHECK_EQ(ps.state, PROGRAM_STATE_NOT_STARTED);
    CHECK(tap_contains(ps.reason, "unknown property"));
    /* The hog exits with 3 once it has seen its allocations fail. */
    for (unsigned i = 0; i < 1000 && tap_program("hog", &ps) && ps.state == PROGRAM_STATE_RUNNING; i++)
        tsr_yield();
    CHECK_EQ(ps.state, PROGRAM_STATE_EXITED);
    CHECK_EQ(ps.exit_status, 3);
    uint32_t vid, pid;
    uint64_t badge;
    tsr_cptr_t ep;
    CHECK_EQ(names_resolve("helper", &vid, &ep), IDL_OK);
    CHECK(ping_ok(ep, &pid, &badge));
    tsr_free_object(ep);
    /* Our own memory: the budget and what is left, as `mem` shows them. */
    CHECK(tap_program("systest", &ps));
    CHECK_EQ(ps.budget, tsr_program()->budget);
    CHECK(ps.free > 0 && ps.free < ps.budget);
    return true;
}

/* Devices as the description grants them: the program given the RTC found
 * its registers and its interrupt, the one given none holds none (both
 * exit 0 if so, devprobe.c), and a second claim on the same device and a
 * device the board lacks were refused at boot, with the reason. */
static bool devices(void)
{
    static const char *const ran[] = {"rtc", "no-device"};
    program_status_t ps;
    for (unsigned k = 0; k < 2; k++) {
        for (unsigned i = 0;
             i < 1000 && tap_program(ran[k], &ps) && ps.state == PROGRAM_STATE_RUNNING; i++)
            tsr_yield();
        CHECK_EQ(ps.state, PROGRAM_STATE_EXITED);
        CHECK_EQ(ps.exit_status, 0);
    }
    CHECK(tap_program("rtc-again", &ps));
    CHECK_EQ(ps.state, PROGRAM_STATE_NOT_STARTED);
    CHECK(tap_contains(ps.reason, "registers at 0x9010000 are another program's"));
    CHECK(tap_program("ghost-device", &ps));
    CHECK_EQ(ps.state, PROGRAM_STATE_NOT_STARTED);
    CHECK(tap_contains(ps.reason, "is not in the board's device tree"));
    return true;
}

static const struct systest tests[] = {
    {"NAMES0001", "register a name, resolve it to a badged endpoint, connect by VID", register_resolve},
    {"NAMES0002", "well-known VIDs: the name service is VID 1", well_known},
    {"NAMES0003", "duplicates, names not ours to serve or use, capabilities that are no endpoint",
     duplicates_and_policy},
    {"NAMES0004", "unknown names and VIDs, malformed and over-long names", unknown_names},
    {"NAMES0005", "unregister: gone, only by its owner, registered anew", unregister},
    {"NAMES0006", "a server that exits: its blocked client gets CANCELLED, the name server_dead",
     death_by_exit},
    {"NAMES0007", "a server that faults: the same", death_by_fault},
    {"NAMES0008", "a client flooding the name service while two others resolve", flooding},
    {"DISC0001", "every server answers the discovery query from its bindings", discovery},
    {"DISC0002", "version negotiation in both directions of mismatch", negotiation},
    {"MEM0001", "programs given too little memory fail alone", memory_alone},
    {"SYSDEV0001", "device registers and interrupts exactly as the description grants",
     devices},
    {0, 0, 0},
};

int main(void)
{
    printf("systest: name service and discovery tests\n");
    tap_run(tests);
    tap_finish();
}
