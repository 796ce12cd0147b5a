/* SPDX-License-Identifier: GPL-2.0-or-later */
/* RMI_VERSION (B4.5.92, chapter B2) and RMI_FEATURES (B4.5.14). */
#include "rmm-test.h"
#include "tests/unit/coverage.h"

#define V20 RMI_VERSION_MAKE(2, 0)

static void check_version(Fx *f, uint64_t req, uint64_t x0)
{
    RmiRegs r = fx_call(f, RMI_FID_VERSION, XR(1) | XR(2), 1, req);

    g_assert_cmphex(r.x[0], ==, x0);
    /* Only 2.0 is implemented: lower == higher == 2.0 in every outcome. */
    g_assert_cmphex(r.x[1], ==, V20);
    g_assert_cmphex(r.x[2], ==, V20);
}

static void test_version_outcomes(void)
{
    Fx f;

    fx_setup(&f);
    check_version(&f, V20, RMI_SUCCESS);                  /* (a) */
    COVER(VERSION, unsupported);
    check_version(&f, RMI_VERSION_MAKE(2, 1), RMI_ERROR_INPUT);   /* (b) */
    check_version(&f, RMI_VERSION_MAKE(3, 0), RMI_ERROR_INPUT);   /* (b) */
    check_version(&f, RMI_VERSION_MAKE(0x7fff, 0xffff), RMI_ERROR_INPUT);
    check_version(&f, RMI_VERSION_MAKE(1, 0), RMI_ERROR_INPUT);   /* (c) */
    check_version(&f, RMI_VERSION_MAKE(1, 1), RMI_ERROR_INPUT);   /* (c) */
    check_version(&f, 0, RMI_ERROR_INPUT);
    fx_stop(&f);
}

static void test_version_mbz(void)
{
    Fx f;

    fx_setup(&f);
    /* A request with MBZ bits [63:31] set names no revision. */
    COVER(VERSION, mbz);
    check_version(&f, V20 | (1ULL << 31), RMI_ERROR_INPUT);
    check_version(&f, V20 | (1ULL << 63), RMI_ERROR_INPUT);
    check_version(&f, V20 | RMI_VERSION_MBZ, RMI_ERROR_INPUT);
    fx_stop(&f);
}

static void test_version_any_state(void)
{
    Fx f;

    fx_config(&f);
    f.cfg.profile = RMM_PROFILE_BET3;
    fx_start(&f);
    check_version(&f, V20, RMI_SUCCESS);
    fx_activate(&f);
    check_version(&f, V20, RMI_SUCCESS);
    check_version(&f, RMI_VERSION_MAKE(1, 0), RMI_ERROR_INPUT);
    fx_stop(&f);
}

static uint64_t features(Fx *f, uint64_t index)
{
    RmiRegs r = fx_call(f, RMI_FID_FEATURES, XR(1), 1, index);

    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    return r.x[1];
}

static void test_features_defaults(void)
{
    Fx f;
    uint64_t fr0, fr1;

    fx_setup(&f);
    fr0 = features(&f, 0);
    g_assert_cmphex(fr0 & 0xff, ==, 48);                    /* S2SZ */
    g_assert_cmphex(fr0 & RMI_FR0_LPA2, ==, 0);
    g_assert_cmphex(fr0 & RMI_FR0_SVE, ==, 0);
    g_assert_cmphex(fr0 & RMI_FR0_PMU, ==, 0);
    g_assert_cmphex((fr0 >> RMI_FR0_NUM_BPS_SHIFT) & 0x3f, !=, 0);
    g_assert_cmphex((fr0 >> RMI_FR0_NUM_WPS_SHIFT) & 0x3f, !=, 0);
    g_assert_cmphex(fr0 >> 32, ==, 0);                      /* MBZ */
    g_assert_cmphex(fr0, ==, 0x314030ULL);

    fr1 = features(&f, 1);
    g_assert_cmphex(fr1 & RMI_FR1_GRAN_SZ_4KB, !=, 0);
    g_assert_cmphex(fr1 & (RMI_FR1_GRAN_SZ_16KB | RMI_FR1_GRAN_SZ_64KB),
                    ==, 0);
    g_assert_cmphex(fr1 & RMI_FR1_HASH_SHA_256, !=, 0);
    g_assert_cmphex(fr1 & RMI_FR1_HASH_SHA_512, !=, 0);
    g_assert_cmphex(fr1 & RMI_FR1_HASH_SHA_384, ==, 0);
    g_assert_cmphex((fr1 >> RMI_FR1_MAX_RECS_ORDER_SHIFT) & 0xf, ==, 8);
    g_assert_cmphex((fr1 >> RMI_FR1_L0GPTSZ_SHIFT) & 0xf, ==, 0);
    g_assert_cmphex((fr1 >> RMI_FR1_PPS_SHIFT) & 0x7, ==, 5);
    g_assert_cmphex(fr1 >> 17, ==, 0);                      /* MBZ */
    g_assert_cmphex(fr1, ==, 0x14229ULL);

    g_assert_cmphex(features(&f, 2), ==, 0);    /* no device assignment */
    g_assert_cmphex(features(&f, 3), ==, 0);
    g_assert_cmphex(features(&f, 4), ==, 0);
    fx_stop(&f);
}

static void test_features_out_of_range(void)
{
    Fx f;

    fx_setup(&f);
    /* No failure condition: undefined registers read as zero. */
    g_assert_cmphex(features(&f, 5), ==, 0);
    g_assert_cmphex(features(&f, 0x100), ==, 0);
    g_assert_cmphex(features(&f, UINT64_MAX), ==, 0);
    fx_stop(&f);
}

static void test_features_configured(void)
{
    Fx f;
    unsigned i;

    fx_config(&f);
    for (i = 0; i < 5; i++) {
        f.cfg.feat[i] = 0x1111111111111111ULL * (i + 1);
    }
    fx_start(&f);
    for (i = 0; i < 5; i++) {
        g_assert_cmphex(features(&f, i), ==, 0x1111111111111111ULL * (i + 1));
    }
    fx_stop(&f);
}

/*
 * RmiFeatureRegister0 as the RMM derives it from its CPU.  The ID
 * register values are those of a Cortex-A57 (QEMU's "max" under qtest)
 * and of QEMU's TCG "max" CPU.
 */
#define FR0(s2sz, bps, wps) \
    ((uint64_t)(s2sz) | (uint64_t)(bps) << 14 | (uint64_t)(wps) << 20)
#define FR0_SVE(vq)     (RMI_FR0_SVE | (uint64_t)((vq) - 1) << 10)
#define FR0_PMU(n)      (RMI_FR0_PMU | (uint64_t)(n) << 27)

static void test_features_for_cpu(void)
{
    RmmCpuFeatures a57 = {
        .id_aa64mmfr0 = 0x00001124,     /* PARange 44 bits, TGRAN4 */
        .id_aa64pfr0 = 0x00002222,
        .id_aa64dfr0 = 0x10305106,      /* PMUv3, 6 BRPs, 4 WRPs */
        .pmu_num_ctrs = 6,
    };
    RmmCpuFeatures max = {
        .id_aa64mmfr0 = (3ULL << 40) | 0x6,   /* TGRAN4_2 LPA2, 52 bits */
        .id_aa64pfr0 = 1ULL << 32,            /* SVE */
        .id_aa64dfr0 = 0x00305806,            /* PMUv3p8 */
        .sve_max_vq = 16,
        .pmu_num_ctrs = 31,
    };
    RmmCpuFeatures c;

    g_assert_cmphex(rmm_feat_reg0_for_cpu(&a57, 0), ==,
                    FR0(44, 5, 3) | FR0_PMU(6));
    g_assert_cmphex(rmm_feat_reg0_for_cpu(&max, 0), ==,
                    FR0(52, 5, 3) | RMI_FR0_LPA2 | FR0_SVE(16) | FR0_PMU(31));
    /* Bits [63:32] are not the CPU's to decide: they come from base. */
    g_assert_cmphex(rmm_feat_reg0_for_cpu(&a57, ~0ULL), ==,
                    0xffffffff00000000ULL | FR0(44, 5, 3) | FR0_PMU(6));

    /* 52-bit PAs without LPA2 at stage 2: a 48-bit IPA space at most. */
    c = max;
    c.id_aa64mmfr0 &= ~(0xfULL << 40);
    g_assert_cmphex(rmm_feat_reg0_for_cpu(&c, 0) & 0x1ff, ==, 48);
    /* Each PARange encoding; reserved ones read as the largest. */
    for (unsigned pr = 0; pr < 16; pr++) {
        static const unsigned bits[] = { 32, 36, 40, 42, 44, 48, 52 };

        c = max;
        c.id_aa64mmfr0 = (3ULL << 40) | pr;
        g_assert_cmpuint(rmm_feat_reg0_for_cpu(&c, 0) & 0xff, ==,
                         bits[MIN(pr, 6u)]);
    }
    /* SVE needs both the ID field and a vector length. */
    c = max;
    c.sve_max_vq = 0;
    g_assert_false(rmm_feat_reg0_for_cpu(&c, 0) & RMI_FR0_SVE);
    c = max;
    c.id_aa64pfr0 = 0;
    g_assert_false(rmm_feat_reg0_for_cpu(&c, 0) & (RMI_FR0_SVE | 0xf << 10));
    c.sve_max_vq = 1;
    c.id_aa64pfr0 = 1ULL << 32;
    g_assert_cmphex(rmm_feat_reg0_for_cpu(&c, 0) & (RMI_FR0_SVE | 0xf << 10),
                    ==, FR0_SVE(1));
    /* No PMU, and an IMPLEMENTATION DEFINED one, are not PMUv3. */
    c = a57;
    c.id_aa64dfr0 &= ~0xf00ULL;
    g_assert_cmphex(rmm_feat_reg0_for_cpu(&c, 0), ==, FR0(44, 5, 3));
    c.id_aa64dfr0 |= 0xf00ULL;
    g_assert_cmphex(rmm_feat_reg0_for_cpu(&c, 0), ==, FR0(44, 5, 3));
    /* The most breakpoints and watchpoints the ID fields can name. */
    c = a57;
    c.id_aa64dfr0 |= 0xf0f000ULL;
    g_assert_cmphex(rmm_feat_reg0_for_cpu(&c, 0), ==,
                    FR0(44, 15, 15) | FR0_PMU(6));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/version/outcomes", test_version_outcomes);
    g_test_add_func("/version/mbz", test_version_mbz);
    g_test_add_func("/version/any-state", test_version_any_state);
    g_test_add_func("/features/defaults", test_features_defaults);
    g_test_add_func("/features/out-of-range", test_features_out_of_range);
    g_test_add_func("/features/configured", test_features_configured);
    g_test_add_func("/features/for-cpu", test_features_for_cpu);
    return g_test_run();
}
