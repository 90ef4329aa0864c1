/* secret_conf.c: <secret> XML parse and format (libvirt 9.0's checks, messages and layout) */
#define G_LOG_DOMAIN "virtkit.conf.secret"

#include <string.h>

#include <libxml/tree.h>

#include "domain_conf_priv.h"
#include "secret_conf.h"
#include "virerror.h"
#include "virfile.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_SECRET

/* libvirt reads secret files of up to 10 MiB; a document larger than
 * that is refused before parsing. */
#define SECRET_XML_MAX_SIZE (10 * 1024 * 1024)

static const char *const usageTypes[] = {
    "none", "volume", "ceph", "iscsi", "tls", "vtpm"
};

const char *
virSecretUsageTypeToString(int type)
{
    if (type < 0 || type >= (int)G_N_ELEMENTS(usageTypes))
        return NULL;
    return usageTypes[type];
}

int
virSecretUsageTypeFromString(const char *str)
{
    for (size_t i = 0; str && i < G_N_ELEMENTS(usageTypes); i++) {
        if (g_str_equal(usageTypes[i], str))
            return i;
    }
    return -1;
}

void
virSecretDefFree(virSecretDef *def)
{
    if (!def)
        return;
    g_free(def->description);
    g_free(def->usage_id);
    g_free(def);
}

/* The text of the first child element @name of @node, NULL when absent or
 * empty (as libvirt's XPath string() of it). */
static char *
childText(xmlNodePtr node, const char *name)
{
    xmlNodePtr child = virDomainXMLChild(node, name);
    char *text;

    if (!child)
        return NULL;
    text = virDomainXMLNodeText(child);
    if (text && !*text)
        g_clear_pointer(&text, g_free);
    return text;
}

static int
parseYesNo(xmlNodePtr root, const char *attr, bool *out)
{
    g_autofree char *str = virDomainXMLProp(root, attr);

    if (!str || !*str)
        return 0;
    if (g_str_equal(str, "yes")) {
        *out = true;
    } else if (g_str_equal(str, "no")) {
        *out = false;
    } else {
        virReportError(VIR_ERR_XML_ERROR, "invalid value of '%s'", attr);
        return -1;
    }
    return 0;
}

static int
parseUsage(xmlNodePtr usage, virSecretDef *def)
{
    g_autofree char *type = virDomainXMLProp(usage, "type");
    static const struct {
        const char *element;
        const char *what;
    } ids[] = {
        [VIR_SECRET_USAGE_TYPE_VOLUME] = { "volume",
                                           "volume usage specified, but volume path is missing" },
        [VIR_SECRET_USAGE_TYPE_CEPH] = { "name",
                                         "Ceph usage specified, but name is missing" },
        [VIR_SECRET_USAGE_TYPE_ISCSI] = { "target",
                                          "iSCSI usage specified, but target is missing" },
        [VIR_SECRET_USAGE_TYPE_TLS] = { "name",
                                        "TLS usage specified, but name is missing" },
        [VIR_SECRET_USAGE_TYPE_VTPM] = { "name",
                                         "vTPM usage specified, but name is missing" },
    };
    int t;

    if (!type || !*type) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "unknown secret usage type");
        return -1;
    }
    if ((t = virSecretUsageTypeFromString(type)) < 0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unknown secret usage type %s", type);
        return -1;
    }
    def->usage_type = t;
    if (t == VIR_SECRET_USAGE_TYPE_NONE)
        return 0;
    if (!(def->usage_id = childText(usage, ids[t].element))) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", ids[t].what);
        return -1;
    }
    return 0;
}

static virSecretDef *
parseRoot(xmlNodePtr root)
{
    g_autoptr(virSecretDef) def = g_new0(virSecretDef, 1);
    g_autofree char *uuid = NULL;
    xmlNodePtr usage;

    if (!root || !virDomainXMLNodeIs(root, "secret")) {
        virReportError(VIR_ERR_XML_ERROR, "expecting root element of 'secret', not '%s'",
                       root ? (const char *)root->name : "");
        return NULL;
    }
    if (parseYesNo(root, "ephemeral", &def->isephemeral) < 0 ||
        parseYesNo(root, "private", &def->isprivate) < 0)
        return NULL;

    if (!(uuid = childText(root, "uuid"))) {
        virUUIDGenerate(def->uuid);
    } else if (virUUIDParse(uuid, def->uuid) < 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "malformed uuid element");
        return NULL;
    }
    def->description = childText(root, "description");
    if ((usage = virDomainXMLChild(root, "usage")) && parseUsage(usage, def) < 0)
        return NULL;
    return g_steal_pointer(&def);
}

/* virDomainXMLReadDoc reports syntax errors in the DOMAIN error domain;
 * libvirt reports a secret document's in SECRET. */
static void
rewrapError(void)
{
    virErrorPtr saved = NULL;

    virErrorPreserveLast(&saved);
    if (saved) {
        virSetErrorRaw(VIR_FROM_SECRET, saved->code, saved->level, saved->message,
                       saved->str1, saved->str2, saved->str3, saved->int1, saved->int2);
        virFreeError(saved);
    }
}

static virSecretDef *
parseBuffer(const char *xml, size_t len, const char *url)
{
    xmlDocPtr doc;
    virSecretDef *def;

    if (len > SECRET_XML_MAX_SIZE) {
        virReportError(VIR_ERR_XML_ERROR,
                       "document of %zu bytes exceeds the limit of %d bytes", len,
                       SECRET_XML_MAX_SIZE);
        return NULL;
    }
    if (!(doc = virDomainXMLReadDoc(xml, len, url))) {
        rewrapError();
        return NULL;
    }
    def = parseRoot(xmlDocGetRootElement(doc));
    xmlFreeDoc(doc);
    return def;
}

virSecretDef *
virSecretDefParseString(const char *xml)
{
    return parseBuffer(xml, strlen(xml), "(definition_of_secret)");
}

virSecretDef *
virSecretDefParseFile(const char *path)
{
    g_autofree char *buf = NULL;
    ssize_t len;

    if ((len = virFileReadAll(path, SECRET_XML_MAX_SIZE, &buf)) < 0)
        return NULL;
    return parseBuffer(buf, len, path);
}

char *
virSecretDefFormat(const virSecretDef *def)
{
    GString *buf = g_string_new(NULL);
    char uuid[VIR_UUID_STRING_BUFLEN];

    virUUIDFormat(def->uuid, uuid);
    g_string_append_printf(buf, "<secret ephemeral='%s' private='%s'>\n",
                           def->isephemeral ? "yes" : "no",
                           def->isprivate ? "yes" : "no");
    g_string_append_printf(buf, "  <uuid>%s</uuid>\n", uuid);
    if (def->description) {
        g_string_append(buf, "  <description>");
        virDomainXMLEscape(buf, def->description);
        g_string_append(buf, "</description>\n");
    }
    if (def->usage_type != VIR_SECRET_USAGE_TYPE_NONE &&
        virSecretUsageTypeToString(def->usage_type)) {
        static const char *const elements[] = { NULL,     "volume", "name",
                                                "target", "name",   "name" };
        const char *el = elements[def->usage_type];

        g_string_append_printf(buf, "  <usage type='%s'>\n",
                               virSecretUsageTypeToString(def->usage_type));
        g_string_append_printf(buf, "    <%s>", el);
        virDomainXMLEscape(buf, def->usage_id ? def->usage_id : "");
        g_string_append_printf(buf, "</%s>\n", el);
        g_string_append(buf, "  </usage>\n");
    }
    g_string_append(buf, "</secret>\n");
    return g_string_free(buf, FALSE);
}
