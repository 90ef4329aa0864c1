/* vksh-live.c: commands that change a running guest: setmem, setmaxmem, inject-nmi */
#define G_LOG_DOMAIN "vksh.live"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "vksh.h"

/* Every output below is virsh 9.0's (tools/virsh-domain.c), byte for byte. */

/* virsh's vshCommandOptScaledInt for <size> (default unit KiB), then in
 * KiB rounded up: libvirt's virScaleInteger suffixes (b, k/KiB, KB, m, MB,
 * g, GB, t, TB, p, PB, e, EB). false after virsh's messages. */
static bool
vkshOptSizeKiB(vkshControl *ctl, const vkshCmd *cmd, unsigned long *kib)
{
    const char *str = vkshOptRaw(cmd, "size");
    unsigned long long value, scale = 1024, limit = ULLONG_MAX;
    char *end = NULL;

    if (!str)
        return false;
    errno = 0;
    if (*str == '-' || !g_ascii_isdigit(*str) ||
        ((value = strtoull(str, &end, 10)), errno != 0))
        goto malformed;
    if (*end) {
        unsigned long long base = 1024;
        int power = 0;

        if (g_ascii_tolower(end[0]) == 'b' && !end[1]) {
            scale = 1;
        } else {
            if (end[1] && g_ascii_strcasecmp(end + 1, "iB") == 0) {
                base = 1024;
            } else if (end[1] && g_ascii_tolower(end[1]) == 'b' && !end[2]) {
                base = 1000;
            } else if (end[1]) {
                vkshError(ctl,
                          "Scaled numeric value '%s' for <size> option is malformed or "
                          "out of range",
                          str);
                vkshError(ctl, "invalid argument: unknown suffix '%s'", end);
                return false;
            }
            switch (g_ascii_tolower(end[0])) {
            case 'e':
                power = 6;
                break;
            case 'p':
                power = 5;
                break;
            case 't':
                power = 4;
                break;
            case 'g':
                power = 3;
                break;
            case 'm':
                power = 2;
                break;
            case 'k':
                power = 1;
                break;
            default:
                vkshError(ctl,
                          "Scaled numeric value '%s' for <size> option is malformed or "
                          "out of range",
                          str);
                vkshError(ctl, "invalid argument: unknown suffix '%s'", end);
                return false;
            }
            scale = 1;
            while (power--)
                scale *= base;
        }
    }
    if (value && value > limit / scale)
        goto malformed;
    value *= scale;
    value = value / 1024 + (value % 1024 != 0);
    if (value > ULONG_MAX)
        goto malformed;
    *kib = (unsigned long)value;
    return true;

malformed:
    vkshError(ctl,
              "Scaled numeric value '%s' for <size> option is malformed or out of range",
              str);
    return false;
}

/* virsh's --config/--live/--current handling: -1 when none was given. */
static bool
vkshOptImpact(vkshControl *ctl, const vkshCmd *cmd, int *flags)
{
    bool config = vkshOptBool(cmd, "config"), live = vkshOptBool(cmd, "live");
    bool current = vkshOptBool(cmd, "current");

    if (!vkshOptExclusive(ctl, cmd, "current", "live") ||
        !vkshOptExclusive(ctl, cmd, "current", "config"))
        return false;
    *flags = -1;
    if (config || live || current) {
        *flags = VIR_DOMAIN_AFFECT_CURRENT;
        if (config)
            *flags |= VIR_DOMAIN_AFFECT_CONFIG;
        if (live)
            *flags |= VIR_DOMAIN_AFFECT_LIVE;
    }
    return true;
}

const vkshOptDef vkshOptsSetmem[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "size", VKSH_OT_INT, VKSH_OFLAG_REQ,
      "new memory size, as scaled integer (default KiB)" },
    { "config", VKSH_OT_BOOL, 0, "affect next boot" },
    { "live", VKSH_OT_BOOL, 0, "affect running domain" },
    { "current", VKSH_OT_BOOL, 0, "affect current domain" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdSetmem(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    unsigned long kib = 0;
    int flags;

    if (!vkshOptImpact(ctl, cmd, &flags))
        return false;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (!vkshOptSizeKiB(ctl, cmd, &kib))
        return false;
    /* virsh 9.0 always calls the Flags variant; no option means LIVE */
    if (flags == -1)
        flags = VIR_DOMAIN_AFFECT_LIVE;
    return virDomainSetMemoryFlags(dom, kib, flags) == 0;
}

const vkshOptDef vkshOptsSetmaxmem[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "size", VKSH_OT_INT, VKSH_OFLAG_REQ,
      "new maximum memory size, as scaled integer (default KiB)" },
    { "config", VKSH_OT_BOOL, 0, "affect next boot" },
    { "live", VKSH_OT_BOOL, 0, "affect running domain" },
    { "current", VKSH_OT_BOOL, 0, "affect current domain" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdSetmaxmem(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    unsigned long kib = 0;
    int flags;
    int rc;

    if (!vkshOptImpact(ctl, cmd, &flags))
        return false;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (!vkshOptSizeKiB(ctl, cmd, &kib))
        return false;
    /* virsh 9.0 always calls the Flags variant; no option means CURRENT */
    if (flags == -1)
        flags = VIR_DOMAIN_AFFECT_CURRENT;
    rc = virDomainSetMemoryFlags(dom, kib, flags | VIR_DOMAIN_MEM_MAXIMUM);
    if (rc != 0) {
        vkshError(ctl, "%s", "Unable to change MaxMemorySize");
        return false;
    }
    return true;
}

const vkshOptDef vkshOptsInjectNmi[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdInjectNmi(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    return virDomainInjectNMI(dom, 0) == 0;
}
