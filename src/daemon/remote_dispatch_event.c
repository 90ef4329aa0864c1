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

#include <libvirt/libvirt-qemu.h>

#include "daemon_startup.h"
#include "remote_dispatch_priv.h"
#include "remote_typedparam.h"
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
    VKD_EVENT_QEMU_MONITOR, /* libvirt-qemu's (QEMU program 4/5/6) */
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

/* ---- the other domain event IDs ------------------------------------------ */

/* @d borrows @dom's name. */
static void
vkdEventDom(remote_nonnull_domain *d, virDomainPtr dom)
{
    d->name = (char *)virDomainGetName(dom);
    virDomainGetUUID(dom, d->uuid);
    d->id = (int)virDomainGetID(dom);
}

/* Send @cbmsg (a DOMAIN_EVENT_CALLBACK_* message whose first member is the
 * callbackID) or, for a legacy registration (167) of an ID that has a
 * legacy message, @legacymsg. IDs without a legacy message send the
 * callback form to both, as libvirtd does. */
static void
vkdEventSend(vkdEventReg *reg, int cbproc, virXdrFilter cbfilter, void *cbmsg,
             int legacyproc, virXdrFilter legacyfilter, void *legacymsg)
{
    if (reg->legacy && legacyproc > 0)
        virNetServerClientSendEvent(reg->client, REMOTE_PROGRAM, legacyproc, legacyfilter,
                                    legacymsg);
    else
        virNetServerClientSendEvent(reg->client, REMOTE_PROGRAM, cbproc, cbfilter, cbmsg);
}

#define VKD_SEND(reg, NAME, lower, m)                                     \
    vkdEventSend(reg, REMOTE_PROC_DOMAIN_EVENT_CALLBACK_##NAME,           \
                 remote_domain_event_callback_##lower##_msg_filter, &(m), \
                 REMOTE_PROC_DOMAIN_EVENT_##NAME,                         \
                 remote_domain_event_##lower##_msg_filter, &(m).msg)
#define VKD_SEND_NEW(reg, PROC, lower, m) \
    vkdEventSend(reg, REMOTE_PROC_##PROC, remote_##lower##_filter, &(m), 0, NULL, NULL)

static void
vkdEventOnRTCChange(virConnectPtr conn, virDomainPtr dom, long long offset, void *opaque)
{
    vkdEventReg *reg = opaque;
    remote_domain_event_callback_rtc_change_msg m = { .callbackID = reg->remoteID };

    vkdEventDom(&m.msg.dom, dom);
    m.msg.offset = offset;
    VKD_SEND(reg, RTC_CHANGE, rtc_change, m);
}

static void
vkdEventOnWatchdog(virConnectPtr conn, virDomainPtr dom, int action, void *opaque)
{
    vkdEventReg *reg = opaque;
    remote_domain_event_callback_watchdog_msg m = { .callbackID = reg->remoteID };

    vkdEventDom(&m.msg.dom, dom);
    m.msg.action = action;
    VKD_SEND(reg, WATCHDOG, watchdog, m);
}

static void
vkdEventOnIOError(virConnectPtr conn, virDomainPtr dom, const char *srcPath,
                  const char *devAlias, int action, void *opaque)
{
    vkdEventReg *reg = opaque;
    remote_domain_event_callback_io_error_msg m = { .callbackID = reg->remoteID };

    vkdEventDom(&m.msg.dom, dom);
    m.msg.srcPath = (char *)srcPath;
    m.msg.devAlias = (char *)devAlias;
    m.msg.action = action;
    VKD_SEND(reg, IO_ERROR, io_error, m);
}

static void
vkdEventOnIOErrorReason(virConnectPtr conn, virDomainPtr dom, const char *srcPath,
                        const char *devAlias, int action, const char *reason,
                        void *opaque)
{
    vkdEventReg *reg = opaque;
    remote_domain_event_callback_io_error_reason_msg m = { .callbackID = reg->remoteID };

    vkdEventDom(&m.msg.dom, dom);
    m.msg.srcPath = (char *)srcPath;
    m.msg.devAlias = (char *)devAlias;
    m.msg.action = action;
    m.msg.reason = (char *)reason;
    VKD_SEND(reg, IO_ERROR_REASON, io_error_reason, m);
}

static void
vkdEventOnGraphics(virConnectPtr conn, virDomainPtr dom, int phase,
                   const virDomainEventGraphicsAddress *local,
                   const virDomainEventGraphicsAddress *remote, const char *authScheme,
                   const virDomainEventGraphicsSubject *subject, void *opaque)
{
    vkdEventReg *reg = opaque;
    remote_domain_event_callback_graphics_msg m = { .callbackID = reg->remoteID };
    g_autofree remote_domain_event_graphics_identity *ids = NULL;
    int n = MIN(subject->nidentity, REMOTE_DOMAIN_EVENT_GRAPHICS_IDENTITY_MAX);

    vkdEventDom(&m.msg.dom, dom);
    m.msg.phase = phase;
    m.msg.local.family = local->family;
    m.msg.local.node = local->node;
    m.msg.local.service = local->service;
    m.msg.remote.family = remote->family;
    m.msg.remote.node = remote->node;
    m.msg.remote.service = remote->service;
    m.msg.authScheme = (char *)authScheme;
    if (n > 0) {
        ids = g_new0(remote_domain_event_graphics_identity, n);
        for (int i = 0; i < n; i++) {
            ids[i].type = subject->identities[i].type;
            ids[i].name = subject->identities[i].name;
        }
    }
    m.msg.subject_len = n;
    m.msg.subject_val = ids;
    VKD_SEND(reg, GRAPHICS, graphics, m);
}

static void
vkdEventOnControlError(virConnectPtr conn, virDomainPtr dom, void *opaque)
{
    vkdEventReg *reg = opaque;
    remote_domain_event_callback_control_error_msg m = { .callbackID = reg->remoteID };

    vkdEventDom(&m.msg.dom, dom);
    VKD_SEND(reg, CONTROL_ERROR, control_error, m);
}

static void
vkdEventOnBlockJob(virConnectPtr conn, virDomainPtr dom, const char *disk, int type,
                   int status, void *opaque)
{
    vkdEventReg *reg = opaque;

    if (reg->eventID == VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2) {
        remote_domain_event_block_job_2_msg m = { .callbackID = reg->remoteID };

        vkdEventDom(&m.dom, dom);
        m.dst = (char *)disk;
        m.type = type;
        m.status = status;
        VKD_SEND_NEW(reg, DOMAIN_EVENT_BLOCK_JOB_2, domain_event_block_job_2_msg, m);
    } else {
        remote_domain_event_callback_block_job_msg m = { .callbackID = reg->remoteID };

        vkdEventDom(&m.msg.dom, dom);
        m.msg.path = (char *)disk;
        m.msg.type = type;
        m.msg.status = status;
        VKD_SEND(reg, BLOCK_JOB, block_job, m);
    }
}

static void
vkdEventOnDiskChange(virConnectPtr conn, virDomainPtr dom, const char *oldSrcPath,
                     const char *newSrcPath, const char *devAlias, int reason,
                     void *opaque)
{
    vkdEventReg *reg = opaque;
    remote_domain_event_callback_disk_change_msg m = { .callbackID = reg->remoteID };

    vkdEventDom(&m.msg.dom, dom);
    m.msg.oldSrcPath = (char *)oldSrcPath;
    m.msg.newSrcPath = (char *)newSrcPath;
    m.msg.devAlias = (char *)devAlias;
    m.msg.reason = reason;
    VKD_SEND(reg, DISK_CHANGE, disk_change, m);
}

static void
vkdEventOnTrayChange(virConnectPtr conn, virDomainPtr dom, const char *devAlias,
                     int reason, void *opaque)
{
    vkdEventReg *reg = opaque;
    remote_domain_event_callback_tray_change_msg m = { .callbackID = reg->remoteID };

    vkdEventDom(&m.msg.dom, dom);
    m.msg.devAlias = (char *)devAlias;
    m.msg.reason = reason;
    VKD_SEND(reg, TRAY_CHANGE, tray_change, m);
}

/* PMWAKEUP, PMSUSPEND, PMSUSPEND_DISK: the reason travels only in the
 * callback form (the legacy messages have none). */
static void
vkdEventOnPM(virConnectPtr conn, virDomainPtr dom, int reason, void *opaque)
{
    vkdEventReg *reg = opaque;

    switch (reg->eventID) {
    case VIR_DOMAIN_EVENT_ID_PMWAKEUP: {
        remote_domain_event_callback_pmwakeup_msg m = { .callbackID = reg->remoteID };

        vkdEventDom(&m.msg.dom, dom);
        m.reason = reason;
        VKD_SEND(reg, PMWAKEUP, pmwakeup, m);
        break;
    }
    case VIR_DOMAIN_EVENT_ID_PMSUSPEND: {
        remote_domain_event_callback_pmsuspend_msg m = { .callbackID = reg->remoteID };

        vkdEventDom(&m.msg.dom, dom);
        m.reason = reason;
        VKD_SEND(reg, PMSUSPEND, pmsuspend, m);
        break;
    }
    default: {
        remote_domain_event_callback_pmsuspend_disk_msg m = { .callbackID =
                                                                  reg->remoteID };

        vkdEventDom(&m.msg.dom, dom);
        m.reason = reason;
        VKD_SEND(reg, PMSUSPEND_DISK, pmsuspend_disk, m);
        break;
    }
    }
}

static void
vkdEventOnBalloonChange(virConnectPtr conn, virDomainPtr dom, unsigned long long actual,
                        void *opaque)
{
    vkdEventReg *reg = opaque;
    remote_domain_event_callback_balloon_change_msg m = { .callbackID = reg->remoteID };

    vkdEventDom(&m.msg.dom, dom);
    m.msg.actual = actual;
    VKD_SEND(reg, BALLOON_CHANGE, balloon_change, m);
}

/* DEVICE_REMOVED, DEVICE_ADDED, DEVICE_REMOVAL_FAILED */
static void
vkdEventOnDevice(virConnectPtr conn, virDomainPtr dom, const char *devAlias, void *opaque)
{
    vkdEventReg *reg = opaque;

    if (reg->eventID == VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED) {
        remote_domain_event_callback_device_removed_msg m = { .callbackID =
                                                                  reg->remoteID };

        vkdEventDom(&m.msg.dom, dom);
        m.msg.devAlias = (char *)devAlias;
        VKD_SEND(reg, DEVICE_REMOVED, device_removed, m);
    } else if (reg->eventID == VIR_DOMAIN_EVENT_ID_DEVICE_ADDED) {
        remote_domain_event_callback_device_added_msg m = { .callbackID = reg->remoteID };

        vkdEventDom(&m.dom, dom);
        m.devAlias = (char *)devAlias;
        VKD_SEND_NEW(reg, DOMAIN_EVENT_CALLBACK_DEVICE_ADDED,
                     domain_event_callback_device_added_msg, m);
    } else {
        remote_domain_event_callback_device_removal_failed_msg m = { .callbackID =
                                                                         reg->remoteID };

        vkdEventDom(&m.dom, dom);
        m.devAlias = (char *)devAlias;
        VKD_SEND_NEW(reg, DOMAIN_EVENT_CALLBACK_DEVICE_REMOVAL_FAILED,
                     domain_event_callback_device_removal_failed_msg, m);
    }
}

/* TUNABLE, JOB_COMPLETED */
static void
vkdEventOnParams(virConnectPtr conn, virDomainPtr dom, virTypedParameterPtr params,
                 int nparams, void *opaque)
{
    vkdEventReg *reg = opaque;
    remote_typed_param *val = NULL;
    uint32_t len = 0;
    bool tunable = reg->eventID == VIR_DOMAIN_EVENT_ID_TUNABLE;

    if (remoteTypedParamsSerialize(params, nparams,
                                   tunable ? REMOTE_DOMAIN_EVENT_TUNABLE_MAX
                                           : REMOTE_DOMAIN_JOB_STATS_MAX,
                                   &val, &len, VIR_TYPED_PARAM_STRING_OKAY) < 0) {
        g_warning("event %d of '%s' not sent: %s", reg->eventID, virDomainGetName(dom),
                  virGetLastErrorMessage());
        virResetLastError();
        return;
    }
    if (tunable) {
        remote_domain_event_callback_tunable_msg m = { .callbackID = reg->remoteID };

        vkdEventDom(&m.dom, dom);
        m.params_len = len;
        m.params_val = val;
        VKD_SEND_NEW(reg, DOMAIN_EVENT_CALLBACK_TUNABLE,
                     domain_event_callback_tunable_msg, m);
    } else {
        remote_domain_event_callback_job_completed_msg m = { .callbackID =
                                                                 reg->remoteID };

        vkdEventDom(&m.dom, dom);
        m.params_len = len;
        m.params_val = val;
        VKD_SEND_NEW(reg, DOMAIN_EVENT_CALLBACK_JOB_COMPLETED,
                     domain_event_callback_job_completed_msg, m);
    }
    remoteTypedParamsFreeRemote(val, len);
}

static void
vkdEventOnAgentLifecycle(virConnectPtr conn, virDomainPtr dom, int state, int reason,
                         void *opaque)
{
    vkdEventReg *reg = opaque;
    remote_domain_event_callback_agent_lifecycle_msg m = { .callbackID = reg->remoteID };

    vkdEventDom(&m.dom, dom);
    m.state = state;
    m.reason = reason;
    VKD_SEND_NEW(reg, DOMAIN_EVENT_CALLBACK_AGENT_LIFECYCLE,
                 domain_event_callback_agent_lifecycle_msg, m);
}

static void
vkdEventOnMigrationIteration(virConnectPtr conn, virDomainPtr dom, int iteration,
                             void *opaque)
{
    vkdEventReg *reg = opaque;
    remote_domain_event_callback_migration_iteration_msg m = { .callbackID =
                                                                   reg->remoteID };

    vkdEventDom(&m.dom, dom);
    m.iteration = iteration;
    VKD_SEND_NEW(reg, DOMAIN_EVENT_CALLBACK_MIGRATION_ITERATION,
                 domain_event_callback_migration_iteration_msg, m);
}

static void
vkdEventOnMetadataChange(virConnectPtr conn, virDomainPtr dom, int type,
                         const char *nsuri, void *opaque)
{
    vkdEventReg *reg = opaque;
    remote_domain_event_callback_metadata_change_msg m = { .callbackID = reg->remoteID };

    vkdEventDom(&m.dom, dom);
    m.type = type;
    m.nsuri = (char *)nsuri;
    VKD_SEND_NEW(reg, DOMAIN_EVENT_CALLBACK_METADATA_CHANGE,
                 domain_event_callback_metadata_change_msg, m);
}

static void
vkdEventOnBlockThreshold(virConnectPtr conn, virDomainPtr dom, const char *dev,
                         const char *path, unsigned long long threshold,
                         unsigned long long excess, void *opaque)
{
    vkdEventReg *reg = opaque;
    remote_domain_event_block_threshold_msg m = { .callbackID = reg->remoteID };

    vkdEventDom(&m.dom, dom);
    m.dev = (char *)dev;
    m.path = (char *)path;
    m.threshold = threshold;
    m.excess = excess;
    VKD_SEND_NEW(reg, DOMAIN_EVENT_BLOCK_THRESHOLD, domain_event_block_threshold_msg, m);
}

static void
vkdEventOnMemoryFailure(virConnectPtr conn, virDomainPtr dom, int recipient, int action,
                        unsigned int flags, void *opaque)
{
    vkdEventReg *reg = opaque;
    remote_domain_event_memory_failure_msg m = { .callbackID = reg->remoteID };

    vkdEventDom(&m.dom, dom);
    m.recipient = recipient;
    m.action = action;
    m.flags = flags;
    VKD_SEND_NEW(reg, DOMAIN_EVENT_MEMORY_FAILURE, domain_event_memory_failure_msg, m);
}

static void
vkdEventOnMemoryDeviceSizeChange(virConnectPtr conn, virDomainPtr dom, const char *alias,
                                 unsigned long long size, void *opaque)
{
    vkdEventReg *reg = opaque;
    remote_domain_event_memory_device_size_change_msg m = { .callbackID = reg->remoteID };

    vkdEventDom(&m.dom, dom);
    m.alias = (char *)alias;
    m.size = size;
    VKD_SEND_NEW(reg, DOMAIN_EVENT_MEMORY_DEVICE_SIZE_CHANGE,
                 domain_event_memory_device_size_change_msg, m);
}

#define VKD_CB(fn) ((virConnectDomainEventGenericCallback)(void (*)(void))(fn))

/* The relay of each event ID, in virDomainEventID order. */
static const virConnectDomainEventGenericCallback vkdEventRelays[] = {
    [VIR_DOMAIN_EVENT_ID_LIFECYCLE] = VKD_CB(vkdEventOnLifecycle),
    [VIR_DOMAIN_EVENT_ID_REBOOT] = VKD_CB(vkdEventOnReboot),
    [VIR_DOMAIN_EVENT_ID_RTC_CHANGE] = VKD_CB(vkdEventOnRTCChange),
    [VIR_DOMAIN_EVENT_ID_WATCHDOG] = VKD_CB(vkdEventOnWatchdog),
    [VIR_DOMAIN_EVENT_ID_IO_ERROR] = VKD_CB(vkdEventOnIOError),
    [VIR_DOMAIN_EVENT_ID_GRAPHICS] = VKD_CB(vkdEventOnGraphics),
    [VIR_DOMAIN_EVENT_ID_IO_ERROR_REASON] = VKD_CB(vkdEventOnIOErrorReason),
    [VIR_DOMAIN_EVENT_ID_CONTROL_ERROR] = VKD_CB(vkdEventOnControlError),
    [VIR_DOMAIN_EVENT_ID_BLOCK_JOB] = VKD_CB(vkdEventOnBlockJob),
    [VIR_DOMAIN_EVENT_ID_DISK_CHANGE] = VKD_CB(vkdEventOnDiskChange),
    [VIR_DOMAIN_EVENT_ID_TRAY_CHANGE] = VKD_CB(vkdEventOnTrayChange),
    [VIR_DOMAIN_EVENT_ID_PMWAKEUP] = VKD_CB(vkdEventOnPM),
    [VIR_DOMAIN_EVENT_ID_PMSUSPEND] = VKD_CB(vkdEventOnPM),
    [VIR_DOMAIN_EVENT_ID_BALLOON_CHANGE] = VKD_CB(vkdEventOnBalloonChange),
    [VIR_DOMAIN_EVENT_ID_PMSUSPEND_DISK] = VKD_CB(vkdEventOnPM),
    [VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED] = VKD_CB(vkdEventOnDevice),
    [VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2] = VKD_CB(vkdEventOnBlockJob),
    [VIR_DOMAIN_EVENT_ID_TUNABLE] = VKD_CB(vkdEventOnParams),
    [VIR_DOMAIN_EVENT_ID_AGENT_LIFECYCLE] = VKD_CB(vkdEventOnAgentLifecycle),
    [VIR_DOMAIN_EVENT_ID_DEVICE_ADDED] = VKD_CB(vkdEventOnDevice),
    [VIR_DOMAIN_EVENT_ID_MIGRATION_ITERATION] = VKD_CB(vkdEventOnMigrationIteration),
    [VIR_DOMAIN_EVENT_ID_JOB_COMPLETED] = VKD_CB(vkdEventOnParams),
    [VIR_DOMAIN_EVENT_ID_DEVICE_REMOVAL_FAILED] = VKD_CB(vkdEventOnDevice),
    [VIR_DOMAIN_EVENT_ID_METADATA_CHANGE] = VKD_CB(vkdEventOnMetadataChange),
    [VIR_DOMAIN_EVENT_ID_BLOCK_THRESHOLD] = VKD_CB(vkdEventOnBlockThreshold),
    [VIR_DOMAIN_EVENT_ID_MEMORY_FAILURE] = VKD_CB(vkdEventOnMemoryFailure),
    [VIR_DOMAIN_EVENT_ID_MEMORY_DEVICE_SIZE_CHANGE] =
        VKD_CB(vkdEventOnMemoryDeviceSizeChange),
};
G_STATIC_ASSERT(G_N_ELEMENTS(vkdEventRelays) ==
                VIR_DOMAIN_EVENT_ID_MEMORY_DEVICE_SIZE_CHANGE + 1);

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

/* Register @eventID for the client (optionally only @filter's events).
 * @legacy: the legacy MESSAGE procedures are sent (105, 167); @unique: a
 * second legacy registration of the same ID is refused (167; libvirtd's
 * 105 takes any number, each relayed on its own). The remote callback ID,
 * or -1 with an error reported. */
static int
vkdEventRegister(vkdCall *call, int eventID, const remote_nonnull_domain *filter,
                 bool legacy, bool unique)
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
    cb = vkdEventRelays[eventID];

    if (legacy && unique) {
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
    if (legacy && unique && vkdEventFindLegacy(call->dc, eventID)) {
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

/* How vkdEventDeregister picks the registration to drop. */
typedef enum {
    VKD_EVENT_MATCH_ID,        /* 317: the callback ID */
    VKD_EVENT_MATCH_LEGACY,    /* 168: the legacy registration of an event ID */
    VKD_EVENT_MATCH_LIFECYCLE, /* 106: the first lifecycle one, of any form */
} vkdEventMatch;

static bool
vkdEventMatches(const vkdEventReg *r, vkdEventMatch how, int remoteID, int eventID)
{
    if (r->kind != VKD_EVENT_DOMAIN)
        return false;
    switch (how) {
    case VKD_EVENT_MATCH_ID:
        return !r->legacy && r->remoteID == remoteID;
    case VKD_EVENT_MATCH_LEGACY:
        return r->legacy && r->eventID == eventID;
    case VKD_EVENT_MATCH_LIFECYCLE:
        return r->eventID == VIR_DOMAIN_EVENT_ID_LIFECYCLE;
    }
    return false;
}

/* Remove and deregister the registration @how picks (@remoteID or
 * @eventID). 0, or -1 with an error reported. */
static int
vkdEventDeregister(vkdCall *call, vkdEventMatch how, int remoteID, int eventID)
{
    vkdEventReg *found = NULL;
    int localID;

    g_mutex_lock(&call->dc->lock);
    for (guint i = 0; i < call->dc->events->len; i++) {
        vkdEventReg *r = g_ptr_array_index(call->dc->events, i);

        if (vkdEventMatches(r, how, remoteID, eventID)) {
            found = r;
            g_ptr_array_remove_index(call->dc->events, i);
            break;
        }
    }
    g_mutex_unlock(&call->dc->lock);

    if (!found) {
        if (how == VKD_EVENT_MATCH_LIFECYCLE)
            /* libvirtd 9.0's words and code for 106 */
            virReportError(VIR_ERR_INTERNAL_ERROR, "domain event %d not registered",
                           VIR_DOMAIN_EVENT_ID_LIFECYCLE);
        else if (how == VKD_EVENT_MATCH_LEGACY)
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
    int id = vkdEventRegister(call, a->eventID, a->dom, false, false);

    if (id < 0)
        return -1;
    r->callbackID = id;
    return 0;
}

VKD_HANDLER(vkdDispatchEventDeregisterAny)
{
    remote_connect_domain_event_callback_deregister_any_args *a = args;

    return vkdEventDeregister(call, VKD_EVENT_MATCH_ID, a->callbackID, -1);
}

VKD_HANDLER(vkdDispatchEventRegisterLegacy)
{
    remote_connect_domain_event_register_any_args *a = args;

    return vkdEventRegister(call, a->eventID, NULL, true, true) < 0 ? -1 : 0;
}

VKD_HANDLER(vkdDispatchEventDeregisterLegacy)
{
    remote_connect_domain_event_deregister_any_args *a = args;

    return vkdEventDeregister(call, VKD_EVENT_MATCH_LEGACY, -1, a->eventID);
}

/* 105/106: virConnectDomainEventRegister of a client whose server said 0
 * to feature 14 (REMOTE_EVENT_CALLBACK). As libvirtd: every 105 is one
 * more lifecycle registration, relayed as the legacy message (107); 106
 * drops the first lifecycle registration the client has, whichever
 * procedure made it. The reply's cb_registered stays 0 (libvirt's clients
 * read no reply body). */
VKD_HANDLER(vkdDispatchEventRegisterLifecycle)
{
    return vkdEventRegister(call, VIR_DOMAIN_EVENT_ID_LIFECYCLE, NULL, true, false) < 0
               ? -1
               : 0;
}

VKD_HANDLER(vkdDispatchEventDeregisterLifecycle)
{
    return vkdEventDeregister(call, VKD_EVENT_MATCH_LIFECYCLE, -1,
                              VIR_DOMAIN_EVENT_ID_LIFECYCLE);
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
    case VKD_EVENT_QEMU_MONITOR:
        return virConnectDomainQemuMonitorEventDeregister(conn, localID);
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
    case VKD_EVENT_QEMU_MONITOR: /* vkdDispatchQemuMonitorEventRegister */
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

/* The register and deregister handlers of the event program of object
 * kind @Kind (remote_connect_@kind_event_*_any_args): the filter handle
 * in @field turned into one of the connection's (NULL: every object),
 * then vkdEventRegisterObject / vkdEventDeregisterObject for @evkind. */
#define VKD_OBJECT_EVENT_HANDLERS(Kind, kind, field, fromWire, evkind)            \
    VKD_HANDLER(vkdDispatch##Kind##EventRegisterAny)                              \
    {                                                                             \
        remote_connect_##kind##_event_register_any_args *a = args;                \
        remote_connect_##kind##_event_register_any_ret *r = ret;                  \
        void *filter = a->field ? fromWire(call->conn, a->field) : NULL;          \
                                                                                  \
        r->callbackID = vkdEventRegisterObject(call, evkind, a->eventID, filter); \
        return r->callbackID < 0 ? -1 : 0;                                        \
    }                                                                             \
    VKD_HANDLER(vkdDispatch##Kind##EventDeregisterAny)                            \
    {                                                                             \
        remote_connect_##kind##_event_deregister_any_args *a = args;              \
                                                                                  \
        return vkdEventDeregisterObject(call, evkind, a->callbackID);             \
    }

VKD_OBJECT_EVENT_HANDLERS(Network, network, net, vkdNetworkFromWire, VKD_EVENT_NETWORK)
VKD_OBJECT_EVENT_HANDLERS(StoragePool, storage_pool, pool, vkdStoragePoolFromWire,
                          VKD_EVENT_STORAGE_POOL)
VKD_OBJECT_EVENT_HANDLERS(NodeDevice, node_device, dev, vkdNodeDeviceFromWire,
                          VKD_EVENT_NODE_DEVICE)
VKD_OBJECT_EVENT_HANDLERS(Secret, secret, secret, vkdSecretFromWire, VKD_EVENT_SECRET)


/* ---- libvirt-qemu's monitor events (QEMU program 4, 5; message 6) ---------- */

static void
vkdEventOnQemuMonitor(virConnectPtr conn G_GNUC_UNUSED, virDomainPtr dom,
                      const char *event, long long seconds, unsigned int micros,
                      const char *details, void *opaque)
{
    vkdEventReg *reg = opaque;
    qemu_domain_monitor_event_msg m = { .callbackID = reg->remoteID };

    vkdEventDom(&m.dom, dom);
    m.event = (char *)event;
    m.seconds = seconds;
    m.micros = micros;
    m.details = (char *)details;
    virNetServerClientSendEvent(reg->client, QEMU_PROGRAM, QEMU_PROC_DOMAIN_MONITOR_EVENT,
                                qemu_domain_monitor_event_msg_filter, &m);
}

/* As libvirtd: the connection filters (domain, name, regex, case) with the
 * client's arguments; one registration per call. */
VKD_HANDLER(vkdDispatchQemuMonitorEventRegister)
{
    qemu_connect_domain_monitor_event_register_args *a = args;
    qemu_connect_domain_monitor_event_register_ret *r = ret;
    g_autoptr(virDomain) dom = NULL;
    vkdEventReg *reg;
    int remoteID;
    int localID;

    if (a->dom)
        dom = vkdDomainFromWire(call->conn, a->dom);
    reg = g_new0(vkdEventReg, 1);
    reg->client = virNetServerClientRef(call->client);
    reg->kind = VKD_EVENT_QEMU_MONITOR;
    reg->remoteID = remoteID = g_atomic_int_add(&vkdEventNextID, 1);
    localID = virConnectDomainQemuMonitorEventRegister(
        call->conn, dom, a->event, vkdEventOnQemuMonitor, reg, vkdEventRegFree, a->flags);
    if (localID < 0) {
        /* the public API failed before taking @reg: it is still ours */
        vkdEventRegFree(reg);
        return -1;
    }
    reg->localID = localID;
    g_mutex_lock(&call->dc->lock);
    g_ptr_array_add(call->dc->events, reg);
    g_mutex_unlock(&call->dc->lock);
    r->callbackID = remoteID;
    return 0;
}

VKD_HANDLER(vkdDispatchQemuMonitorEventDeregister)
{
    qemu_connect_domain_monitor_event_deregister_args *a = args;

    return vkdEventDeregisterObject(call, VKD_EVENT_QEMU_MONITOR, a->callbackID);
}
