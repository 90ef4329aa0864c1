/* qemu_monitor.c: asynchronous QMP client (see qemu_monitor.h for the contract) */

/*
 * Thread protocol.
 *
 * - One I/O thread ("qemu-mon-io") for all monitors runs monIOContext. It
 *   alone reads and writes monitor sockets, parses lines, completes
 *   commands and calls the event/eof callbacks. It never blocks: sockets
 *   are non-blocking and it waits on nothing but its poll.
 * - API threads queue a command (mon->lock), kick the I/O thread with
 *   g_main_context_invoke, then sleep on mon->cond until the command is
 *   done or its deadline passes. They never touch the socket.
 * - A command may carry a descriptor (getfd): it rides as SCM_RIGHTS on
 *   the first byte of that command's text, sent alone by the I/O thread
 *   (sendFds holds them in wbuf order with their byte position).
 * - mon->lock protects: wbuf, pending, dead/closed and the error fields,
 *   and every qemuMonitorMsg reachable from pending. It is never held while
 *   a callback runs, nor across I/O.
 * - Lifetime: mon->refs. The caller's reference is dropped by
 *   qemuMonitorClose; each API call and each invoke queued to the I/O
 *   thread hold one. The fd sources hold none: they are destroyed by the
 *   teardown, which runs on the I/O thread (inline when Close is called
 *   from a callback, else via invoke while Close waits). Hence after Close
 *   returns no callback runs.
 * - A qemuMonitorMsg belongs to its waiter. If the waiter gives up (deadline)
 *   it marks the message abandoned and leaves it in pending, so in-order
 *   matching stays right; whoever unlinks an abandoned message frees it.
 * - json-c objects are not thread-safe (plain reference count, per-object
 *   print buffer): a reply is handed to its waiter with the I/O thread's
 *   only reference, and the I/O thread never touches it again.
 */

#define G_LOG_DOMAIN "virtkit.qemu.monitor"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <glib-unix.h>

#include "qemu_monitor.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

G_DEFINE_AUTOPTR_CLEANUP_FUNC(json_tokener, json_tokener_free);

typedef struct {
    char *cmd; /* for messages */
    char *id;
    json_object *reply; /* the whole reply once done */
    bool done;
    bool abandoned;
    bool eof;    /* failed because the connection ended plainly */
    int errCode; /* failure: code and detail, 0 if none */
    char *errMsg;
} qemuMonitorMsg;

struct _qemuMonitor {
    gint refs;
    GMutex lock;
    GCond cond;

    int fd;
    GSource *inSource;  /* I/O thread only */
    GSource *outSource; /* I/O thread only; set while wbuf is not empty */
    GString *rbuf;      /* I/O thread only */
    size_t scanned;     /* bytes of rbuf known to hold no newline */

    GString *wbuf;         /* lock */
    guint64 wQueued;       /* lock; bytes ever appended to wbuf */
    guint64 wSent;         /* lock; bytes ever sent from wbuf */
    GQueue sendFds;        /* lock; qemuMonitorSendFd *, in wbuf order */
    GQueue pending;        /* lock; qemuMonitorMsg *, in send order */
    bool greeted;          /* lock */
    bool dead;             /* lock; EOF, error or close */
    bool closed;           /* lock; qemuMonitorClose was called */
    bool opening;          /* lock; no eof callback while Open runs */
    bool tornDown;         /* lock */
    int deadCode;          /* lock */
    char *deadMsg;         /* lock */
    bool deadIsEOF;        /* lock */
    guint64 nextId;        /* lock */
    unsigned long version; /* set before Open returns */

    qemuMonitorCallbacks cb;
    void *opaque;
};

static GMainContext *monIOContext;

/* A descriptor to pass with the command text starting at byte @pos. */
typedef struct {
    guint64 pos;
    int fd; /* owned */
} qemuMonitorSendFd;

static void
qemuMonitorSendFdFree(gpointer data)
{
    qemuMonitorSendFd *sfd = data;

    if (sfd->fd >= 0)
        close(sfd->fd);
    g_free(sfd);
}

static gpointer
qemuMonitorIOThread(gpointer data)
{
    GMainLoop *loop = data;

    g_main_context_push_thread_default(monIOContext);
    g_main_loop_run(loop);
    return NULL;
}

static gpointer
qemuMonitorIOInit(gpointer data)
{
    GMainLoop *loop;

    monIOContext = g_main_context_new();
    loop = g_main_loop_new(monIOContext, FALSE);
    /* Never joined: the I/O thread lives as long as the process. */
    g_thread_unref(g_thread_new("qemu-mon-io", qemuMonitorIOThread, loop));
    return NULL;
}

GMainContext *
qemuMonitorGetIOContext(void)
{
    static GOnce once = G_ONCE_INIT;

    g_once(&once, qemuMonitorIOInit, NULL);
    return monIOContext;
}

static bool
qemuMonitorOnIOThread(void)
{
    return g_main_context_is_owner(qemuMonitorGetIOContext());
}

static qemuMonitor *
qemuMonitorRef(qemuMonitor *mon)
{
    g_atomic_int_inc(&mon->refs);
    return mon;
}

static void
qemuMonitorMsgFree(qemuMonitorMsg *msg)
{
    if (!msg)
        return;
    g_free(msg->cmd);
    g_free(msg->id);
    if (msg->reply)
        json_object_put(msg->reply);
    g_free(msg->errMsg);
    g_free(msg);
}

static void
qemuMonitorUnref(qemuMonitor *mon)
{
    qemuMonitorMsg *msg;

    if (!mon || !g_atomic_int_dec_and_test(&mon->refs))
        return;
    g_assert(!mon->inSource && !mon->outSource);
    while ((msg = g_queue_pop_head(&mon->pending)))
        qemuMonitorMsgFree(msg); /* only abandoned ones can be left */
    if (mon->fd >= 0)
        close(mon->fd);
    g_string_free(mon->rbuf, TRUE);
    g_string_free(mon->wbuf, TRUE);
    g_queue_clear_full(&mon->sendFds, qemuMonitorSendFdFree);
    g_free(mon->deadMsg);
    g_mutex_clear(&mon->lock);
    g_cond_clear(&mon->cond);
    g_free(mon);
}

/* Fail every pending command. Called with mon->lock held. */
static void
qemuMonitorFailPendingLocked(qemuMonitor *mon)
{
    qemuMonitorMsg *msg;

    while ((msg = g_queue_pop_head(&mon->pending))) {
        if (msg->abandoned) {
            qemuMonitorMsgFree(msg);
            continue;
        }
        msg->done = true;
        msg->eof = mon->deadIsEOF;
        msg->errCode = mon->deadCode;
        msg->errMsg = g_strdup(mon->deadMsg);
    }
    g_cond_broadcast(&mon->cond);
}

/* Mark the monitor dead (first cause wins). Called with mon->lock held. */
static void
qemuMonitorSetDeadLocked(qemuMonitor *mon, int code, bool isEOF, const char *msg)
{
    if (!mon->dead) {
        mon->dead = true;
        mon->deadCode = code;
        mon->deadIsEOF = isEOF;
        mon->deadMsg = g_strdup(msg);
        g_debug("monitor %p dead: %s", (void *)mon, msg);
    }
    qemuMonitorFailPendingLocked(mon);
}

/* I/O thread: drop the fd sources and close the socket. The monitor
 * counts as torn down (qemuMonitorClose may return) only once
 * qemuMonitorTeardownDone has run too. */
static void
qemuMonitorTeardownIO(qemuMonitor *mon)
{
    if (mon->inSource) {
        g_source_destroy(mon->inSource);
        g_source_unref(mon->inSource);
        mon->inSource = NULL;
    }
    if (mon->outSource) {
        g_source_destroy(mon->outSource);
        g_source_unref(mon->outSource);
        mon->outSource = NULL;
    }
    g_mutex_lock(&mon->lock);
    if (mon->fd >= 0) {
        close(mon->fd);
        mon->fd = -1;
    }
    g_mutex_unlock(&mon->lock);
}

static void
qemuMonitorTeardownDone(qemuMonitor *mon)
{
    g_mutex_lock(&mon->lock);
    mon->tornDown = true;
    g_cond_broadcast(&mon->cond);
    g_mutex_unlock(&mon->lock);
}

static void
qemuMonitorTeardown(qemuMonitor *mon)
{
    qemuMonitorTeardownIO(mon);
    qemuMonitorTeardownDone(mon);
}

/* I/O thread: the connection ended (EOF when @isEOF, else an error).
 * Fails waiters, tears down and calls the eof callback unless closed. */
static void
qemuMonitorHangup(qemuMonitor *mon, bool isEOF, const char *reason)
{
    bool notify;

    g_mutex_lock(&mon->lock);
    if (isEOF)
        qemuMonitorSetDeadLocked(mon, VIR_ERR_OPERATION_FAILED, true,
                                 "End of file from QEMU monitor");
    else
        qemuMonitorSetDeadLocked(mon, VIR_ERR_INTERNAL_ERROR, false, reason);
    notify = !mon->closed && !mon->opening;
    g_mutex_unlock(&mon->lock);

    /* tornDown only after the callback: a qemuMonitorClose in another
     * thread waits for it, so no callback runs once Close has returned. */
    qemuMonitorTeardownIO(mon);
    if (notify && mon->cb.eof)
        mon->cb.eof(mon, !isEOF, isEOF ? "end of file" : reason, mon->opaque);
    qemuMonitorTeardownDone(mon);
}

static bool
qemuMonitorIsClosed(qemuMonitor *mon)
{
    bool closed;

    g_mutex_lock(&mon->lock);
    closed = mon->closed;
    g_mutex_unlock(&mon->lock);
    return closed;
}

static gint64
qemuMonitorEventTimestamp(json_object *msg)
{
    json_object *ts;
    json_object *sec;
    json_object *usec;

    gint64 s;
    gint64 us;

    if (!json_object_object_get_ex(msg, "timestamp", &ts) ||
        !json_object_object_get_ex(ts, "seconds", &sec) ||
        !json_object_object_get_ex(ts, "microseconds", &usec))
        return -1;
    s = json_object_get_int64(sec);
    us = json_object_get_int64(usec);
    /* Whatever QEMU sends: a time that does not fit counts as absent
     * (the product overflowed: undefined behaviour, shown by fuzz-qmp). */
    if (s < 0 || us < 0 || s > G_MAXINT64 / G_USEC_PER_SEC ||
        us > G_MAXINT64 - s * G_USEC_PER_SEC)
        return -1;
    return s * G_USEC_PER_SEC + us;
}

/* I/O thread: a complete reply. Matched by id, else to the oldest command.
 * Takes over the caller's reference to @obj. */
static void
qemuMonitorHandleReply(qemuMonitor *mon, json_object *obj)
{
    json_object *idobj = NULL;
    const char *id = NULL;
    GList *link = NULL;
    qemuMonitorMsg *msg;

    if (json_object_object_get_ex(obj, "id", &idobj) &&
        json_object_is_type(idobj, json_type_string))
        id = json_object_get_string(idobj);

    g_mutex_lock(&mon->lock);
    if (id) {
        for (link = mon->pending.head; link; link = link->next) {
            if (g_str_equal(((qemuMonitorMsg *)link->data)->id, id))
                break;
        }
    } else {
        link = mon->pending.head;
    }
    if (!link) {
        g_mutex_unlock(&mon->lock);
        g_debug("monitor %p: reply matches no command, dropped", (void *)mon);
        json_object_put(obj);
        return;
    }
    msg = link->data;
    g_queue_delete_link(&mon->pending, link);
    if (msg->abandoned) {
        qemuMonitorMsgFree(msg);
        json_object_put(obj);
    } else {
        /* Hand over our only reference: json-c's reference count is not
         * atomic, so once the waiter can see the reply this thread must not
         * get or put it (a put here racing the waiter's get/put loses an
         * update and frees the reply twice or under the waiter). */
        msg->reply = obj;
        msg->done = true;
        g_cond_broadcast(&mon->cond);
    }
    g_mutex_unlock(&mon->lock);
}

/* I/O thread: one line. Returns false if the monitor must die (@err set). */
static bool
qemuMonitorHandleLine(qemuMonitor *mon, const char *line, size_t len, char **err)
{
    g_autoptr(json_tokener) tok = json_tokener_new();
    json_object *obj;
    json_object *val;

    while (len > 0 && (line[len - 1] == '\r' || g_ascii_isspace(line[len - 1])))
        len--;
    if (len == 0)
        return true;
    g_debug("QMP <- %.*s", (int)MIN(len, 4096), line);

    obj = json_tokener_parse_ex(tok, line, len);
    if (!obj || json_tokener_get_error(tok) != json_tokener_success ||
        json_tokener_get_parse_end(tok) != len ||
        !json_object_is_type(obj, json_type_object)) {
        if (obj)
            json_object_put(obj);
        *err = g_strdup_printf("cannot parse QEMU monitor reply: %.*s",
                               (int)MIN(len, 256), line);
        return false;
    }

    if (json_object_object_get_ex(obj, "QMP", &val)) {
        json_object *q;
        json_object *v;

        if (json_object_object_get_ex(val, "version", &v) &&
            json_object_object_get_ex(v, "qemu", &q)) {
            json_object *maj = NULL, *min = NULL, *mic = NULL;

            json_object_object_get_ex(q, "major", &maj);
            json_object_object_get_ex(q, "minor", &min);
            json_object_object_get_ex(q, "micro", &mic);
            mon->version = json_object_get_int(maj) * 1000000UL +
                           json_object_get_int(min) * 1000UL + json_object_get_int(mic);
        }
        g_mutex_lock(&mon->lock);
        mon->greeted = true;
        g_cond_broadcast(&mon->cond);
        g_mutex_unlock(&mon->lock);
    } else if (json_object_object_get_ex(obj, "event", &val)) {
        json_object *data = NULL;
        const char *name = json_object_get_string(val);

        if (!json_object_is_type(val, json_type_string)) {
            json_object_put(obj);
            *err = g_strdup("QEMU monitor sent an event without a name");
            return false;
        }
        json_object_object_get_ex(obj, "data", &data);
        if (mon->cb.event && !qemuMonitorIsClosed(mon))
            mon->cb.event(mon, name, data, qemuMonitorEventTimestamp(obj), mon->opaque);
    } else if (json_object_object_get_ex(obj, "return", NULL) ||
               json_object_object_get_ex(obj, "error", NULL)) {
        qemuMonitorHandleReply(mon, obj); /* owns @obj now */
        return true;
    } else {
        g_debug("monitor %p: unknown message ignored", (void *)mon);
    }
    json_object_put(obj);
    return true;
}

static gboolean
qemuMonitorOnReadable(gint fd, GIOCondition cond, gpointer data)
{
    qemuMonitor *mon = data;
    char chunk[65536];
    g_autofree char *err = NULL;
    ssize_t got;
    bool isEOF = false;

    qemuMonitorRef(mon);
    for (;;) {
        char *nl;

        got = read(fd, chunk, sizeof(chunk));
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        if (got < 0 && errno == ECONNRESET) {
            isEOF = true;
            break;
        }
        if (got < 0) {
            err = g_strdup_printf("cannot read from QEMU monitor: %s", g_strerror(errno));
            break;
        }
        if (got == 0) {
            isEOF = true;
            break;
        }
        g_string_append_len(mon->rbuf, chunk, got);

        while ((nl = memchr(mon->rbuf->str + mon->scanned, '\n',
                            mon->rbuf->len - mon->scanned))) {
            size_t len = nl - mon->rbuf->str;

            if (len > QEMU_MONITOR_MAX_LINE) {
                err =
                    g_strdup_printf("QEMU monitor reply exceeds the maximum of %d bytes",
                                    QEMU_MONITOR_MAX_LINE);
                break;
            }
            if (!qemuMonitorHandleLine(mon, mon->rbuf->str, len, &err))
                break;
            g_string_erase(mon->rbuf, 0, len + 1);
            mon->scanned = 0;
            if (qemuMonitorIsClosed(mon))
                goto out; /* closed from a callback: torn down already */
        }
        if (err)
            break;
        mon->scanned = mon->rbuf->len;
        if (mon->rbuf->len > QEMU_MONITOR_MAX_LINE) {
            err = g_strdup_printf("QEMU monitor reply exceeds the maximum of %d bytes",
                                  QEMU_MONITOR_MAX_LINE);
            break;
        }
    }

    if (err) {
        qemuMonitorHangup(mon, false, err);
    } else if (isEOF) {
        if (mon->rbuf->len > 0)
            g_debug("monitor %p: %zu bytes of a truncated line at EOF", (void *)mon,
                    mon->rbuf->len);
        qemuMonitorHangup(mon, true, NULL);
    }
out:
    qemuMonitorUnref(mon);
    /* The teardown has destroyed the source if the monitor died. */
    return G_SOURCE_CONTINUE;
}

static gboolean qemuMonitorOnWritable(gint fd, GIOCondition cond, gpointer data);

/* I/O thread: write what we can; watch for writability if some is left. */
static void
qemuMonitorFlush(qemuMonitor *mon)
{
    g_autofree char *err = NULL;
    int werr = 0;

    g_mutex_lock(&mon->lock);
    while (mon->fd >= 0 && mon->wbuf->len > 0) {
        qemuMonitorSendFd *sfd = g_queue_peek_head(&mon->sendFds);
        size_t len = mon->wbuf->len;
        ssize_t n;

        if (sfd && sfd->pos == mon->wSent) {
            /* the descriptor rides on the first byte of its command */
            char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
            struct iovec iov = { .iov_base = mon->wbuf->str, .iov_len = 1 };
            struct msghdr mh = { .msg_iov = &iov,
                                 .msg_iovlen = 1,
                                 .msg_control = cbuf,
                                 .msg_controllen = sizeof(cbuf) };
            struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);

            cm->cmsg_level = SOL_SOCKET;
            cm->cmsg_type = SCM_RIGHTS;
            cm->cmsg_len = CMSG_LEN(sizeof(int));
            memcpy(CMSG_DATA(cm), &sfd->fd, sizeof(int));
            n = sendmsg(mon->fd, &mh, MSG_NOSIGNAL);
            if (n > 0)
                qemuMonitorSendFdFree(g_queue_pop_head(&mon->sendFds));
        } else {
            if (sfd && sfd->pos > mon->wSent)
                len = MIN(len, sfd->pos - mon->wSent);
            n = send(mon->fd, mon->wbuf->str, len, MSG_NOSIGNAL);
        }

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        if (n < 0) {
            werr = errno;
            err = g_strdup_printf("cannot write to QEMU monitor: %s", g_strerror(werr));
            break;
        }
        g_string_erase(mon->wbuf, 0, n);
        mon->wSent += n;
    }
    if (err) {
        g_mutex_unlock(&mon->lock);
        /* EPIPE/ECONNRESET: QEMU went away; the reader reports the EOF. */
        if (werr == EPIPE || werr == ECONNRESET)
            qemuMonitorHangup(mon, true, NULL);
        else
            qemuMonitorHangup(mon, false, err);
        return;
    }
    if (mon->fd >= 0 && mon->wbuf->len > 0 && !mon->outSource) {
        mon->outSource = g_unix_fd_source_new(mon->fd, G_IO_OUT);
        g_source_set_callback(mon->outSource, G_SOURCE_FUNC(qemuMonitorOnWritable), mon,
                              NULL);
        g_source_attach(mon->outSource, monIOContext);
    } else if (mon->wbuf->len == 0 && mon->outSource) {
        g_source_destroy(mon->outSource);
        g_source_unref(mon->outSource);
        mon->outSource = NULL;
    }
    g_mutex_unlock(&mon->lock);
}

static gboolean
qemuMonitorOnWritable(gint fd, GIOCondition cond, gpointer data)
{
    qemuMonitor *mon = data;

    qemuMonitorRef(mon);
    qemuMonitorFlush(mon);
    qemuMonitorUnref(mon);
    return G_SOURCE_CONTINUE;
}

static gboolean
qemuMonitorKick(gpointer data)
{
    qemuMonitor *mon = data;

    if (mon->inSource)
        qemuMonitorFlush(mon);
    return G_SOURCE_REMOVE;
}

static gboolean
qemuMonitorStart(gpointer data)
{
    qemuMonitor *mon = data;

    g_mutex_lock(&mon->lock);
    if (mon->tornDown) {
        g_mutex_unlock(&mon->lock);
        return G_SOURCE_REMOVE;
    }
    g_mutex_unlock(&mon->lock);
    mon->inSource = g_unix_fd_source_new(mon->fd, G_IO_IN | G_IO_HUP | G_IO_ERR);
    g_source_set_callback(mon->inSource, G_SOURCE_FUNC(qemuMonitorOnReadable), mon, NULL);
    g_source_attach(mon->inSource, monIOContext);
    return G_SOURCE_REMOVE;
}

static gboolean
qemuMonitorTeardownInvoke(gpointer data)
{
    qemuMonitorTeardown(data);
    return G_SOURCE_REMOVE;
}

/* Run @func(mon) on the I/O thread soon, holding a reference meanwhile. */
static void
qemuMonitorInvoke(qemuMonitor *mon, GSourceFunc func)
{
    g_main_context_invoke_full(qemuMonitorGetIOContext(), G_PRIORITY_DEFAULT, func,
                               qemuMonitorRef(mon), (GDestroyNotify)qemuMonitorUnref);
}

static void
qemuMonitorReportMsgError(qemuMonitorMsg *msg)
{
    virReportError(msg->errCode, "%s", msg->errMsg);
}

/*
 * Queue @obj (a command object; "id" is set here) and wait for its reply
 * until @deadline (monotonic µs). Returns the message (done, with reply or
 * error fields set) for the caller to inspect and free, or NULL on
 * timeout (OPERATION_TIMEOUT reported).
 */
static qemuMonitorMsg *
qemuMonitorSendWithFd(qemuMonitor *mon, const char *cmd, json_object *obj,
                      gint64 deadline, int sendFd)
{
    qemuMonitorMsg *msg = g_new0(qemuMonitorMsg, 1);
    const char *text;

    g_assert(!qemuMonitorOnIOThread());
    msg->cmd = g_strdup(cmd);

    g_mutex_lock(&mon->lock);
    if (mon->dead) {
        msg->done = true;
        msg->eof = mon->deadIsEOF;
        msg->errCode = mon->deadCode;
        msg->errMsg = g_strdup(mon->deadMsg);
        g_mutex_unlock(&mon->lock);
        if (sendFd >= 0)
            close(sendFd);
        return msg;
    }
    msg->id = g_strdup_printf("virtkit-%" G_GUINT64_FORMAT, ++mon->nextId);
    json_object_object_add(obj, "id", json_object_new_string(msg->id));
    text = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
                                                   JSON_C_TO_STRING_NOSLASHESCAPE);
    g_debug("QMP -> %s%s", text, sendFd >= 0 ? " (with a descriptor)" : "");
    if (sendFd >= 0) {
        qemuMonitorSendFd *sfd = g_new0(qemuMonitorSendFd, 1);

        sfd->pos = mon->wQueued;
        sfd->fd = sendFd;
        g_queue_push_tail(&mon->sendFds, sfd);
    }
    g_string_append(mon->wbuf, text);
    g_string_append_c(mon->wbuf, '\n');
    mon->wQueued += strlen(text) + 1;
    g_queue_push_tail(&mon->pending, msg);
    g_mutex_unlock(&mon->lock);

    qemuMonitorInvoke(mon, qemuMonitorKick);

    g_mutex_lock(&mon->lock);
    while (!msg->done) {
        if (!g_cond_wait_until(&mon->cond, &mon->lock, deadline))
            break;
    }
    if (!msg->done) {
        msg->abandoned = true; /* the I/O thread frees it */
        g_mutex_unlock(&mon->lock);
        virReportError(VIR_ERR_OPERATION_TIMEOUT,
                       "QEMU monitor did not answer '%s' in time", cmd);
        return NULL;
    }
    g_mutex_unlock(&mon->lock);
    return msg;
}

/*
 * The two halves of qemuMonitorSend for callers that keep several
 * commands in flight (qemuMonitorSubmit / qemuMonitorAwait): enqueue now,
 * wait later. A pending command holds a reference on its monitor.
 */
struct _qemuMonitorPending {
    qemuMonitor *mon;
    qemuMonitorMsg *msg; /* NULL: failed before sending (error in errCode/errMsg) */
    char *cmd;
    int errCode;
    char *errMsg;
};

qemuMonitorPending *
qemuMonitorSubmit(qemuMonitor *mon, const char *cmd, json_object *args)
{
    g_autoptr(json_object) obj = json_object_new_object();
    qemuMonitorPending *p = g_new0(qemuMonitorPending, 1);
    qemuMonitorMsg *msg = g_new0(qemuMonitorMsg, 1);
    const char *text;

    g_assert(!qemuMonitorOnIOThread());
    json_object_object_add(obj, "execute", json_object_new_string(cmd));
    if (args)
        json_object_object_add(obj, "arguments", json_object_get(args));
    p->mon = qemuMonitorRef(mon);
    p->cmd = g_strdup(cmd);
    msg->cmd = g_strdup(cmd);

    g_mutex_lock(&mon->lock);
    if (mon->dead) {
        p->errCode = mon->deadCode;
        p->errMsg = g_strdup(mon->deadMsg);
        g_mutex_unlock(&mon->lock);
        qemuMonitorMsgFree(msg);
        return p;
    }
    msg->id = g_strdup_printf("virtkit-%" G_GUINT64_FORMAT, ++mon->nextId);
    json_object_object_add(obj, "id", json_object_new_string(msg->id));
    text = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
                                                   JSON_C_TO_STRING_NOSLASHESCAPE);
    g_debug("QMP -> %s", text);
    g_string_append(mon->wbuf, text);
    g_string_append_c(mon->wbuf, '\n');
    mon->wQueued += strlen(text) + 1;
    g_queue_push_tail(&mon->pending, msg);
    p->msg = msg;
    g_mutex_unlock(&mon->lock);

    qemuMonitorInvoke(mon, qemuMonitorKick);
    return p;
}

int
qemuMonitorAwait(qemuMonitorPending *p, int timeout_ms, json_object **reply)
{
    qemuMonitor *mon = p->mon;
    gint64 deadline;
    json_object *err;
    int ret = -1;

    if (timeout_ms < 0)
        timeout_ms = QEMU_MONITOR_DEFAULT_TIMEOUT_MS;
    deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
    if (!p->msg) {
        virReportError(p->errCode, "%s", p->errMsg);
        goto cleanup;
    }
    g_mutex_lock(&mon->lock);
    while (!p->msg->done) {
        if (!g_cond_wait_until(&mon->cond, &mon->lock, deadline))
            break;
    }
    if (!p->msg->done) {
        p->msg->abandoned = true; /* the I/O thread frees it */
        p->msg = NULL;
        g_mutex_unlock(&mon->lock);
        virReportError(VIR_ERR_OPERATION_TIMEOUT,
                       "QEMU monitor did not answer '%s' in time", p->cmd);
        goto cleanup;
    }
    g_mutex_unlock(&mon->lock);
    if (p->msg->errCode) {
        qemuMonitorReportMsgError(p->msg);
    } else if (json_object_object_get_ex(p->msg->reply, "error", &err)) {
        json_object *desc = NULL;

        json_object_object_get_ex(err, "desc", &desc);
        virReportError(VIR_ERR_INTERNAL_ERROR, "unable to execute QEMU command '%s': %s",
                       p->cmd, desc ? json_object_get_string(desc) : "unknown error");
    } else {
        if (reply) {
            json_object *r = NULL;

            json_object_object_get_ex(p->msg->reply, "return", &r);
            *reply = json_object_get(r);
        }
        ret = 0;
    }

cleanup:
    qemuMonitorPendingFree(p);
    return ret;
}

void
qemuMonitorPendingFree(qemuMonitorPending *p)
{
    if (!p)
        return;
    if (p->msg) {
        g_mutex_lock(&p->mon->lock);
        if (!p->msg->done) {
            p->msg->abandoned = true; /* the I/O thread frees it */
            p->msg = NULL;
        }
        g_mutex_unlock(&p->mon->lock);
        qemuMonitorMsgFree(p->msg);
    }
    qemuMonitorUnref(p->mon);
    g_free(p->cmd);
    g_free(p->errMsg);
    g_free(p);
}

static gint64
qemuMonitorDeadline(int timeout_ms)
{
    if (timeout_ms < 0)
        timeout_ms = QEMU_MONITOR_DEFAULT_TIMEOUT_MS;
    return g_get_monotonic_time() + (gint64)timeout_ms * 1000;
}

/* Send and check the reply. 0 with *reply = the whole reply (if wanted),
 * -1 with an error reported. *wasEOF tells whether it failed by plain EOF. */
static int
qemuMonitorCommandFullFd(qemuMonitor *mon, const char *cmd, json_object *obj,
                         gint64 deadline, json_object **reply, bool *wasEOF, int sendFd)
{
    qemuMonitorMsg *msg;
    json_object *err;
    int ret = -1;

    if (wasEOF)
        *wasEOF = false;
    qemuMonitorRef(mon);
    if (!(msg = qemuMonitorSendWithFd(mon, cmd, obj, deadline, sendFd)))
        goto cleanup;
    if (msg->errCode) {
        if (wasEOF)
            *wasEOF = msg->eof;
        qemuMonitorReportMsgError(msg);
    } else if (json_object_object_get_ex(msg->reply, "error", &err)) {
        json_object *desc = NULL;

        json_object_object_get_ex(err, "desc", &desc);
        virReportError(VIR_ERR_INTERNAL_ERROR, "unable to execute QEMU command '%s': %s",
                       cmd, desc ? json_object_get_string(desc) : "unknown error");
    } else {
        if (reply)
            *reply = json_object_get(msg->reply);
        ret = 0;
    }
    qemuMonitorMsgFree(msg);
cleanup:
    qemuMonitorUnref(mon);
    return ret;
}

static int
qemuMonitorCommandFull(qemuMonitor *mon, const char *cmd, json_object *obj,
                       gint64 deadline, json_object **reply, bool *wasEOF)
{
    return qemuMonitorCommandFullFd(mon, cmd, obj, deadline, reply, wasEOF, -1);
}

int
qemuMonitorSendFileHandle(qemuMonitor *mon, const char *fdname, int fd, int timeout_ms)
{
    g_autoptr(json_object) obj = json_object_new_object();
    g_autoptr(json_object) args = json_object_new_object();
    int copy;

    if ((copy = fcntl(fd, F_DUPFD_CLOEXEC, 3)) < 0) {
        virReportSystemError(errno, "%s", "unable to duplicate a descriptor for QEMU");
        return -1;
    }
    json_object_object_add(args, "fdname", json_object_new_string(fdname));
    json_object_object_add(obj, "execute", json_object_new_string("getfd"));
    json_object_object_add(obj, "arguments", json_object_get(args));
    return qemuMonitorCommandFullFd(mon, "getfd", obj, qemuMonitorDeadline(timeout_ms),
                                    NULL, NULL, copy);
}

int
qemuMonitorAddFd(qemuMonitor *mon, int fd, int timeout_ms, int *fdset)
{
    return qemuMonitorAddFdFull(mon, fd, timeout_ms, fdset, NULL);
}

int
qemuMonitorAddFdFull(qemuMonitor *mon, int fd, int timeout_ms, int *fdset, int *qemufd)
{
    g_autoptr(json_object) obj = json_object_new_object();
    g_autoptr(json_object) reply = NULL;
    json_object *ret = NULL;
    json_object *id = NULL;
    int copy;

    if ((copy = fcntl(fd, F_DUPFD_CLOEXEC, 3)) < 0) {
        virReportSystemError(errno, "%s", "unable to duplicate a descriptor for QEMU");
        return -1;
    }
    json_object_object_add(obj, "execute", json_object_new_string("add-fd"));
    if (qemuMonitorCommandFullFd(mon, "add-fd", obj, qemuMonitorDeadline(timeout_ms),
                                 &reply, NULL, copy) < 0)
        return -1;
    if (!json_object_object_get_ex(reply, "return", &ret) ||
        !json_object_object_get_ex(ret, "fdset-id", &id) ||
        !json_object_is_type(id, json_type_int)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "missing or invalid 'fdset-id' in the reply to 'add-fd'");
        return -1;
    }
    if (qemufd) {
        json_object *num = NULL;

        if (!json_object_object_get_ex(ret, "fd", &num) ||
            !json_object_is_type(num, json_type_int)) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                           "missing or invalid 'fd' in the reply to 'add-fd'");
            qemuMonitorRemoveFdset(mon, json_object_get_int(id), timeout_ms);
            return -1;
        }
        *qemufd = json_object_get_int(num);
    }
    *fdset = json_object_get_int(id);
    return 0;
}

void
qemuMonitorRemoveFdset(qemuMonitor *mon, int fdset, int timeout_ms)
{
    g_autoptr(json_object) args = json_object_new_object();

    virErrorPtr saved = NULL;

    /* best effort, and the caller's error (if any) survives it */
    virErrorPreserveLast(&saved);
    json_object_object_add(args, "fdset-id", json_object_new_int(fdset));
    if (qemuMonitorCommand(mon, "remove-fd", args, timeout_ms, NULL) < 0)
        g_debug("remove-fd of fdset %d failed", fdset);
    virErrorRestore(&saved);
}

int
qemuMonitorCommand(qemuMonitor *mon, const char *cmd, json_object *args, int timeout_ms,
                   json_object **reply)
{
    g_autoptr(json_object) obj = json_object_new_object();
    g_autoptr(json_object) full = NULL;

    json_object_object_add(obj, "execute", json_object_new_string(cmd));
    if (args)
        json_object_object_add(obj, "arguments", json_object_get(args));
    if (qemuMonitorCommandFull(mon, cmd, obj, qemuMonitorDeadline(timeout_ms),
                               reply ? &full : NULL, NULL) < 0)
        return -1;
    if (reply) {
        json_object *ret = NULL;

        json_object_object_get_ex(full, "return", &ret);
        *reply = json_object_get(ret);
    }
    return 0;
}

int
qemuMonitorCommandText(qemuMonitor *mon, const char *json, int timeout_ms, char **reply)
{
    g_autoptr(json_object) obj = json_tokener_parse(json);
    g_autoptr(json_object) full = NULL;
    json_object *exec = NULL;

    if (!obj || !json_object_is_type(obj, json_type_object) ||
        !json_object_object_get_ex(obj, "execute", &exec) ||
        !json_object_is_type(exec, json_type_string)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "cannot parse QEMU monitor command '%s'",
                       json);
        return -1;
    }
    json_object_object_del(obj, "id");
    if (qemuMonitorCommandFull(mon, json_object_get_string(exec), obj,
                               qemuMonitorDeadline(timeout_ms), &full, NULL) < 0)
        return -1;
    if (reply)
        *reply = g_strdup(json_object_to_json_string_ext(full, JSON_C_TO_STRING_PLAIN));
    return 0;
}

qemuMonitor *
qemuMonitorOpen(int fd, const qemuMonitorCallbacks *cb, void *opaque, int timeout_ms)
{
    qemuMonitor *mon;
    gint64 deadline = qemuMonitorDeadline(timeout_ms);
    g_autoptr(json_object) caps = json_object_new_object();
    int flags;

    if ((flags = fcntl(fd, F_GETFL)) < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0 ||
        fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
        virReportSystemError(errno, "%s", "cannot set up the QEMU monitor socket");
        close(fd);
        return NULL;
    }
    qemuMonitorGetIOContext();

    mon = g_new0(qemuMonitor, 1);
    mon->refs = 1;
    mon->fd = fd;
    g_mutex_init(&mon->lock);
    g_cond_init(&mon->cond);
    g_queue_init(&mon->pending);
    mon->rbuf = g_string_new(NULL);
    mon->wbuf = g_string_new(NULL);
    mon->opening = true;
    if (cb)
        mon->cb = *cb;
    mon->opaque = opaque;

    qemuMonitorInvoke(mon, qemuMonitorStart);

    g_mutex_lock(&mon->lock);
    while (!mon->greeted && !mon->dead) {
        if (!g_cond_wait_until(&mon->cond, &mon->lock, deadline))
            break;
    }
    if (!mon->greeted) {
        if (mon->dead)
            virReportError(VIR_ERR_OPERATION_FAILED,
                           "QEMU monitor closed before its greeting: %s", mon->deadMsg);
        else
            virReportError(VIR_ERR_OPERATION_TIMEOUT, "%s",
                           "QEMU monitor did not send its greeting in time");
        g_mutex_unlock(&mon->lock);
        goto error;
    }
    g_mutex_unlock(&mon->lock);

    json_object_object_add(caps, "execute", json_object_new_string("qmp_capabilities"));
    if (qemuMonitorCommandFull(mon, "qmp_capabilities", caps, deadline, NULL, NULL) < 0)
        goto error;

    g_mutex_lock(&mon->lock);
    mon->opening = false;
    if (mon->dead) {
        virReportError(VIR_ERR_OPERATION_FAILED,
                       "QEMU monitor closed during the handshake: %s", mon->deadMsg);
        mon->opening = true;
        g_mutex_unlock(&mon->lock);
        goto error;
    }
    g_mutex_unlock(&mon->lock);
    return mon;

error:
    qemuMonitorClose(mon);
    return NULL;
}

void
qemuMonitorClose(qemuMonitor *mon)
{
    if (!mon)
        return;

    g_mutex_lock(&mon->lock);
    mon->closed = true;
    qemuMonitorSetDeadLocked(mon, VIR_ERR_OPERATION_FAILED, false,
                             "QEMU monitor was closed");
    g_mutex_unlock(&mon->lock);

    if (qemuMonitorOnIOThread()) {
        qemuMonitorTeardown(mon);
    } else {
        qemuMonitorInvoke(mon, qemuMonitorTeardownInvoke);
        g_mutex_lock(&mon->lock);
        while (!mon->tornDown)
            g_cond_wait(&mon->cond, &mon->lock);
        g_mutex_unlock(&mon->lock);
    }
    qemuMonitorUnref(mon);
}

unsigned long
qemuMonitorGetVersion(qemuMonitor *mon)
{
    return mon->version;
}

bool
qemuMonitorIsDead(qemuMonitor *mon)
{
    bool dead;

    g_mutex_lock(&mon->lock);
    dead = mon->dead;
    g_mutex_unlock(&mon->lock);
    return dead;
}

int
qemuMonitorCont(qemuMonitor *mon)
{
    return qemuMonitorCommand(mon, "cont", NULL, -1, NULL);
}

int
qemuMonitorStop(qemuMonitor *mon)
{
    return qemuMonitorCommand(mon, "stop", NULL, -1, NULL);
}

int
qemuMonitorSystemPowerdown(qemuMonitor *mon)
{
    return qemuMonitorCommand(mon, "system_powerdown", NULL, -1, NULL);
}

int
qemuMonitorSystemReset(qemuMonitor *mon)
{
    return qemuMonitorCommand(mon, "system_reset", NULL, -1, NULL);
}

int
qemuMonitorQuit(qemuMonitor *mon)
{
    g_autoptr(json_object) obj = json_object_new_object();
    bool wasEOF = false;

    json_object_object_add(obj, "execute", json_object_new_string("quit"));
    if (qemuMonitorCommandFull(mon, "quit", obj, qemuMonitorDeadline(-1), NULL, &wasEOF) <
        0) {
        if (!wasEOF)
            return -1;
        /* QEMU may close the socket before its reply reaches us: it quit. */
        virResetLastError();
    }
    return 0;
}

int
qemuMonitorQueryStatus(qemuMonitor *mon, char **status, bool *running)
{
    g_autoptr(json_object) reply = NULL;
    json_object *st = NULL;
    json_object *run = NULL;

    if (qemuMonitorCommand(mon, "query-status", NULL, -1, &reply) < 0)
        return -1;
    if (!json_object_object_get_ex(reply, "status", &st) ||
        !json_object_is_type(st, json_type_string) ||
        !json_object_object_get_ex(reply, "running", &run) ||
        !json_object_is_type(run, json_type_boolean)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "query-status reply was missing status or running");
        return -1;
    }
    if (status)
        *status = g_strdup(json_object_get_string(st));
    if (running)
        *running = json_object_get_boolean(run);
    return 0;
}

int
qemuMonitorSetAction(qemuMonitor *mon, const char *shutdown, const char *reboot,
                     const char *watchdog, const char *panic)
{
    g_autoptr(json_object) args = json_object_new_object();

    if (shutdown)
        json_object_object_add(args, "shutdown", json_object_new_string(shutdown));
    if (reboot)
        json_object_object_add(args, "reboot", json_object_new_string(reboot));
    if (watchdog)
        json_object_object_add(args, "watchdog", json_object_new_string(watchdog));
    if (panic)
        json_object_object_add(args, "panic", json_object_new_string(panic));
    return qemuMonitorCommand(mon, "set-action", args, -1, NULL);
}

int
qemuMonitorGetPtyPath(qemuMonitor *mon, const char *alias, char **path)
{
    g_autoptr(json_object) reply = NULL;
    size_t n;

    if (qemuMonitorCommand(mon, "query-chardev", NULL, -1, &reply) < 0)
        return -1;
    if (!json_object_is_type(reply, json_type_array)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "query-chardev reply was not an array");
        return -1;
    }
    n = json_object_array_length(reply);
    for (size_t i = 0; i < n; i++) {
        json_object *ent = json_object_array_get_idx(reply, i);
        json_object *label = NULL;
        json_object *filename = NULL;
        const char *fn;

        if (!json_object_object_get_ex(ent, "label", &label) ||
            g_strcmp0(json_object_get_string(label), alias) != 0)
            continue;
        if (!json_object_object_get_ex(ent, "filename", &filename) ||
            !(fn = json_object_get_string(filename)) || !g_str_has_prefix(fn, "pty:")) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "chardev '%s' is not a pty", alias);
            return -1;
        }
        *path = g_strdup(fn + 4);
        return 0;
    }
    virReportError(VIR_ERR_INTERNAL_ERROR, "chardev '%s' not found in QEMU", alias);
    return -1;
}
