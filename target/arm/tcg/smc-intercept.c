/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SMC/HVC intercepts (see smc-intercept.h).
 *
 * The list is read from vCPU threads without the BQL (the instruction
 * helper decides whether to UNDEF), so it is an RCU list; writers hold
 * the BQL.
 */
#include "qemu/osdep.h"
#include "qemu/rcu.h"
#include "qemu/rcu_queue.h"
#include "qemu/main-loop.h"
#include "cpu.h"
#include "smc-intercept.h"

typedef struct ArmSmcIntercept {
    struct rcu_head rcu;        /* first, for g_free_rcu() */
    ArmSmcMatchFn *match;
    ArmSmcHandleFn *handle;
    void *opaque;
    QLIST_ENTRY(ArmSmcIntercept) next;
} ArmSmcIntercept;

static QLIST_HEAD(, ArmSmcIntercept) intercepts =
    QLIST_HEAD_INITIALIZER(intercepts);

void arm_smc_intercept_register(ArmSmcMatchFn *match, ArmSmcHandleFn *handle,
                                void *opaque)
{
    ArmSmcIntercept *ic = g_new0(ArmSmcIntercept, 1);

    assert(bql_locked());
    ic->match = match;
    ic->handle = handle;
    ic->opaque = opaque;
    QLIST_INSERT_HEAD_RCU(&intercepts, ic, next);
}

void arm_smc_intercept_unregister(void *opaque)
{
    ArmSmcIntercept *ic, *tmp;

    assert(bql_locked());
    QLIST_FOREACH_SAFE(ic, &intercepts, next, tmp) {
        if (ic->opaque == opaque) {
            QLIST_REMOVE_RCU(ic, next);
            g_free_rcu(ic, rcu);
        }
    }
}

static ArmSmcIntercept *arm_smc_intercept_find(ARMCPU *cpu, int excp)
{
    ArmSmcIntercept *ic;

    if (excp != EXCP_SMC && excp != EXCP_HVC) {
        return NULL;
    }
    QLIST_FOREACH_RCU(ic, &intercepts, next) {
        if (ic->match(&cpu->env, excp, ic->opaque)) {
            return ic;
        }
    }
    return NULL;
}

bool arm_smc_intercept_match(ARMCPU *cpu, int excp)
{
    RCU_READ_LOCK_GUARD();

    return arm_smc_intercept_find(cpu, excp) != NULL;
}

bool arm_smc_intercept_handle(ARMCPU *cpu, int excp)
{
    ArmSmcIntercept *ic;

    RCU_READ_LOCK_GUARD();
    ic = arm_smc_intercept_find(cpu, excp);
    if (!ic) {
        return false;
    }
    ic->handle(cpu, excp, ic->opaque);
    return true;
}
