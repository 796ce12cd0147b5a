/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rmm-emu model core: what the per-concern files share.  Nothing here is
 * part of the public interface (rmm.h).
 */
#ifndef RMM_INTERNAL_H
#define RMM_INTERNAL_H

#include <inttypes.h>
#include <glib.h>

#include "hw/arm/rmm/rmm.h"
#include "hw/arm/rmm/rmi-defs.h"
#include "hw/arm/rmm/fault.h"

#define RMM_GRANULE_SHIFT           12
#define RMM_GRANULE_MASK            (RMM_GRANULE_SIZE - 1)
/* The only tracking region size valid with 4KB RMI granules (A2.3.4). */
#define RMM_TRACKING_REGION_SHIFT   30
#define RMM_TRACKING_REGION_SIZE    (1ULL << RMM_TRACKING_REGION_SHIFT)
/* Physical address size reported through FR1.PPS (48 bits). */
#define RMM_PA_BITS                 48
#define RMM_PA_LIMIT                (1ULL << RMM_PA_BITS)

/* One index per line of the ABI table. */
typedef enum RmiCmdIndex {
#define RMI_CMD(name, ...) RMI_IDX_##name,
#include "hw/arm/rmm/rmi-abi.def"
#undef RMI_CMD
    RMI_IDX_COUNT
} RmiCmdIndex;

/*
 * What a handler returns besides X0.  The dispatcher copies back only the
 * registers marked in 'written' (and only those the command may define as
 * outputs), which is how SMCCC register preservation is guaranteed.
 */
typedef struct RmiOut {
    uint64_t x[RMM_NR_REGS];
    uint32_t written;               /* bit n set: Xn is an output */
} RmiOut;

static inline void rmi_set(RmiOut *out, unsigned reg, uint64_t val)
{
    out->x[reg] = val;
    out->written |= 1u << reg;
}

/*
 * A failure condition fired: status, and the condition's name as the
 * specification gives it (its failure-condition table), for the trace and
 * -d guest_errors (rmm_core_last_condition()).
 */
#define rmm_fail(rmm, status, name) ((rmm)->cond = (name), (status))

/*
 * The names a command gives an address argument's three checks (its
 * alignment, its range, the state of its granule), for the helpers that
 * check several commands' arguments: RMM_ARG("rd", "bound", "state")
 * gives rd_align, rd_bound, rd_state.
 */
typedef struct RmmArgNames {
    const char *align, *bound, *state;
} RmmArgNames;
#define RMM_ARG(arg, bound, state) \
    (&(const RmmArgNames) { arg "_align", arg "_" bound, arg "_" state })

static inline bool rmi_is_set(const RmiOut *out, unsigned reg)
{
    return out->written & (1u << reg);
}

/* Xreg is not an output after all (the caller's value is preserved). */
static inline void rmi_unset(RmiOut *out, unsigned reg)
{
    out->written &= ~(1u << reg);
}

/*
 * A command's implementation: 'in' is X0..X17 as the caller passed them,
 * the return value is X0, and 'out' collects the other outputs.
 */
typedef uint64_t RmiHandlerFn(RmmCore *rmm, const uint64_t *in,
                              RmiOut *out);
typedef RmiHandlerFn *RmiHandler;

/* The handlers named in rmi-abi.def's last column. */
#define RMI_HANDLER(fn) RmiHandlerFn fn;
#define RMI_NO_HANDLER
#define RMI_CMD(name, off, args, rets, sro, prof, handler) handler
#include "hw/arm/rmm/rmi-abi.def"
#undef RMI_CMD
#undef RMI_NO_HANDLER
#undef RMI_HANDLER

/*
 * One command as the dispatcher sees it: its row of the ABI table, its
 * handler (NULL when this core does not implement it), the registers
 * besides X0 it may write, and the two fields of its ABI row every call
 * reads (kept here too, so that a call reads one row, not two).
 */
typedef struct RmmCommand {
    RmiCmdIndex idx;
    const RmmAbiEntry *abi;
    RmiHandler handler;
    uint32_t out_mask;
    uint32_t ret_mask;              /* its results, X1..X<rets> */
    unsigned profiles;              /* RMI_PROF_* mask */
} RmmCommand;

extern const RmmCommand rmm_commands[RMI_IDX_COUNT];

/*
 * The command a FID names, or NULL.  Inline, as every call starts here;
 * the compiler turns the switch into a jump table.
 */
static inline const RmmCommand *rmm_command_lookup(uint64_t fid)
{
    switch (fid) {
#define RMI_CMD(name, off, ...)                                     \
    case RMI_FID_BASE | (off):                                      \
        return &rmm_commands[RMI_IDX_##name];
#include "hw/arm/rmm/rmi-abi.def"
#undef RMI_CMD
    default:
        return NULL;
    }
}

const RmmCommand *rmm_command(RmiCmdIndex idx);

/* ---- Granules (granule.c) ---- */

/* Who owns an INTERNAL granule. */
#define RMM_OWNER_NONE              0u
#define RMM_OWNER_RMM               1u
#define RMM_OWNER_SRO(index)        (2u + (index))
#define RMM_OWNER_IS_SRO(owner)     ((owner) >= 2u && (owner) < RMM_OWNER_OBJ)
/* Owners from here up are objects, not SRO contexts (at most 65535). */
#define RMM_OWNER_OBJ               0xffff0000u
/* Auxiliary granule of a live REC (rec.c checks which one). */
#define RMM_OWNER_REC               (RMM_OWNER_OBJ + 1)
/* An L1GPT the host donated (gpt.c) and tracking metadata (tracking.c). */
#define RMM_OWNER_GPT               (RMM_OWNER_OBJ + 0x10)
#define RMM_OWNER_TRACKING          (RMM_OWNER_OBJ + 0x11)
/* Metadata donated to a live realm (realm.c checks which one). */
#define RMM_OWNER_REALM             (RMM_OWNER_OBJ + 2)
#define RMM_OWNER_SRO_INDEX(owner)  ((owner) - 2u)

/*
 * Metadata of one granule (granule.c keeps them in 2MB blocks; a zeroed
 * record is UNDELEGATED).
 */
typedef struct RmmGranule {
    uint8_t state;                  /* RmmGranuleState */
    uint8_t prev_state;             /* INTERNAL: state before donation */
    uint16_t reserved;
    uint32_t owner;                 /* INTERNAL: RMM_OWNER_* */
} RmmGranule;

#define RMM_GRANULES_PER_BLOCK      512u
typedef struct RmmGranuleBlock RmmGranuleBlock;

/* The GPT the CPUs walk (gpt-table.c); host NULL: none is kept. */
typedef struct RmmGptTable {
    uint64_t base;                  /* PA, Root PAS */
    uint64_t size;
    uint8_t *host;                  /* [base, base + size) in host memory */
    bool changed;                   /* a GPI changed since last asked */
} RmmGptTable;

typedef struct RmmDram {
    uint64_t base;
    uint64_t top;
} RmmDram;

void rmm_granules_init(RmmCore *rmm);
void rmm_granules_fini(RmmCore *rmm);
RmmGranule *rmm_granule_find(RmmCore *rmm, uint64_t pa);
RmmGranuleState rmm_granule_state(RmmCore *rmm, uint64_t pa);
/* Move a granule to a state that has no owner (UNDELEGATED drops it). */
void rmm_granule_set(RmmCore *rmm, uint64_t pa, RmmGranuleState state);
void rmm_granule_set_internal(RmmCore *rmm, uint64_t pa, uint32_t owner,
                              RmmGranuleState prev);
uint64_t rmm_granules_metadata_bytes(RmmCore *rmm);
/* Calls fn for every granule in [base, top) that is not UNDELEGATED. */
typedef void (*RmmGranuleFn)(RmmCore *rmm, uint64_t pa, RmmGranule *g,
                             void *opaque);
void rmm_granules_foreach(RmmCore *rmm, uint64_t base, uint64_t top,
                          RmmGranuleFn fn, void *opaque);
/* Like rmm_granules_foreach() over everything, checking the blocks. */
bool rmm_granules_check(RmmCore *rmm, RmmGranuleFn fn, void *opaque,
                        GString *err);
/* Is there a record for any granule of pa's 2MB block? */
bool rmm_granule_block_exists(RmmCore *rmm, uint64_t pa);

/* ---- The GPT in memory (gpt-table.c) ---- */

/* The GPI the table must hold for the granule at pa (g NULL: none). */
unsigned rmm_gpt_table_gpi_for(RmmCore *rmm, uint64_t pa,
                               const RmmGranule *g);
/* The granule at pa changed state (g: its record, NULL if UNDELEGATED). */
void rmm_gpt_table_update(RmmCore *rmm, uint64_t pa, const RmmGranule *g);
/* DRAM changed: lay the table out again. */
void rmm_gpt_table_rebuild(RmmCore *rmm);
/* Does [base, top) overlap the table's own memory (Root PAS)? */
bool rmm_gpt_table_overlaps(RmmCore *rmm, uint64_t base, uint64_t top);
bool rmm_gpt_table_check(RmmCore *rmm, GString *err);

/* The DRAM block holding pa, or NULL. */
const RmmDram *rmm_dram_block(RmmCore *rmm, uint64_t pa);
bool rmm_pa_is_dram(RmmCore *rmm, uint64_t pa);
bool rmm_pa_is_tracked(RmmCore *rmm, uint64_t pa);
void rmm_tracking_region(RmmCore *rmm, uint64_t pa, uint64_t limit,
                         uint64_t *category, uint64_t *state, uint64_t *top);

/*
 * May the host pass [pa, pa + len) as NS memory?  RMI_SUCCESS, or
 * RMI_ERROR_INPUT (a granule is in Realm PAS), or RMI_BLOCKED (a granule
 * is held by an incomplete operation).  Whether the memory is backed is
 * found out by the access itself.
 */
uint64_t rmm_ns_check(RmmCore *rmm, uint64_t pa, uint64_t len);

/* Memory accessors; false when the range is not backed. */
bool rmm_mem_read(RmmCore *rmm, uint64_t pa, void *buf, uint64_t len);
bool rmm_mem_write(RmmCore *rmm, uint64_t pa, const void *buf, uint64_t len);
bool rmm_mem_zero(RmmCore *rmm, uint64_t pa, uint64_t len);

/* ---- Profiles (profile.c) ---- */

/* Width of the RmiOpMemState field: 1 bit in bet1, 2 bits in bet3. */
unsigned rmm_mem_state_width(const RmmCore *rmm);
uint64_t rmm_donate_req_state(const RmmCore *rmm, uint64_t req);
uint64_t rmm_donate_req_sbz(const RmmCore *rmm);
uint64_t rmm_desc_state(const RmmCore *rmm, uint64_t desc);
uint64_t rmm_desc_sbz(const RmmCore *rmm);
uint64_t rmm_make_desc(const RmmCore *rmm, uint64_t addr, uint64_t size,
                       uint64_t count, uint64_t state);
bool rmm_mem_state_valid(const RmmCore *rmm, uint64_t state);
uint64_t rmm_block_bytes(uint64_t size_code);

/* ---- Stateful RMI Operations (sro.c) ---- */

typedef struct RmmSro RmmSro;

/* A range of granules donated to an operation. */
typedef struct RmmSroRange {
    uint64_t base;
    uint64_t blocks;
    uint8_t size;                   /* RmiAddrBlockSize */
    uint8_t prev_state;             /* RmmGranuleState before donation */
} RmmSroRange;

/*
 * Ranges of INTERNAL granules an object owns (RmmSroRange arrays), as
 * the SRO engine records donations (sro.c): hand them to another owner
 * keeping their pre-donation state, count them, look a granule up, and
 * check that every granule of the ranges is INTERNAL with that owner.
 */
void rmm_ranges_set_owner(RmmCore *rmm, GArray *ranges, uint32_t owner);
uint64_t rmm_ranges_granules(GArray *ranges);
bool rmm_ranges_contain(GArray *ranges, uint64_t pa);
uint64_t rmm_ranges_check(RmmCore *rmm, GArray *ranges, uint32_t owner,
                          const char *what, GString *err);

/* What the initiating command plugs into the engine. */
typedef struct RmmSroClass {
    const char *name;
    /*
     * RMI_OP_CONTINUE when the operation expects it.  Returns X0: either
     * the final result (the engine then frees the context) or the value of
     * rmm_sro_yield() for another step.  On a final result the class has
     * already given away or reclaimed everything the operation owns.
     */
    uint64_t (*resume)(RmmCore *rmm, RmmSro *op, uint64_t flags,
                       RmiOut *out);
} RmmSroClass;

/*
 * What an operation keeps between the calls that drive it: one member per
 * family of SRO-capable commands (RmmSro.ctx), read only by the file that
 * implements the family, so that the compiler checks every access.
 */
typedef struct RmmRangeCtx {            /* granule-range.c */
    bool undelegate;
    uint64_t cursor;                    /* next granule */
    uint64_t top;
} RmmRangeCtx;

typedef struct RmmMapCtx {              /* data.c: RTT_DATA/UNPROT_MAP */
    bool data;
    uint64_t flags, oaddr;
    uint64_t base, cur, top;
    uint64_t di, off;                   /* where in the address set */
} RmmMapCtx;

typedef struct RmmUnmapCtx {            /* data.c: RTT_DATA/UNPROT_UNMAP */
    bool data;
    uint64_t flags, list;
    uint64_t base, cur, top;
    uint64_t count;                     /* LIST: descriptors written */
    uint64_t open;                      /* descriptor being extended */
} RmmUnmapCtx;

typedef struct RmmRealmCtx {            /* realm.c: CREATE, DESTROY */
    uint64_t rd;
} RmmRealmCtx;

typedef struct RmmRecCtx {              /* rec.c */
    struct RmmRec *rec;                 /* REC_CREATE: the REC being made */
    uint64_t rec_pa;                    /* REC_DESTROY */
} RmmRecCtx;

/* gpt.c: GPT_L1_CREATE/_DESTROY; tracking.c: GRANULE_TRACKING_SET */
typedef struct RmmRegionCtx {
    uint64_t index;                     /* the L0GPT entry or region */
    uint64_t state;                     /* tracking: the state asked for */
    bool donation_rejected;             /* tracking: handing it back */
} RmmRegionCtx;

/* fault.c: a result a plan keeps back for a few more steps */
typedef struct RmmDeferredCtx {
    uint64_t x0;
    uint32_t written;
    uint64_t x[RMM_NR_REGS];
} RmmDeferredCtx;

typedef union RmmSroCtx {
    RmmRangeCtx range;
    RmmMapCtx map;
    RmmUnmapCtx unmap;
    RmmRealmCtx realm;
    RmmRecCtx rec;
    RmmRegionCtx region;
    RmmDeferredCtx deferred;
} RmmSroCtx;

struct RmmSro {
    unsigned index;
    uint32_t gen;                   /* bumped on each allocation */
    bool live;
    const RmmSroClass *cls;
    RmiCmdIndex cmd;
    unsigned want;                  /* RMI_OP_MEM_REQ_* expected next */
    bool can_cancel;
    bool cancelled;
    uint64_t donate_req;            /* outstanding request (DONATE) */
    GArray *donated;                /* RmmSroRange, owned by this op */
    GArray *reclaim;                /* RmmSroRange, waiting for RECLAIM */
    uint64_t handle;                /* what the host names it by */
    uint64_t hold_base;             /* granules other commands see */
    uint64_t hold_top;              /* as BLOCKED: [hold_base, hold_top) */
    RmmSroCtx ctx;                  /* for the class */
    RmmSroFault fault;              /* what the fault plan asks of it */
    uint64_t last_call;             /* RmmCore.calls when last touched */
    bool abandoned;                 /* counted as a host violation */
};

void rmm_sro_init(RmmCore *rmm);
void rmm_sro_fini(RmmCore *rmm);
/* The live operation a handle names, or NULL. */
RmmSro *rmm_sro_lookup(RmmCore *rmm, uint64_t handle);
/* A free context for a new operation, or NULL when all are in use. */
RmmSro *rmm_sro_open(RmmCore *rmm, RmiCmdIndex cmd, const RmmSroClass *cls);
void rmm_sro_close(RmmCore *rmm, RmmSro *op);
uint64_t rmm_sro_handle(const RmmSro *op);
/* The call the host owes an operation waiting for 'want' (RMI_OP_*). */
const char *rmm_sro_step_name(unsigned want);
/* Park the operation until the host answers 'want'; returns X0. */
uint64_t rmm_sro_yield(RmmSro *op, unsigned want, bool can_cancel,
                       uint64_t donate_req);
/* X0 for the command that started op: also sets X1 (handle), X2. */
uint64_t rmm_sro_started(RmmSro *op, uint64_t x0, RmiOut *out);
/*
 * Move every range donated to op into 'into' (an object's RmmSroRange
 * array), now owned by 'owner'; returns the number of granules.
 */
uint64_t rmm_sro_keep_donations(RmmCore *rmm, RmmSro *op, GArray *into,
                                uint32_t owner);
/*
 * Queue the ranges an object holds in 'from' for reclaim by op, owned by
 * op until the host takes them; 'from' is left empty.  Returns the
 * number of granules.
 */
uint64_t rmm_sro_queue_reclaim(RmmCore *rmm, RmmSro *op, GArray *from);
/* Hand every granule donated to op over to the RMM itself. */
void rmm_sro_adopt_donations(RmmCore *rmm, RmmSro *op);
/* Is any granule of [base, top) held by an operation other than except? */
bool rmm_sro_held(RmmCore *rmm, uint64_t base, uint64_t top,
                  const RmmSro *except);
/*
 * The first held granule at or above base and below top, or top: where a
 * range operation starting at an unheld base is bound to stop.
 */
uint64_t rmm_sro_hold_limit(RmmCore *rmm, uint64_t base, uint64_t top);
unsigned rmm_sro_live(RmmCore *rmm);
/*
 * INTERNAL granules by owner, counted in rmm_core_check()'s one walk over
 * the granule records; each object's check matches its count with its own
 * lists.
 */
typedef struct RmmOwnerTally {
    uint64_t rmm, realm, rec, gpt, tracking;
    uint64_t *sro;                  /* [nr_sro] */
} RmmOwnerTally;

bool rmm_sro_check(RmmCore *rmm, const RmmOwnerTally *owned, GString *err);

/* ---- The instance ---- */

struct RmmCore {
    RmmConfig cfg;
    const RmmMemOps *ops;
    void *opaque;

    GArray *dram;                   /* RmmDram, sorted, disjoint */
    GHashTable *granules;           /* block number -> RmmGranuleBlock */
    RmmGptTable gpt_table;          /* gpt-table.c: the GPT in memory */
    bool stage2;                    /* stage2.c: RTTs hold descriptors */
    bool s2_changed;                /* a descriptor changed this call */
    size_t exec_ctx_size;           /* rec-exec.c: 0 while RECs are scripted */
    struct RmmRec *exec_entering;   /* the REC this call entered */
    struct RmmRecRun *spare_run;    /* rec.h: the last entry's, for reuse */
    RmmGranuleBlock *granule_cache; /* the block used last */
    uint64_t count[RMM_GRANULE_NR_STATES];
    uint64_t rmm_owned;             /* INTERNAL granules owned by the RMM */

    RmmState state;
    uint64_t cfg_granule_size;      /* RmiGranuleSize in force */
    uint64_t cfg_tracking_size;     /* tracking_region_size encoding */

    RmmSro *sro;
    unsigned nr_sro;
    unsigned nr_sro_live;           /* live ones, for the per-call watch */

    struct RmmRecs *recs;           /* rec.c */
    struct RmmRegionMap *gpt;       /* gpt.c: L0GPT entries changed */
    struct RmmRegionMap *tracking;  /* tracking.c: regions changed */
    struct RmmRealms *realms;       /* realm.c, rtt.c */

    uint64_t calls;
    uint64_t discipline_errors;     /* handler wrote a non-output */
    const char *cond;               /* the failure condition that fired */
    RmmTraceFn trace;
    void *trace_opaque;
    RmmLogFn log;
    void *log_opaque;
    RmmFaultState fault;            /* fault.c */
};

/* Tell the user (RmmLogFn), if anyone listens. */
void rmm_log(RmmCore *rmm, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* ---- Fault plans (fault.c, fault-plan.c) ---- */

void rmm_fault_init(RmmCore *rmm);
void rmm_fault_fini(RmmCore *rmm);
/* The rules RmmConfig's shorthand knobs stand for (taken; NULL: none). */
void rmm_fault_set_shorthand(RmmCore *rmm, RmmFaultPlan *plan);
/*
 * With rules in force (rmm->fault.armed; without them the decision stays
 * empty, cleared when they went): decide which fire on this call
 * (rmm->fault.call).  Returns the status to answer instead of running
 * the command, or 0.
 */
uint64_t rmm_fault_begin(RmmCore *rmm, int cmd, const uint64_t *in);
/* After the handler, if begun: extra SRO steps around an immediate result. */
uint64_t rmm_fault_finish(RmmCore *rmm, int cmd, uint64_t x0, RmiOut *out);
/* Last of all: the hostile actions rewrite what the host sees. */
void rmm_fault_corrupt(RmmCore *rmm, int cmd, uint32_t out_mask,
                       uint64_t regs[RMM_NR_REGS]);

/* Count a call's answer by command and status (every call: kept inline). */
static inline void rmm_fault_count(RmmCore *rmm, int cmd, uint64_t x0)
{
    unsigned slot;

    if (x0 == SMCCC_NOT_SUPPORTED) {
        slot = RMM_STATUS_SLOT_SMCCC;
    } else if (x0 >> 16 || RMI_RESULT_STATUS(x0) > RMI_ERROR_GRANULE) {
        slot = RMM_STATUS_SLOT_OTHER;
    } else {
        slot = RMI_RESULT_STATUS(x0);
    }
    rmm->fault.calls[cmd][slot]++;
}

/*
 * Is op only a command's result a plan keeps back for extra steps (its
 * command's own state is final, whatever op->cmd says)?
 */
bool rmm_fault_op_deferred(const RmmSro *op);
/*
 * Watch the host's discipline across calls; cmd: the call's command as
 * rmm_core_call() dispatched it (NULL: none of this profile).
 */
void rmm_fault_watch(RmmCore *rmm, const RmmCommand *cmd,
                     const uint64_t *in, uint64_t x0);
/*
 * Has rmm_fault_watch() anything to look at: a BLOCKED answer, a run of
 * them to end, an open operation?  Most calls: no.
 */
static inline bool rmm_fault_watching(const RmmCore *rmm, uint64_t x0)
{
    return x0 == RMI_BLOCKED || rmm->fault.blocked_spin || rmm->nr_sro_live;
}
void rmm_host_violation(RmmCore *rmm, RmmViolation v, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);

/* What the plan asks of this call (op NULL) or of op's later steps. */
static inline uint64_t rmm_fault_yield_every(const RmmCore *rmm,
                                             const RmmSro *op)
{
    return op ? op->fault.yield_every : rmm->fault.call.yield_every;
}

/* The RmiOpMemDonateReq a command that keeps memory asks for, or 0. */
static inline uint64_t rmm_fault_keep_req(const RmmCore *rmm)
{
    return rmm->fault.call.donate_keep ? rmm->fault.call.donate_req : 0;
}

/*
 * Has a range command done all one call may do, done granules in?  The
 * bound (RmmConfig.range_granules_per_call) keeps every call short; the
 * first unit of work is always done, so each call makes progress.
 */
static inline bool rmm_range_bound_reached(const RmmCore *rmm, uint64_t done)
{
    uint64_t bound = rmm->cfg.range_granules_per_call;
    uint64_t stop = rmm->fault.call.stop_after;

    /* A plan's 'stop' may end this call sooner. */
    if (stop && (!bound || stop < bound)) {
        bound = stop;
    }
    return bound && done >= bound;
}

#endif /* RMM_INTERNAL_H */
