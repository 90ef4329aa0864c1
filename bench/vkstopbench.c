/* vkstopbench.c: stopping a guest within a deadline: vkDomainStop (virtkit) against libvirt's shutdown+poll+destroy */

/*
 * Built twice: against libvirtkit with VKSTOP_VIRTKIT (the call is
 * vkDomainStop with SIGKILL allowed, one call), and against Debian's
 * libvirt (the sequence a libvirt user writes today: virDomainShutdown,
 * poll the state every 100 ms until shut off or the deadline, then
 * virDomainDestroy, which itself waits up to 10 s after SIGTERM before
 * SIGKILL). Each sample is the time from the first call to the domain
 * reported shut off.
 *
 *   vkstopbench URI stop GUESTDIR SERIALDIR acpi|deaf|hung DEADLINE_S REPS PIDFILE [started]
 *
 * acpi: the test guest, once it printed GUEST-READY (honours the button);
 * deaf: QEMU with no kernel, sitting in its firmware (ignores the button);
 * hung: the test guest, ready, its QEMU then SIGSTOPped (ignores all but
 * SIGKILL). PIDFILE: where the daemon records the QEMU pid (virtkitd's
 * status file, libvirtd's NAME.pid); the pid is read from there, never
 * looked up by name. Prints "S stop_<behaviour> MS" lines for
 * scripts/bench.sh, and the step that ended the guest on stderr. With
 * "started" (bench.sh QUICK, the check that every row runs) the hung
 * guest's QEMU is stopped as soon as it started rather than once ready:
 * the same calls against a QEMU that answers nothing, one boot fewer.
 *
 * Threads: the main thread; for libvirt's sequence, virDomainShutdown runs
 * on a thread and a connection of its own (against a hung QEMU it blocks
 * on the monitor, as it does for libvirt's users) and is joined after the
 * destroy released it.
 */

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#ifdef VKSTOP_VIRTKIT
#include <virtkit/virtkit.h>
#endif

#define NAME "vkb-stop"

/* The test guest's kernel command line: $VKBENCH_GUEST_CMDLINE when set
 * (bench.sh QUICK adds cryptomgr.notests: figures of a QUICK run are not
 * compared with a full one's), else the one BENCHMARKS.md was measured
 * with. Put in XML text as it is: it must hold no markup. */
static const char *
guestCmdline(void)
{
    const char *c = getenv("VKBENCH_GUEST_CMDLINE");

    return c && *c ? c : "console=ttyS0 no_timer_check quiet";
}

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

    fprintf(stderr, "vkstopbench: %s: %s\n", what,
            err && err->message ? err->message : "");
    exit(1);
}

static void
quietErrors(void *opaque, virErrorPtr err)
{
}

static bool
fileContains(const char *path, const char *needle)
{
    char buf[65536];
    FILE *f = fopen(path, "r");
    size_t n;

    if (!f)
        return false;
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    return strstr(buf, needle) != NULL;
}

/* The QEMU pid the daemon recorded: "pid='N'" in a status file, or a pid
 * file holding N. */
static pid_t
recordedPid(const char *path)
{
    char buf[65536];
    FILE *f = fopen(path, "r");
    const char *p;
    size_t n;

    if (!f)
        return -1;
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    p = strstr(buf, "pid='");
    return (pid_t)atoi(p ? p + 5 : buf);
}

static char *
guestXml(const char *guestDir, const char *serial, bool kernel)
{
    char *xml = NULL;
    char os[8192] = "";

    if (kernel)
        snprintf(os, sizeof(os),
                 "<kernel>%s/vmlinuz</kernel><initrd>%s/initrd.gz</initrd>"
                 "<cmdline>%s</cmdline>",
                 guestDir, guestDir, guestCmdline());
    if (asprintf(&xml,
                 "<domain type='qemu'><name>" NAME "</name>"
                 "<memory unit='MiB'>256</memory><vcpu>1</vcpu><os>"
                 "<type arch='x86_64' machine='q35'>hvm</type>%s</os>"
                 "<features><acpi/></features><on_poweroff>destroy</on_poweroff>"
                 "<devices><emulator>/usr/bin/qemu-system-x86_64</emulator>"
                 "<serial type='file'><source path='%s'/><target port='0'/></serial>"
                 "</devices></domain>",
                 os, serial) < 0)
        die("asprintf");
    return xml;
}

static bool
isShutoff(virDomainPtr dom)
{
    int state = -1;
    int reason = -1;

    return virDomainGetState(dom, &state, &reason, 0) == 0 && state == VIR_DOMAIN_SHUTOFF;
}

#ifdef VKSTOP_VIRTKIT
static double
stopOnce(virDomainPtr dom, unsigned int deadlineMs)
{
    vkStopReport r;
    double t0 = nowMs();
    double ms;

    if (vkDomainStop(dom, deadlineMs, VK_STOP_ALLOW_KILL, &r) < 0)
        die("vkDomainStop");
    ms = nowMs() - t0;
    if (!isShutoff(dom))
        die("still running after vkDomainStop");
    fprintf(stderr, "virtkit: ended by %s in %.0f ms, flushed %d\n",
            vkStopStepName(r.ended_by), ms, r.flushed);
    return ms;
}
#else
static const char *benchUri;

/* virDomainShutdown on a connection of its own: a call stuck on a hung
 * QEMU was seen (libvirt 9.0) to hold back the state polls of its own
 * connection for minutes. Its result does not matter: the state does. */
static void *
shutdownThread(void *opaque)
{
    virConnectPtr conn = virConnectOpen(benchUri);
    virDomainPtr dom;

    if (!conn)
        return NULL;
    if ((dom = virDomainLookupByName(conn, NAME))) {
        virDomainShutdown(dom);
        virDomainFree(dom);
    }
    virConnectClose(conn);
    return NULL;
}

static double
stopOnce(virDomainPtr dom, unsigned int deadlineMs)
{
    double t0 = nowMs();
    double ms;
    pthread_t th;
    bool destroyed = false;

    pthread_create(&th, NULL, shutdownThread, NULL);
    while (!isShutoff(dom) && nowMs() - t0 < deadlineMs)
        usleep(100000);
    if (!isShutoff(dom)) {
        destroyed = true;
        if (virDomainDestroy(dom) < 0 && !isShutoff(dom))
            die("virDomainDestroy");
    }
    ms = nowMs() - t0;
    pthread_join(th, NULL);
    fprintf(stderr, "libvirt: %s in %.0f ms\n",
            destroyed ? "shutdown timed out, destroyed" : "shut down", ms);
    return ms;
}
#endif

static void
startReady(virDomainPtr dom, const char *serial, bool kernel)
{
    double deadline;

    unlink(serial);
    if (virDomainCreate(dom) < 0)
        die("virDomainCreate");
    if (!kernel)
        return;
    deadline = nowMs() + 120000;
    while (!fileContains(serial, "GUEST-READY")) {
        if (nowMs() > deadline)
            die("no GUEST-READY within 120 s");
        usleep(1000);
    }
}

int
main(int argc, char **argv)
{
    const char *behaviour;
    char serial[4096];
    char metric[64];
    char *xml;
    virConnectPtr conn;
    virDomainPtr dom;
    unsigned int deadlineMs;
    bool kernel;
    bool hung;
    bool hungStarted;
    int reps;

    if (argc < 9 || strcmp(argv[2], "stop") != 0) {
        fprintf(stderr, "usage: vkstopbench URI stop GUESTDIR SERIALDIR acpi|deaf|hung "
                        "DEADLINE_S REPS PIDFILE [started]\n");
        return 2;
    }
    behaviour = argv[5];
    deadlineMs = (unsigned int)atoi(argv[6]) * 1000;
    reps = atoi(argv[7]);
    kernel = strcmp(behaviour, "deaf") != 0;
    hung = strcmp(behaviour, "hung") == 0;
    hungStarted = hung && argc > 9 && strcmp(argv[9], "started") == 0;
    snprintf(serial, sizeof(serial), "%s/" NAME ".serial", argv[4]);
    snprintf(metric, sizeof(metric), "stop_%s", behaviour);

    virSetErrorFunc(NULL, quietErrors);
#ifndef VKSTOP_VIRTKIT
    benchUri = argv[1];
#endif
    if (!(conn = virConnectOpen(argv[1])))
        die("virConnectOpen");
    xml = guestXml(argv[3], serial, kernel);
    if (!(dom = virDomainDefineXML(conn, xml)))
        die("virDomainDefineXML");
    free(xml);
    for (int r = 0; r < reps; r++) {
        startReady(dom, serial, kernel && !hungStarted);
        if (hung) {
            pid_t pid = recordedPid(argv[8]);

            if (pid <= 1 || kill(pid, SIGSTOP) < 0)
                die("cannot stop the recorded QEMU");
        }
        printf("S %s %.3f\n", metric, stopOnce(dom, deadlineMs));
        fflush(stdout);
    }
    if (virDomainUndefine(dom) < 0)
        die("virDomainUndefine");
    virDomainFree(dom);
    virConnectClose(conn);
    unlink(serial);
    return 0;
}
