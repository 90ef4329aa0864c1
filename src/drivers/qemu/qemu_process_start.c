/* qemu_process_start.c: QEMU process lifecycle: start (fresh or from a saved state) */
/*
 * Threads: qemuProcessStart/StartIncoming run on an API thread with the
 * domain object locked and a MODIFY job held, and drop the lock whenever
 * they wait on QEMU (monitor handshake, QMP replies); the thread protocol
 * is qemu_process.c's. They start nothing of their own: the pidfd watch
 * and the monitor's thread they set up belong to qemu_process.c.
 */

#define G_LOG_DOMAIN "virtkit.qemu.start"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
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
#include "qemu_cgroup.h"
#include "qemu_perf.h"
#include "qemu_hotplug.h"
#include "qemu_hostdev.h"
#include "qemu_iotune.h"
#include "qemu_interface.h"
#include "qemu_capabilities_glue.h"
#include "qemu_command.h"
#include "qemu_command_memory.h"
#include "qemu_monitor.h"
#include "qemu_passt.h"
#include "qemu_security.h"
#include "virerror.h"
#include "viruuid.h"
#include "virfile.h"
#include "virprocess.h"
#include "virtkit-config.h"
#include "qemu_taint.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

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

/* What QEMU wrote to its log from @start on (its own messages, after our
 * header), as libvirt shows it in a failed start's error: up to our own
 * "shutting down" line should QEMU's exit have been handled already
 * (priv->logStopOffset), "char device redirected" notices left out, at
 * most the last 4 KiB, no trailing newline. NULL when it wrote nothing (or
 * the log cannot be read). */
static char *
qemuProcessReadLogTail(qemuDriver *driver, virDomainObj *obj, off_t start)
{
    off_t stop = qemuDomainPriv(obj)->logStopOffset;
    g_autofree char *path = g_strdup_printf("%s/%s.log", driver->logDir, obj->def->name);
    g_autofree char *buf = NULL;
    g_autoptr(GString) out = g_string_new(NULL);
    g_auto(GStrv) lines = NULL;
    off_t end;
    ssize_t n;
    int fd;

    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
        return NULL;
    if ((end = lseek(fd, 0, SEEK_END)) >= 0 && stop >= start && stop < end)
        end = stop;
    if (end < 0 || end <= start) {
        close(fd);
        return NULL;
    }
    if (end - start > 4096)
        start = end - 4096;
    buf = g_malloc0(end - start + 1);
    n = pread(fd, buf, end - start, start);
    close(fd);
    if (n <= 0)
        return NULL;
    buf[n] = '\0';
    lines = g_strsplit(buf, "\n", -1);
    for (size_t i = 0; lines[i]; i++) {
        if (!*lines[i] || strstr(lines[i], "char device redirected to"))
            continue;
        if (out->len)
            g_string_append_c(out, '\n');
        g_string_append(out, lines[i]);
    }
    if (!out->len)
        return NULL;
    return g_string_free(g_steal_pointer(&out), FALSE);
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
    qemuArgvFormat(hdr, argv, " \\\n");
    g_string_append_c(hdr, '\n');
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

/* What graphics listen on, found at start as libvirt's
 * qemuProcessGraphicsSetupListen does: a socket without a path gets
 * vnc.sock / spice.sock in the run's directory (handed to the user QEMU
 * runs as, who creates it), a network listen the network's address. The
 * live definition keeps both. obj locked, start job held. */
/* libvirt's virHostGetDRMRenderNode: the first /dev/dri/renderD* (an
 * egl-headless display without <gl rendernode>); NULL with its error. */
static char *
qemuProcessDRMRenderNode(void)
{
    g_autoptr(GDir) dir = NULL;
    g_autoptr(GError) err = NULL;
    const char *name;

    if (!(dir = g_dir_open("/dev/dri", 0, &err))) {
        /* libvirt's util errors: domain NONE */
        virReportSystemErrorFull(VIR_FROM_NONE,
                                 err->code == G_FILE_ERROR_NOENT ? ENOENT : EACCES,
                                 __func__, "cannot open directory '%s'", "/dev/dri");
        return NULL;
    }
    while ((name = g_dir_read_name(dir))) {
        if (g_str_has_prefix(name, "renderD"))
            return g_strdup_printf("/dev/dri/%s", name);
    }
    virReportErrorFull(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR, __func__, "%s",
                       "No DRM render nodes available");
    return NULL;
}

/* Each egl-headless display without a render node gets the host's first
 * (live data, as libvirt's qemuProcessGraphicsSetupRenderNode), before
 * the files are handed to the QEMU user. obj locked, start job held. */
static int
qemuProcessGraphicsSetupRenderNode(virDomainObj *obj)
{
    for (size_t i = 0; i < obj->def->ngraphics; i++) {
        virDomainGraphicsDef *g = obj->def->graphics[i];

        if (g->type == VIR_DOMAIN_GRAPHICS_TYPE_EGL_HEADLESS && !g->rendernode &&
            !(g->rendernode = qemuProcessDRMRenderNode()))
            return -1;
    }
    return 0;
}

static int
qemuProcessGraphicsSetupListen(qemuDriver *driver, virDomainObj *obj)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);

    for (size_t i = 0; i < obj->def->ngraphics; i++) {
        virDomainGraphicsDef *g = obj->def->graphics[i];

        if (g->listenType == VIR_DOMAIN_GRAPHICS_LISTEN_NETWORK) {
            g_free(g->listen);
            if (!(g->listen = qemuInterfaceNetworkListenAddress(g->network)))
                return -1;
        } else if (g->listenType == VIR_DOMAIN_GRAPHICS_LISTEN_SOCKET && !g->socket) {
            g->socket = g_strdup_printf("%s/%s.sock", priv->libDir,
                                        virDomainGraphicsTypeToString(g->type));
            g->socketGenerated = true;
            if (driver->runAs &&
                chown(priv->libDir, driver->runAs->uid, driver->runAs->gid) < 0) {
                virReportSystemError(errno, "cannot change ownership of '%s'",
                                     priv->libDir);
                return -1;
            }
        }
    }
    return 0;
}

/* The VNC and SPICE passwords of the definition, as libvirt sets them before the
 * guest runs (-vnc ...,password=on; -spice without disable-ticketing):
 * set_password, then expire_password
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
        json_object_object_add(
            set, "protocol",
            json_object_new_string(virDomainGraphicsTypeToString(g->type)));
        json_object_object_add(set, "password", json_object_new_string(g->passwd));
        if (g->connected)
            json_object_object_add(set, "connected",
                                   json_object_new_string(g->connected));
        expire = json_object_new_object();
        json_object_object_add(
            expire, "protocol",
            json_object_new_string(virDomainGraphicsTypeToString(g->type)));
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

/* The device ids of the serials, parallel ports and consoles, as libvirt
 * names them and the command line uses them (qemu_command.c): serialI,
 * parallelI and consoleI, I the position; the serial console (console 0 of target serial: no device of
 * its own) carries its serial's, as libvirt's live XML shows it and as
 * hotplug keeps it (qemuHotplugChrKeepAliases). */
static void
qemuProcessAssignChrAliases(virDomainDef *def)
{
    for (size_t i = 0; i < def->nserials; i++) {
        g_free(def->serials[i]->alias);
        def->serials[i]->alias = g_strdup_printf("serial%zu", i);
    }
    for (size_t i = 0; i < def->nparallels; i++) {
        g_free(def->parallels[i]->alias);
        def->parallels[i]->alias = g_strdup_printf("parallel%zu", i);
    }
    for (size_t i = 0; i < def->nconsoles; i++) {
        g_free(def->consoles[i]->alias);
        if (i == 0 && def->consoles[0]->targetType == VIR_DOMAIN_CHR_TARGET_SERIAL &&
            def->nserials)
            def->consoles[i]->alias = g_strdup(def->serials[0]->alias);
        else
            def->consoles[i]->alias = g_strdup_printf("console%zu", i);
    }
    /* and the filesystems' (fsN; no hotplug) */
    for (size_t i = 0; i < def->nfss; i++) {
        g_free(def->fss[i]->alias);
        def->fss[i]->alias = g_strdup_printf("fs%zu", i);
    }
    /* and the memory devices' (dimmS by slot, virtiomemN ...: the ids
     * qemuBuildMemoryDeviceArgs gives them) */
    for (size_t i = 0; i < def->nmems; i++) {
        g_free(def->mems[i]->alias);
        def->mems[i]->alias = qemuMemoryDeviceAlias(def, def->mems[i]);
    }
}

/* Learn the pty QEMU allocated for each 'pty' serial, parallel port, virtio console and
 * channel (query-chardev) and record it in the live definition as <source
 * path=.../> (libvirt does the same); a serial console shows its serial's
 * pty. obj locked, start job held; the lock is dropped around each monitor
 * call. */
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
        alias = def->serials[i]->alias ? g_strdup_printf("char%s", def->serials[i]->alias)
                                       : g_strdup_printf("charserial%zu", i);
        virDomainObjUnlock(obj);
        rc = qemuMonitorGetPtyPath(priv->mon, alias, &path);
        virDomainObjLock(obj);
        if (rc < 0)
            return -1;
        g_free(def->serials[i]->path);
        def->serials[i]->path = path;
    }
    for (size_t i = 0; i < def->nparallels; i++) {
        g_autofree char *alias = NULL;
        char *path = NULL;
        int rc;

        if (def->parallels[i]->type != VIR_DOMAIN_CHR_TYPE_PTY)
            continue;
        alias = def->parallels[i]->alias
                    ? g_strdup_printf("char%s", def->parallels[i]->alias)
                    : g_strdup_printf("charparallel%zu", i);
        virDomainObjUnlock(obj);
        rc = qemuMonitorGetPtyPath(priv->mon, alias, &path);
        virDomainObjLock(obj);
        if (rc < 0)
            return -1;
        g_free(def->parallels[i]->path);
        def->parallels[i]->path = path;
    }
    for (size_t i = 0; i < def->nconsoles; i++) {
        virDomainChrDef *con = def->consoles[i];
        size_t port = MAX(con->targetPort, 0);

        if (con->type == VIR_DOMAIN_CHR_TYPE_PTY &&
            con->targetType == VIR_DOMAIN_CHR_TARGET_VIRTIO) {
            /* a virtconsole has its own pty (charconsoleI) */
            g_autofree char *alias = con->alias ? g_strdup_printf("char%s", con->alias)
                                                : g_strdup_printf("charconsole%zu", i);
            char *path = NULL;
            int rc;

            virDomainObjUnlock(obj);
            rc = qemuMonitorGetPtyPath(priv->mon, alias, &path);
            virDomainObjLock(obj);
            if (rc < 0)
                return -1;
            g_free(con->path);
            con->path = path;
            continue;
        }
        /* a serial console: the serial with its port */
        for (size_t j = 0; j < def->nserials; j++) {
            if (con->type != VIR_DOMAIN_CHR_TYPE_PTY ||
                (size_t)MAX(def->serials[j]->targetPort, 0) != port ||
                def->serials[j]->type != VIR_DOMAIN_CHR_TYPE_PTY)
                continue;
            g_free(con->path);
            con->path = g_strdup(def->serials[j]->path);
            break;
        }
    }
    /* a 'pty' channel's pty (char + its alias), shown live as libvirt does */
    for (size_t i = 0; i < def->nchannels; i++) {
        virDomainChannelDef *chan = def->channels[i];
        g_autofree char *alias = NULL;
        char *path = NULL;
        int rc;

        if (chan->unixSocket || chan->spicevmc || chan->vdagent || !chan->alias)
            continue;
        alias = g_strdup_printf("char%s", chan->alias);
        virDomainObjUnlock(obj);
        rc = qemuMonitorGetPtyPath(priv->mon, alias, &path);
        virDomainObjLock(obj);
        if (rc < 0)
            return -1;
        g_free(chan->path);
        chan->path = path;
    }
    return 0;
}

int
qemuProcessListenUnix(const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int fd;

    if (strlen(path) >= sizeof(addr.sun_path)) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "UNIX socket path '%s' too long",
                       path);
        return -1;
    }
    g_strlcpy(addr.sun_path, path, sizeof(addr.sun_path));
    if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
        virReportSystemError(errno, "%s", "Failed to create UNIX socket");
        return -1;
    }
    unlink(path);
    if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(fd, 1) < 0) {
        virReportSystemError(errno, "Failed to bind socket to '%s'", path);
        close(fd);
        return -1;
    }
    return fd;
}

/* Open @path for QEMU's output: appended to when @append is
 * VIR_DOMAIN_TRISTATE_ON, else truncated (QEMU's default). The fd, added
 * to @keepfds, or -1 (SYSTEM_ERROR reported). */
static int
qemuProcessOpenOutputFile(const char *path, int append, int *keepfds, size_t *nkeep)
{
    int fd = open(path,
                  O_WRONLY | O_CREAT | O_CLOEXEC |
                      (append == VIR_DOMAIN_TRISTATE_ON ? O_APPEND : O_TRUNC),
                  0666);

    if (fd < 0) {
        virReportSystemError(errno, "Could not open '%s'", path);
        return -1;
    }
    keepfds[(*nkeep)++] = fd;
    return fd;
}

/* The serials' host sides the daemon opens for QEMU, at @serialFds[I]
 * (parallel port J's at @serialFds[QEMU_PARALLEL_FD_BASE + J]):
 * a 'unix' one in bind mode listens here (as libvirt makes it: QEMU's
 * user needs no access to its directory); when QEMU runs as another user,
 * a 'file' one is opened (truncated unless append='on', as QEMU would)
 * and so are the <log> files of the serials and virtio consoles (at
 * @logFds, laid out as qemuCommandOptions' logFds: libvirt's virtlogd
 * opens them the same way), so that the QEMU user needs no access to
 * their directories and the files stay ours. Adds each fd to @keepfds.
 * 0 or -1 (SYSTEM_ERROR reported). */
G_STATIC_ASSERT(QEMU_PARALLEL_FD_BASE == QEMU_MAX_SERIAL_FDS);

static int
qemuProcessOpenSerialFiles(qemuDriver *driver, virDomainObj *obj, int *serialFds,
                           int *logFds, int *keepfds, size_t *nkeep)
{
    for (size_t i = 0; i < QEMU_MAX_CHR_FDS; i++) {
        const virDomainChrDef *chr = NULL;

        if (i < QEMU_PARALLEL_FD_BASE && i < obj->def->nserials)
            chr = obj->def->serials[i];
        else if (i >= QEMU_PARALLEL_FD_BASE &&
                 i - QEMU_PARALLEL_FD_BASE < obj->def->nparallels)
            chr = obj->def->parallels[i - QEMU_PARALLEL_FD_BASE];
        if (!chr)
            continue;

        /* the serials' logs (a parallel port's: QEMU opens its path) */
        if (driver->runAs && chr->logFile && i < QEMU_MAX_SERIAL_FDS &&
            (logFds[i] = qemuProcessOpenOutputFile(chr->logFile, chr->logAppend, keepfds,
                                                   nkeep)) < 0)
            return -1;
        if (chr->type == VIR_DOMAIN_CHR_TYPE_UNIX && chr->listen && chr->path) {
            if ((serialFds[i] = qemuProcessListenUnix(chr->path)) < 0)
                return -1;
            keepfds[(*nkeep)++] = serialFds[i];
            continue;
        }
        if (!driver->runAs || chr->type != VIR_DOMAIN_CHR_TYPE_FILE || !chr->path)
            continue;
        if ((serialFds[i] =
                 qemuProcessOpenOutputFile(chr->path, chr->append, keepfds, nkeep)) < 0)
            return -1;
    }
    for (size_t i = 0;
         driver->runAs && i < obj->def->nconsoles && i < QEMU_MAX_CONSOLE_LOG_FDS; i++) {
        const virDomainChrDef *con = obj->def->consoles[i];
        int *fd = &logFds[QEMU_MAX_SERIAL_FDS + i];

        if (con->targetType == VIR_DOMAIN_CHR_TARGET_VIRTIO && con->logFile &&
            (*fd = qemuProcessOpenOutputFile(con->logFile, con->logAppend, keepfds,
                                             nkeep)) < 0)
            return -1;
    }
    return 0;
}

/* At most this many file-backed guest memory backends (NUMA cells, memory devices) per guest. */
#define QEMU_MAX_MEMORY_FILES 8

/* The files of file-backed guest memory (<memoryBacking><source
 * type='file'/>, an access mode): made here in the per-run directory @dir,
 * unlinked at once (nothing is left behind) and handed to QEMU, owned by
 * its user, as descriptors (mem-path=/proc/self/fd/N): QEMU needs no
 * access to the directory. Adds each fd to @keepfds. 0 or -1 (error
 * reported). */
static int
qemuProcessOpenMemoryFiles(qemuDriver *driver, virDomainObj *obj, const char *dir,
                           int *memFds, int *keepfds, size_t *nkeep)
{
    char **aliases = NULL;
    size_t n = qemuMemoryFileBackends(obj->def, &aliases);
    int ret = 0;

    for (size_t i = 0; i < n && ret == 0; i++) {
        g_autofree char *path = NULL;
        int fd;

        if (!aliases[i])
            continue;
        if (i >= QEMU_MAX_MEMORY_FILES) {
            virReportError(
                VIR_ERR_CONFIG_UNSUPPORTED,
                "more than %d file-backed guest memory backends are not supported",
                QEMU_MAX_MEMORY_FILES);
            ret = -1;
            break;
        }
        path = g_strdup_printf("%s/%s", dir, aliases[i]);
        if ((fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0) {
            virReportSystemError(errno, "cannot create memory backing file '%s'", path);
            ret = -1;
            break;
        }
        unlink(path);
        memFds[i] = fd;
        keepfds[(*nkeep)++] = fd;
        if (driver->runAs && fchown(fd, driver->runAs->uid, driver->runAs->gid) < 0) {
            virReportSystemError(
                errno, "cannot set ownership of memory backing file '%s'", path);
            ret = -1;
        }
    }
    for (size_t i = 0; i < n; i++)
        g_free(aliases[i]);
    g_free(aliases);
    return ret;
}

/* <memoryBacking><locked/>: QEMU locks all of its memory, as libvirt lets
 * it (virProcessSetMaxMemLock with an unlimited size). 0 or -1. */
static int
qemuProcessSetMemLock(const virDomainDef *def, pid_t pid)
{
    struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };

    if (!def->memBacking.locked)
        return 0;
    if (prlimit(pid, RLIMIT_MEMLOCK, &rl, NULL) < 0) {
        virReportSystemError(errno, "cannot limit locked memory of process %lld to %llu",
                             (long long)pid,
                             (unsigned long long)VIR_DOMAIN_TUNE_UNLIMITED);
        return -1;
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
        int fd;

        if (!c->unixSocket || c->connect || !c->path)
            continue;
        if ((fd = qemuProcessListenUnix(c->path)) < 0)
            return -1;
        chanFds[i] = fd;
        keepfds[(*nkeep)++] = fd;
    }
    return 0;
}

/* Wait (object lock dropped, job held) until QEMU has read the incoming
 * migration stream: its run state leaves "inmigrate". QEMU exits if the
 * stream is bad, which fails the query. 0 or -1 with an error reported. */
/* As libvirt once QEMU is set up (qemuProcessDeleteThreadContext): the
 * thread-contexts of @argv (memory backends' preallocation helpers, done
 * once the backends exist) are deleted. Object locked; unlocked while
 * QEMU answers. 0 or -1 (error reported). */
static int
qemuProcessDeleteThreadContexts(virDomainObj *obj, char *const *argv)
{
    for (size_t i = 0; argv[i] && argv[i + 1]; i++) {
        g_autoptr(json_object) o = NULL;
        g_autoptr(json_object) args = NULL;
        json_object *id = NULL;
        qemuMonitor *mon;
        int rc;

        if (strcmp(argv[i], "-object") != 0 ||
            !g_str_has_prefix(argv[i + 1], "{\"qom-type\":\"thread-context\"") ||
            !(o = json_tokener_parse(argv[i + 1])) ||
            !json_object_object_get_ex(o, "id", &id))
            continue;
        if (!(mon = qemuDomainPriv(obj)->mon)) {
            virReportError(VIR_ERR_OPERATION_FAILED, "%s",
                           "QEMU exited while starting up");
            return -1;
        }
        args = json_object_new_object();
        json_object_object_add(args, "id",
                               json_object_new_string(json_object_get_string(id)));
        virDomainObjUnlock(obj);
        rc = qemuMonitorCommand(mon, "object-del", args, -1, NULL);
        virDomainObjLock(obj);
        if (rc < 0)
            return -1;
    }
    return 0;
}

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
    const virNWFilterDriver *nd;

    if (!net->filterref)
        return 0;
    /* a binding per tap, as libvirt's: its rules act on the tap's frames
     * in a bridge (an ethernet tap's once its owner plugs it into one) */
    if (net->type != VIR_DOMAIN_NET_TYPE_NETWORK &&
        net->type != VIR_DOMAIN_NET_TYPE_BRIDGE &&
        net->type != VIR_DOMAIN_NET_TYPE_ETHERNET) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "interface asks for network filter '%s': virtkit applies network "
                       "filters only to interfaces of type 'network', 'bridge' and "
                       "'ethernet'",
                       net->filterref);
        return -1;
    }
    nd = virGetSharedNWFilterDriver();
    if (!nd || !nd->nwfilterBindingCreateXML || !nd->nwfilterBindingLookupByPortDev ||
        !nd->nwfilterBindingDelete) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "interface asks for network filter '%s': there is no network "
                       "filter driver here (only the system daemon has one)",
                       net->filterref);
        return -1;
    }
    return 0;
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
    g_autoptr(qemuDomainSecrets) secrets = NULL;
    g_autofree char *qemuVersion = NULL;
    virProcessSpawnOpts opts = { 0 };
    int listenfd = -1;
    int clientfd = -1;
    int logfd = -1;
    int keepfds[1 + QEMU_MAX_CHR_FDS + QEMU_MAX_SERIAL_FDS + QEMU_MAX_CONSOLE_LOG_FDS +
                QEMU_MAX_CHANNELS + 32 + 1 +
                QEMU_MAX_MEMORY_FILES]; /* monitor, serials and parallels, logs,
                                           channels, tap queues, incoming, memory
                                           files */
    int serialFds[QEMU_MAX_CHR_FDS] = { -1, -1, -1, -1, -1, -1, -1 };
    int logFds[QEMU_MAX_SERIAL_FDS + QEMU_MAX_CONSOLE_LOG_FDS];
    qemuCommandFds fds = {
        .serialFds = serialFds,
        .nserialFds = G_N_ELEMENTS(serialFds),
        .logFds = logFds,
        .nlogFds = G_N_ELEMENTS(logFds),
    };
    int chanFds[QEMU_MAX_CHANNELS];
    int memFds[QEMU_MAX_MEMORY_FILES];
    size_t nkeep = 0;
    pid_t pid = 0;
    int pidfd = -1;
    virProcessHeld *held = NULL;
    virErrorPtr saved = NULL;
    bool earlyCgroup;
    off_t logStart = -1;
    g_autofree char *qemuMsg = NULL;
    /* phase times (monotonic us), told at debug level once running: the
     * start's own cost beside QEMU's (issue 3, start within 15 ms of QEMU) */
    gint64 tBegin = g_get_monotonic_time(), tSpawned = 0, tReleased = 0, tCgroup = 0;
    gint64 tMonitor = 0, tThreads = 0;
    qemuCgroupWarm *warm = NULL;

    for (size_t i = 0; i < G_N_ELEMENTS(chanFds); i++)
        chanFds[i] = -1;
    for (size_t i = 0; i < G_N_ELEMENTS(logFds); i++)
        logFds[i] = -1;
    for (size_t i = 0; i < G_N_ELEMENTS(memFds); i++)
        memFds[i] = -1;
    if (virDomainObjIsActive(obj)) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "domain is already running");
        return -1;
    }
    for (size_t i = 0; i < obj->def->nnets; i++) {
        if (qemuProcessCheckNetFilter(obj->def->nets[i]) < 0 ||
            qemuBandwidthCheck(obj->def->nets[i]) < 0)
            return -1;
    }

    /* The live definition is a copy: the persistent one stays as defined. */
    if (obj->persistent && !obj->newDef) {
        obj->newDef = obj->def;
        obj->def = virDomainDefCopy(obj->newDef);
    }

    if (qemuGluePrepareForStart(driver, obj->def, &qemuVersion) < 0 ||
        qemuGlueFirmwareForStart(driver, obj->def, true) < 0 ||
        qemuHostdevPrepare(obj->def->hostdevs, obj->def->nhostdevs) < 0)
        goto error_nostart;

    obj->def->id = virDomainObjListNextID(driver->domains);
    priv->runId++;
    /* a start forgets the last completed job (libvirt's) */
    priv->completedJob = false;
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
    /* a restored guest may run again what it ran before: a new VM
     * generation id tells it so (libvirt's VIR_QEMU_PROCESS_START_GEN_VMID) */
    if (incomingFd >= 0 && obj->def->genidRequested)
        virUUIDGenerate(obj->def->genid);
    /* the device ids of this run (a hotplug takes the next free one) */
    qemuHotplugAssignRNGAliases(obj->def);
    qemuHotplugAssignInputAliases(obj->def);
    qemuHotplugAssignChannelAliases(obj->def);
    qemuHotplugAssignWatchdogAlias(obj->def);
    qemuHostdevAssignAliases(obj->def);
    qemuProcessAssignChrAliases(obj->def);
    if (qemuProcessGraphicsSetupRenderNode(obj) < 0 ||
        qemuHotplugCheckInputSources(obj->def) < 0 ||
        qemuSecurityPrepareDomain(driver, obj) < 0 ||
        qemuProcessOpenSerialFiles(driver, obj, serialFds, logFds, keepfds, &nkeep) < 0 ||
        qemuProcessOpenChannelSockets(obj, priv->libDir, chanFds, keepfds, &nkeep) < 0 ||
        qemuProcessOpenMemoryFiles(driver, obj, priv->libDir, memFds, keepfds, &nkeep) <
            0 ||
        qemuInterfacePrepare(obj->def, keepfds, &nkeep,
                             MIN(G_N_ELEMENTS(keepfds), VIR_PROCESS_MAX_KEEPFDS)) < 0 ||
        qemuPasstStartAll(driver, obj) < 0 || qemuVirtioFSStartAll(driver, obj) < 0 ||
        qemuTPMStartAll(driver, obj) < 0 ||
        qemuProcessGraphicsSetupListen(driver, obj) < 0 ||
        qemuDomainReserveVNCPorts(obj->def, &driver->ports) < 0)
        goto error;

    /* network disks' secrets: a master key file in the domain's directory
     * (QEMU's user may enter it then, as libvirt's), values encrypted */
    if (qemuDomainSecretsPrepare(obj->def, priv->libDir, driver->runAs, &secrets) < 0)
        goto error;
    if (secrets && driver->runAs &&
        chown(priv->libDir, driver->runAs->uid, driver->runAs->gid) < 0) {
        virReportSystemError(errno, "cannot change the owner of '%s'", priv->libDir);
        goto error;
    }
    fds.channelFds = chanFds;
    fds.nchannelFds = G_N_ELEMENTS(chanFds);
    fds.memFds = memFds;
    fds.nmemFds = G_N_ELEMENTS(memFds);
    if (!(argv = qemuGlueBuildArgv(driver, obj->def, listenfd, NULL, priv->libDir, &fds,
                                   secrets)))
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
    /* as libvirt: after the command line in the log, before the status */
    qemuDomainObjCheckTaint(driver, obj, incomingFd >= 0);
    logStart = lseek(logfd, 0, SEEK_END);
    priv->logStopOffset = -1;

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
    tSpawned = g_get_monotonic_time();
    close(listenfd);
    listenfd = -1;
    close(logfd);
    logfd = -1;
    qemuProcessCloseFds(serialFds, G_N_ELEMENTS(serialFds));
    qemuProcessCloseFds(logFds, G_N_ELEMENTS(logFds));
    qemuProcessCloseFds(chanFds, G_N_ELEMENTS(chanFds));
    qemuProcessCloseFds(memFds, G_N_ELEMENTS(memFds));
    qemuInterfaceCloseFds(obj->def);

    obj->pid = pid;
    priv->pidfd = pidfd;
    priv->ownChild = true;
    if (virProcessGetStartTime(pid, &priv->starttime) < 0)
        priv->starttime = 0; /* it already died: the monitor will fail */
    virDomainObjSetState(obj, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_STARTING_UP);

    /* Recorded before the child may exec: from here on a crash of ours
     * leaves a status file to reconnect from (atomic, never fsynced: a
     * power loss ends QEMU too; qemuDomainSaveStatus). */
    if (qemuDomainSaveStatusNoSync(driver, obj) < 0 ||
        qemuProcessSetMemLock(obj->def, pid) < 0) {
        virProcessHeldAbort(g_steal_pointer(&held));
        qemuProcessWatchPidfd(driver, obj);
        goto error;
    }
    /* Its own cgroup: before exec when the definition's memory limits or
     * NUMA placement need it (libvirt always places the child between fork
     * and exec), otherwise while QEMU initializes, paused (-S), so that the
     * moves' RCU waits overlap QEMU's start (qemu_cgroup.h). */
    earlyCgroup = qemuCgroupPlaceBeforeExec(obj->def);
    if (earlyCgroup && qemuCgroupSetupMachine(driver, obj) < 0) {
        virProcessHeldAbort(g_steal_pointer(&held));
        qemuProcessWatchPidfd(driver, obj);
        goto error;
    }
    /* <perf>: its counters while it is still one thread, so that every
     * thread it starts inherits them (libvirt opens them here too) */
    if (qemuPerfStart(obj) < 0) {
        virProcessHeldAbort(g_steal_pointer(&held));
        qemuProcessWatchPidfd(driver, obj);
        goto error;
    }
    if (virProcessRelease(g_steal_pointer(&held)) < 0) {
        qemuProcessWatchPidfd(driver, obj);
        goto error;
    }
    qemuProcessWatchPidfd(driver, obj);
    tReleased = g_get_monotonic_time();
    if (!earlyCgroup && qemuCgroupSetupMachine(driver, obj) < 0) {
        /* A QEMU that exits at once (a command line it refuses) cannot be
         * moved; its cgroup error is dropped on purpose: the monitor's wait
         * below reports the exit with QEMU's own log, which says why. */
        if (!virProcessPidfdHasExited(priv->pidfd))
            goto error;
        virResetLastError();
    }
    tCgroup = g_get_monotonic_time();
    /* the thread moves below then find the cgroup lock's fast path open */
    warm = qemuCgroupWarmStart(obj);

    if (qemuProcessOpenMonitor(obj, g_steal_fd(&clientfd),
                               QEMU_MONITOR_START_TIMEOUT_MS) < 0) {
        /* A QEMU that closed its monitor is on its way out: a moment for it
         * to exit lets the error below say why, from its log. The object is
         * unlocked meanwhile (readers need not wait); our start job keeps
         * the exit handler, which needs a job, from stopping it under us. */
        if (priv->pidfd >= 0) {
            virErrorPtr monErr = NULL;
            int pidfd = priv->pidfd;

            virErrorPreserveLast(&monErr);
            virDomainObjUnlock(obj);
            virProcessWaitPidfd(pidfd, g_get_monotonic_time() + G_USEC_PER_SEC);
            virDomainObjLock(obj);
            virErrorRestore(&monErr);
        }
        goto error;
    }

    /* QEMU made its secret objects before its monitor came up */
    qemuDomainSecretsRemoveKey(secrets);
    tMonitor = g_get_monotonic_time();
    if (qemuProcessReadPtyPaths(obj) < 0 || qemuProcessSetGraphicsPasswords(obj) < 0 ||
        qemuHotplugVcpusAtStart(obj) < 0)
        goto error;
    /* the memory devices' base and current size, as libvirt reads them */
    if (obj->def->nmems) {
        g_autoptr(json_object) devices = NULL;
        int rc;

        virDomainObjUnlock(obj);
        rc = qemuMonitorCommand(qemuDomainPriv(obj)->mon, "query-memory-devices", NULL,
                                -1, &devices);
        virDomainObjLock(obj);
        if (rc < 0)
            goto error;
        qemuHotplugMemoryApplyInfo(obj->def, devices);
    }

    /* vCPUs exist but have not run (-S): thread groups, pins, bandwidth */
    if (qemuCgroupSetupThreads(obj) < 0)
        goto error;
    qemuCgroupWarmStop(g_steal_pointer(&warm));
    tThreads = g_get_monotonic_time();
    /* no guest statistics period on the command line: <stats period> is
     * set now, as libvirt's qemuProcessSetupBalloon does (a failure only
     * logged, as libvirt ignores it) */
    qemuDomainPriv(obj)->balloonStatsIdle = true;
    if (obj->def->memballoon && obj->def->memballoon->period &&
        obj->def->memballoon->model == VIR_DOMAIN_MEMBALLOON_MODEL_VIRTIO &&
        qemuProcessSetBalloonPeriod(obj, obj->def->memballoon->period) < 0) {
        g_debug("cannot set the balloon statistics period of '%s': %s", obj->def->name,
                virGetLastErrorMessage());
        virResetLastError();
    }
    /* nor any dirty-rate measurement yet */
    qemuDomainPriv(obj)->dirtyRateUnstarted = true;
    /* <link state='down'/>: the NIC starts with its cable out */
    if (qemuHotplugSetLinkStates(obj) < 0)
        goto error;
    /* <iotune>: the disks' limits, before the guest's first I/O */
    if (qemuIoTuneSetupAll(obj) < 0)
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

    if (qemuProcessDeleteThreadContexts(obj, argv) < 0)
        goto error;

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
     * needs (pid, start time, monitor); the new state is written from a
     * worker, off the start path. Should we die before it lands, a
     * reconnect asks QEMU anyway. */
    qemuDomainSaveStatusLater(driver, obj);
    {
        gint64 tEnd = g_get_monotonic_time();

        g_debug("start of '%s': %" G_GINT64_FORMAT " us: to the spawn %" G_GINT64_FORMAT
                ", status and release %" G_GINT64_FORMAT ", cgroup %" G_GINT64_FORMAT
                ", greeting and capabilities %" G_GINT64_FORMAT
                ", vCPU threads and their cgroups %" G_GINT64_FORMAT
                ", to running %" G_GINT64_FORMAT,
                obj->def->name, tEnd - tBegin, tSpawned - tBegin, tReleased - tSpawned,
                tCgroup - tReleased, tMonitor - tCgroup, tThreads - tMonitor,
                tEnd - tThreads);
    }
    return 0;

error:
    qemuCgroupWarmStop(g_steal_pointer(&warm));
    virErrorPreserveLast(&saved);
    qemuDomainSecretsRemoveKey(secrets);
    /* QEMU ended the start itself (it refused its command line, a device or
     * a file): as libvirt, the error is what QEMU said, from its log. */
    if (pid != 0 && logStart >= 0 &&
        (priv->pidfd < 0 || virProcessPidfdHasExited(priv->pidfd)))
        qemuMsg = qemuProcessReadLogTail(driver, obj, logStart);
    qemuProcessCloseFds(serialFds, G_N_ELEMENTS(serialFds));
    qemuProcessCloseFds(logFds, G_N_ELEMENTS(logFds));
    qemuProcessCloseFds(chanFds, G_N_ELEMENTS(chanFds));
    qemuProcessCloseFds(memFds, G_N_ELEMENTS(memFds));
    if (listenfd >= 0)
        close(listenfd);
    if (clientfd >= 0)
        close(clientfd);
    if (logfd >= 0)
        close(logfd);
    if (obj->pid == 0) {
        qemuInterfaceCleanup(obj->def);
        qemuVirtioFSStopAll(driver, obj);
        qemuTPMStopAll(driver, obj);
    }
    if (obj->pid == 0 && obj->def->id != -1) {
        /* nothing was spawned: undo the directory and id only */
        qemuProcessRemoveLibDir(priv, obj->def);
    }
    if (obj->def->id != -1)
        qemuProcessStop(driver, obj, VIR_DOMAIN_SHUTOFF_FAILED);
    virErrorRestore(&saved);
    if (qemuMsg)
        virReportError(VIR_ERR_INTERNAL_ERROR, "qemu unexpectedly closed the monitor: %s",
                       qemuMsg);
    return -1;

error_nostart:
    if (obj->newDef) {
        virDomainDefFree(obj->def);
        obj->def = g_steal_pointer(&obj->newDef);
    }
    return -1;
}
