/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Differences between ABI profiles that are visible to the commands of
 * this core.  bet2 widened RmiOpMemState from 1 to 2 bits (adding
 * CONDITIONAL), which moves the state field of RmiOpMemDonateReq from
 * [17] to [18:17] and of RmiAddrRangeDesc from [63] to [63:62].  Every
 * user goes through these helpers so that the layouts exist exactly once.
 */
#include "hw/arm/rmm/rmm-internal.h"

unsigned rmm_mem_state_width(const RmmCore *rmm)
{
    return rmm->cfg.profile == RMM_PROFILE_BET3 ? 2 : 1;
}

static uint64_t field_mask(unsigned width)
{
    return (1ULL << width) - 1;
}

uint64_t rmm_donate_req_state(const RmmCore *rmm, uint64_t req)
{
    return (req >> RMI_DONATE_STATE_SHIFT) &
           field_mask(rmm_mem_state_width(rmm));
}

uint64_t rmm_donate_req_sbz(const RmmCore *rmm)
{
    return ~0ULL << (RMI_DONATE_STATE_SHIFT + rmm_mem_state_width(rmm));
}

uint64_t rmm_desc_state(const RmmCore *rmm, uint64_t desc)
{
    return desc >> (64 - rmm_mem_state_width(rmm));
}

uint64_t rmm_desc_sbz(const RmmCore *rmm)
{
    /* Reserved bits from 52 up to the state field. */
    unsigned top = 64 - rmm_mem_state_width(rmm);

    return ((1ULL << top) - 1) & ~((1ULL << RMI_DESC_SBZ_SHIFT) - 1);
}

uint64_t rmm_make_desc(const RmmCore *rmm, uint64_t addr, uint64_t size,
                       uint64_t count, uint64_t state)
{
    return RMI_DESC(addr, size, count, state, rmm_mem_state_width(rmm));
}

bool rmm_mem_state_valid(const RmmCore *rmm, uint64_t state)
{
    if (rmm->cfg.profile == RMM_PROFILE_BET3) {
        return state <= RMI_OP_MEM_CONDITIONAL;
    }
    return state <= RMI_OP_MEM_UNDELEGATED;
}

/* Bytes in a block of RmiAddrBlockSize, with a 4KB translation granule. */
uint64_t rmm_block_bytes(uint64_t size_code)
{
    return RMM_GRANULE_SIZE << (9 * RMI_DESC_SIZE(size_code));
}
