/* vksh-domif.c: a domain's network interfaces: domiflist, as virsh 9.0 */
#define G_LOG_DOMAIN "vksh.domif"

#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "vksh.h"

/* Every output below is virsh 9.0's (tools/virsh-domain-monitor.c), byte
 * for byte. */

const vkshOptDef vkshOptsDomiflist[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "inactive", VKSH_OT_BOOL, 0, "get inactive rather than running configuration" },
    { NULL, 0, 0, NULL },
};

/* The value of attribute @name of the first child element @elem of @node,
 * or of the first of @names (NULL-terminated) it has; a new string or NULL. */
static char *
domifChildProp(xmlNodePtr node, const char *elem, const char *const *names)
{
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || !xmlStrEqual(c->name, BAD_CAST elem))
            continue;
        for (xmlAttrPtr a = c->properties; a; a = a->next) {
            for (size_t i = 0; names[i]; i++) {
                xmlChar *v;
                char *ret;

                if (!xmlStrEqual(a->name, BAD_CAST names[i]))
                    continue;
                v = xmlGetProp(c, a->name);
                ret = g_strdup(v ? (const char *)v : "");
                xmlFree(v);
                return ret;
            }
        }
        return NULL;
    }
    return NULL;
}

bool
vkshCmdDomiflist(vkshControl *ctl, const vkshCmd *cmd)
{
    static const char *const sourceAttrs[] = { "bridge", "dev",  "network",
                                               "name",   "path", NULL };
    g_autoptr(virDomain) dom = NULL;
    g_autofree char *domxml = NULL;
    g_autoptr(GPtrArray) rows =
        g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
    xmlDocPtr doc;
    xmlNodePtr root;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (!(domxml = virDomainGetXMLDesc(
              dom, vkshOptBool(cmd, "inactive") ? VIR_DOMAIN_XML_INACTIVE : 0)))
        return false;
    if (!(doc = xmlReadMemory(domxml, (int)strlen(domxml), "domain.xml", NULL,
                              XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR)))
        return false;
    root = xmlDocGetRootElement(doc);
    g_ptr_array_add(rows, g_strdupv((char *[]){ "Interface", "Type", "Source", "Model",
                                                "MAC", NULL }));
    for (xmlNodePtr devs = root ? root->children : NULL; devs; devs = devs->next) {
        if (devs->type != XML_ELEMENT_NODE ||
            !xmlStrEqual(devs->name, BAD_CAST "devices"))
            continue;
        for (xmlNodePtr d = devs->children; d; d = d->next) {
            char *cells[5];
            xmlChar *type;

            if (d->type != XML_ELEMENT_NODE ||
                !xmlStrEqual(d->name, BAD_CAST "interface"))
                continue;
            type = xmlGetProp(d, BAD_CAST "type");
            cells[0] = domifChildProp(d, "target", (const char *[]){ "dev", NULL });
            cells[1] = g_strdup(type ? (const char *)type : "");
            cells[2] = domifChildProp(d, "source", sourceAttrs);
            cells[3] = domifChildProp(d, "model", (const char *[]){ "type", NULL });
            cells[4] = domifChildProp(d, "mac", (const char *[]){ "address", NULL });
            xmlFree(type);
            for (size_t i = 0; i < G_N_ELEMENTS(cells); i++) {
                if (!cells[i] || !*cells[i]) {
                    g_free(cells[i]);
                    cells[i] = g_strdup("-");
                }
            }
            g_ptr_array_add(rows, g_strdupv((char *[]){ cells[0], cells[1], cells[2],
                                                        cells[3], cells[4], NULL }));
            for (size_t i = 0; i < G_N_ELEMENTS(cells); i++)
                g_free(cells[i]);
        }
    }
    xmlFreeDoc(doc);
    vkshTablePrint(ctl, rows, 5, !ctl->quiet);
    return true;
}
