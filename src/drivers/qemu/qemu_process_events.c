/* qemu_process_events.c: QMP events of a running guest mapped to libvirt 9.0's domain events */
/*
 * Threads: called by qemuProcessHandleEvent on the monitor's I/O thread
 * with the domain object locked (qemu_process.c's protocol: never a job,
 * never a wait on QEMU); events are queued into driver->events and a state
 * change is written by qemuDomainSaveStatusLater.
 *
 * The mapping is libvirt 9.0's (qemu_monitor_json.c / qemu_process.c):
 * RTC_CHANGE, WATCHDOG (a pause action pauses with SUSPENDED_WATCHDOG; the
 * definition's 'dump' then dumps and resumes on a worker, qemu_driver_save.c),
 * BLOCK_IO_ERROR (IO_ERROR then IO_ERROR_REASON, reason "enospc" or "";
 * action "stop" pauses with SUSPENDED_IOERROR before QEMU's STOP, which is
 * then no user pause), DEVICE_TRAY_MOVED, SUSPEND / SUSPEND_DISK / WAKEUP
 * (with the PMSUSPENDED / STARTED_WAKEUP lifecycle events), BALLOON_CHANGE
 * (KiB, rounded up; the live current memory follows), VNC_CONNECTED /
 * VNC_INITIALIZED / VNC_DISCONNECTED, BLOCK_JOB_COMPLETED / _CANCELLED /
 * _ERROR / _READY (BLOCK_JOB with the disk's path, then BLOCK_JOB_2 with
 * its target; BLOCK_JOB_PENDING of an inactive commit or a pull goes to
 * qemuBlockJobHandlePending), BLOCK_WRITE_THRESHOLD, MEMORY_FAILURE, VSERPORT_CHANGE of
 * the guest agent's channel (AGENT_LIFECYCLE) and MEMORY_DEVICE_SIZE_CHANGE
 * (a virtio-mem device's <current>, MEMORY_DEVICE_SIZE_CHANGE).
 */
#define G_LOG_DOMAIN "virtkit.qemu.events"
#include <string.h>

#include <json-c/json.h>

#include "qemu_backup.h"
#include "qemu_blockjob.h"
#include "qemu_command.h"
#include "qemu_driver_priv.h"
#include "qemu_monitor.h"
#include "object_event.h"
#include "qemu_process.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

#define QEMU_AGENT_CHANNEL "org.qemu.guest_agent.0"

static const char *
qemuEventString(json_object *data, const char *key)
{
    json_object *v = NULL;

    if (!data || !json_object_object_get_ex(data, key, &v) ||
        !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

static bool
qemuEventBool(json_object *data, const char *key, bool *out)
{
    json_object *v = NULL;

    if (!data || !json_object_object_get_ex(data, key, &v) ||
        !json_object_is_type(v, json_type_boolean))
        return false;
    *out = json_object_get_boolean(v);
    return true;
}

static bool
qemuEventNumber(json_object *data, const char *key, long long *out)
{
    json_object *v = NULL;

    if (!data || !json_object_object_get_ex(data, key, &v) ||
        !(json_object_is_type(v, json_type_int) ||
          json_object_is_type(v, json_type_double)))
        return false;
    *out = json_object_get_int64(v);
    return true;
}

static int
qemuEventEnum(const char *value, const char *const *names, size_t n, int dflt)
{
    for (size_t i = 0; value && i < n; i++) {
        if (g_str_equal(value, names[i]))
            return (int)i;
    }
    if (value)
        g_debug("unknown value '%s' in a QMP event", value);
    return dflt;
}
#define QEMU_EVENT_ENUM(v, names, dflt) qemuEventEnum(v, names, G_N_ELEMENTS(names), dflt)

static void
qemuEventQueue(qemuDriver *driver, virObjectEvent *event)
{
    virObjectEventStateQueue(driver->events, event);
}

/* The device id QEMU knows @disk by (qemu_command.c's naming). */
static char *
qemuEventDiskAlias(const virDomainDiskDef *disk)
{
    int idx = qemuDiskIndex(disk->dst);

    switch (qemuDiskBus(disk)) {
    case VIR_DOMAIN_DISK_BUS_VIRTIO:
        return g_strdup_printf("virtio-disk%d", idx);
    case VIR_DOMAIN_DISK_BUS_SATA:
        return g_strdup_printf("sata0-0-%d", idx);
    default:
        return g_strdup_printf("ide0-%d-%d", idx / 2, idx % 2);
    }
}

/* The disk behind a QMP name: its device id, its block node
 * ("libvirt-N-format" / "libvirt-N-storage" as the command line numbers
 * them: qemuDiskNodeIndex) or its target ("vda"). *@alias gets the device
 * id. */
static virDomainDiskDef *
qemuEventFindDisk(virDomainDef *def, const char *name, char **alias)
{
    bool byNode;

    if (!name || !*name)
        return NULL;
    byNode = g_str_has_prefix(name, "libvirt-");
    for (size_t i = 0; i < def->ndisks; i++) {
        virDomainDiskDef *disk = def->disks[i];
        g_autofree char *a = qemuEventDiskAlias(disk);
        g_autofree char *fmt = NULL;
        g_autofree char *storage = NULL;

        if (disk->src && byNode) {
            size_t node = qemuDiskNodeIndex(def, disk);

            fmt = g_strdup_printf("libvirt-%zu-format", node);
            storage = g_strdup_printf("libvirt-%zu-storage", node);
        }
        if (g_str_equal(name, a) || g_strcmp0(name, fmt) == 0 ||
            g_strcmp0(name, storage) == 0 || g_strcmp0(name, disk->dst) == 0) {
            if (alias)
                *alias = g_steal_pointer(&a);
            return disk;
        }
    }
    return NULL;
}

static void
qemuEventRTCChange(qemuDriver *driver, virDomainObj *obj, json_object *data)
{
    long long offset = 0;

    if (!qemuEventNumber(data, "offset", &offset))
        g_debug("missing offset in RTC change event");
    qemuEventQueue(driver, virDomainEventRTCChangeNew(VIR_DOMAIN_EVENT_OBJ(obj), offset));
}

static void
qemuEventWatchdog(qemuDriver *driver, virDomainObj *obj, json_object *data)
{
    static const char *const actions[] = { "none",     "pause", "reset",     "poweroff",
                                           "shutdown", "debug", "inject-nmi" };
    int action = QEMU_EVENT_ENUM(qemuEventString(data, "action"), actions,
                                 VIR_DOMAIN_EVENT_WATCHDOG_NONE);

    qemuEventQueue(driver, virDomainEventWatchdogNew(VIR_DOMAIN_EVENT_OBJ(obj), action));
    if (action == VIR_DOMAIN_EVENT_WATCHDOG_PAUSE && obj->state == VIR_DOMAIN_RUNNING) {
        qemuDomainPriv(obj)->pausedReason = VIR_DOMAIN_PAUSED_USER;
        virDomainObjSetState(obj, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_WATCHDOG);
        qemuEventQueue(driver, virDomainEventLifecycleNewFromObj(
                                   obj, VIR_DOMAIN_EVENT_SUSPENDED,
                                   VIR_DOMAIN_EVENT_SUSPENDED_WATCHDOG));
        qemuDomainSaveStatusLater(driver, obj);
    }
    /* libvirt: the definition's action 'dump' (QEMU's 'pause') dumps the
     * memory and resumes */
    if (obj->def->watchdog &&
        obj->def->watchdog->action == VIR_DOMAIN_WATCHDOG_ACTION_DUMP)
        qemuDomainWatchdogDumpLater(driver, obj);
}

static void
qemuEventIOError(qemuDriver *driver, virDomainObj *obj, json_object *data)
{
    static const char *const actions[] = { "ignore", "stop", "report" };
    const char *device = qemuEventString(data, "device");
    const char *nodename = qemuEventString(data, "node-name");
    int action = QEMU_EVENT_ENUM(qemuEventString(data, "action"), actions,
                                 VIR_DOMAIN_EVENT_IO_ERROR_NONE);
    const char *reason = "";
    g_autofree char *alias = NULL;
    virDomainDiskDef *disk;
    bool nospace = false;

    if (qemuEventBool(data, "nospace", &nospace) && nospace)
        reason = "enospc";
    disk = qemuEventFindDisk(obj->def, device, &alias);
    if (!disk)
        disk = qemuEventFindDisk(obj->def, nodename, &alias);

    qemuEventQueue(driver, virDomainEventIOErrorNew(VIR_DOMAIN_EVENT_OBJ(obj),
                                                    disk && disk->src ? disk->src : "",
                                                    alias ? alias : "", action, NULL));
    qemuEventQueue(driver, virDomainEventIOErrorNew(VIR_DOMAIN_EVENT_OBJ(obj),
                                                    disk && disk->src ? disk->src : "",
                                                    alias ? alias : "", action, reason));
    if (action == VIR_DOMAIN_EVENT_IO_ERROR_PAUSE && obj->state == VIR_DOMAIN_RUNNING) {
        /* QEMU's STOP follows; the domain is already paused then */
        qemuDomainPriv(obj)->pausedReason = VIR_DOMAIN_PAUSED_USER;
        virDomainObjSetState(obj, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_IOERROR);
        qemuEventQueue(driver, virDomainEventLifecycleNewFromObj(
                                   obj, VIR_DOMAIN_EVENT_SUSPENDED,
                                   VIR_DOMAIN_EVENT_SUSPENDED_IOERROR));
        qemuDomainSaveStatusLater(driver, obj);
    }
}

static void
qemuEventTrayMoved(qemuDriver *driver, virDomainObj *obj, json_object *data)
{
    const char *device = qemuEventString(data, "device");
    const char *id = qemuEventString(data, "id");
    g_autofree char *alias = NULL;
    bool open;

    if (!qemuEventBool(data, "tray-open", &open))
        return;
    if (!qemuEventFindDisk(obj->def, id, &alias) &&
        !qemuEventFindDisk(obj->def, device, &alias))
        return;
    qemuEventQueue(
        driver, virDomainEventTrayChangeNew(VIR_DOMAIN_EVENT_OBJ(obj), alias,
                                            open ? VIR_DOMAIN_EVENT_TRAY_CHANGE_OPEN
                                                 : VIR_DOMAIN_EVENT_TRAY_CHANGE_CLOSE));
}

static void
qemuEventPMSuspend(qemuDriver *driver, virDomainObj *obj, bool disk)
{
    qemuEventQueue(driver, virDomainEventPMNew(disk ? VIR_DOMAIN_EVENT_ID_PMSUSPEND_DISK
                                                    : VIR_DOMAIN_EVENT_ID_PMSUSPEND,
                                               VIR_DOMAIN_EVENT_OBJ(obj), 0));
    if (obj->state == VIR_DOMAIN_RUNNING) {
        virDomainObjSetState(obj, VIR_DOMAIN_PMSUSPENDED, VIR_DOMAIN_PMSUSPENDED_UNKNOWN);
        qemuEventQueue(driver, virDomainEventLifecycleNewFromObj(
                                   obj, VIR_DOMAIN_EVENT_PMSUSPENDED,
                                   disk ? VIR_DOMAIN_EVENT_PMSUSPENDED_DISK
                                        : VIR_DOMAIN_EVENT_PMSUSPENDED_MEMORY));
        qemuDomainSaveStatusLater(driver, obj);
    }
}

static void
qemuEventPMWakeup(qemuDriver *driver, virDomainObj *obj)
{
    qemuEventQueue(driver, virDomainEventPMNew(VIR_DOMAIN_EVENT_ID_PMWAKEUP,
                                               VIR_DOMAIN_EVENT_OBJ(obj), 0));
    if (obj->state == VIR_DOMAIN_PMSUSPENDED) {
        virDomainObjSetState(obj, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_WAKEUP);
        qemuEventQueue(
            driver, virDomainEventLifecycleNewFromObj(obj, VIR_DOMAIN_EVENT_STARTED,
                                                      VIR_DOMAIN_EVENT_STARTED_WAKEUP));
        qemuDomainSaveStatusLater(driver, obj);
    }
}

static void
qemuEventBalloonChange(qemuDriver *driver, virDomainObj *obj, json_object *data)
{
    long long actual;

    if (!qemuEventNumber(data, "actual", &actual) || actual < 0)
        return;
    actual = (actual + 1023) / 1024;
    obj->def->currentMemory = (unsigned long long)actual;
    qemuEventQueue(driver, virDomainEventBalloonChangeNew(VIR_DOMAIN_EVENT_OBJ(obj),
                                                          (unsigned long long)actual));
    qemuDomainSaveStatusLater(driver, obj);
}

/* libvirt's processMemoryDeviceSizeChangeEvent: the virtio-mem device the
 * guest grew or shrank gets its <current> (KiB, rounded up), then the
 * MEMORY_DEVICE_SIZE_CHANGE event with its alias; one the definition does
 * not hold is ignored */
static void
qemuEventMemoryDeviceSize(qemuDriver *driver, virDomainObj *obj, json_object *data)
{
    const char *id = qemuEventString(data, "id");
    long long size;

    if (!id || !qemuEventNumber(data, "size", &size) || size < 0)
        return;
    for (size_t i = 0; i < obj->def->nmems; i++) {
        virDomainMemoryDef *mem = obj->def->mems[i];

        if (g_strcmp0(mem->alias, id) != 0)
            continue;
        mem->currentsize = ((unsigned long long)size + 1023) / 1024;
        qemuEventQueue(driver, virDomainEventMemoryDeviceSizeChangeNew(
                                   VIR_DOMAIN_EVENT_OBJ(obj), id, mem->currentsize));
        qemuDomainSaveStatusLater(driver, obj);
        return;
    }
}

static bool
qemuEventGraphicsAddress(json_object *o, virDomainEventGraphicsAddress *addr)
{
    static const char *const families[] = { "ipv4", "ipv6", "unix" };

    addr->node = (char *)qemuEventString(o, "host");
    addr->service = (char *)qemuEventString(o, "service");
    if (!qemuEventString(o, "family") || !addr->node || !addr->service)
        return false;
    addr->family = QEMU_EVENT_ENUM(qemuEventString(o, "family"), families,
                                   VIR_DOMAIN_EVENT_GRAPHICS_ADDRESS_IPV4);
    return true;
}

static void
qemuEventVNC(qemuDriver *driver, virDomainObj *obj, json_object *data, int phase)
{
    json_object *client = NULL;
    json_object *server = NULL;
    virDomainEventGraphicsAddress local = { 0 };
    virDomainEventGraphicsAddress remote = { 0 };
    virDomainEventGraphicsSubjectIdentity ids[2];
    virDomainEventGraphicsSubject subject = { 0, ids };
    const char *auth;
    const char *sasl;
    const char *x509;

    if (!data || !json_object_object_get_ex(data, "client", &client) ||
        !json_object_object_get_ex(data, "server", &server) ||
        !qemuEventGraphicsAddress(server, &local) ||
        !qemuEventGraphicsAddress(client, &remote)) {
        g_debug("incomplete VNC event");
        return;
    }
    if (!(auth = qemuEventString(server, "auth")))
        auth = "";
    /* libvirt: the x509 name first, then the SASL user name */
    if ((x509 = qemuEventString(client, "x509_dname"))) {
        ids[subject.nidentity].type = (char *)"x509dname";
        ids[subject.nidentity++].name = (char *)x509;
    }
    if ((sasl = qemuEventString(client, "sasl_username"))) {
        ids[subject.nidentity].type = (char *)"saslUsername";
        ids[subject.nidentity++].name = (char *)sasl;
    }
    qemuEventQueue(driver, virDomainEventGraphicsNew(VIR_DOMAIN_EVENT_OBJ(obj), phase,
                                                     &local, &remote, auth, &subject));
}

static void
qemuEventBlockJob(qemuDriver *driver, virDomainObj *obj, json_object *data, int status)
{
    static const char *const types[] = { "", "stream", "mirror", "commit", "", "backup" };
    const char *device = qemuEventString(data, "device");
    const char *typestr = qemuEventString(data, "type");
    virDomainDiskDef *disk;
    int type;

    if (status != VIR_DOMAIN_BLOCK_JOB_READY) {
        long long offset = 0, len = 0;

        qemuEventNumber(data, "offset", &offset);
        qemuEventNumber(data, "len", &len);
        if (qemuBackupHandleEvent(
                driver, obj, device, status,
                status == VIR_DOMAIN_BLOCK_JOB_COMPLETED ? qemuEventString(data, "error")
                                                         : NULL,
                (unsigned long long)MAX(offset, 0), (unsigned long long)MAX(len, 0)))
            return;
    }
    if (qemuBlockJobHandleEvent(driver, obj, device, status,
                                status == VIR_DOMAIN_BLOCK_JOB_COMPLETED &&
                                    qemuEventString(data, "error")))
        return;
    /* a job id as libvirt names them: "pull-vda-libvirt-1-format" */
    if (!(disk = qemuEventFindDisk(obj->def, device, NULL)) && device) {
        g_auto(GStrv) parts = g_strsplit(device, "-", 0);

        for (size_t i = 0; parts[i] && !disk; i++)
            disk = qemuEventFindDisk(obj->def, parts[i], NULL);
    }
    if (!disk) {
        g_debug("block job '%s' of no disk of '%s'", device ? device : "?",
                obj->def->name);
        return;
    }
    type = QEMU_EVENT_ENUM(typestr, types, VIR_DOMAIN_BLOCK_JOB_TYPE_UNKNOWN);
    if (type == VIR_DOMAIN_BLOCK_JOB_TYPE_COMMIT && disk->src && device &&
        g_str_has_suffix(device, "-format"))
        type = VIR_DOMAIN_BLOCK_JOB_TYPE_ACTIVE_COMMIT; /* committing the top */
    if (status == VIR_DOMAIN_BLOCK_JOB_COMPLETED && qemuEventString(data, "error"))
        status = VIR_DOMAIN_BLOCK_JOB_FAILED;
    qemuEventQueue(driver, virDomainEventBlockJobNew(
                               VIR_DOMAIN_EVENT_ID_BLOCK_JOB, VIR_DOMAIN_EVENT_OBJ(obj),
                               disk->src ? disk->src : "", type, status));
    qemuEventQueue(driver, virDomainEventBlockJobNew(VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2,
                                                     VIR_DOMAIN_EVENT_OBJ(obj), disk->dst,
                                                     type, status));
}

static void
qemuEventBlockThreshold(qemuDriver *driver, virDomainObj *obj, json_object *data)
{
    const char *node = qemuEventString(data, "node-name");
    long long threshold = 0;
    long long excess = 0;
    virDomainDiskDef *disk;

    if (!(disk = qemuEventFindDisk(obj->def, node, NULL)))
        return;
    qemuEventNumber(data, "write-threshold", &threshold);
    qemuEventNumber(data, "amount-exceeded", &excess);
    qemuEventQueue(driver, virDomainEventBlockThresholdNew(VIR_DOMAIN_EVENT_OBJ(obj),
                                                           disk->dst, disk->src,
                                                           (unsigned long long)threshold,
                                                           (unsigned long long)excess));
}

static void
qemuEventMemoryFailure(qemuDriver *driver, virDomainObj *obj, json_object *data)
{
    static const char *const recipients[] = { "hypervisor", "guest" };
    static const char *const actions[] = { "ignore", "inject", "fatal", "reset" };
    json_object *flags = NULL;
    unsigned int f = 0;
    bool b;

    if (data && json_object_object_get_ex(data, "flags", &flags)) {
        if (qemuEventBool(flags, "action-required", &b) && b)
            f |= VIR_DOMAIN_MEMORY_FAILURE_ACTION_REQUIRED;
        if (qemuEventBool(flags, "recursive", &b) && b)
            f |= VIR_DOMAIN_MEMORY_FAILURE_RECURSIVE;
    }
    qemuEventQueue(driver,
                   virDomainEventMemoryFailureNew(
                       VIR_DOMAIN_EVENT_OBJ(obj),
                       QEMU_EVENT_ENUM(qemuEventString(data, "recipient"), recipients, 0),
                       QEMU_EVENT_ENUM(qemuEventString(data, "action"), actions, 0), f));
}

static void
qemuEventSerialChange(qemuDriver *driver, virDomainObj *obj, json_object *data)
{
    const char *id = qemuEventString(data, "id");
    bool open;

    if (!id || !qemuEventBool(data, "open", &open))
        return;
    for (size_t i = 0; i < obj->def->nchannels; i++) {
        /* by device id: a hotplugged agent channel is picked up too */
        g_autofree char *alias = obj->def->channels[i]->alias
                                     ? g_strdup(obj->def->channels[i]->alias)
                                     : g_strdup_printf("channel%zu", i);

        if (!g_str_equal(alias, id) ||
            g_strcmp0(obj->def->channels[i]->targetName, QEMU_AGENT_CHANNEL) != 0)
            continue;
        qemuEventQueue(
            driver,
            virDomainEventAgentLifecycleNew(
                VIR_DOMAIN_EVENT_OBJ(obj),
                open ? VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_STATE_CONNECTED
                     : VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_STATE_DISCONNECTED,
                VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_REASON_CHANNEL));
        return;
    }
}

bool
qemuProcessHandleGuestEvent(qemuDriver *driver, virDomainObj *obj, const char *name,
                            json_object *data)
{
    if (g_str_equal(name, "RTC_CHANGE"))
        qemuEventRTCChange(driver, obj, data);
    else if (g_str_equal(name, "WATCHDOG"))
        qemuEventWatchdog(driver, obj, data);
    else if (g_str_equal(name, "BLOCK_IO_ERROR"))
        qemuEventIOError(driver, obj, data);
    else if (g_str_equal(name, "DEVICE_TRAY_MOVED"))
        qemuEventTrayMoved(driver, obj, data);
    else if (g_str_equal(name, "SUSPEND"))
        qemuEventPMSuspend(driver, obj, false);
    else if (g_str_equal(name, "SUSPEND_DISK"))
        qemuEventPMSuspend(driver, obj, true);
    else if (g_str_equal(name, "WAKEUP"))
        qemuEventPMWakeup(driver, obj);
    else if (g_str_equal(name, "BALLOON_CHANGE"))
        qemuEventBalloonChange(driver, obj, data);
    else if (g_str_equal(name, "VNC_CONNECTED"))
        qemuEventVNC(driver, obj, data, VIR_DOMAIN_EVENT_GRAPHICS_CONNECT);
    else if (g_str_equal(name, "VNC_INITIALIZED"))
        qemuEventVNC(driver, obj, data, VIR_DOMAIN_EVENT_GRAPHICS_INITIALIZE);
    else if (g_str_equal(name, "VNC_DISCONNECTED"))
        qemuEventVNC(driver, obj, data, VIR_DOMAIN_EVENT_GRAPHICS_DISCONNECT);
    else if (g_str_equal(name, "BLOCK_JOB_COMPLETED"))
        qemuEventBlockJob(driver, obj, data, VIR_DOMAIN_BLOCK_JOB_COMPLETED);
    else if (g_str_equal(name, "BLOCK_JOB_CANCELLED"))
        qemuEventBlockJob(driver, obj, data, VIR_DOMAIN_BLOCK_JOB_CANCELED);
    else if (g_str_equal(name, "BLOCK_JOB_READY"))
        qemuEventBlockJob(driver, obj, data, VIR_DOMAIN_BLOCK_JOB_READY);
    else if (g_str_equal(name, "BLOCK_JOB_PENDING"))
        qemuBlockJobHandlePending(driver, obj, qemuEventString(data, "id"));
    else if (g_str_equal(name, "BLOCK_WRITE_THRESHOLD"))
        qemuEventBlockThreshold(driver, obj, data);
    else if (g_str_equal(name, "MEMORY_FAILURE"))
        qemuEventMemoryFailure(driver, obj, data);
    else if (g_str_equal(name, "VSERPORT_CHANGE"))
        qemuEventSerialChange(driver, obj, data);
    else if (g_str_equal(name, "MEMORY_DEVICE_SIZE_CHANGE"))
        qemuEventMemoryDeviceSize(driver, obj, data);
    else
        return false;
    return true;
}


/* ---- virDomainSetBlockThreshold ------------------------------------------- */

int
qemuDomainSetBlockThreshold(virDomainPtr dom, const char *dev,
                            unsigned long long threshold, unsigned int flags)
{
    virDomainObj *obj;
    virDomainDiskDef *disk;
    size_t node = 0;
    int ret = -1;

    virCheckFlags(0, -1);
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    if (qemuDomainObjCheckActive(obj) < 0)
        goto endjob;
    for (size_t i = 0; i < obj->def->ndisks; i++) {
        disk = obj->def->disks[i];
        if (disk->src && (g_str_equal(disk->dst, dev) || g_str_equal(disk->src, dev))) {
            node = qemuDiskNodeIndex(obj->def, disk);
            break;
        }
        disk = NULL;
    }
    if (!node || !disk) {
        virReportError(VIR_ERR_INVALID_ARG, "failed to find disk '%s'", dev);
        goto endjob;
    }
    {
        /* on the storage node, as libvirt 9.0 */
        qemuMonitor *mon = qemuDomainPriv(obj)->mon;
        json_object *args = json_object_new_object();
        g_autofree char *nodename = g_strdup_printf("libvirt-%zu-storage", node);
        int rc;

        json_object_object_add(args, "node-name", json_object_new_string(nodename));
        json_object_object_add(args, "write-threshold",
                               json_object_new_uint64(threshold));
        virDomainObjUnlock(obj);
        rc = qemuMonitorCommand(mon, "block-set-write-threshold", args,
                                QEMU_MONITOR_TIMEOUT_MS, NULL);
        virDomainObjLock(obj);
        json_object_put(args);
        if (rc == 0)
            ret = 0;
    }
endjob:
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}


/* ---- libvirt-qemu's monitor events ------------------------------------------ */

void
qemuProcessQueueMonitorEvent(qemuDriver *driver, virDomainObj *obj, const char *name,
                             json_object *data, gint64 timestamp_us)
{
    const char *details = NULL;
    long long seconds = -1;
    unsigned int micros = 0;

    /* nothing to build when nobody listens (one lookup of the callbacks) */
    if (!virObjectEventStateHasKind(driver->events, VIR_EVENT_KIND_QEMU_MONITOR))
        return;
    if (data)
        details = json_object_to_json_string_ext(
            data, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
    if (timestamp_us >= 0) {
        seconds = timestamp_us / G_USEC_PER_SEC;
        micros = (unsigned int)(timestamp_us % G_USEC_PER_SEC);
    }
    qemuEventQueue(driver, virDomainQemuMonitorEventNew(VIR_DOMAIN_EVENT_OBJ(obj), name,
                                                        seconds, micros, details, -1));
}
