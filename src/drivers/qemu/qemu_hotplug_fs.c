/* qemu_hotplug_fs.c: virtiofs shares plugged into and out of a running guest */

/*
 * Threads: called from the entry points of qemu_hotplug.c with the domain
 * locked and its MODIFY job held; QMP is waited for with the object
 * unlocked (qemuHotplugMonitor), virtiofsd's start and stop as at a guest
 * start (qemu_virtiofs.h). The device-removal wait is qemuHotplugDeviceDel's.
 */

#define G_LOG_DOMAIN "virtkit.qemu.hotplugfs"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "domain_event.h"
#include "qemu_command.h"
#include "qemu_domain_address.h"
#include "qemu_driver_priv.h"
#include "qemu_hotplug.h"
#include "qemu_monitor.h"
#include "qemu_virtiofs.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

ssize_t
qemuHotplugFindFS(const virDomainDef *def, const virDomainFSDef *match)
{
    for (size_t i = 0; i < def->nfss; i++) {
        if (match->dst && g_strcmp0(match->dst, def->fss[i]->dst) != 0)
            continue;
        if (match->alias && g_strcmp0(match->alias, def->fss[i]->alias) != 0)
            continue;
        return (ssize_t)i;
    }
    return -1;
}

ssize_t
qemuHotplugFindFSAlias(const virDomainDef *def, const char *alias)
{
    for (size_t i = 0; i < def->nfss; i++) {
        if (g_strcmp0(def->fss[i]->alias, alias) == 0)
            return (ssize_t)i;
    }
    return -1;
}

void
qemuHotplugRemoveFS(virDomainDef *def, size_t idx)
{
    virDomainFSDefFree(def->fss[idx]);
    memmove(def->fss + idx, def->fss + idx + 1, (def->nfss - idx) * sizeof(*def->fss));
    def->nfss--;
}

void
qemuHotplugAppendFS(virDomainDef *def, virDomainFSDef *fs)
{
    def->fss = g_renew(virDomainFSDef *, def->fss, def->nfss + 2);
    def->fss[def->nfss++] = fs;
    def->fss[def->nfss] = NULL;
}

int
qemuHotplugAttachFSLive(qemuDriver *driver, virDomainObj *obj, virDomainFSDef **fsp)
{
    virDomainFSDef *fs = *fsp;
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    const char *model = "vhost-user-fs-pci";
    g_autoptr(qemuPCIAddressSet) set = NULL;
    g_autoptr(json_object) chardev = NULL;
    g_autoptr(json_object) dev = NULL;
    g_autofree char *alias = NULL;
    g_autofree char *charId = NULL;
    g_autofree char *sock = NULL;
    g_autofree char *bus = NULL;
    g_autofree char *slot = NULL;
    virDomainDeviceAddress addr = { 0 };
    json_object *backend;
    json_object *data;
    json_object *saddr;
    json_object *sdata;
    int next = 0;

    if (fs->fsdriver != VIR_DOMAIN_FS_DRIVER_VIRTIOFS) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "only virtiofs filesystems can be hotplugged");
        return -1;
    }
    if (!(set = qemuPCIAddressSetNew(obj->def, obj->def->os.machine)))
        return -1;
    if (fs->addr.type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI &&
        !virDomainDeviceAddressIsEmptyPCI(&fs->addr)) {
        if (qemuPCIAddressReserveLive(
                set, &fs->addr, qemuDomainPCIDeviceConnectFlags(obj->def, model)) < 0)
            return -1;
        addr = fs->addr;
    } else if (qemuPCIAddressReserveNext(
                   set, qemuDomainPCIDeviceConnectFlags(obj->def, model), &addr) < 0) {
        return -1;
    }
    /* libvirt's alias: fsN, one above the highest */
    for (size_t i = 0; i < obj->def->nfss; i++) {
        int n;

        if (obj->def->fss[i]->alias && sscanf(obj->def->fss[i]->alias, "fs%d", &n) == 1 &&
            n >= next)
            next = n + 1;
    }
    alias = g_strdup_printf("fs%d", next);
    charId = g_strdup_printf("chr-vu-%s", alias);
    g_free(fs->alias);
    fs->alias = g_strdup(alias);
    if (qemuVirtioFSStart(driver, obj, fs) < 0)
        goto error;
    sock = qemuVirtioFSSocketPath(priv->libDir, fs);

    /* {"id":..., "backend":{"type":"socket","data":{"addr":{"type":"unix",
     * "data":{"path":...}},"server":false}}} */
    chardev = json_object_new_object();
    backend = json_object_new_object();
    data = json_object_new_object();
    saddr = json_object_new_object();
    sdata = json_object_new_object();
    json_object_object_add(sdata, "path", json_object_new_string(sock));
    json_object_object_add(saddr, "type", json_object_new_string("unix"));
    json_object_object_add(saddr, "data", sdata);
    json_object_object_add(data, "addr", saddr);
    json_object_object_add(data, "server", json_object_new_boolean(0));
    json_object_object_add(backend, "type", json_object_new_string("socket"));
    json_object_object_add(backend, "data", data);
    json_object_object_add(chardev, "id", json_object_new_string(charId));
    json_object_object_add(chardev, "backend", backend);
    if (qemuHotplugMonitor(obj, "chardev-add", chardev, NULL) < 0)
        goto error;

    bus = qemuDomainPCIBusName(obj->def, addr.bus);
    slot = g_strdup_printf("0x%x", addr.slot);
    dev = json_object_new_object();
    json_object_object_add(dev, "driver", json_object_new_string(model));
    qemuVirtioOptionsProps(dev, &fs->virtio);
    json_object_object_add(dev, "id", json_object_new_string(alias));
    json_object_object_add(dev, "chardev", json_object_new_string(charId));
    if (fs->queueSize)
        json_object_object_add(dev, "queue-size", json_object_new_int64(fs->queueSize));
    json_object_object_add(dev, "tag", json_object_new_string(fs->dst));
    if (fs->boot.order)
        json_object_object_add(dev, "bootindex", json_object_new_int64(fs->boot.order));
    json_object_object_add(dev, "bus", json_object_new_string(bus));
    json_object_object_add(dev, "addr", json_object_new_string(slot));
    if (qemuHotplugMonitor(obj, "device_add", dev, NULL) < 0) {
        if (virDomainObjIsActive(obj))
            qemuHotplugMonitorQuiet(obj, "chardev-remove", charId);
        goto error;
    }

    fs->addr = addr;
    qemuHotplugAppendFS(obj->def, fs);
    *fsp = NULL;
    qemuDomainSaveStatus(driver, obj);
    virObjectEventStateQueue(
        driver->events, virDomainEventDeviceNew(VIR_DOMAIN_EVENT_ID_DEVICE_ADDED,
                                                VIR_DOMAIN_EVENT_OBJ(obj), fs->alias));
    return 0;

error : {
    virErrorPtr saved = NULL;

    virErrorPreserveLast(&saved);
    qemuVirtioFSStop(driver, obj, fs);
    virErrorRestore(&saved);
}
    g_clear_pointer(&fs->alias, g_free);
    return -1;
}

int
qemuHotplugDetachFSLive(qemuDriver *driver, virDomainObj *obj, size_t idx)
{
    g_autofree char *alias = g_strdup(obj->def->fss[idx]->alias);
    int rc;

    if (obj->def->fss[idx]->fsdriver != VIR_DOMAIN_FS_DRIVER_VIRTIOFS || !alias) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "only virtiofs filesystems can be hotplugged");
        return -1;
    }
    if ((rc = qemuHotplugDeviceDel(obj, alias)) < 0)
        return -1;
    if (rc == 1) {
        ssize_t now = qemuHotplugFindFSAlias(obj->def, alias);

        if (now >= 0)
            qemuHotplugRemoveFSLive(driver, obj, (size_t)now);
    }
    return 0;
}

void
qemuHotplugRemoveFSLive(qemuDriver *driver, virDomainObj *obj, size_t idx)
{
    virDomainFSDef *fs = obj->def->fss[idx];
    g_autofree char *alias = g_strdup(fs->alias);
    g_autofree char *charId = g_strdup_printf("chr-vu-%s", alias);

    if (virDomainObjIsActive(obj))
        qemuHotplugMonitorQuiet(obj, "chardev-remove", charId);
    /* QEMU let go of the socket: its virtiofsd ends with it, or now */
    for (size_t i = 0; i < obj->def->nfss; i++) {
        if (obj->def->fss[i] == fs) {
            qemuVirtioFSStop(driver, obj, fs);
            qemuHotplugRemoveFS(obj->def, i);
            break;
        }
    }
    virObjectEventStateQueue(driver->events,
                             virDomainEventDeviceNew(VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED,
                                                     VIR_DOMAIN_EVENT_OBJ(obj), alias));
    if (virDomainObjIsActive(obj))
        qemuDomainSaveStatus(driver, obj);
}
