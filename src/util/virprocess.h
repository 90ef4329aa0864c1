/* virprocess.h: child processes watched by pidfd: spawn, identity, wait, reap, kill */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <sys/types.h>

typedef struct {
    const char *const *argv; /* argv[0] is the program's path (no PATH lookup) */
    const char *const *envp; /* NULL: inherit the caller's environment */
    const char *cwd;         /* NULL: keep the caller's */
    int logfd;               /* stdout and stderr; -1: /dev/null */
    const int *keepfds;      /* inherited at the same numbers (e.g. a listening socket) */
    size_t nkeepfds;
    bool newSession;    /* setsid(): the child outlives its owner's session */
    bool dieWithParent; /* SIGKILL the child when the spawning thread or
                                 * process dies (helpers such as probes; never
                                 * guests, which must outlive their owner) */
    /* Identity (a root caller): with @setIds the child takes @uid, @gid and
     * exactly the supplementary @groups (none when @ngroups is 0) before
     * exec, as real, effective and saved ids. */
    bool setIds;
    uid_t uid;
    gid_t gid;
    const gid_t *groups;
    size_t ngroups;
    /* Leave the child no capability at all: bounding and ambient sets
     * emptied (while it still may), permitted/effective/inheritable cleared
     * after the identity change, and PR_SET_NO_NEW_PRIVS (exec can never
     * grant any back, not even from a setuid or file-capability binary). */
    bool clearCaps;
} virProcessSpawnOpts;

/*
 * Start a child as described by @opts, with a pidfd taken atomically at
 * creation (clone3 CLONE_PIDFD; fork + pidfd_open where clone3 is missing,
 * done before anything can reap it). Stdin is /dev/null; every descriptor
 * other than 0-2 and @keepfds is closed; signal mask and handlers are reset.
 * Returns 0 once exec has succeeded, storing the pid and the pidfd
 * (O_CLOEXEC, owned by the caller). On failure (including a failed exec,
 * whose errno is reported, or a failed identity/capability change, reported
 * as such) returns -1 with a SYSTEM_ERROR reported, after having reaped the
 * child. The identity change uses raw system calls in the child (glibc's
 * wrappers would try to signal the caller's other threads, which the child
 * does not have).
 */
int virProcessSpawn(const virProcessSpawnOpts *opts, pid_t *pid, int *pidfd);

/* At most this many @keepfds. */
#define VIR_PROCESS_MAX_KEEPFDS 48

/*
 * Held spawn: like virProcessSpawn, but the child stops just before exec
 * and waits for virProcessRelease. If the caller calls virProcessHeldAbort,
 * or dies (crash, SIGKILL) before releasing it, the child exits without
 * ever exec'ing. A daemon records the pid durably between the two calls,
 * so a program it starts can never outlive it unrecorded.
 * virProcessSpawnHeld returns 0 with *pid, *pidfd (owned by the caller) and
 * *held, or -1 with an error reported. virProcessRelease lets the child
 * exec and returns 0 once exec succeeded, or -1 with the exec error
 * reported (the child is then reaped; *pidfd stays the caller's to close).
 * Both Release and Abort free @held.
 */
typedef struct _virProcessHeld virProcessHeld;
int virProcessSpawnHeld(const virProcessSpawnOpts *opts, pid_t *pid, int *pidfd,
                        virProcessHeld **held);
int virProcessRelease(virProcessHeld *held);
void virProcessHeldAbort(virProcessHeld *held);

/* pidfd_open(@pid). Returns the fd (O_CLOEXEC), or -1 with errno set
 * (ESRCH: no such process); no error is reported. */
int virProcessPidfdOpen(pid_t pid);

/*
 * The start time of @pid in clock ticks since boot (/proc/PID/stat field
 * 22): together with the pid it identifies a process across pid reuse.
 * Returns 0, or -1 with errno set (ESRCH when it does not exist); no error
 * is reported.
 */
int virProcessGetStartTime(pid_t pid, unsigned long long *starttime);

/* State letter (/proc/PID/stat field 3: 'R', 'S', 'D', 'T' stopped, 't'
 * traced, 'Z' zombie, ...) and start time; either may be NULL. 0, or -1
 * with errno set (ESRCH when it does not exist); nothing reported. */
int virProcessGetStatInfo(pid_t pid, char *state, unsigned long long *starttime);

/* True if the process behind @pidfd has exited (never blocks). */
bool virProcessPidfdHasExited(int pidfd);

/*
 * Wait until the process behind @pidfd exits or the monotonic clock reaches
 * @deadline (g_get_monotonic_time() units; G_MAXINT64 waits forever).
 * Returns the moment it exits. 1: exited; 0: deadline reached; -1: error
 * (SYSTEM_ERROR reported).
 */
int virProcessWaitPidfd(int pidfd, gint64 deadline);

/*
 * Collect the exit status of our own child behind @pidfd without blocking
 * (waitid P_PIDFD, WNOHANG). Returns 1 and sets *status (wait(2) encoding,
 * may be NULL) when reaped, 0 when it is still running, or when it is not
 * our child (a process adopted after a reconnect is only watched), -1 on
 * other errors (nothing reported).
 */
int virProcessReapPidfd(int pidfd, int *status);

/*
 * kill(2) with libvirt's guard: @pid <= 1 fails with errno ESRCH and
 * nothing is sent (never kill(0) or kill(-1)). Returns 0 or -1 (errno set,
 * nothing reported).
 */
int virProcessKill(pid_t pid, int sig);

/* pidfd_send_signal: like virProcessKill but immune to pid reuse. ESRCH once
 * the process has exited. Returns 0 or -1 (errno set, nothing reported). */
int virProcessPidfdKill(int pidfd, int sig);

/* The program @pid runs (/proc/PID/exe, without a " (deleted)" suffix),
 * or NULL (errno set) when it cannot be read. */
char *virProcessGetExePath(pid_t pid);

/* "SIGTERM", "SIGKILL", ... for messages. */
const char *virProcessSignalName(int sig);
