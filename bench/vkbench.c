/* vkbench.c: one benchmark client, built against libvirtkit and against libvirt */

/*
 * The same source is compiled twice (vkbench and vkbench-libvirt), and it
 * uses only the public API, so every figure compares the two libraries and
 * daemons through the same calls. Usage:
 *
 *   vkbench URI WORKLOAD [ARGS...]
 *
 * Each measurement is printed on stdout as one line
 *   S <metric> <value>
 * (milliseconds unless the metric name ends in "_per_s"); anything else on
 * stdout is commentary. scripts/bench.sh collects the lines of both builds
 * and bench/report.py prints the table. Errors go to stderr and the exit
 * status is 1.
 *
 * Threads: the main thread makes the calls; one thread runs the default
 * event loop (virEventRunDefaultImpl) so lifecycle events arrive while the
 * main thread waits; the throughput workload starts its own call threads.
 * g_events (under eventLock) records each lifecycle event with the time
 * it arrived; waiters sleep on eventCond.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "vkbench.h"

#define MAX_EVENTS 4096

typedef struct {
    char name[64];
    int event;
    int detail;
    double at;
} BenchEvent;

static pthread_mutex_t eventLock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t eventCond = PTHREAD_COND_INITIALIZER;
static BenchEvent g_events[MAX_EVENTS];
static int g_nevents;

/* The test guest's kernel command line: $VKBENCH_GUEST_CMDLINE when set
 * (bench.sh QUICK adds cryptomgr.notests: figures of a QUICK run are not
 * compared with a full one's), else the one BENCHMARKS.md was measured
 * with. Put in XML text as it is: it must hold no markup. */
const char *
guestCmdline(void)
{
    const char *c = getenv("VKBENCH_GUEST_CMDLINE");

    return c && *c ? c : "console=ttyS0 no_timer_check quiet";
}

double
nowMs(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double
realtimeMs(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

void
sample(const char *metric, double value)
{
    printf("S %s %.6f\n", metric, value);
    fflush(stdout);
}

void
die(const char *what)
{
    virErrorPtr err = virGetLastError();

    fprintf(stderr, "vkbench: %s: %s\n", what,
            err && err->message ? err->message : "failed");
    exit(1);
}

static void
quietErrors(void *opaque, virErrorPtr err)
{
    (void)opaque;
    (void)err;
}

static void *
eventLoopThread(void *opaque)
{
    (void)opaque;
    for (;;)
        virEventRunDefaultImpl();
    return NULL;
}

static int
lifecycleCallback(virConnectPtr conn, virDomainPtr dom, int event, int detail,
                  void *opaque)
{
    double at = nowMs();

    (void)conn;
    (void)opaque;
    pthread_mutex_lock(&eventLock);
    if (g_nevents < MAX_EVENTS) {
        BenchEvent *ev = &g_events[g_nevents++];

        snprintf(ev->name, sizeof(ev->name), "%s", virDomainGetName(dom));
        ev->event = event;
        ev->detail = detail;
        ev->at = at;
    }
    pthread_cond_broadcast(&eventCond);
    pthread_mutex_unlock(&eventLock);
    return 0;
}

/* DEVICE_REMOVED events are recorded with this event number */
#define BENCH_EV_DEVICE_REMOVED 1000

static void
deviceRemovedCallback(virConnectPtr conn, virDomainPtr dom, const char *alias,
                      void *opaque)
{
    (void)alias;
    lifecycleCallback(conn, dom, BENCH_EV_DEVICE_REMOVED, 0, opaque);
}

static void
eventsReset(void)
{
    pthread_mutex_lock(&eventLock);
    g_nevents = 0;
    pthread_mutex_unlock(&eventLock);
}

/* Waits up to timeoutMs for a lifecycle event of type @event for @name;
 * returns the time it arrived, or -1 on timeout. Events recorded before the
 * call count, so an event that beats the API reply is not missed. */
static double
eventWait(const char *name, int event, double timeoutMs)
{
    double deadline = nowMs() + timeoutMs;
    double at = -1;

    pthread_mutex_lock(&eventLock);
    for (;;) {
        struct timespec ts;
        double rt;

        for (int i = 0; i < g_nevents; i++) {
            if (g_events[i].event == event && strcmp(g_events[i].name, name) == 0) {
                at = g_events[i].at;
                break;
            }
        }
        if (at >= 0 || nowMs() >= deadline)
            break;
        rt = realtimeMs() + 5;
        ts.tv_sec = (time_t)(rt / 1e3);
        ts.tv_nsec = (long)((rt - ts.tv_sec * 1e3) * 1e6);
        pthread_cond_timedwait(&eventCond, &eventLock, &ts);
    }
    pthread_mutex_unlock(&eventLock);
    return at;
}

static virConnectPtr
openConnection(const char *uri, bool events)
{
    virConnectPtr conn = virConnectOpen(uri);

    if (!conn)
        die("virConnectOpen");
    if (events &&
        virConnectDomainEventRegisterAny(
            conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
            (virConnectDomainEventGenericCallback)(void (*)(void))lifecycleCallback, NULL,
            NULL) < 0)
        die("virConnectDomainEventRegisterAny");
    if (events &&
        virConnectDomainEventRegisterAny(
            conn, NULL, VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED,
            (virConnectDomainEventGenericCallback)(void (*)(void))deviceRemovedCallback,
            NULL, NULL) < 0)
        die("virConnectDomainEventRegisterAny (device-removed)");
    return conn;
}

static char *
minimalXml(const char *name, int memKiB)
{
    char *xml = NULL;

    if (asprintf(&xml,
                 "<domain type='qemu'><name>%s</name>"
                 "<memory unit='KiB'>%d</memory><vcpu>1</vcpu>"
                 "<os><type arch='x86_64' machine='pc'>hvm</type></os>"
                 "<on_poweroff>destroy</on_poweroff>"
                 "<devices><emulator>/usr/bin/qemu-system-x86_64</emulator></devices>"
                 "</domain>",
                 name, memKiB) < 0)
        abort();
    return xml;
}

static char *
guestXml(const char *name, const char *guestDir, const char *serial)
{
    char *xml = NULL;

    if (asprintf(&xml,
                 "<domain type='qemu'><name>%s</name>"
                 "<memory unit='MiB'>256</memory><vcpu>1</vcpu>"
                 "<os><type arch='x86_64' machine='q35'>hvm</type>"
                 "<kernel>%s/vmlinuz</kernel><initrd>%s/initrd.gz</initrd>"
                 "<cmdline>%s</cmdline></os>"
                 "<features><acpi/></features>"
                 "<on_poweroff>destroy</on_poweroff>"
                 "<devices><emulator>/usr/bin/qemu-system-x86_64</emulator>"
                 "<serial type='file'><source path='%s'/><target port='0'/></serial>"
                 "</devices></domain>",
                 name, guestDir, guestDir, guestCmdline(), serial) < 0)
        abort();
    return xml;
}

static void
benchName(char *buf, size_t len, int i)
{
    snprintf(buf, len, NAME_PREFIX "%d", i);
}

/* define N: defines vkb-0 .. vkb-(N-1), starting at FROM (default 0). */
static void
workloadDefine(virConnectPtr conn, int from, int n, const char *metric)
{
    double total = nowMs();

    for (int i = from; i < from + n; i++) {
        char name[64];
        char *xml;
        virDomainPtr dom;
        double t0;

        benchName(name, sizeof(name), i);
        xml = minimalXml(name, 65536);
        t0 = nowMs();
        dom = virDomainDefineXML(conn, xml);
        if (!dom)
            die("virDomainDefineXML");
        sample(metric, nowMs() - t0);
        virDomainFree(dom);
        free(xml);
    }
    printf("defined %d in %.1f ms\n", n, nowMs() - total);
}

static void
workloadUndefine(virConnectPtr conn, int n, const char *metric)
{
    for (int i = 0; i < n; i++) {
        char name[64];
        virDomainPtr dom;
        double t0;

        benchName(name, sizeof(name), i);
        dom = virDomainLookupByName(conn, name);
        if (!dom)
            die("virDomainLookupByName");
        t0 = nowMs();
        if (virDomainUndefine(dom) < 0)
            die("virDomainUndefine");
        sample(metric, nowMs() - t0);
        virDomainFree(dom);
    }
}

static void
workloadList(virConnectPtr conn, int reps, const char *metric)
{
    for (int r = 0; r < reps; r++) {
        virDomainPtr *doms = NULL;
        double t0 = nowMs();
        int n = virConnectListAllDomains(conn, &doms, 0);

        if (n < 0)
            die("virConnectListAllDomains");
        sample(metric, nowMs() - t0);
        for (int i = 0; i < n; i++)
            virDomainFree(doms[i]);
        free(doms);
    }
}

static void
workloadLookup(virConnectPtr conn, int n, int reps, const char *metric)
{
    unsigned int seed = 12345;

    for (int r = 0; r < reps; r++) {
        char name[64];
        virDomainPtr dom;
        double t0;

        benchName(name, sizeof(name), rand_r(&seed) % n);
        t0 = nowMs();
        dom = virDomainLookupByName(conn, name);
        if (!dom)
            die("virDomainLookupByName");
        sample(metric, nowMs() - t0);
        virDomainFree(dom);
    }
}

/* In-process drivers are far faster than a clock read per call: time a
 * batch and report the rate. */
static void
workloadLookupRate(virConnectPtr conn, int n, int reps, const char *metric)
{
    char(*names)[32] = calloc(n, sizeof(*names));

    for (int i = 0; i < n; i++)
        benchName(names[i], sizeof(names[i]), i);
    for (int r = 0; r < reps; r++) {
        int calls = 200000;
        double t0 = nowMs();

        for (int c = 0; c < calls; c++) {
            virDomainPtr dom = virDomainLookupByName(conn, names[(c * 7919) % n]);

            if (!dom)
                die("virDomainLookupByName");
            virDomainFree(dom);
        }
        sample(metric, calls / ((nowMs() - t0) / 1e3));
    }
    free(names);
}

typedef struct {
    const char *uri;
    virConnectPtr shared;
    int n;
    double seconds;
    long calls;
    unsigned int seed;
} ThroughputArgs;

static void *
throughputThread(void *opaque)
{
    ThroughputArgs *a = opaque;
    virConnectPtr conn = a->shared ? a->shared : openConnection(a->uri, false);
    double deadline = nowMs() + a->seconds * 1e3;

    while (nowMs() < deadline) {
        for (int k = 0; k < 16; k++) {
            char name[64];
            virDomainPtr dom;
            int state;
            int reason;

            benchName(name, sizeof(name), rand_r(&a->seed) % a->n);
            dom = virDomainLookupByName(conn, name);
            if (!dom)
                die("virDomainLookupByName");
            if (virDomainGetState(dom, &state, &reason, 0) < 0)
                die("virDomainGetState");
            virDomainFree(dom);
            a->calls += 2;
        }
    }
    if (!a->shared)
        virConnectClose(conn);
    return NULL;
}

/* throughput N THREADS shared|own SECONDS REPS: lookupByName + getState
 * calls per second (each counts as one call). */
static void
workloadThroughput(const char *uri, virConnectPtr conn, int n, int threads, bool shared,
                   double seconds, int reps, const char *metric)
{
    for (int r = 0; r < reps; r++) {
        pthread_t tids[64];
        ThroughputArgs args[64];
        long total = 0;
        double t0 = nowMs();

        for (int t = 0; t < threads; t++) {
            args[t] = (ThroughputArgs){ uri, shared ? conn : NULL,       n, seconds,
                                        0,   (unsigned int)(t * 977 + r) };
            pthread_create(&tids[t], NULL, throughputThread, &args[t]);
        }
        for (int t = 0; t < threads; t++) {
            pthread_join(tids[t], NULL);
            total += args[t].calls;
        }
        sample(metric, total / ((nowMs() - t0) / 1e3));
    }
}

virDomainPtr
defineOrDie(virConnectPtr conn, const char *xml)
{
    virDomainPtr dom = virDomainDefineXML(conn, xml);

    if (!dom)
        die("virDomainDefineXML");
    return dom;
}

void
undefineOrDie(virDomainPtr dom)
{
    if (virDomainUndefine(dom) < 0)
        die("virDomainUndefine");
    virDomainFree(dom);
}

/* startdestroy REPS: a minimal diskless guest (in firmware) started and
 * destroyed REPS times. */
static void
workloadStartDestroy(virConnectPtr conn, int reps)
{
    char *xml = minimalXml(NAME_PREFIX "mini", 65536);
    virDomainPtr dom = defineOrDie(conn, xml);

    for (int r = 0; r < reps; r++) {
        double t0 = nowMs();

        if (virDomainCreate(dom) < 0)
            die("virDomainCreate");
        sample("start_minimal", nowMs() - t0);
        t0 = nowMs();
        if (virDomainDestroy(dom) < 0)
            die("virDomainDestroy");
        sample("destroy_minimal", nowMs() - t0);
    }
    undefineOrDie(dom);
    free(xml);
}

/* network REPS: a NAT network with DHCP (bridge, firewall rules, dnsmasq)
 * created and destroyed REPS times; then domifaddr: a minimal guest with
 * an interface on it, virDomainInterfaceAddresses (source lease: the
 * network's dnsmasq leases) REPS times. The daemons run in network
 * namespaces of their own (scripts/bench.sh). */
static void
workloadNetwork(virConnectPtr conn, int reps)
{
    const char *netXml = "<network><name>" NAME_PREFIX "net</name><forward mode='nat'/>"
                         "<bridge name='vkbbr0'/><ip address='10.211.0.1' prefix='24'>"
                         "<dhcp><range start='10.211.0.10' end='10.211.0.50'/></dhcp>"
                         "</ip></network>";
    char *xml = NULL;
    virNetworkPtr net;
    virDomainPtr dom;

    for (int r = 0; r < reps; r++) {
        double t0 = nowMs();

        if (!(net = virNetworkCreateXML(conn, netXml)))
            die("virNetworkCreateXML");
        sample("net_start", nowMs() - t0);
        t0 = nowMs();
        if (virNetworkDestroy(net) < 0)
            die("virNetworkDestroy");
        sample("net_stop", nowMs() - t0);
        virNetworkFree(net);
    }

    if (!(net = virNetworkCreateXML(conn, netXml)))
        die("virNetworkCreateXML");
    if (asprintf(&xml,
                 "<domain type='qemu'><name>" NAME_PREFIX "ifaddr</name>"
                 "<memory unit='KiB'>65536</memory><vcpu>1</vcpu>"
                 "<os><type arch='x86_64' machine='pc'>hvm</type></os>"
                 "<devices><emulator>/usr/bin/qemu-system-x86_64</emulator>"
                 "<interface type='network'><source network='" NAME_PREFIX "net'/>"
                 "<mac address='52:54:00:21:10:01'/><model type='virtio'/></interface>"
                 "</devices></domain>") < 0)
        abort();
    if (!(dom = virDomainCreateXML(conn, xml, 0)))
        die("virDomainCreateXML with a network interface");
    for (int r = 0; r < reps; r++) {
        virDomainInterfacePtr *ifaces = NULL;
        double t0 = nowMs();
        int n = virDomainInterfaceAddresses(dom, &ifaces,
                                            VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE, 0);

        if (n < 0)
            die("virDomainInterfaceAddresses");
        sample("domifaddr_lease", nowMs() - t0);
        for (int i = 0; i < n; i++)
            virDomainInterfaceFree(ifaces[i]);
        free(ifaces);
    }
    if (virDomainDestroy(dom) < 0)
        die("virDomainDestroy");
    virDomainFree(dom);
    if (virNetworkDestroy(net) < 0)
        die("virNetworkDestroy");
    virNetworkFree(net);
    free(xml);
}

/* suspend REPS: suspend/resume calls on a running minimal guest and the
 * time from the call's start to its SUSPENDED/RESUMED event. */
static void
workloadSuspend(virConnectPtr conn, int reps)
{
    const char *name = NAME_PREFIX "susp";
    char *xml = minimalXml(name, 65536);
    virDomainPtr dom = defineOrDie(conn, xml);

    if (virDomainCreate(dom) < 0)
        die("virDomainCreate");
    for (int r = 0; r < reps; r++) {
        double t0;
        double at;

        eventsReset();
        t0 = nowMs();
        if (virDomainSuspend(dom) < 0)
            die("virDomainSuspend");
        sample("suspend_call", nowMs() - t0);
        at = eventWait(name, VIR_DOMAIN_EVENT_SUSPENDED, 10000);
        if (at < 0)
            die("no SUSPENDED event within 10 s");
        sample("suspend_event", at - t0);

        eventsReset();
        t0 = nowMs();
        if (virDomainResume(dom) < 0)
            die("virDomainResume");
        sample("resume_call", nowMs() - t0);
        at = eventWait(name, VIR_DOMAIN_EVENT_RESUMED, 10000);
        if (at < 0)
            die("no RESUMED event within 10 s");
        sample("resume_event", at - t0);
    }
    if (virDomainDestroy(dom) < 0)
        die("virDomainDestroy");
    undefineOrDie(dom);
    free(xml);
}

static bool
fileContains(const char *path, const char *needle)
{
    char buf[65536];
    int fd = open(path, O_RDONLY);
    ssize_t len;

    if (fd < 0)
        return false;
    len = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (len <= 0)
        return false;
    buf[len] = '\0';
    for (ssize_t i = 0; i < len; i++) {
        if (buf[i] == '\0')
            buf[i] = ' ';
    }
    return strstr(buf, needle) != NULL;
}

/* Starts the test guest and returns the ms from the call to GUEST-READY
 * on its serial console (polled every 0.5 ms). */
static double
guestStartReady(virDomainPtr dom, const char *serial)
{
    double t0;
    double deadline;

    unlink(serial);
    t0 = nowMs();
    if (virDomainCreate(dom) < 0)
        die("virDomainCreate (test guest)");
    /* a deadline for a machine at any load (make check's harness run shares
     * two CPUs with the whole suite): a quiet boot takes ~2 s */
    deadline = t0 + 300000;
    while (!fileContains(serial, "GUEST-READY")) {
        if (nowMs() > deadline)
            die("no GUEST-READY within 300 s");
        usleep(500);
    }
    return nowMs() - t0;
}

/* Starts the test guest for a destroy: booted (GUEST-READY), or, with
 * @booting, just started. */
static void
guestStartForDestroy(virDomainPtr dom, const char *serial, bool booting)
{
    if (!booting) {
        guestStartReady(dom, serial);
        return;
    }
    unlink(serial);
    if (virDomainCreate(dom) < 0)
        die("virDomainCreate (test guest)");
}

/* guest GUESTDIR SERIALDIR REPS [started]: the test guest (see
 * facts/test-guest.md): start to GUEST-READY, shutdown() to the STOPPED
 * event (and the guest's own power-off, seen as the SHUTDOWN event, to
 * STOPPED), destroy, graceful destroy. With "started" (bench.sh QUICK,
 * the check that every row runs) the two destroys end a guest that is
 * still booting, sparing two boots: the same calls on a running QEMU,
 * figures not comparable with a full run's. */
static void
workloadGuest(virConnectPtr conn, const char *guestDir, const char *serialDir, int reps,
              bool destroyBooting)
{
    const char *name = NAME_PREFIX "guest";
    char serial[4096];
    char *xml;
    virDomainPtr dom;

    snprintf(serial, sizeof(serial), "%s/" NAME_PREFIX "guest.serial", serialDir);
    xml = guestXml(name, guestDir, serial);
    dom = defineOrDie(conn, xml);
    for (int r = 0; r < reps; r++) {
        double t0;
        double down;
        double stopped;

        sample("guest_start_ready", guestStartReady(dom, serial));
        eventsReset();
        t0 = nowMs();
        if (virDomainShutdown(dom) < 0)
            die("virDomainShutdown");
        stopped = eventWait(name, VIR_DOMAIN_EVENT_STOPPED, 30000);
        if (stopped < 0)
            die("no STOPPED event within 30 s of shutdown");
        sample("guest_shutdown_stopped", stopped - t0);
        down = eventWait(name, VIR_DOMAIN_EVENT_SHUTDOWN, 0);
        if (down >= 0)
            sample("guest_poweroff_stopped", stopped - down);

        guestStartForDestroy(dom, serial, destroyBooting);
        t0 = nowMs();
        if (virDomainDestroy(dom) < 0)
            die("virDomainDestroy (test guest)");
        sample("guest_destroy", nowMs() - t0);

        guestStartForDestroy(dom, serial, destroyBooting);
        t0 = nowMs();
        if (virDomainDestroyFlags(dom, VIR_DOMAIN_DESTROY_GRACEFUL) < 0)
            die("virDomainDestroyFlags GRACEFUL (test guest)");
        sample("guest_destroy_graceful", nowMs() - t0);
    }
    undefineOrDie(dom);
    unlink(serial);
    free(xml);
}

/* snapsave GUESTDIR SERIALDIR REPS: the test guest (256 MiB) on a qcow2
 * disk, booted once: REPS times an internal snapshot of the running guest
 * (create, then revert to it in the running QEMU, then delete, untimed),
 * then REPS times save to a file and restore from it (calls to their
 * return; the guest runs again after each restore). */
static void
workloadSnapSave(virConnectPtr conn, const char *guestDir, const char *workDir, int reps)
{
    const char *name = NAME_PREFIX "snap";
    char serial[4096];
    char disk[4096];
    char save[4096];
    char cmd[8192];
    char *xml = NULL;
    virDomainPtr dom;

    snprintf(serial, sizeof(serial), "%s/" NAME_PREFIX "snap.serial", workDir);
    snprintf(disk, sizeof(disk), "%s/" NAME_PREFIX "snap.qcow2", workDir);
    snprintf(save, sizeof(save), "%s/" NAME_PREFIX "snap.save", workDir);
    snprintf(cmd, sizeof(cmd), "qemu-img create -q -f qcow2 '%s' 64M", disk);
    if (system(cmd) != 0)
        die("qemu-img create");
    if (asprintf(&xml,
                 "<domain type='qemu'><name>%s</name>"
                 "<memory unit='MiB'>256</memory><vcpu>1</vcpu>"
                 "<os><type arch='x86_64' machine='q35'>hvm</type>"
                 "<kernel>%s/vmlinuz</kernel><initrd>%s/initrd.gz</initrd>"
                 "<cmdline>%s</cmdline></os>"
                 "<features><acpi/></features>"
                 "<on_poweroff>destroy</on_poweroff>"
                 "<devices><emulator>/usr/bin/qemu-system-x86_64</emulator>"
                 "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
                 "<source file='%s'/><target dev='vda' bus='virtio'/></disk>"
                 "<serial type='file'><source path='%s'/><target port='0'/></serial>"
                 "</devices></domain>",
                 name, guestDir, guestDir, guestCmdline(), disk, serial) < 0)
        abort();
    dom = defineOrDie(conn, xml);
    guestStartReady(dom, serial);
    for (int r = 0; r < reps; r++) {
        char sxml[256];
        virDomainSnapshotPtr snap;
        double t0;

        snprintf(sxml, sizeof(sxml), "<domainsnapshot><name>b%d</name></domainsnapshot>",
                 r);
        t0 = nowMs();
        if (!(snap = virDomainSnapshotCreateXML(dom, sxml, 0)))
            die("virDomainSnapshotCreateXML (running guest)");
        sample("snap_create_running", nowMs() - t0);
        t0 = nowMs();
        if (virDomainRevertToSnapshot(snap, 0) < 0)
            die("virDomainRevertToSnapshot (running guest)");
        sample("snap_revert_running", nowMs() - t0);
        if (virDomainSnapshotDelete(snap, 0) < 0)
            die("virDomainSnapshotDelete");
        virDomainSnapshotFree(snap);
    }
    for (int r = 0; r < reps; r++) {
        double t0 = nowMs();

        if (virDomainSave(dom, save) < 0)
            die("virDomainSave");
        sample("save_256m", nowMs() - t0);
        t0 = nowMs();
        if (virDomainRestore(conn, save) < 0)
            die("virDomainRestore");
        sample("restore_256m", nowMs() - t0);
        unlink(save);
    }
    if (virDomainDestroy(dom) < 0)
        die("virDomainDestroy (snapshot guest)");
    undefineOrDie(dom);
    unlink(disk);
    unlink(serial);
    free(xml);
}

/* running N: defines and starts N minimal guests vkb-run-I (for the
 * reconnect cold start); "stoprunning N" destroys and undefines them. */
static void
workloadRunning(virConnectPtr conn, int n, bool start)
{
    for (int i = 0; i < n; i++) {
        char name[64];
        virDomainPtr dom;

        snprintf(name, sizeof(name), NAME_PREFIX "run-%d", i);
        if (start) {
            char *xml = minimalXml(name, 65536);

            dom = defineOrDie(conn, xml);
            free(xml);
            if (virDomainCreate(dom) < 0)
                die("virDomainCreate");
            virDomainFree(dom);
        } else {
            dom = virDomainLookupByName(conn, name);
            if (!dom)
                die("virDomainLookupByName");
            if (virDomainIsActive(dom) == 1 && virDomainDestroy(dom) < 0)
                die("virDomainDestroy");
            undefineOrDie(dom);
        }
    }
}

/* hotplug GUESTDIR SERIALDIR REPS: the test guest (q35, spare root ports)
 * running; REPS times a 16 MiB raw disk attached live (the call:
 * disk_attach) and detached (the call to the DEVICE_REMOVED event:
 * disk_detach; libvirt's detach returns once QEMU removed the device, or
 * after 5 s with the removal pending), and the two together
 * (disk_attach_detach). */
static void
workloadHotplug(virConnectPtr conn, const char *guestDir, const char *serialDir, int reps)
{
    const char *name = NAME_PREFIX "hotplug";
    char serial[4096];
    char img[4096];
    char *xml = NULL;
    char *disk = NULL;
    virDomainPtr dom;
    int fd;

    snprintf(serial, sizeof(serial), "%s/" NAME_PREFIX "hotplug.serial", serialDir);
    snprintf(img, sizeof(img), "%s/" NAME_PREFIX "hotplug.img", serialDir);
    if ((fd = open(img, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0 ||
        ftruncate(fd, 16 << 20) < 0)
        die(img);
    close(fd);
    if (asprintf(&xml,
                 "<domain type='qemu'><name>%s</name>"
                 "<memory unit='MiB'>256</memory><vcpu>1</vcpu>"
                 "<os><type arch='x86_64' machine='q35'>hvm</type>"
                 "<kernel>%s/vmlinuz</kernel><initrd>%s/initrd.gz</initrd>"
                 "<cmdline>console=ttyS0 no_timer_check quiet</cmdline></os>"
                 "<features><acpi/></features>"
                 "<on_poweroff>destroy</on_poweroff>"
                 "<devices><emulator>/usr/bin/qemu-system-x86_64</emulator>"
                 "<controller type='pci' model='pcie-root'/>"
                 "<controller type='pci' model='pcie-root-port'/>"
                 "<controller type='pci' model='pcie-root-port'/>"
                 "<controller type='pci' model='pcie-root-port'/>"
                 "<serial type='file'><source path='%s'/><target port='0'/></serial>"
                 "<memballoon model='none'/>"
                 "</devices></domain>",
                 name, guestDir, guestDir, serial) < 0 ||
        asprintf(&disk,
                 "<disk type='file' device='disk'><driver name='qemu' type='raw'/>"
                 "<source file='%s'/><target dev='vdb' bus='virtio'/></disk>",
                 img) < 0)
        abort();
    dom = defineOrDie(conn, xml);
    guestStartReady(dom, serial);
    for (int r = 0; r < reps; r++) {
        double t0 = nowMs();
        double t1;
        double removed;

        if (virDomainAttachDeviceFlags(dom, disk, VIR_DOMAIN_AFFECT_LIVE) < 0)
            die("virDomainAttachDeviceFlags (disk)");
        t1 = nowMs();
        sample("disk_attach", t1 - t0);
        eventsReset();
        if (virDomainDetachDeviceFlags(dom, disk, VIR_DOMAIN_AFFECT_LIVE) < 0)
            die("virDomainDetachDeviceFlags (disk)");
        if ((removed = eventWait(name, BENCH_EV_DEVICE_REMOVED, 60000)) < 0)
            die("no DEVICE_REMOVED within 60 s of the detach");
        sample("disk_detach", removed - t1);
        sample("disk_attach_detach", removed - t0);
    }
    if (virDomainDestroy(dom) < 0)
        die("virDomainDestroy (hotplug guest)");
    undefineOrDie(dom);
    unlink(serial);
    unlink(img);
    free(xml);
    free(disk);
}

/* The time of one virConnectGetAllDomainStats of every running domain, all
 * groups (the median of @reps calls, each checked to answer @n domains). */
static void
statsAll(virConnectPtr conn, int n, int reps, const char *metric)
{
    for (int r = 0; r < reps; r++) {
        virDomainStatsRecordPtr *recs = NULL;
        double t0 = nowMs();
        int got = virConnectGetAllDomainStats(conn, 0, &recs,
                                              VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE);

        if (got < 0)
            die("virConnectGetAllDomainStats");
        if (metric)
            sample(metric, nowMs() - t0);
        if (got != n) {
            fprintf(stderr, "vkbench: getAllDomainStats answered %d domains, not %d\n",
                    got, n);
            exit(1);
        }
        virDomainStatsRecordListFree(recs);
    }
}

/* stats N REPS: minimal guests vkb-stat-I running; getAllDomainStats of
 * every running domain (one call, all groups) with 1 of them running
 * (stats_all_1), then with all N (stats_all_N). */
static void
workloadStats(virConnectPtr conn, int n, int reps)
{
    virDomainPtr *doms = calloc((size_t)n, sizeof(*doms));
    char metric[64];
    /* guests already running (another workload's, left by a failure)
     * are answered too */
    int base = virConnectNumOfDomains(conn);

    if (!doms || base < 0)
        abort();
    for (int i = 0; i < n; i++) {
        char name[64];
        char *xml;

        snprintf(name, sizeof(name), NAME_PREFIX "stat-%d", i);
        xml = minimalXml(name, 65536);
        doms[i] = defineOrDie(conn, xml);
        free(xml);
        if (virDomainCreate(doms[i]) < 0)
            die("virDomainCreate (stats)");
        if (i == 0) {
            /* (one call first: a daemon's first stats call may probe) */
            statsAll(conn, base + 1, 1, NULL);
            statsAll(conn, base + 1, reps, "stats_all_1");
        }
    }
    snprintf(metric, sizeof(metric), "stats_all_%d", n);
    statsAll(conn, base + n, reps, metric);
    for (int i = 0; i < n; i++) {
        if (virDomainDestroy(doms[i]) < 0)
            die("virDomainDestroy (stats)");
        undefineOrDie(doms[i]);
    }
    free(doms);
}

/* firstlist T0 METRIC: connects and lists, retrying every millisecond for
 * up to 120 s, and reports the time from T0 (the moment the daemon was
 * executed, CLOCK_REALTIME in ms) to the first answer. T0 is a number, or
 * @FILE: a file holding it, read once the list is answered (the daemon's
 * launcher writes it just before the exec, so it is there by then). With
 * @FILE the client can be started together with the daemon, retrying
 * from the start, rather than after the launcher saw the file. */
static double
firstListT0(const char *arg)
{
    FILE *f;
    double t0 = 0;

    if (arg[0] != '@')
        return atof(arg);
    if (!(f = fopen(arg + 1, "r")) || fscanf(f, "%lf", &t0) != 1)
        die("cannot read the daemon's start time");
    fclose(f);
    return t0;
}

static void
workloadFirstList(const char *uri, const char *t0arg, const char *metric)
{
    double deadline = nowMs() + 120000;

    virSetErrorFunc(NULL, quietErrors);
    for (;;) {
        virConnectPtr conn = virConnectOpen(uri);

        if (conn) {
            virDomainPtr *doms = NULL;
            int n = virConnectListAllDomains(conn, &doms, 0);

            if (n >= 0) {
                double t = realtimeMs();

                sample(metric, t - firstListT0(t0arg));
                printf("listed %d domains\n", n);
                for (int i = 0; i < n; i++)
                    virDomainFree(doms[i]);
                free(doms);
                virConnectClose(conn);
                return;
            }
            virConnectClose(conn);
        }
        if (nowMs() > deadline)
            die("no answered list within 120 s");
        usleep(1000);
    }
}

/* inproc N REPS: for in-process drivers, whose state lives in this
 * process only: define N, list all, lookup rate, lookup+state throughput
 * on one thread, undefine N, all in one connection. */
static void
workloadInProcess(const char *uri, virConnectPtr conn, int n, int reps)
{
    workloadDefine(conn, 0, n, "inproc_define");
    workloadList(conn, reps * 10, "inproc_listall");
    workloadLookupRate(conn, n, reps, "inproc_lookup_per_s");
    workloadThroughput(uri, conn, n, 1, true, 1.0, reps, "inproc_calls_1t_per_s");
    workloadUndefine(conn, n, "inproc_undefine");
}

static int
argInt(int argc, char **argv, int i, int def)
{
    return argc > i ? atoi(argv[i]) : def;
}

int
main(int argc, char **argv)
{
    const char *uri;
    const char *workload;
    const char *tag;
    virConnectPtr conn;
    pthread_t loop;
    char metric[128];

    if (argc < 3) {
        fprintf(
            stderr,
            "usage: vkbench URI WORKLOAD [ARGS...]\n"
            "  define FROM N TAG | undefine N TAG | list REPS TAG | lookup N REPS TAG\n"
            "  lookuprate N REPS TAG | throughput N THREADS shared|own SECONDS REPS TAG\n"
            "  startdestroy REPS | suspend REPS | guest GUESTDIR SERIALDIR REPS [started]\n"
            "  console GUESTDIR SECONDS KEYS | snapsave GUESTDIR WORKDIR REPS\n"
            "  inproc N REPS | running N | stoprunning N | firstlist T0_MS|@FILE TAG\n"
            "  network REPS | netguest GUESTDIR SERIALDIR REPS BYTES [serve TAG]\n"
            "  nettrigger NETNS_PID TX_SERIAL BYTES\n"
            "  netpair NSPID_A TX_SERIAL_A TAP_A NSPID_B TX_SERIAL_B TAP_B BYTES\n"
            "  hotplug GUESTDIR SERIALDIR REPS | stats N REPS\n"
            "  storage DIR FULL SPARSE NVOLS REPS [all|xfer|refresh]\n");
        return 2;
    }
    uri = argv[1];
    workload = argv[2];

    if (strcmp(workload, "netpair") == 0 && argc > 9) {
        workloadNetPair(argv[3], argv[4], argv[5], argv[6], argv[7], argv[8],
                        atoll(argv[9]));
        return 0;
    }
    if (strcmp(workload, "nettrigger") == 0 && argc > 5) {
        workloadNetTrigger(argv[3], argv[4], atoll(argv[5]));
        return 0;
    }
    if (strcmp(workload, "firstlist") == 0) {
        workloadFirstList(uri, argv[3], argc > 4 ? argv[4] : "firstlist");
        return 0;
    }

    if (virEventRegisterDefaultImpl() < 0)
        die("virEventRegisterDefaultImpl");
    pthread_create(&loop, NULL, eventLoopThread, NULL);
    pthread_detach(loop);
    conn = openConnection(uri, strcmp(workload, "suspend") == 0 ||
                                   strcmp(workload, "guest") == 0 ||
                                   strcmp(workload, "hotplug") == 0);

    if (strcmp(workload, "define") == 0) {
        tag = argc > 5 ? argv[5] : "";
        snprintf(metric, sizeof(metric), "define%s", tag);
        workloadDefine(conn, argInt(argc, argv, 3, 0), argInt(argc, argv, 4, 1000),
                       metric);
    } else if (strcmp(workload, "undefine") == 0) {
        tag = argc > 4 ? argv[4] : "";
        snprintf(metric, sizeof(metric), "undefine%s", tag);
        workloadUndefine(conn, argInt(argc, argv, 3, 1000), metric);
    } else if (strcmp(workload, "list") == 0) {
        tag = argc > 4 ? argv[4] : "";
        snprintf(metric, sizeof(metric), "listall%s", tag);
        workloadList(conn, argInt(argc, argv, 3, 50), metric);
    } else if (strcmp(workload, "lookup") == 0) {
        tag = argc > 5 ? argv[5] : "";
        snprintf(metric, sizeof(metric), "lookup%s", tag);
        workloadLookup(conn, argInt(argc, argv, 3, 1000), argInt(argc, argv, 4, 1000),
                       metric);
    } else if (strcmp(workload, "lookuprate") == 0) {
        tag = argc > 5 ? argv[5] : "";
        snprintf(metric, sizeof(metric), "lookup_per_s%s", tag);
        workloadLookupRate(conn, argInt(argc, argv, 3, 1000), argInt(argc, argv, 4, 5),
                           metric);
    } else if (strcmp(workload, "throughput") == 0 && argc > 5) {
        bool shared = strcmp(argv[5], "shared") == 0;
        int threads = argInt(argc, argv, 4, 1);

        tag = argc > 8 ? argv[8] : "";
        snprintf(metric, sizeof(metric), "calls_%dt_%s%s_per_s", threads,
                 shared ? "shared" : "own", tag);
        workloadThroughput(uri, conn, argInt(argc, argv, 3, 1000), threads, shared,
                           argc > 6 ? atof(argv[6]) : 2.0, argInt(argc, argv, 7, 3),
                           metric);
    } else if (strcmp(workload, "inproc") == 0) {
        workloadInProcess(uri, conn, argInt(argc, argv, 3, 10000),
                          argInt(argc, argv, 4, 5));
    } else if (strcmp(workload, "storage") == 0 && argc > 5) {
        workloadStorage(conn, argv[3], argv[4], argv[5], argInt(argc, argv, 6, 1000),
                        argInt(argc, argv, 7, 3), argc > 8 ? argv[8] : "all");
    } else if (strcmp(workload, "network") == 0) {
        workloadNetwork(conn, argInt(argc, argv, 3, 10));
    } else if (strcmp(workload, "netguest") == 0 && argc > 4) {
        workloadNetGuest(conn, argv[3], argv[4], argInt(argc, argv, 5, 3),
                         argc > 6 ? atoll(argv[6]) : 64LL << 20,
                         argc > 8 && strcmp(argv[7], "serve") == 0 ? argv[8] : NULL);
    } else if (strcmp(workload, "startdestroy") == 0) {
        workloadStartDestroy(conn, argInt(argc, argv, 3, 10));
    } else if (strcmp(workload, "suspend") == 0) {
        workloadSuspend(conn, argInt(argc, argv, 3, 20));
    } else if (strcmp(workload, "guest") == 0 && argc > 4) {
        workloadGuest(conn, argv[3], argv[4], argInt(argc, argv, 5, 3),
                      argc > 6 && strcmp(argv[6], "started") == 0);
    } else if (strcmp(workload, "snapsave") == 0 && argc > 4) {
        workloadSnapSave(conn, argv[3], argv[4], argInt(argc, argv, 5, 3));
    } else if (strcmp(workload, "console") == 0 && argc > 3) {
        workloadConsole(conn, argv[3], argc > 4 ? atof(argv[4]) : 3.0,
                        argInt(argc, argv, 5, 20));
    } else if (strcmp(workload, "hotplug") == 0 && argc > 4) {
        workloadHotplug(conn, argv[3], argv[4], argInt(argc, argv, 5, 5));
    } else if (strcmp(workload, "stats") == 0) {
        workloadStats(conn, argInt(argc, argv, 3, 20), argInt(argc, argv, 4, 10));
    } else if (strcmp(workload, "running") == 0) {
        workloadRunning(conn, argInt(argc, argv, 3, 5), true);
    } else if (strcmp(workload, "stoprunning") == 0) {
        workloadRunning(conn, argInt(argc, argv, 3, 5), false);
    } else {
        fprintf(stderr, "vkbench: unknown workload or missing arguments: %s\n", workload);
        return 2;
    }
    /* The event loop thread is still running: leave without closing. */
    fflush(stdout);
    _exit(0);
}
