/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The two ABI profiles and the features this RMM does not have, checked
 * over the whole ABI table so that a new row cannot slip through:
 *
 * - a FID that only one profile defines is not an RMI function in the
 *   other (SMCCC NOT_SUPPORTED, every register preserved);
 * - device assignment, planes and SMMUs have no handler: their commands
 *   answer RMI_ERROR_NOT_SUPPORTED and RMI_FEATURES says they are absent;
 * - the memory-state layouts of profile.c.
 */
#include <string.h>

#include "rmm-test.h"
#include "hw/arm/rmm/rmm-internal.h"

static bool defined_in(const RmmAbiEntry *e, RmmProfile p)
{
    return e->profiles & (p == RMM_PROFILE_BET3 ? RMI_PROF_BET3
                                                : RMI_PROF_BET1);
}

/* A call with no arguments: X0 as given, nothing else written. */
static void expect_x0(Fx *f, uint64_t fid, uint64_t x0)
{
    RmiRegs r = fx_call(f, fid, NO_OUT, 0);

    if (r.x[0] != x0) {
        g_error("FID 0x%" PRIx64 " (%s): X0 0x%" PRIx64 ", expected 0x%"
                PRIx64, fid, rmm_abi_lookup(fid) ?
                rmm_abi_lookup(fid)->name : "?", r.x[0], x0);
    }
}

static void start_profile(Fx *f, RmmProfile p)
{
    fx_config(f);
    f->cfg.profile = p;
    fx_start(f);
}

static void test_single_profile_fids(void)
{
    static const RmmProfile profs[] = { RMM_PROFILE_BET1, RMM_PROFILE_BET3 };
    size_t n, i, k, only[2] = { 0, 0 };
    const RmmAbiEntry *t = rmm_abi_table(&n);
    Fx f;

    for (k = 0; k < G_N_ELEMENTS(profs); k++) {
        start_profile(&f, profs[k]);
        for (i = 0; i < n; i++) {
            if (!defined_in(&t[i], profs[k])) {
                /* Not an RMI function of this ABI at all. */
                expect_x0(&f, t[i].fid, SMCCC_NOT_SUPPORTED);
                only[1 - k]++;
            } else if (!t[i].implemented) {
                expect_x0(&f, t[i].fid, RMI_ERROR_NOT_SUPPORTED);
            }
        }
        fx_stop(&f);
    }
    /* bet1: VDEV_COMPLETE; bet3: ATTEST_PLAT_TOKEN_REFRESH and three more. */
    g_assert_cmpuint(only[0], ==, 1);
    g_assert_cmpuint(only[1], ==, 4);
}

/* Device assignment, planes (auxiliary RTTs) and SMMUs. */
static bool absent_feature(const char *name)
{
    static const char *const prefixes[] = {
        "RMI_PDEV_", "RMI_VDEV_", "RMI_VSMMU_", "RMI_PSMMU_", "RMI_DPT_",
        "RMI_RTT_DEV_", "RMI_RTT_ARCH_DEV_", "RMI_RTT_AUX_",
    };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(prefixes); i++) {
        if (g_str_has_prefix(name, prefixes[i])) {
            return true;
        }
    }
    return false;
}

static uint64_t features(Fx *f, uint64_t index)
{
    RmiRegs r = fx_call(f, RMI_FID_FEATURES, XR(1), 1, index);

    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    return r.x[1];
}

static void test_absent_features(void)
{
    static const RmmProfile profs[] = { RMM_PROFILE_BET1, RMM_PROFILE_BET3 };
    size_t n, i, k, absent = 0;
    const RmmAbiEntry *t = rmm_abi_table(&n);
    Fx f;

    for (k = 0; k < G_N_ELEMENTS(profs); k++) {
        start_profile(&f, profs[k]);
        /* Before and after activation alike. */
        for (i = 0; i < 2; i++) {
            /* FR2: DA [0], DA_COH [1], VSMMU [2], ATS [3], ... all 0. */
            g_assert_cmphex(features(&f, 2), ==, 0);
            /* FR3: MAX_NUM_AUX_PLANES [3:0] = 0, no plane RTT options. */
            g_assert_cmphex(features(&f, 3), ==, 0);
            /* FR0: bet3's L0GPT_BLOCK_DELEGATE [32] is not offered. */
            g_assert_cmphex(features(&f, 0) & (1ULL << 32), ==, 0);
            if (!i) {
                fx_activate(&f);
            }
        }
        for (i = 0; i < n; i++) {
            if (!absent_feature(t[i].name)) {
                continue;
            }
            g_assert_false(t[i].implemented);
            absent += k == 0;
            if (defined_in(&t[i], profs[k])) {
                expect_x0(&f, t[i].fid, RMI_ERROR_NOT_SUPPORTED);
            }
        }
        fx_stop(&f);
    }
    g_assert_cmpuint(absent, >=, 50);
}

static void test_mem_state_layouts(void)
{
    RmmConfig cfg;
    RmmCore *b1, *b3;

    rmm_config_init(&cfg);
    b1 = rmm_core_new(&cfg, &simmem_ops, NULL);
    cfg.profile = RMM_PROFILE_BET3;
    b3 = rmm_core_new(&cfg, &simmem_ops, NULL);

    g_assert_cmpuint(rmm_mem_state_width(b1), ==, 1);
    g_assert_cmpuint(rmm_mem_state_width(b3), ==, 2);
    /* RmiOpMemDonateReq.state: [17] vs [18:17]. */
    g_assert_cmphex(rmm_donate_req_state(b1, 3ULL << 17), ==, 1);
    g_assert_cmphex(rmm_donate_req_state(b3, 3ULL << 17), ==, 3);
    g_assert_cmphex(rmm_donate_req_sbz(b1), ==, ~0ULL << 18);
    g_assert_cmphex(rmm_donate_req_sbz(b3), ==, ~0ULL << 19);
    /* RmiAddrRangeDesc.state: [63] vs [63:62]; SBZ from 52 up to it. */
    g_assert_cmphex(rmm_desc_state(b1, 1ULL << 63), ==, 1);
    g_assert_cmphex(rmm_desc_state(b1, 1ULL << 62), ==, 0);
    g_assert_cmphex(rmm_desc_state(b3, 1ULL << 62), ==, 1);
    g_assert_cmphex(rmm_desc_state(b3, 1ULL << 63), ==, 2);
    g_assert_cmphex(rmm_desc_sbz(b1), ==, 0x7ff0000000000000ULL);
    g_assert_cmphex(rmm_desc_sbz(b3), ==, 0x3ff0000000000000ULL);
    g_assert_cmphex(rmm_make_desc(b3, 0x40000000, RMI_PAGE_L3, 3,
                                  RMI_OP_MEM_UNDELEGATED), ==,
                    0x40000000ULL | (3 << 2) | (1ULL << 62));
    g_assert_cmphex(rmm_make_desc(b1, 0x40000000, RMI_BLOCK_L2, 1,
                                  RMI_OP_MEM_UNDELEGATED), ==,
                    0x40000000ULL | 1 | (1 << 2) | (1ULL << 63));
    /* CONDITIONAL exists only in bet3. */
    g_assert_false(rmm_mem_state_valid(b1, RMI_OP_MEM_CONDITIONAL));
    g_assert_true(rmm_mem_state_valid(b3, RMI_OP_MEM_CONDITIONAL));
    g_assert_false(rmm_mem_state_valid(b3, 3));
    rmm_core_free(b1);
    rmm_core_free(b3);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/profiles/single-profile-fids", test_single_profile_fids);
    g_test_add_func("/profiles/absent-features", test_absent_features);
    g_test_add_func("/profiles/mem-state-layouts", test_mem_state_layouts);
    return g_test_run();
}
