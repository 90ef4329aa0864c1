/* nwfilter_binding_conf.c: the <filterbinding> XML of network filter bindings */
#define G_LOG_DOMAIN "virtkit.conf.nwfilter"

#include <string.h>

#include "domain_conf_priv.h"
#include "nwfilter_binding_conf.h"
#include "virerror.h"
#include "virfile.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_NWFILTER

/* a binding is a few hundred bytes; this only bounds a hostile one */
#define NWFILTER_BINDING_XML_MAX_SIZE (1024 * 1024)

void
virNWFilterBindingDefFree(virNWFilterBindingDef *def)
{
    if (!def)
        return;
    g_free(def->ownername);
    g_free(def->portdevname);
    g_free(def->linkdevname);
    g_free(def->filter);
    virNWFilterParamsFree(def->filterparams);
    g_free(def);
}

bool
virNWFilterMACParse(const char *str, unsigned char *mac)
{
    const char *p = str;

    for (int i = 0; i < 6; i++) {
        unsigned int v = 0;
        int digits = 0;

        while (digits < 2 && g_ascii_isxdigit(*p)) {
            v = v * 16 + g_ascii_xdigit_value(*p);
            p++;
            digits++;
        }
        if (digits == 0)
            return false;
        mac[i] = v;
        if (i < 5) {
            if (*p != ':' && *p != '-')
                return false;
            p++;
        }
    }
    return *p == '\0';
}

/* XPath's string(./A/@B) or string(./A): the first such child's value,
 * NULL when absent or empty (as virXPathString). */
static char *
childValue(xmlNodePtr root, const char *child, const char *attr)
{
    xmlNodePtr node = virDomainXMLChild(root, child);
    char *v;

    if (!node)
        return NULL;
    v = attr ? virDomainXMLProp(node, attr) : virDomainXMLNodeText(node);
    if (v && !*v)
        g_clear_pointer(&v, g_free);
    return v;
}

static void
reportSchema(const char *element, const char *extra)
{
    virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_INVALID_SCHEMA, __func__,
                       "Unable to validate doc against nwfilterbinding.rng\n"
                       "Element %s has extra content: %s",
                       element, extra);
}

/* What libvirt's nwfilterbinding.rng allows: every element once, in any
 * order, only the attributes it names. */
static bool
validateDoc(xmlNodePtr root)
{
    static const struct {
        const char *name;
        const char *attr;
    } known[] = { { "owner", NULL },
                  { "portdev", "name" },
                  { "linkdev", "name" },
                  { "mac", "address" },
                  { "filterref", "filter" } };

    for (xmlNodePtr cur = root->children; cur; cur = cur->next) {
        size_t i;

        if (cur->type == XML_TEXT_NODE && !xmlIsBlankNode(cur)) {
            reportSchema("filterbinding", "text");
            return false;
        }
        if (cur->type != XML_ELEMENT_NODE)
            continue;
        for (i = 0; i < G_N_ELEMENTS(known); i++) {
            if (virDomainXMLNodeIs(cur, known[i].name))
                break;
        }
        if (i == G_N_ELEMENTS(known)) {
            reportSchema("filterbinding", (const char *)cur->name);
            return false;
        }
        for (xmlAttrPtr a = cur->properties; a; a = a->next) {
            if (!known[i].attr || strcmp((const char *)a->name, known[i].attr) != 0) {
                reportSchema((const char *)cur->name, (const char *)a->name);
                return false;
            }
        }
        for (xmlNodePtr sub = cur->children; sub; sub = sub->next) {
            bool ok;

            if (sub->type != XML_ELEMENT_NODE)
                continue;
            if (virDomainXMLNodeIs(cur, "owner"))
                ok = virDomainXMLNodeIs(sub, "name") || virDomainXMLNodeIs(sub, "uuid");
            else
                ok = virDomainXMLNodeIs(cur, "filterref") &&
                     virDomainXMLNodeIs(sub, "parameter");
            if (!ok) {
                reportSchema((const char *)cur->name, (const char *)sub->name);
                return false;
            }
        }
    }
    return true;
}

static virNWFilterBindingDef *
parseRoot(xmlNodePtr root, bool validate)
{
    g_autoptr(virNWFilterBindingDef) def = NULL;
    g_autofree char *uuid = NULL;
    g_autofree char *mac = NULL;
    xmlNodePtr owner;
    xmlNodePtr ref;

    if (!root || !virDomainXMLNodeIs(root, "filterbinding")) {
        virReportError(VIR_ERR_XML_ERROR, "%s",
                       "unknown root element for nwfilter binding");
        return NULL;
    }
    if (validate && !validateDoc(root))
        return NULL;
    def = g_new0(virNWFilterBindingDef, 1);
    if (!(def->portdevname = childValue(root, "portdev", "name"))) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "filter binding has no port dev name");
        return NULL;
    }
    if (virDomainXMLChild(root, "linkdev") &&
        !(def->linkdevname = childValue(root, "linkdev", "name"))) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "filter binding has no link dev name");
        return NULL;
    }
    owner = virDomainXMLChild(root, "owner");
    if (!owner || !(def->ownername = childValue(owner, "name", NULL))) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "filter binding has no owner name");
        return NULL;
    }
    if (!(uuid = childValue(owner, "uuid", NULL))) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "filter binding has no owner UUID");
        return NULL;
    }
    if (virUUIDParse(uuid, def->owneruuid) < 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "Unable to parse UUID '%s'", uuid);
        return NULL;
    }
    if (!(mac = childValue(root, "mac", "address"))) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "filter binding has no MAC address");
        return NULL;
    }
    if (!virNWFilterMACParse(mac, def->mac)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "Unable to parse MAC '%s'", mac);
        return NULL;
    }
    if (!(def->filter = childValue(root, "filterref", "filter"))) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "filter binding has no filter reference");
        return NULL;
    }
    ref = virDomainXMLChild(root, "filterref");
    def->filterparams = virNWFilterParamsParse(ref);
    return g_steal_pointer(&def);
}

/* virDomainXMLReadDoc reports syntax errors in the DOMAIN error domain;
 * libvirt reports a binding document's in NWFILTER. */
static void
rewrapError(void)
{
    virErrorPtr saved = NULL;

    virErrorPreserveLast(&saved);
    if (saved) {
        virSetErrorRaw(saved->domain == VIR_FROM_DOMAIN ? VIR_FROM_NWFILTER
                                                        : saved->domain,
                       saved->code, saved->level, saved->message, saved->str1,
                       saved->str2, saved->str3, saved->int1, saved->int2);
        virFreeError(saved);
    }
}

static virNWFilterBindingDef *
parseBuffer(const char *xml, size_t len, const char *url, bool validate)
{
    xmlDocPtr doc;
    virNWFilterBindingDef *def;

    if (len > NWFILTER_BINDING_XML_MAX_SIZE) {
        virReportError(VIR_ERR_XML_ERROR,
                       "document of %zu bytes exceeds the limit of %d bytes", len,
                       NWFILTER_BINDING_XML_MAX_SIZE);
        return NULL;
    }
    if (!(doc = virDomainXMLReadDoc(xml, len, url))) {
        rewrapError();
        return NULL;
    }
    def = parseRoot(xmlDocGetRootElement(doc), validate);
    xmlFreeDoc(doc);
    return def;
}

virNWFilterBindingDef *
virNWFilterBindingDefParseString(const char *xml, bool validate)
{
    return parseBuffer(xml, strlen(xml), "(nwfilterbinding_definition)", validate);
}

virNWFilterBindingDef *
virNWFilterBindingDefParseFile(const char *path)
{
    g_autofree char *buf = NULL;
    ssize_t len;

    if ((len = virFileReadAll(path, NWFILTER_BINDING_XML_MAX_SIZE, &buf)) < 0)
        return NULL;
    return parseBuffer(buf, len, path, false);
}

char *
virNWFilterBindingDefFormat(const virNWFilterBindingDef *def)
{
    GString *buf = g_string_new("<filterbinding>\n  <owner>\n    <name>");
    char uuid[VIR_UUID_STRING_BUFLEN];

    virDomainXMLEscape(buf, def->ownername);
    virUUIDFormat(def->owneruuid, uuid);
    g_string_append_printf(buf, "</name>\n    <uuid>%s</uuid>\n  </owner>\n", uuid);
    g_string_append(buf, "  <portdev name='");
    virDomainXMLEscape(buf, def->portdevname);
    g_string_append(buf, "'/>\n");
    if (def->linkdevname) {
        g_string_append(buf, "  <linkdev name='");
        virDomainXMLEscape(buf, def->linkdevname);
        g_string_append(buf, "'/>\n");
    }
    g_string_append_printf(buf, "  <mac address='%02x:%02x:%02x:%02x:%02x:%02x'/>\n",
                           def->mac[0], def->mac[1], def->mac[2], def->mac[3],
                           def->mac[4], def->mac[5]);
    virNWFilterParamsFormat(buf, 2, def->filter, def->filterparams);
    g_string_append(buf, "</filterbinding>\n");
    return g_string_free(buf, FALSE);
}
