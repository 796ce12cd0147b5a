/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target (b): the model core alone, called by a hostile host.
 *
 * Each input is a fresh RmmCore over simulated DRAM followed by a sequence
 * of raw RMI calls (and a few host actions: writing the structures the
 * calls read, and "correct host" macros that drive an operation to its
 * end).  docs/fuzzing.rst describes the input format; fuzz/gen-seeds.py
 * writes inputs in it.
 *
 * After every call the target checks what any RMM must guarantee whatever
 * the host does:
 *   - rmm_core_check() holds (the model's own invariants);
 *   - SMCCC register preservation: no register outside the command's
 *     out_mask changes, and an undefined FID changes X0 only, to
 *     SMCCC_NOT_SUPPORTED;
 *   - X0 is a defined RmiResult: a status code, with bits above the
 *     status byte only where the status gives them a meaning;
 * plus ASan and UBSan throughout.  A failed oracle prints the call and
 * aborts, which libFuzzer and AFL++ both report as a crash.
 *
 * Only the entry point LLVMFuzzerTestOneInput() is defined, so that the
 * same file builds for libFuzzer and for AFL++'s driver.  FUZZ_TRACE=1 in
 * the environment prints every call as it is made, which is how a crash
 * input is read back as a call sequence.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/arm/rmm/rmm-internal.h"
#include "hw/arm/rmm/realm.h"
#include "tests/common/simmem.h"

/* ---- The machine ---- */

/*
 * 8 MiB of DRAM: room for four L2 blocks (the donation paths for 2MB
 * blocks) while the invariant check, which walks every tracked granule,
 * stays cheap.  The base is 1GB-aligned, as the tracking regions are.
 */
#define FZ_MEM_BASE     0x40000000ULL
#define FZ_MEM_SIZE     (8ULL << 20)
#define FZ_MEM_TOP      (FZ_MEM_BASE + FZ_MEM_SIZE)
#define GRAN            RMM_GRANULE_SIZE
#define FZ_PAGES        (FZ_MEM_SIZE / GRAN)
#define L2_SIZE         (2ULL << 20)

/* NS pages the host writes its structures into (the first 8 granules). */
enum {
    NS_LIST,                        /* address lists to donate */
    NS_CFG,                         /* RmiRmmConfig */
    NS_REALM_PARAMS,                /* RmiRealmParams */
    NS_REC_PARAMS,                  /* RmiRecParams */
    NS_RUN,                         /* RmiRecRun */
    NS_SRC,                         /* RTT_DATA_MAP_INIT source */
    NS_LIST2,                       /* reclaim lists, unmap output lists */
    NS_SPARE,
    NS_NR
};
#define NS_PA(i)        (FZ_MEM_BASE + (uint64_t)(i) * GRAN)

/* Where the "correct host" macros find memory to donate. */
#define FZ_DONATE_BASE  (FZ_MEM_BASE + (4ULL << 20))

/* Bounds on the work of one input, to keep executions fast. */
#define FZ_MAX_CALLS    64
#define FZ_SERVE_STEPS  24
#define FZ_DONATE_MAX   16          /* blocks per OP_MEM_DONATE */

/*
 * The FIDs an op byte picks from, by index.  The order is part of the
 * input format (seeds name commands by index): append, never reorder.
 * Every command with a handler must be here; fz_init() appends any that
 * is missing, so that a new command is fuzzed even before this list is
 * updated.
 */
static const uint64_t fz_fid_list[] = {
    RMI_FID_VERSION,                    /* 0 */
    RMI_FID_FEATURES,
    RMI_FID_RMM_CONFIG_SET,
    RMI_FID_RMM_CONFIG_GET,
    RMI_FID_RMM_ACTIVATE,
    RMI_FID_RMM_STATE_GET,              /* 5 */
    RMI_FID_GRANULE_RANGE_DELEGATE,
    RMI_FID_GRANULE_RANGE_UNDELEGATE,
    RMI_FID_GRANULE_TRACKING_GET,
    RMI_FID_GRANULE_TRACKING_SET,
    RMI_FID_GPT_L1_CREATE,              /* 10 */
    RMI_FID_GPT_L1_DESTROY,
    RMI_FID_OP_CONTINUE,
    RMI_FID_OP_MEM_DONATE,
    RMI_FID_OP_MEM_RECLAIM,
    RMI_FID_OP_CANCEL,                  /* 15 */
    RMI_FID_REALM_CREATE,
    RMI_FID_REALM_ACTIVATE,
    RMI_FID_REALM_DESTROY,
    RMI_FID_REALM_TERMINATE,
    RMI_FID_REC_CREATE,                 /* 20 */
    RMI_FID_REC_DESTROY,
    RMI_FID_REC_ENTER,
    RMI_FID_PSCI_COMPLETE,
    RMI_FID_RTT_CREATE,
    RMI_FID_RTT_DESTROY,                /* 25 */
    RMI_FID_RTT_READ_ENTRY,
    RMI_FID_RTT_FOLD,
    RMI_FID_RTT_INIT_RIPAS,
    RMI_FID_RTT_SET_RIPAS,
    RMI_FID_RTT_DATA_MAP_INIT,          /* 30 */
    RMI_FID_RTT_DATA_MAP,
    RMI_FID_RTT_DATA_UNMAP,
    RMI_FID_RTT_UNPROT_MAP,
    RMI_FID_RTT_UNPROT_UNMAP,
    /* Defined without a handler: RMI_ERROR_NOT_SUPPORTED. */
    RMI_FID_RTT_DEV_VALIDATE,           /* 35 */
    RMI_FID_PDEV_CREATE,
    /* In one profile only: SMCCC_NOT_SUPPORTED in the other. */
    RMI_FID_ATTEST_PLAT_TOKEN_REFRESH,  /* bet3 */
    RMI_FID_VDEV_COMPLETE,              /* bet1 */
    /* Not RMI functions at all. */
    0xC4000151ULL,                      /* a hole in the RMI range */
    0xC40002CFULL,                      /* 40: the last FID of the range */
    0x84000150ULL,                      /* the SMC32 form of RMI_VERSION */
    0xC4000000ULL,
    0x84000000ULL,                      /* PSCI_VERSION */
    0xC5000150ULL,                      /* another service */
};

#define FZ_MAX_FIDS     (G_N_ELEMENTS(fz_fid_list) + RMI_IDX_COUNT)

/*
 * Legal fault plans the low nibble of header byte 1 picks, so that the
 * fault engine's paths (BUSY, BLOCKED, extra steps, detours, partial
 * consumption) are reached through raw calls.  Only legal actions: a
 * hostile one breaks the register oracles on purpose.  Part of the input
 * format: at most 16, append only.
 */
static const char *const fz_plans[] = {
    "",
    "busy:class=sro:p=0.3:n=2",
    "blocked:class=sro:p=0.2",
    "split:class=sro:p=0.5:k=2",
    "yield:granules=3",
    "stop:n=2",
    "donate:class=memxfer:p=0.5:size=random:count=random:contig=random:"
    "state=random",
    "donate:cmd=RMM_ACTIVATE:size=l3:count=4:keep=1",
    "donate:cmd=REALM_CREATE:size=l3:count=2:keep=1",
    "consume:max=1; reclaim:max=1; donate:class=memxfer:count=3",
    "nocancel; cancellable:cmd=REC_CREATE",
    "exit:cmd=REC_ENTER:p=0.5; exhaust:p=0.3",
    "seed=5; busy:class=sro:p=0.2:n=3; split:class=sro:p=0.2:k=2; "
    "donate:class=memxfer:p=0.3:size=random:count=random:contig=random; "
    "consume:max=1; reclaim:max=1",
    "seed=9; split:class=sro:k=1; yield:granules=1",
    "busy:cmd=OP_CONTINUE:every=3; split:class=memxfer:k=3",
    "donate:class=memxfer:size=l2:count=1; stop:n=1",
};

/*
 * REC scripts the high nibble of header byte 1 picks for every new REC
 * (RmmConfig.rec_script; 0 and unlisted values: the built-in script), so
 * that REC_ENTER and PSCI_COMPLETE reach the exits the default script
 * never makes: PSCI naming another REC (which the host must complete),
 * CPU_OFF, data aborts, MMIO reads, RIPAS changes to EMPTY, WFI/WFE.
 * Part of the input format: append only.
 */
static const char *const fz_scripts[] = {
    NULL,
    "psci:fn=cpu-on:a1=1:a2=0x1000:a3=0;psci:fn=affinity-info:a1=1;"
    "psci:fn=cpu-off",
    "data-abort:addr=0x1000;mmio-read:addr=0x100:len=8:value=7;wfi;wfe",
    "ripas-change:base=0:top=0x4000:ripas=empty;"
    "ripas-change:base=0x1000:top=0x2000:ripas=ram:destroyed-ok=1",
    "psci:fn=system-reset",
    "psci:fn=cpu-suspend;irq;host-call:imm=65535;psci:fn=0xc4000001",
    "psci:fn=affinity-info:a1=0x100;psci:fn=cpu-on:a1=0:a2=0:a3=0;"
    "psci:fn=cpu-on:a1=1:a2=0xffffffffffff:a3=0;psci:fn=0x84000003",
    "mmio-write:addr=0:len=1:value=0xff;mmio-read:addr=0xffff:len=2;"
    "data-abort:addr=0",
};

typedef struct FzScript {
    RmmExitStep *steps;
    size_t n;
} FzScript;

static FzScript fz_script_steps[G_N_ELEMENTS(fz_scripts)];

/* Header byte 0: the configuration. */
#define HDR_BET3            (1u << 0)
#define HDR_NO_ACTIVATE     (1u << 1)
#define HDR_NO_AUX          (1u << 2)
#define HDR_TAGGED          (1u << 3)
#define HDR_FEW_SROS        (1u << 4)
#define HDR_GPT_HOST_L1     (1u << 5)
#define HDR_TRACKING_HOST   (1u << 6)
#define HDR_SHORT_RANGES    (1u << 7)

/* Op bytes that are not calls; every other byte is a call. */
#define OP_DECORATED        0x40    /* 0x40..0x4f: FID with SMCCC noise */
#define OP_REALM_PARAMS     0x50
#define OP_REC_PARAMS       0x51
#define OP_LIST             0x52
#define OP_CONFIG           0x53
#define OP_POKE             0x54
#define OP_RUN              0x55
#define OP_DELEGATE         0x56
#define OP_SERVE            0x57
#define OP_REALM            0x58
#define OP_REC              0x59

/* Argument selector kinds (the selector byte's high nibble). */
enum {
    ARG_POOL_LO, ARG_POOL_HI, ARG_OBJECT, ARG_ADVERSARIAL, ARG_HANDLE,
    ARG_FLAGS, ARG_SHAPED, ARG_NS_PAGE, ARG_SMALL, ARG_IPA, ARG_RAW,
    ARG_LAST_OUT, ARG_DRAM_INDEX, ARG_PREV_PLUS, ARG_PREV_POW2, ARG_MPIDR,
};

/* ---- State ---- */

typedef struct Fz {
    RmmCore *rmm;
    bool bet3;
    const uint8_t *p, *end;         /* the input still to decode */
    unsigned calls;
    uint64_t in[RMM_NR_REGS];       /* the last call, as made */
    uint64_t out[RMM_NR_REGS];      /* ... and as answered */
    uint64_t prev_arg;
    /* What the sequence created or was handed, for later arguments. */
    uint64_t objs[8];
    unsigned nobjs;
    uint64_t rds[4];
    unsigned nrds;
    uint64_t handles[4];
    unsigned nhandles;
    /* The operation the last INCOMPLETE answer concerns. */
    uint64_t op_handle;
} Fz;

static SimMem *fz_mem;
static uint64_t fz_dirty[FZ_PAGES / 64];
static uint64_t fz_fids[FZ_MAX_FIDS];
static size_t fz_nfids;
static bool fz_trace;

/* ---- Memory: simmem, reset between inputs by zeroing what was written */

static void mark_dirty(uint64_t pa, uint64_t len)
{
    uint64_t first = (pa - FZ_MEM_BASE) / GRAN;
    uint64_t last = (pa - FZ_MEM_BASE + len - 1) / GRAN;
    uint64_t i;

    for (i = first; i <= last; i++) {
        fz_dirty[i / 64] |= 1ULL << (i % 64);
    }
}

static bool fz_read(void *opaque, uint64_t pa, void *buf, uint64_t len)
{
    return simmem_ops.read(opaque, pa, buf, len);
}

static bool fz_write(void *opaque, uint64_t pa, const void *buf, uint64_t len)
{
    if (!simmem_ops.write(opaque, pa, buf, len)) {
        return false;
    }
    /* simmem refused anything outside DRAM: [pa, pa + len) is inside. */
    if (len) {
        mark_dirty(pa, len);
    }
    return true;
}

/*
 * The RMM scrubs every granule it gives back; a page that was never
 * written since the last reset is zero already, so only dirty pages are
 * cleared (most scrubs then cost nothing, as on a fresh machine).
 */
static bool fz_zero(void *opaque, uint64_t pa, uint64_t len)
{
    uint64_t g, end = pa + len;

    if (!len || pa < FZ_MEM_BASE || end > FZ_MEM_TOP || end < pa) {
        return simmem_ops.zero(opaque, pa, len);
    }
    for (g = pa & ~(GRAN - 1); g < end; g += GRAN) {
        uint64_t i = (g - FZ_MEM_BASE) / GRAN;
        uint64_t from = MAX(g, pa), to = MIN(g + GRAN, end);

        if (!(fz_dirty[i / 64] & (1ULL << (i % 64)))) {
            continue;
        }
        if (!simmem_ops.zero(opaque, from, to - from)) {
            return false;
        }
        if (to - from == GRAN) {
            fz_dirty[i / 64] &= ~(1ULL << (i % 64));
        }
    }
    return true;
}

static const RmmMemOps fz_mem_ops = {
    .read = fz_read,
    .write = fz_write,
    .zero = fz_zero,
};

/*
 * Zeroing 8 MiB per input would cost more than the input itself; only the
 * pages written since the last reset are cleared.
 */
static void mem_reset(void)
{
    unsigned w, b;

    for (w = 0; w < G_N_ELEMENTS(fz_dirty); w++) {
        while (fz_dirty[w]) {
            b = __builtin_ctzll(fz_dirty[w]);
            fz_dirty[w] &= fz_dirty[w] - 1;
            memset(simmem_ptr(fz_mem, FZ_MEM_BASE + (w * 64 + b) * GRAN,
                              GRAN), 0, GRAN);
        }
    }
}

/*
 * The host writes its own memory.  A granule it has delegated is Realm
 * PAS, where its stores would fault: they are dropped, as the GPC would.
 */
static void host_write(Fz *fz, uint64_t pa, const void *buf, uint64_t len)
{
    if (rmm_core_granule_state(fz->rmm, pa) != RMM_GRANULE_UNDELEGATED) {
        return;
    }
    fz_write(fz_mem, pa, buf, len);
}

static void host_write64(Fz *fz, uint64_t pa, uint64_t val)
{
    host_write(fz, pa, &val, sizeof(val));
}

/* ---- Input ---- */

static uint8_t take(Fz *fz)
{
    return fz->p < fz->end ? *fz->p++ : 0;
}

static uint64_t take64(Fz *fz)
{
    uint64_t v = 0;
    unsigned i;

    for (i = 0; i < 8; i++) {
        v |= (uint64_t)take(fz) << (8 * i);
    }
    return v;
}

/* ---- Oracles ---- */

static const char *fid_name(uint64_t fid)
{
    const RmmAbiEntry *e = rmm_abi_lookup((uint32_t)fid & ~SMCCC_SVE_HINT);

    return e ? e->name : "(undefined FID)";
}

static void G_GNUC_PRINTF(2, 3) G_GNUC_NORETURN
oracle_failed(Fz *fz, const char *fmt, ...)
{
    va_list ap;
    unsigned i;

    fprintf(stderr, "fuzz-rmi-calls: ORACLE FAILED after call %u, %s "
            "(FID 0x%" PRIx64 "):\n  ", fz->calls, fid_name(fz->in[0]),
            fz->in[0]);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n  in: ");
    for (i = 0; i < RMM_NR_REGS; i++) {
        fprintf(stderr, " X%u=0x%" PRIx64, i, fz->in[i]);
    }
    fprintf(stderr, "\n  out:");
    for (i = 0; i < RMM_NR_REGS; i++) {
        fprintf(stderr, " X%u=0x%" PRIx64, i, fz->out[i]);
    }
    fprintf(stderr, "\n");
    abort();
}

/* Is x0 an RmiResult that cmd may return? */
static void check_x0(Fz *fz, const RmmCommand *cmd, uint64_t x0)
{
    uint64_t status = RMI_RESULT_STATUS(x0);
    uint64_t upper = x0 >> 8;

    if (x0 == SMCCC_NOT_SUPPORTED || status > RMI_ERROR_GRANULE) {
        oracle_failed(fz, "X0 0x%" PRIx64 " is no RmiStatusCode", x0);
    }
    switch (status) {
    case RMI_INCOMPLETE:
        /* RmiResultDataIncomplete: mem_req [9:8] (0..2), can_cancel [10] */
        if ((x0 >> 11) || RMI_RESULT_MEM(x0) > RMI_OP_MEM_REQ_RECLAIM) {
            oracle_failed(fz, "INCOMPLETE with reserved bits: X0 0x%"
                          PRIx64, x0);
        }
        if (cmd->abi->sro == RMI_SRO_NEVER) {
            oracle_failed(fz, "%s can never be INCOMPLETE", cmd->abi->name);
        }
        break;
    case RMI_ERROR_RTT:
        /* RmiResultDataLevel: the walk level, -1..3, in [15:8]. */
        if ((x0 >> 16) || (upper > 3 && upper != 0xff)) {
            oracle_failed(fz, "ERROR_RTT with a bad level: X0 0x%" PRIx64,
                          x0);
        }
        break;
    default:
        if (upper) {
            oracle_failed(fz, "status %" PRIu64 " with reserved bits set: "
                          "X0 0x%" PRIx64, status, x0);
        }
    }
}

static void check_call(Fz *fz)
{
    const uint64_t *in = fz->in, *out = fz->out;
    const RmmCommand *cmd = rmm_command_lookup((uint32_t)in[0] &
                                               ~SMCCC_SVE_HINT);
    unsigned prof = fz->bet3 ? RMI_PROF_BET3 : RMI_PROF_BET1;
    bool defined = cmd && (cmd->abi->profiles & prof);
    uint32_t mask = defined && cmd->handler ? cmd->out_mask : 0;
    g_autofree char *err = NULL;
    unsigned i;

    for (i = 1; i < RMM_NR_REGS; i++) {
        if (!(mask & (1u << i)) && out[i] != in[i]) {
            oracle_failed(fz, "X%u is not an output (out_mask 0x%x) but "
                          "changed: 0x%" PRIx64 " -> 0x%" PRIx64, i, mask,
                          in[i], out[i]);
        }
    }
    if (!defined) {
        if (out[0] != SMCCC_NOT_SUPPORTED) {
            oracle_failed(fz, "an undefined FID got X0 0x%" PRIx64
                          ", not SMCCC_NOT_SUPPORTED", out[0]);
        }
    } else if (!cmd->handler) {
        if (out[0] != RMI_ERROR_NOT_SUPPORTED) {
            oracle_failed(fz, "a command without a handler got X0 0x%"
                          PRIx64 ", not RMI_ERROR_NOT_SUPPORTED", out[0]);
        }
    } else {
        check_x0(fz, cmd, out[0]);
    }
    if (!rmm_core_check(fz->rmm, &err)) {
        oracle_failed(fz, "rmm_core_check() failed:\n%s", err);
    }
}

/* ---- Calls ---- */

static uint64_t canary(unsigned n)
{
    /* Not an address, a status or a handle the core could produce. */
    return 0xCA11AB1E00000000ULL | ((uint64_t)n << 16) | 0x5A5AULL;
}

static void remember(uint64_t *ring, unsigned *n, unsigned size, uint64_t v)
{
    ring[*n % size] = v;
    (*n)++;
}

/* What later arguments may name: the objects a call created, its handle. */
static void note_result(Fz *fz, const RmmCommand *cmd)
{
    uint64_t status = RMI_RESULT_STATUS(fz->out[0]);
    bool incomplete = status == RMI_INCOMPLETE;

    if (!cmd) {
        return;
    }
    if (incomplete && cmd->abi->sro == RMI_SRO_CONTROL) {
        /* A step of the operation the call named. */
        fz->op_handle = fz->in[1];
    } else if (incomplete) {
        /* A new operation: X1 is its handle. */
        fz->op_handle = fz->out[1];
        remember(fz->handles, &fz->nhandles, G_N_ELEMENTS(fz->handles),
                 fz->out[1]);
    }
    if (status != RMI_SUCCESS && !incomplete) {
        return;
    }
    switch (cmd->idx) {
    case RMI_IDX_REALM_CREATE:
        remember(fz->rds, &fz->nrds, G_N_ELEMENTS(fz->rds), fz->in[1]);
        remember(fz->objs, &fz->nobjs, G_N_ELEMENTS(fz->objs), fz->in[1]);
        break;
    case RMI_IDX_REC_CREATE:
    case RMI_IDX_RTT_CREATE:
    case RMI_IDX_RTT_DATA_MAP_INIT:
        remember(fz->objs, &fz->nobjs, G_N_ELEMENTS(fz->objs), fz->in[2]);
        break;
    default:
        break;
    }
}

/* FUZZ_TRACE: the call before it is made, so that a crash shows it. */
static void trace_call(Fz *fz, unsigned nargs)
{
    unsigned i;

    fprintf(stderr, "call %3u: %-32s", fz->calls, fid_name(fz->in[0]));
    if ((uint32_t)fz->in[0] != fz->in[0] || (fz->in[0] & SMCCC_SVE_HINT)) {
        fprintf(stderr, " [FID 0x%" PRIx64 "]", fz->in[0]);
    }
    for (i = 1; i <= nargs; i++) {
        fprintf(stderr, " 0x%" PRIx64, fz->in[i]);
    }
    fprintf(stderr, "\n");
}

static void trace_result(Fz *fz)
{
    fprintf(stderr, "          -> X0=0x%" PRIx64 " X1=0x%" PRIx64
            " X2=0x%" PRIx64 " X3=0x%" PRIx64 "\n", fz->out[0], fz->out[1],
            fz->out[2], fz->out[3]);
}

static unsigned fid_args(uint64_t fid)
{
    const RmmAbiEntry *e = rmm_abi_lookup((uint32_t)fid & ~SMCCC_SVE_HINT);

    return e ? e->args : 4;
}

/*
 * Bugs found and not fixed yet (fuzz/regressions/pending/README.rst): the
 * target steers around them here, changing the call as narrowly as the
 * trigger allows, so that a campaign finds new bugs rather than these
 * again and again, and make check stays green until the fix lands.  Each
 * rule names its pending input; the fix deletes the rule and moves the
 * input to fuzz/regressions/fuzz-rmi-calls/.  FUZZ_PENDING=1 in the
 * environment turns the rules off, to replay the pending inputs.
 * (rtt-level-int64-min had one: RTT_CREATE, RTT_DESTROY and RTT_FOLD got
 * level INT64_MIN + 1 instead of INT64_MIN.)
 */
static bool fz_pending;

static void avoid_pending_bugs(Fz *fz)
{
    if (fz_pending) {
        return;
    }
    /* No bug is pending. */
}

/*
 * Make one call: args in X1..Xn, canaries above, then every oracle.
 * Returns X0.
 */
static uint64_t call(Fz *fz, uint64_t fid, unsigned nargs,
                     const uint64_t *args)
{
    const RmmCommand *cmd;
    unsigned i;

    fz->in[0] = fid;
    for (i = 1; i < RMM_NR_REGS; i++) {
        fz->in[i] = i <= nargs ? args[i - 1] : canary(i);
    }
    avoid_pending_bugs(fz);
    memcpy(fz->out, fz->in, sizeof(fz->out));
    fz->calls++;
    if (fz_trace) {
        trace_call(fz, nargs);
    }
    rmm_core_call(fz->rmm, fz->out);
    if (fz_trace) {
        trace_result(fz);
    }
    check_call(fz);
    cmd = rmm_command_lookup((uint32_t)fid & ~SMCCC_SVE_HINT);
    note_result(fz, cmd && (cmd->abi->profiles &
                            (fz->bet3 ? RMI_PROF_BET3 : RMI_PROF_BET1)) ?
                    cmd : NULL);
    return fz->out[0];
}

static uint64_t call2(Fz *fz, uint64_t fid, uint64_t a1, uint64_t a2)
{
    uint64_t a[2] = { a1, a2 };

    return call(fz, fid, 2, a);
}

static uint64_t call3(Fz *fz, uint64_t fid, uint64_t a1, uint64_t a2,
                      uint64_t a3)
{
    uint64_t a[3] = { a1, a2, a3 };

    return call(fz, fid, 3, a);
}

static bool budget_left(Fz *fz)
{
    return fz->calls < FZ_MAX_CALLS;
}

/*
 * A correct host retries RMI_BUSY, which clears by itself (a plan's busy
 * storms last a few calls).
 */
static uint64_t call_retry(Fz *fz, uint64_t fid, unsigned nargs,
                           const uint64_t *args)
{
    uint64_t x0;
    unsigned tries = 0;

    do {
        x0 = call(fz, fid, nargs, args);
    } while (x0 == RMI_BUSY && ++tries < 8 && budget_left(fz));
    return x0;
}

/* ---- Arguments ---- */

/*
 * Granules the sequences name by index: a run of neighbours (RTTs and
 * concatenated starting RTTs need them), a few scattered ones, and the
 * edges of L2 blocks and of DRAM.
 */
static uint64_t pool_granule(unsigned i)
{
    static const uint32_t scattered[12] = {
        0x100000, 0x101000, 0x102000, 0x103000,
        0x200000, 0x201000, 0x3ff000, 0x400000,
        0x600000, 0x7fe000, 0x7ff000, 0x8000,
    };

    i %= 32;
    return FZ_MEM_BASE + (i < 20 ? 0x10000 + i * GRAN : scattered[i - 20]);
}

static const uint64_t adversarial[16] = {
    0,
    ~0ULL,
    FZ_MEM_BASE + 1,                    /* unaligned */
    FZ_MEM_BASE + 0x10800,
    FZ_MEM_TOP,                         /* tracked region, not DRAM */
    FZ_MEM_TOP + 0x100000,
    FZ_MEM_BASE + (2ULL << 30),         /* untracked */
    FZ_MEM_BASE - GRAN,
    (1ULL << 63) | (FZ_MEM_BASE + 0x10000), /* high bits */
    (1ULL << 48) | (FZ_MEM_BASE + 0x10000),
    RMM_PA_LIMIT,
    RMM_PA_LIMIT - GRAN,
    ~0ULL << RMM_GRANULE_SHIFT,
    1ULL << 63,
    FZ_MEM_TOP - GRAN,
    0xffffffffULL,
};

static const uint64_t flag_words[16] = {
    0,
    1,                                  /* STOP, MEASURE, RUNNABLE */
    2,
    RMI_RTT_FLAGS(RMI_ADDR_TYPE_SINGLE, 0, 0, 0),
    RMI_RTT_FLAGS(RMI_ADDR_TYPE_LIST, 1, 0, 0),
    RMI_RTT_FLAGS(RMI_ADDR_TYPE_LIST, 4, 0, 0),
    RMI_RTT_FLAGS(RMI_ADDR_TYPE_SINGLE, 0, 1, 3),
    RMI_RTT_FLAGS(RMI_ADDR_TYPE_LIST, 16, 7, 15),
    RMI_RTT_FLAGS(3, 0, 0, 0),          /* reserved address type */
    RMI_REC_ENTER_TRAP_WFI | RMI_REC_ENTER_TRAP_WFE,
    RMI_REC_ENTER_EMUL_MMIO,
    RMI_REC_ENTER_RIPAS_REJECT,
    RMI_REC_ENTER_INJECT_SEA,
    1ULL << 16,                         /* first SBZ bit of unmap flags */
    1ULL << 23,
    ~0ULL,
};

static const uint64_t mpidrs[16] = {
    0, 1, 2, 3, 4, 5, 6, 7,
    0x100,                              /* index 16 */
    0x10,                               /* aff0 beyond its 4 bits */
    1ULL << 31,
    1ULL << 32,
    0xff00ffffffULL,
    15, 0x10f, 0x1000000,
};

/* RTT level sizes for IPA arguments: L0..L3. */
static const uint64_t level_sizes[4] = {
    1ULL << 39, 1ULL << 30, 1ULL << 21, 1ULL << 12,
};

/* IPA bases: protected, the unprotected halves of 40 and 48 bits, beyond */
static const uint64_t ipa_bases[4] = {
    0, 1ULL << 39, 1ULL << 47, 1ULL << 40,
};

static uint64_t desc_for(Fz *fz, uint64_t addr, unsigned size,
                         unsigned count, unsigned state)
{
    return RMI_DESC(addr, size, count, state, fz->bet3 ? 2 : 1);
}

static uint64_t ring_pick(const uint64_t *ring, unsigned n, unsigned size,
                          unsigned i, uint64_t fallback)
{
    if (!n) {
        return fallback;
    }
    return ring[i % MIN(n, size)];
}

/* One argument from a selector byte (and maybe more bytes). */
static uint64_t take_arg(Fz *fz)
{
    uint8_t s = take(fz);
    unsigned kind = s >> 4, idx = s & 15;
    uint64_t v, h;

    switch (kind) {
    case ARG_POOL_LO:
    case ARG_POOL_HI:
        v = pool_granule(idx | (kind & 1) << 4);
        break;
    case ARG_OBJECT:
        v = ring_pick(fz->objs, fz->nobjs, G_N_ELEMENTS(fz->objs), idx & 7,
                      pool_granule(idx));
        v += idx & 8 ? GRAN : 0;        /* the granule beside it */
        break;
    case ARG_ADVERSARIAL:
        v = adversarial[idx];
        break;
    case ARG_HANDLE:
        h = ring_pick(fz->handles, fz->nhandles, G_N_ELEMENTS(fz->handles),
                      idx & 3, 0);
        switch (idx >> 2) {
        case 0:
            v = h;
            break;
        case 1:
            v = h ^ 1;                  /* a neighbour's */
            break;
        case 2:
            v = h + (1ULL << 16);       /* the next generation's */
            break;
        default:
            v = (uint64_t[]){ 0, 15, 16, ~0ULL }[idx & 3];
        }
        break;
    case ARG_FLAGS:
        v = flag_words[idx];
        break;
    case ARG_SHAPED:
        h = take(fz);
        if (idx < 8) {
            /* RmiOpMemDonateReq: size, count, contig, state */
            v = RMI_DONATE_REQ(idx & 3, h & 0x7f, h >> 7, idx >> 2);
        } else {
            /* RmiAddrRangeDesc: a pool granule, size, count, state */
            v = desc_for(fz, pool_granule(h), idx & 3, (h >> 5) + 1,
                         (idx >> 2) & 1);
        }
        break;
    case ARG_NS_PAGE:
        if (idx < NS_NR) {
            v = NS_PA(idx);
        } else {
            v = (uint64_t[]){ NS_PA(0) + 8, NS_PA(0) + 4,
                              NS_PA(0) + GRAN - 8, NS_PA(NS_LIST2) + 8,
                              pool_granule(0), pool_granule(1),
                              pool_granule(20), FZ_MEM_TOP - 8 }[idx - 8];
        }
        break;
    case ARG_SMALL:
        v = (uint64_t)((int64_t)idx - 1);       /* -1..14 */
        break;
    case ARG_IPA:
        v = ipa_bases[idx >> 2] + take(fz) * level_sizes[idx & 3];
        break;
    case ARG_RAW:
        v = take64(fz);
        break;
    case ARG_LAST_OUT:
        v = fz->out[(idx & 3) + 1] + (idx >> 2) * GRAN;
        break;
    case ARG_DRAM_INDEX:
        v = FZ_MEM_BASE + (((uint64_t)idx << 8) | take(fz)) * GRAN;
        break;
    case ARG_PREV_PLUS:
        v = fz->prev_arg + (idx + 1) * GRAN;
        break;
    case ARG_PREV_POW2:
        v = fz->prev_arg + (GRAN << idx);
        break;
    default:
        v = mpidrs[idx];
    }
    fz->prev_arg = v;
    return v;
}

/* ---- Host actions ---- */

static void op_call(Fz *fz, uint64_t fid)
{
    uint64_t args[RMM_NR_REGS - 1];
    /* One register past the ABI's count: bet3 reads more in places. */
    unsigned n = MIN(fid_args(fid) + 1, RMM_NR_REGS - 1), i;

    for (i = 0; i < n; i++) {
        args[i] = take_arg(fz);
    }
    call(fz, fid, n, args);
}

static void op_decorated(Fz *fz, unsigned how)
{
    uint64_t fid = fz_fids[take(fz) % fz_nfids];

    /* SMCCC: only W0 names the function; bit 16 is the SVE hint. */
    if (how & 1) {
        fid |= SMCCC_SVE_HINT;
    }
    if (how & 2) {
        fid |= 0xffffffff00000000ULL;
    }
    if (how & 4) {
        fid |= 1ULL << 32;
    }
    if (how & 8) {
        fid ^= 1ULL << 30;              /* the SMC32 form */
    }
    op_call(fz, fid);
}

static const uint8_t s2szs[8] = { 40, 48, 32, 36, 44, 52, 31, 0 };
static const int8_t level_starts[8] = { 1, 0, 2, 3, -1, 4, 1, 1 };
static const uint8_t num_starts[4] = { 2, 1, 16, 0 };

/* RmiRealmParams at NS_REALM_PARAMS. */
static void write_realm_params(Fz *fz, uint8_t v1, uint8_t v2,
                               uint64_t rtt_base)
{
    uint64_t pa = NS_PA(NS_REALM_PARAMS);
    uint8_t page[GRAN];
    uint64_t flags0 = 0;

#define PUT64(off, val) do {                                    \
        uint64_t v_ = (val);                                    \
        memcpy(page + (off), &v_, sizeof(v_));                  \
    } while (0)

    memset(page, 0, sizeof(page));
    flags0 |= v2 & 4 ? RMI_REALM_FLAGS0_LPA2 : 0;
    flags0 |= v2 & 8 ? RMI_REALM_FLAGS0_SVE : 0;
    flags0 |= v2 & 16 ? RMI_REALM_FLAGS0_PMU : 0;
    PUT64(RMI_REALM_PARAMS_FLAGS0, flags0);
    PUT64(RMI_REALM_PARAMS_S2SZ, s2szs[v1 & 7]);
    PUT64(RMI_REALM_PARAMS_NUM_BPS, (v2 >> 6) == 3 ? 0xff : 1);
    PUT64(RMI_REALM_PARAMS_NUM_WPS, 1);
    PUT64(RMI_REALM_PARAMS_HASH_ALGO, v2 & 3);
    memset(page + RMI_REALM_PARAMS_RPV, 0x5a, RMI_REALM_PARAMS_RPV_SIZE);
    PUT64(RMI_REALM_PARAMS_RTT_BASE, rtt_base);
    PUT64(RMI_REALM_PARAMS_RTT_LEVEL_START,
          (uint64_t)(int64_t)level_starts[(v1 >> 3) & 7]);
    PUT64(RMI_REALM_PARAMS_RTT_NUM_START, num_starts[v1 >> 6]);
    PUT64(RMI_REALM_PARAMS_FLAGS1, v2 & 32 ? RMI_REALM_FLAGS1_RTT_TREE_PP
                                           : 0);
#undef PUT64
    host_write(fz, pa, page, sizeof(page));
}

/* RmiRecParams at NS_REC_PARAMS. */
static void write_rec_params(Fz *fz, uint64_t flags, uint64_t mpidr,
                             uint64_t pc)
{
    uint64_t pa = NS_PA(NS_REC_PARAMS);
    uint8_t page[GRAN];

    memset(page, 0, sizeof(page));
    memcpy(page + RMI_REC_PARAMS_FLAGS, &flags, 8);
    memcpy(page + RMI_REC_PARAMS_MPIDR, &mpidr, 8);
    memcpy(page + RMI_REC_PARAMS_PC, &pc, 8);
    host_write(fz, pa, page, sizeof(page));
}

/* An address list at NS_LIST: n entries, each a selector and a shape. */
static void op_list(Fz *fz)
{
    unsigned n = take(fz) % 17, i;
    uint64_t list[16];

    for (i = 0; i < n; i++) {
        uint64_t addr = take_arg(fz);
        uint8_t shape = take(fz);

        list[i] = desc_for(fz, addr, shape & 3, ((shape >> 2) & 15) + 1,
                           shape >> 6);
    }
    if (n) {
        host_write(fz, NS_PA(NS_LIST), list, n * 8);
    }
}

static void op_config(Fz *fz)
{
    uint8_t v = take(fz);

    /* tracking_region_size, rmi_granule_size: valid, or one of them not */
    host_write64(fz, NS_PA(NS_CFG) + RMI_RMM_CONFIG_TRACKING_REGION_SIZE,
                 v & 1 ? v >> 1 : 0);
    host_write64(fz, NS_PA(NS_CFG) + RMI_RMM_CONFIG_RMI_GRANULE_SIZE,
                 v & 1 ? 0 : v >> 1);
}

static void op_poke(Fz *fz)
{
    uint8_t where = take(fz);
    uint64_t val = take_arg(fz);

    host_write64(fz, NS_PA(where % NS_NR) + ((where >> 3) * 8) % GRAN, val);
}

/* RmiRecEnter at NS_RUN: flags and X0..X3 of the host's answer. */
static void op_run(Fz *fz)
{
    unsigned i;

    host_write64(fz, NS_PA(NS_RUN) + RMI_REC_ENTER_FLAGS, take_arg(fz));
    for (i = 0; i < 4; i++) {
        host_write64(fz, NS_PA(NS_RUN) + RMI_REC_ENTER_GPRS + i * 8,
                     take_arg(fz));
    }
}

/*
 * GRANULE_RANGE_(UN)DELEGATE of [base, top) as a correct host does it:
 * continue an operation the command starts, call again from out_top.
 */
static bool delegate_range(Fz *fz, bool undelegate, uint64_t base,
                           uint64_t top)
{
    uint64_t fid = undelegate ? RMI_FID_GRANULE_RANGE_UNDELEGATE
                              : RMI_FID_GRANULE_RANGE_DELEGATE;
    unsigned rounds = 0;

    while (base < top && budget_left(fz) && rounds++ < 16) {
        uint64_t x0 = call_retry(fz, fid, 2, (uint64_t[]){ base, top });
        uint64_t handle = fz->out[1];

        if (RMI_RESULT_STATUS(x0) == RMI_INCOMPLETE &&
            RMI_RESULT_MEM(x0) != RMI_OP_MEM_REQ_NONE) {
            return false;               /* not a range command's answer */
        }
        while (RMI_RESULT_STATUS(x0) == RMI_INCOMPLETE && budget_left(fz)) {
            x0 = call_retry(fz, RMI_FID_OP_CONTINUE, 2,
                            (uint64_t[]){ handle, 0 });
        }
        if (x0 != RMI_SUCCESS || fz->out[1] <= base) {
            return false;
        }
        base = fz->out[1];
    }
    return base >= top;
}

static void op_delegate(Fz *fz)
{
    uint64_t base = take_arg(fz);
    uint8_t n = take(fz);

    delegate_range(fz, n & 0x80, base, base + ((n & 0x3f) + 1) * GRAN);
}

/* Is every granule of [pa, pa + len) in 'state' and held by nothing? */
static bool block_is(Fz *fz, uint64_t pa, uint64_t len,
                     RmmGranuleState state)
{
    uint64_t g;

    for (g = pa; g < pa + len; g += GRAN) {
        if (rmm_core_granule_state(fz->rmm, g) != state ||
            rmm_core_granule_held(fz->rmm, g)) {
            return false;
        }
    }
    return true;
}

/*
 * Find n blocks of blk bytes (contiguous if asked) in the donation area in
 * the state a request asks for, delegating memory first where it must be
 * DELEGATED.  Writes the list; returns its length (0: none found).
 */
static unsigned donation_list(Fz *fz, uint64_t req)
{
    unsigned size = RMI_DONATE_SIZE(req);
    unsigned width = fz->bet3 ? 2 : 1;
    uint64_t state = (req >> RMI_DONATE_STATE_SHIFT) & ((1u << width) - 1);
    bool contig = RMI_DONATE_CONTIG(req);
    uint64_t blk, want, pa, list[FZ_DONATE_MAX];
    unsigned n = 0;
    RmmGranuleState gs;

    if (size > RMI_BLOCK_L2 || !RMI_DONATE_COUNT(req)) {
        return 0;                       /* more than this machine has */
    }
    blk = size == RMI_BLOCK_L2 ? L2_SIZE : GRAN;
    want = MIN(RMI_DONATE_COUNT(req), FZ_DONATE_MAX);
    if (contig) {
        want = RMI_DONATE_COUNT(req);
        if (want * blk > FZ_MEM_TOP - FZ_DONATE_BASE) {
            return 0;
        }
    }
    if (state == RMI_OP_MEM_CONDITIONAL) {
        state = RMI_OP_MEM_UNDELEGATED;
    }
    gs = state == RMI_OP_MEM_DELEGATED ? RMM_GRANULE_DELEGATED
                                       : RMM_GRANULE_UNDELEGATED;

    if (contig) {
        uint64_t len = want * blk;

        for (pa = FZ_DONATE_BASE; pa + len <= FZ_MEM_TOP; pa += len) {
            if (gs == RMM_GRANULE_DELEGATED &&
                block_is(fz, pa, len, RMM_GRANULE_UNDELEGATED)) {
                delegate_range(fz, false, pa, pa + len);
            }
            if (block_is(fz, pa, len, gs)) {
                list[0] = desc_for(fz, pa, size, want, state);
                host_write(fz, NS_PA(NS_LIST), list, 8);
                return 1;
            }
        }
        return 0;
    }
    for (pa = FZ_DONATE_BASE; pa + blk <= FZ_MEM_TOP && n < want;
         pa += blk) {
        if (gs == RMM_GRANULE_DELEGATED &&
            block_is(fz, pa, blk, RMM_GRANULE_UNDELEGATED)) {
            delegate_range(fz, false, pa, pa + blk);
        }
        if (block_is(fz, pa, blk, gs)) {
            list[n++] = desc_for(fz, pa, size, 1, state);
        }
    }
    if (n) {
        host_write(fz, NS_PA(NS_LIST), list, n * 8);
    }
    return n;
}

/*
 * Drive the operation the last INCOMPLETE answer concerns as a correct
 * host would: donate what it asks for, take back what it returns,
 * continue; or cancel it when it may be and the input says so.
 */
static void serve(Fz *fz, uint8_t how)
{
    uint64_t handle = fz->op_handle;
    uint64_t x0 = fz->out[0], req = fz->out[2], step;
    unsigned steps = 0;
    bool cancel = how & 1;
    uint64_t cont = how & 2 ? RMI_CONTINUE_STOP : 0;

    while (RMI_RESULT_STATUS(x0) == RMI_INCOMPLETE &&
           steps++ < FZ_SERVE_STEPS && budget_left(fz)) {
        if (cancel && RMI_RESULT_CANCEL(x0)) {
            cancel = false;
            step = call(fz, RMI_FID_OP_CANCEL, 1, &handle);
        } else if (RMI_RESULT_MEM(x0) == RMI_OP_MEM_REQ_DONATE) {
            unsigned n = donation_list(fz, req);

            if (!n) {
                if (!RMI_RESULT_CANCEL(x0)) {
                    return;             /* stuck: leave it open */
                }
                step = call(fz, RMI_FID_OP_CANCEL, 1, &handle);
            } else {
                step = call3(fz, RMI_FID_OP_MEM_DONATE, handle,
                             NS_PA(NS_LIST), n);
            }
        } else if (RMI_RESULT_MEM(x0) == RMI_OP_MEM_REQ_RECLAIM) {
            step = call3(fz, RMI_FID_OP_MEM_RECLAIM, handle,
                         NS_PA(NS_LIST2), how & 4 ? 1 : 16);
        } else {
            step = call2(fz, RMI_FID_OP_CONTINUE, handle, cont);
        }
        if (step == RMI_BUSY) {
            continue;                   /* nothing changed: step again */
        }
        x0 = step;
        /* A refused step leaves the operation where it was: give up. */
        if (RMI_RESULT_STATUS(x0) != RMI_INCOMPLETE) {
            break;
        }
        req = fz->out[2];
    }
}

/* A default realm (40-bit IPA, two level-1 starting RTTs), then serve. */
static void op_realm(Fz *fz)
{
    uint64_t rd = take_arg(fz);
    uint64_t rtt = take_arg(fz);
    uint8_t how = take(fz);

    write_realm_params(fz, 0, 0, rtt);
    delegate_range(fz, false, rd, rd + GRAN);
    delegate_range(fz, false, rtt, rtt + 2 * GRAN);
    call_retry(fz, RMI_FID_REALM_CREATE, 2,
               (uint64_t[]){ rd, NS_PA(NS_REALM_PARAMS) });
    serve(fz, how);
}

/* A runnable REC of a realm the sequence made, with the next MPIDR. */
static void op_rec(Fz *fz)
{
    uint64_t rd = ring_pick(fz->rds, fz->nrds, G_N_ELEMENTS(fz->rds),
                            take(fz), pool_granule(0));
    uint64_t rec = take_arg(fz);
    uint8_t how = take(fz);
    RmmRealm *realm = rmm_realm_find(fz->rmm, rd);
    uint64_t index = realm ? realm->rec_index : 0;

    /* The MPIDR whose index is the realm's next (A2.4.3). */
    write_rec_params(fz, how & 8 ? 0 : RMI_REC_FLAG_RUNNABLE,
                     (index & 15) | ((index >> 4) & 0xff) << 8, 0x80000);
    delegate_range(fz, false, rec, rec + GRAN);
    call_retry(fz, RMI_FID_REC_CREATE, 3,
               (uint64_t[]){ rd, rec, NS_PA(NS_REC_PARAMS) });
    serve(fz, how);
}

static void run_op(Fz *fz)
{
    uint8_t op = take(fz);
    uint8_t v1, v2;
    uint64_t a;

    switch (op) {
    case OP_DECORATED ... OP_DECORATED + 15:
        op_decorated(fz, op & 15);
        break;
    case OP_REALM_PARAMS:
        v1 = take(fz);
        v2 = take(fz);
        write_realm_params(fz, v1, v2, take_arg(fz));
        break;
    case OP_REC_PARAMS:
        a = take_arg(fz);
        v1 = take(fz);
        write_rec_params(fz, a, mpidrs[v1 & 15], take_arg(fz));
        break;
    case OP_LIST:
        op_list(fz);
        break;
    case OP_CONFIG:
        op_config(fz);
        break;
    case OP_POKE:
        op_poke(fz);
        break;
    case OP_RUN:
        op_run(fz);
        break;
    case OP_DELEGATE:
        op_delegate(fz);
        break;
    case OP_SERVE:
        serve(fz, take(fz));
        break;
    case OP_REALM:
        op_realm(fz);
        break;
    case OP_REC:
        op_rec(fz);
        break;
    default:
        op_call(fz, fz_fids[op % fz_nfids]);
    }
}

/* ---- Setup ---- */

static bool env_flag(const char *name)
{
    const char *v = getenv(name);

    return v && *v && strcmp(v, "0");
}

static void fz_init(void)
{
    size_t n, i, j;
    const RmmAbiEntry *t = rmm_abi_table(&n);

    fz_trace = env_flag("FUZZ_TRACE");
    fz_pending = env_flag("FUZZ_PENDING");
    fz_mem = simmem_new(FZ_MEM_BASE, FZ_MEM_SIZE);
    memcpy(fz_fids, fz_fid_list, sizeof(fz_fid_list));
    fz_nfids = G_N_ELEMENTS(fz_fid_list);
    for (i = 0; i < n; i++) {
        for (j = 0; j < fz_nfids && fz_fids[j] != t[i].fid; j++) {
            continue;
        }
        if (t[i].implemented && j == fz_nfids) {
            fprintf(stderr, "fuzz-rmi-calls: %s is not in fz_fid_list: "
                    "fuzzed as index %zu\n", t[i].name, fz_nfids);
            fz_fids[fz_nfids++] = t[i].fid;
        }
    }
    /* The plans and scripts are part of the target: each must parse. */
    for (i = 1; i < G_N_ELEMENTS(fz_scripts); i++) {
        g_autofree char *err = NULL;

        if (!rmm_exit_script_parse(fz_scripts[i], &fz_script_steps[i].steps,
                                   &fz_script_steps[i].n, &err)) {
            fprintf(stderr, "fuzz-rmi-calls: script %zu: %s\n", i, err);
            abort();
        }
    }
    for (i = 0; i < G_N_ELEMENTS(fz_plans); i++) {
        g_autofree char *err = NULL;
        RmmFaultPlan *p = rmm_fault_plan_parse(fz_plans[i], &err);

        if (!p) {
            fprintf(stderr, "fuzz-rmi-calls: plan %zu: %s\n", i, err);
            abort();
        }
        rmm_fault_plan_free(p);
    }
}

static RmmCore *core_new(Fz *fz, uint8_t hdr, uint8_t plan_script)
{
    RmmConfig cfg;
    RmmCore *rmm;
    const char *plan = fz_plans[(plan_script & 15) % G_N_ELEMENTS(fz_plans)];
    unsigned script = plan_script >> 4;

    rmm_config_init(&cfg);
    cfg.profile = hdr & HDR_BET3 ? RMM_PROFILE_BET3 : RMM_PROFILE_BET1;
    cfg.rec_aux_count = hdr & HDR_NO_AUX ? 0 : 2;
    cfg.sro_handle_tagged = hdr & HDR_TAGGED;
    cfg.sro_contexts = hdr & HDR_FEW_SROS ? 2 : 8;
    cfg.gpt_host_l1 = hdr & HDR_GPT_HOST_L1;
    cfg.tracking_host_fine = hdr & HDR_TRACKING_HOST;
    /* Short calls keep each execution fast; 4 reaches more bound paths. */
    cfg.range_granules_per_call = hdr & HDR_SHORT_RANGES ? 4 : 64;
    if (script < G_N_ELEMENTS(fz_scripts)) {
        cfg.rec_script = fz_script_steps[script].steps;
        cfg.rec_script_len = fz_script_steps[script].n;
    }
    if (!rmm_config_check(&cfg, NULL)) {
        abort();                        /* the target's own mistake */
    }
    rmm = rmm_core_new(&cfg, &fz_mem_ops, fz_mem);
    rmm_core_add_dram(rmm, FZ_MEM_BASE, FZ_MEM_SIZE);
    if (*plan) {
        rmm_core_set_fault_plan(rmm, rmm_fault_plan_parse(plan, NULL));
    }
    fz->bet3 = cfg.profile == RMM_PROFILE_BET3;
    return rmm;
}

/* RMM_CONFIG_SET and RMM_ACTIVATE, serving a donation if one is asked. */
static void activate(Fz *fz)
{
    host_write64(fz, NS_PA(NS_CFG) + RMI_RMM_CONFIG_RMI_GRANULE_SIZE,
                 RMI_GRANULE_SIZE_4KB);
    call(fz, RMI_FID_RMM_CONFIG_SET, 1, (uint64_t[]){ NS_PA(NS_CFG) });
    call_retry(fz, RMI_FID_RMM_ACTIVATE, 0, NULL);
    serve(fz, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Fz fz = { 0 };
    uint8_t hdr, plan_script;

    if (!fz_mem) {
        fz_init();
    }
    if (size < 2) {
        return 0;
    }
    fz.p = data;
    fz.end = data + size;
    hdr = take(&fz);
    plan_script = take(&fz);
    fz.rmm = core_new(&fz, hdr, plan_script);
    if (!(hdr & HDR_NO_ACTIVATE)) {
        activate(&fz);
    }
    while (fz.p < fz.end && budget_left(&fz)) {
        run_op(&fz);
    }
    rmm_core_free(fz.rmm);
    mem_reset();
    return 0;
}
