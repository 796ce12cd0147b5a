/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qtests for the rme machine: its defaults, its refusals, what it shows
 * NS software, and a TCG boot of the bundled guest image that makes real
 * SMC calls into the emulated RMM.
 */
#include "qemu/osdep.h"
#include "libqtest.h"
#include "qobject/qdict.h"
#include "qobject/qlist.h"
#include "rmm-emu-qom.h"

#define RMM_EMU_NODE "rmm-emu@90c0000"

static const char *first_cpu_path(void)
{
    return "/machine/unattached/device[0]";
}

static void test_rme_defaults(void)
{
    QTestState *qts = qtest_init("-machine rme");
    g_autofree char *gic = qom_get_str(qts, "/machine", "gic-version");
    g_autofree char *cpu = qom_get_str(qts, first_cpu_path(), "type");
    g_autofree char *rmm = qom_get_str(qts, "/machine/rmm", "type");

    g_assert_true(qom_get_bool(qts, "/machine", "virtualization"));
    g_assert_false(qom_get_bool(qts, "/machine", "secure"));
    g_assert_cmpstr(gic, ==, "3");
    g_assert_cmpstr(cpu, ==, "max-arm-cpu");
    g_assert_cmpstr(rmm, ==, "rmm-emu");
    g_assert_true(qom_get_bool(qts, first_cpu_path(), "x-rme-without-el3"));
    g_assert_true(qom_get_bool(qts, "/machine/rmm", "mailbox"));
    /* Realms execute unless told not to; under qtest no code runs. */
    g_free(rmm);
    rmm = qom_get_str(qts, "/machine", "realm-exec");
    g_assert_cmpstr(rmm, ==, "auto");
    g_assert_false(qom_get_bool(qts, "/machine/rmm", "realm-exec"));
    /* The profile in force, not an empty string, when none was given. */
    g_free(rmm);
    rmm = qom_get_str(qts, "/machine/rmm", "profile");
    g_assert_cmpstr(rmm, ==, "2.0-bet1");
    qtest_quit(qts);
}

static void test_virt_unchanged(void)
{
    QTestState *qts = qtest_init("-machine virt");
    QDict *resp;

    g_assert_false(qom_get_bool(qts, "/machine", "virtualization"));
    g_assert_false(qom_get_bool(qts, first_cpu_path(), "x-rme-without-el3"));
    /* No RMM on plain virt. */
    resp = qom_get(qts, "/machine/rmm", "type");
    g_assert_true(qdict_haskey(resp, "error"));
    qobject_unref(resp);
    qtest_quit(qts);
}

/* Run QEMU to completion; returns its exit status, output in *out. */
static bool exited_ok(int status)
{
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static int run_qemu(const char *args, char **out, int timeout_s)
{
    const char *qemu = g_getenv("QTEST_QEMU_BINARY");
    g_autofree char *cmd = NULL;
    g_autoptr(GError) err = NULL;
    g_autofree char *sout = NULL;
    g_autofree char *serr = NULL;
    int status = -1;

    g_assert(qemu);
    cmd = g_strdup_printf("timeout --signal=KILL %d %s %s", timeout_s,
                          qemu, args);
    g_assert_true(g_spawn_command_line_sync(cmd, &sout, &serr, &status,
                                            &err));
    *out = g_strconcat(sout, serr, NULL);
    return status;
}

static void test_rme_refuses(const char *machine_opts, const char *why)
{
    g_autofree char *args = g_strdup_printf("-machine %s -accel qtest "
                                            "-display none -nodefaults",
                                            machine_opts);
    g_autofree char *out = NULL;
    int status = run_qemu(args, &out, 60);

    g_assert_false(exited_ok(status));
    if (!strstr(out, why)) {
        g_test_message("QEMU said: %s", out);
    }
    g_assert_nonnull(strstr(out, why));
}

static void test_rme_virtualization_off(void)
{
    test_rme_refuses("rme,virtualization=off", "needs virtualization=on");
}

static void test_rme_secure_on(void)
{
    test_rme_refuses("rme,secure=on", "does not support secure=on");
}

static void test_rme_bad_profile(void)
{
    test_rme_refuses("rme -global rmm-emu.profile=2.0-bet9",
                     "unknown profile '2.0-bet9'");
}

static void test_rme_realm_exec_bad(void)
{
    test_rme_refuses("rme,realm-exec=maybe", "realm-exec");
    /* Insisting on executing realms on a CPU without FEAT_RME */
    test_rme_refuses("rme,realm-exec=on -cpu cortex-a57 -accel tcg",
                     "-machine rme,realm-exec=on needs a CPU with FEAT_RME");
}

/*
 * realm-exec=auto (the default) executes realms on 'max', the machine's
 * CPU, and plays exit scripts on a CPU that cannot have FEAT_RME with EL3,
 * or with the test mailbox; off always plays scripts.
 */
static void test_realm_exec_modes(void)
{
    static const struct {
        const char *args;
        bool exec;
    } modes[] = {
        { "-machine rme -accel tcg", true },
        { "-machine rme,realm-exec=auto -accel tcg -cpu max", true },
        { "-machine rme,x-realm-exec=on -accel tcg", true },
        { "-machine rme,realm-exec=off -accel tcg", false },
        { "-machine rme -accel tcg -cpu cortex-a57", false },
        { "-machine rme -accel tcg -global rmm-emu.mailbox=on", false },
    };
    unsigned i;

    for (i = 0; i < G_N_ELEMENTS(modes); i++) {
        QTestState *qts = qtest_init(modes[i].args);

        g_test_message("%s", modes[i].args);
        g_assert_cmpint(qom_get_bool(qts, "/machine/rmm", "realm-exec"), ==,
                        modes[i].exec);
        /* Executing realms need the Realm state: EL3 and FEAT_RME. */
        if (modes[i].exec) {
            g_assert_true(qom_get_bool(qts, first_cpu_path(), "has_el3"));
        }
        qtest_quit(qts);
    }
}

static void test_rme_bad_rec_script(void)
{
    test_rme_refuses("rme -global rmm-emu.rec-script=host-call\\;nap",
                     "rmm-emu: rec-script: step 2 ('nap'): unknown step "
                     "'nap'");
}

/*
 * Every bad property value is refused at realize with a message naming
 * the property and what it accepts; none crashes QEMU.  (libqtest-free:
 * QEMU must exit by itself.)  The ';' are escaped for the shell.
 */
static const struct {
    const char *global;
    const char *why;
} bad_globals[] = {
    { "rec-script=\\;", "rec-script: step 1 (''): empty step" },
    { "rec-script=host-call\\;", "rec-script: step 2 (''): empty step" },
    { "rec-script=\\;host-call", "rec-script: step 1 (''): empty step" },
    { "rec-script=irq\\;\\;wfi", "rec-script: step 2 (''): empty step" },
    { "activate-donate-req=0x1000020",
      "activate-donate-req: reserved bits [63:18] set in 0x1000020" },
    { "activate-donate-req=0x1", "activate-donate-req: a request for 0 "
      "blocks" },
    { "rec-aux-count=100", "rec-aux-count: 100 auxiliary granules (0..16)" },
    { "feat-reg0=0", "feat-reg0: S2SZ [7:0] = 0 is not an IPA width" },
    { "feat-reg0=0x3140ff", "feat-reg0: S2SZ [7:0] = 255 is not an IPA "
      "width" },
    { "feat-reg1=0x14228", "feat-reg1: this RMM supports 4KB RMI granules "
      "only" },
    { "feat-reg2=1", "feat-reg2: device assignment is not modelled" },
    { "sro-contexts=0", "sro-contexts: 0 contexts (1..65535)" },
    { "dram-base=0x80000000", "rmm-emu.dram-base=0x80000000 disagrees with "
      "the machine's RAM (0x40000000)" },
    { "dram-size=0x1000", "rmm-emu.dram-size=0x1000 disagrees with the "
      "machine's RAM (0x8000000)" },
};

static void test_rme_bad_globals(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(bad_globals); i++) {
        g_autofree char *opts = g_strdup_printf("rme -global rmm-emu.%s",
                                                bad_globals[i].global);

        test_rme_refuses(opts, bad_globals[i].why);
    }
}

/* The machine's own values, and every default, are accepted. */
static void test_rme_good_globals(void)
{
    QTestState *qts = qtest_init("-machine rme -m 256M "
                                 "-global rmm-emu.dram-base=0x40000000 "
                                 "-global rmm-emu.dram-size=0x10000000 "
                                 "-global rmm-emu.rec-aux-count=16 "
                                 "-global rmm-emu.profile=2.0-bet3");
    g_autofree char *profile = qom_get_str(qts, "/machine/rmm", "profile");

    g_assert_cmpstr(profile, ==, "2.0-bet3");
    qtest_quit(qts);
}

static void test_rme_fdt_node(void)
{
    g_autofree char *dtb = g_strdup_printf("%s/rme-XXXXXX.dtb",
                                           g_get_tmp_dir());
    g_autofree char *args = NULL;
    g_autofree char *out = NULL;
    g_autofree char *blob = NULL;
    gsize len;
    int fd = g_mkstemp(dtb);

    g_assert_cmpint(fd, >=, 0);
    close(fd);
    args = g_strdup_printf("-machine rme,dumpdtb=%s -accel qtest "
                           "-display none", dtb);
    g_assert_true(exited_ok(run_qemu(args, &out, 60)));
    g_assert_true(g_file_get_contents(dtb, &blob, &len, NULL));
    unlink(dtb);
    g_assert_nonnull(memmem(blob, len, RMM_EMU_NODE, strlen(RMM_EMU_NODE)));
    g_assert_nonnull(memmem(blob, len, "qemu,rmm-emu", 13));
}

/*
 * Boot the guest image under TCG: it makes real SMC calls (RMI and PSCI),
 * checks every answer and prints a verdict before powering off.
 */
static void guest_boot(const char *profile)
{
    const char *elf = g_getenv("RMM_EMU_GUEST_ELF");
    g_autofree char *args = NULL;
    g_autofree char *out = NULL;
    int status;

    if (!elf || !g_file_test(elf, G_FILE_TEST_EXISTS)) {
        /* Built by the standalone project (make check sets the path). */
        g_test_skip("RMM_EMU_GUEST_ELF names no guest image");
        return;
    }
    /*
     * RMM_ACTIVATE asks for 8 non-contiguous 4K granules, UNDELEGATED
     * (0x20020: size L3, count 8, state [17] = 1; nothing can be
     * delegated before the RMM is active), and range delegation yields
     * every 64 granules, so the image runs the SRO donate and continue
     * paths for real.  Two CPUs, for the PSCI CPU_ON check.  Its realm
     * has no code: RECs play exit scripts (realm-exec=off).  Guest errors
     * are logged: the image enables its UART, so there are none.
     */
    args = g_strdup_printf("-machine rme,realm-exec=off -accel tcg -smp 2 "
                           "-m 512 -nographic "
                           "-nodefaults -serial stdio -no-reboot "
                           "-global rmm-emu.activate-donate-req=0x20020 "
                           "-global rmm-emu.delegate-yield-every=64 "
                           "-global rmm-emu.profile=%s -d guest_errors "
                           "-kernel %s", profile, elf);
    status = run_qemu(args, &out, 120);
    g_test_message("guest output:\n%s", out);
    g_assert_true(exited_ok(status));
    g_assert_nonnull(strstr(out, "RMM-EMU GUEST: PASS"));
    g_assert_null(strstr(out, "not ok"));
    g_assert_null(strstr(out, "disabled UART"));
    /* The image found the profile's bit layouts. */
    g_assert_nonnull(strstr(out, strcmp(profile, "2.0-bet3") ?
                                 "# RMI ABI: 2.0-bet1 bit layouts" :
                                 "# RMI ABI: 2.0-bet3 bit layouts"));
}

static void test_guest_boot(void)
{
    guest_boot("2.0-bet1");
}

static void test_guest_boot_bet3(void)
{
    guest_boot("2.0-bet3");
}

/*
 * Bounded calls: while the guest delegates all of its RAM (1.9 GiB in
 * one host-side loop), every RMI call stops after a bounded amount of
 * work, so the global lock is released between calls and QMP keeps
 * answering.  The slowest of many query-status round trips must stay
 * under 100 ms, and the guest must have delegated and undelegated every
 * granule.
 */
static void test_qmp_during_delegate_all(void)
{
    const char *elf = g_getenv("RMM_EMU_GUEST_DELEGATE_ALL_ELF");
    g_autofree char *log = g_strdup_printf("%s/rme-delegate-all-XXXXXX",
                                           g_get_tmp_dir());
    g_autofree char *out = NULL;
    QTestState *qts;
    gint64 worst = 0, t0, dt;
    unsigned samples = 0;
    int fd;

    if (!elf || !g_file_test(elf, G_FILE_TEST_EXISTS)) {
        g_test_skip("RMM_EMU_GUEST_DELEGATE_ALL_ELF is not built");
        return;
    }
    fd = g_mkstemp(log);
    g_assert_cmpint(fd, >=, 0);
    close(fd);
    qts = qtest_initf("-machine rme,realm-exec=off -accel tcg -m 2048 "
                      "-nodefaults -serial file:%s -no-shutdown -kernel %s",
                      log, elf);
    do {
        QDict *resp;

        t0 = g_get_monotonic_time();
        resp = qtest_qmp(qts, "{ 'execute': 'query-status' }");
        dt = g_get_monotonic_time() - t0;
        g_assert_true(qdict_haskey(resp, "return"));
        qobject_unref(resp);
        worst = MAX(worst, dt);
        samples++;
        g_free(out);
        g_assert_true(g_file_get_contents(log, &out, NULL, NULL));
        g_usleep(20 * 1000);
    } while (!strstr(out, "RMM-EMU GUEST:") && samples < 3000);
    qtest_quit(qts);
    unlink(log);

    g_test_message("guest output:\n%s", out);
    g_test_message("%u QMP round trips, slowest %" PRId64 " us", samples,
                   worst);
    g_assert_nonnull(strstr(out, "RMM-EMU GUEST: PASS"));
    g_assert_nonnull(strstr(out, "# delegate-all: [0x48000000, 0xc0000000)"));
    g_assert_cmpuint(samples, >=, 10);
    g_assert_cmpint(worst, <, 100 * 1000);
}

/*
 * x-cpu-el3: the CPUs have EL3 and FEAT_RME natively, no code runs at EL3,
 * and the same bare-metal image boots at NS-EL2 with PSCI over SMC and
 * passes every check, the granule protection ones included.
 */
static void test_cpu_el3(void)
{
    const char *elf = g_getenv("RMM_EMU_GUEST_ELF");
    g_autofree char *args = NULL;
    g_autofree char *out = NULL;
    QTestState *qts;

    qts = qtest_init("-machine rme,x-cpu-el3=on");
    g_assert_true(qom_get_bool(qts, first_cpu_path(), "has_el3"));
    g_assert_true(qom_get_bool(qts, "/machine", "x-cpu-el3"));
    qtest_quit(qts);
    qts = qtest_init("-machine rme");
    g_assert_false(qom_get_bool(qts, first_cpu_path(), "has_el3"));
    qtest_quit(qts);

    if (!elf || !g_file_test(elf, G_FILE_TEST_EXISTS)) {
        g_test_skip("RMM_EMU_GUEST_ELF names no guest image");
        return;
    }
    args = g_strdup_printf("-machine rme,x-cpu-el3=on,realm-exec=off "
                           "-accel tcg -smp 2 "
                           "-m 512 -nographic -nodefaults -serial stdio "
                           "-no-reboot -kernel %s", elf);
    g_assert_true(exited_ok(run_qemu(args, &out, 120)));
    g_test_message("guest output:\n%s", out);
    g_assert_nonnull(strstr(out, "# rmm-emu guest image: EL2, conduit smc"));
    g_assert_nonnull(strstr(out, "RMM-EMU GUEST: PASS"));
    g_assert_null(strstr(out, "not ok"));

}

/*
 * x-cpu-el3 with an image the generic loader starts (it resets the CPU
 * and sets its PC, as TF-A Tests boot): the image runs at NS-EL2 all the
 * same, and PSCI answers its SMC.  It prints "EL" and '0' + CurrentEL.EL
 * on the UART and calls PSCI SYSTEM_OFF.
 */
static void test_cpu_el3_generic_loader(void)
{
    static const uint32_t code[] = {
        0xd2a12001,     /* movz x1, #0x0900, lsl #16: the PL011 */
        0x528008a2,     /* movz w2, #'E' */
        0x39000022,     /* strb w2, [x1] */
        0x52800982,     /* movz w2, #'L' */
        0x39000022,     /* strb w2, [x1] */
        0xd5384240,     /* mrs  x0, CurrentEL */
        0xd342fc00,     /* lsr  x0, x0, #2 */
        0x9100c000,     /* add  x0, x0, #'0' */
        0x39000020,     /* strb w0, [x1] */
        0xd2b08000,     /* movz x0, #0x8400, lsl #16 */
        0xf2800100,     /* movk x0, #0x8: PSCI SYSTEM_OFF */
        0xd4000003,     /* smc  #0 */
        0x14000000,     /* b    . */
    };
    g_autofree char *bin = g_strdup_printf("%s/rme-el-XXXXXX",
                                           g_get_tmp_dir());
    g_autofree char *args = NULL;
    g_autofree char *out = NULL;
    int fd = g_mkstemp(bin);

    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(write(fd, code, sizeof(code)), ==, sizeof(code));
    close(fd);
    args = g_strdup_printf("-machine rme,x-cpu-el3=on -accel tcg -m 512 "
                           "-nographic -nodefaults -serial stdio -no-reboot "
                           "-device loader,file=%s,addr=0x48000000,"
                           "cpu-num=0", bin);
    g_assert_true(exited_ok(run_qemu(args, &out, 60)));
    unlink(bin);
    g_test_message("output: %s", out);
    g_assert_nonnull(strstr(out, "EL2"));
}

/*
 * Boot the image named by $@env with @machine_args under TCG, its UART
 * in a file, and wait for its verdict; the machine stays (-no-shutdown)
 * so that the test can ask the RMM afterwards.  NULL: no image built.
 */
static QTestState *boot_to_verdict(const char *env, const char *machine_args,
                                   char **out)
{
    const char *elf = g_getenv(env);
    g_autofree char *log = g_strdup_printf("%s/rme-guest-XXXXXX",
                                           g_get_tmp_dir());
    QTestState *qts;
    unsigned polls = 0;
    int fd;

    *out = NULL;
    if (!elf || !g_file_test(elf, G_FILE_TEST_EXISTS)) {
        g_test_skip("the guest image is not built");
        return NULL;
    }
    fd = g_mkstemp(log);
    g_assert_cmpint(fd, >=, 0);
    close(fd);
    qts = qtest_initf("%s -accel tcg -m 512 -nodefaults -serial file:%s "
                      "-no-shutdown -kernel %s", machine_args, log, elf);
    do {
        g_free(*out);
        g_usleep(50 * 1000);
        g_assert_true(g_file_get_contents(log, out, NULL, NULL));
    } while (!strstr(*out, "RMM-EMU GUEST:") && polls++ < 2400);
    unlink(log);
    g_test_message("guest output:\n%s", *out);
    g_assert_nonnull(strstr(*out, "RMM-EMU GUEST: PASS"));
    g_assert_null(strstr(*out, "not ok"));
    return qts;
}

/* After a guest's verdict: consistent, every realm gone, nothing held. */
static void assert_rmm_empty(QTestState *qts)
{
    rmm_qom_assert_consistent(qts);
    g_assert_cmpuint(rmm_qom_stat(qts, "stat-realms"), ==, 0);
    g_assert_cmpuint(rmm_qom_stat(qts, "stat-recs"), ==, 0);
    g_assert_cmpuint(rmm_qom_stat(qts, "stat-delegated"), ==, 0);
    g_assert_cmpuint(rmm_qom_stat(qts, "stat-sro-live"), ==, 0);
}

/*
 * The image named by env on four CPUs, each running a realm of its own
 * against one RMM; then the RMM's invariant check and census, with every
 * realm gone and every granule back.
 */
static void smp_realms(const char *env, const char *args)
{
    g_autofree char *out = NULL;
    QTestState *qts = boot_to_verdict(env, args, &out);

    if (!qts) {
        return;
    }
    g_assert_nonnull(strstr(out, "# 4 CPUs, each running a realm"));
    assert_rmm_empty(qts);
    qtest_quit(qts);
}

/*
 * Scripted realms (their RECs, their SRO operations, their memory) and
 * the granule protection checks.
 */
static void test_guest_smp(void)
{
    smp_realms("RMM_EMU_GUEST_SMP_ELF", "-machine rme,realm-exec=off -smp 4");
}

/*
 * By default a realm's code runs at R-EL1.  The host image builds a
 * realm around the payload (host-driver/guest/realm/payload.c), which
 * checks every RSI answer and injected exception itself, prints through
 * an emulated MMIO console and reports through a host call; after it,
 * the RMM's invariant check (stage-2 descriptors included) and census.
 */
static void realm_exec(const char *profile)
{
    g_autofree char *out = NULL;
    g_autofree char *args = g_strdup_printf("-machine rme -global "
                                            "rmm-emu.profile=%s", profile);
    QTestState *qts = boot_to_verdict("RMM_EMU_GUEST_REALM_ELF", args, &out);

    if (!qts) {
        return;
    }
    g_assert_true(qom_get_bool(qts, first_cpu_path(), "has_el3"));
    g_assert_true(qom_get_bool(qts, "/machine/rmm", "realm-exec"));
    g_assert_nonnull(strstr(out, "realm: Hello from a realm at R-EL1"));
    assert_rmm_empty(qts);
    qtest_quit(qts);
}

static void test_realm_exec(void)
{
    realm_exec("2.0-bet1");
}

/* The same in the 2.0-bet3 profile (AFFINITY_INFO answered in place). */
static void test_realm_exec_bet3(void)
{
    realm_exec("2.0-bet3");
}

/*
 * Four vCPUs at once, each running a realm of two RECs whose payload
 * checks itself (the second REC turned on by PSCI CPU_ON): concurrent
 * world switches under MTTCG, then the invariant check and census.
 */
static void test_realm_exec_smp(void)
{
    smp_realms("RMM_EMU_GUEST_SMP_REALM_ELF",
               "-machine rme,realm-exec=on -smp 4");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("rme/defaults", test_rme_defaults);
    qtest_add_func("rme/virt-unchanged", test_virt_unchanged);
    qtest_add_func("rme/refuses/virtualization-off",
                   test_rme_virtualization_off);
    qtest_add_func("rme/refuses/secure-on", test_rme_secure_on);
    qtest_add_func("rme/refuses/bad-profile", test_rme_bad_profile);
    qtest_add_func("rme/refuses/bad-rec-script", test_rme_bad_rec_script);
    qtest_add_func("rme/refuses/bad-globals", test_rme_bad_globals);
    qtest_add_func("rme/refuses/realm-exec", test_rme_realm_exec_bad);
    qtest_add_func("rme/realm-exec-modes", test_realm_exec_modes);
    qtest_add_func("rme/good-globals", test_rme_good_globals);
    qtest_add_func("rme/fdt-node", test_rme_fdt_node);
    qtest_add_func("rme/guest-boot", test_guest_boot);
    qtest_add_func("rme/guest-boot-bet3", test_guest_boot_bet3);
    qtest_add_func("rme/guest-smp", test_guest_smp);
    qtest_add_func("rme/cpu-el3", test_cpu_el3);
    qtest_add_func("rme/cpu-el3-generic-loader", test_cpu_el3_generic_loader);
    qtest_add_func("rme/realm-exec", test_realm_exec);
    qtest_add_func("rme/realm-exec-bet3", test_realm_exec_bet3);
    qtest_add_func("rme/realm-exec-smp", test_realm_exec_smp);
    qtest_add_func("rme/qmp-during-delegate-all",
                   test_qmp_during_delegate_all);

    return g_test_run();
}
