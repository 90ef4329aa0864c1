/* test_driver.c: the in-memory test driver (test:///default, test:///PATH.xml) with libvirt 9.0's semantics */

/*
 * Threads: every entry point may run on any thread. Lookups and queries take
 * only the domain list's read lock and one object lock (never driver->lock),
 * so they never wait behind define/create. Lifecycle transitions are instant
 * and run under the object lock. Events are queued after the object lock is
 * dropped and dispatched later from the application's event loop.
 */

#define G_LOG_DOMAIN "virtkit.test.driver"

#include <errno.h>
#include <netdb.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "driver.h"
#include "test_driver_priv.h"
#include "domain_stop_policy.h"
#include "virerror.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_TEST

#define TEST_SECURITY_MODEL "testSecurity"
#define TEST_SECURITY_LABEL "libvirt-test"
#ifndef TEST_MAX_VCPUS
#define TEST_MAX_VCPUS 32
#endif
#define TEST_HV_VERSION 2
#define TEST_LIB_VERSION 9000000UL /* libvirt 9.0.0 */

testDriver *
testDriverOf(virConnectPtr conn)
{
    return conn->privateData;
}

/* The object behind @dom, locked and referenced, or NULL with libvirt's
 * NO_DOMAIN "no domain with matching uuid 'U' (NAME)". */
virDomainObj *
testDomObjFromDomain(virDomainPtr dom)
{
    virDomainObj *obj =
        virDomainObjListFindByUUID(testDriverOf(dom->conn)->domains, dom->uuid);

    if (!obj) {
        char uuidstr[VIR_UUID_STRING_BUFLEN];

        virUUIDFormat(dom->uuid, uuidstr);
        virReportError(VIR_ERR_NO_DOMAIN, "no domain with matching uuid '%s' (%s)",
                       uuidstr, dom->name);
    }
    return obj;
}

/* OPERATION_INVALID "domain is not running" from the DOMAIN error domain,
 * as libvirt's virDomainObjCheckActive reports it. */
int
testDomainObjCheckActive(virDomainObj *obj)
{
    if (!virDomainObjIsActive(obj)) {
        virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_INVALID, __func__,
                           "domain is not running");
        return -1;
    }
    return 0;
}

void
testQueueEvent(testDriver *driver, virObjectEvent *event)
{
    if (event)
        virObjectEventStateQueue(driver->eventState, event);
}

void
testLogTransition(virDomainObj *obj, const char *what)
{
    int reason = 0;
    int state = virDomainObjGetState(obj, &reason);

    g_debug("%s '%s': now %s (%s), id %d", what, obj->def->name,
            virDomainStateTypeToString(state),
            virDomainStateReasonToString(state, reason), obj->def->id);
}

/* ---- Connections ------------------------------------------------------ */

/*
 * test:///default as libvirt (testOpenDefault): one state per process,
 * shared by every connection open to it at the same time and reset when
 * the last one closes. Each connection is still its own virConnect, so
 * callbacks, close and errors stay per connection (two clients of one
 * daemon may each register a lifecycle callback). testDefaultLock guards
 * the pair below; the state itself has its own locks.
 */
static GMutex testDefaultLock;
static testDriver *testDefaultDriver;
static unsigned int testDefaultUsers;

/* The shared default state (created on first use), or NULL with an error
 * reported. Counted in testDefaultUsers. */
static testDriver *
testDefaultAcquire(void)
{
    testDriver *driver;

    g_mutex_lock(&testDefaultLock);
    if (!testDefaultDriver) {
        g_autoptr(testDriver) fresh = testDriverNew();

        if (testDriverLoadDefault(fresh) < 0) {
            g_mutex_unlock(&testDefaultLock);
            return NULL;
        }
        testDefaultDriver = g_steal_pointer(&fresh);
    }
    testDefaultUsers++;
    driver = testDefaultDriver;
    g_mutex_unlock(&testDefaultLock);
    return driver;
}

/* Release @driver: the default state goes with its last user, any other
 * state with its connection. */
static void
testDriverRelease(testDriver *driver)
{
    g_mutex_lock(&testDefaultLock);
    if (driver == testDefaultDriver) {
        if (--testDefaultUsers > 0) {
            g_mutex_unlock(&testDefaultLock);
            return;
        }
        testDefaultDriver = NULL;
    }
    g_mutex_unlock(&testDefaultLock);
    testDriverFree(driver);
}

static virDrvOpenStatus
testConnectOpen(virConnectPtr conn, const char *uri, virConnectAuthPtr auth,
                unsigned int flags)
{
    g_autoptr(GUri) parsed = NULL;
    g_autoptr(testDriver) driver = NULL;
    testDriver *shared = NULL;
    const char *path;

    if (!uri ||
        !(parsed = g_uri_parse(uri, G_URI_FLAGS_NON_DNS | G_URI_FLAGS_ENCODED, NULL)))
        return VIR_DRV_OPEN_DECLINED;
    if (g_strcmp0(g_uri_get_scheme(parsed), "test") != 0)
        return VIR_DRV_OPEN_DECLINED;
    /* test://host/... names a remote test driver: not ours. */
    if (g_uri_get_host(parsed) && *g_uri_get_host(parsed))
        return VIR_DRV_OPEN_DECLINED;

    /* Only once the URI is ours: the drivers are asked in turn, and flags
     * another driver takes must not end the search here. */
    virCheckFlags(VIR_CONNECT_RO, VIR_DRV_OPEN_ERROR);

    path = g_uri_get_path(parsed);
    if (!path || !*path || g_str_equal(path, "/")) {
        virReportError(VIR_ERR_INVALID_ARG, "%s",
                       "testOpen: supply a path or use test:///default");
        return VIR_DRV_OPEN_ERROR;
    }

    if (g_str_equal(path, "/default")) {
        /* No <auth> in the default config: nothing to authenticate. */
        if (!(shared = testDefaultAcquire()))
            return VIR_DRV_OPEN_ERROR;
        g_debug("opened %s (the shared default state)", uri);
        conn->privateData = shared;
        return VIR_DRV_OPEN_SUCCESS;
    } else {
        g_autofree char *file = g_uri_unescape_string(path, NULL);

        if (!file) {
            virReportError(VIR_ERR_INVALID_ARG, "invalid path in URI '%s'", uri);
            return VIR_DRV_OPEN_ERROR;
        }
        driver = testDriverNew();
        if (testDriverLoadFile(driver, file) < 0)
            return VIR_DRV_OPEN_ERROR;
        if (testDriverAuthenticate(driver, auth) < 0)
            return VIR_DRV_OPEN_ERROR;
    }

    g_debug("opened %s: %d active, %d inactive domains", uri,
            virDomainObjListNumOfDomains(driver->domains, true),
            virDomainObjListNumOfDomains(driver->domains, false));
    conn->privateData = g_steal_pointer(&driver);
    return VIR_DRV_OPEN_SUCCESS;
}

static int
testConnectClose(virConnectPtr conn)
{
    testDriver *driver = testDriverOf(conn);

    if (driver) {
        virObjectEventStateDeregisterConn(driver->eventState, conn);
        testDriverRelease(driver);
    }
    conn->privateData = NULL;
    return 0;
}

static const char *
testConnectGetType(virConnectPtr conn)
{
    return "TEST";
}

static int
testConnectGetVersion(virConnectPtr conn, unsigned long *hvVer)
{
    *hvVer = TEST_HV_VERSION;
    return 0;
}

static int
testConnectGetLibVersion(virConnectPtr conn, unsigned long *libVer)
{
    *libVer = TEST_LIB_VERSION;
    return 0;
}

/*
 * libvirt's virGetHostname: the host name if it is fully qualified,
 * else its canonical name from the resolver unless that is a
 * "localhost" name, else the plain host name.
 */
static char *
testConnectGetHostname(virConnectPtr conn)
{
    char hostname[HOST_NAME_MAX + 1];
    struct addrinfo hints = { 0 };
    struct addrinfo *info = NULL;
    char *ret;

    if (gethostname(hostname, sizeof(hostname)) < 0) {
        virReportSystemError(errno, "%s", "failed to determine host name");
        return NULL;
    }
    hostname[sizeof(hostname) - 1] = '\0';
    if (strchr(hostname, '.'))
        return g_strdup(hostname);

    hints.ai_flags = AI_CANONNAME;
    hints.ai_family = AF_UNSPEC;
    if (getaddrinfo(hostname, NULL, &hints, &info) != 0 || !info)
        return g_strdup(hostname);
    if (info->ai_canonname && !g_str_has_prefix(info->ai_canonname, "localhost"))
        ret = g_strdup(info->ai_canonname);
    else
        ret = g_strdup(hostname);
    freeaddrinfo(info);
    return ret;
}

static char *
testConnectGetURI(virConnectPtr conn)
{
    return g_strdup(conn->uri);
}

static char *
testConnectGetCapabilities(virConnectPtr conn)
{
    return g_strdup(testDriverOf(conn)->capsXML);
}

static int
testConnectGetMaxVcpus(virConnectPtr conn, const char *type)
{
    return TEST_MAX_VCPUS;
}

static int
testConnectIsAlive(virConnectPtr conn)
{
    return 1;
}

static int
testConnectIsSecure(virConnectPtr conn)
{
    return 1;
}

static int
testConnectIsEncrypted(virConnectPtr conn)
{
    return 0;
}

static int
testNodeGetInfo(virConnectPtr conn, virNodeInfoPtr info)
{
    *info = testDriverOf(conn)->nodeInfo;
    return 0;
}

static int
testNodeGetSecurityModel(virConnectPtr conn, virSecurityModelPtr secmodel)
{
    memset(secmodel, 0, sizeof(*secmodel));
    g_strlcpy(secmodel->model, TEST_SECURITY_MODEL, sizeof(secmodel->model));
    return 0;
}

/* ---- Host queries: libvirt 9.0's test driver answers for its default node
 * (two NUMA cells, 8 CPUs of which 0, 2 and 4 online, a fixed SMBIOS) ---- */

static const unsigned long long testCellsFree[] = { 2097152, 4194304 };

static unsigned long long
testNodeGetFreeMemory(virConnectPtr conn G_GNUC_UNUSED)
{
    return 3145728; /* what libvirt's test driver answers, not the cells' sum */
}

static int
testNodeGetCellsFreeMemory(virConnectPtr conn G_GNUC_UNUSED, unsigned long long *freeMems,
                           int startCell, int maxCells)
{
    int n = 0;

    if (startCell < 0 || maxCells <= 0 || startCell >= (int)G_N_ELEMENTS(testCellsFree)) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "Range exceeds available cells");
        return -1;
    }
    for (int i = startCell; i < (int)G_N_ELEMENTS(testCellsFree) && n < maxCells; i++)
        freeMems[n++] = testCellsFree[i];
    return n;
}

/* libvirt's test driver makes the counts up (x = 2x + 7 from 6, page size
 * after page size, cell after cell) whatever the sizes and cells asked, and
 * returns 0, not the number filled: python3-libvirt shows it an empty
 * dict, virsh prints the counts. */
static int
testNodeGetFreePages(virConnectPtr conn G_GNUC_UNUSED, unsigned int npages,
                     unsigned int *pages G_GNUC_UNUSED, int startCell G_GNUC_UNUSED,
                     unsigned int cellCount, unsigned long long *counts,
                     unsigned int flags)
{
    /* libvirt's int, wrapping past 2^31 (with its sign carried into the count) */
    uint32_t x = 6;

    virCheckFlags(0, -1);
    for (unsigned int i = 0; i < cellCount; i++) {
        for (unsigned int j = 0; j < npages; j++) {
            x = x * 2 + 7;
            counts[i * npages + j] = (unsigned long long)(long long)(int32_t)x;
        }
    }
    return 0;
}

static char *
testConnectGetSysinfo(virConnectPtr conn G_GNUC_UNUSED, unsigned int flags)
{
    virCheckFlags(0, NULL);
    return g_strdup("<sysinfo type='smbios'>\n"
                    "  <bios>\n"
                    "    <entry name='vendor'>LENOVO</entry>\n"
                    "    <entry name='version'>G4ETA1WW (2.61 )</entry>\n"
                    "    <entry name='date'>05/07/2014</entry>\n"
                    "    <entry name='release'>2.61</entry>\n"
                    "  </bios>\n"
                    "</sysinfo>\n");
}

/* ---- Listing and lookups ---------------------------------------------- */

static int
testConnectNumOfDomains(virConnectPtr conn)
{
    return virDomainObjListNumOfDomains(testDriverOf(conn)->domains, true);
}

static int
testConnectListDomains(virConnectPtr conn, int *ids, int maxids)
{
    return virDomainObjListGetActiveIDs(testDriverOf(conn)->domains, ids, maxids);
}

static int
testConnectNumOfDefinedDomains(virConnectPtr conn)
{
    return virDomainObjListNumOfDomains(testDriverOf(conn)->domains, false);
}

static int
testConnectListDefinedDomains(virConnectPtr conn, char **const names, int maxnames)
{
    if (maxnames > 0)
        memset(names, 0, sizeof(*names) * maxnames);
    return virDomainObjListGetInactiveNames(testDriverOf(conn)->domains, names, maxnames);
}

#define TEST_LIST_DOMAINS_FILTERS_ALL 0xffffu

static int
testConnectListAllDomains(virConnectPtr conn, virDomainPtr **domains, unsigned int flags)
{
    virCheckFlags(TEST_LIST_DOMAINS_FILTERS_ALL, -1);

    return virDomainObjListExport(testDriverOf(conn)->domains, conn, domains, flags);
}

/* A new handle for @obj (locked). */
static virDomainPtr
testDomainHandle(virConnectPtr conn, virDomainObj *obj)
{
    return virGetDomain(conn, obj->def->name, obj->def->uuid, obj->def->id);
}

static virDomainPtr
testDomainLookupByID(virConnectPtr conn, int id)
{
    virDomainObj *obj = virDomainObjListFindByID(testDriverOf(conn)->domains, id);
    virDomainPtr ret;

    if (!obj) {
        virReportError(VIR_ERR_NO_DOMAIN, NULL);
        return NULL;
    }
    ret = testDomainHandle(conn, obj);
    virDomainObjEndAPI(&obj);
    return ret;
}

static virDomainPtr
testDomainLookupByName(virConnectPtr conn, const char *name)
{
    virDomainObj *obj = virDomainObjListFindByName(testDriverOf(conn)->domains, name);
    virDomainPtr ret;

    if (!obj) {
        virReportError(VIR_ERR_NO_DOMAIN, NULL);
        return NULL;
    }
    ret = testDomainHandle(conn, obj);
    virDomainObjEndAPI(&obj);
    return ret;
}

static virDomainPtr
testDomainLookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    virDomainObj *obj = virDomainObjListFindByUUID(testDriverOf(conn)->domains, uuid);
    virDomainPtr ret;

    if (!obj) {
        virReportError(VIR_ERR_NO_DOMAIN, NULL);
        return NULL;
    }
    ret = testDomainHandle(conn, obj);
    virDomainObjEndAPI(&obj);
    return ret;
}

/* ---- Define, undefine, create ----------------------------------------- */

static virDomainPtr
testDomainDefineXMLFlags(virConnectPtr conn, const char *xml, unsigned int flags)
{
    testDriver *driver = testDriverOf(conn);
    g_autoptr(virDomainDef) def = NULL;
    g_autoptr(virDomainDef) oldDef = NULL;
    virDomainObj *existing;
    virDomainObj *obj = NULL;
    virObjectEvent *event = NULL;
    virDomainPtr ret = NULL;
    unsigned int parseFlags = VIR_DOMAIN_DEF_PARSE_INACTIVE;
    bool updated;
    virDomainStopPolicy stopPolicy;

    virCheckFlags(VIR_DOMAIN_DEFINE_VALIDATE, NULL);

    if (flags & VIR_DOMAIN_DEFINE_VALIDATE)
        parseFlags |= VIR_DOMAIN_DEF_PARSE_VALIDATE;

    if (!(def = virDomainDefParseString(xml, parseFlags)))
        return NULL;
    if (virDomainStopPolicyFromDef(def, &stopPolicy) < 0) /* virtkit's <metadata> */
        return NULL;
    if (strchr(def->name, '\n')) {
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_DETAIL, __func__,
                           "invalid char in name: %s", "\n");
        return NULL;
    }
    if (testDomainDefPostParse(def) < 0)
        return NULL;

    g_mutex_lock(&driver->lock);
    /* libvirt reports "Defined Updated" when a definition was replaced:
     * always for an inactive domain, and for an active one when it had a
     * next-boot copy (it was persistent when started, or was defined
     * since). Defining a running transient domain counts as "Added". */
    updated = false;
    if ((existing = virDomainObjListFindByUUID(driver->domains, def->uuid))) {
        updated = !virDomainObjIsActive(existing) || existing->newDef ||
                  testDomainObjGetPrivate(existing)->hasNextDef;
        virDomainObjEndAPI(&existing);
    }
    if ((obj = virDomainObjListAdd(driver->domains, &def, 0, &oldDef))) {
        obj->persistent = true;
        if (virDomainObjIsActive(obj))
            testDomainObjGetPrivate(obj)->hasNextDef = true;
        event = virDomainEventLifecycleNewFromObj(
            obj, VIR_DOMAIN_EVENT_DEFINED,
            updated ? VIR_DOMAIN_EVENT_DEFINED_UPDATED : VIR_DOMAIN_EVENT_DEFINED_ADDED);
        ret = testDomainHandle(conn, obj);
        virDomainObjEndAPI(&obj);
    }
    g_mutex_unlock(&driver->lock);

    testQueueEvent(driver, event);
    return ret;
}

static int
testDomainUndefineFlags(virDomainPtr dom, unsigned int flags)
{
    testDriver *driver = testDriverOf(dom->conn);
    virDomainObj *obj;
    virObjectEvent *event;

    virCheckFlags(
        VIR_DOMAIN_UNDEFINE_MANAGED_SAVE | VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA, -1);

    g_mutex_lock(&driver->lock);
    if (!(obj = testDomObjFromDomain(dom))) {
        g_mutex_unlock(&driver->lock);
        return -1;
    }
    if (obj->hasManagedSave) {
        if (!(flags & VIR_DOMAIN_UNDEFINE_MANAGED_SAVE)) {
            virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                           "Refusing to undefine while domain managed save image exists");
            virDomainObjEndAPI(&obj);
            g_mutex_unlock(&driver->lock);
            return -1;
        }
        obj->hasManagedSave = false;
    }
    if (testDomainSnapshotCheckUndefine(obj, flags) < 0) {
        virDomainObjEndAPI(&obj);
        g_mutex_unlock(&driver->lock);
        return -1;
    }

    event = virDomainEventLifecycleNewFromObj(obj, VIR_DOMAIN_EVENT_UNDEFINED,
                                              VIR_DOMAIN_EVENT_UNDEFINED_REMOVED);
    if (virDomainObjIsActive(obj)) {
        /* It keeps running as a transient domain (and, as in libvirt,
         * keeps its next-boot definition until it stops). */
        obj->persistent = false;
    } else {
        virDomainObjListRemove(driver->domains, obj);
    }
    virDomainObjEndAPI(&obj);
    g_mutex_unlock(&driver->lock);

    testQueueEvent(driver, event);
    return 0;
}

static virDomainPtr
testDomainCreateXML(virConnectPtr conn, const char *xml, unsigned int flags)
{
    testDriver *driver = testDriverOf(conn);
    g_autoptr(virDomainDef) def = NULL;
    g_autoptr(virDomainDef) oldDef = NULL;
    virDomainObj *obj;
    virObjectEvent *event;
    virDomainPtr ret;
    unsigned int parseFlags = VIR_DOMAIN_DEF_PARSE_INACTIVE;

    virDomainStopPolicy stopPolicy;

    virCheckFlags(VIR_DOMAIN_START_VALIDATE, NULL);

    if (flags & VIR_DOMAIN_START_VALIDATE)
        parseFlags |= VIR_DOMAIN_DEF_PARSE_VALIDATE;

    if (!(def = virDomainDefParseString(xml, parseFlags)))
        return NULL;
    if (testDomainDefPostParse(def) < 0 ||
        virDomainStopPolicyFromDef(def, &stopPolicy) < 0)
        return NULL;

    g_mutex_lock(&driver->lock);
    if (!(obj = virDomainObjListAdd(driver->domains, &def,
                                    VIR_DOMAIN_OBJ_LIST_ADD_LIVE |
                                        VIR_DOMAIN_OBJ_LIST_ADD_CHECK_LIVE,
                                    &oldDef))) {
        g_mutex_unlock(&driver->lock);
        return NULL;
    }
    /* Starting a defined, shut off domain from new XML: its persistent
     * definition comes back when it stops (as libvirt's live assign). */
    if (oldDef && obj->persistent && !obj->newDef)
        obj->newDef = g_steal_pointer(&oldDef);
    testDomainStartState(driver, obj, VIR_DOMAIN_RUNNING_BOOTED);
    event = virDomainEventLifecycleNewFromObj(obj, VIR_DOMAIN_EVENT_STARTED,
                                              VIR_DOMAIN_EVENT_STARTED_BOOTED);
    ret = testDomainHandle(conn, obj);
    virDomainObjEndAPI(&obj);
    g_mutex_unlock(&driver->lock);

    testQueueEvent(driver, event);
    return ret;
}

/* ---- Lifecycle -------------------------------------------------------- */

static int
testDomainCreateWithFlags(virDomainPtr dom, unsigned int flags)
{
    testDriver *driver = testDriverOf(dom->conn);
    virDomainObj *obj;
    virObjectEvent *event;

    virCheckFlags(0, -1);

    if (!(obj = testDomObjFromDomain(dom)))
        return -1;

    if (virDomainObjGetState(obj, NULL) != VIR_DOMAIN_SHUTOFF) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "Domain '%s' is already running",
                       dom->name);
        virDomainObjEndAPI(&obj);
        return -1;
    }

    testDomainStartState(driver, obj, VIR_DOMAIN_RUNNING_BOOTED);
    dom->id = obj->def->id;
    event = virDomainEventLifecycleNewFromObj(obj, VIR_DOMAIN_EVENT_STARTED,
                                              VIR_DOMAIN_EVENT_STARTED_BOOTED);
    testLogTransition(obj, "start");
    virDomainObjEndAPI(&obj);

    testQueueEvent(driver, event);
    return 0;
}

/*
 * Stop @obj (locked) with @reason and the matching STOPPED @detail; a
 * transient domain leaves the list. Returns the event to queue once the
 * object is unlocked.
 */
virObjectEvent *
testDomainStop(testDriver *driver, virDomainObj *obj, virDomainPtr dom, int reason,
               int detail)
{
    virObjectEvent *event;

    testDomainShutdownState(obj, dom, reason);
    event = virDomainEventLifecycleNewFromObj(obj, VIR_DOMAIN_EVENT_STOPPED, detail);
    if (!obj->persistent)
        virDomainObjListRemove(driver->domains, obj);
    return event;
}

static int
testDomainDestroyFlags(virDomainPtr dom, unsigned int flags)
{
    testDriver *driver = testDriverOf(dom->conn);
    virDomainObj *obj;
    virObjectEvent *event;

    virCheckFlags(VIR_DOMAIN_DESTROY_GRACEFUL, -1);

    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (testDomainObjCheckActive(obj) < 0) {
        virDomainObjEndAPI(&obj);
        return -1;
    }

    event = testDomainStop(driver, obj, dom, VIR_DOMAIN_SHUTOFF_DESTROYED,
                           VIR_DOMAIN_EVENT_STOPPED_DESTROYED);
    testLogTransition(obj, "destroy");
    virDomainObjEndAPI(&obj);

    testQueueEvent(driver, event);
    return 0;
}

/*
 * Apply a guest power-off or reboot instantly, as libvirt's test driver
 * does: restart and rename-restart leave the domain running (reason
 * booted, no event); every other action shuts it off (reason shutdown,
 * Stopped Shutdown). Returns the event to queue, or NULL.
 */
static virObjectEvent *
testDomainApplyLifecycleAction(testDriver *driver, virDomainObj *obj, virDomainPtr dom,
                               int action)
{
    switch (action) {
    case VIR_DOMAIN_LIFECYCLE_ACTION_RESTART:
    case VIR_DOMAIN_LIFECYCLE_ACTION_RESTART_RENAME:
        virDomainObjSetState(obj, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED);
        return NULL;
    default:
        return testDomainStop(driver, obj, dom, VIR_DOMAIN_SHUTOFF_SHUTDOWN,
                              VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN);
    }
}

static int
testDomainShutdownFlags(virDomainPtr dom, unsigned int flags)
{
    testDriver *driver = testDriverOf(dom->conn);
    virDomainObj *obj;
    virObjectEvent *event;

    virCheckFlags(0, -1);

    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (virDomainObjGetState(obj, NULL) == VIR_DOMAIN_SHUTOFF) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "domain '%s' not running", dom->name);
        virDomainObjEndAPI(&obj);
        return -1;
    }

    event = testDomainApplyLifecycleAction(driver, obj, dom, obj->def->onPoweroff);
    testLogTransition(obj, "shutdown");
    virDomainObjEndAPI(&obj);

    testQueueEvent(driver, event);
    return 0;
}

static int
testDomainReboot(virDomainPtr dom, unsigned int flags)
{
    testDriver *driver = testDriverOf(dom->conn);
    virDomainObj *obj;
    virObjectEvent *event;

    virCheckFlags(VIR_DOMAIN_REBOOT_ACPI_POWER_BTN | VIR_DOMAIN_REBOOT_GUEST_AGENT |
                      VIR_DOMAIN_REBOOT_INITCTL | VIR_DOMAIN_REBOOT_SIGNAL |
                      VIR_DOMAIN_REBOOT_PARAVIRT,
                  -1);

    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (testDomainObjCheckActive(obj) < 0) {
        virDomainObjEndAPI(&obj);
        return -1;
    }

    event = testDomainApplyLifecycleAction(driver, obj, dom, obj->def->onReboot);
    testLogTransition(obj, "reboot");
    virDomainObjEndAPI(&obj);

    testQueueEvent(driver, event);
    return 0;
}

static int
testDomainReset(virDomainPtr dom, unsigned int flags)
{
    virDomainObj *obj;
    int ret;

    virCheckFlags(0, -1);

    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    ret = testDomainObjCheckActive(obj);
    virDomainObjEndAPI(&obj);
    return ret;
}

static int
testDomainSuspend(virDomainPtr dom)
{
    testDriver *driver = testDriverOf(dom->conn);
    virDomainObj *obj;
    virObjectEvent *event;
    int state;

    if (!(obj = testDomObjFromDomain(dom)))
        return -1;

    state = virDomainObjGetState(obj, NULL);
    if (state == VIR_DOMAIN_SHUTOFF || state == VIR_DOMAIN_PAUSED) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "domain '%s' not running", dom->name);
        virDomainObjEndAPI(&obj);
        return -1;
    }

    virDomainObjSetState(obj, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER);
    event = virDomainEventLifecycleNewFromObj(obj, VIR_DOMAIN_EVENT_SUSPENDED,
                                              VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
    testLogTransition(obj, "suspend");
    virDomainObjEndAPI(&obj);

    testQueueEvent(driver, event);
    return 0;
}

static int
testDomainResume(virDomainPtr dom)
{
    testDriver *driver = testDriverOf(dom->conn);
    virDomainObj *obj;
    virObjectEvent *event;

    if (!(obj = testDomObjFromDomain(dom)))
        return -1;

    if (virDomainObjGetState(obj, NULL) != VIR_DOMAIN_PAUSED) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "domain '%s' not paused", dom->name);
        virDomainObjEndAPI(&obj);
        return -1;
    }

    virDomainObjSetState(obj, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNPAUSED);
    event = virDomainEventLifecycleNewFromObj(obj, VIR_DOMAIN_EVENT_RESUMED,
                                              VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
    testLogTransition(obj, "resume");
    virDomainObjEndAPI(&obj);

    testQueueEvent(driver, event);
    return 0;
}

/* ---- Queries ---------------------------------------------------------- */

static int
testDomainGetState(virDomainPtr dom, int *state, int *reason, unsigned int flags)
{
    virDomainObj *obj;
    int r = 0;

    virCheckFlags(0, -1);

    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    *state = virDomainObjGetState(obj, &r);
    if (reason)
        *reason = r;
    virDomainObjEndAPI(&obj);
    return 0;
}

static int
testDomainGetInfo(virDomainPtr dom, virDomainInfoPtr info)
{
    virDomainObj *obj;

    if (!(obj = testDomObjFromDomain(dom)))
        return -1;

    info->state = virDomainObjGetState(obj, NULL);
    info->memory = obj->def->currentMemory;
    info->maxMem = obj->def->memory;
    info->nrVirtCpu = virDomainDefGetVcpus(obj->def);
    /* libvirt's test driver reports the wall clock as CPU time. */
    info->cpuTime = (unsigned long long)g_get_real_time() * 1000;
    virDomainObjEndAPI(&obj);
    return 0;
}

#define TEST_XML_FLAGS \
    (VIR_DOMAIN_XML_SECURE | VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_MIGRATABLE)

static char *
testDomainGetXMLDesc(virDomainPtr dom, unsigned int flags)
{
    virDomainObj *obj;
    const virDomainDef *def;
    unsigned int formatFlags = 0;
    char *ret;

    virCheckFlags(TEST_XML_FLAGS, NULL);

    if (!(obj = testDomObjFromDomain(dom)))
        return NULL;

    if (flags & VIR_DOMAIN_XML_INACTIVE) {
        formatFlags |= VIR_DOMAIN_DEF_FORMAT_INACTIVE;
        def = obj->newDef ? obj->newDef : obj->def;
    } else {
        def = obj->def;
    }
    if (flags & VIR_DOMAIN_XML_SECURE)
        formatFlags |= VIR_DOMAIN_DEF_FORMAT_SECURE;

    ret = virDomainDefFormat(def, formatFlags);
    virDomainObjEndAPI(&obj);
    return ret;
}

static char *
testDomainGetOSType(virDomainPtr dom)
{
    return g_strdup("linux");
}

static unsigned long long
testDomainGetMaxMemory(virDomainPtr dom)
{
    virDomainObj *obj;
    unsigned long long ret;

    if (!(obj = testDomObjFromDomain(dom)))
        return 0;
    ret = obj->def->memory;
    virDomainObjEndAPI(&obj);
    return ret;
}

/*
 * The definition @flags (VIR_DOMAIN_AFFECT_*) selects, as libvirt's
 * virDomainObjGetOneDef: LIVE needs a running domain, CONFIG a persistent
 * one, CURRENT picks whichever applies. NULL with an error reported.
 */
const virDomainDef *
testDomainObjGetOneDef(virDomainObj *obj, unsigned int flags)
{
    bool active = virDomainObjIsActive(obj);

    if ((flags & VIR_DOMAIN_AFFECT_LIVE) && (flags & VIR_DOMAIN_AFFECT_CONFIG)) {
        virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_INVALID_ARG, __func__,
                           "Flags 'VIR_DOMAIN_AFFECT_LIVE' and "
                           "'VIR_DOMAIN_AFFECT_CONFIG' are mutually exclusive");
        return NULL;
    }
    if (!(flags & (VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG)))
        flags |= active ? VIR_DOMAIN_AFFECT_LIVE : VIR_DOMAIN_AFFECT_CONFIG;

    if (flags & VIR_DOMAIN_AFFECT_LIVE) {
        if (testDomainObjCheckActive(obj) < 0)
            return NULL;
        return obj->def;
    }
    if (!obj->persistent) {
        virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_INVALID, __func__,
                           "transient domains do not have any persistent config");
        return NULL;
    }
    return virDomainObjGetPersistentDef(obj);
}

static int
testDomainGetVcpusFlags(virDomainPtr dom, unsigned int flags)
{
    virDomainObj *obj;
    const virDomainDef *def;
    int ret = -1;

    virCheckFlags(
        VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG | VIR_DOMAIN_VCPU_MAXIMUM, -1);

    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if ((def = testDomainObjGetOneDef(obj, flags & ~VIR_DOMAIN_VCPU_MAXIMUM)))
        ret = (flags & VIR_DOMAIN_VCPU_MAXIMUM) ? def->vcpus : virDomainDefGetVcpus(def);
    virDomainObjEndAPI(&obj);
    return ret;
}

static int
testDomainIsActive(virDomainPtr dom)
{
    virDomainObj *obj;
    int ret;

    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    ret = virDomainObjIsActive(obj);
    virDomainObjEndAPI(&obj);
    return ret;
}

static int
testDomainIsPersistent(virDomainPtr dom)
{
    virDomainObj *obj;
    int ret;

    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    ret = obj->persistent;
    virDomainObjEndAPI(&obj);
    return ret;
}

static int
testDomainIsUpdated(virDomainPtr dom)
{
    return 0;
}

static int
testDomainGetAutostart(virDomainPtr dom, int *autostart)
{
    virDomainObj *obj;

    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    *autostart = obj->autostart;
    virDomainObjEndAPI(&obj);
    return 0;
}

static int
testDomainSetAutostart(virDomainPtr dom, int autostart)
{
    virDomainObj *obj;

    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    obj->autostart = autostart != 0;
    virDomainObjEndAPI(&obj);
    return 0;
}

static int
testDomainHasManagedSaveImage(virDomainPtr dom, unsigned int flags)
{
    virDomainObj *obj;

    virCheckFlags(0, -1);

    int ret;

    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    ret = obj->hasManagedSave;
    virDomainObjEndAPI(&obj);
    return ret;
}

static int
testDomainGetSecurityLabel(virDomainPtr dom, virSecurityLabelPtr seclabel)
{
    virDomainObj *obj;

    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    memset(seclabel, 0, sizeof(*seclabel));
    if (virDomainObjIsActive(obj)) {
        g_strlcpy(seclabel->label, TEST_SECURITY_LABEL, sizeof(seclabel->label));
        seclabel->enforcing = 1;
    }
    virDomainObjEndAPI(&obj);
    return 0;
}

/* ---- Events ----------------------------------------------------------- */

static int
testConnectDomainEventRegisterAny(virConnectPtr conn, virDomainPtr dom, int eventID,
                                  virConnectDomainEventGenericCallback cb, void *opaque,
                                  virFreeCallback freecb)
{
    return virDomainEventStateRegisterID(conn, testDriverOf(conn)->eventState, dom,
                                         eventID, cb, opaque, freecb);
}

static int
testConnectDomainEventDeregisterAny(virConnectPtr conn, int callbackID)
{
    return virObjectEventStateDeregisterID(conn, testDriverOf(conn)->eventState,
                                           callbackID);
}

static int
testConnectDomainEventRegister(virConnectPtr conn, virConnectDomainEventCallback cb,
                               void *opaque, virFreeCallback freecb)
{
    return virDomainEventStateRegister(conn, testDriverOf(conn)->eventState, cb, opaque,
                                       freecb);
}

static int
testConnectDomainEventDeregister(virConnectPtr conn, virConnectDomainEventCallback cb)
{
    return virDomainEventStateDeregister(conn, testDriverOf(conn)->eventState, cb);
}

const virHypervisorDriver testHypervisorDriver = {
    .name = "Test",
    .connectOpen = testConnectOpen,
    .connectClose = testConnectClose,
    .connectGetType = testConnectGetType,
    .connectGetVersion = testConnectGetVersion,
    .connectGetLibVersion = testConnectGetLibVersion,
    .connectGetHostname = testConnectGetHostname,
    .connectGetURI = testConnectGetURI,
    .connectGetCapabilities = testConnectGetCapabilities,
    .connectGetMaxVcpus = testConnectGetMaxVcpus,
    .connectIsAlive = testConnectIsAlive,
    .connectIsSecure = testConnectIsSecure,
    .connectIsEncrypted = testConnectIsEncrypted,
    .nodeGetInfo = testNodeGetInfo,
    .nodeGetSecurityModel = testNodeGetSecurityModel,
    .nodeGetFreeMemory = testNodeGetFreeMemory,
    .nodeGetCellsFreeMemory = testNodeGetCellsFreeMemory,
    .nodeGetFreePages = testNodeGetFreePages,
    .connectGetSysinfo = testConnectGetSysinfo,
    .connectGetCPUModelNames = testConnectGetCPUModelNames,
    .connectBaselineCPU = testConnectBaselineCPU,
    .connectNumOfDomains = testConnectNumOfDomains,
    .connectListDomains = testConnectListDomains,
    .connectNumOfDefinedDomains = testConnectNumOfDefinedDomains,
    .connectListDefinedDomains = testConnectListDefinedDomains,
    .connectListAllDomains = testConnectListAllDomains,
    .domainLookupByID = testDomainLookupByID,
    .domainLookupByName = testDomainLookupByName,
    .domainLookupByUUID = testDomainLookupByUUID,
    .domainDefineXMLFlags = testDomainDefineXMLFlags,
    .domainUndefineFlags = testDomainUndefineFlags,
    .domainCreateWithFlags = testDomainCreateWithFlags,
    .domainCreateXML = testDomainCreateXML,
    .domainShutdownFlags = testDomainShutdownFlags,
    .domainReboot = testDomainReboot,
    .domainReset = testDomainReset,
    .domainDestroyFlags = testDomainDestroyFlags,
    .domainSuspend = testDomainSuspend,
    .domainResume = testDomainResume,
    .domainGetState = testDomainGetState,
    .domainGetInfo = testDomainGetInfo,
    .domainGetXMLDesc = testDomainGetXMLDesc,
    .domainGetOSType = testDomainGetOSType,
    .domainGetMaxMemory = testDomainGetMaxMemory,
    .domainGetVcpusFlags = testDomainGetVcpusFlags,
    .domainIsActive = testDomainIsActive,
    .domainIsPersistent = testDomainIsPersistent,
    .domainIsUpdated = testDomainIsUpdated,
    .domainGetAutostart = testDomainGetAutostart,
    .domainSetAutostart = testDomainSetAutostart,
    .domainHasManagedSaveImage = testDomainHasManagedSaveImage,
    .domainSaveFlags = testDomainSaveFlags,
    .domainRestoreFlags = testDomainRestoreFlags,
    .domainSaveImageGetXMLDesc = testDomainSaveImageGetXMLDesc,
    .domainSaveImageDefineXML = testDomainSaveImageDefineXML,
    .domainManagedSave = testDomainManagedSave,
    .domainManagedSaveRemove = testDomainManagedSaveRemove,
    .domainCoreDumpWithFormat = testDomainCoreDumpWithFormat,
    .domainGetSecurityLabel = testDomainGetSecurityLabel,
    .domainGetMessages = testDomainGetMessages,
    .domainGetSchedulerType = testDomainGetSchedulerType,
    .domainGetSchedulerParameters = testDomainGetSchedulerParameters,
    .domainGetSchedulerParametersFlags = testDomainGetSchedulerParametersFlags,
    .domainSetSchedulerParameters = testDomainSetSchedulerParameters,
    .domainSetSchedulerParametersFlags = testDomainSetSchedulerParametersFlags,
    /* running guests: live changes (test_driver_live.c) */
    .domainSetMemoryFlags = testDomainSetMemoryFlags,
    .domainInjectNMI = testDomainInjectNMI,
    .domainMemoryPeek = testDomainMemoryPeek,
    .domainSetLifecycleAction = testDomainSetLifecycleAction,
    .domainSendProcessSignal = testDomainSendProcessSignal,
    .domainGetHostname = testDomainGetHostname,
    .domainGetTime = testDomainGetTime,
    .domainSetTime = testDomainSetTime,
    .domainFSFreeze = testDomainFSFreeze,
    .domainFSThaw = testDomainFSThaw,
    .domainFSTrim = testDomainFSTrim,
    .domainGetFSInfo = testDomainGetFSInfo,
    .domainSetUserPassword = testDomainSetUserPassword,
    .domainSendKey = testDomainSendKey,
    .domainGetControlInfo = testDomainGetControlInfo,
    .domainScreenshot = testDomainScreenshot,
    .domainSetMetadata = testDomainSetMetadata,
    .domainGetMetadata = testDomainGetMetadata,
    .domainRename = testDomainRename,
    .domainSetVcpusFlags = testDomainSetVcpusFlags,
    /* running guests: statistics (test_driver_stats.c) */
    .domainMemoryStats = testDomainMemoryStats,
    .domainSetMemoryStatsPeriod = testDomainSetMemoryStatsPeriod,
    .domainBlockStats = testDomainBlockStats,
    .domainInterfaceStats = testDomainInterfaceStats,
    .domainInterfaceAddresses = testDomainInterfaceAddresses,
    .domainGetVcpus = testDomainGetVcpus,
    .domainGetVcpuPinInfo = testDomainGetVcpuPinInfo,
    /* resource tuning (test_driver_tune.c) */
    .domainSetMemoryParameters = testDomainSetMemoryParameters,
    .domainGetMemoryParameters = testDomainGetMemoryParameters,
    .domainSetBlkioParameters = testDomainSetBlkioParameters,
    .domainGetBlkioParameters = testDomainGetBlkioParameters,
    .domainSetBlockIoTune = testDomainSetBlockIoTune,
    .domainGetBlockIoTune = testDomainGetBlockIoTune,
    .domainSetInterfaceParameters = testDomainSetInterfaceParameters,
    .domainGetInterfaceParameters = testDomainGetInterfaceParameters,
    .domainSetNumaParameters = testDomainSetNumaParameters,
    .domainGetNumaParameters = testDomainGetNumaParameters,
    .domainGetPerfEvents = testDomainGetPerfEvents,
    .domainSetPerfEvents = testDomainSetPerfEvents,
    .domainPinVcpu = testDomainPinVcpu,
    .domainPinVcpuFlags = testDomainPinVcpuFlags,
    .domainPinEmulator = testDomainPinEmulator,
    .domainGetEmulatorPinInfo = testDomainGetEmulatorPinInfo,
    .domainGetIOThreadInfo = testDomainGetIOThreadInfo,
    .domainPinIOThread = testDomainPinIOThread,
    .domainAddIOThread = testDomainAddIOThread,
    .domainDelIOThread = testDomainDelIOThread,
    .domainSetIOThreadParams = testDomainSetIOThreadParams,
    .domainGetCPUStats = testDomainGetCPUStats,
    .domainGetBlockInfo = testDomainGetBlockInfo,
    .domainGetDiskErrors = testDomainGetDiskErrors,
    .nodeGetCPUStats = testNodeGetCPUStats,
    .nodeGetCPUMap = testNodeGetCPUMap,
    .connectGetAllDomainStats = testConnectGetAllDomainStats,
    .connectDomainEventRegisterAny = testConnectDomainEventRegisterAny,
    .connectDomainEventDeregisterAny = testConnectDomainEventDeregisterAny,
    .connectDomainEventRegister = testConnectDomainEventRegister,
    .connectDomainEventDeregister = testConnectDomainEventDeregister,
    /* checkpoints (test_driver_checkpoint.c) */
    .domainCheckpointCreateXML = testDomainCheckpointCreateXML,
    .domainCheckpointGetXMLDesc = testDomainCheckpointGetXMLDesc,
    .domainListAllCheckpoints = testDomainListAllCheckpoints,
    .domainCheckpointListAllChildren = testDomainCheckpointListAllChildren,
    .domainCheckpointLookupByName = testDomainCheckpointLookupByName,
    .domainCheckpointGetParent = testDomainCheckpointGetParent,
    .domainCheckpointDelete = testDomainCheckpointDelete,
    /* snapshots (test_driver_snapshot.c) */
    .domainSnapshotCreateXML = testDomainSnapshotCreateXML,
    .domainSnapshotGetXMLDesc = testDomainSnapshotGetXMLDesc,
    .domainSnapshotNum = testDomainSnapshotNum,
    .domainSnapshotListNames = testDomainSnapshotListNames,
    .domainListAllSnapshots = testDomainListAllSnapshots,
    .domainSnapshotNumChildren = testDomainSnapshotNumChildren,
    .domainSnapshotListChildrenNames = testDomainSnapshotListChildrenNames,
    .domainSnapshotListAllChildren = testDomainSnapshotListAllChildren,
    .domainSnapshotLookupByName = testDomainSnapshotLookupByName,
    .domainHasCurrentSnapshot = testDomainHasCurrentSnapshot,
    .domainSnapshotGetParent = testDomainSnapshotGetParent,
    .domainSnapshotCurrent = testDomainSnapshotCurrent,
    .domainSnapshotIsCurrent = testDomainSnapshotIsCurrent,
    .domainSnapshotHasMetadata = testDomainSnapshotHasMetadata,
    .domainRevertToSnapshot = testDomainRevertToSnapshot,
    .domainSnapshotDelete = testDomainSnapshotDelete,
    .vkDomainStop = testDomainVkStop,
};
