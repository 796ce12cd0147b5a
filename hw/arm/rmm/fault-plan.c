/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fault plans as text (docs/fault-plans.rst):
 *
 *   plan := [ item { ';' item } ]
 *   item := 'seed=' number | rule
 *   rule := action { ':' key '=' value }
 *
 * Keys select calls (cmd, class, nth, every, after, times, p, call, addr,
 * realm, rec) or parameterise the action.  Like exit scripts, plans use
 * ':' and ';' rather than ',' so that they survive QEMU's option parser.
 * Every error names the offset in the text, the rule and what was
 * expected, and nothing is half-parsed: a plan is accepted whole or not
 * at all.
 */
#include <string.h>

#include "hw/arm/rmm/rmm-internal.h"

typedef struct KindInfo {
    const char *name;
    const char *params;             /* keys the action takes, ' '-separated */
} KindInfo;

static const KindInfo kind_info[RMM_FAULT_NR_KINDS] = {
    [RMM_FAULT_BUSY] = { "busy", "n" },
    [RMM_FAULT_BLOCKED] = { "blocked", "n" },
    [RMM_FAULT_EXHAUST] = { "exhaust", "" },
    [RMM_FAULT_SPLIT] = { "split", "k" },
    [RMM_FAULT_YIELD] = { "yield", "granules" },
    [RMM_FAULT_DONATE] = { "donate", "size count contig state req keep" },
    [RMM_FAULT_CONSUME] = { "consume", "max" },
    [RMM_FAULT_RECLAIM] = { "reclaim", "max" },
    [RMM_FAULT_NOCANCEL] = { "nocancel", "" },
    [RMM_FAULT_CANCELLABLE] = { "cancellable", "" },
    [RMM_FAULT_STOP] = { "stop", "n" },
    [RMM_FAULT_EXIT] = { "exit", "kind imm" },
    [RMM_FAULT_OVERCOUNT] = { "overcount", "by" },
    [RMM_FAULT_OVERFLOW] = { "overflow", "by" },
    [RMM_FAULT_DONATE_ZERO] = { "donate-zero", "" },
    [RMM_FAULT_DONATE_BAD] = { "donate-bad", "" },
    [RMM_FAULT_INCOMPLETE] = { "incomplete", "" },
    [RMM_FAULT_BAD_HANDLE] = { "bad-handle", "" },
    [RMM_FAULT_RESERVED] = { "reserved", "" },
    [RMM_FAULT_GARBAGE] = { "garbage", "" },
};

static const char *const selector_keys[] = {
    "cmd", "class", "nth", "every", "after", "times", "p", "call", "addr",
    "realm", "rec", NULL,
};
#define SELECTOR_KEYS "cmd class nth every after times p call addr realm rec"

static const char *const class_names[] = {
    [RMM_FAULT_CLASS_ANY] = "any",
    [RMM_FAULT_CLASS_SRO] = "sro",
    [RMM_FAULT_CLASS_MEMXFER] = "memxfer",
    [RMM_FAULT_CLASS_RANGE] = "range",
};

const char *rmm_fault_kind_name(RmmFaultKind kind)
{
    return kind < RMM_FAULT_NR_KINDS ? kind_info[kind].name : "?";
}

/* ---- Errors ---- */

typedef struct Parser {
    const char *text;
    const char *pos;                /* where the current token starts */
    unsigned rule;                  /* 1-based item number */
    const char *item;               /* the current item, for messages */
    size_t item_len;
    char **err;
} Parser;

static bool G_GNUC_PRINTF(2, 3) fail(Parser *ps, const char *fmt, ...)
{
    g_autofree char *what = NULL;
    va_list ap;

    /* The first error is the one to report; a later one says less. */
    if (ps->err && !*ps->err) {
        va_start(ap, fmt);
        what = g_strdup_vprintf(fmt, ap);
        va_end(ap);
        *ps->err = g_strdup_printf("fault plan: at offset %td (item %u, "
                                   "'%.*s'): %s", ps->pos - ps->text,
                                   ps->rule, (int)ps->item_len, ps->item,
                                   what);
    }
    return false;
}

/* ---- Values ---- */

static bool parse_num(Parser *ps, const char *key, const char *v,
                      uint64_t *out)
{
    char *end;

    if (!*v || *v == '-' || *v == '+') {
        return fail(ps, "%s wants a number, not '%s'", key, v);
    }
    *out = g_ascii_strtoull(v, &end, 0);
    if (*end) {
        return fail(ps, "%s wants a number (decimal or 0x...), not '%s'",
                    key, v);
    }
    return true;
}

static bool parse_pos(Parser *ps, const char *key, const char *v,
                      uint64_t *out)
{
    if (!parse_num(ps, key, v, out)) {
        return false;
    }
    return *out ? true : fail(ps, "%s must be at least 1", key);
}

static bool parse_choice(Parser *ps, const char *key, const char *v,
                         const char *const *names, size_t n, uint64_t *out,
                         const char *expected)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (names[i] && !g_ascii_strcasecmp(v, names[i])) {
            *out = i;
            return true;
        }
    }
    return fail(ps, "%s=%s: expected %s", key, v, expected);
}

/* A command name as rmi-abi.def spells it, with or without RMI_. */
static int lookup_cmd(const char *v)
{
    size_t n, i;
    const RmmAbiEntry *t = rmm_abi_table(&n);

    for (i = 0; i < n; i++) {
        const char *name = t[i].name + strlen("RMI_");

        if (!g_ascii_strcasecmp(v, name) || !g_ascii_strcasecmp(v, t[i].name)) {
            return i;
        }
    }
    return -1;
}

static bool parse_range(Parser *ps, const char *v, RmmFaultRule *r)
{
    const char *dash = *v ? strchr(v + 1, '-') : NULL;
    g_autofree char *lo = NULL;

    if (!dash) {
        return fail(ps, "addr wants a range A-B (top exclusive), not '%s'",
                    v);
    }
    lo = g_strndup(v, dash - v);
    if (!parse_num(ps, "addr", lo, &r->addr_lo) ||
        !parse_num(ps, "addr", dash + 1, &r->addr_hi)) {
        return false;
    }
    if (r->addr_hi <= r->addr_lo) {
        return fail(ps, "addr=%s is empty: the top must be above the base",
                    v);
    }
    r->has_addr = true;
    return true;
}

static bool parse_random_or(Parser *ps, const char *key, const char *v,
                            RmmFaultRandom *rnd)
{
    *rnd = g_ascii_strcasecmp(v, "random") ? RMM_FAULT_FIXED
                                           : RMM_FAULT_RANDOM;
    return true;
}

/* ---- Keys ---- */

static bool is_selector(const char *key)
{
    return g_strv_contains(selector_keys, key);
}

static bool key_allowed(RmmFaultKind kind, const char *key)
{
    g_auto(GStrv) par = g_strsplit(kind_info[kind].params, " ", -1);

    return is_selector(key) || g_strv_contains((const char *const *)par, key);
}

static bool parse_selector(Parser *ps, RmmFaultRule *r, const char *key,
                           const char *v)
{
    uint64_t u;

    if (!strcmp(key, "cmd")) {
        r->cmd = lookup_cmd(v);
        return r->cmd >= 0 ? true :
            fail(ps, "cmd=%s: no such RMI command (names as in "
                 "docs/commands.rst, e.g. GRANULE_RANGE_DELEGATE)", v);
    }
    if (!strcmp(key, "class")) {
        if (!parse_choice(ps, key, v, class_names,
                          G_N_ELEMENTS(class_names), &u,
                          "any, sro, memxfer or range")) {
            return false;
        }
        r->cls = u;
        return true;
    }
    if (!strcmp(key, "p")) {
        char *end;

        r->p = g_ascii_strtod(v, &end);
        if (*end || !*v || !(r->p >= 0.0 && r->p <= 1.0)) {
            return fail(ps, "p wants a probability from 0 to 1, not '%s'",
                        v);
        }
        return true;
    }
    if (!strcmp(key, "addr")) {
        return parse_range(ps, v, r);
    }
    if (!strcmp(key, "realm")) {
        r->has_realm = true;
        return parse_num(ps, key, v, &r->realm);
    }
    if (!strcmp(key, "rec")) {
        r->has_rec = true;
        return parse_num(ps, key, v, &r->rec);
    }
    if (!strcmp(key, "nth")) {
        return parse_pos(ps, key, v, &r->nth);
    }
    if (!strcmp(key, "every")) {
        return parse_pos(ps, key, v, &r->every);
    }
    if (!strcmp(key, "after")) {
        return parse_num(ps, key, v, &r->after);
    }
    if (!strcmp(key, "times")) {
        return parse_pos(ps, key, v, &r->times);
    }
    g_assert(!strcmp(key, "call"));
    return parse_pos(ps, key, v, &r->call);
}

static const char *const size_names[] = { "l3", "l2", "l1" };
static const char *const state_names[] = { "delegated", "undelegated" };
static const char *const exit_names[] = {
    [RMM_STEP_HOST_CALL] = "host-call",
    [RMM_STEP_IRQ] = "irq",
    [RMM_STEP_WFI] = "wfi",
    [RMM_STEP_WFE] = "wfe",
};

static bool parse_param(Parser *ps, RmmFaultRule *r, const char *key,
                        const char *v)
{
    uint64_t u;

    if (!strcmp(key, "n") || !strcmp(key, "k") || !strcmp(key, "max") ||
        !strcmp(key, "by") || !strcmp(key, "granules")) {
        return parse_pos(ps, key, v, &r->n);
    }
    if (!strcmp(key, "size")) {
        parse_random_or(ps, key, v, &r->size_rnd);
        return r->size_rnd ||
               parse_choice(ps, key, v, size_names, G_N_ELEMENTS(size_names),
                            &r->size, "l3, l2, l1 or random");
    }
    if (!strcmp(key, "count")) {
        parse_random_or(ps, key, v, &r->count_rnd);
        if (r->count_rnd) {
            return true;
        }
        if (!parse_pos(ps, key, v, &r->count)) {
            return false;
        }
        return r->count <= RMI_DONATE_COUNT_MAX ? true :
            fail(ps, "count=%s does not fit RmiOpMemDonateReq.count "
                 "(at most %llu)", v, (unsigned long long)RMI_DONATE_COUNT_MAX);
    }
    if (!strcmp(key, "contig")) {
        parse_random_or(ps, key, v, &r->contig_rnd);
        if (r->contig_rnd) {
            return true;
        }
        if (!parse_num(ps, key, v, &r->contig)) {
            return false;
        }
        if (r->contig > 1) {
            return fail(ps, "contig wants 0, 1 or random, not '%s'", v);
        }
        return true;
    }
    if (!strcmp(key, "state")) {
        parse_random_or(ps, key, v, &r->state_rnd);
        return r->state_rnd ||
               parse_choice(ps, key, v, state_names,
                            G_N_ELEMENTS(state_names), &r->state,
                            "delegated, undelegated or random");
    }
    if (!strcmp(key, "req")) {
        return parse_pos(ps, key, v, &r->req);
    }
    if (!strcmp(key, "keep")) {
        if (!parse_num(ps, key, v, &u)) {
            return false;
        }
        if (u > 1) {
            return fail(ps, "keep wants 0 or 1, not '%s'", v);
        }
        r->keep = u;
        return true;
    }
    if (!strcmp(key, "kind")) {
        if (!g_ascii_strcasecmp(v, "random")) {
            r->exit_random = true;
            return true;
        }
        if (!parse_choice(ps, key, v, exit_names, G_N_ELEMENTS(exit_names),
                          &u, "irq, wfi, wfe, host-call or random")) {
            return false;
        }
        r->exit_random = false;
        r->exit_step.kind = u;
        return true;
    }
    g_assert(!strcmp(key, "imm"));
    if (!parse_num(ps, key, v, &u)) {
        return false;
    }
    if (u > UINT16_MAX) {
        return fail(ps, "imm wants a 16-bit number, not '%s'", v);
    }
    r->exit_step.imm = u;
    return true;
}

/* ---- Rules ---- */

static bool cmd_in_class(int cmd, RmmFaultClass cls)
{
    const RmmAbiEntry *e = &rmm_abi_table(NULL)[cmd];

    switch (cls) {
    case RMM_FAULT_CLASS_SRO:
        return e->sro == RMI_SRO_YIELD || e->sro == RMI_SRO_MEMXFER;
    case RMM_FAULT_CLASS_MEMXFER:
        return e->sro == RMI_SRO_MEMXFER;
    case RMM_FAULT_CLASS_RANGE:
        return rmm_fault_kind_applies(RMM_FAULT_STOP, cmd);
    default:
        return true;
    }
}

/* Could the rule ever fire?  A rule that names what cannot is an error. */
static bool rule_check(Parser *ps, RmmFaultRule *r)
{
    size_t n;
    const RmmAbiEntry *t = rmm_abi_table(&n);
    size_t i;
    bool any = false;

    if (r->kind == RMM_FAULT_YIELD || r->kind == RMM_FAULT_CONSUME ||
        r->kind == RMM_FAULT_RECLAIM || r->kind == RMM_FAULT_STOP) {
        if (!r->n) {
            return fail(ps, "%s needs %s=N", kind_info[r->kind].name,
                        kind_info[r->kind].params);
        }
    }
    if (r->kind == RMM_FAULT_DONATE && r->req &&
        (r->size || r->count || r->contig || r->state != 1 || r->size_rnd ||
         r->count_rnd || r->contig_rnd || r->state_rnd)) {
        return fail(ps, "donate takes either req= or size/count/contig/"
                    "state, not both");
    }
    if (r->kind == RMM_FAULT_DONATE && r->keep &&
        r->cmd != RMI_IDX_RMM_ACTIVATE && r->cmd != RMI_IDX_REALM_CREATE) {
        return fail(ps, "donate:keep=1 needs cmd=RMM_ACTIVATE or "
                    "cmd=REALM_CREATE: only they keep memory for themselves");
    }
    if (r->kind == RMM_FAULT_EXIT && r->exit_step.imm &&
        (r->exit_random || r->exit_step.kind != RMM_STEP_HOST_CALL)) {
        return fail(ps, "imm= goes with kind=host-call only");
    }
    if (r->cmd >= 0) {
        if (!cmd_in_class(r->cmd, r->cls)) {
            return fail(ps, "cmd=%s is not in class=%s", t[r->cmd].name,
                        class_names[r->cls]);
        }
        if (!rmm_fault_kind_applies(r->kind, r->cmd)) {
            return fail(ps, "%s does not apply to %s (see the actions "
                        "table in docs/fault-plans.rst)",
                        kind_info[r->kind].name, t[r->cmd].name);
        }
        return true;
    }
    for (i = 0; i < n && !any; i++) {
        any = cmd_in_class(i, r->cls) && rmm_fault_kind_applies(r->kind, i);
    }
    return any ? true :
        fail(ps, "%s applies to no command of class=%s",
             kind_info[r->kind].name, class_names[r->cls]);
}

static void rule_free(gpointer p)
{
    RmmFaultRule *r = p;

    g_free(r->text);
    g_free(r);
}

static RmmFaultRule *parse_rule(Parser *ps, const char *item, size_t len)
{
    g_autofree char *text = g_strndup(item, len);
    g_auto(GStrv) fields = g_strsplit(text, ":", -1);
    RmmFaultRule *r = g_new0(RmmFaultRule, 1);
    const char *at = item;
    uint64_t u;
    unsigned i;

    r->cmd = -1;
    r->p = 1.0;
    r->state = 1;                   /* donate: undelegated unless told */
    r->exit_random = true;
    r->text = g_strdup(text);
    for (u = 0; u < RMM_FAULT_NR_KINDS; u++) {
        if (!strcmp(fields[0], kind_info[u].name)) {
            break;
        }
    }
    if (u == RMM_FAULT_NR_KINDS) {
        fail(ps, "'%s' is not an action: expected busy, blocked, exhaust, "
             "split, "
             "yield, donate, consume, reclaim, nocancel, cancellable, stop, "
             "exit, overcount, overflow, donate-zero, donate-bad, "
             "incomplete, bad-handle, reserved or garbage", fields[0]);
        goto error;
    }
    r->kind = u;
    at += strlen(fields[0]) + 1;
    for (i = 1; fields[i]; i++) {
        char *eq = strchr(fields[i], '=');

        ps->pos = at;
        if (!eq || eq == fields[i]) {
            fail(ps, "expected key=value after ':', not '%s'", fields[i]);
            goto error;
        }
        *eq = '\0';
        if (!key_allowed(r->kind, fields[i])) {
            g_autofree char *keys = g_strjoin(" ", SELECTOR_KEYS,
                                              kind_info[r->kind].params,
                                              NULL);
            g_auto(GStrv) list = g_strsplit(g_strstrip(keys), " ", -1);
            g_autofree char *expected = g_strjoinv(", ", list);

            fail(ps, "%s takes no key '%s': expected one of %s",
                 kind_info[r->kind].name, fields[i], expected);
            goto error;
        }
        if (!(is_selector(fields[i]) ?
              parse_selector(ps, r, fields[i], eq + 1) :
              parse_param(ps, r, fields[i], eq + 1))) {
            goto error;
        }
        at += strlen(fields[i]) + 1 + strlen(eq + 1) + 1;
    }
    ps->pos = item;
    if (!rule_check(ps, r)) {
        goto error;
    }
    return r;

error:
    rule_free(r);
    return NULL;
}

RmmFaultPlan *rmm_fault_plan_parse(const char *text, char **err)
{
    RmmFaultPlan *plan = g_new0(RmmFaultPlan, 1);
    Parser ps = { .text = text, .err = err };
    const char *p = text ? text : "";

    if (err) {
        *err = NULL;
    }
    ps.text = p;
    plan->rules = g_ptr_array_new_with_free_func(rule_free);
    plan->seed = 1;
    while (*p) {
        const char *end = strchr(p, ';');
        size_t len;

        if (!end) {
            end = p + strlen(p);
        }
        /* Items are trimmed; empty ones (";;", a trailing ';') are fine. */
        while (p < end && g_ascii_isspace(*p)) {
            p++;
        }
        len = end - p;
        while (len && g_ascii_isspace(p[len - 1])) {
            len--;
        }
        ps.rule++;
        ps.item = p;
        ps.item_len = len;
        ps.pos = p;
        if (len > 5 && !strncmp(p, "seed=", 5)) {
            g_autofree char *v = g_strndup(p + 5, len - 5);

            ps.pos = p + 5;
            if (plan->has_seed) {
                fail(&ps, "a plan has one seed");
                goto error;
            }
            if (!parse_num(&ps, "seed", v, &plan->seed)) {
                goto error;
            }
            plan->has_seed = true;
        } else if (len) {
            RmmFaultRule *r = parse_rule(&ps, p, len);

            if (!r) {
                goto error;
            }
            g_ptr_array_add(plan->rules, r);
        }
        p = *end ? end + 1 : end;
    }
    return plan;

error:
    rmm_fault_plan_free(plan);
    return NULL;
}

void rmm_fault_plan_free(RmmFaultPlan *plan)
{
    if (plan) {
        g_ptr_array_free(plan->rules, TRUE);
        g_free(plan);
    }
}

char *rmm_fault_plan_to_string(const RmmFaultPlan *plan)
{
    GString *s = g_string_new(NULL);
    guint i;

    g_string_append_printf(s, "seed=%" PRIu64, plan->seed);
    for (i = 0; i < plan->rules->len; i++) {
        const RmmFaultRule *r = g_ptr_array_index(plan->rules, i);

        g_string_append_printf(s, "; %s", r->text);
    }
    return g_string_free(s, FALSE);
}

/* ---- RmmConfig's shorthand knobs ---- */

static const RmiCmdIndex map_cmds[] = {
    RMI_IDX_RTT_DATA_MAP, RMI_IDX_RTT_DATA_UNMAP,
    RMI_IDX_RTT_UNPROT_MAP, RMI_IDX_RTT_UNPROT_UNMAP,
};

static void add_rule(GString *s, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static void add_rule(GString *s, const char *fmt, ...)
{
    va_list ap;

    if (s->len) {
        g_string_append(s, "; ");
    }
    va_start(ap, fmt);
    g_string_append_vprintf(s, fmt, ap);
    va_end(ap);
}

static const char *cmd_name(RmiCmdIndex idx)
{
    return rmm_abi_table(NULL)[idx].name + strlen("RMI_");
}

char *rmm_config_fault_rules(const RmmConfig *cfg)
{
    GString *s = g_string_new(NULL);
    size_t i;

    if (cfg->delegate_yield_every) {
        add_rule(s, "yield:cmd=%s:granules=%" PRIu64,
                 cmd_name(RMI_IDX_GRANULE_RANGE_DELEGATE),
                 cfg->delegate_yield_every);
        add_rule(s, "yield:cmd=%s:granules=%" PRIu64,
                 cmd_name(RMI_IDX_GRANULE_RANGE_UNDELEGATE),
                 cfg->delegate_yield_every);
    }
    for (i = 0; cfg->map_yield_every && i < G_N_ELEMENTS(map_cmds); i++) {
        add_rule(s, "yield:cmd=%s:granules=%" PRIu64, cmd_name(map_cmds[i]),
                 cfg->map_yield_every);
    }
    if (cfg->donate_consume_limit) {
        add_rule(s, "consume:max=%" PRIu64, cfg->donate_consume_limit);
    }
    if (cfg->activate_donate_req) {
        add_rule(s, "donate:cmd=RMM_ACTIVATE:req=0x%" PRIx64 ":keep=1",
                 cfg->activate_donate_req);
    }
    if (cfg->activate_cannot_cancel) {
        add_rule(s, "nocancel:cmd=RMM_ACTIVATE");
    }
    if (cfg->rec_create_can_cancel) {
        add_rule(s, "cancellable:cmd=REC_CREATE");
    }
    if (cfg->realm_create_donate_req) {
        add_rule(s, "donate:cmd=REALM_CREATE:req=0x%" PRIx64 ":keep=1",
                 cfg->realm_create_donate_req);
    }
    return g_string_free(s, FALSE);
}
