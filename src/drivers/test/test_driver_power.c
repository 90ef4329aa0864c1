/* test_driver_power.c: the test driver's lifecycle actions and process signals, with libvirt 9.0's test-driver semantics */

/*
 * Threads: as test_driver.c; each entry point holds one object lock and
 * changes the definitions in memory only (the test driver keeps nothing
 * on disk).
 */

#define G_LOG_DOMAIN "virtkit.test.power"

#include "driver.h"
#include "test_driver_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_TEST

int
testDomainSetLifecycleAction(virDomainPtr dom, unsigned int type, unsigned int action,
                             unsigned int flags)
{
    virDomainObj *obj;
    virDomainDef *live;
    virDomainDef *persistent;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if (!virDomainDefLifecycleActionAllowed(type, action))
        return -1;
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (testDomainObjGetDefs(obj, flags, &live, &persistent) < 0)
        goto cleanup;
    if (live)
        virDomainDefSetLifecycleAction(live, type, action);
    if (persistent)
        virDomainDefSetLifecycleAction(persistent, type, action);
    ret = 0;

cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

/* libvirt's testDomainSendProcessSignal: pid 1 and a signal in range, on
 * any domain, running or not; nothing happens. */
int
testDomainSendProcessSignal(virDomainPtr dom, long long pid_value, unsigned int signum,
                            unsigned int flags)
{
    virDomainObj *obj;

    virCheckFlags(0, -1);
    if (pid_value != 1) {
        virReportError(VIR_ERR_INVALID_ARG, "%s",
                       "only sending a signal to pid 1 is supported");
        return -1;
    }
    if (signum >= VIR_DOMAIN_PROCESS_SIGNAL_LAST) {
        virReportError(VIR_ERR_INVALID_ARG, "signum value %d is out of range",
                       (int)signum);
        return -1;
    }
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    virDomainObjEndAPI(&obj);
    return 0;
}
