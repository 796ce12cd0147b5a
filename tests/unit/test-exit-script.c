/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The REC exit script text format (hw/arm/rmm/exit-script.c): exact steps
 * for each kind, and a clear refusal, naming the step, for each mistake.
 */
#include <stdlib.h>
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
        /* Empty steps: each once crashed the parser (a NULL field). */
        { ";", "step 1 (''): empty step" },
        { "host-call;", "step 2 (''): empty step" },
        { ";host-call", "step 1 (''): empty step" },
        { "host-call;;irq", "step 2 (''): empty step" },
        { "irq; ;wfi", "step 2 (''): empty step" },
        { "host-call:", "step 1 ('host-call:'): field '' has no value" },
        { ":imm=1", "step 1 (':imm=1'): unknown step ''" },
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

/*
 * An in-process fuzz loop over the parser: random token soup and
 * mutations of valid scripts.  Every input either parses into steps of
 * known kinds or is refused with a message naming the step; none may
 * crash, leak or trip a sanitizer.  The seed is fixed so that a failure
 * replays; RMM_EMU_FUZZ_SEED and RMM_EMU_FUZZ_ITERATIONS change it.
 */
static const char *const fuzz_tokens[] = {
    "host-call", "mmio-read", "mmio-write", "ripas-change", "psci", "irq",
    "wfi", "wfe", "data-abort", "imm", "addr", "len", "value", "base",
    "top", "ripas", "destroyed-ok", "fn", "a1", "a2", "a3", "ram", "empty",
    "cpu-on", "system-off", "0", "1", "4", "8", "0x9000000", "0x200000",
    "-1", "0xffffffffffffffff", "99999999999999999999", ":", ";", "=",
    " ", "", "\t",
};

static const char *const fuzz_seeds[] = {
    "host-call:imm=7;mmio-write:addr=0x9000000:len=4:value=0x52",
    "ripas-change:base=0:top=0x200000:ripas=ram:destroyed-ok=1;wfi",
    "psci:fn=cpu-on:a1=1:a2=0x80000000:a3=5;irq;data-abort:addr=0x1000",
};

static char *fuzz_input(GRand *rand)
{
    GString *s;
    unsigned n, i;
    gsize run;

    if (g_rand_boolean(rand)) {
        n = g_rand_int_range(rand, 0, 24);
        s = g_string_new(NULL);
        for (i = 0; i < n; i++) {
            g_string_append(s, fuzz_tokens[g_rand_int_range(
                rand, 0, G_N_ELEMENTS(fuzz_tokens))]);
        }
        return g_string_free(s, FALSE);
    }
    s = g_string_new(fuzz_seeds[g_rand_int_range(rand, 0,
                                                 G_N_ELEMENTS(fuzz_seeds))]);
    n = g_rand_int_range(rand, 1, 6);
    for (i = 0; i < n; i++) {
        unsigned pos = s->len ? g_rand_int_range(rand, 0, s->len) : 0;

        switch (g_rand_int_range(rand, 0, 4)) {
        case 0:     /* flip a byte to any value but NUL */
            if (s->len) {
                s->str[pos] = (char)g_rand_int_range(rand, 1, 256);
            }
            break;
        case 1:     /* delete a run */
            run = g_rand_int_range(rand, 0, 8);
            g_string_erase(s, pos, MIN(run, s->len - pos));
            break;
        case 2:     /* insert a token */
            g_string_insert(s, pos, fuzz_tokens[g_rand_int_range(
                rand, 0, G_N_ELEMENTS(fuzz_tokens))]);
            break;
        default:    /* duplicate the tail */
            g_string_append(s, s->str + pos);
            break;
        }
    }
    return g_string_free(s, FALSE);
}

static void test_fuzz(void)
{
    const char *seed_env = g_getenv("RMM_EMU_FUZZ_SEED");
    const char *iter_env = g_getenv("RMM_EMU_FUZZ_ITERATIONS");
    guint32 seed = seed_env ? strtoul(seed_env, NULL, 0) : 0x5eed;
    unsigned iterations = iter_env ? strtoul(iter_env, NULL, 0) : 100000;
    g_autoptr(GRand) rand = g_rand_new_with_seed(seed);
    unsigned parsed = 0;

    for (unsigned i = 0; i < iterations; i++) {
        g_autofree char *text = fuzz_input(rand);
        RmmExitStep *steps = NULL;
        char *err = NULL;
        size_t n = 0;

        if (rmm_exit_script_parse(text, &steps, &n, &err)) {
            g_assert_null(err);
            g_assert_cmpuint(n, >=, 1);
            for (size_t j = 0; j < n; j++) {
                g_assert_cmpint(steps[j].kind, <, RMM_STEP_NR_KINDS);
            }
            parsed++;
            g_free(steps);
        } else {
            g_assert_nonnull(err);
            g_assert_null(steps);
            if (!g_str_has_prefix(err, "step ") &&
                strcmp(err, "empty script")) {
                g_test_message("seed %u input '%s': %s", seed, text, err);
                g_assert_not_reached();
            }
            g_free(err);
        }
    }
    g_test_message("seed %u: %u inputs, %u parsed", seed, iterations, parsed);
    /* The mutations must keep some inputs valid, or the loop tests less. */
    g_assert_cmpuint(parsed, >, iterations / 100);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/exit-script/every-kind", test_every_kind);
    g_test_add_func("/exit-script/errors", test_errors);
    g_test_add_func("/exit-script/fuzz", test_fuzz);
    return g_test_run();
}
