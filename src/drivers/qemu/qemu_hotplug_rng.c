/* qemu_hotplug_rng.c: virtio RNG devices plugged into and out of a running guest */

/*
 * Threads: called from the entry points of qemu_hotplug.c with the domain
 * locked and its MODIFY job held; QMP is waited for with the object
 * unlocked (qemuHotplugMonitor). The device-removal wait is
 * qemuHotplugDeviceDel's.
 */

#define G_LOG_DOMAIN "virtkit.qemu.hotplugrng"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "domain_event.h"
#include "qemu_command.h"
#include "qemu_domain_address.h"
#include "qemu_driver_priv.h"
#include "qemu_hotplug.h"
#include "qemu_monitor.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

static char *
qemuHotplugRNGAlias(const virDomainRNGDef *rng, size_t idx)
{
    return rng->alias ? g_strdup(rng->alias) : g_strdup_printf("rng%zu", idx);
}

void
qemuHotplugAssignRNGAliases(virDomainDef *def)
{
    for (size_t i = 0; i < def->nrngs; i++) {
        g_free(def->rngs[i]->alias);
        def->rngs[i]->alias = g_strdup_printf("rng%zu", i);
    }
}

ssize_t
qemuHotplugFindRNG(const virDomainDef *def, const virDomainRNGDef *match, bool live)
{
    bool addr = match->addr.type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI &&
                !virDomainDeviceAddressIsEmptyPCI(&match->addr);

    /* libvirt's virDomainRNGFind: model, source, and the address if given */
    for (size_t i = 0; i < def->nrngs; i++) {
        const virDomainRNGDef *r = def->rngs[i];

        if (g_strcmp0(r->model, match->model) != 0 || r->builtin != match->builtin ||
            g_strcmp0(r->backend, match->backend) != 0 || r->rate != match->rate ||
            r->period != match->period)
            continue;
        if (addr && (r->addr.domain != match->addr.domain ||
                     r->addr.bus != match->addr.bus || r->addr.slot != match->addr.slot ||
                     r->addr.function != match->addr.function))
            continue;
        return (ssize_t)i;
    }
    /* libvirt's two texts: the running guest's names the backend model */
    if (live)
        virReportError(VIR_ERR_DEVICE_MISSING,
                       "model '%s' RNG device not present in domain configuration",
                       "random");
    else
        virReportError(VIR_ERR_DEVICE_MISSING, "%s", "no matching RNG device was found");
    return -1;
}

ssize_t
qemuHotplugFindRNGAlias(const virDomainDef *def, const char *alias)
{
    for (size_t i = 0; i < def->nrngs; i++) {
        g_autofree char *a = qemuHotplugRNGAlias(def->rngs[i], i);

        if (strcmp(a, alias) == 0)
            return (ssize_t)i;
    }
    return -1;
}

int
qemuHotplugAttachRNGLive(qemuDriver *driver, virDomainObj *obj, virDomainRNGDef **rngp)
{
    virDomainRNGDef *rng = *rngp;
    g_autoptr(qemuPCIAddressSet) set = NULL;
    g_autoptr(json_object) object = NULL;
    g_autoptr(json_object) dev = NULL;
    g_autofree char *alias = NULL;
    g_autofree char *objId = NULL;
    g_autofree char *bus = NULL;
    g_autofree char *slot = NULL;
    const char *model = qemuRNGModel(rng);
    virDomainDeviceAddress addr = { 0 };
    int next = 0;

    if (!(set = qemuPCIAddressSetNew(obj->def, obj->def->os.machine)))
        return -1;
    if (rng->addr.type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI &&
        !virDomainDeviceAddressIsEmptyPCI(&rng->addr)) {
        if (qemuPCIAddressReserveLive(
                set, &rng->addr, qemuDomainPCIDeviceConnectFlags(obj->def, model)) < 0)
            return -1;
        addr = rng->addr;
    } else if (rng->addr.type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE &&
               rng->addr.type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "RNG devices hotplugged into a running guest need a PCI address");
        return -1;
    } else if (qemuPCIAddressReserveNext(
                   set, qemuDomainPCIDeviceConnectFlags(obj->def, model), &addr) < 0) {
        return -1;
    }
    /* libvirt's alias: rngN, one above the highest */
    for (size_t i = 0; i < obj->def->nrngs; i++) {
        g_autofree char *a = qemuHotplugRNGAlias(obj->def->rngs[i], i);
        int n;

        if (sscanf(a, "rng%d", &n) == 1 && n >= next)
            next = n + 1;
    }
    alias = g_strdup_printf("rng%d", next);
    objId = g_strdup_printf("obj%s", alias);

    object = json_object_new_object();
    json_object_object_add(
        object, "qom-type",
        json_object_new_string(rng->builtin ? "rng-builtin" : "rng-random"));
    json_object_object_add(object, "id", json_object_new_string(objId));
    if (!rng->builtin)
        json_object_object_add(object, "filename", json_object_new_string(rng->backend));
    if (qemuHotplugMonitor(obj, "object-add", object, NULL) < 0)
        return -1;

    bus = qemuDomainPCIBusName(obj->def, addr.bus);
    slot = g_strdup_printf("0x%x", addr.slot);
    dev = json_object_new_object();
    json_object_object_add(dev, "driver", json_object_new_string(model));
    qemuVirtioOptionsProps(dev, &rng->virtio);
    json_object_object_add(dev, "rng", json_object_new_string(objId));
    json_object_object_add(dev, "id", json_object_new_string(alias));
    if (rng->rate) {
        json_object_object_add(dev, "max-bytes", json_object_new_int64(rng->rate));
        json_object_object_add(dev, "period",
                               json_object_new_int64(rng->period ? rng->period : 1000));
    }
    json_object_object_add(dev, "bus", json_object_new_string(bus));
    json_object_object_add(dev, "addr", json_object_new_string(slot));
    if (qemuHotplugMonitor(obj, "device_add", dev, NULL) < 0) {
        if (virDomainObjIsActive(obj))
            qemuHotplugMonitorQuiet(obj, "object-del", objId);
        return -1;
    }

    rng->addr = addr;
    g_free(rng->alias);
    rng->alias = g_steal_pointer(&alias);
    obj->def->rngs = g_renew(virDomainRNGDef *, obj->def->rngs, obj->def->nrngs + 2);
    obj->def->rngs[obj->def->nrngs++] = rng;
    obj->def->rngs[obj->def->nrngs] = NULL;
    *rngp = NULL;
    qemuDomainSaveStatus(driver, obj);
    virObjectEventStateQueue(
        driver->events, virDomainEventDeviceNew(VIR_DOMAIN_EVENT_ID_DEVICE_ADDED,
                                                VIR_DOMAIN_EVENT_OBJ(obj), rng->alias));
    return 0;
}

void
qemuHotplugRemoveRNG(virDomainDef *def, size_t idx)
{
    virDomainRNGDefFree(def->rngs[idx]);
    memmove(def->rngs + idx, def->rngs + idx + 1,
            (def->nrngs - idx) * sizeof(*def->rngs));
    def->nrngs--;
}

int
qemuHotplugDetachRNGLive(qemuDriver *driver, virDomainObj *obj, size_t idx)
{
    g_autofree char *alias = qemuHotplugRNGAlias(obj->def->rngs[idx], idx);
    int rc;

    if ((rc = qemuHotplugDeviceDel(obj, alias)) < 0)
        return -1;
    if (rc == 1) {
        ssize_t now = qemuHotplugFindRNGAlias(obj->def, alias);

        if (now >= 0)
            qemuHotplugRemoveRNGLive(driver, obj, (size_t)now);
    }
    return 0;
}

void
qemuHotplugRemoveRNGLive(qemuDriver *driver, virDomainObj *obj, size_t idx)
{
    virDomainRNGDef *rng = obj->def->rngs[idx];
    g_autofree char *alias = qemuHotplugRNGAlias(rng, idx);
    g_autofree char *objId = g_strdup_printf("obj%s", alias);

    if (virDomainObjIsActive(obj))
        qemuHotplugMonitorQuiet(obj, "object-del", objId);
    for (size_t i = 0; i < obj->def->nrngs; i++) {
        if (obj->def->rngs[i] == rng) {
            qemuHotplugRemoveRNG(obj->def, i);
            break;
        }
    }
    /* the device is gone: told before the status reaches the disk, as
     * libvirt (qemuDomainRemove*Device queue it, then save) */
    virObjectEventStateQueue(driver->events,
                             virDomainEventDeviceNew(VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED,
                                                     VIR_DOMAIN_EVENT_OBJ(obj), alias));
    if (virDomainObjIsActive(obj))
        qemuDomainSaveStatus(driver, obj);
}
