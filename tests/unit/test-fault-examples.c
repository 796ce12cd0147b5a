/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The worked examples of docs/fault-plans.rst: each plan played once by a
 * correct host, which gets through with no host violation, and once by a
 * scripted host with the bug the example is about, which the RMM's
 * statistics flag.
 */
#include "realm-test.h"

#define DLG             (MEM_BASE + 0x2000000)
#define ABANDON_CALLS   4096
#define SPIN_CALLS      256

static void set_plan(Fx *f, const char *text)
{
    g_autofree char *err = NULL;
    RmmFaultPlan *plan = rmm_fault_plan_parse(text, &err);

    g_assert_nonnull(plan);
    rmm_core_set_fault_plan(f->rmm, plan);
}

static uint64_t violations(Fx *f, RmmViolation v)
{
    return fx_census(f).violations[v];
}

static uint64_t all_violations(Fx *f)
{
    RmmCensus c = fx_census(f);
    uint64_t n = 0;

    for (unsigned i = 0; i < RMM_VIOLATION_COUNT; i++) {
        n += c.violations[i];
    }
    return n;
}

/* Calls that change nothing, as a host busy elsewhere makes them. */
static void idle_calls(Fx *f, unsigned n)
{
    while (n--) {
        fx_call(f, RMI_FID_VERSION, XR(1) | XR(2), 1, RMI_VERSION_MAKE(2, 0));
    }
}

/* ---- A delegation that yields, and a host that forgets it ---- */

static const char *const yield_plan =
    "yield:cmd=GRANULE_RANGE_DELEGATE:granules=1";

static void test_forgotten_delegation_correct(void)
{
    Fx f;
    RmiRegs r;

    fx_setup_active(&f);
    set_plan(&f, yield_plan);
    r = fx_call(&f, RMI_FID_GRANULE_RANGE_DELEGATE, XR(1), 2, DLG,
                DLG + 4 * GRAN);
    g_assert_cmphex(r.x[0], ==, X0_NONE);
    fx_release_at(&f, r.x[1], DLG + 4 * GRAN);
    fx_expect(fx_call(&f, RMI_FID_GRANULE_RANGE_UNDELEGATE, XR(1), 2, DLG,
                      DLG + 4 * GRAN), RMI_SUCCESS, DLG + 4 * GRAN,
              DLG + 4 * GRAN);
    g_assert_cmpuint(all_violations(&f), ==, 0);
    fx_stop(&f);
}

static void test_forgotten_delegation_buggy(void)
{
    Fx f;
    int i;

    fx_setup_active(&f);
    set_plan(&f, yield_plan);
    /* The INCOMPLETE is taken for a failure; the handle is dropped. */
    g_assert_cmphex(fx_call(&f, RMI_FID_GRANULE_RANGE_DELEGATE, XR(1), 2,
                            DLG, DLG + 4 * GRAN).x[0], ==, X0_NONE);
    /* Cleaning up, the host retries its undelegation "until it works". */
    for (i = 0; i < SPIN_CALLS; i++) {
        g_assert_cmphex(fx_call(&f, RMI_FID_GRANULE_RANGE_UNDELEGATE, XR(1),
                                2, DLG, DLG + GRAN).x[0], ==, RMI_BLOCKED);
    }
    g_assert_cmpuint(violations(&f, RMM_VIOLATION_BLOCKED_SPIN), ==, 1);
    idle_calls(&f, ABANDON_CALLS);
    g_assert_cmpuint(violations(&f, RMM_VIOLATION_ABANDONED), ==, 1);
    g_assert_cmpuint(fx_census(&f).sro_live, ==, 1);
    fx_stop(&f);
}

/* ---- A handle mistaken for an address ---- */

static const char *const unmap_plan = "split:cmd=RTT_DATA_UNMAP:k=1";
#define NONE_FLAGS      RMI_RTT_FLAGS(RMI_ADDR_TYPE_NONE, 0, 0, 0)
#define SINGLE_FLAGS    RMI_RTT_FLAGS(RMI_ADDR_TYPE_SINGLE, 0, 0, 0)

/* The default realm with [0, 16K) mapped to four DATA granules. */
static void unmap_setup(Fx *f, RtRealm *t)
{
    RmiRegs r;

    rt_setup(f, t);
    rt_rtt_create_path(f, RT_RD, 0);
    fx_delegate(f, RT_DATA_POOL, RT_DATA_POOL + 4 * GRAN);
    rt_init_ripas(f, RT_RD, 0, 4 * GRAN);
    r = fx_call(f, RMI_FID_RTT_DATA_MAP, XR(1) | XR(2), 5, RT_RD, 0,
                4 * GRAN, SINGLE_FLAGS, rt_pages(f, RT_DATA_POOL, 4));
    g_assert_cmphex(r.x[1], ==, 4 * GRAN);
    set_plan(f, unmap_plan);
}

static RmiRegs unmap(Fx *f, uint64_t base, uint64_t top)
{
    return fx_call(f, RMI_FID_RTT_DATA_UNMAP, XR(1) | XR(2) | XR(3), 5,
                   RT_RD, base, top, NONE_FLAGS, 0ULL);
}

static void test_unmap_handle_correct(void)
{
    Fx f;
    RtRealm t;
    RmiRegs r;

    unmap_setup(&f, &t);
    r = unmap(&f, 0, 4 * GRAN);
    g_assert_cmphex(r.x[0], ==, X0_NONE);
    /* out_top (X1) and out_range (X2, X3) come with the last step. */
    r = fx_call(&f, RMI_FID_OP_CONTINUE, XR(1) | XR(2) | XR(3), 2, r.x[1],
                0ULL);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(r.x[1], ==, 4 * GRAN);
    fx_assert_state(&f, RT_DATA_POOL, RT_DATA_POOL + 4 * GRAN,
                    RMM_GRANULE_DELEGATED);
    g_assert_cmpuint(all_violations(&f), ==, 0);
    fx_stop(&f);
}

static void test_unmap_handle_buggy(void)
{
    Fx f;
    RtRealm t;
    RmiRegs r;
    uint64_t next;

    unmap_setup(&f, &t);
    r = unmap(&f, 0, 4 * GRAN);
    /* X1 read as out_top: the handle, 0, is not past base. */
    next = r.x[1];
    g_assert_cmpuint(next, ==, 0);
    /* "Continue from where it got to": a handle that names nothing. */
    g_assert_cmphex(fx_continue(&f, next + 4 * GRAN).x[0], ==,
                    RMI_ERROR_INPUT);
    g_assert_cmpuint(violations(&f, RMM_VIOLATION_STALE_HANDLE), ==, 1);
    /* The host moves on; the operation it never continued stays open. */
    idle_calls(&f, ABANDON_CALLS);
    g_assert_cmpuint(violations(&f, RMM_VIOLATION_ABANDONED), ==, 1);
    fx_stop(&f);
}

/* ---- Donations nobody serves ---- */

static const char *const activate_plan =
    "donate:cmd=RMM_ACTIVATE:size=l3:count=4:keep=1";

static RmiRegs activate(Fx *f)
{
    fx_config(f);
    fx_start(f);
    set_plan(f, activate_plan);
    fx_write64(f, CFG_PA, 0);
    fx_write64(f, CFG_PA + 8, 0);
    g_assert_cmphex(fx_call(f, RMI_FID_RMM_CONFIG_SET, NO_OUT, 1,
                            CFG_PA).x[0], ==, RMI_SUCCESS);
    return fx_call(f, RMI_FID_RMM_ACTIVATE, XR(1) | XR(2), 0);
}

static void test_unserved_donation_correct(void)
{
    Fx f;
    RmiRegs r = activate(&f);
    uint64_t h = r.x[1];

    fx_expect(r, X0_DONATE_C, h,
              RMI_DONATE_REQ(RMI_PAGE_L3, 4, RMI_OP_MEM_NON_CONTIG, UND));
    fx_put_singles(&f, LIST_PA, POOL_PA, GRAN, 4, UND);
    fx_expect(fx_donate(&f, h, LIST_PA, 4), X0_NONE_C, 4, 0);
    fx_release(&f, h);
    g_assert_cmpuint(fx_census(&f).rmm_state, ==, RMM_STATE_ACTIVE);
    g_assert_cmpuint(all_violations(&f), ==, 0);
    fx_stop(&f);
}

static void test_unserved_donation_buggy(void)
{
    Fx f;

    /* A host that cannot donate reports the activation failed... */
    g_assert_cmphex(activate(&f).x[0], ==, X0_DONATE_C);
    /* ... and carries on: the RMM is not ACTIVE, every command fails. */
    g_assert_cmphex(fx_call(&f, RMI_FID_GRANULE_RANGE_DELEGATE, XR(1), 2, DLG,
                            DLG + GRAN).x[0], ==, RMI_ERROR_GLOBAL);
    idle_calls(&f, ABANDON_CALLS);
    g_assert_cmpuint(fx_census(&f).sro_live, ==, 1);
    g_assert_cmpuint(violations(&f, RMM_VIOLATION_ABANDONED), ==, 1);
    fx_stop(&f);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/fault-example/forgotten-delegation/correct",
                    test_forgotten_delegation_correct);
    g_test_add_func("/fault-example/forgotten-delegation/buggy",
                    test_forgotten_delegation_buggy);
    g_test_add_func("/fault-example/unmap-handle/correct",
                    test_unmap_handle_correct);
    g_test_add_func("/fault-example/unmap-handle/buggy",
                    test_unmap_handle_buggy);
    g_test_add_func("/fault-example/unserved-donation/correct",
                    test_unserved_donation_correct);
    g_test_add_func("/fault-example/unserved-donation/buggy",
                    test_unserved_donation_buggy);
    return g_test_run();
}
