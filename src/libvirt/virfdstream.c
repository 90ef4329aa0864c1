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
 *
 * An upload into a file or block device (virFDStreamOpenFile, O_WRONLY)
 * has a writer thread of its own: Send and SendHole queue the bytes (a
 * copy) and holes in order, under fdst->lock, and return at once while
 * fewer than VIR_FD_STREAM_QUEUE_MAX bytes wait (else they wait, as a
 * blocking write() on a full disk would); the writer takes them off the
 * queue and writes them with the lock dropped, so the caller (the
 * daemon's main loop) reads the next frames while the disk writes, and
 * the disk's waits (dirty page throttling) never stop it. As libvirt's,
 * an upload leaves its bytes to the page cache; the storage driver has
 * them synced after the finish (storage_driver_vol.c). A failed write is
 * kept (writeErrno) and reported by the next Send/SendHole and by Finish,
 * which returns only once the queue is written; Abort drops what is queued. The thread is
 * joined, with the lock dropped, before the descriptor closes.
 */
#define G_LOG_DOMAIN "virtkit.api.fdstream"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/falloc.h>
#include <poll.h>
#include <sys/stat.h>
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
    /* A file transfer (virFDStreamOpenFile): @length bytes at most from the
     * start (0: no limit), @offset of them done (data and holes); @sparse:
     * holes are taken and given; @writing: the upload side. */
    unsigned long long length;
    unsigned long long offset;
    bool sparse;
    bool writing;
    unsigned long long written; /* bytes the writer thread wrote (data and holes) */
    bool writeFailed;           /* a write or hole failed: the target is incomplete */
    /* The upload's writer thread (NULL: writes happen in the caller). */
    GThread *writer;
    GQueue wqueue;         /* virFDStreamChunk *, in order */
    size_t wqueued;        /* bytes of data in wqueue and in the writer's hands */
    bool wbusy;            /* the writer holds a chunk */
    bool wstop;            /* the writer must end (after the queue, unless dropped) */
    int writeErrno;        /* the writer's failure (0: none) */
    GCond wcond;           /* queue changed: work for the writer, room or drained */
    long long pendingHole; /* RecvFlags stopped at a hole this long */
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

/* A queued piece of an upload: bytes, or a hole of @hole bytes. @data is
 * the chunk's own copy, or (@owner set) points into @owner, which
 * @ownerFree releases once the bytes are written or dropped
 * (virFDStreamSendOwned: a received frame written without a copy). */
typedef struct {
    char *data;
    size_t len;
    long long hole;
    gpointer owner;
    GDestroyNotify ownerFree;
} virFDStreamChunk;

/* What an upload may have queued before Send waits for the writer. */
#define VIR_FD_STREAM_QUEUE_MAX (8 * 1024 * 1024)

static void
virFDStreamChunkFree(gpointer p)
{
    virFDStreamChunk *c = p;

    if (c->owner)
        c->ownerFree(c->owner);
    else
        g_free(c->data);
    g_free(c);
}

static int virFDStreamWriteHole(virFDStreamData *fdst, long long len);

/* The writer thread of an upload (see the top of the file). */
static gpointer
virFDStreamWriterRun(gpointer opaque)
{
    virFDStreamData *fdst = opaque;
    virFDStreamChunk *c;

    g_mutex_lock(&fdst->lock);
    while (true) {
        int err = 0;

        while (!fdst->wstop && g_queue_is_empty(&fdst->wqueue))
            g_cond_wait(&fdst->wcond, &fdst->lock);
        if (!(c = g_queue_pop_head(&fdst->wqueue)))
            break; /* stopped, nothing left */
        fdst->wbusy = true;
        g_mutex_unlock(&fdst->lock);

        if (c->data) {
            size_t done = 0;

            while (done < c->len) {
                ssize_t n = write(fdst->fd, c->data + done, c->len - done);

                if (n < 0 && errno == EINTR)
                    continue;
                if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                    struct pollfd pfd = { .fd = fdst->fd, .events = POLLOUT };

                    poll(&pfd, 1, 100);
                    continue;
                }
                if (n < 0) {
                    err = errno;
                    break;
                }
                done += n;
            }
        } else if (virFDStreamWriteHole(fdst, c->hole) < 0) {
            err = errno ? errno : EIO;
            virResetLastError();
        }

        g_mutex_lock(&fdst->lock);
        fdst->wbusy = false;
        fdst->wqueued -= c->len;
        if (err && !fdst->writeErrno) {
            fdst->writeErrno = err;
            fdst->writeFailed = true;
        }
        if (!err) {
            fdst->written += c->data ? c->len : (unsigned long long)c->hole;
        }
        virFDStreamChunkFree(c);
        if (fdst->writeErrno) {
            /* nothing after a failure is written */
            g_queue_clear_full(&fdst->wqueue, virFDStreamChunkFree);
            fdst->wqueued = 0;
        }
        g_cond_broadcast(&fdst->wcond);
    }
    g_mutex_unlock(&fdst->lock);
    return NULL;
}

/* Queue @c for the writer (lock held; waits while the queue is full).
 * 0, or -1 with the writer's failure reported. */
static int
virFDStreamQueue(virFDStreamData *fdst, virFDStreamChunk *c)
{
    while (!fdst->writeErrno && !fdst->closed && fdst->wqueued >= VIR_FD_STREAM_QUEUE_MAX)
        g_cond_wait(&fdst->wcond, &fdst->lock);
    if (fdst->writeErrno) {
        virReportSystemError(fdst->writeErrno, "%s", "cannot write to stream");
        virFDStreamChunkFree(c);
        return -1;
    }
    if (virFDStreamCheckOpen(fdst) < 0) {
        virFDStreamChunkFree(c);
        return -1;
    }
    fdst->wqueued += c->len;
    g_queue_push_tail(&fdst->wqueue, c);
    g_cond_broadcast(&fdst->wcond);
    return 0;
}

/* End the writer (lock held, dropped while joining): after the queue is
 * written, or at once with the queue dropped (@drop). Returns the
 * writer's failure (errno) or 0. */
static int
virFDStreamStopWriter(virFDStreamData *fdst, bool drop)
{
    GThread *t = fdst->writer;

    if (!t)
        return fdst->writeErrno;
    if (drop) {
        g_queue_clear_full(&fdst->wqueue, virFDStreamChunkFree);
        fdst->wqueued = 0;
    }
    fdst->wstop = true;
    g_cond_broadcast(&fdst->wcond);
    fdst->writer = NULL;
    g_mutex_unlock(&fdst->lock);
    g_thread_join(t);
    g_mutex_lock(&fdst->lock);
    return fdst->writeErrno;
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
        if (fdst->length) {
            if (fdst->offset >= fdst->length) {
                virReportSystemError(ENOSPC, "%s", "cannot write to stream");
                break;
            }
            nbytes = MIN(nbytes, fdst->length - fdst->offset);
        }
        if (fdst->writer) {
            virFDStreamChunk *c = g_new0(virFDStreamChunk, 1);

            nbytes = MIN(nbytes, (size_t)VIR_FD_STREAM_QUEUE_MAX);
            c->data = g_memdup2(data, nbytes);
            c->len = nbytes;
            if (virFDStreamQueue(fdst, c) < 0)
                break;
            fdst->offset += nbytes;
            ret = nbytes;
            break;
        }
        n = write(fdst->fd, data, MIN(nbytes, (size_t)INT_MAX));
        if (n >= 0) {
            fdst->offset += n;
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
        fdst->writeFailed = true;
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
        if (fdst->length) {
            if (fdst->offset >= fdst->length) {
                ret = 0;
                break;
            }
            nbytes = MIN(nbytes, fdst->length - fdst->offset);
        }
        n = read(fdst->fd, data, MIN(nbytes, (size_t)INT_MAX));
        if (n >= 0) {
            fdst->offset += n;
            fdst->pendingHole = 0;
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
    bool failed;
    int werr = 0;

    g_mutex_lock(&fdst->lock);
    forced = fdst->forced;
    failed = fdst->writeFailed;
    if (fdst->closed && !forced) {
        g_mutex_unlock(&fdst->lock);
        if (abort)
            return 0;
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "stream is not open");
        return -1;
    }
    /* an upload's queue is written first (a finish), or dropped */
    if (virFDStreamStopWriter(fdst, abort || forced) && !abort && !forced) {
        werr = fdst->writeErrno;
        failed = true;
    }
    fdst->closed = true;
    ff = virFDStreamRemoveCallbackLocked(fdst, &opaque);
    closeCb = virFDStreamCloseLocked(fdst, &closeOpaque);
    g_mutex_unlock(&fdst->lock);
    if (ff)
        ff(opaque);
    if (closeCb)
        closeCb(st, !abort && !forced && !failed, closeOpaque);
    if (werr) {
        virReportSystemError(werr, "%s", "cannot write to stream");
        return -1;
    }
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

/* ---- holes (files opened sparse) --------------------------------------- */

/* Where the file's position is: data or a hole, and how long that section
 * is, within the transfer's limit (virFileInData's answer: a hole of 0 is
 * the end). fdst->lock held. */
static int
virFDStreamInDataLocked(virFDStreamData *fdst, int *inData, long long *length)
{
    off_t cur, next, end;
    long long len;

    if (virFDStreamCheckOpen(fdst) < 0)
        return -1;
    if (fdst->length && fdst->offset >= fdst->length) {
        *inData = 0;
        *length = 0;
        return 0;
    }
    if ((cur = lseek(fdst->fd, 0, SEEK_CUR)) < 0) {
        if (errno == ESPIPE) {
            /* not seekable (a pipe): all data, up to the limit */
            *inData = 1;
            *length = fdst->length ? (long long)(fdst->length - fdst->offset) : INT_MAX;
            return 0;
        }
        virReportSystemError(errno, "%s", "unable to seek");
        return -1;
    }
    next = lseek(fdst->fd, cur, SEEK_DATA);
    if (next < 0 && errno != ENXIO) {
        virReportSystemError(errno, "%s", "unable to seek to data");
        return -1;
    }
    if (next < 0) {
        /* no data after @cur: a hole up to the end, or the end itself */
        if ((end = lseek(fdst->fd, 0, SEEK_END)) < 0) {
            virReportSystemError(errno, "%s", "unable to seek to end");
            return -1;
        }
        *inData = 0;
        len = end > cur ? end - cur : 0;
    } else if (next == cur) {
        if ((end = lseek(fdst->fd, cur, SEEK_HOLE)) < 0) {
            virReportSystemError(errno, "%s", "unable to seek to hole");
            return -1;
        }
        *inData = 1;
        len = end - cur;
    } else {
        *inData = 0;
        len = next - cur;
    }
    if (lseek(fdst->fd, cur, SEEK_SET) < 0) {
        virReportSystemError(errno, "%s", "unable to seek");
        return -1;
    }
    if (fdst->length && (unsigned long long)len > fdst->length - fdst->offset)
        len = fdst->length - fdst->offset;
    *length = len;
    return 0;
}

static int
virFDStreamInData(virStreamPtr st, int *inData, long long *length)
{
    virFDStreamData *fdst = st->privateData;
    int ret;

    g_mutex_lock(&fdst->lock);
    ret = virFDStreamInDataLocked(fdst, inData, length);
    g_mutex_unlock(&fdst->lock);
    return ret;
}

/* Write @len zero bytes at the position (block devices, or a file system
 * that cannot punch holes). fdst->lock held. */
static int
virFDStreamWriteZeroes(virFDStreamData *fdst, long long len)
{
    static const char zeroes[64 * 1024];

    while (len > 0) {
        ssize_t n = write(fdst->fd, zeroes, MIN((long long)sizeof(zeroes), len));

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            virReportSystemError(errno, "%s", "unable to write hole");
            return -1;
        }
        len -= n;
    }
    return 0;
}

/* The upload side: @len bytes of the target become empty (read as
 * zeroes), the position moves past them. fdst->lock held. */
static int
virFDStreamWriteHole(virFDStreamData *fdst, long long len)
{
    struct stat sb;
    off_t cur, end;

    if (fstat(fdst->fd, &sb) < 0) {
        virReportSystemError(errno, "%s", "unable to stat stream");
        return -1;
    }
    if (!S_ISREG(sb.st_mode))
        return virFDStreamWriteZeroes(fdst, len);
    if ((cur = lseek(fdst->fd, 0, SEEK_CUR)) < 0) {
        virReportSystemError(errno, "%s", "unable to seek");
        return -1;
    }
    end = cur + len;
    if (cur < sb.st_size) {
        /* over old content: it must read as zeroes */
        off_t upto = MIN(end, sb.st_size);

        if (fallocate(fdst->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, cur,
                      upto - cur) < 0 &&
            virFDStreamWriteZeroes(fdst, upto - cur) < 0)
            return -1;
    }
    if (end > sb.st_size && ftruncate(fdst->fd, end) < 0) {
        virReportSystemError(errno, "%s", "unable to truncate");
        return -1;
    }
    if (lseek(fdst->fd, end, SEEK_SET) < 0) {
        virReportSystemError(errno, "%s", "unable to seek");
        return -1;
    }
    return 0;
}

/* A hole: on the upload side it is created at the target; on the download
 * side (libvirt's daemon sends the hole, then tells its source) the
 * position skips it. */
static int
virFDStreamSendHole(virStreamPtr st, long long length, unsigned int flags)
{
    virFDStreamData *fdst = st->privateData;
    int ret = -1;

    virCheckFlags(0, -1);
    g_mutex_lock(&fdst->lock);
    if (virFDStreamCheckOpen(fdst) < 0)
        goto cleanup;
    if (!fdst->sparse) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "Skipping is not supported with this stream");
        goto cleanup;
    }
    if (length < 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "Invalid stream hole");
        goto cleanup;
    }
    if (fdst->length) {
        if ((unsigned long long)length > fdst->length - fdst->offset) {
            if (fdst->writing) {
                virReportError(VIR_ERR_OPERATION_FAILED, "%s",
                               "Too many bytes to write to stream");
                goto cleanup;
            }
            length = fdst->length - fdst->offset;
        }
    }
    if (fdst->writer) {
        virFDStreamChunk *c = g_new0(virFDStreamChunk, 1);

        c->hole = length;
        if (virFDStreamQueue(fdst, c) < 0)
            goto cleanup;
    } else if (fdst->writing) {
        if (virFDStreamWriteHole(fdst, length) < 0) {
            fdst->writeFailed = true;
            goto cleanup;
        }
    } else if (lseek(fdst->fd, length, SEEK_CUR) < 0) {
        virReportSystemError(errno, "%s", "unable to seek");
        goto cleanup;
    }
    fdst->offset += length;
    if (!fdst->writer)
        fdst->pendingHole = 0;
    ret = 0;
cleanup:
    g_mutex_unlock(&fdst->lock);
    return ret;
}

static int
virFDStreamRecvFlags(virStreamPtr st, char *data, size_t nbytes, unsigned int flags)
{
    virFDStreamData *fdst = st->privateData;
    int inData = 1;
    long long len = 0;

    virCheckFlags(VIR_STREAM_RECV_STOP_AT_HOLE, -1);
    if ((flags & VIR_STREAM_RECV_STOP_AT_HOLE) && fdst->sparse) {
        g_mutex_lock(&fdst->lock);
        if (fdst->pendingHole > 0 ||
            (virFDStreamInDataLocked(fdst, &inData, &len) == 0 && !inData && len > 0)) {
            if (fdst->pendingHole == 0)
                fdst->pendingHole = len;
            g_mutex_unlock(&fdst->lock);
            return -3;
        }
        g_mutex_unlock(&fdst->lock);
        if (!inData && len == 0)
            return 0; /* the end */
        if (inData && len > 0)
            nbytes = MIN(nbytes, (unsigned long long)len);
    }
    return virFDStreamRecv(st, data, nbytes);
}

/* The hole RecvFlags stopped at, consumed (the position moves past it). */
static int
virFDStreamRecvHole(virStreamPtr st, long long *length, unsigned int flags)
{
    virFDStreamData *fdst = st->privateData;
    long long len;
    int ret = -1;

    virCheckFlags(0, -1);
    g_mutex_lock(&fdst->lock);
    if (!fdst->sparse) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "Holes are not supported with this stream");
        goto cleanup;
    }
    if (virFDStreamCheckOpen(fdst) < 0)
        goto cleanup;
    len = fdst->pendingHole;
    if (len > 0 && lseek(fdst->fd, len, SEEK_CUR) < 0) {
        virReportSystemError(errno, "%s", "unable to seek");
        goto cleanup;
    }
    fdst->offset += len;
    fdst->pendingHole = 0;
    *length = len;
    ret = 0;
cleanup:
    g_mutex_unlock(&fdst->lock);
    return ret;
}

static const virStreamDriver virFDStreamDriver = {
    .streamSend = virFDStreamSend,
    .streamRecv = virFDStreamRecv,
    .streamEventAddCallback = virFDStreamAddCallback,
    .streamEventUpdateCallback = virFDStreamUpdateCallback,
    .streamEventRemoveCallback = virFDStreamRemoveCallback,
    .streamFinish = virFDStreamFinish,
    .streamAbort = virFDStreamAbort,
    .streamRecvFlags = virFDStreamRecvFlags,
    .streamSendHole = virFDStreamSendHole,
    .streamRecvHole = virFDStreamRecvHole,
    .streamInData = virFDStreamInData,
};

static void
virFDStreamDataFree(void *data)
{
    virFDStreamData *fdst = data;

    /* The watch held a reference: no callback can be registered now. */
    if (fdst->abortTimer >= 0)
        virEventRemoveTimeout(fdst->abortTimer);
    g_mutex_lock(&fdst->lock);
    virFDStreamStopWriter(fdst, true);
    g_mutex_unlock(&fdst->lock);
    g_cond_clear(&fdst->wcond);
    if (fdst->fd >= 0)
        close(fdst->fd);
    if (fdst->closeCb)
        fdst->closeCb(NULL, false, fdst->closeOpaque);
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
    g_cond_init(&fdst->wcond);
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

int
virFDStreamOpenFile(virStreamPtr st, const char *path, unsigned long long offset,
                    unsigned long long length, int oflags, bool sparse)
{
    virFDStreamData *fdst;
    int fd;

    if ((oflags & O_ACCMODE) == O_RDWR) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "%s: Cannot request read and write flags together", path);
        return -1;
    }
    if (offset > LLONG_MAX || length > LLONG_MAX) {
        virReportError(VIR_ERR_INVALID_ARG, "offset %llu or length %llu too large",
                       offset, length);
        return -1;
    }
    if ((fd = open(path, oflags | O_NOCTTY | O_CLOEXEC, 0600)) < 0) {
        virReportSystemError(errno, "Unable to open stream for '%s'", path);
        return -1;
    }
    if (offset && lseek(fd, offset, SEEK_SET) < 0) {
        virReportSystemError(errno, "Unable to seek %s to %llu", path, offset);
        close(fd);
        return -1;
    }
    if (virFDStreamOpen(st, fd) < 0)
        return -1;
    fdst = st->privateData;
    fdst->length = length;
    fdst->sparse = sparse;
    fdst->writing = (oflags & O_ACCMODE) == O_WRONLY;
    if (fdst->writing) {
        struct stat sb;

        if (fstat(fd, &sb) == 0 && (S_ISREG(sb.st_mode) || S_ISBLK(sb.st_mode)))
            fdst->writer = g_thread_new("vk-upload", virFDStreamWriterRun, fdst);
    }
    return 0;
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

int
virFDStreamSendOwned(virStreamPtr st, const char *data, size_t nbytes, gpointer owner,
                     GDestroyNotify ownerFree)
{
    virFDStreamData *fdst;
    virFDStreamChunk *c;
    int ret = -3;

    if (!virFDStreamIsFDStream(st) || !data || nbytes == 0 ||
        nbytes > (size_t)VIR_FD_STREAM_QUEUE_MAX)
        return -3;
    virResetLastError();
    fdst = st->privateData;
    g_mutex_lock(&fdst->lock);
    /* no writer, or the stream's length would cut these bytes: Send's way */
    if (fdst->writer && !fdst->closed &&
        (!fdst->length ||
         (fdst->offset < fdst->length && fdst->length - fdst->offset >= nbytes))) {
        c = g_new0(virFDStreamChunk, 1);
        c->data = (char *)data;
        c->len = nbytes;
        c->owner = owner;
        c->ownerFree = ownerFree;
        if (virFDStreamQueue(fdst, c) < 0) {
            ret = -1; /* @c and @owner freed */
        } else {
            fdst->offset += nbytes;
            ret = (int)nbytes;
        }
    }
    g_mutex_unlock(&fdst->lock);
    return ret;
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
        closeCb(st, false, closeOpaque);
}
