/* domain_disk_conf.c: a <disk> device as libvirt 9.0 reads it (source, driver, target, iotune, geometry, blockio, identity, mirror) */

#define G_LOG_DOMAIN "virtkit.conf.device"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/tree.h>

#include "domain_conf.h"
#include "domain_conf_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

/* Values libvirt accepts for a disk's attribute that virtkit does not
 * implement: refused with CONFIG_UNSUPPORTED rather than reported as
 * invalid (as domain_device_conf.c does for the other devices). */
static const char *const libvirtDiskTypes[] = {
    "dir",
    "nvme",
    "vhostuser",
    NULL,
};
static const char *const libvirtDiskDevices[] = { "lun", NULL };
static const char *const libvirtDiskBuses[] = { "xen", "uml", "sd", NULL };

/* libvirt's virDiskNameParse: a known prefix, letters, then an optional
 * partition number. */
static bool
diskNameValid(const char *name)
{
    static const char *const prefixes[] = { "fd", "hd", "vd", "sd", "xvd", "ubd", NULL };
    const char *p = NULL;

    for (size_t i = 0; prefixes[i]; i++) {
        if (g_str_has_prefix(name, prefixes[i])) {
            p = name + strlen(prefixes[i]);
            break;
        }
    }
    if (!p || !g_ascii_islower(*p))
        return false;
    while (g_ascii_islower(*p))
        p++;
    while (g_ascii_isdigit(*p))
        p++;
    return *p == '\0';
}

/* The live <mirror> of a disk (status files): a copy or an active commit
 * in progress. Absent: nothing. */
static int
parseDiskMirror(virDomainDiskDef *disk, xmlNodePtr node)
{
    static const char *const readyNames[] = { "none", "yes", "abort", "pivot" };
    xmlNodePtr mirror = virDomainXMLChild(node, "mirror");
    xmlNodePtr msrc = mirror ? virDomainXMLChild(mirror, "source") : NULL;
    xmlNodePtr mfmt = mirror ? virDomainXMLChild(mirror, "format") : NULL;
    g_autofree char *job = NULL;
    g_autofree char *ready = NULL;
    g_autofree char *fmt = NULL;

    if (!mirror)
        return 0;
    job = virDomainXMLProp(mirror, "job");
    ready = virDomainXMLProp(mirror, "ready");
    if (!job || g_str_equal(job, "copy"))
        disk->mirrorJob = VIR_DOMAIN_BLOCK_JOB_TYPE_COPY;
    else if (g_str_equal(job, "active-commit"))
        disk->mirrorJob = VIR_DOMAIN_BLOCK_JOB_TYPE_ACTIVE_COMMIT;
    else {
        virDomainXMLReportInvalidAttr("job", mirror, job);
        return -1;
    }
    {
        g_autofree char *mtype = virDomainXMLProp(mirror, "type");

        if (mtype && g_str_equal(mtype, "block"))
            disk->mirrorType = VIR_DOMAIN_DISK_TYPE_BLOCK;
        else if (mtype && !g_str_equal(mtype, "file")) {
            virDomainXMLReportInvalidAttr("type", mirror, mtype);
            return -1;
        }
    }
    if (disk->mirrorType == VIR_DOMAIN_DISK_TYPE_BLOCK)
        disk->mirrorSrc = msrc ? virDomainXMLProp(msrc, "dev") : NULL;
    else
        disk->mirrorSrc =
            msrc ? virDomainXMLProp(msrc, "file") : virDomainXMLProp(mirror, "file");
    if (!disk->mirrorSrc || !*disk->mirrorSrc) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "mirror requires source element");
        return -1;
    }
    fmt = mfmt ? virDomainXMLProp(mfmt, "type") : virDomainXMLProp(mirror, "format");
    if (fmt && *fmt &&
        (disk->mirrorFormat = virDomainEnumFromString(virStorageFormatNames,
                                                      VIR_STORAGE_FORMAT_LAST, fmt)) < 0)
        disk->mirrorFormat = VIR_STORAGE_FORMAT_NONE;
    if (ready && (disk->mirrorReady = virDomainEnumFromString(
                      readyNames, G_N_ELEMENTS(readyNames), ready)) < 0) {
        disk->mirrorReady = 0;
        virDomainXMLReportInvalidAttr("ready", mirror, ready);
        return -1;
    }
    return 0;
}

/* One <iotune> number as libvirt's virXPathULongLong reads it: decimal,
 * leading blanks and '+' allowed, nothing after; empty is unset.
 * Returns 0 (also when @node is NULL), -1 with libvirt's XML error. */
static int
parseIoTuneNumber(xmlNodePtr iotune, const char *name, unsigned long long *out)
{
    xmlNodePtr node = virDomainXMLChild(iotune, name);
    g_autofree char *text = virDomainXMLNodeTextNonEmpty(node);
    const char *p = text;
    char *end = NULL;

    if (!text)
        return 0;
    while (g_ascii_isspace(*p))
        p++;
    errno = 0;
    if (*p != '-')
        *out = g_ascii_strtoull(p, &end, 10);
    if (*p == '-' || errno || !end || end == p || *end) {
        *out = 0;
        virReportError(VIR_ERR_XML_ERROR, "disk iotune field '%s' must be an integer",
                       name);
        return -1;
    }
    return 0;
}

/* A disk's <iotune> (libvirt's virDomainDiskDefIotuneParse). The checks
 * of the limits against each other that libvirt's parser does are here;
 * the hypervisor's (max without base, QEMU's ceilings, groups) are the
 * driver's. */
static int
parseDiskIoTune(virDomainBlockIoTuneInfo *t, xmlNodePtr node)
{
    static const char *const pairs[] = { "bytes_sec", "iops_sec" };

    for (size_t i = 0; i < VIR_DOMAIN_IOTUNE_BASE_LAST; i++) {
        g_autofree char *max = g_strdup_printf("%s_max", virDomainIoTuneNames[i]);
        g_autofree char *len = g_strdup_printf("%s_max_length", virDomainIoTuneNames[i]);

        if (parseIoTuneNumber(node, virDomainIoTuneNames[i], &t->base[i]) < 0 ||
            parseIoTuneNumber(node, max, &t->max[i]) < 0 ||
            parseIoTuneNumber(node, len, &t->maxLen[i]) < 0)
            return -1;
    }
    if (parseIoTuneNumber(node, "size_iops_sec", &t->sizeIops) < 0)
        return -1;
    t->groupName = virDomainXMLNodeTextNonEmpty(virDomainXMLChild(node, "group_name"));
    /* total with read or write: bytes, iops, then their _max (libvirt's order) */
    for (size_t m = 0; m < 2; m++) {
        const unsigned long long *v = m ? t->max : t->base;

        for (size_t k = 0; k < 2; k++) {
            size_t total =
                k ? VIR_DOMAIN_IOTUNE_TOTAL_IOPS_SEC : VIR_DOMAIN_IOTUNE_TOTAL_BYTES_SEC;

            if (v[total] && (v[total + 1] || v[total + 2])) {
                virReportError(VIR_ERR_XML_ERROR,
                               "total and read/write %s%s cannot be set at the same time",
                               pairs[k], m ? "_max" : "");
                return -1;
            }
        }
    }
    return 0;
}

static bool
isPrintable(const char *s)
{
    for (; *s; s++) {
        if (!g_ascii_isprint(*s))
            return false;
    }
    return true;
}

/* libvirt's virDomainDiskDefValidate rules for <vendor> (8 characters),
 * <product> (16) and <wwn> (16 hex digits, "0x" allowed), its order and
 * errors. */
static int
diskIdentityValidate(const virDomainDiskDef *disk)
{
    const struct {
        const char *name;
        const char *value;
        size_t max;
    } ids[] = { { "vendor", disk->vendor, 8 }, { "product", disk->product, 16 } };

    for (size_t i = 0; i < G_N_ELEMENTS(ids); i++) {
        if (!ids[i].value)
            continue;
        if (!isPrintable(ids[i].value)) {
            virReportError(VIR_ERR_XML_ERROR, "disk %s is not printable string",
                           ids[i].name);
            return -1;
        }
        if (strlen(ids[i].value) > ids[i].max) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "disk %s is more than %zu characters", ids[i].name,
                           ids[i].max);
            return -1;
        }
    }
    if (disk->wwn) {
        const char *p = g_str_has_prefix(disk->wwn, "0x") ? disk->wwn + 2 : disk->wwn;
        size_t n = 0;

        while (g_ascii_isxdigit(p[n]))
            n++;
        if (n != 16 || p[n]) {
            /* libvirt's virValidateWWN (util: no error domain) */
            virReportErrorFull(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR, __func__,
                               "Malformed wwn: %s", disk->wwn);
            return -1;
        }
    }
    return 0;
}

/* <driver><metadata_cache><max_size unit>: libvirt's virParseScaledValue
 * (bytes unless a unit says otherwise) */
static int
parseDiskMetadataCache(virDomainDiskDef *disk, xmlNodePtr driver)
{
    xmlNodePtr cache = virDomainXMLChild(driver, "metadata_cache");
    xmlNodePtr max = cache ? virDomainXMLChild(cache, "max_size") : NULL;
    g_autofree char *text = max ? virDomainXMLNodeText(max) : NULL;
    g_autofree char *unit = NULL;
    unsigned long long val;

    if (!text || !*text)
        return 0;
    if (virDomainParseULL(text, &val) < 0) {
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                           "Invalid value '%s' for element or attribute '%s'", text,
                           "./metadata_cache/max_size");
        return -1;
    }
    unit = virDomainXMLProp(max, "unit");
    if (virDomainScaleInteger(&val, unit ? unit : "bytes", G_MAXUINT64) < 0)
        return -1;
    disk->metadataCacheMaxSize = val;
    return 0;
}

/* <geometry> and <blockio> of a disk (libvirt's unsigned attributes,
 * trans 'default' refused) */
static int
parseDiskGeometryBlockio(virDomainDiskDef *disk, xmlNodePtr node)
{
    xmlNodePtr geom = virDomainXMLChild(node, "geometry");
    xmlNodePtr blockio = virDomainXMLChild(node, "blockio");

    if (geom) {
        g_autofree char *trans = virDomainXMLProp(geom, "trans");

        if (virDomainXMLPropUInt(geom, "cyls", &disk->geomCyls) < 0 ||
            virDomainXMLPropUInt(geom, "heads", &disk->geomHeads) < 0 ||
            virDomainXMLPropUInt(geom, "secs", &disk->geomSecs) < 0)
            return -1;
        if (trans && (disk->geomTrans = virDomainEnumFromString(
                          virDomainDiskGeometryTransNames, VIR_DOMAIN_DISK_TRANS_LAST,
                          trans)) <= 0) {
            disk->geomTrans = 0;
            virDomainXMLReportInvalidAttr("trans", geom, trans);
            return -1;
        }
    }
    if (blockio && (virDomainXMLPropUInt(blockio, "logical_block_size",
                                         &disk->logicalBlockSize) < 0 ||
                    virDomainXMLPropUInt(blockio, "physical_block_size",
                                         &disk->physicalBlockSize) < 0))
        return -1;
    return 0;
}

int
virDomainDiskParse(GPtrArray *disks, xmlNodePtr node, unsigned int flags)
{
    g_autoptr(virDomainDiskDef) disk = g_new0(virDomainDiskDef, 1);
    g_autofree char *type = virDomainXMLProp(node, "type");
    g_autofree char *device = virDomainXMLProp(node, "device");
    xmlNodePtr driver = virDomainXMLChild(node, "driver");
    xmlNodePtr source = virDomainXMLChild(node, "source");
    xmlNodePtr target = virDomainXMLChild(node, "target");
    g_autofree char *bus = NULL;

    if (type) {
        if ((disk->type = virDomainEnumFromString(virDomainDiskTypeNames,
                                                  VIR_DOMAIN_DISK_TYPE_LAST, type)) < 0) {
            if (virDomainStrInList(libvirtDiskTypes, type))
                virDomainReportUnsupportedValue("disk type", type);
            else
                virDomainXMLReportInvalidAttr("type", node, type);
            return -1;
        }
    }
    if (device) {
        if ((disk->device = virDomainEnumFromString(
                 virDomainDiskDeviceNames, VIR_DOMAIN_DISK_DEVICE_LAST, device)) < 0) {
            if (virDomainStrInList(libvirtDiskDevices, device))
                virDomainReportUnsupportedValue("disk device", device);
            else
                virDomainXMLReportInvalidAttr("device", node, device);
            return -1;
        }
    }

    if (source && disk->type == VIR_DOMAIN_DISK_TYPE_VOLUME) {
        disk->srcPool = virDomainXMLProp(source, "pool");
        disk->srcVolume = virDomainXMLProp(source, "volume");
        if (disk->srcPool && !*disk->srcPool)
            g_clear_pointer(&disk->srcPool, g_free);
        if (disk->srcVolume && !*disk->srcVolume)
            g_clear_pointer(&disk->srcVolume, g_free);
        if (!disk->srcPool != !disk->srcVolume) {
            virReportError(VIR_ERR_XML_ERROR, "%s",
                           "'pool' and 'volume' must be specified together for 'pool' "
                           "type source");
            return -1;
        }
    } else if (source && disk->type == VIR_DOMAIN_DISK_TYPE_NETWORK) {
        if (virDomainDiskNetSourceParse(source, disk) < 0)
            return -1;
    } else if (source) {
        disk->src = virDomainXMLProp(
            source, disk->type == VIR_DOMAIN_DISK_TYPE_BLOCK ? "dev" : "file");
        if (disk->src && !*disk->src)
            g_clear_pointer(&disk->src, g_free);
    }
    /* <auth> of the disk itself (network disks; elsewhere not carried) */
    if (!source && disk->type == VIR_DOMAIN_DISK_TYPE_NETWORK) {
        /* libvirt: no <source>, a file disk without a medium */
        disk->type = VIR_DOMAIN_DISK_TYPE_FILE;
    } else if (disk->type == VIR_DOMAIN_DISK_TYPE_NETWORK) {
        xmlNodePtr auth = virDomainXMLChild(node, "auth");

        if (auth && disk->auth) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "an <auth> definition already found for disk source");
            return -1;
        }
        if (auth && virDomainDiskAuthParse(auth, &disk->auth) < 0)
            return -1;
    }

    /* <encryption> inside <source>, or (older) under <disk>: one of them */
    {
        xmlNodePtr srcEnc = source ? virDomainXMLChild(source, "encryption") : NULL;
        xmlNodePtr diskEnc = virDomainXMLChild(node, "encryption");

        if (srcEnc && !(disk->encryption = virStorageEncryptionParse(srcEnc)))
            return -1;
        if (diskEnc && disk->encryption) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "an <encryption> definition already found for disk source");
            return -1;
        }
        if (diskEnc && !(disk->encryption = virStorageEncryptionParse(diskEnc)))
            return -1;
        disk->encryptionInDisk = diskEnc != NULL;
    }

    if (target) {
        disk->dst = virDomainXMLProp(target, "dev");
        bus = virDomainXMLProp(target, "bus");
        if (virDomainXMLPropUInt(target, "rotation_rate", &disk->rotationRate) < 0 ||
            virDomainXMLPropSwitch(target, "removable", &disk->removable) < 0)
            return -1;
    }
    if (!disk->dst || !*disk->dst) {
        if (disk->src)
            virReportError(VIR_ERR_NO_TARGET, "%s", disk->src);
        else
            virReportError(VIR_ERR_NO_TARGET, NULL);
        return -1;
    }
    /* only a removable medium may be empty */
    if (!virDomainDiskHasMedia(disk) && disk->device == VIR_DOMAIN_DISK_DEVICE_DISK) {
        virReportError(VIR_ERR_NO_SOURCE, "%s", disk->dst);
        return -1;
    }

    if (driver) {
        g_autofree char *fmt = virDomainXMLProp(driver, "type");
        g_autofree char *cache = virDomainXMLProp(driver, "cache");
        static const char *const switchNames[VIR_DOMAIN_TRISTATE_LAST] = { "absent", "on",
                                                                           "off" };
        const struct {
            const char *name;
            const char *const *names;
            int last;
            int *out;
        } enums[] = {
            { "io", virDomainDiskIoNames, VIR_DOMAIN_DISK_IO_LAST, &disk->io },
            { "discard", virDomainDiskDiscardNames, VIR_DOMAIN_DISK_DISCARD_LAST,
              &disk->discard },
            { "detect_zeroes", virDomainDiskDetectZeroesNames,
              VIR_DOMAIN_DISK_DETECT_ZEROES_LAST, &disk->detectZeroes },
            { "ioeventfd", switchNames, VIR_DOMAIN_TRISTATE_LAST, &disk->ioeventfd },
            { "event_idx", switchNames, VIR_DOMAIN_TRISTATE_LAST, &disk->eventIdx },
            { "error_policy", virDomainDiskErrorPolicyNames,
              VIR_DOMAIN_DISK_ERROR_POLICY_LAST, &disk->errorPolicy },
            { "rerror_policy", virDomainDiskErrorPolicyNames,
              VIR_DOMAIN_DISK_ERROR_POLICY_LAST, &disk->rerrorPolicy },
        };

        if (virDomainXMLPropUIntNonZero(driver, "iothread", false, &disk->iothread) < 0)
            return -1;
        disk->driverName = virDomainXMLProp(driver, "name");
        if (disk->driverName && !*disk->driverName)
            g_clear_pointer(&disk->driverName, g_free);
        if (fmt && *fmt) {
            disk->format = virDomainEnumFromString(virStorageFormatNames,
                                                   VIR_STORAGE_FORMAT_LAST, fmt);
            if (disk->format <= VIR_STORAGE_FORMAT_NONE) {
                static const char *const known[] = {
                    "dir", "bochs", "cloop", "dmg",  "iso", "vpc",  "vdi",  "fat",
                    "vhd", "ploop", "cow",   "qcow", "qed", "vmdk", "luks", NULL,
                };
                if (virDomainStrInList(known, fmt))
                    virDomainReportUnsupportedValue("disk format", fmt);
                else
                    virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                                   "unknown driver format value '%s'", fmt);
                return -1;
            }
        }
        if (cache) {
            disk->cache = virDomainEnumFromString(virDomainDiskCacheNames,
                                                  VIR_DOMAIN_DISK_CACHE_LAST, cache);
            if (disk->cache < 0) {
                virDomainXMLReportInvalidAttr("cache", driver, cache);
                return -1;
            }
        }
        /* libvirt's virXMLPropEnum with VIR_XML_PROP_NONZERO: "default"
         * is not a value one may write */
        for (size_t i = 0; i < G_N_ELEMENTS(enums); i++) {
            g_autofree char *val = virDomainXMLProp(driver, enums[i].name);

            if (!val)
                continue;
            *enums[i].out = virDomainEnumFromString(enums[i].names, enums[i].last, val);
            if (*enums[i].out <= 0) {
                *enums[i].out = 0;
                virDomainXMLReportInvalidAttr(enums[i].name, driver, val);
                return -1;
            }
        }
        if (disk->rerrorPolicy == VIR_DOMAIN_DISK_ERROR_POLICY_ENOSPACE) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "Invalid disk read error policy: '%s'",
                           virDomainDiskErrorPolicyNames[disk->rerrorPolicy]);
            return -1;
        }
        if (parseDiskMetadataCache(disk, driver) < 0)
            return -1;
        if (virDomainXMLPropUInt(driver, "queues", &disk->queues) < 0 ||
            virDomainXMLPropUInt(driver, "queue_size", &disk->queueSize) < 0)
            return -1;
        if (virDomainVirtioOptionsParse(driver, &disk->virtio) < 0)
            return -1;
    }
    if (parseDiskGeometryBlockio(disk, node) < 0)
        return -1;

    if (!(flags & VIR_DOMAIN_DEF_PARSE_INACTIVE) && parseDiskMirror(disk, node) < 0)
        return -1;

    if (bus) {
        disk->bus =
            virDomainEnumFromString(virDomainDiskBusNames, VIR_DOMAIN_DISK_BUS_LAST, bus);
        if (disk->bus <= VIR_DOMAIN_DISK_BUS_NONE) {
            if (virDomainStrInList(libvirtDiskBuses, bus))
                virDomainReportUnsupportedValue("disk bus", bus);
            else
                virDomainXMLReportInvalidAttr("bus", target, bus);
            return -1;
        }
    } else {
        /* libvirt derives the bus from the device, then the target name */
        if (disk->device == VIR_DOMAIN_DISK_DEVICE_FLOPPY)
            disk->bus = VIR_DOMAIN_DISK_BUS_FDC;
        else if (g_str_has_prefix(disk->dst, "hd"))
            disk->bus = VIR_DOMAIN_DISK_BUS_IDE;
        else if (g_str_has_prefix(disk->dst, "sd"))
            disk->bus = VIR_DOMAIN_DISK_BUS_SCSI;
        else if (g_str_has_prefix(disk->dst, "vd"))
            disk->bus = VIR_DOMAIN_DISK_BUS_VIRTIO;
        else if (g_str_has_prefix(disk->dst, "xvd")) {
            virDomainReportUnsupportedValue("disk bus", "xen");
            return -1;
        } else if (g_str_has_prefix(disk->dst, "ubd")) {
            virDomainReportUnsupportedValue("disk bus", "uml");
            return -1;
        } else
            disk->bus = VIR_DOMAIN_DISK_BUS_IDE;
    }

    if (virDomainDeviceAddressParse(node, &disk->addr) < 0 ||
        virDomainDeviceBootParse(node, &disk->boot) < 0)
        return -1;
    /* libvirt's effectiveBootIndex starts as the device's own order */
    disk->effectiveBootIndex = disk->boot.order;
    /* a disk on a controller's bus sits at a drive address (libvirt) */
    if ((disk->bus == VIR_DOMAIN_DISK_BUS_IDE || disk->bus == VIR_DOMAIN_DISK_BUS_SATA ||
         disk->bus == VIR_DOMAIN_DISK_BUS_SCSI || disk->bus == VIR_DOMAIN_DISK_BUS_FDC) &&
        disk->addr.type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE &&
        disk->addr.type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_DRIVE) {
        virReportError(
            VIR_ERR_CONFIG_UNSUPPORTED,
            "Invalid address type '%s' for the disk '%s' with the bus type '%s'",
            virDomainDeviceAddressTypeToString(disk->addr.type), disk->dst,
            virDomainDiskBusNames[disk->bus]);
        return -1;
    }
    if (!diskNameValid(disk->dst)) {
        if (virDomainXMLChild(node, "address"))
            virReportError(VIR_ERR_INTERNAL_ERROR, "Invalid harddisk device name: %s",
                           disk->dst);
        else
            virReportError(VIR_ERR_XML_ERROR,
                           "Unknown disk name '%s' and no address specified", disk->dst);
        return -1;
    }

    disk->readonly = virDomainXMLChild(node, "readonly") != NULL;
    disk->shareable = virDomainXMLChild(node, "shareable") != NULL;
    disk->serial = virDomainXMLNodeTextNonEmpty(virDomainXMLChild(node, "serial"));
    disk->wwn = virDomainXMLNodeTextNonEmpty(virDomainXMLChild(node, "wwn"));
    disk->vendor = virDomainXMLNodeTextNonEmpty(virDomainXMLChild(node, "vendor"));
    disk->product = virDomainXMLNodeTextNonEmpty(virDomainXMLChild(node, "product"));
    {
        xmlNodePtr iotune = virDomainXMLChild(node, "iotune");

        if (iotune && parseDiskIoTune(&disk->iotune, iotune) < 0)
            return -1;
    }
    if (disk->device == VIR_DOMAIN_DISK_DEVICE_CDROM)
        disk->readonly = true;
    /* libvirt's virDomainDiskDefValidate (INTERNAL_ERROR, as libvirt) */
    if (disk->device == VIR_DOMAIN_DISK_DEVICE_FLOPPY &&
        disk->bus != VIR_DOMAIN_DISK_BUS_FDC) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "Invalid bus type '%s' for floppy disk",
                       virDomainDiskBusNames[disk->bus]);
        return -1;
    }
    if (disk->device != VIR_DOMAIN_DISK_DEVICE_FLOPPY &&
        disk->bus == VIR_DOMAIN_DISK_BUS_FDC) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "Invalid bus type '%s' for disk",
                       virDomainDiskBusNames[disk->bus]);
        return -1;
    }
    /* libvirt's virDomainDiskDefValidate */
    if (disk->removable && disk->bus != VIR_DOMAIN_DISK_BUS_USB) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "removable is only valid for usb disks");
        return -1;
    }
    if (diskIdentityValidate(disk) < 0)
        return -1;
    /* libvirt's post-parse: an iSCSI name without a LUN gets LUN 0 */
    if (disk->net && disk->net->protocol == VIR_STORAGE_NET_PROTOCOL_ISCSI &&
        disk->net->name && !strchr(disk->net->name, '/')) {
        char *withLun = g_strdup_printf("%s/0", disk->net->name);

        g_free(disk->net->name);
        disk->net->name = withLun;
    }
    if (virDomainDiskNetSourceValidate(disk) < 0)
        return -1;
    /* libvirt's virDomainDiskSourceDefValidate */
    if (disk->encryption &&
        disk->encryption->format == VIR_STORAGE_ENCRYPTION_FORMAT_LUKS &&
        disk->encryption->cipherName) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "supplying <cipher> for domain disk definition is unnecessary");
        return -1;
    }

    g_ptr_array_add(disks, g_steal_pointer(&disk));
    return 0;
}
