/* remote_driver_hostcpu.c: the remote driver's host and CPU facts with a non-mechanical shape
 *
 * Threads: each entry point is one blocking call from the API thread (see
 * remote_driver.c). virConnectGetDomainCapabilities is generated
 * (remote_client.c).
 */
#define G_LOG_DOMAIN "virtkit.remote"
#include <string.h>

#include "remote_driver_priv.h"
#include "remote_typedparam.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_REMOTE

int
remoteConnectGetCPUModelNames(virConnectPtr conn, const char *arch, char ***models,
                              unsigned int flags)
{
    remote_connect_get_cpu_model_names_args args = { .arch = (char *)arch,
                                                     .need_results = !!models,
                                                     .flags = flags };
    remote_connect_get_cpu_model_names_ret ret = { 0 };
    int n;

    if (remoteCallConnectGetCPUModelNames(conn, &args, &ret) < 0)
        return -1;
    if (ret.models_len > REMOTE_CONNECT_CPU_MODELS_MAX || ret.ret < 0 ||
        (models && ret.models_len != (uint32_t)ret.ret)) {
        virReportError(VIR_ERR_RPC, "Too many model names '%u' for limit '%d'",
                       ret.models_len, REMOTE_CONNECT_CPU_MODELS_MAX);
        virXdrFree(remote_connect_get_cpu_model_names_ret_filter, &ret);
        return -1;
    }
    if (models) {
        char **list = g_new0(char *, ret.models_len + 1);

        for (uint32_t i = 0; i < ret.models_len; i++)
            list[i] = g_steal_pointer(&ret.models_val[i]);
        *models = list;
    }
    n = ret.ret;
    virXdrFree(remote_connect_get_cpu_model_names_ret_filter, &ret);
    return n;
}

int
remoteDomainSendKey(virDomainPtr dom, unsigned int codeset, unsigned int holdtime,
                    unsigned int *keycodes, int nkeycodes, unsigned int flags)
{
    remote_domain_send_key_args args = { .codeset = codeset,
                                         .holdtime = holdtime,
                                         .keycodes_len = (uint32_t)nkeycodes,
                                         .keycodes_val = keycodes,
                                         .flags = flags };

    if (nkeycodes > REMOTE_DOMAIN_SEND_KEY_MAX) {
        virReportError(VIR_ERR_RPC, "too many keycodes: %d > %d", nkeycodes,
                       REMOTE_DOMAIN_SEND_KEY_MAX);
        return -1;
    }
    remoteMakeDomain(&args.dom, dom);
    return remoteCallDomainSendKey(dom->conn, &args);
}

int
remoteNodeGetMemoryParameters(virConnectPtr conn, virTypedParameterPtr params,
                              int *nparams, unsigned int flags)
{
    remote_node_get_memory_parameters_args args = { .nparams = *nparams, .flags = flags };
    remote_node_get_memory_parameters_ret ret = { 0 };
    int rc = 0;

    if (remoteCallNodeGetMemoryParameters(conn, &args, &ret) < 0)
        return -1;
    if (*nparams == 0)
        *nparams = ret.nparams;
    else
        rc = remoteTypedParamsDeserialize(ret.params_val, ret.params_len,
                                          REMOTE_NODE_MEMORY_PARAMETERS_MAX, &params,
                                          nparams);
    virXdrFree(remote_node_get_memory_parameters_ret_filter, &ret);
    return rc;
}

int
remoteNodeSetMemoryParameters(virConnectPtr conn, virTypedParameterPtr params,
                              int nparams, unsigned int flags)
{
    remote_node_set_memory_parameters_args args = { .flags = flags };
    int rc;

    if (remoteTypedParamsSerialize(params, nparams, REMOTE_NODE_MEMORY_PARAMETERS_MAX,
                                   &args.params_val, &args.params_len,
                                   VIR_TYPED_PARAM_STRING_OKAY) < 0)
        return -1;
    rc = remoteCallNodeSetMemoryParameters(conn, &args);
    remoteTypedParamsFreeRemote(args.params_val, args.params_len);
    return rc;
}

char *
remoteConnectBaselineCPU(virConnectPtr conn, const char **xmlCPUs, unsigned int ncpus,
                         unsigned int flags)
{
    remote_connect_baseline_cpu_args args = { .xmlCPUs_len = ncpus,
                                              .xmlCPUs_val =
                                                  (remote_nonnull_string *)xmlCPUs,
                                              .flags = flags };
    remote_connect_baseline_cpu_ret ret = { 0 };

    if (remoteCallConnectBaselineCPU(conn, &args, &ret) < 0)
        return NULL;
    return ret.cpu;
}

char *
remoteConnectBaselineHypervisorCPU(virConnectPtr conn, const char *emulator,
                                   const char *arch, const char *machine,
                                   const char *virttype, const char **xmlCPUs,
                                   unsigned int ncpus, unsigned int flags)
{
    remote_connect_baseline_hypervisor_cpu_args args = {
        .emulator = (char *)emulator,
        .arch = (char *)arch,
        .machine = (char *)machine,
        .virttype = (char *)virttype,
        .xmlCPUs_len = ncpus,
        .xmlCPUs_val = (remote_nonnull_string *)xmlCPUs,
        .flags = flags,
    };
    remote_connect_baseline_hypervisor_cpu_ret ret = { 0 };

    if (remoteCallConnectBaselineHypervisorCPU(conn, &args, &ret) < 0)
        return NULL;
    return ret.cpu;
}
