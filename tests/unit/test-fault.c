/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fault plans: the language (every parse error names its offset and what
 * was expected), each action firing exactly as docs/fault-plans.rst says
 * on the calls its rule selects, the statistics, the host violations,
 * and reproducibility from the seed.
 */
#include <inttypes.h>

#include "realm-test.h"

#define DLG             (MEM_BASE + 0x2000000)  /* a range to delegate */
#define TRK_REGION      0x40000000ULL           /* the 1GB region of DRAM */

static void set_plan(Fx *f, const char *text)
{
    g_autofree char *err = NULL;
    RmmFaultPlan *plan = rmm_fault_plan_parse(text, &err);

    g_assert_null(err);
    g_assert_nonnull(plan);
    rmm_core_set_fault_plan(f->rmm, plan);
}

static void setup_plan(Fx *f, const char *text)
{
    fx_setup_active(f);
    set_plan(f, text);
}

/* ---- The language ---- */

typedef struct BadPlan {
    const char *text;
    const char *want;               /* in the message, after the offset */
} BadPlan;

static const BadPlan bad_plans[] = {
    { "bogus", "at offset 0 (item 1, 'bogus'): 'bogus' is not an action" },
    { "busy:cmd=NOPE", "at offset 5 (item 1, 'busy:cmd=NOPE'): cmd=NOPE: "
      "no such RMI command" },
    { "busy:cmd=VERSION", "busy does not apply to RMI_VERSION" },
    { "split:cmd=REC_ENTER", "split does not apply to RMI_REC_ENTER" },
    { "busy; split:k=0", "at offset 12 (item 2, 'split:k=0'): k must be at "
      "least 1" },
    { "busy:p=2", "p wants a probability from 0 to 1, not '2'" },
    { "busy:foo=1", "busy takes no key 'foo': expected one of cmd, class" },
    { "busy:cmd", "expected key=value after ':', not 'cmd'" },
    { "seed=1; seed=2", "at offset 13 (item 2, 'seed=2'): a plan has one "
      "seed" },
    { "seed=x", "seed wants a number" },
    { "yield:cmd=GRANULE_RANGE_DELEGATE", "yield needs granules=N" },
    { "donate:cmd=REC_CREATE:keep=1", "donate:keep=1 needs "
      "cmd=RMM_ACTIVATE or cmd=REALM_CREATE" },
    { "donate:req=0x104:size=l2", "either req= or size/count/contig/state" },
    { "donate:size=l0", "size=l0: expected l3, l2, l1 or random" },
    { "donate:count=16384", "does not fit RmiOpMemDonateReq.count" },
    { "busy:addr=0x2000-0x1000", "is empty" },
    { "busy:addr=0x2000", "addr wants a range A-B" },
    /* Found by fuzz-parsers: an empty range, a bad number's message. */
    { "busy:addr=", "addr wants a range A-B (top exclusive), not ''" },
    { "donate:contig=x", "contig wants a number (decimal or 0x...), not "
      "'x'" },
    { "donate:cmd=RMM_ACTIVATE:keep=2x", "keep wants a number" },
    { "exit:kind=host-call:imm=1x", "imm wants a number" },
    { "exit:kind=psci", "kind=psci: expected irq, wfi, wfe, host-call" },
    { "exit:kind=irq:imm=3", "imm= goes with kind=host-call only" },
    { "busy:class=sro:cmd=VERSION", "cmd=RMI_VERSION is not in class=sro" },
    { "split:class=range:cmd=REC_CREATE", "cmd=RMI_REC_CREATE is not in "
      "class=range" },
    { "cancellable:class=range", "cancellable applies to no command of "
      "class=range" },
    { "overcount:cmd=OP_MEM_RECLAIM", "overcount does not apply" },
};

static void test_parse_errors(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(bad_plans); i++) {
        g_autofree char *err = NULL;

        g_assert_null(rmm_fault_plan_parse(bad_plans[i].text, &err));
        g_assert_nonnull(err);
        if (!strstr(err, bad_plans[i].want)) {
            g_error("plan '%s': got \"%s\", want \"%s\"", bad_plans[i].text,
                    err, bad_plans[i].want);
        }
        g_assert_true(g_str_has_prefix(err, "fault plan: at offset "));
    }
}

static void test_parse_canonical(void)
{
    static const char *const in_out[][2] = {
        { "", "seed=1" },
        { " ; ;", "seed=1" },
        { "  busy:cmd=REC_CREATE ;; seed=7 ;",
          "seed=7; busy:cmd=REC_CREATE" },
        { "split:class=sro:k=2:p=0.5;donate:size=random:count=3",
          "seed=1; split:class=sro:k=2:p=0.5; donate:size=random:count=3" },
        { "busy:cmd=rmi_granule_range_delegate",
          "seed=1; busy:cmd=rmi_granule_range_delegate" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(in_out); i++) {
        g_autofree char *err = NULL;
        RmmFaultPlan *p = rmm_fault_plan_parse(in_out[i][0], &err);
        g_autofree char *s = NULL;

        g_assert_null(err);
        s = rmm_fault_plan_to_string(p);
        g_assert_cmpstr(s, ==, in_out[i][1]);
        rmm_fault_plan_free(p);
    }
}

static void test_shorthand(void)
{
    RmmConfig cfg;
    g_autofree char *none = NULL, *all = NULL;

    rmm_config_init(&cfg);
    none = rmm_config_fault_rules(&cfg);
    g_assert_cmpstr(none, ==, "");
    cfg.delegate_yield_every = 3;
    cfg.map_yield_every = 2;
    cfg.donate_consume_limit = 5;
    cfg.activate_donate_req = 0x20004;
    cfg.activate_cannot_cancel = true;
    cfg.rec_create_can_cancel = true;
    cfg.realm_create_donate_req = 0x10008;
    all = rmm_config_fault_rules(&cfg);
    g_assert_cmpstr(all, ==,
        "yield:cmd=GRANULE_RANGE_DELEGATE:granules=3; "
        "yield:cmd=GRANULE_RANGE_UNDELEGATE:granules=3; "
        "yield:cmd=RTT_DATA_MAP:granules=2; "
        "yield:cmd=RTT_DATA_UNMAP:granules=2; "
        "yield:cmd=RTT_UNPROT_MAP:granules=2; "
        "yield:cmd=RTT_UNPROT_UNMAP:granules=2; "
        "consume:max=5; "
        "donate:cmd=RMM_ACTIVATE:req=0x20004:keep=1; "
        "nocancel:cmd=RMM_ACTIVATE; "
        "cancellable:cmd=REC_CREATE; "
        "donate:cmd=REALM_CREATE:req=0x10008:keep=1");
    /* ... and every one of them is a valid plan. */
    rmm_fault_plan_free(rmm_fault_plan_parse(all, NULL));
}

/* ---- Legal actions ---- */

static const RmmAbiEntry *abi_of(uint64_t fid)
{
    return rmm_abi_lookup(fid);
}

static RmiRegs delegate(Fx *f, uint64_t base, uint64_t top)
{
    return fx_call(f, RMI_FID_GRANULE_RANGE_DELEGATE, XR(1), 2, base, top);
}

static void test_busy_nth(void)
{
    Fx f;
    RmmCensus before;
    RmiRegs r;

    setup_plan(&f, "busy:cmd=GRANULE_RANGE_DELEGATE:nth=2");
    fx_expect(delegate(&f, DLG, DLG + GRAN), RMI_SUCCESS, DLG + GRAN,
              DLG + GRAN);
    before = fx_census(&f);
    /* BUSY changes nothing, X1 included. */
    r = fx_call(&f, RMI_FID_GRANULE_RANGE_DELEGATE, NO_OUT, 2, DLG + GRAN,
                DLG + 2 * GRAN);
    g_assert_cmphex(r.x[0], ==, RMI_BUSY);
    g_assert_cmpuint(fx_census(&f).granules[RMM_GRANULE_DELEGATED], ==,
                     before.granules[RMM_GRANULE_DELEGATED]);
    fx_expect(delegate(&f, DLG + GRAN, DLG + 2 * GRAN), RMI_SUCCESS,
              DLG + 2 * GRAN, DLG + 2 * GRAN);
    g_assert_cmpuint(fx_census(&f).faults, ==, 1);
    fx_stop(&f);
}

static void test_busy_storm(void)
{
    Fx f;
    int i;

    /* A storm: three BUSY in a row, then the command goes through. */
    setup_plan(&f, "busy:cmd=GRANULE_RANGE_DELEGATE:nth=1:n=3");
    for (i = 0; i < 3; i++) {
        g_assert_cmphex(fx_call(&f, RMI_FID_GRANULE_RANGE_DELEGATE, NO_OUT,
                                2, DLG, DLG + GRAN).x[0], ==, RMI_BUSY);
    }
    fx_expect(delegate(&f, DLG, DLG + GRAN), RMI_SUCCESS, DLG + GRAN,
              DLG + GRAN);
    g_assert_cmpuint(rmm_core_calls_by_status(f.rmm,
                         abi_of(RMI_FID_GRANULE_RANGE_DELEGATE), RMI_BUSY),
                     ==, 3);
    g_assert_cmpuint(rmm_core_calls_by_status(f.rmm,
                         abi_of(RMI_FID_GRANULE_RANGE_DELEGATE),
                         RMI_SUCCESS), ==, 1);
    g_assert_cmpuint(fx_census(&f).faults, ==, 3);
    fx_stop(&f);
}

static void test_blocked_every(void)
{
    Fx f;
    int i, blocked = 0;

    /* every=2: the 2nd, 4th and 6th matching calls; after=1 shifts it. */
    setup_plan(&f, "blocked:cmd=GRANULE_RANGE_DELEGATE:every=2:after=1");
    for (i = 0; i < 6; i++) {
        uint64_t base = DLG + i * GRAN;
        uint64_t x0 = fx_call(&f, RMI_FID_GRANULE_RANGE_DELEGATE, XR(1), 2,
                              base, base + GRAN).x[0];

        g_assert_cmphex(x0, ==, i == 2 || i == 4 ? RMI_BLOCKED
                                                 : RMI_SUCCESS);
        blocked += x0 == RMI_BLOCKED;
    }
    g_assert_cmpint(blocked, ==, 2);
    fx_stop(&f);
}

static void test_exhaust(void)
{
    Fx f;

    fx_config(&f);
    f.cfg.gpt_host_l1 = true;
    fx_start_active(&f);
    set_plan(&f, "exhaust:cmd=GPT_L1_CREATE:times=1");
    /* unfold_denied, once: nothing starts, the entry stays a block. */
    g_assert_cmphex(fx_call(&f, RMI_FID_GPT_L1_CREATE, XR(1) | XR(2), 1,
                            MEM_BASE).x[0], ==, RMI_ERROR_GLOBAL);
    g_assert_cmpint(rmm_core_gpt_l0_state(f.rmm, MEM_BASE), ==,
                    RMM_GPT_L0_BLOCK);
    g_assert_cmpuint(fx_census(&f).sro_live, ==, 0);
    g_assert_cmphex(fx_call(&f, RMI_FID_GPT_L1_CREATE, XR(1) | XR(2), 1,
                            MEM_BASE).x[0], ==, X0_DONATE_C);
    fx_stop(&f);
}

static void test_split_immediate(void)
{
    Fx f;
    RmiRegs r;
    uint64_t h;
    int i;

    setup_plan(&f, "split:cmd=GRANULE_RANGE_DELEGATE:k=3");
    r = fx_call(&f, RMI_FID_GRANULE_RANGE_DELEGATE, XR(1), 2, DLG,
                DLG + 4 * GRAN);
    fx_expect(r, X0_NONE, 0, DLG + 4 * GRAN);
    h = r.x[1];
    for (i = 0; i < 2; i++) {
        fx_expect(fx_continue(&f, h), X0_NONE, h, 0);
    }
    /* The last step hands over the command's own result. */
    fx_expect(fx_continue(&f, h), RMI_SUCCESS, DLG + 4 * GRAN, 0);
    fx_assert_state(&f, DLG, DLG + 4 * GRAN, RMM_GRANULE_DELEGATED);
    g_assert_cmpuint(fx_census(&f).sro_live, ==, 0);
    fx_stop(&f);
}

static void test_split_operation(void)
{
    Fx f;
    RmiRegs r;
    unsigned answers = 1;
    uint64_t h;

    /* An operation of its own (yield every granule) gets 2 more steps. */
    setup_plan(&f, "yield:cmd=GRANULE_RANGE_DELEGATE:granules=1; "
               "split:cmd=GRANULE_RANGE_DELEGATE:k=2");
    r = fx_call(&f, RMI_FID_GRANULE_RANGE_DELEGATE, XR(1) | XR(2), 2, DLG,
                DLG + 3 * GRAN);
    g_assert_cmphex(r.x[0], ==, X0_NONE);
    h = r.x[1];
    while ((r = fx_continue(&f, h)).x[0] == X0_NONE) {
        answers++;
    }
    fx_expect(r, RMI_SUCCESS, DLG + 3 * GRAN, 0);
    /* 3 granules, one per step: 2 INCOMPLETE of its own, 2 the plan's. */
    g_assert_cmpuint(answers, ==, 4);
    fx_stop(&f);
}

/*
 * GRANULE_TRACKING_SET to the state a region already has completes at
 * once: with 'donate' it first asks for memory and hands it back.
 */
static RmiRegs tracking_same(Fx *f)
{
    return fx_call(f, RMI_FID_GRANULE_TRACKING_SET, XR(1) | XR(2), 3,
                   TRK_REGION, RMI_MEM_CATEGORY_CONVENTIONAL,
                   RMI_TRACKING_FINE);
}

static void test_donate_detour(void)
{
    Fx f;
    RmiRegs r;
    uint64_t req = RMI_DONATE_REQ(RMI_PAGE_L3, 2, RMI_OP_MEM_NON_CONTIG, UND);
    uint64_t h;

    setup_plan(&f, "donate:cmd=GRANULE_TRACKING_SET:size=l3:count=2:"
               "contig=0:state=undelegated");
    r = tracking_same(&f);
    fx_expect(r, X0_DONATE, 0, req);
    h = r.x[1];
    fx_put_singles(&f, LIST_PA, POOL_PA, GRAN, 2, UND);
    fx_expect(fx_donate(&f, h, LIST_PA, 2), X0_RECLAIM, 2, 0);
    fx_assert_state(&f, POOL_PA, POOL_PA + 2 * GRAN, RMM_GRANULE_INTERNAL);
    /* Both granules come straight back, undelegated as they were. */
    fx_expect(fx_reclaim(&f, h, LIST_PA, 512), X0_NONE, 2, LIST_PA);
    fx_assert_state(&f, POOL_PA, POOL_PA + 2 * GRAN,
                    RMM_GRANULE_UNDELEGATED);
    fx_expect(fx_continue(&f, h), RMI_SUCCESS, h, 0);
    g_assert_cmpuint(fx_census(&f).sro_live, ==, 0);
    fx_stop(&f);
}

/*
 * A detour on an operation that starts by handing memory back: the
 * detour's reclaim returns the queued memory too, and the operation ends
 * as soon as nothing is left to hand back.
 */
static void test_donate_detour_before_reclaim(void)
{
    Fx f;
    RmiRegs r;
    uint64_t h;

    fx_config(&f);
    f.cfg.gpt_host_l1 = true;
    fx_start_active(&f);
    /* An L1GPT for the first 1GB block: 32 contiguous granules. */
    r = fx_call(&f, RMI_FID_GPT_L1_CREATE, XR(1) | XR(2), 1, MEM_BASE);
    h = r.x[1];
    fx_put_desc(&f, LIST_PA, POOL_PA, 32, UND);
    fx_expect(fx_donate(&f, h, LIST_PA, 1), X0_NONE_C, 32, 0);
    fx_release(&f, h);

    set_plan(&f, "donate:cmd=GPT_L1_DESTROY:count=1");
    r = fx_call(&f, RMI_FID_GPT_L1_DESTROY, XR(1) | XR(2), 1, MEM_BASE);
    g_assert_cmphex(r.x[0], ==, X0_DONATE);
    h = r.x[1];
    fx_put_singles(&f, LIST_PA, POOL_PA + 64 * GRAN, GRAN, 1, UND);
    fx_expect(fx_donate(&f, h, LIST_PA, 1), X0_RECLAIM, 1, 0);
    /* The L1GPT and the detour's granule, in one list. */
    fx_expect(fx_reclaim(&f, h, LIST_PA, 512), X0_NONE, 2, LIST_PA);
    fx_assert_state(&f, POOL_PA, POOL_PA + 32 * GRAN,
                    RMM_GRANULE_UNDELEGATED);
    fx_expect(fx_continue(&f, h), RMI_SUCCESS, h, 0);
    g_assert_cmpint(rmm_core_gpt_l0_state(f.rmm, MEM_BASE), ==,
                    RMM_GPT_L0_BLOCK);
    fx_stop(&f);
}

static void test_consume_and_reclaim_pieces(void)
{
    Fx f;
    RmiRegs r;
    uint64_t h, got = 0;
    int steps = 0;

    setup_plan(&f, "donate:cmd=GRANULE_TRACKING_SET:count=4:state=delegated;"
               " consume:max=1; reclaim:max=1");
    fx_delegate(&f, DLG, DLG + 4 * GRAN);
    r = tracking_same(&f);
    g_assert_cmphex(r.x[0], ==, X0_DONATE);
    h = r.x[1];
    /* One granule taken per DONATE, whatever is offered. */
    while (got < 4) {
        fx_put_singles(&f, LIST_PA, DLG + got * GRAN, GRAN, 4 - got, DEL);
        r = fx_donate(&f, h, LIST_PA, 4 - got);
        g_assert_cmpuint(r.x[1], ==, 1);
        got++;
        g_assert_cmphex(r.x[0], ==, got < 4 ? X0_DONATE : X0_RECLAIM);
    }
    /* One range per RECLAIM, whatever the list could hold. */
    do {
        r = fx_reclaim(&f, h, LIST_PA, 512);
        g_assert_cmpuint(r.x[1], ==, 1);
        steps++;
    } while (r.x[0] == X0_RECLAIM);
    g_assert_cmpint(steps, ==, 4);
    g_assert_cmphex(r.x[0], ==, X0_NONE);
    fx_assert_state(&f, DLG, DLG + 4 * GRAN, RMM_GRANULE_DELEGATED);
    fx_expect(fx_continue(&f, h), RMI_SUCCESS, h, 0);
    fx_stop(&f);
}

static void test_nocancel(void)
{
    Fx f;
    RmiRegs r;
    uint64_t h;
    RmmCensus c;

    fx_config(&f);
    f.cfg.activate_donate_req = RMI_DONATE_REQ(RMI_PAGE_L3, 1,
                                               RMI_OP_MEM_NON_CONTIG, UND);
    fx_start(&f);
    set_plan(&f, "nocancel:cmd=RMM_ACTIVATE");
    r = fx_call(&f, RMI_FID_RMM_ACTIVATE, XR(1) | XR(2), 0);
    /* CAN_CANCEL is gone from the answer, and OP_CANCEL is refused. */
    g_assert_cmphex(r.x[0], ==, X0_DONATE);
    h = r.x[1];
    g_assert_cmphex(fx_cancel(&f, h).x[0], ==, RMI_ERROR_INPUT);
    c = fx_census(&f);
    g_assert_cmpuint(c.violations[RMM_VIOLATION_WRONG_STEP], ==, 1);
    fx_put_singles(&f, LIST_PA, POOL_PA, GRAN, 1, UND);
    fx_expect(fx_donate(&f, h, LIST_PA, 1), X0_NONE, 1, 0);
    fx_release(&f, h);
    fx_stop(&f);
}

static void test_stop(void)
{
    Fx f;

    setup_plan(&f, "stop:cmd=GRANULE_RANGE_DELEGATE:n=2:nth=1");
    fx_expect(delegate(&f, DLG, DLG + 8 * GRAN), RMI_SUCCESS, DLG + 2 * GRAN,
              DLG + 8 * GRAN);
    fx_expect(delegate(&f, DLG + 2 * GRAN, DLG + 8 * GRAN), RMI_SUCCESS,
              DLG + 8 * GRAN, DLG + 8 * GRAN);
    fx_stop(&f);
}

static void test_p_and_seed(void)
{
    GArray *runs[3];
    const char *plans[] = {
        "seed=42; busy:cmd=GRANULE_RANGE_DELEGATE:p=0.3",
        "seed=42; busy:cmd=GRANULE_RANGE_DELEGATE:p=0.3",
        "seed=43; busy:cmd=GRANULE_RANGE_DELEGATE:p=0.3",
    };

    for (int k = 0; k < 3; k++) {
        Fx f;

        runs[k] = g_array_new(FALSE, FALSE, sizeof(uint64_t));
        setup_plan(&f, plans[k]);
        for (int i = 0; i < 64; i++) {
            uint64_t base = DLG + i * GRAN;
            uint64_t x0 = fx_call(&f, RMI_FID_GRANULE_RANGE_DELEGATE, XR(1),
                                  2, base, base + GRAN).x[0];

            g_array_append_val(runs[k], x0);
        }
        fx_stop(&f);
    }
    g_assert_cmpmem(runs[0]->data, 64 * 8, runs[1]->data, 64 * 8);
    g_assert_true(memcmp(runs[0]->data, runs[2]->data, 64 * 8));
    for (int k = 0; k < 3; k++) {
        g_array_free(runs[k], TRUE);
    }
}

/* addr= selects by the granule a call names; class= by the command. */
static void test_select_addr_class(void)
{
    Fx f;

    setup_plan(&f, "busy:class=range:addr=0x42004000-0x42005000; "
               "blocked:class=memxfer:nth=1");
    /* [DLG, DLG + 4G) misses the rule's range; [DLG + 4G, +8G) meets it. */
    g_assert_cmphex(delegate(&f, DLG, DLG + 4 * GRAN).x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(fx_call(&f, RMI_FID_GRANULE_RANGE_DELEGATE, NO_OUT, 2,
                            DLG + 4 * GRAN, DLG + 8 * GRAN).x[0], ==,
                    RMI_BUSY);
    g_assert_cmphex(fx_call(&f, RMI_FID_GRANULE_RANGE_UNDELEGATE, NO_OUT, 2,
                            DLG + 2 * GRAN, DLG + 6 * GRAN).x[0], ==,
                    RMI_BUSY);
    /* The memxfer rule: GRANULE_TRACKING_SET, not the range commands. */
    g_assert_cmphex(tracking_same(&f).x[0], ==, RMI_BLOCKED);
    g_assert_cmphex(tracking_same(&f).x[0], ==, RMI_SUCCESS);
    fx_stop(&f);
}

/* realm= selects the calls that name that realm (rec=: test_exit()). */
static void test_select_realm(void)
{
    Fx f;
    RtRealm t, t2;
    g_autofree char *plan = NULL;

    fx_config(&f);
    f.cfg.rec_aux_count = 0;
    rt_start(&f, &t);
    rt_realm_second(&t2);
    rt_realm_create(&f, &t2);
    plan = g_strdup_printf("blocked:cmd=RTT_CREATE:realm=0x%" PRIx64,
                           (uint64_t)RT_RD2);
    set_plan(&f, plan);
    /* The first realm's RTT_CREATE goes through, the second's does not. */
    rt_rtt_add(&f, RT_RD, 0, 2);
    fx_delegate(&f, RT_RTT_POOL + 64 * GRAN, RT_RTT_POOL + 65 * GRAN);
    g_assert_cmphex(fx_call(&f, RMI_FID_RTT_CREATE, XR(1) | XR(2), 4, RT_RD2,
                            RT_RTT_POOL + 64 * GRAN, 0ULL, 2ULL).x[0], ==,
                    RMI_BLOCKED);
    fx_stop(&f);
}

#define RUN_PA          (MEM_BASE + 0x5000)     /* NS: RmiRecRun */
#define REC_GRAN        (RT_DATA_POOL + 0x800000)

static uint64_t enter_reason(Fx *f, uint64_t *imm)
{
    fx_write64(f, RUN_PA + RMI_REC_ENTER_FLAGS, 0);
    g_assert_cmphex(fx_call(f, RMI_FID_REC_ENTER, NO_OUT, 2, REC_GRAN,
                            RUN_PA).x[0], ==, RMI_SUCCESS);
    *imm = fx_read64(f, RUN_PA + RMI_REC_EXIT + RMI_REC_EXIT_IMM);
    return fx_read64(f, RUN_PA + RMI_REC_EXIT + RMI_REC_EXIT_REASON);
}

/* Extra exits come before the script's next step, which then goes on. */
static void test_exit(void)
{
    Fx f;
    RtRealm t;
    uint64_t imm;
    g_autofree char *plan = NULL;

    fx_config(&f);
    f.cfg.rec_aux_count = 0;
    rt_start(&f, &t);
    rt_rec_create(&f, RT_RD, REC_GRAN, 0);
    g_assert_cmphex(fx_call(&f, RMI_FID_REALM_ACTIVATE, NO_OUT, 1,
                            RT_RD).x[0], ==, RMI_SUCCESS);
    plan = g_strdup_printf("exit:kind=wfe:rec=0x1000; "
                           "exit:kind=irq:nth=1:rec=0x%" PRIx64 "; "
                           "exit:kind=host-call:imm=7:nth=2",
                           (uint64_t)REC_GRAN);
    /* The first rule names another REC: it never fires. */
    set_plan(&f, plan);
    g_assert_cmpuint(enter_reason(&f, &imm), ==, RMI_EXIT_IRQ);
    g_assert_cmpuint(enter_reason(&f, &imm), ==, RMI_EXIT_HOST_CALL);
    g_assert_cmpuint(imm, ==, 7);
    /* The default script's first step: a host call with imm 0. */
    g_assert_cmpuint(enter_reason(&f, &imm), ==, RMI_EXIT_HOST_CALL);
    g_assert_cmpuint(imm, ==, 0);
    /* ... and its second: an emulatable MMIO write. */
    g_assert_cmpuint(enter_reason(&f, &imm), ==, RMI_EXIT_SYNC);
    g_assert_cmpuint(fx_census(&f).faults, ==, 2);
    fx_stop(&f);
}

/* ---- Hostile actions ---- */

/* A raw call: hostile answers break fx_call()'s register discipline. */
static void raw(Fx *f, uint64_t x[RMM_NR_REGS])
{
    g_autofree char *err = NULL;

    rmm_core_call(f->rmm, x);
    /* Whatever the host was told, the model itself is consistent. */
    if (!rmm_core_check(f->rmm, &err)) {
        g_error("%s", err);
    }
}

static void test_hostile_registers(void)
{
    Fx f;
    uint64_t x[RMM_NR_REGS] = { 0 };
    int i;

    setup_plan(&f, "reserved:cmd=VERSION; garbage:cmd=FEATURES; "
               "incomplete:cmd=RMM_STATE_GET");
    x[0] = RMI_FID_VERSION;
    x[1] = RMI_VERSION_MAKE(2, 0);
    raw(&f, x);
    g_assert_cmphex(x[0], ==, 0xa5ULL << 56);
    memset(x, 0, sizeof(x));
    x[0] = RMI_FID_FEATURES;
    raw(&f, x);
    g_assert_cmphex(x[0], ==, RMI_SUCCESS);
    for (i = 2; i < RMM_NR_REGS; i++) {
        g_assert_cmphex(x[i] >> 32, ==, 0xdeadbeef);
    }
    memset(x, 0, sizeof(x));
    x[0] = RMI_FID_RMM_STATE_GET;
    raw(&f, x);
    g_assert_cmphex(x[0], ==, X0_NONE_C);
    fx_stop(&f);
}

static void test_hostile_memory(void)
{
    Fx f;
    uint64_t x[RMM_NR_REGS] = { 0 };
    uint64_t h;

    setup_plan(&f, "donate:cmd=GRANULE_TRACKING_SET:count=2; "
               "donate-zero:cmd=GRANULE_TRACKING_SET:nth=1; "
               "donate-bad:cmd=GRANULE_TRACKING_SET:nth=2; "
               "bad-handle:cmd=GRANULE_TRACKING_SET:nth=2; "
               "overcount:by=3; overflow:by=1");
    x[0] = RMI_FID_GRANULE_TRACKING_SET;
    x[1] = TRK_REGION;
    x[2] = RMI_MEM_CATEGORY_CONVENTIONAL;
    x[3] = RMI_TRACKING_FINE;
    raw(&f, x);
    g_assert_cmphex(x[0], ==, X0_DONATE);
    g_assert_cmpuint(RMI_DONATE_COUNT(x[2]), ==, 0);        /* donate-zero */
    h = x[1];

    /* The real request was for 2: offer 2, hear about 5. */
    fx_put_singles(&f, LIST_PA, POOL_PA, GRAN, 2, UND);
    memset(x, 0, sizeof(x));
    x[0] = RMI_FID_OP_MEM_DONATE;
    x[1] = h;
    x[2] = LIST_PA;
    x[3] = 2;
    raw(&f, x);
    g_assert_cmphex(x[0], ==, X0_RECLAIM);
    g_assert_cmpuint(x[1], ==, 5);
    fx_assert_state(&f, POOL_PA, POOL_PA + 2 * GRAN, RMM_GRANULE_INTERNAL);

    /* A reclaim count above what any list holds. */
    memset(x, 0, sizeof(x));
    x[0] = RMI_FID_OP_MEM_RECLAIM;
    x[1] = h;
    x[2] = LIST_PA;
    x[3] = 512;
    raw(&f, x);
    g_assert_cmpuint(x[1], ==, RMI_ADDR_LIST_MAX + 1);
    fx_assert_state(&f, POOL_PA, POOL_PA + 2 * GRAN,
                    RMM_GRANULE_UNDELEGATED);
    fx_expect(fx_continue(&f, h), RMI_SUCCESS, h, 0);

    /* Second start: an impossible shape and a handle naming nothing. */
    memset(x, 0, sizeof(x));
    x[0] = RMI_FID_GRANULE_TRACKING_SET;
    x[1] = TRK_REGION;
    x[2] = RMI_MEM_CATEGORY_CONVENTIONAL;
    x[3] = RMI_TRACKING_FINE;
    raw(&f, x);
    g_assert_cmpuint(RMI_DONATE_SIZE(x[2]), ==, 3);
    g_assert_cmphex(x[2] >> 19, ==, ~0ULL >> 19);
    g_assert_cmphex(x[1], !=, 0);
    g_assert_cmphex(fx_continue(&f, x[1]).x[0], ==, RMI_ERROR_INPUT);
    g_assert_cmpuint(fx_census(&f).violations[RMM_VIOLATION_STALE_HANDLE],
                     ==, 1);
    fx_stop(&f);
}

/* ---- The emulator checks the host ---- */

static void test_violations(void)
{
    Fx f;
    RmmCensus c;
    uint64_t h;
    int i;

    fx_config(&f);
    f.cfg.delegate_yield_every = 1;
    fx_start_active(&f);

    /* A handle that names nothing, and a step the operation did not ask. */
    g_assert_cmphex(fx_continue(&f, 7).x[0], ==, RMI_ERROR_INPUT);
    h = fx_hold(&f, DLG, DLG + 4 * GRAN);
    g_assert_cmphex(fx_reclaim(&f, h, LIST_PA, 1).x[0], ==, RMI_ERROR_INPUT);

    /* Asking for the held range again and again instead of continuing. */
    for (i = 0; i < 300; i++) {
        g_assert_cmphex(fx_call(&f, RMI_FID_GRANULE_RANGE_UNDELEGATE, XR(1),
                                2, DLG, DLG + GRAN).x[0], ==, RMI_BLOCKED);
    }
    c = fx_census(&f);
    g_assert_cmpuint(c.violations[RMM_VIOLATION_STALE_HANDLE], ==, 1);
    g_assert_cmpuint(c.violations[RMM_VIOLATION_WRONG_STEP], ==, 1);
    g_assert_cmpuint(c.violations[RMM_VIOLATION_BLOCKED_SPIN], ==, 1);
    g_assert_cmpuint(c.violations[RMM_VIOLATION_ABANDONED], ==, 0);

    /* Left alone for long enough, the operation counts as abandoned. */
    for (i = 0; i < 4096; i++) {
        fx_call(&f, RMI_FID_VERSION, XR(1) | XR(2), 1,
                RMI_VERSION_MAKE(2, 0));
    }
    g_assert_cmpuint(fx_census(&f).violations[RMM_VIOLATION_ABANDONED], ==,
                     1);
    fx_release(&f, h);
    fx_stop(&f);
}

/*
 * A host that delegates or undelegates memory works for the operations it
 * has open (the memory they asked for, or handed back), however many calls
 * the RMM's yields make that take: no "abandoned" verdict for them.  A
 * range command of its own is driven only by its continues.
 */
static void test_abandoned_while_moving_memory(void)
{
    const uint64_t spare = DLG + 16 * GRAN, mem = DLG + 8 * GRAN;
    Fx f;
    RmiRegs r;
    uint64_t h, range;
    int i;

    fx_config(&f);
    f.cfg.delegate_yield_every = 1;
    fx_start_active(&f);
    set_plan(&f, "donate:cmd=GRANULE_TRACKING_SET:count=2:state=delegated");
    r = tracking_same(&f);
    g_assert_cmphex(RMI_RESULT_STATUS(r.x[0]), ==, RMI_INCOMPLETE);
    g_assert_cmphex(RMI_RESULT_MEM(r.x[0]), ==, RMI_OP_MEM_REQ_DONATE);
    h = r.x[1];
    range = fx_hold(&f, DLG, DLG + 4 * GRAN);

    for (i = 0; i < 2500; i++) {
        g_assert_cmphex(fx_call(&f, RMI_FID_GRANULE_RANGE_DELEGATE,
                                XR(1) | XR(2), 2, spare,
                                spare + GRAN).x[0], ==, RMI_SUCCESS);
        g_assert_cmphex(fx_call(&f, RMI_FID_GRANULE_RANGE_UNDELEGATE,
                                XR(1) | XR(2), 2, spare,
                                spare + GRAN).x[0], ==, RMI_SUCCESS);
    }
    /* The held range, not the operation waiting for memory. */
    g_assert_cmpuint(fx_census(&f).violations[RMM_VIOLATION_ABANDONED], ==,
                     1);
    fx_release(&f, range);

    /* Delegation calls refused for their arguments are not work. */
    for (i = 0; i < 4096; i++) {
        g_assert_cmphex(fx_call(&f, RMI_FID_GRANULE_RANGE_DELEGATE,
                                XR(1) | XR(2), 2, spare + 1,
                                spare + GRAN).x[0], ==, RMI_ERROR_INPUT);
    }
    g_assert_cmpuint(fx_census(&f).violations[RMM_VIOLATION_ABANDONED], ==,
                     2);

    /* Served late, the operation still ends as it should. */
    fx_delegate(&f, mem, mem + 2 * GRAN);
    fx_put_singles(&f, LIST_PA, mem, GRAN, 2, DEL);
    fx_expect(fx_donate(&f, h, LIST_PA, 2), X0_RECLAIM, 2, 0);
    fx_expect(fx_reclaim(&f, h, LIST_PA, 512), X0_NONE, 2, LIST_PA);
    fx_expect(fx_continue(&f, h), RMI_SUCCESS, h, 0);
    fx_stop(&f);
}

static void test_donate_violations(void)
{
    Fx f;
    RmiRegs r;
    uint64_t h;

    setup_plan(&f, "donate:cmd=GRANULE_TRACKING_SET:count=2:state=delegated");
    fx_delegate(&f, DLG, DLG + 2 * GRAN);
    r = tracking_same(&f);
    h = r.x[1];
    /* Undelegated memory where delegated was asked for. */
    fx_put_singles(&f, LIST_PA, POOL_PA, GRAN, 1, DEL);
    g_assert_cmphex(fx_donate(&f, h, LIST_PA, 1).x[0], ==, RMI_ERROR_INPUT);
    /* The same granule twice. */
    fx_put_singles(&f, LIST_PA, DLG, 0, 2, DEL);
    g_assert_cmphex(fx_donate(&f, h, LIST_PA, 2).x[0], ==, RMI_ERROR_INPUT);
    /* Three granules for a request of two. */
    fx_put_desc(&f, LIST_PA, DLG, 3, DEL);
    g_assert_cmphex(fx_donate(&f, h, LIST_PA, 1).x[0], ==, RMI_ERROR_INPUT);
    g_assert_cmpuint(fx_census(&f).violations[RMM_VIOLATION_DONATE_STATE],
                     ==, 1);
    g_assert_cmpuint(fx_census(&f).violations[RMM_VIOLATION_DONATE_OVERLAP],
                     ==, 1);
    g_assert_cmpuint(fx_census(&f).violations[RMM_VIOLATION_DONATE_SHAPE],
                     ==, 1);
    /* Done properly, the operation ends as it should. */
    fx_put_singles(&f, LIST_PA, DLG, GRAN, 2, DEL);
    fx_expect(fx_donate(&f, h, LIST_PA, 2), X0_RECLAIM, 2, 0);
    fx_expect(fx_reclaim(&f, h, LIST_PA, 512), X0_NONE, 2, LIST_PA);
    fx_expect(fx_continue(&f, h), RMI_SUCCESS, h, 0);
    fx_stop(&f);
}

/* ---- Hooks and statistics ---- */

typedef struct Fired {
    GString *log;
} Fired;

static void on_fault(void *opaque, uint64_t call, unsigned rule,
                     bool shorthand, const char *text,
                     const RmmAbiEntry *cmd, const char *action)
{
    Fired *fd = opaque;

    g_string_append_printf(fd->log, "%" PRIu64 ":%u%s:%s:%s;", call, rule,
                           shorthand ? "s" : "", cmd->name, action);
}

static void count_rules(void *opaque, unsigned index, const char *rule,
                        uint64_t matched, uint64_t fired)
{
    GString *s = opaque;

    g_string_append_printf(s, "%u %s %" PRIu64 "/%" PRIu64 ";", index, rule,
                           fired, matched);
}

static void test_hook_and_rules(void)
{
    Fx f;
    Fired fd = { g_string_new(NULL) };
    g_autoptr(GString) rules = g_string_new(NULL);
    g_autofree char *plan = NULL;

    fx_config(&f);
    f.cfg.donate_consume_limit = 8;
    fx_start_active(&f);
    set_plan(&f, "busy:cmd=GRANULE_RANGE_DELEGATE:nth=2");
    rmm_core_set_fault_hook(f.rmm, on_fault, &fd);
    delegate(&f, DLG, DLG + GRAN);
    fx_call(&f, RMI_FID_GRANULE_RANGE_DELEGATE, NO_OUT, 2, DLG + GRAN,
            DLG + 2 * GRAN);
    /*
     * Shorthand rules first, then the plan's; the call is numbered (the
     * shorthand rule fired on RMM_ACTIVATE, before the hook was set).
     */
    g_assert_cmpstr(fd.log->str, ==,
                    "4:1:RMI_GRANULE_RANGE_DELEGATE:busy;");
    rmm_core_fault_rules(f.rmm, count_rules, rules);
    g_assert_cmpstr(rules->str, ==, "0 consume:max=8 1/1;"
                    "1 busy:cmd=GRANULE_RANGE_DELEGATE:nth=2 1/2;");
    plan = rmm_core_fault_plan(f.rmm);
    g_assert_cmpstr(plan, ==, "seed=1; busy:cmd=GRANULE_RANGE_DELEGATE:nth=2");
    rmm_core_set_fault_plan(f.rmm, NULL);
    g_assert_null(rmm_core_fault_plan(f.rmm));
    g_string_free(fd.log, TRUE);
    fx_stop(&f);
}

/* A host that delegates one granule at a time, retrying and continuing. */
static void busy_host(Fx *f, GArray *x0s)
{
    for (int i = 0; i < 24; i++) {
        uint64_t base = DLG + i * GRAN;
        RmiRegs r;

        do {
            r = fx_call(f, RMI_FID_GRANULE_RANGE_DELEGATE, XR(1), 2, base,
                        base + GRAN);
            g_array_append_val(x0s, r.x[0]);
        } while (r.x[0] == RMI_BUSY);
        while (r.x[0] == X0_NONE) {
            uint64_t h = r.x[1];

            r = fx_continue(f, h);
            g_array_append_val(x0s, r.x[0]);
        }
        g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    }
}

static void record_replay(void *opaque, uint64_t call, unsigned rule,
                          bool shorthand, const char *text,
                          const RmmAbiEntry *cmd, const char *action)
{
    GString *plan = opaque;

    g_string_append_printf(plan, "%s:call=%" PRIu64 "; ", action, call);
}

static void test_replay(void)
{
    g_autoptr(GArray) first = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    g_autoptr(GArray) again = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    g_autoptr(GString) replay = g_string_new(NULL);
    Fx f;

    /* A random plan, its faults recorded as they fire... */
    setup_plan(&f, "seed=9; busy:class=sro:p=0.3:n=2; "
               "split:cmd=GRANULE_RANGE_DELEGATE:p=0.4:k=2");
    rmm_core_set_fault_hook(f.rmm, record_replay, replay);
    busy_host(&f, first);
    fx_stop(&f);
    g_assert_cmpuint(replay->len, >, 0);

    /* ... replays as a plan of call numbers, to the same answers. */
    setup_plan(&f, replay->str);
    busy_host(&f, again);
    fx_stop(&f);
    g_assert_cmpuint(first->len, ==, again->len);
    g_assert_cmpmem(first->data, first->len * 8, again->data,
                    again->len * 8);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/fault/parse/errors", test_parse_errors);
    g_test_add_func("/fault/parse/canonical", test_parse_canonical);
    g_test_add_func("/fault/shorthand", test_shorthand);
    g_test_add_func("/fault/busy/nth", test_busy_nth);
    g_test_add_func("/fault/busy/storm", test_busy_storm);
    g_test_add_func("/fault/blocked/every", test_blocked_every);
    g_test_add_func("/fault/exhaust", test_exhaust);
    g_test_add_func("/fault/split/immediate", test_split_immediate);
    g_test_add_func("/fault/split/operation", test_split_operation);
    g_test_add_func("/fault/donate/detour", test_donate_detour);
    g_test_add_func("/fault/donate/detour-before-reclaim",
                    test_donate_detour_before_reclaim);
    g_test_add_func("/fault/donate/consume-reclaim",
                    test_consume_and_reclaim_pieces);
    g_test_add_func("/fault/nocancel", test_nocancel);
    g_test_add_func("/fault/stop", test_stop);
    g_test_add_func("/fault/seed", test_p_and_seed);
    g_test_add_func("/fault/exit", test_exit);
    g_test_add_func("/fault/select/addr-class", test_select_addr_class);
    g_test_add_func("/fault/select/realm", test_select_realm);
    g_test_add_func("/fault/hostile/registers", test_hostile_registers);
    g_test_add_func("/fault/hostile/memory", test_hostile_memory);
    g_test_add_func("/fault/violations/sro", test_violations);
    g_test_add_func("/fault/violations/abandoned-while-moving-memory",
                    test_abandoned_while_moving_memory);
    g_test_add_func("/fault/violations/donate", test_donate_violations);
    g_test_add_func("/fault/hook-and-rules", test_hook_and_rules);
    g_test_add_func("/fault/replay", test_replay);
    return g_test_run();
}
