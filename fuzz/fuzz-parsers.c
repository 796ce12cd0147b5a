/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target (c): the two text parsers a user reaches through device
 * properties, rmm_fault_plan_parse() and rmm_exit_script_parse().  Both
 * get the same input, as a C string (up to its first NUL byte).
 *
 * Oracles besides ASan and UBSan:
 *   fault plans
 *     - an accepted plan leaves *err NULL, and its canonical text
 *       (rmm_fault_plan_to_string()) parses again to the same text;
 *     - a refused plan has a message that starts "fault plan: at offset";
 *     - parsing without an error pointer decides the same way;
 *   exit scripts
 *     - an accepted script has at least one step, of a known kind, with
 *       an MMIO length of 1, 2, 4 or 8 where it has one;
 *     - a refused script has a message naming the step ("step N (...)")
 *       or saying it is empty.
 * A failed oracle prints the input and aborts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/arm/rmm/rmm-internal.h"

#define PLAN_ERR_PREFIX     "fault plan: at offset "

/*
 * Bugs found and not fixed yet (fuzz/regressions/pending/README.rst):
 * plans that would hit them are not parsed, as narrowly as the trigger
 * allows, so that a campaign finds new bugs rather than these again, and
 * make check stays green until the fix lands.  Each rule names its
 * pending input; the fix deletes the rule and moves the input to
 * fuzz/regressions/fuzz-parsers/.  FUZZ_PENDING=1 in the environment turns
 * the rules off, to replay the pending inputs.  (addr-empty-overread and
 * contig-keep-imm-leak had rules: an empty addr= value; a contig=, keep=
 * or imm= value strtoull() does not read whole.)
 */
static bool pending_off;

static bool plan_hits_pending_bug(const char *text)
{
    if (pending_off) {
        return false;
    }
    /* No bug is pending. */
    return false;
}

static void G_GNUC_PRINTF(2, 3) G_GNUC_NORETURN
oracle_failed(const char *text, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "fuzz-parsers: ORACLE FAILED on input '%s':\n  ", text);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n");
    abort();
}

static void check_plan(const char *text)
{
    g_autofree char *err = NULL, *err2 = NULL, *canon = NULL;
    g_autofree char *canon2 = NULL;
    RmmFaultPlan *plan, *again;

    plan = rmm_fault_plan_parse(text, &err);
    again = rmm_fault_plan_parse(text, NULL);
    if (!plan != !again) {
        oracle_failed(text, "accepted %s an error pointer only",
                      plan ? "with" : "without");
    }
    rmm_fault_plan_free(again);
    if (!plan) {
        if (!err || strncmp(err, PLAN_ERR_PREFIX, strlen(PLAN_ERR_PREFIX))) {
            oracle_failed(text, "refused with message '%s'",
                          err ? err : "(NULL)");
        }
        return;
    }
    if (err) {
        oracle_failed(text, "accepted, yet with message '%s'", err);
    }
    canon = rmm_fault_plan_to_string(plan);
    rmm_fault_plan_free(plan);
    again = rmm_fault_plan_parse(canon, &err2);
    if (!again) {
        oracle_failed(text, "canonical text '%s' is refused: %s", canon,
                      err2);
    }
    canon2 = rmm_fault_plan_to_string(again);
    rmm_fault_plan_free(again);
    if (strcmp(canon, canon2)) {
        oracle_failed(text, "canonical text '%s' parses to '%s'", canon,
                      canon2);
    }
}

static void check_script(const char *text)
{
    g_autofree char *err = NULL;
    RmmExitStep *steps = NULL;
    size_t n = 0, i;

    if (!rmm_exit_script_parse(text, &steps, &n, &err)) {
        if (!err || (strncmp(err, "step ", 5) && strcmp(err, "empty script"))) {
            oracle_failed(text, "script refused with message '%s'",
                          err ? err : "(NULL)");
        }
        if (steps || n) {
            oracle_failed(text, "refused script returned steps");
        }
        return;
    }
    if (err || !steps || !n) {
        oracle_failed(text, "accepted script: err %s, %zu steps",
                      err ? err : "NULL", n);
    }
    for (i = 0; i < n; i++) {
        const RmmExitStep *s = &steps[i];

        if (s->kind >= RMM_STEP_NR_KINDS) {
            oracle_failed(text, "step %zu has kind %d", i + 1, s->kind);
        }
        if ((s->kind == RMM_STEP_MMIO_READ ||
             s->kind == RMM_STEP_MMIO_WRITE) &&
            s->len != 1 && s->len != 2 && s->len != 4 && s->len != 8) {
            oracle_failed(text, "step %zu: MMIO length %u", i + 1, s->len);
        }
    }
    g_free(steps);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The parsers take C strings: the text ends at the first NUL. */
    g_autofree char *text = g_strndup((const char *)data, size);
    static bool init;

    if (!init) {
        const char *v = getenv("FUZZ_PENDING");

        pending_off = v && *v && strcmp(v, "0");
        init = true;
    }
    if (!plan_hits_pending_bug(text)) {
        check_plan(text);
    }
    check_script(text);
    return 0;
}
