/* qemu_driver_power.c: QEMU driver entry points for a guest's power: its lifecycle actions */

/*
 * Threads: each call holds the domain's MODIFY job; QMP is waited for with
 * the object unlocked (the job keeps the monitor alive), so a slow guest
 * blocks nothing but this call.
 */

#define G_LOG_DOMAIN "virtkit.qemu.power"

#include "qemu_driver_priv.h"
#include "qemu_monitor.h"
#include "qemu_process.h"
#include "qemu_validate.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

/* What @def's actions would be with @type set to @action, checked as
 * libvirt's QEMU driver does (qemuValidateLifecycleAction). */
static int
qemuLifecycleCheck(const virDomainDef *def, unsigned int type, unsigned int action)
{
    int acts[VIR_DOMAIN_LIFECYCLE_LAST] = { def->onPoweroff, def->onReboot,
                                            def->onCrash };

    acts[type] = (int)action;
    return qemuValidateLifecycleAction(acts[VIR_DOMAIN_LIFECYCLE_POWEROFF],
                                       acts[VIR_DOMAIN_LIFECYCLE_REBOOT],
                                       acts[VIR_DOMAIN_LIFECYCLE_CRASH]);
}

/*
 * libvirt 9.0's qemuDomainSetLifecycleAction with QEMU's set-action: on
 * the running guest a new on_reboot is told to QEMU (reboot=shutdown for
 * destroy, reset otherwise) before the live definition changes; on_poweroff
 * and on_crash are read from the live definition when the event comes
 * (qemu_process.c), so changing it is enough. Each definition's result
 * must be one QEMU can carry out (checked for both before either changes).
 */
int
qemuDomainSetLifecycleAction(virDomainPtr dom, unsigned int type, unsigned int action,
                             unsigned int flags)
{
    qemuDriver *driver = qemuDriverOf(dom->conn);
    virDomainObj *obj;
    virDomainDef *live;
    virDomainDef *persistent;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if (!virDomainDefLifecycleActionAllowed(type, action))
        return -1;
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    if (qemuDomainObjGetDefs(obj, flags, &live, &persistent) < 0)
        goto endjob;
    if ((live && qemuLifecycleCheck(live, type, action) < 0) ||
        (persistent && qemuLifecycleCheck(persistent, type, action) < 0))
        goto endjob;

    if (live && type == VIR_DOMAIN_LIFECYCLE_REBOOT &&
        (unsigned int)live->onReboot != action) {
        qemuMonitor *mon = qemuDomainPriv(obj)->mon;
        const char *reboot =
            action == VIR_DOMAIN_LIFECYCLE_ACTION_DESTROY ? "shutdown" : "reset";
        int rc;

        if (!mon) {
            virReportError(VIR_ERR_OPERATION_FAILED, "%s",
                           "QEMU monitor is not connected");
            goto endjob;
        }
        virDomainObjUnlock(obj);
        rc = qemuMonitorSetAction(mon, NULL, reboot, NULL, NULL);
        virDomainObjLock(obj);
        if (rc < 0)
            goto endjob;
    }
    if (live) {
        virDomainDefSetLifecycleAction(live, type, action);
        qemuDomainSaveStatus(driver, obj);
    }
    if (persistent) {
        g_autoptr(virDomainDef) copy = virDomainDefCopy(persistent);

        virDomainDefSetLifecycleAction(copy, type, action);
        /* the file first: a definition that did not reach the disk is
         * not reported as changed */
        if (qemuDomainSaveConfig(driver, copy, qemuDomainPriv(obj)->graceOverrideSec) < 0)
            goto endjob;
        virDomainDefSetLifecycleAction(persistent, type, action);
    }
    ret = 0;

endjob:
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}
