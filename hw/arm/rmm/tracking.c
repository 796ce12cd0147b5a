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
    uint64_t index;                 /* region base >> 30; the hash key */
    uint64_t state;                 /* RMI_TRACKING_* */
    bool fw_meta;                   /* FINE with firmware metadata */
    GArray *meta;                   /* RmmSroRange: donated metadata */
    RmmSro *busy;                   /* a TRACKING_SET in flight */
} TrackRegion;

static void region_free(gpointer p)
{
    TrackRegion *r = p;

    g_array_free(r->meta, TRUE);
    g_free(r);
}

void rmm_tracking_init(RmmCore *rmm)
{
    rmm->tracking = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL,
                                          region_free);
}

void rmm_tracking_fini(RmmCore *rmm)
{
    g_hash_table_destroy(rmm->tracking);
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

static TrackRegion *region_find(RmmCore *rmm, uint64_t index)
{
    gint64 key = (gint64)index;

    return g_hash_table_lookup(rmm->tracking, &key);
}

static TrackRegion *region_get(RmmCore *rmm, uint64_t index)
{
    TrackRegion *r = region_find(rmm, index);

    if (!r) {
        r = g_new0(TrackRegion, 1);
        r->index = index;
        r->state = boot_state(rmm, index);
        r->fw_meta = r->state == RMI_TRACKING_FINE;
        r->meta = g_array_new(FALSE, FALSE, sizeof(RmmSroRange));
        g_hash_table_add(rmm->tracking, r);
    }
    return r;
}

void rmm_tracking_attrs(RmmCore *rmm, uint64_t rbase, uint64_t *category,
                        uint64_t *state)
{
    TrackRegion *r = region_find(rmm, region_of(rbase));

    /* The category is a property of the memory layout, not of tracking. */
    if (rmm_region_has_dram(rmm, rbase)) {
        *category = RMI_MEM_CATEGORY_CONVENTIONAL;
    } else {
        /* bet1 has no "no category" value. */
        *category = rmm->cfg.profile == RMM_PROFILE_BET3 ?
                    RMI_MEM_CATEGORY_NONE : RMI_MEM_CATEGORY_CONVENTIONAL;
    }
    *state = r ? r->state : boot_state(rmm, region_of(rbase));
}

uint64_t rmm_tracking_state(RmmCore *rmm, uint64_t pa)
{
    TrackRegion *r;

    /* On every granule a range operation visits: no category needed. */
    if (pa >= RMM_PA_LIMIT) {
        return RMI_TRACKING_NONE;
    }
    r = region_find(rmm, region_of(pa));
    return r ? r->state : boot_state(rmm, region_of(pa));
}

uint64_t rmm_tracking_next(RmmCore *rmm, uint64_t rbase)
{
    uint64_t next = RMM_PA_LIMIT;
    GHashTableIter it;
    gpointer value;
    guint i;

    if (rmm_region_has_dram(rmm, rbase) || region_find(rmm, region_of(rbase))) {
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
    g_hash_table_iter_init(&it, rmm->tracking);
    while (g_hash_table_iter_next(&it, NULL, &value)) {
        uint64_t b = ((TrackRegion *)value)->index << RMM_TRACKING_REGION_SHIFT;

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

typedef struct TrackScan {
    TrackRegion *r;
    uint64_t base, top;
    bool mixed;
} TrackScan;

static void scan_granule(gpointer key, gpointer value, gpointer opaque)
{
    TrackScan *s = opaque;
    RmmGranule *g = value;
    uint64_t pa = g->pfn << RMM_GRANULE_SHIFT;

    if (pa < s->base || pa >= s->top) {
        return;
    }
    if (g->state == RMM_GRANULE_INTERNAL && g->owner == RMM_OWNER_TRACKING &&
        s->r && rmm_ranges_contain(s->r->meta, pa)) {
        return;                     /* its own metadata leaves with it */
    }
    s->mixed = true;
}

/*
 * A2.3.4 lets a tracked region change granularity only if all its granules
 * have the same state; this RMM asks for that state to be UNDELEGATED for
 * every change that does not go to FINE (a COARSE region here holds no
 * delegated memory, and an untracked one cannot).  The specification
 * names no status for this; like TF-RMM it is RMI_ERROR_INPUT, and
 * RMI_BLOCKED when an incomplete operation holds a granule of the region.
 */
static uint64_t region_homogeneous(RmmCore *rmm, uint64_t rbase,
                                   TrackRegion *r)
{
    TrackScan s = {
        .r = r,
        .base = rbase,
        .top = rbase + RMM_TRACKING_REGION_SIZE,
    };

    if (rmm_sro_held(rmm, s.base, s.top, NULL)) {
        return RMI_BLOCKED;
    }
    g_hash_table_foreach(rmm->granules, scan_granule, &s);
    return s.mixed ? RMI_ERROR_INPUT : RMI_SUCCESS;
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
    TrackRegion *r = region_find(rmm, op->ctx.tracking.region);

    if (op->ctx.tracking.donation_rejected) {
        /* The rejected donation went back: report the failed input. */
        r->busy = NULL;
        return RMI_ERROR_INPUT;
    }
    if (!donation_acceptable(rmm, op)) {
        op->ctx.tracking.donation_rejected = true;
        g_array_append_vals(op->reclaim, op->donated->data, op->donated->len);
        g_array_set_size(op->donated, 0);
        return rmm_sro_yield(op, RMI_OP_MEM_REQ_RECLAIM, RMI_OP_CANNOT_CANCEL,
                             0);
    }
    rmm_ranges_set_owner(rmm, op->donated, RMM_OWNER_TRACKING);
    g_array_append_vals(r->meta, op->donated->data, op->donated->len);
    g_array_set_size(op->donated, 0);
    r->state = RMI_TRACKING_FINE;
    r->fw_meta = false;
    r->busy = NULL;
    return RMI_SUCCESS;
}

static const RmmSroClass fine_class = {
    .name = "GRANULE_TRACKING_SET(FINE)",
    .resume = fine_resume,
};

static uint64_t unfine_resume(RmmCore *rmm, RmmSro *op, uint64_t flags,
                              RmiOut *out)
{
    region_find(rmm, op->ctx.tracking.region)->busy = NULL;
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
    TrackRegion *r;

    if (!op) {
        return RMI_BLOCKED;
    }
    r = region_get(rmm, region_of(rbase));
    r->busy = op;
    op->ctx.tracking.region = r->index;
    op->ctx.tracking.state = RMI_TRACKING_FINE;
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
    TrackRegion *r;
    RmmSro *op = NULL;
    uint64_t st;

    /*
     * No failure condition ordering: the conditions are checked in the
     * order the specification lists them.  'reserved' cannot happen: no
     * region is reserved for the platform in this model.
     */
    if (rmm->state != RMM_STATE_ACTIVE) {
        return RMI_ERROR_GLOBAL;                            /* rmm_state */
    }
    if (state != RMI_TRACKING_NONE && state != RMI_TRACKING_FINE &&
        state != RMI_TRACKING_COARSE) {
        return RMI_ERROR_INPUT;                             /* state_valid */
    }
    if (addr & (RMM_TRACKING_REGION_SIZE - 1)) {
        return RMI_ERROR_INPUT;                             /* addr_align */
    }
    if (addr >= RMM_PA_LIMIT) {
        return RMI_ERROR_INPUT;                             /* addr_bound */
    }
    if (!category_compatible(rmm, addr, category, state)) {
        return RMI_ERROR_INPUT;                             /* category */
    }

    r = region_find(rmm, region_of(addr));
    if (r && r->busy) {
        /* A change of this region has not completed. */
        return RMI_BLOCKED;
    }
    rmm_tracking_attrs(rmm, addr, &cur_cat, &cur);
    if (cur == state) {
        return RMI_SUCCESS;
    }
    if (state == RMI_TRACKING_FINE) {
        return set_fine(rmm, addr, out);
    }
    st = region_homogeneous(rmm, addr, r);
    if (st != RMI_SUCCESS) {
        return st;
    }
    r = region_get(rmm, region_of(addr));
    if (cur == RMI_TRACKING_FINE && !r->fw_meta) {
        op = rmm_sro_open(rmm, RMI_IDX_GRANULE_TRACKING_SET, &unfine_class);
        if (!op) {
            return RMI_BLOCKED;
        }
    }
    r->state = state;
    r->fw_meta = false;
    if (!op) {
        return RMI_SUCCESS;
    }
    /* The metadata is inactive from now on: hand it back. */
    rmm_ranges_set_owner(rmm, r->meta, RMM_OWNER_SRO(op->index));
    g_array_append_vals(op->reclaim, r->meta->data, r->meta->len);
    g_array_set_size(r->meta, 0);
    r->busy = op;
    op->ctx.tracking.region = r->index;
    op->ctx.tracking.state = state;
    return rmm_sro_started(op, rmm_sro_yield(op, RMI_OP_MEM_REQ_RECLAIM,
                                             RMI_OP_CANNOT_CANCEL, 0),
                           out);
}

/* ---- Invariants ---- */

typedef struct TrackCheck {
    RmmCore *rmm;
    GString *err;
    uint64_t meta;
    bool coarse;
} TrackCheck;

static void check_region(gpointer key, gpointer value, gpointer opaque)
{
    TrackCheck *c = opaque;
    TrackRegion *r = value;
    uint64_t n;

    n = rmm_ranges_check(c->rmm, r->meta, RMM_OWNER_TRACKING,
                         "tracking metadata", c->err);
    c->meta += n;
    c->coarse |= r->state == RMI_TRACKING_COARSE;
    if (r->state != RMI_TRACKING_NONE && r->state != RMI_TRACKING_FINE &&
        r->state != RMI_TRACKING_COARSE) {
        g_string_append_printf(c->err, "tracking region %" PRIu64
                               " in state %" PRIu64 "\n", r->index, r->state);
    }
    if ((n != 0) != (r->state == RMI_TRACKING_FINE && !r->fw_meta) ||
        (r->fw_meta && r->state != RMI_TRACKING_FINE)) {
        g_string_append_printf(c->err, "tracking region %" PRIu64 " in "
                               "state %" PRIu64 " holds %" PRIu64
                               " metadata granules\n", r->index, r->state, n);
    }
    if (r->busy && (!r->busy->live ||
                    r->busy->cmd != RMI_IDX_GRANULE_TRACKING_SET)) {
        g_string_append_printf(c->err, "tracking region %" PRIu64
                               " names a dead operation\n", r->index);
    }
}

/* Only NS memory the RMM took over may sit in a region not FINE. */
static void check_coarse(gpointer key, gpointer value, gpointer opaque)
{
    TrackCheck *c = opaque;
    RmmGranule *g = value;
    uint64_t pa = g->pfn << RMM_GRANULE_SHIFT;

    if (rmm_tracking_state(c->rmm, pa) == RMI_TRACKING_COARSE &&
        !(g->state == RMM_GRANULE_INTERNAL &&
          g->prev_state == RMM_GRANULE_UNDELEGATED)) {
        g_string_append_printf(c->err, "granule 0x%" PRIx64 " is %s in a "
                               "COARSE region\n", pa,
                               rmm_granule_state_name(g->state));
    }
}

bool rmm_tracking_check(RmmCore *rmm, GString *err)
{
    TrackCheck c = { .rmm = rmm, .err = err };
    size_t len = err->len;
    uint64_t owned = rmm_granules_owned_by(rmm, RMM_OWNER_TRACKING);
    unsigned i;

    g_hash_table_foreach(rmm->tracking, check_region, &c);
    if (owned != c.meta) {
        g_string_append_printf(err, "%" PRIu64 " granules are tracking "
                               "metadata, regions name %" PRIu64 "\n",
                               owned, c.meta);
    }
    if (c.coarse) {
        g_hash_table_foreach(rmm->granules, check_coarse, &c);
    }
    for (i = 0; i < rmm->nr_sro; i++) {
        RmmSro *op = &rmm->sro[i];
        TrackRegion *r;

        if (!op->live || op->cmd != RMI_IDX_GRANULE_TRACKING_SET) {
            continue;
        }
        r = region_find(rmm, op->ctx.tracking.region);
        if (!r || r->busy != op) {
            g_string_append_printf(err, "SRO %u works on a tracking region "
                                   "that does not know it\n", i);
        }
    }
    return err->len == len;
}
