/* qemu_backup.c: the QEMU driver's disk backups (virDomainBackupBegin, push mode) as a domain job */

/*
 * Threads: virDomainBackupBegin runs on an API thread inside the domain's
 * MODIFY job, the object unlocked while QEMU answers (qemuHotplugMonitor);
 * once QEMU's transaction started the copies it records the backup in
 * priv->backup and returns, the copies running in QEMU with no job held
 * (as libvirt's backup async job, which lets other jobs in). QEMU's
 * BLOCK_JOB_COMPLETED / _CANCELLED of each copy reach
 * qemuBackupHandleEvent on the monitor's I/O thread with the object
 * locked: it records the disk's outcome and never waits; the last one
 * queues qemuBackupFinishWorker, which takes a MODIFY job, dismisses
 * QEMU's jobs, removes the target nodes and the temporary bitmaps, a
 * failed or cancelled push's target files, then raises JOB_COMPLETED and
 * each disk's BLOCK_JOB / BLOCK_JOB_2 (libvirt's order) and clears
 * priv->backup. virDomainAbortJob asks QEMU to cancel the copies and
 * returns; the events end the backup. A domain that stops ends its backup
 * at once (qemuBackupProcessStopped, from qemuProcessStop).
 *
 * As libvirt 9.0's qemu_backup.c: each target is created (qemu-img; raw
 * or qcow2, qcow2 by default, the disk's virtual size; an incremental
 * qcow2 target names the disk's image as its backing file) unless
 * REUSE_EXTERNAL, opened as a libvirt-N-storage / libvirt-N-format node
 * pair (its N is the disk's index= in the backup's XML), then one QMP
 * transaction holds the new checkpoint's bitmaps, each incremental
 * disk's temporary bitmap "backup-<dev>" (the checkpoint's bitmaps of the
 * disk's chain merged) and a blockdev-backup per disk ("backup-<dev>-<disk
 * node>", sync full or incremental). Pull mode (an NBD export) is not
 * carried: OPERATION_UNSUPPORTED.
 *
 * The backup is not written to the status file: a daemon restart while
 * one runs loses it (QEMU finishes the copy; the job is not reported).
 */
#define G_LOG_DOMAIN "virtkit.qemu.backup"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "backup_conf.h"
#include "checkpoint_conf.h"
#include "domain_event.h"
#include "qemu_backup.h"
#include "qemu_blockjob.h"
#include "qemu_blockjob_priv.h"
#include "qemu_command.h"
#include "qemu_driver_priv.h"
#include "qemu_hotplug.h"
#include "qemu_monitor.h"
#include "qemu_security.h"
#include "qemu_snapshot.h"
#include "virerror.h"
#include "virtypedparamlist.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

/* One disk being backed up. */
typedef struct {
    char *job;         /* QEMU's job id; NULL: the disk is not backed up */
    char *diskNode;    /* the disk's top format node */
    char *storageNode; /* the target's nodes */
    char *formatNode;
    char *bitmap; /* the temporary bitmap on diskNode (incremental), or NULL */
    bool created; /* the target file was made here */
    unsigned long long cur, end;
} qemuBackupDisk;

struct _qemuBackup {
    virDomainBackupDef *def; /* aligned: def->disks[i] is disks[i] */
    qemuBackupDisk *disks;
    unsigned int flags; /* the API's */
    gint64 start;       /* g_get_real_time() */
    guint64 runId;
    char *errmsg;   /* QEMU's first error */
    bool finishing; /* the finish worker is queued */
};

static void
qemuBackupFree(qemuBackup *b)
{
    if (!b)
        return;
    for (size_t i = 0; b->def && i < b->def->ndisks; i++) {
        g_free(b->disks[i].job);
        g_free(b->disks[i].diskNode);
        g_free(b->disks[i].storageNode);
        g_free(b->disks[i].formatNode);
        g_free(b->disks[i].bitmap);
    }
    g_free(b->disks);
    virDomainBackupDefFree(b->def);
    g_free(b->errmsg);
    g_free(b);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(qemuBackup, qemuBackupFree);

/* The target paths in priv->writableImages (QEMU's user writes them) */
static void
qemuBackupWritable(virDomainObj *obj, const qemuBackup *b, bool add)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);

    for (size_t i = 0; i < b->def->ndisks; i++) {
        const char *path = b->def->disks[i].storePath;

        if (!b->disks[i].job || !path)
            continue;
        if (add) {
            if (!priv->writableImages)
                priv->writableImages = g_ptr_array_new_with_free_func(g_free);
            g_ptr_array_add(priv->writableImages, g_strdup(path));
        } else if (priv->writableImages) {
            for (guint j = 0; j < priv->writableImages->len; j++) {
                if (g_str_equal(g_ptr_array_index(priv->writableImages, j), path)) {
                    g_ptr_array_remove_index(priv->writableImages, j);
                    break;
                }
            }
        }
    }
}

/* Disk @i's target nodes go, and its target file with @removeFile.
 * Object locked, job held; quiet. */
static void
qemuBackupDropTarget(virDomainObj *obj, qemuBackup *b, size_t i, bool removeFile)
{
    qemuBackupDisk *d = &b->disks[i];
    const char *path = b->def->disks[i].storePath;

    bool qemu = virDomainObjIsActive(obj) && qemuDomainPriv(obj)->mon &&
                !qemuDomainPriv(obj)->stopping;

    if (d->formatNode && qemu)
        qemuHotplugBlockdevDel(obj, d->formatNode);
    if (d->storageNode && qemu)
        qemuHotplugBlockdevDel(obj, d->storageNode);
    g_clear_pointer(&d->formatNode, g_free);
    g_clear_pointer(&d->storageNode, g_free);
    if (removeFile && path && b->def->disks[i].storeType == VIR_DOMAIN_DISK_TYPE_FILE &&
        unlink(path) < 0 && errno != ENOENT)
        g_debug("cannot remove backup target '%s': %s", path, g_strerror(errno));
    d->created = false;
}

/* Checks, target file and (incremental) bitmap of disk @i, whose target
 * nodes take the N @next; appends the bitmap's actions to @actions.
 * Object locked, MODIFY job held. */
static int
qemuBackupPrepareDisk(virDomainObj *obj, qemuBackup *b, size_t i, int next,
                      json_object *actions)
{
    virDomainBackupDiskDef *bd = &b->def->disks[i];
    qemuBackupDisk *d = &b->disks[i];
    bool reuse = b->flags & VIR_DOMAIN_BACKUP_BEGIN_REUSE_EXTERNAL;
    bool incremental = bd->backupmode == VIR_DOMAIN_BACKUP_DISK_BACKUP_MODE_INCREMENTAL;
    virDomainDiskDef *dd = qemuSnapshotDomainDisk(obj->def, bd->name);
    unsigned long long size = 0;
    struct stat st;

    if (!dd) {
        virReportError(VIR_ERR_INVALID_ARG, "no disk named '%s'", bd->name);
        return -1;
    }
    if (qemuBlockJobOfDisk(obj, dd->dst) || dd->mirrorJob) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "disk '%s' has a blockjob assigned",
                       dd->dst);
        return -1;
    }
    if (bd->storeFormat == VIR_STORAGE_FORMAT_NONE)
        bd->storeFormat = VIR_STORAGE_FORMAT_QCOW2;
    if (incremental && !qemuCheckpointExists(obj, bd->incremental)) {
        virReportError(VIR_ERR_NO_DOMAIN_CHECKPOINT,
                       "Checkpoint '%s' for incremental backup of disk '%s' not found",
                       bd->incremental, bd->name);
        return -1;
    }
    if (qemuBlockJobDiskNode(obj, dd, &d->diskNode, &size) < 0)
        return -1;
    if (incremental) {
        d->bitmap = g_strdup_printf("backup-%s", dd->dst);
        if (qemuCheckpointBackupBitmap(obj, dd, bd->incremental, d->bitmap, actions) < 0)
            return -1;
    }
    d->storageNode = g_strdup_printf("libvirt-%d-storage", next);
    bd->storeIndex = (unsigned int)next;

    if (!reuse && bd->storeType == VIR_DOMAIN_DISK_TYPE_FILE) {
        g_autofree char *sz = g_strdup_printf("%llu", size);

        if (stat(bd->storePath, &st) == 0) {
            virReportError(VIR_ERR_INVALID_ARG, "store '%s' for backup of '%s' exists",
                           bd->storePath, dd->dst);
            g_clear_pointer(&d->storageNode, g_free);
            return -1;
        }
        if (incremental && bd->storeFormat == VIR_STORAGE_FORMAT_QCOW2) {
            /* as libvirt: the increment's backing file is the disk's image */
            if (qemuSnapshotQemuImg((const char *const[]){
                    "create", "-q", "-f", "qcow2", "-F",
                    dd->format == VIR_STORAGE_FORMAT_QCOW2 ? "qcow2" : "raw", "-b",
                    dd->src, "-u", bd->storePath, sz, NULL }) < 0) {
                g_clear_pointer(&d->storageNode, g_free);
                return -1;
            }
        } else if (qemuSnapshotQemuImg((const char *const[]){
                       "create", "-q", "-f",
                       bd->storeFormat == VIR_STORAGE_FORMAT_QCOW2 ? "qcow2" : "raw",
                       bd->storePath, sz, NULL }) < 0) {
            g_clear_pointer(&d->storageNode, g_free);
            return -1;
        }
        d->created = true;
    }
    d->job = g_strdup_printf("backup-%s-%s", dd->dst, d->diskNode);
    return 0;
}

/* blockdev-add of disk @i's target (its file handed to QEMU's user
 * before); its blockdev-backup appended to @actions. */
static int
qemuBackupAddTarget(virDomainObj *obj, qemuBackup *b, size_t i, json_object *actions)
{
    virDomainBackupDiskDef *bd = &b->def->disks[i];
    qemuBackupDisk *d = &b->disks[i];
    bool incremental = bd->backupmode == VIR_DOMAIN_BACKUP_DISK_BACKUP_MODE_INCREMENTAL;
    g_autoptr(json_object) file = json_object_new_object();
    g_autoptr(json_object) fmt = json_object_new_object();
    g_autofree char *formatNode = g_strdup_printf("libvirt-%u-format", bd->storeIndex);
    json_object *act = json_object_new_object();
    json_object *data = json_object_new_object();

    json_object_object_add(file, "driver",
                           json_object_new_string(qemuDiskStorageDriver(bd->storeType)));
    json_object_object_add(file, "filename", json_object_new_string(bd->storePath));
    json_object_object_add(file, "node-name", json_object_new_string(d->storageNode));
    json_object_object_add(file, "auto-read-only", json_object_new_boolean(1));
    json_object_object_add(file, "discard", json_object_new_string("unmap"));
    if (qemuHotplugMonitor(obj, "blockdev-add", file, NULL) < 0) {
        json_object_put(act);
        json_object_put(data);
        g_clear_pointer(&d->storageNode, g_free);
        return -1;
    }
    json_object_object_add(fmt, "node-name", json_object_new_string(formatNode));
    json_object_object_add(fmt, "read-only", json_object_new_boolean(0));
    json_object_object_add(
        fmt, "driver",
        json_object_new_string(bd->storeFormat == VIR_STORAGE_FORMAT_QCOW2 ? "qcow2"
                                                                           : "raw"));
    json_object_object_add(fmt, "file", json_object_new_string(d->storageNode));
    if (bd->storeFormat == VIR_STORAGE_FORMAT_QCOW2) {
        /* an increment reads through to the disk, a full copy stands alone */
        json_object_object_add(fmt, "backing",
                               incremental ? json_object_new_string(d->diskNode) : NULL);
    }
    if (qemuHotplugMonitor(obj, "blockdev-add", fmt, NULL) < 0) {
        json_object_put(act);
        json_object_put(data);
        return -1;
    }
    d->formatNode = g_steal_pointer(&formatNode);

    json_object_object_add(data, "job-id", json_object_new_string(d->job));
    json_object_object_add(data, "device", json_object_new_string(d->diskNode));
    json_object_object_add(data, "target", json_object_new_string(d->formatNode));
    json_object_object_add(data, "sync",
                           json_object_new_string(d->bitmap ? "incremental" : "full"));
    if (d->bitmap)
        json_object_object_add(data, "bitmap", json_object_new_string(d->bitmap));
    json_object_object_add(data, "auto-finalize", json_object_new_boolean(1));
    json_object_object_add(data, "auto-dismiss", json_object_new_boolean(0));
    json_object_object_add(act, "type", json_object_new_string("blockdev-backup"));
    json_object_object_add(act, "data", data);
    json_object_array_add(actions, act);
    return 0;
}

int
qemuDomainBackupBegin(virDomainPtr dom, const char *backupXML, const char *checkpointXML,
                      unsigned int flags)
{
    qemuDriver *driver = qemuDriverOf(dom->conn);
    g_autoptr(virDomainBackupDef) def = NULL;
    g_autoptr(virDomainCheckpointDef) cp = NULL;
    g_autoptr(qemuBackup) b = NULL;
    g_autoptr(json_object) targs = json_object_new_object();
    json_object *actions = json_object_new_array();
    g_autofree char *suffix = NULL;
    qemuDomainObjPrivate *priv;
    virDomainObj *obj;
    bool writable = false;
    size_t ndisks = 0;
    size_t i;
    int next;
    int ret = -1;

    json_object_object_add(targs, "actions", actions);
    virCheckFlags(VIR_DOMAIN_BACKUP_BEGIN_REUSE_EXTERNAL, -1);
    if (!(def = virDomainBackupDefParseString(backupXML)))
        return -1;
    if (checkpointXML) {
        /* the checkpoint's own errors come at its creation, as libvirt's */
        g_autoptr(virDomainCheckpointDef) probe =
            virDomainCheckpointDefParseString(checkpointXML, 0);

        if (!probe)
            return -1;
        suffix = g_strdup(probe->name);
    } else {
        suffix = g_strdup_printf("%lld", (long long)(g_get_real_time() / G_USEC_PER_SEC));
    }
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    priv = qemuDomainPriv(obj);
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    if (!virDomainObjIsActive(obj)) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "cannot perform disk backup for inactive domain");
        goto endjob;
    }
    if (virDomainBackupAlignDisks(def, obj->def, suffix) < 0)
        goto endjob;
    if (priv->backup) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "another backup job is already running");
        goto endjob;
    }
    if (def->type == VIR_DOMAIN_BACKUP_TYPE_PULL) {
        if (def->transport == VIR_DOMAIN_BACKUP_TRANSPORT_TCP && !def->port) {
            virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                           "<domainbackup> must specify TCP port for now");
            goto endjob;
        }
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "pull mode backup is not supported by virtkit");
        goto endjob;
    }
    if (checkpointXML &&
        qemuCheckpointBackupPrepare(obj, checkpointXML, &cp, actions) < 0)
        goto endjob;

    b = g_new0(qemuBackup, 1);
    b->def = g_steal_pointer(&def);
    b->disks = g_new0(qemuBackupDisk, MAX(b->def->ndisks, 1));
    b->flags = flags;
    if ((next = qemuHotplugNextNode(obj)) < 0)
        goto rollback;
    for (i = 0; i < b->def->ndisks; i++) {
        if (!b->def->disks[i].backup || !b->def->disks[i].hasStore)
            continue;
        if (qemuBackupPrepareDisk(obj, b, i, next++, actions) < 0)
            goto rollback;
        ndisks++;
    }
    if (ndisks == 0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s", "no disks selected for backup");
        goto rollback;
    }
    qemuBackupWritable(obj, b, true);
    writable = true;
    if (qemuSecurityUpdateDomain(driver, obj) < 0)
        goto rollback;
    for (i = 0; i < b->def->ndisks; i++) {
        if (b->disks[i].job && qemuBackupAddTarget(obj, b, i, actions) < 0)
            goto rollback;
    }
    /* recorded before QEMU starts the copies: a short one ends (its event
     * comes on the monitor's thread) before the transaction's reply */
    for (i = 0; i < b->def->ndisks; i++) {
        if (b->disks[i].job)
            b->def->disks[i].state = VIR_DOMAIN_BACKUP_DISK_STATE_RUNNING;
    }
    b->start = g_get_real_time();
    b->runId = priv->runId;
    priv->backup = b;
    if (qemuHotplugMonitor(obj, "transaction", targs, NULL) < 0) {
        if (priv->backup == b)
            priv->backup = NULL;
        for (i = 0; i < b->def->ndisks; i++)
            b->def->disks[i].state = VIR_DOMAIN_BACKUP_DISK_STATE_NONE;
        goto rollback;
    }
    g_debug("backup of '%s' started (%zu disks)", obj->def->name, ndisks);
    b = NULL; /* priv->backup's now */
    if (cp && qemuCheckpointBackupCommit(driver, obj, &cp) < 0)
        goto endjob; /* as libvirt: the backup runs on, its checkpoint is reported */
    ret = 0;
    goto endjob;

rollback:
    for (i = 0; i < b->def->ndisks; i++) {
        if (b->disks[i].job || b->disks[i].storageNode)
            qemuBackupDropTarget(obj, b, i, b->disks[i].created);
    }
    if (writable) {
        qemuBackupWritable(obj, b, false);
        if (virDomainObjIsActive(obj) && qemuSecurityUpdateDomain(driver, obj) < 0)
            virResetLastError(); /* the backup's own error is the one to see */
    }
endjob:
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

char *
qemuDomainBackupGetXMLDesc(virDomainPtr dom, unsigned int flags)
{
    virDomainObj *obj;
    qemuBackup *b;
    char *xml = NULL;

    virCheckFlags(0, NULL);
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return NULL;
    if (!(b = qemuDomainPriv(obj)->backup))
        virReportError(VIR_ERR_NO_DOMAIN_BACKUP, "%s", "no domain backup job present");
    else
        xml = virDomainBackupDefFormat(b->def);
    virDomainObjEndAPI(&obj);
    return xml;
}

/* ---- the end of a backup ---------------------------------------------------- */

/* virDomainJobType of the backup's outcome (libvirt's
 * qemuBackupNotifyBlockjobEnd): a failed disk fails it, else a cancelled
 * one cancels it. */
static int
qemuBackupOutcome(const qemuBackup *b)
{
    bool failed = false, cancelled = false;

    for (size_t i = 0; i < b->def->ndisks; i++) {
        failed |= b->def->disks[i].state == VIR_DOMAIN_BACKUP_DISK_STATE_FAILED;
        cancelled |= b->def->disks[i].state == VIR_DOMAIN_BACKUP_DISK_STATE_CANCELLED ||
                     b->def->disks[i].state == VIR_DOMAIN_BACKUP_DISK_STATE_CANCELLING ||
                     b->def->disks[i].state == VIR_DOMAIN_BACKUP_DISK_STATE_RUNNING;
    }
    return failed      ? VIR_DOMAIN_JOB_FAILED
           : cancelled ? VIR_DOMAIN_JOB_CANCELLED
                       : VIR_DOMAIN_JOB_COMPLETED;
}

/* The typed parameters of a backup job (libvirt's
 * qemuDomainBackupJobDataToParams): @type NONE while running. */
static void
qemuBackupParams(virTypedParamList *list, unsigned long long elapsedMs,
                 unsigned long long total, unsigned long long done, int type,
                 const char *errmsg)
{
    virTypedParamListAddInt(list, VIR_DOMAIN_JOB_OPERATION_BACKUP,
                            VIR_DOMAIN_JOB_OPERATION);
    virTypedParamListAddULLong(list, elapsedMs, VIR_DOMAIN_JOB_TIME_ELAPSED);
    if (total || done) {
        virTypedParamListAddULLong(list, total, VIR_DOMAIN_JOB_DISK_TOTAL);
        virTypedParamListAddULLong(list, done, VIR_DOMAIN_JOB_DISK_PROCESSED);
        virTypedParamListAddULLong(list, total - MIN(done, total),
                                   VIR_DOMAIN_JOB_DISK_REMAINING);
    }
    if (type != VIR_DOMAIN_JOB_NONE)
        virTypedParamListAddBoolean(list, type == VIR_DOMAIN_JOB_COMPLETED,
                                    VIR_DOMAIN_JOB_SUCCESS);
    if (errmsg)
        virTypedParamListAddString(list, errmsg, VIR_DOMAIN_JOB_ERRMSG);
}

/* Everything of @b goes: QEMU's jobs dismissed, the targets' nodes and
 * the temporary bitmaps removed (when QEMU still runs), the targets of a
 * push that did not complete deleted, the completed job recorded, then
 * JOB_COMPLETED and each disk's BLOCK_JOB / BLOCK_JOB_2. Object locked,
 * job held when QEMU runs; priv->backup is @b, cleared here. */
static void
qemuBackupTerminate(qemuDriver *driver, virDomainObj *obj, qemuBackup *b)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    int outcome = qemuBackupOutcome(b);
    /* QEMU still runs (not from qemuProcessStop) */
    bool active = virDomainObjIsActive(obj) && priv->mon && !priv->stopping;
    bool reuse = b->flags & VIR_DOMAIN_BACKUP_BEGIN_REUSE_EXTERNAL;
    unsigned long long total = 0, done = 0;
    unsigned long long elapsed =
        (unsigned long long)MAX(g_get_real_time() - b->start, 0) / 1000;
    g_autoptr(virTypedParamList) list = virTypedParamListNew();
    virTypedParameterPtr params = NULL;
    qemuDomainJobFigures *f;
    int nparams = 0;

    for (size_t i = 0; i < b->def->ndisks; i++) {
        qemuBackupDisk *d = &b->disks[i];

        if (!d->job)
            continue;
        total += d->end;
        done += d->cur;
        if (active) {
            g_autoptr(json_object) args = json_object_new_object();

            json_object_object_add(args, "id", json_object_new_string(d->job));
            if (qemuHotplugMonitor(obj, "job-dismiss", args, NULL) < 0)
                virResetLastError(); /* gone with QEMU's own end of it */
        }
        if (active && d->bitmap) {
            g_autoptr(json_object) args = json_object_new_object();

            json_object_object_add(args, "node", json_object_new_string(d->diskNode));
            json_object_object_add(args, "name", json_object_new_string(d->bitmap));
            if (qemuHotplugMonitor(obj, "block-dirty-bitmap-remove", args, NULL) < 0)
                virResetLastError();
        }
        qemuBackupDropTarget(obj, b, i, outcome != VIR_DOMAIN_JOB_COMPLETED && !reuse);
    }
    qemuBackupWritable(obj, b, false);
    if (active && qemuSecurityUpdateDomain(driver, obj) < 0) {
        g_debug("cannot give back the backup targets of '%s': %s", obj->def->name,
                virGetLastErrorMessage());
        virResetLastError();
    }

    if (!priv->jobFigures)
        priv->jobFigures = g_new0(qemuDomainJobFigures, 1);
    f = priv->jobFigures;
    priv->completedJob = true;
    f->completedJobOperation = VIR_DOMAIN_JOB_OPERATION_BACKUP;
    f->completedJobElapsedMs = elapsed;
    memset(&f->completedJobStats, 0, sizeof(f->completedJobStats));
    f->completedJobBackup = true;
    f->completedBackupTotal = total;
    f->completedBackupProcessed = done;
    f->completedJobStatus = outcome;
    g_free(f->completedJobErrmsg);
    f->completedJobErrmsg = g_strdup(b->errmsg);
    g_debug("backup of '%s' ended: job type %d, %llu of %llu bytes", obj->def->name,
            outcome, done, total);

    qemuBackupParams(list, elapsed, total, done, outcome, b->errmsg);
    virTypedParamListSteal(list, &params, &nparams);
    virObjectEventStateQueue(
        driver->events,
        virDomainEventJobCompletedNew(VIR_DOMAIN_EVENT_OBJ(obj), params, nparams));
    virTypedParamArrayFree(params, nparams);
    for (size_t i = 0; i < b->def->ndisks; i++) {
        const virDomainBackupDiskDef *bd = &b->def->disks[i];
        virDomainDiskDef *dd;
        int status;

        if (!b->disks[i].job || !(dd = qemuSnapshotDomainDisk(obj->def, bd->name)))
            continue;
        status = bd->state == VIR_DOMAIN_BACKUP_DISK_STATE_COMPLETE
                     ? VIR_DOMAIN_BLOCK_JOB_COMPLETED
                 : bd->state == VIR_DOMAIN_BACKUP_DISK_STATE_FAILED
                     ? VIR_DOMAIN_BLOCK_JOB_FAILED
                     : VIR_DOMAIN_BLOCK_JOB_CANCELED;
        if (dd->src)
            virObjectEventStateQueue(
                driver->events,
                virDomainEventBlockJobNew(VIR_DOMAIN_EVENT_ID_BLOCK_JOB,
                                          VIR_DOMAIN_EVENT_OBJ(obj), dd->src,
                                          VIR_DOMAIN_BLOCK_JOB_TYPE_BACKUP, status));
        virObjectEventStateQueue(
            driver->events,
            virDomainEventBlockJobNew(VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2,
                                      VIR_DOMAIN_EVENT_OBJ(obj), dd->dst,
                                      VIR_DOMAIN_BLOCK_JOB_TYPE_BACKUP, status));
    }
    if (priv->backup == b)
        priv->backup = NULL;
    qemuBackupFree(b);
}

typedef struct {
    virDomainObj *obj;
    qemuBackup *backup; /* identity only: compared with priv->backup */
} qemuBackupRef;

static void
qemuBackupRefFree(gpointer p)
{
    qemuBackupRef *ref = p;

    virDomainObjUnref(ref->obj);
    g_free(ref);
}

static void
qemuBackupFinishWorker(qemuDriver *driver, gpointer data)
{
    qemuBackupRef *ref = data;
    virDomainObj *obj = ref->obj;

    virDomainObjLock(obj);
    /* waits behind whatever job holds the domain, as long as it takes:
     * the backup must end */
    while (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0) {
        virResetLastError();
        if (qemuDomainPriv(obj)->backup != ref->backup) {
            virDomainObjUnlock(obj);
            return;
        }
    }
    if (qemuDomainPriv(obj)->backup == ref->backup)
        qemuBackupTerminate(driver, obj, ref->backup);
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
    virDomainObjUnlock(obj);
}

/* Cancel the copies still running (block-job-cancel, force). Object
 * locked; with @wait false the commands are queued and not waited for
 * (the I/O thread). */
static int
qemuBackupCancelJobs(virDomainObj *obj, qemuBackup *b, bool wait)
{
    qemuMonitor *mon = qemuDomainPriv(obj)->mon;
    int ret = 0;

    for (size_t i = 0; i < b->def->ndisks; i++) {
        g_autoptr(json_object) args = NULL;

        if (!b->disks[i].job ||
            b->def->disks[i].state != VIR_DOMAIN_BACKUP_DISK_STATE_RUNNING || !mon)
            continue;
        args = json_object_new_object();
        json_object_object_add(args, "device", json_object_new_string(b->disks[i].job));
        json_object_object_add(args, "force", json_object_new_boolean(1));
        if (wait) {
            if (qemuHotplugMonitor(obj, "block-job-cancel", args, NULL) < 0) {
                ret = -1;
                continue;
            }
        } else {
            qemuMonitorPendingFree(qemuMonitorSubmit(mon, "block-job-cancel", args));
        }
        b->def->disks[i].state = VIR_DOMAIN_BACKUP_DISK_STATE_CANCELLING;
        /* the monitor pointer may change while unlocked: re-read it */
        mon = qemuDomainPriv(obj)->mon;
    }
    return ret;
}

static void
qemuBackupCancelWorker(qemuDriver *driver, gpointer data)
{
    qemuBackupRef *ref = data;

    (void)driver;
    virDomainObjLock(ref->obj);
    if (qemuDomainPriv(ref->obj)->backup == ref->backup)
        qemuBackupCancelJobs(ref->obj, ref->backup, false);
    virDomainObjUnlock(ref->obj);
}

bool
qemuBackupHandleEvent(qemuDriver *driver, virDomainObj *obj, const char *name, int status,
                      const char *error, unsigned long long offset,
                      unsigned long long len)
{
    qemuBackup *b = qemuDomainPriv(obj)->backup;
    bool running = false, bad = false;
    size_t i;

    if (!b || !name)
        return false;
    for (i = 0; i < b->def->ndisks; i++) {
        if (g_strcmp0(b->disks[i].job, name) == 0)
            break;
    }
    if (i == b->def->ndisks)
        return false;
    b->disks[i].cur = offset;
    b->disks[i].end = len;
    if (error && !b->errmsg)
        b->errmsg = g_strdup(error);
    b->def->disks[i].state = status == VIR_DOMAIN_BLOCK_JOB_CANCELED
                                 ? VIR_DOMAIN_BACKUP_DISK_STATE_CANCELLED
                             : error ? VIR_DOMAIN_BACKUP_DISK_STATE_FAILED
                                     : VIR_DOMAIN_BACKUP_DISK_STATE_COMPLETE;
    for (size_t j = 0; j < b->def->ndisks; j++) {
        int st = b->def->disks[j].state;

        running |= st == VIR_DOMAIN_BACKUP_DISK_STATE_RUNNING ||
                   st == VIR_DOMAIN_BACKUP_DISK_STATE_CANCELLING;
        bad |= st == VIR_DOMAIN_BACKUP_DISK_STATE_FAILED ||
               st == VIR_DOMAIN_BACKUP_DISK_STATE_CANCELLED;
    }
    if (running && bad) {
        /* as libvirt: one disk failed or was cancelled, the others follow
         * (asked from a worker: not on the monitor's own thread) */
        qemuBackupRef *ref = g_new0(qemuBackupRef, 1);

        ref->obj = virDomainObjRef(obj);
        ref->backup = b;
        qemuDriverRunWorker(driver, qemuBackupCancelWorker, ref, qemuBackupRefFree);
    } else if (!running && !b->finishing) {
        qemuBackupRef *ref = g_new0(qemuBackupRef, 1);

        b->finishing = true;
        ref->obj = virDomainObjRef(obj);
        ref->backup = b;
        qemuDriverRunWorker(driver, qemuBackupFinishWorker, ref, qemuBackupRefFree);
    }
    return true;
}

int
qemuBackupAbort(virDomainObj *obj)
{
    qemuBackup *b = qemuDomainPriv(obj)->backup;

    g_debug("aborting the backup of '%s'", obj->def->name);
    return qemuBackupCancelJobs(obj, b, false);
}

void
qemuBackupProcessStopped(qemuDriver *driver, virDomainObj *obj)
{
    qemuBackup *b = qemuDomainPriv(obj)->backup;

    if (!b)
        return;
    for (size_t i = 0; i < b->def->ndisks; i++) {
        if (b->def->disks[i].state == VIR_DOMAIN_BACKUP_DISK_STATE_RUNNING ||
            b->def->disks[i].state == VIR_DOMAIN_BACKUP_DISK_STATE_CANCELLING)
            b->def->disks[i].state = VIR_DOMAIN_BACKUP_DISK_STATE_CANCELLED;
        /* QEMU took its nodes along */
        g_clear_pointer(&b->disks[i].formatNode, g_free);
        g_clear_pointer(&b->disks[i].storageNode, g_free);
    }
    qemuBackupTerminate(driver, obj, b);
}

int
qemuBackupJobStats(virDomainObj *obj, bool completed, virTypedParamList *list,
                   unsigned long long *dataTotal, unsigned long long *dataProcessed)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    unsigned long long total = 0, done = 0;
    qemuBackup *b = priv->backup;
    g_autoptr(json_object) jobs = NULL;

    if (completed) {
        const qemuDomainJobFigures *f = priv->jobFigures;

        qemuBackupParams(list, f->completedJobElapsedMs, f->completedBackupTotal,
                         f->completedBackupProcessed, f->completedJobStatus,
                         f->completedJobErrmsg);
        *dataTotal = f->completedBackupTotal;
        *dataProcessed = f->completedBackupProcessed;
        return f->completedJobStatus;
    }
    /* the copies' progress: QEMU's query-jobs, and what ended already */
    if (priv->mon && virDomainObjBeginJob(obj, VIR_JOB_QUERY, QEMU_JOB_WAIT_MS) == 0) {
        if (virDomainObjIsActive(obj) && priv->backup == b &&
            qemuHotplugMonitor(obj, "query-jobs", NULL, &jobs) < 0)
            virResetLastError();
        virDomainObjEndJob(obj, VIR_JOB_QUERY);
    } else {
        virResetLastError();
    }
    if (priv->backup != b || !b)
        return VIR_DOMAIN_JOB_NONE;
    for (size_t i = 0; i < b->def->ndisks; i++) {
        qemuBackupDisk *d = &b->disks[i];

        if (!d->job)
            continue;
        if (b->def->disks[i].state != VIR_DOMAIN_BACKUP_DISK_STATE_RUNNING) {
            total += d->end;
            done += d->cur;
            continue;
        }
        for (size_t j = 0; jobs && j < json_object_array_length(jobs); j++) {
            json_object *e = json_object_array_get_idx(jobs, j);
            json_object *m = NULL;

            if (!json_object_object_get_ex(e, "id", &m) ||
                g_strcmp0(json_object_get_string(m), d->job) != 0)
                continue;
            if (json_object_object_get_ex(e, "current-progress", &m))
                done += (unsigned long long)json_object_get_int64(m);
            if (json_object_object_get_ex(e, "total-progress", &m))
                total += (unsigned long long)json_object_get_int64(m);
        }
    }
    qemuBackupParams(list,
                     (unsigned long long)MAX(g_get_real_time() - b->start, 0) / 1000,
                     total, done, VIR_DOMAIN_JOB_NONE, NULL);
    *dataTotal = total;
    *dataProcessed = done;
    return VIR_DOMAIN_JOB_UNBOUNDED;
}
