/* remote_dispatch.c: REMOTE_PROGRAM dispatch: the table, argument decoding, errors, connection calls
 *
 * Thread protocol: vkdDispatchCall runs on a pool worker, up to
 * max_client_requests of them per client at once. Per-client state is
 * guarded by vkdDispatchClient.lock, held only to read or swap fields,
 * never across an API call. Each call works on its own reference to the
 * client's connection. CONNECT_CLOSE and vkdDispatchClientClose release
 * the connection and the event registrations; daemon_server.c runs them
 * only when no other call of the client runs (the client's life cycle is
 * written at the top of daemon_server.c), so no handler ever sees a
 * registration freed under it.
 */
#define G_LOG_DOMAIN "virtkitd.dispatch"
#include <string.h>
#include <unistd.h>

#include "remote_dispatch_gen.h"
#include "remote_dispatch_priv.h"
#include "daemon_journal.h"
#include "domain_event.h"
#include "domain_obj.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_RPC

const vkdConfig *vkdDispatchConfig;

/*
 * What the daemon adds to the protocol description (protocol.vkp, which
 * gives every procedure's layout, read-only rule, priority and public API):
 * a handler, and local policy. A procedure without a handler is still
 * decoded and checked in full, then answered VIR_ERR_NO_SUPPORT.
 */
typedef enum {
    VKD_PROC_NO_CONN = 1 << 0, /* valid before CONNECT_OPEN */
    VKD_PROC_PRIO = 1 << 2,    /* may run on the priority pool (besides
                                     * those the description marks) */
    VKD_PROC_INLINE = 1 << 3,  /* may run on the I/O thread, no-wait */
} vkdProcFlags;

typedef struct {
    vkdHandler handler;
    unsigned int flags;
} vkdProcEntry;

void
vkdDispatchInit(const vkdConfig *cfg)
{
    vkdDispatchConfig = cfg;
}

/* ---- per-client state -------------------------------------------------- */

void *
vkdDispatchClientNew(void)
{
    vkdDispatchClient *dc = g_new0(vkdDispatchClient, 1);

    g_mutex_init(&dc->lock);
    dc->events = g_ptr_array_new();
    dc->replays = g_ptr_array_new();
    dc->streams = g_ptr_array_new();
    return dc;
}

void
vkdDispatchClientFree(void *data)
{
    vkdDispatchClient *dc = data;

    if (!dc)
        return;
    /* vkdDispatchClientClose ran first (closeClient hook) and emptied it. */
    if (dc->conn)
        virConnectClose(dc->conn);
    g_ptr_array_unref(dc->events);
    g_ptr_array_unref(dc->replays);
    g_ptr_array_unref(dc->streams); /* emptied by the close job */
    g_mutex_clear(&dc->lock);
    g_free(dc);
}

/* Take the connection out of @dc (NULL if none) and mark it closed. */
static virConnectPtr
vkdDispatchClientStealConn(vkdDispatchClient *dc)
{
    virConnectPtr conn;

    g_mutex_lock(&dc->lock);
    conn = g_steal_pointer(&dc->conn);
    dc->closed = true;
    g_mutex_unlock(&dc->lock);
    return conn;
}

/*
 * test:///default behind a daemon (libvirtd, observed): one state shared
 * by every client connection, reset when the last one closes. The test
 * driver does that itself (as libvirt's, per process): each client opens
 * its own connection.
 */

static void
vkdDispatchCloseConn(vkdDispatchClient *dc, virConnectPtr conn)
{
    if (!conn)
        return;
    vkdDispatchEventsDropAll(dc, conn);
    virConnectClose(conn);
}

void
vkdDispatchClientClose(virNetServerClient *client)
{
    vkdDispatchClient *dc = virNetServerClientGetPrivateData(client);

    if (dc) {
        vkdJournalDropClient(client);
        vkdDispatchFlushReplays(dc, false);
        vkdDispatchStreamsCloseAll(dc);
        vkdDispatchCloseConn(dc, vkdDispatchClientStealConn(dc));
    }
}

/* ---- helpers ------------------------------------------------------------- */

virDomainPtr
vkdDomainFromWire(virConnectPtr conn, const remote_nonnull_domain *d)
{
    return virGetDomain(conn, d->name, d->uuid, d->id);
}

void
vkdDomainToWire(remote_nonnull_domain *out, virDomainPtr dom)
{
    out->name = g_strdup(virDomainGetName(dom));
    virDomainGetUUID(dom, out->uuid);
    out->id = (int32_t)virDomainGetID(dom);
}

/* The other object kinds: handles made from the wire name the object; the
 * driver looks it up again and reports NO_<KIND> when it is gone. */

virDomainSnapshotPtr
vkdDomainSnapshotFromWire(virConnectPtr conn, const remote_nonnull_domain_snapshot *w)
{
    g_autoptr(virDomain) dom = vkdDomainFromWire(conn, &w->dom);

    return virGetDomainSnapshot(dom, w->name);
}

void
vkdDomainSnapshotToWire(remote_nonnull_domain_snapshot *out, virDomainSnapshotPtr obj)
{
    out->name = g_strdup(obj->name);
    vkdDomainToWire(&out->dom, obj->domain);
}

virDomainCheckpointPtr
vkdDomainCheckpointFromWire(virConnectPtr conn, const remote_nonnull_domain_checkpoint *w)
{
    g_autoptr(virDomain) dom = vkdDomainFromWire(conn, &w->dom);

    return virGetDomainCheckpoint(dom, w->name);
}

void
vkdDomainCheckpointToWire(remote_nonnull_domain_checkpoint *out,
                          virDomainCheckpointPtr obj)
{
    out->name = g_strdup(obj->name);
    vkdDomainToWire(&out->dom, obj->domain);
}

virNetworkPtr
vkdNetworkFromWire(virConnectPtr conn, const remote_nonnull_network *w)
{
    return virGetNetwork(conn, w->name, w->uuid);
}

void
vkdNetworkToWire(remote_nonnull_network *out, virNetworkPtr obj)
{
    out->name = g_strdup(obj->name);
    memcpy(out->uuid, obj->uuid, VIR_UUID_BUFLEN);
}

virNetworkPortPtr
vkdNetworkPortFromWire(virConnectPtr conn, const remote_nonnull_network_port *w)
{
    g_autoptr(virNetwork) net = vkdNetworkFromWire(conn, &w->net);

    return virGetNetworkPort(net, w->uuid);
}

void
vkdNetworkPortToWire(remote_nonnull_network_port *out, virNetworkPortPtr obj)
{
    vkdNetworkToWire(&out->net, obj->net);
    memcpy(out->uuid, obj->uuid, VIR_UUID_BUFLEN);
}

virStoragePoolPtr
vkdStoragePoolFromWire(virConnectPtr conn, const remote_nonnull_storage_pool *w)
{
    return virGetStoragePool(conn, w->name, w->uuid, NULL, NULL);
}

void
vkdStoragePoolToWire(remote_nonnull_storage_pool *out, virStoragePoolPtr obj)
{
    out->name = g_strdup(obj->name);
    memcpy(out->uuid, obj->uuid, VIR_UUID_BUFLEN);
}

virStorageVolPtr
vkdStorageVolFromWire(virConnectPtr conn, const remote_nonnull_storage_vol *w)
{
    return virGetStorageVol(conn, w->pool, w->name, w->key, NULL, NULL);
}

void
vkdStorageVolToWire(remote_nonnull_storage_vol *out, virStorageVolPtr obj)
{
    out->pool = g_strdup(obj->pool);
    out->name = g_strdup(obj->name);
    out->key = g_strdup(obj->key);
}

virNodeDevicePtr
vkdNodeDeviceFromWire(virConnectPtr conn, const remote_nonnull_node_device *w)
{
    return virGetNodeDevice(conn, w->name);
}

void
vkdNodeDeviceToWire(remote_nonnull_node_device *out, virNodeDevicePtr obj)
{
    out->name = g_strdup(obj->name);
}

virSecretPtr
vkdSecretFromWire(virConnectPtr conn, const remote_nonnull_secret *w)
{
    return virGetSecret(conn, w->uuid, w->usageType, w->usageID);
}

void
vkdSecretToWire(remote_nonnull_secret *out, virSecretPtr obj)
{
    memcpy(out->uuid, obj->uuid, VIR_UUID_BUFLEN);
    out->usageType = obj->usageType;
    out->usageID = g_strdup(obj->usageID);
}

virInterfacePtr
vkdInterfaceFromWire(virConnectPtr conn, const remote_nonnull_interface *w)
{
    return virGetInterface(conn, w->name, w->mac);
}

void
vkdInterfaceToWire(remote_nonnull_interface *out, virInterfacePtr obj)
{
    out->name = g_strdup(obj->name);
    out->mac = g_strdup(obj->mac);
}

virNWFilterPtr
vkdNWFilterFromWire(virConnectPtr conn, const remote_nonnull_nwfilter *w)
{
    return virGetNWFilter(conn, w->name, w->uuid);
}

void
vkdNWFilterToWire(remote_nonnull_nwfilter *out, virNWFilterPtr obj)
{
    out->name = g_strdup(obj->name);
    memcpy(out->uuid, obj->uuid, VIR_UUID_BUFLEN);
}

virNWFilterBindingPtr
vkdNWFilterBindingFromWire(virConnectPtr conn, const remote_nonnull_nwfilter_binding *w)
{
    return virGetNWFilterBinding(conn, w->portdev, w->filtername);
}

void
vkdNWFilterBindingToWire(remote_nonnull_nwfilter_binding *out, virNWFilterBindingPtr obj)
{
    out->portdev = g_strdup(obj->portdev);
    out->filtername = g_strdup(obj->filtername);
}

/* The error the last API call left, as libvirtd puts it on the wire. */
static void
vkdDispatchSendLastError(vkdCall *call)
{
    g_auto(virNetMessageError) rerr = { 0 };
    virErrorPtr e = virGetLastError();

    if (!e || e->code == VIR_ERR_OK) {
        virNetMessageErrorSet(&rerr, VIR_ERR_INTERNAL_ERROR, VIR_FROM_RPC,
                              "Library function returned error "
                              "but did not set virError");
    } else {
        rerr.code = e->code;
        rerr.domain = e->domain;
        rerr.level = e->level ? e->level : VIR_ERR_ERROR;
        rerr.message = g_strdup(e->message ? e->message : "unknown error");
        rerr.str1 = g_strdup(e->str1 ? e->str1 : "%s");
        rerr.str2 = g_strdup(e->str2 ? e->str2 : e->message);
        rerr.str3 = g_strdup(e->str3);
        rerr.int1 = e->int1;
        rerr.int2 = e->int2;
    }
    virNetServerClientSendError(call->client, call->hdr, &rerr);
}

/* An error of the RPC layer itself, whose text libvirtd sends as it is,
 * without a template ("hypervisor connection not open", "Unable to decode
 * message payload": facts/remote-protocol.md). */
static void vkdDispatchSendError(vkdCall *call, int code, int domain, const char *fmt,
                                 ...) G_GNUC_PRINTF(4, 5);

/* NO_SUPPORT for @what, raised as the public API raises it (libvirt's
 * template for the code, virerror.c), then sent as any API error is. */
static void
vkdDispatchSendNoSupport(vkdCall *call, int domain, const char *what)
{
    virReportErrorFull(domain, VIR_ERR_NO_SUPPORT, NULL, "%s", what);
    vkdDispatchSendLastError(call);
    virResetLastError();
}

static void
vkdDispatchSendError(vkdCall *call, int code, int domain, const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    virNetServerClientSendErrorSimple(call->client, call->hdr, code, domain, msg);
}

/* ---- connection procedures ------------------------------------------------ */

/*
 * The URI a client may open here. qemu:///system and qemu:///session both
 * mean this daemon's QEMU driver (a daemon serves one of them; clients pick
 * the path only to find a socket); test:/// URIs are the test driver;
 * "" is the daemon's default. Anything that would make the daemon a client
 * of some other daemon (a transport, remote://) is refused.
 */
static char *
vkdDispatchResolveURI(const char *name, GError **error)
{
    const char *own =
        vkdDispatchConfig->privileged ? "qemu:///system" : "qemu:///session";
    const char *rest;

    if (!name || !*name)
        return g_strdup(vkdDispatchConfig->defaultUri);
    if ((rest = g_str_has_prefix(name, "qemu:///system")    ? name + 14
                : g_str_has_prefix(name, "qemu:///session") ? name + 15
                                                            : NULL) &&
        (*rest == '\0' || *rest == '?'))
        return g_strconcat(own, rest, NULL);
    if (g_str_has_prefix(name, "test:///"))
        return g_strdup(name);
    g_set_error(error, VKD_ERROR, 0, "no connection driver available for %s", name);
    return NULL;
}

static VKD_HANDLER(vkdDispatchConnectOpen)
{
    remote_connect_open_args *a = args;
    g_autoptr(GError) gerr = NULL;
    g_autofree char *uri = NULL;
    bool readonly =
        virNetServerClientIsReadonly(call->client) || (a->flags & VIR_CONNECT_RO);
    virConnectPtr conn;

    g_mutex_lock(&call->dc->lock);
    if (call->dc->conn || call->dc->closed) {
        g_mutex_unlock(&call->dc->lock);
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "connection already open");
        return -1;
    }
    g_mutex_unlock(&call->dc->lock);

    if (!(uri = vkdDispatchResolveURI(a->name, &gerr))) {
        virReportError(VIR_ERR_NO_CONNECT, "%s", a->name);
        return -1;
    }
    g_debug("client %" G_GUINT64_FORMAT ": open '%s'%s",
            virNetServerClientGetId(call->client), uri, readonly ? " read-only" : "");
    conn = readonly ? virConnectOpenReadOnly(uri) : virConnectOpen(uri);
    if (!conn)
        return -1;

    g_mutex_lock(&call->dc->lock);
    if (call->dc->conn || call->dc->closed) {
        /* A concurrent OPEN won, or the client went away meanwhile. */
        g_mutex_unlock(&call->dc->lock);
        virConnectClose(conn);
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "connection already open");
        return -1;
    }
    call->dc->conn = conn;
    call->dc->readonly = readonly;
    g_mutex_unlock(&call->dc->lock);
    return 0;
}

static VKD_HANDLER(vkdDispatchConnectClose)
{
    /* Reply first, then close the socket (vkdDispatchCall does that);
     * the connection itself is released here. */
    vkdDispatchCloseConn(call->dc, vkdDispatchClientStealConn(call->dc));
    return 0;
}

static VKD_HANDLER(vkdDispatchAuthList)
{
    remote_auth_list_ret *r = ret;

    /* UNIX sockets: credentials come from SO_PEERCRED, no SASL/polkit. */
    r->types_len = 1;
    r->types_val = g_new0(int32_t, 1);
    r->types_val[0] = REMOTE_AUTH_NONE;
    return 0;
}

static VKD_HANDLER(vkdDispatchSupportsFeature)
{
    remote_connect_supports_feature_args *a = args;
    remote_connect_supports_feature_ret *r = ret;

    switch (a->feature) {
    case REMOTE_FEATURE_PROGRAM_KEEPALIVE:
        /* virNetServer answers PINGs; we PING clients that ask, as libvirtd. */
        r->supported = 1;
        if (vkdDispatchConfig->keepaliveInterval > 0)
            virNetServerClientStartKeepAlive(call->client,
                                             vkdDispatchConfig->keepaliveInterval,
                                             vkdDispatchConfig->keepaliveCount);
        break;
    case REMOTE_FEATURE_REMOTE_EVENT_CALLBACK: /* 316/317/318/319 */
    case REMOTE_FEATURE_REMOTE_CLOSE_CALLBACK: /* 360/361 */
    case REMOTE_FEATURE_TYPED_PARAM_STRING:    /* string typed parameters */
    /* virNetworkUpdate's command and section arrive in the right order */
    case REMOTE_FEATURE_NETWORK_UPDATE_HAS_CORRECT_ORDER:
        r->supported = 1;
        break;
    case REMOTE_FEATURE_FD_PASSING:
        /* CALL_WITH_FDS / REPLY_WITH_FDS over our UNIX sockets */
        r->supported = 1;
        break;
    default:
        /* No migration here. */
        r->supported = 0;
        break;
    }
    return 0;
}

static VKD_HANDLER(vkdDispatchGetType)
{
    remote_connect_get_type_ret *r = ret;
    const char *type = virConnectGetType(call->conn);

    if (!type)
        return -1;
    r->type = g_strdup(type);
    return 0;
}

static VKD_HANDLER(vkdDispatchNodeGetSecurityModel)
{
    remote_node_get_security_model_ret *r = ret;
    virSecurityModel sm = { { 0 } };

    if (virNodeGetSecurityModel(call->conn, &sm) < 0)
        return -1;
    /* Counts include the terminating NUL, as libvirtd sends them. */
    r->model_len = strnlen(sm.model, sizeof(sm.model) - 1) + 1;
    r->model_val = g_strndup(sm.model, r->model_len - 1);
    r->doi_len = strnlen(sm.doi, sizeof(sm.doi) - 1) + 1;
    r->doi_val = g_strndup(sm.doi, r->doi_len - 1);
    return 0;
}

/* ---- the table -------------------------------------------------------------- */

#define ENTRY(num, fn, fl) [REMOTE_PROC_##num] = { fn, fl }
#define P VKD_PROC_PRIO
#define N VKD_PROC_NO_CONN
#define I VKD_PROC_INLINE

static const vkdProcEntry vkdProcs[] = {
    ENTRY(CONNECT_OPEN, vkdDispatchConnectOpen, N | P),
    ENTRY(CONNECT_CLOSE, vkdDispatchConnectClose, N | P),
    ENTRY(AUTH_LIST, vkdDispatchAuthList, N | P),
    ENTRY(CONNECT_SUPPORTS_FEATURE, vkdDispatchSupportsFeature, N | P),
    ENTRY(CONNECT_GET_TYPE, vkdDispatchGetType, P),
    ENTRY(CONNECT_GET_VERSION, vkdGenConnectGetVersion, P),
    ENTRY(CONNECT_GET_LIB_VERSION, vkdGenConnectGetLibVersion, P),
    ENTRY(CONNECT_GET_HOSTNAME, vkdGenConnectGetHostname, P),
    ENTRY(CONNECT_GET_URI, vkdGenConnectGetURI, P),
    ENTRY(CONNECT_IS_SECURE, vkdGenConnectIsSecure, P),
    ENTRY(CONNECT_GET_CAPABILITIES, vkdGenConnectGetCapabilities, 0),
    ENTRY(CONNECT_GET_MAX_VCPUS, vkdGenConnectGetMaxVcpus, P),
    ENTRY(NODE_GET_INFO, vkdGenNodeGetInfo, P),
    ENTRY(NODE_GET_SECURITY_MODEL, vkdDispatchNodeGetSecurityModel, P),
    ENTRY(NODE_GET_FREE_MEMORY, vkdDispatchNodeGetFreeMemory, P),
    ENTRY(NODE_GET_CELLS_FREE_MEMORY, vkdDispatchNodeGetCellsFreeMemory, P),
    ENTRY(NODE_GET_FREE_PAGES, vkdDispatchNodeGetFreePages, P),
    ENTRY(NODE_ALLOC_PAGES, vkdDispatchNodeAllocPages, 0),
    ENTRY(CONNECT_GET_CPU_MODEL_NAMES, vkdDispatchConnectGetCPUModelNames, 0),
    ENTRY(CONNECT_BASELINE_CPU, vkdDispatchConnectBaselineCPU, 0),
    ENTRY(CONNECT_BASELINE_HYPERVISOR_CPU, vkdDispatchConnectBaselineHypervisorCPU, 0),
    ENTRY(DOMAIN_SEND_KEY, vkdDispatchDomainSendKey, 0),
    ENTRY(NODE_GET_MEMORY_PARAMETERS, vkdDispatchNodeGetMemoryParameters, 0),
    ENTRY(NODE_SET_MEMORY_PARAMETERS, vkdDispatchNodeSetMemoryParameters, 0),

    ENTRY(CONNECT_LIST_ALL_DOMAINS, vkdGenConnectListAllDomains, P),
    ENTRY(CONNECT_NUM_OF_DOMAINS, vkdGenConnectNumOfDomains, P),
    ENTRY(CONNECT_LIST_DOMAINS, vkdGenConnectListDomains, P),
    ENTRY(CONNECT_NUM_OF_DEFINED_DOMAINS, vkdGenConnectNumOfDefinedDomains, P),
    ENTRY(CONNECT_LIST_DEFINED_DOMAINS, vkdGenConnectListDefinedDomains, P),
    ENTRY(DOMAIN_LOOKUP_BY_NAME, vkdGenDomainLookupByName, P | I),
    ENTRY(DOMAIN_LOOKUP_BY_UUID, vkdGenDomainLookupByUUID, P | I),
    ENTRY(DOMAIN_LOOKUP_BY_ID, vkdGenDomainLookupByID, P),

    ENTRY(DOMAIN_DEFINE_XML, vkdGenDomainDefineXML, 0),
    ENTRY(DOMAIN_DEFINE_XML_FLAGS, vkdGenDomainDefineXMLFlags, 0),
    ENTRY(DOMAIN_UNDEFINE, vkdGenDomainUndefine, 0),
    ENTRY(DOMAIN_UNDEFINE_FLAGS, vkdGenDomainUndefineFlags, 0),
    ENTRY(DOMAIN_CREATE, vkdGenDomainCreate, 0),
    ENTRY(DOMAIN_CREATE_WITH_FLAGS, vkdDispatchCreateWithFlags, 0),
    ENTRY(DOMAIN_CREATE_XML, vkdGenDomainCreateXML, 0),
    ENTRY(DOMAIN_SHUTDOWN, vkdGenDomainShutdown, 0),
    ENTRY(DOMAIN_SHUTDOWN_FLAGS, vkdGenDomainShutdownFlags, 0),
    ENTRY(DOMAIN_REBOOT, vkdGenDomainReboot, 0),
    ENTRY(DOMAIN_RESET, vkdGenDomainReset, 0),
    ENTRY(DOMAIN_DESTROY, vkdGenDomainDestroy, P),
    ENTRY(DOMAIN_DESTROY_FLAGS, vkdGenDomainDestroyFlags, P),
    ENTRY(DOMAIN_SUSPEND, vkdGenDomainSuspend, 0),
    ENTRY(DOMAIN_RESUME, vkdGenDomainResume, 0),
    ENTRY(DOMAIN_SET_AUTOSTART, vkdGenDomainSetAutostart, 0),

    ENTRY(DOMAIN_GET_INFO, vkdGenDomainGetInfo, P),
    ENTRY(DOMAIN_GET_STATE, vkdGenDomainGetState, P | I),
    ENTRY(DOMAIN_GET_XML_DESC, vkdGenDomainGetXMLDesc, P),
    ENTRY(DOMAIN_GET_AUTOSTART, vkdGenDomainGetAutostart, P),
    ENTRY(DOMAIN_IS_ACTIVE, vkdGenDomainIsActive, P | I),
    ENTRY(DOMAIN_IS_PERSISTENT, vkdGenDomainIsPersistent, P | I),
    ENTRY(DOMAIN_IS_UPDATED, vkdGenDomainIsUpdated, P),
    ENTRY(DOMAIN_HAS_MANAGED_SAVE_IMAGE, vkdGenDomainHasManagedSaveImage, P),
    ENTRY(DOMAIN_GET_OS_TYPE, vkdGenDomainGetOSType, P),
    ENTRY(DOMAIN_GET_MAX_MEMORY, vkdDispatchGetMaxMemory, P),
    ENTRY(DOMAIN_GET_VCPUS_FLAGS, vkdGenDomainGetVcpusFlags, P),
    ENTRY(DOMAIN_GET_SECURITY_LABEL, vkdDispatchGetSecurityLabel, P),
    ENTRY(DOMAIN_SAVE_PARAMS, vkdDispatchDomainSaveParams, 0),
    ENTRY(DOMAIN_RESTORE_PARAMS, vkdDispatchDomainRestoreParams, 0),
    ENTRY(DOMAIN_BLOCK_PEEK, vkdDispatchDomainBlockPeek, 0),
    ENTRY(DOMAIN_MEMORY_PEEK, vkdDispatchDomainMemoryPeek, 0),
    ENTRY(DOMAIN_GET_SECURITY_LABEL_LIST, vkdDispatchGetSecurityLabelList, P),
    ENTRY(DOMAIN_GET_MESSAGES, vkdDispatchGetMessages, 0),
    ENTRY(DOMAIN_GET_SCHEDULER_TYPE, vkdDispatchGetSchedulerType, 0),
    ENTRY(DOMAIN_GET_SCHEDULER_PARAMETERS, vkdDispatchGetSchedulerParameters, 0),
    ENTRY(DOMAIN_GET_SCHEDULER_PARAMETERS_FLAGS, vkdDispatchGetSchedulerParametersFlags,
          0),
    ENTRY(DOMAIN_SET_SCHEDULER_PARAMETERS, vkdDispatchSetSchedulerParameters, 0),
    ENTRY(DOMAIN_SET_SCHEDULER_PARAMETERS_FLAGS, vkdDispatchSetSchedulerParametersFlags,
          0),
    ENTRY(DOMAIN_OPEN_CONSOLE, vkdDispatchDomainOpenConsole, 0),
    ENTRY(DOMAIN_OPEN_CHANNEL, vkdDispatchDomainOpenChannel, 0),
    ENTRY(DOMAIN_SCREENSHOT, vkdDispatchDomainScreenshot, 0),
    ENTRY(DOMAIN_OPEN_GRAPHICS, vkdDispatchDomainOpenGraphics, 0),
    ENTRY(DOMAIN_OPEN_GRAPHICS_FD, vkdDispatchDomainOpenGraphicsFD, 0),
    /* Block jobs (remote_dispatch_blockjob.c) */
    ENTRY(DOMAIN_GET_BLOCK_JOB_INFO, vkdDispatchDomainGetBlockJobInfo, 0),
    ENTRY(DOMAIN_BLOCK_COPY, vkdDispatchDomainBlockCopy, 0),
    /* Resource tuning (remote_dispatch_tune.c) */
    ENTRY(DOMAIN_PIN_VCPU, vkdDispatchDomainPinVcpu, 0),
    ENTRY(DOMAIN_SET_MEMORY_PARAMETERS, vkdDispatchDomainSetMemoryParameters, 0),
    ENTRY(DOMAIN_GET_MEMORY_PARAMETERS, vkdDispatchDomainGetMemoryParameters, 0),
    ENTRY(DOMAIN_GET_PERF_EVENTS, vkdDispatchDomainGetPerfEvents, 0),
    ENTRY(DOMAIN_SET_PERF_EVENTS, vkdDispatchDomainSetPerfEvents, 0),
    ENTRY(DOMAIN_SET_BLKIO_PARAMETERS, vkdDispatchDomainSetBlkioParameters, 0),
    ENTRY(DOMAIN_GET_BLKIO_PARAMETERS, vkdDispatchDomainGetBlkioParameters, 0),
    ENTRY(DOMAIN_PIN_VCPU_FLAGS, vkdDispatchDomainPinVcpuFlags, 0),
    ENTRY(DOMAIN_SET_NUMA_PARAMETERS, vkdDispatchDomainSetNumaParameters, 0),
    ENTRY(DOMAIN_GET_NUMA_PARAMETERS, vkdDispatchDomainGetNumaParameters, 0),
    ENTRY(DOMAIN_PIN_EMULATOR, vkdDispatchDomainPinEmulator, 0),
    ENTRY(DOMAIN_GET_EMULATOR_PIN_INFO, vkdDispatchDomainGetEmulatorPinInfo, 0),
    ENTRY(DOMAIN_GET_IOTHREAD_INFO, vkdDispatchDomainGetIOThreadInfo, 0),
    ENTRY(DOMAIN_PIN_IOTHREAD, vkdDispatchDomainPinIOThread, 0),
    ENTRY(DOMAIN_SET_IOTHREAD_PARAMS, vkdDispatchDomainSetIOThreadParams, 0),
    /* A disk's I/O throttling (remote_dispatch_tune.c) */
    ENTRY(DOMAIN_SET_BLOCK_IO_TUNE, vkdDispatchDomainSetBlockIoTune, 0),
    ENTRY(DOMAIN_GET_BLOCK_IO_TUNE, vkdDispatchDomainGetBlockIoTune, 0),
    /* Interface bandwidth (remote_dispatch_tune.c) */
    ENTRY(DOMAIN_SET_INTERFACE_PARAMETERS, vkdDispatchDomainSetInterfaceParameters, 0),
    ENTRY(DOMAIN_GET_INTERFACE_PARAMETERS, vkdDispatchDomainGetInterfaceParameters, 0),
    /* Statistics (remote_dispatch_stats.c); priority as libvirt's */
    ENTRY(DOMAIN_MEMORY_STATS, vkdDispatchDomainMemoryStats, 0),
    ENTRY(DOMAIN_BLOCK_STATS, vkdDispatchDomainBlockStats, 0),
    ENTRY(DOMAIN_BLOCK_STATS_FLAGS, vkdDispatchDomainBlockStatsFlags, 0),
    ENTRY(DOMAIN_INTERFACE_STATS, vkdDispatchDomainInterfaceStats, P),
    ENTRY(DOMAIN_GET_VCPUS, vkdDispatchDomainGetVcpus, P),
    ENTRY(DOMAIN_GET_VCPU_PIN_INFO, vkdDispatchDomainGetVcpuPinInfo, 0),
    ENTRY(DOMAIN_GET_CPU_STATS, vkdDispatchDomainGetCPUStats, 0),
    ENTRY(DOMAIN_GET_BLOCK_INFO, vkdDispatchDomainGetBlockInfo, 0),
    /* Disk errors, block I/O tuning (remote_dispatch_jobs.c) */
    ENTRY(DOMAIN_GET_DISK_ERRORS, vkdDispatchDomainGetDiskErrors, 0),
    ENTRY(DOMAIN_GET_TIME, vkdDispatchDomainGetTime, 0),
    ENTRY(DOMAIN_FSFREEZE, vkdDispatchDomainFSFreeze, 0),
    ENTRY(DOMAIN_FSTHAW, vkdDispatchDomainFSThaw, 0),
    ENTRY(DOMAIN_GET_FSINFO, vkdDispatchDomainGetFSInfo, 0),
    ENTRY(DOMAIN_GET_GUEST_INFO, vkdDispatchDomainGetGuestInfo, 0),
    ENTRY(DOMAIN_GET_GUEST_VCPUS, vkdDispatchDomainGetGuestVcpus, 0),
    ENTRY(DOMAIN_AUTHORIZED_SSH_KEYS_GET, vkdDispatchDomainAuthorizedSSHKeysGet, 0),
    ENTRY(DOMAIN_AUTHORIZED_SSH_KEYS_SET, vkdDispatchDomainAuthorizedSSHKeysSet, 0),
    ENTRY(DOMAIN_GET_JOB_INFO, vkdDispatchDomainGetJobInfo, 0),
    ENTRY(DOMAIN_GET_JOB_STATS, vkdDispatchDomainGetJobStats, 0),
    ENTRY(NODE_GET_CPU_STATS, vkdDispatchNodeGetCPUStats, P),
    ENTRY(NODE_GET_MEMORY_STATS, vkdDispatchNodeGetMemoryStats, P),
    ENTRY(NODE_GET_CPU_MAP, vkdDispatchNodeGetCPUMap, 0),
    ENTRY(CONNECT_GET_ALL_DOMAIN_STATS, vkdDispatchConnectGetAllDomainStats, 0),

    /* The other object kinds: the mechanical procedures are generated
     * (protocol.vkp gen=both); these are written by hand. */
    ENTRY(NODE_DEVICE_GET_PARENT, vkdDispatchNodeDeviceGetParent, P),
    ENTRY(SECRET_SET_VALUE, vkdDispatchSecretSetValue, P),
    ENTRY(SECRET_GET_VALUE, vkdDispatchSecretGetValue, P),
    ENTRY(NETWORK_GET_DHCP_LEASES, vkdDispatchNetworkGetDHCPLeases, 0),
    ENTRY(DOMAIN_INTERFACE_ADDRESSES, vkdDispatchDomainInterfaceAddresses, 0),
    ENTRY(NETWORK_PORT_GET_PARAMETERS, vkdDispatchNetworkPortGetParameters, 0),
    ENTRY(NETWORK_PORT_SET_PARAMETERS, vkdDispatchNetworkPortSetParameters, 0),
    /* storage (remote_dispatch_storage.c) */
    ENTRY(STORAGE_POOL_GET_INFO, vkdDispatchStoragePoolGetInfo, P),
    ENTRY(STORAGE_VOL_GET_INFO, vkdDispatchStorageVolGetInfo, P),
    ENTRY(STORAGE_VOL_GET_INFO_FLAGS, vkdDispatchStorageVolGetInfoFlags, P),
    ENTRY(STORAGE_VOL_CREATE_XML_FROM, vkdDispatchStorageVolCreateXMLFrom, 0),
    ENTRY(STORAGE_VOL_UPLOAD, vkdDispatchStorageVolUpload, 0),
    ENTRY(STORAGE_VOL_DOWNLOAD, vkdDispatchStorageVolDownload, 0),

    /* Registering for events changes nothing: allowed read-only, as in libvirt. */
    ENTRY(CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY, vkdDispatchEventRegisterAny, P),
    ENTRY(CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY, vkdDispatchEventDeregisterAny, P),
    ENTRY(CONNECT_DOMAIN_EVENT_REGISTER_ANY, vkdDispatchEventRegisterLegacy, P),
    ENTRY(CONNECT_DOMAIN_EVENT_DEREGISTER_ANY, vkdDispatchEventDeregisterLegacy, P),
    ENTRY(CONNECT_DOMAIN_EVENT_REGISTER, vkdDispatchEventRegisterLifecycle, P),
    ENTRY(CONNECT_DOMAIN_EVENT_DEREGISTER, vkdDispatchEventDeregisterLifecycle, P),
    ENTRY(CONNECT_NETWORK_EVENT_REGISTER_ANY, vkdDispatchNetworkEventRegisterAny, P),
    ENTRY(CONNECT_NETWORK_EVENT_DEREGISTER_ANY, vkdDispatchNetworkEventDeregisterAny, P),
    ENTRY(CONNECT_STORAGE_POOL_EVENT_REGISTER_ANY, vkdDispatchStoragePoolEventRegisterAny,
          P),
    ENTRY(CONNECT_STORAGE_POOL_EVENT_DEREGISTER_ANY,
          vkdDispatchStoragePoolEventDeregisterAny, P),
    ENTRY(CONNECT_NODE_DEVICE_EVENT_REGISTER_ANY, vkdDispatchNodeDeviceEventRegisterAny,
          P),
    ENTRY(CONNECT_NODE_DEVICE_EVENT_DEREGISTER_ANY,
          vkdDispatchNodeDeviceEventDeregisterAny, P),
    ENTRY(CONNECT_SECRET_EVENT_REGISTER_ANY, vkdDispatchSecretEventRegisterAny, P),
    ENTRY(CONNECT_SECRET_EVENT_DEREGISTER_ANY, vkdDispatchSecretEventDeregisterAny, P),
    ENTRY(CONNECT_REGISTER_CLOSE_CALLBACK, vkdDispatchCloseCallbackRegister, P),
    ENTRY(CONNECT_UNREGISTER_CLOSE_CALLBACK, vkdDispatchCloseCallbackUnregister, P),
};

#undef P
#undef N
#undef I

/* The handler of procedure @proc of program @prog: the table above (local
 * policy: before-open, priority, inline), else a generated skeleton
 * (remote_dispatch_gen.c) with the priority the description gives;
 * false if none (the procedure is answered VIR_ERR_NO_SUPPORT). */
static bool
vkdDispatchLookup(uint32_t prog, int proc, vkdProcEntry *out)
{
    const remoteProcedure *p;

    if (prog == REMOTE_PROGRAM && proc > 0 && (size_t)proc < G_N_ELEMENTS(vkdProcs) &&
        vkdProcs[proc].handler) {
        *out = vkdProcs[proc];
        return true;
    }
    if (prog == QEMU_PROGRAM && proc == QEMU_PROC_DOMAIN_AGENT_COMMAND) {
        /* its reply's string may be NULL: written by hand
         * (remote_dispatch_agent.c) */
        out->handler = vkdDispatchQemuDomainAgentCommand;
        out->flags = 0;
        return true;
    }
    if (prog == QEMU_PROGRAM &&
        (proc == QEMU_PROC_CONNECT_DOMAIN_MONITOR_EVENT_REGISTER ||
         proc == QEMU_PROC_CONNECT_DOMAIN_MONITOR_EVENT_DEREGISTER)) {
        /* event registrations (remote_dispatch_event.c), priority as the
         * description says */
        out->handler = proc == QEMU_PROC_CONNECT_DOMAIN_MONITOR_EVENT_REGISTER
                           ? vkdDispatchQemuMonitorEventRegister
                           : vkdDispatchQemuMonitorEventDeregister;
        out->flags = VKD_PROC_PRIO;
        return true;
    }
    if (prog == VIRTKIT_PROGRAM) {
        /* virtkit's own procedures (remote_dispatch_virtkit.c): none is
         * priority, none runs before open */
        out->flags = 0;
        return (out->handler = vkdDispatchVirtkitLookup(proc)) != NULL;
    }
    if (!(out->handler = vkdDispatchGenerated(prog, proc)))
        return false;
    p = remoteProgramProcedure(remoteProgramLookup(prog, VIR_NET_PROGRAM_VERSION), proc);
    out->flags = p && (p->flags & REMOTE_PROC_PRIORITY) ? VKD_PROC_PRIO : 0;
    return true;
}

bool
vkdDispatchKnowsProgram(uint32_t prog, uint32_t vers)
{
    /* KEEPALIVE frames never get here (virNetServer answers them); a CALL
     * to that program is answered as libvirtd does, "Cannot find program". */
    return (prog == REMOTE_PROGRAM || prog == QEMU_PROGRAM || prog == VIRTKIT_PROGRAM) &&
           remoteProgramLookup(prog, vers) != NULL;
}

bool
vkdDispatchRunsAlone(const virNetMessageHeader *hdr)
{
    return hdr->prog == REMOTE_PROGRAM && hdr->proc == REMOTE_PROC_CONNECT_CLOSE;
}

bool
vkdDispatchIsHighPriority(const virNetMessageHeader *hdr)
{
    vkdProcEntry e;
    const remoteProcedure *p;

    if (vkdDispatchLookup(hdr->prog, hdr->proc, &e))
        return e.flags & VKD_PROC_PRIO;
    /* No handler: an error answer, cheap; as the description says. */
    p = remoteProgramProcedure(remoteProgramLookup(hdr->prog, hdr->vers), hdr->proc);
    return p && (p->flags & REMOTE_PROC_PRIORITY);
}

bool
vkdDispatchIsInline(const virNetMessageHeader *hdr)
{
    vkdProcEntry e;

    return vkdDispatchLookup(hdr->prog, hdr->proc, &e) && (e.flags & VKD_PROC_INLINE);
}

/* The read-only refusal libvirt's public API gives for @p called with
 * @args on a read-only connection; NULL if it is allowed. */
static char *
vkdDispatchReadonlyDenied(const remoteProcedure *p, const void *args)
{
    unsigned int flags = remoteProcedureArgFlags(p, args);
    const char *api = p->api ? p->api : p->name;

    if (!(p->flags & REMOTE_PROC_READONLY_OK) || (flags & p->roFlagsMask))
        return g_strdup_printf("operation forbidden: read only access prevents %s", api);
    if (flags & p->roSecureMask)
        return g_strdup_printf("operation forbidden: %s with secure flag", api);
    return NULL;
}

/* Run one call and send its reply; @msg stays the caller's. With @noWait
 * (the I/O thread, VKD_PROC_INLINE procedures only: lookups and state
 * reads, which change nothing) the domain list and objects are only tried:
 * if one is busy, nothing is sent and false is returned, for the caller
 * to hand the call to a worker, where it runs again from the start. */
static bool
vkdDispatchRun(virNetServerClient *client, virNetMessage *msg, bool noWait)
{
    const virNetMessageHeader *hdr = &msg->header;
    vkdProcEntry found;
    const vkdProcEntry *entry =
        vkdDispatchLookup(hdr->prog, hdr->proc, &found) ? &found : NULL;
    const remoteProcedure *codec =
        remoteProgramProcedure(remoteProgramLookup(hdr->prog, hdr->vers), hdr->proc);
    vkdDispatchClient *dc = virNetServerClientGetPrivateData(client);
    vkdCall call = { .client = client, .dc = dc, .hdr = hdr, .msg = msg };
    g_autofree void *args = NULL;
    g_autofree void *ret = NULL;
    g_autofree char *denied = NULL;
    const char *why = NULL;
    char requestor[64];
    bool done = true;
    int rc;

    virResetLastError();
    /* Events held back for a registration this client has seen the reply
     * of (it sent another call since): before this call's reply. */
    vkdDispatchFlushReplays(dc, true);
    if (!codec || (codec->flags & REMOTE_PROC_EVENT)) {
        /* Code 3 lets clients fall back to an older procedure (facts §5.3). */
        g_autofree char *what = codec
                                    ? g_strdup(codec->name)
                                    : g_strdup_printf("unknown procedure %d", hdr->proc);

        vkdDispatchSendNoSupport(&call, VIR_FROM_RPC, what);
        return true;
    }

    args = codec->argsSize ? g_malloc0(codec->argsSize) : NULL;
    ret = codec->retSize ? g_malloc0(codec->retSize) : NULL;
    if (codec->argsFilter &&
        !virNetMessageDecodePayload(msg, codec->argsFilter, args, &why)) {
        g_debug("proc %d: undecodable arguments: %s", hdr->proc, why ? why : "?");
        vkdDispatchSendError(&call, VIR_ERR_RPC, VIR_FROM_RPC, "%s",
                             "Unable to decode message payload");
        /* No real client sends this: a hostile or broken peer. Answer as
         * libvirtd does, then drop it. */
        virNetServerClientClose(client, true);
        return true;
    }

    g_mutex_lock(&dc->lock);
    if (dc->conn) {
        call.conn = dc->conn;
        virConnectRef(call.conn);
    }
    g_mutex_unlock(&dc->lock);

    if (!call.conn && !(entry && (entry->flags & VKD_PROC_NO_CONN))) {
        vkdDispatchSendError(&call, VIR_ERR_INTERNAL_ERROR, VIR_FROM_RPC, "%s",
                             "hypervisor connection not open");
        goto cleanup;
    }
    if ((virNetServerClientIsReadonly(client) || dc->readonly) &&
        (denied = vkdDispatchReadonlyDenied(codec, args))) {
        vkdDispatchSendError(&call, VIR_ERR_OPERATION_DENIED, codec->errDomain, "%s",
                             denied);
        goto cleanup;
    }
    if (!entry) {
        /* Known to libvirt 9.0, no driver behind it here: what libvirt's
         * public API answers for a driver lacking it. */
        vkdDispatchSendNoSupport(&call, codec->api ? codec->errDomain : VIR_FROM_RPC,
                                 codec->api ? codec->api : codec->name);
        goto cleanup;
    }

    if (noWait)
        virDomainObjListSetNoWait(true);
    /* the events this call causes name the client in the journal */
    g_snprintf(requestor, sizeof(requestor), "client:%u:%d",
               (unsigned int)virNetServerClientGetPeerUid(client),
               (int)virNetServerClientGetPeerPid(client));
    virObjectEventSetRequestor(requestor);
    rc = entry->handler(&call, args, ret);
    virObjectEventSetRequestor(NULL);
    if (noWait) {
        done = !virDomainObjListWouldBlock();
        virDomainObjListSetNoWait(false);
    }
    if (!done)
        virResetLastError();
    else if (rc < 0)
        vkdDispatchSendLastError(&call);
    else {
        /* the descriptors (not the array) are taken: sent, or closed on failure */
        int sent = virNetServerClientSendReplyWithFDs(
            client, hdr, call.replyFilter ? call.replyFilter : codec->retFilter,
            call.replyFilter ? call.replyObj : ret, call.replyFds, call.nreplyFds);

        call.nreplyFds = 0;
        if (sent == 0 && call.after)
            call.after(&call);
    }
    if (call.afterFree)
        call.afterFree(call.afterData);
    for (size_t i = 0; call.replyFds && i < call.nreplyFds; i++)
        close(call.replyFds[i]); /* the reply failed or was not sent */
    g_free(call.replyFds);

    if (done && hdr->prog == REMOTE_PROGRAM && hdr->proc == REMOTE_PROC_CONNECT_CLOSE)
        virNetServerClientClose(client, true);

cleanup:
    if (codec->argsFilter)
        virXdrFree(codec->argsFilter, args);
    if (codec->retFilter)
        virXdrFree(codec->retFilter, ret);
    if (call.conn)
        virConnectClose(call.conn);
    return done;
}

void
vkdDispatchCall(virNetServerClient *client, virNetMessage *msg)
{
    vkdDispatchRun(client, msg, false);
    virNetMessageFree(msg);
}

bool
vkdDispatchCallNoWait(virNetServerClient *client, virNetMessage *msg)
{
    if (!vkdDispatchIsInline(&msg->header) || !vkdDispatchRun(client, msg, true))
        return false;
    virNetMessageFree(msg);
    return true;
}
