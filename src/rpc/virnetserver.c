/* virnetserver.c: listening sockets and per-client frame I/O as GSources on the daemon's loop */
/*
 * Thread protocol.
 * - The loop thread (whoever iterates srv->ctx) runs every GSource here:
 *   accepting, reading and assembling frames, writing queued output,
 *   keepalive, closing, and all three callbacks.
 * - Any thread may call virNetServerClientSend*, StartKeepAlive, Close,
 *   RequestDone and the accessors. They change client state under
 *   client->lock (queue output, set flags). A sending thread also writes
 *   what the socket accepts right away; it wakes the loop with
 *   g_main_context_wakeup only when output is left over, reading must
 *   resume, or a close is pending; the client source's prepare() then
 *   recomputes what to poll for. Nothing here blocks: sockets are
 *   non-blocking.
 * - srv->lock guards the client list, the accepting flag and defaults.
 *   Lock order: srv->lock, then client->lock. Callbacks are invoked with
 *   no lock held.
 * - A client's GSource holds a reference on the client; the server's list
 *   holds another until the client is closed. After closeClient, no frame
 *   of the client is dispatched again; the daemon's side of a client's
 *   life cycle (its calls, their order against its teardown) is written
 *   at the top of src/daemon/daemon_server.c.
 * - Output limits: a client's socket is read only while its unsent output
 *   is under maxQueuedFrames/maxQueuedBytes (see virnetserver.h).
 */
#define G_LOG_DOMAIN "virtkit.rpc.server"
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib-unix.h>

#include "virerror.h"
#include "virkeepalive.h"
#include "virnetserver.h"

#define VIR_FROM_THIS VIR_FROM_RPC

/* Frames read per wakeup before yielding to other sources (fairness). */
#define CLIENT_READ_BATCH 16
#define DEFAULT_MAX_REQUESTS 5
#define DEFAULT_MAX_QUEUED_FRAMES 64
#define DEFAULT_MAX_QUEUED_BYTES (2 * 1024 * 1024)

typedef struct _virNetServerListener virNetServerListener;
struct _virNetServerListener {
    virNetServer *srv;
    int fd;
    bool readonly;
    GSource *source;
};

struct _virNetServer {
    GMainContext *ctx;
    virNetServerCallbacks cb;
    void *opaque;

    GMutex lock;
    GPtrArray *listeners; /* virNetServerListener * */
    GPtrArray *clients;   /* virNetServerClient * (one ref each) */
    bool accepting;
    unsigned int maxRequests;
    unsigned int maxQueuedFrames;
    size_t maxQueuedBytes;
    guint64 nextClientId;
};

typedef struct _virNetServerClientSource virNetServerClientSource;

struct _virNetServerClient {
    gint refs;
    virNetServer *srv; /* valid while not closed */
    guint64 id;
    bool readonly;
    pid_t pid;
    uid_t uid;
    gid_t gid;

    GMutex lock;
    virNetSocket *sock; /* NULL once closed */
    GSource *source;    /* NULL once closed */
    gpointer fdTag;
    GIOCondition fdCond; /* what fdTag is watched for now */
    bool closed;
    bool wantClose;
    bool closeFlush;
    unsigned int nrequests;
    unsigned int maxRequests;     /* 0 = unlimited */
    unsigned int maxQueuedFrames; /* output not yet written; 0 = unlimited */
    size_t maxQueuedBytes;        /* 0 = unlimited */
    bool overflowed;              /* closed for unsent output over the hard cap */
    virKeepAlive ka;
    bool kaStartPending;
    int kaInterval;
    unsigned int kaCount;

    void *priv;
    GDestroyNotify privFree;
};

struct _virNetServerClientSource {
    GSource base;
    virNetServerClient *client;
};

static void serverClientCloseLoop(virNetServerClient *client);
static bool serverClientCanRead(virNetServerClient *client);
static bool serverClientOverHardCap(virNetServerClient *client);

/* Wake the loop that owns @client (if still open). Called without locks. */
static void
serverClientWakeup(virNetServerClient *client, GMainContext *ctx)
{
    if (ctx)
        g_main_context_wakeup(ctx);
}

/* ---- clients: reference counting and accessors -------------------------- */

virNetServerClient *
virNetServerClientRef(virNetServerClient *client)
{
    g_atomic_int_inc(&client->refs);
    return client;
}

void
virNetServerClientUnref(virNetServerClient *client)
{
    if (!client || !g_atomic_int_dec_and_test(&client->refs))
        return;
    if (client->privFree && client->priv)
        client->privFree(client->priv);
    virNetSocketFree(client->sock);
    g_mutex_clear(&client->lock);
    g_free(client);
}

bool
virNetServerClientIsReadonly(virNetServerClient *client)
{
    return client->readonly;
}

bool
virNetServerClientIsClosed(virNetServerClient *client)
{
    bool ret;

    g_mutex_lock(&client->lock);
    ret = client->closed || client->wantClose;
    g_mutex_unlock(&client->lock);
    return ret;
}

pid_t
virNetServerClientGetPeerPid(virNetServerClient *client)
{
    return client->pid;
}

uid_t
virNetServerClientGetPeerUid(virNetServerClient *client)
{
    return client->uid;
}

gid_t
virNetServerClientGetPeerGid(virNetServerClient *client)
{
    return client->gid;
}

guint64
virNetServerClientGetId(virNetServerClient *client)
{
    return client->id;
}

void
virNetServerClientSetPrivateData(virNetServerClient *client, void *data,
                                 GDestroyNotify freefn)
{
    g_mutex_lock(&client->lock);
    client->priv = data;
    client->privFree = freefn;
    g_mutex_unlock(&client->lock);
}

void *
virNetServerClientGetPrivateData(virNetServerClient *client)
{
    void *ret;

    g_mutex_lock(&client->lock);
    ret = client->priv;
    g_mutex_unlock(&client->lock);
    return ret;
}

void
virNetServerClientSetMaxRequests(virNetServerClient *client, unsigned int maxRequests)
{
    GMainContext *ctx = NULL;

    g_mutex_lock(&client->lock);
    client->maxRequests = maxRequests;
    if (!client->closed)
        ctx = client->srv->ctx;
    g_mutex_unlock(&client->lock);
    serverClientWakeup(client, ctx);
}

/* ---- clients: sending (any thread) --------------------------------------- */

void
virNetServerClientSendMessage(virNetServerClient *client, virNetMessage *msg)
{
    GMainContext *ctx = NULL;
    bool isReply =
        msg->header.type == VIR_NET_REPLY || msg->header.type == VIR_NET_REPLY_WITH_FDS;
    bool wasPaused;
    bool wake;

    g_mutex_lock(&client->lock);
    wasPaused = !serverClientCanRead(client);
    if (isReply) {
        if (client->nrequests > 0)
            client->nrequests--;
    }
    if (client->closed || !client->sock || client->overflowed) {
        g_mutex_unlock(&client->lock);
        g_debug("client %" G_GUINT64_FORMAT " closed: dropping %s proc %d", client->id,
                virNetMessageTypeToString(msg->header.type), msg->header.proc);
        virNetMessageFree(msg);
        return;
    }
    if (!isReply && serverClientOverHardCap(client)) {
        /* Replies are bounded by the calls read, and reading stops at the
         * limits; events are not. A client that lets this much pile up
         * is not reading at all: drop it rather than grow without end. */
        client->overflowed = true;
        client->wantClose = true;
        client->closeFlush = false;
        ctx = client->srv->ctx;
        g_mutex_unlock(&client->lock);
        g_message("client %" G_GUINT64_FORMAT " does not read its output "
                  "(over %zu bytes unsent): closing",
                  client->id, 2 * client->maxQueuedBytes);
        virNetMessageFree(msg);
        serverClientWakeup(client, ctx);
        return;
    }
    virNetSocketQueue(client->sock, msg);
    /* Write at once from this thread when the socket takes it: saves a
     * loop wakeup per reply. Write errors are left for the loop to find
     * (it sees the same socket fail) so the caller's error stays clean. */
    wake = false;
    if (!client->wantClose && virNetSocketTryFlush(client->sock) < 0)
        wake = true;
    wake = wake || virNetSocketHasOutput(client->sock) || client->wantClose ||
           (wasPaused && serverClientCanRead(client));
    ctx = client->srv->ctx;
    g_mutex_unlock(&client->lock);
    if (wake)
        serverClientWakeup(client, ctx);
}

int
virNetServerClientSendReply(virNetServerClient *client, const virNetMessageHeader *call,
                            virXdrFilter filter, const void *ret)
{
    virNetMessageHeader hdr;
    virNetMessage *msg;
    const char *why = NULL;

    virNetMessageHeaderReply(&hdr, call, VIR_NET_OK);
    msg = virNetMessageEncode(&hdr, filter, ret, &why);
    if (!msg) {
        g_debug("cannot encode reply to proc %d: %s", call->proc, why);
        virNetServerClientSendErrorSimple(client, call, VIR_ERR_RPC, VIR_FROM_RPC,
                                          "Unable to encode message payload");
        return -1;
    }
    virNetServerClientSendMessage(client, msg);
    return 0;
}

int
virNetServerClientSendReplyWithFDs(virNetServerClient *client,
                                   const virNetMessageHeader *call, virXdrFilter filter,
                                   const void *ret, int *fds, size_t nfds)
{
    virNetMessageHeader hdr;
    virNetMessage *msg;
    const char *why = NULL;

    if (nfds == 0)
        return virNetServerClientSendReply(client, call, filter, ret);
    virNetMessageHeaderReply(&hdr, call, VIR_NET_OK);
    hdr.type = VIR_NET_REPLY_WITH_FDS;
    if (!(msg = virNetMessageEncodeWithFDs(&hdr, filter, ret, fds, nfds, &why))) {
        g_debug("cannot encode reply to proc %d: %s", call->proc, why);
        virNetServerClientSendErrorSimple(client, call, VIR_ERR_RPC, VIR_FROM_RPC,
                                          "Unable to encode message payload");
        return -1;
    }
    virNetServerClientSendMessage(client, msg);
    return 0;
}

void
virNetServerClientSendError(virNetServerClient *client, const virNetMessageHeader *call,
                            const virNetMessageError *err)
{
    virNetServerClientSendMessage(client, virNetMessageEncodeError(call, err));
}

void
virNetServerClientSendErrorSimple(virNetServerClient *client,
                                  const virNetMessageHeader *call, int code, int domain,
                                  const char *message)
{
    virNetServerClientSendMessage(
        client, virNetMessageEncodeErrorSimple(call, code, domain, message));
}

int
virNetServerClientSendEvent(virNetServerClient *client, uint32_t prog, int proc,
                            virXdrFilter filter, const void *body)
{
    virNetMessageHeader hdr = {
        .prog = prog,
        .vers = VIR_NET_PROGRAM_VERSION,
        .proc = proc,
        .type = VIR_NET_MESSAGE,
        .serial = 1,
        .status = VIR_NET_OK,
    };
    virNetMessage *msg = virNetMessageEncode(&hdr, filter, body, NULL);

    if (!msg)
        return -1;
    virNetServerClientSendMessage(client, msg);
    return 0;
}

void
virNetServerClientRequestDone(virNetServerClient *client)
{
    GMainContext *ctx = NULL;

    g_mutex_lock(&client->lock);
    if (client->nrequests > 0)
        client->nrequests--;
    if (!client->closed)
        ctx = client->srv->ctx;
    g_mutex_unlock(&client->lock);
    serverClientWakeup(client, ctx);
}

void
virNetServerClientStartKeepAlive(virNetServerClient *client, int interval,
                                 unsigned int count)
{
    GMainContext *ctx = NULL;

    g_mutex_lock(&client->lock);
    client->kaStartPending = true;
    client->kaInterval = interval;
    client->kaCount = count;
    if (!client->closed)
        ctx = client->srv->ctx;
    g_mutex_unlock(&client->lock);
    serverClientWakeup(client, ctx);
}

void
virNetServerClientClose(virNetServerClient *client, bool flush)
{
    GMainContext *ctx = NULL;

    g_mutex_lock(&client->lock);
    if (!client->closed) {
        if (!client->wantClose)
            client->closeFlush = flush;
        else if (!flush)
            client->closeFlush = false;
        client->wantClose = true;
        ctx = client->srv->ctx;
    }
    g_mutex_unlock(&client->lock);
    serverClientWakeup(client, ctx);
}

/* ---- clients: the loop side ------------------------------------------------ */

/* Whether the client's unsent output is within its limits. Called with
 * client->lock held, client open. */
static bool
serverClientOutputWithinLimits(virNetServerClient *client)
{
    unsigned int frames;
    size_t bytes;

    if (client->maxQueuedFrames == 0 && client->maxQueuedBytes == 0)
        return true;
    virNetSocketQueued(client->sock, &frames, &bytes);
    return (client->maxQueuedFrames == 0 || frames < client->maxQueuedFrames) &&
           (client->maxQueuedBytes == 0 || bytes < client->maxQueuedBytes);
}

/* Unsent output past twice the byte limit. client->lock held, open. */
static bool
serverClientOverHardCap(virNetServerClient *client)
{
    unsigned int frames;
    size_t bytes;

    if (client->maxQueuedBytes == 0)
        return false;
    virNetSocketQueued(client->sock, &frames, &bytes);
    return bytes > 2 * client->maxQueuedBytes;
}

/* Whether to read the client's next calls: not closing, fewer than
 * maxRequests calls waiting for their reply, and its unsent output
 * (replies and events the client has not read yet) within the limits.
 * Called with client->lock held. */
static bool
serverClientCanRead(virNetServerClient *client)
{
    return !client->wantClose && client->sock &&
           (client->maxRequests == 0 || client->nrequests < client->maxRequests) &&
           serverClientOutputWithinLimits(client);
}

static gboolean
serverClientSourcePrepare(GSource *source, gint *timeout)
{
    virNetServerClient *client = ((virNetServerClientSource *)source)->client;
    GIOCondition cond = 0;
    gboolean ready = FALSE;
    gint64 now = g_get_monotonic_time();

    *timeout = -1;
    g_mutex_lock(&client->lock);
    if (client->closed) {
        g_mutex_unlock(&client->lock);
        return FALSE;
    }
    if (client->kaStartPending) {
        virKeepAliveStart(&client->ka, client->kaInterval, client->kaCount, now);
        client->kaStartPending = false;
    }
    if (serverClientCanRead(client))
        cond |= G_IO_IN;
    if (virNetSocketHasOutput(client->sock))
        cond |= G_IO_OUT;
    else if (client->wantClose)
        ready = TRUE; /* nothing left to write: close now */
    if (client->wantClose && !client->closeFlush)
        ready = TRUE;
    /* Only on a change: g_source_modify_unix_fd wakes the context every
     * time, and doing it from prepare() would make the loop spin. */
    if (cond != client->fdCond) {
        g_source_modify_unix_fd(source, client->fdTag, cond);
        client->fdCond = cond;
    }
    *timeout = virKeepAliveTimeout(&client->ka, now);
    if (*timeout == 0)
        ready = TRUE;
    g_mutex_unlock(&client->lock);
    return ready;
}

static gboolean
serverClientSourceCheck(GSource *source)
{
    virNetServerClient *client = ((virNetServerClientSource *)source)->client;
    gboolean ready;

    if (g_source_query_unix_fd(source, client->fdTag))
        return TRUE;
    g_mutex_lock(&client->lock);
    ready = !client->closed &&
            ((client->wantClose &&
              (!client->closeFlush || !virNetSocketHasOutput(client->sock))) ||
             virKeepAliveTimeout(&client->ka, g_get_monotonic_time()) == 0);
    g_mutex_unlock(&client->lock);
    return ready;
}

/* One frame from the client (loop thread). Returns whether to keep reading. */
static bool
serverClientFrame(virNetSocket *sock, virNetMessage *msg, void *opaque)
{
    virNetServerClient *client = opaque;
    virNetServer *srv = client->srv;
    bool more;

    g_mutex_lock(&client->lock);
    virKeepAliveNoteActivity(&client->ka, g_get_monotonic_time());
    if (virNetMessageIsKeepAlive(&msg->header)) {
        virNetMessage *pong =
            virKeepAliveHandleMessage(&client->ka, msg, g_get_monotonic_time());
        if (pong)
            virNetSocketQueue(sock, pong);
        /* PONGs are output too: a peer sending PINGs without reading is
         * held to the same limits as one sending calls. */
        more = serverClientCanRead(client);
        g_mutex_unlock(&client->lock);
        virNetMessageFree(msg);
        return more;
    }
    if (msg->header.type == VIR_NET_REPLY || msg->header.type == VIR_NET_REPLY_WITH_FDS) {
        /* libvirtd ignores replies from clients. */
        g_mutex_unlock(&client->lock);
        g_debug("client %" G_GUINT64_FORMAT ": ignoring REPLY frame", client->id);
        virNetMessageFree(msg);
        return true;
    }
    if (msg->header.type == VIR_NET_CALL || msg->header.type == VIR_NET_CALL_WITH_FDS)
        client->nrequests++;
    more = serverClientCanRead(client);
    g_mutex_unlock(&client->lock);

    g_debug("client %" G_GUINT64_FORMAT ": %s prog 0x%x proc %d serial %u", client->id,
            virNetMessageTypeToString(msg->header.type), msg->header.prog,
            msg->header.proc, msg->header.serial);
    srv->cb.dispatch(client, msg, srv->opaque);
    return more;
}

static gboolean
serverClientSourceDispatch(GSource *source, GSourceFunc callback, gpointer data)
{
    virNetServerClient *client = ((virNetServerClientSource *)source)->client;
    GIOCondition rev = g_source_query_unix_fd(source, client->fdTag);
    virNetSocket *sock;
    bool close = false;
    bool canRead;

    g_mutex_lock(&client->lock);
    if (client->closed) {
        g_mutex_unlock(&client->lock);
        return G_SOURCE_REMOVE;
    }
    sock = client->sock;

    if (rev & G_IO_OUT) {
        if (virNetSocketFlush(sock) < 0) {
            g_debug("client %" G_GUINT64_FORMAT ": write failed: %s", client->id,
                    virGetLastErrorMessage());
            close = true;
        }
    }
    if (client->wantClose && (!client->closeFlush || !virNetSocketHasOutput(sock)))
        close = true;

    if (!close) {
        switch (virKeepAliveCheck(&client->ka, g_get_monotonic_time())) {
        case VIR_KEEPALIVE_PING:
            virNetSocketQueue(sock,
                              virNetMessageNewKeepAlive(VIR_NET_KEEPALIVE_PROC_PING));
            break;
        case VIR_KEEPALIVE_DEAD:
            g_debug("client %" G_GUINT64_FORMAT ": keepalive timeout", client->id);
            close = true;
            break;
        case VIR_KEEPALIVE_NONE:
            break;
        }
    }
    canRead = serverClientCanRead(client);
    g_mutex_unlock(&client->lock);

    /* The socket object lives as long as the client is open, and only this
     * thread closes it, so it may be used unlocked for reading. */
    if (!close && (rev & (G_IO_IN | G_IO_HUP | G_IO_ERR)) && canRead) {
        virNetSocketStatus st =
            virNetSocketRead(sock, CLIENT_READ_BATCH, serverClientFrame, client);
        if (st != VIR_NET_SOCKET_OK) {
            g_debug("client %" G_GUINT64_FORMAT ": closing: %s", client->id,
                    virGetLastErrorMessage());
            close = true;
        }
    } else if (!close && (rev & (G_IO_HUP | G_IO_ERR))) {
        /* The peer is gone while we are not reading (requests in flight):
         * poll would report this forever, and no reply can reach it. */
        close = true;
    }

    if (!close) {
        /* Try writing what the dispatch hook may have queued synchronously. */
        g_mutex_lock(&client->lock);
        if (!client->closed && virNetSocketHasOutput(sock) && virNetSocketFlush(sock) < 0)
            close = true;
        g_mutex_unlock(&client->lock);
    }

    if (close)
        serverClientCloseLoop(client);
    return G_SOURCE_CONTINUE;
}

static void
serverClientSourceFinalize(GSource *source)
{
    virNetServerClientSource *s = (virNetServerClientSource *)source;

    virNetServerClientUnref(s->client);
}

static GSourceFuncs serverClientSourceFuncs = {
    .prepare = serverClientSourcePrepare,
    .check = serverClientSourceCheck,
    .dispatch = serverClientSourceDispatch,
    .finalize = serverClientSourceFinalize,
};

/* Close @client now (loop thread): stop its source, close the socket,
 * drop it from the server, tell the daemon. Idempotent. */
static void
serverClientCloseLoop(virNetServerClient *client)
{
    virNetServer *srv;
    GSource *source;
    virNetSocket *sock;

    g_mutex_lock(&client->lock);
    if (client->closed) {
        g_mutex_unlock(&client->lock);
        return;
    }
    client->closed = true;
    srv = client->srv;
    source = g_steal_pointer(&client->source);
    sock = g_steal_pointer(&client->sock);
    g_mutex_unlock(&client->lock);

    g_debug("client %" G_GUINT64_FORMAT ": closed", client->id);
    if (source) {
        g_source_destroy(source);
        g_source_unref(source);
    }
    virNetSocketFree(sock);

    virNetServerClientRef(client);
    g_mutex_lock(&srv->lock);
    if (g_ptr_array_remove(srv->clients, client))
        virNetServerClientUnref(client);
    g_mutex_unlock(&srv->lock);

    if (srv->cb.closeClient)
        srv->cb.closeClient(client, srv->opaque);
    virNetServerClientUnref(client);
}

/* ---- listeners ----------------------------------------------------------- */

static void
serverAcceptOne(virNetServerListener *lis, int fd)
{
    virNetServer *srv = lis->srv;
    virNetServerClient *client;
    virNetServerClientSource *src;
    virNetSocket *sock;

    if (!(sock = virNetSocketNew(fd)))
        return;
    client = g_new0(virNetServerClient, 1);
    client->refs = 1;
    client->srv = srv;
    client->readonly = lis->readonly;
    client->pid = -1;
    client->uid = (uid_t)-1;
    client->gid = (gid_t)-1;
    g_mutex_init(&client->lock);
    client->sock = sock;
    virKeepAliveInit(&client->ka);
    if (virNetSocketGetPeerCred(fd, &client->pid, &client->uid, &client->gid) < 0)
        g_debug("no peer credentials: %s", virGetLastErrorMessage());

    g_mutex_lock(&srv->lock);
    client->id = ++srv->nextClientId;
    client->maxRequests = srv->maxRequests;
    client->maxQueuedFrames = srv->maxQueuedFrames;
    client->maxQueuedBytes = srv->maxQueuedBytes;
    g_mutex_unlock(&srv->lock);

    g_debug("client %" G_GUINT64_FORMAT ": accepted (pid %d uid %d%s)", client->id,
            (int)client->pid, (int)client->uid, client->readonly ? ", read-only" : "");

    if (srv->cb.newClient && !srv->cb.newClient(srv, client, srv->opaque)) {
        g_mutex_lock(&client->lock);
        client->closed = true;
        g_mutex_unlock(&client->lock);
        virNetServerClientUnref(client);
        return;
    }

    g_mutex_lock(&srv->lock);
    g_ptr_array_add(srv->clients, client); /* the list's reference */
    g_mutex_unlock(&srv->lock);

    src =
        (virNetServerClientSource *)g_source_new(&serverClientSourceFuncs, sizeof(*src));
    src->client = virNetServerClientRef(client);
    g_mutex_lock(&client->lock);
    client->fdTag = g_source_add_unix_fd(&src->base, virNetSocketGetFD(sock), G_IO_IN);
    client->fdCond = G_IO_IN;
    client->source = &src->base;
    g_mutex_unlock(&client->lock);
    g_source_set_name(&src->base, "virNetServerClient");
    /* Nothing iterates the context from inside a dispatch, so GLib need
     * not block the source around each one: blocking takes its fd out of
     * the poll set and puts it back, and both steps poke the context's
     * wakeup fd, which costs two writes, one read and one extra poll round
     * per frame. */
    g_source_set_can_recurse(&src->base, TRUE);
    g_source_attach(&src->base, srv->ctx);
}

static gboolean
serverListenerReady(gint fd, GIOCondition cond, gpointer opaque)
{
    virNetServerListener *lis = opaque;
    virNetServer *srv = lis->srv;
    bool accepting;

    g_mutex_lock(&srv->lock);
    accepting = srv->accepting;
    g_mutex_unlock(&srv->lock);
    if (!accepting)
        return G_SOURCE_CONTINUE;

    for (;;) {
        int cfd = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (cfd < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                g_debug("accept failed: %s", g_strerror(errno));
            break;
        }
        serverAcceptOne(lis, cfd);
    }
    return G_SOURCE_CONTINUE;
}

static void
serverListenerFree(gpointer p)
{
    virNetServerListener *lis = p;

    if (lis->source) {
        g_source_destroy(lis->source);
        g_source_unref(lis->source);
    }
    if (lis->fd >= 0)
        close(lis->fd);
    g_free(lis);
}

int
virNetServerAddListenerFD(virNetServer *srv, int fd, bool readonly)
{
    virNetServerListener *lis = g_new0(virNetServerListener, 1);

    if (!g_unix_set_fd_nonblocking(fd, TRUE, NULL)) {
        virReportSystemError(errno, "%s", "Unable to set socket flags");
        close(fd);
        g_free(lis);
        return -1;
    }
    lis->srv = srv;
    lis->fd = fd;
    lis->readonly = readonly;
    lis->source = g_unix_fd_source_new(fd, G_IO_IN);
    g_source_set_callback(lis->source, G_SOURCE_FUNC(serverListenerReady), lis, NULL);
    g_source_set_name(lis->source, "virNetServerListener");
    g_mutex_lock(&srv->lock);
    g_ptr_array_add(srv->listeners, lis);
    g_mutex_unlock(&srv->lock);
    g_source_attach(lis->source, srv->ctx);
    return 0;
}

int
virNetServerAddUnixListener(virNetServer *srv, const char *path, mode_t mode,
                            bool readonly)
{
    int fd = virNetSocketListenUnix(path, mode);

    if (fd < 0)
        return -1;
    return virNetServerAddListenerFD(srv, fd, readonly);
}

/* ---- the server ------------------------------------------------------------ */

virNetServer *
virNetServerNew(GMainContext *ctx, const virNetServerCallbacks *cb, void *opaque)
{
    virNetServer *srv = g_new0(virNetServer, 1);

    g_assert(cb && cb->dispatch);
    srv->ctx = g_main_context_ref(ctx ? ctx : g_main_context_default());
    srv->cb = *cb;
    srv->opaque = opaque;
    g_mutex_init(&srv->lock);
    srv->listeners = g_ptr_array_new_with_free_func(serverListenerFree);
    srv->clients = g_ptr_array_new();
    srv->accepting = true;
    srv->maxRequests = DEFAULT_MAX_REQUESTS;
    srv->maxQueuedFrames = DEFAULT_MAX_QUEUED_FRAMES;
    srv->maxQueuedBytes = DEFAULT_MAX_QUEUED_BYTES;
    return srv;
}

void
virNetServerSetAccepting(virNetServer *srv, bool accepting)
{
    g_mutex_lock(&srv->lock);
    srv->accepting = accepting;
    g_mutex_unlock(&srv->lock);
}

void
virNetServerSetMaxRequests(virNetServer *srv, unsigned int maxRequests)
{
    g_mutex_lock(&srv->lock);
    srv->maxRequests = maxRequests;
    g_mutex_unlock(&srv->lock);
}

void
virNetServerSetMaxQueued(virNetServer *srv, unsigned int frames, size_t bytes)
{
    g_mutex_lock(&srv->lock);
    srv->maxQueuedFrames = frames;
    srv->maxQueuedBytes = bytes;
    g_mutex_unlock(&srv->lock);
}

size_t
virNetServerClientCount(virNetServer *srv)
{
    size_t n;

    g_mutex_lock(&srv->lock);
    n = srv->clients->len;
    g_mutex_unlock(&srv->lock);
    return n;
}

void
virNetServerCloseClients(virNetServer *srv)
{
    for (;;) {
        virNetServerClient *client = NULL;

        g_mutex_lock(&srv->lock);
        if (srv->clients->len > 0)
            client = virNetServerClientRef(g_ptr_array_index(srv->clients, 0));
        g_mutex_unlock(&srv->lock);
        if (!client)
            break;
        serverClientCloseLoop(client);
        virNetServerClientUnref(client);
    }
}

void
virNetServerFree(virNetServer *srv)
{
    if (!srv)
        return;
    virNetServerSetAccepting(srv, false);
    g_ptr_array_free(srv->listeners, TRUE);
    virNetServerCloseClients(srv);
    g_ptr_array_free(srv->clients, TRUE);
    g_main_context_unref(srv->ctx);
    g_mutex_clear(&srv->lock);
    g_free(srv);
}
