/* domain_vcpu_conf.c: <vcpus>, the state of each vCPU of a domain definition */

#define G_LOG_DOMAIN "virtkit.conf.vcpu"

#include <string.h>

#include "domain_conf.h"
#include "domain_conf_priv.h"
#include "domain_vcpu_conf.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

static int
parseYesNo(xmlNodePtr node, const char *attr, bool required, int *out)
{
    g_autofree char *v = virDomainXMLProp(node, attr);

    if (!v) {
        if (required) {
            virDomainXMLReportMissingAttr(attr, node);
            return -1;
        }
        *out = VIR_DOMAIN_TRISTATE_ABSENT;
        return 0;
    }
    if (strcmp(v, "yes") == 0) {
        *out = VIR_DOMAIN_TRISTATE_ON;
    } else if (strcmp(v, "no") == 0) {
        *out = VIR_DOMAIN_TRISTATE_OFF;
    } else {
        virDomainXMLReportInvalidAttr(attr, node, v);
        return -1;
    }
    return 0;
}

static int
parseUInt(xmlNodePtr node, const char *attr, bool required, unsigned int *out)
{
    g_autofree char *v = virDomainXMLProp(node, attr);
    unsigned long long n;

    if (!v) {
        if (required) {
            virDomainXMLReportMissingAttr(attr, node);
            return -1;
        }
        return 0;
    }
    if (virDomainParseULL(v, &n) < 0 || n > G_MAXUINT) {
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                           "Invalid value for attribute '%s' in element '%s': '%s'. "
                           "Expected non-negative integer value",
                           attr, (const char *)node->name, v);
        return -1;
    }
    *out = (unsigned int)n;
    return 0;
}

static void
recount(virDomainDef *def)
{
    unsigned int n = 0;

    for (unsigned int i = 0; i < def->vcpus; i++)
        n += def->vcpuStates[i].online;
    def->vcpusCurrent = n >= def->vcpus ? 0 : n;
}

int
virDomainVcpusParse(virDomainDef *def, xmlNodePtr root)
{
    xmlNodePtr vcpus = virDomainXMLChild(root, "vcpus");
    g_autofree virDomainVcpuState *states = NULL;
    bool any = false;

    if (!vcpus)
        return 0;
    states = g_new0(virDomainVcpuState, def->vcpus ? def->vcpus : 1);
    for (xmlNodePtr cur = vcpus->children; cur; cur = cur->next) {
        unsigned int id = 0;
        int enabled;
        virDomainVcpuState *s;

        if (!virDomainXMLNodeIs(cur, "vcpu"))
            continue;
        if (parseUInt(cur, "id", true, &id) < 0)
            return -1;
        if (id >= def->vcpus) {
            virReportError(VIR_ERR_XML_ERROR,
                           "vcpu id '%u' is out of range of maximum vcpu count", id);
            return -1;
        }
        s = &states[id];
        if (parseYesNo(cur, "enabled", true, &enabled) < 0 ||
            parseYesNo(cur, "hotpluggable", false, &s->hotpluggable) < 0 ||
            parseUInt(cur, "order", false, &s->order) < 0)
            return -1;
        s->online = enabled == VIR_DOMAIN_TRISTATE_ON;
        any = true;
    }
    if (!any)
        return 0;
    g_free(def->vcpuStates);
    def->vcpuStates = g_steal_pointer(&states);
    recount(def);
    return 0;
}

int
virDomainVcpusPostParse(virDomainDef *def)
{
    if (!def->vcpuStates)
        return 0;
    for (unsigned int i = 0; i < def->vcpus; i++) {
        virDomainVcpuState *s = &def->vcpuStates[i];

        if (s->hotpluggable == VIR_DOMAIN_TRISTATE_ABSENT) {
            s->hotpluggable =
                s->online ? VIR_DOMAIN_TRISTATE_OFF : VIR_DOMAIN_TRISTATE_ON;
        } else if (s->hotpluggable == VIR_DOMAIN_TRISTATE_OFF && !s->online) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "vcpu '%u' is both offline and not hotpluggable", i);
            return -1;
        }
    }
    return 0;
}

void
virDomainVcpusFormat(GString *buf, int indent, const virDomainDef *def)
{
    if (!def->vcpuStates)
        return;
    g_string_append_printf(buf, "%*s<vcpus>\n", indent, "");
    for (unsigned int i = 0; i < def->vcpus; i++) {
        const virDomainVcpuState *s = &def->vcpuStates[i];

        g_string_append_printf(buf, "%*s<vcpu id='%u' enabled='%s'", indent + 2, "", i,
                               s->online ? "yes" : "no");
        if (s->hotpluggable != VIR_DOMAIN_TRISTATE_ABSENT)
            g_string_append_printf(buf, " hotpluggable='%s'",
                                   s->hotpluggable == VIR_DOMAIN_TRISTATE_ON ? "yes"
                                                                             : "no");
        if (s->order)
            g_string_append_printf(buf, " order='%u'", s->order);
        g_string_append(buf, "/>\n");
    }
    g_string_append_printf(buf, "%*s</vcpus>\n", indent, "");
}

void
virDomainVcpuStatesEnsure(virDomainDef *def)
{
    unsigned int cur = virDomainDefGetVcpus(def);

    if (def->vcpuStates)
        return;
    def->vcpuStates = g_new0(virDomainVcpuState, def->vcpus ? def->vcpus : 1);
    for (unsigned int i = 0; i < def->vcpus; i++) {
        def->vcpuStates[i].online = i < cur;
        def->vcpuStates[i].hotpluggable =
            i < cur ? VIR_DOMAIN_TRISTATE_OFF : VIR_DOMAIN_TRISTATE_ON;
    }
}

bool
virDomainDefVcpuOnline(const virDomainDef *def, unsigned int i)
{
    if (i >= def->vcpus)
        return false;
    return def->vcpuStates ? def->vcpuStates[i].online : i < virDomainDefGetVcpus(def);
}

bool
virDomainDefVcpuHotpluggable(const virDomainDef *def, unsigned int i)
{
    if (i >= def->vcpus)
        return false;
    if (def->vcpuStates)
        return def->vcpuStates[i].hotpluggable == VIR_DOMAIN_TRISTATE_ON;
    return i >= virDomainDefGetVcpus(def);
}

void
virDomainDefSetVcpuOnline(virDomainDef *def, unsigned int i, bool online)
{
    if (i >= def->vcpus)
        return;
    virDomainVcpuStatesEnsure(def);
    def->vcpuStates[i].online = online;
    recount(def);
}

void
virDomainVcpuStatesOrderFromOnline(virDomainDef *def)
{
    unsigned int rank = 0;

    if (!def->vcpuStates)
        return;
    for (unsigned int i = 0; i < def->vcpus; i++)
        def->vcpuStates[i].order = def->vcpuStates[i].online ? ++rank : 0;
}

void
virDomainDefSetVcpus(virDomainDef *def, unsigned int n)
{
    def->vcpusCurrent = n >= def->vcpus ? 0 : n;
    for (unsigned int i = 0; def->vcpuStates && i < def->vcpus; i++)
        def->vcpuStates[i].online = i < n;
}

void
virDomainDefSetVcpusMax(virDomainDef *def, unsigned int max)
{
    unsigned int cur = virDomainDefGetVcpus(def);

    if (def->vcpuStates) {
        def->vcpuStates = g_renew(virDomainVcpuState, def->vcpuStates, max ? max : 1);
        for (unsigned int i = def->vcpus; i < max; i++) {
            def->vcpuStates[i].online = false;
            def->vcpuStates[i].hotpluggable = VIR_DOMAIN_TRISTATE_ON;
            def->vcpuStates[i].order = 0;
        }
    }
    def->vcpus = max;
    virDomainDefSetVcpus(def, cur < max ? cur : max);
}
