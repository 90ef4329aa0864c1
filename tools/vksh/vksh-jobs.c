/* vksh-jobs.c: domjobabort, domblkthreshold, domdirtyrate-calc (virsh 9.0's commands of a domain's jobs, block events and dirty-rate measurement) */
#define G_LOG_DOMAIN "vksh.jobs"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "vksh.h"

/* Every output below is virsh 9.0's (tools/virsh-domain.c), byte for byte. */

/*
 * virsh's vshCommandOptScaledInt(ctl, cmd, @name, value, @scale, @max):
 * digits (virStrToLong_ullp), then libvirt's virScaleInteger suffix (b,
 * byte(s); k, KiB, KB ... e, EiB, EB), @scale when none. 0 when the
 * option is absent, 1 with *@value set, -1 after virsh's messages (the
 * "malformed" line, then the scaling error's own).
 */
int
vkshOptScaled(vkshControl *ctl, const vkshCmd *cmd, const char *name,
              unsigned long long scale, unsigned long long max, unsigned long long *value)
{
    g_autofree char *why = NULL;
    int rc = vkshOptScaledWhy(ctl, cmd, name, scale, max, value, &why);

    if (why)
        vkshError(ctl, "%s", why);
    return rc;
}

int
vkshOptScaledWhy(vkshControl *ctl, const vkshCmd *cmd, const char *name,
                 unsigned long long scale, unsigned long long max,
                 unsigned long long *value, char **whyp)
{
    const char *str = vkshOptRaw(cmd, name);
    g_autofree char *why = NULL;
    unsigned long long v;
    const char *s;
    char *end = NULL;

    if (!str)
        return 0;
    for (s = str; g_ascii_isspace(*s); s++)
        ;
    errno = 0;
    if (*s == '-' || ((v = strtoull(str, &end, 10)), errno != 0) || end == str)
        goto malformed;
    if (*end) {
        unsigned long long base;
        int power;

        if (g_ascii_strcasecmp(end, "b") == 0 || g_ascii_strcasecmp(end, "byte") == 0 ||
            g_ascii_strcasecmp(end, "bytes") == 0) {
            scale = 1;
        } else {
            const char *units = "kmgtpe";
            const char *u = strchr(units, g_ascii_tolower(end[0]));

            if (!end[1] || g_ascii_strcasecmp(end + 1, "iB") == 0)
                base = 1024;
            else if (g_ascii_tolower(end[1]) == 'b' && !end[2])
                base = 1000;
            else
                u = NULL;
            if (!u) {
                why = g_strdup_printf("invalid argument: unknown suffix '%s'", end);
                goto malformed;
            }
            scale = 1;
            for (power = (int)(u - units) + 1; power > 0; power--)
                scale *= base;
        }
    }
    if (scale && v > max / scale) {
        why = g_strdup_printf("numerical overflow: value too large: %llu%s", v, end);
        goto malformed;
    }
    *value = v * scale;
    return 1;

malformed:
    vkshError(ctl,
              "Scaled numeric value '%s' for <%s> option is malformed or out of range",
              str, name);
    *whyp = g_steal_pointer(&why);
    return -1;
}

/* ---- domjobabort ------------------------------------------------------------ */

const vkshOptDef vkshOptsDomjobabort[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "postcopy", VKSH_OT_BOOL, 0, "interrupt post-copy migration" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdDomjobabort(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    unsigned int flags = 0;
    int rc;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (vkshOptBool(cmd, "postcopy"))
        flags |= VIR_DOMAIN_ABORT_JOB_POSTCOPY;
    /* virsh calls the older API when it can */
    if (flags == 0)
        rc = virDomainAbortJob(dom);
    else
        rc = virDomainAbortJobFlags(dom, flags);
    return rc == 0;
}

/* ---- domblkthreshold -------------------------------------------------------- */

const vkshOptDef vkshOptsDomblkthreshold[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "dev", VKSH_OT_STRING, VKSH_OFLAG_REQ, "device to set threshold for" },
    { "threshold", VKSH_OT_INT, VKSH_OFLAG_REQ,
      "threshold as a scaled number (by default bytes)" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdDomblkthreshold(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    const char *dev = NULL;
    unsigned long long threshold = 0;

    if (vkshOptString(ctl, cmd, "dev", &dev) < 0)
        return false;
    if (vkshOptScaled(ctl, cmd, "threshold", 1, ULLONG_MAX, &threshold) < 0)
        return false;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    return virDomainSetBlockThreshold(dom, dev, threshold, 0) == 0;
}

/* ---- domblkerror ------------------------------------------------------------ */

const vkshOptDef vkshOptsDomblkerror[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { NULL, 0, 0, NULL },
};

static const char *
vkshDiskErrorToString(int error)
{
    switch (error) {
    case VIR_DOMAIN_DISK_ERROR_NONE:
        return "no error";
    case VIR_DOMAIN_DISK_ERROR_UNSPEC:
        return "unspecified error";
    case VIR_DOMAIN_DISK_ERROR_NO_SPACE:
        return "no space";
    }
    return "unknown error";
}

bool
vkshCmdDomblkerror(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autofree virDomainDiskError *disks = NULL;
    int count;
    bool ok = false;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if ((count = virDomainGetDiskErrors(dom, NULL, 0, 0)) < 0)
        return false;
    if (count > 0) {
        disks = g_new0(virDomainDiskError, count);
        if ((count = virDomainGetDiskErrors(dom, disks, (unsigned int)count, 0)) < 0)
            return false;
    }
    if (count == 0)
        vkshPrint(ctl, "No errors found\n");
    for (int i = 0; i < count; i++)
        vkshPrint(ctl, "%s: %s\n", disks[i].disk, vkshDiskErrorToString(disks[i].error));
    ok = true;
    for (int i = 0; i < count; i++)
        free(disks[i].disk);
    return ok;
}

/* ---- domdirtyrate-calc ------------------------------------------------------ */

const vkshOptDef vkshOptsDomdirtyrateCalc[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "seconds", VKSH_OT_INT, 0,
      "calculate memory dirty rate within specified seconds, the supported value range "
      "from 1 to 60, default to 1." },
    { "mode", VKSH_OT_STRING, 0,
      "dirty page rate calculation mode, either of these 3 options 'page-sampling, "
      "dirty-bitmap, dirty-ring' can be specified." },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdDomdirtyrateCalc(vkshControl *ctl, const vkshCmd *cmd)
{
    static const struct {
        const char *name;
        unsigned int flag;
    } modes[] = {
        { "page-sampling", VIR_DOMAIN_DIRTYRATE_MODE_PAGE_SAMPLING },
        { "dirty-bitmap", VIR_DOMAIN_DIRTYRATE_MODE_DIRTY_BITMAP },
        { "dirty-ring", VIR_DOMAIN_DIRTYRATE_MODE_DIRTY_RING },
    };
    g_autoptr(virDomain) dom = NULL;
    const char *mode = NULL;
    unsigned int flags = 0;
    int seconds = 1;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (vkshOptInt(ctl, cmd, "seconds", &seconds) < 0 ||
        vkshOptString(ctl, cmd, "mode", &mode) < 0)
        return false;
    if (mode) {
        size_t i;

        for (i = 0; i < G_N_ELEMENTS(modes) && strcmp(modes[i].name, mode) != 0; i++)
            ;
        if (i == G_N_ELEMENTS(modes)) {
            vkshError(ctl, "Unknown calculation mode '%s'", mode);
            return false;
        }
        flags |= modes[i].flag;
    }
    if (virDomainStartDirtyRateCalc(dom, seconds, flags) < 0)
        return false;
    vkshPrintExtra(ctl, "Start to calculate domain's memory dirty rate successfully.\n");
    return true;
}
