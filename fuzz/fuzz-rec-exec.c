/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target (d): a REC that executes (rec-exec.c, rsi.c), driven by a
 * hostile Realm and a hostile host at once.
 *
 * Each input starts from rt_exec_setup() (an active realm, one runnable
 * REC, IPA 0 mapped) and is a sequence of 16-byte records:
 *   byte 0 % 5   what happens
 *     0          the host enters the REC (RMI_REC_ENTER, flags and gprs[0]
 *                from the record)
 *     1          the Realm takes a synchronous exception: an EC from a
 *                table (SMC, HVC, WFx, aborts, sysreg, others) with random
 *                ISS, FAR and IPA; an SMC's X0 is an RSI, PSCI or SMCCC
 *                function or anything
 *     2          an IRQ, FIQ or SError
 *     3          the host calls an RMI command on the realm meanwhile
 *                (SET_RIPAS, DATA_UNMAP, RTT_DESTROY, REC_DESTROY,
 *                REALM_TERMINATE, PSCI_COMPLETE), with the record's
 *                arguments
 *     4          a trap for a REC that is not running, or for a granule
 *                that is no REC
 *   bytes 1..15  the arguments
 *
 * After every step: the model's invariants (stage-2 descriptors
 * included), SMCCC register preservation for the host's calls (fx_call),
 * and what a trap must do: a REC that was not running is refused
 * (UNDEF, nothing changes); RESUME/UNDEF/SEA leave it RUNNING; EXIT
 * leaves it READY with the host's X0 a status.
 */
#include <string.h>

#include "tests/unit/realm-test.h"
#include "hw/arm/rmm/rsi.h"

#define REC             RT_EXEC_REC
#define RUN             RT_EXEC_RUN
#define RECORD          16
/* What a host call may write: X0 and the outputs any of them define. */
#define OUTS            (XR(1) | XR(2) | XR(3) | XR(4))

static const uint8_t ecs[] = {
    0x17, 0x17, 0x17, 0x16, 0x01, 0x24, 0x24, 0x20, 0x18, 0x18,
    0x00, 0x07, 0x19, 0x1d, 0x3f,
};

static const uint32_t fids[] = {
    RSI_VERSION, RSI_FEATURES, RSI_MEASUREMENT_READ, RSI_MEASUREMENT_EXTEND,
    RSI_ATTESTATION_TOKEN_INIT, RSI_REALM_CONFIG, RSI_IPA_STATE_SET,
    RSI_IPA_STATE_GET, RSI_HOST_CALL, SMCCC_VERSION, SMCCC_ARCH_FEATURES,
    0x84000000, 0x84000001, 0x84000002, 0xC4000003, 0xC4000004, 0x84000008,
    0x84000009, 0x8400000A, 0xC4000001, 0xC2000000,
    RSI_ATTESTATION_TOKEN_CONTINUE,
};

static uint64_t ld64(const uint8_t *p)
{
    uint64_t v;

    memcpy(&v, p, sizeof(v));
    return v;
}

static bool rec_running(Fx *f)
{
    RmmRec *rec = rmm_rec_find(f->rmm, REC);

    return rec && rec->state == RMM_REC_RUNNING;
}

/* The REC's registers as the CPU would hold them, or zeros. */
static RmmRecTrap trap_for(Fx *f, RmmTrapKind kind)
{
    RmmRec *rec = rmm_rec_find(f->rmm, REC);
    RmmRecTrap t = { .kind = kind };

    if (rec) {
        memcpy(t.gprs, rec->gprs, sizeof(t.gprs));
        t.pc = rec->pc;
    }
    return t;
}

static void do_trap(Fx *f, RmmRecTrap *t)
{
    bool was_running = rec_running(f);
    RmmTrapAction act = rmm_core_rec_trap(f->rmm, REC, t);

    if (!was_running) {
        g_assert_cmpint(act, ==, RMM_TRAP_UNDEF);
    } else if (act == RMM_TRAP_EXIT) {
        g_assert_false(rec_running(f));
        g_assert_true(t->x0 == RMI_SUCCESS || t->x0 == RMI_ERROR_INPUT);
    } else {
        g_assert_true(rec_running(f));
    }
}

static void host_call(Fx *f, const uint8_t *d)
{
    uint64_t a = ld64(d + 4) & ~0xfffULL & ((1ULL << 40) - 1);
    uint64_t b = a + ((uint64_t)(d[2] % 4 + 1) << 12);

    switch (d[1] % 6) {
    case 0:
        fx_call(f, RMI_FID_RTT_SET_RIPAS, OUTS, 4, RT_RD, REC, a, b);
        break;
    case 1:
        fx_call(f, RMI_FID_RTT_DATA_UNMAP, OUTS, 5, RT_RD,
                a, b, 0ULL, 0ULL);
        break;
    case 2:
        fx_call(f, RMI_FID_RTT_DESTROY, OUTS, 3, RT_RD, a,
                (uint64_t)(d[3] % 4));
        break;
    case 3:
        fx_call(f, RMI_FID_REC_DESTROY, OUTS, 1, REC);
        break;
    case 4:
        fx_call(f, RMI_FID_REALM_TERMINATE, NO_OUT, 1, RT_RD);
        break;
    default:
        fx_call(f, RMI_FID_PSCI_COMPLETE, NO_OUT, 3, REC, REC + GRAN,
                (uint64_t)(int64_t)(int8_t)d[3]);
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    RmmRecEntry e;
    RmmRecTrap t;
    Fx f;
    size_t off;

    rt_exec_setup(&f);
    for (off = 0; off + RECORD <= size; off += RECORD) {
        const uint8_t *d = data + off;
        uint64_t a = ld64(d + 2), b = ld64(d + 8);

        switch (d[0] % 5) {
        case 0:
            fx_write64(&f, RUN + RMI_REC_ENTER_FLAGS, d[1] & 0x3f ? d[1] & 0x1f
                                                                  : a);
            fx_write64(&f, RUN + RMI_REC_ENTER_GPRS, b);
            fx_call(&f, RMI_FID_REC_ENTER, NO_OUT, 2, REC, RUN);
            rmm_core_rec_entry(f.rmm, &e);
            break;
        case 1:
            t = trap_for(&f, RMM_TRAP_SYNC);
            t.esr = (uint64_t)ecs[d[1] % sizeof(ecs)] << 26 |
                    (a & 0x3ffffff);
            t.far = b;
            /* The IPA: often near what the realm has, sometimes anywhere */
            t.hpfar = (d[0] & 0x80 ? b : (b & 0x3fffff) |
                       ((uint64_t)(d[15] & 1) << 39)) >> 12 << 4;
            t.gprs[0] = d[14] < 200 ? fids[d[14] % G_N_ELEMENTS(fids)] : a;
            t.gprs[1] = b & (d[13] & 1 ? ~0ULL : 0x3fffff);
            t.gprs[2] = ld64(d + 6) & 0x7fffff;
            /* X3: a small count, or an attestation chunk size */
            t.gprs[3] = d[12] & 0x80 ? (uint64_t)(d[12] & 0x7f) << 5
                                     : d[12] % 4;
            t.sysreg = a;
            do_trap(&f, &t);
            break;
        case 2:
            t = trap_for(&f, (RmmTrapKind)(1 + d[1] % 3));
            t.cntv_ctl = d[2] & 7;
            t.cntp_ctl = d[3] & 7;
            t.esr = a;
            do_trap(&f, &t);
            break;
        case 3:
            host_call(&f, d);
            break;
        default:
            t = trap_for(&f, RMM_TRAP_SYNC);
            t.esr = (uint64_t)0x17 << 26;
            if (!rec_running(&f)) {
                do_trap(&f, &t);
            }
            /* A granule that is no REC: refused, whatever it holds. */
            g_assert_cmpint(rmm_core_rec_trap(f.rmm, RT_RD, &t), ==,
                            RMM_TRAP_UNDEF);
            break;
        }
        g_assert_true(rmm_core_check(f.rmm, NULL));
    }
    fx_stop(&f);
    return 0;
}
