/* qemu_driver_save.c: the QEMU driver's save, restore and managed save (QEMU migration to and from a file), and core dumps */

/*
 * Threads: API threads only. A save holds the domain's MODIFY job from
 * the pause to the end; the object lock is dropped while QEMU writes the
 * stream (the migration is polled with the lock dropped, the job keeping
 * other changes out; destroy may still preempt it, which fails the save
 * and removes the partial file). A restore holds the new object's job
 * through qemuProcessStartIncoming.
 *
 * Files: a save writes "<file>.vksave-XXXXXX" beside the target (header
 * with the PARTIAL magic, XML, stream), fsyncs it, writes the final magic
 * and renames it over the target; any failure removes the temporary and
 * resumes the guest, so the guest is either still running or saved. The
 * managed save image is <libDir>/save/<name>.save (libvirt's layout); it
 * is deleted only by ManagedSaveRemove, undefine --managed-save, or once
 * a start has restored from it. A core dump is written the same way (a
 * temporary renamed once whole) by dump-guest-memory or a migration.
 * A watchdog's 'dump' action dumps on the driver's worker pool, under the
 * MODIFY job, into <libDir>/dump (libvirt's auto_dump_path).
 */

#define G_LOG_DOMAIN "virtkit.qemu.save"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "qemu_driver_priv.h"
#include "qemu_monitor.h"
#include "qemu_process.h"
#include "qemu_saveimage.h"
#include "virerror.h"
#include "virfile.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

/* How often a running save is polled (query-migrate). */
#define QEMU_SAVE_POLL_US 20000
/* Deadline of the whole stream (QEMU writes memory as fast as the disk takes it). */
#define QEMU_SAVE_TIMEOUT_MS 600000

char *
qemuDomainManagedSavePath(qemuDriver *driver, const char *name)
{
    g_autofree char *file = g_strdup_printf("%s.save", name);

    return g_build_filename(driver->libDir, "save", file, NULL);
}

void
qemuDomainManagedSaveLoad(virDomainObj *obj, void *opaque)
{
    qemuDriver *driver = opaque;
    g_autofree char *path = NULL;

    virDomainObjLock(obj);
    path = qemuDomainManagedSavePath(driver, obj->def->name);
    obj->hasManagedSave = g_file_test(path, G_FILE_TEST_EXISTS);
    virDomainObjUnlock(obj);
}

/* A definition given to replace the one of an image (save --xml, restore
 * --xml, save-image-define): parsed for this driver and checked to
 * describe the same guest (a subset of libvirt's ABI stability check:
 * the identity, memory and CPUs a migration stream depends on). */
static virDomainDef *
qemuSaveParseReplacement(qemuDriver *driver, const virDomainDef *orig, const char *xml)
{
    g_autoptr(virDomainDef) def = NULL;
    char a[VIR_UUID_STRING_BUFLEN], b[VIR_UUID_STRING_BUFLEN];
    int graceSec;

    if (!(def = qemuDomainDefParseForDriver(driver, xml, 0, &graceSec)))
        return NULL;
    if (memcmp(def->uuid, orig->uuid, VIR_UUID_BUFLEN) != 0) {
        virUUIDFormat(def->uuid, a);
        virUUIDFormat(orig->uuid, b);
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "Target domain uuid %s does not match source %s", a, b);
        return NULL;
    }
    if (strcmp(def->name, orig->name) != 0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "Target domain name '%s' does not match source '%s'", def->name,
                       orig->name);
        return NULL;
    }
    if (def->memory != orig->memory) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "Target domain max memory %llu does not match source %llu",
                       def->memory, orig->memory);
        return NULL;
    }
    if (def->vcpus != orig->vcpus) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "Target domain vCPU max %u does not match source %u", def->vcpus,
                       orig->vcpus);
        return NULL;
    }
    return g_steal_pointer(&def);
}

static unsigned long long
qemuSaveJsonULL(json_object *o, const char *name)
{
    json_object *v = NULL;

    if (!o || !json_object_object_get_ex(o, name, &v))
        return 0;
    if (json_object_is_type(v, json_type_double))
        return (unsigned long long)MAX(json_object_get_double(v), 0);
    return (unsigned long long)MAX(json_object_get_int64(v), 0);
}

/* QEMU's figures of the running job's migration (@reply: query-migrate's
 * answer) kept for GetJobInfo/GetJobStats, in libvirt's units. A migration
 * to a file outside a background job (an external snapshot's memory) has
 * no figures to keep until a job allocated them (qemuSaveJobBegin). */
static void
qemuSaveJobStatsUpdate(qemuDomainObjPrivate *priv, json_object *reply)
{
    qemuMigrationStats *s;
    json_object *ram = NULL;
    json_object *mbps = NULL;

    if (!priv->jobFigures || !json_object_object_get_ex(reply, "ram", &ram))
        return;
    s = &priv->jobFigures->asyncJobStats;
    s->valid = true;
    s->ramTransferred = qemuSaveJsonULL(ram, "transferred");
    s->ramRemaining = qemuSaveJsonULL(ram, "remaining");
    s->ramTotal = qemuSaveJsonULL(ram, "total");
    s->ramDuplicate = qemuSaveJsonULL(ram, "duplicate");
    s->ramNormal = qemuSaveJsonULL(ram, "normal");
    s->ramNormalBytes = qemuSaveJsonULL(ram, "normal-bytes");
    s->ramDirtyRate = qemuSaveJsonULL(ram, "dirty-pages-rate");
    s->ramPageSize = qemuSaveJsonULL(ram, "page-size");
    s->ramIteration = qemuSaveJsonULL(ram, "dirty-sync-count");
    s->ramPostcopyReqs = qemuSaveJsonULL(ram, "postcopy-requests");
    /* megabits per second, as libvirt turns them into bytes */
    s->ramBps = json_object_object_get_ex(ram, "mbps", &mbps)
                    ? (unsigned long long)(MAX(json_object_get_double(mbps), 0) *
                                           (1000.0 * 1000.0 / 8.0))
                    : 0;
    s->setupTime = qemuSaveJsonULL(reply, "setup-time");
    s->expectedDowntime = qemuSaveJsonULL(reply, "expected-downtime");
    if (json_object_object_get_ex(reply, "downtime", NULL)) {
        s->downtime = qemuSaveJsonULL(reply, "downtime");
        s->downtimeSet = true;
    }
}

/* The running job's figures become the completed job's (libvirt keeps
 * them for GetJobStats with VIR_DOMAIN_JOB_STATS_COMPLETED). */
static void
qemuSaveJobCompleted(qemuDomainObjPrivate *priv)
{
    gint64 now = g_get_real_time();
    qemuDomainJobFigures *f = priv->jobFigures;

    if (!priv->asyncJob || !f)
        return;
    priv->completedJob = true;
    f->completedJobOperation = f->asyncJobOperation;
    f->completedJobElapsedMs = (unsigned long long)MAX(now - f->asyncJobStart, 0) / 1000;
    f->completedJobStats = f->asyncJobStats;
    f->completedJobBackup = false;
    /* the guest was paused at the job's start: down all along, as
     * libvirt counts it from the pause */
    if (f->asyncJobStopped > 0) {
        f->completedJobStats.downtime =
            (unsigned long long)MAX(now - f->asyncJobStopped, 0) / 1000;
        f->completedJobStats.downtimeSet = true;
    }
}

/* Poll the outgoing migration of @obj (locked; dropped while waiting)
 * until QEMU reports it completed. 0, or -1 with an error reported. */
static int
qemuSaveWaitMigration(virDomainObj *obj)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    gint64 deadline = g_get_monotonic_time() + QEMU_SAVE_TIMEOUT_MS * 1000LL;

    for (;;) {
        g_autoptr(json_object) reply = NULL;
        json_object *st = NULL;
        const char *status;
        int rc;

        if (!virDomainObjIsActive(obj) || !priv->mon) {
            virReportError(VIR_ERR_OPERATION_FAILED, "%s",
                           "domain is not running: guest unexpectedly quit");
            return -1;
        }
        virDomainObjUnlock(obj);
        rc = qemuMonitorCommand(priv->mon, "query-migrate", NULL, QEMU_MONITOR_TIMEOUT_MS,
                                &reply);
        virDomainObjLock(obj);
        if (rc < 0)
            return -1;
        status = json_object_object_get_ex(reply, "status", &st)
                     ? json_object_get_string(st)
                     : "none";
        qemuSaveJobStatsUpdate(priv, reply);
        if (strcmp(status, "completed") == 0) {
            qemuSaveJobCompleted(priv);
            return 0;
        }
        if (strcmp(status, "cancelled") == 0 && priv->asyncJobAborted) {
            /* libvirt's words for a job virDomainAbortJob cancelled */
            virReportError(VIR_ERR_OPERATION_ABORTED, "job '%s' canceled by client",
                           priv->asyncJob ? priv->asyncJob : "domain save");
            return -1;
        }
        if (strcmp(status, "pre-switchover") == 0 ||
            g_str_has_prefix(status, "postcopy") || g_str_has_prefix(status, "colo")) {
            /* a state that waits for an action this save never takes:
             * failed (the caller cancels the migration) rather than
             * waited on until the deadline */
            virReportError(VIR_ERR_OPERATION_FAILED,
                           "job '%s' failed: unexpected migration status '%s'",
                           priv->asyncJob ? priv->asyncJob : "domain save", status);
            return -1;
        }
        if (strcmp(status, "failed") == 0 || strcmp(status, "cancelled") == 0) {
            json_object *desc = NULL;

            json_object_object_get_ex(reply, "error-desc", &desc);
            virReportError(VIR_ERR_OPERATION_FAILED, "job '%s' failed: %s",
                           priv->asyncJob ? priv->asyncJob : "domain save",
                           desc ? json_object_get_string(desc) : status);
            return -1;
        }
        if (g_get_monotonic_time() > deadline) {
            virReportError(VIR_ERR_OPERATION_TIMEOUT, "%s",
                           "QEMU did not finish writing the saved state in time");
            return -1;
        }
        virDomainObjUnlock(obj);
        g_usleep(QEMU_SAVE_POLL_US);
        virDomainObjLock(obj);
    }
}

/* -1 with libvirt's error when virDomainAbortJob asked to cancel the
 * background job of @obj (locked) before its migration began: a
 * migrate_cancel sent then found nothing to cancel. */
static int
qemuSaveCheckAborted(virDomainObj *obj)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);

    if (!priv->asyncJobAborted)
        return 0;
    virReportError(VIR_ERR_OPERATION_ABORTED, "job '%s' canceled by client",
                   priv->asyncJob ? priv->asyncJob : "domain save");
    return -1;
}

/* Send @cmd with @args to @obj's QEMU (obj locked, dropped meanwhile). */
static int
qemuSaveMonitor(virDomainObj *obj, const char *cmd, json_object *args)
{
    qemuMonitor *mon = qemuDomainPriv(obj)->mon;
    int rc;

    virDomainObjUnlock(obj);
    rc = qemuMonitorCommand(mon, cmd, args, QEMU_MONITOR_TIMEOUT_MS, NULL);
    virDomainObjLock(obj);
    return rc;
}

/* As libvirt before each outgoing migration: every migration capability
 * someone turned on behind the daemon's back (qemu-monitor-command) off
 * again, "events" aside. pause-before-switchover left on made QEMU wait in
 * pre-switchover for a migrate-continue nobody sends; postcopy, COLO,
 * multifd and the like do not fit a stream to a file either. */
static int
qemuSaveResetMigrationCaps(virDomainObj *obj)
{
    qemuMonitor *mon = qemuDomainPriv(obj)->mon;
    g_autoptr(json_object) caps = NULL;
    g_autoptr(json_object) off = json_object_new_array();
    size_t n;
    int rc;

    virDomainObjUnlock(obj);
    rc = qemuMonitorCommand(mon, "query-migrate-capabilities", NULL,
                            QEMU_MONITOR_TIMEOUT_MS, &caps);
    virDomainObjLock(obj);
    if (rc < 0)
        return -1;
    n = json_object_is_type(caps, json_type_array) ? json_object_array_length(caps) : 0;
    for (size_t i = 0; i < n; i++) {
        json_object *c = json_object_array_get_idx(caps, i);
        json_object *name = NULL;
        json_object *state = NULL;

        if (!json_object_object_get_ex(c, "capability", &name) ||
            !json_object_object_get_ex(c, "state", &state) ||
            !json_object_get_boolean(state) ||
            g_strcmp0(json_object_get_string(name), "events") == 0)
            continue;
        g_debug("migration capability '%s' of '%s' was on: turned off",
                json_object_get_string(name), obj->def->name);
        {
            json_object *e = json_object_new_object();

            json_object_object_add(e, "capability", json_object_get(name));
            json_object_object_add(e, "state", json_object_new_boolean(0));
            json_object_array_add(off, e);
        }
    }
    if (json_object_array_length(off) == 0)
        return 0;
    {
        g_autoptr(json_object) args = json_object_new_object();

        json_object_object_add(args, "capabilities", json_object_get(off));
        return qemuSaveMonitor(obj, "migrate-set-capabilities", args);
    }
}

int
qemuSaveMigrateToFd(virDomainObj *obj, int fd)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    g_autoptr(json_object) params = json_object_new_object();
    g_autoptr(json_object) margs = json_object_new_object();
    int rc;

    if (qemuSaveResetMigrationCaps(obj) < 0)
        return -1;
    /* no bandwidth cap: the file is local */
    json_object_object_add(params, "max-bandwidth", json_object_new_int64(1LL << 40));
    if (qemuSaveMonitor(obj, "migrate-set-parameters", params) < 0)
        return -1;
    virDomainObjUnlock(obj);
    rc =
        qemuMonitorSendFileHandle(priv->mon, "virtkit-save", fd, QEMU_MONITOR_TIMEOUT_MS);
    virDomainObjLock(obj);
    if (rc < 0)
        return -1;
    json_object_object_add(margs, "uri", json_object_new_string("fd:virtkit-save"));
    if (qemuSaveCheckAborted(obj) < 0 || qemuSaveMonitor(obj, "migrate", margs) < 0)
        return -1;
    return qemuSaveWaitMigration(obj);
}

/* Mark @obj (locked, MODIFY job held) as running the background job
 * @name, which virDomainAbortJob may cancel until qemuSaveJobEnd. */
static void
qemuSaveJobBegin(virDomainObj *obj, const char *name, bool memoryOnly, int operation)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);

    if (!priv->jobFigures)
        priv->jobFigures = g_new0(qemuDomainJobFigures, 1);
    priv->asyncJob = name;
    priv->asyncJobMemoryOnly = memoryOnly;
    priv->asyncJobAborted = false;
    priv->jobFigures->asyncJobOperation = operation;
    priv->jobFigures->asyncJobStart = g_get_real_time();
    priv->jobFigures->asyncJobStopped = 0;
    memset(&priv->jobFigures->asyncJobStats, 0, sizeof(priv->jobFigures->asyncJobStats));
}

static void
qemuSaveJobEnd(virDomainObj *obj)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);

    priv->asyncJob = NULL;
    priv->asyncJobMemoryOnly = false;
    priv->asyncJobAborted = false;
    if (priv->jobFigures) {
        priv->jobFigures->asyncJobStopped = 0;
        memset(&priv->jobFigures->asyncJobStats, 0,
               sizeof(priv->jobFigures->asyncJobStats));
    }
}

/*
 * Save @obj (locked, MODIFY job held, active) to @path and stop it. The
 * image holds @xml (NULL: the current definition). On success the domain
 * is SHUTOFF/SAVED with STOPPED/SAVED queued (a transient one is removed
 * by the caller); on failure it runs on as before and no file is left.
 */
static int
qemuSaveDomain(qemuDriver *driver, virDomainObj *obj, const char *path, const char *dxml,
               unsigned int flags)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    g_autoptr(virDomainDef) replacement = NULL;
    g_autofree char *xml = NULL;
    g_autofree char *tmp = NULL;
    bool wasRunning = obj->state == VIR_DOMAIN_RUNNING;
    bool paused = false;
    virErrorPtr saved = NULL;
    int fd = -1;

    if (dxml && !(replacement = qemuSaveParseReplacement(driver, obj->def, dxml)))
        return -1;
    if (!(xml = virDomainDefFormat(replacement ? replacement : obj->def,
                                   VIR_DOMAIN_DEF_FORMAT_INACTIVE |
                                       VIR_DOMAIN_DEF_FORMAT_SECURE)))
        return -1;
    if ((fd = qemuSaveImageCreateTemp(path, xml,
                                      (flags & VIR_DOMAIN_SAVE_RUNNING)  ? true
                                      : (flags & VIR_DOMAIN_SAVE_PAUSED) ? false
                                                                         : wasRunning,
                                      &tmp)) < 0)
        return -1;

    /* Pause first (libvirt's PAUSED/SAVE): the stream then holds a guest
     * that is not changing under it. */
    virDomainObjAllowDestroy(obj);
    qemuSaveJobBegin(obj, "domain save", false, VIR_DOMAIN_JOB_OPERATION_SAVE);
    if (wasRunning) {
        priv->pausedReason = VIR_DOMAIN_PAUSED_SAVE;
        if (qemuProcessMonitorCommand(obj, "stop") < 0)
            goto error;
        priv->jobFigures->asyncJobStopped = g_get_real_time();
        paused = true;
        if (obj->state == VIR_DOMAIN_RUNNING)
            virDomainObjSetState(obj, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_SAVE);
    }

    if (qemuSaveMigrateToFd(obj, fd) < 0)
        goto error;

    if (qemuSaveImageCommit(g_steal_fd(&fd), tmp, path) < 0) {
        g_clear_pointer(&tmp, g_free); /* removed by the commit */
        goto error;
    }

    qemuSaveJobEnd(obj);
    qemuProcessStop(driver, obj, VIR_DOMAIN_SHUTOFF_SAVED);
    qemuDriverQueueLifecycle(driver, obj, VIR_DOMAIN_EVENT_STOPPED,
                             VIR_DOMAIN_EVENT_STOPPED_SAVED);
    return 0;

error:
    qemuSaveJobEnd(obj);
    virErrorPreserveLast(&saved);
    if (fd >= 0)
        close(fd);
    if (tmp)
        unlink(tmp);
    if (virDomainObjIsActive(obj) && priv->mon) {
        /* a migration still running is abandoned; the guest runs on */
        qemuSaveMonitor(obj, "migrate_cancel", NULL);
        if (paused) {
            priv->runningReason = VIR_DOMAIN_RUNNING_SAVE_CANCELED;
            if (qemuProcessMonitorCommand(obj, "cont") == 0 &&
                obj->state != VIR_DOMAIN_RUNNING)
                virDomainObjSetState(obj, VIR_DOMAIN_RUNNING,
                                     VIR_DOMAIN_RUNNING_SAVE_CANCELED);
        }
    }
    virErrorRestore(&saved);
    return -1;
}

/* The common body of save and managed save: lookup, job, checks. */
static int
qemuSaveEntry(virDomainPtr dom, const char *path, const char *dxml, unsigned int flags,
              bool managed)
{
    qemuDriver *driver = qemuDriverOf(dom->conn);
    g_autofree char *mpath = NULL;
    virDomainObj *obj;
    int ret = -1;

    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    if (qemuDomainObjCheckActive(obj) < 0)
        goto endjob;
    if (managed) {
        if (!obj->persistent) {
            virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                           "cannot do managed save for transient domain");
            goto endjob;
        }
        mpath = qemuDomainManagedSavePath(driver, obj->def->name);
        {
            g_autofree char *dir = g_path_get_dirname(mpath);

            if (g_mkdir_with_parents(dir, 0700) < 0) {
                virReportSystemError(errno, "cannot create directory '%s'", dir);
                goto endjob;
            }
        }
        path = mpath;
    }
    if (qemuSaveDomain(driver, obj, path, dxml, flags) < 0)
        goto endjob;
    if (managed)
        obj->hasManagedSave = true;
    dom->id = -1;
    ret = 0;

endjob:
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
    if (ret == 0)
        qemuDomainRemoveInactive(driver, obj);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

int
qemuDomainSaveFlags(virDomainPtr dom, const char *to, const char *dxml,
                    unsigned int flags)
{
    virCheckFlags(VIR_DOMAIN_SAVE_BYPASS_CACHE | VIR_DOMAIN_SAVE_RUNNING |
                      VIR_DOMAIN_SAVE_PAUSED,
                  -1);
    return qemuSaveEntry(dom, to, dxml, flags, false);
}

int
qemuDomainManagedSave(virDomainPtr dom, unsigned int flags)
{
    virCheckFlags(VIR_DOMAIN_SAVE_BYPASS_CACHE | VIR_DOMAIN_SAVE_RUNNING |
                      VIR_DOMAIN_SAVE_PAUSED,
                  -1);
    return qemuSaveEntry(dom, NULL, NULL, flags, true);
}

/* The parameters of SaveParams / RestoreParams, libvirt 9.0's two. */
static const char *const qemuSaveParamNames[] = { VIR_DOMAIN_SAVE_PARAM_FILE,
                                                  VIR_DOMAIN_SAVE_PARAM_DXML, NULL };
static const int qemuSaveParamTypes[] = { VIR_TYPED_PARAM_STRING,
                                          VIR_TYPED_PARAM_STRING };

/* The string parameter @name of @params (checked by virTypedParamsCheck:
 * at most once, a string), borrowed; NULL when absent. */
static const char *
qemuSaveParamString(virTypedParameterPtr params, int nparams, const char *name)
{
    for (int i = 0; i < nparams; i++) {
        if (g_str_equal(params[i].field, name))
            return params[i].value.s;
    }
    return NULL;
}

int
qemuDomainSaveParams(virDomainPtr dom, virTypedParameterPtr params, int nparams,
                     unsigned int flags)
{
    const char *to;
    const char *dxml;

    virCheckFlags(VIR_DOMAIN_SAVE_BYPASS_CACHE | VIR_DOMAIN_SAVE_RUNNING |
                      VIR_DOMAIN_SAVE_PAUSED,
                  -1);
    if (virTypedParamsCheck(params, nparams, qemuSaveParamNames, qemuSaveParamTypes) < 0)
        return -1;
    to = qemuSaveParamString(params, nparams, VIR_DOMAIN_SAVE_PARAM_FILE);
    dxml = qemuSaveParamString(params, nparams, VIR_DOMAIN_SAVE_PARAM_DXML);
    /* without a file it is a managed save, as libvirt's */
    return qemuSaveEntry(dom, to, dxml, flags, to == NULL);
}

/*
 * Start @obj (locked, MODIFY job held, inactive) from the image @img:
 * QEMU loads its stream; events STARTED/RESTORED (and SUSPENDED/RESTORED
 * or /PAUSED when it stays paused). 0 or -1 with an error reported.
 */
static int
qemuRestoreStart(qemuDriver *driver, virDomainObj *obj, qemuSaveImage *img,
                 unsigned int flags)
{
    bool startPaused = (flags & VIR_DOMAIN_SAVE_PAUSED) ||
                       (!(flags & VIR_DOMAIN_SAVE_RUNNING) && !img->header.was_running);

    if (lseek(img->fd, sizeof(qemuSaveHeader) + img->header.data_len, SEEK_SET) < 0) {
        virReportSystemError(errno, "%s", "cannot seek to the saved state");
        return -1;
    }
    if (qemuProcessStartIncoming(driver, obj, startPaused ? VIR_DOMAIN_START_PAUSED : 0,
                                 img->fd) < 0)
        return -1;
    qemuDriverQueueLifecycle(driver, obj, VIR_DOMAIN_EVENT_STARTED,
                             VIR_DOMAIN_EVENT_STARTED_RESTORED);
    if (startPaused)
        qemuDriverQueueLifecycle(driver, obj, VIR_DOMAIN_EVENT_SUSPENDED,
                                 (flags & VIR_DOMAIN_SAVE_PAUSED)
                                     ? VIR_DOMAIN_EVENT_SUSPENDED_PAUSED
                                     : VIR_DOMAIN_EVENT_SUSPENDED_RESTORED);
    return 0;
}

int
qemuDomainRestoreFlags(virConnectPtr conn, const char *from, const char *dxml,
                       unsigned int flags)
{
    qemuDriver *driver = qemuDriverOf(conn);
    g_autoptr(qemuSaveImage) img = NULL;
    g_autoptr(virDomainDef) def = NULL;
    g_autoptr(virDomainDef) oldDef = NULL;
    virDomainObj *obj;
    int graceSec = -1;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_SAVE_BYPASS_CACHE | VIR_DOMAIN_SAVE_RUNNING |
                      VIR_DOMAIN_SAVE_PAUSED,
                  -1);

    if (!(img = qemuSaveImageOpen(from)))
        return -1;
    if (!(def = qemuDomainDefParseForDriver(driver, img->xml, 0, &graceSec)))
        return -1;
    if (dxml) {
        virDomainDef *repl = qemuSaveParseReplacement(driver, def, dxml);

        if (!repl)
            return -1;
        virDomainDefFree(def);
        def = repl;
    }
    if (!(obj = virDomainObjListAdd(driver->domains, &def,
                                    VIR_DOMAIN_OBJ_LIST_ADD_LIVE |
                                        VIR_DOMAIN_OBJ_LIST_ADD_CHECK_LIVE,
                                    &oldDef)))
        return -1;
    if (!obj->privateData)
        qemuDomainObjInitPrivate(obj, driver);
    /* a defined domain keeps its persistent definition */
    if (oldDef && obj->persistent && !obj->newDef)
        obj->newDef = g_steal_pointer(&oldDef);
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0) {
        qemuDomainRemoveInactive(driver, obj);
        goto cleanup;
    }
    if (qemuRestoreStart(driver, obj, img, flags) == 0)
        ret = 0;
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
    if (ret < 0)
        qemuDomainRemoveInactive(driver, obj);

cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

int
qemuDomainRestoreParams(virConnectPtr conn, virTypedParameterPtr params, int nparams,
                        unsigned int flags)
{
    const char *from;

    if (virTypedParamsCheck(params, nparams, qemuSaveParamNames, qemuSaveParamTypes) < 0)
        return -1;
    if (!(from = qemuSaveParamString(params, nparams, VIR_DOMAIN_SAVE_PARAM_FILE))) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "missing path to restore from");
        return -1;
    }
    return qemuDomainRestoreFlags(
        conn, from, qemuSaveParamString(params, nparams, VIR_DOMAIN_SAVE_PARAM_DXML),
        flags);
}

int
qemuDomainManagedSaveStart(qemuDriver *driver, virDomainObj *obj, unsigned int flags,
                           bool *restored)
{
    g_autofree char *path = qemuDomainManagedSavePath(driver, obj->def->name);
    g_autoptr(qemuSaveImage) img = NULL;
    g_autoptr(virDomainDef) def = NULL;
    int graceSec = -1;

    *restored = false;
    if (!obj->hasManagedSave && !g_file_test(path, G_FILE_TEST_EXISTS))
        return 0;
    if (!(img = qemuSaveImageOpen(path)) ||
        !(def = qemuDomainDefParseForDriver(driver, img->xml, 0, &graceSec)))
        return -1;
    /* the image's definition is the live one; the persistent one stays */
    if (!obj->newDef) {
        obj->newDef = obj->def;
        obj->def = g_steal_pointer(&def);
    } else {
        virDomainDefFree(obj->def);
        obj->def = g_steal_pointer(&def);
    }
    if (qemuRestoreStart(driver, obj, img,
                         (flags & VIR_DOMAIN_START_PAUSED) ? VIR_DOMAIN_SAVE_PAUSED : 0) <
        0)
        return -1;
    /* as libvirt: the image is used up once the guest runs from it */
    if (unlink(path) < 0)
        g_debug("cannot remove managed save image '%s': %s", path, g_strerror(errno));
    obj->hasManagedSave = false;
    *restored = true;
    return 0;
}

char *
qemuDomainSaveImageGetXMLDesc(virConnectPtr conn G_GNUC_UNUSED, const char *file,
                              unsigned int flags)
{
    g_autoptr(qemuSaveImage) img = NULL;
    g_autoptr(virDomainDef) def = NULL;

    virCheckFlags(VIR_DOMAIN_SAVE_IMAGE_XML_SECURE, NULL);

    if (!(img = qemuSaveImageOpen(file)))
        return NULL;
    if (!(def = virDomainDefParseString(img->xml, VIR_DOMAIN_DEF_PARSE_INACTIVE)))
        return NULL;
    return virDomainDefFormat(def, VIR_DOMAIN_DEF_FORMAT_INACTIVE |
                                       ((flags & VIR_DOMAIN_SAVE_IMAGE_XML_SECURE)
                                            ? VIR_DOMAIN_DEF_FORMAT_SECURE
                                            : 0));
}

/* Replace the XML of the image @path (and its run state per @flags). */
static int
qemuSaveImageDefine(qemuDriver *driver, const char *path, const char *dxml,
                    unsigned int flags)
{
    g_autoptr(qemuSaveImage) img = NULL;
    g_autoptr(virDomainDef) def = NULL;
    g_autoptr(virDomainDef) repl = NULL;
    g_autofree char *xml = NULL;
    int graceSec;

    if (!(img = qemuSaveImageOpen(path)) ||
        !(def = qemuDomainDefParseForDriver(driver, img->xml, 0, &graceSec)) ||
        !(repl = qemuSaveParseReplacement(driver, def, dxml)) ||
        !(xml = virDomainDefFormat(repl, VIR_DOMAIN_DEF_FORMAT_INACTIVE |
                                             VIR_DOMAIN_DEF_FORMAT_SECURE)))
        return -1;
    g_clear_pointer(&img, qemuSaveImageFree);
    return qemuSaveImageRewrite(path, xml,
                                (flags & VIR_DOMAIN_SAVE_RUNNING)  ? 1
                                : (flags & VIR_DOMAIN_SAVE_PAUSED) ? 0
                                                                   : -1);
}

int
qemuDomainSaveImageDefineXML(virConnectPtr conn, const char *file, const char *dxml,
                             unsigned int flags)
{
    virCheckFlags(VIR_DOMAIN_SAVE_RUNNING | VIR_DOMAIN_SAVE_PAUSED, -1);
    return qemuSaveImageDefine(qemuDriverOf(conn), file, dxml, flags);
}

int
qemuDomainHasManagedSaveImage(virDomainPtr dom, unsigned int flags)
{
    virDomainObj *obj;
    int ret;

    virCheckFlags(0, -1);
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    ret = obj->hasManagedSave;
    virDomainObjEndAPI(&obj);
    return ret;
}

int
qemuDomainManagedSaveRemove(virDomainPtr dom, unsigned int flags)
{
    qemuDriver *driver = qemuDriverOf(dom->conn);
    g_autofree char *path = NULL;
    virDomainObj *obj;
    int ret = -1;

    virCheckFlags(0, -1);
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    path = qemuDomainManagedSavePath(driver, obj->def->name);
    if (unlink(path) < 0 && errno != ENOENT) {
        virReportSystemError(errno, "Failed to remove managed save file '%s'", path);
    } else {
        obj->hasManagedSave = false;
        ret = 0;
    }
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

/* The managed save image of @dom, checked to exist; NULL with libvirt's
 * OPERATION_INVALID "domain does not have managed save image". */
static char *
qemuManagedSavePathOf(virDomainPtr dom)
{
    qemuDriver *driver = qemuDriverOf(dom->conn);
    virDomainObj *obj;
    char *path = NULL;

    if (!(obj = qemuDomainObjFromDomain(dom)))
        return NULL;
    if (!obj->hasManagedSave)
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "domain does not have managed save image");
    else
        path = qemuDomainManagedSavePath(driver, obj->def->name);
    virDomainObjEndAPI(&obj);
    return path;
}

char *
qemuDomainManagedSaveGetXMLDesc(virDomainPtr dom, unsigned int flags)
{
    g_autofree char *path = NULL;

    virCheckFlags(VIR_DOMAIN_SAVE_IMAGE_XML_SECURE, NULL);
    if (!(path = qemuManagedSavePathOf(dom)))
        return NULL;
    return qemuDomainSaveImageGetXMLDesc(dom->conn, path, flags);
}

int
qemuDomainManagedSaveDefineXML(virDomainPtr dom, const char *dxml, unsigned int flags)
{
    g_autofree char *path = NULL;

    virCheckFlags(VIR_DOMAIN_SAVE_RUNNING | VIR_DOMAIN_SAVE_PAUSED, -1);
    if (!dxml) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "dxml in ManagedSaveDefineXML is NULL");
        return -1;
    }
    if (!(path = qemuManagedSavePathOf(dom)))
        return -1;
    return qemuSaveImageDefine(qemuDriverOf(dom->conn), path, dxml, flags);
}

/* QEMU's dump-guest-memory formats, indexed by virDomainCoreDumpFormat. */
static const char *const qemuDumpFormats[] = {
    "elf", "kdump-zlib", "kdump-lzo", "kdump-snappy", "win-dmp",
};

/* Whether this QEMU can write @format (query-dump-guest-memory-capability).
 * obj locked (dropped meanwhile). 1, 0, or -1 with an error reported. */
static int
qemuDumpFormatSupported(virDomainObj *obj, const char *format)
{
    g_autoptr(json_object) reply = NULL;
    json_object *formats = NULL;
    int rc;

    virDomainObjUnlock(obj);
    rc =
        qemuMonitorCommand(qemuDomainPriv(obj)->mon, "query-dump-guest-memory-capability",
                           NULL, QEMU_MONITOR_TIMEOUT_MS, &reply);
    virDomainObjLock(obj);
    if (rc < 0)
        return -1;
    if (!json_object_object_get_ex(reply, "formats", &formats) ||
        !json_object_is_type(formats, json_type_array))
        return 0;
    for (size_t i = 0; i < json_object_array_length(formats); i++) {
        if (g_strcmp0(json_object_get_string(json_object_array_get_idx(formats, i)),
                      format) == 0)
            return 1;
    }
    return 0;
}

/* Write the dump of @obj (locked, job held, active) into @fd. */
static int
qemuDumpToFd(virDomainObj *obj, int fd, const char *format, bool memoryOnly)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    int rc;

    if (!memoryOnly) {
        /* libvirt's full dump: QEMU's device state as a migration stream */
        g_autoptr(json_object) params = json_object_new_object();
        g_autoptr(json_object) margs = json_object_new_object();

        /* the same capabilities as a save's stream (libvirt applies one
         * set of migration parameters to both) */
        if (qemuSaveResetMigrationCaps(obj) < 0)
            return -1;
        json_object_object_add(params, "max-bandwidth", json_object_new_int64(1LL << 40));
        if (qemuSaveMonitor(obj, "migrate-set-parameters", params) < 0)
            return -1;
        virDomainObjUnlock(obj);
        rc = qemuMonitorSendFileHandle(priv->mon, "virtkit-dump", fd,
                                       QEMU_MONITOR_TIMEOUT_MS);
        virDomainObjLock(obj);
        if (rc < 0)
            return -1;
        json_object_object_add(margs, "uri", json_object_new_string("fd:virtkit-dump"));
        if (qemuSaveCheckAborted(obj) < 0 || qemuSaveMonitor(obj, "migrate", margs) < 0)
            return -1;
        return qemuSaveWaitMigration(obj);
    } else {
        g_autoptr(json_object) dargs = json_object_new_object();

        virDomainObjUnlock(obj);
        rc = qemuMonitorSendFileHandle(priv->mon, "virtkit-dump", fd,
                                       QEMU_MONITOR_TIMEOUT_MS);
        virDomainObjLock(obj);
        if (rc < 0)
            return -1;
        json_object_object_add(dargs, "paging", json_object_new_boolean(false));
        json_object_object_add(dargs, "protocol",
                               json_object_new_string("fd:virtkit-dump"));
        json_object_object_add(dargs, "format", json_object_new_string(format));
        /* synchronous: QEMU answers once the whole memory is written */
        virDomainObjUnlock(obj);
        rc = qemuMonitorCommand(priv->mon, "dump-guest-memory", dargs,
                                QEMU_SAVE_TIMEOUT_MS, NULL);
        virDomainObjLock(obj);
        return rc;
    }
}

int
qemuDomainCoreDumpWithFormat(virDomainPtr dom, const char *to, unsigned int dumpformat,
                             unsigned int flags)
{
    qemuDriver *driver = qemuDriverOf(dom->conn);
    qemuDomainObjPrivate *priv;
    g_autofree char *prefix = NULL;
    g_autofree char *tmp = NULL;
    virDomainObj *obj;
    const char *format;
    virErrorPtr saved = NULL;
    bool paused = false;
    bool stopped = false;
    int fd = -1;
    int ret = -1;
    int rc;

    virCheckFlags(VIR_DUMP_LIVE | VIR_DUMP_CRASH | VIR_DUMP_BYPASS_CACHE |
                      VIR_DUMP_RESET | VIR_DUMP_MEMORY_ONLY,
                  -1);
    if (dumpformat >= G_N_ELEMENTS(qemuDumpFormats)) {
        virReportError(VIR_ERR_INVALID_ARG, "unknown dumpformat '%u'", dumpformat);
        return -1;
    }
    format = qemuDumpFormats[dumpformat];
    if (dumpformat != VIR_DOMAIN_CORE_DUMP_FORMAT_RAW &&
        !(flags & VIR_DUMP_MEMORY_ONLY)) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "kdump-compressed format is only supported with memory-only dump");
        return -1;
    }

    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    priv = qemuDomainPriv(obj);
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    if (qemuDomainObjCheckActive(obj) < 0)
        goto endjob;
    if ((flags & VIR_DUMP_MEMORY_ONLY) &&
        (rc = qemuDumpFormatSupported(obj, format)) <= 0) {
        if (rc == 0)
            virReportError(VIR_ERR_OPERATION_UNSUPPORTED,
                           "unsupported dumpformat '%s' for this QEMU binary", format);
        goto endjob;
    }
    prefix = g_strdup_printf("%s.vkdump-", to);
    if ((fd = virFileMakeTempPrivate(prefix, O_RDWR, (uid_t)-1, (gid_t)-1, &tmp)) < 0) {
        virReportSystemError(errno, "failed to create '%s'", to);
        goto endjob;
    }

    virDomainObjAllowDestroy(obj);
    qemuSaveJobBegin(obj, "domain core dump", flags & VIR_DUMP_MEMORY_ONLY,
                     VIR_DOMAIN_JOB_OPERATION_DUMP);
    if (!(flags & VIR_DUMP_LIVE) && obj->state == VIR_DOMAIN_RUNNING) {
        priv->pausedReason = VIR_DOMAIN_PAUSED_DUMP;
        if (qemuProcessMonitorCommand(obj, "stop") < 0)
            goto endjob;
        paused = true;
        if (obj->state == VIR_DOMAIN_RUNNING)
            virDomainObjSetState(obj, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_DUMP);
    }
    if (qemuDumpToFd(obj, fd, format, flags & VIR_DUMP_MEMORY_ONLY) < 0)
        goto endjob;
    if (fsync(fd) < 0 || close(g_steal_fd(&fd)) < 0 || rename(tmp, to) < 0) {
        virReportSystemError(errno, "failed to write dump file '%s'", to);
        goto endjob;
    }
    g_clear_pointer(&tmp, g_free);
    qemuSaveImageSyncDirOf(to);

    if (flags & VIR_DUMP_CRASH) {
        qemuProcessStop(driver, obj, VIR_DOMAIN_SHUTOFF_CRASHED);
        qemuDriverQueueLifecycle(driver, obj, VIR_DOMAIN_EVENT_STOPPED,
                                 VIR_DOMAIN_EVENT_STOPPED_CRASHED);
        dom->id = -1;
        stopped = true;
    } else if ((flags & VIR_DUMP_RESET) &&
               qemuProcessMonitorCommand(obj, "system_reset") < 0) {
        goto endjob;
    }
    ret = 0;

endjob:
    qemuSaveJobEnd(obj);
    if (ret < 0)
        virErrorPreserveLast(&saved);
    if (fd >= 0)
        close(fd);
    if (tmp)
        unlink(tmp);
    if (!stopped && paused && virDomainObjIsActive(obj) && priv->mon) {
        /* the guest runs on after the dump, as libvirt's */
        priv->runningReason = VIR_DOMAIN_RUNNING_UNPAUSED;
        if (qemuProcessMonitorCommand(obj, "cont") == 0 &&
            obj->state != VIR_DOMAIN_RUNNING)
            virDomainObjSetState(obj, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNPAUSED);
    }
    if (ret < 0)
        virErrorRestore(&saved);
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
    if (stopped)
        qemuDomainRemoveInactive(driver, obj);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

/* ---- the watchdog's 'dump' action -------------------------------------- */

typedef struct {
    virDomainObj *obj; /* a reference */
    guint64 runId;
} qemuWatchdogDumpData;

static void
qemuWatchdogDumpDataFree(gpointer opaque)
{
    qemuWatchdogDumpData *data = opaque;

    virDomainObjUnref(data->obj);
    g_free(data);
}

/* libvirt's processWatchdogEvent for 'dump': a memory-only ELF dump into
 * <libDir>/dump/NAME-YYYY-MM-DD-HH:MM:SS, then the guest runs on (dumped
 * or not, as libvirt). */
static void
qemuWatchdogDumpWorker(qemuDriver *driver, gpointer opaque)
{
    qemuWatchdogDumpData *data = opaque;
    virDomainObj *obj = data->obj;
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    g_autofree char *dir = g_build_filename(driver->libDir, "dump", NULL);
    g_autoptr(GDateTime) now = g_date_time_new_now_local();
    g_autofree char *stamp = g_date_time_format(now, "%Y-%m-%d-%H:%M:%S");
    g_autofree char *path = NULL;
    g_autofree char *prefix = NULL;
    g_autofree char *tmp = NULL;
    int fd = -1;

    virDomainObjLock(obj);
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0) {
        g_debug("watchdog dump of '%s' dropped: %s", obj->def->name,
                virGetLastErrorMessage());
        virResetLastError();
        goto unlock;
    }
    if (priv->runId != data->runId || !virDomainObjIsActive(obj))
        goto endjob;
    path = g_strdup_printf("%s/%s-%s", dir, obj->def->name, stamp);
    prefix = g_strdup_printf("%s.vkdump-", path);
    virDomainObjAllowDestroy(obj);
    if (virFileMakePath(dir, 0700) < 0)
        goto failed;
    if ((fd = virFileMakeTempPrivate(prefix, O_RDWR, (uid_t)-1, (gid_t)-1, &tmp)) < 0) {
        virReportSystemError(errno, "failed to create '%s'", path);
        goto failed;
    }
    if (qemuDumpToFd(obj, fd, "elf", true) < 0)
        goto failed;
    if (fsync(fd) < 0 || close(g_steal_fd(&fd)) < 0 || rename(tmp, path) < 0) {
        virReportSystemError(errno, "failed to write dump file '%s'", path);
        goto failed;
    }
    qemuSaveImageSyncDirOf(path);
    g_debug("watchdog dump of '%s' written to '%s'", obj->def->name, path);
    goto resume;

failed:
    /* libvirt's "Dump failed", for the operator */
    VIR_NOTICE("Dump failed: watchdog dump of domain '%s': %s", obj->def->name,
               virGetLastErrorMessage());
    virResetLastError();
    if (fd >= 0)
        close(fd);
    if (tmp)
        unlink(tmp);
resume:
    if (virDomainObjIsActive(obj) && priv->mon && obj->state == VIR_DOMAIN_PAUSED) {
        priv->runningReason = VIR_DOMAIN_RUNNING_UNPAUSED;
        if (qemuProcessMonitorCommand(obj, "cont") < 0) {
            VIR_NOTICE("Resuming after dump failed: domain '%s': %s", obj->def->name,
                       virGetLastErrorMessage());
            virResetLastError();
        } else if (obj->state != VIR_DOMAIN_RUNNING && virDomainObjIsActive(obj)) {
            virDomainObjSetState(obj, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNPAUSED);
            qemuDriverQueueLifecycle(driver, obj, VIR_DOMAIN_EVENT_RESUMED,
                                     VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
        }
        if (virDomainObjIsActive(obj))
            qemuDomainSaveStatus(driver, obj);
    }
endjob:
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
unlock:
    virDomainObjUnlock(obj);
}

void
qemuDomainWatchdogDumpLater(qemuDriver *driver, virDomainObj *obj)
{
    qemuWatchdogDumpData *data = g_new0(qemuWatchdogDumpData, 1);

    data->obj = virDomainObjRef(obj);
    data->runId = qemuDomainPriv(obj)->runId;
    qemuDriverRunWorker(driver, qemuWatchdogDumpWorker, data, qemuWatchdogDumpDataFree);
}
