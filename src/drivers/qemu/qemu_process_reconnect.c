/* qemu_process_reconnect.c: QEMU process lifecycle: status files and reconnect at driver start */
/*
 * Threads: qemuProcessReconnectAll runs once, on the thread creating the
 * driver, before any caller can see the domains; it takes a MODIFY job
 * per running domain and hands it, with the monitor handshake, to the
 * driver's worker pool (qemuProcessReconnectWorker), so one hung QEMU
 * cannot stall the others or the daemon. The worker follows
 * qemu_process.c's protocol (object lock dropped while waiting on QEMU).
 */

#define G_LOG_DOMAIN "virtkit.qemu.reconnect"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <glib-unix.h>
#include <json-c/json.h>

#include "qemu_passt.h"
#include "qemu_virtiofs.h"
#include "qemu_tpm.h"
#include "qemu_process.h"
#include "qemu_process_priv.h"
#include "qemu_driver_priv.h"
#include "qemu_blockjob.h"
#include "qemu_cgroup.h"
#include "qemu_perf.h"
#include "qemu_hotplug.h"
#include "qemu_interface.h"
#include "qemu_capabilities_glue.h"
#include "qemu_command.h"
#include "qemu_monitor.h"
#include "qemu_security.h"
#include "virerror.h"
#include "virfile.h"
#include "virprocess.h"
#include "virtkit-config.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

/* Deadline for re-opening the monitor of one running QEMU. */
#define QEMU_RECONNECT_TIMEOUT_MS 10000

/* True unless @obj's recorded process demonstrably runs a program other
 * than its emulator (unknown emulator or unreadable exe: not demonstrable). */
static bool
qemuProcessRunsEmulator(virDomainObj *obj)
{
    g_autofree char *exe = virProcessGetExePath(obj->pid);
    g_autofree char *emu = NULL;

    if (!exe || !obj->def->emulator)
        return true;
    if (!(emu = realpath(obj->def->emulator, NULL)))
        return true;
    return strcmp(exe, emu) == 0;
}

/* The recorded process is gone (or its pid now names another process):
 * the domain ends SHUTOFF/CRASHED with a STOPPED/FAILED event, nothing is
 * signalled. obj locked, job held. */
static void
qemuProcessReconnectDead(qemuDriver *driver, virDomainObj *obj, const char *why)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);

    g_debug("domain '%s': QEMU pid %lld %s: shut off (crashed)", obj->def->name,
            (long long)obj->pid, why);
    if (priv->pidfd >= 0) {
        close(priv->pidfd);
        priv->pidfd = -1;
    }
    qemuProcessStop(driver, obj, VIR_DOMAIN_SHUTOFF_CRASHED);
    /* libvirt emits nothing here; we tell the first listener (the events
     * are in keep mode while the driver starts: qemuDriverNew) */
    virObjectEventStateQueue(driver->events, virDomainEventLifecycleNewFromObj(
                                                 obj, VIR_DOMAIN_EVENT_STOPPED,
                                                 VIR_DOMAIN_EVENT_STOPPED_FAILED));
}

static void
qemuProcessReconnectWorker(qemuDriver *driver, gpointer data)
{
    qemuProcessObjRef *ref = data;
    virDomainObj *obj = ref->obj;
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    g_autofree char *status = NULL;
    int fd;

    /* The MODIFY job was taken for us by qemuProcessReconnectAll. */
    virDomainObjLock(obj);
    if (priv->runId != ref->runId || !virDomainObjIsActive(obj))
        goto endjob;
    /* the guest's cgroup is found by its pid alone: adopted even when the
     * monitor cannot be reached (a busy host), so tuning keeps working */
    qemuCgroupReconnect(driver, obj);
    /* <perf>: counting starts again (the kernel's counters died with the
     * old daemon's descriptors) */
    qemuPerfReconnect(obj);

    if ((fd = qemuProcessConnectSocket(priv->monitorPath)) < 0 ||
        qemuProcessOpenMonitor(obj, fd, QEMU_RECONNECT_TIMEOUT_MS) < 0 ||
        !(status = qemuProcessQueryStatus(obj, QEMU_RECONNECT_TIMEOUT_MS))) {
        /* Never kill a guest we merely failed to talk to: it keeps running,
         * watched by its pidfd; calls needing the monitor fail clearly. */
        g_debug("cannot reconnect to QEMU of '%s' (pid %lld): %s", obj->def->name,
                (long long)obj->pid, virErrorIsSet() ? "monitor unreachable" : "");
        qemuProcessCloseMonitor(obj);
        goto endjob;
    }
    if (priv->runId != ref->runId || !virDomainObjIsActive(obj))
        goto endjob;

    g_debug("reconnected to '%s' (pid %lld), QEMU status '%s'", obj->def->name,
            (long long)obj->pid, status);
    {
        virErrorPtr saved = NULL;
        bool answered;

        /* tolerated: GetVcpus asks QEMU anew; pinning needs them later */
        virErrorPreserveLast(&saved);
        if (!(answered = qemuCgroupRefreshVcpuTids(obj) == 0))
            g_debug("cannot read the vCPU threads of '%s'", obj->def->name);
        virErrorRestore(&saved);
        if (priv->runId != ref->runId || !virDomainObjIsActive(obj))
            goto endjob;
        /* a QEMU that did not answer that is not asked again (one
         * deadline, not two) */
        if (answered)
            qemuStatsRefreshBalloonIdle(obj);
    }
    if (priv->runId != ref->runId || !virDomainObjIsActive(obj))
        goto endjob;
    {
        g_autoptr(json_object) jobs = NULL;
        virErrorPtr saved = NULL;

        /* block jobs QEMU kept running while the daemon was away */
        virErrorPreserveLast(&saved);
        if (qemuHotplugMonitor(obj, "query-block-jobs", NULL, &jobs) == 0)
            qemuBlockJobReconnect(driver, obj, jobs);
        virErrorRestore(&saved);
    }
    if (priv->runId != ref->runId || !virDomainObjIsActive(obj))
        goto endjob;
    if (g_str_equal(status, "shutdown")) {
        if (priv->fakeReboot) {
            priv->pausedShutdown = true;
            qemuDriverRunWorker(driver, qemuProcessFakeRebootWorker,
                                qemuProcessObjRefNew(obj, priv->runId),
                                qemuProcessObjRefFree);
        } else {
            /* powered off while nobody watched: finish it off */
            virDomainObjSetState(obj, VIR_DOMAIN_SHUTDOWN, VIR_DOMAIN_SHUTDOWN_UNKNOWN);
            qemuProcessTerminateGently(driver, obj);
        }
    } else if (g_str_equal(status, "running")) {
        if (obj->state == VIR_DOMAIN_PAUSED &&
            obj->reason == VIR_DOMAIN_PAUSED_STARTING_UP)
            virDomainObjSetState(obj, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED);
        else if (obj->state == VIR_DOMAIN_PAUSED)
            virDomainObjSetState(obj, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNPAUSED);
        else if (obj->state != VIR_DOMAIN_RUNNING)
            virDomainObjSetState(obj, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNKNOWN);
    } else if (obj->state == VIR_DOMAIN_PAUSED &&
               obj->reason == VIR_DOMAIN_PAUSED_STARTING_UP) {
        /* Its start never completed (no caller was told it runs): as
         * libvirt, it is ended. */
        virObjectEvent *ev;

        qemuProcessStop(driver, obj, VIR_DOMAIN_SHUTOFF_FAILED);
        ev = virDomainEventLifecycleNewFromObj(obj, VIR_DOMAIN_EVENT_STOPPED,
                                               VIR_DOMAIN_EVENT_STOPPED_FAILED);
        virDomainObjEndJob(obj, VIR_JOB_MODIFY);
        qemuDomainRemoveInactive(driver, obj);
        virDomainObjUnlock(obj);
        virObjectEventStateQueue(driver->events, ev);
        return;
    } else if (obj->state == VIR_DOMAIN_RUNNING) {
        virDomainObjSetState(obj, VIR_DOMAIN_PAUSED,
                             g_str_equal(status, "guest-panicked")
                                 ? VIR_DOMAIN_PAUSED_CRASHED
                                 : VIR_DOMAIN_PAUSED_UNKNOWN);
    }
    if (virDomainObjIsActive(obj))
        qemuDomainSaveStatus(driver, obj);

endjob:
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
    virDomainObjUnlock(obj);
}

/* Attach one status file to the domain list. Returns the object locked
 * with a reference, or NULL (the file is left for inspection). */
static virDomainObj *
qemuProcessLoadStatus(qemuDriver *driver, const char *path, qemuDomainStatus *st)
{
    virDomainObj *obj = virDomainObjListFindByName(driver->domains, st->def->name);
    qemuDomainObjPrivate *priv;

    if (obj) {
        if (memcmp(obj->def->uuid, st->def->uuid, VIR_UUID_BUFLEN) != 0) {
            g_debug("status file '%s' names domain '%s' with another uuid: skipped", path,
                    st->def->name);
            virDomainObjEndAPI(&obj);
            return NULL;
        }
        /* persistent definition loaded first: the status def is the live one
         * (and a config that does not parse leaves the guest transient) */
        if (virDomainObjParsePending(obj) < 0) {
            VIR_NOTICE("config of running domain '%s' does not load: %s", obj->def->name,
                       virGetLastErrorMessage());
            virResetLastError();
            obj->pendingDir = NULL;
            obj->persistent = false;
        }
        virDomainDefFree(obj->newDef);
        obj->newDef = obj->def;
        obj->def = g_steal_pointer(&st->def);
    } else {
        if (!(obj = virDomainObjListAdd(driver->domains, &st->def,
                                        VIR_DOMAIN_OBJ_LIST_ADD_LIVE, NULL))) {
            g_debug("status file '%s' not loaded", path);
            return NULL;
        }
        qemuDomainObjInitPrivate(obj, driver);
        obj->persistent = false;
    }
    priv = qemuDomainPriv(obj);
    obj->pid = st->pid;
    priv->starttime = st->starttime;
    priv->monitorPath = g_steal_pointer(&st->monitorPath);
    priv->libDir = g_steal_pointer(&st->libDir);
    qemuPasstReconnect(obj);
    qemuVirtioFSReconnect(driver, obj);
    qemuTPMReconnect(driver, obj);
    priv->fakeReboot = st->fakeReboot;
    obj->taint = st->taint;
    if (obj->deprecations)
        g_ptr_array_unref(obj->deprecations);
    obj->deprecations = g_steal_pointer(&st->deprecations);
    if (st->graceOverrideSec >= 0)
        priv->graceOverrideSec = st->graceOverrideSec;
    if (st->hasAgentTimeout)
        priv->agentTimeout = st->agentTimeout;
    priv->runId++;
    virDomainObjSetState(obj, st->state, st->reason);
    if (obj->def->id < 0)
        obj->def->id = virDomainObjListNextID(driver->domains);
    virDomainObjListBumpID(driver->domains, obj->def->id);
    return obj;
}

void
qemuProcessReconnectAll(qemuDriver *driver)
{
    g_autoptr(GDir) dir = g_dir_open(driver->stateDir, 0, NULL);
    const char *ent;

    if (!dir)
        return;
    while ((ent = g_dir_read_name(dir))) {
        g_autofree char *path = NULL;
        g_autoptr(qemuDomainStatus) st = NULL;
        virDomainObj *obj;
        qemuDomainObjPrivate *priv;
        unsigned long long starttime = 0;
        int pidfd;

        if (!g_str_has_suffix(ent, ".xml"))
            continue;
        path = g_build_filename(driver->stateDir, ent, NULL);
        if (!(st = qemuDomainStatusParseFile(path))) {
            g_debug("cannot load status file '%s'", path);
            continue;
        }
        if (!(obj = qemuProcessLoadStatus(driver, path, st)))
            continue;
        priv = qemuDomainPriv(obj);

        /* Nobody can hold a job yet: the state is not published. */
        if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0) {
            virDomainObjEndAPI(&obj);
            continue;
        }
        /* Identity: the pidfd pins the process; the start time taken after
         * opening it proves it is the one recorded, not a reused pid. */
        if (obj->pid <= 1 || (pidfd = virProcessPidfdOpen(obj->pid)) < 0) {
            qemuProcessReconnectDead(driver, obj, "is gone");
        } else if (virProcessPidfdHasExited(pidfd)) {
            /* a zombie nobody has reaped yet */
            close(pidfd);
            qemuProcessReconnectDead(driver, obj, "has exited");
        } else if (virProcessGetStartTime(obj->pid, &starttime) < 0 ||
                   starttime != priv->starttime) {
            close(pidfd);
            qemuProcessReconnectDead(driver, obj, "now names another process");
        } else if (!qemuProcessRunsEmulator(obj)) {
            /* Recorded, then its owner died before letting it exec (see
             * qemuProcessStart): it never became QEMU and is on its way
             * out; make sure of it. */
            virProcessPidfdKill(pidfd, SIGKILL);
            close(pidfd);
            qemuProcessReconnectDead(driver, obj, "never started its emulator");
        } else {
            priv->pidfd = pidfd;
            priv->ownChild = false;
            /* its cgroup, before any caller can see the domain (a tuning
             * call must not find it without one) */
            qemuCgroupReconnect(driver, obj);
            qemuProcessWatchPidfd(driver, obj);
            /* the job travels to the worker, which ends it */
            qemuDriverRunWorker(driver, qemuProcessReconnectWorker,
                                qemuProcessObjRefNew(obj, priv->runId),
                                qemuProcessObjRefFree);
            virDomainObjEndAPI(&obj);
            continue;
        }
        virDomainObjEndJob(obj, VIR_JOB_MODIFY);
        qemuDomainRemoveInactive(driver, obj);
        virDomainObjEndAPI(&obj);
    }
}
