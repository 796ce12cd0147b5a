/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers of the memory bring-up tests (test-gpt, test-tracking,
 * test-linux-init): a machine with two 64MB DRAM blocks in two different
 * 1GB regions / L0GPT blocks, and thin wrappers of the commands.
 */
#ifndef BRINGUP_TEST_H
#define BRINGUP_TEST_H

#include "rmm-test.h"
#include "tests/unit/coverage.h"

#define GB              (1ULL << 30)
#define A_BASE          MEM_BASE                /* DRAM block A, region 1 */
#define B_BASE          (2 * GB)                /* DRAM block B, region 2 */
#define DRAM_SIZE       (64ULL << 20)
#define A_TOP           (A_BASE + DRAM_SIZE)
#define B_TOP           (B_BASE + DRAM_SIZE)
/* Backed by the simulated memory, but not DRAM. */
#define NOMEM_PA        (A_BASE + 0x10000000)
#define B_POOL          (B_BASE + 0x100000)



/* An L1GPT for a 1GB L0GPT block: 128KB, contiguous, UNDELEGATED. */
#define L1_REQ          RMI_DONATE_REQ(RMI_PAGE_L3, 32, RMI_OP_MEM_CONTIG, UND)
#define L1_GRANULES     32

/* The fixture's config, then two DRAM blocks instead of one. */
static inline void bx_start(Fx *f)
{
    f->mem = simmem_new(A_BASE, B_TOP - A_BASE);
    f->rmm = rmm_core_new(&f->cfg, &simmem_ops, f->mem);
    rmm_core_add_dram(f->rmm, A_BASE, DRAM_SIZE);
    rmm_core_add_dram(f->rmm, B_BASE, DRAM_SIZE);
    simmem_keep_gpt(f->mem, f->rmm);
}

static inline void bx_setup(Fx *f, RmmProfile profile)
{
    fx_config(f);
    f->cfg.profile = profile;
    bx_start(f);
}

static inline void bx_start_active(Fx *f)
{
    bx_start(f);
    fx_activate(f);
}

static inline void bx_setup_active(Fx *f, RmmProfile profile)
{
    bx_setup(f, profile);
    fx_activate(f);
}

/* The starting command of an SRO may write X1 (handle) and X2 (request). */
static inline RmiRegs bx_gpt_create(Fx *f, uint64_t addr)
{
    return fx_call(f, RMI_FID_GPT_L1_CREATE, XR(1) | XR(2), 1, addr);
}

static inline RmiRegs bx_gpt_destroy(Fx *f, uint64_t addr)
{
    return fx_call(f, RMI_FID_GPT_L1_DESTROY, XR(1) | XR(2), 1, addr);
}

static inline RmiRegs bx_tracking_set(Fx *f, uint64_t addr, uint64_t cat,
                                      uint64_t state)
{
    return fx_call(f, RMI_FID_GRANULE_TRACKING_SET, XR(1) | XR(2), 3, addr, cat,
                   state);
}

static inline RmiRegs bx_delegate1(Fx *f, uint64_t base, uint64_t top)
{
    return fx_call(f, RMI_FID_GRANULE_RANGE_DELEGATE, XR(1) | XR(2), 2, base,
                   top);
}

static inline RmiRegs bx_undelegate1(Fx *f, uint64_t base, uint64_t top)
{
    return fx_call(f, RMI_FID_GRANULE_RANGE_UNDELEGATE, XR(1) | XR(2), 2, base,
                   top);
}

/* Undelegate [base, top) completely (no yielding configured). */
static inline void bx_undelegate(Fx *f, uint64_t base, uint64_t top)
{
    while (base < top) {
        RmiRegs r = bx_undelegate1(f, base, top);

        g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
        base = r.x[1];
    }
}

/*
 * Delegate [base, top) and start undelegating it, which yields at once
 * (delegate_yield_every is below the range): the operation holds the
 * range until the host continues it.  Returns its handle.
 */
static inline uint64_t bx_hold_delegated(Fx *f, uint64_t base, uint64_t top)
{
    RmiRegs r;

    fx_delegate(f, base, top);
    r = bx_undelegate1(f, base, top);
    g_assert_cmphex(r.x[0], ==, X0_NONE);
    return r.x[1];
}

#endif /* BRINGUP_TEST_H */
