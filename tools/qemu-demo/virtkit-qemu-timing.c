/* virtkit-qemu-timing.c: rough timings of start, destroy and power-off against the raw QEMU floor */

/*
 * Not a test (nothing is asserted): prints medians for the bench engineer's
 * figures. Threads: main drives; one thread runs the default event loop
 * and stamps each lifecycle event as it is delivered.
 * Floor: the same argv (read back from the domain log) started by hand with
 * the monitor pre-connected the same way, up to the qmp_capabilities reply,
 * and its exit after "quit".
 */

#define G_LOG_DOMAIN "virtkit.demo"
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#define RUNS 5

static GAsyncQueue *events; /* gint64 timestamps of STOPPED / SHUTDOWN, tagged */

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

/* The argv of the last start recorded in @log (the lines after the last
 * "LC_ALL=C \\" header line, one argument per line, " \\" continued). */
static char **
argvFromLog(const char *log)
{
    g_autofree char *text = NULL;
    g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func(g_free);
    g_auto(GStrv) lines = NULL;
    const char *start;

    if (!g_file_get_contents(log, &text, NULL, NULL) ||
        !(start = g_strrstr(text, "LC_ALL=C \\\n")))
        return NULL;
    lines = g_strsplit(start + strlen("LC_ALL=C \\\n"), "\n", -1);
    for (size_t i = 0; lines[i]; i++) {
        char *line = lines[i];
        size_t len = strlen(line);
        bool more = len >= 2 && g_str_has_suffix(line, " \\");
        char *arg;

        if (more)
            line[len - 2] = '\0';
        arg = line[0] == '\'' ? g_shell_unquote(line, NULL) : g_strdup(line);
        g_ptr_array_add(args, arg);
        if (!more)
            break;
    }
    g_ptr_array_add(args, NULL);
    return (char **)g_ptr_array_free(g_steal_pointer(&args), FALSE);
}

/* Floor: the very argv virtkit used, spawned by hand with the monitor
 * pre-connected the same way, up to the qmp_capabilities reply (ms); then
 * "quit" and its exit (ms). */
static void
rawFloor(char **argv, const char *sockpath, double *startMs, double *quitMs)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    char line[65536];
    gint64 t0, t1;
    pid_t pid;
    int pidfd;
    int lfd, cfd;
    struct pollfd pfd;

    g_strlcpy(addr.sun_path, sockpath, sizeof(addr.sun_path));
    unlink(sockpath);
    t0 = g_get_monotonic_time();
    lfd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(lfd, 1) < 0)
        exit(1);
    cfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (connect(cfd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
        exit(1);
    for (size_t i = 0; argv[i]; i++) {
        if (g_str_has_prefix(argv[i], "socket,id=charmonitor,fd=")) {
            g_free(argv[i]);
            argv[i] =
                g_strdup_printf("socket,id=charmonitor,fd=%d,server=on,wait=off", lfd);
        }
    }
    if ((pid = fork()) == 0) {
        int devnull = open("/dev/null", O_RDWR);

        dup2(devnull, 1);
        dup2(devnull, 2);
        execv(argv[0], argv);
        _exit(127);
    }
    close(lfd);
    pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    readLine(cfd, line, sizeof(line)); /* greeting */
    if (write(cfd, "{\"execute\":\"qmp_capabilities\"}\n", 31) != 31)
        exit(1);
    readLine(cfd, line, sizeof(line));
    t1 = g_get_monotonic_time();
    *startMs = (t1 - t0) / 1000.0;

    t0 = g_get_monotonic_time();
    if (write(cfd, "{\"execute\":\"quit\"}\n", 19) != 19)
        exit(1);
    pfd.fd = pidfd;
    pfd.events = POLLIN;
    poll(&pfd, 1, -1);
    *quitMs = (g_get_monotonic_time() - t0) / 1000.0;
    waitpid(pid, NULL, 0);
    close(pidfd);
    close(cfd);
    unlink(sockpath);
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
    g_autofree char *fwlog = NULL;
    g_autofree char *floorSock = NULL;

    if (argc != 3) {
        fprintf(stderr, "usage: %s ROOT GUESTDIR\n", argv[0]);
        return 2;
    }
    uri = g_strdup_printf("qemu:///embed?root=%s", argv[1]);
    fwlog = g_strdup_printf("%s/log/fw.log", argv[1]);
    floorSock = g_strdup_printf("%s/floor.sock", argv[1]);
    fwxml = g_strdup("<domain type='qemu'><name>fw</name><memory unit='MiB'>256</memory>"
                     "<os><type arch='x86_64' machine='q35'>hvm</type></os>"
                     "<features><acpi/></features></domain>");
    guestxml =
        g_strdup_printf("<domain type='qemu'><name>g</name>"
                        "<memory unit='MiB'>256</memory><os>"
                        "<type arch='x86_64' machine='q35'>hvm</type>"
                        "<kernel>%s/vmlinuz</kernel><initrd>%s/initrd.gz</initrd>"
                        "<cmdline>console=ttyS0 no_timer_check quiet</cmdline></os>"
                        "<features><acpi/></features><devices><serial type='file'>"
                        "<source path='%s/g.serial'/></serial></devices></domain>",
                        argv[2], argv[2], argv[1]);
    events = g_async_queue_new();
    virEventRegisterDefaultImpl();
    g_thread_unref(g_thread_new("event-loop", loop, NULL));
    if (!(conn = virConnectOpen(uri)))
        return 1;
    virConnectDomainEventRegisterAny(
        conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
        (virConnectDomainEventGenericCallback)(void (*)(void))lifecycleCb, NULL, NULL);

    for (int i = 0; i < RUNS; i++) {
        virDomainPtr dom;
        gint64 t0;

        g_auto(GStrv) qargv = NULL;

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

        if (!(qargv = argvFromLog(fwlog))) {
            fprintf(stderr, "cannot read the argv from %s\n", fwlog);
            return 1;
        }
        rawFloor(qargv, floorSock, &floorStart[i], &floorQuit[i]);
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

            if (g_file_get_contents(serial, &text, NULL, NULL) &&
                strstr(text, "GUEST-READY"))
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
