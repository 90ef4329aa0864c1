/* libvirt-stream.c: public entry points of streams (libvirt-stream.h), virDomainOpenConsole, virDomainOpenChannel and virDomainScreenshot
 *
 * A stream is opened by a driver call (virDomainOpenConsole here), which
 * attaches the backend (st->driver); these functions check their
 * arguments and dispatch to it. Threads: as the backend allows (the fd
 * stream of src/libvirt/virfdstream.c takes calls from any thread).
 */
#define G_LOG_DOMAIN "virtkit.api"

#include <errno.h>

#include "libvirt_internal.h"

/* libvirt's libvirt-stream.c reports in VIR_FROM_STREAMS. */
#define VIR_FROM_THIS VIR_FROM_STREAMS

/* as libvirt's virStream*All (VIR_NET_MESSAGE_LEGACY_PAYLOAD_MAX): one
 * stream frame per chunk, 4x fewer frames and syscalls than 64 KiB */
#define VIR_STREAM_ALL_CHUNK (256 * 1024)

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
 * virStreamRecvFlags:
 * @st: an open stream
 * @data: where to store the bytes
 * @nbytes: room in @data
 * @flags: 0 or VIR_STREAM_RECV_STOP_AT_HOLE
 *
 * As virStreamRecv; with VIR_STREAM_RECV_STOP_AT_HOLE, a sparse stream
 * stops at a hole instead of returning its bytes as zeroes: -3, then
 * virStreamRecvHole gives the hole's length.
 *
 * Returns the number of bytes read, 0 at the end of the stream, -2 if a
 * non-blocking stream has none now, -3 at a hole (with the flag), or -1
 * on error.
 */
int
virStreamRecvFlags(virStreamPtr st, char *data, size_t nbytes, unsigned int flags)
{
    int ret;

    virResetLastError();
    virCheckStreamReturn(st, -1);
    virCheckNonNullArgGoto(data, error);
    if (st->driver && st->driver->streamRecvFlags) {
        ret = st->driver->streamRecvFlags(st, data, nbytes, flags);
        if (ret == -2 || ret == -3)
            return ret;
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
 * virStreamSendHole:
 * @st: an open stream of a sparse transfer
 * @length: bytes of empty space to create at the target
 * @flags: 0
 *
 * Tells the stream's target to create @length bytes of empty space (a
 * hole) instead of receiving them as zeroes. Only streams opened for a
 * sparse transfer take holes (VIR_ERR_OPERATION_INVALID "Skipping is not
 * supported with this stream" otherwise); a negative @length is refused.
 *
 * Returns 0, or -1 on error.
 */
int
virStreamSendHole(virStreamPtr st, long long length, unsigned int flags)
{
    VIR_ENTRY(virCheckStreamReturn(st, -1), st->conn);
    VIR_ENTRY_DRIVER_CALL_ZERO(st->driver, streamSendHole, st, length, flags);
}

/**
 * virStreamRecvHole:
 * @st: an open stream of a sparse transfer
 * @length: where to store the hole's length
 * @flags: 0
 *
 * After virStreamRecvFlags returned -3: the length of the hole it stopped
 * at (the hole is then consumed). *@length is 0 when the stream is not at
 * a hole.
 *
 * Returns 0, or -1 on error (VIR_ERR_OPERATION_INVALID "Holes are not
 * supported with this stream" for a stream not opened as sparse).
 */
int
virStreamRecvHole(virStreamPtr st, long long *length, unsigned int flags)
{
    VIR_ENTRY(virCheckStreamReturn(st, -1), st->conn);
    virCheckNonNullArgGoto(length, error);
    VIR_ENTRY_DRIVER_CALL_ZERO(st->driver, streamRecvHole, st, length, flags);
}

/* A handler of the *All functions failed: libvirt reports it as a system
 * error with the handler's errno (EIO when it left none). */
static void
virStreamReportHandlerFailure(const char *what)
{
    int err = errno ? errno : EIO;

    virReportSystemError(err, "%s", what);
}

/* The *All functions end a failed transfer with an abort that keeps the
 * failure's error, then dispatch it. */
static int
virStreamAllFailed(virStreamPtr st)
{
    virErrorPtr saved = NULL;

    virErrorPreserveLast(&saved);
    virStreamAbort(st);
    virErrorRestore(&saved);
    virDispatchError(st->conn);
    return -1;
}

/* The body of virStreamSendAll (@holeHandler NULL) and
 * virStreamSparseSendAll, called with the arguments checked: refuses a
 * non-blocking stream, then sends what @handler produces, each hole
 * @holeHandler finds as a hole followed by @skipHandler. 0, or -1 with the
 * error dispatched (and the stream aborted once it was used). */
static int
virStreamSendAllLoop(virStreamPtr st, virStreamSourceFunc handler,
                     virStreamSourceHoleFunc holeHandler,
                     virStreamSourceSkipFunc skipHandler, void *opaque)
{
    g_autofree char *buf = NULL;
    long long dataLen = 0;

    if (st->flags & VIR_STREAM_NONBLOCK) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "data sources cannot be used for non-blocking streams");
        virDispatchError(st->conn);
        return -1;
    }
    buf = g_malloc(VIR_STREAM_ALL_CHUNK);
    while (true) {
        size_t want = VIR_STREAM_ALL_CHUNK;
        int got, off = 0;

        if (holeHandler && dataLen <= 0) {
            int inData = 0;
            long long sectionLen = 0;

            errno = 0;
            if (holeHandler(st, &inData, &sectionLen, opaque) < 0) {
                virStreamReportHandlerFailure("send holeHandler failed");
                return virStreamAllFailed(st);
            }
            if (!inData && sectionLen > 0) {
                if (virStreamSendHole(st, sectionLen, 0) < 0)
                    return virStreamAllFailed(st);
                errno = 0;
                if (skipHandler(st, sectionLen, opaque) < 0) {
                    virStreamReportHandlerFailure("send skipHandler failed");
                    return virStreamAllFailed(st);
                }
                continue;
            }
            dataLen = sectionLen;
        }
        if (dataLen > 0 && want > (unsigned long long)dataLen)
            want = dataLen;
        errno = 0;
        if ((got = handler(st, buf, want, opaque)) < 0) {
            virStreamReportHandlerFailure("send handler failed");
            return virStreamAllFailed(st);
        }
        if (got == 0)
            break;
        while (off < got) {
            int n = virStreamSend(st, buf + off, got - off);

            if (n < 0)
                return virStreamAllFailed(st);
            off += n;
            if (holeHandler)
                dataLen -= n;
        }
    }
    return 0;
}

/* The body of virStreamRecvAll (@holeHandler NULL: holes arrive as
 * zeros) and virStreamSparseRecvAll, called with the arguments checked:
 * refuses a non-blocking stream, then hands data to @handler and holes to
 * @holeHandler until the end of the stream. 0, or -1 with the error
 * dispatched (and the stream aborted once it was used). */
static int
virStreamRecvAllLoop(virStreamPtr st, virStreamSinkFunc handler,
                     virStreamSinkHoleFunc holeHandler, void *opaque)
{
    g_autofree char *buf = NULL;

    if (st->flags & VIR_STREAM_NONBLOCK) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "data sinks cannot be used for non-blocking streams");
        virDispatchError(st->conn);
        return -1;
    }
    buf = g_malloc(VIR_STREAM_ALL_CHUNK);
    while (true) {
        int got = holeHandler ? virStreamRecvFlags(st, buf, VIR_STREAM_ALL_CHUNK,
                                                   VIR_STREAM_RECV_STOP_AT_HOLE)
                              : virStreamRecv(st, buf, VIR_STREAM_ALL_CHUNK);
        int off = 0;

        if (got == -3 && holeHandler) {
            long long holeLen = 0;

            if (virStreamRecvHole(st, &holeLen, 0) < 0)
                return virStreamAllFailed(st);
            errno = 0;
            if (holeHandler(st, holeLen, opaque) < 0) {
                virStreamReportHandlerFailure("recv holeHandler failed");
                return virStreamAllFailed(st);
            }
            continue;
        }
        if (got < 0)
            return virStreamAllFailed(st);
        if (got == 0)
            break;
        while (off < got) {
            int n;

            errno = 0;
            if ((n = handler(st, buf + off, got - off, opaque)) < 0) {
                virStreamReportHandlerFailure("recv handler failed");
                return virStreamAllFailed(st);
            }
            off += n;
        }
    }
    return 0;
}

/**
 * virStreamSendAll:
 * @st: an open blocking stream
 * @handler: called for each chunk to send; fills its buffer and returns the
 *           byte count, 0 when there is no more, or -1 to stop (errno says
 *           why)
 * @opaque: passed to @handler
 *
 * Sends everything @handler produces. The caller then calls
 * virStreamFinish to learn whether the other end took it all. On any
 * failure the stream is aborted (a failing @handler is reported as a
 * system error "send handler failed" with its errno). Refused on a
 * non-blocking stream (VIR_ERR_OPERATION_INVALID).
 *
 * Returns 0 once all was sent, or -1 on error (the stream aborted).
 */
int
virStreamSendAll(virStreamPtr st, virStreamSourceFunc handler, void *opaque)
{
    virResetLastError();
    virCheckStreamReturn(st, -1);
    virCheckNonNullArgGoto(handler, error);
    return virStreamSendAllLoop(st, handler, NULL, NULL, opaque);

error:
    virDispatchError(st->conn);
    return -1;
}

/**
 * virStreamSparseSendAll:
 * @st: an open blocking stream of a sparse transfer
 * @handler: reads data, as for virStreamSendAll (never more than asked)
 * @holeHandler: tells whether the source's position is in data or in a
 *               hole (*inData) and how long that section is (*length; a
 *               hole of 0 is the end of the source)
 * @skipHandler: moves the source's position past a hole of @length bytes
 * @opaque: passed to the three handlers
 *
 * Sends the source as data and holes: for a hole, virStreamSendHole and
 * then @skipHandler. The caller then calls virStreamFinish. On any failure
 * the stream is aborted (a failing handler is a system error: "send
 * handler failed", "send holeHandler failed", "send skipHandler failed").
 * Refused on a non-blocking stream (VIR_ERR_OPERATION_INVALID).
 *
 * Returns 0 once all was sent, or -1 on error (the stream aborted).
 */
int
virStreamSparseSendAll(virStreamPtr st, virStreamSourceFunc handler,
                       virStreamSourceHoleFunc holeHandler,
                       virStreamSourceSkipFunc skipHandler, void *opaque)
{
    virResetLastError();
    virCheckStreamReturn(st, -1);
    virCheckNonNullArgGoto(handler, error);
    virCheckNonNullArgGoto(holeHandler, error);
    virCheckNonNullArgGoto(skipHandler, error);
    return virStreamSendAllLoop(st, handler, holeHandler, skipHandler, opaque);

error:
    virDispatchError(st->conn);
    return -1;
}

/**
 * virStreamRecvAll:
 * @st: an open blocking stream
 * @handler: called with each chunk received; returns the bytes it used
 *           or -1 to stop (errno says why)
 * @opaque: passed to @handler
 *
 * Receives until the end of the stream, handing every chunk to @handler.
 * The caller then calls virStreamFinish. On any failure the stream is
 * aborted (a failing @handler is a system error "recv handler failed").
 * Refused on a non-blocking stream (VIR_ERR_OPERATION_INVALID).
 *
 * Returns 0 once the end was reached, or -1 on error (the stream
 * aborted).
 */
int
virStreamRecvAll(virStreamPtr st, virStreamSinkFunc handler, void *opaque)
{
    virResetLastError();
    virCheckStreamReturn(st, -1);
    virCheckNonNullArgGoto(handler, error);
    return virStreamRecvAllLoop(st, handler, NULL, opaque);

error:
    virDispatchError(st->conn);
    return -1;
}

/**
 * virStreamSparseRecvAll:
 * @st: an open blocking stream of a sparse transfer
 * @handler: called with each chunk of data; returns the bytes it used or
 *           -1 to stop (errno says why)
 * @holeHandler: called for each hole with its length (e.g. seeks the
 *               target that far)
 * @opaque: passed to both handlers
 *
 * Receives until the end of the stream, data to @handler and holes to
 * @holeHandler (virStreamRecvFlags with VIR_STREAM_RECV_STOP_AT_HOLE, then
 * virStreamRecvHole). The caller then calls virStreamFinish. On any
 * failure the stream is aborted ("recv handler failed", "recv holeHandler
 * failed": system errors). Refused on a non-blocking stream.
 *
 * Returns 0 once the end was reached, or -1 on error (the stream aborted).
 */
int
virStreamSparseRecvAll(virStreamPtr st, virStreamSinkFunc handler,
                       virStreamSinkHoleFunc holeHandler, void *opaque)
{
    virResetLastError();
    virCheckStreamReturn(st, -1);
    virCheckNonNullArgGoto(handler, error);
    virCheckNonNullArgGoto(holeHandler, error);
    return virStreamRecvAllLoop(st, handler, holeHandler, opaque);

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
    VIR_ENTRY(virCheckStreamReturn(stream, -1), stream->conn);
    virCheckNonNullArgGoto(cb, error);
    VIR_ENTRY_DRIVER_CALL_ZERO(stream->driver, streamEventAddCallback, stream, events, cb,
                               opaque, ff);
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
    VIR_ENTRY(virCheckStreamReturn(stream, -1), stream->conn);
    VIR_ENTRY_DRIVER_CALL_ZERO(stream->driver, streamEventUpdateCallback, stream, events);
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
    VIR_ENTRY(virCheckStreamReturn(stream, -1), stream->conn);
    VIR_ENTRY_DRIVER_CALL_ZERO(stream->driver, streamEventRemoveCallback, stream);
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
    VIR_ENTRY(virCheckStreamReturn(st, -1), st->conn);
    VIR_ENTRY_DRIVER_CALL_ZERO(st->driver, streamFinish, st);
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
    VIR_ENTRY(virCheckStreamReturn(st, -1), st->conn);
    if (!st->driver)
        return 0; /* never opened: as libvirt, nothing to abort */
    VIR_ENTRY_DRIVER_CALL_ZERO(st->driver, streamAbort, st);
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
VIR_HANDLE_FREE(virStreamFree, virStreamPtr, virCheckStreamReturn, virObjectUnrefStream)

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
    VIR_ENTRY(virCheckDomainReturn(dom, -1), dom->conn);
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
    VIR_ENTRY_CALL_ZERO(driver, domainOpenConsole, dom, dev_name, st, flags);
}

/**
 * virDomainOpenChannel:
 * @dom: a running domain
 * @name: the channel: its alias ("channel0") or the name of its virtio
 *        port ("org.qemu.guest_agent.0"); NULL for the first channel
 * @st: a new stream of the same connection (virStreamNew)
 * @flags: VIR_DOMAIN_CHANNEL_FORCE (take the channel over from the stream
 *         that holds it: that stream ends)
 *
 * Connects @st to a <channel> of the guest, as virDomainOpenConsole does
 * for a console: the bytes the guest writes to its port arrive with
 * virStreamRecv, those sent with virStreamSend reach it. The QEMU driver
 * connects to the socket of a unix channel (other kinds are refused with
 * VIR_ERR_INTERNAL_ERROR "channel %s is not using a UNIX socket"); only
 * one stream holds a channel at a time (VIR_ERR_OPERATION_FAILED "Active
 * channel stream exists for this domain" without FORCE). libvirt's test
 * driver does not have this call. Refused on read-only connections.
 *
 * Returns 0, or -1 on error: the common ones (VIR_ERR_NO_SUPPORT for a
 * driver without it), VIR_ERR_INVALID_STREAM, VIR_ERR_OPERATION_DENIED,
 * VIR_ERR_INVALID_ARG for a stream of another connection or an unknown
 * flag, VIR_ERR_OPERATION_INVALID when @dom is not running,
 * VIR_ERR_INTERNAL_ERROR "cannot find channel %s".
 */
int
virDomainOpenChannel(virDomainPtr dom, const char *name, virStreamPtr st,
                     unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(dom, -1), dom->conn);
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
    VIR_ENTRY_CALL_ZERO(driver, domainOpenChannel, dom, name, st, flags);
}

/**
 * virDomainScreenshot:
 * @domain: a domain handle
 * @stream: a new stream of the same connection (virStreamNew)
 * @screen: which screen: the heads of the domain's video devices counted
 *          in order (0: the first head of the first device)
 * @flags: 0
 *
 * Takes a picture of the domain's screen and attaches @stream to it: the
 * image arrives with virStreamRecv (or virStreamRecvAll) until the end of
 * the stream, then the caller finishes it. The QEMU driver asks QEMU for
 * a PNG (QMP screendump into a private temporary file, removed once the
 * stream holds it) and returns "image/png", as libvirt 9.0 does with
 * QEMU 7.2; the test driver streams a fixed PNG, as libvirt's does.
 *
 * Returns the image's MIME type (the caller frees it), or NULL on error:
 * VIR_ERR_OPERATION_DENIED on a read-only connection, VIR_ERR_INVALID_ARG
 * when @stream belongs to another connection, VIR_ERR_OPERATION_INVALID
 * for an inactive domain, a domain without video ("no screens to take
 * screenshot from") or a @screen past the last head ("no such screen ID").
 */
char *
virDomainScreenshot(virDomainPtr domain, virStreamPtr stream, unsigned int screen,
                    unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, NULL), domain->conn);
    if (!virAPIStreamIsValid(stream)) {
        virReportErrorFull(VIR_FROM_STREAMS, VIR_ERR_INVALID_STREAM, __func__, "%s",
                           __func__);
        goto error;
    }
    virCheckReadOnlyGoto(conn, error);
    if (stream->conn != conn) {
        virAPIReportInvalidArg(VIR_FROM_THIS, __func__, "stream",
                               "stream must match connection of domain '%s'",
                               domain->name);
        goto error;
    }
    VIR_ENTRY_CALL_PTR(driver, domainScreenshot, domain, stream, screen, flags);
}
