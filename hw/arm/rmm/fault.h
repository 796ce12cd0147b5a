/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rmm-emu model core: fault plans (docs/fault-plans.rst).  A plan is a
 * list of rules; each rule selects calls and names an action.  The plan
 * is parsed once (fault-plan.c); at every call the engine (fault.c)
 * decides which rules fire and collects what they ask for in an
 * RmmFaultCall, which the dispatcher, the SRO engine and the handlers
 * consult.  An operation keeps what applies to its later steps in its
 * RmmSroFault.
 *
 * Legal actions make the RMM do what a correct RMM may do; hostile ones
 * make it break the specification on purpose.  Hostile actions only
 * change the registers the host sees, never the model's own state, so
 * the invariant check keeps holding whatever the plan.
 */
#ifndef RMM_FAULT_H
#define RMM_FAULT_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>

#include "hw/arm/rmm/rmm.h"

typedef enum RmmFaultKind {
    /* Legal */
    RMM_FAULT_BUSY,                 /* answer RMI_BUSY, change nothing */
    RMM_FAULT_BLOCKED,              /* answer RMI_BLOCKED, change nothing */
    RMM_FAULT_EXHAUST,              /* a resource runs out: ERROR_GLOBAL */
    RMM_FAULT_SPLIT,                /* k more INCOMPLETE answers */
    RMM_FAULT_YIELD,                /* range command: INCOMPLETE every k */
    RMM_FAULT_DONATE,               /* ask for memory (and give it back) */
    RMM_FAULT_CONSUME,              /* take at most n granules per DONATE */
    RMM_FAULT_RECLAIM,              /* hand back at most n ranges per call */
    RMM_FAULT_NOCANCEL,             /* refuse cancellation */
    RMM_FAULT_CANCELLABLE,          /* allow cancellation (REC_CREATE) */
    RMM_FAULT_STOP,                 /* range command: stop after n */
    RMM_FAULT_EXIT,                 /* REC_ENTER: an extra REC exit */
    /* Hostile */
    RMM_FAULT_OVERCOUNT,            /* donated_count above the offer */
    RMM_FAULT_OVERFLOW,             /* reclaim count above the capacity */
    RMM_FAULT_DONATE_ZERO,          /* a donation request for 0 blocks */
    RMM_FAULT_DONATE_BAD,           /* a donation request no host can serve */
    RMM_FAULT_INCOMPLETE,           /* INCOMPLETE from a non-SRO command */
    RMM_FAULT_BAD_HANDLE,           /* a handle that names no operation */
    RMM_FAULT_RESERVED,             /* reserved bits set in X0 */
    RMM_FAULT_GARBAGE,              /* non-output registers overwritten */
    RMM_FAULT_NR_KINDS
} RmmFaultKind;

#define RMM_FAULT_FIRST_HOSTILE     RMM_FAULT_OVERCOUNT

/* Command classes a rule may select instead of one command. */
typedef enum RmmFaultClass {
    RMM_FAULT_CLASS_ANY,
    RMM_FAULT_CLASS_SRO,            /* may return INCOMPLETE */
    RMM_FAULT_CLASS_MEMXFER,        /* may ask for or hand back memory */
    RMM_FAULT_CLASS_RANGE,          /* works on [base, top) in bounded calls */
} RmmFaultClass;

typedef enum RmmFaultRandom {
    RMM_FAULT_FIXED,
    RMM_FAULT_RANDOM,               /* drawn from the plan's seed */
} RmmFaultRandom;

typedef struct RmmFaultRule {
    RmmFaultKind kind;
    char *text;                     /* the rule as written, for messages */

    /* Which calls (all that are given must hold) */
    int cmd;                        /* RmiCmdIndex, or -1 for a class */
    RmmFaultClass cls;
    uint64_t nth, every, after, times, call;
    double p;                       /* 1.0 unless given */
    bool has_addr, has_realm, has_rec;
    uint64_t addr_lo, addr_hi, realm, rec;

    /* What the action takes */
    uint64_t n;                     /* storm, split k, every, max, by */
    uint64_t size, count, contig, state;  /* donate; or a raw req */
    RmmFaultRandom size_rnd, count_rnd, contig_rnd, state_rnd;
    uint64_t req;                   /* donate: raw RmiOpMemDonateReq */
    bool keep;                      /* donate: the command keeps it */
    bool exit_random;
    RmmExitStep exit_step;

    /* Run time */
    uint64_t matched, fired, storm_left;
} RmmFaultRule;

struct RmmFaultPlan {
    uint64_t seed;
    bool has_seed;
    GPtrArray *rules;               /* RmmFaultRule, in plan order */
};

/* What the rules that fired on the current call ask for. */
typedef struct RmmFaultCall {
    uint64_t status;                /* answer this instead (0: no) */
    unsigned split;                 /* INCOMPLETE answers to add */
    uint64_t yield_every;
    uint64_t stop_after;
    uint64_t consume_max;
    uint64_t reclaim_max;
    bool nocancel;
    bool cancellable;
    uint64_t donate_req;            /* 0: no donation asked for */
    bool donate_keep;
    bool exit;
    RmmExitStep exit_step;
    uint32_t hostile;               /* a bit per hostile RmmFaultKind */
    uint64_t hostile_by;
} RmmFaultCall;

/* What an operation keeps of the rules that fired when it started. */
typedef struct RmmSroFault {
    uint64_t yield_every;
    uint64_t consume_max;
    uint64_t reclaim_max;
    bool nocancel;
    unsigned stall;                 /* INCOMPLETE|NONE answers to add */
    /*
     * A detour: memory the RMM asks for and hands straight back before
     * the operation goes on from where it was (saved_*).
     */
    uint64_t detour_req;            /* still to ask for (0: none) */
    bool in_detour;
    bool detour_done;               /* the next OP_CONTINUE restores */
    unsigned saved_want;
    bool saved_can_cancel;
    uint64_t saved_req;
} RmmSroFault;

/* Per-instance engine state (RmmCore.fault). */
typedef struct RmmFaultState {
    RmmFaultPlan *shorthand;        /* from RmmConfig's knobs */
    RmmFaultPlan *plan;             /* set at run time */
    bool armed;                     /* either has a rule (checked per call) */
    GRand *rand;
    RmmFaultCall call;              /* the current call's decision */
    uint64_t fired;                 /* faults fired, in total */
    uint64_t violations[RMM_VIOLATION_COUNT];
    uint64_t (*calls)[RMM_STATUS_SLOTS];  /* [RMI_IDX_COUNT][slot] */
    RmmFaultHookFn hook;
    void *hook_opaque;
    /* Host discipline the engine watches across calls */
    uint64_t blocked_spin;          /* identical BLOCKED calls in a row */
    uint64_t last_blocked[4];       /* X0..X3 of the last BLOCKED call */
    uint64_t op_call;               /* the call an RMI_OP_* named ... */
    int op_cmd;                     /* ... an operation of this command */
} RmmFaultState;

const char *rmm_fault_kind_name(RmmFaultKind kind);
bool rmm_fault_kind_applies(RmmFaultKind kind, int cmd);

#endif /* RMM_FAULT_H */
