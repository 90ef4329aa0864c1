/* virtkit-qemu-timing.c: rough timings of start, destroy and power-off against the raw QEMU floor */

/*
 * Not a test (nothing is asserted): prints medians for the bench engineer's
 * figures. Threads: main drives; one thread runs the default event loop
 * and stamps each lifecycle event as it is delivered.
 * Floor: the same QEMU started by hand (-S, QMP on a socketpair) up to the
 * qmp_capabilities reply, and its exit after "quit".
 */

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#define RUNS 5

static GAsyncQueue *events;   /* gint64 timestamps of STOPPED / SHUTDOWN, tagged */

static int
lifecycleCb(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
    gint64 *rec = g_new(gint64, 2);

    rec[0] = event;
    rec[1] = g_get_monotonic_time();
    g_async_queue_push(events, rec);
    return 0;
}

static gpointer
loop(gpointer data)
{
    for (;;)
        virEventRunDefaultImpl();
    return NULL;
}

static gint64
waitEvent(int type)
{
    for (;;) {
        gint64 *rec = g_async_queue_timeout_pop(events, 120 * G_USEC_PER_SEC);
        gint64 t;

        if (!rec) {
            fprintf(stderr, "no event %d\n", type);
            exit(1);
        }
        t = rec[1];
        if (rec[0] == type) {
            g_free(rec);
            return t;
        }
        g_free(rec);
    }
}

static void
readLine(int fd, char *buf, size_t len)
{
    size_t off = 0;

    while (off + 1 < len) {
        if (read(fd, buf + off, 1) != 1)
            break;
        if (buf[off++] == '\n')
            break;
    }
    buf[off] = '\0';
}

/* Floor: spawn QEMU paused with QMP on a socketpair, greeting +
 * qmp_capabilities (ms); then "quit" and its exit (ms). */
static void
rawFloor(double *startMs, double *quitMs)
{
    int sv[2];
    char line[8192];
    gint64 t0, t1;
    pid_t pid;
    int pidfd;
    struct pollfd pfd;

    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    t0 = g_get_monotonic_time();
    if ((pid = fork()) == 0) {
        char chardev[64];

        close(sv[0]);
        g_snprintf(chardev, sizeof(chardev), "socket,id=mon,fd=%d", sv[1]);
        execlp("qemu-system-x86_64", "qemu-system-x86_64", "-S", "-no-user-config",
               "-nodefaults", "-no-shutdown", "-display", "none", "-machine", "q35",
               "-accel", "tcg", "-m", "256", "-chardev", chardev,
               "-mon", "chardev=mon,mode=control", NULL);
        _exit(127);
    }
    close(sv[1]);
    pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    readLine(sv[0], line, sizeof(line));                       /* greeting */
    if (write(sv[0], "{\"execute\":\"qmp_capabilities\"}\n", 31) != 31)
        exit(1);
    readLine(sv[0], line, sizeof(line));
    t1 = g_get_monotonic_time();
    *startMs = (t1 - t0) / 1000.0;

    t0 = g_get_monotonic_time();
    if (write(sv[0], "{\"execute\":\"quit\"}\n", 19) != 19)
        exit(1);
    pfd.fd = pidfd;
    pfd.events = POLLIN;
    poll(&pfd, 1, -1);
    *quitMs = (g_get_monotonic_time() - t0) / 1000.0;
    waitpid(pid, NULL, 0);
    close(pidfd);
    close(sv[0]);
}

static int
cmpd(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static double
median(double *v, int n)
{
    qsort(v, n, sizeof(*v), cmpd);
    return v[n / 2];
}

int
main(int argc, char **argv)
{
    g_autofree char *uri = NULL;
    g_autofree char *fwxml = NULL;
    g_autofree char *guestxml = NULL;
    double floorStart[RUNS], floorQuit[RUNS], start[RUNS], destroy[RUNS], poweroff[RUNS];
    virConnectPtr conn;

    if (argc != 3) {
        fprintf(stderr, "usage: %s ROOT GUESTDIR\n", argv[0]);
        return 2;
    }
    uri = g_strdup_printf("qemu:///embed?root=%s", argv[1]);
    fwxml = g_strdup("<domain type='qemu'><name>fw</name><memory unit='MiB'>256</memory>"
                     "<os><type arch='x86_64' machine='q35'>hvm</type></os>"
                     "<features><acpi/></features></domain>");
    guestxml = g_strdup_printf("<domain type='qemu'><name>g</name>"
                               "<memory unit='MiB'>256</memory><os>"
                               "<type arch='x86_64' machine='q35'>hvm</type>"
                               "<kernel>%s/vmlinuz</kernel><initrd>%s/initrd.gz</initrd>"
                               "<cmdline>console=ttyS0 quiet</cmdline></os>"
                               "<features><acpi/></features><devices><serial type='file'>"
                               "<source path='%s/g.serial'/></serial></devices></domain>",
                               argv[2], argv[2], argv[1]);
    events = g_async_queue_new();
    virEventRegisterDefaultImpl();
    g_thread_unref(g_thread_new("event-loop", loop, NULL));
    if (!(conn = virConnectOpen(uri)))
        return 1;
    virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                     (virConnectDomainEventGenericCallback)(void (*)(void))
                                     lifecycleCb, NULL, NULL);

    for (int i = 0; i < RUNS; i++) {
        virDomainPtr dom;
        gint64 t0;

        rawFloor(&floorStart[i], &floorQuit[i]);

        t0 = g_get_monotonic_time();
        if (!(dom = virDomainCreateXML(conn, fwxml, 0))) {
            fprintf(stderr, "start: %s\n", virGetLastErrorMessage());
            return 1;
        }
        start[i] = (g_get_monotonic_time() - t0) / 1000.0;
        t0 = g_get_monotonic_time();
        virDomainDestroyFlags(dom, VIR_DOMAIN_DESTROY_GRACEFUL);
        destroy[i] = (g_get_monotonic_time() - t0) / 1000.0;
        virDomainFree(dom);
    }

    for (int i = 0; i < 3; i++) {
        g_autofree char *serial = g_strdup_printf("%s/g.serial", argv[1]);
        virDomainPtr dom = virDomainCreateXML(conn, guestxml, 0);
        gint64 tShut, tStop;

        if (!dom)
            return 1;
        /* wait for the guest's power-button reader: a 50 ms console poll
         * is fine here, nothing measured depends on when it is noticed */
        for (;;) {
            g_autofree char *text = NULL;

            if (g_file_get_contents(serial, &text, NULL, NULL) && strstr(text, "GUEST-READY"))
                break;
            g_usleep(50000);
        }
        virDomainShutdown(dom);
        tShut = waitEvent(VIR_DOMAIN_EVENT_SHUTDOWN);
        tStop = waitEvent(VIR_DOMAIN_EVENT_STOPPED);
        poweroff[i] = (tStop - tShut) / 1000.0;
        virDomainFree(dom);
        unlink(serial);
    }

    printf("start:    virtkit %.1f ms, floor (spawn + qmp_capabilities) %.1f ms, "
           "difference %.1f ms (medians of %d)\n",
           median(start, RUNS), median(floorStart, RUNS),
           median(start, RUNS) - median(floorStart, RUNS), RUNS);
    printf("destroy:  virtkit graceful %.1f ms, floor (quit -> exit) %.1f ms, "
           "difference %.1f ms\n",
           median(destroy, RUNS), median(floorQuit, RUNS),
           median(destroy, RUNS) - median(floorQuit, RUNS));
    printf("poweroff: SHUTDOWN event -> STOPPED event %.1f ms (median of 3)\n",
           median(poweroff, 3));
    virConnectClose(conn);
    return 0;
}
