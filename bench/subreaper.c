/* subreaper.c: run a command as a child subreaper that reaps every orphan at once
 *
 * Usage: subreaper COMMAND [ARGS...]
 *
 * PID 1 on these machines reaps orphans only every 1-2 s, so a daemon that
 * double-forks its guests (libvirtd) and polls them with kill(pid, 0) sees
 * exited guests as alive until PID 1 gets round to them. Run such a daemon
 * under this program (as systemd would be) for a fair comparison: orphans
 * reparent to us and are reaped the moment they exit.
 * Exits with the command's status once the command has exited; SIGTERM and
 * SIGINT are forwarded to the command.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t pending_signal;

static void
on_signal(int sig)
{
    pending_signal = sig;
}

int
main(int argc, char **argv)
{
    struct sigaction sa;
    pid_t child;
    int child_status = 0;
    int child_done = 0;

    if (argc < 2) {
        fprintf(stderr, "usage: %s COMMAND [ARGS...]\n", argv[0]);
        return 2;
    }
    if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) {
        perror("prctl(PR_SET_CHILD_SUBREAPER)");
        return 1;
    }

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    child = fork();
    if (child < 0) {
        perror("fork");
        return 1;
    }
    if (child == 0) {
        signal(SIGTERM, SIG_DFL);
        signal(SIGINT, SIG_DFL);
        execvp(argv[1], argv + 1);
        perror(argv[1]);
        _exit(127);
    }

    for (;;) {
        int status;
        pid_t pid = waitpid(-1, &status, 0);

        if (pid < 0) {
            if (errno == EINTR) {
                if (pending_signal && !child_done)
                    kill(child, pending_signal);
                pending_signal = 0;
                continue;
            }
            break; /* ECHILD: nothing left to reap */
        }
        if (pid == child) {
            child_done = 1;
            child_status = status;
            break;
        }
    }
    /* The command is gone; reap whatever it left behind without waiting. */
    while (waitpid(-1, NULL, WNOHANG) > 0)
        ;
    if (WIFEXITED(child_status))
        return WEXITSTATUS(child_status);
    return 128 + WTERMSIG(child_status);
}
