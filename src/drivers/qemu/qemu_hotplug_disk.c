/* qemu_hotplug_disk.c: live attach and detach of virtio-blk disks (their block nodes, root port and image access), and the disk list edits of the attach and detach entry points */

/*
 * Threads: no thread of its own. Every function runs under the caller's
 * MODIFY job (qemu_hotplug.c's entry points) with the object locked; QMP
 * is waited for with the object unlocked (qemuHotplugMonitor: the job
 * keeps the monitor valid). A detach's wait for the guest to let the disk
 * go is qemu_hotplug_removal.c's (qemuHotplugDeviceDel).
 */

#define G_LOG_DOMAIN "virtkit.qemu.hotplug"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include "domain_event.h"
#include "qemu_capabilities_glue.h"
#include "qemu_blockjob.h"
#include "qemu_cgroup.h"
#include "qemu_command.h"
#include "qemu_domain_address.h"
#include "qemu_domain_address_nonpci.h"
#include "qemu_driver_priv.h"
#include "qemu_hotplug.h"
#include "qemu_iotune.h"
#include "qemu_block_net.h"
#include "qemu_monitor.h"
#include "qemu_security.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

/* at libvirt's place: with its bus's disks, by target (virDomainDiskInsert) */
void
qemuHotplugAppendDisk(virDomainDef *def, virDomainDiskDef *disk)
{
    virDomainDiskInsert(def, disk);
}

virDomainDiskDef *
qemuHotplugStealDisk(virDomainDef *def, size_t idx)
{
    virDomainDiskDef *disk = def->disks[idx];

    memmove(def->disks + idx, def->disks + idx + 1,
            (def->ndisks - idx - 1) * sizeof(*def->disks));
    def->ndisks--;
    return disk;
}

/* A pcie-root-port of @def with nothing on it, or -1: the first address
 * a hotplugged virtio disk could take, from the set of every PCI address
 * @def's devices carry (memballoon, rng, video and inputs included: a port
 * found free by looking at disks, interfaces and controllers alone could
 * hold the balloon, and QEMU then refuses the device_add). */
static int
qemuHotplugFreeRootPort(const virDomainDef *def)
{
    qemuPCIAddressSet *set = qemuPCIAddressSetNew(def, def->os.machine);
    virDomainDeviceAddress addr = { 0 };
    int port = -1;

    if (!set)
        return -1;
    if (qemuPCIAddressReserveNext(
            set, qemuDomainPCIDeviceConnectFlags(def, "virtio-blk-pci"), &addr) == 0 &&
        addr.bus > 0 && addr.slot == 0 && addr.function == 0)
        port = (int)addr.bus;
    qemuPCIAddressSetFree(set);
    return port;
}

static bool
qemuHotplugIsQ35(const virDomainDef *def)
{
    return def->os.machine && strstr(def->os.machine, "q35");
}

/* Unused node names libvirt-N-storage/-format for a new disk: N after every
 * "libvirt-N-" QEMU has (query-named-block-nodes). -1 with an error. */
int
qemuHotplugNextNode(virDomainObj *obj)
{
    g_autoptr(json_object) nodes = NULL;
    int next = 1;
    size_t n;

    if (qemuHotplugMonitor(obj, "query-named-block-nodes", NULL, &nodes) < 0)
        return -1;
    n = json_object_is_type(nodes, json_type_array) ? json_object_array_length(nodes) : 0;
    for (size_t i = 0; i < n; i++) {
        json_object *nn = NULL;
        int k;

        if (json_object_object_get_ex(json_object_array_get_idx(nodes, i), "node-name",
                                      &nn) &&
            sscanf(json_object_get_string(nn), "libvirt-%d-", &k) == 1 && k >= next)
            next = k + 1;
    }
    /* qemu_command.c numbers the disks with a source from 1 in order */
    for (size_t i = 0; i < obj->def->ndisks; i++)
        next = MAX(next, (int)(i + 2));
    /* the caller may take more than one: the disk attach's count restarts
     * from QEMU's answer */
    qemuDomainPriv(obj)->hotplugNodeNext = 0;
    return next;
}

/* A disk hotplugged in this run: the image it was attached with and the
 * N of its libvirt-N-storage/-format nodes. */
typedef struct {
    char *path;
    int n;
} qemuHotplugDiskNode;

static void
qemuHotplugDiskNodeFree(gpointer data)
{
    qemuHotplugDiskNode *dn = data;

    g_free(dn->path);
    g_free(dn);
}

/* Forget the node bookkeeping of an earlier QEMU of @priv's domain. */
static void
qemuHotplugNodesCurrent(qemuDomainObjPrivate *priv)
{
    if (priv->hotplugNodeRun == priv->runId)
        return;
    priv->hotplugNodeRun = priv->runId;
    priv->hotplugNodeNext = 0;
    if (priv->hotplugNodes)
        g_hash_table_remove_all(priv->hotplugNodes);
}

/* The N of the nodes of a disk attach: counted on from the last one this
 * run's attaches took, QEMU asked (qemuHotplugNextNode) only for the
 * first, or after something else made nodes. Each attach otherwise paid a
 * query-named-block-nodes round trip whose answer grows with the disks.
 * -1 with an error. Object locked, job held. */
static int
qemuHotplugTakeNode(virDomainObj *obj)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    int n;

    qemuHotplugNodesCurrent(priv);
    if (priv->hotplugNodeNext > 0)
        return priv->hotplugNodeNext++;
    if ((n = qemuHotplugNextNode(obj)) < 0)
        return -1;
    qemuHotplugNodesCurrent(priv);
    priv->hotplugNodeNext = n + 1;
    return n;
}

/* Remember that disk @alias of image @path got nodes N = @n. */
static void
qemuHotplugRememberNode(virDomainObj *obj, const char *alias, const char *path, int n)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    qemuHotplugDiskNode *dn = g_new0(qemuHotplugDiskNode, 1);

    qemuHotplugNodesCurrent(priv);
    if (!priv->hotplugNodes)
        priv->hotplugNodes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                                   qemuHotplugDiskNodeFree);
    dn->path = g_strdup(path);
    dn->n = n;
    g_hash_table_replace(priv->hotplugNodes, g_strdup(alias), dn);
}

/* The N remembered for disk @alias when it still has image @path (a
 * block job or snapshot that changed its image makes it unknown); -1 when
 * unknown. The entry is forgotten either way. */
static int
qemuHotplugForgetNode(virDomainObj *obj, const char *alias, const char *path)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    qemuHotplugDiskNode *dn;
    int n = -1;

    qemuHotplugNodesCurrent(priv);
    if (!priv->hotplugNodes || !(dn = g_hash_table_lookup(priv->hotplugNodes, alias)))
        return -1;
    if (g_strcmp0(dn->path, path) == 0)
        n = dn->n;
    g_hash_table_remove(priv->hotplugNodes, alias);
    return n;
}

/* blockdev-del of @node: 0, or -1 (nothing reported). */
static int
qemuHotplugBlockdevDelQuiet(virDomainObj *obj, const char *node)
{
    g_autoptr(json_object) args = json_object_new_object();

    json_object_object_add(args, "node-name", json_object_new_string(node));
    if (qemuHotplugMonitor(obj, "blockdev-del", args, NULL) < 0) {
        g_debug("blockdev-del %s: %s", node, virGetLastErrorMessage());
        virResetLastError();
        return -1;
    }
    return 0;
}

void
qemuHotplugBlockdevDel(virDomainObj *obj, const char *node)
{
    qemuHotplugBlockdevDelQuiet(obj, node);
}

/* What can be hotplugged at all (before the definition's own checks). */
int
qemuHotplugCheckDiskLive(const virDomainDiskDef *disk)
{
    int bus = qemuDiskBus(disk);

    /* a SCSI or USB cdrom plugs in (libvirt), the others do not */
    if (disk->device == VIR_DOMAIN_DISK_DEVICE_FLOPPY ||
        (disk->device == VIR_DOMAIN_DISK_DEVICE_CDROM &&
         bus != VIR_DOMAIN_DISK_BUS_SCSI && bus != VIR_DOMAIN_DISK_BUS_USB)) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "cdrom/floppy device hotplug isn't supported");
        return -1;
    }
    if (bus != VIR_DOMAIN_DISK_BUS_VIRTIO && bus != VIR_DOMAIN_DISK_BUS_SCSI &&
        bus != VIR_DOMAIN_DISK_BUS_USB) {
        /* virDomainDiskBus order */
        static const char *const buses[] = { "", "ide", "scsi", "virtio", "usb", "sata" };

        virReportError(VIR_ERR_OPERATION_UNSUPPORTED,
                       "disk bus '%s' cannot be hotplugged.",
                       bus >= 0 && bus < (int)G_N_ELEMENTS(buses) ? buses[bus] : "");
        return -1;
    }
    return 0;
}

/* Hotplug @disk (owned by the caller until it is in the live definition:
 * then *disk is NULL) into @obj: its image handed to QEMU's user, the two
 * block nodes, the virtio-blk device on a free root port (a SCSI disk on
 * its controller, a USB one's usb-storage on a free USB port). On failure
 * nothing stays behind in QEMU or in the definition. Object locked, job
 * held. */
int
qemuHotplugAttachDiskLive(qemuDriver *driver, virDomainObj *obj, virDomainDiskDef **diskp)
{
    virDomainDiskDef *disk = *diskp;
    g_autoptr(json_object) file = NULL;
    g_autoptr(json_object) fmt = NULL;
    g_autoptr(json_object) dev = NULL;
    g_autofree char *storage = NULL;
    g_autofree char *format = NULL;
    g_autofree char *alias = NULL;
    g_autofree char *netProps = NULL;
    g_autofree char *encId = NULL;
    g_autofree char *encFile = NULL;
    g_autoptr(json_object) encObj = NULL;
    int port = -1;
    int n;
    bool storageAdded = false, formatAdded = false;
    bool scsi = qemuDiskBus(disk) == VIR_DOMAIN_DISK_BUS_SCSI;
    bool usb = qemuDiskBus(disk) == VIR_DOMAIN_DISK_BUS_USB;

    if (qemuHotplugCheckDiskLive(disk) < 0)
        return -1;
    /* a network disk's protocol node (its secrets are made only at start:
     * one with <auth> or cookies is refused here, CONFIG_UNSUPPORTED) */
    if (disk->net && !(netProps = qemuBlockNetStorageProps(disk, NULL)))
        return -1;
    if (!disk->src && !disk->net) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "cannot hotplug a disk without a source");
        return -1;
    }
    {
        size_t dup;

        /* libvirt's virDomainDefCheckDuplicateDiskInfo on the new definition */
        if (qemuHotplugFindDisk(obj->def, disk->dst, &dup) &&
            g_strcmp0(obj->def->disks[dup]->dst, disk->dst) == 0) {
            virReportError(VIR_ERR_XML_ERROR,
                           "target '%s' duplicated for disk sources '%s' and '%s'",
                           disk->dst,
                           obj->def->disks[dup]->src ? obj->def->disks[dup]->src : "",
                           disk->src ? disk->src : "");
            return -1;
        }
    }
    /* a SCSI disk: its drive address and controllers (one plugged in
     * first when missing, as libvirt does) */
    if (scsi && qemuHotplugSCSIPrepare(obj, disk) < 0)
        return -1;
    /* a USB disk: the port it names (the definition's checks found it
     * free), else libvirt's first free one (virDomainUSBAddressEnsure) */
    if (usb && disk->addr.type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_USB &&
        !qemuDomainUSBFreePort(obj->def, &disk->addr)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "No free USB ports");
        return -1;
    }
    if (!scsi && !usb && qemuHotplugIsQ35(obj->def) &&
        (port = qemuHotplugFreeRootPort(obj->def)) < 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "No more available PCI slots");
        return -1;
    }

    /* the image to QEMU's user first, as at start (the record gets it) */
    qemuHotplugAppendDisk(obj->def, disk);
    if (qemuSecurityUpdateDomain(driver, obj) < 0) {
        qemuHotplugStealDisk(obj->def, obj->def->ndisks - 1);
        return -1;
    }
    if ((n = qemuHotplugTakeNode(obj)) < 0)
        goto rollback;
    storage = g_strdup_printf("libvirt-%d-storage", n);
    format = g_strdup_printf("libvirt-%d-format", n);
    alias = qemuDiskAlias(obj->def, disk);
    /* an encrypted image's passphrase: a secret object QEMU reads from a
     * file of ours, made before the nodes and gone with them */
    if (qemuDiskHasEncryptionSecret(disk)) {
        g_autoptr(json_object) args = json_object_new_object();
        int rc;

        encId = g_strdup_printf("%s-encryption-secret0", format);
        if (!(encFile = qemuDiskEncryptionSecretFile(disk, qemuDomainPriv(obj)->libDir,
                                                     driver->runAs)))
            goto rollback;
        json_object_object_add(args, "qom-type", json_object_new_string("secret"));
        json_object_object_add(args, "id", json_object_new_string(encId));
        json_object_object_add(args, "format", json_object_new_string("raw"));
        json_object_object_add(args, "file", json_object_new_string(encFile));
        rc = qemuHotplugMonitor(obj, "object-add", args, NULL);
        unlink(encFile);
        if (rc < 0) {
            g_clear_pointer(&encId, g_free);
            goto rollback;
        }
    }
    {
        g_autofree char *frag = qemuDiskFormatEncryptionProps(disk, encId);
        g_autofree char *text = frag ? g_strdup_printf("{%s}", frag + 1) : NULL;

        if (!frag || !(encObj = json_tokener_parse(text))) {
            if (frag)
                virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                               "cannot build the disk's format node");
            goto rollback;
        }
    }

    if (netProps) {
        g_autofree char *text = g_strconcat(netProps, "}", NULL);

        if (!(file = json_tokener_parse(text))) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                           "cannot build the network disk's block node");
            goto rollback;
        }
    } else {
        file = json_object_new_object();
        json_object_object_add(file, "driver",
                               json_object_new_string(qemuDiskStorageDriver(disk->type)));
        json_object_object_add(file, "filename", json_object_new_string(disk->src));
    }
    json_object_object_add(file, "node-name", json_object_new_string(storage));
    json_object_object_add(file, "auto-read-only", json_object_new_boolean(1));
    json_object_object_add(file, "discard", json_object_new_string("unmap"));
    fmt = json_object_new_object();
    json_object_object_add(fmt, "node-name", json_object_new_string(format));
    json_object_object_add(fmt, "read-only", json_object_new_boolean(disk->readonly));
    /* "driver" and, for an encrypted image, its key-secret / encrypt */
    json_object_object_foreach(encObj, key, val)
    {
        json_object_object_add(fmt, key, json_object_get(val));
    }
    if (disk->metadataCacheMaxSize)
        json_object_object_add(fmt, "cache-size",
                               json_object_new_uint64(disk->metadataCacheMaxSize));
    json_object_object_add(fmt, "file", json_object_new_string(storage));

    dev = scsi  ? qemuSCSIDiskProps(obj->def, disk, format, 0)
          : usb ? qemuUSBDiskProps(disk, format, 0)
                : json_object_new_object();
    if (!scsi && !usb) {
        json_object_object_add(dev, "driver", json_object_new_string("virtio-blk-pci"));
        qemuVirtioOptionsProps(dev, &disk->virtio);
    }
    if (disk->ioeventfd)
        json_object_object_add(
            dev, "ioeventfd",
            json_object_new_boolean(disk->ioeventfd == VIR_DOMAIN_TRISTATE_ON));
    if (disk->eventIdx)
        json_object_object_add(
            dev, "event_idx",
            json_object_new_boolean(disk->eventIdx == VIR_DOMAIN_TRISTATE_ON));
    if (!scsi && !usb && disk->queues)
        json_object_object_add(dev, "num-queues", json_object_new_int64(disk->queues));
    if (!scsi && !usb && disk->queueSize)
        json_object_object_add(dev, "queue-size", json_object_new_int64(disk->queueSize));
    if (!scsi && !usb && disk->shareable)
        json_object_object_add(dev, "share-rw", json_object_new_boolean(1));
    if (!scsi && !usb) {
        json_object_object_add(dev, "drive", json_object_new_string(format));
        json_object_object_add(dev, "id", json_object_new_string(alias));
        qemuDiskBootIndexProp(dev, disk);
        qemuDiskIdentityProps(dev, disk, 0);
    }
    if (port >= 0) {
        g_autofree char *bus = g_strdup_printf("pci.%d", port);

        json_object_object_add(dev, "bus", json_object_new_string(bus));
        json_object_object_add(dev, "addr", json_object_new_string("0x0"));
    }
    {
        const char *const cmds[] = { "blockdev-add", "blockdev-add", "device_add" };
        json_object *const cmdArgs[] = { file, fmt, dev };
        bool done[3];

        if (qemuHotplugMonitorBatch(obj, cmds, cmdArgs, 3, done) < 0) {
            storageAdded = done[0];
            formatAdded = done[1];
            /* a device QEMU added while the domain stopped needs nothing */
            goto rollback;
        }
    }

    if (port >= 0) {
        disk->addr.type = VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI;
        disk->addr.domain = 0;
        disk->addr.bus = (unsigned int)port;
        disk->addr.slot = 0;
        disk->addr.function = 0;
    }
    /* as libvirt: limits QEMU refuses leave the disk plugged, unlimited */
    if (qemuIoTuneEnabled(disk) && qemuIoTuneApply(obj, disk, &disk->iotune) < 0) {
        g_debug("disk '%s': its <iotune> refused: %s", disk->dst,
                virGetLastErrorMessage());
        virResetLastError();
    }
    *diskp = NULL;
    qemuHotplugRememberNode(obj, alias, disk->src, n);
    qemuDomainSaveStatus(driver, obj);
    return 0;

rollback:
    if (virDomainObjIsActive(obj)) {
        virErrorPtr saved = NULL;

        virErrorPreserveLast(&saved);
        if (formatAdded)
            qemuHotplugBlockdevDel(obj, format);
        if (storageAdded)
            qemuHotplugBlockdevDel(obj, storage);
        virErrorRestore(&saved);
        if (encId)
            qemuHotplugMonitorQuiet(obj, "object-del", encId);
    }
    qemuHotplugStealDisk(obj->def, obj->def->ndisks - 1);
    if (virDomainObjIsActive(obj)) {
        virErrorPtr saved = NULL;

        /* the image goes back to its owner (the first error is the one
         * reported) */
        virErrorPreserveLast(&saved);
        if (qemuSecurityUpdateDomain(driver, obj) < 0)
            g_debug("giving the image back: %s", virGetLastErrorMessage());
        virErrorRestore(&saved);
    }
    return -1;
}

/* The block nodes QEMU has for image @path (query-named-block-nodes): the
 * format node (*format) and the protocol node under it (*storage), either
 * NULL when missing. */
static void
qemuHotplugDiskNodes(virDomainObj *obj, const char *path, char **format, char **storage)
{
    g_autoptr(json_object) nodes = NULL;
    size_t n;

    if (!path || qemuHotplugMonitor(obj, "query-named-block-nodes", NULL, &nodes) < 0) {
        virResetLastError();
        return;
    }
    n = json_object_is_type(nodes, json_type_array) ? json_object_array_length(nodes) : 0;
    for (size_t i = 0; i < n; i++) {
        json_object *e = json_object_array_get_idx(nodes, i);
        json_object *file = NULL, *nn = NULL, *drv = NULL;
        bool proto;

        if (!json_object_object_get_ex(e, "file", &file) ||
            g_strcmp0(json_object_get_string(file), path) != 0 ||
            !json_object_object_get_ex(e, "node-name", &nn))
            continue;
        json_object_object_get_ex(e, "drv", &drv);
        proto = g_strcmp0(json_object_get_string(drv), "file") == 0 ||
                g_strcmp0(json_object_get_string(drv), "host_device") == 0;
        if (proto && !*storage)
            *storage = g_strdup(json_object_get_string(nn));
        else if (!proto && !*format)
            *format = g_strdup(json_object_get_string(nn));
    }
}

/* Disk @idx of the live definition, gone from QEMU's guest side: out of
 * the definition and DEVICE_REMOVED queued at once (the guest no longer
 * has it), then its block nodes removed, the image given back and the
 * status saved. Object locked, job held. */
void
qemuHotplugRemoveDiskLive(qemuDriver *driver, virDomainObj *obj, size_t idx)
{
    virDomainDiskDef *disk = qemuHotplugStealDisk(obj->def, idx);
    g_autofree char *alias = qemuDiskAlias(obj->def, disk);
    g_autofree char *format = NULL;
    g_autofree char *storage = NULL;
    int n = qemuHotplugForgetNode(obj, alias, disk->src);
    g_autoptr(GPtrArray) chain = disk->src && disk->format == VIR_STORAGE_FORMAT_QCOW2
                                     ? qemuSecurityBackingChain(disk->src, disk->format)
                                     : NULL;

    /* The event first: what follows is this driver's bookkeeping, done
     * under the same job (a call that changes the domain next waits for
     * it, so a re-attach of the image finds its nodes gone and its owner
     * restored), while a reader (dumpxml) already finds the disk gone.
     * libvirt queues it after its blockdev-del round trips; the client
     * waiting for the removal need not wait for those (make bench,
     * attach+detach). */
    virObjectEventStateQueue(driver->events,
                             virDomainEventDeviceNew(VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED,
                                                     VIR_DOMAIN_EVENT_OBJ(obj), alias));

    /* the nodes its attach made, as libvirt deletes the ones it knows;
     * QEMU is asked which they are only when they are not known here or
     * the known name is refused */
    if (n > 0) {
        g_autoptr(json_object) fa = json_object_new_object();
        g_autoptr(json_object) sa = json_object_new_object();
        const char *const cmds[] = { "blockdev-del", "blockdev-del" };
        json_object *const cmdArgs[] = { fa, sa };
        bool done[2];

        format = g_strdup_printf("libvirt-%d-format", n);
        storage = g_strdup_printf("libvirt-%d-storage", n);
        json_object_object_add(fa, "node-name", json_object_new_string(format));
        json_object_object_add(sa, "node-name", json_object_new_string(storage));
        /* both at once (one round trip with QEMU); tolerated failures: a
         * refused name is looked up in QEMU below */
        if (qemuHotplugMonitorBatch(obj, cmds, cmdArgs, 2, done) < 0) {
            g_debug("blockdev-del %s, %s: %s", format, storage, virGetLastErrorMessage());
            virResetLastError();
        }
        if (done[0] && done[1])
            goto removed;
        g_clear_pointer(&format, g_free);
        g_clear_pointer(&storage, g_free);
    }
    if (virDomainObjIsActive(obj)) {
        qemuHotplugDiskNodes(obj, disk->src, &format, &storage);
        if (format)
            qemuHotplugBlockdevDel(obj, format);
        if (storage)
            qemuHotplugBlockdevDel(obj, storage);
    }
removed:
    /* an encrypted image's passphrase object (libvirt's name for it) */
    if (format && qemuDiskHasEncryptionSecret(disk) && virDomainObjIsActive(obj)) {
        g_autofree char *encId = g_strdup_printf("%s-encryption-secret0", format);

        qemuHotplugMonitorQuiet(obj, "object-del", encId);
    }
    /* the named nodes of its backing chain (a disk started with one, or
     * given one by an external snapshot) */
    if (chain && chain->len > 0 && virDomainObjIsActive(obj))
        qemuBlockJobDropStaleNodes(obj);
    if (virDomainObjIsActive(obj)) {
        if (qemuSecurityUpdateDomain(driver, obj) < 0)
            virResetLastError();
        qemuDomainSaveStatus(driver, obj);
    }
    virDomainDiskDefFree(disk);
}

/* Unplug disk @idx of the live definition (qemuHotplugDeviceDel), then
 * qemuHotplugRemoveDiskLive; 0 also when the removal is pending. Object
 * locked, job held. */
int
qemuHotplugDetachDiskLive(qemuDriver *driver, virDomainObj *obj, size_t idx)
{
    virDomainDiskDef *disk = obj->def->disks[idx];
    g_autofree char *alias = qemuDiskAlias(obj->def, disk);
    int rc;

    if (qemuDiskBus(disk) != VIR_DOMAIN_DISK_BUS_VIRTIO &&
        qemuDiskBus(disk) != VIR_DOMAIN_DISK_BUS_SCSI &&
        qemuDiskBus(disk) != VIR_DOMAIN_DISK_BUS_USB) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED,
                       "This type of disk cannot be hot unplugged");
        return -1;
    }
    if ((rc = qemuHotplugDeviceDel(obj, alias)) < 0)
        return -1;
    if (rc == 1) {
        for (size_t i = 0; i < obj->def->ndisks; i++) {
            if (obj->def->disks[i] == disk) {
                qemuHotplugRemoveDiskLive(driver, obj, i);
                break;
            }
        }
    }
    return 0;
}
