/* SPDX-License-Identifier: MIT */
/* IPC: endpoints (send, receive, call, reply, long messages, capability
 * transfer), notifications, and their error cases. */
#include "test.h"

#include "tsr/bulk.h"

struct server_args {
    tsr_cptr_t ep, reply;
    unsigned rounds;
};
static volatile uint64_t server_seen[8];

/* Answers each Call with (sum of words, length, badge), `rounds` times. */
static void adder_server(uint64_t arg)
{
    const struct server_args *a = (const void *)(uintptr_t)arg;
    struct tsr_msg m = {0};
    uint64_t badge;
    struct tsr_ipc_buffer *buf = tsr_ipc_buffer();
    tsr_recv(a->ep, a->reply, &m, &badge);
    for (unsigned r = 0; r < a->rounds; r++) {
        unsigned n = tsr_msginfo_length(m.info);
        uint64_t sum = 0;
        for (unsigned i = 0; i < n; i++)
            sum += i < TSR_MSG_REG_WORDS ? m.mr[i] : buf->msg[i];
        server_seen[r % 8] = badge;
        m.mr[0] = sum;
        m.mr[1] = n;
        m.mr[2] = badge;
        m.info = tsr_msginfo(tsr_msginfo_label(m.info) + 1, 0, 3);
        if (r + 1 == a->rounds) {
            tsr_send(a->reply, &m);
            return;
        }
        tsr_reply_recv(a->ep, a->reply, &m, &badge);
    }
}

static bool call_reply(void)
{
    static struct server_args a;
    a = (struct server_args){t_new(TSR_OBJ_ENDPOINT, 0), t_new(TSR_OBJ_REPLY, 0), 3};
    tsr_cptr_t b = t_slot();
    CHECK_OK(tsr_cnode_mint(ROOT, b, D, ROOT, a.ep, D, TSR_RIGHTS_ALL, 5));
    CHECK(t_thread(adder_server, (uint64_t)(uintptr_t)&a, 100, 0));
    for (unsigned r = 0; r < 3; r++) {
        struct tsr_msg m = {.info = tsr_msginfo(10 + r, 0, 14)};
        uint64_t want = 0;
        for (unsigned i = 0; i < 14; i++)
            want += (m.mr[i] = i * 3 + r);
        CHECK_OK(tsr_call(b, &m));
        CHECK_EQ(tsr_msginfo_label(m.info), 11 + r);
        CHECK_EQ(tsr_msginfo_length(m.info), 3);
        CHECK_EQ(m.mr[0], want);
        CHECK_EQ(m.mr[1], 14);
        CHECK_EQ(m.mr[2], 5);
    }
    return true;
}

static bool long_message(void)
{
    static struct server_args a;
    a = (struct server_args){t_new(TSR_OBJ_ENDPOINT, 0), t_new(TSR_OBJ_REPLY, 0), 1};
    CHECK(t_thread(adder_server, (uint64_t)(uintptr_t)&a, 100, 0));
    struct tsr_ipc_buffer *buf = tsr_ipc_buffer();
    struct tsr_msg m = {.info = tsr_msginfo(1, 0, TSR_MSG_MAX_WORDS)};
    uint64_t want = 0;
    for (unsigned i = 0; i < TSR_MSG_MAX_WORDS; i++) {
        uint64_t v = 1000 + i * i;
        if (i < TSR_MSG_REG_WORDS)
            m.mr[i] = v;
        else
            buf->msg[i] = v;
        want += v;
    }
    CHECK_OK(tsr_call(a.ep, &m));
    CHECK_EQ(m.mr[0], want);
    CHECK_EQ(m.mr[1], TSR_MSG_MAX_WORDS);
    return true;
}

static bool nonblocking(void)
{
    tsr_cptr_t ep = t_new(TSR_OBJ_ENDPOINT, 0);
    struct tsr_msg m = {0};
    uint64_t badge;
    CHECK_EQ(tsr_nb_send(ep, &m), TSR_E_WOULD_BLOCK);
    CHECK_EQ(tsr_nb_recv(ep, 0, &m, &badge), TSR_E_WOULD_BLOCK);
    return true;
}

static bool rights_and_types(void)
{
    tsr_cptr_t ep = t_new(TSR_OBJ_ENDPOINT, 0), ro = t_slot(), wo = t_slot();
    tsr_cptr_t frame = t_new(TSR_OBJ_FRAME_4K, 0), reply = t_new(TSR_OBJ_REPLY, 0);
    CHECK_OK(tsr_cnode_copy(ROOT, ro, D, ROOT, ep, D, TSR_RIGHT_READ));
    CHECK_OK(tsr_cnode_copy(ROOT, wo, D, ROOT, ep, D, TSR_RIGHT_WRITE));
    struct tsr_msg m = {0};
    uint64_t badge;
    CHECK_EQ(tsr_nb_send(ro, &m), TSR_E_INSUFFICIENT_RIGHTS);
    CHECK_EQ(tsr_nb_recv(wo, 0, &m, &badge), TSR_E_INSUFFICIENT_RIGHTS);
    CHECK_EQ(tsr_nb_recv(frame, 0, &m, &badge), TSR_E_INVALID_CAPABILITY);
    /* The reply-object argument must be a reply object. */
    CHECK_EQ(tsr_nb_recv(ep, frame, &m, &badge), TSR_E_INVALID_CAPABILITY);
    /* A reply object with nobody waiting on it. */
    CHECK_EQ(tsr_send(reply, &m), TSR_E_ILLEGAL_OPERATION);
    /* Empty slot, and a cptr the root CNode's guard rejects. */
    CHECK_EQ(tsr_nb_send(t_slot(), &m), TSR_E_INVALID_CAPABILITY);
    CHECK_EQ(tsr_nb_send(1ull << 62, &m), TSR_E_LOOKUP_FAILED);
    return true;
}

static volatile uint64_t got_word;
static volatile unsigned got_caps;

static void cap_receiver(uint64_t arg)
{
    const struct server_args *a = (const void *)(uintptr_t)arg;
    struct tsr_ipc_buffer *buf = tsr_ipc_buffer();
    buf->receive_cnode = ROOT;
    buf->receive_index = a->rounds; /* the slot to receive into */
    buf->receive_depth = D;
    struct tsr_msg m = {0};
    uint64_t badge;
    tsr_recv(a->ep, 0, &m, &badge);
    got_caps = tsr_msginfo_caps(m.info);
    got_word = m.mr[0];
}

static bool cap_transfer(void)
{
    static struct server_args a;
    tsr_cptr_t ep = t_new(TSR_OBJ_ENDPOINT, 0), ntfn = t_new(TSR_OBJ_NOTIFICATION, 0);
    tsr_cptr_t dest = t_slot(), nogrant = t_slot();
    a = (struct server_args){ep, 0, (unsigned)dest};
    /* With GRANT: the capability arrives in the receiver's slot. */
    got_caps = 99;
    CHECK(t_thread(cap_receiver, (uint64_t)(uintptr_t)&a, 100, 0));
    tsr_ipc_buffer()->caps[0] = ntfn;
    struct tsr_msg m = {.info = tsr_msginfo(0, 1, 1), .mr = {7}};
    CHECK_OK(tsr_send(ep, &m));
    t_yield_to_lower();
    CHECK_EQ(got_caps, 1);
    CHECK_EQ(got_word, 7);
    CHECK_OK(tsr_signal(dest)); /* the received copy works */
    uint64_t bits;
    CHECK_OK(tsr_poll(ntfn, &bits));
    /* Without GRANT: the words arrive, the capability does not. */
    CHECK_OK(tsr_cnode_copy(ROOT, nogrant, D, ROOT, ep, D, TSR_RIGHT_READ | TSR_RIGHT_WRITE));
    CHECK_OK(tsr_cnode_delete(ROOT, dest, D));
    got_caps = 99;
    CHECK(t_thread(cap_receiver, (uint64_t)(uintptr_t)&a, 100, 0));
    m = (struct tsr_msg){.info = tsr_msginfo(0, 1, 1), .mr = {8}};
    CHECK_OK(tsr_send(nogrant, &m));
    t_yield_to_lower();
    CHECK_EQ(got_caps, 0);
    CHECK_EQ(got_word, 8);
    CHECK_EQ(tsr_signal(dest), TSR_E_INVALID_CAPABILITY);
    return true;
}

static void plain_receiver(uint64_t ep)
{
    struct tsr_msg m = {0};
    uint64_t badge;
    tsr_recv(ep, 0, &m, &badge); /* no reply object offered */
}

static bool call_without_reply_object(void)
{
    tsr_cptr_t ep = t_new(TSR_OBJ_ENDPOINT, 0);
    CHECK(t_thread(plain_receiver, ep, 100, 0));
    t_yield_to_lower();
    struct tsr_msg m = {.info = tsr_msginfo(0, 0, 0)};
    CHECK_EQ(tsr_call(ep, &m), TSR_E_ILLEGAL_OPERATION);
    return true;
}

#define NOT_YET 999 /* not an error code: the Recv has not returned */
static volatile int recv_result;

static void blocked_receiver(uint64_t ep)
{
    struct tsr_msg m = {0};
    uint64_t badge;
    recv_result = tsr_recv(ep, 0, &m, &badge);
}

static bool delete_cancels(void)
{
    tsr_cptr_t ep = t_new(TSR_OBJ_ENDPOINT, 0);
    recv_result = NOT_YET;
    CHECK(t_thread(blocked_receiver, ep, 100, 0));
    t_yield_to_lower();
    CHECK_EQ(recv_result, NOT_YET);
    CHECK_OK(tsr_cnode_delete(ROOT, ep, D));
    t_yield_to_lower();
    CHECK_EQ(recv_result, TSR_E_CANCELLED);
    return true;
}

static bool notifications(void)
{
    tsr_cptr_t n = t_new(TSR_OBJ_NOTIFICATION, 0), b1 = t_slot(), b2 = t_slot();
    CHECK_OK(tsr_cnode_mint(ROOT, b1, D, ROOT, n, D, TSR_RIGHTS_ALL, 0x1));
    CHECK_OK(tsr_cnode_mint(ROOT, b2, D, ROOT, n, D, TSR_RIGHTS_ALL, 0x4));
    uint64_t bits = 99;
    CHECK_OK(tsr_poll(n, &bits));
    CHECK_EQ(bits, 0);
    /* Signals accumulate as bits; a wait takes them all at once. */
    for (unsigned i = 0; i < 1000; i++) {
        CHECK_OK(tsr_signal(b1));
        CHECK_OK(tsr_signal(b2));
    }
    CHECK_OK(tsr_wait(n, &bits));
    CHECK_EQ(bits, 0x5);
    CHECK_OK(tsr_poll(n, &bits));
    CHECK_EQ(bits, 0);
    return true;
}

static bool server_many_clients(void)
{
    /* One server, three badged client capabilities, ReplyRecv loop. */
    static struct server_args a;
    a = (struct server_args){t_new(TSR_OBJ_ENDPOINT, 0), t_new(TSR_OBJ_REPLY, 0), 6};
    tsr_cptr_t c[3];
    for (unsigned i = 0; i < 3; i++) {
        c[i] = t_slot();
        CHECK_OK(tsr_cnode_mint(ROOT, c[i], D, ROOT, a.ep, D, TSR_RIGHTS_ALL, 100 + i));
    }
    CHECK(t_thread(adder_server, (uint64_t)(uintptr_t)&a, 100, 0));
    for (unsigned r = 0; r < 6; r++) {
        struct tsr_msg m = {.info = tsr_msginfo(0, 0, 1), .mr = {r}};
        CHECK_OK(tsr_call(c[r % 3], &m));
        CHECK_EQ(m.mr[2], 100 + r % 3);
        CHECK_EQ(m.mr[0], r);
    }
    return true;
}

/* ---- what a receiver learns of each capability (cap_info) ------------------ */

static volatile uint64_t got_info[TSR_MSG_MAX_CAPS], got_badges[TSR_MSG_MAX_CAPS];
#define INFO_UNTOUCHED 0x5eedull /* in cap_info before the receive */

/* Receives one message into slots a->rounds.., recording what the kernel
 * wrote into caps[] and cap_info[]. */
static void info_receiver(uint64_t arg)
{
    const struct server_args *a = (const void *)(uintptr_t)arg;
    struct tsr_ipc_buffer *buf = tsr_ipc_buffer();
    tsr_receive_slots(ROOT, a->rounds, D);
    for (unsigned i = 0; i < TSR_MSG_MAX_CAPS; i++)
        buf->cap_info[i] = INFO_UNTOUCHED;
    struct tsr_msg m = {0};
    uint64_t badge;
    tsr_recv(a->ep, 0, &m, &badge);
    got_caps = tsr_msginfo_caps(m.info);
    for (unsigned i = 0; i < TSR_MSG_MAX_CAPS; i++) {
        got_info[i] = buf->cap_info[i];
        got_badges[i] = buf->caps[i];
    }
}

/* Send caps[0..n) (with cap_info[0..n) as given) to a fresh receiver whose
 * receive slots start at *dest (n new slots). */
static bool send_caps(const tsr_cptr_t *caps, const uint64_t *info, unsigned n, tsr_cptr_t *dest)
{
    static struct server_args a;
    *dest = t_slots(TSR_MSG_MAX_CAPS);
    CHECK(*dest);
    a = (struct server_args){t_new(TSR_OBJ_ENDPOINT, 0), 0, (unsigned)*dest};
    got_caps = 99;
    CHECK(t_thread(info_receiver, (uint64_t)(uintptr_t)&a, 100, 0));
    struct tsr_ipc_buffer *buf = tsr_ipc_buffer();
    for (unsigned i = 0; i < n; i++) {
        buf->caps[i] = caps[i];
        buf->cap_info[i] = info[i];
    }
    struct tsr_msg m = {.info = tsr_msginfo(0, n, 0)};
    tsr_error_t err = tsr_send(a.ep, &m);
    /* The restriction stays in the buffer until changed: later senders
     * of this thread must not inherit it. */
    for (unsigned i = 0; i < n; i++)
        buf->cap_info[i] = 0;
    CHECK_OK(err);
    t_yield_to_lower();
    return true;
}

static bool cap_info_types(void)
{
    /* First: at the region's start the large frame leaves the other 2 MiB
     * for everything else. */
    tsr_cptr_t big = t_new(TSR_OBJ_FRAME_2M, 0);
    tsr_cptr_t ep = t_new(TSR_OBJ_ENDPOINT, 0), ntfn = t_new(TSR_OBJ_NOTIFICATION, 0);
    tsr_cptr_t ep_badged = t_slot(), ntfn_read = t_slot(), dest;
    CHECK_OK(tsr_cnode_mint(ROOT, ep_badged, D, ROOT, ep, D,
                            TSR_RIGHT_WRITE | TSR_RIGHT_GRANT, 0x55));
    CHECK_OK(tsr_cnode_copy(ROOT, ntfn_read, D, ROOT, ntfn, D, TSR_RIGHT_READ));
    tsr_cptr_t first[4] = {ep_badged, ntfn_read, t_new(TSR_OBJ_FRAME_4K, 0),
                           t_new(TSR_OBJ_MSG_QUEUE, TSR_MSG_QUEUE_MIN_BITS)};
    const uint64_t none[4] = {0, 0, 0, 0};
    CHECK(send_caps(first, none, 4, &dest));
    CHECK_EQ(got_caps, 4);
    CHECK_EQ(got_info[0], TSR_CAP_INFO(TSR_OBJ_ENDPOINT, TSR_RIGHT_WRITE | TSR_RIGHT_GRANT));
    CHECK_EQ(got_badges[0], 0x55);
    CHECK_EQ(got_info[1], TSR_CAP_INFO(TSR_OBJ_NOTIFICATION, TSR_RIGHT_READ));
    CHECK_EQ(got_info[2], TSR_CAP_INFO(TSR_OBJ_FRAME_4K, TSR_RIGHTS_ALL));
    CHECK_EQ(got_badges[2], 0);
    CHECK_EQ(got_info[3], TSR_CAP_INFO(TSR_OBJ_MSG_QUEUE, TSR_RIGHTS_ALL));
    /* A large frame and a TCB; an untyped cannot be copied, so the
     * transfer stops there and the kernel says nothing of it. */
    tsr_cptr_t second[3] = {big, t_new(TSR_OBJ_TCB, 0), test_region};
    CHECK(send_caps(second, none, 3, &dest));
    CHECK_EQ(got_caps, 2);
    CHECK_EQ(tsr_cap_info_type(got_info[0]), TSR_OBJ_FRAME_2M);
    CHECK_EQ(got_info[1], TSR_CAP_INFO(TSR_OBJ_TCB, TSR_RIGHTS_ALL));
    CHECK_EQ(got_info[2], INFO_UNTOUCHED);
    return true;
}

static bool cap_info_restrict(void)
{
    tsr_cptr_t ep = t_new(TSR_OBJ_ENDPOINT, 0), ntfn = t_new(TSR_OBJ_NOTIFICATION, 0);
    tsr_cptr_t ntfn_read = t_slot(), dest;
    CHECK_OK(tsr_cnode_copy(ROOT, ntfn_read, D, ROOT, ntfn, D, TSR_RIGHT_READ));
    tsr_cptr_t caps[4] = {ep, ntfn_read, ep, ep};
    const uint64_t info[4] = {
        TSR_CAP_INFO_RESTRICT | TSR_CAP_INFO(0, TSR_RIGHT_WRITE),  /* send-only */
        TSR_CAP_INFO_RESTRICT | TSR_CAP_INFO(0, TSR_RIGHTS_ALL),   /* gains nothing */
        TSR_CAP_INFO(TSR_OBJ_ENDPOINT, TSR_RIGHT_READ),            /* no bit 63: all */
        TSR_CAP_INFO_RESTRICT,                                     /* no rights at all */
    };
    CHECK(send_caps(caps, info, 4, &dest));
    CHECK_EQ(got_caps, 4);
    CHECK_EQ(got_info[0], TSR_CAP_INFO(TSR_OBJ_ENDPOINT, TSR_RIGHT_WRITE));
    CHECK_EQ(got_info[1], TSR_CAP_INFO(TSR_OBJ_NOTIFICATION, TSR_RIGHT_READ));
    CHECK_EQ(got_info[2], TSR_CAP_INFO(TSR_OBJ_ENDPOINT, TSR_RIGHTS_ALL));
    CHECK_EQ(got_info[3], TSR_CAP_INFO(TSR_OBJ_ENDPOINT, 0));
    /* The rights reported are the rights held. */
    struct tsr_msg m = {0};
    uint64_t badge;
    CHECK_EQ(tsr_nb_recv(dest, 0, &m, &badge), TSR_E_INSUFFICIENT_RIGHTS);
    CHECK_EQ(tsr_nb_send(dest, &m), TSR_E_WOULD_BLOCK);
    CHECK_EQ(tsr_nb_recv(dest + 2, 0, &m, &badge), TSR_E_WOULD_BLOCK);
    CHECK_EQ(tsr_nb_send(dest + 3, &m), TSR_E_INSUFFICIENT_RIGHTS);
    return true;
}

/* ---- reply objects: Probe --------------------------------------------------- */

static volatile int probe_call_result;

static void probe_caller(uint64_t ep)
{
    struct tsr_msg m = {.info = tsr_msginfo(1, 0, 0)};
    probe_call_result = tsr_call(ep, &m);
}

static bool reply_probe(void)
{
    tsr_cptr_t ep = t_new(TSR_OBJ_ENDPOINT, 0), reply = t_new(TSR_OBJ_REPLY, 0);
    bool waiting = true;
    CHECK_OK(tsr_reply_probe(reply, &waiting));
    CHECK(!waiting);
    /* A caller waits on it until answered... */
    probe_call_result = NOT_YET;
    CHECK(t_thread(probe_caller, ep, 100, 0));
    t_yield_to_lower();
    struct tsr_msg m = {0};
    uint64_t badge;
    CHECK_OK(tsr_nb_recv(ep, reply, &m, &badge));
    CHECK_OK(tsr_reply_probe(reply, &waiting));
    CHECK(waiting);
    m = (struct tsr_msg){.info = tsr_msginfo(0, 0, 0)};
    CHECK_OK(tsr_send(reply, &m));
    t_yield_to_lower();
    CHECK_EQ(probe_call_result, TSR_OK);
    CHECK_OK(tsr_reply_probe(reply, &waiting));
    CHECK(!waiting);
    /* ...or until its thread goes away. */
    probe_call_result = NOT_YET;
    tsr_cptr_t caller = t_thread(probe_caller, ep, 100, 0);
    CHECK(caller);
    t_yield_to_lower();
    CHECK_OK(tsr_nb_recv(ep, reply, &m, &badge));
    CHECK_OK(tsr_reply_probe(reply, &waiting));
    CHECK(waiting);
    CHECK_OK(tsr_cnode_delete(ROOT, caller, D));
    CHECK_OK(tsr_reply_probe(reply, &waiting));
    CHECK(!waiting);
    m = (struct tsr_msg){.info = tsr_msginfo(0, 0, 0)};
    CHECK_EQ(tsr_send(reply, &m), TSR_E_ILLEGAL_OPERATION);
    /* Probe is the only method, and a method of reply objects only. */
    CHECK_EQ(tsr_invoke(reply, TSR_REPLY_PROBE + 1, 0, 0, 0, 0), TSR_E_ILLEGAL_OPERATION);
    CHECK_EQ(tsr_reply_probe(t_new(TSR_OBJ_FRAME_4K, 0), &waiting), TSR_E_ILLEGAL_OPERATION);
    return true;
}

const struct test ipc_tests[] = {
    {"IPC0001", "Call and ReplyRecv with 14 register words and a badge", call_reply},
    {"IPC0002", "a 120-word message through the IPC buffers", long_message},
    {"IPC0003", "non-blocking send and receive with no partner", nonblocking},
    {"IPC0004", "rights, object types and bad cptrs refused", rights_and_types},
    {"IPC0005", "capability transfer needs GRANT", cap_transfer},
    {"IPC0006", "a Call the receiver cannot answer fails", call_without_reply_object},
    {"IPC0007", "deleting an endpoint cancels its waiters", delete_cancels},
    {"IPC0008", "notification bits accumulate; poll and wait", notifications},
    {"IPC0009", "one server, several badged clients", server_many_clients},
    {"CAPX0001", "received capabilities: type and rights in cap_info, badges in caps",
     cap_info_types},
    {"CAPX0002", "a sender restricts the rights a capability arrives with", cap_info_restrict},
    {"REPLY0001", "Reply Probe: whether a caller waits, answered or gone", reply_probe},
    {0, 0, 0},
};
