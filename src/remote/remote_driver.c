/* remote_driver.c: the driver forwarding every API call to virtkitd (or libvirtd) */
/*
 * Thread protocol.
 * - API threads call the entry points concurrently; each call is one
 *   blocking virNetClientCall (the rpc layer matches replies by serial).
 * - The connection's RPC I/O thread (virnetclient.c) runs remoteEvent and
 *   remoteClosed. remoteEvent only decodes and queues into priv->events
 *   (thread-safe); callbacks run later from the application's event loop
 *   (domain_event.c's timer). remoteClosed fires the connection's close
 *   callback on the I/O thread.
 * - priv->regLock serializes event (de)registration, and is held across
 *   the 316/317/167/168 calls; the I/O thread never takes it, so a reply
 *   can always be read. priv->lock guards the small mutable fields
 *   (cached type string, counters); it is never held across a call.
 */
#define G_LOG_DOMAIN "virtkit.remote"
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "virtkit-config.h"

#include "datatypes.h"
#include "domain_event.h"
#include "domain_obj.h"
#include "driver.h"
#include "remote_driver_priv.h"
#include "remote_protocol.h"
#include "virerror.h"
#include "virevent.h"
#include "virnetclient.h"

#define VIR_FROM_THIS VIR_FROM_REMOTE

/* Flags libvirt's client sends in CONNECT_OPEN (facts §6). */
#define REMOTE_OPEN_RO (1 << 0)
#define REMOTE_OPEN_USER (1 << 1)
#define REMOTE_OPEN_AUTOSTART (1 << 2)

#define REMOTE_SYSTEM_SOCKET "/run/virtkit/virtkit-sock"
#define REMOTE_SYSTEM_SOCKET_RO "/run/virtkit/virtkit-sock-ro"
#define REMOTE_AUTOSTART_DEADLINE_US (10 * G_USEC_PER_SEC)

/* ---- helpers ---------------------------------------------------------------- */

remotePrivate *
remotePriv(virConnectPtr conn)
{
    return conn->privateData;
}

/* One call on @conn's connection; see virNetClientCall. The generated
 * stubs (remote_client.c, remoteCall<Procedure>) all come through here. */
int
remoteCallProgram(virConnectPtr conn, uint32_t prog, int proc, virXdrFilter argsFilter,
                  const void *args, virXdrFilter retFilter, void *ret)
{
    remotePrivate *priv = remotePriv(conn);

    g_debug("remote call 0x%x %s (%d)", prog,
            prog == REMOTE_PROGRAM ? remoteProcedureName(proc) : "", proc);
    return virNetClientCall(priv->client, prog, proc, argsFilter, args, retFilter, ret);
}

/* Borrow @dom's fields into a wire struct (no copies). */
void
remoteMakeDomain(remote_nonnull_domain *out, virDomainPtr dom)
{
    out->name = dom->name;
    memcpy(out->uuid, dom->uuid, VIR_UUID_BUFLEN);
    out->id = dom->id;
}

virDomainPtr
remoteGetDomain(virConnectPtr conn, const remote_nonnull_domain *d)
{
    return virGetDomain(conn, d->name, d->uuid, d->id);
}

/* ---- the other object kinds: wire <-> handle ------------------------------ */

void
remoteMakeDomainSnapshot(remote_nonnull_domain_snapshot *out, virDomainSnapshotPtr obj)
{
    out->name = obj->name;
    remoteMakeDomain(&out->dom, obj->domain);
}

virDomainSnapshotPtr
remoteGetDomainSnapshot(virConnectPtr conn, const remote_nonnull_domain_snapshot *w)
{
    virDomainPtr dom = remoteGetDomain(conn, &w->dom);
    virDomainSnapshotPtr snap = virGetDomainSnapshot(dom, w->name);

    virObjectUnrefDomain(dom); /* the snapshot holds its own reference */
    return snap;
}

void
remoteMakeDomainCheckpoint(remote_nonnull_domain_checkpoint *out,
                           virDomainCheckpointPtr obj)
{
    out->name = obj->name;
    remoteMakeDomain(&out->dom, obj->domain);
}

virDomainCheckpointPtr
remoteGetDomainCheckpoint(virConnectPtr conn, const remote_nonnull_domain_checkpoint *w)
{
    virDomainPtr dom = remoteGetDomain(conn, &w->dom);
    virDomainCheckpointPtr cp = virGetDomainCheckpoint(dom, w->name);

    virObjectUnrefDomain(dom); /* the checkpoint holds its own reference */
    return cp;
}

void
remoteMakeNetwork(remote_nonnull_network *out, virNetworkPtr obj)
{
    out->name = obj->name;
    memcpy(out->uuid, obj->uuid, VIR_UUID_BUFLEN);
}

virNetworkPtr
remoteGetNetwork(virConnectPtr conn, const remote_nonnull_network *w)
{
    return virGetNetwork(conn, w->name, w->uuid);
}

void
remoteMakeNetworkPort(remote_nonnull_network_port *out, virNetworkPortPtr obj)
{
    remoteMakeNetwork(&out->net, obj->net);
    memcpy(out->uuid, obj->uuid, VIR_UUID_BUFLEN);
}

virNetworkPortPtr
remoteGetNetworkPort(virConnectPtr conn, const remote_nonnull_network_port *w)
{
    virNetworkPtr net = remoteGetNetwork(conn, &w->net);
    virNetworkPortPtr port = virGetNetworkPort(net, w->uuid);

    virObjectUnrefNetwork(net); /* the port holds its own reference */
    return port;
}

void
remoteMakeStoragePool(remote_nonnull_storage_pool *out, virStoragePoolPtr obj)
{
    out->name = obj->name;
    memcpy(out->uuid, obj->uuid, VIR_UUID_BUFLEN);
}

virStoragePoolPtr
remoteGetStoragePool(virConnectPtr conn, const remote_nonnull_storage_pool *w)
{
    return virGetStoragePool(conn, w->name, w->uuid, NULL, NULL);
}

void
remoteMakeStorageVol(remote_nonnull_storage_vol *out, virStorageVolPtr obj)
{
    out->pool = obj->pool;
    out->name = obj->name;
    out->key = obj->key;
}

virStorageVolPtr
remoteGetStorageVol(virConnectPtr conn, const remote_nonnull_storage_vol *w)
{
    return virGetStorageVol(conn, w->pool, w->name, w->key, NULL, NULL);
}

void
remoteMakeNodeDevice(remote_nonnull_node_device *out, virNodeDevicePtr obj)
{
    out->name = obj->name;
}

virNodeDevicePtr
remoteGetNodeDevice(virConnectPtr conn, const remote_nonnull_node_device *w)
{
    return virGetNodeDevice(conn, w->name);
}

void
remoteMakeSecret(remote_nonnull_secret *out, virSecretPtr obj)
{
    memcpy(out->uuid, obj->uuid, VIR_UUID_BUFLEN);
    out->usageType = obj->usageType;
    out->usageID = obj->usageID;
}

virSecretPtr
remoteGetSecret(virConnectPtr conn, const remote_nonnull_secret *w)
{
    return virGetSecret(conn, w->uuid, w->usageType, w->usageID);
}

void
remoteMakeInterface(remote_nonnull_interface *out, virInterfacePtr obj)
{
    out->name = obj->name;
    out->mac = obj->mac;
}

virInterfacePtr
remoteGetInterface(virConnectPtr conn, const remote_nonnull_interface *w)
{
    return virGetInterface(conn, w->name, w->mac);
}

void
remoteMakeNWFilter(remote_nonnull_nwfilter *out, virNWFilterPtr obj)
{
    out->name = obj->name;
    memcpy(out->uuid, obj->uuid, VIR_UUID_BUFLEN);
}

virNWFilterPtr
remoteGetNWFilter(virConnectPtr conn, const remote_nonnull_nwfilter *w)
{
    return virGetNWFilter(conn, w->name, w->uuid);
}

void
remoteMakeNWFilterBinding(remote_nonnull_nwfilter_binding *out, virNWFilterBindingPtr obj)
{
    out->portdev = obj->portdev;
    out->filtername = obj->filtername;
}

virNWFilterBindingPtr
remoteGetNWFilterBinding(virConnectPtr conn, const remote_nonnull_nwfilter_binding *w)
{
    return virGetNWFilterBinding(conn, w->portdev, w->filtername);
}

/* Feature query as libvirt's client does it: any error means "no". */
static bool
remoteSupportsFeature(virConnectPtr conn, int feature)
{
    remote_connect_supports_feature_args args = { .feature = feature };
    remote_connect_supports_feature_ret ret = { 0 };
    virErrorPtr saved = NULL;
    int rc;

    virErrorPreserveLast(&saved);
    rc = remoteCallConnectSupportsFeature(conn, &args, &ret);
    virErrorRestore(&saved); /* the query's own error is dropped */
    return rc == 0 && ret.supported > 0;
}

/* ---- events (I/O thread) --------------------------------------------------------- */

static virObjectEvent *
remoteRebootEventNew(const remote_nonnull_domain *d)
{
    return virDomainEventRebootNew(d->id, d->name, d->uuid);
}

static void
remoteEvent(virNetClient *client, virNetMessage *msg, void *opaque)
{
    remotePrivate *priv = opaque;
    const remoteProcedure *p;
    g_autoptr(virNetMessage) owned = msg;
    const char *why = NULL;

    if (msg->header.prog == VIRTKIT_PROGRAM) {
        remoteVirtkitEvent(priv, msg);
        return;
    }
    if (msg->header.prog == QEMU_PROGRAM) {
        remoteQemuEvent(priv, msg);
        return;
    }
    if (msg->header.prog != REMOTE_PROGRAM ||
        !(p = remoteProcedureLookup(msg->header.proc)) ||
        !(p->flags & REMOTE_PROC_EVENT)) {
        g_debug("ignoring MESSAGE prog 0x%x proc %d", msg->header.prog, msg->header.proc);
        return;
    }

    switch (msg->header.proc) {
    case REMOTE_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE: {
        remote_domain_event_callback_lifecycle_msg ev = { 0 };
        if (!virNetMessageDecodePayload(msg, p->argsFilter, &ev, &why))
            break;
        virObjectEventStateQueue(
            priv->events,
            virDomainEventLifecycleNew(ev.msg.dom.id, ev.msg.dom.name, ev.msg.dom.uuid,
                                       ev.msg.event, ev.msg.detail));
        virXdrFree(p->argsFilter, &ev);
        return;
    }
    case REMOTE_PROC_DOMAIN_EVENT_LIFECYCLE: {
        remote_domain_event_lifecycle_msg ev = { 0 };
        if (!virNetMessageDecodePayload(msg, p->argsFilter, &ev, &why))
            break;
        virObjectEventStateQueue(
            priv->events, virDomainEventLifecycleNew(ev.dom.id, ev.dom.name, ev.dom.uuid,
                                                     ev.event, ev.detail));
        virXdrFree(p->argsFilter, &ev);
        return;
    }
    case REMOTE_PROC_DOMAIN_EVENT_CALLBACK_REBOOT: {
        remote_domain_event_callback_reboot_msg ev = { 0 };
        if (!virNetMessageDecodePayload(msg, p->argsFilter, &ev, &why))
            break;
        virObjectEventStateQueue(priv->events, remoteRebootEventNew(&ev.msg.dom));
        virXdrFree(p->argsFilter, &ev);
        return;
    }
    case REMOTE_PROC_DOMAIN_EVENT_REBOOT: {
        remote_domain_event_reboot_msg ev = { 0 };
        if (!virNetMessageDecodePayload(msg, p->argsFilter, &ev, &why))
            break;
        virObjectEventStateQueue(priv->events, remoteRebootEventNew(&ev.dom));
        virXdrFree(p->argsFilter, &ev);
        return;
    }
    case REMOTE_PROC_CONNECT_EVENT_CONNECTION_CLOSED: {
        remote_connect_event_connection_closed_msg ev = { 0 };
        if (!virNetMessageDecodePayload(msg, p->argsFilter, &ev, &why))
            break;
        virConnectCloseCallbackFire(priv->conn, ev.reason);
        return;
    }
    default:
        if (remoteDomainEvent(priv, msg, p, &why))
            return;
        if (why)
            break;
        if (remoteObjectEvent(priv, msg, p, &why))
            return;
        break;
    }
    g_debug("dropping event %d: %s", msg->header.proc, why ? why : "not handled");
}

static void
remoteClosed(virNetClient *client, int reason, void *opaque)
{
    remotePrivate *priv = opaque;

    remoteStreamsClosed(priv);
    virConnectCloseCallbackFire(priv->conn, reason);
}

/* ---- opening ------------------------------------------------------------------- */

/* Query parameters the client consumes; never sent to the server. */
static bool
remoteIsClientParam(const char *name)
{
    static const char *const names[] = {
        "name",      "command",   "socket",  "auth",         "netcat",
        "keyfile",   "pkipath",   "sshauth", "known_hosts",  "known_hosts_verify",
        "no_sanity", "no_verify", "no_tty",  "tls_priority", "tls",
        "mode",      "proxy",     "switch",
    };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(names); i++) {
        if (g_ascii_strcasecmp(name, names[i]) == 0)
            return true;
    }
    return false;
}

typedef struct {
    char *driver;    /* "qemu", "test", "remote" */
    char *transport; /* "unix" or NULL */
    char *path;      /* "/system", "/session", "/default", "/" ... */
    char *socket;    /* socket= */
    char *name;      /* what CONNECT_OPEN carries */
} remoteURI;

static void
remoteURIClear(remoteURI *u)
{
    g_free(u->driver);
    g_free(u->transport);
    g_free(u->path);
    g_free(u->socket);
    g_free(u->name);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(remoteURI, remoteURIClear);

/*
 * Parse @uristr. Returns 1 if it is ours (filled @u), 0 if another driver
 * should take it, -1 on error (reported).
 */
static int
remoteParseURI(const char *uristr, remoteURI *u)
{
    g_autoptr(GUri) uri = NULL;
    g_autoptr(GError) gerr = NULL;
    g_autoptr(GString) query = g_string_new(NULL);
    const char *scheme;
    const char *plus;
    const char *q;

    uri = g_uri_parse(uristr, G_URI_FLAGS_ENCODED | G_URI_FLAGS_NON_DNS, &gerr);
    if (!uri)
        return 0;
    scheme = g_uri_get_scheme(uri);
    plus = strchr(scheme, '+');
    u->driver = plus ? g_strndup(scheme, plus - scheme) : g_strdup(scheme);
    u->transport = plus ? g_strdup(plus + 1) : NULL;
    u->path = g_strdup(g_uri_get_path(uri));

    if (!u->transport) {
        /* Plain URIs we serve: qemu:///system, qemu:///session, remote:///. */
        bool mine =
            (g_str_equal(u->driver, "qemu") &&
             (g_str_equal(u->path, "/system") || g_str_equal(u->path, "/session"))) ||
            g_str_equal(u->driver, "remote");
        if (!mine)
            return 0;
    } else if (!g_str_equal(u->transport, "unix")) {
        virReportError(VIR_ERR_INVALID_ARG, "transport '%s' is not supported",
                       u->transport);
        return -1;
    }
    if (g_uri_get_host(uri) && *g_uri_get_host(uri)) {
        virReportError(VIR_ERR_INVALID_ARG,
                       "using unix socket and remote server '%s' is not supported.",
                       g_uri_get_host(uri));
        return -1;
    }

    /* Split the query: client-only parameters are consumed, the rest goes
     * to the server unchanged and in order. */
    q = g_uri_get_query(uri);
    if (q && *q) {
        g_auto(GStrv) parts = g_strsplit(q, "&", -1);
        size_t i;

        for (i = 0; parts[i]; i++) {
            g_autofree char *key = NULL;
            const char *eq = strchr(parts[i], '=');

            if (!*parts[i])
                continue;
            key = eq ? g_strndup(parts[i], eq - parts[i]) : g_strdup(parts[i]);
            if (g_ascii_strcasecmp(key, "socket") == 0) {
                g_free(u->socket);
                u->socket = g_uri_unescape_string(eq ? eq + 1 : "", NULL);
                continue;
            }
            if (remoteIsClientParam(key))
                continue;
            if (query->len)
                g_string_append_c(query, '&');
            g_string_append(query, parts[i]);
        }
    }

    if (g_str_equal(u->driver, "remote")) {
        /* "server, pick a default" */
        u->name = g_strdup("");
    } else {
        u->name = g_strdup_printf("%s://%s%s%s", u->driver, u->path,
                                  query->len ? "?" : "", query->str);
    }
    return 1;
}

static char *
remoteSessionSocket(void)
{
    return g_build_filename(g_get_user_runtime_dir(), "virtkit", "virtkit-sock", NULL);
}

/* Where the per-user daemon binary is: $VIRTKITD, the build tree, the
 * install prefix, then $PATH. */
static char *
remoteFindDaemon(void)
{
    const char *env = g_getenv("VIRTKITD");
    g_autofree char *built =
        g_build_filename(VIRTKIT_BUILDDIR, "src", "daemon", "virtkitd", NULL);
    g_autofree char *installed = g_build_filename(VIRTKIT_SBINDIR, "virtkitd", NULL);

    if (env && *env)
        return g_strdup(env);
    if (g_file_test(built, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer(&built);
    if (g_file_test(installed, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer(&installed);
    return g_find_program_in_path("virtkitd");
}

/*
 * Start the per-user daemon as libvirt does for qemu:///session and wait
 * until its socket answers. `virtkitd --session --timeout 30 --daemon`
 * returns once its sockets listen; if another client started one first,
 * ours exits and we just keep trying to connect until the deadline.
 */
static virNetClient *
remoteAutostartDaemon(const char *sockpath)
{
    g_autofree char *bin = remoteFindDaemon();
    g_autoptr(GError) gerr = NULL;
    const char *argv[] = { NULL, "--session", "--timeout", "30", "--daemon", NULL };
    gint64 deadline = g_get_monotonic_time() + REMOTE_AUTOSTART_DEADLINE_US;
    int status = 0;

    if (!bin) {
        virReportError(VIR_ERR_NO_CONNECT, "%s",
                       "cannot find virtkitd to start the session daemon");
        return NULL;
    }
    argv[0] = bin;
    g_debug("starting session daemon: %s", bin);
    if (!g_spawn_sync(NULL, (char **)argv, NULL,
                      G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                      NULL, NULL, &status, &gerr)) {
        virReportError(VIR_ERR_NO_CONNECT, "Failed to start '%s': %s", bin,
                       gerr->message);
        return NULL;
    }

    for (;;) {
        virNetClient *client;

        virResetLastError();
        if ((client = virNetClientNewUnix(sockpath)))
            return client;
        if (g_get_monotonic_time() >= deadline)
            return NULL; /* the last connect error is reported */
        g_usleep(20 * 1000);
    }
}

static void
remotePrivateFree(remotePrivate *priv)
{
    if (!priv)
        return;
    virNetClientFree(priv->client);
    if (priv->events)
        virObjectEventStateFree(priv->events);
    g_free(priv->type);
    g_hash_table_unref(priv->localToEvent);
    if (priv->objLocalToSlot)
        g_hash_table_unref(priv->objLocalToSlot);
    if (priv->streams)
        g_hash_table_unref(priv->streams); /* empty: each stream held conn */
    g_mutex_clear(&priv->lock);
    g_mutex_clear(&priv->regLock);
    g_free(priv);
}

static virDrvOpenStatus
remoteConnectOpen(virConnectPtr conn, const char *uristr, virConnectAuthPtr auth,
                  unsigned int flags)
{
    g_auto(remoteURI) u = { 0 };
    g_autofree char *sockpath = NULL;
    remotePrivate *priv;
    remote_connect_open_args openArgs = { 0 };
    remote_auth_list_ret authRet = { 0 };
    unsigned int rflags = 0;
    bool autostart = false;
    int rc;
    size_t i;

    /* Decline other drivers' URIs before judging anything else. */
    rc = remoteParseURI(uristr, &u);
    if (rc <= 0)
        return rc == 0 ? VIR_DRV_OPEN_DECLINED : VIR_DRV_OPEN_ERROR;

    virCheckFlags(VIR_CONNECT_RO | VIR_CONNECT_NO_ALIASES, VIR_DRV_OPEN_ERROR);

    if (g_str_equal(u.path, "/session") || g_str_equal(u.driver, "test"))
        rflags |= REMOTE_OPEN_USER | REMOTE_OPEN_AUTOSTART;
    if (flags & VIR_CONNECT_RO)
        rflags |= REMOTE_OPEN_RO;

    /* Without socket=, the per-user flags pick the per-user daemon (and
     * allow starting it), as libvirt's client does; else the system one. */
    if (u.socket) {
        sockpath = g_strdup(u.socket);
    } else if ((rflags & REMOTE_OPEN_USER) ||
               (g_str_equal(u.driver, "remote") && geteuid() != 0)) {
        sockpath = remoteSessionSocket();
        autostart = true;
    } else {
        sockpath = g_strdup((flags & VIR_CONNECT_RO) ? REMOTE_SYSTEM_SOCKET_RO
                                                     : REMOTE_SYSTEM_SOCKET);
    }

    priv = g_new0(remotePrivate, 1);
    g_mutex_init(&priv->lock);
    g_mutex_init(&priv->regLock);
    priv->conn = conn;
    priv->localToEvent = g_hash_table_new(g_direct_hash, g_direct_equal);
    for (i = 0; i < REMOTE_EVENT_ID_COUNT; i++)
        priv->remoteID[i] = -1;

    priv->client = virNetClientNewUnix(sockpath);
    if (!priv->client && autostart) {
        /* No per-user daemon listening: start one, as libvirt does. */
        g_debug("no daemon at '%s': %s", sockpath, virGetLastErrorMessage());
        virResetLastError();
        priv->client = remoteAutostartDaemon(sockpath);
    }
    if (!priv->client)
        goto error;

    priv->events = virObjectEventStateNew();
    conn->privateData = priv;
    virNetClientSetEventHandler(priv->client, remoteEvent, priv);
    virNetClientSetCloseHandler(priv->client, remoteClosed, priv);
    virNetClientSetStreamHandler(priv->client, remoteStreamFrame, priv);

    /* The preamble real clients send (facts §5.1). */
    if (remoteCallAuthList(conn, &authRet) < 0) {
        /* An old server without AUTH_LIST: skip authentication. */
        if (virGetLastErrorCode() != VIR_ERR_NO_SUPPORT)
            goto error;
        virResetLastError();
    } else {
        bool none = authRet.types_len == 0;
        for (i = 0; i < authRet.types_len; i++) {
            if (authRet.types_val[i] == REMOTE_AUTH_NONE)
                none = true;
        }
        virXdrFree(remote_auth_list_ret_filter, &authRet);
        if (!none) {
            virReportError(VIR_ERR_AUTH_FAILED, "%s",
                           "unsupported authentication type required by the server");
            goto error;
        }
    }

    if (virEventIsRegistered())
        priv->featureKeepAlive =
            remoteSupportsFeature(conn, REMOTE_FEATURE_PROGRAM_KEEPALIVE);

    openArgs.name = u.name;
    openArgs.flags = rflags;
    if (remoteCallConnectOpen(conn, &openArgs) < 0)
        goto error;

    priv->featureCallbacks =
        remoteSupportsFeature(conn, REMOTE_FEATURE_REMOTE_EVENT_CALLBACK);
    priv->featureCloseCallback =
        remoteSupportsFeature(conn, REMOTE_FEATURE_REMOTE_CLOSE_CALLBACK);
    if (priv->featureCloseCallback) {
        if (remoteCallConnectRegisterCloseCallback(conn) < 0) {
            /* virsh carries on after this failure; so do we. */
            g_debug("close callback registration failed: %s", virGetLastErrorMessage());
            virResetLastError();
        } else {
            priv->closeCallbackRegistered = true;
        }
    }
    return VIR_DRV_OPEN_SUCCESS;

error:
    conn->privateData = NULL;
    {
        virErrorPtr saved = NULL;
        virErrorPreserveLast(&saved);
        remotePrivateFree(priv);
        virErrorRestore(&saved);
    }
    return VIR_DRV_OPEN_ERROR;
}

static int
remoteConnectClose(virConnectPtr conn)
{
    remotePrivate *priv = remotePriv(conn);
    virErrorPtr saved = NULL;

    if (!priv)
        return 0;
    /* Closing never fails for the caller; keep its error as it was. */
    virErrorPreserveLast(&saved);
    /* An orderly close is not a "connection closed" event: the server
     * hangs up after CONNECT_CLOSE, which must not fire the callback. */
    virNetClientSetCloseHandler(priv->client, NULL, NULL);
    if (virNetClientIsOpen(priv->client)) {
        if (priv->closeCallbackRegistered)
            remoteCallConnectUnregisterCloseCallback(conn);
        remoteCallConnectClose(conn);
    }
    virNetClientClose(priv->client);
    virObjectEventStateDeregisterConn(priv->events, conn);
    virErrorRestore(&saved);
    conn->privateData = NULL;
    remotePrivateFree(priv);
    return 0;
}

/* ---- connection ---------------------------------------------------------------- */

static const char *
remoteConnectGetType(virConnectPtr conn)
{
    remotePrivate *priv = remotePriv(conn);
    remote_connect_get_type_ret ret = { 0 };
    char *type;

    g_mutex_lock(&priv->lock);
    if (priv->type) {
        g_mutex_unlock(&priv->lock);
        return priv->type;
    }
    g_mutex_unlock(&priv->lock);

    if (remoteCallConnectGetType(conn, &ret) < 0)
        return NULL;
    type = ret.type;
    g_mutex_lock(&priv->lock);
    if (!priv->type)
        priv->type = type;
    else
        g_free(type);
    g_mutex_unlock(&priv->lock);
    return priv->type;
}

static char *
remoteConnectGetURI(virConnectPtr conn)
{
    /* Clients answer this themselves (facts §6): no call. */
    return g_strdup(conn->uri);
}

static int
remoteConnectIsAlive(virConnectPtr conn)
{
    remotePrivate *priv = remotePriv(conn);

    return priv && virNetClientIsOpen(priv->client) ? 1 : 0;
}

static int
remoteConnectIsSecure(virConnectPtr conn)
{
    remote_connect_is_secure_ret ret = { 0 };

    /* A UNIX socket is secure if the server says the rest is. */
    if (remoteCallConnectIsSecure(conn, &ret) < 0)
        return -1;
    return !!ret.secure;
}

static int
remoteConnectIsEncrypted(virConnectPtr conn)
{
    /* libvirt's client asks the same procedure, then answers from its own
     * knowledge of the transport: nothing is encrypted on a UNIX socket. */
    remote_connect_is_secure_ret ret = { 0 };

    if (remoteCallConnectIsSecure(conn, &ret) < 0)
        return -1;
    return 0;
}

static int
remoteConnectSetKeepAlive(virConnectPtr conn, int interval, unsigned int count)
{
    remotePrivate *priv = remotePriv(conn);

    if (!priv->featureKeepAlive) {
        g_debug("server does not support keepalive");
        return 1;
    }
    virNetClientStartKeepAlive(priv->client, interval, count);
    return 0;
}

static int
remoteConnectRegisterCloseCallback(virConnectPtr conn, virConnectCloseFunc cb,
                                   void *opaque, virFreeCallback freecb)
{
    g_mutex_lock(&conn->lock);
    if (conn->closeCb) {
        g_mutex_unlock(&conn->lock);
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "A close callback is already registered");
        return -1;
    }
    conn->closeCb = cb;
    conn->closeOpaque = opaque;
    conn->closeFreeCb = freecb;
    g_mutex_unlock(&conn->lock);
    return 0;
}

static int
remoteConnectUnregisterCloseCallback(virConnectPtr conn, virConnectCloseFunc cb)
{
    void *opaque;
    virFreeCallback freecb;

    g_mutex_lock(&conn->lock);
    if (conn->closeCb != cb) {
        g_mutex_unlock(&conn->lock);
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "A different callback was requested");
        return -1;
    }
    opaque = conn->closeOpaque;
    freecb = conn->closeFreeCb;
    conn->closeCb = NULL;
    conn->closeOpaque = NULL;
    conn->closeFreeCb = NULL;
    g_mutex_unlock(&conn->lock);
    if (freecb)
        freecb(opaque);
    return 0;
}

/* Copy a counted char array (NUL possibly counted) into a fixed buffer. */
int
remoteCopyChars(char *dst, size_t dstlen, const char *src, uint32_t len, const char *what)
{
    memset(dst, 0, dstlen);
    if (len == 0)
        return 0;
    if (strnlen(src, len) >= dstlen) {
        virReportError(VIR_ERR_RPC, "%s exceeds maximum: %zu", what, dstlen - 1);
        return -1;
    }
    memcpy(dst, src, strnlen(src, len));
    return 0;
}

static int
remoteNodeGetSecurityModel(virConnectPtr conn, virSecurityModelPtr secmodel)
{
    remote_node_get_security_model_ret ret = { 0 };
    int rc = 0;

    if (remoteCallNodeGetSecurityModel(conn, &ret) < 0)
        return -1;
    if (remoteCopyChars(secmodel->model, sizeof(secmodel->model), ret.model_val,
                        ret.model_len, "security model") < 0 ||
        remoteCopyChars(secmodel->doi, sizeof(secmodel->doi), ret.doi_val, ret.doi_len,
                        "security doi model") < 0)
        rc = -1;
    virXdrFree(remote_node_get_security_model_ret_filter, &ret);
    return rc;
}

/* ---- event registration ----------------------------------------------------------------- */

/*
 * One server-side registration per eventID, without a domain filter, shared
 * by every local callback for that eventID; the local state filters by
 * domain. So each server event is queued once and reaches exactly the
 * matching local callbacks. @legacyApi: virConnectDomainEventRegister's,
 * which uses 105/106 where the server lacks feature 14 (167/168 are the
 * Any form's), as libvirt's client. Called with regLock held.
 */
static int
remoteEventServerAdd(virConnectPtr conn, remotePrivate *priv, int eventID, bool legacyApi)
{
    if (priv->localCount[eventID]++ > 0)
        return 0;
    if (priv->featureCallbacks) {
        remote_connect_domain_event_callback_register_any_args args = {
            .eventID = eventID,
            .dom = NULL,
        };
        remote_connect_domain_event_callback_register_any_ret ret = { 0 };

        if (remoteCallConnectDomainEventCallbackRegisterAny(conn, &args, &ret) < 0)
            goto error;
        priv->remoteID[eventID] = ret.callbackID;
    } else if (legacyApi) {
        /* as libvirt's client: virConnectDomainEventRegister's own 105 */
        remote_connect_domain_event_register_ret ret = { 0 };

        if (remoteCallConnectDomainEventRegister(conn, &ret) < 0)
            goto error;
    } else {
        remote_connect_domain_event_register_any_args args = { .eventID = eventID };

        if (remoteCallConnectDomainEventRegisterAny(conn, &args) < 0)
            goto error;
    }
    return 0;

error:
    priv->localCount[eventID]--;
    return -1;
}

static int
remoteEventServerRemove(virConnectPtr conn, remotePrivate *priv, int eventID,
                        bool legacyApi)
{
    int rc;

    if (priv->localCount[eventID] <= 0 || --priv->localCount[eventID] > 0)
        return 0;
    if (priv->featureCallbacks) {
        remote_connect_domain_event_callback_deregister_any_args args = {
            .callbackID = priv->remoteID[eventID],
        };

        rc = remoteCallConnectDomainEventCallbackDeregisterAny(conn, &args);
        priv->remoteID[eventID] = -1;
    } else if (legacyApi) {
        remote_connect_domain_event_deregister_ret ret = { 0 };

        rc = remoteCallConnectDomainEventDeregister(conn, &ret);
    } else {
        remote_connect_domain_event_deregister_any_args args = { .eventID = eventID };

        rc = remoteCallConnectDomainEventDeregisterAny(conn, &args);
    }
    return rc;
}

static int
remoteConnectDomainEventRegisterAny(virConnectPtr conn, virDomainPtr dom, int eventID,
                                    virConnectDomainEventGenericCallback cb, void *opaque,
                                    virFreeCallback freecb)
{
    remotePrivate *priv = remotePriv(conn);
    int localID;

    if (eventID < 0 || eventID >= REMOTE_EVENT_ID_COUNT) {
        virReportError(VIR_ERR_INVALID_ARG, "unknown event id %d", eventID);
        return -1;
    }
    g_mutex_lock(&priv->regLock);
    /* Server first: if it refuses, nothing local exists and the caller
     * keeps @opaque (libvirt's contract on failure). */
    if (remoteEventServerAdd(conn, priv, eventID, false) < 0) {
        localID = -1;
        goto cleanup;
    }
    localID = virDomainEventStateRegisterID(conn, priv->events, dom, eventID, cb, opaque,
                                            freecb);
    if (localID < 0) {
        virErrorPtr saved = NULL;
        virErrorPreserveLast(&saved);
        remoteEventServerRemove(conn, priv, eventID, false);
        virErrorRestore(&saved);
        goto cleanup;
    }
    g_hash_table_insert(priv->localToEvent, GINT_TO_POINTER(localID),
                        GINT_TO_POINTER(eventID + 1));
cleanup:
    g_mutex_unlock(&priv->regLock);
    return localID;
}

static int
remoteConnectDomainEventDeregisterAny(virConnectPtr conn, int callbackID)
{
    remotePrivate *priv = remotePriv(conn);
    gpointer value;
    int eventID;
    int rc = -1;

    g_mutex_lock(&priv->regLock);
    if (!g_hash_table_lookup_extended(priv->localToEvent, GINT_TO_POINTER(callbackID),
                                      NULL, &value)) {
        virReportError(VIR_ERR_INVALID_ARG,
                       "could not find event callback %d for deletion", callbackID);
        goto cleanup;
    }
    eventID = GPOINTER_TO_INT(value) - 1;
    if (virObjectEventStateDeregisterID(conn, priv->events, callbackID) < 0)
        goto cleanup;
    g_hash_table_remove(priv->localToEvent, GINT_TO_POINTER(callbackID));
    rc = remoteEventServerRemove(conn, priv, eventID, false);
cleanup:
    g_mutex_unlock(&priv->regLock);
    return rc;
}

static int
remoteConnectDomainEventRegister(virConnectPtr conn, virConnectDomainEventCallback cb,
                                 void *opaque, virFreeCallback freecb)
{
    remotePrivate *priv = remotePriv(conn);
    int rc = -1;

    g_mutex_lock(&priv->regLock);
    if (remoteEventServerAdd(conn, priv, VIR_DOMAIN_EVENT_ID_LIFECYCLE, true) < 0)
        goto cleanup;
    if (virDomainEventStateRegister(conn, priv->events, cb, opaque, freecb) < 0) {
        virErrorPtr saved = NULL;
        virErrorPreserveLast(&saved);
        remoteEventServerRemove(conn, priv, VIR_DOMAIN_EVENT_ID_LIFECYCLE, true);
        virErrorRestore(&saved);
        goto cleanup;
    }
    priv->legacyCount++;
    rc = 0;
cleanup:
    g_mutex_unlock(&priv->regLock);
    return rc;
}

static int
remoteConnectDomainEventDeregister(virConnectPtr conn, virConnectDomainEventCallback cb)
{
    remotePrivate *priv = remotePriv(conn);
    int rc = -1;

    g_mutex_lock(&priv->regLock);
    if (virDomainEventStateDeregister(conn, priv->events, cb) < 0)
        goto cleanup;
    priv->legacyCount--;
    rc = remoteEventServerRemove(conn, priv, VIR_DOMAIN_EVENT_ID_LIFECYCLE, true);
cleanup:
    g_mutex_unlock(&priv->regLock);
    return rc;
}

/* ---- the table ---------------------------------------------------------------------------- */

const virHypervisorDriver remoteHypervisorDriver = {
    .name = "remote",
    .connectOpen = remoteConnectOpen,
    .connectClose = remoteConnectClose,
    .connectGetType = remoteConnectGetType,
    .connectGetVersion = remoteConnectGetVersion,
    .connectGetLibVersion = remoteConnectGetLibVersion,
    .connectGetHostname = remoteConnectGetHostname,
    .connectGetURI = remoteConnectGetURI,
    .connectGetCapabilities = remoteConnectGetCapabilities,
    .connectGetMaxVcpus = remoteConnectGetMaxVcpus,
    .connectIsAlive = remoteConnectIsAlive,
    .connectIsSecure = remoteConnectIsSecure,
    .connectIsEncrypted = remoteConnectIsEncrypted,
    .connectSetKeepAlive = remoteConnectSetKeepAlive,
    .connectRegisterCloseCallback = remoteConnectRegisterCloseCallback,
    .connectUnregisterCloseCallback = remoteConnectUnregisterCloseCallback,
    .nodeGetInfo = remoteNodeGetInfo,
    .nodeGetSecurityModel = remoteNodeGetSecurityModel,
    .nodeGetFreeMemory = remoteNodeGetFreeMemory,
    .nodeGetCellsFreeMemory = remoteNodeGetCellsFreeMemory,
    .nodeGetFreePages = remoteNodeGetFreePages,
    .nodeAllocPages = remoteNodeAllocPages,
    .connectGetSysinfo = remoteConnectGetSysinfo,
    .connectGetDomainCapabilities = remoteConnectGetDomainCapabilities,
    .connectDomainXMLFromNative = remoteConnectDomainXMLFromNative,
    .connectDomainXMLToNative = remoteConnectDomainXMLToNative,
    .connectGetCPUModelNames = remoteConnectGetCPUModelNames,
    .connectCompareCPU = remoteConnectCompareCPU,
    .connectCompareHypervisorCPU = remoteConnectCompareHypervisorCPU,
    .connectBaselineCPU = remoteConnectBaselineCPU,
    .connectBaselineHypervisorCPU = remoteConnectBaselineHypervisorCPU,
    .nodeGetMemoryParameters = remoteNodeGetMemoryParameters,
    .nodeSetMemoryParameters = remoteNodeSetMemoryParameters,
    .connectNumOfDomains = remoteConnectNumOfDomains,
    .connectListDomains = remoteConnectListDomains,
    .connectNumOfDefinedDomains = remoteConnectNumOfDefinedDomains,
    .connectListDefinedDomains = remoteConnectListDefinedDomains,
    .connectListAllDomains = remoteConnectListAllDomains,
    .domainLookupByID = remoteDomainLookupByID,
    .domainLookupByName = remoteDomainLookupByName,
    .domainLookupByUUID = remoteDomainLookupByUUID,
    .domainDefineXMLFlags = remoteDomainDefineXMLFlags,
    .domainUndefineFlags = remoteDomainUndefineFlags,
    .domainCreateWithFlags = remoteDomainCreateWithFlags,
    .domainCreateXML = remoteDomainCreateXML,
    .domainShutdownFlags = remoteDomainShutdownFlags,
    .domainReboot = remoteDomainReboot,
    .domainReset = remoteDomainReset,
    .domainDestroyFlags = remoteDomainDestroyFlags,
    .domainSuspend = remoteDomainSuspend,
    .domainResume = remoteDomainResume,
    .domainGetState = remoteDomainGetState,
    .domainGetInfo = remoteDomainGetInfo,
    .domainGetXMLDesc = remoteDomainGetXMLDesc,
    .domainGetOSType = remoteDomainGetOSType,
    .domainGetMaxMemory = remoteDomainGetMaxMemory,
    .domainGetVcpusFlags = remoteDomainGetVcpusFlags,
    .domainIsActive = remoteDomainIsActive,
    .domainIsPersistent = remoteDomainIsPersistent,
    .domainIsUpdated = remoteDomainIsUpdated,
    .domainGetAutostart = remoteDomainGetAutostart,
    .domainSetAutostart = remoteDomainSetAutostart,
    .domainHasManagedSaveImage = remoteDomainHasManagedSaveImage,
    .domainSaveFlags = remoteDomainSaveFlags,
    .domainRestoreFlags = remoteDomainRestoreFlags,
    .domainSaveParams = remoteDomainSaveParams,
    .domainRestoreParams = remoteDomainRestoreParams,
    .domainBlockPeek = remoteDomainBlockPeek,
    .domainMemoryPeek = remoteDomainMemoryPeek,
    .domainSaveImageGetXMLDesc = remoteDomainSaveImageGetXMLDesc,
    .domainSaveImageDefineXML = remoteDomainSaveImageDefineXML,
    .domainManagedSave = remoteDomainManagedSave,
    .domainManagedSaveRemove = remoteDomainManagedSaveRemove,
    .domainManagedSaveGetXMLDesc = remoteDomainManagedSaveGetXMLDesc,
    .domainManagedSaveDefineXML = remoteDomainManagedSaveDefineXML,
    .domainCoreDumpWithFormat = remoteDomainCoreDumpWithFormat,
    .domainGetSecurityLabel = remoteDomainGetSecurityLabel,
    .domainGetSecurityLabelList = remoteDomainGetSecurityLabelList,
    .domainGetMessages = remoteDomainGetMessages,
    .domainOpenConsole = remoteDomainOpenConsole,
    .domainOpenChannel = remoteDomainOpenChannel,
    .domainScreenshot = remoteDomainScreenshot,
    .domainOpenGraphics = remoteDomainOpenGraphics,
    .domainOpenGraphicsFD = remoteDomainOpenGraphicsFD,
    .domainGetSchedulerType = remoteDomainGetSchedulerType,
    .domainGetSchedulerParameters = remoteDomainGetSchedulerParameters,
    .domainGetSchedulerParametersFlags = remoteDomainGetSchedulerParametersFlags,
    .domainSetSchedulerParameters = remoteDomainSetSchedulerParameters,
    .domainSetSchedulerParametersFlags = remoteDomainSetSchedulerParametersFlags,
    /* running guests: live changes */
    .domainSetMemoryFlags = remoteDomainSetMemoryFlags,
    .domainInjectNMI = remoteDomainInjectNMI,
    .domainSetLifecycleAction = remoteDomainSetLifecycleAction,
    .domainPMSuspendForDuration = remoteDomainPMSuspendForDuration,
    .domainPMWakeup = remoteDomainPMWakeup,
    .nodeSuspendForDuration = remoteNodeSuspendForDuration,
    .domainSendProcessSignal = remoteDomainSendProcessSignal,
    .domainGetHostname = remoteDomainGetHostname,
    .domainGetTime = remoteDomainGetTime,
    .domainSetTime = remoteDomainSetTime,
    .domainFSFreeze = remoteDomainFSFreeze,
    .domainFSThaw = remoteDomainFSThaw,
    .domainFSTrim = remoteDomainFSTrim,
    .domainGetFSInfo = remoteDomainGetFSInfo,
    .domainGetGuestInfo = remoteDomainGetGuestInfo,
    .domainSetUserPassword = remoteDomainSetUserPassword,
    .domainAgentSetResponseTimeout = remoteDomainAgentSetResponseTimeout,
    .domainQemuAgentCommand = remoteDomainQemuAgentCommand,
    .domainGetGuestVcpus = remoteDomainGetGuestVcpus,
    .domainSetGuestVcpus = remoteDomainSetGuestVcpus,
    .domainAuthorizedSSHKeysGet = remoteDomainAuthorizedSSHKeysGet,
    .domainAuthorizedSSHKeysSet = remoteDomainAuthorizedSSHKeysSet,
    .domainSendKey = remoteDomainSendKey,
    .domainGetControlInfo = remoteDomainGetControlInfo,
    .domainSetMetadata = remoteDomainSetMetadata,
    .domainGetMetadata = remoteDomainGetMetadata,
    .domainRename = remoteDomainRename,
    .domainSetVcpusFlags = remoteDomainSetVcpusFlags,
    .domainSetVcpu = remoteDomainSetVcpu,
    .domainBlockResize = remoteDomainBlockResize,
    .domainSetBlockThreshold = remoteDomainSetBlockThreshold,
    .domainAbortJob = remoteDomainAbortJob,
    .domainAbortJobFlags = remoteDomainAbortJobFlags,
    /* block jobs (remote_driver_blockjob.c; abort is generated) */
    .domainBlockJobAbort = remoteDomainBlockJobAbort,
    .domainGetBlockJobInfo = remoteDomainGetBlockJobInfo,
    .domainBlockJobSetSpeed = remoteDomainBlockJobSetSpeed,
    .domainBlockPull = remoteDomainBlockPull,
    .domainBlockRebase = remoteDomainBlockRebase,
    .domainBlockCopy = remoteDomainBlockCopy,
    .domainBlockCommit = remoteDomainBlockCommit,
    .domainAttachDeviceFlags = remoteDomainAttachDeviceFlags,
    .domainDetachDeviceFlags = remoteDomainDetachDeviceFlags,
    .domainDetachDeviceAlias = remoteDomainDetachDeviceAlias,
    .domainUpdateDeviceFlags = remoteDomainUpdateDeviceFlags,
    /* running guests: statistics (remote_driver_stats.c) */
    .domainMemoryStats = remoteDomainMemoryStats,
    .domainSetMemoryStatsPeriod = remoteDomainSetMemoryStatsPeriod,
    .domainBlockStats = remoteDomainBlockStats,
    .domainBlockStatsFlags = remoteDomainBlockStatsFlags,
    .domainInterfaceStats = remoteDomainInterfaceStats,
    .domainInterfaceAddresses = remoteDomainInterfaceAddresses,
    .domainGetVcpus = remoteDomainGetVcpus,
    .domainGetVcpuPinInfo = remoteDomainGetVcpuPinInfo,
    /* resource tuning (remote_driver_tune.c) */
    .domainGetMemoryParameters = remoteDomainGetMemoryParameters,
    .domainGetPerfEvents = remoteDomainGetPerfEvents,
    .domainSetPerfEvents = remoteDomainSetPerfEvents,
    .domainSetMemoryParameters = remoteDomainSetMemoryParameters,
    .domainGetBlkioParameters = remoteDomainGetBlkioParameters,
    .domainSetBlkioParameters = remoteDomainSetBlkioParameters,
    .domainGetNumaParameters = remoteDomainGetNumaParameters,
    .domainSetNumaParameters = remoteDomainSetNumaParameters,
    /* a disk's I/O throttling (remote_driver_iotune.c) */
    .domainSetBlockIoTune = remoteDomainSetBlockIoTune,
    .domainGetBlockIoTune = remoteDomainGetBlockIoTune,
    /* interface bandwidth (remote_driver_iftune.c) */
    .domainSetInterfaceParameters = remoteDomainSetInterfaceParameters,
    .domainGetInterfaceParameters = remoteDomainGetInterfaceParameters,
    .domainPinVcpu = remoteDomainPinVcpu,
    .domainPinVcpuFlags = remoteDomainPinVcpuFlags,
    .domainPinEmulator = remoteDomainPinEmulator,
    .domainGetEmulatorPinInfo = remoteDomainGetEmulatorPinInfo,
    .domainGetIOThreadInfo = remoteDomainGetIOThreadInfo,
    .domainPinIOThread = remoteDomainPinIOThread,
    .domainAddIOThread = remoteDomainAddIOThread,
    .domainDelIOThread = remoteDomainDelIOThread,
    .domainSetIOThreadParams = remoteDomainSetIOThreadParams,
    .domainGetCPUStats = remoteDomainGetCPUStats,
    .domainGetBlockInfo = remoteDomainGetBlockInfo,
    .domainGetDiskErrors = remoteDomainGetDiskErrors,
    .connectDomainQemuMonitorEventRegister = remoteConnectDomainQemuMonitorEventRegister,
    .connectDomainQemuMonitorEventDeregister =
        remoteConnectDomainQemuMonitorEventDeregister,
    .domainGetJobInfo = remoteDomainGetJobInfo,
    .domainGetJobStats = remoteDomainGetJobStats,
    .nodeGetCPUStats = remoteNodeGetCPUStats,
    .nodeGetMemoryStats = remoteNodeGetMemoryStats,
    .nodeGetCPUMap = remoteNodeGetCPUMap,
    .connectGetAllDomainStats = remoteConnectGetAllDomainStats,
    .domainStartDirtyRateCalc = remoteDomainStartDirtyRateCalc,
    .domainBackupBegin = remoteDomainBackupBegin,
    .domainBackupGetXMLDesc = remoteDomainBackupGetXMLDesc,
    /* QEMU_PROGRAM (generated entry point, remote_client.c) */
    .domainQemuMonitorCommand = qemuDomainMonitorCommand,
    .connectDomainEventRegisterAny = remoteConnectDomainEventRegisterAny,
    .connectDomainEventDeregisterAny = remoteConnectDomainEventDeregisterAny,
    .connectDomainEventRegister = remoteConnectDomainEventRegister,
    .connectDomainEventDeregister = remoteConnectDomainEventDeregister,
    .vkDomainStop = remoteVkDomainStop,
    .vkConnectEventSubscribe = remoteVkConnectEventSubscribe,
    .vkConnectEventUnsubscribe = remoteVkConnectEventUnsubscribe,
    /* snapshots (generated entry points, protocol.vkp gen=both) */
    .domainSnapshotCreateXML = remoteDomainSnapshotCreateXML,
    .domainSnapshotGetXMLDesc = remoteDomainSnapshotGetXMLDesc,
    .domainSnapshotNum = remoteDomainSnapshotNum,
    .domainSnapshotListNames = remoteDomainSnapshotListNames,
    .domainListAllSnapshots = remoteDomainListAllSnapshots,
    .domainSnapshotNumChildren = remoteDomainSnapshotNumChildren,
    .domainSnapshotListChildrenNames = remoteDomainSnapshotListChildrenNames,
    .domainSnapshotListAllChildren = remoteDomainSnapshotListAllChildren,
    .domainSnapshotLookupByName = remoteDomainSnapshotLookupByName,
    .domainHasCurrentSnapshot = remoteDomainHasCurrentSnapshot,
    .domainSnapshotGetParent = remoteDomainSnapshotGetParent,
    .domainSnapshotCurrent = remoteDomainSnapshotCurrent,
    .domainSnapshotIsCurrent = remoteDomainSnapshotIsCurrent,
    .domainSnapshotHasMetadata = remoteDomainSnapshotHasMetadata,
    .domainRevertToSnapshot = remoteDomainRevertToSnapshot,
    .domainSnapshotDelete = remoteDomainSnapshotDelete,
    .domainCheckpointCreateXML = remoteDomainCheckpointCreateXML,
    .domainCheckpointGetXMLDesc = remoteDomainCheckpointGetXMLDesc,
    .domainListAllCheckpoints = remoteDomainListAllCheckpoints,
    .domainCheckpointListAllChildren = remoteDomainCheckpointListAllChildren,
    .domainCheckpointLookupByName = remoteDomainCheckpointLookupByName,
    .domainCheckpointGetParent = remoteDomainCheckpointGetParent,
    .domainCheckpointDelete = remoteDomainCheckpointDelete,
    .nodeDeviceDettach = remoteNodeDeviceDettach,
    .nodeDeviceDetachFlags = remoteNodeDeviceDetachFlags,
    .nodeDeviceReAttach = remoteNodeDeviceReAttach,
    .nodeDeviceReset = remoteNodeDeviceReset,
};
