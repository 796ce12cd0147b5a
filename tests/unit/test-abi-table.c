/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The ABI table and the dispatcher: table consistency, lookup, and what
 * a caller sees for FIDs that are unknown, unimplemented or outside the
 * active profile.
 */
#include "rmm-test.h"

/* FIDs in or next to the RMI range that no profile defines. */
#define FID_V1_DELEGATE     (RMI_FID_BASE | 0x151)  /* RMI 1.0 GRANULE_DELEGATE */
#define FID_RSI_BASE        (RMI_FID_BASE | 0x190)  /* first RSI FID */
#define FID_UNDEFINED       (RMI_FID_BASE | 0x2CF)  /* last FID of the RMI range */

static void test_table_consistent(void)
{
    size_t n, i, j;
    const RmmAbiEntry *t = rmm_abi_table(&n);

    g_assert_cmpuint(n, ==, 92);
    for (i = 0; i < n; i++) {
        uint64_t off = t[i].fid & 0xffff;

        g_assert_cmphex(t[i].fid & ~0xffffULL, ==, RMI_FID_BASE);
        /* RMI ranges: 0x150..0x18F and 0x1D0..0x2CF. */
        g_assert_true((off >= 0x150 && off <= 0x18f) ||
                      (off >= 0x1d0 && off <= 0x2cf));
        g_assert_true(g_str_has_prefix(t[i].name, "RMI_"));
        g_assert_cmpuint(t[i].args, <=, 6);
        g_assert_cmpuint(t[i].rets, <=, 4);
        g_assert_cmpuint(t[i].profiles, !=, 0);
        g_assert_true(rmm_abi_lookup(t[i].fid) == &t[i]);
        if (i) {
            /* Sorted by FID, hence unique. */
            g_assert_cmphex(t[i].fid, >, t[i - 1].fid);
        }
        for (j = 0; j < i; j++) {
            g_assert_cmpstr(t[i].name, !=, t[j].name);
        }
    }
}

static void test_implemented_set(void)
{
    static const char *const expect[] = {
        "RMI_VERSION", "RMI_FEATURES", "RMI_RMM_CONFIG_SET",
        "RMI_GRANULE_TRACKING_GET", "RMI_RMM_CONFIG_GET",
        "RMI_GRANULE_RANGE_DELEGATE", "RMI_GRANULE_RANGE_UNDELEGATE",
        "RMI_RMM_ACTIVATE", "RMI_OP_CONTINUE", "RMI_OP_MEM_DONATE",
        "RMI_OP_MEM_RECLAIM", "RMI_OP_CANCEL",
        "RMI_GRANULE_TRACKING_SET", "RMI_GPT_L1_CREATE",
        "RMI_GPT_L1_DESTROY", "RMI_RMM_STATE_GET",
        "RMI_REC_CREATE", "RMI_REC_DESTROY", "RMI_REC_ENTER",
        "RMI_PSCI_COMPLETE",
        "RMI_REALM_CREATE", "RMI_REALM_ACTIVATE", "RMI_REALM_TERMINATE",
        "RMI_REALM_DESTROY", "RMI_RTT_CREATE", "RMI_RTT_DESTROY",
        "RMI_RTT_READ_ENTRY", "RMI_RTT_FOLD", "RMI_RTT_INIT_RIPAS",
        "RMI_RTT_SET_RIPAS", "RMI_RTT_DATA_MAP_INIT", "RMI_RTT_DATA_MAP",
        "RMI_RTT_DATA_UNMAP", "RMI_RTT_UNPROT_MAP", "RMI_RTT_UNPROT_UNMAP",
    };
    size_t n, i, k, impl = 0;
    const RmmAbiEntry *t = rmm_abi_table(&n);

    for (i = 0; i < n; i++) {
        bool want = false;

        for (k = 0; k < G_N_ELEMENTS(expect); k++) {
            want |= !g_strcmp0(t[i].name, expect[k]);
        }
        g_assert_cmpint(t[i].implemented, ==, want);
        impl += t[i].implemented;
    }
    g_assert_cmpuint(impl, ==, G_N_ELEMENTS(expect));
}

static void test_lookup_misses(void)
{
    g_assert_null(rmm_abi_lookup(FID_V1_DELEGATE));     /* v1.0 DELEGATE */
    g_assert_null(rmm_abi_lookup(FID_RSI_BASE));     /* RSI range */
    g_assert_null(rmm_abi_lookup(0x84000150ULL));      /* SMC32 */
    g_assert_null(rmm_abi_lookup(0));
    g_assert_nonnull(rmm_abi_lookup(RMI_FID_VERSION));
}

static void assert_all_preserved(Fx *f, uint64_t fid, uint64_t x0)
{
    RmiRegs r = fx_call(f, fid, NO_OUT, 0);

    g_assert_cmphex(r.x[0], ==, x0);
}

static void test_unknown_fid(void)
{
    Fx f;

    fx_setup(&f);
    /* Not RMI functions: SMCCC NOT_SUPPORTED, nothing else touched. */
    assert_all_preserved(&f, FID_V1_DELEGATE, SMCCC_NOT_SUPPORTED);
    assert_all_preserved(&f, FID_UNDEFINED, SMCCC_NOT_SUPPORTED);
    assert_all_preserved(&f, 0x84000150ULL, SMCCC_NOT_SUPPORTED);
    assert_all_preserved(&f, 0xC4000000ULL, SMCCC_NOT_SUPPORTED);
    assert_all_preserved(&f, 0x84000000ULL, SMCCC_NOT_SUPPORTED);
    fx_stop(&f);
}

static void test_unimplemented_fid(void)
{
    Fx f;

    fx_setup(&f);
    /* Defined RMI commands without a handler: RMI_ERROR_NOT_SUPPORTED. */
    assert_all_preserved(&f, RMI_FID_RTT_AUX_CREATE, RMI_ERROR_NOT_SUPPORTED);
    assert_all_preserved(&f, RMI_FID_VSMMU_CREATE, RMI_ERROR_NOT_SUPPORTED);
    assert_all_preserved(&f, RMI_FID_PSMMU_ACTIVATE, RMI_ERROR_NOT_SUPPORTED);
    fx_stop(&f);
}

static void test_profile_fids(void)
{
    Fx f;

    /* bet1: bet3-only FIDs do not exist; VDEV_COMPLETE does. */
    fx_setup(&f);
    assert_all_preserved(&f, RMI_FID_GPT_INFO, SMCCC_NOT_SUPPORTED);
    assert_all_preserved(&f, RMI_FID_RMM_DEACTIVATE, SMCCC_NOT_SUPPORTED);
    assert_all_preserved(&f, RMI_FID_ATTEST_PLAT_TOKEN_REFRESH, SMCCC_NOT_SUPPORTED);
    assert_all_preserved(&f, RMI_FID_VDEV_COMPLETE, RMI_ERROR_NOT_SUPPORTED);
    fx_stop(&f);

    fx_config(&f);
    f.cfg.profile = RMM_PROFILE_BET3;
    fx_start(&f);
    assert_all_preserved(&f, RMI_FID_GPT_INFO, RMI_ERROR_NOT_SUPPORTED);
    assert_all_preserved(&f, RMI_FID_VDEV_COMPLETE, SMCCC_NOT_SUPPORTED);
    fx_stop(&f);
}

static void test_fid_encoding(void)
{
    Fx f;
    RmiRegs r;

    fx_setup(&f);
    /* SMCCC v1.3 SVE hint (bit 16) is not part of the function number. */
    r = fx_call(&f, RMI_FID_VERSION | (1ULL << 16), XR(1) | XR(2), 1,
                RMI_VERSION_MAKE(2, 0));
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    /* The FID is W0: X0[63:32] do not matter. */
    r = fx_call(&f, RMI_FID_VERSION | 0xdead000000000000ULL, XR(1) | XR(2), 1,
                RMI_VERSION_MAKE(2, 0));
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(r.x[1], ==, RMI_VERSION_MAKE(2, 0));
    fx_stop(&f);
}

typedef struct TraceLog {
    unsigned calls;
    const RmmAbiEntry *last;
    uint64_t in0, out0;
} TraceLog;

static void trace_fn(void *opaque, const RmmAbiEntry *cmd,
                     const uint64_t in[RMM_NR_REGS],
                     const uint64_t out[RMM_NR_REGS])
{
    TraceLog *t = opaque;

    t->calls++;
    t->last = cmd;
    t->in0 = in[0];
    t->out0 = out[0];
}

static void test_trace_and_census(void)
{
    Fx f;
    TraceLog log = { 0 };
    RmmCensus c;

    fx_setup(&f);
    rmm_core_set_trace(f.rmm, trace_fn, &log);
    fx_call(&f, RMI_FID_FEATURES, XR(1), 1, 0ULL);
    g_assert_cmpuint(log.calls, ==, 1);
    g_assert_cmpstr(log.last->name, ==, "RMI_FEATURES");
    g_assert_cmphex(log.in0, ==, RMI_FID_FEATURES);
    g_assert_cmphex(log.out0, ==, RMI_SUCCESS);
    fx_call(&f, FID_V1_DELEGATE, NO_OUT, 0);
    g_assert_cmpuint(log.calls, ==, 2);
    g_assert_null(log.last);
    g_assert_cmphex(log.out0, ==, SMCCC_NOT_SUPPORTED);

    c = fx_census(&f);
    g_assert_cmpuint(c.calls, ==, 2);
    g_assert_cmpuint(c.rmm_state, ==, RMM_STATE_INIT);
    g_assert_cmpuint(c.sro_live, ==, 0);
    g_assert_cmpuint(c.metadata_bytes, ==, 0);
    rmm_core_set_trace(f.rmm, NULL, NULL);
    fx_stop(&f);
}

static void test_instances_independent(void)
{
    Fx a, b;

    fx_setup(&a);
    fx_setup(&b);
    fx_activate(&a);
    fx_delegate(&a, POOL_PA, POOL_PA + 4 * GRAN);
    g_assert_cmpuint(fx_count(&a, RMM_GRANULE_DELEGATED), ==, 4);
    g_assert_cmpuint(fx_count(&b, RMM_GRANULE_DELEGATED), ==, 0);
    g_assert_cmpuint(fx_census(&b).rmm_state, ==, RMM_STATE_INIT);
    g_assert_cmpuint(fx_census(&a).metadata_bytes, >, 0);
    fx_stop(&a);
    fx_stop(&b);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/abi/table-consistent", test_table_consistent);
    g_test_add_func("/abi/implemented-set", test_implemented_set);
    g_test_add_func("/abi/lookup-misses", test_lookup_misses);
    g_test_add_func("/abi/unknown-fid", test_unknown_fid);
    g_test_add_func("/abi/unimplemented-fid", test_unimplemented_fid);
    g_test_add_func("/abi/profile-fids", test_profile_fids);
    g_test_add_func("/abi/fid-encoding", test_fid_encoding);
    g_test_add_func("/abi/trace-and-census", test_trace_and_census);
    g_test_add_func("/abi/instances-independent", test_instances_independent);
    return g_test_run();
}
