/* qemu_hotplug_removal.c: libvirt's asynchronous device removal: device_del, the wait for DEVICE_DELETED, and the removals completed after it */

/*
 * Threads: qemuHotplugDeviceDel runs in an entry point holding the
 * domain's MODIFY job; it waits for QEMU's DEVICE_DELETED on
 * priv->unplugCond with the object lock released by the wait. The
 * monitor's I/O thread signals it from qemuHotplugDeviceDeletedEvent /
 * qemuHotplugDeviceUnplugError (object locked, never waits). A
 * DEVICE_DELETED nobody waits for (the wait ended first, or the guest
 * ejected the device itself) is completed by qemuHotplugRemoveWorker on
 * the driver's worker pool: it takes the MODIFY job, checks the QEMU is
 * the one that sent the event (runId), and removes the device with the
 * per-device removal of qemu_hotplug*.c. priv->unplugAlias, unplugDone,
 * unplugRejected and unplugPending are guarded by the object lock.
 */

#define G_LOG_DOMAIN "virtkit.qemu.hotplugremoval"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include "domain_event.h"
#include "qemu_cgroup.h"
#include "qemu_command.h"
#include "qemu_driver_priv.h"
#include "qemu_hotplug.h"
#include "qemu_monitor.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

/* libvirt's QEMU_UNPLUG_TIMEOUT: the wait before a detach returns and
 * leaves the rest of the removal to DEVICE_DELETED */
#define QEMU_UNPLUG_TIMEOUT_MS 5000

static int qemuHotplugRemoveDeviceAlias(qemuDriver *driver, virDomainObj *obj,
                                        const char *alias);

/* True when QEMU's event for @alias / QOM @path is about the device the
 * current qemuHotplugDeviceDel waits for, or a child of it. */
static bool
qemuHotplugIsAwaited(qemuDomainObjPrivate *priv, const char *alias, const char *path)
{
    g_autofree char *mine = NULL;
    size_t len;

    if (!priv->unplugAlias)
        return false;
    if (g_strcmp0(alias, priv->unplugAlias) == 0)
        return true;
    /* a vCPU: QEMU 7.2 reports an x86 vCPU's removal only as its lapic's
     * ("/machine/peripheral/vcpu1/lapic"). Other devices have an event of
     * their own after their children's (a virtio disk's
     * ".../virtio-disk1/virtio-backend" comes first): waking on a child's
     * would leave the device's own to a removal worker, whose job then
     * delays the next call on the guest (seen: 23 ms before the next
     * attach could start). */
    if (!g_str_has_prefix(priv->unplugAlias, "vcpu"))
        return false;
    mine = g_strdup_printf("/machine/peripheral/%s", priv->unplugAlias);
    len = strlen(mine);
    return path && strncmp(path, mine, len) == 0 &&
           (path[len] == '\0' || path[len] == '/');
}

/* The device id an event names: its "device", else a vCPU's from the QOM
 * path of its lapic (see above); NULL for the children of other devices
 * (a virtio device's "virtio-backend"), whose parent has an event of its
 * own. */
static char *
qemuHotplugEventAlias(const char *alias, const char *path)
{
    const char *p;

    if (alias && *alias)
        return g_strdup(alias);
    if (path && g_str_has_prefix(path, "/machine/peripheral/vcpu")) {
        p = path + strlen("/machine/peripheral/");
        return g_strndup(p, strcspn(p, "/"));
    }
    return NULL;
}

static bool
qemuHotplugPendingTake(qemuDomainObjPrivate *priv, const char *alias)
{
    if (!priv->unplugPending)
        return false;
    for (guint i = 0; i < priv->unplugPending->len; i++) {
        if (strcmp(g_ptr_array_index(priv->unplugPending, i), alias) == 0) {
            g_ptr_array_remove_index(priv->unplugPending, i);
            return true;
        }
    }
    return false;
}

bool
qemuHotplugRemovalPending(virDomainObj *obj)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);

    return priv->unplugPending && priv->unplugPending->len > 0;
}

typedef struct {
    virDomainObj *obj; /* a reference */
    guint64 runId;
    char *alias;
} qemuHotplugRemoveData;

static void
qemuHotplugRemoveDataFree(gpointer opaque)
{
    qemuHotplugRemoveData *data = opaque;

    virDomainObjUnref(data->obj);
    g_free(data->alias);
    g_free(data);
}

/* libvirt's processDeviceDeletedEvent, on the worker pool. */
static void
qemuHotplugRemoveWorker(qemuDriver *driver, gpointer opaque)
{
    qemuHotplugRemoveData *data = opaque;
    virDomainObj *obj = data->obj;
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);

    virDomainObjLock(obj);
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0) {
        g_debug("removal of '%s' from '%s' dropped: %s", data->alias, obj->def->name,
                virGetLastErrorMessage());
        virResetLastError();
        goto unlock;
    }
    if (priv->runId == data->runId && virDomainObjIsActive(obj)) {
        qemuHotplugPendingTake(priv, data->alias);
        if (qemuHotplugRemoveDeviceAlias(driver, obj, data->alias) < 0) {
            g_debug("removal of '%s' from '%s': %s", data->alias, obj->def->name,
                    virGetLastErrorMessage());
            virResetLastError();
        }
    }
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
unlock:
    virDomainObjUnlock(obj);
}

void
qemuHotplugDeviceDeletedEvent(qemuDriver *driver, virDomainObj *obj, const char *alias,
                              const char *path)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    qemuHotplugRemoveData *data;
    g_autofree char *id = NULL;

    if (qemuHotplugIsAwaited(priv, alias, path)) {
        priv->unplugDone = true;
        g_cond_broadcast(&priv->unplugCond);
        return;
    }
    if (!(id = qemuHotplugEventAlias(alias, path))) {
        g_debug("DEVICE_DELETED of '%s' for '%s': no device id", path ? path : "",
                obj->def->name);
        return;
    }
    g_debug("DEVICE_DELETED '%s' of '%s' without a waiter: removed on a worker", id,
            obj->def->name);
    data = g_new0(qemuHotplugRemoveData, 1);
    data->obj = virDomainObjRef(obj);
    data->runId = priv->runId;
    data->alias = g_steal_pointer(&id);
    qemuDriverRunWorker(driver, qemuHotplugRemoveWorker, data, qemuHotplugRemoveDataFree);
}

void
qemuHotplugDeviceUnplugError(qemuDriver *driver, virDomainObj *obj, const char *alias,
                             const char *path)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    g_autofree char *id = qemuHotplugEventAlias(alias, path);

    if (qemuHotplugIsAwaited(priv, alias, path)) {
        priv->unplugRejected = true;
        g_cond_broadcast(&priv->unplugCond);
    }
    if (!id)
        return;
    qemuHotplugPendingTake(priv, id);
    virObjectEventStateQueue(
        driver->events, virDomainEventDeviceNew(VIR_DOMAIN_EVENT_ID_DEVICE_REMOVAL_FAILED,
                                                VIR_DOMAIN_EVENT_OBJ(obj), id));
}

int
qemuHotplugDeviceDel(virDomainObj *obj, const char *alias)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    g_autoptr(json_object) args = json_object_new_object();
    gint64 deadline;
    int ret = -1;

    g_free(priv->unplugAlias);
    priv->unplugAlias = g_strdup(alias);
    priv->unplugDone = false;
    priv->unplugRejected = false;
    json_object_object_add(args, "id", json_object_new_string(alias));
    if (qemuHotplugMonitor(obj, "device_del", args, NULL) < 0)
        goto cleanup;
    deadline = g_get_monotonic_time() + QEMU_UNPLUG_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;
    while (!priv->unplugDone && !priv->unplugRejected && virDomainObjIsActive(obj)) {
        if (!g_cond_wait_until(&priv->unplugCond, &obj->lock, deadline))
            break;
    }
    if (priv->unplugRejected) {
        virReportError(VIR_ERR_OPERATION_FAILED, "%s",
                       "unplug of device was rejected by the guest");
    } else if (!virDomainObjIsActive(obj)) {
        virReportError(VIR_ERR_OPERATION_FAILED, "%s", "domain is no longer running");
    } else if (priv->unplugDone) {
        qemuHotplugPendingTake(priv, alias);
        ret = 1;
    } else {
        /* the guest has not let go yet: the rest when DEVICE_DELETED comes
         * (this check and the event handler both hold the object lock, so
         * an event after the deadline finds the alias pending) */
        if (!priv->unplugPending)
            priv->unplugPending = g_ptr_array_new_with_free_func(g_free);
        if (!qemuHotplugPendingTake(priv, alias))
            g_debug("removal of '%s' from '%s' pending", alias, obj->def->name);
        g_ptr_array_add(priv->unplugPending, g_strdup(alias));
        ret = 0;
    }

cleanup:
    g_clear_pointer(&priv->unplugAlias, g_free);
    return ret;
}

/* libvirt's qemuDomainRemoveDevice for the device QEMU knows as @alias
 * (its DEVICE_DELETED came with nobody waiting): out of the live
 * definition with what it held in QEMU and on the host. 0 (also when no
 * device has that id) or -1. Object locked, job held. */
static int
qemuHotplugRemoveDeviceAlias(qemuDriver *driver, virDomainObj *obj, const char *alias)
{
    ssize_t idx;

    if (g_str_has_prefix(alias, "vcpu"))
        return qemuHotplugRemoveVcpu(driver, obj);
    for (size_t i = 0; i < obj->def->ndisks; i++) {
        g_autofree char *a = qemuDiskAlias(obj->def, obj->def->disks[i]);

        if (strcmp(a, alias) == 0) {
            qemuHotplugRemoveDiskLive(driver, obj, i);
            return 0;
        }
    }
    if ((idx = qemuHotplugFindNetAlias(obj->def, alias)) >= 0) {
        qemuHotplugRemoveNetLive(driver, obj, (size_t)idx);
        return 0;
    }
    if ((idx = qemuHotplugFindRNGAlias(obj->def, alias)) >= 0) {
        qemuHotplugRemoveRNGLive(driver, obj, (size_t)idx);
        return 0;
    }
    if ((idx = qemuHotplugFindFSAlias(obj->def, alias)) >= 0) {
        qemuHotplugRemoveFSLive(driver, obj, (size_t)idx);
        return 0;
    }
    if ((idx = qemuHotplugFindMemoryAlias(obj->def, alias)) >= 0) {
        qemuHotplugRemoveMemoryLive(driver, obj, (size_t)idx);
        return 0;
    }
    if ((idx = qemuHotplugFindInputAlias(obj->def, alias)) >= 0) {
        qemuHotplugRemoveInputLive(driver, obj, (size_t)idx);
        return 0;
    }
    if ((idx = qemuHotplugFindChannelAlias(obj->def, alias)) >= 0) {
        qemuHotplugRemoveChannelLive(driver, obj, (size_t)idx);
        return 0;
    }
    if (qemuHotplugIsWatchdogAlias(obj->def, alias)) {
        qemuHotplugRemoveWatchdogLive(driver, obj);
        return 0;
    }
    {
        bool console = false;

        if ((idx = qemuHotplugFindChrAlias(obj->def, alias, &console)) >= 0) {
            qemuHotplugRemoveChrLive(driver, obj, console, (size_t)idx);
            return 0;
        }
    }
    g_debug("DEVICE_DELETED '%s' of '%s': no such device in the definition", alias,
            obj->def->name);
    return 0;
}
