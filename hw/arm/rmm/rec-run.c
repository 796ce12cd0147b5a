/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Running a REC: RMI_REC_ENTER (B4.5.51), the exit script engine, the
 * Realm's PSCI calls (A4.3.7, chapter B6) and RMI_PSCI_COMPLETE (B4.5.38).
 *
 * A REC executes no code.  Its script says which exits it makes, in
 * order.  RMI_REC_ENTER first checks the host's answer to the previous
 * exit (emulated MMIO value, RIPAS change progress and response, mapped
 * memory); a step the host answered wrongly either makes the same exit
 * again, as a real Realm re-executing the instruction would, or counts a
 * host error where the spec defines no failure for the command.  Then
 * steps run until one exits to the host.
 *
 * The whole entry works on a copy of the REC and is committed only once
 * the RmiRecExit has been written, so that a run_ptr the RMM cannot write
 * fails the command (RMI_ERROR_INPUT, A4.3.3) without changing anything.
 */
#include <string.h>

#include "hw/arm/rmm/rec.h"
#include "hw/arm/rmm/realm.h"
#include "hw/arm/rmm/rtt.h"

/* ESR_EL2 encodings for the exits the RMM reports (A4.3.4). */
#define ESR_EC_SHIFT            26
#define ESR_EC_WFX              0x01ULL
#define ESR_EC_DABT_LOW         0x24ULL
#define ESR_ISV                 (1ULL << 24)
#define ESR_SAS_SHIFT           22
#define ESR_SF                  (1ULL << 15)
#define ESR_WNR                 (1ULL << 6)
#define ESR_DFSC_TRANS_L3       0x07ULL
#define ESR_WFX_TI_WFE          1ULL
/* HPFAR_EL2.FIPA [43:4] holds IPA[55:12]. */
#define HPFAR_FIPA_SHIFT        4

#define PSCI_SMC64              0x40000000u
#define PSCI_VERSION            0x84000000u
#define PSCI_VERSION_1_1        0x10001ULL
#define PSCI_FEATURES           0x8400000Au
#define PSCI_INVALID_ADDRESS    ((uint64_t)-9)

/* The default script (rmm.h). */
#define DEFAULT_STEPS           4
#define DEFAULT_MMIO_IPA        0x09000000ULL
#define DEFAULT_RIPAS_TOP       0x200000ULL

/* The lowest unprotected IPA of the REC's realm. */
static uint64_t unprot_bit(RmmCore *rmm, uint64_t rd)
{
    return 1ULL << (rmm_realm_find(rmm, rd)->ipa_width - 1);
}

static bool ipa_mapped(RmmCore *rmm, uint64_t rd, uint64_t ipa,
                       uint8_t *ripas)
{
    return rmm_rtt_ipa_mapped(rmm_realm_find(rmm, rd), ipa, ripas);
}

size_t rmm_rec_script_len(RmmRec *rec)
{
    return rec->script ? rec->script_len : DEFAULT_STEPS;
}

const RmmExitStep *rmm_rec_step(RmmCore *rmm, RmmRec *rec, size_t i,
                                RmmExitStep *tmp)
{
    if (rec->script) {
        return &rec->script[i];
    }
    memset(tmp, 0, sizeof(*tmp));
    switch (i) {
    case 0:
        tmp->kind = RMM_STEP_HOST_CALL;
        break;
    case 1:
        tmp->kind = RMM_STEP_MMIO_WRITE;
        tmp->addr = unprot_bit(rmm, rec->rd) | DEFAULT_MMIO_IPA;
        tmp->len = 4;
        tmp->value = 'R';
        break;
    case 2:
        tmp->kind = RMM_STEP_RIPAS_CHANGE;
        tmp->addr = 0;
        tmp->top = DEFAULT_RIPAS_TOP;
        tmp->value = RMI_RIPAS_RAM;
        break;
    default:
        tmp->kind = RMM_STEP_PSCI;
        tmp->gprs[0] = RMM_PSCI_SYSTEM_OFF;
        break;
    }
    return tmp;
}

/* ---- Entry and exit records ---- */

typedef RmmRecRun RecRun;

RmmRecRun *rmm_rec_run_new(RmmCore *rmm)
{
    RmmRecRun *r = rmm->spare_run;

    if (!r) {
        return g_new0(RmmRecRun, 1);
    }
    rmm->spare_run = NULL;
    memset(r, 0, sizeof(*r));
    return r;
}

void rmm_rec_run_free(RmmCore *rmm, RmmRecRun *r)
{
    if (rmm->spare_run) {
        g_free(r);
    } else {
        rmm->spare_run = r;
    }
}

void rmm_rec_exit_put(RmmRecRun *r, unsigned off, uint64_t val)
{
    memcpy(r->exit + off, &val, sizeof(val));
}
#define exit_put rmm_rec_exit_put

static uint64_t len_mask(uint8_t len)
{
    return len >= 8 ? UINT64_MAX : (1ULL << (8 * len)) - 1;
}

/* ---- Completing the previous exit ---- */

/* Returns true when the step in progress is finished. */
static bool complete_step(RmmCore *rmm, RecRun *r)
{
    RmmRec *rec = &r->rec;
    const RmmExitStep *s = &rec->cur;
    uint64_t flags = r->enter.flags;
    uint8_t ripas;

    switch (s->kind) {
    case RMM_STEP_HOST_CALL:
        /* A4.2.2: the host's gprs go to the Realm's RsiHostCall. */
        memcpy(rec->host_call_ret, r->enter.gprs, sizeof(rec->host_call_ret));
        rec->pending = RMM_REC_PENDING_NONE;
        return true;

    case RMM_STEP_MMIO_READ:
    case RMM_STEP_MMIO_WRITE:
        if (flags & RMI_REC_ENTER_INJECT_SEA) {
            /* The Realm takes an abort instead of its device access. */
            r->host_errors++;
            return true;
        }
        if (!(flags & RMI_REC_ENTER_EMUL_MMIO)) {
            /* The instruction runs again and faults again. */
            r->host_errors++;
            return false;
        }
        if (s->kind == RMM_STEP_MMIO_READ &&
            ((r->enter.gprs[0] ^ s->value) & len_mask(s->len))) {
            r->host_errors++;
        }
        return true;

    case RMM_STEP_RIPAS_CHANGE:
        /* A5.4.2 RLDMLC */
        rec->ripas_response = (flags & RMI_REC_ENTER_RIPAS_REJECT) ?
                              RMI_RESPONSE_REJECT : RMI_RESPONSE_ACCEPT;
        if (rec->ripas_addr >= rec->ripas_top) {
            return true;
        }
        if (rec->ripas_response == RMI_RESPONSE_REJECT) {
            /*
             * Rejecting a valid request is expected to be fatal for the
             * Realm (A5.4.1).  A change to EMPTY cannot be rejected at all:
             * the Realm sees "accepted" and asks again for the rest.
             */
            r->host_errors++;
            if (rec->ripas_value == RMI_RIPAS_RAM) {
                return true;
            }
        }
        /* Accepted but unfinished: the Realm asks again from new_base. */
        rec->cur.addr = rec->ripas_addr;
        return false;

    case RMM_STEP_DATA_ABORT:
        if (ipa_mapped(rmm, rec->rd, s->addr, &ripas)) {
            return true;
        }
        r->host_errors++;
        return false;

    case RMM_STEP_PSCI:
        /* Any completion was checked by RMI_PSCI_COMPLETE. */
    case RMM_STEP_IRQ:
    case RMM_STEP_WFI:
    case RMM_STEP_WFE:
    default:
        return true;
    }
}

/* ---- Playing a step ---- */

static void exit_psci(RecRun *r, const RmmExitStep *s, unsigned nargs)
{
    unsigned i;

    exit_put(r, RMI_REC_EXIT_REASON, RMI_EXIT_PSCI);
    exit_put(r, RMI_REC_EXIT_GPRS, (uint32_t)s->gprs[0]);
    for (i = 1; i <= nargs; i++) {
        exit_put(r, RMI_REC_EXIT_GPRS + 8 * i, s->gprs[i]);
    }
}

/* PSCI_FEATURES: the functions a Realm may call, as TF-RMM lists them. */
static uint64_t psci_feature(uint64_t fid)
{
    static const uint32_t supported[] = {
        0x84000001, 0xC4000001, 0x84000002, 0x84000003, 0xC4000003,
        0x84000004, 0xC4000004, 0x84000008, 0x84000009, PSCI_FEATURES,
        0x80000000 /* SMCCC_VERSION */,
    };

    for (size_t i = 0; i < G_N_ELEMENTS(supported); i++) {
        if (fid == supported[i]) {
            return PSCI_SUCCESS;
        }
    }
    return PSCI_NOT_SUPPORTED;
}

bool rmm_rec_play_psci(RmmCore *rmm, RmmRecRun *r, const RmmExitStep *s)
{
    RmmRec *rec = &r->rec;
    uint32_t fid = (uint32_t)s->gprs[0];
    uint32_t fn = fid & ~PSCI_SMC64;
    uint64_t idx;
    unsigned i;

    rec->psci_result = PSCI_NOT_SUPPORTED;
    if ((fid & PSCI_SMC64) && fn != (RMM_PSCI_CPU_ON & ~PSCI_SMC64) &&
        fn != (RMM_PSCI_AFFINITY_INFO & ~PSCI_SMC64) &&
        fn != (RMM_PSCI_CPU_SUSPEND & ~PSCI_SMC64)) {
        fn = 0;                     /* no SMC64 form: not supported */
    }

    switch (fn) {
    case RMM_PSCI_CPU_ON & ~PSCI_SMC64:
    case RMM_PSCI_AFFINITY_INFO & ~PSCI_SMC64:
        if (fn == (RMM_PSCI_CPU_ON & ~PSCI_SMC64) &&
            s->gprs[2] >= unprot_bit(rmm, rec->rd)) {
            rec->psci_result = PSCI_INVALID_ADDRESS;        /* entry */
            break;
        }
        if (fn == (RMM_PSCI_AFFINITY_INFO & ~PSCI_SMC64) && s->gprs[2]) {
            /* Only affinity level 0 names a single REC. */
            rec->psci_result = PSCI_INVALID_PARAMS;
            break;
        }
        /* MpidrIsUsed: a live REC of this realm has that MPIDR. */
        if (!rmm_rec_mpidr_index(s->gprs[1], &idx) ||
            (idx != rec->index && !rmm_rec_find_index(rmm, rec->rd, idx))) {
            rec->psci_result = PSCI_INVALID_PARAMS;         /* mpidr */
            break;
        }
        if (idx == rec->index) {
            rec->psci_result = fn == (RMM_PSCI_CPU_ON & ~PSCI_SMC64) ?
                               PSCI_ALREADY_ON : PSCI_AFFINITY_ON;
            break;
        }
        if (fn == (RMM_PSCI_AFFINITY_INFO & ~PSCI_SMC64) &&
            rmm->cfg.profile == RMM_PROFILE_BET3) {
            /*
             * bet3 (RMI_PSCI_COMPLETE names no target): the RMM knows
             * whether the other REC runs and answers, as TF-RMM does
             * (TF-A Tests' "multi rec psci denied" expects no exit).
             */
            rec->psci_result = rmm_rec_find_index(rmm, rec->rd, idx)->runnable
                               ? PSCI_AFFINITY_ON : PSCI_AFFINITY_OFF;
            break;
        }

        /* Another REC: only the host can name it (RMI_PSCI_COMPLETE). */
        for (i = 0; i < 4; i++) {
            rec->gprs[i] = s->gprs[i];
        }
        rec->gprs[0] = fid;
        rec->pending = RMM_REC_PENDING_PSCI;
        exit_psci(r, s, fn == (RMM_PSCI_CPU_ON & ~PSCI_SMC64) ? 3 : 2);
        return true;

    case RMM_PSCI_CPU_OFF:
        rec->runnable = false;
        rec->psci_result = PSCI_SUCCESS;
        exit_psci(r, s, 0);
        return true;

    case RMM_PSCI_CPU_SUSPEND & ~PSCI_SMC64:
        /* A notification: the Realm resumes with SUCCESS. */
        rec->psci_result = PSCI_SUCCESS;
        exit_psci(r, s, 3);
        return true;

    case RMM_PSCI_SYSTEM_OFF:
    case RMM_PSCI_SYSTEM_RESET:
        /* A reset is the host's to build: the Realm is off either way. */
        r->system_off = true;
        exit_psci(r, s, 0);
        return true;

    case PSCI_VERSION:
        rec->psci_result = PSCI_VERSION_1_1;
        break;
    case PSCI_FEATURES:
        rec->psci_result = psci_feature(s->gprs[1]);
        break;
    default:
        break;
    }
    rec->gprs[0] = rec->psci_result;
    return false;
}

static void exit_abort(RecRun *r, uint64_t esr, uint64_t ipa, bool emul)
{
    exit_put(r, RMI_REC_EXIT_REASON, RMI_EXIT_SYNC);
    exit_put(r, RMI_REC_EXIT_ESR, esr);
    /* FAR only for an Emulatable abort, and only the offset in the page. */
    exit_put(r, RMI_REC_EXIT_FAR, emul ? ipa & RMM_GRANULE_MASK : 0);
    exit_put(r, RMI_REC_EXIT_HPFAR,
             (ipa >> RMM_GRANULE_SHIFT) << HPFAR_FIPA_SHIFT);
}

/* Play one step; true if it exits to the host (r->exit filled in). */
static bool play_step(RmmCore *rmm, RecRun *r)
{
    RmmRec *rec = &r->rec;
    const RmmExitStep *s = &rec->cur;
    uint64_t flags = r->enter.flags;
    uint64_t esr;
    uint8_t ripas;
    unsigned i, sas;

    switch (s->kind) {
    case RMM_STEP_HOST_CALL:
        exit_put(r, RMI_REC_EXIT_REASON, RMI_EXIT_HOST_CALL);
        exit_put(r, RMI_REC_EXIT_IMM, s->imm);
        exit_put(r, RMI_REC_EXIT_PLANE, 0);
        for (i = 0; i < RMM_STEP_GPRS; i++) {
            exit_put(r, RMI_REC_EXIT_GPRS + 8 * i, s->gprs[i]);
        }
        rec->pending = RMM_REC_PENDING_HOST_CALL;
        return true;

    case RMM_STEP_MMIO_READ:
    case RMM_STEP_MMIO_WRITE:
        /* Emulatable only if UNMAPPED_NS: mapped NS memory just works. */
        if (ipa_mapped(rmm, rec->rd, s->addr, &ripas)) {
            return false;
        }
        sas = s->len == 8 ? 3 : s->len == 4 ? 2 : s->len == 2 ? 1 : 0;
        esr = ESR_EC_DABT_LOW << ESR_EC_SHIFT | ESR_ISV |
              (uint64_t)sas << ESR_SAS_SHIFT | (s->len == 8 ? ESR_SF : 0) |
              ESR_DFSC_TRANS_L3;
        if (s->kind == RMM_STEP_MMIO_WRITE) {
            esr |= ESR_WNR;
            exit_put(r, RMI_REC_EXIT_GPRS, s->value & len_mask(s->len));
        }
        exit_abort(r, esr, s->addr, true);
        rec->emulatable_abort = true;
        return true;

    case RMM_STEP_RIPAS_CHANGE:
        rec->ripas_addr = s->addr;
        rec->ripas_top = s->top;
        rec->ripas_value = s->value;
        rec->ripas_destroyed = s->flags & RMM_STEP_RIPAS_DESTROYED_OK;
        rec->ripas_response = RMI_RESPONSE_ACCEPT;
        exit_put(r, RMI_REC_EXIT_REASON, RMI_EXIT_RIPAS_CHANGE);
        exit_put(r, RMI_REC_EXIT_RIPAS_BASE, s->addr);
        exit_put(r, RMI_REC_EXIT_RIPAS_TOP, s->top);
        exit_put(r, RMI_REC_EXIT_RIPAS_VALUE, s->value);
        return true;

    case RMM_STEP_PSCI:
        return rmm_rec_play_psci(rmm, r, s);

    case RMM_STEP_IRQ:
        exit_put(r, RMI_REC_EXIT_REASON, RMI_EXIT_IRQ);
        return true;

    case RMM_STEP_WFI:
    case RMM_STEP_WFE:
        /* Untrapped, the Realm waits and wakes up without an exit. */
        if (!(flags & (s->kind == RMM_STEP_WFI ? RMI_REC_ENTER_TRAP_WFI
                                                : RMI_REC_ENTER_TRAP_WFE))) {
            return false;
        }
        exit_put(r, RMI_REC_EXIT_REASON, RMI_EXIT_SYNC);
        exit_put(r, RMI_REC_EXIT_ESR, ESR_EC_WFX << ESR_EC_SHIFT |
                 (s->kind == RMM_STEP_WFE ? ESR_WFX_TI_WFE : 0));
        return true;

    case RMM_STEP_DATA_ABORT:
        /*
         * A5.2.3: mapped memory just works; RIPAS EMPTY gives the Realm a
         * synchronous external abort without an exit; RAM (or DESTROYED)
         * that is not mapped is a Non-emulatable Data Abort for the host.
         */
        if (ipa_mapped(rmm, rec->rd, s->addr, &ripas) ||
            ripas == RMI_RIPAS_EMPTY) {
            return false;
        }
        exit_abort(r, ESR_EC_DABT_LOW << ESR_EC_SHIFT | ESR_DFSC_TRANS_L3,
                   s->addr, false);
        return true;

    default:
        return false;
    }
}

/* Script exhausted: the Realm idles in WFI until the host interrupts it. */
static void play_idle(RecRun *r)
{
    if (r->enter.flags & RMI_REC_ENTER_TRAP_WFI) {
        exit_put(r, RMI_REC_EXIT_REASON, RMI_EXIT_SYNC);
        exit_put(r, RMI_REC_EXIT_ESR, ESR_EC_WFX << ESR_EC_SHIFT);
    } else {
        exit_put(r, RMI_REC_EXIT_REASON, RMI_EXIT_IRQ);
    }
}

static void run(RmmCore *rmm, RecRun *r)
{
    RmmRec *rec = &r->rec;
    RmmExitStep tmp;
    bool injected = false;

    if (rec->in_step && complete_step(rmm, r)) {
        rec->in_step = false;
    }
    /* An exit never carries the attributes of an older one. */
    rec->emulatable_abort = false;

    /*
     * A fault plan's extra exit comes before the script's next step; the
     * cursor stays, so the script goes on where it was afterwards.
     */
    if (!rec->in_step && rmm->fault.call.exit) {
        rec->cur = rmm->fault.call.exit_step;
        injected = rec->in_step = play_step(rmm, r);
    }

    /* Every pass either exits or consumes a step: this terminates. */
    while (!injected) {
        if (!rec->in_step) {
            if (rec->cursor >= rmm_rec_script_len(rec)) {
                play_idle(r);
                break;
            }
            rec->cur = *rmm_rec_step(rmm, rec, rec->cursor++, &tmp);
        }
        if (play_step(rmm, r)) {
            rec->in_step = true;
            break;
        }
        rec->in_step = false;
    }
    if (!rec->in_step || rec->cur.kind != RMM_STEP_RIPAS_CHANGE) {
        /* As for S2AP (A4.3.11): no RIPAS change is pending any more. */
        rec->ripas_addr = rec->ripas_top = 0;
    }
    memcpy(&rec->last_exit, r->exit + RMI_REC_EXIT_REASON, 8);
}

/* ---- RMI_REC_ENTER ---- */

/*
 * bet3: a CPU_ON whose target is on already needs no answer from the
 * host.  If the host enters the caller without completing it (TF-A
 * Tests' "multi rec psci denied" does, after its DENIED was refused),
 * the RMM completes it (psci_already_on()): ALREADY_ON, as
 * RMI_PSCI_COMPLETE(SUCCESS) would.
 */
static bool psci_needs_no_answer(RmmCore *rmm, const RmmRec *rec)
{
    RmmRec *target;
    uint64_t idx;

    if (rmm->cfg.profile != RMM_PROFILE_BET3 ||
        (rec->gprs[0] & ~(uint64_t)PSCI_SMC64) !=
        (RMM_PSCI_CPU_ON & ~PSCI_SMC64) ||
        !rmm_rec_mpidr_index(rec->gprs[1], &idx)) {
        return false;
    }
    target = rmm_rec_find_index(rmm, rec->rd, idx);
    return target && target->runnable;
}

static void psci_already_on(RmmRec *rec)
{
    rec->gprs[0] = rec->psci_result = PSCI_ALREADY_ON;
    rec->gprs[1] = rec->gprs[2] = rec->gprs[3] = 0;
    rec->pending = RMM_REC_PENDING_NONE;
}

uint64_t rmm_cmd_rec_enter(RmmCore *rmm, const uint64_t *in, RmiOut *out)
{
    uint64_t rec_pa = in[1], run_pa = in[2];
    RmmRealm *realm;
    RmmRec *rec;
    RecRun *r;
    uint64_t st;

    if (run_pa & RMM_GRANULE_MASK) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "run_align");
    }
    st = rmm_ns_check(rmm, run_pa, RMM_GRANULE_SIZE);
    if (st != RMI_SUCCESS) {
        return rmm_fail(rmm, st, "run_pas");
    }
    st = rmm_rec_lookup(rmm, rec_pa, &rec,
                        RMM_ARG("rec", "bound", "gran_state"));
    if (st != RMI_SUCCESS) {
        return st;
    }

    realm = rmm_realm_find(rmm, rec->rd);
    r = rmm_rec_run_new(rmm);
    /* A GPF on rec_enter fails the command (A4.2.2). */
    if (!rmm_mem_read(rmm, run_pa + RMI_REC_ENTER_FLAGS, &r->enter.flags, 8) ||
        !rmm_mem_read(rmm, run_pa + RMI_REC_ENTER_GPRS, r->enter.gprs,
                      sizeof(r->enter.gprs))) {
        st = RMI_ERROR_INPUT;
    } else if (r->enter.flags & RMI_REC_ENTER_FLAGS_SBZ) {
        st = rmm_fail(rmm, RMI_ERROR_INPUT, "flags_sbz");
    } else if (realm->state != RMM_REALM_ACTIVE) {
        st = rmm_fail(rmm, RMI_ERROR_REALM, "realm_state");
    } else if (rec->state == RMM_REC_RUNNING) {
        st = rmm_fail(rmm, RMI_ERROR_REC, "rec_state");
    } else if (!rec->runnable) {
        st = rmm_fail(rmm, RMI_ERROR_REC, "rec_runnable");
    } else if ((r->enter.flags & RMI_REC_ENTER_EMUL_MMIO) &&
               !rec->emulatable_abort) {
        st = rmm_fail(rmm, RMI_ERROR_REC, "rec_mmio");
    } else if (rec->pending == RMM_REC_PENDING_PSCI &&
               !psci_needs_no_answer(rmm, rec)) {
        st = rmm_fail(rmm, RMI_ERROR_REC, "rec_pending");
    }
    if (st != RMI_SUCCESS) {
        rmm_rec_run_free(rmm, r);
        return st;
    }

    r->run_pa = run_pa;
    r->rec = *rec;
    if (r->rec.pending == RMM_REC_PENDING_PSCI) {
        psci_already_on(&r->rec);       /* psci_needs_no_answer() held */
    }
    if (rmm_core_exec(rmm)) {
        return rmm_rec_exec_enter(rmm, rec, r);
    }
    run(rmm, r);
    /* A GPF on rec_exit fails the command too (A4.3.3): nothing changes. */
    if (!rmm_mem_write(rmm, run_pa + RMI_REC_EXIT, r->exit,
                       RMI_REC_EXIT_SIZE)) {
        rmm_rec_run_free(rmm, r);
        return rmm_fail(rmm, RMI_ERROR_INPUT, "exit_gpf");
    }
    *rec = r->rec;
    rec->state = RMM_REC_READY;
    rec->entries++;
    rec->host_errors += r->host_errors;
    rmm->recs->host_errors += r->host_errors;
    if (r->system_off) {
        realm->state = RMM_REALM_SYSTEM_OFF;
    }
    rmm_rec_run_free(rmm, r);
    return RMI_SUCCESS;
}

/* ---- RMI_PSCI_COMPLETE ---- */

/* B3.87 PsciReturnCodePermitted */
static bool psci_status_permitted(RmmRec *calling, RmmRec *target,
                                  uint64_t status)
{
    return status == PSCI_SUCCESS ||
           ((calling->gprs[0] & ~(uint64_t)PSCI_SMC64) ==
            (RMM_PSCI_CPU_ON & ~PSCI_SMC64) &&
            !target->runnable && status == PSCI_DENIED);
}

uint64_t rmm_cmd_psci_complete(RmmCore *rmm, const uint64_t *in, RmiOut *out)
{
    bool bet3 = rmm->cfg.profile == RMM_PROFILE_BET3;
    uint64_t calling_pa = in[1];
    uint64_t target_pa = bet3 ? 0 : in[2];
    uint64_t status = bet3 ? in[2] : in[3];
    RmmRec *calling, *target = NULL;
    uint64_t st, idx, result;

    /* B4.5.38.2 in the order listed (the spec orders none of them). */
    if (!bet3 && calling_pa == target_pa) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "alias");
    }
    st = rmm_rec_lookup(rmm, calling_pa, &calling,
                        RMM_ARG("calling", "bound", "state"));
    if (st != RMI_SUCCESS) {
        return st;                  /* calling_align, _bound, _state */
    }
    if (!bet3) {
        st = rmm_rec_lookup(rmm, target_pa, &target,
                            RMM_ARG("target", "bound", "state"));
        if (st != RMI_SUCCESS) {
            return st;              /* target_align, _bound, _state */
        }
    }
    if (calling->pending != RMM_REC_PENDING_PSCI) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "pending");
    }
    if (bet3) {
        /*
         * bet3 drops target_rec: the RMM finds the REC the Realm named.
         * It was a live REC when the Realm called; if the host has
         * destroyed it since, the request cannot be completed.
         */
        if (rmm_rec_mpidr_index(calling->gprs[1], &idx)) {
            target = rmm_rec_find_index(rmm, calling->rd, idx);
        }
        if (!target) {
            return rmm_fail(rmm, RMI_ERROR_INPUT, "target_gone");
        }
    }
    if (target->rd != calling->rd) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "owner");
    }
    if (!rmm_rec_mpidr_index(calling->gprs[1], &idx) ||
        idx != target->index) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "target");
    }
    if (!psci_status_permitted(calling, target, status)) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "status");
    }

    if ((calling->gprs[0] & ~(uint64_t)PSCI_SMC64) ==
        (RMM_PSCI_CPU_ON & ~PSCI_SMC64)) {
        if (target->runnable || target->state == RMM_REC_RUNNING) {
            result = PSCI_ALREADY_ON;                   /* on_already */
        } else if (status != PSCI_SUCCESS) {
            result = status;
        } else {
            /* on_success: a fresh start at the entry point. */
            memset(target->gprs, 0, sizeof(target->gprs));
            target->gprs[0] = (uint32_t)calling->gprs[3];
            target->pc = calling->gprs[2];
            target->runnable = true;
            result = PSCI_SUCCESS;
        }
    } else {
        result = target->runnable ? PSCI_AFFINITY_ON : PSCI_AFFINITY_OFF;
    }
    calling->gprs[0] = result;
    calling->gprs[1] = calling->gprs[2] = calling->gprs[3] = 0;
    calling->psci_result = result;
    calling->pending = RMM_REC_PENDING_NONE;
    return RMI_SUCCESS;
}

/* ---- Public script API ---- */

/* Why the REC cannot play step s, or NULL if it can. */
static const char *step_invalid(RmmCore *rmm, RmmRec *rec,
                                const RmmExitStep *s)
{
    uint64_t unprot = unprot_bit(rmm, rec->rd);

    switch (s->kind) {
    case RMM_STEP_MMIO_READ:
    case RMM_STEP_MMIO_WRITE:
        if (s->len != 1 && s->len != 2 && s->len != 4 && s->len != 8) {
            return "MMIO length is not 1, 2, 4 or 8";
        }
        if (s->addr & (s->len - 1)) {
            return "MMIO address is not aligned to its length";
        }
        if (s->addr < unprot || s->addr >= 2 * unprot) {
            return "MMIO address is outside the realm's unprotected IPA "
                   "space";
        }
        return NULL;
    case RMM_STEP_RIPAS_CHANGE:
        if (s->value != RMI_RIPAS_EMPTY && s->value != RMI_RIPAS_RAM) {
            return "RIPAS is neither EMPTY nor RAM";
        }
        if ((s->addr | s->top) & RMM_GRANULE_MASK) {
            return "RIPAS range is not granule aligned";
        }
        if (s->addr >= s->top) {
            return "RIPAS range is empty";
        }
        if (s->top > unprot) {
            return "RIPAS range runs past the realm's protected IPA space";
        }
        return NULL;
    case RMM_STEP_DATA_ABORT:
        return s->addr < unprot ? NULL :
               "abort address is outside the realm's protected IPA space";
    case RMM_STEP_HOST_CALL:
    case RMM_STEP_PSCI:
    case RMM_STEP_IRQ:
    case RMM_STEP_WFI:
    case RMM_STEP_WFE:
        return NULL;
    default:
        return "unknown step kind";
    }
}

void rmm_rec_take_config_script(RmmCore *rmm, RmmRec *rec)
{
    size_t i, n = rmm->cfg.rec_script_len;
    const char *why = NULL;
    uint64_t unprot;
    RmmExitStep *steps;

    if (!n) {
        return;
    }
    /* Resolve offsets into this realm's unprotected half, then check. */
    unprot = unprot_bit(rmm, rec->rd);
    steps = g_memdup2(rmm->cfg.rec_script, n * sizeof(*steps));
    for (i = 0; i < n; i++) {
        if (steps[i].flags & RMM_STEP_UNPROT_RELATIVE) {
            steps[i].flags &= ~RMM_STEP_UNPROT_RELATIVE;
            if (steps[i].addr >= unprot) {
                why = "MMIO address is beyond the realm's unprotected IPA "
                      "space";
                break;
            }
            steps[i].addr |= unprot;
        }
        why = step_invalid(rmm, rec, &steps[i]);
        if (why) {
            break;
        }
    }
    if (why) {
        /* The REC still runs: on the script that fits every realm. */
        rmm->recs->script_rejected++;
        rmm_log(rmm, "rec-script step %zu does not fit REC 0x%" PRIx64
                " of realm 0x%" PRIx64 " (%u-bit IPA): %s; the REC plays "
                "the built-in script", i + 1, rec->pa, rec->rd,
                rmm_realm_find(rmm, rec->rd)->ipa_width, why);
        g_free(steps);
        return;
    }
    g_free(rec->script);
    rec->script = steps;
    rec->script_len = n;
    rec->cursor = 0;
}

bool rmm_core_rec_set_script(RmmCore *rmm, uint64_t rec_pa,
                             const RmmExitStep *steps, size_t n)
{
    RmmRec *rec = rmm_rec_find(rmm, rec_pa);
    size_t i;

    if (!rec || (n && !steps)) {
        return false;
    }
    for (i = 0; i < n; i++) {
        if (step_invalid(rmm, rec, &steps[i])) {
            return false;
        }
    }
    g_free(rec->script);
    rec->script = n ? g_new(RmmExitStep, n) : NULL;
    if (n) {
        memcpy(rec->script, steps, n * sizeof(*steps));
    }
    rec->script_len = n;
    rec->cursor = 0;
    return true;
}

bool rmm_core_rec_info(RmmCore *rmm, uint64_t rec_pa, RmmRecInfo *out)
{
    RmmRec *rec = rmm_rec_find(rmm, rec_pa);

    memset(out, 0, sizeof(*out));
    if (!rec) {
        return false;
    }
    out->rd = rec->rd;
    out->index = rec->index;
    out->runnable = rec->runnable;
    out->psci_pending = rec->pending == RMM_REC_PENDING_PSCI;
    out->pc = rec->pc;
    memcpy(out->gprs, rec->gprs, sizeof(out->gprs));
    out->cursor = rec->cursor;
    out->script_len = rmm_rec_script_len(rec);
    out->in_step = rec->in_step;
    out->last_exit = rec->last_exit;
    out->psci_result = rec->psci_result;
    out->ripas_addr = rec->ripas_addr;
    out->ripas_top = rec->ripas_top;
    out->entries = rec->entries;
    out->host_errors = rec->host_errors;
    out->nr_aux = rec->nr_aux;
    return true;
}
