/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The bundled host driver (host-driver/) against the model core, in
 * process: the SRO executor through donations of every shape, partial
 * consumption, cancel and resume, and range delegation through yields.
 * Every test ends with the allocator balanced against what the RMM still
 * holds, no SRO context live and rmm_core_check() clean; the core's
 * invariants are also checked after every single call.
 *
 * A small scripted RMM stands in for the core where the core is too well
 * behaved: granule-level partial consumption of a block, BUSY/BLOCKED
 * storms, endless INCOMPLETE, bogus reclaim lists.
 */
#include "host-driver-fx.h"

static void activate_ok(HdFx *f);

/* ---- basic commands ---- */

static void test_version_features(void)
{
    HdFx f;

    fx_config(&f);
    fx_start(&f);

    g_assert_cmpint(rmi_check_version(), ==, 0);
    for (unsigned long i = 0; i < RMI_FEAT_REG_COUNT; i++) {
        unsigned long val = ~0UL;

        g_assert_cmpuint(rmi_features(i, &val), ==, RMI_SUCCESS);
        g_assert_cmpuint(val, ==, f.cfg.feat[i]);
    }
    g_assert_true(FIELD_GET(RMI_FEATURE_REGISTER_1_RMI_GRAN_SZ_4KB,
                            f.cfg.feat[1]));
    fx_stop(&f);
}

static void test_config(void)
{
    struct rmm_config *config;
    phys_addr_t page;
    HdFx f;

    fx_config(&f);
    fx_start(&f);

    page = rmi_alloc(&f.pool.allocator, PAGE_SIZE, PAGE_SIZE);
    g_assert_cmpuint(page, !=, RMI_PHYS_INVALID);
    config = simmem_ptr(f.mem, page, PAGE_SIZE);
    memset(config, 0, sizeof(*config));
    config->rmi_granule_size = RMI_GRANULE_SIZE_4KB;
    g_assert_cmpuint(rmi_rmm_config_set(page), ==, RMI_SUCCESS);

    /* The configuration reads back once the RMM is active. */
    g_assert_cmpuint(rmi_rmm_config_get(page), ==, RMI_ERROR_GLOBAL);
    activate_ok(&f);
    memset(config, 0xa5, sizeof(*config));
    g_assert_cmpuint(rmi_rmm_config_get(page), ==, RMI_SUCCESS);
    g_assert_cmpuint(config->rmi_granule_size, ==, RMI_GRANULE_SIZE_4KB);
    g_assert_cmpuint(config->tracking_region_size, ==, 0);

    /* Once active, the configuration is fixed. */
    g_assert_cmpuint(rmi_rmm_config_set(page), ==, RMI_ERROR_GLOBAL);
    g_assert_cmpint(rmi_free(&f.pool.allocator, page, PAGE_SIZE), ==, 0);
    fx_stop(&f);
}

/* ---- RMM_ACTIVATE through the SRO executor ---- */

static unsigned long donate_req(unsigned int size, unsigned long count,
                                bool contig, unsigned long state)
{
    return rmi_donate_req(size, count, contig, state);
}

static void activate_ok(HdFx *f)
{
    g_assert_cmpint(rmi_rmm_activate(&f->sro), ==, 0);
    g_assert_false(rmi_sro_pending(&f->sro));
    g_assert_cmpuint(census(f).rmm_state, ==, RMM_STATE_ACTIVE);
}

static void test_activate_plain(void)
{
    HdFx f;

    fx_config(&f);
    fx_start(&f);
    activate_ok(&f);
    g_assert_cmpuint(f.sro.stats.steps, ==, 0);
    g_assert_cmpuint(f.pool.allocator.nr_allocs, ==, 0);
    fx_stop(&f);
}

typedef struct DonateShape {
    const char *name;
    unsigned int size;
    unsigned long count;
    bool contig;
    unsigned long state;
    unsigned long consume_limit;
    bool bet3;
} DonateShape;

#define SHAPE(n, sz, cnt, ctg, st, ...) \
    { .name = (n), .size = (sz), .count = (cnt), .contig = (ctg), \
      .state = (st), __VA_ARGS__ }

/*
 * RMM_ACTIVATE can only be given Non-secure memory: delegation needs an
 * active RMM.  (A request for delegated memory is cancelled, see
 * test_activate_delegated_request().)
 */
static const DonateShape shapes[] = {
    SHAPE("l3-noncontig", RMI_PAGE_L3, 8, false, RMI_OP_MEM_UNDELEGATED),
    SHAPE("l3-noncontig-1500", RMI_PAGE_L3, 1500, false,
          RMI_OP_MEM_UNDELEGATED),
    SHAPE("l3-contig", RMI_PAGE_L3, 16, true, RMI_OP_MEM_UNDELEGATED),
    SHAPE("l3-contig-odd", RMI_PAGE_L3, 3, true, RMI_OP_MEM_UNDELEGATED),
    SHAPE("l2-noncontig", RMI_BLOCK_L2, 3, false, RMI_OP_MEM_UNDELEGATED),
    SHAPE("l2-contig", RMI_BLOCK_L2, 2, true, RMI_OP_MEM_UNDELEGATED),
    SHAPE("l3-partial", RMI_PAGE_L3, 10, false, RMI_OP_MEM_UNDELEGATED,
          .consume_limit = 3),
    SHAPE("l3-partial-by-one", RMI_PAGE_L3, 7, false,
          RMI_OP_MEM_UNDELEGATED, .consume_limit = 1),
    SHAPE("l2-partial", RMI_BLOCK_L2, 3, false, RMI_OP_MEM_UNDELEGATED,
          .consume_limit = 512),
    SHAPE("l2-contig-partial-limit", RMI_BLOCK_L2, 2, true,
          RMI_OP_MEM_UNDELEGATED, .consume_limit = 1),
    SHAPE("bet3-l3-undelegated", RMI_PAGE_L3, 6, false,
          RMI_OP_MEM_UNDELEGATED, .bet3 = true),
    SHAPE("bet3-l3-conditional", RMI_PAGE_L3, 6, false,
          RMI_OP_MEM_CONDITIONAL, .consume_limit = 2, .bet3 = true),
    SHAPE("bet3-l2-contig", RMI_BLOCK_L2, 1, true, RMI_OP_MEM_UNDELEGATED,
          .bet3 = true),
};

static void test_activate_shape(gconstpointer data)
{
    const DonateShape *s = data;
    unsigned long bytes = s->count * rmi_block_size(s->size);
    struct rmi_conduit bet = { .abi = s->bet3 ? RMI_ABI_BET3 : RMI_ABI_BET1 };
    HdFx f;

    fx_config(&f);
    if (s->bet3) {
        f.cfg.profile = RMM_PROFILE_BET3;
    }
    /* rmi_donate_req() encodes for the ABI of the current conduit. */
    rmi_set_conduit(&bet);
    f.cfg.activate_donate_req = donate_req(s->size, s->count, s->contig,
                                           s->state);
    f.cfg.donate_consume_limit = s->consume_limit;
    fx_start(&f);

    activate_ok(&f);
    g_assert_cmpuint(census(&f).granules[RMM_GRANULE_INTERNAL], ==,
                     bytes >> PAGE_SHIFT);
    g_assert_cmpuint(f.sro.stats.donated_bytes, ==, bytes);
    g_assert_cmpuint(f.sro.stats.cancels, ==, 0);
    if (s->consume_limit && s->consume_limit < bytes >> PAGE_SHIFT &&
        !s->contig) {
        g_assert_cmpuint(f.sro.stats.donates, >, 1);
        /* What one step did not take was offered again, not leaked. */
        g_assert_cmpuint(f.sro.stats.cached_reuse_bytes, >, 0);
    }
    /* Nothing beyond the donation and the list page was allocated. */
    g_assert_cmpuint(f.pool.allocator.peak_bytes, ==, bytes + PAGE_SIZE);
    fx_stop(&f);
}

/*
 * Memory for 3 of 8 granules: donate them, fail the rest, cancel, take
 * them back, finish with the command's error.  Then the allocate-outside-
 * the-lock retry: prefill the cache with everything allowed, restart, and
 * the second run allocates nothing.
 */
static void test_activate_cancel_and_retry(void)
{
    unsigned long allocs;
    HdFx f;

    fx_config_donating(&f, RMI_PAGE_L3, 8, false, RMI_OP_MEM_UNDELEGATED);
    fx_start(&f);

    f.alloc_limit = PAGE_SIZE + 3 * PAGE_SIZE;
    g_assert_cmpint(rmi_rmm_activate(&f.sro), ==, -ECANCELED);
    g_assert_false(rmi_sro_pending(&f.sro));
    g_assert_cmpuint(RMI_RETURN_STATUS(f.sro.regs.a0), ==, RMI_ERROR_GLOBAL);
    g_assert_cmpuint(f.sro.stats.cancels, ==, 1);
    g_assert_cmpuint(f.sro.stats.donated_bytes, ==, 3 * PAGE_SIZE);
    g_assert_cmpuint(f.sro.stats.reclaimed_bytes, ==, 3 * PAGE_SIZE);
    g_assert_cmpuint(census(&f).rmm_state, ==, RMM_STATE_INIT);
    g_assert_cmpuint(census(&f).granules[RMM_GRANULE_INTERNAL], ==, 0);
    g_assert_cmpuint(census(&f).granules[RMM_GRANULE_DELEGATED], ==, 0);
    g_assert_cmpuint(f.pool.allocator.allocated_bytes, ==, PAGE_SIZE);

    f.alloc_limit = 0;
    g_assert_cmpint(rmi_sro_restart(&f.sro), ==, 0);
    g_assert_cmpint(rmi_sro_prefill(&f.sro, f.sro.first_donate_req), ==, 0);
    g_assert_cmpuint(rmi_sro_cached_bytes(&f.sro), ==, 8 * PAGE_SIZE);
    allocs = f.pool.allocator.nr_allocs;
    g_assert_cmpint(rmi_sro_execute(&f.sro), ==, 0);
    g_assert_cmpuint(f.pool.allocator.nr_allocs, ==, allocs);
    g_assert_cmpuint(census(&f).rmm_state, ==, RMM_STATE_ACTIVE);
    g_assert_cmpuint(census(&f).granules[RMM_GRANULE_INTERNAL], ==, 8);
    fx_stop(&f);
}

/* No memory at all, not even for the list: cancel before any donation. */
static void test_activate_cancel_nothing(void)
{
    HdFx f;

    fx_config_donating(&f, RMI_BLOCK_L2, 1, true, RMI_OP_MEM_UNDELEGATED);
    fx_start(&f);

    f.alloc_limit = PAGE_SIZE / 2;
    g_assert_cmpint(rmi_rmm_activate(&f.sro), ==, -ECANCELED);
    g_assert_cmpuint(f.sro.stats.donates, ==, 0);
    g_assert_cmpuint(census(&f).rmm_state, ==, RMM_STATE_INIT);
    g_assert_cmpuint(f.pool.allocator.allocated_bytes, ==, 0);
    fx_stop(&f);
}

/*
 * A step that cannot be cancelled and cannot be served: the error comes
 * back with the operation still pending and resumable.
 */
static void test_activate_cannot_cancel(void)
{
    HdFx f;

    fx_config_donating(&f, RMI_PAGE_L3, 4, false, RMI_OP_MEM_UNDELEGATED);
    f.cfg.activate_cannot_cancel = true;
    fx_start(&f);

    f.alloc_limit = PAGE_SIZE + PAGE_SIZE;
    g_assert_cmpint(rmi_rmm_activate(&f.sro), ==, -ENOMEM);
    g_assert_true(rmi_sro_pending(&f.sro));
    g_assert_cmpuint(f.sro.stats.cancels, ==, 0);
    g_assert_cmpuint(census(&f).rmm_state, ==, RMM_STATE_INTERMEDIATE);
    g_assert_cmpuint(census(&f).sro_live, ==, 1);
    g_assert_cmpint(rmi_sro_restart(&f.sro), ==, -EBUSY);

    /* More memory later: resume where it stopped. */
    f.alloc_limit = 0;
    g_assert_cmpint(rmi_sro_execute(&f.sro), ==, 0);
    g_assert_false(rmi_sro_pending(&f.sro));
    g_assert_cmpuint(census(&f).rmm_state, ==, RMM_STATE_ACTIVE);
    g_assert_cmpuint(census(&f).granules[RMM_GRANULE_INTERNAL], ==, 4);
    fx_stop(&f);
}

/*
 * Delegated memory cannot be had before the RMM is active (delegation
 * fails with ERROR_GLOBAL): the executor cancels, takes nothing back that
 * it did not give, and the RMM returns to INIT.
 */
static void test_activate_delegated_request(void)
{
    HdFx f;

    fx_config_donating(&f, RMI_PAGE_L3, 4, false, RMI_OP_MEM_DELEGATED);
    fx_start(&f);

    g_assert_cmpint(rmi_rmm_activate(&f.sro), ==, -ECANCELED);
    g_assert_cmpuint(f.sro.stats.cancels, ==, 1);
    g_assert_cmpuint(f.sro.stats.donates, ==, 0);
    g_assert_cmpuint(census(&f).rmm_state, ==, RMM_STATE_INIT);
    g_assert_cmpuint(printk_count, >, 0);
    fx_stop(&f);
}

static void test_activate_twice_refused(void)
{
    HdFx f;

    fx_config(&f);
    fx_start(&f);
    activate_ok(&f);
    g_assert_cmpint(rmi_rmm_activate(&f.sro), ==, -EPERM);
    g_assert_cmpuint(f.sro.regs.a0, ==, RMI_ERROR_GLOBAL);
    fx_stop(&f);
}

/* ---- range delegation ---- */

static void test_delegate_yield(gconstpointer data)
{
    unsigned long k = GPOINTER_TO_UINT(data);
    struct rmi_conduit *c;
    phys_addr_t mem, top = 0;
    unsigned long calls;
    HdFx f;

    fx_config(&f);
    f.cfg.delegate_yield_every = k;
    fx_start(&f);
    activate_ok(&f);
    c = rmi_get_conduit();

    mem = rmi_alloc(&f.pool.allocator, SZ_4M, PAGE_SIZE);
    g_assert_cmpuint(mem, !=, RMI_PHYS_INVALID);

    calls = c->calls;
    g_assert_cmpint(rmi_delegate_range(mem, SZ_4M, &top), ==, 0);
    g_assert_cmpuint(top, ==, mem + SZ_4M);
    assert_range_state(&f, mem, SZ_4M, RMM_GRANULE_DELEGATED);
    if (k) {
        g_assert_cmpuint(c->calls - calls, ==, DIV_ROUND_UP(1024, k));
    }

    g_assert_cmpint(rmi_undelegate_range(mem, SZ_4M, &top), ==, 0);
    g_assert_cmpuint(top, ==, mem + SZ_4M);
    assert_range_state(&f, mem, SZ_4M, RMM_GRANULE_UNDELEGATED);
    g_assert_cmpint(rmi_free(&f.pool.allocator, mem, SZ_4M), ==, 0);
    fx_stop(&f);
}

/*
 * A granule in the middle is already delegated: delegation stops there
 * with the top it reached, and undoing touches that prefix only.
 */
static void test_delegate_partial(void)
{
    phys_addr_t mem, top = 0, hole;
    HdFx f;

    fx_config(&f);
    f.cfg.delegate_yield_every = 7;
    fx_start(&f);
    activate_ok(&f);

    mem = rmi_alloc(&f.pool.allocator, 64 * PAGE_SIZE, PAGE_SIZE);
    hole = mem + 40 * PAGE_SIZE;
    g_assert_cmpint(rmi_delegate_range(hole, PAGE_SIZE, NULL), ==, 0);

    g_assert_cmpint(rmi_delegate_range(mem, 64 * PAGE_SIZE, &top), ==,
                    -EINVAL);
    g_assert_cmpuint(top, ==, hole);
    assert_range_state(&f, mem, hole - mem, RMM_GRANULE_DELEGATED);

    g_assert_cmpint(rmi_undelegate_range(mem, top - mem, &top), ==, 0);
    g_assert_cmpuint(top, ==, hole);
    assert_range_state(&f, hole, PAGE_SIZE, RMM_GRANULE_DELEGATED);
    assert_range_state(&f, mem, hole - mem, RMM_GRANULE_UNDELEGATED);

    g_assert_cmpint(rmi_undelegate_range(hole, PAGE_SIZE, NULL), ==, 0);
    g_assert_cmpint(rmi_free(&f.pool.allocator, mem, 64 * PAGE_SIZE), ==, 0);
    fx_stop(&f);
}

static void test_delegate_errors(void)
{
    phys_addr_t top = 1;
    HdFx f;

    fx_config(&f);
    fx_start(&f);

    /* RMM not active yet */
    g_assert_cmpint(rmi_delegate_range(POOL_BASE, PAGE_SIZE, &top), ==,
                    -EPERM);
    g_assert_cmpuint(top, ==, POOL_BASE);
    activate_ok(&f);

    /* no memory there: ERROR_INPUT */
    g_assert_cmpint(rmi_delegate_range(0x100000000000ULL, PAGE_SIZE, &top),
                    ==, -EINVAL);
    g_assert_cmpuint(top, ==, 0x100000000000ULL);

    /* misaligned: refused before any call */
    g_assert_cmpint(rmi_delegate_range(POOL_BASE + 1, PAGE_SIZE, &top), ==,
                    -EINVAL);

    /* nothing to do is done */
    g_assert_cmpint(rmi_delegate_range(POOL_BASE, 0, &top), ==, 0);
    g_assert_cmpuint(top, ==, POOL_BASE);
    fx_stop(&f);
}

/* ---- the mailbox conduit, over an in-process mailbox ---- */

typedef struct FakeMailbox {
    RmmCore *rmm;
    uint64_t x[RMM_NR_REGS];
    unsigned long doorbells;
} FakeMailbox;

#define MBOX_BASE 0x090c0000ULL

static u64 mbox_read64(void *opaque, u64 addr)
{
    FakeMailbox *mb = opaque;

    g_assert_cmpuint(addr, >=, MBOX_BASE);
    g_assert_cmpuint(addr, <, MBOX_BASE + 8 * RMM_NR_REGS);
    return mb->x[(addr - MBOX_BASE) / 8];
}

static void mbox_write64(void *opaque, u64 addr, u64 val)
{
    FakeMailbox *mb = opaque;

    if (addr == MBOX_BASE + RMI_MAILBOX_DOORBELL) {
        g_assert_cmpuint(val, ==, 1);
        mb->doorbells++;
        rmm_core_call(mb->rmm, mb->x);
        return;
    }
    g_assert_cmpuint(addr, <, MBOX_BASE + 8 * RMM_NR_REGS);
    mb->x[(addr - MBOX_BASE) / 8] = val;
}

static void test_mailbox(void)
{
    struct rmi_mailbox_conduit mbox;
    FakeMailbox mb = { 0 };
    phys_addr_t mem;
    HdFx f;

    fx_config_donating(&f, RMI_PAGE_L3, 4, false, RMI_OP_MEM_UNDELEGATED);
    f.cfg.delegate_yield_every = 16;
    fx_start(&f);

    mb.rmm = f.rmm;
    rmi_mailbox_conduit_init(&mbox, MBOX_BASE, mbox_read64, mbox_write64,
                             &mb);
    rmi_set_conduit(&mbox.conduit);

    g_assert_cmpint(rmi_check_version(), ==, 0);
    activate_ok(&f);
    mem = rmi_alloc(&f.pool.allocator, SZ_1M, PAGE_SIZE);
    g_assert_cmpint(rmi_delegate_range(mem, SZ_1M, NULL), ==, 0);
    g_assert_cmpint(rmi_undelegate_range(mem, SZ_1M, NULL), ==, 0);
    g_assert_cmpint(rmi_free(&f.pool.allocator, mem, SZ_1M), ==, 0);
    g_assert_cmpuint(mb.doorbells, ==, mbox.conduit.calls);
    g_assert_cmpuint(mbox.conduit.incomplete, >, 0);

    rmi_set_conduit(&f.inproc.conduit);
    fx_stop(&f);
}

/* ---- a scripted RMM for what the model core will not do ---- */

typedef struct Scripted {
    struct rmi_conduit conduit;
    SimMem *mem;
    GHashTable *delegated;      /* granule PA -> TRUE */
    GHashTable *donated;        /* granule PA -> TRUE (INTERNAL) */
    unsigned long answer;       /* fixed X0 for every call, if non-zero */
    bool endless;               /* delegation never completes */
    unsigned long donate_req;   /* RMM_ACTIVATE asks for this */
    unsigned long consume;      /* granules per OP_MEM_DONATE */
    unsigned long remaining;    /* granules still wanted */
    unsigned long over_report;  /* added to donated_count */
    bool can_cancel;
    bool cancelled;
    bool bogus_reclaim;         /* reclaim lists memory never donated */
    bool open;
} Scripted;

#define SCRIPTED_HANDLE 0x77

static u64 scripted_read(Scripted *s, phys_addr_t pa)
{
    u64 val;

    memcpy(&val, simmem_ptr(s->mem, pa, 8), 8);
    return val;
}

static void scripted_range(Scripted *s, struct arm_smccc_1_2_regs *r,
                           bool delegate)
{
    phys_addr_t pa;

    if (s->endless) {
        r->a1 = SCRIPTED_HANDLE;
        r->a0 = RMI_INCOMPLETE;
        return;
    }
    for (pa = r->a1; pa < r->a2; pa += PAGE_SIZE) {
        gpointer key = GSIZE_TO_POINTER(pa);

        if (g_hash_table_contains(s->delegated, key) == delegate) {
            break;
        }
        if (delegate) {
            g_hash_table_add(s->delegated, key);
        } else {
            g_hash_table_remove(s->delegated, key);
        }
    }
    r->a0 = pa == r->a1 ? RMI_ERROR_INPUT : RMI_SUCCESS;
    r->a1 = pa;
}

/* Consume granule by granule, splitting blocks; check the claimed state. */
static void scripted_donate(Scripted *s, struct arm_smccc_1_2_regs *r)
{
    unsigned long budget = MIN(s->consume, s->remaining), used = 0;

    for (unsigned long i = 0; i < r->a3 && used < budget; i++) {
        u64 desc = scripted_read(s, r->a2 + 8 * i);
        phys_addr_t pa = desc & RMI_ADDR_RANGE_ADDR_MASK;
        unsigned long n = FIELD_GET(RMI_ADDR_RANGE_COUNT_MASK, desc) *
                          (rmi_block_size(desc & 3) >> PAGE_SHIFT);
        bool del = rmi_addr_range_state(desc) == RMI_OP_MEM_DELEGATED;

        for (; n && used < budget; n--, used++, pa += PAGE_SIZE) {
            gpointer key = GSIZE_TO_POINTER(pa);

            g_assert_cmpint(g_hash_table_contains(s->delegated, key), ==,
                            del);
            g_assert_false(g_hash_table_contains(s->donated, key));
            g_hash_table_add(s->donated, key);
            g_hash_table_remove(s->delegated, key);
        }
    }
    s->remaining -= used;
    r->a1 = used + s->over_report;
    r->a2 = rmi_donate_req(RMI_PAGE_L3, s->remaining, false,
                           RMI_OP_MEM_DELEGATED);
    r->a0 = RMI_INCOMPLETE | (s->can_cancel ? RMI_RESULT_CAN_CANCEL : 0) |
            FIELD_PREP(RMI_RESULT_MEMREQ_MASK, s->remaining ?
                       RMI_OP_MEM_REQ_DONATE : RMI_OP_MEM_REQ_NONE);
}

static void scripted_reclaim(Scripted *s, struct arm_smccc_1_2_regs *r)
{
    GHashTableIter iter;
    gpointer key;
    unsigned long n = 0;

    g_hash_table_iter_init(&iter, s->donated);
    while (n < r->a3 && g_hash_table_iter_next(&iter, &key, NULL)) {
        phys_addr_t pa = GPOINTER_TO_SIZE(key);
        u64 desc = rmi_addr_range_desc(pa, RMI_PAGE_L3, 1,
                                       RMI_OP_MEM_DELEGATED);

        g_hash_table_add(s->delegated, key);
        memcpy(simmem_ptr(s->mem, r->a2 + 8 * n, 8), &desc, 8);
        g_hash_table_iter_remove(&iter);
        n++;
    }
    if (s->bogus_reclaim && n < r->a3) {
        u64 desc = rmi_addr_range_desc(MEM_BASE, RMI_PAGE_L3, 2,
                                       RMI_OP_MEM_UNDELEGATED);

        memcpy(simmem_ptr(s->mem, r->a2 + 8 * n, 8), &desc, 8);
        s->bogus_reclaim = false;
        n++;
    }
    r->a1 = n;
    r->a0 = RMI_INCOMPLETE | FIELD_PREP(RMI_RESULT_MEMREQ_MASK,
                                        g_hash_table_size(s->donated) ?
                                        RMI_OP_MEM_REQ_RECLAIM :
                                        RMI_OP_MEM_REQ_NONE);
}

static void scripted_invoke(struct rmi_conduit *c,
                            struct arm_smccc_1_2_regs *r)
{
    Scripted *s = container_of(c, Scripted, conduit);

    if (s->answer) {
        r->a0 = s->answer;
        return;
    }

    switch (r->a0) {
    case SMC_RMI_GRANULE_RANGE_DELEGATE:
    case SMC_RMI_GRANULE_RANGE_UNDELEGATE:
        scripted_range(s, r, r->a0 == SMC_RMI_GRANULE_RANGE_DELEGATE);
        break;
    case SMC_RMI_RMM_ACTIVATE:
        s->open = true;
        s->remaining = (rmi_block_size(s->donate_req & 3) >> PAGE_SHIFT) *
                       FIELD_GET(RMI_DONATE_COUNT_MASK, s->donate_req);
        r->a1 = SCRIPTED_HANDLE;
        r->a2 = s->donate_req;
        r->a0 = RMI_INCOMPLETE | (s->can_cancel ? RMI_RESULT_CAN_CANCEL : 0) |
                FIELD_PREP(RMI_RESULT_MEMREQ_MASK, RMI_OP_MEM_REQ_DONATE);
        break;
    case SMC_RMI_OP_MEM_DONATE:
        g_assert_cmpuint(r->a1, ==, SCRIPTED_HANDLE);
        scripted_donate(s, r);
        break;
    case SMC_RMI_OP_MEM_RECLAIM:
        scripted_reclaim(s, r);
        break;
    case SMC_RMI_OP_CANCEL:
        s->cancelled = true;
        s->can_cancel = false;
        r->a0 = RMI_SUCCESS;
        break;
    case SMC_RMI_OP_CONTINUE:
        if (s->endless) {
            r->a0 = RMI_INCOMPLETE;
        } else if (s->cancelled && g_hash_table_size(s->donated)) {
            r->a0 = RMI_INCOMPLETE |
                    FIELD_PREP(RMI_RESULT_MEMREQ_MASK,
                               RMI_OP_MEM_REQ_RECLAIM);
        } else {
            s->open = false;
            r->a0 = s->cancelled ? RMI_ERROR_GLOBAL : RMI_SUCCESS;
        }
        break;
    default:
        r->a0 = SMCCC_RET_NOT_SUPPORTED;
    }
}

typedef struct ScriptFx {
    Scripted s;
    SimMem *mem;
    struct rmi_page_pool pool;
    unsigned long *bitmap;
    struct rmi_sro_state sro;
} ScriptFx;

static void script_start(ScriptFx *x)
{
    memset(x, 0, sizeof(*x));
    printk_quiet();
    x->mem = simmem_new(MEM_BASE, MEM_SIZE);
    rmi_conduit_init(&x->s.conduit, "scripted", scripted_invoke);
    x->s.mem = x->mem;
    x->s.delegated = g_hash_table_new(NULL, NULL);
    x->s.donated = g_hash_table_new(NULL, NULL);
    rmi_set_conduit(&x->s.conduit);
    pool_init(&x->pool, &x->bitmap, x->mem, POOL_SIZE);
    rmi_sro_init(&x->sro, &x->pool.allocator);
}

/* script_start(), RMM_ACTIVATE asking for count delegated blocks of size. */
static void script_start_donating(ScriptFx *x, unsigned int size,
                                  unsigned long count)
{
    script_start(x);
    x->s.donate_req = rmi_donate_req(size, count, false,
                                     RMI_OP_MEM_DELEGATED);
}

/* The host holds exactly what the scripted RMM holds; nothing delegated. */
static void script_stop(ScriptFx *x)
{
    rmi_sro_free(&x->sro);
    g_assert_cmpuint(g_hash_table_size(x->s.delegated), ==, 0);
    g_assert_cmpuint(x->pool.allocator.allocated_bytes, ==,
                     g_hash_table_size(x->s.donated) * PAGE_SIZE);
    rmi_set_conduit(NULL);
    g_hash_table_destroy(x->s.delegated);
    g_hash_table_destroy(x->s.donated);
    simmem_free(x->mem);
    g_free(x->bitmap);
    rmi_printk_hook = NULL;
}

/*
 * A 2MB block of which the RMM takes 3 granules, then asks for the other
 * 509 one at a time in L3 requests: the tail of the block is what it gets,
 * with no further allocation (v14 leaked it).
 */
static void test_scripted_partial_block(void)
{
    ScriptFx x;

    script_start_donating(&x, RMI_BLOCK_L2, 1);
    x.s.consume = 3;
    x.sro.max_steps = 10;
    g_assert_cmpint(rmi_rmm_activate(&x.sro), ==, -ETIMEDOUT);
    g_assert_true(rmi_sro_pending(&x.sro));

    /* 3 granules per step is slow: give it the steps it needs. */
    x.sro.max_steps = 1000;
    g_assert_cmpint(rmi_sro_execute(&x.sro), ==, 0);
    g_assert_cmpuint(g_hash_table_size(x.s.donated), ==, 512);
    g_assert_cmpuint(x.pool.allocator.nr_allocs, ==, 2); /* block, list */
    g_assert_cmpuint(x.sro.stats.donated_bytes, ==, SZ_2M);
    g_assert_cmpuint(rmi_sro_cached_bytes(&x.sro), ==, 0);
    script_stop(&x);
}

/*
 * donated_count above what was offered is a protocol error, not clamped:
 * the command is driven to its end (it succeeded) and fails with -EPROTO;
 * all that was offered counts as given, nothing of it is freed twice.
 */
static void test_scripted_over_report(void)
{
    ScriptFx x;

    script_start_donating(&x, RMI_PAGE_L3, 4);
    x.s.consume = 4;
    x.s.over_report = 100;
    g_assert_cmpint(rmi_rmm_activate(&x.sro), ==, -EPROTO);
    g_assert_false(rmi_sro_pending(&x.sro));
    g_assert_true(rmi_sro_completed(&x.sro));
    g_assert_cmpuint(x.sro.stats.protocol_errors, ==, 1);
    g_assert_cmpuint(x.sro.stats.donated_bytes, ==, 4 * PAGE_SIZE);
    g_assert_cmpuint(printk_count, >, 0);
    script_stop(&x);
}

/* Cancel accepted with SUCCESS, reclaim, junk in the reclaim list. */
static void test_scripted_cancel_bogus_reclaim(void)
{
    ScriptFx x;

    script_start_donating(&x, RMI_PAGE_L3, 64);
    x.s.consume = 10;
    x.s.can_cancel = true;
    x.s.bogus_reclaim = true;
    /* The list page plus 20 pages. */
    rmi_page_pool_init(&x.pool, POOL_BASE, 21 * PAGE_SIZE, x.bitmap,
                       simmem_ptr(x.mem, POOL_BASE, 21 * PAGE_SIZE));
    g_assert_cmpint(rmi_rmm_activate(&x.sro), ==, -ECANCELED);
    g_assert_cmpuint(x.sro.stats.cancels, ==, 1);
    g_assert_cmpuint(x.sro.stats.donated_bytes, ==, 20 * PAGE_SIZE);
    g_assert_cmpuint(g_hash_table_size(x.s.donated), ==, 0);
    g_assert_cmpuint(x.pool.allocator.allocated_bytes, ==, PAGE_SIZE);
    g_assert_cmpuint(printk_count, >, 0);
    script_stop(&x);
}

static void test_scripted_malformed_request(void)
{
    ScriptFx x;

    /*
     * count 0: nothing sensible to give; cancellable, so cancel and drive
     * the operation to its end.  The protocol error is the result.
     */
    script_start_donating(&x, RMI_PAGE_L3, 0);
    x.s.can_cancel = true;
    g_assert_cmpint(rmi_rmm_activate(&x.sro), ==, -EPROTO);
    g_assert_false(rmi_sro_pending(&x.sro));
    g_assert_true(x.sro.cancelled);
    g_assert_cmpuint(x.sro.stats.cancels, ==, 1);

    /* Not cancellable: left pending, with the reason. */
    rmi_sro_free(&x.sro);
    rmi_sro_init(&x.sro, &x.pool.allocator);
    x.s.cancelled = false;
    x.s.can_cancel = false;
    g_assert_cmpint(rmi_rmm_activate(&x.sro), ==, -EPROTO);
    g_assert_true(rmi_sro_pending(&x.sro));
    script_stop(&x);
}

static void test_scripted_busy_blocked(void)
{
    struct rmi_conduit *c;
    ScriptFx x;

    script_start(&x);
    c = &x.s.conduit;

    x.s.answer = RMI_BUSY;
    g_assert_cmpuint(rmi_version(RMI_ABI_VERSION(2, 0), NULL, NULL), ==,
                     RMI_BUSY);
    g_assert_cmpuint(c->calls, ==, RMI_BUSY_RETRY_COUNT + 1);

    x.s.answer = RMI_BLOCKED;
    c->calls = 0;
    g_assert_cmpint(rmi_delegate_range(POOL_BASE, PAGE_SIZE, NULL), ==,
                    -EAGAIN);
    g_assert_cmpuint(c->calls, ==, RMI_BLOCKED_RETRY_COUNT + 1);

    /* A transient initiating call started nothing: execute again. */
    g_assert_cmpint(rmi_rmm_activate(&x.sro), ==, -EAGAIN);
    g_assert_false(x.sro.started);
    x.s.answer = 0;
    x.s.donate_req = rmi_donate_req(RMI_PAGE_L3, 1, false,
                                    RMI_OP_MEM_UNDELEGATED);
    x.s.consume = 1;
    g_assert_cmpint(rmi_sro_execute(&x.sro), ==, 0);
    script_stop(&x);
}

static void test_scripted_endless(void)
{
    ScriptFx x;
    phys_addr_t top = 0;

    script_start(&x);
    x.s.endless = true;
    g_assert_cmpint(rmi_delegate_range(POOL_BASE, PAGE_SIZE, &top), ==,
                    -EINPROGRESS);
    g_assert_cmpuint(top, ==, POOL_BASE);
    g_assert_cmpuint(x.s.conduit.calls, ==, 1 + RMI_SRO_MAX_STEPS);
    script_stop(&x);
}

static void test_no_conduit(void)
{
    rmi_set_conduit(NULL);
    g_assert_cmpuint(rmi_version(0, NULL, NULL), ==, SMCCC_RET_NOT_SUPPORTED);
    g_assert_cmpint(rmi_check_version(), ==, -ENODEV);
}

/*
 * The default exit script played by RECs taking turns: each makes its
 * host call, MMIO write and RIPAS change, then the first one turns the
 * Realm off.
 */
static void lc_assert_default_run(const struct rmi_realm_report *rep,
                                  unsigned long recs, unsigned int ipa_bits)
{
    unsigned long enters = 3 * recs + 1;

    g_assert_true(rep->system_off);
    g_assert_cmpuint(rep->rec_enters, ==, enters);
    g_assert_cmpuint(rep->exits[RMI_REALM_EXIT_HOST_CALL], ==, recs);
    g_assert_cmpuint(rep->exits[RMI_REALM_EXIT_MMIO], ==, recs);
    g_assert_cmpuint(rep->exits[RMI_REALM_EXIT_RIPAS_CHANGE], ==,
                     recs);
    g_assert_cmpuint(rep->exits[RMI_REALM_EXIT_PSCI], ==, 1);
    g_assert_cmpuint(rep->exits[RMI_REALM_EXIT_IRQ], ==, 0);
    g_assert_cmpuint(rep->exits[RMI_REALM_EXIT_WFX], ==, 0);
    g_assert_cmpuint(rep->exits[RMI_REALM_EXIT_OTHER], ==, 0);
    g_assert_cmpuint(rep->mmio_writes, ==, recs);
    g_assert_cmphex(rep->mmio_last_addr, ==,
                    (1ULL << (ipa_bits - 1)) | 0x09000000ULL);
    g_assert_cmphex(rep->mmio_last_value, ==, 'R');
    g_assert_cmpuint(rep->ripas_bytes, ==, recs * SZ_2M);
}

static void log_to_string(void *opaque, const char *msg)
{
    g_string_append_printf(opaque, "%s\n", msg);
}

/*
 * RmmConfig.rec_script: every REC plays the configured script (from its
 * text form) instead of the built-in one; a script the realm cannot play
 * falls back to the built-in one, is counted and is logged naming the
 * step and the reason.
 */
static void test_realm_configured_script(void)
{
    g_autoptr(GString) log = g_string_new(NULL);
    const struct rmi_realm_config cfg = {
        .populate_bytes = SZ_2M,
        .nr_recs = 1,
    };
    struct rmi_realm_report rep;
    RmmExitStep *steps;
    size_t n;
    HdFx f;

    g_assert_true(rmm_exit_script_parse(
        "host-call:imm=7;host-call:imm=8;"
        "mmio-write:addr=0x9000010:len=4:value=0x41;psci:fn=system-off",
        &steps, &n, NULL));
    lc_config(&f);
    f.cfg.rec_script = steps;
    f.cfg.rec_script_len = n;
    lc_start(&f);
    g_free(steps);              /* the core keeps its own copy */

    g_assert_cmpint(rmi_realm_lifecycle(&f.pool.allocator, &cfg, &rep), ==,
                    0);
    g_assert_true(rep.system_off);
    g_assert_cmpuint(rep.rec_enters, ==, 4);
    g_assert_cmpuint(rep.exits[RMI_REALM_EXIT_HOST_CALL], ==, 2);
    g_assert_cmpuint(rep.exits[RMI_REALM_EXIT_MMIO], ==, 1);
    g_assert_cmpuint(rep.exits[RMI_REALM_EXIT_RIPAS_CHANGE], ==, 0);
    g_assert_cmpuint(rep.exits[RMI_REALM_EXIT_PSCI], ==, 1);
    g_assert_cmphex(rep.mmio_last_addr, ==, (1ULL << 39) | 0x09000010ULL);
    g_assert_cmphex(rep.mmio_last_value, ==, 0x41);
    g_assert_cmpuint(census(&f).rec_script_rejected, ==, 0);
    lc_stop_clean(&f, &rep);

    /* 2^39 is past a 40-bit realm's unprotected half: built-in script. */
    g_assert_true(rmm_exit_script_parse(
        "mmio-write:addr=0x8000000000:len=4:value=1", &steps, &n, NULL));
    lc_config(&f);
    f.cfg.rec_script = steps;
    f.cfg.rec_script_len = n;
    lc_start(&f);
    rmm_core_set_log(f.rmm, log_to_string, log);
    g_free(steps);
    g_assert_cmpint(rmi_realm_lifecycle(&f.pool.allocator, &cfg, &rep), ==,
                    0);
    lc_assert_default_run(&rep, 1, 40);
    g_assert_cmpuint(census(&f).rec_script_rejected, ==, 1);
    g_assert_nonnull(strstr(log->str, "rec-script step 1 does not fit REC "));
    g_assert_nonnull(strstr(log->str, " (40-bit IPA): MMIO address is "
                            "beyond the realm's unprotected IPA space; the "
                            "REC plays the built-in script\n"));
    lc_stop_clean(&f, &rep);
}

static void test_realm_lifecycle(void)
{
    const struct rmi_realm_config cfg = {
        .populate_bytes = 64UL << 20,
        .init_pages = 16,
        .nr_recs = 2,
    };
    struct rmi_realm_report rep;
    unsigned long calls;
    HdFx f;

    lc_config(&f);
    lc_start(&f);
    calls = census(&f).calls;

    g_assert_cmpint(rmi_realm_lifecycle(&f.pool.allocator, &cfg, &rep), ==,
                    0);
    lc_log(&rep);
    g_assert_null(rep.failed_step);
    g_assert_cmpint(rep.ret, ==, 0);
    g_assert_cmpuint(rep.calls, ==, census(&f).calls - calls);
    g_assert_cmpuint(rep.rtts, ==, 1 + 32);
    g_assert_cmpuint(rep.data_init_pages, ==, 16);
    g_assert_cmpuint(rep.data_map_pages, ==, (64UL << 20) / PAGE_SIZE - 16);
    g_assert_cmpuint(rep.data_map_calls, ==, 32);
    g_assert_cmpuint(rep.unmapped_bytes, ==, 64UL << 20);
    g_assert_cmpuint(rep.recs, ==, 2);
    lc_assert_default_run(&rep, 2, 40);
    /* 4 aux granules per REC, donated and reclaimed */
    g_assert_cmpuint(rep.donated_bytes, ==, 2 * 4 * PAGE_SIZE);
    g_assert_cmpuint(rep.reclaimed_bytes, ==, 2 * 4 * PAGE_SIZE);
    /* RD, 2 starting RTTs, 33 RTTs, the DATA, 2 RECs */
    g_assert_cmpuint(rep.delegated_bytes, ==,
                     (1 + 2 + 33 + 2) * PAGE_SIZE + (64UL << 20));
    /*
     * Only the REC commands yield: REC_CREATE asks for a donation, then
     * for a continue; REC_DESTROY for a reclaim, then for a continue.
     */
    g_assert_cmpuint(rep.incomplete, ==, 2 * 4);
    /*
     * 352 calls: the per-call bound (512 granules) splits delegating,
     * unmapping and undelegating the 64 MiB of DATA into 32 calls each.
     */
    g_assert_cmpuint(rep.calls, ==, 352);
    lc_stop_clean(&f, &rep);
}

/*
 * Everything that can ask for memory or yield does: activation and
 * REALM_CREATE donations, 16 aux granules per REC, map/unmap yields,
 * delegation yields, and the RMM taking one granule per donation.
 */
static void test_realm_lifecycle_sro(void)
{
    const struct rmi_realm_config cfg = {
        .ipa_bits = 42,
        .populate_bytes = 8UL << 20,
        .init_pages = 3,
        .nr_recs = 3,
    };
    struct rmi_realm_report rep;
    HdFx f;

    lc_config(&f);
    f.cfg.activate_donate_req = donate_req(RMI_PAGE_L3, 8, false,
                                           RMI_OP_MEM_UNDELEGATED);
    f.cfg.realm_create_donate_req = donate_req(RMI_PAGE_L3, 5, false,
                                               RMI_OP_MEM_DELEGATED);
    f.cfg.rec_aux_count = 16;
    f.cfg.map_yield_every = 100;
    f.cfg.delegate_yield_every = 256;
    f.cfg.donate_consume_limit = 1;
    lc_start(&f);

    g_assert_cmpint(rmi_realm_lifecycle(&f.pool.allocator, &cfg, &rep), ==,
                    0);
    lc_log(&rep);
    g_assert_cmpuint(rep.rtts, ==, 1 + 4);
    g_assert_cmpuint(rep.recs, ==, 3);
    lc_assert_default_run(&rep, 3, 42);
    g_assert_cmpuint(rep.donated_bytes, ==, (5 + 3 * 16) * PAGE_SIZE);
    g_assert_cmpuint(rep.reclaimed_bytes, ==, (5 + 3 * 16) * PAGE_SIZE);
    g_assert_cmpuint(rep.incomplete, >, 5 + 3 * 16);
    lc_assert_clean(&f, &rep);
    g_assert_cmpuint(census(&f).granules[RMM_GRANULE_INTERNAL], ==, 8);
    lc_stop(&f);
}

static void test_realm_lifecycle_bad_config(void)
{
    static const struct rmi_realm_config bad[] = {
        { .populate_bytes = 0, .nr_recs = 1 },
        { .populate_bytes = SZ_1M, .nr_recs = 1 },
        { .populate_bytes = SZ_2M, .nr_recs = 0 },
        { .populate_bytes = SZ_2M, .nr_recs = RMI_REALM_MAX_RECS + 1 },
        { .populate_bytes = SZ_2M, .init_pages = 513, .nr_recs = 1 },
        { .ipa_bits = 31, .populate_bytes = SZ_2M, .nr_recs = 1 },
        { .ipa_bits = 44, .populate_bytes = SZ_2M, .nr_recs = 1 },
        { .populate_bytes = 2 * SZ_1G, .nr_recs = 1 },
        { .ipa_bits = 200, .populate_bytes = SZ_2M, .nr_recs = 1 },
    };
    struct rmi_realm_report rep;
    HdFx f;

    lc_config(&f);
    lc_start(&f);
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_assert_cmpint(rmi_realm_lifecycle(&f.pool.allocator, &bad[i],
                                            &rep), ==, -EINVAL);
        g_assert_cmpstr(rep.failed_step, ==, "config");
        g_assert_cmpuint(rep.calls, ==, 0);
        lc_assert_clean(&f, &rep);
    }
    rmi_set_conduit(NULL);
    g_assert_cmpint(rmi_realm_lifecycle(&f.pool.allocator, &bad[0], &rep),
                    ==, -ENODEV);
    rmi_set_conduit(&f.inproc.conduit);
    lc_stop(&f);
}

/* A Realm that does not turn itself off in time is torn down anyway. */
static void test_realm_lifecycle_run_bounded(void)
{
    const struct rmi_realm_config cfg = {
        .populate_bytes = SZ_2M,
        .nr_recs = 2,
        .max_exits = 2,
    };
    struct rmi_realm_report rep;
    HdFx f;

    lc_config(&f);
    lc_start(&f);
    g_assert_cmpint(rmi_realm_lifecycle(&f.pool.allocator, &cfg, &rep), ==,
                    -ETIMEDOUT);
    g_assert_cmpstr(rep.failed_step, ==, "run");
    g_assert_false(rep.system_off);
    g_assert_cmpuint(rep.rec_enters, ==, 4);
    g_assert_cmpuint(rep.exits[RMI_REALM_EXIT_HOST_CALL], ==, 2);
    g_assert_cmpuint(rep.exits[RMI_REALM_EXIT_MMIO], ==, 2);
    g_assert_cmpuint(rep.exits[RMI_REALM_EXIT_PSCI], ==, 0);
    lc_stop_clean(&f, &rep);
}

/*
 * The allocator runs dry at every point of the way in turn: the
 * lifecycle fails with -ENOMEM (or a cancelled REALM_CREATE) and still
 * leaves nothing behind.
 */
static void test_realm_lifecycle_out_of_memory(void)
{
    const struct rmi_realm_config cfg = {
        .populate_bytes = 4UL << 20,
        .init_pages = 2,
        .nr_recs = 2,
    };
    struct rmi_realm_report rep;
    unsigned long base, limit, failures = 0;
    HdFx f;

    lc_config(&f);
    f.cfg.realm_create_donate_req = donate_req(RMI_PAGE_L3, 2, false,
                                               RMI_OP_MEM_DELEGATED);
    f.cfg.rec_create_can_cancel = true;
    lc_start(&f);
    base = f.pool.allocator.allocated_bytes;
    for (limit = base + PAGE_SIZE; ; limit += 2 * PAGE_SIZE) {
        int ret;

        f.alloc_limit = limit;
        ret = rmi_realm_lifecycle(&f.pool.allocator, &cfg, &rep);
        lc_assert_clean(&f, &rep);
        if (!ret) {
            break;
        }
        g_assert_nonnull(rep.failed_step);
        g_assert_true(ret == -ENOMEM || ret == -ECANCELED);
        failures++;
    }
    g_test_message("%lu failures before enough memory (%lu bytes)", failures,
                   limit - base);
    g_assert_cmpuint(failures, >, 10);
    lc_assert_default_run(&rep, 2, 40);
    f.alloc_limit = 0;
    lc_stop(&f);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    g_test_add_func("/host-driver/no-conduit", test_no_conduit);
    g_test_add_func("/host-driver/version-features", test_version_features);
    g_test_add_func("/host-driver/config", test_config);
    g_test_add_func("/host-driver/activate/plain", test_activate_plain);
    for (size_t i = 0; i < G_N_ELEMENTS(shapes); i++) {
        g_autofree char *path = g_strdup_printf("/host-driver/activate/%s",
                                                shapes[i].name);

        g_test_add_data_func(path, &shapes[i], test_activate_shape);
    }
    g_test_add_func("/host-driver/activate/cancel-and-retry",
                    test_activate_cancel_and_retry);
    g_test_add_func("/host-driver/activate/cancel-nothing",
                    test_activate_cancel_nothing);
    g_test_add_func("/host-driver/activate/cannot-cancel",
                    test_activate_cannot_cancel);
    g_test_add_func("/host-driver/activate/delegated-request",
                    test_activate_delegated_request);
    g_test_add_func("/host-driver/activate/twice", test_activate_twice_refused);
    g_test_add_data_func("/host-driver/delegate/no-yield",
                         GUINT_TO_POINTER(0), test_delegate_yield);
    g_test_add_data_func("/host-driver/delegate/yield-1",
                         GUINT_TO_POINTER(1), test_delegate_yield);
    g_test_add_data_func("/host-driver/delegate/yield-64",
                         GUINT_TO_POINTER(64), test_delegate_yield);
    g_test_add_data_func("/host-driver/delegate/yield-1000",
                         GUINT_TO_POINTER(1000), test_delegate_yield);
    g_test_add_func("/host-driver/delegate/partial", test_delegate_partial);
    g_test_add_func("/host-driver/delegate/errors", test_delegate_errors);
    g_test_add_func("/host-driver/mailbox", test_mailbox);
    g_test_add_func("/host-driver/scripted/partial-block",
                    test_scripted_partial_block);
    g_test_add_func("/host-driver/scripted/over-report",
                    test_scripted_over_report);
    g_test_add_func("/host-driver/scripted/cancel-bogus-reclaim",
                    test_scripted_cancel_bogus_reclaim);
    g_test_add_func("/host-driver/scripted/malformed-request",
                    test_scripted_malformed_request);
    g_test_add_func("/host-driver/scripted/busy-blocked",
                    test_scripted_busy_blocked);
    g_test_add_func("/host-driver/scripted/endless", test_scripted_endless);
    g_test_add_func("/host-driver/realm/lifecycle", test_realm_lifecycle);
    g_test_add_func("/host-driver/realm/configured-script",
                    test_realm_configured_script);
    g_test_add_func("/host-driver/realm/lifecycle-sro",
                    test_realm_lifecycle_sro);
    g_test_add_func("/host-driver/realm/bad-config",
                    test_realm_lifecycle_bad_config);
    g_test_add_func("/host-driver/realm/out-of-memory",
                    test_realm_lifecycle_out_of_memory);
    g_test_add_func("/host-driver/realm/run-bounded",
                    test_realm_lifecycle_run_bounded);

    return g_test_run();
}
