/* vksh-agent.c: commands answered by the guest agent (domtime, domhostname, domfs*, guestinfo, guestvcpus, ...) */
#define G_LOG_DOMAIN "vksh.agent"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include <json-c/json.h>
#include <libvirt/libvirt-qemu.h>

#include "vksh.h"

/* Every output below is virsh 9.0's (tools/virsh-domain.c), byte for byte. */

const vkshOptDef vkshOptsDomtime[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "now", VKSH_OT_BOOL, 0, "set to the time of the host running virsh" },
    { "pretty", VKSH_OT_BOOL, 0, "print domain's time in human readable form" },
    { "sync", VKSH_OT_BOOL, 0,
      "instead of setting given time, synchronize from domain's RTC" },
    { "time", VKSH_OT_INT, 0, "time to set" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdDomtime(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    bool now = vkshOptBool(cmd, "now");
    bool pretty = vkshOptBool(cmd, "pretty");
    bool doSync = vkshOptBool(cmd, "sync");
    const char *timeStr = vkshOptRaw(cmd, "time");
    long long seconds = 0;
    unsigned int nseconds = 0;
    unsigned int flags = 0;

    if (!vkshOptExclusive(ctl, cmd, "time", "now") ||
        !vkshOptExclusive(ctl, cmd, "time", "sync"))
        return false;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (timeStr) {
        char *end = NULL;

        errno = 0;
        seconds = strtoll(timeStr, &end, 10);
        if (!*timeStr || *end || errno) {
            vkshError(ctl,
                      "Numeric value '%s' for <%s> option is malformed or out of range",
                      timeStr, "time");
            return false;
        }
    }
    if (now)
        seconds = (long long)time(NULL);
    if (doSync)
        flags |= VIR_DOMAIN_TIME_SYNC;

    if (timeStr || now || doSync)
        return virDomainSetTime(dom, seconds, nseconds, flags) == 0;

    if (virDomainGetTime(dom, &seconds, &nseconds, flags) < 0)
        return false;
    if (pretty) {
        g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc(seconds);
        g_autofree char *str =
            when ? g_date_time_format(when, "%Y-%m-%d %H:%M:%S") : NULL;

        /* virsh prints glib's NULL as "(null)" for a time glib cannot hold */
        vkshPrint(ctl, "Time: %s", str ? str : "(null)");
    } else {
        vkshPrint(ctl, "Time: %lld", seconds);
    }
    return true;
}

const vkshOptDef vkshOptsDomhostname[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "source", VKSH_OT_STRING, 0, "address source: 'lease' or 'agent'" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdDomhostname(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autofree char *hostname = NULL;
    const char *source = NULL;
    unsigned int flags = 0;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (vkshOptString(ctl, cmd, "source", &source) < 0)
        return false;
    if (source) {
        if (g_str_equal(source, "agent")) {
            flags |= VIR_DOMAIN_GET_HOSTNAME_AGENT;
        } else if (g_str_equal(source, "lease")) {
            flags |= VIR_DOMAIN_GET_HOSTNAME_LEASE;
        } else {
            vkshError(ctl, "Unknown data source '%s'", source);
            return false;
        }
    }
    if (!(hostname = virDomainGetHostname(dom, flags))) {
        vkshError(ctl, "%s", "failed to get hostname");
        return false;
    }
    vkshPrint(ctl, "%s\n", hostname);
    return true;
}

const vkshOptDef vkshOptsDomfsfreeze[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "mountpoint", VKSH_OT_ARGV, VKSH_OFLAG_ARGV_SHOWNAME,
      "mountpoint path to be frozen" },
    { NULL, 0, 0, NULL },
};

const vkshOptDef vkshOptsDomfsthaw[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "mountpoint", VKSH_OT_ARGV, VKSH_OFLAG_ARGV_SHOWNAME,
      "mountpoint path to be thawed" },
    { NULL, 0, 0, NULL },
};

static bool
vkshFSFreezeThaw(vkshControl *ctl, const vkshCmd *cmd, bool freeze)
{
    g_autoptr(virDomain) dom = NULL;
    g_autoptr(GPtrArray) mnt = g_ptr_array_new();
    int n;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    for (guint i = 0; cmd->argv && i < cmd->argv->len; i++)
        g_ptr_array_add(mnt, g_ptr_array_index(cmd->argv, i));
    n = freeze ? virDomainFSFreeze(dom, mnt->len ? (const char **)mnt->pdata : NULL,
                                   mnt->len, 0)
               : virDomainFSThaw(dom, mnt->len ? (const char **)mnt->pdata : NULL,
                                 mnt->len, 0);
    if (n < 0) {
        vkshError(ctl, "%s",
                  freeze ? "Unable to freeze filesystems" : "Unable to thaw filesystems");
        return false;
    }
    vkshPrint(ctl, freeze ? "Froze %d filesystem(s)\n" : "Thawed %d filesystem(s)\n", n);
    return true;
}

bool
vkshCmdDomfsfreeze(vkshControl *ctl, const vkshCmd *cmd)
{
    return vkshFSFreezeThaw(ctl, cmd, true);
}

bool
vkshCmdDomfsthaw(vkshControl *ctl, const vkshCmd *cmd)
{
    return vkshFSFreezeThaw(ctl, cmd, false);
}

const vkshOptDef vkshOptsDomfstrim[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "minimum", VKSH_OT_INT, VKSH_OFLAG_NAMED,
      "Just a hint to ignore contiguous free ranges smaller than this (Bytes)" },
    { "mountpoint", VKSH_OT_STRING, VKSH_OFLAG_NAMED, "which mount point to trim" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdDomfstrim(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    const char *minStr = vkshOptRaw(cmd, "minimum");
    const char *mountPoint = NULL;
    unsigned long long minimum = 0;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (minStr) {
        char *end = NULL;

        errno = 0;
        minimum = strtoull(minStr, &end, 10);
        if (!*minStr || *end || errno || strchr(minStr, '-')) {
            vkshError(ctl,
                      "Numeric value '%s' for <%s> option is malformed or out of range",
                      minStr, "minimum");
            return false;
        }
    }
    if (vkshOptString(ctl, cmd, "mountpoint", &mountPoint) < 0)
        return false;
    if (virDomainFSTrim(dom, mountPoint, minimum, 0) < 0) {
        vkshError(ctl, "%s", "Unable to invoke fstrim");
        return false;
    }
    return true;
}

const vkshOptDef vkshOptsDomfsinfo[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdDomfsinfo(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autoptr(GPtrArray) rows = NULL;
    virDomainFSInfoPtr *info = NULL;
    int n;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if ((n = virDomainGetFSInfo(dom, &info, 0)) < 0) {
        vkshError(ctl, "%s", "Unable to get filesystem information");
        return false;
    }
    if (n == 0) {
        vkshPrint(ctl, "%s", "No filesystems are mounted in the domain");
        return true;
    }
    rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
    {
        char **head = g_new0(char *, 5);

        head[0] = g_strdup("Mountpoint");
        head[1] = g_strdup("Name");
        head[2] = g_strdup("Type");
        head[3] = g_strdup("Target");
        g_ptr_array_add(rows, head);
    }
    for (int i = 0; i < n; i++) {
        char **row = g_new0(char *, 5);
        g_autoptr(GString) targets = g_string_new(NULL);

        for (size_t j = 0; j < info[i]->ndevAlias; j++)
            g_string_append_printf(targets, "%s%s", j ? "," : "", info[i]->devAlias[j]);
        row[0] = g_strdup(info[i]->mountpoint);
        row[1] = g_strdup(info[i]->name);
        row[2] = g_strdup(info[i]->fstype);
        row[3] = g_string_free(g_steal_pointer(&targets), FALSE);
        g_ptr_array_add(rows, row);
        virDomainFSInfoFree(info[i]);
    }
    free(info);
    vkshTablePrint(ctl, rows, 4, !ctl->quiet);
    return true;
}

const vkshOptDef vkshOptsGuestinfo[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "user", VKSH_OT_BOOL, 0, "report active users" },
    { "os", VKSH_OT_BOOL, 0, "report operating system information" },
    { "timezone", VKSH_OT_BOOL, 0, "report timezone information" },
    { "hostname", VKSH_OT_BOOL, 0, "report hostname" },
    { "filesystem", VKSH_OT_BOOL, 0, "report filesystem information" },
    { "disk", VKSH_OT_BOOL, 0, "report disk information" },
    { "interface", VKSH_OT_BOOL, 0, "report interface information" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdGuestinfo(vkshControl *ctl, const vkshCmd *cmd)
{
    static const struct {
        const char *opt;
        unsigned int bit;
    } kinds[] = {
        { "user", VIR_DOMAIN_GUEST_INFO_USERS },
        { "os", VIR_DOMAIN_GUEST_INFO_OS },
        { "timezone", VIR_DOMAIN_GUEST_INFO_TIMEZONE },
        { "hostname", VIR_DOMAIN_GUEST_INFO_HOSTNAME },
        { "filesystem", VIR_DOMAIN_GUEST_INFO_FILESYSTEM },
        { "disk", VIR_DOMAIN_GUEST_INFO_DISKS },
        { "interface", VIR_DOMAIN_GUEST_INFO_INTERFACES },
    };
    g_autoptr(virDomain) dom = NULL;
    virTypedParameterPtr params = NULL;
    int nparams = 0;
    unsigned int types = 0;

    for (size_t i = 0; i < G_N_ELEMENTS(kinds); i++) {
        if (vkshOptBool(cmd, kinds[i].opt))
            types |= kinds[i].bit;
    }
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (virDomainGetGuestInfo(dom, types, &params, &nparams, 0) < 0)
        return false;
    for (int i = 0; i < nparams; i++) {
        g_autofree char *value = vkshTypedParamValue(&params[i], false);

        vkshPrint(ctl, "%-20s: %s\n", params[i].field, value);
    }
    virTypedParamsFree(params, nparams);
    return true;
}

const vkshOptDef vkshOptsSetUserPassword[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "user", VKSH_OT_STRING, VKSH_OFLAG_REQ, "the username" },
    { "password", VKSH_OT_STRING, VKSH_OFLAG_REQ, "the new password" },
    { "encrypted", VKSH_OT_BOOL, 0, "the password is already encrypted" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdSetUserPassword(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    const char *name = NULL;
    const char *password = NULL;
    unsigned int flags = 0;

    if (vkshOptBool(cmd, "encrypted"))
        flags |= VIR_DOMAIN_PASSWORD_ENCRYPTED;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (vkshOptString(ctl, cmd, "user", &name) < 0 ||
        vkshOptString(ctl, cmd, "password", &password) < 0)
        return false;
    if (virDomainSetUserPassword(dom, name, password, flags) < 0)
        return false;
    vkshPrintExtra(ctl, "Password set successfully for %s in %s", name,
                   virDomainGetName(dom));
    return true;
}

const vkshOptDef vkshOptsGuestAgentTimeout[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "timeout", VKSH_OT_INT, VKSH_OFLAG_NAMED, "timeout seconds." },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdGuestAgentTimeout(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    int timeout = VIR_DOMAIN_AGENT_RESPONSE_TIMEOUT_BLOCK;

    if (vkshOptInt(ctl, cmd, "timeout", &timeout) < 0)
        return false;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    return virDomainAgentSetResponseTimeout(dom, timeout, 0) == 0;
}

const vkshOptDef vkshOptsQemuAgentCommand[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "timeout", VKSH_OT_INT, VKSH_OFLAG_NAMED, "timeout seconds. must be positive." },
    { "async", VKSH_OT_BOOL, 0, "execute command without waiting for timeout" },
    { "block", VKSH_OT_BOOL, 0, "execute command without timeout" },
    { "pretty", VKSH_OT_BOOL, 0, "pretty-print the output" },
    { "cmd", VKSH_OT_ARGV, VKSH_OFLAG_REQ, "command" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdQemuAgentCommand(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autoptr(GString) text = g_string_new(NULL);
    g_autofree char *result = NULL;
    int timeout = VIR_DOMAIN_QEMU_AGENT_COMMAND_DEFAULT;
    int given = 0;

    if ((vkshOptRaw(cmd, "timeout") != NULL) + vkshOptBool(cmd, "async") +
            vkshOptBool(cmd, "block") >
        1) {
        vkshError(ctl, "%s", "timeout, async and block options are exclusive");
        return false;
    }
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    for (guint i = 0; cmd->argv && i < cmd->argv->len; i++)
        g_string_append_printf(text, "%s%s", i ? " " : "",
                               (const char *)g_ptr_array_index(cmd->argv, i));
    if ((given = vkshOptInt(ctl, cmd, "timeout", &timeout)) < 0)
        return false;
    if (given > 0 && timeout < 1) {
        vkshError(ctl, "%s", "timeout must be positive");
        return false;
    }
    if (vkshOptBool(cmd, "async"))
        timeout = VIR_DOMAIN_QEMU_AGENT_COMMAND_NOWAIT;
    if (vkshOptBool(cmd, "block"))
        timeout = VIR_DOMAIN_QEMU_AGENT_COMMAND_BLOCK;
    if (!(result = virDomainQemuAgentCommand(dom, text->str, timeout, 0)))
        return false;
    if (vkshOptBool(cmd, "pretty")) {
        /* virsh reformats with libvirt's JSON writer (json-c, pretty and
         * spaced, a newline after it); left as it is if not JSON */
        json_object *o = json_tokener_parse(result);

        if (o) {
            g_autofree char *pretty = g_strdup_printf(
                "%s\n", json_object_to_json_string_ext(
                            o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                   JSON_C_TO_STRING_NOSLASHESCAPE));

            json_object_put(o);
            g_free(result);
            result = g_steal_pointer(&pretty);
        }
    }
    vkshPrint(ctl, "%s\n", result);
    return true;
}

const vkshOptDef vkshOptsGuestvcpus[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "cpulist", VKSH_OT_STRING, 0, "list of cpus to enable or disable" },
    { "enable", VKSH_OT_BOOL, 0, "enable cpus specified by cpulist" },
    { "disable", VKSH_OT_BOOL, 0, "disable cpus specified by cpulist" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdGuestvcpus(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    bool enable = vkshOptBool(cmd, "enable");
    bool disable = vkshOptBool(cmd, "disable");
    virTypedParameterPtr params = NULL;
    unsigned int nparams = 0;
    const char *cpulist = NULL;

    if (!vkshOptExclusive(ctl, cmd, "enable", "disable"))
        return false;
    if ((enable || disable) && !vkshOptRaw(cmd, "cpulist")) {
        vkshError(ctl, "Option --%s is required by option --%s", "cpulist",
                  enable ? "enable" : "disable");
        return false;
    }
    if (vkshOptString(ctl, cmd, "cpulist", &cpulist) < 0)
        return false;
    if (cpulist && !enable && !disable) {
        vkshError(ctl, "%s",
                  "One of options --enable or --disable is required by option --cpulist");
        return false;
    }
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (cpulist)
        return virDomainSetGuestVcpus(dom, cpulist, enable ? 1 : 0, 0) == 0;
    if (virDomainGetGuestVcpus(dom, &params, &nparams, 0) < 0)
        return false;
    for (unsigned int i = 0; i < nparams; i++) {
        g_autofree char *value = vkshTypedParamValue(&params[i], false);

        vkshPrint(ctl, "%-15s: %s\n", params[i].field, value);
    }
    virTypedParamsFree(params, (int)nparams);
    return true;
}

const vkshOptDef vkshOptsGetUserSshkeys[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "user", VKSH_OT_STRING, VKSH_OFLAG_REQ, "user to list authorized keys for" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdGetUserSshkeys(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    const char *user = NULL;
    char **keys = NULL;
    int n;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (vkshOptString(ctl, cmd, "user", &user) < 0)
        return false;
    if ((n = virDomainAuthorizedSSHKeysGet(dom, user, &keys, 0)) < 0)
        return false;
    /* virsh 9.0 prints each key without a newline */
    for (int i = 0; i < n; i++) {
        vkshPrint(ctl, "%s", keys[i]);
        free(keys[i]);
    }
    free(keys);
    return true;
}

const vkshOptDef vkshOptsSetUserSshkeys[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "user", VKSH_OT_STRING, VKSH_OFLAG_REQ, "user to set authorized keys for" },
    { "file", VKSH_OT_STRING, 0, "optional file to read keys from" },
    { "reset", VKSH_OT_BOOL, 0, "clear out authorized keys file before adding new keys" },
    { "remove", VKSH_OT_BOOL, 0, "remove keys from the authorized keys file" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdSetUserSshkeys(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autofree char *buffer = NULL;
    g_auto(GStrv) keys = NULL;
    const char *user = NULL;
    const char *from = NULL;
    unsigned int nkeys = 0;
    unsigned int flags = 0;

    if (vkshOptBool(cmd, "remove") && !vkshOptRaw(cmd, "file")) {
        vkshError(ctl, "Option --%s is required by option --%s", "file", "remove");
        return false;
    }
    if (!vkshOptExclusive(ctl, cmd, "reset", "remove"))
        return false;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (vkshOptString(ctl, cmd, "user", &user) < 0 ||
        vkshOptString(ctl, cmd, "file", &from) < 0)
        return false;
    if (vkshOptBool(cmd, "remove")) {
        flags |= VIR_DOMAIN_AUTHORIZED_SSH_KEYS_SET_REMOVE;
    } else if (!vkshOptBool(cmd, "reset")) {
        flags |= VIR_DOMAIN_AUTHORIZED_SSH_KEYS_SET_APPEND;
        if (!from) {
            vkshError(ctl, "%s", "Option --file is required");
            return false;
        }
    }
    if (from) {
        if (!(buffer = vkshReadFile(ctl, from)))
            return false;
        /* as virsh: every line is a key, the empty one after the last
         * newline too */
        keys = g_strsplit(buffer, "\n", -1);
        if ((nkeys = g_strv_length(keys)) == 0) {
            vkshError(ctl, "File %s contains no keys", from);
            return false;
        }
    }
    return virDomainAuthorizedSSHKeysSet(dom, user, (const char **)keys, nkeys, flags) ==
           0;
}
