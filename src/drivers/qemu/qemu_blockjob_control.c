/* qemu_blockjob_control.c: control of running block jobs (abort and pivot, info, speed, the commit wait of snapshot deletion) and their adoption by a restarted daemon; see qemu_blockjob.c for the threads */
#define G_LOG_DOMAIN "virtkit.qemu.blockjob"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <json-c/json.h>
#include "checkpoint_obj.h"
#include "domain_event.h"
#include "qemu_blockjob.h"
#include "qemu_command.h"
#include "qemu_driver_priv.h"
#include "qemu_hotplug.h"
#include "qemu_monitor.h"
#include "qemu_security.h"
#include "qemu_snapshot.h"
#include "virerror.h"
#include "virtypedparamlist.h"
#include "qemu_blockjob_priv.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

/* ---- job control ----------------------------------------------------------- */

/* The job of disk @path, with libvirt's error when there is none. */
static qemuBlockJob *
qemuBlockJobRequire(virDomainObj *obj, const char *path, virDomainDiskDef **diskOut)
{
    virDomainDiskDef *disk;
    qemuBlockJob *job;

    if (!(disk = qemuBlockJobFindDisk(obj, path)))
        return NULL;
    if (!(job = qemuBlockJobOfDisk(obj, disk->dst))) {
        virReportError(VIR_ERR_INVALID_ARG, "disk %s does not have an active block job",
                       disk->dst);
        return NULL;
    }
    *diskOut = disk;
    return job;
}

/* The body of virDomainBlockJobAbort. Object locked, MODIFY job held. */
static int
qemuBlockJobAbort(qemuDriver *driver, virDomainObj *obj, const char *path,
                  unsigned int flags)
{
    bool pivot = flags & VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT;
    bool async = flags & VIR_DOMAIN_BLOCK_JOB_ABORT_ASYNC;
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    virDomainDiskDef *disk = NULL;
    g_autoptr(json_object) args = NULL;
    g_autofree char *name = NULL;
    qemuBlockJob *job;
    gint64 deadline;
    int ret = -1;

    if (!(job = qemuBlockJobRequire(obj, path, &disk)))
        goto endjob;
    if (job->request) {
        virReportError(VIR_ERR_OPERATION_INVALID,
                       "block job on disk '%s' is still being ended", disk->dst);
        goto endjob;
    }
    if (pivot) {
        if (job->type != VIR_DOMAIN_BLOCK_JOB_TYPE_COPY &&
            job->type != VIR_DOMAIN_BLOCK_JOB_TYPE_ACTIVE_COMMIT) {
            virReportError(VIR_ERR_OPERATION_INVALID,
                           "job type '%s' does not support pivot",
                           qemuBlockJobTypeName(job->type));
            goto endjob;
        }
        if (!job->ready) {
            virReportError(VIR_ERR_BLOCK_COPY_ACTIVE,
                           "block job '%s' not ready for pivot yet", job->name);
            goto endjob;
        }
    }
    /* the checkpoints' bitmaps go along into a copy and into an active
     * commit's base (libvirt 9.0: qemuBlockBitmapsHandleBlockcopy /
     * ...CommitFinish). A failed merge does not stop the pivot: libvirt
     * merges after it and only logs QEMU's refusal, e.g. for a raw copy,
     * which cannot hold persistent bitmaps: the checkpoints then stay
     * without their bitmaps on this disk. */
    if (pivot && virDomainCheckpointObjListCount(obj->checkpoints) > 0 && job->newSrc &&
        (job->type == VIR_DOMAIN_BLOCK_JOB_TYPE_COPY ||
         job->type == VIR_DOMAIN_BLOCK_JOB_TYPE_ACTIVE_COMMIT)) {
        bool copy = job->type == VIR_DOMAIN_BLOCK_JOB_TYPE_COPY;
        g_autofree char *top = g_strdup(job->topNode);
        g_autofree char *stop = NULL;
        g_autofree char *target =
            g_strdup(copy && job->mirrorFormatNode ? job->mirrorFormatNode : job->newSrc);
        int rc = 0;

        if (!copy) {
            stop = g_strdup(job->newSrc);
        } else if (job->shallow) {
            g_autoptr(GPtrArray) chain =
                qemuSecurityBackingChain(disk->src, disk->format);

            if (chain->len > 0)
                stop = g_strdup(g_ptr_array_index(chain, 0));
        }
        if (copy && job->newFormat != VIR_STORAGE_FORMAT_QCOW2)
            VIR_NOTICE("the checkpoint bitmaps of disk '%s' of '%s' are not copied: "
                       "its copy '%s' is not qcow2 and cannot hold persistent "
                       "bitmaps",
                       disk->dst, obj->def->name, job->newSrc);
        else
            rc = qemuCheckpointMergeBitmaps(obj, top, stop, target);
        if (rc < 0) {
            VIR_NOTICE("the checkpoint bitmaps of disk '%s' of '%s' were not merged: %s",
                       disk->dst, obj->def->name, virGetLastErrorMessage());
            virResetLastError(); /* tolerated, as libvirt does */
        }
        /* the lock was dropped: the job may have ended meanwhile */
        if (!(job = qemuBlockJobRequire(obj, path, &disk)))
            goto endjob;
        if (!job->ready || job->request) {
            virReportError(VIR_ERR_BLOCK_COPY_ACTIVE,
                           "block job '%s' not ready for pivot yet", job->name);
            goto endjob;
        }
    }
    name = g_strdup(job->name);
    job->request =
        pivot ? VIR_DOMAIN_DISK_MIRROR_STATE_PIVOT : VIR_DOMAIN_DISK_MIRROR_STATE_ABORT;
    if (disk->mirrorJob)
        disk->mirrorReady = job->request;
    args = json_object_new_object();
    json_object_object_add(args, "id", json_object_new_string(name));
    if (!pivot) {
        json_object_object_del(args, "id");
        json_object_object_add(args, "device", json_object_new_string(name));
        json_object_object_add(args, "force", json_object_new_boolean(1));
    }
    if (qemuHotplugMonitor(obj, pivot ? "job-complete" : "block-job-cancel", args, NULL) <
        0) {
        if ((job = qemuBlockJobByName(obj, name))) {
            job->request = 0;
            if (disk->mirrorJob)
                disk->mirrorReady = job->ready ? VIR_DOMAIN_DISK_MIRROR_STATE_READY : 0;
        }
        goto endjob;
    }
    ret = 0;
    if (async)
        goto endjob;

    /* wait for QEMU's end of the job (the event handler concludes it) */
    deadline = g_get_monotonic_time() + QEMU_BLOCKJOB_WAIT_MS * G_TIME_SPAN_MILLISECOND;
    while ((job = qemuBlockJobByName(obj, name)) && virDomainObjIsActive(obj)) {
        if (!g_cond_wait_until(&priv->blockjobCond, &obj->lock, deadline))
            break;
    }
    if (job && virDomainObjIsActive(obj)) {
        virReportError(VIR_ERR_OPERATION_TIMEOUT, "block job '%s' did not end in time",
                       name);
        ret = -1;
        goto endjob;
    }
    if (!virDomainObjIsActive(obj))
        goto endjob;
    if (priv->blockjobs && (job = g_hash_table_lookup(priv->blockjobs, disk->dst)) &&
        g_str_equal(job->name, name) && job->concluded) {
        bool pivoted = pivot && job->status == VIR_DOMAIN_BLOCK_JOB_COMPLETED;

        if (pivot && !pivoted) {
            virReportError(VIR_ERR_OPERATION_FAILED, "pivot of disk '%s' failed",
                           disk->dst);
            ret = -1;
        }
        g_hash_table_remove(priv->blockjobs, disk->dst);
    }
    /* the nodes nobody uses any more */
    qemuBlockJobDropStaleNodes(obj);
    qemuDomainSaveStatus(driver, obj);
endjob:
    return ret;
}

int
qemuDomainBlockJobAbort(virDomainPtr dom, const char *path, unsigned int flags)
{
    qemuDriver *driver = qemuDriverOf(dom->conn);
    virDomainObj *obj;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_BLOCK_JOB_ABORT_ASYNC | VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT,
                  -1);
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    ret = qemuBlockJobAbort(driver, obj, path, flags);
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}


static json_object *qemuBlockJobQuery(virDomainObj *obj, const char *name, int *rc);
static unsigned long long qemuBlockJobMember(json_object *j, const char *key,
                                             bool *present);

int
qemuBlockJobCommitWait(qemuDriver *driver, virDomainObj *obj, const char *dst,
                       const char *top)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    virDomainDiskDef *disk = qemuBlockJobDiskByTarget(obj->def, dst);
    bool active = disk && g_strcmp0(disk->src, top) == 0;
    unsigned int flags = VIR_DOMAIN_BLOCK_COMMIT_SHALLOW | VIR_DOMAIN_BLOCK_COMMIT_DELETE;
    g_autofree char *name = NULL;
    /* no deadline while QEMU makes progress (a large image takes long);
     * QEMU_BLOCKJOB_WAIT_MS without any, then the job is cancelled */
    gint64 deadline =
        g_get_monotonic_time() + QEMU_BLOCKJOB_WAIT_MS * G_TIME_SPAN_MILLISECOND;
    long long offset = -1;
    qemuBlockJob *job;

    if (active)
        flags |= VIR_DOMAIN_BLOCK_COMMIT_ACTIVE;
    if (qemuBlockJobCommit(driver, obj, dst, NULL, active ? NULL : top, 0, flags, &name) <
        0)
        return -1;
    while ((job = qemuBlockJobByName(obj, name)) && virDomainObjIsActive(obj)) {
        gint64 slice = g_get_monotonic_time() + 5 * G_TIME_SPAN_SECOND;
        g_autoptr(json_object) raw = NULL;
        int rc;

        if (active && job->ready && !job->request)
            return qemuBlockJobAbort(driver, obj, dst, VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT);
        if (job->pending) {
            /* the finalize worker waits for this job: done here */
            qemuBlockJobFinalize(obj, name);
            continue;
        }
        if (g_cond_wait_until(&priv->blockjobCond, &obj->lock, MIN(slice, deadline)) &&
            g_get_monotonic_time() < deadline)
            continue;
        if ((raw = qemuBlockJobQuery(obj, name, &rc)) &&
            (long long)qemuBlockJobMember(raw, "offset", NULL) != offset) {
            offset = (long long)qemuBlockJobMember(raw, "offset", NULL);
            deadline =
                g_get_monotonic_time() + QEMU_BLOCKJOB_WAIT_MS * G_TIME_SPAN_MILLISECOND;
        }
        virResetLastError(); /* a failed query only counts as no progress */
        if (g_get_monotonic_time() >= deadline)
            break;
    }
    if (!virDomainObjIsActive(obj)) {
        virReportError(VIR_ERR_OPERATION_FAILED, "%s", "domain is not running");
        return -1;
    }
    if (job) {
        /* cancelled: the snapshot and its overlay stay as they were */
        if (qemuBlockJobAbort(driver, obj, dst, 0) < 0)
            virResetLastError();
        virReportError(VIR_ERR_OPERATION_TIMEOUT,
                       "block job '%s' made no progress in time", name);
        return -1;
    }
    job = priv->blockjobs ? g_hash_table_lookup(priv->blockjobs, dst) : NULL;
    if (job && g_str_equal(job->name, name)) {
        bool completed = job->status == VIR_DOMAIN_BLOCK_JOB_COMPLETED;

        g_hash_table_remove(priv->blockjobs, dst);
        if (!completed) {
            virReportError(VIR_ERR_OPERATION_FAILED, "%s", "finishing block job failed");
            return -1;
        }
    }
    qemuBlockJobDropStaleNodes(obj);
    qemuDomainSaveStatus(driver, obj);
    return 0;
}

/* QEMU's entry for job @name in query-block-jobs (a new reference), or NULL */
static json_object *
qemuBlockJobQuery(virDomainObj *obj, const char *name, int *rc)
{
    g_autoptr(json_object) jobs = NULL;
    size_t n;

    *rc = qemuHotplugMonitor(obj, "query-block-jobs", NULL, &jobs);
    if (*rc < 0)
        return NULL;
    n = json_object_is_type(jobs, json_type_array) ? json_object_array_length(jobs) : 0;
    for (size_t i = 0; i < n; i++) {
        json_object *j = json_object_array_get_idx(jobs, i);
        json_object *dev = NULL;

        if (json_object_object_get_ex(j, "device", &dev) &&
            g_strcmp0(json_object_get_string(dev), name) == 0)
            return json_object_get(j);
    }
    return NULL;
}

static unsigned long long
qemuBlockJobMember(json_object *j, const char *key, bool *present)
{
    json_object *v = NULL;

    if (!json_object_object_get_ex(j, key, &v)) {
        if (present)
            *present = false;
        return 0;
    }
    if (present)
        *present = true;
    if (json_object_is_type(v, json_type_boolean))
        return json_object_get_boolean(v);
    return (unsigned long long)json_object_get_int64(v);
}

int
qemuDomainGetBlockJobInfo(virDomainPtr dom, const char *path,
                          virDomainBlockJobInfoPtr info, unsigned int flags)
{
    bool bytes = flags & VIR_DOMAIN_BLOCK_JOB_INFO_BANDWIDTH_BYTES;
    g_autoptr(json_object) raw = NULL;
    g_autofree char *name = NULL;
    virDomainDiskDef *disk;
    virDomainObj *obj;
    qemuBlockJob *job;
    unsigned long long speed;
    bool readyPresent = false;
    bool ready;
    int type;
    int rc;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_BLOCK_JOB_INFO_BANDWIDTH_BYTES, -1);
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (virDomainObjBeginJob(obj, VIR_JOB_QUERY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    if (!(disk = qemuBlockJobFindDisk(obj, path)))
        goto endjob;
    memset(info, 0, sizeof(*info));
    if (!(job = qemuBlockJobOfDisk(obj, disk->dst))) {
        ret = 0;
        goto endjob;
    }
    name = g_strdup(job->name);
    type = job->type;
    raw = qemuBlockJobQuery(obj, name, &rc);
    if (rc < 0)
        goto endjob;
    info->type = type;
    if (!raw) {
        /* gone in QEMU, its end not processed yet: an unfinished job */
        info->cur = 0;
        info->end = 1;
        ret = 1;
        goto endjob;
    }
    info->cur = qemuBlockJobMember(raw, "offset", NULL);
    info->end = qemuBlockJobMember(raw, "len", NULL);
    ready = qemuBlockJobMember(raw, "ready", &readyPresent);
    if (info->cur == 0 && info->end == 0 && readyPresent) {
        info->end = 1;
        if (ready)
            info->cur = 1;
    }
    /* not ready: never cur == end (some tools poll for it) */
    if (readyPresent && !ready && info->cur == info->end && info->cur > 0)
        info->cur--;
    speed = qemuBlockJobMember(raw, "speed", NULL);
    if (!bytes)
        speed = (speed + 1024 * 1024 - 1) / (1024 * 1024);
    info->bandwidth = speed;
    ret = 1;
endjob:
    virDomainObjEndJob(obj, VIR_JOB_QUERY);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

int
qemuDomainBlockJobSetSpeed(virDomainPtr dom, const char *path, unsigned long bandwidth,
                           unsigned int flags)
{
    g_autoptr(json_object) args = NULL;
    unsigned long long speed = 0;
    virDomainDiskDef *disk = NULL;
    virDomainObj *obj;
    qemuBlockJob *job;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_BLOCK_JOB_SPEED_BANDWIDTH_BYTES, -1);
    if (qemuBlockJobBandwidth(
            bandwidth, flags & VIR_DOMAIN_BLOCK_JOB_SPEED_BANDWIDTH_BYTES, &speed) < 0)
        return -1;
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    if (!(job = qemuBlockJobRequire(obj, path, &disk)))
        goto endjob;
    args = json_object_new_object();
    json_object_object_add(args, "device", json_object_new_string(job->name));
    json_object_object_add(args, "speed", json_object_new_int64((int64_t)speed));
    if (qemuHotplugMonitor(obj, "block-job-set-speed", args, NULL) < 0)
        goto endjob;
    ret = 0;
endjob:
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

/* The range a restarted daemon reads back from the name of an inactive
 * commit ("commit-vda-NODE.T.B[.d]") or a pull ("pull-vda-NODE.B"):
 * @rest is what follows "<type>-<dev>-". Returns the top node. */
static char *
qemuBlockJobReconnectRange(qemuBlockJob *job, virDomainDiskDef *disk, const char *rest)
{
    g_auto(GStrv) f = g_strsplit(rest, ".", 0);
    guint n = g_strv_length(f);
    g_autoptr(GPtrArray) chain = NULL;
    guint64 topIdx = 0, baseIdx = 0;

    if (job->type == VIR_DOMAIN_BLOCK_JOB_TYPE_ACTIVE_COMMIT ||
        job->type == VIR_DOMAIN_BLOCK_JOB_TYPE_COPY || n < 2 || !disk->src)
        return g_strdup(rest);
    chain = qemuSecurityBackingChain(disk->src, disk->format);
    if (job->type == VIR_DOMAIN_BLOCK_JOB_TYPE_PULL) {
        if (g_ascii_string_to_unsigned(f[1], 10, 0, chain->len, &baseIdx, NULL) &&
            baseIdx > 0)
            job->base = g_strdup(qemuBlockJobChainAt(disk, chain, baseIdx));
        return g_strdup(f[0]);
    }
    if (n >= 3 && g_ascii_string_to_unsigned(f[1], 10, 0, chain->len, &topIdx, NULL) &&
        g_ascii_string_to_unsigned(f[2], 10, 0, chain->len, &baseIdx, NULL) &&
        topIdx < baseIdx) {
        job->commitTop = g_strdup(qemuBlockJobChainAt(disk, chain, topIdx));
        g_free(job->newSrc);
        job->newSrc = g_strdup(qemuBlockJobChainAt(disk, chain, baseIdx));
        job->newFormat = qemuBlockJobProbeFormat(job->newSrc);
        job->newType = qemuBlockJobPathType(job->newSrc);
        if (n >= 4 && g_str_equal(f[3], "d")) {
            job->deleteFiles = g_ptr_array_new_with_free_func(g_free);
            for (guint64 i = topIdx; i < baseIdx; i++)
                g_ptr_array_add(job->deleteFiles,
                                g_strdup(qemuBlockJobChainAt(disk, chain, i)));
        }
    }
    return g_strdup(f[0]);
}

void
qemuBlockJobReconnect(qemuDriver *driver, virDomainObj *obj, json_object *jobs)
{
    size_t n =
        json_object_is_type(jobs, json_type_array) ? json_object_array_length(jobs) : 0;

    for (size_t i = 0; i < n; i++) {
        json_object *j = json_object_array_get_idx(jobs, i);
        json_object *dev = NULL, *st = NULL;
        const char *id;
        g_auto(GStrv) parts = NULL;
        g_autofree char *top = NULL;
        virDomainDiskDef *disk;
        qemuBlockJob *job;
        int type;

        if (!json_object_object_get_ex(j, "device", &dev) ||
            !(id = json_object_get_string(dev)))
            continue;
        /* "<type>-<dev>-<node>[.range]", as this driver names its jobs */
        parts = g_strsplit(id, "-", 3);
        if (g_strv_length(parts) != 3 ||
            !(disk = qemuBlockJobDiskByTarget(obj->def, parts[1])))
            continue;
        if (g_str_equal(parts[0], "copy"))
            type = VIR_DOMAIN_BLOCK_JOB_TYPE_COPY;
        else if (g_str_equal(parts[0], "pull"))
            type = VIR_DOMAIN_BLOCK_JOB_TYPE_PULL;
        else if (g_str_equal(parts[0], "commit"))
            type = disk->mirrorJob == VIR_DOMAIN_BLOCK_JOB_TYPE_ACTIVE_COMMIT
                       ? VIR_DOMAIN_BLOCK_JOB_TYPE_ACTIVE_COMMIT
                       : VIR_DOMAIN_BLOCK_JOB_TYPE_COMMIT;
        else
            continue;
        job = qemuBlockJobNew(obj, disk, type, parts[2]);
        g_free(job->name);
        job->name = g_strdup(id);
        job->ready = qemuBlockJobMember(j, "ready", NULL);
        if (disk->mirrorJob && disk->mirrorSrc) {
            job->newSrc = g_strdup(disk->mirrorSrc);
            job->newFormat = disk->mirrorFormat;
            job->newType = disk->mirrorType;
            if (job->ready)
                disk->mirrorReady = VIR_DOMAIN_DISK_MIRROR_STATE_READY;
        }
        if (type == VIR_DOMAIN_BLOCK_JOB_TYPE_COPY && job->newSrc) {
            /* a shallow copy's destination has the disk's chain below it */
            g_autoptr(GPtrArray) below =
                qemuSecurityBackingChain(job->newSrc, job->newFormat);

            job->shallow = below->len > 0;
        }
        top = qemuBlockJobReconnectRange(job, disk, parts[2]);
        g_free(job->topNode);
        job->topNode = g_steal_pointer(&top);
        g_hash_table_replace(qemuBlockJobTable(obj), g_strdup(job->disk), job);
        /* held before its graph change while the daemon was away */
        if (json_object_object_get_ex(j, "status", &st) &&
            g_strcmp0(json_object_get_string(st), "pending") == 0)
            qemuBlockJobQueueFinalize(driver, obj, job);
    }
    /* a <mirror> whose job QEMU no longer runs is gone */
    for (size_t i = 0; i < obj->def->ndisks; i++) {
        virDomainDiskDef *disk = obj->def->disks[i];

        if (disk->mirrorJob && !qemuBlockJobOfDisk(obj, disk->dst))
            qemuBlockJobClearMirror(disk);
    }
}
