/* vksh-power.c: commands for power and signals: set-lifecycle-action, dompmsuspend, dompmwakeup, nodesuspend, send-process-signal */
#define G_LOG_DOMAIN "vksh.power"

#include <errno.h>
#include <stdlib.h>
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

static const char *const vkshSuspendTargets[] = { "mem", "disk", "hybrid" };

/* virsh's vshCommandOptULongLong / vshCommandOptLongLong: 1 and *value
 * when given, 0 when absent, -1 after its message. */
static int
vkshPowerOptNumber(vkshControl *ctl, const vkshCmd *cmd, const char *name, bool isSigned,
                   unsigned long long *value)
{
    const char *str = vkshOptRaw(cmd, name);
    char *end = NULL;

    if (!str)
        return 0;
    errno = 0;
    if (isSigned) {
        long long n = strtoll(str, &end, 10);

        *value = (unsigned long long)n;
    } else {
        const char *p = str;

        while (g_ascii_isspace(*p))
            p++;
        *value = *p == '-' ? 0 : strtoull(str, &end, 10);
        if (*p == '-')
            end = (char *)str;
    }
    if (!*str || end == str || *end || errno) {
        vkshError(ctl, "Numeric value '%s' for <%s> option is malformed or out of range",
                  str, name);
        return -1;
    }
    return 1;
}

const vkshOptDef vkshOptsDompmsuspend[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "target", VKSH_OT_STRING, VKSH_OFLAG_REQ,
      "mem(Suspend-to-RAM), disk(Suspend-to-Disk), hybrid(Hybrid-Suspend)" },
    { "duration", VKSH_OT_INT, VKSH_OFLAG_NAMED, "duration in seconds" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdDompmsuspend(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    const char *target = NULL;
    unsigned long long duration = 0;
    int t;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (vkshPowerOptNumber(ctl, cmd, "duration", false, &duration) < 0)
        return false;
    if (vkshOptString(ctl, cmd, "target", &target) < 0)
        return false;
    if ((t = vkshIndexOf(vkshSuspendTargets, G_N_ELEMENTS(vkshSuspendTargets), target)) <
        0) {
        vkshError(ctl, "%s", "Invalid target");
        return false;
    }
    if (virDomainPMSuspendForDuration(dom, t, duration, 0) < 0) {
        vkshError(ctl, "Domain '%s' could not be suspended", virDomainGetName(dom));
        return false;
    }
    vkshPrintExtra(ctl, "Domain '%s' successfully suspended", virDomainGetName(dom));
    return true;
}

const vkshOptDef vkshOptsDompmwakeup[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdDompmwakeup(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    const char *name = NULL;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, &name)))
        return false;
    if (virDomainPMWakeup(dom, 0) < 0) {
        vkshError(ctl, "Domain '%s' could not be woken up", name);
        return false;
    }
    vkshPrintExtra(ctl, "Domain '%s' successfully woken up", name);
    return true;
}

const vkshOptDef vkshOptsNodesuspend[] = {
    { "target", VKSH_OT_STRING, VKSH_OFLAG_REQ,
      "mem(Suspend-to-RAM), disk(Suspend-to-Disk), hybrid(Hybrid-Suspend)" },
    { "duration", VKSH_OT_INT, VKSH_OFLAG_REQ,
      "Suspend duration in seconds, at least 60" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdNodesuspend(vkshControl *ctl, const vkshCmd *cmd)
{
    const char *target = NULL;
    unsigned long long duration = 0;
    int t;

    if (vkshOptString(ctl, cmd, "target", &target) < 0)
        return false;
    if (vkshPowerOptNumber(ctl, cmd, "duration", true, &duration) < 0)
        return false;
    if ((t = vkshIndexOf(vkshSuspendTargets, G_N_ELEMENTS(vkshSuspendTargets), target)) <
        0) {
        vkshError(ctl, "%s", "Invalid target");
        return false;
    }
    if ((long long)duration < 0) {
        vkshError(ctl, "%s", "Invalid duration");
        return false;
    }
    if (virNodeSuspendForDuration(ctl->conn, t, duration, 0) < 0) {
        vkshError(ctl, "%s", "The host was not suspended");
        return false;
    }
    return true;
}

/* virsh's virshDomainProcessSignal names: 0 nop .. 31 sys, 32 rt0 .. 64 rt32 */
static const char *const vkshProcessSignals[] = {
    "nop",  "hup",  "int",  "quit", "ill",  "trap", "abrt",   "bus",  "fpe",   "kill",
    "usr1", "segv", "usr2", "pipe", "alrm", "term", "stkflt", "chld", "cont",  "stop",
    "tstp", "ttin", "ttou", "urg",  "xcpu", "xfsz", "vtalrm", "prof", "winch", "poll",
    "pwr",  "sys",  "rt0",  "rt1",  "rt2",  "rt3",  "rt4",    "rt5",  "rt6",   "rt7",
    "rt8",  "rt9",  "rt10", "rt11", "rt12", "rt13", "rt14",   "rt15", "rt16",  "rt17",
    "rt18", "rt19", "rt20", "rt21", "rt22", "rt23", "rt24",   "rt25", "rt26",  "rt27",
    "rt28", "rt29", "rt30", "rt31", "rt32"
};

/* virsh's getSignalNumber: a number as it is, else a name (any case,
 * "sig" or "sig_" before it allowed); -1 when neither. */
static int
vkshSignalNumber(const char *signame)
{
    g_autofree char *lower = g_ascii_strdown(signame, -1);
    const char *p = lower;
    char *end = NULL;
    long n;

    errno = 0;
    n = strtol(lower, &end, 10);
    if (*lower && !*end && errno == 0 && end != lower && n >= G_MININT && n <= G_MAXINT)
        return n < 0 ? -1 : (int)n;
    if (g_str_has_prefix(p, "sig_"))
        p += 4;
    else if (g_str_has_prefix(p, "sig"))
        p += 3;
    return vkshIndexOf(vkshProcessSignals, G_N_ELEMENTS(vkshProcessSignals), p);
}

const vkshOptDef vkshOptsSendProcessSignal[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "pid", VKSH_OT_STRING, VKSH_OFLAG_REQ, "the process ID" },
    { "signame", VKSH_OT_STRING, VKSH_OFLAG_REQ, "the signal number or name" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdSendProcessSignal(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    const char *signame = NULL;
    unsigned long long pid = 0;
    int signum;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (vkshPowerOptNumber(ctl, cmd, "pid", true, &pid) < 0)
        return false;
    if (vkshOptString(ctl, cmd, "signame", &signame) < 0)
        return false;
    if ((signum = vkshSignalNumber(signame)) < 0) {
        vkshError(ctl, "malformed signal name: %s", signame);
        return false;
    }
    return virDomainSendProcessSignal(dom, (long long)pid, signum, 0) == 0;
}
