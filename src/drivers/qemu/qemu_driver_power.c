/* qemu_driver_power.c: QEMU driver entry points for power: lifecycle actions, guest and host sleep */

/*
 * Threads: each call holds the domain's MODIFY job; QMP is waited for with
 * the object unlocked (the job keeps the monitor alive), so a slow guest
 * blocks nothing but this call.
 */

#define G_LOG_DOMAIN "virtkit.qemu.power"

#include "qemu_agent.h"
#include "qemu_driver_priv.h"
#include "qemu_monitor.h"
#include "qemu_process.h"
#include "qemu_validate.h"
#include "virerror.h"
#include "virnodesuspend.h"

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

/* libvirt's wait for a guest-shutdown the agent does not answer, used for
 * the suspend commands too when the agent timeout is "block". */
#define QEMU_PM_SUSPEND_WAIT_MS (60 * 1000)

/* libvirt's qemuDomainAgentAvailable: running (not paused or suspended),
 * the channel in the definition, the guest's port open. Job held, @obj
 * locked (dropped around QMP). */
static int
qemuPMAgentAvailable(virDomainObj *obj)
{
    g_autofree char *path = NULL;
    g_autofree char *label = NULL;
    int open;

    if (obj->state != VIR_DOMAIN_RUNNING) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
        return -1;
    }
    if (!qemuAgentFindChannel(obj->def, &path, &label)) {
        virReportError(VIR_ERR_ARGUMENT_UNSUPPORTED, "%s",
                       "QEMU guest agent is not configured");
        return -1;
    }
    if ((open = qemuAgentPortOpen(obj, label, QEMU_AGENT_SYNC_TIMEOUT_MS)) < 0)
        return -1;
    if (open == 0) {
        virReportError(VIR_ERR_AGENT_UNRESPONSIVE, "%s",
                       "QEMU guest agent is not connected");
        return -1;
    }
    return 0;
}

/* QMP query-current-machine's wakeup-suspend-support: 1, 0, or -1
 * (reported). Job held, @obj locked (dropped around QMP). */
static int
qemuPMWakeupSupported(virDomainObj *obj)
{
    qemuMonitor *mon = qemuDomainPriv(obj)->mon;
    json_object *reply = NULL;
    json_object *wakeup = NULL;
    int rc;

    if (!mon) {
        virReportError(VIR_ERR_OPERATION_FAILED, "%s", "QEMU monitor is not connected");
        return -1;
    }
    virDomainObjUnlock(obj);
    rc = qemuMonitorCommand(mon, "query-current-machine", NULL, QEMU_MONITOR_TIMEOUT_MS,
                            &reply);
    virDomainObjLock(obj);
    if (rc < 0)
        return -1;
    rc = json_object_object_get_ex(reply, "wakeup-suspend-support", &wakeup) &&
         json_object_get_boolean(wakeup);
    json_object_put(reply);
    return rc;
}

/*
 * libvirt 9.0's qemuDomainPMSuspendForDuration, in its order: flags, a
 * duration (only 0), the target; a running guest whose agent is there;
 * QEMU able to wake it; <pm> not disabling the state; then the agent's
 * guest-suspend-ram / -disk / -hybrid, which it does not answer when it
 * works: the call returns once QEMU's SUSPEND (or the power-off of a
 * suspend to disk) made the domain leave RUNNING (qemu_process_events.c).
 */
int
qemuDomainPMSuspendForDuration(virDomainPtr dom, unsigned int target,
                               unsigned long long duration, unsigned int flags)
{
    static const char *const commands[] = { "guest-suspend-ram", "guest-suspend-disk",
                                            "guest-suspend-hybrid" };
    virDomainObj *obj;
    int timeoutMs;
    int rc;
    int ret = -1;

    virCheckFlags(0, -1);
    if (duration) {
        virReportError(VIR_ERR_ARGUMENT_UNSUPPORTED, "%s",
                       "Duration not supported. Use 0 for now");
        return -1;
    }
    if (target >= G_N_ELEMENTS(commands)) {
        virReportError(VIR_ERR_INVALID_ARG, "Unknown suspend target: %u", target);
        return -1;
    }
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    if (qemuDomainObjCheckActive(obj) < 0 || qemuPMAgentAvailable(obj) < 0)
        goto endjob;
    if ((rc = qemuPMWakeupSupported(obj)) < 0)
        goto endjob;
    if (rc == 0) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "Domain does not have suspend support");
        goto endjob;
    }
    if (obj->def->pmS3 == VIR_DOMAIN_TRISTATE_OFF &&
        (target == VIR_NODE_SUSPEND_TARGET_MEM ||
         target == VIR_NODE_SUSPEND_TARGET_HYBRID)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "S3 state is disabled for this domain");
        goto endjob;
    }
    if (obj->def->pmS4 == VIR_DOMAIN_TRISTATE_OFF &&
        target == VIR_NODE_SUSPEND_TARGET_DISK) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "S4 state is disabled for this domain");
        goto endjob;
    }
    timeoutMs = qemuAgentTimeoutMs(qemuDomainPriv(obj)->agentTimeout);
    if (timeoutMs == QEMU_AGENT_TIMEOUT_BLOCK)
        timeoutMs = QEMU_PM_SUSPEND_WAIT_MS;
    ret = qemuAgentCommandNoReply(obj, commands[target], NULL, timeoutMs);

endjob:
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

/* libvirt's qemuDomainPMWakeup: QMP system_wakeup on an active guest;
 * QEMU's own error for one that is not suspended. */
int
qemuDomainPMWakeup(virDomainPtr dom, unsigned int flags)
{
    virCheckFlags(0, -1);
    return qemuDomainMonitorCommandJob(dom, "system_wakeup");
}

int
qemuNodeSuspendForDuration(virConnectPtr conn G_GNUC_UNUSED, unsigned int target,
                           unsigned long long duration, unsigned int flags)
{
    return virNodeSuspend(target, duration, flags);
}
