/* qemu_driver_job.c: the QEMU driver's background jobs: their control (virDomainAbortJob), what they report (domjobinfo) and the disks' I/O errors */

/*
 * Threads: API threads only. A save, managed save or core dump holds the
 * domain's MODIFY job for its whole run and marks its background job in
 * the private data (qemuDomainObjPrivate.asyncJob, qemu_driver_save.c);
 * an abort takes no job (it must get in beside that one, as libvirt's
 * ABORT job does): with the object lock it marks the job aborted and
 * queues QEMU's migrate_cancel, then waits for QEMU's answer with the
 * lock dropped (the pending command holds its own monitor reference).
 * The job's thread sees the migration "cancelled" and fails with
 * libvirt's "canceled by client"; the guest runs on.
 */
#define G_LOG_DOMAIN "virtkit.qemu.job"

#include <string.h>

#include <json-c/json.h>

#include "qemu_backup.h"
#include "qemu_command.h"
#include "qemu_driver_priv.h"
#include "qemu_monitor.h"
#include "virerror.h"
#include "virtypedparamlist.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

int
qemuDomainAbortJobFlags(virDomainPtr dom, unsigned int flags)
{
    virDomainObj *obj;
    qemuDomainObjPrivate *priv;
    qemuMonitorPending *pending = NULL;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_ABORT_JOB_POSTCOPY, -1);
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    priv = qemuDomainPriv(obj);
    if (qemuDomainObjCheckActive(obj) < 0)
        goto cleanup;
    /* no outgoing migration exists here, so none is in post-copy */
    if (flags & VIR_DOMAIN_ABORT_JOB_POSTCOPY) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "current job is not outgoing migration in post-copy mode");
        goto cleanup;
    }
    if (!priv->asyncJob && priv->backup) {
        ret = qemuBackupAbort(obj);
        goto cleanup;
    }
    if (!priv->asyncJob) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "no job is active on the domain");
        goto cleanup;
    }
    if (priv->asyncJobMemoryOnly) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "cannot abort memory-only dump");
        goto cleanup;
    }
    if (!priv->mon) {
        virReportError(VIR_ERR_OPERATION_FAILED, "%s", "QEMU monitor is not connected");
        goto cleanup;
    }
    g_debug("aborting %s of '%s'", priv->asyncJob, obj->def->name);
    priv->asyncJobAborted = true;
    pending = qemuMonitorSubmit(priv->mon, "migrate_cancel", NULL);
    virDomainObjUnlock(obj);
    ret = qemuMonitorAwait(pending, QEMU_MONITOR_TIMEOUT_MS, NULL);
    virDomainObjLock(obj);

cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

int
qemuDomainAbortJob(virDomainPtr dom)
{
    return qemuDomainAbortJobFlags(dom, 0);
}

/* ---- virDomainGetDiskErrors ------------------------------------------------- */

/* QEMU's io-status of a query-block entry as a virDomainDiskErrorCode
 * (libvirt's mapping: "ok", "failed", "nospace"). */
static int
qemuDiskIOStatus(json_object *entry)
{
    json_object *st = NULL;
    const char *s;

    if (!json_object_object_get_ex(entry, "io-status", &st) ||
        !(s = json_object_get_string(st)))
        return VIR_DOMAIN_DISK_ERROR_NONE;
    if (strcmp(s, "nospace") == 0)
        return VIR_DOMAIN_DISK_ERROR_NO_SPACE;
    if (strcmp(s, "failed") == 0)
        return VIR_DOMAIN_DISK_ERROR_UNSPEC;
    return VIR_DOMAIN_DISK_ERROR_NONE;
}

int
qemuDomainGetDiskErrors(virDomainPtr dom, virDomainDiskErrorPtr errors,
                        unsigned int maxerrors, unsigned int flags)
{
    virDomainObj *obj;
    g_autoptr(json_object) block = NULL;
    int ret = -1;
    int rc;

    virCheckFlags(0, -1);
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (virDomainObjBeginJob(obj, VIR_JOB_QUERY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    if (qemuDomainObjCheckActive(obj) < 0)
        goto endjob;
    virDomainObjUnlock(obj);
    rc = qemuMonitorCommand(qemuDomainPriv(obj)->mon, "query-block", NULL,
                            QEMU_MONITOR_TIMEOUT_MS, &block);
    virDomainObjLock(obj);
    if (rc < 0)
        goto endjob;
    if (!errors) {
        /* what the caller must allocate: every disk may be in error */
        ret = (int)obj->def->ndisks;
        goto endjob;
    }
    ret = 0;
    for (size_t i = 0; i < obj->def->ndisks && (unsigned int)ret < maxerrors; i++) {
        const virDomainDiskDef *disk = obj->def->disks[i];
        g_autofree char *id = qemuDiskAlias(obj->def, disk);
        size_t n = json_object_is_type(block, json_type_array)
                       ? json_object_array_length(block)
                       : 0;

        for (size_t j = 0; j < n; j++) {
            json_object *e = json_object_array_get_idx(block, j);
            int code;

            if (!qemuStatsQdevIs(e, id))
                continue;
            if ((code = qemuDiskIOStatus(e)) != VIR_DOMAIN_DISK_ERROR_NONE) {
                errors[ret].disk = g_strdup(disk->dst);
                errors[ret].error = code;
                ret++;
            }
            break;
        }
    }

endjob:
    virDomainObjEndJob(obj, VIR_JOB_QUERY);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

/* ---- job information (domjobinfo) ------------------------------------------ */

/* The job GetJobInfo/GetJobStats show for @obj (locked): the running
 * background job (save, dump: UNBOUNDED, as libvirt), or with @completed
 * the last one that completed (COMPLETED); NONE when there is none. */
static int
qemuJobCurrent(virDomainObj *obj, bool completed, int *operation,
               unsigned long long *elapsedMs, const qemuMigrationStats **stats)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);

    if (completed) {
        if (!priv->completedJob)
            return VIR_DOMAIN_JOB_NONE;
        *operation = priv->jobFigures->completedJobOperation;
        *elapsedMs = priv->jobFigures->completedJobElapsedMs;
        *stats = &priv->jobFigures->completedJobStats;
        return VIR_DOMAIN_JOB_COMPLETED;
    }
    if (!priv->asyncJob || !virDomainObjIsActive(obj))
        return VIR_DOMAIN_JOB_NONE;
    *operation = priv->jobFigures->asyncJobOperation;
    *elapsedMs =
        (unsigned long long)MAX(g_get_real_time() - priv->jobFigures->asyncJobStart, 0) /
        1000;
    *stats = &priv->jobFigures->asyncJobStats;
    return VIR_DOMAIN_JOB_UNBOUNDED;
}

int
qemuDomainGetJobInfo(virDomainPtr dom, virDomainJobInfoPtr info)
{
    virDomainObj *obj;
    const qemuMigrationStats *st = NULL;
    unsigned long long elapsed = 0;
    int operation = 0;

    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    /* libvirt's: the current job of a running domain */
    if (qemuDomainObjCheckActive(obj) < 0) {
        virDomainObjEndAPI(&obj);
        return -1;
    }
    memset(info, 0, sizeof(*info));
    if (!qemuDomainPriv(obj)->asyncJob && qemuDomainPriv(obj)->backup) {
        g_autoptr(virTypedParamList) list = virTypedParamListNew();
        unsigned long long total = 0, done = 0;

        /* as libvirt's qemuDomainJobDataToInfo of a backup */
        info->type = qemuBackupJobStats(obj, false, list, &total, &done);
        for (size_t i = 0; i < list->npar; i++) {
            if (g_str_equal(list->par[i].field, VIR_DOMAIN_JOB_TIME_ELAPSED))
                info->timeElapsed = list->par[i].value.ul;
        }
        info->dataTotal = total;
        info->dataProcessed = done;
        info->dataRemaining = total - MIN(done, total);
        virDomainObjEndAPI(&obj);
        return 0;
    }
    info->type = qemuJobCurrent(obj, false, &operation, &elapsed, &st);
    if (info->type != VIR_DOMAIN_JOB_NONE) {
        info->timeElapsed = elapsed;
        info->dataTotal = info->memTotal = st->ramTotal;
        info->dataProcessed = info->memProcessed = st->ramTransferred;
        info->dataRemaining = info->memRemaining = st->ramRemaining;
    }
    virDomainObjEndAPI(&obj);
    return 0;
}

int
qemuDomainGetJobStats(virDomainPtr dom, int *type, virTypedParameterPtr *params,
                      int *nparams, unsigned int flags)
{
    virDomainObj *obj;
    g_autoptr(virTypedParamList) list = NULL;
    const qemuMigrationStats *st = NULL;
    unsigned long long elapsed = 0;
    bool completed = flags & VIR_DOMAIN_JOB_STATS_COMPLETED;
    int operation = 0;
    int t;

    virCheckFlags(VIR_DOMAIN_JOB_STATS_COMPLETED | VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED,
                  -1);
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    /* libvirt's: the current job only of a running domain; a completed
     * one's statistics stay readable after it stopped (a save's) */
    if (!completed && qemuDomainObjCheckActive(obj) < 0) {
        virDomainObjEndAPI(&obj);
        return -1;
    }
    list = virTypedParamListNew();
    if (completed
            ? (qemuDomainPriv(obj)->completedJob && qemuDomainPriv(obj)->jobFigures &&
               qemuDomainPriv(obj)->jobFigures->completedJobBackup)
            : (!qemuDomainPriv(obj)->asyncJob && qemuDomainPriv(obj)->backup)) {
        unsigned long long total = 0, done = 0;

        *type = qemuBackupJobStats(obj, completed, list, &total, &done);
        if (completed && !(flags & VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED))
            qemuDomainPriv(obj)->completedJob = false;
        virTypedParamListSteal(list, params, nparams);
        virDomainObjEndAPI(&obj);
        return 0;
    }
    t = qemuJobCurrent(obj, completed, &operation, &elapsed, &st);
    if (t != VIR_DOMAIN_JOB_NONE) {
        virTypedParamListAddInt(list, operation, VIR_DOMAIN_JOB_OPERATION);
        virTypedParamListAddULLong(list, elapsed, VIR_DOMAIN_JOB_TIME_ELAPSED);
        if (st->valid) {
            /* completed: the guest's total downtime; running: QEMU's
             * expected one (virsh labels them so) */
            if (t == VIR_DOMAIN_JOB_COMPLETED ? st->downtimeSet
                                              : st->expectedDowntime > 0)
                virTypedParamListAddULLong(
                    list,
                    t == VIR_DOMAIN_JOB_COMPLETED ? st->downtime : st->expectedDowntime,
                    VIR_DOMAIN_JOB_DOWNTIME);
            virTypedParamListAddULLong(list, st->setupTime, VIR_DOMAIN_JOB_SETUP_TIME);
            virTypedParamListAddULLong(list, st->ramTotal, VIR_DOMAIN_JOB_DATA_TOTAL);
            virTypedParamListAddULLong(list, st->ramTransferred,
                                       VIR_DOMAIN_JOB_DATA_PROCESSED);
            virTypedParamListAddULLong(list, st->ramRemaining,
                                       VIR_DOMAIN_JOB_DATA_REMAINING);
            virTypedParamListAddULLong(list, st->ramTotal, VIR_DOMAIN_JOB_MEMORY_TOTAL);
            virTypedParamListAddULLong(list, st->ramTransferred,
                                       VIR_DOMAIN_JOB_MEMORY_PROCESSED);
            virTypedParamListAddULLong(list, st->ramRemaining,
                                       VIR_DOMAIN_JOB_MEMORY_REMAINING);
            virTypedParamListAddULLong(list, st->ramDuplicate,
                                       VIR_DOMAIN_JOB_MEMORY_CONSTANT);
            virTypedParamListAddULLong(list, st->ramNormal, VIR_DOMAIN_JOB_MEMORY_NORMAL);
            virTypedParamListAddULLong(list, st->ramNormalBytes,
                                       VIR_DOMAIN_JOB_MEMORY_NORMAL_BYTES);
            virTypedParamListAddULLong(list, st->ramBps, VIR_DOMAIN_JOB_MEMORY_BPS);
            virTypedParamListAddULLong(list, st->ramDirtyRate,
                                       VIR_DOMAIN_JOB_MEMORY_DIRTY_RATE);
            virTypedParamListAddULLong(list, st->ramPageSize,
                                       VIR_DOMAIN_JOB_MEMORY_PAGE_SIZE);
            virTypedParamListAddULLong(list, st->ramIteration,
                                       VIR_DOMAIN_JOB_MEMORY_ITERATION);
            virTypedParamListAddULLong(list, st->ramPostcopyReqs,
                                       VIR_DOMAIN_JOB_MEMORY_POSTCOPY_REQS);
        }
        /* read once unless kept (libvirt's) */
        if (completed && !(flags & VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED))
            qemuDomainPriv(obj)->completedJob = false;
    }
    *type = t;
    virTypedParamListSteal(list, params, nparams);
    virDomainObjEndAPI(&obj);
    return 0;
}
