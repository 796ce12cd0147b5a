/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RMI_FEATURES (B4.5.14).  The values are static attributes chosen when
 * the instance is created (RmmConfig.feat[]).
 */
#include "hw/arm/rmm/rmm-internal.h"

#define RMM_NR_FEATURE_REGS 5

/* ID register fields (Arm ARM D23.2) the derivation reads. */
#define ID_MMFR0_PARANGE_SHIFT      0
#define ID_MMFR0_PARANGE_WIDTH      4
#define ID_MMFR0_TGRAN4_2_SHIFT     40
#define ID_MMFR0_TGRAN4_2_WIDTH     4
#define ID_MMFR0_TGRAN4_2_LPA2      3       /* 52-bit stage 2 with 4KB */
#define ID_PFR0_SVE_SHIFT           32
#define ID_PFR0_SVE_WIDTH           4
#define ID_DFR0_PMUVER_SHIFT        8
#define ID_DFR0_PMUVER_WIDTH        4
#define ID_DFR0_PMUVER_IMPDEF       0xf
#define ID_DFR0_BRPS_SHIFT          12
#define ID_DFR0_BRPS_WIDTH          4
#define ID_DFR0_WRPS_SHIFT          20
#define ID_DFR0_WRPS_WIDTH          4

static unsigned pa_range_bits(unsigned parange)
{
    static const unsigned bits[] = { 32, 36, 40, 42, 44, 48, 52 };

    /* Values above 0b0110 are reserved: assume the largest defined. */
    return bits[MIN(parange, G_N_ELEMENTS(bits) - 1)];
}

uint64_t rmm_feat_reg0_for_cpu(const RmmCpuFeatures *cpu, uint64_t base)
{
    bool lpa2 = RMI_FIELD_GET(ID_MMFR0_TGRAN4_2, cpu->id_aa64mmfr0) ==
                ID_MMFR0_TGRAN4_2_LPA2;
    unsigned s2sz =
        pa_range_bits(RMI_FIELD_GET(ID_MMFR0_PARANGE, cpu->id_aa64mmfr0));
    unsigned pmuver = RMI_FIELD_GET(ID_DFR0_PMUVER, cpu->id_aa64dfr0);
    uint64_t fr0 = base & ~0xffffffffULL;

    /* Without LPA2 a 4KB stage 2 cannot output more than 48 bits. */
    if (!lpa2) {
        s2sz = MIN(s2sz, 48u);
    }
    fr0 |= RMI_FIELD_PREP(RMI_FR0_S2SZ, s2sz);
    if (lpa2) {
        fr0 |= RMI_FR0_LPA2;
    }
    if (RMI_FIELD_GET(ID_PFR0_SVE, cpu->id_aa64pfr0) && cpu->sve_max_vq) {
        fr0 |= RMI_FR0_SVE |
               RMI_FIELD_PREP(RMI_FR0_SVE_VL,
                              MIN(cpu->sve_max_vq - 1,
                                  RMI_FIELD_MAX(RMI_FR0_SVE_VL)));
    }
    /* Both ID fields and both FR0 fields hold the number minus one. */
    fr0 |= RMI_FIELD_PREP(RMI_FR0_NUM_BPS,
                          RMI_FIELD_GET(ID_DFR0_BRPS, cpu->id_aa64dfr0));
    fr0 |= RMI_FIELD_PREP(RMI_FR0_NUM_WPS,
                          RMI_FIELD_GET(ID_DFR0_WRPS, cpu->id_aa64dfr0));
    /* PMUv3 is PMUVer 1..14; 0 is none and 15 an IMPDEF PMU. */
    if (pmuver && pmuver != ID_DFR0_PMUVER_IMPDEF) {
        fr0 |= RMI_FR0_PMU |
               RMI_FIELD_PREP(RMI_FR0_PMU_NUM_CTRS,
                              MIN(cpu->pmu_num_ctrs,
                                  RMI_FIELD_MAX(RMI_FR0_PMU_NUM_CTRS)));
    }
    return fr0;
}

uint64_t rmm_cmd_features(RmmCore *rmm, const uint64_t *in, RmiOut *out)
{
    uint64_t index = in[1];

    /*
     * The command has no failure condition: an index this revision does
     * not define reads as zero, which is what a later revision's register
     * with every feature absent would read as.
     */
    rmi_set(out, 1, index < RMM_NR_FEATURE_REGS ? rmm->cfg.feat[index] : 0);
    return RMI_SUCCESS;
}
