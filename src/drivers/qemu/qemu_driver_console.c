/* qemu_driver_console.c: virDomainOpenConsole for 'pty' serials, parallel ports and consoles, virDomainOpenChannel for 'unix' channels
 *
 * Threads: runs on the caller's thread (a daemon worker) with the domain
 * object locked only while its definition is read; the pty is opened
 * after (a channel's socket is connected after). The owners table (a
 * pty or socket path -> the stream holding it, consoles and channels
 * alike, as libvirt's per-domain virChrdevs) is
 * process-wide, guarded by qemuConsoleLock, which is never held while a
 * stream is closed (a stream's close callback takes it). A stream leaves
 * the table when it is closed: finished, aborted, taken over, or freed.
 */
#define G_LOG_DOMAIN "virtkit.qemu.console"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "qemu_driver_priv.h"
#include "virerror.h"
#include "virfdstream.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

static GMutex qemuConsoleLock;
static GHashTable *qemuConsoleOwners; /* path -> virStreamPtr (lent) */

/* The stream's descriptor closed: forget it as owner of @opaque (the path). */
static void
qemuConsoleOnClose(virStreamPtr st, bool finished G_GNUC_UNUSED, void *opaque)
{
    g_autofree char *path = opaque;

    g_mutex_lock(&qemuConsoleLock);
    if (qemuConsoleOwners && st && g_hash_table_lookup(qemuConsoleOwners, path) == st)
        g_hash_table_remove(qemuConsoleOwners, path);
    else if (qemuConsoleOwners && !st) {
        /* freed without being closed: whoever is recorded for @path is
         * gone too unless another stream took its place */
        GHashTableIter it;
        gpointer k, v;

        g_hash_table_iter_init(&it, qemuConsoleOwners);
        while (g_hash_table_iter_next(&it, &k, &v)) {
            if (g_str_equal(k, path) && g_atomic_int_get(&((virStreamPtr)v)->refs) == 0)
                g_hash_table_iter_remove(&it);
        }
    }
    g_mutex_unlock(&qemuConsoleLock);
}

/* A reference on the stream holding @path, if any and still alive. */
static virStreamPtr
qemuConsoleOwnerRef(const char *path)
{
    virStreamPtr st = g_hash_table_lookup(qemuConsoleOwners, path);
    gint refs;

    if (!st)
        return NULL;
    do {
        refs = g_atomic_int_get(&st->refs);
        if (refs <= 0)
            return NULL; /* being freed: its close callback is coming */
    } while (!g_atomic_int_compare_and_exchange(&st->refs, refs, refs + 1));
    return st;
}

/* Connect to the UNIX socket @path (QEMU listens there for a channel in
 * bind mode) and attach the connection to @st. 0 or -1 (reported). */
static int
qemuChrdevConnectUNIX(virStreamPtr st, const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int fd;

    if (strlen(path) >= sizeof(addr.sun_path)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "UNIX socket path '%s' too long", path);
        return -1;
    }
    g_strlcpy(addr.sun_path, path, sizeof(addr.sun_path));
    if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
        virReportSystemError(errno, "%s", "Unable to open UNIX socket");
        return -1;
    }
    if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
        virReportSystemError(errno, "%s", "Unable to connect to UNIX socket");
        close(fd);
        return -1;
    }
    return virFDStreamOpen(st, fd);
}

/* Attach @st to the character device at @path (a pty slave, or with
 * @unixSocket a UNIX socket to connect to), one stream per device
 * (libvirt's virChrdevOpen): one that holds it already fails the call
 * with OPERATION_FAILED @busy, or with @force loses it (its stream is
 * closed under it). 0 or -1 with an error reported. */
static int
qemuChrdevClaim(virDomainPtr dom, virStreamPtr st, const char *path, bool force,
                const char *busy, bool unixSocket)
{
    virStreamPtr old = NULL;
    int rc;

    g_mutex_lock(&qemuConsoleLock);
    if (!qemuConsoleOwners)
        qemuConsoleOwners = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    if ((old = qemuConsoleOwnerRef(path))) {
        if (!force) {
            g_mutex_unlock(&qemuConsoleLock);
            virObjectUnrefStream(old);
            virReportError(VIR_ERR_OPERATION_FAILED, "%s", busy);
            return -1;
        }
        g_hash_table_remove(qemuConsoleOwners, path);
    }
    g_mutex_unlock(&qemuConsoleLock);
    if (old) {
        g_debug("character device %s of '%s' taken over", path, dom->name);
        virFDStreamForceClose(old);
        virObjectUnrefStream(old);
    }

    rc = unixSocket ? qemuChrdevConnectUNIX(st, path) : virFDStreamOpenPTY(st, path);
    if (rc < 0)
        return -1;

    g_mutex_lock(&qemuConsoleLock);
    if (g_hash_table_contains(qemuConsoleOwners, path)) {
        /* another open won the race meanwhile */
        g_mutex_unlock(&qemuConsoleLock);
        virStreamAbort(st);
        virReportError(VIR_ERR_OPERATION_FAILED, "%s", busy);
        return -1;
    }
    g_hash_table_insert(qemuConsoleOwners, g_strdup(path), st);
    virFDStreamSetCloseCallback(st, qemuConsoleOnClose, g_strdup(path));
    g_mutex_unlock(&qemuConsoleLock);
    return 0;
}

/* The device @dev_name names (its alias, as libvirt keeps it: consoleI,
 * serialI and parallelI by position, qemuProcessAssignChrAliases; the live XML shows a
 * serial console with its serial's), or the default one: the first
 * console, else the first serial. obj locked. */
static const virDomainChrDef *
qemuConsoleFind(virDomainDef *def, const char *dev_name, char **alias)
{
    for (size_t i = 0; i < def->nconsoles; i++) {
        g_autofree char *a = def->consoles[i]->alias ? g_strdup(def->consoles[i]->alias)
                                                     : g_strdup_printf("console%zu", i);
        g_autofree char *pos = g_strdup_printf("console%zu", i);
        bool compat =
            i == 0 && def->consoles[0]->targetType == VIR_DOMAIN_CHR_TARGET_SERIAL;

        /* the serial console shows serial0 but answers to console0 too, as
         * in libvirtd (where that is its own alias) */
        if (!dev_name || g_str_equal(dev_name, a) ||
            (compat && g_str_equal(dev_name, pos))) {
            *alias = g_steal_pointer(&a);
            return def->consoles[i];
        }
    }
    for (size_t i = 0; i < def->nserials; i++) {
        g_autofree char *a = def->serials[i]->alias ? g_strdup(def->serials[i]->alias)
                                                    : g_strdup_printf("serial%zu", i);

        if (!dev_name || g_str_equal(dev_name, a)) {
            *alias = g_steal_pointer(&a);
            return def->serials[i];
        }
    }
    /* a parallel port by name only (parallelI), as libvirt */
    for (size_t i = 0; dev_name && i < def->nparallels; i++) {
        g_autofree char *a = def->parallels[i]->alias ? g_strdup(def->parallels[i]->alias)
                                                      : g_strdup_printf("parallel%zu", i);

        if (g_str_equal(dev_name, a)) {
            *alias = g_steal_pointer(&a);
            return def->parallels[i];
        }
    }
    return NULL;
}

int
qemuDomainOpenConsole(virDomainPtr dom, const char *dev_name, virStreamPtr st,
                      unsigned int flags)
{
    virDomainObj *obj;
    const virDomainChrDef *chr;
    g_autofree char *alias = NULL;
    g_autofree char *path = NULL;

    virCheckFlags(VIR_DOMAIN_CONSOLE_SAFE | VIR_DOMAIN_CONSOLE_FORCE, -1);
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (qemuDomainObjCheckActive(obj) < 0) {
        virDomainObjEndAPI(&obj);
        return -1;
    }
    if (!(chr = qemuConsoleFind(obj->def, dev_name, &alias))) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "cannot find character device %s",
                       dev_name ? dev_name : "<null>");
        virDomainObjEndAPI(&obj);
        return -1;
    }
    if (chr->type != VIR_DOMAIN_CHR_TYPE_PTY) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "character device %s is not using a PTY",
                       dev_name ? dev_name : alias);
        virDomainObjEndAPI(&obj);
        return -1;
    }
    if (!chr->path) {
        virReportError(VIR_ERR_OPERATION_FAILED,
                       "character device %s has no pty path (yet)", alias);
        virDomainObjEndAPI(&obj);
        return -1;
    }
    path = g_strdup(chr->path);
    virDomainObjEndAPI(&obj);

    return qemuChrdevClaim(dom, st, path, flags & VIR_DOMAIN_CONSOLE_FORCE,
                           "Active console session exists for this domain", false);
}

int
qemuDomainOpenChannel(virDomainPtr dom, const char *name, virStreamPtr st,
                      unsigned int flags)
{
    virDomainObj *obj;
    const virDomainChannelDef *chr = NULL;
    g_autofree char *alias = NULL;
    g_autofree char *path = NULL;

    virCheckFlags(VIR_DOMAIN_CHANNEL_FORCE, -1);
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (qemuDomainObjCheckActive(obj) < 0) {
        virDomainObjEndAPI(&obj);
        return -1;
    }
    /* by alias or by the virtio port's name, the first that matches;
     * none: the first channel */
    for (size_t i = 0; i < obj->def->nchannels; i++) {
        const virDomainChannelDef *c = obj->def->channels[i];
        g_autofree char *a =
            c->alias ? g_strdup(c->alias) : g_strdup_printf("channel%zu", i);

        if (!name || g_str_equal(name, a) || g_strcmp0(name, c->targetName) == 0) {
            chr = c;
            g_free(alias);
            alias = g_steal_pointer(&a);
            break;
        }
    }
    if (!chr) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "cannot find channel %s",
                       name ? name : "<null>");
        virDomainObjEndAPI(&obj);
        return -1;
    }
    if (!chr->unixSocket || !chr->path) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "channel %s is not using a UNIX socket",
                       name ? name : alias);
        virDomainObjEndAPI(&obj);
        return -1;
    }
    path = g_strdup(chr->path);
    virDomainObjEndAPI(&obj);
    return qemuChrdevClaim(dom, st, path, flags & VIR_DOMAIN_CHANNEL_FORCE,
                           "Active channel stream exists for this domain", true);
}
