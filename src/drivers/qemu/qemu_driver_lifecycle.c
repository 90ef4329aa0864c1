/* qemu_driver_lifecycle.c: QEMU driver entry points that change a domain's life: define, start, stop */

/*
 * Threads: every entry point runs on the caller's thread. It looks the
 * object up (locked), takes a per-domain job for anything that changes
 * state, and drops the object lock while it waits on QEMU (see
 * qemu_process.c). No driver-wide lock is held across a wait, so a hung
 * QEMU only delays calls on its own domain. Destroy's kill phase runs
 * before it takes the job, so it also works while another call on the
 * same domain is stuck on a hung QEMU.
 */

#define G_LOG_DOMAIN "virtkit.qemu.lifecycle"
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "domain_stop_policy.h"
#include "qemu_driver_priv.h"
#include "qemu_tpm.h"
#include "qemu_process.h"
#include "qemu_capabilities_glue.h"
#include "qemu_firmware.h"
#include "virerror.h"
#include "virprocess.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

void
qemuDriverQueueLifecycle(qemuDriver *driver, virDomainObj *obj, int type, int detail)
{
    virObjectEventStateQueue(driver->events,
                             virDomainEventLifecycleNewFromObj(obj, type, detail));
}

/* Parse @xml for this driver: generic parse, then what the QEMU driver
 * rejects. Returns the def and the per-domain grace override. */
virDomainDef *
qemuDomainDefParseForDriver(qemuDriver *driver, const char *xml, unsigned int parseFlags,
                            int *graceSec)
{
    /* as libvirt's QEMU driver (define, create): a guest with NUMA cells
     * gets their sum as its <memory> */
    g_autoptr(virDomainDef) def =
        virDomainDefParseString(xml, parseFlags | VIR_DOMAIN_DEF_PARSE_ABI_UPDATE);
    virDomainStopPolicy stopPolicy;

    if (!def)
        return NULL;
    if (qemuGluePostParse(driver, def) < 0)
        return NULL;
    /* virtkit's own <metadata> (vkDomainStop's ladder): refused when invalid */
    if (virDomainStopPolicyFromDef(def, &stopPolicy) < 0)
        return NULL;
    *graceSec = qemuDomainParseGraceOverride(xml);
    return g_steal_pointer(&def);
}

virDomainPtr
qemuDomainDefineXMLFlags(virConnectPtr conn, const char *xml, unsigned int flags)
{
    qemuDriver *driver = qemuDriverOf(conn);
    g_autoptr(virDomainDef) def = NULL;
    g_autoptr(virDomainDef) oldDef = NULL;
    virDomainObj *obj = NULL;
    virDomainPtr ret = NULL;
    int graceSec = -1;
    bool wasPersistent;
    bool isNew;

    virCheckFlags(VIR_DOMAIN_DEFINE_VALIDATE, NULL);

    if (!(def = qemuDomainDefParseForDriver(driver, xml,
                                            VIR_DOMAIN_DEF_PARSE_INACTIVE |
                                                ((flags & VIR_DOMAIN_DEFINE_VALIDATE)
                                                     ? VIR_DOMAIN_DEF_PARSE_VALIDATE
                                                     : 0),
                                            &graceSec)))
        return NULL;

    if (!(obj = virDomainObjListAdd(driver->domains, &def, 0, &oldDef)))
        return NULL;
    isNew = obj->privateData == NULL;
    if (isNew)
        qemuDomainObjInitPrivate(obj, driver);
    wasPersistent = obj->persistent;

    /* Not defined until durable: on a failed write the list goes back to
     * what it was. A new definition starts without autostart: a link left
     * by an undefine cut short goes before the definition is written. */
    if ((!wasPersistent &&
         qemuDomainSetAutostartLink(driver, obj->def->name, false) < 0) ||
        qemuDomainSaveConfig(driver, virDomainObjGetPersistentDef(obj), graceSec) < 0) {
        if (isNew) {
            virDomainObjListRemove(driver->domains, obj);
        } else if (obj->newDef) {
            virDomainDefFree(obj->newDef);
            obj->newDef = g_steal_pointer(&oldDef);
        } else if (oldDef) {
            virDomainDefFree(obj->def);
            obj->def = g_steal_pointer(&oldDef);
        }
        virDomainObjEndAPI(&obj);
        return NULL;
    }
    obj->persistent = true;
    qemuDomainPriv(obj)->graceOverrideSec = graceSec;

    qemuDriverQueueLifecycle(driver, obj, VIR_DOMAIN_EVENT_DEFINED,
                             (isNew || !wasPersistent) && !oldDef
                                 ? VIR_DOMAIN_EVENT_DEFINED_ADDED
                                 : VIR_DOMAIN_EVENT_DEFINED_UPDATED);
    ret = qemuDomainHandle(conn, obj);
    virDomainObjEndAPI(&obj);
    return ret;
}

/* libvirt's: a domain's NVRAM (its own, or the one firmware autoselection
 * would give it) goes with VIR_DOMAIN_UNDEFINE_NVRAM, stays with KEEP_NVRAM,
 * and otherwise forbids the undefine. */
static int
qemuDomainUndefineNVRAM(qemuDriver *driver, virDomainObj *obj, unsigned int flags)
{
    const virDomainDef *def = obj->newDef ? obj->newDef : obj->def;
    g_autofree char *path = NULL;

    if (def->os.nvram) {
        path = g_strdup(def->os.nvram);
    } else if (def->os.firmware == VIR_DOMAIN_OS_FIRMWARE_EFI) {
        g_autofree char *dir = qemuGlueNVRAMDir(driver);

        path = qemuFirmwareNVRAMPath(dir, def->name);
    }
    if (!path || !g_file_test(path, G_FILE_TEST_EXISTS))
        return 0;
    if (flags & VIR_DOMAIN_UNDEFINE_NVRAM) {
        if (unlink(path) < 0) {
            virReportSystemError(errno, "failed to remove nvram: %s", path);
            return -1;
        }
    } else if (!(flags & VIR_DOMAIN_UNDEFINE_KEEP_NVRAM)) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "cannot undefine domain with nvram");
        return -1;
    }
    return 0;
}

int
qemuDomainUndefineFlags(virDomainPtr dom, unsigned int flags)
{
    qemuDriver *driver = qemuDriverOf(dom->conn);
    virDomainObj *obj;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_UNDEFINE_MANAGED_SAVE |
                      VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA | VIR_DOMAIN_UNDEFINE_NVRAM |
                      VIR_DOMAIN_UNDEFINE_KEEP_NVRAM |
                      VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA | VIR_DOMAIN_UNDEFINE_TPM |
                      VIR_DOMAIN_UNDEFINE_KEEP_TPM,
                  -1);

    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    if (!obj->persistent) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "cannot undefine transient domain");
        goto endjob;
    }
    if ((flags & VIR_DOMAIN_UNDEFINE_KEEP_NVRAM) && (flags & VIR_DOMAIN_UNDEFINE_NVRAM)) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "cannot both keep and delete nvram");
        goto endjob;
    }
    if ((flags & VIR_DOMAIN_UNDEFINE_TPM) && (flags & VIR_DOMAIN_UNDEFINE_KEEP_TPM)) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "cannot both keep and delete TPM");
        goto endjob;
    }
    if (obj->hasManagedSave) {
        g_autofree char *msave = qemuDomainManagedSavePath(driver, obj->def->name);

        if (!(flags & VIR_DOMAIN_UNDEFINE_MANAGED_SAVE)) {
            virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                           "Refusing to undefine while domain managed save image exists");
            goto endjob;
        }
        if (unlink(msave) < 0 && errno != ENOENT) {
            virReportSystemError(errno, "Failed to remove managed save file '%s'", msave);
            goto endjob;
        }
        obj->hasManagedSave = false;
    }
    if (qemuSnapshotCheckUndefine(driver, obj, flags) < 0 ||
        qemuCheckpointCheckUndefine(driver, obj, flags) < 0)
        goto endjob;
    if (qemuDomainUndefineNVRAM(driver, obj, flags) < 0)
        goto endjob;
    if (qemuDomainRemoveConfig(driver, obj->def->name) < 0)
        goto endjob;

    qemuDriverQueueLifecycle(driver, obj, VIR_DOMAIN_EVENT_UNDEFINED,
                             VIR_DOMAIN_EVENT_UNDEFINED_REMOVED);
    obj->autostart = false;
    obj->persistent = false;
    if (virDomainObjIsActive(obj)) {
        /* keeps running as a transient domain (its TPM state goes when it
         * stops, as libvirt's) */
        g_clear_pointer(&obj->newDef, virDomainDefFree);
        qemuDomainSaveStatus(driver, obj);
    } else {
        qemuTPMCleanupStorage(driver, obj->def, flags);
    }
    ret = 0;

endjob:
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
    if (ret == 0)
        qemuDomainRemoveInactive(driver, obj);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

/* Start @obj (locked, MODIFY job held) and queue libvirt's events. */
static int
qemuDomainStartAndNotify(qemuDriver *driver, virDomainObj *obj, unsigned int flags)
{
    if (qemuProcessStart(driver, obj, flags) < 0)
        return -1;
    qemuDriverQueueLifecycle(driver, obj, VIR_DOMAIN_EVENT_STARTED,
                             VIR_DOMAIN_EVENT_STARTED_BOOTED);
    if (flags & VIR_DOMAIN_START_PAUSED)
        qemuDriverQueueLifecycle(driver, obj, VIR_DOMAIN_EVENT_SUSPENDED,
                                 VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
    return 0;
}

int
qemuDomainCreateWithFlags(virDomainPtr dom, unsigned int flags)
{
    qemuDriver *driver = qemuDriverOf(dom->conn);
    virDomainObj *obj;
    bool restored = false;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_START_PAUSED, -1);

    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    if (virDomainObjIsActive(obj)) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "domain is already running");
        goto endjob;
    }
    if (qemuDomainManagedSaveStart(driver, obj, flags, &restored) < 0)
        goto endjob;
    if (!restored && qemuDomainStartAndNotify(driver, obj, flags) < 0)
        goto endjob;
    dom->id = obj->def->id;
    ret = 0;

endjob:
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

int
qemuDomainAutostart(qemuDriver *driver, const unsigned char *uuid, const char *name)
{
    virDomainObj *obj = virDomainObjListFindByUUID(driver->domains, uuid);
    bool restored = false;
    int ret = -1;

    if (!obj) {
        virReportError(VIR_ERR_NO_DOMAIN, "no domain with matching name '%s'", name);
        return -1;
    }
    if (virDomainObjParsePending(obj) < 0) {
        qemuDriverDropUnparsable(driver, obj);
        virDomainObjEndAPI(&obj);
        return -1;
    }
    if (!obj->privateData)
        qemuDomainObjInitPrivate(obj, driver);
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    /* changed since it was picked: nothing to do */
    if (virDomainObjIsActive(obj) || !obj->autostart)
        ret = 0;
    else if (qemuDomainManagedSaveStart(driver, obj, 0, &restored) < 0)
        ret = -1;
    else
        ret = restored ? 0 : qemuDomainStartAndNotify(driver, obj, 0);
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

virDomainPtr
qemuDomainCreateXML(virConnectPtr conn, const char *xml, unsigned int flags)
{
    qemuDriver *driver = qemuDriverOf(conn);
    g_autoptr(virDomainDef) def = NULL;
    virDomainObj *obj;
    virDomainPtr ret = NULL;
    int graceSec = -1;

    virCheckFlags(VIR_DOMAIN_START_PAUSED | VIR_DOMAIN_START_VALIDATE, NULL);

    if (!(def = qemuDomainDefParseForDriver(
              driver, xml,
              (flags & VIR_DOMAIN_START_VALIDATE) ? VIR_DOMAIN_DEF_PARSE_VALIDATE : 0,
              &graceSec)))
        return NULL;
    if (!(obj = virDomainObjListAdd(
              driver->domains, &def,
              VIR_DOMAIN_OBJ_LIST_ADD_LIVE | VIR_DOMAIN_OBJ_LIST_ADD_CHECK_LIVE, NULL)))
        return NULL;
    if (!obj->privateData)
        qemuDomainObjInitPrivate(obj, driver);
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0) {
        qemuDomainRemoveInactive(driver, obj);
        goto cleanup;
    }
    if (!obj->persistent)
        qemuDomainPriv(obj)->graceOverrideSec = graceSec;
    if (qemuDomainStartAndNotify(driver, obj, flags & VIR_DOMAIN_START_PAUSED) < 0) {
        virDomainObjEndJob(obj, VIR_JOB_MODIFY);
        qemuDomainRemoveInactive(driver, obj);
        goto cleanup;
    }
    ret = qemuDomainHandle(conn, obj);
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);

cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

/* Shutdown and reboot: one ACPI power button press under a MODIFY job.
 * What the guest's power-off then becomes is decided here: a reboot is a
 * power-off that the SHUTDOWN handler turns into system_reset + cont
 * (unless on_reboot says to end the guest); a shutdown is one unless
 * on_poweroff says to restart. (The guest agent's way is tried first by
 * the callers, as libvirt's.) */
static int
qemuDomainPowerButton(virDomainPtr dom, bool reboot)
{
    virDomainObj *obj;
    qemuDomainObjPrivate *priv;
    int ret = -1;

    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    priv = qemuDomainPriv(obj);
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    if (reboot) {
        if (qemuDomainObjCheckActive(obj) < 0)
            goto endjob;
        priv->fakeReboot = !(obj->def->onReboot == VIR_DOMAIN_LIFECYCLE_ACTION_DESTROY ||
                             obj->def->onReboot == VIR_DOMAIN_LIFECYCLE_ACTION_PRESERVE);
    } else {
        /* libvirt's shutdown wants the vCPUs running (a paused guest
         * cannot see the button) */
        if (obj->state != VIR_DOMAIN_RUNNING || !virDomainObjIsActive(obj)) {
            virReportError(VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
            goto endjob;
        }
        priv->fakeReboot =
            obj->def->onPoweroff == VIR_DOMAIN_LIFECYCLE_ACTION_RESTART ||
            obj->def->onPoweroff == VIR_DOMAIN_LIFECYCLE_ACTION_RESTART_RENAME;
    }
    if (qemuProcessMonitorCommand(obj, "system_powerdown") < 0) {
        priv->fakeReboot = false;
        goto endjob;
    }
    ret = 0;

endjob:
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

/*
 * As libvirt 9.0's qemuDomainShutdownFlags / qemuDomainReboot: the guest
 * agent is used when asked for, or with no flags when the guest's agent is
 * connected; ACPI when asked for, with no flags, or when the agent was not
 * forced (both flags) and failed. A shutdown of a domain whose on_poweroff
 * restarts it asks the agent for a reboot, a reboot of one whose on_reboot
 * ends it for a power-off.
 */
static int
qemuDomainShutdownOrReboot(virDomainPtr dom, bool agentRequested, bool acpiRequested,
                           bool reboot)
{
    bool noFlags = !agentRequested && !acpiRequested;
    bool agentMode = reboot;
    int ret = -1;

    {
        virDomainObj *obj;

        if (!(obj = qemuDomainObjFromDomain(dom)))
            return -1;
        if (reboot)
            agentMode = !(obj->def->onReboot == VIR_DOMAIN_LIFECYCLE_ACTION_DESTROY ||
                          obj->def->onReboot == VIR_DOMAIN_LIFECYCLE_ACTION_PRESERVE);
        else
            agentMode =
                obj->def->onPoweroff == VIR_DOMAIN_LIFECYCLE_ACTION_RESTART ||
                obj->def->onPoweroff == VIR_DOMAIN_LIFECYCLE_ACTION_RESTART_RENAME;
        virDomainObjEndAPI(&obj);
    }
    if (agentRequested || noFlags) {
        ret = qemuDomainShutdownAgent(dom, agentMode, agentRequested && !acpiRequested);
        if (ret == 0 || (agentRequested && !acpiRequested))
            return ret == 0 ? 0 : -1;
        if (ret == -1 && !acpiRequested && !noFlags)
            return -1;
        /* the agent's failure is not the caller's: ACPI instead */
        virResetLastError();
    }
    return qemuDomainPowerButton(dom, reboot);
}

int
qemuDomainShutdownFlags(virDomainPtr dom, unsigned int flags)
{
    virCheckFlags(VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN | VIR_DOMAIN_SHUTDOWN_GUEST_AGENT,
                  -1);

    return qemuDomainShutdownOrReboot(dom, flags & VIR_DOMAIN_SHUTDOWN_GUEST_AGENT,
                                      flags & VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN, false);
}

int
qemuDomainReboot(virDomainPtr dom, unsigned int flags)
{
    virCheckFlags(VIR_DOMAIN_REBOOT_ACPI_POWER_BTN | VIR_DOMAIN_REBOOT_GUEST_AGENT, -1);

    return qemuDomainShutdownOrReboot(dom, flags & VIR_DOMAIN_REBOOT_GUEST_AGENT,
                                      flags & VIR_DOMAIN_REBOOT_ACPI_POWER_BTN, true);
}

int
qemuDomainReset(virDomainPtr dom, unsigned int flags)
{
    qemuDriver *driver = qemuDriverOf(dom->conn);
    virDomainObj *obj;
    guint64 runId;
    int ret = -1;

    virCheckFlags(0, -1);

    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    if (qemuDomainObjCheckActive(obj) < 0)
        goto endjob;
    runId = qemuDomainPriv(obj)->runId;
    qemuDomainPriv(obj)->resetShutdown = false;
    if (qemuProcessMonitorCommand(obj, "system_reset") < 0) {
        /* Under on_reboot destroy QEMU turns the reset into a shutdown
         * whose SHUTDOWN may overtake the reply, and ending QEMU on it
         * then fails the command (EOF): the reset was carried out and the
         * guest ends as its definition says, what libvirt answers when
         * the reply comes first. (Tolerated: the monitor has no quiet
         * variant of the command.) */
        if (qemuDomainPriv(obj)->runId != runId || !qemuDomainPriv(obj)->resetShutdown)
            goto endjob;
        g_debug("reset of '%s': its SHUTDOWN came before the reply (%s)", obj->def->name,
                virGetLastErrorMessage());
        virResetLastError();
    }
    qemuDomainPriv(obj)->fakeReboot = false;
    if (obj->state == VIR_DOMAIN_CRASHED) {
        virDomainObjSetState(obj, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_CRASHED);
        qemuDomainSaveStatus(driver, obj);
    }
    ret = 0;

endjob:
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

int
qemuDomainDestroyFlags(virDomainPtr dom, unsigned int flags)
{
    qemuDriver *driver = qemuDriverOf(dom->conn);
    virDomainObj *obj;
    qemuDomainObjPrivate *priv;
    virObjectEvent *ev = NULL;
    guint64 runId;
    int ret = -1;
    int rc;

    virCheckFlags(VIR_DOMAIN_DESTROY_GRACEFUL | VIR_DOMAIN_DESTROY_REMOVE_LOGS, -1);

    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    priv = qemuDomainPriv(obj);
    if (qemuDomainObjCheckActive(obj) < 0)
        goto cleanup;
    if (priv->pidfd < 0) {
        /* active without a process handle: a start that has not spawned
         * yet holds the job; wait for it like any other call */
        if (virDomainObjBeginJob(obj, VIR_JOB_DESTROY, QEMU_JOB_WAIT_MS) < 0)
            goto cleanup;
        virDomainObjEndJob(obj, VIR_JOB_DESTROY);
        if (qemuDomainObjCheckActive(obj) < 0 || priv->pidfd < 0) {
            if (virDomainObjIsActive(obj))
                virReportError(VIR_ERR_OPERATION_FAILED, "%s",
                               "QEMU process is not known");
            goto cleanup;
        }
    }
    runId = priv->runId;

    /* Kill phase, before taking the job: a call stuck on this QEMU holds
     * the job, and only the process's death releases it. */
    priv->beingDestroyed++;
    rc = qemuProcessKill(obj, flags & VIR_DOMAIN_DESTROY_GRACEFUL);
    if (rc < 0) {
        if (priv->runId == runId && !priv->exitSeen &&
            !(priv->pidfd >= 0 && virProcessPidfdHasExited(priv->pidfd))) {
            /* Still running: nothing more is sent, nothing changes. */
            priv->beingDestroyed--;
            goto cleanup;
        }
        /* It exited right at the deadline after all: finish the destroy. */
    }

    if (virDomainObjBeginJob(obj, VIR_JOB_DESTROY, QEMU_JOB_WAIT_MS) < 0) {
        priv->beingDestroyed--;
        goto cleanup;
    }
    priv->beingDestroyed--;
    if (priv->runId != runId || !virDomainObjIsActive(obj)) {
        virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_INVALID, __func__, "%s",
                           "domain is not running");
        goto endjob;
    }
    priv->fakeReboot = false;
    qemuProcessStop(driver, obj, VIR_DOMAIN_SHUTOFF_DESTROYED);
    ev = virDomainEventLifecycleNewFromObj(obj, VIR_DOMAIN_EVENT_STOPPED,
                                           VIR_DOMAIN_EVENT_STOPPED_DESTROYED);
    dom->id = -1;
    ret = 0;

endjob:
    virDomainObjEndJob(obj, VIR_JOB_DESTROY);
    /* out of the list (if transient) before the event can be seen */
    qemuDomainRemoveInactive(driver, obj);
    virObjectEventStateQueue(driver->events, ev);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

int
qemuDomainSuspend(virDomainPtr dom)
{
    qemuDriver *driver = qemuDriverOf(dom->conn);
    virDomainObj *obj;
    int ret = -1;

    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    if (qemuDomainObjCheckActive(obj) < 0)
        goto endjob;
    if (obj->state == VIR_DOMAIN_PAUSED) {
        ret = 0; /* libvirt's QEMU driver: a no-op success */
        goto endjob;
    }
    if (obj->state == VIR_DOMAIN_SHUTDOWN) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
        goto endjob;
    }
    qemuDomainPriv(obj)->pausedReason = VIR_DOMAIN_PAUSED_USER;
    if (qemuProcessMonitorCommand(obj, "stop") < 0)
        goto endjob;
    if (obj->state != VIR_DOMAIN_PAUSED && virDomainObjIsActive(obj)) {
        /* the STOP event did not arrive before the reply */
        virDomainObjSetState(obj, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER);
        qemuDriverQueueLifecycle(driver, obj, VIR_DOMAIN_EVENT_SUSPENDED,
                                 VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
    }
    if (virDomainObjIsActive(obj))
        qemuDomainSaveStatus(driver, obj);
    ret = 0;

endjob:
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

int
qemuDomainResume(virDomainPtr dom)
{
    qemuDriver *driver = qemuDriverOf(dom->conn);
    virDomainObj *obj;
    int ret = -1;

    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    if (qemuDomainObjCheckActive(obj) < 0)
        goto endjob;
    if (obj->state == VIR_DOMAIN_RUNNING) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "domain is already running");
        goto endjob;
    }
    if (obj->state == VIR_DOMAIN_SHUTDOWN) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "domain is shutting down");
        goto endjob;
    }
    qemuDomainPriv(obj)->runningReason = VIR_DOMAIN_RUNNING_UNPAUSED;
    if (qemuProcessMonitorCommand(obj, "cont") < 0)
        goto endjob;
    if (obj->state != VIR_DOMAIN_RUNNING && virDomainObjIsActive(obj)) {
        virDomainObjSetState(obj, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNPAUSED);
        qemuDriverQueueLifecycle(driver, obj, VIR_DOMAIN_EVENT_RESUMED,
                                 VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
    }
    if (virDomainObjIsActive(obj))
        qemuDomainSaveStatus(driver, obj);
    ret = 0;

endjob:
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

int
qemuDomainSetAutostart(virDomainPtr dom, int autostart)
{
    qemuDriver *driver = qemuDriverOf(dom->conn);
    virDomainObj *obj;
    int ret = -1;

    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (!obj->persistent) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "cannot set autostart for transient domain");
        goto cleanup;
    }
    if (qemuDomainSetAutostartLink(driver, obj->def->name, autostart != 0) < 0)
        goto cleanup;
    obj->autostart = autostart != 0;
    ret = 0;

cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}
