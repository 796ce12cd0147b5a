/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The RIM of the realm rmm-guest-realm.elf builds, computed without the
 * model.  A verifier that knows what the host did can compute a realm's
 * initial measurement (RMM specification A7.1.1): rim-verifier.c is one,
 * watching the host driver's lifecycle (host-driver/realm.c) build the
 * realm payload's realm in process.  The image is the payload's own when
 * meson gives its path in RMM_EMU_REALM_PAYLOAD, else pages of
 * pseudo-random bytes.
 */
#include <string.h>

#include "host-driver-fx.h"
#include "rim-verifier.h"

#define PAGE            4096

typedef struct Inspect {
    Verifier *v;
    RmmCore *rmm;
    bool done;
} Inspect;

static void inspect(const struct rmi_realm_objects *o, void *arg)
{
    Inspect *i = arg;

    rim_verifier_assert(i->v, i->rmm, o->rd);
    i->done = true;
}

/* The realm payload, or pseudo-random pages in its place. */
static GBytes *payload_image(void)
{
    const char *path = g_getenv("RMM_EMU_REALM_PAYLOAD");
    g_autoptr(GRand) rand = g_rand_new_with_seed(12);
    g_autoptr(GError) err = NULL;
    char *data;
    gsize len, i;

    if (path && *path) {
        g_assert_true(g_file_get_contents(path, &data, &len, &err));
        g_test_message("realm payload %s, %zu bytes", path, (size_t)len);
        return g_bytes_new_take(data, len);
    }
    len = 5 * PAGE + 123;
    data = g_malloc(len);
    for (i = 0; i < len; i++) {
        data[i] = g_rand_int(rand);
    }
    return g_bytes_new_take(data, len);
}

/*
 * The payload realm as rmm-guest-realm.elf builds it (payload_config()):
 * 40-bit IPA, 4MB populated, the image DATA_MAP_INIT'd and measured, the
 * rest unmeasured, two RECs of which only REC 0 is runnable.
 */
static void test_payload_realm(void)
{
    g_autoptr(GBytes) image = payload_image();
    size_t size = g_bytes_get_size(image);
    Inspect ins = { 0 };
    struct rmi_realm_config cfg = {
        .ipa_bits = 40,
        .populate_bytes = SZ_4M,
        .init_pages = (size + PAGE - 1) / PAGE + 2,
        .nr_recs = 2,
        .image = g_bytes_get_data(image, NULL),
        .image_size = size,
        .secondaries_off = true,
        .inspect = inspect,
        .inspect_arg = &ins,
    };
    struct rmi_realm_report rep;
    Verifier v;
    HdFx f;

    lc_config(&f);
    lc_start(&f);
    rim_verifier_init(&v, f.mem, f.rmm);
    ins.v = &v;
    ins.rmm = f.rmm;
    g_assert_cmpint(rmi_realm_lifecycle(&f.pool.allocator, &cfg, &rep), ==,
                    0);
    g_assert_true(ins.done);
    g_assert_cmpuint(v.measured_data, ==, cfg.init_pages);
    g_assert_cmpuint(v.measured_recs, ==, 1);
    rim_verifier_free(&v);
    lc_stop_clean(&f, &rep);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/realm-rim/payload-realm", test_payload_realm);
    return g_test_run();
}
