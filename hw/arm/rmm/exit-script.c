/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * REC exit scripts written as text, so that QEMU users (a device property)
 * and tests can say what a REC does without building RmmExitStep arrays.
 *
 *   script := step { ';' step }
 *   step   := kind { ':' key '=' value }
 *
 * Numbers are C literals (0x.. or decimal).  Fields are separated by ':'
 * rather than ',' so that a script survives QEMU's option parser intact.
 */
#include <string.h>

#include "hw/arm/rmm/rmm-internal.h"

typedef struct StepKind {
    const char *name;
    RmmExitStepKind kind;
} StepKind;

static const StepKind step_kinds[] = {
    { "host-call", RMM_STEP_HOST_CALL },
    { "mmio-read", RMM_STEP_MMIO_READ },
    { "mmio-write", RMM_STEP_MMIO_WRITE },
    { "ripas-change", RMM_STEP_RIPAS_CHANGE },
    { "psci", RMM_STEP_PSCI },
    { "irq", RMM_STEP_IRQ },
    { "wfi", RMM_STEP_WFI },
    { "wfe", RMM_STEP_WFE },
    { "data-abort", RMM_STEP_DATA_ABORT },
};

typedef struct PsciName {
    const char *name;
    uint32_t fid;
} PsciName;

static const PsciName psci_names[] = {
    { "cpu-suspend", RMM_PSCI_CPU_SUSPEND },
    { "cpu-off", RMM_PSCI_CPU_OFF },
    { "cpu-on", RMM_PSCI_CPU_ON },
    { "affinity-info", RMM_PSCI_AFFINITY_INFO },
    { "system-off", RMM_PSCI_SYSTEM_OFF },
    { "system-reset", RMM_PSCI_SYSTEM_RESET },
};

static bool parse_u64(const char *text, uint64_t *val)
{
    char *end;

    if (!*text || *text == '-') {
        return false;
    }
    *val = g_ascii_strtoull(text, &end, 0);
    return *end == '\0';
}

/* Which keys each kind takes (a bit per key below). */
enum {
    KEY_IMM = 1 << 0,
    KEY_ADDR = 1 << 1,
    KEY_LEN = 1 << 2,
    KEY_VALUE = 1 << 3,
    KEY_BASE = 1 << 4,
    KEY_TOP = 1 << 5,
    KEY_RIPAS = 1 << 6,
    KEY_FN = 1 << 7,
    KEY_ARG = 1 << 8,           /* a1, a2, a3 */
    KEY_DESTROYED_OK = 1 << 9,
};

static unsigned keys_allowed(RmmExitStepKind kind)
{
    switch (kind) {
    case RMM_STEP_HOST_CALL:
        return KEY_IMM;
    case RMM_STEP_MMIO_READ:
    case RMM_STEP_MMIO_WRITE:
        return KEY_ADDR | KEY_LEN | KEY_VALUE;
    case RMM_STEP_RIPAS_CHANGE:
        return KEY_BASE | KEY_TOP | KEY_RIPAS | KEY_DESTROYED_OK;
    case RMM_STEP_PSCI:
        return KEY_FN | KEY_ARG;
    case RMM_STEP_DATA_ABORT:
        return KEY_ADDR;
    default:
        return 0;
    }
}

/* Keys a step cannot do without. */
static unsigned keys_required(RmmExitStepKind kind)
{
    switch (kind) {
    case RMM_STEP_MMIO_READ:
        return KEY_ADDR | KEY_LEN;
    case RMM_STEP_MMIO_WRITE:
        return KEY_ADDR | KEY_LEN | KEY_VALUE;
    case RMM_STEP_RIPAS_CHANGE:
        return KEY_BASE | KEY_TOP | KEY_RIPAS;
    case RMM_STEP_PSCI:
        return KEY_FN;
    case RMM_STEP_DATA_ABORT:
        return KEY_ADDR;
    default:
        return 0;
    }
}

static bool parse_field(RmmExitStep *s, const char *key, const char *val,
                        unsigned *seen, GString *why)
{
    unsigned bit;
    uint64_t num = 0;
    bool numeric = parse_u64(val, &num);

    if (!strcmp(key, "imm")) {
        bit = KEY_IMM;
        numeric = numeric && num <= UINT16_MAX;
        s->imm = num;
    } else if (!strcmp(key, "addr")) {
        bit = KEY_ADDR;
        s->addr = num;
    } else if (!strcmp(key, "len")) {
        bit = KEY_LEN;
        numeric = numeric && (num == 1 || num == 2 || num == 4 || num == 8);
        s->len = num;
    } else if (!strcmp(key, "value")) {
        bit = KEY_VALUE;
        s->value = num;
    } else if (!strcmp(key, "base")) {
        bit = KEY_BASE;
        s->addr = num;
    } else if (!strcmp(key, "top")) {
        bit = KEY_TOP;
        s->top = num;
    } else if (!strcmp(key, "ripas")) {
        bit = KEY_RIPAS;
        numeric = true;
        if (!strcmp(val, "ram")) {
            s->value = RMI_RIPAS_RAM;
        } else if (!strcmp(val, "empty")) {
            s->value = RMI_RIPAS_EMPTY;
        } else {
            numeric = false;
        }
    } else if (!strcmp(key, "destroyed-ok")) {
        bit = KEY_DESTROYED_OK;
        numeric = numeric && num <= 1;
        s->flags |= num ? RMM_STEP_RIPAS_DESTROYED_OK : 0;
    } else if (!strcmp(key, "fn")) {
        bit = KEY_FN;
        for (size_t i = 0; i < G_N_ELEMENTS(psci_names); i++) {
            if (!strcmp(val, psci_names[i].name)) {
                num = psci_names[i].fid;
                numeric = true;
            }
        }
        numeric = numeric && num <= UINT32_MAX;
        s->gprs[0] = num;
    } else if (!strcmp(key, "a1") || !strcmp(key, "a2") ||
               !strcmp(key, "a3")) {
        bit = KEY_ARG;
        s->gprs[key[1] - '0'] = num;
    } else {
        g_string_printf(why, "unknown field '%s'", key);
        return false;
    }
    if (!(keys_allowed(s->kind) & bit)) {
        g_string_printf(why, "field '%s' does not apply", key);
        return false;
    }
    if (*seen & bit & ~KEY_ARG) {
        g_string_printf(why, "field '%s' given twice", key);
        return false;
    }
    if (!numeric) {
        g_string_printf(why, "bad value '%s' for '%s'", val, key);
        return false;
    }
    *seen |= bit;
    return true;
}

static bool parse_step(const char *text, RmmExitStep *s, GString *why)
{
    g_auto(GStrv) fields = g_strsplit(text, ":", -1);
    unsigned seen = 0, missing;
    size_t i;

    memset(s, 0, sizeof(*s));
    /* "", or what ';;', a leading or a trailing ';' leave between them */
    if (!fields[0]) {
        g_string_assign(why, "empty step");
        return false;
    }
    for (i = 0; i < G_N_ELEMENTS(step_kinds); i++) {
        if (!strcmp(fields[0], step_kinds[i].name)) {
            break;
        }
    }
    if (i == G_N_ELEMENTS(step_kinds)) {
        g_string_printf(why, "unknown step '%s'", fields[0]);
        return false;
    }
    s->kind = step_kinds[i].kind;
    for (i = 1; fields[i]; i++) {
        const char *eq = strchr(fields[i], '=');
        g_autofree char *key = NULL;

        if (!eq) {
            g_string_printf(why, "field '%s' has no value", fields[i]);
            return false;
        }
        key = g_strndup(fields[i], eq - fields[i]);
        if (!parse_field(s, key, eq + 1, &seen, why)) {
            return false;
        }
    }
    missing = keys_required(s->kind) & ~seen;
    if (missing) {
        g_string_printf(why, "missing field '%s'",
                        missing & KEY_ADDR ? "addr" :
                        missing & KEY_LEN ? "len" :
                        missing & KEY_VALUE ? "value" :
                        missing & KEY_BASE ? "base" :
                        missing & KEY_TOP ? "top" :
                        missing & KEY_RIPAS ? "ripas" : "fn");
        return false;
    }
    if (s->kind == RMM_STEP_MMIO_READ || s->kind == RMM_STEP_MMIO_WRITE) {
        s->flags |= RMM_STEP_UNPROT_RELATIVE;
    }
    return true;
}

bool rmm_exit_script_parse(const char *text, RmmExitStep **steps, size_t *n,
                           char **err)
{
    g_auto(GStrv) parts = g_strsplit(text ? text : "", ";", -1);
    g_autoptr(GString) why = g_string_new(NULL);
    size_t count = g_strv_length(parts), i;
    RmmExitStep *out;

    if (count == 0 || (count == 1 && !*parts[0])) {
        if (err) {
            *err = g_strdup("empty script");
        }
        return false;
    }
    out = g_new0(RmmExitStep, count);
    for (i = 0; i < count; i++) {
        if (!parse_step(g_strstrip(parts[i]), &out[i], why)) {
            if (err) {
                *err = g_strdup_printf("step %zu ('%s'): %s", i + 1,
                                       parts[i], why->str);
            }
            g_free(out);
            return false;
        }
    }
    *steps = out;
    *n = count;
    return true;
}
