/* remote_driver_stream.c: streams of the remote driver (virDomainOpenConsole through a daemon)
 *
 * Thread protocol: the daemon's STREAM frames arrive on the connection's
 * I/O thread (remoteStreamFrame) and are queued on their stream, found by
 * serial in remotePrivate.streams (under remotePrivate.lock). The user's
 * calls (any thread) take the stream's lock; Recv and Finish/Abort wait on
 * its condition for data or the daemon's confirmation. The user's event
 * callback runs from the registered event loop, through a timer armed
 * while what it watches is ready (data or a hole queued; WRITABLE while the
 * socket's unsent output is under REMOTE_STREAM_TX_MAX). A connection that
 * dies wakes every stream with its error (remoteStreamsClosed).
 *
 * Flow control, client -> daemon: a send waits (blocking stream) or
 * returns -2 (non-blocking) while REMOTE_STREAM_TX_MAX bytes of the
 * connection's output are unwritten, so a daemon that reads slowly does
 * not grow our memory. Daemon -> client: frames are queued as they come
 * (the daemon bounds what it has in flight; as libvirt's client, this
 * queue is not bounded while the application does not read).
 *
 * Sparse streams (opened with @sparse: the procedure's SPARSE_STREAM
 * flag): STREAM_HOLE frames queue in order with the data; a hole reads as
 * zeroes, or stops virStreamRecvFlags(VIR_STREAM_RECV_STOP_AT_HOLE) with
 * -3 for virStreamRecvHole. A hole on a stream not opened sparse, or one
 * that is malformed, fails the stream (libvirt's "Unexpected stream hole",
 * "Malformed stream hole packet"); the connection stays.
 */
#define G_LOG_DOMAIN "virtkit.remote.stream"
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "remote_driver_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_REMOTE

/* Largest data frame sent (libvirt's client sends 256 KiB chunks too). */
#define REMOTE_STREAM_CHUNK (256 * 1024)
/* Unwritten output of the connection past which a stream send waits. */
#define REMOTE_STREAM_TX_MAX (1024 * 1024)

/* One entry of a stream's input: data, or a hole of @hole bytes. */
typedef struct {
    GBytes *data;
    long long hole;
} remoteStreamChunk;

static void
remoteStreamChunkFree(remoteStreamChunk *c)
{
    if (c->data)
        g_bytes_unref(c->data);
    g_free(c);
}

typedef struct {
    remotePrivate *priv; /* the connection's; the stream holds conn */
    uint32_t serial;
    int proc;
    GMutex lock;
    GCond cond;
    GQueue rx;            /* remoteStreamChunk * */
    size_t rxOffset;      /* into the head's data */
    bool sparse;          /* holes allowed both ways */
    long long holeLength; /* a hole taken off @rx, not yet read */
    bool eof;             /* the daemon's end of data */
    bool confirmed;       /* the daemon's OK to our finish/abort */
    bool failed;          /* error below */
    virNetMessageError err;
    bool dead;   /* connection gone */
    bool closed; /* finished or aborted here */
    virStreamEventCallback cb;
    void *cbOpaque;
    virFreeCallback cbFree;
    int cbEvents;
    int timer; /* -1 when none */
} remoteStream;

static void
remoteStreamDataFree(void *opaque)
{
    remoteStream *rs = opaque;

    g_mutex_lock(&rs->priv->lock);
    if (rs->priv->streams)
        g_hash_table_remove(rs->priv->streams, GUINT_TO_POINTER(rs->serial));
    g_mutex_unlock(&rs->priv->lock);
    /* a frame being queued found it before the removal: let it finish */
    g_mutex_lock(&rs->lock);
    g_mutex_unlock(&rs->lock);
    /* the timer held a reference on the stream: none is left here */
    if (rs->cbFree)
        rs->cbFree(rs->cbOpaque);
    g_queue_clear_full(&rs->rx, (GDestroyNotify)remoteStreamChunkFree);
    virNetMessageErrorClear(&rs->err);
    g_mutex_clear(&rs->lock);
    g_cond_clear(&rs->cond);
    g_free(rs);
}

/* Arm or disarm the event timer for what is ready now (lock held). */
static void
remoteStreamUpdateTimerLocked(remoteStream *rs)
{
    bool ready = false;
    int later = -1;

    if (rs->timer < 0)
        return;
    if ((rs->cbEvents & VIR_STREAM_EVENT_READABLE) &&
        (!g_queue_is_empty(&rs->rx) || rs->holeLength > 0 || rs->eof || rs->failed ||
         rs->dead))
        ready = true;
    if ((rs->cbEvents & VIR_STREAM_EVENT_WRITABLE) && !rs->closed) {
        if (virNetClientWaitOutputBelow(rs->priv->client, REMOTE_STREAM_TX_MAX, true) !=
            1)
            ready = true;
        else
            later = 20; /* look again once some output went out */
    }
    virEventUpdateTimeout(rs->timer, ready ? 0 : later);
}

static void
remoteStreamTimer(int timer G_GNUC_UNUSED, void *opaque)
{
    virStreamPtr st = opaque;
    remoteStream *rs = st->privateData;
    virStreamEventCallback cb;
    void *cbOpaque;
    int events = 0;

    g_mutex_lock(&rs->lock);
    cb = rs->cb;
    cbOpaque = rs->cbOpaque;
    if ((rs->cbEvents & VIR_STREAM_EVENT_READABLE) &&
        (!g_queue_is_empty(&rs->rx) || rs->holeLength > 0 || rs->eof))
        events |= VIR_STREAM_EVENT_READABLE;
    if ((rs->cbEvents & VIR_STREAM_EVENT_WRITABLE) && !rs->closed &&
        virNetClientWaitOutputBelow(rs->priv->client, REMOTE_STREAM_TX_MAX, true) != 1)
        events |= VIR_STREAM_EVENT_WRITABLE;
    if (rs->failed)
        events |= VIR_STREAM_EVENT_ERROR;
    if (rs->dead)
        events |= VIR_STREAM_EVENT_HANGUP;
    g_mutex_unlock(&rs->lock);
    if (cb && events)
        cb(st, events, cbOpaque);
    g_mutex_lock(&rs->lock);
    remoteStreamUpdateTimerLocked(rs);
    g_mutex_unlock(&rs->lock);
}

/* A STREAM_HOLE frame of the daemon (rs->lock held). */
static void
remoteStreamFrameHoleLocked(remoteStream *rs, virNetMessage *msg)
{
    virNetStreamHole hole;
    const char *why = NULL;

    if (rs->failed || rs->eof)
        return;
    if (!rs->sparse) {
        virNetMessageErrorSet(&rs->err, VIR_ERR_RPC, VIR_FROM_RPC,
                              "Unexpected stream hole");
        rs->failed = true;
    } else if (!virNetMessageDecodeHole(msg, &hole, &why)) {
        g_debug("stream %u: bad hole: %s", rs->serial, why);
        virNetMessageErrorSet(&rs->err, VIR_ERR_INTERNAL_ERROR, VIR_FROM_RPC,
                              "Malformed stream hole packet");
        rs->failed = true;
    } else if (hole.length > 0) {
        remoteStreamChunk *c = g_new0(remoteStreamChunk, 1);

        c->hole = hole.length;
        g_queue_push_tail(&rs->rx, c);
    }
}

/* I/O thread: a STREAM or STREAM_HOLE frame of the daemon. */
void
remoteStreamFrame(virNetClient *client G_GNUC_UNUSED, virNetMessage *msg, void *opaque)
{
    remotePrivate *priv = opaque;
    remoteStream *rs;
    const char *why = NULL;

    g_mutex_lock(&priv->lock);
    rs = priv->streams
             ? g_hash_table_lookup(priv->streams, GUINT_TO_POINTER(msg->header.serial))
             : NULL;
    if (!rs) {
        g_mutex_unlock(&priv->lock);
        g_debug("stream frame for serial %u: no such stream", msg->header.serial);
        virNetMessageFree(msg);
        return;
    }
    g_mutex_lock(&rs->lock);
    g_mutex_unlock(&priv->lock);
    if (msg->header.type == VIR_NET_STREAM_HOLE) {
        remoteStreamFrameHoleLocked(rs, msg);
        goto done;
    }
    switch (msg->header.status) {
    case VIR_NET_CONTINUE:
        if (virNetMessagePayloadLen(msg) == 0) {
            rs->eof = true;
        } else {
            remoteStreamChunk *c = g_new0(remoteStreamChunk, 1);

            c->data =
                g_bytes_new(virNetMessagePayload(msg), virNetMessagePayloadLen(msg));
            g_queue_push_tail(&rs->rx, c);
        }
        break;
    case VIR_NET_OK:
        rs->confirmed = true;
        break;
    case VIR_NET_ERROR:
    default:
        virNetMessageErrorClear(&rs->err);
        if (!virNetMessageDecodePayload(msg, virnet_error_filter, &rs->err, &why))
            virNetMessageErrorSet(&rs->err, VIR_ERR_RPC, VIR_FROM_RPC,
                                  "Unable to decode message payload");
        rs->failed = true;
        break;
    }
done:
    g_cond_broadcast(&rs->cond);
    remoteStreamUpdateTimerLocked(rs);
    g_mutex_unlock(&rs->lock);
    virNetMessageFree(msg);
}

/* The connection died: wake every stream. */
void
remoteStreamsClosed(remotePrivate *priv)
{
    GHashTableIter it;
    gpointer v;

    g_mutex_lock(&priv->lock);
    if (priv->streams) {
        g_hash_table_iter_init(&it, priv->streams);
        while (g_hash_table_iter_next(&it, NULL, &v)) {
            remoteStream *rs = v;

            g_mutex_lock(&rs->lock);
            rs->dead = true;
            g_cond_broadcast(&rs->cond);
            remoteStreamUpdateTimerLocked(rs);
            g_mutex_unlock(&rs->lock);
        }
    }
    g_mutex_unlock(&priv->lock);
}

/* The stream's failure as the thread's error (lock held): -1. */
static int
remoteStreamReportLocked(remoteStream *rs)
{
    if (rs->failed) {
        virSetErrorRaw(rs->err.domain, rs->err.code,
                       rs->err.level ? rs->err.level : VIR_ERR_ERROR,
                       rs->err.message ? rs->err.message : "unknown error", rs->err.str1,
                       rs->err.str2, rs->err.str3, rs->err.int1, rs->err.int2);
    } else if (rs->dead) {
        virReportError(VIR_ERR_RPC, "%s", "client socket is closed");
    } else {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "stream is not open");
    }
    return -1;
}

static int
remoteStreamSend(virStreamPtr st, const char *data, size_t nbytes)
{
    remoteStream *rs = st->privateData;
    size_t n = MIN(nbytes, REMOTE_STREAM_CHUNK);

    g_mutex_lock(&rs->lock);
    if (rs->closed || rs->failed || rs->dead) {
        remoteStreamReportLocked(rs);
        g_mutex_unlock(&rs->lock);
        return -1;
    }
    g_mutex_unlock(&rs->lock);
    if (n == 0)
        return 0;
    switch (virNetClientWaitOutputBelow(rs->priv->client, REMOTE_STREAM_TX_MAX,
                                        st->flags & VIR_STREAM_NONBLOCK)) {
    case 1:
        return -2;
    case -1:
        return -1;
    }
    if (virNetClientSendStream(rs->priv->client, REMOTE_PROGRAM, rs->proc, rs->serial,
                               VIR_NET_CONTINUE, data, n) < 0)
        return -1;
    return n;
}

static int
remoteStreamSendHole(virStreamPtr st, long long length, unsigned int flags)
{
    remoteStream *rs = st->privateData;

    virCheckFlags(0, -1);
    g_mutex_lock(&rs->lock);
    if (!rs->sparse) {
        g_mutex_unlock(&rs->lock);
        virReportErrorFull(VIR_FROM_RPC, VIR_ERR_OPERATION_INVALID, __func__, "%s",
                           "Skipping is not supported with this stream");
        return -1;
    }
    if (rs->closed || rs->failed || rs->dead) {
        remoteStreamReportLocked(rs);
        g_mutex_unlock(&rs->lock);
        return -1;
    }
    g_mutex_unlock(&rs->lock);
    if (length < 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "Invalid stream hole");
        return -1;
    }
    if (virNetClientWaitOutputBelow(rs->priv->client, REMOTE_STREAM_TX_MAX, false) < 0)
        return -1;
    return virNetClientSendStreamHole(rs->priv->client, REMOTE_PROGRAM, rs->proc,
                                      rs->serial, length);
}

static int
remoteStreamRecvHole(virStreamPtr st, long long *length, unsigned int flags)
{
    remoteStream *rs = st->privateData;

    virCheckFlags(0, -1);
    g_mutex_lock(&rs->lock);
    if (!rs->sparse) {
        g_mutex_unlock(&rs->lock);
        virReportErrorFull(VIR_FROM_RPC, VIR_ERR_OPERATION_INVALID, __func__, "%s",
                           "Holes are not supported with this stream");
        return -1;
    }
    *length = rs->holeLength;
    rs->holeLength = 0;
    remoteStreamUpdateTimerLocked(rs);
    g_mutex_unlock(&rs->lock);
    return 0;
}

static int
remoteStreamRecvFlags(virStreamPtr st, char *data, size_t nbytes, unsigned int flags)
{
    remoteStream *rs = st->privateData;
    size_t got = 0;
    int ret;

    virCheckFlags(VIR_STREAM_RECV_STOP_AT_HOLE, -1);
    g_mutex_lock(&rs->lock);
    while (g_queue_is_empty(&rs->rx) && rs->holeLength == 0 && !rs->eof && !rs->failed &&
           !rs->dead && !rs->closed) {
        if (st->flags & VIR_STREAM_NONBLOCK) {
            g_mutex_unlock(&rs->lock);
            return -2;
        }
        g_cond_wait(&rs->cond, &rs->lock);
    }
    if (rs->holeLength == 0) {
        remoteStreamChunk *c = g_queue_peek_head(&rs->rx);

        if (c && !c->data) {
            rs->holeLength = c->hole;
            remoteStreamChunkFree(g_queue_pop_head(&rs->rx));
        }
    }
    if (rs->holeLength > 0) {
        if (flags & VIR_STREAM_RECV_STOP_AT_HOLE) {
            g_mutex_unlock(&rs->lock);
            return -3;
        }
        /* the hole reads as zeroes */
        got = MIN((unsigned long long)nbytes, (unsigned long long)rs->holeLength);
        memset(data, 0, got);
        rs->holeLength -= got;
    }
    while (got < nbytes && !g_queue_is_empty(&rs->rx)) {
        remoteStreamChunk *c = g_queue_peek_head(&rs->rx);
        gsize len;
        const char *p;
        size_t n;

        if (!c->data)
            break; /* a hole: the next read takes it */
        p = g_bytes_get_data(c->data, &len);
        n = MIN(nbytes - got, len - rs->rxOffset);
        memcpy(data + got, p + rs->rxOffset, n);
        got += n;
        rs->rxOffset += n;
        if (rs->rxOffset == len) {
            remoteStreamChunkFree(g_queue_pop_head(&rs->rx));
            rs->rxOffset = 0;
        }
    }
    if (got > 0)
        ret = MIN(got, (size_t)INT_MAX);
    else if (rs->eof)
        ret = 0;
    else
        ret = remoteStreamReportLocked(rs);
    remoteStreamUpdateTimerLocked(rs);
    g_mutex_unlock(&rs->lock);
    return ret;
}

static int
remoteStreamRecv(virStreamPtr st, char *data, size_t nbytes)
{
    return remoteStreamRecvFlags(st, data, MIN(nbytes, (size_t)INT_MAX), 0);
}

static void
remoteStreamUnrefStream(void *opaque)
{
    virObjectUnrefStream(opaque);
}

static int
remoteStreamAddCallback(virStreamPtr st, int events, virStreamEventCallback cb,
                        void *opaque, virFreeCallback ff)
{
    remoteStream *rs = st->privateData;
    int ret = -1;

    g_mutex_lock(&rs->lock);
    if (rs->cb) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "multiple stream callbacks not supported");
        goto cleanup;
    }
    /* the timer holds a reference on the stream until it is removed */
    virObjectRefStream(st);
    if ((rs->timer = virEventAddTimeout(-1, remoteStreamTimer, st,
                                        remoteStreamUnrefStream)) < 0) {
        virObjectUnrefStream(st);
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "cannot register stream timer");
    } else {
        rs->cb = cb;
        rs->cbOpaque = opaque;
        rs->cbFree = ff;
        rs->cbEvents = events;
        remoteStreamUpdateTimerLocked(rs);
        ret = 0;
    }
cleanup:
    g_mutex_unlock(&rs->lock);
    return ret;
}

static int
remoteStreamUpdateCallback(virStreamPtr st, int events)
{
    remoteStream *rs = st->privateData;
    int ret = -1;

    g_mutex_lock(&rs->lock);
    if (!rs->cb) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "no stream callback registered");
    } else {
        rs->cbEvents = events;
        remoteStreamUpdateTimerLocked(rs);
        ret = 0;
    }
    g_mutex_unlock(&rs->lock);
    return ret;
}

static int
remoteStreamRemoveCallback(virStreamPtr st)
{
    remoteStream *rs = st->privateData;
    virFreeCallback ff;
    void *opaque;
    int timer;

    g_mutex_lock(&rs->lock);
    if (!rs->cb) {
        g_mutex_unlock(&rs->lock);
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "no stream callback registered");
        return -1;
    }
    ff = rs->cbFree;
    opaque = rs->cbOpaque;
    timer = rs->timer;
    rs->cb = NULL;
    rs->cbFree = NULL;
    rs->cbOpaque = NULL;
    rs->timer = -1;
    g_mutex_unlock(&rs->lock);
    virEventRemoveTimeout(timer);
    if (ff)
        ff(opaque);
    return 0;
}

/* Send our finish (OK) or abort (ERROR) and wait for the daemon's answer. */
static int
remoteStreamClose(virStreamPtr st, int status)
{
    remoteStream *rs = st->privateData;
    int ret = 0;

    g_mutex_lock(&rs->lock);
    if (rs->closed) {
        g_mutex_unlock(&rs->lock);
        if (status == VIR_NET_ERROR)
            return 0;
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "stream is not open");
        return -1;
    }
    rs->closed = true;
    g_mutex_unlock(&rs->lock);
    if (rs->cb)
        remoteStreamRemoveCallback(st);
    g_mutex_lock(&rs->lock);
    if (rs->failed || rs->dead) {
        /* nothing to confirm: the daemon ended the stream already */
        ret = status == VIR_NET_ERROR ? 0 : remoteStreamReportLocked(rs);
        g_mutex_unlock(&rs->lock);
        return ret;
    }
    g_mutex_unlock(&rs->lock);
    if (virNetClientSendStream(rs->priv->client, REMOTE_PROGRAM, rs->proc, rs->serial,
                               status, NULL, 0) < 0)
        return status == VIR_NET_ERROR ? 0 : -1;
    g_mutex_lock(&rs->lock);
    while (!rs->confirmed && !rs->failed && !rs->dead)
        g_cond_wait(&rs->cond, &rs->lock);
    if (!rs->confirmed && status == VIR_NET_OK)
        ret = remoteStreamReportLocked(rs);
    g_mutex_unlock(&rs->lock);
    return ret;
}

static int
remoteStreamFinish(virStreamPtr st)
{
    return remoteStreamClose(st, VIR_NET_OK);
}

static int
remoteStreamAbort(virStreamPtr st)
{
    return remoteStreamClose(st, VIR_NET_ERROR);
}

static const virStreamDriver remoteStreamDriver = {
    .streamSend = remoteStreamSend,
    .streamRecv = remoteStreamRecv,
    .streamEventAddCallback = remoteStreamAddCallback,
    .streamEventUpdateCallback = remoteStreamUpdateCallback,
    .streamEventRemoveCallback = remoteStreamRemoveCallback,
    .streamFinish = remoteStreamFinish,
    .streamAbort = remoteStreamAbort,
    .streamRecvFlags = remoteStreamRecvFlags,
    .streamSendHole = remoteStreamSendHole,
    .streamRecvHole = remoteStreamRecvHole,
};

int
remoteStreamOpen(virConnectPtr conn, virStreamPtr st, uint32_t prog, int proc,
                 virXdrFilter argsFilter, const void *args, virXdrFilter retFilter,
                 void *ret, bool sparse)
{
    remotePrivate *priv = remotePriv(conn);
    remoteStream *rs;

    if (st->driver) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "stream is already open");
        return -1;
    }
    rs = g_new0(remoteStream, 1);
    rs->priv = priv;
    rs->proc = proc;
    rs->sparse = sparse;
    rs->timer = -1;
    g_mutex_init(&rs->lock);
    g_cond_init(&rs->cond);
    g_queue_init(&rs->rx);
    rs->serial = virNetClientNewSerial(priv->client);
    /* registered first: data may follow the reply at once */
    g_mutex_lock(&priv->lock);
    if (!priv->streams)
        priv->streams = g_hash_table_new(NULL, NULL);
    g_hash_table_insert(priv->streams, GUINT_TO_POINTER(rs->serial), rs);
    g_mutex_unlock(&priv->lock);
    st->privateData = rs;
    st->privateFree = remoteStreamDataFree;

    if (virNetClientCallSerial(priv->client, rs->serial, prog, proc, argsFilter, args,
                               retFilter, ret) < 0) {
        st->privateData = NULL;
        st->privateFree = NULL;
        remoteStreamDataFree(rs);
        return -1;
    }
    st->driver = &remoteStreamDriver;
    return 0;
}

int
remoteDomainOpenConsole(virDomainPtr dom, const char *dev_name, virStreamPtr st,
                        unsigned int flags)
{
    remote_domain_open_console_args args = { 0 };

    remoteMakeDomain(&args.dom, dom);
    args.dev_name = (char *)dev_name;
    args.flags = flags;
    return remoteStreamOpen(
        dom->conn, st, REMOTE_PROGRAM, REMOTE_PROC_DOMAIN_OPEN_CONSOLE,
        (virXdrFilter)remote_domain_open_console_args_filter, &args, NULL, NULL, false);
}

int
remoteDomainOpenChannel(virDomainPtr dom, const char *name, virStreamPtr st,
                        unsigned int flags)
{
    remote_domain_open_channel_args args = { .name = (char *)name, .flags = flags };

    remoteMakeDomain(&args.dom, dom);
    return remoteStreamOpen(
        dom->conn, st, REMOTE_PROGRAM, REMOTE_PROC_DOMAIN_OPEN_CHANNEL,
        (virXdrFilter)remote_domain_open_channel_args_filter, &args, NULL, NULL, false);
}

char *
remoteDomainScreenshot(virDomainPtr dom, virStreamPtr st, unsigned int screen,
                       unsigned int flags)
{
    remote_domain_screenshot_args args = { .screen = screen, .flags = flags };
    remote_domain_screenshot_ret ret = { 0 };
    char *mime;

    remoteMakeDomain(&args.dom, dom);
    if (remoteStreamOpen(dom->conn, st, REMOTE_PROGRAM, REMOTE_PROC_DOMAIN_SCREENSHOT,
                         (virXdrFilter)remote_domain_screenshot_args_filter, &args,
                         (virXdrFilter)remote_domain_screenshot_ret_filter, &ret,
                         false) < 0)
        return NULL;
    /* libvirt's wire type is a remote_string: a daemon may send none */
    if (!(mime = g_steal_pointer(&ret.mime)))
        virReportError(VIR_ERR_RPC, "%s",
                       "the daemon sent no MIME type for the screenshot");
    virXdrFree((virXdrFilter)remote_domain_screenshot_ret_filter, &ret);
    return mime;
}

int
remoteDomainOpenGraphics(virDomainPtr dom, unsigned int idx, int fd, unsigned int flags)
{
    remote_domain_open_graphics_args args = { .idx = idx, .flags = flags };
    int copy;

    if ((copy = fcntl(fd, F_DUPFD_CLOEXEC, 3)) < 0) {
        virReportSystemError(errno, "Unable to duplicate FD %d", fd);
        return -1;
    }
    remoteMakeDomain(&args.dom, dom);
    /* the copy is taken by the call (closed once sent, or on failure) */
    return virNetClientCallFDs(remotePriv(dom->conn)->client, REMOTE_PROGRAM,
                               REMOTE_PROC_DOMAIN_OPEN_GRAPHICS, &copy, 1,
                               (virXdrFilter)remote_domain_open_graphics_args_filter,
                               &args, NULL, NULL, NULL, NULL);
}

int
remoteDomainOpenGraphicsFD(virDomainPtr dom, unsigned int idx, unsigned int flags)
{
    remote_domain_open_graphics_fd_args args = { .idx = idx, .flags = flags };
    g_autofree int *fds = NULL;
    size_t nfds = 0;

    remoteMakeDomain(&args.dom, dom);
    if (virNetClientCallFDs(remotePriv(dom->conn)->client, REMOTE_PROGRAM,
                            REMOTE_PROC_DOMAIN_OPEN_GRAPHICS_FD, NULL, 0,
                            (virXdrFilter)remote_domain_open_graphics_fd_args_filter,
                            &args, &fds, &nfds, NULL, NULL) < 0)
        return -1;
    if (nfds != 1) {
        for (size_t i = 0; i < nfds; i++)
            close(fds[i]);
        virReportError(VIR_ERR_OPERATION_FAILED, "%s", "no file descriptor received");
        return -1;
    }
    return fds[0];
}
