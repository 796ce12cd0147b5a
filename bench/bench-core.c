/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * In-process benchmarks of the model core.  Every figure is printed next
 * to a baseline measured in the same run, so that ratios compare across
 * machines:
 *   - RMI_VERSION calls/s against the cheapest call the core answers (an
 *     FID outside the ABI table: dispatch and register copy only);
 *   - delegate + undelegate granules/s against zeroing the same memory
 *     twice with memset (the floor: both transitions scrub the granule).
 */
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "hw/arm/rmm/rmm.h"
#include "hw/arm/rmm/rmi-defs.h"
#include "tests/common/simmem.h"

/* In the RMI range, defined by no profile: the dispatch-only baseline. */
#define FID_UNDEFINED (RMI_FID_BASE | 0x2CF)
#define RAM_BASE    0x40000000ULL
#define RAM_SIZE    (256ULL << 20)
#define CONFIG_PA   RAM_BASE
#define RANGE_BASE  (RAM_BASE + (16ULL << 20))
#define RANGE_SIZE  (128ULL << 20)

static double now(void)
{
    return g_get_monotonic_time() / 1e6;
}

static RmmCore *new_active_core(SimMem *mem)
{
    uint64_t x[RMM_NR_REGS] = { 0 };
    RmmConfig cfg;
    RmmCore *rmm;

    rmm_config_init(&cfg);
    rmm = rmm_core_new(&cfg, &simmem_ops, mem);
    rmm_core_add_dram(rmm, mem->base, mem->size);
    memset(simmem_ptr(mem, CONFIG_PA, RMM_GRANULE_SIZE), 0, RMM_GRANULE_SIZE);
    x[0] = RMI_FID_RMM_CONFIG_SET;
    x[1] = CONFIG_PA;
    rmm_core_call(rmm, x);
    g_assert(x[0] == RMI_SUCCESS);
    memset(x, 0, sizeof(x));
    x[0] = RMI_FID_RMM_ACTIVATE;
    rmm_core_call(rmm, x);
    g_assert(x[0] == RMI_SUCCESS);
    return rmm;
}

/* Calls per second of one FID, over at least @min_s seconds. */
static double calls_per_s(RmmCore *rmm, uint64_t fid, uint64_t x1,
                          double min_s)
{
    uint64_t x[RMM_NR_REGS];
    uint64_t n = 0;
    double t0 = now(), t;

    do {
        for (int i = 0; i < 10000; i++) {
            x[0] = fid;
            x[1] = x1;
            rmm_core_call(rmm, x);
        }
        n += 10000;
        t = now() - t0;
    } while (t < min_s);
    return n / t;
}

/*
 * (Un)delegate [base, top) as a host does: one call per bounded chunk
 * (RmmConfig.range_granules_per_call), each from the last one's out_top.
 */
static unsigned range_call(RmmCore *rmm, uint64_t fid, uint64_t base,
                           uint64_t top)
{
    unsigned calls = 0;

    while (base < top) {
        uint64_t x[RMM_NR_REGS] = { fid, base, top };

        rmm_core_call(rmm, x);
        g_assert(x[0] == RMI_SUCCESS && x[1] > base && x[1] <= top);
        base = x[1];
        calls++;
    }
    return calls;
}

/* Seconds for one delegate + undelegate of the whole range. */
static double deleg_round(RmmCore *rmm)
{
    double t0 = now();

    range_call(rmm, RMI_FID_GRANULE_RANGE_DELEGATE, RANGE_BASE,
               RANGE_BASE + RANGE_SIZE);
    range_call(rmm, RMI_FID_GRANULE_RANGE_UNDELEGATE, RANGE_BASE,
               RANGE_BASE + RANGE_SIZE);
    return now() - t0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

/*
 * Granule protection's cost: the same delegate + undelegate on a core that
 * keeps the CPUs' GPT (as -machine rme does) and on one that does not,
 * alternating in rounds; median and spread of each, and their ratio.
 */
#define GPT_ROUNDS 7

static void bench_gpt(void)
{
    SimMem *mem[2] = { simmem_new(RAM_BASE, RAM_SIZE),
                       simmem_new(RAM_BASE, RAM_SIZE) };
    RmmCore *rmm[2] = { new_active_core(mem[0]), new_active_core(mem[1]) };
    uint64_t granules = RANGE_SIZE / RMM_GRANULE_SIZE;
    double t[2][GPT_ROUNDS];

    simmem_keep_gpt(mem[1], rmm[1]);
    g_assert(rmm_core_gpccr(rmm[1]) && !rmm_core_gpccr(rmm[0]));
    for (int r = 0; r < GPT_ROUNDS; r++) {
        for (int k = 0; k < 2; k++) {
            int i = (r + k) % 2;        /* alternate which goes first */

            t[i][r] = deleg_round(rmm[i]);
        }
    }
    /* The work was done: the GPT saw the granules come and go. */
    g_assert(rmm_core_gpt_changed(rmm[1]) && !rmm_core_gpt_changed(rmm[0]));
    for (int i = 0; i < 2; i++) {
        qsort(t[i], GPT_ROUNDS, sizeof(double), cmp_double);
    }
    printf("  delegate+undelegate, no GPT   %12.0f granules/s  "
           "(%.0f-%.0f)\n", granules / t[0][GPT_ROUNDS / 2],
           granules / t[0][GPT_ROUNDS - 1], granules / t[0][0]);
    printf("  delegate+undelegate, GPT kept %12.0f granules/s  "
           "(%.0f-%.0f)  ratio %.2f\n", granules / t[1][GPT_ROUNDS / 2],
           granules / t[1][GPT_ROUNDS - 1], granules / t[1][0],
           t[0][GPT_ROUNDS / 2] / t[1][GPT_ROUNDS / 2]);
    for (int i = 0; i < 2; i++) {
        rmm_core_free(rmm[i]);
        simmem_free(mem[i]);
    }
}

int main(int argc, char **argv)
{
    double min_s = argc > 1 ? g_ascii_strtod(argv[1], NULL) : 1.0;
    SimMem *mem = simmem_new(RAM_BASE, RAM_SIZE);
    RmmCore *rmm = new_active_core(mem);
    uint64_t granules = RANGE_SIZE / RMM_GRANULE_SIZE;
    double base_calls, version_calls, t0, t_deleg, t_zero;
    RmmCensus census;
    double meta_per_granule = 0;
    int rounds = 0;

    printf("bench-core: in-process model core, %.1f s per figure\n", min_s);

    /* Touch the range once so page faults are not measured. */
    memset(simmem_ptr(mem, RANGE_BASE, RANGE_SIZE), 1, RANGE_SIZE);

    base_calls = calls_per_s(rmm, FID_UNDEFINED, 0, min_s);
    version_calls = calls_per_s(rmm, RMI_FID_VERSION, RMI_VERSION_MAKE(2, 0),
                                min_s);
    printf("  baseline (unknown FID)        %12.0f calls/s\n", base_calls);
    printf("  RMI_VERSION                   %12.0f calls/s  ratio %.2f\n",
           version_calls, version_calls / base_calls);

    t0 = now();
    do {
        range_call(rmm, RMI_FID_GRANULE_RANGE_DELEGATE, RANGE_BASE, RANGE_BASE + RANGE_SIZE);
        rmm_core_census(rmm, &census);
        g_assert(census.granules[RMM_GRANULE_DELEGATED] == granules);
        meta_per_granule = (double)census.metadata_bytes / granules;
        range_call(rmm, RMI_FID_GRANULE_RANGE_UNDELEGATE, RANGE_BASE, RANGE_BASE + RANGE_SIZE);
        rounds++;
    } while (now() - t0 < min_s);
    t_deleg = (now() - t0) / rounds;

    t0 = now();
    for (int i = 0; i < rounds; i++) {
        memset(simmem_ptr(mem, RANGE_BASE, RANGE_SIZE), 0, RANGE_SIZE);
        memset(simmem_ptr(mem, RANGE_BASE, RANGE_SIZE), i, RANGE_SIZE);
    }
    t_zero = (now() - t0) / rounds;

    printf("  baseline (memset 2x4KiB)      %12.0f granules/s\n",
           granules / t_zero);
    printf("  delegate+undelegate           %12.0f granules/s  ratio %.2f\n",
           granules / t_deleg, t_zero / t_deleg);
    /* Undelegated memory must cost nothing: metadata is per tracked granule. */
    rmm_core_census(rmm, &census);
    printf("  metadata per delegated granule %8.1f bytes (%.2f%% of 4 KiB); "
           "%" G_GUINT64_FORMAT " bytes with none delegated\n",
           meta_per_granule, 100.0 * meta_per_granule / RMM_GRANULE_SIZE,
           census.metadata_bytes);
    bench_gpt();
    printf("summary: RMI_VERSION %.2fx the dispatch baseline; "
           "delegate+undelegate %.2fx memset speed (%d rounds of %" G_GUINT64_FORMAT
           " granules)\n", version_calls / base_calls, t_zero / t_deleg,
           rounds, granules);

    rmm_core_free(rmm);
    simmem_free(mem);
    return 0;
}
