/* daemon_process.c: lock files, --daemon, systemd socket activation */
#define G_LOG_DOMAIN "virtkitd.process"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include <stdbool.h>

#include "daemon_process.h"

/* True if @pid is not a live process (gone or a zombie). */
static bool
vkdPidIsDead(gint64 pid)
{
    g_autofree char *path = NULL;
    g_autofree char *stat = NULL;
    const char *p;

    if (pid <= 1)
        return false;
    path = g_strdup_printf("/proc/%lld/stat", (long long)pid);
    if (!g_file_get_contents(path, &stat, NULL, NULL))
        return true;
    p = strrchr(stat, ')');
    return p && p[1] == ' ' && p[2] == 'Z';
}

int
vkdLockDir(const char *dir, GError **error)
{
    gint64 deadline = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
    g_autofree char *path = g_build_filename(dir, "virtkitd.lock", NULL);
    struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
    char buf[32];
    int fd;

    fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        int err = errno;
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(err),
                    "cannot open lock file '%s': %s", path, g_strerror(err));
        return -1;
    }
    while (fcntl(fd, F_OFD_SETLK, &fl) < 0) {
        int err = errno;
        ssize_t n;

        if (err == EAGAIN || err == EACCES) {
            n = pread(fd, buf, sizeof(buf) - 1, 0);
            buf[MAX(n, 0)] = '\0';
            g_strchomp(buf);
            /* The recorded daemon is dead, yet the lock is held: a child it
             * was starting (a QEMU between fork and exec) still shares the
             * descriptor for a moment. Wait for the exec to drop it. */
            if (vkdPidIsDead(g_ascii_strtoll(buf, NULL, 10)) &&
                g_get_monotonic_time() < deadline) {
                g_usleep(10 * 1000);
                continue;
            }
            g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_EXIST,
                        "another virtkitd (pid %s) is already using '%s'",
                        buf[0] ? buf : "?", dir);
        } else {
            g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(err),
                        "cannot lock '%s': %s", path, g_strerror(err));
        }
        close(fd);
        return -1;
    }
    g_snprintf(buf, sizeof(buf), "%lld\n", (long long)getpid());
    /* written over the old pid, then cut to its length: truncating to 0
     * first freed the file's block, which cost 2-5 ms of a cold start
     * (strace, loaded machine); a reader in between sees our pid ended
     * by its newline. */
    if (pwrite(fd, buf, strlen(buf), 0) < 0 || ftruncate(fd, (off_t)strlen(buf)) < 0) {
        int err = errno;
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(err),
                    "cannot write lock file '%s': %s", path, g_strerror(err));
        close(fd);
        return -1;
    }
    return fd;
}

static int vkdDetachPipe = -1;

int
vkdDetach(GError **error)
{
    int pipefd[2];
    pid_t pid;

    if (pipe2(pipefd, O_CLOEXEC) < 0) {
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno),
                    "cannot create pipe: %s", g_strerror(errno));
        return -1;
    }
    pid = fork();
    if (pid < 0) {
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno),
                    "cannot fork: %s", g_strerror(errno));
        return -1;
    }
    if (pid > 0) {
        /* The original process: wait for the daemon's verdict. */
        unsigned char status = 1;
        ssize_t n;

        close(pipefd[1]);
        do {
            n = read(pipefd[0], &status, 1);
        } while (n < 0 && errno == EINTR);
        if (n != 1) {
            fprintf(stderr, "virtkitd: daemon exited during startup\n");
            status = 1;
        }
        /* Reap the intermediate child (it exits at once). */
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
            ;
        _exit(status);
    }

    close(pipefd[0]);
    if (setsid() < 0)
        _exit(1);
    pid = fork();
    if (pid < 0)
        _exit(1);
    if (pid > 0)
        _exit(0); /* the intermediate child; the daemon cannot regain a tty */

    vkdDetachPipe = pipefd[1];
    if (chdir("/") < 0)
        _exit(1);
    {
        int null = open("/dev/null", O_RDWR | O_CLOEXEC);
        if (null < 0)
            _exit(1);
        dup2(null, STDIN_FILENO);
        dup2(null, STDOUT_FILENO);
        /* stderr stays until vkdDetachDone so startup errors reach the user. */
        close(null);
    }
    return 0;
}

void
vkdDetachDone(int status)
{
    unsigned char st = status;

    if (vkdDetachPipe < 0)
        return;
    if (write(vkdDetachPipe, &st, 1) < 0) {
        /* the original process is gone; nothing to tell */
    }
    close(vkdDetachPipe);
    vkdDetachPipe = -1;
    if (status == 0) {
        int null = open("/dev/null", O_RDWR | O_CLOEXEC);
        if (null >= 0) {
            dup2(null, STDERR_FILENO);
            close(null);
        }
    }
}

int
vkdListenFds(int **fds, char ***names)
{
    const char *pidstr = g_getenv("LISTEN_PID");
    const char *fdsstr = g_getenv("LISTEN_FDS");
    const char *namestr = g_getenv("LISTEN_FDNAMES");
    g_auto(GStrv) split = NULL;
    gint64 lpid, n;
    int *out;
    char **outNames;

    *fds = NULL;
    *names = NULL;
    if (!pidstr || !fdsstr)
        return 0;
    lpid = g_ascii_strtoll(pidstr, NULL, 10);
    n = g_ascii_strtoll(fdsstr, NULL, 10);
    if (lpid != getpid() || n <= 0 || n > 64)
        return 0;
    if (namestr)
        split = g_strsplit(namestr, ":", -1);

    out = g_new0(int, n);
    outNames = g_new0(char *, n + 1);
    for (gint64 i = 0; i < n; i++) {
        out[i] = 3 + i;
        fcntl(out[i], F_SETFD, FD_CLOEXEC);
        outNames[i] = g_strdup(split && i < (gint64)g_strv_length(split) ? split[i] : "");
    }
    g_unsetenv("LISTEN_PID");
    g_unsetenv("LISTEN_FDS");
    g_unsetenv("LISTEN_FDNAMES");
    *fds = out;
    *names = outNames;
    return n;
}
