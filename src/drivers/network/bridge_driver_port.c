/* bridge_driver_port.c: network ports (libvirt's virNetworkPort*): a guest interface's place on a network, kept across daemon restarts */

/*
 * Threads: the entry points run on the daemon's workers. A network's
 * ports live in its object's privateData (a GPtrArray of
 * virNetworkPortDef), read and changed with the object locked; creating,
 * changing and deleting one also holds the object's busy flag so that it
 * never interleaves with a start or a destroy (which drops the lock while
 * it runs helpers).
 *
 * Files: <runtime>/network/NAME.ports/UUID.xml, one per port, written
 * before the call returns; read back when a restarted daemon adopts the
 * running network; removed with the network's other runtime files when
 * it stops (libvirt deletes a network's ports when it is destroyed).
 */

#define G_LOG_DOMAIN "virtkit.network.port"

#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

#include "bridge_driver_priv.h"
#include "driver.h"
#include "network_port_conf.h"
#include "virerror.h"
#include "virfile.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_NETWORK

static GPtrArray *
portsOf(virNetworkObj *obj)
{
    if (!obj->privateData) {
        obj->privateData =
            g_ptr_array_new_with_free_func((GDestroyNotify)virNetworkPortDefFree);
        obj->privateDataFree = (GDestroyNotify)g_ptr_array_unref;
    }
    return obj->privateData;
}

static char *
portsDir(networkDriver *driver, const char *name)
{
    return g_strdup_printf("%s/%s.ports", driver->runDir, name);
}

static virNetworkPortDef *
portFind(virNetworkObj *obj, const unsigned char *uuid)
{
    GPtrArray *ports = portsOf(obj);

    for (guint i = 0; i < ports->len; i++) {
        virNetworkPortDef *p = g_ptr_array_index(ports, i);

        if (memcmp(p->uuid, uuid, VIR_UUID_BUFLEN) == 0)
            return p;
    }
    return NULL;
}

static void
reportNoPort(const unsigned char *uuid)
{
    char str[VIR_UUID_STRING_BUFLEN];

    virUUIDFormat(uuid, str);
    virReportError(VIR_ERR_NO_NETWORK_PORT, "Network port with UUID %s does not exist",
                   str);
}

void
networkPortsLoad(networkDriver *driver, virNetworkObj *obj)
{
    g_autofree char *dir = portsDir(driver, obj->def->name);
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    GPtrArray *ports = portsOf(obj);
    const char *entry;

    if (!d)
        return;
    virFileRemoveAtomicLeftovers(dir, ".xml");
    while ((entry = g_dir_read_name(d))) {
        g_autofree char *path = NULL;
        virNetworkPortDef *def;

        if (!g_str_has_suffix(entry, ".xml") || entry[0] == '.')
            continue;
        path = g_strdup_printf("%s/%s", dir, entry);
        if (!(def = virNetworkPortDefParseFile(path))) {
            VIR_NOTICE("network '%s': cannot load port '%s': %s", obj->def->name, path,
                       virGetLastErrorMessage());
            continue;
        }
        if (portFind(obj, def->uuid)) {
            virNetworkPortDefFree(def);
            continue;
        }
        g_ptr_array_add(ports, def);
    }
    obj->def->connections = ports->len;
}

void
networkPortsRemoveAll(networkDriver *driver, const char *name)
{
    g_autofree char *dir = portsDir(driver, name);
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    const char *entry;

    if (!d)
        return;
    while ((entry = g_dir_read_name(d))) {
        g_autofree char *path = g_strdup_printf("%s/%s", dir, entry);

        g_unlink(path);
    }
    g_rmdir(dir);
}

void
networkPortsClear(virNetworkObj *obj)
{
    if (obj->privateData)
        g_ptr_array_set_size(obj->privateData, 0);
}

/* ---- entry points ----------------------------------------------------- */

static virNetworkObj *
portNetObj(networkDriver *driver, virNetworkPtr net)
{
    virNetworkObj *obj = virNetworkObjListFindByUUID(driver->networks, net->uuid);

    if (!obj)
        networkReportNoNetworkUUID(net->uuid, net->name);
    return obj;
}

int
networkListAllPorts(virNetworkPtr net, virNetworkPortPtr **ports, unsigned int flags)
{
    networkDriver *driver = networkDriverInstance();
    virNetworkObj *obj;
    GPtrArray *list;
    int n;

    virCheckFlags(0, -1);
    if (!(obj = portNetObj(driver, net)))
        return -1;
    list = portsOf(obj);
    n = list->len;
    if (ports) {
        virNetworkPortPtr *out = g_new0(virNetworkPortPtr, n + 1);

        for (int i = 0; i < n; i++) {
            virNetworkPortDef *p = g_ptr_array_index(list, i);

            out[i] = virGetNetworkPort(net, p->uuid);
        }
        *ports = out;
    }
    virNetworkObjEndAPI(&obj);
    return n;
}

virNetworkPortPtr
networkPortLookupByUUID(virNetworkPtr net, const unsigned char *uuid)
{
    networkDriver *driver = networkDriverInstance();
    virNetworkObj *obj;
    virNetworkPortPtr ret = NULL;

    if (!(obj = portNetObj(driver, net)))
        return NULL;
    if (portFind(obj, uuid))
        ret = virGetNetworkPort(net, uuid);
    else
        reportNoPort(uuid);
    virNetworkObjEndAPI(&obj);
    return ret;
}

/* libvirt's networkAllocatePort for the modes virtkit runs: the plug is
 * the network's bridge. */
static int
portAllocate(const virNetworkDef *netdef, virNetworkPortDef *port)
{
    switch (netdef->forwardType) {
    case VIR_NETWORK_FORWARD_NONE:
    case VIR_NETWORK_FORWARD_NAT:
    case VIR_NETWORK_FORWARD_ROUTE:
    case VIR_NETWORK_FORWARD_OPEN:
        port->plugtype = VIR_NETWORK_PORT_PLUG_TYPE_NETWORK;
        break;
    case VIR_NETWORK_FORWARD_BRIDGE:
        if (!netdef->bridge) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "network '%s' has no bridge for a port", netdef->name);
            return -1;
        }
        port->plugtype = VIR_NETWORK_PORT_PLUG_TYPE_BRIDGE;
        break;
    default:
        virReportError(
            VIR_ERR_CONFIG_UNSUPPORTED,
            "ports of a network in forward mode '%s' are not supported by virtkit",
            virNetworkForwardTypeToString(netdef->forwardType));
        return -1;
    }
    g_free(port->bridge);
    port->bridge = g_strdup(netdef->bridge);
    return 0;
}

virNetworkPortPtr
networkPortCreateXML(virNetworkPtr net, const char *xml, unsigned int flags)
{
    networkDriver *driver = networkDriverInstance();
    g_autoptr(virNetworkPortDef) def = NULL;
    g_autofree char *dir = NULL;
    virNetworkPortPtr ret = NULL;
    virNetworkObj *obj;
    char uuid[VIR_UUID_STRING_BUFLEN];

    virCheckFlags(VIR_NETWORK_PORT_CREATE_RECLAIM | VIR_NETWORK_PORT_CREATE_VALIDATE,
                  NULL);
    if (!(obj = portNetObj(driver, net)))
        return NULL;
    if (!(def = virNetworkPortDefParseString(xml)))
        goto cleanup;
    virNetworkObjBeginBusy(obj);
    if (!obj->active) {
        virReportError(VIR_ERR_OPERATION_INVALID, "network '%s' is not active",
                       obj->def->name);
        goto endbusy;
    }
    if (def->plugtype == VIR_NETWORK_PORT_PLUG_TYPE_NONE) {
        if (flags & VIR_NETWORK_PORT_CREATE_RECLAIM) {
            virReportError(VIR_ERR_INVALID_ARG, "%s",
                           "Port reclaim requested but plug type is none");
            goto endbusy;
        }
        if (portAllocate(obj->def, def) < 0)
            goto endbusy;
    } else if (!(flags & VIR_NETWORK_PORT_CREATE_RECLAIM)) {
        virReportError(VIR_ERR_INVALID_ARG, "%s",
                       "Port reclaim not requested but plug type is not none");
        goto endbusy;
    }
    if (portFind(obj, def->uuid)) {
        virUUIDFormat(def->uuid, uuid);
        virReportError(VIR_ERR_NETWORK_PORT_EXIST,
                       "Network port with UUID %s already exists", uuid);
        goto endbusy;
    }
    dir = portsDir(driver, obj->def->name);
    if (virNetworkPortDefSaveStatus(dir, def) < 0)
        goto endbusy;
    ret = virGetNetworkPort(net, def->uuid);
    g_ptr_array_add(portsOf(obj), g_steal_pointer(&def));
    obj->def->connections = portsOf(obj)->len;

endbusy:
    virNetworkObjEndBusy(obj);
cleanup:
    virNetworkObjEndAPI(&obj);
    return ret;
}

/* The port behind @port: its network object (locked, referenced; release
 * with virNetworkObjEndAPI) in *@objp and the definition, or NULL with
 * NO_NETWORK / NO_NETWORK_PORT reported. */
static virNetworkPortDef *
portFromHandle(networkDriver *driver, virNetworkPortPtr port, virNetworkObj **objp)
{
    virNetworkPortDef *def;

    if (!(*objp = portNetObj(driver, port->net)))
        return NULL;
    if (!(def = portFind(*objp, port->uuid))) {
        reportNoPort(port->uuid);
        virNetworkObjEndAPI(objp);
    }
    return def;
}

char *
networkPortGetXMLDesc(virNetworkPortPtr port, unsigned int flags)
{
    networkDriver *driver = networkDriverInstance();
    virNetworkObj *obj = NULL;
    virNetworkPortDef *def;
    char *ret;

    virCheckFlags(0, NULL);
    if (!(def = portFromHandle(driver, port, &obj)))
        return NULL;
    ret = virNetworkPortDefFormat(def);
    virNetworkObjEndAPI(&obj);
    return ret;
}

static void
paramSet(virTypedParameterPtr p, const char *field, unsigned long long value)
{
    g_strlcpy(p->field, field, VIR_TYPED_PARAM_FIELD_LENGTH);
    p->type = VIR_TYPED_PARAM_UINT;
    p->value.ui = (unsigned int)value;
}

int
networkPortGetParameters(virNetworkPortPtr port, virTypedParameterPtr *params,
                         int *nparams, unsigned int flags)
{
    networkDriver *driver = networkDriverInstance();
    virNetworkObj *obj = NULL;
    virNetworkPortDef *def;
    virTypedParameterPtr out;
    int n = 0;

    virCheckFlags(0, -1);
    if (!(def = portFromHandle(driver, port, &obj)))
        return -1;
    /* as libvirt 9.0: the rates of the directions that have one, floor 0 */
    out = g_new0(virTypedParameter, 7);
    if (def->hasBandwidth && def->hasIn) {
        paramSet(&out[n++], VIR_NETWORK_PORT_BANDWIDTH_IN_AVERAGE, def->in.average);
        paramSet(&out[n++], VIR_NETWORK_PORT_BANDWIDTH_IN_PEAK, def->in.peak);
        paramSet(&out[n++], VIR_NETWORK_PORT_BANDWIDTH_IN_FLOOR, 0);
        paramSet(&out[n++], VIR_NETWORK_PORT_BANDWIDTH_IN_BURST, def->in.burst);
    }
    if (def->hasBandwidth && def->hasOut) {
        paramSet(&out[n++], VIR_NETWORK_PORT_BANDWIDTH_OUT_AVERAGE, def->out.average);
        paramSet(&out[n++], VIR_NETWORK_PORT_BANDWIDTH_OUT_PEAK, def->out.peak);
        paramSet(&out[n++], VIR_NETWORK_PORT_BANDWIDTH_OUT_BURST, def->out.burst);
    }
    virNetworkObjEndAPI(&obj);
    *params = out;
    *nparams = n;
    return 0;
}

static const char *const portParamNames[] = {
    VIR_NETWORK_PORT_BANDWIDTH_IN_AVERAGE,  VIR_NETWORK_PORT_BANDWIDTH_IN_PEAK,
    VIR_NETWORK_PORT_BANDWIDTH_IN_BURST,    VIR_NETWORK_PORT_BANDWIDTH_IN_FLOOR,
    VIR_NETWORK_PORT_BANDWIDTH_OUT_AVERAGE, VIR_NETWORK_PORT_BANDWIDTH_OUT_PEAK,
    VIR_NETWORK_PORT_BANDWIDTH_OUT_BURST,   NULL,
};

/* libvirt's virTypedParamsValidate for the port's names, all UINT. */
static int
portParamsValidate(virTypedParameterPtr params, int nparams)
{
    for (int i = 0; i < nparams; i++) {
        bool known = false;

        for (size_t k = 0; portParamNames[k]; k++)
            known |= strcmp(params[i].field, portParamNames[k]) == 0;
        if (!known) {
            virReportErrorFull(VIR_FROM_NONE, VIR_ERR_INVALID_ARG, __func__,
                               "parameter '%s' not supported", params[i].field);
            return -1;
        }
        if (params[i].type != VIR_TYPED_PARAM_UINT) {
            virReportErrorFull(VIR_FROM_NONE, VIR_ERR_INVALID_ARG, __func__,
                               "invalid type '%d' for parameter '%s', expected 'uint'",
                               params[i].type, params[i].field);
            return -1;
        }
        for (int j = 0; j < i; j++) {
            if (strcmp(params[i].field, params[j].field) == 0) {
                virReportErrorFull(VIR_FROM_NONE, VIR_ERR_INVALID_ARG, __func__,
                                   "parameter '%s' occurs multiple times",
                                   params[i].field);
                return -1;
            }
        }
    }
    return 0;
}

int
networkPortSetParameters(virNetworkPortPtr port, virTypedParameterPtr params, int nparams,
                         unsigned int flags)
{
    networkDriver *driver = networkDriverInstance();
    virNetworkObj *obj = NULL;
    virNetworkPortDef *def;
    virNetworkPortRate in = { 0 }, out = { 0 };
    unsigned long long floor = 0;
    g_autofree char *dir = NULL;
    virNetworkPortDef saved;
    int ret = -1;

    virCheckFlags(0, -1);
    if (portParamsValidate(params, nparams) < 0)
        return -1;
    for (int i = 0; i < nparams; i++) {
        const char *f = params[i].field;
        unsigned int v = params[i].value.ui;

        if (strcmp(f, VIR_NETWORK_PORT_BANDWIDTH_IN_AVERAGE) == 0)
            in.average = v;
        else if (strcmp(f, VIR_NETWORK_PORT_BANDWIDTH_IN_PEAK) == 0)
            in.peak = v;
        else if (strcmp(f, VIR_NETWORK_PORT_BANDWIDTH_IN_BURST) == 0)
            in.burst = v;
        else if (strcmp(f, VIR_NETWORK_PORT_BANDWIDTH_IN_FLOOR) == 0)
            floor = v;
        else if (strcmp(f, VIR_NETWORK_PORT_BANDWIDTH_OUT_AVERAGE) == 0)
            out.average = v;
        else if (strcmp(f, VIR_NETWORK_PORT_BANDWIDTH_OUT_PEAK) == 0)
            out.peak = v;
        else if (strcmp(f, VIR_NETWORK_PORT_BANDWIDTH_OUT_BURST) == 0)
            out.burst = v;
    }
    if (floor) {
        /* a guaranteed minimum needs QoS classes on the network's bridge */
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "bandwidth floor is not supported by virtkit");
        return -1;
    }
    if (!(def = portFromHandle(driver, port, &obj)))
        return -1;
    virNetworkObjBeginBusy(obj);
    /* the object may have changed while waiting */
    if (!(def = portFind(obj, port->uuid))) {
        reportNoPort(port->uuid);
        goto endbusy;
    }
    saved = *def;
    /* as libvirt: the new settings replace the old ones; a direction
     * without an average is dropped */
    def->hasBandwidth = true;
    def->hasIn = in.average != 0;
    def->in = in;
    def->hasOut = out.average != 0;
    def->out = out;
    dir = portsDir(driver, obj->def->name);
    if (virNetworkPortDefSaveStatus(dir, def) < 0) {
        *def = saved;
        goto endbusy;
    }
    ret = 0;

endbusy:
    virNetworkObjEndBusy(obj);
    virNetworkObjEndAPI(&obj);
    return ret;
}

int
networkPortDelete(virNetworkPortPtr port, unsigned int flags)
{
    networkDriver *driver = networkDriverInstance();
    virNetworkObj *obj = NULL;
    virNetworkPortDef *def;
    g_autofree char *dir = NULL;
    int ret = -1;

    virCheckFlags(0, -1);
    if (!(def = portFromHandle(driver, port, &obj)))
        return -1;
    virNetworkObjBeginBusy(obj);
    if (!(def = portFind(obj, port->uuid))) {
        reportNoPort(port->uuid);
        goto endbusy;
    }
    dir = portsDir(driver, obj->def->name);
    if (virNetworkPortDefDeleteStatus(dir, def->uuid) < 0)
        goto endbusy;
    g_ptr_array_remove(portsOf(obj), def);
    obj->def->connections = portsOf(obj)->len;
    ret = 0;

endbusy:
    virNetworkObjEndBusy(obj);
    virNetworkObjEndAPI(&obj);
    return ret;
}
