/* virprocesstest.c: spawn, identity, wait, reap and kill through pidfds */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "virprocess.h"
#include "virerror.h"

static void
spawnShell(const char *script, int logfd, const int *keep, size_t nkeep, bool newSession,
           pid_t *pid, int *pidfd)
{
    const char *argv[] = { "/bin/sh", "-c", script, NULL };
    virProcessSpawnOpts opts = {
        .argv = argv,
        .logfd = logfd,
        .keepfds = keep,
        .nkeepfds = nkeep,
        .newSession = newSession,
    };

    g_assert_cmpint(virProcessSpawn(&opts, pid, pidfd), ==, 0);
    g_assert_cmpint(*pid, >, 1);
    g_assert_cmpint(*pidfd, >=, 0);
}

static void
testExitStatus(void)
{
    pid_t pid;
    int pidfd;
    int status = -1;

    spawnShell("exit 3", -1, NULL, 0, false, &pid, &pidfd);
    g_assert_cmpint(virProcessWaitPidfd(pidfd, G_MAXINT64), ==, 1);
    g_assert_true(virProcessPidfdHasExited(pidfd));
    g_assert_cmpint(virProcessReapPidfd(pidfd, &status), ==, 1);
    g_assert_true(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), ==, 3);
    /* Reaped: the pid no longer names our child. */
    g_assert_cmpint(waitpid(pid, NULL, WNOHANG), ==, -1);
    close(pidfd);
}

static void
testExecFailure(void)
{
    const char *argv[] = { "/nonexistent/virtkit-binary", NULL };
    virProcessSpawnOpts opts = { .argv = argv, .logfd = -1 };
    pid_t pid = 0;
    int pidfd = -1;

    g_assert_cmpint(virProcessSpawn(&opts, &pid, &pidfd), ==, -1);
    g_assert_cmpint(pid, ==, 0); /* outputs untouched on failure */
    g_assert_cmpint(pidfd, ==, -1);
    g_assert_true(virErrorIsSet());
    /* The failed child was reaped by the spawn itself. */
    g_assert_cmpint(waitpid(-1, NULL, WNOHANG), ==, -1);
    g_assert_cmpint(errno, ==, ECHILD);
}

static void
testDeadlineThenKill(void)
{
    pid_t pid;
    int pidfd;
    int status = 0;
    unsigned long long st1 = 0, st2 = 0;

    spawnShell("exec sleep 1000", -1, NULL, 0, true, &pid, &pidfd);

    /* Own session: the child leads it. */
    g_assert_cmpint(getsid(pid), ==, pid);

    g_assert_cmpint(virProcessGetStartTime(pid, &st1), ==, 0);
    g_assert_cmpint(virProcessGetStartTime(pid, &st2), ==, 0);
    g_assert_cmpuint(st1, ==, st2);
    g_assert_cmpuint(st1, >, 0);

    /* Still running at the deadline. */
    g_assert_cmpint(virProcessWaitPidfd(pidfd, g_get_monotonic_time() + 20000), ==, 0);
    g_assert_false(virProcessPidfdHasExited(pidfd));
    g_assert_cmpint(virProcessReapPidfd(pidfd, &status), ==, 0);

    /* Stopped: the state letter says so once the stop took effect. */
    {
        siginfo_t info;
        char state = 0;

        g_assert_cmpint(virProcessPidfdKill(pidfd, SIGSTOP), ==, 0);
        g_assert_cmpint(waitid((idtype_t)3 /* P_PIDFD */, (id_t)pidfd, &info, WSTOPPED),
                        ==, 0);
        g_assert_cmpint(virProcessGetStatInfo(pid, &state, &st2), ==, 0);
        g_assert_cmpint(state, ==, 'T');
        g_assert_cmpuint(st2, ==, st1);
    }

    g_assert_cmpint(virProcessPidfdKill(pidfd, SIGKILL), ==, 0);
    g_assert_cmpint(virProcessWaitPidfd(pidfd, G_MAXINT64), ==, 1);
    g_assert_cmpint(virProcessReapPidfd(pidfd, &status), ==, 1);
    g_assert_true(WIFSIGNALED(status));
    g_assert_cmpint(WTERMSIG(status), ==, SIGKILL);

    /* Gone: signals and identity both report ESRCH. */
    g_assert_cmpint(virProcessPidfdKill(pidfd, 0), ==, -1);
    g_assert_cmpint(errno, ==, ESRCH);
    g_assert_cmpint(virProcessGetStartTime(pid, &st2), ==, -1);
    g_assert_cmpint(errno, ==, ESRCH);
    close(pidfd);
}

static void
testKillGuard(void)
{
    errno = 0;
    g_assert_cmpint(virProcessKill(0, 0), ==, -1);
    g_assert_cmpint(errno, ==, ESRCH);
    errno = 0;
    g_assert_cmpint(virProcessKill(1, 0), ==, -1);
    g_assert_cmpint(errno, ==, ESRCH);
    errno = 0;
    g_assert_cmpint(virProcessKill(-1, 0), ==, -1);
    g_assert_cmpint(errno, ==, ESRCH);
    g_assert_cmpint(virProcessKill(getpid(), 0), ==, 0);
}

static void
testFds(void)
{
    g_autofree char *logpath =
        g_build_filename(g_get_tmp_dir(), "virprocesstest-XXXXXX", NULL);
    g_autofree char *log = NULL;
    g_autofree char *script = NULL;
    int logfd = g_mkstemp(logpath);
    int kept[2];
    int dropped[2];
    pid_t pid;
    int pidfd;
    int status = 0;
    char buf[16] = { 0 };

    g_assert_cmpint(logfd, >=, 0);
    g_assert_cmpint(pipe(kept), ==, 0);
    g_assert_cmpint(pipe(dropped), ==, 0);
    /* The kept fd is inherited; the other one must be closed in the child. */
    script = g_strdup_printf("echo kept >&%d; echo out; echo err >&2; "
                             "if (echo x >&%d) 2>/dev/null; then exit 9; fi; exit 0",
                             kept[1], dropped[1]);
    spawnShell(script, logfd, &kept[1], 1, false, &pid, &pidfd);
    g_assert_cmpint(virProcessWaitPidfd(pidfd, G_MAXINT64), ==, 1);
    g_assert_cmpint(virProcessReapPidfd(pidfd, &status), ==, 1);
    g_assert_true(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), ==, 0);

    close(kept[1]);
    g_assert_cmpint(read(kept[0], buf, sizeof(buf) - 1), ==, 5);
    g_assert_cmpstr(buf, ==, "kept\n");

    g_assert_true(g_file_get_contents(logpath, &log, NULL, NULL));
    g_assert_cmpstr(log, ==, "out\nerr\n");

    close(kept[0]);
    close(dropped[0]);
    close(dropped[1]);
    close(logfd);
    close(pidfd);
    unlink(logpath);
}

/* A held child runs nothing until released; aborting it ends it unexec'd. */
static void
testHeldReleaseAbort(void)
{
    g_autofree char *dir = g_dir_make_tmp("vkheld-XXXXXX", NULL);
    g_autofree char *marker = g_build_filename(dir, "ran", NULL);
    g_autofree char *script = g_strdup_printf("touch %s; exit 7", marker);
    const char *argv[] = { "/bin/sh", "-c", script, NULL };
    virProcessSpawnOpts opts = { .argv = argv, .logfd = -1 };
    virProcessHeld *held = NULL;
    pid_t pid;
    int pidfd;
    int status = 0;

    /* Abort: the child exits without exec'ing, so the marker never appears. */
    g_assert_cmpint(virProcessSpawnHeld(&opts, &pid, &pidfd, &held), ==, 0);
    g_assert_false(virProcessPidfdHasExited(pidfd));
    virProcessHeldAbort(held);
    g_assert_false(g_file_test(marker, G_FILE_TEST_EXISTS));
    close(pidfd);

    /* Release: exec happens, the script runs and exits 7. */
    g_assert_cmpint(virProcessSpawnHeld(&opts, &pid, &pidfd, &held), ==, 0);
    g_assert_false(g_file_test(marker, G_FILE_TEST_EXISTS));
    g_assert_cmpint(virProcessRelease(held), ==, 0);
    g_assert_cmpint(
        virProcessWaitPidfd(pidfd, g_get_monotonic_time() + 10 * G_USEC_PER_SEC), ==, 1);
    g_assert_cmpint(virProcessReapPidfd(pidfd, &status), ==, 1);
    g_assert_true(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), ==, 7);
    g_assert_true(g_file_test(marker, G_FILE_TEST_EXISTS));
    close(pidfd);
    unlink(marker);
    rmdir(dir);
}

/* Spawns `sleep 1000` the way @held says (held and never released, or
 * plainly with dieWithParent), in the calling process. */
static pid_t
spawnSleeper(bool held)
{
    const char *argv[] = { "/bin/sleep", "1000", NULL };
    virProcessSpawnOpts opts = { .argv = argv, .logfd = -1 };
    virProcessHeld *h = NULL;
    pid_t pid = 0;
    int pidfd;

    if (held) {
        opts.newSession = true;
        if (virProcessSpawnHeld(&opts, &pid, &pidfd, &h) < 0)
            return 0;
    } else {
        opts.dieWithParent = true;
        if (virProcessSpawn(&opts, &pid, &pidfd) < 0)
            return 0;
    }
    return pid;
}

/* An owner process spawns a sleeper, then dies by SIGKILL; the sleeper
 * must end by itself, leaving nothing orphaned. */
static void
checkOwnerDeathEndsChild(bool held)
{
    int report[2];
    pid_t owner;
    pid_t grandchild = 0;
    int ownerfd;
    int gcfd;

    g_assert_cmpint(pipe(report), ==, 0);
    owner = fork();
    g_assert_cmpint(owner, >=, 0);
    if (owner == 0) {
        pid_t pid;

        close(report[0]);
        pid = spawnSleeper(held);
        if (write(report[1], &pid, sizeof(pid)) != sizeof(pid))
            _exit(1);
        raise(SIGKILL);
        _exit(1);
    }
    close(report[1]);
    g_assert_cmpint(read(report[0], &grandchild, sizeof(grandchild)), ==,
                    sizeof(grandchild));
    close(report[0]);
    g_assert_cmpint(grandchild, >, 1);

    gcfd = virProcessPidfdOpen(grandchild);
    ownerfd = virProcessPidfdOpen(owner);
    g_assert_cmpint(ownerfd, >=, 0);
    g_assert_cmpint(
        virProcessWaitPidfd(ownerfd, g_get_monotonic_time() + 10 * G_USEC_PER_SEC), ==,
        1);
    g_assert_cmpint(virProcessReapPidfd(ownerfd, NULL), ==, 1);
    close(ownerfd);
    if (gcfd >= 0) {
        int rc = virProcessWaitPidfd(gcfd, g_get_monotonic_time() + 10 * G_USEC_PER_SEC);

        if (rc != 1)
            virProcessPidfdKill(gcfd, SIGKILL); /* clean up before failing */
        close(gcfd);
        g_assert_cmpint(rc, ==, 1);
    } else {
        g_assert_cmpint(errno, ==, ESRCH);
    }
}

/* Held and never released: the child sees its gate close and exits
 * without ever running the program. */
static void
testHeldOwnerDies(void)
{
    checkOwnerDeathEndsChild(true);
}

/* A helper spawned with dieWithParent (a capabilities probe) is killed
 * with its owner. */
static void
testDieWithParent(void)
{
    checkOwnerDeathEndsChild(false);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/util/process/exit-status", testExitStatus);
    g_test_add_func("/util/process/exec-failure", testExecFailure);
    g_test_add_func("/util/process/deadline-then-kill", testDeadlineThenKill);
    g_test_add_func("/util/process/kill-guard", testKillGuard);
    g_test_add_func("/util/process/fds", testFds);
    g_test_add_func("/util/process/held-release-abort", testHeldReleaseAbort);
    g_test_add_func("/util/process/held-owner-dies", testHeldOwnerDies);
    g_test_add_func("/util/process/die-with-parent", testDieWithParent);
    return g_test_run();
}
