/* remote_driver_iftune.c: the remote driver's interface bandwidth entry points (domiftune, procedures 256/257) */
#define G_LOG_DOMAIN "virtkit.remote"

#include "remote_driver_priv.h"
#include "remote_typedparam.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_REMOTE

/* As libvirt 9.0's remote driver: a Get with *nparams 0 only learns the
 * count; otherwise the reply's parameters fill the caller's array. */
int
remoteDomainGetInterfaceParameters(virDomainPtr dom, const char *device,
                                   virTypedParameterPtr params, int *nparams,
                                   unsigned int flags)
{
    remote_domain_get_interface_parameters_args args = { .device = (char *)device,
                                                         .nparams = *nparams,
                                                         .flags = flags };
    remote_domain_get_interface_parameters_ret ret = { 0 };
    int rc = 0;

    remoteMakeDomain(&args.dom, dom);
    if (remoteCallDomainGetInterfaceParameters(dom->conn, &args, &ret) < 0)
        return -1;
    if (*nparams == 0)
        *nparams = ret.nparams;
    else
        rc = remoteTypedParamsDeserialize(ret.params_val, ret.params_len,
                                          REMOTE_DOMAIN_INTERFACE_PARAMETERS_MAX, &params,
                                          nparams);
    virXdrFree(remote_domain_get_interface_parameters_ret_filter, &ret);
    return rc;
}

int
remoteDomainSetInterfaceParameters(virDomainPtr dom, const char *device,
                                   virTypedParameterPtr params, int nparams,
                                   unsigned int flags)
{
    remote_domain_set_interface_parameters_args args = { .device = (char *)device,
                                                         .flags = flags };
    int rc;

    remoteMakeDomain(&args.dom, dom);
    if (remoteTypedParamsSerialize(
            params, nparams, REMOTE_DOMAIN_INTERFACE_PARAMETERS_MAX, &args.params_val,
            &args.params_len, VIR_TYPED_PARAM_STRING_OKAY) < 0)
        return -1;
    rc = remoteCallDomainSetInterfaceParameters(dom->conn, &args);
    remoteTypedParamsFreeRemote(args.params_val, args.params_len);
    return rc;
}
