/* qemu_validate_scsi.c: the validator's rules for SCSI controllers and for a disk's
 * identity (serial, wwn, vendor, product, rotation rate) and SCSI drive address */

/*
 * Part of the one validator (qemu_validate.c calls these in its order):
 * split off along the SCSI seam to keep files under the house limit. Same
 * contract: pure, one message per rule, libvirt 9.0's codes and texts.
 */
#define G_LOG_DOMAIN "virtkit.qemu.validate"

#include <string.h>

#include "qemu_command.h"
#include "qemu_validate.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

#define REFUSE(code, msg)                    \
    do {                                     \
        virReportError((code), "%s", (msg)); \
        return -1;                           \
    } while (0)

int
qemuValidateSCSIController(const virDomainDef *def, const virDomainControllerDef *c)
{
    const char *model = c->model ? c->model : "";
    bool virtio = virDomainControllerIsVirtioSCSI(c);

    /* libvirt's qemuValidateCheckSCSIControllerModel */
    if (g_str_equal(model, "auto") || g_str_equal(model, "buslogic")) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "Unsupported controller model: %s",
                       model);
        return -1;
    }
    if (g_str_equal(model, "ncr53c90")) {
        if (c->idx != 0)
            REFUSE(VIR_ERR_CONFIG_UNSUPPORTED,
                   "ncr53c90 can only be used as first SCSI controller");
        REFUSE(VIR_ERR_CONFIG_UNSUPPORTED,
               "ncr53c90 SCSI controller is not a built-in for this machine");
    }
    /* ibmvscsi is pSeries' and dc390 is a device this QEMU names 'dc390'
     * where libvirt asks for 'dc-390': neither can start here */
    if (!qemuSCSIControllerDevice(c->model))
        return 1;
    /* libvirt's qemuValidateDomainDeviceDefControllerAttributes */
    if (!virtio) {
        if (c->queues)
            REFUSE(VIR_ERR_CONFIG_UNSUPPORTED,
                   "'queues' is only supported by virtio-scsi controller");
        if (c->cmdPerLun)
            REFUSE(VIR_ERR_CONFIG_UNSUPPORTED,
                   "'cmd_per_lun' is only supported by virtio-scsi controller");
        if (c->maxSectors)
            REFUSE(VIR_ERR_CONFIG_UNSUPPORTED,
                   "'max_sectors' is only supported by virtio-scsi controller");
        if (c->ioeventfd)
            REFUSE(VIR_ERR_CONFIG_UNSUPPORTED,
                   "'ioeventfd' is only supported by virtio-scsi controller");
        if (c->iothread)
            REFUSE(VIR_ERR_CONFIG_UNSUPPORTED,
                   "'iothread' is only supported for virtio-scsi controller");
    }
    /* libvirt's qemuValidateCheckSCSIControllerIOThreads */
    if (virtio && c->iothread && !virDomainIOThreadFind(def, c->iothread)) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "controller iothread '%u' not defined in iothreadid", c->iothread);
        return -1;
    }
    return 0;
}

/* QEMU's serial property takes these (libvirt's QEMU_SERIAL_PARAM_ACCEPTED_CHARS) */
#define SERIAL_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_ .+"

int
qemuValidateDiskIdentity(const virDomainDef *def, const virDomainDiskDef *disk, int bus)
{
    /* libvirt's qemuValidateDomainDeviceDefDiskFrontend, in its order */
    if (disk->wwn && bus != VIR_DOMAIN_DISK_BUS_IDE && bus != VIR_DOMAIN_DISK_BUS_SCSI)
        REFUSE(VIR_ERR_CONFIG_UNSUPPORTED, "Only ide and scsi disk support wwn");
    if ((disk->vendor || disk->product) && bus != VIR_DOMAIN_DISK_BUS_SCSI)
        REFUSE(VIR_ERR_CONFIG_UNSUPPORTED, "Only scsi disk supports vendor and product");
    if (disk->rotationRate) {
        if (bus != VIR_DOMAIN_DISK_BUS_SCSI && bus != VIR_DOMAIN_DISK_BUS_IDE &&
            bus != VIR_DOMAIN_DISK_BUS_SATA)
            REFUSE(VIR_ERR_INTERNAL_ERROR,
                   "rotation rate is only valid for SCSI/IDE/SATA bus");
        if (disk->device != VIR_DOMAIN_DISK_DEVICE_DISK)
            REFUSE(VIR_ERR_INTERNAL_ERROR, "rotation rate is only valid for disk device");
    }
    if (bus == VIR_DOMAIN_DISK_BUS_SCSI &&
        disk->addr.type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_DRIVE) {
        const virDomainControllerDef *c = qemuSCSIController(def, disk->addr.controller);

        /* libvirt's qemuValidateDomainDeviceDefAddressDrive */
        if (disk->addr.bus != 0)
            REFUSE(VIR_ERR_INTERNAL_ERROR, "SCSI controller only supports 1 bus");
        if (c && g_strcmp0(c->model, "lsilogic") == 0 && disk->addr.target != 0)
            REFUSE(VIR_ERR_CONFIG_UNSUPPORTED,
                   "target must be 0 for controller model 'lsilogic'");
    }
    if (disk->serial) {
        if (strspn(disk->serial, SERIAL_CHARS) != strlen(disk->serial)) {
            virReportError(VIR_ERR_INTERNAL_ERROR,
                           "driver serial '%s' contains unsafe characters", disk->serial);
            return -1;
        }
        /* QEMU's floppy has no serial property: refused, never dropped */
        if (bus == VIR_DOMAIN_DISK_BUS_FDC)
            REFUSE(VIR_ERR_CONFIG_UNSUPPORTED, "a floppy disk cannot have a serial");
    }
    return 0;
}

#undef REFUSE
