/* daemon_server.h: virtkitd's sockets and clients on top of virNetServer, calls to the pools */
#pragma once

#include <glib.h>
#include <stdbool.h>

#include "daemon_config.h"

typedef struct _vkdServer vkdServer;

/* New server for @cfg on GLib's default main context (worker pools
 * created; nothing listens yet). NULL with *error set on failure. */
vkdServer *vkdServerNew(const vkdConfig *cfg, GError **error);

/* Listen on the @nfds sockets passed by systemd (@fds/@names from
 * vkdListenFds; a name ending in "-ro" is read-only, anything else
 * read-write; ownership taken), or when there are none on the read-write
 * (0600) and read-only (0666) sockets in cfg->runtimeDir; and accept.
 * 0, or -1 with *error set. */
int vkdServerListen(vkdServer *srv, int *fds, char **names, int nfds, GError **error);

/* No client, no call in flight, and no active guest (for --timeout).
 * Main thread. */
bool vkdServerIsIdle(vkdServer *srv);

/* Whether calls are queued or running on the worker pools. Any thread. */
bool vkdServerHasCallsInFlight(vkdServer *srv);

/* SIGTERM path: stop accepting and reading calls, let the calls in flight
 * finish and their replies be written (bounded by deadlines), close every
 * client. Main thread, with the main loop no longer running. Returns
 * false if some call was still running at the deadline (stuck in the
 * driver): the caller must then not tear the driver down under it. */
bool vkdServerShutdown(vkdServer *srv);
void vkdServerFree(vkdServer *srv);
