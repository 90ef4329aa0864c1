/* qemu_driver_state.c: the QEMU driver's state (threads, definitions, life) and its state-driver hooks */

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
 * The state-driver hooks (qemuStateDriver, at the end) run on virtkitd's
 * main thread, before clients are accepted (initialize, autostart) or
 * after they are gone (cleanup). Autostart starts each guest on a thread
 * of its own and joins them all; each start takes its domain's job as any
 * API call does.
 */

#define G_LOG_DOMAIN "virtkit.qemu.state"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <sched.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "qemu_conf.h"
#include "qemu_domain.h"
#include "qemu_driver.h"
#include "qemu_driver_priv.h"
#include "qemu_process.h"
#include "qemu_security.h"
#include "qemu_capabilities_glue.h"
#include "virerror.h"
#include "virfile.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

/* the largest definition file read */
#define QEMU_DEF_MAX_SIZE (16 * 1024 * 1024)

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
qemuDriverRunWorker(qemuDriver *driver, qemuDriverJobFunc func, gpointer data,
                    GDestroyNotify freefunc)
{
    qemuDriverWork *work = g_new0(qemuDriverWork, 1);

    work->func = func;
    work->data = data;
    work->freefunc = freefunc;
    g_thread_pool_push(driver->workers, work, NULL);
}

/* Runs on the event thread: ends its loop. */
static gboolean
qemuDriverEventThreadQuit(gpointer data)
{
    g_main_loop_quit(data);
    return G_SOURCE_REMOVE;
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

/* The names of the *.xml files in @path (an empty set if it cannot be read). */
static GHashTable *
qemuDriverListXMLNames(const char *path)
{
    GHashTable *names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
    const char *ent;

    while (dir && (ent = g_dir_read_name(dir))) {
        if (g_str_has_suffix(ent, ".xml"))
            g_hash_table_add(names, g_strndup(ent, strlen(ent) - 4));
    }
    return names;
}

static gboolean
qemuDriverNotAutostart(gpointer name, gpointer value, gpointer driver)
{
    return !qemuDomainHasAutostartLink(driver, name);
}

/* The names whose autostart link points at their definition, from one
 * pass over the autostart directory (a readlink per domain costs more). */
static GHashTable *
qemuDriverReadAutostart(qemuDriver *driver)
{
    GHashTable *names = qemuDriverListXMLNames(driver->autostartDir);

    g_hash_table_foreach_remove(names, qemuDriverNotAutostart, driver);
    return names;
}

/*
 * The name and UUID of a definition we wrote, without parsing it: the
 * formatter always opens the document with <domain ...>, then <name>,
 * then <uuid>. Anything else (a hand-written file, a name with an entity,
 * no UUID) returns false and gets a full parse at once. The full parse
 * later checks that it finds the same name and UUID.
 */
static bool
qemuDriverScanNameUUID(const char *xml, const char *name, unsigned char *uuid)
{
    const char *p = strstr(xml, "<domain ");
    const char *end;
    size_t len = strlen(name);
    char uuidstr[VIR_UUID_STRING_BUFLEN];

    if (!p || !(p = strchr(p, '>')))
        return false;
    p = p + 1 + strspn(p + 1, " \t\r\n");
    if (!g_str_has_prefix(p, "<name>"))
        return false;
    p += strlen("<name>");
    if (strncmp(p, name, len) != 0 || !g_str_has_prefix(p + len, "</name>") ||
        strpbrk(name, "&<>"))
        return false;
    p += len + strlen("</name>");
    p += strspn(p, " \t\r\n");
    if (!g_str_has_prefix(p, "<uuid>"))
        return false;
    p += strlen("<uuid>");
    if (!(end = strstr(p, "</uuid>")) || end - p >= VIR_UUID_STRING_BUFLEN)
        return false;
    memcpy(uuidstr, p, end - p);
    uuidstr[end - p] = '\0';
    return virUUIDParse(uuidstr, uuid) == 0;
}

typedef struct {
    qemuDriver *driver;
    int dirFd;        /* configDir, open */
    GPtrArray *files; /* names of the *.xml files in configDir */
    GHashTable *autostart;
    GHashTable *running; /* names with a status file: parsed at once */
    GMutex lock;         /* pending */
    GPtrArray *pending;  /* objects left pending (pendingDir) */
    gint next;           /* atomic: the next file to take */
} qemuDriverLoader;

/* A definition that does not load is skipped (as libvirt: the others
 * load) and its file kept; the operator is told why. Loader threads: the
 * error is this thread's own, so it is cleared here. */
static void
qemuDriverLoadFailed(const char *name, const char *path)
{
    VIR_NOTICE(
        "Failed to load config for domain '%s' from '%s': %s: skipped (the file is kept)",
        name, path, virGetLastErrorMessage());
    virResetLastError();
}

/* The text of the definition file @ent of the directory open as @dirFd
 * (@path: the same file, for messages), NUL-terminated, or NULL (error
 * reported). A cold start reads thousands of them: a file under 16 KiB
 * costs an openat relative to the folder (no walk of the whole path per
 * file, no access time written), one read into the stack and a close (a
 * regular file's read comes back short only at its end), where
 * virFileReadAll also stats it and reads again to see the end. Larger
 * files go through virFileReadAll. */
static char *
qemuDriverReadDefFile(int dirFd, const char *ent, const char *path)
{
    enum {
        QUICK_MAX = 16 * 1024
    };
    char buf[QUICK_MAX];
    g_autofree char *big = NULL;
    ssize_t n;
    int fd;

    /* O_NOATIME: the first start after the definitions were written
     * would otherwise update each file's access time (relatime), a journal
     * transaction per file; only for files of our own user (or as root) */
    if ((fd = openat(dirFd, ent, O_RDONLY | O_CLOEXEC | O_NOATIME)) < 0 && errno == EPERM)
        fd = openat(dirFd, ent, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        virReportSystemError(errno, "Failed to open file '%s'", path);
        return NULL;
    }
    while ((n = read(fd, buf, QUICK_MAX)) < 0 && errno == EINTR)
        ;
    if (n < 0) {
        virReportSystemError(errno, "Failed to read file '%s'", path);
        close(fd);
        return NULL;
    }
    close(fd);
    if (n == QUICK_MAX) {
        if (virFileReadAll(path, QEMU_DEF_MAX_SIZE, &big) < 0)
            return NULL;
        return g_steal_pointer(&big);
    }
    return g_strndup(buf, n);
}

/* Load one definition as a shut off domain. Any thread. */
static void
qemuDriverLoadConfig(qemuDriverLoader *loader, const char *ent)
{
    qemuDriver *driver = loader->driver;
    g_autofree char *path = g_build_filename(driver->configDir, ent, NULL);
    g_autofree char *name = g_strndup(ent, strlen(ent) - 4);
    g_autofree char *raw = NULL;
    g_autoptr(virDomainDef) def = NULL;
    virDomainObj *obj;

    bool deferred = false;

    /* Read once: the definition and our <metadata> come from one text. */
    if (!(raw = qemuDriverReadDefFile(loader->dirFd, ent, path))) {
        qemuDriverLoadFailed(name, path);
        return;
    }
    /* An inactive domain's full definition waits (qemuDriverParseRun); a
     * running one's is needed now, by the reconnect. */
    if (!g_hash_table_contains(loader->running, name)) {
        def = virDomainDefNew();
        if (qemuDriverScanNameUUID(raw, name, def->uuid)) {
            def->name = g_strdup(name);
            deferred = true;
        } else {
            g_clear_pointer(&def, virDomainDefFree);
        }
    }
    if (!def && !(def = virDomainDefParseString(raw, VIR_DOMAIN_DEF_PARSE_INACTIVE))) {
        qemuDriverLoadFailed(name, path);
        return;
    }
    if (!g_str_equal(def->name, name)) {
        VIR_NOTICE("config '%s' names domain '%s': skipped (the file is kept)", path,
                   def->name);
        return;
    }
    if (!(obj = virDomainObjListAdd(driver->domains, &def, 0, NULL))) {
        qemuDriverLoadFailed(name, path);
        return;
    }
    if (!obj->privateData)
        qemuDomainObjInitPrivate(obj, driver);
    obj->persistent = true;
    obj->autostart = g_hash_table_contains(loader->autostart, name);
    qemuDomainPriv(obj)->graceOverrideSec = qemuDomainParseGraceOverride(raw);
    virDomainObjSetState(obj, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_UNKNOWN);
    if (deferred) {
        /* the file, not its text: read again when parsed (page cache),
         * so 10,000 texts never sit in the heap at once */
        obj->pendingDir = driver->configDir;
        g_mutex_lock(&loader->lock);
        g_ptr_array_add(loader->pending, virDomainObjRef(obj));
        g_mutex_unlock(&loader->lock);
    }
    virDomainObjEndAPI(&obj);
}

void
qemuDriverDropUnparsable(qemuDriver *driver, virDomainObj *obj)
{
    VIR_NOTICE("Failed to load config for domain '%s': %s: skipped (the file is kept)",
               obj->def->name, virGetLastErrorMessage());
    obj->pendingDir = NULL;
    if (!obj->removing)
        virDomainObjListRemove(driver->domains, obj);
}

/* Whether @def, parsed from the file of @obj (locked, still pending),
 * describes the domain indexed from it; if not, the error is reported as
 * virDomainObjSetParsed reports it. */
static bool
qemuDriverParsedMatches(virDomainObj *obj, const virDomainDef *def)
{
    char uuidstr[VIR_UUID_STRING_BUFLEN];

    if (strcmp(def->name, obj->def->name) == 0 &&
        memcmp(def->uuid, obj->def->uuid, VIR_UUID_BUFLEN) == 0)
        return true;
    virReportError(VIR_ERR_INTERNAL_ERROR,
                   "definition of domain '%s' (uuid %s) now names '%s'", obj->def->name,
                   virUUIDFormat(obj->def->uuid, uuidstr), def->name);
    return false;
}

/* Background: validate the definitions left pending at load, by parsing
 * each one. One that does not parse (or names another domain) is dropped,
 * as a bad file is at load. One that does is thrown away again: an
 * inactive domain's definition stays in its file (the page cache) until
 * a call needs more than its name and UUID, which parses it then
 * (qemuDomainObjFromDomain and the other virDomainObjParsePending
 * callers), so nobody ever sees a placeholder. Keeping all of them
 * parsed cost ~2 KiB each: 10,000 defined were 38-40 MiB resident, 20
 * MiB of it those definitions. */
static gpointer
qemuDriverParseRun(gpointer opaque)
{
    qemuDriver *driver = opaque;
    GPtrArray *pending = driver->parsePending;
    guint i;

    /* Background work: clients' calls come first (no lock is held while
     * parsing, so being preempted holds nobody up). SCHED_IDLE rather
     * than nice 19: a thread of normal policy waking on a CPU that runs
     * an idle-policy thread preempts it at once, where a nice-19 thread
     * keeps its CPU to the end of its slice (EEVDF). A cold start's first
     * list is a chain of such wakeups (client, main thread, worker, main
     * thread, client) while these threads hold both CPUs: with 1,000
     * defined that cost ~10 ms of the start (issue 5). Nice 19 where the
     * policy cannot be had. */
    {
        struct sched_param param = { 0 };

        if (sched_setscheduler((pid_t)syscall(SYS_gettid), SCHED_IDLE, &param) < 0 &&
            setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 19) < 0)
            g_debug("setpriority: %s", g_strerror(errno));
    }
    while (!g_atomic_int_get(&driver->parseStop) &&
           (i = (guint)g_atomic_int_add(&driver->parseNext, 1)) < pending->len) {
        virDomainObj *obj = g_ptr_array_index(pending, i);
        g_autofree char *path = NULL;
        g_autoptr(virDomainDef) def = NULL;

        virDomainObjLock(obj);
        path = virDomainObjPendingPath(obj);
        virDomainObjUnlock(obj);
        if (!path)
            continue; /* parsed by an API call meanwhile */
        def = virDomainDefParseFile(path, VIR_DOMAIN_DEF_PARSE_INACTIVE);

        virDomainObjLock(obj);
        if (!obj->removing && obj->pendingDir &&
            (!def || !qemuDriverParsedMatches(obj, def))) {
            qemuDriverDropUnparsable(driver, obj);
            virResetLastError();
        }
        virDomainObjUnlock(obj);
    }
    if (g_atomic_int_dec_and_test(&driver->parseRunning) &&
        !g_atomic_int_get(&driver->parseStop)) {
        /* the texts and the parsers' scratch memory are free now: give it
         * back to the system rather than keep it for the daemon's life */
        malloc_trim(0);
        g_debug("%u definitions validated in the background in %.1f ms", pending->len,
                (g_get_monotonic_time() - driver->parseStart) / 1000.0);
    }
    return NULL;
}

static void
qemuDriverParseStart(qemuDriver *driver, GPtrArray *pending)
{
    guint nthreads = MIN(MIN(g_get_num_processors(), 8), pending->len / 64 + 1);

    driver->parsePending = pending;
    driver->parseThreads = g_ptr_array_new();
    driver->parseStart = g_get_monotonic_time();
    if (pending->len == 0)
        return;
    g_atomic_int_set(&driver->parseRunning, (gint)nthreads);
    for (guint i = 0; i < nthreads; i++)
        g_ptr_array_add(driver->parseThreads,
                        g_thread_new("qemu-parse", qemuDriverParseRun, driver));
}

static void
qemuDriverParseStop(qemuDriver *driver)
{
    if (!driver->parseThreads)
        return;
    g_atomic_int_set(&driver->parseStop, 1);
    for (guint i = 0; i < driver->parseThreads->len; i++)
        g_thread_join(g_ptr_array_index(driver->parseThreads, i));
    g_clear_pointer(&driver->parseThreads, g_ptr_array_unref);
    g_clear_pointer(&driver->parsePending, g_ptr_array_unref);
}

static gpointer
qemuDriverLoaderRun(gpointer opaque)
{
    qemuDriverLoader *loader = opaque;
    guint i;

    while ((i = (guint)g_atomic_int_add(&loader->next, 1)) < loader->files->len)
        qemuDriverLoadConfig(loader, g_ptr_array_index(loader->files, i));
    return NULL;
}

/* Load every persistent definition of configDir. Reading is most of a
 * cold start with thousands defined, so every CPU takes a share (a
 * thread per CPU, up to 8, pulling files off one counter). Inactive
 * domains are indexed by name and UUID; their full parse follows in the
 * background (qemuDriverParseStart). */
/* What a daemon killed half-way through a write or an undefine leaves:
 * temporary files of atomic writes (status files here; the definitions'
 * ones go in qemuDriverLoadConfigs' own pass over their folder) and
 * autostart links whose definition is gone (undefine removes the
 * definition first). Run before anything is read, while nobody writes. */
static void
qemuDriverRemoveLeftovers(qemuDriver *driver)
{
    g_autoptr(GDir) dir = g_dir_open(driver->autostartDir, 0, NULL);
    const char *ent;

    virFileRemoveAtomicLeftovers(driver->stateDir, ".xml");
    while (dir && (ent = g_dir_read_name(dir))) {
        g_autofree char *link = g_build_filename(driver->autostartDir, ent, NULL);
        g_autofree char *target = NULL;
        struct stat sb;

        if (!g_str_has_suffix(ent, ".xml") || !(target = g_file_read_link(link, NULL)))
            continue;
        if (stat(link, &sb) < 0 && errno == ENOENT) {
            g_debug("removing autostart link '%s' to missing '%s'", link, target);
            if (unlink(link) < 0)
                g_debug("cannot remove '%s': %s", link, g_strerror(errno));
        }
    }
}

static void
qemuDriverLoadConfigs(qemuDriver *driver)
{
    DIR *dir = opendir(driver->configDir);
    g_autoptr(GPtrArray) threads = g_ptr_array_new();
    qemuDriverLoader loader = { .driver = driver };
    gint64 start = g_get_monotonic_time();
    struct dirent *de;
    guint nthreads;

    qemuDriverRemoveLeftovers(driver);
    if (!dir) {
        qemuDriverParseStart(driver, g_ptr_array_new());
        return;
    }
    /* One pass over the folder: the definitions, and the temporary files
     * a killed daemon's atomic writes left (removed here) */
    loader.dirFd = dirfd(dir);
    loader.files = g_ptr_array_new_with_free_func(g_free);
    while ((errno = 0, de = readdir(dir))) {
        if (virFileIsAtomicLeftover(de->d_name, ".xml")) {
            if (unlinkat(loader.dirFd, de->d_name, 0) < 0 && errno != ENOENT)
                g_debug("cannot remove leftover temporary file '%s' in '%s': %s",
                        de->d_name, driver->configDir, g_strerror(errno));
            else
                g_debug("removed leftover temporary file '%s' in '%s'", de->d_name,
                        driver->configDir);
        } else if (g_str_has_suffix(de->d_name, ".xml")) {
            g_ptr_array_add(loader.files, g_strdup(de->d_name));
        }
    }
    loader.autostart = qemuDriverReadAutostart(driver);
    loader.running = qemuDriverListXMLNames(driver->stateDir); /* running guests */
    loader.pending = g_ptr_array_new_with_free_func((GDestroyNotify)virDomainObjUnref);
    g_mutex_init(&loader.lock);

    nthreads = MIN(MIN(g_get_num_processors(), 8), loader.files->len / 64 + 1);
    for (guint i = 1; i < nthreads; i++)
        g_ptr_array_add(threads, g_thread_new("qemu-load", qemuDriverLoaderRun, &loader));
    qemuDriverLoaderRun(&loader);
    for (guint i = 0; i < threads->len; i++)
        g_thread_join(g_ptr_array_index(threads, i));
    g_debug("%u definition files read in %.1f ms by %u threads (%u to parse later)",
            loader.files->len, (g_get_monotonic_time() - start) / 1000.0, nthreads,
            loader.pending->len);

    closedir(dir);
    g_ptr_array_unref(loader.files);
    g_hash_table_unref(loader.autostart);
    g_hash_table_unref(loader.running);
    g_mutex_clear(&loader.lock);
    qemuDriverParseStart(driver, loader.pending);
}

/* The entries of <libDir>/@sub, for qemuDriverLoadMetadata. Returns NULL
 * when the folder exists but cannot be listed: every domain is then
 * looked at as before. A missing folder is an empty set. */
static GHashTable *
qemuDriverListLibDir(qemuDriver *driver, const char *sub)
{
    g_autofree char *path = g_build_filename(driver->libDir, sub, NULL);
    GHashTable *names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_autoptr(GError) err = NULL;
    g_autoptr(GDir) dir = g_dir_open(path, 0, &err);
    const char *ent;

    if (!dir) {
        if (g_error_matches(err, G_FILE_ERROR, G_FILE_ERROR_NOENT))
            return names;
        g_debug("cannot list '%s': %s", path, err->message);
        g_hash_table_unref(names);
        return NULL;
    }
    while ((ent = g_dir_read_name(dir)))
        g_hash_table_add(names, g_strdup(ent));
    return names;
}

typedef struct {
    qemuDriver *driver;
    GHashTable *saves;       /* entries of save/ (NAME.save), NULL: look at all */
    GHashTable *snapshots;   /* entries of snapshot/ (NAME) */
    GHashTable *checkpoints; /* entries of checkpoint/ (NAME) */
} qemuDriverMetadataScan;

static void
qemuDriverLoadMetadataOne(virDomainObj *obj, void *opaque)
{
    qemuDriverMetadataScan *scan = opaque;
    g_autofree char *name = NULL;
    g_autofree char *save = NULL;

    virDomainObjLock(obj);
    name = g_strdup(obj->def->name);
    virDomainObjUnlock(obj);
    save = g_strconcat(name, ".save", NULL);
    if (!scan->saves || g_hash_table_contains(scan->saves, save))
        qemuDomainManagedSaveLoad(obj, scan->driver);
    if (!scan->snapshots || g_hash_table_contains(scan->snapshots, name))
        qemuSnapshotLoad(obj, scan->driver);
    if (!scan->checkpoints || g_hash_table_contains(scan->checkpoints, name))
        qemuCheckpointLoad(obj, scan->driver);
}

/* Whether a listing of qemuDriverListLibDir may name a domain (NULL:
 * not listed, so any may). */
static bool
qemuDriverScanMayFind(GHashTable *names)
{
    return !names || g_hash_table_size(names) > 0;
}

/* Each domain's managed save image, snapshots and checkpoints. Three
 * folder listings instead of three lookups per domain: with 1,000
 * defined those lookups (an access() and two failing opendir()s each,
 * on the main thread before the sockets accept) were ~6 ms of a ~20 ms
 * cold start. A domain with an entry is loaded as before. */
static void
qemuDriverLoadMetadata(qemuDriver *driver)
{
    qemuDriverMetadataScan scan = {
        .driver = driver,
        .saves = qemuDriverListLibDir(driver, "save"),
        .snapshots = qemuDriverListLibDir(driver, "snapshot"),
        .checkpoints = qemuDriverListLibDir(driver, "checkpoint"),
    };

    /* the usual case, no save image, snapshot or checkpoint at all: not
     * one domain to look at (a walk of 1,000 costs ~1 ms of the start) */
    if (qemuDriverScanMayFind(scan.saves) || qemuDriverScanMayFind(scan.snapshots) ||
        qemuDriverScanMayFind(scan.checkpoints))
        virDomainObjListForEach(driver->domains, qemuDriverLoadMetadataOne, &scan);
    g_clear_pointer(&scan.saves, g_hash_table_unref);
    g_clear_pointer(&scan.snapshots, g_hash_table_unref);
    g_clear_pointer(&scan.checkpoints, g_hash_table_unref);
}

qemuDriver *
qemuDriverNew(const qemuDriverPaths *paths, bool privileged, bool embedded,
              const char *uri)
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
    driver->dynamicOwnership = true;
    driver->seccompSandbox = true;
    driver->cgroupControllers = ~0u;
    driver->ports = (qemuPortRanges)QEMU_PORT_RANGES_DEFAULT;
    g_mutex_init(&driver->capsLock);
    g_mutex_init(&driver->securityLock);

    dirs[0] = driver->configDir;
    dirs[1] = driver->stateDir;
    dirs[2] = driver->libDir;
    dirs[3] = driver->logDir;
    dirs[4] = driver->cacheDir;
    for (size_t i = 0; i < G_N_ELEMENTS(dirs); i++) {
        if (virFileMakePath(dirs[i], i == 1 || i == 2 ? 0700 : 0755) < 0)
            goto error;
    }
    /* QEMU, as the QEMU user, opens a guest's NVRAM by its path under
     * <libDir>/nvram (libvirt's /var/lib/libvirt/qemu is searchable by it
     * too): search only, nothing in it can be listed */
    if (chmod(driver->libDir, 0711) < 0) {
        virReportSystemError(errno, "cannot set permissions of '%s'", driver->libDir);
        goto error;
    }
    if (qemuDriverLoadConfigFile(driver) < 0 || qemuDriverResolveRunAs(driver) < 0)
        goto error;

    driver->domains = virDomainObjListNew();
    driver->events = virObjectEventStateNew();
    virObjectEventStateSetJournaled(driver->events); /* virtkitd's event journal */
    /* What the reconnect finds (a guest that died while nobody watched)
     * goes to the first listener, which registers after this returns. */
    virObjectEventStateKeepUntilListener(driver->events);
    driver->ioContext = g_main_context_new();
    driver->ioLoop = g_main_loop_new(driver->ioContext, FALSE);
    driver->ioThread = g_thread_new("qemu-event", qemuDriverEventThread, driver);
    driver->workers = g_thread_pool_new(qemuDriverWorkerRun, driver, 16, FALSE, NULL);

    qemuDriverLoadConfigs(driver);
    qemuDriverLoadMetadata(driver);
    qemuProcessReconnectAll(driver);
    /* files still handed to the QEMU user for guests that are gone */
    qemuSecurityRestoreStale(driver);
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
    qemuDriverParseStop(driver);
    if (driver->workers)
        g_thread_pool_free(driver->workers, FALSE, TRUE);
    if (driver->ioThread) {
        /* Not g_main_loop_quit from here: if the thread has not reached
         * g_main_loop_run yet (a daemon told to exit right after it
         * started, on a busy host), run would set the loop running again
         * and the join below would wait forever. A source on the loop's
         * own context quits it whenever the loop gets to it. */
        g_autoptr(GSource) quit = g_idle_source_new();

        g_source_set_priority(quit, G_PRIORITY_HIGH);
        g_source_set_callback(quit, qemuDriverEventThreadQuit, driver->ioLoop, NULL);
        g_source_attach(quit, driver->ioContext);
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
    g_mutex_clear(&driver->securityLock);
    virSecurityIdentityFree(driver->runAs);
    g_free(driver->user);
    g_free(driver->group);
    g_free(driver->uri);
    g_free(driver->root);
    g_free(driver->configDir);
    g_free(driver->autostartDir);
    g_free(driver->stateDir);
    g_free(driver->libDir);
    g_free(driver->logDir);
    g_free(driver->cacheDir);
    g_free(driver);
}

/* ---- state-driver hooks (driver-state.h) ---------------------------- */

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
