/* remote_driver_stats.c: the remote driver's entry points for guest and host statistics */
#define G_LOG_DOMAIN "virtkit.remote"

#include <string.h>

#include "remote_driver_priv.h"
#include "remote_typedparam.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_REMOTE

/*
 * As libvirt 9.0's remote_driver.c: the limits of remote_protocol.x are
 * checked before sending (VIR_ERR_RPC with libvirt's texts), a reply
 * larger than what was asked for is refused, typed parameters go through
 * remote_typedparam (libvirt's two models: into the caller's array, or a
 * new one), and every reply is freed with its filter.
 */

int
remoteDomainMemoryStats(virDomainPtr dom, virDomainMemoryStatPtr stats,
                        unsigned int nr_stats, unsigned int flags)
{
    remote_domain_memory_stats_args args = { .maxStats = nr_stats, .flags = flags };
    remote_domain_memory_stats_ret ret = { 0 };
    unsigned int i;

    if (nr_stats > REMOTE_DOMAIN_MEMORY_STATS_MAX) {
        virReportError(VIR_ERR_RPC, "too many memory stats requested: %d > %d", nr_stats,
                       REMOTE_DOMAIN_MEMORY_STATS_MAX);
        return -1;
    }
    remoteMakeDomain(&args.dom, dom);
    if (remoteCallDomainMemoryStats(dom->conn, &args, &ret) < 0)
        return -1;
    for (i = 0; i < ret.stats_len && i < nr_stats; i++) {
        stats[i].tag = ret.stats_val[i].tag;
        stats[i].val = ret.stats_val[i].val;
    }
    virXdrFree(remote_domain_memory_stats_ret_filter, &ret);
    return (int)i;
}

int
remoteDomainBlockStats(virDomainPtr dom, const char *path, virDomainBlockStatsPtr stats)
{
    remote_domain_block_stats_args args = { .path = (char *)path };
    remote_domain_block_stats_ret ret = { 0 };

    remoteMakeDomain(&args.dom, dom);
    if (remoteCallDomainBlockStats(dom->conn, &args, &ret) < 0)
        return -1;
    stats->rd_req = ret.rd_req;
    stats->rd_bytes = ret.rd_bytes;
    stats->wr_req = ret.wr_req;
    stats->wr_bytes = ret.wr_bytes;
    stats->errs = ret.errs;
    return 0;
}

int
remoteDomainBlockStatsFlags(virDomainPtr dom, const char *path,
                            virTypedParameterPtr params, int *nparams, unsigned int flags)
{
    remote_domain_block_stats_flags_args args = {
        .path = (char *)path,
        .nparams = *nparams,
        .flags = flags,
    };
    remote_domain_block_stats_flags_ret ret = { 0 };
    int rc = 0;

    remoteMakeDomain(&args.dom, dom);
    if (remoteCallDomainBlockStatsFlags(dom->conn, &args, &ret) < 0)
        return -1;
    if (ret.params_len > (uint32_t)*nparams) {
        virReportError(
            VIR_ERR_RPC, "%s",
            "remoteDomainBlockStatsFlags: returned number of stats exceeds limit");
        rc = -1;
    } else if (*nparams == 0) {
        /* the caller asked how many there are */
        *nparams = ret.nparams;
    } else {
        rc = remoteTypedParamsDeserialize(ret.params_val, ret.params_len,
                                          REMOTE_DOMAIN_BLOCK_STATS_PARAMETERS_MAX,
                                          &params, nparams);
    }
    virXdrFree(remote_domain_block_stats_flags_ret_filter, &ret);
    return rc;
}

int
remoteDomainInterfaceStats(virDomainPtr dom, const char *device,
                           virDomainInterfaceStatsPtr stats)
{
    remote_domain_interface_stats_args args = { .device = (char *)device };
    remote_domain_interface_stats_ret ret = { 0 };

    remoteMakeDomain(&args.dom, dom);
    if (remoteCallDomainInterfaceStats(dom->conn, &args, &ret) < 0)
        return -1;
    stats->rx_bytes = ret.rx_bytes;
    stats->rx_packets = ret.rx_packets;
    stats->rx_errs = ret.rx_errs;
    stats->rx_drop = ret.rx_drop;
    stats->tx_bytes = ret.tx_bytes;
    stats->tx_packets = ret.tx_packets;
    stats->tx_errs = ret.tx_errs;
    stats->tx_drop = ret.tx_drop;
    return 0;
}

int
remoteDomainGetVcpus(virDomainPtr dom, virVcpuInfoPtr info, int maxinfo,
                     unsigned char *cpumaps, int maplen)
{
    remote_domain_get_vcpus_args args = { .maxinfo = maxinfo, .maplen = maplen };
    remote_domain_get_vcpus_ret ret = { 0 };
    int rc = -1;

    if (maxinfo > REMOTE_VCPUINFO_MAX) {
        virReportError(VIR_ERR_RPC, "vCPU count exceeds maximum: %d > %d", maxinfo,
                       REMOTE_VCPUINFO_MAX);
        return -1;
    }
    if ((long long)maxinfo * maplen > REMOTE_CPUMAPS_MAX) {
        virReportError(VIR_ERR_RPC, "vCPU map buffer length exceeds maximum: %d > %d",
                       maxinfo * maplen, REMOTE_CPUMAPS_MAX);
        return -1;
    }
    remoteMakeDomain(&args.dom, dom);
    if (remoteCallDomainGetVcpus(dom->conn, &args, &ret) < 0)
        return -1;
    if (ret.info_len > (uint32_t)maxinfo) {
        virReportError(VIR_ERR_RPC, "host reports too many vCPUs: %d > %d", ret.info_len,
                       maxinfo);
        goto cleanup;
    }
    if (ret.cpumaps_len > (uint32_t)(maxinfo * maplen)) {
        virReportError(VIR_ERR_RPC,
                       "host reports map buffer length exceeds maximum: %d > %d",
                       ret.cpumaps_len, maxinfo * maplen);
        goto cleanup;
    }
    memset(info, 0, sizeof(*info) * maxinfo);
    if (cpumaps) {
        memset(cpumaps, 0, (size_t)maxinfo * maplen);
        memcpy(cpumaps, ret.cpumaps_val, ret.cpumaps_len);
    }
    for (uint32_t i = 0; i < ret.info_len; i++) {
        info[i].number = ret.info_val[i].number;
        info[i].state = ret.info_val[i].state;
        info[i].cpuTime = ret.info_val[i].cpu_time;
        info[i].cpu = ret.info_val[i].cpu;
    }
    rc = (int)ret.info_len;

cleanup:
    virXdrFree(remote_domain_get_vcpus_ret_filter, &ret);
    return rc;
}

int
remoteDomainGetVcpuPinInfo(virDomainPtr dom, int ncpumaps, unsigned char *cpumaps,
                           int maplen, unsigned int flags)
{
    remote_domain_get_vcpu_pin_info_args args = {
        .ncpumaps = ncpumaps,
        .maplen = maplen,
        .flags = flags,
    };
    remote_domain_get_vcpu_pin_info_ret ret = { 0 };
    int rc = -1;

    if (ncpumaps > REMOTE_VCPUINFO_MAX) {
        virReportError(VIR_ERR_RPC, "vCPU count exceeds maximum: %d > %d", ncpumaps,
                       REMOTE_VCPUINFO_MAX);
        return -1;
    }
    if ((long long)ncpumaps * maplen > REMOTE_CPUMAPS_MAX) {
        virReportError(VIR_ERR_RPC, "vCPU map buffer length exceeds maximum: %d > %d",
                       ncpumaps * maplen, REMOTE_CPUMAPS_MAX);
        return -1;
    }
    remoteMakeDomain(&args.dom, dom);
    if (remoteCallDomainGetVcpuPinInfo(dom->conn, &args, &ret) < 0)
        return -1;
    if (ret.num > ncpumaps) {
        virReportError(VIR_ERR_RPC, "host reports too many vCPUs: %d > %d", ret.num,
                       ncpumaps);
        goto cleanup;
    }
    if (ret.cpumaps_len > (uint32_t)(ncpumaps * maplen)) {
        virReportError(VIR_ERR_RPC,
                       "host reports map buffer length exceeds maximum: %d > %d",
                       ret.cpumaps_len, ncpumaps * maplen);
        goto cleanup;
    }
    memset(cpumaps, 0, (size_t)ncpumaps * maplen);
    memcpy(cpumaps, ret.cpumaps_val, ret.cpumaps_len);
    rc = ret.num;

cleanup:
    virXdrFree(remote_domain_get_vcpu_pin_info_ret_filter, &ret);
    return rc;
}

int
remoteDomainGetCPUStats(virDomainPtr dom, virTypedParameterPtr params,
                        unsigned int nparams, int start_cpu, unsigned int ncpus,
                        unsigned int flags)
{
    remote_domain_get_cpu_stats_args args = {
        .nparams = nparams,
        .start_cpu = start_cpu,
        .ncpus = ncpus,
        .flags = flags,
    };
    remote_domain_get_cpu_stats_ret ret = { 0 };
    int rc = -1;

    if (nparams > REMOTE_NODE_CPU_STATS_MAX) {
        virReportError(VIR_ERR_RPC, "nparams count exceeds maximum: %u > %u", nparams,
                       REMOTE_NODE_CPU_STATS_MAX);
        return -1;
    }
    if (ncpus > REMOTE_DOMAIN_GET_CPU_STATS_NCPUS_MAX) {
        virReportError(VIR_ERR_RPC, "cpu count exceeds maximum: %u > %u", ncpus,
                       REMOTE_DOMAIN_GET_CPU_STATS_NCPUS_MAX);
        return -1;
    }
    remoteMakeDomain(&args.dom, dom);
    if (remoteCallDomainGetCPUStats(dom->conn, &args, &ret) < 0)
        return -1;
    if (ret.params_len > nparams * ncpus ||
        (ret.params_len && (ret.nparams <= 0 || ret.params_len % ret.nparams))) {
        virReportError(VIR_ERR_RPC, "%s",
                       "remoteDomainGetCPUStats: returned number of stats exceeds limit");
        memset(params, 0, sizeof(*params) * nparams * ncpus);
        goto cleanup;
    }
    if (nparams == 0) {
        /* the caller asked for a count */
        rc = ret.nparams;
        goto cleanup;
    }
    /* The daemon leaves out empty entries; put each CPU's back at its
     * stride (@nparams per CPU) */
    memset(params, 0, sizeof(*params) * nparams * ncpus);
    for (uint32_t cpu = 0; ret.params_len && cpu < ret.params_len / ret.nparams; cpu++) {
        virTypedParameterPtr cpuParams = &params[cpu * nparams];
        int tmp = (int)nparams;

        if (remoteTypedParamsDeserialize(&ret.params_val[cpu * ret.nparams], ret.nparams,
                                         REMOTE_NODE_CPU_STATS_MAX, &cpuParams,
                                         &tmp) < 0) {
            for (uint32_t j = 0; j < nparams * ncpus; j++) {
                if (params[j].type == VIR_TYPED_PARAM_STRING)
                    g_free(params[j].value.s);
            }
            memset(params, 0, sizeof(*params) * nparams * ncpus);
            goto cleanup;
        }
    }
    rc = ret.nparams;

cleanup:
    virXdrFree(remote_domain_get_cpu_stats_ret_filter, &ret);
    return rc;
}

int
remoteDomainGetBlockInfo(virDomainPtr dom, const char *path, virDomainBlockInfoPtr info,
                         unsigned int flags)
{
    remote_domain_get_block_info_args args = { .path = (char *)path, .flags = flags };
    remote_domain_get_block_info_ret ret = { 0 };

    remoteMakeDomain(&args.dom, dom);
    if (remoteCallDomainGetBlockInfo(dom->conn, &args, &ret) < 0)
        return -1;
    info->allocation = ret.allocation;
    info->capacity = ret.capacity;
    info->physical = ret.physical;
    return 0;
}

int
remoteDomainGetJobInfo(virDomainPtr dom, virDomainJobInfoPtr info)
{
    remote_domain_get_job_info_args args;
    remote_domain_get_job_info_ret ret = { 0 };

    remoteMakeDomain(&args.dom, dom);
    if (remoteCallDomainGetJobInfo(dom->conn, &args, &ret) < 0)
        return -1;
    info->type = ret.type;
    info->timeElapsed = ret.timeElapsed;
    info->timeRemaining = ret.timeRemaining;
    info->dataTotal = ret.dataTotal;
    info->dataProcessed = ret.dataProcessed;
    info->dataRemaining = ret.dataRemaining;
    info->memTotal = ret.memTotal;
    info->memProcessed = ret.memProcessed;
    info->memRemaining = ret.memRemaining;
    info->fileTotal = ret.fileTotal;
    info->fileProcessed = ret.fileProcessed;
    info->fileRemaining = ret.fileRemaining;
    return 0;
}

int
remoteDomainGetJobStats(virDomainPtr dom, int *type, virTypedParameterPtr *params,
                        int *nparams, unsigned int flags)
{
    remote_domain_get_job_stats_args args = { .flags = flags };
    remote_domain_get_job_stats_ret ret = { 0 };
    virTypedParameterPtr par = NULL;
    int npar = 0;
    int rc;

    remoteMakeDomain(&args.dom, dom);
    if (remoteCallDomainGetJobStats(dom->conn, &args, &ret) < 0)
        return -1;
    rc = remoteTypedParamsDeserialize(ret.params_val, ret.params_len,
                                      REMOTE_DOMAIN_JOB_STATS_MAX, &par, &npar);
    if (rc == 0) {
        *type = ret.type;
        *params = par;
        *nparams = npar;
    }
    virXdrFree(remote_domain_get_job_stats_ret_filter, &ret);
    return rc;
}

int
remoteNodeGetCPUStats(virConnectPtr conn, int cpuNum, virNodeCPUStatsPtr params,
                      int *nparams, unsigned int flags)
{
    remote_node_get_cpu_stats_args args = {
        .cpuNum = cpuNum,
        .nparams = *nparams,
        .flags = flags,
    };
    remote_node_get_cpu_stats_ret ret = { 0 };
    int rc = 0;

    if (*nparams > REMOTE_NODE_CPU_STATS_MAX) {
        virReportError(VIR_ERR_RPC, "%s", "too many CPU stats");
        return -1;
    }
    if (remoteCallNodeGetCPUStats(conn, &args, &ret) < 0)
        return -1;
    if (ret.params_len > (uint32_t)*nparams) {
        virReportError(VIR_ERR_RPC, "%s",
                       "remoteNodeGetCPUStats: returned number of stats exceeds limit");
        rc = -1;
    } else if (*nparams == 0) {
        *nparams = ret.nparams;
    } else {
        for (uint32_t i = 0; i < ret.params_len; i++) {
            memset(&params[i], 0, sizeof(params[i]));
            if (g_strlcpy(params[i].field, ret.params_val[i].field,
                          sizeof(params[i].field)) >= sizeof(params[i].field)) {
                virReportError(VIR_ERR_INTERNAL_ERROR, "Stats %s too big for destination",
                               ret.params_val[i].field);
                rc = -1;
                break;
            }
            params[i].value = ret.params_val[i].value;
        }
        if (rc == 0)
            *nparams = (int)ret.params_len;
    }
    virXdrFree(remote_node_get_cpu_stats_ret_filter, &ret);
    return rc;
}

int
remoteNodeGetMemoryStats(virConnectPtr conn, int cellNum, virNodeMemoryStatsPtr params,
                         int *nparams, unsigned int flags)
{
    remote_node_get_memory_stats_args args = {
        .cellNum = cellNum,
        .nparams = *nparams,
        .flags = flags,
    };
    remote_node_get_memory_stats_ret ret = { 0 };
    int rc = 0;

    if (*nparams > REMOTE_NODE_MEMORY_STATS_MAX) {
        virReportError(VIR_ERR_RPC, "%s", "too many memory stats");
        return -1;
    }
    if (remoteCallNodeGetMemoryStats(conn, &args, &ret) < 0)
        return -1;
    if (ret.params_len > (uint32_t)*nparams) {
        virReportError(
            VIR_ERR_RPC, "%s",
            "remoteNodeGetMemoryStats: returned number of stats exceeds limit");
        rc = -1;
    } else if (*nparams == 0) {
        *nparams = ret.nparams;
    } else {
        for (uint32_t i = 0; i < ret.params_len; i++) {
            memset(&params[i], 0, sizeof(params[i]));
            if (g_strlcpy(params[i].field, ret.params_val[i].field,
                          sizeof(params[i].field)) >= sizeof(params[i].field)) {
                virReportError(VIR_ERR_INTERNAL_ERROR, "Stats %s too big for destination",
                               ret.params_val[i].field);
                rc = -1;
                break;
            }
            params[i].value = ret.params_val[i].value;
        }
        if (rc == 0)
            *nparams = (int)ret.params_len;
    }
    virXdrFree(remote_node_get_memory_stats_ret_filter, &ret);
    return rc;
}

int
remoteNodeGetCPUMap(virConnectPtr conn, unsigned char **cpumap, unsigned int *online,
                    unsigned int flags)
{
    remote_node_get_cpu_map_args args = {
        .need_map = !!cpumap,
        .need_online = !!online,
        .flags = flags,
    };
    remote_node_get_cpu_map_ret ret = { 0 };
    int rc = -1;

    if (remoteCallNodeGetCPUMap(conn, &args, &ret) < 0)
        return -1;
    if (ret.ret < 0)
        goto cleanup;
    if (cpumap) {
        *cpumap = g_new0(unsigned char, MAX(ret.cpumap_len, 1));
        memcpy(*cpumap, ret.cpumap_val, ret.cpumap_len);
    }
    if (online)
        *online = ret.online;
    rc = ret.ret;

cleanup:
    virXdrFree(remote_node_get_cpu_map_ret_filter, &ret);
    return rc;
}

/* The reply of CONNECT_GET_ALL_DOMAIN_STATS (remote_connect_get_all_domain_stats_ret
 * on the wire) decoded straight into the records the caller gets: no
 * remote_typed_param arrays, no copy of each field name (the client's
 * profile of a 20-guest reply was malloc/free of those and the copy). */
typedef struct {
    virConnectPtr conn;
    virDomainStatsRecordPtr *recs; /* @nrecs, NULL-terminated */
    uint32_t nrecs;
    char *tooBig; /* the first field too long for a virTypedParameter */
} remoteStatsReply;

static void
remoteStatsReplyClear(remoteStatsReply *r)
{
    if (r->recs) {
        for (uint32_t i = 0; i < r->nrecs && r->recs[i]; i++) {
            if (r->recs[i]->dom)
                virObjectUnrefDomain(r->recs[i]->dom);
            remoteTypedParamsFree(r->recs[i]->params, r->recs[i]->nparams);
            g_free(r->recs[i]);
        }
        g_clear_pointer(&r->recs, g_free);
    }
    r->nrecs = 0;
    g_clear_pointer(&r->tooBig, g_free);
}

/* An XDR filter (decode and free only) checking the wire as the generated
 * remote_connect_get_all_domain_stats_ret_filter does, with its texts. */
static bool
remoteStatsReplyFilter(virXdr *xdr, void *obj)
{
    remoteStatsReply *r = obj;
    uint32_t n;

    if (xdr->op == VIR_XDR_FREE) {
        remoteStatsReplyClear(r);
        return true;
    }
    if (xdr->op != VIR_XDR_DECODE)
        return virXdrSetError(xdr, "encoding not supported");
    if (!virXdrUInt(xdr, &n))
        return false;
    if (n > REMOTE_DOMAIN_LIST_MAX)
        return virXdrSetError(xdr, "array too long");
    /* a record takes 28 bytes at least (empty name, UUID, id, no params) */
    if ((size_t)n * 28 > virXdrRemaining(xdr))
        return virXdrSetError(xdr, "truncated payload");
    r->recs = g_new0(virDomainStatsRecordPtr, (size_t)n + 1);
    r->nrecs = n;
    for (uint32_t i = 0; i < n; i++) {
        remote_nonnull_domain d = { 0 };
        virDomainStatsRecordPtr rec;
        bool ok = remote_nonnull_domain_filter(xdr, &d);

        if (ok) {
            rec = r->recs[i] = g_new0(virDomainStatsRecord, 1);
            rec->dom = remoteGetDomain(r->conn, &d);
        }
        virXdrFree(remote_nonnull_domain_filter, &d);
        if (!ok || !remoteTypedParamsDecode(xdr, REMOTE_CONNECT_GET_ALL_DOMAIN_STATS_MAX,
                                            &rec->params, &rec->nparams, &r->tooBig))
            return false;
    }
    return true;
}

int
remoteConnectGetAllDomainStats(virConnectPtr conn, virDomainPtr *doms, unsigned int ndoms,
                               unsigned int stats, virDomainStatsRecordPtr **retStats,
                               unsigned int flags)
{
    remote_connect_get_all_domain_stats_args args = { .stats = stats, .flags = flags };
    remoteStatsReply reply = { .conn = conn };
    int rc = -1;

    if (ndoms > REMOTE_DOMAIN_LIST_MAX) {
        virReportError(VIR_ERR_RPC, "%s", "too many domains");
        return -1;
    }
    if (ndoms) {
        args.doms_len = ndoms;
        args.doms_val = g_new0(remote_nonnull_domain, ndoms);
        for (uint32_t i = 0; i < ndoms; i++)
            remoteMakeDomain(&args.doms_val[i], doms[i]);
    }
    if (remoteCallProgram(conn, REMOTE_PROGRAM, REMOTE_PROC_CONNECT_GET_ALL_DOMAIN_STATS,
                          remote_connect_get_all_domain_stats_args_filter, &args,
                          remoteStatsReplyFilter, &reply) < 0)
        goto cleanup;
    if (reply.tooBig) {
        /* remoteTypedParamsDeserialize's error, raised by the same reply */
        virReportErrorFull(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR, __func__,
                           "parameter %s too big for destination", reply.tooBig);
        goto cleanup;
    }
    *retStats = g_steal_pointer(&reply.recs);
    rc = (int)reply.nrecs;

cleanup:
    remoteStatsReplyClear(&reply);
    g_free(args.doms_val);
    return rc;
}

/* SetMemory and SetMaxMemory reach the driver as SetMemoryFlags (driver.h):
 * one procedure on the wire, 204, which libvirtd serves for both. */
int
remoteDomainSetMemoryFlags(virDomainPtr dom, unsigned long memory, unsigned int flags)
{
    remote_domain_set_memory_flags_args args = { .memory = memory, .flags = flags };

    remoteMakeDomain(&args.dom, dom);
    return remoteCallDomainSetMemoryFlags(dom->conn, &args);
}
