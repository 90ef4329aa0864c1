/* qemu_conf.c: the QEMU driver's state: directories, settings, domains, events, worker threads */

/*
 * Threads: qemuDriverNew starts two kinds of threads that live as long as
 * the driver state:
 * - "qemu-event": runs driver->ioContext. Only pidfd watches and SIGKILL
 *   timers are attached to it; their callbacks take a domain lock briefly
 *   and hand real work to the workers. It never waits on QEMU.
 * - the worker pool (up to 16 threads, created on demand): process exits,
 *   fake reboots, crash actions, reconnects. Workers take domain jobs and
 *   may wait on QEMU with deadlines; they hold no lock while waiting.
 * The driver struct itself is immutable after creation except for @caps
 * (capsLock) and the objects with their own locks (domains, events).
 */

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "qemu_conf.h"
#include "qemu_domain.h"
#include "qemu_process.h"
#include "qemu_capabilities_glue.h"
#include "virerror.h"
#include "virfile.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

#define QEMU_CONF_MAX_SIZE (1024 * 1024)

typedef struct {
    qemuDriverJobFunc func;
    gpointer data;
    GDestroyNotify freefunc;
} qemuDriverWork;

static void
qemuDriverWorkerRun(gpointer data, gpointer user_data)
{
    qemuDriverWork *work = data;
    qemuDriver *driver = user_data;

    work->func(driver, work->data);
    if (work->freefunc)
        work->freefunc(work->data);
    g_free(work);
}

void
qemuDriverRunWorker(qemuDriver *driver, qemuDriverJobFunc func,
                    gpointer data, GDestroyNotify freefunc)
{
    qemuDriverWork *work = g_new0(qemuDriverWork, 1);

    work->func = func;
    work->data = data;
    work->freefunc = freefunc;
    g_thread_pool_push(driver->workers, work, NULL);
}

static gpointer
qemuDriverEventThread(gpointer data)
{
    qemuDriver *driver = data;

    g_main_context_push_thread_default(driver->ioContext);
    g_main_loop_run(driver->ioLoop);
    g_main_context_pop_thread_default(driver->ioContext);
    return NULL;
}

int
qemuDriverConfigParse(qemuDriver *driver, const char *path, const char *text)
{
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);

    for (size_t i = 0; lines[i]; i++) {
        g_autofree char *line = g_strstrip(g_strdup(lines[i]));
        char *eq;
        char *key;
        char *val;

        if (!*line || *line == '#')
            continue;
        if (!(eq = strchr(line, '='))) {
            virReportError(VIR_ERR_CONF_SYNTAX, "%s:%zu: expected 'key = value'",
                           path, i + 1);
            return -1;
        }
        *eq = '\0';
        key = g_strstrip(line);
        val = g_strstrip(eq + 1);
        if (g_str_equal(key, "destroy_grace_period")) {
            guint64 sec;

            if (!g_ascii_string_to_unsigned(val, 10, 0, 3600, &sec, NULL)) {
                virReportError(VIR_ERR_CONF_SYNTAX,
                               "%s:%zu: destroy_grace_period must be 0..3600 seconds, not '%s'",
                               path, i + 1, val);
                return -1;
            }
            driver->destroyGraceMs = (unsigned int)sec * 1000;
        }
        /* Other keys: libvirt's qemu.conf has many; unknown ones are ignored. */
    }
    return 0;
}

static int
qemuDriverLoadConfigFile(qemuDriver *driver)
{
    g_autofree char *path = g_build_filename(driver->configDir, "qemu.conf", NULL);
    g_autofree char *text = NULL;

    if (!g_file_test(path, G_FILE_TEST_EXISTS))
        return 0;
    if (virFileReadAll(path, QEMU_CONF_MAX_SIZE, &text) < 0)
        return -1;
    return qemuDriverConfigParse(driver, path, text);
}

/* Load every persistent definition of configDir as a shut off domain. A
 * bad file is skipped with a debug message (as libvirt: the others load). */
static void
qemuDriverLoadConfigs(qemuDriver *driver)
{
    g_autoptr(GDir) dir = g_dir_open(driver->configDir, 0, NULL);
    const char *ent;

    if (!dir)
        return;
    while ((ent = g_dir_read_name(dir))) {
        g_autofree char *path = NULL;
        g_autofree char *name = NULL;
        g_autofree char *raw = NULL;
        g_autoptr(virDomainDef) def = NULL;
        virDomainObj *obj;

        if (!g_str_has_suffix(ent, ".xml"))
            continue;
        path = g_build_filename(driver->configDir, ent, NULL);
        name = g_strndup(ent, strlen(ent) - 4);
        /* Read once: the definition and our <metadata> come from one text. */
        if (virFileReadAll(path, QEMU_CONF_MAX_SIZE * 16, &raw) < 0 ||
            !(def = virDomainDefParseString(raw, VIR_DOMAIN_DEF_PARSE_INACTIVE))) {
            g_debug("Failed to load config for domain '%s'", name);
            virResetLastError();
            continue;
        }
        if (!g_str_equal(def->name, name)) {
            g_debug("config '%s' names domain '%s': skipped", path, def->name);
            continue;
        }
        if (!(obj = virDomainObjListAdd(driver->domains, &def, 0, NULL))) {
            g_debug("Failed to load config for domain '%s'", name);
            continue;
        }
        if (!obj->privateData)
            qemuDomainObjInitPrivate(obj, driver);
        obj->persistent = true;
        obj->autostart = qemuDomainHasAutostartLink(driver, name);
        qemuDomainPriv(obj)->graceOverrideSec = qemuDomainParseGraceOverride(raw);
        virDomainObjSetState(obj, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_UNKNOWN);
        virDomainObjEndAPI(&obj);
    }
}

static void
qemuDriverStartupEventClear(gpointer data)
{
    qemuDriverStartupEvent *ev = data;

    g_free(ev->name);
}

void
qemuDriverKeepStartupEvent(qemuDriver *driver, virDomainObj *obj, int type, int detail)
{
    qemuDriverStartupEvent ev = {
        .name = g_strdup(obj->def->name), .id = obj->def->id, .type = type, .detail = detail,
    };

    memcpy(ev.uuid, obj->def->uuid, VIR_UUID_BUFLEN);
    g_mutex_lock(&driver->startupLock);
    g_array_append_val(driver->startupEvents, ev);
    g_mutex_unlock(&driver->startupLock);
}

void
qemuDriverFlushStartupEvents(qemuDriver *driver)
{
    g_autoptr(GArray) events = NULL;

    g_mutex_lock(&driver->startupLock);
    if (driver->startupEvents->len > 0) {
        events = driver->startupEvents;
        driver->startupEvents = g_array_new(FALSE, FALSE, sizeof(qemuDriverStartupEvent));
        g_array_set_clear_func(driver->startupEvents, qemuDriverStartupEventClear);
    }
    g_mutex_unlock(&driver->startupLock);
    if (!events)
        return;
    for (guint i = 0; i < events->len; i++) {
        qemuDriverStartupEvent *ev = &g_array_index(events, qemuDriverStartupEvent, i);

        virObjectEventStateQueue(driver->events,
                                 virDomainEventLifecycleNew(ev->id, ev->name, ev->uuid,
                                                            ev->type, ev->detail));
    }
}

qemuDriver *
qemuDriverNew(const qemuDriverPaths *paths, bool privileged, bool embedded, const char *uri)
{
    qemuDriver *driver = g_new0(qemuDriver, 1);
    const char *dirs[5];

    driver->refs = 1;
    driver->privileged = privileged;
    driver->embedded = embedded;
    driver->uri = g_strdup(uri);
    driver->configDir = g_strdup(paths->configDir);
    driver->autostartDir = g_build_filename(paths->configDir, "autostart", NULL);
    driver->stateDir = g_strdup(paths->stateDir);
    driver->libDir = g_strdup(paths->libDir);
    driver->logDir = g_strdup(paths->logDir);
    driver->cacheDir = g_strdup(paths->cacheDir);
    driver->destroyGraceMs = QEMU_DESTROY_GRACE_DEFAULT_MS;
    g_mutex_init(&driver->capsLock);
    g_mutex_init(&driver->startupLock);
    driver->startupEvents = g_array_new(FALSE, FALSE, sizeof(qemuDriverStartupEvent));
    g_array_set_clear_func(driver->startupEvents, qemuDriverStartupEventClear);

    dirs[0] = driver->configDir;
    dirs[1] = driver->stateDir;
    dirs[2] = driver->libDir;
    dirs[3] = driver->logDir;
    dirs[4] = driver->cacheDir;
    for (size_t i = 0; i < G_N_ELEMENTS(dirs); i++) {
        if (virFileMakePath(dirs[i], i == 1 || i == 2 ? 0700 : 0755) < 0)
            goto error;
    }
    if (qemuDriverLoadConfigFile(driver) < 0)
        goto error;

    driver->domains = virDomainObjListNew();
    driver->events = virObjectEventStateNew();
    driver->ioContext = g_main_context_new();
    driver->ioLoop = g_main_loop_new(driver->ioContext, FALSE);
    driver->ioThread = g_thread_new("qemu-event", qemuDriverEventThread, driver);
    driver->workers = g_thread_pool_new(qemuDriverWorkerRun, driver, 16, FALSE, NULL);

    qemuDriverLoadConfigs(driver);
    qemuProcessReconnectAll(driver);
    return driver;

 error:
    qemuDriverUnref(driver);
    return NULL;
}

qemuDriver *
qemuDriverRef(qemuDriver *driver)
{
    g_atomic_int_inc(&driver->refs);
    return driver;
}

void
qemuDriverUnref(qemuDriver *driver)
{
    if (!driver || !g_atomic_int_dec_and_test(&driver->refs))
        return;
    /* Workers first (they may touch the event thread's sources), then the
     * event thread, then the domains (whose private data detaches its
     * sources), then the context. Guests keep running. */
    if (driver->workers)
        g_thread_pool_free(driver->workers, FALSE, TRUE);
    if (driver->ioThread) {
        g_main_loop_quit(driver->ioLoop);
        g_thread_join(driver->ioThread);
    }
    if (driver->domains) {
        virDomainObjListForEach(driver->domains, qemuProcessDetach, NULL);
        virDomainObjListFree(driver->domains);
    }
    if (driver->ioLoop)
        g_main_loop_unref(driver->ioLoop);
    if (driver->ioContext)
        g_main_context_unref(driver->ioContext);
    if (driver->events)
        virObjectEventStateFree(driver->events);
    if (driver->caps)
        qemuGlueCapsFree(driver->caps);
    g_mutex_clear(&driver->capsLock);
    g_array_unref(driver->startupEvents);
    g_mutex_clear(&driver->startupLock);
    g_free(driver->uri);
    g_free(driver->configDir);
    g_free(driver->autostartDir);
    g_free(driver->stateDir);
    g_free(driver->libDir);
    g_free(driver->logDir);
    g_free(driver->cacheDir);
    g_free(driver);
}
