/* libvirt-domain-sched.c: public entry points for a domain's scheduler parameters */
#define G_LOG_DOMAIN "virtkit.api"

#include "libvirt_internal.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN


/*
 * Contracts below, as libvirt 9.0's (compared by tests/compat): the common
 * checks of libvirt-domain.c (invalid domain VIR_ERR_INVALID_DOMAIN, NULL
 * arguments VIR_ERR_INVALID_ARG, a driver without the call
 * VIR_ERR_NO_SUPPORT, read-only connections refused for the Set calls),
 * every failure dispatched once. Every driver virtkit has takes string
 * parameters (libvirt's VIR_DRV_FEATURE_TYPED_PARAM_STRING), so the Flags
 * variants always add VIR_TYPED_PARAM_STRING_OKAY, as libvirt does then.
 */

/**
 * virDomainGetSchedulerType:
 * @domain: a domain handle
 * @nparams: where to store the number of scheduler parameters, or NULL
 *
 * The name of @domain's CPU scheduler: "fair" with one parameter ("weight")
 * on the test driver, as libvirt's.
 *
 * Returns a new string the caller frees, or NULL on error (the common
 * ones).
 */
char *
virDomainGetSchedulerType(virDomainPtr domain, int *nparams)
{
    virConnectPtr conn;
    char *type;

    virResetLastError();
    virCheckDomainReturn(domain, NULL);
    conn = domain->conn;

    if (conn->driver->domainGetSchedulerType) {
        if (!(type = conn->driver->domainGetSchedulerType(domain, nparams)))
            goto error;
        return type;
    }
    virReportUnsupportedError();
error:
    virDispatchError(conn);
    return NULL;
}


/**
 * virDomainGetSchedulerParameters:
 * @domain: a domain handle
 * @params: the caller's array of *@nparams entries, filled in
 * @nparams: in: the size of @params (> 0, see virDomainGetSchedulerType);
 *           out: how many entries were filled
 *
 * @domain's scheduler parameters (the test driver: weight=50, a
 * VIR_TYPED_PARAM_UINT). Strings are never returned by this older call.
 *
 * Returns 0 in case of success and -1 in case of error: the common ones,
 * VIR_ERR_INVALID_ARG for a NULL @params or @nparams or *@nparams <= 0.
 */
int
virDomainGetSchedulerParameters(virDomainPtr domain, virTypedParameterPtr params,
                                int *nparams)
{
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);
    virCheckNonNullArgGoto(params, error);
    virCheckNonNullArgGoto(nparams, error);
    virCheckPositiveArgGoto(*nparams, error);

    VIR_ENTRY_CALL_ZERO(driver, domainGetSchedulerParameters, domain, params, nparams);
}


/**
 * virDomainGetSchedulerParametersFlags:
 * @domain: a domain handle
 * @params: the caller's array of *@nparams entries, filled in
 * @nparams: in: the size of @params (> 0); out: how many entries were filled
 * @flags: bitwise-OR of virDomainModificationImpact and
 *         virTypedParameterFlags (VIR_TYPED_PARAM_STRING_OKAY is added)
 *
 * As virDomainGetSchedulerParameters, for the live or persistent
 * definition. libvirt 9.0's test driver accepts no flag at all, not even
 * the VIR_TYPED_PARAM_STRING_OKAY its public layer adds, so this call
 * always fails there; virtkit's does the same.
 *
 * Returns 0 in case of success and -1 in case of error: the common ones,
 * VIR_ERR_INVALID_ARG for NULL arguments, *@nparams <= 0, or both
 * VIR_DOMAIN_AFFECT_LIVE and VIR_DOMAIN_AFFECT_CONFIG; the driver's
 * unsupported-flags error.
 */
int
virDomainGetSchedulerParametersFlags(virDomainPtr domain, virTypedParameterPtr params,
                                     int *nparams, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);
    virCheckNonNullArgGoto(params, error);
    virCheckNonNullArgGoto(nparams, error);
    virCheckPositiveArgGoto(*nparams, error);
    flags |= VIR_TYPED_PARAM_STRING_OKAY;
    if (virAPIExclusiveFlags(VIR_DOMAIN_AFFECT_LIVE, VIR_DOMAIN_AFFECT_CONFIG) < 0)
        goto error;

    VIR_ENTRY_CALL_ZERO(driver, domainGetSchedulerParametersFlags, domain, params,
                        nparams, flags);
}


/**
 * virDomainSetSchedulerParameters:
 * @domain: a domain handle
 * @params: @nparams parameters to set
 * @nparams: the number of entries of @params (>= 0)
 *
 * Changes @domain's scheduler parameters. libvirt 9.0's test driver checks
 * them (only "weight", a VIR_TYPED_PARAM_UINT, once) and then keeps
 * nothing: weight stays 50; virtkit's does the same.
 *
 * Returns 0 in case of success and -1 in case of error: the common ones,
 * VIR_ERR_OPERATION_DENIED on a read-only connection, VIR_ERR_INVALID_ARG
 * for a NULL @params, a negative @nparams, a field not NUL-terminated
 * within VIR_TYPED_PARAM_FIELD_LENGTH or a NULL string; the driver's
 * refusal of a parameter (libvirt's virTypedParamsValidate texts).
 */
int
virDomainSetSchedulerParameters(virDomainPtr domain, virTypedParameterPtr params,
                                int nparams)
{
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);
    virCheckReadOnlyGoto(conn, error);
    virCheckNonNullArgGoto(params, error);
    virCheckNonNegativeArgGoto(nparams, error);
    if (virAPITypedParamsValidateSet(__func__, params, nparams) < 0)
        goto error;

    VIR_ENTRY_CALL_ZERO(driver, domainSetSchedulerParameters, domain, params, nparams);
}


/**
 * virDomainSetSchedulerParametersFlags:
 * @domain: a domain handle
 * @params: @nparams parameters to set
 * @nparams: the number of entries of @params (>= 0)
 * @flags: bitwise-OR of virDomainModificationImpact
 *
 * As virDomainSetSchedulerParameters, for the live and/or persistent
 * definition. libvirt 9.0's test driver accepts no flag.
 *
 * Returns 0 in case of success and -1 in case of error: those of
 * virDomainSetSchedulerParameters, and the driver's unsupported-flags
 * error.
 */
int
virDomainSetSchedulerParametersFlags(virDomainPtr domain, virTypedParameterPtr params,
                                     int nparams, unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(domain, -1), domain->conn);
    virCheckReadOnlyGoto(conn, error);
    virCheckNonNullArgGoto(params, error);
    virCheckNonNegativeArgGoto(nparams, error);
    if (virAPITypedParamsValidateSet(__func__, params, nparams) < 0)
        goto error;

    VIR_ENTRY_CALL_ZERO(driver, domainSetSchedulerParametersFlags, domain, params,
                        nparams, flags);
}
