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
} Fx;

typedef struct RmiRegs {
    uint64_t x[RMM_NR_REGS];
} RmiRegs;

/* Default config, then let the test adjust it before fx_start(). */
void fx_config(Fx *f);
void fx_start(Fx *f);
void fx_stop(Fx *f);
/* fx_config() + fx_start(). */
void fx_setup(Fx *f);

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
void fx_delegate(Fx *f, uint64_t base, uint64_t top);

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

#endif /* RMM_TEST_H */
