/* remote_dispatch_event.c: event registration (domains, networks, pools, node devices, secrets), fan-out to clients, close callbacks
 *
 * Thread protocol: registration calls run on workers; the driver invokes
 * the callbacks below from the event loop implementation, i.e. on the
 * main context, where they only encode a MESSAGE frame and queue it
 * (virNetServerClientSendEvent never blocks). A registration (vkdEventReg)
 * is owned by the driver's callback list and freed through its freecb; the
 * client's list only lends it and is guarded by vkdDispatchClient.lock.
 * Registrations are dropped by CONNECT_CLOSE or by the client's close job,
 * which daemon_server.c runs only when no other call of the client runs
 * (a registration cannot be freed under the call that is making it).
 * Callback IDs are allocated from one daemon-wide counter, like libvirtd.
 */
#define G_LOG_DOMAIN "virtkitd.events"
#include <string.h>

#include "daemon_startup.h"
#include "remote_dispatch_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_RPC

typedef struct {
    virNetServerClient *client; /* a reference */
    int remoteID;               /* what the client knows (316's reply) */
    int localID;                /* what the connection gave us */
    int kind;                   /* vkdEventKind: domain, network, ... */
    int eventID;
    bool legacy; /* 167: legacy MESSAGE procedures */
} vkdEventReg;

/* The event programs (0 = domains, the zero-initialized default). */
typedef enum {
    VKD_EVENT_DOMAIN = 0,
    VKD_EVENT_NETWORK,
    VKD_EVENT_STORAGE_POOL,
    VKD_EVENT_NODE_DEVICE,
    VKD_EVENT_SECRET,
} vkdEventKind;

static int vkdEventDeregisterLocal(virConnectPtr conn, const vkdEventReg *reg);

static gint vkdEventNextID;

static void vkdEventOnConnClosed(virConnectPtr conn, int reason, void *opaque);

static void
vkdEventRegFree(void *opaque)
{
    vkdEventReg *reg = opaque;

    virNetServerClientUnref(reg->client);
    g_free(reg);
}

static void
vkdEventSendLifecycle(vkdEventReg *reg, const char *name, const unsigned char *uuid,
                      int id, int event, int detail)
{
    remote_domain_event_callback_lifecycle_msg m = { 0 };

    m.callbackID = reg->remoteID;
    m.msg.dom.name = (char *)name;
    memcpy(m.msg.dom.uuid, uuid, VIR_UUID_BUFLEN);
    m.msg.dom.id = id;
    m.msg.event = event;
    m.msg.detail = detail;
    if (reg->legacy)
        virNetServerClientSendEvent(reg->client, REMOTE_PROGRAM,
                                    REMOTE_PROC_DOMAIN_EVENT_LIFECYCLE,
                                    remote_domain_event_lifecycle_msg_filter, &m.msg);
    else
        virNetServerClientSendEvent(
            reg->client, REMOTE_PROGRAM, REMOTE_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE,
            remote_domain_event_callback_lifecycle_msg_filter, &m);
}

static int
vkdEventOnLifecycle(virConnectPtr conn, virDomainPtr dom, int event, int detail,
                    void *opaque)
{
    vkdEventReg *reg = opaque;
    unsigned char uuid[VIR_UUID_BUFLEN];

    virDomainGetUUID(dom, uuid);
    vkdEventSendLifecycle(reg, virDomainGetName(dom), uuid, (int)virDomainGetID(dom),
                          event, detail);
    return 0;
}

static void
vkdEventOnReboot(virConnectPtr conn, virDomainPtr dom, void *opaque)
{
    vkdEventReg *reg = opaque;
    remote_domain_event_callback_reboot_msg m = { 0 };

    m.callbackID = reg->remoteID;
    m.msg.dom.name = (char *)virDomainGetName(dom);
    virDomainGetUUID(dom, m.msg.dom.uuid);
    m.msg.dom.id = (int)virDomainGetID(dom);
    if (reg->legacy)
        virNetServerClientSendEvent(reg->client, REMOTE_PROGRAM,
                                    REMOTE_PROC_DOMAIN_EVENT_REBOOT,
                                    remote_domain_event_reboot_msg_filter, &m.msg);
    else
        virNetServerClientSendEvent(reg->client, REMOTE_PROGRAM,
                                    REMOTE_PROC_DOMAIN_EVENT_CALLBACK_REBOOT,
                                    remote_domain_event_callback_reboot_msg_filter, &m);
}

/* An event of an ID without a relay yet (see vkdEventRegister). */
static void
vkdEventOnUnrelayed(virConnectPtr conn G_GNUC_UNUSED, virDomainPtr dom, void *opaque)
{
    vkdEventReg *reg = opaque;

    g_debug("event %d of '%s' for callback %d: no relay for this ID", reg->eventID,
            dom ? virDomainGetName(dom) : "?", reg->remoteID);
}

/*
 * Startup events (daemon_startup.c) for a new lifecycle registration.
 * They must reach the client after it has processed the registration's
 * reply: libvirt's client maps the callbackID only once the registering
 * thread got the reply, and drops events for an unknown ID. So they are
 * held in dc->replays and sent before the reply of the client's next call
 * (virsh registers its next event ID at once), or by a short timer when
 * the client stays silent (python: one registration, then waiting).
 */
#define VKD_REPLAY_DELAY_MS 300

typedef struct {
    vkdEventReg reg; /* a copy: client (referenced), IDs */
    bool filtered;
    unsigned char uuid[VIR_UUID_BUFLEN];
} vkdEventReplay;

static void
vkdEventReplayFree(void *data)
{
    vkdEventReplay *rp = data;

    if (!rp)
        return;
    virNetServerClientUnref(rp->reg.client);
    g_free(rp);
}

static void
vkdEventReplaySendOne(vkdEventReplay *rp)
{
    g_autoptr(GPtrArray) evs = vkdStartupEventsGet();

    for (guint i = 0; i < evs->len; i++) {
        vkdStartupEvent *ev = g_ptr_array_index(evs, i);

        if (rp->filtered && memcmp(rp->uuid, ev->uuid, VIR_UUID_BUFLEN) != 0)
            continue;
        g_debug("replaying startup event %d/%d of '%s' to callback %d", ev->event,
                ev->detail, ev->name, rp->reg.remoteID);
        vkdEventSendLifecycle(&rp->reg, ev->name, ev->uuid, ev->id, ev->event,
                              ev->detail);
    }
}

/* Send (or with !@send drop) what dc->replays holds. The items hold client
 * references, so this must run for every queued item: the timer does it at
 * the latest, whether the client is still there or not. */
void
vkdDispatchFlushReplays(vkdDispatchClient *dc, bool send)
{
    g_autoptr(GPtrArray) pending = NULL;

    g_mutex_lock(&dc->lock);
    if (dc->replays->len > 0) {
        pending = g_steal_pointer(&dc->replays);
        dc->replays = g_ptr_array_new();
    }
    g_mutex_unlock(&dc->lock);
    for (guint i = 0; pending && i < pending->len; i++) {
        if (send)
            vkdEventReplaySendOne(g_ptr_array_index(pending, i));
        vkdEventReplayFree(g_ptr_array_index(pending, i));
    }
}

static gboolean
vkdEventReplayTimer(gpointer opaque)
{
    virNetServerClient *client = opaque;
    vkdDispatchClient *dc = virNetServerClientGetPrivateData(client);

    if (dc)
        vkdDispatchFlushReplays(dc, !virNetServerClientIsClosed(client));
    return G_SOURCE_REMOVE;
}

/* After-reply hook of a lifecycle registration: queue the replay. */
static void
vkdEventReplayQueue(vkdCall *call)
{
    g_mutex_lock(&call->dc->lock);
    g_ptr_array_add(call->dc->replays, g_steal_pointer(&call->afterData));
    g_mutex_unlock(&call->dc->lock);
    g_timeout_add_full(G_PRIORITY_DEFAULT, VKD_REPLAY_DELAY_MS, vkdEventReplayTimer,
                       virNetServerClientRef(call->client),
                       (GDestroyNotify)virNetServerClientUnref);
}

/* Whether @dc has a legacy registration of @eventID. dc->lock held. */
static bool
vkdEventFindLegacy(vkdDispatchClient *dc, int eventID)
{
    for (guint i = 0; i < dc->events->len; i++) {
        vkdEventReg *r = g_ptr_array_index(dc->events, i);

        if (r->legacy && r->eventID == eventID)
            return true;
    }
    return false;
}

static int
vkdEventRegister(vkdCall *call, int eventID, const remote_nonnull_domain *filter,
                 bool legacy)
{
    virConnectDomainEventGenericCallback cb;
    g_autoptr(virDomain) dom = NULL;
    vkdEventReplay *rp = NULL;
    vkdEventReg *reg;
    int remoteID;
    int localID;

    if (eventID < 0 || eventID > VIR_DOMAIN_EVENT_ID_MEMORY_DEVICE_SIZE_CHANGE) {
        virReportError(VIR_ERR_INVALID_ARG, "unsupported event ID %d", eventID);
        return -1;
    }
    switch (eventID) {
    case VIR_DOMAIN_EVENT_ID_LIFECYCLE:
        cb = (virConnectDomainEventGenericCallback)(void (*)(void))vkdEventOnLifecycle;
        break;
    case VIR_DOMAIN_EVENT_ID_REBOOT:
        cb = (virConnectDomainEventGenericCallback)(void (*)(void))vkdEventOnReboot;
        break;
    default:
        /* Every ID of libvirt 9.0 is accepted, as libvirtd does (KubeVirt
         * fails when one is refused; virt-manager, libvirt-dbus register
         * 6 to 27): the drivers raise only lifecycle and reboot events so
         * far, and domain_event.c has no dispatcher for the others, so
         * this callback is never reached until one is added there along
         * with its relay here. */
        cb = (virConnectDomainEventGenericCallback)(void (*)(void))vkdEventOnUnrelayed;
        break;
    }

    if (legacy) {
        bool dup;

        g_mutex_lock(&call->dc->lock);
        dup = vkdEventFindLegacy(call->dc, eventID);
        g_mutex_unlock(&call->dc->lock);
        if (dup) {
            virReportError(VIR_ERR_RPC, "domain event %d already registered", eventID);
            return -1;
        }
    }

    if (filter)
        dom = vkdDomainFromWire(call->conn, filter);

    reg = g_new0(vkdEventReg, 1);
    reg->client = virNetServerClientRef(call->client);
    reg->eventID = eventID;
    reg->legacy = legacy;
    reg->remoteID = remoteID = g_atomic_int_add(&vkdEventNextID, 1);
    /* The replay copies @reg before it is published: once in dc->events,
     * another call of this client (a deregistration naming the ID, which
     * is easy to guess) may free it. */
    if (eventID == VIR_DOMAIN_EVENT_ID_LIFECYCLE) {
        rp = g_new0(vkdEventReplay, 1);
        rp->reg = *reg;
        rp->reg.client = virNetServerClientRef(call->client);
        if (filter) {
            rp->filtered = true;
            memcpy(rp->uuid, filter->uuid, VIR_UUID_BUFLEN);
        }
    }

    /* From here the driver owns @reg (freed through vkdEventRegFree). */
    localID = virConnectDomainEventRegisterAny(call->conn, dom, eventID, cb, reg,
                                               vkdEventRegFree);
    if (localID < 0) {
        vkdEventRegFree(reg);
        vkdEventReplayFree(rp);
        return -1;
    }
    reg->localID = localID;
    g_mutex_lock(&call->dc->lock);
    if (legacy && vkdEventFindLegacy(call->dc, eventID)) {
        /* A concurrent legacy registration of the same event won. */
        g_mutex_unlock(&call->dc->lock);
        virConnectDomainEventDeregisterAny(call->conn, localID);
        vkdEventReplayFree(rp);
        virReportError(VIR_ERR_RPC, "domain event %d already registered", eventID);
        return -1;
    }
    g_ptr_array_add(call->dc->events, reg);
    g_mutex_unlock(&call->dc->lock);

    if (rp) {
        call->after = vkdEventReplayQueue;
        call->afterData = rp;
        call->afterFree = vkdEventReplayFree;
    }
    return remoteID;
}

/* Remove and deregister the registration matching (@remoteID) or
 * (@legacy, @eventID). 0, or -1 with an error reported. */
static int
vkdEventDeregister(vkdCall *call, int remoteID, bool legacy, int eventID)
{
    vkdEventReg *found = NULL;
    int localID;

    g_mutex_lock(&call->dc->lock);
    for (guint i = 0; i < call->dc->events->len; i++) {
        vkdEventReg *r = g_ptr_array_index(call->dc->events, i);

        if (r->kind == VKD_EVENT_DOMAIN &&
            (legacy ? (r->legacy && r->eventID == eventID)
                    : (!r->legacy && r->remoteID == remoteID))) {
            found = r;
            g_ptr_array_remove_index(call->dc->events, i);
            break;
        }
    }
    g_mutex_unlock(&call->dc->lock);

    if (!found) {
        if (legacy)
            virReportError(VIR_ERR_RPC, "domain event %d not registered", eventID);
        else
            virReportError(VIR_ERR_RPC, "No registered callback ID %d", remoteID);
        return -1;
    }
    localID = found->localID; /* @found is freed by the deregistration */
    return virConnectDomainEventDeregisterAny(call->conn, localID) < 0 ? -1 : 0;
}

void
vkdDispatchEventsDropAll(vkdDispatchClient *dc, virConnectPtr conn)
{
    g_autoptr(GPtrArray) regs = NULL;
    bool closeCb;

    g_mutex_lock(&dc->lock);
    regs = g_steal_pointer(&dc->events);
    dc->events = g_ptr_array_new();
    closeCb = dc->closeCallback;
    dc->closeCallback = false;
    g_mutex_unlock(&dc->lock);

    for (guint i = 0; i < regs->len; i++)
        vkdEventDeregisterLocal(conn, g_ptr_array_index(regs, i));
    if (closeCb)
        virConnectUnregisterCloseCallback(conn, vkdEventOnConnClosed);
}

VKD_HANDLER(vkdDispatchEventRegisterAny)
{
    remote_connect_domain_event_callback_register_any_args *a = args;
    remote_connect_domain_event_callback_register_any_ret *r = ret;
    int id = vkdEventRegister(call, a->eventID, a->dom, false);

    if (id < 0)
        return -1;
    r->callbackID = id;
    return 0;
}

VKD_HANDLER(vkdDispatchEventDeregisterAny)
{
    remote_connect_domain_event_callback_deregister_any_args *a = args;

    return vkdEventDeregister(call, a->callbackID, false, -1);
}

VKD_HANDLER(vkdDispatchEventRegisterLegacy)
{
    remote_connect_domain_event_register_any_args *a = args;

    return vkdEventRegister(call, a->eventID, NULL, true) < 0 ? -1 : 0;
}

VKD_HANDLER(vkdDispatchEventDeregisterLegacy)
{
    remote_connect_domain_event_deregister_any_args *a = args;

    return vkdEventDeregister(call, -1, true, a->eventID);
}

/* ---- close callback (360/361) --------------------------------------------- */

static void
vkdEventOnConnClosed(virConnectPtr conn, int reason, void *opaque)
{
    virNetServerClient *client = opaque;
    remote_connect_event_connection_closed_msg m = { .reason = reason };

    virNetServerClientSendEvent(client, REMOTE_PROGRAM,
                                REMOTE_PROC_CONNECT_EVENT_CONNECTION_CLOSED,
                                remote_connect_event_connection_closed_msg_filter, &m);
}

VKD_HANDLER(vkdDispatchCloseCallbackRegister)
{
    g_mutex_lock(&call->dc->lock);
    if (call->dc->closeCallback) {
        g_mutex_unlock(&call->dc->lock);
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "A close callback is already registered");
        return -1;
    }
    call->dc->closeCallback = true;
    g_mutex_unlock(&call->dc->lock);

    /* As libvirtd: the client is lent, with no reference and no free
     * callback. The drivers a client can open here (QEMU, test) have no
     * close callback slot, so the public API accepts the registration and
     * keeps nothing: a reference handed over with a free callback would
     * never be given back (one client leaked per virsh connection). The
     * close job unregisters it (vkdDispatchEventsDropAll) while it still
     * holds its own reference on the client, so the client outlives the
     * registration. */
    if (virConnectRegisterCloseCallback(call->conn, vkdEventOnConnClosed, call->client,
                                        NULL) < 0) {
        g_mutex_lock(&call->dc->lock);
        call->dc->closeCallback = false;
        g_mutex_unlock(&call->dc->lock);
        return -1;
    }
    return 0;
}

VKD_HANDLER(vkdDispatchCloseCallbackUnregister)
{
    g_mutex_lock(&call->dc->lock);
    if (!call->dc->closeCallback) {
        g_mutex_unlock(&call->dc->lock);
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "A different callback was requested");
        return -1;
    }
    call->dc->closeCallback = false;
    g_mutex_unlock(&call->dc->lock);
    return virConnectUnregisterCloseCallback(call->conn, vkdEventOnConnClosed);
}


/* ---- the other event programs: networks, storage pools, node devices, secrets ----
 * Each registration of the client is one registration on its connection
 * (with the client's filter), relayed with the client's callback ID as
 * libvirtd does. */

/* Drop @reg's registration on @conn (which frees @reg). */
static int
vkdEventDeregisterLocal(virConnectPtr conn, const vkdEventReg *reg)
{
    int localID = reg->localID;

    switch ((vkdEventKind)reg->kind) {
    case VKD_EVENT_DOMAIN:
        return virConnectDomainEventDeregisterAny(conn, localID);
    case VKD_EVENT_NETWORK:
        return virConnectNetworkEventDeregisterAny(conn, localID);
    case VKD_EVENT_STORAGE_POOL:
        return virConnectStoragePoolEventDeregisterAny(conn, localID);
    case VKD_EVENT_NODE_DEVICE:
        return virConnectNodeDeviceEventDeregisterAny(conn, localID);
    case VKD_EVENT_SECRET:
        return virConnectSecretEventDeregisterAny(conn, localID);
    }
    return -1;
}

static void
vkdEventOnNetworkLifecycle(virConnectPtr conn, virNetworkPtr net, int event, int detail,
                           void *opaque)
{
    vkdEventReg *reg = opaque;
    remote_network_event_lifecycle_msg m = { .callbackID = reg->remoteID,
                                             .event = event,
                                             .detail = detail };

    m.net.name = net->name;
    memcpy(m.net.uuid, net->uuid, VIR_UUID_BUFLEN);
    virNetServerClientSendEvent(reg->client, REMOTE_PROGRAM,
                                REMOTE_PROC_NETWORK_EVENT_LIFECYCLE,
                                remote_network_event_lifecycle_msg_filter, &m);
}

static void
vkdEventOnPoolLifecycle(virConnectPtr conn, virStoragePoolPtr pool, int event, int detail,
                        void *opaque)
{
    vkdEventReg *reg = opaque;
    remote_storage_pool_event_lifecycle_msg m = { .callbackID = reg->remoteID,
                                                  .event = event,
                                                  .detail = detail };

    m.pool.name = pool->name;
    memcpy(m.pool.uuid, pool->uuid, VIR_UUID_BUFLEN);
    virNetServerClientSendEvent(reg->client, REMOTE_PROGRAM,
                                REMOTE_PROC_STORAGE_POOL_EVENT_LIFECYCLE,
                                remote_storage_pool_event_lifecycle_msg_filter, &m);
}

static void
vkdEventOnPoolRefresh(virConnectPtr conn, virStoragePoolPtr pool, void *opaque)
{
    vkdEventReg *reg = opaque;
    remote_storage_pool_event_refresh_msg m = { .callbackID = reg->remoteID };

    m.pool.name = pool->name;
    memcpy(m.pool.uuid, pool->uuid, VIR_UUID_BUFLEN);
    virNetServerClientSendEvent(reg->client, REMOTE_PROGRAM,
                                REMOTE_PROC_STORAGE_POOL_EVENT_REFRESH,
                                remote_storage_pool_event_refresh_msg_filter, &m);
}

static void
vkdEventOnDeviceLifecycle(virConnectPtr conn, virNodeDevicePtr dev, int event, int detail,
                          void *opaque)
{
    vkdEventReg *reg = opaque;
    remote_node_device_event_lifecycle_msg m = { .callbackID = reg->remoteID,
                                                 .event = event,
                                                 .detail = detail };

    m.dev.name = dev->name;
    virNetServerClientSendEvent(reg->client, REMOTE_PROGRAM,
                                REMOTE_PROC_NODE_DEVICE_EVENT_LIFECYCLE,
                                remote_node_device_event_lifecycle_msg_filter, &m);
}

static void
vkdEventOnDeviceUpdate(virConnectPtr conn, virNodeDevicePtr dev, void *opaque)
{
    vkdEventReg *reg = opaque;
    remote_node_device_event_update_msg m = { .callbackID = reg->remoteID };

    m.dev.name = dev->name;
    virNetServerClientSendEvent(reg->client, REMOTE_PROGRAM,
                                REMOTE_PROC_NODE_DEVICE_EVENT_UPDATE,
                                remote_node_device_event_update_msg_filter, &m);
}

static void
vkdEventSecretWire(remote_nonnull_secret *w, virSecretPtr secret)
{
    memcpy(w->uuid, secret->uuid, VIR_UUID_BUFLEN);
    w->usageType = secret->usageType;
    w->usageID = secret->usageID;
}

static void
vkdEventOnSecretLifecycle(virConnectPtr conn, virSecretPtr secret, int event, int detail,
                          void *opaque)
{
    vkdEventReg *reg = opaque;
    remote_secret_event_lifecycle_msg m = { .callbackID = reg->remoteID,
                                            .event = event,
                                            .detail = detail };

    vkdEventSecretWire(&m.secret, secret);
    virNetServerClientSendEvent(reg->client, REMOTE_PROGRAM,
                                REMOTE_PROC_SECRET_EVENT_LIFECYCLE,
                                remote_secret_event_lifecycle_msg_filter, &m);
}

static void
vkdEventOnSecretValueChanged(virConnectPtr conn, virSecretPtr secret, void *opaque)
{
    vkdEventReg *reg = opaque;
    remote_secret_event_value_changed_msg m = { .callbackID = reg->remoteID };

    vkdEventSecretWire(&m.secret, secret);
    virNetServerClientSendEvent(reg->client, REMOTE_PROGRAM,
                                REMOTE_PROC_SECRET_EVENT_VALUE_CHANGED,
                                remote_secret_event_value_changed_msg_filter, &m);
}

/* Register @kind's @eventID on the client's connection, filtered on
 * @filter (a handle of @kind, or NULL; released here); its relay callback
 * is chosen by (kind, eventID). Returns the client's callback ID or -1
 * (error reported: the public API's, e.g. NO_SUPPORT when the connection
 * has no driver of that kind, INVALID_ARG for an eventID out of range). */
static int
vkdEventRegisterObject(vkdCall *call, vkdEventKind kind, int eventID, void *filter)
{
    vkdEventReg *reg = g_new0(vkdEventReg, 1);
    void (*cb)(void) = NULL;
    int localID = -1;

    reg->client = virNetServerClientRef(call->client);
    reg->kind = kind;
    reg->eventID = eventID;
    reg->remoteID = g_atomic_int_add(&vkdEventNextID, 1);

    switch (kind) {
    case VKD_EVENT_NETWORK:
        cb = (void (*)(void))vkdEventOnNetworkLifecycle;
        localID = virConnectNetworkEventRegisterAny(
            call->conn, filter, eventID, (virConnectNetworkEventGenericCallback)cb, reg,
            vkdEventRegFree);
        virObjectUnrefNetwork(filter);
        break;
    case VKD_EVENT_STORAGE_POOL:
        cb = eventID == VIR_STORAGE_POOL_EVENT_ID_REFRESH
                 ? (void (*)(void))vkdEventOnPoolRefresh
                 : (void (*)(void))vkdEventOnPoolLifecycle;
        localID = virConnectStoragePoolEventRegisterAny(
            call->conn, filter, eventID, (virConnectStoragePoolEventGenericCallback)cb,
            reg, vkdEventRegFree);
        virObjectUnrefStoragePool(filter);
        break;
    case VKD_EVENT_NODE_DEVICE:
        cb = eventID == VIR_NODE_DEVICE_EVENT_ID_UPDATE
                 ? (void (*)(void))vkdEventOnDeviceUpdate
                 : (void (*)(void))vkdEventOnDeviceLifecycle;
        localID = virConnectNodeDeviceEventRegisterAny(
            call->conn, filter, eventID, (virConnectNodeDeviceEventGenericCallback)cb,
            reg, vkdEventRegFree);
        virObjectUnrefNodeDevice(filter);
        break;
    case VKD_EVENT_SECRET:
        cb = eventID == VIR_SECRET_EVENT_ID_VALUE_CHANGED
                 ? (void (*)(void))vkdEventOnSecretValueChanged
                 : (void (*)(void))vkdEventOnSecretLifecycle;
        localID = virConnectSecretEventRegisterAny(
            call->conn, filter, eventID, (virConnectSecretEventGenericCallback)cb, reg,
            vkdEventRegFree);
        virObjectUnrefSecret(filter);
        break;
    case VKD_EVENT_DOMAIN:
        break;
    }
    if (localID < 0) {
        /* the public API failed before taking @reg: it is still ours */
        vkdEventRegFree(reg);
        return -1;
    }
    reg->localID = localID;
    g_mutex_lock(&call->dc->lock);
    g_ptr_array_add(call->dc->events, reg);
    g_mutex_unlock(&call->dc->lock);
    return reg->remoteID;
}

static int
vkdEventDeregisterObject(vkdCall *call, vkdEventKind kind, int remoteID)
{
    vkdEventReg *found = NULL;

    g_mutex_lock(&call->dc->lock);
    for (guint i = 0; i < call->dc->events->len; i++) {
        vkdEventReg *r = g_ptr_array_index(call->dc->events, i);

        if (r->kind == (int)kind && r->remoteID == remoteID) {
            found = r;
            g_ptr_array_remove_index(call->dc->events, i);
            break;
        }
    }
    g_mutex_unlock(&call->dc->lock);
    if (!found) {
        virReportError(VIR_ERR_RPC, "No registered callback ID %d", remoteID);
        return -1;
    }
    return vkdEventDeregisterLocal(call->conn, found) < 0 ? -1 : 0;
}

VKD_HANDLER(vkdDispatchNetworkEventRegisterAny)
{
    remote_connect_network_event_register_any_args *a = args;
    remote_connect_network_event_register_any_ret *r = ret;
    void *filter = a->net ? vkdNetworkFromWire(call->conn, a->net) : NULL;

    return (r->callbackID =
                vkdEventRegisterObject(call, VKD_EVENT_NETWORK, a->eventID, filter)) < 0
               ? -1
               : 0;
}

VKD_HANDLER(vkdDispatchNetworkEventDeregisterAny)
{
    remote_connect_network_event_deregister_any_args *a = args;

    return vkdEventDeregisterObject(call, VKD_EVENT_NETWORK, a->callbackID);
}

VKD_HANDLER(vkdDispatchStoragePoolEventRegisterAny)
{
    remote_connect_storage_pool_event_register_any_args *a = args;
    remote_connect_storage_pool_event_register_any_ret *r = ret;
    void *filter = a->pool ? vkdStoragePoolFromWire(call->conn, a->pool) : NULL;

    return (r->callbackID = vkdEventRegisterObject(call, VKD_EVENT_STORAGE_POOL,
                                                   a->eventID, filter)) < 0
               ? -1
               : 0;
}

VKD_HANDLER(vkdDispatchStoragePoolEventDeregisterAny)
{
    remote_connect_storage_pool_event_deregister_any_args *a = args;

    return vkdEventDeregisterObject(call, VKD_EVENT_STORAGE_POOL, a->callbackID);
}

VKD_HANDLER(vkdDispatchNodeDeviceEventRegisterAny)
{
    remote_connect_node_device_event_register_any_args *a = args;
    remote_connect_node_device_event_register_any_ret *r = ret;
    void *filter = a->dev ? vkdNodeDeviceFromWire(call->conn, a->dev) : NULL;

    return (r->callbackID = vkdEventRegisterObject(call, VKD_EVENT_NODE_DEVICE,
                                                   a->eventID, filter)) < 0
               ? -1
               : 0;
}

VKD_HANDLER(vkdDispatchNodeDeviceEventDeregisterAny)
{
    remote_connect_node_device_event_deregister_any_args *a = args;

    return vkdEventDeregisterObject(call, VKD_EVENT_NODE_DEVICE, a->callbackID);
}

VKD_HANDLER(vkdDispatchSecretEventRegisterAny)
{
    remote_connect_secret_event_register_any_args *a = args;
    remote_connect_secret_event_register_any_ret *r = ret;
    void *filter = a->secret ? vkdSecretFromWire(call->conn, a->secret) : NULL;

    return (r->callbackID =
                vkdEventRegisterObject(call, VKD_EVENT_SECRET, a->eventID, filter)) < 0
               ? -1
               : 0;
}

VKD_HANDLER(vkdDispatchSecretEventDeregisterAny)
{
    remote_connect_secret_event_deregister_any_args *a = args;

    return vkdEventDeregisterObject(call, VKD_EVENT_SECRET, a->callbackID);
}
