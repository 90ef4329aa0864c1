/* domain_blockcopy_conf.c: the destination <disk> of virDomainBlockCopy */
#define G_LOG_DOMAIN "virtkit.conf.blockcopy"

#include <string.h>

#include "domain_conf.h"
#include "domain_conf_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

void
virDomainBlockCopyDestFree(virDomainBlockCopyDest *dest)
{
    if (!dest)
        return;
    g_free(dest->path);
    g_free(dest);
}

virDomainBlockCopyDest *
virDomainBlockCopyDestParse(const char *xml)
{
    g_autoptr(virDomainBlockCopyDest) dest = g_new0(virDomainBlockCopyDest, 1);
    xmlDocPtr doc = NULL;
    xmlNodePtr root;
    xmlNodePtr source;
    xmlNodePtr driver;
    g_autofree char *type = NULL;
    g_autofree char *fmt = NULL;
    virDomainBlockCopyDest *ret = NULL;

    if (!(doc = virDomainXMLReadDoc(xml, strlen(xml), "(disk_definition)")))
        return NULL;
    root = xmlDocGetRootElement(doc);
    if (!root || !xmlStrEqual(root->name, BAD_CAST "disk")) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "missing disk element");
        goto cleanup;
    }
    type = virDomainXMLProp(root, "type");
    if (!type || g_str_equal(type, "file")) {
        dest->block = false;
    } else if (g_str_equal(type, "block")) {
        dest->block = true;
    } else {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unsupported disk type '%s'", type);
        goto cleanup;
    }
    source = virDomainXMLChild(root, "source");
    if (source)
        dest->path = virDomainXMLProp(source, dest->block ? "dev" : "file");
    if (!dest->path || !*dest->path) {
        virReportError(VIR_ERR_XML_ERROR, "%s",
                       "missing source element in disk definition");
        goto cleanup;
    }
    if ((driver = virDomainXMLChild(root, "driver")) &&
        (fmt = virDomainXMLProp(driver, "type")) && *fmt) {
        dest->format =
            virDomainEnumFromString(virStorageFormatNames, VIR_STORAGE_FORMAT_LAST, fmt);
        if (dest->format <= VIR_STORAGE_FORMAT_NONE) {
            dest->format = VIR_STORAGE_FORMAT_NONE;
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unknown driver format value '%s'",
                           fmt);
            goto cleanup;
        }
    }
    ret = g_steal_pointer(&dest);
cleanup:
    xmlFreeDoc(doc);
    return ret;
}
