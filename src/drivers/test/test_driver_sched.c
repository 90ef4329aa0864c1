/* test_driver_sched.c: the test driver's scheduler calls, with libvirt 9.0's test-driver answers */

/*
 * Threads: as test_driver.c; each entry point holds one object lock at a
 * time and changes nothing outside memory.
 */

#define G_LOG_DOMAIN "virtkit.test.driver"

#include "driver.h"
#include "test_driver_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_TEST

/* ---- scheduler: libvirt's test driver answers "fair", weight=50, and
 * keeps nothing it is given ---------------------------------------------- */

char *
testDomainGetSchedulerType(virDomainPtr dom G_GNUC_UNUSED, int *nparams)
{
    /* no lookup: libvirt's answers for any domain handle */
    if (nparams)
        *nparams = 1;
    return g_strdup("fair");
}

int
testDomainGetSchedulerParametersFlags(virDomainPtr dom, virTypedParameterPtr params,
                                      int *nparams, unsigned int flags)
{
    virDomainObj *obj;

    /* libvirt's refuses every flag, even the STRING_OKAY its public layer adds */
    virCheckFlags(0, -1);
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    memset(&params[0], 0, sizeof(params[0]));
    g_strlcpy(params[0].field, VIR_DOMAIN_SCHEDULER_WEIGHT, sizeof(params[0].field));
    params[0].type = VIR_TYPED_PARAM_UINT;
    params[0].value.ui = 50;
    *nparams = 1;
    virDomainObjEndAPI(&obj);
    return 0;
}

int
testDomainGetSchedulerParameters(virDomainPtr dom, virTypedParameterPtr params,
                                 int *nparams)
{
    return testDomainGetSchedulerParametersFlags(dom, params, nparams, 0);
}

/* libvirt's virTypedParamsValidate(params, n, "weight", UINT, NULL), with
 * its texts (VIR_FROM_NONE). */
static int
testValidateSchedulerParams(virTypedParameterPtr params, int nparams)
{
    static const char *const typeNames[] = {
        "unknown", "int", "uint", "llong", "ullong", "double", "boolean", "string",
    };
    int i;
    bool seen = false;

    /* libvirt sorts by name first; with one key only the order of the
     * checks below can differ, not their outcome for one offender */
    for (i = 0; i < nparams; i++) {
        if (strcmp(params[i].field, VIR_DOMAIN_SCHEDULER_WEIGHT) != 0) {
            virReportErrorFull(VIR_FROM_NONE, VIR_ERR_ARGUMENT_UNSUPPORTED, __func__,
                               "parameter '%s' not supported", params[i].field);
            return -1;
        }
        if (seen) {
            virReportErrorFull(VIR_FROM_NONE, VIR_ERR_INVALID_ARG, __func__,
                               "parameter '%s' occurs multiple times", params[i].field);
            return -1;
        }
        if (params[i].type != VIR_TYPED_PARAM_UINT) {
            int t = params[i].type;

            virReportErrorFull(VIR_FROM_NONE, VIR_ERR_INVALID_ARG, __func__,
                               "invalid type '%s' for parameter '%s', expected '%s'",
                               t >= 0 && t < (int)G_N_ELEMENTS(typeNames) ? typeNames[t]
                                                                          : typeNames[0],
                               params[i].field, "uint");
            return -1;
        }
        seen = true;
    }
    return 0;
}

int
testDomainSetSchedulerParametersFlags(virDomainPtr dom, virTypedParameterPtr params,
                                      int nparams, unsigned int flags)
{
    virDomainObj *obj;

    virCheckFlags(0, -1);
    if (testValidateSchedulerParams(params, nparams) < 0)
        return -1;
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    /* as libvirt 9.0's test driver: the weight is checked, not kept */
    virDomainObjEndAPI(&obj);
    return 0;
}

int
testDomainSetSchedulerParameters(virDomainPtr dom, virTypedParameterPtr params,
                                 int nparams)
{
    return testDomainSetSchedulerParametersFlags(dom, params, nparams, 0);
}
