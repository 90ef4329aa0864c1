/* vksh-netport.c: net-port-list, net-port-create, net-port-dumpxml, net-port-delete (virsh 9.0's output) */
#define G_LOG_DOMAIN "vksh.netport"

#include <stdlib.h>
#include <string.h>

#include "vksh-xml.h"
#include "vksh.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC(virNetwork, virNetworkFree)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virNetworkPort, virNetworkPortFree)

/* virsh's virshCommandOptNetwork (by UUID, then by name). */
static virNetworkPtr
vkshNetportOptNetwork(vkshControl *ctl, const vkshCmd *cmd)
{
    const char *n = NULL;
    virNetworkPtr net = NULL;

    if (vkshOptString(ctl, cmd, "network", &n) <= 0)
        return NULL;
    if (strlen(n) == VIR_UUID_STRING_BUFLEN - 1)
        net = virNetworkLookupByUUIDString(ctl->conn, n);
    if (!net)
        net = virNetworkLookupByName(ctl->conn, n);
    if (!net)
        vkshError(ctl, "failed to get network '%s'", n);
    return net;
}

/* virsh's virshCommandOptNetworkPort. */
static virNetworkPortPtr
vkshNetportOptPort(vkshControl *ctl, const vkshCmd *cmd, virNetworkPtr net)
{
    const char *n = NULL;
    virNetworkPortPtr port;

    if (vkshOptString(ctl, cmd, "port", &n) <= 0)
        return NULL;
    if (!(port = virNetworkPortLookupByUUIDString(net, n)))
        vkshError(ctl, "failed to get network port '%s'", n);
    return port;
}

/* ---- net-port-list ------------------------------------------------------ */

const vkshOptDef vkshOptsNetPortList[] = {
    { "network", VKSH_OT_STRING, VKSH_OFLAG_REQ, "network name or uuid" },
    { "uuid", VKSH_OT_BOOL, 0, "list uuid's only" },
    { "table", VKSH_OT_BOOL, 0, "list table (default)" },
    { NULL, 0, 0, NULL },
};

static int
vkshPortSorter(const void *a, const void *b)
{
    virNetworkPortPtr pa = *(virNetworkPortPtr *)a;
    virNetworkPortPtr pb = *(virNetworkPortPtr *)b;
    char ua[VIR_UUID_STRING_BUFLEN], ub[VIR_UUID_STRING_BUFLEN];

    virNetworkPortGetUUIDString(pa, ua);
    virNetworkPortGetUUIDString(pb, ub);
    return strcmp(ua, ub);
}

bool
vkshCmdNetPortList(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virNetwork) net = NULL;
    bool optUUID = vkshOptBool(cmd, "uuid");
    bool optTable = vkshOptBool(cmd, "table");
    virNetworkPortPtr *ports = NULL;
    int n;

    if (optTable && optUUID) {
        vkshError(ctl, "%s",
                  "Only one argument from --table and --uuid may be specified.");
        return false;
    }
    if (!(net = vkshNetportOptNetwork(ctl, cmd)))
        return false;
    if ((n = virNetworkListAllPorts(net, &ports, 0)) < 0)
        return false;
    qsort(ports, n, sizeof(*ports), vkshPortSorter);
    if (!optUUID) {
        g_autoptr(GPtrArray) rows =
            g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);

        g_ptr_array_add(rows, g_strdupv((char *[]){ "UUID", NULL }));
        for (int i = 0; i < n; i++) {
            char uuid[VIR_UUID_STRING_BUFLEN];
            char **row = g_new0(char *, 2);

            virNetworkPortGetUUIDString(ports[i], uuid);
            row[0] = g_strdup(uuid);
            g_ptr_array_add(rows, row);
        }
        vkshTablePrint(ctl, rows, 1, !ctl->quiet);
    } else {
        for (int i = 0; i < n; i++) {
            char uuid[VIR_UUID_STRING_BUFLEN];

            virNetworkPortGetUUIDString(ports[i], uuid);
            vkshPrint(ctl, "%s\n", uuid);
        }
    }
    for (int i = 0; i < n; i++)
        virNetworkPortFree(ports[i]);
    free(ports);
    return true;
}

/* ---- net-port-create ---------------------------------------------------- */

const vkshOptDef vkshOptsNetPortCreate[] = {
    { "network", VKSH_OT_STRING, VKSH_OFLAG_REQ, "network name or uuid" },
    { "file", VKSH_OT_STRING, VKSH_OFLAG_REQ,
      "file containing an XML network port description" },
    { "validate", VKSH_OT_BOOL, 0, "validate the XML against the schema" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdNetPortCreate(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virNetwork) net = NULL;
    g_autoptr(virNetworkPort) port = NULL;
    g_autofree char *xml = NULL;
    const char *file = NULL;
    char uuid[VIR_UUID_STRING_BUFLEN];
    unsigned int flags = 0;

    if (!(net = vkshNetportOptNetwork(ctl, cmd)))
        return false;
    if (vkshOptString(ctl, cmd, "file", &file) <= 0)
        return false;
    if (vkshOptBool(cmd, "validate"))
        flags |= VIR_NETWORK_PORT_CREATE_VALIDATE;
    if (!(xml = vkshReadFile(ctl, file)))
        return false;
    if (!(port = virNetworkPortCreateXML(net, xml, flags))) {
        /* sic: virsh 9.0 says "network" here */
        vkshError(ctl, "Failed to create network from %s", file);
        return false;
    }
    virNetworkPortGetUUIDString(port, uuid);
    vkshPrintExtra(ctl, "Network port %s created from %s\n", uuid, file);
    return true;
}

/* ---- net-port-dumpxml --------------------------------------------------- */

const vkshOptDef vkshOptsNetPortDumpxml[] = {
    { "network", VKSH_OT_STRING, VKSH_OFLAG_REQ, "network name or uuid" },
    { "port", VKSH_OT_STRING, VKSH_OFLAG_REQ, "port UUID" },
    { "xpath", VKSH_OT_STRING, 0, "xpath expression to filter the XML document" },
    { "wrap", VKSH_OT_BOOL, 0, "wrap xpath results in an common root element" },
    { NULL, 0, 0, NULL },
};

/* virsh 9.0 answers success when the network or port lookup fails
 * (its ret starts true); only a failure to get the XML is a failure. */
bool
vkshCmdNetPortDumpxml(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virNetwork) net = NULL;
    g_autoptr(virNetworkPort) port = NULL;
    g_autofree char *xml = NULL;
    const char *xpath = NULL;

    if (!(net = vkshNetportOptNetwork(ctl, cmd)))
        return true;
    if (!(port = vkshNetportOptPort(ctl, cmd, net)))
        return true;
    if (vkshOptString(ctl, cmd, "xpath", &xpath) < 0)
        return false;
    if (!(xml = virNetworkPortGetXMLDesc(port, 0)))
        return false;
    if (xpath || vkshOptBool(cmd, "wrap"))
        return vkshXMLPrintXPath(ctl, xml, xpath, vkshOptBool(cmd, "wrap"));
    vkshPrint(ctl, "%s", xml);
    return true;
}

/* ---- net-port-delete ---------------------------------------------------- */

const vkshOptDef vkshOptsNetPortDelete[] = {
    { "network", VKSH_OT_STRING, VKSH_OFLAG_REQ, "network name or uuid" },
    { "port", VKSH_OT_STRING, VKSH_OFLAG_REQ, "port UUID" },
    { NULL, 0, 0, NULL },
};

/* As net-port-dumpxml, virsh 9.0 succeeds when a lookup fails. */
bool
vkshCmdNetPortDelete(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virNetwork) net = NULL;
    g_autoptr(virNetworkPort) port = NULL;
    char uuid[VIR_UUID_STRING_BUFLEN];

    if (!(net = vkshNetportOptNetwork(ctl, cmd)))
        return true;
    if (!(port = vkshNetportOptPort(ctl, cmd, net)))
        return true;
    if (virNetworkPortGetUUIDString(port, uuid) < 0)
        return false;
    if (virNetworkPortDelete(port, 0) < 0) {
        vkshError(ctl, "Failed to delete network port %s", uuid);
        return false;
    }
    vkshPrintExtra(ctl, "Network port %s deleted\n", uuid);
    return true;
}
