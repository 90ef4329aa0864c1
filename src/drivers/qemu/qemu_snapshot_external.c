/* qemu_snapshot_external.c: external snapshots of the QEMU driver: qcow2 overlays (qemu-img, blockdev-snapshot) and the memory state in a save image */

/*
 * Threads: API threads only, inside qemuDomainSnapshotCreateXML's MODIFY
 * job; the object lock is dropped while QEMU or qemu-img works (through
 * qemuHotplugMonitor, qemuProcessMonitorCommand, qemuSaveMigrateToFd).
 *
 * As libvirt 9.0 (qemuSnapshotCreateInactiveExternal /
 * qemuSnapshotCreateActiveExternal): the snapshot's data is what the
 * disks held when it was taken, left in the old images, which become the
 * read-only backing files of new qcow2 overlays; the domain goes on in
 * the overlays. The memory of a running guest goes to a file in libvirt's
 * save image layout (qemu_saveimage.h), readable by virDomainRestore.
 */

#define G_LOG_DOMAIN "virtkit.qemu.snapshot"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "qemu_blockjob.h"
#include "qemu_command.h"
#include "qemu_hotplug.h"
#include "qemu_monitor.h"
#include "qemu_process.h"
#include "qemu_saveimage.h"
#include "qemu_security.h"
#include "qemu_agent.h"
#include "qemu_snapshot.h"
#include "qemu_domain_storage.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

static const char *
qemuSnapshotFormatName(int format)
{
    return format == VIR_STORAGE_FORMAT_QCOW2 ? "qcow2" : "raw";
}

int
qemuSnapshotPrepareExternal(virDomainObj *obj, virDomainSnapshotDef *def,
                            unsigned int flags)
{
    bool reuse = flags & VIR_DOMAIN_SNAPSHOT_CREATE_REUSE_EXT;
    size_t nexternal = 0;

    for (size_t i = 0; i < def->ndisks; i++) {
        virDomainSnapshotDiskDef *sd = &def->disks[i];
        const virDomainDiskDef *dd;
        struct stat st;

        if (sd->snapshot != VIR_DOMAIN_SNAPSHOT_LOCATION_EXTERNAL)
            continue;
        dd = qemuSnapshotDomainDisk(def->dom, sd->name);
        if (!dd || !dd->src) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "external %s snapshots are not supported on '%s' disks",
                           virDomainObjIsActive(obj) ? "active" : "inactive", "empty");
            return -1;
        }
        /* the overlay would sit above a chain the definition spells out,
         * which virtkit does not rewrite: refused, never left wrong */
        if (qemuDiskHasGivenChain(dd)) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "external snapshot of disk '%s' with a given backing chain is "
                           "not supported by virtkit",
                           sd->name);
            return -1;
        }
        /* the overlay would be a plain image above an encrypted one, and
         * the definition's <encryption> would then name the wrong image */
        if (dd->encryption) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "external snapshot of disk '%s' with <encryption> is not "
                           "supported by virtkit",
                           sd->name);
            return -1;
        }
        if (sd->format == VIR_STORAGE_FORMAT_NONE)
            sd->format = VIR_STORAGE_FORMAT_QCOW2;
        if (sd->format != VIR_STORAGE_FORMAT_QCOW2) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "external snapshot format for disk %s is unsupported: %s",
                           sd->name, qemuSnapshotFormatName(sd->format));
            return -1;
        }
        if (sd->block) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "external %s snapshots are not supported on '%s' disks",
                           virDomainObjIsActive(obj) ? "active" : "inactive", "block");
            return -1;
        }
        if (stat(sd->path, &st) < 0) {
            if (errno != ENOENT || reuse) {
                virReportSystemError(errno, "missing existing file for disk %s: %s",
                                     sd->name, sd->path);
                return -1;
            }
        } else if (!reuse && !S_ISBLK(st.st_mode)) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "external snapshot file for disk %s already exists and is not "
                           "a block device: %s",
                           sd->name, sd->path);
            return -1;
        }
        for (size_t j = 0; j < i; j++) {
            if (def->disks[j].path && g_str_equal(def->disks[j].path, sd->path)) {
                virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                               "cannot generate external snapshot name for disk '%s': "
                               "collision with disk '%s'",
                               sd->name, def->disks[j].name);
                return -1;
            }
        }
        nexternal++;
    }
    if (def->memory == VIR_DOMAIN_SNAPSHOT_LOCATION_EXTERNAL) {
        struct stat st;

        if (!virDomainObjIsActive(obj)) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "memory state cannot be saved with offline or disk-only "
                           "snapshot");
            return -1;
        }
        if (stat(def->memoryFile, &st) == 0 && !reuse) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "external snapshot file for memory already exists: %s",
                           def->memoryFile);
            return -1;
        }
    } else if (nexternal == 0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "disk-only snapshots require at least one disk to be selected "
                       "for snapshot");
        return -1;
    }
    return 0;
}

/* Point the disk @target of @dom (may be NULL) at the overlay @path. */
static void
qemuSnapshotDefUseOverlay(virDomainDef *dom, const char *target, const char *path)
{
    virDomainDiskDef *disk = dom ? qemuSnapshotDomainDisk(dom, target) : NULL;

    if (!disk)
        return;
    g_free(disk->src);
    disk->src = g_strdup(path);
    disk->format = VIR_STORAGE_FORMAT_QCOW2;
}

/* Remove the overlays made so far (the first @n disks of @def), quietly. */
static void
qemuSnapshotRemoveOverlays(const virDomainSnapshotDef *def, const bool *created, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (created[i] && unlink(def->disks[i].path) < 0)
            g_debug("cannot remove overlay '%s': %s", def->disks[i].path,
                    g_strerror(errno));
}

/* qemu-img create of each external disk's overlay over the image of the
 * disk in @dom; @size (bytes, 0: read from the image) per disk when the
 * image is open in QEMU. created[i] says which were made. */
static int
qemuSnapshotCreateOverlays(const virDomainSnapshotDef *def, const virDomainDef *dom,
                           const unsigned long long *sizes, bool reuse, bool *created)
{
    for (size_t i = 0; i < def->ndisks; i++) {
        const virDomainSnapshotDiskDef *sd = &def->disks[i];
        const virDomainDiskDef *dd;
        g_autofree char *size = NULL;

        if (sd->snapshot != VIR_DOMAIN_SNAPSHOT_LOCATION_EXTERNAL || reuse)
            continue;
        dd = qemuSnapshotDomainDisk(dom, sd->name);
        if (sizes && sizes[i])
            size = g_strdup_printf("%llu", sizes[i]);
        /* -u with a size: the backing image is open (and locked) by QEMU */
        if (qemuSnapshotQemuImg((const char *const[]){
                "create", "-q", "-f", "qcow2", "-F", qemuSnapshotFormatName(dd->format),
                "-b", dd->src, size ? "-u" : sd->path, size ? sd->path : NULL, size,
                NULL }) < 0) {
            qemuSnapshotRemoveOverlays(def, created, i);
            return -1;
        }
        created[i] = true;
    }
    return 0;
}

/* The definitions of @obj (live, persistent) name the overlays of @def;
 * the persistent one is written. */
static int
qemuSnapshotCommitDefs(qemuDriver *driver, virDomainObj *obj,
                       const virDomainSnapshotDef *def)
{
    for (size_t i = 0; i < def->ndisks; i++) {
        if (def->disks[i].snapshot != VIR_DOMAIN_SNAPSHOT_LOCATION_EXTERNAL)
            continue;
        qemuSnapshotDefUseOverlay(obj->def, def->disks[i].name, def->disks[i].path);
        qemuSnapshotDefUseOverlay(obj->newDef, def->disks[i].name, def->disks[i].path);
    }
    if (virDomainObjIsActive(obj))
        qemuDomainSaveStatusLater(driver, obj);
    if (obj->persistent &&
        qemuDomainSaveConfig(driver, obj->newDef ? obj->newDef : obj->def,
                             qemuDomainPriv(obj)->graceOverrideSec) < 0)
        return -1;
    return 0;
}

/* The disk part of an external snapshot of a running guest: overlays
 * opened and switched to in one transaction. */
static int
qemuSnapshotDisksActive(qemuDriver *driver, virDomainObj *obj, virDomainSnapshotDef *def,
                        bool reuse)
{
    size_t nd = def->ndisks;
    g_autofree bool *created = g_new0(bool, nd);
    g_autofree unsigned long long *sizes = g_new0(unsigned long long, nd);
    g_auto(GStrv) tops = g_new0(char *, nd + 1);
    g_auto(GStrv) formats = g_new0(char *, nd + 1);
    g_auto(GStrv) storages = g_new0(char *, nd + 1);
    g_auto(GStrv) oldSrc = g_new0(char *, nd + 1);
    g_autofree int *oldFormat = g_new0(int, nd);
    g_autoptr(json_object) actions = json_object_new_array();
    g_autoptr(json_object) targs = json_object_new_object();
    bool defChanged = false;
    int next;

    for (size_t i = 0; i < nd; i++) {
        virDomainDiskDef *dd;

        if (def->disks[i].snapshot != VIR_DOMAIN_SNAPSHOT_LOCATION_EXTERNAL)
            continue;
        if (!(dd = qemuSnapshotDomainDisk(obj->def, def->disks[i].name)) ||
            qemuBlockJobDiskNode(obj, dd, &tops[i], &sizes[i]) < 0)
            return -1;
    }
    if (qemuSnapshotCreateOverlays(def, obj->def, sizes, reuse, created) < 0)
        return -1;

    /* the overlays to QEMU's user (the security record takes them), with
     * the live definition naming them, as at start */
    for (size_t i = 0; i < nd; i++) {
        virDomainDiskDef *dd;

        if (def->disks[i].snapshot != VIR_DOMAIN_SNAPSHOT_LOCATION_EXTERNAL)
            continue;
        dd = qemuSnapshotDomainDisk(obj->def, def->disks[i].name);
        oldSrc[i] = g_steal_pointer(&dd->src);
        oldFormat[i] = dd->format;
        dd->src = g_strdup(def->disks[i].path);
        dd->format = VIR_STORAGE_FORMAT_QCOW2;
        /* the live chain read at start described the old top (no given
         * chain here: refused before) */
        dd->srcIndex = 0;
        g_clear_pointer(&dd->backing, virDomainDiskBackingDefFree);
    }
    defChanged = true;
    if (qemuSecurityPrepareDomain(driver, obj) < 0 ||
        (next = qemuHotplugNextNode(obj)) < 0)
        goto rollback;

    for (size_t i = 0; i < nd; i++) {
        g_autoptr(json_object) file = NULL;
        g_autoptr(json_object) fmt = NULL;
        json_object *act, *data;

        if (def->disks[i].snapshot != VIR_DOMAIN_SNAPSHOT_LOCATION_EXTERNAL)
            continue;
        storages[i] = g_strdup_printf("libvirt-%d-storage", next);
        file = json_object_new_object();
        json_object_object_add(file, "driver", json_object_new_string("file"));
        json_object_object_add(file, "filename",
                               json_object_new_string(def->disks[i].path));
        json_object_object_add(file, "node-name", json_object_new_string(storages[i]));
        json_object_object_add(file, "auto-read-only", json_object_new_boolean(1));
        json_object_object_add(file, "discard", json_object_new_string("unmap"));
        if (qemuHotplugMonitor(obj, "blockdev-add", file, NULL) < 0) {
            g_clear_pointer(&storages[i], g_free);
            goto rollback;
        }
        formats[i] = g_strdup_printf("libvirt-%d-format", next);
        fmt = json_object_new_object();
        json_object_object_add(fmt, "node-name", json_object_new_string(formats[i]));
        json_object_object_add(fmt, "read-only", json_object_new_boolean(0));
        json_object_object_add(fmt, "driver", json_object_new_string("qcow2"));
        json_object_object_add(fmt, "file", json_object_new_string(storages[i]));
        /* the backing chain is the disk's current one (blockdev-snapshot) */
        json_object_object_add(fmt, "backing", NULL);
        if (qemuHotplugMonitor(obj, "blockdev-add", fmt, NULL) < 0) {
            g_clear_pointer(&formats[i], g_free);
            goto rollback;
        }
        next++;

        data = json_object_new_object();
        json_object_object_add(data, "node", json_object_new_string(tops[i]));
        json_object_object_add(data, "overlay", json_object_new_string(formats[i]));
        act = json_object_new_object();
        json_object_object_add(act, "type", json_object_new_string("blockdev-snapshot"));
        json_object_object_add(act, "data", data);
        json_object_array_add(actions, act);
        if (qemuCheckpointPropagateBitmaps(
                obj, qemuSnapshotDomainDisk(obj->def, def->disks[i].name), formats[i],
                actions) < 0)
            goto rollback;
    }
    json_object_object_add(targs, "actions", json_object_get(actions));
    if (qemuHotplugMonitor(obj, "transaction", targs, NULL) < 0)
        goto rollback;
    return 0;

rollback : {
    virErrorPtr saved = NULL;

    virErrorPreserveLast(&saved);
    for (size_t i = 0; i < nd; i++) {
        if (formats[i])
            qemuHotplugBlockdevDel(obj, formats[i]);
        if (storages[i])
            qemuHotplugBlockdevDel(obj, storages[i]);
    }
    if (defChanged) {
        for (size_t i = 0; i < nd; i++) {
            virDomainDiskDef *dd;

            if (!oldSrc[i] ||
                !(dd = qemuSnapshotDomainDisk(obj->def, def->disks[i].name)))
                continue;
            g_free(dd->src);
            dd->src = g_steal_pointer(&oldSrc[i]);
            dd->format = oldFormat[i];
        }
    }
    qemuSnapshotRemoveOverlays(def, created, nd);
    virErrorRestore(&saved);
    return -1;
}
}

/* The memory of @obj (running or paused) into def->memoryFile. */
static int
qemuSnapshotMemory(virDomainObj *obj, virDomainSnapshotDef *def, bool wasRunning)
{
    g_autofree char *xml = NULL;
    g_autofree char *tmp = NULL;
    int fd;

    if (!(xml = virDomainDefFormat(obj->def, VIR_DOMAIN_DEF_FORMAT_INACTIVE |
                                                 VIR_DOMAIN_DEF_FORMAT_SECURE)))
        return -1;
    if ((fd = qemuSaveImageCreateTemp(def->memoryFile, xml, wasRunning, &tmp)) < 0)
        return -1;
    if (qemuSaveMigrateToFd(obj, fd) < 0) {
        virErrorPtr saved = NULL;

        virErrorPreserveLast(&saved);
        close(fd);
        unlink(tmp);
        if (virDomainObjIsActive(obj))
            qemuHotplugMonitor(obj, "migrate_cancel", NULL, NULL);
        virErrorRestore(&saved);
        return -1;
    }
    return qemuSaveImageCommit(fd, tmp, def->memoryFile);
}

/* The snapshot of running @obj, its guest's filesystems frozen around it
 * when the caller asked for QUIESCE (qemuSnapshotTakeExternal). */
static int qemuSnapshotTakeExternalActive(qemuDriver *driver, virDomainObj *obj,
                                          virDomainSnapshotDef *def, unsigned int flags,
                                          bool *halted);

int
qemuSnapshotFSFreezeThaw(virDomainObj *obj, bool freeze)
{
    json_object *reply = NULL;
    int n = -1;

    if (qemuAgentCommand(obj, freeze ? "guest-fsfreeze-freeze" : "guest-fsfreeze-thaw",
                         NULL, qemuAgentTimeoutMs(qemuDomainPriv(obj)->agentTimeout),
                         &reply) < 0)
        return -1;
    if (json_object_is_type(reply, json_type_int))
        n = json_object_get_int(reply);
    else
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "malformed return value");
    json_object_put(reply);
    return n;
}

int
qemuSnapshotTakeExternal(qemuDriver *driver, virDomainObj *obj, virDomainSnapshotDef *def,
                         unsigned int flags, bool *halted)
{
    bool reuse = flags & VIR_DOMAIN_SNAPSHOT_CREATE_REUSE_EXT;
    bool thaw = false;
    int rc;

    if (!virDomainObjIsActive(obj)) {
        g_autofree bool *created = g_new0(bool, def->ndisks + 1);

        if (qemuSnapshotCreateOverlays(def, obj->def, NULL, reuse, created) < 0)
            return -1;
        if (qemuSnapshotCommitDefs(driver, obj, def) < 0)
            return -1;
        return 0;
    }

    /* as libvirt's qemuSnapshotCreateActiveExternal: QUIESCE freezes the
     * guest's filesystems through its agent first (its errors when there
     * is none), and thaws what it froze once the snapshot is taken or
     * failed; a failed thaw fails an otherwise good snapshot */
    if (flags & VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE) {
        int frozen = qemuSnapshotFSFreezeThaw(obj, true);

        if (frozen < 0)
            return -1;
        thaw = frozen > 0;
    }
    rc = qemuSnapshotTakeExternalActive(driver, obj, def, flags, halted);
    if (thaw && virDomainObjIsActive(obj)) {
        virErrorPtr saved = NULL;

        if (rc < 0)
            virErrorPreserveLast(&saved);
        if (qemuSnapshotFSFreezeThaw(obj, false) < 0 && rc == 0)
            rc = -1;
        if (saved)
            virErrorRestore(&saved);
    }
    return rc;
}

static int
qemuSnapshotTakeExternalActive(qemuDriver *driver, virDomainObj *obj,
                               virDomainSnapshotDef *def, unsigned int flags,
                               bool *halted)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    bool reuse = flags & VIR_DOMAIN_SNAPSHOT_CREATE_REUSE_EXT;
    bool memory = def->memory == VIR_DOMAIN_SNAPSHOT_LOCATION_EXTERNAL;
    bool wasRunning = obj->state == VIR_DOMAIN_RUNNING;
    bool paused = false;
    bool memoryWritten = false;
    int rc;

    /* libvirt pauses for a memory snapshot unless LIVE, and for HALT */
    if (wasRunning && ((memory && !(flags & VIR_DOMAIN_SNAPSHOT_CREATE_LIVE)) ||
                       (flags & VIR_DOMAIN_SNAPSHOT_CREATE_HALT))) {
        if (qemuSnapshotPause(obj, VIR_DOMAIN_PAUSED_SNAPSHOT) < 0)
            return -1;
        paused = true;
    } else if (wasRunning && memory) {
        /* LIVE: QEMU stops the vCPUs itself once the stream is complete */
        priv->pausedReason = VIR_DOMAIN_PAUSED_SNAPSHOT;
    }

    rc = 0;
    if (memory) {
        if ((rc = qemuSnapshotMemory(obj, def, wasRunning)) == 0)
            memoryWritten = true;
        if (wasRunning && virDomainObjIsActive(obj) && obj->state == VIR_DOMAIN_RUNNING)
            virDomainObjSetState(obj, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_SNAPSHOT);
        if (wasRunning)
            paused = true;
    }
    if (rc == 0 && (rc = qemuSnapshotDisksActive(driver, obj, def, reuse)) < 0 &&
        memoryWritten)
        unlink(def->memoryFile);
    if (rc == 0)
        rc = qemuSnapshotCommitDefs(driver, obj, def);

    if (rc == 0 && (flags & VIR_DOMAIN_SNAPSHOT_CREATE_HALT) &&
        virDomainObjIsActive(obj)) {
        qemuProcessStop(driver, obj, VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT);
        qemuDriverQueueLifecycle(driver, obj, VIR_DOMAIN_EVENT_STOPPED,
                                 VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT);
        *halted = true;
        return 0;
    }
    if (paused && virDomainObjIsActive(obj)) {
        virErrorPtr saved = NULL;

        virErrorPreserveLast(&saved);
        virDomainObjSetState(obj, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNPAUSED);
        priv->runningReason = VIR_DOMAIN_RUNNING_UNPAUSED;
        if (qemuProcessMonitorCommand(obj, "cont") < 0 && virDomainObjIsActive(obj)) {
            virDomainObjSetState(obj, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_SNAPSHOT);
            rc = -1;
        }
        if (saved)
            virErrorRestore(&saved);
    }
    return rc;
}

static bool
qemuSnapshotSameImage(const char *a, const char *b)
{
    g_autofree char *ra = NULL;
    g_autofree char *rb = NULL;

    if (!a || !b)
        return false;
    if (g_str_equal(a, b))
        return true;
    ra = realpath(a, NULL);
    rb = realpath(b, NULL);
    return ra && rb && g_str_equal(ra, rb);
}

/* The deletion of @def on a running domain, as libvirt 9.0
 * (qemuSnapshotDeleteExternalPrepare, qemuSnapshotDiscardExternal): every
 * disk is checked first (the overlay in the disk's chain, its backing the
 * image the snapshot's definition names), then each overlay is committed
 * into that image by a block job (qemuBlockJobCommitWait: an active
 * commit and a pivot when it is the disk's top) and removed. */
static int
qemuSnapshotDiscardExternalActive(qemuDriver *driver, virDomainObj *obj,
                                  virDomainSnapshotDef *def)
{
    if (qemuBlockJobAnyActive(obj)) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "cannot delete external snapshots when there is another active "
                       "block job");
        return -1;
    }
    for (size_t i = 0; i < def->ndisks; i++) {
        const virDomainSnapshotDiskDef *sd = &def->disks[i];
        const virDomainDiskDef *cur;
        const virDomainDiskDef *old;
        g_autoptr(GPtrArray) chain = NULL;
        const char *below = NULL;
        bool found;

        if (sd->snapshot != VIR_DOMAIN_SNAPSHOT_LOCATION_EXTERNAL)
            continue;
        if (!(cur = qemuSnapshotDomainDisk(obj->def, sd->name))) {
            virReportError(VIR_ERR_INVALID_ARG, "disk '%s' not found in domain",
                           sd->name);
            return -1;
        }
        if (!(old = def->dom ? qemuSnapshotDomainDisk(def->dom, sd->name) : NULL)) {
            virReportError(VIR_ERR_OPERATION_FAILED,
                           "failed to find disk '%s' in snapshot VM XML", sd->name);
            return -1;
        }
        chain = qemuSecurityBackingChain(cur->src, cur->format);
        found = qemuSnapshotSameImage(cur->src, sd->path);
        if (found)
            below = chain->len > 0 ? g_ptr_array_index(chain, 0) : NULL;
        for (guint j = 0; !found && j < chain->len; j++) {
            if ((found = qemuSnapshotSameImage(g_ptr_array_index(chain, j), sd->path)))
                below = j + 1 < chain->len ? g_ptr_array_index(chain, j + 1) : NULL;
        }
        if (!found) {
            virReportError(VIR_ERR_INVALID_ARG, "%s",
                           "could not find base disk source in disk source chain");
            return -1;
        }
        if (!below) {
            virReportError(VIR_ERR_OPERATION_FAILED, "%s",
                           "failed to find parent disk source in backing chain");
            return -1;
        }
        if (!qemuSnapshotSameImage(below, old->src)) {
            virReportError(VIR_ERR_OPERATION_FAILED, "%s",
                           "snapshot VM disk source and parent disk source are not the "
                           "same");
            return -1;
        }
    }
    for (size_t i = 0; i < def->ndisks; i++) {
        const virDomainSnapshotDiskDef *sd = &def->disks[i];
        const virDomainDiskDef *cur;
        g_autofree char *top = NULL;

        if (sd->snapshot != VIR_DOMAIN_SNAPSHOT_LOCATION_EXTERNAL)
            continue;
        /* the job names the image as the chain does */
        if (!(cur = qemuSnapshotDomainDisk(obj->def, sd->name)))
            continue; /* unplugged while a previous disk was committed */
        top = g_strdup(qemuSnapshotSameImage(cur->src, sd->path) ? cur->src : sd->path);
        if (qemuBlockJobCommitWait(driver, obj, sd->name, top) < 0)
            return -1;
    }
    return 0;
}

int
qemuSnapshotDiscardExternal(qemuDriver *driver, virDomainObj *obj,
                            virDomainSnapshotDef *def)
{
    virDomainDef *persistent = obj->newDef ? obj->newDef : obj->def;

    if (virDomainObjIsActive(obj))
        return qemuSnapshotDiscardExternalActive(driver, obj, def);
    /* every overlay must still be its disk's top, its backing the old image */
    for (size_t i = 0; i < def->ndisks; i++) {
        const virDomainSnapshotDiskDef *sd = &def->disks[i];
        const virDomainDiskDef *cur;
        const virDomainDiskDef *old;

        if (sd->snapshot != VIR_DOMAIN_SNAPSHOT_LOCATION_EXTERNAL)
            continue;
        cur = qemuSnapshotDomainDisk(persistent, sd->name);
        old = def->dom ? qemuSnapshotDomainDisk(def->dom, sd->name) : NULL;
        if (!cur || !old || !old->src || g_strcmp0(cur->src, sd->path) != 0) {
            virReportError(
                VIR_ERR_OPERATION_UNSUPPORTED,
                "snapshot image '%s' of disk '%s' is not the disk's top image; "
                "only the metadata can be deleted",
                sd->path ? sd->path : "", sd->name);
            return -1;
        }
    }
    for (size_t i = 0; i < def->ndisks; i++) {
        const virDomainSnapshotDiskDef *sd = &def->disks[i];
        virDomainDiskDef *cur;
        const virDomainDiskDef *old;

        if (sd->snapshot != VIR_DOMAIN_SNAPSHOT_LOCATION_EXTERNAL)
            continue;
        cur = qemuSnapshotDomainDisk(persistent, sd->name);
        old = qemuSnapshotDomainDisk(def->dom, sd->name);
        if (qemuSnapshotQemuImg((const char *const[]){ "commit", "-q", "-f", "qcow2",
                                                       sd->path, NULL }) < 0)
            return -1;
        g_free(cur->src);
        cur->src = g_strdup(old->src);
        cur->format = old->format;
        if (obj->persistent &&
            qemuDomainSaveConfig(driver, persistent,
                                 qemuDomainPriv(obj)->graceOverrideSec) < 0)
            return -1;
        if (unlink(sd->path) < 0)
            g_debug("cannot remove overlay '%s': %s", sd->path, g_strerror(errno));
    }
    return 0;
}
