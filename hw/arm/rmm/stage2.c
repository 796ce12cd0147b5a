/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Real stage-2 descriptors in the RTT granules.
 *
 * A REC that executes (rec-exec.c) is translated by the CPU's own
 * stage-2 walker, from VTTBR_EL2 = the realm's starting RTT.  So each RTT
 * granule holds, besides the model's RmmRtt, the VMSAv8-64 descriptors
 * an RMM would have written there: 4KB granule, FEAT_S2FWB attributes
 * (the encoding RMI uses for MAPPED_NS memattr), as TF-RMM writes them.
 *
 *   TABLE                  next-level RTT | table
 *   protected DATA, RAM    DATA granule | block/page, AF, inner shareable,
 *                          read/write, Normal Write-Back
 *   MAPPED_NS              NS page | block/page, AF, inner shareable, the
 *                          host's S2AP and MemAttr, never executable, NS
 *                          (bit 55: the access goes to the Non-secure PAS)
 *   anything else          invalid, so the access faults and the RMM
 *                          decides: RIPAS EMPTY or DESTROYED DATA, VOID
 *
 * Descriptors are written as entries change (rmm_rtte_set()), and only
 * when the RMM runs realms for real (rmm_core_set_stage2()); the model
 * never reads them back except to check them.
 */
#include "hw/arm/rmm/rtt.h"

#define S2_VALID            (1ULL << 0)
#define S2_TABLE_OR_PAGE    (1ULL << 1)
#define S2_MEMATTR_SHIFT    2
#define S2_MEMATTR_FWB_WB   6ULL            /* Normal, Write-Back */
#define S2_AP_SHIFT         6
#define S2_AP_RW            3ULL
#define S2_SH_INNER         (3ULL << 8)
#define S2_AF               (1ULL << 10)
#define S2_XN_EL1_EL0       (2ULL << 53)    /* XN[1:0] = 0b10 */
#define S2_NS               (1ULL << 55)

/*
 * An output address, and the shareability field: with LPA2 (VTCR_EL2.DS)
 * bits [9:8] hold OA[51:50] instead, and VTCR_EL2.SH0 says inner.
 */
static uint64_t s2_oa_sh(const RmmRtt *rtt, uint64_t pa)
{
    if (rtt->realm->lpa2) {
        return (pa & 0x0003fffffffff000ULL) | ((pa >> 50) & 3) << 8;
    }
    return pa | S2_SH_INNER;
}

uint64_t rmm_s2_desc(const RmmRtt *rtt, unsigned index)
{
    const RmmRtte *e = &rtt->e[index];
    uint64_t leaf = rtt->level == RMM_RTT_PAGE_LEVEL ?
                    S2_VALID | S2_TABLE_OR_PAGE : S2_VALID;

    switch (e->state) {
    case RMI_RTTE_TABLE:
        return (rtt->realm->lpa2 ? s2_oa_sh(rtt, e->addr) : e->addr) |
               S2_VALID | S2_TABLE_OR_PAGE;
    case RMI_RTTE_DATA:
        if (!rmm_rtt_entry_protected(rtt, index)) {
            return s2_oa_sh(rtt, e->addr) | leaf | S2_AF | S2_NS |
                   S2_XN_EL1_EL0 |
                   (uint64_t)(e->s2ap & 3) << S2_AP_SHIFT |
                   (uint64_t)(e->memattr & 7) << S2_MEMATTR_SHIFT;
        }
        if (e->ripas != RMI_RIPAS_RAM) {
            return 0;
        }
        return s2_oa_sh(rtt, e->addr) | leaf | S2_AF |
               S2_AP_RW << S2_AP_SHIFT | S2_MEMATTR_FWB_WB << S2_MEMATTR_SHIFT;
    default:
        return 0;
    }
}

void rmm_s2_write(RmmRtt *rtt, unsigned index)
{
    uint64_t desc = rmm_s2_desc(rtt, index);

    rmm_mem_write(rtt->s2, rtt->pa + 8ULL * index, &desc, sizeof(desc));
    rtt->s2->s2_changed = true;
}

void rmm_core_set_stage2(RmmCore *rmm, bool on)
{
    /* Existing RTTs would lack their descriptors. */
    g_assert(!g_hash_table_size(rmm->realms->rtts));
    rmm->stage2 = on;
}

bool rmm_core_stage2_changed(RmmCore *rmm)
{
    bool changed = rmm->s2_changed;

    rmm->s2_changed = false;
    return changed;
}

bool rmm_s2_check(RmmRtt *rtt, GString *err)
{
    uint64_t desc[RMM_RTT_ENTRIES];
    unsigned i, n = rmm_rtt_level_entries(rtt->level);

    if (!rtt->s2) {
        return true;
    }
    if (!rmm_mem_read(rtt->s2, rtt->pa, desc, 8ULL * n)) {
        g_string_append_printf(err, "RTT 0x%" PRIx64 ": its descriptors "
                               "cannot be read\n", rtt->pa);
        return false;
    }
    for (i = 0; i < n; i++) {
        if (desc[i] != rmm_s2_desc(rtt, i)) {
            g_string_append_printf(err, "RTT 0x%" PRIx64 " entry %u: stage-2 "
                                   "descriptor 0x%" PRIx64 ", the entry says "
                                   "0x%" PRIx64 "\n", rtt->pa, i, desc[i],
                                   rmm_s2_desc(rtt, i));
            return false;
        }
    }
    return true;
}
