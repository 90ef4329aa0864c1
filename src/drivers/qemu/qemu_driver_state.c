/* qemu_driver_state.c: the QEMU driver's state-driver hooks for virtkitd (driver-state.h) */

/*
 * Threads: the hooks run on the daemon's main thread, before clients are
 * accepted (initialize, autostart) or after they are gone (cleanup).
 * Autostart starts each guest on a thread of its own and joins them all;
 * each start takes its domain's job as any API call does.
 */
#define G_LOG_DOMAIN "virtkit.qemu.state"
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "qemu_driver.h"
#include "qemu_driver_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

/* Autostart happens once per host boot: this marker lives beside the
 * status files, on tmpfs (<runtime>/qemu). */
#define QEMU_AUTOSTART_MARKER "autostarted"

static int
qemuStateInitialize(const virStateDriverRoots *roots)
{
    g_autofree char *state = g_build_filename(roots->runtimeDir, "qemu", NULL);
    g_autofree char *lib = g_build_filename(roots->stateDir, "qemu", NULL);
    qemuDriverPaths paths = {
        .configDir = roots->configDir,
        .stateDir = state,
        .libDir = lib,
        .logDir = roots->logDir,
        .cacheDir = roots->cacheDir,
    };

    return qemuDriverStateInitialize(&paths, roots->privileged);
}

typedef struct {
    qemuDriver *driver;
    char *name;
    unsigned char uuid[VIR_UUID_BUFLEN];
    virStateAutostartReport report;
    void *opaque;
} qemuStateAutostartJob;

static void
qemuStateAutostartCollect(virDomainObj *obj, void *opaque)
{
    GPtrArray *jobs = opaque;
    qemuStateAutostartJob *job;

    virDomainObjLock(obj);
    if (obj->autostart && !virDomainObjIsActive(obj)) {
        job = g_new0(qemuStateAutostartJob, 1);
        job->name = g_strdup(obj->def->name);
        memcpy(job->uuid, obj->def->uuid, VIR_UUID_BUFLEN);
        g_ptr_array_add(jobs, job);
    }
    virDomainObjUnlock(obj);
}

static gpointer
qemuStateAutostartOne(gpointer opaque)
{
    qemuStateAutostartJob *job = opaque;
    int rc = qemuDomainAutostart(job->driver, job->uuid, job->name);

    job->report("QEMU", job->name, rc < 0 ? virGetLastError() : NULL, job->opaque);
    virResetLastError();
    return NULL;
}

static void
qemuStateAutostartJobFree(gpointer p)
{
    qemuStateAutostartJob *job = p;

    g_free(job->name);
    g_free(job);
}

static void
qemuStateAutostart(virStateAutostartReport report, void *opaque)
{
    g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func(qemuStateAutostartJobFree);
    g_autoptr(GPtrArray) threads = g_ptr_array_new();
    g_autofree char *marker = NULL;
    qemuDriver *driver = qemuDriverStateRef();
    int fd;

    if (!driver)
        return;
    marker = g_build_filename(driver->stateDir, QEMU_AUTOSTART_MARKER, NULL);
    fd = open(marker, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        /* EEXIST: done already during this boot */
        if (errno != EEXIST) {
            virReportSystemError(errno, "cannot create '%s': autostart skipped", marker);
            report("QEMU", NULL, virGetLastError(), opaque);
            virResetLastError();
        }
        qemuDriverUnref(driver);
        return;
    }
    close(fd);

    virDomainObjListForEach(driver->domains, qemuStateAutostartCollect, jobs);
    for (guint i = 0; i < jobs->len; i++) {
        qemuStateAutostartJob *job = g_ptr_array_index(jobs, i);

        job->driver = driver;
        job->report = report;
        job->opaque = opaque;
        g_ptr_array_add(threads, g_thread_new("autostart", qemuStateAutostartOne, job));
    }
    for (guint i = 0; i < threads->len; i++)
        g_thread_join(g_ptr_array_index(threads, i));
    qemuDriverUnref(driver);
}

static void
qemuStateActiveCountOne(virDomainObj *obj, void *opaque)
{
    int *count = opaque;

    virDomainObjLock(obj);
    if (virDomainObjIsActive(obj))
        (*count)++;
    virDomainObjUnlock(obj);
}

static int
qemuStateActiveCount(void)
{
    qemuDriver *driver = qemuDriverStateRef();
    int count = 0;

    if (!driver)
        return 0;
    virDomainObjListForEach(driver->domains, qemuStateActiveCountOne, &count);
    qemuDriverUnref(driver);
    return count;
}

const virStateDriver qemuStateDriver = {
    .name = "QEMU",
    .stateInitialize = qemuStateInitialize,
    .stateAutostart = qemuStateAutostart,
    .stateCleanup = qemuDriverStateCleanup,
    .stateActiveCount = qemuStateActiveCount,
};
