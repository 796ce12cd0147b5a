/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rmm-emu model core: Realm Execution Contexts (A2.4), shared between
 * rec.c (the object, RMI_REC_CREATE/_DESTROY, the invariants), rec-run.c
 * (RMI_REC_ENTER, RMI_PSCI_COMPLETE and the exit script engine) and
 * the RTT code, which completes a REC's pending RIPAS change.
 *
 * A REC executes no code.  It plays a script of RmmExitStep (rmm.h): each
 * RMI_REC_ENTER first checks the host's answer to the exit the REC made
 * last time, then runs steps until one of them exits to the host again.
 */
#ifndef RMM_REC_H
#define RMM_REC_H

#include "hw/arm/rmm/rmm-internal.h"

/* Number of general-purpose registers held by a REC (X0..X30). */
#define RMM_REC_GPRS                31
/* Upper bound on RmmConfig.rec_aux_count (TF-RMM's MAX_REC_AUX_GRANULES). */
#define RMM_REC_AUX_MAX             16

typedef enum RmmRecState {
    RMM_REC_READY,
    RMM_REC_RUNNING,
} RmmRecState;

/* RmmRecPending (C2): what the host must do before the REC runs again. */
typedef enum RmmRecPending {
    RMM_REC_PENDING_NONE,
    RMM_REC_PENDING_HOST_CALL,
    RMM_REC_PENDING_PSCI,
} RmmRecPending;

typedef struct RmmRec {
    uint64_t pa;                    /* the REC granule */
    uint64_t rd;                    /* owner: PA of the RD */
    RmmRecState state;
    bool runnable;
    uint64_t mpidr;                 /* RmiRecMpidr as the host gave it */
    uint64_t index;                 /* RecIndex(mpidr) */
    uint64_t pc;
    uint64_t gprs[RMM_REC_GPRS];

    /* Auxiliary granules: INTERNAL, owner RMM_OWNER_REC. */
    unsigned nr_aux;
    uint64_t aux[RMM_REC_AUX_MAX];

    RmmRecPending pending;
    bool emulatable_abort;          /* last exit: Emulatable Data Abort */

    /*
     * Pending RIPAS change (A4.3.8, A5.4).  RMI_RTT_SET_RIPAS (rtt.c)
     * checks base == ripas_addr and top <= ripas_top, applies ripas_value
     * (from RIPAS_DESTROYED only if ripas_destroyed) and advances
     * ripas_addr; the next RMI_REC_ENTER reads ripas_response.
     * ripas_top == 0: no change pending.
     */
    uint64_t ripas_addr;
    uint64_t ripas_top;
    uint8_t ripas_value;
    bool ripas_destroyed;
    uint8_t ripas_response;

    /* The script: steps[0..script_len), NULL for the default script. */
    RmmExitStep *script;
    size_t script_len;
    size_t cursor;                  /* next step to start */
    RmmExitStep cur;                /* the step whose exit awaits an answer */
    bool in_step;
    uint64_t last_exit;             /* RmiRecExitReason of the last exit */
    uint64_t psci_result;           /* what the last PSCI call returned */
    uint64_t host_call_ret[RMM_REC_GPRS];   /* host's answer to HOST_CALL */

    uint64_t entries;               /* successful RMI_REC_ENTERs */
    uint64_t host_errors;           /* wrong answers the spec cannot fail */

    /* Executing RECs (rec-exec.c, rsi.c). */
    void *exec_ctx;                 /* the executor's, for this REC */
    bool exec_first;                /* exec_ctx still to be initialised */
    struct RmmRecRun *exec_run;     /* while RUNNING: the open entry */
    bool exec_trap_wfi, exec_trap_wfe;
    uint64_t exec_esr;              /* the Emulatable abort's ESR, VA */
    uint64_t exec_far;
    bool exec_inject_sea;           /* the host answered it with an SEA */
    uint64_t exec_host_call;        /* PA of the RsiHostCall in flight */
    uint64_t exec_sysreg;           /* GIC register exit: its ESR, 0: none */
    bool exec_vtimer_fired;         /* asserted at the last exit */
    bool exec_ptimer_fired;
    uint64_t traps;                 /* exceptions taken to the RMM */

    /* RSI attestation: the token being handed out, NULL if none. */
    GByteArray *attest_token;
    size_t attest_copied;           /* bytes the realm has of it */
} RmmRec;

/* Per-instance REC table (RmmCore.recs). */
typedef struct RmmRecs {
    GHashTable *by_pa;              /* rec PA -> RmmRec, live RECs */
    GPtrArray *creating;            /* RmmRec of incomplete REC_CREATEs */
    uint64_t aux_owned;             /* INTERNAL granules owned by RECs */
    uint64_t host_errors;           /* total, including destroyed RECs */
    uint64_t script_rejected;       /* RmmConfig.rec_script did not fit */
} RmmRecs;

void rmm_recs_init(RmmCore *rmm);
void rmm_recs_fini(RmmCore *rmm);

/* The REC whose granule is rec_pa, or NULL unless that granule is REC. */
RmmRec *rmm_rec_find(RmmCore *rmm, uint64_t rec_pa);

/*
 * The common REC-argument checks, in the order every command lists them:
 * alignment, tracked, granule state REC (all RMI_ERROR_INPUT), then
 * RMI_BLOCKED if an incomplete operation (REC_DESTROY) holds the granule.
 * On RMI_SUCCESS *rec is set.  RMI_RTT_SET_RIPAS can use it for rec_ptr.
 */
uint64_t rmm_rec_lookup(RmmCore *rmm, uint64_t rec_pa, RmmRec **rec,
                        const RmmArgNames *names);

/* The live REC of the realm at rd with this index, or NULL. */
RmmRec *rmm_rec_find_index(RmmCore *rmm, uint64_t rd, uint64_t index);

/* RecIndex (A2.4.3); false if an SBZ bit of the RmiRecMpidr is set. */
bool rmm_rec_mpidr_index(uint64_t mpidr, uint64_t *index);

/* Number of live RECs (granule state REC) owned by the realm at rd. */
unsigned rmm_rec_count(RmmCore *rmm, uint64_t rd);

/* Script steps in force for rec (its own, or the default one). */
const RmmExitStep *rmm_rec_step(RmmCore *rmm, RmmRec *rec, size_t i,
                                RmmExitStep *tmp);
size_t rmm_rec_script_len(RmmRec *rec);
/* Give a new REC the configured script (RmmConfig.rec_script), if any. */
void rmm_rec_take_config_script(RmmCore *rmm, RmmRec *rec);

/*
 * One RMI_REC_ENTER: the REC as it will be, the host's rec_enter and the
 * rec_exit being built.  A scripted entry commits it only once rec_exit
 * is written; an executing REC keeps it until the REC exits (rec-exec.c).
 */
typedef struct RmmRecRun {
    RmmRec rec;
    uint64_t run_pa;
    struct {
        uint64_t flags;
        uint64_t gprs[RMM_REC_GPRS];
    } enter;
    uint8_t exit[RMI_REC_EXIT_SIZE];
    bool system_off;
    uint64_t host_errors;
} RmmRecRun;

void rmm_rec_exit_put(RmmRecRun *r, unsigned off, uint64_t val);
/*
 * An entry's record, zeroed, and its end: every REC_ENTER takes one, and
 * the last one given back is kept for the next (no allocation per entry).
 */
RmmRecRun *rmm_rec_run_new(RmmCore *rmm);
void rmm_rec_run_free(RmmCore *rmm, RmmRecRun *r);
/*
 * PSCI as the RMM handles it (A4.3.7): s->gprs[0..3] are the Realm's
 * X0..X3.  Returns true with r->exit filled if the host must see it,
 * false with the result in r->rec.gprs[0] if the RMM answered it.
 */
bool rmm_rec_play_psci(RmmCore *rmm, RmmRecRun *r, const RmmExitStep *s);

/*
 * rec-exec.c: RMI_REC_ENTER for a REC that executes, once its checks have
 * passed; takes r, whose r->rec is the REC's copy to complete and run.
 */
uint64_t rmm_rec_exec_enter(RmmCore *rmm, RmmRec *rec, RmmRecRun *r);
void rmm_rec_exec_free(RmmRec *rec);

void rmm_rec_census(RmmCore *rmm, RmmCensus *out);
bool rmm_rec_check(RmmCore *rmm, const RmmOwnerTally *owned, GString *err);

#endif /* RMM_REC_H */
