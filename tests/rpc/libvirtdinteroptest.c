/* libvirtdinteroptest.c: our client (API -> remote driver -> rpc) against the real libvirtd 9.0 */
/*
 * Needs root (to run libvirtd as "nobody" in session mode in a private
 * directory), /usr/sbin/libvirtd, setpriv and qemu-system-x86_64; skips
 * otherwise. Threads: the test body on the main thread; the application
 * event loop (virEventRunDefaultImpl) in loopThread; event and close
 * callbacks record into Seen under its lock and are waited for with
 * deadlines. The only process started is libvirtd (and the QEMU it
 * starts, which it kills on destroy); it is stopped by its pid.
 */
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libvirt/libvirt.h>

#define LIBVIRTD "/usr/sbin/libvirtd"
#define NOBODY 65534
#define DEADLINE_US (60 * G_USEC_PER_SEC)

static const char guestXML[] = "<domain type='qemu'>\n"
                               "  <name>vkinterop</name>\n"
                               "  <memory unit='KiB'>65536</memory>\n"
                               "  <vcpu>1</vcpu>\n"
                               "  <os><type arch='x86_64' machine='pc'>hvm</type></os>\n"
                               "</domain>\n";

typedef struct {
    GMutex lock;
    GCond cond;
    GString *events; /* "0/0 2/0 ..." event/detail pairs */
    int closes;
    int closeReason;
} Seen;

static Seen seen;
static char *dir;
static char *sockpath;
static GPid daemonPid;

static int
lifecycleCb(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
    if (strcmp(virDomainGetName(dom), "vkinterop") != 0)
        return 0;
    g_mutex_lock(&seen.lock);
    g_string_append_printf(seen.events, "%d/%d ", event, detail);
    g_cond_broadcast(&seen.cond);
    g_mutex_unlock(&seen.lock);
    return 0;
}

static void
closeCb(virConnectPtr conn, int reason, void *opaque)
{
    g_mutex_lock(&seen.lock);
    seen.closes++;
    seen.closeReason = reason;
    g_cond_broadcast(&seen.cond);
    g_mutex_unlock(&seen.lock);
}

/* Wait until the event list contains @needle. */
static bool
waitEvent(const char *needle)
{
    gint64 end = g_get_monotonic_time() + DEADLINE_US;
    bool ok;

    g_mutex_lock(&seen.lock);
    while (!strstr(seen.events->str, needle)) {
        if (!g_cond_wait_until(&seen.cond, &seen.lock, end))
            break;
    }
    ok = strstr(seen.events->str, needle) != NULL;
    g_mutex_unlock(&seen.lock);
    return ok;
}

static void
quietErrors(void *opaque, virErrorPtr err)
{
}

static gpointer
loopThread(gpointer opaque)
{
    for (;;)
        virEventRunDefaultImpl();
    return NULL;
}

static void
chownTree(const char *path)
{
    g_assert_cmpint(chown(path, NOBODY, NOBODY), ==, 0);
}

/* Start libvirtd as nobody, in session mode, with everything under @dir.
 * Returns once its socket accepts connections (or fails the test). */
static void
startLibvirtd(void)
{
    g_autofree char *home = g_strdup_printf("HOME=%s", dir);
    g_autofree char *run = g_build_filename(dir, "run", NULL);
    g_autofree char *xdg = g_strdup_printf("XDG_RUNTIME_DIR=%s", run);
    const char *argv[] = {
        "setpriv",
        "--reuid=65534",
        "--regid=65534",
        "--clear-groups",
        "env",
        "-i",
        home,
        xdg,
        "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
        LIBVIRTD,
        "--timeout",
        "300",
        NULL,
    };
    g_autoptr(GError) err = NULL;
    gint64 end = g_get_monotonic_time() + DEADLINE_US;

    g_assert_cmpint(g_mkdir_with_parents(run, 0700), ==, 0);
    chownTree(dir);
    chownTree(run);
    g_assert_true(g_spawn_async(dir, (char **)argv, NULL,
                                G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD |
                                    G_SPAWN_STDOUT_TO_DEV_NULL |
                                    G_SPAWN_STDERR_TO_DEV_NULL,
                                NULL, NULL, &daemonPid, &err));
    sockpath = g_build_filename(run, "libvirt", "libvirt-sock", NULL);
    /* Poll for the socket with a deadline (it appears once libvirtd listens). */
    while (!g_file_test(sockpath, G_FILE_TEST_EXISTS)) {
        g_assert_cmpint(g_get_monotonic_time(), <, end);
        g_usleep(20 * 1000);
    }
}

static void
stopLibvirtd(void)
{
    int status;

    if (daemonPid <= 0)
        return;
    kill(daemonPid, SIGTERM);
    waitpid(daemonPid, &status, 0);
    daemonPid = 0;
}

/* Typed parameters between our remote driver and libvirtd's (de)serializer,
 * on libvirtd's test:///default: weight=50, a set checked by libvirt's
 * test driver, its errors unchanged. */
static void
testSchedulerOverLibvirtd(void)
{
    g_autofree char *uri = g_strdup_printf("test+unix:///default?socket=%s", sockpath);
    virConnectPtr conn = virConnectOpen(uri);
    virDomainPtr dom;
    virTypedParameter params[4];
    virTypedParameter set[2];
    char *type;
    int n = -1;

    g_assert_nonnull(conn);
    dom = virDomainLookupByName(conn, "test");
    g_assert_nonnull(dom);
    type = virDomainGetSchedulerType(dom, &n);
    g_assert_cmpstr(type, ==, "fair");
    g_assert_cmpint(n, ==, 1);
    free(type);

    memset(params, 0, sizeof(params));
    n = 4;
    g_assert_cmpint(virDomainGetSchedulerParameters(dom, params, &n), ==, 0);
    g_assert_cmpint(n, ==, 1);
    g_assert_cmpstr(params[0].field, ==, "weight");
    g_assert_cmpint(params[0].type, ==, VIR_TYPED_PARAM_UINT);
    g_assert_cmpuint(params[0].value.ui, ==, 50);
    /* libvirt's test driver refuses the STRING_OKAY both public layers add */
    g_assert_cmpint(virDomainGetSchedulerParametersFlags(dom, params, &n, 0), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_ARG);
    g_assert_cmpstr(
        virGetLastErrorMessage(), ==,
        "unsupported flags (0x4) in function testDomainGetSchedulerParametersFlags");

    memset(set, 0, sizeof(set));
    strcpy(set[0].field, "weight");
    set[0].type = VIR_TYPED_PARAM_UINT;
    set[0].value.ui = 100;
    g_assert_cmpint(virDomainSetSchedulerParameters(dom, set, 1), ==, 0);
    /* a string goes over the wire (STRING_OKAY) and is refused by type there */
    set[1].type = VIR_TYPED_PARAM_STRING;
    strcpy(set[1].field, "weight");
    set[1].value.s = (char *)"x";
    g_assert_cmpint(virDomainSetSchedulerParameters(dom, set + 1, 1), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_ARG);
    g_assert_cmpstr(virGetLastErrorMessage(), ==,
                    "invalid argument: invalid type 'string' "
                    "for parameter 'weight', expected 'uint'");
    strcpy(set[1].field, "cap");
    set[1].type = VIR_TYPED_PARAM_UINT;
    g_assert_cmpint(virDomainSetSchedulerParameters(dom, set, 2), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_ARGUMENT_UNSUPPORTED);
    g_assert_cmpstr(virGetLastErrorMessage(), ==,
                    "argument unsupported: parameter 'cap' not supported");
    virDomainFree(dom);
    virConnectClose(conn);
}

static void
testInterop(void)
{
    g_autofree char *uri = NULL;
    virConnectPtr conn;
    virDomainPtr dom;
    virErrorPtr err;
    unsigned long ver = 0;
    int state = -1;
    int reason = -1;
    int cbid;
    gint64 end;
    g_autofree char *setpriv = g_find_program_in_path("setpriv");
    g_autofree char *qemu = g_find_program_in_path("qemu-system-x86_64");

    if (geteuid() != 0 || !g_file_test(LIBVIRTD, G_FILE_TEST_IS_EXECUTABLE) || !setpriv ||
        !qemu) {
        g_test_skip("needs root, libvirtd, setpriv and qemu-system-x86_64");
        return;
    }
    dir = g_dir_make_tmp("vkinterop-XXXXXX", NULL);
    g_assert_nonnull(dir);
    startLibvirtd();

    uri = g_strdup_printf("qemu+unix:///session?socket=%s", sockpath);
    /* The socket file may exist a moment before libvirtd accepts. */
    end = g_get_monotonic_time() + DEADLINE_US;
    while (!(conn = virConnectOpen(uri))) {
        g_assert_cmpint(g_get_monotonic_time(), <, end);
        g_usleep(20 * 1000);
    }

    g_assert_cmpstr(virConnectGetType(conn), ==, "QEMU");
    g_assert_cmpint(virConnectGetLibVersion(conn, &ver), ==, 0);
    g_assert_cmpuint(ver, >=, 9000000);
    g_assert_cmpint(virConnectIsAlive(conn), ==, 1);

    /* libvirtd's own error, unchanged. */
    g_assert_null(virDomainLookupByName(conn, "nosuch"));
    err = virGetLastError();
    g_assert_nonnull(err);
    g_assert_cmpint(err->code, ==, VIR_ERR_NO_DOMAIN);
    g_assert_cmpint(err->domain, ==, VIR_FROM_QEMU);
    g_assert_cmpstr(err->message, ==,
                    "Domain not found: no domain with matching name 'nosuch'");

    cbid = virConnectDomainEventRegisterAny(
        conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
        (virConnectDomainEventGenericCallback)(void (*)(void))lifecycleCb, NULL, NULL);
    g_assert_cmpint(cbid, >=, 0);
    g_assert_cmpint(virConnectRegisterCloseCallback(conn, closeCb, NULL, NULL), ==, 0);

    dom = virDomainDefineXML(conn, guestXML);
    g_assert_nonnull(dom);
    g_assert_true(waitEvent("0/0 ")); /* DEFINED/ADDED */
    g_assert_cmpint((int)virDomainGetID(dom), ==, -1);

    g_assert_cmpint(virDomainCreate(dom), ==, 0);
    /* DOMAIN_CREATE + LOOKUP_BY_UUID gave us the live id. */
    g_assert_cmpint((int)virDomainGetID(dom), >, 0);
    g_assert_true(waitEvent("2/0 ")); /* STARTED/BOOTED */
    g_assert_cmpint(virDomainGetState(dom, &state, &reason, 0), ==, 0);
    g_assert_cmpint(state, ==, VIR_DOMAIN_RUNNING);
    g_assert_cmpint(reason, ==, 1);

    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    g_assert_true(waitEvent("5/1 ")); /* STOPPED/DESTROYED */
    g_assert_cmpint(virDomainGetState(dom, &state, &reason, 0), ==, 0);
    g_assert_cmpint(state, ==, VIR_DOMAIN_SHUTOFF);
    g_assert_cmpint(reason, ==, 2);
    g_assert_cmpint(virDomainUndefine(dom), ==, 0);
    g_assert_true(waitEvent("1/0 ")); /* UNDEFINED/REMOVED */
    virDomainFree(dom);
    g_assert_cmpint(virConnectDomainEventDeregisterAny(conn, cbid), ==, 0);

    testSchedulerOverLibvirtd();

    /* The daemon dies: reported as EOF, the connection is dead. */
    stopLibvirtd();
    end = g_get_monotonic_time() + DEADLINE_US;
    g_mutex_lock(&seen.lock);
    while (seen.closes == 0 && g_cond_wait_until(&seen.cond, &seen.lock, end))
        ;
    g_assert_cmpint(seen.closes, ==, 1);
    g_assert_cmpint(seen.closeReason, ==, VIR_CONNECT_CLOSE_REASON_EOF);
    g_mutex_unlock(&seen.lock);
    g_assert_cmpint(virConnectIsAlive(conn), ==, 0);
    g_assert_null(virDomainLookupByName(conn, "vkinterop"));
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INTERNAL_ERROR);
    g_assert_cmpstr(virGetLastErrorMessage(), ==,
                    "internal error: client socket is closed");
    virConnectClose(conn);
}

int
main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    g_mutex_init(&seen.lock);
    g_cond_init(&seen.cond);
    seen.events = g_string_new(NULL);
    virSetErrorFunc(NULL, quietErrors);
    g_assert_cmpint(virEventRegisterDefaultImpl(), ==, 0);
    g_thread_unref(g_thread_new("app-loop", loopThread, NULL));
    g_test_add_func("/remote/libvirtd/lifecycle-events-death", testInterop);
    ret = g_test_run();
    stopLibvirtd();
    if (dir) {
        g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);
        ret |= system(cmd) != 0;
    }
    return ret;
}
