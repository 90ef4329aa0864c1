/* vksh-iftune.c: domiftune, an interface's bandwidth (as virsh 9.0) */
#define G_LOG_DOMAIN "vksh.iftune"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "vksh.h"

/* Every output below is virsh 9.0's (tools/virsh-domain.c), byte for byte. */

const vkshOptDef vkshOptsDomiftune[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "interface", VKSH_OT_STRING, VKSH_OFLAG_REQ, "interface device (MAC Address)" },
    { "inbound", VKSH_OT_STRING, VKSH_OFLAG_NAMED, "control domain's incoming traffics" },
    { "outbound", VKSH_OT_STRING, VKSH_OFLAG_NAMED,
      "control domain's outgoing traffics" },
    { "config", VKSH_OT_BOOL, 0, "affect next boot" },
    { "live", VKSH_OT_BOOL, 0, "affect running domain" },
    { "current", VKSH_OT_BOOL, 0, "affect current domain" },
    { NULL, 0, 0, NULL },
};

typedef struct {
    unsigned long long average;
    unsigned long long peak;
    unsigned long long burst;
    unsigned long long floor;
} vkshRate;

/* virStrToLong_ullp: blanks and '+' allowed, no '-', nothing after. */
static bool
vkshParseULL(const char *s, unsigned long long *v)
{
    const char *p = s;
    char *end = NULL;

    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' ||
           *p == '\v')
        p++;
    if (*p == '-')
        return false;
    errno = 0;
    *v = strtoull(p, &end, 10);
    return errno == 0 && end != p && *end == '\0';
}

/* virsh's virshParseRateStr: "average,peak,burst,floor", empty fields
 * left at 0. */
static bool
vkshParseRate(vkshControl *ctl, const char *str, vkshRate *rate)
{
    g_auto(GStrv) tok = g_strsplit(str, ",", 0);
    guint ntok = g_strv_length(tok);
    unsigned long long *dst[] = { &rate->average, &rate->peak, &rate->burst,
                                  &rate->floor };
    static const char *const names[] = { "average", "peak", "burst", "floor" };

    if (ntok > 4) {
        vkshError(ctl, "Rate string '%s' has too many fields", str);
        return false;
    }
    for (guint i = 0; i < ntok; i++) {
        if (*tok[i] && !vkshParseULL(tok[i], dst[i])) {
            vkshError(ctl, "field '%s' is malformed", names[i]);
            return false;
        }
    }
    return true;
}

/* One direction's option into @params; false after the message. */
static bool
vkshIftuneAdd(vkshControl *ctl, const char *str, bool inbound,
              virTypedParameterPtr *params, int *nparams, int *maxparams)
{
    const char *dir = inbound ? "inbound" : "outbound";
    vkshRate rate = { 0 };

    if (!vkshParseRate(ctl, str, &rate))
        return false;
    /* the API takes UINT */
    if (rate.average > UINT_MAX || rate.peak > UINT_MAX || rate.burst > UINT_MAX) {
        vkshError(ctl, "%s rate larger than maximum %u", dir, UINT_MAX);
        return false;
    }
    if (inbound) {
        if (!rate.average && (rate.burst || rate.peak) && !rate.floor) {
            vkshError(ctl, "%s", "either inbound average or floor is mandatory");
            return false;
        }
        virTypedParamsAddUInt(params, nparams, maxparams, VIR_DOMAIN_BANDWIDTH_IN_AVERAGE,
                              (unsigned int)rate.average);
        if (rate.peak)
            virTypedParamsAddUInt(params, nparams, maxparams,
                                  VIR_DOMAIN_BANDWIDTH_IN_PEAK, (unsigned int)rate.peak);
        if (rate.burst)
            virTypedParamsAddUInt(params, nparams, maxparams,
                                  VIR_DOMAIN_BANDWIDTH_IN_BURST,
                                  (unsigned int)rate.burst);
        if (rate.floor)
            virTypedParamsAddUInt(params, nparams, maxparams,
                                  VIR_DOMAIN_BANDWIDTH_IN_FLOOR,
                                  (unsigned int)rate.floor);
        return true;
    }
    if (rate.average == 0 && (rate.burst || rate.peak)) {
        vkshError(ctl, "%s", "outbound average is mandatory");
        return false;
    }
    if (rate.floor) {
        vkshError(ctl, "%s", "outbound floor is unsupported yet");
        return false;
    }
    virTypedParamsAddUInt(params, nparams, maxparams, VIR_DOMAIN_BANDWIDTH_OUT_AVERAGE,
                          (unsigned int)rate.average);
    if (rate.peak)
        virTypedParamsAddUInt(params, nparams, maxparams, VIR_DOMAIN_BANDWIDTH_OUT_PEAK,
                              (unsigned int)rate.peak);
    if (rate.burst)
        virTypedParamsAddUInt(params, nparams, maxparams, VIR_DOMAIN_BANDWIDTH_OUT_BURST,
                              (unsigned int)rate.burst);
    return true;
}

static const vkshDeviceTune iftune = {
    .get = virDomainGetInterfaceParameters,
    .set = virDomainSetInterfaceParameters,
    .countNamesDevice = true,
    .countError = "Unable to get number of interface parameters",
    .getError = "Unable to get interface parameters",
    .setError = "Unable to set interface parameters",
};

bool
vkshCmdDomiftune(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    virTypedParameterPtr params = NULL;
    int nparams = 0, maxparams = 0;
    unsigned int flags;
    const char *device = NULL;
    const char *inbound = NULL;
    const char *outbound = NULL;
    bool ok = false;

    if (!vkshTuneFlags(ctl, cmd, &flags))
        return false;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (vkshOptString(ctl, cmd, "interface", &device) < 0 ||
        vkshOptString(ctl, cmd, "inbound", &inbound) < 0 ||
        vkshOptString(ctl, cmd, "outbound", &outbound) < 0)
        goto cleanup;
    if (inbound && !vkshIftuneAdd(ctl, inbound, true, &params, &nparams, &maxparams))
        goto cleanup;
    if (outbound && !vkshIftuneAdd(ctl, outbound, false, &params, &nparams, &maxparams))
        goto cleanup;
    if (!vkshDeviceTuneRun(ctl, dom, device, &params, &nparams, flags, &iftune))
        goto cleanup;
    ok = true;

cleanup:
    virTypedParamsFree(params, nparams);
    return ok;
}
