/* virprocess.c: child processes watched by pidfd: spawn, identity, wait, reap, kill */

/*
 * Threads: no state of its own; every function may be called from any
 * thread. virProcessSpawn creates the child with a raw clone3 (or fork):
 * between creation and exec the child only makes async-signal-safe system
 * calls on data prepared by the parent, so it is safe in a threaded program.
 * virProcessWaitPidfd blocks the calling thread (poll on the pidfd) and
 * nothing else; callers must not hold locks across it.
 */

#define G_LOG_DOMAIN "virtkit.util.process"
#include <errno.h>
#include <sys/socket.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "virprocess.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_NONE

#ifndef P_PIDFD
#define P_PIDFD 3
#endif
#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

extern char **environ;

/* Mirrors struct clone_args of <linux/sched.h> (version 0, 64 bytes);
 * declared here because that header clashes with <sched.h>. */
struct virCloneArgs {
    uint64_t flags;
    uint64_t pidfd;
    uint64_t child_tid;
    uint64_t parent_tid;
    uint64_t exit_signal;
    uint64_t stack;
    uint64_t stack_size;
    uint64_t tls;
};

int
virProcessPidfdOpen(pid_t pid)
{
    if (pid <= 0) {
        errno = ESRCH;
        return -1;
    }
    return (int)syscall(SYS_pidfd_open, pid, 0);
}

int
virProcessPidfdKill(int pidfd, int sig)
{
    return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}

int
virProcessKill(pid_t pid, int sig)
{
    if (pid <= 1) {
        errno = ESRCH;
        return -1;
    }
    return kill(pid, sig);
}

const char *
virProcessSignalName(int sig)
{
    switch (sig) {
    case SIGTERM:
        return "SIGTERM";
    case SIGKILL:
        return "SIGKILL";
    case SIGINT:
        return "SIGINT";
    case SIGHUP:
        return "SIGHUP";
    case SIGSTOP:
        return "SIGSTOP";
    case SIGCONT:
        return "SIGCONT";
    case 0:
        return "signal 0";
    default:
        return "signal";
    }
}

int
virProcessGetStatInfo(pid_t pid, char *state, unsigned long long *starttime)
{
    char path[64];
    char buf[4096];
    ssize_t len;
    int fd;
    const char *p;
    int field;

    if (pid <= 0) {
        errno = ESRCH;
        return -1;
    }
    g_snprintf(path, sizeof(path), "/proc/%lld/stat", (long long)pid);
    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
        if (errno == ENOENT)
            errno = ESRCH;
        return -1;
    }
    do {
        len = read(fd, buf, sizeof(buf) - 1);
    } while (len < 0 && errno == EINTR);
    close(fd);
    if (len <= 0) {
        errno = ESRCH;
        return -1;
    }
    buf[len] = '\0';

    /* The command name (field 2) may hold spaces and ')': fields after it
     * start after the last ')'. */
    if (!(p = strrchr(buf, ')'))) {
        errno = EINVAL;
        return -1;
    }
    p++;
    for (field = 3; field <= 22; field++) {
        while (*p == ' ')
            p++;
        if (!*p) {
            errno = EINVAL;
            return -1;
        }
        if (field == 3 && state)
            *state = *p;
        if (field == 22) {
            char *end = NULL;
            unsigned long long val;

            errno = 0;
            val = g_ascii_strtoull(p, &end, 10);
            if (errno || end == p) {
                errno = EINVAL;
                return -1;
            }
            if (starttime)
                *starttime = val;
            return 0;
        }
        while (*p && *p != ' ')
            p++;
    }
    errno = EINVAL;
    return -1;
}

int
virProcessGetStartTime(pid_t pid, unsigned long long *starttime)
{
    return virProcessGetStatInfo(pid, NULL, starttime);
}

bool
virProcessPidfdHasExited(int pidfd)
{
    struct pollfd pfd = { .fd = pidfd, .events = POLLIN };

    return poll(&pfd, 1, 0) > 0 && (pfd.revents & (POLLIN | POLLHUP | POLLERR));
}

int
virProcessWaitPidfd(int pidfd, gint64 deadline)
{
    struct pollfd pfd = { .fd = pidfd, .events = POLLIN };

    for (;;) {
        int timeout = -1;
        int rc;

        if (deadline != G_MAXINT64) {
            gint64 now = g_get_monotonic_time();
            gint64 left = deadline > now ? deadline - now : 0;

            /* Round up so that we never wake before the deadline and spin. */
            timeout = (int)MIN((left + 999) / 1000, (gint64)G_MAXINT);
        }
        rc = poll(&pfd, 1, timeout);
        if (rc > 0) {
            if (pfd.revents & POLLNVAL) {
                virReportSystemError(EBADF, "invalid pidfd %d", pidfd);
                return -1;
            }
            return 1;
        }
        if (rc == 0) {
            if (deadline == G_MAXINT64 || g_get_monotonic_time() >= deadline)
                return 0;
            continue;
        }
        if (errno != EINTR) {
            virReportSystemError(errno, "%s", "cannot wait for process exit");
            return -1;
        }
    }
}

int
virProcessReapPidfd(int pidfd, int *status)
{
    siginfo_t info;

    memset(&info, 0, sizeof(info));
    if (waitid((idtype_t)P_PIDFD, (id_t)pidfd, &info, WEXITED | WNOHANG) < 0) {
        if (errno == ECHILD)
            return 0;
        return -1;
    }
    if (info.si_pid == 0)
        return 0;
    if (status) {
        if (info.si_code == CLD_EXITED)
            *status = (info.si_status & 0xff) << 8;
        else
            *status = info.si_status & 0x7f;
    }
    return 1;
}

/* Close every descriptor above 2 except the sorted @keep (async-signal-safe). */
static void
virProcessChildCloseAllBut(const int *keep, size_t nkeep)
{
    unsigned int from = 3;
    size_t i;

    for (i = 0; i < nkeep; i++) {
        if ((unsigned int)keep[i] < from)
            continue;
        if ((unsigned int)keep[i] > from)
            syscall(SYS_close_range, from, (unsigned int)keep[i] - 1, 0U);
        from = keep[i] + 1;
    }
    syscall(SYS_close_range, from, ~0U, 0U);
}

/* What the child was doing when it failed (sent with errno). */
enum {
    VIR_PROCESS_STEP_EXEC = 0,
    VIR_PROCESS_STEP_SETUP,
    VIR_PROCESS_STEP_IDENTITY,
    VIR_PROCESS_STEP_CAPS,
};

/* Child side of the identity and capability change (async-signal-safe,
 * raw system calls only). 0, or the failing step with errno set. */
static int
virProcessChildDropPrivileges(const virProcessSpawnOpts *opts)
{
    if (opts->clearCaps) {
        /* The bounding set can only shrink while we hold CAP_SETPCAP,
         * that is before the identity change. */
        for (unsigned long cap = 0; cap < 64; cap++) {
            if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) {
                if (errno == EINVAL)
                    break; /* past the kernel's last capability */
                return VIR_PROCESS_STEP_CAPS;
            }
        }
        if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 &&
            errno != EINVAL)
            return VIR_PROCESS_STEP_CAPS;
        if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
            return VIR_PROCESS_STEP_CAPS;
    }
    if (opts->setIds) {
        if (syscall(SYS_setgroups, opts->ngroups, opts->groups) < 0 ||
            syscall(SYS_setresgid, opts->gid, opts->gid, opts->gid) < 0 ||
            syscall(SYS_setresuid, opts->uid, opts->uid, opts->uid) < 0)
            return VIR_PROCESS_STEP_IDENTITY;
    }
    if (opts->clearCaps) {
        /* A non-root uid has lost its permitted and effective sets in
         * setresuid already; uid 0 (user = "root") loses them here. */
        struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
        struct __user_cap_data_struct data[2];

        memset(data, 0, sizeof(data));
        if (syscall(SYS_capset, &hdr, data) < 0 ||
            prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
            return VIR_PROCESS_STEP_CAPS;
    }
    return 0;
}

/* Runs in the child between creation and exec: async-signal-safe calls
 * only, on data prepared by the parent. With @gatefd >= 0 it first waits
 * for the parent's go-ahead (one byte) and exits without exec'ing if the
 * parent closes the gate instead, or dies. Never returns. */
static void G_GNUC_NORETURN
virProcessChildExec(const virProcessSpawnOpts *opts, const char *const *envp, int nullfd,
                    int errfd, int gatefd, pid_t parentPid)
{
    struct sigaction sa;
    sigset_t all;
    int report[2];
    int step = VIR_PROCESS_STEP_SETUP;
    int sig;
    size_t i;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = SIG_DFL;
    for (sig = 1; sig < NSIG; sig++) {
        if (sig != SIGKILL && sig != SIGSTOP)
            sigaction(sig, &sa, NULL);
    }
    sigemptyset(&all);
    sigprocmask(SIG_SETMASK, &all, NULL);

    if (opts->newSession && setsid() < 0)
        goto fail;
    if (dup2(nullfd, STDIN_FILENO) < 0)
        goto fail;
    if (dup2(opts->logfd >= 0 ? opts->logfd : nullfd, STDOUT_FILENO) < 0 ||
        dup2(opts->logfd >= 0 ? opts->logfd : nullfd, STDERR_FILENO) < 0)
        goto fail;
    /* still as the caller: the new identity may not enter @cwd, which
     * stays our working directory all the same */
    if (opts->cwd && chdir(opts->cwd) < 0)
        goto fail;
    if ((step = virProcessChildDropPrivileges(opts)) != 0)
        goto fail;
    step = VIR_PROCESS_STEP_SETUP;

    /* After the identity change, which resets the parent-death signal. */
    if (opts->dieWithParent) {
        if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
            goto fail;
        /* The owner may have died before the prctl: then we belong to a
         * reaper already, and must not live on. */
        if (getppid() != parentPid)
            _exit(127);
    }

    if (gatefd >= 0) {
        /* Really close everything else first: a copy of some other held
         * child's gate kept open here would stop its EOF from arriving. */
        int keep[VIR_PROCESS_MAX_KEEPFDS + 2];
        size_t nkeep = 0;
        size_t j;
        char go = 0;
        ssize_t n;

        for (i = 0; i < opts->nkeepfds; i++)
            keep[nkeep++] = opts->keepfds[i];
        keep[nkeep++] = errfd;
        keep[nkeep++] = gatefd;
        for (i = 1; i < nkeep; i++) {
            int v = keep[i];

            for (j = i; j > 0 && keep[j - 1] > v; j--)
                keep[j] = keep[j - 1];
            keep[j] = v;
        }
        virProcessChildCloseAllBut(keep, nkeep);
        do {
            n = read(gatefd, &go, 1);
        } while (n < 0 && errno == EINTR);
        if (n != 1)
            _exit(0); /* the parent gave up on us, or died */
        close(gatefd);
    }

    /* Everything above 2 closes at exec, except the descriptors to keep. */
    if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) < 0) {
        int fd;
        long max = sysconf(_SC_OPEN_MAX);

        for (fd = 3; fd < max; fd++)
            fcntl(fd, F_SETFD, FD_CLOEXEC);
    }
    for (i = 0; i < opts->nkeepfds; i++) {
        if (fcntl(opts->keepfds[i], F_SETFD, 0) < 0)
            goto fail;
    }

    step = VIR_PROCESS_STEP_EXEC;
    execve(opts->argv[0], (char *const *)opts->argv, (char *const *)envp);

fail:
    report[0] = errno;
    report[1] = step;
    while (write(errfd, report, sizeof(report)) < 0 && errno == EINTR)
        ;
    _exit(127);
}

struct _virProcessHeld {
    char *path; /* argv[0], for messages */
    bool setIds;
    uid_t uid;
    gid_t gid;
    int pidfd;  /* borrowed: the caller owns it */
    int gatefd; /* write end of the gate; -1 once released/aborted */
    int errfd;  /* read end of the exec-status pipe */
};

static void
virProcessHeldFree(virProcessHeld *held)
{
    if (!held)
        return;
    if (held->gatefd >= 0)
        close(held->gatefd);
    if (held->errfd >= 0)
        close(held->errfd);
    g_free(held->path);
    g_free(held);
}

int
virProcessSpawnHeld(const virProcessSpawnOpts *opts, pid_t *pid, int *pidfd,
                    virProcessHeld **held)
{
    const char *const *envp = opts->envp ? opts->envp : (const char *const *)environ;
    struct virCloneArgs args;
    int errpipe[2] = { -1, -1 };
    int gate[2] = { -1, -1 };
    pid_t parentPid;
    int nullfd = -1;
    int childfd = -1;
    long child;
    size_t i;

    g_return_val_if_fail(opts && opts->argv && opts->argv[0], -1);
    g_return_val_if_fail(opts->nkeepfds <= VIR_PROCESS_MAX_KEEPFDS, -1);
    for (i = 0; i < opts->nkeepfds; i++)
        g_return_val_if_fail(opts->keepfds[i] > STDERR_FILENO, -1);

    if ((nullfd = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0) {
        virReportSystemError(errno, "%s", "cannot open '/dev/null'");
        return -1;
    }
    /* the gate is a socket pair, not a pipe: the release's write to a
     * child that already ended must fail with EPIPE (MSG_NOSIGNAL), not
     * raise SIGPIPE in the caller's process (an embedding program's) */
    if (pipe2(errpipe, O_CLOEXEC) < 0 ||
        socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, gate) < 0) {
        virReportSystemError(errno, "%s", "cannot create pipe");
        goto error;
    }

    parentPid = getpid();
    memset(&args, 0, sizeof(args));
    args.flags = CLONE_PIDFD;
    args.pidfd = (uint64_t)(uintptr_t)&childfd;
    args.exit_signal = SIGCHLD;
    child = syscall(SYS_clone3, &args, sizeof(args));
    if (child < 0 && (errno == ENOSYS || errno == E2BIG)) {
        /* No clone3: fork, then take the pidfd. Nothing else reaps our
         * children, so the pid cannot be recycled before pidfd_open. */
        child = fork();
        if (child > 0 && (childfd = virProcessPidfdOpen((pid_t)child)) < 0) {
            int err = errno;

            kill((pid_t)child, SIGKILL);
            waitpid((pid_t)child, NULL, 0);
            virReportSystemError(err, "%s", "cannot open pidfd of the new process");
            goto error;
        }
    }
    if (child < 0) {
        virReportSystemError(errno, "cannot start '%s'", opts->argv[0]);
        goto error;
    }
    if (child == 0) {
        close(gate[1]);
        close(errpipe[0]);
        virProcessChildExec(opts, envp, nullfd, errpipe[1], gate[0], parentPid);
    }

    close(errpipe[1]);
    close(gate[0]);
    close(nullfd);
    *held = g_new0(virProcessHeld, 1);
    (*held)->path = g_strdup(opts->argv[0]);
    (*held)->setIds = opts->setIds;
    (*held)->uid = opts->uid;
    (*held)->gid = opts->gid;
    (*held)->pidfd = childfd;
    (*held)->gatefd = gate[1];
    (*held)->errfd = errpipe[0];
    *pid = (pid_t)child;
    *pidfd = childfd;
    return 0;

error:
    for (i = 0; i < 2; i++) {
        if (errpipe[i] >= 0)
            close(errpipe[i]);
        if (gate[i] >= 0)
            close(gate[i]);
    }
    close(nullfd);
    return -1;
}

int
virProcessRelease(virProcessHeld *held)
{
    int report[2] = { 0, VIR_PROCESS_STEP_EXEC };
    ssize_t got;
    char go = 1;
    int rc = 0;

    while (send(held->gatefd, &go, 1, MSG_NOSIGNAL) < 0 && errno == EINTR)
        ;
    close(held->gatefd);
    held->gatefd = -1;

    /* EOF (the pipe closed at exec) means exec succeeded. */
    do {
        got = read(held->errfd, report, sizeof(report));
    } while (got < 0 && errno == EINTR);

    if (got != 0) {
        siginfo_t info;

        if (got != sizeof(report)) {
            report[0] = EIO;
            report[1] = VIR_PROCESS_STEP_EXEC;
        }
        while (waitid((idtype_t)P_PIDFD, (id_t)held->pidfd, &info, WEXITED) < 0 &&
               errno == EINTR)
            ;
        if (report[1] == VIR_PROCESS_STEP_IDENTITY)
            virReportSystemError(report[0], "cannot run '%s' as uid %u gid %u",
                                 held->path, (unsigned int)held->uid,
                                 (unsigned int)held->gid);
        else if (report[1] == VIR_PROCESS_STEP_CAPS)
            virReportSystemError(report[0], "cannot drop the capabilities of '%s'",
                                 held->path);
        else if (report[1] == VIR_PROCESS_STEP_SETUP)
            virReportSystemError(report[0], "cannot prepare the process for '%s'",
                                 held->path);
        else
            virReportSystemError(report[0], "cannot execute '%s'", held->path);
        rc = -1;
    }
    virProcessHeldFree(held);
    return rc;
}

void
virProcessHeldAbort(virProcessHeld *held)
{
    siginfo_t info;

    if (!held)
        return;
    /* Closing the gate makes the child exit without exec'ing. */
    close(held->gatefd);
    held->gatefd = -1;
    while (waitid((idtype_t)P_PIDFD, (id_t)held->pidfd, &info, WEXITED) < 0 &&
           errno == EINTR)
        ;
    virProcessHeldFree(held);
}

int
virProcessSpawn(const virProcessSpawnOpts *opts, pid_t *pid, int *pidfd)
{
    virProcessHeld *held = NULL;
    pid_t child;
    int childfd;

    if (virProcessSpawnHeld(opts, &child, &childfd, &held) < 0)
        return -1;
    if (virProcessRelease(held) < 0) {
        close(childfd);
        return -1;
    }
    *pid = child;
    *pidfd = childfd;
    return 0;
}


char *
virProcessGetExePath(pid_t pid)
{
    g_autofree char *link = g_strdup_printf("/proc/%lld/exe", (long long)pid);
    g_autofree char *target = g_file_read_link(link, NULL);
    size_t len;

    if (!target)
        return NULL;
    /* A binary replaced on disk (a package upgrade) shows as "PATH (deleted)". */
    len = strlen(target);
    if (len > 10 && strcmp(target + len - 10, " (deleted)") == 0)
        target[len - 10] = '\0';
    return g_steal_pointer(&target);
}
