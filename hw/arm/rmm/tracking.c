/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Granule tracking regions (A2.3.4) and RMI_GRANULE_TRACKING_SET
 * (B4.5.20).
 *
 * At boot every 1GB region holding DRAM is tracked FINE with metadata the
 * firmware provided, everything else is untracked (RmmConfig
 * tracking_host_fine: nothing is tracked).  The host may then move a region
 * between TRACKING_NONE, TRACKING_FINE and TRACKING_COARSE:
 *
 * - to FINE, the RMM asks for metadata memory: 8 bytes per DRAM granule
 *   of the region (an IMPLEMENTATION DEFINED size), in 4KB granules that
 *   need not be contiguous.  A2.3.4 wants them DELEGATED; the bet3
 *   profile asks for CONDITIONAL memory instead, whose state must be
 *   DELEGATED where the granule's region is tracked FINE (so it could be
 *   delegated) and UNDELEGATED elsewhere, e.g. inside the target region
 *   itself (self-describing metadata).
 * - away from FINE, every granule of the region must be UNDELEGATED (the
 *   region's own metadata aside); metadata the host donated comes back
 *   through a reclaim step, in the state it was donated in: DELEGATED
 *   (A2.3.4), or UNDELEGATED for self-describing metadata of a region that
 *   is no longer FINE.  Firmware metadata goes back to the firmware.
 * - between NONE and COARSE nothing is transferred.
 *
 * Granules in a COARSE region cannot be delegated here: A2.3.6.2 lets an
 * implementation refuse a region "too large to process", and the host must
 * then make it FINE.  Only regions the host changed have a record.
 */
#include "hw/arm/rmm/memmap.h"

/* Metadata per DRAM granule of a FINE region the host made FINE. */
#define TRACKING_META_BYTES 8

typedef struct TrackRegion {
    RmmRegionRec rec;               /* state: RMI_TRACKING_* */
    bool fw_meta;                   /* FINE with firmware metadata */
} TrackRegion;

/* The map allocates every record as a TrackRegion (rec_size). */
static TrackRegion *track_region(RmmRegionRec *rec)
{
    return (TrackRegion *)rec;
}

static uint64_t region_of(uint64_t pa)
{
    return pa >> RMM_TRACKING_REGION_SHIFT;
}

static uint64_t boot_state(RmmCore *rmm, uint64_t index)
{
    if (!rmm->cfg.tracking_host_fine &&
        rmm_region_has_dram(rmm, index << RMM_TRACKING_REGION_SHIFT)) {
        return RMI_TRACKING_FINE;
    }
    return RMI_TRACKING_NONE;
}

void rmm_tracking_attrs(RmmCore *rmm, uint64_t rbase, uint64_t *category,
                        uint64_t *state)
{
    /* The category is a property of the memory layout, not of tracking. */
    if (rmm_region_has_dram(rmm, rbase)) {
        *category = RMI_MEM_CATEGORY_CONVENTIONAL;
    } else {
        /* bet1 has no "no category" value. */
        *category = rmm->cfg.profile == RMM_PROFILE_BET3 ?
                    RMI_MEM_CATEGORY_NONE : RMI_MEM_CATEGORY_CONVENTIONAL;
    }
    *state = rmm_region_state(rmm, rmm->tracking, region_of(rbase));
}

uint64_t rmm_tracking_state(RmmCore *rmm, uint64_t pa)
{
    /* On every granule a range operation visits: no category needed. */
    if (pa >= RMM_PA_LIMIT) {
        return RMI_TRACKING_NONE;
    }
    return rmm_region_state(rmm, rmm->tracking, region_of(pa));
}

uint64_t rmm_tracking_next(RmmCore *rmm, uint64_t rbase)
{
    uint64_t next = RMM_PA_LIMIT;
    GHashTableIter it;
    gpointer value;
    guint i;

    if (rmm_region_has_dram(rmm, rbase) ||
        rmm_region_find(rmm->tracking, region_of(rbase))) {
        return rbase + RMM_TRACKING_REGION_SIZE;
    }
    /* Everything up to the next DRAM or changed region looks the same. */
    for (i = 0; i < rmm->dram->len; i++) {
        uint64_t b = g_array_index(rmm->dram, RmmDram, i).base &
                     ~(RMM_TRACKING_REGION_SIZE - 1);

        if (b > rbase) {
            next = MIN(next, b);
            break;
        }
    }
    g_hash_table_iter_init(&it, rmm->tracking->recs);
    while (g_hash_table_iter_next(&it, NULL, &value)) {
        uint64_t b = ((RmmRegionRec *)value)->index <<
                     RMM_TRACKING_REGION_SHIFT;

        if (b > rbase) {
            next = MIN(next, b);
        }
    }
    return next;
}

/* DRAM granules in the region at rbase: what FINE metadata describes. */
static uint64_t region_dram_granules(RmmCore *rmm, uint64_t rbase)
{
    uint64_t rtop = rbase + RMM_TRACKING_REGION_SIZE;
    uint64_t n = 0;
    guint i;

    for (i = 0; i < rmm->dram->len; i++) {
        RmmDram *d = &g_array_index(rmm->dram, RmmDram, i);

        if (d->base < rtop && d->top > rbase) {
            n += (MIN(d->top, rtop) - MAX(d->base, rbase)) >> RMM_GRANULE_SHIFT;
        }
    }
    return n;
}

/*
 * MemCategoryIsCompatible(): a region holding DRAM takes CONVENTIONAL; a
 * region with no memory only the bet3 category NONE, and then only to be
 * left untracked (there is nothing to track).  No device memory exists.
 */
static bool category_compatible(RmmCore *rmm, uint64_t rbase,
                                uint64_t category, uint64_t state)
{
    if (rmm_region_has_dram(rmm, rbase)) {
        return category == RMI_MEM_CATEGORY_CONVENTIONAL;
    }
    return rmm->cfg.profile == RMM_PROFILE_BET3 &&
           category == RMI_MEM_CATEGORY_NONE && state == RMI_TRACKING_NONE;
}

/*
 * A2.3.4 lets a tracked region change granularity only if all its granules
 * have the same state; this RMM asks for that state to be UNDELEGATED for
 * every change that does not go to FINE (a COARSE region here holds no
 * delegated memory, and an untracked one cannot).  The specification
 * names no status for this; like TF-RMM it is RMI_ERROR_INPUT, and
 * RMI_BLOCKED when an incomplete operation holds a granule of the region.
 */
static uint64_t region_homogeneous(RmmCore *rmm, uint64_t rbase)
{
    RmmRegionCensus c;
    uint64_t st;

    /* The region's own metadata leaves with it. */
    st = rmm_region_census(rmm, rmm->tracking, region_of(rbase), rbase,
                           rbase + RMM_TRACKING_REGION_SIZE, &c);
    if (st != RMI_SUCCESS) {
        return st;                                          /* held */
    }
    return c.tracked ? rmm_fail(rmm, RMI_ERROR_INPUT, "homogeneous")
                     : RMI_SUCCESS;
}

/*
 * in_state for a CONDITIONAL (bet3) donation: an UNDELEGATED granule is
 * acceptable only where it could not have been delegated, i.e. outside
 * FINE regions.  Checked when the donation is complete.
 */
static bool donation_acceptable(RmmCore *rmm, RmmSro *op)
{
    guint i;

    for (i = 0; i < op->donated->len; i++) {
        RmmSroRange *rg = &g_array_index(op->donated, RmmSroRange, i);
        uint64_t end = rg->base + rg->blocks * rmm_block_bytes(rg->size);
        uint64_t pa;

        if (rg->prev_state != RMM_GRANULE_UNDELEGATED) {
            continue;
        }
        for (pa = rg->base; pa < end; pa += RMM_GRANULE_SIZE) {
            if (rmm_tracking_state(rmm, pa) == RMI_TRACKING_FINE) {
                return false;
            }
        }
    }
    return true;
}

static uint64_t fine_resume(RmmCore *rmm, RmmSro *op, uint64_t flags,
                            RmiOut *out)
{
    RmmRegionRec *rec = rmm_region_find(rmm->tracking, op->ctx.region.index);

    if (op->ctx.region.donation_rejected) {
        /* The rejected donation went back: report the failed input. */
        rec->busy = NULL;
        return rmm_fail(rmm, RMI_ERROR_INPUT, "in_state");
    }
    if (!donation_acceptable(rmm, op)) {
        op->ctx.region.donation_rejected = true;
        rmm_sro_queue_reclaim(rmm, op, op->donated);
        return rmm_sro_yield(op, RMI_OP_MEM_REQ_RECLAIM, RMI_OP_CANNOT_CANCEL,
                             0);
    }
    rmm_region_take_donation(rmm, rmm->tracking, rec, op);
    rec->state = RMI_TRACKING_FINE;
    track_region(rec)->fw_meta = false;
    return RMI_SUCCESS;
}

static const RmmSroClass fine_class = {
    .name = "GRANULE_TRACKING_SET(FINE)",
    .resume = fine_resume,
};

static uint64_t unfine_resume(RmmCore *rmm, RmmSro *op, uint64_t flags,
                              RmiOut *out)
{
    rmm_region_find(rmm->tracking, op->ctx.region.index)->busy = NULL;
    return RMI_SUCCESS;
}

static const RmmSroClass unfine_class = {
    .name = "GRANULE_TRACKING_SET(reclaim)",
    .resume = unfine_resume,
};

static uint64_t set_fine(RmmCore *rmm, uint64_t rbase, RmiOut *out)
{
    uint64_t bytes = region_dram_granules(rmm, rbase) * TRACKING_META_BYTES;
    uint64_t pages = MAX((bytes + RMM_GRANULE_MASK) >> RMM_GRANULE_SHIFT,
                         1);
    uint64_t state = rmm->cfg.profile == RMM_PROFILE_BET3 ?
                     RMI_OP_MEM_CONDITIONAL : RMI_OP_MEM_DELEGATED;
    RmmSro *op = rmm_sro_open(rmm, RMI_IDX_GRANULE_TRACKING_SET, &fine_class);
    RmmRegionRec *rec;

    if (!op) {
        return rmm_fail(rmm, RMI_BLOCKED, "contexts");
    }
    rec = rmm_region_get(rmm, rmm->tracking, region_of(rbase));
    rec->busy = op;
    op->ctx.region.index = rec->index;
    op->ctx.region.state = RMI_TRACKING_FINE;
    /*
     * Not cancellable, as in TF-RMM: the region keeps its state until the
     * metadata is complete, and there is nothing to undo.
     */
    return rmm_sro_started(op, rmm_sro_yield(op, RMI_OP_MEM_REQ_DONATE,
                                             RMI_OP_CANNOT_CANCEL,
                                             RMI_DONATE_REQ(RMI_PAGE_L3, pages,
                                                 RMI_OP_MEM_NON_CONTIG,
                                                 state)),
                           out);
}

uint64_t rmm_cmd_granule_tracking_set(RmmCore *rmm, const uint64_t *in,
                                      RmiOut *out)
{
    uint64_t addr = in[1];
    uint64_t category = in[2] & 3;          /* X2[63:2] and X3[63:3] SBZ */
    uint64_t state = in[3] & 7;
    uint64_t cur_cat, cur;
    RmmRegionRec *rec;
    RmmSro *op = NULL;
    uint64_t st;

    /*
     * No failure condition ordering: the conditions are checked in the
     * order the specification lists them.  'reserved' cannot happen: no
     * region is reserved for the platform in this model.
     */
    if (rmm->state != RMM_STATE_ACTIVE) {
        return rmm_fail(rmm, RMI_ERROR_GLOBAL, "rmm_state");
    }
    if (state != RMI_TRACKING_NONE && state != RMI_TRACKING_FINE &&
        state != RMI_TRACKING_COARSE) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "state_valid");
    }
    if (addr & (RMM_TRACKING_REGION_SIZE - 1)) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "addr_align");
    }
    if (addr >= RMM_PA_LIMIT) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "addr_bound");
    }
    if (!category_compatible(rmm, addr, category, state)) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "category");
    }

    if (rmm_region_blocked(rmm->tracking, region_of(addr))) {
        /* A change of this region has not completed. */
        return rmm_fail(rmm, RMI_BLOCKED, "in_flight");
    }
    rmm_tracking_attrs(rmm, addr, &cur_cat, &cur);
    if (cur == state) {
        return RMI_SUCCESS;
    }
    if (state == RMI_TRACKING_FINE) {
        return set_fine(rmm, addr, out);
    }
    st = region_homogeneous(rmm, addr);
    if (st != RMI_SUCCESS) {
        return st;
    }
    rec = rmm_region_get(rmm, rmm->tracking, region_of(addr));
    if (cur == RMI_TRACKING_FINE && !track_region(rec)->fw_meta) {
        op = rmm_sro_open(rmm, RMI_IDX_GRANULE_TRACKING_SET, &unfine_class);
        if (!op) {
            return rmm_fail(rmm, RMI_BLOCKED, "contexts");
        }
    }
    rec->state = state;
    track_region(rec)->fw_meta = false;
    if (!op) {
        return RMI_SUCCESS;
    }
    /* The metadata is inactive from now on: hand it back. */
    op->ctx.region.state = state;
    return rmm_region_release_meta(rmm, rec, op, out);
}

/* ---- The map and its invariants ---- */

static void region_init(RmmCore *rmm, RmmRegionRec *rec)
{
    track_region(rec)->fw_meta = rec->state == RMI_TRACKING_FINE;
}

static void check_region(RmmCore *rmm, RmmRegionRec *rec, uint64_t n,
                         GString *err)
{
    bool fw_meta = track_region(rec)->fw_meta;

    if (rec->state != RMI_TRACKING_NONE && rec->state != RMI_TRACKING_FINE &&
        rec->state != RMI_TRACKING_COARSE) {
        g_string_append_printf(err, "tracking region %" PRIu64
                               " in state %" PRIu64 "\n", rec->index,
                               rec->state);
    }
    if ((n != 0) != (rec->state == RMI_TRACKING_FINE && !fw_meta) ||
        (fw_meta && rec->state != RMI_TRACKING_FINE)) {
        g_string_append_printf(err, "tracking region %" PRIu64 " in "
                               "state %" PRIu64 " holds %" PRIu64
                               " metadata granules\n", rec->index,
                               rec->state, n);
    }
}

static const RmmRegionMapClass tracking_map_class = {
    .rec_size = sizeof(TrackRegion),
    .owner = RMM_OWNER_TRACKING,
    .cmds = { RMI_IDX_GRANULE_TRACKING_SET, RMI_IDX_GRANULE_TRACKING_SET },
    .rec_name = "tracking region",
    .recs_name = "regions",
    .meta_name = "tracking metadata",
    .boot_state = boot_state,
    .rec_init = region_init,
    .rec_check = check_region,
};

void rmm_tracking_init(RmmCore *rmm)
{
    rmm->tracking = rmm_region_map_new(&tracking_map_class);
}

void rmm_tracking_fini(RmmCore *rmm)
{
    rmm_region_map_free(rmm->tracking);
}

typedef struct CoarseCheck {
    RmmCore *rmm;
    GString *err;
} CoarseCheck;

/* Only NS memory the RMM took over may sit in a region not FINE. */
static void check_coarse(RmmCore *rmm, uint64_t pa, RmmGranule *g,
                         void *opaque)
{
    CoarseCheck *c = opaque;

    if (rmm_tracking_state(c->rmm, pa) == RMI_TRACKING_COARSE &&
        !(g->state == RMM_GRANULE_INTERNAL &&
          g->prev_state == RMM_GRANULE_UNDELEGATED)) {
        g_string_append_printf(c->err, "granule 0x%" PRIx64 " is %s in a "
                               "COARSE region\n", pa,
                               rmm_granule_state_name(g->state));
    }
}

static gboolean is_coarse(gpointer key, gpointer value, gpointer opaque)
{
    return ((RmmRegionRec *)value)->state == RMI_TRACKING_COARSE;
}

bool rmm_tracking_check(RmmCore *rmm, const RmmOwnerTally *owned,
                        GString *err)
{
    CoarseCheck c = { .rmm = rmm, .err = err };
    size_t len = err->len;

    rmm_region_map_check(rmm, rmm->tracking, owned->tracking, err);
    if (g_hash_table_find(rmm->tracking->recs, is_coarse, NULL)) {
        rmm_granules_foreach(rmm, 0, UINT64_MAX, check_coarse, &c);
    }
    return err->len == len;
}
