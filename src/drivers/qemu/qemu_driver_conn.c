/* qemu_driver_conn.c: QEMU driver entry points for connections, URIs, lookups, lists and events */

/*
 * Threads: driver states are shared by every connection of a process.
 * qemuDriverRegistryLock protects the registry (embed roots, and the
 * system/session state of virtkitd); it is held only while looking up or
 * creating a state, never across a wait on QEMU. Creating a state
 * (directories, definitions, reconnect checks) happens under it, so two
 * opens of the same root cannot race.
 */

#define G_LOG_DOMAIN "virtkit.qemu.conn"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "qemu_driver.h"
#include "qemu_driver_priv.h"
#include "qemu_capabilities_glue.h"
#include "virerror.h"
#include "viruuid.h"
#include "virtkit-config.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

/* every virConnectListAllDomainsFlags bit (ACTIVE .. NO_CHECKPOINT) */
#define QEMU_LIST_DOMAINS_FILTERS_ALL 0xffffu

static GMutex qemuDriverRegistryLock;
static GHashTable *qemuEmbedDrivers; /* root -> qemuDriver* (one reference) */
static qemuDriver *qemuPrivilegedDriver;
static qemuDriver *qemuSessionDriver;

/* ---- helpers shared with the other entry-point files ------------------ */

virDomainObj *
qemuDomainObjFromDomain(virDomainPtr dom)
{
    qemuDriver *driver = qemuDriverOf(dom->conn);
    virDomainObj *obj = virDomainObjListFindByUUID(driver->domains, dom->uuid);

    if (!obj) {
        char uuidstr[VIR_UUID_STRING_BUFLEN];

        virUUIDFormat(dom->uuid, uuidstr);
        virReportError(VIR_ERR_NO_DOMAIN, "no domain with matching uuid '%s' (%s)",
                       uuidstr, dom->name);
        return NULL;
    }
    /* loaded at start as name and UUID only: the definition is needed now */
    if (virDomainObjParsePending(obj) < 0) {
        qemuDriverDropUnparsable(driver, obj);
        virDomainObjEndAPI(&obj);
        return NULL;
    }
    return obj;
}

int
qemuDomainObjCheckActive(virDomainObj *obj)
{
    if (!virDomainObjIsActive(obj)) {
        virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_INVALID, __func__, "%s",
                           "domain is not running");
        return -1;
    }
    return 0;
}

virDomainPtr
qemuDomainHandle(virConnectPtr conn, virDomainObj *obj)
{
    return virGetDomain(conn, obj->def->name, obj->def->uuid, obj->def->id);
}

/* ---- driver states ---------------------------------------------------- */

int
qemuDriverStateInitialize(const qemuDriverPaths *paths, bool privileged)
{
    qemuDriver *driver;
    int ret = -1;

    g_mutex_lock(&qemuDriverRegistryLock);
    if ((privileged && qemuPrivilegedDriver) || (!privileged && qemuSessionDriver)) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "QEMU driver state already initialized");
        goto cleanup;
    }
    if (!(driver = qemuDriverNew(paths, privileged, false,
                                 privileged ? "qemu:///system" : "qemu:///session")))
        goto cleanup;
    if (privileged)
        qemuPrivilegedDriver = driver;
    else
        qemuSessionDriver = driver;
    ret = 0;

cleanup:
    g_mutex_unlock(&qemuDriverRegistryLock);
    return ret;
}

qemuDriver *
qemuDriverStateRef(void)
{
    qemuDriver *driver;

    g_mutex_lock(&qemuDriverRegistryLock);
    driver = qemuPrivilegedDriver ? qemuPrivilegedDriver : qemuSessionDriver;
    if (driver)
        qemuDriverRef(driver);
    g_mutex_unlock(&qemuDriverRegistryLock);
    return driver;
}

void
qemuDriverStateCleanup(void)
{
    qemuDriver *drivers[2];

    g_mutex_lock(&qemuDriverRegistryLock);
    drivers[0] = g_steal_pointer(&qemuPrivilegedDriver);
    drivers[1] = g_steal_pointer(&qemuSessionDriver);
    g_mutex_unlock(&qemuDriverRegistryLock);
    qemuDriverUnref(drivers[0]);
    qemuDriverUnref(drivers[1]);
}

static qemuDriver *
qemuDriverForEmbedRoot(const char *root)
{
    g_autofree char *uri = NULL;
    g_autofree char *etc = g_build_filename(root, "etc", NULL);
    g_autofree char *run = g_build_filename(root, "run", NULL);
    g_autofree char *lib = g_build_filename(root, "lib", NULL);
    g_autofree char *log = g_build_filename(root, "log", NULL);
    g_autofree char *cache = g_build_filename(root, "cache", NULL);
    qemuDriverPaths paths = {
        .configDir = etc,
        .stateDir = run,
        .libDir = lib,
        .logDir = log,
        .cacheDir = cache,
    };
    qemuDriver *driver;

    g_mutex_lock(&qemuDriverRegistryLock);
    if (!qemuEmbedDrivers)
        qemuEmbedDrivers = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    if ((driver = g_hash_table_lookup(qemuEmbedDrivers, root))) {
        qemuDriverRef(driver);
        goto cleanup;
    }
    {
        g_autofree char *escaped = g_uri_escape_string(root, "/", FALSE);

        uri = g_strdup_printf("qemu:///embed?root=%s", escaped);
    }
    if (g_mkdir_with_parents(root, 0755) < 0) {
        virReportSystemError(errno, "cannot create embed root '%s'", root);
        goto cleanup;
    }
    if (!(driver = qemuDriverNew(&paths, false, true, uri)))
        goto cleanup;
    driver->root = g_strdup(root);
    /* The registry keeps its reference for the life of the process: the
     * state (and the guests it watches) outlives any one connection. */
    g_hash_table_insert(qemuEmbedDrivers, g_strdup(root), driver);
    qemuDriverRef(driver);

cleanup:
    g_mutex_unlock(&qemuDriverRegistryLock);
    return driver;
}

virDrvOpenStatus
qemuConnectOpen(virConnectPtr conn, const char *uri, virConnectAuthPtr auth,
                unsigned int flags)
{
    g_autoptr(GUri) parsed = NULL;
    const char *path;
    qemuDriver *driver = NULL;

    if (!uri || !(parsed = g_uri_parse(uri, G_URI_FLAGS_ENCODED_QUERY, NULL)))
        return VIR_DRV_OPEN_DECLINED;
    if (g_strcmp0(g_uri_get_scheme(parsed), "qemu") != 0 ||
        (g_uri_get_host(parsed) && *g_uri_get_host(parsed)))
        return VIR_DRV_OPEN_DECLINED;
    path = g_uri_get_path(parsed);

    if (g_strcmp0(path, "/embed") == 0) {
        g_autoptr(GHashTable) params = NULL;
        const char *root;

        if (!g_uri_get_query(parsed) ||
            !(params = g_uri_parse_params(g_uri_get_query(parsed), -1, "&",
                                          G_URI_PARAMS_NONE, NULL)) ||
            !(root = g_hash_table_lookup(params, "root"))) {
            virReportError(VIR_ERR_INVALID_ARG, "%s",
                           "URI must be qemu:///embed?root=/some/path");
            return VIR_DRV_OPEN_ERROR;
        }
        if (!g_path_is_absolute(root)) {
            virReportError(VIR_ERR_INVALID_ARG, "root path must be absolute: '%s'", root);
            return VIR_DRV_OPEN_ERROR;
        }
        if (!(driver = qemuDriverForEmbedRoot(root)))
            return VIR_DRV_OPEN_ERROR;
        /* the storage driver in-process too, under the same root */
        if (virEmbedStorageOpen(conn, root) < 0) {
            qemuDriverUnref(driver);
            return VIR_DRV_OPEN_ERROR;
        }
    } else if (g_strcmp0(path, "/system") == 0 || g_strcmp0(path, "/session") == 0) {
        bool system = g_str_equal(path, "/system");

        /* Served in-process only inside virtkitd; elsewhere the remote
         * driver takes these URIs. */
        g_mutex_lock(&qemuDriverRegistryLock);
        driver = system ? qemuPrivilegedDriver : qemuSessionDriver;
        if (driver)
            qemuDriverRef(driver);
        g_mutex_unlock(&qemuDriverRegistryLock);
        if (!driver)
            return VIR_DRV_OPEN_DECLINED;
    } else {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "unexpected QEMU URI path '%s', try qemu:///system",
                       path ? path : "");
        return VIR_DRV_OPEN_ERROR;
    }

    conn->privateData = driver;
    return VIR_DRV_OPEN_SUCCESS;
}

int
qemuConnectClose(virConnectPtr conn)
{
    qemuDriver *driver = qemuDriverOf(conn);

    if (driver) {
        virObjectEventStateDeregisterConn(driver->events, conn);
        qemuDriverUnref(driver);
    }
    conn->privateData = NULL;
    return 0;
}

/* ---- connection information ------------------------------------------- */

const char *
qemuConnectGetType(virConnectPtr conn)
{
    return "QEMU";
}

int
qemuConnectGetVersion(virConnectPtr conn, unsigned long *hvVer)
{
    unsigned long ver;

    if (qemuGlueGetQemuVersion(qemuDriverOf(conn), &ver) < 0)
        return -1;
    *hvVer = ver;
    return 0;
}

int
qemuConnectGetLibVersion(virConnectPtr conn, unsigned long *libVer)
{
    /* The API this library implements, as the public layer and the test
     * driver say (docs/api.md): clients compare it to decide which calls
     * exist, so virtkit's own version number would read as an ancient
     * libvirt. */
    *libVer = LIBVIR_VERSION_NUMBER;
    return 0;
}

char *
qemuConnectGetHostname(virConnectPtr conn)
{
    return g_strdup(g_get_host_name());
}

char *
qemuConnectGetURI(virConnectPtr conn)
{
    return g_strdup(qemuDriverOf(conn)->uri);
}

char *
qemuConnectGetCapabilities(virConnectPtr conn)
{
    return qemuGlueGetCapabilitiesXML(qemuDriverOf(conn));
}

int
qemuConnectGetMaxVcpus(virConnectPtr conn, const char *type)
{
    if (type && g_ascii_strcasecmp(type, "qemu") != 0 &&
        g_ascii_strcasecmp(type, "kvm") != 0) {
        virReportError(VIR_ERR_INVALID_ARG, "unknown type '%s'", type);
        return -1;
    }
    /* libvirt 9.0's answers: 16 for qemu (a constant of its own), the
     * kernel's KVM_CAP_MAX_VCPUS for kvm (the per-machine limits are in
     * the domain capabilities, which virsh maxvcpus reads first) */
    if (type && g_ascii_strcasecmp(type, "kvm") == 0)
        return qemuHostKVMMaxVcpus();
    return 16;
}

int
qemuConnectIsAlive(virConnectPtr conn)
{
    return 1;
}

int
qemuConnectIsSecure(virConnectPtr conn)
{
    return 1; /* in-process: nothing travels over a network */
}

int
qemuConnectIsEncrypted(virConnectPtr conn)
{
    return 0;
}

int
qemuNodeGetInfo(virConnectPtr conn, virNodeInfoPtr info)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    long pages = sysconf(_SC_PHYS_PAGES);
    long pagesize = sysconf(_SC_PAGESIZE);

    memset(info, 0, sizeof(*info));
    g_strlcpy(info->model, "x86_64", sizeof(info->model));
    info->memory = (unsigned long)((unsigned long long)pages * pagesize / 1024);
    info->cpus = cpus > 0 ? (unsigned int)cpus : 1;
    info->mhz = qemuHostCPUMHz();
    info->nodes = 1;
    info->sockets = 1;
    info->cores = info->cpus;
    info->threads = 1;
    return 0;
}

int
qemuNodeGetSecurityModel(virConnectPtr conn, virSecurityModelPtr secmodel)
{
    /* No confinement (SELinux/AppArmor) driver: libvirt reports its "none"
     * security driver as model "none", DOI "0", and virsh dominfo prints both. */
    memset(secmodel, 0, sizeof(*secmodel));
    g_strlcpy(secmodel->model, "none", sizeof(secmodel->model));
    g_strlcpy(secmodel->doi, "0", sizeof(secmodel->doi));
    return 0;
}

/* ---- lists and lookups ------------------------------------------------- */

int
qemuConnectNumOfDomains(virConnectPtr conn)
{
    return virDomainObjListNumOfDomains(qemuDriverOf(conn)->domains, true);
}

int
qemuConnectListDomains(virConnectPtr conn, int *ids, int maxids)
{
    return virDomainObjListGetActiveIDs(qemuDriverOf(conn)->domains, ids, maxids);
}

int
qemuConnectNumOfDefinedDomains(virConnectPtr conn)
{
    return virDomainObjListNumOfDomains(qemuDriverOf(conn)->domains, false);
}

int
qemuConnectListDefinedDomains(virConnectPtr conn, char **const names, int maxnames)
{
    return virDomainObjListGetInactiveNames(qemuDriverOf(conn)->domains, names, maxnames);
}

int
qemuConnectListAllDomains(virConnectPtr conn, virDomainPtr **domains, unsigned int flags)
{
    virCheckFlags(QEMU_LIST_DOMAINS_FILTERS_ALL, -1);
    return virDomainObjListExport(qemuDriverOf(conn)->domains, conn, domains, flags);
}

virDomainPtr
qemuDomainLookupByID(virConnectPtr conn, int id)
{
    virDomainObj *obj = virDomainObjListFindByID(qemuDriverOf(conn)->domains, id);
    virDomainPtr ret;

    if (!obj) {
        virReportError(VIR_ERR_NO_DOMAIN, "no domain with matching id %d", id);
        return NULL;
    }
    ret = qemuDomainHandle(conn, obj);
    virDomainObjEndAPI(&obj);
    return ret;
}

virDomainPtr
qemuDomainLookupByName(virConnectPtr conn, const char *name)
{
    virDomainObj *obj = virDomainObjListFindByName(qemuDriverOf(conn)->domains, name);
    virDomainPtr ret;

    if (!obj) {
        virReportError(VIR_ERR_NO_DOMAIN, "no domain with matching name '%s'", name);
        return NULL;
    }
    ret = qemuDomainHandle(conn, obj);
    virDomainObjEndAPI(&obj);
    return ret;
}

virDomainPtr
qemuDomainLookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    virDomainObj *obj = virDomainObjListFindByUUID(qemuDriverOf(conn)->domains, uuid);
    virDomainPtr ret;

    if (!obj) {
        char uuidstr[VIR_UUID_STRING_BUFLEN];

        virUUIDFormat(uuid, uuidstr);
        virReportError(VIR_ERR_NO_DOMAIN, "no domain with matching uuid '%s'", uuidstr);
        return NULL;
    }
    ret = qemuDomainHandle(conn, obj);
    virDomainObjEndAPI(&obj);
    return ret;
}

/* ---- events ------------------------------------------------------------ */

int
qemuConnectDomainEventRegisterAny(virConnectPtr conn, virDomainPtr dom, int eventID,
                                  virConnectDomainEventGenericCallback cb, void *opaque,
                                  virFreeCallback freecb)
{
    return virDomainEventStateRegisterID(conn, qemuDriverOf(conn)->events, dom, eventID,
                                         cb, opaque, freecb);
}

int
qemuConnectDomainEventDeregisterAny(virConnectPtr conn, int callbackID)
{
    return virObjectEventStateDeregisterID(conn, qemuDriverOf(conn)->events, callbackID);
}

int
qemuConnectDomainEventRegister(virConnectPtr conn, virConnectDomainEventCallback cb,
                               void *opaque, virFreeCallback freecb)
{
    return virDomainEventStateRegister(conn, qemuDriverOf(conn)->events, cb, opaque,
                                       freecb);
}

int
qemuConnectDomainEventDeregister(virConnectPtr conn, virConnectDomainEventCallback cb)
{
    return virDomainEventStateDeregister(conn, qemuDriverOf(conn)->events, cb);
}
