/* sessionautostarttest.c: qemu:///session starts the per-user virtkitd on first use, as libvirt */
/*
 * Everything lives in a private XDG tree (set before GLib caches the user
 * directories). The daemon is started by the library, not by us; we stop
 * it by the pid in its lock file and wait for it to go with a deadline.
 * Single-threaded test body.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <libvirt/libvirt.h>

#define DEADLINE_US (30 * G_USEC_PER_SEC)

static char *root;

static char *
xdgPath(const char *a, const char *b)
{
    return g_build_filename(root, a, b, NULL);
}

static int
daemonPid(void)
{
    g_autofree char *lock =
        g_build_filename(root, "run", "virtkit", "virtkitd.lock", NULL);
    g_autofree char *text = NULL;

    if (!g_file_get_contents(lock, &text, NULL, NULL))
        return -1;
    return atoi(text);
}

static void
quietErrors(void *opaque, virErrorPtr err)
{
}

static void
testAutostart(void)
{
    g_autofree char *sock = xdgPath("run", "virtkit/virtkit-sock");
    virConnectPtr conn;
    virConnectPtr conn2;
    int pid;
    int pid2;
    gint64 end;

    g_assert_false(g_file_test(sock, G_FILE_TEST_EXISTS));
    conn = virConnectOpen("qemu:///session");
    g_assert_nonnull(conn);
    g_assert_true(g_file_test(sock, G_FILE_TEST_EXISTS));
    g_assert_cmpstr(virConnectGetType(conn), ==, "QEMU");
    g_assert_cmpint(virConnectNumOfDomains(conn), ==, 0);
    pid = daemonPid();
    g_assert_cmpint(pid, >, 0);

    /* A second client finds the running daemon: no new one. */
    conn2 = virConnectOpen("qemu:///session");
    g_assert_nonnull(conn2);
    pid2 = daemonPid();
    g_assert_cmpint(pid2, ==, pid);
    virConnectClose(conn2);
    virConnectClose(conn);

    g_assert_cmpint(kill(pid, SIGTERM), ==, 0);
    end = g_get_monotonic_time() + DEADLINE_US;
    while (kill(pid, 0) == 0 || errno != ESRCH) {
        g_assert_cmpint(g_get_monotonic_time(), <, end);
        g_usleep(20 * 1000);
    }
}

int
main(int argc, char **argv)
{
    g_autofree char *run = NULL;
    int ret;

    g_test_init(&argc, &argv, NULL);
    if (!g_getenv("VIRTKITD")) {
        g_test_skip("VIRTKITD not set");
        return g_test_run();
    }
    root = g_dir_make_tmp("vksession-XXXXXX", NULL);
    g_assert_nonnull(root);
    run = g_build_filename(root, "run", NULL);
    g_assert_cmpint(g_mkdir(run, 0700), ==, 0);
    g_setenv("XDG_RUNTIME_DIR", run, TRUE);
    g_setenv("XDG_CONFIG_HOME", g_build_filename(root, "config", NULL), TRUE);
    g_setenv("XDG_DATA_HOME", g_build_filename(root, "data", NULL), TRUE);
    g_setenv("XDG_CACHE_HOME", g_build_filename(root, "cache", NULL), TRUE);
    g_unsetenv("VIRTKIT_DEFAULT_URI");
    g_unsetenv("LIBVIRT_DEFAULT_URI");
    virSetErrorFunc(NULL, quietErrors);

    g_test_add_func("/remote/session/autostart", testAutostart);
    ret = g_test_run();
    {
        g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", root);
        ret |= system(cmd) != 0;
    }
    return ret;
}
