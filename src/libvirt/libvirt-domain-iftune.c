/* libvirt-domain-iftune.c: public entry points for an interface's bandwidth (domiftune) */
#define G_LOG_DOMAIN "virtkit.api"

#include "libvirt_internal.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

/**
 * virDomainSetInterfaceParameters:
 * @dom: a domain handle
 * @device: the interface, by its MAC address or its host-side name
 *          (<target dev>, e.g. "vnet0")
 * @params: @nparams parameters, each VIR_TYPED_PARAM_UINT:
 *          VIR_DOMAIN_BANDWIDTH_IN_AVERAGE, _IN_PEAK, _IN_BURST, _IN_FLOOR,
 *          _OUT_AVERAGE, _OUT_PEAK, _OUT_BURST (kibibytes per second,
 *          bursts in kibibytes)
 * @nparams: the number of @params (> 0)
 * @flags: bitwise-OR of virDomainModificationImpact
 *
 * Changes the interface's <bandwidth>, as libvirt: a direction given
 * without an average (nor, inbound, a floor) is removed; a direction not
 * named keeps its limits. On a running guest (QEMU driver) the tap's tc
 * limits change at once; a floor needs a virtual network with inbound QoS,
 * which virtkit's networks do not have (VIR_ERR_OPERATION_UNSUPPORTED).
 *
 * Returns 0 on success, -1 on error: VIR_ERR_INVALID_DOMAIN, the
 * read-only connection's VIR_ERR_OPERATION_DENIED, VIR_ERR_INVALID_ARG for
 * a NULL @params or @device, @nparams <= 0, an unknown interface ("'DEV'
 * is not a known interface") or a parameter of another type,
 * VIR_ERR_ARGUMENT_UNSUPPORTED for an unknown field,
 * VIR_ERR_CONFIG_UNSUPPORTED for an interface type without a tap (user),
 * VIR_ERR_NO_SUPPORT for a driver without it. Nothing changes on error.
 */
int
virDomainSetInterfaceParameters(virDomainPtr dom, const char *device,
                                virTypedParameterPtr params, int nparams,
                                unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(dom, -1), dom->conn);
    virCheckReadOnlyGoto(conn, error);
    virCheckNonNullArgGoto(device, error);
    virCheckNonNullArgGoto(params, error);
    virCheckPositiveArgGoto(nparams, error);
    if (virAPITypedParamsValidateSet(__func__, params, nparams) < 0)
        goto error;

    VIR_ENTRY_CALL_ZERO(driver, domainSetInterfaceParameters, dom, device, params,
                        nparams, flags);
}

/**
 * virDomainGetInterfaceParameters:
 * @dom: a domain handle
 * @device: the interface, by its MAC address or its host-side name
 * @params: the caller's array of *@nparams entries (may be NULL when
 *          *@nparams is 0)
 * @nparams: in: the size of @params, 0 to ask for the count (7); out: how
 *           many were filled
 * @flags: bitwise-OR of virDomainModificationImpact and virTypedParameterFlags
 *
 * The interface's limits, in libvirt's order: inbound average, peak,
 * burst, floor, outbound average, peak, burst (VIR_TYPED_PARAM_UINT, 0
 * when not set), from the running guest's definition or, with
 * VIR_DOMAIN_AFFECT_CONFIG, from the persistent one.
 *
 * Returns 0 on success, -1 on error: VIR_ERR_INVALID_DOMAIN,
 * VIR_ERR_INVALID_ARG for a NULL @nparams or @device, a negative
 * *@nparams, a NULL @params with *@nparams > 0, or an unknown interface;
 * VIR_ERR_NO_SUPPORT for a driver without it.
 */
int
virDomainGetInterfaceParameters(virDomainPtr dom, const char *device,
                                virTypedParameterPtr params, int *nparams,
                                unsigned int flags)
{
    VIR_ENTRY(virCheckDomainReturn(dom, -1), dom->conn);
    virCheckNonNullArgGoto(device, error);
    virCheckNonNullArgGoto(nparams, error);
    virCheckNonNegativeArgGoto(*nparams, error);
    virCheckNonNullArrayArgGoto(params, *nparams, error);
    /* every driver virtkit has takes string parameters */
    flags |= VIR_TYPED_PARAM_STRING_OKAY;

    VIR_ENTRY_CALL_ZERO(driver, domainGetInterfaceParameters, dom, device, params,
                        nparams, flags);
}
