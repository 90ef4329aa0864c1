/* test_driver_live.c: the test driver's live changes of a guest (memory, NMI) and its memory peek, with libvirt 9.0's semantics */

/*
 * Threads: as test_driver.c; each entry point holds one object lock and
 * changes the definitions in memory only (the test driver keeps nothing
 * on disk).
 */

#define G_LOG_DOMAIN "virtkit.test.live"

#include "driver.h"
#include "test_driver_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_TEST

/* The definition @flags (VIR_DOMAIN_AFFECT_*, resolved here) selects, for
 * changing: a running persistent domain gets its own next-boot copy first
 * so that a CONFIG change does not touch the running guest. */
static virDomainDef *
testDomainDefForChange(virDomainObj *obj, unsigned int *flags)
{
    if (!testDomainObjGetOneDef(obj, *flags))
        return NULL;
    if (!(*flags & (VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG)))
        *flags |=
            virDomainObjIsActive(obj) ? VIR_DOMAIN_AFFECT_LIVE : VIR_DOMAIN_AFFECT_CONFIG;
    if (*flags & VIR_DOMAIN_AFFECT_LIVE)
        return obj->def;
    if (virDomainObjIsActive(obj) && !obj->newDef) {
        obj->newDef = virDomainDefCopy(obj->def);
        testDomainObjGetPrivate(obj)->hasNextDef = true;
    }
    return virDomainObjGetPersistentDef(obj);
}

int
testDomainSetMemoryFlags(virDomainPtr dom, unsigned long memory, unsigned int flags)
{
    virDomainObj *obj;
    virDomainDef *def;
    int ret = -1;

    virCheckFlags(
        VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG | VIR_DOMAIN_MEM_MAXIMUM, -1);
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (!(def = testDomainDefForChange(obj, &flags)))
        goto cleanup;

    if (flags & VIR_DOMAIN_MEM_MAXIMUM) {
        if (flags & VIR_DOMAIN_AFFECT_LIVE) {
            virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                           "cannot resize the maximum memory on an active domain");
            goto cleanup;
        }
        /* libvirt: the cells' sizes cannot follow, and <maxMemory> bounds it */
        if (def->nnumaCells) {
            virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                           "initial memory size of a domain with NUMA nodes cannot be "
                           "modified with this API");
            goto cleanup;
        }
        if (def->maxMemory && def->maxMemory < memory) {
            virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                           "cannot set initial memory size greater than the maximum "
                           "memory size");
            goto cleanup;
        }
        def->memory = memory;
        if (def->currentMemory > memory)
            def->currentMemory = memory;
    } else {
        if (memory > def->memory) {
            virReportError(VIR_ERR_INVALID_ARG, "%s",
                           "cannot set memory higher than max memory");
            goto cleanup;
        }
        def->currentMemory = memory;
    }
    ret = 0;

cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

int
testDomainInjectNMI(virDomainPtr dom, unsigned int flags)
{
    virDomainObj *obj;
    int ret = -1;

    virCheckFlags(0, -1);
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    /* libvirt's test driver: nothing to interrupt, but only when running */
    if (testDomainObjCheckActive(obj) == 0)
        ret = 0;
    virDomainObjEndAPI(&obj);
    return ret;
}

int
testDomainMemoryPeek(virDomainPtr dom, unsigned long long start, size_t size,
                     void *buffer, unsigned int flags)
{
    virDomainObj *obj;
    unsigned char b = (unsigned char)start;

    virCheckFlags(VIR_MEMORY_VIRTUAL | VIR_MEMORY_PHYSICAL, -1);
    if (flags != VIR_MEMORY_VIRTUAL && flags != VIR_MEMORY_PHYSICAL) {
        virReportError(
            VIR_ERR_INVALID_ARG, "%s",
            "flags parameter must be VIR_MEMORY_VIRTUAL or VIR_MEMORY_PHYSICAL");
        return -1;
    }
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (testDomainObjCheckActive(obj) < 0) {
        virDomainObjEndAPI(&obj);
        return -1;
    }
    /* libvirt's test driver: no memory, the bytes count up from @start */
    for (size_t i = 0; i < size; i++)
        ((unsigned char *)buffer)[i] = b++;
    virDomainObjEndAPI(&obj);
    return 0;
}
