/* vksh-checkpoint.c: the checkpoint-* commands, as virsh 9.0 (tools/virsh-checkpoint.c) */
#define G_LOG_DOMAIN "vksh.checkpoint"

#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "vksh.h"
#include "vksh-moment.h"
#include "vksh-xml.h"

/* Every message and layout below is virsh 9.0's, byte for byte. */

G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomainCheckpoint, virDomainCheckpointFree)

/* virsh's virshParseCheckpointDiskspec: disk[,checkpoint=type][,bitmap=name] */
static bool
cpParseDiskspec(vkshControl *ctl, GString *buf, const char *str)
{
    g_auto(GStrv) array = vkshStringToArray(str);
    const char *checkpoint = NULL;
    const char *bitmap = NULL;

    for (size_t i = 1; array[0] && array[i]; i++) {
        if (!checkpoint && g_str_has_prefix(array[i], "checkpoint="))
            checkpoint = array[i] + strlen("checkpoint=");
        else if (!bitmap && g_str_has_prefix(array[i], "bitmap="))
            bitmap = array[i] + strlen("bitmap=");
        else {
            vkshError(ctl, "unable to parse diskspec: %s", str);
            return false;
        }
    }
    vkshXMLAppendEscaped(buf, "    <disk name='%s'", array[0]);
    if (checkpoint)
        g_string_append_printf(buf, " checkpoint='%s'", checkpoint);
    if (bitmap)
        g_string_append_printf(buf, " bitmap='%s'", bitmap);
    g_string_append(buf, "/>\n");
    return true;
}

/* virsh's virshCheckpointCreate */
static bool
cpCreate(vkshControl *ctl, virDomainPtr dom, const char *xml, unsigned int flags,
         const char *from)
{
    g_autoptr(virDomainCheckpoint) cp = virDomainCheckpointCreateXML(dom, xml, flags);
    const char *name;

    if (!cp)
        return false;
    if (!(name = virDomainCheckpointGetName(cp))) {
        vkshError(ctl, "%s", "Could not get checkpoint name");
        return false;
    }
    if (from)
        vkshPrintExtra(ctl, "Domain checkpoint %s created from '%s'", name, from);
    else
        vkshPrintExtra(ctl, "Domain checkpoint %s created", name);
    return true;
}

/* virsh's virshLookupCheckpoint: the checkpoint named by option @arg,
 * NULL after reporting. */
static virDomainCheckpointPtr
cpLookup(vkshControl *ctl, const vkshCmd *cmd, const char *arg, virDomainPtr dom,
         const char **name)
{
    const char *cpname = NULL;
    virDomainCheckpointPtr cp;

    if (vkshOptString(ctl, cmd, arg, &cpname) < 0)
        return NULL;
    if (!cpname) {
        vkshError(ctl, "--%s is required", arg);
        return NULL;
    }
    if (!(cp = virDomainCheckpointLookupByName(dom, cpname, 0))) {
        vkshReportLibError(ctl);
        return NULL;
    }
    *name = virDomainCheckpointGetName(cp);
    return cp;
}

/* virsh's virshGetCheckpointParent: the parent's name in *@parent (NULL
 * for a root). false after an error other than "no parent". */
static bool
cpGetParent(vkshControl *ctl, virDomainCheckpointPtr cp, char **parent)
{
    g_autoptr(virDomainCheckpoint) p = virDomainCheckpointGetParent(cp, 0);

    *parent = NULL;
    if (p) {
        *parent = g_strdup(virDomainCheckpointGetName(p));
        return true;
    }
    if (vkshLastErrorCode() == VIR_ERR_NO_DOMAIN_CHECKPOINT) {
        vkshResetError();
        return true;
    }
    vkshReportLibError(ctl);
    vkshError(ctl, "%s", "unable to determine if checkpoint has parent");
    return false;
}

/* ---- checkpoint-create ---------------------------------------------------- */

static const vkshOptDef optsCheckpointCreate[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "xmlfile", VKSH_OT_STRING, 0, "domain checkpoint XML" },
    { "redefine", VKSH_OT_BOOL, 0, "redefine metadata for existing checkpoint" },
    { "redefine-validate", VKSH_OT_BOOL, 0, "validate the redefined checkpoint" },
    { "quiesce", VKSH_OT_BOOL, 0, "quiesce guest's file systems" },
    { NULL, 0, 0, NULL },
};

static bool
cmdCheckpointCreate(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autofree char *buffer = NULL;
    const char *from = NULL;
    unsigned int flags = 0;

    if (vkshOptBool(cmd, "redefine"))
        flags |= VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE;
    if (vkshOptBool(cmd, "redefine-validate"))
        flags |= VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE_VALIDATE;
    if (vkshOptBool(cmd, "quiesce"))
        flags |= VIR_DOMAIN_CHECKPOINT_CREATE_QUIESCE;
    if (vkshOptBool(cmd, "redefine-validate") && !vkshOptBool(cmd, "redefine")) {
        vkshError(ctl, "Option --%s is required by option --%s", "redefine",
                  "redefine-validate");
        return false;
    }
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (vkshOptString(ctl, cmd, "xmlfile", &from) < 0)
        return false;
    if (!from)
        buffer = g_strdup("<domaincheckpoint/>");
    else if (!(buffer = vkshReadFile(ctl, from)))
        return false;
    return cpCreate(ctl, dom, buffer, flags, from);
}

/* ---- checkpoint-create-as ------------------------------------------------- */

static const vkshOptDef optsCheckpointCreateAs[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "name", VKSH_OT_STRING, 0, "name of checkpoint" },
    { "description", VKSH_OT_STRING, 0, "description of checkpoint" },
    { "print-xml", VKSH_OT_BOOL, 0, "print XML document rather than create" },
    { "quiesce", VKSH_OT_BOOL, 0, "quiesce guest's file systems" },
    { "diskspec", VKSH_OT_ARGV, VKSH_OFLAG_ARGV_SHOWNAME,
      "disk attributes: disk[,checkpoint=type][,bitmap=name]" },
    { NULL, 0, 0, NULL },
};

static bool
cmdCheckpointCreateAs(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autoptr(GString) buf = g_string_new("<domaincheckpoint>\n");
    const char *name = NULL;
    const char *desc = NULL;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (vkshOptString(ctl, cmd, "name", &name) < 0 ||
        vkshOptString(ctl, cmd, "description", &desc) < 0)
        return false;
    vkshXMLAppendEscaped(buf, "  <name>%s</name>\n", name);
    vkshXMLAppendEscaped(buf, "  <description>%s</description>\n", desc);
    if (cmd->argv && cmd->argv->len > 0) {
        g_string_append(buf, "  <disks>\n");
        for (guint i = 0; i < cmd->argv->len; i++)
            if (!cpParseDiskspec(ctl, buf, g_ptr_array_index(cmd->argv, i)))
                return false;
        g_string_append(buf, "  </disks>\n");
    }
    g_string_append(buf, "</domaincheckpoint>\n");
    if (vkshOptBool(cmd, "print-xml")) {
        vkshPrint(ctl, "%s\n", buf->str);
        return true;
    }
    return cpCreate(
        ctl, dom, buf->str,
        vkshOptBool(cmd, "quiesce") ? VIR_DOMAIN_CHECKPOINT_CREATE_QUIESCE : 0, NULL);
}

/* ---- checkpoint-edit ------------------------------------------------------ */

static const vkshOptDef optsCheckpointEdit[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "checkpointname", VKSH_OT_STRING, 0, "checkpoint name" },
    { NULL, 0, 0, NULL },
};

/* virsh's checkpoint-edit over its edit loop; without a terminal a failed
 * definition is not offered for re-editing */
static bool
cmdCheckpointEdit(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autoptr(virDomainCheckpoint) cp = NULL;
    g_autoptr(virDomainCheckpoint) edited = NULL;
    g_autofree char *doc = NULL;
    g_autofree char *docEdited = NULL;
    g_autofree char *docReread = NULL;
    const char *name = NULL;
    const char *editedName;
    bool ret = false;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (!(cp = cpLookup(ctl, cmd, "checkpointname", dom, &name)))
        goto cleanup;
    if (!(doc = virDomainCheckpointGetXMLDesc(cp, VIR_DOMAIN_CHECKPOINT_XML_SECURE)))
        goto cleanup;
    if (!(docEdited = vkshEditText(ctl, doc)))
        goto cleanup;
    if (strcmp(doc, docEdited) == 0) {
        vkshPrintExtra(ctl, "Checkpoint %s XML configuration not changed.\n", name);
        ret = true;
        goto cleanup;
    }
    if (!(docReread =
              virDomainCheckpointGetXMLDesc(cp, VIR_DOMAIN_CHECKPOINT_XML_SECURE)))
        goto cleanup;
    if (strcmp(doc, docReread) != 0) {
        vkshError(ctl, "%s", "The XML configuration was changed by another user.");
        goto cleanup;
    }
    if (!(edited = virDomainCheckpointCreateXML(dom, docEdited,
                                                VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE))) {
        vkshError(ctl, "%s", "Failed.");
        goto cleanup;
    }
    editedName = virDomainCheckpointGetName(edited);
    if (strcmp(name, editedName) == 0) {
        vkshPrintExtra(ctl, "Checkpoint %s edited.\n", name);
    } else {
        if (virDomainCheckpointDelete(edited,
                                      VIR_DOMAIN_CHECKPOINT_DELETE_METADATA_ONLY) < 0) {
            vkshReportLibError(ctl);
            vkshError(ctl, "Failed to clean up %s", editedName);
            goto cleanup;
        }
        vkshError(ctl, "Cannot rename checkpoint %s to %s", name, editedName);
        goto cleanup;
    }
    ret = true;

cleanup:
    if (!ret && name)
        vkshError(ctl, "Failed to update %s", name);
    return ret;
}

/* ---- checkpoint-info ------------------------------------------------------ */

static const vkshOptDef optsCheckpointInfo[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "checkpointname", VKSH_OT_STRING, 0, "checkpoint name" },
    { NULL, 0, 0, NULL },
};

static bool
cmdCheckpointInfo(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autoptr(virDomainCheckpoint) cp = NULL;
    g_autofree char *parent = NULL;
    const char *name = NULL;
    int count;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (!(cp = cpLookup(ctl, cmd, "checkpointname", dom, &name)))
        return false;
    vkshPrint(ctl, "%-15s %s\n", "Name:", name);
    vkshPrint(ctl, "%-15s %s\n", "Domain:", virDomainGetName(dom));
    if (!cpGetParent(ctl, cp, &parent)) {
        vkshError(ctl, "%s", "unexpected problem querying checkpoint state");
        return false;
    }
    vkshPrint(ctl, "%-15s %s\n", "Parent:", parent ? parent : "-");
    if ((count = virDomainCheckpointListAllChildren(cp, NULL, 0)) < 0) {
        if (vkshLastErrorCode() == VIR_ERR_NO_SUPPORT) {
            vkshResetError();
            return true;
        }
        return false;
    }
    vkshPrint(ctl, "%-15s %d\n", "Children:", count);
    if ((count = virDomainCheckpointListAllChildren(
             cp, NULL, VIR_DOMAIN_CHECKPOINT_LIST_DESCENDANTS)) < 0)
        return false;
    vkshPrint(ctl, "%-15s %d\n", "Descendants:", count);
    return true;
}

/* ---- checkpoint-list ------------------------------------------------------ */

static const vkshOptDef optsCheckpointList[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "parent", VKSH_OT_BOOL, 0, "add a column showing parent checkpoint" },
    { "roots", VKSH_OT_BOOL, 0, "list only checkpoints without parents" },
    { "leaves", VKSH_OT_BOOL, 0, "list only checkpoints without children" },
    { "no-leaves", VKSH_OT_BOOL, 0,
      "list only checkpoints that are not leaves (with children)" },
    { "tree", VKSH_OT_BOOL, 0, "list checkpoints in a tree" },
    { "from", VKSH_OT_STRING, 0, "limit list to children of given checkpoint" },
    { "descendants", VKSH_OT_BOOL, 0, "with --from, list all descendants" },
    { "name", VKSH_OT_BOOL, 0, "list checkpoint names only" },
    { "topological", VKSH_OT_BOOL, 0, "sort list topologically rather than by name" },
    { NULL, 0, 0, NULL },
};

static const char *
cpKindName(void *cp)
{
    return virDomainCheckpointGetName(cp);
}

static void
cpKindRef(void *cp)
{
    virDomainCheckpointRef(cp);
}

static void
cpKindFree(void *cp)
{
    virDomainCheckpointFree(cp);
}

static bool
cpKindParent(vkshControl *ctl, void *cp, char **parent)
{
    return cpGetParent(ctl, cp, parent);
}

static const vkshMomentKind cpKind = { cpKindName, cpKindRef, cpKindFree, cpKindParent };

/* virsh's virshCheckpointListCollect */
static GPtrArray *
cpCollect(vkshControl *ctl, virDomainPtr dom, virDomainCheckpointPtr from,
          unsigned int flags, bool tree)
{
    virDomainCheckpointPtr *cps = NULL;
    int count;

    if (from)
        count = virDomainCheckpointListAllChildren(from, &cps, flags);
    else
        count = virDomainListAllCheckpoints(dom, &cps, flags);
    if (count < 0) {
        vkshReportLibError(ctl);
        vkshError(ctl, "%s", "unexpected problem querying checkpoints");
        return NULL;
    }
    return vkshMomentListNew(ctl, &cpKind, (void **)cps, count, from, tree,
                             flags & VIR_DOMAIN_CHECKPOINT_LIST_TOPOLOGICAL);
}

static bool
cmdCheckpointList(vkshControl *ctl, const vkshCmd *cmd)
{
    bool parent = vkshOptBool(cmd, "parent");
    bool roots = vkshOptBool(cmd, "roots");
    bool tree = vkshOptBool(cmd, "tree");
    bool name = vkshOptBool(cmd, "name");
    bool from = vkshOptBool(cmd, "from");
    unsigned int flags = 0;
    g_autoptr(virDomain) dom = NULL;
    g_autoptr(virDomainCheckpoint) start = NULL;
    g_autoptr(GPtrArray) list = NULL;
    g_autoptr(GPtrArray) rows = NULL;
    const char *startName = NULL;
    static const struct {
        const char *opt;
        unsigned int flag;
    } filters[] = {
        { "leaves", VIR_DOMAIN_CHECKPOINT_LIST_LEAVES },
        { "no-leaves", VIR_DOMAIN_CHECKPOINT_LIST_NO_LEAVES },
    };

    if (!vkshOptExclusive(ctl, cmd, "tree", "name") ||
        !vkshOptExclusive(ctl, cmd, "parent", "roots") ||
        !vkshOptExclusive(ctl, cmd, "parent", "tree") ||
        !vkshOptExclusive(ctl, cmd, "roots", "tree") ||
        !vkshOptExclusive(ctl, cmd, "roots", "from"))
        return false;
    for (size_t i = 0; i < G_N_ELEMENTS(filters); i++) {
        if (!vkshOptBool(cmd, filters[i].opt))
            continue;
        if (tree) {
            vkshError(ctl, "--%s and --tree are mutually exclusive", filters[i].opt);
            return false;
        }
        flags |= filters[i].flag;
    }
    if (vkshOptBool(cmd, "topological"))
        flags |= VIR_DOMAIN_CHECKPOINT_LIST_TOPOLOGICAL;
    if (roots)
        flags |= VIR_DOMAIN_CHECKPOINT_LIST_ROOTS;
    if (vkshOptBool(cmd, "descendants")) {
        if (!from) {
            vkshError(ctl, "%s", "--descendants requires --from");
            return false;
        }
        flags |= VIR_DOMAIN_CHECKPOINT_LIST_DESCENDANTS;
    }
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (from && !(start = cpLookup(ctl, cmd, "from", dom, &startName)))
        return false;
    if (!(list = cpCollect(ctl, dom, start, flags, tree)))
        return false;

    if (tree) {
        vkshMomentTreePrint(ctl, list);
        return true;
    }

    rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
    if (!name)
        g_ptr_array_add(
            rows, parent
                      ? g_strdupv((char *[]){ "Name", "Creation Time", "Parent", NULL })
                      : g_strdupv((char *[]){ "Name", "Creation Time", NULL }));
    for (guint i = 0; i < list->len; i++) {
        virDomainCheckpointPtr cp = ((vkshMoment *)list->pdata[i])->obj;
        const char *cpName = virDomainCheckpointGetName(cp);
        g_autofree char *doc = NULL;
        g_autofree char *ctime = NULL;
        g_autofree char *parentName = NULL;
        xmlDocPtr xml;
        char timestr[100] = "";
        char **row;

        if (name) {
            vkshPrint(ctl, "%s\n", cpName);
            continue;
        }
        if (!(doc = virDomainCheckpointGetXMLDesc(cp, 0)))
            continue;
        if (!(xml = xmlReadMemory(doc, strlen(doc), "domain_checkpoint.xml", NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR |
                                      XML_PARSE_NOWARNING)))
            continue;
        if (parent)
            parentName = vkshMomentXMLText(xml, "parent", "name");
        ctime = vkshMomentXMLText(xml, "creationTime", NULL);
        xmlFreeDoc(xml);
        if (!ctime)
            continue;
        if (!vkshMomentCreationTime(ctime, timestr, sizeof(timestr)))
            continue;
        row = g_new0(char *, 4);
        row[0] = g_strdup(cpName);
        row[1] = g_strdup(timestr);
        if (parent)
            row[2] = g_strdup(parentName ? parentName : "");
        g_ptr_array_add(rows, row);
    }
    if (!name)
        vkshTablePrint(ctl, rows, parent ? 3 : 2, !ctl->quiet);
    return true;
}

/* ---- checkpoint-dumpxml --------------------------------------------------- */

static const vkshOptDef optsCheckpointDumpxml[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "checkpointname", VKSH_OT_STRING, 0, "checkpoint name" },
    { "security-info", VKSH_OT_BOOL, 0,
      "include security sensitive information in XML dump" },
    { "no-domain", VKSH_OT_BOOL, 0, "exclude <domain> from XML" },
    { "size", VKSH_OT_BOOL, 0, "include backup size estimate in XML dump" },
    { "xpath", VKSH_OT_STRING, 0, "xpath expression to filter the XML document" },
    { "wrap", VKSH_OT_BOOL, 0, "wrap xpath results in an common root element" },
    { NULL, 0, 0, NULL },
};

static bool
cmdCheckpointDumpxml(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autoptr(virDomainCheckpoint) cp = NULL;
    g_autofree char *xml = NULL;
    const char *name = NULL;
    const char *xpath = NULL;
    unsigned int flags = 0;

    if (vkshOptBool(cmd, "security-info"))
        flags |= VIR_DOMAIN_CHECKPOINT_XML_SECURE;
    if (vkshOptBool(cmd, "no-domain"))
        flags |= VIR_DOMAIN_CHECKPOINT_XML_NO_DOMAIN;
    if (vkshOptBool(cmd, "size"))
        flags |= VIR_DOMAIN_CHECKPOINT_XML_SIZE;
    if (vkshOptString(ctl, cmd, "xpath", &xpath) < 0)
        return false;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (!(cp = cpLookup(ctl, cmd, "checkpointname", dom, &name)))
        return false;
    if (!(xml = virDomainCheckpointGetXMLDesc(cp, flags)))
        return false;
    if (xpath || vkshOptBool(cmd, "wrap"))
        return vkshXMLPrintXPath(ctl, xml, xpath, vkshOptBool(cmd, "wrap"));
    vkshPrint(ctl, "%s", xml);
    return true;
}

/* ---- checkpoint-parent ---------------------------------------------------- */

static const vkshOptDef optsCheckpointParent[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "checkpointname", VKSH_OT_STRING, 0, "find parent of checkpoint name" },
    { NULL, 0, 0, NULL },
};

static bool
cmdCheckpointParent(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autoptr(virDomainCheckpoint) cp = NULL;
    g_autofree char *parent = NULL;
    const char *name = NULL;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (!(cp = cpLookup(ctl, cmd, "checkpointname", dom, &name)))
        return false;
    if (!cpGetParent(ctl, cp, &parent))
        return false;
    if (!parent) {
        vkshError(ctl, "checkpoint '%s' has no parent", name);
        return false;
    }
    vkshPrint(ctl, "%s", parent);
    return true;
}

/* ---- checkpoint-delete ---------------------------------------------------- */

static const vkshOptDef optsCheckpointDelete[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "checkpointname", VKSH_OT_STRING, 0, "checkpoint name" },
    { "children", VKSH_OT_BOOL, 0, "delete checkpoint and all children" },
    { "children-only", VKSH_OT_BOOL, 0, "delete children but not checkpoint" },
    { "metadata", VKSH_OT_BOOL, 0,
      "delete only libvirt metadata, leaving checkpoint contents behind" },
    { NULL, 0, 0, NULL },
};

static bool
cmdCheckpointDelete(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autoptr(virDomainCheckpoint) cp = NULL;
    const char *name = NULL;
    unsigned int flags = 0;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (!(cp = cpLookup(ctl, cmd, "checkpointname", dom, &name)))
        return false;
    if (vkshOptBool(cmd, "children"))
        flags |= VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN;
    if (vkshOptBool(cmd, "children-only"))
        flags |= VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN_ONLY;
    if (vkshOptBool(cmd, "metadata"))
        flags |= VIR_DOMAIN_CHECKPOINT_DELETE_METADATA_ONLY;
    if (virDomainCheckpointDelete(cp, flags) < 0) {
        vkshError(ctl, "Failed to delete checkpoint %s", name);
        return false;
    }
    if (flags & VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN_ONLY)
        vkshPrintExtra(ctl, "Domain checkpoint %s children deleted\n", name);
    else
        vkshPrintExtra(ctl, "Domain checkpoint %s deleted\n", name);
    return true;
}

const vkshCmdDef vkshCheckpointCmds[] = {
    { "checkpoint-create", cmdCheckpointCreate, optsCheckpointCreate,
      "Create a checkpoint from XML",
      "Create a checkpoint from XML for use in future incremental backups", 0 },
    { "checkpoint-create-as", cmdCheckpointCreateAs, optsCheckpointCreateAs,
      "Create a checkpoint from a set of args",
      "Create a checkpoint from arguments for use in future incremental backups", 0 },
    { "checkpoint-delete", cmdCheckpointDelete, optsCheckpointDelete,
      "Delete a domain checkpoint", "Checkpoint Delete", 0 },
    { "checkpoint-dumpxml", cmdCheckpointDumpxml, optsCheckpointDumpxml,
      "Dump XML for a domain checkpoint", "Checkpoint Dump XML", 0 },
    { "checkpoint-edit", cmdCheckpointEdit, optsCheckpointEdit,
      "edit XML for a checkpoint",
      "Edit the domain checkpoint XML for a named checkpoint", 0 },
    { "checkpoint-info", cmdCheckpointInfo, optsCheckpointInfo, "checkpoint information",
      "Returns basic information about a checkpoint.", 0 },
    { "checkpoint-list", cmdCheckpointList, optsCheckpointList,
      "List checkpoints for a domain", "Checkpoint List", 0 },
    { "checkpoint-parent", cmdCheckpointParent, optsCheckpointParent,
      "Get the name of the parent of a checkpoint",
      "Extract the checkpoint's parent, if any", 0 },
    { NULL, NULL, NULL, NULL, NULL, 0 },
};
