/* domain_iommu_conf.c: the <iommu> device of <devices> (libvirt 9.0: one per domain) */

#define G_LOG_DOMAIN "virtkit.conf.iommu"

#include <string.h>
#include <libxml/tree.h>

#include "domain_conf.h"
#include "domain_conf_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

static const char *const modelNames[VIR_DOMAIN_IOMMU_MODEL_LAST] = {
    "intel",
    "smmuv3",
    "virtio",
};

const char *
virDomainIOMMUModelToString(int model)
{
    return virDomainEnumToString(modelNames, VIR_DOMAIN_IOMMU_MODEL_LAST, model);
}

void
virDomainIOMMUDefFree(virDomainIOMMUDef *iommu)
{
    if (!iommu)
        return;
    g_free(iommu->alias);
    g_free(iommu);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomainIOMMUDef, virDomainIOMMUDefFree);

virDomainIOMMUDef *
virDomainIOMMUDefCopy(const virDomainIOMMUDef *iommu)
{
    virDomainIOMMUDef *copy;

    if (!iommu)
        return NULL;
    copy = g_memdup2(iommu, sizeof(*iommu));
    copy->alias = g_strdup(iommu->alias);
    return copy;
}

static const virDomainXMLAttrRule iommuAttrs[] = {
    { "", (const char *const[]){ "model", NULL } },
    { "driver", (const char *const[]){ "intremap", "caching_mode", "eim", "iotlb",
                                       "aw_bits", NULL } },
    { NULL, NULL },
};
static const char *const iommuChildren[] = { "driver", "address", "alias", NULL };

/* libvirt's virDomainIOMMUDefValidate: only intel takes driver options,
 * and intel (like smmuv3) is no bus device */
static int
validateIOMMU(const virDomainIOMMUDef *iommu)
{
    const char *model = modelNames[iommu->model];

    if (iommu->model != VIR_DOMAIN_IOMMU_MODEL_INTEL &&
        (iommu->intremap || iommu->cachingMode || iommu->eim || iommu->iotlb ||
         iommu->awBits)) {
        virReportError(VIR_ERR_XML_ERROR,
                       "iommu model '%s' doesn't support additional attributes", model);
        return -1;
    }
    if (iommu->model != VIR_DOMAIN_IOMMU_MODEL_VIRTIO &&
        iommu->addr.type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE) {
        virReportError(VIR_ERR_XML_ERROR, "iommu model '%s' can't have address", model);
        return -1;
    }
    return 0;
}

int
virDomainIOMMUParseXML(virDomainDef *def, xmlNodePtr node, GPtrArray *unknown,
                       unsigned int flags, bool *failed)
{
    g_autoptr(virDomainIOMMUDef) iommu = g_new0(virDomainIOMMUDef, 1);
    g_autofree char *model = NULL;
    xmlNodePtr driver = virDomainXMLChild(node, "driver");

    /* libvirt counts them before it parses one */
    if (def->iommu) {
        virReportError(VIR_ERR_XML_ERROR, "%s",
                       "only a single IOMMU device is supported");
        return -1;
    }
    for (xmlNodePtr n = node->next; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && virDomainXMLNodeIs(n, "iommu")) {
            virReportError(VIR_ERR_XML_ERROR, "%s",
                           "only a single IOMMU device is supported");
            return -1;
        }
    }
    if (!(model = virDomainXMLProp(node, "model"))) {
        virDomainXMLReportMissingAttr("model", node);
        return -1;
    }
    if ((iommu->model = virDomainEnumFromString(modelNames, VIR_DOMAIN_IOMMU_MODEL_LAST,
                                                model)) < 0) {
        virDomainXMLReportInvalidAttr("model", node, model);
        return -1;
    }
    if (driver &&
        (virDomainXMLPropSwitch(driver, "intremap", &iommu->intremap) < 0 ||
         virDomainXMLPropSwitch(driver, "caching_mode", &iommu->cachingMode) < 0 ||
         virDomainXMLPropSwitch(driver, "iotlb", &iommu->iotlb) < 0 ||
         virDomainXMLPropSwitch(driver, "eim", &iommu->eim) < 0 ||
         virDomainXMLPropUInt(driver, "aw_bits", &iommu->awBits) < 0))
        return -1;
    if (virDomainDeviceAddressParse(node, &iommu->addr) < 0)
        return -1;
    if (!(flags & VIR_DOMAIN_DEF_PARSE_INACTIVE)) {
        xmlNodePtr alias = virDomainXMLChild(node, "alias");

        if (alias && (iommu->alias = virDomainXMLProp(alias, "name")) && !*iommu->alias)
            g_clear_pointer(&iommu->alias, g_free);
    }
    if (virDomainDeviceCheckChildren(node, iommuChildren, unknown, flags, failed) < 0 ||
        virDomainDeviceCheckAttrs(node, iommuAttrs, unknown, flags, failed) < 0)
        return -1;
    if (validateIOMMU(iommu) < 0)
        return -1;
    def->iommu = g_steal_pointer(&iommu);
    return 0;
}

int
virDomainIOMMUValidate(const virDomainDef *def)
{
    if (!def->iommu)
        return 0;
    if (def->iommu->intremap == VIR_DOMAIN_TRISTATE_ON &&
        def->ioapic != VIR_DOMAIN_IOAPIC_QEMU) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "IOMMU interrupt remapping requires split I/O APIC (ioapic "
                       "driver='qemu')");
        return -1;
    }
    if (def->iommu->eim == VIR_DOMAIN_TRISTATE_ON &&
        def->iommu->intremap != VIR_DOMAIN_TRISTATE_ON) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "IOMMU eim requires interrupt remapping to be enabled");
        return -1;
    }
    return 0;
}

void
virDomainIOMMUFormat(GString *buf, int indent, const virDomainIOMMUDef *iommu,
                     unsigned int flags)
{
    static const char *const sw[] = { NULL, "on", "off" };
    bool alias = iommu->alias && !(flags & VIR_DOMAIN_DEF_FORMAT_INACTIVE);
    g_autoptr(GString) drv = g_string_new(NULL);

    if (iommu->intremap)
        g_string_append_printf(drv, " intremap='%s'", sw[iommu->intremap]);
    if (iommu->cachingMode)
        g_string_append_printf(drv, " caching_mode='%s'", sw[iommu->cachingMode]);
    if (iommu->eim)
        g_string_append_printf(drv, " eim='%s'", sw[iommu->eim]);
    if (iommu->iotlb)
        g_string_append_printf(drv, " iotlb='%s'", sw[iommu->iotlb]);
    if (iommu->awBits > 0)
        g_string_append_printf(drv, " aw_bits='%u'", iommu->awBits);
    g_string_append_printf(buf, "%*s<iommu model='%s'", indent, "",
                           modelNames[iommu->model]);
    if (!drv->len && !alias && iommu->addr.type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE) {
        g_string_append(buf, "/>\n");
        return;
    }
    g_string_append(buf, ">\n");
    if (drv->len)
        g_string_append_printf(buf, "%*s<driver%s/>\n", indent + 2, "", drv->str);
    if (alias) {
        g_string_append_printf(buf, "%*s<alias name='", indent + 2, "");
        virDomainXMLEscape(buf, iommu->alias);
        g_string_append(buf, "'/>\n");
    }
    virDomainDeviceAddressFormat(buf, indent + 2, &iommu->addr);
    g_string_append_printf(buf, "%*s</iommu>\n", indent, "");
}
