/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Sparse granule tracking.
 *
 * Only granules that are not GRAN_UNDELEGATED have a record, keyed by PFN
 * in a hash table: a host with terabytes of DRAM costs nothing until it
 * delegates, and every state change is O(1).  Per-state counts are kept up
 * to date here so that the census is O(1) and rmm_core_check() can compare
 * them with a recount.
 *
 * The memory layout view (A2.3.2) is the list of DRAM blocks given by
 * rmm_core_add_dram(): DRAM is populated, and every 1GB tracking region
 * that contains DRAM is tracked at FINE granularity from boot.
 */
#include <string.h>

#include "hw/arm/rmm/memmap.h"

void rmm_granules_init(RmmCore *rmm)
{
    /* The record is its own key: pfn is its first member. */
    rmm->granules = g_hash_table_new_full(g_int64_hash, g_int64_equal,
                                          NULL, g_free);
    rmm->dram = g_array_new(FALSE, FALSE, sizeof(RmmDram));
}

void rmm_granules_fini(RmmCore *rmm)
{
    g_hash_table_destroy(rmm->granules);
    g_array_free(rmm->dram, TRUE);
}

RmmGranule *rmm_granule_find(RmmCore *rmm, uint64_t pa)
{
    gint64 pfn = (gint64)(pa >> RMM_GRANULE_SHIFT);

    return g_hash_table_lookup(rmm->granules, &pfn);
}

RmmGranuleState rmm_granule_state(RmmCore *rmm, uint64_t pa)
{
    RmmGranule *g = rmm_granule_find(rmm, pa);

    return g ? (RmmGranuleState)g->state : RMM_GRANULE_UNDELEGATED;
}

static RmmGranule *granule_get_or_add(RmmCore *rmm, uint64_t pa)
{
    RmmGranule *g = rmm_granule_find(rmm, pa);

    if (!g) {
        g = g_new0(RmmGranule, 1);
        g->pfn = pa >> RMM_GRANULE_SHIFT;
        g->state = RMM_GRANULE_UNDELEGATED;
        g_hash_table_add(rmm->granules, g);
    }
    return g;
}

static void granule_account(RmmCore *rmm, RmmGranule *g, int delta)
{
    if (g->state == RMM_GRANULE_INTERNAL && g->owner == RMM_OWNER_RMM) {
        rmm->rmm_owned += delta;
    }
    if (g->state != RMM_GRANULE_UNDELEGATED) {
        rmm->count[g->state] += delta;
    }
}

void rmm_granule_set(RmmCore *rmm, uint64_t pa, RmmGranuleState state)
{
    RmmGranule *g;

    if (state == RMM_GRANULE_UNDELEGATED) {
        g = rmm_granule_find(rmm, pa);
        if (g) {
            granule_account(rmm, g, -1);
            g_hash_table_remove(rmm->granules, g);
        }
        return;
    }
    g = granule_get_or_add(rmm, pa);
    granule_account(rmm, g, -1);
    g->state = state;
    g->prev_state = RMM_GRANULE_UNDELEGATED;
    g->owner = RMM_OWNER_NONE;
    granule_account(rmm, g, +1);
}

void rmm_granule_set_internal(RmmCore *rmm, uint64_t pa, uint32_t owner,
                              RmmGranuleState prev)
{
    RmmGranule *g = granule_get_or_add(rmm, pa);

    granule_account(rmm, g, -1);
    g->state = RMM_GRANULE_INTERNAL;
    g->prev_state = prev;
    g->owner = owner;
    granule_account(rmm, g, +1);
}

uint64_t rmm_granules_metadata_bytes(RmmCore *rmm)
{
    /* Record plus GHashTable's key, value and hash slots. */
    uint64_t per = sizeof(RmmGranule) + 2 * sizeof(gpointer) + sizeof(guint);

    return g_hash_table_size(rmm->granules) * per;
}

void rmm_core_add_dram(RmmCore *rmm, uint64_t base, uint64_t size)
{
    RmmDram blk;
    guint i;

    base &= ~RMM_GRANULE_MASK;
    if (size == 0 || base >= RMM_PA_LIMIT) {
        return;
    }
    blk.base = base;
    blk.top = (size > RMM_PA_LIMIT - base) ? RMM_PA_LIMIT : base + size;
    blk.top &= ~RMM_GRANULE_MASK;
    if (blk.top <= blk.base) {
        return;
    }

    /* Keep the list sorted and disjoint: merge what overlaps or touches. */
    for (i = 0; i < rmm->dram->len;) {
        RmmDram *d = &g_array_index(rmm->dram, RmmDram, i);

        if (d->top < blk.base || d->base > blk.top) {
            i++;
            continue;
        }
        blk.base = MIN(blk.base, d->base);
        blk.top = MAX(blk.top, d->top);
        g_array_remove_index(rmm->dram, i);
    }
    for (i = 0; i < rmm->dram->len; i++) {
        if (g_array_index(rmm->dram, RmmDram, i).base > blk.base) {
            break;
        }
    }
    g_array_insert_val(rmm->dram, i, blk);
}

bool rmm_pa_is_dram(RmmCore *rmm, uint64_t pa)
{
    guint i;

    for (i = 0; i < rmm->dram->len; i++) {
        RmmDram *d = &g_array_index(rmm->dram, RmmDram, i);

        if (pa >= d->base && pa < d->top) {
            return true;
        }
    }
    return false;
}

static uint64_t region_base(uint64_t pa)
{
    return pa & ~(RMM_TRACKING_REGION_SIZE - 1);
}

bool rmm_range_has_dram(RmmCore *rmm, uint64_t base, uint64_t top)
{
    guint i;

    for (i = 0; i < rmm->dram->len; i++) {
        RmmDram *d = &g_array_index(rmm->dram, RmmDram, i);

        if (d->base < top && d->top > base) {
            return true;
        }
    }
    return false;
}

/* Does the tracking region starting at rbase contain any DRAM? */
bool rmm_region_has_dram(RmmCore *rmm, uint64_t rbase)
{
    return rmm_range_has_dram(rmm, rbase, rbase + RMM_TRACKING_REGION_SIZE);
}

bool rmm_pa_is_tracked(RmmCore *rmm, uint64_t pa)
{
    uint64_t state = rmm_tracking_state(rmm, pa);

    return state == RMI_TRACKING_FINE || state == RMI_TRACKING_COARSE;
}

/*
 * Attributes of the tracking region holding pa, and the top of the run of
 * regions from there on that share them (bounded by limit): a host walking
 * its memory map then needs one call per DRAM block, not one per GB.
 * tracking.c knows the state of each region and where the next region
 * that may differ starts.
 */
void rmm_tracking_region(RmmCore *rmm, uint64_t pa, uint64_t limit,
                         uint64_t *category, uint64_t *state, uint64_t *top)
{
    uint64_t end = region_base(pa);

    rmm_tracking_attrs(rmm, end, category, state);
    while (end < limit && end < RMM_PA_LIMIT) {
        uint64_t c, s;

        rmm_tracking_attrs(rmm, end, &c, &s);
        if (c != *category || s != *state) {
            break;
        }
        end = rmm_tracking_next(rmm, end);
    }
    *top = MIN(end, limit);
}

uint64_t rmm_ns_check(RmmCore *rmm, uint64_t pa, uint64_t len)
{
    uint64_t g = pa & ~RMM_GRANULE_MASK;
    uint64_t end = pa + (len ? len : 1);

    if (end < pa) {
        return RMI_ERROR_INPUT;
    }
    for (; g < end; g += RMM_GRANULE_SIZE) {
        if (rmm_granule_state(rmm, g) != RMM_GRANULE_UNDELEGATED) {
            return RMI_ERROR_INPUT;
        }
        if (rmm_sro_held(rmm, g, g + RMM_GRANULE_SIZE, NULL)) {
            return RMI_BLOCKED;
        }
    }
    return RMI_SUCCESS;
}

bool rmm_mem_read(RmmCore *rmm, uint64_t pa, void *buf, uint64_t len)
{
    return rmm->ops->read(rmm->opaque, pa, buf, len);
}

bool rmm_mem_write(RmmCore *rmm, uint64_t pa, const void *buf, uint64_t len)
{
    return rmm->ops->write(rmm->opaque, pa, buf, len);
}

bool rmm_mem_zero(RmmCore *rmm, uint64_t pa, uint64_t len)
{
    return rmm->ops->zero(rmm->opaque, pa, len);
}

RmmGranuleState rmm_core_granule_state(RmmCore *rmm, uint64_t pa)
{
    return rmm_granule_state(rmm, pa);
}

bool rmm_core_granule_held(RmmCore *rmm, uint64_t pa)
{
    pa &= ~RMM_GRANULE_MASK;
    return rmm_sro_held(rmm, pa, pa + RMM_GRANULE_SIZE, NULL);
}

const char *rmm_granule_state_name(RmmGranuleState state)
{
    static const char *const names[RMM_GRANULE_NR_STATES] = {
        [RMM_GRANULE_UNDELEGATED] = "UNDELEGATED",
        [RMM_GRANULE_DELEGATED] = "DELEGATED",
        [RMM_GRANULE_RD] = "RD",
        [RMM_GRANULE_REC] = "REC",
        [RMM_GRANULE_RTT] = "RTT",
        [RMM_GRANULE_DATA] = "DATA",
        [RMM_GRANULE_INTERNAL] = "INTERNAL",
    };

    return (unsigned)state < RMM_GRANULE_NR_STATES ? names[state] : "?";
}
