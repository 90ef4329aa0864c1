/* domain_disk_backing_conf.c: a disk's <backingStore> chain (libvirt 9.0's
 * virDomainDiskBackingStoreParse / ...Format): parsed, checked, copied and
 * formatted back */

#define G_LOG_DOMAIN "virtkit.conf.backing"

#include <string.h>
#include <libxml/tree.h>

#include "domain_conf.h"
#include "domain_conf_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

const char *const virStorageFileFormatNames[VIR_STORAGE_FILE_LAST] = {
    "none", "raw", "dir",   "bochs", "cloop", "dmg",   "iso", "vpc",  "vdi",
    "fat",  "vhd", "ploop", "cow",   "qcow",  "qcow2", "qed", "vmdk",
};

/* libvirt's virStorageType names; virtkit carries file, block and network
 * layers */
static const char *const storageTypeNames[] = {
    "none", "file", "block", "dir", "network", "volume", "nvme", "vhostuser", NULL,
};

void
virDomainDiskBackingDefFree(virDomainDiskBackingDef *b)
{
    while (b) {
        virDomainDiskBackingDef *below = b->backing;

        g_free(b->path);
        virDomainDiskNetSourceFree(b->net);
        virStorageAuthDefFree(b->auth);
        g_free(b);
        b = below;
    }
}

virDomainDiskBackingDef *
virDomainDiskBackingDefCopy(const virDomainDiskBackingDef *b)
{
    virDomainDiskBackingDef *top = NULL;
    virDomainDiskBackingDef **next = &top;

    for (; b; b = b->backing) {
        virDomainDiskBackingDef *c = g_new0(virDomainDiskBackingDef, 1);

        *c = *b;
        c->path = g_strdup(b->path);
        c->net = virDomainDiskNetSourceCopy(b->net);
        c->auth = virStorageAuthDefCopy(b->auth);
        c->backing = NULL;
        *next = c;
        next = &c->backing;
    }
    return top;
}

/* What libvirt reads of a layer and virtkit carries: everything else is
 * recorded as unknown (the driver refuses it by name, never drops it):
 * <format><metadata_cache>, <source><seclabel>, <encryption>, <slices> ... */
static void
checkLayerChildren(xmlNodePtr node, bool network, GPtrArray *unknown, unsigned int flags,
                   bool *failed)
{
    static const char *const netSourceChildren[] = {
        "host",    "auth",      "snapshot", "config",   "initiator", "ssl",
        "cookies", "readahead", "timeout",  "identity", NULL,
    };
    static const char *const layerAttrs[] = { "type", "index", "detected", NULL };

    for (xmlAttrPtr a = node->properties; a; a = a->next) {
        if (!virDomainStrInList(layerAttrs, (const char *)a->name) ||
            (g_str_equal((const char *)a->name, "detected") &&
             !(flags & VIR_DOMAIN_DEF_PARSE_STATUS))) {
            g_autofree char *p = g_strdup_printf("devices/disk/backingStore@%s", a->name);

            if (unknown->len < VIR_DOMAIN_UNKNOWN_ELEMENTS_MAX)
                g_ptr_array_add(unknown, g_steal_pointer(&p));
        }
    }
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (virDomainXMLNodeIs(c, "backingStore"))
            continue;
        if (virDomainXMLNodeIs(c, "format") || virDomainXMLNodeIs(c, "source")) {
            bool source = virDomainXMLNodeIs(c, "source");

            for (xmlNodePtr g = c->children; g; g = g->next) {
                if (g->type != XML_ELEMENT_NODE)
                    continue;
                if (source && network &&
                    virDomainStrInList(netSourceChildren, (const char *)g->name))
                    continue;
                virDomainXMLRecordUnknown(unknown,
                                          source ? "devices/disk/backingStore/source"
                                                 : "devices/disk/backingStore/format",
                                          g, flags, failed);
            }
            continue;
        }
        virDomainXMLRecordUnknown(unknown, "devices/disk/backingStore", c, flags, failed);
    }
}

/* One <backingStore> element @node into *@out (libvirt's rules and
 * messages), then the one inside it. */
static int
parseLayer(xmlNodePtr node, virDomainDiskBackingDef **out, GPtrArray *unknown,
           unsigned int flags, bool *failed, unsigned int depth)
{
    g_autoptr(virDomainDiskBackingDef) b = g_new0(virDomainDiskBackingDef, 1);
    g_autofree char *type = virDomainXMLProp(node, "type");
    g_autofree char *format = NULL;
    g_autofree char *index = NULL;
    xmlNodePtr fmt;
    xmlNodePtr source;
    xmlNodePtr below;
    int t;

    if (depth > 200) {
        /* libvirt's XML parser refuses nesting this deep as well */
        virReportError(VIR_ERR_XML_ERROR, "%s", "backing chain too deep");
        return -1;
    }
    /* the terminator has no type (whatever it holds) */
    if (!type) {
        g_autofree char *det = (flags & VIR_DOMAIN_DEF_PARSE_STATUS)
                                   ? virDomainXMLProp(node, "detected")
                                   : NULL;

        b->terminator = true;
        b->detected = det && g_str_equal(det, "yes");
        *out = g_steal_pointer(&b);
        return 0;
    }
    if (!(flags & VIR_DOMAIN_DEF_PARSE_INACTIVE))
        index = virDomainXMLProp(node, "index");
    fmt = virDomainXMLChild(node, "format");
    format = fmt ? virDomainXMLProp(fmt, "type") : NULL;
    if (!format || !*format) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "missing disk backing store format");
        return -1;
    }
    if (!(source = virDomainXMLChild(node, "source"))) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "missing disk backing store source");
        return -1;
    }
    if ((t = virDomainEnumFromString(storageTypeNames, G_N_ELEMENTS(storageTypeNames) - 1,
                                     type)) <= 0) {
        virReportError(VIR_ERR_XML_ERROR, "unknown storage source type '%s'", type);
        return -1;
    }
    if ((b->format = virDomainEnumFromString(virStorageFileFormatNames,
                                             VIR_STORAGE_FILE_LAST, format)) <= 0) {
        b->format = 0;
        virReportError(VIR_ERR_XML_ERROR, "unknown storage source format '%s'", format);
        return -1;
    }
    if (index) {
        unsigned long long v;

        if (virDomainParseULL(index, &v) < 0 || v > G_MAXUINT) {
            virReportError(VIR_ERR_XML_ERROR, "invalid storage source index '%s'", index);
            return -1;
        }
        b->index = (unsigned int)v;
    }
    if (g_str_equal(type, "file")) {
        b->type = VIR_DOMAIN_DISK_TYPE_FILE;
        b->path = virDomainXMLProp(source, "file");
    } else if (g_str_equal(type, "block")) {
        b->type = VIR_DOMAIN_DISK_TYPE_BLOCK;
        b->path = virDomainXMLProp(source, "dev");
    } else if (g_str_equal(type, "network")) {
        g_autoptr(virDomainDiskDef) tmp = g_new0(virDomainDiskDef, 1);

        b->type = VIR_DOMAIN_DISK_TYPE_NETWORK;
        tmp->type = VIR_DOMAIN_DISK_TYPE_NETWORK;
        if (virDomainDiskNetSourceParse(source, tmp) < 0 ||
            virDomainDiskNetSourceValidate(tmp) < 0)
            return -1;
        b->net = g_steal_pointer(&tmp->net);
        b->auth = g_steal_pointer(&tmp->auth);
    } else {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "backing store type '%s' is not supported by virtkit", type);
        return -1;
    }
    if (b->path && !*b->path)
        g_clear_pointer(&b->path, g_free);
    checkLayerChildren(node, b->type == VIR_DOMAIN_DISK_TYPE_NETWORK, unknown, flags,
                       failed);
    if (*failed)
        return -1;
    /* a status file marks what the driver read from the images */
    if (flags & VIR_DOMAIN_DEF_PARSE_STATUS) {
        g_autofree char *det = virDomainXMLProp(node, "detected");

        b->detected = det && g_str_equal(det, "yes");
    }
    if ((below = virDomainXMLChild(node, "backingStore")) &&
        parseLayer(below, &b->backing, unknown, flags, failed, depth + 1) < 0)
        return -1;
    *out = g_steal_pointer(&b);
    return 0;
}

int
virDomainDiskBackingParse(xmlNodePtr disk, virDomainDiskDef *def, GPtrArray *unknown,
                          unsigned int flags, bool *failed)
{
    xmlNodePtr node = virDomainXMLChild(disk, "backingStore");
    xmlNodePtr source = virDomainXMLChild(disk, "source");

    if (!(flags & VIR_DOMAIN_DEF_PARSE_INACTIVE) && source) {
        g_autofree char *index = virDomainXMLProp(source, "index");
        unsigned long long v;

        if (index) {
            if (virDomainParseULL(index, &v) < 0 || v > G_MAXUINT) {
                virReportError(VIR_ERR_XML_ERROR, "invalid storage source index '%s'",
                               index);
                return -1;
            }
            def->srcIndex = (unsigned int)v;
        }
    }
    if (!node)
        return 0;
    return parseLayer(node, &def->backing, unknown, flags, failed, 0);
}

static void
indentTo(GString *buf, int indent)
{
    for (int i = 0; i < indent; i++)
        g_string_append_c(buf, ' ');
}

/* " index='N'" into the opening tag that starts at @start of @buf */
static void
addIndex(GString *buf, size_t start, unsigned int index)
{
    const char *p = buf->str + start;
    const char *end = strchr(p, '>');
    g_autofree char *attr = g_strdup_printf(" index='%u'", index);
    size_t at;

    if (!end)
        return;
    at = (size_t)(end - buf->str);
    if (end > p && end[-1] == '/')
        at--;
    g_string_insert(buf, (gssize)at, attr);
}

void
virDomainDiskSourceAddIndex(GString *buf, size_t start, unsigned int index)
{
    if (index)
        addIndex(buf, start, index);
}

void
virDomainDiskBackingFormat(GString *buf, int indent, const virDomainDiskBackingDef *b,
                           unsigned int flags)
{
    bool inactive = flags & VIR_DOMAIN_DEF_FORMAT_INACTIVE;

    if (!b || (inactive && b->detected))
        return;
    indentTo(buf, indent);
    if (b->terminator) {
        g_string_append(buf, b->detected && (flags & VIR_DOMAIN_DEF_FORMAT_STATUS)
                                 ? "<backingStore detected='yes'/>\n"
                                 : "<backingStore/>\n");
        return;
    }
    g_string_append_printf(buf, "<backingStore type='%s'",
                           virDomainDiskTypeNames[b->type]);
    if (b->index && !inactive)
        g_string_append_printf(buf, " index='%u'", b->index);
    if (b->detected && (flags & VIR_DOMAIN_DEF_FORMAT_STATUS))
        g_string_append(buf, " detected='yes'");
    g_string_append(buf, ">\n");
    indentTo(buf, indent + 2);
    g_string_append_printf(buf, "<format type='%s'/>\n",
                           virStorageFileFormatNames[b->format]);
    if (b->type == VIR_DOMAIN_DISK_TYPE_NETWORK && b->net) {
        virDomainDiskDef tmp = { 0 };

        tmp.type = VIR_DOMAIN_DISK_TYPE_NETWORK;
        tmp.net = b->net;
        tmp.auth = b->auth;
        tmp.authInSource = true;
        virDomainDiskNetSourceFormat(buf, indent + 2, &tmp, flags);
    } else {
        indentTo(buf, indent + 2);
        g_string_append(buf, "<source");
        if (b->path) {
            g_string_append_printf(
                buf, " %s='", b->type == VIR_DOMAIN_DISK_TYPE_BLOCK ? "dev" : "file");
            virDomainXMLEscape(buf, b->path);
            g_string_append_c(buf, '\'');
        }
        g_string_append(buf, "/>\n");
    }
    virDomainDiskBackingFormat(buf, indent + 2, b->backing, flags);
    indentTo(buf, indent);
    g_string_append(buf, "</backingStore>\n");
}
