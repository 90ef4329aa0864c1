/* remote_dispatch_stream.c: streams over the wire (STREAM frames), the console procedure
 *
 * Thread protocol:
 * - A stream is opened by a call on a worker (DOMAIN_OPEN_CONSOLE): it is
 *   added to the client's list (vkdDispatchClient.streams, under dc->lock)
 *   before the reply, and starts moving data once the reply is queued
 *   (the call's after hook registers the stream's event callback).
 * - The pump runs on the main thread: the stream's event callback (the
 *   public event loop dispatches on the default GMainContext), the
 *   client's STREAM frames (vkdDispatchStreamFrame, from daemon_server.c's
 *   frame hook) and the wake source (output drained).
 * - The client's close job (a worker, alone: no call of the client runs)
 *   aborts every stream of the client.
 * - vkdStream.lock guards every field below it and is held across the
 *   non-blocking stream calls and frame sends, never across anything
 *   that waits. Lock order: dc->lock, then vkdStream.lock, never the
 *   other way round.
 *
 * Flow control, daemon -> client: a stream reads its source (the pty) in
 * chunks of at most VKD_STREAM_CHUNK bytes and stops reading while
 * VKD_STREAM_TX_MAX bytes of its frames are unsent (counted down as each
 * frame is written or dropped: virNetMessage.doneCb), so a client that
 * never reads costs at most that per stream; the source (QEMU's pty)
 * then fills and the guest's output waits. Client -> daemon: data frames
 * wait in a queue of at most VKD_STREAM_RX_MAX bytes while the source
 * cannot take them; a client that sends more than that is not reading
 * the protocol's rules (the console's writes are keystrokes) and its
 * stream is ended with an error.
 *
 * Sparse streams (opened with allowSkip: the procedure's SPARSE_STREAM
 * flag, e.g. volume upload/download): before reading, the source is asked
 * where it is (the stream driver's InData); a hole goes out as one
 * STREAM_HOLE frame (status CONTINUE, {length, flags 0}) and the source
 * skips it (virStreamSendHole on the reading stream, as libvirtd does),
 * data is read up to the section's end. The client's STREAM_HOLE frames
 * queue in order with its data and become virStreamSendHole on the
 * target. A hole frame on a stream that was not opened sparse, or one
 * that is malformed (not exactly 12 bytes, negative length, flags not 0),
 * breaks the protocol: the client's connection is closed, as libvirtd
 * closes it. Hole frames count against both limits by their frame size.
 */
#define G_LOG_DOMAIN "virtkitd.stream"
#include <string.h>
#include <unistd.h>

#include "remote_dispatch_priv.h"
#include "virerror.h"
#include "virfdstream.h"

#define VIR_FROM_THIS VIR_FROM_STREAMS

/* 256 KiB: libvirt's largest stream payload (libvirtd's downloads send
 * frames of that size); four frames in flight keep the socket busy */
#define VKD_STREAM_CHUNK (256 * 1024)
#define VKD_STREAM_TX_MAX (1024 * 1024)
#define VKD_STREAM_RX_MAX (1024 * 1024)

/* Bytes of a stream's frames not written yet; shared with those frames,
 * which may be freed after the stream (a closed client's queue). */
typedef struct {
    gint refs;
    gint queued;   /* atomic */
    GSource *wake; /* a reference; set ready when a frame went out */
} vkdStreamTx;

struct _vkdStream {
    gint refs;                  /* atomic */
    virNetServerClient *client; /* a reference */
    virNetMessageHeader hdr;    /* prog, vers, proc, serial of the open */
    vkdStreamTx *tx;

    GMutex lock;
    virStreamPtr st;   /* owned */
    GSource *wake;     /* on the default context; NULL once closed */
    bool registered;   /* event callback added */
    bool closed;       /* finished, aborted or failed */
    bool recvEOF;      /* end of the source sent to the client */
    bool paused;       /* at VKD_STREAM_TX_MAX: source not read */
    bool transmit;     /* the source is read and sent (not an upload) */
    bool allowSkip;    /* sparse: holes both ways */
    long long dataLen; /* sparse: data left in the source's section */
    GQueue rx;         /* virNetMessage * from the client */
    size_t rxBytes;
    size_t rxOffset; /* of the head frame's payload */
    char *buf;       /* VKD_STREAM_CHUNK bytes, for reads */
};

static vkdStream *
vkdStreamRef(vkdStream *s)
{
    g_atomic_int_inc(&s->refs);
    return s;
}

static void
vkdStreamTxUnref(vkdStreamTx *tx)
{
    if (!g_atomic_int_dec_and_test(&tx->refs))
        return;
    g_source_unref(tx->wake);
    g_free(tx);
}

static void
vkdStreamUnref(void *opaque)
{
    vkdStream *s = opaque;

    if (!s || !g_atomic_int_dec_and_test(&s->refs))
        return;
    g_queue_clear_full(&s->rx, (GDestroyNotify)virNetMessageFree);
    if (s->st)
        virStreamFree(s->st);
    vkdStreamTxUnref(s->tx);
    g_free(s->buf);
    virNetServerClientUnref(s->client);
    g_mutex_clear(&s->lock);
    g_free(s);
}

/* A frame of the stream was written or dropped (any thread, maybe with
 * virNetServer's locks held: only atomics and a wakeup here). */
static void
vkdStreamFrameDone(virNetMessage *msg, void *opaque)
{
    vkdStreamTx *tx = opaque;

    if (g_atomic_int_add(&tx->queued, -(gint)msg->len) >= VKD_STREAM_TX_MAX)
        g_source_set_ready_time(tx->wake, 0);
    vkdStreamTxUnref(tx);
}

static void vkdStreamUpdateEvents(vkdStream *s);

/* Send a STREAM frame (lock held); its bytes count against the stream's
 * output limit until written. */
static void
vkdStreamQueueFrame(vkdStream *s, virNetMessage *msg)
{
    g_atomic_int_add(&s->tx->queued, (gint)msg->len);
    g_atomic_int_inc(&s->tx->refs);
    msg->doneCb = vkdStreamFrameDone;
    msg->doneOpaque = s->tx;
    virNetServerClientSendMessage(s->client, msg);
}

static void
vkdStreamSendFrame(vkdStream *s, int status, const void *data, size_t len)
{
    virNetMessageHeader hdr = s->hdr;
    virNetMessage *msg;

    hdr.type = VIR_NET_STREAM;
    hdr.status = status;
    msg = virNetMessageNewRaw(&hdr, data, len);
    vkdStreamQueueFrame(s, msg);
}

/* The end of the stream with an error (lock held): STREAM/ERROR carrying
 * the thread's last error (or @fallback), as libvirtd's stream errors. */
static void
vkdStreamSendError(vkdStream *s, const char *fallback)
{
    g_auto(virNetMessageError) rerr = { 0 };
    virErrorPtr e = virGetLastError();
    virNetMessageHeader hdr = s->hdr;
    virNetMessage *msg;

    if (e && e->code != VIR_ERR_OK) {
        rerr.code = e->code;
        rerr.domain = e->domain;
        rerr.level = e->level ? e->level : VIR_ERR_ERROR;
        rerr.message = g_strdup(e->message ? e->message : "unknown error");
        rerr.str1 = g_strdup(e->str1 ? e->str1 : "%s");
        rerr.str2 = g_strdup(e->str2 ? e->str2 : e->message);
        rerr.str3 = g_strdup(e->str3);
        rerr.int1 = e->int1;
        rerr.int2 = e->int2;
    } else {
        virNetMessageErrorSet(&rerr, VIR_ERR_RPC, VIR_FROM_STREAMS, fallback);
    }
    hdr.type = VIR_NET_STREAM;
    hdr.status = VIR_NET_ERROR;
    if ((msg = virNetMessageEncode(&hdr, virnet_error_filter, &rerr, NULL)))
        virNetServerClientSendMessage(s->client, msg);
}

/* Stop the stream's source (lock held): no event, no more data. With
 * @finish the source is finished (the client's orderly end), else
 * aborted. Returns virStreamFinish's result (0 for an abort). */
static int
vkdStreamCloseLocked(vkdStream *s, bool finish)
{
    int rc = 0;

    if (s->closed)
        return 0;
    s->closed = true;
    if (s->registered) {
        s->registered = false;
        virStreamEventRemoveCallback(s->st);
    }
    if (finish)
        rc = virStreamFinish(s->st);
    else
        virStreamAbort(s->st);
    if (s->wake) {
        g_source_destroy(s->wake);
        g_clear_pointer(&s->wake, g_source_unref);
    }
    g_queue_clear_full(&s->rx, (GDestroyNotify)virNetMessageFree);
    g_queue_init(&s->rx);
    s->rxBytes = 0;
    s->rxOffset = 0;
    return rc;
}

/* Take @s out of its client's list (the list's reference is dropped). */
static void
vkdStreamForget(vkdDispatchClient *dc, vkdStream *s)
{
    bool found;

    g_mutex_lock(&dc->lock);
    found = g_ptr_array_remove(dc->streams, s);
    g_mutex_unlock(&dc->lock);
    if (found)
        vkdStreamUnref(s);
}

/* The client's finish (OK) or abort (ERROR) frame, once the data before
 * it reached the source (lock held). Both are confirmed with an empty
 * STREAM/OK frame (the client waits for it), a failed finish with
 * STREAM/ERROR, as libvirtd does. */
static void
vkdStreamHandleEnd(vkdStream *s, int status)
{
    if (vkdStreamCloseLocked(s, status == VIR_NET_OK) < 0)
        vkdStreamSendError(s, "stream finish failed");
    else
        vkdStreamSendFrame(s, VIR_NET_OK, NULL, 0);
    virResetLastError();
}

/* Write the client's queued data to the source, then act on a finish or
 * abort behind it (lock held, not closed). */
static void
vkdStreamWriteRx(vkdStream *s)
{
    virNetMessage *msg;

    while (!s->closed && (msg = g_queue_peek_head(&s->rx))) {
        const guint8 *data = virNetMessagePayload(msg);
        size_t len = virNetMessagePayloadLen(msg);
        int n;

        if (msg->header.type == VIR_NET_STREAM_HOLE) {
            virNetStreamHole hole;

            /* checked when it arrived */
            g_assert(virNetMessageDecodeHole(msg, &hole, NULL));
            g_queue_pop_head(&s->rx);
            s->rxBytes -= msg->len;
            virNetMessageFree(msg);
            if (virStreamSendHole(s->st, hole.length, 0) < 0) {
                vkdStreamSendError(s, "stream hole failed");
                vkdStreamCloseLocked(s, false);
                virResetLastError();
                return;
            }
            continue;
        }
        if (msg->header.status != VIR_NET_CONTINUE) {
            int status = msg->header.status;

            g_queue_pop_head(&s->rx);
            virNetMessageFree(msg);
            vkdStreamHandleEnd(s, status);
            return;
        }
        if (s->rxOffset >= len) {
            g_queue_pop_head(&s->rx);
            s->rxBytes -= len;
            s->rxOffset = 0;
            virNetMessageFree(msg);
            continue;
        }
        if (s->rxOffset == 0 && virFDStreamIsFDStream(s->st)) {
            /* a file upload's writer takes the frame as it is (no copy) */
            g_queue_pop_head(&s->rx);
            n = virFDStreamSendOwned(s->st, (const char *)data, len, msg,
                                     (GDestroyNotify)virNetMessageFree);
            if (n == -3) {
                g_queue_push_head(&s->rx, msg); /* still ours: Send's way */
            } else {
                s->rxBytes -= len;
                if (n < 0) {
                    vkdStreamSendError(s, "stream had I/O failure");
                    vkdStreamCloseLocked(s, false);
                    virResetLastError();
                    return;
                }
                continue;
            }
        }
        n = virStreamSend(s->st, (const char *)data + s->rxOffset, len - s->rxOffset);
        if (n == -2)
            return; /* WRITABLE will tell */
        if (n < 0) {
            vkdStreamSendError(s, "stream had I/O failure");
            vkdStreamCloseLocked(s, false);
            virResetLastError();
            return;
        }
        s->rxOffset += n;
    }
}

/* Sparse source (lock held): where is it? 1 when data can be read
 * (s->dataLen set; a section of 0 is the end, read as such); 0 when a hole
 * was sent and skipped; -1 when the stream failed (closed). */
static int
vkdStreamNextSection(vkdStream *s)
{
    int inData = 0;
    long long len = 0;

    if (s->dataLen > 0)
        return 1;
    if (!s->st->driver || !s->st->driver->streamInData) {
        virReportError(VIR_ERR_NO_SUPPORT, "%s", "stream source has no holes");
    } else if (s->st->driver->streamInData(s->st, &inData, &len) == 0) {
        if (inData || len == 0) {
            s->dataLen = inData ? len : 0;
            if (!inData)
                s->dataLen = 1; /* the end: the read returns 0 */
            return 1;
        }
        vkdStreamQueueFrame(s, virNetMessageNewHole(&s->hdr, len));
        if (virStreamSendHole(s->st, len, 0) == 0)
            return 0;
    }
    vkdStreamSendError(s, "stream had I/O failure");
    vkdStreamCloseLocked(s, false);
    virResetLastError();
    return -1;
}

/* Read the source while the client's unsent output allows (lock held). */
static void
vkdStreamReadSource(vkdStream *s)
{
    char *buf = s->buf;

    while (!s->closed && !s->recvEOF && s->transmit &&
           g_atomic_int_get(&s->tx->queued) < VKD_STREAM_TX_MAX) {
        size_t want = VKD_STREAM_CHUNK;
        int n;

        if (s->allowSkip) {
            int r = vkdStreamNextSection(s);

            if (r < 0)
                return;
            if (r == 0)
                continue; /* a hole went out */
            want = MIN((long long)want, s->dataLen);
        }
        n = virStreamRecv(s->st, buf, want);
        if (n > 0 && s->allowSkip)
            s->dataLen -= n;

        if (n == -2)
            return;
        if (n < 0) {
            vkdStreamSendError(s, "stream had I/O failure");
            vkdStreamCloseLocked(s, false);
            virResetLastError();
            return;
        }
        if (n == 0) {
            /* end of the source (the guest stopped): an empty CONTINUE
             * frame, as libvirtd (an OK frame is only ever the answer to
             * the client's finish or abort: libvirt's client drops a
             * connection that gets one unasked); the client finishes */
            s->recvEOF = true;
            vkdStreamSendFrame(s, VIR_NET_CONTINUE, NULL, 0);
            return;
        }
        vkdStreamSendFrame(s, VIR_NET_CONTINUE, buf, n);
    }
    if (!s->closed && !s->recvEOF && !s->paused &&
        g_atomic_int_get(&s->tx->queued) >= VKD_STREAM_TX_MAX) {
        s->paused = true;
        g_debug("client %" G_GUINT64_FORMAT " stream %u: %d bytes unsent, source paused",
                virNetServerClientGetId(s->client), s->hdr.serial,
                g_atomic_int_get(&s->tx->queued));
    }
}

/* Watch what the stream needs now (lock held). */
static void
vkdStreamUpdateEvents(vkdStream *s)
{
    int events = 0;

    if (s->closed || !s->registered)
        return;
    if (!g_queue_is_empty(&s->rx))
        events |= VIR_STREAM_EVENT_WRITABLE;
    if (s->transmit && !s->recvEOF &&
        g_atomic_int_get(&s->tx->queued) < VKD_STREAM_TX_MAX)
        events |= VIR_STREAM_EVENT_READABLE;
    if (s->recvEOF && !(events & VIR_STREAM_EVENT_WRITABLE)) {
        /* nothing more to watch: a pty at its end would report HANGUP on
         * every loop iteration */
        s->registered = false;
        virStreamEventRemoveCallback(s->st);
        return;
    }
    virStreamEventUpdateCallback(s->st, events);
}

/* Main thread: the source is readable/writable, or failed. */
static void
vkdStreamEvent(virStreamPtr st G_GNUC_UNUSED, int events, void *opaque)
{
    vkdStream *s = vkdStreamRef(opaque);
    vkdDispatchClient *dc = virNetServerClientGetPrivateData(s->client);
    bool forget = false;

    g_mutex_lock(&s->lock);
    if (s->closed)
        goto out;
    if (events & VIR_STREAM_EVENT_WRITABLE)
        vkdStreamWriteRx(s);
    if (!s->closed && !s->recvEOF && s->transmit &&
        (events & VIR_STREAM_EVENT_READABLE)) {
        vkdStreamReadSource(s);
        if (s->recvEOF)
            events &= ~(VIR_STREAM_EVENT_HANGUP | VIR_STREAM_EVENT_ERROR);
    }
    if (!s->closed && !s->recvEOF && s->transmit && (events & VIR_STREAM_EVENT_HANGUP) &&
        !(events & VIR_STREAM_EVENT_ERROR)) {
        /* the source hung up with nothing left to read: end of stream */
        s->recvEOF = true;
        vkdStreamSendFrame(s, VIR_NET_CONTINUE, NULL, 0);
    } else if (!s->closed && (events & VIR_STREAM_EVENT_ERROR)) {
        virResetLastError();
        vkdStreamSendError(s, "stream had I/O failure");
        vkdStreamCloseLocked(s, false);
    }
    vkdStreamUpdateEvents(s);
out:
    forget = s->closed;
    g_mutex_unlock(&s->lock);
    if (forget && dc)
        vkdStreamForget(dc, s);
    vkdStreamUnref(s);
}

/* Main thread: some of the stream's output was written; read again. */
static gboolean
vkdStreamWake(gpointer opaque)
{
    vkdStream *s = opaque;

    g_mutex_lock(&s->lock);
    if (s->wake)
        g_source_set_ready_time(s->wake, -1);
    if (s->paused && g_atomic_int_get(&s->tx->queued) < VKD_STREAM_TX_MAX) {
        s->paused = false;
        g_debug("client %" G_GUINT64_FORMAT " stream %u: output drained, source resumed",
                virNetServerClientGetId(s->client), s->hdr.serial);
    }
    if (!s->closed && s->registered)
        vkdStreamUpdateEvents(s);
    g_mutex_unlock(&s->lock);
    return G_SOURCE_CONTINUE;
}

static gboolean
vkdStreamWakeDispatch(GSource *source G_GNUC_UNUSED, GSourceFunc cb, gpointer data)
{
    return cb ? cb(data) : G_SOURCE_REMOVE;
}

static GSourceFuncs vkdStreamWakeFuncs = {
    .dispatch = vkdStreamWakeDispatch,
};

vkdStream *
vkdStreamNew(vkdCall *call, virStreamPtr st)
{
    return vkdStreamNewFull(call, st, false);
}

static void
vkdStreamAfterReply(vkdCall *call)
{
    vkdStreamStart(call->afterData);
}

void
vkdStreamAttach(vkdCall *call, virStreamPtr st, bool allowSkip)
{
    call->after = vkdStreamAfterReply;
    call->afterData = vkdStreamNewFull(call, st, allowSkip);
    call->afterFree = (GDestroyNotify)vkdStreamRelease;
}

vkdStream *
vkdStreamNewFull(vkdCall *call, virStreamPtr st, bool allowSkip)
{
    vkdStream *s = g_new0(vkdStream, 1);
    const remoteProgram *prog = remoteProgramLookup(call->hdr->prog, call->hdr->vers);
    const remoteProcedure *p =
        prog ? remoteProgramProcedure(prog, call->hdr->proc) : NULL;

    /* the description says which way the data goes: an upload
     * (stream=write only) never reads its target */
    s->transmit = !p || (p->flags & REMOTE_PROC_STREAM_READ) ||
                  !(p->flags & REMOTE_PROC_STREAM_WRITE);
    s->allowSkip = allowSkip;

    s->refs = 2; /* the client's list, the caller */
    s->client = virNetServerClientRef(call->client);
    s->hdr = *call->hdr;
    s->st = st;
    g_mutex_init(&s->lock);
    g_queue_init(&s->rx);
    s->buf = g_malloc(VKD_STREAM_CHUNK);
    s->wake = g_source_new(&vkdStreamWakeFuncs, sizeof(GSource));
    g_source_set_callback(s->wake, vkdStreamWake, vkdStreamRef(s), vkdStreamUnref);
    g_source_set_ready_time(s->wake, -1);
    /* attached now: destroying an attached source releases its callback
     * data (the reference above) at once */
    g_source_attach(s->wake, NULL);
    s->tx = g_new0(vkdStreamTx, 1);
    s->tx->refs = 1;
    s->tx->wake = g_source_ref(s->wake);

    g_mutex_lock(&call->dc->lock);
    g_ptr_array_add(call->dc->streams, s);
    g_mutex_unlock(&call->dc->lock);
    return s;
}

/* After the opening call's reply: start moving data (a worker). */
void
vkdStreamStart(vkdStream *s)
{
    g_mutex_lock(&s->lock);
    if (!s->closed && !s->registered) {
        if (virStreamEventAddCallback(s->st, s->transmit ? VIR_STREAM_EVENT_READABLE : 0,
                                      vkdStreamEvent, vkdStreamRef(s),
                                      vkdStreamUnref) < 0) {
            vkdStreamUnref(s);
            vkdStreamSendError(s, "cannot watch the stream");
            vkdStreamCloseLocked(s, false);
        } else {
            s->registered = true;
            /* frames that came before (written then if the target took
             * them) may wait for WRITABLE */
            vkdStreamUpdateEvents(s);
        }
        virResetLastError();
    }
    g_mutex_unlock(&s->lock);
}

void
vkdStreamRelease(vkdStream *s)
{
    vkdStreamUnref(s);
}

/* Main thread: a STREAM or STREAM_HOLE frame from the client. */
void
vkdDispatchStreamFrame(virNetServerClient *client, virNetMessage *msg)
{
    vkdDispatchClient *dc = virNetServerClientGetPrivateData(client);
    vkdStream *s = NULL;
    bool forget = false;
    virNetStreamHole hole;
    const char *why = NULL;

    if (!dc) {
        virNetMessageFree(msg);
        return;
    }
    g_mutex_lock(&dc->lock);
    for (guint i = 0; i < dc->streams->len; i++) {
        vkdStream *cur = g_ptr_array_index(dc->streams, i);

        if (cur->hdr.prog == msg->header.prog && cur->hdr.vers == msg->header.vers &&
            cur->hdr.proc == msg->header.proc && cur->hdr.serial == msg->header.serial) {
            s = vkdStreamRef(cur);
            break;
        }
    }
    g_mutex_unlock(&dc->lock);
    if (!s) {
        /* Stream data is not acknowledged: frames may still come after
         * the stream ended. Ignored, as libvirtd does. */
        g_debug("ignoring stream frame for serial %u (no such stream)",
                msg->header.serial);
        virNetMessageFree(msg);
        return;
    }

    g_mutex_lock(&s->lock);
    if (s->closed) {
        virNetMessageFree(msg);
    } else if (msg->header.type == VIR_NET_STREAM_HOLE &&
               (!s->allowSkip || !virNetMessageDecodeHole(msg, &hole, &why))) {
        /* A hole the stream was not opened for, or a malformed one: the
         * client breaks the protocol (libvirtd closes it too). */
        g_message("client %" G_GUINT64_FORMAT " sent a bad stream hole (%s): closing",
                  virNetServerClientGetId(client),
                  s->allowSkip ? why : "stream not opened sparse");
        virNetMessageFree(msg);
        vkdStreamCloseLocked(s, false);
        virNetServerClientClose(client, false);
    } else if (msg->header.type == VIR_NET_STREAM_HOLE &&
               s->rxBytes + msg->len > VKD_STREAM_RX_MAX) {
        g_message("client %" G_GUINT64_FORMAT " overran its stream input with holes",
                  virNetServerClientGetId(client));
        virNetMessageFree(msg);
        virReportError(
            VIR_ERR_RPC, "%s",
            "stream input queue full: the source does not take data that fast");
        vkdStreamSendError(s, "stream input queue full");
        vkdStreamCloseLocked(s, false);
        virResetLastError();
    } else if (msg->header.type == VIR_NET_STREAM_HOLE) {
        s->rxBytes += msg->len;
        g_queue_push_tail(&s->rx, msg);
        vkdStreamWriteRx(s);
        vkdStreamUpdateEvents(s);
    } else if (msg->header.status == VIR_NET_CONTINUE &&
               s->rxBytes + virNetMessagePayloadLen(msg) > VKD_STREAM_RX_MAX) {
        g_message("client %" G_GUINT64_FORMAT
                  " overran its stream input (%zu bytes queued)",
                  virNetServerClientGetId(client), s->rxBytes);
        virNetMessageFree(msg);
        virReportError(
            VIR_ERR_RPC, "%s",
            "stream input queue full: the source does not take data that fast");
        vkdStreamSendError(s, "stream input queue full");
        vkdStreamCloseLocked(s, false);
        virResetLastError();
    } else {
        if (msg->header.status == VIR_NET_CONTINUE)
            s->rxBytes += virNetMessagePayloadLen(msg);
        g_queue_push_tail(&s->rx, msg);
        vkdStreamWriteRx(s);
        vkdStreamUpdateEvents(s);
    }
    forget = s->closed;
    g_mutex_unlock(&s->lock);
    if (forget)
        vkdStreamForget(dc, s);
    vkdStreamUnref(s);
}

/* The client's close job (a worker, alone): abort every stream. */
void
vkdDispatchStreamsCloseAll(vkdDispatchClient *dc)
{
    g_autoptr(GPtrArray) streams = NULL;

    g_mutex_lock(&dc->lock);
    streams = g_steal_pointer(&dc->streams);
    dc->streams = g_ptr_array_new();
    g_mutex_unlock(&dc->lock);
    for (guint i = 0; i < streams->len; i++) {
        vkdStream *s = g_ptr_array_index(streams, i);

        g_mutex_lock(&s->lock);
        vkdStreamCloseLocked(s, false);
        g_mutex_unlock(&s->lock);
        vkdStreamUnref(s);
    }
    virResetLastError();
}

/* ---- DOMAIN_OPEN_CONSOLE (201) ------------------------------------------ */

VKD_HANDLER(vkdDispatchDomainOpenConsole)
{
    remote_domain_open_console_args *a = args;
    g_autoptr(virDomain) dom = NULL;
    virStreamPtr st;

    (void)ret;
    if (!(dom = vkdDomainFromWire(call->conn, &a->dom)))
        return -1;
    if (!(st = virStreamNew(call->conn, VIR_STREAM_NONBLOCK)))
        return -1;
    if (virDomainOpenConsole(dom, a->dev_name, st, a->flags) < 0) {
        virErrorPtr saved = NULL;

        virErrorPreserveLast(&saved);
        virStreamFree(st);
        virErrorRestore(&saved);
        return -1;
    }
    vkdStreamAttach(call, st, false);
    return 0;
}

/* ---- DOMAIN_OPEN_CHANNEL (296) ------------------------------------------ */

VKD_HANDLER(vkdDispatchDomainOpenChannel)
{
    remote_domain_open_channel_args *a = args;
    g_autoptr(virDomain) dom = NULL;
    virStreamPtr st;

    (void)ret;
    if (!(dom = vkdDomainFromWire(call->conn, &a->dom)))
        return -1;
    if (!(st = virStreamNew(call->conn, VIR_STREAM_NONBLOCK)))
        return -1;
    if (virDomainOpenChannel(dom, a->name, st, a->flags) < 0) {
        virErrorPtr saved = NULL;

        virErrorPreserveLast(&saved);
        virStreamFree(st);
        virErrorRestore(&saved);
        return -1;
    }
    vkdStreamAttach(call, st, false);
    return 0;
}

/* ---- DOMAIN_SCREENSHOT (211) -------------------------------------------- */

/* The image follows the reply (which carries its MIME type) on the call's
 * serial, as a download does. */
VKD_HANDLER(vkdDispatchDomainScreenshot)
{
    remote_domain_screenshot_args *a = args;
    remote_domain_screenshot_ret *r = ret;
    g_autoptr(virDomain) dom = NULL;
    virStreamPtr st;

    if (!(dom = vkdDomainFromWire(call->conn, &a->dom)))
        return -1;
    if (!(st = virStreamNew(call->conn, VIR_STREAM_NONBLOCK)))
        return -1;
    if (!(r->mime = virDomainScreenshot(dom, st, a->screen, a->flags))) {
        virErrorPtr saved = NULL;

        virErrorPreserveLast(&saved);
        virStreamFree(st);
        virErrorRestore(&saved);
        return -1;
    }
    vkdStreamAttach(call, st, false);
    return 0;
}

/* ---- DOMAIN_OPEN_GRAPHICS (249), DOMAIN_OPEN_GRAPHICS_FD (343) ------------ */

VKD_HANDLER(vkdDispatchDomainOpenGraphics)
{
    remote_domain_open_graphics_args *a = args;
    g_autoptr(virDomain) dom = NULL;
    int fd;
    int rc;

    (void)ret;
    if ((fd = virNetMessageTakeFD(call->msg, 0)) < 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "no file descriptor passed");
        return -1;
    }
    if (!(dom = vkdDomainFromWire(call->conn, &a->dom))) {
        close(fd);
        return -1;
    }
    /* the driver hands QEMU a duplicate: ours is closed either way */
    rc = virDomainOpenGraphics(dom, a->idx, fd, a->flags);
    close(fd);
    return rc;
}

VKD_HANDLER(vkdDispatchDomainOpenGraphicsFD)
{
    remote_domain_open_graphics_fd_args *a = args;
    g_autoptr(virDomain) dom = NULL;
    int fd;

    (void)ret;
    if (!(dom = vkdDomainFromWire(call->conn, &a->dom)))
        return -1;
    if ((fd = virDomainOpenGraphicsFD(dom, a->idx, a->flags)) < 0)
        return -1;
    call->replyFds = g_new(int, 1);
    call->replyFds[0] = fd;
    call->nreplyFds = 1;
    return 0;
}
