/* SPDX-License-Identifier: MIT */
/* Page transfer (IPC paths 4 and 5, kernel/ipc/pages.c) between the root
 * task and a server in its own address space: moved frames leave the
 * sender and land in the receiver's window with no more rights than the
 * sender had; the receiver hands them back (the clean-up protocol); a
 * shared frame stays the sender's, and its Revoke takes the receiver's
 * mapping away, which the receiver then faults on; nothing lands outside
 * the window or without GRANT. */
#include "test.h"

#include "tsr/bulk.h"
#include "tsr/space.h"

/* The server's CNode (radix 5) and address space. */
#define S_EP 2
#define S_REPLY 3
#define S_CNODE 4
#define S_RADIX 5
#define S_RECV 16                /* receive slots 16-19 */
#define SRV_PAGE 0x10000000ull   /* mapped: its page tables serve the window */
#define SRV_WIN 0x10100000ull
#define SRV_WIN_PAGES 4

/* Root side. */
#define ROOT_PAGES 0x58000000ull /* frames we send from */
#define ROOT_WIN 0x58100000ull   /* where they come back */

enum {
    SUM = 1,        /* MR0 = pages to write a marker in; answer MR0 = frames
                       received, MR1 = path bits, then (address, sum) each */
    GIVE_BACK,      /* MR0 = n: unmap the frames in S_RECV.. and move them back */
    TOUCH,          /* read the word at MR0 and answer it */
    WRITE,          /* write MARKER at MR0 and answer */
    WINDOW,         /* MR0 = base, MR1 = size of the receive window */
};
#define MARKER 0x3a3a3a3a3a3a3a3aull

static uint64_t page_sum(uint64_t va)
{
    const volatile uint64_t *w = (const volatile uint64_t *)(uintptr_t)va;
    uint64_t sum = 0;
    for (unsigned i = 0; i < TSR_PAGE_SIZE / 8; i++)
        sum += w[i];
    return sum;
}

static void page_server(uint64_t arg)
{
    (void)arg;
    struct tsr_ipc_buffer *b = tsr_ipc_buffer();
    tsr_receive_slots(S_CNODE, S_RECV, S_RADIX);
    tsr_receive_window(SRV_WIN, SRV_WIN_PAGES * TSR_PAGE_SIZE);
    struct tsr_msg m = {0};
    uint64_t badge;
    tsr_recv(S_EP, S_REPLY, &m, &badge);
    for (;;) {
        uint64_t in = m.info, mr0 = m.mr[0], mr1 = m.mr[1];
        unsigned got = tsr_msginfo_caps(in);
        m = (struct tsr_msg){.info = tsr_msginfo(tsr_msginfo_label(in), 0, 2)};
        switch (tsr_msginfo_label(in)) {
        case SUM:
            m.mr[0] = got;
            m.mr[1] = in & TSR_MSGINFO_PATHS;
            for (unsigned i = 0; i < got; i++) {
                uint64_t va = b->caps[i];
                m.mr[2 + 2 * i] = va;
                m.mr[3 + 2 * i] = page_sum(va);
                if (i < mr0)
                    *(volatile uint64_t *)(uintptr_t)(va + TSR_PAGE_SIZE - 8) = MARKER;
            }
            m.info = tsr_msginfo(SUM, 0, 2 + 2 * got);
            break;
        case GIVE_BACK:
            for (unsigned i = 0; i < mr0; i++) {
                tsr_frame_unmap(S_RECV + i);
                b->caps[i] = S_RECV + i;
            }
            m.info = tsr_msginfo(GIVE_BACK, (unsigned)mr0, 0) | TSR_MSGINFO_MOVE;
            break;
        case TOUCH:
            m.mr[0] = *(volatile uint64_t *)(uintptr_t)mr0;
            break;
        case WRITE:
            *(volatile uint64_t *)(uintptr_t)mr0 = MARKER;
            break;
        case WINDOW:
            tsr_receive_window(mr0, mr1);
            break;
        }
        tsr_reply_recv(S_EP, S_REPLY, &m, &badge);
    }
}

static tsr_cptr_t probe;

struct pages_setup {
    tsr_cptr_t ep;       /* all rights, GRANT and GRANT_REPLY included */
    tsr_cptr_t fault_ep; /* the server's faults */
    tsr_cptr_t frame[4]; /* ours, mapped at ROOT_PAGES + i pages */
};

/* The server waiting, and four frames of ours, frame i filled with
 * i * 1000 + word index; frame 2 mapped read-only. */
static bool setup(struct pages_setup *p)
{
    struct tsr_space s;
    p->ep = t_new(TSR_OBJ_ENDPOINT, 0);
    p->fault_ep = t_new(TSR_OBJ_ENDPOINT, 0);
    tsr_cptr_t reply = t_new(TSR_OBJ_REPLY, 0), page = t_new(TSR_OBJ_FRAME_4K, 0);
    probe = t_new(TSR_OBJ_FRAME_4K, 0);
    CHECK(p->ep && p->fault_ep && reply && page && probe);
    CHECK_OK(tsr_space_create(&s, test_bootinfo, test_region, S_RADIX, t_slot, p->fault_ep));
    CHECK_OK(tsr_space_give(&s, S_EP, p->ep, TSR_RIGHTS_ALL, 0));
    CHECK_OK(tsr_space_give(&s, S_REPLY, reply, TSR_RIGHTS_ALL, 0));
    CHECK_OK(tsr_space_give(&s, S_CNODE, s.cnode, TSR_RIGHTS_ALL, 0));
    CHECK_OK(tsr_space_map(&s, page, SRV_PAGE, TSR_RIGHT_READ | TSR_RIGHT_WRITE, 0, 0));
    CHECK_OK(tsr_space_start(&s, page_server, 0, test_bootinfo->root_priority));
    t_yield_to_lower();

    CHECK_OK(tsr_vm_ensure_tables(TSR_INIT_VSPACE, ROOT_PAGES, 1ull << 21));
    for (unsigned i = 0; i < 4; i++) {
        p->frame[i] = t_new(TSR_OBJ_FRAME_4K, 0);
        CHECK(p->frame[i]);
        uint64_t va = ROOT_PAGES + i * TSR_PAGE_SIZE;
        CHECK_OK(tsr_vm_map(p->frame[i], TSR_INIT_VSPACE, va, TSR_RIGHT_READ | TSR_RIGHT_WRITE, 0));
        uint64_t *w = (uint64_t *)(uintptr_t)va;
        for (unsigned k = 0; k < TSR_PAGE_SIZE / 8; k++)
            w[k] = i * 1000 + k;
        if (i == 2) { /* read-only from now on */
            CHECK_OK(tsr_frame_unmap(p->frame[i]));
            CHECK_OK(tsr_vm_map(p->frame[i], TSR_INIT_VSPACE, va, TSR_RIGHT_READ, 0));
        }
    }
    return true;
}

static uint64_t expected_sum(unsigned i)
{
    uint64_t n = TSR_PAGE_SIZE / 8;
    return n * i * 1000 + n * (n - 1) / 2;
}

/* Call SUM naming frames[0..n) with `paths`; the answer in *m. */
static bool send_frames(tsr_cptr_t ep, const tsr_cptr_t *frames, unsigned n, uint64_t paths,
                        uint64_t markers, struct tsr_msg *m)
{
    for (unsigned i = 0; i < n; i++)
        tsr_ipc_buffer()->caps[i] = frames[i];
    *m = (struct tsr_msg){.info = tsr_msginfo(SUM, n, 1) | paths, .mr = {markers}};
    CHECK_OK(tsr_call(ep, m));
    return true;
}

static bool call_word(tsr_cptr_t ep, unsigned label, uint64_t a, uint64_t b, uint64_t *answer)
{
    struct tsr_msg m = {.info = tsr_msginfo(label, 0, 2), .mr = {a, b}};
    CHECK_OK(tsr_call(ep, &m));
    if (answer)
        *answer = m.mr[0];
    return true;
}

/* The server touches va (a Send: we are free to take its fault report),
 * which must be a VM fault at va. */
static bool server_faults_at(const struct pages_setup *p, unsigned label, uint64_t va)
{
    struct tsr_msg m = {.info = tsr_msginfo(label, 0, 1), .mr = {va}};
    CHECK_OK(tsr_send(p->ep, &m));
    tsr_cptr_t reply = t_new(TSR_OBJ_REPLY, 0);
    uint64_t badge;
    m = (struct tsr_msg){0};
    CHECK_OK(tsr_recv(p->fault_ep, reply, &m, &badge));
    CHECK_EQ(tsr_msginfo_label(m.info), TSR_FAULT_VM);
    CHECK_EQ(m.mr[1], va);
    return true;
}

/* Whether something is mapped at va in our address space: a probe frame
 * maps there only if nothing does. */
/* (probe: a frame setup() makes, which goes with the test's region) */
static bool mapped_at(uint64_t va)
{
    tsr_error_t err = tsr_frame_map(probe, TSR_INIT_VSPACE, va, TSR_RIGHT_READ, 0);
    if (err == TSR_OK)
        tsr_frame_unmap(probe);
    return err == TSR_E_ALREADY_MAPPED;
}

static bool move_pages(void)
{
    struct pages_setup p;
    CHECK(setup(&p));
    struct tsr_msg m;
    CHECK(send_frames(p.ep, p.frame, 3, TSR_MSGINFO_MOVE, 2, &m));
    CHECK_EQ(m.mr[0], 3);
    CHECK_EQ(m.mr[1], TSR_MSGINFO_MOVE);
    for (unsigned i = 0; i < 3; i++) {
        CHECK_EQ(m.mr[2 + 2 * i], SRV_WIN + i * TSR_PAGE_SIZE); /* one after another */
        CHECK_EQ(m.mr[3 + 2 * i], expected_sum(i));
        /* Gone from us: the capability and the mapping. */
        uint64_t pa;
        CHECK_EQ(tsr_frame_get_address(p.frame[i], &pa), TSR_E_INVALID_CAPABILITY);
        CHECK(!mapped_at(ROOT_PAGES + i * TSR_PAGE_SIZE));
    }
    CHECK(mapped_at(ROOT_PAGES + 3 * TSR_PAGE_SIZE));
    /* Frame 2 was read-only to us: it is read-only to the server too. */
    CHECK(server_faults_at(&p, WRITE, SRV_WIN + 2 * TSR_PAGE_SIZE));
    return true;
}

/* The clean-up protocol: the receiver unmaps the frames and moves them
 * back; they arrive in our window with what it wrote. */
static bool move_and_give_back(void)
{
    struct pages_setup p;
    CHECK(setup(&p));
    uint64_t pa[2];
    for (unsigned i = 0; i < 2; i++)
        CHECK_OK(tsr_frame_get_address(p.frame[i], &pa[i]));
    struct tsr_msg m;
    CHECK(send_frames(p.ep, p.frame, 2, TSR_MSGINFO_MOVE, 2, &m));
    CHECK_EQ(m.mr[0], 2);
    tsr_cptr_t back = t_slots(2);
    CHECK(back);
    tsr_receive_slots(ROOT, back, D);
    tsr_receive_window(ROOT_WIN, 2 * TSR_PAGE_SIZE);
    m = (struct tsr_msg){.info = tsr_msginfo(GIVE_BACK, 0, 1), .mr = {2}};
    CHECK_OK(tsr_call(p.ep, &m));
    CHECK_EQ(tsr_msginfo_caps(m.info), 2);
    CHECK(m.info & TSR_MSGINFO_MOVE);
    for (unsigned i = 0; i < 2; i++) {
        uint64_t va = ROOT_WIN + i * TSR_PAGE_SIZE, got;
        CHECK_EQ(tsr_ipc_buffer()->caps[i], va);
        CHECK_EQ(tsr_ipc_buffer()->cap_info[i], TSR_CAP_INFO(TSR_OBJ_FRAME_4K, TSR_RIGHTS_ALL));
        CHECK_OK(tsr_frame_get_address(back + i, &got));
        CHECK_EQ(got, pa[i]); /* the same frames */
        const uint64_t *w = (const uint64_t *)(uintptr_t)va;
        CHECK_EQ(w[0], i * 1000);
        CHECK_EQ(w[TSR_PAGE_SIZE / 8 - 1], MARKER);
    }
    /* The server's window is free again: a new move lands at its start. */
    CHECK(send_frames(p.ep, &p.frame[3], 1, TSR_MSGINFO_MOVE, 0, &m));
    CHECK_EQ(m.mr[0], 1);
    CHECK_EQ(m.mr[2], SRV_WIN);
    /* Freeing: delete the capabilities (the memory is the untyped's again
     * when it is revoked). */
    for (unsigned i = 0; i < 2; i++)
        CHECK_OK(tsr_cnode_delete(ROOT, back + i, D));
    CHECK(!mapped_at(ROOT_WIN));
    tsr_receive_slots(0, 0, 0);
    tsr_receive_window(0, 0);
    return true;
}

/* Share: we keep the frame and its mapping; the server sees our writes;
 * our Revoke takes its mapping, and its next touch is a VM fault. */
static bool share_and_revoke(void)
{
    struct pages_setup p;
    CHECK(setup(&p));
    struct tsr_msg m;
    CHECK(send_frames(p.ep, p.frame, 1, TSR_MSGINFO_SHARE, 0, &m));
    CHECK_EQ(m.mr[0], 1);
    CHECK_EQ(m.mr[1], TSR_MSGINFO_SHARE);
    CHECK_EQ(m.mr[3], expected_sum(0));
    uint64_t pa, word;
    CHECK_OK(tsr_frame_get_address(p.frame[0], &pa));
    CHECK(mapped_at(ROOT_PAGES));
    volatile uint64_t *ours = (volatile uint64_t *)(uintptr_t)ROOT_PAGES;
    ours[5] = 0x5ca1ab1e;
    CHECK(call_word(p.ep, TOUCH, SRV_WIN + 5 * 8, 0, &word));
    CHECK_EQ(word, 0x5ca1ab1e);
    CHECK_OK(tsr_cnode_revoke(ROOT, p.frame[0], D));
    CHECK_EQ(ours[5], 0x5ca1ab1e); /* ours stays */
    CHECK(server_faults_at(&p, TOUCH, SRV_WIN + 5 * 8));
    return true;
}

/* Nothing lands outside the window, or without GRANT; what does not fit
 * stays with the sender. */
static bool window_limits(void)
{
    struct pages_setup p;
    CHECK(setup(&p));
    struct tsr_msg m;
    /* Room for one page: the second frame stays ours, mapped. */
    CHECK(call_word(p.ep, WINDOW, SRV_WIN, TSR_PAGE_SIZE, 0));
    CHECK(send_frames(p.ep, p.frame, 2, TSR_MSGINFO_MOVE, 0, &m));
    CHECK_EQ(m.mr[0], 1);
    CHECK(mapped_at(ROOT_PAGES + TSR_PAGE_SIZE));
    /* A window over a page the server has mapped: nothing. */
    CHECK(call_word(p.ep, WINDOW, SRV_PAGE, TSR_PAGE_SIZE, 0));
    CHECK(send_frames(p.ep, &p.frame[1], 1, TSR_MSGINFO_SHARE, 0, &m));
    CHECK_EQ(m.mr[0], 0);
    /* A window past the end of the address range; none at all. */
    CHECK(call_word(p.ep, WINDOW, (1ull << 48) - TSR_PAGE_SIZE, 2 * TSR_PAGE_SIZE, 0));
    CHECK(send_frames(p.ep, &p.frame[1], 1, TSR_MSGINFO_MOVE, 0, &m));
    CHECK_EQ(m.mr[0], 0);
    CHECK(call_word(p.ep, WINDOW, SRV_WIN + TSR_PAGE_SIZE, 0, 0));
    CHECK(send_frames(p.ep, &p.frame[1], 1, TSR_MSGINFO_MOVE, 0, &m));
    CHECK_EQ(m.mr[0], 0);
    /* A receive slot already full (the first move's frame is in it). */
    CHECK(call_word(p.ep, WINDOW, SRV_WIN + TSR_PAGE_SIZE, TSR_PAGE_SIZE, 0));
    CHECK(send_frames(p.ep, &p.frame[1], 1, TSR_MSGINFO_MOVE, 0, &m));
    CHECK_EQ(m.mr[0], 0);
    /* Not a frame. */
    tsr_cptr_t back = t_slot();
    tsr_receive_slots(ROOT, back, D);
    tsr_receive_window(ROOT_WIN, TSR_PAGE_SIZE);
    CHECK(call_word(p.ep, GIVE_BACK, 1, 0, 0)); /* empties the slot */
    CHECK_EQ(tsr_ipc_buffer()->caps[0], ROOT_WIN);
    tsr_receive_slots(0, 0, 0);
    tsr_receive_window(0, 0);
    CHECK(send_frames(p.ep, &p.ep, 1, TSR_MSGINFO_MOVE, 0, &m));
    CHECK_EQ(m.mr[0], 0);
    /* Without GRANT the message arrives and the frame stays. */
    tsr_cptr_t plain = t_slot();
    CHECK_OK(tsr_cnode_copy(ROOT, plain, D, ROOT, p.ep, D, TSR_RIGHT_READ | TSR_RIGHT_WRITE));
    CHECK(send_frames(plain, &p.frame[1], 1, TSR_MSGINFO_MOVE, 0, &m));
    CHECK_EQ(m.mr[0], 0);
    CHECK(mapped_at(ROOT_PAGES + TSR_PAGE_SIZE));
    /* And with it, the same frame moves. */
    CHECK(send_frames(p.ep, &p.frame[1], 1, TSR_MSGINFO_MOVE, 0, &m));
    CHECK_EQ(m.mr[0], 1);
    CHECK_EQ(m.mr[2], SRV_WIN + TSR_PAGE_SIZE);
    CHECK(!mapped_at(ROOT_PAGES + TSR_PAGE_SIZE));
    return true;
}

const struct test pages_tests[] = {
    {"PAGE0001", "page move: frames leave the sender, land in the window, rights kept", move_pages},
    {"PAGE0002", "clean-up: the receiver unmaps and moves the frames back", move_and_give_back},
    {"PAGE0003", "page share: writes seen; revoke unmaps, the receiver faults", share_and_revoke},
    {"PAGE0004", "nothing outside the window or without GRANT; the rest stays", window_limits},
    {0, 0, 0},
};
