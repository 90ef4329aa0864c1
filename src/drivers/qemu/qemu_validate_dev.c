/* qemu_validate_dev.c: the validator's rules of single devices: the <address> types they may carry, disks, serial ports, filesystems */

/*
 * Part of the validator: its contract (one rule, one message,
 * CONFIG_UNSUPPORTED in domain QEMU, pure) is qemu_validate.c's, whose
 * qemuValidateDomainDef calls these for every device of a definition.
 */
#define G_LOG_DOMAIN "virtkit.qemu.validate"

#include <string.h>

#include "qemu_command.h"
#include "qemu_cpu.h"
#include "qemu_iotune.h"
#include "qemu_validate.h"
#include "qemu_domain_address.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

/* libvirt's "<what> cannot have an address of type '<type>'". */
int
qemuValidateAddressType(const virDomainDeviceAddress *addr, const char *what,
                        qemuValidateAddressKind kind)
{
    int want = kind == PCI_ONLY   ? VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI
               : kind == USB_ONLY ? VIR_DOMAIN_DEVICE_ADDRESS_TYPE_USB
                                  : VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE;

    if (addr->type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE || addr->type == want)
        return 0;
    virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s cannot have an address of type '%s'",
                   what, virDomainDeviceAddressTypeToString(addr->type));
    return -1;
}

static const char *const diskBusNames[VIR_DOMAIN_DISK_BUS_LAST] = {
    "none", "ide", "scsi", "virtio", "usb", "sata", "fdc",
};

/* libvirt's qemuDomainValidateStorageSource rules for a network source
 * (the parser reads cookies, ssl, readahead, timeout and query only where
 * their protocols allow them) */
static int
qemuValidateDiskNet(const virDomainDiskDef *disk)
{
    const virDomainDiskNetSource *net = disk->net;

    if (net->protocol == VIR_STORAGE_NET_PROTOCOL_TFTP) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "'tftp' protocol is not supported with this QEMU binary");
        return -1;
    }
    if (net->protocol == VIR_STORAGE_NET_PROTOCOL_NFS) {
        if (net->nhosts != 1) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "'nfs' protocol requires the usage of exactly one host");
            return -1;
        }
        if (net->hosts[0].transport != VIR_STORAGE_NET_HOST_TRANS_TCP) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "'nfs' host must use TCP protocol");
            return -1;
        }
        if (net->hosts[0].port != 0) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "port cannot be specified in 'nfs' protocol host");
            return -1;
        }
    }
    if (net->tlsHostname && net->protocol != VIR_STORAGE_NET_PROTOCOL_NBD) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "'tlsHostname' field is supported only with NBD disks");
        return -1;
    }
    return 0;
}

/* libvirt's names of the buses virtkit carries */
static const char *
qemuDiskBusName(int bus)
{
    static const char *const names[VIR_DOMAIN_DISK_BUS_LAST] = {
        "none", "ide", "scsi", "virtio", "usb", "sata", "fdc",
    };

    return bus >= 0 && bus < VIR_DOMAIN_DISK_BUS_LAST ? names[bus] : "none";
}

/* libvirt's qemuDomainValidateStorageSource format rules, for each layer
 * of a given backing chain (the disk's own format is the parser's) */
static int
qemuValidateDiskBacking(const virDomainDiskDef *disk)
{
    for (const virDomainDiskBackingDef *b = disk->backing; b && !b->terminator;
         b = b->backing) {
        switch (b->format) {
        case VIR_STORAGE_FILE_COW:
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "'cow' storage format is not supported");
            return -1;
        case VIR_STORAGE_FILE_DIR:
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "'directory' storage format is not directly supported by "
                           "QEMU, use 'dir' disk type instead");
            return -1;
        case VIR_STORAGE_FILE_ISO:
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "storage format 'iso' is not directly supported by QEMU, "
                           "use 'raw' instead");
            return -1;
        case VIR_STORAGE_FILE_FAT:
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "storage format 'fat' is supported only with 'dir' storage "
                           "type");
            return -1;
        default:
            break;
        }
        if (b->net) {
            virDomainDiskDef tmp = { 0 };

            tmp.net = b->net;
            if (qemuValidateDiskNet(&tmp) < 0)
                return -1;
        }
    }
    return 0;
}

/* libvirt's qemuDomainValidateStorageSource rules for <encryption> (the
 * engine is QEMU's unless given: qemuCapsDiskDefPostParse) */
static int
qemuValidateDiskEncryption(const virDomainDiskDef *disk)
{
    const virStorageEncryption *enc = disk->encryption;

    if (enc->format == VIR_STORAGE_ENCRYPTION_FORMAT_DEFAULT ||
        enc->format == VIR_STORAGE_ENCRYPTION_FORMAT_QCOW) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "old qcow/qcow2 encryption is not supported");
        return -1;
    }
    if (enc->engine == VIR_STORAGE_ENCRYPTION_ENGINE_LIBRBD) {
        if (!disk->net || disk->net->protocol != VIR_STORAGE_NET_PROTOCOL_RBD) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "librbd encryption is supported only with RBD backed disks");
            return -1;
        }
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "encryption engine 'librbd' is not supported by virtkit");
        return -1;
    }
    if (enc->format == VIR_STORAGE_ENCRYPTION_FORMAT_LUKS2) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "luks2 is currently not supported by the qemu encryption engine");
        return -1;
    }
    if (disk->format != VIR_STORAGE_FORMAT_RAW &&
        disk->format != VIR_STORAGE_FORMAT_QCOW2) {
        virReportError(
            VIR_ERR_CONFIG_UNSUPPORTED, "%s",
            "encryption is supported only with 'raw' and 'qcow2' image format");
        return -1;
    }
    return 0;
}

int
qemuValidateDisk(const virDomainDef *def, const virDomainDiskDef *disk,
                 const char *machine)
{
    int bus = qemuDiskBus(disk);
    const char *dst = disk->dst ? disk->dst : "?";
    int idx = qemuDiskIndex(disk->dst);

    if (qemuValidateDiskBacking(disk) < 0)
        return -1;

    if (disk->type != VIR_DOMAIN_DISK_TYPE_FILE &&
        disk->type != VIR_DOMAIN_DISK_TYPE_VOLUME &&
        disk->type != VIR_DOMAIN_DISK_TYPE_BLOCK &&
        disk->type != VIR_DOMAIN_DISK_TYPE_NETWORK) {
        virReportError(
            VIR_ERR_CONFIG_UNSUPPORTED,
            "disk '%s': only file, block, volume and network disks are supported", dst);
        return -1;
    }
    /* <iotune>: given to QEMU after start (qemu_iotune.c) */
    if (qemuIoTuneValidate(def, disk) < 0)
        return -1;
    if (disk->net && qemuValidateDiskNet(disk) < 0)
        return -1;
    if (idx < 0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "disk '%s': invalid target name", dst);
        return -1;
    }
    if (disk->driverName && !g_str_equal(disk->driverName, "qemu")) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "disk '%s': unsupported driver name '%s'", dst, disk->driverName);
        return -1;
    }
    if (disk->format != VIR_STORAGE_FORMAT_NONE &&
        disk->format != VIR_STORAGE_FORMAT_RAW &&
        disk->format != VIR_STORAGE_FORMAT_QCOW2) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "disk '%s': unsupported format", dst);
        return -1;
    }
    if (disk->encryption && qemuValidateDiskEncryption(disk) < 0)
        return -1;
    if (disk->cache < 0 || disk->cache >= VIR_DOMAIN_DISK_CACHE_LAST) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "disk '%s': unsupported cache mode",
                       dst);
        return -1;
    }
    /* libvirt's qemuValidateDomainDeviceDefDisk rule (QEMU itself refuses
     * aio=native without cache.direct) */
    if (disk->io == VIR_DOMAIN_DISK_IO_NATIVE &&
        disk->cache != VIR_DOMAIN_DISK_CACHE_NONE &&
        disk->cache != VIR_DOMAIN_DISK_CACHE_DIRECTSYNC) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "io='native' needs either no disk cache or directsync cache mode");
        return -1;
    }
    if (bus == VIR_DOMAIN_DISK_BUS_VIRTIO &&
        qemuValidateAddressType(&disk->addr, "virtio disk", PCI_ONLY) < 0)
        return -1;
    /* libvirt's virDomainDiskDefValidate (domain DOMAIN) */
    if (bus != VIR_DOMAIN_DISK_BUS_VIRTIO && disk->eventIdx) {
        virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_CONFIG_UNSUPPORTED, __func__, "%s",
                           "disk event_idx mode supported only for virtio bus");
        return -1;
    }
    if (bus != VIR_DOMAIN_DISK_BUS_VIRTIO && disk->ioeventfd) {
        virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_CONFIG_UNSUPPORTED, __func__, "%s",
                           "disk ioeventfd mode supported only for virtio bus");
        return -1;
    }
    if (bus != VIR_DOMAIN_DISK_BUS_VIRTIO && disk->queues) {
        virReportErrorFull(
            VIR_FROM_DOMAIN, VIR_ERR_CONFIG_UNSUPPORTED, __func__, "%s",
            "queues attribute in disk driver element is only supported by virtio-blk");
        return -1;
    }
    /* libvirt's qemuValidateDomainDeviceDefDiskFrontend: a whole geometry */
    if (disk->geomCyls && disk->geomHeads && disk->geomSecs) {
        if (bus == VIR_DOMAIN_DISK_BUS_USB) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "CHS geometry can not be set for '%s' bus",
                           qemuDiskBusName(bus));
            return -1;
        }
        if (disk->geomTrans && bus != VIR_DOMAIN_DISK_BUS_IDE) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "CHS translation mode can only be set for 'ide' bus not '%s'",
                           qemuDiskBusName(bus));
            return -1;
        }
    }
    if (disk->metadataCacheMaxSize && disk->format != VIR_STORAGE_FORMAT_QCOW2) {
        virReportError(
            VIR_ERR_CONFIG_UNSUPPORTED, "%s",
            "metadata cache max size control is supported only with qcow2 images");
        return -1;
    }
    /* libvirt's: only a raw image may be written from two guests at once */
    if (disk->shareable && !disk->readonly && disk->format != VIR_STORAGE_FORMAT_RAW &&
        disk->format != VIR_STORAGE_FORMAT_NONE) {
        virReportError(
            VIR_ERR_CONFIG_UNSUPPORTED,
            "shared access for disk '%s' requires use of supported storage format", dst);
        return -1;
    }
    /* libvirt's qemuValidateDomainDeviceDefDiskFrontend */
    if (bus == VIR_DOMAIN_DISK_BUS_USB &&
        disk->addr.type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE &&
        disk->addr.type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_USB) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "unexpected address type for usb disk");
        return -1;
    }
    /* libvirt's qemuValidateDomainDeviceDefDiskIOThreads */
    if (disk->iothread) {
        if (bus != VIR_DOMAIN_DISK_BUS_VIRTIO) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "IOThreads not available for bus %s target %s",
                           qemuDiskBusName(bus), dst);
            return -1;
        }
        if (!virDomainIOThreadFind(def, disk->iothread)) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "Disk iothread '%u' not defined in iothreadid",
                           disk->iothread);
            return -1;
        }
    }
    if (qemuValidateDiskIdentity(def, disk, bus) < 0)
        return -1;
    switch (bus) {
    case VIR_DOMAIN_DISK_BUS_SCSI:
    case VIR_DOMAIN_DISK_BUS_USB: /* usb-storage, a disk or a cdrom */
        break;
    case VIR_DOMAIN_DISK_BUS_VIRTIO:
        if (disk->device != VIR_DOMAIN_DISK_DEVICE_DISK) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "disk '%s': a cdrom cannot be on the virtio bus", dst);
            return -1;
        }
        break;
    case VIR_DOMAIN_DISK_BUS_SATA:
        if (!qemuMachineIsQ35(machine)) {
            virReportError(
                VIR_ERR_CONFIG_UNSUPPORTED,
                "disk '%s': SATA needs a q35 machine (its built-in AHCI controller)",
                dst);
            return -1;
        }
        if (idx > 5) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "disk '%s': the AHCI controller has 6 ports", dst);
            return -1;
        }
        break;
    case VIR_DOMAIN_DISK_BUS_FDC:
        /* one floppy controller, two drives (libvirt's drive address) */
        if (disk->addr.type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_DRIVE &&
            (disk->addr.controller > 0 || disk->addr.bus > 0 || disk->addr.unit > 1)) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "disk '%s': the floppy controller has 2 drives", dst);
            return -1;
        }
        if (idx > 1) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "disk '%s': the floppy controller has 2 drives", dst);
            return -1;
        }
        break;
    case VIR_DOMAIN_DISK_BUS_IDE:
        if (!qemuMachineIsI440FX(machine)) {
            virReportError(
                VIR_ERR_CONFIG_UNSUPPORTED,
                "IDE controllers are unsupported for this QEMU binary or machine type");
            return -1;
        }
        if (idx > 3) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "disk '%s': the IDE controller has 4 units", dst);
            return -1;
        }
        break;
    default:
        virReportError(
            VIR_ERR_CONFIG_UNSUPPORTED, "disk '%s': unsupported disk bus '%s'", dst,
            bus >= 0 && bus < VIR_DOMAIN_DISK_BUS_LAST ? diskBusNames[bus] : "?");
        return -1;
    }
    if (!virDomainDiskHasMedia(disk) && disk->device == VIR_DOMAIN_DISK_DEVICE_DISK) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "disk '%s' has no source file", dst);
        return -1;
    }
    for (size_t i = 0; i < def->ndisks; i++) {
        const virDomainDiskDef *o = def->disks[i];

        if (o != disk && g_strcmp0(o->dst, disk->dst) == 0) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "target '%s' duplicated for disk sources", dst);
            return -1;
        }
    }
    return 0;
}

int
qemuValidateChrSource(const virDomainChrDef *chr)
{
    /* libvirt's qemuValidateDomainChrSourceReconnectDef */
    if (chr->reconnect == 1 && chr->reconnectTimeout == 0) {
        virReportError(VIR_ERR_INVALID_ARG, "%s",
                       "chardev reconnect source timeout cannot be '0'");
        return -1;
    }
    return 0;
}

int
qemuValidateChr(const virDomainChrDef *chr, size_t i)
{
    if (qemuValidateChrSource(chr) < 0)
        return -1;
    if (chr->type == VIR_DOMAIN_CHR_TYPE_FILE && !chr->path) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "serial %zu of type 'file' has no path", i);
        return -1;
    }
    if (chr->targetType != VIR_DOMAIN_CHR_TARGET_NONE &&
        chr->targetType != VIR_DOMAIN_CHR_TARGET_ISA_SERIAL) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "serial %zu: only isa-serial targets are supported", i);
        return -1;
    }
    if (chr->targetModel && !g_str_equal(chr->targetModel, "isa-serial")) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "serial %zu: unsupported target model '%s'", i, chr->targetModel);
        return -1;
    }
    /* a serial without a target type is an isa-serial here: libvirt's
     * rule for those (the parser checks the ones that say so); the port
     * is QEMU's index, gaps allowed */
    if (chr->targetPort > 3) {
        virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_INTERNAL_ERROR, __func__, "%s",
                           "Maximum supported number of ISA serial ports is '4'");
        return -1;
    }
    return 0;
}

#define FS_REFUSE(msg)                                         \
    do {                                                       \
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s", msg); \
        return -1;                                             \
    } while (0)

/* libvirt 9.0's rules for a <filesystem> (qemuValidateDomainDeviceDefFS),
 * in its order, with its messages. */
int
qemuValidateFS(const virDomainDef *def, const virDomainFSDef *fs)
{
    /* libvirt's PCI address assignment (its post-parse, before these
     * rules) finds no bus for a device of these drivers */
    if (fs->fsdriver == VIR_DOMAIN_FS_DRIVER_LOOP ||
        fs->fsdriver == VIR_DOMAIN_FS_DRIVER_NBD ||
        fs->fsdriver == VIR_DOMAIN_FS_DRIVER_PLOOP) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "Cannot automatically add a new PCI bus for a device with connect "
                       "flags 00");
        return -1;
    }
    if (fs->type != VIR_DOMAIN_FS_TYPE_MOUNT)
        FS_REFUSE("only supports mount filesystem type");
    if ((fs->fmode || fs->dmode) && fs->accessmode != VIR_DOMAIN_FS_ACCESS_MAPPED)
        FS_REFUSE("fmode and dmode must be used with accessmode=mapped");
    if (fs->fsdriver != VIR_DOMAIN_FS_DRIVER_VIRTIOFS &&
        fs->sandbox != VIR_DOMAIN_FS_SANDBOX_DEFAULT)
        FS_REFUSE("sandbox can only be used with driver=virtiofs");
    switch (fs->fsdriver) {
    case VIR_DOMAIN_FS_DRIVER_DEFAULT:
    case VIR_DOMAIN_FS_DRIVER_PATH:
        break;
    case VIR_DOMAIN_FS_DRIVER_HANDLE:
        if (fs->accessmode != VIR_DOMAIN_FS_ACCESS_PASSTHROUGH)
            FS_REFUSE("only supports passthrough accessmode");
        break;
    case VIR_DOMAIN_FS_DRIVER_LOOP:
    case VIR_DOMAIN_FS_DRIVER_NBD:
    case VIR_DOMAIN_FS_DRIVER_PLOOP:
        FS_REFUSE("Filesystem driver type not supported");
    case VIR_DOMAIN_FS_DRIVER_VIRTIOFS:
        if (!fs->sock) {
            if (fs->readonly)
                FS_REFUSE("virtiofs does not yet support read-only mode");
            if (fs->accessmode != VIR_DOMAIN_FS_ACCESS_PASSTHROUGH)
                FS_REFUSE("virtiofs only supports passthrough accessmode");
            if (fs->wrpolicy != VIR_DOMAIN_FS_WRPOLICY_DEFAULT)
                FS_REFUSE("virtiofs does not support wrpolicy");
        }
        if (fs->model != VIR_DOMAIN_FS_MODEL_DEFAULT)
            FS_REFUSE("virtiofs does not support model");
        if (fs->format)
            FS_REFUSE("virtiofs does not support format");
        if (fs->multidevs != VIR_DOMAIN_FS_MULTIDEVS_DEFAULT)
            FS_REFUSE("virtiofs does not support multidevs");
        if (fs->fmode || fs->dmode)
            FS_REFUSE("virtiofs does not support fmode and dmode");
        /* vhost-user needs the guest's RAM shared with virtiofsd
         * (libvirt's qemuValidateDomainDefVhostUserRequireSharedMemory) */
        if (!def->nnumaCells && def->memBacking.access != VIR_DOMAIN_MEMORY_ACCESS_SHARED)
            FS_REFUSE("'virtiofs' requires shared memory");
        for (size_t i = 0; i < def->nnumaCells; i++) {
            int acc = def->numaCells[i].memAccess;

            if (acc == VIR_DOMAIN_MEMORY_ACCESS_PRIVATE ||
                (acc == VIR_DOMAIN_MEMORY_ACCESS_DEFAULT &&
                 def->memBacking.access != VIR_DOMAIN_MEMORY_ACCESS_SHARED))
                FS_REFUSE("'virtiofs' requires shared memory");
        }
        break;
    }
    return qemuValidateAddressType(&fs->addr, "filesystem", PCI_ONLY);
}

#undef FS_REFUSE
