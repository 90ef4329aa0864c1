/* vksh-xml.c: XPath selection for dumpxml and the title lookup of list --title */

#define G_LOG_DOMAIN "vksh.xml"
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

#include "vksh-xml.h"

static xmlDocPtr
vkshXMLParse(const char *xml)
{
    return xmlReadMemory(xml, strlen(xml), "domain.xml", NULL,
                         XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOBLANKS);
}

/* Appends @node, serialized as libxml2 formats it, and a newline. */
static void
vkshXMLPrintNode(vkshControl *ctl, xmlDocPtr doc, xmlNodePtr node)
{
    xmlBufferPtr buf = xmlBufferCreate();

    xmlNodeDump(buf, doc, node, 0, 1);
    vkshPrint(ctl, "%s\n", (const char *)xmlBufferContent(buf));
    xmlBufferFree(buf);
}

bool
vkshXMLPrintXPath(vkshControl *ctl, const char *xml, const char *xpath, bool wrap)
{
    xmlDocPtr doc = NULL;
    xmlXPathContextPtr xctxt = NULL;
    xmlXPathObjectPtr obj = NULL;
    bool ok = false;

    if (!xpath) {
        vkshPrint(ctl, "%s", xml);
        return true;
    }
    if (!(doc = vkshXMLParse(xml))) {
        vkshError(ctl, "%s", "internal error: failed to parse the domain XML");
        return false;
    }
    xctxt = xmlXPathNewContext(doc);
    /* A malformed expression: libxml2 has already explained it on stderr,
     * and virsh treats it as an empty result. */
    if (!(obj = xmlXPathEval((const xmlChar *)xpath, xctxt))) {
        ok = true;
        goto cleanup;
    }
    if (obj->type != XPATH_NODESET) {
        vkshError(ctl, "internal error: Incorrect xpath '%s'", xpath);
        goto cleanup;
    }

    if (wrap) {
        xmlDocPtr wdoc = xmlNewDoc((const xmlChar *)"1.0");
        xmlNodePtr root = xmlNewDocNode(wdoc, NULL, (const xmlChar *)"nodes", NULL);

        xmlDocSetRootElement(wdoc, root);
        for (int i = 0; obj->nodesetval && i < obj->nodesetval->nodeNr; i++)
            xmlAddChild(root, xmlDocCopyNode(obj->nodesetval->nodeTab[i], wdoc, 1));
        vkshXMLPrintNode(ctl, wdoc, root);
        xmlFreeDoc(wdoc);
    } else {
        for (int i = 0; obj->nodesetval && i < obj->nodesetval->nodeNr; i++)
            vkshXMLPrintNode(ctl, doc, obj->nodesetval->nodeTab[i]);
    }
    ok = true;

cleanup:
    xmlXPathFreeObject(obj);
    xmlXPathFreeContext(xctxt);
    xmlFreeDoc(doc);
    return ok;
}

char *
vkshDomainGetTitle(virDomainPtr dom, bool inactive)
{
    g_autofree char *xml =
        virDomainGetXMLDesc(dom, inactive ? VIR_DOMAIN_XML_INACTIVE : 0);
    xmlDocPtr doc = NULL;
    xmlNodePtr node;
    char *title = NULL;

    if (!xml)
        return NULL;
    if (!(doc = vkshXMLParse(xml)))
        return g_strdup("");
    for (node = xmlDocGetRootElement(doc)->children; node; node = node->next) {
        if (node->type == XML_ELEMENT_NODE &&
            xmlStrEqual(node->name, (const xmlChar *)"title")) {
            xmlChar *text = xmlNodeGetContent(node);

            title = g_strdup((const char *)text);
            xmlFree(text);
            break;
        }
    }
    xmlFreeDoc(doc);
    return title ? title : g_strdup("");
}

void
vkshXMLAppendEscaped(GString *buf, const char *fmt, const char *value)
{
    g_autofree char *esc = NULL;

    if (!value)
        return;
    esc = g_markup_escape_text(value, -1);
    g_string_append_printf(buf, fmt, esc);
}

bool
vkshDumpXML(vkshControl *ctl, const vkshCmd *cmd, const char *xml)
{
    const char *xpath = NULL;

    if (vkshOptString(ctl, cmd, "xpath", &xpath) < 0)
        return false;
    if (xpath || vkshOptBool(cmd, "wrap"))
        return vkshXMLPrintXPath(ctl, xml, xpath, vkshOptBool(cmd, "wrap"));
    vkshPrint(ctl, "%s", xml);
    return true;
}
