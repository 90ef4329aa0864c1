/* qemu_process.c: QEMU process lifecycle: start, stop, kill, exit and QMP event handling */

/*
 * Threads and locks.
 * - API threads call qemuProcessStart/Stop/Kill with the domain object
 *   locked and a job held. They drop the object lock whenever they wait on
 *   QEMU (monitor handshake, QMP replies, process exit); the job keeps
 *   other state changes out meanwhile, and priv->mon / priv->pidfd only
 *   change under a job, so a job holder may use them unlocked.
 * - The monitor's own I/O thread calls qemuProcessHandleEvent for every
 *   QMP event. It takes the object lock briefly, never a job, never waits
 *   on QEMU: it updates state, queues events, sends signals through the
 *   pidfd, and hands anything that needs a job (fake reboot, crash action)
 *   to the driver's worker pool. A callback whose monitor is no longer
 *   priv->mon (the domain stopped or restarted) is ignored.
 * - The driver's "qemu-event" thread runs the pidfd watch and the SIGKILL
 *   timer; the watch hands the exit to the worker pool
 *   (qemuProcessHandleExit), which takes a DESTROY job and stops the
 *   domain. priv->runId tells stale notifications from current ones.
 * - While a destroy is in its kill phase (priv->beingDestroyed > 0) the
 *   exit handler and QEMU's SHUTDOWN/STOP reactions to SIGTERM are
 *   ignored: destroy finishes the domain itself (one STOPPED/DESTROYED).
 */

#define G_LOG_DOMAIN "virtkit.qemu.process"
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

#include "qemu_process.h"
#include "qemu_driver_priv.h"
#include "qemu_cgroup.h"
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

static void qemuProcessHandleEvent(qemuMonitor *mon, const char *name, json_object *data,
                                   gint64 timestamp_us, void *opaque);
static void qemuProcessHandleEOF(qemuMonitor *mon, bool error, const char *reason,
                                 void *opaque);

static const qemuMonitorCallbacks qemuProcessMonitorCallbacks = {
    .event = qemuProcessHandleEvent,
    .eof = qemuProcessHandleEOF,
};

/* ---- helpers ------------------------------------------------------- */

typedef struct {
    virDomainObj *obj;
    guint64 runId;
} qemuProcessObjRef;

static qemuProcessObjRef *
qemuProcessObjRefNew(virDomainObj *obj, guint64 runId)
{
    qemuProcessObjRef *ref = g_new0(qemuProcessObjRef, 1);

    ref->obj = virDomainObjRef(obj);
    ref->runId = runId;
    return ref;
}

static void
qemuProcessObjRefFree(gpointer data)
{
    qemuProcessObjRef *ref = data;

    virDomainObjUnref(ref->obj);
    g_free(ref);
}

static void
qemuProcessQueueEvent(qemuDriver *driver, virDomainObj *obj, int type, int detail)
{
    virObjectEventStateQueue(driver->events,
                             virDomainEventLifecycleNewFromObj(obj, type, detail));
}

static char *
qemuProcessShortName(const virDomainDef *def)
{
    /* first 20 characters, multibyte-safe (as libvirt's shortname) */
    const char *end = def->name;

    for (int i = 0; i < 20 && *end; i++)
        end = g_utf8_next_char(end);
    return g_strndup(def->name, end - def->name);
}

static void
qemuProcessRemoveLibDir(qemuDomainObjPrivate *priv, const virDomainDef *def)
{
    if (priv->monitorPath)
        unlink(priv->monitorPath);
    /* the channel sockets made in it for this run */
    for (size_t i = 0; priv->libDir && i < def->nchannels; i++) {
        const virDomainChannelDef *c = def->channels[i];

        if (c->unixSocket && !c->connect && c->path &&
            g_str_has_prefix(c->path, priv->libDir))
            unlink(c->path);
    }
    if (priv->libDir && rmdir(priv->libDir) < 0 && errno != ENOENT)
        g_debug("cannot remove '%s': %s", priv->libDir, g_strerror(errno));
}

/* ---- pidfd watch and the SIGKILL timer ------------------------------- */

static void
qemuProcessExitWorker(qemuDriver *driver, gpointer data)
{
    qemuProcessObjRef *ref = data;

    qemuProcessHandleExit(driver, ref->obj, ref->runId);
}

static gboolean
qemuProcessPidfdReady(gint fd, GIOCondition cond, gpointer data)
{
    qemuProcessObjRef *ref = data;
    qemuDomainObjPrivate *priv = qemuDomainPriv(ref->obj);

    qemuDriverRunWorker(priv->driver, qemuProcessExitWorker,
                        qemuProcessObjRefNew(ref->obj, ref->runId),
                        qemuProcessObjRefFree);
    return G_SOURCE_REMOVE;
}

/* Watch priv->pidfd from the driver's event thread (obj locked). */
static void
qemuProcessWatchPidfd(qemuDriver *driver, virDomainObj *obj)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    GSource *src = g_unix_fd_source_new(priv->pidfd, G_IO_IN);

    g_source_set_callback(src, G_SOURCE_FUNC(qemuProcessPidfdReady),
                          qemuProcessObjRefNew(obj, priv->runId), qemuProcessObjRefFree);
    g_source_attach(src, driver->ioContext);
    priv->pidfdWatch = src;
}

static gboolean
qemuProcessKillTimerFired(gpointer data)
{
    qemuProcessObjRef *ref = data;
    qemuDomainObjPrivate *priv = qemuDomainPriv(ref->obj);

    virDomainObjLock(ref->obj);
    if (priv->runId == ref->runId && priv->pidfd >= 0 && priv->killTimer) {
        g_debug("QEMU of '%s' (pid %lld) outlived the grace period: SIGKILL",
                ref->obj->def->name, (long long)ref->obj->pid);
        if (virProcessPidfdKill(priv->pidfd, SIGKILL) < 0 && errno != ESRCH)
            g_debug("SIGKILL failed: %s", g_strerror(errno));
        g_source_unref(priv->killTimer);
        priv->killTimer = NULL;
    }
    virDomainObjUnlock(ref->obj);
    return G_SOURCE_REMOVE;
}

/* End QEMU gently: SIGTERM now (QEMU flushes its disks and exits), SIGKILL
 * if it is still there after the grace period. Never blocks (obj locked). */
static void
qemuProcessTerminateGently(qemuDriver *driver, virDomainObj *obj)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    GSource *src;

    if (priv->pidfd < 0 || priv->killTimer)
        return;
    if (virProcessPidfdKill(priv->pidfd, SIGTERM) < 0) {
        g_debug("SIGTERM to %lld failed: %s", (long long)obj->pid, g_strerror(errno));
        return;
    }
    src = g_timeout_source_new(qemuDomainGraceMs(obj));
    g_source_set_callback(src, qemuProcessKillTimerFired,
                          qemuProcessObjRefNew(obj, priv->runId), qemuProcessObjRefFree);
    g_source_attach(src, driver->ioContext);
    priv->killTimer = src;
}

/* ---- monitor glue ---------------------------------------------------- */

int
qemuProcessMonitorCommand(virDomainObj *obj, const char *cmd)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    qemuMonitor *mon = priv->mon;
    int rc;

    if (!mon) {
        virReportError(VIR_ERR_OPERATION_FAILED, "%s", "QEMU monitor is not connected");
        return -1;
    }
    /* the events this command causes are its caller's (event journal) */
    g_free(priv->cmdRequestor);
    priv->cmdRequestor = g_strdup(virObjectEventGetRequestor());
    priv->cmdPending = priv->cmdRequestor ? cmd : NULL;
    virDomainObjUnlock(obj);
    rc = qemuMonitorCommand(mon, cmd, NULL, QEMU_MONITOR_TIMEOUT_MS, NULL);
    virDomainObjLock(obj);
    priv->cmdPending = NULL;
    g_clear_pointer(&priv->cmdRequestor, g_free);
    return rc;
}

/* Ask QEMU for its run state ("running", "paused", "shutdown", ...).
 * obj locked and job held; lock dropped while waiting. */
static char *
qemuProcessQueryStatus(virDomainObj *obj, int timeout_ms)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    qemuMonitor *mon = priv->mon;
    char *status = NULL;
    int rc;

    g_autoptr(json_object) reply = NULL;
    json_object *st = NULL;

    virDomainObjUnlock(obj);
    rc = qemuMonitorCommand(mon, "query-status", NULL, timeout_ms, &reply);
    virDomainObjLock(obj);
    if (rc < 0)
        return NULL;
    if (!json_object_object_get_ex(reply, "status", &st)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "query-status reply has no 'status'");
        return NULL;
    }
    status = g_strdup(json_object_get_string(st));
    return status;
}

/* Connect to the monitor listening at @path (reconnect). -1 on failure
 * (SYSTEM_ERROR reported). */
static int
qemuProcessConnectSocket(const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int fd;

    if (strlen(path) >= sizeof(addr.sun_path)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "monitor path '%s' too long", path);
        return -1;
    }
    strcpy(addr.sun_path, path);
    if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
        virReportSystemError(errno, "%s", "cannot create socket");
        return -1;
    }
    if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
        virReportSystemError(errno, "failed to connect to monitor socket '%s'", path);
        close(fd);
        return -1;
    }
    return fd;
}

/* Open the monitor on connected @fd (obj locked, job held; the lock is
 * dropped during the handshake). 0 or -1 (error reported). */
static int
qemuProcessOpenMonitor(virDomainObj *obj, int fd, unsigned int timeout_ms)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    qemuMonitor *mon;

    /* The monitor holds a reference on obj for its callbacks; it is
     * released by qemuProcessCloseMonitor. */
    virDomainObjRef(obj);
    virDomainObjUnlock(obj);
    mon = qemuMonitorOpen(fd, &qemuProcessMonitorCallbacks, obj, (int)timeout_ms);
    virDomainObjLock(obj);
    if (!mon) {
        virDomainObjUnref(obj);
        return -1;
    }
    priv->mon = mon;
    return 0;
}

/* Close the monitor (obj locked, job held). The lock is dropped while the
 * monitor thread winds down, since its callbacks take the lock. */
static void
qemuProcessCloseMonitor(virDomainObj *obj)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    qemuMonitor *mon = g_steal_pointer(&priv->mon);

    if (!mon)
        return;
    virDomainObjUnlock(obj);
    qemuMonitorClose(mon);
    virDomainObjLock(obj);
    virDomainObjUnref(obj);
}

/* ---- QMP events (monitor I/O thread) --------------------------------- */

static void
qemuProcessFakeRebootWorker(qemuDriver *driver, gpointer data)
{
    qemuProcessObjRef *ref = data;
    virDomainObj *obj = ref->obj;
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);

    virDomainObjLock(obj);
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0)
        goto unlock;
    if (priv->runId != ref->runId || !virDomainObjIsActive(obj) || priv->beingDestroyed)
        goto endjob;

    g_debug("fake reboot of '%s'", obj->def->name);
    if (qemuProcessMonitorCommand(obj, "system_reset") < 0)
        goto failed;
    priv->runningReason = obj->state == VIR_DOMAIN_CRASHED ? VIR_DOMAIN_RUNNING_CRASHED
                                                           : VIR_DOMAIN_RUNNING_BOOTED;
    if (qemuProcessMonitorCommand(obj, "cont") < 0)
        goto failed;
    priv->pausedShutdown = false;
    if (obj->state != VIR_DOMAIN_RUNNING)
        virDomainObjSetState(obj, VIR_DOMAIN_RUNNING, priv->runningReason);
    qemuDomainSaveStatus(driver, obj);
    goto endjob;

failed:
    /* As libvirt: a fake reboot that cannot complete ends the guest. */
    g_debug("fake reboot of '%s' failed: killing it", obj->def->name);
    if (priv->pidfd >= 0)
        virProcessPidfdKill(priv->pidfd, SIGKILL);
endjob:
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
unlock:
    virDomainObjUnlock(obj);
}

static void
qemuProcessCrashDestroyWorker(qemuDriver *driver, gpointer data)
{
    qemuProcessObjRef *ref = data;
    virDomainObj *obj = ref->obj;
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);

    virDomainObjLock(obj);
    if (virDomainObjBeginJob(obj, VIR_JOB_DESTROY, QEMU_JOB_WAIT_MS) < 0)
        goto unlock;
    if (priv->runId == ref->runId && virDomainObjIsActive(obj) && !priv->beingDestroyed) {
        virObjectEvent *ev;

        qemuProcessStop(driver, obj, VIR_DOMAIN_SHUTOFF_CRASHED);
        ev = virDomainEventLifecycleNewFromObj(obj, VIR_DOMAIN_EVENT_STOPPED,
                                               VIR_DOMAIN_EVENT_STOPPED_CRASHED);
        virDomainObjEndJob(obj, VIR_JOB_DESTROY);
        qemuDomainRemoveInactive(driver, obj);
        virObjectEventStateQueue(driver->events, ev);
        goto unlock;
    }
    virDomainObjEndJob(obj, VIR_JOB_DESTROY);
unlock:
    virDomainObjUnlock(obj);
}

static void
qemuProcessHandleShutdown(qemuDriver *driver, virDomainObj *obj, json_object *data)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    json_object *guest = NULL;
    int detail = VIR_DOMAIN_EVENT_SHUTDOWN_FINISHED;

    if (obj->state == VIR_DOMAIN_SHUTDOWN || priv->beingDestroyed)
        return;

    if (data && json_object_object_get_ex(data, "guest", &guest))
        detail = json_object_get_boolean(guest) ? VIR_DOMAIN_EVENT_SHUTDOWN_GUEST
                                                : VIR_DOMAIN_EVENT_SHUTDOWN_HOST;

    if (!priv->vkStopping &&
        (priv->fakeReboot ||
         obj->def->onPoweroff == VIR_DOMAIN_LIFECYCLE_ACTION_RESTART)) {
        /* A reboot: QEMU stops the CPUs and waits (-no-shutdown); reset
         * and resume it from a worker, hiding the STOP that follows. */
        priv->pausedShutdown = true;
        qemuDriverRunWorker(driver, qemuProcessFakeRebootWorker,
                            qemuProcessObjRefNew(obj, priv->runId),
                            qemuProcessObjRefFree);
        return;
    }

    virDomainObjSetState(obj, VIR_DOMAIN_SHUTDOWN, VIR_DOMAIN_SHUTDOWN_UNKNOWN);
    qemuProcessQueueEvent(driver, obj, VIR_DOMAIN_EVENT_SHUTDOWN, detail);
    qemuProcessTerminateGently(driver, obj);
}

static void
qemuProcessHandleStop(qemuDriver *driver, virDomainObj *obj)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    int reason = priv->pausedReason;

    priv->pausedReason = VIR_DOMAIN_PAUSED_USER;
    /* The STOP after a SHUTDOWN (the domain is "in shutdown", never
     * paused), during a fake reboot, or as QEMU's reaction to destroy's
     * SIGTERM is not a user-visible pause. */
    if (priv->pausedShutdown || priv->beingDestroyed ||
        obj->state == VIR_DOMAIN_SHUTDOWN || obj->state == VIR_DOMAIN_PAUSED)
        return;
    virDomainObjSetState(obj, VIR_DOMAIN_PAUSED, reason);
    qemuProcessQueueEvent(driver, obj, VIR_DOMAIN_EVENT_SUSPENDED,
                          VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
}

static void
qemuProcessHandleResume(qemuDriver *driver, virDomainObj *obj)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    int reason = priv->runningReason;

    priv->runningReason = VIR_DOMAIN_RUNNING_UNPAUSED;
    if (priv->beingDestroyed || obj->state == VIR_DOMAIN_RUNNING ||
        obj->state == VIR_DOMAIN_SHUTDOWN)
        return;
    virDomainObjSetState(obj, VIR_DOMAIN_RUNNING, reason);
    qemuProcessQueueEvent(driver, obj, VIR_DOMAIN_EVENT_RESUMED,
                          VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
}

static void
qemuProcessHandleReset(qemuDriver *driver, virDomainObj *obj)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);

    if (obj->state == VIR_DOMAIN_PAUSED && obj->reason == VIR_DOMAIN_PAUSED_STARTING_UP)
        return;
    priv->fakeReboot = false;
    virObjectEventStateQueue(driver->events, virDomainEventRebootNewFromObj(obj));
}

static void
qemuProcessHandlePanic(qemuDriver *driver, virDomainObj *obj)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);

    if (priv->beingDestroyed)
        return;
    virDomainObjSetState(obj, VIR_DOMAIN_CRASHED, VIR_DOMAIN_CRASHED_PANICKED);
    qemuProcessQueueEvent(driver, obj, VIR_DOMAIN_EVENT_CRASHED,
                          VIR_DOMAIN_EVENT_CRASHED_PANICKED);
    switch (obj->def->onCrash) {
    case VIR_DOMAIN_LIFECYCLE_ACTION_DESTROY:
    case VIR_DOMAIN_LIFECYCLE_ACTION_COREDUMP_DESTROY:
        qemuDriverRunWorker(driver, qemuProcessCrashDestroyWorker,
                            qemuProcessObjRefNew(obj, priv->runId),
                            qemuProcessObjRefFree);
        break;
    case VIR_DOMAIN_LIFECYCLE_ACTION_RESTART:
    case VIR_DOMAIN_LIFECYCLE_ACTION_COREDUMP_RESTART:
        priv->fakeReboot = true;
        qemuDriverRunWorker(driver, qemuProcessFakeRebootWorker,
                            qemuProcessObjRefNew(obj, priv->runId),
                            qemuProcessObjRefFree);
        break;
    default:
        break; /* preserve: stays crashed */
    }
}

/* A device QEMU let go of (device_del answered by the guest): wakes the
 * call waiting for it (qemu_hotplug.c). */
static void
qemuProcessHandleDeviceDeleted(qemuDriver *driver, virDomainObj *obj, json_object *data)
{
    json_object *dev = NULL, *qom = NULL;
    const char *alias = NULL;

    if (data && json_object_object_get_ex(data, "device", &dev))
        alias = json_object_get_string(dev);
    if (data)
        json_object_object_get_ex(data, "path", &qom);
    if (!qemuHotplugDeviceDeleted(obj, alias, qom ? json_object_get_string(qom) : NULL))
        g_debug("DEVICE_DELETED '%s' of '%s' without a waiter", alias ? alias : "",
                obj->def->name);
    (void)driver;
}

/* Who caused QMP event @name (object locked); lent, valid while locked. */
static const char *
qemuProcessEventRequestor(const qemuDomainObjPrivate *priv, const char *name)
{
    static const struct {
        const char *event;
        const char *cmd;
    } caused[] = {
        { "RESUME", "cont" },
        { "STOP", "stop" },
        { "RESET", "system_reset" },
    };

    if (priv->cmdPending && priv->cmdRequestor) {
        for (size_t i = 0; i < G_N_ELEMENTS(caused); i++) {
            if (g_str_equal(name, caused[i].event) &&
                g_str_equal(priv->cmdPending, caused[i].cmd))
                return priv->cmdRequestor;
        }
    }
    return "guest";
}

static void
qemuProcessHandleEvent(qemuMonitor *mon, const char *name, json_object *data,
                       gint64 timestamp_us, void *opaque)
{
    virDomainObj *obj = opaque;
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    qemuDriver *driver = priv->driver;

    virDomainObjLock(obj);
    /* priv->mon is still NULL during the start or reconnect handshake (the
     * monitor being opened is the only one that can call back then); a
     * stopping domain ignores what its dying QEMU says. */
    if ((priv->mon && priv->mon != mon) || priv->stopping || !virDomainObjIsActive(obj)) {
        virDomainObjUnlock(obj);
        return;
    }
    g_debug("QMP event %s for '%s'", name, obj->def->name);
    /* for virtkitd's event journal: the guest's doing, unless it answers a
     * command a caller is waiting on (the RESUME of a start's 'cont') */
    virObjectEventSetRequestor(qemuProcessEventRequestor(priv, name));
    if (g_str_equal(name, "SHUTDOWN"))
        qemuProcessHandleShutdown(driver, obj, data);
    else if (g_str_equal(name, "STOP"))
        qemuProcessHandleStop(driver, obj);
    else if (g_str_equal(name, "RESUME"))
        qemuProcessHandleResume(driver, obj);
    else if (g_str_equal(name, "RESET"))
        qemuProcessHandleReset(driver, obj);
    else if (g_str_equal(name, "GUEST_PANICKED"))
        qemuProcessHandlePanic(driver, obj);
    else if (g_str_equal(name, "DEVICE_DELETED"))
        qemuProcessHandleDeviceDeleted(driver, obj, data);
    else
        qemuProcessHandleGuestEvent(driver, obj, name, data);
    virObjectEventSetRequestor(NULL);
    virDomainObjUnlock(obj);
}

static void
qemuProcessHandleEOF(qemuMonitor *mon, bool error, const char *reason, void *opaque)
{
    /* The pidfd is the authority on QEMU's exit: it fires when the process
     * is really gone, which the EOF does not prove. Commands in flight
     * already fail on EOF inside the monitor. */
    virDomainObj *obj = opaque;
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);

    g_debug("monitor EOF for '%s'%s%s", obj->def ? obj->def->name : "?",
            error ? ": " : "", error && reason ? reason : "");
    if (!error)
        return;
    /* A monitor lost to an error (not QEMU's orderly exit): libvirt's
     * CONTROL_ERROR, the domain can no longer be controlled. */
    virDomainObjLock(obj);
    if (priv && priv->mon == mon && !priv->stopping && virDomainObjIsActive(obj))
        virObjectEventStateQueue(priv->driver->events, virDomainEventControlErrorNew(
                                                           VIR_DOMAIN_EVENT_OBJ(obj)));
    virDomainObjUnlock(obj);
}

void
qemuProcessDetach(virDomainObj *obj, void *opaque)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);

    virDomainObjLock(obj);
    if (priv) {
        priv->runId++; /* queued work for this run becomes a no-op */
        priv->stopping = true;
        if (priv->killTimer) {
            g_source_destroy(priv->killTimer);
            g_source_unref(g_steal_pointer(&priv->killTimer));
        }
        if (priv->pidfdWatch) {
            g_source_destroy(priv->pidfdWatch);
            g_source_unref(g_steal_pointer(&priv->pidfdWatch));
        }
        qemuProcessCloseMonitor(obj);
    }
    virDomainObjUnlock(obj);
}

/* ---- exit ------------------------------------------------------------ */

void
qemuDomainRemoveInactive(qemuDriver *driver, virDomainObj *obj)
{
    if (!obj->persistent && !virDomainObjIsActive(obj) && !obj->removing) {
        /* as libvirt: a transient domain's snapshot metadata goes with it */
        qemuSnapshotDiscardAllMetadata(driver, obj);
        virDomainObjListRemove(driver->domains, obj);
    }
}

void
qemuProcessHandleExit(qemuDriver *driver, virDomainObj *obj, guint64 runId)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    virObjectEvent *ev;
    int reason;
    int detail;

    virDomainObjLock(obj);
    if (priv->runId != runId || !virDomainObjIsActive(obj))
        goto unlock;
    if (priv->beingDestroyed) {
        priv->exitSeen = true;
        goto unlock;
    }
    if (virDomainObjBeginJob(obj, VIR_JOB_DESTROY, QEMU_JOB_WAIT_MS) < 0) {
        g_debug("exit of '%s' not handled: %s", obj->def->name, "job busy");
        goto unlock;
    }
    if (priv->runId != runId || !virDomainObjIsActive(obj))
        goto endjob;
    if (priv->beingDestroyed) {
        priv->exitSeen = true;
        goto endjob;
    }

    if (priv->stuck) {
        /* the destroy that found it stuck is complete now */
        g_debug("stuck process %lld of '%s' exited after %lld ms", (long long)obj->pid,
                obj->def->name,
                (long long)(g_get_monotonic_time() / 1000 - priv->stuckSinceMs));
        reason = VIR_DOMAIN_SHUTOFF_DESTROYED;
        detail = VIR_DOMAIN_EVENT_STOPPED_DESTROYED;
    } else if (obj->state == VIR_DOMAIN_SHUTDOWN) {
        reason = VIR_DOMAIN_SHUTOFF_SHUTDOWN;
        detail = VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN;
    } else {
        reason = VIR_DOMAIN_SHUTOFF_CRASHED;
        detail = VIR_DOMAIN_EVENT_STOPPED_FAILED;
    }
    qemuProcessStop(driver, obj, reason);
    /* A transient domain leaves the list before its STOPPED event can be
     * seen: a listener may re-create the same name at once. */
    ev = virDomainEventLifecycleNewFromObj(obj, VIR_DOMAIN_EVENT_STOPPED, detail);
    virDomainObjEndJob(obj, VIR_JOB_DESTROY);
    qemuDomainRemoveInactive(driver, obj);
    virObjectEventStateQueue(driver->events, ev);
    goto unlock;

endjob:
    virDomainObjEndJob(obj, VIR_JOB_DESTROY);
unlock:
    virDomainObjUnlock(obj);
}

/* ---- kill ------------------------------------------------------------ */

/* How often SIGKILL is sent again to a QEMU that survived it. */
#define QEMU_STUCK_RETRY_MS 2000

/* "state D, waiting in WCHAN" of @pid (its /proc entries), for messages. */
static char *
qemuProcessKernelState(pid_t pid)
{
    g_autofree char *wpath = g_strdup_printf("/proc/%lld/wchan", (long long)pid);
    g_autofree char *wchan = NULL;
    char pstate = '?';

    if (virProcessGetStatInfo(pid, &pstate, NULL) < 0)
        virResetLastError();
    if (!g_file_get_contents(wpath, &wchan, NULL, NULL) || !*wchan) {
        g_free(wchan);
        wchan = g_strdup("-");
    }
    return g_strdup_printf("state %c, waiting in %s", pstate, wchan);
}

/* The error of an operation on a domain whose QEMU is stuck (obj locked). */
static void
qemuProcessReportStuck(virDomainObj *obj)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    g_autofree char *where = qemuProcessKernelState(obj->pid);
    gint64 since = (g_get_monotonic_time() / 1000 - priv->stuckSinceMs) / 1000;

    virReportError(VIR_ERR_SYSTEM_ERROR,
                   "Failed to terminate process %lld with SIGKILL: the process of domain "
                   "'%s' is stuck in the kernel (%s) for %lld s; SIGKILL is sent again "
                   "every %d s and the domain is cleaned up when the process exits",
                   (long long)obj->pid, obj->def->name, where, (long long)since,
                   QEMU_STUCK_RETRY_MS / 1000);
}

static gboolean
qemuProcessStuckTimerFired(gpointer data)
{
    qemuProcessObjRef *ref = data;
    virDomainObj *obj = ref->obj;
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    gboolean again = G_SOURCE_REMOVE;

    virDomainObjLock(obj);
    if (priv->runId == ref->runId && priv->stuck && priv->pidfd >= 0) {
        g_debug("process %lld of '%s' still there after SIGKILL: sending it again",
                (long long)obj->pid, obj->def->name);
        virProcessPidfdKill(priv->pidfd, SIGKILL);
        again = G_SOURCE_CONTINUE;
    }
    virDomainObjUnlock(obj);
    return again;
}

void
qemuProcessMarkStuck(virDomainObj *obj)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    g_autofree char *where = NULL;
    GSource *src;

    if (priv->stuck || priv->pidfd < 0)
        return;
    where = qemuProcessKernelState(obj->pid);
    priv->stuck = true;
    priv->stuckSinceMs = g_get_monotonic_time() / 1000;
    VIR_NOTICE("QEMU process %lld of domain '%s' did not exit after SIGKILL (%s): stuck; "
               "retrying, the domain is cleaned up when it exits",
               (long long)obj->pid, obj->def->name, where);
    src = g_timeout_source_new(QEMU_STUCK_RETRY_MS);
    g_source_set_callback(src, qemuProcessStuckTimerFired,
                          qemuProcessObjRefNew(obj, priv->runId), qemuProcessObjRefFree);
    g_source_attach(src, priv->driver->ioContext);
    priv->stuckTimer = src;
}

bool
qemuProcessCheckStuck(virDomainObj *obj)
{
    if (!qemuDomainPriv(obj)->stuck)
        return false;
    qemuProcessReportStuck(obj);
    return true;
}

int
qemuProcessKill(virDomainObj *obj, bool graceful)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    pid_t pid = obj->pid;
    unsigned int graceMs = qemuDomainGraceMs(obj);
    int pidfd = dup(priv->pidfd); /* ours even if a stop closes priv->pidfd */
    int lastsig = SIGTERM;
    char pstate = 0;
    int rc;
    int ret = -1;

    if (pidfd < 0) {
        virReportSystemError(errno, "%s", "cannot duplicate pidfd");
        return -1;
    }
    /* Stuck already: SIGKILL was sent and is sent again; waiting once more
     * would tell nothing new */
    if (!graceful && qemuProcessCheckStuck(obj)) {
        close(pidfd);
        return -1;
    }
    virDomainObjUnlock(obj);

    /* A stopped QEMU (SIGSTOP, a debugger) cannot act on SIGTERM within
     * the grace period, and would act on it whenever it is continued. For
     * a graceful destroy, which must leave a surviving guest running, the
     * signal is therefore not sent: the call waits the grace period (the
     * process may still exit) and fails without a time bomb in the guest. */
    if (graceful && virProcessGetStatInfo(pid, &pstate, NULL) == 0 &&
        (pstate == 'T' || pstate == 't')) {
        g_debug("process %lld is stopped: SIGTERM withheld", (long long)pid);
    } else if (virProcessPidfdKill(pidfd, SIGTERM) < 0 && errno != ESRCH) {
        virReportSystemError(errno, "Failed to terminate process %lld with SIGTERM",
                             (long long)pid);
        goto cleanup;
    }
    rc = virProcessWaitPidfd(pidfd, g_get_monotonic_time() + (gint64)graceMs * 1000);
    if (rc < 0)
        goto cleanup;
    if (rc == 0 && !graceful) {
        lastsig = SIGKILL;
        if (virProcessPidfdKill(pidfd, SIGKILL) < 0 && errno != ESRCH) {
            virReportSystemError(errno, "Failed to terminate process %lld with SIGKILL",
                                 (long long)pid);
            goto cleanup;
        }
        rc = virProcessWaitPidfd(pidfd, g_get_monotonic_time() +
                                            (gint64)QEMU_KILL_WAIT_MS * 1000);
        if (rc < 0)
            goto cleanup;
    }
    if (rc == 0 && lastsig == SIGKILL) {
        /* the kernel holds it (D state): say so, and keep at it */
        close(pidfd);
        virDomainObjLock(obj);
        if (virDomainObjIsActive(obj) && obj->pid == pid) {
            qemuProcessMarkStuck(obj);
            qemuProcessReportStuck(obj);
        } else {
            virReportSystemError(EBUSY, "Failed to terminate process %lld with SIGKILL",
                                 (long long)pid);
        }
        return -1;
    }
    if (rc == 0) {
        virReportSystemError(EBUSY, "Failed to terminate process %lld with %s",
                             (long long)pid, virProcessSignalName(lastsig));
        goto cleanup;
    }
    ret = 0;

cleanup:
    close(pidfd);
    virDomainObjLock(obj);
    return ret;
}

/* ---- stop ------------------------------------------------------------ */

static const char *
qemuProcessShutoffReasonString(int reason)
{
    return virDomainStateReasonToString(VIR_DOMAIN_SHUTOFF, reason);
}

void
qemuProcessStop(qemuDriver *driver, virDomainObj *obj, int reason)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);

    if (!virDomainObjIsActive(obj))
        return;

    qemuDomainLogAppend(driver, obj->def->name, "shutting down, reason=%s",
                        qemuProcessShutoffReasonString(reason));

    /* No callback of this run may act from now on. */
    priv->runId++;
    priv->stopping = true;
    qemuProcessCloseMonitor(obj);

    if (priv->killTimer) {
        g_source_destroy(priv->killTimer);
        g_source_unref(g_steal_pointer(&priv->killTimer));
    }
    if (priv->pidfdWatch) {
        g_source_destroy(priv->pidfdWatch);
        g_source_unref(g_steal_pointer(&priv->pidfdWatch));
    }
    if (priv->stuckTimer) {
        g_source_destroy(priv->stuckTimer);
        g_source_unref(g_steal_pointer(&priv->stuckTimer));
    }
    priv->stuck = false;

    if (priv->pidfd >= 0) {
        if (!virProcessPidfdHasExited(priv->pidfd)) {
            int pidfd = priv->pidfd;

            bool gone;

            virProcessPidfdKill(pidfd, SIGKILL);
            virDomainObjUnlock(obj);
            gone = virProcessWaitPidfd(pidfd, g_get_monotonic_time() +
                                                  (gint64)QEMU_KILL_WAIT_MS * 1000) == 1;
            virDomainObjLock(obj);
            if (!gone) {
                /* the stop goes on (its caller needs the domain off); the
                 * operator must know a process lingers */
                g_autofree char *where = qemuProcessKernelState(obj->pid);

                VIR_NOTICE("QEMU process %lld of domain '%s' did not exit after SIGKILL "
                           "(%s): the domain is stopped, the process lingers",
                           (long long)obj->pid, obj->def->name, where);
            }
        }
        priv->lastExitKnown = false;
        if (priv->ownChild &&
            virProcessReapPidfd(priv->pidfd, &priv->lastExitStatus) == 1)
            priv->lastExitKnown = true;
        close(priv->pidfd);
        priv->pidfd = -1;
    }

    /* QEMU is gone: its files go back to their owners, its taps away, its
     * VNC ports free */
    qemuSecurityRestoreDomain(driver, obj->def->uuid);
    qemuInterfaceCleanup(obj->def);
    qemuDomainReleaseVNCPorts(obj->def);
    qemuProcessRemoveLibDir(priv, obj->def);
    qemuCgroupRemove(obj);
    if (qemuDomainRemoveStatus(driver, obj) < 0)
        g_debug("cannot remove status file of '%s'", obj->def->name);
    g_clear_pointer(&priv->monitorPath, g_free);
    g_clear_pointer(&priv->libDir, g_free);

    obj->def->id = -1;
    obj->pid = 0;
    priv->starttime = 0;
    priv->fakeReboot = false;
    priv->pausedShutdown = false;
    priv->exitSeen = false;
    priv->ownChild = false;
    priv->runningReason = VIR_DOMAIN_RUNNING_UNPAUSED;
    priv->pausedReason = VIR_DOMAIN_PAUSED_USER;
    priv->unplugPending = false;
    virDomainObjSetState(obj, VIR_DOMAIN_SHUTOFF, reason);
    priv->stopping = false;

    if (obj->newDef) {
        virDomainDefFree(obj->def);
        obj->def = g_steal_pointer(&obj->newDef);
        obj->def->id = -1;
    }
}

/* ---- start ----------------------------------------------------------- */

/* A listening socket bound to @path, and a client connected to it (the
 * connection waits in the backlog until QEMU accepts it). */
static int
qemuProcessMonitorSocketPair(const char *path, int *listenfd, int *clientfd)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int lfd = -1;
    int cfd = -1;

    if (strlen(path) >= sizeof(addr.sun_path)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "monitor socket path '%s' too long", path);
        return -1;
    }
    strcpy(addr.sun_path, path);
    unlink(path);
    if ((lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
        bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(lfd, 1) < 0) {
        virReportSystemError(errno, "cannot listen on monitor socket '%s'", path);
        goto error;
    }
    if ((cfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
        connect(cfd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
        virReportSystemError(errno, "cannot connect to monitor socket '%s'", path);
        goto error;
    }
    *listenfd = lfd;
    *clientfd = cfd;
    return 0;

error:
    if (lfd >= 0)
        close(lfd);
    if (cfd >= 0)
        close(cfd);
    return -1;
}

static int
qemuProcessOpenLog(qemuDriver *driver, virDomainObj *obj, const char *const *argv,
                   const char *qemuVersion)
{
    g_autofree char *path = g_strdup_printf("%s/%s.log", driver->logDir, obj->def->name);
    g_autofree char *ts = qemuDomainLogTimestamp();
    g_autoptr(GString) hdr = g_string_new(NULL);
    struct utsname uts;
    int fd;

    if ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600)) < 0) {
        virReportSystemError(errno, "failed to create logfile '%s'", path);
        return -1;
    }
    uname(&uts);
    g_string_append_printf(hdr,
                           "%s: starting up virtkit version: %s, qemu version: %s, "
                           "kernel: %s, hostname: %s\n",
                           ts, VIRTKIT_VERSION, qemuVersion ? qemuVersion : "unknown",
                           uts.release, g_get_host_name());
    g_string_append(hdr, "LC_ALL=C \\\n");
    for (size_t i = 0; argv[i]; i++) {
        g_autofree char *q = NULL;
        const char *arg = argv[i];

        if (strpbrk(arg, " \t'\"\\$`")) {
            q = g_shell_quote(arg);
            arg = q;
        }
        g_string_append_printf(hdr, "%s%s\n", arg, argv[i + 1] ? " \\" : "");
    }
    if (write(fd, hdr->str, hdr->len) < 0) {
        virReportSystemError(errno, "cannot write logfile '%s'", path);
        close(fd);
        return -1;
    }
    return fd;
}

static void
qemuProcessCloseFds(int *fds, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (fds[i] >= 0)
            close(fds[i]);
        fds[i] = -1;
    }
}

/* The VNC passwords of the definition, as libvirt sets them before the
 * guest runs (-vnc ...,password=on): set_password, then expire_password
 * (never, or the validity time as seconds since the epoch). obj locked,
 * start job held; the lock is dropped around each monitor call. */
static int
qemuProcessSetGraphicsPasswords(virDomainObj *obj)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);

    for (size_t i = 0; i < obj->def->ngraphics; i++) {
        const virDomainGraphicsDef *g = obj->def->graphics[i];
        g_autoptr(json_object) set = NULL;
        g_autoptr(json_object) expire = NULL;
        g_autofree char *validTo = NULL;
        int rc;

        if (!g->passwd)
            continue;
        if (g->passwdValidTo) {
            struct tm tm = { 0 };
            gint64 t;

            strptime(g->passwdValidTo, "%Y-%m-%dT%H:%M:%S", &tm); /* parsed before */
            t = (gint64)timegm(&tm);
            validTo = t <= g_get_real_time() / G_USEC_PER_SEC
                          ? g_strdup("now")
                          : g_strdup_printf("%" G_GINT64_FORMAT, t);
        }
        set = json_object_new_object();
        json_object_object_add(set, "protocol", json_object_new_string("vnc"));
        json_object_object_add(set, "password", json_object_new_string(g->passwd));
        if (g->connected)
            json_object_object_add(set, "connected",
                                   json_object_new_string(g->connected));
        expire = json_object_new_object();
        json_object_object_add(expire, "protocol", json_object_new_string("vnc"));
        json_object_object_add(expire, "time",
                               json_object_new_string(validTo ? validTo : "never"));
        virDomainObjUnlock(obj);
        rc = qemuMonitorCommand(priv->mon, "set_password", set, -1, NULL);
        if (rc == 0)
            rc = qemuMonitorCommand(priv->mon, "expire_password", expire, -1, NULL);
        virDomainObjLock(obj);
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* Learn the pty QEMU allocated for each 'pty' serial (query-chardev) and
 * record it in the live definition as <source path=.../> (libvirt does
 * the same); a serial console shows its serial's pty. obj locked, start
 * job held; the lock is dropped around each monitor call. */
static int
qemuProcessReadPtyPaths(virDomainObj *obj)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    virDomainDef *def = obj->def;

    for (size_t i = 0; i < def->nserials; i++) {
        g_autofree char *alias = NULL;
        char *path = NULL;
        int rc;

        if (def->serials[i]->type != VIR_DOMAIN_CHR_TYPE_PTY)
            continue;
        alias = g_strdup_printf("charserial%zu", i);
        virDomainObjUnlock(obj);
        rc = qemuMonitorGetPtyPath(priv->mon, alias, &path);
        virDomainObjLock(obj);
        if (rc < 0)
            return -1;
        g_free(def->serials[i]->path);
        def->serials[i]->path = path;
    }
    for (size_t i = 0; i < def->nconsoles; i++) {
        virDomainChrDef *con = def->consoles[i];
        size_t port = MAX(con->targetPort, 0);

        if (con->type != VIR_DOMAIN_CHR_TYPE_PTY || port >= def->nserials ||
            def->serials[port]->type != VIR_DOMAIN_CHR_TYPE_PTY)
            continue;
        g_free(con->path);
        con->path = g_strdup(def->serials[port]->path);
    }
    return 0;
}

/* When QEMU runs as another user, we open its 'file' serials (truncated,
 * as QEMU would) and pass them as descriptors: the QEMU user then needs no
 * access to the log's directory, and the file stays ours. Adds each fd to
 * @keepfds. 0 or -1 (SYSTEM_ERROR reported). */
static int
qemuProcessOpenSerialFiles(qemuDriver *driver, virDomainObj *obj, int *serialFds,
                           int *keepfds, size_t *nkeep)
{
    if (!driver->runAs)
        return 0;
    for (size_t i = 0; i < obj->def->nserials && i < 4; i++) {
        const virDomainChrDef *chr = obj->def->serials[i];

        if (chr->type != VIR_DOMAIN_CHR_TYPE_FILE || !chr->path)
            continue;
        if ((serialFds[i] =
                 open(chr->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666)) < 0) {
            virReportSystemError(errno, "Could not open '%s'", chr->path);
            return -1;
        }
        keepfds[(*nkeep)++] = serialFds[i];
    }
    return 0;
}

/* Listening sockets for the unix channels in bind mode, made here and
 * handed to QEMU as descriptors (as libvirt does): QEMU's user needs no
 * access to the per-run directory. Paths without one are generated there.
 * Adds each fd to @keepfds. 0 or -1 (SYSTEM_ERROR reported). */
static int
qemuProcessOpenChannelSockets(virDomainObj *obj, const char *dir, int *chanFds,
                              int *keepfds, size_t *nkeep)
{
    virDomainDef *def = obj->def;

    qemuDomainPrepareChannelPaths(def, dir);
    for (size_t i = 0; i < def->nchannels && i < QEMU_MAX_CHANNELS; i++) {
        const virDomainChannelDef *c = def->channels[i];
        struct sockaddr_un addr = { .sun_family = AF_UNIX };
        int fd;

        if (!c->unixSocket || c->connect || !c->path)
            continue;
        if (strlen(c->path) >= sizeof(addr.sun_path)) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "UNIX socket path '%s' too long",
                           c->path);
            return -1;
        }
        g_strlcpy(addr.sun_path, c->path, sizeof(addr.sun_path));
        if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
            virReportSystemError(errno, "%s", "Failed to create UNIX socket");
            return -1;
        }
        unlink(c->path);
        if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(fd, 1) < 0) {
            virReportSystemError(errno, "Failed to bind socket to '%s'", c->path);
            close(fd);
            return -1;
        }
        chanFds[i] = fd;
        keepfds[(*nkeep)++] = fd;
    }
    return 0;
}

/* Wait (object lock dropped, job held) until QEMU has read the incoming
 * migration stream: its run state leaves "inmigrate". QEMU exits if the
 * stream is bad, which fails the query. 0 or -1 with an error reported. */
static int
qemuProcessWaitIncoming(virDomainObj *obj)
{
    gint64 deadline = g_get_monotonic_time() + QEMU_INCOMING_TIMEOUT_MS * 1000LL;

    for (;;) {
        g_autofree char *status = NULL;
        int rc;

        virDomainObjUnlock(obj);
        rc = qemuMonitorQueryStatus(qemuDomainPriv(obj)->mon, &status, NULL);
        virDomainObjLock(obj);
        if (rc < 0)
            return -1;
        if (g_strcmp0(status, "inmigrate") != 0) {
            g_debug("incoming state of '%s' loaded: QEMU is %s", obj->def->name, status);
            return 0;
        }
        if (g_get_monotonic_time() > deadline) {
            virReportError(VIR_ERR_OPERATION_TIMEOUT, "%s",
                           "QEMU did not finish loading the saved state in time");
            return -1;
        }
        /* QMP has no completion event without the 'events' capability:
         * poll the run state, as often as libvirt polls a migration */
        virDomainObjUnlock(obj);
        g_usleep(QEMU_INCOMING_POLL_US);
        virDomainObjLock(obj);
    }
}

int
qemuProcessCheckNetFilter(const virDomainNetDef *net)
{
    if (!net->filterref)
        return 0;
    virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                   "interface asks for network filter '%s': applying network filters to "
                   "guest traffic is not supported by virtkit",
                   net->filterref);
    return -1;
}

int
qemuProcessStart(qemuDriver *driver, virDomainObj *obj, unsigned int flags)
{
    return qemuProcessStartIncoming(driver, obj, flags, -1);
}

int
qemuProcessStartIncoming(qemuDriver *driver, virDomainObj *obj, unsigned int flags,
                         int incomingFd)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    int runningReason =
        incomingFd >= 0 ? VIR_DOMAIN_RUNNING_RESTORED : VIR_DOMAIN_RUNNING_BOOTED;
    g_autofree char *shortname = NULL;
    g_auto(GStrv) argv = NULL;
    g_autofree char *qemuVersion = NULL;
    virProcessSpawnOpts opts = { 0 };
    int listenfd = -1;
    int clientfd = -1;
    int logfd = -1;
    int keepfds[1 + 4 + QEMU_MAX_CHANNELS + 8 +
                1]; /* monitor, serials, channels, taps, incoming */
    int serialFds[4] = { -1, -1, -1, -1 };
    int chanFds[QEMU_MAX_CHANNELS];
    size_t nkeep = 0;
    pid_t pid = 0;
    int pidfd = -1;
    virProcessHeld *held = NULL;
    virErrorPtr saved = NULL;

    for (size_t i = 0; i < G_N_ELEMENTS(chanFds); i++)
        chanFds[i] = -1;
    if (virDomainObjIsActive(obj)) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "domain is already running");
        return -1;
    }
    for (size_t i = 0; i < obj->def->nnets; i++) {
        if (qemuProcessCheckNetFilter(obj->def->nets[i]) < 0)
            return -1;
    }

    /* The live definition is a copy: the persistent one stays as defined. */
    if (obj->persistent && !obj->newDef) {
        obj->newDef = obj->def;
        obj->def = virDomainDefCopy(obj->newDef);
    }

    if (qemuGluePrepareForStart(driver, obj->def, &qemuVersion) < 0 ||
        qemuGlueFirmwareForStart(driver, obj->def) < 0)
        goto error_nostart;

    obj->def->id = virDomainObjListNextID(driver->domains);
    priv->runId++;
    shortname = qemuProcessShortName(obj->def);
    priv->libDir =
        g_strdup_printf("%s/domain-%d-%s", driver->libDir, obj->def->id, shortname);
    priv->monitorPath = g_strdup_printf("%s/monitor.sock", priv->libDir);
    if (g_mkdir_with_parents(priv->libDir, 0700) < 0) {
        virReportSystemError(errno, "cannot create directory '%s'", priv->libDir);
        goto error;
    }
    if (qemuProcessMonitorSocketPair(priv->monitorPath, &listenfd, &clientfd) < 0)
        goto error;
    keepfds[nkeep++] = listenfd;
    /* the device ids of this run (a hotplug takes the next free one) */
    qemuHotplugAssignRNGAliases(obj->def);
    if (qemuSecurityPrepareDomain(driver, obj) < 0 ||
        qemuProcessOpenSerialFiles(driver, obj, serialFds, keepfds, &nkeep) < 0 ||
        qemuProcessOpenChannelSockets(obj, priv->libDir, chanFds, keepfds, &nkeep) < 0 ||
        qemuInterfacePrepare(obj->def, keepfds, &nkeep,
                             MIN(G_N_ELEMENTS(keepfds), VIR_PROCESS_MAX_KEEPFDS)) < 0 ||
        qemuDomainReserveVNCPorts(obj->def) < 0)
        goto error;

    if (!(argv =
              qemuGlueBuildArgv(driver, obj->def, listenfd, serialFds,
                                G_N_ELEMENTS(serialFds), chanFds, G_N_ELEMENTS(chanFds))))
        goto error;
    if (incomingFd >= 0) {
        /* the saved state arrives on a descriptor QEMU inherits */
        guint n = g_strv_length(argv);

        argv = g_renew(char *, argv, n + 3);
        argv[n] = g_strdup("-incoming");
        argv[n + 1] = g_strdup_printf("fd:%d", incomingFd);
        argv[n + 2] = NULL;
        keepfds[nkeep++] = incomingFd;
    }
    if ((logfd =
             qemuProcessOpenLog(driver, obj, (const char *const *)argv, qemuVersion)) < 0)
        goto error;

    opts.argv = (const char *const *)argv;
    opts.logfd = logfd;
    opts.keepfds = keepfds;
    opts.nkeepfds = nkeep;
    opts.newSession = true;
    opts.cwd = priv->libDir;
    if (driver->runAs)
        virSecurityIdentityApply(driver->runAs, &opts);
    /* The child waits just before exec until its pid is on disk: if we
     * die (SIGKILL, crash) in between, it exits without ever becoming a
     * QEMU that no later daemon knows about. */
    if (virProcessSpawnHeld(&opts, &pid, &pidfd, &held) < 0)
        goto error;
    close(listenfd);
    listenfd = -1;
    close(logfd);
    logfd = -1;
    qemuProcessCloseFds(serialFds, G_N_ELEMENTS(serialFds));
    qemuProcessCloseFds(chanFds, G_N_ELEMENTS(chanFds));
    qemuInterfaceCloseFds(obj->def);

    obj->pid = pid;
    priv->pidfd = pidfd;
    priv->ownChild = true;
    if (virProcessGetStartTime(pid, &priv->starttime) < 0)
        priv->starttime = 0; /* it already died: the monitor will fail */
    virDomainObjSetState(obj, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_STARTING_UP);

    /* Recorded before the child may exec: from here on a crash of ours
     * leaves a status file to reconnect from. The write is atomic but not
     * fsynced (a power loss ends QEMU too); the durable one is made from a
     * worker once the start is done, keeping two fsyncs off the start path. */
    if (qemuDomainSaveStatusNoSync(driver, obj) < 0) {
        virProcessHeldAbort(g_steal_pointer(&held));
        qemuProcessWatchPidfd(driver, obj);
        goto error;
    }
    /* Its own cgroup before it runs a single instruction of QEMU (libvirt
     * places the child between fork and exec too). */
    if (qemuCgroupSetupMachine(driver, obj) < 0) {
        virProcessHeldAbort(g_steal_pointer(&held));
        qemuProcessWatchPidfd(driver, obj);
        goto error;
    }
    if (virProcessRelease(g_steal_pointer(&held)) < 0) {
        qemuProcessWatchPidfd(driver, obj);
        goto error;
    }
    qemuProcessWatchPidfd(driver, obj);

    if (qemuProcessOpenMonitor(obj, g_steal_fd(&clientfd),
                               QEMU_MONITOR_START_TIMEOUT_MS) < 0)
        goto error;

    if (qemuProcessReadPtyPaths(obj) < 0 || qemuProcessSetGraphicsPasswords(obj) < 0)
        goto error;

    /* vCPUs exist but have not run (-S): thread groups, pins, bandwidth */
    if (qemuCgroupSetupThreads(obj) < 0)
        goto error;
    /* <link state='down'/>: the NIC starts with its cable out */
    if (qemuHotplugSetLinkStates(obj) < 0)
        goto error;

    if (obj->def->onReboot == VIR_DOMAIN_LIFECYCLE_ACTION_DESTROY) {
        /* as libvirt with set-action: a guest reboot arrives as SHUTDOWN
         * (reason guest-reset) and ends the domain like a power-off */
        int rc;

        virDomainObjUnlock(obj);
        rc = qemuMonitorSetAction(priv->mon, NULL, "shutdown", NULL, NULL);
        virDomainObjLock(obj);
        if (rc < 0)
            goto error;
    }

    if (incomingFd >= 0 && qemuProcessWaitIncoming(obj) < 0)
        goto error;

    if (!(flags & VIR_DOMAIN_START_PAUSED)) {
        priv->runningReason = runningReason;
        if (qemuProcessMonitorCommand(obj, "cont") < 0)
            goto error;
        if (!virDomainObjIsActive(obj) || priv->pidfd < 0) {
            virReportError(VIR_ERR_OPERATION_FAILED, "%s",
                           "QEMU exited while starting up");
            goto error;
        }
        /* The RESUME event normally did this already. */
        if (obj->state != VIR_DOMAIN_RUNNING)
            virDomainObjSetState(obj, VIR_DOMAIN_RUNNING, runningReason);
    } else {
        /* as libvirt's qemuProcessFinishStartup: a restored guest left
         * paused is "paused (migrating)" */
        virDomainObjSetState(obj, VIR_DOMAIN_PAUSED,
                             incomingFd >= 0 ? VIR_DOMAIN_PAUSED_MIGRATION
                                             : VIR_DOMAIN_PAUSED_USER);
    }
    /* The record made right after the spawn already holds what a reconnect
     * needs (pid, start time, monitor); the new state reaches the disk from
     * a worker, keeping a durable write (two fsyncs) off the start path.
     * Should we die before it lands, a reconnect asks QEMU anyway. */
    qemuDomainSaveStatusLater(driver, obj);
    return 0;

error:
    virErrorPreserveLast(&saved);
    qemuProcessCloseFds(serialFds, G_N_ELEMENTS(serialFds));
    qemuProcessCloseFds(chanFds, G_N_ELEMENTS(chanFds));
    if (listenfd >= 0)
        close(listenfd);
    if (clientfd >= 0)
        close(clientfd);
    if (logfd >= 0)
        close(logfd);
    if (obj->pid == 0)
        qemuInterfaceCleanup(obj->def);
    if (obj->pid == 0 && obj->def->id != -1) {
        /* nothing was spawned: undo the directory and id only */
        qemuProcessRemoveLibDir(priv, obj->def);
    }
    if (obj->def->id != -1)
        qemuProcessStop(driver, obj, VIR_DOMAIN_SHUTOFF_FAILED);
    virErrorRestore(&saved);
    return -1;

error_nostart:
    if (obj->newDef) {
        virDomainDefFree(obj->def);
        obj->def = g_steal_pointer(&obj->newDef);
    }
    return -1;
}

/* ---- reconnect --------------------------------------------------------- */


/* The recorded process is gone (or its pid now names another process):
 * the domain ends SHUTOFF/CRASHED with a STOPPED/FAILED event, nothing is
 * signalled. obj locked, job held. */
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

        /* tolerated: GetVcpus asks QEMU anew; pinning needs them later */
        virErrorPreserveLast(&saved);
        if (qemuCgroupRefreshVcpuTids(obj) < 0)
            g_debug("cannot read the vCPU threads of '%s'", obj->def->name);
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
            g_clear_pointer(&obj->pendingPath, g_free);
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
    priv->fakeReboot = st->fakeReboot;
    if (st->graceOverrideSec >= 0)
        priv->graceOverrideSec = st->graceOverrideSec;
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
