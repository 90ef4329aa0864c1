/* vksh-power.c: commands for a guest's power: set-lifecycle-action */
#define G_LOG_DOMAIN "vksh.power"

#include <string.h>

#include "vksh.h"

/* Every output below is virsh 9.0's (tools/virsh-domain.c), byte for byte. */

/* virsh's --config/--live/--current: false after its message. */
static bool
vkshPowerImpact(vkshControl *ctl, const vkshCmd *cmd, unsigned int *flags)
{
    if (!vkshOptExclusive(ctl, cmd, "current", "live") ||
        !vkshOptExclusive(ctl, cmd, "current", "config"))
        return false;
    *flags = VIR_DOMAIN_AFFECT_CURRENT;
    if (vkshOptBool(cmd, "config"))
        *flags |= VIR_DOMAIN_AFFECT_CONFIG;
    if (vkshOptBool(cmd, "live"))
        *flags |= VIR_DOMAIN_AFFECT_LIVE;
    return true;
}

static int
vkshIndexOf(const char *const *names, size_t n, const char *str)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(names[i], str) == 0)
            return (int)i;
    }
    return -1;
}

const vkshOptDef vkshOptsSetLifecycleAction[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "type", VKSH_OT_STRING, VKSH_OFLAG_REQ, "lifecycle type to modify" },
    { "action", VKSH_OT_STRING, VKSH_OFLAG_REQ, "lifecycle action to set" },
    { "config", VKSH_OT_BOOL, 0, "affect next boot" },
    { "live", VKSH_OT_BOOL, 0, "affect running domain" },
    { "current", VKSH_OT_BOOL, 0, "affect current domain" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdSetLifecycleAction(vkshControl *ctl, const vkshCmd *cmd)
{
    static const char *const types[] = { "poweroff", "reboot", "crash" };
    static const char *const actions[] = { "destroy",          "restart",
                                           "rename-restart",   "preserve",
                                           "coredump-destroy", "coredump-restart" };
    g_autoptr(virDomain) dom = NULL;
    const char *typeStr = NULL;
    const char *actionStr = NULL;
    unsigned int flags;
    int type, action;

    if (!vkshPowerImpact(ctl, cmd, &flags))
        return false;
    if (vkshOptString(ctl, cmd, "type", &typeStr) < 0 ||
        vkshOptString(ctl, cmd, "action", &actionStr) < 0)
        return false;
    if ((type = vkshIndexOf(types, G_N_ELEMENTS(types), typeStr)) < 0) {
        vkshError(ctl, "Invalid lifecycle type '%s'.", typeStr);
        return false;
    }
    if ((action = vkshIndexOf(actions, G_N_ELEMENTS(actions), actionStr)) < 0) {
        vkshError(ctl, "Invalid lifecycle action '%s'.", actionStr);
        return false;
    }
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (virDomainSetLifecycleAction(dom, type, action, flags) < 0) {
        vkshError(ctl, "%s", "Unable to change lifecycle action.");
        return false;
    }
    return true;
}
