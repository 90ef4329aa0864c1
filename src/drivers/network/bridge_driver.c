/* bridge_driver.c: the network driver: definitions on disk, starting and stopping networks, adoption after a restart */

/*
 * Threads: every operation may run on any thread (the daemon's workers).
 * The object list and each object have their own short mutex. Starting
 * and stopping a network marks its object busy (virNetworkObjBeginBusy)
 * and drops the object's mutex while `ip`, `nft` and dnsmasq run, so
 * lookups and listings never wait on a child process; a second state
 * change of the same network waits for the first. Nothing here starts a
 * thread; dnsmasq daemonizes itself (its parent exits once it is ready)
 * and is found again through its pid file.
 */

#define G_LOG_DOMAIN "virtkit.network.driver"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "bridge_driver_priv.h"
#include "network_host.h"
#include "virerror.h"
#include "virfile.h"
#include "virprocess.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_NETWORK

#define DNSMASQ_PATH "/usr/sbin/dnsmasq"
#define STATUS_MAX_SIZE (16 * 1024 * 1024)
/* how long a stopped dnsmasq gets to exit after SIGTERM */
#define DNSMASQ_TERM_WAIT_US (5 * G_USEC_PER_SEC)

void
networkReportNoNetworkName(const char *name)
{
    virReportError(VIR_ERR_NO_NETWORK, "no network with matching name '%s'", name);
}

void
networkReportNoNetworkUUID(const unsigned char *uuid, const char *name)
{
    char uuidstr[VIR_UUID_STRING_BUFLEN];

    virUUIDFormat(uuid, uuidstr);
    if (name)
        virReportError(VIR_ERR_NO_NETWORK, "no network with matching uuid '%s' (%s)",
                       uuidstr, name);
    else
        virReportError(VIR_ERR_NO_NETWORK, "no network with matching uuid '%s'", uuidstr);
}

static void
emitEvent(networkDriver *driver, virNetworkObj *obj, int event)
{
    if (driver->eventFunc)
        driver->eventFunc(obj, event, 0, driver->eventOpaque);
}

/* ---- paths ------------------------------------------------------------ */

static char *
statusPath(networkDriver *driver, const char *name)
{
    return g_strdup_printf("%s/%s.xml", driver->runDir, name);
}

static char *
dnsmasqConfPath(networkDriver *driver, const char *name)
{
    return g_strdup_printf("%s/%s.conf", driver->runDir, name);
}

static char *
dnsmasqPidPath(networkDriver *driver, const char *name)
{
    return g_strdup_printf("%s/%s.pid", driver->runDir, name);
}

static char *
dnsmasqFile(networkDriver *driver, const char *name, const char *ext)
{
    return g_strdup_printf("%s/%s.%s", driver->dnsmasqDir, name, ext);
}

static char *
autostartLink(networkDriver *driver, const char *name)
{
    return g_strdup_printf("%s/%s.xml", driver->autostartDir, name);
}

/* ---- status files ----------------------------------------------------- */

static int
statusWrite(networkDriver *driver, const virNetworkDef *def, const char *phase)
{
    g_autofree char *path = statusPath(driver, def->name);
    g_autofree char *xml = virNetworkDefFormat(def, 0);
    g_autofree char *data =
        g_strdup_printf("<!-- virtkit network status phase=%s -->\n%s", phase, xml);

    return virFileWriteAtomic(path, data, strlen(data), 0600);
}

/* ---- dnsmasq ---------------------------------------------------------- */

/* The pid in the pid file of network @name when that process still is
 * the dnsmasq started with our config file; else 0. */
static pid_t
dnsmasqFindPid(networkDriver *driver, const char *name)
{
    g_autofree char *pidPath = dnsmasqPidPath(driver, name);
    g_autofree char *conf = dnsmasqConfPath(driver, name);
    g_autofree char *buf = NULL;
    g_autofree char *cmdline = NULL;
    g_autofree char *procPath = NULL;
    g_autofree char *exe = NULL;
    gsize len = 0;
    long pid;
    g_autofree char *want = NULL;

    if (!g_file_get_contents(pidPath, &buf, NULL, NULL))
        return 0;
    pid = strtol(buf, NULL, 10);
    if (pid <= 1)
        return 0;
    if (!(exe = virProcessGetExePath(pid)) || !g_str_has_suffix(exe, "/dnsmasq"))
        return 0;
    procPath = g_strdup_printf("/proc/%ld/cmdline", pid);
    if (!g_file_get_contents(procPath, &cmdline, &len, NULL))
        return 0;
    want = g_strdup_printf("--conf-file=%s", conf);
    for (gsize off = 0; off < len; off += strlen(cmdline + off) + 1) {
        if (strcmp(cmdline + off, want) == 0)
            return (pid_t)pid;
    }
    return 0;
}

/* Stop the dnsmasq of @name if it runs (quiet). */
static void
dnsmasqStop(networkDriver *driver, const char *name)
{
    pid_t pid = dnsmasqFindPid(driver, name);
    g_autofree char *pidPath = dnsmasqPidPath(driver, name);
    int pidfd;

    if (pid > 0 && (pidfd = virProcessPidfdOpen(pid)) >= 0) {
        virErrorPtr saved = NULL;

        virErrorPreserveLast(&saved);
        virProcessPidfdKill(pidfd, SIGTERM);
        if (virProcessWaitPidfd(pidfd, g_get_monotonic_time() + DNSMASQ_TERM_WAIT_US) ==
            0) {
            virProcessPidfdKill(pidfd, SIGKILL);
            virProcessWaitPidfd(pidfd, g_get_monotonic_time() + DNSMASQ_TERM_WAIT_US);
        }
        virErrorRestore(&saved);
        close(pidfd);
    }
    g_unlink(pidPath);
}

static int
dnsmasqWriteHostFiles(networkDriver *driver, const virNetworkDef *def)
{
    g_autofree char *hosts =
        g_strdup_printf("%s/%s.hostsfile", driver->runDir, def->name);
    g_autofree char *addn = g_strdup_printf("%s/%s.addnhosts", driver->runDir, def->name);
    g_autofree char *hostsData = networkDnsmasqHostsFile(def);
    g_autofree char *addnData = networkDnsmasqAddnHosts(def);

    if (virFileWriteAtomicFull(hosts, hostsData, strlen(hostsData), 0644, false) < 0 ||
        virFileWriteAtomicFull(addn, addnData, strlen(addnData), 0644, false) < 0)
        return -1;
    return 0;
}

/* Start dnsmasq for @def (when it needs one) and return once it serves. */
static int
dnsmasqStart(networkDriver *driver, const virNetworkDef *def)
{
    g_autofree char *conf = dnsmasqConfPath(driver, def->name);
    g_autofree char *pidPath = dnsmasqPidPath(driver, def->name);
    g_autofree char *leases = dnsmasqFile(driver, def->name, "leases");
    g_autofree char *hosts =
        g_strdup_printf("%s/%s.hostsfile", driver->runDir, def->name);
    g_autofree char *addn = g_strdup_printf("%s/%s.addnhosts", driver->runDir, def->name);
    g_autofree char *confArg = g_strdup_printf("--conf-file=%s", conf);
    g_autofree char *pidArg = g_strdup_printf("--pid-file=%s", pidPath);
    g_autofree char *config = networkDnsmasqConfig(def, leases, hosts, addn);
    g_autofree char *daemonConfig = NULL;
    const char *argv[] = { DNSMASQ_PATH, confArg, pidArg, NULL };

    if (!config)
        return 0;
    if (!g_file_test(DNSMASQ_PATH, G_FILE_TEST_IS_EXECUTABLE)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "cannot execute binary %s: %s",
                       DNSMASQ_PATH, g_strerror(ENOENT));
        return -1;
    }
    /* dnsmasq forks and its parent exits once the child is set up (or
     * failed), so the exit status tells whether it serves */
    {
        g_auto(GStrv) lines = g_strsplit(config, "\n", -1);
        g_autoptr(GString) s = g_string_new(NULL);
        for (guint i = 0; lines[i]; i++) {
            if (strcmp(lines[i], "keep-in-foreground") == 0)
                continue;
            g_string_append(s, lines[i]);
            if (lines[i + 1])
                g_string_append_c(s, '\n');
        }
        daemonConfig = g_string_free(g_steal_pointer(&s), FALSE);
    }
    if (dnsmasqWriteHostFiles(driver, def) < 0 ||
        virFileWriteAtomicFull(conf, daemonConfig, strlen(daemonConfig), 0600, false) < 0)
        return -1;
    if (virNetDevRunDaemonizing(argv) < 0) {
        dnsmasqStop(driver, def->name);
        return -1;
    }
    if (dnsmasqFindPid(driver, def->name) == 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "dnsmasq of network '%s' did not start",
                       def->name);
        return -1;
    }
    return 0;
}

/* ---- start, stop, adopt ----------------------------------------------- */

/* Remove everything network @def may have made (quiet, any state). */
static void
networkTeardown(networkDriver *driver, const virNetworkDef *def)
{
    g_autofree char *status = statusPath(driver, def->name);
    g_autofree char *conf = dnsmasqConfPath(driver, def->name);
    g_autofree char *hostsFile =
        g_strdup_printf("%s/%s.hostsfile", driver->runDir, def->name);
    g_autofree char *addnHosts =
        g_strdup_printf("%s/%s.addnhosts", driver->runDir, def->name);

    dnsmasqStop(driver, def->name);
    if (virNetworkDefIsVirtual(def) && def->bridge) {
        networkFirewallRemove(def->bridge);
        networkBridgeDelete(def->bridge);
    }
    g_unlink(conf);
    g_unlink(hostsFile);
    g_unlink(addnHosts);
    networkPortsRemoveAll(driver, def->name);
    virFileRemoveDurableQuiet(status);
}

static int
networkCheckStartable(networkDriver *driver, const virNetworkDef *def)
{
    if (virNetworkDefValidate(def) < 0)
        return -1;
    switch (def->forwardType) {
    case VIR_NETWORK_FORWARD_NONE:
    case VIR_NETWORK_FORWARD_NAT:
    case VIR_NETWORK_FORWARD_ROUTE:
    case VIR_NETWORK_FORWARD_OPEN:
        if (!def->bridge) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "network '%s' has no bridge name",
                           def->name);
            return -1;
        }
        if (virNetDevExists(def->bridge)) {
            virReportError(VIR_ERR_INTERNAL_ERROR,
                           "bridge name '%s' is in use by a host interface", def->bridge);
            return -1;
        }
        if (def->forwardDev && !virNetDevExists(def->forwardDev)) {
            virReportError(VIR_ERR_INTERNAL_ERROR,
                           "forward device '%s' of network '%s' does not exist",
                           def->forwardDev, def->name);
            return -1;
        }
        if (networkCheckRouteCollision(def) < 0)
            return -1;
        break;
    case VIR_NETWORK_FORWARD_BRIDGE:
        if (!def->bridge) {
            virReportError(
                VIR_ERR_CONFIG_UNSUPPORTED,
                "network '%s' with forward mode='bridge' needs a <bridge name=''/> "
                "(a forward dev is not supported by virtkit)",
                def->name);
            return -1;
        }
        if (!virNetDevExists(def->bridge)) {
            virReportSystemError(ENODEV, "Cannot get interface MTU on '%s'", def->bridge);
            return -1;
        }
        break;
    default:
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "forward mode '%s' of network '%s' is not supported by virtkit",
                       virNetworkForwardTypeToString(def->forwardType), def->name);
        return -1;
    }
    (void)driver;
    return 0;
}

/* Make @def exist on the host. On failure nothing is left. */
static int
networkStartHost(networkDriver *driver, virNetworkDef *def)
{
    if (networkCheckStartable(driver, def) < 0)
        return -1;
    if (!virNetworkDefIsVirtual(def))
        return statusWrite(driver, def, "running");

    /* the live definition shows the port range the rules use, as libvirt */
    if (def->forwardType == VIR_NETWORK_FORWARD_NAT && !def->natPortStart &&
        !def->natPortEnd) {
        def->natPortStart = 1024;
        def->natPortEnd = 65535;
    }
    if (statusWrite(driver, def, "starting") < 0)
        return -1;
    if (networkBridgeCreate(def) < 0 || networkFirewallAdd(def) < 0 ||
        dnsmasqStart(driver, def) < 0 || statusWrite(driver, def, "running") < 0) {
        virErrorPtr saved = NULL;

        virErrorPreserveLast(&saved);
        networkTeardown(driver, def);
        virErrorRestore(&saved);
        return -1;
    }
    return 0;
}

int
networkDriverStart(networkDriver *driver, virNetworkObj *obj)
{
    g_autoptr(virNetworkDef) live = NULL;
    int ret;

    if (obj->active) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "network is already active");
        return -1;
    }
    virNetworkObjBeginBusy(obj);
    if (obj->active) {
        virNetworkObjEndBusy(obj);
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "network is already active");
        return -1;
    }
    live = virNetworkDefCopy(obj->def);
    virNetworkObjUnlock(obj);
    ret = networkStartHost(driver, live);
    virNetworkObjLock(obj);
    if (ret == 0) {
        if (obj->persistent && !obj->newDef)
            obj->newDef = g_steal_pointer(&obj->def);
        virNetworkDefFree(obj->def);
        obj->def = g_steal_pointer(&live);
        obj->active = true;
        emitEvent(driver, obj, NETWORK_EVENT_STARTED);
    }
    virNetworkObjEndBusy(obj);
    return ret;
}

/* Back to the persistent definition after a stop (object locked). */
static void
networkObjSetInactive(virNetworkObj *obj)
{
    obj->active = false;
    obj->def->connections = 0;
    if (obj->newDef) {
        virNetworkDefFree(obj->def);
        obj->def = g_steal_pointer(&obj->newDef);
    }
    g_ptr_array_set_size(obj->taps, 0);
    networkPortsClear(obj);
}

int
networkDriverDestroy(networkDriver *driver, virNetworkObj *obj)
{
    g_autoptr(virNetworkDef) live = NULL;

    if (!obj->active) {
        virReportError(VIR_ERR_OPERATION_INVALID, "network '%s' is not active",
                       obj->def->name);
        return -1;
    }
    virNetworkObjBeginBusy(obj);
    if (!obj->active) {
        virNetworkObjEndBusy(obj);
        virReportError(VIR_ERR_OPERATION_INVALID, "network '%s' is not active",
                       obj->def->name);
        return -1;
    }
    live = virNetworkDefCopy(obj->def);
    virNetworkObjUnlock(obj);
    networkTeardown(driver, live);
    virNetworkObjLock(obj);
    networkObjSetInactive(obj);
    emitEvent(driver, obj, NETWORK_EVENT_STOPPED);
    virNetworkObjEndBusy(obj);
    /* a transient network ends with its run */
    if (!obj->persistent)
        virNetworkObjListRemove(driver->networks, obj);
    return 0;
}

/* ---- definitions ------------------------------------------------------ */

virNetworkObj *
networkDriverDefine(networkDriver *driver, const char *xml, bool validate, bool *updated)
{
    g_autoptr(virNetworkDef) def = virNetworkDefParseString(xml);
    g_autoptr(virNetworkDef) saved = NULL;
    virNetworkObj *obj;
    bool existed;

    (void)validate;
    if (!def)
        return NULL;
    if (virNetworkDefValidate(def) < 0)
        return NULL;
    if (virNetworkObjListSetDefaults(driver->networks, def, false) < 0)
        return NULL;
    {
        virNetworkObj *old = virNetworkObjListFindByName(driver->networks, def->name);
        existed = old != NULL;
        virNetworkObjEndAPI(&old);
    }
    saved = virNetworkDefCopy(def);
    if (!(obj = virNetworkObjListAdd(driver->networks, &def, false)))
        return NULL;
    if (virNetworkDefSaveConfig(driver->configDir, saved) < 0) {
        if (!existed) {
            virNetworkObjListRemove(driver->networks, obj);
            virNetworkObjEndAPI(&obj);
        }
        /* an existing definition stays in memory as given; the file is
         * the old one */
        if (obj)
            virNetworkObjEndAPI(&obj);
        return NULL;
    }
    emitEvent(driver, obj, NETWORK_EVENT_DEFINED);
    *updated = existed;
    return obj;
}

virNetworkObj *
networkDriverCreateXML(networkDriver *driver, const char *xml)
{
    g_autoptr(virNetworkDef) def = virNetworkDefParseString(xml);
    virNetworkObj *obj;

    if (!def)
        return NULL;
    if (virNetworkDefValidate(def) < 0 ||
        virNetworkObjListSetDefaults(driver->networks, def, false) < 0)
        return NULL;
    if (!(obj = virNetworkObjListAdd(driver->networks, &def, true)))
        return NULL;
    /* over an inactive persistent network, ListAdd made the given
     * definition current and kept the persistent one in newDef */
    if (networkDriverStart(driver, obj) < 0) {
        if (!obj->persistent) {
            virNetworkObjListRemove(driver->networks, obj);
        } else if (obj->newDef) {
            virNetworkDefFree(obj->def);
            obj->def = g_steal_pointer(&obj->newDef);
        }
        virNetworkObjEndAPI(&obj);
        return NULL;
    }
    return obj;
}

int
networkDriverUndefine(networkDriver *driver, virNetworkObj *obj)
{
    g_autofree char *link = NULL;

    if (!obj->persistent) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "cannot undefine transient network");
        return -1;
    }
    if (virNetworkDefDeleteConfig(driver->configDir, obj->def->name) < 0)
        return -1;
    link = autostartLink(driver, obj->def->name);
    g_unlink(link);
    obj->autostart = false;
    emitEvent(driver, obj, NETWORK_EVENT_UNDEFINED);
    if (obj->active) {
        obj->persistent = false;
        g_clear_pointer(&obj->newDef, virNetworkDefFree);
    } else {
        virNetworkObjListRemove(driver->networks, obj);
    }
    return 0;
}

int
networkDriverSetAutostart(networkDriver *driver, virNetworkObj *obj, bool autostart)
{
    g_autofree char *link = autostartLink(driver, obj->def->name);
    g_autofree char *target =
        g_strdup_printf("%s/%s.xml", driver->configDir, obj->def->name);

    if (!obj->persistent) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "cannot set autostart for transient network");
        return -1;
    }
    if (autostart == obj->autostart)
        return 0;
    if (autostart) {
        if (virFileMakePath(driver->autostartDir, 0755) < 0)
            return -1;
        if (symlink(target, link) < 0 && errno != EEXIST) {
            virReportSystemError(errno, "Failed to create symlink '%s' to '%s'", link,
                                 target);
            return -1;
        }
    } else if (unlink(link) < 0 && errno != ENOENT) {
        virReportSystemError(errno, "Failed to delete symlink '%s'", link);
        return -1;
    }
    obj->autostart = autostart;
    return 0;
}

/* ---- update ----------------------------------------------------------- */

int
networkDriverUpdate(networkDriver *driver, virNetworkObj *obj, unsigned int command,
                    unsigned int section, int parentIndex, const char *xml,
                    unsigned int flags)
{
    bool live = flags & 1;   /* VIR_NETWORK_UPDATE_AFFECT_LIVE */
    bool config = flags & 2; /* VIR_NETWORK_UPDATE_AFFECT_CONFIG */
    g_autoptr(virNetworkDef) newLive = NULL;
    g_autoptr(virNetworkDef) newConfig = NULL;

    if (!live && !config) {
        if (obj->active)
            live = true;
        else
            config = true;
    }
    if (live && !obj->active) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "network is not running, cannot update its live state");
        return -1;
    }
    if (config && !obj->persistent) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "cannot change persistent config of a transient network");
        return -1;
    }
    if (config) {
        newConfig = virNetworkDefCopy(virNetworkObjGetPersistentDef(obj));
        if (virNetworkDefUpdateSection(newConfig, command, section, parentIndex, xml) < 0)
            return -1;
    }
    if (live) {
        newLive = virNetworkDefCopy(obj->def);
        if (virNetworkDefUpdateSection(newLive, command, section, parentIndex, xml) < 0)
            return -1;
    }
    if (newConfig && virNetworkDefSaveConfig(driver->configDir, newConfig) < 0)
        return -1;
    if (newLive) {
        /* dnsmasq re-reads its host files on SIGHUP; a new range needs a restart */
        if (section == 5 /* IP_DHCP_RANGE */) {
            g_autoptr(virNetworkDef) copy = virNetworkDefCopy(newLive);
            dnsmasqStop(driver, copy->name);
            if (dnsmasqStart(driver, copy) < 0)
                return -1;
        } else {
            pid_t pid = dnsmasqFindPid(driver, newLive->name);
            if (dnsmasqWriteHostFiles(driver, newLive) < 0)
                return -1;
            if (pid > 0)
                virProcessKill(pid, SIGHUP);
        }
        if (statusWrite(driver, newLive, "running") < 0)
            return -1;
    }
    if (newConfig) {
        if (obj->active) {
            virNetworkDefFree(obj->newDef);
            obj->newDef = g_steal_pointer(&newConfig);
        } else {
            virNetworkDefFree(obj->def);
            obj->def = g_steal_pointer(&newConfig);
        }
    }
    if (newLive) {
        newLive->connections = obj->def->connections;
        virNetworkDefFree(obj->def);
        obj->def = g_steal_pointer(&newLive);
    }
    return 0;
}

/* ---- leases ----------------------------------------------------------- */

void
networkLeaseFree(networkLease *lease)
{
    if (!lease)
        return;
    g_free(lease->mac);
    g_free(lease->ipaddr);
    g_free(lease->hostname);
    g_free(lease->clientid);
    g_free(lease);
}

GPtrArray *
networkDriverGetLeases(networkDriver *driver, virNetworkObj *obj, const char *mac)
{
    g_autoptr(GPtrArray) out =
        g_ptr_array_new_with_free_func((GDestroyNotify)networkLeaseFree);
    g_autofree char *path = dnsmasqFile(driver, obj->def->name, "leases");
    g_autofree char *buf = NULL;
    g_auto(GStrv) lines = NULL;
    virNetworkIPDef *ip4 = virNetworkDefGetIPv4(obj->def);
    gint64 now = g_get_real_time() / G_USEC_PER_SEC;

    if (!obj->active)
        return g_steal_pointer(&out);
    if (!g_file_get_contents(path, &buf, NULL, NULL))
        return g_steal_pointer(&out); /* no lease given yet */
    lines = g_strsplit(buf, "\n", -1);
    for (guint i = 0; lines[i]; i++) {
        g_auto(GStrv) f = g_strsplit(lines[i], " ", -1);
        networkLease *l;
        long long expiry;

        if (g_strv_length(f) < 5 || strcmp(f[0], "duid") == 0)
            continue;
        expiry = g_ascii_strtoll(f[0], NULL, 10);
        if (expiry && expiry < now)
            continue;
        if (mac && g_ascii_strcasecmp(mac, f[1]) != 0)
            continue;
        l = g_new0(networkLease, 1);
        l->expirytime = expiry;
        l->mac = g_strdup(f[1]);
        l->ipaddr = g_strdup(f[2]);
        l->prefix = ip4 ? ip4->effectivePrefix : 24;
        l->hostname = strcmp(f[3], "*") ? g_strdup(f[3]) : NULL;
        l->clientid = strcmp(f[4], "*") ? g_strdup(f[4]) : NULL;
        g_ptr_array_add(out, l);
    }
    return g_steal_pointer(&out);
}

/* ---- driver state ----------------------------------------------------- */

/* Read the status of network @name: the live def and whether it got to
 * "running". NULL when there is none or it cannot be read. */
static virNetworkDef *
statusRead(networkDriver *driver, const char *name, bool *running)
{
    g_autofree char *path = statusPath(driver, name);
    g_autofree char *buf = NULL;
    virErrorPtr saved = NULL;
    virNetworkDef *def;

    if (!g_file_get_contents(path, &buf, NULL, NULL))
        return NULL;
    *running = g_str_has_prefix(buf, "<!-- virtkit network status phase=running");
    virErrorPreserveLast(&saved);
    def = virNetworkDefParseString(buf);
    virErrorRestore(&saved);
    return def;
}

/* Adopt or clean up what the status of @obj (locked, just loaded) says. */
static void
networkReconnect(networkDriver *driver, virNetworkObj *obj)
{
    bool running = false;
    g_autoptr(virNetworkDef) live = statusRead(driver, obj->def->name, &running);

    if (!live)
        return;
    if (running && virNetworkDefIsVirtual(live) && live->bridge &&
        virNetDevExists(live->bridge)) {
        /* keep what runs; put back what died (rules flushed, dnsmasq gone) */
        if (!networkFirewallExists(live->bridge) && networkFirewallAdd(live) < 0)
            VIR_NOTICE("network '%s': cannot restore its firewall rules: %s", live->name,
                       virGetLastErrorMessage());
        if (dnsmasqFindPid(driver, live->name) == 0 && dnsmasqStart(driver, live) < 0)
            VIR_NOTICE("network '%s': cannot restart dnsmasq: %s", live->name,
                       virGetLastErrorMessage());
    } else if (running && !virNetworkDefIsVirtual(live) && live->bridge &&
               virNetDevExists(live->bridge)) {
        /* a host bridge: nothing of ours to keep */
    } else {
        VIR_NOTICE("network '%s' was %s when the daemon stopped; cleaning up", live->name,
                   running ? "running but its bridge is gone" : "starting");
        networkTeardown(driver, live);
        return;
    }
    if (obj->persistent) {
        virNetworkDefFree(obj->newDef);
        obj->newDef = g_steal_pointer(&obj->def);
    }
    virNetworkDefFree(obj->def);
    obj->def = g_steal_pointer(&live);
    obj->active = true;
    networkPortsLoad(driver, obj);
}

static void
loadConfigs(networkDriver *driver)
{
    g_autoptr(GDir) dir = g_dir_open(driver->configDir, 0, NULL);
    const char *entry;

    if (!dir)
        return;
    while ((entry = g_dir_read_name(dir))) {
        g_autofree char *path = NULL;
        g_autofree char *link = NULL;
        g_autoptr(virNetworkDef) def = NULL;
        virNetworkObj *obj;

        if (!g_str_has_suffix(entry, ".xml") || entry[0] == '.')
            continue;
        path = g_strdup_printf("%s/%s", driver->configDir, entry);
        if (!(def = virNetworkDefParseFile(path))) {
            VIR_NOTICE("cannot load network definition '%s': %s", path,
                       virGetLastErrorMessage());
            continue;
        }
        link = autostartLink(driver, def->name);
        if (!(obj = virNetworkObjListAdd(driver->networks, &def, false))) {
            VIR_NOTICE("cannot load network definition '%s': %s", path,
                       virGetLastErrorMessage());
            continue;
        }
        obj->autostart = g_file_test(link, G_FILE_TEST_EXISTS);
        virNetworkObjEndAPI(&obj);
    }
}

/* Transient networks exist only as status files. */
static void
loadStatus(networkDriver *driver)
{
    g_autoptr(GDir) dir = g_dir_open(driver->runDir, 0, NULL);
    const char *entry;

    if (!dir)
        return;
    virFileRemoveAtomicLeftovers(driver->runDir, ".xml");
    while ((entry = g_dir_read_name(dir))) {
        g_autofree char *name = NULL;
        virNetworkObj *obj;

        if (!g_str_has_suffix(entry, ".xml") || entry[0] == '.')
            continue;
        name = g_strndup(entry, strlen(entry) - 4);
        if ((obj = virNetworkObjListFindByName(driver->networks, name))) {
            networkReconnect(driver, obj);
            virNetworkObjEndAPI(&obj);
        } else {
            bool running = false;
            g_autoptr(virNetworkDef) live = statusRead(driver, name, &running);
            g_autoptr(virNetworkDef) copy = NULL;

            if (!live)
                continue;
            copy = virNetworkDefCopy(live);
            if (!(obj = virNetworkObjListAdd(driver->networks, &copy, true))) {
                networkTeardown(driver, live);
                continue;
            }
            networkReconnect(driver, obj);
            if (!obj->active)
                virNetworkObjListRemove(driver->networks, obj);
            virNetworkObjEndAPI(&obj);
        }
    }
}

/* libvirt's default network, on the first free 192.168.N.0/24. */
static void
defineDefaultNetwork(networkDriver *driver)
{
    for (int n = 122; n < 255; n++) {
        g_autofree char *xml = g_strdup_printf(
            "<network>\n  <name>default</name>\n  <forward mode='nat'/>\n"
            "  <bridge name='virbr0' stp='on' delay='0'/>\n"
            "  <ip address='192.168.%d.1' netmask='255.255.255.0'>\n"
            "    <dhcp>\n      <range start='192.168.%d.2' end='192.168.%d.254'/>\n"
            "    </dhcp>\n  </ip>\n</network>\n",
            n, n, n);
        g_autoptr(virNetworkDef) probe = virNetworkDefParseString(xml);
        virErrorPtr saved = NULL;
        virNetworkObj *obj;
        bool updated = false;

        virErrorPreserveLast(&saved);
        if (!probe || networkCheckRouteCollision(probe) < 0) {
            virErrorRestore(&saved);
            continue;
        }
        virErrorRestore(&saved);
        if (!(obj = networkDriverDefine(driver, xml, false, &updated))) {
            VIR_NOTICE("cannot define the default network: %s", virGetLastErrorMessage());
            return;
        }
        if (networkDriverSetAutostart(driver, obj, true) < 0)
            VIR_NOTICE("cannot mark the default network autostart: %s",
                       virGetLastErrorMessage());
        virNetworkObjEndAPI(&obj);
        return;
    }
}

networkDriver *
networkDriverNew(const char *configRoot, const char *stateRoot, const char *runtimeRoot,
                 bool privileged, bool defineDefault)
{
    networkDriver *driver = g_new0(networkDriver, 1);
    bool firstStart;

    driver->privileged = privileged;
    driver->configDir = g_strdup_printf("%s/networks", configRoot);
    driver->autostartDir = g_strdup_printf("%s/networks/autostart", configRoot);
    driver->runDir = g_strdup_printf("%s/network", runtimeRoot);
    driver->dnsmasqDir = g_strdup_printf("%s/dnsmasq", stateRoot);
    driver->networks = virNetworkObjListNew();
    firstStart = !g_file_test(driver->configDir, G_FILE_TEST_IS_DIR);

    if (virFileMakePath(driver->configDir, 0755) < 0 ||
        virFileMakePath(driver->runDir, 0755) < 0 ||
        virFileMakePath(driver->dnsmasqDir, 0755) < 0) {
        networkDriverFree(driver);
        return NULL;
    }
    loadConfigs(driver);
    loadStatus(driver);
    if (firstStart && defineDefault)
        defineDefaultNetwork(driver);
    return driver;
}

void
networkDriverFree(networkDriver *driver)
{
    if (!driver)
        return;
    virNetworkObjListFree(driver->networks);
    g_free(driver->configDir);
    g_free(driver->autostartDir);
    g_free(driver->runDir);
    g_free(driver->dnsmasqDir);
    g_free(driver);
}

void
networkDriverAutostart(networkDriver *driver,
                       void (*report)(const char *name, const virError *err,
                                      void *opaque),
                       void *opaque)
{
    g_autoptr(GPtrArray) all = virNetworkObjListCollect(driver->networks);

    for (guint i = 0; i < all->len; i++) {
        virNetworkObj *obj = g_ptr_array_index(all, i);
        g_autofree char *name = NULL;

        virNetworkObjLock(obj);
        if (obj->autostart && !obj->active && !obj->removed) {
            name = g_strdup(obj->def->name);
            if (networkDriverStart(driver, obj) < 0) {
                VIR_NOTICE("cannot autostart network '%s': %s", name,
                           virGetLastErrorMessage());
                if (report)
                    report(name, virGetLastError(), opaque);
            } else if (report) {
                report(name, NULL, opaque);
            }
        }
        virNetworkObjUnlock(obj);
    }
}

int
networkDriverActiveCount(networkDriver *driver)
{
    g_autoptr(GPtrArray) all = virNetworkObjListCollect(driver->networks);
    int n = 0;

    for (guint i = 0; i < all->len; i++) {
        virNetworkObj *obj = g_ptr_array_index(all, i);
        virNetworkObjLock(obj);
        n += obj->active;
        virNetworkObjUnlock(obj);
    }
    return n;
}
