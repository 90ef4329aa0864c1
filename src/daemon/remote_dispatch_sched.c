/* remote_dispatch_sched.c: scheduler-parameter procedures (56, 57, 58, 219, 223): typed parameters on the wire
 *
 * Thread protocol: see remote_dispatch.c; every handler runs on a worker
 * with its own reference to the client's connection.
 */
#define G_LOG_DOMAIN "virtkitd.dispatch"

#include "remote_dispatch_priv.h"
#include "remote_typedparam.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_RPC

/*
 * As libvirtd 9.0's daemon/remote.c: a Get allocates the client's
 * *nparams (at most REMOTE_DOMAIN_SCHEDULER_PARAMETERS_MAX: more is
 * VIR_ERR_INTERNAL_ERROR "nparams too large") and serializes what the
 * driver filled, strings only when the client's flags say
 * VIR_TYPED_PARAM_STRING_OKAY (never for the older 57); a Set turns the
 * arguments back into virTypedParameters (the decoder has already bounded
 * their count) and calls the public API, which checks them.
 */

VKD_HANDLER(vkdDispatchGetSchedulerType)
{
    remote_domain_get_scheduler_type_args *a = args;
    remote_domain_get_scheduler_type_ret *r = ret;
    g_autoptr(virDomain) dom = vkdDomainFromWire(call->conn, &a->dom);
    int nparams = 0;

    if (!(r->type = virDomainGetSchedulerType(dom, &nparams)))
        return -1;
    r->nparams = nparams;
    return 0;
}

/* The body of 57 and 223: @flags is the client's (0 for 57). */
static int
vkdGetSchedulerParams(vkdCall *call, const remote_nonnull_domain *wire, int nparams,
                      bool withFlags, unsigned int flags, remote_typed_param **val,
                      uint32_t *len)
{
    g_autoptr(virDomain) dom = vkdDomainFromWire(call->conn, wire);
    virTypedParameterPtr params = NULL;
    int rc;

    if (nparams > REMOTE_DOMAIN_SCHEDULER_PARAMETERS_MAX) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "nparams too large");
        return -1;
    }
    if (nparams > 0)
        params = g_new0(virTypedParameter, nparams);
    if (withFlags)
        rc = virDomainGetSchedulerParametersFlags(dom, params, &nparams, flags);
    else
        rc = virDomainGetSchedulerParameters(dom, params, &nparams);
    if (rc < 0) {
        g_free(params);
        return -1;
    }
    rc = remoteTypedParamsSerialize(
        params, nparams, REMOTE_DOMAIN_SCHEDULER_PARAMETERS_MAX, val, len, flags);
    remoteTypedParamsFree(params, nparams);
    return rc;
}

VKD_HANDLER(vkdDispatchGetSchedulerParameters)
{
    remote_domain_get_scheduler_parameters_args *a = args;
    remote_domain_get_scheduler_parameters_ret *r = ret;

    return vkdGetSchedulerParams(call, &a->dom, a->nparams, false, 0, &r->params_val,
                                 &r->params_len);
}

VKD_HANDLER(vkdDispatchGetSchedulerParametersFlags)
{
    remote_domain_get_scheduler_parameters_flags_args *a = args;
    remote_domain_get_scheduler_parameters_flags_ret *r = ret;

    return vkdGetSchedulerParams(call, &a->dom, a->nparams, true, a->flags,
                                 &r->params_val, &r->params_len);
}

/* The body of 58 and 219. */
static int
vkdSetSchedulerParams(vkdCall *call, const remote_nonnull_domain *wire,
                      const remote_typed_param *val, uint32_t len, bool withFlags,
                      unsigned int flags)
{
    g_autoptr(virDomain) dom = vkdDomainFromWire(call->conn, wire);
    virTypedParameterPtr params = NULL;
    int nparams = 0;
    int rc;

    if (remoteTypedParamsDeserialize(val, len, REMOTE_DOMAIN_SCHEDULER_PARAMETERS_MAX,
                                     &params, &nparams) < 0)
        return -1;
    if (withFlags)
        rc = virDomainSetSchedulerParametersFlags(dom, params, nparams, flags);
    else
        rc = virDomainSetSchedulerParameters(dom, params, nparams);
    remoteTypedParamsFree(params, nparams);
    return rc;
}

VKD_HANDLER(vkdDispatchSetSchedulerParameters)
{
    remote_domain_set_scheduler_parameters_args *a = args;

    (void)ret;
    return vkdSetSchedulerParams(call, &a->dom, a->params_val, a->params_len, false, 0);
}

VKD_HANDLER(vkdDispatchSetSchedulerParametersFlags)
{
    remote_domain_set_scheduler_parameters_flags_args *a = args;

    (void)ret;
    return vkdSetSchedulerParams(call, &a->dom, a->params_val, a->params_len, true,
                                 a->flags);
}
