/* remote_dispatch_hostcpu.c: the host and CPU facts with a non-mechanical shape (CPU model names, ...)
 *
 * Thread protocol: see remote_dispatch.c (workers, each call with its own
 * reference to the client's connection). CONNECT_GET_DOMAIN_CAPABILITIES is
 * generated.
 */
#define G_LOG_DOMAIN "virtkitd.dispatch"
#include "remote_dispatch_priv.h"
#include "remote_typedparam.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_RPC

VKD_HANDLER(vkdDispatchConnectGetCPUModelNames)
{
    remote_connect_get_cpu_model_names_args *a = args;
    remote_connect_get_cpu_model_names_ret *r = ret;
    g_auto(GStrv) models = NULL;
    int n;

    if ((n = virConnectGetCPUModelNames(call->conn, a->arch,
                                        a->need_results ? &models : NULL, a->flags)) < 0)
        return -1;
    if (n > REMOTE_CONNECT_CPU_MODELS_MAX) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "Too many CPU models '%d' for limit '%d'",
                       n, REMOTE_CONNECT_CPU_MODELS_MAX);
        return -1;
    }
    if (n && models) {
        r->models_len = n;
        r->models_val = (remote_nonnull_string *)g_steal_pointer(&models);
    }
    r->ret = n;
    return 0;
}

VKD_HANDLER(vkdDispatchDomainSendKey)
{
    remote_domain_send_key_args *a = args;
    g_autoptr(virDomain) dom = vkdDomainFromWire(call->conn, &a->dom);

    (void)ret;
    /* the list length is bounded by DOMAIN_SEND_KEY_MAX when decoded */
    return virDomainSendKey(dom, a->codeset, a->holdtime, a->keycodes_val,
                            (int)a->keycodes_len, a->flags) < 0
               ? -1
               : 0;
}

/* As libvirtd's: *nparams 0 asks for the count; otherwise at most
 * NODE_MEMORY_PARAMETERS_MAX are filled and serialized. */
VKD_HANDLER(vkdDispatchNodeGetMemoryParameters)
{
    remote_node_get_memory_parameters_args *a = args;
    remote_node_get_memory_parameters_ret *r = ret;
    virTypedParameterPtr params = NULL;
    int nparams = a->nparams;
    int rc;

    if (nparams > REMOTE_NODE_MEMORY_PARAMETERS_MAX) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "nparams too large");
        return -1;
    }
    if (nparams > 0)
        params = g_new0(virTypedParameter, nparams);
    if (virNodeGetMemoryParameters(call->conn, params, &nparams, a->flags) < 0) {
        g_free(params);
        return -1;
    }
    if (a->nparams == 0) {
        r->nparams = nparams;
        g_free(params);
        return 0;
    }
    rc = remoteTypedParamsSerialize(params, nparams, REMOTE_NODE_MEMORY_PARAMETERS_MAX,
                                    &r->params_val, &r->params_len, a->flags);
    remoteTypedParamsFree(params, nparams);
    return rc;
}

VKD_HANDLER(vkdDispatchNodeSetMemoryParameters)
{
    remote_node_set_memory_parameters_args *a = args;
    virTypedParameterPtr params = NULL;
    int nparams = 0;
    int rc;

    (void)ret;
    if (remoteTypedParamsDeserialize(a->params_val, a->params_len,
                                     REMOTE_NODE_MEMORY_PARAMETERS_MAX, &params,
                                     &nparams) < 0)
        return -1;
    rc = virNodeSetMemoryParameters(call->conn, params, nparams, a->flags);
    remoteTypedParamsFree(params, nparams);
    return rc;
}

/* The list length is bounded by CPU_BASELINE_MAX when decoded. */
VKD_HANDLER(vkdDispatchConnectBaselineCPU)
{
    remote_connect_baseline_cpu_args *a = args;
    remote_connect_baseline_cpu_ret *r = ret;

    return (r->cpu = virConnectBaselineCPU(call->conn, (const char **)a->xmlCPUs_val,
                                           a->xmlCPUs_len, a->flags))
               ? 0
               : -1;
}

VKD_HANDLER(vkdDispatchConnectBaselineHypervisorCPU)
{
    remote_connect_baseline_hypervisor_cpu_args *a = args;
    remote_connect_baseline_hypervisor_cpu_ret *r = ret;

    return (r->cpu = virConnectBaselineHypervisorCPU(
                call->conn, a->emulator, a->arch, a->machine, a->virttype,
                (const char **)a->xmlCPUs_val, a->xmlCPUs_len, a->flags))
               ? 0
               : -1;
}
