/* vksh-nwfilter.c: network filter commands (nwfilter-define, nwfilter-list, nwfilter-binding-*, ...) as virsh 9.0 */

#define G_LOG_DOMAIN "vksh.nwfilter"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vksh.h"
#include "vksh-xml.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC(virNWFilter, virNWFilterFree)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virNWFilterBinding, virNWFilterBindingFree)

static void
vkshNWFilterRelease(gpointer p)
{
    virNWFilterFree(p);
}

static void
vkshBindingRelease(gpointer p)
{
    virNWFilterBindingFree(p);
}

/* The filter named by option "nwfilter": as a UUID when it has a UUID's
 * length, else (or when that fails) as a name; NULL after reporting
 * "failed to get nwfilter 'X'" (the library's reason follows). */
static virNWFilterPtr
vkshCommandOptNWFilter(vkshControl *ctl, const vkshCmd *cmd, const char **name)
{
    virNWFilterPtr nwfilter = NULL;
    const char *n = NULL;

    if (vkshOptString(ctl, cmd, "nwfilter", &n) <= 0)
        return NULL;
    if (name)
        *name = n;
    if (strlen(n) == VIR_UUID_STRING_BUFLEN - 1)
        nwfilter = virNWFilterLookupByUUIDString(ctl->conn, n);
    if (!nwfilter)
        nwfilter = virNWFilterLookupByName(ctl->conn, n);
    if (!nwfilter)
        vkshError(ctl, "failed to get nwfilter '%s'", n);
    return nwfilter;
}

/* The binding named by option "binding" (a port device). */
static virNWFilterBindingPtr
vkshCommandOptBinding(vkshControl *ctl, const vkshCmd *cmd)
{
    virNWFilterBindingPtr binding;
    const char *n = NULL;

    if (vkshOptString(ctl, cmd, "binding", &n) <= 0)
        return NULL;
    if (!(binding = virNWFilterBindingLookupByPortDev(ctl->conn, n)))
        vkshError(ctl, "failed to get nwfilter binding '%s'", n);
    return binding;
}

static const vkshOptDef optsNWFilterOnly[] = {
    { "nwfilter", VKSH_OT_STRING, VKSH_OFLAG_REQ, "network filter name or uuid" },
    { NULL, 0, 0, NULL },
};

/* ---- nwfilter-define / nwfilter-undefine ------------------------------------ */

static const vkshOptDef optsNWFilterDefine[] = {
    { "file", VKSH_OT_STRING, VKSH_OFLAG_REQ,
      "file containing an XML network filter description" },
    { "validate", VKSH_OT_BOOL, 0, "validate the XML against the schema" },
    { NULL, 0, 0, NULL },
};

static bool
cmdNWFilterDefine(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virNWFilter) nwfilter = NULL;
    g_autofree char *xml = NULL;
    const char *file = NULL;
    unsigned int flags = 0;

    if (vkshOptString(ctl, cmd, "file", &file) <= 0)
        return false;
    if (vkshOptBool(cmd, "validate"))
        flags |= VIR_NWFILTER_DEFINE_VALIDATE;
    if (!(xml = vkshReadFile(ctl, file)))
        return false;
    /* virsh calls the flags variant only when there are flags */
    if (flags)
        nwfilter = virNWFilterDefineXMLFlags(ctl->conn, xml, flags);
    else
        nwfilter = virNWFilterDefineXML(ctl->conn, xml);
    if (!nwfilter) {
        vkshError(ctl, "Failed to define network filter from %s", file);
        return false;
    }
    vkshPrintExtra(ctl, "Network filter %s defined from %s\n",
                   virNWFilterGetName(nwfilter), file);
    return true;
}

static bool
cmdNWFilterUndefine(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virNWFilter) nwfilter = NULL;
    const char *name = NULL;

    if (!(nwfilter = vkshCommandOptNWFilter(ctl, cmd, &name)))
        return false;
    if (virNWFilterUndefine(nwfilter) < 0) {
        vkshError(ctl, "Failed to undefine network filter %s", name);
        return false;
    }
    vkshPrintExtra(ctl, "Network filter %s undefined\n", name);
    return true;
}

/* ---- nwfilter-dumpxml --------------------------------------------------------- */

static const vkshOptDef optsNWFilterDumpxml[] = {
    { "nwfilter", VKSH_OT_STRING, VKSH_OFLAG_REQ, "network filter name or uuid" },
    { "xpath", VKSH_OT_STRING, 0, "xpath expression to filter the XML document" },
    { "wrap", VKSH_OT_BOOL, 0, "wrap xpath results in an common root element" },
    { NULL, 0, 0, NULL },
};

static bool
cmdNWFilterDumpxml(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virNWFilter) nwfilter = NULL;
    g_autofree char *xml = NULL;
    const char *xpath = NULL;

    if (!(nwfilter = vkshCommandOptNWFilter(ctl, cmd, NULL)))
        return false;
    if (vkshOptString(ctl, cmd, "xpath", &xpath) < 0)
        return false;
    if (!(xml = virNWFilterGetXMLDesc(nwfilter, 0)))
        return false;
    if (xpath || vkshOptBool(cmd, "wrap"))
        return vkshXMLPrintXPath(ctl, xml, xpath, vkshOptBool(cmd, "wrap"));
    vkshPrint(ctl, "%s", xml);
    return true;
}

/* ---- nwfilter-list ------------------------------------------------------------- */

static int
vkshNWFilterSorter(gconstpointer a, gconstpointer b)
{
    virNWFilterPtr fa = *(virNWFilterPtr const *)a;
    virNWFilterPtr fb = *(virNWFilterPtr const *)b;

    return g_ascii_strcasecmp(virNWFilterGetName(fa), virNWFilterGetName(fb));
}

/* The filters as virsh collects them: ListAll, else the count, the names
 * and a lookup of each. NULL after reporting. */
static GPtrArray *
vkshNWFilterCollect(vkshControl *ctl)
{
    g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func(vkshNWFilterRelease);
    virNWFilterPtr *all = NULL;
    g_autofree char **names = NULL;
    int n;

    if ((n = virConnectListAllNWFilters(ctl->conn, &all, 0)) >= 0) {
        for (int i = 0; i < n; i++)
            g_ptr_array_add(list, all[i]);
        free(all);
        goto sort;
    }
    if (vkshLastErrorCode() != VIR_ERR_NO_SUPPORT) {
        vkshError(ctl, "%s", "Failed to list network filters");
        return NULL;
    }
    vkshResetError();
    if ((n = virConnectNumOfNWFilters(ctl->conn)) < 0) {
        vkshError(ctl, "%s", "Failed to count network filters");
        return NULL;
    }
    if (n == 0)
        return g_steal_pointer(&list);
    names = g_new0(char *, n);
    if ((n = virConnectListNWFilters(ctl->conn, names, n)) < 0) {
        vkshError(ctl, "%s", "Failed to list network filters");
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        virNWFilterPtr f = virNWFilterLookupByName(ctl->conn, names[i]);

        if (f)
            g_ptr_array_add(list, f);
        free(names[i]);
    }
sort:
    g_ptr_array_sort(list, vkshNWFilterSorter);
    return g_steal_pointer(&list);
}

static const vkshOptDef optsNone[] = {
    { NULL, 0, 0, NULL },
};

static bool
cmdNWFilterList(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(GPtrArray) list = NULL;
    g_autoptr(GPtrArray) rows =
        g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);

    if (!(list = vkshNWFilterCollect(ctl)))
        return false;
    g_ptr_array_add(rows, g_strdupv((char *[]){ "UUID", "Name", NULL }));
    for (guint i = 0; i < list->len; i++) {
        char uuid[VIR_UUID_STRING_BUFLEN];
        char **row = g_new0(char *, 3);

        if (virNWFilterGetUUIDString(list->pdata[i], uuid) < 0) {
            g_strfreev(row);
            return false;
        }
        row[0] = g_strdup(uuid);
        row[1] = g_strdup(virNWFilterGetName(list->pdata[i]));
        g_ptr_array_add(rows, row);
    }
    vkshTablePrint(ctl, rows, 2, !ctl->quiet);
    return true;
}

/* ---- nwfilter-edit -------------------------------------------------------------- */

/* nwfilter-edit: virsh's edit loop (vksh-edit.c); no virNWFilterGetConnect
 * in libvirt's API, so the connection travels beside the filter */
typedef struct {
    virConnectPtr conn;
    virNWFilterPtr nwfilter;
} nwfilterEdit;

static char *
nwfilterEditGet(void *opaque)
{
    return virNWFilterGetXMLDesc(((nwfilterEdit *)opaque)->nwfilter, 0);
}

static bool
nwfilterEditDefine(void *opaque, const char *xml, char **name)
{
    virNWFilterPtr nwfilter = virNWFilterDefineXML(((nwfilterEdit *)opaque)->conn, xml);

    if (!nwfilter)
        return false;
    *name = g_strdup(virNWFilterGetName(nwfilter));
    virNWFilterFree(nwfilter);
    return true;
}

static bool
cmdNWFilterEdit(vkshControl *ctl, const vkshCmd *cmd)
{
    static const vkshEditOps ops = { nwfilterEditGet, nwfilterEditDefine };
    g_autoptr(virNWFilter) nwfilter = NULL;
    g_autofree char *name = NULL;
    int rc;

    if (!(nwfilter = vkshCommandOptNWFilter(ctl, cmd, NULL)))
        return false;
    if ((rc = vkshEditRun(ctl, &ops, &(nwfilterEdit){ ctl->conn, nwfilter }, &name)) < 0)
        return false;
    if (rc == 0)
        vkshPrintExtra(ctl, "Network filter %s XML configuration not changed.\n",
                       virNWFilterGetName(nwfilter));
    else
        vkshPrintExtra(ctl, "Network filter %s XML configuration edited.\n",
                       name ? name : "(null)");
    return true;
}

/* ---- nwfilter-binding-* ----------------------------------------------------------- */

static const vkshOptDef optsBindingCreate[] = {
    { "file", VKSH_OT_STRING, VKSH_OFLAG_REQ,
      "file containing an XML network filter binding description" },
    { "validate", VKSH_OT_BOOL, 0, "validate the XML against the schema" },
    { NULL, 0, 0, NULL },
};

static bool
cmdBindingCreate(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virNWFilterBinding) binding = NULL;
    g_autofree char *xml = NULL;
    const char *file = NULL;
    unsigned int flags = 0;

    if (vkshOptString(ctl, cmd, "file", &file) <= 0)
        return false;
    if (vkshOptBool(cmd, "validate"))
        flags |= VIR_NWFILTER_BINDING_CREATE_VALIDATE;
    if (!(xml = vkshReadFile(ctl, file)))
        return false;
    if (!(binding = virNWFilterBindingCreateXML(ctl->conn, xml, flags))) {
        vkshError(ctl, "Failed to create network filter from %s", file);
        return false;
    }
    vkshPrintExtra(ctl, "Network filter binding on %s created from %s\n",
                   virNWFilterBindingGetPortDev(binding), file);
    return true;
}

static const vkshOptDef optsBindingDelete[] = {
    { "binding", VKSH_OT_STRING, VKSH_OFLAG_REQ, "network filter binding port dev" },
    { NULL, 0, 0, NULL },
};

static bool
cmdBindingDelete(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virNWFilterBinding) binding = NULL;
    const char *portdev;

    if (!(binding = vkshCommandOptBinding(ctl, cmd)))
        return false;
    portdev = virNWFilterBindingGetPortDev(binding);
    if (virNWFilterBindingDelete(binding) < 0) {
        vkshError(ctl, "Failed to delete network filter binding on %s", portdev);
        return false;
    }
    vkshPrintExtra(ctl, "Network filter binding on %s deleted\n", portdev);
    return true;
}

static const vkshOptDef optsBindingDumpxml[] = {
    { "binding", VKSH_OT_STRING, VKSH_OFLAG_REQ, "network filter binding portdev" },
    { "xpath", VKSH_OT_STRING, 0, "xpath expression to filter the XML document" },
    { "wrap", VKSH_OT_BOOL, 0, "wrap xpath results in an common root element" },
    { NULL, 0, 0, NULL },
};

static bool
cmdBindingDumpxml(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virNWFilterBinding) binding = NULL;
    g_autofree char *xml = NULL;
    const char *xpath = NULL;

    if (!(binding = vkshCommandOptBinding(ctl, cmd)))
        return false;
    if (vkshOptString(ctl, cmd, "xpath", &xpath) < 0)
        return false;
    if (!(xml = virNWFilterBindingGetXMLDesc(binding, 0)))
        return false;
    if (xpath || vkshOptBool(cmd, "wrap"))
        return vkshXMLPrintXPath(ctl, xml, xpath, vkshOptBool(cmd, "wrap"));
    vkshPrint(ctl, "%s", xml);
    return true;
}

static int
vkshBindingSorter(gconstpointer a, gconstpointer b)
{
    virNWFilterBindingPtr ba = *(virNWFilterBindingPtr const *)a;
    virNWFilterBindingPtr bb = *(virNWFilterBindingPtr const *)b;

    return g_ascii_strcasecmp(virNWFilterBindingGetPortDev(ba),
                              virNWFilterBindingGetPortDev(bb));
}

static bool
cmdBindingList(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func(vkshBindingRelease);
    g_autoptr(GPtrArray) rows =
        g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
    virNWFilterBindingPtr *all = NULL;
    int n;

    if ((n = virConnectListAllNWFilterBindings(ctl->conn, &all, 0)) < 0) {
        vkshError(ctl, "%s", "Failed to list network filter bindings");
        return false;
    }
    for (int i = 0; i < n; i++)
        g_ptr_array_add(list, all[i]);
    free(all);
    g_ptr_array_sort(list, vkshBindingSorter);
    g_ptr_array_add(rows, g_strdupv((char *[]){ "Port Dev", "Filter", NULL }));
    for (guint i = 0; i < list->len; i++) {
        char **row = g_new0(char *, 3);

        row[0] = g_strdup(virNWFilterBindingGetPortDev(list->pdata[i]));
        row[1] = g_strdup(virNWFilterBindingGetFilterName(list->pdata[i]));
        g_ptr_array_add(rows, row);
    }
    vkshTablePrint(ctl, rows, 2, !ctl->quiet);
    return true;
}

const vkshCmdDef vkshNWFilterCmds[] = {
    { "nwfilter-define", cmdNWFilterDefine, optsNWFilterDefine,
      "define or update a network filter from an XML file",
      "Define a new network filter or update an existing one.", 0 },
    { "nwfilter-dumpxml", cmdNWFilterDumpxml, optsNWFilterDumpxml,
      "network filter information in XML",
      "Output the network filter information as an XML dump to stdout.", 0 },
    { "nwfilter-edit", cmdNWFilterEdit, optsNWFilterOnly,
      "edit XML configuration for a network filter",
      "Edit the XML configuration for a network filter.", 0 },
    { "nwfilter-list", cmdNWFilterList, optsNone, "list network filters",
      "Returns list of network filters.", 0 },
    { "nwfilter-undefine", cmdNWFilterUndefine, optsNWFilterOnly,
      "undefine a network filter", "Undefine a given network filter.", 0 },
    { "nwfilter-binding-create", cmdBindingCreate, optsBindingCreate,
      "create a network filter binding from an XML file",
      "Create a new network filter binding.", 0 },
    { "nwfilter-binding-delete", cmdBindingDelete, optsBindingDelete,
      "delete a network filter binding", "Delete a given network filter binding.", 0 },
    { "nwfilter-binding-dumpxml", cmdBindingDumpxml, optsBindingDumpxml,
      "network filter information in XML",
      "Output the network filter information as an XML dump to stdout.", 0 },
    { "nwfilter-binding-list", cmdBindingList, optsNone, "list network filter bindings",
      "Returns list of network filter bindings.", 0 },
    { NULL, NULL, NULL, NULL, NULL, 0 },
};
