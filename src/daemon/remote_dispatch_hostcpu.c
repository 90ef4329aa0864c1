/* remote_dispatch_hostcpu.c: the host and CPU facts with a non-mechanical shape (CPU model names, ...)
 *
 * Thread protocol: see remote_dispatch.c (workers, each call with its own
 * reference to the client's connection). CONNECT_GET_DOMAIN_CAPABILITIES is
 * generated.
 */
#define G_LOG_DOMAIN "virtkitd.dispatch"
#include "remote_dispatch_priv.h"
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
