/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rmm-emu model core: the instance, SMC dispatch from the ABI table,
 * tracing, the census and the invariant check.
 */
#include <stdarg.h>
#include <string.h>

#include "hw/arm/rmm/rmm-internal.h"
#include "hw/arm/rmm/rec.h"
#include "hw/arm/rmm/realm.h"
#include "hw/arm/rmm/memmap.h"

/* SMCCC v1.3: bit 16 of the FID is the SVE live-state hint, not part. */

void rmm_config_init(RmmConfig *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->profile = RMM_PROFILE_BET1;

    /*
     * FR0: 48-bit IPA, no LPA2/SVE/PMU; 6 breakpoints and 4 watchpoints
     * (the fields hold the number minus one and 0 is reserved).
     */
    cfg->feat[0] = RMI_FIELD_PREP(RMI_FR0_S2SZ, 48) |
                   RMI_FIELD_PREP(RMI_FR0_NUM_BPS, 5) |
                   RMI_FIELD_PREP(RMI_FR0_NUM_WPS, 3);
    /*
     * FR1: 4KB RMI granules only (what CONFIG_SET accepts), SHA-256 and
     * SHA-512, up to 2^8 - 1 RECs per realm, L0GPTSZ 0 (1GB), PPS 0b101
     * (48 bits).
     */
    cfg->feat[1] = RMI_FR1_GRAN_SZ_4KB | RMI_FR1_HASH_SHA_256 |
                   RMI_FR1_HASH_SHA_512 |
                   RMI_FIELD_PREP(RMI_FR1_MAX_RECS_ORDER, 8) |
                   RMI_FIELD_PREP(RMI_FR1_L0GPTSZ, 0) |
                   RMI_FIELD_PREP(RMI_FR1_PPS, 5);
    /* FR2: no device assignment; FR3: no planes; FR4: no MECs. */
    cfg->feat[2] = 0;
    cfg->feat[3] = 0;
    cfg->feat[4] = 0;
    cfg->sro_contexts = RMM_DEFAULT_SRO_CONTEXTS;
    cfg->rec_aux_count = RMM_DEFAULT_REC_AUX_COUNT;
    /* 2MB of granules: about 0.1 ms of scrubbing, well inside 1 ms. */
    cfg->range_granules_per_call = RMM_RANGE_GRANULES_PER_CALL;
}

RmmCore *rmm_core_new(const RmmConfig *cfg, const RmmMemOps *ops,
                      void *opaque)
{
    RmmCore *rmm = g_new0(RmmCore, 1);
    g_autofree char *shorthand = NULL;
    g_autofree char *err = NULL;
    RmmFaultPlan *plan;

    if (cfg) {
        rmm->cfg = *cfg;
    } else {
        rmm_config_init(&rmm->cfg);
    }
    /* The caller's script may not outlive this call: keep a copy. */
    if (rmm->cfg.rec_script && rmm->cfg.rec_script_len) {
        rmm->cfg.rec_script = g_memdup2(rmm->cfg.rec_script,
                                        rmm->cfg.rec_script_len *
                                        sizeof(RmmExitStep));
    } else {
        rmm->cfg.rec_script = NULL;
        rmm->cfg.rec_script_len = 0;
    }
    if (rmm->cfg.sro_contexts == 0) {
        rmm->cfg.sro_contexts = 1;
    }
    rmm->ops = ops;
    rmm->opaque = opaque;
    rmm->state = RMM_STATE_INIT;
    rmm->cfg_granule_size = RMI_GRANULE_SIZE_4KB;
    rmm->cfg_tracking_size = 0;
    rmm_fault_init(rmm);
    shorthand = rmm_config_fault_rules(&rmm->cfg);
    plan = rmm_fault_plan_parse(shorthand, &err);
    /* The knobs are checked (rmm_config_check()) and print valid rules. */
    g_assert(plan);
    rmm_fault_set_shorthand(rmm, plan);
    rmm_granules_init(rmm);
    rmm_gpt_init(rmm);
    rmm_tracking_init(rmm);
    rmm_sro_init(rmm);
    rmm_recs_init(rmm);
    rmm_realms_init(rmm);
    return rmm;
}

void rmm_core_free(RmmCore *rmm)
{
    if (!rmm) {
        return;
    }
    rmm_realms_fini(rmm);
    rmm_recs_fini(rmm);
    g_free(rmm->spare_run);
    rmm_sro_fini(rmm);
    rmm_tracking_fini(rmm);
    rmm_gpt_fini(rmm);
    rmm_granules_fini(rmm);
    rmm_fault_fini(rmm);
    g_free((RmmExitStep *)rmm->cfg.rec_script);
    g_free(rmm);
}

void rmm_core_set_trace(RmmCore *rmm, RmmTraceFn fn, void *opaque)
{
    rmm->trace = fn;
    rmm->trace_opaque = opaque;
}

void rmm_core_set_log(RmmCore *rmm, RmmLogFn fn, void *opaque)
{
    rmm->log = fn;
    rmm->log_opaque = opaque;
}

void rmm_log(RmmCore *rmm, const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    va_list ap;

    if (!rmm->log) {
        return;
    }
    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    rmm->log(rmm->log_opaque, msg);
}

static unsigned profile_bit(const RmmCore *rmm)
{
    return rmm->cfg.profile == RMM_PROFILE_BET3 ? RMI_PROF_BET3
                                                 : RMI_PROF_BET1;
}

/*
 * X0 and the outputs into regs.  Every output the command defines is
 * returned, also by a failed call: what the handler did not write reads
 * as 0, as TF-RMM's zero-initialised result does.  Everything else is
 * preserved (the SRO handle and donation request only when written).
 */
static inline void put_outputs(const RmmCommand *cmd, uint64_t x0,
                               const RmiOut *out, uint64_t *regs)
{
    uint32_t w = out->written & ~1u;
    uint32_t zero = cmd && cmd->handler ? cmd->ret_mask & ~w : 0;
    unsigned i;

    regs[0] = x0;
    for (; zero; zero &= zero - 1) {
        regs[__builtin_ctz(zero)] = 0;
    }
    for (; w; w &= w - 1) {
        i = __builtin_ctz(w);
        regs[i] = out->x[i];
    }
}

/* The answer's statistics, and the host's discipline across calls. */
static inline void account(RmmCore *rmm, const RmmCommand *cmd,
                           const uint64_t *in, uint64_t x0)
{
    if (cmd) {
        rmm_fault_count(rmm, cmd->idx, x0);
    }
    if (rmm_fault_watching(rmm, x0)) {
        rmm_fault_watch(rmm, cmd, in, x0);
    }
}

/*
 * The outputs through a copy, for a trace or a hostile fault plan, which
 * want the inputs and the results side by side (out of line: most calls
 * have neither).
 */
static G_GNUC_NO_INLINE void finish_observed(RmmCore *rmm,
                                             const RmmCommand *cmd,
                                             uint64_t x0, const RmiOut *out,
                                             uint64_t regs[RMM_NR_REGS])
{
    uint64_t res[RMM_NR_REGS];

    memcpy(res, regs, sizeof(res));
    put_outputs(cmd, x0, out, res);
    if (cmd && cmd->handler) {
        rmm_fault_corrupt(rmm, cmd->idx, cmd->out_mask, res);
    }
    account(rmm, cmd, regs, res[0]);
    if (rmm->trace) {
        rmm->trace(rmm->trace_opaque, cmd ? cmd->abi : NULL, regs, res);
    }
    memcpy(regs, res, sizeof(res));
}

static unsigned call_effects(const RmmCore *rmm)
{
    return (rmm->gpt_table.changed ? RMM_CALL_GPT_CHANGED : 0) |
           (rmm->s2_changed ? RMM_CALL_S2_CHANGED : 0) |
           (rmm->exec_entering ? RMM_CALL_REC_ENTRY : 0) |
           (rmm->cond ? RMM_CALL_CONDITION : 0);
}

/*
 * One RMI call.  The handler reads the caller's registers in place and
 * writes its outputs apart (RmiOut, of which only the written mask is
 * initialised), so a call copies no register file: regs keeps the inputs
 * until the outputs go in last.  Only a trace or a hostile fault plan,
 * which want the inputs and the results side by side, take a copy.
 *
 * The fault engine and the discipline watch are called only when they
 * have something to do (rules in force, a BLOCKED answer, an operation
 * open): every call pays for the checks, not for the calls.
 */
unsigned rmm_core_call(RmmCore *rmm, uint64_t regs[RMM_NR_REGS])
{
    const uint64_t *in = regs;
    const RmmCommand *cmd;
    RmiOut out RMM_NOINIT;
    uint64_t x0;

    out.written = 0;
    rmm->cond = NULL;
    rmm->calls++;

    /* SMCCC: the FID is W0; X0[63:32] are not part of it. */
    cmd = rmm_command_lookup((uint32_t)in[0] & ~SMCCC_SVE_HINT);
    if (!cmd || !(cmd->profiles & profile_bit(rmm))) {
        /* Not an RMI function of this ABI at all: SMCCC's answer. */
        cmd = NULL;
        x0 = SMCCC_NOT_SUPPORTED;
    } else if (!cmd->handler) {
        /* A defined RMI command this RMM does not support. */
        x0 = RMI_ERROR_NOT_SUPPORTED;
    } else if (rmm->fault.armed &&
               (x0 = rmm_fault_begin(rmm, cmd->idx, in))) {
        /* The fault plan answers instead; nothing changes. */
    } else {
        x0 = cmd->handler(rmm, in, &out);
        if (out.written & ~cmd->out_mask) {
            rmm->discipline_errors++;
            out.written &= cmd->out_mask;
        }
        if (rmm->fault.armed) {
            x0 = rmm_fault_finish(rmm, cmd->idx, x0, &out);
        }
    }
    /* A condition a command passed over on its way to success is no news. */
    if (RMI_RESULT_STATUS(x0) == RMI_SUCCESS ||
        RMI_RESULT_STATUS(x0) == RMI_INCOMPLETE) {
        rmm->cond = NULL;
    }

    if (G_UNLIKELY(rmm->trace || rmm->fault.call.hostile)) {
        finish_observed(rmm, cmd, x0, &out, regs);
    } else {
        account(rmm, cmd, in, x0);
        put_outputs(cmd, x0, &out, regs);
    }
    return call_effects(rmm);
}

const char *rmm_core_last_condition(RmmCore *rmm)
{
    return rmm->cond;
}

void rmm_core_census(RmmCore *rmm, RmmCensus *out)
{
    unsigned s;

    memset(out, 0, sizeof(*out));
    for (s = 0; s < RMM_GRANULE_NR_STATES; s++) {
        out->granules[s] = s == RMM_GRANULE_UNDELEGATED ? 0 : rmm->count[s];
    }
    out->sro_live = rmm_sro_live(rmm);
    out->calls = rmm->calls;
    out->rmm_state = rmm->state;
    out->metadata_bytes = rmm_granules_metadata_bytes(rmm);
    rmm_rec_census(rmm, out);
    out->realms = rmm_realms_count(rmm);
    out->metadata_bytes += rmm_realms_metadata_bytes(rmm);
    out->faults = rmm->fault.fired;
    memcpy(out->violations, rmm->fault.violations, sizeof(out->violations));
    /* A REC's wrong answers are host violations too. */
    out->violations[RMM_VIOLATION_REC_ANSWER] += out->rec_host_errors;
}

typedef struct CheckState {
    RmmCore *rmm;
    GString *err;
    uint64_t count[RMM_GRANULE_NR_STATES];
    RmmOwnerTally owned;
    uint64_t dram_base, dram_top;   /* delegable_dram() */
} CheckState;

/*
 * Is pa DRAM in a tracked region?  The walk visits granules in runs, so
 * the check remembers the last run of DRAM within one tracked region and
 * asks again only outside it.
 */
static bool delegable_dram(CheckState *cs, uint64_t pa)
{
    uint64_t rbase = pa & ~(RMM_TRACKING_REGION_SIZE - 1);
    const RmmDram *d;

    if (pa >= cs->dram_base && pa < cs->dram_top) {
        return true;
    }
    if (!rmm_pa_is_tracked(cs->rmm, pa)) {
        return false;
    }
    d = rmm_dram_block(cs->rmm, pa);
    if (!d) {
        return false;
    }
    cs->dram_base = MAX(d->base, rbase);
    cs->dram_top = MIN(d->top, rbase + RMM_TRACKING_REGION_SIZE);
    return true;
}

static void check_granule(RmmCore *rmm, uint64_t pa, RmmGranule *g,
                          void *opaque)
{
    CheckState *cs = opaque;

    if (g->state >= RMM_GRANULE_NR_STATES) {
        g_string_append_printf(cs->err, "granule 0x%" PRIx64
                               " has invalid state %u\n", pa, g->state);
        return;
    }
    cs->count[g->state]++;
    /*
     * NS memory the RMM took over (an L1GPT, self-describing metadata)
     * need not be tracked: only delegated memory has to be.
     */
    if (!delegable_dram(cs, pa) &&
        (!rmm_pa_is_dram(rmm, pa) ||
         !(g->state == RMM_GRANULE_INTERNAL &&
           g->prev_state == RMM_GRANULE_UNDELEGATED))) {
        g_string_append_printf(cs->err, "granule 0x%" PRIx64
                               " is %s but not delegable DRAM\n", pa,
                               rmm_granule_state_name(g->state));
    }
    if (g->state != RMM_GRANULE_INTERNAL) {
        if (g->owner != RMM_OWNER_NONE) {
            g_string_append_printf(cs->err, "granule 0x%" PRIx64
                                   " is %s with an owner\n", pa,
                                   rmm_granule_state_name(g->state));
        }
        return;
    }
    if (g->prev_state != RMM_GRANULE_DELEGATED &&
        g->prev_state != RMM_GRANULE_UNDELEGATED) {
        g_string_append_printf(cs->err, "INTERNAL granule 0x%" PRIx64
                               " came from state %u\n", pa, g->prev_state);
    }
    /* Each object's check matches its count with its own lists. */
    if (g->owner == RMM_OWNER_RMM) {
        cs->owned.rmm++;
    } else if (g->owner == RMM_OWNER_REALM) {
        cs->owned.realm++;
    } else if (g->owner == RMM_OWNER_REC) {
        cs->owned.rec++;
    } else if (g->owner == RMM_OWNER_GPT) {
        cs->owned.gpt++;
    } else if (g->owner == RMM_OWNER_TRACKING) {
        cs->owned.tracking++;
    } else if (RMM_OWNER_IS_SRO(g->owner) &&
               RMM_OWNER_SRO_INDEX(g->owner) < rmm->nr_sro) {
        cs->owned.sro[RMM_OWNER_SRO_INDEX(g->owner)]++;
        if (!rmm->sro[RMM_OWNER_SRO_INDEX(g->owner)].live) {
            g_string_append_printf(cs->err, "INTERNAL granule 0x%" PRIx64
                                   " has no live owner (%u)\n", pa,
                                   g->owner);
        }
    } else {
        g_string_append_printf(cs->err, "INTERNAL granule 0x%" PRIx64
                               " has no live owner (%u)\n", pa, g->owner);
    }
}

bool rmm_core_check(RmmCore *rmm, char **err)
{
    CheckState cs = {
        .rmm = rmm,
        .err = g_string_new(NULL),
        .owned.sro = g_new0(uint64_t, rmm->nr_sro),
    };
    unsigned s;
    bool ok;

    rmm_granules_check(rmm, check_granule, &cs, cs.err);
    for (s = 1; s < RMM_GRANULE_NR_STATES; s++) {
        if (cs.count[s] != rmm->count[s]) {
            g_string_append_printf(cs.err, "census says %" PRIu64 " %s "
                                   "granules, recount %" PRIu64 "\n",
                                   rmm->count[s],
                                   rmm_granule_state_name(s), cs.count[s]);
        }
    }
    if (cs.owned.rmm != rmm->rmm_owned) {
        g_string_append_printf(cs.err, "RMM owns %" PRIu64 " granules, "
                               "recount %" PRIu64 "\n",
                               rmm->rmm_owned, cs.owned.rmm);
    }
    if (rmm->discipline_errors) {
        g_string_append_printf(cs.err, "%" PRIu64 " handler writes to "
                               "non-output registers\n",
                               rmm->discipline_errors);
    }
    rmm_sro_check(rmm, &cs.owned, cs.err);
    rmm_gpt_check(rmm, &cs.owned, cs.err);
    rmm_tracking_check(rmm, &cs.owned, cs.err);
    rmm_rec_check(rmm, &cs.owned, cs.err);
    rmm_realms_check(rmm, &cs.owned, cs.err);
    rmm_gpt_table_check(rmm, cs.err);
    g_free(cs.owned.sro);

    ok = cs.err->len == 0;
    if (err) {
        *err = ok ? NULL : g_strdup(cs.err->str);
    }
    g_string_free(cs.err, TRUE);
    return ok;
}
