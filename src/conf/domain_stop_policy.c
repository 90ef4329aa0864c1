/* domain_stop_policy.c: virtkit's per-domain lifecycle policy read from <metadata> */
#define G_LOG_DOMAIN "virtkit.conf.stoppolicy"
#include <string.h>

#include <libxml/tree.h>

#include "domain_stop_policy.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

static const char *const hostShutdownNames[] = { "", "shutdown", "save", "destroy",
                                                 "none" };

const char *
virDomainHostShutdownActionToString(int action)
{
    if (action <= 0 || action >= (int)G_N_ELEMENTS(hostShutdownNames))
        return NULL;
    return hostShutdownNames[action];
}

static bool
stopPolicyIsOurs(xmlNodePtr node, const char *name)
{
    return node->type == XML_ELEMENT_NODE && node->ns && node->ns->href &&
           xmlStrEqual(node->ns->href, BAD_CAST VIR_DOMAIN_VIRTKIT_LIFECYCLE_NS) &&
           xmlStrEqual(node->name, BAD_CAST name);
}

/* @attr of @node as an integer in [@min, @max] into *@out (left alone when
 * absent). -1 with XML_ERROR when present and not valid. */
static int
stopPolicyInt(xmlNodePtr node, const char *elem, const char *attr, gint64 min, gint64 max,
              int *out)
{
    g_autofree char *val = (char *)xmlGetProp(node, BAD_CAST attr);
    gint64 v = 0;

    if (!val)
        return 0;
    if (!g_ascii_string_to_signed(val, 10, min, max, &v, NULL)) {
        virReportError(VIR_ERR_XML_ERROR,
                       "invalid value '%s' of virtkit:%s attribute '%s' (%lld to %lld)",
                       val, elem, attr, (long long)min, (long long)max);
        return -1;
    }
    *out = (int)v;
    return 0;
}

int
virDomainStopPolicyFromDef(const virDomainDef *def, virDomainStopPolicy *pol)
{
    xmlNodePtr md;

    *pol = (virDomainStopPolicy){ .killGraceSec = -1,
                                  .deadlineSec = -1,
                                  .acpiShare = -1,
                                  .acpiIntervalSec = -1,
                                  .allowKill = -1,
                                  .hostShutdownParallel = -1,
                                  .hostShutdown = VIR_DOMAIN_HOST_SHUTDOWN_UNSET };
    if (!def->metadata || !(md = xmlDocGetRootElement(def->metadata)))
        return 0;
    for (xmlNodePtr lc = md->children; lc; lc = lc->next) {
        if (!stopPolicyIsOurs(lc, "lifecycle"))
            continue;
        if (stopPolicyInt(lc, "lifecycle", "destroy-grace-period", 0, 3600,
                          &pol->killGraceSec) < 0)
            return -1;
        for (xmlNodePtr cur = lc->children; cur; cur = cur->next) {
            if (stopPolicyIsOurs(cur, "stop")) {
                g_autofree char *kill = (char *)xmlGetProp(cur, BAD_CAST "kill");

                if (stopPolicyInt(cur, "stop", "deadline", 1, 86400, &pol->deadlineSec) <
                        0 ||
                    stopPolicyInt(cur, "stop", "acpi-share", 0, 100, &pol->acpiShare) <
                        0 ||
                    stopPolicyInt(cur, "stop", "acpi-interval", 1, 3600,
                                  &pol->acpiIntervalSec) < 0)
                    return -1;
                if (kill) {
                    if (g_str_equal(kill, "yes")) {
                        pol->allowKill = 1;
                    } else if (g_str_equal(kill, "no")) {
                        pol->allowKill = 0;
                    } else {
                        virReportError(VIR_ERR_XML_ERROR,
                                       "invalid value '%s' of virtkit:stop attribute "
                                       "'kill' (yes or no)",
                                       kill);
                        return -1;
                    }
                }
            } else if (stopPolicyIsOurs(cur, "host-shutdown")) {
                g_autofree char *action = (char *)xmlGetProp(cur, BAD_CAST "action");

                if (action) {
                    size_t i;

                    for (i = 1; i < G_N_ELEMENTS(hostShutdownNames); i++) {
                        if (g_str_equal(action, hostShutdownNames[i]))
                            break;
                    }
                    if (i == G_N_ELEMENTS(hostShutdownNames)) {
                        virReportError(VIR_ERR_XML_ERROR,
                                       "invalid value '%s' of virtkit:host-shutdown "
                                       "attribute 'action' (shutdown, save, destroy or "
                                       "none)",
                                       action);
                        return -1;
                    }
                    pol->hostShutdown = (int)i;
                }
                if (stopPolicyInt(cur, "host-shutdown", "parallel", 1, 64,
                                  &pol->hostShutdownParallel) < 0)
                    return -1;
                if (xmlHasProp(cur, BAD_CAST "priority")) {
                    if (stopPolicyInt(cur, "host-shutdown", "priority", -1000, 1000,
                                      &pol->priority) < 0)
                        return -1;
                    pol->hasPriority = true;
                }
            }
        }
    }
    return 0;
}
