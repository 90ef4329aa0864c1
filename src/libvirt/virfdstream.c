/* virfdstream.c: a virStream backend over one file descriptor (a console's pty)
 *
 * Thread protocol: the public stream calls may come from any thread (the
 * daemon's pump runs on its main loop, an abort may come from a worker);
 * virFDStreamData.lock guards every field and is never held while the
 * user's event callback runs. The event callback runs where the registered
 * event loop dispatches handles (virEventAddHandle: the default GLib
 * implementation dispatches on the default GMainContext). While a callback
 * is registered the watch holds a reference on the stream (as libvirt's
 * fdstream does); removing the callback, finishing or aborting drops it.
 */
#define G_LOG_DOMAIN "virtkit.api.fdstream"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include "datatypes.h"
#include "virerror.h"
#include "virfdstream.h"

#define VIR_FROM_THIS VIR_FROM_STREAMS

typedef struct {
    GMutex lock;
    int fd;         /* -1 once closed */
    int watch;      /* virEventAddHandle id, -1 if none */
    int events;     /* VIR_STREAM_EVENT_* asked for */
    int abortTimer; /* delivers ERROR after a forced close */
    virStreamEventCallback cb;
    void *opaque;
    virFreeCallback ff;
    bool closed; /* finished or aborted by its user */
    bool forced; /* closed under its user (console taken over) */
    bool ptyEOF; /* EIO from a pty: the other side closed */
    virFDStreamCloseFunc closeCb;
    void *closeOpaque;
    /* A callback runs outside the lock: a removal meanwhile (from another
     * thread) leaves the free function to the dispatch, which runs it
     * once the callback returned, so @opaque never goes under it. */
    int dispatching;
    virFreeCallback pendingFF;
    void *pendingOpaque;
} virFDStreamData;

static int
virFDStreamEventsToHandle(int events)
{
    int ev = 0;

    if (events & VIR_STREAM_EVENT_READABLE)
        ev |= VIR_EVENT_HANDLE_READABLE;
    if (events & VIR_STREAM_EVENT_WRITABLE)
        ev |= VIR_EVENT_HANDLE_WRITABLE;
    return ev;
}

static int
virFDStreamEventsFromHandle(int ev)
{
    int events = 0;

    if (ev & VIR_EVENT_HANDLE_READABLE)
        events |= VIR_STREAM_EVENT_READABLE;
    if (ev & VIR_EVENT_HANDLE_WRITABLE)
        events |= VIR_STREAM_EVENT_WRITABLE;
    if (ev & VIR_EVENT_HANDLE_ERROR)
        events |= VIR_STREAM_EVENT_ERROR;
    if (ev & VIR_EVENT_HANDLE_HANGUP)
        events |= VIR_STREAM_EVENT_HANGUP;
    return events;
}

static void
virFDStreamDispatch(virStreamPtr st, int events)
{
    virFDStreamData *fdst = st->privateData;
    virStreamEventCallback cb;
    void *opaque;

    virFreeCallback ff = NULL;
    void *ffOpaque = NULL;

    g_mutex_lock(&fdst->lock);
    cb = fdst->cb;
    opaque = fdst->opaque;
    if (cb)
        fdst->dispatching++;
    g_mutex_unlock(&fdst->lock);
    if (!cb)
        return;
    cb(st, events, opaque);
    g_mutex_lock(&fdst->lock);
    if (--fdst->dispatching == 0 && fdst->pendingFF) {
        ff = g_steal_pointer(&fdst->pendingFF);
        ffOpaque = g_steal_pointer(&fdst->pendingOpaque);
    }
    g_mutex_unlock(&fdst->lock);
    if (ff)
        ff(ffOpaque);
}

static void
virFDStreamHandleEvent(int watch G_GNUC_UNUSED, int fd G_GNUC_UNUSED, int ev,
                       void *opaque)
{
    virFDStreamDispatch(opaque, virFDStreamEventsFromHandle(ev));
}

static void
virFDStreamAbortTimer(int timer, void *opaque)
{
    virStreamPtr st = opaque;
    virFDStreamData *fdst = st->privateData;
    bool fire;

    g_mutex_lock(&fdst->lock);
    fire = fdst->abortTimer == timer;
    if (fire) {
        virEventRemoveTimeout(timer);
        fdst->abortTimer = -1;
    }
    g_mutex_unlock(&fdst->lock);
    if (fire)
        virFDStreamDispatch(st, VIR_STREAM_EVENT_ERROR);
}

static void
virFDStreamUnrefStream(void *opaque)
{
    virObjectUnrefStream(opaque);
}

/* The timer holds a reference on the stream until it is removed. */
static void
virFDStreamArmAbortTimer(virStreamPtr st, virFDStreamData *fdst)
{
    virObjectRefStream(st);
    if ((fdst->abortTimer = virEventAddTimeout(0, virFDStreamAbortTimer, st,
                                               virFDStreamUnrefStream)) < 0)
        virObjectUnrefStream(st);
}

/* Close the descriptor and the watch; fdst->lock held. Returns the
 * internal close callback to run (after unlocking), if any. */
static virFDStreamCloseFunc
virFDStreamCloseLocked(virFDStreamData *fdst, void **closeOpaque)
{
    virFDStreamCloseFunc cb = fdst->closeCb;

    if (fdst->watch >= 0) {
        virEventRemoveHandle(fdst->watch);
        fdst->watch = -1;
    }
    if (fdst->fd >= 0) {
        close(fdst->fd);
        fdst->fd = -1;
    }
    fdst->closeCb = NULL;
    *closeOpaque = fdst->closeOpaque;
    return cb;
}

static int
virFDStreamCheckOpen(virFDStreamData *fdst)
{
    if (fdst->forced) {
        virReportError(VIR_ERR_OPERATION_FAILED, "%s",
                       "stream was closed: the console was taken over by another client");
        return -1;
    }
    if (fdst->closed || fdst->fd < 0) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "stream is not open");
        return -1;
    }
    return 0;
}

/* Wait until @fd is ready for @what or the stream is closed (blocking
 * streams only). fdst->lock held; released while waiting. */
static int
virFDStreamWait(virFDStreamData *fdst, short what)
{
    while (true) {
        struct pollfd pfd = { .fd = fdst->fd, .events = what };
        int rc;

        g_mutex_unlock(&fdst->lock);
        rc = poll(&pfd, 1, 200);
        g_mutex_lock(&fdst->lock);
        if (virFDStreamCheckOpen(fdst) < 0)
            return -1;
        if (rc < 0 && errno != EINTR) {
            virReportSystemError(errno, "%s", "cannot wait for the stream");
            return -1;
        }
        if (rc > 0)
            return 0;
    }
}

static int
virFDStreamSend(virStreamPtr st, const char *data, size_t nbytes)
{
    virFDStreamData *fdst = st->privateData;
    ssize_t n;
    int ret = -1;

    g_mutex_lock(&fdst->lock);
    while (true) {
        if (virFDStreamCheckOpen(fdst) < 0)
            break;
        n = write(fdst->fd, data, MIN(nbytes, (size_t)INT_MAX));
        if (n >= 0) {
            ret = n;
            break;
        }
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            if (st->flags & VIR_STREAM_NONBLOCK) {
                ret = -2;
                break;
            }
            if (virFDStreamWait(fdst, POLLOUT) < 0)
                break;
            continue;
        }
        virReportSystemError(errno, "%s", "cannot write to stream");
        break;
    }
    g_mutex_unlock(&fdst->lock);
    return ret;
}

static int
virFDStreamRecv(virStreamPtr st, char *data, size_t nbytes)
{
    virFDStreamData *fdst = st->privateData;
    ssize_t n;
    int ret = -1;

    g_mutex_lock(&fdst->lock);
    while (true) {
        if (fdst->ptyEOF) {
            ret = 0;
            break;
        }
        if (virFDStreamCheckOpen(fdst) < 0)
            break;
        n = read(fdst->fd, data, MIN(nbytes, (size_t)INT_MAX));
        if (n >= 0) {
            ret = n;
            break;
        }
        if (errno == EINTR)
            continue;
        if (errno == EIO && isatty(fdst->fd)) {
            /* A pty whose other side (QEMU) closed: end of stream. */
            fdst->ptyEOF = true;
            ret = 0;
            break;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            if (st->flags & VIR_STREAM_NONBLOCK) {
                ret = -2;
                break;
            }
            if (virFDStreamWait(fdst, POLLIN) < 0)
                break;
            continue;
        }
        virReportSystemError(errno, "%s", "cannot read from stream");
        break;
    }
    g_mutex_unlock(&fdst->lock);
    return ret;
}

static int
virFDStreamAddCallback(virStreamPtr st, int events, virStreamEventCallback cb,
                       void *opaque, virFreeCallback ff)
{
    virFDStreamData *fdst = st->privateData;
    int ret = -1;

    g_mutex_lock(&fdst->lock);
    if (fdst->cb) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "stream already has a callback registered");
        goto cleanup;
    }
    if (fdst->forced) {
        /* Taken over before the user got to watch it: tell it at once. */
        virFDStreamArmAbortTimer(st, fdst);
    } else if (virFDStreamCheckOpen(fdst) < 0) {
        goto cleanup;
    } else {
        virObjectRefStream(st);
        if ((fdst->watch = virEventAddHandle(fdst->fd, virFDStreamEventsToHandle(events),
                                             virFDStreamHandleEvent, st,
                                             virFDStreamUnrefStream)) < 0) {
            virObjectUnrefStream(st);
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                           "cannot register file watch on stream");
            goto cleanup;
        }
    }
    fdst->cb = cb;
    fdst->opaque = opaque;
    fdst->ff = ff;
    fdst->events = events;
    ret = 0;
cleanup:
    g_mutex_unlock(&fdst->lock);
    return ret;
}

static int
virFDStreamUpdateCallback(virStreamPtr st, int events)
{
    virFDStreamData *fdst = st->privateData;
    int ret = -1;

    g_mutex_lock(&fdst->lock);
    if (!fdst->cb) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "stream does not have a callback registered");
    } else {
        if (fdst->watch >= 0)
            virEventUpdateHandle(fdst->watch, virFDStreamEventsToHandle(events));
        fdst->events = events;
        ret = 0;
    }
    g_mutex_unlock(&fdst->lock);
    return ret;
}

/* Drop the callback; fdst->lock held. Returns the opaque's free function
 * to call after unlocking. */
static virFreeCallback
virFDStreamRemoveCallbackLocked(virFDStreamData *fdst, void **opaque)
{
    virFreeCallback ff = fdst->ff;

    if (fdst->watch >= 0) {
        virEventRemoveHandle(fdst->watch);
        fdst->watch = -1;
    }
    if (fdst->abortTimer >= 0) {
        virEventRemoveTimeout(fdst->abortTimer);
        fdst->abortTimer = -1;
    }
    *opaque = fdst->opaque;
    fdst->cb = NULL;
    fdst->ff = NULL;
    fdst->opaque = NULL;
    if (ff && fdst->dispatching > 0) {
        /* the running dispatch frees it (only one callback at a time is
         * registered, so at most one free is ever pending) */
        fdst->pendingFF = ff;
        fdst->pendingOpaque = *opaque;
        return NULL;
    }
    return ff;
}

static int
virFDStreamRemoveCallback(virStreamPtr st)
{
    virFDStreamData *fdst = st->privateData;
    virFreeCallback ff;
    void *opaque = NULL;

    g_mutex_lock(&fdst->lock);
    if (!fdst->cb) {
        g_mutex_unlock(&fdst->lock);
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "stream does not have a callback registered");
        return -1;
    }
    ff = virFDStreamRemoveCallbackLocked(fdst, &opaque);
    g_mutex_unlock(&fdst->lock);
    if (ff)
        ff(opaque);
    return 0;
}

static int
virFDStreamClose(virStreamPtr st, bool abort)
{
    virFDStreamData *fdst = st->privateData;
    virFDStreamCloseFunc closeCb;
    void *closeOpaque = NULL;
    virFreeCallback ff;
    void *opaque = NULL;
    bool forced;

    g_mutex_lock(&fdst->lock);
    forced = fdst->forced;
    if (fdst->closed && !forced) {
        g_mutex_unlock(&fdst->lock);
        if (abort)
            return 0;
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "stream is not open");
        return -1;
    }
    fdst->closed = true;
    ff = virFDStreamRemoveCallbackLocked(fdst, &opaque);
    closeCb = virFDStreamCloseLocked(fdst, &closeOpaque);
    g_mutex_unlock(&fdst->lock);
    if (ff)
        ff(opaque);
    if (closeCb)
        closeCb(st, closeOpaque);
    if (forced && !abort) {
        virReportError(VIR_ERR_OPERATION_FAILED, "%s",
                       "stream was closed: the console was taken over by another client");
        return -1;
    }
    return 0;
}

static int
virFDStreamFinish(virStreamPtr st)
{
    return virFDStreamClose(st, false);
}

static int
virFDStreamAbort(virStreamPtr st)
{
    return virFDStreamClose(st, true);
}

static const virStreamDriver virFDStreamDriver = {
    .streamSend = virFDStreamSend,
    .streamRecv = virFDStreamRecv,
    .streamEventAddCallback = virFDStreamAddCallback,
    .streamEventUpdateCallback = virFDStreamUpdateCallback,
    .streamEventRemoveCallback = virFDStreamRemoveCallback,
    .streamFinish = virFDStreamFinish,
    .streamAbort = virFDStreamAbort,
};

static void
virFDStreamDataFree(void *data)
{
    virFDStreamData *fdst = data;

    /* The watch held a reference: no callback can be registered now. */
    if (fdst->abortTimer >= 0)
        virEventRemoveTimeout(fdst->abortTimer);
    if (fdst->fd >= 0)
        close(fdst->fd);
    if (fdst->closeCb)
        fdst->closeCb(NULL, fdst->closeOpaque);
    g_mutex_clear(&fdst->lock);
    g_free(fdst);
}

int
virFDStreamOpen(virStreamPtr st, int fd)
{
    virFDStreamData *fdst;

    if (st->driver) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "stream is already open");
        close(fd);
        return -1;
    }
    if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0) {
        virReportSystemError(errno, "%s", "cannot make the stream non-blocking");
        close(fd);
        return -1;
    }
    fdst = g_new0(virFDStreamData, 1);
    g_mutex_init(&fdst->lock);
    fdst->fd = fd;
    fdst->watch = -1;
    fdst->abortTimer = -1;
    st->privateData = fdst;
    st->privateFree = virFDStreamDataFree;
    st->driver = &virFDStreamDriver;
    return 0;
}

int
virFDStreamOpenPTY(virStreamPtr st, const char *path)
{
    struct termios t;
    int fd;

    if ((fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)) < 0) {
        virReportSystemError(errno, "Unable to open stream for '%s'", path);
        return -1;
    }
    /* Raw: no echo of what QEMU writes back into the guest, no line
     * editing, bytes pass as they are (libvirt does the same). */
    if (tcgetattr(fd, &t) < 0) {
        virReportSystemError(errno, "unable to get tty attributes: %s", path);
        close(fd);
        return -1;
    }
    cfmakeraw(&t);
    if (tcsetattr(fd, TCSANOW, &t) < 0) {
        virReportSystemError(errno, "unable to set tty attributes: %s", path);
        close(fd);
        return -1;
    }
    return virFDStreamOpen(st, fd);
}

void
virFDStreamSetCloseCallback(virStreamPtr st, virFDStreamCloseFunc cb, void *opaque)
{
    virFDStreamData *fdst = st->privateData;

    g_mutex_lock(&fdst->lock);
    fdst->closeCb = cb;
    fdst->closeOpaque = opaque;
    g_mutex_unlock(&fdst->lock);
}

bool
virFDStreamIsFDStream(virStreamPtr st)
{
    return st && st->driver == &virFDStreamDriver;
}

void
virFDStreamForceClose(virStreamPtr st)
{
    virFDStreamData *fdst = st->privateData;
    virFDStreamCloseFunc closeCb;
    void *closeOpaque = NULL;

    g_mutex_lock(&fdst->lock);
    if (fdst->closed || fdst->forced) {
        g_mutex_unlock(&fdst->lock);
        return;
    }
    fdst->forced = true;
    closeCb = virFDStreamCloseLocked(fdst, &closeOpaque);
    /* The user learns it from its event loop (never from this thread):
     * an ERROR event, as libvirt's abort of a taken-over console. */
    if (fdst->cb && fdst->abortTimer < 0)
        virFDStreamArmAbortTimer(st, fdst);
    g_mutex_unlock(&fdst->lock);
    if (closeCb)
        closeCb(st, closeOpaque);
}
