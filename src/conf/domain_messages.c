/* domain_messages.c: taints and deprecations recorded on a running domain, as libvirt 9.0 words them */
#define G_LOG_DOMAIN "virtkit.conf.obj"

#include <string.h>

#include <libvirt/libvirt.h>

#include "domain_conf_priv.h"
#include "domain_messages.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

/* libvirt's names and texts; clients print the texts (virsh dominfo's
 * "Messages:"), so they are libvirt's byte for byte. */
static const char *const taintNames[VIR_DOMAIN_TAINT_LAST] = {
    "custom-argv",       "custom-monitor",    "high-privileges",
    "shell-scripts",     "disk-probing",      "external-launch",
    "host-cpu",          "hook-script",       "cdrom-passthrough",
    "custom-dtb",        "custom-ga-command", "custom-hypervisor-feature",
    "deprecated-config", "custom-device",
};

static const char *const taintTexts[VIR_DOMAIN_TAINT_LAST] = {
    "custom configuration parameters specified",
    "custom monitor control commands issued",
    "running with undesirable elevated privileges",
    "network configuration using opaque shell scripts",
    "potentially unsafe disk format probing",
    "managing externally launched configuration",
    "potentially unsafe use of host CPU passthrough",
    "configuration potentially modified by hook script",
    "use of host cdrom passthrough",
    "custom device tree blob used",
    "custom guest agent control commands issued",
    "hypervisor feature autodetection override",
    "use of deprecated configuration settings",
    "custom device configuration",
};

const char *
virDomainTaintTypeToString(int taint)
{
    return taint >= 0 && taint < VIR_DOMAIN_TAINT_LAST ? taintNames[taint] : NULL;
}

int
virDomainTaintTypeFromString(const char *name)
{
    for (int i = 0; name && i < VIR_DOMAIN_TAINT_LAST; i++) {
        if (strcmp(taintNames[i], name) == 0)
            return i;
    }
    return -1;
}

bool
virDomainObjTaint(virDomainObj *obj, virDomainTaintFlags taint)
{
    unsigned int bit = 1U << taint;

    g_assert(taint < VIR_DOMAIN_TAINT_LAST);
    if (obj->taint & bit)
        return false;
    obj->taint |= bit;
    return true;
}

void
virDomainObjDeprecation(virDomainObj *obj, const char *msg)
{
    if (!obj->deprecations)
        obj->deprecations = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(obj->deprecations, g_strdup(msg));
}

void
virDomainObjClearMessages(virDomainObj *obj)
{
    obj->taint = 0;
    g_clear_pointer(&obj->deprecations, g_ptr_array_unref);
}

int
virDomainObjGetMessages(virDomainObj *obj, char ***msgs, unsigned int flags)
{
    g_autoptr(GPtrArray) out = g_ptr_array_new();
    int n;

    if (!flags || (flags & VIR_DOMAIN_MESSAGE_TAINTING)) {
        for (int i = 0; i < VIR_DOMAIN_TAINT_LAST; i++) {
            if (obj->taint & (1U << i))
                g_ptr_array_add(out, g_strdup_printf("tainted: %s", taintTexts[i]));
        }
    }
    if ((!flags || (flags & VIR_DOMAIN_MESSAGE_DEPRECATION)) && obj->deprecations) {
        for (guint i = 0; i < obj->deprecations->len; i++)
            g_ptr_array_add(out, g_strdup_printf("deprecated configuration: %s",
                                                 (char *)obj->deprecations->pdata[i]));
    }
    n = (int)out->len;
    g_ptr_array_add(out, NULL);
    *msgs = (char **)g_ptr_array_free(g_steal_pointer(&out), FALSE);
    return n;
}

void
virDomainObjFormatMessages(GString *buf, const virDomainObj *obj, int indent)
{
    for (int i = 0; i < VIR_DOMAIN_TAINT_LAST; i++) {
        if (obj->taint & (1U << i))
            g_string_append_printf(buf, "%*s<taint flag='%s'/>\n", indent, "",
                                   taintNames[i]);
    }
    for (guint i = 0; obj->deprecations && i < obj->deprecations->len; i++) {
        g_string_append_printf(buf, "%*s<deprecation>", indent, "");
        virDomainXMLEscape(buf, obj->deprecations->pdata[i]);
        g_string_append(buf, "</deprecation>\n");
    }
}

int
virDomainMessagesParse(xmlNodePtr root, unsigned int *taint, GPtrArray **deprecations)
{
    for (xmlNodePtr n = root->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (strcmp((const char *)n->name, "taint") == 0) {
            g_autofree char *flag = virDomainXMLProp(n, "flag");
            int t;

            if (!flag)
                continue; /* as libvirt: an optional attribute */
            if ((t = virDomainTaintTypeFromString(flag)) < 0) {
                virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                                   "Invalid value for attribute '%s' in element '%s': "
                                   "'%s'.",
                                   "flag", "taint", flag);
                return -1;
            }
            *taint |= 1U << t;
        } else if (strcmp((const char *)n->name, "deprecation") == 0) {
            xmlChar *text = xmlNodeGetContent(n);

            if (!*deprecations)
                *deprecations = g_ptr_array_new_with_free_func(g_free);
            g_ptr_array_add(*deprecations, g_strdup(text ? (const char *)text : ""));
            xmlFree(text);
        }
    }
    return 0;
}
