/* test_driver_agent.c: the test driver's guest agent calls (hostname, guest clock) with libvirt 9.0's answers */

/*
 * Threads: as test_driver.c; each entry point takes one object lock.
 *
 * libvirt's test driver has no agent: it answers a fixed host name and
 * keeps a per-domain clock (starting at 1989-11-17 15:32:00 UTC) that
 * virDomainSetTime replaces, whatever its flags.
 */

#define G_LOG_DOMAIN "virtkit.test.agent"

#include "driver.h"
#include "test_driver_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_TEST

char *
testDomainGetHostname(virDomainPtr dom, unsigned int flags)
{
    virDomainObj *obj;
    char *ret = NULL;

    virCheckFlags(0, NULL);
    if (!(obj = testDomObjFromDomain(dom)))
        return NULL;
    if (testDomainObjCheckActive(obj) == 0)
        ret = g_strdup("testhost");
    virDomainObjEndAPI(&obj);
    return ret;
}

int
testDomainGetTime(virDomainPtr dom, long long *seconds, unsigned int *nseconds,
                  unsigned int flags)
{
    virDomainObj *obj;
    int ret = -1;

    virCheckFlags(0, -1);
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    /* libvirt asks for the running state here, not just an active one */
    if (obj->state != VIR_DOMAIN_RUNNING) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
    } else {
        testDomainObjPrivate *priv = testDomainObjGetPrivate(obj);

        *seconds = priv->seconds;
        *nseconds = priv->nseconds;
        ret = 0;
    }
    virDomainObjEndAPI(&obj);
    return ret;
}

int
testDomainSetTime(virDomainPtr dom, long long seconds, unsigned int nseconds,
                  unsigned int flags)
{
    virDomainObj *obj;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_TIME_SYNC, -1);
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (testDomainObjCheckActive(obj) == 0) {
        testDomainObjPrivate *priv = testDomainObjGetPrivate(obj);

        priv->seconds = seconds;
        priv->nseconds = nseconds;
        ret = 0;
    }
    virDomainObjEndAPI(&obj);
    return ret;
}
