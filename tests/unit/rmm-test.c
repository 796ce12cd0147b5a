/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include "rmm-test.h"

void fx_config(Fx *f)
{
    memset(f, 0, sizeof(*f));
    rmm_config_init(&f->cfg);
}

void fx_start_with(Fx *f, const RmmMemOps *ops, uint64_t base,
                   uint64_t size)
{
    f->mem = simmem_new(base, size);
    f->rmm = rmm_core_new(&f->cfg, ops, f->mem);
    rmm_core_add_dram(f->rmm, base, size);
    /* Every test keeps the GPT, which rmm_core_check() compares. */
    simmem_keep_gpt(f->mem, f->rmm);
}

void fx_start(Fx *f)
{
    fx_start_with(f, &simmem_ops, MEM_BASE, MEM_SIZE);
}

void fx_setup(Fx *f)
{
    fx_config(f);
    fx_start(f);
}

void fx_start_active(Fx *f)
{
    fx_start(f);
    fx_activate(f);
}

void fx_setup_active(Fx *f)
{
    fx_config(f);
    fx_start_active(f);
}

void fx_stop(Fx *f)
{
    rmm_core_free(f->rmm);
    simmem_free(f->mem);
    f->rmm = NULL;
    f->mem = NULL;
}

uint64_t fx_canary(unsigned n)
{
    /* Not an address, a status or a handle the core could produce. */
    return 0xCA11AB1E00000000ULL | ((uint64_t)n << 16) | 0x5A5AULL;
}

static void assert_invariants(Fx *f)
{
    char *err = NULL;

    if (!rmm_core_check(f->rmm, &err)) {
        g_error("rmm_core_check failed:\n%s", err);
    }
}

RmiRegs fx_call(Fx *f, uint64_t fid, uint32_t out_mask, unsigned nargs, ...)
{
    RmiRegs in, r;
    RmmCensus before, after;
    const RmmAbiEntry *abi;
    va_list ap;
    unsigned i;

    g_assert_cmpuint(nargs, <, RMM_NR_REGS);
    in.x[0] = fid;
    va_start(ap, nargs);
    for (i = 1; i < RMM_NR_REGS; i++) {
        in.x[i] = i <= nargs ? va_arg(ap, uint64_t) : fx_canary(i);
    }
    va_end(ap);

    rmm_core_census(f->rmm, &before);
    r = in;
    f->flags = rmm_core_call(f->rmm, r.x);
    rmm_core_census(f->rmm, &after);
    /* The one flag a test can check without consuming what it reports. */
    g_assert_cmpint(!!(f->flags & RMM_CALL_CONDITION), ==,
                    rmm_core_last_condition(f->rmm) != NULL);

    /*
     * A failed command returns 0 in every output it defines (TF-RMM's
     * convention, docs/model-core.rst); the caller's mask names the
     * outputs of a call that succeeds or yields.
     */
    abi = rmm_abi_lookup(fid);
    if (abi && abi->implemented && (r.x[0] & 0xff) != RMI_SUCCESS &&
        (r.x[0] & 0xff) != RMI_INCOMPLETE) {
        for (i = 1; i <= abi->rets; i++) {
            if (!(out_mask & XR(i))) {
                g_assert_cmphex(r.x[i], ==, 0);
                out_mask |= XR(i);
            }
        }
    }
    for (i = 1; i < RMM_NR_REGS; i++) {
        if (!(out_mask & XR(i)) && r.x[i] != in.x[i]) {
            g_error("FID 0x%" PRIx64 " clobbered X%u: "
                    "0x%" PRIx64 " -> 0x%" PRIx64 "",
                    fid, i, in.x[i], r.x[i]);
        }
    }
    g_assert_cmpuint(after.calls, ==, before.calls + 1);
    assert_invariants(f);
    return r;
}

void fx_activate(Fx *f)
{
    RmiRegs r;

    fx_write64(f, CFG_PA, 0);
    fx_write64(f, CFG_PA + 8, RMI_GRANULE_SIZE_4KB);
    r = fx_call(f, RMI_FID_RMM_CONFIG_SET, NO_OUT, 1, CFG_PA);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    r = fx_call(f, RMI_FID_RMM_ACTIVATE, NO_OUT, 0);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    g_assert_cmpuint(fx_census(f).rmm_state, ==, RMM_STATE_ACTIVE);
}

uint64_t fx_start_activation(Fx *f, uint64_t req)
{
    uint64_t x0 = f->cfg.activate_cannot_cancel ? X0_DONATE : X0_DONATE_C;
    RmiRegs r;

    f->cfg.activate_donate_req = req;
    fx_start(f);
    r = fx_call(f, RMI_FID_RMM_ACTIVATE, XR(1) | XR(2), 0);
    g_assert_cmphex(r.x[0], ==, x0);
    g_assert_cmphex(r.x[2], ==, req);
    return r.x[1];
}

static void range_to_end(Fx *f, uint64_t fid, uint64_t base, uint64_t top)
{
    while (base < top) {
        RmiRegs r = fx_call(f, fid, XR(1), 2, base, top);
        uint64_t handle = r.x[1];

        /* Drive the yielding form to completion. */
        while (r.x[0] == RMI_INCOMPLETE_X0(RMI_OP_MEM_REQ_NONE, 0)) {
            r = fx_call(f, RMI_FID_OP_CONTINUE, XR(1) | XR(2), 2, handle, 0ULL);
        }
        g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
        g_assert_cmphex(r.x[1], >, base);
        base = r.x[1];
    }
}

void fx_delegate(Fx *f, uint64_t base, uint64_t top)
{
    range_to_end(f, RMI_FID_GRANULE_RANGE_DELEGATE, base, top);
}

void fx_undelegate(Fx *f, uint64_t base, uint64_t top)
{
    range_to_end(f, RMI_FID_GRANULE_RANGE_UNDELEGATE, base, top);
}

RmiRegs fx_donate(Fx *f, uint64_t handle, uint64_t list, uint64_t n)
{
    return fx_call(f, RMI_FID_OP_MEM_DONATE, XR(1) | XR(2), 3, handle, list, n);
}

RmiRegs fx_reclaim(Fx *f, uint64_t handle, uint64_t list, uint64_t cap)
{
    return fx_call(f, RMI_FID_OP_MEM_RECLAIM, XR(1), 3, handle, list, cap);
}

RmiRegs fx_continue(Fx *f, uint64_t handle)
{
    return fx_call(f, RMI_FID_OP_CONTINUE, XR(1) | XR(2), 2, handle, 0ULL);
}

RmiRegs fx_cancel(Fx *f, uint64_t handle)
{
    return fx_call(f, RMI_FID_OP_CANCEL, NO_OUT, 1, handle);
}

RmiRegs fx_run(Fx *f, uint64_t handle)
{
    RmiRegs r;

    do {
        r = fx_continue(f, handle);
    } while (r.x[0] == X0_NONE);
    return r;
}

void fx_release(Fx *f, uint64_t handle)
{
    g_assert_cmphex(fx_run(f, handle).x[0], ==, RMI_SUCCESS);
}

void fx_release_at(Fx *f, uint64_t handle, uint64_t out_top)
{
    RmiRegs r = fx_run(f, handle);

    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(r.x[1], ==, out_top);
}

uint64_t fx_hold(Fx *f, uint64_t base, uint64_t top)
{
    RmiRegs r = fx_call(f, RMI_FID_GRANULE_RANGE_DELEGATE, XR(1), 2, base,
                        top);

    g_assert_cmphex(r.x[0], ==, X0_NONE);
    return r.x[1];
}

void fx_expect(RmiRegs r, uint64_t x0, uint64_t x1, uint64_t x2)
{
    g_assert_cmphex(r.x[0], ==, x0);
    g_assert_cmphex(r.x[1], ==, x1);
    g_assert_cmphex(r.x[2], ==, x2);
}

/*
 * The last RMI_OP_CONTINUE of an operation whose command defines no X1:
 * X1 and X2 (donate_req) read as 0, whether the command succeeded or not.
 */
void fx_expect_end(Fx *f, uint64_t handle, uint64_t x0)
{
    fx_expect(fx_continue(f, handle), x0, 0, 0);
}

void fx_write64(Fx *f, uint64_t pa, uint64_t val)
{
    uint64_t *p = simmem_ptr(f->mem, pa, 8);

    g_assert_nonnull(p);
    *p = val;
}

uint64_t fx_read64(Fx *f, uint64_t pa)
{
    uint64_t *p = simmem_ptr(f->mem, pa, 8);

    g_assert_nonnull(p);
    return *p;
}

void fx_fill(Fx *f, uint64_t pa, uint64_t len, uint8_t byte)
{
    void *p = simmem_ptr(f->mem, pa, len);

    g_assert_nonnull(p);
    memset(p, byte, len);
}

bool fx_is_filled(Fx *f, uint64_t pa, uint64_t len, uint8_t byte)
{
    const uint8_t *p = simmem_ptr(f->mem, pa, len);
    uint64_t i;

    g_assert_nonnull(p);
    for (i = 0; i < len; i++) {
        if (p[i] != byte) {
            return false;
        }
    }
    return true;
}

void fx_assert_state(Fx *f, uint64_t base, uint64_t top,
                     RmmGranuleState state)
{
    uint64_t pa;

    for (pa = base; pa < top; pa += GRAN) {
        RmmGranuleState s = rmm_core_granule_state(f->rmm, pa);

        if (s != state) {
            g_error("granule 0x%" PRIx64 " is %s, expected %s",
                    pa, rmm_granule_state_name(s),
                    rmm_granule_state_name(state));
        }
    }
}

RmmCensus fx_census(Fx *f)
{
    RmmCensus c;

    rmm_core_census(f->rmm, &c);
    return c;
}

uint64_t fx_count(Fx *f, RmmGranuleState state)
{
    return fx_census(f).granules[state];
}

uint64_t fx_desc(Fx *f, uint64_t addr, uint64_t size, uint64_t count,
                 uint64_t state)
{
    unsigned width = f->cfg.profile == RMM_PROFILE_BET3 ? 2 : 1;

    return RMI_DESC(addr, size, count, state, width);
}

void fx_put_desc(Fx *f, uint64_t list, uint64_t pa, uint64_t count,
                 uint64_t state)
{
    fx_write64(f, list, fx_desc(f, pa, RMI_PAGE_L3, count, state));
}

void fx_put_singles(Fx *f, uint64_t list, uint64_t pa, uint64_t stride,
                    unsigned n, uint64_t state)
{
    unsigned i;

    for (i = 0; i < n; i++) {
        fx_write64(f, list + 8 * i,
                   fx_desc(f, pa + i * stride, RMI_PAGE_L3, 1, state));
    }
}

RmiRegs fx_tracking_get(Fx *f, uint64_t base, uint64_t top)
{
    return fx_call(f, RMI_FID_GRANULE_TRACKING_GET, XR(1) | XR(2) | XR(3), 2,
                   base, top);
}

void fx_assert_tracking(Fx *f, uint64_t base, uint64_t top, uint64_t cat,
                        uint64_t state, uint64_t out_top)
{
    RmiRegs r = fx_tracking_get(f, base, top);

    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(r.x[1], ==, cat);
    g_assert_cmphex(r.x[2], ==, state);
    g_assert_cmphex(r.x[3], ==, out_top);
}

void fx_assert_check_fails(Fx *f, const char *what)
{
    char *err = NULL;

    g_assert_false(rmm_core_check(f->rmm, &err));
    g_assert_nonnull(strstr(err, what));
    g_free(err);
}
