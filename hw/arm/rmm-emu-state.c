/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rmm-emu: the RMM's state on demand, for QMP and the monitor.
 *
 *   qom-get /machine/rmm state     JSON: the granule census, each realm
 *                                  with its RECs and RTTs, and the open
 *                                  operations with their step and the
 *                                  memory they hold
 *   qom-get /machine/rmm summary   one line of the same
 *
 * Both are read under the device lock, from the model core's
 * rmm_core_describe(), and change nothing (docs/qemu-integration.rst).
 */
#include "qemu/osdep.h"
#include "qemu/lockable.h"
#include "qapi/error.h"
#include "qapi/visitor.h"
#include "qobject/qdict.h"
#include "qobject/qlist.h"
#include "hw/arm/rmm-emu.h"
#include "hw/arm/rmm/rmm.h"

typedef struct StateView {
    QDict *realms_by_rd;            /* "0x..." -> the realm's QDict */
    QList *realms;
    QList *operations;
    unsigned recs, running, rtts;
    uint64_t data;
} StateView;

static const char *const rmm_states[] = { "init", "intermediate", "active" };

/*
 * Files d (a REC or an RTT) in the list of that name of the realm at rd;
 * the core lists every realm before what they own, so one is missing only
 * if the core's views disagree, and then d is dropped.
 */
static void add_to_realm(StateView *v, uint64_t rd, const char *list,
                         QDict *d)
{
    g_autofree char *key = g_strdup_printf("0x%" PRIx64, rd);
    QDict *realm = qdict_get_qdict(v->realms_by_rd, key);

    if (realm) {
        qlist_append(qdict_get_qlist(realm, list), d);
    } else {
        qobject_unref(d);
    }
}

static void view_realm(void *opaque, const RmmRealmView *r)
{
    StateView *v = opaque;
    QDict *d = qdict_new();
    g_autofree char *key = g_strdup_printf("0x%" PRIx64, r->rd);
    g_autofree char *rim = g_malloc(2 * r->rim_size + 1);
    size_t i;

    for (i = 0; i < r->rim_size; i++) {
        sprintf(rim + 2 * i, "%02x", r->rim[i]);
    }
    qdict_put_int(d, "rd", r->rd);
    qdict_put_str(d, "state", r->state);
    qdict_put_int(d, "ipa-width", r->ipa_width);
    qdict_put_str(d, "hash", r->hash);
    qdict_put_str(d, "rim", rim);
    qdict_put_int(d, "data-granules", r->data);
    if (r->op != RMM_NO_OPERATION) {
        qdict_put_int(d, "held-by-operation", r->op);
    }
    qdict_put(d, "recs", qlist_new());
    qdict_put(d, "rtts", qlist_new());
    qlist_append(v->realms, qobject_ref(d));
    qdict_put(v->realms_by_rd, key, d);
    v->data += r->data;
}

static void view_rec(void *opaque, const RmmRecView *r)
{
    StateView *v = opaque;
    QDict *d = qdict_new();

    qdict_put_int(d, "rec", r->rec);
    qdict_put_int(d, "index", r->index);
    qdict_put_int(d, "mpidr", r->mpidr);
    qdict_put_bool(d, "runnable", r->runnable);
    qdict_put_bool(d, "running", r->running);
    qdict_put_str(d, "pending", r->pending);
    qdict_put_int(d, "entries", r->entries);
    qdict_put_int(d, "aux-granules", r->aux);
    add_to_realm(v, r->rd, "recs", d);
    v->recs++;
    v->running += r->running;
}

static void view_rtt(void *opaque, const RmmRttView *r)
{
    StateView *v = opaque;
    QDict *d = qdict_new();

    qdict_put_int(d, "rtt", r->rtt);
    qdict_put_int(d, "level", r->level);
    qdict_put_int(d, "ipa", r->ipa);
    qdict_put_int(d, "live-entries", r->live);
    add_to_realm(v, r->rd, "rtts", d);
    v->rtts++;
}

static void view_sro(void *opaque, const RmmSroView *o)
{
    StateView *v = opaque;
    QDict *d = qdict_new();

    qdict_put_int(d, "handle", o->handle);
    qdict_put_str(d, "command", o->command);
    qdict_put_str(d, "next-step", o->step);
    qdict_put_bool(d, "can-cancel", o->can_cancel);
    qdict_put_bool(d, "cancelled", o->cancelled);
    qdict_put_bool(d, "abandoned", o->abandoned);
    if (o->donate_req) {
        qdict_put_int(d, "donate-req", o->donate_req);
    }
    if (o->hold_top > o->hold_base) {
        qdict_put_int(d, "held-base", o->hold_base);
        qdict_put_int(d, "held-top", o->hold_top);
    }
    qdict_put_int(d, "donated-granules", o->donated);
    qdict_put_int(d, "granules-to-reclaim", o->to_reclaim);
    qlist_append(v->operations, d);
}

static const RmmDescribeOps view_ops = {
    .realm = view_realm,
    .rec = view_rec,
    .rtt = view_rtt,
    .sro = view_sro,
};

/* The whole view, or NULL with errp set before realize. */
static QDict *rmm_emu_state(RmmEmuState *s, StateView *v, Error **errp)
{
    QDict *d, *granules;
    RmmCensus c;
    unsigned i;

    if (!s->core) {
        error_setg(errp, "rmm-emu: device not realized");
        return NULL;
    }
    *v = (StateView) {
        .realms_by_rd = qdict_new(),
        .realms = qlist_new(),
        .operations = qlist_new(),
    };
    WITH_QEMU_LOCK_GUARD(&s->lock) {
        rmm_core_census(s->core, &c);
        rmm_core_describe(s->core, &view_ops, v);
    }
    qobject_unref(v->realms_by_rd);
    d = qdict_new();
    qdict_put_str(d, "rmm-state", c.rmm_state < G_N_ELEMENTS(rmm_states) ?
                  rmm_states[c.rmm_state] : "?");
    qdict_put_str(d, "profile", s->profile);
    qdict_put_int(d, "calls", c.calls);
    granules = qdict_new();
    for (i = RMM_GRANULE_DELEGATED; i < RMM_GRANULE_NR_STATES; i++) {
        qdict_put_int(granules, rmm_granule_state_name(i), c.granules[i]);
    }
    qdict_put(d, "granules", granules);
    qdict_put(d, "realms", v->realms);
    qdict_put(d, "operations", v->operations);
    return d;
}

static void rmm_emu_get_state(Object *obj, Visitor *v, const char *name,
                              void *opaque, Error **errp)
{
    StateView view;
    QDict *d = rmm_emu_state(RMM_EMU(obj), &view, errp);
    QObject *o;

    if (!d) {
        return;
    }
    o = QOBJECT(d);
    visit_type_any(v, name, &o, errp);
    qobject_unref(d);
}

static char *rmm_emu_get_summary(Object *obj, Error **errp)
{
    RmmEmuState *s = RMM_EMU(obj);
    StateView view;
    QDict *d = rmm_emu_state(s, &view, errp);
    QDict *g;
    char *line;
    size_t ops;
    int64_t delegated;

    if (!d) {
        return NULL;
    }
    g = qdict_get_qdict(d, "granules");
    delegated = qdict_get_int(g, rmm_granule_state_name(RMM_GRANULE_DELEGATED));
    ops = qlist_size(qdict_get_qlist(d, "operations"));
    line = g_strdup_printf("RMM %s (%s): %zu realm%s, %u REC%s (%u running), "
                           "%u RTT%s, %" PRIu64 " DATA, %" PRId64
                           " granule%s delegated, %zu operation%s open; "
                           "%" PRId64 " calls",
                           qdict_get_str(d, "rmm-state"), s->profile,
                           qlist_size(qdict_get_qlist(d, "realms")),
                           qlist_size(qdict_get_qlist(d, "realms")) == 1 ?
                           "" : "s", view.recs, view.recs == 1 ? "" : "s",
                           view.running, view.rtts, view.rtts == 1 ? "" : "s",
                           view.data, delegated, delegated == 1 ? "" : "s",
                           ops, ops == 1 ? "" : "s",
                           qdict_get_int(d, "calls"));
    qobject_unref(d);
    return line;
}

void rmm_emu_state_init(Object *obj)
{
    object_property_add(obj, "state", "any", rmm_emu_get_state, NULL, NULL,
                        NULL);
    object_property_set_description(obj, "state",
        "the RMM's state as JSON: census, realms with their RECs and RTTs, "
        "open operations (docs/user-guide.rst)");
    object_property_add_str(obj, "summary", rmm_emu_get_summary, NULL);
    object_property_set_description(obj, "summary",
        "the RMM's state in one line (qom-get /machine/rmm summary)");
}
