/* daemon_server.c: virtkitd's listeners and clients on virNetServer; calls go to the pools
 *
 * Thread protocol:
 * - Main thread (GLib's default main context): virNetServer's sources
 *   (accept, frame I/O, keepalive), the hooks below, shutdown. The hooks
 *   never block: a CALL is handed to a pool as soon as it is complete,
 *   except lookups and state reads, answered right here when the domain
 *   list and object locks are free (only tried, never waited for: see
 *   vkdDispatchCallNoWait); that saves two thread switches per call.
 * - Worker threads (daemon_pool.c) run vkdDispatchCall, which sends its
 *   own reply (virNetServerClientSend* are thread-safe), and the per-client
 *   cleanup vkdDispatchClientClose.
 * - srv->jobLock guards every vkdServerClient's job fields (running,
 *   alone, held); it is held only to update them, never across a job.
 *   srv->inFlight (atomic) counts calls accepted for workers and not yet
 *   finished; everything else in vkdServer is main-thread only.
 *
 * A client's life cycle (who may free what, and when):
 * 1. ACCEPTED (main thread, vkdServerOnNewClient): virNetServer made the
 *    virNetServerClient; we attach the dispatcher's per-client state
 *    (vkdDispatchClient, freed with the client object's last reference)
 *    and a vkdServerClient record, kept in srv->clients (which holds one
 *    client reference through the record).
 * 2. SERVING: each CALL becomes a job holding its own client reference.
 *    Jobs of one client are ordered by vkdServerClientSchedule: ordinary
 *    calls run side by side (up to max_client_requests), but a job that
 *    "runs alone" (CONNECT_CLOSE, which drops the connection and every
 *    registration, and the final close job) starts only once no other
 *    job of the client runs, and jobs that arrive after it wait until it
 *    is done. So a call never sees its connection or its registrations
 *    freed under it. Calls answered inline on the main thread are only
 *    tried when no alone job is waiting or running (and they change
 *    nothing, holding their own connection reference).
 * 3. GONE (main thread, vkdServerOnClose, once): the socket is closed, no
 *    frame will be read again. The record leaves srv->clients and the
 *    close job is scheduled as an alone job: it runs after the last call
 *    of the client that a worker is running, on a worker (it may wait on
 *    the driver). It releases the connection and the registrations
 *    (vkdDispatchClientClose), then frees the record and its reference.
 * 4. FREED: the client object and its vkdDispatchClient go with the last
 *    reference (jobs, event registrations and replay timers each hold one;
 *    registrations are dropped in step 3, timers fire within a second).
 *    Nothing but the record, the jobs, the registrations and the timers
 *    holds a reference, so no client outlives its close job by long.
 */
#define G_LOG_DOMAIN "virtkitd.server"
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon_pool.h"
#include "daemon_process.h"
#include "daemon_server.h"
#include "daemon_startup.h"
#include "remote_dispatch.h"
#include "virerror.h"
#include "virnetserver.h"
#include "virnetsocket.h"

/* How long an orderly exit waits for calls in flight (a destroy may take
 * 15 s), then for the replies to be written. */
#define VKD_SHUTDOWN_CALLS_US (60 * G_USEC_PER_SEC)
#define VKD_SHUTDOWN_FLUSH_US (5 * G_USEC_PER_SEC)

struct _vkdServer {
    const vkdConfig *cfg;
    virNetServer *net;
    vkdPool *pool;
    GPtrArray *paths;    /* socket files we created (unlinked at exit) */
    GHashTable *clients; /* virNetServerClient * -> vkdServerClient * (main thread) */
    GMutex jobLock;      /* the job fields of every vkdServerClient */
    gint inFlight;       /* atomic */
    bool accepting;
    bool shuttingDown;
};

/* Accept while under max_clients; at the limit new connections wait in
 * the kernel backlog, as with libvirtd. Main thread. */
static void
vkdServerUpdateAccepting(vkdServer *srv)
{
    bool want =
        !srv->shuttingDown && g_hash_table_size(srv->clients) < srv->cfg->maxClients;

    if (want == srv->accepting)
        return;
    srv->accepting = want;
    virNetServerSetAccepting(srv->net, want);
    if (!want && !srv->shuttingDown)
        g_message("max_clients (%u) reached: not accepting", srv->cfg->maxClients);
}

typedef enum {
    VKD_JOB_CALL,
    VKD_JOB_CLOSE,
} vkdJobType;

/* The daemon's side of one client (see the life cycle above). Created on
 * the main thread at accept; freed by the close job. */
typedef struct {
    virNetServerClient *client; /* a reference */
    /* srv->jobLock: */
    unsigned int running; /* jobs handed to the pool, not finished */
    bool alone;           /* the running job is one that runs alone */
    GQueue held;          /* vkdJob *, waiting their turn, in order */
} vkdServerClient;

typedef struct {
    vkdServer *srv;
    vkdServerClient *sc;
    vkdJobType type;
    bool alone; /* runs with no other job of the client */
    bool prio;
    virNetServerClient *client; /* a reference */
    virNetMessage *msg;
} vkdJob;

/* May @job start now? srv->jobLock held. */
static bool
vkdServerClientMayStart(vkdServerClient *sc, vkdJob *job)
{
    if (sc->alone)
        return false;
    return job->alone ? sc->running == 0 : true;
}

/* Mark @job running. srv->jobLock held. */
static void
vkdServerClientStart(vkdServerClient *sc, vkdJob *job)
{
    sc->running++;
    if (job->alone)
        sc->alone = true;
}

/* Start @job now or hold it until the client's order allows. Any thread. */
static void
vkdServerClientSchedule(vkdServer *srv, vkdJob *job)
{
    vkdServerClient *sc = job->sc;
    bool start = false;

    g_mutex_lock(&srv->jobLock);
    if (g_queue_is_empty(&sc->held) && vkdServerClientMayStart(sc, job)) {
        vkdServerClientStart(sc, job);
        start = true;
    } else {
        g_queue_push_tail(&sc->held, job);
    }
    g_mutex_unlock(&srv->jobLock);
    if (start)
        vkdPoolSubmit(srv->pool, job, job->prio);
}

/* @job is finished: start what was held behind it. Worker thread. */
static void
vkdServerClientJobDone(vkdServer *srv, vkdJob *job)
{
    vkdServerClient *sc = job->sc;
    g_autoptr(GPtrArray) ready = g_ptr_array_new();

    g_mutex_lock(&srv->jobLock);
    sc->running--;
    if (job->alone)
        sc->alone = false;
    while (!g_queue_is_empty(&sc->held) &&
           vkdServerClientMayStart(sc, g_queue_peek_head(&sc->held))) {
        vkdJob *next = g_queue_pop_head(&sc->held);

        vkdServerClientStart(sc, next);
        g_ptr_array_add(ready, next);
    }
    g_mutex_unlock(&srv->jobLock);
    for (guint i = 0; i < ready->len; i++) {
        vkdJob *next = g_ptr_array_index(ready, i);

        vkdPoolSubmit(srv->pool, next, next->prio);
    }
}

static void
vkdServerClientFree(vkdServerClient *sc)
{
    g_assert(sc->running == 0 && g_queue_is_empty(&sc->held));
    virNetServerClientUnref(sc->client);
    g_free(sc);
}

static void
vkdServerJobRun(gpointer data)
{
    vkdJob *job = data;
    vkdServer *srv = job->srv;

    switch (job->type) {
    case VKD_JOB_CALL:
        vkdDispatchCall(job->client, g_steal_pointer(&job->msg));
        vkdServerClientJobDone(srv, job);
        g_atomic_int_dec_and_test(&srv->inFlight);
        g_main_context_wakeup(NULL); /* shutdown may be waiting */
        break;
    case VKD_JOB_CLOSE:
        /* Alone and last: no call of this client runs or will run. */
        vkdDispatchClientClose(job->client);
        vkdServerClientJobDone(srv, job);
        vkdServerClientFree(job->sc);
        break;
    }
    virNetMessageFree(job->msg);
    virNetServerClientUnref(job->client);
    g_free(job);
}

static vkdJob *
vkdServerJobNew(vkdServer *srv, vkdServerClient *sc, vkdJobType type, virNetMessage *msg,
                bool alone, bool prio)
{
    vkdJob *job = g_new0(vkdJob, 1);

    job->srv = srv;
    job->sc = sc;
    job->type = type;
    job->alone = alone;
    job->prio = prio;
    job->client = virNetServerClientRef(sc->client);
    job->msg = msg;
    return job;
}

/* Whether a call of @sc may be answered inline now: nothing that runs
 * alone is waiting or running for it. Main thread. */
static bool
vkdServerClientMayInline(vkdServer *srv, vkdServerClient *sc)
{
    bool ok;

    g_mutex_lock(&srv->jobLock);
    ok = !sc->alone && g_queue_is_empty(&sc->held);
    g_mutex_unlock(&srv->jobLock);
    return ok;
}

static bool
vkdServerOnNewClient(virNetServer *net, virNetServerClient *client, void *opaque)
{
    vkdServer *srv = opaque;
    uid_t uid = virNetServerClientGetPeerUid(client);
    vkdServerClient *sc;

    /* The read-write socket is 0600 already; checking the peer also
     * covers a socket passed by systemd with a looser mode. */
    if (!virNetServerClientIsReadonly(client) && uid != 0 && uid != geteuid()) {
        g_message("refusing client pid %lld uid %lld on the read-write socket",
                  (long long)virNetServerClientGetPeerPid(client), (long long)uid);
        return false;
    }
    virNetServerClientSetPrivateData(client, vkdDispatchClientNew(),
                                     vkdDispatchClientFree);
    sc = g_new0(vkdServerClient, 1);
    sc->client = virNetServerClientRef(client);
    g_queue_init(&sc->held);
    g_hash_table_insert(srv->clients, client, sc);
    vkdServerUpdateAccepting(srv);
    g_debug("client %" G_GUINT64_FORMAT " pid %lld uid %lld (%s)",
            virNetServerClientGetId(client),
            (long long)virNetServerClientGetPeerPid(client), (long long)uid,
            virNetServerClientIsReadonly(client) ? "read-only" : "read-write");
    return true;
}

/* Every frame but keepalive and REPLY. Main thread: route, never block. */
static void
vkdServerOnFrame(virNetServerClient *client, virNetMessage *msg, void *opaque)
{
    vkdServer *srv = opaque;
    const virNetMessageHeader *hdr = &msg->header;
    vkdServerClient *sc = g_hash_table_lookup(srv->clients, client);
    g_autofree char *text = NULL;

    switch (hdr->type) {
    case VIR_NET_CALL:
    case VIR_NET_CALL_WITH_FDS:
        /* fd passing (feature 8): virNetSocket received the descriptors
         * after the frame (at most 32, each its own 1-byte message); they
         * stay with @msg for the handler (vkdCall.msg) and are closed with
         * it when no handler takes them, as libvirtd ignores the fds of a
         * procedure that takes none. */
        break;
    case VIR_NET_STREAM:
    case VIR_NET_STREAM_HOLE:
        /* Data of a stream a call opened (remote_dispatch_stream.c). */
        vkdDispatchStreamFrame(client, msg);
        return;
    default:
        /* MESSAGE from a client: no client event of REMOTE_PROGRAM
         * exists; ignored like libvirtd ignores them. */
        g_debug("ignoring %s frame (proc %d) from client",
                virNetMessageTypeToString(hdr->type), hdr->proc);
        virNetMessageFree(msg);
        return;
    }

    if (!vkdDispatchKnowsProgram(hdr->prog, hdr->vers)) {
        text = g_strdup_printf("Cannot find program %u version %u", hdr->prog, hdr->vers);
        virNetServerClientSendErrorSimple(client, hdr, VIR_ERR_RPC, VIR_FROM_RPC, text);
    } else if (hdr->status != VIR_NET_OK) {
        text = g_strdup_printf("Unexpected message status %d", hdr->status);
        virNetServerClientSendErrorSimple(client, hdr, VIR_ERR_RPC, VIR_FROM_RPC, text);
    } else if (srv->shuttingDown) {
        virNetServerClientSendErrorSimple(client, hdr, VIR_ERR_OPERATION_INVALID,
                                          VIR_FROM_RPC,
                                          "Requested operation is not valid: "
                                          "the daemon is shutting down");
    } else if (vkdDispatchIsInline(hdr) && vkdServerClientMayInline(srv, sc) &&
               vkdDispatchCallNoWait(client, msg)) {
        return; /* answered here: a lookup or state read */
    } else {
        g_atomic_int_inc(&srv->inFlight);
        vkdServerClientSchedule(srv, vkdServerJobNew(srv, sc, VKD_JOB_CALL, msg,
                                                     vkdDispatchRunsAlone(hdr),
                                                     vkdDispatchIsHighPriority(hdr)));
        return;
    }
    virNetMessageFree(msg);
}

static void
vkdServerOnClose(virNetServerClient *client, void *opaque)
{
    vkdServer *srv = opaque;
    vkdServerClient *sc = NULL;

    g_debug("client %" G_GUINT64_FORMAT " gone", virNetServerClientGetId(client));
    if (!g_hash_table_steal_extended(srv->clients, client, NULL, (gpointer *)&sc))
        return;
    vkdServerUpdateAccepting(srv);
    /* After every call of the client (see the life cycle above). */
    vkdServerClientSchedule(srv,
                            vkdServerJobNew(srv, sc, VKD_JOB_CLOSE, NULL, true, false));
}

vkdServer *
vkdServerNew(const vkdConfig *cfg, GError **error)
{
    static const virNetServerCallbacks cb = {
        .newClient = vkdServerOnNewClient,
        .dispatch = vkdServerOnFrame,
        .closeClient = vkdServerOnClose,
    };
    vkdServer *srv = g_new0(vkdServer, 1);

    srv->cfg = cfg;
    srv->paths = g_ptr_array_new_with_free_func(g_free);
    srv->clients = g_hash_table_new(NULL, NULL);
    g_mutex_init(&srv->jobLock);
    srv->pool =
        vkdPoolNew(cfg->minWorkers, cfg->maxWorkers, cfg->prioWorkers, vkdServerJobRun);
    vkdDispatchInit(cfg);
    srv->net = virNetServerNew(NULL, &cb, srv);
    virNetServerSetMaxRequests(srv->net, cfg->maxClientRequests);
    virNetServerSetMaxQueued(srv->net, cfg->maxClientQueuedReplies,
                             cfg->maxClientReplyBytes);
    srv->accepting = true;
    return srv;
}

/* The daemon's own sockets, read-write first (vkdServerSockets' order) */
static const struct {
    const char *name;
    mode_t mode;
    bool ro;
} vkdServerSocks[] = {
    { VKD_SOCK_RW, 0600, false },
    { VKD_SOCK_RO, 0666, true },
};

int
vkdServerBind(const vkdConfig *cfg, vkdServerSockets *socks, GError **error)
{
    for (size_t i = 0; i < G_N_ELEMENTS(vkdServerSocks); i++) {
        socks->fds[i] = -1;
        socks->paths[i] = NULL;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(vkdServerSocks); i++) {
        g_autofree char *path =
            g_build_filename(cfg->runtimeDir, vkdServerSocks[i].name, NULL);
        int fd = virNetSocketListenUnix(path, vkdServerSocks[i].mode);

        if (fd < 0) {
            g_set_error(error, VKD_ERROR, 0, "%s", virGetLastErrorMessage());
            vkdServerSocketsClear(socks);
            return -1;
        }
        socks->fds[i] = fd;
        socks->paths[i] = g_steal_pointer(&path);
    }
    return 0;
}

void
vkdServerSocketsClear(vkdServerSockets *socks)
{
    for (size_t i = 0; i < G_N_ELEMENTS(vkdServerSocks); i++) {
        if (socks->fds[i] >= 0) {
            close(socks->fds[i]);
            socks->fds[i] = -1;
            if (socks->paths[i])
                unlink(socks->paths[i]);
        }
        g_clear_pointer(&socks->paths[i], g_free);
    }
}

int
vkdServerListen(vkdServer *srv, int *fds, char **names, int n, vkdServerSockets *socks,
                GError **error)
{
    if (n > 0) {
        for (int i = 0; i < n; i++) {
            bool ro = g_str_has_suffix(names[i], "-ro");
            struct stat sb;

            if (fstat(fds[i], &sb) < 0 || !S_ISSOCK(sb.st_mode)) {
                g_set_error(error, VKD_ERROR, 0,
                            "socket activation: descriptor %d is not a socket", fds[i]);
                return -1;
            }
            if (virNetServerAddListenerFD(srv->net, fds[i], ro) < 0)
                goto error;
            fds[i] = -1;
            g_message("socket activation: fd %d (%s) %s", fds[i], names[i],
                      ro ? "read-only" : "read-write");
        }
        return 0;
    }

    for (size_t i = 0; i < G_N_ELEMENTS(vkdServerSocks); i++) {
        g_autofree char *path = NULL;
        int fd = -1;

        if (socks && socks->fds[i] >= 0) {
            /* bound before the drivers started: now accepted on */
            fd = socks->fds[i];
            socks->fds[i] = -1;
            path = g_steal_pointer(&socks->paths[i]);
        } else {
            path = g_build_filename(srv->cfg->runtimeDir, vkdServerSocks[i].name, NULL);
            if ((fd = virNetSocketListenUnix(path, vkdServerSocks[i].mode)) < 0)
                goto error;
        }
        /* the file goes at exit even if the listener cannot be added */
        g_ptr_array_add(srv->paths, g_steal_pointer(&path));
        if (virNetServerAddListenerFD(srv->net, fd, vkdServerSocks[i].ro) < 0)
            goto error;
    }
    return 0;

error:
    g_set_error(error, VKD_ERROR, 0, "%s", virGetLastErrorMessage());
    return -1;
}

bool
vkdServerIsIdle(vkdServer *srv)
{
    if (virNetServerClientCount(srv->net) > 0 || vkdPoolPending(srv->pool) > 0)
        return false;
    return vkdStartupCountActive() == 0;
}

bool
vkdServerHasCallsInFlight(vkdServer *srv)
{
    return vkdPoolPending(srv->pool) > 0;
}

static gboolean
vkdServerTick(gpointer unused)
{
    return G_SOURCE_CONTINUE;
}

bool
vkdServerShutdown(vkdServer *srv)
{
    gint64 deadline = g_get_monotonic_time() + VKD_SHUTDOWN_CALLS_US;
    guint tick = g_timeout_add(100, vkdServerTick, NULL);

    srv->shuttingDown = true;
    vkdServerUpdateAccepting(srv);

    /* Calls already handed to workers run to completion; new CALLs are
     * answered with an error meanwhile (see vkdServerOnFrame). */
    while (g_atomic_int_get(&srv->inFlight) > 0 && g_get_monotonic_time() < deadline)
        g_main_context_iteration(NULL, TRUE);
    if (g_atomic_int_get(&srv->inFlight) > 0)
        g_warning("%d calls still in flight after %d s: exiting anyway",
                  g_atomic_int_get(&srv->inFlight),
                  (int)(VKD_SHUTDOWN_CALLS_US / G_USEC_PER_SEC));

    /* Write what is queued, then close. */
    {
        GHashTableIter it;
        gpointer client;

        g_hash_table_iter_init(&it, srv->clients);
        while (g_hash_table_iter_next(&it, &client, NULL))
            virNetServerClientClose(client, true);
    }
    deadline = g_get_monotonic_time() + VKD_SHUTDOWN_FLUSH_US;
    while (virNetServerClientCount(srv->net) > 0 && g_get_monotonic_time() < deadline)
        g_main_context_iteration(NULL, TRUE);
    g_source_remove(tick);
    virNetServerCloseClients(srv->net);
    return g_atomic_int_get(&srv->inFlight) == 0;
}

void
vkdServerFree(vkdServer *srv)
{
    if (!srv)
        return;
    virNetServerCloseClients(srv->net);
    g_clear_pointer(&srv->net, virNetServerFree);
    g_hash_table_unref(srv->clients);
    for (guint i = 0; i < srv->paths->len; i++)
        unlink(g_ptr_array_index(srv->paths, i));
    g_ptr_array_unref(srv->paths);
    /* Runs the queued client cleanups (closing their connections). If a
     * call is stuck on a guest past the shutdown deadline, do not wait:
     * its job still points at @srv, which then stays allocated. */
    if (g_atomic_int_get(&srv->inFlight) != 0)
        return;
    g_clear_pointer(&srv->pool, vkdPoolFree);
    g_mutex_clear(&srv->jobLock);
    g_free(srv);
}
