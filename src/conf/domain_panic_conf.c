/* domain_panic_conf.c: the <panic> devices of <devices> (libvirt 9.0's models) */

#define G_LOG_DOMAIN "virtkit.conf.panic"

#include <string.h>
#include <libxml/tree.h>

#include "domain_conf.h"
#include "domain_conf_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

/* libvirt 9.0's virDomainPanicModel names ('pvpanic', the PCI device,
 * came with 9.1: 9.0 calls it an unknown model) */
static const char *const modelNames[VIR_DOMAIN_PANIC_MODEL_LAST] = {
    "default", "isa", "pseries", "hyperv", "s390",
};

const char *
virDomainPanicModelToString(int model)
{
    return virDomainEnumToString(modelNames, VIR_DOMAIN_PANIC_MODEL_LAST, model);
}

void
virDomainPanicDefFree(virDomainPanicDef *panic)
{
    g_free(panic);
}

static const virDomainXMLAttrRule panicAttrs[] = {
    { "", (const char *const[]){ "model", NULL } },
    { NULL, NULL },
};
static const char *const panicChildren[] = { "address", NULL };

int
virDomainPanicParseXML(GPtrArray **panics, xmlNodePtr node, GPtrArray *unknown,
                       unsigned int flags, bool *failed)
{
    g_autofree virDomainPanicDef *panic = g_new0(virDomainPanicDef, 1);
    g_autofree char *model = virDomainXMLProp(node, "model");

    /* libvirt parses the address first */
    if (virDomainDeviceAddressParse(node, &panic->addr) < 0)
        return -1;
    if (model && (panic->model = virDomainEnumFromString(
                      modelNames, VIR_DOMAIN_PANIC_MODEL_LAST, model)) < 0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unknown panic model '%s'", model);
        return -1;
    }
    if (virDomainDeviceCheckChildren(node, panicChildren, unknown, flags, failed) < 0 ||
        virDomainDeviceCheckAttrs(node, panicAttrs, unknown, flags, failed) < 0)
        return -1;
    if (!*panics)
        *panics = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(*panics, g_steal_pointer(&panic));
    return 0;
}

int
virDomainPanicsCheckDuplicates(const virDomainDef *def)
{
    bool seen[VIR_DOMAIN_PANIC_MODEL_LAST] = { false };

    for (size_t i = 0; i < def->npanics; i++) {
        int model = def->panics[i]->model;

        if (seen[model]) {
            virReportError(VIR_ERR_XML_ERROR, "Multiple panic devices with model '%s'",
                           modelNames[model]);
            return -1;
        }
        seen[model] = true;
    }
    return 0;
}

void
virDomainPanicFormat(GString *buf, int indent, const virDomainPanicDef *panic)
{
    /* libvirt writes no element without attributes or children: a panic
     * of the default model without an address is not formatted */
    if (!panic->model && panic->addr.type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE)
        return;
    g_string_append_printf(buf, "%*s<panic", indent, "");
    if (panic->model)
        g_string_append_printf(buf, " model='%s'", modelNames[panic->model]);
    if (panic->addr.type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE) {
        g_string_append(buf, "/>\n");
        return;
    }
    g_string_append(buf, ">\n");
    virDomainDeviceAddressFormat(buf, indent + 2, &panic->addr);
    g_string_append_printf(buf, "%*s</panic>\n", indent, "");
}
