/* test_driver_power.c: the test driver's lifecycle actions, with libvirt 9.0's test-driver semantics */

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
