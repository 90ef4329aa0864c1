/* qmpfloor.c: the raw QEMU floor, measured by speaking QMP directly */

/*
 * Usage:
 *   qmpfloor mini REPS                      spawn to qmp_capabilities answered;
 *                                           quit to process exit
 *   qmpfloor guest GUESTDIR SERIALDIR REPS  the test guest: spawn to GUEST-READY,
 *                                           system_powerdown to SHUTDOWN event,
 *                                           quit to process exit
 * QEMU gets the same kind of command line as the drivers give it (a
 * listening monitor socket passed as a descriptor, -S, TCG). Prints
 * "S <metric> <ms>" lines like vkbench. Single-threaded.
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define QEMU "/usr/bin/qemu-system-x86_64"

typedef struct {
    int fd;
    char buf[65536];
    size_t len;
} Qmp;

/* The test guest's kernel command line: $VKBENCH_GUEST_CMDLINE when set
 * (bench.sh QUICK adds cryptomgr.notests: figures of a QUICK run are not
 * compared with a full one's), else the one BENCHMARKS.md was measured
 * with. */
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
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void
sample(const char *metric, double value)
{
    printf("S %s %.6f\n", metric, value);
    fflush(stdout);
}

static void
die(const char *what)
{
    fprintf(stderr, "qmpfloor: %s: %s\n", what, strerror(errno));
    exit(1);
}

/* Reads lines until one contains @needle; returns false on EOF or after
 * timeoutMs. */
static bool
qmpWaitFor(Qmp *q, const char *needle, double timeoutMs)
{
    double deadline = nowMs() + timeoutMs;

    for (;;) {
        char *nl;

        while ((nl = memchr(q->buf, '\n', q->len))) {
            size_t linelen = nl - q->buf + 1;
            bool hit;

            *nl = '\0';
            hit = strstr(q->buf, needle) != NULL;
            memmove(q->buf, q->buf + linelen, q->len - linelen);
            q->len -= linelen;
            if (hit)
                return true;
        }
        {
            struct pollfd pfd = { q->fd, POLLIN, 0 };
            double left = deadline - nowMs();
            ssize_t n;

            if (left <= 0 || q->len >= sizeof(q->buf) - 1)
                return false;
            if (poll(&pfd, 1, (int)left + 1) <= 0)
                continue;
            n = read(q->fd, q->buf + q->len, sizeof(q->buf) - 1 - q->len);
            if (n <= 0)
                return false;
            q->len += n;
        }
    }
}

static void
qmpSend(Qmp *q, const char *cmd)
{
    size_t len = strlen(cmd);

    if (write(q->fd, cmd, len) != (ssize_t)len)
        die("write to QMP");
}

/* Spawns QEMU with @extra arguments and answers the greeting; returns the
 * child's pid and fills @q. */
static pid_t
qemuSpawn(Qmp *q, char **extra, int nextra)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    char dir[] = "/tmp/qmpfloor-XXXXXX";
    int lfd;
    pid_t pid;

    if (!mkdtemp(dir))
        die("mkdtemp");
    snprintf(addr.sun_path, sizeof(addr.sun_path), "%s/m", dir);
    lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
        listen(lfd, 1) < 0)
        die("monitor socket");

    pid = fork();
    if (pid < 0)
        die("fork");
    if (pid == 0) {
        char *argv[64];
        int n = 0;
        int devnull = open("/dev/null", O_RDWR);

        if (lfd == 3)
            fcntl(3, F_SETFD, 0);
        else
            dup2(lfd, 3);
        dup2(devnull, 0);
        dup2(devnull, 1);
        argv[n++] = QEMU;
        argv[n++] = "-S";
        argv[n++] = "-no-user-config";
        argv[n++] = "-nodefaults";
        argv[n++] = "-no-shutdown";
        argv[n++] = "-chardev";
        argv[n++] = "socket,id=charmonitor,fd=3,server=on,wait=off";
        argv[n++] = "-mon";
        argv[n++] = "chardev=charmonitor,id=monitor,mode=control";
        argv[n++] = "-accel";
        argv[n++] = "tcg";
        argv[n++] = "-smp";
        argv[n++] = "1";
        argv[n++] = "-display";
        argv[n++] = "none";
        for (int i = 0; i < nextra; i++)
            argv[n++] = extra[i];
        argv[n] = NULL;
        execv(QEMU, argv);
        _exit(127);
    }

    q->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (q->fd < 0 || connect(q->fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
        die("connect to monitor");
    close(lfd);
    unlink(addr.sun_path);
    rmdir(dir);
    q->len = 0;
    if (!qmpWaitFor(q, "\"QMP\"", 30000))
        die("no QMP greeting");
    qmpSend(q, "{\"execute\":\"qmp_capabilities\"}\n");
    if (!qmpWaitFor(q, "\"return\"", 30000))
        die("no qmp_capabilities answer");
    return pid;
}

static double
qemuQuit(Qmp *q, pid_t pid)
{
    double t0 = nowMs();
    int status;

    qmpSend(q, "{\"execute\":\"quit\"}\n");
    if (waitpid(pid, &status, 0) != pid)
        die("waitpid");
    close(q->fd);
    return nowMs() - t0;
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

int
main(int argc, char **argv)
{
    static Qmp q;

    signal(SIGPIPE, SIG_IGN);
    if (argc >= 3 && strcmp(argv[1], "mini") == 0) {
        char *extra[] = { "-machine", "pc,usb=off,acpi=off", "-m", "64" };
        int reps = atoi(argv[2]);

        for (int r = 0; r < reps; r++) {
            double t0 = nowMs();
            pid_t pid = qemuSpawn(&q, extra, 4);

            sample("floor_spawn_qmp", nowMs() - t0);
            sample("floor_quit_exit", qemuQuit(&q, pid));
        }
        return 0;
    }
    if (argc >= 5 && strcmp(argv[1], "guest") == 0) {
        char kernel[4096];
        char initrd[4096];
        char serial[4096];
        char chardev[4200];
        int reps = atoi(argv[4]);

        snprintf(kernel, sizeof(kernel), "%s/vmlinuz", argv[2]);
        snprintf(initrd, sizeof(initrd), "%s/initrd.gz", argv[2]);
        snprintf(serial, sizeof(serial), "%s/qmpfloor.serial", argv[3]);
        snprintf(chardev, sizeof(chardev), "file,id=charserial0,path=%s", serial);
        for (int r = 0; r < reps; r++) {
            char *extra[] = { "-machine", "q35,usb=off,acpi=on",
                              "-m",       "256",
                              "-kernel",  kernel,
                              "-initrd",  initrd,
                              "-append",  (char *)guestCmdline(),
                              "-chardev", chardev,
                              "-device",  "isa-serial,chardev=charserial0,id=serial0" };
            double t0 = nowMs();
            pid_t pid;

            unlink(serial);
            pid = qemuSpawn(&q, extra, 14);
            qmpSend(&q, "{\"execute\":\"cont\"}\n");
            while (!fileContains(serial, "GUEST-READY")) {
                if (nowMs() - t0 > 240000) {
                    kill(pid, SIGKILL);
                    die("no GUEST-READY within 240 s");
                }
                usleep(500);
            }
            sample("floor_guest_ready", nowMs() - t0);
            t0 = nowMs();
            qmpSend(&q, "{\"execute\":\"system_powerdown\"}\n");
            if (!qmpWaitFor(&q, "\"SHUTDOWN\"", 30000)) {
                kill(pid, SIGKILL);
                die("no SHUTDOWN event");
            }
            sample("floor_guest_powerdown_shutdown", nowMs() - t0);
            sample("floor_guest_quit_exit", qemuQuit(&q, pid));
        }
        unlink(serial);
        return 0;
    }
    fprintf(stderr,
            "usage: qmpfloor mini REPS | qmpfloor guest GUESTDIR SERIALDIR REPS\n");
    return 2;
}
