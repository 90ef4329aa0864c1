/* backup_conf.c: <domainbackup> XML: parse (with libvirt's schema rules), format, align to the domain's disks */
#define G_LOG_DOMAIN "virtkit.conf.backup"

#include <string.h>

#include <libxml/tree.h>

#include "backup_conf.h"
#include "domain_conf_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

/* libvirt's schema file, named in its validation errors */
#define BACKUP_RNG "/usr/share/libvirt/schemas/domainbackup.rng"

static const char *const typeNames[] = { "default", "push", "pull" };
G_STATIC_ASSERT(G_N_ELEMENTS(typeNames) == VIR_DOMAIN_BACKUP_TYPE_LAST);
static const char *const modeNames[] = { "", "full", "incremental" };
G_STATIC_ASSERT(G_N_ELEMENTS(modeNames) == VIR_DOMAIN_BACKUP_DISK_BACKUP_MODE_LAST);
/* the values a disk's backupmode may take (a NULL-ended list, for checkValue) */
static const char *const modeValues[] = { "full", "incremental", NULL };
/* the schema's storageFormat names; only raw and qcow2 are carried */
static const char *const schemaFormats[] = {
    "raw",  "dir",   "bochs", "cloop",    "dmg",     "iso",   "vpc",  "vdi",
    "fat",  "vhd",   "ploop", "cow",      "qcow",    "qcow2", "qed",  "vmdk",
    "luks", "iscsi", "rbd",   "sheepdog", "gluster", "nfs",   "vxhs", NULL
};

const char *
virDomainBackupTypeToString(int type)
{
    return virDomainEnumToString(typeNames, VIR_DOMAIN_BACKUP_TYPE_LAST, type);
}

static void
diskClear(virDomainBackupDiskDef *disk)
{
    g_free(disk->name);
    g_free(disk->incremental);
    g_free(disk->exportname);
    g_free(disk->exportbitmap);
    g_free(disk->storePath);
}

void
virDomainBackupDefFree(virDomainBackupDef *def)
{
    if (!def)
        return;
    g_free(def->incremental);
    g_free(def->serverName);
    g_free(def->socket);
    for (size_t i = 0; i < def->ndisks; i++)
        diskClear(&def->disks[i]);
    g_free(def->disks);
    g_free(def);
}

/* libvirt's XML_INVALID_SCHEMA for a document its schema refuses: the
 * fixed first line, then what libxml2's relaxng says of the element. */
static void
reportSchema(const char *element, const char *what)
{
    virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_INVALID_SCHEMA, __func__,
                       "Unable to validate doc against %s\n%s\nElement %s failed to "
                       "validate content\n",
                       BACKUP_RNG, what, element);
}

/* Every attribute of @node is in @allowed, and it has no element child
 * outside @children (NULL: none allowed). */
static bool
checkShape(xmlNodePtr node, const char *const *allowed, const char *const *children)
{
    for (xmlAttrPtr a = node->properties; a; a = a->next) {
        if (!virDomainStrInList(allowed, (const char *)a->name)) {
            g_autofree char *what =
                g_strdup_printf("Invalid attribute %s for element %s",
                                (const char *)a->name, (const char *)node->name);

            reportSchema((const char *)node->name, what);
            return false;
        }
    }
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE &&
            (!children || !virDomainStrInList(children, (const char *)c->name))) {
            g_autofree char *what =
                g_strdup_printf("Element %s has extra content: %s",
                                (const char *)node->name, (const char *)c->name);

            reportSchema((const char *)node->name, what);
            return false;
        }
    }
    return true;
}

/* @value (may be NULL: absent) of attribute @attr is one of @values */
static bool
checkValue(xmlNodePtr node, const char *attr, const char *value,
           const char *const *values)
{
    g_autofree char *what = NULL;

    if (!value || virDomainStrInList(values, value))
        return true;
    what = g_strdup_printf("Invalid attribute %s for element %s", attr,
                           (const char *)node->name);
    reportSchema((const char *)node->name, what);
    return false;
}

/* <target file|dev=...> (push) or <scratch ...> (pull) and <driver type=>
 * of a disk being backed up */
static int
parseStore(xmlNodePtr node, virDomainBackupDiskDef *disk, bool push)
{
    static const char *const seclabelKids[] = { "seclabel", "encryption", NULL };
    static const char *const driverAttrs[] = { "type", NULL };
    const char *storeName = push ? "target" : "scratch";
    const char *pathAttr = disk->storeType == VIR_DOMAIN_DISK_TYPE_BLOCK ? "dev" : "file";
    const char *const storeAttrs[] = { pathAttr, NULL };
    xmlNodePtr store = virDomainXMLChild(node, storeName);
    xmlNodePtr driver = virDomainXMLChild(node, "driver");

    if (driver) {
        g_autofree char *fmt = virDomainXMLProp(driver, "type");

        if (!checkShape(driver, driverAttrs, NULL))
            return -1;
        if (!fmt || !virDomainStrInList(schemaFormats, fmt) ||
            (!push && !g_str_equal(fmt, "qcow2"))) {
            reportSchema("driver", "Invalid attribute type for element driver");
            return -1;
        }
        if (g_str_equal(fmt, "raw")) {
            disk->storeFormat = VIR_STORAGE_FORMAT_RAW;
        } else if (g_str_equal(fmt, "qcow2")) {
            disk->storeFormat = VIR_STORAGE_FORMAT_QCOW2;
        } else {
            virDomainReportUnsupportedValue("backup target format", fmt);
            return -1;
        }
    }
    if (store) {
        if (!checkShape(store, storeAttrs, seclabelKids))
            return -1;
        disk->storePath = virDomainXMLProp(store, pathAttr);
        if (!disk->storePath || disk->storePath[0] != '/') {
            g_autofree char *what =
                g_strdup_printf("Element %s failed to validate attributes", storeName);

            reportSchema("disk", what);
            return -1;
        }
        if (virDomainXMLChild(store, "encryption")) {
            virDomainReportUnsupportedValue("backup image", "encryption");
            return -1;
        }
    }
    return 0;
}

static int
parseDisk(xmlNodePtr node, virDomainBackupDiskDef *disk, bool push)
{
    static const char *const pushAttrs[] = { "name",   "backupmode", "incremental",
                                             "backup", "type",       NULL };
    static const char *const pullAttrs[] = { "name",         "backupmode", "incremental",
                                             "backup",       "type",       "exportname",
                                             "exportbitmap", NULL };
    static const char *const pushKids[] = { "target", "driver", NULL };
    static const char *const pullKids[] = { "scratch", "driver", NULL };
    static const char *const yesNo[] = { "yes", "no", NULL };
    static const char *const fileBlock[] = { "file", "block", NULL };
    g_autofree char *backup = virDomainXMLProp(node, "backup");
    g_autofree char *mode = virDomainXMLProp(node, "backupmode");
    g_autofree char *type = virDomainXMLProp(node, "type");

    if (!checkShape(node, push ? pushAttrs : pullAttrs, push ? pushKids : pullKids) ||
        !checkValue(node, "backup", backup, yesNo) ||
        !checkValue(node, "backupmode", mode, modeValues) ||
        !checkValue(node, "type", type, fileBlock))
        return -1;
    disk->name = virDomainXMLProp(node, "name");
    if (!disk->name || !*disk->name) {
        reportSchema("disk", "Element disk failed to validate attributes");
        return -1;
    }
    disk->backup = !backup || g_str_equal(backup, "yes");
    if (!disk->backup) {
        /* the schema: nothing but the mode beside backup='no' */
        if (type || virDomainXMLChild(node, "driver") ||
            virDomainXMLChild(node, push ? "target" : "scratch")) {
            reportSchema("disk", "Element disk failed to validate attributes");
            return -1;
        }
        return 0;
    }
    /* push: type= is required; pull: type='block' needs its scratch */
    if (push && !type) {
        reportSchema("disk", "Element disk failed to validate attributes");
        return -1;
    }
    if (!push && type && g_str_equal(type, "block") &&
        !virDomainXMLChild(node, "scratch")) {
        reportSchema("disk", "Expecting an element scratch, got nothing");
        return -1;
    }
    if (!push) {
        disk->exportname = virDomainXMLProp(node, "exportname");
        disk->exportbitmap = virDomainXMLProp(node, "exportbitmap");
    }
    disk->backupmode =
        mode ? virDomainEnumFromString(modeNames, VIR_DOMAIN_BACKUP_DISK_BACKUP_MODE_LAST,
                                       mode)
             : VIR_DOMAIN_BACKUP_DISK_BACKUP_MODE_DEFAULT;
    disk->incremental = virDomainXMLProp(node, "incremental");
    disk->hasStore = true;
    disk->storeType = type && g_str_equal(type, "block") ? VIR_DOMAIN_DISK_TYPE_BLOCK
                                                         : VIR_DOMAIN_DISK_TYPE_FILE;
    return parseStore(node, disk, push);
}

static int
parseServer(xmlNodePtr node, virDomainBackupDef *def)
{
    static const char *const attrs[] = { "tls",  "transport", "name",
                                         "port", "socket",    NULL };
    static const char *const yesNo[] = { "yes", "no", NULL };
    static const char *const transports[] = { "tcp", "unix", NULL };
    g_autofree char *tls = virDomainXMLProp(node, "tls");
    g_autofree char *transport = virDomainXMLProp(node, "transport");
    g_autofree char *port = virDomainXMLProp(node, "port");

    if (!checkShape(node, attrs, NULL) || !checkValue(node, "tls", tls, yesNo) ||
        !checkValue(node, "transport", transport, transports))
        return -1;
    def->hasServer = true;
    def->tls = !tls ? 0 : g_str_equal(tls, "yes") ? 1 : 2;
    def->transport = transport && g_str_equal(transport, "unix")
                         ? VIR_DOMAIN_BACKUP_TRANSPORT_UNIX
                         : VIR_DOMAIN_BACKUP_TRANSPORT_TCP;
    def->serverName = virDomainXMLProp(node, "name");
    def->socket = virDomainXMLProp(node, "socket");
    if (def->transport == VIR_DOMAIN_BACKUP_TRANSPORT_UNIX) {
        if (!def->socket || def->socket[0] != '/' || def->serverName || port) {
            reportSchema("server", "Element server failed to validate attributes");
            return -1;
        }
    } else {
        unsigned long long p = 0;

        if (!def->serverName || !*def->serverName || def->socket ||
            (port && (virDomainParseULL(port, &p) < 0 || p > G_MAXUINT))) {
            reportSchema("server", "Element server failed to validate attributes");
            return -1;
        }
        def->port = (unsigned int)p;
    }
    return 0;
}

static virDomainBackupDef *
parseRoot(xmlNodePtr root)
{
    static const char *const rootAttrs[] = { "mode", NULL };
    static const char *const rootKids[] = { "incremental", "server", "disks", NULL };
    static const char *const diskKids[] = { "disk", NULL };
    static const char *const modes[] = { "push", "pull", NULL };
    g_autoptr(virDomainBackupDef) def = g_new0(virDomainBackupDef, 1);
    g_autofree char *mode = NULL;
    xmlNodePtr server, disks;
    size_t n = 0;
    bool push;

    if (!virDomainXMLNodeIs(root, "domainbackup")) {
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                           "expecting root element of '%s', not '%s'", "domainbackup",
                           (const char *)root->name);
        return NULL;
    }
    mode = virDomainXMLProp(root, "mode");
    if (!checkShape(root, rootAttrs, rootKids) || !checkValue(root, "mode", mode, modes))
        return NULL;
    def->type = mode && g_str_equal(mode, "pull") ? VIR_DOMAIN_BACKUP_TYPE_PULL
                                                  : VIR_DOMAIN_BACKUP_TYPE_PUSH;
    push = def->type == VIR_DOMAIN_BACKUP_TYPE_PUSH;
    def->incremental =
        virDomainXMLNodeTextNonEmpty(virDomainXMLChild(root, "incremental"));
    if ((server = virDomainXMLChild(root, "server"))) {
        if (push) {
            reportSchema("domainbackup",
                         "Element domainbackup has extra content: server");
            return NULL;
        }
        if (parseServer(server, def) < 0)
            return NULL;
    } else if (!push) {
        reportSchema("domainbackup", "Expecting an element server, got nothing");
        return NULL;
    }
    if ((disks = virDomainXMLChild(root, "disks"))) {
        if (!checkShape(disks, rootAttrs + 1, diskKids))
            return NULL;
        for (xmlNodePtr c = disks->children; c; c = c->next)
            n += c->type == XML_ELEMENT_NODE;
        if (n == 0) {
            reportSchema("disks", "Expecting an element disk, got nothing");
            return NULL;
        }
        def->disks = g_new0(virDomainBackupDiskDef, n);
        for (xmlNodePtr c = disks->children; c; c = c->next) {
            if (c->type != XML_ELEMENT_NODE)
                continue;
            if (parseDisk(c, &def->disks[def->ndisks++], push) < 0)
                return NULL;
        }
    }
    return g_steal_pointer(&def);
}

virDomainBackupDef *
virDomainBackupDefParseString(const char *xml)
{
    xmlDocPtr doc;
    virDomainBackupDef *def;

    if (!(doc = virDomainXMLReadDoc(xml, strlen(xml), "(domain_backup)")))
        return NULL;
    def = parseRoot(xmlDocGetRootElement(doc));
    xmlFreeDoc(doc);
    return def;
}

char *
virDomainBackupDefFormat(const virDomainBackupDef *def)
{
    bool push = def->type != VIR_DOMAIN_BACKUP_TYPE_PULL;
    GString *buf = g_string_new(NULL);

    g_string_append_printf(buf, "<domainbackup mode='%s'>\n",
                           virDomainBackupTypeToString(def->type));
    if (def->incremental)
        virDomainXMLEscapeBetween(buf, "  <incremental>", def->incremental,
                                  "</incremental>\n");
    if (def->hasServer) {
        g_string_append_printf(
            buf, "  <server transport='%s'",
            def->transport == VIR_DOMAIN_BACKUP_TRANSPORT_UNIX ? "unix" : "tcp");
        if (def->tls)
            g_string_append_printf(buf, " tls='%s'", def->tls == 1 ? "yes" : "no");
        if (def->serverName)
            virDomainXMLEscapeBetween(buf, " name='", def->serverName, "'");
        if (def->port)
            g_string_append_printf(buf, " port='%u'", def->port);
        if (def->socket)
            virDomainXMLEscapeBetween(buf, " socket='", def->socket, "'");
        g_string_append(buf, "/>\n");
    }
    if (def->ndisks)
        g_string_append(buf, "  <disks>\n");
    for (size_t i = 0; i < def->ndisks; i++) {
        const virDomainBackupDiskDef *d = &def->disks[i];

        virDomainXMLEscapeBetween(buf, "    <disk name='", d->name, "'");
        g_string_append_printf(buf, " backup='%s'", d->backup ? "yes" : "no");
        if (!d->backup || !d->hasStore) {
            g_string_append(buf, "/>\n");
            continue;
        }
        g_string_append_printf(buf, " type='%s'",
                               d->storeType == VIR_DOMAIN_DISK_TYPE_BLOCK ? "block"
                                                                          : "file");
        if (d->backupmode)
            g_string_append_printf(buf, " backupmode='%s'", modeNames[d->backupmode]);
        if (d->incremental)
            virDomainXMLEscapeBetween(buf, " incremental='", d->incremental, "'");
        if (d->exportname)
            virDomainXMLEscapeBetween(buf, " exportname='", d->exportname, "'");
        if (d->exportbitmap)
            virDomainXMLEscapeBetween(buf, " exportbitmap='", d->exportbitmap, "'");
        if (d->storeIndex)
            g_string_append_printf(buf, " index='%u'", d->storeIndex);
        if (!d->storeFormat && !d->storePath) {
            g_string_append(buf, "/>\n");
            continue;
        }
        g_string_append(buf, ">\n");
        if (d->storeFormat)
            g_string_append_printf(buf, "      <driver type='%s'/>\n",
                                   d->storeFormat == VIR_STORAGE_FORMAT_QCOW2 ? "qcow2"
                                                                              : "raw");
        if (d->storePath)
            g_string_append_printf(buf, "      <%s %s='", push ? "target" : "scratch",
                                   d->storeType == VIR_DOMAIN_DISK_TYPE_BLOCK ? "dev"
                                                                              : "file");
        if (d->storePath)
            virDomainXMLEscapeBetween(buf, "", d->storePath, "'/>\n");
        g_string_append(buf, "    </disk>\n");
    }
    if (def->ndisks)
        g_string_append(buf, "  </disks>\n");
    g_string_append(buf, "</domainbackup>\n");
    return g_string_free(buf, FALSE);
}

static bool
diskIsEmpty(const virDomainDiskDef *disk)
{
    return !disk->src || !*disk->src;
}

/* Whether @disk (backed up) of the domain disk @dd can get a target
 * (libvirt's virDomainBackupDefAssignStore checks); reported when not. */
static bool
storeCheck(const virDomainBackupDiskDef *disk, const virDomainDiskDef *dd)
{
    if (diskIsEmpty(dd)) {
        if (disk->hasStore) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "disk '%s' has no media",
                           disk->name);
            return false;
        }
        return true;
    }
    if ((!disk->hasStore || !disk->storePath) && dd->type != VIR_DOMAIN_DISK_TYPE_FILE) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "refusing to generate file name for disk '%s'", disk->name);
        return false;
    }
    return true;
}

/* "<source>.<suffix>" for a file disk without a target of its own */
static void
storeAssign(virDomainBackupDiskDef *disk, const virDomainDiskDef *dd, const char *suffix)
{
    if (diskIsEmpty(dd) || (disk->hasStore && disk->storePath))
        return;
    disk->hasStore = true;
    disk->storeType = VIR_DOMAIN_DISK_TYPE_FILE;
    disk->storePath = g_strdup_printf("%s.%s", dd->src, suffix);
}

static const virDomainDiskDef *
diskByTarget(const virDomainDef *dom, const char *name)
{
    for (size_t i = 0; i < dom->ndisks; i++)
        if (g_strcmp0(dom->disks[i]->dst, name) == 0)
            return dom->disks[i];
    return NULL;
}

int
virDomainBackupAlignDisks(virDomainBackupDef *def, const virDomainDef *dom,
                          const char *suffix)
{
    g_autoptr(GHashTable) named = g_hash_table_new(g_str_hash, g_str_equal);
    bool all = def->ndisks == 0;
    size_t n;

    /* every check first: a refusal leaves @def as it was */
    if (!dom->ndisks) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "domain must have at least one disk to perform backup");
        return -1;
    }
    for (size_t i = 0; i < def->ndisks; i++) {
        const virDomainBackupDiskDef *disk = &def->disks[i];
        const virDomainDiskDef *dd = diskByTarget(dom, disk->name);

        if (!dd) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "no disk named '%s'", disk->name);
            return -1;
        }
        if (!g_hash_table_add(named, disk->name)) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "disk '%s' specified twice",
                           disk->name);
            return -1;
        }
        if (disk->backupmode == VIR_DOMAIN_BACKUP_DISK_BACKUP_MODE_INCREMENTAL &&
            !disk->incremental && !def->incremental) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "'incremental' backup mode of disk '%s' requires setting "
                           "'incremental' field for disk or backup",
                           disk->name);
            return -1;
        }
        if (disk->backup && !storeCheck(disk, dd))
            return -1;
    }
    for (size_t i = 0; all && i < dom->ndisks; i++) {
        const virDomainDiskDef *dd = dom->disks[i];
        virDomainBackupDiskDef probe = { .name = dd->dst };

        if (!diskIsEmpty(dd) && !dd->readonly && !storeCheck(&probe, dd))
            return -1;
    }

    for (size_t i = 0; i < def->ndisks; i++) {
        if (def->disks[i].backup)
            storeAssign(&def->disks[i], diskByTarget(dom, def->disks[i].name), suffix);
    }
    /* the domain's other disks, in its order */
    def->disks = g_renew(virDomainBackupDiskDef, def->disks, dom->ndisks);
    n = def->ndisks;
    for (size_t i = 0; i < dom->ndisks; i++) {
        const virDomainDiskDef *dd = dom->disks[i];
        virDomainBackupDiskDef *disk;

        if (g_hash_table_contains(named, dd->dst))
            continue;
        disk = &def->disks[n++];
        memset(disk, 0, sizeof(*disk));
        disk->name = g_strdup(dd->dst);
        disk->backup = all && !diskIsEmpty(dd) && !dd->readonly;
        if (disk->backup)
            storeAssign(disk, dd, suffix);
    }
    def->ndisks = n;
    for (size_t i = 0; i < def->ndisks; i++) {
        virDomainBackupDiskDef *disk = &def->disks[i];

        if (disk->backupmode == VIR_DOMAIN_BACKUP_DISK_BACKUP_MODE_DEFAULT)
            disk->backupmode = def->incremental || disk->incremental
                                   ? VIR_DOMAIN_BACKUP_DISK_BACKUP_MODE_INCREMENTAL
                                   : VIR_DOMAIN_BACKUP_DISK_BACKUP_MODE_FULL;
        if (!disk->incremental &&
            disk->backupmode == VIR_DOMAIN_BACKUP_DISK_BACKUP_MODE_INCREMENTAL)
            disk->incremental = g_strdup(def->incremental);
    }
    return 0;
}
