/* vksh-snapshot.c: the snapshot-* commands, as virsh 9.0 (tools/virsh-snapshot.c) */
#define G_LOG_DOMAIN "vksh.snapshot"

#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "vksh.h"
#include "vksh-moment.h"
#include "vksh-xml.h"

/* Every message and layout below is virsh 9.0's, byte for byte. */

G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomainSnapshot, virDomainSnapshotFree)

static bool
snapParseMemspec(vkshControl *ctl, GString *buf, const char *str)
{
    g_auto(GStrv) array = vkshStringToArray(str);
    const char *snapshot = NULL;
    const char *file = NULL;

    for (size_t i = 0; array[i]; i++) {
        if (!snapshot && g_str_has_prefix(array[i], "snapshot="))
            snapshot = array[i] + strlen("snapshot=");
        else if (!file && g_str_has_prefix(array[i], "file="))
            file = array[i] + strlen("file=");
        else if (!file && *array[i] == '/')
            file = array[i];
        else {
            vkshError(ctl, "unable to parse memspec: %s", str);
            return false;
        }
    }
    g_string_append(buf, "  <memory");
    vkshXMLAppendEscaped(buf, " snapshot='%s'", snapshot);
    vkshXMLAppendEscaped(buf, " file='%s'", file);
    g_string_append(buf, "/>\n");
    return true;
}

static bool
snapParseDiskspec(vkshControl *ctl, GString *buf, const char *str)
{
    g_auto(GStrv) array = vkshStringToArray(str);
    const char *snapshot = NULL;
    const char *driver = NULL;
    const char *stype = NULL;
    const char *file = NULL;
    bool isFile = true;

    for (size_t i = 1; array[0] && array[i]; i++) {
        if (!snapshot && g_str_has_prefix(array[i], "snapshot="))
            snapshot = array[i] + strlen("snapshot=");
        else if (!driver && g_str_has_prefix(array[i], "driver="))
            driver = array[i] + strlen("driver=");
        else if (!stype && g_str_has_prefix(array[i], "stype="))
            stype = array[i] + strlen("stype=");
        else if (!file && g_str_has_prefix(array[i], "file="))
            file = array[i] + strlen("file=");
        else
            goto error;
    }
    vkshXMLAppendEscaped(buf, "    <disk name='%s'", array[0]);
    if (snapshot)
        g_string_append_printf(buf, " snapshot='%s'", snapshot);
    if (stype) {
        if (strcmp(stype, "block") == 0) {
            isFile = false;
        } else if (strcmp(stype, "file") != 0) {
            vkshError(ctl, "Unknown storage type: '%s'", stype);
            goto error;
        }
        g_string_append_printf(buf, " type='%s'", stype);
    }
    if (driver || file) {
        g_string_append(buf, ">\n");
        if (driver)
            g_string_append_printf(buf, "      <driver type='%s'/>\n", driver);
        if (file)
            vkshXMLAppendEscaped(buf,
                                 isFile ? "      <source file='%s'/>\n"
                                        : "      <source dev='%s'/>\n",
                                 file);
        g_string_append(buf, "    </disk>\n");
    } else {
        g_string_append(buf, "/>\n");
    }
    return true;

error:
    vkshError(ctl, "unable to parse diskspec: %s", str);
    return false;
}

/* virsh's virshSnapshotCreate */
static bool
snapCreate(vkshControl *ctl, virDomainPtr dom, const char *xml, unsigned int flags,
           const char *from)
{
    g_autoptr(virDomainSnapshot) snap = virDomainSnapshotCreateXML(dom, xml, flags);
    const char *name;

    if (!snap)
        return false;
    if (!(name = virDomainSnapshotGetName(snap))) {
        vkshError(ctl, "%s", "Could not get snapshot name");
        return false;
    }
    if (from)
        vkshPrintExtra(ctl, "Domain snapshot %s created from '%s'", name, from);
    else
        vkshPrintExtra(ctl, "Domain snapshot %s created", name);
    return true;
}

static unsigned int
createFlags(const vkshCmd *cmd)
{
    static const struct {
        const char *opt;
        unsigned int flag;
    } map[] = {
        { "redefine", VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE },
        { "current", VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT },
        { "no-metadata", VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA },
        { "halt", VIR_DOMAIN_SNAPSHOT_CREATE_HALT },
        { "disk-only", VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY },
        { "reuse-external", VIR_DOMAIN_SNAPSHOT_CREATE_REUSE_EXT },
        { "quiesce", VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE },
        { "atomic", VIR_DOMAIN_SNAPSHOT_CREATE_ATOMIC },
        { "live", VIR_DOMAIN_SNAPSHOT_CREATE_LIVE },
        { "validate", VIR_DOMAIN_SNAPSHOT_CREATE_VALIDATE },
    };
    unsigned int flags = 0;

    for (size_t i = 0; i < G_N_ELEMENTS(map); i++) {
        bool known = false;

        for (const vkshOptDef *o = cmd->def->opts; o->name; o++)
            known |= strcmp(o->name, map[i].opt) == 0;
        if (known && vkshOptBool(cmd, map[i].opt))
            flags |= map[i].flag;
    }
    return flags;
}

/* ---- snapshot-create ------------------------------------------------------ */

static const vkshOptDef optsSnapshotCreate[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "xmlfile", VKSH_OT_STRING, 0, "domain snapshot XML" },
    { "redefine", VKSH_OT_BOOL, 0, "redefine metadata for existing snapshot" },
    { "current", VKSH_OT_BOOL, 0, "with redefine, set current snapshot" },
    { "no-metadata", VKSH_OT_BOOL, 0, "take snapshot but create no metadata" },
    { "halt", VKSH_OT_BOOL, 0, "halt domain after snapshot is created" },
    { "disk-only", VKSH_OT_BOOL, 0, "capture disk state but not vm state" },
    { "reuse-external", VKSH_OT_BOOL, 0, "reuse any existing external files" },
    { "quiesce", VKSH_OT_BOOL, 0, "quiesce guest's file systems" },
    { "atomic", VKSH_OT_BOOL, 0, "require atomic operation" },
    { "live", VKSH_OT_BOOL, 0, "take a live snapshot" },
    { "validate", VKSH_OT_BOOL, 0, "validate the XML against the schema" },
    { NULL, 0, 0, NULL },
};

static bool
cmdSnapshotCreate(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autofree char *buffer = NULL;
    const char *from = NULL;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (vkshOptString(ctl, cmd, "xmlfile", &from) < 0)
        return false;
    if (!from)
        buffer = g_strdup("<domainsnapshot/>");
    else if (!(buffer = vkshReadFile(ctl, from)))
        return false;
    return snapCreate(ctl, dom, buffer, createFlags(cmd), from);
}

/* ---- snapshot-create-as --------------------------------------------------- */

static const vkshOptDef optsSnapshotCreateAs[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "name", VKSH_OT_STRING, 0, "name of snapshot" },
    { "description", VKSH_OT_STRING, 0, "description of snapshot" },
    { "print-xml", VKSH_OT_BOOL, 0, "print XML document rather than create" },
    { "no-metadata", VKSH_OT_BOOL, 0, "take snapshot but create no metadata" },
    { "halt", VKSH_OT_BOOL, 0, "halt domain after snapshot is created" },
    { "disk-only", VKSH_OT_BOOL, 0, "capture disk state but not vm state" },
    { "reuse-external", VKSH_OT_BOOL, 0, "reuse any existing external files" },
    { "quiesce", VKSH_OT_BOOL, 0, "quiesce guest's file systems" },
    { "atomic", VKSH_OT_BOOL, 0, "require atomic operation" },
    { "live", VKSH_OT_BOOL, 0, "take a live snapshot" },
    { "validate", VKSH_OT_BOOL, 0, "validate the XML against the schema" },
    { "memspec", VKSH_OT_STRING, VKSH_OFLAG_NAMED,
      "memory attributes: [file=]name[,snapshot=type]" },
    { "diskspec", VKSH_OT_ARGV, VKSH_OFLAG_ARGV_SHOWNAME,
      "disk attributes: disk[,snapshot=type][,driver=type][,stype=type][,file=name]" },
    { NULL, 0, 0, NULL },
};

static bool
cmdSnapshotCreateAs(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autoptr(GString) buf = g_string_new("<domainsnapshot>\n");
    const char *name = NULL;
    const char *desc = NULL;
    const char *memspec = NULL;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (vkshOptString(ctl, cmd, "name", &name) < 0 ||
        vkshOptString(ctl, cmd, "description", &desc) < 0 ||
        vkshOptString(ctl, cmd, "memspec", &memspec) < 0)
        return false;
    vkshXMLAppendEscaped(buf, "  <name>%s</name>\n", name);
    vkshXMLAppendEscaped(buf, "  <description>%s</description>\n", desc);
    if (memspec && !snapParseMemspec(ctl, buf, memspec))
        return false;
    if (cmd->argv && cmd->argv->len > 0) {
        g_string_append(buf, "  <disks>\n");
        for (guint i = 0; i < cmd->argv->len; i++)
            if (!snapParseDiskspec(ctl, buf, g_ptr_array_index(cmd->argv, i)))
                return false;
        g_string_append(buf, "  </disks>\n");
    }
    g_string_append(buf, "</domainsnapshot>\n");
    if (vkshOptBool(cmd, "print-xml")) {
        vkshPrint(ctl, "%s\n", buf->str);
        return true;
    }
    return snapCreate(ctl, dom, buf->str, createFlags(cmd), NULL);
}

/* virsh's virshLookupSnapshot: by the @arg option or --current. NULL
 * after reporting. */
static virDomainSnapshotPtr
snapLookup(vkshControl *ctl, const vkshCmd *cmd, const char *arg, bool exclusive,
           virDomainPtr dom, const char **name)
{
    bool current = vkshOptBool(cmd, "current");
    const char *snapname = NULL;
    virDomainSnapshotPtr snap;

    if (vkshOptString(ctl, cmd, arg, &snapname) < 0)
        return NULL;
    if (exclusive && current && snapname) {
        vkshError(ctl, "--%s and --current are mutually exclusive", arg);
        return NULL;
    }
    if (snapname) {
        snap = virDomainSnapshotLookupByName(dom, snapname, 0);
    } else if (current) {
        snap = virDomainSnapshotCurrent(dom, 0);
    } else {
        vkshError(ctl, "--%s or --current is required", arg);
        return NULL;
    }
    if (snap)
        *name = virDomainSnapshotGetName(snap);
    return snap;
}

/* ---- snapshot-current ----------------------------------------------------- */

static const vkshOptDef optsSnapshotCurrent[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "name", VKSH_OT_BOOL, 0, "list the name, rather than the full xml" },
    { "security-info", VKSH_OT_BOOL, 0,
      "include security sensitive information in XML dump" },
    { "snapshotname", VKSH_OT_STRING, 0, "name of existing snapshot to make current" },
    { NULL, 0, 0, NULL },
};

static bool
cmdSnapshotCurrent(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autoptr(virDomainSnapshot) snap = NULL;
    const char *snapname = NULL;
    unsigned int flags = 0;
    int current;

    if (vkshOptBool(cmd, "security-info"))
        flags |= VIR_DOMAIN_XML_SECURE;
    if (!vkshOptExclusive(ctl, cmd, "name", "snapshotname") ||
        !vkshOptExclusive(ctl, cmd, "security-info", "snapshotname"))
        return false;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (vkshOptString(ctl, cmd, "snapshotname", &snapname) < 0)
        return false;

    if (snapname) {
        g_autoptr(virDomainSnapshot) snap2 = NULL;
        g_autofree char *xml = NULL;

        if (!(snap = virDomainSnapshotLookupByName(dom, snapname, 0)) ||
            !(xml = virDomainSnapshotGetXMLDesc(snap, VIR_DOMAIN_SNAPSHOT_XML_SECURE)) ||
            !(snap2 = virDomainSnapshotCreateXML(dom, xml,
                                                 VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE |
                                                     VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT)))
            return false;
        vkshPrintExtra(ctl, "Snapshot %s set as current", snapname);
        return true;
    }

    if ((current = virDomainHasCurrentSnapshot(dom, 0)) < 0)
        return false;
    if (!current) {
        vkshError(ctl, "domain '%s' has no current snapshot", virDomainGetName(dom));
        return false;
    }
    if (!(snap = virDomainSnapshotCurrent(dom, 0)))
        return false;
    if (vkshOptBool(cmd, "name")) {
        const char *name = virDomainSnapshotGetName(snap);

        if (!name)
            return false;
        vkshPrint(ctl, "%s", name);
    } else {
        g_autofree char *xml = virDomainSnapshotGetXMLDesc(snap, flags);

        if (!xml)
            return false;
        vkshPrint(ctl, "%s", xml);
    }
    return true;
}

/* virsh's virshGetSnapshotParent: the parent's name in *@parent (NULL
 * for a root). false after an error other than "no parent". */
static bool
snapGetParent(virDomainSnapshotPtr snap, char **parent)
{
    g_autoptr(virDomainSnapshot) p = virDomainSnapshotGetParent(snap, 0);

    *parent = NULL;
    if (p) {
        *parent = g_strdup(virDomainSnapshotGetName(p));
        return true;
    }
    if (vkshLastErrorCode() == VIR_ERR_NO_DOMAIN_SNAPSHOT) {
        vkshResetError();
        return true;
    }
    return false;
}

/* ---- snapshot-info -------------------------------------------------------- */

static const vkshOptDef optsSnapshotInfo[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "snapshotname", VKSH_OT_STRING, 0, "snapshot name" },
    { "current", VKSH_OT_BOOL, 0, "info on current snapshot" },
    { NULL, 0, 0, NULL },
};

static xmlNodePtr
xmlChild(xmlNodePtr parent, const char *name)
{
    for (xmlNodePtr n = parent ? parent->children : NULL; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0)
            return n;
    return NULL;
}

static bool
propIs(xmlNodePtr node, const char *attr, const char *value)
{
    xmlChar *v = xmlGetProp(node, (const xmlChar *)attr);
    bool r = v && strcmp((const char *)v, value) == 0;

    xmlFree(v);
    return r;
}

static xmlDocPtr
snapParse(const char *xml)
{
    return xmlReadMemory(xml, strlen(xml), "domain_snapshot.xml", NULL,
                         XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

static bool
cmdSnapshotInfo(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autoptr(virDomainSnapshot) snap = NULL;
    g_autofree char *doc = NULL;
    g_autofree char *state = NULL;
    g_autofree char *parent = NULL;
    xmlDocPtr xml = NULL;
    const char *name = NULL;
    bool external;
    int current;
    int count;
    int metadata;
    bool ret = false;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (!(snap = snapLookup(ctl, cmd, "snapshotname", true, dom, &name)))
        return false;

    vkshPrint(ctl, "%-15s %s\n", "Name:", name);
    vkshPrint(ctl, "%-15s %s\n", "Domain:", virDomainGetName(dom));
    current = virDomainSnapshotIsCurrent(snap, 0);
    if (current < 0) {
        g_autoptr(virDomainSnapshot) other = virDomainSnapshotCurrent(dom, 0);

        vkshResetError();
        current = other && strcmp(name, virDomainSnapshotGetName(other)) == 0;
    }
    vkshPrint(ctl, "%-15s %s\n", "Current:", current > 0 ? "yes" : "no");

    if (!(doc = virDomainSnapshotGetXMLDesc(snap, 0)))
        return false;
    if (!(xml = snapParse(doc)) || !(state = vkshMomentXMLText(xml, "state", NULL))) {
        vkshError(ctl, "%s", "unexpected problem reading snapshot xml");
        goto cleanup;
    }
    vkshPrint(ctl, "%-15s %s\n", "State:", state);
    {
        xmlNodePtr root = xmlDocGetRootElement(xml);
        xmlNodePtr mem = xmlChild(root, "memory");

        if (mem) {
            external = propIs(mem, "snapshot", "external");
            for (xmlNodePtr d = xmlChild(xmlChild(root, "disks"), "disk"); d && !external;
                 d = d->next)
                if (d->type == XML_ELEMENT_NODE &&
                    strcmp((const char *)d->name, "disk") == 0)
                    external = propIs(d, "snapshot", "external");
        } else {
            external = strcmp(state, "disk-snapshot") == 0;
        }
    }
    vkshPrint(ctl, "%-15s %s\n", "Location:", external ? "external" : "internal");
    parent = vkshMomentXMLText(xml, "parent", "name");
    vkshPrint(ctl, "%-15s %s\n", "Parent:", parent && *parent ? parent : "-");

    if ((count = virDomainSnapshotNumChildren(snap, 0)) < 0) {
        if (vkshLastErrorCode() == VIR_ERR_NO_SUPPORT) {
            vkshResetError();
            ret = true;
        }
        goto cleanup;
    }
    vkshPrint(ctl, "%-15s %d\n", "Children:", count);
    if ((count = virDomainSnapshotNumChildren(snap,
                                              VIR_DOMAIN_SNAPSHOT_LIST_DESCENDANTS)) < 0)
        goto cleanup;
    vkshPrint(ctl, "%-15s %d\n", "Descendants:", count);
    if ((metadata = virDomainSnapshotHasMetadata(snap, 0)) < 0) {
        metadata = virDomainSnapshotNum(dom, VIR_DOMAIN_SNAPSHOT_LIST_METADATA);
        vkshResetError();
    }
    if (metadata >= 0)
        vkshPrint(ctl, "%-15s %s\n", "Metadata:", metadata ? "yes" : "no");
    ret = true;

cleanup:
    if (xml)
        xmlFreeDoc(xml);
    return ret;
}

/* ---- snapshot-list -------------------------------------------------------- */

static const vkshOptDef optsSnapshotList[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "parent", VKSH_OT_BOOL, 0, "add a column showing parent snapshot" },
    { "roots", VKSH_OT_BOOL, 0, "list only snapshots without parents" },
    { "leaves", VKSH_OT_BOOL, 0, "list only snapshots without children" },
    { "no-leaves", VKSH_OT_BOOL, 0,
      "list only snapshots that are not leaves (with children)" },
    { "metadata", VKSH_OT_BOOL, 0,
      "list only snapshots that have metadata that would prevent undefine" },
    { "no-metadata", VKSH_OT_BOOL, 0,
      "list only snapshots that have no metadata managed by libvirt" },
    { "inactive", VKSH_OT_BOOL, 0, "filter by snapshots taken while inactive" },
    { "active", VKSH_OT_BOOL, 0,
      "filter by snapshots taken while active (full system snapshots)" },
    { "disk-only", VKSH_OT_BOOL, 0, "filter by disk-only snapshots" },
    { "internal", VKSH_OT_BOOL, 0, "filter by internal snapshots" },
    { "external", VKSH_OT_BOOL, 0, "filter by external snapshots" },
    { "tree", VKSH_OT_BOOL, 0, "list snapshots in a tree" },
    { "from", VKSH_OT_STRING, 0, "limit list to children of given snapshot" },
    { "current", VKSH_OT_BOOL, 0, "limit list to children of current snapshot" },
    { "descendants", VKSH_OT_BOOL, 0, "with --from, list all descendants" },
    { "name", VKSH_OT_BOOL, 0, "list snapshot names only" },
    { "topological", VKSH_OT_BOOL, 0, "sort list topologically rather than by name" },
    { NULL, 0, 0, NULL },
};

static const char *
snapKindName(void *snap)
{
    return virDomainSnapshotGetName(snap);
}

static void
snapKindRef(void *snap)
{
    virDomainSnapshotRef(snap);
}

static void
snapKindFree(void *snap)
{
    virDomainSnapshotFree(snap);
}

static bool
snapKindParent(vkshControl *ctl, void *snap, char **parent)
{
    (void)ctl;
    return snapGetParent(snap, parent);
}

static const vkshMomentKind snapKind = { snapKindName, snapKindRef, snapKindFree,
                                         snapKindParent };

/* virsh's virshSnapshotListCollect (the ListAll path) */
static GPtrArray *
snapCollect(vkshControl *ctl, virDomainPtr dom, virDomainSnapshotPtr from,
            unsigned int flags, bool tree)
{
    virDomainSnapshotPtr *snaps = NULL;
    int count;

    if (from)
        count = virDomainSnapshotListAllChildren(from, &snaps, flags);
    else
        count = virDomainListAllSnapshots(dom, &snaps, flags);
    if (count < 0)
        return NULL;
    return vkshMomentListNew(ctl, &snapKind, (void **)snaps, count, from, tree,
                             flags & VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL);
}

static bool
cmdSnapshotList(vkshControl *ctl, const vkshCmd *cmd)
{
    static const struct {
        const char *opt;
        unsigned int flag;
    } filters[] = {
        { "leaves", VIR_DOMAIN_SNAPSHOT_LIST_LEAVES },
        { "no-leaves", VIR_DOMAIN_SNAPSHOT_LIST_NO_LEAVES },
        { "inactive", VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE },
        { "active", VIR_DOMAIN_SNAPSHOT_LIST_ACTIVE },
        { "disk-only", VIR_DOMAIN_SNAPSHOT_LIST_DISK_ONLY },
        { "internal", VIR_DOMAIN_SNAPSHOT_LIST_INTERNAL },
        { "external", VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL },
    };
    bool parent = vkshOptBool(cmd, "parent");
    bool roots = vkshOptBool(cmd, "roots");
    bool tree = vkshOptBool(cmd, "tree");
    bool name = vkshOptBool(cmd, "name");
    bool from = vkshOptBool(cmd, "from");
    bool current = vkshOptBool(cmd, "current");
    unsigned int flags = 0;
    g_autoptr(virDomain) dom = NULL;
    g_autoptr(virDomainSnapshot) start = NULL;
    g_autoptr(GPtrArray) list = NULL;
    g_autoptr(GPtrArray) rows = NULL;
    const char *startName = NULL;

    if (!vkshOptExclusive(ctl, cmd, "tree", "name") ||
        !vkshOptExclusive(ctl, cmd, "parent", "roots") ||
        !vkshOptExclusive(ctl, cmd, "parent", "tree") ||
        !vkshOptExclusive(ctl, cmd, "roots", "tree") ||
        !vkshOptExclusive(ctl, cmd, "roots", "from") ||
        !vkshOptExclusive(ctl, cmd, "roots", "current"))
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
        flags |= VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL;
    if (roots)
        flags |= VIR_DOMAIN_SNAPSHOT_LIST_ROOTS;
    if (vkshOptBool(cmd, "metadata"))
        flags |= VIR_DOMAIN_SNAPSHOT_LIST_METADATA;
    if (vkshOptBool(cmd, "no-metadata"))
        flags |= VIR_DOMAIN_SNAPSHOT_LIST_NO_METADATA;
    if (vkshOptBool(cmd, "descendants")) {
        if (!from && !current) {
            vkshError(ctl, "%s", "--descendants requires either --from or --current");
            return false;
        }
        flags |= VIR_DOMAIN_SNAPSHOT_LIST_DESCENDANTS;
    }
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if ((from || current) &&
        !(start = snapLookup(ctl, cmd, "from", true, dom, &startName)))
        return false;
    if (!(list = snapCollect(ctl, dom, start, flags, tree)))
        return false;

    if (tree) {
        vkshMomentTreePrint(ctl, list);
        return true;
    }

    rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
    if (!name)
        g_ptr_array_add(rows, parent ? g_strdupv((char *[]){ "Name", "Creation Time",
                                                             "State", "Parent", NULL })
                                     : g_strdupv((char *[]){ "Name", "Creation Time",
                                                             "State", NULL }));
    for (guint i = 0; i < list->len; i++) {
        virDomainSnapshotPtr snap = ((vkshMoment *)list->pdata[i])->obj;
        const char *snapName = virDomainSnapshotGetName(snap);
        g_autofree char *doc = NULL;
        g_autofree char *state = NULL;
        g_autofree char *ctime = NULL;
        g_autofree char *parentName = NULL;
        xmlDocPtr xml;
        char timestr[100] = "";
        char **row;

        if (name) {
            vkshPrint(ctl, "%s\n", snapName);
            continue;
        }
        if (!(doc = virDomainSnapshotGetXMLDesc(snap, 0)))
            continue;
        if (!(xml = snapParse(doc)))
            continue;
        if (parent)
            parentName = vkshMomentXMLText(xml, "parent", "name");
        state = vkshMomentXMLText(xml, "state", NULL);
        ctime = vkshMomentXMLText(xml, "creationTime", NULL);
        xmlFreeDoc(xml);
        if (!state || !ctime)
            continue;
        if (!vkshMomentCreationTime(ctime, timestr, sizeof(timestr)))
            continue;
        row = g_new0(char *, 5);
        row[0] = g_strdup(snapName);
        row[1] = g_strdup(timestr);
        row[2] = g_strdup(state);
        if (parent)
            row[3] = g_strdup(parentName ? parentName : "");
        g_ptr_array_add(rows, row);
    }
    if (!name)
        vkshTablePrint(ctl, rows, parent ? 4 : 3, !ctl->quiet);
    return true;
}

/* ---- snapshot-dumpxml ----------------------------------------------------- */

static const vkshOptDef optsSnapshotDumpxml[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "snapshotname", VKSH_OT_STRING, VKSH_OFLAG_REQ, "snapshot name" },
    { "security-info", VKSH_OT_BOOL, 0,
      "include security sensitive information in XML dump" },
    { "xpath", VKSH_OT_STRING, 0, "xpath expression to filter the XML document" },
    { "wrap", VKSH_OT_BOOL, 0, "wrap xpath results in an common root element" },
    { NULL, 0, 0, NULL },
};

static bool
cmdSnapshotDumpxml(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autoptr(virDomainSnapshot) snap = NULL;
    g_autofree char *xml = NULL;
    const char *name = NULL;
    const char *xpath = NULL;
    unsigned int flags = 0;

    if (vkshOptBool(cmd, "security-info"))
        flags |= VIR_DOMAIN_XML_SECURE;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (vkshOptString(ctl, cmd, "snapshotname", &name) < 0 ||
        vkshOptString(ctl, cmd, "xpath", &xpath) < 0)
        return false;
    if (!(snap = virDomainSnapshotLookupByName(dom, name, 0)))
        return false;
    if (!(xml = virDomainSnapshotGetXMLDesc(snap, flags)))
        return false;
    if (xpath || vkshOptBool(cmd, "wrap"))
        return vkshXMLPrintXPath(ctl, xml, xpath, vkshOptBool(cmd, "wrap"));
    vkshPrint(ctl, "%s", xml);
    return true;
}

/* ---- snapshot-parent ------------------------------------------------------ */

static const vkshOptDef optsSnapshotParent[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "snapshotname", VKSH_OT_STRING, 0, "find parent of snapshot name" },
    { "current", VKSH_OT_BOOL, 0, "find parent of current snapshot" },
    { NULL, 0, 0, NULL },
};

static bool
cmdSnapshotParent(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autoptr(virDomainSnapshot) snap = NULL;
    g_autofree char *parent = NULL;
    const char *name = NULL;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (!(snap = snapLookup(ctl, cmd, "snapshotname", true, dom, &name)))
        return false;
    if (!snapGetParent(snap, &parent))
        return false;
    if (!parent) {
        vkshError(ctl, "snapshot '%s' has no parent", name);
        return false;
    }
    vkshPrint(ctl, "%s", parent);
    return true;
}

/* ---- snapshot-revert ------------------------------------------------------ */

static const vkshOptDef optsSnapshotRevert[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "snapshotname", VKSH_OT_STRING, 0, "snapshot name" },
    { "current", VKSH_OT_BOOL, 0, "revert to current snapshot" },
    { "running", VKSH_OT_BOOL, 0, "after reverting, change state to running" },
    { "paused", VKSH_OT_BOOL, 0, "after reverting, change state to paused" },
    { "force", VKSH_OT_BOOL, 0, "try harder on risky reverts" },
    { "reset-nvram", VKSH_OT_BOOL, 0, "re-initialize NVRAM from its pristine template" },
    { NULL, 0, 0, NULL },
};

static bool
cmdSnapshotRevert(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autoptr(virDomainSnapshot) snap = NULL;
    const char *name = NULL;
    unsigned int flags = 0;
    int result;

    if (vkshOptBool(cmd, "running"))
        flags |= VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING;
    if (vkshOptBool(cmd, "paused"))
        flags |= VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED;
    if (vkshOptBool(cmd, "reset-nvram"))
        flags |= VIR_DOMAIN_SNAPSHOT_REVERT_RESET_NVRAM;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (!(snap = snapLookup(ctl, cmd, "snapshotname", true, dom, &name)))
        return false;
    /* as virsh: --force only when the first try says it would help */
    result = virDomainRevertToSnapshot(snap, flags);
    if (result < 0 && vkshOptBool(cmd, "force") &&
        vkshLastErrorCode() == VIR_ERR_SNAPSHOT_REVERT_RISKY) {
        flags |= VIR_DOMAIN_SNAPSHOT_REVERT_FORCE;
        vkshResetError();
        result = virDomainRevertToSnapshot(snap, flags);
    }
    if (result < 0) {
        vkshError(ctl, "Failed to revert snapshot %s", name);
        return false;
    }
    vkshPrintExtra(ctl, "Domain snapshot %s reverted\n", name);
    return true;
}

/* ---- snapshot-delete ------------------------------------------------------ */

static const vkshOptDef optsSnapshotDelete[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "snapshotname", VKSH_OT_STRING, 0, "snapshot name" },
    { "current", VKSH_OT_BOOL, 0, "delete current snapshot" },
    { "children", VKSH_OT_BOOL, 0, "delete snapshot and all children" },
    { "children-only", VKSH_OT_BOOL, 0, "delete children but not snapshot" },
    { "metadata", VKSH_OT_BOOL, 0,
      "delete only libvirt metadata, leaving snapshot contents behind" },
    { NULL, 0, 0, NULL },
};

static bool
cmdSnapshotDelete(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autoptr(virDomainSnapshot) snap = NULL;
    const char *name = NULL;
    unsigned int flags = 0;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (!(snap = snapLookup(ctl, cmd, "snapshotname", true, dom, &name)))
        return false;
    if (vkshOptBool(cmd, "children"))
        flags |= VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN;
    if (vkshOptBool(cmd, "children-only"))
        flags |= VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY;
    if (vkshOptBool(cmd, "metadata"))
        flags |= VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY;
    if (virDomainSnapshotDelete(snap, flags) < 0) {
        vkshError(ctl, "Failed to delete snapshot %s", name);
        return false;
    }
    if (flags & VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY)
        vkshPrintExtra(ctl, "Domain snapshot %s children deleted\n", name);
    else
        vkshPrintExtra(ctl, "Domain snapshot %s deleted\n", name);
    return true;
}

/* ---- snapshot-edit -------------------------------------------------------- */

static const vkshOptDef optsSnapshotEdit[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "snapshotname", VKSH_OT_STRING, 0, "snapshot name" },
    { "current", VKSH_OT_BOOL, 0, "also set edited snapshot as current" },
    { "rename", VKSH_OT_BOOL, 0, "allow renaming an existing snapshot" },
    { "clone", VKSH_OT_BOOL, 0, "allow cloning to new name" },
    { NULL, 0, 0, NULL },
};

/* virsh's snapshot-edit over its edit loop; without a terminal a failed
 * definition is not offered for re-editing */
static bool
cmdSnapshotEdit(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autoptr(virDomainSnapshot) snap = NULL;
    g_autoptr(virDomainSnapshot) edited = NULL;
    g_autofree char *doc = NULL;
    g_autofree char *docEdited = NULL;
    g_autofree char *docReread = NULL;
    bool renameOk = vkshOptBool(cmd, "rename");
    bool cloneOk = vkshOptBool(cmd, "clone");
    unsigned int defineFlags = VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE;
    const char *name = NULL;
    const char *editedName;
    bool ret = false;

    if (!vkshOptExclusive(ctl, cmd, "rename", "clone"))
        return false;
    if (vkshOptBool(cmd, "current") && vkshOptRaw(cmd, "snapshotname"))
        defineFlags |= VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (!(snap = snapLookup(ctl, cmd, "snapshotname", false, dom, &name)))
        goto cleanup;
    if (!(doc = virDomainSnapshotGetXMLDesc(snap, VIR_DOMAIN_SNAPSHOT_XML_SECURE)))
        goto cleanup;
    if (!(docEdited = vkshEditText(ctl, doc)))
        goto cleanup;
    if (strcmp(doc, docEdited) == 0 &&
        !(defineFlags & VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT)) {
        vkshPrintExtra(ctl, "Snapshot %s XML configuration not changed.\n", name);
        ret = true;
        goto cleanup;
    }
    if (!(docReread = virDomainSnapshotGetXMLDesc(snap, VIR_DOMAIN_SNAPSHOT_XML_SECURE)))
        goto cleanup;
    if (strcmp(doc, docReread) != 0) {
        vkshError(ctl, "%s", "The XML configuration was changed by another user.");
        goto cleanup;
    }
    if (!(edited = virDomainSnapshotCreateXML(dom, docEdited, defineFlags))) {
        vkshError(ctl, "%s", "Failed.");
        goto cleanup;
    }
    editedName = virDomainSnapshotGetName(edited);
    if (strcmp(name, editedName) == 0) {
        vkshPrintExtra(ctl, "Snapshot %s edited.\n", name);
    } else if (cloneOk) {
        vkshPrintExtra(ctl, "Snapshot %s cloned to %s.\n", name, editedName);
    } else {
        if (virDomainSnapshotDelete(renameOk ? snap : edited,
                                    VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY) < 0) {
            vkshReportLibError(ctl);
            vkshError(ctl, "Failed to clean up %s", renameOk ? name : editedName);
            goto cleanup;
        }
        if (!renameOk) {
            vkshError(ctl, "Must use --rename or --clone to change %s to %s", name,
                      editedName);
            goto cleanup;
        }
    }
    ret = true;

cleanup:
    if (!ret && name)
        vkshError(ctl, "Failed to update %s", name);
    return ret;
}

const vkshCmdDef vkshSnapshotCmds[] = {
    { "snapshot-create", cmdSnapshotCreate, optsSnapshotCreate,
      "Create a snapshot from XML", "Create a snapshot (disk and RAM) from XML", 0 },
    { "snapshot-create-as", cmdSnapshotCreateAs, optsSnapshotCreateAs,
      "Create a snapshot from a set of args",
      "Create a snapshot (disk and RAM) from arguments", 0 },
    { "snapshot-current", cmdSnapshotCurrent, optsSnapshotCurrent,
      "Get or set the current snapshot", "Get or set the current snapshot", 0 },
    { "snapshot-delete", cmdSnapshotDelete, optsSnapshotDelete,
      "Delete a domain snapshot", "Snapshot Delete", 0 },
    { "snapshot-dumpxml", cmdSnapshotDumpxml, optsSnapshotDumpxml,
      "Dump XML for a domain snapshot", "Snapshot Dump XML", 0 },
    { "snapshot-edit", cmdSnapshotEdit, optsSnapshotEdit, "edit XML for a snapshot",
      "Edit the domain snapshot XML for a named snapshot", 0 },
    { "snapshot-info", cmdSnapshotInfo, optsSnapshotInfo, "snapshot information",
      "Returns basic information about a snapshot.", 0 },
    { "snapshot-list", cmdSnapshotList, optsSnapshotList, "List snapshots for a domain",
      "Snapshot List", 0 },
    { "snapshot-parent", cmdSnapshotParent, optsSnapshotParent,
      "Get the name of the parent of a snapshot", "Extract the snapshot's parent, if any",
      0 },
    { "snapshot-revert", cmdSnapshotRevert, optsSnapshotRevert,
      "Revert a domain to a snapshot", "Revert domain to snapshot", 0 },
    { NULL, NULL, NULL, NULL, NULL, 0 },
};
