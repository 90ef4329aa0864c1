/* qemu_driver_hostdev.c: the QEMU driver's host PCI device assignment calls
 * (virNodeDeviceDettach, virNodeDeviceDetachFlags, virNodeDeviceReAttach,
 * virNodeDeviceReset)
 *
 * virtkit assigns no host device to a guest, and never unbinds, rebinds or
 * resets one: on a host without VFIO (no /dev/vfio/vfio or no IOMMU group,
 * the machines virtkit runs on) detaching is refused first, as libvirt
 * 9.0's QEMU driver refuses it (recorded from Debian's libvirtd: code 74,
 * VIR_FROM_QEMU); re-attach and reset of a device that is not PCI get
 * libvirt's "is not a PCI device" (code 8, VIR_FROM_DOMAIN). What libvirt
 * would then do to a real PCI device (write its sysfs driver_override,
 * reset it) virtkit refuses with VIR_ERR_OPERATION_UNSUPPORTED instead.
 * No state: any thread.
 */
#define G_LOG_DOMAIN "virtkit.qemu.hostdev"
#include <string.h>

#include "qemu_driver_priv.h"
#include "qemu_hostdev.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU


/* Whether @dev has the PCI capability (its XML from the node device
 * driver); reports libvirt's error when it has not. */
static int
qemuHostdevCheckPCI(virNodeDevicePtr dev)
{
    g_autofree char *xml = virNodeDeviceGetXMLDesc(dev, 0);

    if (!xml)
        return -1;
    if (!strstr(xml, "<capability type='pci'>")) {
        virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_INVALID_ARG, __func__,
                           "device %s is not a PCI device", virNodeDeviceGetName(dev));
        return -1;
    }
    return 0;
}

int
qemuNodeDeviceDetachFlags(virNodeDevicePtr dev, const char *driverName,
                          unsigned int flags)
{
    virCheckFlags(0, -1);

    if (!driverName)
        driverName = "vfio";
    if (strcmp(driverName, "vfio") == 0) {
        if (!qemuHostdevHostSupportsVFIO()) {
            virReportError(
                VIR_ERR_ARGUMENT_UNSUPPORTED, "%s",
                "VFIO device assignment is currently not supported on this system");
            return -1;
        }
    } else if (strcmp(driverName, "kvm") == 0) {
        virReportError(VIR_ERR_ARGUMENT_UNSUPPORTED, "%s",
                       "KVM device assignment is no longer supported on this system");
        return -1;
    } else {
        virReportError(VIR_ERR_INVALID_ARG, "unknown driver name '%s'", driverName);
        return -1;
    }
    if (qemuHostdevCheckPCI(dev) < 0)
        return -1;
    virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                   "virtkit does not detach host PCI devices");
    return -1;
}

int
qemuNodeDeviceDettach(virNodeDevicePtr dev)
{
    return qemuNodeDeviceDetachFlags(dev, NULL, 0);
}

int
qemuNodeDeviceReAttach(virNodeDevicePtr dev)
{
    if (qemuHostdevCheckPCI(dev) < 0)
        return -1;
    virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                   "virtkit does not re-attach host PCI devices");
    return -1;
}

int
qemuNodeDeviceReset(virNodeDevicePtr dev)
{
    if (qemuHostdevCheckPCI(dev) < 0)
        return -1;
    virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                   "virtkit does not reset host PCI devices");
    return -1;
}
