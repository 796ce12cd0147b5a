/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qtests that run the bundled host driver (host-driver/) against rmm-emu
 * through the test mailbox: the RMM bring-up with every shape of
 * activation donation, a range (un)delegation through INCOMPLETE
 * steps, and a whole realm lifecycle (create, RTTs, populate, RECs run
 * through the default exit script, teardown).  The driver's allocator
 * accounting and the device's statistics must agree at the end.
 */
#include "qemu/osdep.h"
#include "libqtest.h"
#include "qobject/qdict.h"
#include "rmm-emu-qom.h"
#include "hw/arm/rmm-emu.h"
#include "hw/arm/rmm/rmi-defs.h"
#include "host-driver/rmi_qtest.h"

#define POOL_BASE   0x48000000ULL
#define POOL_SIZE   (128ULL << 20)
#define RANGE_BYTES (1ULL << 20)
#define GRANULE     0x1000ULL

static uint64_t hd_readq(void *opaque, uint64_t addr)
{
    return qtest_readq(opaque, addr);
}

static void hd_writeq(void *opaque, uint64_t addr, uint64_t val)
{
    qtest_writeq(opaque, addr, val);
}

static void hd_memread(void *opaque, uint64_t addr, void *buf, size_t len)
{
    qtest_memread(opaque, addr, buf, len);
}

static void hd_memwrite(void *opaque, uint64_t addr, const void *buf,
                        size_t len)
{
    qtest_memwrite(opaque, addr, buf, len);
}

/* The host driver's qtest conduit, straight onto libqtest. */
static struct rmi_qtest_ops hd_ops(QTestState *qts)
{
    return (struct rmi_qtest_ops) {
        .readq = hd_readq,
        .writeq = hd_writeq,
        .memread = hd_memread,
        .memwrite = hd_memwrite,
        .opaque = qts,
    };
}

/* The driver's realm lifecycle over the mailbox, its pool at POOL_BASE. */
static void run_lifecycle(struct rmi_qtest_ops *ops, uint64_t populate,
                          unsigned init_pages, unsigned recs,
                          struct rmi_qtest_realm_report *rep)
{
    rmi_qtest_realm_lifecycle(ops, RMM_EMU_BASE, POOL_BASE, POOL_SIZE,
                              populate, init_pages, recs, rep);
}

/* The driver brought the RMM up, and the realm ran to SYSTEM_OFF. */
static void assert_ran(const struct rmi_qtest_realm_report *rep)
{
    g_assert_cmpint(rep->init_ret, ==, 0);
    g_assert_cmpint(rep->ret, ==, 0);
    g_assert_cmpint(rep->system_off, ==, 1);
}

typedef struct BringupCase {
    const char *name;
    uint64_t donate_req;        /* activate-donate-req */
    uint64_t consume_limit;     /* donate-consume-limit, 0: none */
    uint64_t yield_every;       /* delegate-yield-every */
    uint64_t held_bytes;        /* what the RMM keeps after activation */
} BringupCase;

static void test_bringup(const void *opaque)
{
    const BringupCase *c = opaque;
    QTestState *qts = qtest_initf(
        "-machine rme -m 1G -global rmm-emu.activate-donate-req=0x%" PRIx64
        " -global rmm-emu.donate-consume-limit=%" PRIu64
        " -global rmm-emu.delegate-yield-every=%" PRIu64,
        c->donate_req, c->consume_limit, c->yield_every);
    struct rmi_qtest_ops ops = hd_ops(qts);
    struct rmi_qtest_report rep;
    uint64_t yields = c->yield_every ?
                      2 * (RANGE_BYTES / GRANULE / c->yield_every - 1) : 0;

    rmi_qtest_bringup(&ops, RMM_EMU_BASE, POOL_BASE, POOL_SIZE, RANGE_BYTES,
                      &rep);

    g_assert_cmpint(rep.init_ret, ==, 0);
    g_assert_cmpint(rep.delegate_ret, ==, 0);
    g_assert_cmpint(rep.undelegate_ret, ==, 0);
    g_assert_cmphex(rep.delegated_top, ==, RANGE_BYTES);
    g_assert_cmphex(rep.undelegated_top, ==, RANGE_BYTES);
    g_assert_cmpuint(rep.held_bytes, ==, c->held_bytes);
    /* Donated and never handed back is all the driver still holds. */
    g_assert_cmpuint(rep.allocated_bytes, ==, c->held_bytes);
    g_assert_cmpuint(rep.incomplete, >=, yields + (c->donate_req ? 1 : 0));

    g_assert_cmpuint(rmm_qom_stat(qts, "stat-calls"), ==, rep.calls);
    g_assert_cmpuint(rmm_qom_stat(qts, "stat-rmm-state"), ==, 2);
    g_assert_cmpuint(rmm_qom_stat(qts, "stat-delegated"), ==, 0);
    g_assert_cmpuint(rmm_qom_stat(qts, "stat-internal"), ==,
                     c->held_bytes / GRANULE);
    g_assert_cmpuint(rmm_qom_stat(qts, "stat-sro-live"), ==, 0);
    rmm_qom_assert_consistent(qts);
    qtest_quit(qts);
}

/* size L3 = 0, L2 = 1; contig bit 16; state bit 17 (UNDELEGATED) */
static const BringupCase cases[] = {
    { "no-donation", 0, 0, 0, 0 },
    { "noncontig-l3x8", RMI_DONATE_REQ(RMI_PAGE_L3, 8, 0, 1), 0, 16,
      8 * GRANULE },
    { "contig-l3x16", RMI_DONATE_REQ(RMI_PAGE_L3, 16, 1, 1), 0, 64,
      16 * GRANULE },
    /* the RMM takes one granule per donation: many partial steps */
    { "partial-l3x8", RMI_DONATE_REQ(RMI_PAGE_L3, 8, 0, 1), 1, 1,
      8 * GRANULE },
    /* one 2 MiB block, consumed one block at a time */
    { "noncontig-l2x1", RMI_DONATE_REQ(RMI_BLOCK_L2, 1, 0, 1), 0, 128,
      2ULL << 20 },
};

typedef struct RealmCase {
    const char *name;
    const char *args;           /* extra -global options */
    uint64_t populate;          /* bytes of protected IPA populated */
    unsigned init_pages;        /* by RTT_DATA_MAP_INIT */
    unsigned recs;
    unsigned aux;               /* rec-aux-count */
    uint64_t metadata;          /* granules REALM_CREATE asks for */
    uint64_t calls;             /* exact, through the mailbox */
    uint64_t incomplete;        /* exact */
} RealmCase;

static void test_realm_lifecycle(const void *opaque)
{
    const RealmCase *c = opaque;
    QTestState *qts = qtest_initf("-machine rme -m 1G %s", c->args);
    struct rmi_qtest_ops ops = hd_ops(qts);
    struct rmi_qtest_realm_report rep;
    uint64_t l3_rtts = c->populate / (2ULL << 20);
    uint64_t calls = rmm_qom_stat(qts, "stat-calls");

    run_lifecycle(&ops, c->populate, c->init_pages, c->recs, &rep);
    calls = rmm_qom_stat(qts, "stat-calls") - calls;

    g_assert_cmpint(rep.init_ret, ==, 0);
    if (rep.failed_step) {
        g_test_message("failed step: %s", rep.failed_step);
    }
    g_assert_cmpint(rep.ret, ==, 0);
    g_assert_null(rep.failed_step);
    g_test_message("calls %" PRIu64 " incomplete %" PRIu64, rep.calls,
                   rep.incomplete);

    /* What was built */
    g_assert_cmpuint(rep.rtts, ==, 1 + l3_rtts);
    g_assert_cmpuint(rep.data_init_pages, ==, c->init_pages);
    g_assert_cmpuint(rep.data_map_pages, ==,
                     c->populate / GRANULE - c->init_pages);
    g_assert_cmpuint(rep.unmapped_bytes, ==, c->populate);
    g_assert_cmpuint(rep.recs, ==, c->recs);

    /* The default script, RECs taking turns until SYSTEM_OFF */
    g_assert_cmpint(rep.system_off, ==, 1);
    g_assert_cmpuint(rep.rec_enters, ==, 3 * c->recs + 1);
    g_assert_cmpuint(rep.exits_host_call, ==, c->recs);
    g_assert_cmpuint(rep.exits_mmio, ==, c->recs);
    g_assert_cmpuint(rep.exits_ripas_change, ==, c->recs);
    g_assert_cmpuint(rep.exits_psci, ==, 1);
    g_assert_cmpuint(rep.exits_other, ==, 0);
    g_assert_cmpuint(rep.mmio_writes, ==, c->recs);
    g_assert_cmphex(rep.mmio_last_addr, ==, (1ULL << 39) | 0x09000000ULL);
    g_assert_cmphex(rep.mmio_last_value, ==, 'R');
    g_assert_cmpuint(rep.ripas_bytes, ==, c->recs * (2ULL << 20));

    /* Memory: every granule delegated came back, nothing leaked */
    g_assert_cmpuint(rep.delegated_bytes, ==,
                     (1 + 2 + 1 + l3_rtts + c->recs) * GRANULE + c->populate);
    g_assert_cmpuint(rep.undelegated_bytes, ==, rep.delegated_bytes);
    g_assert_cmpuint(rep.donated_bytes, ==,
                     (c->metadata + c->recs * c->aux) * GRANULE);
    g_assert_cmpuint(rep.reclaimed_bytes, ==, rep.donated_bytes);
    g_assert_cmpuint(rep.leaked_bytes, ==, 0);
    g_assert_cmpuint(rep.allocated_before, ==, 0);
    g_assert_cmpuint(rep.allocated_after, ==, 0);

    /* Exact traffic, and the device saw the same */
    g_assert_cmpuint(rep.calls, ==, c->calls);
    g_assert_cmpuint(rep.incomplete, ==, c->incomplete);
    g_assert_cmpuint(calls, >, rep.calls);

    g_assert_cmpuint(rmm_qom_stat(qts, "stat-rmm-state"), ==, 2);
    g_assert_cmpuint(rmm_qom_stat(qts, "stat-delegated"), ==, 0);
    g_assert_cmpuint(rmm_qom_stat(qts, "stat-internal"), ==, 0);
    g_assert_cmpuint(rmm_qom_stat(qts, "stat-rd"), ==, 0);
    g_assert_cmpuint(rmm_qom_stat(qts, "stat-rec"), ==, 0);
    g_assert_cmpuint(rmm_qom_stat(qts, "stat-rtt"), ==, 0);
    g_assert_cmpuint(rmm_qom_stat(qts, "stat-data"), ==, 0);
    g_assert_cmpuint(rmm_qom_stat(qts, "stat-realms"), ==, 0);
    g_assert_cmpuint(rmm_qom_stat(qts, "stat-recs"), ==, 0);
    g_assert_cmpuint(rmm_qom_stat(qts, "stat-rec-host-errors"), ==, 0);
    g_assert_cmpuint(rmm_qom_stat(qts, "stat-sro-live"), ==, 0);
    rmm_qom_assert_consistent(qts);
    qtest_quit(qts);
}

static const RealmCase realm_cases[] = {
    { "plain", "", 16ULL << 20, 8, 2, 4, 0, 128, 8 },
    /* the lifecycle: 64 MiB populated, 2 RECs */
    { "populate-64m", "", 64ULL << 20, 16, 2, 4, 0, 352, 8 },
    /* metadata donation, 16 aux granules, yielding maps and delegation */
    { "sro", "-global rmm-emu.realm-create-donate-req=0x1c "
             "-global rmm-emu.rec-aux-count=16 "
             "-global rmm-emu.map-yield-every=200 "
             "-global rmm-emu.delegate-yield-every=256",
      16ULL << 20, 8, 2, 16, 7, 203, 78 },
};

/*
 * Legal fault plans: whatever a correct RMM may do, the driver's bring-up
 * and realm lifecycle go through, every granule ends Non-secure, nothing
 * leaks, and the RMM saw faults but no host mistake.
 */
static const char *const legal_plans[] = {
    "seed=5; busy:class=sro:p=0.2:n=3; split:class=sro:p=0.2:k=2; "
    "donate:class=memxfer:p=0.3:size=l3:count=random:contig=random; "
    "consume:max=1; reclaim:max=1",
    "seed=11; blocked:class=sro:p=0.1; exit:cmd=REC_ENTER:p=0.5; "
    "donate:cmd=REALM_DESTROY:size=l2:count=1:contig=1; "
    "yield:class=range:granules=64; stop:class=range:p=0.3:n=16",
};

static void test_lifecycle_legal_plan(const void *opaque)
{
    const char *plan = opaque;
    QTestState *qts = qtest_initf("-machine 'rme,fault-plan=%s' -m 1G", plan);
    struct rmi_qtest_ops ops = hd_ops(qts);
    struct rmi_qtest_realm_report rep;
    QDict *stats;

    run_lifecycle(&ops, 16ULL << 20, 8, 2, &rep);
    if (rep.failed_step) {
        g_test_message("failed step: %s", rep.failed_step);
    }
    assert_ran(&rep);
    g_assert_cmpuint(rep.undelegated_bytes, ==, rep.delegated_bytes);
    g_assert_cmpuint(rep.reclaimed_bytes, ==, rep.donated_bytes);
    g_assert_cmpuint(rep.leaked_bytes, ==, 0);
    g_assert_cmpuint(rep.allocated_after, ==, rep.allocated_before);

    stats = rmm_fault_stats(qts);
    g_test_message("faults %" PRId64 ", SRO steps %" PRId64,
                   qdict_get_int(stats, "faults"),
                   qdict_get_int(stats, "sro-steps"));
    g_assert_cmpint(qdict_get_int(stats, "faults"), >, 0);
    g_assert_cmpuint(rmm_violations(stats), ==, 0);
    g_assert_cmpint(qdict_get_int(stats, "sro-live"), ==, 0);
    qobject_unref(stats);
    g_assert_cmpuint(rmm_qom_stat(qts, "stat-delegated"), ==, 0);
    g_assert_cmpuint(rmm_qom_stat(qts, "stat-internal"), ==, 0);
    g_assert_cmpuint(rmm_qom_stat(qts, "stat-realms"), ==, 0);
    rmm_qom_assert_consistent(qts);
    qtest_quit(qts);
}

/* The rec-script property: every REC plays the configured exits. */
static void test_realm_rec_script(void)
{
    /* libqtest runs QEMU through sh -c: quote the ';'s. */
    QTestState *qts = qtest_init("-machine rme -m 1G -global 'rmm-emu."
                                 "rec-script=host-call:imm=7;host-call;"
                                 "irq;mmio-write:addr=0x9000010:len=4:"
                                 "value=0x41;psci:fn=system-off'");
    struct rmi_qtest_ops ops = hd_ops(qts);
    struct rmi_qtest_realm_report rep;

    run_lifecycle(&ops, 2ULL << 20, 1, 1, &rep);
    assert_ran(&rep);
    g_assert_cmpuint(rep.rec_enters, ==, 5);
    g_assert_cmpuint(rep.exits_host_call, ==, 2);
    g_assert_cmpuint(rep.exits_other, ==, 1);         /* the IRQ */
    g_assert_cmpuint(rep.exits_mmio, ==, 1);
    g_assert_cmpuint(rep.exits_ripas_change, ==, 0);
    g_assert_cmpuint(rep.exits_psci, ==, 1);
    g_assert_cmphex(rep.mmio_last_addr, ==, (1ULL << 39) | 0x09000010ULL);
    g_assert_cmphex(rep.mmio_last_value, ==, 0x41);
    g_assert_cmpuint(rmm_qom_stat(qts, "stat-rec-script-rejected"), ==, 0);
    g_assert_cmpuint(rmm_qom_stat(qts, "stat-rec-host-errors"), ==, 0);
    g_assert_cmpuint(rmm_qom_stat(qts, "stat-delegated"), ==, 0);
    rmm_qom_assert_consistent(qts);
    qtest_quit(qts);
}

/*
 * A rec-script the realm cannot play (an MMIO address past a 40-bit
 * realm's unprotected half): the REC plays the built-in script, and the
 * user is told where they look, with -d guest_errors.
 */
static void test_realm_rec_script_misfit(void)
{
    g_autofree char *log = g_strdup_printf("%s/rmm-emu-misfit-XXXXXX",
                                           g_get_tmp_dir());
    g_autofree char *text = NULL;
    int fd = g_mkstemp(log);
    QTestState *qts;
    struct rmi_qtest_ops ops;
    struct rmi_qtest_realm_report rep;

    g_assert_cmpint(fd, >=, 0);
    close(fd);
    qts = qtest_initf("-machine rme -m 1G -d guest_errors -D %s -global "
                      "'rmm-emu.rec-script=mmio-write:addr=0x8000000000:"
                      "len=4:value=1'", log);
    ops = hd_ops(qts);
    run_lifecycle(&ops, 2ULL << 20, 1, 1, &rep);
    g_assert_cmpint(rep.ret, ==, 0);
    g_assert_cmpint(rep.system_off, ==, 1);
    g_assert_cmpuint(rep.exits_mmio, ==, 1);
    g_assert_cmphex(rep.mmio_last_value, ==, 'R');     /* built-in script */
    g_assert_cmpuint(rmm_qom_stat(qts, "stat-rec-script-rejected"), ==, 1);
    qtest_quit(qts);

    g_assert_true(g_file_get_contents(log, &text, NULL, NULL));
    unlink(log);
    g_assert_nonnull(strstr(text, "rmm-emu: rec-script step 1 does not fit "
                            "REC 0x"));
    g_assert_nonnull(strstr(text, "(40-bit IPA): MMIO address is beyond "
                            "the realm's unprotected IPA space; the REC "
                            "plays the built-in script"));
}

/*
 * A platform reset in the middle of a realm lifecycle (QMP system_reset;
 * PSCI SYSTEM_RESET takes the same path): the RMM returns to its power-on
 * state, and a rebooted host (a fresh run of the driver) brings it up and
 * runs a whole lifecycle again.
 */
typedef struct ResetAt {
    QTestState *qts;
    uint64_t doorbells;
    uint64_t at;                /* reset after this many calls */
    uint64_t realms, data;      /* what the RMM held just before */
} ResetAt;

static uint64_t ra_readq(void *opaque, uint64_t addr)
{
    return qtest_readq(((ResetAt *)opaque)->qts, addr);
}

static void ra_writeq(void *opaque, uint64_t addr, uint64_t val)
{
    ResetAt *ra = opaque;

    qtest_writeq(ra->qts, addr, val);
    if (addr == RMM_EMU_BASE + RMM_EMU_MB_DOORBELL &&
        ++ra->doorbells == ra->at) {
        ra->realms = rmm_qom_stat(ra->qts, "stat-realms");
        ra->data = rmm_qom_stat(ra->qts, "stat-data");
        qtest_system_reset(ra->qts);
    }
}

static void ra_memread(void *opaque, uint64_t addr, void *buf, size_t len)
{
    qtest_memread(((ResetAt *)opaque)->qts, addr, buf, len);
}

static void ra_memwrite(void *opaque, uint64_t addr, const void *buf,
                        size_t len)
{
    qtest_memwrite(((ResetAt *)opaque)->qts, addr, buf, len);
}

static void test_reset_mid_lifecycle(void)
{
    ResetAt ra = { .qts = qtest_init("-machine rme -m 1G"), .at = 60 };
    struct rmi_qtest_ops ops = {
        .readq = ra_readq,
        .writeq = ra_writeq,
        .memread = ra_memread,
        .memwrite = ra_memwrite,
        .opaque = &ra,
    };
    struct rmi_qtest_realm_report rep;

    run_lifecycle(&ops, 16ULL << 20, 8, 2, &rep);
    /* The reset came with a realm populated; the host's run failed. */
    g_assert_cmpuint(ra.doorbells, >, ra.at);
    g_assert_cmpuint(ra.realms, ==, 1);
    g_assert_cmpuint(ra.data, >, 0);
    g_assert_cmpint(rep.ret, !=, 0);
    g_assert_cmpuint(rmm_qom_stat(ra.qts, "stat-realms"), ==, 0);
    g_assert_cmpuint(rmm_qom_stat(ra.qts, "stat-data"), ==, 0);
    rmm_qom_assert_consistent(ra.qts);

    /* The rebooted host: bring-up and a whole lifecycle succeed. */
    ra.at = 0;
    run_lifecycle(&ops, 16ULL << 20, 8, 2, &rep);
    assert_ran(&rep);
    g_assert_cmpuint(rep.calls, ==, 128);
    g_assert_cmpuint(rep.leaked_bytes, ==, 0);
    g_assert_cmpuint(rmm_qom_stat(ra.qts, "stat-rmm-state"), ==, 2);
    g_assert_cmpuint(rmm_qom_stat(ra.qts, "stat-delegated"), ==, 0);
    g_assert_cmpuint(rmm_qom_stat(ra.qts, "stat-realms"), ==, 0);
    rmm_qom_assert_consistent(ra.qts);
    qtest_quit(ra.qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *path = g_strdup_printf("rmm-host-driver/bringup/%s",
                                                cases[i].name);
        qtest_add_data_func(path, &cases[i], test_bringup);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(realm_cases); i++) {
        g_autofree char *path =
            g_strdup_printf("rmm-host-driver/realm-lifecycle/%s",
                            realm_cases[i].name);
        qtest_add_data_func(path, &realm_cases[i], test_realm_lifecycle);
    }
    qtest_add_func("rmm-host-driver/realm-lifecycle/rec-script",
                   test_realm_rec_script);
    qtest_add_func("rmm-host-driver/realm-lifecycle/rec-script-misfit",
                   test_realm_rec_script_misfit);
    qtest_add_func("rmm-host-driver/realm-lifecycle/reset-midway",
                   test_reset_mid_lifecycle);
    for (size_t i = 0; i < G_N_ELEMENTS(legal_plans); i++) {
        g_autofree char *path =
            g_strdup_printf("rmm-host-driver/legal-plan/%zu", i);
        qtest_add_data_func(path, legal_plans[i], test_lifecycle_legal_plan);
    }
    return g_test_run();
}
