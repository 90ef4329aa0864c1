/* virnetserver.h: RPC server: listeners and client frame I/O as GSources on the daemon's loop */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <sys/types.h>

#include "virnetmessage.h"
#include "virnetsocket.h"

/*
 * A virNetServer accepts clients on listening UNIX sockets and moves frames
 * for each client, all from GSources attached to the GMainContext the
 * daemon owns and iterates. Nothing in here blocks that loop.
 *
 * Per client, on the loop thread: frames are read and assembled (limits in
 * virnetsocket.h); keepalive frames are handled here (PING answered with
 * PONG at once; own PINGs once virNetServerClientStartKeepAlive is called;
 * a dead peer is closed); REPLY-type frames from a client are dropped, as
 * libvirtd does; every other frame goes to the dispatch hook.
 *
 * Flow control: at most @maxRequests CALLs per client may be awaiting
 * their REPLY (libvirt's max_client_requests, default 5); while that many
 * are in flight the client's socket is not read. Each REPLY sent through
 * the client ends one request; a CALL answered by nothing must be ended
 * with virNetServerClientRequestDone. A reply still counts against the
 * client until it is written: while its unsent output (replies, events)
 * reaches maxQueuedFrames frames or maxQueuedBytes bytes (default 64 and
 * 2 MiB) the socket is not read either, so a client that never reads
 * costs at most those plus the replies of its calls in flight. Events
 * keep coming whether the client reads or not: one that lets its unsent
 * output pass twice maxQueuedBytes is closed.
 *
 * Threads: callbacks run on the loop thread. The Send* functions,
 * StartKeepAlive, Close and the accessors are safe from any thread (workers
 * send replies directly; the loop is woken to write them).
 */

typedef struct _virNetServer virNetServer;
typedef struct _virNetServerClient virNetServerClient;

typedef struct _virNetServerCallbacks virNetServerCallbacks;
struct _virNetServerCallbacks {
    /* A client connected (peer credentials already read). Return false to
     * refuse it (it is closed at once; no closeClient call follows). */
    bool (*newClient)(virNetServer *srv, virNetServerClient *client, void *opaque);
    /* A frame to dispatch (never keepalive, never a REPLY); ownership of
     * @msg passes. The hook must not block: hand work to a worker. */
    void (*dispatch)(virNetServerClient *client, virNetMessage *msg, void *opaque);
    /* The client is gone (EOF, I/O error, hostile frame, keepalive timeout,
     * or virNetServerClientClose). Called once, on the loop thread. The
     * client object stays valid while references are held. */
    void (*closeClient)(virNetServerClient *client, void *opaque);
};

/* Server on @ctx (a reference is taken). Callbacks are copied. */
virNetServer *virNetServerNew(GMainContext *ctx, const virNetServerCallbacks *cb,
                              void *opaque);
/* Close every listener and client, then free. NULL-safe. Call from the
 * loop thread (or after the loop stopped). */
void virNetServerFree(virNetServer *srv);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virNetServer, virNetServerFree);

/* Listen on @path (created with @mode, replacing a stale file). Clients of
 * a @readonly listener report virNetServerClientIsReadonly. 0 or -1
 * (error reported). */
int virNetServerAddUnixListener(virNetServer *srv, const char *path, mode_t mode,
                                bool readonly);
/* Listen on an already bound and listening @fd (socket activation);
 * ownership taken. 0 or -1. */
int virNetServerAddListenerFD(virNetServer *srv, int fd, bool readonly);
/* Stop or resume accepting new clients (e.g. on SIGTERM). */
void virNetServerSetAccepting(virNetServer *srv, bool accepting);
/* Number of open clients. */
size_t virNetServerClientCount(virNetServer *srv);
/* Default for new clients' request limit (0 = unlimited). */
void virNetServerSetMaxRequests(virNetServer *srv, unsigned int maxRequests);
/* Defaults for new clients' limits on unsent output (0 = unlimited). */
void virNetServerSetMaxQueued(virNetServer *srv, unsigned int frames, size_t bytes);
/* Close all clients (closeClient is called for each). Loop thread. */
void virNetServerCloseClients(virNetServer *srv);

/* ---- clients --------------------------------------------------------- */

virNetServerClient *virNetServerClientRef(virNetServerClient *client);
void virNetServerClientUnref(virNetServerClient *client); /* NULL-safe */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virNetServerClient, virNetServerClientUnref);

bool virNetServerClientIsReadonly(virNetServerClient *client);
bool virNetServerClientIsClosed(virNetServerClient *client);
/* Credentials read with SO_PEERCRED at accept (-1 if they could not be). */
pid_t virNetServerClientGetPeerPid(virNetServerClient *client);
uid_t virNetServerClientGetPeerUid(virNetServerClient *client);
gid_t virNetServerClientGetPeerGid(virNetServerClient *client);
/* A small per-server unique id (for logs). */
guint64 virNetServerClientGetId(virNetServerClient *client);

/* Daemon data attached to the client; @freefn runs when the client is
 * freed. Set it from newClient. */
void virNetServerClientSetPrivateData(virNetServerClient *client, void *data,
                                      GDestroyNotify freefn);
void *virNetServerClientGetPrivateData(virNetServerClient *client);
void virNetServerClientSetMaxRequests(virNetServerClient *client,
                                      unsigned int maxRequests);

/* Queue a complete frame (ownership taken). Dropped if the client is
 * closed. A frame of type REPLY ends one request in flight. */
void virNetServerClientSendMessage(virNetServerClient *client, virNetMessage *msg);
/* REPLY (status OK) to @call with @ret encoded by @filter (NULL = void).
 * If @ret cannot be encoded (too large), an RPC error reply is sent
 * instead and -1 returned. */
int virNetServerClientSendReply(virNetServerClient *client,
                                const virNetMessageHeader *call, virXdrFilter filter,
                                const void *ret);
/* The same as a REPLY_WITH_FDS passing @fds (taken: closed once passed,
 * when the client is gone, or here on failure); a plain REPLY when @nfds
 * is 0 (libvirtd replies WITH_FDS only when it returns descriptors). */
int virNetServerClientSendReplyWithFDs(virNetServerClient *client,
                                       const virNetMessageHeader *call,
                                       virXdrFilter filter, const void *ret, int *fds,
                                       size_t nfds);
/* REPLY (status ERROR) to @call. */
void virNetServerClientSendError(virNetServerClient *client,
                                 const virNetMessageHeader *call,
                                 const virNetMessageError *err);
void virNetServerClientSendErrorSimple(virNetServerClient *client,
                                       const virNetMessageHeader *call, int code,
                                       int domain, const char *message);
/* Asynchronous event: MESSAGE, status OK, serial 1 (as libvirtd), on
 * @prog/VIR_NET_PROGRAM_VERSION. -1 if @msg cannot be encoded. */
int virNetServerClientSendEvent(virNetServerClient *client, uint32_t prog, int proc,
                                virXdrFilter filter, const void *msg);
/* End one request that got no REPLY through this client. */
void virNetServerClientRequestDone(virNetServerClient *client);

/* Start our own PINGs (libvirtd: 5 s, count 5, for clients that asked
 * about feature 10). */
void virNetServerClientStartKeepAlive(virNetServerClient *client, int interval,
                                      unsigned int count);
/* Close: with @flush, queued frames are written first (CONNECT_CLOSE:
 * reply, then close); without, at once. Any thread. */
void virNetServerClientClose(virNetServerClient *client, bool flush);
