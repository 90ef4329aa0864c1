/* vksh-nodedev.c: node device commands (nodedev-list, nodedev-dumpxml, nodedev-info) as virsh 9.0 */

#define G_LOG_DOMAIN "vksh.nodedev"
#include <stdlib.h>
#include <string.h>

#include "vksh.h"
#include "vksh-xml.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC(virNodeDevice, virNodeDeviceFree)

static void
vkshNodeDeviceRelease(gpointer dev)
{
    virNodeDeviceFree(dev);
}

/* virsh's names of the capability filters, in the order of the
 * VIR_CONNECT_LIST_NODE_DEVICES_CAP_* bits. */
static const char *const vkshNodeDevCaps[] = {
    "system",      "pci",        "usb_device", "usb",     "net",    "scsi_host",
    "scsi_target", "scsi",       "storage",    "fc_host", "vports", "scsi_generic",
    "drm",         "mdev_types", "mdev",       "ccw",     "css",    "vdpa",
    "ap_card",     "ap_queue",   "ap_matrix",  "vpd",
};

/* The device named by option "device", or NULL after reporting. */
static virNodeDevicePtr
vkshFindNodeDevice(vkshControl *ctl, const vkshCmd *cmd)
{
    const char *value = NULL;
    virNodeDevicePtr dev;

    if (vkshOptString(ctl, cmd, "device", &value) <= 0)
        return NULL;
    if (!(dev = virNodeDeviceLookupByName(ctl->conn, value)))
        vkshError(ctl, "Could not find matching device '%s'", value);
    return dev;
}

/* ---- nodedev-list ---------------------------------------------------------- */

static const vkshOptDef optsNodedevList[] = {
    { "tree", VKSH_OT_BOOL, 0, "list devices in a tree" },
    { "cap", VKSH_OT_STRING, 0, "capability names, separated by comma" },
    { "inactive", VKSH_OT_BOOL, 0, "list inactive devices" },
    { "all", VKSH_OT_BOOL, 0, "list inactive & active devices" },
    { NULL, 0, 0, NULL },
};

static gint
vkshNodeDevSorter(gconstpointer a, gconstpointer b)
{
    return strcmp(virNodeDeviceGetName(*(virNodeDevicePtr const *)a),
                  virNodeDeviceGetName(*(virNodeDevicePtr const *)b));
}

/* As virsh's virshNodeDeviceListCollect: ListAll, else (NO_SUPPORT) the
 * count, the names and a lookup of each, filtered on @caps. */
static GPtrArray *
vkshNodeDevCollect(vkshControl *ctl, char **caps, unsigned int flags)
{
    g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func(vkshNodeDeviceRelease);
    virNodeDevicePtr *all = NULL;
    int n;

    if ((n = virConnectListAllNodeDevices(ctl->conn, &all, flags)) >= 0) {
        for (int i = 0; i < n; i++)
            g_ptr_array_add(list, all[i]);
        free(all);
        goto sort;
    }
    if (vkshLastErrorCode() != VIR_ERR_NO_SUPPORT) {
        vkshError(ctl, "%s", "Failed to list node devices");
        return NULL;
    }
    vkshResetError();
    if ((n = virNodeNumOfDevices(ctl->conn, NULL, 0)) < 0) {
        vkshError(ctl, "%s", "Failed to count node devices");
        return NULL;
    }
    if (n > 0) {
        g_autofree char **names = g_new0(char *, n);

        if ((n = virNodeListDevices(ctl->conn, NULL, names, n, 0)) < 0) {
            vkshError(ctl, "%s", "Failed to list node devices");
            return NULL;
        }
        for (int i = 0; i < n; i++) {
            virNodeDevicePtr dev = virNodeDeviceLookupByName(ctl->conn, names[i]);
            bool keep = !caps || !caps[0];

            for (size_t c = 0; dev && caps && caps[c] && !keep; c++) {
                char *have[64] = { NULL };
                int nc = virNodeDeviceListCaps(dev, have, G_N_ELEMENTS(have));

                for (int k = 0; k < nc; k++) {
                    keep = keep || g_str_equal(have[k], caps[c]);
                    free(have[k]);
                }
            }
            if (dev && keep)
                g_ptr_array_add(list, dev);
            else if (dev)
                virNodeDeviceFree(dev);
            free(names[i]);
        }
    }
sort:
    g_ptr_array_sort(list, vkshNodeDevSorter);
    return g_steal_pointer(&list);
}

static bool
cmdNodedevList(vkshControl *ctl, const vkshCmd *cmd)
{
    bool tree = vkshOptBool(cmd, "tree");
    bool inactive = vkshOptBool(cmd, "inactive");
    bool all = vkshOptBool(cmd, "all");
    g_autoptr(GPtrArray) list = NULL;
    g_auto(GStrv) caps = NULL;
    const char *capStr = NULL;
    unsigned int flags = 0;

    if (vkshOptRaw(cmd, "cap") && *vkshOptRaw(cmd, "cap"))
        capStr = vkshOptRaw(cmd, "cap");
    if (tree && (capStr || inactive)) {
        vkshError(ctl, "%s", "Option --tree is incompatible with --cap and --inactive");
        return false;
    }
    if (inactive && all) {
        vkshError(ctl, "%s", "Option --all is incompatible with --inactive");
        return false;
    }
    if (capStr) {
        caps = g_strsplit(capStr, ",", -1);
        for (size_t i = 0; caps[i]; i++) {
            size_t c;

            for (c = 0; c < G_N_ELEMENTS(vkshNodeDevCaps); c++) {
                if (g_str_equal(caps[i], vkshNodeDevCaps[c]))
                    break;
            }
            if (c == G_N_ELEMENTS(vkshNodeDevCaps)) {
                vkshError(ctl, "%s", "Invalid capability type");
                return false;
            }
            flags |= 1u << c;
        }
    }
    if (inactive)
        flags |= VIR_CONNECT_LIST_NODE_DEVICES_INACTIVE;
    else if (all)
        flags |=
            VIR_CONNECT_LIST_NODE_DEVICES_INACTIVE | VIR_CONNECT_LIST_NODE_DEVICES_ACTIVE;
    else
        flags |= VIR_CONNECT_LIST_NODE_DEVICES_ACTIVE;

    if (!(list = vkshNodeDevCollect(ctl, caps, flags)))
        return false;

    if (tree) {
        int n = list->len;
        g_autofree char **names = g_new0(char *, n + 1);
        g_auto(GStrv) parents = g_new0(char *, n + 1);
        g_autoptr(GString) indent = g_string_new(NULL);

        for (int i = 0; i < n; i++) {
            virNodeDevicePtr dev = list->pdata[i];

            names[i] = (char *)virNodeDeviceGetName(dev);
            if (!g_str_equal(names[i], "computer")) {
                const char *parent = virNodeDeviceGetParent(dev);

                parents[i] = g_strdup(parent);
                vkshResetError();
            }
        }
        for (int i = 0; i < n; i++) {
            if (!parents[i])
                vkshTreePrint(ctl, (const char *const *)names,
                              (const char *const *)parents, n, i, -1, true, indent);
        }
        return true;
    }
    for (guint i = 0; i < list->len; i++)
        vkshPrint(ctl, "%s\n", virNodeDeviceGetName(list->pdata[i]));
    return true;
}

/* ---- nodedev-dumpxml / nodedev-info --------------------------------------------- */

static const vkshOptDef optsNodedevDumpxml[] = {
    { "device", VKSH_OT_STRING, VKSH_OFLAG_REQ,
      "device name or wwn pair in 'wwnn,wwpn' format" },
    { "xpath", VKSH_OT_STRING, 0, "xpath expression to filter the XML document" },
    { "wrap", VKSH_OT_BOOL, 0, "wrap xpath results in an common root element" },
    { NULL, 0, 0, NULL },
};

static bool
cmdNodedevDumpxml(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virNodeDevice) dev = NULL;
    g_autofree char *xml = NULL;
    const char *xpath = NULL;

    if (!(dev = vkshFindNodeDevice(ctl, cmd)))
        return false;
    if (vkshOptString(ctl, cmd, "xpath", &xpath) < 0)
        return false;
    if (!(xml = virNodeDeviceGetXMLDesc(dev, 0)))
        return false;
    if (xpath || vkshOptBool(cmd, "wrap"))
        return vkshXMLPrintXPath(ctl, xml, xpath, vkshOptBool(cmd, "wrap"));
    vkshPrint(ctl, "%s", xml);
    return true;
}

static const vkshOptDef optsNodedevInfo[] = {
    { "device", VKSH_OT_STRING, VKSH_OFLAG_REQ,
      "device name or wwn pair in 'wwnn,wwpn' format" },
    { NULL, 0, 0, NULL },
};

static bool
cmdNodedevInfo(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virNodeDevice) dev = NULL;
    const char *parent;
    int autostart;

    if (!(dev = vkshFindNodeDevice(ctl, cmd)))
        return false;
    vkshPrint(ctl, "%-15s %s\n", "Name:", virNodeDeviceGetName(dev));
    parent = virNodeDeviceGetParent(dev);
    vkshPrint(ctl, "%-15s %s\n", "Parent:", parent ? parent : "");
    /* as virsh: a failed query (-1) reads as "yes" */
    vkshPrint(ctl, "%-15s %s\n", "Active:", virNodeDeviceIsActive(dev) ? "yes" : "no");
    vkshPrint(ctl, "%-15s %s\n",
              "Persistent:", virNodeDeviceIsPersistent(dev) ? "yes" : "no");
    if (virNodeDeviceGetAutostart(dev, &autostart) < 0)
        vkshPrint(ctl, "%-15s %s\n", "Autostart:", "no autostart");
    else
        vkshPrint(ctl, "%-15s %s\n", "Autostart:", autostart ? "yes" : "no");
    vkshResetError();
    return true;
}

const vkshCmdDef vkshNodedevCmds[] = {
    { "nodedev-create", vkshCmdNodedevCreate, vkshOptsNodedevCreate,
      "create a device defined by an XML file on the node",
      "Create a device on the node.  Note that this command creates devices on the physical "
      "host that can then be assigned to a virtual machine.",
      0 },
    { "nodedev-destroy", vkshCmdNodedevDestroy, vkshOptsNodedevDevice,
      "destroy (stop) a device on the node",
      "Destroy a device on the node.  Note that this command destroys devices on the "
      "physical host",
      0 },
    { "nodedev-detach", vkshCmdNodedevDetach, vkshOptsNodedevDetach,
      "detach node device from its device driver",
      "Detach node device from its device driver before assigning to a domain.", 0 },
    { "nodedev-dumpxml", cmdNodedevDumpxml, optsNodedevDumpxml,
      "node device details in XML",
      "Output the node device details as an XML dump to stdout.", 0 },
    { "nodedev-list", cmdNodedevList, optsNodedevList, "enumerate devices on this host",
      NULL, 0 },
    { "nodedev-reattach", vkshCmdNodedevReattach, vkshOptsNodedevKey,
      "reattach node device to its device driver",
      "Reattach node device to its device driver once released by the domain.", 0 },
    { "nodedev-reset", vkshCmdNodedevReset, vkshOptsNodedevKey, "reset node device",
      "Reset node device before or after assigning to a domain.", 0 },
    { "nodedev-event", vkshCmdNodedevEvent, vkshOptsNodedevEvent, "Node Device Events",
      "List event types, or wait for node device events to occur", 0 },
    { "nodedev-define", vkshCmdNodedevDefine, vkshOptsNodedevCreate,
      "Define a device by an xml file on a node",
      "Defines a persistent device on the node that can be assigned to a domain. The device "
      "must be started before it can be assigned to a domain.",
      0 },
    { "nodedev-undefine", vkshCmdNodedevUndefine, vkshOptsNodedevDevice,
      "Undefine an inactive node device",
      "Undefines the configuration for an inactive node device", 0 },
    { "nodedev-start", vkshCmdNodedevStart, vkshOptsNodedevStart,
      "Start an inactive node device",
      "Starts an inactive node device that was previously defined", 0 },
    { "nodedev-autostart", vkshCmdNodedevAutostart, vkshOptsNodedevAutostart,
      "autostart a defined node device",
      "Configure a node device to be automatically started at boot.", 0 },
    { "nodedev-info", cmdNodedevInfo, optsNodedevInfo, "node device information",
      "Returns basic information about the node device", 0 },
    { NULL, NULL, NULL, NULL, NULL, 0 },
};
