/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rmm_config_check(): the defaults pass; each bad value is refused with a
 * message that names the device property and what it accepts.
 */
#include <string.h>

#include "rmm-test.h"

static void expect_refused(const RmmConfig *cfg, const char *msg)
{
    char *err = NULL;

    g_assert_false(rmm_config_check(cfg, &err));
    if (!strstr(err, msg)) {
        g_test_message("got '%s', want '%s'", err, msg);
    }
    g_assert_nonnull(strstr(err, msg));
    g_free(err);
    /* err is optional */
    g_assert_false(rmm_config_check(cfg, NULL));
}

static void test_defaults_pass(void)
{
    RmmConfig cfg;
    RmmCpuFeatures max = {
        .id_aa64mmfr0 = (3ULL << 40) | 6, .id_aa64pfr0 = 1ULL << 32,
        .id_aa64dfr0 = 0x00305806, .sve_max_vq = 16, .pmu_num_ctrs = 31,
    };
    char *err = NULL;

    rmm_config_init(&cfg);
    g_assert_true(rmm_config_check(&cfg, &err));
    g_assert_null(err);
    cfg.profile = RMM_PROFILE_BET3;
    g_assert_true(rmm_config_check(&cfg, NULL));
    /* What the QEMU device derives for -cpu max passes too. */
    cfg.feat[0] = rmm_feat_reg0_for_cpu(&max, cfg.feat[0]);
    g_assert_true(rmm_config_check(&cfg, NULL));
    /* Legal requests and limits */
    cfg.activate_donate_req = RMI_DONATE_REQ(RMI_BLOCK_L1, 1, 1,
                                             RMI_OP_MEM_CONDITIONAL);
    cfg.realm_create_donate_req = RMI_DONATE_REQ(RMI_PAGE_L3, 16383, 0,
                                                 RMI_OP_MEM_DELEGATED);
    cfg.rec_aux_count = 16;
    cfg.sro_contexts = 65535;
    cfg.feat[4] = 1000;
    g_assert_true(rmm_config_check(&cfg, NULL));
}

static void test_bad_values(void)
{
    RmmConfig base, cfg;

    rmm_config_init(&base);

    cfg = base;
    cfg.feat[0] = 0;
    expect_refused(&cfg, "feat-reg0: S2SZ [7:0] = 0 is not an IPA width");
    cfg.feat[0] = (base.feat[0] & ~0xffULL) | 255;
    expect_refused(&cfg, "feat-reg0: S2SZ [7:0] = 255");
    cfg.feat[0] = (base.feat[0] & ~0xffULL) | 52;
    expect_refused(&cfg, "up to 52 with LPA2 [8]");
    cfg.feat[0] = (base.feat[0] & ~0xffULL) | 31;
    expect_refused(&cfg, "S2SZ [7:0] = 31");
    cfg.feat[0] = base.feat[0] & ~(0x3fULL << 14);
    expect_refused(&cfg, "NUM_BPS [19:14] and NUM_WPS [25:20]");
    cfg.feat[0] = base.feat[0] | (3ULL << 10);
    expect_refused(&cfg, "SVE_VL [13:10] set without SVE [9]");
    cfg.feat[0] = base.feat[0] | (4ULL << 27);
    expect_refused(&cfg, "PMU_NUM_CTRS [31:27] set without PMU [26]");

    cfg = base;
    cfg.feat[1] &= ~RMI_FR1_GRAN_SZ_4KB;
    expect_refused(&cfg, "feat-reg1: this RMM supports 4KB RMI granules");
    cfg.feat[1] = base.feat[1] | RMI_FR1_GRAN_SZ_64KB;
    expect_refused(&cfg, "feat-reg1: this RMM supports 4KB RMI granules");
    cfg.feat[1] = base.feat[1] & ~0x38ULL;
    expect_refused(&cfg, "feat-reg1: no measurement algorithm");
    cfg.feat[1] = base.feat[1] & ~(0xfULL << 6);
    expect_refused(&cfg, "MAX_RECS_ORDER [9:6] = 0");
    cfg.feat[1] = base.feat[1] | (1ULL << 10);
    expect_refused(&cfg, "L0GPTSZ [13:10] = 1 is reserved");
    cfg.feat[1] = base.feat[1] | (7ULL << 14);
    expect_refused(&cfg, "PPS [16:14] = 7 is reserved");
    cfg = base;
    cfg.feat[2] = 1;
    expect_refused(&cfg, "feat-reg2: device assignment is not modelled");
    cfg = base;
    cfg.feat[3] = 1;
    expect_refused(&cfg, "feat-reg3: auxiliary planes are not modelled");

    cfg = base;
    cfg.rec_aux_count = 100;
    expect_refused(&cfg, "rec-aux-count: 100 auxiliary granules (0..16)");
    cfg = base;
    cfg.sro_contexts = 0;
    expect_refused(&cfg, "sro-contexts: 0 contexts (1..65535)");
    cfg.sro_contexts = 65536;
    expect_refused(&cfg, "sro-contexts: 65536 contexts");
    cfg = base;
    cfg.profile = 7;
    expect_refused(&cfg, "profile: unknown profile 7");
}

static void test_bad_donate_requests(void)
{
    uint64_t und = RMI_DONATE_REQ(RMI_PAGE_L3, 8, 0, RMI_OP_MEM_UNDELEGATED);
    RmmConfig base, cfg;

    rmm_config_init(&base);
    cfg = base;
    cfg.activate_donate_req = und | (1ULL << 18);
    expect_refused(&cfg, "activate-donate-req: reserved bits [63:18] set in "
                   "0x60020");
    cfg.activate_donate_req = und | (1ULL << 63);
    expect_refused(&cfg, "activate-donate-req: reserved bits [63:18]");
    cfg.activate_donate_req = RMI_DONATE_REQ(RMI_PAGE_L3, 0, 0,
                                             RMI_OP_MEM_UNDELEGATED);
    expect_refused(&cfg, "activate-donate-req: a request for 0 blocks");
    cfg.activate_donate_req = RMI_DONATE_REQ(RMI_BLOCK_L0, 1, 0,
                                             RMI_OP_MEM_UNDELEGATED);
    expect_refused(&cfg, "activate-donate-req: block size L0 (512GB)");
    cfg.activate_donate_req = RMI_DONATE_REQ(RMI_PAGE_L3, 1, 0,
                                             RMI_OP_MEM_DELEGATED);
    expect_refused(&cfg, "activate-donate-req: asks for DELEGATED memory");
    /* bet3: the state is two bits wide; CONDITIONAL is legal, 3 is not */
    cfg.profile = RMM_PROFILE_BET3;
    cfg.activate_donate_req = RMI_DONATE_REQ(RMI_PAGE_L3, 8, 0,
                                             RMI_OP_MEM_CONDITIONAL);
    g_assert_true(rmm_config_check(&cfg, NULL));
    cfg.activate_donate_req = RMI_DONATE_REQ(RMI_PAGE_L3, 1, 0, 3);
    expect_refused(&cfg, "activate-donate-req: memory state 3 is reserved");
    cfg.activate_donate_req = und | (1ULL << 19);
    expect_refused(&cfg, "activate-donate-req: reserved bits [63:19]");
    /* REALM_CREATE's request may ask for DELEGATED memory */
    cfg = base;
    cfg.realm_create_donate_req = RMI_DONATE_REQ(RMI_PAGE_L3, 7, 0,
                                                 RMI_OP_MEM_DELEGATED);
    g_assert_true(rmm_config_check(&cfg, NULL));
    cfg.realm_create_donate_req |= 1ULL << 40;
    expect_refused(&cfg, "realm-create-donate-req: reserved bits");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/config-check/defaults-pass", test_defaults_pass);
    g_test_add_func("/config-check/bad-values", test_bad_values);
    g_test_add_func("/config-check/bad-donate-requests",
                    test_bad_donate_requests);
    return g_test_run();
}
