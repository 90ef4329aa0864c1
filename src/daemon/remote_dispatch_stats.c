/* remote_dispatch_stats.c: guest and host statistics procedures (20, 64, 65, 159, 163, 194, 227, 228, 230, 243, 262, 293, 298, 344)
 *
 * Thread protocol: see remote_dispatch.c; every handler runs on a worker
 * with its own reference to the client's connection and may block in the
 * driver (QMP) for as long as the call takes.
 */
#define G_LOG_DOMAIN "virtkitd.dispatch"

#include <string.h>

#include "remote_dispatch_priv.h"
#include "remote_typedparam.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_RPC

/*
 * As libvirtd 9.0's daemon/remote.c: sizes the client asks for are bounded
 * by remote_protocol.x's limits first (VIR_ERR_INTERNAL_ERROR with
 * libvirtd's texts), the public API does the rest; typed parameters are
 * sent with strings only when the client's flags allow them
 * (VIR_TYPED_PARAM_STRING_OKAY), except the domain statistics records,
 * which always may carry strings.
 */

VKD_HANDLER(vkdDispatchDomainMemoryStats)
{
    remote_domain_memory_stats_args *a = args;
    remote_domain_memory_stats_ret *r = ret;
    g_autoptr(virDomain) dom = NULL;
    g_autofree virDomainMemoryStatStruct *stats = NULL;
    int n;

    if (a->maxStats > REMOTE_DOMAIN_MEMORY_STATS_MAX) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "maxStats > REMOTE_DOMAIN_MEMORY_STATS_MAX");
        return -1;
    }
    dom = vkdDomainFromWire(call->conn, &a->dom);
    stats = g_new0(virDomainMemoryStatStruct, MAX(a->maxStats, 1));
    if ((n = virDomainMemoryStats(dom, stats, a->maxStats, a->flags)) < 0)
        return -1;
    r->stats_len = n;
    r->stats_val = g_new0(remote_domain_memory_stat, MAX(n, 1));
    for (int i = 0; i < n; i++) {
        r->stats_val[i].tag = stats[i].tag;
        r->stats_val[i].val = stats[i].val;
    }
    return 0;
}

VKD_HANDLER(vkdDispatchDomainBlockStats)
{
    remote_domain_block_stats_args *a = args;
    remote_domain_block_stats_ret *r = ret;
    g_autoptr(virDomain) dom = vkdDomainFromWire(call->conn, &a->dom);
    virDomainBlockStatsStruct st;

    if (virDomainBlockStats(dom, a->path, &st, sizeof(st)) < 0)
        return -1;
    r->rd_req = st.rd_req;
    r->rd_bytes = st.rd_bytes;
    r->wr_req = st.wr_req;
    r->wr_bytes = st.wr_bytes;
    r->errs = st.errs;
    return 0;
}

VKD_HANDLER(vkdDispatchDomainBlockStatsFlags)
{
    remote_domain_block_stats_flags_args *a = args;
    remote_domain_block_stats_flags_ret *r = ret;
    g_autoptr(virDomain) dom = NULL;
    virTypedParameterPtr params = NULL;
    int nparams = a->nparams;
    int rc;

    if (a->nparams > REMOTE_DOMAIN_BLOCK_STATS_PARAMETERS_MAX) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "nparams too large");
        return -1;
    }
    dom = vkdDomainFromWire(call->conn, &a->dom);
    if (nparams > 0)
        params = g_new0(virTypedParameter, nparams);
    if (virDomainBlockStatsFlags(dom, a->path, params, &nparams, a->flags) < 0) {
        g_free(params);
        return -1;
    }
    if (a->nparams == 0) {
        /* the client asked how many there are */
        r->nparams = nparams;
        return 0;
    }
    rc = remoteTypedParamsSerialize(params, nparams,
                                    REMOTE_DOMAIN_BLOCK_STATS_PARAMETERS_MAX,
                                    &r->params_val, &r->params_len, a->flags);
    remoteTypedParamsFree(params, nparams);
    r->nparams = nparams;
    return rc;
}

VKD_HANDLER(vkdDispatchDomainInterfaceStats)
{
    remote_domain_interface_stats_args *a = args;
    remote_domain_interface_stats_ret *r = ret;
    g_autoptr(virDomain) dom = vkdDomainFromWire(call->conn, &a->dom);
    virDomainInterfaceStatsStruct st;

    if (virDomainInterfaceStats(dom, a->device, &st, sizeof(st)) < 0)
        return -1;
    r->rx_bytes = st.rx_bytes;
    r->rx_packets = st.rx_packets;
    r->rx_errs = st.rx_errs;
    r->rx_drop = st.rx_drop;
    r->tx_bytes = st.tx_bytes;
    r->tx_packets = st.tx_packets;
    r->tx_errs = st.tx_errs;
    r->tx_drop = st.tx_drop;
    return 0;
}

VKD_HANDLER(vkdDispatchDomainGetVcpus)
{
    remote_domain_get_vcpus_args *a = args;
    remote_domain_get_vcpus_ret *r = ret;
    g_autoptr(virDomain) dom = NULL;
    g_autofree virVcpuInfo *info = NULL;
    g_autofree unsigned char *cpumaps = NULL;
    int n;

    if (a->maxinfo > REMOTE_VCPUINFO_MAX) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "maxinfo > REMOTE_VCPUINFO_MAX");
        return -1;
    }
    if (a->maxinfo < 0 || a->maplen < 0 ||
        (long long)a->maxinfo * a->maplen > REMOTE_CPUMAPS_MAX) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "maxinfo * maplen > REMOTE_CPUMAPS_MAX");
        return -1;
    }
    dom = vkdDomainFromWire(call->conn, &a->dom);
    info = g_new0(virVcpuInfo, MAX(a->maxinfo, 1));
    if (a->maplen > 0)
        cpumaps = g_new0(unsigned char, (size_t)a->maxinfo * a->maplen);
    if ((n = virDomainGetVcpus(dom, info, a->maxinfo, cpumaps, a->maplen)) < 0)
        return -1;
    r->info_len = n;
    r->info_val = g_new0(remote_vcpu_info, MAX(n, 1));
    for (int i = 0; i < n; i++) {
        r->info_val[i].number = info[i].number;
        r->info_val[i].state = info[i].state;
        r->info_val[i].cpu_time = info[i].cpuTime;
        r->info_val[i].cpu = info[i].cpu;
    }
    /* libvirtd sends the whole buffer the client sized */
    r->cpumaps_len = (uint32_t)a->maxinfo * a->maplen;
    r->cpumaps_val = g_steal_pointer(&cpumaps);
    return 0;
}

VKD_HANDLER(vkdDispatchDomainGetVcpuPinInfo)
{
    remote_domain_get_vcpu_pin_info_args *a = args;
    remote_domain_get_vcpu_pin_info_ret *r = ret;
    g_autoptr(virDomain) dom = NULL;
    g_autofree unsigned char *cpumaps = NULL;
    int n;

    if (a->ncpumaps > REMOTE_VCPUINFO_MAX) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "ncpumaps > REMOTE_VCPUINFO_MAX");
        return -1;
    }
    if (a->ncpumaps < 0 || a->maplen < 0 ||
        (long long)a->ncpumaps * a->maplen > REMOTE_CPUMAPS_MAX) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "maxinfo * maplen > REMOTE_CPUMAPS_MAX");
        return -1;
    }
    dom = vkdDomainFromWire(call->conn, &a->dom);
    cpumaps = g_new0(unsigned char, MAX((size_t)a->ncpumaps * a->maplen, 1));
    if ((n = virDomainGetVcpuPinInfo(dom, a->ncpumaps, cpumaps, a->maplen, a->flags)) < 0)
        return -1;
    r->num = n;
    r->cpumaps_len = (uint32_t)a->ncpumaps * a->maplen;
    r->cpumaps_val = g_steal_pointer(&cpumaps);
    return 0;
}

VKD_HANDLER(vkdDispatchDomainGetCPUStats)
{
    remote_domain_get_cpu_stats_args *a = args;
    remote_domain_get_cpu_stats_ret *r = ret;
    g_autoptr(virDomain) dom = NULL;
    virTypedParameterPtr params = NULL;
    size_t total = (size_t)a->nparams * a->ncpus;
    int n;
    int rc;

    if (a->nparams > REMOTE_NODE_CPU_STATS_MAX) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "nparams too large");
        return -1;
    }
    if (a->ncpus > REMOTE_DOMAIN_GET_CPU_STATS_NCPUS_MAX) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "ncpus too large");
        return -1;
    }
    dom = vkdDomainFromWire(call->conn, &a->dom);
    if (total > 0)
        params = g_new0(virTypedParameter, total);
    n = virDomainGetCPUStats(dom, params, a->nparams, a->start_cpu, a->ncpus, a->flags);
    if (n < 0) {
        remoteTypedParamsFree(params, (int)total);
        return -1;
    }
    r->nparams = n;
    if (a->nparams == 0 || a->ncpus == 0) {
        remoteTypedParamsFree(params, (int)total);
        return 0;
    }
    /* empty entries (type 0) are left out; the client puts the rest back */
    rc = remoteTypedParamsSerialize(params, (int)total, REMOTE_DOMAIN_GET_CPU_STATS_MAX,
                                    &r->params_val, &r->params_len, a->flags);
    remoteTypedParamsFree(params, (int)total);
    return rc;
}

VKD_HANDLER(vkdDispatchDomainGetBlockInfo)
{
    remote_domain_get_block_info_args *a = args;
    remote_domain_get_block_info_ret *r = ret;
    g_autoptr(virDomain) dom = vkdDomainFromWire(call->conn, &a->dom);
    virDomainBlockInfo info;

    if (virDomainGetBlockInfo(dom, a->path, &info, a->flags) < 0)
        return -1;
    r->allocation = info.allocation;
    r->capacity = info.capacity;
    r->physical = info.physical;
    return 0;
}

VKD_HANDLER(vkdDispatchDomainGetJobInfo)
{
    remote_domain_get_job_info_args *a = args;
    remote_domain_get_job_info_ret *r = ret;
    g_autoptr(virDomain) dom = vkdDomainFromWire(call->conn, &a->dom);
    virDomainJobInfo info;

    if (virDomainGetJobInfo(dom, &info) < 0)
        return -1;
    r->type = info.type;
    r->timeElapsed = info.timeElapsed;
    r->timeRemaining = info.timeRemaining;
    r->dataTotal = info.dataTotal;
    r->dataProcessed = info.dataProcessed;
    r->dataRemaining = info.dataRemaining;
    r->memTotal = info.memTotal;
    r->memProcessed = info.memProcessed;
    r->memRemaining = info.memRemaining;
    r->fileTotal = info.fileTotal;
    r->fileProcessed = info.fileProcessed;
    r->fileRemaining = info.fileRemaining;
    return 0;
}

VKD_HANDLER(vkdDispatchDomainGetJobStats)
{
    remote_domain_get_job_stats_args *a = args;
    remote_domain_get_job_stats_ret *r = ret;
    g_autoptr(virDomain) dom = vkdDomainFromWire(call->conn, &a->dom);
    virTypedParameterPtr params = NULL;
    int nparams = 0;
    int type = 0;
    int rc;

    if (virDomainGetJobStats(dom, &type, &params, &nparams, a->flags) < 0)
        return -1;
    rc = remoteTypedParamsSerialize(params, nparams, REMOTE_DOMAIN_JOB_STATS_MAX,
                                    &r->params_val, &r->params_len,
                                    VIR_TYPED_PARAM_STRING_OKAY);
    remoteTypedParamsFree(params, nparams);
    r->type = type;
    return rc;
}

VKD_HANDLER(vkdDispatchNodeGetCPUStats)
{
    remote_node_get_cpu_stats_args *a = args;
    remote_node_get_cpu_stats_ret *r = ret;
    g_autofree virNodeCPUStats *params = NULL;
    int nparams = a->nparams;

    if (a->nparams < 0 || a->nparams > REMOTE_NODE_CPU_STATS_MAX) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "nparams too large");
        return -1;
    }
    if (nparams > 0)
        params = g_new0(virNodeCPUStats, nparams);
    if (virNodeGetCPUStats(call->conn, a->cpuNum, params, &nparams, a->flags) < 0)
        return -1;
    r->nparams = nparams;
    if (a->nparams == 0)
        return 0;
    r->params_len = nparams;
    r->params_val = g_new0(remote_node_get_cpu_stats, MAX(nparams, 1));
    for (int i = 0; i < nparams; i++) {
        r->params_val[i].field = g_strdup(params[i].field);
        r->params_val[i].value = params[i].value;
    }
    return 0;
}

VKD_HANDLER(vkdDispatchNodeGetMemoryStats)
{
    remote_node_get_memory_stats_args *a = args;
    remote_node_get_memory_stats_ret *r = ret;
    g_autofree virNodeMemoryStats *params = NULL;
    int nparams = a->nparams;

    if (a->nparams < 0 || a->nparams > REMOTE_NODE_MEMORY_STATS_MAX) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "nparams too large");
        return -1;
    }
    if (nparams > 0)
        params = g_new0(virNodeMemoryStats, nparams);
    if (virNodeGetMemoryStats(call->conn, a->cellNum, params, &nparams, a->flags) < 0)
        return -1;
    r->nparams = nparams;
    if (a->nparams == 0)
        return 0;
    r->params_len = nparams;
    r->params_val = g_new0(remote_node_get_memory_stats, MAX(nparams, 1));
    for (int i = 0; i < nparams; i++) {
        r->params_val[i].field = g_strdup(params[i].field);
        r->params_val[i].value = params[i].value;
    }
    return 0;
}

VKD_HANDLER(vkdDispatchNodeGetCPUMap)
{
    remote_node_get_cpu_map_args *a = args;
    remote_node_get_cpu_map_ret *r = ret;
    unsigned char *cpumap = NULL;
    unsigned int online = 0;
    int n;

    n = virNodeGetCPUMap(call->conn, a->need_map ? &cpumap : NULL,
                         a->need_online ? &online : NULL, a->flags);
    if (n < 0)
        return -1;
    if (a->need_map && cpumap) {
        r->cpumap_len = VIR_CPU_MAPLEN(n);
        r->cpumap_val = (guint8 *)cpumap;
    } else {
        g_free(cpumap);
    }
    if (a->need_online)
        r->online = online;
    r->ret = n;
    return 0;
}

/* The records of a GetAllDomainStats reply, encoded straight from the
 * driver's records (remote_connect_get_all_domain_stats_ret on the wire,
 * what remoteTypedParamsSerialize and the generated filter send): no
 * remote_typed_param arrays, no copy of each field name and string. */
typedef struct {
    virDomainStatsRecordPtr *recs;
    int n;
} vkdStatsReply;

static void
vkdStatsReplyFree(gpointer data)
{
    vkdStatsReply *r = data;

    if (r->recs)
        virDomainStatsRecordListFree(r->recs);
    g_free(r);
}

static bool
vkdStatsReplyEncode(virXdr *xdr, void *obj)
{
    vkdStatsReply *r = obj;
    uint32_t n = (uint32_t)r->n;

    if (xdr->op == VIR_XDR_FREE)
        return true; /* vkdStatsReplyFree */
    if (xdr->op != VIR_XDR_ENCODE)
        return virXdrSetError(xdr, "decoding not supported");
    if (!virXdrUInt(xdr, &n))
        return false;
    for (int i = 0; i < r->n; i++) {
        virDomainStatsRecordPtr rec = r->recs[i];
        char *name = (char *)virDomainGetName(rec->dom);
        unsigned char uuid[VIR_UUID_BUFLEN];
        int32_t id = (int32_t)virDomainGetID(rec->dom);
        uint32_t np = 0;

        virDomainGetUUID(rec->dom, uuid);
        if (!virXdrString(xdr, &name, REMOTE_STRING_MAX) ||
            !virXdrOpaqueFixed(xdr, uuid, VIR_UUID_BUFLEN) || !virXdrInt(xdr, &id))
            return false;
        /* entries of type 0 are dropped, as remoteTypedParamsSerialize */
        for (int j = 0; j < rec->nparams; j++)
            np += rec->params[j].type != 0;
        if (!virXdrUInt(xdr, &np))
            return false;
        for (int j = 0; j < rec->nparams; j++) {
            virTypedParameterPtr p = rec->params + j;
            /* a field unterminated within its 80 bytes is cut there */
            uint32_t flen = strnlen(p->field, VIR_TYPED_PARAM_FIELD_LENGTH);
            int32_t type = p->type;
            bool ok;

            if (!type)
                continue;
            if (!virXdrUInt(xdr, &flen) ||
                !virXdrOpaqueFixed(xdr, (guint8 *)p->field, flen) ||
                !virXdrInt(xdr, &type))
                return false;
            switch (p->type) {
            case VIR_TYPED_PARAM_INT:
                ok = virXdrInt(xdr, &p->value.i);
                break;
            case VIR_TYPED_PARAM_UINT:
                ok = virXdrUInt(xdr, &p->value.ui);
                break;
            case VIR_TYPED_PARAM_LLONG: {
                int64_t v = p->value.l;

                ok = virXdrHyper(xdr, &v);
                break;
            }
            case VIR_TYPED_PARAM_ULLONG: {
                uint64_t v = p->value.ul;

                ok = virXdrUHyper(xdr, &v);
                break;
            }
            case VIR_TYPED_PARAM_DOUBLE:
                ok = virXdrDouble(xdr, &p->value.d);
                break;
            case VIR_TYPED_PARAM_BOOLEAN: {
                int32_t v = p->value.b;

                ok = virXdrInt(xdr, &v);
                break;
            }
            case VIR_TYPED_PARAM_STRING: {
                char *str = p->value.s ? p->value.s : (char *)"";

                ok = virXdrString(xdr, &str, REMOTE_STRING_MAX);
                break;
            }
            default:
                ok = virXdrSetError(xdr, "unknown union discriminant");
            }
            if (!ok)
                return false;
        }
    }
    return true;
}

VKD_HANDLER(vkdDispatchConnectGetAllDomainStats)
{
    remote_connect_get_all_domain_stats_args *a = args;
    virDomainStatsRecordPtr *recs = NULL;
    virDomainPtr *doms = NULL;
    vkdStatsReply *reply;
    int n;
    int rc = -1;

    (void)ret; /* the reply is encoded from the records (vkdStatsReplyEncode) */
    if (a->doms_len) {
        doms = g_new0(virDomainPtr, a->doms_len + 1);
        for (uint32_t i = 0; i < a->doms_len; i++)
            doms[i] = vkdDomainFromWire(call->conn, &a->doms_val[i]);
        n = virDomainListGetStats(doms, a->stats, &recs, a->flags);
    } else {
        n = virConnectGetAllDomainStats(call->conn, a->stats, &recs, a->flags);
    }
    if (n < 0)
        goto cleanup;
    if (n > REMOTE_DOMAIN_LIST_MAX) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "Number of domains '%d' exceeds the limit '%d'", n,
                       REMOTE_DOMAIN_LIST_MAX);
        goto cleanup;
    }
    /* remoteTypedParamsSerialize's refusals, before anything is sent */
    for (int i = 0; i < n; i++) {
        if (recs[i]->nparams > REMOTE_CONNECT_GET_ALL_DOMAIN_STATS_MAX) {
            virReportErrorFull(VIR_FROM_NONE, VIR_ERR_RPC, __func__,
                               "too many parameters '%d' for limit '%d'",
                               recs[i]->nparams, REMOTE_CONNECT_GET_ALL_DOMAIN_STATS_MAX);
            goto cleanup;
        }
        for (int j = 0; j < recs[i]->nparams; j++) {
            int type = recs[i]->params[j].type;

            if (type < 0 || type > VIR_TYPED_PARAM_STRING) {
                virReportErrorFull(VIR_FROM_NONE, VIR_ERR_RPC, __func__,
                                   "unknown parameter type: %d", type);
                goto cleanup;
            }
        }
    }
    reply = g_new0(vkdStatsReply, 1);
    reply->recs = g_steal_pointer(&recs);
    reply->n = n;
    call->replyFilter = vkdStatsReplyEncode;
    call->replyObj = reply;
    call->afterData = reply;
    call->afterFree = vkdStatsReplyFree;
    rc = 0;

cleanup:
    if (recs)
        virDomainStatsRecordListFree(recs);
    if (doms) {
        for (uint32_t i = 0; i < a->doms_len; i++)
            virObjectUnrefDomain(doms[i]);
        g_free(doms);
    }
    return rc;
}
