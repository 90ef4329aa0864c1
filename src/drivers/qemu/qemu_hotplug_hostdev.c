/* qemu_hotplug_hostdev.c: attach and detach of <hostdev> devices, as libvirt 9.0's QEMU driver answers them on a host without the devices */

/*
 * Part of the hotplug code (qemu_hotplug.c: the object is locked and the
 * MODIFY job held). The persistent definition takes and gives back host
 * devices as libvirt's does. A running guest is checked against the host
 * the way a start is (qemu_hostdev.c): on this machine every kind fails
 * there with libvirt's error and the guest is left as it was; where the
 * host would have the device, virtkit refuses (OPERATION_UNSUPPORTED)
 * rather than plug half of it.
 */
#define G_LOG_DOMAIN "virtkit.qemu.hotplug"

#include <errno.h>
#include <string.h>

#include "qemu_capabilities_glue.h"
#include "qemu_hostdev.h"
#include "qemu_hotplug.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

ssize_t
qemuHotplugFindHostdev(const virDomainDef *def, const virDomainHostdevDef *match)
{
    for (size_t i = 0; i < def->nhostdevs; i++) {
        if (virDomainHostdevMatch(def->hostdevs[i], match))
            return (ssize_t)i;
    }
    return -1;
}

void
qemuHotplugRemoveHostdev(virDomainDef *def, size_t idx)
{
    virDomainHostdevDefFree(def->hostdevs[idx]);
    memmove(def->hostdevs + idx, def->hostdevs + idx + 1,
            (def->nhostdevs - idx - 1) * sizeof(*def->hostdevs));
    def->nhostdevs--;
}

static void
appendHostdev(virDomainDef *def, virDomainHostdevDef *h)
{
    def->hostdevs = g_renew(virDomainHostdevDef *, def->hostdevs, def->nhostdevs + 1);
    def->hostdevs[def->nhostdevs++] = h;
}

int
qemuHotplugAttachHostdevConfig(virDomainDef *persistent, virDomainDef *mine)
{
    virDomainHostdevDef *h = mine->hostdevs[0];

    if (qemuHotplugFindHostdev(persistent, h) >= 0) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "device is already in the domain configuration");
        return -1;
    }
    mine->hostdevs[0] = NULL;
    mine->nhostdevs = 0;
    /* a SCSI hostdev without an address gets one against this domain's
     * disks and hostdevs (the device's own parse had nothing to look at) */
    if (h->driveAssigned) {
        h->addr.type = VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE;
        h->driveAssigned = false;
    }
    appendHostdev(persistent, h);
    if (virDomainHostdevsPostParse(persistent) < 0)
        return -1;
    if (VIR_DOMAIN_HOSTDEV_IS_SCSI(h)) {
        for (unsigned int idx = 0; idx <= h->addr.controller && idx < 64; idx++) {
            bool found = false;

            for (size_t i = 0; i < persistent->ncontrollers && !found; i++)
                found =
                    persistent->controllers[i]->type == VIR_DOMAIN_CONTROLLER_TYPE_SCSI &&
                    persistent->controllers[i]->idx == (int)idx;
            if (!found) {
                virDomainControllerDef *c =
                    virDomainControllerDefNew(VIR_DOMAIN_CONTROLLER_TYPE_SCSI);

                c->idx = (int)idx;
                qemuHotplugInsertController(persistent, c);
            }
        }
    }
    return 0;
}

int
qemuHotplugAttachHostdevLive(qemuDriver *driver, virDomainObj *obj, virDomainDef *mine)
{
    g_autoptr(virDomainDef) check = virDomainDefCopy(obj->def);
    virDomainHostdevDef *h = mine->hostdevs[0];
    g_autofree char *configfs = NULL;

    if (h->mode != VIR_DOMAIN_HOSTDEV_MODE_SUBSYS) {
        /* libvirt's device rules refuse it first */
        appendHostdev(check, virDomainHostdevDefCopy(h));
        if (qemuGluePostParse(driver, check) < 0)
            return -1;
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "hotplug is not supported for hostdev mode 'capabilities'");
        return -1;
    }
    if (h->driveAssigned) {
        h->addr.type = VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE;
        h->driveAssigned = false;
    }
    appendHostdev(check, virDomainHostdevDefCopy(h));
    if (virDomainHostdevsPostParse(check) < 0 || qemuGluePostParse(driver, check) < 0)
        return -1;
    h = check->hostdevs[check->nhostdevs - 1];
    switch (h->type) {
    case VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_PCI:
        if (h->pciBackend == VIR_DOMAIN_HOSTDEV_PCI_BACKEND_XEN) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "QEMU does not support device assignment mode '%s'", "xen");
            return -1;
        }
        break;
    case VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_SCSI_HOST:
        /* libvirt lets the guest's cgroup reach the target first */
        configfs = g_strdup_printf("/sys/kernel/config/target/vhost//%s", h->wwpn);
        if (!g_file_test(configfs, G_FILE_TEST_EXISTS)) {
            virReportErrorFull(VIR_FROM_CGROUP, VIR_ERR_SYSTEM_ERROR, __func__,
                               "Path '%s' is not accessible: %s", configfs,
                               g_strerror(ENOENT));
            return -1;
        }
        break;
    default:
        break;
    }
    if (qemuHostdevPrepare(&h, 1) < 0)
        return -1;
    virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                   "virtkit does not hotplug host devices");
    return -1;
}

int
qemuHotplugDetachHostdevLive(const virDomainDef *live, const virDomainHostdevDef *h)
{
    if (h->mode != VIR_DOMAIN_HOSTDEV_MODE_SUBSYS) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "hot unplug is not supported for hostdev mode 'capabilities'");
        return -1;
    }
    if (qemuHotplugFindHostdev(live, h) >= 0) {
        /* a running guest cannot have one: its start refuses them */
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "virtkit does not hot unplug host devices");
        return -1;
    }
    switch (h->type) {
    case VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_PCI:
        virReportError(VIR_ERR_DEVICE_MISSING,
                       "host pci device %04x:%02x:%02x.%x not found", h->pciDomain,
                       h->pciBus, h->pciSlot, h->pciFunction);
        break;
    case VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_USB:
        if (h->usbBus && h->usbDevice)
            virReportError(VIR_ERR_DEVICE_MISSING, "host usb device %03d.%03d not found",
                           (int)h->usbBus, (int)h->usbDevice);
        else
            virReportError(VIR_ERR_DEVICE_MISSING,
                           "host usb device vendor=0x%.4x product=0x%.4x not found",
                           h->usbVendor, h->usbProduct);
        break;
    case VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_SCSI:
        virReportError(VIR_ERR_DEVICE_MISSING, "host scsi device %s:%u:%u.%llu not found",
                       h->scsiAdapter, h->scsiBus, h->scsiTarget, h->scsiUnit);
        break;
    case VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_MDEV:
        virReportError(VIR_ERR_DEVICE_MISSING, "mediated device '%s' not found",
                       h->mdevUUID);
        break;
    default:
        /* libvirt 9.0 reports nothing for a vhost-scsi device it lacks */
        virReportErrorFull(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR, __func__, "%s",
                           "An error occurred, but the cause is unknown");
        break;
    }
    return -1;
}
