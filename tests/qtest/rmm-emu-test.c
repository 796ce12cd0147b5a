/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qtests for rmm-emu: RMI calls through the device's test mailbox on
 * -machine rme -accel qtest, with exact register values and the device's
 * QOM statistics as the oracle for granule state.
 */
#include "qemu/osdep.h"
#include "libqtest.h"
#include "qobject/qdict.h"
#include "rmm-emu-qom.h"
#include "hw/arm/rmm-emu.h"
#include "hw/arm/rmm/rmi-defs.h"

#define NR_REGS         18
#define CANARY(n)       (0x5a5a000000000000ULL | ((uint64_t)(n) << 8) | (n))
#define RAM_BASE        0x40000000ULL
#define GRANULE         0x1000ULL
#define CONFIG_PAGE     (RAM_BASE + 0x00100000ULL)
#define LIST_PAGE       (RAM_BASE + 0x00101000ULL)
#define DONOR_BASE      (RAM_BASE + 0x00200000ULL)
#define DELEGATE_BASE   (RAM_BASE + 0x01000000ULL)


typedef struct Rmi {
    QTestState *qts;
    uint64_t x[NR_REGS];
} Rmi;

static void rmi_start(Rmi *r, const char *extra)
{
    r->qts = qtest_initf("-machine rme -m 512 %s", extra ? extra : "");
    g_assert_cmphex(qtest_readq(r->qts, RMM_EMU_BASE + RMM_EMU_MB_ID), ==,
                    RMM_EMU_MB_MAGIC);
}

static uint64_t qom_u64(Rmi *r, const char *prop)
{
    return rmm_qom_stat(r->qts, prop);
}

static void assert_consistent(Rmi *r)
{
    rmm_qom_assert_consistent(r->qts);
}

/*
 * Make one call: X1..X4 from args, X5..X17 canaries; after the call every
 * register the command does not define as an output must be unchanged.
 */
static uint64_t rmi_call(Rmi *r, uint64_t fid, unsigned nr_out,
                         uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
    uint64_t in[NR_REGS] = { fid, a1, a2, a3, a4 };

    for (int i = 5; i < NR_REGS; i++) {
        in[i] = CANARY(i);
    }
    for (int i = 0; i < NR_REGS; i++) {
        qtest_writeq(r->qts, RMM_EMU_BASE + RMM_EMU_MB_X(i), in[i]);
    }
    qtest_writeq(r->qts, RMM_EMU_BASE + RMM_EMU_MB_DOORBELL, 1);
    for (int i = 0; i < NR_REGS; i++) {
        r->x[i] = qtest_readq(r->qts, RMM_EMU_BASE + RMM_EMU_MB_X(i));
    }
    for (int i = nr_out + 1; i < NR_REGS; i++) {
        g_assert_cmphex(r->x[i], ==, in[i]);
    }
    return r->x[0];
}

/*
 * One call on a machine of its own started with extra: returns X0, and X1
 * in *x1 unless x1 is NULL.
 */
static uint64_t call_once(const char *extra, uint64_t fid, unsigned nr_out,
                          uint64_t a1, uint64_t *x1)
{
    uint64_t x0;
    Rmi r;

    rmi_start(&r, extra);
    x0 = rmi_call(&r, fid, nr_out, a1, 0, 0, 0);
    if (x1) {
        *x1 = r.x[1];
    }
    qtest_quit(r.qts);
    return x0;
}

static void test_mailbox_id(void)
{
    Rmi r;

    rmi_start(&r, NULL);
    g_assert_cmphex(qtest_readq(r.qts, RMM_EMU_BASE + RMM_EMU_MB_CALLS), ==, 0);
    rmi_call(&r, RMI_FID_VERSION, 2, RMI_VERSION_MAKE(2, 0), 0, 0, 0);
    g_assert_cmphex(qtest_readq(r.qts, RMM_EMU_BASE + RMM_EMU_MB_CALLS), ==, 1);
    g_assert_cmphex(qom_u64(&r, "stat-calls"), ==, 1);
    /* 32-bit halves of a register read back as the 64-bit value. */
    qtest_writel(r.qts, RMM_EMU_BASE + RMM_EMU_MB_X(5), 0x11223344);
    qtest_writel(r.qts, RMM_EMU_BASE + RMM_EMU_MB_X(5) + 4, 0x55667788);
    g_assert_cmphex(qtest_readq(r.qts, RMM_EMU_BASE + RMM_EMU_MB_X(5)), ==,
                    0x5566778811223344ULL);
    qtest_quit(r.qts);
}

static void test_version(void)
{
    Rmi r;

    rmi_start(&r, NULL);
    g_assert_cmphex(rmi_call(&r, RMI_FID_VERSION, 2, RMI_VERSION_MAKE(2, 0),
                             0, 0, 0), ==, RMI_SUCCESS);
    g_assert_cmphex(r.x[1], ==, RMI_VERSION_MAKE(2, 0));
    g_assert_cmphex(r.x[2], ==, RMI_VERSION_MAKE(2, 0));

    /* An older revision is refused, still reporting what is implemented. */
    g_assert_cmphex(rmi_call(&r, RMI_FID_VERSION, 2, RMI_VERSION_MAKE(1, 0),
                             0, 0, 0), ==, RMI_ERROR_INPUT);
    g_assert_cmphex(r.x[1], ==, RMI_VERSION_MAKE(2, 0));
    g_assert_cmphex(r.x[2], ==, RMI_VERSION_MAKE(2, 0));
    assert_consistent(&r);
    qtest_quit(r.qts);
}

static void test_unknown_fid(void)
{
    /* In the RMI range but not an RMI command: SMCCC NOT_SUPPORTED. */
    g_assert_cmphex(call_once(NULL, RMM_EMU_FID_RANGE2_HI, 0, 0, NULL), ==,
                    SMCCC_NOT_SUPPORTED);
}

static void write_config(Rmi *r, uint64_t tracking, uint64_t granule)
{
    qtest_memset(r->qts, CONFIG_PAGE, 0, GRANULE);
    qtest_writeq(r->qts, CONFIG_PAGE, tracking);
    qtest_writeq(r->qts, CONFIG_PAGE + 8, granule);
}

/*
 * RMM_ACTIVATE asks for 4 non-contiguous undelegated L3 granules: donate
 * them one list at a time, then continue to ACTIVE.
 */
static void test_activate_with_donation(void)
{
    uint64_t req = RMI_DONATE_REQ(RMI_PAGE_L3, 4, RMI_OP_MEM_NON_CONTIG,
                                  RMI_OP_MEM_UNDELEGATED);
    g_autofree char *opts = g_strdup_printf(
        "-global rmm-emu.activate-donate-req=0x%" PRIx64, req);
    uint64_t handle, x0;
    Rmi r;

    rmi_start(&r, opts);
    write_config(&r, 0, 0);
    g_assert_cmphex(rmi_call(&r, RMI_FID_RMM_CONFIG_SET, 0, CONFIG_PAGE, 0, 0,
                             0), ==, RMI_SUCCESS);

    x0 = rmi_call(&r, RMI_FID_RMM_ACTIVATE, 2, 0, 0, 0, 0);
    g_assert_cmphex(RMI_RESULT_STATUS(x0), ==, RMI_INCOMPLETE);
    g_assert_cmphex(RMI_RESULT_MEM(x0), ==, RMI_OP_MEM_REQ_DONATE);
    g_assert_cmphex(x0 >> 11, ==, 0);
    g_assert_cmphex(r.x[2], ==, req);
    handle = r.x[1];
    g_assert_cmphex(qom_u64(&r, "stat-rmm-state"), ==, 1);
    g_assert_cmphex(qom_u64(&r, "stat-sro-live"), ==, 1);

    /* Two granules now: partial donation, the rest still requested. */
    for (int i = 0; i < 2; i++) {
        qtest_writeq(r.qts, LIST_PAGE + 8 * i,
                     RMI_DESC(DONOR_BASE + 2 * i * GRANULE, RMI_PAGE_L3, 1,
                              RMI_OP_MEM_UNDELEGATED, 1));
    }
    x0 = rmi_call(&r, RMI_FID_OP_MEM_DONATE, 2, handle, LIST_PAGE, 2, 0);
    g_assert_cmphex(RMI_RESULT_STATUS(x0), ==, RMI_INCOMPLETE);
    g_assert_cmphex(RMI_RESULT_MEM(x0), ==, RMI_OP_MEM_REQ_DONATE);
    g_assert_cmphex(r.x[1], ==, 2);
    g_assert_cmphex(RMI_DONATE_COUNT(r.x[2]), ==, 2);
    g_assert_cmphex(qom_u64(&r, "stat-internal"), ==, 2);
    assert_consistent(&r);

    for (int i = 0; i < 2; i++) {
        qtest_writeq(r.qts, LIST_PAGE + 8 * i,
                     RMI_DESC(DONOR_BASE + (2 * i + 5) * GRANULE, RMI_PAGE_L3,
                              1, RMI_OP_MEM_UNDELEGATED, 1));
    }
    x0 = rmi_call(&r, RMI_FID_OP_MEM_DONATE, 2, handle, LIST_PAGE, 2, 0);
    g_assert_cmphex(r.x[1], ==, 2);
    g_assert_cmphex(qom_u64(&r, "stat-internal"), ==, 4);

    /* Whatever the last donation answered, continuing ends in ACTIVE. */
    for (int steps = 0; RMI_RESULT_STATUS(x0) == RMI_INCOMPLETE; steps++) {
        g_assert_cmpint(steps, <, 4);
        g_assert_cmphex(RMI_RESULT_MEM(x0), ==, RMI_OP_MEM_REQ_NONE);
        x0 = rmi_call(&r, RMI_FID_OP_CONTINUE, 2, handle, 0, 0, 0);
    }
    g_assert_cmphex(x0, ==, RMI_SUCCESS);
    g_assert_cmphex(qom_u64(&r, "stat-rmm-state"), ==, 2);
    g_assert_cmphex(qom_u64(&r, "stat-sro-live"), ==, 0);
    g_assert_cmphex(qom_u64(&r, "stat-internal"), ==, 4);
    assert_consistent(&r);
    qtest_quit(r.qts);
}

static void activate(Rmi *r)
{
    write_config(r, 0, 0);
    g_assert_cmphex(rmi_call(r, RMI_FID_RMM_CONFIG_SET, 0, CONFIG_PAGE, 0, 0,
                             0),
                    ==, RMI_SUCCESS);
    g_assert_cmphex(rmi_call(r, RMI_FID_RMM_ACTIVATE, 0, 0, 0, 0, 0), ==,
                    RMI_SUCCESS);
}

/* Drive a range (un)delegation through its INCOMPLETE steps to the end. */
static uint64_t range_op(Rmi *r, uint64_t fid, uint64_t base, uint64_t top,
                         unsigned *yields)
{
    uint64_t x0 = rmi_call(r, fid, 1, base, top, 0, 0);
    uint64_t handle = r->x[1];

    *yields = 0;
    while (RMI_RESULT_STATUS(x0) == RMI_INCOMPLETE) {
        g_assert_cmphex(RMI_RESULT_MEM(x0), ==, RMI_OP_MEM_REQ_NONE);
        g_assert_cmpuint(++*yields, <=, 1024);
        x0 = rmi_call(r, RMI_FID_OP_CONTINUE, 2, handle, 0, 0, 0);
    }
    return x0;
}

/* qom-get of an "any" property: the caller unrefs the response. */
static QDict *qom_get_any(Rmi *r, const char *prop, QObject **val)
{
    QDict *resp = qtest_qmp(r->qts, "{ 'execute': 'qom-get', 'arguments': "
                            "{ 'path': '/machine/rmm', 'property': %s } }",
                            prop);

    g_assert(qdict_haskey(resp, "return"));
    *val = qdict_get(resp, "return");
    return resp;
}

/*
 * The state on demand: a realm (its RD, two starting RTTs) and an open
 * range delegation that waits for RMI_OP_CONTINUE, as JSON and as one
 * line; then the operation gone once it has finished.
 */
#define STATE_RD        (DELEGATE_BASE + 0x00100000ULL)
#define STATE_RTTS      (DELEGATE_BASE + 0x00102000ULL)
#define STATE_PARAMS    (RAM_BASE + 0x00102000ULL)

static void test_state(void)
{
    QDict *resp, *st, *realm, *op, *rtt;
    g_autofree char *summary = NULL;
    uint64_t handle, x0;
    QObject *val;
    QList *list;
    unsigned yields;
    Rmi r;

    rmi_start(&r, "-global rmm-emu.delegate-yield-every=4");
    activate(&r);
    g_assert_cmphex(range_op(&r, RMI_FID_GRANULE_RANGE_DELEGATE, STATE_RD,
                             STATE_RD + GRANULE, &yields), ==, RMI_SUCCESS);
    g_assert_cmphex(range_op(&r, RMI_FID_GRANULE_RANGE_DELEGATE, STATE_RTTS,
                             STATE_RTTS + 2 * GRANULE, &yields), ==,
                    RMI_SUCCESS);
    qtest_memset(r.qts, STATE_PARAMS, 0, GRANULE);
    qtest_writeq(r.qts, STATE_PARAMS + RMI_REALM_PARAMS_S2SZ, 40);
    qtest_writeq(r.qts, STATE_PARAMS + RMI_REALM_PARAMS_NUM_BPS, 1);
    qtest_writeq(r.qts, STATE_PARAMS + RMI_REALM_PARAMS_NUM_WPS, 1);
    qtest_writeq(r.qts, STATE_PARAMS + RMI_REALM_PARAMS_RTT_BASE, STATE_RTTS);
    qtest_writeq(r.qts, STATE_PARAMS + RMI_REALM_PARAMS_RTT_LEVEL_START, 1);
    qtest_writeq(r.qts, STATE_PARAMS + RMI_REALM_PARAMS_RTT_NUM_START, 2);
    g_assert_cmphex(rmi_call(&r, RMI_FID_REALM_CREATE, 2, STATE_RD,
                             STATE_PARAMS, 0, 0), ==, RMI_SUCCESS);
    x0 = rmi_call(&r, RMI_FID_GRANULE_RANGE_DELEGATE, 2, DELEGATE_BASE,
                  DELEGATE_BASE + 16 * GRANULE, 0, 0);
    g_assert_cmphex(RMI_RESULT_STATUS(x0), ==, RMI_INCOMPLETE);
    handle = r.x[1];

    resp = qom_get_any(&r, "state", &val);
    st = qobject_to(QDict, val);
    g_assert_cmpstr(qdict_get_str(st, "rmm-state"), ==, "active");
    g_assert_cmpstr(qdict_get_str(st, "profile"), ==, "2.0-bet1");
    /* RD, 2 RTTs, and the 4 granules the open delegation has done */
    g_assert_cmpint(qdict_get_int(qdict_get_qdict(st, "granules"),
                                  "DELEGATED"), ==, 4);
    list = qdict_get_qlist(st, "realms");
    g_assert_cmpint(qlist_size(list), ==, 1);
    realm = qobject_to(QDict, qlist_peek(list));
    g_assert_cmphex(qdict_get_int(realm, "rd"), ==, STATE_RD);
    g_assert_cmpstr(qdict_get_str(realm, "state"), ==, "new");
    g_assert_cmpint(qdict_get_int(realm, "ipa-width"), ==, 40);
    g_assert_cmpstr(qdict_get_str(realm, "hash"), ==, "sha-256");
    g_assert_cmpint(strlen(qdict_get_str(realm, "rim")), ==, 64);
    g_assert_cmpint(qlist_size(qdict_get_qlist(realm, "recs")), ==, 0);
    list = qdict_get_qlist(realm, "rtts");
    g_assert_cmpint(qlist_size(list), ==, 2);
    rtt = qobject_to(QDict, qlist_peek(list));
    g_assert_cmphex(qdict_get_int(rtt, "rtt"), ==, STATE_RTTS);
    g_assert_cmpint(qdict_get_int(rtt, "level"), ==, 1);
    list = qdict_get_qlist(st, "operations");
    g_assert_cmpint(qlist_size(list), ==, 1);
    op = qobject_to(QDict, qlist_peek(list));
    g_assert_cmphex(qdict_get_int(op, "handle"), ==, handle);
    g_assert_cmpstr(qdict_get_str(op, "command"), ==,
                    "RMI_GRANULE_RANGE_DELEGATE");
    g_assert_cmpstr(qdict_get_str(op, "next-step"), ==, "RMI_OP_CONTINUE");
    g_assert_false(qdict_get_bool(op, "can-cancel"));
    qobject_unref(resp);

    summary = qom_get_str(r.qts, "/machine/rmm", "summary");
    g_test_message("%s", summary);
    g_assert_nonnull(strstr(summary, "RMM active (2.0-bet1): 1 realm, 0 "
                            "RECs (0 running), 2 RTTs, 0 DATA, 4 granules "
                            "delegated, 1 operation open;"));

    /* Finished, the operation is gone. */
    do {
        x0 = rmi_call(&r, RMI_FID_OP_CONTINUE, 2, handle, 0, 0, 0);
    } while (RMI_RESULT_STATUS(x0) == RMI_INCOMPLETE);
    g_assert_cmphex(x0, ==, RMI_SUCCESS);
    resp = qom_get_any(&r, "state", &val);
    g_assert_cmpint(qlist_size(qdict_get_qlist(qobject_to(QDict, val),
                                               "operations")), ==, 0);
    qobject_unref(resp);
    assert_consistent(&r);
    qtest_quit(r.qts);
}

static void test_delegate_yields(void)
{
    const uint64_t n = 16;
    unsigned yields;
    Rmi r;

    rmi_start(&r, "-global rmm-emu.delegate-yield-every=4");
    activate(&r);
    qtest_writeq(r.qts, DELEGATE_BASE, 0xdeadbeefULL);

    g_assert_cmphex(range_op(&r, RMI_FID_GRANULE_RANGE_DELEGATE, DELEGATE_BASE,
                             DELEGATE_BASE + n * GRANULE, &yields), ==,
                    RMI_SUCCESS);
    g_assert_cmphex(r.x[1], ==, DELEGATE_BASE + n * GRANULE);
    g_assert_cmpuint(yields, ==, n / 4 - 1);
    g_assert_cmphex(qom_u64(&r, "stat-delegated"), ==, n);
    g_assert_cmphex(qom_u64(&r, "stat-sro-live"), ==, 0);
    assert_consistent(&r);

    g_assert_cmphex(range_op(&r, RMI_FID_GRANULE_RANGE_UNDELEGATE,
                             DELEGATE_BASE, DELEGATE_BASE + n * GRANULE,
                             &yields), ==,
                    RMI_SUCCESS);
    g_assert_cmphex(r.x[1], ==, DELEGATE_BASE + n * GRANULE);
    g_assert_cmphex(qom_u64(&r, "stat-delegated"), ==, 0);
    /* Delegation scrubs the contents on the way in and out. */
    g_assert_cmphex(qtest_readq(r.qts, DELEGATE_BASE), ==, 0);
    assert_consistent(&r);
    qtest_quit(r.qts);
}

/*
 * The GPT the CPUs walk, read from guest memory as the CPU would: the L0
 * entry at gpt-base for pa's 1GB, then the L1 table's 4-bit GPI.
 */
#define GPI_NS          0x9
#define GPI_REALM       0xb

static unsigned gpt_gpi(Rmi *r, uint64_t base, uint64_t pa)
{
    uint64_t l0 = qtest_readq(r->qts, base + (pa >> 30) * 8), l1;

    if ((l0 & 0xf) == 0x1) {
        return (l0 >> 4) & 0xf;             /* a block descriptor */
    }
    g_assert_cmphex(l0 & 0xf, ==, 0x3);
    l1 = qtest_readq(r->qts, (l0 & 0x000ffffffffff000ULL) +
                     ((pa & ((1ULL << 30) - 1)) >> 16) * 8);
    return (l1 >> ((pa >> 12) & 15) * 4) & 0xf;
}

/* Count the granules of DRAM whose GPI is not NS, checking them on the way. */
static uint64_t gpt_count_realm(Rmi *r, uint64_t base, uint64_t dram_size)
{
    uint64_t pa, n = 0;

    for (pa = RAM_BASE; pa < RAM_BASE + dram_size; pa += GRANULE) {
        unsigned gpi = gpt_gpi(r, base, pa);

        g_assert(gpi == GPI_NS || gpi == GPI_REALM);
        n += gpi == GPI_REALM;
    }
    return n;
}

static void test_gpt_census(void)
{
    const uint64_t n = 40;
    uint64_t base;
    unsigned yields;
    Rmi r;

    rmi_start(&r, "-m 128");
    base = rmm_qom_stat(r.qts, "gpt-base");
    g_assert_cmphex(base, ==, 0x0e000000ULL);
    g_assert_cmpuint(gpt_count_realm(&r, base, 128 << 20), ==, 0);
    activate(&r);
    g_assert_cmphex(range_op(&r, RMI_FID_GRANULE_RANGE_DELEGATE, DELEGATE_BASE,
                             DELEGATE_BASE + n * GRANULE, &yields), ==,
                    RMI_SUCCESS);
    /* The delegated range, and only it, is Realm PAS in the GPT. */
    g_assert_cmpuint(gpt_gpi(&r, base, DELEGATE_BASE), ==, GPI_REALM);
    g_assert_cmpuint(gpt_gpi(&r, base, DELEGATE_BASE + (n - 1) * GRANULE), ==,
                     GPI_REALM);
    g_assert_cmpuint(gpt_gpi(&r, base, DELEGATE_BASE - GRANULE), ==, GPI_NS);
    g_assert_cmpuint(gpt_gpi(&r, base, DELEGATE_BASE + n * GRANULE), ==,
                     GPI_NS);
    /* The GPT agrees with the census, granule for granule. */
    g_assert_cmpuint(gpt_count_realm(&r, base, 128 << 20), ==,
                     qom_u64(&r, "stat-delegated") +
                     qom_u64(&r, "stat-internal"));
    assert_consistent(&r);
    g_assert_cmphex(range_op(&r, RMI_FID_GRANULE_RANGE_UNDELEGATE,
                             DELEGATE_BASE, DELEGATE_BASE + n * GRANULE,
                             &yields), ==, RMI_SUCCESS);
    g_assert_cmpuint(gpt_count_realm(&r, base, 128 << 20), ==,
                     qom_u64(&r, "stat-internal"));
    /* The GPT's own granules are Root (0xa). */
    g_assert_cmpuint(gpt_gpi(&r, base, base), ==, 0xa);
    qtest_quit(r.qts);

    /* gpc=off: no GPT at all. */
    rmi_start(&r, "-machine gpc=off");
    g_assert_false(qom_get_bool(r.qts, "/machine/rmm", "gpc"));
    g_assert_false(qom_get_bool(r.qts, "/machine", "gpc"));
    qtest_quit(r.qts);
}

static void test_delegate_needs_active(void)
{
    Rmi r;

    rmi_start(&r, NULL);
    g_assert_cmphex(rmi_call(&r, RMI_FID_GRANULE_RANGE_DELEGATE, 1,
                             DELEGATE_BASE, DELEGATE_BASE + GRANULE, 0, 0),
                    ==, RMI_ERROR_GLOBAL);
    g_assert_cmphex(qom_u64(&r, "stat-delegated"), ==, 0);
    qtest_quit(r.qts);
}

static void test_delegate_outside_dram(void)
{
    Rmi r;

    rmi_start(&r, NULL);
    activate(&r);
    /* The mailbox page is MMIO, not memory: unpopulated, ERROR_INPUT. */
    g_assert_cmphex(rmi_call(&r, RMI_FID_GRANULE_RANGE_DELEGATE, 1,
                             RMM_EMU_BASE, RMM_EMU_BASE + GRANULE, 0, 0),
                    ==, RMI_ERROR_INPUT);
    g_assert_cmphex(qom_u64(&r, "stat-delegated"), ==, 0);
    assert_consistent(&r);
    qtest_quit(r.qts);
}

static void test_features_property(void)
{
    Rmi r;

    /* 44-bit IPAs, 2 breakpoints and 2 watchpoints, nothing else */
    rmi_start(&r, "-global rmm-emu.feat-reg0=0x10402c");
    g_assert_cmphex(rmi_call(&r, RMI_FID_FEATURES, 1, 0, 0, 0, 0), ==,
                    RMI_SUCCESS);
    g_assert_cmphex(r.x[1], ==, 0x10402c);
    /* Unset registers keep the core's defaults: 4KB granules in FR1. */
    g_assert_cmphex(rmi_call(&r, RMI_FID_FEATURES, 1, 1, 0, 0, 0), ==,
                    RMI_SUCCESS);
    g_assert_cmphex(r.x[1] & 1, ==, 1);
    qtest_quit(r.qts);
}

/*
 * RmiFeatureRegister0 follows the CPU.  Under qtest "max" is a Cortex-A57:
 * 44-bit PAs, no LPA2 or SVE, PMUv3 with 6 counters, 6 breakpoints and 4
 * watchpoints (both held as the number minus one).
 */
#define FR0_A57     (44ULL | 5ULL << 14 | 3ULL << 20)
#define FR0_PMU(n)  (1ULL << 26 | (uint64_t)(n) << 27)

static uint64_t feat_reg0(const char *extra)
{
    uint64_t fr0;

    g_assert_cmphex(call_once(extra, RMI_FID_FEATURES, 1, 0, &fr0), ==,
                    RMI_SUCCESS);
    return fr0;
}

static void test_features_follow_cpu(void)
{
    g_assert_cmphex(feat_reg0(NULL), ==, FR0_A57 | FR0_PMU(6));
    g_assert_cmphex(feat_reg0("-cpu cortex-a57,pmu=off"), ==, FR0_A57);
    /* An A53 has the same debug resources but only a 40-bit PA space. */
    g_assert_cmphex(feat_reg0("-cpu cortex-a53"), ==,
                    (FR0_A57 & ~0xffULL) | 40 | FR0_PMU(6));
    /* A feat-reg property still wins over the CPU. */
    g_assert_cmphex(feat_reg0("-global rmm-emu.feat-reg0=0x104030"), ==,
                    0x104030);
}

/* The first SRO handle is 0 by default, generation-tagged on request. */
static uint64_t first_handle(const char *extra)
{
    uint64_t h;

    g_assert_cmphex(call_once(extra, RMI_FID_RMM_ACTIVATE, 2, 0, &h), ==,
                    RMI_INCOMPLETE_X0(RMI_OP_MEM_REQ_DONATE, 1));
    return h;
}

static void test_sro_handle_formats(void)
{
    const char *donate = "-global rmm-emu.activate-donate-req=0x20008";
    g_autofree char *tagged = g_strdup_printf(
        "%s -global rmm-emu.sro-handle-tagged=on", donate);

    g_assert_cmphex(first_handle(donate), ==, 0);
    g_assert_cmphex(first_handle(tagged), ==, 1ULL << 16);
}

/*
 * A platform reset resets the RMM: delegated granules back to Non-secure,
 * no operation in flight, RMM_STATE_INIT, so activation works again.
 */
static void test_reset(void)
{
    unsigned yields;
    Rmi r;

    rmi_start(&r, "-global rmm-emu.delegate-yield-every=4");
    activate(&r);
    g_assert_cmphex(range_op(&r, RMI_FID_GRANULE_RANGE_DELEGATE, DELEGATE_BASE,
                             DELEGATE_BASE + 16 * GRANULE, &yields), ==,
                    RMI_SUCCESS);
    /* Leave a second delegation half done, its operation open. */
    g_assert_cmphex(rmi_call(&r, RMI_FID_GRANULE_RANGE_DELEGATE, 2,
                             DELEGATE_BASE + 32 * GRANULE,
                             DELEGATE_BASE + 64 * GRANULE, 0, 0), ==,
                    RMI_INCOMPLETE_X0(RMI_OP_MEM_REQ_NONE, 0));
    g_assert_cmphex(qom_u64(&r, "stat-delegated"), ==, 20);
    g_assert_cmphex(qom_u64(&r, "stat-sro-live"), ==, 1);
    g_assert_cmphex(qom_u64(&r, "stat-rmm-state"), ==, 2);

    qtest_system_reset(r.qts);
    g_assert_cmphex(qom_u64(&r, "stat-delegated"), ==, 0);
    g_assert_cmphex(qom_u64(&r, "stat-sro-live"), ==, 0);
    g_assert_cmphex(qom_u64(&r, "stat-rmm-state"), ==, 0);
    g_assert_cmphex(qom_u64(&r, "stat-calls"), ==, 0);
    assert_consistent(&r);
    /* The properties survive: activation and delegation as at boot. */
    activate(&r);
    g_assert_cmphex(range_op(&r, RMI_FID_GRANULE_RANGE_DELEGATE, DELEGATE_BASE,
                             DELEGATE_BASE + 16 * GRANULE, &yields), ==,
                    RMI_SUCCESS);
    g_assert_cmpuint(yields, ==, 3);
    g_assert_cmphex(qom_u64(&r, "stat-delegated"), ==, 16);
    assert_consistent(&r);
    qtest_quit(r.qts);
}

/* Snapshots and migration would lose the RMM's state: both refuse. */
static void test_migration_blocked(void)
{
    g_autofree char *uri = g_strdup_printf("file:%s/rmm-emu-mig-XXXXXX",
                                           g_get_tmp_dir());
    g_autofree char *hmp = NULL;
    QDict *resp;
    const char *desc;
    Rmi r;

    rmi_start(&r, NULL);
    resp = qtest_qmp(r.qts, "{ 'execute': 'migrate', 'arguments': "
                     "{ 'uri': %s } }", uri);
    g_assert_true(qdict_haskey(resp, "error"));
    desc = qdict_get_str(qdict_get_qdict(resp, "error"), "desc");
    g_assert_nonnull(strstr(desc, "rmm-emu: the emulated RMM's state"));
    qobject_unref(resp);
    /* savevm checks the same blockers before it looks for a disk. */
    hmp = qtest_hmp(r.qts, "savevm snap0");
    g_assert_nonnull(strstr(hmp, "rmm-emu: the emulated RMM's state"));
    qtest_quit(r.qts);
}

/*
 * The GIC as the EL3 firmware leaves it for the Non-secure world, at
 * power-on and after every reset: all SGIs, PPIs and SPIs in Group 1,
 * affinity routing on (QEMU's GICv3 always routes by affinity).
 */
#define GICD_BASE           0x08000000ULL
#define GICR_BASE           0x080a0000ULL
#define GICR_STRIDE         0x20000ULL
#define GICD_CTLR           0x0000
#define GICD_CTLR_ARE       (1u << 4)
#define GICD_TYPER          0x0004
#define GICD_IGROUPR(n)     (0x0080 + 4 * (n))
#define GICR_IGROUPR0       (0x10000 + 0x0080)

static void assert_gic_ns(QTestState *qts, unsigned cpus)
{
    uint32_t typer = qtest_readl(qts, GICD_BASE + GICD_TYPER);
    unsigned n, lines = (typer & 0x1f) + 1;        /* ITLinesNumber */

    g_assert_true(qtest_readl(qts, GICD_BASE + GICD_CTLR) & GICD_CTLR_ARE);
    for (n = 1; n < lines; n++) {
        g_assert_cmphex(qtest_readl(qts, GICD_BASE + GICD_IGROUPR(n)), ==,
                        0xffffffff);
    }
    for (n = 0; n < cpus; n++) {
        g_assert_cmphex(qtest_readl(qts, GICR_BASE + n * GICR_STRIDE +
                                    GICR_IGROUPR0), ==, 0xffffffff);
    }
}

static void test_gic_nonsecure_groups(void)
{
    QTestState *qts = qtest_init("-machine rme -smp 2");

    assert_gic_ns(qts, 2);
    /* What software changed is undone by a reset, then set up again. */
    qtest_writel(qts, GICD_BASE + GICD_IGROUPR(1), 0);
    qtest_writel(qts, GICR_BASE + GICR_IGROUPR0, 0);
    qtest_system_reset(qts);
    assert_gic_ns(qts, 2);
    qtest_quit(qts);
}

/* RMM_DEACTIVATE exists in the bet3 ABI only. */
static void test_profiles(void)
{
    g_assert_cmphex(call_once(NULL, RMI_FID_RMM_DEACTIVATE, 0, 0, NULL), ==,
                    SMCCC_NOT_SUPPORTED);
    g_assert_cmphex(call_once("-global rmm-emu.profile=2.0-bet3",
                              RMI_FID_RMM_DEACTIVATE, 0, 0, NULL), !=,
                    SMCCC_NOT_SUPPORTED);
}

/* A doorbell value other than 1 makes no call. */
static void test_doorbell_value(void)
{
    Rmi r;

    rmi_start(&r, NULL);
    qtest_writeq(r.qts, RMM_EMU_BASE + RMM_EMU_MB_X(0), RMI_FID_VERSION);
    qtest_writeq(r.qts, RMM_EMU_BASE + RMM_EMU_MB_DOORBELL, 2);
    g_assert_cmphex(qtest_readq(r.qts, RMM_EMU_BASE + RMM_EMU_MB_X(0)), ==,
                    RMI_FID_VERSION);
    g_assert_cmphex(qtest_readq(r.qts, RMM_EMU_BASE + RMM_EMU_MB_CALLS), ==, 0);
    qtest_quit(r.qts);
}

/*
 * A hostile host: random FIDs across both RMI ranges with random
 * arguments, some aimed at RAM and some anywhere.  QEMU must stay up and
 * the model consistent; replay a failure with the printed --seed.
 */
static void test_hostile_calls(void)
{
    static const uint64_t ranges[][2] = {
        { RMM_EMU_FID_RANGE1_LO, RMM_EMU_FID_RANGE1_HI },
        { RMM_EMU_FID_RANGE2_LO, RMM_EMU_FID_RANGE2_HI },
    };
    Rmi r;

    rmi_start(&r, "-global rmm-emu.delegate-yield-every=3");
    activate(&r);
    for (int i = 0; i < 3000; i++) {
        const uint64_t *rg = ranges[g_test_rand_int_range(0, 2)];
        uint64_t fid = rg[0] + g_test_rand_int_range(0, rg[1] - rg[0] + 1);
        uint64_t a[4];

        for (int j = 0; j < 4; j++) {
            switch (g_test_rand_int_range(0, 4)) {
            case 0:     /* a granule of the first 64 MiB of RAM */
                a[j] = RAM_BASE + GRANULE * g_test_rand_int_range(0, 16384);
                break;
            case 1:     /* a small value: index, level, flags, count */
                a[j] = g_test_rand_int_range(0, 8);
                break;
            case 2:     /* an SRO handle or a near-miss */
                a[j] = r.x[1] + g_test_rand_int_range(-1, 2);
                break;
            default:
                a[j] = ((uint64_t)g_test_rand_int() << 32) | g_test_rand_int();
            }
        }
        rmi_call(&r, fid, 17, a[0], a[1], a[2], a[3]);
    }
    assert_consistent(&r);
    qtest_quit(r.qts);
}

/*
 * The fault plan over QMP: read back canonical, refused with the parser's
 * message (the old plan staying), cleared with "", and kept across a reset
 * that restarts it; fault-stats counts what fired and what the host did.
 */
static void test_fault_plan_qmp(void)
{
    g_autofree char *plan = NULL, *err = NULL, *cleared = NULL;
    QDict *stats, *calls;
    Rmi r;

    rmi_start(&r, "-machine fault-plan=busy:cmd=RMM_ACTIVATE:nth=1");
    plan = qom_get_str(r.qts, "/machine/rmm", "fault-plan");
    g_assert_cmpstr(plan, ==, "seed=1; busy:cmd=RMM_ACTIVATE:nth=1");

    write_config(&r, 0, 0);
    g_assert_cmphex(rmi_call(&r, RMI_FID_RMM_CONFIG_SET, 0, CONFIG_PAGE, 0, 0,
                             0), ==, RMI_SUCCESS);
    g_assert_cmphex(rmi_call(&r, RMI_FID_RMM_ACTIVATE, 0, 0, 0, 0, 0), ==,
                    RMI_BUSY);
    g_assert_cmphex(qom_u64(&r, "stat-rmm-state"), ==, 0);
    g_assert_cmphex(rmi_call(&r, RMI_FID_RMM_ACTIVATE, 0, 0, 0, 0, 0), ==,
                    RMI_SUCCESS);
    /* A handle naming nothing is refused and counted. */
    g_assert_cmphex(rmi_call(&r, RMI_FID_OP_CONTINUE, 2, 0x77, 0, 0, 0), ==,
                    RMI_ERROR_INPUT);

    stats = rmm_fault_stats(r.qts);
    g_assert_cmpuint(qdict_get_int(stats, "faults"), ==, 1);
    g_assert_cmpuint(qdict_get_int(qdict_get_qdict(stats, "violations"),
                                   "stale-handle"), ==, 1);
    calls = qdict_get_qdict(qdict_get_qdict(stats, "calls"),
                            "RMI_RMM_ACTIVATE");
    g_assert_cmpuint(qdict_get_int(calls, "BUSY"), ==, 1);
    g_assert_cmpuint(qdict_get_int(calls, "SUCCESS"), ==, 1);
    g_assert_cmpuint(qdict_get_int(qdict_get_qdict(stats, "granules"),
                                   "DELEGATED"), ==, 0);
    g_assert_cmpuint(qdict_get_int(stats, "sro-live"), ==, 0);
    qobject_unref(stats);

    err = qom_set_str(r.qts, "/machine/rmm", "fault-plan", "busy; split:k=0");
    g_assert_nonnull(err);
    g_assert_nonnull(strstr(err, "fault plan: at offset 12 (item 2, "
                                 "'split:k=0'): k must be at least 1"));
    g_free(plan);
    plan = qom_get_str(r.qts, "/machine/rmm", "fault-plan");
    g_assert_cmpstr(plan, ==, "seed=1; busy:cmd=RMM_ACTIVATE:nth=1");

    /* A reset keeps the plan and restarts it: the first activation again. */
    qtest_system_reset(r.qts);
    stats = rmm_fault_stats(r.qts);
    g_assert_cmpuint(qdict_get_int(stats, "faults"), ==, 0);
    g_assert_cmpuint(rmm_violations(stats), ==, 0);
    qobject_unref(stats);
    g_assert_cmphex(rmi_call(&r, RMI_FID_RMM_CONFIG_SET, 0, CONFIG_PAGE, 0, 0,
                             0), ==, RMI_SUCCESS);
    g_assert_cmphex(rmi_call(&r, RMI_FID_RMM_ACTIVATE, 0, 0, 0, 0, 0), ==,
                    RMI_BUSY);

    g_assert_null(qom_set_str(r.qts, "/machine/rmm", "fault-plan", ""));
    cleared = qom_get_str(r.qts, "/machine/rmm", "fault-plan");
    g_assert_cmpstr(cleared, ==, "");
    g_assert_cmphex(rmi_call(&r, RMI_FID_RMM_ACTIVATE, 0, 0, 0, 0, 0), ==,
                    RMI_SUCCESS);
    assert_consistent(&r);
    qtest_quit(r.qts);
}

/* A plan that does not parse stops QEMU at start with the parser's word. */
static void test_fault_plan_bad_option(void)
{
    const char *qemu = g_getenv("QTEST_QEMU_BINARY");
    g_autofree char *out = NULL, *errout = NULL;
    g_autoptr(GError) error = NULL;
    const char *argv[] = {
        qemu, "-machine", "rme,fault-plan=busy:cmd=NOPE", "-display", "none",
        "-accel", "qtest", "-qtest", "null", NULL,
    };
    int status;

    g_assert_nonnull(qemu);
    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, 0, NULL, NULL,
                               &out, &errout, &status, &error));
    /* QEMU pins glib 2.66, before g_spawn_check_wait_status(). */
    g_assert_true(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), !=, 0);
    g_assert_nonnull(strstr(errout, "fault plan: at offset 5 (item 1, "
                                    "'busy:cmd=NOPE'): cmd=NOPE: no such RMI "
                                    "command"));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("rmm-emu/mailbox", test_mailbox_id);
    qtest_add_func("rmm-emu/version", test_version);
    qtest_add_func("rmm-emu/unknown-fid", test_unknown_fid);
    qtest_add_func("rmm-emu/activate-with-donation",
                   test_activate_with_donation);
    qtest_add_func("rmm-emu/delegate/yields", test_delegate_yields);
    qtest_add_func("rmm-emu/state", test_state);
    qtest_add_func("rmm-emu/gpt/census", test_gpt_census);
    qtest_add_func("rmm-emu/delegate/needs-active",
                   test_delegate_needs_active);
    qtest_add_func("rmm-emu/delegate/outside-dram",
                   test_delegate_outside_dram);

    qtest_add_func("rmm-emu/features-property", test_features_property);
    qtest_add_func("rmm-emu/features-follow-cpu", test_features_follow_cpu);
    qtest_add_func("rmm-emu/sro-handle-formats", test_sro_handle_formats);
    qtest_add_func("rmm-emu/reset", test_reset);
    qtest_add_func("rmm-emu/migration-blocked", test_migration_blocked);
    qtest_add_func("rmm-emu/gic-nonsecure-groups",
                   test_gic_nonsecure_groups);
    qtest_add_func("rmm-emu/profiles", test_profiles);
    qtest_add_func("rmm-emu/doorbell-value", test_doorbell_value);
    qtest_add_func("rmm-emu/hostile-calls", test_hostile_calls);
    qtest_add_func("rmm-emu/fault-plan/qmp", test_fault_plan_qmp);
    qtest_add_func("rmm-emu/fault-plan/bad-option",
                   test_fault_plan_bad_option);

    return g_test_run();
}
