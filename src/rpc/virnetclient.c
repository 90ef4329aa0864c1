/* virnetclient.c: RPC client: callers block on their serial, an I/O thread moves the frames */
/*
 * Thread protocol.
 * - Caller threads (any number) encode a CALL, register it in @calls under
 *   @lock, queue the frame on the socket and write it themselves (the
 *   socket's queue lock serializes writers; only if the socket is full do
 *   they poke the eventfd so the I/O thread finishes the write), then wait
 *   on their own GCond (with @lock) until the I/O thread marks them done.
 *   Decoding the reply and setting the thread's error happen in the caller.
 * - The I/O thread alone reads the socket (and writes keepalive frames and
 *   leftovers). It polls the socket
 *   and the eventfd; on a REPLY it takes @lock, finds the call by serial,
 *   hands over the frame and signals. Keepalive state is its own (no lock).
 *   Event and close handlers run on it, with no lock held.
 * - On death the I/O thread sets @closed and @closeErr under @lock, fails
 *   every call, then runs the close handler and exits. virNetClientClose
 *   sets @quit, pokes the eventfd and joins the thread.
 * Nothing is held across a wait except @lock inside g_cond_wait.
 */
#define G_LOG_DOMAIN "virtkit.rpc.client"
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libvirt/libvirt.h>

#include "virerror.h"
#include "virkeepalive.h"
#include "virnetclient.h"

#define VIR_FROM_THIS VIR_FROM_RPC

typedef struct _virNetClientPending virNetClientPending;
struct _virNetClientPending {
    uint32_t prog;
    uint32_t serial;
    GCond cond;
    bool done;
    virNetMessage *reply;       /* set by the I/O thread; NULL on failure */
};

struct _virNetClient {
    virNetSocket *sock;
    int wakefd;                 /* eventfd poked by callers */
    GThread *thread;

    GMutex lock;
    GHashTable *calls;          /* serial -> virNetClientCall * */
    uint32_t nextSerial;
    bool closed;
    bool quit;
    virErrorPtr closeErr;       /* the error that closed us */
    bool kaChange;
    int kaInterval;
    unsigned int kaCount;

    virNetClientEventFunc eventFn;
    void *eventOpaque;
    virNetClientCloseFunc closeFn;
    void *closeOpaque;

    /* I/O thread only. */
    virKeepAlive ka;
};

static void
clientWake(virNetClient *client)
{
    uint64_t one = 1;

    if (write(client->wakefd, &one, sizeof(one)) < 0 && errno != EAGAIN)
        g_debug("cannot wake RPC client thread: %s", g_strerror(errno));
}

/* Fail every waiting call (with @lock held). */
static void
clientFailCallsLocked(virNetClient *client)
{
    GHashTableIter it;
    gpointer value;

    g_hash_table_iter_init(&it, client->calls);
    while (g_hash_table_iter_next(&it, NULL, &value)) {
        virNetClientPending *call = value;
        call->done = true;
        g_cond_signal(&call->cond);
    }
}

/* The connection died with the thread's current error (I/O thread). */
static void
clientDie(virNetClient *client, int reason)
{
    virNetClientCloseFunc fn;
    void *opaque;

    g_mutex_lock(&client->lock);
    if (!client->closeErr)
        client->closeErr = virSaveLastError();
    client->closed = true;
    clientFailCallsLocked(client);
    /* Let the peer see the end at once; the fd itself is closed on free. */
    shutdown(virNetSocketGetFD(client->sock), SHUT_RDWR);
    fn = client->closeFn;
    opaque = client->closeOpaque;
    g_mutex_unlock(&client->lock);

    g_debug("RPC client closed (reason %d): %s", reason,
            client->closeErr && client->closeErr->message ?
            client->closeErr->message : "");
    if (fn)
        fn(client, reason, opaque);
}

static bool
clientFrame(virNetSocket *sock, virNetMessage *msg, void *opaque)
{
    virNetClient *client = opaque;
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
        call = g_hash_table_lookup(client->calls, GUINT_TO_POINTER(msg->header.serial));
        if (call && call->prog == msg->header.prog && !call->done) {
            call->reply = msg;
            call->done = true;
            g_cond_signal(&call->cond);
            msg = NULL;
        }
        g_mutex_unlock(&client->lock);
        if (msg) {
            g_debug("dropping REPLY with serial %u nobody waits for",
                    msg->header.serial);
            virNetMessageFree(msg);
        }
        return true;
    }
    case VIR_NET_MESSAGE:
        if (client->eventFn) {
            client->eventFn(client, msg, client->eventOpaque);
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

static gpointer
clientThread(gpointer opaque)
{
    virNetClient *client = opaque;
    int fd = virNetSocketGetFD(client->sock);

    for (;;) {
        struct pollfd fds[2];
        int timeout;
        gint64 now;
        bool quit;

        g_mutex_lock(&client->lock);
        quit = client->quit;
        if (client->kaChange) {
            virKeepAliveStart(&client->ka, client->kaInterval, client->kaCount,
                              g_get_monotonic_time());
            client->kaChange = false;
        }
        g_mutex_unlock(&client->lock);
        if (quit)
            break;

        now = g_get_monotonic_time();
        switch (virKeepAliveCheck(&client->ka, now)) {
        case VIR_KEEPALIVE_PING:
            virNetSocketQueue(client->sock,
                              virNetMessageNewKeepAlive(VIR_NET_KEEPALIVE_PROC_PING));
            break;
        case VIR_KEEPALIVE_DEAD:
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                           "connection closed due to keepalive timeout");
            clientDie(client, VIR_CONNECT_CLOSE_REASON_KEEPALIVE);
            return NULL;
        case VIR_KEEPALIVE_NONE:
            break;
        }

        fds[0].fd = fd;
        fds[0].events = POLLIN | (virNetSocketHasOutput(client->sock) ? POLLOUT : 0);
        fds[0].revents = 0;
        fds[1].fd = client->wakefd;
        fds[1].events = POLLIN;
        fds[1].revents = 0;
        timeout = virKeepAliveTimeout(&client->ka, now);

        if (poll(fds, 2, timeout) < 0) {
            if (errno == EINTR)
                continue;
            virReportSystemError(errno, "%s", "poll on socket failed");
            clientDie(client, VIR_CONNECT_CLOSE_REASON_ERROR);
            return NULL;
        }
        if (fds[1].revents & POLLIN) {
            uint64_t v;
            if (read(client->wakefd, &v, sizeof(v)) < 0 && errno != EAGAIN)
                g_debug("eventfd read: %s", g_strerror(errno));
        }
        if (fds[0].revents & POLLOUT) {
            if (virNetSocketFlush(client->sock) < 0) {
                clientDie(client, VIR_CONNECT_CLOSE_REASON_ERROR);
                return NULL;
            }
        }
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            switch (virNetSocketRead(client->sock, 0, clientFrame, client)) {
            case VIR_NET_SOCKET_OK:
                break;
            case VIR_NET_SOCKET_EOF:
                clientDie(client, VIR_CONNECT_CLOSE_REASON_EOF);
                return NULL;
            case VIR_NET_SOCKET_ERROR:
                clientDie(client, VIR_CONNECT_CLOSE_REASON_ERROR);
                return NULL;
            }
        }
        /* Write what callers or keepalive queued meanwhile, without waiting
         * for another poll round. */
        if (virNetSocketHasOutput(client->sock) && virNetSocketFlush(client->sock) < 0) {
            clientDie(client, VIR_CONNECT_CLOSE_REASON_ERROR);
            return NULL;
        }
    }
    return NULL;
}

virNetClient *
virNetClientNew(virNetSocket *sock)
{
    virNetClient *client = g_new0(virNetClient, 1);

    client->sock = sock;
    client->wakefd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    g_assert(client->wakefd >= 0);
    g_mutex_init(&client->lock);
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
virNetClientSetEventHandler(virNetClient *client, virNetClientEventFunc fn,
                            void *opaque)
{
    g_mutex_lock(&client->lock);
    client->eventFn = fn;
    client->eventOpaque = opaque;
    g_mutex_unlock(&client->lock);
}

void
virNetClientSetCloseHandler(virNetClient *client, virNetClientCloseFunc fn,
                            void *opaque)
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
        virSetErrorRaw(e->domain, e->code, e->level, e->message, e->str1,
                       e->str2, e->str3, e->int1, e->int2);
        return;
    }
    virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "client socket is closed");
}

int
virNetClientCall(virNetClient *client, uint32_t prog, int proc,
                 virXdrFilter argsFilter, const void *args,
                 virXdrFilter retFilter, void *ret)
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

    g_mutex_lock(&client->lock);
    if (client->closed || client->quit) {
        clientReportClosedLocked(client, false);
        g_mutex_unlock(&client->lock);
        return -1;
    }
    hdr.serial = client->nextSerial++;
    g_mutex_unlock(&client->lock);

    if (!(msg = virNetMessageEncode(&hdr, argsFilter, args, &why))) {
        virReportError(VIR_ERR_RPC, "Unable to encode message payload: %s", why);
        return -1;
    }

    g_cond_init(&call.cond);
    call.prog = prog;
    call.serial = hdr.serial;

    g_mutex_lock(&client->lock);
    if (client->closed || client->quit) {
        clientReportClosedLocked(client, false);
        g_mutex_unlock(&client->lock);
        g_cond_clear(&call.cond);
        virNetMessageFree(msg);
        return -1;
    }
    g_hash_table_insert(client->calls, GUINT_TO_POINTER(call.serial), &call);
    virNetSocketQueue(client->sock, msg);
    /* Write from this thread when the socket takes the whole frame (the
     * common case): the I/O thread only has to read the reply. A write
     * error is left for the I/O thread, which sees the same socket fail. */
    if (virNetSocketTryFlush(client->sock) < 0 || virNetSocketHasOutput(client->sock))
        clientWake(client);
    while (!call.done)
        g_cond_wait(&call.cond, &client->lock);
    g_hash_table_remove(client->calls, GUINT_TO_POINTER(call.serial));
    reply = g_steal_pointer(&call.reply);
    if (!reply)
        clientReportClosedLocked(client, true);
    g_mutex_unlock(&client->lock);
    g_cond_clear(&call.cond);

    if (!reply)
        return -1;

    if (reply->header.status == VIR_NET_OK) {
        if (!retFilter)
            return 0;
        if (!virNetMessageDecodePayload(reply, retFilter, ret, &why)) {
            virReportError(VIR_ERR_RPC, "Unable to decode message payload: %s", why);
            return -1;
        }
        return 0;
    }
    if (reply->header.status == VIR_NET_ERROR) {
        g_auto(virNetMessageError) err = { 0 };

        if (!virNetMessageDecodePayload(reply, virNetMessageErrorFilter, &err, &why)) {
            virReportError(VIR_ERR_RPC, "Unable to decode message payload: %s", why);
            return -1;
        }
        virSetErrorRaw(err.domain, err.code, err.level ? err.level : VIR_ERR_ERROR,
                       err.message ? err.message : "unknown error",
                       err.str1, err.str2, err.str3, err.int1, err.int2);
        return -1;
    }
    virReportError(VIR_ERR_RPC, "Unexpected message status %d", reply->header.status);
    return -1;
}

void
virNetClientClose(virNetClient *client)
{
    GThread *thread;

    g_mutex_lock(&client->lock);
    client->quit = true;
    clientFailCallsLocked(client);
    thread = g_steal_pointer(&client->thread);
    g_mutex_unlock(&client->lock);
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
    g_hash_table_unref(client->calls);
    if (client->closeErr)
        virFreeError(client->closeErr);
    g_mutex_clear(&client->lock);
    g_free(client);
}
