/* vkjournalbench.c: the event journal's cost: STOPPED event latency and daemon CPU per 10,000 events */

/*
 * Run by scripts/bench.sh against virtkitd twice, once with its event
 * journal (the default) and once without (--event-journal-max 0); TAG
 * ("on"/"off") names the metric:
 *
 *   vkjournalbench URI stopped TAG REPS
 *     a minimal diskless guest started and destroyed REPS times; each
 *     sample is the time from the destroy call to the STOPPED event at
 *     this client (the journal's hook runs on the queueing thread, before
 *     the event is sent): "S journal_stopped_TAG MS".
 *   vkjournalbench URI cpu TAG EVENTS POOLDIR DAEMONPID REPS
 *     a transient dir pool at POOLDIR, refreshed EVENTS times per rep
 *     (each refresh is one storage REFRESH event, journaled like a domain
 *     event); the daemon's CPU time (utime + stime of /proc/PID/stat,
 *     every thread) from the first refresh until this client received all
 *     EVENTS events: "S journal_cpu10k_TAG MS" scaled to 10,000 events.
 *
 * Threads: the main thread makes the calls; a second runs libvirt's event
 * loop, whose callbacks count events under a mutex.
 */

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#define NAME "vkj-mini"
#define POOL "vkj-pool"
#define WAIT_MS 60000.0

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int nStarted, nStopped;
static double stoppedAt;
static long nRefresh;

static double
nowMs(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static void
die(const char *what)
{
    virErrorPtr err = virGetLastError();

    fprintf(stderr, "vkjournalbench: %s: %s\n", what,
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
eventLoop(void *opaque)
{
    (void)opaque;
    for (;;)
        virEventRunDefaultImpl();
    return NULL;
}

static int
onLifecycle(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
    double at = nowMs();

    (void)conn, (void)detail, (void)opaque;
    if (strcmp(virDomainGetName(dom), NAME) != 0)
        return 0;
    pthread_mutex_lock(&lock);
    if (event == VIR_DOMAIN_EVENT_STARTED)
        nStarted++;
    if (event == VIR_DOMAIN_EVENT_STOPPED) {
        nStopped++;
        stoppedAt = at;
    }
    pthread_cond_broadcast(&cond);
    pthread_mutex_unlock(&lock);
    return 0;
}

static void
onRefresh(virConnectPtr conn, virStoragePoolPtr pool, void *opaque)
{
    (void)conn, (void)pool, (void)opaque;
    pthread_mutex_lock(&lock);
    nRefresh++;
    pthread_cond_broadcast(&cond);
    pthread_mutex_unlock(&lock);
}

/* Wait until *@counter reaches @want; false after WAIT_MS. */
static bool
waitCount(const void *counter, bool isLong, long want)
{
    double deadline = nowMs() + WAIT_MS;
    bool ok;

    pthread_mutex_lock(&lock);
    for (;;) {
        long have = isLong ? *(const long *)counter : *(const int *)counter;
        struct timespec ts;

        if ((ok = have >= want) || nowMs() > deadline)
            break;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 5 * 1000 * 1000;
        if (ts.tv_nsec >= 1000000000) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000;
        }
        pthread_cond_timedwait(&cond, &lock, &ts);
    }
    pthread_mutex_unlock(&lock);
    return ok;
}

/* utime + stime of every thread of @pid, in ms. */
static double
cpuMs(long pid)
{
    char path[64], buf[4096];
    FILE *f;
    size_t n;
    char *p;
    unsigned long long ut = 0, st = 0;

    snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
    if (!(f = fopen(path, "r")))
        die("cannot read the daemon's /proc/PID/stat");
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    /* fields after the command name (which may hold spaces): state is 3 */
    if (!(p = strrchr(buf, ')')) ||
        sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut,
               &st) != 2)
        die("cannot parse the daemon's /proc/PID/stat");
    return (double)(ut + st) * 1000.0 / (double)sysconf(_SC_CLK_TCK);
}

static void
workloadStopped(virConnectPtr conn, const char *tag, int reps)
{
    const char *xml =
        "<domain type='qemu'><name>" NAME "</name>"
        "<memory unit='KiB'>65536</memory><vcpu>1</vcpu>"
        "<os><type arch='x86_64' machine='pc'>hvm</type></os>"
        "<devices><emulator>/usr/bin/qemu-system-x86_64</emulator></devices>"
        "</domain>";
    virDomainPtr dom;

    if (virConnectDomainEventRegisterAny(
            conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
            (virConnectDomainEventGenericCallback)(void (*)(void))onLifecycle, NULL,
            NULL) < 0)
        die("virConnectDomainEventRegisterAny");
    for (int r = 0; r < reps; r++) {
        double t0;

        if (!(dom = virDomainCreateXML(conn, xml, 0)))
            die("virDomainCreateXML");
        if (!waitCount(&nStarted, false, r + 1))
            die("no STARTED event within 60 s");
        t0 = nowMs();
        if (virDomainDestroy(dom) < 0)
            die("virDomainDestroy");
        if (!waitCount(&nStopped, false, r + 1))
            die("no STOPPED event within 60 s");
        pthread_mutex_lock(&lock);
        printf("S journal_stopped_%s %.3f\n", tag, stoppedAt - t0);
        pthread_mutex_unlock(&lock);
        fflush(stdout);
        virDomainFree(dom);
    }
}

static void
workloadCpu(virConnectPtr conn, const char *tag, long events, const char *dir, long pid,
            int reps)
{
    char xml[4096];
    virStoragePoolPtr pool;

    snprintf(xml, sizeof(xml),
             "<pool type='dir'><name>" POOL "</name><target><path>%s</path></target>"
             "</pool>",
             dir);
    if (!(pool = virStoragePoolCreateXML(conn, xml, VIR_STORAGE_POOL_CREATE_WITH_BUILD)))
        die("virStoragePoolCreateXML");
    if (virConnectStoragePoolEventRegisterAny(
            conn, pool, VIR_STORAGE_POOL_EVENT_ID_REFRESH,
            (virConnectStoragePoolEventGenericCallback)(void (*)(void))onRefresh, NULL,
            NULL) < 0)
        die("virConnectStoragePoolEventRegisterAny");
    for (int r = 0; r < reps; r++) {
        long base;
        double c0, c1;

        pthread_mutex_lock(&lock);
        base = nRefresh;
        pthread_mutex_unlock(&lock);
        c0 = cpuMs(pid);
        for (long i = 0; i < events; i++) {
            if (virStoragePoolRefresh(pool, 0) < 0)
                die("virStoragePoolRefresh");
        }
        if (!waitCount(&nRefresh, true, base + events))
            die("not every REFRESH event arrived within 60 s");
        c1 = cpuMs(pid);
        printf("S journal_cpu10k_%s %.3f\n", tag, (c1 - c0) * 10000.0 / (double)events);
        fflush(stdout);
    }
    if (virStoragePoolDestroy(pool) < 0)
        die("virStoragePoolDestroy");
    virStoragePoolFree(pool);
}

int
main(int argc, char **argv)
{
    virConnectPtr conn = NULL;
    pthread_t loop;
    double deadline = nowMs() + 120000;

    if (argc < 5 || (strcmp(argv[2], "stopped") != 0 && strcmp(argv[2], "cpu") != 0) ||
        (strcmp(argv[2], "cpu") == 0 && argc < 8)) {
        fprintf(stderr,
                "usage: vkjournalbench URI stopped TAG REPS\n"
                "       vkjournalbench URI cpu TAG EVENTS POOLDIR DAEMONPID REPS\n");
        return 2;
    }
    virSetErrorFunc(NULL, quietErrors);
    if (virEventRegisterDefaultImpl() < 0)
        die("virEventRegisterDefaultImpl");
    pthread_create(&loop, NULL, eventLoop, NULL);
    pthread_detach(loop);
    /* the daemon may just have been started */
    while (!(conn = virConnectOpen(argv[1]))) {
        if (nowMs() > deadline)
            die("virConnectOpen");
        usleep(10000);
    }
    if (strcmp(argv[2], "stopped") == 0)
        workloadStopped(conn, argv[3], atoi(argv[4]));
    else
        workloadCpu(conn, argv[3], atol(argv[4]), argv[5], atol(argv[6]), atoi(argv[7]));
    virConnectClose(conn);
    return 0;
}
