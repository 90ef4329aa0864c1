/* qemu_hotplug_update.c: virDomainUpdateDeviceFlags for the QEMU driver: CD-ROM media, interface link and source, virtio-mem requested size */

/*
 * Threads: the entry point holds the domain's MODIFY job; QMP is waited
 * for with the object unlocked (qemuHotplugMonitor). A tray that the
 * guest must release is polled for with the object unlocked between
 * tries.
 */

#define G_LOG_DOMAIN "virtkit.qemu.update"

#include <errno.h>
#include <json-c/json.h>
#include <string.h>
#include <unistd.h>

#include "qemu_capabilities_glue.h"
#include "qemu_command.h"
#include "qemu_driver_priv.h"
#include "qemu_hotplug.h"
#include "qemu_iotune.h"
#include "qemu_monitor.h"
#include "qemu_security.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

/* libvirt's CHANGE_MEDIA_TIMEOUT: how long a guest may hold its tray */
#define QEMU_TRAY_TIMEOUT_MS 5000

/* The query-block entry of device @id ("qdev": the id, or a QOM path
 * under /machine/peripheral/ID). Borrowed from @block, or NULL. */
static json_object *
qemuUpdateBlockEntry(json_object *block, const char *id)
{
    size_t n =
        json_object_is_type(block, json_type_array) ? json_object_array_length(block) : 0;
    g_autofree char *path = g_strdup_printf("/machine/peripheral/%s", id);
    size_t len = strlen(path);

    for (size_t i = 0; i < n; i++) {
        json_object *e = json_object_array_get_idx(block, i);
        json_object *q = NULL;
        const char *qdev;

        if (!json_object_object_get_ex(e, "qdev", &q) ||
            !(qdev = json_object_get_string(q)))
            continue;
        if (strcmp(qdev, id) == 0 ||
            (strncmp(qdev, path, len) == 0 && (qdev[len] == '\0' || qdev[len] == '/')))
            return e;
    }
    return NULL;
}

/* The format node of the medium in device @id, or NULL (none, or an
 * error: *failed then true with it reported). */
static char *
qemuUpdateMediumNode(virDomainObj *obj, const char *id, bool *failed)
{
    g_autoptr(json_object) block = NULL;
    json_object *e, *ins = NULL, *nn = NULL;

    *failed = false;
    if (qemuHotplugMonitor(obj, "query-block", NULL, &block) < 0) {
        *failed = true;
        return NULL;
    }
    if (!(e = qemuUpdateBlockEntry(block, id))) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "cannot find the QEMU device '%s'", id);
        *failed = true;
        return NULL;
    }
    if (json_object_object_get_ex(e, "inserted", &ins) &&
        json_object_object_get_ex(ins, "node-name", &nn))
        return g_strdup(json_object_get_string(nn));
    return NULL;
}

/* Whether the tray of device @id is open (-1: error reported). */
static int
qemuUpdateTrayOpen(virDomainObj *obj, const char *id)
{
    g_autoptr(json_object) block = NULL;
    json_object *e, *v = NULL;

    if (qemuHotplugMonitor(obj, "query-block", NULL, &block) < 0)
        return -1;
    if (!(e = qemuUpdateBlockEntry(block, id))) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "cannot find the QEMU device '%s'", id);
        return -1;
    }
    return json_object_object_get_ex(e, "tray_open", &v) && json_object_get_boolean(v);
}

static int
qemuUpdateIdCommand(virDomainObj *obj, const char *cmd, const char *id, const char *key,
                    const char *value, int force)
{
    g_autoptr(json_object) args = json_object_new_object();

    json_object_object_add(args, "id", json_object_new_string(id));
    if (key)
        json_object_object_add(args, key, json_object_new_string(value));
    if (force >= 0)
        json_object_object_add(args, "force", json_object_new_boolean(force));
    return qemuHotplugMonitor(obj, cmd, args, NULL);
}

/* The storage node name of a "libvirt-N-format" node (caller frees). */
static char *
qemuUpdateStorageOf(const char *format)
{
    size_t len = strlen(format);

    if (len <= strlen("format") || !g_str_has_suffix(format, "-format"))
        return NULL;
    return g_strdup_printf("%.*sstorage", (int)(len - strlen("format")), format);
}

/* libvirt's qemuDomainChangeMediaBlockdev: the medium of CD-ROM @disk
 * (live definition) becomes @newDisk's source (NULL: ejected). The new
 * image is handed to QEMU's user and opened (blockdev-add) first; then the
 * tray opens (the guest is asked unless @force; it has
 * QEMU_TRAY_TIMEOUT_MS to let go), the old medium goes, the new one goes
 * in, the tray closes and the old nodes are removed. On failure the disk
 * keeps its medium when QEMU still has it. Object locked, job held. */

/* The tray of @disk's drive (QEMU device @id) open, asked of the guest
 * (or forced with @force) and waited for as libvirt does; a floppy drive
 * has none. 0 or -1 (error reported). */
static int
qemuUpdateOpenTray(virDomainObj *obj, const virDomainDiskDef *disk, const char *id,
                   bool force)
{
    gint64 deadline;
    int open;

    if (disk->device == VIR_DOMAIN_DISK_DEVICE_FLOPPY)
        return 0;
    if ((open = qemuUpdateTrayOpen(obj, id)) != 0)
        return open < 0 ? -1 : 0;
    deadline = g_get_monotonic_time() + QEMU_TRAY_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;
    if (qemuUpdateIdCommand(obj, "blockdev-open-tray", id, NULL, NULL, force) < 0)
        return -1;
    /* a guest that locked its tray is asked to open it */
    while ((open = qemuUpdateTrayOpen(obj, id)) == 0) {
        if (g_get_monotonic_time() >= deadline) {
            virReportError(VIR_ERR_OPERATION_FAILED,
                           "timed out waiting to open tray of '%s'", disk->dst);
            return -1;
        }
        virDomainObjUnlock(obj);
        g_usleep(100 * 1000);
        virDomainObjLock(obj);
        if (!virDomainObjIsActive(obj)) {
            virReportError(VIR_ERR_OPERATION_FAILED, "%s", "domain is no longer running");
            return -1;
        }
    }
    return open < 0 ? -1 : 0;
}

static int
qemuUpdateChangeMedia(qemuDriver *driver, virDomainObj *obj, virDomainDiskDef *disk,
                      const virDomainDiskDef *newDisk, bool force)
{
    g_autofree char *id = qemuDiskAlias(obj->def, disk);
    g_autofree char *oldFormat = NULL;
    g_autofree char *oldStorage = NULL;
    g_autofree char *storage = NULL;
    g_autofree char *format = NULL;
    g_autofree char *oldSrc = disk->src;
    int oldFmt = disk->format;
    bool failed;
    bool added = false, removed = false;
    int n;

    disk->src = g_strdup(newDisk->src);
    disk->format = newDisk->format;
    oldFormat = qemuUpdateMediumNode(obj, id, &failed);
    if (failed)
        goto restore;
    if (oldFormat)
        oldStorage = qemuUpdateStorageOf(oldFormat);
    /* the new image to QEMU's user first (the record gets it) */
    if (disk->src && qemuSecurityPrepareDomain(driver, obj) < 0)
        goto restore;

    if (disk->src) {
        g_autoptr(json_object) file = json_object_new_object();
        g_autoptr(json_object) fmt = json_object_new_object();

        if ((n = qemuHotplugNextNode(obj)) < 0)
            goto restore;
        storage = g_strdup_printf("libvirt-%d-storage", n);
        format = g_strdup_printf("libvirt-%d-format", n);
        json_object_object_add(file, "driver",
                               json_object_new_string(qemuDiskStorageDriver(disk->type)));
        json_object_object_add(file, "filename", json_object_new_string(disk->src));
        json_object_object_add(file, "node-name", json_object_new_string(storage));
        json_object_object_add(file, "auto-read-only", json_object_new_boolean(1));
        json_object_object_add(file, "discard", json_object_new_string("unmap"));
        if (qemuHotplugMonitor(obj, "blockdev-add", file, NULL) < 0)
            goto restore;
        json_object_object_add(fmt, "node-name", json_object_new_string(format));
        json_object_object_add(fmt, "read-only", json_object_new_boolean(1));
        json_object_object_add(
            fmt, "driver",
            json_object_new_string(disk->format == VIR_STORAGE_FORMAT_QCOW2 ? "qcow2"
                                                                            : "raw"));
        json_object_object_add(fmt, "file", json_object_new_string(storage));
        if (qemuHotplugMonitor(obj, "blockdev-add", fmt, NULL) < 0) {
            qemuHotplugBlockdevDel(obj, storage);
            goto restore;
        }
        added = true;
    }

    if (qemuUpdateOpenTray(obj, disk, id, force) < 0)
        goto rollback;
    if (qemuUpdateIdCommand(obj, "blockdev-remove-medium", id, NULL, NULL, -1) < 0)
        goto rollback;
    removed = true;
    /* A guest may close an empty drive's tray at any moment (Linux closes
     * it when something opens the device): opened again and the insert
     * retried, a few times (the CI of c13470f lost that race once) */
    for (int attempt = 0; format; attempt++) {
        if (qemuUpdateIdCommand(obj, "blockdev-insert-medium", id, "node-name", format,
                                -1) == 0)
            break;
        if (attempt >= 4 || disk->device == VIR_DOMAIN_DISK_DEVICE_FLOPPY ||
            qemuUpdateTrayOpen(obj, id) != 0)
            goto rollback;
        g_debug("the tray of '%s' closed before the medium went in: opening it again",
                disk->dst);
        virResetLastError();
        if (qemuUpdateOpenTray(obj, disk, id, force) < 0)
            goto rollback;
    }
    added = false; /* QEMU's medium now */
    /* the drive's limits come with the medium (libvirt's order) */
    if (format && qemuIoTuneEnabled(disk) &&
        qemuIoTuneApply(obj, disk, &disk->iotune) < 0) {
        g_debug("disk '%s': its <iotune> refused: %s", disk->dst,
                virGetLastErrorMessage());
        virResetLastError();
    }
    if (format &&
        qemuUpdateIdCommand(obj, "blockdev-close-tray", id, NULL, NULL, -1) < 0) {
        /* the medium is in; an open tray is the guest's to close */
        g_debug("blockdev-close-tray %s: %s", id, virGetLastErrorMessage());
        virResetLastError();
    }
    if (oldFormat)
        qemuHotplugBlockdevDel(obj, oldFormat);
    if (oldStorage)
        qemuHotplugBlockdevDel(obj, oldStorage);
    /* the old image back to its owner */
    if (oldSrc && qemuSecurityPrepareDomain(driver, obj) < 0)
        virResetLastError();
    /* the live chain and index described the old medium */
    disk->srcIndex = 0;
    g_clear_pointer(&disk->backing, virDomainDiskBackingDefFree);
    qemuDomainSaveStatus(driver, obj);
    return 0;

rollback:
    if (virDomainObjIsActive(obj)) {
        virErrorPtr saved = NULL;

        virErrorPreserveLast(&saved);
        if (added) {
            qemuHotplugBlockdevDel(obj, format);
            qemuHotplugBlockdevDel(obj, storage);
        }
        if (removed && oldFormat) {
            /* the old medium back in (it was only taken out) */
            if (qemuUpdateIdCommand(obj, "blockdev-insert-medium", id, "node-name",
                                    oldFormat, -1) == 0)
                removed = false;
            qemuUpdateIdCommand(obj, "blockdev-close-tray", id, NULL, NULL, -1);
        }
        virErrorRestore(&saved);
    }
    if (removed && oldFormat) {
        /* QEMU no longer has the old medium: the disk tells the truth */
        g_clear_pointer(&disk->src, g_free);
        g_clear_pointer(&oldSrc, g_free);
        if (virDomainObjIsActive(obj))
            qemuDomainSaveStatus(driver, obj);
        return -1;
    }
restore:
    g_free(disk->src);
    disk->src = g_steal_pointer(&oldSrc);
    disk->format = oldFmt;
    if (virDomainObjIsActive(obj)) {
        virErrorPtr saved = NULL;

        virErrorPreserveLast(&saved);
        if (qemuSecurityPrepareDomain(driver, obj) < 0)
            g_debug("giving the image back: %s", virGetLastErrorMessage());
        virErrorRestore(&saved);
    }
    return -1;
}

/* libvirt's qemuDomainChangeDiskLive: only a removable drive's medium may
 * change on a running guest. */
static int
qemuUpdateDiskLive(qemuDriver *driver, virDomainObj *obj, const virDomainDiskDef *newDisk,
                   bool force)
{
    virDomainDiskDef *disk = qemuHotplugFindDisk(obj->def, newDisk->dst, NULL);

    if (!disk || strcmp(disk->dst, newDisk->dst) != 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "disk '%s' not found", newDisk->dst);
        return -1;
    }
    if (newDisk->device != disk->device) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED,
                       "cannot modify field '%s' of the disk", "device");
        return -1;
    }
    if (newDisk->bus != VIR_DOMAIN_DISK_BUS_NONE &&
        qemuDiskBus(newDisk) != qemuDiskBus(disk)) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED,
                       "cannot modify field '%s' of the disk", "bus");
        return -1;
    }
    if (disk->net || newDisk->net) {
        virReportError(
            VIR_ERR_OPERATION_UNSUPPORTED, "%s",
            "changing the medium of a network disk is not supported by virtkit");
        return -1;
    }
    if (qemuIoTuneCheckUnchanged(newDisk, disk) < 0)
        return -1;
    /* libvirt's qemuDomainDiskChangeSupported: an order given must be the
     * disk's own */
    if (newDisk->boot.order && newDisk->boot.order != disk->boot.order) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED,
                       "cannot modify field '%s' of the disk", "boot order");
        return -1;
    }
    if (g_strcmp0(disk->src, newDisk->src) == 0)
        return 0;
    /* the new medium would be opened without its passphrase, or the old
     * one's <encryption> would stay on a new plain medium */
    if (disk->encryption || newDisk->encryption) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "changing the medium of a disk with <encryption> is not supported "
                       "by virtkit");
        return -1;
    }
    if (disk->device != VIR_DOMAIN_DISK_DEVICE_CDROM &&
        disk->device != VIR_DOMAIN_DISK_DEVICE_FLOPPY) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "disk source can be changed only in removable drives");
        return -1;
    }
    if (newDisk->src && access(newDisk->src, F_OK) < 0) {
        virReportSystemError(errno, "Cannot access storage file '%s'", newDisk->src);
        return -1;
    }
    return qemuUpdateChangeMedia(driver, obj, disk, newDisk, force);
}

int
qemuDomainUpdateDeviceFlags(virDomainPtr dom, const char *xml, unsigned int flags)
{
    qemuDriver *driver = qemuDriverOf(dom->conn);
    virDomainObj *obj;
    virDomainDef *live;
    virDomainDef *persistent;
    g_autoptr(virDomainDef) devDef = NULL;
    g_autoptr(virDomainDef) newPersistent = NULL;
    const char *what = NULL;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG |
                      VIR_DOMAIN_DEVICE_MODIFY_FORCE,
                  -1);
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    if (qemuDomainObjGetDefs(obj, flags, &live, &persistent) < 0)
        goto endjob;
    /* libvirt changes the definition first: its refusal comes first */
    if (!(devDef = qemuHotplugParseDeviceLive(
              xml, persistent ? "persistent update" : "live update", &what, !!live)))
        goto endjob;
    /* libvirt's device validation against the domain (a virtio-mem
     * request beyond its size or off its block size) */
    if (strcmp(what, "memory") == 0 &&
        virDomainMemoryDefValidate(devDef->mems[0], obj->def) < 0)
        goto endjob;

    /* the persistent change on a copy, written once the live one is done */
    if (persistent) {
        g_autoptr(virDomainDef) mine = NULL;
        ssize_t idx;

        if (!(mine = qemuHotplugParseDeviceLive(xml, "persistent update", &what, !!live)))
            goto endjob;
        newPersistent = virDomainDefCopy(persistent);
        if (strcmp(what, "memory") == 0) {
            if (qemuHotplugUpdateMemoryConfig(newPersistent, mine) < 0)
                goto endjob;
        } else if (strcmp(what, "disk") == 0) {
            size_t i;

            if (!qemuHotplugFindDisk(newPersistent, mine->disks[0]->dst, &i) ||
                strcmp(newPersistent->disks[i]->dst, mine->disks[0]->dst) != 0) {
                virReportError(VIR_ERR_INVALID_ARG, "target %s doesn't exist.",
                               mine->disks[0]->dst);
                goto endjob;
            }
            virDomainDiskDefFree(newPersistent->disks[i]);
            newPersistent->disks[i] = mine->disks[0];
            memmove(mine->disks, mine->disks + 1,
                    (mine->ndisks - 1) * sizeof(*mine->disks));
            mine->ndisks--;
        } else {
            if ((idx = qemuHotplugFindNet(newPersistent, mine->nets[0])) < 0)
                goto endjob;
            virDomainNetDefFree(newPersistent->nets[idx]);
            newPersistent->nets[idx] = mine->nets[0];
            mine->nets[0] = NULL;
            mine->nnets = 0;
        }
        if (qemuGluePostParse(driver, newPersistent) < 0)
            goto endjob;
    }
    if (live) {
        if (strcmp(what, "memory") == 0) {
            if (qemuHotplugUpdateMemoryLive(driver, obj, devDef->mems[0]) < 0)
                goto endjob;
        } else if (strcmp(what, "disk") == 0) {
            if (qemuUpdateDiskLive(driver, obj, devDef->disks[0],
                                   !!(flags & VIR_DOMAIN_DEVICE_MODIFY_FORCE)) < 0)
                goto endjob;
        } else {
            ssize_t idx;

            if ((idx = qemuHotplugFindNet(live, devDef->nets[0])) < 0 ||
                qemuHotplugUpdateNetLive(driver, obj, (size_t)idx, devDef->nets[0]) < 0)
                goto endjob;
        }
    }
    if (newPersistent && qemuHotplugCommitPersistent(driver, obj, &newPersistent) < 0)
        goto endjob;
    ret = 0;

endjob:
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}
