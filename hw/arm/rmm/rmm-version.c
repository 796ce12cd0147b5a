/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RMI_VERSION (B4.5.92, chapter B2).
 *
 * Both ABI profiles are revisions of interface 2.0, the only revision
 * this RMM implements, so the negotiation collapses: the higher revision
 * is always 2.0, and so is the lower one, either because 2.0 was asked
 * for (success) or because 2.0 is the closest supported revision below
 * (outcome b) or above (outcome c) the request.
 */
#include "hw/arm/rmm/rmm-internal.h"

#define RMM_RMI_VERSION     RMI_VERSION_MAKE(2, 0)

uint64_t rmm_cmd_version(RmmCore *rmm, const uint64_t *in, RmiOut *out)
{
    uint64_t req = in[1];

    rmi_set(out, 1, RMM_RMI_VERSION);
    rmi_set(out, 2, RMM_RMI_VERSION);
    /*
     * A request with any of the MBZ bits [63:31] set names no revision at
     * all; it is treated as unsupported, like any other revision that is
     * not 2.0 (incompat_lower: 2.0 is below the request, incompat_higher:
     * above it).
     */
    if (req & RMI_VERSION_MBZ) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "mbz");
    }
    if (req != RMM_RMI_VERSION) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, req > RMM_RMI_VERSION ?
                        "incompat_lower" : "incompat_higher");
    }
    return RMI_SUCCESS;
}
