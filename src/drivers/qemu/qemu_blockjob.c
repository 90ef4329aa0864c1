/* qemu_blockjob.c: block jobs of running guests (copy, commit, pull) over QEMU's -blockdev jobs */
/*
 * Threads: the entry points run on API threads inside the domain's MODIFY
 * job, the object unlocked while QEMU answers (qemuHotplugMonitor). QEMU's
 * BLOCK_JOB_* events reach qemuBlockJobHandleEvent on the monitor's I/O
 * thread with the object locked: it updates the job and the definitions,
 * queues libvirt's events and signals priv->blockjobCond; it never waits
 * on QEMU. A synchronous abort or pivot waits on that condition (object
 * lock released by the wait) with a deadline. Node clean-up after a pivot
 * or an abort (blockdev-del) is done by the API thread that asked for it.
 *
 * As libvirt 9.0's qemu_blockjob.c / qemu_driver.c on -blockdev: one job
 * per disk, named "<type>-<dev>-<top node>" (copy, commit, pull); a copy
 * is a blockdev-mirror into a new node pair (created with qemu-img unless
 * REUSE_EXT), an active commit and a copy reach READY and end with
 * job-complete (pivot) or block-job-cancel (abort); the live disk shows
 * <mirror> meanwhile, and the live and persistent definitions name the
 * new image after a pivot. Events: BLOCK_JOB (the disk's path) and
 * BLOCK_JOB_2 (its target) for READY and for the end (COMPLETED, FAILED,
 * CANCELED; an abort of a READY copy is CANCELED although QEMU calls it
 * completed).
 */
#define G_LOG_DOMAIN "virtkit.qemu.blockjob"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "checkpoint_obj.h"
#include "domain_event.h"
#include "qemu_blockjob.h"
#include "qemu_domain_storage.h"
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


static void
qemuBlockJobFree(gpointer p)
{
    qemuBlockJob *job = p;

    if (!job)
        return;
    g_free(job->disk);
    g_free(job->name);
    g_free(job->oldSrc);
    g_free(job->topNode);
    g_free(job->newSrc);
    g_free(job->mirrorStorage);
    g_free(job->mirrorFormatNode);
    g_free(job->commitTop);
    g_free(job->base);
    if (job->deleteFiles)
        g_ptr_array_unref(job->deleteFiles);
    g_free(job);
}

const char *
qemuBlockJobTypeName(int type)
{
    switch (type) {
    case VIR_DOMAIN_BLOCK_JOB_TYPE_PULL:
        return "pull";
    case VIR_DOMAIN_BLOCK_JOB_TYPE_COPY:
        return "copy";
    case VIR_DOMAIN_BLOCK_JOB_TYPE_COMMIT:
        return "commit";
    case VIR_DOMAIN_BLOCK_JOB_TYPE_ACTIVE_COMMIT:
        return "active-commit";
    default:
        return "none";
    }
}

GHashTable *
qemuBlockJobTable(virDomainObj *obj)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);

    if (!priv->blockjobs)
        priv->blockjobs =
            g_hash_table_new_full(g_str_hash, g_str_equal, g_free, qemuBlockJobFree);
    return priv->blockjobs;
}

/* The running job of disk @dst, or NULL; a concluded one is dropped. */
qemuBlockJob *
qemuBlockJobOfDisk(virDomainObj *obj, const char *dst)
{
    GHashTable *t = qemuBlockJobTable(obj);
    qemuBlockJob *job = g_hash_table_lookup(t, dst);

    if (job && (job->concluded || job->runId != qemuDomainPriv(obj)->runId)) {
        g_hash_table_remove(t, dst);
        return NULL;
    }
    return job;
}

qemuBlockJob *
qemuBlockJobByName(virDomainObj *obj, const char *name)
{
    GHashTableIter it;
    gpointer v;

    if (!name || !qemuDomainPriv(obj)->blockjobs)
        return NULL;
    g_hash_table_iter_init(&it, qemuDomainPriv(obj)->blockjobs);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        qemuBlockJob *job = v;

        if (g_str_equal(job->name, name) && !job->concluded)
            return job;
    }
    return NULL;
}

virDomainDiskDef *
qemuBlockJobDiskByTarget(virDomainDef *def, const char *dst)
{
    for (size_t i = 0; def && i < def->ndisks; i++)
        if (g_strcmp0(def->disks[i]->dst, dst) == 0)
            return def->disks[i];
    return NULL;
}

/* The disk named @path (target or source) of the running @obj, with
 * libvirt's errors. */
virDomainDiskDef *
qemuBlockJobFindDisk(virDomainObj *obj, const char *path)
{
    virDomainDiskDef *disk;

    if (qemuDomainObjCheckActive(obj) < 0)
        return NULL;
    if (!(disk = qemuHotplugFindDisk(obj->def, path, NULL))) {
        virReportError(VIR_ERR_INVALID_ARG, "disk '%s' not found in domain", path);
        return NULL;
    }
    return disk;
}

int
qemuBlockJobDiskNode(virDomainObj *obj, const virDomainDiskDef *disk, char **node,
                     unsigned long long *size)
{
    g_autoptr(json_object) block = NULL;
    g_autofree char *alias = qemuDiskAlias(obj->def, disk);
    g_autofree char *qdev = g_strdup_printf("/machine/peripheral/%s/", alias);
    size_t n;

    if (qemuHotplugMonitor(obj, "query-block", NULL, &block) < 0)
        return -1;
    n = json_object_is_type(block, json_type_array) ? json_object_array_length(block) : 0;
    for (size_t i = 0; i < n; i++) {
        json_object *b = json_object_array_get_idx(block, i);
        json_object *q = NULL, *ins = NULL, *nn = NULL, *img = NULL, *vs = NULL;
        const char *qs;

        if (!json_object_object_get_ex(b, "qdev", &q) ||
            !(qs = json_object_get_string(q)) ||
            (!g_str_equal(qs, alias) && !g_str_has_prefix(qs, qdev)))
            continue;
        if (!json_object_object_get_ex(b, "inserted", &ins) ||
            !json_object_object_get_ex(ins, "node-name", &nn))
            break;
        *node = g_strdup(json_object_get_string(nn));
        if (size) {
            *size = 0;
            if (json_object_object_get_ex(ins, "image", &img) &&
                json_object_object_get_ex(img, "virtual-size", &vs))
                *size = json_object_get_int64(vs);
        }
        return 0;
    }
    virReportError(VIR_ERR_INTERNAL_ERROR, "cannot find block node of disk '%s'",
                   disk->dst);
    return -1;
}

/* libvirt's bandwidth rule: MiB/s unless @bytes; at most LLONG_MAX bytes/s */
int
qemuBlockJobBandwidth(unsigned long long bandwidth, bool bytes, unsigned long long *out)
{
    if (!bytes) {
        if (bandwidth > (unsigned long long)(LLONG_MAX >> 20)) {
            virReportError(VIR_ERR_OVERFLOW, "bandwidth must be less than %llu",
                           (unsigned long long)(LLONG_MAX >> 20) + 1);
            return -1;
        }
        bandwidth <<= 20;
    } else if (bandwidth > LLONG_MAX) {
        virReportError(VIR_ERR_OVERFLOW, "bandwidth must be less than %llu",
                       (unsigned long long)LLONG_MAX + 1);
        return -1;
    }
    *out = bandwidth;
    return 0;
}

qemuBlockJob *
qemuBlockJobNew(virDomainObj *obj, virDomainDiskDef *disk, int type, const char *topNode)
{
    qemuBlockJob *job = g_new0(qemuBlockJob, 1);
    const char *prefix = type == VIR_DOMAIN_BLOCK_JOB_TYPE_PULL   ? "pull"
                         : type == VIR_DOMAIN_BLOCK_JOB_TYPE_COPY ? "copy"
                                                                  : "commit";

    job->disk = g_strdup(disk->dst);
    job->name = g_strdup_printf("%s-%s-%s", prefix, disk->dst, topNode);
    job->type = type;
    job->status = -1;
    job->oldSrc = g_strdup(disk->src);
    job->topNode = g_strdup(topNode);
    job->runId = qemuDomainPriv(obj)->runId;
    return job;
}

/* BLOCK_JOB with the disk's path, then BLOCK_JOB_2 with its target */
static void
qemuBlockJobEmit(qemuDriver *driver, virDomainObj *obj, virDomainDiskDef *disk, int type,
                 int status)
{
    virObjectEventStateQueue(driver->events,
                             virDomainEventBlockJobNew(
                                 VIR_DOMAIN_EVENT_ID_BLOCK_JOB, VIR_DOMAIN_EVENT_OBJ(obj),
                                 disk->src ? disk->src : "", type, status));
    virObjectEventStateQueue(driver->events,
                             virDomainEventBlockJobNew(VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2,
                                                       VIR_DOMAIN_EVENT_OBJ(obj),
                                                       disk->dst, type, status));
}

void
qemuBlockJobClearMirror(virDomainDiskDef *disk)
{
    disk->mirrorJob = 0;
    g_clear_pointer(&disk->mirrorSrc, g_free);
    disk->mirrorFormat = VIR_STORAGE_FORMAT_NONE;
    disk->mirrorReady = VIR_DOMAIN_DISK_MIRROR_STATE_NONE;
    disk->mirrorType = VIR_DOMAIN_DISK_TYPE_FILE;
}

/* FILE, or BLOCK for a host block device (as the definitions name them) */
int
qemuBlockJobPathType(const char *path)
{
    struct stat st;

    return path && stat(path, &st) == 0 && S_ISBLK(st.st_mode)
               ? VIR_DOMAIN_DISK_TYPE_BLOCK
               : VIR_DOMAIN_DISK_TYPE_FILE;
}

/* After a pivot: the disks of the live and persistent definitions use the
 * new image (the persistent one only where it still names the old one). */
static void
qemuBlockJobPivotDefs(qemuDriver *driver, virDomainObj *obj, qemuBlockJob *job,
                      virDomainDiskDef *disk)
{
    virDomainDiskDef *pdisk = qemuBlockJobDiskByTarget(obj->newDef, job->disk);

    g_free(disk->src);
    disk->src = g_strdup(job->newSrc);
    disk->format = job->newFormat;
    disk->type = job->newType;
    /* the live chain read at start described the old image */
    disk->srcIndex = 0;
    g_clear_pointer(&disk->backing, virDomainDiskBackingDefFree);
    if (pdisk && g_strcmp0(pdisk->src, job->oldSrc) == 0) {
        g_free(pdisk->src);
        pdisk->src = g_strdup(job->newSrc);
        pdisk->format = job->newFormat;
        pdisk->type = job->newType;
        if (obj->persistent &&
            qemuDomainSaveConfig(driver, obj->newDef,
                                 qemuDomainPriv(obj)->graceOverrideSec) < 0)
            g_debug("cannot save the definition of '%s' after a pivot", obj->def->name);
    }
}

static void qemuBlockJobCleanupWorker(qemuDriver *driver, gpointer data);
static void qemuBlockJobRefFree(gpointer p);
typedef struct {
    virDomainObj *obj;
    guint64 runId;
} qemuBlockJobRef;

bool
qemuBlockJobHandleEvent(qemuDriver *driver, virDomainObj *obj, const char *name,
                        int qemuStatus, bool failed)
{
    qemuBlockJob *job = qemuBlockJobByName(obj, name);
    virDomainDiskDef *disk;
    int status = qemuStatus;

    if (!job)
        return false;
    if (!(disk = qemuBlockJobDiskByTarget(obj->def, job->disk)))
        return false;
    if (qemuStatus == VIR_DOMAIN_BLOCK_JOB_READY) {
        job->ready = true;
        if (disk->mirrorJob)
            disk->mirrorReady = VIR_DOMAIN_DISK_MIRROR_STATE_READY;
        qemuBlockJobEmit(driver, obj, disk, job->type, VIR_DOMAIN_BLOCK_JOB_READY);
        qemuDomainSaveStatusLater(driver, obj);
        g_cond_broadcast(&qemuDomainPriv(obj)->blockjobCond);
        return true;
    }
    if (failed)
        status = VIR_DOMAIN_BLOCK_JOB_FAILED;
    else if (job->request == VIR_DOMAIN_DISK_MIRROR_STATE_ABORT)
        status = VIR_DOMAIN_BLOCK_JOB_CANCELED;
    else if (job->request == VIR_DOMAIN_DISK_MIRROR_STATE_PIVOT &&
             status == VIR_DOMAIN_BLOCK_JOB_COMPLETED)
        qemuBlockJobPivotDefs(driver, obj, job, disk);
    else if (job->type == VIR_DOMAIN_BLOCK_JOB_TYPE_COPY ||
             job->type == VIR_DOMAIN_BLOCK_JOB_TYPE_ACTIVE_COMMIT)
        status = status == VIR_DOMAIN_BLOCK_JOB_COMPLETED ? VIR_DOMAIN_BLOCK_JOB_CANCELED
                                                          : status;
    if (status == VIR_DOMAIN_BLOCK_JOB_COMPLETED && job->deleteFiles) {
        for (guint i = 0; i < job->deleteFiles->len; i++) {
            const char *f = g_ptr_array_index(job->deleteFiles, i);

            if (unlink(f) < 0)
                g_debug("cannot remove committed image '%s': %s", f, g_strerror(errno));
        }
    }
    qemuBlockJobClearMirror(disk);
    job->concluded = true;
    job->status = status;
    qemuBlockJobEmit(driver, obj, disk, job->type, status);
    qemuDomainSaveStatusLater(driver, obj);
    g_cond_broadcast(&qemuDomainPriv(obj)->blockjobCond);
    {
        qemuBlockJobRef *ref = g_new0(qemuBlockJobRef, 1);

        ref->obj = virDomainObjRef(obj);
        ref->runId = qemuDomainPriv(obj)->runId;
        qemuDriverRunWorker(driver, qemuBlockJobCleanupWorker, ref, qemuBlockJobRefFree);
    }
    return true;
}

/* ---- finalizing commit and pull ------------------------------------------ */

typedef struct {
    virDomainObj *obj;
    guint64 runId;
    char *name;
} qemuBlockJobNameRef;

static void
qemuBlockJobNameRefFree(gpointer p)
{
    qemuBlockJobNameRef *ref = p;

    virDomainObjUnref(ref->obj);
    g_free(ref->name);
    g_free(ref);
}

/* An inactive commit or a pull that QEMU holds before its graph change
 * (auto-finalize off): the checkpoints' bitmaps of the images it drops
 * are merged first, as libvirt 9.0 does once such a job has completed
 * (qemuBlockJobProcessEventCompletedCommitBitmaps / ...PullBitmaps: a
 * failed merge is logged, the job goes on), then block-job-finalize.
 * Object locked, MODIFY job held; the lock is dropped while QEMU
 * answers. */
void
qemuBlockJobFinalize(virDomainObj *obj, const char *name)
{
    qemuBlockJob *job = qemuBlockJobByName(obj, name);
    g_autoptr(json_object) args = json_object_new_object();
    g_autofree char *disk = NULL;
    g_autofree char *top = NULL;
    g_autofree char *stop = NULL;
    g_autofree char *target = NULL;

    if (!job || !job->pending || job->request)
        return;
    job->pending = false;
    disk = g_strdup(job->disk);
    if (job->type == VIR_DOMAIN_BLOCK_JOB_TYPE_COMMIT && job->commitTop && job->newSrc) {
        top = g_strdup(job->commitTop);
        stop = g_strdup(job->newSrc);
        target = g_strdup(job->newSrc);
    } else if (job->type == VIR_DOMAIN_BLOCK_JOB_TYPE_PULL) {
        top = g_strdup(job->topNode);
        stop = g_strdup(job->base);
        target = g_strdup(job->topNode);
    }
    g_debug("finalizing block job '%s' of '%s' (bitmaps: %s..%s into %s)", name,
            obj->def->name, top ? top : "-", stop ? stop : "-", target ? target : "-");
    if (top && qemuCheckpointMergeBitmaps(obj, top, stop, target) < 0) {
        VIR_NOTICE("the checkpoint bitmaps of disk '%s' of '%s' were not merged: %s",
                   disk, obj->def->name, virGetLastErrorMessage());
        virResetLastError(); /* tolerated, as libvirt does */
    }
    json_object_object_add(args, "id", json_object_new_string(name));
    if (virDomainObjIsActive(obj) &&
        qemuHotplugMonitor(obj, "block-job-finalize", args, NULL) < 0) {
        VIR_NOTICE("cannot finalize block job '%s' of '%s': %s", name, obj->def->name,
                   virGetLastErrorMessage());
        virResetLastError(); /* the job stays pending: an abort ends it */
    }
}

static void
qemuBlockJobFinalizeWorker(qemuDriver *driver, gpointer data)
{
    qemuBlockJobNameRef *ref = data;
    virDomainObj *obj = ref->obj;

    (void)driver;
    virDomainObjLock(obj);
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0) {
        VIR_NOTICE("block job '%s' of '%s' stays pending: %s", ref->name, obj->def->name,
                   virGetLastErrorMessage());
        virResetLastError();
        virDomainObjUnlock(obj);
        return;
    }
    if (virDomainObjIsActive(obj) && qemuDomainPriv(obj)->runId == ref->runId)
        qemuBlockJobFinalize(obj, ref->name);
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
    virDomainObjUnlock(obj);
}

void
qemuBlockJobQueueFinalize(qemuDriver *driver, virDomainObj *obj, qemuBlockJob *job)
{
    qemuBlockJobNameRef *ref = g_new0(qemuBlockJobNameRef, 1);

    job->pending = true;
    ref->obj = virDomainObjRef(obj);
    ref->runId = qemuDomainPriv(obj)->runId;
    ref->name = g_strdup(job->name);
    qemuDriverRunWorker(driver, qemuBlockJobFinalizeWorker, ref, qemuBlockJobNameRefFree);
    g_cond_broadcast(&qemuDomainPriv(obj)->blockjobCond);
}

bool
qemuBlockJobHandlePending(qemuDriver *driver, virDomainObj *obj, const char *name)
{
    qemuBlockJob *job = qemuBlockJobByName(obj, name);

    if (!job)
        return false;
    qemuBlockJobQueueFinalize(driver, obj, job);
    return true;
}

/* ---- starting jobs -------------------------------------------------------- */

/* blockdev-del of the nodes this driver added whose image no disk uses
 * any more (the old top after a pivot, images a commit or pull dropped
 * from a chain, an abandoned copy's destination): they would keep images
 * open and block later graph changes. Object locked, MODIFY job held;
 * quiet (a node still in use stays). */
void
qemuBlockJobDropStaleNodes(virDomainObj *obj)
{
    g_autoptr(GHashTable) used =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

    for (size_t i = 0; i < obj->def->ndisks; i++) {
        virDomainDiskDef *disk = obj->def->disks[i];
        g_autoptr(GPtrArray) chain = NULL;

        if (!disk->src)
            continue;
        g_hash_table_add(used, g_strdup(disk->src));
        chain = qemuSecurityBackingChain(disk->src, disk->format);
        for (guint j = 0; j < chain->len; j++)
            g_hash_table_add(used, g_strdup(g_ptr_array_index(chain, j)));
        if (disk->mirrorSrc)
            g_hash_table_add(used, g_strdup(disk->mirrorSrc));
    }
    for (int pass = 0; pass < 8; pass++) {
        g_autoptr(json_object) nodes = NULL;
        size_t n;
        bool dropped = false;

        if (qemuHotplugMonitor(obj, "query-named-block-nodes", NULL, &nodes) < 0) {
            virResetLastError();
            return;
        }
        n = json_object_is_type(nodes, json_type_array) ? json_object_array_length(nodes)
                                                        : 0;
        for (size_t i = 0; i < n; i++) {
            json_object *e = json_object_array_get_idx(nodes, i);
            json_object *nn = NULL, *file = NULL;
            const char *name;
            g_autofree char *storage = NULL;
            g_autoptr(json_object) args = NULL;

            if (!json_object_object_get_ex(e, "node-name", &nn) ||
                !json_object_object_get_ex(e, "file", &file) ||
                !(name = json_object_get_string(nn)) ||
                !g_str_has_prefix(name, "libvirt-") ||
                !g_str_has_suffix(name, "-format") ||
                g_str_has_prefix(name, "libvirt-pflash") ||
                g_hash_table_contains(used, json_object_get_string(file)))
                continue;
            args = json_object_new_object();
            json_object_object_add(args, "node-name", json_object_new_string(name));
            storage = g_strdup_printf("%.*sstorage",
                                      (int)(strlen(name) - strlen("format")), name);
            if (qemuHotplugMonitor(obj, "blockdev-del", args, NULL) < 0) {
                virResetLastError();
                continue;
            }
            dropped = true;
            qemuHotplugBlockdevDel(obj, storage);
            break; /* the list changed */
        }
        if (!dropped)
            return;
    }
}

static void
qemuBlockJobRefFree(gpointer p)
{
    qemuBlockJobRef *ref = p;

    virDomainObjUnref(ref->obj);
    g_free(ref);
}

static void
qemuBlockJobCleanupWorker(qemuDriver *driver, gpointer data)
{
    qemuBlockJobRef *ref = data;
    virDomainObj *obj = ref->obj;

    (void)driver;
    virDomainObjLock(obj);
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0) {
        virResetLastError();
        virDomainObjUnlock(obj);
        return;
    }
    if (virDomainObjIsActive(obj) && qemuDomainPriv(obj)->runId == ref->runId)
        qemuBlockJobDropStaleNodes(obj);
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
    virDomainObjUnlock(obj);
}


bool
qemuBlockJobAnyActive(virDomainObj *obj)
{
    for (size_t i = 0; i < obj->def->ndisks; i++)
        if (qemuBlockJobOfDisk(obj, obj->def->disks[i]->dst) ||
            obj->def->disks[i]->mirrorJob)
            return true;
    return false;
}

/* Refuses a second job on @disk (libvirt's qemuDomainDiskBlockJobIsActive). */
static int
qemuBlockJobCheckNone(virDomainObj *obj, virDomainDiskDef *disk)
{
    if (qemuBlockJobOfDisk(obj, disk->dst) || disk->mirrorJob) {
        virReportError(VIR_ERR_BLOCK_COPY_ACTIVE, "disk '%s' already in active block job",
                       disk->dst);
        return -1;
    }
    /* the jobs follow the chain the images' headers name; one the
     * definition spells out is not rewritten by them: refused */
    if (qemuDiskHasGivenChain(disk)) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "block jobs on disk '%s' with a given backing chain are not "
                       "supported by virtkit",
                       disk->dst);
        return -1;
    }
    qemuBlockJobDropStaleNodes(obj);
    return 0;
}

static int
qemuBlockJobStart(virDomainObj *obj, qemuBlockJob *job, const char *cmd,
                  json_object *args)
{
    g_hash_table_replace(qemuBlockJobTable(obj), g_strdup(job->disk), job);
    if (qemuHotplugMonitor(obj, cmd, args, NULL) < 0) {
        if (qemuDomainPriv(obj)->blockjobs)
            g_hash_table_remove(qemuDomainPriv(obj)->blockjobs, job->disk);
        return -1;
    }
    return 0;
}

int
qemuBlockJobProbeFormat(const char *path)
{
    unsigned char magic[4] = { 0 };
    FILE *f = fopen(path, "rb");
    size_t n = 0;

    if (f) {
        n = fread(magic, 1, sizeof(magic), f);
        fclose(f);
    }
    if (n == 4 && memcmp(magic, "QFI\xfb", 4) == 0)
        return VIR_STORAGE_FORMAT_QCOW2;
    return VIR_STORAGE_FORMAT_RAW;
}

/* The common body of virDomainBlockCopy and BlockRebase(COPY). Object
 * locked, MODIFY job held. */
static int
qemuBlockJobCopy(qemuDriver *driver, virDomainObj *obj, const char *path,
                 const virDomainBlockCopyDest *dest, unsigned long long bandwidth,
                 unsigned int granularity, unsigned long long bufSize, unsigned int flags)
{
    bool shallow = flags & VIR_DOMAIN_BLOCK_COPY_SHALLOW;
    bool reuse = flags & VIR_DOMAIN_BLOCK_COPY_REUSE_EXT;
    virDomainDiskDef *disk;
    g_autofree char *top = NULL;
    unsigned long long size = 0;
    g_autoptr(GPtrArray) chain = NULL;
    g_autoptr(json_object) file = NULL;
    g_autoptr(json_object) fmt = NULL;
    g_autoptr(json_object) args = NULL;
    qemuBlockJob *job;
    int format = dest->format;
    bool created = false;
    struct stat st;
    int next;

    if (!(disk = qemuBlockJobFindDisk(obj, path)) || qemuBlockJobCheckNone(obj, disk) < 0)
        return -1;
    /* libvirt 9.0: a copy cannot survive a restart of a persistent
     * domain's QEMU (a managed save of it), so only a transient job */
    if (!(flags & VIR_DOMAIN_BLOCK_COPY_TRANSIENT_JOB) && obj->persistent) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "domain is not transient");
        return -1;
    }
    if (!disk->src) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s", "cannot copy an empty disk");
        return -1;
    }
    /* libvirt 9.0's checks of the destination, in its order */
    if (stat(dest->path, &st) < 0) {
        if (errno != ENOENT) {
            virReportSystemError(errno, "unable to stat for disk %s: %s", disk->dst,
                                 dest->path);
            return -1;
        }
        if (reuse || dest->block) {
            virReportSystemError(errno, "missing destination file for disk %s: %s",
                                 disk->dst, dest->path);
            return -1;
        }
    } else if (!S_ISBLK(st.st_mode)) {
        if (st.st_size > 0 && !reuse) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "external destination file for disk %s already exists and is "
                           "not a block device: %s",
                           disk->dst, dest->path);
            return -1;
        }
        if (dest->block) {
            virReportError(VIR_ERR_INVALID_ARG,
                           "blockdev flag requested for disk %s, but file '%s' is not a "
                           "block device",
                           disk->dst, dest->path);
            return -1;
        }
    }
    if (format == VIR_STORAGE_FORMAT_NONE)
        format = reuse ? qemuBlockJobProbeFormat(dest->path) : disk->format;
    if (format == VIR_STORAGE_FORMAT_NONE)
        format = VIR_STORAGE_FORMAT_RAW;
    chain = qemuSecurityBackingChain(disk->src, disk->format);
    if (shallow && chain->len == 0)
        shallow = false; /* nothing below the top: a full copy */
    if (shallow && format != VIR_STORAGE_FORMAT_QCOW2) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "shallow copy needs a destination format with a backing file");
        return -1;
    }
    if (qemuBlockJobDiskNode(obj, disk, &top, &size) < 0)
        return -1;
    if (!reuse && dest->block && format != VIR_STORAGE_FORMAT_QCOW2) {
        /* a raw copy onto a block device: the device as it is */
    } else if (!reuse) {
        g_autofree char *sz = g_strdup_printf("%llu", size);
        const char *fmtName = format == VIR_STORAGE_FORMAT_QCOW2 ? "qcow2" : "raw";
        const char *backFmt = NULL;

        if (shallow) {
            g_autoptr(GPtrArray) below = qemuSecurityBackingChain(
                g_ptr_array_index(chain, 0),
                qemuBlockJobProbeFormat(g_ptr_array_index(chain, 0)));

            (void)below;
            backFmt = qemuBlockJobProbeFormat(g_ptr_array_index(chain, 0)) ==
                              VIR_STORAGE_FORMAT_QCOW2
                          ? "qcow2"
                          : "raw";
            if (qemuSnapshotQemuImg((const char *const[]){
                    "create", "-q", "-f", "qcow2", "-F", backFmt, "-b",
                    g_ptr_array_index(chain, 0), "-u", dest->path, sz, NULL }) < 0)
                return -1;
        } else if (qemuSnapshotQemuImg((const char *const[]){
                       "create", "-q", "-f", fmtName, dest->path, sz, NULL }) < 0) {
            return -1;
        }
        /* a device formatted is not removed on failure, a file made is */
        created = !dest->block;
    }

    /* the destination to QEMU's user, as the live definition names it */
    disk->mirrorJob = VIR_DOMAIN_BLOCK_JOB_TYPE_COPY;
    disk->mirrorSrc = g_strdup(dest->path);
    disk->mirrorFormat = format;
    disk->mirrorReady = VIR_DOMAIN_DISK_MIRROR_STATE_NONE;
    disk->mirrorType =
        dest->block ? VIR_DOMAIN_DISK_TYPE_BLOCK : VIR_DOMAIN_DISK_TYPE_FILE;
    if (qemuSecurityPrepareDomain(driver, obj) < 0 ||
        (next = qemuHotplugNextNode(obj)) < 0)
        goto error;

    job = qemuBlockJobNew(obj, disk, VIR_DOMAIN_BLOCK_JOB_TYPE_COPY, top);
    job->newSrc = g_strdup(dest->path);
    job->newFormat = format;
    job->newType = disk->mirrorType;
    job->shallow = shallow;
    job->mirrorStorage = g_strdup_printf("libvirt-%d-storage", next);
    job->mirrorFormatNode = g_strdup_printf("libvirt-%d-format", next);
    g_hash_table_replace(qemuBlockJobTable(obj), g_strdup(job->disk), job);

    file = json_object_new_object();
    json_object_object_add(file, "driver",
                           json_object_new_string(qemuDiskStorageDriver(job->newType)));
    json_object_object_add(file, "filename", json_object_new_string(dest->path));
    json_object_object_add(file, "node-name", json_object_new_string(job->mirrorStorage));
    json_object_object_add(file, "auto-read-only", json_object_new_boolean(1));
    json_object_object_add(file, "discard", json_object_new_string("unmap"));
    if (qemuHotplugMonitor(obj, "blockdev-add", file, NULL) < 0)
        goto error_job;
    fmt = json_object_new_object();
    json_object_object_add(fmt, "node-name",
                           json_object_new_string(job->mirrorFormatNode));
    json_object_object_add(fmt, "read-only", json_object_new_boolean(0));
    json_object_object_add(
        fmt, "driver",
        json_object_new_string(format == VIR_STORAGE_FORMAT_QCOW2 ? "qcow2" : "raw"));
    json_object_object_add(fmt, "file", json_object_new_string(job->mirrorStorage));
    if (!shallow && format == VIR_STORAGE_FORMAT_QCOW2)
        json_object_object_add(fmt, "backing", NULL);
    if (qemuHotplugMonitor(obj, "blockdev-add", fmt, NULL) < 0) {
        qemuHotplugBlockdevDel(obj, job->mirrorStorage);
        goto error_job;
    }

    args = json_object_new_object();
    json_object_object_add(args, "job-id", json_object_new_string(job->name));
    json_object_object_add(args, "device", json_object_new_string(top));
    json_object_object_add(args, "target", json_object_new_string(job->mirrorFormatNode));
    json_object_object_add(args, "sync",
                           json_object_new_string(shallow ? "top" : "full"));
    if (bandwidth)
        json_object_object_add(args, "speed", json_object_new_int64((int64_t)bandwidth));
    if (granularity)
        json_object_object_add(args, "granularity", json_object_new_int64(granularity));
    if (bufSize)
        json_object_object_add(args, "buf-size", json_object_new_int64((int64_t)bufSize));
    if (flags & VIR_DOMAIN_BLOCK_COPY_SYNCHRONOUS_WRITES)
        json_object_object_add(args, "copy-mode",
                               json_object_new_string("write-blocking"));
    if (qemuHotplugMonitor(obj, "blockdev-mirror", args, NULL) < 0) {
        qemuHotplugBlockdevDel(obj, job->mirrorFormatNode);
        qemuHotplugBlockdevDel(obj, job->mirrorStorage);
        goto error_job;
    }
    qemuDomainSaveStatus(driver, obj);
    return 0;

error_job:
    if (qemuDomainPriv(obj)->blockjobs)
        g_hash_table_remove(qemuDomainPriv(obj)->blockjobs, disk->dst);
error:
    qemuBlockJobClearMirror(disk);
    if (created && unlink(dest->path) < 0)
        g_debug("cannot remove '%s': %s", dest->path, g_strerror(errno));
    return -1;
}

int
qemuDomainBlockCopy(virDomainPtr dom, const char *path, const char *destxml,
                    virTypedParameterPtr params, int nparams, unsigned int flags)
{
    static const char *const names[] = { VIR_DOMAIN_BLOCK_COPY_BANDWIDTH,
                                         VIR_DOMAIN_BLOCK_COPY_GRANULARITY,
                                         VIR_DOMAIN_BLOCK_COPY_BUF_SIZE, NULL };
    static const int types[] = { VIR_TYPED_PARAM_ULLONG, VIR_TYPED_PARAM_UINT,
                                 VIR_TYPED_PARAM_ULLONG };
    qemuDriver *driver = qemuDriverOf(dom->conn);
    g_autoptr(virDomainBlockCopyDest) dest = NULL;
    unsigned long long bandwidth = 0;
    unsigned int granularity = 0;
    unsigned long long bufSize = 0;
    virDomainObj *obj;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_BLOCK_COPY_SHALLOW | VIR_DOMAIN_BLOCK_COPY_REUSE_EXT |
                      VIR_DOMAIN_BLOCK_COPY_TRANSIENT_JOB |
                      VIR_DOMAIN_BLOCK_COPY_SYNCHRONOUS_WRITES,
                  -1);
    if (virTypedParamsCheck(params, nparams, names, types) < 0)
        return -1;
    for (int i = 0; i < nparams; i++) {
        if (g_str_equal(params[i].field, VIR_DOMAIN_BLOCK_COPY_BANDWIDTH)) {
            if (params[i].value.ul > LLONG_MAX) {
                virReportError(VIR_ERR_OVERFLOW, "bandwidth must be less than '%llu'",
                               (unsigned long long)LLONG_MAX);
                return -1;
            }
            bandwidth = params[i].value.ul;
        } else if (g_str_equal(params[i].field, VIR_DOMAIN_BLOCK_COPY_GRANULARITY)) {
            granularity = params[i].value.ui;
            if (granularity & (granularity - 1) || granularity < 512 ||
                granularity > 64 * 1024 * 1024) {
                virReportError(VIR_ERR_INVALID_ARG, "%s",
                               "granularity must be power of 2 between 512 and 64 MiB");
                return -1;
            }
        } else if (g_str_equal(params[i].field, VIR_DOMAIN_BLOCK_COPY_BUF_SIZE)) {
            bufSize = params[i].value.ul;
            if (bufSize > LLONG_MAX) {
                virReportError(VIR_ERR_OVERFLOW, "buf-size must be less than '%llu'",
                               (unsigned long long)LLONG_MAX);
                return -1;
            }
        }
    }
    if (!(dest = virDomainBlockCopyDestParse(destxml)))
        return -1;
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    ret =
        qemuBlockJobCopy(driver, obj, path, dest, bandwidth, granularity, bufSize, flags);
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

/* The image of @disk's chain named @name (the top's own name, or one of
 * its backing files by path); its index (0: the top) in *idx. */
static bool
qemuBlockJobChainFind(virDomainDiskDef *disk, GPtrArray *chain, const char *name,
                      guint *idx)
{
    g_autofree char *real = realpath(name, NULL);

    if (g_str_equal(name, disk->src) || g_str_equal(name, disk->dst)) {
        *idx = 0;
        return true;
    }
    for (guint i = 0; i < chain->len; i++) {
        const char *c = g_ptr_array_index(chain, i);
        g_autofree char *rc = realpath(c, NULL);

        if (g_str_equal(c, name) || (real && rc && g_str_equal(real, rc))) {
            *idx = i + 1;
            return true;
        }
    }
    return false;
}

const char *
qemuBlockJobChainAt(virDomainDiskDef *disk, GPtrArray *chain, guint idx)
{
    return idx == 0 ? disk->src : g_ptr_array_index(chain, idx - 1);
}

/* A pull of the chain above @base (NULL: all of it) into the top. */
static int
qemuBlockJobPull(virDomainObj *obj, const char *path, const char *base,
                 unsigned long long bandwidth)
{
    virDomainDiskDef *disk;
    g_autofree char *top = NULL;
    g_autoptr(GPtrArray) chain = NULL;
    g_autoptr(json_object) args = NULL;
    qemuBlockJob *job;
    guint baseIdx = 0;

    if (!(disk = qemuBlockJobFindDisk(obj, path)) || qemuBlockJobCheckNone(obj, disk) < 0)
        return -1;
    if (!disk->src) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s", "cannot pull an empty disk");
        return -1;
    }
    chain = qemuSecurityBackingChain(disk->src, disk->format);
    if (base && (!qemuBlockJobChainFind(disk, chain, base, &baseIdx) || baseIdx == 0)) {
        virReportError(VIR_ERR_INVALID_ARG,
                       "could not find image '%s' beneath '%s' in chain", base,
                       disk->src);
        return -1;
    }
    if (qemuBlockJobDiskNode(obj, disk, &top, NULL) < 0)
        return -1;
    job = qemuBlockJobNew(obj, disk, VIR_DOMAIN_BLOCK_JOB_TYPE_PULL, top);
    /* the range in the name, for a restarted daemon (qemuBlockJobReconnect) */
    g_free(job->name);
    job->name = g_strdup_printf("pull-%s-%s.%u", disk->dst, top, base ? baseIdx : 0);
    if (base)
        job->base = g_strdup(qemuBlockJobChainAt(disk, chain, baseIdx));
    args = json_object_new_object();
    json_object_object_add(args, "job-id", json_object_new_string(job->name));
    json_object_object_add(args, "device", json_object_new_string(top));
    if (base)
        json_object_object_add(args, "base", json_object_new_string(job->base));
    /* the checkpoints' bitmaps are merged before the graph changes */
    json_object_object_add(args, "auto-finalize", json_object_new_boolean(0));
    if (bandwidth)
        json_object_object_add(args, "speed", json_object_new_int64((int64_t)bandwidth));
    return qemuBlockJobStart(obj, job, "block-stream", args);
}

int
qemuDomainBlockRebase(virDomainPtr dom, const char *path, const char *base,
                      unsigned long bandwidth, unsigned int flags)
{
    qemuDriver *driver = qemuDriverOf(dom->conn);
    virDomainObj *obj;
    unsigned long long speed = 0;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_BLOCK_REBASE_SHALLOW | VIR_DOMAIN_BLOCK_REBASE_REUSE_EXT |
                      VIR_DOMAIN_BLOCK_REBASE_COPY_RAW | VIR_DOMAIN_BLOCK_REBASE_COPY |
                      VIR_DOMAIN_BLOCK_REBASE_RELATIVE |
                      VIR_DOMAIN_BLOCK_REBASE_COPY_DEV |
                      VIR_DOMAIN_BLOCK_REBASE_BANDWIDTH_BYTES,
                  -1);
    if (qemuBlockJobBandwidth(bandwidth, flags & VIR_DOMAIN_BLOCK_REBASE_BANDWIDTH_BYTES,
                              &speed) < 0)
        return -1;
    if ((flags & VIR_DOMAIN_BLOCK_REBASE_RELATIVE) &&
        !(flags & VIR_DOMAIN_BLOCK_REBASE_COPY) && !base) {
        virReportError(
            VIR_ERR_INVALID_ARG, "%s",
            "flag VIR_DOMAIN_BLOCK_REBASE_RELATIVE is valid only with non-null "
            "base");
        return -1;
    }
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    if (flags & VIR_DOMAIN_BLOCK_REBASE_COPY) {
        virDomainBlockCopyDest dest = {
            .block = flags & VIR_DOMAIN_BLOCK_REBASE_COPY_DEV,
            .path = (char *)base,
            .format = (flags & VIR_DOMAIN_BLOCK_REBASE_COPY_RAW)
                          ? VIR_STORAGE_FORMAT_RAW
                          : VIR_STORAGE_FORMAT_NONE,
        };
        unsigned int copyFlags = 0;

        if (flags & VIR_DOMAIN_BLOCK_REBASE_SHALLOW)
            copyFlags |= VIR_DOMAIN_BLOCK_COPY_SHALLOW;
        if (flags & VIR_DOMAIN_BLOCK_REBASE_REUSE_EXT)
            copyFlags |= VIR_DOMAIN_BLOCK_COPY_REUSE_EXT;
        ret = qemuBlockJobCopy(driver, obj, path, &dest, speed, 0, 0, copyFlags);
    } else {
        ret = qemuBlockJobPull(obj, path, base, speed);
    }
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

int
qemuDomainBlockPull(virDomainPtr dom, const char *path, unsigned long bandwidth,
                    unsigned int flags)
{
    virCheckFlags(VIR_DOMAIN_BLOCK_PULL_BANDWIDTH_BYTES, -1);
    return qemuDomainBlockRebase(dom, path, NULL, bandwidth, flags);
}

/* The body of virDomainBlockCommit; the new job's name in *@name when
 * @name. Object locked, MODIFY job held. */
int
qemuBlockJobCommit(qemuDriver *driver, virDomainObj *obj, const char *path,
                   const char *base, const char *top, unsigned long long speed,
                   unsigned int flags, char **name)
{
    virDomainDiskDef *disk;
    g_autoptr(GPtrArray) chain = NULL;
    g_autoptr(json_object) args = NULL;
    g_autofree char *topNode = NULL;
    guint topIdx = 0;
    guint baseIdx;
    qemuBlockJob *job;
    bool active;

    if (!(disk = qemuBlockJobFindDisk(obj, path)) || qemuBlockJobCheckNone(obj, disk) < 0)
        return -1;
    if (!disk->src) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "cannot commit an empty disk");
        return -1;
    }
    chain = qemuSecurityBackingChain(disk->src, disk->format);
    if (top && !qemuBlockJobChainFind(disk, chain, top, &topIdx)) {
        virReportError(VIR_ERR_INVALID_ARG, "could not find image '%s' in chain for '%s'",
                       top, disk->src);
        return -1;
    }
    if (topIdx >= chain->len) {
        virReportError(VIR_ERR_INVALID_ARG,
                       "top '%s' in chain for '%s' has no backing file",
                       qemuBlockJobChainAt(disk, chain, topIdx), path);
        return -1;
    }
    active = topIdx == 0;
    if (active && !(flags & VIR_DOMAIN_BLOCK_COMMIT_ACTIVE)) {
        virReportError(VIR_ERR_INVALID_ARG,
                       "commit of '%s' active layer requires active flag", disk->dst);
        return -1;
    }
    if (!active && (flags & VIR_DOMAIN_BLOCK_COMMIT_ACTIVE)) {
        virReportError(VIR_ERR_INVALID_ARG,
                       "active commit requested but '%s' is not active",
                       qemuBlockJobChainAt(disk, chain, topIdx));
        return -1;
    }
    if (flags & VIR_DOMAIN_BLOCK_COMMIT_SHALLOW) {
        baseIdx = topIdx + 1;
        if (base) {
            guint given;

            if (!qemuBlockJobChainFind(disk, chain, base, &given) || given != baseIdx) {
                virReportError(
                    VIR_ERR_INVALID_ARG,
                    "base '%s' is not immediately below '%s' in chain for '%s'", base,
                    qemuBlockJobChainAt(disk, chain, topIdx), disk->dst);
                return -1;
            }
        }
    } else if (base) {
        if (!qemuBlockJobChainFind(disk, chain, base, &baseIdx) || baseIdx <= topIdx) {
            virReportError(VIR_ERR_INVALID_ARG,
                           "could not find base image in chain for '%s'", disk->dst);
            return -1;
        }
    } else {
        baseIdx = chain->len; /* the bottom */
    }
    if (qemuBlockJobDiskNode(obj, disk, &topNode, NULL) < 0)
        return -1;

    job = qemuBlockJobNew(obj, disk,
                          active ? VIR_DOMAIN_BLOCK_JOB_TYPE_ACTIVE_COMMIT
                                 : VIR_DOMAIN_BLOCK_JOB_TYPE_COMMIT,
                          topNode);
    job->newSrc = g_strdup(qemuBlockJobChainAt(disk, chain, baseIdx));
    job->newFormat = qemuBlockJobProbeFormat(job->newSrc);
    job->newType = qemuBlockJobPathType(job->newSrc);
    if (!active) {
        /* the range in the name, for a restarted daemon */
        g_free(job->name);
        job->name =
            g_strdup_printf("commit-%s-%s.%u.%u%s", disk->dst, topNode, topIdx, baseIdx,
                            (flags & VIR_DOMAIN_BLOCK_COMMIT_DELETE) ? ".d" : "");
        job->commitTop = g_strdup(qemuBlockJobChainAt(disk, chain, topIdx));
    }
    if (flags & VIR_DOMAIN_BLOCK_COMMIT_DELETE) {
        job->deleteFiles = g_ptr_array_new_with_free_func(g_free);
        for (guint i = topIdx; i < baseIdx; i++)
            g_ptr_array_add(job->deleteFiles,
                            g_strdup(qemuBlockJobChainAt(disk, chain, i)));
    }
    /* the base becomes writable for QEMU's user (an inactive commit's
     * base is kept in the disk too, never shown) */
    disk->mirrorJob = job->type;
    disk->mirrorSrc = g_strdup(job->newSrc);
    disk->mirrorFormat = job->newFormat;
    if (qemuSecurityPrepareDomain(driver, obj) < 0) {
        qemuBlockJobClearMirror(disk);
        qemuBlockJobFree(job);
        return -1;
    }
    args = json_object_new_object();
    json_object_object_add(args, "job-id", json_object_new_string(job->name));
    json_object_object_add(args, "device", json_object_new_string(topNode));
    if (!active)
        json_object_object_add(
            args, "top",
            json_object_new_string(qemuBlockJobChainAt(disk, chain, topIdx)));
    json_object_object_add(args, "base", json_object_new_string(job->newSrc));
    /* an inactive commit's bitmaps are merged before the graph changes */
    if (!active)
        json_object_object_add(args, "auto-finalize", json_object_new_boolean(0));
    if (speed)
        json_object_object_add(args, "speed", json_object_new_int64((int64_t)speed));
    if (name)
        *name = g_strdup(job->name);
    if (qemuBlockJobStart(obj, job, "block-commit", args) < 0) {
        qemuBlockJobClearMirror(disk);
        if (name)
            g_clear_pointer(name, g_free);
        return -1;
    }
    qemuDomainSaveStatus(driver, obj);
    return 0;
}

int
qemuDomainBlockCommit(virDomainPtr dom, const char *path, const char *base,
                      const char *top, unsigned long bandwidth, unsigned int flags)
{
    qemuDriver *driver = qemuDriverOf(dom->conn);
    unsigned long long speed = 0;
    virDomainObj *obj;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_BLOCK_COMMIT_SHALLOW | VIR_DOMAIN_BLOCK_COMMIT_DELETE |
                      VIR_DOMAIN_BLOCK_COMMIT_ACTIVE | VIR_DOMAIN_BLOCK_COMMIT_RELATIVE |
                      VIR_DOMAIN_BLOCK_COMMIT_BANDWIDTH_BYTES,
                  -1);
    if (qemuBlockJobBandwidth(bandwidth, flags & VIR_DOMAIN_BLOCK_COMMIT_BANDWIDTH_BYTES,
                              &speed) < 0)
        return -1;
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    ret = qemuBlockJobCommit(driver, obj, path, base, top, speed, flags, NULL);
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}
