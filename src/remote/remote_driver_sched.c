/* remote_driver_sched.c: the remote driver's scheduler-parameter entry points (typed parameters on the wire) */
#define G_LOG_DOMAIN "virtkit.remote"

#include "remote_driver_priv.h"
#include "remote_typedparam.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_REMOTE

/*
 * As libvirt 9.0's remote_driver.c: the reply's parameters go into the
 * caller's array (libvirt's "model 1": no more than *nparams, and no more
 * than REMOTE_DOMAIN_SCHEDULER_PARAMETERS_MAX); a set sends its
 * parameters with VIR_TYPED_PARAM_STRING_OKAY (strings included).
 */

char *
remoteDomainGetSchedulerType(virDomainPtr dom, int *nparams)
{
    remote_domain_get_scheduler_type_args args;
    remote_domain_get_scheduler_type_ret ret = { 0 };

    remoteMakeDomain(&args.dom, dom);
    if (remoteCallDomainGetSchedulerType(dom->conn, &args, &ret) < 0)
        return NULL;
    if (nparams)
        *nparams = ret.nparams;
    return ret.type; /* the reply's string, handed over */
}

int
remoteDomainGetSchedulerParameters(virDomainPtr dom, virTypedParameterPtr params,
                                   int *nparams)
{
    remote_domain_get_scheduler_parameters_args args = { .nparams = *nparams };
    remote_domain_get_scheduler_parameters_ret ret = { 0 };
    int rc;

    remoteMakeDomain(&args.dom, dom);
    if (remoteCallDomainGetSchedulerParameters(dom->conn, &args, &ret) < 0)
        return -1;
    rc = remoteTypedParamsDeserialize(ret.params_val, ret.params_len,
                                      REMOTE_DOMAIN_SCHEDULER_PARAMETERS_MAX, &params,
                                      nparams);
    virXdrFree(remote_domain_get_scheduler_parameters_ret_filter, &ret);
    return rc;
}

int
remoteDomainGetSchedulerParametersFlags(virDomainPtr dom, virTypedParameterPtr params,
                                        int *nparams, unsigned int flags)
{
    remote_domain_get_scheduler_parameters_flags_args args = {
        .nparams = *nparams,
        .flags = flags,
    };
    remote_domain_get_scheduler_parameters_flags_ret ret = { 0 };
    int rc;

    remoteMakeDomain(&args.dom, dom);
    if (remoteCallDomainGetSchedulerParametersFlags(dom->conn, &args, &ret) < 0)
        return -1;
    rc = remoteTypedParamsDeserialize(ret.params_val, ret.params_len,
                                      REMOTE_DOMAIN_SCHEDULER_PARAMETERS_MAX, &params,
                                      nparams);
    virXdrFree(remote_domain_get_scheduler_parameters_flags_ret_filter, &ret);
    return rc;
}

int
remoteDomainSetSchedulerParameters(virDomainPtr dom, virTypedParameterPtr params,
                                   int nparams)
{
    remote_domain_set_scheduler_parameters_args args = { 0 };
    int rc;

    remoteMakeDomain(&args.dom, dom);
    if (remoteTypedParamsSerialize(
            params, nparams, REMOTE_DOMAIN_SCHEDULER_PARAMETERS_MAX, &args.params_val,
            &args.params_len, VIR_TYPED_PARAM_STRING_OKAY) < 0)
        return -1;
    rc = remoteCallDomainSetSchedulerParameters(dom->conn, &args);
    remoteTypedParamsFreeRemote(args.params_val, args.params_len);
    return rc;
}

int
remoteDomainSetSchedulerParametersFlags(virDomainPtr dom, virTypedParameterPtr params,
                                        int nparams, unsigned int flags)
{
    remote_domain_set_scheduler_parameters_flags_args args = { .flags = flags };
    int rc;

    remoteMakeDomain(&args.dom, dom);
    if (remoteTypedParamsSerialize(
            params, nparams, REMOTE_DOMAIN_SCHEDULER_PARAMETERS_MAX, &args.params_val,
            &args.params_len, VIR_TYPED_PARAM_STRING_OKAY) < 0)
        return -1;
    rc = remoteCallDomainSetSchedulerParametersFlags(dom->conn, &args);
    remoteTypedParamsFreeRemote(args.params_val, args.params_len);
    return rc;
}
