/* qemu_validate_hostdev.c: the validator's rules of <hostdev> devices (libvirt 9.0's qemuValidateDomainDeviceDefHostdev) */

/*
 * Part of the validator: its contract (one rule, one message,
 * CONFIG_UNSUPPORTED in domain QEMU, pure) is qemu_validate.c's, whose
 * qemuValidateDomainDef calls qemuValidateHostdev for every hostdev. What
 * the host must have for a hostdev (the device itself, VFIO) is checked at
 * start and hotplug (qemu_hostdev.c), not here.
 */
#define G_LOG_DOMAIN "virtkit.qemu.validate"

#include "qemu_validate.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

static int
validateMdev(const virDomainDef *def, const virDomainHostdevDef *h)
{
    /* QEMU for x86 has neither vfio-ccw nor vfio-ap */
    if (h->mdevModel == VIR_DOMAIN_HOSTDEV_MDEV_MODEL_VFIO_CCW) {
        virReportError(
            VIR_ERR_CONFIG_UNSUPPORTED, "%s",
            "VFIO CCW device assignment is not supported by this version of QEMU");
        return -1;
    }
    if (h->mdevModel == VIR_DOMAIN_HOSTDEV_MDEV_MODEL_VFIO_AP) {
        virReportError(
            VIR_ERR_CONFIG_UNSUPPORTED, "%s",
            "VFIO AP device assignment is not supported by this version of QEMU");
        return -1;
    }
    if (h->boot.order) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "booting from assigned devices is not supported by mediated "
                       "devices of model vfio-pci");
        return -1;
    }
    if (h->display == VIR_DOMAIN_TRISTATE_ON && def->ngraphics == 0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "graphics device is needed for attribute value 'display=on' in "
                       "<hostdev>");
        return -1;
    }
    return 0;
}

int
qemuValidateHostdev(const virDomainDef *def, const virDomainHostdevDef *h)
{
    int at = h->addr.type;

    /* libvirt's device-info rule first */
    if (virDomainDeviceRomIsSet(&h->rom) && !h->unassigned &&
        at != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI &&
        at != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "ROM tuning is only supported for PCI devices");
        return -1;
    }
    if (h->mode == VIR_DOMAIN_HOSTDEV_MODE_CAPABILITIES) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "hostdev mode 'capabilities' is not supported in %s",
                       def->virtType == VIR_DOMAIN_VIRT_KVM ? "kvm" : "qemu");
        return -1;
    }
    switch (h->type) {
    case VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_PCI:
        if (h->writeFiltering) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "Write filtering of PCI device configuration space is not "
                           "supported by qemu");
            return -1;
        }
        return 0;
    case VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_SCSI_HOST:
        if (h->boot.order) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "booting from assigned devices is not supported by vhost SCSI "
                           "devices");
            return -1;
        }
        return 0;
    case VIR_DOMAIN_HOSTDEV_SUBSYS_TYPE_MDEV:
        return validateMdev(def, h);
    default:
        return 0;
    }
}
