/* qemu_driver_live.c: QEMU driver entry points that change a running guest (balloon, NMI) */

/*
 * Threads: each call holds the domain's MODIFY job; QMP is waited for with
 * the object unlocked (qemuProcessMonitorCommand and qemuDomainBalloon drop
 * the lock), so a slow guest blocks nothing but this call.
 */

#define G_LOG_DOMAIN "virtkit.qemu.live"

#include "qemu_driver_priv.h"
#include "qemu_monitor.h"
#include "qemu_process.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

/* libvirt's virDomainObjUpdateModificationImpact: CURRENT becomes LIVE
 * for a running domain, CONFIG otherwise; LIVE needs it running, CONFIG
 * persistent. 0 or -1 with the error reported. */
static int
qemuDomainResolveImpact(virDomainObj *obj, unsigned int *flags)
{
    bool active = virDomainObjIsActive(obj);

    if ((*flags & VIR_DOMAIN_AFFECT_LIVE) && (*flags & VIR_DOMAIN_AFFECT_CONFIG)) {
        virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_INVALID_ARG, __func__,
                           "Flags 'VIR_DOMAIN_AFFECT_LIVE' and "
                           "'VIR_DOMAIN_AFFECT_CONFIG' are mutually exclusive");
        return -1;
    }
    if (!(*flags & (VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG)))
        *flags |= active ? VIR_DOMAIN_AFFECT_LIVE : VIR_DOMAIN_AFFECT_CONFIG;
    if ((*flags & VIR_DOMAIN_AFFECT_LIVE) && qemuDomainObjCheckActive(obj) < 0)
        return -1;
    if ((*flags & VIR_DOMAIN_AFFECT_CONFIG) && !obj->persistent) {
        virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_INVALID, __func__,
                           "transient domains do not have any persistent config");
        return -1;
    }
    return 0;
}

/* The balloon target of the running guest: QMP "balloon" in bytes. Object
 * locked, job held; the lock is dropped while QEMU answers. */
static int
qemuDomainBalloon(virDomainObj *obj, unsigned long long kib)
{
    qemuMonitor *mon = qemuDomainPriv(obj)->mon;
    g_autoptr(json_object) args = json_object_new_object();
    int rc;

    if (!mon) {
        virReportError(VIR_ERR_OPERATION_FAILED, "%s", "QEMU monitor is not connected");
        return -1;
    }
    json_object_object_add(args, "value", json_object_new_int64((int64_t)(kib * 1024)));
    virDomainObjUnlock(obj);
    rc = qemuMonitorCommand(mon, "balloon", args, QEMU_MONITOR_TIMEOUT_MS, NULL);
    virDomainObjLock(obj);
    return rc;
}

int
qemuDomainSetMemoryFlags(virDomainPtr dom, unsigned long memory, unsigned int flags)
{
    qemuDriver *driver = qemuDriverOf(dom->conn);
    virDomainObj *obj;
    virDomainDef *persistent = NULL;
    int ret = -1;

    virCheckFlags(
        VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG | VIR_DOMAIN_MEM_MAXIMUM, -1);
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    if (qemuDomainResolveImpact(obj, &flags) < 0)
        goto endjob;
    if (flags & VIR_DOMAIN_AFFECT_CONFIG)
        persistent = virDomainObjGetPersistentDef(obj);

    if (flags & VIR_DOMAIN_MEM_MAXIMUM) {
        if (flags & VIR_DOMAIN_AFFECT_LIVE) {
            virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                           "cannot resize the maximum memory on an active domain");
            goto endjob;
        }
        /* libvirt: the cells' sizes cannot follow, and <maxMemory> bounds it */
        if (persistent->nnumaCells) {
            virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                           "initial memory size of a domain with NUMA nodes cannot be "
                           "modified with this API");
            goto endjob;
        }
        if (persistent->maxMemory && persistent->maxMemory < memory) {
            virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                           "cannot set initial memory size greater than the maximum "
                           "memory size");
            goto endjob;
        }
        persistent->memory = memory;
        if (persistent->currentMemory > memory)
            persistent->currentMemory = memory;
    } else {
        if (flags & VIR_DOMAIN_AFFECT_LIVE) {
            if (memory > obj->def->memory) {
                virReportError(VIR_ERR_INVALID_ARG, "%s",
                               "cannot set memory higher than max memory");
                goto endjob;
            }
            if (obj->def->memballoon &&
                obj->def->memballoon->model == VIR_DOMAIN_MEMBALLOON_MODEL_NONE) {
                virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                               "Unable to change memory of active domain without the "
                               "balloon device and guest OS balloon driver");
                goto endjob;
            }
            if (qemuDomainBalloon(obj, memory) < 0)
                goto endjob;
            if (!virDomainObjIsActive(obj)) {
                virReportError(VIR_ERR_OPERATION_FAILED, "%s",
                               "domain is no longer running");
                goto endjob;
            }
            /* the target: what the guest reaches shows in query-balloon
             * (virDomainMemoryStats' "actual") */
            obj->def->currentMemory = memory;
            qemuDomainSaveStatus(driver, obj);
        }
        if (persistent) {
            if (memory > persistent->memory) {
                virReportError(VIR_ERR_INVALID_ARG, "%s",
                               "cannot set memory higher than max memory");
                goto endjob;
            }
            persistent->currentMemory = memory;
        }
    }
    if (persistent && qemuDomainSaveConfig(driver, persistent,
                                           qemuDomainPriv(obj)->graceOverrideSec) < 0)
        goto endjob;
    ret = 0;

endjob:
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

int
qemuDomainMonitorCommandJob(virDomainPtr dom, const char *command)
{
    virDomainObj *obj;
    int ret = -1;

    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    if (qemuDomainObjCheckActive(obj) == 0 &&
        qemuProcessMonitorCommand(obj, command) == 0)
        ret = 0;
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

int
qemuDomainInjectNMI(virDomainPtr dom, unsigned int flags)
{
    virCheckFlags(0, -1);
    return qemuDomainMonitorCommandJob(dom, "inject-nmi");
}
