/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rmm-emu model core: the public interface.
 *
 * The core is plain C11 + glib and includes no QEMU header, so the same
 * code answers SMCs inside QEMU (hw/arm/rmm-emu.c) and runs in-process in
 * unit tests and benchmarks.  It has no global state: every
 * RmmCore is an independent RMM instance.
 */
#ifndef RMM_H
#define RMM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A per-call scratch variable its user fills before reading (a call's
 * outputs): left out of -ftrivial-auto-var-init, which QEMU builds with
 * and which would zero it on every call (152 bytes: with the 300 of a
 * REC entry record the device then kept on its stack, a fifth of an RMI
 * call's cost).  QEMU 10.1 has the same
 * thing as QEMU_UNINITIALIZED; the core includes no QEMU header.
 */
#if defined(__has_attribute)
#if __has_attribute(uninitialized)
#define RMM_NOINIT __attribute__((uninitialized))
#endif
#endif
#ifndef RMM_NOINIT
#define RMM_NOINIT
#endif

#define RMM_NR_REGS         18      /* X0..X17 */
#define RMM_GRANULE_SIZE    4096ULL

/* ABI profiles (a bit mask in the ABI table). */
#define RMI_PROF_BET1       (1u << 0)
#define RMI_PROF_BET3       (1u << 1)

typedef enum RmmProfile {
    RMM_PROFILE_BET1,               /* DEN0137 2.0-bet1: Linux v14 */
    RMM_PROFILE_BET3,               /* DEN0137 2.0-bet3: 2-bit mem state */
} RmmProfile;

/* How a command may use the Stateful RMI Operation machinery. */
typedef enum RmiSroKind {
    RMI_SRO_NEVER,                  /* always completes in one call */
    RMI_SRO_YIELD,                  /* may return INCOMPLETE / MEM_REQ_NONE */
    RMI_SRO_MEMXFER,                /* may ask for donation or reclaim */
    RMI_SRO_CONTROL,                /* RMI_OP_*: drives another SRO */
} RmiSroKind;

typedef struct RmmCore RmmCore;

/* One row of the ABI table (built from rmi-abi.def). */
typedef struct RmmAbiEntry {
    uint64_t fid;
    const char *name;               /* "RMI_VERSION" */
    unsigned args;
    unsigned rets;
    RmiSroKind sro;
    unsigned profiles;              /* RMI_PROF_* mask */
    bool implemented;               /* has a handler in this core */
} RmmAbiEntry;

const RmmAbiEntry *rmm_abi_table(size_t *count);
const RmmAbiEntry *rmm_abi_lookup(uint64_t fid);

/*
 * Physical memory as the RMM sees it.  Each callback returns false when
 * the range is not backed by memory; the core then fails the command
 * (normally with RMI_ERROR_INPUT) instead of touching anything.
 */
typedef struct RmmMemOps {
    bool (*read)(void *opaque, uint64_t pa, void *buf, uint64_t len);
    bool (*write)(void *opaque, uint64_t pa, const void *buf, uint64_t len);
    bool (*zero)(void *opaque, uint64_t pa, uint64_t len);
} RmmMemOps;

/*
 * Configuration, fixed for the life of the instance.  Zero-initialise and
 * call rmm_config_init() for the defaults, then override fields.
 */
typedef struct RmmConfig {
    RmmProfile profile;
    uint64_t feat[5];               /* RmiFeatureRegister0..4 */
    unsigned sro_contexts;          /* size of the SRO handle pool */
#define RMM_DEFAULT_SRO_CONTEXTS        16
    /*
     * SRO handle format: false (default) hands out the context's pool
     * index, first 0, as the reference RMM does; true tags it with a
     * generation, (gen << 16) | index, so that a stale handle is always
     * caught (RMI_ERROR_INPUT) instead of naming a newer operation.
     */
    bool sro_handle_tagged;

    /*
     * Shorthand knobs (zero/false = off).  Each stands for fault-plan
     * rules (docs/fault-plans.rst) that rmm_core_new() puts in force ahead
     * of any plan; rmm_config_fault_rules() prints them:
     *   activate_donate_req K    donate:cmd=RMM_ACTIVATE:req=K:keep=1
     *   delegate_yield_every K   yield:cmd=GRANULE_RANGE_DELEGATE:granules=K
     *                            and the same for GRANULE_RANGE_UNDELEGATE
     *   donate_consume_limit N   consume:max=N
     *   activate_cannot_cancel   nocancel:cmd=RMM_ACTIVATE
     * The host cannot delegate memory before the RMM is ACTIVE, so an
     * activation request must ask for UNDELEGATED memory (or, in bet3,
     * CONDITIONAL); a DELEGATED one can only be cancelled.
     */
    uint64_t activate_donate_req;
    uint64_t delegate_yield_every;
    uint64_t donate_consume_limit;
    bool activate_cannot_cancel;

    /*
     * Memory bring-up: by default the firmware
     * has created an L1GPT for every L0GPT block holding DRAM and tracks
     * every 1GB region holding DRAM at FINE granularity, as TF-A and a
     * statically configured RMM leave a platform, so that a host that
     * cannot donate (Linux v14) works.  gpt_host_l1 leaves every L0GPT
     * entry a block: the host must RMI_GPT_L1_CREATE (with a donation)
     * before it can delegate.  tracking_host_fine leaves every region
     * untracked: the host must RMI_GRANULE_TRACKING_SET it to FINE (with
     * a donation; bet3 only, as bet1 can only donate DELEGATED memory).
     */
    bool gpt_host_l1;
    bool tracking_host_fine;

    /*
     * RECs: rec_aux_count is how many auxiliary granules RMI_REC_CREATE
     * asks the host to donate (default 4, at most 16, 0 = none).
     * Shorthand: rec_create_can_cancel stands for
     * cancellable:cmd=REC_CREATE (TF-RMM's donation cannot be cancelled,
     * hence the default false).
     */
    unsigned rec_aux_count;
#define RMM_DEFAULT_REC_AUX_COUNT       4
    bool rec_create_can_cancel;

    /*
     * Shorthand knobs for realms and RTTs (zero = off):
     *   realm_create_donate_req K  donate:cmd=REALM_CREATE:req=K:keep=1
     *                              (the realm keeps the memory until
     *                              RMI_REALM_DESTROY hands it back)
     *   map_yield_every K          yield:cmd=RTT_DATA_MAP:granules=K and
     *                              the same for RTT_DATA_UNMAP,
     *                              RTT_UNPROT_MAP and RTT_UNPROT_UNMAP
     */
    uint64_t realm_create_donate_req;
    uint64_t map_yield_every;

    /*
     * The IMPLEMENTATION DEFINED bound on the work of one call to a range
     * command (GRANULE_RANGE_(UN)DELEGATE, RTT_DATA_MAP/UNMAP,
     * RTT_UNPROT_MAP/UNMAP): after this many granules the call ends with
     * RMI_SUCCESS and out_top short of top, and the host calls again from
     * there.  0: no bound.  RTT_INIT_RIPAS and RTT_SET_RIPAS never cross
     * one RTT per call.
     */
    uint64_t range_granules_per_call;
#define RMM_RANGE_GRANULES_PER_CALL     512

    /*
     * RMI_RTT_UNPROT_UNMAP at an unmapped base: by default the hole is
     * passed over like any other, as RMI_RTT_DATA_UNMAP does and as the
     * reference RMM does for both; true applies B4.5.78's rtte_state to
     * the first entry (RMI_ERROR_RTT).
     */
    bool unprot_unmap_strict;

    /*
     * The script every new REC plays unless the caller gives it one with
     * rmm_core_rec_set_script() (NULL: the built-in default script).
     * rmm_core_new() copies the steps.  A step the new REC's realm cannot
     * play (an address outside its IPA space) makes that REC fall back to
     * the built-in default, counted in RmmCensus.rec_script_rejected.
     */
    const struct RmmExitStep *rec_script;
    size_t rec_script_len;
} RmmConfig;

void rmm_config_init(RmmConfig *cfg);

/*
 * Is cfg a configuration this model can be?  False, with a g_malloc()ed
 * message in *err (if err is not NULL) naming the value by its device
 * property name and saying what it accepts, for a value that would make
 * the RMM contradict itself (features it does not model, reserved
 * encodings, a donation request no host could serve).
 */
bool rmm_config_check(const RmmConfig *cfg, char **err);

/*
 * What the RMM reads of the CPU it runs on to fill RmiFeatureRegister0,
 * as the reference RMM does at boot.  Plain values, so that the core
 * stays free of CPU models: the QEMU device reads them from its CPU.
 */
typedef struct RmmCpuFeatures {
    uint64_t id_aa64mmfr0;          /* PARange [3:0], TGRAN4_2 [43:40] */
    uint64_t id_aa64pfr0;           /* SVE [35:32] */
    uint64_t id_aa64dfr0;           /* PMUVer [11:8], BRPs [15:12],
                                       WRPs [23:20] */
    unsigned sve_max_vq;            /* longest SVE vector / 128 bits */
    unsigned pmu_num_ctrs;          /* PMCR_EL0.N */
} RmmCpuFeatures;

/*
 * RmiFeatureRegister0 for that CPU: S2SZ from PARange (52 bits only with
 * LPA2 at stage 2), LPA2, SVE with its longest vector, breakpoints and
 * watchpoints, PMUv3 with its counters.  Fields the CPU does not decide
 * (bits [63:32]) are taken from base.
 */
uint64_t rmm_feat_reg0_for_cpu(const RmmCpuFeatures *cpu, uint64_t base);

RmmCore *rmm_core_new(const RmmConfig *cfg, const RmmMemOps *ops,
                      void *opaque);
void rmm_core_free(RmmCore *rmm);

/*
 * Declare a block of DRAM the RMM may track.  Memory outside every block
 * is untracked: delegation fails with RMI_ERROR_TRACKING (or
 * RMI_ERROR_INPUT where the spec says so).
 */
void rmm_core_add_dram(RmmCore *rmm, uint64_t base, uint64_t size);

/*
 * Granule protection (docs/granule-protection.rst): keep the GPT the CPUs
 * walk, at PA base (Root PAS, outside DRAM), in the size bytes of host
 * memory at host, rewriting GPIs as granules change state.  Call after
 * rmm_core_add_dram(); host NULL stops keeping it.  False, with a message,
 * if the table does not fit or cannot live there.
 * rmm_core_gpt_bytes(): the bytes a table at base needs (0: RMI_FEATURES
 * describe no table the CPU can walk).
 * rmm_core_gpccr()/gptbr(): what GPCCR_EL3 and GPTBR_EL3 must hold (0: no
 * table).  rmm_core_gpt_changed(): did a GPI change since the last time it
 * was asked (the CPUs' TLBs must then be invalidated)?
 * rmm_core_gpi(): the GPI the table gives pa, -1 with no table.
 */
bool rmm_core_set_gpt(RmmCore *rmm, uint64_t base, uint64_t size,
                      void *host, char **err);
uint64_t rmm_core_gpt_bytes(RmmCore *rmm, uint64_t base);
uint64_t rmm_core_gpccr(RmmCore *rmm);
uint64_t rmm_core_gptbr(RmmCore *rmm);
bool rmm_core_gpt_changed(RmmCore *rmm);
int rmm_core_gpi(RmmCore *rmm, uint64_t pa);

/*
 * Real stage 2 (stage2.c, docs/realm-execution.rst): keep VMSAv8-64
 * stage-2 descriptors in the RTT granules so that a CPU can translate a
 * realm's accesses with them.  Set before the first realm is created.
 * rmm_core_stage2_changed(): did a descriptor change since the last time
 * it was asked (the CPUs' stage-2 TLB entries must then be invalidated)?
 */
void rmm_core_set_stage2(RmmCore *rmm, bool on);
bool rmm_core_stage2_changed(RmmCore *rmm);

/*
 * RECs that execute (rec-exec.c, docs/realm-execution.rst).  With an
 * executor, RMI_REC_ENTER leaves the REC RUNNING and the executor runs
 * it; rmm_core_set_exec() names the bytes of executor state the core
 * keeps per REC (0: RECs play exit scripts) and turns on stage 2.
 *
 * After each rmm_core_call(), rmm_core_rec_entry() says whether the call
 * entered a REC and with what.  Every exception the REC then takes to
 * EL2 goes to rmm_core_rec_trap(), which answers it: resume (t->gprs and
 * t->pc may have changed), inject an UNDEFINED or synchronous external
 * abort exception into the REC, or exit, when the host's RMI_REC_ENTER
 * returns t->x0 in X0.
 */
typedef struct RmmRecEntry {
    uint64_t rec;                   /* the REC granule */
    uint64_t gprs[31];              /* X0..X30 */
    uint64_t pc;
    void *ctx;                      /* the executor's state for this REC */
    bool first;                     /* its first run: initialise ctx */
    bool inject_sea;                /* the host answered the emulatable
                                       abort at VA sea_va with an SEA */
    uint64_t sea_va;
    /* The R-EL2 configuration. */
    uint64_t rtt_base;
    unsigned ipa_width;
    int level_start;                /* -1 (LPA2) .. 3 */
    bool lpa2;                      /* 52-bit descriptors (VTCR_EL2.DS) */
    uint16_t vmid;
    uint64_t mpidr;                 /* RmiRecMpidr */
    bool trap_wfi, trap_wfe;
    /*
     * The REC's EL1 virtual/physical timer was asserting its interrupt
     * when it last exited: the host has it to inject (a virtual
     * interrupt), so its physical output is masked (CNTHCTL_EL2.CNT[VP]MASK)
     * until an exit finds it quiet again, as TF-RMM does.
     */
    bool mask_vtimer, mask_ptimer;
} RmmRecEntry;

typedef enum RmmTrapKind {
    RMM_TRAP_SYNC,
    RMM_TRAP_IRQ,
    RMM_TRAP_FIQ,
    RMM_TRAP_SERROR,
} RmmTrapKind;

typedef struct RmmRecTrap {
    RmmTrapKind kind;
    uint64_t esr;                   /* ESR_EL2 (SYNC, SERROR) */
    uint64_t far;                   /* FAR_EL2 (aborts) */
    uint64_t hpfar;                 /* HPFAR_EL2 (stage-2 aborts) */
    uint64_t gprs[31];              /* in and out */
    uint64_t pc;                    /* in and out */
    /* A trapped MRS (EC 0x18): the CPU's own value of the register */
    uint64_t sysreg;
    /* The REC's EL1 timers, for rec_exit (A4.3.9) */
    uint64_t cntv_ctl, cntv_cval, cntp_ctl, cntp_cval;
    uint64_t x0;                    /* RMM_TRAP_EXIT: the host's X0 */
    uint64_t reason;                /* and RmiRecExitReason */
} RmmRecTrap;

typedef enum RmmTrapAction {
    RMM_TRAP_RESUME,
    RMM_TRAP_UNDEF,
    RMM_TRAP_SEA,
    RMM_TRAP_EXIT,
} RmmTrapAction;

void rmm_core_set_exec(RmmCore *rmm, size_t ctx_size);
bool rmm_core_exec(RmmCore *rmm);
bool rmm_core_rec_entry(RmmCore *rmm, RmmRecEntry *e);
RmmTrapAction rmm_core_rec_trap(RmmCore *rmm, uint64_t rec, RmmRecTrap *t);

/*
 * What a call leaves its caller to act on: each flag of rmm_core_call()'s
 * result says that the query it names would answer true (or non-NULL)
 * now, so that a caller asks only when there is something to hear.
 */
#define RMM_CALL_GPT_CHANGED    (1u << 0)   /* rmm_core_gpt_changed() */
#define RMM_CALL_S2_CHANGED     (1u << 1)   /* rmm_core_stage2_changed() */
#define RMM_CALL_REC_ENTRY      (1u << 2)   /* rmm_core_rec_entry() */
#define RMM_CALL_CONDITION      (1u << 3)   /* rmm_core_last_condition() */

/*
 * The one entry point.  regs[0] holds the FID on entry; on return regs[]
 * holds X0..X17 as the caller must see them.  Registers that the command
 * does not define as outputs are left exactly as they were.  Returns the
 * RMM_CALL_* flags.
 */
unsigned rmm_core_call(RmmCore *rmm, uint64_t regs[RMM_NR_REGS]);
/*
 * The failure condition of the last call that failed where the model
 * names it (the specification's identifier, e.g. "rtt_walk"), or NULL.
 */
const char *rmm_core_last_condition(RmmCore *rmm);

/* Granule states as the spec names them (A2.3.6). */
typedef enum RmmGranuleState {
    RMM_GRANULE_UNDELEGATED,
    RMM_GRANULE_DELEGATED,
    RMM_GRANULE_RD,
    RMM_GRANULE_REC,
    RMM_GRANULE_RTT,
    RMM_GRANULE_DATA,
    RMM_GRANULE_INTERNAL,           /* donated to an SRO or to the RMM */
    RMM_GRANULE_NR_STATES
} RmmGranuleState;

RmmGranuleState rmm_core_granule_state(RmmCore *rmm, uint64_t pa);
/*
 * True while the granule at pa is held by an
 * incomplete Stateful RMI Operation (other commands on it get RMI_BLOCKED).
 */
bool rmm_core_granule_held(RmmCore *rmm, uint64_t pa);

/* The Level 0 GPT entry covering pa. */
typedef enum RmmGptL0State {
    RMM_GPT_L0_BLOCK,               /* no L1GPT: GPIs cannot change */
    RMM_GPT_L0_TABLE_FW,            /* L1GPT the firmware created */
    RMM_GPT_L0_TABLE_HOST,          /* L1GPT from RMI_GPT_L1_CREATE */
} RmmGptL0State;

RmmGptL0State rmm_core_gpt_l0_state(RmmCore *rmm, uint64_t pa);
const char *rmm_granule_state_name(RmmGranuleState state);

/*
 * Host mistakes the RMM notices, whether or not the specification defines
 * an error for them (each is also logged through rmm_core_set_log()).
 */
typedef enum RmmViolation {
    RMM_VIOLATION_DONATE_STATE,     /* donated memory not in the asked state */
    RMM_VIOLATION_DONATE_SHAPE,     /* block size, contiguity or amount */
    RMM_VIOLATION_DONATE_OVERLAP,   /* a granule twice in one donation */
    RMM_VIOLATION_RECLAIM_REUSE,    /* donating memory not yet handed back */
    RMM_VIOLATION_STALE_HANDLE,     /* an RMI_OP_* naming no operation */
    RMM_VIOLATION_WRONG_STEP,       /* an RMI_OP_* the operation did not ask */
    RMM_VIOLATION_ABANDONED,        /* an operation left neither continued
                                       nor cancelled */
    RMM_VIOLATION_BLOCKED_SPIN,     /* one BLOCKED call retried on and on */
    RMM_VIOLATION_REC_ANSWER,       /* a wrong answer to a REC exit */
    RMM_VIOLATION_COUNT
} RmmViolation;

const char *rmm_violation_name(RmmViolation v);

/* Slots of rmm_core_calls_by_status(). */
#define RMM_STATUS_SLOT_SMCCC       17
#define RMM_STATUS_SLOT_OTHER       18
#define RMM_STATUS_SLOTS            19

/* What the core holds right now: a test oracle and a statistics source. */
typedef struct RmmCensus {
    uint64_t granules[RMM_GRANULE_NR_STATES];  /* tracked, by state;
                                                  [UNDELEGATED] is 0 */
    uint64_t sro_live;              /* SRO contexts not FREE */
    uint64_t calls;                 /* rmm_core_call() invocations */
    uint64_t rmm_state;             /* 0 INIT, 1 INTERMEDIATE, 2 ACTIVE */
    uint64_t metadata_bytes;        /* heap used for granule tracking */
    uint64_t recs;                  /* live RECs (granule state REC) */
    uint64_t rec_aux;               /* INTERNAL granules owned by RECs */
    uint64_t rec_host_errors;       /* host answers a REC found wrong */
    uint64_t realms;                /* live realms (granule state RD) */
    uint64_t rec_script_rejected;   /* RECs given the built-in script
                                       because RmmConfig.rec_script did
                                       not fit their realm */
    uint64_t faults;                /* faults the plan fired */
    uint64_t violations[RMM_VIOLATION_COUNT];  /* host mistakes, by kind */
} RmmCensus;

void rmm_core_census(RmmCore *rmm, RmmCensus *out);

/*
 * The objects the RMM holds, one callback each (describe.c): for a
 * debugger's view of the state (QOM property "state" of rmm-emu).  The
 * strings are static; nothing may call into the core from a callback.
 */
typedef struct RmmRealmView {
    uint64_t rd;
    const char *state;              /* "new", "active", "system-off" ... */
    unsigned ipa_width;
    const char *hash;               /* "sha-256" ... */
    uint64_t recs, rtts, data;      /* RECs, RTTs below the start, DATA */
    const uint8_t *rim;             /* rim_size bytes */
    size_t rim_size;
    uint64_t op;                    /* handle of the operation holding it,
                                       or RMM_NO_OPERATION */
} RmmRealmView;

typedef struct RmmRecView {
    uint64_t rec, rd, index, mpidr;
    bool running, runnable;
    const char *pending;            /* "none", "host-call", "psci" */
    uint64_t entries, aux;
} RmmRecView;

typedef struct RmmRttView {
    uint64_t rtt, rd, ipa;
    int level;
    unsigned live;                  /* entries that keep it live */
} RmmRttView;

typedef struct RmmSroView {
    uint64_t handle;
    const char *command;            /* "RMI_REC_CREATE" */
    const char *step;               /* what the host must call next */
    bool can_cancel, cancelled, abandoned;
    uint64_t donate_req;            /* while a donation is asked for */
    uint64_t hold_base, hold_top;   /* the granules it holds */
    uint64_t donated, to_reclaim;   /* granules given, granules to hand back */
} RmmSroView;

#define RMM_NO_OPERATION    UINT64_MAX

typedef struct RmmDescribeOps {
    void (*realm)(void *opaque, const RmmRealmView *r);
    void (*rec)(void *opaque, const RmmRecView *r);
    void (*rtt)(void *opaque, const RmmRttView *r);
    void (*sro)(void *opaque, const RmmSroView *o);
} RmmDescribeOps;

/* Realms in RD order, then RECs, RTTs and operations; a NULL op skips. */
void rmm_core_describe(RmmCore *rmm, const RmmDescribeOps *ops,
                       void *opaque);

/* The values of RmmCensus.rmm_state (A2.1.2). */
typedef enum RmmState {
    RMM_STATE_INIT,
    RMM_STATE_INTERMEDIATE,
    RMM_STATE_ACTIVE,
} RmmState;

/*
 * Check every invariant the core relies on (granules accounted for, SRO
 * contexts consistent with the objects they hold, ...).  Returns true when
 * all hold; otherwise false and, if err is not NULL, a newly allocated
 * description the caller frees with g_free().
 */
bool rmm_core_check(RmmCore *rmm, char **err);

/*
 * Optional trace sink: called once per rmm_core_call() with the registers
 * before and after, so that QEMU can emit trace events and tests can log.
 */
typedef void (*RmmTraceFn)(void *opaque, const RmmAbiEntry *cmd,
                           const uint64_t in[RMM_NR_REGS],
                           const uint64_t out[RMM_NR_REGS]);
void rmm_core_set_trace(RmmCore *rmm, RmmTraceFn fn, void *opaque);

/*
 * Optional log sink for what a user must hear about but no RMI result
 * says: a configured REC script that does not fit a realm, say.  QEMU
 * logs it as a guest error.  msg has no trailing newline.
 */
typedef void (*RmmLogFn)(void *opaque, const char *msg);
void rmm_core_set_log(RmmCore *rmm, RmmLogFn fn, void *opaque);

/*
 * Fault plans (docs/fault-plans.rst): rules that make the RMM misbehave on
 * purpose, legally or hostilely, on the calls they select.
 *
 * rmm_fault_plan_parse() returns NULL, with a g_malloc()ed message in *err
 * naming the offset, the rule and what was expected, for text that is not
 * a plan.  The empty string is the empty plan.
 */
typedef struct RmmFaultPlan RmmFaultPlan;
RmmFaultPlan *rmm_fault_plan_parse(const char *text, char **err);
void rmm_fault_plan_free(RmmFaultPlan *plan);
/* The plan in canonical form (seed first, one item per rule); g_free() it. */
char *rmm_fault_plan_to_string(const RmmFaultPlan *plan);
/*
 * Put plan in force (the core takes it; NULL clears it) and restart its
 * random sequence from its seed.  The rules RmmConfig's shorthand knobs
 * stand for stay in force.
 */
void rmm_core_set_fault_plan(RmmCore *rmm, RmmFaultPlan *plan);
/* The plan in force, canonical (g_free() it), or NULL for none. */
char *rmm_core_fault_plan(RmmCore *rmm);
/*
 * The rules RmmConfig's shorthand knobs stand for, as plan text (g_free()
 * it; "" when every knob is off).  rmm_core_new() puts them in force
 * ahead of any plan.
 */
char *rmm_config_fault_rules(const RmmConfig *cfg);

/*
 * Each fault fired: the call's sequence number (RmmCensus.calls after
 * it), the rule's position (shorthand rules first; 'shorthand' says which
 * list) and text, the command, and the action as it was resolved, in
 * rule syntax with every random choice made ("donate:req=0x10009",
 * "exit:kind=irq").  The same plan, seed and calls give the same
 * sequence of hook calls, and each action plus ":call=N" is a rule that
 * fires again on that call: a trace replays as a plan.
 */
typedef void (*RmmFaultHookFn)(void *opaque, uint64_t call, unsigned rule,
                               bool shorthand, const char *rule_text,
                               const RmmAbiEntry *cmd, const char *action);
void rmm_core_set_fault_hook(RmmCore *rmm, RmmFaultHookFn fn, void *opaque);

/* The rules in force with how often each matched and fired. */
typedef void (*RmmFaultRuleFn)(void *opaque, unsigned index,
                               const char *rule, uint64_t matched,
                               uint64_t fired);
void rmm_core_fault_rules(RmmCore *rmm, RmmFaultRuleFn fn, void *opaque);

/*
 * Calls by command and X0: slot s < 17 is RmiStatusCode s (INCOMPLETE
 * included), RMM_STATUS_SLOT_SMCCC is SMCCC NOT_SUPPORTED, and
 * RMM_STATUS_SLOT_OTHER any other X0.  Calls to FIDs outside the ABI are
 * not counted.
 */
uint64_t rmm_core_calls_by_status(RmmCore *rmm, const RmmAbiEntry *cmd,
                                  unsigned slot);
const char *rmm_status_slot_name(unsigned slot);

/*
 * Scripted RECs.  A REC runs no code: each
 * RMI_REC_ENTER checks the host's answer to the REC's previous exit and
 * then plays the REC's script until a step exits to the host.  Steps that
 * the RMM itself completes (a PSCI call naming no other REC, an untrapped
 * WFI, an access to memory that is already mapped) make no exit.  A REC
 * without a script of its own plays the default one: HOST_CALL (imm 0),
 * a 4-byte MMIO_WRITE of 'R' to unprotected IPA 0x09000000, a RIPAS_CHANGE
 * of [0, 2MB) to RAM, then PSCI SYSTEM_OFF.  Once a script is exhausted
 * the REC idles: a WFI exit if the host traps WFI, else an IRQ exit.
 */
typedef enum RmmExitStepKind {
    RMM_STEP_HOST_CALL,     /* imm, gprs[0..30]; the answer is not checked */
    RMM_STEP_MMIO_READ,     /* addr (unprotected IPA), len; the host must
                               re-enter with EMULATED_MMIO and gprs[0] =
                               value */
    RMM_STEP_MMIO_WRITE,    /* addr, len, value; EMULATED_MMIO on re-entry */
    RMM_STEP_RIPAS_CHANGE,  /* [addr, top) to RIPAS value (EMPTY or RAM);
                               flags RMM_STEP_RIPAS_DESTROYED_OK; the host
                               calls RMI_RTT_SET_RIPAS, then re-enters */
    RMM_STEP_PSCI,          /* gprs[0] = PSCI FID, gprs[1..3] = arguments */
    RMM_STEP_IRQ,           /* an IRQ for the host */
    RMM_STEP_WFI,           /* exits only if the host traps WFI */
    RMM_STEP_WFE,           /* exits only if the host traps WFE */
    RMM_STEP_DATA_ABORT,    /* access to protected IPA addr; exits if it is
                               RIPAS RAM (or DESTROYED) and unmapped; the
                               host must map it before re-entering */
    RMM_STEP_NR_KINDS
} RmmExitStepKind;

#define RMM_STEP_GPRS                   31
#define RMM_STEP_RIPAS_DESTROYED_OK     (1u << 0)
/* MMIO addr is an offset into the realm's unprotected IPA half. */
#define RMM_STEP_UNPROT_RELATIVE        (1u << 1)

typedef struct RmmExitStep {
    RmmExitStepKind kind;
    uint32_t flags;
    uint64_t addr;                  /* IPA, or RIPAS change base */
    uint64_t top;                   /* RIPAS change top */
    uint64_t value;                 /* MMIO data, or RIPAS value */
    uint8_t len;                    /* MMIO access size: 1, 2, 4 or 8 */
    uint16_t imm;                   /* HOST_CALL immediate */
    uint64_t gprs[RMM_STEP_GPRS];   /* HOST_CALL, PSCI */
} RmmExitStep;

/* PSCI function IDs a script may use (SMC32 and SMC64 forms). */
#define RMM_PSCI_CPU_SUSPEND        0xC4000001u
#define RMM_PSCI_CPU_OFF            0x84000002u
#define RMM_PSCI_CPU_ON             0xC4000003u
#define RMM_PSCI_AFFINITY_INFO      0xC4000004u
#define RMM_PSCI_SYSTEM_OFF         0x84000008u
#define RMM_PSCI_SYSTEM_RESET       0x84000009u

/*
 * Give the REC at rec_pa a script (copied); n == 0 restores the default
 * script.  An exit already made still gets its answer checked; the new
 * script starts after it.  False if there is no such REC or a step is
 * malformed (unknown kind, MMIO length or RIPAS value, misaligned or
 * empty RIPAS range, an address outside the realm's protected or
 * unprotected IPA space as the step needs).
 */
bool rmm_core_rec_set_script(RmmCore *rmm, uint64_t rec_pa,
                             const RmmExitStep *steps, size_t n);

/*
 * Parse a script written as text (docs/model-core.rst, "REC scripts"):
 * steps separated by ';', each a kind followed by ':key=value' fields,
 * e.g. "host-call:imm=7;mmio-write:addr=0x9000000:len=4:value=0x52;
 * psci:fn=system-off".  MMIO addresses are offsets into the unprotected
 * IPA half.  On success returns true and a g_new() array in *steps; on
 * failure false and, if err is not NULL, a g_malloc()ed message naming
 * the offending step.
 */
bool rmm_exit_script_parse(const char *text, RmmExitStep **steps, size_t *n,
                           char **err);

/* What a REC is doing, for tests and introspection. */
typedef struct RmmRecInfo {
    uint64_t rd;
    uint64_t index;
    bool runnable;
    bool psci_pending;              /* waits for RMI_PSCI_COMPLETE */
    uint64_t pc;
    uint64_t gprs[4];               /* X0..X3 */
    size_t cursor;                  /* next step of the script */
    size_t script_len;
    bool in_step;                   /* an exit awaits the host's answer */
    uint64_t last_exit;             /* RmiRecExitReason */
    uint64_t psci_result;           /* last PSCI return value */
    uint64_t ripas_addr, ripas_top;
    uint64_t entries;
    uint64_t host_errors;
    unsigned nr_aux;
} RmmRecInfo;

bool rmm_core_rec_info(RmmCore *rmm, uint64_t rec_pa, RmmRecInfo *out);

#endif /* RMM_H */
