/* vksh-network.c: the net-* commands (virsh 9.0's Networking group) */

#define G_LOG_DOMAIN "vksh.network"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "vksh.h"
#include "vksh-xml.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC(virNetwork, virNetworkFree)

/* The network named by option "network" (a UUID as @byUUID allows, else a
 * name as @byName allows); NULL after "failed to get network 'X'" (the
 * library's reason stays to be shown after it, as virsh does). */
static virNetworkPtr
vkshCommandOptNetworkBy(vkshControl *ctl, const vkshCmd *cmd, const char **name,
                        bool byUUID, bool byName)
{
    const char *n = NULL;
    virNetworkPtr net = NULL;

    if (vkshOptString(ctl, cmd, "network", &n) <= 0)
        return NULL;
    if (name)
        *name = n;
    if (byUUID && strlen(n) == VIR_UUID_STRING_BUFLEN - 1)
        net = virNetworkLookupByUUIDString(ctl->conn, n);
    if (!net && byName)
        net = virNetworkLookupByName(ctl->conn, n);
    if (!net)
        vkshError(ctl, "failed to get network '%s'", n);
    return net;
}

static virNetworkPtr
vkshCommandOptNetwork(vkshControl *ctl, const vkshCmd *cmd, const char **name)
{
    return vkshCommandOptNetworkBy(ctl, cmd, name, true, true);
}

static const vkshOptDef optsNetwork[] = {
    { "network", VKSH_OT_STRING, VKSH_OFLAG_REQ, "network name or uuid" },
    { NULL, 0, 0, NULL },
};

static const vkshOptDef optsNetFile[] = {
    { "file", VKSH_OT_STRING, VKSH_OFLAG_REQ,
      "file containing an XML network description" },
    { "validate", VKSH_OT_BOOL, 0, "validate the XML against the schema" },
    { NULL, 0, 0, NULL },
};

/* ---- net-autostart --------------------------------------------------------- */

static const vkshOptDef optsNetAutostart[] = {
    { "network", VKSH_OT_STRING, VKSH_OFLAG_REQ, "network name or uuid" },
    { "disable", VKSH_OT_BOOL, 0, "disable autostarting" },
    { NULL, 0, 0, NULL },
};

static bool
cmdNetAutostart(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virNetwork) net = NULL;
    const char *name = NULL;
    bool disable = vkshOptBool(cmd, "disable");

    if (!(net = vkshCommandOptNetwork(ctl, cmd, &name)))
        return false;
    if (virNetworkSetAutostart(net, !disable) < 0) {
        if (disable)
            vkshError(ctl, "failed to unmark network %s as autostarted", name);
        else
            vkshError(ctl, "failed to mark network %s as autostarted", name);
        return false;
    }
    if (disable)
        vkshPrintExtra(ctl, "Network %s unmarked as autostarted\n", name);
    else
        vkshPrintExtra(ctl, "Network %s marked as autostarted\n", name);
    return true;
}

/* ---- net-create, net-define ---------------------------------------------- */

static bool
cmdNetCreate(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virNetwork) net = NULL;
    g_autofree char *xml = NULL;
    const char *file = NULL;
    unsigned int flags = 0;

    if (vkshOptString(ctl, cmd, "file", &file) <= 0)
        return false;
    if (vkshOptBool(cmd, "validate"))
        flags |= VIR_NETWORK_CREATE_VALIDATE;
    if (!(xml = vkshReadFile(ctl, file)))
        return false;
    if (flags)
        net = virNetworkCreateXMLFlags(ctl->conn, xml, flags);
    else
        net = virNetworkCreateXML(ctl->conn, xml);
    if (!net) {
        vkshError(ctl, "Failed to create network from %s", file);
        return false;
    }
    vkshPrintExtra(ctl, "Network %s created from %s\n", virNetworkGetName(net), file);
    return true;
}

static bool
cmdNetDefine(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virNetwork) net = NULL;
    g_autofree char *xml = NULL;
    const char *file = NULL;
    unsigned int flags = 0;

    if (vkshOptString(ctl, cmd, "file", &file) <= 0)
        return false;
    if (vkshOptBool(cmd, "validate"))
        flags |= VIR_NETWORK_DEFINE_VALIDATE;
    if (!(xml = vkshReadFile(ctl, file)))
        return false;
    if (flags)
        net = virNetworkDefineXMLFlags(ctl->conn, xml, flags);
    else
        net = virNetworkDefineXML(ctl->conn, xml);
    if (!net) {
        vkshError(ctl, "Failed to define network from %s", file);
        return false;
    }
    vkshPrintExtra(ctl, "Network %s defined from %s\n", virNetworkGetName(net), file);
    return true;
}

/* ---- net-destroy, net-start, net-undefine ------------------------------------ */

static bool
cmdNetDestroy(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virNetwork) net = NULL;
    const char *name = NULL;

    if (!(net = vkshCommandOptNetwork(ctl, cmd, &name)))
        return false;
    if (virNetworkDestroy(net) < 0) {
        vkshError(ctl, "Failed to destroy network %s", name);
        return false;
    }
    vkshPrintExtra(ctl, "Network %s destroyed\n", name);
    return true;
}

static bool
cmdNetStart(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virNetwork) net = NULL;
    const char *name = NULL;

    if (!(net = vkshCommandOptNetwork(ctl, cmd, &name)))
        return false;
    if (virNetworkCreate(net) < 0) {
        vkshError(ctl, "Failed to start network %s", name);
        return false;
    }
    vkshPrintExtra(ctl, "Network %s started\n", name);
    return true;
}

static bool
cmdNetUndefine(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virNetwork) net = NULL;
    const char *name = NULL;

    if (!(net = vkshCommandOptNetwork(ctl, cmd, &name)))
        return false;
    if (virNetworkUndefine(net) < 0) {
        vkshError(ctl, "Failed to undefine network %s", name);
        return false;
    }
    vkshPrint(ctl, "Network %s has been undefined\n", name);
    return true;
}

/* ---- net-dumpxml ------------------------------------------------------------ */

static const vkshOptDef optsNetDumpxml[] = {
    { "network", VKSH_OT_STRING, VKSH_OFLAG_REQ, "network name or uuid" },
    { "inactive", VKSH_OT_BOOL, 0, "show inactive defined XML" },
    { "xpath", VKSH_OT_STRING, 0, "xpath expression to filter the XML document" },
    { "wrap", VKSH_OT_BOOL, 0, "wrap xpath results in an common root element" },
    { NULL, 0, 0, NULL },
};

static bool
cmdNetDumpxml(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virNetwork) net = NULL;
    g_autofree char *xml = NULL;
    const char *xpath = NULL;
    unsigned int flags = 0;

    if (!(net = vkshCommandOptNetwork(ctl, cmd, NULL)))
        return false;
    if (vkshOptBool(cmd, "inactive"))
        flags |= VIR_NETWORK_XML_INACTIVE;
    if (vkshOptString(ctl, cmd, "xpath", &xpath) < 0)
        return false;
    if (!(xml = virNetworkGetXMLDesc(net, flags)))
        return false;
    if (xpath || vkshOptBool(cmd, "wrap"))
        return vkshXMLPrintXPath(ctl, xml, xpath, vkshOptBool(cmd, "wrap"));
    vkshPrint(ctl, "%s", xml);
    return true;
}

/* ---- net-info, net-name, net-uuid ------------------------------------------- */

static bool
cmdNetInfo(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virNetwork) net = NULL;
    char uuid[VIR_UUID_STRING_BUFLEN];
    int autostart = 0;
    int active, persistent;
    char *bridge;

    if (!(net = vkshCommandOptNetwork(ctl, cmd, NULL)))
        return false;
    vkshPrint(ctl, "%-15s %s\n", "Name:", virNetworkGetName(net));
    if (virNetworkGetUUIDString(net, uuid) == 0)
        vkshPrint(ctl, "%-15s %s\n", "UUID:", uuid);
    active = virNetworkIsActive(net);
    if (active >= 0)
        vkshPrint(ctl, "%-15s %s\n", "Active:", active ? "yes" : "no");
    persistent = virNetworkIsPersistent(net);
    if (persistent < 0)
        vkshPrint(ctl, "%-15s %s\n", "Persistent:", "unknown");
    else
        vkshPrint(ctl, "%-15s %s\n", "Persistent:", persistent ? "yes" : "no");
    if (virNetworkGetAutostart(net, &autostart) < 0)
        vkshPrint(ctl, "%-15s %s\n", "Autostart:", "no autostart");
    else
        vkshPrint(ctl, "%-15s %s\n", "Autostart:", autostart ? "yes" : "no");
    bridge = virNetworkGetBridgeName(net);
    if (bridge)
        vkshPrint(ctl, "%-15s %s\n", "Bridge:", bridge);
    free(bridge);
    /* a network without a bridge is not an error of net-info */
    vkshResetError();
    return true;
}

static const vkshOptDef optsNetName[] = {
    { "network", VKSH_OT_STRING, VKSH_OFLAG_REQ, "network uuid" },
    { NULL, 0, 0, NULL },
};

static bool
cmdNetName(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virNetwork) net = NULL;

    if (!(net = vkshCommandOptNetworkBy(ctl, cmd, NULL, true, false)))
        return false;
    vkshPrint(ctl, "%s\n", virNetworkGetName(net));
    return true;
}

static const vkshOptDef optsNetUuid[] = {
    { "network", VKSH_OT_STRING, VKSH_OFLAG_REQ, "network name" },
    { NULL, 0, 0, NULL },
};

static bool
cmdNetUuid(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virNetwork) net = NULL;
    char uuid[VIR_UUID_STRING_BUFLEN];

    if (!(net = vkshCommandOptNetworkBy(ctl, cmd, NULL, false, true)))
        return false;
    if (virNetworkGetUUIDString(net, uuid) < 0) {
        vkshError(ctl, "%s", "failed to get network UUID");
        return false;
    }
    vkshPrint(ctl, "%s\n", uuid);
    return true;
}

/* ---- net-list ----------------------------------------------------------------- */

static const vkshOptDef optsNetList[] = {
    { "inactive", VKSH_OT_BOOL, 0, "list inactive networks" },
    { "all", VKSH_OT_BOOL, 0, "list inactive & active networks" },
    { "persistent", VKSH_OT_BOOL, 0, "list persistent networks" },
    { "transient", VKSH_OT_BOOL, 0, "list transient networks" },
    { "autostart", VKSH_OT_BOOL, 0, "list networks with autostart enabled" },
    { "no-autostart", VKSH_OT_BOOL, 0, "list networks with autostart disabled" },
    { "uuid", VKSH_OT_BOOL, 0, "list uuid's only" },
    { "name", VKSH_OT_BOOL, 0, "list network names only" },
    { "table", VKSH_OT_BOOL, 0, "list table (default)" },
    { NULL, 0, 0, NULL },
};

static int
vkshNetworkSorter(const void *a, const void *b)
{
    virNetworkPtr na = *(virNetworkPtr const *)a;
    virNetworkPtr nb = *(virNetworkPtr const *)b;

    return strcasecmp(virNetworkGetName(na), virNetworkGetName(nb));
}

static bool
cmdNetList(vkshControl *ctl, const vkshCmd *cmd)
{
    static const struct {
        const char *opt;
        unsigned int flag;
    } filters[] = {
        { "persistent", VIR_CONNECT_LIST_NETWORKS_PERSISTENT },
        { "transient", VIR_CONNECT_LIST_NETWORKS_TRANSIENT },
        { "autostart", VIR_CONNECT_LIST_NETWORKS_AUTOSTART },
        { "no-autostart", VIR_CONNECT_LIST_NETWORKS_NO_AUTOSTART },
    };
    bool optUUID = vkshOptBool(cmd, "uuid");
    bool optName = vkshOptBool(cmd, "name");
    bool optTable = vkshOptBool(cmd, "table");
    unsigned int flags = VIR_CONNECT_LIST_NETWORKS_ACTIVE;
    virNetworkPtr *nets = NULL;
    int n;

    if (vkshOptBool(cmd, "inactive"))
        flags = VIR_CONNECT_LIST_NETWORKS_INACTIVE;
    if (vkshOptBool(cmd, "all"))
        flags = VIR_CONNECT_LIST_NETWORKS_ACTIVE | VIR_CONNECT_LIST_NETWORKS_INACTIVE;
    for (size_t i = 0; i < G_N_ELEMENTS(filters); i++) {
        if (vkshOptBool(cmd, filters[i].opt))
            flags |= filters[i].flag;
    }
    if (optTable + optName + optUUID > 1) {
        vkshError(ctl, "%s",
                  "Only one argument from --table, --name and --uuid may be specified.");
        return false;
    }
    if (!optUUID && !optName)
        optTable = true;

    if ((n = virConnectListAllNetworks(ctl->conn, &nets, flags)) < 0) {
        vkshError(ctl, "%s", "Failed to list networks");
        return false;
    }
    qsort(nets, n, sizeof(*nets), vkshNetworkSorter);

    if (optTable) {
        g_autoptr(GPtrArray) rows =
            g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);

        g_ptr_array_add(rows, g_strdupv((char *[]){ "Name", "State", "Autostart",
                                                    "Persistent", NULL }));
        for (int i = 0; i < n; i++) {
            char **row = g_new0(char *, 5);
            int autostart = 0;
            int persistent = virNetworkIsPersistent(nets[i]);
            int active = virNetworkIsActive(nets[i]);

            row[0] = g_strdup(virNetworkGetName(nets[i]));
            row[1] = g_strdup(active ? "active" : "inactive");
            if (virNetworkGetAutostart(nets[i], &autostart) < 0)
                row[2] = g_strdup("no autostart");
            else
                row[2] = g_strdup(autostart ? "yes" : "no");
            row[3] = g_strdup(persistent ? "yes" : "no");
            g_ptr_array_add(rows, row);
        }
        vkshTablePrint(ctl, rows, 4, !ctl->quiet);
    } else {
        for (int i = 0; i < n; i++) {
            char uuid[VIR_UUID_STRING_BUFLEN];

            if (optUUID) {
                if (virNetworkGetUUIDString(nets[i], uuid) == 0)
                    vkshPrint(ctl, "%s\n", uuid);
            } else {
                vkshPrint(ctl, "%s\n", virNetworkGetName(nets[i]));
            }
        }
    }
    for (int i = 0; i < n; i++)
        virNetworkFree(nets[i]);
    free(nets);
    return true;
}

/* ---- net-update ----------------------------------------------------------------- */

static const vkshOptDef optsNetUpdate[] = {
    { "network", VKSH_OT_STRING, VKSH_OFLAG_REQ, "network name or uuid" },
    { "command", VKSH_OT_STRING, VKSH_OFLAG_REQ,
      "type of update (add-first, add-last (add), delete, or modify)" },
    { "section", VKSH_OT_STRING, VKSH_OFLAG_REQ,
      "which section of network configuration to update" },
    { "xml", VKSH_OT_STRING, VKSH_OFLAG_REQ,
      "name of file containing xml (or, if it starts with '<', the complete xml element "
      "itself) to add/modify, or to be matched for search" },
    { "parent-index", VKSH_OT_INT, 0, "which parent object to search through" },
    { "config", VKSH_OT_BOOL, 0, "affect next network startup" },
    { "live", VKSH_OT_BOOL, 0, "affect running network" },
    { "current", VKSH_OT_BOOL, 0, "affect current state of network" },
    { NULL, 0, 0, NULL },
};

static bool
cmdNetUpdate(vkshControl *ctl, const vkshCmd *cmd)
{
    static const char *const commands[] = { "none",     "modify",    "delete",
                                            "add-last", "add-first", NULL };
    static const char *const sections[] = {
        "none",         "bridge",
        "domain",       "ip",
        "ip-dhcp-host", "ip-dhcp-range",
        "forward",      "forward-interface",
        "forward-pf",   "portgroup",
        "dns-host",     "dns-txt",
        "dns-srv",      NULL,
    };
    g_autoptr(virNetwork) net = NULL;
    g_autofree char *xmlFromFile = NULL;
    const char *name = NULL;
    const char *commandStr = NULL;
    const char *sectionStr = NULL;
    const char *xml = NULL;
    int command = -1;
    int section = -1;
    int parentIndex = -1;
    bool config = vkshOptBool(cmd, "config");
    bool live = vkshOptBool(cmd, "live");
    bool current = vkshOptBool(cmd, "current");
    unsigned int flags = VIR_NETWORK_UPDATE_AFFECT_CURRENT;

    if (!vkshOptExclusive(ctl, cmd, "current", "live") ||
        !vkshOptExclusive(ctl, cmd, "current", "config"))
        return false;
    if (!(net = vkshCommandOptNetwork(ctl, cmd, &name)))
        return false;
    if (vkshOptString(ctl, cmd, "command", &commandStr) <= 0)
        return false;
    if (strcmp(commandStr, "add") == 0) {
        command = VIR_NETWORK_UPDATE_COMMAND_ADD_LAST;
    } else {
        for (int i = 0; commands[i]; i++) {
            if (strcmp(commands[i], commandStr) == 0)
                command = i;
        }
    }
    if (command <= 0) {
        vkshError(ctl, "unrecognized command name '%s'", commandStr);
        return false;
    }
    if (vkshOptString(ctl, cmd, "section", &sectionStr) <= 0)
        return false;
    for (int i = 0; sections[i]; i++) {
        if (strcmp(sections[i], sectionStr) == 0)
            section = i;
    }
    if (section <= 0) {
        vkshError(ctl, "unrecognized section name '%s'", sectionStr);
        return false;
    }
    if (vkshOptInt(ctl, cmd, "parent-index", &parentIndex) < 0)
        return false;
    if (vkshOptString(ctl, cmd, "xml", &xml) <= 0)
        return false;
    if (*xml != '<') {
        if (!(xmlFromFile = vkshReadFile(ctl, xml)))
            return false;
        xml = xmlFromFile;
    }
    if (!current) {
        if (config)
            flags |= VIR_NETWORK_UPDATE_AFFECT_CONFIG;
        if (live)
            flags |= VIR_NETWORK_UPDATE_AFFECT_LIVE;
    }
    if (virNetworkUpdate(net, command, section, parentIndex, xml, flags) < 0) {
        vkshError(ctl, "Failed to update network %s", virNetworkGetName(net));
        return false;
    }
    /* virsh prints these without a newline: the one after every command ends them */
    if (config) {
        if (live)
            vkshPrintExtra(ctl, "Updated network %s persistent config and live state",
                           virNetworkGetName(net));
        else
            vkshPrintExtra(ctl, "Updated network %s persistent config",
                           virNetworkGetName(net));
    } else if (live || virNetworkIsActive(net) == 1) {
        vkshPrintExtra(ctl, "Updated network %s live state", virNetworkGetName(net));
    } else {
        vkshPrintExtra(ctl, "Updated network %s persistent config",
                       virNetworkGetName(net));
    }
    return true;
}

/* ---- net-dhcp-leases -------------------------------------------------------------- */

static const vkshOptDef optsNetDhcpLeases[] = {
    { "network", VKSH_OT_STRING, VKSH_OFLAG_REQ, "network name or uuid" },
    { "mac", VKSH_OT_STRING, 0, "MAC address" },
    { NULL, 0, 0, NULL },
};

static int
vkshLeaseSorter(const void *a, const void *b)
{
    virNetworkDHCPLeasePtr la = *(virNetworkDHCPLeasePtr const *)a;
    virNetworkDHCPLeasePtr lb = *(virNetworkDHCPLeasePtr const *)b;

    return g_strcmp0(la->mac, lb->mac);
}

static bool
cmdNetDhcpLeases(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virNetwork) net = NULL;
    g_autoptr(GPtrArray) rows =
        g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
    virNetworkDHCPLeasePtr *leases = NULL;
    const char *name = NULL;
    const char *mac = NULL;
    int n;

    if (vkshOptString(ctl, cmd, "mac", &mac) < 0)
        return false;
    if (!(net = vkshCommandOptNetwork(ctl, cmd, &name)))
        return false;
    if ((n = virNetworkGetDHCPLeases(net, mac, &leases, 0)) < 0) {
        vkshError(ctl, "Failed to get leases info for %s", name);
        return false;
    }
    qsort(leases, n, sizeof(*leases), vkshLeaseSorter);
    g_ptr_array_add(rows, g_strdupv((char *[]){ "Expiry Time", "MAC address", "Protocol",
                                                "IP address", "Hostname",
                                                "Client ID or DUID", NULL }));
    for (int i = 0; i < n; i++) {
        virNetworkDHCPLeasePtr l = leases[i];
        char **row = g_new0(char *, 7);
        char expiry[64];
        time_t t = l->expirytime;
        struct tm tm;

        localtime_r(&t, &tm);
        strftime(expiry, sizeof(expiry), "%Y-%m-%d %H:%M:%S", &tm);
        row[0] = g_strdup(expiry);
        row[1] = g_strdup(l->mac ? l->mac : "");
        row[2] = g_strdup(l->type == VIR_IP_ADDR_TYPE_IPV4   ? "ipv4"
                          : l->type == VIR_IP_ADDR_TYPE_IPV6 ? "ipv6"
                                                             : "");
        row[3] = g_strdup_printf("%s/%u", l->ipaddr, l->prefix);
        row[4] = g_strdup(l->hostname ? l->hostname : "-");
        row[5] = g_strdup(l->clientid ? l->clientid : "-");
        g_ptr_array_add(rows, row);
        virNetworkDHCPLeaseFree(l);
    }
    free(leases);
    vkshTablePrint(ctl, rows, 6, !ctl->quiet);
    return true;
}

/* ---- net-edit: virsh's edit loop (vksh-edit.c) ------------------------------------ */

static char *
netEditGet(void *opaque)
{
    char *xml = virNetworkGetXMLDesc(opaque, VIR_NETWORK_XML_INACTIVE);

    /* as virsh: a server that refuses the flag is asked again without it */
    if (!xml && vkshLastErrorCode() == VIR_ERR_INVALID_ARG) {
        vkshResetError();
        xml = virNetworkGetXMLDesc(opaque, 0);
    }
    return xml;
}

static bool
netEditDefine(void *opaque, const char *xml, char **name)
{
    virNetworkPtr net = virNetworkDefineXML(virNetworkGetConnect(opaque), xml);

    if (!net)
        return false;
    *name = g_strdup(virNetworkGetName(net));
    virNetworkFree(net);
    return true;
}

static bool
cmdNetEdit(vkshControl *ctl, const vkshCmd *cmd)
{
    static const vkshEditOps ops = { netEditGet, netEditDefine };
    g_autoptr(virNetwork) net = NULL;
    g_autofree char *name = NULL;
    int rc;

    if (!(net = vkshCommandOptNetwork(ctl, cmd, NULL)))
        return false;
    if ((rc = vkshEditRun(ctl, &ops, net, &name)) < 0)
        return false;
    if (rc == 0)
        vkshPrintExtra(ctl, "Network %s XML configuration not changed.\n",
                       virNetworkGetName(net));
    else
        vkshPrintExtra(ctl, "Network %s XML configuration edited.\n",
                       name ? name : "(null)");
    return true;
}

const vkshCmdDef vkshNetworkCmds[] = {
    { "net-autostart", cmdNetAutostart, optsNetAutostart, "autostart a network",
      "Configure a network to be automatically started at boot.", 0 },
    { "net-create", cmdNetCreate, optsNetFile, "create a network from an XML file",
      "Create a network.", 0 },
    { "net-define", cmdNetDefine, optsNetFile,
      "define an inactive persistent virtual network or modify an existing persistent one "
      "from an XML file",
      "Define or modify a persistent virtual network.", 0 },
    { "net-destroy", cmdNetDestroy, optsNetwork, "destroy (stop) a network",
      "Forcefully stop a given network.", 0 },
    { "net-dhcp-leases", cmdNetDhcpLeases, optsNetDhcpLeases,
      "print lease info for a given network", "Print lease info for a given network", 0 },
    { "net-dumpxml", cmdNetDumpxml, optsNetDumpxml, "network information in XML",
      "Output the network information as an XML dump to stdout.", 0 },
    { "net-edit", cmdNetEdit, optsNetwork, "edit XML configuration for a network",
      "Edit the XML configuration for a network.", 0 },
    { "net-event", vkshCmdNetEvent, vkshOptsNetEvent, "Network Events",
      "List event types, or wait for network events to occur", 0 },
    { "net-info", cmdNetInfo, optsNetwork, "network information",
      "Returns basic information about the network", 0 },
    { "net-list", cmdNetList, optsNetList, "list networks", "Returns list of networks.",
      0 },
    { "net-name", cmdNetName, optsNetName, "convert a network UUID to network name", NULL,
      0 },
    { "net-start", cmdNetStart, optsNetwork,
      "start a (previously defined) inactive network", "Start a network.", 0 },
    { "net-undefine", cmdNetUndefine, optsNetwork, "undefine a persistent network",
      "Undefine the configuration for a persistent network.", 0 },
    { "net-update", cmdNetUpdate, optsNetUpdate,
      "update parts of an existing network's configuration", NULL, 0 },
    { "net-uuid", cmdNetUuid, optsNetUuid, "convert a network name to network UUID", NULL,
      0 },
    { "net-port-list", vkshCmdNetPortList, vkshOptsNetPortList, "list network ports",
      "Returns list of network ports.", 0 },
    { "net-port-create", vkshCmdNetPortCreate, vkshOptsNetPortCreate,
      "create a network port from an XML file", "Create a network port.", 0 },
    { "net-port-dumpxml", vkshCmdNetPortDumpxml, vkshOptsNetPortDumpxml,
      "network port information in XML",
      "Output the network port information as an XML dump to stdout.", 0 },
    { "net-port-delete", vkshCmdNetPortDelete, vkshOptsNetPortDelete,
      "delete the specified network port", "Delete the specified network port.", 0 },
    { NULL, NULL, NULL, NULL, NULL, 0 },
};
