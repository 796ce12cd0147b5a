/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Linux v14 host's RMI bring-up, replayed call for call as
 * arch/arm64/kernel/rmi.c does it at subsys_initcall, must succeed against
 * the default configuration as it is:
 *
 *   RMI_VERSION(2.0); RMI_FEATURES(0) and (1), each WARN_ON a failure;
 *   RMI_RMM_CONFIG_SET with a zeroed page but rmi_granule_size = 4KB
 *   (tracking_region_size 0, i.e. 1GB); RMI_RMM_ACTIVATE;
 *   then per memblock region [start, end):
 *     RMI_GRANULE_TRACKING_GET(start, end) until start reaches end, each
 *     answer CONVENTIONAL / FINE, start = the returned top;
 *     RMI_GPT_L1_CREATE for every L0GPT block of
 *     [ALIGN_DOWN(start, l0), ALIGN(end, l0)), l0 = 1 << (30 +
 *     FR1.L0GPTSZ): RMI_SUCCESS or RMI_ERROR_GPT ("the L1 table already
 *     exists") pass, RMI_INCOMPLETE is WARN_ON and fails like any other
 *     status (v14 cannot donate: "FIXME: Handle SRO").
 *
 * The default configuration has a firmware L1GPT for every L0GPT block
 * holding DRAM, so every RMI_GPT_L1_CREATE answers RMI_ERROR_GPT.
 */
#include <inttypes.h>
#include <string.h>

#include "bringup-test.h"

#define V14_ENXIO       (-6)
#define V14_ENOMEM      (-12)
#define V14_EINVAL      (-22)
#define V14_ENODEV      (-19)

typedef struct MemBlock {
    uint64_t base;
    uint64_t size;
} MemBlock;

typedef struct V14 {
    Fx *f;
    GString *log;                   /* "NAME(args) = X0" per call */
    unsigned warns;
    uint64_t feat0, feat1;
} V14;

static RmiRegs v14_call(V14 *h, const char *name, uint64_t fid,
                        uint32_t outs, unsigned nargs, uint64_t a1,
                        uint64_t a2)
{
    RmiRegs r = fx_call(h->f, fid, outs, nargs, a1, a2);

    g_string_append_printf(h->log, "%s(", name);
    if (nargs > 0) {
        g_string_append_printf(h->log, "0x%" PRIx64, a1);
    }
    if (nargs > 1) {
        g_string_append_printf(h->log, ", 0x%" PRIx64, a2);
    }
    g_string_append_printf(h->log, ") = %" PRIu64 "\n", r.x[0]);
    return r;
}

static bool warn_on(V14 *h, bool cond)
{
    h->warns += cond;
    return cond;
}

static int rmi_check_version(V14 *h)
{
    RmiRegs r = v14_call(h, "VERSION", RMI_FID_VERSION, XR(1) | XR(2), 1,
                         RMI_VERSION_MAKE(2, 0), 0);

    if (r.x[0] == SMCCC_NOT_SUPPORTED || r.x[0] != RMI_SUCCESS) {
        return V14_ENXIO;
    }
    return 0;
}

static int rmi_configure(V14 *h, uint64_t page)
{
    fx_fill(h->f, page, GRAN, 0);           /* get_zeroed_page() */
    fx_write64(h->f, page + RMI_RMM_CONFIG_RMI_GRANULE_SIZE,
               RMI_GRANULE_SIZE_4KB);
    if (v14_call(h, "RMM_CONFIG_SET", RMI_FID_RMM_CONFIG_SET, NO_OUT, 1, page,
                 0).x[0]) {
        return V14_EINVAL;
    }
    /* An SRO start may write X1 and X2; v14 only looks at X0. */
    if (v14_call(h, "RMM_ACTIVATE", RMI_FID_RMM_ACTIVATE, XR(1) | XR(2), 0, 0,
                 0).x[0]) {
        return V14_ENXIO;
    }
    return 0;
}

static int rmi_verify_memory_tracking(V14 *h, uint64_t start, uint64_t end)
{
    while (start < end) {
        RmiRegs r = v14_call(h, "GRANULE_TRACKING_GET",
                             RMI_FID_GRANULE_TRACKING_GET,
                             XR(1) | XR(2) | XR(3), 2, start, end);

        if (r.x[0] != RMI_SUCCESS || r.x[2] != RMI_TRACKING_FINE ||
            r.x[1] != RMI_MEM_CATEGORY_CONVENTIONAL) {
            return V14_ENODEV;
        }
        start = r.x[3];
    }
    return 0;
}

static int rmi_create_gpts(V14 *h, uint64_t start, uint64_t end)
{
    uint64_t l0 = 1ULL << (30 + ((h->feat1 >> RMI_FR1_L0GPTSZ_SHIFT) & 0xf));

    start &= ~(l0 - 1);
    end = (end + l0 - 1) & ~(l0 - 1);
    while (start < end) {
        RmiRegs r = v14_call(h, "GPT_L1_CREATE", RMI_FID_GPT_L1_CREATE,
                             XR(1) | XR(2), 1, start, 0);
        int ret = (int)r.x[0];

        if (RMI_RESULT_STATUS(r.x[0]) == RMI_INCOMPLETE) {
            ret = warn_on(h, r.x[0] != 0);          /* FIXME: Handle SRO */
        }
        if (ret && ret != (int)RMI_ERROR_GPT) {
            return V14_ENOMEM;
        }
        start += l0;
    }
    return 0;
}

static int arm64_init_rmi(V14 *h, uint64_t page, const MemBlock *mb,
                          size_t n)
{
    RmiRegs r;
    size_t i;
    int ret;

    ret = rmi_check_version(h);
    if (ret) {
        return ret;
    }
    r = v14_call(h, "FEATURES", RMI_FID_FEATURES, XR(1), 1, 0, 0);
    h->feat0 = r.x[1];
    if (warn_on(h, r.x[0] != 0)) {
        return V14_ENXIO;
    }
    r = v14_call(h, "FEATURES", RMI_FID_FEATURES, XR(1), 1, 1, 0);
    h->feat1 = r.x[1];
    if (warn_on(h, r.x[0] != 0)) {
        return V14_ENXIO;
    }
    ret = rmi_configure(h, page);
    if (ret) {
        return ret;
    }
    for (i = 0; i < n; i++) {
        ret = rmi_verify_memory_tracking(h, mb[i].base,
                                         mb[i].base + mb[i].size);
        if (ret) {
            return ret;
        }
        ret = rmi_create_gpts(h, mb[i].base, mb[i].base + mb[i].size);
        if (ret) {
            return ret;
        }
    }
    return 0;
}

/*
 * A machine whose RAM is the memblocks; the simulated memory backs the
 * first one (the kernel's zeroed config page lives there).
 */
static void machine_start(Fx *f, const MemBlock *mb, size_t n)
{
    size_t i;

    f->mem = simmem_new(mb[0].base, mb[0].size);
    f->rmm = rmm_core_new(&f->cfg, &simmem_ops, f->mem);
    for (i = 0; i < n; i++) {
        rmm_core_add_dram(f->rmm, mb[i].base, mb[i].size);
    }
}

static int run_v14(Fx *f, const MemBlock *mb, size_t n, V14 *h)
{
    memset(h, 0, sizeof(*h));
    h->f = f;
    h->log = g_string_new(NULL);
    machine_start(f, mb, n);
    return arm64_init_rmi(h, mb[0].base + 0x200000, mb, n);
}

static void finish(Fx *f, V14 *h)
{
    g_string_free(h->log, TRUE);
    fx_stop(f);
}

/* 1GB at 0x40000000 and 512MB at 0x100000000. */
static const MemBlock two_blocks[] = {
    { 0x40000000ULL, 1ULL << 30 },
    { 0x100000000ULL, 512ULL << 20 },
};

/* run_v14() over two_blocks: it returns ret, its log ends with tail. */
static void run_two_blocks(Fx *f, V14 *h, int ret, const char *tail)
{
    g_assert_cmpint(run_v14(f, two_blocks, 2, h), ==, ret);
    g_assert_true(g_str_has_suffix(h->log->str, tail));
}

static void test_default(void)
{
    Fx f;
    V14 h;
    RmmCensus c;

    fx_config(&f);
    g_assert_cmpint(run_v14(&f, two_blocks, 2, &h), ==, 0);
    g_assert_cmpstr(h.log->str, ==,
                    "VERSION(0x20000) = 0\n"
                    "FEATURES(0x0) = 0\n"
                    "FEATURES(0x1) = 0\n"
                    "RMM_CONFIG_SET(0x40200000) = 0\n"
                    "RMM_ACTIVATE() = 0\n"
                    "GRANULE_TRACKING_GET(0x40000000, 0x80000000) = 0\n"
                    "GPT_L1_CREATE(0x40000000) = 15\n"
                    "GRANULE_TRACKING_GET(0x100000000, 0x120000000) = 0\n"
                    "GPT_L1_CREATE(0x100000000) = 15\n");
    g_assert_cmpuint(h.warns, ==, 0);
    c = fx_census(&f);
    g_assert_cmpuint(c.rmm_state, ==, RMM_STATE_ACTIVE);
    g_assert_cmpuint(c.sro_live, ==, 0);
    g_assert_cmpuint(c.metadata_bytes, ==, 0);
    /* RMI is available: the host can delegate right away. */
    fx_delegate(&f, 0x40400000, 0x40400000 + 4 * GRAN);
    finish(&f, &h);
}

/*
 * Memblocks need not be aligned to anything but pages, and one may span
 * several tracking regions (one TRACKING_GET) and L0GPT blocks.
 */
static void test_unaligned_blocks(void)
{
    static const MemBlock mb[] = {
        { 0x80200000ULL, 0x3fe00000ULL },
        { 0x880000000ULL, 0x80000000ULL },
        { 0x900001000ULL, 0x1000ULL },
    };
    Fx f;
    V14 h;

    fx_config(&f);
    g_assert_cmpint(run_v14(&f, mb, 3, &h), ==, 0);
    g_assert_true(g_str_has_suffix(h.log->str,
                    "RMM_ACTIVATE() = 0\n"
                    "GRANULE_TRACKING_GET(0x80200000, 0xc0000000) = 0\n"
                    "GPT_L1_CREATE(0x80000000) = 15\n"
                    "GRANULE_TRACKING_GET(0x880000000, 0x900000000) = 0\n"
                    "GPT_L1_CREATE(0x880000000) = 15\n"
                    "GPT_L1_CREATE(0x8c0000000) = 15\n"
                    "GRANULE_TRACKING_GET(0x900001000, 0x900002000) = 0\n"
                    "GPT_L1_CREATE(0x900000000) = 15\n"));
    finish(&f, &h);
}

/* FR1.L0GPTSZ = 16GB: both memblocks fall in the L0GPT block at 0. */
static void test_l0gpt_16gb(void)
{
    Fx f;
    V14 h;

    fx_config(&f);
    f.cfg.feat[1] |= 4ULL << RMI_FR1_L0GPTSZ_SHIFT;
    run_two_blocks(&f, &h, 0,
                   "GPT_L1_CREATE(0x0) = 15\n"
                   "GRANULE_TRACKING_GET(0x100000000, 0x120000000) = 0\n"
                   "GPT_L1_CREATE(0x0) = 15\n");
    finish(&f, &h);
}

/*
 * Why the default pre-creates: with no firmware L1GPT the RMM asks for
 * the table (INCOMPLETE | DONATE), which v14 can only WARN about, and its
 * init fails with the operation left pending.
 */
static void test_no_firmware_l1(void)
{
    Fx f;
    V14 h;

    fx_config(&f);
    f.cfg.gpt_host_l1 = true;
    run_two_blocks(&f, &h, V14_ENOMEM, "GPT_L1_CREATE(0x40000000) = 1293\n");
    g_assert_cmpuint(h.warns, ==, 1);
    g_assert_cmpuint(fx_census(&f).sro_live, ==, 1);
    finish(&f, &h);
}

/* Likewise for memory the firmware does not track. */
static void test_untracked(void)
{
    Fx f;
    V14 h;

    fx_config(&f);
    f.cfg.tracking_host_fine = true;
    run_two_blocks(&f, &h, V14_ENODEV,
                   "GRANULE_TRACKING_GET(0x40000000, 0x80000000) = 0\n");
    finish(&f, &h);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/linux-v14/init", test_default);
    g_test_add_func("/linux-v14/unaligned-memblocks", test_unaligned_blocks);
    g_test_add_func("/linux-v14/l0gpt-16gb", test_l0gpt_16gb);
    g_test_add_func("/linux-v14/no-firmware-l1", test_no_firmware_l1);
    g_test_add_func("/linux-v14/untracked", test_untracked);
    return g_test_run();
}
