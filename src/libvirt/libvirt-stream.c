/* libvirt-stream.c: public entry points of streams (libvirt-stream.h) and virDomainOpenConsole
 *
 * A stream is opened by a driver call (virDomainOpenConsole here), which
 * attaches the backend (st->driver); these functions check their
 * arguments and dispatch to it. Threads: as the backend allows (the fd
 * stream of src/libvirt/virfdstream.c takes calls from any thread).
 */
#define G_LOG_DOMAIN "virtkit.api"

#include "libvirt_internal.h"

/* libvirt's libvirt-stream.c reports in VIR_FROM_STREAMS. */
#define VIR_FROM_THIS VIR_FROM_STREAMS

#define VIR_STREAM_ALL_CHUNK (64 * 1024)

static bool
virAPIStreamIsValid(virStreamPtr st)
{
    return st && g_atomic_int_get(&st->refs) > 0 && virAPIConnectIsValid(st->conn);
}

#define virCheckStreamReturn(st, retval)                            \
    do {                                                            \
        if (!virAPIStreamIsValid(st)) {                             \
            virReportError(VIR_ERR_INVALID_STREAM, "%s", __func__); \
            virDispatchError(NULL);                                 \
            return retval;                                          \
        }                                                           \
    } while (0)

/**
 * virStreamNew:
 * @conn: the connection the stream will carry data over
 * @flags: 0 or VIR_STREAM_NONBLOCK
 *
 * Creates a stream that is not open yet: a call such as
 * virDomainOpenConsole attaches it to a data source. With
 * VIR_STREAM_NONBLOCK, virStreamSend and virStreamRecv return -2 instead
 * of waiting; use virStreamEventAddCallback to learn when to retry.
 *
 * Returns the new stream (release it with virStreamFree), or NULL on error.
 */
virStreamPtr
virStreamNew(virConnectPtr conn, unsigned int flags)
{
    virResetLastError();
    virCheckConnectReturn(conn, NULL);
    return virGetStream(conn, flags);
}

/**
 * virStreamRef:
 * @st: a stream
 *
 * Takes one more reference on @st; each needs its own virStreamFree.
 *
 * Returns 0, or -1 if @st is not a valid stream.
 */
int
virStreamRef(virStreamPtr st)
{
    virResetLastError();
    virCheckStreamReturn(st, -1);
    virObjectRefStream(st);
    return 0;
}

/**
 * virStreamSend:
 * @st: an open stream
 * @data: the bytes to send
 * @nbytes: how many of them
 *
 * Writes up to @nbytes of @data to the stream. It may write fewer: send
 * the rest again. A blocking stream waits until some can be written.
 *
 * Returns the number of bytes written (at least 1 when @nbytes > 0), -2
 * if a non-blocking stream cannot take any now, or -1 on error (call
 * virStreamAbort then).
 */
int
virStreamSend(virStreamPtr st, const char *data, size_t nbytes)
{
    int ret;

    virResetLastError();
    virCheckStreamReturn(st, -1);
    virCheckNonNullArgGoto(data, error);
    if (st->driver && st->driver->streamSend) {
        if ((ret = st->driver->streamSend(st, data, nbytes)) == -2)
            return -2;
        if (ret < 0)
            goto error;
        return ret;
    }
    virReportUnsupportedError();
error:
    virDispatchError(st->conn);
    return -1;
}

/**
 * virStreamRecv:
 * @st: an open stream
 * @data: where to store the bytes
 * @nbytes: room in @data
 *
 * Reads up to @nbytes from the stream. A blocking stream waits until some
 * arrive.
 *
 * Returns the number of bytes read, 0 at the end of the stream (then call
 * virStreamFinish), -2 if a non-blocking stream has none now, or -1 on
 * error (call virStreamAbort then).
 */
int
virStreamRecv(virStreamPtr st, char *data, size_t nbytes)
{
    int ret;

    virResetLastError();
    virCheckStreamReturn(st, -1);
    virCheckNonNullArgGoto(data, error);
    if (st->driver && st->driver->streamRecv) {
        if ((ret = st->driver->streamRecv(st, data, nbytes)) == -2)
            return -2;
        if (ret < 0)
            goto error;
        return ret;
    }
    virReportUnsupportedError();
error:
    virDispatchError(st->conn);
    return -1;
}

/**
 * virStreamSendAll:
 * @st: an open blocking stream
 * @handler: called for each chunk to send; fills its buffer and returns the
 *           byte count, 0 when there is no more, or -1 to stop
 * @opaque: passed to @handler
 *
 * Sends everything @handler produces, then finishes the stream. On any
 * failure the stream is aborted. Refused on a non-blocking stream
 * (VIR_ERR_OPERATION_INVALID).
 *
 * Returns 0 once all was sent and the stream finished, or -1 on error.
 */
int
virStreamSendAll(virStreamPtr st, virStreamSourceFunc handler, void *opaque)
{
    g_autofree char *buf = NULL;

    virResetLastError();
    virCheckStreamReturn(st, -1);
    virCheckNonNullArgGoto(handler, error);
    if (st->flags & VIR_STREAM_NONBLOCK) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "data sources cannot be used for non-blocking streams");
        goto error;
    }
    buf = g_malloc(VIR_STREAM_ALL_CHUNK);
    while (true) {
        int got = handler(st, buf, VIR_STREAM_ALL_CHUNK, opaque);
        int off = 0;

        if (got < 0) {
            if (virGetLastErrorCode() == VIR_ERR_OK)
                virReportError(VIR_ERR_OPERATION_FAILED, "%s", "send handler failed");
            goto abort;
        }
        if (got == 0)
            break;
        while (off < got) {
            int n = virStreamSend(st, buf + off, got - off);

            if (n < 0)
                goto abort;
            off += n;
        }
    }
    if (virStreamFinish(st) < 0)
        goto error;
    return 0;

abort : {
    virErrorPtr saved = NULL;

    virErrorPreserveLast(&saved);
    virStreamAbort(st);
    virErrorRestore(&saved);
}
error:
    virDispatchError(st->conn);
    return -1;
}

/**
 * virStreamRecvAll:
 * @st: an open blocking stream
 * @handler: called with each chunk received; returns the bytes it used
 *           (all of them) or -1 to stop
 * @opaque: passed to @handler
 *
 * Receives until the end of the stream, handing every chunk to @handler,
 * then finishes the stream. On any failure the stream is aborted.
 * Refused on a non-blocking stream (VIR_ERR_OPERATION_INVALID).
 *
 * Returns 0 once the end was reached and the stream finished, or -1 on
 * error.
 */
int
virStreamRecvAll(virStreamPtr st, virStreamSinkFunc handler, void *opaque)
{
    g_autofree char *buf = NULL;

    virResetLastError();
    virCheckStreamReturn(st, -1);
    virCheckNonNullArgGoto(handler, error);
    if (st->flags & VIR_STREAM_NONBLOCK) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "data sinks cannot be used for non-blocking streams");
        goto error;
    }
    buf = g_malloc(VIR_STREAM_ALL_CHUNK);
    while (true) {
        int got = virStreamRecv(st, buf, VIR_STREAM_ALL_CHUNK);
        int off = 0;

        if (got < 0)
            goto abort;
        if (got == 0)
            break;
        while (off < got) {
            int n = handler(st, buf + off, got - off, opaque);

            if (n <= 0) {
                if (virGetLastErrorCode() == VIR_ERR_OK)
                    virReportError(VIR_ERR_OPERATION_FAILED, "%s",
                                   "receive handler failed");
                goto abort;
            }
            off += n;
        }
    }
    if (virStreamFinish(st) < 0)
        goto error;
    return 0;

abort : {
    virErrorPtr saved = NULL;

    virErrorPreserveLast(&saved);
    virStreamAbort(st);
    virErrorRestore(&saved);
}
error:
    virDispatchError(st->conn);
    return -1;
}

/**
 * virStreamEventAddCallback:
 * @stream: an open stream
 * @events: VIR_STREAM_EVENT_READABLE and/or VIR_STREAM_EVENT_WRITABLE
 * @cb: called from the registered event loop when one of @events (or an
 *      error or hangup) occurs
 * @opaque: passed to @cb
 * @ff: frees @opaque when the callback is removed (may be NULL)
 *
 * Watches a stream, usually a non-blocking one. An event loop must be
 * registered (virEventRegisterDefaultImpl). One callback per stream.
 *
 * Returns 0, or -1 on error (one is already registered, the stream is not
 * open).
 */
int
virStreamEventAddCallback(virStreamPtr stream, int events, virStreamEventCallback cb,
                          void *opaque, virFreeCallback ff)
{
    virResetLastError();
    virCheckStreamReturn(stream, -1);
    virCheckNonNullArgGoto(cb, error);
    if (stream->driver && stream->driver->streamEventAddCallback) {
        if (stream->driver->streamEventAddCallback(stream, events, cb, opaque, ff) < 0)
            goto error;
        return 0;
    }
    virReportUnsupportedError();
error:
    virDispatchError(stream->conn);
    return -1;
}

/**
 * virStreamEventUpdateCallback:
 * @stream: a stream with a callback registered
 * @events: the events to watch from now on (0: none, the callback stays)
 *
 * Changes what the stream's callback is called for.
 *
 * Returns 0, or -1 on error (no callback registered).
 */
int
virStreamEventUpdateCallback(virStreamPtr stream, int events)
{
    virResetLastError();
    virCheckStreamReturn(stream, -1);
    if (stream->driver && stream->driver->streamEventUpdateCallback) {
        if (stream->driver->streamEventUpdateCallback(stream, events) < 0)
            goto error;
        return 0;
    }
    virReportUnsupportedError();
error:
    virDispatchError(stream->conn);
    return -1;
}

/**
 * virStreamEventRemoveCallback:
 * @stream: a stream with a callback registered
 *
 * Removes the stream's callback; its free function runs.
 *
 * Returns 0, or -1 on error (no callback registered).
 */
int
virStreamEventRemoveCallback(virStreamPtr stream)
{
    virResetLastError();
    virCheckStreamReturn(stream, -1);
    if (stream->driver && stream->driver->streamEventRemoveCallback) {
        if (stream->driver->streamEventRemoveCallback(stream) < 0)
            goto error;
        return 0;
    }
    virReportUnsupportedError();
error:
    virDispatchError(stream->conn);
    return -1;
}

/**
 * virStreamFinish:
 * @st: an open stream
 *
 * Ends a stream normally once all data was sent, or once virStreamRecv
 * returned 0; releases its data source. A stream closed under its user
 * (a console taken over by another client) fails here.
 *
 * Returns 0, or -1 on error.
 */
int
virStreamFinish(virStreamPtr st)
{
    virResetLastError();
    virCheckStreamReturn(st, -1);
    if (st->driver && st->driver->streamFinish) {
        if (st->driver->streamFinish(st) < 0)
            goto error;
        return 0;
    }
    virReportUnsupportedError();
error:
    virDispatchError(st->conn);
    return -1;
}

/**
 * virStreamAbort:
 * @st: a stream
 *
 * Ends a stream at once, dropping data in flight, and releases its data
 * source. Aborting a stream that was never opened, or twice, does nothing.
 *
 * Returns 0, or -1 on error.
 */
int
virStreamAbort(virStreamPtr st)
{
    virResetLastError();
    virCheckStreamReturn(st, -1);
    if (!st->driver)
        return 0; /* never opened: as libvirt, nothing to abort */
    if (st->driver->streamAbort) {
        if (st->driver->streamAbort(st) < 0)
            goto error;
        return 0;
    }
    virReportUnsupportedError();
error:
    virDispatchError(st->conn);
    return -1;
}

/**
 * virStreamFree:
 * @st: a stream
 *
 * Drops one reference; the last one releases the stream (finish or abort
 * it first: a stream still open is aborted with its last reference).
 *
 * Returns 0, or -1 if @st is not a valid stream.
 */
int
virStreamFree(virStreamPtr st)
{
    virResetLastError();
    virCheckStreamReturn(st, -1);
    virObjectUnrefStream(st);
    return 0;
}

#undef VIR_FROM_THIS
#define VIR_FROM_THIS VIR_FROM_DOMAIN

/**
 * virDomainOpenConsole:
 * @dom: a running domain
 * @dev_name: the alias of a console or serial device ("serial0",
 *            "console0"), or NULL for the first console (else the first
 *            serial)
 * @st: a new stream of the same connection (virStreamNew)
 * @flags: VIR_DOMAIN_CONSOLE_FORCE (take the console over from whoever
 *         holds it: their stream ends), VIR_DOMAIN_CONSOLE_SAFE (refuse
 *         unless the driver can tell whether someone holds it)
 *
 * Connects @st to the guest's console: what the guest writes arrives with
 * virStreamRecv, what is sent with virStreamSend reaches the guest. Only
 * one stream holds a console at a time: without VIR_DOMAIN_CONSOLE_FORCE a
 * second one fails with VIR_ERR_OPERATION_FAILED. Refused on read-only
 * connections.
 *
 * Returns 0, or -1 on error.
 */
int
virDomainOpenConsole(virDomainPtr dom, const char *dev_name, virStreamPtr st,
                     unsigned int flags)
{
    virConnectPtr conn;

    virResetLastError();
    virCheckDomainReturn(dom, -1);
    conn = dom->conn;
    if (!virAPIStreamIsValid(st)) {
        virReportErrorFull(VIR_FROM_STREAMS, VIR_ERR_INVALID_STREAM, __func__, "%s",
                           __func__);
        goto error;
    }
    virCheckReadOnlyGoto(conn, error);
    if (st->conn != conn) {
        virAPIReportInvalidArg(VIR_FROM_THIS, __func__, "st",
                               "stream must match connection of domain '%s' in %s",
                               dom->name, __func__);
        goto error;
    }
    if (conn->driver->domainOpenConsole) {
        if (conn->driver->domainOpenConsole(dom, dev_name, st, flags) < 0)
            goto error;
        return 0;
    }
    virReportUnsupportedError();
error:
    virDispatchError(conn);
    return -1;
}
