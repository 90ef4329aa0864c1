/* remote_dispatch_tune.c: resource-tuning procedures (memtune 197/198, blkiotune 205/206, blkdeviotune 252/253, numatune 254/255, domiftune 256/257, pins 26/225/279/280, IOThreads 351/352/402, perf events 365/366)
 *
 * Thread protocol: see remote_dispatch.c; every handler runs on a worker
 * with its own reference to the client's connection.
 */
#define G_LOG_DOMAIN "virtkitd.dispatch"

#include <stdlib.h>

#include "remote_dispatch_priv.h"
#include "remote_typedparam.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_RPC

/*
 * As libvirtd 9.0's daemon/remote.c: a Get allocates the client's
 * nparams (more than the procedure's maximum is VIR_ERR_INTERNAL_ERROR
 * "nparams too large"); nparams 0 asks for the count, sent back in the
 * reply's nparams (a device may then be absent); otherwise what the driver
 * filled is serialized, strings only when the client's flags say
 * VIR_TYPED_PARAM_STRING_OKAY. A Set turns the arguments back into
 * virTypedParameters and calls the public API.
 *
 * One pair of helpers serves the domain-wide calls (memtune, blkiotune,
 * numatune) and the per-device ones (blkdeviotune's disk, domiftune's
 * interface): a domain-wide call's public API is wrapped by VKD_TUNE_PAIR
 * into the per-device signature, its device NULL.
 */

typedef int (*vkdTuneGetFn)(virDomainPtr, const char *, virTypedParameterPtr, int *,
                            unsigned int);
typedef int (*vkdTuneSetFn)(virDomainPtr, const char *, virTypedParameterPtr, int,
                            unsigned int);

static int
vkdTuneGet(vkdCall *call, const remote_nonnull_domain *wire, const char *device,
           int nparams, unsigned int flags, int limit, vkdTuneGetFn fn,
           remote_typed_param **val, uint32_t *len, int *retNparams)
{
    g_autoptr(virDomain) dom = NULL;
    virTypedParameterPtr params = NULL;
    int asked = nparams;
    int rc;

    if (nparams > limit) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "nparams too large");
        return -1;
    }
    dom = vkdDomainFromWire(call->conn, wire);
    if (nparams > 0)
        params = g_new0(virTypedParameter, nparams);
    if (fn(dom, device, params, &nparams, flags) < 0) {
        g_free(params);
        return -1;
    }
    if (asked == 0) {
        *retNparams = nparams;
        return 0;
    }
    rc = remoteTypedParamsSerialize(params, nparams, limit, val, len, flags);
    remoteTypedParamsFree(params, nparams);
    return rc;
}

static int
vkdTuneSet(vkdCall *call, const remote_nonnull_domain *wire, const char *device,
           const remote_typed_param *val, uint32_t len, unsigned int flags, int limit,
           vkdTuneSetFn fn)
{
    g_autoptr(virDomain) dom = vkdDomainFromWire(call->conn, wire);
    virTypedParameterPtr params = NULL;
    int nparams = 0;
    int rc;

    if (remoteTypedParamsDeserialize(val, len, limit, &params, &nparams) < 0)
        return -1;
    rc = fn(dom, device, params, nparams, flags);
    remoteTypedParamsFree(params, nparams);
    return rc;
}

#define VKD_TUNE_PAIR(KIND, kind, Kind)                                                \
    static int vkdTuneGet##Kind(virDomainPtr dom, const char *device,                  \
                                virTypedParameterPtr params, int *nparams,             \
                                unsigned int flags)                                    \
    {                                                                                  \
        (void)device;                                                                  \
        return virDomainGet##Kind##Parameters(dom, params, nparams, flags);            \
    }                                                                                  \
    static int vkdTuneSet##Kind(virDomainPtr dom, const char *device,                  \
                                virTypedParameterPtr params, int nparams,              \
                                unsigned int flags)                                    \
    {                                                                                  \
        (void)device;                                                                  \
        return virDomainSet##Kind##Parameters(dom, params, nparams, flags);            \
    }                                                                                  \
    VKD_HANDLER(vkdDispatchDomainGet##Kind##Parameters)                                \
    {                                                                                  \
        remote_domain_get_##kind##_parameters_args *a = args;                          \
        remote_domain_get_##kind##_parameters_ret *r = ret;                            \
                                                                                       \
        return vkdTuneGet(call, &a->dom, NULL, a->nparams, a->flags,                   \
                          REMOTE_DOMAIN_##KIND##_PARAMETERS_MAX, vkdTuneGet##Kind,     \
                          &r->params_val, &r->params_len, &r->nparams);                \
    }                                                                                  \
    VKD_HANDLER(vkdDispatchDomainSet##Kind##Parameters)                                \
    {                                                                                  \
        remote_domain_set_##kind##_parameters_args *a = args;                          \
                                                                                       \
        (void)ret;                                                                     \
        return vkdTuneSet(call, &a->dom, NULL, a->params_val, a->params_len, a->flags, \
                          REMOTE_DOMAIN_##KIND##_PARAMETERS_MAX, vkdTuneSet##Kind);    \
    }

VKD_TUNE_PAIR(MEMORY, memory, Memory)
VKD_TUNE_PAIR(BLKIO, blkio, Blkio)
VKD_TUNE_PAIR(NUMA, numa, Numa)

/* blkdeviotune: the disk by target or source path (NULL asking the count) */
VKD_HANDLER(vkdDispatchDomainGetBlockIoTune)
{
    remote_domain_get_block_io_tune_args *a = args;
    remote_domain_get_block_io_tune_ret *r = ret;

    return vkdTuneGet(call, &a->dom, a->disk, a->nparams, a->flags,
                      REMOTE_DOMAIN_BLOCK_IO_TUNE_PARAMETERS_MAX, virDomainGetBlockIoTune,
                      &r->params_val, &r->params_len, &r->nparams);
}

VKD_HANDLER(vkdDispatchDomainSetBlockIoTune)
{
    remote_domain_set_block_io_tune_args *a = args;

    (void)ret;
    return vkdTuneSet(call, &a->dom, a->disk, a->params_val, a->params_len, a->flags,
                      REMOTE_DOMAIN_BLOCK_IO_TUNE_PARAMETERS_MAX,
                      virDomainSetBlockIoTune);
}

/* domiftune: the interface by MAC address or host-side name */
VKD_HANDLER(vkdDispatchDomainGetInterfaceParameters)
{
    remote_domain_get_interface_parameters_args *a = args;
    remote_domain_get_interface_parameters_ret *r = ret;

    return vkdTuneGet(call, &a->dom, a->device, a->nparams, a->flags,
                      REMOTE_DOMAIN_INTERFACE_PARAMETERS_MAX,
                      virDomainGetInterfaceParameters, &r->params_val, &r->params_len,
                      &r->nparams);
}

VKD_HANDLER(vkdDispatchDomainSetInterfaceParameters)
{
    remote_domain_set_interface_parameters_args *a = args;

    (void)ret;
    return vkdTuneSet(call, &a->dom, a->device, a->params_val, a->params_len, a->flags,
                      REMOTE_DOMAIN_INTERFACE_PARAMETERS_MAX,
                      virDomainSetInterfaceParameters);
}

VKD_HANDLER(vkdDispatchDomainPinVcpu)
{
    remote_domain_pin_vcpu_args *a = args;
    g_autoptr(virDomain) dom = vkdDomainFromWire(call->conn, &a->dom);

    (void)ret;
    return virDomainPinVcpu(dom, a->vcpu, a->cpumap_val, (int)a->cpumap_len);
}

VKD_HANDLER(vkdDispatchDomainPinVcpuFlags)
{
    remote_domain_pin_vcpu_flags_args *a = args;
    g_autoptr(virDomain) dom = vkdDomainFromWire(call->conn, &a->dom);

    (void)ret;
    return virDomainPinVcpuFlags(dom, a->vcpu, a->cpumap_val, (int)a->cpumap_len,
                                 a->flags);
}

VKD_HANDLER(vkdDispatchDomainPinEmulator)
{
    remote_domain_pin_emulator_args *a = args;
    g_autoptr(virDomain) dom = vkdDomainFromWire(call->conn, &a->dom);

    (void)ret;
    return virDomainPinEmulator(dom, a->cpumap_val, (int)a->cpumap_len, a->flags);
}

VKD_HANDLER(vkdDispatchDomainGetEmulatorPinInfo)
{
    remote_domain_get_emulator_pin_info_args *a = args;
    remote_domain_get_emulator_pin_info_ret *r = ret;
    g_autoptr(virDomain) dom = NULL;
    g_autofree unsigned char *cpumaps = NULL;
    int n;

    if (a->maplen > REMOTE_CPUMAPS_MAX) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "maplen > REMOTE_CPUMAPS_MAX");
        return -1;
    }
    dom = vkdDomainFromWire(call->conn, &a->dom);
    cpumaps = g_new0(unsigned char, MAX(a->maplen, 1));
    if ((n = virDomainGetEmulatorPinInfo(dom, cpumaps, a->maplen, a->flags)) < 0)
        return -1;
    r->ret = n;
    r->cpumaps_len = (uint32_t)a->maplen;
    r->cpumaps_val = g_steal_pointer(&cpumaps);
    return 0;
}

/* ---- IOThreads (351, 352, 402; 355/356 are generated) --------------------- */

VKD_HANDLER(vkdDispatchDomainGetIOThreadInfo)
{
    remote_domain_get_iothread_info_args *a = args;
    remote_domain_get_iothread_info_ret *r = ret;
    g_autoptr(virDomain) dom = vkdDomainFromWire(call->conn, &a->dom);
    virDomainIOThreadInfoPtr *info = NULL;
    int n;

    if ((n = virDomainGetIOThreadInfo(dom, &info, a->flags)) < 0)
        return -1;
    if (n > REMOTE_IOTHREAD_INFO_MAX) {
        virReportError(VIR_ERR_RPC, "Too many IOThreads in info: %d for limit %d", n,
                       REMOTE_IOTHREAD_INFO_MAX);
        for (int i = 0; i < n; i++)
            virDomainIOThreadInfoFree(info[i]);
        free(info);
        return -1;
    }
    if (n > 0) {
        r->info_val = g_new0(remote_domain_iothread_info, n);
        r->info_len = (uint32_t)n;
        for (int i = 0; i < n; i++) {
            r->info_val[i].iothread_id = info[i]->iothread_id;
            r->info_val[i].cpumap_len = (uint32_t)info[i]->cpumaplen;
            r->info_val[i].cpumap_val = g_steal_pointer(&info[i]->cpumap);
            virDomainIOThreadInfoFree(info[i]);
        }
    }
    free(info);
    r->ret = (unsigned int)n;
    return 0;
}

VKD_HANDLER(vkdDispatchDomainPinIOThread)
{
    remote_domain_pin_iothread_args *a = args;
    g_autoptr(virDomain) dom = vkdDomainFromWire(call->conn, &a->dom);

    (void)ret;
    return virDomainPinIOThread(dom, a->iothreads_id, a->cpumap_val, (int)a->cpumap_len,
                                a->flags);
}

VKD_HANDLER(vkdDispatchDomainSetIOThreadParams)
{
    remote_domain_set_iothread_params_args *a = args;
    g_autoptr(virDomain) dom = vkdDomainFromWire(call->conn, &a->dom);
    virTypedParameterPtr params = NULL;
    int nparams = 0;
    int rc;

    (void)ret;
    if (remoteTypedParamsDeserialize(a->params_val, a->params_len,
                                     REMOTE_DOMAIN_IOTHREAD_PARAMS_MAX, &params,
                                     &nparams) < 0)
        return -1;
    rc = virDomainSetIOThreadParams(dom, a->iothread_id, params, nparams, a->flags);
    remoteTypedParamsFree(params, nparams);
    return rc;
}

/* As libvirtd 9.0's remoteDispatchDomainGetPerfEvents: every event's
 * state, serialized without strings (there are none). */
VKD_HANDLER(vkdDispatchDomainGetPerfEvents)
{
    remote_domain_get_perf_events_args *a = args;
    remote_domain_get_perf_events_ret *r = ret;
    g_autoptr(virDomain) dom = vkdDomainFromWire(call->conn, &a->dom);
    virTypedParameterPtr params = NULL;
    int nparams = 0;
    int rc;

    if (virDomainGetPerfEvents(dom, &params, &nparams, a->flags) < 0)
        return -1;
    rc = remoteTypedParamsSerialize(params, nparams, REMOTE_DOMAIN_PERF_EVENTS_MAX,
                                    &r->params_val, &r->params_len, 0);
    remoteTypedParamsFree(params, nparams);
    return rc;
}

static int
vkdTuneSetPerfEvents(virDomainPtr dom, const char *device, virTypedParameterPtr params,
                     int nparams, unsigned int flags)
{
    (void)device;
    return virDomainSetPerfEvents(dom, params, nparams, flags);
}

VKD_HANDLER(vkdDispatchDomainSetPerfEvents)
{
    remote_domain_set_perf_events_args *a = args;

    (void)ret;
    return vkdTuneSet(call, &a->dom, NULL, a->params_val, a->params_len, a->flags,
                      REMOTE_DOMAIN_PERF_EVENTS_MAX, vkdTuneSetPerfEvents);
}
