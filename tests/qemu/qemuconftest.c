/* qemuconftest.c: qemu.conf settings for QEMU's user (user, group, dynamic_ownership,
 * seccomp_sandbox), who QEMU runs as in each mode, and qcow2 backing chains */
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "qemu_conf.h"
#include "qemu_security.h"
#include "virerror.h"

static qemuDriver *
newDriver(bool privileged, bool embedded)
{
    qemuDriver *d = g_new0(qemuDriver, 1);

    d->privileged = privileged;
    d->embedded = embedded;
    d->dynamicOwnership = true;
    d->seccompSandbox = true;
    return d;
}

static void
freeDriver(qemuDriver *d)
{
    virSecurityIdentityFree(d->runAs);
    g_free(d->user);
    g_free(d->group);
    g_free(d->configDir);
    g_free(d);
}

static void
test_parse(void)
{
    qemuDriver *d = newDriver(true, false);

    g_assert_cmpint(qemuDriverConfigParse(d, "qemu.conf",
                                          "# libvirt's syntax\n"
                                          "user = \"+4242\"\n"
                                          "  group=\"kvm-or-whatever\"  \n"
                                          "dynamic_ownership = 0\n"
                                          "seccomp_sandbox = 0\n"
                                          "max_files = 4096\n"),
                    ==, 0);
    g_assert_cmpstr(d->user, ==, "+4242");
    g_assert_cmpstr(d->group, ==, "kvm-or-whatever");
    g_assert_false(d->dynamicOwnership);
    g_assert_false(d->seccompSandbox);

    /* bad values: CONF_SYNTAX naming the file, line and value */
    g_assert_cmpint(qemuDriverConfigParse(d, "qemu.conf", "user = root\n"), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_CONF_SYNTAX);
    g_assert_nonnull(strstr(virGetLastErrorMessage(),
                            "qemu.conf:1: user must be a quoted string, not 'root'"));
    g_assert_cmpint(qemuDriverConfigParse(d, "qemu.conf", "\ngroup = \"a\"b\"\n"), ==,
                    -1);
    g_assert_nonnull(strstr(virGetLastErrorMessage(), "qemu.conf:2: group must be"));
    g_assert_cmpint(qemuDriverConfigParse(d, "qemu.conf", "dynamic_ownership = 2\n"), ==,
                    -1);
    g_assert_nonnull(
        strstr(virGetLastErrorMessage(), "dynamic_ownership must be 0 or 1, not '2'"));
    g_assert_cmpint(qemuDriverConfigParse(d, "qemu.conf", "seccomp_sandbox = yes\n"), ==,
                    -1);

    /* graphics port windows, libvirt's keys and floors */
    d->ports = (qemuPortRanges)QEMU_PORT_RANGES_DEFAULT;
    g_assert_cmpint(qemuDriverConfigParse(d, "qemu.conf",
                                          "remote_display_port_min = 6000\n"
                                          "remote_display_port_max = 6019\n"
                                          "remote_websocket_port_min = 36000\n"
                                          "remote_websocket_port_max = 36019\n"),
                    ==, 0);
    g_assert_cmpint(d->ports.displayMin, ==, 6000);
    g_assert_cmpint(d->ports.displayMax, ==, 6019);
    g_assert_cmpint(d->ports.websocketMin, ==, 36000);
    g_assert_cmpint(d->ports.websocketMax, ==, 36019);
    g_assert_cmpint(
        qemuDriverConfigParse(d, "qemu.conf", "remote_display_port_min = 5899\n"), ==,
        -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_CONF_SYNTAX);
    g_assert_nonnull(strstr(virGetLastErrorMessage(),
                            "qemu.conf:1: remote_display_port_min: port must be a "
                            "number from 5900 to 65535, not '5899'"));
    g_assert_cmpint(
        qemuDriverConfigParse(d, "qemu.conf", "remote_websocket_port_max = 65536\n"), ==,
        -1);
    g_assert_cmpint(
        qemuDriverConfigParse(d, "qemu.conf", "remote_display_port_max = 5990\n"), ==,
        -1);
    g_assert_nonnull(
        strstr(virGetLastErrorMessage(), "min port must not be greater than max port"));
    virResetLastError();
    freeDriver(d);
}

static void
test_run_as(void)
{
    qemuDriver *d;

    /* system mode: numeric ids need no passwd entry */
    d = newDriver(true, false);
    d->user = g_strdup("+4242");
    d->group = g_strdup("+4343");
    g_assert_cmpint(qemuDriverResolveRunAs(d), ==, 0);
    g_assert_nonnull(d->runAs);
    g_assert_cmpuint(d->runAs->uid, ==, 4242);
    g_assert_cmpuint(d->runAs->gid, ==, 4343);
    g_assert_cmpuint(d->runAs->ngroups, ==, 0);
    freeDriver(d);

    /* a user that does not exist: INVALID_ARG naming it */
    d = newDriver(true, false);
    d->configDir = g_strdup("/nonexistent");
    d->user = g_strdup("vk-no-such-user");
    g_assert_cmpint(qemuDriverResolveRunAs(d), ==, -1);
    g_assert_cmpstr(virGetLastErrorMessage(), ==,
                    "invalid argument: Failed to parse user 'vk-no-such-user' "
                    "(set in /nonexistent/qemu.conf)");
    g_assert_null(d->runAs);
    freeDriver(d);

    /* system mode: the group defaults to virtkit-qemu, which must exist */
    d = newDriver(true, false);
    d->user = g_strdup("+4242");
    if (qemuDriverResolveRunAs(d) < 0)
        g_assert_cmpstr(virGetLastErrorMessage(), ==,
                        "invalid argument: Failed to parse group 'virtkit-qemu' (QEMU's "
                        "default group in system mode: 'make deps' or systemd-sysusers "
                        "creates it)");
    else
        g_assert_cmpuint(d->runAs->uid, ==, 4242);
    freeDriver(d);

    /* embed mode (root), "+N" without a passwd entry and no group: no
     * group to take */
    d = newDriver(false, true);
    d->user = g_strdup("+4242");
    if (geteuid() == 0) {
        g_assert_cmpint(qemuDriverResolveRunAs(d), ==, -1);
        g_assert_nonnull(
            strstr(virGetLastErrorMessage(), "user '+4242' has no primary group"));
    }
    freeDriver(d);

    /* embed mode (never "privileged"): as the caller unless configured;
     * then as configured, when the caller is root */
    d = newDriver(false, true);
    g_assert_cmpint(qemuDriverResolveRunAs(d), ==, 0);
    g_assert_null(d->runAs);
    d->user = g_strdup("+4242");
    d->group = g_strdup("+4343");
    g_assert_cmpint(qemuDriverResolveRunAs(d), ==, 0);
    if (geteuid() == 0) {
        g_assert_nonnull(d->runAs);
        g_assert_cmpuint(d->runAs->uid, ==, 4242);
        g_assert_cmpuint(d->runAs->gid, ==, 4343);
    } else {
        g_assert_null(d->runAs);
    }
    freeDriver(d);

    /* session mode: never switches, whatever qemu.conf says */
    d = newDriver(false, false);
    d->user = g_strdup("vk-no-such-user");
    g_assert_cmpint(qemuDriverResolveRunAs(d), ==, 0);
    g_assert_null(d->runAs);
    freeDriver(d);
    virResetLastError();
}

static void
qemuImg(const char *const *argv)
{
    int status = -1;

    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL,
                               G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
                               NULL, NULL, NULL, &status, NULL));
    g_assert_true(g_spawn_check_wait_status(status, NULL));
}

static void
test_backing_chain(void)
{
    g_autofree char *dir = g_dir_make_tmp("vkchain-XXXXXX", NULL);
    g_autofree char *base = g_build_filename(dir, "base.raw", NULL);
    g_autofree char *mid = g_build_filename(dir, "mid.qcow2", NULL);
    g_autofree char *top = g_build_filename(dir, "top.qcow2", NULL);
    g_autoptr(GPtrArray) chain = NULL;
    g_autofree char *qemuimg = g_find_program_in_path("qemu-img");

    if (!qemuimg) {
        g_test_skip("qemu-img not installed");
        return;
    }
    qemuImg((const char *const[]){ "qemu-img", "create", "-q", "-f", "raw", base, "1M",
                                   NULL });
    /* absolute backing name with its format recorded */
    qemuImg((const char *const[]){ "qemu-img", "create", "-q", "-f", "qcow2", "-b", base,
                                   "-F", "raw", mid, NULL });
    /* relative backing name (resolved against the image's directory) */
    qemuImg((const char *const[]){ "qemu-img", "create", "-q", "-f", "qcow2", "-b",
                                   "mid.qcow2", "-F", "qcow2", top, NULL });

    chain = qemuSecurityBackingChain(top, VIR_STORAGE_FORMAT_QCOW2);
    g_assert_cmpuint(chain->len, ==, 2);
    g_assert_cmpstr(g_ptr_array_index(chain, 0), ==, mid);
    g_assert_cmpstr(g_ptr_array_index(chain, 1), ==, base);
    g_clear_pointer(&chain, g_ptr_array_unref);

    /* a raw image (or one given as raw) has no chain */
    chain = qemuSecurityBackingChain(top, VIR_STORAGE_FORMAT_RAW);
    g_assert_cmpuint(chain->len, ==, 0);
    g_clear_pointer(&chain, g_ptr_array_unref);
    chain = qemuSecurityBackingChain(base, VIR_STORAGE_FORMAT_QCOW2);
    g_assert_cmpuint(chain->len, ==, 0);
    g_clear_pointer(&chain, g_ptr_array_unref);

    /* a missing image: no chain, no crash (QEMU reports it) */
    chain = qemuSecurityBackingChain("/nonexistent/x.qcow2", VIR_STORAGE_FORMAT_QCOW2);
    g_assert_cmpuint(chain->len, ==, 0);
    g_clear_pointer(&chain, g_ptr_array_unref);

    unlink(top);
    unlink(mid);
    unlink(base);
    rmdir(dir);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qemu/conf/parse-user-settings", test_parse);
    g_test_add_func("/qemu/conf/run-as", test_run_as);
    g_test_add_func("/qemu/security/backing-chain", test_backing_chain);
    return g_test_run();
}
