/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The model core in your own program (docs/using-it.rst, first example):
 * delegate a granule, create a realm, read the census, tear it down.
 * Build against an installed rmm-emu:
 *
 *   cc delegate-and-create.c $(pkg-config --cflags --libs rmm-emu) -o dac
 *
 * It prints what it did and exits 0 when every call answered as the
 * specification says.
 */
#include <stdio.h>
#include <string.h>

#include "hw/arm/rmm/rmm.h"
#include "hw/arm/rmm/rmi-defs.h"
#include "tests/common/simmem.h"

#define RAM_BASE    0x40000000ULL
#define RAM_SIZE    (64ULL << 20)
#define CONFIG      RAM_BASE                    /* Non-secure pages */
#define PARAMS      (RAM_BASE + 0x1000)
#define RD          (RAM_BASE + 0x100000)       /* then delegated */
#define RTTS        (RAM_BASE + 0x102000)       /* two starting RTTs */

static RmmCore *rmm;
static int failures;

/* One RMI call, X1..X3 in; X0 back, the outputs in x[]. */
static uint64_t call(uint64_t x[RMM_NR_REGS], uint64_t fid, uint64_t a1,
                     uint64_t a2, uint64_t a3)
{
    memset(x, 0, RMM_NR_REGS * sizeof(x[0]));
    x[0] = fid;
    x[1] = a1;
    x[2] = a2;
    x[3] = a3;
    rmm_core_call(rmm, x);
    return x[0];
}

static void expect(const char *what, uint64_t got, uint64_t want)
{
    const char *cond = rmm_core_last_condition(rmm);

    printf("%-44s X0 = %#llx%s%s%s\n", what, (unsigned long long)got,
           cond ? " (" : "", cond ? cond : "", cond ? ")" : "");
    if (got != want) {
        printf("  expected %#llx\n", (unsigned long long)want);
        failures++;
    }
}

int main(void)
{
    SimMem *mem = simmem_new(RAM_BASE, RAM_SIZE);
    uint64_t x[RMM_NR_REGS];
    uint8_t *params;
    RmmCensus c;

    rmm = rmm_core_new(NULL, &simmem_ops, mem);
    rmm_core_add_dram(rmm, RAM_BASE, RAM_SIZE);

    /* Bring-up: a zeroed RmmConfig (4 KB granules), then activation. */
    memset(simmem_ptr(mem, CONFIG, 4096), 0, 4096);
    expect("RMI_RMM_CONFIG_SET", call(x, RMI_FID_RMM_CONFIG_SET, CONFIG,
                                      0, 0), RMI_SUCCESS);
    expect("RMI_RMM_ACTIVATE", call(x, RMI_FID_RMM_ACTIVATE, 0, 0, 0),
           RMI_SUCCESS);

    /* A granule the RD will be, and two for the starting RTTs. */
    expect("RMI_GRANULE_RANGE_DELEGATE (RD)",
           call(x, RMI_FID_GRANULE_RANGE_DELEGATE, RD, RD + 4096, 0),
           RMI_SUCCESS);
    expect("RMI_GRANULE_RANGE_DELEGATE (RTTs)",
           call(x, RMI_FID_GRANULE_RANGE_DELEGATE, RTTS, RTTS + 8192, 0),
           RMI_SUCCESS);

    /* A realm: 40-bit IPA, starting at level 1 with two RTTs. */
    params = simmem_ptr(mem, PARAMS, 4096);
    memset(params, 0, 4096);
    params[RMI_REALM_PARAMS_S2SZ] = 40;
    params[RMI_REALM_PARAMS_NUM_BPS] = 1;
    params[RMI_REALM_PARAMS_NUM_WPS] = 1;
    memcpy(params + RMI_REALM_PARAMS_RTT_BASE, &(uint64_t){ RTTS }, 8);
    memcpy(params + RMI_REALM_PARAMS_RTT_LEVEL_START, &(uint64_t){ 1 }, 8);
    memcpy(params + RMI_REALM_PARAMS_RTT_NUM_START, &(uint64_t){ 2 }, 8);
    expect("RMI_REALM_CREATE", call(x, RMI_FID_REALM_CREATE, RD, PARAMS, 0),
           RMI_SUCCESS);
    /* A second one on the same RD fails, and says why. */
    expect("RMI_REALM_CREATE again (fails)",
           call(x, RMI_FID_REALM_CREATE, RD, PARAMS, 0), RMI_ERROR_INPUT);

    rmm_core_census(rmm, &c);
    printf("census: %llu realm, %llu RD, %llu RTT granules, %llu calls\n",
           (unsigned long long)c.realms,
           (unsigned long long)c.granules[RMM_GRANULE_RD],
           (unsigned long long)c.granules[RMM_GRANULE_RTT],
           (unsigned long long)c.calls);
    if (c.realms != 1 || c.granules[RMM_GRANULE_RTT] != 2) {
        failures++;
    }

    /* A realm ends in two steps: terminate, then destroy. */
    expect("RMI_REALM_TERMINATE", call(x, RMI_FID_REALM_TERMINATE, RD, 0, 0),
           RMI_SUCCESS);
    expect("RMI_REALM_DESTROY", call(x, RMI_FID_REALM_DESTROY, RD, 0, 0),
           RMI_SUCCESS);
    expect("RMI_GRANULE_RANGE_UNDELEGATE",
           call(x, RMI_FID_GRANULE_RANGE_UNDELEGATE, RD, RD + 4096, 0),
           RMI_SUCCESS);
    expect("RMI_GRANULE_RANGE_UNDELEGATE (RTTs)",
           call(x, RMI_FID_GRANULE_RANGE_UNDELEGATE, RTTS, RTTS + 8192, 0),
           RMI_SUCCESS);
    if (!rmm_core_check(rmm, NULL)) {
        printf("the invariant check failed\n");
        failures++;
    }
    rmm_core_free(rmm);
    simmem_free(mem);
    printf("%s\n", failures ? "FAIL" : "PASS");
    return failures != 0;
}
