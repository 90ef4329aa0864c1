/* test_driver_jobs.c: the test driver's disk errors and block I/O tuning, with libvirt 9.0's test-driver semantics */

/*
 * Threads: as test_driver.c; each entry point takes one object lock,
 * never driver->lock.
 */

#define G_LOG_DOMAIN "virtkit.test.jobs"

#include <string.h>

#include "driver.h"
#include "test_driver_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_TEST

/* libvirt's test driver invents an error on every disk of a running
 * domain, alternating "unspecified" and "no space" in disk order; it
 * accepts any @flags. */
int
testDomainGetDiskErrors(virDomainPtr dom, virDomainDiskErrorPtr errors,
                        unsigned int maxerrors, unsigned int flags G_GNUC_UNUSED)
{
    virDomainObj *obj;
    int ret = -1;

    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (testDomainObjCheckActive(obj) < 0)
        goto cleanup;
    if (!errors) {
        ret = (int)obj->def->ndisks;
        goto cleanup;
    }
    ret = (int)MIN(obj->def->ndisks, maxerrors);
    memset(errors, 0, sizeof(*errors) * (size_t)ret);
    for (int i = 0; i < ret; i++) {
        errors[i].disk = g_strdup(obj->def->disks[i]->dst);
        errors[i].error =
            i % 2 ? VIR_DOMAIN_DISK_ERROR_NO_SPACE : VIR_DOMAIN_DISK_ERROR_UNSPEC;
    }

cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}
