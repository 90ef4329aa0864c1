/* domain_watchdog_conf.c: the <watchdog> device of <devices> (libvirt 9.0: one per domain) */

#define G_LOG_DOMAIN "virtkit.conf.watchdog"

#include <string.h>
#include <libxml/tree.h>

#include "domain_conf.h"
#include "domain_conf_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

/* libvirt 9.0's virDomainWatchdogModel and virDomainWatchdogAction names
 * ('itco' came with 9.1: 9.0 calls it an unknown model) */
static const char *const modelNames[VIR_DOMAIN_WATCHDOG_MODEL_LAST] = { "i6300esb",
                                                                        "ib700",
                                                                        "diag288" };
static const char *const actionNames[VIR_DOMAIN_WATCHDOG_ACTION_LAST] = {
    "reset", "shutdown", "poweroff", "pause", "dump", "none", "inject-nmi",
};

const char *
virDomainWatchdogModelToString(int model)
{
    return virDomainEnumToString(modelNames, VIR_DOMAIN_WATCHDOG_MODEL_LAST, model);
}

const char *
virDomainWatchdogActionToString(int action)
{
    return virDomainEnumToString(actionNames, VIR_DOMAIN_WATCHDOG_ACTION_LAST, action);
}

void
virDomainWatchdogDefFree(virDomainWatchdogDef *wd)
{
    if (!wd)
        return;
    g_free(wd->alias);
    g_free(wd);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomainWatchdogDef, virDomainWatchdogDefFree);

virDomainWatchdogDef *
virDomainWatchdogDefCopy(const virDomainWatchdogDef *wd)
{
    virDomainWatchdogDef *copy;

    if (!wd)
        return NULL;
    copy = g_memdup2(wd, sizeof(*wd));
    copy->alias = g_strdup(wd->alias);
    return copy;
}

static const virDomainXMLAttrRule watchdogAttrs[] = {
    { "", (const char *const[]){ "model", "action", NULL } },
    { NULL, NULL },
};
static const char *const watchdogChildren[] = { "address", NULL };

int
virDomainWatchdogParseXML(virDomainDef *def, xmlNodePtr node, GPtrArray *unknown,
                          unsigned int flags, bool *failed)
{
    g_autoptr(virDomainWatchdogDef) wd = g_new0(virDomainWatchdogDef, 1);
    g_autofree char *model = NULL;
    g_autofree char *action = NULL;

    /* libvirt counts the watchdogs before it parses any of them */
    if (def->watchdog) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "only a single watchdog device is supported");
        return -1;
    }
    for (xmlNodePtr n = node->next; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && virDomainXMLNodeIs(n, "watchdog")) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                           "only a single watchdog device is supported");
            return -1;
        }
    }
    if (!(model = virDomainXMLProp(node, "model"))) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "watchdog must contain model name");
        return -1;
    }
    if ((wd->model = virDomainEnumFromString(modelNames, VIR_DOMAIN_WATCHDOG_MODEL_LAST,
                                             model)) < 0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unknown watchdog model '%s'", model);
        return -1;
    }
    if (!(action = virDomainXMLProp(node, "action"))) {
        wd->action = VIR_DOMAIN_WATCHDOG_ACTION_RESET;
    } else if ((wd->action = virDomainEnumFromString(
                    actionNames, VIR_DOMAIN_WATCHDOG_ACTION_LAST, action)) < 0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unknown watchdog action '%s'",
                       action);
        return -1;
    }
    if (virDomainDeviceAddressParse(node, &wd->addr) < 0)
        return -1;
    if (!(flags & VIR_DOMAIN_DEF_PARSE_INACTIVE)) {
        xmlNodePtr alias = virDomainXMLChild(node, "alias");

        if (alias && (wd->alias = virDomainXMLProp(alias, "name")) && !*wd->alias)
            g_clear_pointer(&wd->alias, g_free);
    }
    if (virDomainDeviceCheckChildren(node, watchdogChildren, unknown, flags, failed) <
            0 ||
        virDomainDeviceCheckAttrs(node, watchdogAttrs, unknown, flags, failed) < 0)
        return -1;
    def->watchdog = g_steal_pointer(&wd);
    return 0;
}

void
virDomainWatchdogFormat(GString *buf, int indent, const virDomainWatchdogDef *wd,
                        unsigned int flags)
{
    bool alias = wd->alias && !(flags & VIR_DOMAIN_DEF_FORMAT_INACTIVE);

    g_string_append_printf(buf, "%*s<watchdog model='%s' action='%s'", indent, "",
                           modelNames[wd->model], actionNames[wd->action]);
    if (!alias && wd->addr.type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE) {
        g_string_append(buf, "/>\n");
        return;
    }
    g_string_append(buf, ">\n");
    if (alias) {
        g_string_append_printf(buf, "%*s<alias name='", indent + 2, "");
        virDomainXMLEscape(buf, wd->alias);
        g_string_append(buf, "'/>\n");
    }
    virDomainDeviceAddressFormat(buf, indent + 2, &wd->addr);
    g_string_append_printf(buf, "%*s</watchdog>\n", indent, "");
}
