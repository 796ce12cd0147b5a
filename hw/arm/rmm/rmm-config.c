/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Global configuration: RMI_RMM_CONFIG_SET (B4.5.54), RMI_RMM_CONFIG_GET
 * (B4.5.53) and RMI_GRANULE_TRACKING_GET (B4.5.19, in its bet1 range
 * form).
 */
#include <string.h>

#include "hw/arm/rmm/rmm-internal.h"

/* Is an RmiRmmConfig supported?  Only 4KB granules with 1GB regions. */
static bool config_supported(RmmCore *rmm, uint64_t gran, uint64_t trs)
{
    return gran == RMI_GRANULE_SIZE_4KB &&
           (rmm->cfg.feat[1] & RMI_FR1_GRAN_SZ_4KB) && trs == 0;
}

/*
 * The failure conditions CONFIG_SET and CONFIG_GET share, in their order:
 * rmm_state, then cfg_align and cfg_pas for the RmiRmmConfig.
 */
static uint64_t config_ptr_check(RmmCore *rmm, RmmState want,
                                 uint64_t cfg_ptr)
{
    uint64_t st;

    if (rmm->state != want) {
        return rmm_fail(rmm, RMI_ERROR_GLOBAL, "rmm_state");
    }
    if (cfg_ptr & RMM_GRANULE_MASK) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "cfg_align");
    }
    st = rmm_ns_check(rmm, cfg_ptr, RMM_GRANULE_SIZE);
    if (st != RMI_SUCCESS) {
        return rmm_fail(rmm, st, "cfg_pas");
    }
    return RMI_SUCCESS;
}

uint64_t rmm_cmd_rmm_config_set(RmmCore *rmm, const uint64_t *in, RmiOut *out)
{
    uint64_t cfg_ptr = in[1];
    uint8_t buf[16];
    uint64_t st;

    st = config_ptr_check(rmm, RMM_STATE_INIT, cfg_ptr);
    if (st != RMI_SUCCESS) {
        return st;
    }
    if (!rmm_mem_read(rmm, cfg_ptr, buf, sizeof(buf))) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "cfg_pas");
    }
    /*
     * Both fields are 8-bit; the rest of their 64-bit words is SBZ, which
     * the host should honour but the RMM does not check.
     */
    if (!config_supported(rmm, buf[RMI_RMM_CONFIG_RMI_GRANULE_SIZE],
                          buf[RMI_RMM_CONFIG_TRACKING_REGION_SIZE])) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "cfg_supp");
    }
    /*
     * 'tracked' (num_tracked != 0) cannot trigger: only
     * RMI_GRANULE_TRACKING_SET makes a region tracked, and it needs an
     * ACTIVE RMM, after which CONFIG_SET already fails with ERROR_GLOBAL.
     */
    rmm->cfg_granule_size = buf[RMI_RMM_CONFIG_RMI_GRANULE_SIZE];
    rmm->cfg_tracking_size = buf[RMI_RMM_CONFIG_TRACKING_REGION_SIZE];
    return RMI_SUCCESS;
}

uint64_t rmm_cmd_rmm_config_get(RmmCore *rmm, const uint64_t *in, RmiOut *out)
{
    uint64_t cfg_ptr = in[1];
    uint8_t *page;
    uint64_t st;
    bool ok;

    st = config_ptr_check(rmm, RMM_STATE_ACTIVE, cfg_ptr);
    if (st != RMI_SUCCESS) {
        return st;
    }
    /* The whole structure is written: unused bits read as zero. */
    page = g_malloc0(RMM_GRANULE_SIZE);
    page[RMI_RMM_CONFIG_TRACKING_REGION_SIZE] = rmm->cfg_tracking_size;
    page[RMI_RMM_CONFIG_RMI_GRANULE_SIZE] = rmm->cfg_granule_size;
    ok = rmm_mem_write(rmm, cfg_ptr, page, RMM_GRANULE_SIZE);
    g_free(page);
    return ok ? RMI_SUCCESS : rmm_fail(rmm, RMI_ERROR_INPUT, "cfg_pas");
}

uint64_t rmm_cmd_granule_tracking_get(RmmCore *rmm, const uint64_t *in,
                                  RmiOut *out)
{
    uint64_t base = in[1], top = in[2];
    uint64_t category, state, end;

    if (rmm->state != RMM_STATE_ACTIVE) {
        return rmm_fail(rmm, RMI_ERROR_GLOBAL, "rmm_state");
    }
    if (base & RMM_GRANULE_MASK) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "base_align");
    }
    if (top & RMM_GRANULE_MASK) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "top_align");
    }
    if (top <= base) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "top_bound");
    }
    if (top > RMM_PA_LIMIT) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "pa_bound");
    }
    rmm_tracking_region(rmm, base, top, &category, &state, &end);
    rmi_set(out, 1, category);
    rmi_set(out, 2, state);
    rmi_set(out, 3, end);
    return RMI_SUCCESS;
}
