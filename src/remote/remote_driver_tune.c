/* remote_driver_tune.c: the remote driver's resource-tuning entry points (memtune, blkiotune, numatune, pins, IOThreads, perf events) */
#define G_LOG_DOMAIN "virtkit.remote"

#include "remote_driver_priv.h"
#include "remote_typedparam.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_REMOTE

/*
 * As libvirt 9.0's remote_driver.c: a Get with *nparams 0 only learns the
 * count (the reply's nparams); otherwise the reply's parameters go into
 * the caller's array. A Set sends its parameters with strings allowed.
 * Pins send the caller's map as it is.
 */

#define REMOTE_TUNE_PAIR(KIND, kind, Kind)                                               \
    int remoteDomainGet##Kind##Parameters(virDomainPtr dom, virTypedParameterPtr params, \
                                          int *nparams, unsigned int flags)              \
    {                                                                                    \
        remote_domain_get_##kind##_parameters_args args = { .nparams = *nparams,         \
                                                            .flags = flags };            \
        remote_domain_get_##kind##_parameters_ret ret = { 0 };                           \
        int rc = 0;                                                                      \
                                                                                         \
        remoteMakeDomain(&args.dom, dom);                                                \
        if (remoteCallDomainGet##Kind##Parameters(dom->conn, &args, &ret) < 0)           \
            return -1;                                                                   \
        if (*nparams == 0)                                                               \
            *nparams = ret.nparams;                                                      \
        else                                                                             \
            rc = remoteTypedParamsDeserialize(ret.params_val, ret.params_len,            \
                                              REMOTE_DOMAIN_##KIND##_PARAMETERS_MAX,     \
                                              &params, nparams);                         \
        virXdrFree(remote_domain_get_##kind##_parameters_ret_filter, &ret);              \
        return rc;                                                                       \
    }                                                                                    \
    int remoteDomainSet##Kind##Parameters(virDomainPtr dom, virTypedParameterPtr params, \
                                          int nparams, unsigned int flags)               \
    {                                                                                    \
        remote_domain_set_##kind##_parameters_args args = { .flags = flags };            \
        int rc;                                                                          \
                                                                                         \
        remoteMakeDomain(&args.dom, dom);                                                \
        if (remoteTypedParamsSerialize(                                                  \
                params, nparams, REMOTE_DOMAIN_##KIND##_PARAMETERS_MAX,                  \
                &args.params_val, &args.params_len, VIR_TYPED_PARAM_STRING_OKAY) < 0)    \
            return -1;                                                                   \
        rc = remoteCallDomainSet##Kind##Parameters(dom->conn, &args);                    \
        remoteTypedParamsFreeRemote(args.params_val, args.params_len);                   \
        return rc;                                                                       \
    }

REMOTE_TUNE_PAIR(MEMORY, memory, Memory)
REMOTE_TUNE_PAIR(BLKIO, blkio, Blkio)
REMOTE_TUNE_PAIR(NUMA, numa, Numa)

static int
remoteCheckMaplen(int maplen)
{
    if (maplen > REMOTE_CPUMAP_MAX) {
        virReportError(VIR_ERR_RPC, "map length greater than maximum: %d > %d", maplen,
                       REMOTE_CPUMAP_MAX);
        return -1;
    }
    return 0;
}

int
remoteDomainPinVcpu(virDomainPtr dom, unsigned int vcpu, unsigned char *cpumap,
                    int maplen)
{
    remote_domain_pin_vcpu_args args = { .vcpu = vcpu };

    if (remoteCheckMaplen(maplen) < 0)
        return -1;
    remoteMakeDomain(&args.dom, dom);
    args.cpumap_val = cpumap;
    args.cpumap_len = (uint32_t)maplen;
    return remoteCallDomainPinVcpu(dom->conn, &args);
}

int
remoteDomainPinVcpuFlags(virDomainPtr dom, unsigned int vcpu, unsigned char *cpumap,
                         int maplen, unsigned int flags)
{
    remote_domain_pin_vcpu_flags_args args = { .vcpu = vcpu, .flags = flags };

    if (remoteCheckMaplen(maplen) < 0)
        return -1;
    remoteMakeDomain(&args.dom, dom);
    args.cpumap_val = cpumap;
    args.cpumap_len = (uint32_t)maplen;
    return remoteCallDomainPinVcpuFlags(dom->conn, &args);
}

int
remoteDomainPinEmulator(virDomainPtr dom, unsigned char *cpumap, int maplen,
                        unsigned int flags)
{
    remote_domain_pin_emulator_args args = { .flags = flags };

    if (remoteCheckMaplen(maplen) < 0)
        return -1;
    remoteMakeDomain(&args.dom, dom);
    args.cpumap_val = cpumap;
    args.cpumap_len = (uint32_t)maplen;
    return remoteCallDomainPinEmulator(dom->conn, &args);
}

int
remoteDomainGetEmulatorPinInfo(virDomainPtr dom, unsigned char *cpumaps, int maplen,
                               unsigned int flags)
{
    remote_domain_get_emulator_pin_info_args args = { .maplen = maplen, .flags = flags };
    remote_domain_get_emulator_pin_info_ret ret = { 0 };
    int rc = -1;

    if (maplen > REMOTE_CPUMAPS_MAX) {
        virReportError(VIR_ERR_RPC, "vCPU map buffer length exceeds maximum: %d > %d",
                       maplen, REMOTE_CPUMAPS_MAX);
        return -1;
    }
    remoteMakeDomain(&args.dom, dom);
    if (remoteCallDomainGetEmulatorPinInfo(dom->conn, &args, &ret) < 0)
        return -1;
    if (ret.cpumaps_len > (uint32_t)maplen) {
        virReportError(VIR_ERR_RPC,
                       "host reports map buffer length exceeds maximum: %d > %d",
                       (int)ret.cpumaps_len, maplen);
        goto cleanup;
    }
    memset(cpumaps, 0, (size_t)maplen);
    memcpy(cpumaps, ret.cpumaps_val, ret.cpumaps_len);
    rc = ret.ret;
cleanup:
    virXdrFree(remote_domain_get_emulator_pin_info_ret_filter, &ret);
    return rc;
}

/* ---- IOThreads (procs 351, 352, 402; 355/356 are generated) -------------- */

int
remoteDomainGetIOThreadInfo(virDomainPtr dom, virDomainIOThreadInfoPtr **info,
                            unsigned int flags)
{
    remote_domain_get_iothread_info_args args = { .flags = flags };
    remote_domain_get_iothread_info_ret ret = { 0 };
    virDomainIOThreadInfoPtr *list = NULL;
    int rc = -1;

    remoteMakeDomain(&args.dom, dom);
    if (remoteCallDomainGetIOThreadInfo(dom->conn, &args, &ret) < 0)
        return -1;
    /* libvirt's client checks the count again (the filter bounded it) */
    if (ret.info_len > REMOTE_IOTHREAD_INFO_MAX) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "Too many IOThreads in info: %d for limit %d", (int)ret.info_len,
                       REMOTE_IOTHREAD_INFO_MAX);
        goto cleanup;
    }
    if (ret.info_len) {
        list = g_new0(virDomainIOThreadInfoPtr, ret.info_len);
        for (uint32_t i = 0; i < ret.info_len; i++) {
            const remote_domain_iothread_info *src = &ret.info_val[i];

            list[i] = g_new0(virDomainIOThreadInfo, 1);
            list[i]->iothread_id = src->iothread_id;
            list[i]->cpumap = g_new0(unsigned char, MAX(src->cpumap_len, 1));
            memcpy(list[i]->cpumap, src->cpumap_val, src->cpumap_len);
            list[i]->cpumaplen = (int)src->cpumap_len;
        }
    }
    *info = list;
    rc = (int)ret.ret;

cleanup:
    virXdrFree(remote_domain_get_iothread_info_ret_filter, &ret);
    return rc;
}

int
remoteDomainPinIOThread(virDomainPtr dom, unsigned int iothread_id, unsigned char *cpumap,
                        int maplen, unsigned int flags)
{
    remote_domain_pin_iothread_args args = { .iothreads_id = iothread_id,
                                             .flags = flags };

    if (remoteCheckMaplen(maplen) < 0)
        return -1;
    remoteMakeDomain(&args.dom, dom);
    args.cpumap_val = cpumap;
    args.cpumap_len = (uint32_t)maplen;
    return remoteCallDomainPinIOThread(dom->conn, &args);
}

int
remoteDomainSetIOThreadParams(virDomainPtr dom, unsigned int iothread_id,
                              virTypedParameterPtr params, int nparams,
                              unsigned int flags)
{
    remote_domain_set_iothread_params_args args = { .iothread_id = iothread_id,
                                                    .flags = flags };
    int rc;

    remoteMakeDomain(&args.dom, dom);
    if (remoteTypedParamsSerialize(params, nparams, REMOTE_DOMAIN_IOTHREAD_PARAMS_MAX,
                                   &args.params_val, &args.params_len,
                                   VIR_TYPED_PARAM_STRING_OKAY) < 0)
        return -1;
    rc = remoteCallDomainSetIOThreadParams(dom->conn, &args);
    remoteTypedParamsFreeRemote(args.params_val, args.params_len);
    return rc;
}

/* As libvirt 9.0's remoteDomainGetPerfEvents: a new array of the daemon's
 * parameters; Set sends the caller's with strings allowed. */
int
remoteDomainGetPerfEvents(virDomainPtr dom, virTypedParameterPtr *params, int *nparams,
                          unsigned int flags)
{
    remote_domain_get_perf_events_args args = { .flags = flags };
    remote_domain_get_perf_events_ret ret = { 0 };
    virTypedParameterPtr par = NULL;
    int npar = 0;
    int rc;

    remoteMakeDomain(&args.dom, dom);
    if (remoteCallDomainGetPerfEvents(dom->conn, &args, &ret) < 0)
        return -1;
    rc = remoteTypedParamsDeserialize(ret.params_val, ret.params_len,
                                      REMOTE_DOMAIN_PERF_EVENTS_MAX, &par, &npar);
    if (rc == 0) {
        *params = par;
        *nparams = npar;
    }
    virXdrFree(remote_domain_get_perf_events_ret_filter, &ret);
    return rc;
}

int
remoteDomainSetPerfEvents(virDomainPtr dom, virTypedParameterPtr params, int nparams,
                          unsigned int flags)
{
    remote_domain_set_perf_events_args args = { .flags = flags };
    int rc;

    remoteMakeDomain(&args.dom, dom);
    if (remoteTypedParamsSerialize(params, nparams, REMOTE_DOMAIN_PERF_EVENTS_MAX,
                                   &args.params_val, &args.params_len,
                                   VIR_TYPED_PARAM_STRING_OKAY) < 0)
        return -1;
    rc = remoteCallDomainSetPerfEvents(dom->conn, &args);
    remoteTypedParamsFreeRemote(args.params_val, args.params_len);
    return rc;
}
