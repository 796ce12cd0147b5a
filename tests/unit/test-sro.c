/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The SRO engine: RMI_OP_CONTINUE (B4.5.22), RMI_OP_MEM_DONATE (B4.5.23),
 * RMI_OP_MEM_RECLAIM (B4.5.24), RMI_OP_CANCEL (B4.5.21), driven through
 * the donating RMI_RMM_ACTIVATE and, for DELEGATED memory (which cannot
 * exist before the RMM is active), through an operation the test opens
 * with the engine's internal API.
 */
#include <string.h>

#include "rmm-test.h"
#include "hw/arm/rmm/rmm-internal.h"

#define UNBACKED_PA     (MEM_BASE - 0x10000)
#define HOLE_PA         MEM_TOP
#define L2              (2ULL << 20)


static uint64_t req_l3(uint64_t count, uint64_t state)
{
    return RMI_DONATE_REQ(RMI_PAGE_L3, count, RMI_OP_MEM_NON_CONTIG, state);
}

/* ---- An operation in an ACTIVE RMM, for DELEGATED memory ---- */

static uint64_t test_resume(RmmCore *rmm, RmmSro *op, uint64_t flags,
                            RmiOut *out)
{
    if (op->cancelled) {
        return RMI_ERROR_INPUT;
    }
    rmm_sro_adopt_donations(rmm, op);
    return RMI_SUCCESS;
}

static const RmmSroClass test_class = {
    .name = "TEST",
    .resume = test_resume,
};

static uint64_t start_test_op(Fx *f, uint64_t req, bool can_cancel)
{
    RmmSro *op = rmm_sro_open(f->rmm, RMI_IDX_REC_CREATE, &test_class);

    g_assert_nonnull(op);
    rmm_sro_yield(op, RMI_OP_MEM_REQ_DONATE, can_cancel, req);
    return rmm_sro_handle(op);
}

/* ---- Tests ---- */

static void test_x0_encoding(void)
{
    Fx f;
    uint64_t h;

    fx_config(&f);
    h = fx_start_activation(&f, req_l3(1, UND));
    g_assert_cmphex(fx_census(&f).rmm_state, ==, RMM_STATE_INTERMEDIATE);
    g_assert_cmpuint(RMI_RESULT_STATUS(X0_DONATE_C), ==, RMI_INCOMPLETE);
    g_assert_cmpuint(RMI_RESULT_MEM(X0_DONATE_C), ==, RMI_OP_MEM_REQ_DONATE);
    g_assert_cmpuint(RMI_RESULT_CANCEL(X0_DONATE_C), ==, 1);
    /* The reference format: the first operation's handle is 0. */
    g_assert_cmphex(h, ==, 0);
    fx_stop(&f);

    fx_config(&f);
    f.cfg.activate_cannot_cancel = true;
    fx_start_activation(&f, req_l3(1, UND));
    fx_stop(&f);
}

static void test_donate_full(void)
{
    Fx f;
    uint64_t h;

    fx_config(&f);
    h = fx_start_activation(&f, req_l3(8, UND));
    fx_put_singles(&f, LIST_PA, POOL_PA, 2 * GRAN, 8, UND);
    fx_expect(fx_donate(&f, h, LIST_PA, 8), X0_NONE_C, 8, 0);
    g_assert_cmpuint(fx_count(&f, RMM_GRANULE_INTERNAL), ==, 8);
    /* Not done until the host continues: still cancellable. */
    g_assert_cmpuint(fx_census(&f).rmm_state, ==, RMM_STATE_INTERMEDIATE);
    /* Nothing more is wanted: another donation is the wrong step. */
    fx_expect(fx_donate(&f, h, LIST_PA, 0), RMI_ERROR_INPUT, 0, 0);
    fx_expect_end(&f, h, RMI_SUCCESS);
    g_assert_cmpuint(fx_census(&f).rmm_state, ==, RMM_STATE_ACTIVE);
    g_assert_cmpuint(fx_census(&f).sro_live, ==, 0);
    g_assert_cmpuint(fx_count(&f, RMM_GRANULE_INTERNAL), ==, 8);
    fx_stop(&f);
}

static void test_donate_partial_host(void)
{
    Fx f;
    uint64_t h;

    fx_config(&f);
    h = fx_start_activation(&f, req_l3(8, UND));
    /* An empty list is no progress, not an error. */
    fx_expect(fx_donate(&f, h, LIST_PA, 0), X0_DONATE_C, 0, req_l3(8, UND));
    fx_put_singles(&f, LIST_PA, POOL_PA, GRAN, 3, UND);
    fx_expect(fx_donate(&f, h, LIST_PA, 3), X0_DONATE_C, 3, req_l3(5, UND));
    /* The request shrank: 6 is now too much. */
    fx_put_desc(&f, LIST_PA, POOL_PA + 3 * GRAN, 6, UND);
    fx_expect(fx_donate(&f, h, LIST_PA, 1), RMI_ERROR_INPUT, 0, 0);
    fx_put_desc(&f, LIST_PA, POOL_PA + 3 * GRAN, 5, UND);
    fx_expect(fx_donate(&f, h, LIST_PA, 1), X0_NONE_C, 5, 0);
    fx_assert_state(&f, POOL_PA, POOL_PA + 8 * GRAN, RMM_GRANULE_INTERNAL);
    fx_expect_end(&f, h, RMI_SUCCESS);
    fx_stop(&f);
}

static void test_donate_partial_consume(void)
{
    Fx f;
    uint64_t h;

    fx_config(&f);
    f.cfg.donate_consume_limit = 3;
    h = fx_start_activation(&f, req_l3(8, UND));
    fx_put_desc(&f, LIST_PA, POOL_PA, 8, UND);
    /* The RMM takes the first granules of the list only. */
    fx_expect(fx_donate(&f, h, LIST_PA, 1), X0_DONATE_C, 3, req_l3(5, UND));
    fx_assert_state(&f, POOL_PA, POOL_PA + 3 * GRAN, RMM_GRANULE_INTERNAL);
    fx_assert_state(&f, POOL_PA + 3 * GRAN, POOL_PA + 8 * GRAN,
                    RMM_GRANULE_UNDELEGATED);
    fx_put_singles(&f, LIST_PA, POOL_PA + 3 * GRAN, GRAN, 5, UND);
    fx_expect(fx_donate(&f, h, LIST_PA, 5), X0_DONATE_C, 3, req_l3(2, UND));
    fx_expect(fx_donate(&f, h, LIST_PA + 24, 2), X0_NONE_C, 2, 0);
    fx_assert_state(&f, POOL_PA, POOL_PA + 8 * GRAN, RMM_GRANULE_INTERNAL);
    fx_expect_end(&f, h, RMI_SUCCESS);
    fx_stop(&f);
}

static void test_donate_blocks(void)
{
    Fx f;
    uint64_t h, req = RMI_DONATE_REQ(RMI_BLOCK_L2, 2, RMI_OP_MEM_NON_CONTIG,
                                     UND);
    uint64_t a = MEM_BASE + 4 * L2, b = MEM_BASE + 8 * L2;

    fx_config(&f);
    /* Below one block: still a whole block, so progress is guaranteed. */
    f.cfg.donate_consume_limit = 1;
    h = fx_start_activation(&f, req);
    fx_write64(&f, LIST_PA, fx_desc(&f, a, RMI_BLOCK_L2, 1, UND));
    fx_write64(&f, LIST_PA + 8, fx_desc(&f, b, RMI_BLOCK_L2, 1, UND));
    fx_expect(fx_donate(&f, h, LIST_PA, 2), X0_DONATE_C, 512,
              RMI_DONATE_REQ(RMI_BLOCK_L2, 1, RMI_OP_MEM_NON_CONTIG, UND));
    fx_assert_state(&f, a, a + L2, RMM_GRANULE_INTERNAL);
    fx_assert_state(&f, b, b + L2, RMM_GRANULE_UNDELEGATED);
    fx_expect(fx_donate(&f, h, LIST_PA + 8, 1), X0_NONE_C, 512, 0);
    g_assert_cmpuint(fx_count(&f, RMM_GRANULE_INTERNAL), ==, 1024);
    fx_expect_end(&f, h, RMI_SUCCESS);
    fx_stop(&f);
}

static void test_donate_contig(void)
{
    Fx f;
    uint64_t h, req = RMI_DONATE_REQ(RMI_PAGE_L3, 4, RMI_OP_MEM_CONTIG, UND);
    uint64_t p = POOL_PA;           /* 16KB aligned */

    fx_config(&f);
    f.cfg.donate_consume_limit = 1;     /* ignored for CONTIG */
    h = fx_start_activation(&f, req);
    /* mem_contig: part of the region */
    fx_put_desc(&f, LIST_PA, p, 2, UND);
    fx_expect(fx_donate(&f, h, LIST_PA, 1), RMI_ERROR_INPUT, 0, 0);
    /* mem_contig: two ranges with a gap */
    fx_put_desc(&f, LIST_PA + 8, p + 3 * GRAN, 2, UND);
    fx_expect(fx_donate(&f, h, LIST_PA, 2), RMI_ERROR_INPUT, 0, 0);
    /* mem_align: the region is not aligned to its 16KB size */
    fx_put_desc(&f, LIST_PA, p + GRAN, 4, UND);
    fx_expect(fx_donate(&f, h, LIST_PA, 1), RMI_ERROR_INPUT, 0, 0);
    /* Nothing at all is fine. */
    fx_expect(fx_donate(&f, h, LIST_PA, 0), X0_DONATE_C, 0, req);
    /* Two adjacent ranges forming the aligned region. */
    fx_put_desc(&f, LIST_PA, p, 2, UND);
    fx_put_desc(&f, LIST_PA + 8, p + 2 * GRAN, 2, UND);
    fx_expect(fx_donate(&f, h, LIST_PA, 2), X0_NONE_C, 4, 0);
    fx_assert_state(&f, p, p + 4 * GRAN, RMM_GRANULE_INTERNAL);
    fx_expect_end(&f, h, RMI_SUCCESS);
    fx_stop(&f);
}

/* Each list check on its own; every failure leaves everything as it was. */
static void test_donate_bad_lists(void)
{
    Fx f;
    uint64_t h, internal = POOL_PA + 64 * GRAN;
    RmmCensus before;

    fx_config(&f);
    h = fx_start_activation(&f, req_l3(8, UND));
    /* One granule donated first, to have an INTERNAL granule around. */
    fx_put_singles(&f, LIST_PA, internal, GRAN, 1, UND);
    fx_expect(fx_donate(&f, h, LIST_PA, 1), X0_DONATE_C, 1, req_l3(7, UND));
    fx_put_singles(&f, LIST_PA, POOL_PA, GRAN, 2, UND);
    before = fx_census(&f);

    /* complete: handles that name no incomplete operation */
    fx_expect(fx_donate(&f, h + 1, LIST_PA, 2), RMI_ERROR_INPUT, 0, 0);
    fx_expect(fx_donate(&f, h + (1ULL << 16), LIST_PA, 2), RMI_ERROR_INPUT,
              0, 0);
    fx_expect(fx_donate(&f, (h & ~0xffffULL) | 0xffff, LIST_PA, 2),
              RMI_ERROR_INPUT, 0, 0);
    fx_expect(fx_donate(&f, h | (1ULL << 60), LIST_PA, 2), RMI_ERROR_INPUT,
              0, 0);
    /* list_align */
    fx_expect(fx_donate(&f, h, LIST_PA + 4, 2), RMI_ERROR_INPUT, 0, 0);
    fx_expect(fx_donate(&f, h, LIST_PA + 1, 0), RMI_ERROR_INPUT, 0, 0);
    /* list count above one granule of entries */
    fx_expect(fx_donate(&f, h, LIST_PA, RMI_ADDR_LIST_MAX + 1),
              RMI_ERROR_INPUT, 0, 0);
    /* list_pas: in Realm PAS, unbacked, or running into Realm PAS */
    fx_expect(fx_donate(&f, h, internal, 1), RMI_ERROR_INPUT, 0, 0);
    fx_expect(fx_donate(&f, h, internal, 0), RMI_ERROR_INPUT, 0, 0);
    fx_expect(fx_donate(&f, h, UNBACKED_PA, 1), RMI_ERROR_INPUT, 0, 0);
    fx_put_singles(&f, internal - 8, POOL_PA, GRAN, 1, UND);
    fx_expect(fx_donate(&f, h, internal - 8, 2), RMI_ERROR_INPUT, 0, 0);
    fx_expect(fx_donate(&f, h, internal - 8, 1), X0_DONATE_C, 1,
              req_l3(6, UND));
    fx_put_singles(&f, LIST_PA, POOL_PA + GRAN, GRAN, 2, UND);
    before = fx_census(&f);

    /* malformed descriptors: reserved bits, empty range */
    fx_write64(&f, LIST_PA + 8, fx_desc(&f, POOL_PA + 2 * GRAN, 0, 1, UND) |
               (1ULL << 52));
    fx_expect(fx_donate(&f, h, LIST_PA, 2), RMI_ERROR_INPUT, 0, 0);
    fx_write64(&f, LIST_PA + 8, fx_desc(&f, POOL_PA + 2 * GRAN, 0, 1, UND) |
               (1ULL << 62));
    fx_expect(fx_donate(&f, h, LIST_PA, 2), RMI_ERROR_INPUT, 0, 0);
    fx_write64(&f, LIST_PA + 8, fx_desc(&f, POOL_PA + 2 * GRAN, 0, 0, UND));
    fx_expect(fx_donate(&f, h, LIST_PA, 2), RMI_ERROR_INPUT, 0, 0);
    /* mem_gt */
    fx_write64(&f, LIST_PA + 8, fx_desc(&f, POOL_PA + 2 * GRAN, 0, 6, UND));
    fx_expect(fx_donate(&f, h, LIST_PA, 2), RMI_ERROR_INPUT, 0, 0);
    /* mem_align: wrong block size */
    fx_write64(&f, LIST_PA + 8, fx_desc(&f, MEM_BASE + 8 * L2, RMI_BLOCK_L2,
                                        1, UND));
    fx_expect(fx_donate(&f, h, LIST_PA, 2), RMI_ERROR_INPUT, 0, 0);
    /* mem_state: descriptor state differs from the request */
    fx_write64(&f, LIST_PA + 8, fx_desc(&f, POOL_PA + 2 * GRAN, 0, 1, DEL));
    fx_expect(fx_donate(&f, h, LIST_PA, 2), RMI_ERROR_INPUT, 0, 0);
    /* mem_state: granule not in the state claimed (INTERNAL) */
    fx_write64(&f, LIST_PA + 8, fx_desc(&f, internal, 0, 1, UND));
    fx_expect(fx_donate(&f, h, LIST_PA, 2), RMI_ERROR_INPUT, 0, 0);
    /* mem_state: not delegable (unpopulated, untracked) */
    fx_write64(&f, LIST_PA + 8, fx_desc(&f, HOLE_PA, 0, 1, UND));
    fx_expect(fx_donate(&f, h, LIST_PA, 2), RMI_ERROR_INPUT, 0, 0);
    fx_write64(&f, LIST_PA + 8, fx_desc(&f, 8ULL << 30, 0, 1, UND));
    fx_expect(fx_donate(&f, h, LIST_PA, 2), RMI_ERROR_INPUT, 0, 0);
    /* mem_state: the same granule twice, also as part of a range */
    fx_write64(&f, LIST_PA + 8, fx_desc(&f, POOL_PA + GRAN, 0, 1, UND));
    fx_expect(fx_donate(&f, h, LIST_PA, 2), RMI_ERROR_INPUT, 0, 0);
    fx_write64(&f, LIST_PA, fx_desc(&f, POOL_PA + GRAN, 0, 3, UND));
    fx_write64(&f, LIST_PA + 8, fx_desc(&f, POOL_PA + 3 * GRAN, 0, 1, UND));
    fx_expect(fx_donate(&f, h, LIST_PA, 2), RMI_ERROR_INPUT, 0, 0);

    /* Nothing changed, and the operation still takes a good list. */
    g_assert_cmpuint(fx_census(&f).granules[RMM_GRANULE_INTERNAL], ==,
                     before.granules[RMM_GRANULE_INTERNAL]);
    fx_write64(&f, LIST_PA, fx_desc(&f, POOL_PA + GRAN, 0, 3, UND));
    fx_write64(&f, LIST_PA + 8, fx_desc(&f, POOL_PA + 4 * GRAN, 0, 3, UND));
    fx_expect(fx_donate(&f, h, LIST_PA, 2), X0_NONE_C, 6, 0);
    fx_expect_end(&f, h, RMI_SUCCESS);
    g_assert_cmpuint(fx_count(&f, RMM_GRANULE_INTERNAL), ==, 8);
    fx_stop(&f);
}

static void test_donate_l2_alignment(void)
{
    Fx f;
    uint64_t h, req = RMI_DONATE_REQ(RMI_BLOCK_L2, 1, RMI_OP_MEM_NON_CONTIG,
                                     UND);

    fx_config(&f);
    h = fx_start_activation(&f, req);
    fx_write64(&f, LIST_PA, fx_desc(&f, MEM_BASE + L2 + GRAN, RMI_BLOCK_L2,
                                    1, UND));
    fx_expect(fx_donate(&f, h, LIST_PA, 1), RMI_ERROR_INPUT, 0, 0);
    fx_put_desc(&f, LIST_PA, MEM_BASE + L2, 1, UND);
    fx_expect(fx_donate(&f, h, LIST_PA, 1), RMI_ERROR_INPUT, 0, 0);
    fx_write64(&f, LIST_PA, fx_desc(&f, MEM_BASE + L2, RMI_BLOCK_L2, 1, UND));
    fx_expect(fx_donate(&f, h, LIST_PA, 1), X0_NONE_C, 512, 0);
    fx_stop(&f);
}

static void test_wrong_step(void)
{
    Fx f;
    uint64_t h;

    fx_config(&f);
    h = fx_start_activation(&f, req_l3(2, UND));
    /* DONATE expected */
    fx_expect_end(&f, h, RMI_ERROR_INPUT);
    fx_expect(fx_reclaim(&f, h, LIST_PA, 4), RMI_ERROR_INPUT, 0, LIST_PA);
    fx_put_singles(&f, LIST_PA, POOL_PA, GRAN, 1, UND);
    fx_expect(fx_donate(&f, h, LIST_PA, 1), X0_DONATE_C, 1, req_l3(1, UND));
    g_assert_cmphex(fx_cancel(&f, h).x[0], ==, X0_RECLAIM);
    /* RECLAIM expected */
    fx_expect_end(&f, h, RMI_ERROR_INPUT);
    fx_expect(fx_donate(&f, h, LIST_PA, 0), RMI_ERROR_INPUT, 0, 0);
    fx_expect(fx_reclaim(&f, h, LIST_PA, 4), X0_NONE, 1, LIST_PA);
    /* CONTINUE expected */
    fx_expect(fx_donate(&f, h, LIST_PA, 0), RMI_ERROR_INPUT, 0, 0);
    fx_expect(fx_reclaim(&f, h, LIST_PA, 4), RMI_ERROR_INPUT, 0, LIST_PA);
    /* flags SBZ */
    g_assert_cmphex(fx_call(&f, RMI_FID_OP_CONTINUE, XR(1) | XR(2), 2, h,
                            1ULL << 63).x[0], ==, RMI_ERROR_INPUT);
    fx_expect_end(&f, h, RMI_ERROR_GLOBAL);
    fx_stop(&f);
}

static void test_cancel_reclaim(void)
{
    Fx f;
    uint64_t h, h2;
    RmiRegs r;
    unsigned i;

    fx_config(&f);
    h = fx_start_activation(&f, req_l3(8, UND));
    fx_fill(&f, POOL_PA, 8 * GRAN, 0x3c);
    fx_put_singles(&f, LIST_PA, POOL_PA, 2 * GRAN, 3, UND);
    fx_expect(fx_donate(&f, h, LIST_PA, 3), X0_DONATE_C, 3, req_l3(5, UND));

    g_assert_cmphex(fx_cancel(&f, h).x[0], ==, X0_RECLAIM);
    g_assert_cmpuint(fx_census(&f).sro_live, ==, 1);
    /* A cancelled operation cannot be cancelled again. */
    g_assert_cmphex(fx_cancel(&f, h).x[0], ==, RMI_ERROR_INPUT);

    for (i = 0; i < 8; i++) {
        fx_write64(&f, LIST_PA + 8 * i, fx_canary(i));
    }
    /* Capacity 0: no progress, same request. */
    fx_expect(fx_reclaim(&f, h, LIST_PA, 0), X0_RECLAIM, 0, LIST_PA);
    g_assert_cmphex(fx_read64(&f, LIST_PA), ==, fx_canary(0));
    /* Capacity 1: one entry. */
    fx_expect(fx_reclaim(&f, h, LIST_PA, 1), X0_RECLAIM, 1, LIST_PA);
    g_assert_cmphex(fx_read64(&f, LIST_PA), ==,
                    fx_desc(&f, POOL_PA, RMI_PAGE_L3, 1, UND));
    g_assert_cmphex(fx_read64(&f, LIST_PA) >> 63, ==, 1);
    g_assert_cmphex(fx_read64(&f, LIST_PA + 8), ==, fx_canary(1));
    fx_assert_state(&f, POOL_PA, POOL_PA + GRAN, RMM_GRANULE_UNDELEGATED);
    /* Reclaimed memory comes back wiped. */
    g_assert_true(fx_is_filled(&f, POOL_PA, GRAN, 0));
    g_assert_cmpuint(fx_count(&f, RMM_GRANULE_INTERNAL), ==, 2);
    /* Capacity n > pending: the rest, then CONTINUE is due. */
    fx_expect(fx_reclaim(&f, h, LIST_PA + 8, 8), X0_NONE, 2, LIST_PA + 8);
    g_assert_cmphex(fx_read64(&f, LIST_PA + 8), ==,
                    fx_desc(&f, POOL_PA + 2 * GRAN, RMI_PAGE_L3, 1, UND));
    g_assert_cmphex(fx_read64(&f, LIST_PA + 16), ==,
                    fx_desc(&f, POOL_PA + 4 * GRAN, RMI_PAGE_L3, 1, UND));
    g_assert_cmphex(fx_read64(&f, LIST_PA + 24), ==, fx_canary(3));
    g_assert_cmpuint(fx_count(&f, RMM_GRANULE_INTERNAL), ==, 0);
    fx_assert_state(&f, POOL_PA, POOL_PA + 8 * GRAN,
                    RMM_GRANULE_UNDELEGATED);
    /* Nothing left: RECLAIM is the wrong step now. */
    fx_expect(fx_reclaim(&f, h, LIST_PA, 8), RMI_ERROR_INPUT, 0, LIST_PA);

    /* The final result: the RMM is back in INIT. */
    fx_expect_end(&f, h, RMI_ERROR_GLOBAL);
    g_assert_cmpuint(fx_census(&f).rmm_state, ==, RMM_STATE_INIT);
    g_assert_cmpuint(fx_census(&f).sro_live, ==, 0);
    fx_expect_end(&f, h, RMI_ERROR_INPUT);

    /* Activation can be tried again, with a fresh handle. */
    r = fx_call(&f, RMI_FID_RMM_ACTIVATE, XR(1) | XR(2), 0);
    g_assert_cmphex(r.x[0], ==, X0_DONATE_C);
    h2 = r.x[1];
    /* The same context again, so the same reference-format handle. */
    g_assert_cmphex(h2, ==, h);
    fx_put_singles(&f, LIST_PA, POOL_PA, GRAN, 8, UND);
    fx_expect(fx_donate(&f, h2, LIST_PA, 8), X0_NONE_C, 8, 0);
    fx_expect_end(&f, h2, RMI_SUCCESS);
    fx_stop(&f);
}

static void test_cancel_variants(void)
{
    Fx f;
    uint64_t h;

    /* Nothing donated yet: straight to CONTINUE. */
    fx_config(&f);
    h = fx_start_activation(&f, req_l3(2, UND));
    g_assert_cmphex(fx_cancel(&f, h).x[0], ==, X0_NONE);
    fx_expect_end(&f, h, RMI_ERROR_GLOBAL);
    fx_stop(&f);

    /* Everything donated, not yet continued: still cancellable. */
    fx_config(&f);
    h = fx_start_activation(&f, req_l3(2, UND));
    fx_put_singles(&f, LIST_PA, POOL_PA, GRAN, 2, UND);
    fx_expect(fx_donate(&f, h, LIST_PA, 2), X0_NONE_C, 2, 0);
    g_assert_cmphex(fx_cancel(&f, h).x[0], ==, X0_RECLAIM);
    fx_expect(fx_reclaim(&f, h, LIST_PA, 2), X0_NONE, 2, LIST_PA);
    fx_expect_end(&f, h, RMI_ERROR_GLOBAL);
    fx_stop(&f);

    /* Refused: the step said CANNOT_CANCEL. */
    fx_config(&f);
    f.cfg.activate_cannot_cancel = true;
    h = fx_start_activation(&f, req_l3(2, UND));
    g_assert_cmphex(fx_cancel(&f, h).x[0], ==, RMI_ERROR_INPUT);
    fx_put_singles(&f, LIST_PA, POOL_PA, GRAN, 2, UND);
    fx_expect(fx_donate(&f, h, LIST_PA, 2), X0_NONE, 2, 0);
    g_assert_cmphex(fx_cancel(&f, h).x[0], ==, RMI_ERROR_INPUT);
    /* Stale and garbage handles. */
    g_assert_cmphex(fx_cancel(&f, 0).x[0], ==, RMI_ERROR_INPUT);
    g_assert_cmphex(fx_cancel(&f, h + (1ULL << 16)).x[0], ==,
                    RMI_ERROR_INPUT);
    fx_expect_end(&f, h, RMI_SUCCESS);
    g_assert_cmphex(fx_cancel(&f, h).x[0], ==, RMI_ERROR_INPUT);
    fx_stop(&f);
}

static void test_reclaim_bad_lists(void)
{
    Fx f;
    uint64_t h;

    fx_config(&f);
    h = fx_start_activation(&f, req_l3(2, UND));
    fx_put_singles(&f, LIST_PA, POOL_PA, GRAN, 2, UND);
    fx_expect(fx_donate(&f, h, LIST_PA, 2), X0_NONE_C, 2, 0);
    g_assert_cmphex(fx_cancel(&f, h).x[0], ==, X0_RECLAIM);

    fx_expect(fx_reclaim(&f, h + (1ULL << 16), LIST_PA, 2), RMI_ERROR_INPUT,
              0, LIST_PA);
    fx_expect(fx_reclaim(&f, h, LIST_PA + 4, 2), RMI_ERROR_INPUT, 0,
              LIST_PA + 4);
    fx_expect(fx_reclaim(&f, h, POOL_PA, 2), RMI_ERROR_INPUT, 0, POOL_PA);
    fx_expect(fx_reclaim(&f, h, POOL_PA, 0), RMI_ERROR_INPUT, 0, POOL_PA);
    fx_expect(fx_reclaim(&f, h, POOL_PA - 8, 2), RMI_ERROR_INPUT, 0,
              POOL_PA - 8);
    fx_expect(fx_reclaim(&f, h, UNBACKED_PA, 2), RMI_ERROR_INPUT, 0,
              UNBACKED_PA);
    /* Nothing was handed back by the failures. */
    g_assert_cmpuint(fx_count(&f, RMM_GRANULE_INTERNAL), ==, 2);
    fx_expect(fx_reclaim(&f, h, POOL_PA - 8, 1), X0_RECLAIM, 1, POOL_PA - 8);
    fx_expect(fx_reclaim(&f, h, LIST_PA, 1), X0_NONE, 1, LIST_PA);
    fx_expect_end(&f, h, RMI_ERROR_GLOBAL);
    fx_stop(&f);
}

static void test_delegated_memory(void)
{
    Fx f;
    uint64_t h;

    fx_setup_active(&f);
    fx_delegate(&f, POOL_PA, POOL_PA + 8 * GRAN);
    h = start_test_op(&f, req_l3(4, DEL), true);

    /* mem_state: UNDELEGATED granule described as DELEGATED */
    fx_put_singles(&f, LIST_PA, POOL_PA + 8 * GRAN, GRAN, 1, DEL);
    fx_expect(fx_donate(&f, h, LIST_PA, 1), RMI_ERROR_INPUT, 0, 0);
    fx_put_singles(&f, LIST_PA, POOL_PA, GRAN, 4, UND);
    fx_expect(fx_donate(&f, h, LIST_PA, 4), RMI_ERROR_INPUT, 0, 0);

    fx_put_singles(&f, LIST_PA, POOL_PA, GRAN, 3, DEL);
    fx_expect(fx_donate(&f, h, LIST_PA, 3), X0_DONATE_C, 3, req_l3(1, DEL));
    fx_assert_state(&f, POOL_PA, POOL_PA + 3 * GRAN, RMM_GRANULE_INTERNAL);
    g_assert_cmpuint(fx_count(&f, RMM_GRANULE_DELEGATED), ==, 5);
    /* A donated granule is not DELEGATED any more. */
    g_assert_cmphex(fx_call(&f, RMI_FID_GRANULE_RANGE_UNDELEGATE, XR(1), 2,
                            POOL_PA, POOL_PA + GRAN).x[0],
                    ==, RMI_ERROR_INPUT);

    g_assert_cmphex(fx_cancel(&f, h).x[0], ==, X0_RECLAIM);
    fx_expect(fx_reclaim(&f, h, LIST_PA, 3), X0_NONE, 3, LIST_PA);
    /* Back to DELEGATED, state field 0 in the descriptors. */
    g_assert_cmphex(fx_read64(&f, LIST_PA), ==,
                    fx_desc(&f, POOL_PA, RMI_PAGE_L3, 1, DEL));
    fx_assert_state(&f, POOL_PA, POOL_PA + 8 * GRAN, RMM_GRANULE_DELEGATED);
    fx_expect_end(&f, h, RMI_ERROR_INPUT);

    /* Completed this time: the RMM keeps the granules. */
    h = start_test_op(&f, req_l3(2, DEL), false);
    g_assert_cmphex(fx_cancel(&f, h).x[0], ==, RMI_ERROR_INPUT);
    fx_expect(fx_donate(&f, h, LIST_PA, 2), X0_NONE, 2, 0);
    fx_expect_end(&f, h, RMI_SUCCESS);
    g_assert_cmpuint(fx_count(&f, RMM_GRANULE_INTERNAL), ==, 2);
    g_assert_cmpuint(fx_count(&f, RMM_GRANULE_DELEGATED), ==, 6);
    fx_stop(&f);
}

static void test_blocked_and_priorities(void)
{
    Fx f;
    uint64_t h, hold, held = POOL_PA + 32 * GRAN;

    fx_config(&f);
    f.cfg.delegate_yield_every = 2;
    fx_start_active(&f);
    fx_delegate(&f, POOL_PA, POOL_PA + 4 * GRAN);
    /* A yielding delegation holds [held, held + 8 granules). */
    hold = fx_hold(&f, held, held + 8 * GRAN);
    h = start_test_op(&f, req_l3(4, DEL), true);

    /* A held granule in the list: BLOCKED, no state change. */
    fx_put_singles(&f, LIST_PA, POOL_PA, GRAN, 1, DEL);
    fx_write64(&f, LIST_PA + 8, fx_desc(&f, held, 0, 1, DEL));
    fx_expect(fx_donate(&f, h, LIST_PA, 2), RMI_BLOCKED, 0, 0);
    g_assert_cmpuint(fx_count(&f, RMM_GRANULE_INTERNAL), ==, 0);
    /* mem_gt is checked before mem_state. */
    fx_write64(&f, LIST_PA + 8, fx_desc(&f, held, 0, 4, DEL));
    fx_expect(fx_donate(&f, h, LIST_PA, 2), RMI_ERROR_INPUT, 0, 0);
    /* An earlier descriptor in the wrong state wins over a held one. */
    fx_write64(&f, LIST_PA, fx_desc(&f, POOL_PA + 8 * GRAN, 0, 1, DEL));
    fx_write64(&f, LIST_PA + 8, fx_desc(&f, held, 0, 1, DEL));
    fx_expect(fx_donate(&f, h, LIST_PA, 2), RMI_ERROR_INPUT, 0, 0);

    /* The list itself in held memory: BLOCKED (list_pas)... */
    fx_write64(&f, held + 8 * GRAN - 8, fx_desc(&f, POOL_PA, 0, 1, DEL));
    fx_expect(fx_donate(&f, h, held + 7 * GRAN, 1), RMI_BLOCKED, 0, 0);
    /* ...but list_align comes first... */
    fx_expect(fx_donate(&f, h, held + 7 * GRAN + 4, 1), RMI_ERROR_INPUT, 0, 0);
    /* ...and BLOCKED comes before mem_gt. */
    fx_expect(fx_donate(&f, h, held + 7 * GRAN, 100), RMI_BLOCKED, 0, 0);
    /* A stale handle beats everything. */
    fx_expect(fx_donate(&f, h + (1ULL << 16), held + 7 * GRAN, 1),
              RMI_ERROR_INPUT, 0, 0);

    fx_put_singles(&f, LIST_PA, POOL_PA, GRAN, 4, DEL);
    fx_expect(fx_donate(&f, h, LIST_PA, 4), X0_NONE_C, 4, 0);
    fx_expect_end(&f, h, RMI_SUCCESS);
    fx_release_at(&f, hold, held + 8 * GRAN);
    g_assert_cmpuint(fx_census(&f).sro_live, ==, 0);
    fx_stop(&f);
}

static void test_pool_exhaustion(void)
{
    Fx f;
    uint64_t h;
    RmiRegs r;

    fx_config(&f);
    f.cfg.delegate_yield_every = 2;
    f.cfg.sro_contexts = 1;
    fx_start_active(&f);
    h = start_test_op(&f, req_l3(1, DEL), true);
    /* The only context is sealed: a new SRO is BLOCKED. */
    r = fx_call(&f, RMI_FID_GRANULE_RANGE_DELEGATE, XR(1), 2, POOL_PA,
                POOL_PA + 4 * GRAN);
    g_assert_cmphex(r.x[0], ==, RMI_BLOCKED);
    g_assert_cmphex(r.x[1], ==, 0);     /* no progress, and no handle */
    fx_assert_state(&f, POOL_PA, POOL_PA + 4 * GRAN, RMM_GRANULE_UNDELEGATED);
    g_assert_cmphex(fx_cancel(&f, h).x[0], ==, X0_NONE);
    fx_expect_end(&f, h, RMI_ERROR_INPUT);
    fx_hold(&f, POOL_PA, POOL_PA + 4 * GRAN);
    fx_stop(&f);
}

/*
 * Handle formats.  By default handles are pool indices, lowest free first,
 * as the reference RMM hands them out: the first is 0, and a stale handle
 * names whatever operation reuses its context.  With sro_handle_tagged a
 * generation rides in bits [47:16] and a stale handle is always refused.
 */
static void test_handle_reference_format(void)
{
    Fx f;
    uint64_t a, b, c;

    fx_config(&f);
    g_assert_false(f.cfg.sro_handle_tagged);
    f.cfg.delegate_yield_every = 2;
    fx_start_active(&f);
    a = fx_hold(&f, POOL_PA, POOL_PA + 4 * GRAN);
    b = fx_hold(&f, POOL_PA + 16 * GRAN, POOL_PA + 20 * GRAN);
    g_assert_cmphex(a, ==, 0);
    g_assert_cmphex(b, ==, 1);
    fx_release_at(&f, 0, POOL_PA + 4 * GRAN);
    /* Index 0 is free again: the next operation gets it. */
    c = fx_hold(&f, POOL_PA + 32 * GRAN, POOL_PA + 36 * GRAN);
    g_assert_cmphex(c, ==, 0);
    /* Out of the pool, or naming a free context: ERROR_INPUT. */
    fx_expect_end(&f, f.cfg.sro_contexts, RMI_ERROR_INPUT);
    fx_expect_end(&f, 2, RMI_ERROR_INPUT);
    fx_release_at(&f, 1, POOL_PA + 20 * GRAN);
    fx_release_at(&f, 0, POOL_PA + 36 * GRAN);
    fx_stop(&f);
}

static void test_handle_tagged_format(void)
{
    Fx f;
    uint64_t a, c;

    fx_config(&f);
    f.cfg.sro_handle_tagged = true;
    f.cfg.delegate_yield_every = 2;
    fx_start_active(&f);
    a = fx_hold(&f, POOL_PA, POOL_PA + 4 * GRAN);
    g_assert_cmphex(a, ==, (1ULL << 16) | 0);
    fx_release_at(&f, a, POOL_PA + 4 * GRAN);
    c = fx_hold(&f, POOL_PA + 32 * GRAN, POOL_PA + 36 * GRAN);
    g_assert_cmphex(c, ==, (2ULL << 16) | 0);
    /* The first operation's handle is stale, not an alias of the second. */
    fx_expect_end(&f, a, RMI_ERROR_INPUT);
    fx_expect_end(&f, 0, RMI_ERROR_INPUT);
    fx_release_at(&f, c, POOL_PA + 36 * GRAN);
    fx_stop(&f);
}

static void test_bet3_layouts(void)
{
    Fx f;
    uint64_t h;
    uint64_t cond = RMI_DONATE_REQ(RMI_PAGE_L3, 4, RMI_OP_MEM_NON_CONTIG,
                                   RMI_OP_MEM_CONDITIONAL);

    fx_config(&f);
    f.cfg.profile = RMM_PROFILE_BET3;
    h = fx_start_activation(&f, cond);
    g_assert_cmphex(cond, ==, (4ULL << 2) | (2ULL << 17));
    /* bet3 descriptors: state in [63:62]; 2 (CONDITIONAL) is not a state. */
    g_assert_cmphex(fx_desc(&f, POOL_PA, 0, 1, UND), ==,
                    POOL_PA | (1 << 2) | (1ULL << 62));
    fx_write64(&f, LIST_PA, fx_desc(&f, POOL_PA, 0, 1, 2));
    fx_expect(fx_donate(&f, h, LIST_PA, 1), RMI_ERROR_INPUT, 0, 0);
    /* bit 61 is reserved in bet3 */
    fx_write64(&f, LIST_PA, fx_desc(&f, POOL_PA, 0, 1, UND) | (1ULL << 61));
    fx_expect(fx_donate(&f, h, LIST_PA, 1), RMI_ERROR_INPUT, 0, 0);
    /* The bet1 position of UNDELEGATED is DELEGATED|bit 63: not valid. */
    fx_write64(&f, LIST_PA, POOL_PA | (1 << 2) | (1ULL << 63));
    fx_expect(fx_donate(&f, h, LIST_PA, 1), RMI_ERROR_INPUT, 0, 0);
    /* CONDITIONAL accepts UNDELEGATED memory (DELEGATED needs ACTIVE). */
    fx_put_singles(&f, LIST_PA, POOL_PA, GRAN, 3, UND);
    fx_expect(fx_donate(&f, h, LIST_PA, 3), X0_DONATE_C, 3,
              RMI_DONATE_REQ(RMI_PAGE_L3, 1, RMI_OP_MEM_NON_CONTIG,
                             RMI_OP_MEM_CONDITIONAL));
    g_assert_cmphex(fx_cancel(&f, h).x[0], ==, X0_RECLAIM);
    fx_expect(fx_reclaim(&f, h, LIST_PA, 3), X0_NONE, 3, LIST_PA);
    g_assert_cmphex(fx_read64(&f, LIST_PA), ==,
                    POOL_PA | (1 << 2) | (1ULL << 62));
    fx_expect_end(&f, h, RMI_ERROR_GLOBAL);
    fx_stop(&f);
}

static void test_bet3_delegated_conditional(void)
{
    Fx f;
    uint64_t h;

    fx_config(&f);
    f.cfg.profile = RMM_PROFILE_BET3;
    fx_start_active(&f);
    fx_delegate(&f, POOL_PA, POOL_PA + 2 * GRAN);
    h = start_test_op(&f, RMI_DONATE_REQ(RMI_PAGE_L3, 4,
                                         RMI_OP_MEM_NON_CONTIG,
                                         RMI_OP_MEM_CONDITIONAL), true);
    /* Mixed states under a CONDITIONAL request. */
    fx_put_singles(&f, LIST_PA, POOL_PA, GRAN, 2, DEL);
    fx_put_singles(&f, LIST_PA + 16, POOL_PA + 2 * GRAN, GRAN, 2, UND);
    fx_expect(fx_donate(&f, h, LIST_PA, 4), X0_NONE_C, 4, 0);
    g_assert_cmphex(fx_cancel(&f, h).x[0], ==, X0_RECLAIM);
    fx_expect(fx_reclaim(&f, h, LIST_PA, 4), X0_NONE, 4, LIST_PA);
    fx_assert_state(&f, POOL_PA, POOL_PA + 2 * GRAN, RMM_GRANULE_DELEGATED);
    fx_assert_state(&f, POOL_PA + 2 * GRAN, POOL_PA + 4 * GRAN,
                    RMM_GRANULE_UNDELEGATED);
    g_assert_cmphex(fx_read64(&f, LIST_PA), ==,
                    fx_desc(&f, POOL_PA, 0, 1, DEL));
    g_assert_cmphex(fx_read64(&f, LIST_PA + 16), ==,
                    fx_desc(&f, POOL_PA + 2 * GRAN, 0, 1, UND));
    fx_expect_end(&f, h, RMI_ERROR_INPUT);
    fx_stop(&f);
}

/* The invariant check must notice what it is there to notice. */
static void test_check_detects_leaks(void)
{
    Fx f;
    uint64_t h;
    RmmSro *op;

    fx_setup_active(&f);
    fx_delegate(&f, POOL_PA, POOL_PA + 2 * GRAN);
    h = start_test_op(&f, req_l3(2, DEL), true);
    fx_put_singles(&f, LIST_PA, POOL_PA, GRAN, 2, DEL);
    fx_expect(fx_donate(&f, h, LIST_PA, 2), X0_NONE_C, 2, 0);
    g_assert_true(rmm_core_check(f.rmm, NULL));

    /* Free the context without giving its granules to anyone. */
    op = &f.rmm->sro[h & 0xffff];
    g_array_set_size(op->donated, 0);
    rmm_sro_close(f.rmm, op);
    fx_assert_check_fails(&f, "no live owner");
    fx_stop(&f);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/sro/x0-encoding", test_x0_encoding);
    g_test_add_func("/sro/donate-full", test_donate_full);
    g_test_add_func("/sro/donate-partial-host", test_donate_partial_host);
    g_test_add_func("/sro/donate-partial-consume",
                    test_donate_partial_consume);
    g_test_add_func("/sro/donate-blocks", test_donate_blocks);
    g_test_add_func("/sro/donate-contig", test_donate_contig);
    g_test_add_func("/sro/donate-bad-lists", test_donate_bad_lists);
    g_test_add_func("/sro/donate-l2-alignment", test_donate_l2_alignment);
    g_test_add_func("/sro/wrong-step", test_wrong_step);
    g_test_add_func("/sro/cancel-reclaim", test_cancel_reclaim);
    g_test_add_func("/sro/cancel-variants", test_cancel_variants);
    g_test_add_func("/sro/reclaim-bad-lists", test_reclaim_bad_lists);
    g_test_add_func("/sro/delegated-memory", test_delegated_memory);
    g_test_add_func("/sro/blocked-and-priorities",
                    test_blocked_and_priorities);
    g_test_add_func("/sro/pool-exhaustion", test_pool_exhaustion);
    g_test_add_func("/sro/handle-reference-format",
                    test_handle_reference_format);
    g_test_add_func("/sro/handle-tagged-format", test_handle_tagged_format);
    g_test_add_func("/sro/bet3-layouts", test_bet3_layouts);
    g_test_add_func("/sro/bet3-delegated-conditional",
                    test_bet3_delegated_conditional);
    g_test_add_func("/sro/check-detects-leaks", test_check_detects_leaks);
    return g_test_run();
}
