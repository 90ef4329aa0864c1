/* qemu_passt.c: the passt daemon behind an <interface type='user'><backend type='passt'/> */
/*
 * Threads: see qemu_passt.h (API threads with the domain locked and a job
 * held; bounded waits on passt only, never on QEMU).
 */

#define G_LOG_DOMAIN "virtkit.qemu.passt"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "qemu_domain.h"
#include "qemu_passt.h"
#include "virerror.h"
#include "virprocess.h"
#include "virsecurity.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

#define PASST_PATH "/usr/bin/passt"
/* passt's parent exits once its socket listens (under a second idle) */
#define PASST_START_WAIT_US (30 * G_USEC_PER_SEC)
#define PASST_TERM_WAIT_US (5 * G_USEC_PER_SEC)

static char *
passtPidPath(const char *socket)
{
    g_autofree char *base = g_str_has_suffix(socket, ".socket")
                                ? g_strndup(socket, strlen(socket) - strlen(".socket"))
                                : g_strdup(socket);

    return g_strdup_printf("%s.pid", base);
}

pid_t
qemuPasstFindPid(const virDomainNetDef *net)
{
    g_autofree char *pidPath = NULL;
    g_autofree char *buf = NULL;
    g_autofree char *cmdline = NULL;
    g_autofree char *procPath = NULL;
    gsize len = 0;
    long pid;

    if (!net->passtSocket)
        return 0;
    pidPath = passtPidPath(net->passtSocket);
    if (!g_file_get_contents(pidPath, &buf, NULL, NULL))
        return 0;
    pid = strtol(buf, NULL, 10);
    if (pid <= 1)
        return 0;
    procPath = g_strdup_printf("/proc/%ld/cmdline", pid);
    if (!g_file_get_contents(procPath, &cmdline, &len, NULL))
        return 0;
    /* ours: "--socket PATH" on its command line (a reused pid is not) */
    for (gsize off = 0; off < len;) {
        const char *arg = cmdline + off;
        gsize next = off + strlen(arg) + 1;

        if (strcmp(arg, "--socket") == 0 && next < len &&
            strcmp(cmdline + next, net->passtSocket) == 0)
            return (pid_t)pid;
        off = next;
    }
    return 0;
}

void
qemuPasstStop(virDomainNetDef *net)
{
    g_autofree char *pidPath = NULL;
    pid_t pid;
    int pidfd;

    if (!net->passtSocket)
        return;
    pidPath = passtPidPath(net->passtSocket);
    pid = qemuPasstFindPid(net);
    if (pid > 0 && (pidfd = virProcessPidfdOpen(pid)) >= 0) {
        virErrorPtr saved = NULL;

        virErrorPreserveLast(&saved);
        virProcessPidfdKill(pidfd, SIGTERM);
        if (virProcessWaitPidfd(pidfd, g_get_monotonic_time() + PASST_TERM_WAIT_US) ==
            0) {
            virProcessPidfdKill(pidfd, SIGKILL);
            virProcessWaitPidfd(pidfd, g_get_monotonic_time() + PASST_TERM_WAIT_US);
        }
        virErrorRestore(&saved);
        close(pidfd);
    }
    g_unlink(pidPath);
    g_unlink(net->passtSocket);
    g_clear_pointer(&net->passtSocket, g_free);
}

/* passt's --tcp-ports/--udp-ports spec of @pf, as libvirt 9.0 writes it:
 * [ADDRESS[%DEV]/]all or a list of [~]START[-END][:TO[-TOEND]] */
static char *
passtPortSpec(const virDomainNetPortForward *pf)
{
    GString *s = g_string_new(NULL);

    if (pf->address) {
        g_string_append(s, pf->address);
        if (pf->dev)
            g_string_append_printf(s, "%%%s", pf->dev);
        g_string_append_c(s, '/');
    }
    if (!pf->nranges)
        g_string_append(s, "all");
    for (size_t r = 0; r < pf->nranges; r++) {
        const virDomainNetPortForwardRange *range = &pf->ranges[r];

        if (r > 0)
            g_string_append_c(s, ',');
        if (range->exclude == 1)
            g_string_append_c(s, '~');
        g_string_append_printf(s, "%u", range->start);
        if (range->end)
            g_string_append_printf(s, "-%u", range->end);
        if (range->to) {
            g_string_append_printf(s, ":%u", range->to);
            if (range->end)
                g_string_append_printf(s, "-%u", range->end + range->to - range->start);
        }
    }
    return g_string_free(s, FALSE);
}

static GPtrArray *
passtArgv(const virDomainNetDef *net, const char *socket, const char *pidPath)
{
    GPtrArray *a = g_ptr_array_new_with_free_func(g_free);

    g_ptr_array_add(a, g_strdup(PASST_PATH));
    g_ptr_array_add(a, g_strdup("--one-off"));
    g_ptr_array_add(a, g_strdup("--socket"));
    g_ptr_array_add(a, g_strdup(socket));
    g_ptr_array_add(a, g_strdup("--mac-addr"));
    g_ptr_array_add(a, g_strdup_printf("%02x:%02x:%02x:%02x:%02x:%02x", net->mac[0],
                                       net->mac[1], net->mac[2], net->mac[3], net->mac[4],
                                       net->mac[5]));
    g_ptr_array_add(a, g_strdup("--pid"));
    g_ptr_array_add(a, g_strdup(pidPath));
    if (net->mtu) {
        g_ptr_array_add(a, g_strdup("--mtu"));
        g_ptr_array_add(a, g_strdup_printf("%u", net->mtu));
    }
    if (net->sourceDev) {
        g_ptr_array_add(a, g_strdup("--interface"));
        g_ptr_array_add(a, g_strdup(net->sourceDev));
    }
    if (net->backendLogFile) {
        g_ptr_array_add(a, g_strdup("--log-file"));
        g_ptr_array_add(a, g_strdup(net->backendLogFile));
    }
    for (size_t i = 0; i < net->nips; i++) {
        g_ptr_array_add(a, g_strdup("--address"));
        g_ptr_array_add(a, g_strdup(net->ips[i].address));
        /* passt takes no IPv6 prefix */
        if (net->ips[i].prefix && !net->ips[i].ipv6) {
            g_ptr_array_add(a, g_strdup("--netmask"));
            g_ptr_array_add(a, g_strdup_printf("%u", net->ips[i].prefix));
        }
    }
    for (size_t i = 0; i < net->nportForwards; i++) {
        g_ptr_array_add(
            a, g_strdup(net->portForwards[i].udp ? "--udp-ports" : "--tcp-ports"));
        g_ptr_array_add(a, passtPortSpec(&net->portForwards[i]));
    }
    g_ptr_array_add(a, NULL);
    return a;
}

/* What passt said on a failed start, one line: its complaints about a
 * missing syslog (a network namespace has none) left out. Takes @text. */
static char *
passtErrorText(char *text)
{
    g_autofree char *owned = text;
    g_auto(GStrv) lines = NULL;
    GString *out;

    if (!text)
        return NULL;
    lines = g_strsplit(text, "\n", -1);
    out = g_string_new(NULL);
    for (size_t i = 0; lines[i]; i++) {
        g_strstrip(lines[i]);
        if (!*lines[i] ||
            (g_str_has_prefix(lines[i], "Failed to send ") && strstr(lines[i], "syslog")))
            continue;
        if (out->len)
            g_string_append(out, "; ");
        g_string_append(out, lines[i]);
    }
    return g_string_free(out, FALSE);
}

int
qemuPasstStart(qemuDriver *driver, virDomainObj *obj, virDomainNetDef *net)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    g_autofree char *socket = NULL;
    g_autofree char *pidPath = NULL;
    g_autofree char *errPath = NULL;
    g_autofree char *errout = NULL;
    g_autofree char *cmd = NULL;
    g_autoptr(GPtrArray) argv = NULL;
    virProcessSpawnOpts opts = { 0 };
    pid_t pid = 0;
    int pidfd = -1;
    int errfd = -1;
    int status = 0;
    int rc;

    if (!priv->libDir || !net->alias) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "passt needs a running domain");
        return -1;
    }
    socket = g_strdup_printf("%s/passt-%s.socket", priv->libDir, net->alias);
    pidPath = passtPidPath(socket);
    errPath = g_strdup_printf("%s/passt-%s.err", priv->libDir, net->alias);
    argv = passtArgv(net, socket, pidPath);
    cmd = g_strjoinv(" ", (char **)argv->pdata);

    if (!g_file_test(PASST_PATH, G_FILE_TEST_IS_EXECUTABLE)) {
        virReportSystemError(ENOENT, "cannot execute binary %s", PASST_PATH);
        return -1;
    }
    /* passt runs as QEMU's user: it writes its socket and pid file in the
     * run directory, which QEMU must reach to connect */
    if (driver->runAs &&
        chown(priv->libDir, driver->runAs->uid, driver->runAs->gid) < 0) {
        virReportSystemError(errno, "cannot change ownership of '%s'", priv->libDir);
        return -1;
    }
    g_unlink(socket);
    g_unlink(pidPath);
    if ((errfd = open(errPath, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0) {
        virReportSystemError(errno, "cannot create '%s'", errPath);
        return -1;
    }
    qemuDomainLogAppend(driver, obj->def->name, "passt: %s", cmd);

    opts.argv = (const char *const *)argv->pdata;
    opts.logfd = errfd;
    opts.newSession = true;
    opts.cwd = priv->libDir;
    if (driver->runAs)
        virSecurityIdentityApply(driver->runAs, &opts);
    rc = virProcessSpawn(&opts, &pid, &pidfd);
    if (rc == 0) {
        /* passt forks its daemon and the parent exits once it serves */
        if (virProcessWaitPidfd(pidfd, g_get_monotonic_time() + PASST_START_WAIT_US) !=
            1) {
            virProcessPidfdKill(pidfd, SIGKILL);
            virProcessWaitPidfd(pidfd, g_get_monotonic_time() + PASST_TERM_WAIT_US);
            status = -1;
        } else if (virProcessReapPidfd(pidfd, &status) != 1) {
            status = -1;
        }
        close(pidfd);
    }
    close(errfd);
    g_file_get_contents(errPath, &errout, NULL, NULL);
    g_unlink(errPath);
    if (rc < 0)
        return -1;

    net->passtSocket = g_steal_pointer(&socket);
    if (status != 0 || qemuPasstFindPid(net) == 0) {
        int code = status >= 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;

        errout = passtErrorText(errout);
        if (errout && *errout)
            qemuDomainLogAppend(driver, obj->def->name, "passt: %s", errout);
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "Could not start 'passt'. exitstatus: %d%s%s", code,
                       errout && *errout ? ": " : "", errout ? errout : "");
        qemuPasstStop(net);
        return -1;
    }
    g_debug("passt of interface %s of '%s': pid %lld, socket %s", net->alias,
            obj->def->name, (long long)qemuPasstFindPid(net), net->passtSocket);
    return 0;
}

int
qemuPasstStartAll(qemuDriver *driver, virDomainObj *obj)
{
    for (size_t i = 0; i < obj->def->nnets; i++) {
        virDomainNetDef *net = obj->def->nets[i];

        if (net->type != VIR_DOMAIN_NET_TYPE_USER ||
            net->backendType != VIR_DOMAIN_NET_BACKEND_PASST)
            continue;
        if (qemuPasstStart(driver, obj, net) < 0) {
            for (size_t j = 0; j < i; j++)
                qemuPasstStop(obj->def->nets[j]);
            return -1;
        }
    }
    return 0;
}

void
qemuPasstReconnect(virDomainObj *obj)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);

    for (size_t i = 0; priv->libDir && i < obj->def->nnets; i++) {
        virDomainNetDef *net = obj->def->nets[i];

        if (net->type != VIR_DOMAIN_NET_TYPE_USER ||
            net->backendType != VIR_DOMAIN_NET_BACKEND_PASST || !net->alias)
            continue;
        g_free(net->passtSocket);
        net->passtSocket =
            g_strdup_printf("%s/passt-%s.socket", priv->libDir, net->alias);
        if (qemuPasstFindPid(net) == 0)
            VIR_NOTICE("passt of interface '%s' of domain '%s' is not running: the "
                       "interface has no network",
                       net->alias, obj->def->name);
        else
            g_debug("adopted passt %lld of interface %s of '%s'",
                    (long long)qemuPasstFindPid(net), net->alias, obj->def->name);
    }
}
