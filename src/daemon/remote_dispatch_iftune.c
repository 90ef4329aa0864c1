/* remote_dispatch_iftune.c: interface bandwidth procedures (domiftune: 256 set, 257 get)
 *
 * Thread protocol: see remote_dispatch.c; every handler runs on a worker
 * with its own reference to the client's connection.
 */
#define G_LOG_DOMAIN "virtkitd.dispatch"

#include "remote_dispatch_priv.h"
#include "remote_typedparam.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_RPC

/* As libvirtd 9.0: more parameters asked than the procedure's maximum is
 * INTERNAL_ERROR "nparams too large"; nparams 0 asks for the count, sent
 * back in the reply's nparams. */
VKD_HANDLER(vkdDispatchDomainGetInterfaceParameters)
{
    remote_domain_get_interface_parameters_args *a = args;
    remote_domain_get_interface_parameters_ret *r = ret;
    g_autoptr(virDomain) dom = NULL;
    virTypedParameterPtr params = NULL;
    int nparams = a->nparams;
    int rc;

    if (a->nparams > REMOTE_DOMAIN_INTERFACE_PARAMETERS_MAX) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "nparams too large");
        return -1;
    }
    dom = vkdDomainFromWire(call->conn, &a->dom);
    if (nparams > 0)
        params = g_new0(virTypedParameter, nparams);
    if (virDomainGetInterfaceParameters(dom, a->device, params, &nparams, a->flags) < 0) {
        g_free(params);
        return -1;
    }
    if (a->nparams == 0) {
        r->nparams = nparams;
        g_free(params);
        return 0;
    }
    rc = remoteTypedParamsSerialize(params, nparams,
                                    REMOTE_DOMAIN_INTERFACE_PARAMETERS_MAX,
                                    &r->params_val, &r->params_len, a->flags);
    remoteTypedParamsFree(params, nparams);
    return rc;
}

VKD_HANDLER(vkdDispatchDomainSetInterfaceParameters)
{
    remote_domain_set_interface_parameters_args *a = args;
    g_autoptr(virDomain) dom = vkdDomainFromWire(call->conn, &a->dom);
    virTypedParameterPtr params = NULL;
    int nparams = 0;
    int rc;

    (void)ret;
    if (remoteTypedParamsDeserialize(a->params_val, a->params_len,
                                     REMOTE_DOMAIN_INTERFACE_PARAMETERS_MAX, &params,
                                     &nparams) < 0)
        return -1;
    rc = virDomainSetInterfaceParameters(dom, a->device, params, nparams, a->flags);
    remoteTypedParamsFree(params, nparams);
    return rc;
}
