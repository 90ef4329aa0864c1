/* qemulifecycletest.c: the QEMU driver's lifecycle against the real QEMU (TCG) and the test guest */

/*
 * Threads: the main thread runs the test cases; one thread runs the
 * default event loop (virEventRunDefaultImpl) and pushes every lifecycle
 * and reboot event, with the state read at delivery, onto an async queue
 * that the cases pop with deadlines. Nothing sleeps for a fixed time: the
 * guest's console is watched with inotify, processes with pidfds.
 * Every QEMU started is recorded and killed by pid at the end of its case.
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "virtkit-config.h"

#define EVENT_REBOOT (-1)
#define DEADLINE_S 240 /* generous: TCG on a loaded host is slow */

typedef struct {
    char *name;
    int type; /* VIR_DOMAIN_EVENT_* or EVENT_REBOOT */
    int detail;
    int state; /* virDomainGetState at delivery */
    int reason;
} TestEvent;

static GAsyncQueue *testEvents;
static char *guestDir;   /* vmlinuz + initrd.gz */
static GArray *testPids; /* QEMU pids started by the current case */

/* pidfds of the current case's QEMUs: a failed assertion aborts the
 * process, and the SIGABRT handler still kills every one of them (pidfds
 * cannot hit a recycled pid; pidfd_send_signal is async-signal-safe); so
 * does meson's SIGTERM at a timeout (the QEMUs run in sessions of their
 * own: the signal to our process group misses them). */
#define MAX_CASE_PIDFDS 64
static int casePidfds[MAX_CASE_PIDFDS];
static volatile sig_atomic_t nCasePidfds;

static void
abortHandler(int sig)
{
    for (int i = 0; i < nCasePidfds; i++)
        syscall(SYS_pidfd_send_signal, casePidfds[i], SIGKILL, NULL, 0);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void
testEventFree(gpointer data)
{
    TestEvent *ev = data;

    if (!ev)
        return;
    g_free(ev->name);
    g_free(ev);
}

static int
lifecycleCb(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
    TestEvent *ev = g_new0(TestEvent, 1);

    ev->name = g_strdup(virDomainGetName(dom));
    ev->type = event;
    ev->detail = detail;
    if (virDomainGetState(dom, &ev->state, &ev->reason, 0) < 0)
        ev->state = ev->reason = -1; /* gone (transient) */
    g_async_queue_push(testEvents, ev);
    return 0;
}

static void
rebootCb(virConnectPtr conn, virDomainPtr dom, void *opaque)
{
    TestEvent *ev = g_new0(TestEvent, 1);

    ev->name = g_strdup(virDomainGetName(dom));
    ev->type = EVENT_REBOOT;
    g_async_queue_push(testEvents, ev);
}

static void
quietErrors(void *opaque, virErrorPtr err)
{
    /* expected errors are checked with virGetLastError */
}

static gpointer
eventLoopThread(gpointer data)
{
    for (;;)
        virEventRunDefaultImpl();
    return NULL;
}

/* ---- fixtures ---------------------------------------------------------- */

typedef struct {
    char *root;
    char *uri;
    virConnectPtr conn;
    GPtrArray *seen; /* events popped while waiting for another */
} Fixture;

static void
fixtureRegister(Fixture *f)
{
    g_assert_cmpint(virConnectDomainEventRegisterAny(
                        f->conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                        (virConnectDomainEventGenericCallback)(void (*)(void))lifecycleCb,
                        NULL, NULL),
                    >=, 0);
    g_assert_cmpint(virConnectDomainEventRegisterAny(
                        f->conn, NULL, VIR_DOMAIN_EVENT_ID_REBOOT,
                        (virConnectDomainEventGenericCallback)(void (*)(void))rebootCb,
                        NULL, NULL),
                    >=, 0);
}

/* A fresh embed root; @graceSec > 0 writes it as the driver setting. */
static void
fixtureSetup(Fixture *f, int graceSec)
{
    TestEvent *ev;

    while ((ev = g_async_queue_try_pop(testEvents)))
        testEventFree(ev);
    g_array_set_size(testPids, 0);
    f->root = g_dir_make_tmp("vkqemu-XXXXXX", NULL);
    g_assert_nonnull(f->root);
    if (graceSec > 0) {
        g_autofree char *etc = g_build_filename(f->root, "etc", NULL);
        g_autofree char *conf = g_build_filename(etc, "qemu.conf", NULL);
        g_autofree char *text =
            g_strdup_printf("# test\ndestroy_grace_period = %d\n", graceSec);

        g_assert_cmpint(g_mkdir_with_parents(etc, 0755), ==, 0);
        g_assert_true(g_file_set_contents(conf, text, -1, NULL));
    }
    f->uri = g_strdup_printf("qemu:///embed?root=%s", f->root);
    f->conn = virConnectOpen(f->uri);
    g_assert_nonnull(f->conn);
    f->seen = g_ptr_array_new_with_free_func(testEventFree);
    fixtureRegister(f);
}

static void
killPid(pid_t pid)
{
    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    struct pollfd pfd;

    if (pidfd < 0)
        return;
    syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
    pfd.fd = pidfd;
    pfd.events = POLLIN;
    poll(&pfd, 1, 10000);
    close(pidfd);
}

static void
fixtureTeardown(Fixture *f)
{
    g_autofree char *cmd = NULL;

    /* Every QEMU this case started dies here, by pid. */
    for (guint i = 0; i < testPids->len; i++)
        killPid(g_array_index(testPids, pid_t, i));
    while (nCasePidfds > 0) {
        nCasePidfds = nCasePidfds - 1;
        close(casePidfds[nCasePidfds]);
    }
    virConnectClose(f->conn);
    cmd = g_strdup_printf("rm -rf '%s'", f->root);
    g_assert_true(g_spawn_command_line_sync(cmd, NULL, NULL, NULL, NULL));
    g_ptr_array_unref(f->seen);
    g_free(f->root);
    g_free(f->uri);
}

/* Pop events until one for @name matches @type (and @detail unless -1). */
static TestEvent *
waitEvent(Fixture *f, const char *name, int type, int detail)
{
    gint64 deadline = g_get_monotonic_time() + DEADLINE_S * G_USEC_PER_SEC;

    for (;;) {
        gint64 left = deadline - g_get_monotonic_time();
        TestEvent *ev;

        if (left <= 0 || !(ev = g_async_queue_timeout_pop(testEvents, left))) {
            g_test_message("no event type %d detail %d for '%s' before the deadline",
                           type, detail, name);
            g_assert_not_reached();
        }
        g_ptr_array_add(f->seen, ev);
        if (g_str_equal(ev->name, name) && ev->type == type &&
            (detail < 0 || ev->detail == detail))
            return ev;
    }
}

/* Count the events of @type for @name seen so far. */
static unsigned int
countSeen(Fixture *f, const char *name, int type)
{
    unsigned int n = 0;

    for (guint i = 0; i < f->seen->len; i++) {
        TestEvent *ev = g_ptr_array_index(f->seen, i);

        if (g_str_equal(ev->name, name) && ev->type == type)
            n++;
    }
    return n;
}

/* Define-and-undefine a throwaway domain and wait for its events: every
 * event queued before it has then been delivered (events keep order). */
static void
eventBarrier(Fixture *f)
{
    const char *xml =
        "<domain type='qemu'><name>barrier</name><memory unit='MiB'>64</memory>"
        "<os><type arch='x86_64' machine='q35'>hvm</type></os>"
        "<features><acpi/></features></domain>";
    virDomainPtr dom = virDomainDefineXML(f->conn, xml);

    g_assert_nonnull(dom);
    g_assert_cmpint(virDomainUndefine(dom), ==, 0);
    virDomainFree(dom);
    waitEvent(f, "barrier", VIR_DOMAIN_EVENT_UNDEFINED, -1);
}

typedef struct {
    bool kernel;      /* boot the test guest (else firmware only) */
    const char *disk; /* qcow2 image on vda, or NULL */
    const char *extraCmdline;
    const char *onPoweroff;
    const char *onReboot;
    int graceSec; /* per-domain override, -1 none */
} GuestOpts;

static char *
guestXML(Fixture *f, const char *name, const GuestOpts *o)
{
    GString *x = g_string_new(NULL);

    g_string_append_printf(x, "<domain type='qemu'>\n  <name>%s</name>\n", name);
    g_string_append(x, "  <memory unit='MiB'>256</memory>\n  <vcpu>1</vcpu>\n  <os>\n"
                       "    <type arch='x86_64' machine='q35'>hvm</type>\n");
    if (o->kernel)
        g_string_append_printf(
            x,
            "    <kernel>%s/vmlinuz</kernel>\n"
            "    <initrd>%s/initrd.gz</initrd>\n"
            "    <cmdline>console=ttyS0 no_timer_check cryptomgr.notests quiet%s%s</cmdline>\n",
            guestDir, guestDir, o->extraCmdline ? " " : "",
            o->extraCmdline ? o->extraCmdline : "");
    g_string_append(x, "  </os>\n  <features><acpi/></features>\n");
    if (o->onPoweroff)
        g_string_append_printf(x, "  <on_poweroff>%s</on_poweroff>\n", o->onPoweroff);
    if (o->onReboot)
        g_string_append_printf(x, "  <on_reboot>%s</on_reboot>\n", o->onReboot);
    if (o->graceSec >= 0)
        g_string_append_printf(x,
                               "  <metadata><virtkit:lifecycle "
                               "xmlns:virtkit='http://virtkit.invalid/xmlns/lifecycle/1' "
                               "destroy-grace-period='%d'/></metadata>\n",
                               o->graceSec);
    g_string_append(x, "  <devices>\n");
    if (o->disk)
        g_string_append_printf(x,
                               "    <disk type='file' device='disk'><driver name='qemu' "
                               "type='qcow2'/><source file='%s'/>"
                               "<target dev='vda' bus='virtio'/></disk>\n",
                               o->disk);
    g_string_append_printf(
        x,
        "    <serial type='file'><source path='%s/%s.serial'/></serial>\n"
        "  </devices>\n</domain>\n",
        f->root, name);
    return g_string_free(x, FALSE);
}

static char *
serialPath(Fixture *f, const char *name)
{
    return g_strdup_printf("%s/%s.serial", f->root, name);
}

/* Wait (inotify, deadline) until the guest's console shows @needle
 * @count times. */
static void
waitSerial(Fixture *f, const char *name, const char *needle, unsigned int count)
{
    g_autofree char *path = serialPath(f, name);
    gint64 deadline = g_get_monotonic_time() + DEADLINE_S * G_USEC_PER_SEC;
    int ifd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);

    g_assert_cmpint(ifd, >=, 0);
    g_assert_cmpint(inotify_add_watch(ifd, path, IN_MODIFY | IN_CLOSE_WRITE), >=, 0);
    for (;;) {
        g_autofree char *text = NULL;
        unsigned int n = 0;
        const char *p;
        struct pollfd pfd = { .fd = ifd, .events = POLLIN };
        gint64 left;
        char buf[4096];

        if (g_file_get_contents(path, &text, NULL, NULL)) {
            for (p = text; (p = strstr(p, needle)); p += strlen(needle))
                n++;
        }
        if (n >= count)
            break;
        left = deadline - g_get_monotonic_time();
        if (left <= 0) {
            size_t len = text ? strlen(text) : 0;

            /* what the guest got to: the console's last 2 KB (a stalled
             * boot has been seen under load; its cause is not known yet) */
            g_test_message("console of '%s' never showed '%s' x%u; its last bytes:\n%s",
                           name, needle, count,
                           text ? text + (len > 2048 ? len - 2048 : 0) : "(unreadable)");
            g_assert_not_reached();
        }
        if (poll(&pfd, 1, (int)(left / 1000) + 1) > 0)
            while (read(ifd, buf, sizeof(buf)) > 0)
                ;
    }
    close(ifd);
}

/* The QEMU pid recorded in @name's status file, remembered for cleanup
 * (the case's teardown and the abort handler kill it), or 0 when there is
 * no status file or no pid in it. Asserts nothing: also used on the way
 * to a failure. */
static pid_t
recordQemuPid(Fixture *f, const char *name)
{
    g_autofree char *path = g_strdup_printf("%s/run/%s.xml", f->root, name);
    g_autofree char *text = NULL;
    const char *p;
    pid_t pid;

    if (!g_file_get_contents(path, &text, NULL, NULL) || !(p = strstr(text, " pid='")))
        return 0;
    pid = (pid_t)g_ascii_strtoll(p + 6, NULL, 10);
    if (pid <= 1)
        return 0;
    g_array_append_val(testPids, pid);
    if (nCasePidfds < MAX_CASE_PIDFDS) {
        int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);

        if (pidfd >= 0) {
            casePidfds[nCasePidfds] = pidfd;
            nCasePidfds = nCasePidfds + 1;
        }
    }
    return pid;
}

/* The QEMU pid recorded in the status file (and remember it for cleanup). */
static pid_t
qemuPid(Fixture *f, const char *name)
{
    pid_t pid = recordQemuPid(f, name);

    g_assert_cmpint(pid, >, 1);
    return pid;
}

static void
assertState(virDomainPtr dom, int state, int reason)
{
    int s = -1, r = -1;

    g_assert_cmpint(virDomainGetState(dom, &s, &r, 0), ==, 0);
    g_assert_cmpint(s, ==, state);
    if (reason >= 0)
        g_assert_cmpint(r, ==, reason);
}

static void
assertError(int code, int domain, const char *msg)
{
    virErrorPtr err = virGetLastError();

    g_assert_nonnull(err);
    g_assert_cmpint(err->code, ==, code);
    g_assert_cmpint(err->domain, ==, domain);
    if (msg)
        g_assert_cmpstr(err->message, ==, msg);
}

/* True once the process is gone (zombie or reaped). */
static bool
pidGone(pid_t pid)
{
    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
    bool gone;

    if (pidfd < 0)
        return errno == ESRCH;
    gone = poll(&pfd, 1, 0) > 0;
    close(pidfd);
    return gone;
}

/* SIGSTOP @pid (a QEMU started by the driver in this process, so our
 * child) and wait until the stop has taken effect. */
static void
waitStopped(pid_t pid)
{
    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    siginfo_t info;

    g_assert_cmpint(pidfd, >=, 0);
    g_assert_cmpint(syscall(SYS_pidfd_send_signal, pidfd, SIGSTOP, NULL, 0), ==, 0);
    /* WNOWAIT: observe the stop without consuming anything the driver reaps */
    g_assert_cmpint(
        waitid((idtype_t)3 /* P_PIDFD */, (id_t)pidfd, &info, WSTOPPED | WNOWAIT), ==, 0);
    g_assert_cmpint(info.si_code, ==, CLD_STOPPED);
    close(pidfd);
}

/* Start the test guest (transient) and wait until it is ready. */
static virDomainPtr
startGuest(Fixture *f, const char *name, const GuestOpts *o, bool waitReady)
{
    g_autofree char *xml = guestXML(f, name, o);
    virDomainPtr dom = virDomainCreateXML(f->conn, xml, 0);

    if (!dom)
        g_test_message("start failed: %s", virGetLastErrorMessage());
    g_assert_nonnull(dom);
    qemuPid(f, name);
    if (waitReady)
        waitSerial(f, name, "GUEST-READY", 1);
    return dom;
}

/* ---- cases ------------------------------------------------------------- */

static void
testStartRunning(void)
{
    Fixture f;
    GuestOpts o = { .kernel = true, .graceSec = -1 };
    virDomainPtr dom;
    TestEvent *ev;
    pid_t pid;
    g_autofree char *log = NULL;
    g_autofree char *logpath = NULL;

    fixtureSetup(&f, 0);
    dom = startGuest(&f, "run1", &o, false);
    pid = qemuPid(&f, "run1");
    assertState(dom, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED);
    g_assert_cmpint(virDomainIsActive(dom), ==, 1);
    g_assert_cmpint(virDomainIsPersistent(dom), ==, 0);
    g_assert_cmpint(virDomainGetID(dom), >, 0);

    /* libvirt 9.0's order: RESUMED/UNPAUSED (from 'cont') then STARTED/BOOTED */
    ev = waitEvent(&f, "run1", VIR_DOMAIN_EVENT_RESUMED,
                   VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
    g_assert_cmpuint(countSeen(&f, "run1", VIR_DOMAIN_EVENT_STARTED), ==, 0);
    ev = waitEvent(&f, "run1", VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED);
    (void)ev;

    /* QEMU leads its own session, so it outlives us */
    g_assert_cmpint(getsid(pid), ==, pid);
    /* the log has the header line, the argv, then QEMU's own output */
    logpath = g_strdup_printf("%s/log/run1.log", f.root);
    g_assert_true(g_file_get_contents(logpath, &log, NULL, NULL));
    g_assert_nonnull(strstr(log, ": starting up virtkit version: "));
    g_assert_nonnull(strstr(log, "qemu-system-x86_64"));
    g_assert_nonnull(strstr(log, "-no-shutdown"));

    waitSerial(&f, "run1", "GUEST-READY", 1);
    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    g_assert_true(pidGone(pid));
    /* transient: gone after destroy */
    g_assert_null(virDomainLookupByName(f.conn, "run1"));
    waitEvent(&f, "run1", VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_DESTROYED);
    eventBarrier(&f);
    g_assert_cmpuint(countSeen(&f, "run1", VIR_DOMAIN_EVENT_STOPPED), ==, 1);
    g_free(log);
    log = NULL;
    g_assert_true(g_file_get_contents(logpath, &log, NULL, NULL));
    g_assert_nonnull(strstr(log, "shutting down, reason=destroyed"));
    virDomainFree(dom);
    fixtureTeardown(&f);
}

static void
testStartPaused(void)
{
    Fixture f;
    GuestOpts o = { .kernel = true, .graceSec = -1 };
    g_autofree char *xml = NULL;
    virDomainPtr dom;

    fixtureSetup(&f, 0);
    xml = guestXML(&f, "paused1", &o);
    dom = virDomainDefineXML(f.conn, xml);
    g_assert_nonnull(dom);
    waitEvent(&f, "paused1", VIR_DOMAIN_EVENT_DEFINED, VIR_DOMAIN_EVENT_DEFINED_ADDED);
    g_assert_cmpint(virDomainCreateWithFlags(dom, VIR_DOMAIN_START_PAUSED), ==, 0);
    qemuPid(&f, "paused1");
    assertState(dom, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER);
    waitEvent(&f, "paused1", VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED);
    waitEvent(&f, "paused1", VIR_DOMAIN_EVENT_SUSPENDED,
              VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);

    /* start of a running domain */
    g_assert_cmpint(virDomainCreate(dom), ==, -1);
    assertError(VIR_ERR_OPERATION_INVALID, VIR_FROM_QEMU,
                "Requested operation is not valid: domain is already running");
    /* shutdown of a paused domain */
    g_assert_cmpint(virDomainShutdown(dom), ==, -1);
    assertError(VIR_ERR_OPERATION_INVALID, VIR_FROM_QEMU,
                "Requested operation is not valid: domain is not running");

    g_assert_cmpint(virDomainResume(dom), ==, 0);
    assertState(dom, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNPAUSED);
    waitEvent(&f, "paused1", VIR_DOMAIN_EVENT_RESUMED, VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    /* persistent: still defined, shut off (destroyed), next id is higher */
    assertState(dom, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_DESTROYED);
    g_assert_cmpint(virDomainUndefine(dom), ==, 0);
    virDomainFree(dom);
    fixtureTeardown(&f);
}

static void
testAcpiShutdown(void)
{
    Fixture f;
    GuestOpts o = { .kernel = true, .graceSec = -1 };
    virDomainPtr dom;
    TestEvent *ev;
    pid_t pid;

    fixtureSetup(&f, 0);
    dom = startGuest(&f, "acpi1", &o, true);
    pid = qemuPid(&f, "acpi1");
    g_assert_cmpint(virDomainShutdownFlags(dom, VIR_DOMAIN_SHUTDOWN_GUEST_AGENT), ==, -1);
    assertError(VIR_ERR_ARGUMENT_UNSUPPORTED, VIR_FROM_QEMU,
                "argument unsupported: QEMU guest agent is not configured");
    g_assert_cmpint(virDomainShutdown(dom), ==, 0);

    ev = waitEvent(&f, "acpi1", VIR_DOMAIN_EVENT_SHUTDOWN,
                   VIR_DOMAIN_EVENT_SHUTDOWN_GUEST);
    /* At delivery the domain is in shutdown, or already shut off by the
     * STOPPED that follows; never paused or running. */
    g_test_message("state at SHUTDOWN event: %d/%d", ev->state, ev->reason);
    g_assert_true(
        ev->state == VIR_DOMAIN_SHUTDOWN || ev->state == -1 ||
        (ev->state == VIR_DOMAIN_SHUTOFF && ev->reason == VIR_DOMAIN_SHUTOFF_SHUTDOWN));
    waitEvent(&f, "acpi1", VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN);
    g_assert_cmpuint(countSeen(&f, "acpi1", VIR_DOMAIN_EVENT_SUSPENDED), ==, 0);
    g_assert_true(pidGone(pid));
    g_assert_null(virDomainLookupByName(f.conn, "acpi1"));
    virDomainFree(dom);
    fixtureTeardown(&f);
}

static void
testShutdownNoAcpiHandler(void)
{
    Fixture f;
    GuestOpts o = { .kernel = false, .graceSec = -1 };
    virDomainPtr dom;

    fixtureSetup(&f, 0);
    dom = startGuest(&f, "fw1", &o, false);
    g_assert_cmpint(virDomainShutdown(dom), ==, 0);
    assertState(dom, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED);
    /* QEMU answered a later command after the powerdown: still running */
    g_assert_cmpint(virDomainSuspend(dom), ==, 0);
    g_assert_cmpint(virDomainResume(dom), ==, 0);
    assertState(dom, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNPAUSED);
    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    waitEvent(&f, "fw1", VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_DESTROYED);
    g_assert_cmpuint(countSeen(&f, "fw1", VIR_DOMAIN_EVENT_SHUTDOWN), ==, 0);
    virDomainFree(dom);
    fixtureTeardown(&f);
}

static void
testDestroyGraceful(void)
{
    Fixture f;
    GuestOpts o = { .kernel = true, .graceSec = -1 };
    virDomainPtr dom;
    pid_t pid;

    fixtureSetup(&f, 0);
    /* the destroy acts on QEMU, not on the guest: no need to wait for its
     * boot to end (~2 CPU s under TCG) */
    dom = startGuest(&f, "gd1", &o, false);
    pid = qemuPid(&f, "gd1");
    g_assert_cmpint(virDomainDestroyFlags(dom, VIR_DOMAIN_DESTROY_GRACEFUL), ==, 0);
    g_assert_true(pidGone(pid));
    waitEvent(&f, "gd1", VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_DESTROYED);
    eventBarrier(&f);
    g_assert_cmpuint(countSeen(&f, "gd1", VIR_DOMAIN_EVENT_STOPPED), ==, 1);
    /* destroy of a domain that no longer exists (transient) */
    g_assert_cmpint(virDomainDestroy(dom), ==, -1);
    assertError(VIR_ERR_NO_DOMAIN, VIR_FROM_QEMU, NULL);
    virDomainFree(dom);
    fixtureTeardown(&f);
}

static void
testDestroyGracefulHung(void)
{
    Fixture f;
    GuestOpts o = { .kernel = true, .graceSec = -1 };
    virDomainPtr dom;
    pid_t pid;
    g_autofree char *msg = NULL;

    fixtureSetup(&f, 1);
    /* (QEMU is stopped mid-boot: the destroy acts on the process) */
    dom = startGuest(&f, "gh1", &o, false);
    pid = qemuPid(&f, "gh1");
    waitStopped(pid);

    g_assert_cmpint(virDomainDestroyFlags(dom, VIR_DOMAIN_DESTROY_GRACEFUL), ==, -1);
    msg = g_strdup_printf("Failed to terminate process %d with SIGTERM: "
                          "Device or resource busy",
                          (int)pid);
    assertError(VIR_ERR_SYSTEM_ERROR, VIR_FROM_QEMU, msg);
    g_assert_cmpint(virGetLastError()->int1, ==, EBUSY);
    assertState(dom, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED);
    g_assert_false(pidGone(pid));

    /* usable again once continued */
    g_assert_cmpint(kill(pid, SIGCONT), ==, 0);
    g_assert_cmpint(virDomainSuspend(dom), ==, 0);
    assertState(dom, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER);
    g_assert_cmpint(virDomainResume(dom), ==, 0);
    assertState(dom, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNPAUSED);
    g_assert_false(pidGone(pid));
    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    waitEvent(&f, "gh1", VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_DESTROYED);
    virDomainFree(dom);
    fixtureTeardown(&f);
}

static void
testDestroyHungEscalates(void)
{
    Fixture f;
    GuestOpts o = { .kernel = true, .graceSec = 1 }; /* per-domain override */
    virDomainPtr dom;
    pid_t pid;

    fixtureSetup(&f, 0);
    /* (QEMU is stopped mid-boot: the destroy acts on the process) */
    dom = startGuest(&f, "gk1", &o, false);
    pid = qemuPid(&f, "gk1");
    waitStopped(pid);
    /* a stopped process cannot act on SIGTERM: only SIGKILL ends it */
    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    g_assert_true(pidGone(pid));
    waitEvent(&f, "gk1", VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_DESTROYED);
    virDomainFree(dom);
    fixtureTeardown(&f);
}

static void
testKill9(void)
{
    Fixture f;
    GuestOpts o = { .kernel = true, .graceSec = -1 };
    virDomainPtr dom;
    TestEvent *ev;
    pid_t pid;

    fixtureSetup(&f, 0);
    dom = startGuest(&f, "k9", &o, false);
    pid = qemuPid(&f, "k9");
    g_assert_cmpint(kill(pid, SIGKILL), ==, 0);
    ev = waitEvent(&f, "k9", VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_FAILED);
    (void)ev;
    /* transient: removed */
    g_assert_null(virDomainLookupByName(f.conn, "k9"));
    assertError(VIR_ERR_NO_DOMAIN, VIR_FROM_QEMU,
                "Domain not found: no domain with matching name 'k9'");
    virDomainFree(dom);
    fixtureTeardown(&f);
}

static void
testKill9Persistent(void)
{
    Fixture f;
    GuestOpts o = { .kernel = true, .graceSec = -1 };
    g_autofree char *xml = NULL;
    g_autofree char *logpath = NULL;
    g_autofree char *log = NULL;
    virDomainPtr dom;
    pid_t pid;
    int firstId;

    fixtureSetup(&f, 0);
    xml = guestXML(&f, "k9p", &o);
    g_assert_nonnull((dom = virDomainDefineXML(f.conn, xml)));
    g_assert_cmpint(virDomainCreate(dom), ==, 0);
    pid = qemuPid(&f, "k9p");
    firstId = (int)virDomainGetID(dom);
    g_assert_cmpint(firstId, >, 0);
    g_assert_cmpint(kill(pid, SIGKILL), ==, 0);
    waitEvent(&f, "k9p", VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_FAILED);
    assertState(dom, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_CRASHED);
    logpath = g_strdup_printf("%s/log/k9p.log", f.root);
    g_assert_true(g_file_get_contents(logpath, &log, NULL, NULL));
    g_assert_nonnull(strstr(log, "shutting down, reason=crashed"));
    /* it starts again, with a new, higher id */
    g_assert_cmpint(virDomainCreate(dom), ==, 0);
    qemuPid(&f, "k9p");
    {
        virDomainPtr again = virDomainLookupByName(f.conn, "k9p");

        g_assert_nonnull(again);
        g_assert_cmpint(virDomainGetID(again), >, firstId);
        virDomainFree(again);
    }
    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    g_assert_cmpint(virDomainUndefine(dom), ==, 0);
    virDomainFree(dom);
    fixtureTeardown(&f);
}

static void
testSuspendResume(void)
{
    Fixture f;
    GuestOpts o = { .kernel = true, .graceSec = -1 };
    virDomainPtr dom;

    fixtureSetup(&f, 0);
    dom = startGuest(&f, "sr1", &o, false);
    g_assert_cmpint(virDomainSuspend(dom), ==, 0);
    assertState(dom, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER);
    waitEvent(&f, "sr1", VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
    /* QEMU driver quirk: suspending a paused domain is a no-op success */
    g_assert_cmpint(virDomainSuspend(dom), ==, 0);
    g_assert_cmpint(virDomainResume(dom), ==, 0);
    assertState(dom, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNPAUSED);
    waitEvent(&f, "sr1", VIR_DOMAIN_EVENT_RESUMED, VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
    g_assert_cmpint(virDomainResume(dom), ==, -1);
    assertError(VIR_ERR_OPERATION_INVALID, VIR_FROM_QEMU,
                "Requested operation is not valid: domain is already running");
    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    virDomainFree(dom);
    fixtureTeardown(&f);
}

/* Reboot, reset and on_poweroff=restart on one guest (a boot is ~2 CPU s
 * under TCG): on_poweroff does not change what a reboot or a reset does. */
static void
testReboot(void)
{
    Fixture f;
    GuestOpts o = { .kernel = true, .onPoweroff = "restart", .graceSec = -1 };
    virDomainPtr dom;

    fixtureSetup(&f, 0);
    dom = startGuest(&f, "rb1", &o, true);
    g_assert_cmpint(virDomainReboot(dom, 0), ==, 0);
    waitEvent(&f, "rb1", EVENT_REBOOT, -1);
    /* the guest boots again and is ready a second time */
    waitSerial(&f, "rb1", "GUEST-READY", 2);
    assertState(dom, VIR_DOMAIN_RUNNING, -1);
    g_assert_cmpuint(countSeen(&f, "rb1", VIR_DOMAIN_EVENT_SHUTDOWN), ==, 0);
    g_assert_cmpuint(countSeen(&f, "rb1", VIR_DOMAIN_EVENT_STOPPED), ==, 0);
    g_assert_cmpuint(countSeen(&f, "rb1", VIR_DOMAIN_EVENT_SUSPENDED), ==, 0);

    /* on_poweroff=restart: the guest powered off boots again, never stopped */
    g_assert_cmpint(virDomainShutdown(dom), ==, 0);
    waitEvent(&f, "rb1", EVENT_REBOOT, -1);
    waitSerial(&f, "rb1", "GUEST-READY", 3);
    assertState(dom, VIR_DOMAIN_RUNNING, -1);
    g_assert_cmpuint(countSeen(&f, "rb1", VIR_DOMAIN_EVENT_STOPPED), ==, 0);

    /* reset: a 'reboot' event, still running */
    g_assert_cmpint(virDomainReset(dom, 0), ==, 0);
    waitEvent(&f, "rb1", EVENT_REBOOT, -1);
    assertState(dom, VIR_DOMAIN_RUNNING, -1);
    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    virDomainFree(dom);
    fixtureTeardown(&f);
}

static void
testOnRebootDestroy(void)
{
    Fixture f;
    GuestOpts o = { .kernel = true, .onReboot = "destroy", .graceSec = -1 };
    virDomainPtr dom;
    pid_t pid;

    fixtureSetup(&f, 0);
    dom = startGuest(&f, "ord", &o, true);
    pid = qemuPid(&f, "ord");
    /* a reboot that on_reboot=destroy turns into the end of the guest */
    g_assert_cmpint(virDomainReboot(dom, 0), ==, 0);
    waitEvent(&f, "ord", VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN);
    g_assert_cmpuint(countSeen(&f, "ord", EVENT_REBOOT), ==, 0);
    g_assert_true(pidGone(pid));
    virDomainFree(dom);
    fixtureTeardown(&f);
}

static void
qemuImgCheck(const char *image)
{
    g_autofree char *cmd = g_strdup_printf("qemu-img check -q '%s'", image);
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    int status = -1;

    g_assert_true(g_spawn_command_line_sync(cmd, &out, &err, &status, NULL));
    if (!g_spawn_check_wait_status(status, NULL))
        g_test_message("qemu-img check: %s%s", out, err);
    g_assert_true(g_spawn_check_wait_status(status, NULL));
}

static void
testQcow2(bool viaShutdown)
{
    Fixture f;
    g_autofree char *image = NULL;
    g_autofree char *cmd = NULL;
    GuestOpts o = { .kernel = true,
                    .extraCmdline = "virtkit.writedisk=1",
                    .graceSec = -1 };
    virDomainPtr dom;
    int status = -1;

    fixtureSetup(&f, 0);
    image = g_strdup_printf("%s/disk.qcow2", f.root);
    cmd = g_strdup_printf("qemu-img create -q -f qcow2 '%s' 64M", image);
    g_assert_true(g_spawn_command_line_sync(cmd, NULL, NULL, &status, NULL));
    g_assert_true(g_spawn_check_wait_status(status, NULL));
    o.disk = image;
    dom = startGuest(&f, "disk1", &o, false);
    waitSerial(&f, "disk1", "GUEST-DISK-WRITTEN", 1);
    waitSerial(&f, "disk1", "GUEST-READY", 1);
    if (viaShutdown) {
        g_assert_cmpint(virDomainShutdown(dom), ==, 0);
        waitEvent(&f, "disk1", VIR_DOMAIN_EVENT_STOPPED,
                  VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN);
    } else {
        g_assert_cmpint(virDomainDestroyFlags(dom, VIR_DOMAIN_DESTROY_GRACEFUL), ==, 0);
    }
    qemuImgCheck(image);
    virDomainFree(dom);
    fixtureTeardown(&f);
}

static void
testQcow2Destroy(void)
{
    testQcow2(false);
}

static void
testQcow2Shutdown(void)
{
    testQcow2(true);
}

typedef struct {
    virDomainPtr dom;
    int rc;
    gint done;
} SuspendCall;

static gpointer
suspendThread(gpointer data)
{
    SuspendCall *c = data;

    c->rc = virDomainSuspend(c->dom);
    g_atomic_int_set(&c->done, 1);
    return NULL;
}

static void
testHungDoesNotBlockOthers(void)
{
    Fixture f;
    GuestOpts o = { .kernel = true, .graceSec = -1 };
    virDomainPtr hung;
    virDomainPtr other;
    SuspendCall call = { 0 };
    GThread *th;
    pid_t pid;

    fixtureSetup(&f, 1);
    /* neither needs its guest booted: the hang is QEMU's (SIGSTOP), the
     * calls on the other are QEMU's (a boot to GUEST-READY is ~1.5 CPU s
     * under TCG) */
    hung = startGuest(&f, "hung", &o, false);
    other = startGuest(&f, "other", &o, false);
    pid = qemuPid(&f, "hung");
    waitStopped(pid);

    /* A call stuck on the hung QEMU (it waits for a reply that cannot come) */
    call.dom = hung;
    th = g_thread_new("suspend-hung", suspendThread, &call);
    /* ... while calls on the other domain complete */
    g_assert_cmpint(virDomainSuspend(other), ==, 0);
    g_assert_cmpint(virDomainResume(other), ==, 0);
    assertState(other, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNPAUSED);
    g_assert_cmpint(virConnectNumOfDomains(f.conn), ==, 2);
    /* ... and state queries on the hung one too */
    assertState(hung, VIR_DOMAIN_RUNNING, -1);
    g_assert_cmpint(g_atomic_int_get(&call.done), ==, 0);

    /* destroy works on it and releases the stuck call */
    g_assert_cmpint(virDomainDestroy(hung), ==, 0);
    g_thread_join(th);
    g_assert_cmpint(call.rc, ==, -1);
    g_assert_true(pidGone(pid));
    g_assert_cmpint(virDomainDestroy(other), ==, 0);
    virDomainFree(hung);
    virDomainFree(other);
    fixtureTeardown(&f);
}

static void
testErrors(void)
{
    Fixture f;
    GuestOpts o = { .kernel = true, .graceSec = -1 };
    g_autofree char *xml = NULL;
    virDomainPtr dom;
    const char *notRunning = "Requested operation is not valid: domain is not running";

    fixtureSetup(&f, 0);
    xml = guestXML(&f, "err1", &o);
    g_assert_nonnull((dom = virDomainDefineXML(f.conn, xml)));

    g_assert_cmpint(virDomainDestroy(dom), ==, -1);
    assertError(VIR_ERR_OPERATION_INVALID, VIR_FROM_DOMAIN, notRunning);
    g_assert_cmpint(virDomainSuspend(dom), ==, -1);
    assertError(VIR_ERR_OPERATION_INVALID, VIR_FROM_DOMAIN, notRunning);
    g_assert_cmpint(virDomainResume(dom), ==, -1);
    assertError(VIR_ERR_OPERATION_INVALID, VIR_FROM_DOMAIN, notRunning);
    g_assert_cmpint(virDomainReboot(dom, 0), ==, -1);
    assertError(VIR_ERR_OPERATION_INVALID, VIR_FROM_DOMAIN, notRunning);
    g_assert_cmpint(virDomainShutdown(dom), ==, -1);
    assertError(VIR_ERR_OPERATION_INVALID, VIR_FROM_QEMU, notRunning);
    g_assert_cmpint(virDomainShutdownFlags(dom, 4), ==, -1);
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_QEMU,
                "unsupported flags (0x4) in function qemuDomainShutdownFlags");
    g_assert_cmpint(virDomainDestroyFlags(dom, 4), ==, -1);
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_QEMU,
                "unsupported flags (0x4) in function qemuDomainDestroyFlags");

    g_assert_null(virDomainLookupByName(f.conn, "nosuch"));
    assertError(VIR_ERR_NO_DOMAIN, VIR_FROM_QEMU,
                "Domain not found: no domain with matching name 'nosuch'");
    g_assert_null(virDomainLookupByID(f.conn, 999));
    assertError(VIR_ERR_NO_DOMAIN, VIR_FROM_QEMU,
                "Domain not found: no domain with matching id 999");

    /* the QEMU driver's lifecycle rejections change nothing */
    {
        const char *bad[] = {
            "<on_poweroff>preserve</on_poweroff>",
            "<on_reboot>rename-restart</on_reboot>",
            "<on_poweroff>restart</on_poweroff><on_reboot>destroy</on_reboot>"
        };

        for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
            g_autofree char *x =
                g_strdup_printf("<domain type='qemu'><name>bad%zu</name>"
                                "<memory unit='MiB'>64</memory><os><type "
                                "arch='x86_64' machine='q35'>hvm</type></os>"
                                "<features><acpi/></features>"
                                "%s</domain>",
                                i, bad[i]);

            g_assert_null(virDomainDefineXML(f.conn, x));
            assertError(VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_QEMU, NULL);
            g_assert_null(virDomainLookupByName(f.conn, "bad0"));
        }
    }

    /* undefine of a running persistent domain: transient, keeps running */
    g_assert_cmpint(virDomainSetAutostart(dom, 1), ==, 0);
    {
        int autostart = 0;

        g_assert_cmpint(virDomainGetAutostart(dom, &autostart), ==, 0);
        g_assert_cmpint(autostart, ==, 1);
    }
    g_assert_cmpint(virDomainCreate(dom), ==, 0);
    qemuPid(&f, "err1");
    g_assert_cmpint(virDomainUndefine(dom), ==, 0);
    waitEvent(&f, "err1", VIR_DOMAIN_EVENT_UNDEFINED, VIR_DOMAIN_EVENT_UNDEFINED_REMOVED);
    g_assert_cmpint(virDomainIsPersistent(dom), ==, 0);
    assertState(dom, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED);
    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    g_assert_null(virDomainLookupByName(f.conn, "err1"));
    virDomainFree(dom);
    fixtureTeardown(&f);
}

/* ---- reconnect (a second process re-opens the root) --------------------- */

/* In a subprocess: define and start a persistent guest, then exit without
 * stopping it (its QEMU lives on in its own session); unless the job's
 * third line says "started", only once the guest is ready. */
static void
reconnectChild(void)
{
    g_autofree char *job =
        g_build_filename(g_getenv("VKQEMU_TEST_BASE"), "reconnect-job", NULL);
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    const char *root;
    const char *name;
    g_autofree char *uri = NULL;
    Fixture f = { 0 };
    GuestOpts o = { .kernel = true, .graceSec = -1 };
    g_autofree char *xml = NULL;
    virConnectPtr conn;
    virDomainPtr dom;
    bool waitReady;

    g_assert_true(g_file_get_contents(job, &text, NULL, NULL));
    lines = g_strsplit(text, "\n", -1);
    root = lines[0];
    name = lines[1];
    waitReady = !lines[2] || strcmp(lines[2], "started") != 0;
    f.root = (char *)root;
    uri = g_strdup_printf("qemu:///embed?root=%s", root);
    xml = guestXML(&f, name, &o);
    conn = virConnectOpen(uri);

    g_assert_nonnull(conn);
    g_assert_nonnull((dom = virDomainDefineXML(conn, xml)));
    g_assert_cmpint(virDomainCreate(dom), ==, 0);
    /* a failure from here on (a guest that never boots) kills the QEMU it
     * started (abortHandler); only a child that passes leaves it running */
    qemuPid(&f, name);
    if (waitReady)
        waitSerial(&f, name, "GUEST-READY", 1);
    _exit(0);
}

/* The subprocess learns which root and guest through a file under the
 * base directory (the environment cannot change once threads run). */
static void
runReconnectChild(Fixture *f, const char *name, bool waitReady)
{
    g_autofree char *job =
        g_build_filename(g_getenv("VKQEMU_TEST_BASE"), "reconnect-job", NULL);
    g_autofree char *text =
        g_strdup_printf("%s\n%s\n%s\n", f->root, name, waitReady ? "ready" : "started");

    g_assert_true(g_file_set_contents(job, text, -1, NULL));
    g_test_trap_subprocess("/qemu/reconnect/child", 300 * G_USEC_PER_SEC,
                           G_TEST_SUBPROCESS_INHERIT_STDERR);
    if (!g_test_trap_has_passed()) {
        /* a child killed at its timeout could not kill its QEMU: the
         * status file names it, and our abort kills it */
        recordQemuPid(f, name);
    }
    g_test_trap_assert_passed();
}

static void
testReconnectChildCase(void)
{
    if (g_test_subprocess())
        reconnectChild();
    /* only meaningful as a subprocess */
}

/* Like fixtureSetup, but the root is filled by a child process first. */
static void
reconnectSetup(Fixture *f)
{
    TestEvent *ev;

    while ((ev = g_async_queue_try_pop(testEvents)))
        testEventFree(ev);
    g_array_set_size(testPids, 0);
    f->root = g_dir_make_tmp("vkqemu-XXXXXX", NULL);
    f->uri = g_strdup_printf("qemu:///embed?root=%s", f->root);
    f->seen = g_ptr_array_new_with_free_func(testEventFree);
}

static void
testReconnectSeed(void)
{
    Fixture f;
    virDomainPtr dom;
    pid_t pid;
    TestEvent *ev;

    reconnectSetup(&f);
    /* killed at once: its guest need not boot (~1.5 CPU s under TCG) */
    runReconnectChild(&f, "seed", false);
    pid = qemuPid(&f, "seed");
    /* QEMU dies while no driver is running */
    killPid(pid);
    g_assert_true(pidGone(pid));

    g_assert_nonnull((f.conn = virConnectOpen(f.uri)));
    fixtureRegister(&f);
    g_assert_nonnull((dom = virDomainLookupByName(f.conn, "seed")));
    g_assert_cmpint(virDomainIsPersistent(dom), ==, 1);
    assertState(dom, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_CRASHED);
    ev = waitEvent(&f, "seed", VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_FAILED);
    (void)ev;
    /* and it starts again */
    g_assert_cmpint(virDomainCreate(dom), ==, 0);
    qemuPid(&f, "seed");
    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    virDomainFree(dom);
    fixtureTeardown(&f);
}

static void
testReconnectRunning(void)
{
    Fixture f;
    virDomainPtr dom;
    pid_t pid;

    reconnectSetup(&f);
    runReconnectChild(&f, "live", true);
    pid = qemuPid(&f, "live");
    g_assert_false(pidGone(pid));

    g_assert_nonnull((f.conn = virConnectOpen(f.uri)));
    fixtureRegister(&f);
    g_assert_nonnull((dom = virDomainLookupByName(f.conn, "live")));
    assertState(dom, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED);
    /* usable: the monitor is reconnected (the call waits for the reconnect job) */
    g_assert_cmpint(virDomainSuspend(dom), ==, 0);
    waitEvent(&f, "live", VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
    g_assert_cmpint(virDomainResume(dom), ==, 0);
    g_assert_cmpint(virDomainShutdown(dom), ==, 0);
    waitEvent(&f, "live", VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN);
    assertState(dom, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_SHUTDOWN);
    g_assert_true(pidGone(pid));
    virDomainFree(dom);
    fixtureTeardown(&f);
}

/* Read one QMP line from @fd into @buf (blocking; QEMU answers at once). */
static void
qmpReadLine(int fd, char *buf, size_t len)
{
    size_t off = 0;

    while (off + 1 < len) {
        ssize_t n = read(fd, buf + off, 1);

        g_assert_cmpint(n, ==, 1);
        if (buf[off++] == '\n')
            break;
    }
    buf[off] = '\0';
}

/* Power the guest off ourselves through its monitor socket while no driver
 * watches it, and wait for QEMU's SHUTDOWN event (-no-shutdown keeps
 * QEMU alive in status 'shutdown'). */
static void
powerOffBehindDriversBack(Fixture *f, const char *name)
{
    g_autofree char *status = g_strdup_printf("%s/run/%s.xml", f->root, name);
    g_autofree char *text = NULL;
    g_autofree char *path = NULL;
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    char line[65536];
    const char *p;
    const char *cmds = "{\"execute\":\"system_powerdown\"}\n";
    int fd;

    g_assert_true(g_file_get_contents(status, &text, NULL, NULL));
    g_assert_nonnull((p = strstr(text, "<monitor path='")));
    p += strlen("<monitor path='");
    path = g_strndup(p, strchr(p, '\'') - p);
    g_strlcpy(addr.sun_path, path, sizeof(addr.sun_path));
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    g_assert_cmpint(connect(fd, (struct sockaddr *)&addr, sizeof(addr)), ==, 0);
    qmpReadLine(fd, line, sizeof(line));
    g_assert_nonnull(strstr(line, "\"QMP\""));
    g_assert_cmpint(write(fd, "{\"execute\":\"qmp_capabilities\"}\n", 31), ==, 31);
    qmpReadLine(fd, line, sizeof(line));
    g_assert_nonnull(strstr(line, "\"return\""));
    g_assert_cmpint(write(fd, cmds, strlen(cmds)), ==, (ssize_t)strlen(cmds));
    do {
        qmpReadLine(fd, line, sizeof(line));
    } while (!strstr(line, "\"SHUTDOWN\""));
    close(fd);
}

static void
testReconnectPoweredOff(void)
{
    Fixture f;
    virDomainPtr dom;
    pid_t pid;
    int state = -1, reason = -1;

    reconnectSetup(&f);
    runReconnectChild(&f, "away", true);
    pid = qemuPid(&f, "away");
    powerOffBehindDriversBack(&f, "away");
    g_assert_false(pidGone(pid)); /* waiting in 'shutdown' */

    g_assert_nonnull((f.conn = virConnectOpen(f.uri)));
    fixtureRegister(&f);
    g_assert_nonnull((dom = virDomainLookupByName(f.conn, "away")));
    /* registered first, then checked: either it is already finished off,
     * or its STOPPED/SHUTDOWN event is still to come */
    g_assert_cmpint(virDomainGetState(dom, &state, &reason, 0), ==, 0);
    if (state != VIR_DOMAIN_SHUTOFF)
        waitEvent(&f, "away", VIR_DOMAIN_EVENT_STOPPED,
                  VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN);
    assertState(dom, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_SHUTDOWN);
    g_assert_true(pidGone(pid));
    g_assert_cmpint(virDomainIsPersistent(dom), ==, 1);
    virDomainFree(dom);
    fixtureTeardown(&f);
}

/* A definition that no longer loads, in embedded mode: skipped, the file
 * kept, and nothing written to the calling program's stderr (library code
 * never logs above debug: virerror.h, rule 5). The file passes the quick
 * scan at load (name, uuid) and fails the full parse when first needed. */
static void
testEmbedBadDefinitionQuiet(void)
{
    g_autofree char *root =
        g_build_filename(g_getenv("VKQEMU_TEST_BASE"), "bad-def", NULL);
    g_autofree char *etc = g_build_filename(root, "etc", NULL);
    g_autofree char *bad = g_build_filename(etc, "broken.xml", NULL);

    if (g_test_subprocess()) {
        g_autofree char *uri = g_strdup_printf("qemu:///embed?root=%s", root);
        virConnectPtr conn = virConnectOpen(uri);
        virDomainPtr *doms = NULL;
        virDomainPtr dom;

        g_assert_nonnull(conn);
        /* known by name and uuid from the scan; its definition is gone
         * once the first call needs it */
        if ((dom = virDomainLookupByName(conn, "broken"))) {
            g_assert_null(virDomainGetXMLDesc(dom, 0));
            virDomainFree(dom);
        }
        g_assert_cmpint(virConnectListAllDomains(conn, &doms, 0), ==, 0);
        g_free(doms);
        g_assert_cmpint(virConnectClose(conn), ==, 0);
        return;
    }
    g_assert_cmpint(g_mkdir_with_parents(etc, 0700), ==, 0);
    g_assert_true(g_file_set_contents(bad,
                                      "<domain type='qemu'><name>broken</name>"
                                      "<uuid>c7a5fdbd-cdaf-9455-926a-d65c16db1809</uuid>"
                                      "<memory>oops</memory></domain>\n",
                                      -1, NULL));
    g_test_trap_subprocess(NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDOUT);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr("");
    g_assert_true(g_file_test(bad, G_FILE_TEST_EXISTS));
}

static int testPart;

int
main(int argc, char **argv)
{
    g_autofree char *out = NULL;
    g_autofree char *script = NULL;
    g_autofree char *testBase = NULL;
    int status = -1;
    int ret;

    /* --part=N: only the cases of part N (0, the default: all) */
    for (int i = 1; i < argc; i++) {
        if (g_str_has_prefix(argv[i], "--part=")) {
            testPart = (int)g_ascii_strtoll(argv[i] + strlen("--part="), NULL, 10);
            memmove(&argv[i], &argv[i + 1], (argc - i) * sizeof(char *));
            argc--;
            i--;
        }
    }
    g_test_init(&argc, &argv, NULL);
    testPids = g_array_new(FALSE, FALSE, sizeof(pid_t));
    testEvents = g_async_queue_new_full(testEventFree);

    if (testPart <= 1)
        g_test_add_func("/qemu/reconnect/child", testReconnectChildCase);

    if (!g_find_program_in_path("qemu-system-x86_64") ||
        !g_find_program_in_path("qemu-img")) {
        g_test_skip(
            "qemu-system-x86_64 / qemu-img not installed (make deps installs them)");
        return g_test_run();
    }
    if (!g_test_subprocess()) {
        script = g_build_filename(VIRTKIT_SRCDIR, "scripts", "build-test-guest.sh", NULL);
        if (!g_spawn_sync(NULL, (char *[]){ script, NULL }, NULL,
                          G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL, &status,
                          NULL) ||
            !g_spawn_check_wait_status(status, NULL)) {
            g_printerr("scripts/build-test-guest.sh failed\n");
            return 1;
        }
        guestDir = g_strdup(g_strstrip(out));
        g_setenv("VKQEMU_GUEST_DIR", guestDir, TRUE);
        testBase = g_dir_make_tmp("vkqemu-base-XXXXXX", NULL);
        g_setenv("VKQEMU_TEST_BASE", testBase, TRUE);
    } else {
        guestDir = g_strdup(g_getenv("VKQEMU_GUEST_DIR"));
    }

    signal(SIGABRT, abortHandler);
    signal(SIGTERM, abortHandler);
    signal(SIGINT, abortHandler);
    virSetErrorFunc(NULL, quietErrors);
    g_assert_cmpint(virEventRegisterDefaultImpl(), ==, 0);
    g_thread_unref(g_thread_new("event-loop", eventLoopThread, NULL));

    /* Each case with the part of the suite it runs in: meson runs the
     * parts side by side (--part=N; tests/qemu/meson.build), each case
     * having its own embed root (the reconnect cases share theirs and stay
     * together, in order). */
    static const struct {
        const char *path;
        GTestFunc fn;
        int part;
    } cases[] = {
        { "/qemu/embed/bad-definition-quiet", testEmbedBadDefinitionQuiet, 1 },
        { "/qemu/lifecycle/start-running", testStartRunning, 1 },
        { "/qemu/lifecycle/start-paused", testStartPaused, 1 },
        { "/qemu/lifecycle/errors", testErrors, 4 },
        { "/qemu/lifecycle/acpi-shutdown", testAcpiShutdown, 4 },
        { "/qemu/lifecycle/shutdown-no-acpi-handler", testShutdownNoAcpiHandler, 1 },
        { "/qemu/lifecycle/destroy-graceful", testDestroyGraceful, 2 },
        { "/qemu/lifecycle/destroy-graceful-hung", testDestroyGracefulHung, 2 },
        { "/qemu/lifecycle/destroy-hung-escalates", testDestroyHungEscalates, 2 },
        { "/qemu/lifecycle/kill9-transient", testKill9, 4 },
        { "/qemu/lifecycle/kill9-persistent", testKill9Persistent, 4 },
        { "/qemu/lifecycle/suspend-resume", testSuspendResume, 4 },
        { "/qemu/lifecycle/reboot-reset-on-poweroff-restart", testReboot, 3 },
        { "/qemu/lifecycle/on-reboot-destroy", testOnRebootDestroy, 3 },
        { "/qemu/lifecycle/qcow2-graceful-destroy", testQcow2Destroy, 2 },
        { "/qemu/lifecycle/qcow2-shutdown", testQcow2Shutdown, 3 },
        { "/qemu/lifecycle/hung-does-not-block-others", testHungDoesNotBlockOthers, 4 },
        { "/qemu/reconnect/seed", testReconnectSeed, 1 },
        { "/qemu/reconnect/running", testReconnectRunning, 1 },
        { "/qemu/reconnect/powered-off-while-away", testReconnectPoweredOff, 1 },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        if (testPart == 0 || cases[i].part == testPart)
            g_test_add_func(cases[i].path, cases[i].fn);
    }
    ret = g_test_run();
    if (testBase) {
        g_autofree char *job = g_build_filename(testBase, "reconnect-job", NULL);

        g_unlink(job);
        g_rmdir(testBase);
    }
    return ret;
}
