/* daemon_process.h: process-level setup of virtkitd: lock files, detaching, systemd fds */
#pragma once

#include <glib.h>
#include <sys/types.h>

/*
 * Take the exclusive lock @dir/virtkitd.lock (an OFD lock, released by the
 * kernel when the process dies, however it dies) and write our pid in it.
 * Returns the open descriptor (keep it open for the daemon's lifetime), or
 * -1 with *error set; when another live daemon holds it the message names
 * its pid and the directory.
 */
int vkdLockDir(const char *dir, GError **error);

/*
 * Detach (--daemon): fork, setsid, fork again, stdio to /dev/null. The
 * original process waits until the daemon calls vkdDetachDone() and exits
 * with the status passed to it, so `virtkitd --daemon` returns only once
 * the sockets listen (0) or startup failed (non-zero).
 * Returns 0 in the daemon, -1 with *error set if fork failed (in the
 * original process, before any fork succeeded).
 */
int vkdDetach(GError **error);
void vkdDetachDone(int status);

/*
 * Socket activation: the descriptors passed by systemd (LISTEN_PID must be
 * us; LISTEN_FDS of them from fd 3; LISTEN_FDNAMES optional, colon
 * separated). Returns the number found (0 when not activated); fills
 * *fds and *names (NULL-terminated, names may be "" when absent). Marks
 * them close-on-exec and unsets the variables. Call first thing in main,
 * before any descriptor is opened and before --daemon forks.
 */
int vkdListenFds(int **fds, char ***names);
