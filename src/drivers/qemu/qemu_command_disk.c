/* qemu_command_disk.c: a disk's -blockdev nodes and its device (virtio-blk, SCSI, USB, IDE/SATA, floppy), as libvirt 9.0 builds them */

#define G_LOG_DOMAIN "virtkit.qemu.command"

#include <string.h>

#include "domain_conf_priv.h"
#include "qemu_block_net.h"
#include "qemu_command_priv.h"
#include "qemu_monitor.h"
#include "qemu_secret.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

static void
qemuDiskCacheFlags(int cache, bool *writeback, bool *direct, bool *noflush)
{
    *writeback = true;
    *direct = false;
    *noflush = false;
    switch (cache) {
    case VIR_DOMAIN_DISK_CACHE_NONE:
        *direct = true;
        break;
    case VIR_DOMAIN_DISK_CACHE_WRITETHRU:
        *writeback = false;
        break;
    case VIR_DOMAIN_DISK_CACHE_DIRECTSYNC:
        *writeback = false;
        *direct = true;
        break;
    case VIR_DOMAIN_DISK_CACHE_UNSAFE:
        *noflush = true;
        break;
    default:
        break;
    }
}

/* libvirt's qemuDiskGetDetectZeroesMode: 'unmap' only with discard='unmap'
 * (QEMU refuses it otherwise), 'on' in its place. */
static const char *
qemuDiskDetectZeroes(const virDomainDiskDef *disk)
{
    if (disk->detectZeroes == VIR_DOMAIN_DISK_DETECT_ZEROES_DEFAULT)
        return NULL;
    if (disk->detectZeroes == VIR_DOMAIN_DISK_DETECT_ZEROES_UNMAP &&
        disk->discard != VIR_DOMAIN_DISK_DISCARD_UNMAP)
        return "on";
    return virDomainDiskDetectZeroesToString(disk->detectZeroes);
}

char *
qemuDiskAlias(const virDomainDef *def, const virDomainDiskDef *disk)
{
    int idx = qemuDiskIndex(disk->dst);

    switch (qemuDiskBus(disk)) {
    case VIR_DOMAIN_DISK_BUS_VIRTIO:
        return g_strdup_printf("virtio-disk%d", idx);
    case VIR_DOMAIN_DISK_BUS_SCSI:
        return qemuSCSIDiskAlias(def, disk);
    case VIR_DOMAIN_DISK_BUS_USB:
        return g_strdup_printf("usb-disk%d", idx);
    case VIR_DOMAIN_DISK_BUS_SATA:
        /* the drive address (libvirt's, from the target name unless
         * given): AHCI port = unit */
        if (disk->addr.type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_DRIVE)
            idx = (int)disk->addr.unit;
        return g_strdup_printf("sata0-0-%d", idx);
    case VIR_DOMAIN_DISK_BUS_FDC:
        if (disk->addr.type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_DRIVE)
            idx = (int)disk->addr.unit;
        return g_strdup_printf("fdc0-0-%d", idx);
    case VIR_DOMAIN_DISK_BUS_IDE:
    default:
        if (disk->addr.type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_DRIVE)
            idx = (int)(disk->addr.bus * 2 + disk->addr.unit);
        return g_strdup_printf("ide0-%d-%d", idx / 2, idx % 2);
    }
}

void
qemuDiskBootIndexProp(json_object *props, const virDomainDiskDef *disk)
{
    if (disk->effectiveBootIndex && disk->device != VIR_DOMAIN_DISK_DEVICE_FLOPPY)
        json_object_object_add(props, "bootindex",
                               json_object_new_int64(disk->effectiveBootIndex));
}

json_object *
qemuUSBDiskProps(const virDomainDiskDef *disk, const char *drive, int writeCache)
{
    json_object *props = json_object_new_object();
    g_autofree char *alias = qemuDiskAlias(NULL, disk);

    json_object_object_add(props, "driver", json_object_new_string("usb-storage"));
    if (disk->addr.type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_USB) {
        g_autofree char *bus = disk->addr.bus ? g_strdup_printf("usb%u.0", disk->addr.bus)
                                              : g_strdup("usb.0");
        g_autofree char *port = qemuUSBPortString(&disk->addr, 0);

        json_object_object_add(props, "bus", json_object_new_string(bus));
        json_object_object_add(props, "port", json_object_new_string(port));
    }
    if (disk->shareable)
        json_object_object_add(props, "share-rw", json_object_new_boolean(1));
    if (drive)
        json_object_object_add(props, "drive", json_object_new_string(drive));
    json_object_object_add(props, "id", json_object_new_string(alias));
    qemuDiskBootIndexProp(props, disk);
    /* libvirt: off unless <target removable='on'> */
    json_object_object_add(
        props, "removable",
        json_object_new_boolean(disk->removable == VIR_DOMAIN_TRISTATE_ON));
    qemuDiskIdentityProps(props, disk, writeCache);
    return props;
}

char *
qemuDiskFormatEncryptionProps(const virDomainDiskDef *disk, const char *secretId)
{
    bool qcow2 = disk->format == VIR_STORAGE_FORMAT_QCOW2;
    const virStorageEncryption *enc = disk->encryption;
    bool luks = enc && enc->engine != VIR_STORAGE_ENCRYPTION_ENGINE_LIBRBD &&
                enc->format == VIR_STORAGE_ENCRYPTION_FORMAT_LUKS;

    if (!qcow2 && luks) {
        if (!secretId) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                           "missing secret info for 'luks' driver");
            return NULL;
        }
        return g_strdup_printf(",\"driver\":\"luks\",\"key-secret\":\"%s\"", secretId);
    }
    if (qcow2 && luks && secretId)
        return g_strdup_printf(",\"driver\":\"qcow2\",\"encrypt\":{\"format\":\"luks\","
                               "\"key-secret\":\"%s\"}",
                               secretId);
    return g_strdup_printf(",\"driver\":\"%s\"", qcow2 ? "qcow2" : "raw");
}

/* -object secret of one value encrypted under masterKey0 (libvirt's). */
static void
qemuBuildSecretObject(GPtrArray *a, const char *id, const char *cipher, const char *iv)
{
    add(a, "-object");
    addf(a,
         "{\"qom-type\":\"secret\",\"id\":\"%s\",\"data\":\"%s\",\"keyid\":"
         "\"masterKey0\",\"iv\":\"%s\",\"format\":\"base64\"}",
         id, cipher, iv);
}

int
qemuBuildDisk(GPtrArray *a, const virDomainDef *def, const virDomainDiskDef *disk,
              size_t n, size_t *backingNext, const qemuDiskSecret *ds)
{
    g_autofree char *netProps = NULL;
    g_autofree char *authId = NULL;
    g_autofree char *cookieId = NULL;
    g_autofree char *encId = NULL;
    g_autofree char *encProps = NULL;
    qemuBlockNetSecrets sec = { NULL, NULL };
    bool writeback, direct, noflush;
    bool hasCache = disk->cache != VIR_DOMAIN_DISK_CACHE_DEFAULT;
    g_autofree char *cacheJSON = NULL;
    g_autofree char *dev = NULL;
    int bus = qemuDiskBus(disk);
    int idx = qemuDiskIndex(disk->dst);
    int wc;
    g_autofree char *alias = qemuDiskAlias(def, disk);
    bool cdrom = disk->device == VIR_DOMAIN_DISK_DEVICE_CDROM;
    bool ro = disk->readonly || cdrom;
    bool media = disk->src || disk->net;
    g_autofree char *driveNode =
        media ? g_strdup_printf("drive=libvirt-%zu-format,", n) : NULL;
    /* share-rw before the drive (libvirt's order) */
    g_autofree char *drive = g_strconcat(disk->shareable ? "share-rw=on," : "",
                                         driveNode ? driveNode : "", NULL);

    if (disk->net && ds && ds->authCipher) {
        authId = g_strdup_printf("libvirt-%zu-storage-auth-secret0", n);
        sec.authAlias = authId;
    }
    if (disk->net && ds && ds->cookieCipher) {
        cookieId = g_strdup_printf("libvirt-%zu-storage-httpcookie-secret0", n);
        sec.cookieAlias = cookieId;
    }
    if (disk->net && !(netProps = qemuBlockNetStorageProps(disk, &sec)))
        return -1;
    if (qemuDiskHasEncryptionSecret(disk) && ds && ds->encCipher)
        encId = g_strdup_printf("libvirt-%zu-format-encryption-secret0", n);
    if (media && !(encProps = qemuDiskFormatEncryptionProps(disk, encId)))
        return -1;
    /* libvirt's order: the protocol's secret, the image's, the cookies */
    if (authId)
        qemuBuildSecretObject(a, authId, ds->authCipher, ds->authIV);
    if (encId)
        qemuBuildSecretObject(a, encId, ds->encCipher, ds->encIV);
    if (cookieId)
        qemuBuildSecretObject(a, cookieId, ds->cookieCipher, ds->cookieIV);
    qemuDiskCacheFlags(disk->cache, &writeback, &direct, &noflush);
    if (hasCache)
        cacheJSON =
            g_strdup_printf(",\"cache\":{\"direct\":%s,\"no-flush\":%s}",
                            direct ? "true" : "false", noflush ? "true" : "false");

    if (media) {
        g_autoptr(GString) file = g_string_new(NULL);
        g_autoptr(GString) fmt = g_string_new(NULL);
        const char *detect = qemuDiskDetectZeroes(disk);
        size_t backing = 0;
        bool topTerminated = false;

        if (qemuBuildDiskBacking(a, disk, cacheJSON, backingNext, &backing,
                                 &topTerminated) < 0)
            return -1;

        /* libvirt's member order: aio after the file name, cache before
         * auto-read-only; discard/detect-zeroes on the format node */
        if (disk->net) {
            g_string_append(file, netProps);
        } else {
            g_autofree char *esc = g_strescape(disk->src, NULL);

            g_string_append_printf(file, "{\"driver\":\"%s\",\"filename\":\"%s\"",
                                   qemuDiskStorageDriver(disk->type), esc);
        }
        if (disk->io != VIR_DOMAIN_DISK_IO_DEFAULT)
            g_string_append_printf(file, ",\"aio\":\"%s\"",
                                   virDomainDiskIoToString(disk->io));
        g_string_append_printf(file, ",\"node-name\":\"libvirt-%zu-storage\"", n);
        if (cacheJSON)
            g_string_append(file, cacheJSON);
        g_string_append(file, ",\"auto-read-only\":true,\"discard\":\"unmap\"}");
        add(a, "-blockdev");
        add(a, file->str);

        g_string_append_printf(fmt,
                               "{\"node-name\":\"libvirt-%zu-format\",\"read-only\":%s",
                               n, ro ? "true" : "false");
        if (disk->discard != VIR_DOMAIN_DISK_DISCARD_DEFAULT)
            g_string_append_printf(fmt, ",\"discard\":\"%s\"",
                                   virDomainDiskDiscardToString(disk->discard));
        if (detect)
            g_string_append_printf(fmt, ",\"detect-zeroes\":\"%s\"", detect);
        if (cacheJSON)
            g_string_append(fmt, cacheJSON);
        g_string_append(fmt, encProps);
        /* qcow2's metadata cache, after the driver (libvirt's order) */
        if (disk->metadataCacheMaxSize)
            g_string_append_printf(fmt, ",\"cache-size\":%llu",
                                   disk->metadataCacheMaxSize);
        g_string_append_printf(fmt, ",\"file\":\"libvirt-%zu-storage\"", n);
        if (backing)
            g_string_append_printf(fmt, ",\"backing\":\"libvirt-%zu-format\"", backing);
        else if (topTerminated && disk->backing &&
                 disk->format == VIR_STORAGE_FORMAT_QCOW2)
            g_string_append(fmt, ",\"backing\":null");
        g_string_append_c(fmt, '}');
        add(a, "-blockdev");
        add(a, fmt->str);
    }

    wc = hasCache && media ? (writeback ? 1 : -1) : 0;
    switch (bus) {
    case VIR_DOMAIN_DISK_BUS_SCSI: {
        g_autofree char *node = media ? g_strdup_printf("libvirt-%zu-format", n) : NULL;
        g_autoptr(json_object) props = qemuSCSIDiskProps(def, disk, node, wc);

        add(a, "-device");
        g_ptr_array_add(a, qemuDevicePropsKeyval(props));
        return 0;
    }
    case VIR_DOMAIN_DISK_BUS_VIRTIO: {
        g_autofree char *pci = qemuPCIAddrProps(def, &disk->addr);

        g_autofree char *iothread =
            disk->iothread ? g_strdup_printf(",iothread=iothread%u", disk->iothread)
                           : g_strdup("");

        g_autoptr(GString) opts = g_string_new(NULL);

        qemuVirtioOptionsKeyval(opts, &disk->virtio);
        /* libvirt's order: the virtio options, iothread, ioeventfd,
         * event_idx, num-queues, queue-size, then the address */
        g_string_append(opts, iothread);
        if (disk->ioeventfd)
            g_string_append_printf(opts, ",ioeventfd=%s",
                                   virDomainTristateSwitchToString(disk->ioeventfd));
        if (disk->eventIdx)
            g_string_append_printf(opts, ",event_idx=%s",
                                   virDomainTristateSwitchToString(disk->eventIdx));
        if (disk->queues)
            g_string_append_printf(opts, ",num-queues=%u", disk->queues);
        if (disk->queueSize)
            g_string_append_printf(opts, ",queue-size=%u", disk->queueSize);
        dev = g_strdup_printf("virtio-blk-pci%s%s%s,drive=libvirt-%zu-format,id=%s",
                              opts->str, pci, disk->shareable ? ",share-rw=on" : "", n,
                              alias);
        break;
    }
    case VIR_DOMAIN_DISK_BUS_USB: {
        g_autofree char *node = media ? g_strdup_printf("libvirt-%zu-format", n) : NULL;
        g_autoptr(json_object) props = qemuUSBDiskProps(disk, node, wc);

        add(a, "-device");
        g_ptr_array_add(a, qemuDevicePropsKeyval(props));
        return 0;
    }
    case VIR_DOMAIN_DISK_BUS_SATA:
        if (disk->addr.type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_DRIVE)
            idx = (int)disk->addr.unit;
        dev = g_strdup_printf("%s,bus=ide.%d,%sid=%s", cdrom ? "ide-cd" : "ide-hd", idx,
                              drive, alias);
        break;
    case VIR_DOMAIN_DISK_BUS_FDC:
        if (disk->addr.type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_DRIVE)
            idx = (int)disk->addr.unit;
        dev = g_strdup_printf("floppy,unit=%d,%sid=%s", idx, drive, alias);
        break;
    case VIR_DOMAIN_DISK_BUS_IDE:
    default:
        if (disk->addr.type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_DRIVE)
            idx = (int)(disk->addr.bus * 2 + disk->addr.unit);
        dev =
            g_strdup_printf("%s,bus=ide.%d,unit=%d,%sid=%s", cdrom ? "ide-cd" : "ide-hd",
                            idx / 2, idx % 2, drive, alias);
        break;
    }
    {
        /* bootindex, wwn, rotation_rate, write-cache, serial: after the id
         * (libvirt) */
        g_autoptr(json_object) tail = json_object_new_object();
        g_autofree char *tailText = NULL;

        qemuDiskBootIndexProp(tail, disk);
        qemuDiskIdentityProps(tail, disk, wc);
        tailText = qemuDevicePropsKeyval(tail);
        add(a, "-device");
        addf(a, "%s%s%s", dev, *tailText ? "," : "", tailText);
    }
    return 0;
}
