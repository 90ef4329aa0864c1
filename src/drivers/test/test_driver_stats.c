/* test_driver_stats.c: the test driver's statistics of running guests and of the host, with libvirt 9.0's values */

/*
 * Threads: as test_driver.c; each entry point takes one object lock (or
 * the list's read lock), never driver->lock.
 *
 * The figures are libvirt 9.0's test driver's, so that clients written
 * against it see the same: counters derived from the wall clock (they
 * grow between calls), memory figures derived from the current balloon,
 * fixed host CPU figures.
 */

#define G_LOG_DOMAIN "virtkit.test.stats"

#include <stdio.h>
#include <string.h>

#include "driver.h"
#include "test_driver_priv.h"
#include "virerror.h"
#include "virtypedparamlist.h"

#define VIR_FROM_THIS VIR_FROM_TEST

/* libvirt's test driver keeps the guest clock of virDomainGetTime here;
 * the memory statistics report it as their last update. */
#define TEST_GUEST_TIME_SECONDS 627319920ULL
/* libvirt's testDomainGetDomainTotalCpuStats. */
#define TEST_TOTAL_CPUTIME 48772617035ULL

int
testDomainMemoryStats(virDomainPtr dom, virDomainMemoryStatPtr stats,
                      unsigned int nr_stats, unsigned int flags)
{
    virDomainObj *obj;
    unsigned long long cur;
    unsigned int n = 0;
    int ret = -1;

    virCheckFlags(0, -1);
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (testDomainObjCheckActive(obj) < 0)
        goto cleanup;

    cur = obj->def->currentMemory;
    /* libvirt's order (the QEMU driver's: balloon, guest statistics, RSS) */
#define STAT(t, v)              \
    do {                        \
        if (n < nr_stats) {     \
            stats[n].tag = (t); \
            stats[n].val = (v); \
            n++;                \
        }                       \
    } while (0)
    STAT(VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON, cur);
    STAT(VIR_DOMAIN_MEMORY_STAT_SWAP_IN, 0);
    STAT(VIR_DOMAIN_MEMORY_STAT_SWAP_OUT, 0);
    STAT(VIR_DOMAIN_MEMORY_STAT_MAJOR_FAULT, 0);
    STAT(VIR_DOMAIN_MEMORY_STAT_MINOR_FAULT, 0);
    STAT(VIR_DOMAIN_MEMORY_STAT_UNUSED, cur / 2);
    STAT(VIR_DOMAIN_MEMORY_STAT_AVAILABLE, cur);
    STAT(VIR_DOMAIN_MEMORY_STAT_USABLE, cur / 2);
    STAT(VIR_DOMAIN_MEMORY_STAT_LAST_UPDATE, TEST_GUEST_TIME_SECONDS);
    STAT(VIR_DOMAIN_MEMORY_STAT_DISK_CACHES, cur / 8);
    STAT(VIR_DOMAIN_MEMORY_STAT_HUGETLB_PGALLOC, 0);
    STAT(VIR_DOMAIN_MEMORY_STAT_HUGETLB_PGFAIL, 0);
    STAT(VIR_DOMAIN_MEMORY_STAT_RSS, cur / 2);
#undef STAT
    ret = (int)n;

cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

int
testDomainSetMemoryStatsPeriod(virDomainPtr dom, int period, unsigned int flags)
{
    virDomainObj *obj;
    const virDomainDef *def;
    virDomainDef *live = NULL;
    virDomainDef *persistent = NULL;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (!(def = testDomainObjGetOneDef(obj, flags)))
        goto cleanup;
    /* libvirt's test driver adds no balloon of its own: a definition
     * without one has none */
    if (!def->memballoon || def->memballoon->model == VIR_DOMAIN_MEMBALLOON_MODEL_NONE) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "No memory balloon device configured, can not set the "
                       "collection period");
        goto cleanup;
    }
    /* <memballoon><stats period/> of the definition picked, a running
     * persistent domain's next-boot copy made first (nothing else in the
     * test driver reads it) */
    if (testDomainObjGetDefs(obj, flags, &live, &persistent) < 0)
        goto cleanup;
    (live ? live : persistent)->memballoon->period = period;
    ret = 0;

cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

/* libvirt's virDomainDiskIndexByName: a target name or a source path. */
static const virDomainDiskDef *
testDiskByName(const virDomainDef *def, const char *name)
{
    for (size_t i = 0; i < def->ndisks; i++) {
        const virDomainDiskDef *disk = def->disks[i];

        if (g_strcmp0(disk->dst, name) == 0 ||
            (disk->src && g_str_equal(disk->src, name)))
            return disk;
    }
    return NULL;
}

int
testDomainBlockStats(virDomainPtr dom, const char *path, virDomainBlockStatsPtr stats)
{
    virDomainObj *obj;
    long long statbase;
    int ret = -1;

    if (!*path) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "summary statistics are not supported yet");
        return -1;
    }
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (testDomainObjCheckActive(obj) < 0)
        goto cleanup;
    if (!testDiskByName(obj->def, path)) {
        virReportError(VIR_ERR_INVALID_ARG, "invalid path: %s", path);
        goto cleanup;
    }
    /* libvirt's: no meaning, just growing numbers */
    statbase = g_get_real_time();
    stats->rd_req = statbase / 10;
    stats->rd_bytes = statbase / 20;
    stats->wr_req = statbase / 30;
    stats->wr_bytes = statbase / 40;
    stats->errs = statbase / (1000LL * 1000LL * 2);
    ret = 0;

cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

/* libvirt's virDomainNetFind: by MAC address when @device parses as one,
 * else by host device name; INVALID_ARG (DOMAIN) when none matches. */
static const virDomainNetDef *
testNetFind(const virDomainDef *def, const char *device)
{
    unsigned int m[6];
    char extra;
    bool isMac = sscanf(device, "%2x:%2x:%2x:%2x:%2x:%2x%c", &m[0], &m[1], &m[2], &m[3],
                        &m[4], &m[5], &extra) == 6;

    for (size_t i = 0; i < def->nnets; i++) {
        const virDomainNetDef *net = def->nets[i];

        if (isMac) {
            bool same = true;

            for (int j = 0; j < 6; j++)
                same = same && net->mac[j] == m[j];
            if (same)
                return net;
        } else if (g_strcmp0(net->ifname, device) == 0) {
            return net;
        }
    }
    virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_INVALID_ARG, __func__,
                       "'%s' is not a known interface", device);
    return NULL;
}

int
testDomainInterfaceStats(virDomainPtr dom, const char *device,
                         virDomainInterfaceStatsPtr stats)
{
    virDomainObj *obj;
    long long statbase;
    int ret = -1;

    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (testDomainObjCheckActive(obj) < 0)
        goto cleanup;
    if (!testNetFind(obj->def, device))
        goto cleanup;
    statbase = g_get_real_time();
    stats->rx_bytes = statbase / 10;
    stats->rx_packets = statbase / 100;
    stats->rx_errs = statbase / (1000LL * 1000LL * 1);
    stats->rx_drop = statbase / (1000LL * 1000LL * 2);
    stats->tx_bytes = statbase / 20;
    stats->tx_packets = statbase / 110;
    stats->tx_errs = statbase / (1000LL * 1000LL * 3);
    stats->tx_drop = statbase / (1000LL * 1000LL * 4);
    ret = 0;

cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

/* The host CPUs of the test node (libvirt's VIR_NODEINFO_MAXCPUS). */
int
testHostCpus(virConnectPtr conn)
{
    testDriver *driver = conn->privateData;
    const virNodeInfo *ni = &driver->nodeInfo;

    return (int)(ni->nodes * ni->sockets * ni->cores * ni->threads);
}

/* Every host CPU set in @map (@maplen bytes), the rest clear. */
static void
testFillAllCpus(unsigned char *map, int maplen, int hostcpus)
{
    memset(map, 0, maplen);
    for (int c = 0; c < hostcpus && c / 8 < maplen; c++)
        VIR_USE_CPU(map, c);
}

/* @map (@maplen bytes): the pin @list, or every host CPU when NULL
 * (libvirt's vcpu->cpumask, else all). Returns the last CPU set, -1 if none. */
int
testFillPin(unsigned char *map, int maplen, int hostcpus, const char *list)
{
    g_autofree unsigned char *pin = NULL;
    size_t pinlen = 0;
    int last = -1;

    memset(map, 0, maplen);
    if (list && (pin = virDomainCpulistParse(list, (size_t)maplen * 8, &pinlen))) {
        memcpy(map, pin, MIN((size_t)maplen, pinlen));
    } else {
        testFillAllCpus(map, maplen, hostcpus);
    }
    for (int c = 0; c < maplen * 8; c++) {
        if (VIR_CPU_USED(map, c))
            last = c;
    }
    return last;
}

int
testDomainGetVcpus(virDomainPtr dom, virVcpuInfoPtr info, int maxinfo,
                   unsigned char *cpumaps, int maplen)
{
    virDomainObj *obj;
    int hostcpus = testHostCpus(dom->conn);
    unsigned long long statbase;
    int ret = -1;

    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (!virDomainObjIsActive(obj)) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "cannot list vcpus for an inactive domain");
        goto cleanup;
    }
    statbase = g_get_real_time();
    if (maxinfo > (int)virDomainDefGetVcpus(obj->def))
        maxinfo = (int)virDomainDefGetVcpus(obj->def);
    memset(info, 0, sizeof(*info) * maxinfo);
    for (int i = 0; i < maxinfo; i++) {
        const char *pin = virDomainDefGetVcpuPin(obj->def, (size_t)i);
        unsigned char allmap[VIR_CPU_MAPLEN(1024)];
        int last = testFillPin(allmap, sizeof(allmap), hostcpus, pin);

        if (cpumaps)
            memcpy(VIR_GET_CPUMAP(cpumaps, maplen, i), allmap,
                   MIN((size_t)maplen, sizeof(allmap)));
        info[i].number = i;
        info[i].state = VIR_VCPU_RUNNING;
        info[i].cpu = last; /* the last CPU of the vCPU's mask, as libvirt */
        info[i].cpuTime = statbase / 10;
    }
    ret = maxinfo;

cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

int
testDomainGetVcpuPinInfo(virDomainPtr dom, int ncpumaps, unsigned char *cpumaps,
                         int maplen, unsigned int flags)
{
    virDomainObj *obj;
    const virDomainDef *def;
    int hostcpus = testHostCpus(dom->conn);
    int ret = -1;

    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (!(def = testDomainObjGetOneDef(obj, flags)))
        goto cleanup;
    for (int i = 0; i < (int)def->vcpus && i < ncpumaps; i++)
        testFillPin(VIR_GET_CPUMAP(cpumaps, maplen, i), maplen, hostcpus,
                    virDomainDefGetVcpuPin(def, (size_t)i));
    ret = (int)def->vcpus;

cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

static void
testSetULLong(virTypedParameterPtr p, const char *name, unsigned long long v)
{
    memset(p, 0, sizeof(*p));
    g_strlcpy(p->field, name, sizeof(p->field));
    p->type = VIR_TYPED_PARAM_ULLONG;
    p->value.ul = v;
}

int
testDomainGetCPUStats(virDomainPtr dom, virTypedParameterPtr params, unsigned int nparams,
                      int start_cpu, unsigned int ncpus, unsigned int flags)
{
    testDriver *driver = dom->conn->privateData;
    int total = (int)driver->nodeInfo.cores;
    virDomainObj *obj;
    int ret = -1;

    virCheckFlags(VIR_TYPED_PARAM_STRING_OKAY, -1);
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (testDomainObjCheckActive(obj) < 0)
        goto cleanup;

    if (start_cpu == -1) {
        /* the domain's totals */
        if (nparams == 0) {
            ret = 3;
            goto cleanup;
        }
        testSetULLong(&params[0], VIR_DOMAIN_CPU_STATS_CPUTIME, TEST_TOTAL_CPUTIME);
        if (nparams > 1)
            testSetULLong(&params[1], VIR_DOMAIN_CPU_STATS_USERTIME, 5540000000ULL);
        if (nparams > 2)
            testSetULLong(&params[2], VIR_DOMAIN_CPU_STATS_SYSTEMTIME, 6460000000ULL);
        ret = nparams > 3 ? 3 : (int)nparams;
    } else {
        unsigned long long percpu = TEST_TOTAL_CPUTIME / total;
        int need;

        if (nparams == 0 && ncpus != 0) {
            ret = 2;
            goto cleanup;
        }
        if (ncpus == 0) {
            ret = total;
            goto cleanup;
        }
        if (start_cpu >= total) {
            virReportError(VIR_ERR_INVALID_ARG, "start_cpu %d larger than maximum of %d",
                           start_cpu, total - 1);
            goto cleanup;
        }
        need = MIN(total, start_cpu + (int)ncpus);
        for (int i = start_cpu; i < need; i++)
            testSetULLong(&params[(i - start_cpu) * nparams],
                          VIR_DOMAIN_CPU_STATS_CPUTIME, percpu + i);
        ret = 1;
        if (nparams > 1) {
            for (int i = start_cpu; i < need; i++)
                testSetULLong(&params[(i - start_cpu) * nparams + 1],
                              VIR_DOMAIN_CPU_STATS_VCPUTIME, percpu + i - 1234567890);
            ret = 2;
        }
    }

cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

int
testDomainGetBlockInfo(virDomainPtr dom, const char *path, virDomainBlockInfoPtr info,
                       unsigned int flags)
{
    virDomainObj *obj;
    const virDomainDiskDef *disk;
    int ret = -1;

    virCheckFlags(0, -1);
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (!(disk = testDiskByName(obj->def, path))) {
        virReportError(VIR_ERR_INVALID_ARG, "invalid path %s not assigned to domain",
                       path);
        goto cleanup;
    }
    /* libvirt's virStorageSourceIsEmpty: a network source is a medium */
    if (!virDomainDiskHasMedia(disk) || (disk->src && !*disk->src)) {
        virReportError(VIR_ERR_INVALID_ARG,
                       "disk '%s' does not currently have a source assigned", path);
        goto cleanup;
    }
    /* libvirt's fixed figures */
    info->capacity = 1099506450432ULL;
    info->allocation = 1099511627776ULL;
    info->physical = 1099511627776ULL;
    ret = 0;

cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

int
testNodeGetCPUStats(virConnectPtr conn G_GNUC_UNUSED, int cpuNum G_GNUC_UNUSED,
                    virNodeCPUStatsPtr params, int *nparams, unsigned int flags)
{
    static const struct {
        const char *field;
        unsigned long long value;
    } fixed[] = {
        { VIR_NODE_CPU_STATS_USER, 9797400000ULL },
        { VIR_NODE_CPU_STATS_KERNEL, 34678723400000ULL },
        { VIR_NODE_CPU_STATS_IDLE, 87264900000ULL },
        { VIR_NODE_CPU_STATS_IOWAIT, 763600000ULL },
    };
    int i;

    virCheckFlags(0, -1);
    if (!params) {
        *nparams = G_N_ELEMENTS(fixed);
        return 0;
    }
    for (i = 0; i < *nparams && i < (int)G_N_ELEMENTS(fixed); i++) {
        memset(&params[i], 0, sizeof(params[i]));
        g_strlcpy(params[i].field, fixed[i].field, sizeof(params[i].field));
        params[i].value = fixed[i].value;
    }
    *nparams = i;
    return 0;
}

int
testNodeGetCPUMap(virConnectPtr conn G_GNUC_UNUSED, unsigned char **cpumap,
                  unsigned int *online, unsigned int flags)
{
    virCheckFlags(0, -1);
    /* libvirt's: 8 CPUs, 0, 2 and 4 online */
    if (cpumap) {
        *cpumap = g_new0(unsigned char, 1);
        (*cpumap)[0] = 0x15;
    }
    if (online)
        *online = 3;
    return 8;
}

#define TEST_STATS_SUPPORTED (VIR_DOMAIN_STATS_STATE | VIR_DOMAIN_STATS_IOTHREAD)
#define TEST_LIST_FILTERS                                                       \
    (VIR_CONNECT_LIST_DOMAINS_ACTIVE | VIR_CONNECT_LIST_DOMAINS_INACTIVE |      \
     VIR_CONNECT_LIST_DOMAINS_PERSISTENT | VIR_CONNECT_LIST_DOMAINS_TRANSIENT | \
     VIR_CONNECT_LIST_DOMAINS_RUNNING | VIR_CONNECT_LIST_DOMAINS_PAUSED |       \
     VIR_CONNECT_LIST_DOMAINS_SHUTOFF | VIR_CONNECT_LIST_DOMAINS_OTHER)

/* One record for @obj (locked): the groups libvirt's test driver has
 * (state; iothread: the polling values of a running guest's IOThreads
 * that have them, test_driver_tune.c). */
static virDomainStatsRecordPtr
testDomainStatsRecord(virConnectPtr conn, virDomainObj *obj, unsigned int stats)
{
    g_autoptr(virTypedParamList) list = virTypedParamListNew();
    virDomainStatsRecordPtr rec;
    int reason = 0;
    int state = virDomainObjGetState(obj, &reason);

    if (stats & VIR_DOMAIN_STATS_STATE) {
        virTypedParamListAddInt(list, state, "state.state");
        virTypedParamListAddInt(list, reason, "state.reason");
    }
    if ((stats & VIR_DOMAIN_STATS_IOTHREAD) && virDomainObjIsActive(obj)) {
        GArray *polls = testDomainObjGetPrivate(obj)->iothreads;

        if (polls->len)
            virTypedParamListAddUInt(list, polls->len, "iothread.count");
        for (guint i = 0; i < polls->len; i++) {
            const testIOThreadPoll *p = &g_array_index(polls, testIOThreadPoll, i);

            virTypedParamListAddULLong(list, p->pollMaxNs, "iothread.%u.poll-max-ns",
                                       p->id);
            virTypedParamListAddUInt(list, p->pollGrow, "iothread.%u.poll-grow", p->id);
            virTypedParamListAddUInt(list, p->pollShrink, "iothread.%u.poll-shrink",
                                     p->id);
        }
    }
    rec = g_new0(virDomainStatsRecord, 1);
    rec->dom = virGetDomain(conn, obj->def->name, obj->def->uuid, obj->def->id);
    virTypedParamListSteal(list, &rec->params, &rec->nparams);
    return rec;
}

int
testConnectGetAllDomainStats(virConnectPtr conn, virDomainPtr *doms, unsigned int ndoms,
                             unsigned int stats, virDomainStatsRecordPtr **retStats,
                             unsigned int flags)
{
    testDriver *driver = conn->privateData;
    unsigned int lflags = flags & TEST_LIST_FILTERS;
    virDomainPtr *all = NULL;
    GPtrArray *recs;
    int n;

    virCheckFlags(TEST_LIST_FILTERS | VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT |
                      VIR_CONNECT_GET_ALL_DOMAINS_STATS_BACKING |
                      VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS,
                  -1);
    if (!stats) {
        stats = TEST_STATS_SUPPORTED;
    } else if ((flags & VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS) &&
               (stats & ~TEST_STATS_SUPPORTED)) {
        virReportError(VIR_ERR_ARGUMENT_UNSUPPORTED,
                       "Stats types bits 0x%x are not supported by this daemon",
                       stats & ~TEST_STATS_SUPPORTED);
        return -1;
    }

    if (!doms) {
        if ((n = virDomainObjListExport(driver->domains, conn, &all, lflags)) < 0)
            return -1;
        doms = all;
        ndoms = (unsigned int)n;
    }
    recs = g_ptr_array_new();
    for (unsigned int i = 0; i < ndoms; i++) {
        virDomainObj *obj = virDomainObjListFindByUUID(driver->domains, doms[i]->uuid);

        if (!obj) /* gone meanwhile: libvirt skips it */
            continue;
        if (!lflags || virDomainObjMatchFilter(obj, lflags))
            g_ptr_array_add(recs, testDomainStatsRecord(conn, obj, stats));
        virDomainObjEndAPI(&obj);
    }
    if (all) {
        for (virDomainPtr *d = all; *d; d++)
            virObjectUnrefDomain(*d);
        g_free(all);
    }
    n = (int)recs->len;
    g_ptr_array_add(recs, NULL);
    *retStats = (virDomainStatsRecordPtr *)g_ptr_array_free(recs, FALSE);
    return n;
}
