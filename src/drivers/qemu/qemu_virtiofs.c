/* qemu_virtiofs.c: the virtiofsd behind a <filesystem><driver type='virtiofs'/> */
/*
 * Threads: see qemu_virtiofs.h (API threads with the domain locked and a
 * job held; bounded waits on virtiofsd only; the exit watch on the
 * driver's ioContext touches only its own record).
 */

#define G_LOG_DOMAIN "virtkit.qemu.virtiofs"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib-unix.h>
#include <glib/gstdio.h>
#include <json-c/json.h>

#include "qemu_domain.h"
#include "qemu_process.h"
#include "qemu_virtiofs.h"
#include "virerror.h"
#include "virprocess.h"
#include "virsecurity.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

/* virtiofsd says this once its socket is taken and it waits for QEMU */
#define VIRTIOFSD_READY_LINE "Waiting for vhost-user socket connection"
/* QEMU's C virtiofsd is there in well under a second; another program
 * (<binary path>) that never says the line above is taken as ready then:
 * the socket listens already, QEMU's connection waits in its backlog */
#define VIRTIOFSD_READY_WAIT_US (5 * G_USEC_PER_SEC)
#define VIRTIOFSD_READY_POLL_US (10 * 1000)
#define VIRTIOFSD_TERM_WAIT_US (5 * G_USEC_PER_SEC)

/* One running virtiofsd. Shared (refs) between the domain's table and its
 * exit watch; the watch only reads @child/@what and reaps. */
typedef struct {
    gint refs;
    pid_t pid;
    int pidfd;
    bool child; /* spawned by this daemon (else adopted after a restart) */
    char *what; /* "virtiofsd 123 of filesystem fs0 of domain 'g'" */
    GSource *watch;
} qemuVirtioFSProc;

static qemuVirtioFSProc *
vfsProcRef(qemuVirtioFSProc *p)
{
    g_atomic_int_inc(&p->refs);
    return p;
}

static void
vfsProcUnref(gpointer data)
{
    qemuVirtioFSProc *p = data;

    if (!p || !g_atomic_int_dec_and_test(&p->refs))
        return;
    if (p->pidfd >= 0)
        close(p->pidfd);
    g_free(p->what);
    g_free(p);
}

/* The table's hold on @data: its exit watch ends with it (the domain's
 * private data freed at daemon exit while the guest runs on) */
static void
vfsProcDrop(gpointer data)
{
    qemuVirtioFSProc *p = data;

    if (p->watch) {
        g_source_destroy(p->watch);
        g_source_unref(g_steal_pointer(&p->watch));
    }
    vfsProcUnref(p);
}

char *
qemuVirtioFSSocketPath(const char *libDir, const virDomainFSDef *fs)
{
    if (fs->sock)
        return g_strdup(fs->sock);
    return g_strdup_printf("%s/%s-fs.sock", libDir, fs->alias);
}

static char *
vfsPidPath(qemuDriver *driver, const virDomainObj *obj, const virDomainFSDef *fs)
{
    /* libvirt's short name: "<id>-<first 20 bytes of the name>" */
    return g_strdup_printf("%s/%d-%.20s-%s-fs.pid", driver->stateDir, obj->def->id,
                           obj->def->name, fs->alias);
}

static char *
vfsLogPath(qemuDriver *driver, const virDomainObj *obj, const virDomainFSDef *fs)
{
    return g_strdup_printf("%s/%s-%s-virtiofsd.log", driver->logDir, obj->def->name,
                           fs->alias);
}

static bool
vfsIsVirtioFS(const virDomainFSDef *fs)
{
    return fs->fsdriver == VIR_DOMAIN_FS_DRIVER_VIRTIOFS && !fs->sock && fs->alias;
}

static GHashTable *
vfsTable(virDomainObj *obj)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);

    if (!priv->virtiofsds)
        priv->virtiofsds =
            g_hash_table_new_full(g_str_hash, g_str_equal, g_free, vfsProcDrop);
    return priv->virtiofsds;
}

/* descriptors by file name, a system administrator's (/etc) overriding
 * the distribution's of the same name, an empty file masking it; a
 * session daemon reads the user's first */
char *
qemuVhostUserFindBinary(const char *type, bool privileged)
{
    g_autofree char *userDir = privileged ? NULL
                                          : g_build_filename(g_get_user_config_dir(),
                                                             "qemu", "vhost-user", NULL);
    const char *dirs[] = { userDir ? userDir : "/etc/qemu/vhost-user",
                           "/etc/qemu/vhost-user", "/usr/share/qemu/vhost-user", NULL };
    g_autoptr(GHashTable) byName =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    g_autoptr(GList) names = NULL;

    for (size_t i = 0; dirs[i]; i++) {
        g_autoptr(GDir) dir = g_dir_open(dirs[i], 0, NULL);
        const char *name;

        while (dir && (name = g_dir_read_name(dir))) {
            if (g_str_has_suffix(name, ".json") && !g_hash_table_contains(byName, name))
                g_hash_table_insert(byName, g_strdup(name),
                                    g_build_filename(dirs[i], name, NULL));
        }
    }
    names = g_list_sort(g_hash_table_get_keys(byName), (GCompareFunc)strcmp);
    for (GList *l = names; l; l = l->next) {
        const char *path = g_hash_table_lookup(byName, l->data);
        json_object *root = json_object_from_file(path);
        json_object *jtype = NULL;
        json_object *binary = NULL;
        char *found = NULL;

        if (root && json_object_object_get_ex(root, "type", &jtype) &&
            json_object_is_type(jtype, json_type_string) &&
            g_str_equal(json_object_get_string(jtype), type) &&
            json_object_object_get_ex(root, "binary", &binary) &&
            json_object_is_type(binary, json_type_string))
            found = g_strdup(json_object_get_string(binary));
        json_object_put(root);
        if (found)
            return found;
    }
    return NULL;
}

/* @s with every ',' doubled (QEMU's and virtiofsd's -o option syntax). */
static void
vfsAppendEscaped(GString *out, const char *s)
{
    for (; *s; s++) {
        if (*s == ',')
            g_string_append_c(out, ',');
        g_string_append_c(out, *s);
    }
}

static GPtrArray *
vfsArgv(const virDomainFSDef *fs, int fd)
{
    static const char *const cache[VIR_DOMAIN_FS_CACHE_LAST] = { NULL, "none", "always" };
    static const char *const sandbox[VIR_DOMAIN_FS_SANDBOX_LAST] = { NULL, "namespace",
                                                                     "chroot" };
    GPtrArray *a = g_ptr_array_new_with_free_func(g_free);
    GString *opts = g_string_new("source=");

    g_ptr_array_add(a, g_strdup(fs->binary));
    g_ptr_array_add(a, g_strdup_printf("--fd=%d", fd));
    g_ptr_array_add(a, g_strdup("-o"));
    vfsAppendEscaped(opts, fs->src);
    if (cache[fs->cache])
        g_string_append_printf(opts, ",cache=%s", cache[fs->cache]);
    if (sandbox[fs->sandbox])
        g_string_append_printf(opts, ",sandbox=%s", sandbox[fs->sandbox]);
    if (fs->xattr == VIR_DOMAIN_TRISTATE_ON)
        g_string_append(opts, ",xattr");
    else if (fs->xattr == VIR_DOMAIN_TRISTATE_OFF)
        g_string_append(opts, ",no_xattr");
    if (fs->flock == VIR_DOMAIN_TRISTATE_ON)
        g_string_append(opts, ",flock");
    else if (fs->flock == VIR_DOMAIN_TRISTATE_OFF)
        g_string_append(opts, ",no_flock");
    if (fs->posixLock == VIR_DOMAIN_TRISTATE_ON)
        g_string_append(opts, ",posix_lock");
    else if (fs->posixLock == VIR_DOMAIN_TRISTATE_OFF)
        g_string_append(opts, ",no_posix_lock");
    g_ptr_array_add(a, g_string_free(opts, FALSE));
    if (fs->threadPoolSize >= 0)
        g_ptr_array_add(a, g_strdup_printf("--thread-pool-size=%d", fs->threadPoolSize));
    g_ptr_array_add(a, NULL);
    return a;
}

/* The listening socket virtiofsd inherits, at @path in @dir, reachable by
 * QEMU's user (who connects by path, as under libvirt: the run directory
 * and the socket are handed to it, as for passt). The fd (CLOEXEC; the
 * spawn keeps it), or -1 with an error. */
static int
vfsOpenSocket(qemuDriver *driver, const char *dir, const char *path)
{
    int fd;

    if ((fd = qemuProcessListenUnix(path)) < 0)
        return -1;
    if (driver->runAs && (chown(dir, driver->runAs->uid, driver->runAs->gid) < 0 ||
                          chown(path, driver->runAs->uid, driver->runAs->gid) < 0)) {
        virReportSystemError(errno, "cannot change ownership of '%s'", path);
        close(fd);
        g_unlink(path);
        return -1;
    }
    return fd;
}

static gboolean
vfsExited(gint fd G_GNUC_UNUSED, GIOCondition cond G_GNUC_UNUSED, gpointer data)
{
    qemuVirtioFSProc *p = data;
    int status = 0;

    /* a stop may have reaped it first (ECHILD then): nothing to say */
    if (p->child && virProcessReapPidfd(p->pidfd, &status) == 1 &&
        !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
        VIR_NOTICE("%s ended: %s %d", p->what,
                   WIFSIGNALED(status) ? "signal" : "exit status",
                   WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    else
        g_debug("%s ended", p->what);
    return G_SOURCE_REMOVE;
}

static void
vfsWatch(qemuDriver *driver, qemuVirtioFSProc *p)
{
    p->watch = g_unix_fd_source_new(p->pidfd, G_IO_IN);
    g_source_set_callback(p->watch, G_SOURCE_FUNC(vfsExited), vfsProcRef(p),
                          vfsProcUnref);
    g_source_attach(p->watch, driver->ioContext);
}

/* End @p: SIGTERM, SIGKILL if it lingers, reaped when ours. */
static void
vfsProcKill(qemuVirtioFSProc *p)
{
    if (p->watch) {
        g_source_destroy(p->watch);
        g_source_unref(g_steal_pointer(&p->watch));
    }
    if (!virProcessPidfdHasExited(p->pidfd)) {
        virProcessPidfdKill(p->pidfd, SIGTERM);
        if (virProcessWaitPidfd(p->pidfd,
                                g_get_monotonic_time() + VIRTIOFSD_TERM_WAIT_US) == 0) {
            virProcessPidfdKill(p->pidfd, SIGKILL);
            if (virProcessWaitPidfd(p->pidfd,
                                    g_get_monotonic_time() + VIRTIOFSD_TERM_WAIT_US) == 0)
                VIR_NOTICE("%s did not exit after SIGKILL", p->what);
        }
    }
    if (p->child)
        virProcessReapPidfd(p->pidfd, NULL);
}

/* Wait until virtiofsd at @pidfd says it waits for QEMU in @logPath (from
 * @offset on), exits, or the deadline passes. False when it exited. */
static bool
vfsWaitReady(int pidfd, const char *logPath, off_t offset)
{
    gint64 deadline = g_get_monotonic_time() + VIRTIOFSD_READY_WAIT_US;

    for (;;) {
        g_autofree char *text = NULL;
        gsize len = 0;

        if (g_file_get_contents(logPath, &text, &len, NULL) && (gsize)offset < len &&
            strstr(text + offset, VIRTIOFSD_READY_LINE))
            return true;
        if (virProcessPidfdHasExited(pidfd))
            return false;
        if (g_get_monotonic_time() >= deadline) {
            g_debug("virtiofsd did not say it was ready: taken as ready");
            return true;
        }
        /* its exit wakes us at once; its readiness only shows in the log */
        virProcessWaitPidfd(pidfd, g_get_monotonic_time() + VIRTIOFSD_READY_POLL_US);
    }
}

int
qemuVirtioFSStart(qemuDriver *driver, virDomainObj *obj, virDomainFSDef *fs)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    g_autofree char *socket = NULL;
    g_autofree char *pidPath = NULL;
    g_autofree char *logPath = NULL;
    g_autofree char *cmd = NULL;
    g_autofree char *pidText = NULL;
    g_autoptr(GPtrArray) argv = NULL;
    virProcessSpawnOpts opts = { 0 };
    qemuVirtioFSProc *p;
    int keep[1];
    pid_t pid = 0;
    int pidfd = -1;
    int sockfd = -1;
    int logfd = -1;
    off_t logStart;

    if (fs->fsdriver != VIR_DOMAIN_FS_DRIVER_VIRTIOFS || fs->sock)
        return 0;
    if (!priv->libDir || !fs->alias) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "virtiofsd needs a running domain");
        return -1;
    }
    if (!fs->binary &&
        !(fs->binary = qemuVhostUserFindBinary("fs", driver->privileged))) {
        virReportError(VIR_ERR_OPERATION_FAILED, "%s",
                       "Unable to find a satisfying virtiofsd");
        return -1;
    }
    if (!g_file_test(fs->binary, G_FILE_TEST_IS_EXECUTABLE) ||
        g_file_test(fs->binary, G_FILE_TEST_IS_DIR)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "virtiofsd binary '%s' is not executable",
                       fs->binary);
        return -1;
    }
    if (!fs->src || !g_file_test(fs->src, G_FILE_TEST_EXISTS)) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "the virtiofs export directory '%s' does not exist",
                       fs->src ? fs->src : "");
        return -1;
    }
    socket = qemuVirtioFSSocketPath(priv->libDir, fs);
    pidPath = vfsPidPath(driver, obj, fs);
    logPath = vfsLogPath(driver, obj, fs);
    if ((logfd = open(logPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600)) < 0) {
        virReportSystemError(errno, "failed to create logfile %s", logPath);
        return -1;
    }
    if ((sockfd = vfsOpenSocket(driver, priv->libDir, socket)) < 0) {
        close(logfd);
        return -1;
    }
    argv = vfsArgv(fs, sockfd);
    cmd = g_strjoinv(" ", (char **)argv->pdata);
    qemuDomainLogAppend(driver, obj->def->name, "virtiofsd: %s", cmd);
    logStart = lseek(logfd, 0, SEEK_END);

    keep[0] = sockfd;
    opts.argv = (const char *const *)argv->pdata;
    opts.logfd = logfd;
    opts.keepfds = keep;
    opts.nkeepfds = 1;
    opts.newSession = true;
    opts.cwd = "/";
    if (virProcessSpawn(&opts, &pid, &pidfd) < 0) {
        virErrorPtr saved = NULL;

        virErrorPreserveLast(&saved);
        close(sockfd);
        close(logfd);
        g_unlink(socket);
        virErrorRestore(&saved);
        return -1;
    }
    close(sockfd);
    close(logfd);

    p = g_new0(qemuVirtioFSProc, 1);
    p->refs = 1;
    p->pid = pid;
    p->pidfd = pidfd;
    p->child = true;
    p->what = g_strdup_printf("virtiofsd %lld of filesystem %s of domain '%s'",
                              (long long)pid, fs->alias, obj->def->name);
    g_hash_table_replace(vfsTable(obj), g_strdup(fs->alias), p);
    pidText = g_strdup_printf("%lld\n", (long long)pid);
    if (!g_file_set_contents(pidPath, pidText, -1, NULL)) {
        virReportSystemError(errno, "Unable to write virtiofsd pidfile '%s'", pidPath);
        qemuVirtioFSStop(driver, obj, fs);
        return -1;
    }
    if (!vfsWaitReady(pidfd, logPath, logStart < 0 ? 0 : logStart)) {
        int status = 0;

        virProcessReapPidfd(pidfd, &status);
        qemuVirtioFSStop(driver, obj, fs);
        virReportSystemError(ESRCH, "%s", "virtiofsd died unexpectedly");
        return -1;
    }
    vfsWatch(driver, p);
    g_debug("%s: socket %s", p->what, socket);
    return 0;
}

int
qemuVirtioFSStartAll(qemuDriver *driver, virDomainObj *obj)
{
    for (size_t i = 0; i < obj->def->nfss; i++) {
        if (qemuVirtioFSStart(driver, obj, obj->def->fss[i]) < 0) {
            qemuVirtioFSStopAll(driver, obj);
            return -1;
        }
    }
    return 0;
}

void
qemuVirtioFSStop(qemuDriver *driver, virDomainObj *obj, const virDomainFSDef *fs)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    virErrorPtr saved = NULL;
    qemuVirtioFSProc *p;

    if (!vfsIsVirtioFS(fs))
        return;
    virErrorPreserveLast(&saved);
    if (priv->virtiofsds && (p = g_hash_table_lookup(priv->virtiofsds, fs->alias))) {
        vfsProcKill(p);
        g_hash_table_remove(priv->virtiofsds, fs->alias);
    }
    {
        g_autofree char *pidPath = vfsPidPath(driver, obj, fs);

        g_unlink(pidPath);
    }
    if (priv->libDir) {
        g_autofree char *socket = qemuVirtioFSSocketPath(priv->libDir, fs);

        g_unlink(socket);
    }
    virErrorRestore(&saved);
}

void
qemuVirtioFSStopAll(qemuDriver *driver, virDomainObj *obj)
{
    for (size_t i = 0; i < obj->def->nfss; i++)
        qemuVirtioFSStop(driver, obj, obj->def->fss[i]);
}

/* Is @pid a virtiofsd running @fs's program on @fs's tree? (A reused pid
 * is not.) */
static bool
vfsPidIsOurs(pid_t pid, const virDomainFSDef *fs)
{
    g_autofree char *procPath = g_strdup_printf("/proc/%lld/cmdline", (long long)pid);
    g_autofree char *cmdline = NULL;
    g_autoptr(GString) want = g_string_new("source=");
    gsize len = 0;

    if (!fs->binary || !g_file_get_contents(procPath, &cmdline, &len, NULL) || len == 0 ||
        strcmp(cmdline, fs->binary) != 0)
        return false;
    vfsAppendEscaped(want, fs->src ? fs->src : "");
    for (gsize off = 0; off < len;) {
        const char *arg = cmdline + off;

        if (g_str_has_prefix(arg, want->str) &&
            (arg[want->len] == '\0' || arg[want->len] == ','))
            return true;
        off += strlen(arg) + 1;
    }
    return false;
}

void
qemuVirtioFSReconnect(qemuDriver *driver, virDomainObj *obj)
{
    for (size_t i = 0; i < obj->def->nfss; i++) {
        const virDomainFSDef *fs = obj->def->fss[i];
        g_autofree char *pidPath = NULL;
        g_autofree char *text = NULL;
        qemuVirtioFSProc *p;
        long pid = 0;
        int pidfd;

        if (!vfsIsVirtioFS(fs))
            continue;
        pidPath = vfsPidPath(driver, obj, fs);
        if (g_file_get_contents(pidPath, &text, NULL, NULL))
            pid = strtol(text, NULL, 10);
        if (pid <= 1 || !vfsPidIsOurs((pid_t)pid, fs) ||
            (pidfd = virProcessPidfdOpen((pid_t)pid)) < 0) {
            VIR_NOTICE("virtiofsd of filesystem '%s' of domain '%s' is not running: the "
                       "share is gone from the guest",
                       fs->alias, obj->def->name);
            continue;
        }
        p = g_new0(qemuVirtioFSProc, 1);
        p->refs = 1;
        p->pid = (pid_t)pid;
        p->pidfd = pidfd;
        p->child = false;
        p->what = g_strdup_printf("virtiofsd %ld of filesystem %s of domain '%s'", pid,
                                  fs->alias, obj->def->name);
        g_hash_table_replace(vfsTable(obj), g_strdup(fs->alias), p);
        vfsWatch(driver, p);
        g_debug("adopted %s", p->what);
    }
}

pid_t
qemuVirtioFSGetPid(virDomainObj *obj, const virDomainFSDef *fs)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    qemuVirtioFSProc *p;

    if (!fs->alias || !priv->virtiofsds ||
        !(p = g_hash_table_lookup(priv->virtiofsds, fs->alias)) ||
        virProcessPidfdHasExited(p->pidfd))
        return 0;
    return p->pid;
}
