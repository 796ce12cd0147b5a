/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The REC exit script text format (hw/arm/rmm/exit-script.c): exact steps
 * for each kind, and a clear refusal, naming the step, for each mistake.
 */
#include <string.h>
#include <glib.h>

#include "hw/arm/rmm/rmm.h"
#include "hw/arm/rmm/rmi-defs.h"

static RmmExitStep *parse_ok(const char *text, size_t want)
{
    RmmExitStep *steps = NULL;
    char *err = NULL;
    size_t n = 0;

    if (!rmm_exit_script_parse(text, &steps, &n, &err)) {
        g_test_message("'%s': %s", text, err);
    }
    g_assert_null(err);
    g_assert_cmpuint(n, ==, want);
    return steps;
}

static void test_every_kind(void)
{
    RmmExitStep *s = parse_ok(
        "host-call:imm=7; mmio-read:addr=0x9000000:len=4:value=0x11;"
        "mmio-write:addr=0x9000008:len=8:value=0x52;"
        "ripas-change:base=0:top=0x200000:ripas=ram:destroyed-ok=1;"
        "psci:fn=cpu-on:a1=1:a2=0x80000000:a3=5;psci:fn=0x84000008;"
        "irq;wfi;wfe;data-abort:addr=0x400000", 10);

    g_assert_cmpint(s[0].kind, ==, RMM_STEP_HOST_CALL);
    g_assert_cmpuint(s[0].imm, ==, 7);
    g_assert_cmpint(s[1].kind, ==, RMM_STEP_MMIO_READ);
    g_assert_cmphex(s[1].addr, ==, 0x9000000);
    g_assert_cmpuint(s[1].len, ==, 4);
    g_assert_cmphex(s[1].value, ==, 0x11);
    g_assert_cmphex(s[1].flags, ==, RMM_STEP_UNPROT_RELATIVE);
    g_assert_cmpint(s[2].kind, ==, RMM_STEP_MMIO_WRITE);
    g_assert_cmpuint(s[2].len, ==, 8);
    g_assert_cmphex(s[2].flags, ==, RMM_STEP_UNPROT_RELATIVE);
    g_assert_cmpint(s[3].kind, ==, RMM_STEP_RIPAS_CHANGE);
    g_assert_cmphex(s[3].addr, ==, 0);
    g_assert_cmphex(s[3].top, ==, 0x200000);
    g_assert_cmpuint(s[3].value, ==, RMI_RIPAS_RAM);
    g_assert_cmphex(s[3].flags, ==, RMM_STEP_RIPAS_DESTROYED_OK);
    g_assert_cmpint(s[4].kind, ==, RMM_STEP_PSCI);
    g_assert_cmphex(s[4].gprs[0], ==, RMM_PSCI_CPU_ON);
    g_assert_cmphex(s[4].gprs[1], ==, 1);
    g_assert_cmphex(s[4].gprs[2], ==, 0x80000000);
    g_assert_cmphex(s[4].gprs[3], ==, 5);
    g_assert_cmphex(s[5].gprs[0], ==, RMM_PSCI_SYSTEM_OFF);
    g_assert_cmpint(s[6].kind, ==, RMM_STEP_IRQ);
    g_assert_cmpint(s[7].kind, ==, RMM_STEP_WFI);
    g_assert_cmpint(s[8].kind, ==, RMM_STEP_WFE);
    g_assert_cmpint(s[9].kind, ==, RMM_STEP_DATA_ABORT);
    g_assert_cmphex(s[9].addr, ==, 0x400000);
    g_assert_cmphex(s[9].flags, ==, 0);
    g_free(s);
}

static void test_errors(void)
{
    static const struct {
        const char *text;
        const char *err;
    } cases[] = {
        { "", "empty script" },
        { "host-call;nap", "step 2 ('nap'): unknown step 'nap'" },
        { "host-call:imm", "step 1 ('host-call:imm'): field 'imm' has no "
                           "value" },
        { "host-call:imm=0x10000", "step 1 ('host-call:imm=0x10000'): bad "
                                   "value '0x10000' for 'imm'" },
        { "irq:imm=1", "step 1 ('irq:imm=1'): field 'imm' does not apply" },
        { "mmio-write:addr=0:len=3:value=1",
          "step 1 ('mmio-write:addr=0:len=3:value=1'): bad value '3' for "
          "'len'" },
        { "mmio-write:addr=0:len=4", "step 1 ('mmio-write:addr=0:len=4'): "
                                     "missing field 'value'" },
        { "mmio-read:addr=0:addr=8:len=4",
          "step 1 ('mmio-read:addr=0:addr=8:len=4'): field 'addr' given "
          "twice" },
        { "ripas-change:base=0:top=0x1000:ripas=destroyed",
          "step 1 ('ripas-change:base=0:top=0x1000:ripas=destroyed'): bad "
          "value 'destroyed' for 'ripas'" },
        { "psci:fn=nap", "step 1 ('psci:fn=nap'): bad value 'nap' for "
                         "'fn'" },
        { "psci", "step 1 ('psci'): missing field 'fn'" },
        { "data-abort:addr=-1", "step 1 ('data-abort:addr=-1'): bad value "
                                "'-1' for 'addr'" },
        { "wfi:colour=red", "step 1 ('wfi:colour=red'): unknown field "
                            "'colour'" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        RmmExitStep *steps = NULL;
        char *err = NULL;
        size_t n = 99;

        g_assert_false(rmm_exit_script_parse(cases[i].text, &steps, &n,
                                             &err));
        g_assert_cmpstr(err, ==, cases[i].err);
        g_assert_null(steps);
        g_assert_cmpuint(n, ==, 99);
        g_free(err);
    }
    /* err is optional */
    g_assert_false(rmm_exit_script_parse(NULL, NULL, NULL, NULL));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/exit-script/every-kind", test_every_kind);
    g_test_add_func("/exit-script/errors", test_errors);
    return g_test_run();
}
