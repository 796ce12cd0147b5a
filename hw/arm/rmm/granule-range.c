/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RMI_GRANULE_RANGE_DELEGATE (B4.5.17) and RMI_GRANULE_RANGE_UNDELEGATE
 * (B4.5.18): the "range operation returning progress address" model of
 * A2.3.6.2.
 *
 * The checks that A2.3.6.2 applies to the start of the range fail the
 * command; met further on, they end it early with RMI_SUCCESS and out_top
 * at the granule that failed, so that the next call fails on it.  Under a
 * fault plan's yield:granules=K (shorthand: RmmConfig.delegate_yield_every)
 * the command becomes a non-memory-transferring SRO that returns
 * INCOMPLETE after every K granules; until it completes, the whole target range is held and other
 * commands touching it get RMI_BLOCKED.  Each call (the command or one
 * RMI_OP_CONTINUE) transitions at most RmmConfig.range_granules_per_call
 * granules and then ends the command with RMI_SUCCESS and out_top.
 */
#include "hw/arm/rmm/memmap.h"

typedef struct RangeDir {
    RmmGranuleState from;
    RmmGranuleState to;
    bool needs_active;
} RangeDir;

static const RangeDir dir_delegate = {
    RMM_GRANULE_UNDELEGATED, RMM_GRANULE_DELEGATED, true,
};
static const RangeDir dir_undelegate = {
    RMM_GRANULE_DELEGATED, RMM_GRANULE_UNDELEGATED, false,
};

/*
 * Order: population, tracking region, GPT, intermediate state, granule
 * state.  Memory that is not there (outside every DRAM block: PA 0 on
 * this platform, or past the PA space) is unpopulated, RMI_ERROR_INPUT,
 * as the reference RMM answers; RMI_ERROR_TRACKING is for DRAM whose
 * region is not tracked at FINE granularity.  A COARSE region is one
 * this RMM will not process (A2.3.6.2: "too large"), and a granule whose
 * L0GPT entry is a block descriptor cannot change PAS: the GPT walk fails
 * (RMI_ERROR_GPT).
 */
static uint64_t granule_check(RmmCore *rmm, const RangeDir *dir, uint64_t pa,
                              const RmmSro *self)
{
    if (!rmm_pa_is_dram(rmm, pa)) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "populated");
    }
    if (rmm_tracking_state(rmm, pa) != RMI_TRACKING_FINE) {
        return rmm_fail(rmm, RMI_ERROR_TRACKING, "tracking");
    }
    if (!rmm_gpt_has_l1(rmm, pa)) {
        return rmm_fail(rmm, RMI_ERROR_GPT, "gpt");
    }
    if (rmm_sro_held(rmm, pa, pa + RMM_GRANULE_SIZE, self)) {
        return rmm_fail(rmm, RMI_BLOCKED, "held");
    }
    if (rmm_granule_state(rmm, pa) != dir->from) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "state");
    }
    return RMI_SUCCESS;
}

/*
 * Transition granules from *cursor on, at most budget of them (0: no
 * limit).  Returns true if the command must end here: at a granule
 * failing a check, or at the per-call bound.
 */
static bool range_run(RmmCore *rmm, const RangeDir *dir, uint64_t *cursor,
                      uint64_t top, uint64_t budget, const RmmSro *self)
{
    uint64_t pa = *cursor;
    uint64_t done = 0;
    bool stopped = false;

    while (pa < top && (!budget || done < budget)) {
        if (rmm_range_bound_reached(rmm, done)) {
            /* This call has done its share: end the command here. */
            stopped = true;
            break;
        }
        if (granule_check(rmm, dir, pa, self) != RMI_SUCCESS ||
            !rmm_mem_zero(rmm, pa, RMM_GRANULE_SIZE)) {
            /*
             * Unbacked "DRAM" counts as unpopulated: stop there too.  A
             * condition met here ends the command, it does not fail it.
             */
            rmm->cond = NULL;
            stopped = true;
            break;
        }
        /* Any path through DELEGATED wipes the contents (A2.3.8). */
        rmm_granule_set(rmm, pa, dir->to);
        pa += RMM_GRANULE_SIZE;
        done++;
    }
    *cursor = pa;
    return stopped;
}

static const RangeDir *op_dir(const RmmSro *op)
{
    return op->ctx.range.undelegate ? &dir_undelegate : &dir_delegate;
}

static uint64_t range_resume(RmmCore *rmm, RmmSro *op, uint64_t flags,
                             RmiOut *out)
{
    uint64_t cursor = op->ctx.range.cursor;
    uint64_t top = op->ctx.range.top;
    bool stopped = false;

    /*
     * RMI_CONTINUE_STOP: return once the granules already in the
     * intermediate state are done.  They are, so report the progress.
     */
    if (!(flags & RMI_CONTINUE_STOP)) {
        stopped = range_run(rmm, op_dir(op), &cursor, top,
                            rmm_fault_yield_every(rmm, op), op);
    }
    if (!(flags & RMI_CONTINUE_STOP) && !stopped && cursor < top) {
        op->ctx.range.cursor = cursor;
        return rmm_sro_yield(op, RMI_OP_MEM_REQ_NONE, RMI_OP_CANNOT_CANCEL,
                             0);
    }
    rmi_set(out, 1, cursor);
    return RMI_SUCCESS;
}

static const RmmSroClass range_class = {
    .name = "GRANULE_RANGE",
    .resume = range_resume,
};

static uint64_t range_cmd(RmmCore *rmm, const RangeDir *dir, RmiCmdIndex cmd,
                          const uint64_t *in, RmiOut *out)
{
    uint64_t base = in[1], top = in[2];
    uint64_t k = rmm_fault_yield_every(rmm, NULL);
    uint64_t cursor = base;
    RmmSro *op = NULL;
    uint64_t st;
    bool stopped;

    if (dir->needs_active && rmm->state != RMM_STATE_ACTIVE) {
        return rmm_fail(rmm, RMI_ERROR_GLOBAL, "rmm_state");
    }
    if (base & RMM_GRANULE_MASK) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "base_align");
    }
    if (top & RMM_GRANULE_MASK) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "top_align");
    }
    if (top <= base) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "top_bound");
    }
    /*
     * The region-granularity checks of A2.3.6.2: in a COARSE region the
     * range must start on the region and cover it.  FINE regions have the
     * granularity of a granule, so they always pass; what remains applies
     * to the first granule.
     */
    if (rmm_tracking_state(rmm, base) == RMI_TRACKING_COARSE &&
        ((base & (RMM_TRACKING_REGION_SIZE - 1)) ||
         top - base < RMM_TRACKING_REGION_SIZE)) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "region_align");
    }
    /* populated, tracking, gpt, held, state */
    st = granule_check(rmm, dir, base, NULL);
    if (st != RMI_SUCCESS) {
        return st;
    }

    /*
     * Progress cannot go past a granule another operation holds, and two
     * operations must never hold the same granule: clip the range there.
     * Then take the context before changing anything, as BLOCKED must
     * leave the system state alone.
     */
    top = rmm_sro_hold_limit(rmm, base, top);
    if (k && (top - base) / RMM_GRANULE_SIZE > k) {
        op = rmm_sro_open(rmm, cmd, &range_class);
        if (!op) {
            return rmm_fail(rmm, RMI_BLOCKED, "contexts");
        }
    }

    stopped = range_run(rmm, dir, &cursor, top, op ? k : 0, NULL);
    if (cursor == base) {
        /* The first granule passed its checks but is not backed. */
        if (op) {
            rmm_sro_close(rmm, op);
        }
        return rmm_fail(rmm, RMI_ERROR_INPUT, "populated");
    }
    if (op && !stopped && cursor < top) {
        op->ctx.range = (RmmRangeCtx) {
            .undelegate = dir == &dir_undelegate,
            .cursor = cursor,
            .top = top,
        };
        op->hold_base = base;
        op->hold_top = top;
        return rmm_sro_started(op, rmm_sro_yield(op, RMI_OP_MEM_REQ_NONE,
                                                 RMI_OP_CANNOT_CANCEL, 0),
                               out);
    }
    if (op) {
        rmm_sro_close(rmm, op);
    }
    rmi_set(out, 1, cursor);
    return RMI_SUCCESS;
}

uint64_t rmm_cmd_granule_range_delegate(RmmCore *rmm, const uint64_t *in,
                                    RmiOut *out)
{
    return range_cmd(rmm, &dir_delegate, RMI_IDX_GRANULE_RANGE_DELEGATE,
                     in, out);
}

uint64_t rmm_cmd_granule_range_undelegate(RmmCore *rmm, const uint64_t *in,
                                      RmiOut *out)
{
    return range_cmd(rmm, &dir_undelegate, RMI_IDX_GRANULE_RANGE_UNDELEGATE,
                     in, out);
}
