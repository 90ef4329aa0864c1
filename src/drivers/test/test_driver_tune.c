/* test_driver_tune.c: the test driver's resource tuning (memtune, blkiotune, numatune, pins, IOThreads) and perf events, as libvirt 9.0's */

/*
 * Threads: every entry point holds the domain object's lock for its whole
 * run (the test driver never waits on anything).
 * Semantics are libvirt 9.0's test driver: values live in the definition
 * the flags select (virDomainObjGetOneDef), nothing is enforced.
 */

#define G_LOG_DOMAIN "virtkit.test.tune"

#include <string.h>

#include "domain_iotune.h"
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

/* ---- IOThreads ------------------------------------------------------------- */

/*
 * libvirt 9.0's test driver: the definition the flags select holds the
 * IOThreads and their pins; the polling values live beside it
 * (testDomainObjPrivate.iothreads) and only exist for IOThreads of a node
 * file's domains and those added since.
 */

#define TEST_IOTHREAD_POLL_MAX_NS 32768

void
testDomainIOThreadsGenerate(virDomainObj *obj)
{
    testDomainObjPrivate *priv = testDomainObjGetPrivate(obj);

    for (size_t i = 0; i < obj->def->niothreads; i++) {
        testIOThreadPoll p = { .id = obj->def->iothreads[i]->id,
                               .pollMaxNs = TEST_IOTHREAD_POLL_MAX_NS };

        g_array_append_val(priv->iothreads, p);
    }
}

int
testDomainGetIOThreadInfo(virDomainPtr dom, virDomainIOThreadInfoPtr **info,
                          unsigned int flags)
{
    virDomainObj *obj;
    const virDomainDef *def;
    virDomainIOThreadInfoPtr *list = NULL;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (!(def = testDomainObjGetOneDef(obj, flags)))
        goto cleanup;
    if (def->niothreads) {
        /* without a pin: as many CPUs as the guest has vCPUs */
        g_autofree char *all = g_strdup_printf("0-%u", virDomainDefGetVcpus(def) - 1);

        list = g_new0(virDomainIOThreadInfoPtr, def->niothreads);
        for (size_t i = 0; i < def->niothreads; i++) {
            list[i] = g_new0(virDomainIOThreadInfo, 1);
            list[i]->iothread_id = def->iothreads[i]->id;
            list[i]->cpumap =
                virDomainIOThreadCpumap(def, def->iothreads[i], all, &list[i]->cpumaplen);
        }
    }
    *info = list;
    ret = (int)def->niothreads;

cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

int
testDomainPinIOThread(virDomainPtr dom, unsigned int iothread_id, unsigned char *cpumap,
                      int maplen, unsigned int flags)
{
    virDomainObj *obj;
    virDomainDef *def;
    virDomainIOThreadDef *t;
    g_autofree char *list = NULL;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (!(def = testTuneOneDef(obj, flags)))
        goto cleanup;
    list = virDomainCpulistFormat(cpumap, (size_t)maplen);
    if (!*list) {
        virReportError(VIR_ERR_INVALID_ARG, "%s",
                       "Empty iothread cpumap list for pinning");
        goto cleanup;
    }
    if (!(t = virDomainIOThreadFind(def, iothread_id))) {
        virReportError(VIR_ERR_INVALID_ARG, "iothreadid %d not found", (int)iothread_id);
        goto cleanup;
    }
    g_free(t->cpuset);
    t->cpuset = g_steal_pointer(&list);
    t->autofill = false;
    ret = 0;

cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

static bool
testIOThreadIdValid(unsigned int iothread_id)
{
    if (iothread_id == 0) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "invalid value of 0 for iothread_id");
        return false;
    }
    return true;
}

int
testDomainAddIOThread(virDomainPtr dom, unsigned int iothread_id, unsigned int flags)
{
    virDomainObj *obj;
    virDomainDef *def;
    testIOThreadPoll p = { .id = iothread_id, .pollMaxNs = TEST_IOTHREAD_POLL_MAX_NS };
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if (!testIOThreadIdValid(iothread_id) || !(obj = testDomObjFromDomain(dom)))
        return -1;
    if (!(def = testTuneOneDef(obj, flags)) ||
        virDomainIOThreadAddCheck(def, iothread_id) < 0)
        goto cleanup;
    virDomainIOThreadAdd(def, iothread_id);
    /* libvirt's: a polling entry whatever the flags chose */
    g_array_append_val(testDomainObjGetPrivate(obj)->iothreads, p);
    ret = 0;

cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

int
testDomainDelIOThread(virDomainPtr dom, unsigned int iothread_id, unsigned int flags)
{
    virDomainObj *obj;
    virDomainDef *def;
    GArray *polls;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if (!testIOThreadIdValid(iothread_id) || !(obj = testDomObjFromDomain(dom)))
        return -1;
    if (!(def = testTuneOneDef(obj, flags)) ||
        virDomainIOThreadDelCheck(def, iothread_id) < 0)
        goto cleanup;
    virDomainIOThreadDel(def, iothread_id);
    polls = testDomainObjGetPrivate(obj)->iothreads;
    for (guint i = 0; i < polls->len; i++) {
        if (g_array_index(polls, testIOThreadPoll, i).id == iothread_id) {
            g_array_remove_index(polls, i);
            break;
        }
    }
    ret = 0;

cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

static const char *const testIOThreadParamNames[] = {
    VIR_DOMAIN_IOTHREAD_POLL_MAX_NS,
    VIR_DOMAIN_IOTHREAD_POLL_GROW,
    VIR_DOMAIN_IOTHREAD_POLL_SHRINK,
    NULL,
};
static const int testIOThreadParamTypes[] = {
    VIR_TYPED_PARAM_ULLONG,
    VIR_TYPED_PARAM_UINT,
    VIR_TYPED_PARAM_UINT,
};

int
testDomainSetIOThreadParams(virDomainPtr dom, unsigned int iothread_id,
                            virTypedParameterPtr params, int nparams, unsigned int flags)
{
    virDomainObj *obj;
    const virDomainDef *def;
    GArray *polls;
    int ret = -1;

    /* libvirt's test driver takes live changes only */
    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE, -1);
    if (!testIOThreadIdValid(iothread_id) || !(obj = testDomObjFromDomain(dom)))
        return -1;
    if (!(def = testDomainObjGetOneDef(obj, flags)))
        goto cleanup;
    if (!virDomainIOThreadFind(def, iothread_id)) {
        virReportError(VIR_ERR_INVALID_ARG, "cannot find IOThread '%u' in iothreadids",
                       iothread_id);
        goto cleanup;
    }
    polls = testDomainObjGetPrivate(obj)->iothreads;
    /* An IOThread without a polling entry (one of a domain defined after
     * the open) fails with no error set, as libvirt's does */
    for (guint i = 0; i < polls->len; i++) {
        testIOThreadPoll *p = &g_array_index(polls, testIOThreadPoll, i);

        if (p->id != iothread_id)
            continue;
        if (virTypedParamsCheck(params, nparams, testIOThreadParamNames,
                                testIOThreadParamTypes) < 0)
            goto cleanup;
        for (int k = 0; k < nparams; k++) {
            if (strcmp(params[k].field, VIR_DOMAIN_IOTHREAD_POLL_MAX_NS) == 0)
                p->pollMaxNs = params[k].value.ul;
            else if (strcmp(params[k].field, VIR_DOMAIN_IOTHREAD_POLL_GROW) == 0)
                p->pollGrow = params[k].value.ui;
            else
                p->pollShrink = params[k].value.ui;
        }
        ret = 0;
        break;
    }

cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

/* ---- a disk's I/O throttling (blkdeviotune) --------------------------------------- */

/* libvirt's virDomainDiskByName: a target name or a source path. */
static virDomainDiskDef *
testIoTuneDisk(virDomainDef *def, const char *name)
{
    for (size_t i = 0; name && i < def->ndisks; i++) {
        virDomainDiskDef *disk = def->disks[i];

        if (g_strcmp0(disk->dst, name) == 0 || g_strcmp0(disk->src, name) == 0)
            return disk;
    }
    return NULL;
}

/* libvirt's test driver: the call's values land on the disk's current ones
 * in the definition the flags select (no families, no groups, no event);
 * a total with read/write is refused, and so is a limit above its burst,
 * which an unset burst (0) always is ("total_bytes_sec cannot be set
 * higher than total_bytes_sec_max ", its text to the trailing blank). */
int
testDomainSetBlockIoTune(virDomainPtr dom, const char *path, virTypedParameterPtr params,
                         int nparams, unsigned int flags)
{
    virDomainObj *obj;
    virDomainDef *def;
    virDomainDiskDef *disk;
    virDomainBlockIoTuneInfo info = { 0 };
    unsigned int set = 0;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if (virTypedParamsCheck(params, nparams, virDomainBlockIoTuneParamNames,
                            virDomainBlockIoTuneParamTypes) < 0)
        return -1;
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (!(def = testTuneOneDef(obj, flags)))
        goto cleanup;
    if (!(disk = testIoTuneDisk(def, path))) {
        virReportError(VIR_ERR_INVALID_ARG,
                       "missing persistent configuration for disk '%s'", path);
        goto cleanup;
    }
    virDomainBlockIoTuneCopy(&disk->iotune, &info);
    if (virDomainBlockIoTuneFromParams(params, nparams, VIR_FROM_TEST, &info, &set) < 0 ||
        virDomainBlockIoTuneCheckTotals(&info, VIR_FROM_TEST) < 0)
        goto cleanup;
    for (size_t i = 0; i < VIR_DOMAIN_IOTUNE_BASE_LAST; i++) {
        if (info.base[i] > info.max[i]) {
            virReportError(VIR_ERR_INVALID_ARG, "%s cannot be set higher than %s_max ",
                           virDomainIoTuneNames[i], virDomainIoTuneNames[i]);
            goto cleanup;
        }
    }
    virDomainBlockIoTuneCopy(&info, &disk->iotune);
    ret = 0;

cleanup:
    virDomainBlockIoTuneClear(&info);
    virDomainObjEndAPI(&obj);
    return ret;
}

int
testDomainGetBlockIoTune(virDomainPtr dom, const char *path, virTypedParameterPtr params,
                         int *nparams, unsigned int flags)
{
    virDomainObj *obj;
    virDomainDef *def;
    virDomainDiskDef *disk;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG |
                      VIR_TYPED_PARAM_STRING_OKAY,
                  -1);
    /* the count is known before the domain is looked for */
    if (*nparams == 0) {
        *nparams = VIR_DOMAIN_BLOCK_IOTUNE_NPARAMS;
        return 0;
    }
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (!(def =
              (virDomainDef *)testTuneGetDef(obj, flags & ~VIR_TYPED_PARAM_STRING_OKAY)))
        goto cleanup;
    if (!(disk = testIoTuneDisk(def, path))) {
        virReportError(VIR_ERR_INVALID_ARG,
                       "disk '%s' was not found in the domain config", path ? path : "");
        goto cleanup;
    }
    *nparams = virDomainBlockIoTuneToParams(&disk->iotune, params, *nparams);
    ret = 0;

cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

/* ---- perf events -------------------------------------------------------------- */

/* As libvirt 9.0's test driver: the events are only recorded in the
 * definition the flags select (no counter is opened); Get lists every
 * event, enabled when the definition says yes. */
int
testDomainSetPerfEvents(virDomainPtr dom, virTypedParameterPtr params, int nparams,
                        unsigned int flags)
{
    const char *names[VIR_PERF_EVENT_LAST + 1];
    int types[VIR_PERF_EVENT_LAST];
    virDomainObj *obj;
    virDomainDef *def;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    for (int i = 0; i < VIR_PERF_EVENT_LAST; i++) {
        names[i] = virPerfEventTypeToString(i);
        types[i] = VIR_TYPED_PARAM_BOOLEAN;
    }
    names[VIR_PERF_EVENT_LAST] = NULL;
    if (virTypedParamsCheck(params, nparams, names, types) < 0)
        return -1;
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (!(def = testTuneOneDef(obj, flags)))
        goto cleanup;
    for (int i = 0; i < nparams; i++)
        def->perfEvents[virPerfEventTypeFromString(params[i].field)] =
            params[i].value.b ? VIR_DOMAIN_TRISTATE_ON : VIR_DOMAIN_TRISTATE_OFF;
    ret = 0;

cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

int
testDomainGetPerfEvents(virDomainPtr dom, virTypedParameterPtr *params, int *nparams,
                        unsigned int flags)
{
    g_autoptr(virTypedParamList) list = NULL;
    virDomainObj *obj;
    const virDomainDef *def;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG |
                      VIR_TYPED_PARAM_STRING_OKAY,
                  -1);
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (!(def = testTuneGetDef(obj, flags)))
        goto cleanup;
    list = virTypedParamListNew();
    for (int i = 0; i < VIR_PERF_EVENT_LAST; i++)
        virTypedParamListAddBoolean(list, def->perfEvents[i] == VIR_DOMAIN_TRISTATE_ON,
                                    "%s", virPerfEventTypeToString(i));
    virTypedParamListSteal(list, params, nparams);
    ret = 0;

cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}
