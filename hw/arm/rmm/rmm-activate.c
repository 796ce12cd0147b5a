/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RMI_RMM_ACTIVATE (B4.5.52) and the RMM lifecycle (A2.1.2).
 *
 * Under a fault plan's donate:cmd=RMM_ACTIVATE:keep=1 (shorthand:
 * RmmConfig.activate_donate_req), activation is a memory-transferring SRO:
 * the RMM goes INIT -> INTERMEDIATE, asks for the memory, and becomes
 * ACTIVE on the OP_CONTINUE that follows the last donation; the donated
 * granules stay INTERNAL, owned by the RMM.  The donation steps are
 * cancellable (unless the plan says nocancel): after a cancel the host reclaims what it gave, and the final OP_CONTINUE
 * returns RMI_ERROR_GLOBAL with the RMM back in INIT, ready for another
 * RMI_RMM_ACTIVATE.
 */
#include "hw/arm/rmm/rmm-internal.h"

static uint64_t activate_resume(RmmCore *rmm, RmmSro *op, uint64_t flags,
                                RmiOut *out)
{
    if (op->cancelled) {
        /*
         * RMI_ERROR_GLOBAL is the only failure RMI_RMM_ACTIVATE defines,
         * and OP_CONTINUE reports a failing operation in the terms of the
         * command it resumed.
         */
        rmm->state = RMM_STATE_INIT;
        return RMI_ERROR_GLOBAL;
    }
    rmm_sro_adopt_donations(rmm, op);
    rmm->state = RMM_STATE_ACTIVE;
    return RMI_SUCCESS;
}

static const RmmSroClass activate_class = {
    .name = "RMM_ACTIVATE",
    .resume = activate_resume,
};

uint64_t rmm_cmd_rmm_activate(RmmCore *rmm, const uint64_t *in, RmiOut *out)
{
    uint64_t req = rmm_fault_keep_req(rmm);
    RmmSro *op;
    uint64_t x0;

    if (rmm->state != RMM_STATE_INIT) {
        return rmm_fail(rmm, RMI_ERROR_GLOBAL, "rmm_state");
    }
    if (RMI_DONATE_COUNT(req) == 0) {
        rmm->state = RMM_STATE_ACTIVE;
        return RMI_SUCCESS;
    }
    op = rmm_sro_open(rmm, RMI_IDX_RMM_ACTIVATE, &activate_class);
    if (!op) {
        /* Every context is parked in an incomplete operation. */
        return rmm_fail(rmm, RMI_BLOCKED, "contexts");
    }
    rmm->state = RMM_STATE_INTERMEDIATE;
    x0 = rmm_sro_yield(op, RMI_OP_MEM_REQ_DONATE,
                       RMI_OP_CAN_CANCEL, req);
    return rmm_sro_started(op, x0, out);
}

/*
 * RMI_RMM_STATE_GET (bet1/bet3 Linux headers; not in the available spec
 * text).  RmiRmmState has no intermediate value: an activation in flight
 * has not made the RMM ACTIVE yet, so it reads INIT, as in TF-RMM.
 */
uint64_t rmm_cmd_rmm_state_get(RmmCore *rmm, const uint64_t *in, RmiOut *out)
{
    rmi_set(out, 1, rmm->state == RMM_STATE_ACTIVE ? RMI_RMM_STATE_ACTIVE
                                                   : RMI_RMM_STATE_INIT);
    return RMI_SUCCESS;
}
