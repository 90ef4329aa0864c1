/* qemu_hotplug_scsi.c: what a SCSI disk needs before it plugs into a running guest:
 * its drive address and its controllers */

#define G_LOG_DOMAIN "virtkit.qemu.hotplug"

#include <json-c/json.h>

#include "qemu_command.h"
#include "qemu_domain_address.h"
#include "qemu_hotplug.h"
#include "qemu_monitor.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

/* libvirt's qemuDomainFindOrCreateSCSIDiskController for index @idx:
 * a controller of the default model at a free PCI slot, plugged in and
 * appended to the live definition. */
static int
qemuHotplugSCSIAddController(virDomainObj *obj, int idx)
{
    g_autoptr(virDomainControllerDef) c =
        virDomainControllerDefNew(VIR_DOMAIN_CONTROLLER_TYPE_SCSI);
    g_autoptr(json_object) props = NULL;
    qemuPCIAddressSet *set;
    virDomainDef *def = obj->def;
    int rc;

    c->idx = idx;
    c->model = g_strdup("lsilogic");
    if (!(set = qemuPCIAddressSetNew(def, def->os.machine)))
        return -1;
    rc = qemuPCIAddressReserveNext(
        set, qemuDomainPCIDeviceConnectFlags(def, qemuSCSIControllerDevice(c->model)),
        &c->addr);
    qemuPCIAddressSetFree(set);
    if (rc < 0)
        return -1;
    props = qemuSCSIControllerProps(def, c);
    if (qemuHotplugMonitor(obj, "device_add", props, NULL) < 0)
        return -1;
    /* (the object was unlocked meanwhile: the definition is read again) */
    def = obj->def;
    def->controllers =
        g_renew(virDomainControllerDef *, def->controllers, def->ncontrollers + 2);
    def->controllers[def->ncontrollers++] = g_steal_pointer(&c);
    def->controllers[def->ncontrollers] = NULL;
    return 0;
}

int
qemuHotplugSCSIAddress(const virDomainDef *def, virDomainDiskDef *disk)
{
    virDomainDeviceAddress *a = &disk->addr;

    if (a->type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE) {
        int n = qemuDiskIndex(disk->dst);

        if (n < 0) {
            virReportError(VIR_ERR_XML_ERROR,
                           "Unknown disk name '%s' and no address specified", disk->dst);
            return -1;
        }
        a->type = VIR_DOMAIN_DEVICE_ADDRESS_TYPE_DRIVE;
        a->controller = (unsigned int)n / 7;
        a->unit = (unsigned int)n % 7;
    } else if (a->type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_DRIVE) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "unexpected disk address type %s",
                       virDomainDeviceAddressTypeToString(a->type));
        return -1;
    }
    for (size_t i = 0; i < def->ndisks; i++) {
        const virDomainDiskDef *o = def->disks[i];

        if (qemuDiskBus(o) == VIR_DOMAIN_DISK_BUS_SCSI &&
            o->addr.type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_DRIVE &&
            o->addr.controller == a->controller && o->addr.bus == a->bus &&
            o->addr.target == a->target && o->addr.unit == a->unit) {
            virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                           "Domain already contains a disk with that address");
            return -1;
        }
    }
    return 0;
}

int
qemuHotplugSCSIPrepare(virDomainObj *obj, virDomainDiskDef *disk)
{
    virDomainDeviceAddress *a = &disk->addr;

    if (qemuHotplugSCSIAddress(obj->def, disk) < 0)
        return -1;
    /* libvirt: the disk's controller and every one with a lower index */
    for (unsigned int i = 0; i <= a->controller && i < 64; i++) {
        if (!qemuSCSIController(obj->def, i) &&
            qemuHotplugSCSIAddController(obj, (int)i) < 0)
            return -1;
    }
    return 0;
}
