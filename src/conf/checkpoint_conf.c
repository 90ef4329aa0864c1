/* checkpoint_conf.c: <domaincheckpoint> XML: parse, format, align to the domain's disks */
#define G_LOG_DOMAIN "virtkit.conf.checkpoint"

#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "checkpoint_conf.h"
#include "domain_conf_priv.h"
#include "moment_conf.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN_CHECKPOINT

/* libvirt's schema file, named in its validation errors */
#define CHECKPOINT_RNG "/usr/share/libvirt/schemas/domaincheckpoint.rng"

static const char *const typeNames[] = { "default", "no", "bitmap" };
G_STATIC_ASSERT(G_N_ELEMENTS(typeNames) == VIR_DOMAIN_CHECKPOINT_TYPE_LAST);

const char *
virDomainCheckpointTypeToString(int type)
{
    return virDomainEnumToString(typeNames, VIR_DOMAIN_CHECKPOINT_TYPE_LAST, type);
}

static void
diskClear(virDomainCheckpointDiskDef *disk)
{
    g_free(disk->name);
    g_free(disk->bitmap);
}

void
virDomainCheckpointDefFree(virDomainCheckpointDef *def)
{
    if (!def)
        return;
    virDomainMomentDefClear(&def->moment);
    for (size_t i = 0; i < def->ndisks; i++)
        diskClear(&def->disks[i]);
    g_free(def->disks);
    virDomainDefFree(def->dom);
    g_free(def);
}

/* libvirt's XML_INVALID_SCHEMA (domain XML) for a document its schema
 * refuses: the fixed first line, then libxml2's relaxng detail. */
static void
reportSchema(const char *detail)
{
    virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_INVALID_SCHEMA, __func__,
                       "Unable to validate doc against %s\n%s", CHECKPOINT_RNG, detail);
}

/* What the schema allows of a <disk>: name (required), checkpoint
 * (no|bitmap), bitmap and size; no children. */
static int
parseDisk(xmlNodePtr node, virDomainCheckpointDiskDef *disk)
{
    g_autofree char *type = NULL;
    g_autofree char *size = NULL;

    for (xmlAttrPtr a = node->properties; a; a = a->next) {
        const char *n = (const char *)a->name;

        if (!g_str_equal(n, "name") && !g_str_equal(n, "checkpoint") &&
            !g_str_equal(n, "bitmap") && !g_str_equal(n, "size")) {
            reportSchema("Extra element disks in interleave\n"
                         "Element domaincheckpoint failed to validate content\n");
            return -1;
        }
    }
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE) {
            reportSchema("Extra element disks in interleave\n"
                         "Element domaincheckpoint failed to validate content\n");
            return -1;
        }
    }
    disk->name = virDomainXMLProp(node, "name");
    type = virDomainXMLProp(node, "checkpoint");
    disk->bitmap = virDomainXMLProp(node, "bitmap");
    size = virDomainXMLProp(node, "size");
    if (!disk->name || !*disk->name ||
        (type && !g_str_equal(type, "no") && !g_str_equal(type, "bitmap")) ||
        (disk->bitmap && !*disk->bitmap)) {
        reportSchema("Extra element disks in interleave\n"
                     "Element domaincheckpoint failed to validate content\n");
        return -1;
    }
    if (size) {
        char *end = NULL;

        disk->size = g_ascii_strtoull(size, &end, 10);
        if (!*size || *end) {
            reportSchema("Extra element disks in interleave\n"
                         "Element domaincheckpoint failed to validate content\n");
            return -1;
        }
    }
    disk->type = type && g_str_equal(type, "no") ? VIR_DOMAIN_CHECKPOINT_TYPE_NONE
                                                 : VIR_DOMAIN_CHECKPOINT_TYPE_BITMAP;
    return 0;
}

static bool
knownChild(const char *name)
{
    static const char *const known[] = { "name",         "description", "parent",
                                         "creationTime", "disks",       "domain" };

    for (size_t i = 0; i < G_N_ELEMENTS(known); i++)
        if (g_str_equal(name, known[i]))
            return true;
    return false;
}

static virDomainCheckpointDef *
parseRoot(xmlNodePtr root, unsigned int flags)
{
    g_autoptr(virDomainCheckpointDef) def = g_new0(virDomainCheckpointDef, 1);
    xmlNodePtr disks;
    size_t n = 0;

    if (!virDomainXMLNodeIs(root, "domaincheckpoint")) {
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                           "expecting root element of '%s', not '%s'", "domaincheckpoint",
                           (const char *)root->name);
        return NULL;
    }
    for (xmlNodePtr c = root->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && !knownChild((const char *)c->name)) {
            g_autofree char *detail =
                g_strdup_printf("Element domaincheckpoint has extra content: %s\n",
                                (const char *)c->name);

            reportSchema(detail);
            return NULL;
        }
    }
    if (virDomainMomentParseHeader(root, &def->moment,
                                   flags & VIR_DOMAIN_CHECKPOINT_PARSE_REDEFINE,
                                   "checkpoint", VIR_FROM_THIS) < 0)
        return NULL;
    if (flags & VIR_DOMAIN_CHECKPOINT_PARSE_REDEFINE) {
        xmlNodePtr dom = virDomainXMLChild(root, "domain");

        if (dom &&
            !(def->dom = virDomainDefParseNode(dom, VIR_DOMAIN_DEF_PARSE_INACTIVE)))
            return NULL;
    }

    if ((disks = virDomainXMLChild(root, "disks"))) {
        for (xmlNodePtr c = disks->children; c; c = c->next) {
            if (c->type != XML_ELEMENT_NODE)
                continue;
            if (!virDomainXMLNodeIs(c, "disk")) {
                reportSchema("Extra element disks in interleave\n"
                             "Element domaincheckpoint failed to validate content\n");
                return NULL;
            }
            n++;
        }
        def->disks = g_new0(virDomainCheckpointDiskDef, MAX(n, 1));
        for (xmlNodePtr c = disks->children; c; c = c->next) {
            if (c->type != XML_ELEMENT_NODE)
                continue;
            if (parseDisk(c, &def->disks[def->ndisks++]) < 0)
                return NULL;
        }
    }
    return g_steal_pointer(&def);
}

virDomainCheckpointDef *
virDomainCheckpointDefParseString(const char *xml, unsigned int flags)
{
    xmlDocPtr doc;
    virDomainCheckpointDef *def;

    if (!(doc = virDomainMomentReadDoc(xml, "(domain_checkpoint)", VIR_FROM_THIS)))
        return NULL;
    def = parseRoot(xmlDocGetRootElement(doc), flags);
    xmlFreeDoc(doc);
    return def;
}

char *
virDomainCheckpointDefFormat(const virDomainCheckpointDef *def, unsigned int flags)
{
    GString *buf = g_string_new("<domaincheckpoint>\n");
    unsigned int domflags = VIR_DOMAIN_DEF_FORMAT_INACTIVE;

    if (flags & VIR_DOMAIN_CHECKPOINT_FORMAT_SECURE)
        domflags |= VIR_DOMAIN_DEF_FORMAT_SECURE;
    virDomainXMLEscapeBetween(buf, "  <name>", def->name, "</name>\n");
    if (def->description)
        virDomainXMLEscapeBetween(buf, "  <description>", def->description,
                                  "</description>\n");
    if (def->parent_name)
        virDomainXMLEscapeBetween(buf, "  <parent>\n    <name>", def->parent_name,
                                  "</name>\n  </parent>\n");
    if (def->creationTime)
        g_string_append_printf(buf, "  <creationTime>%lld</creationTime>\n",
                               def->creationTime);
    if (def->ndisks) {
        g_string_append(buf, "  <disks>\n");
        for (size_t i = 0; i < def->ndisks; i++) {
            const virDomainCheckpointDiskDef *d = &def->disks[i];

            if (!d->name)
                continue;
            virDomainXMLEscapeBetween(buf, "    <disk name='", d->name, "'");
            if (d->type)
                g_string_append_printf(buf, " checkpoint='%s'",
                                       virDomainCheckpointTypeToString(d->type));
            if (d->bitmap) {
                virDomainXMLEscapeBetween(buf, " bitmap='", d->bitmap, "'");
                if ((flags & VIR_DOMAIN_CHECKPOINT_FORMAT_SIZE) && d->sizeValid)
                    g_string_append_printf(buf, " size='%llu'", d->size);
            }
            g_string_append(buf, "/>\n");
        }
        g_string_append(buf, "  </disks>\n");
    }
    if (def->dom && !(flags & VIR_DOMAIN_CHECKPOINT_FORMAT_NO_DOMAIN))
        virDomainDefFormatBuf(buf, def->dom, domflags, 2);
    g_string_append(buf, "</domaincheckpoint>\n");
    return g_string_free(buf, FALSE);
}

static bool
emptyOrReadonly(const virDomainDiskDef *disk)
{
    return !disk->src || !*disk->src || disk->readonly;
}

int
virDomainCheckpointAlignDisks(virDomainCheckpointDef *def)
{
    const virDomainDef *dom = def->dom;
    g_autofree virDomainCheckpointDiskDef *disks = NULL;
    g_autofree int *from = NULL;
    g_autofree size_t *taken = NULL;
    int dflt = VIR_DOMAIN_CHECKPOINT_TYPE_NONE;

    if (!dom) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "missing domain in checkpoint");
        return -1;
    }
    if (def->ndisks > dom->ndisks) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "too many disk checkpoint requests for domain");
        return -1;
    }
    if (!dom->ndisks) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "domain must have at least one disk to perform checkpoints");
        return -1;
    }
    if (!def->ndisks)
        dflt = VIR_DOMAIN_CHECKPOINT_TYPE_BITMAP;

    /* from[j]: which request names domain disk j (-1: none) */
    from = g_new(int, dom->ndisks);
    for (size_t j = 0; j < dom->ndisks; j++)
        from[j] = -1;
    taken = g_new0(size_t, def->ndisks + 1);
    for (size_t i = 0; i < def->ndisks; i++) {
        const virDomainCheckpointDiskDef *req = &def->disks[i];
        int j = virDomainMomentDiskIndex(dom, req->name, taken, i, VIR_FROM_THIS);
        virDomainDiskDef *disk;

        if (j < 0)
            return -1;
        taken[i] = j;
        disk = dom->disks[j];
        from[j] = i;
        if (emptyOrReadonly(disk) && req->type != VIR_DOMAIN_CHECKPOINT_TYPE_NONE) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "disk '%s' is empty or readonly",
                           req->name);
            return -1;
        }
    }

    disks = g_new0(virDomainCheckpointDiskDef, dom->ndisks);
    for (size_t j = 0; j < dom->ndisks; j++) {
        virDomainCheckpointDiskDef *out = &disks[j];

        if (from[j] >= 0) {
            virDomainCheckpointDiskDef *req = &def->disks[from[j]];

            *out = *req;
            memset(req, 0, sizeof(*req));
            g_free(out->name);
        } else {
            out->type =
                emptyOrReadonly(dom->disks[j]) ? VIR_DOMAIN_CHECKPOINT_TYPE_NONE : dflt;
        }
        out->name = g_strdup(dom->disks[j]->dst);
        if (out->type == VIR_DOMAIN_CHECKPOINT_TYPE_BITMAP && !out->bitmap)
            out->bitmap = g_strdup(def->name);
    }
    for (size_t i = 0; i < def->ndisks; i++)
        diskClear(&def->disks[i]);
    g_free(def->disks);
    def->disks = g_steal_pointer(&disks);
    def->ndisks = dom->ndisks;
    return 0;
}
