/* qemu_driver_job.c: the QEMU driver's control of a domain's background jobs (virDomainAbortJob) and its disks' I/O errors */

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

#include "qemu_command.h"
#include "qemu_driver_priv.h"
#include "qemu_monitor.h"
#include "virerror.h"

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
        g_autofree char *id = qemuDiskAlias(disk);
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
