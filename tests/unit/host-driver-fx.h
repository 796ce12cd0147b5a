/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The fixture the host-driver tests share (test-host-driver.c,
 * test-host-faults.c): the model core over simulated DRAM, the driver's
 * in-process conduit with the core's invariants checked after every
 * call, a page pool above the first 16 MiB with an optional allocation
 * limit, and the realm lifecycle's start and clean-end checks.
 */
#ifndef HOST_DRIVER_FX_H
#define HOST_DRIVER_FX_H

#include <glib.h>

#include "tests/common/simmem.h"
#include "host-driver/rmi.h"
#include "host-driver/rmi_cmds.h"

#define MEM_BASE        0x40000000ULL
#define MEM_SIZE        (64ULL << 20)
/* The host's page pool: all the DRAM above the first 16 MiB. */
#define POOL_BASE       (MEM_BASE + (16ULL << 20))
#define POOL_SIZE       (MEM_BASE + MEM_SIZE - POOL_BASE)
/* DRAM for the realm lifecycle tests: room for 64 MiB of realm memory. */
#define LC_MEM_SIZE     (160ULL << 20)

typedef struct HdFx {
    SimMem *mem;
    RmmCore *rmm;
    RmmConfig cfg;
    uint64_t mem_size;          /* DRAM from MEM_BASE; the pool above */
    uint64_t pool_size;
    struct rmi_inproc_conduit inproc;
    void (*inproc_invoke)(struct rmi_conduit *, struct arm_smccc_1_2_regs *);
    struct rmi_page_pool pool;
    unsigned long *bitmap;
    /* allocator fault injection: fail once allocated_bytes would exceed */
    unsigned long alloc_limit;
    phys_addr_t (*pool_alloc)(struct rmi_allocator *, unsigned long,
                              unsigned long);
    struct rmi_sro_state sro;
} HdFx;

static unsigned long printk_count;

static inline void quiet_printk(int level, const char *msg)
{
    printk_count++;
    if (g_test_verbose()) {
        g_test_message("printk<%d>: %.*s", level, (int)strcspn(msg, "\n"),
                       msg);
    }
}

/* The driver's printk counted, shown with --verbose only. */
static inline void printk_quiet(void)
{
    rmi_printk_hook = quiet_printk;
    printk_count = 0;
}

static inline void check_core(RmmCore *rmm)
{
    char *err = NULL;

    if (!rmm_core_check(rmm, &err)) {
        g_error("rmm_core_check failed:\n%s", err);
    }
}

/* The in-process conduit, with the core's invariants after each call. */
static inline void checked_invoke(struct rmi_conduit *conduit,
                                  struct arm_smccc_1_2_regs *regs)
{
    HdFx *f = container_of(conduit, HdFx, inproc.conduit);

    f->inproc_invoke(conduit, regs);
    check_core(f->rmm);
}

static inline phys_addr_t limited_alloc(struct rmi_allocator *a,
                                        unsigned long size,
                                        unsigned long align)
{
    HdFx *f = container_of(a, HdFx, pool.allocator);

    if (f->alloc_limit && a->allocated_bytes + size > f->alloc_limit) {
        return RMI_PHYS_INVALID;
    }
    return f->pool_alloc(a, size, align);
}

/* A page pool of size bytes at POOL_BASE in mem: rmi_page_pool_init(). */
static inline int pool_init(struct rmi_page_pool *pool,
                            unsigned long **bitmap, SimMem *mem,
                            uint64_t size)
{
    *bitmap = g_new0(unsigned long, RMI_PAGE_POOL_BITMAP_LONGS(size));
    return rmi_page_pool_init(pool, POOL_BASE, size, *bitmap,
                              simmem_ptr(mem, POOL_BASE, size));
}

static inline void fx_config(HdFx *f)
{
    memset(f, 0, sizeof(*f));
    rmm_config_init(&f->cfg);
    f->mem_size = MEM_SIZE;
    printk_quiet();
}

/* fx_config(), RMM_ACTIVATE asking for count blocks of size. */
static inline void fx_config_donating(HdFx *f, unsigned int size,
                                      unsigned long count, bool contig,
                                      unsigned long state)
{
    fx_config(f);
    f->cfg.activate_donate_req = rmi_donate_req(size, count, contig, state);
}

static inline void fx_start(HdFx *f)
{
    f->mem = simmem_new(MEM_BASE, f->mem_size);
    f->rmm = rmm_core_new(&f->cfg, &simmem_ops, f->mem);
    rmm_core_add_dram(f->rmm, MEM_BASE, f->mem_size);
    simmem_keep_gpt(f->mem, f->rmm);

    rmi_inproc_conduit_init(&f->inproc, f->rmm);
    f->inproc_invoke = f->inproc.conduit.invoke;
    f->inproc.conduit.invoke = checked_invoke;
    if (f->cfg.profile == RMM_PROFILE_BET3) {
        f->inproc.conduit.abi = RMI_ABI_BET3;
    }
    rmi_set_conduit(&f->inproc.conduit);

    f->pool_size = MEM_BASE + f->mem_size - POOL_BASE;
    g_assert_cmpint(pool_init(&f->pool, &f->bitmap, f->mem, f->pool_size),
                    ==, 0);
    f->pool_alloc = f->pool.allocator.alloc;
    f->pool.allocator.alloc = limited_alloc;
    rmi_sro_init(&f->sro, &f->pool.allocator);
}

static inline RmmCensus census(HdFx *f)
{
    RmmCensus c;

    rmm_core_census(f->rmm, &c);
    return c;
}

/*
 * What the host still holds must be exactly what the RMM holds for it:
 * the granules it keeps INTERNAL.  Anything else is a leak.
 */
static inline void assert_pool_balanced(HdFx *f, const RmmCensus *c)
{
    g_assert_cmpuint(f->pool.allocator.allocated_bytes, ==,
                     c->granules[RMM_GRANULE_INTERNAL] * PAGE_SIZE);
    g_assert_cmpuint(f->pool_size - rmi_page_pool_free_bytes(&f->pool), ==,
                     f->pool.allocator.allocated_bytes);
}

/* What fx_stop() and lc_stop() share: the core, its memory, the driver. */
static inline void fx_free(HdFx *f)
{
    rmi_set_conduit(NULL);
    rmm_core_free(f->rmm);
    simmem_free(f->mem);
    g_free(f->bitmap);
    rmi_printk_hook = NULL;
}

/* Nothing is left in flight, delegated or leaked. */
static inline void fx_stop(HdFx *f)
{
    RmmCensus c;

    rmi_sro_free(&f->sro);
    c = census(f);
    g_assert_cmpuint(c.sro_live, ==, 0);
    g_assert_cmpuint(c.granules[RMM_GRANULE_DELEGATED], ==, 0);
    g_assert_cmpuint(f->sro.stats.leaked_bytes, ==, 0);
    assert_pool_balanced(f, &c);
    check_core(f->rmm);
    fx_free(f);
}

static inline void assert_range_state(HdFx *f, phys_addr_t base,
                                      unsigned long size,
                                      RmmGranuleState state)
{
    for (phys_addr_t pa = base; pa < base + size; pa += PAGE_SIZE) {
        g_assert_cmpstr(rmm_granule_state_name(
                            rmm_core_granule_state(f->rmm, pa)), ==,
                        rmm_granule_state_name(state));
    }
}

/* ---- realm lifecycle (host-driver/realm.c) ---- */

/* fx_config() with room for the realm and its memory. */
static inline void lc_config(HdFx *f)
{
    fx_config(f);
    f->mem_size = LC_MEM_SIZE;
}

/* Start the core and the driver, and activate the RMM. */
static inline void lc_start(HdFx *f)
{
    fx_start(f);
    g_assert_cmpint(rmi_rmm_init(&f->pool.allocator, &f->sro), ==, 0);
    /* What activation did not consume goes back now. */
    rmi_sro_free(&f->sro);
    g_assert_cmpuint(census(f).rmm_state, ==, RMM_STATE_ACTIVE);
}

/* Nothing of the realm is left, in the RMM or in the allocator. */
static inline void lc_assert_clean(HdFx *f,
                                   const struct rmi_realm_report *rep)
{
    RmmCensus c = census(f);

    g_assert_cmpuint(c.granules[RMM_GRANULE_RD], ==, 0);
    g_assert_cmpuint(c.granules[RMM_GRANULE_REC], ==, 0);
    g_assert_cmpuint(c.granules[RMM_GRANULE_RTT], ==, 0);
    g_assert_cmpuint(c.granules[RMM_GRANULE_DATA], ==, 0);
    g_assert_cmpuint(c.granules[RMM_GRANULE_DELEGATED], ==, 0);
    g_assert_cmpuint(c.sro_live, ==, 0);
    g_assert_cmpuint(c.realms, ==, 0);
    g_assert_cmpuint(c.recs, ==, 0);
    g_assert_cmpuint(c.rec_aux, ==, 0);
    g_assert_cmpuint(c.rec_host_errors, ==, 0);
    check_core(f->rmm);

    /* Back to what activation left: what the RMM keeps INTERNAL. */
    g_assert_cmpuint(rep->leaked_bytes, ==, 0);
    g_assert_cmpuint(rep->allocated_after, ==, rep->allocated_before);
    assert_pool_balanced(f, &c);
    g_assert_cmpuint(rep->delegated_bytes, ==, rep->undelegated_bytes);
}

static inline void lc_stop(HdFx *f)
{
    rmi_sro_free(&f->sro);
    fx_free(f);
}

/* lc_assert_clean(), then lc_stop(). */
static inline void lc_stop_clean(HdFx *f,
                                 const struct rmi_realm_report *rep)
{
    lc_assert_clean(f, rep);
    lc_stop(f);
}

static inline void lc_log(const struct rmi_realm_report *rep)
{
    g_test_message("ret %d (%s) calls %lu incomplete %lu rtts %lu init %lu "
                   "map %lu/%lu recs %lu enters %lu ripas %lu donated %lu "
                   "reclaimed %lu delegated %lu peak %lu", rep->ret,
                   rep->failed_step ? rep->failed_step : "-", rep->calls,
                   rep->incomplete, rep->rtts, rep->data_init_pages,
                   rep->data_map_pages, rep->data_map_calls, rep->recs,
                   rep->rec_enters, rep->ripas_bytes, rep->donated_bytes,
                   rep->reclaimed_bytes, rep->delegated_bytes,
                   rep->peak_bytes);
    for (int i = 0; i < RMI_REALM_EXIT_NR; i++) {
        g_test_message("  exits %s: %lu", rmi_realm_exit_name(i),
                       rep->exits[i]);
    }
}

#endif /* HOST_DRIVER_FX_H */
