/* qemu_process.c: QEMU process lifecycle: stop, kill, exit and QMP event handling */
/* Start is in qemu_process_start.c, reconnect in qemu_process_reconnect.c;
 * the helpers they share are declared in qemu_process_priv.h. */

/*
 * Threads and locks.
 * - API threads call qemuProcessStart/Stop/Kill (all the qemu_process*.c
 *   files follow this protocol) with the domain object
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
#include "qemu_virtiofs.h"
#include "qemu_tpm.h"
#include "qemu_process_priv.h"
#include "qemu_driver_priv.h"
#include "qemu_backup.h"
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
#include "qemu_taint.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

static void qemuProcessHandleEvent(qemuMonitor *mon, const char *name, json_object *data,
                                   gint64 timestamp_us, void *opaque);
static void qemuProcessHandleEOF(qemuMonitor *mon, bool error, const char *reason,
                                 void *opaque);

static const qemuMonitorCallbacks qemuProcessMonitorCallbacks = {
    .event = qemuProcessHandleEvent,
    .eof = qemuProcessHandleEOF,
};

/* ---- helpers ------------------------------------------------------- */

qemuProcessObjRef *
qemuProcessObjRefNew(virDomainObj *obj, guint64 runId)
{
    qemuProcessObjRef *ref = g_new0(qemuProcessObjRef, 1);

    ref->obj = virDomainObjRef(obj);
    ref->runId = runId;
    return ref;
}

void
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

char *
qemuProcessShortName(const virDomainDef *def)
{
    /* first 20 characters, multibyte-safe (as libvirt's shortname) */
    const char *end = def->name;

    for (int i = 0; i < 20 && *end; i++)
        end = g_utf8_next_char(end);
    return g_strndup(def->name, end - def->name);
}

void
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
    /* the graphics sockets made in it for this run */
    for (size_t i = 0; priv->libDir && i < def->ngraphics; i++) {
        const virDomainGraphicsDef *g = def->graphics[i];

        if (g->listenType == VIR_DOMAIN_GRAPHICS_LISTEN_SOCKET && g->socketGenerated &&
            g->socket && g_str_has_prefix(g->socket, priv->libDir))
            unlink(g->socket);
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
void
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
void
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

int
qemuProcessSetBalloonPeriod(virDomainObj *obj, int period)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    qemuMonitor *mon = priv->mon;
    g_autoptr(json_object) args = json_object_new_object();
    int rc;

    if (!mon) {
        virReportError(VIR_ERR_OPERATION_FAILED, "%s", "QEMU monitor is not connected");
        return -1;
    }
    /* libvirt's path too: the balloon's id is always balloon0 */
    json_object_object_add(args, "path",
                           json_object_new_string("/machine/peripheral/balloon0"));
    json_object_object_add(args, "property",
                           json_object_new_string("guest-stats-polling-interval"));
    json_object_object_add(args, "value", json_object_new_int(period));
    /* from now on (even if it failed half way) the guest may report */
    priv->balloonStatsIdle = false;
    virDomainObjUnlock(obj);
    rc = qemuMonitorCommand(mon, "qom-set", args, QEMU_MONITOR_TIMEOUT_MS, NULL);
    virDomainObjLock(obj);
    return rc;
}

/* Ask QEMU for its run state ("running", "paused", "shutdown", ...).
 * obj locked and job held; lock dropped while waiting. */
char *
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
int
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
int
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
void
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

void
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
    json_object *reason = NULL;
    int detail = VIR_DOMAIN_EVENT_SHUTDOWN_FINISHED;

    if (obj->state == VIR_DOMAIN_SHUTDOWN || priv->beingDestroyed)
        return;

    if (data && json_object_object_get_ex(data, "reason", &reason) &&
        g_strcmp0(json_object_get_string(reason), "host-qmp-system-reset") == 0)
        priv->resetShutdown = true;
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
     * paused), during a fake reboot, as QEMU's reaction to destroy's
     * SIGTERM, or after a guest panic (GUEST_PANICKED comes first: the
     * domain stays crashed, as libvirt pauses only a running one) is not
     * a user-visible pause. */
    if (priv->pausedShutdown || priv->beingDestroyed ||
        obj->state == VIR_DOMAIN_SHUTDOWN || obj->state == VIR_DOMAIN_PAUSED ||
        obj->state == VIR_DOMAIN_CRASHED)
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
    priv->resets++;
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

/* DEVICE_DELETED / DEVICE_UNPLUG_GUEST_ERROR: a device QEMU let go of, or
 * one the guest refused to release (qemu_hotplug.c wakes the call waiting
 * for it, or completes the removal on a worker). */
static void
qemuProcessHandleDeviceEvent(qemuDriver *driver, virDomainObj *obj, json_object *data,
                             bool deleted)
{
    json_object *dev = NULL, *qom = NULL;
    const char *alias = NULL;

    if (data && json_object_object_get_ex(data, "device", &dev))
        alias = json_object_get_string(dev);
    if (data)
        json_object_object_get_ex(data, "path", &qom);
    if (deleted)
        qemuHotplugDeviceDeletedEvent(driver, obj, alias,
                                      qom ? json_object_get_string(qom) : NULL);
    else
        qemuHotplugDeviceUnplugError(driver, obj, alias,
                                     qom ? json_object_get_string(qom) : NULL);
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
    /* libvirt-qemu's monitor event first, as libvirt raises it */
    qemuProcessQueueMonitorEvent(driver, obj, name, data, timestamp_us);
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
        qemuProcessHandleDeviceEvent(driver, obj, data, true);
    else if (g_str_equal(name, "DEVICE_UNPLUG_GUEST_ERROR"))
        qemuProcessHandleDeviceEvent(driver, obj, data, false);
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
    const char *prevRequestor;
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
    /* event journal: on an exit worker (no caller), the end of a stop
     * ladder is its caller's, whichever thread sees the exit first; the
     * end of a guest's own power-off is the guest's, as its SHUTDOWN was;
     * a crash is left to the journal's default ("crash") */
    prevRequestor = virObjectEventGetRequestor();
    if (!prevRequestor && priv->vkStopping && priv->vkStopRequestor &&
        detail != VIR_DOMAIN_EVENT_STOPPED_FAILED)
        virObjectEventSetRequestor(priv->vkStopRequestor);
    else if (!prevRequestor && detail == VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN)
        virObjectEventSetRequestor("guest");
    virObjectEventStateQueue(driver->events, ev);
    virObjectEventSetRequestor(prevRequestor);
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

    priv->logStopOffset =
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
    qemuBackupProcessStopped(driver, obj);
    qemuSecurityRestoreDomain(driver, obj->def->uuid);
    qemuInterfaceCleanup(obj->def);
    qemuVirtioFSStopAll(driver, obj);
    qemuTPMStopAll(driver, obj);
    qemuDomainReleaseVNCPorts(obj->def);
    qemuProcessRemoveLibDir(priv, obj->def);
    qemuCgroupRemove(obj);
    qemuPerfStop(obj);
    g_clear_pointer(&priv->procFds, g_hash_table_unref);
    priv->dirtyRateUnstarted = false;
    if (qemuDomainRemoveStatus(driver, obj) < 0)
        g_debug("cannot remove status file of '%s'", obj->def->name);
    g_clear_pointer(&priv->monitorPath, g_free);
    g_clear_pointer(&priv->libDir, g_free);

    obj->def->id = -1;
    obj->pid = 0;
    virDomainObjClearMessages(obj);
    priv->starttime = 0;
    priv->fakeReboot = false;
    priv->pausedShutdown = false;
    priv->exitSeen = false;
    priv->ownChild = false;
    priv->runningReason = VIR_DOMAIN_RUNNING_UNPAUSED;
    priv->pausedReason = VIR_DOMAIN_PAUSED_USER;
    g_clear_pointer(&priv->unplugPending, g_ptr_array_unref);
    g_clear_pointer(&priv->blockjobs, g_hash_table_unref); /* jobs end with QEMU */
    g_cond_broadcast(&priv->blockjobCond);
    virDomainObjSetState(obj, VIR_DOMAIN_SHUTOFF, reason);
    priv->stopping = false;

    if (obj->newDef) {
        virDomainDefFree(obj->def);
        obj->def = g_steal_pointer(&obj->newDef);
        obj->def->id = -1;
    }
}
