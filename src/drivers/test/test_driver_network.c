/* test_driver_network.c: the test driver's networks (libvirt's test driver defaults), its virNetworkDriver table */

/*
 * Threads: as test_driver.c. The network list and each object lock
 * themselves; driver->lock serializes define/create/undefine so that a
 * check and the change that follows cannot interleave. Nothing here
 * touches the host: a test network is only its definition and a state.
 */

#define G_LOG_DOMAIN "virtkit.test.network"

#include <string.h>

#include "driver.h"
#include "network_conf.h"
#include "object_event.h"
#include "test_driver_priv.h"
#include "viruuid.h"

/* libvirt's test driver reports its own errors in the TEST domain (those
 * of the network XML code stay in NETWORK) */
#define VIR_FROM_THIS VIR_FROM_TEST

/* libvirt's test:///default network */
static const char testDefaultNetworkXML[] =
    "<network>\n"
    "  <name>default</name>\n"
    "  <uuid>dd8fe884-6c02-601e-7551-cca97df1c5df</uuid>\n"
    "  <bridge name='virbr0'/>\n"
    "  <forward/>\n"
    "  <ip address='192.168.122.1' netmask='255.255.255.0'>\n"
    "    <dhcp>\n"
    "      <range start='192.168.122.2' end='192.168.122.254'/>\n"
    "    </dhcp>\n"
    "  </ip>\n"
    "</network>\n";

int
testNetworkLoadDef(testDriver *driver, const char *xml)
{
    g_autoptr(virNetworkDef) def = virNetworkDefParseString(xml);
    virNetworkObj *obj;

    if (!def)
        return -1;
    if (!(obj = virNetworkObjListAdd(driver->networks, &def, false)))
        return -1;
    /* as libvirt: the networks of a node file are running */
    obj->active = true;
    virNetworkObjEndAPI(&obj);
    return 0;
}

int
testNetworkLoadDefault(testDriver *driver)
{
    return testNetworkLoadDef(driver, testDefaultNetworkXML);
}

static void
testNetworkQueueEvent(testDriver *driver, virNetworkObj *obj, int event)
{
    virObjectEventStateQueue(
        driver->eventState,
        virNetworkEventLifecycleNew(obj->def->name, obj->def->uuid, event, 0));
}

/* The object behind @net, locked and referenced, or NULL with NO_NETWORK:
 * found by name, as libvirt's test driver finds it for every call on a
 * handle but IsActive/IsPersistent (testNetworkObjFromNetworkUUID). */
static virNetworkObj *
testNetworkObjFromNetwork(virNetworkPtr net)
{
    testDriver *driver = net->conn->privateData;
    virNetworkObj *obj = virNetworkObjListFindByName(driver->networks, net->name);

    if (!obj)
        virReportError(VIR_ERR_NO_NETWORK, "no network with matching name '%s'",
                       net->name);
    return obj;
}

/* The same, found by UUID. */
static virNetworkObj *
testNetworkObjFromNetworkUUID(virNetworkPtr net)
{
    testDriver *driver = net->conn->privateData;
    virNetworkObj *obj = virNetworkObjListFindByUUID(driver->networks, net->uuid);

    if (!obj) {
        char uuidstr[VIR_UUID_STRING_BUFLEN];

        virUUIDFormat(net->uuid, uuidstr);
        virReportError(VIR_ERR_NO_NETWORK, "no network with matching uuid '%s'", uuidstr);
    }
    return obj;
}

static int
testConnectNumOfNetworks(virConnectPtr conn)
{
    testDriver *driver = conn->privateData;

    return virNetworkObjListCount(driver->networks, true);
}

static int
testConnectListNetworks(virConnectPtr conn, char **const names, int maxnames)
{
    testDriver *driver = conn->privateData;

    return virNetworkObjListGetNames(driver->networks, true, names, maxnames);
}

static int
testConnectNumOfDefinedNetworks(virConnectPtr conn)
{
    testDriver *driver = conn->privateData;

    return virNetworkObjListCount(driver->networks, false);
}

static int
testConnectListDefinedNetworks(virConnectPtr conn, char **const names, int maxnames)
{
    testDriver *driver = conn->privateData;

    return virNetworkObjListGetNames(driver->networks, false, names, maxnames);
}

static int
testConnectListAllNetworks(virConnectPtr conn, virNetworkPtr **nets, unsigned int flags)
{
    testDriver *driver = conn->privateData;

    virCheckFlags(
        VIR_CONNECT_LIST_NETWORKS_INACTIVE | VIR_CONNECT_LIST_NETWORKS_ACTIVE |
            VIR_CONNECT_LIST_NETWORKS_PERSISTENT | VIR_CONNECT_LIST_NETWORKS_TRANSIENT |
            VIR_CONNECT_LIST_NETWORKS_AUTOSTART | VIR_CONNECT_LIST_NETWORKS_NO_AUTOSTART,
        -1);
    return virNetworkObjListExport(conn, driver->networks, nets, flags);
}

static virNetworkPtr
testNetworkLookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    testDriver *driver = conn->privateData;
    virNetworkObj *obj = virNetworkObjListFindByUUID(driver->networks, uuid);
    virNetworkPtr ret;

    if (!obj) {
        char uuidstr[VIR_UUID_STRING_BUFLEN];

        virUUIDFormat(uuid, uuidstr);
        virReportError(VIR_ERR_NO_NETWORK, "no network with matching uuid '%s'", uuidstr);
        return NULL;
    }
    ret = virGetNetwork(conn, obj->def->name, obj->def->uuid);
    virNetworkObjEndAPI(&obj);
    return ret;
}

static virNetworkPtr
testNetworkLookupByName(virConnectPtr conn, const char *name)
{
    testDriver *driver = conn->privateData;
    virNetworkObj *obj = virNetworkObjListFindByName(driver->networks, name);
    virNetworkPtr ret;

    if (!obj) {
        virReportError(VIR_ERR_NO_NETWORK, "no network with matching name '%s'", name);
        return NULL;
    }
    ret = virGetNetwork(conn, obj->def->name, obj->def->uuid);
    virNetworkObjEndAPI(&obj);
    return ret;
}

static char *
testNetworkGetXMLDesc(virNetworkPtr net, unsigned int flags)
{
    virNetworkObj *obj;
    char *ret;

    virCheckFlags(0, NULL);
    if (!(obj = testNetworkObjFromNetwork(net)))
        return NULL;
    ret = virNetworkDefFormat(obj->def, 0);
    virNetworkObjEndAPI(&obj);
    return ret;
}

static virNetworkPtr
testNetworkCreateXMLFlags(virConnectPtr conn, const char *xml, unsigned int flags)
{
    testDriver *driver = conn->privateData;
    g_autoptr(virNetworkDef) def = NULL;
    virNetworkObj *obj;
    virNetworkPtr ret;

    virCheckFlags(VIR_NETWORK_CREATE_VALIDATE, NULL);
    if (!(def = virNetworkDefParseString(xml)))
        return NULL;
    g_mutex_lock(&driver->lock);
    obj = virNetworkObjListAdd(driver->networks, &def, true);
    if (!obj) {
        g_mutex_unlock(&driver->lock);
        return NULL;
    }
    obj->active = true;
    testNetworkQueueEvent(driver, obj, VIR_NETWORK_EVENT_STARTED);
    ret = virGetNetwork(conn, obj->def->name, obj->def->uuid);
    virNetworkObjEndAPI(&obj);
    g_mutex_unlock(&driver->lock);
    return ret;
}

static virNetworkPtr
testNetworkCreateXML(virConnectPtr conn, const char *xml)
{
    return testNetworkCreateXMLFlags(conn, xml, 0);
}

static virNetworkPtr
testNetworkDefineXMLFlags(virConnectPtr conn, const char *xml, unsigned int flags)
{
    testDriver *driver = conn->privateData;
    g_autoptr(virNetworkDef) def = NULL;
    virNetworkObj *obj;
    virNetworkPtr ret;

    virCheckFlags(VIR_NETWORK_DEFINE_VALIDATE, NULL);
    if (!(def = virNetworkDefParseString(xml)))
        return NULL;
    g_mutex_lock(&driver->lock);
    obj = virNetworkObjListAdd(driver->networks, &def, false);
    if (!obj) {
        g_mutex_unlock(&driver->lock);
        return NULL;
    }
    testNetworkQueueEvent(driver, obj, VIR_NETWORK_EVENT_DEFINED);
    ret = virGetNetwork(conn, obj->def->name, obj->def->uuid);
    virNetworkObjEndAPI(&obj);
    g_mutex_unlock(&driver->lock);
    return ret;
}

static virNetworkPtr
testNetworkDefineXML(virConnectPtr conn, const char *xml)
{
    return testNetworkDefineXMLFlags(conn, xml, 0);
}

static int
testNetworkUndefine(virNetworkPtr net)
{
    testDriver *driver = net->conn->privateData;
    virNetworkObj *obj;

    g_mutex_lock(&driver->lock);
    if (!(obj = testNetworkObjFromNetwork(net))) {
        g_mutex_unlock(&driver->lock);
        return -1;
    }
    if (obj->active) {
        virReportError(VIR_ERR_OPERATION_INVALID, "Network '%s' is still running",
                       obj->def->name);
        virNetworkObjEndAPI(&obj);
        g_mutex_unlock(&driver->lock);
        return -1;
    }
    testNetworkQueueEvent(driver, obj, VIR_NETWORK_EVENT_UNDEFINED);
    virNetworkObjListRemove(driver->networks, obj);
    virNetworkObjEndAPI(&obj);
    g_mutex_unlock(&driver->lock);
    return 0;
}

static int
testNetworkUpdate(virNetworkPtr net, unsigned int command, unsigned int section,
                  int parentIndex, const char *xml, unsigned int flags)
{
    virNetworkObj *obj;
    bool live, config;
    g_autoptr(virNetworkDef) newLive = NULL;
    g_autoptr(virNetworkDef) newConfig = NULL;
    int ret = -1;

    virCheckFlags(VIR_NETWORK_UPDATE_AFFECT_LIVE | VIR_NETWORK_UPDATE_AFFECT_CONFIG, -1);
    if (!(obj = testNetworkObjFromNetwork(net)))
        return -1;
    live = flags & VIR_NETWORK_UPDATE_AFFECT_LIVE;
    config = flags & VIR_NETWORK_UPDATE_AFFECT_CONFIG;
    if (!live && !config) {
        /* "current": the live state of a running network */
        live = obj->active;
        config = !obj->active;
    }
    if (live && !obj->active) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "network is not running");
        goto cleanup;
    }
    if (config && !obj->persistent) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "cannot change persistent config of a transient network");
        goto cleanup;
    }
    if (config) {
        newConfig = virNetworkDefCopy(virNetworkObjGetPersistentDef(obj));
        if (virNetworkDefUpdateSection(newConfig, command, section, parentIndex, xml) < 0)
            goto cleanup;
    }
    if (live) {
        newLive = virNetworkDefCopy(obj->def);
        if (virNetworkDefUpdateSection(newLive, command, section, parentIndex, xml) < 0)
            goto cleanup;
    }
    if (newConfig) {
        if (obj->active && live) {
            virNetworkDefFree(obj->newDef);
            obj->newDef = g_steal_pointer(&newConfig);
        } else if (obj->active) {
            /* the persistent copy of a running network */
            virNetworkDefFree(obj->newDef);
            obj->newDef = g_steal_pointer(&newConfig);
        } else {
            virNetworkDefFree(obj->def);
            obj->def = g_steal_pointer(&newConfig);
        }
    }
    if (newLive) {
        if (!obj->newDef && obj->persistent && !config)
            obj->newDef = virNetworkDefCopy(obj->def);
        virNetworkDefFree(obj->def);
        obj->def = g_steal_pointer(&newLive);
    }
    ret = 0;
cleanup:
    virNetworkObjEndAPI(&obj);
    return ret;
}

static int
testNetworkCreate(virNetworkPtr net)
{
    testDriver *driver = net->conn->privateData;
    virNetworkObj *obj;

    if (!(obj = testNetworkObjFromNetwork(net)))
        return -1;
    if (obj->active) {
        virReportError(VIR_ERR_OPERATION_INVALID, "Network '%s' is already running",
                       obj->def->name);
        virNetworkObjEndAPI(&obj);
        return -1;
    }
    obj->active = true;
    testNetworkQueueEvent(driver, obj, VIR_NETWORK_EVENT_STARTED);
    virNetworkObjEndAPI(&obj);
    return 0;
}

static int
testNetworkDestroy(virNetworkPtr net)
{
    testDriver *driver = net->conn->privateData;
    virNetworkObj *obj;

    g_mutex_lock(&driver->lock);
    if (!(obj = testNetworkObjFromNetwork(net))) {
        g_mutex_unlock(&driver->lock);
        return -1;
    }
    obj->active = false;
    if (obj->newDef) {
        virNetworkDefFree(obj->def);
        obj->def = g_steal_pointer(&obj->newDef);
    }
    testNetworkQueueEvent(driver, obj, VIR_NETWORK_EVENT_STOPPED);
    if (!obj->persistent)
        virNetworkObjListRemove(driver->networks, obj);
    virNetworkObjEndAPI(&obj);
    g_mutex_unlock(&driver->lock);
    return 0;
}

static char *
testNetworkGetBridgeName(virNetworkPtr net)
{
    virNetworkObj *obj;
    char *ret = NULL;

    if (!(obj = testNetworkObjFromNetwork(net)))
        return NULL;
    if (!obj->def->bridge)
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "network '%s' does not have a bridge name.", obj->def->name);
    else
        ret = g_strdup(obj->def->bridge);
    virNetworkObjEndAPI(&obj);
    return ret;
}

static int
testNetworkGetAutostart(virNetworkPtr net, int *autostart)
{
    virNetworkObj *obj;

    if (!(obj = testNetworkObjFromNetwork(net)))
        return -1;
    *autostart = obj->autostart;
    virNetworkObjEndAPI(&obj);
    return 0;
}

static int
testNetworkSetAutostart(virNetworkPtr net, int autostart)
{
    virNetworkObj *obj;

    if (!(obj = testNetworkObjFromNetwork(net)))
        return -1;
    obj->autostart = autostart != 0;
    virNetworkObjEndAPI(&obj);
    return 0;
}

static int
testNetworkIsActive(virNetworkPtr net)
{
    virNetworkObj *obj;
    int ret;

    if (!(obj = testNetworkObjFromNetworkUUID(net)))
        return -1;
    ret = obj->active;
    virNetworkObjEndAPI(&obj);
    return ret;
}

static int
testNetworkIsPersistent(virNetworkPtr net)
{
    virNetworkObj *obj;
    int ret;

    if (!(obj = testNetworkObjFromNetworkUUID(net)))
        return -1;
    ret = obj->persistent;
    virNetworkObjEndAPI(&obj);
    return ret;
}

/* Events: the connection's one event state (test_driver.c), all kinds. */
static int
testConnectNetworkEventRegisterAny(virConnectPtr conn, virNetworkPtr net, int eventID,
                                   virConnectNetworkEventGenericCallback cb, void *opaque,
                                   virFreeCallback freecb)
{
    testDriver *driver = conn->privateData;

    return virNetworkEventStateRegisterID(conn, driver->eventState, net, eventID, cb,
                                          opaque, freecb);
}

static int
testConnectNetworkEventDeregisterAny(virConnectPtr conn, int callbackID)
{
    testDriver *driver = conn->privateData;

    return virObjectEventStateDeregisterKindID(conn, driver->eventState,
                                               VIR_EVENT_KIND_NETWORK, callbackID);
}

/* As libvirt's test driver: no DHCP leases (NO_SUPPORT, the entry is
 * left out). */
const virNetworkDriver testNetworkDriver = {
    .name = "Test",
    .connectNumOfNetworks = testConnectNumOfNetworks,
    .connectListNetworks = testConnectListNetworks,
    .connectNumOfDefinedNetworks = testConnectNumOfDefinedNetworks,
    .connectListDefinedNetworks = testConnectListDefinedNetworks,
    .connectListAllNetworks = testConnectListAllNetworks,
    .networkLookupByUUID = testNetworkLookupByUUID,
    .networkLookupByName = testNetworkLookupByName,
    .networkGetXMLDesc = testNetworkGetXMLDesc,
    .connectNetworkEventRegisterAny = testConnectNetworkEventRegisterAny,
    .connectNetworkEventDeregisterAny = testConnectNetworkEventDeregisterAny,
    .networkCreateXML = testNetworkCreateXML,
    .networkCreateXMLFlags = testNetworkCreateXMLFlags,
    .networkDefineXML = testNetworkDefineXML,
    .networkDefineXMLFlags = testNetworkDefineXMLFlags,
    .networkUndefine = testNetworkUndefine,
    .networkUpdate = testNetworkUpdate,
    .networkCreate = testNetworkCreate,
    .networkDestroy = testNetworkDestroy,
    .networkGetBridgeName = testNetworkGetBridgeName,
    .networkGetAutostart = testNetworkGetAutostart,
    .networkSetAutostart = testNetworkSetAutostart,
    .networkIsActive = testNetworkIsActive,
    .networkIsPersistent = testNetworkIsPersistent,
};
