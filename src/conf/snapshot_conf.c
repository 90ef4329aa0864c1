/* snapshot_conf.c: parse, check and format <domainsnapshot> documents as libvirt 9.0 does */
#define G_LOG_DOMAIN "virtkit.conf.snapshot"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/tree.h>

#include "domain_conf_priv.h"
#include "moment_conf.h"
#include "snapshot_conf.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN_SNAPSHOT

static const char *const locationNames[] = {
    "default", "no", "internal", "external", "manual",
};
G_STATIC_ASSERT(G_N_ELEMENTS(locationNames) == VIR_DOMAIN_SNAPSHOT_LOCATION_LAST);

static const char *const stateNames[] = {
    "nostate", "running", "blocked",     "paused",        "shutdown",
    "shutoff", "crashed", "pmsuspended", "disk-snapshot",
};
G_STATIC_ASSERT(G_N_ELEMENTS(stateNames) == VIR_DOMAIN_SNAPSHOT_LAST);

const char *
virDomainSnapshotLocationToString(int loc)
{
    return virDomainEnumToString(locationNames, VIR_DOMAIN_SNAPSHOT_LOCATION_LAST, loc);
}

const char *
virDomainSnapshotStateToString(int state)
{
    return virDomainEnumToString(stateNames, VIR_DOMAIN_SNAPSHOT_LAST, state);
}

static void
diskClear(virDomainSnapshotDiskDef *disk)
{
    g_free(disk->name);
    g_free(disk->path);
}

void
virDomainSnapshotDefFree(virDomainSnapshotDef *def)
{
    if (!def)
        return;
    virDomainMomentDefClear(&def->moment);
    g_free(def->memoryFile);
    for (size_t i = 0; i < def->ndisks; i++)
        diskClear(&def->disks[i]);
    g_free(def->disks);
    virDomainDefFree(def->dom);
    g_free(def);
}

/* libvirt's virXMLPropEnumDefault message for a bad value */
static int
parseLocation(xmlNodePtr node, const char *elem, int *out)
{
    g_autofree char *val = virDomainXMLProp(node, "snapshot");
    int v;

    *out = VIR_DOMAIN_SNAPSHOT_LOCATION_DEFAULT;
    if (!val)
        return 0;
    v = virDomainEnumFromString(locationNames, VIR_DOMAIN_SNAPSHOT_LOCATION_LAST, val);
    if (v <= 0) {
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                           "Invalid value for attribute '%s' in element '%s': "
                           "'%s'.",
                           "snapshot", elem, val);
        return -1;
    }
    *out = v;
    return 0;
}

static int
parseDisk(xmlNodePtr node, virDomainSnapshotDiskDef *disk)
{
    g_autofree char *type = NULL;
    xmlNodePtr src;
    xmlNodePtr drv;

    if (!(disk->name = virDomainXMLProp(node, "name"))) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "missing name from disk snapshot element");
        return -1;
    }
    if (parseLocation(node, "disk", &disk->snapshot) < 0)
        return -1;
    if ((type = virDomainXMLProp(node, "type"))) {
        if (g_str_equal(type, "block")) {
            disk->block = true;
        } else if (g_str_equal(type, "volume") || g_str_equal(type, "dir") ||
                   g_str_equal(type, "network") || g_str_equal(type, "nvme") ||
                   g_str_equal(type, "vhostuser")) {
            virReportError(VIR_ERR_XML_ERROR, "unsupported disk snapshot type '%s'",
                           type);
            return -1;
        } else if (!g_str_equal(type, "file")) {
            virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                               "Invalid value for attribute '%s' in element "
                               "'%s': '%s'.",
                               "type", "disk", type);
            return -1;
        }
    }
    if ((src = virDomainXMLChild(node, "source"))) {
        disk->path = virDomainXMLProp(src, disk->block ? "dev" : "file");
        if (disk->path && !*disk->path)
            g_clear_pointer(&disk->path, g_free);
    }
    if ((drv = virDomainXMLChild(node, "driver"))) {
        g_autofree char *fmt = virDomainXMLProp(drv, "type");

        if (fmt) {
            disk->format = virDomainEnumFromString(virStorageFormatNames,
                                                   VIR_STORAGE_FORMAT_LAST, fmt);
            if (disk->format <= 0) {
                virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                               "unknown disk snapshot driver '%s'", fmt);
                return -1;
            }
        }
    }
    if (disk->path && !g_path_is_absolute(disk->path)) {
        virReportError(VIR_ERR_XML_ERROR,
                       "disk snapshot image path '%s' must be absolute", disk->path);
        return -1;
    }
    if (disk->snapshot == VIR_DOMAIN_SNAPSHOT_LOCATION_DEFAULT &&
        (disk->path || disk->format))
        disk->snapshot = VIR_DOMAIN_SNAPSHOT_LOCATION_EXTERNAL;
    return 0;
}

static virDomainSnapshotDef *
parseRoot(xmlNodePtr root, unsigned int flags, bool *current)
{
    g_autoptr(virDomainSnapshotDef) def = g_new0(virDomainSnapshotDef, 1);
    bool offline = !!(flags & VIR_DOMAIN_SNAPSHOT_PARSE_OFFLINE);
    xmlNodePtr mem;
    xmlNodePtr disks;
    size_t n = 0;

    if (!virDomainXMLNodeIs(root, "domainsnapshot")) {
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                           "expecting root element of '%s', not '%s'", "domainsnapshot",
                           (const char *)root->name);
        return NULL;
    }
    if (virDomainMomentParseHeader(root, &def->moment,
                                   flags & VIR_DOMAIN_SNAPSHOT_PARSE_REDEFINE, "snapshot",
                                   VIR_FROM_THIS) < 0)
        return NULL;

    if (flags & VIR_DOMAIN_SNAPSHOT_PARSE_REDEFINE) {
        g_autofree char *state = virDomainXMLChildText(root, "state");
        xmlNodePtr dom = virDomainXMLChild(root, "domain");

        if (!state) {
            virReportError(VIR_ERR_XML_ERROR, "%s",
                           "missing state from existing snapshot");
            return NULL;
        }
        def->state = virDomainEnumFromString(stateNames, VIR_DOMAIN_SNAPSHOT_LAST, state);
        if (def->state <= 0) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "Invalid state '%s' in domain snapshot XML", state);
            return NULL;
        }
        offline = def->state == VIR_DOMAIN_SNAPSHOT_SHUTOFF ||
                  def->state == VIR_DOMAIN_SNAPSHOT_DISK_SNAPSHOT;
        if (dom) {
            g_autofree char *domtype = virDomainXMLProp(dom, "type");

            /* very old metadata has only <domain><uuid>: keep no domain */
            if (domtype &&
                !(def->dom = virDomainDefParseNode(dom, VIR_DOMAIN_DEF_PARSE_INACTIVE)))
                return NULL;
        }
    }

    if ((mem = virDomainXMLChild(root, "memory"))) {
        def->memoryFile = virDomainXMLProp(mem, "file");
        if (def->memoryFile && !*def->memoryFile)
            g_clear_pointer(&def->memoryFile, g_free);
        if (parseLocation(mem, "memory", &def->memory) < 0)
            return NULL;
        if (def->memory == VIR_DOMAIN_SNAPSHOT_LOCATION_MANUAL) {
            virReportError(VIR_ERR_XML_ERROR, "%s",
                           "'manual' memory snapshot mode not supported");
            return NULL;
        }
    }
    if (def->memory == VIR_DOMAIN_SNAPSHOT_LOCATION_DEFAULT) {
        if (def->memoryFile)
            def->memory = VIR_DOMAIN_SNAPSHOT_LOCATION_EXTERNAL;
        else if (flags & VIR_DOMAIN_SNAPSHOT_PARSE_REDEFINE)
            def->memory = offline ? VIR_DOMAIN_SNAPSHOT_LOCATION_NO
                                  : VIR_DOMAIN_SNAPSHOT_LOCATION_INTERNAL;
    }
    if (def->memoryFile && def->memory != VIR_DOMAIN_SNAPSHOT_LOCATION_EXTERNAL) {
        virReportError(VIR_ERR_XML_ERROR,
                       "memory filename '%s' requires external snapshot",
                       def->memoryFile);
        return NULL;
    }
    if (!def->memoryFile && def->memory == VIR_DOMAIN_SNAPSHOT_LOCATION_EXTERNAL) {
        virReportError(VIR_ERR_XML_ERROR, "%s",
                       "external memory snapshots require a filename");
        return NULL;
    }
    if (offline && def->memory != VIR_DOMAIN_SNAPSHOT_LOCATION_DEFAULT &&
        def->memory != VIR_DOMAIN_SNAPSHOT_LOCATION_NO) {
        virReportError(VIR_ERR_XML_ERROR, "%s",
                       "memory state cannot be saved with offline or disk-only snapshot");
        return NULL;
    }
    if (def->memoryFile && !g_path_is_absolute(def->memoryFile)) {
        virReportError(VIR_ERR_XML_ERROR,
                       "memory snapshot file path (%s) must be absolute",
                       def->memoryFile);
        return NULL;
    }

    if ((disks = virDomainXMLChild(root, "disks"))) {
        for (xmlNodePtr c = disks->children; c; c = c->next)
            if (c->type == XML_ELEMENT_NODE)
                n++;
        def->disks = g_new0(virDomainSnapshotDiskDef, MAX(n, 1));
        for (xmlNodePtr c = disks->children; c; c = c->next) {
            if (c->type != XML_ELEMENT_NODE)
                continue;
            if (parseDisk(c, &def->disks[def->ndisks++]) < 0)
                return NULL;
        }
    }

    if (flags & VIR_DOMAIN_SNAPSHOT_PARSE_INTERNAL) {
        g_autofree char *active = virDomainXMLChildText(root, "active");
        char *end = NULL;
        long v;

        if (!active || ((v = strtol(active, &end, 10)), *end) || end == active) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                           "Could not find 'active' element");
            return NULL;
        }
        *current = v != 0;
    }
    return g_steal_pointer(&def);
}

virDomainSnapshotDef *
virDomainSnapshotDefParseString(const char *xml, unsigned int flags, bool *current)
{
    xmlDocPtr doc;
    virDomainSnapshotDef *def;

    if (!(doc = virDomainMomentReadDoc(xml, "(domain_snapshot)", VIR_FROM_THIS)))
        return NULL;
    def = parseRoot(xmlDocGetRootElement(doc), flags, current);
    xmlFreeDoc(doc);
    return def;
}

char *
virDomainSnapshotDefFormat(const char *uuidstr, const virDomainSnapshotDef *def,
                           unsigned int flags)
{
    GString *buf = g_string_new("<domainsnapshot>\n");
    unsigned int domflags = VIR_DOMAIN_DEF_FORMAT_INACTIVE;

    if (flags & VIR_DOMAIN_SNAPSHOT_FORMAT_SECURE)
        domflags |= VIR_DOMAIN_DEF_FORMAT_SECURE;
    virDomainXMLEscapeBetween(buf, "  <name>", def->name, "</name>\n");
    if (def->description)
        virDomainXMLEscapeBetween(buf, "  <description>", def->description,
                                  "</description>\n");
    if (def->state)
        g_string_append_printf(buf, "  <state>%s</state>\n",
                               virDomainSnapshotStateToString(def->state));
    if (def->parent_name)
        virDomainXMLEscapeBetween(buf, "  <parent>\n    <name>", def->parent_name,
                                  "</name>\n  </parent>\n");
    /* libvirt leaves out a creationTime of 0; the metadata file (INTERNAL)
     * keeps it, or a snapshot redefined with one would not load again
     * ("missing creationTime from existing snapshot") */
    if (def->creationTime || (flags & VIR_DOMAIN_SNAPSHOT_FORMAT_INTERNAL))
        g_string_append_printf(buf, "  <creationTime>%lld</creationTime>\n",
                               def->creationTime);
    if (def->memory) {
        g_string_append_printf(buf, "  <memory snapshot='%s'",
                               virDomainSnapshotLocationToString(def->memory));
        if (def->memoryFile)
            virDomainXMLEscapeBetween(buf, " file='", def->memoryFile, "'");
        g_string_append(buf, "/>\n");
    }
    if (def->ndisks) {
        g_string_append(buf, "  <disks>\n");
        for (size_t i = 0; i < def->ndisks; i++) {
            const virDomainSnapshotDiskDef *d = &def->disks[i];

            if (!d->name)
                continue;
            virDomainXMLEscapeBetween(buf, "    <disk name='", d->name, "'");
            if (d->snapshot > 0)
                g_string_append_printf(buf, " snapshot='%s'",
                                       virDomainSnapshotLocationToString(d->snapshot));
            if (!d->path && !d->format) {
                g_string_append(buf, "/>\n");
                continue;
            }
            g_string_append_printf(buf, " type='%s'>\n", d->block ? "block" : "file");
            if (d->format)
                g_string_append_printf(buf, "      <driver type='%s'/>\n",
                                       virDomainEnumToString(virStorageFormatNames,
                                                             VIR_STORAGE_FORMAT_LAST,
                                                             d->format));
            if (d->path)
                virDomainXMLEscapeBetween(
                    buf, d->block ? "      <source dev='" : "      <source file='",
                    d->path, "'/>\n");
            g_string_append(buf, "    </disk>\n");
        }
        g_string_append(buf, "  </disks>\n");
    }
    if (def->dom)
        virDomainDefFormatBuf(buf, def->dom, domflags, 2);
    else if (uuidstr)
        g_string_append_printf(buf, "  <domain>\n    <uuid>%s</uuid>\n  </domain>\n",
                               uuidstr);
    if (flags & VIR_DOMAIN_SNAPSHOT_FORMAT_INTERNAL)
        g_string_append_printf(buf, "  <active>%d</active>\n",
                               !!(flags & VIR_DOMAIN_SNAPSHOT_FORMAT_CURRENT));
    g_string_append(buf, "</domainsnapshot>\n");
    return g_string_free(buf, FALSE);
}

/* libvirt's default names for external disk snapshots */
static int
assignExternalNames(virDomainSnapshotDef *def, const virDomainDef *dom)
{
    for (size_t i = 0; i < def->ndisks; i++) {
        virDomainSnapshotDiskDef *disk = &def->disks[i];
        const char *orig;
        g_autofree char *base = NULL;
        char *dot;
        struct stat sb;

        if (disk->snapshot != VIR_DOMAIN_SNAPSHOT_LOCATION_EXTERNAL || disk->path)
            continue;
        if (disk->block) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "cannot generate external snapshot name for disk '%s' on a "
                           "'%s' device",
                           disk->name, "block");
            return -1;
        }
        if (!(orig = dom->disks[i]->src)) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "cannot generate external snapshot name for disk '%s' without "
                           "source",
                           disk->name);
            return -1;
        }
        if (stat(orig, &sb) < 0 || !S_ISREG(sb.st_mode)) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "source for disk '%s' is not a regular file; refusing to "
                           "generate external snapshot name",
                           disk->name);
            return -1;
        }
        base = g_strdup(orig);
        if ((dot = strrchr(base, '.')) && !strchr(dot, '/'))
            *dot = '\0';
        disk->path = g_strdup_printf("%s.%s", base, def->name);
        for (size_t j = 0; j < i; j++) {
            if (g_strcmp0(disk->path, def->disks[j].path) == 0) {
                virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                               "cannot generate external snapshot name for disk '%s': "
                               "collision with disk '%s'",
                               disk->name, def->disks[j].name);
                return -1;
            }
        }
    }
    return 0;
}

int
virDomainSnapshotAlignDisks(virDomainSnapshotDef *def, const virDomainDef *domdef,
                            int defaultLoc, bool uniform)
{
    const virDomainDef *dom = def->dom ? def->dom : domdef;
    bool requireMatch = uniform && defaultLoc == VIR_DOMAIN_SNAPSHOT_LOCATION_INTERNAL;
    virDomainSnapshotDiskDef *old;
    size_t nold;
    virDomainSnapshotDiskDef *aligned;
    g_autofree size_t *taken = NULL;

    if (!dom) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "missing domain in snapshot");
        return -1;
    }
    if (def->ndisks > dom->ndisks) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "too many disk snapshot requests for domain");
        return -1;
    }
    if (!dom->ndisks)
        return 0;

    /* check the requested disks first, in the document's order */
    taken = g_new0(size_t, def->ndisks + 1);
    for (size_t i = 0; i < def->ndisks; i++) {
        virDomainSnapshotDiskDef *sd = &def->disks[i];
        int idx = virDomainMomentDiskIndex(dom, sd->name, taken, i, VIR_FROM_THIS);
        virDomainDiskDef *dd;

        if (idx < 0)
            return -1;
        taken[i] = idx;
        dd = dom->disks[idx];
        if (sd->snapshot == VIR_DOMAIN_SNAPSHOT_LOCATION_DEFAULT) {
            sd->snapshot = defaultLoc;
        } else if (requireMatch && sd->snapshot != defaultLoc) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "disk '%s' must use snapshot mode '%s'", sd->name,
                           virDomainSnapshotLocationToString(defaultLoc));
            return -1;
        }
        if (sd->path && sd->snapshot != VIR_DOMAIN_SNAPSHOT_LOCATION_EXTERNAL) {
            virReportError(
                VIR_ERR_CONFIG_UNSUPPORTED,
                "file '%s' for disk '%s' requires use of external snapshot mode",
                sd->path, sd->name);
            return -1;
        }
        if (!g_str_equal(sd->name, dd->dst)) {
            g_free(sd->name);
            sd->name = g_strdup(dd->dst);
        }
    }

    /* then one entry per domain disk, in the domain's order */
    old = def->disks;
    nold = def->ndisks;
    aligned = g_new0(virDomainSnapshotDiskDef, dom->ndisks);
    for (size_t i = 0; i < dom->ndisks; i++) {
        const virDomainDiskDef *dd = dom->disks[i];
        bool found = false;

        for (size_t j = 0; j < nold; j++) {
            if (old[j].name && g_str_equal(old[j].name, dd->dst)) {
                aligned[i] = old[j];
                memset(&old[j], 0, sizeof(old[j]));
                found = true;
                break;
            }
        }
        if (found)
            continue;
        aligned[i].name = g_strdup(dd->dst);
        aligned[i].snapshot = dd->src ? defaultLoc : VIR_DOMAIN_SNAPSHOT_LOCATION_NO;
    }
    for (size_t j = 0; j < nold; j++)
        diskClear(&old[j]);
    g_free(old);
    def->disks = aligned;
    def->ndisks = dom->ndisks;

    return assignExternalNames(def, dom);
}

bool
virDomainSnapshotDefIsExternal(const virDomainSnapshotDef *def)
{
    if (def->memory == VIR_DOMAIN_SNAPSHOT_LOCATION_EXTERNAL)
        return true;
    for (size_t i = 0; i < def->ndisks; i++)
        if (def->disks[i].snapshot == VIR_DOMAIN_SNAPSHOT_LOCATION_EXTERNAL)
            return true;
    return false;
}
