/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared fixture for the model-core unit tests: one RmmCore over 64 MiB of
 * simulated DRAM, and a call wrapper that enforces the SMCCC register
 * discipline and the core's invariants after every single call.
 */
#ifndef RMM_TEST_H
#define RMM_TEST_H

#include <glib.h>

#include "hw/arm/rmm/rmm.h"
#include "hw/arm/rmm/rmi-defs.h"
#include "tests/common/simmem.h"

#define MEM_BASE        0x40000000ULL
#define MEM_SIZE        (64ULL << 20)
#define MEM_TOP         (MEM_BASE + MEM_SIZE)
#define GRAN            RMM_GRANULE_SIZE

/* Fixed places in the simulated memory. */
#define LIST_PA         (MEM_BASE + 0x0000)     /* NS scratch: lists */
#define CFG_PA          (MEM_BASE + 0x1000)     /* NS: RmiRmmConfig */
#define POOL_PA         (MEM_BASE + 0x100000)   /* memory to donate */


/* Output-register masks for fx_call(). */
#define XR(n)           (1u << (n))
#define NO_OUT          0u

/* The X0 of an INCOMPLETE answer: its memory request, can it be cancelled. */
#define X0_INCOMPLETE(mem, cancel) RMI_INCOMPLETE_X0(mem, cancel)
#define X0_NONE         X0_INCOMPLETE(RMI_OP_MEM_REQ_NONE, RMI_OP_CANNOT_CANCEL)
#define X0_NONE_C       X0_INCOMPLETE(RMI_OP_MEM_REQ_NONE, RMI_OP_CAN_CANCEL)
#define X0_DONATE       X0_INCOMPLETE(RMI_OP_MEM_REQ_DONATE, RMI_OP_CANNOT_CANCEL)
#define X0_DONATE_C     X0_INCOMPLETE(RMI_OP_MEM_REQ_DONATE, RMI_OP_CAN_CANCEL)
#define X0_RECLAIM      X0_INCOMPLETE(RMI_OP_MEM_REQ_RECLAIM, RMI_OP_CANNOT_CANCEL)
#define X0_RECLAIM_C    X0_INCOMPLETE(RMI_OP_MEM_REQ_RECLAIM, RMI_OP_CAN_CANCEL)

/* RmiOpMemState of a donation request or an address-range descriptor. */
#define UND             RMI_OP_MEM_UNDELEGATED
#define DEL             RMI_OP_MEM_DELEGATED

typedef struct Fx {
    SimMem *mem;
    RmmCore *rmm;
    RmmConfig cfg;
    unsigned flags;             /* the last fx_call()'s RMM_CALL_* */
} Fx;

typedef struct RmiRegs {
    uint64_t x[RMM_NR_REGS];
} RmiRegs;

/* Default config, then let the test adjust it before fx_start(). */
void fx_config(Fx *f);
void fx_start(Fx *f);
/*
 * fx_start() over other memory: [base, base + size) reached through ops,
 * all of it one DRAM block.
 */
void fx_start_with(Fx *f, const RmmMemOps *ops, uint64_t base,
                   uint64_t size);
void fx_stop(Fx *f);
/* fx_config() + fx_start(). */
void fx_setup(Fx *f);
/* fx_start() + fx_activate(), once the test has adjusted the config. */
void fx_start_active(Fx *f);
/* fx_setup() + fx_activate(). */
void fx_setup_active(Fx *f);

/* The canary that fx_call() puts in register n. */
uint64_t fx_canary(unsigned n);

/*
 * Call fid with args in X1..Xnargs and canaries in the other registers.
 * Registers outside out_mask must come back unchanged, and
 * rmm_core_check() must pass afterwards.
 */
RmiRegs fx_call(Fx *f, uint64_t fid, uint32_t out_mask, unsigned nargs, ...);

/* Common sequences, each asserting success. */
void fx_activate(Fx *f);
/*
 * fx_start() with RMM_ACTIVATE asking for req, and call it: it must ask
 * for req.  Returns the handle of the activation.
 */
uint64_t fx_start_activation(Fx *f, uint64_t req);
/* Delegate or undelegate [base, top), every call and continue succeeding. */
void fx_delegate(Fx *f, uint64_t base, uint64_t top);
void fx_undelegate(Fx *f, uint64_t base, uint64_t top);

/*
 * The host's steps of an SRO.  The first three may write X1 and X2; a
 * cancel writes X0 only.
 */
RmiRegs fx_donate(Fx *f, uint64_t handle, uint64_t list, uint64_t n);
RmiRegs fx_reclaim(Fx *f, uint64_t handle, uint64_t list, uint64_t cap);
RmiRegs fx_continue(Fx *f, uint64_t handle);
RmiRegs fx_cancel(Fx *f, uint64_t handle);
/* OP_CONTINUE while the operation yields; returns the answer that ends it. */
RmiRegs fx_run(Fx *f, uint64_t handle);
/* fx_run() an operation that must end in RMI_SUCCESS. */
void fx_release(Fx *f, uint64_t handle);
/* fx_release() a range command whose progress must reach out_top. */
void fx_release_at(Fx *f, uint64_t handle, uint64_t out_top);
/*
 * Start delegating [base, top) where delegation yields after the first
 * step: the operation holds the whole range until fx_release().  Returns
 * its handle.
 */
uint64_t fx_hold(Fx *f, uint64_t base, uint64_t top);
/* X0, X1 and X2 of an answer. */
void fx_expect(RmiRegs r, uint64_t x0, uint64_t x1, uint64_t x2);
/*
 * OP_CONTINUE ends an operation that is not a range command with x0:
 * X1 still holds the handle, X2 is zero.
 */
void fx_expect_end(Fx *f, uint64_t handle, uint64_t x0);

void fx_write64(Fx *f, uint64_t pa, uint64_t val);
uint64_t fx_read64(Fx *f, uint64_t pa);
void fx_fill(Fx *f, uint64_t pa, uint64_t len, uint8_t byte);
bool fx_is_filled(Fx *f, uint64_t pa, uint64_t len, uint8_t byte);

void fx_assert_state(Fx *f, uint64_t base, uint64_t top,
                     RmmGranuleState state);
uint64_t fx_count(Fx *f, RmmGranuleState state);
RmmCensus fx_census(Fx *f);

uint64_t fx_desc(Fx *f, uint64_t addr, uint64_t size, uint64_t count,
                 uint64_t state);
/* A list of one descriptor: count L3 granules at pa. */
void fx_put_desc(Fx *f, uint64_t list, uint64_t pa, uint64_t count,
                 uint64_t state);
/* A list of n one-granule descriptors: pa, pa + stride, ... */
void fx_put_singles(Fx *f, uint64_t list, uint64_t pa, uint64_t stride,
                    unsigned n, uint64_t state);

/* GRANULE_TRACKING_GET: X1 category, X2 state, X3 out_top. */
RmiRegs fx_tracking_get(Fx *f, uint64_t base, uint64_t top);
/* GRANULE_TRACKING_GET succeeds with cat, state and out_top. */
void fx_assert_tracking(Fx *f, uint64_t base, uint64_t top, uint64_t cat,
                        uint64_t state, uint64_t out_top);

/* rmm_core_check() must fail, its report naming what. */
void fx_assert_check_fails(Fx *f, const char *what);

#endif /* RMM_TEST_H */
