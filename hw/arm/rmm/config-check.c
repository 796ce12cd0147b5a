/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rmm_config_check(): is an RmmConfig one this model can be?  Every value
 * a user can set (the QEMU device's properties) is checked here, so that
 * a bad one is refused with a message naming it and what it accepts,
 * instead of producing an RMM that contradicts itself.  Messages name the
 * values by their device property names.
 */
#include <stdarg.h>

#include "hw/arm/rmm/rmm-internal.h"

#define RMM_REC_AUX_MAX         16      /* as TF-RMM's MAX_REC_AUX_GRANULES */

static bool fail(char **err, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static bool fail(char **err, const char *fmt, ...)
{
    va_list ap;

    if (err) {
        va_start(ap, fmt);
        *err = g_strdup_vprintf(fmt, ap);
        va_end(ap);
    }
    return false;
}

/*
 * An RmiOpMemDonateReq the RMM may send: no reserved bit set, at least one
 * block, a block size up to L1 (an L0 block is 512GB), and a memory state
 * the profile defines.  An activation can only be served with memory the
 * host has not delegated, since delegation needs an ACTIVE RMM.
 */
static bool donate_req_ok(const RmmConfig *cfg, const char *name,
                          uint64_t req, bool activation, char **err)
{
    unsigned width = cfg->profile == RMM_PROFILE_BET3 ? 2 : 1;
    uint64_t sbz = ~0ULL << (RMI_DONATE_STATE_SHIFT + width);
    uint64_t state = (req >> RMI_DONATE_STATE_SHIFT) & ((1u << width) - 1);

    if (!req) {
        return true;
    }
    if (req & sbz) {
        return fail(err, "%s: reserved bits [63:%u] set in 0x%" PRIx64
                    " (RmiOpMemDonateReq: size [1:0], count [15:2], "
                    "contig [16], state [%s])", name,
                    RMI_DONATE_STATE_SHIFT + width, req,
                    width == 1 ? "17" : "18:17");
    }
    if (RMI_DONATE_COUNT(req) == 0) {
        return fail(err, "%s: a request for 0 blocks (count [15:2] must be "
                    "1..16383; 0 turns the request off)", name);
    }
    if (RMI_DONATE_SIZE(req) > RMI_BLOCK_L1) {
        return fail(err, "%s: block size L0 (512GB) is more than any "
                    "host can donate: use L3, L2 or L1", name);
    }
    if (state > (cfg->profile == RMM_PROFILE_BET3 ? RMI_OP_MEM_CONDITIONAL
                                                  : RMI_OP_MEM_UNDELEGATED)) {
        return fail(err, "%s: memory state %" PRIu64 " is reserved", name,
                    state);
    }
    if (activation && state == RMI_OP_MEM_DELEGATED) {
        return fail(err, "%s: asks for DELEGATED memory, which no host can "
                    "have before the RMM is active: ask for UNDELEGATED "
                    "(state 1)%s", name,
                    cfg->profile == RMM_PROFILE_BET3 ? " or CONDITIONAL" : "");
    }
    return true;
}

static bool feat_ok(const RmmConfig *cfg, char **err)
{
    uint64_t fr0 = cfg->feat[0], fr1 = cfg->feat[1];
    unsigned s2sz = RMI_FR0_S2SZ(fr0);
    unsigned l0gptsz = RMI_FR1_L0GPTSZ(fr1);
    unsigned pps = RMI_FR1_PPS(fr1);

    if (s2sz < 32 || s2sz > 52 || (s2sz > 48 && !(fr0 & RMI_FR0_LPA2))) {
        return fail(err, "feat-reg0: S2SZ [7:0] = %u is not an IPA width "
                    "this RMM can offer (32..48, or up to 52 with LPA2 "
                    "[8])", s2sz);
    }
    if (!RMI_FR0_NUM_BPS(fr0) || !RMI_FR0_NUM_WPS(fr0)) {
        return fail(err, "feat-reg0: NUM_BPS [19:14] and NUM_WPS [25:20] "
                    "hold the number minus one and must not be 0 (at "
                    "least 2 of each)");
    }
    if (!(fr0 & RMI_FR0_SVE) && RMI_FR0_SVE_VL(fr0)) {
        return fail(err, "feat-reg0: SVE_VL [13:10] set without SVE [9]");
    }
    if (!(fr0 & RMI_FR0_PMU) && RMI_FR0_PMU_NUM_CTRS(fr0)) {
        return fail(err, "feat-reg0: PMU_NUM_CTRS [31:27] set without "
                    "PMU [26]");
    }
    if (!(fr1 & RMI_FR1_GRAN_SZ_4KB) ||
        (fr1 & (RMI_FR1_GRAN_SZ_16KB | RMI_FR1_GRAN_SZ_64KB))) {
        return fail(err, "feat-reg1: this RMM supports 4KB RMI granules "
                    "only: GRAN_SZ_4KB [0] must be set and [2:1] clear");
    }
    if (!(fr1 & (RMI_FR1_HASH_SHA_256 | RMI_FR1_HASH_SHA_384 |
                 RMI_FR1_HASH_SHA_512))) {
        return fail(err, "feat-reg1: no measurement algorithm: set at "
                    "least one of HASH_SHA_256/384/512 [5:3]");
    }
    if (!RMI_FR1_MAX_RECS_ORDER(fr1)) {
        return fail(err, "feat-reg1: MAX_RECS_ORDER [9:6] = 0 allows no "
                    "REC at all (max RECs = 2^n - 1)");
    }
    if (l0gptsz != 0 && l0gptsz != 4 && l0gptsz != 6 && l0gptsz != 9) {
        return fail(err, "feat-reg1: L0GPTSZ [13:10] = %u is reserved "
                    "(0, 4, 6 or 9: 1GB, 16GB, 64GB or 512GB)", l0gptsz);
    }
    if (pps > 6) {
        return fail(err, "feat-reg1: PPS [16:14] = %u is reserved (0..6)",
                    pps);
    }
    if (cfg->feat[2]) {
        return fail(err, "feat-reg2: device assignment is not modelled: "
                    "must be 0");
    }
    if (cfg->feat[3]) {
        return fail(err, "feat-reg3: auxiliary planes are not modelled: "
                    "must be 0");
    }
    return true;
}

bool rmm_config_check(const RmmConfig *cfg, char **err)
{
    if (cfg->profile != RMM_PROFILE_BET1 && cfg->profile != RMM_PROFILE_BET3) {
        return fail(err, "profile: unknown profile %d", cfg->profile);
    }
    if (cfg->sro_contexts < 1 || cfg->sro_contexts > 0xffff) {
        return fail(err, "sro-contexts: %u contexts (1..65535)",
                    cfg->sro_contexts);
    }
    if (!feat_ok(cfg, err)) {
        return false;
    }
    if (cfg->rec_aux_count > RMM_REC_AUX_MAX) {
        return fail(err, "rec-aux-count: %u auxiliary granules (0..%u)",
                    cfg->rec_aux_count, RMM_REC_AUX_MAX);
    }
    if (!donate_req_ok(cfg, "activate-donate-req", cfg->activate_donate_req,
                       true, err) ||
        !donate_req_ok(cfg, "realm-create-donate-req",
                       cfg->realm_create_donate_req, false, err)) {
        return false;
    }
    return true;
}
