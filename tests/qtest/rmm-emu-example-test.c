/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A qtest of your own (docs/using-it.rst, third example): QEMU starts
 * -machine rme under qtest, where no guest code runs and the RMM answers
 * through its test mailbox.  The test brings the RMM up, delegates a
 * granule, and reads the state over QMP.  To add one like it: put the
 * file in tests/qtest/, list its name in tests/qtest/rmm-emu/qtests.txt
 * and in scripts/overlay.list; make check builds and runs it.
 */
#include "qemu/osdep.h"
#include "libqtest.h"
#include "rmm-emu-qom.h"
#include "hw/arm/rmm-emu-mailbox.h"
#include "hw/arm/rmm/rmi-defs.h"

#define CONFIG          0x40100000ULL   /* Non-secure RAM for RmmConfig */
#define GRANULE_PA      0x41000000ULL

/* One RMI call through the mailbox: X0..X2 in, X0 back (X1 in *x1). */
static uint64_t rmi(QTestState *qts, uint64_t fid, uint64_t a1, uint64_t a2,
                    uint64_t *x1)
{
    qtest_writeq(qts, RMM_EMU_BASE + RMM_EMU_MB_X(0), fid);
    qtest_writeq(qts, RMM_EMU_BASE + RMM_EMU_MB_X(1), a1);
    qtest_writeq(qts, RMM_EMU_BASE + RMM_EMU_MB_X(2), a2);
    qtest_writeq(qts, RMM_EMU_BASE + RMM_EMU_MB_DOORBELL, 1);
    if (x1) {
        *x1 = qtest_readq(qts, RMM_EMU_BASE + RMM_EMU_MB_X(1));
    }
    return qtest_readq(qts, RMM_EMU_BASE + RMM_EMU_MB_X(0));
}

static void test_delegate_one(void)
{
    QTestState *qts = qtest_init("-machine rme -m 512");
    g_autofree char *summary = NULL;
    uint64_t top = 0;

    /* Bring-up: a zeroed RmmConfig asks for 4 KB granules. */
    qtest_memset(qts, CONFIG, 0, 4096);
    g_assert_cmphex(rmi(qts, RMI_FID_RMM_CONFIG_SET, CONFIG, 0, NULL), ==,
                    RMI_SUCCESS);
    g_assert_cmphex(rmi(qts, RMI_FID_RMM_ACTIVATE, 0, 0, NULL), ==,
                    RMI_SUCCESS);

    /* One granule delegated: X1 says how far the range command got. */
    g_assert_cmphex(rmi(qts, RMI_FID_GRANULE_RANGE_DELEGATE, GRANULE_PA,
                        GRANULE_PA + 4096, &top), ==, RMI_SUCCESS);
    g_assert_cmphex(top, ==, GRANULE_PA + 4096);

    /* The RMM's own account, over QMP. */
    g_assert_cmpuint(rmm_qom_stat(qts, "stat-delegated"), ==, 1);
    summary = qom_get_str(qts, "/machine/rmm", "summary");
    g_test_message("%s", summary);
    g_assert_nonnull(strstr(summary, "1 granule delegated"));
    rmm_qom_assert_consistent(qts);
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("rmm-emu-example/delegate-one", test_delegate_one);
    return g_test_run();
}
