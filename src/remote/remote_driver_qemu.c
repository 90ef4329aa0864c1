/* remote_driver_qemu.c: the remote driver's libvirt-qemu monitor events (QEMU program procedures 4, 5 and message 6) */
/*
 * Threads: registration runs on the caller's thread (one call to the
 * server, then the local callback); the MESSAGE runs on the connection's
 * RPC I/O thread (remoteEvent), which only decodes and queues into
 * priv->events; callbacks run later from the application's event loop.
 * Each local registration has its own on the server, with the caller's
 * filters: the server filters, and a message reaches exactly the callback
 * holding its callbackID.
 */
#define G_LOG_DOMAIN "virtkit.remote.qemu"

#include "object_event.h"
#include "remote_driver_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_REMOTE

int
remoteConnectDomainQemuMonitorEventRegister(virConnectPtr conn, virDomainPtr dom,
                                            const char *event,
                                            virConnectDomainQemuMonitorEventCallback cb,
                                            void *opaque, virFreeCallback freecb,
                                            unsigned int flags)
{
    remotePrivate *priv = remotePriv(conn);
    qemu_connect_domain_monitor_event_register_args args = { .flags = flags };
    qemu_connect_domain_monitor_event_register_ret ret = { 0 };
    remote_nonnull_domain d;
    int localID;

    if (dom) {
        remoteMakeDomain(&d, dom);
        args.dom = &d;
    }
    args.event = (char *)event;
    /* server first: if it refuses, nothing exists here and the caller
     * keeps @opaque */
    if (qemuCallConnectDomainMonitorEventRegister(conn, &args, &ret) < 0)
        return -1;
    localID = virDomainQemuMonitorEventStateRegisterRemote(
        conn, priv->events, ret.callbackID, (void (*)(void))cb, opaque, freecb);
    if (localID < 0) {
        qemu_connect_domain_monitor_event_deregister_args dargs = { .callbackID =
                                                                        ret.callbackID };
        virErrorPtr saved = NULL;

        virErrorPreserveLast(&saved);
        qemuCallConnectDomainMonitorEventDeregister(conn, &dargs);
        virErrorRestore(&saved);
        return -1;
    }
    return localID;
}

int
remoteConnectDomainQemuMonitorEventDeregister(virConnectPtr conn, int callbackID)
{
    remotePrivate *priv = remotePriv(conn);
    qemu_connect_domain_monitor_event_deregister_args args = { 0 };
    int remoteID = virObjectEventStateRemoteIDOf(priv->events, conn,
                                                 VIR_EVENT_KIND_QEMU_MONITOR, callbackID);

    if (remoteID < 0 || virObjectEventStateDeregisterKindID(conn, priv->events,
                                                            VIR_EVENT_KIND_QEMU_MONITOR,
                                                            callbackID) < 0) {
        if (remoteID < 0)
            virReportError(VIR_ERR_INVALID_ARG, "event callback id %d not registered",
                           callbackID);
        return -1;
    }
    args.callbackID = remoteID;
    return qemuCallConnectDomainMonitorEventDeregister(conn, &args);
}

void
remoteQemuEvent(remotePrivate *priv, virNetMessage *msg)
{
    qemu_domain_monitor_event_msg ev = { 0 };
    const char *why = NULL;

    if (msg->header.proc != QEMU_PROC_DOMAIN_MONITOR_EVENT) {
        g_debug("ignoring QEMU program MESSAGE %d", msg->header.proc);
        return;
    }
    if (!virNetMessageDecodePayload(msg, qemu_domain_monitor_event_msg_filter, &ev,
                                    &why)) {
        g_debug("dropping QEMU monitor event: %s", why ? why : "undecodable");
        return;
    }
    virObjectEventStateQueue(
        priv->events,
        virDomainQemuMonitorEventNew(ev.dom.id, ev.dom.name, ev.dom.uuid, ev.event,
                                     ev.seconds, ev.micros, ev.details, ev.callbackID));
    virXdrFree(qemu_domain_monitor_event_msg_filter, &ev);
}
