/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RMI_GRANULE_RANGE_DELEGATE / _UNDELEGATE (B4.5.17/18, A2.3.6.2): the
 * progress-address model, wiping, every failure condition in order, and
 * the yielding (SRO) form with held granules.
 */
#include "rmm-test.h"
#include "tests/unit/coverage.h"

#define GB              (1ULL << 30)
/* Tracked (same 1GB region as the DRAM) but not DRAM: unpopulated. */
#define HOLE_PA         MEM_TOP
/* A region with no DRAM at all: untracked. */
#define UNTRACKED_PA    (4 * GB)

static RmiRegs delegate(Fx *f, uint64_t base, uint64_t top)
{
    return fx_call(f, RMI_FID_GRANULE_RANGE_DELEGATE, XR(1) | XR(2), 2,
                   base, top);
}

static RmiRegs undelegate(Fx *f, uint64_t base, uint64_t top)
{
    return fx_call(f, RMI_FID_GRANULE_RANGE_UNDELEGATE, XR(1) | XR(2), 2,
                   base, top);
}

static void expect_ok(RmiRegs r, uint64_t out_top, uint64_t top)
{
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(r.x[1], ==, out_top);
    g_assert_cmphex(r.x[2], ==, top);     /* input, not an output */
}

static void expect_err(RmiRegs r, uint64_t st, uint64_t base, uint64_t top)
{
    g_assert_cmphex(r.x[0], ==, st);
    /* A failed call reports no progress: X1 (out_top) is 0; X2 is input. */
    g_assert_cmphex(r.x[1], ==, 0);
    g_assert_cmphex(r.x[2], ==, top);
}

static void test_roundtrip_wipes(void)
{
    Fx f;
    uint64_t base = POOL_PA, top = POOL_PA + 16 * GRAN;

    fx_setup_active(&f);
    fx_fill(&f, base, top - base, 0xa5);
    expect_ok(delegate(&f, base, top), top, top);
    fx_assert_state(&f, base, top, RMM_GRANULE_DELEGATED);
    g_assert_true(fx_is_filled(&f, base, top - base, 0));
    g_assert_cmpuint(fx_count(&f, RMM_GRANULE_DELEGATED), ==, 16);
    g_assert_cmpuint(fx_census(&f).metadata_bytes, >, 0);

    fx_fill(&f, base, top - base, 0x5a);    /* as if the RMM had used it */
    expect_ok(undelegate(&f, base, top), top, top);
    fx_assert_state(&f, base, top, RMM_GRANULE_UNDELEGATED);
    g_assert_true(fx_is_filled(&f, base, top - base, 0));
    g_assert_cmpuint(fx_count(&f, RMM_GRANULE_DELEGATED), ==, 0);
    /* Undelegated memory costs nothing. */
    g_assert_cmpuint(fx_census(&f).metadata_bytes, ==, 0);
    fx_stop(&f);
}

/*
 * Granule records come in 2MB blocks, allocated with the first granule
 * delegated in a block and freed with the last one undelegated.
 */
static void test_metadata_blocks(void)
{
    const uint64_t blk = MEM_BASE + (16ULL << 20), two_mb = 2ULL << 20;
    uint64_t one;
    Fx f;

    fx_setup_active(&f);
    g_assert_cmpuint(fx_census(&f).metadata_bytes, ==, 0);
    fx_delegate(&f, blk, blk + GRAN);
    one = fx_census(&f).metadata_bytes;
    g_assert_cmpuint(one, >, 0);
    /* The whole block costs what its first granule did... */
    fx_delegate(&f, blk + GRAN, blk + two_mb);
    g_assert_cmpuint(fx_census(&f).metadata_bytes, ==, one);
    g_assert_cmpuint(one / 512, <=, 16);
    /* ...the next block as much again... */
    fx_delegate(&f, blk + two_mb + 5 * GRAN, blk + two_mb + 6 * GRAN);
    g_assert_cmpuint(fx_census(&f).metadata_bytes, ==, 2 * one);
    fx_assert_state(&f, blk, blk + two_mb, RMM_GRANULE_DELEGATED);
    fx_assert_state(&f, blk + two_mb, blk + two_mb + 5 * GRAN,
                    RMM_GRANULE_UNDELEGATED);
    /* ...and each is freed with its last delegated granule. */
    fx_undelegate(&f, blk + GRAN, blk + two_mb);
    g_assert_cmpuint(fx_census(&f).metadata_bytes, ==, 2 * one);
    fx_undelegate(&f, blk, blk + GRAN);
    g_assert_cmpuint(fx_census(&f).metadata_bytes, ==, one);
    fx_undelegate(&f, blk + two_mb + 5 * GRAN, blk + two_mb + 6 * GRAN);
    g_assert_cmpuint(fx_census(&f).metadata_bytes, ==, 0);
    g_assert_cmpuint(fx_count(&f, RMM_GRANULE_DELEGATED), ==, 0);
    fx_stop(&f);
}

static void test_whole_dram(void)
{
    Fx f;

    fx_config(&f);
    f.cfg.range_granules_per_call = 0;      /* no bound: one call */
    fx_start_active(&f);
    expect_ok(delegate(&f, MEM_BASE, MEM_TOP), MEM_TOP, MEM_TOP);
    g_assert_cmpuint(fx_count(&f, RMM_GRANULE_DELEGATED), ==,
                     MEM_SIZE / GRAN);
    expect_ok(undelegate(&f, MEM_BASE, MEM_TOP), MEM_TOP, MEM_TOP);
    g_assert_cmpuint(fx_count(&f, RMM_GRANULE_DELEGATED), ==, 0);
    fx_stop(&f);
}

/*
 * In an active RMM that bounds each call to per_call granules and yields
 * every yield_every granules: delegate 16 granules at POOL_PA.
 */
static RmiRegs delegate_bounded(Fx *f, uint64_t per_call,
                                uint64_t yield_every)
{
    fx_config(f);
    f->cfg.range_granules_per_call = per_call;
    f->cfg.delegate_yield_every = yield_every;
    fx_start_active(f);
    return delegate(f, POOL_PA, POOL_PA + 16 * GRAN);
}

/*
 * The per-call bound (default RMM_RANGE_GRANULES_PER_CALL): each call
 * transitions that many granules and returns RMI_SUCCESS with out_top;
 * the host calls again from out_top.  With a yielding SRO, each step is
 * bounded too, and reaching the bound ends the operation.
 */
static void test_bounded_calls(void)
{
    const uint64_t chunk = RMM_RANGE_GRANULES_PER_CALL * GRAN;
    Fx f;
    uint64_t base, calls = 0;
    RmiRegs r;

    fx_setup(&f);
    g_assert_cmpuint(f.cfg.range_granules_per_call, ==,
                     RMM_RANGE_GRANULES_PER_CALL);
    fx_activate(&f);
    for (base = MEM_BASE; base < MEM_TOP; base += chunk, calls++) {
        expect_ok(delegate(&f, base, MEM_TOP), base + chunk, MEM_TOP);
        fx_assert_state(&f, base, base + chunk, RMM_GRANULE_DELEGATED);
        if (base + chunk < MEM_TOP) {
            fx_assert_state(&f, base + chunk, base + chunk + GRAN,
                            RMM_GRANULE_UNDELEGATED);
        }
    }
    g_assert_cmpuint(calls, ==, MEM_SIZE / chunk);
    /* A range shorter than the bound is done in one call. */
    expect_ok(undelegate(&f, MEM_BASE, MEM_BASE + 3 * GRAN),
              MEM_BASE + 3 * GRAN, MEM_BASE + 3 * GRAN);
    expect_ok(undelegate(&f, MEM_BASE + 3 * GRAN, MEM_TOP),
              MEM_BASE + 3 * GRAN + chunk, MEM_TOP);
    fx_stop(&f);

    /*
     * Under a yield every 3 granules, a bound of 2 ends the command before
     * it yields: no operation is left open.
     */
    r = delegate_bounded(&f, 2, 3);
    expect_ok(r, POOL_PA + 2 * GRAN, POOL_PA + 16 * GRAN);
    g_assert_cmpuint(fx_census(&f).sro_live, ==, 0);
    fx_stop(&f);
    /* A bound above the yield budget: each step does its budget. */
    r = delegate_bounded(&f, 3, 2);
    g_assert_cmphex(r.x[0], ==, 0xdULL);     /* INCOMPLETE, NONE */
    fx_assert_state(&f, POOL_PA, POOL_PA + 2 * GRAN, RMM_GRANULE_DELEGATED);
    fx_assert_state(&f, POOL_PA + 2 * GRAN, POOL_PA + 3 * GRAN,
                    RMM_GRANULE_UNDELEGATED);
    fx_stop(&f);
}

static void test_progress_stops(void)
{
    Fx f;
    uint64_t base = POOL_PA;

    fx_setup_active(&f);
    fx_delegate(&f, base + 5 * GRAN, base + 6 * GRAN);

    /* Stops at the granule in the wrong state... */
    expect_ok(delegate(&f, base, base + 10 * GRAN), base + 5 * GRAN,
              base + 10 * GRAN);
    fx_assert_state(&f, base, base + 6 * GRAN, RMM_GRANULE_DELEGATED);
    fx_assert_state(&f, base + 6 * GRAN, base + 10 * GRAN,
                    RMM_GRANULE_UNDELEGATED);
    /* ...and the next call fails on it. */
    expect_err(delegate(&f, base + 5 * GRAN, base + 10 * GRAN),
               RMI_ERROR_INPUT, base + 5 * GRAN, base + 10 * GRAN);
    expect_ok(delegate(&f, base + 6 * GRAN, base + 10 * GRAN),
              base + 10 * GRAN, base + 10 * GRAN);

    /* Undelegate stops at an UNDELEGATED granule. */
    expect_ok(undelegate(&f, base, base + 11 * GRAN), base + 10 * GRAN,
              base + 11 * GRAN);
    expect_err(undelegate(&f, base + 10 * GRAN, base + 11 * GRAN),
               RMI_ERROR_INPUT, base + 10 * GRAN, base + 11 * GRAN);

    /* Stops at the end of DRAM (next granule unpopulated). */
    expect_ok(delegate(&f, MEM_TOP - 2 * GRAN, MEM_TOP + 2 * GRAN),
              MEM_TOP, MEM_TOP + 2 * GRAN);
    fx_assert_state(&f, MEM_TOP - 2 * GRAN, MEM_TOP, RMM_GRANULE_DELEGATED);
    expect_ok(undelegate(&f, MEM_TOP - 2 * GRAN, MEM_TOP + 2 * GRAN),
              MEM_TOP, MEM_TOP + 2 * GRAN);
    fx_stop(&f);
}

static void test_stops_at_untracked(void)
{
    Fx f;
    uint64_t top_region = 2 * GB;

    fx_setup(&f);
    /* DRAM that runs up to the end of its tracking region. */
    rmm_core_add_dram(f.rmm, top_region - 2 * GRAN, 2 * GRAN);
    fx_activate(&f);
    /* unbacked by simmem, so the wipe fails: treated as unpopulated */
    expect_err(delegate(&f, top_region - 2 * GRAN, top_region + GRAN),
               RMI_ERROR_INPUT, top_region - 2 * GRAN, top_region + GRAN);
    fx_stop(&f);
}

/*
 * tracking: DRAM whose tracking region is not FINE (nothing tracked at
 * boot, tracking_host_fine).  It comes after populated and before state:
 * the granule is UNDELEGATED, which undelegation would refuse too.
 */
static void test_tracking_untracked(void)
{
    uint64_t b = POOL_PA;
    Fx f;

    fx_config(&f);
    f.cfg.tracking_host_fine = true;
    fx_start_active(&f);
    expect_err(delegate(&f, b, b + GRAN), RMI_ERROR_TRACKING, b, b + GRAN);
    COVER(GRANULE_RANGE_UNDELEGATE, tracking);
    expect_err(undelegate(&f, b, b + GRAN), RMI_ERROR_TRACKING, b,
               b + GRAN);
    /* populated still comes first */
    expect_err(delegate(&f, MEM_TOP, MEM_TOP + GRAN), RMI_ERROR_INPUT,
               MEM_TOP, MEM_TOP + GRAN);
    fx_assert_state(&f, b, b + GRAN, RMM_GRANULE_UNDELEGATED);
    fx_stop(&f);
}

static void test_failures(void)
{
    Fx f;
    uint64_t b = POOL_PA;

    fx_setup(&f);
    /* rmm_state (delegate only), before any input check */
    COVER(GRANULE_RANGE_DELEGATE, rmm_state);
    expect_err(delegate(&f, b, b + GRAN), RMI_ERROR_GLOBAL, b, b + GRAN);
    expect_err(delegate(&f, b + 1, b), RMI_ERROR_GLOBAL, b + 1, b);
    expect_err(delegate(&f, UNTRACKED_PA, UNTRACKED_PA + GRAN),
               RMI_ERROR_GLOBAL, UNTRACKED_PA, UNTRACKED_PA + GRAN);
    /* UNDELEGATE has no rmm_state condition. */
    expect_err(undelegate(&f, b, b + GRAN), RMI_ERROR_INPUT, b, b + GRAN);
    COVER(GRANULE_RANGE_UNDELEGATE, populated);
    expect_err(undelegate(&f, UNTRACKED_PA, UNTRACKED_PA + GRAN),
               RMI_ERROR_INPUT, UNTRACKED_PA, UNTRACKED_PA + GRAN);

    fx_activate(&f);
    /* base_align, top_align, top_bound: before the tracking checks */
    COVER(GRANULE_RANGE_DELEGATE, base_align);
    expect_err(delegate(&f, b + 8, b + GRAN), RMI_ERROR_INPUT, b + 8,
               b + GRAN);
    COVER(GRANULE_RANGE_DELEGATE, top_align);
    expect_err(delegate(&f, b, b + GRAN + 8), RMI_ERROR_INPUT, b,
               b + GRAN + 8);
    COVER(GRANULE_RANGE_DELEGATE, top_bound);
    expect_err(delegate(&f, b, b), RMI_ERROR_INPUT, b, b);
    expect_err(delegate(&f, b + GRAN, b), RMI_ERROR_INPUT, b + GRAN, b);
    expect_err(delegate(&f, UNTRACKED_PA + 8, UNTRACKED_PA + GRAN),
               RMI_ERROR_INPUT, UNTRACKED_PA + 8, UNTRACKED_PA + GRAN);
    expect_err(delegate(&f, UNTRACKED_PA, UNTRACKED_PA),
               RMI_ERROR_INPUT, UNTRACKED_PA, UNTRACKED_PA);
    COVER(GRANULE_RANGE_UNDELEGATE, top_bound);
    expect_err(undelegate(&f, UNTRACKED_PA + GRAN, UNTRACKED_PA),
               RMI_ERROR_INPUT, UNTRACKED_PA + GRAN, UNTRACKED_PA);
    /*
     * populated: no DRAM there, whether in a region holding DRAM (HOLE_PA)
     * or not (PA 0, 4GB, the 48-bit PA limit, 2^52): ERROR_INPUT, as the
     * reference RMM answers memory outside its memory layout.  The
     * tracking condition is for DRAM (tracking_untracked below).
     */
    COVER(GRANULE_RANGE_DELEGATE, populated);
    expect_err(delegate(&f, HOLE_PA, HOLE_PA + GRAN), RMI_ERROR_INPUT,
               HOLE_PA, HOLE_PA + GRAN);
    expect_err(delegate(&f, UNTRACKED_PA, UNTRACKED_PA + GRAN),
               RMI_ERROR_INPUT, UNTRACKED_PA, UNTRACKED_PA + GRAN);
    expect_err(delegate(&f, 0, GRAN), RMI_ERROR_INPUT, 0, GRAN);
    expect_err(delegate(&f, 1ULL << 48, (1ULL << 48) + GRAN),
               RMI_ERROR_INPUT, 1ULL << 48, (1ULL << 48) + GRAN);
    expect_err(delegate(&f, 1ULL << 52, (1ULL << 52) + GRAN),
               RMI_ERROR_INPUT, 1ULL << 52, (1ULL << 52) + GRAN);
    /* state */
    fx_delegate(&f, b, b + GRAN);
    COVER(GRANULE_RANGE_DELEGATE, state);
    expect_err(delegate(&f, b, b + 2 * GRAN), RMI_ERROR_INPUT, b,
               b + 2 * GRAN);
    COVER(GRANULE_RANGE_UNDELEGATE, state);
    expect_err(undelegate(&f, b + GRAN, b + 2 * GRAN), RMI_ERROR_INPUT,
               b + GRAN, b + 2 * GRAN);
    /* Failures change nothing. */
    g_assert_cmpuint(fx_count(&f, RMM_GRANULE_DELEGATED), ==, 1);
    fx_stop(&f);
}

/* ---- The yielding form ---- */

static void yield_setup(Fx *f, uint64_t k, unsigned contexts)
{
    fx_config(f);
    f->cfg.delegate_yield_every = k;
    if (contexts) {
        f->cfg.sro_contexts = contexts;
    }
    fx_start_active(f);
}

static const uint64_t X0_YIELD = 0xdULL;    /* INCOMPLETE, NONE, no cancel */

static RmiRegs op_continue(Fx *f, uint64_t handle, uint64_t flags)
{
    return fx_call(f, RMI_FID_OP_CONTINUE, XR(1) | XR(2), 2, handle, flags);
}

static void test_yield_protocol(void)
{
    Fx f;
    uint64_t base = POOL_PA, top = POOL_PA + 10 * GRAN;
    uint64_t handle;
    RmiRegs r;

    yield_setup(&f, 4, 0);
    r = fx_call(&f, RMI_FID_GRANULE_RANGE_DELEGATE, XR(1), 2, base, top);
    g_assert_cmphex(r.x[0], ==, X0_YIELD);
    handle = r.x[1];
    g_assert_cmphex(r.x[2], ==, top);
    g_assert_cmpuint(fx_census(&f).sro_live, ==, 1);
    fx_assert_state(&f, base, base + 4 * GRAN, RMM_GRANULE_DELEGATED);
    fx_assert_state(&f, base + 4 * GRAN, top, RMM_GRANULE_UNDELEGATED);
    g_assert_true(rmm_core_granule_held(f.rmm, base));
    g_assert_true(rmm_core_granule_held(f.rmm, top - GRAN));
    g_assert_false(rmm_core_granule_held(f.rmm, top));
    g_assert_false(rmm_core_granule_held(f.rmm, base - GRAN));

    /* Cannot be cancelled: every step said CANNOT_CANCEL. */
    g_assert_cmphex(fx_cancel(&f, handle).x[0], ==,
                    RMI_ERROR_INPUT);
    /* Only OP_CONTINUE is expected. */
    g_assert_cmphex(fx_donate(&f, handle, LIST_PA, 0).x[0], ==,
                    RMI_ERROR_INPUT);
    g_assert_cmphex(fx_reclaim(&f, handle, LIST_PA, 1).x[0], ==,
                    RMI_ERROR_INPUT);
    /* flags SBZ */
    r = op_continue(&f, handle, 2);
    g_assert_cmphex(r.x[0], ==, RMI_ERROR_INPUT);
    g_assert_cmphex(r.x[1], ==, handle);

    r = fx_continue(&f, handle);
    g_assert_cmphex(r.x[0], ==, X0_YIELD);
    g_assert_cmphex(r.x[1], ==, handle);   /* not an output while INCOMPLETE */
    g_assert_cmphex(r.x[2], ==, 0);        /* donate_req RES0 */
    fx_assert_state(&f, base, base + 8 * GRAN, RMM_GRANULE_DELEGATED);

    r = fx_continue(&f, handle);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(r.x[1], ==, top);      /* out_top of the command */
    g_assert_cmphex(r.x[2], ==, 0);
    fx_assert_state(&f, base, top, RMM_GRANULE_DELEGATED);
    g_assert_cmpuint(fx_census(&f).sro_live, ==, 0);
    g_assert_false(rmm_core_granule_held(f.rmm, base));

    /* Stale handle for every control command. */
    g_assert_cmphex(fx_continue(&f, handle).x[0], ==, RMI_ERROR_INPUT);
    g_assert_cmphex(fx_cancel(&f, handle).x[0], ==,
                    RMI_ERROR_INPUT);
    fx_stop(&f);
}

static void test_yield_blocked(void)
{
    Fx f;
    uint64_t base = POOL_PA + 4 * GRAN, top = base + 8 * GRAN;
    uint64_t handle;
    RmiRegs r;

    yield_setup(&f, 2, 0);
    fx_delegate(&f, POOL_PA, POOL_PA + GRAN);       /* K=2: no SRO */
    g_assert_cmpuint(fx_census(&f).sro_live, ==, 0);
    handle = fx_hold(&f, base, top);

    /* Done and not yet done granules are both in an intermediate state. */
    COVER(GRANULE_RANGE_DELEGATE, held);
    COVER(GRANULE_RANGE_UNDELEGATE, held);
    expect_err(undelegate(&f, base, base + GRAN), RMI_BLOCKED, base,
               base + GRAN);
    expect_err(delegate(&f, top - GRAN, top), RMI_BLOCKED, top - GRAN, top);
    /* Higher-priority failures still win over BLOCKED. */
    expect_err(delegate(&f, top - GRAN + 8, top), RMI_ERROR_INPUT,
               top - GRAN + 8, top);
    expect_err(delegate(&f, top, top - GRAN), RMI_ERROR_INPUT, top,
               top - GRAN);
    /*
     * A range that runs into the held one stops in front of it; the part
     * before it (2 granules = K) needs no operation of its own.
     */
    expect_ok(delegate(&f, POOL_PA + 2 * GRAN, top + GRAN), base,
              top + GRAN);
    fx_assert_state(&f, POOL_PA, POOL_PA + GRAN, RMM_GRANULE_DELEGATED);
    fx_assert_state(&f, POOL_PA + 2 * GRAN, base, RMM_GRANULE_DELEGATED);
    expect_ok(undelegate(&f, POOL_PA + 2 * GRAN, top), base, top);
    /* Longer than K: it yields, holding only up to the held range. */
    fx_delegate(&f, POOL_PA + GRAN, POOL_PA + 2 * GRAN);
    r = fx_call(&f, RMI_FID_GRANULE_RANGE_UNDELEGATE, XR(1), 2, POOL_PA, top);
    g_assert_cmphex(r.x[0], ==, X0_YIELD);
    g_assert_cmpuint(fx_census(&f).sro_live, ==, 2);
    g_assert_true(rmm_core_granule_held(f.rmm, POOL_PA + 3 * GRAN));
    r = fx_continue(&f, r.x[1]);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(r.x[1], ==, POOL_PA + 2 * GRAN);
    fx_assert_state(&f, POOL_PA, base, RMM_GRANULE_UNDELEGATED);

    fx_release_at(&f, handle, top);
    fx_assert_state(&f, base, top, RMM_GRANULE_DELEGATED);
    g_assert_cmpuint(fx_count(&f, RMM_GRANULE_DELEGATED), ==, 8);
    fx_stop(&f);
}

static void test_yield_stop_flag(void)
{
    Fx f;
    uint64_t base = POOL_PA, top = POOL_PA + 10 * GRAN, h;
    RmiRegs r;

    yield_setup(&f, 3, 0);
    h = fx_hold(&f, base, top);
    /* RMI_CONTINUE_STOP: finish what is in flight, report progress. */
    r = op_continue(&f, h, RMI_CONTINUE_STOP);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(r.x[1], ==, base + 3 * GRAN);
    fx_assert_state(&f, base, base + 3 * GRAN, RMM_GRANULE_DELEGATED);
    fx_assert_state(&f, base + 3 * GRAN, top, RMM_GRANULE_UNDELEGATED);
    g_assert_cmpuint(fx_census(&f).sro_live, ==, 0);
    fx_stop(&f);
}

static void test_yield_stops_early(void)
{
    Fx f;
    uint64_t base = POOL_PA, top = POOL_PA + 10 * GRAN;
    RmiRegs r;

    yield_setup(&f, 3, 0);
    fx_delegate(&f, base + 2 * GRAN, base + 3 * GRAN);
    fx_delegate(&f, base + 7 * GRAN, base + 8 * GRAN);
    /* A failing granule inside the first batch: no operation at all. */
    expect_ok(delegate(&f, base, top), base + 2 * GRAN, top);
    g_assert_cmpuint(fx_census(&f).sro_live, ==, 0);
    /* A failing granule after a yield: the continue ends with SUCCESS. */
    r = fx_continue(&f, fx_hold(&f, base + 3 * GRAN, top));
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(r.x[1], ==, base + 7 * GRAN);
    g_assert_cmpuint(fx_census(&f).sro_live, ==, 0);
    g_assert_cmpuint(fx_count(&f, RMM_GRANULE_DELEGATED), ==, 8);
    fx_stop(&f);
}

static void test_yield_undelegate(void)
{
    Fx f;
    uint64_t base = POOL_PA, top = POOL_PA + 5 * GRAN;
    RmiRegs r;

    yield_setup(&f, 2, 0);
    fx_delegate(&f, base, top);
    fx_fill(&f, base, top - base, 0x77);
    r = fx_call(&f, RMI_FID_GRANULE_RANGE_UNDELEGATE, XR(1), 2, base, top);
    g_assert_cmphex(r.x[0], ==, X0_YIELD);
    fx_assert_state(&f, base, base + 2 * GRAN, RMM_GRANULE_UNDELEGATED);
    /* Undelegated but still held: not NS for other commands yet. */
    g_assert_cmphex(fx_call(&f, RMI_FID_RMM_CONFIG_GET, NO_OUT, 1, base).x[0],
                    ==, RMI_BLOCKED);
    fx_release_at(&f, r.x[1], top);
    g_assert_true(fx_is_filled(&f, base, top - base, 0));
    fx_stop(&f);
}

static void test_pool_exhaustion(void)
{
    Fx f;
    uint64_t a = POOL_PA, b = POOL_PA + 16 * GRAN, c = POOL_PA + 32 * GRAN;
    uint64_t ha, hb, hc;

    /* Generation-tagged handles, so that a reused context is told apart. */
    fx_config(&f);
    f.cfg.delegate_yield_every = 2;
    f.cfg.sro_contexts = 2;
    f.cfg.sro_handle_tagged = true;
    fx_start_active(&f);
    ha = fx_hold(&f, a, a + 4 * GRAN);
    hb = fx_hold(&f, b, b + 4 * GRAN);
    g_assert_cmphex(ha, !=, hb);
    g_assert_cmpuint(fx_census(&f).sro_live, ==, 2);

    /* All contexts sealed: a new SRO gets BLOCKED and changes nothing. */
    expect_err(delegate(&f, c, c + 4 * GRAN), RMI_BLOCKED, c, c + 4 * GRAN);
    fx_assert_state(&f, c, c + 4 * GRAN, RMM_GRANULE_UNDELEGATED);
    /* A command that fits in one step needs no context. */
    expect_ok(delegate(&f, c, c + 2 * GRAN), c + 2 * GRAN, c + 2 * GRAN);

    g_assert_cmphex(fx_continue(&f, ha).x[0], ==, RMI_SUCCESS);
    hc = fx_hold(&f, c + 2 * GRAN, c + 6 * GRAN);
    /* Context 0 is reused with a new generation: the old handle is dead. */
    g_assert_cmphex(hc, !=, ha);
    g_assert_cmphex(hc & 0xffff, ==, ha & 0xffff);
    g_assert_cmphex(fx_continue(&f, ha).x[0], ==, RMI_ERROR_INPUT);
    g_assert_cmphex(fx_continue(&f, hc).x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(fx_continue(&f, hb).x[0], ==, RMI_SUCCESS);
    g_assert_cmpuint(fx_count(&f, RMM_GRANULE_DELEGATED), ==, 14);
    g_assert_cmpuint(fx_census(&f).sro_live, ==, 0);
    fx_stop(&f);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/delegate/roundtrip-wipes", test_roundtrip_wipes);
    g_test_add_func("/delegate/metadata-blocks", test_metadata_blocks);
    g_test_add_func("/delegate/whole-dram", test_whole_dram);
    g_test_add_func("/delegate/tracking-untracked", test_tracking_untracked);
    g_test_add_func("/delegate/bounded-calls", test_bounded_calls);
    g_test_add_func("/delegate/progress-stops", test_progress_stops);
    g_test_add_func("/delegate/unbacked", test_stops_at_untracked);
    g_test_add_func("/delegate/failures", test_failures);
    g_test_add_func("/delegate/yield-protocol", test_yield_protocol);
    g_test_add_func("/delegate/yield-blocked", test_yield_blocked);
    g_test_add_func("/delegate/yield-stop-flag", test_yield_stop_flag);
    g_test_add_func("/delegate/yield-stops-early", test_yield_stops_early);
    g_test_add_func("/delegate/yield-undelegate", test_yield_undelegate);
    g_test_add_func("/delegate/pool-exhaustion", test_pool_exhaustion);
    return g_test_run();
}
