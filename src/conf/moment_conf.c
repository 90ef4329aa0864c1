/* moment_conf.c: what snapshot and checkpoint definitions share: their common fields' parse, the lookup of the disks their <disks> name */
#define G_LOG_DOMAIN "virtkit.conf.moment"

#include <string.h>

#include "domain_conf_priv.h"
#include "moment_conf.h"
#include "virerror.h"

int
virDomainMomentDiskIndex(const virDomainDef *dom, const char *name, const size_t *taken,
                         size_t i, int errdom)
{
    size_t idx;

    for (idx = 0; idx < dom->ndisks; idx++)
        if (g_str_equal(dom->disks[idx]->dst, name))
            break;
    if (idx == dom->ndisks) {
        for (idx = 0; idx < dom->ndisks; idx++)
            if (dom->disks[idx]->src && g_str_equal(dom->disks[idx]->src, name))
                break;
    }
    if (idx == dom->ndisks) {
        virReportErrorFull(errdom, VIR_ERR_CONFIG_UNSUPPORTED, __func__,
                           "no disk named '%s'", name);
        return -1;
    }
    for (size_t j = 0; j < i; j++) {
        if (taken[j] == idx) {
            virReportErrorFull(errdom, VIR_ERR_CONFIG_UNSUPPORTED, __func__,
                               "disk '%s' specified twice", name);
            return -1;
        }
    }
    return idx;
}

void
virDomainMomentDefClear(virDomainMomentDef *moment)
{
    g_free(moment->name);
    g_free(moment->description);
    g_free(moment->parent_name);
}

int
virDomainMomentParseHeader(xmlNodePtr root, virDomainMomentDef *moment, bool redefine,
                           const char *kind, int errdom)
{
    moment->name = virDomainXMLChildText(root, "name");
    if (moment->name && !*moment->name)
        g_clear_pointer(&moment->name, g_free);
    if (!moment->name && redefine) {
        virReportErrorFull(errdom, VIR_ERR_XML_ERROR, __func__,
                           "a redefined %s must have a name", kind);
        return -1;
    }
    moment->description = virDomainXMLChildText(root, "description");

    if (redefine) {
        g_autofree char *ctime = virDomainXMLChildText(root, "creationTime");
        xmlNodePtr parent = virDomainXMLChild(root, "parent");
        char *end = NULL;

        if (!ctime || !*ctime ||
            ((moment->creationTime = g_ascii_strtoll(ctime, &end, 10)), *end)) {
            virReportErrorFull(errdom, VIR_ERR_INTERNAL_ERROR, __func__,
                               "missing creationTime from existing %s", kind);
            return -1;
        }
        if (parent)
            moment->parent_name = virDomainXMLChildText(parent, "name");
        if (moment->parent_name && !*moment->parent_name)
            g_clear_pointer(&moment->parent_name, g_free);
    } else {
        moment->creationTime = g_get_real_time() / G_USEC_PER_SEC;
        if (!moment->name)
            moment->name = g_strdup_printf("%lld", moment->creationTime);
    }
    return 0;
}

xmlDocPtr
virDomainMomentReadDoc(const char *xml, const char *url, int errdom)
{
    xmlDocPtr doc = virDomainXMLReadDoc(xml, strlen(xml), url);
    virErrorPtr saved = NULL;

    if (doc)
        return doc;
    virErrorPreserveLast(&saved);
    if (saved) {
        virSetErrorRaw(errdom, saved->code, saved->level, saved->message, saved->str1,
                       saved->str2, saved->str3, saved->int1, saved->int2);
        virFreeError(saved);
    }
    return NULL;
}
