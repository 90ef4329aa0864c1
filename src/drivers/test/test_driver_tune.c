/* test_driver_tune.c: the test driver's resource tuning (memtune, blkiotune, numatune, pins), as libvirt 9.0's */

/*
 * Threads: every entry point holds the domain object's lock for its whole
 * run (the test driver never waits on anything).
 * Semantics are libvirt 9.0's test driver: values live in the definition
 * the flags select (virDomainObjGetOneDef), nothing is enforced.
 */

#define G_LOG_DOMAIN "virtkit.test.tune"

#include <string.h>

#include "domain_tune.h"
#include "driver.h"
#include "netdev_bandwidth_conf.h"
#include "test_driver_priv.h"
#include "virerror.h"
#include "virtypedparamlist.h"

#define VIR_FROM_THIS VIR_FROM_TEST

/* The definition @flags select, writable. As test_driver_change.c does: a
 * running persistent domain gets its next-boot copy first (libvirt's has
 * had it since it started), so a LIVE change never shows in the config.
 * testDomainObjGetOneDef lends a const pointer to the object's own def. */
static virDomainDef *
testTuneOneDef(virDomainObj *obj, unsigned int flags)
{
    const virDomainDef *def;

    if ((flags & VIR_DOMAIN_AFFECT_LIVE) && (flags & VIR_DOMAIN_AFFECT_CONFIG)) {
        /* libvirt's virReportInvalidArg: the text without a prefix */
        virSetErrorRaw(
            VIR_FROM_DOMAIN, VIR_ERR_INVALID_ARG, VIR_ERR_ERROR,
            "Flags 'VIR_DOMAIN_AFFECT_LIVE' and 'VIR_DOMAIN_AFFECT_CONFIG' are "
            "mutually exclusive",
            __func__, "flags", NULL, 0, 0);
        return NULL;
    }
    if (!(def = testDomainObjGetOneDef(obj, flags)))
        return NULL;
    if (virDomainObjIsActive(obj) && obj->persistent && !obj->newDef) {
        bool live = def == obj->def && (flags & VIR_DOMAIN_AFFECT_CONFIG) == 0;

        obj->newDef = virDomainDefCopy(obj->def);
        testDomainObjGetPrivate(obj)->hasNextDef = true;
        if (!live)
            return obj->newDef;
    }
    return (virDomainDef *)def;
}

/* The same for reading: no copy is made. */
static const virDomainDef *
testTuneGetDef(virDomainObj *obj, unsigned int flags)
{
    if ((flags & VIR_DOMAIN_AFFECT_LIVE) && (flags & VIR_DOMAIN_AFFECT_CONFIG)) {
        virSetErrorRaw(
            VIR_FROM_DOMAIN, VIR_ERR_INVALID_ARG, VIR_ERR_ERROR,
            "Flags 'VIR_DOMAIN_AFFECT_LIVE' and 'VIR_DOMAIN_AFFECT_CONFIG' are "
            "mutually exclusive",
            __func__, "flags", NULL, 0, 0);
        return NULL;
    }
    return testDomainObjGetOneDef(obj, flags);
}

/* ---- memtune ---------------------------------------------------------------- */

int
testDomainSetMemoryParameters(virDomainPtr dom, virTypedParameterPtr params, int nparams,
                              unsigned int flags)
{
    static const char *const names[] = { VIR_DOMAIN_MEMORY_HARD_LIMIT,
                                         VIR_DOMAIN_MEMORY_SOFT_LIMIT,
                                         VIR_DOMAIN_MEMORY_SWAP_HARD_LIMIT, NULL };
    static const int types[] = { VIR_TYPED_PARAM_ULLONG, VIR_TYPED_PARAM_ULLONG,
                                 VIR_TYPED_PARAM_ULLONG };
    virDomainObj *obj;
    virDomainDef *def;
    unsigned long long hard = 0, soft = 0, swap = 0;
    bool setHard = false, setSoft = false, setSwap = false;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if (virTypedParamsCheck(params, nparams, names, types) < 0)
        return -1;
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (!(def = testTuneOneDef(obj, flags)))
        goto cleanup;
    for (int i = 0; i < nparams; i++) {
        if (strcmp(params[i].field, VIR_DOMAIN_MEMORY_HARD_LIMIT) == 0) {
            hard = params[i].value.ul;
            setHard = true;
        } else if (strcmp(params[i].field, VIR_DOMAIN_MEMORY_SOFT_LIMIT) == 0) {
            soft = params[i].value.ul;
            setSoft = true;
        } else {
            swap = params[i].value.ul;
            setSwap = true;
        }
    }
    if (setHard || setSwap) {
        /* libvirt compares with the live definition's limits */
        unsigned long long memLimit = setHard ? hard : obj->def->mem.hardLimit;
        unsigned long long swapLimit = setSwap ? swap : obj->def->mem.swapHardLimit;

        if (memLimit > swapLimit) {
            virReportError(
                VIR_ERR_INVALID_ARG, "%s",
                "memory hard_limit tunable value must be lower than or equal to "
                "swap_hard_limit");
            goto cleanup;
        }
    }
    if (setSoft)
        def->mem.softLimit = soft;
    if (setHard)
        def->mem.hardLimit = hard;
    if (setSwap)
        def->mem.swapHardLimit = swap;
    ret = 0;

cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

int
testDomainGetMemoryParameters(virDomainPtr dom, virTypedParameterPtr params, int *nparams,
                              unsigned int flags)
{
    virDomainObj *obj;
    const virDomainDef *def;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG |
                      VIR_TYPED_PARAM_STRING_OKAY,
                  -1);
    if (*nparams == 0) {
        *nparams = 3;
        return 0;
    }
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (!(def = testTuneGetDef(obj, flags & ~VIR_TYPED_PARAM_STRING_OKAY)))
        goto cleanup;
    {
        const char *names[] = { VIR_DOMAIN_MEMORY_HARD_LIMIT,
                                VIR_DOMAIN_MEMORY_SOFT_LIMIT,
                                VIR_DOMAIN_MEMORY_SWAP_HARD_LIMIT };
        unsigned long long vals[] = { def->mem.hardLimit, def->mem.softLimit,
                                      def->mem.swapHardLimit };

        for (int i = 0; i < 3 && i < *nparams; i++)
            virTypedParameterSet(&params[i], names[i], VIR_TYPED_PARAM_ULLONG, vals[i],
                                 NULL);
    }
    if (*nparams > 3)
        *nparams = 3;
    ret = 0;

cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

/* ---- blkiotune -------------------------------------------------------------- */

int
testDomainSetBlkioParameters(virDomainPtr dom, virTypedParameterPtr params, int nparams,
                             unsigned int flags)
{
    virDomainObj *obj;
    virDomainDef *def;
    virDomainBlkioDeviceDef *parsed[VIR_DOMAIN_BLKIO_NPARAMS] = { NULL };
    size_t nparsed[VIR_DOMAIN_BLKIO_NPARAMS] = { 0 };
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if (virTypedParamsCheck(params, nparams, virDomainBlkioParamNames,
                            virDomainBlkioParamTypes) < 0)
        return -1;
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (!(def = testTuneOneDef(obj, flags)))
        goto cleanup;
    /* every string parsed before anything changes */
    for (int i = 0; i < nparams; i++) {
        if (virDomainBlkioParamParse(&params[i], parsed, nparsed) < 0)
            goto cleanup;
    }
    for (int i = 0; i < nparams; i++) {
        if (strcmp(params[i].field, VIR_DOMAIN_BLKIO_WEIGHT) == 0)
            def->blkio.weight = params[i].value.ui;
    }
    for (size_t k = 1; k < VIR_DOMAIN_BLKIO_NPARAMS; k++)
        virDomainBlkioDevicesMerge(&def->blkio, parsed[k], nparsed[k],
                                   virDomainBlkioParamNames[k]);
    ret = 0;

cleanup:
    for (size_t k = 0; k < VIR_DOMAIN_BLKIO_NPARAMS; k++)
        virDomainBlkioDevicesFree(parsed[k], nparsed[k]);
    virDomainObjEndAPI(&obj);
    return ret;
}

int
testDomainGetBlkioParameters(virDomainPtr dom, virTypedParameterPtr params, int *nparams,
                             unsigned int flags)
{
    virDomainObj *obj;
    const virDomainDef *def;
    int maxparams = 6;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG |
                      VIR_TYPED_PARAM_STRING_OKAY,
                  -1);
    if (*nparams == 0) {
        *nparams = 6;
        return 0;
    }
    if (*nparams < maxparams)
        maxparams = *nparams;
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (!(def = testTuneGetDef(obj, flags & ~VIR_TYPED_PARAM_STRING_OKAY)))
        goto cleanup;
    *nparams =
        virDomainBlkioParamsFormat(&def->blkio, def->blkio.weight, params, maxparams);
    ret = 0;

cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

/* ---- numatune ---------------------------------------------------------------- */

int
testDomainSetNumaParameters(virDomainPtr dom, virTypedParameterPtr params, int nparams,
                            unsigned int flags)
{
    static const char *const names[] = { VIR_DOMAIN_NUMA_MODE, VIR_DOMAIN_NUMA_NODESET,
                                         NULL };
    static const int types[] = { VIR_TYPED_PARAM_INT, VIR_TYPED_PARAM_STRING };
    virDomainObj *obj;
    virDomainDef *def;
    g_autofree char *nodeset = NULL;
    int mode = -1;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if (virTypedParamsCheck(params, nparams, names, types) < 0)
        return -1;
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (!(def = testTuneOneDef(obj, flags)))
        goto cleanup;
    if (virDomainNumatuneCheckParams(params, nparams, &mode, &nodeset) < 0)
        goto cleanup;
    if (def == obj->def && virDomainObjIsActive(obj) && mode != -1 && def->numatune.set &&
        def->numatune.mode != mode) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "can't change numatune mode for running domain");
        goto cleanup;
    }
    if (virDomainNumatuneApply(def, mode, nodeset) < 0)
        goto cleanup;
    ret = 0;

cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

int
testDomainGetNumaParameters(virDomainPtr dom, virTypedParameterPtr params, int *nparams,
                            unsigned int flags)
{
    virDomainObj *obj;
    const virDomainDef *def;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG |
                      VIR_TYPED_PARAM_STRING_OKAY,
                  -1);
    if (*nparams == 0) {
        *nparams = 2;
        return 0;
    }
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (!(def = testTuneGetDef(obj, flags & ~VIR_TYPED_PARAM_STRING_OKAY)))
        goto cleanup;
    virTypedParameterSet(&params[0], VIR_DOMAIN_NUMA_MODE, VIR_TYPED_PARAM_INT,
                         (unsigned long long)def->numatune.mode, NULL);
    if (*nparams > 1)
        virTypedParameterSet(&params[1], VIR_DOMAIN_NUMA_NODESET, VIR_TYPED_PARAM_STRING,
                             0, def->numatune.nodeset);
    if (*nparams > 2)
        *nparams = 2;
    ret = 0;

cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

/* ---- pins -------------------------------------------------------------------- */

int
testDomainPinVcpuFlags(virDomainPtr dom, unsigned int vcpu, unsigned char *cpumap,
                       int maplen, unsigned int flags)
{
    virDomainObj *obj;
    g_autofree char *list = NULL;
    int ret = -1;

    virCheckFlags(0, -1);
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (!virDomainObjIsActive(obj)) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "cannot pin vcpus on an inactive domain");
        goto cleanup;
    }
    if (vcpu >= obj->def->vcpus) {
        virReportError(VIR_ERR_INVALID_ARG,
                       "requested vcpu '%d' is not present in the domain", (int)vcpu);
        goto cleanup;
    }
    /* libvirt's test driver keeps the map as given, even an empty one */
    list = virDomainCpulistFormat(cpumap, (size_t)maplen);
    testTuneOneDef(obj, VIR_DOMAIN_AFFECT_LIVE); /* the next-boot copy first */
    virDomainDefSetVcpuPin(obj->def, vcpu, list);
    ret = 0;

cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

int
testDomainPinVcpu(virDomainPtr dom, unsigned int vcpu, unsigned char *cpumap, int maplen)
{
    return testDomainPinVcpuFlags(dom, vcpu, cpumap, maplen, 0);
}

int
testDomainPinEmulator(virDomainPtr dom, unsigned char *cpumap, int maplen,
                      unsigned int flags)
{
    virDomainObj *obj;
    virDomainDef *def;
    g_autofree char *list = NULL;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (!(def = testTuneOneDef(obj, flags)))
        goto cleanup;
    list = virDomainCpulistFormat(cpumap, (size_t)maplen);
    if (!*list) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "Empty cpu list for pinning");
        goto cleanup;
    }
    g_free(def->cputune.emulatorpin);
    def->cputune.emulatorpin = g_steal_pointer(&list);
    ret = 0;

cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

int
testDomainGetEmulatorPinInfo(virDomainPtr dom, unsigned char *cpumaps, int maplen,
                             unsigned int flags)
{
    virDomainObj *obj;
    const virDomainDef *def;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (!(def = testTuneGetDef(obj, flags)))
        goto cleanup;
    testFillPin(cpumaps, maplen, testHostCpus(dom->conn),
                virDomainDefGetEmulatorPin(def));
    ret = 1;

cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

/* ---- interface bandwidth (domiftune) -------------------------------------------- */

static const int bandwidthTypes[VIR_DOMAIN_BANDWIDTH_NPARAMS] = {
    VIR_TYPED_PARAM_UINT, VIR_TYPED_PARAM_UINT, VIR_TYPED_PARAM_UINT,
    VIR_TYPED_PARAM_UINT, VIR_TYPED_PARAM_UINT, VIR_TYPED_PARAM_UINT,
    VIR_TYPED_PARAM_UINT,
};

/* libvirt's test driver keeps the limits in the definition the flags
 * select and enforces nothing; every interface type takes them, and a
 * floor too. */
int
testDomainSetInterfaceParameters(virDomainPtr dom, const char *device,
                                 virTypedParameterPtr params, int nparams,
                                 unsigned int flags)
{
    virDomainObj *obj;
    virDomainDef *def;
    virDomainNetDef *net;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if (virTypedParamsCheck(params, nparams, virDomainBandwidthParamNames,
                            bandwidthTypes) < 0)
        return -1;
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (!(def = testTuneOneDef(obj, flags)) ||
        !(net = virDomainNetFindByDevice(def, device)))
        goto cleanup;
    {
        virNetDevBandwidth *bw =
            virDomainNetBandwidthUpdate(net->bandwidth, params, nparams);

        virNetDevBandwidthFree(net->bandwidth);
        net->bandwidth = bw;
    }
    ret = 0;

cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

int
testDomainGetInterfaceParameters(virDomainPtr dom, const char *device,
                                 virTypedParameterPtr params, int *nparams,
                                 unsigned int flags)
{
    virDomainObj *obj;
    const virDomainDef *def;
    const virDomainNetDef *net;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG |
                      VIR_TYPED_PARAM_STRING_OKAY,
                  -1);
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    /* the count is known before the interface is looked for */
    if (*nparams == 0) {
        *nparams = VIR_DOMAIN_BANDWIDTH_NPARAMS;
        ret = 0;
        goto cleanup;
    }
    if (!(def = testTuneGetDef(obj, flags & ~VIR_TYPED_PARAM_STRING_OKAY)) ||
        !(net = virDomainNetFindByDevice(def, device)))
        goto cleanup;
    *nparams = virDomainNetBandwidthToParams(net->bandwidth, params, *nparams);
    ret = 0;

cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}
