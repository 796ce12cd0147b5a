/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rmm-emu model core: the parts of the memory map that the host changes at
 * run time, i.e. the Level 0 GPT entries (gpt.c) and the Granule tracking
 * regions (tracking.c).
 *
 * Both keep a record only for what differs from the boot configuration,
 * which is derived from the DRAM list: every L0GPT block and every
 * tracking region that contains DRAM starts with a table / FINE tracking
 * whose memory the firmware provided.  Memory the host never touches
 * therefore costs nothing.
 */
#ifndef RMM_MEMMAP_H
#define RMM_MEMMAP_H

#include "hw/arm/rmm/rmm-internal.h"

/* ---- Region maps (memmap.c) ---- */

/*
 * The record of one region (an L0GPT entry, a tracking region) that
 * differs from its boot state.  gpt.c and tracking.c embed it first in
 * their own record type.
 */
typedef struct RmmRegionRec {
    uint64_t index;                 /* first: the GHashTable key */
    uint64_t state;                 /* the region kind's own enumeration */
    GArray *meta;                   /* RmmSroRange: metadata donated to it */
    RmmSro *busy;                   /* a command in flight on the region */
} RmmRegionRec;

/* What one kind of region plugs into its map. */
typedef struct RmmRegionMapClass {
    size_t rec_size;                /* of the type embedding RmmRegionRec */
    uint32_t owner;                 /* RMM_OWNER_* of the metadata */
    RmiCmdIndex cmds[2];            /* the commands that change a region */
    const char *rec_name;           /* "L0GPT entry", in messages */
    const char *recs_name;          /* "L0GPT entries", in messages */
    const char *meta_name;          /* "L1GPT memory", in messages */
    /* The state of a region no record describes. */
    uint64_t (*boot_state)(RmmCore *rmm, uint64_t index);
    /* Optional: set up the rest of a new record. */
    void (*rec_init)(RmmCore *rmm, RmmRegionRec *rec);
    /* The record's own invariants, given its metadata granule count. */
    void (*rec_check)(RmmCore *rmm, RmmRegionRec *rec, uint64_t meta,
                      GString *err);
} RmmRegionMapClass;

typedef struct RmmRegionMap {
    const RmmRegionMapClass *cls;
    GHashTable *recs;               /* index -> RmmRegionRec */
} RmmRegionMap;

RmmRegionMap *rmm_region_map_new(const RmmRegionMapClass *cls);
void rmm_region_map_free(RmmRegionMap *m);
RmmRegionRec *rmm_region_find(RmmRegionMap *m, uint64_t index);
/* The record of the region, created in its boot state if need be. */
RmmRegionRec *rmm_region_get(RmmCore *rmm, RmmRegionMap *m, uint64_t index);
uint64_t rmm_region_state(RmmCore *rmm, RmmRegionMap *m, uint64_t index);
/* Has a command on the region not completed? */
bool rmm_region_blocked(RmmRegionMap *m, uint64_t index);
/* Forget a record that says nothing the boot state does not. */
void rmm_region_trim(RmmCore *rmm, RmmRegionMap *m, RmmRegionRec *rec);

/* The granules of a region besides RMM_GRANULE_UNDELEGATED ones. */
typedef struct RmmRegionCensus {
    uint64_t own;                   /* its own metadata, inside it */
    uint64_t tracked;               /* every other one */
    uint64_t realm;                 /* of those, not INTERNAL */
} RmmRegionCensus;

/*
 * Count the granules of [base, top), the region 'index' covers; RMI_BLOCKED
 * (and no count) when an incomplete operation holds one of them.
 */
uint64_t rmm_region_census(RmmCore *rmm, RmmRegionMap *m, uint64_t index,
                           uint64_t base, uint64_t top, RmmRegionCensus *c);

/* The region keeps what the host donated to op as its metadata. */
void rmm_region_take_donation(RmmCore *rmm, RmmRegionMap *m,
                              RmmRegionRec *rec, RmmSro *op);
/*
 * Start op handing the region's metadata back with one reclaim step that
 * cannot be cancelled; returns X0 (X1, X2 set).
 */
uint64_t rmm_region_release_meta(RmmCore *rmm, RmmRegionRec *rec,
                                 RmmSro *op, RmiOut *out);
/*
 * Invariants every map keeps: metadata granules owned as the records say,
 * a record's busy operation live and one of the map's commands, and every
 * live operation of those commands known to its record.
 */
/* owned: the granules that are INTERNAL with m's owner. */
bool rmm_region_map_check(RmmCore *rmm, RmmRegionMap *m, uint64_t owned,
                          GString *err);

/* ---- Granule Protection Table (gpt.c) ---- */

void rmm_gpt_init(RmmCore *rmm);
void rmm_gpt_fini(RmmCore *rmm);
bool rmm_gpt_check(RmmCore *rmm, const RmmOwnerTally *owned, GString *err);

/* Size of the PA range one L0GPT entry describes (FR1.L0GPTSZ). */
uint64_t rmm_gpt_l0_size(const RmmCore *rmm);
/*
 * Can the GPI of the granule at pa change, i.e. is its L0GPT entry a
 * table descriptor?  Delegation needs that.
 */
bool rmm_gpt_has_l1(RmmCore *rmm, uint64_t pa);

/* ---- Granule tracking regions (tracking.c) ---- */

void rmm_tracking_init(RmmCore *rmm);
void rmm_tracking_fini(RmmCore *rmm);
bool rmm_tracking_check(RmmCore *rmm, const RmmOwnerTally *owned,
                        GString *err);

/* Does [base, top) overlap DRAM?  The tracking region at rbase? (granule.c) */
bool rmm_range_has_dram(RmmCore *rmm, uint64_t base, uint64_t top);
bool rmm_region_has_dram(RmmCore *rmm, uint64_t rbase);
/* RmiMemCategory and RmiTrackingRegionState of the region at rbase. */
void rmm_tracking_attrs(RmmCore *rmm, uint64_t rbase, uint64_t *category,
                        uint64_t *state);
/* RMI_TRACKING_* of the region holding pa. */
uint64_t rmm_tracking_state(RmmCore *rmm, uint64_t pa);
/*
 * The base of the next region after rbase whose attributes may differ
 * from those of rbase: rbase + region size when rbase holds DRAM or was
 * changed by the host, else the next such region (or the PA limit).
 */
uint64_t rmm_tracking_next(RmmCore *rmm, uint64_t rbase);

#endif /* RMM_MEMMAP_H */
