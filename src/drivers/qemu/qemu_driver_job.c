/* qemu_driver_job.c: the QEMU driver's control of a domain's background jobs (virDomainAbortJob) */

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
