/* bridge_driver_api.c: the network driver's virNetworkDriver table (libvirt's "bridge" driver) and its state-driver hooks */

/*
 * Threads: the entry points run on the daemon's workers, any number at
 * once; they look objects up (list and object mutexes, short) and call
 * bridge_driver.c, which serializes state changes per network. The state
 * hooks run on the daemon's main thread before clients are accepted
 * (initialize, autostart) or after they are gone (cleanup), so @netDriver
 * and @netEvents are set and cleared with no entry point running.
 */

#define G_LOG_DOMAIN "virtkit.network.api"

#include <stdlib.h>
#include <string.h>

#include "bridge_driver_priv.h"
#include "bridge_driver.h"
#include "driver.h"
#include "object_event.h"
#include "virerror.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_NETWORK

static networkDriver *netDriver;
static virObjectEventState *netEvents;

networkDriver *
networkDriverInstance(void)
{
    return netDriver;
}

static void
networkQueueEvent(virNetworkObj *obj, int event, int detail, void *opaque)
{
    (void)opaque;
    if (netEvents)
        virObjectEventStateQueue(
            netEvents,
            virNetworkEventLifecycleNew(obj->def->name, obj->def->uuid, event, detail));
}

/* The object behind @net, locked and referenced, or NULL with NO_NETWORK. */
static virNetworkObj *
networkObjFromNetwork(virNetworkPtr net)
{
    virNetworkObj *obj = virNetworkObjListFindByUUID(netDriver->networks, net->uuid);

    if (!obj)
        networkReportNoNetworkUUID(net->uuid, net->name);
    return obj;
}

static int
networkConnectNumOfNetworks(virConnectPtr conn)
{
    return virNetworkObjListCount(netDriver->networks, true);
}

static int
networkConnectListNetworks(virConnectPtr conn, char **const names, int maxnames)
{
    return virNetworkObjListGetNames(netDriver->networks, true, names, maxnames);
}

static int
networkConnectNumOfDefinedNetworks(virConnectPtr conn)
{
    return virNetworkObjListCount(netDriver->networks, false);
}

static int
networkConnectListDefinedNetworks(virConnectPtr conn, char **const names, int maxnames)
{
    return virNetworkObjListGetNames(netDriver->networks, false, names, maxnames);
}

static int
networkConnectListAllNetworks(virConnectPtr conn, virNetworkPtr **nets,
                              unsigned int flags)
{
    virCheckFlags(
        VIR_CONNECT_LIST_NETWORKS_INACTIVE | VIR_CONNECT_LIST_NETWORKS_ACTIVE |
            VIR_CONNECT_LIST_NETWORKS_PERSISTENT | VIR_CONNECT_LIST_NETWORKS_TRANSIENT |
            VIR_CONNECT_LIST_NETWORKS_AUTOSTART | VIR_CONNECT_LIST_NETWORKS_NO_AUTOSTART,
        -1);
    return virNetworkObjListExport(conn, netDriver->networks, nets, flags);
}

static virNetworkPtr
networkLookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    virNetworkObj *obj = virNetworkObjListFindByUUID(netDriver->networks, uuid);
    virNetworkPtr ret;

    if (!obj) {
        networkReportNoNetworkUUID(uuid, NULL);
        return NULL;
    }
    ret = virGetNetwork(conn, obj->def->name, obj->def->uuid);
    virNetworkObjEndAPI(&obj);
    return ret;
}

static virNetworkPtr
networkLookupByName(virConnectPtr conn, const char *name)
{
    virNetworkObj *obj = virNetworkObjListFindByName(netDriver->networks, name);
    virNetworkPtr ret;

    if (!obj) {
        networkReportNoNetworkName(name);
        return NULL;
    }
    ret = virGetNetwork(conn, obj->def->name, obj->def->uuid);
    virNetworkObjEndAPI(&obj);
    return ret;
}

static char *
networkGetXMLDesc(virNetworkPtr net, unsigned int flags)
{
    virNetworkObj *obj;
    char *ret;

    virCheckFlags(VIR_NETWORK_XML_INACTIVE, NULL);
    if (!(obj = networkObjFromNetwork(net)))
        return NULL;
    if (flags & VIR_NETWORK_XML_INACTIVE)
        ret = virNetworkDefFormat(virNetworkObjGetPersistentDef(obj),
                                  VIR_NETWORK_DEF_FORMAT_INACTIVE);
    else
        ret = virNetworkDefFormat(obj->def, 0);
    virNetworkObjEndAPI(&obj);
    return ret;
}

static virNetworkPtr
networkCreateXMLFlags(virConnectPtr conn, const char *xml, unsigned int flags)
{
    virNetworkObj *obj;
    virNetworkPtr ret;

    virCheckFlags(VIR_NETWORK_CREATE_VALIDATE, NULL);
    if (!(obj = networkDriverCreateXML(netDriver, xml)))
        return NULL;
    ret = virGetNetwork(conn, obj->def->name, obj->def->uuid);
    virNetworkObjEndAPI(&obj);
    return ret;
}

static virNetworkPtr
networkCreateXML(virConnectPtr conn, const char *xml)
{
    return networkCreateXMLFlags(conn, xml, 0);
}

static virNetworkPtr
networkDefineXMLFlags(virConnectPtr conn, const char *xml, unsigned int flags)
{
    virNetworkObj *obj;
    virNetworkPtr ret;
    bool updated = false;

    virCheckFlags(VIR_NETWORK_DEFINE_VALIDATE, NULL);
    if (!(obj = networkDriverDefine(netDriver, xml, flags & VIR_NETWORK_DEFINE_VALIDATE,
                                    &updated)))
        return NULL;
    ret = virGetNetwork(conn, obj->def->name, obj->def->uuid);
    virNetworkObjEndAPI(&obj);
    return ret;
}

static virNetworkPtr
networkDefineXML(virConnectPtr conn, const char *xml)
{
    return networkDefineXMLFlags(conn, xml, 0);
}

/* Run @op on the object of @net (locked). */
#define NETWORK_OBJ_CALL(net, call)              \
    do {                                         \
        virNetworkObj *obj;                      \
        int ret;                                 \
                                                 \
        if (!(obj = networkObjFromNetwork(net))) \
            return -1;                           \
        ret = (call);                            \
        virNetworkObjEndAPI(&obj);               \
        return ret;                              \
    } while (0)

static int
networkUndefine(virNetworkPtr net)
{
    NETWORK_OBJ_CALL(net, networkDriverUndefine(netDriver, obj));
}

static int
networkUpdate(virNetworkPtr net, unsigned int command, unsigned int section,
              int parentIndex, const char *xml, unsigned int flags)
{
    virCheckFlags(VIR_NETWORK_UPDATE_AFFECT_LIVE | VIR_NETWORK_UPDATE_AFFECT_CONFIG, -1);
    NETWORK_OBJ_CALL(net, networkDriverUpdate(netDriver, obj, command, section,
                                              parentIndex, xml, flags));
}

static int
networkCreate(virNetworkPtr net)
{
    NETWORK_OBJ_CALL(net, networkDriverStart(netDriver, obj));
}

static int
networkDestroy(virNetworkPtr net)
{
    NETWORK_OBJ_CALL(net, networkDriverDestroy(netDriver, obj));
}

static int
networkSetAutostart(virNetworkPtr net, int autostart)
{
    NETWORK_OBJ_CALL(net, networkDriverSetAutostart(netDriver, obj, autostart != 0));
}

static int
networkGetAutostart(virNetworkPtr net, int *autostart)
{
    NETWORK_OBJ_CALL(net, (*autostart = obj->autostart, 0));
}

static int
networkIsActive(virNetworkPtr net)
{
    NETWORK_OBJ_CALL(net, obj->active ? 1 : 0);
}

static int
networkIsPersistent(virNetworkPtr net)
{
    NETWORK_OBJ_CALL(net, obj->persistent ? 1 : 0);
}

static char *
networkGetBridgeName(virNetworkPtr net)
{
    virNetworkObj *obj;
    char *ret = NULL;

    if (!(obj = networkObjFromNetwork(net)))
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
networkGetDHCPLeases(virNetworkPtr net, const char *mac, virNetworkDHCPLeasePtr **leases,
                     unsigned int flags)
{
    virNetworkObj *obj;
    g_autoptr(GPtrArray) found = NULL;
    g_autofree char *iface = NULL;
    int n;

    virCheckFlags(0, -1);
    if (!(obj = networkObjFromNetwork(net)))
        return -1;
    found = networkDriverGetLeases(netDriver, obj, mac);
    iface = g_strdup(obj->def->bridge ? obj->def->bridge : "");
    virNetworkObjEndAPI(&obj);
    if (!found)
        return -1;
    n = found->len;
    if (leases) {
        virNetworkDHCPLeasePtr *out = g_new0(virNetworkDHCPLeasePtr, n + 1);

        for (int i = 0; i < n; i++) {
            networkLease *l = g_ptr_array_index(found, i);
            virNetworkDHCPLeasePtr v = g_new0(virNetworkDHCPLease, 1);

            v->iface = g_strdup(iface);
            v->expirytime = l->expirytime;
            v->type =
                strchr(l->ipaddr, ':') ? VIR_IP_ADDR_TYPE_IPV6 : VIR_IP_ADDR_TYPE_IPV4;
            v->mac = g_strdup(l->mac);
            v->ipaddr = g_strdup(l->ipaddr);
            v->prefix = l->prefix;
            v->hostname = g_strdup(l->hostname);
            v->clientid = g_strdup(l->clientid);
            out[i] = v;
        }
        *leases = out;
    }
    return n;
}

static int
networkConnectNetworkEventRegisterAny(virConnectPtr conn, virNetworkPtr net, int eventID,
                                      virConnectNetworkEventGenericCallback cb,
                                      void *opaque, virFreeCallback freecb)
{
    return virNetworkEventStateRegisterID(conn, netEvents, net, eventID, cb, opaque,
                                          freecb);
}

static int
networkConnectNetworkEventDeregisterAny(virConnectPtr conn, int callbackID)
{
    return virObjectEventStateDeregisterKindID(conn, netEvents, VIR_EVENT_KIND_NETWORK,
                                               callbackID);
}

static const virNetworkDriver networkDriverTable = {
    .name = "bridge",
    .connectNumOfNetworks = networkConnectNumOfNetworks,
    .connectListNetworks = networkConnectListNetworks,
    .connectNumOfDefinedNetworks = networkConnectNumOfDefinedNetworks,
    .connectListDefinedNetworks = networkConnectListDefinedNetworks,
    .connectListAllNetworks = networkConnectListAllNetworks,
    .networkLookupByUUID = networkLookupByUUID,
    .networkLookupByName = networkLookupByName,
    .networkGetXMLDesc = networkGetXMLDesc,
    .connectNetworkEventRegisterAny = networkConnectNetworkEventRegisterAny,
    .connectNetworkEventDeregisterAny = networkConnectNetworkEventDeregisterAny,
    .networkCreateXML = networkCreateXML,
    .networkCreateXMLFlags = networkCreateXMLFlags,
    .networkDefineXML = networkDefineXML,
    .networkDefineXMLFlags = networkDefineXMLFlags,
    .networkUndefine = networkUndefine,
    .networkUpdate = networkUpdate,
    .networkCreate = networkCreate,
    .networkDestroy = networkDestroy,
    .networkGetBridgeName = networkGetBridgeName,
    .networkGetAutostart = networkGetAutostart,
    .networkSetAutostart = networkSetAutostart,
    .networkIsActive = networkIsActive,
    .networkIsPersistent = networkIsPersistent,
    .networkGetDHCPLeases = networkGetDHCPLeases,
    .networkListAllPorts = networkListAllPorts,
    .networkPortLookupByUUID = networkPortLookupByUUID,
    .networkPortCreateXML = networkPortCreateXML,
    .networkPortGetXMLDesc = networkPortGetXMLDesc,
    .networkPortGetParameters = networkPortGetParameters,
    .networkPortSetParameters = networkPortSetParameters,
    .networkPortDelete = networkPortDelete,
};

/* ---- state driver ----------------------------------------------------- */

static int
networkStateInitialize(const virStateDriverRoots *roots)
{
    const char *env = g_getenv("VIRTKIT_NETWORK_DEFAULT");
    /* libvirt's packages install the default network for the system
     * daemon; virtkit defines it on the first start of the real system
     * daemon only (a daemon on other folders, as the tests run it, gets it
     * with VIRTKIT_NETWORK_DEFAULT=1) */
    bool defineDefault =
        roots->privileged && g_strcmp0(roots->configDir, "/etc/virtkit") == 0;

    if (env)
        defineDefault = strcmp(env, "1") == 0;
    netEvents = virObjectEventStateNew();
    virObjectEventStateSetJournaled(netEvents); /* virtkitd's event journal */
    if (!(netDriver =
              networkDriverNew(roots->configDir, roots->stateDir, roots->runtimeDir,
                               roots->privileged, defineDefault))) {
        virObjectEventStateFree(g_steal_pointer(&netEvents));
        return -1;
    }
    netDriver->eventFunc = networkQueueEvent;
    virSetSharedNetworkDriver(&networkDriverTable);
    return 0;
}

typedef struct {
    virStateAutostartReport report;
    void *opaque;
} networkAutostartData;

static void
networkAutostartReport(const char *name, const virError *err, void *opaque)
{
    networkAutostartData *data = opaque;

    if (data->report)
        data->report("network", name, err, data->opaque);
}

static void
networkStateAutostart(virStateAutostartReport report, void *opaque)
{
    networkAutostartData data = { report, opaque };

    if (netDriver)
        networkDriverAutostart(netDriver, networkAutostartReport, &data);
}

static void
networkStateCleanup(void)
{
    virSetSharedNetworkDriver(NULL);
    networkDriverFree(g_steal_pointer(&netDriver));
    virObjectEventStateFree(g_steal_pointer(&netEvents));
}

static int
networkStateActiveCount(void)
{
    return netDriver ? networkDriverActiveCount(netDriver) : 0;
}

const virStateDriver networkStateDriver = {
    .name = "network",
    .stateInitialize = networkStateInitialize,
    .stateAutostart = networkStateAutostart,
    .stateCleanup = networkStateCleanup,
    .stateActiveCount = networkStateActiveCount,
};
