/* qemu_hostdev.c: the host side of a guest's <hostdev> devices at start and hotplug (libvirt 9.0's qemuHostdevPrepareDomainDevices) */

/*
 * Before QEMU starts (or a hostdev is plugged in) each host device is
 * looked up on this host, in libvirt's order: PCI (VFIO support), USB
 * (sysfs, by vendor/product or bus/device), SCSI (the adapter's
 * /dev/sgN), mediated devices (VFIO), then vhost-scsi (/dev/vhost-scsi)
 * and PCI backends QEMU has not, which libvirt finds while building the
 * command line. The first missing piece fails the start with libvirt's
 * error, and nothing on the host has changed: virtkit never unbinds,
 * rebinds or resets a host device (qemu_driver_hostdev.c). A managed PCI
 * device, which libvirt would detach from its host driver first, and
 * vhost-scsi, whose descriptor virtkit does not pass, are refused with
 * OPERATION_UNSUPPORTED where the host would have them. What is found
 * (a USB device's bus and device, a SCSI device's /dev/sgN) goes into the
 * live definition. No state of its own: any thread, the domain locked.
 */
#define G_LOG_DOMAIN "virtkit.qemu.hostdev"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "qemu_hostdev.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

bool
qemuHostdevHostSupportsVFIO(void)
{
    g_autoptr(GDir) groups = NULL;

    if (!(groups = g_dir_open("/sys/kernel/iommu_groups", 0, NULL)) ||
        !g_dir_read_name(groups))
        return false;
    return g_file_test("/dev/vfio/vfio", G_FILE_TEST_EXISTS);
}

const char *
qemuHostdevPCIBackendToString(int backend)
{
    static const char *const names[] = { "default", "kvm", "vfio", "xen" };

    return backend >= 0 && backend < (int)G_N_ELEMENTS(names) ? names[backend] : "";
}

static int
preparePCI(virDomainHostdevDef *h, bool vfio)
{
    switch (h->pciBackend) {
    case VIR_DOMAIN_HOSTDEV_PCI_BACKEND_DEFAULT:
        if (!vfio) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "host doesn't support passthrough of host PCI devices");
            return -1;
        }
        h->pciBackend = VIR_DOMAIN_HOSTDEV_PCI_BACKEND_VFIO;
        break;
    case VIR_DOMAIN_HOSTDEV_PCI_BACKEND_VFIO:
        if (!vfio) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "host doesn't support VFIO PCI passthrough");
            return -1;
        }
        break;
    case VIR_DOMAIN_HOSTDEV_PCI_BACKEND_KVM:
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "host doesn't support legacy PCI passthrough");
        return -1;
    default:
        return 0; /* xen: refused with the command line */
    }
    if (h->managed) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "virtkit does not detach host PCI devices");
        return -1;
    }
    return 0;
}

/* A sysfs attribute of a USB device as a number in @base; -1 if absent */
static long
usbAttr(const char *dev, const char *name, int base)
{
    g_autofree char *path = g_strdup_printf("/sys/bus/usb/devices/%s/%s", dev, name);
    g_autofree char *text = NULL;

    if (!g_file_get_contents(path, &text, NULL, NULL))
        return -1;
    return strtol(text, NULL, base);
}

/* libvirt's virUSBDeviceFind: by vendor/product (and bus/device when both
 * are given), or by bus/device */
static int
prepareUSB(virDomainHostdevDef *h)
{
    g_autoptr(GDir) dir = NULL;
    g_autoptr(GError) err = NULL;
    const char *name;
    bool byVendor = h->usbVendor != 0;
    bool byBus = h->usbBus || h->usbDevice;

    if (!(dir = g_dir_open("/sys/bus/usb/devices", 0, &err))) {
        virReportErrorFull(VIR_FROM_NONE, VIR_ERR_SYSTEM_ERROR, __func__,
                           "cannot open directory '/sys/bus/usb/devices': %s",
                           g_strerror(err->code == G_FILE_ERROR_NOENT ? ENOENT : EACCES));
        return -1;
    }
    while ((name = g_dir_read_name(dir))) {
        if (strchr(name, ':'))
            continue; /* an interface, not a device */
        if (byVendor && (usbAttr(name, "idVendor", 16) != (long)h->usbVendor ||
                         usbAttr(name, "idProduct", 16) != (long)h->usbProduct))
            continue;
        if (byBus && (usbAttr(name, "busnum", 10) != (long)h->usbBus ||
                      usbAttr(name, "devnum", 10) != (long)h->usbDevice))
            continue;
        h->usbBus = (unsigned int)usbAttr(name, "busnum", 10);
        h->usbDevice = (unsigned int)usbAttr(name, "devnum", 10);
        return 0;
    }
    if (byVendor && byBus)
        virReportErrorFull(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR, __func__,
                           "Did not find USB device %04x:%04x bus:%u device:%u",
                           h->usbVendor, h->usbProduct, h->usbBus, h->usbDevice);
    else if (byVendor)
        virReportErrorFull(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR, __func__,
                           "Did not find USB device %04x:%04x", h->usbVendor,
                           h->usbProduct);
    else
        virReportErrorFull(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR, __func__,
                           "Did not find USB device bus:%u device:%u", h->usbBus,
                           h->usbDevice);
    return -1;
}

/* libvirt's virSCSIDeviceGetSgName: the scsi_generic entry of
 * /sys/bus/scsi/devices/HOST:BUS:TARGET:UNIT, HOST from "scsi_hostN" */
static int
prepareSCSI(virDomainHostdevDef *h)
{
    unsigned int host = 0;
    char *end = NULL;
    g_autofree char *path = NULL;
    g_autoptr(GDir) dir = NULL;
    g_autoptr(GError) err = NULL;
    const char *name;

    if (!g_str_has_prefix(h->scsiAdapter, "scsi_host") ||
        (host = (unsigned int)strtoul(h->scsiAdapter + 9, &end, 10),
         !end || *end || end == h->scsiAdapter + 9)) {
        virReportErrorFull(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR, __func__,
                           "Cannot parse adapter '%s'", h->scsiAdapter);
        return -1;
    }
    path = g_strdup_printf("/sys/bus/scsi/devices/%u:%u:%u:%llu/scsi_generic", host,
                           h->scsiBus, h->scsiTarget, h->scsiUnit);
    if (!(dir = g_dir_open(path, 0, &err))) {
        virReportErrorFull(VIR_FROM_NONE, VIR_ERR_SYSTEM_ERROR, __func__,
                           "cannot open directory '%s': %s", path,
                           g_strerror(err->code == G_FILE_ERROR_NOENT ? ENOENT : EACCES));
        return -1;
    }
    if (!(name = g_dir_read_name(dir))) {
        virReportErrorFull(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR, __func__,
                           "no SCSI generic device under '%s'", path);
        return -1;
    }
    g_free(h->sgDev);
    h->sgDev = g_strdup_printf("/dev/%s", name);
    return 0;
}

/* What libvirt finds while building the command line */
static int
prepareLate(const virDomainHostdevDef *h)
{
    if (h->type == VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_PCI &&
        h->pciBackend == VIR_DOMAIN_HOSTDEV_PCI_BACKEND_XEN) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "invalid PCI passthrough type 'xen'");
        return -1;
    }
    if (h->type != VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_SCSI_HOST)
        return 0;
    if (!g_file_test("/dev/vhost-scsi", G_FILE_TEST_EXISTS)) {
        virReportErrorFull(VIR_FROM_NONE, VIR_ERR_CONFIG_UNSUPPORTED, __func__, "%s",
                           "vhost-scsi device file '/dev/vhost-scsi' cannot be found");
        return -1;
    }
    virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                   "virtkit does not pass vhost-scsi devices to QEMU");
    return -1;
}

int
qemuHostdevPrepare(virDomainHostdevDef *const *hostdevs, size_t n)
{
    bool vfio = qemuHostdevHostSupportsVFIO();
    static const int order[] = { VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_PCI,
                                 VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_USB,
                                 VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_SCSI,
                                 VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_MDEV };

    for (size_t k = 0; k < G_N_ELEMENTS(order); k++) {
        for (size_t i = 0; i < n; i++) {
            virDomainHostdevDef *h = hostdevs[i];
            int rc = 0;

            if (h->mode != VIR_DOMAIN_HOSTDEV_MODE_SUBSYS || h->type != order[k])
                continue;
            if (h->type == VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_PCI) {
                rc = preparePCI(h, vfio);
            } else if (h->type == VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_USB) {
                rc = prepareUSB(h);
            } else if (h->type == VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_SCSI) {
                rc = prepareSCSI(h);
            } else if (!vfio) {
                virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                               "Mediated host device assignment requires VFIO support");
                rc = -1;
            } else {
                g_autofree char *path =
                    g_strdup_printf("/sys/bus/mdev/devices/%s", h->mdevUUID);

                if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
                    virReportErrorFull(VIR_FROM_NONE, VIR_ERR_SYSTEM_ERROR, __func__,
                                       "Unable to resolve '%s': %s", path,
                                       g_strerror(ENOENT));
                    rc = -1;
                }
            }
            if (rc < 0)
                return -1;
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (hostdevs[i]->mode == VIR_DOMAIN_HOSTDEV_MODE_SUBSYS &&
            prepareLate(hostdevs[i]) < 0)
            return -1;
    }
    return 0;
}

int
qemuHostdevPreparePretend(virDomainDef *def)
{
    for (size_t i = 0; i < def->nhostdevs; i++) {
        if (VIR_DOMAIN_HOSTDEV_IS_SCSI(def->hostdevs[i]) &&
            prepareSCSI(def->hostdevs[i]) < 0)
            return -1;
    }
    for (size_t i = 0; i < def->nhostdevs; i++) {
        const virDomainHostdevDef *h = def->hostdevs[i];

        if (h->mode != VIR_DOMAIN_HOSTDEV_MODE_SUBSYS)
            continue;
        if (h->type == VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_PCI && !h->unassigned &&
            h->pciBackend != VIR_DOMAIN_HOSTDEV_PCI_BACKEND_VFIO) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "invalid PCI passthrough type '%s'",
                           qemuHostdevPCIBackendToString(h->pciBackend));
            return -1;
        }
        if (h->type == VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_USB && !h->usbBus &&
            !h->usbDevice) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                           "USB host device is missing bus/device information");
            return -1;
        }
        if (h->type == VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_SCSI_HOST && prepareLate(h) < 0)
            return -1;
    }
    return 0;
}

void
qemuHostdevAssignAliases(virDomainDef *def)
{
    for (size_t i = 0; i < def->nhostdevs; i++) {
        if (!def->hostdevs[i]->alias)
            def->hostdevs[i]->alias = g_strdup_printf("hostdev%zu", i);
    }
}
