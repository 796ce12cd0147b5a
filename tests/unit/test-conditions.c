/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rmm_core_last_condition(): a command that fails records the failure
 * condition that fired, by the identifier the specification's failure
 * condition table gives it (or, for a failure the model adds, the name
 * docs/model-core.rst gives it), so that traces and -d guest_errors can
 * say why.  Here, one or a few failing calls per area of the core (the
 * RMM lifecycle, delegation, realms, RTTs, data, RECs, SROs), each checked
 * for its status and its condition's name, and the calls that do not
 * fail, which must leave no name behind: a successful call after a failed
 * one, an INCOMPLETE one, and a range command that a condition met past
 * its first granule ends early with RMI_SUCCESS.
 *
 * The order of the conditions and every one of them are the business of
 * each command's own tests (tests/unit/coverage.def); this file checks
 * that the names reach the caller.
 */
#include "realm-test.h"

#define PROT_TOP        (1ULL << 39)    /* the default realm's 40-bit IPA */
#define FREE_PA         (MEM_BASE + 0x800000)   /* NS, used by no fixture */
#define REC_PARAMS      (RT_PARAMS + 8 * GRAN)  /* NS: RmiRecParams */

/* x0 is the status want, and the condition recorded is cond (or none). */
static void expect(Fx *f, uint64_t x0, uint64_t want, const char *cond)
{
    g_assert_cmphex(x0, ==, want);
    g_assert_cmpstr(rmm_core_last_condition(f->rmm), ==, cond);
}

static RmiRegs delegate(Fx *f, uint64_t base, uint64_t top)
{
    return fx_call(f, RMI_FID_GRANULE_RANGE_DELEGATE, XR(1), 2, base, top);
}

static uint64_t version(Fx *f, uint64_t req)
{
    return fx_call(f, RMI_FID_VERSION, XR(1) | XR(2), 1, req).x[0];
}

static uint64_t rtt_create(Fx *f, uint64_t rtt, uint64_t ipa, int64_t level)
{
    return fx_call(f, RMI_FID_RTT_CREATE, NO_OUT, 4, RT_RD, rtt, ipa,
                   (uint64_t)level).x[0];
}

static RmiRegs data_map(Fx *f, uint64_t base, uint64_t top, uint64_t oaddr)
{
    return fx_call(f, RMI_FID_RTT_DATA_MAP, XR(1) | XR(2), 5, RT_RD, base,
                   top, RMI_RTT_FLAGS(RMI_ADDR_TYPE_SINGLE, 0, 0, 0), oaddr);
}

static void test_version(void)
{
    Fx f;

    fx_setup(&f);
    expect(&f, version(&f, RMI_VERSION_MAKE(1, 0)), RMI_ERROR_INPUT,
           "incompat_higher");
    expect(&f, version(&f, RMI_VERSION_MAKE(3, 0)), RMI_ERROR_INPUT,
           "incompat_lower");
    expect(&f, version(&f, RMI_VERSION_MAKE(2, 0) | (1ULL << 63)),
           RMI_ERROR_INPUT, "mbz");
    /* Each call starts with no condition. */
    expect(&f, version(&f, RMI_VERSION_MAKE(2, 0)), RMI_SUCCESS, NULL);
    fx_stop(&f);
}

static void test_delegate(void)
{
    Fx f;

    fx_setup(&f);
    expect(&f, delegate(&f, FREE_PA, FREE_PA + GRAN).x[0], RMI_ERROR_GLOBAL,
           "rmm_state");
    fx_activate(&f);
    expect(&f, delegate(&f, FREE_PA + 8, FREE_PA + GRAN).x[0],
           RMI_ERROR_INPUT, "base_align");
    expect(&f, delegate(&f, FREE_PA, FREE_PA).x[0], RMI_ERROR_INPUT,
           "top_bound");
    expect(&f, delegate(&f, FREE_PA + GRAN, FREE_PA + 2 * GRAN).x[0],
           RMI_SUCCESS, NULL);
    expect(&f, delegate(&f, FREE_PA + GRAN, FREE_PA + 2 * GRAN).x[0],
           RMI_ERROR_INPUT, "state");
    /*
     * The delegated granule ends a range that starts before it: progress
     * to it, RMI_SUCCESS, and no condition (the next call fails on it).
     */
    {
        RmiRegs r = delegate(&f, FREE_PA, FREE_PA + 2 * GRAN);

        expect(&f, r.x[0], RMI_SUCCESS, NULL);
        g_assert_cmphex(r.x[1], ==, FREE_PA + GRAN);
    }
    fx_stop(&f);
}

static void test_realm(void)
{
    Fx f;
    RtRealm t, b;

    rt_setup(&f, &t);
    rt_realm_second(&b);
    rt_prepare(&f, &b);
    expect(&f, fx_call(&f, RMI_FID_REALM_CREATE, NO_OUT, 2, b.rd,
                       b.params + 8).x[0], RMI_ERROR_INPUT, "params_align");
    b.hash_algo = RMI_HASH_SHA_384 + 1;
    expect(&f, rt_realm_create_call(&f, &b).x[0], RMI_ERROR_INPUT,
           "params_valid");
    b.hash_algo = RMI_HASH_SHA_256;
    b.rtt_base = b.rd;
    b.rtt_num_start = 1;
    expect(&f, rt_realm_create_call(&f, &b).x[0], RMI_ERROR_INPUT, "alias");

    /* REALM_CREATE's rd argument (rmm_granule_take_check()) */
    b.rtt_base = RT_RTT_BASE2;
    b.rtt_num_start = 2;
    b.rd = FREE_PA;
    expect(&f, rt_realm_create_call(&f, &b).x[0], RMI_ERROR_INPUT,
           "rd_state");
    b.rd = RT_RD2;

    /* The rd checks, named as each command names them. */
    expect(&f, fx_call(&f, RMI_FID_REALM_ACTIVATE, NO_OUT, 1,
                       RT_RD + 8).x[0], RMI_ERROR_INPUT, "rd_align");
    expect(&f, fx_call(&f, RMI_FID_REALM_ACTIVATE, NO_OUT, 1,
                       RT_UNTRACKED).x[0], RMI_ERROR_INPUT, "rd_bound");
    expect(&f, fx_call(&f, RMI_FID_REALM_DESTROY, NO_OUT, 1,
                       RT_UNTRACKED).x[0], RMI_ERROR_INPUT, "rd_tracking");
    expect(&f, fx_call(&f, RMI_FID_REALM_TERMINATE, NO_OUT, 1,
                       RT_RTT_BASE).x[0], RMI_ERROR_INPUT, "rd_state");
    expect(&f, fx_call(&f, RMI_FID_REALM_DESTROY, NO_OUT, 1, RT_RD).x[0],
           RMI_ERROR_REALM, "realm_state");
    expect(&f, fx_call(&f, RMI_FID_REALM_ACTIVATE, NO_OUT, 1, RT_RD).x[0],
           RMI_SUCCESS, NULL);
    expect(&f, fx_call(&f, RMI_FID_REALM_ACTIVATE, NO_OUT, 1, RT_RD).x[0],
           RMI_ERROR_REALM, "realm_state");
    fx_stop(&f);
}

static void test_rtt(void)
{
    Fx f;
    RtRealm t;
    uint64_t rtt;

    rt_setup(&f, &t);
    rtt = rt_rtt_alloc(&f);
    /* The default realm starts at level 1: RTTs are created at 2 and 3. */
    expect(&f, rtt_create(&f, rtt, 0, 1), RMI_ERROR_INPUT, "level_bound");
    expect(&f, rtt_create(&f, rtt, 0, 4), RMI_ERROR_INPUT, "level_bound");
    expect(&f, rtt_create(&f, rtt, GRAN, 2), RMI_ERROR_INPUT, "ipa_align");
    expect(&f, rtt_create(&f, rtt, 1ULL << 40, 2), RMI_ERROR_INPUT,
           "ipa_bound");
    /* The rtt argument's own checks (rmm_granule_take_check()) */
    expect(&f, rtt_create(&f, rtt + 8, 0, 2), RMI_ERROR_INPUT, "rtt_align");
    expect(&f, rtt_create(&f, RT_UNTRACKED, 0, 2), RMI_ERROR_INPUT,
           "rtt_bound");
    expect(&f, rtt_create(&f, FREE_PA, 0, 2), RMI_ERROR_INPUT, "rtt_state");
    expect(&f, rtt_create(&f, rtt, 0, 3), X0_RTT(1), "rtt_walk");
    expect(&f, rtt_create(&f, rtt, 0, 2), RMI_SUCCESS, NULL);
    expect(&f, rtt_create(&f, rt_rtt_alloc(&f), 0, 2), X0_RTT(1),
           "rtte_state");
    expect(&f, fx_call(&f, RMI_FID_RTT_READ_ENTRY, XR(1) | XR(2) | XR(3) |
                       XR(4), 3, RT_RD, 0ULL, 0ULL).x[0], RMI_ERROR_INPUT,
           "level_bound");
    fx_stop(&f);
}

static void test_data(void)
{
    Fx f;
    RtRealm t;
    uint64_t d = RT_DATA_POOL;
    RmiRegs r;

    rt_setup(&f, &t);
    rt_rtt_create_path(&f, RT_RD, 0);
    fx_delegate(&f, d, d + GRAN);
    expect(&f, fx_call(&f, RMI_FID_RTT_DATA_MAP_INIT, NO_OUT, 5, RT_RD, d,
                       0x800ULL, RT_SRC, 0ULL).x[0], RMI_ERROR_INPUT,
           "ipa_align");
    expect(&f, fx_call(&f, RMI_FID_RTT_DATA_MAP_INIT, NO_OUT, 5, RT_RD, d,
                       PROT_TOP, RT_SRC, 0ULL).x[0], RMI_ERROR_INPUT,
           "ipa_bound");
    expect(&f, data_map(&f, PROT_TOP, PROT_TOP + GRAN,
                        rt_pages(&f, d, 1)).x[0], RMI_ERROR_INPUT,
           "ipa_bound");
    expect(&f, data_map(&f, 0, GRAN, rt_pages(&f, d, 1) | (1ULL << 55)).x[0],
           RMI_ERROR_INPUT, "oaddr_single_align");
    expect(&f, data_map(&f, 0, GRAN, rt_pages(&f, d + GRAN, 1)).x[0],
           RMI_ERROR_INPUT, "gran_state");
    /*
     * Two pages, only the first delegated: the first is mapped and the
     * second ends the command, RMI_SUCCESS with no condition.
     */
    r = data_map(&f, 0, 2 * GRAN, rt_pages(&f, d, 2));
    expect(&f, r.x[0], RMI_SUCCESS, NULL);
    g_assert_cmphex(r.x[1], ==, GRAN);
    expect(&f, data_map(&f, 0, GRAN, rt_pages(&f, d + GRAN, 1)).x[0],
           X0_RTT(3), "rtte_state");
    fx_stop(&f);
}

static void test_rec(void)
{
    Fx f;
    RtRealm t;
    uint64_t rec = RT_DATA_POOL + 8 * MiB;

    rt_setup(&f, &t);
    fx_delegate(&f, rec, rec + GRAN);
    fx_fill(&f, REC_PARAMS, GRAN, 0);
    fx_write64(&f, REC_PARAMS + RMI_REC_PARAMS_FLAGS,
               RMI_REC_FLAG_RUNNABLE | 2);
    expect(&f, fx_call(&f, RMI_FID_REC_CREATE, XR(1) | XR(2), 3, RT_RD, rec,
                       REC_PARAMS).x[0], RMI_ERROR_INPUT, "flags_sbz");
    fx_write64(&f, REC_PARAMS + RMI_REC_PARAMS_FLAGS, RMI_REC_FLAG_RUNNABLE);
    expect(&f, fx_call(&f, RMI_FID_REC_CREATE, XR(1) | XR(2), 3, RT_RD,
                       rec + 8, REC_PARAMS).x[0], RMI_ERROR_INPUT,
           "rec_align");
    expect(&f, fx_call(&f, RMI_FID_REC_CREATE, XR(1) | XR(2), 3, RT_RD + 8,
                       rec, REC_PARAMS).x[0], RMI_ERROR_INPUT, "rd_align");

    /* A REC argument, as each command names it (rmm_rec_lookup()) */
    expect(&f, fx_call(&f, RMI_FID_REC_ENTER, NO_OUT, 2, rec + 8,
                       RT_PARAMS).x[0], RMI_ERROR_INPUT, "rec_align");
    expect(&f, fx_call(&f, RMI_FID_REC_ENTER, NO_OUT, 2, RT_UNTRACKED,
                       RT_PARAMS).x[0], RMI_ERROR_INPUT, "rec_bound");
    expect(&f, fx_call(&f, RMI_FID_REC_DESTROY, XR(1) | XR(2), 1,
                       RT_UNTRACKED).x[0], RMI_ERROR_INPUT, "rec_tracking");
    expect(&f, fx_call(&f, RMI_FID_REC_DESTROY, XR(1) | XR(2), 1,
                       rec).x[0], RMI_ERROR_INPUT, "rec_gran_state");
    expect(&f, fx_call(&f, RMI_FID_PSCI_COMPLETE, NO_OUT, 3, rec + 8,
                       rec, 0ULL).x[0], RMI_ERROR_INPUT, "calling_align");
    expect(&f, fx_call(&f, RMI_FID_PSCI_COMPLETE, NO_OUT, 3, rec, rec + GRAN,
                       0ULL).x[0], RMI_ERROR_INPUT, "calling_state");
    fx_stop(&f);
}

static void test_sro(void)
{
    Fx f;
    uint64_t h;

    fx_config(&f);
    /* RMM_ACTIVATE asks for memory: INCOMPLETE is no failure. */
    h = fx_start_activation(&f, RMI_DONATE_REQ(RMI_PAGE_L3, 2,
                                               RMI_OP_MEM_NON_CONTIG, UND));
    g_assert_null(rmm_core_last_condition(f.rmm));
    expect(&f, fx_continue(&f, h + 1).x[0], RMI_ERROR_INPUT, "complete");
    /* The operation waits for a donation, not for OP_CONTINUE. */
    expect(&f, fx_continue(&f, h).x[0], RMI_ERROR_INPUT, "complete");
    expect(&f, fx_donate(&f, h, LIST_PA + 4, 1).x[0], RMI_ERROR_INPUT,
           "list_align");
    expect(&f, fx_cancel(&f, h).x[0], X0_NONE, NULL);
    expect(&f, fx_cancel(&f, h).x[0], RMI_ERROR_INPUT, "can_cancel");
    /* The resumed RMM_ACTIVATE fails: OP_CONTINUE's own condition. */
    expect(&f, fx_continue(&f, h).x[0], RMI_ERROR_GLOBAL, "fail");
    fx_stop(&f);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/conditions/version", test_version);
    g_test_add_func("/conditions/delegate", test_delegate);
    g_test_add_func("/conditions/realm", test_realm);
    g_test_add_func("/conditions/rtt", test_rtt);
    g_test_add_func("/conditions/data", test_data);
    g_test_add_func("/conditions/rec", test_rec);
    g_test_add_func("/conditions/sro", test_sro);
    return g_test_run();
}
