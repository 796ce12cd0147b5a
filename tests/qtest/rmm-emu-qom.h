/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What rmm-emu's qtests read over QMP: any QOM property, the device's
 * statistics and its invariant check.
 */
#ifndef RMM_EMU_QOM_H
#define RMM_EMU_QOM_H

#include "libqtest.h"
#include "qobject/qdict.h"
#include "qobject/qnum.h"

static inline QDict *qom_get(QTestState *qts, const char *path,
                             const char *prop)
{
    QDict *resp = qtest_qmp(qts, "{ 'execute': 'qom-get', 'arguments': "
                            "{ 'path': %s, 'property': %s } }", path, prop);

    g_assert(resp);
    return resp;
}

static inline bool qom_get_bool(QTestState *qts, const char *path,
                                const char *prop)
{
    QDict *resp = qom_get(qts, path, prop);
    bool val;

    g_assert(qdict_haskey(resp, "return"));
    val = qdict_get_bool(resp, "return");
    qobject_unref(resp);
    return val;
}

static inline char *qom_get_str(QTestState *qts, const char *path,
                                const char *prop)
{
    QDict *resp = qom_get(qts, path, prop);
    char *val;

    g_assert(qdict_haskey(resp, "return"));
    val = g_strdup(qdict_get_str(resp, "return"));
    qobject_unref(resp);
    return val;
}

static inline uint64_t rmm_qom_stat(QTestState *qts, const char *prop)
{
    QDict *resp = qom_get(qts, "/machine/rmm", prop);
    uint64_t val;

    g_assert(qdict_haskey(resp, "return"));
    val = qdict_get_int(resp, "return");
    qobject_unref(resp);
    return val;
}

/* qom-set a string: NULL on success, else the error's description. */
static inline char *qom_set_str(QTestState *qts, const char *path,
                                const char *prop, const char *value)
{
    QDict *resp = qtest_qmp(qts, "{ 'execute': 'qom-set', 'arguments': "
                            "{ 'path': %s, 'property': %s, 'value': %s } }",
                            path, prop, value);
    char *err = NULL;

    g_assert(resp);
    if (qdict_haskey(resp, "error")) {
        err = g_strdup(qdict_get_str(qdict_get_qdict(resp, "error"),
                                     "desc"));
    }
    qobject_unref(resp);
    return err;
}

/* The device's fault-stats (docs/fault-plans.rst); qobject_unref() it. */
static inline QDict *rmm_fault_stats(QTestState *qts)
{
    QDict *resp = qom_get(qts, "/machine/rmm", "fault-stats");
    QDict *stats;

    g_assert(qdict_haskey(resp, "return"));
    stats = qdict_get_qdict(resp, "return");
    qobject_ref(stats);
    qobject_unref(resp);
    return stats;
}

/* Host violations of every kind, summed. */
static inline uint64_t rmm_violations(QDict *stats)
{
    QDict *v = qdict_get_qdict(stats, "violations");
    const QDictEntry *e;
    uint64_t n = 0;

    for (e = qdict_first(v); e; e = qdict_next(v, e)) {
        n += qnum_get_uint(qobject_to(QNum, qdict_entry_value(e)));
    }
    return n;
}

/* Fails the test, naming the broken invariant, unless the model holds. */
static inline void rmm_qom_assert_consistent(QTestState *qts)
{
    QDict *resp = qtest_qmp(qts, "{ 'execute': 'qom-get', 'arguments': "
                            "{ 'path': '/machine/rmm', "
                            "  'property': 'consistent' } }");

    if (!qdict_haskey(resp, "return")) {
        g_test_message("%s", qdict_get_str(qdict_get_qdict(resp, "error"),
                                           "desc"));
    }
    g_assert_true(qdict_haskey(resp, "return") &&
                  qdict_get_bool(resp, "return"));
    qobject_unref(resp);
}

#endif
