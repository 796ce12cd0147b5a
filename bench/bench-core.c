/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * In-process benchmarks of the model core.  Every figure runs in rounds
 * that alternate it with its baseline (which one goes first alternates
 * too), timed in this thread's CPU time so that a shared machine disturbs
 * it less, and is printed as median (min-max) next to the baseline's,
 * with the ratio of the medians:
 *   - RMI_VERSION against the cheapest call the core answers (an FID in
 *     the RMI range that no profile defines: lookup and result only);
 *   - delegate + undelegate against the memory-bandwidth floor, scrubbing
 *     the same granules twice, a granule at a time as the RMM does (each
 *     transition scrubs once);
 *   - delegate + undelegate with the CPUs' GPT kept (as -machine rme
 *     does) against without;
 *   - the heap the core uses per delegated granule, measured with
 *     mallinfo2() over 1 GiB, and for a large DRAM never delegated.
 * Each baseline's work is checked to have been done (the core's call
 * counter, the scrubbed bytes read back), so the compiler cannot have
 * removed it.
 *
 *   bench-core [seconds]     about this long per figure (default 1)
 *   bench-core --sweep       delegate + undelegate and the floor per
 *                            granule, 16 MiB to 4 GiB (SWEEP lines, the
 *                            data of docs/images/delegate-sweep.png)
 */
#include <glib.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "hw/arm/rmm/rmm.h"
#include "hw/arm/rmm/rmi-defs.h"
#include "tests/common/simmem.h"
#include "bench-util.h"

/* In the RMI range, defined by no profile: the dispatch-only baseline. */
#define FID_UNDEFINED (RMI_FID_BASE | 0x2CF)
#define RAM_BASE    0x40000000ULL
#define CONFIG_PA   RAM_BASE
#define RANGE_BASE  (RAM_BASE + (16ULL << 20))
#define RANGE_SIZE  (128ULL << 20)

/* "median (min-max)" of a rate, from seconds per unit of work. */
static void print_rate(const char *what, BenchSeries *s, double work,
                       const char *unit)
{
    double m = bench_median(s);

    printf("  %-34s %12.0f %s  (%.0f-%.0f)\n", what, work / m, unit,
           work / s->v[s->n - 1], work / s->v[0]);
}

static RmmCore *new_active_core(SimMem *mem, uint64_t dram_size)
{
    uint64_t x[RMM_NR_REGS] = { 0 };
    RmmConfig cfg;
    RmmCore *rmm;

    rmm_config_init(&cfg);
    rmm = rmm_core_new(&cfg, &simmem_ops, mem);
    rmm_core_add_dram(rmm, mem->base, dram_size);
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

static uint64_t core_calls(RmmCore *rmm)
{
    RmmCensus c;

    rmm_core_census(rmm, &c);
    return c.calls;
}

/* Seconds of CPU for n calls of one FID; the core must count them all. */
static double time_calls(RmmCore *rmm, uint64_t fid, uint64_t x1, uint64_t n)
{
    uint64_t before = core_calls(rmm), x[RMM_NR_REGS];
    double t0 = bench_cpu_now();

    for (uint64_t i = 0; i < n; i++) {
        x[0] = fid;
        x[1] = x1;
        rmm_core_call(rmm, x);
    }
    t0 = bench_cpu_now() - t0;
    g_assert(core_calls(rmm) - before == n);
    return t0;
}

/*
 * (Un)delegate [base, top) as a host does: one call per bounded chunk
 * (RmmConfig.range_granules_per_call), each from the last one's out_top.
 */
static void range_call(RmmCore *rmm, uint64_t fid, uint64_t base,
                       uint64_t top)
{
    while (base < top) {
        uint64_t x[RMM_NR_REGS] = { fid, base, top };

        rmm_core_call(rmm, x);
        g_assert(x[0] == RMI_SUCCESS && x[1] > base && x[1] <= top);
        base = x[1];
    }
}

/* Seconds of CPU for one delegate + undelegate of [base, base + size). */
static double time_deleg(RmmCore *rmm, uint64_t base, uint64_t size)
{
    double t0 = bench_cpu_now();

    range_call(rmm, RMI_FID_GRANULE_RANGE_DELEGATE, base, base + size);
    range_call(rmm, RMI_FID_GRANULE_RANGE_UNDELEGATE, base, base + size);
    return bench_cpu_now() - t0;
}

/* Seconds of CPU for the floor: every granule scrubbed twice. */
static double time_floor(SimMem *mem, uint64_t base, uint64_t size, int val)
{
    return bench_scrub(simmem_ptr(mem, base, size), size, val, 2);
}

/* For reference: two memsets of the whole range. */
static double time_bulk(SimMem *mem, uint64_t base, uint64_t size)
{
    uint8_t *p = simmem_ptr(mem, base, size);
    double t0 = bench_cpu_now();

    memset(p, 3, size);
    asm volatile("" : : "r"(p) : "memory");
    memset(p, 4, size);
    asm volatile("" : : "r"(p) : "memory");
    return bench_cpu_now() - t0;
}

/* Rounds enough for about min_s seconds of both, odd, within bounds. */
static int rounds_for(double one_round_s, double min_s)
{
    int n = (int)(min_s / MAX(one_round_s, 1e-6)) | 1;

    return CLAMP(n, 5, BENCH_MAX_ROUNDS - 1);
}

static double bench_dispatch(RmmCore *rmm, double min_s)
{
    const uint64_t n = 2000000, want = RMI_VERSION_MAKE(2, 0);
    BenchSeries base = { 0 }, ver = { 0 };
    double warm = time_calls(rmm, FID_UNDEFINED, 0, n) +
                  time_calls(rmm, RMI_FID_VERSION, want, n);
    int rounds = rounds_for(warm, min_s);

    for (int r = 0; r < rounds; r++) {
        if (r % 2) {
            bench_series_add(&base, time_calls(rmm, FID_UNDEFINED, 0, n));
            bench_series_add(&ver, time_calls(rmm, RMI_FID_VERSION, want, n));
        } else {
            bench_series_add(&ver, time_calls(rmm, RMI_FID_VERSION, want, n));
            bench_series_add(&base, time_calls(rmm, FID_UNDEFINED, 0, n));
        }
    }
    printf("dispatch, %d rounds of %" G_GUINT64_FORMAT " calls each "
           "(CPU time, median (min-max)):\n", rounds, n);
    print_rate("baseline: undefined RMI FID", &base, n, "calls/s");
    print_rate("RMI_VERSION", &ver, n, "calls/s");
    printf("  %-34s %12.2f\n", "ratio",
           bench_median(&base) / bench_median(&ver));
    return n / bench_median(&ver);
}

/* Delegate + undelegate of size bytes against the floor: medians. */
static void deleg_vs_floor(RmmCore *rmm, SimMem *mem, uint64_t base,
                           uint64_t size, int rounds, BenchSeries *deleg,
                           BenchSeries *floor)
{
    /* Touch the range once so that page faults are not measured. */
    time_floor(mem, base, size, 1);
    for (int r = 0; r < rounds; r++) {
        if (r % 2) {
            bench_series_add(floor, time_floor(mem, base, size, r));
            bench_series_add(deleg, time_deleg(rmm, base, size));
        } else {
            bench_series_add(deleg, time_deleg(rmm, base, size));
            bench_series_add(floor, time_floor(mem, base, size, r));
        }
    }
}

static double bench_deleg(RmmCore *rmm, SimMem *mem, double min_s)
{
    uint64_t granules = RANGE_SIZE / RMM_GRANULE_SIZE;
    BenchSeries deleg = { 0 }, floor = { 0 };
    double one = time_deleg(rmm, RANGE_BASE, RANGE_SIZE) * 2;
    int rounds = rounds_for(one, min_s);

    deleg_vs_floor(rmm, mem, RANGE_BASE, RANGE_SIZE, rounds, &deleg,
                   &floor);
    printf("delegate + undelegate of %llu MiB, %d rounds "
           "(CPU time):\n", RANGE_SIZE >> 20, rounds);
    print_rate("floor: scrub every granule twice", &floor, granules,
               "granules/s");
    print_rate("delegate + undelegate", &deleg, granules, "granules/s");
    printf("  %-34s %12.2f\n", "ratio (of the floor)",
           bench_median(&floor) / bench_median(&deleg));
    printf("  (one memset of the whole range, twice: %.0f granules/s; "
           "glibc's non-temporal stores for large sizes, not the RMM's "
           "work)\n", granules / time_bulk(mem, RANGE_BASE, RANGE_SIZE));
    return bench_median(&floor) / bench_median(&deleg);
}

/*
 * Granule protection's cost: the same delegate + undelegate on a core that
 * keeps the CPUs' GPT (as -machine rme does) and on one that does not.
 */
static void bench_gpt(double min_s)
{
    SimMem *mem[2] = { simmem_new(RAM_BASE, 256ULL << 20),
                       simmem_new(RAM_BASE, 256ULL << 20) };
    RmmCore *rmm[2] = { new_active_core(mem[0], 256ULL << 20),
                        new_active_core(mem[1], 256ULL << 20) };
    uint64_t granules = RANGE_SIZE / RMM_GRANULE_SIZE;
    BenchSeries t[2];
    int rounds;

    memset(t, 0, sizeof(t));
    simmem_keep_gpt(mem[1], rmm[1]);
    g_assert(rmm_core_gpccr(rmm[1]) && !rmm_core_gpccr(rmm[0]));
    /* Touch both ranges once so that page faults are not measured. */
    time_floor(mem[0], RANGE_BASE, RANGE_SIZE, 1);
    time_floor(mem[1], RANGE_BASE, RANGE_SIZE, 1);
    rounds = rounds_for(time_deleg(rmm[0], RANGE_BASE, RANGE_SIZE) * 2,
                        min_s);
    for (int r = 0; r < rounds; r++) {
        for (int k = 0; k < 2; k++) {
            int i = (r + k) % 2;        /* alternate which goes first */

            bench_series_add(&t[i], time_deleg(rmm[i], RANGE_BASE, RANGE_SIZE));
        }
    }
    /* The work was done: the GPT saw the granules come and go. */
    g_assert(rmm_core_gpt_changed(rmm[1]) && !rmm_core_gpt_changed(rmm[0]));
    printf("granule protection, %d rounds (CPU time):\n", rounds);
    print_rate("delegate+undelegate, no GPT", &t[0], granules, "granules/s");
    print_rate("delegate+undelegate, GPT kept", &t[1], granules,
               "granules/s");
    printf("  %-34s %12.2f\n", "ratio",
           bench_median(&t[0]) / bench_median(&t[1]));
    for (int i = 0; i < 2; i++) {
        rmm_core_free(rmm[i]);
        simmem_free(mem[i]);
    }
}

/* Heap in use (small blocks and mmapped ones), as glibc counts it. */
static size_t heap_bytes(void)
{
    struct mallinfo2 mi = mallinfo2();

    return mi.uordblks + mi.hblkhd;
}

/*
 * Measured metadata: the heap a core grows by when 1 GiB is delegated,
 * per granule; and what a core with 64 GiB of DRAM costs when none of it
 * is delegated, against one with 1 GiB.
 */
static double bench_metadata(void)
{
    const uint64_t size = 1ULL << 30, big = 64ULL << 30;
    uint64_t granules = size / RMM_GRANULE_SIZE;
    SimMem *mem = simmem_new(RAM_BASE, size + (16ULL << 20));
    RmmCore *rmm = new_active_core(mem, size + (16ULL << 20)), *small;
    SimMem *none = simmem_new(RAM_BASE, 16ULL << 20);
    size_t before, after, small_heap, big_heap;
    RmmCensus c;
    double per;

    before = heap_bytes();
    range_call(rmm, RMI_FID_GRANULE_RANGE_DELEGATE, RANGE_BASE,
               RANGE_BASE + size);
    after = heap_bytes();
    rmm_core_census(rmm, &c);
    g_assert(c.granules[RMM_GRANULE_DELEGATED] == granules);
    per = (double)(after - before) / granules;
    printf("metadata (heap, mallinfo2):\n");
    printf("  %-34s %12.1f bytes  (%.2f%% of 4 KiB; the census says %.1f)\n",
           "per delegated granule, 1 GiB", per,
           100.0 * per / RMM_GRANULE_SIZE,
           (double)c.metadata_bytes / granules);
    range_call(rmm, RMI_FID_GRANULE_RANGE_UNDELEGATE, RANGE_BASE,
               RANGE_BASE + size);
    printf("  %-34s %12zd bytes\n", "left after undelegating it all",
           (ssize_t)(heap_bytes() - before));
    rmm_core_free(rmm);
    simmem_free(mem);

    /* DRAM is only described: nothing is allocated for it up front. */
    before = heap_bytes();
    small = rmm_core_new(NULL, &simmem_ops, none);
    rmm_core_add_dram(small, RAM_BASE, 1ULL << 30);
    small_heap = heap_bytes() - before;
    rmm_core_free(small);
    before = heap_bytes();
    small = rmm_core_new(NULL, &simmem_ops, none);
    rmm_core_add_dram(small, RAM_BASE, big);
    big_heap = heap_bytes() - before;
    rmm_core_free(small);
    simmem_free(none);
    printf("  %-34s %12zd bytes  (a core with 64 GiB of DRAM, against "
           "1 GiB)\n", "never delegated", (ssize_t)(big_heap - small_heap));
    return per;
}

/* Per granule, delegate + undelegate and the floor, 16 MiB to 4 GiB. */
static void sweep(void)
{
    const uint64_t max = 4ULL << 30;
    SimMem *mem = simmem_new(RAM_BASE, max + (16ULL << 20));
    RmmCore *rmm = new_active_core(mem, max + (16ULL << 20));

    printf("# size_mib deleg_ns floor_ns (per granule, medians of rounds, "
           "CPU time)\n");
    for (uint64_t size = 16ULL << 20; size <= max; size *= 2) {
        uint64_t granules = size / RMM_GRANULE_SIZE;
        BenchSeries deleg = { 0 }, floor = { 0 };
        int rounds = size >= (1ULL << 30) ? 3 : 7;

        deleg_vs_floor(rmm, mem, RANGE_BASE, size, rounds, &deleg, &floor);
        printf("SWEEP %" G_GUINT64_FORMAT " %.1f %.1f  (ratio %.2f)\n",
               size >> 20, bench_median(&deleg) / granules * 1e9,
               bench_median(&floor) / granules * 1e9,
               bench_median(&floor) / bench_median(&deleg));
        fflush(stdout);
    }
    rmm_core_free(rmm);
    simmem_free(mem);
}

int main(int argc, char **argv)
{
    double min_s = 1.0, version, deleg, meta;
    SimMem *mem;
    RmmCore *rmm;

    if (argc > 1 && !strcmp(argv[1], "--sweep")) {
        sweep();
        return 0;
    }
    if (argc > 1) {
        min_s = g_ascii_strtod(argv[1], NULL);
    }
    printf("bench-core: in-process model core, about %.1f s per figure\n",
           min_s);
    mem = simmem_new(RAM_BASE, 256ULL << 20);
    rmm = new_active_core(mem, 256ULL << 20);
    version = bench_dispatch(rmm, min_s);
    deleg = bench_deleg(rmm, mem, min_s);
    rmm_core_free(rmm);
    simmem_free(mem);
    bench_gpt(min_s);
    meta = bench_metadata();
    printf("summary: RMI_VERSION %.0f M calls/s; delegate+undelegate %.2f "
           "of the memory-bandwidth floor; %.1f bytes of metadata per "
           "delegated granule\n", version / 1e6, deleg, meta);
    return 0;
}
