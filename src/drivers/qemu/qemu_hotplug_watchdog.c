/* qemu_hotplug_watchdog.c: the watchdog device of a running guest: its id, plugged in and out */

/*
 * Threads: called from the entry points of qemu_hotplug.c with the domain
 * locked and its MODIFY job held; QMP is waited for with the object
 * unlocked (qemuHotplugMonitor). The device-removal wait is
 * qemuHotplugDeviceDel's; qemuHotplugRemoveWatchdogLive also runs on the
 * removal worker (qemu_hotplug_removal.c), job held.
 */

#define G_LOG_DOMAIN "virtkit.qemu.hotplugwatchdog"

#include <json-c/json.h>
#include <string.h>

#include "domain_event.h"
#include "qemu_command.h"
#include "qemu_domain_address.h"
#include "qemu_driver_priv.h"
#include "qemu_hotplug.h"
#include "qemu_monitor.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

#define QEMU_WATCHDOG_ALIAS "watchdog0"

void
qemuHotplugAssignWatchdogAlias(virDomainDef *def)
{
    if (!def->watchdog)
        return;
    g_free(def->watchdog->alias);
    def->watchdog->alias = g_strdup(QEMU_WATCHDOG_ALIAS);
}

bool
qemuHotplugIsWatchdogAlias(const virDomainDef *def, const char *alias)
{
    return def->watchdog &&
           g_strcmp0(def->watchdog->alias ? def->watchdog->alias : QEMU_WATCHDOG_ALIAS,
                     alias) == 0;
}

/* libvirt's virDomainDeviceInfoAddressIsEqual for the addresses a
 * watchdog can carry */
static bool
qemuHotplugWatchdogAddrEqual(const virDomainDeviceAddress *a,
                             const virDomainDeviceAddress *b)
{
    if (a->type != b->type)
        return false;
    switch (a->type) {
    case VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI:
        return a->domain == b->domain && a->bus == b->bus && a->slot == b->slot &&
               a->function == b->function;
    case VIR_DOMAIN_DEVICE_ADDRESS_TYPE_ISA:
        return a->iobase == b->iobase && a->irq == b->irq;
    default:
        return memcmp(a, b, sizeof(*a)) == 0;
    }
}

int
qemuHotplugCheckWatchdogDetach(const virDomainDef *def, const virDomainWatchdogDef *match)
{
    const virDomainWatchdogDef *wd = def->watchdog;

    if (!wd) {
        virReportError(VIR_ERR_DEVICE_MISSING, "%s",
                       "watchdog device not present in domain configuration");
        return -1;
    }
    /* the one the domain has must be the one named: model, action and
     * address (none given matches none) */
    if (match && (wd->model != match->model || wd->action != match->action ||
                  !qemuHotplugWatchdogAddrEqual(&wd->addr, &match->addr))) {
        virReportError(VIR_ERR_DEVICE_MISSING,
                       "model '%s' watchdog device not present in domain configuration",
                       virDomainWatchdogModelToString(wd->model));
        return -1;
    }
    if (wd->model != VIR_DOMAIN_WATCHDOG_MODEL_I6300ESB) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED,
                       "hot unplug of watchdog of model %s is not supported",
                       virDomainWatchdogModelToString(wd->model));
        return -1;
    }
    return 0;
}

int
qemuHotplugAttachWatchdogLive(qemuDriver *driver, virDomainObj *obj,
                              virDomainWatchdogDef **wdp)
{
    virDomainWatchdogDef *wd = *wdp;
    g_autoptr(qemuPCIAddressSet) set = NULL;
    g_autoptr(json_object) action = NULL;
    g_autoptr(json_object) dev = NULL;
    g_autofree char *bus = NULL;
    g_autofree char *slot = NULL;
    unsigned int flags;
    virDomainDeviceAddress addr = { 0 };

    if (obj->def->watchdog) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "domain already has a watchdog");
        return -1;
    }
    if (wd->model != VIR_DOMAIN_WATCHDOG_MODEL_I6300ESB) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED,
                       "hotplug of watchdog of model %s is not supported",
                       virDomainWatchdogModelToString(wd->model));
        return -1;
    }
    if (!(set = qemuPCIAddressSetNew(obj->def, obj->def->os.machine)))
        return -1;
    flags = qemuDomainPCIDeviceConnectFlags(obj->def, "i6300esb");
    if (wd->addr.type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI &&
        !virDomainDeviceAddressIsEmptyPCI(&wd->addr)) {
        if (qemuPCIAddressReserveLive(set, &wd->addr, flags) < 0)
            return -1;
        addr = wd->addr;
    } else if (qemuPCIAddressReserveNext(set, flags, &addr) < 0) {
        return -1;
    }

    /* libvirt 9.0: the action first (set-action), then the device */
    action = json_object_new_object();
    json_object_object_add(action, "watchdog",
                           json_object_new_string(qemuWatchdogAction(wd->action)));
    if (qemuHotplugMonitor(obj, "set-action", action, NULL) < 0)
        return -1;
    bus = qemuDomainPCIBusName(obj->def, addr.bus);
    slot = g_strdup_printf("0x%x", addr.slot);
    dev = json_object_new_object();
    json_object_object_add(dev, "driver", json_object_new_string("i6300esb"));
    json_object_object_add(dev, "id", json_object_new_string(QEMU_WATCHDOG_ALIAS));
    json_object_object_add(dev, "bus", json_object_new_string(bus));
    json_object_object_add(dev, "addr", json_object_new_string(slot));
    if (qemuHotplugMonitor(obj, "device_add", dev, NULL) < 0)
        return -1;

    wd->addr = addr;
    g_free(wd->alias);
    wd->alias = g_strdup(QEMU_WATCHDOG_ALIAS);
    obj->def->watchdog = wd;
    *wdp = NULL;
    qemuDomainSaveStatus(driver, obj);
    virObjectEventStateQueue(driver->events,
                             virDomainEventDeviceNew(VIR_DOMAIN_EVENT_ID_DEVICE_ADDED,
                                                     VIR_DOMAIN_EVENT_OBJ(obj),
                                                     QEMU_WATCHDOG_ALIAS));
    return 0;
}

int
qemuHotplugDetachWatchdogLive(qemuDriver *driver, virDomainObj *obj)
{
    int rc;

    if ((rc = qemuHotplugDeviceDel(obj, QEMU_WATCHDOG_ALIAS)) < 0)
        return -1;
    if (rc == 1 && qemuHotplugIsWatchdogAlias(obj->def, QEMU_WATCHDOG_ALIAS))
        qemuHotplugRemoveWatchdogLive(driver, obj);
    return 0;
}

void
qemuHotplugRemoveWatchdogLive(qemuDriver *driver, virDomainObj *obj)
{
    g_clear_pointer(&obj->def->watchdog, virDomainWatchdogDefFree);
    /* told before the status reaches the disk, as libvirt */
    virObjectEventStateQueue(driver->events,
                             virDomainEventDeviceNew(VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED,
                                                     VIR_DOMAIN_EVENT_OBJ(obj),
                                                     QEMU_WATCHDOG_ALIAS));
    if (virDomainObjIsActive(obj))
        qemuDomainSaveStatus(driver, obj);
}
