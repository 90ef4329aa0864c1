/* vksh-interface.c: host interface commands (iface-list, iface-dumpxml, iface-mac, iface-name, iface-define/-undefine/-start/-destroy, iface-begin/-commit/-rollback) as virsh 9.0 */

#define G_LOG_DOMAIN "vksh.interface"
#include <stdlib.h>
#include <string.h>

#include "vksh.h"
#include "vksh-xml.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC(virInterface, virInterfaceFree)

static void
vkshInterfaceRelease(gpointer iface)
{
    virInterfaceFree(iface);
}

enum {
    VKSH_IFACE_BYNAME = 1 << 0,
    VKSH_IFACE_BYMAC = 1 << 1,
};

/* aa:bb:cc:dd:ee:ff (what virMacAddrParse takes: 6 hex pairs, ':' or '-'). */
static bool
vkshIsMAC(const char *s)
{
    for (int i = 0; i < 6; i++) {
        if (!g_ascii_isxdigit(s[0]))
            return false;
        s += g_ascii_isxdigit(s[1]) ? 2 : 1;
        if (i < 5) {
            if (*s != ':' && *s != '-')
                return false;
            s++;
        }
    }
    return *s == '\0';
}

/* The interface named by option "interface": by name unless it looks like
 * a MAC address, by MAC if it does (as @by allows); NULL after reporting
 * "failed to get interface 'X'". */
static virInterfacePtr
vkshCommandOptInterface(vkshControl *ctl, const vkshCmd *cmd, unsigned int by,
                        const char **given)
{
    const char *n = NULL;
    virInterfacePtr iface = NULL;
    bool isMac;

    if (vkshOptString(ctl, cmd, "interface", &n) <= 0)
        return NULL;
    if (given)
        *given = n;
    isMac = vkshIsMAC(n);
    if (!isMac && (by & VKSH_IFACE_BYNAME))
        iface = virInterfaceLookupByName(ctl->conn, n);
    if (!iface && isMac && (by & VKSH_IFACE_BYMAC))
        iface = virInterfaceLookupByMACString(ctl->conn, n);
    if (!iface)
        vkshError(ctl, "failed to get interface '%s'", n);
    return iface;
}

/* ---- iface-list ------------------------------------------------------------- */

static const vkshOptDef optsIfaceList[] = {
    { "inactive", VKSH_OT_BOOL, 0, "list inactive interfaces" },
    { "all", VKSH_OT_BOOL, 0, "list inactive & active interfaces" },
    { NULL, 0, 0, NULL },
};

static gint
vkshIfaceSorter(gconstpointer a, gconstpointer b)
{
    return strcmp(virInterfaceGetName(*(virInterfacePtr const *)a),
                  virInterfaceGetName(*(virInterfacePtr const *)b));
}

static GPtrArray *
vkshIfaceCollect(vkshControl *ctl, unsigned int flags)
{
    g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func(vkshInterfaceRelease);
    virInterfacePtr *all = NULL;
    int n;

    if ((n = virConnectListAllInterfaces(ctl->conn, &all, flags)) >= 0) {
        for (int i = 0; i < n; i++)
            g_ptr_array_add(list, all[i]);
        free(all);
        goto sort;
    }
    if (vkshLastErrorCode() != VIR_ERR_NO_SUPPORT) {
        vkshError(ctl, "%s", "Failed to list interfaces");
        return NULL;
    }
    vkshResetError();
    for (int pass = 0; pass < 2; pass++) {
        bool active = pass == 0;
        g_autofree char **names = NULL;

        if (active && !(flags & VIR_CONNECT_LIST_INTERFACES_ACTIVE))
            continue;
        if (!active && !(flags & VIR_CONNECT_LIST_INTERFACES_INACTIVE))
            continue;
        n = active ? virConnectNumOfInterfaces(ctl->conn)
                   : virConnectNumOfDefinedInterfaces(ctl->conn);
        if (n < 0) {
            vkshError(ctl, "%s",
                      active ? "Failed to list active interfaces"
                             : "Failed to list inactive interfaces");
            return NULL;
        }
        if (n == 0)
            continue;
        names = g_new0(char *, n);
        n = active ? virConnectListInterfaces(ctl->conn, names, n)
                   : virConnectListDefinedInterfaces(ctl->conn, names, n);
        if (n < 0) {
            vkshError(ctl, "%s",
                      active ? "Failed to list active interfaces"
                             : "Failed to list inactive interfaces");
            return NULL;
        }
        for (int i = 0; i < n; i++) {
            virInterfacePtr iface = virInterfaceLookupByName(ctl->conn, names[i]);

            if (iface)
                g_ptr_array_add(list, iface);
            free(names[i]);
        }
    }
sort:
    g_ptr_array_sort(list, vkshIfaceSorter);
    return g_steal_pointer(&list);
}

static bool
cmdIfaceList(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(GPtrArray) list = NULL;
    g_autoptr(GPtrArray) rows =
        g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
    unsigned int flags = VIR_CONNECT_LIST_INTERFACES_ACTIVE;

    if (!vkshOptExclusive(ctl, cmd, "all", "inactive"))
        return false;
    if (vkshOptBool(cmd, "inactive"))
        flags = VIR_CONNECT_LIST_INTERFACES_INACTIVE;
    if (vkshOptBool(cmd, "all"))
        flags = VIR_CONNECT_LIST_INTERFACES_INACTIVE | VIR_CONNECT_LIST_INTERFACES_ACTIVE;
    if (!(list = vkshIfaceCollect(ctl, flags)))
        return false;

    g_ptr_array_add(rows, g_strdupv((char *[]){ "Name", "State", "MAC Address", NULL }));
    for (guint i = 0; i < list->len; i++) {
        virInterfacePtr iface = list->pdata[i];
        char **row = g_new0(char *, 4);

        row[0] = g_strdup(virInterfaceGetName(iface));
        row[1] = g_strdup(virInterfaceIsActive(iface) ? "active" : "inactive");
        row[2] = g_strdup(virInterfaceGetMACString(iface));
        g_ptr_array_add(rows, row);
    }
    vkshResetError();
    vkshTablePrint(ctl, rows, 3, !ctl->quiet);
    return true;
}

/* ---- iface-dumpxml / iface-mac / iface-name ------------------------------------ */

static const vkshOptDef optsIfaceDumpxml[] = {
    { "interface", VKSH_OT_STRING, VKSH_OFLAG_REQ, "interface name or MAC address" },
    { "inactive", VKSH_OT_BOOL, 0, "show inactive defined XML" },
    { "xpath", VKSH_OT_STRING, 0, "xpath expression to filter the XML document" },
    { "wrap", VKSH_OT_BOOL, 0, "wrap xpath results in an common root element" },
    { NULL, 0, 0, NULL },
};

static bool
cmdIfaceDumpxml(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virInterface) iface = NULL;
    g_autofree char *xml = NULL;
    const char *xpath = NULL;
    unsigned int flags = 0;

    if (!(iface = vkshCommandOptInterface(ctl, cmd, VKSH_IFACE_BYNAME | VKSH_IFACE_BYMAC,
                                          NULL)))
        return false;
    if (vkshOptBool(cmd, "inactive"))
        flags |= VIR_INTERFACE_XML_INACTIVE;
    if (vkshOptString(ctl, cmd, "xpath", &xpath) < 0)
        return false;
    if (!(xml = virInterfaceGetXMLDesc(iface, flags)))
        return false;
    if (xpath || vkshOptBool(cmd, "wrap"))
        return vkshXMLPrintXPath(ctl, xml, xpath, vkshOptBool(cmd, "wrap"));
    vkshPrint(ctl, "%s", xml);
    return true;
}

static const vkshOptDef optsIfaceMac[] = {
    { "interface", VKSH_OT_STRING, VKSH_OFLAG_REQ, "interface name" },
    { NULL, 0, 0, NULL },
};

static bool
cmdIfaceMac(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virInterface) iface = NULL;

    if (!(iface = vkshCommandOptInterface(ctl, cmd, VKSH_IFACE_BYNAME, NULL)))
        return false;
    vkshPrint(ctl, "%s\n", virInterfaceGetMACString(iface));
    return true;
}

static const vkshOptDef optsIfaceName[] = {
    { "interface", VKSH_OT_STRING, VKSH_OFLAG_REQ, "interface mac" },
    { NULL, 0, 0, NULL },
};

static bool
cmdIfaceName(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virInterface) iface = NULL;

    if (!(iface = vkshCommandOptInterface(ctl, cmd, VKSH_IFACE_BYMAC, NULL)))
        return false;
    vkshPrint(ctl, "%s\n", virInterfaceGetName(iface));
    return true;
}

/* ---- iface-define, iface-undefine, iface-start, iface-destroy ------------------ */

static const vkshOptDef optsIfaceDefine[] = {
    { "file", VKSH_OT_STRING, VKSH_OFLAG_REQ,
      "file containing an XML interface description" },
    { "validate", VKSH_OT_BOOL, 0, "validate the XML against the schema" },
    { NULL, 0, 0, NULL },
};

static bool
cmdIfaceDefine(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virInterface) iface = NULL;
    g_autofree char *xml = NULL;
    const char *file = NULL;
    unsigned int flags = 0;

    if (vkshOptString(ctl, cmd, "file", &file) <= 0)
        return false;
    if (vkshOptBool(cmd, "validate"))
        flags |= VIR_INTERFACE_DEFINE_VALIDATE;
    if (!(xml = vkshReadFile(ctl, file)))
        return false;
    if (!(iface = virInterfaceDefineXML(ctl->conn, xml, flags))) {
        vkshError(ctl, "Failed to define interface from %s", file);
        return false;
    }
    vkshPrintExtra(ctl, "Interface %s defined from %s\n", virInterfaceGetName(iface),
                   file);
    return true;
}

static const vkshOptDef optsIfaceByName[] = {
    { "interface", VKSH_OT_STRING, VKSH_OFLAG_REQ, "interface name or MAC address" },
    { NULL, 0, 0, NULL },
};

/* One of iface-undefine (@op 0), iface-start (1), iface-destroy (2). */
static bool
vkshIfaceChange(vkshControl *ctl, const vkshCmd *cmd, int op)
{
    static const char *const done[] = { "undefined", "started", "destroyed" };
    static const char *const failed[] = { "undefine", "start", "destroy" };
    g_autoptr(virInterface) iface = NULL;
    const char *name = NULL;
    int rc;

    if (!(iface = vkshCommandOptInterface(ctl, cmd, VKSH_IFACE_BYNAME | VKSH_IFACE_BYMAC,
                                          &name)))
        return false;
    rc = op == 0   ? virInterfaceUndefine(iface)
         : op == 1 ? virInterfaceCreate(iface, 0)
                   : virInterfaceDestroy(iface, 0);
    if (rc < 0) {
        vkshError(ctl, "Failed to %s interface %s", failed[op], name);
        return false;
    }
    vkshPrintExtra(ctl, "Interface %s %s\n", name, done[op]);
    return true;
}

static bool
cmdIfaceUndefine(vkshControl *ctl, const vkshCmd *cmd)
{
    return vkshIfaceChange(ctl, cmd, 0);
}

static bool
cmdIfaceStart(vkshControl *ctl, const vkshCmd *cmd)
{
    return vkshIfaceChange(ctl, cmd, 1);
}

static bool
cmdIfaceDestroy(vkshControl *ctl, const vkshCmd *cmd)
{
    return vkshIfaceChange(ctl, cmd, 2);
}

/* ---- iface-begin, iface-commit, iface-rollback ---------------------------------- */

static const vkshOptDef optsIfaceNone[] = {
    { NULL, 0, 0, NULL },
};

static bool
cmdIfaceBegin(vkshControl *ctl, const vkshCmd *cmd)
{
    if (virInterfaceChangeBegin(ctl->conn, 0) < 0) {
        vkshError(ctl, "%s", "Failed to begin network config change transaction");
        return false;
    }
    vkshPrintExtra(ctl, "Network config change transaction started\n");
    return true;
}

static bool
cmdIfaceCommit(vkshControl *ctl, const vkshCmd *cmd)
{
    if (virInterfaceChangeCommit(ctl->conn, 0) < 0) {
        vkshError(ctl, "%s", "Failed to commit network config change transaction");
        return false;
    }
    vkshPrintExtra(ctl, "Network config change transaction committed\n");
    return true;
}

static bool
cmdIfaceRollback(vkshControl *ctl, const vkshCmd *cmd)
{
    if (virInterfaceChangeRollback(ctl->conn, 0) < 0) {
        vkshError(ctl, "%s", "Failed to rollback network config change transaction");
        return false;
    }
    vkshPrintExtra(ctl, "Network config change transaction rolled back\n");
    return true;
}

/* ---- iface-edit: virsh's edit loop (vksh-edit.c) ---------------------------------- */

static char *
ifaceEditGet(void *opaque)
{
    return virInterfaceGetXMLDesc(opaque, VIR_INTERFACE_XML_INACTIVE);
}

static bool
ifaceEditDefine(void *opaque, const char *xml, char **name)
{
    virInterfacePtr iface = virInterfaceDefineXML(virInterfaceGetConnect(opaque), xml, 0);

    if (!iface)
        return false;
    *name = g_strdup(virInterfaceGetName(iface));
    virInterfaceFree(iface);
    return true;
}

static bool
cmdIfaceEdit(vkshControl *ctl, const vkshCmd *cmd)
{
    static const vkshEditOps ops = { ifaceEditGet, ifaceEditDefine };
    g_autoptr(virInterface) iface = NULL;
    g_autofree char *name = NULL;
    int rc;

    if (!(iface = vkshCommandOptInterface(ctl, cmd, VKSH_IFACE_BYNAME | VKSH_IFACE_BYMAC,
                                          NULL)))
        return false;
    if ((rc = vkshEditRun(ctl, &ops, iface, &name)) < 0)
        return false;
    if (rc == 0)
        vkshPrint(ctl, "Interface %s XML configuration not changed.\n",
                  virInterfaceGetName(iface));
    else
        vkshPrint(ctl, "Interface %s XML configuration edited.\n",
                  name ? name : "(null)");
    return true;
}

const vkshCmdDef vkshInterfaceCmds[] = {
    { "iface-begin", cmdIfaceBegin, optsIfaceNone,
      "create a snapshot of current interfaces settings, which can be later committed "
      "(iface-commit) or restored (iface-rollback)",
      "Create a restore point for interfaces settings", 0 },
    { "iface-commit", cmdIfaceCommit, optsIfaceNone,
      "commit changes made since iface-begin and free restore point",
      "commit changes and free restore point", 0 },
    { "iface-define", cmdIfaceDefine, optsIfaceDefine,
      "define an inactive persistent physical host interface or modify an existing "
      "persistent one from an XML file",
      "Define or modify a persistent physical host interface.", 0 },
    { "iface-destroy", cmdIfaceDestroy, optsIfaceByName,
      "destroy a physical host interface (disable it / \"if-down\")",
      "forcefully stop a physical host interface.", 0 },
    { "iface-dumpxml", cmdIfaceDumpxml, optsIfaceDumpxml, "interface information in XML",
      "Output the physical host interface information as an XML dump to stdout.", 0 },
    { "iface-edit", cmdIfaceEdit, optsIfaceByName,
      "edit XML configuration for a physical host interface",
      "Edit the XML configuration for a physical host interface.", 0 },
    { "iface-list", cmdIfaceList, optsIfaceList, "list physical host interfaces",
      "Returns list of physical host interfaces.", 0 },
    { "iface-mac", cmdIfaceMac, optsIfaceMac,
      "convert an interface name to interface MAC address", NULL, 0 },
    { "iface-name", cmdIfaceName, optsIfaceName,
      "convert an interface MAC address to interface name", NULL, 0 },
    { "iface-rollback", cmdIfaceRollback, optsIfaceNone,
      "rollback to previous saved configuration created via iface-begin",
      "rollback to previous restore point", 0 },
    { "iface-start", cmdIfaceStart, optsIfaceByName,
      "start a physical host interface (enable it / \"if-up\")",
      "start a physical host interface.", 0 },
    { "iface-undefine", cmdIfaceUndefine, optsIfaceByName,
      "undefine a physical host interface (remove it from configuration)",
      "undefine an interface.", 0 },
    { NULL, NULL, NULL, NULL, NULL, 0 },
};
