/* vksh-sched.c: schedinfo (show and set a domain's scheduler parameters, as virsh 9.0) */

#define G_LOG_DOMAIN "vksh.sched"
#include <string.h>

#include "vksh.h"

/* One name=value update: typed as the domain's parameter of that name. */
static bool
vkshSchedUpdateOne(vkshControl *ctl, const virTypedParameter *src, int nsrc,
                   virTypedParameterPtr *params, int *nparams, int *maxparams,
                   const char *field, const char *value)
{
    for (int i = 0; i < nsrc; i++) {
        if (strcmp(field, src[i].field) != 0)
            continue;
        /* a refused value is the library's error, shown as virsh does */
        return virTypedParamsAddFromString(params, nparams, maxparams, field, src[i].type,
                                           value) == 0;
    }
    vkshError(ctl, "invalid scheduler option: %s", field);
    return false;
}

/* The updates asked for (--set name=value..., then --cap, --weight): their
 * count, or -1 after an error. */
static int
vkshSchedUpdates(vkshControl *ctl, const vkshCmd *cmd, const virTypedParameter *src,
                 int nsrc, virTypedParameterPtr *updates)
{
    virTypedParameterPtr params = NULL;
    int nparams = 0, maxparams = 0;
    const char *val = NULL;

    for (size_t i = 0; cmd->argv && i < cmd->argv->len; i++) {
        g_autofree char *field = g_strdup(g_ptr_array_index(cmd->argv, i));
        char *eq = strchr(field, '=');

        if (!eq) {
            vkshError(ctl, "%s", "Invalid syntax for --set, expecting name=value");
            goto error;
        }
        *eq = '\0';
        if (!vkshSchedUpdateOne(ctl, src, nsrc, &params, &nparams, &maxparams, field,
                                eq + 1))
            goto error;
    }
    if (vkshOptString(ctl, cmd, "cap", &val) < 0 ||
        (val &&
         !vkshSchedUpdateOne(ctl, src, nsrc, &params, &nparams, &maxparams, "cap", val)))
        goto error;
    val = NULL;
    if (vkshOptString(ctl, cmd, "weight", &val) < 0 ||
        (val && !vkshSchedUpdateOne(ctl, src, nsrc, &params, &nparams, &maxparams,
                                    "weight", val)))
        goto error;
    *updates = params;
    return nparams;

error:
    virTypedParamsFree(params, nparams);
    return -1;
}

const vkshOptDef vkshOptsSchedinfo[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "weight", VKSH_OT_INT, VKSH_OFLAG_NAMED, "weight for XEN_CREDIT" },
    { "cap", VKSH_OT_INT, VKSH_OFLAG_NAMED, "cap for XEN_CREDIT" },
    { "current", VKSH_OT_BOOL, 0, "get/set current scheduler info" },
    { "config", VKSH_OT_BOOL, 0, "get/set value to be used on next boot" },
    { "live", VKSH_OT_BOOL, 0, "get/set value from running domain" },
    { "set", VKSH_OT_ARGV, VKSH_OFLAG_ARGV_SHOWNAME, "parameter=value" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdSchedinfo(vkshControl *ctl, const vkshCmd *cmd)
{
    virDomainPtr dom = NULL;
    g_autofree char *type = NULL;
    virTypedParameterPtr params = NULL;
    virTypedParameterPtr updates = NULL;
    int nparams = 0, nupdates = 0, rc;
    unsigned int flags = VIR_DOMAIN_AFFECT_CURRENT;
    bool current = vkshOptBool(cmd, "current");
    bool config = vkshOptBool(cmd, "config");
    bool live = vkshOptBool(cmd, "live");
    bool ok = false;

    if (!vkshOptExclusive(ctl, cmd, "current", "live") ||
        !vkshOptExclusive(ctl, cmd, "current", "config"))
        return false;
    if (config)
        flags |= VIR_DOMAIN_AFFECT_CONFIG;
    if (live)
        flags |= VIR_DOMAIN_AFFECT_LIVE;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;

    if (!(type = virDomainGetSchedulerType(dom, &nparams))) {
        vkshPrint(ctl, "%-15s: %s\n", "Scheduler", "Unknown");
        goto cleanup;
    }
    vkshPrint(ctl, "%-15s: %s\n", "Scheduler", type);
    if (!nparams)
        goto cleanup;

    params = g_new0(virTypedParameter, nparams);
    if (flags || current) {
        /* live and config cannot be read at once: current then */
        rc = virDomainGetSchedulerParametersFlags(dom, params, &nparams,
                                                  ((live && config) ? 0 : flags) |
                                                      VIR_TYPED_PARAM_STRING_OKAY);
    } else {
        rc = virDomainGetSchedulerParameters(dom, params, &nparams);
    }
    if (rc < 0)
        goto cleanup;

    if ((nupdates = vkshSchedUpdates(ctl, cmd, params, nparams, &updates)) < 0)
        goto cleanup;
    if (nupdates > 0) {
        if (flags || current)
            rc = virDomainSetSchedulerParametersFlags(dom, updates, nupdates, flags);
        else
            rc = virDomainSetSchedulerParameters(dom, updates, nupdates);
        if (rc < 0)
            goto cleanup;
        if (flags || current)
            rc = virDomainGetSchedulerParametersFlags(dom, params, &nparams,
                                                      ((live && config) ? 0 : flags) |
                                                          VIR_TYPED_PARAM_STRING_OKAY);
        else
            rc = virDomainGetSchedulerParameters(dom, params, &nparams);
        if (rc < 0)
            goto cleanup;
    } else if (live && config) {
        vkshError(ctl, "%s", "cannot query both live and config at once");
        goto cleanup;
    }

    ok = true;
    for (int i = 0; i < nparams; i++) {
        g_autofree char *str = vkshTypedParamValue(&params[i], false);

        vkshPrint(ctl, "%-15s: %s\n", params[i].field, str);
    }

cleanup:
    if (params)
        virTypedParamsFree(params, nparams);
    if (updates)
        virTypedParamsFree(updates, nupdates);
    virDomainFree(dom);
    return ok;
}
