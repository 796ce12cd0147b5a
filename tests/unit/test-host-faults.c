/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The bundled host driver's realm lifecycle (host-driver/realm.c) under
 * the model core's fault plans (docs/fault-plans.rst), in process.
 *
 * Legal plans, each action alone and random mixes over many seeds: the
 * lifecycle must complete (the Realm turns itself off), with the
 * allocator balanced, nothing leaked, every granule back to UNDELEGATED,
 * rmm_core_check() clean and no host violation counted by the RMM.
 *
 * Hostile plans, each action alone: an error or a success, but no crash,
 * no hang (the calls stay under a bound), rmm_core_check() clean, and
 * every byte the driver could not get back counted in leaked_bytes:
 * exactly what the allocator still holds, and at least every granule the
 * RMM has not handed back.
 *
 * Also: the gaps the fault plans opened, one by one (cancellation,
 * allocation outside the lock, PSCI_COMPLETE, unmap output descriptors).
 */
#include <inttypes.h>
#include <stdio.h>

#include "host-driver-fx.h"

/* A small realm: 4 MiB, 3 measured pages, 2 RECs, 40-bit IPA. */
#define HF_POPULATE     (4UL << 20)
/* No lifecycle here needs more calls than this, fault plan or not. */
#define HF_MAX_CALLS    60000

static const struct rmi_realm_config hf_base_cfg = {
    .populate_bytes = HF_POPULATE,
    .init_pages = 3,
    .nr_recs = 2,
};

/*
 * The fixture with a few extras: REC scripts given per REC index on a
 * REC's first entry, and allocations that start failing once a given
 * command has been issued and a budget is spent (a stand-in for "no
 * memory left now").
 */
typedef struct HfFx {
    HdFx f;
    const char *script[RMI_REALM_MAX_RECS];     /* by REC index, or NULL */
    GHashTable *scripted;                       /* REC PAs given one */
    unsigned long fail_allocs_after;            /* FID; 0: never */
    unsigned long alloc_budget;                 /* bytes, after that */
    bool failing;
    bool endless_reclaim;   /* OP_MEM_RECLAIM: 0 entries, RECLAIM again */
    phys_addr_t (*alloc)(struct rmi_allocator *, unsigned long,
                         unsigned long);
} HfFx;

static void hf_invoke(struct rmi_conduit *conduit,
                      struct arm_smccc_1_2_regs *regs)
{
    HdFx *f = container_of(conduit, HdFx, inproc.conduit);
    HfFx *x = container_of(f, HfFx, f);
    gpointer key = GSIZE_TO_POINTER(regs->a1);
    unsigned long fid = regs->a0;
    RmmRecInfo info;

    if (regs->a0 == SMC_RMI_REC_ENTER &&
        !g_hash_table_contains(x->scripted, key) &&
        rmm_core_rec_info(f->rmm, regs->a1, &info) &&
        info.index < RMI_REALM_MAX_RECS && x->script[info.index]) {
        RmmExitStep *steps;
        size_t n;

        g_assert_true(rmm_exit_script_parse(x->script[info.index], &steps,
                                            &n, NULL));
        g_assert_true(rmm_core_rec_set_script(f->rmm, regs->a1, steps, n));
        g_free(steps);
        g_hash_table_add(x->scripted, key);
    }
    if (x->fail_allocs_after && regs->a0 == x->fail_allocs_after) {
        x->failing = true;
    }
    checked_invoke(conduit, regs);
    if (x->endless_reclaim && fid == SMC_RMI_OP_MEM_RECLAIM) {
        regs->a0 = RMI_INCOMPLETE |
                   FIELD_PREP(RMI_RESULT_MEMREQ_MASK, RMI_OP_MEM_REQ_RECLAIM);
        regs->a1 = 0;
    }
}

static phys_addr_t hf_alloc(struct rmi_allocator *a, unsigned long size,
                            unsigned long align)
{
    HdFx *f = container_of(a, HdFx, pool.allocator);
    HfFx *x = container_of(f, HfFx, f);

    if (x->failing) {
        if (size > x->alloc_budget) {
            return RMI_PHYS_INVALID;
        }
        x->alloc_budget -= size;
    }
    return x->alloc(a, size, align);
}

/* HF_TRACE=1 in the environment: every call, for debugging a plan. */
static void hf_trace(void *opaque, const RmmAbiEntry *cmd,
                     const uint64_t in[RMM_NR_REGS],
                     const uint64_t out[RMM_NR_REGS])
{
    fprintf(stderr, "%-28s %#10" PRIx64 " %#10" PRIx64 " %#10" PRIx64
            " -> %#" PRIx64 " %#" PRIx64 " %#" PRIx64 " %#" PRIx64 "\n",
            cmd ? cmd->name : "?", in[1], in[2], in[3], out[0], out[1],
            out[2], out[3]);
}

static void hf_config(HfFx *x)
{
    memset(x, 0, sizeof(*x));
    lc_config(&x->f);
    x->f.mem_size = MEM_SIZE;
}

/* Start the core and the driver, activate (no donation), set the plan. */
static void hf_start(HfFx *x, const char *plan)
{
    HdFx *f = &x->f;

    lc_start(f);
    g_assert_cmpuint(census(f).granules[RMM_GRANULE_INTERNAL], ==, 0);
    f->inproc.conduit.invoke = hf_invoke;
    x->alloc = f->pool.allocator.alloc;
    f->pool.allocator.alloc = hf_alloc;
    x->scripted = g_hash_table_new(NULL, NULL);
    if (g_getenv("HF_TRACE")) {
        rmm_core_set_trace(f->rmm, hf_trace, NULL);
    }
    if (plan) {
        g_autofree char *err = NULL;
        RmmFaultPlan *p = rmm_fault_plan_parse(plan, &err);

        if (!p) {
            g_error("plan '%s': %s", plan, err);
        }
        rmm_core_set_fault_plan(f->rmm, p);
    }
}

static void hf_stop(HfFx *x)
{
    g_hash_table_destroy(x->scripted);
    lc_stop(&x->f);
}

/* Granules not UNDELEGATED: what the RMM still holds or uses. */
static unsigned long granules_held(HfFx *x)
{
    RmmCensus c = census(&x->f);
    unsigned long n = 0;

    for (int s = 0; s < RMM_GRANULE_NR_STATES; s++) {
        n += c.granules[s];
    }
    return n;
}

static void hf_log(HfFx *x, const char *plan,
                   const struct rmi_realm_report *rep)
{
    RmmCensus c = census(&x->f);

    g_test_message("plan '%s': ret %d (%s), %lu calls, %lu faults, "
                   "%lu protocol errors, %lu leaked, %lu prefills",
                   plan ? plan : "", rep->ret,
                   rep->failed_step ? rep->failed_step : "-", rep->calls,
                   (unsigned long)c.faults, rep->protocol_errors,
                   rep->leaked_bytes, rep->sro_prefills);
    for (int v = 0; v < RMM_VIOLATION_COUNT; v++) {
        if (c.violations[v]) {
            g_test_message("  violation %s: %lu", rmm_violation_name(v),
                           (unsigned long)c.violations[v]);
        }
    }
}

/*
 * A legal plan changes nothing the host can be blamed for: the Realm ran
 * to SYSTEM_OFF, everything is back, and the RMM saw no host mistake.
 */
static void hf_assert_legal(HfFx *x, const char *plan,
                            const struct rmi_realm_report *rep)
{
    RmmCensus c = census(&x->f);

    if (rep->ret || !rep->system_off) {
        hf_log(x, plan, rep);
        g_error("plan '%s': lifecycle failed: %d at %s", plan, rep->ret,
                rep->failed_step ? rep->failed_step : "-");
    }
    g_assert_null(rep->failed_step);
    lc_assert_clean(&x->f, rep);
    g_assert_cmpuint(granules_held(x), ==, 0);
    for (int v = 0; v < RMM_VIOLATION_COUNT; v++) {
        if (c.violations[v]) {
            hf_log(x, plan, rep);
            g_error("plan '%s': host violation %s", plan,
                    rmm_violation_name(v));
        }
    }
    g_assert_cmpuint(rep->protocol_errors, ==, 0);
    g_assert_cmpuint(rep->donated_bytes, ==, rep->reclaimed_bytes);
    g_assert_cmpuint(rep->calls, <, HF_MAX_CALLS);
}

/*
 * Whatever a hostile plan did: bounded, the core consistent, and what
 * could not be got back counted, not silent.  Everything the RMM still
 * holds (a granule not UNDELEGATED) is part of what is counted.
 */
static void hf_assert_survived(HfFx *x, const char *plan,
                               const struct rmi_realm_report *rep)
{
    hf_log(x, plan, rep);
    check_core(x->f.rmm);
    g_assert_cmpuint(rep->calls, <, HF_MAX_CALLS);
    g_assert_cmpuint(rep->allocated_after, >=, rep->allocated_before);
    g_assert_cmpuint(rep->allocated_after - rep->allocated_before, ==,
                     rep->leaked_bytes);
    g_assert_cmpuint(granules_held(x) * PAGE_SIZE, <=, rep->leaked_bytes);
    g_assert_cmpuint(x->f.pool_size - rmi_page_pool_free_bytes(&x->f.pool),
                     ==, x->f.pool.allocator.allocated_bytes);
    if (!rep->ret) {
        g_assert_cmpuint(rep->leaked_bytes, ==, 0);
    }
}

/* One lifecycle under plan; returns its result. */
static int hf_lifecycle(HfFx *x, const char *plan,
                        const struct rmi_realm_config *cfg,
                        struct rmi_realm_report *rep)
{
    hf_start(x, plan);
    return rmi_realm_lifecycle(&x->f.pool.allocator, cfg, rep);
}

/* ---- legal actions, each alone ---- */

typedef struct LegalCase {
    const char *name;
    const char *plan;
    unsigned int unmap;             /* RMI_ADDR_TYPE_* */
    bool outside_lock;
    unsigned int rec_aux;           /* RmmConfig.rec_aux_count, 0: default */
    /* what must have happened, beyond the lifecycle completing */
    bool more_incomplete;           /* INCOMPLETE results beyond plain */
    bool donated;                   /* some memory donated and reclaimed */
} LegalCase;

static const LegalCase legal[] = {
    { .name = "busy", .plan = "busy:class=sro:every=3:n=8" },
    { .name = "busy-storm-64", .plan = "busy:class=sro:nth=5:n=64" },
    { .name = "busy-continue",
      .plan = "yield:class=range:granules=100; "
              "busy:cmd=OP_CONTINUE:every=2:n=16",
      .more_incomplete = true },
    { .name = "blocked", .plan = "blocked:class=sro:every=2:n=4" },
    { .name = "split", .plan = "split:class=sro:k=3",
      .more_incomplete = true },
    { .name = "split-some", .plan = "seed=3; split:class=sro:p=0.3",
      .more_incomplete = true },
    { .name = "yield-1", .plan = "yield:class=range:granules=1",
      .more_incomplete = true },
    { .name = "yield-some",
      .plan = "seed=4; yield:class=range:granules=7:p=0.5",
      .more_incomplete = true },
    { .name = "stop-5", .plan = "stop:class=range:n=5" },
    { .name = "stop-some", .plan = "seed=5; stop:class=range:n=64:p=0.5" },
    { .name = "donate-l3", .plan = "donate:class=memxfer:size=l3:count=4",
      .donated = true },
    { .name = "donate-l3-contig-delegated",
      .plan = "donate:class=memxfer:size=l3:count=3:contig=1:"
              "state=delegated",
      .donated = true },
    { .name = "donate-l2",
      .plan = "donate:class=memxfer:size=l2:count=2:contig=0",
      .donated = true },
    { .name = "donate-l2-contig-delegated",
      .plan = "donate:class=memxfer:size=l2:count=2:contig=1:"
              "state=delegated",
      .donated = true },
    { .name = "donate-random",
      .plan = "seed=9; donate:class=memxfer:size=l3:count=random:"
              "contig=random:state=random",
      .donated = true },
    { .name = "donate-rec-destroy",
      .plan = "donate:cmd=REC_DESTROY:size=l2:count=1", .rec_aux = 16,
      .donated = true },
    { .name = "donate-realm-destroy-keep",
      .plan = "donate:cmd=REALM_CREATE:size=l3:count=2:keep=1; "
              "donate:cmd=REALM_DESTROY:size=l3:count=1",
      .donated = true },
    { .name = "donate-realm-keep",
      .plan = "donate:cmd=REALM_CREATE:size=l3:count=5:state=delegated:"
              "keep=1",
      .donated = true },
    { .name = "consume-1-l3",
      .plan = "donate:class=memxfer:size=l3:count=8; consume:max=1",
      .donated = true },
    { .name = "consume-1-l2",
      .plan = "donate:class=memxfer:size=l2:count=3; consume:max=1",
      .donated = true },
    { .name = "consume-1-aux", .plan = "consume:max=1", .rec_aux = 16,
      .donated = true },
    { .name = "consume-3-aux", .plan = "consume:max=3", .rec_aux = 16,
      .donated = true },
    { .name = "reclaim-1",
      .plan = "donate:class=memxfer:size=l3:count=8; reclaim:max=1",
      .donated = true },
    { .name = "reclaim-1-aux", .plan = "reclaim:max=1", .rec_aux = 16,
      .donated = true },
    { .name = "nocancel",
      .plan = "nocancel:class=memxfer; donate:class=memxfer:size=l3:count=2",
      .donated = true },
    { .name = "cancellable", .plan = "cancellable:cmd=REC_CREATE",
      .donated = true },
    { .name = "exit-irq", .plan = "exit:kind=irq:every=2" },
    { .name = "exit-wfi", .plan = "exit:kind=wfi:every=2" },
    { .name = "exit-wfe", .plan = "exit:kind=wfe:every=2" },
    { .name = "exit-host-call",
      .plan = "exit:kind=host-call:imm=5:every=2" },
    { .name = "exit-random", .plan = "seed=2; exit:p=0.5" },
    { .name = "unmap-single-yield",
      .plan = "yield:cmd=RTT_DATA_UNMAP:granules=10",
      .unmap = RMI_ADDR_TYPE_SINGLE, .more_incomplete = true },
    { .name = "unmap-list-stop", .plan = "stop:cmd=RTT_DATA_UNMAP:n=100",
      .unmap = RMI_ADDR_TYPE_LIST },
    { .name = "outside-lock",
      .plan = "donate:class=memxfer:size=l3:count=4:state=delegated; "
              "consume:max=1",
      .outside_lock = true, .donated = true },
    { .name = "outside-lock-l2",
      .plan = "donate:class=memxfer:size=l2:count=2; reclaim:max=1",
      .outside_lock = true, .rec_aux = 16, .donated = true },
};

/* INCOMPLETE results of the base configuration with no plan. */
static unsigned long plain_incomplete(void)
{
    static unsigned long incomplete = ~0UL;
    struct rmi_realm_report rep;
    HfFx x;

    if (incomplete == ~0UL) {
        hf_config(&x);
        g_assert_cmpint(hf_lifecycle(&x, NULL, &hf_base_cfg, &rep), ==, 0);
        hf_assert_legal(&x, "", &rep);
        incomplete = rep.incomplete;
        hf_stop(&x);
    }
    return incomplete;
}

static void test_legal(gconstpointer data)
{
    const LegalCase *lc = data;
    struct rmi_realm_config cfg = hf_base_cfg;
    struct rmi_realm_report rep;
    RmmCensus c;
    HfFx x;

    cfg.unmap_oaddr = lc->unmap;
    cfg.alloc_outside_lock = lc->outside_lock;
    hf_config(&x);
    if (lc->rec_aux) {
        x.f.cfg.rec_aux_count = lc->rec_aux;
    }
    hf_lifecycle(&x, lc->plan, &cfg, &rep);
    hf_assert_legal(&x, lc->plan, &rep);

    c = census(&x.f);
    g_assert_cmpuint(c.faults, >, 0);
    if (lc->more_incomplete) {
        g_assert_cmpuint(rep.incomplete, >, plain_incomplete());
    }
    if (lc->donated) {
        g_assert_cmpuint(rep.donated_bytes, >, 0);
    }
    if (lc->unmap != RMI_ADDR_TYPE_NONE) {
        /* Every page was mapped; the output described every one. */
        g_assert_cmpuint(rep.unmapped_bytes, ==, HF_POPULATE);
        g_assert_cmpuint(rep.unmap_desc_bytes, ==, HF_POPULATE);
    }
    if (lc->outside_lock && lc->donated) {
        g_assert_cmpuint(rep.sro_prefills, >, 0);
    }
    hf_stop(&x);
}

/*
 * Random legal plans.  Every rule keeps within what the driver promises
 * to absorb: BUSY storms well under 64 retries, BLOCKED storms of at most
 * 4 separated by a call that goes through, donations of L3 or L2 blocks
 * (an L1 block is more than the test machine has; see test_donate_l1()),
 * extra exits on some entries only (on every one, the Realm would never
 * get to run its own steps).
 */
static char *random_plan(guint32 seed)
{
    g_autoptr(GRand) r = g_rand_new_with_seed(seed);
    GString *p = g_string_new(NULL);
    static const char *const states[] = {
        "delegated", "undelegated", "random",
    };

    g_string_append_printf(p, "seed=%u", seed);
    /*
     * BUSY or BLOCKED storms on the commands, not both: the driver retries
     * a call at most 4 times on BLOCKED in all, and a BUSY answer to the
     * one call between two BLOCKED storms would make it see more.
     */
    switch (g_rand_int_range(r, 0, 3)) {
    case 0:
        g_string_append_printf(p, "; busy:class=sro:p=0.%d:n=%d",
                               g_rand_int_range(r, 1, 3),
                               g_rand_int_range(r, 1, 9));
        break;
    case 1:
        g_string_append_printf(p, "; blocked:class=sro:every=%d:n=%d",
                               g_rand_int_range(r, 2, 8),
                               g_rand_int_range(r, 1, 5));
        break;
    default:
        break;
    }
    if (g_rand_boolean(r)) {
        g_string_append_printf(p, "; busy:cmd=OP_CONTINUE:p=0.2:n=%d",
                               g_rand_int_range(r, 1, 5));
    }
    if (g_rand_boolean(r)) {
        g_string_append_printf(p, "; split:class=sro:p=0.%d:k=%d",
                               g_rand_int_range(r, 1, 5),
                               g_rand_int_range(r, 1, 4));
    }
    if (g_rand_boolean(r)) {
        g_string_append_printf(p, "; yield:class=range:granules=%d:p=0.5",
                               g_rand_int_range(r, 1, 300));
    }
    if (g_rand_boolean(r)) {
        g_string_append_printf(p, "; stop:class=range:n=%d:p=0.3",
                               g_rand_int_range(r, 1, 64));
    }
    if (g_rand_boolean(r)) {
        g_string_append_printf(p, "; donate:class=memxfer:p=0.%d:size=%s:"
                               "count=random:contig=random:state=%s",
                               g_rand_int_range(r, 2, 8),
                               g_rand_boolean(r) ? "l3" : "l2",
                               states[g_rand_int_range(r, 0, 3)]);
    }
    if (g_rand_boolean(r)) {
        g_string_append_printf(p, "; donate:cmd=REALM_CREATE:size=l3:"
                               "count=%d:state=%s:keep=1",
                               g_rand_int_range(r, 1, 9),
                               states[g_rand_int_range(r, 0, 2)]);
    }
    if (g_rand_boolean(r)) {
        g_string_append_printf(p, "; consume:max=%d",
                               g_rand_int_range(r, 1, 9));
    }
    if (g_rand_boolean(r)) {
        g_string_append_printf(p, "; reclaim:max=%d",
                               g_rand_int_range(r, 1, 5));
    }
    if (g_rand_int_range(r, 0, 4) == 0) {
        g_string_append(p, "; nocancel:class=memxfer:p=0.5");
    }
    if (g_rand_int_range(r, 0, 4) == 0) {
        g_string_append(p, "; cancellable:cmd=REC_CREATE");
    }
    if (g_rand_boolean(r)) {
        g_string_append_printf(p, "; exit:p=0.%d", g_rand_int_range(r, 1, 6));
    }
    return g_string_free(p, FALSE);
}

/* The REC scripts of test_psci(): CPU_ON and AFFINITY_INFO of REC 1. */
#define PSCI_SCRIPT_0   "host-call:imm=1;psci:fn=affinity-info:a1=1:a2=0;" \
                        "psci:fn=cpu-on:a1=1:a2=0x1000:a3=7;" \
                        "psci:fn=affinity-info:a1=1:a2=0;psci:fn=system-off"
#define PSCI_SCRIPT_1   "psci:fn=cpu-off;host-call:imm=2"

#define RANDOM_SEEDS    64

static void test_random_legal(void)
{
    static const unsigned int unmap[] = {
        RMI_ADDR_TYPE_NONE, RMI_ADDR_TYPE_SINGLE, RMI_ADDR_TYPE_LIST,
    };
    unsigned long faults = 0, prefills = 0;

    for (guint32 seed = 1; seed <= RANDOM_SEEDS; seed++) {
        g_autofree char *plan = random_plan(seed);
        struct rmi_realm_config cfg = hf_base_cfg;
        struct rmi_realm_report rep;
        HfFx x;

        /* One level 3 RTT: the invariant check after each call is cheaper. */
        cfg.populate_bytes = SZ_2M;

        /* Vary what the host does too: unmap output, locking, scripts. */
        cfg.unmap_oaddr = unmap[seed % 3];
        cfg.alloc_outside_lock = seed % 4 == 1;
        hf_config(&x);
        if (seed % 5 == 2) {
            x.f.cfg.rec_aux_count = 8;
        }
        if (seed % 7 == 3) {
            x.script[0] = PSCI_SCRIPT_0;
            x.script[1] = PSCI_SCRIPT_1;
        }
        hf_lifecycle(&x, plan, &cfg, &rep);
        if (g_test_verbose()) {
            hf_log(&x, plan, &rep);
        }
        hf_assert_legal(&x, plan, &rep);
        faults += census(&x.f).faults;
        prefills += rep.sro_prefills;
        hf_stop(&x);
    }
    g_test_message("%d seeds: %lu faults, %lu prefills", RANDOM_SEEDS,
                   faults, prefills);
    g_assert_cmpuint(faults, >, RANDOM_SEEDS);
}

/*
 * The worked example "A busy RMM" of docs/fault-plans.rst, with L2 blocks
 * where it says size=random (which may draw an L1 block: see
 * test_donate_l1()).
 */
static void test_busy_rmm_example(void)
{
    const char *plan = "seed=5; busy:class=sro:p=0.2:n=3; "
                       "split:class=sro:p=0.2:k=2; donate:class=memxfer:"
                       "p=0.3:size=l2:count=random:contig=random; "
                       "consume:max=1; reclaim:max=1";
    struct rmi_realm_report rep;
    HfFx x;

    hf_config(&x);
    hf_lifecycle(&x, plan, &hf_base_cfg, &rep);
    hf_assert_legal(&x, plan, &rep);
    hf_stop(&x);
}

/* ---- legal actions the lifecycle may fail on, cleanly ---- */

/* No VMID left: REALM_CREATE fails, nothing is left behind. */
static void test_exhaust(void)
{
    struct rmi_realm_report rep;
    HfFx x;

    hf_config(&x);
    g_assert_cmpint(hf_lifecycle(&x, "exhaust:cmd=REALM_CREATE",
                                 &hf_base_cfg, &rep), ==, -EPERM);
    g_assert_cmpstr(rep.failed_step, ==, "REALM_CREATE");
    lc_assert_clean(&x.f, &rep);
    g_assert_cmpuint(granules_held(&x), ==, 0);
    g_assert_cmpuint(census(&x.f).faults, ==, 1);
    hf_stop(&x);
}

/*
 * A 1GB block is more than the allocator has.  REALM_CREATE's own
 * metadata request may be cancelled: a clean -ECANCELED.  A detour of
 * REC_CREATE may not: the error comes back with the operation pending,
 * and what it holds is counted as leaked.
 */
static void test_donate_l1(void)
{
    struct rmi_realm_report rep;
    HfFx x;

    hf_config(&x);
    g_assert_cmpint(hf_lifecycle(&x, "donate:cmd=REALM_CREATE:size=l1:"
                                 "keep=1", &hf_base_cfg, &rep), ==,
                    -ECANCELED);
    g_assert_cmpstr(rep.failed_step, ==, "REALM_CREATE");
    lc_assert_clean(&x.f, &rep);
    g_assert_cmpuint(granules_held(&x), ==, 0);
    hf_stop(&x);

    hf_config(&x);
    g_assert_cmpint(hf_lifecycle(&x, "donate:cmd=REC_CREATE:size=l1",
                                 &hf_base_cfg, &rep), ==, -ENOMEM);
    g_assert_cmpstr(rep.failed_step, ==, "REC_CREATE");
    hf_assert_survived(&x, "donate:cmd=REC_CREATE:size=l1", &rep);
    hf_stop(&x);
}

/* ---- gap (a): cancellation ---- */

/*
 * No memory once REC_CREATE is under way: a cancellable request is
 * cancelled, the operation driven to its end (what was donated comes
 * back) and the lifecycle fails with -ECANCELED, leaving nothing behind;
 * the same in allocate-outside-the-lock mode, where the prefill fails.
 * A request that may not be cancelled is left pending: -ENOMEM, and what
 * the operation holds is counted as leaked.
 */
static void test_cancel(void)
{
    struct rmi_realm_config cfg = hf_base_cfg;
    struct rmi_realm_report rep;
    HfFx x;

    for (int outside = 0; outside < 2; outside++) {
        cfg.alloc_outside_lock = outside;
        hf_config(&x);
        x.fail_allocs_after = SMC_RMI_REC_CREATE;
        g_assert_cmpint(hf_lifecycle(&x, "cancellable:cmd=REC_CREATE",
                                     &cfg, &rep), ==, -ECANCELED);
        g_assert_cmpstr(rep.failed_step, ==, "REC_CREATE");
        g_assert_cmpuint(rep.sro_prefills, ==, outside);
        lc_assert_clean(&x.f, &rep);
        g_assert_cmpuint(granules_held(&x), ==, 0);
        hf_stop(&x);
    }

    /*
     * Partly donated first: three granules, consumed one at a time, then
     * the allocator says no.
     */
    hf_config(&x);
    x.f.cfg.rec_aux_count = 16;
    x.fail_allocs_after = SMC_RMI_REC_CREATE;
    x.alloc_budget = 3 * PAGE_SIZE;
    g_assert_cmpint(hf_lifecycle(&x, "cancellable:cmd=REC_CREATE; "
                                 "consume:max=1", &hf_base_cfg, &rep), ==,
                    -ECANCELED);
    g_assert_cmpuint(rep.donated_bytes, >, 0);
    g_assert_cmpuint(rep.reclaimed_bytes, ==, rep.donated_bytes);
    lc_assert_clean(&x.f, &rep);
    hf_stop(&x);

    hf_config(&x);
    x.fail_allocs_after = SMC_RMI_REC_CREATE;
    g_assert_cmpint(hf_lifecycle(&x, NULL, &hf_base_cfg, &rep), ==,
                    -ENOMEM);
    g_assert_cmpstr(rep.failed_step, ==, "REC_CREATE");
    hf_assert_survived(&x, "", &rep);
    g_assert_cmpuint(census(&x.f).sro_live, ==, 1);
    hf_stop(&x);
}

/* ---- gap (f): allocate outside the lock ---- */

/*
 * The executor never allocates: REC_CREATE's aux granules, REALM_CREATE's
 * metadata and every detour donation are found by a prefill outside the
 * lock, and the operation resumes from the cache.  No cancel is needed.
 */
static void test_outside_lock(void)
{
    struct rmi_realm_config cfg = hf_base_cfg;
    struct rmi_realm_report rep;
    HfFx x;

    cfg.alloc_outside_lock = true;
    hf_config(&x);
    x.f.cfg.rec_aux_count = 16;
    hf_lifecycle(&x, "donate:cmd=REALM_CREATE:size=l3:count=5:"
                 "state=delegated:keep=1; donate:cmd=REC_DESTROY:size=l2:"
                 "count=1", &cfg, &rep);
    hf_assert_legal(&x, "outside-lock", &rep);
    /* RD metadata, each REC's aux granules, each REC_DESTROY's detour */
    g_assert_cmpuint(rep.sro_prefills, >=, 1 + 2 + 2);
    g_assert_cmpuint(rep.donated_bytes, ==,
                     (5 + 2 * 16) * PAGE_SIZE + 2 * SZ_2M);
    hf_stop(&x);
}

/*
 * The executor itself in atomic mode, on RMM_ACTIVATE's donation request
 * (8 granules, 3 taken per step): it allocates nothing at all, not even
 * the list granule, and stops with the operation pending; a prefill
 * where sleeping is allowed, and the resumed operation is served from the
 * cache alone.  Then the other way out: the prefill fails, the operation
 * is cancelled (-ECANCELED, the RMM back to INIT), and with memory again
 * the command is restarted from a prefill of its first request.
 */
static void test_outside_lock_executor(void)
{
    unsigned long allocs;
    HdFx f;

    fx_config_donating(&f, RMI_PAGE_L3, 8, false, RMI_OP_MEM_UNDELEGATED);
    f.cfg.donate_consume_limit = 3;
    fx_start(&f);
    f.sro.atomic = true;

    g_assert_cmpint(rmi_rmm_activate(&f.sro), ==, -ENOMEM);
    g_assert_true(rmi_sro_pending(&f.sro));
    g_assert_cmpuint(f.pool.allocator.nr_allocs, ==, 0);
    g_assert_cmpuint(f.sro.stats.atomic_stops, ==, 1);
    g_assert_cmpuint(f.sro.stats.cancels, ==, 0);
    g_assert_cmpuint(census(&f).rmm_state, ==, RMM_STATE_INTERMEDIATE);

    /* ...the lock dropped... */
    g_assert_cmpint(rmi_sro_prefill(&f.sro, f.sro.donate_req), ==, 0);
    g_assert_cmpuint(rmi_sro_cached_bytes(&f.sro), ==, 8 * PAGE_SIZE);
    g_assert_cmpuint(f.sro.stats.prefilled_bytes, ==, 8 * PAGE_SIZE);
    allocs = f.pool.allocator.nr_allocs;
    /* ...and taken again. */
    g_assert_cmpint(rmi_sro_execute(&f.sro), ==, 0);
    g_assert_cmpuint(f.pool.allocator.nr_allocs, ==, allocs);
    g_assert_cmpuint(f.sro.stats.donates, ==, 3);
    g_assert_cmpuint(census(&f).rmm_state, ==, RMM_STATE_ACTIVE);
    g_assert_cmpuint(census(&f).granules[RMM_GRANULE_INTERNAL], ==, 8);
    fx_stop(&f);

    fx_config_donating(&f, RMI_PAGE_L3, 8, false, RMI_OP_MEM_UNDELEGATED);
    fx_start(&f);
    f.sro.atomic = true;
    g_assert_cmpint(rmi_rmm_activate(&f.sro), ==, -ENOMEM);
    f.alloc_limit = PAGE_SIZE / 2;
    g_assert_cmpint(rmi_sro_prefill(&f.sro, f.sro.donate_req), ==, -ENOMEM);
    g_assert_cmpint(rmi_sro_cancel(&f.sro, -ENOMEM), ==, -ECANCELED);
    g_assert_false(rmi_sro_pending(&f.sro));
    g_assert_cmpuint(census(&f).rmm_state, ==, RMM_STATE_INIT);

    f.alloc_limit = 0;
    g_assert_cmpint(rmi_sro_restart(&f.sro), ==, 0);
    g_assert_cmpint(rmi_sro_prefill(&f.sro, f.sro.first_donate_req), ==, 0);
    g_assert_cmpint(rmi_sro_execute(&f.sro), ==, 0);
    g_assert_cmpuint(census(&f).rmm_state, ==, RMM_STATE_ACTIVE);
    g_assert_cmpuint(census(&f).granules[RMM_GRANULE_INTERNAL], ==, 8);
    fx_stop(&f);
}

/* ---- gap (g): PSCI_COMPLETE ---- */

static void run_psci(bool bet3)
{
    struct rmi_realm_report rep;
    HfFx x;

    hf_config(&x);
    if (bet3) {
        x.f.cfg.profile = RMM_PROFILE_BET3;
    }
    x.script[0] = PSCI_SCRIPT_0;
    x.script[1] = PSCI_SCRIPT_1;
    hf_lifecycle(&x, NULL, &hf_base_cfg, &rep);
    hf_assert_legal(&x, bet3 ? "psci bet3" : "psci", &rep);
    /*
     * REC 1 turns itself off; REC 0 asks whether it is on (OFF), turns it
     * on (REC 1 runs again: its host call), asks again (ON), then turns
     * the Realm off.  In bet3 the RMM answers AFFINITY_INFO itself: only
     * the CPU_ON exits and needs RMI_PSCI_COMPLETE.
     */
    g_assert_cmpuint(rep.psci_completes, ==, bet3 ? 1 : 3);
    g_assert_cmpuint(rep.exits[RMI_REALM_EXIT_PSCI], ==, bet3 ? 3 : 5);
    g_assert_cmpuint(rep.exits[RMI_REALM_EXIT_HOST_CALL], ==, 2);
    g_assert_cmpuint(census(&x.f).rec_host_errors, ==, 0);
    hf_stop(&x);
}

static void test_psci(void)
{
    run_psci(false);
}

static void test_psci_bet3(void)
{
    run_psci(true);
}

/* ---- gap (h): unmap output descriptors ---- */

static void test_unmap_oaddr(gconstpointer data)
{
    struct rmi_realm_config cfg = hf_base_cfg;
    struct rmi_realm_report rep, plain;
    HfFx x;

    hf_config(&x);
    g_assert_cmpint(hf_lifecycle(&x, NULL, &cfg, &plain), ==, 0);
    hf_stop(&x);

    cfg.unmap_oaddr = GPOINTER_TO_UINT(data);
    hf_config(&x);
    hf_lifecycle(&x, NULL, &cfg, &rep);
    hf_assert_legal(&x, "unmap", &rep);
    g_assert_cmpuint(rep.unmapped_bytes, ==, HF_POPULATE);
    g_assert_cmpuint(rep.unmap_desc_bytes, ==,
                     cfg.unmap_oaddr ? HF_POPULATE : 0);
    /* SINGLE, LIST and NONE unmap as much per call here. */
    g_assert_cmpuint(rep.calls, ==, plain.calls);
    hf_stop(&x);

    /* No fourth kind of output address. */
    cfg.unmap_oaddr = RMI_ADDR_TYPE_LIST + 1;
    hf_config(&x);
    g_assert_cmpint(hf_lifecycle(&x, NULL, &cfg, &rep), ==, -EINVAL);
    g_assert_cmpstr(rep.failed_step, ==, "config");
    g_assert_cmpuint(rep.calls, ==, 0);
    hf_stop(&x);
}

/*
 * An RMM that asks for RECLAIM, hands nothing back and asks again, for
 * ever (what the core did before a83060e under a donate detour on
 * REC_DESTROY; here injected at the conduit): the executor gives up after
 * a few such steps, not after RMI_SRO_MAX_STEPS.
 */
static void test_endless_reclaim(void)
{
    struct rmi_realm_report rep;
    HfFx x;

    hf_config(&x);
    x.endless_reclaim = true;
    g_assert_cmpint(hf_lifecycle(&x, NULL, &hf_base_cfg, &rep), ==,
                    -EPROTO);
    g_assert_cmpstr(rep.failed_step, ==, "REC_DESTROY");
    /* Two RECs, each abandoned after 1 + RMI_SRO_MAX_EMPTY_RECLAIMS */
    g_assert_cmpuint(rep.protocol_errors, ==, 2);
    hf_assert_survived(&x, "endless reclaim", &rep);
    hf_stop(&x);
}

/* ---- hostile actions, each alone ---- */

typedef struct HostileCase {
    const char *name;
    const char *plan;
    unsigned int rec_aux;
    bool psci;                      /* play the PSCI scripts */
    bool protocol_error;            /* the driver must notice */
} HostileCase;

static const HostileCase hostile[] = {
    { .name = "overcount", .plan = "overcount:cmd=OP_MEM_DONATE",
      .protocol_error = true },
    { .name = "overcount-late",
      .plan = "donate:class=memxfer:size=l3:count=4; consume:max=1; "
              "overcount:cmd=OP_MEM_DONATE:by=3:nth=2",
      .protocol_error = true },
    { .name = "overcount-cancellable",
      .plan = "cancellable:cmd=REC_CREATE; consume:max=1; "
              "overcount:cmd=OP_MEM_DONATE:by=100",
      .rec_aux = 8, .protocol_error = true },
    { .name = "overflow", .plan = "overflow:cmd=OP_MEM_RECLAIM",
      .protocol_error = true },
    { .name = "overflow-late",
      .plan = "reclaim:max=1; overflow:cmd=OP_MEM_RECLAIM:by=100:nth=3",
      .rec_aux = 8, .protocol_error = true },
    { .name = "donate-zero", .plan = "donate-zero:class=memxfer",
      .protocol_error = true },
    { .name = "donate-zero-cancellable",
      .plan = "cancellable:cmd=REC_CREATE; donate-zero:cmd=REC_CREATE",
      .protocol_error = true },
    { .name = "donate-zero-continue",
      .plan = "consume:max=1; donate-zero:cmd=OP_MEM_DONATE",
      .protocol_error = true },
    { .name = "donate-bad", .plan = "donate-bad:class=memxfer",
      .protocol_error = true },
    { .name = "donate-bad-cancellable",
      .plan = "cancellable:cmd=REC_CREATE; donate-bad:cmd=REC_CREATE",
      .protocol_error = true },
    { .name = "donate-bad-detour",
      .plan = "donate:cmd=REALM_TERMINATE:size=l3:count=2; "
              "donate-bad:cmd=REALM_TERMINATE",
      .protocol_error = true },
    { .name = "incomplete-rec-enter", .plan = "incomplete:cmd=REC_ENTER",
      .protocol_error = true },
    { .name = "incomplete-realm-activate",
      .plan = "incomplete:cmd=REALM_ACTIVATE", .protocol_error = true },
    { .name = "incomplete-features", .plan = "incomplete:cmd=FEATURES",
      .protocol_error = true },
    { .name = "incomplete-psci-complete",
      .plan = "incomplete:cmd=PSCI_COMPLETE", .psci = true,
      .protocol_error = true },
    { .name = "bad-handle",
      .plan = "split:class=sro; bad-handle:class=sro:nth=3" },
    { .name = "bad-handle-delegate",
      .plan = "yield:class=range:granules=64; "
              "bad-handle:cmd=GRANULE_RANGE_DELEGATE" },
    { .name = "bad-handle-rec-create", .plan = "bad-handle:cmd=REC_CREATE" },
    { .name = "bad-handle-rec-destroy",
      .plan = "bad-handle:cmd=REC_DESTROY" },
    { .name = "bad-handle-unmap",
      .plan = "yield:cmd=RTT_DATA_UNMAP:granules=16; "
              "bad-handle:cmd=RTT_DATA_UNMAP" },
    { .name = "reserved-rec-enter", .plan = "reserved:cmd=REC_ENTER",
      .protocol_error = true },
    { .name = "reserved-delegate",
      .plan = "reserved:cmd=GRANULE_RANGE_DELEGATE:nth=3",
      .protocol_error = true },
    { .name = "reserved-undelegate",
      .plan = "reserved:cmd=GRANULE_RANGE_UNDELEGATE:nth=2",
      .protocol_error = true },
    { .name = "reserved-rtt-create", .plan = "reserved:cmd=RTT_CREATE:nth=2",
      .protocol_error = true },
    { .name = "reserved-rec-create", .plan = "reserved:cmd=REC_CREATE",
      .protocol_error = true },
    { .name = "reserved-rec-destroy", .plan = "reserved:cmd=REC_DESTROY",
      .protocol_error = true },
    { .name = "reserved-continue",
      .plan = "seed=3; split:class=sro:k=1; reserved:cmd=OP_CONTINUE:p=0.3",
      .protocol_error = true },
    { .name = "reserved-donate", .plan = "reserved:cmd=OP_MEM_DONATE",
      .protocol_error = true },
    { .name = "reserved-reclaim", .plan = "reserved:cmd=OP_MEM_RECLAIM",
      .protocol_error = true },
    { .name = "reserved-psci-complete", .plan = "reserved:cmd=PSCI_COMPLETE",
      .psci = true, .protocol_error = true },
    { .name = "reserved-some", .plan = "seed=8; reserved:class=sro:p=0.05" },
    { .name = "garbage", .plan = "garbage" },
    { .name = "garbage-sro", .plan = "split:class=sro; garbage:class=sro" },
    { .name = "garbage-control",
      .plan = "consume:max=1; garbage:cmd=OP_MEM_DONATE; "
              "garbage:cmd=OP_MEM_RECLAIM; garbage:cmd=OP_CONTINUE",
      .rec_aux = 8 },
    { .name = "mixed",
      .plan = "seed=11; busy:class=sro:p=0.1; split:class=sro:p=0.2; "
              "donate:class=memxfer:p=0.3:size=l3:count=random; "
              "consume:max=2; "
              "overcount:cmd=OP_MEM_DONATE:p=0.3; "
              "overflow:cmd=OP_MEM_RECLAIM:p=0.3; reserved:p=0.01; "
              "bad-handle:class=sro:p=0.02",
      .rec_aux = 8 },
};

static void test_hostile(gconstpointer data)
{
    const HostileCase *hc = data;
    struct rmi_realm_config cfg = hf_base_cfg;
    struct rmi_realm_report rep;
    HfFx x;

    for (int outside = 0; outside < 2; outside++) {
        cfg.alloc_outside_lock = outside;
        hf_config(&x);
        if (hc->rec_aux) {
            x.f.cfg.rec_aux_count = hc->rec_aux;
        }
        if (hc->psci) {
            x.script[0] = PSCI_SCRIPT_0;
            x.script[1] = PSCI_SCRIPT_1;
        }
        hf_lifecycle(&x, hc->plan, &cfg, &rep);
        hf_assert_survived(&x, hc->plan, &rep);
        g_assert_cmpuint(census(&x.f).faults, >, 0);
        if (hc->protocol_error) {
            g_assert_cmpint(rep.ret, !=, 0);
            g_assert_cmpuint(rep.protocol_errors, >, 0);
        }
        hf_stop(&x);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    for (size_t i = 0; i < G_N_ELEMENTS(legal); i++) {
        g_autofree char *path = g_strdup_printf("/host-faults/legal/%s",
                                                legal[i].name);

        g_test_add_data_func(path, &legal[i], test_legal);
    }
    g_test_add_func("/host-faults/legal/random", test_random_legal);
    g_test_add_func("/host-faults/legal/busy-rmm-example",
                    test_busy_rmm_example);
    g_test_add_func("/host-faults/legal/exhaust", test_exhaust);
    g_test_add_func("/host-faults/legal/donate-l1", test_donate_l1);
    g_test_add_func("/host-faults/cancel", test_cancel);
    g_test_add_func("/host-faults/outside-lock/executor",
                    test_outside_lock_executor);
    g_test_add_func("/host-faults/outside-lock/lifecycle", test_outside_lock);
    g_test_add_func("/host-faults/psci-complete", test_psci);
    g_test_add_func("/host-faults/psci-complete-bet3", test_psci_bet3);
    g_test_add_data_func("/host-faults/unmap/none",
                         GUINT_TO_POINTER(RMI_ADDR_TYPE_NONE),
                         test_unmap_oaddr);
    g_test_add_data_func("/host-faults/unmap/single",
                         GUINT_TO_POINTER(RMI_ADDR_TYPE_SINGLE),
                         test_unmap_oaddr);
    g_test_add_data_func("/host-faults/unmap/list",
                         GUINT_TO_POINTER(RMI_ADDR_TYPE_LIST),
                         test_unmap_oaddr);
    g_test_add_func("/host-faults/hostile/endless-reclaim",
                    test_endless_reclaim);
    for (size_t i = 0; i < G_N_ELEMENTS(hostile); i++) {
        g_autofree char *path = g_strdup_printf("/host-faults/hostile/%s",
                                                hostile[i].name);

        g_test_add_data_func(path, &hostile[i], test_hostile);
    }

    return g_test_run();
}
