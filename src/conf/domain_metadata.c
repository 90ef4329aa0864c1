/* domain_metadata.c: <metadata> kept verbatim, virDomainSetMetadata / GetMetadata */

#define G_LOG_DOMAIN "virtkit.conf.metadata"

#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "domain_conf.h"
#include "domain_conf_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

/* ---- <metadata> -------------------------------------------------------- */

/*
 * libvirt parses documents without blank nodes (libxml2's keep-blanks
 * off) and formats <metadata> with libxml2's indenting dump. The whole
 * document here keeps its blanks, so the copy of <metadata> drops the
 * text nodes that libxml2's heuristic (areBlanks) would have dropped:
 * whitespace-only text that is not an element's only child, not followed
 * by an entity reference, after no text sibling and in an element whose
 * first child is not text; xml:space='preserve' keeps everything.
 * Entity references are dropped: they are never expanded here, and the
 * copy has no declaration for them (it would not parse back).
 */
static void
metadataStripBlanks(xmlNodePtr elem)
{
    bool preserve = xmlNodeGetSpacePreserve(elem) == 1;
    xmlNodePtr cur = elem->children;

    while (cur) {
        xmlNodePtr next = cur->next;

        if (cur->type == XML_ENTITY_REF_NODE) {
            xmlUnlinkNode(cur);
            xmlFreeNode(cur);
        } else if (cur->type == XML_ELEMENT_NODE) {
            metadataStripBlanks(cur);
        } else if (cur->type == XML_TEXT_NODE && !preserve && xmlIsBlankNode(cur)) {
            bool onlyChild = cur == elem->children && !next;
            bool beforeRef = next && next->type == XML_ENTITY_REF_NODE;
            bool afterText = cur->prev && xmlNodeIsText(cur->prev);
            bool firstText = elem->children != cur && xmlNodeIsText(elem->children);

            if (!onlyChild && !beforeRef && !afterText && !firstText) {
                xmlUnlinkNode(cur);
                xmlFreeNode(cur);
            }
        }
        cur = next;
    }
}

/*
 * libvirt's virXMLNodeSanitizeNamespaces: of <metadata>'s children only
 * elements in a namespace are kept (no text, comments or plain elements),
 * and only the first one of each namespace.
 */
static void
metadataSanitize(xmlNodePtr md)
{
    xmlNodePtr child = md->children;

    while (child) {
        xmlNodePtr next;

        if (child->type != XML_ELEMENT_NODE || !child->ns || !child->ns->href) {
            xmlNodePtr drop = child;

            child = child->next;
            xmlUnlinkNode(drop);
            xmlFreeNode(drop);
            continue;
        }
        next = child->next;
        while (next) {
            xmlNodePtr drop = NULL;

            if (next->ns && next->ns->href &&
                xmlStrEqual(child->ns->href, next->ns->href))
                drop = next;
            next = next->next;
            if (drop) {
                xmlUnlinkNode(drop);
                xmlFreeNode(drop);
            }
        }
        child = child->next;
    }
}

/* A copy of the first <metadata> in a document of its own. */
xmlDocPtr
virDomainMetadataCopy(xmlNodePtr node)
{
    xmlDocPtr doc = xmlNewDoc((const xmlChar *)"1.0");
    xmlNodePtr copy = xmlDocCopyNode(node, doc, 1);

    if (!copy) {
        xmlFreeDoc(doc);
        return NULL;
    }
    xmlDocSetRootElement(doc, copy);
    metadataStripBlanks(copy);
    metadataSanitize(copy);
    return doc;
}

/* ---- virDomainSetMetadata / GetMetadata (libvirt's domain_conf.c and
 * virxml.c: virDomainDefSetMetadata, virXMLInjectNamespace,
 * virXMLExtractNamespaceXML) ------------------------------------------- */

/* @node and its siblings and descendants without a namespace get @ns. */
static void
metadataAddNamespace(xmlNodePtr node, xmlNsPtr ns)
{
    for (; node; node = node->next) {
        if (node->type == XML_ELEMENT_NODE && !node->ns)
            xmlSetNs(node, ns);
        if (node->children)
            metadataAddNamespace(node->children, ns);
    }
}

/* The nodes under @node (and its siblings) in namespace @uri lose it. */
static void
metadataRemoveNamespace(xmlNodePtr node, const char *uri)
{
    for (; node; node = node->next) {
        if (node->type == XML_ELEMENT_NODE && node->ns &&
            g_strcmp0((const char *)node->ns->href, uri) == 0)
            xmlSetNs(node, NULL);
        if (node->children)
            metadataRemoveNamespace(node->children, uri);
    }
}

/* The first element child of <metadata> in namespace @uri, or NULL. */
static xmlNodePtr
metadataFindByNs(xmlNodePtr md, const char *uri)
{
    for (xmlNodePtr cur = md ? md->children : NULL; cur; cur = cur->next) {
        if (cur->type == XML_ELEMENT_NODE && cur->ns &&
            g_strcmp0((const char *)cur->ns->href, uri) == 0)
            return cur;
    }
    return NULL;
}

int
virDomainDefSetMetadata(virDomainDef *def, int type, const char *metadata,
                        const char *key, const char *uri)
{
    xmlDocPtr parsed = NULL;
    xmlNodePtr newNode = NULL;
    xmlNodePtr md;
    xmlNodePtr old;

    switch (type) {
    case VIR_DOMAIN_METADATA_DESCRIPTION:
        g_clear_pointer(&def->description, g_free);
        if (metadata && *metadata)
            def->description = g_strdup(metadata);
        return 0;
    case VIR_DOMAIN_METADATA_TITLE:
        g_clear_pointer(&def->title, g_free);
        if (metadata && *metadata)
            def->title = g_strdup(metadata);
        return 0;
    case VIR_DOMAIN_METADATA_ELEMENT:
        break;
    default:
        virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_INVALID_ARG, __func__,
                           "unknown metadata type '%d'", type);
        return -1;
    }

    if (metadata) {
        xmlNsPtr ns;

        if (!(parsed = virDomainXMLReadDoc(metadata, strlen(metadata), "(metadata_xml)")))
            return -1;
        if (!key || xmlValidateNCName((const xmlChar *)key, 1) != 0) {
            virReportErrorFull(VIR_FROM_XML, VIR_ERR_INTERNAL_ERROR, __func__, "%s",
                               "failed to validate prefix for a new XML namespace");
            xmlFreeDoc(parsed);
            return -1;
        }
        if (!(ns = xmlNewNs(parsed->children, (const xmlChar *)uri,
                            (const xmlChar *)key))) {
            virReportErrorFull(VIR_FROM_XML, VIR_ERR_INTERNAL_ERROR, __func__, "%s",
                               "failed to create a new XML namespace");
            xmlFreeDoc(parsed);
            return -1;
        }
        metadataAddNamespace(parsed->children, ns);
    }

    if (!def->metadata && parsed) {
        def->metadata = xmlNewDoc((const xmlChar *)"1.0");
        xmlDocSetRootElement(def->metadata,
                             xmlNewNode(NULL, (const xmlChar *)"metadata"));
    }
    md = def->metadata ? xmlDocGetRootElement(def->metadata) : NULL;
    if (parsed)
        newNode = xmlDocCopyNode(parsed->children, def->metadata, 1);
    xmlFreeDoc(parsed);

    /* every element of that namespace goes, the new one replaces them */
    while ((old = metadataFindByNs(md, uri))) {
        xmlUnlinkNode(old);
        xmlFreeNode(old);
    }
    /* as libvirt 9.0, an emptied <metadata/> stays */
    if (newNode)
        xmlAddChild(md, newNode);
    return 0;
}

char *
virDomainDefGetMetadata(const virDomainDef *def, int type, const char *uri)
{
    const char *field = NULL;
    char *ret = NULL;

    switch (type) {
    case VIR_DOMAIN_METADATA_DESCRIPTION:
        field = def->description;
        break;
    case VIR_DOMAIN_METADATA_TITLE:
        field = def->title;
        break;
    case VIR_DOMAIN_METADATA_ELEMENT: {
        xmlNodePtr node = metadataFindByNs(
            def->metadata ? xmlDocGetRootElement(def->metadata) : NULL, uri);
        xmlNodePtr copy;
        xmlBufferPtr xbuf;

        if (!node)
            break;
        copy = xmlCopyNode(node, 1);
        metadataRemoveNamespace(copy, uri);
        /* drop the declaration of @uri on the copied element */
        for (xmlNsPtr cur = copy->nsDef, prev = NULL; cur; prev = cur, cur = cur->next) {
            if (g_strcmp0((const char *)cur->href, uri) == 0) {
                if (prev)
                    prev->next = cur->next;
                else
                    copy->nsDef = cur->next;
                xmlFreeNs(cur);
                break;
            }
        }
        xbuf = xmlBufferCreate();
        if (xmlNodeDump(xbuf, def->metadata, copy, 0, 1) >= 0)
            ret = g_strdup((const char *)xmlBufferContent(xbuf));
        xmlBufferFree(xbuf);
        xmlFreeNode(copy);
        if (!ret) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                           "failed to convert the XML node tree");
            return NULL;
        }
        return ret;
    }
    default:
        virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_INVALID_ARG, __func__,
                           "unknown metadata type '%d'", type);
        return NULL;
    }
    if (!field) {
        virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_NO_DOMAIN_METADATA, __func__, "%s",
                           "Requested metadata element is not present");
        return NULL;
    }
    return g_strdup(field);
}
