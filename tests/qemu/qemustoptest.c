/* qemustoptest.c: vkDomainStop's ladder against the real QEMU (TCG) and the test guest, in-process (qemu:///embed) */

/*
 * Threads: the main thread runs the cases; one thread runs the default
 * event loop and pushes each lifecycle event onto an async queue the cases
 * pop with deadlines. No fixed sleeps: the console is watched with
 * inotify, processes with pidfds. Every QEMU started is recorded and
 * killed by pid at the end of its case (and by the SIGABRT handler).
 *
 * Guests: the test guest (scripts/build-test-guest.sh) honours the ACPI
 * power button once it printed GUEST-READY; booted with virtkit.deaf it
 * has no power-button handler and ignores the button (as does a QEMU with
 * no kernel, sitting in its firmware); a SIGSTOPped QEMU ignores
 * everything but SIGKILL.
 */

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <virtkit/virtkit.h>

#include "virtkit-config.h"

#define DEADLINE_S 240 /* for waits on the guest: TCG on a loaded host is slow */

typedef struct {
    char *name;
    int type;
    int detail;
} TestEvent;

static GAsyncQueue *testEvents;
static char *guestDir;

#define MAX_CASE_PIDFDS 16
static int casePidfds[MAX_CASE_PIDFDS];
static volatile sig_atomic_t nCasePidfds;

static void
abortHandler(int sig)
{
    for (int i = 0; i < nCasePidfds; i++)
        syscall(SYS_pidfd_send_signal, casePidfds[i], SIGKILL, NULL, 0);
    signal(SIGABRT, SIG_DFL);
    raise(SIGABRT);
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
    g_async_queue_push(testEvents, ev);
    return 0;
}

static void
quietErrors(void *opaque, virErrorPtr err)
{
}

static gpointer
eventLoopThread(gpointer data)
{
    for (;;)
        virEventRunDefaultImpl();
    return NULL;
}

typedef struct {
    char *root;
    virConnectPtr conn;
} Fixture;

static void
fixtureSetup(Fixture *f)
{
    g_autofree char *uri = NULL;
    TestEvent *ev;

    while ((ev = g_async_queue_try_pop(testEvents)))
        testEventFree(ev);
    f->root = g_dir_make_tmp("vkstop-XXXXXX", NULL);
    g_assert_nonnull(f->root);
    uri = g_strdup_printf("qemu:///embed?root=%s", f->root);
    f->conn = virConnectOpen(uri);
    g_assert_nonnull(f->conn);
    g_assert_cmpint(virConnectDomainEventRegisterAny(
                        f->conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                        (virConnectDomainEventGenericCallback)(void (*)(void))lifecycleCb,
                        NULL, NULL),
                    >=, 0);
}

static void
fixtureTeardown(Fixture *f)
{
    g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", f->root);

    while (nCasePidfds > 0) {
        struct pollfd pfd;

        nCasePidfds = nCasePidfds - 1;
        pfd.fd = casePidfds[nCasePidfds];
        pfd.events = POLLIN;
        syscall(SYS_pidfd_send_signal, pfd.fd, SIGKILL, NULL, 0);
        poll(&pfd, 1, 10000);
        close(pfd.fd);
    }
    virConnectClose(f->conn);
    g_assert_true(g_spawn_command_line_sync(cmd, NULL, NULL, NULL, NULL));
    g_free(f->root);
}

/* Pop events until one for @name of @type (and @detail) arrives. */
static void
waitEvent(const char *name, int type, int detail)
{
    gint64 deadline = g_get_monotonic_time() + DEADLINE_S * G_USEC_PER_SEC;

    for (;;) {
        gint64 left = deadline - g_get_monotonic_time();
        g_autoptr(GError) unused = NULL;
        TestEvent *ev;
        bool match;

        if (left <= 0 || !(ev = g_async_queue_timeout_pop(testEvents, left))) {
            g_test_message("no event %d/%d for '%s'", type, detail, name);
            g_assert_not_reached();
        }
        match = g_str_equal(ev->name, name) && ev->type == type;
        if (match && ev->detail != detail) {
            g_test_message("event %d for '%s' has detail %d, not %d", type, name,
                           ev->detail, detail);
            g_assert_not_reached();
        }
        testEventFree(ev);
        if (match)
            return;
    }
}

typedef struct {
    bool kernel;           /* the test guest; else firmware only (ignores ACPI) */
    bool deaf;             /* the test guest without a power-button handler */
    bool acpi;             /* <features><acpi/> */
    const char *stopAttrs; /* <virtkit:stop> attributes in <metadata>, or NULL */
} GuestOpts;

static char *
guestXML(Fixture *f, const char *name, const GuestOpts *o)
{
    GString *x = g_string_new(NULL);

    g_string_append_printf(x,
                           "<domain type='qemu'><name>%s</name>"
                           "<memory unit='MiB'>256</memory><vcpu>1</vcpu><os>"
                           "<type arch='x86_64' machine='q35'>hvm</type>",
                           name);
    if (o->kernel)
        g_string_append_printf(
            x,
            "<kernel>%s/vmlinuz</kernel><initrd>%s/initrd.gz</initrd>"
            "<cmdline>console=ttyS0 no_timer_check cryptomgr.notests quiet%s</cmdline>",
            guestDir, guestDir, o->deaf ? " virtkit.deaf" : "");
    g_string_append(x, "</os>");
    if (o->acpi)
        g_string_append(x, "<features><acpi/></features>");
    if (o->stopAttrs)
        g_string_append_printf(x,
                               "<metadata><virtkit:lifecycle xmlns:virtkit="
                               "'http://virtkit.invalid/xmlns/lifecycle/1'>"
                               "<virtkit:stop %s/></virtkit:lifecycle></metadata>",
                               o->stopAttrs);
    g_string_append_printf(x,
                           "<devices><serial type='file'><source path='%s/%s.serial'/>"
                           "</serial></devices></domain>",
                           f->root, name);
    return g_string_free(x, FALSE);
}

static void
waitSerial(Fixture *f, const char *name, const char *needle)
{
    g_autofree char *path = g_strdup_printf("%s/%s.serial", f->root, name);
    gint64 deadline = g_get_monotonic_time() + DEADLINE_S * G_USEC_PER_SEC;
    int ifd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);

    g_assert_cmpint(ifd, >=, 0);
    g_assert_cmpint(inotify_add_watch(ifd, path, IN_MODIFY | IN_CLOSE_WRITE), >=, 0);
    for (;;) {
        g_autofree char *text = NULL;
        struct pollfd pfd = { .fd = ifd, .events = POLLIN };
        gint64 left;
        char buf[4096];

        if (g_file_get_contents(path, &text, NULL, NULL) && strstr(text, needle))
            break;
        left = deadline - g_get_monotonic_time();
        if (left <= 0) {
            g_test_message("console of '%s' never showed '%s'", name, needle);
            g_assert_not_reached();
        }
        if (poll(&pfd, 1, (int)(left / 1000) + 1) > 0)
            while (read(ifd, buf, sizeof(buf)) > 0)
                ;
    }
    close(ifd);
}

/* The QEMU pid from the status file; remembered for the clean-up. */
static pid_t
qemuPid(Fixture *f, const char *name)
{
    g_autofree char *path = g_strdup_printf("%s/run/%s.xml", f->root, name);
    g_autofree char *text = NULL;
    const char *p;
    pid_t pid;
    int pidfd;

    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    g_assert_nonnull((p = strstr(text, " pid='")));
    pid = (pid_t)g_ascii_strtoll(p + 6, NULL, 10);
    g_assert_cmpint(pid, >, 1);
    if (nCasePidfds < MAX_CASE_PIDFDS &&
        (pidfd = (int)syscall(SYS_pidfd_open, pid, 0)) >= 0) {
        casePidfds[nCasePidfds] = pidfd;
        nCasePidfds = nCasePidfds + 1;
    }
    return pid;
}

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

static void
sigstopAndWait(pid_t pid)
{
    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    siginfo_t info;

    g_assert_cmpint(pidfd, >=, 0);
    g_assert_cmpint(syscall(SYS_pidfd_send_signal, pidfd, SIGSTOP, NULL, 0), ==, 0);
    g_assert_cmpint(
        waitid((idtype_t)3 /* P_PIDFD */, (id_t)pidfd, &info, WSTOPPED | WNOWAIT), ==, 0);
    g_assert_cmpint(info.si_code, ==, CLD_STOPPED);
    close(pidfd);
}

static virDomainPtr
startGuest(Fixture *f, const char *name, const GuestOpts *o, pid_t *pid)
{
    g_autofree char *xml = guestXML(f, name, o);
    virDomainPtr dom = virDomainCreateXML(f->conn, xml, 0);

    if (!dom)
        g_test_message("start failed: %s", virGetLastErrorMessage());
    g_assert_nonnull(dom);
    *pid = qemuPid(f, name);
    return dom;
}

static void
logReport(const char *what, const vkStopReport *r)
{
    g_test_message("%s: ended by %s in %llu ms (deadline %u), flushed %d", what,
                   vkStopStepName(r->ended_by), r->total_ms, r->deadline_ms, r->flushed);
    for (int s = VK_STOP_STEP_AGENT; s < VK_STOP_STEP_LAST; s++)
        g_test_message("  %-10s %-11s %6llu ms x%u  %s", vkStopStepName(s),
                       vkStopOutcomeName(r->steps[s].outcome), r->steps[s].elapsed_ms,
                       r->steps[s].attempts, r->steps[s].reason);
}

typedef struct {
    unsigned int presses;
    unsigned int cleanExit;
    unsigned long long firstPressMs;
} Progress;

static void
progressCb(virDomainPtr dom, const vkStopProgress *p, void *opaque)
{
    Progress *pr = opaque;

    g_test_message("progress: step %s attempt %u at %llu ms: %s", vkStopStepName(p->step),
                   p->attempt, p->elapsed_ms, p->what);
    if (p->step == VK_STOP_STEP_ACPI && pr->presses++ == 0)
        pr->firstPressMs = p->elapsed_ms;
    if (p->step == VK_STOP_STEP_CLEAN_EXIT)
        pr->cleanExit++;
}

/* ---- cases ------------------------------------------------------------- */

/* A guest that honours ACPI ends at the ACPI step, well inside the
 * deadline; the absent agent costs nothing. */
static void
testHonoursAcpi(void)
{
    Fixture f;
    GuestOpts o = { .kernel = true, .acpi = true };
    Progress pr = { 0 };
    vkStopReport r;
    virDomainPtr dom;
    pid_t pid;

    fixtureSetup(&f);
    dom = startGuest(&f, "vks-acpi", &o, &pid);
    waitSerial(&f, "vks-acpi", "GUEST-READY");
    g_assert_cmpint(vkDomainStopWithProgress(dom, 60000, 0, &r, progressCb, &pr), ==, 0);
    logReport("honours ACPI", &r);
    g_assert_cmpint(r.ended_by, ==, VK_STOP_STEP_ACPI);
    g_assert_cmpint(r.flushed, ==, 1);
    g_assert_cmpuint(r.deadline_ms, ==, 60000);
    g_assert_cmpuint(r.total_ms, <, 30000);
    g_assert_cmpint(r.steps[VK_STOP_STEP_AGENT].outcome, ==, VK_STOP_OUTCOME_SKIPPED);
    g_assert_cmpuint(r.steps[VK_STOP_STEP_AGENT].elapsed_ms, <, 100);
    g_assert_nonnull(strstr(r.steps[VK_STOP_STEP_AGENT].reason, "agent"));
    g_assert_cmpint(r.steps[VK_STOP_STEP_ACPI].outcome, ==, VK_STOP_OUTCOME_ENDED);
    g_assert_cmpuint(r.steps[VK_STOP_STEP_ACPI].attempts, >=, 1);
    g_assert_cmpint(r.steps[VK_STOP_STEP_CLEAN_EXIT].outcome, ==,
                    VK_STOP_OUTCOME_NOT_REACHED);
    g_assert_cmpint(r.steps[VK_STOP_STEP_KILL].outcome, ==, VK_STOP_OUTCOME_NOT_REACHED);
    g_assert_cmpuint(pr.presses, ==, r.steps[VK_STOP_STEP_ACPI].attempts);
    g_test_message("first ACPI press reported at %llu ms", pr.firstPressMs);
    /* shut off before the call returned; the guest's own power-off */
    g_assert_true(pidGone(pid));
    g_assert_null(virDomainLookupByName(f.conn, "vks-acpi"));
    waitEvent("vks-acpi", VIR_DOMAIN_EVENT_SHUTDOWN, VIR_DOMAIN_EVENT_SHUTDOWN_GUEST);
    waitEvent("vks-acpi", VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN);
    virDomainFree(dom);
    fixtureTeardown(&f);
}

/* A guest that ignores the button (the test guest, booted, with no
 * power-button handler) gets it re-pressed, then ends at QEMU's clean exit,
 * flushed. */
static void
testIgnoresAcpi(void)
{
    Fixture f;
    GuestOpts o = { .kernel = true, .deaf = true, .acpi = true };
    Progress pr = { 0 };
    vkStopReport r;
    virDomainPtr dom;
    pid_t pid;

    fixtureSetup(&f);
    dom = startGuest(&f, "vks-deaf", &o, &pid);
    waitSerial(&f, "vks-deaf", "GUEST-DEAF");
    waitSerial(&f, "vks-deaf", "GUEST-READY");
    g_assert_cmpint(vkDomainStopWithProgress(dom, 8000, 0, &r, progressCb, &pr), ==, 0);
    logReport("ignores ACPI", &r);
    g_assert_cmpint(r.ended_by, ==, VK_STOP_STEP_CLEAN_EXIT);
    g_assert_cmpint(r.flushed, ==, 1);
    g_assert_cmpint(r.steps[VK_STOP_STEP_ACPI].outcome, ==, VK_STOP_OUTCOME_SURVIVED);
    /* 60 % of 8 s, a press every 2 s */
    g_assert_cmpuint(r.steps[VK_STOP_STEP_ACPI].attempts, >=, 2);
    g_assert_cmpuint(r.steps[VK_STOP_STEP_ACPI].elapsed_ms, >=, 4000);
    g_assert_cmpint(r.steps[VK_STOP_STEP_CLEAN_EXIT].outcome, ==, VK_STOP_OUTCOME_ENDED);
    g_assert_cmpint(r.steps[VK_STOP_STEP_KILL].outcome, ==, VK_STOP_OUTCOME_NOT_REACHED);
    g_assert_cmpuint(pr.cleanExit, ==, 1);
    g_assert_true(pidGone(pid));
    waitEvent("vks-deaf", VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_DESTROYED);
    virDomainFree(dom);
    fixtureTeardown(&f);
}

/* No <acpi/>: the press is skipped at once and the reason says why. */
static void
testNoAcpiFeature(void)
{
    Fixture f;
    GuestOpts o = { .kernel = true, .acpi = false };
    vkStopReport r;
    virDomainPtr dom;
    pid_t pid;

    fixtureSetup(&f);
    dom = startGuest(&f, "vks-noacpi", &o, &pid);
    g_assert_cmpint(vkDomainStop(dom, 30000, 0, &r), ==, 0);
    logReport("no <acpi/>", &r);
    g_assert_cmpint(r.steps[VK_STOP_STEP_ACPI].outcome, ==, VK_STOP_OUTCOME_SKIPPED);
    g_assert_cmpuint(r.steps[VK_STOP_STEP_ACPI].elapsed_ms, ==, 0);
    g_assert_cmpuint(r.steps[VK_STOP_STEP_ACPI].attempts, ==, 0);
    g_assert_nonnull(strstr(r.steps[VK_STOP_STEP_ACPI].reason, "no <acpi/>"));
    g_assert_cmpint(r.ended_by, ==, VK_STOP_STEP_CLEAN_EXIT);
    g_assert_cmpint(r.flushed, ==, 1);
    g_assert_true(pidGone(pid));
    virDomainFree(dom);
    fixtureTeardown(&f);
}

/* A hung QEMU (SIGSTOP) and a policy without SIGKILL: an error, nothing
 * sent, the guest keeps running (also once continued); with SIGKILL
 * allowed the same guest ends at the kill step, unflushed. */
static void
testHungNoKill(void)
{
    Fixture f;
    GuestOpts o = { .kernel = true, .acpi = true };
    vkStopReport r;
    virDomainPtr dom;
    virErrorPtr err;
    int state = -1, reason = -1;
    pid_t pid;

    fixtureSetup(&f);
    /* stopped mid-boot: what is checked is the process's, not the guest's
     * (a boot is ~2 CPU s under TCG) */
    dom = startGuest(&f, "vks-hung", &o, &pid);
    sigstopAndWait(pid);
    g_assert_cmpint(vkDomainStop(dom, 3000, 0, &r), ==, -1);
    logReport("hung, no SIGKILL", &r);
    err = virGetLastError();
    g_assert_nonnull(err);
    g_assert_cmpint(err->code, ==, VIR_ERR_OPERATION_TIMEOUT);
    g_assert_cmpint(err->domain, ==, VIR_FROM_QEMU);
    g_assert_nonnull(strstr(err->message, "SIGKILL not allowed by the policy"));
    g_assert_cmpint(r.ended_by, ==, VK_STOP_STEP_NONE);
    g_assert_cmpint(r.steps[VK_STOP_STEP_ACPI].outcome, ==, VK_STOP_OUTCOME_SKIPPED);
    g_assert_nonnull(strstr(r.steps[VK_STOP_STEP_ACPI].reason, "SIGSTOP"));
    g_assert_cmpint(r.steps[VK_STOP_STEP_CLEAN_EXIT].outcome, ==,
                    VK_STOP_OUTCOME_SURVIVED);
    g_assert_cmpuint(r.steps[VK_STOP_STEP_CLEAN_EXIT].attempts, ==, 0);
    g_assert_nonnull(strstr(r.steps[VK_STOP_STEP_CLEAN_EXIT].reason, "withheld"));
    g_assert_cmpint(r.steps[VK_STOP_STEP_KILL].outcome, ==, VK_STOP_OUTCOME_SKIPPED);
    g_assert_cmpuint(r.total_ms, >=, 2900);
    g_assert_false(pidGone(pid));
    g_assert_cmpint(virDomainGetState(dom, &state, &reason, 0), ==, 0);
    g_assert_cmpint(state, ==, VIR_DOMAIN_RUNNING);

    /* continued: no signal was left pending, it runs and answers */
    g_assert_cmpint(kill(pid, SIGCONT), ==, 0);
    g_assert_cmpint(virDomainSuspend(dom), ==, 0);
    g_assert_cmpint(virDomainResume(dom), ==, 0);
    g_assert_false(pidGone(pid));

    /* hung again, SIGKILL allowed */
    sigstopAndWait(pid);
    g_assert_cmpint(vkDomainStop(dom, 3000, VK_STOP_ALLOW_KILL, &r), ==, 0);
    logReport("hung, SIGKILL allowed", &r);
    g_assert_cmpint(r.ended_by, ==, VK_STOP_STEP_KILL);
    g_assert_cmpint(r.flushed, ==, 0);
    g_assert_cmpint(r.steps[VK_STOP_STEP_KILL].outcome, ==, VK_STOP_OUTCOME_ENDED);
    g_assert_true(pidGone(pid));
    waitEvent("vks-hung", VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_DESTROYED);
    virDomainFree(dom);
    fixtureTeardown(&f);
}

/* The ladder from the definition (VK_STOP_USE_DEFINITION): its deadline,
 * ACPI share and interval; kept in the definition across define. */
static void
testDefinitionPolicy(void)
{
    Fixture f;
    GuestOpts o = { .kernel = false,
                    .acpi = true,
                    .stopAttrs =
                        "deadline='5' acpi-share='40' acpi-interval='1' kill='no'" };
    g_autofree char *xml = NULL;
    g_autofree char *dump = NULL;
    vkStopReport r;
    virDomainPtr dom;
    virErrorPtr err;

    fixtureSetup(&f);
    xml = guestXML(&f, "vks-pol", &o);
    dom = virDomainDefineXML(f.conn, xml);
    g_assert_nonnull(dom);
    dump = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE);
    g_assert_nonnull(strstr(dump, "<virtkit:stop deadline=\"5\" acpi-share=\"40\" "
                                  "acpi-interval=\"1\" kill=\"no\"/>"));
    g_assert_cmpint(virDomainCreate(dom), ==, 0);
    qemuPid(&f, "vks-pol");
    g_assert_cmpint(vkDomainStop(dom, 0, VK_STOP_USE_DEFINITION, &r), ==, 0);
    logReport("definition policy", &r);
    g_assert_cmpuint(r.deadline_ms, ==, 5000);
    g_assert_cmpint(r.ended_by, ==, VK_STOP_STEP_CLEAN_EXIT);
    /* 40 % of 5 s, a press every second */
    g_assert_cmpuint(r.steps[VK_STOP_STEP_ACPI].elapsed_ms, >=, 1900);
    g_assert_cmpuint(r.steps[VK_STOP_STEP_ACPI].elapsed_ms, <, 4000);
    g_assert_cmpuint(r.steps[VK_STOP_STEP_ACPI].attempts, >=, 2);
    g_assert_cmpint(virDomainUndefine(dom), ==, 0);
    virDomainFree(dom);

    /* an invalid policy is refused, nothing defined */
    o.stopAttrs = "acpi-share='101'";
    g_free(xml);
    xml = guestXML(&f, "vks-bad", &o);
    g_assert_null(virDomainDefineXML(f.conn, xml));
    err = virGetLastError();
    g_assert_cmpint(err->code, ==, VIR_ERR_XML_ERROR);
    g_assert_cmpstr(err->message, ==,
                    "XML error: invalid value '101' of virtkit:stop attribute "
                    "'acpi-share' (0 to 100)");
    g_assert_null(virDomainLookupByName(f.conn, "vks-bad"));
    fixtureTeardown(&f);
}

static void
testErrors(void)
{
    Fixture f;
    GuestOpts o = { .kernel = true, .acpi = true };
    g_autofree char *xml = NULL;
    vkStopReport r;
    virDomainPtr dom;
    virErrorPtr err;

    fixtureSetup(&f);
    xml = guestXML(&f, "vks-off", &o);
    dom = virDomainDefineXML(f.conn, xml);
    g_assert_nonnull(dom);
    g_assert_cmpint(vkDomainStop(dom, 1000, 0, &r), ==, -1);
    err = virGetLastError();
    g_assert_cmpint(err->code, ==, VIR_ERR_OPERATION_INVALID);
    g_assert_cmpstr(err->message, ==,
                    "Requested operation is not valid: domain is not running");
    g_assert_cmpint(vkDomainStop(dom, 1000, 1u << 9, &r), ==, -1);
    err = virGetLastError();
    g_assert_cmpint(err->code, ==, VIR_ERR_INVALID_ARG);
    g_assert_cmpstr(err->message, ==,
                    "unsupported flags (0x200) in function qemuDomainVkStop");
    g_assert_cmpint(virDomainUndefine(dom), ==, 0);
    virDomainFree(dom);
    fixtureTeardown(&f);
}

int
main(int argc, char **argv)
{
    g_autofree char *out = NULL;
    g_autofree char *script = NULL;
    int status = -1;

    g_test_init(&argc, &argv, NULL);
    testEvents = g_async_queue_new_full(testEventFree);
    g_autofree char *qemu = g_find_program_in_path("qemu-system-x86_64");

    if (!qemu) {
        g_test_skip("qemu-system-x86_64 not installed (make deps installs it)");
        return g_test_run();
    }
    script = g_build_filename(VIRTKIT_SRCDIR, "scripts", "build-test-guest.sh", NULL);
    if (!g_spawn_sync(NULL, (char *[]){ script, NULL }, NULL, G_SPAWN_STDERR_TO_DEV_NULL,
                      NULL, NULL, &out, NULL, &status, NULL) ||
        !g_spawn_check_wait_status(status, NULL)) {
        g_printerr("scripts/build-test-guest.sh failed\n");
        return 1;
    }
    guestDir = g_strdup(g_strstrip(out));

    signal(SIGABRT, abortHandler);
    virSetErrorFunc(NULL, quietErrors);
    g_assert_cmpint(virEventRegisterDefaultImpl(), ==, 0);
    g_thread_unref(g_thread_new("event-loop", eventLoopThread, NULL));

    g_test_add_func("/vkstop/qemu/errors", testErrors);
    g_test_add_func("/vkstop/qemu/honours-acpi", testHonoursAcpi);
    g_test_add_func("/vkstop/qemu/ignores-acpi", testIgnoresAcpi);
    g_test_add_func("/vkstop/qemu/no-acpi-feature", testNoAcpiFeature);
    g_test_add_func("/vkstop/qemu/hung-no-kill", testHungNoKill);
    g_test_add_func("/vkstop/qemu/definition-policy", testDefinitionPolicy);
    return g_test_run();
}
