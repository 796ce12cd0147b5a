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

/* INTERNAL granules with this owner, by a walk of every record. */
uint64_t rmm_granules_owned_by(RmmCore *rmm, uint32_t owner);

/* ---- Granule Protection Table (gpt.c) ---- */

void rmm_gpt_init(RmmCore *rmm);
void rmm_gpt_fini(RmmCore *rmm);
bool rmm_gpt_check(RmmCore *rmm, GString *err);

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
bool rmm_tracking_check(RmmCore *rmm, GString *err);

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
