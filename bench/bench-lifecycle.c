/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * In-process realm lifecycle benchmark: the host driver's
 * rmi_realm_lifecycle() (delegate, create, RTTs, populate, RECs, run,
 * tear down, undelegate) against the model core.  Each figure runs in
 * rounds alternating with its baseline, in this thread's CPU time, and is
 * printed as median (min-max) with the ratio of the medians:
 *   - the whole lifecycle of a 64 MiB realm with 4 RECs that exit 1000
 *     times in all (each REC: 249 host calls, then PSCI CPU_OFF), against
 *     the memory work it cannot avoid: scrubbing its 64 MiB four times
 *     (delegate, populate, unmap, undelegate), a granule at a time;
 *   - the per-granule cost of populating and tearing down, from the
 *     difference between a 256 MiB and a 16 MiB realm (so the fixed cost
 *     of creation, RECs and exits cancels), against four scrubs;
 *   - of that, delegate + undelegate alone against two scrubs.
 */
#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "hw/arm/rmm/rmm.h"
#include "tests/common/simmem.h"
#include "host-driver/rmi.h"
#include "bench-util.h"

#define MEM_BASE    0x40000000ULL
#define MEM_SIZE    (1ULL << 30)
#define POOL_BASE   (MEM_BASE + (16ULL << 20))
#define POOL_SIZE   (MEM_SIZE - (16ULL << 20))
#define ROUNDS      9
#define EXITS_PER_REC 250

typedef struct Bench {
    SimMem *mem;
    RmmCore *rmm;
    struct rmi_inproc_conduit inproc;
    struct rmi_page_pool pool;
    unsigned long *bitmap;
    struct rmi_sro_state act;
    RmmExitStep *script;
} Bench;

/* "median (min-max)" scaled by k, e.g. 1e3 for ms. */
static void print_series(const char *what, BenchSeries *s, double k,
                         const char *unit)
{
    double m = bench_median(s);

    printf("  %-36s %9.1f %s  (%.1f-%.1f)\n", what, m * k, unit,
           s->v[0] * k, s->v[s->n - 1] * k);
}

/* Each REC: 249 host calls, then CPU_OFF; the realm ends when all are off. */
static RmmExitStep *exit_script(size_t *len)
{
    g_autoptr(GString) text = g_string_new(NULL);
    RmmExitStep *steps;
    char *err = NULL;

    for (int i = 0; i < EXITS_PER_REC - 1; i++) {
        g_string_append(text, "host-call:imm=1;");
    }
    g_string_append(text, "psci:fn=cpu-off");
    if (!rmm_exit_script_parse(text->str, &steps, len, &err)) {
        g_error("exit script: %s", err);
    }
    return steps;
}

static void bench_start(Bench *b)
{
    RmmConfig cfg;
    size_t len;

    rmm_config_init(&cfg);
    b->script = exit_script(&len);
    cfg.rec_script = b->script;
    cfg.rec_script_len = len;
    b->mem = simmem_new(MEM_BASE, MEM_SIZE);
    b->rmm = rmm_core_new(&cfg, &simmem_ops, b->mem);
    rmm_core_add_dram(b->rmm, MEM_BASE, MEM_SIZE);
    rmi_inproc_conduit_init(&b->inproc, b->rmm);
    rmi_set_conduit(&b->inproc.conduit);
    b->bitmap = g_new0(unsigned long, RMI_PAGE_POOL_BITMAP_LONGS(POOL_SIZE));
    g_assert(rmi_page_pool_init(&b->pool, POOL_BASE, POOL_SIZE, b->bitmap,
                                simmem_ptr(b->mem, POOL_BASE, POOL_SIZE)) == 0);
    g_assert(rmi_rmm_init(&b->pool.allocator, &b->act) == 0);
    rmi_sro_free(&b->act);
}

static void bench_stop(Bench *b)
{
    rmi_set_conduit(NULL);
    rmm_core_free(b->rmm);
    simmem_free(b->mem);
    g_free(b->bitmap);
    g_free(b->script);
}

/* Seconds of CPU for one lifecycle of a realm with @bytes populated. */
static double lifecycle(Bench *b, unsigned long bytes, unsigned int recs,
                        struct rmi_realm_report *rep)
{
    const struct rmi_realm_config cfg = {
        .populate_bytes = bytes,
        .init_pages = 16,
        .nr_recs = recs,
        .max_exits = EXITS_PER_REC + 1,
    };
    double t0 = bench_cpu_now();
    int ret = rmi_realm_lifecycle(&b->pool.allocator, &cfg, rep);

    t0 = bench_cpu_now() - t0;
    if (ret) {
        fprintf(stderr, "lifecycle failed: %d at %s\n", ret,
                rep->failed_step ? rep->failed_step : "?");
        g_assert_not_reached();
    }
    return t0;
}

/* Seconds of CPU for delegating and undelegating len bytes of the pool. */
static double deleg(Bench *b, unsigned long len)
{
    phys_addr_t range = rmi_alloc(&b->pool.allocator, len, PAGE_SIZE), top;
    double t0;

    g_assert(range != RMI_PHYS_INVALID);
    t0 = bench_cpu_now();
    g_assert(rmi_delegate_range(range, len, &top) == 0);
    g_assert(rmi_undelegate_range(range, len, &top) == 0);
    t0 = bench_cpu_now() - t0;
    rmi_free(&b->pool.allocator, range, len);
    return t0;
}

int main(int argc, char **argv)
{
    const unsigned long small = 16UL << 20, large = 256UL << 20;
    const unsigned long mid = 64UL << 20;
    const double granules = (large - small) / RMM_GRANULE_SIZE;
    struct rmi_realm_report rep;
    const unsigned long span = large - small;
    BenchSeries life = { 0 }, life_floor = { 0 };
    BenchSeries per = { 0 }, per_floor = { 0 };
    BenchSeries del = { 0 }, del_floor = { 0 };
    uint8_t *scratch;
    RmmCensus census;
    char *err = NULL;
    Bench b = { 0 };

    bench_start(&b);
    printf("bench-lifecycle: host driver + model core, in process, %d "
           "rounds (CPU time, median (min-max))\n", ROUNDS);
    /* The pool's own memory, warm: the scrubs' baseline and the realm's. */
    scratch = simmem_ptr(b.mem, POOL_BASE, large);
    bench_scrub(scratch, large, 1, 1);
    lifecycle(&b, mid, 4, &rep);

    for (int r = 0; r < ROUNDS; r++) {
        double t_small, t_large;

        if (r % 2) {
            bench_series_add(&life_floor, bench_scrub(scratch, mid, 1, 4));
            bench_series_add(&life, lifecycle(&b, mid, 4, &rep));
        } else {
            bench_series_add(&life, lifecycle(&b, mid, 4, &rep));
            bench_series_add(&life_floor, bench_scrub(scratch, mid, 1, 4));
        }
        g_assert(rep.system_off || rep.rec_enters >= 4 * EXITS_PER_REC);
        g_assert(rep.rec_enters == 4 * EXITS_PER_REC);
        t_small = lifecycle(&b, small, 1, &rep);
        t_large = lifecycle(&b, large, 1, &rep);
        bench_series_add(&per, (t_large - t_small) / granules);
        bench_series_add(&per_floor,
                         bench_scrub(scratch, span, 1, 4) / granules);
        if (r % 2) {
            bench_series_add(&del_floor,
                             bench_scrub(scratch, span, 1, 2) / granules);
            bench_series_add(&del, deleg(&b, span) / granules);
        } else {
            bench_series_add(&del, deleg(&b, span) / granules);
            bench_series_add(&del_floor,
                             bench_scrub(scratch, span, 1, 2) / granules);
        }
    }

    lifecycle(&b, mid, 4, &rep);
    printf("whole lifecycle, 64 MiB, 4 RECs, %lu REC entries, %lu RMI "
           "calls:\n", rep.rec_enters, rep.calls);
    print_series("baseline: scrub 64 MiB four times", &life_floor, 1e3,
                 "ms");
    print_series("lifecycle", &life, 1e3, "ms");
    printf("  %-36s %9.2f\n", "ratio",
           bench_median(&life_floor) / bench_median(&life));
    printf("per granule, 256 MiB realm less 16 MiB realm:\n");
    print_series("baseline: four scrubs", &per_floor, 1e9, "ns");
    print_series("populate + tear down", &per, 1e9, "ns");
    printf("  %-36s %9.2f\n", "ratio",
           bench_median(&per_floor) / bench_median(&per));
    print_series("baseline: two scrubs", &del_floor, 1e9, "ns");
    print_series("delegate + undelegate", &del, 1e9, "ns");
    printf("  %-36s %9.2f\n", "ratio",
           bench_median(&del_floor) / bench_median(&del));

    rmm_core_census(b.rmm, &census);
    g_assert(rmm_core_check(b.rmm, &err));
    g_assert(census.granules[RMM_GRANULE_DATA] == 0 && census.realms == 0);
    printf("summary: a 64 MiB realm with 4 RECs and %d exits lives and "
           "dies in %.2f ms; populate+teardown %.2f of the scrub floor, "
           "delegate+undelegate %.2f\n", 4 * EXITS_PER_REC,
           bench_median(&life) * 1e3,
           bench_median(&per_floor) / bench_median(&per),
           bench_median(&del_floor) / bench_median(&del));
    bench_stop(&b);
    return 0;
}
