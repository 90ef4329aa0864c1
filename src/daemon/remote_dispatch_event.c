/* remote_dispatch_event.c: domain event registration and fan-out to clients, close callbacks
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
    int eventID;
    bool legacy; /* 167: legacy MESSAGE procedures */
} vkdEventReg;

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
        /* The drivers raise no other event; we would have nothing to
         * relay. Clients treat this code as "skip" (facts §5.3). */
        virReportError(VIR_ERR_NO_SUPPORT, "event ID %d", eventID);
        return -1;
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

        if (legacy ? (r->legacy && r->eventID == eventID)
                   : (!r->legacy && r->remoteID == remoteID)) {
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

    for (guint i = 0; i < regs->len; i++) {
        vkdEventReg *r = g_ptr_array_index(regs, i);

        virConnectDomainEventDeregisterAny(conn, r->localID);
    }
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
