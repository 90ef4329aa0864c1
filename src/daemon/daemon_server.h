/* daemon_server.h: virtkitd's sockets and clients on top of virNetServer, calls to the pools */
#pragma once

#include <glib.h>
#include <stdbool.h>

#include "daemon_config.h"

typedef struct _vkdServer vkdServer;

/* New server for @cfg on GLib's default main context (worker pools
 * created; nothing listens yet). NULL with *error set on failure. */
vkdServer *vkdServerNew(const vkdConfig *cfg, GError **error);

/* The daemon's own sockets (when systemd passed none): bound and
 * listening from before the drivers start, accepted on only once they are
 * up (vkdServerListen). */
typedef struct {
    int fds[2];     /* read-write, read-only; -1: not bound (or handed over) */
    char *paths[2]; /* their files */
} vkdServerSockets;

/* Bind and listen on the read-write (0600) and read-only (0666) sockets
 * in cfg->runtimeDir without accepting: a client that connects while the
 * drivers start (definitions, reconnect, autostart) waits in the kernel's
 * backlog and is answered as soon as they are up (as libvirtd, which sets
 * its sockets up before its state initialization and enables them at its
 * end, and as with systemd's socket activation), rather than finding no
 * socket and retrying. Only once the
 * runtime directory's lock is held (the files of a daemon still running
 * are never replaced). 0, or -1 with *error set and nothing left bound.
 * @socks is cleared with vkdServerSocketsClear. */
int vkdServerBind(const vkdConfig *cfg, vkdServerSockets *socks, GError **error);

/* Close what vkdServerListen did not take and remove its files (a start
 * that failed: clients waiting in the backlog see the connection end). */
void vkdServerSocketsClear(vkdServerSockets *socks);

/* Listen on the @nfds sockets passed by systemd (@fds/@names from
 * vkdListenFds; a name ending in "-ro" is read-only, anything else
 * read-write; ownership taken), or when there are none on @socks (from
 * vkdServerBind; ownership taken), or without either on the read-write
 * (0600) and read-only (0666) sockets in cfg->runtimeDir; and accept.
 * 0, or -1 with *error set. */
int vkdServerListen(vkdServer *srv, int *fds, char **names, int nfds,
                    vkdServerSockets *socks, GError **error);

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
