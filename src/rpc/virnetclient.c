/* virnetclient.c: RPC client: callers block on their serial, an I/O thread moves the frames */
/*
 * Thread protocol.
 * - Caller threads (any number) encode a CALL, register it in @calls under
 *   @lock, queue the frame on the socket and write it themselves (the
 *   socket's queue lock serializes writers; only if the socket is full do
 *   they poke the eventfd so the I/O thread finishes the write), then wait
 *   without any lock on their call's futex word until it is marked done
 *   (see clientPendingFinish).
 *   Decoding the reply and setting the thread's error happen in the caller.
 * - Who reads the socket: whoever holds @readLock. That is the I/O thread,
 *   except while a caller alone on the connection reads its own reply
 *   (clientReadOwn, the common case: it saves a thread switch per call).
 *   Such a direct reader finishes the replies of callers that arrived
 *   meanwhile, passes every other frame (events, keepalive) to the I/O
 *   thread, and gives the socket back after its reply or after
 *   VIR_NET_CLIENT_DIRECT_READ_MS, whichever comes first; then it waits
 *   on its futex like any caller. While it reads, the I/O thread leaves
 *   the socket's input out of its epoll set. Before it sleeps in poll()
 *   it polls without blocking for a few microseconds (virspin.h: the
 *   budget adapts; @spin is the direct reader's, under @readLock).
 * - The I/O thread otherwise reads the socket: on a REPLY it takes @lock,
 *   finds the call by serial, takes it out of @calls, hands over the
 *   frame, unlocks and wakes it. Keepalive state is its own (no lock).
 *   Event and close handlers run on it, with no lock held.
 * - On death the I/O thread sets @closed and @closeErr under @lock, fails
 *   every call (waking a direct reader through @readerfd), then runs the
 *   close handler and exits. virNetClientClose sets @quit, pokes the
 *   eventfd and joins the thread.
 * Locks across waits: @lock never; @readLock only by a direct reader in
 * poll(), and never longer than VIR_NET_CLIENT_DIRECT_READ_MS.
 */
#define G_LOG_DOMAIN "virtkit.rpc.client"
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <linux/futex.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <libvirt/libvirt.h>

#include "virerror.h"
#include "virkeepalive.h"
#include "virnetclient.h"
#include "virspin.h"

#define VIR_FROM_THIS VIR_FROM_RPC

/* How long a caller alone on the connection reads the socket for its own
 * reply before it gives the socket back to the I/O thread: a call slower
 * than this (a destroy's grace period) gains nothing from the saved thread
 * switch, and the socket is never held across an unbounded wait. */
#define VIR_NET_CLIENT_DIRECT_READ_MS 1000

typedef struct _virNetClientPending virNetClientPending;
struct _virNetClientPending {
    uint32_t prog;
    uint32_t serial;
    int done;             /* futex word: 0 waiting, 1 finished */
    virNetMessage *reply; /* set by the I/O thread; NULL on failure */
};

struct _virNetClient {
    virNetSocket *sock;
    int wakefd;   /* eventfd poked by callers */
    int epfd;     /* the I/O thread's epoll: the socket and wakefd */
    int readerfd; /* eventfd that interrupts a direct reader */
    GThread *thread;

    /* Held by whoever reads the socket: the I/O thread, or a direct reader. */
    GMutex readLock;
    virSpin spin; /* @readLock: a direct reader's busy-polling budget */

    GMutex lock;
    GHashTable *calls; /* serial -> virNetClientPending * */
    uint32_t nextSerial;
    bool closed;
    bool quit;
    bool directReader;    /* a caller reads its own reply */
    bool readFailed;      /* a direct reader hit a broken stream */
    guint32 epollEvents;  /* the socket's current interest in @epfd */
    GQueue deferred;      /* frames a direct reader left for the I/O thread */
    gint64 rxAt;          /* last frame a direct reader received */
    virErrorPtr closeErr; /* the error that closed us */
    bool kaChange;
    int kaInterval;
    unsigned int kaCount;

    virNetClientEventFunc eventFn;
    void *eventOpaque;
    GCond outCond;                  /* output written: for virNetClientWaitOutputBelow */
    gint outWaiters;                /* atomic: callers waiting on @outCond */
    size_t outWaitBelow;            /* @lock: the smallest queue size a waiter awaits */
    virNetClientEventFunc streamFn; /* STREAM frames (I/O thread) */
    void *streamOpaque;
    virNetClientCloseFunc closeFn;
    void *closeOpaque;

    /* I/O thread only. */
    virKeepAlive ka;
};

/*
 * Finishing a call. The I/O thread (or a closer) removes the call from
 * @calls and stores its reply under @lock, then, after unlocking, sets
 * @done and wakes the caller with a futex on that word. So the woken
 * caller does not run into @lock still held by its waker, and it needs no
 * lock at all to pick up its reply. The caller's stack frame may be gone
 * by the time FUTEX_WAKE runs: waking an address nobody waits on is
 * harmless (the call neither reads nor writes the memory).
 */
static void
clientPendingFinish(virNetClientPending *call)
{
    g_atomic_int_set(&call->done, 1);
    syscall(SYS_futex, &call->done, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void
clientPendingWait(virNetClientPending *call)
{
    while (!g_atomic_int_get(&call->done)) {
        if (syscall(SYS_futex, &call->done, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0) < 0 &&
            errno != EAGAIN && errno != EINTR)
            g_error("futex wait failed: %s", g_strerror(errno));
    }
}

static void
clientWake(virNetClient *client)
{
    uint64_t one = 1;

    if (write(client->wakefd, &one, sizeof(one)) < 0 && errno != EAGAIN)
        g_debug("cannot wake RPC client thread: %s", g_strerror(errno));
}

/* Take every waiting call out of @calls (with @lock held), to be failed
 * with clientFailCalls once @lock is released. */
static GPtrArray *
clientStealCallsLocked(virNetClient *client)
{
    GPtrArray *calls = g_ptr_array_new();
    GHashTableIter it;
    gpointer value;

    g_hash_table_iter_init(&it, client->calls);
    while (g_hash_table_iter_next(&it, NULL, &value)) {
        g_ptr_array_add(calls, value);
        g_hash_table_iter_remove(&it);
    }
    return calls;
}

static void
clientFailCalls(virNetClient *client, GPtrArray *calls)
{
    uint64_t one = 1;

    for (guint i = 0; i < calls->len; i++)
        clientPendingFinish(g_ptr_array_index(calls, i));
    /* a direct reader sleeping in poll() looks at its call again */
    if (calls->len > 0 && write(client->readerfd, &one, sizeof(one)) < 0 &&
        errno != EAGAIN)
        g_debug("cannot wake the direct reader: %s", g_strerror(errno));
    g_ptr_array_unref(calls);
}

/* The connection died with the thread's current error (I/O thread). */
/* Output was written: wake the stream senders waiting for room (I/O
 * thread). */
static void
clientOutputWritten(virNetClient *client)
{
    unsigned int frames;
    size_t queued;

    if (!g_atomic_int_get(&client->outWaiters))
        return;
    /* Only once the queue is below what a waiter awaits: a socket that
     * drains a few KiB at a time would otherwise wake the sender for each
     * (hundreds of thousands of wakeups for a 1 GiB upload). The waiter
     * checks and sleeps under @lock, so taking it here loses no wakeup. */
    g_mutex_lock(&client->lock);
    virNetSocketQueued(client->sock, &frames, &queued);
    if (queued < client->outWaitBelow)
        g_cond_broadcast(&client->outCond);
    g_mutex_unlock(&client->lock);
}

static void
clientDie(virNetClient *client, int reason)
{
    virNetClientCloseFunc fn;
    void *opaque;
    GPtrArray *calls;

    g_mutex_lock(&client->lock);
    if (!client->closeErr)
        client->closeErr = virSaveLastError();
    client->closed = true;
    g_cond_broadcast(&client->outCond);
    calls = clientStealCallsLocked(client);
    /* Let the peer see the end at once; the fd itself is closed on free. */
    shutdown(virNetSocketGetFD(client->sock), SHUT_RDWR);
    fn = client->closeFn;
    opaque = client->closeOpaque;
    g_mutex_unlock(&client->lock);
    clientFailCalls(client, calls);

    g_debug("RPC client closed (reason %d): %s", reason,
            client->closeErr && client->closeErr->message ? client->closeErr->message
                                                          : "");
    if (fn)
        fn(client, reason, opaque);
}

/* Hand the REPLY @msg to the call waiting for it, which leaves @calls
 * (@lock held). Returns that call, or NULL when nobody waits for this
 * serial (@msg is then dropped). */
static virNetClientPending *
clientTakeReplyLocked(virNetClient *client, virNetMessage *msg)
{
    virNetClientPending *call =
        g_hash_table_lookup(client->calls, GUINT_TO_POINTER(msg->header.serial));

    if (!call || call->prog != msg->header.prog) {
        g_debug("dropping REPLY with serial %u nobody waits for", msg->header.serial);
        virNetMessageFree(msg);
        return NULL;
    }
    g_hash_table_remove(client->calls, GUINT_TO_POINTER(msg->header.serial));
    call->reply = msg;
    return call;
}

/* Who is reading: the I/O thread (@mine NULL) or a direct reader waiting
 * for @mine. */
typedef struct {
    virNetClient *client;
    virNetClientPending *mine;
} virNetClientReader;

static bool clientFrameIO(virNetClient *client, virNetMessage *msg);

static bool
clientFrame(virNetSocket *sock, virNetMessage *msg, void *opaque)
{
    virNetClientReader *reader = opaque;
    virNetClient *client = reader->client;
    virNetClientPending *call;

    if (!reader->mine)
        return clientFrameIO(client, msg);

    /* A direct reader finishes replies (its own or another caller's) and
     * leaves everything else (events, keepalive) to the I/O thread, which
     * owns the keepalive state and runs the handlers. */
    g_mutex_lock(&client->lock);
    client->rxAt = g_get_monotonic_time();
    if (msg->header.type != VIR_NET_REPLY && msg->header.type != VIR_NET_REPLY_WITH_FDS) {
        g_queue_push_tail(&client->deferred, msg);
        g_mutex_unlock(&client->lock);
        clientWake(client);
        return true;
    }
    call = clientTakeReplyLocked(client, msg);
    g_mutex_unlock(&client->lock);
    if (!call)
        return true;
    if (call == reader->mine) {
        g_atomic_int_set(&call->done, 1);
        return false; /* got ours: stop reading */
    }
    clientPendingFinish(call);
    return true;
}

/* A frame read by the I/O thread. */
static bool
clientFrameIO(virNetClient *client, virNetMessage *msg)
{
    virNetSocket *sock = client->sock;
    gint64 now = g_get_monotonic_time();

    virKeepAliveNoteActivity(&client->ka, now);

    if (virNetMessageIsKeepAlive(&msg->header)) {
        virNetMessage *pong = virKeepAliveHandleMessage(&client->ka, msg, now);
        if (pong)
            virNetSocketQueue(sock, pong);
        virNetMessageFree(msg);
        return true;
    }

    switch (msg->header.type) {
    case VIR_NET_REPLY:
    case VIR_NET_REPLY_WITH_FDS: {
        virNetClientPending *call;

        g_mutex_lock(&client->lock);
        call = clientTakeReplyLocked(client, msg);
        g_mutex_unlock(&client->lock);
        if (call)
            clientPendingFinish(call);
        return true;
    }
    case VIR_NET_MESSAGE:
        if (client->eventFn) {
            client->eventFn(client, msg, client->eventOpaque);
            return true;
        }
        break;
    case VIR_NET_STREAM:
    case VIR_NET_STREAM_HOLE:
        if (client->streamFn) {
            client->streamFn(client, msg, client->streamOpaque);
            return true;
        }
        break;
    default:
        g_debug("ignoring %s frame from server",
                virNetMessageTypeToString(msg->header.type));
        break;
    }
    virNetMessageFree(msg);
    return true;
}

/* Make @epfd watch the socket for what the I/O thread needs now: input
 * unless a direct reader has it, output while some is queued. @lock held. */
static void
clientUpdateInterestLocked(virNetClient *client)
{
    guint32 want = (client->directReader ? 0 : EPOLLIN) |
                   (virNetSocketHasOutput(client->sock) ? EPOLLOUT : 0);
    struct epoll_event ev = { .events = want, .data.u32 = 0 };

    if (want == client->epollEvents)
        return;
    if (epoll_ctl(client->epfd, EPOLL_CTL_MOD, virNetSocketGetFD(client->sock), &ev) == 0)
        client->epollEvents = want;
    else
        g_debug("epoll_ctl: %s", g_strerror(errno));
}

static gpointer
clientThread(gpointer opaque)
{
    virNetClient *client = opaque;
    virNetClientReader self = { .client = client, .mine = NULL };

    for (;;) {
        struct epoll_event evs[2];
        GQueue deferred;
        virNetMessage *msg;
        guint32 sockEvents = 0;
        int timeout;
        gint64 now;
        gint64 rxAt;
        bool quit;
        bool failed;
        int n;

        g_mutex_lock(&client->lock);
        quit = client->quit;
        failed = client->readFailed;
        if (client->kaChange) {
            virKeepAliveStart(&client->ka, client->kaInterval, client->kaCount,
                              g_get_monotonic_time());
            client->kaChange = false;
        }
        rxAt = client->rxAt;
        client->rxAt = 0;
        deferred = client->deferred;
        g_queue_init(&client->deferred);
        clientUpdateInterestLocked(client);
        g_mutex_unlock(&client->lock);
        if (quit || failed) {
            g_queue_clear_full(&deferred, (GDestroyNotify)virNetMessageFree);
            if (quit)
                break;
            /* a direct reader found the stream broken (@closeErr is set) */
            clientDie(client, VIR_CONNECT_CLOSE_REASON_ERROR);
            return NULL;
        }
        if (rxAt > 0)
            virKeepAliveNoteActivity(&client->ka, rxAt);
        if (!g_queue_is_empty(&deferred)) {
            while ((msg = g_queue_pop_head(&deferred)))
                clientFrameIO(client, msg);
            /* a PONG may be queued: write it, and if the socket is full,
             * go round again to watch for output */
            if (virNetSocketFlush(client->sock) < 0) {
                clientDie(client, VIR_CONNECT_CLOSE_REASON_ERROR);
                return NULL;
            }
            if (virNetSocketHasOutput(client->sock))
                continue;
        }

        now = g_get_monotonic_time();
        switch (virKeepAliveCheck(&client->ka, now)) {
        case VIR_KEEPALIVE_PING:
            virNetSocketQueue(client->sock,
                              virNetMessageNewKeepAlive(VIR_NET_KEEPALIVE_PROC_PING));
            if (virNetSocketFlush(client->sock) < 0) {
                clientDie(client, VIR_CONNECT_CLOSE_REASON_ERROR);
                return NULL;
            }
            continue; /* recompute the interest (output left?) */
        case VIR_KEEPALIVE_DEAD:
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                           "connection closed due to keepalive timeout");
            clientDie(client, VIR_CONNECT_CLOSE_REASON_KEEPALIVE);
            return NULL;
        case VIR_KEEPALIVE_NONE:
            break;
        }
        timeout = virKeepAliveTimeout(&client->ka, now);

        n = epoll_wait(client->epfd, evs, G_N_ELEMENTS(evs), timeout);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            virReportSystemError(errno, "%s", "poll on socket failed");
            clientDie(client, VIR_CONNECT_CLOSE_REASON_ERROR);
            return NULL;
        }
        for (int i = 0; i < n; i++) {
            if (evs[i].data.u32 == 1) {
                uint64_t v;
                if (read(client->wakefd, &v, sizeof(v)) < 0 && errno != EAGAIN)
                    g_debug("eventfd read: %s", g_strerror(errno));
            } else {
                sockEvents = evs[i].events;
            }
        }
        if (sockEvents & EPOLLOUT) {
            if (virNetSocketFlush(client->sock) < 0) {
                clientDie(client, VIR_CONNECT_CLOSE_REASON_ERROR);
                return NULL;
            }
            clientOutputWritten(client);
        }
        if (sockEvents & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
            if (g_mutex_trylock(&client->readLock)) {
                virNetSocketStatus st =
                    virNetSocketRead(client->sock, 0, clientFrame, &self);

                g_mutex_unlock(&client->readLock);
                switch (st) {
                case VIR_NET_SOCKET_OK:
                    break;
                case VIR_NET_SOCKET_EOF:
                    clientDie(client, VIR_CONNECT_CLOSE_REASON_EOF);
                    return NULL;
                case VIR_NET_SOCKET_ERROR:
                    clientDie(client, VIR_CONNECT_CLOSE_REASON_ERROR);
                    return NULL;
                }
            } else {
                /* A direct reader has the socket (HUP/ERR are reported
                 * whatever the interest): it sees the same and hands the
                 * socket back in a moment. */
                g_thread_yield();
            }
        }
        /* Write what callers or keepalive queued meanwhile, without waiting
         * for another poll round. */
        if (virNetSocketHasOutput(client->sock)) {
            if (virNetSocketFlush(client->sock) < 0) {
                clientDie(client, VIR_CONNECT_CLOSE_REASON_ERROR);
                return NULL;
            }
            clientOutputWritten(client);
        }
    }
    return NULL;
}

/*
 * The caller reads its own reply (the I/O thread stays off the socket's
 * input meanwhile): one thread wakeup per call instead of two. Replies
 * for other callers are finished on the way; other frames go to the I/O
 * thread. On EOF the socket goes back to the I/O thread, which finds the
 * same EOF and fails every call; on a broken stream the error is kept
 * for the I/O thread to close with. After VIR_NET_CLIENT_DIRECT_READ_MS
 * without the reply the socket goes back to the I/O thread too. Returns
 * with @call done, or for the caller to wait on it.
 */
static void
clientReadOwn(virNetClient *client, virNetClientPending *call)
{
    virNetClientReader reader = { .client = client, .mine = call };
    int fd = virNetSocketGetFD(client->sock);
    gint64 start = g_get_monotonic_time();
    gint64 deadline = start + VIR_NET_CLIENT_DIRECT_READ_MS * 1000;
    gint64 spinEnd;
    bool spinning;
    bool spun = false; /* a poll found nothing while spinning */
    bool failed = false;

    g_mutex_lock(&client->readLock);
    spinEnd = start + virSpinBudget(&client->spin);
    spinning = spinEnd > start;
    while (!g_atomic_int_get(&call->done)) {
        struct pollfd fds[2] = {
            { .fd = fd, .events = POLLIN },
            { .fd = client->readerfd, .events = POLLIN },
        };
        gint64 now = g_get_monotonic_time();
        gint64 left = deadline - now;
        virNetSocketStatus st;
        int n;

        if (left <= 0)
            break; /* slow call: the I/O thread takes over */
        if (spinning && now >= spinEnd) {
            spinning = false; /* the reply is slower than the spin: sleep */
            if (spun)
                virSpinDone(&client->spin, false);
        }
        n = poll(fds, 2, spinning ? 0 : (int)((left + 999) / 1000));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (n == 0) {
            /* spinning (a reply there at once says nothing about
             * spinning), or the deadline check above ends the loop */
            spun = spun || spinning;
            continue;
        }
        if (fds[1].revents & POLLIN) {
            uint64_t v;
            if (read(client->readerfd, &v, sizeof(v)) < 0 && errno != EAGAIN)
                g_debug("eventfd read: %s", g_strerror(errno));
        }
        if (!(fds[0].revents & (POLLIN | POLLHUP | POLLERR)))
            continue;
        st = virNetSocketRead(client->sock, 0, clientFrame, &reader);
        if (st == VIR_NET_SOCKET_EOF)
            break;
        if (st == VIR_NET_SOCKET_ERROR) {
            failed = true;
            break;
        }
    }
    if (spinning && spun)
        virSpinDone(&client->spin, g_atomic_int_get(&call->done));
    g_mutex_unlock(&client->readLock);

    g_mutex_lock(&client->lock);
    client->directReader = false;
    if (failed) {
        client->readFailed = true;
        if (!client->closeErr)
            client->closeErr = virSaveLastError();
    }
    clientUpdateInterestLocked(client);
    g_mutex_unlock(&client->lock);
    if (failed)
        clientWake(client);
    /* A read failure is the connection's, kept in closeErr for the I/O
     * thread to close with and for every call to report; it is not this
     * call's error yet (virNetClientCall reports it when it sees no reply). */
    virResetLastError();
}

virNetClient *
virNetClientNew(virNetSocket *sock)
{
    virNetClient *client = g_new0(virNetClient, 1);

    struct epoll_event ev = { .events = EPOLLIN, .data.u32 = 0 };

    client->sock = sock;
    client->wakefd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    client->readerfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    client->epfd = epoll_create1(EPOLL_CLOEXEC);
    g_assert(client->wakefd >= 0 && client->readerfd >= 0 && client->epfd >= 0);
    g_assert(epoll_ctl(client->epfd, EPOLL_CTL_ADD, virNetSocketGetFD(sock), &ev) == 0);
    client->epollEvents = EPOLLIN;
    ev.data.u32 = 1;
    g_assert(epoll_ctl(client->epfd, EPOLL_CTL_ADD, client->wakefd, &ev) == 0);
    g_queue_init(&client->deferred);
    g_mutex_init(&client->readLock);
    virSpinInit(&client->spin);
    g_mutex_init(&client->lock);
    g_cond_init(&client->outCond);
    client->calls = g_hash_table_new(g_direct_hash, g_direct_equal);
    virKeepAliveInit(&client->ka);
    client->thread = g_thread_new("vk-rpc-client", clientThread, client);
    return client;
}

virNetClient *
virNetClientNewUnix(const char *path)
{
    virNetSocket *sock = virNetSocketNewConnectUnix(path);

    if (!sock)
        return NULL;
    return virNetClientNew(sock);
}

void
virNetClientSetEventHandler(virNetClient *client, virNetClientEventFunc fn, void *opaque)
{
    g_mutex_lock(&client->lock);
    client->eventFn = fn;
    client->eventOpaque = opaque;
    g_mutex_unlock(&client->lock);
}

void
virNetClientSetCloseHandler(virNetClient *client, virNetClientCloseFunc fn, void *opaque)
{
    g_mutex_lock(&client->lock);
    client->closeFn = fn;
    client->closeOpaque = opaque;
    g_mutex_unlock(&client->lock);
}

bool
virNetClientIsOpen(virNetClient *client)
{
    bool ret;

    g_mutex_lock(&client->lock);
    ret = !client->closed && !client->quit;
    g_mutex_unlock(&client->lock);
    return ret;
}

void
virNetClientStartKeepAlive(virNetClient *client, int interval, unsigned int count)
{
    g_mutex_lock(&client->lock);
    client->kaChange = true;
    client->kaInterval = interval;
    client->kaCount = count;
    g_mutex_unlock(&client->lock);
    clientWake(client);
}

/* Report the error a call on a dead client gets (caller's thread). */
static void
clientReportClosedLocked(virNetClient *client, bool wasWaiting)
{
    virErrorPtr e = client->closeErr;

    if (wasWaiting && e && e->code != VIR_ERR_OK) {
        virSetErrorRaw(e->domain, e->code, e->level, e->message, e->str1, e->str2,
                       e->str3, e->int1, e->int2);
        return;
    }
    virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "client socket is closed");
}

void
virNetClientSetStreamHandler(virNetClient *client, virNetClientEventFunc fn, void *opaque)
{
    g_mutex_lock(&client->lock);
    client->streamFn = fn;
    client->streamOpaque = opaque;
    g_mutex_unlock(&client->lock);
}

uint32_t
virNetClientNewSerial(virNetClient *client)
{
    uint32_t serial;

    g_mutex_lock(&client->lock);
    serial = client->nextSerial++;
    g_mutex_unlock(&client->lock);
    return serial;
}

int
virNetClientSendStream(virNetClient *client, uint32_t prog, int proc, uint32_t serial,
                       int status, const void *data, size_t len)
{
    virNetMessageHeader hdr = {
        .prog = prog,
        .vers = VIR_NET_PROGRAM_VERSION,
        .proc = proc,
        .type = VIR_NET_STREAM,
        .serial = serial,
        .status = status,
    };
    virNetMessage *msg;

    if (!(msg = virNetMessageNewRaw(&hdr, data, len))) {
        virReportError(VIR_ERR_RPC, "%s", "stream data too large");
        return -1;
    }
    g_mutex_lock(&client->lock);
    if (client->closed || client->quit) {
        clientReportClosedLocked(client, false);
        g_mutex_unlock(&client->lock);
        virNetMessageFree(msg);
        return -1;
    }
    virNetSocketQueue(client->sock, msg);
    if (virNetSocketTryFlush(client->sock) < 0 || virNetSocketHasOutput(client->sock))
        clientWake(client);
    g_mutex_unlock(&client->lock);
    return 0;
}

int
virNetClientSendStreamHole(virNetClient *client, uint32_t prog, int proc, uint32_t serial,
                           int64_t length)
{
    virNetMessageHeader hdr = {
        .prog = prog,
        .vers = VIR_NET_PROGRAM_VERSION,
        .proc = proc,
        .serial = serial,
    };
    virNetMessage *msg = virNetMessageNewHole(&hdr, length);

    g_mutex_lock(&client->lock);
    if (client->closed || client->quit) {
        clientReportClosedLocked(client, false);
        g_mutex_unlock(&client->lock);
        virNetMessageFree(msg);
        return -1;
    }
    virNetSocketQueue(client->sock, msg);
    if (virNetSocketTryFlush(client->sock) < 0 || virNetSocketHasOutput(client->sock))
        clientWake(client);
    g_mutex_unlock(&client->lock);
    return 0;
}

int
virNetClientWaitOutputBelow(virNetClient *client, size_t bytes, bool nonblock)
{
    int ret;

    g_mutex_lock(&client->lock);
    while (true) {
        unsigned int frames;
        size_t queued;

        if (client->closed || client->quit) {
            clientReportClosedLocked(client, false);
            ret = -1;
            break;
        }
        virNetSocketQueued(client->sock, &frames, &queued);
        if (queued < bytes) {
            ret = 0;
            break;
        }
        if (nonblock) {
            ret = 1;
            break;
        }
        /* The I/O thread already watches for room (output is queued:
         * whoever queued it woke the thread) and wakes us once the queue
         * is below @bytes (clientOutputWritten). The wait is bounded all
         * the same, and the thread woken when it ran out. */
        if (g_atomic_int_add(&client->outWaiters, 1) == 0 || bytes < client->outWaitBelow)
            client->outWaitBelow = bytes;
        if (!g_cond_wait_until(&client->outCond, &client->lock,
                               g_get_monotonic_time() + 100 * G_TIME_SPAN_MILLISECOND))
            clientWake(client);
        g_atomic_int_dec_and_test(&client->outWaiters);
    }
    g_mutex_unlock(&client->lock);
    return ret;
}

static void
clientCloseFDs(int *fds, size_t nfds)
{
    for (size_t i = 0; i < nfds; i++) {
        if (fds[i] >= 0)
            close(fds[i]);
    }
}

static int clientCall(virNetClient *client, bool haveSerial, uint32_t serial,
                      uint32_t prog, int proc, virXdrFilter argsFilter, const void *args,
                      virXdrFilter retFilter, void *ret, int *fdsIn, size_t nfdsIn,
                      int **fdsOut, size_t *nfdsOut);

int
virNetClientCall(virNetClient *client, uint32_t prog, int proc, virXdrFilter argsFilter,
                 const void *args, virXdrFilter retFilter, void *ret)
{
    return clientCall(client, false, 0, prog, proc, argsFilter, args, retFilter, ret,
                      NULL, 0, NULL, NULL);
}

int
virNetClientCallFDs(virNetClient *client, uint32_t prog, int proc, int *fdsIn,
                    size_t nfdsIn, virXdrFilter argsFilter, const void *args,
                    int **fdsOut, size_t *nfdsOut, virXdrFilter retFilter, void *ret)
{
    return clientCall(client, false, 0, prog, proc, argsFilter, args, retFilter, ret,
                      fdsIn, nfdsIn, fdsOut, nfdsOut);
}

int
virNetClientCallSerial(virNetClient *client, uint32_t serial, uint32_t prog, int proc,
                       virXdrFilter argsFilter, const void *args, virXdrFilter retFilter,
                       void *ret)
{
    return clientCall(client, true, serial, prog, proc, argsFilter, args, retFilter, ret,
                      NULL, 0, NULL, NULL);
}

static int
clientCall(virNetClient *client, bool haveSerial, uint32_t serial, uint32_t prog,
           int proc, virXdrFilter argsFilter, const void *args, virXdrFilter retFilter,
           void *ret, int *fdsIn, size_t nfdsIn, int **fdsOut, size_t *nfdsOut)
{
    virNetClientPending call = { 0 };
    virNetMessageHeader hdr = {
        .prog = prog,
        .vers = VIR_NET_PROGRAM_VERSION,
        .proc = proc,
        .type = VIR_NET_CALL,
        .status = VIR_NET_OK,
    };
    g_autoptr(virNetMessage) reply = NULL;
    virNetMessage *msg;
    const char *why = NULL;
    bool direct;

    if (fdsOut) {
        *fdsOut = NULL;
        *nfdsOut = 0;
    }
    g_mutex_lock(&client->lock);
    if (client->closed || client->quit) {
        clientReportClosedLocked(client, false);
        g_mutex_unlock(&client->lock);
        clientCloseFDs(fdsIn, nfdsIn);
        return -1;
    }
    hdr.serial = haveSerial ? serial : client->nextSerial++;
    g_mutex_unlock(&client->lock);

    if (nfdsIn > 0) {
        hdr.type = VIR_NET_CALL_WITH_FDS;
        msg = virNetMessageEncodeWithFDs(&hdr, argsFilter, args, fdsIn, nfdsIn, &why);
    } else {
        msg = virNetMessageEncode(&hdr, argsFilter, args, &why);
    }
    if (!msg) {
        virReportError(VIR_ERR_RPC, "Unable to encode message payload: %s", why);
        return -1;
    }

    call.prog = prog;
    call.serial = hdr.serial;

    g_mutex_lock(&client->lock);
    if (client->closed || client->quit) {
        clientReportClosedLocked(client, false);
        g_mutex_unlock(&client->lock);
        virNetMessageFree(msg);
        return -1;
    }
    g_hash_table_insert(client->calls, GUINT_TO_POINTER(call.serial), &call);
    /* Alone on the connection: read the reply ourselves (clientReadOwn). */
    direct = !client->directReader && g_hash_table_size(client->calls) == 1;
    if (direct) {
        client->directReader = true;
        clientUpdateInterestLocked(client);
    }
    virNetSocketQueue(client->sock, msg);
    /* Write from this thread when the socket takes the whole frame (the
     * common case): the I/O thread only has to read the reply. A write
     * error is left for the I/O thread, which sees the same socket fail. */
    if (virNetSocketTryFlush(client->sock) < 0 || virNetSocketHasOutput(client->sock))
        clientWake(client);
    g_mutex_unlock(&client->lock);

    if (direct)
        clientReadOwn(client, &call);
    clientPendingWait(&call);
    if (!(reply = g_steal_pointer(&call.reply))) {
        g_mutex_lock(&client->lock);
        clientReportClosedLocked(client, true);
        g_mutex_unlock(&client->lock);
        return -1;
    }

    if (reply->header.status == VIR_NET_OK) {
        if (retFilter && !virNetMessageDecodePayload(reply, retFilter, ret, &why)) {
            virReportError(VIR_ERR_RPC, "Unable to decode message payload: %s", why);
            return -1;
        }
        if (fdsOut && reply->nfds > 0) {
            /* the reply's descriptors, in order (the frame closes any not
             * taken: a reply carrying fds the caller did not ask for) */
            *fdsOut = g_new(int, reply->nfds);
            for (size_t i = 0; i < reply->nfds; i++)
                (*fdsOut)[i] = virNetMessageTakeFD(reply, i);
            *nfdsOut = reply->nfds;
        }
        return 0;
    }
    if (reply->header.status == VIR_NET_ERROR) {
        g_auto(virNetMessageError) err = { 0 };

        if (!virNetMessageDecodePayload(reply, virnet_error_filter, &err, &why)) {
            virReportError(VIR_ERR_RPC, "Unable to decode message payload: %s", why);
            return -1;
        }
        virSetErrorRaw(err.domain, err.code, err.level ? err.level : VIR_ERR_ERROR,
                       err.message ? err.message : "unknown error", err.str1, err.str2,
                       err.str3, err.int1, err.int2);
        return -1;
    }
    virReportError(VIR_ERR_RPC, "Unexpected message status %d", reply->header.status);
    return -1;
}

void
virNetClientClose(virNetClient *client)
{
    GThread *thread;

    GPtrArray *calls;

    g_mutex_lock(&client->lock);
    client->quit = true;
    calls = clientStealCallsLocked(client);
    thread = g_steal_pointer(&client->thread);
    g_mutex_unlock(&client->lock);
    clientFailCalls(client, calls);
    if (!thread)
        return;
    if (thread == g_thread_self()) {
        /* Called from a handler on the I/O thread (an application closing
         * its connection from the close callback): it cannot join itself.
         * The thread touches nothing after the handler returns. */
        g_thread_unref(thread);
        return;
    }
    clientWake(client);
    g_thread_join(thread);
}

void
virNetClientFree(virNetClient *client)
{
    if (!client)
        return;
    virNetClientClose(client);
    virNetSocketFree(client->sock);
    close(client->wakefd);
    close(client->readerfd);
    close(client->epfd);
    g_queue_clear_full(&client->deferred, (GDestroyNotify)virNetMessageFree);
    g_mutex_clear(&client->readLock);
    g_hash_table_unref(client->calls);
    if (client->closeErr)
        virFreeError(client->closeErr);
    g_mutex_clear(&client->lock);
    g_cond_clear(&client->outCond);
    g_free(client);
}
