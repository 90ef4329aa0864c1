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
 * - srv->inFlight (atomic) counts calls handed to workers and not yet
 *   finished; everything else in vkdServer is main-thread only.
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

/* How long an orderly exit waits for calls in flight (a destroy may take
 * 15 s), then for the replies to be written. */
#define VKD_SHUTDOWN_CALLS_US (60 * G_USEC_PER_SEC)
#define VKD_SHUTDOWN_FLUSH_US (5 * G_USEC_PER_SEC)

struct _vkdServer {
    const vkdConfig *cfg;
    virNetServer *net;
    vkdPool *pool;
    GPtrArray *paths;       /* socket files we created (unlinked at exit) */
    GHashTable *clients;    /* virNetServerClient * -> itself (a reference) */
    gint inFlight;          /* atomic */
    bool accepting;
    bool shuttingDown;
};

/* Accept while under max_clients; at the limit new connections wait in
 * the kernel backlog, as with libvirtd. Main thread. */
static void
vkdServerUpdateAccepting(vkdServer *srv)
{
    bool want = !srv->shuttingDown &&
        g_hash_table_size(srv->clients) < srv->cfg->maxClients;

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

typedef struct {
    vkdServer *srv;
    vkdJobType type;
    virNetServerClient *client;     /* a reference */
    virNetMessage *msg;
} vkdJob;

static void
vkdServerJobRun(gpointer data)
{
    vkdJob *job = data;

    switch (job->type) {
    case VKD_JOB_CALL:
        vkdDispatchCall(job->client, g_steal_pointer(&job->msg));
        g_atomic_int_dec_and_test(&job->srv->inFlight);
        g_main_context_wakeup(NULL);    /* shutdown may be waiting */
        break;
    case VKD_JOB_CLOSE:
        vkdDispatchClientClose(job->client);
        break;
    }
    virNetMessageFree(job->msg);
    virNetServerClientUnref(job->client);
    g_free(job);
}

static void
vkdServerSubmit(vkdServer *srv, vkdJobType type, virNetServerClient *client,
                virNetMessage *msg, bool prio)
{
    vkdJob *job = g_new0(vkdJob, 1);

    job->srv = srv;
    job->type = type;
    job->client = virNetServerClientRef(client);
    job->msg = msg;
    vkdPoolSubmit(srv->pool, job, prio);
}

static bool
vkdServerOnNewClient(virNetServer *net, virNetServerClient *client, void *opaque)
{
    vkdServer *srv = opaque;
    uid_t uid = virNetServerClientGetPeerUid(client);

    /* The read-write socket is 0600 already; checking the peer also
     * covers a socket passed by systemd with a looser mode. */
    if (!virNetServerClientIsReadonly(client) && uid != 0 && uid != geteuid()) {
        g_message("refusing client pid %lld uid %lld on the read-write socket",
                  (long long)virNetServerClientGetPeerPid(client), (long long)uid);
        return false;
    }
    virNetServerClientSetPrivateData(client, vkdDispatchClientNew(),
                                     vkdDispatchClientFree);
    g_hash_table_add(srv->clients, virNetServerClientRef(client));
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
    g_autofree char *text = NULL;

    switch (hdr->type) {
    case VIR_NET_CALL:
        break;
    case VIR_NET_CALL_WITH_FDS:
        /* FD_PASSING (feature 8) is never advertised; the descriptors'
         * carrier bytes that follow cannot be told from the next frame's
         * length word, so the stream cannot be trusted any more. */
        g_message("client %" G_GUINT64_FORMAT " sent CALL_WITH_FDS (proc %d): closing",
                  virNetServerClientGetId(client), hdr->proc);
        virNetMessageFree(msg);
        virNetServerClientClose(client, false);
        return;
    default:
        /* MESSAGE/STREAM from a client: no stream or client event of
         * REMOTE_PROGRAM exists here; ignored like libvirtd ignores them. */
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
    } else if (vkdDispatchCallNoWait(client, msg)) {
        return;         /* answered here: a lookup or state read */
    } else {
        g_atomic_int_inc(&srv->inFlight);
        vkdServerSubmit(srv, VKD_JOB_CALL, client, msg,
                        vkdDispatchIsHighPriority(hdr));
        return;
    }
    virNetMessageFree(msg);
}

static void
vkdServerOnClose(virNetServerClient *client, void *opaque)
{
    vkdServer *srv = opaque;

    g_debug("client %" G_GUINT64_FORMAT " gone", virNetServerClientGetId(client));
    vkdServerSubmit(srv, VKD_JOB_CLOSE, client, NULL, false);
    if (g_hash_table_remove(srv->clients, client))
        vkdServerUpdateAccepting(srv);
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
    srv->clients = g_hash_table_new_full(NULL, NULL,
                                         (GDestroyNotify)virNetServerClientUnref, NULL);
    srv->pool = vkdPoolNew(cfg->minWorkers, cfg->maxWorkers, cfg->prioWorkers,
                           vkdServerJobRun);
    vkdDispatchInit(cfg);
    srv->net = virNetServerNew(NULL, &cb, srv);
    virNetServerSetMaxRequests(srv->net, cfg->maxClientRequests);
    srv->accepting = true;
    return srv;
}

int
vkdServerListen(vkdServer *srv, int *fds, char **names, int n, GError **error)
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

    {
        struct { const char *name; mode_t mode; bool ro; } socks[] = {
            { VKD_SOCK_RW, 0600, false },
            { VKD_SOCK_RO, 0666, true },
        };

        for (size_t i = 0; i < G_N_ELEMENTS(socks); i++) {
            g_autofree char *path = g_build_filename(srv->cfg->runtimeDir,
                                                     socks[i].name, NULL);

            if (virNetServerAddUnixListener(srv->net, path, socks[i].mode,
                                            socks[i].ro) < 0)
                goto error;
            g_ptr_array_add(srv->paths, g_steal_pointer(&path));
        }
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
    /* Runs the queued client cleanups (closing their connections). If a
     * call is stuck on a guest past the shutdown deadline, do not wait. */
    if (g_atomic_int_get(&srv->inFlight) == 0)
        g_clear_pointer(&srv->pool, vkdPoolFree);
    for (guint i = 0; i < srv->paths->len; i++)
        unlink(g_ptr_array_index(srv->paths, i));
    g_ptr_array_unref(srv->paths);
    g_free(srv);
}
