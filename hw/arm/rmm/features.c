/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RMI_FEATURES (B4.5.14).  The values are static attributes chosen when
 * the instance is created (RmmConfig.feat[]).
 */
#include "hw/arm/rmm/rmm-internal.h"

#define RMM_NR_FEATURE_REGS 5

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
