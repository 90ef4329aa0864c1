/* qemu_driver_monitor.c: virDomainQemuMonitorCommand and the QMP events of libvirt-qemu (virsh qemu-monitor-command, qemu-monitor-event) */
/*
 * Threads: runs on the caller's thread with the domain's QUERY job held;
 * the object lock is dropped while the monitor waits for QEMU (as
 * qemuProcessMonitorCommand does), the job keeps the monitor alive.
 */
#define G_LOG_DOMAIN "virtkit.qemu.monitor"
#include <json-c/json.h>
#include <libvirt/libvirt-qemu.h>

#include "object_event.h"
#include "qemu_driver_priv.h"
#include "qemu_monitor.h"
#include "qemu_taint.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

int
qemuDomainQemuMonitorCommand(virDomainPtr dom, const char *cmd, char **result,
                             unsigned int flags)
{
    virDomainObj *obj;
    qemuMonitor *mon;
    g_autoptr(json_object) args = NULL;
    g_autoptr(json_object) reply = NULL;
    int ret = -1;
    int rc;

    virCheckFlags(VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP, -1);
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (virDomainObjBeginJob(obj, VIR_JOB_QUERY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    if (qemuDomainObjCheckActive(obj) < 0)
        goto endjob;
    if (!(mon = qemuDomainPriv(obj)->mon)) {
        virReportError(VIR_ERR_OPERATION_FAILED, "%s", "QEMU monitor is not connected");
        goto endjob;
    }
    /* libvirt taints the domain (custom-monitor): what is done behind the
     * driver's back is the caller's responsibility. */
    qemuDomainObjTaint(qemuDriverOf(dom->conn), obj, VIR_DOMAIN_TAINT_CUSTOM_MONITOR);
    /* the command may start what the statistics assume never started
     * (calc-dirty-rate, a balloon statistics period): ask QEMU again */
    qemuDomainPriv(obj)->dirtyRateUnstarted = false;
    qemuDomainPriv(obj)->balloonStatsIdle = false;

    virDomainObjUnlock(obj);
    if (flags & VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP) {
        /* HMP goes through QMP's human-monitor-command; the result is its
         * text output. */
        args = json_object_new_object();
        json_object_object_add(args, "command-line", json_object_new_string(cmd));
        rc = qemuMonitorCommand(mon, "human-monitor-command", args,
                                QEMU_MONITOR_TIMEOUT_MS, &reply);
        if (rc == 0)
            *result = g_strdup(json_object_is_type(reply, json_type_string)
                                   ? json_object_get_string(reply)
                                   : "");
    } else {
        rc = qemuMonitorCommandText(mon, cmd, QEMU_MONITOR_TIMEOUT_MS, result);
    }
    virDomainObjLock(obj);
    if (rc < 0)
        goto endjob;
    ret = 0;

endjob:
    virDomainObjEndJob(obj, VIR_JOB_QUERY);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}


/* ---- virConnectDomainQemuMonitorEventRegister ------------------------------- */

int
qemuConnectDomainQemuMonitorEventRegister(virConnectPtr conn, virDomainPtr dom,
                                          const char *event,
                                          virConnectDomainQemuMonitorEventCallback cb,
                                          void *opaque, virFreeCallback freecb,
                                          unsigned int flags)
{
    /* flags are checked with the filters (libvirt reports them there) */
    return virDomainQemuMonitorEventStateRegisterID(conn, qemuDriverOf(conn)->events, dom,
                                                    event, (void (*)(void))cb, opaque,
                                                    freecb, flags);
}

int
qemuConnectDomainQemuMonitorEventDeregister(virConnectPtr conn, int callbackID)
{
    return virDomainQemuMonitorEventStateDeregisterID(conn, qemuDriverOf(conn)->events,
                                                      callbackID);
}
