/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * In-process realm lifecycle benchmark: the host driver's
 * rmi_realm_lifecycle() (delegate, create, RTTs, populate, RECs, run the
 * default exit script, tear down, undelegate) against the model core.
 *
 * Figures, each next to a baseline from the same run:
 *   - the whole lifecycle of a 64 MiB, 2-REC realm, ms;
 *   - the per-granule cost of populating and tearing down, from the
 *     difference between a 256 MiB and a 16 MiB realm (so the fixed cost
 *     of create/RECs/run cancels), against four memset passes per granule
 *     (delegate scrub, map scrub, unmap, undelegate scrub);
 *   - of that, delegate + undelegate alone and map + unmap (the rest), each
 *     against two of those memsets (the scrubs it performs).
 */
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "hw/arm/rmm/rmm.h"
#include "tests/common/simmem.h"
#include "host-driver/rmi.h"

#define MEM_BASE    0x40000000ULL
#define MEM_SIZE    (1ULL << 30)
#define POOL_BASE   (MEM_BASE + (16ULL << 20))
#define POOL_SIZE   (MEM_SIZE - (16ULL << 20))

typedef struct Bench {
    SimMem *mem;
    RmmCore *rmm;
    struct rmi_inproc_conduit inproc;
    struct rmi_page_pool pool;
    unsigned long *bitmap;
    struct rmi_sro_state act;
} Bench;

static double now(void)
{
    return g_get_monotonic_time() / 1e6;
}

static void bench_start(Bench *b)
{
    RmmConfig cfg;

    rmm_config_init(&cfg);
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
}

/* Seconds for one lifecycle of a realm with @bytes populated. */
static double lifecycle(Bench *b, unsigned long bytes,
                        struct rmi_realm_report *rep)
{
    const struct rmi_realm_config cfg = {
        .populate_bytes = bytes,
        .init_pages = 16,
        .nr_recs = 2,
    };
    double t0 = now();
    int ret = rmi_realm_lifecycle(&b->pool.allocator, &cfg, rep);

    if (ret) {
        fprintf(stderr, "lifecycle failed: %d at %s\n", ret,
                rep->failed_step ? rep->failed_step : "?");
        g_assert_not_reached();
    }
    return now() - t0;
}

/* Best of @n runs: the least disturbed by the rest of the machine. */
static double best_lifecycle(Bench *b, unsigned long bytes, int n,
                             struct rmi_realm_report *rep)
{
    double best = 1e9;

    for (int i = 0; i < n; i++) {
        best = MIN(best, lifecycle(b, bytes, rep));
    }
    return best;
}

int main(int argc, char **argv)
{
    const unsigned long small = 16UL << 20, large = 256UL << 20;
    const unsigned long granules = (large - small) / RMM_GRANULE_SIZE;
    struct rmi_realm_report rep;
    double t64, t_small, t_large, t_memset, t_deleg, per_granule, t0;
    uint8_t *scratch;
    RmmCensus census;
    char *err = NULL;
    Bench b = { 0 };

    bench_start(&b);
    printf("bench-lifecycle: host driver + model core, in-process\n");

    t64 = best_lifecycle(&b, 64UL << 20, 3, &rep);
    printf("  lifecycle 64 MiB, 2 RECs       %10.2f ms  (%lu RMI calls, "
           "%lu exits)\n", t64 * 1e3, rep.calls, rep.rec_enters);
    t_small = best_lifecycle(&b, small, 3, &rep);
    t_large = best_lifecycle(&b, large, 3, &rep);
    per_granule = (t_large - t_small) / granules;

    /* The same simulated memory the lifecycle just scrubbed: warm, mapped. */
    scratch = simmem_ptr(b.mem, POOL_BASE, large);
    t0 = now();
    for (int pass = 0; pass < 4; pass++) {
        memset(scratch, pass, large);
    }
    t_memset = (now() - t0) * (large - small) / large / granules;

    /* Delegation alone, to separate the map + unmap share. */
    {
        phys_addr_t range = rmi_alloc(&b.pool.allocator, large - small,
                                      PAGE_SIZE), top;

        g_assert(range != RMI_PHYS_INVALID);
        t0 = now();
        g_assert(rmi_delegate_range(range, large - small, &top) == 0);
        g_assert(rmi_undelegate_range(range, large - small, &top) == 0);
        t_deleg = (now() - t0) / granules;
        rmi_free(&b.pool.allocator, range, large - small);
    }

    printf("  baseline: 4 memsets of 4 KiB   %10.1f ns/granule\n",
           t_memset * 1e9);
    printf("  delegate + undelegate          %10.1f ns/granule  ratio %.2f\n",
           t_deleg * 1e9, t_memset / 2 / t_deleg);
    printf("  map + unmap (the rest)         %10.1f ns/granule  ratio %.2f\n",
           (per_granule - t_deleg) * 1e9,
           t_memset / 2 / (per_granule - t_deleg));
    printf("  populate + tear down           %10.1f ns/granule  ratio %.2f\n",
           per_granule * 1e9, t_memset / per_granule);

    rmm_core_census(b.rmm, &census);
    g_assert(rmm_core_check(b.rmm, &err));
    g_assert(census.granules[RMM_GRANULE_DATA] == 0 && census.realms == 0);
    printf("summary: a 64 MiB realm lives and dies in %.2f ms; "
           "populate+teardown costs %.1f ns per granule (%.2fx memset)\n",
           t64 * 1e3, per_granule * 1e9, t_memset / per_granule);

    bench_stop(&b);
    return 0;
}
