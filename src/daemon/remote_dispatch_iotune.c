/* remote_dispatch_iotune.c: a disk's I/O throttling procedures (blkdeviotune: 252 set, 253 get)
 *
 * Thread protocol: see remote_dispatch.c; every handler runs on a worker
 * with its own reference to the client's connection.
 */
#define G_LOG_DOMAIN "virtkitd.dispatch"

#include "remote_dispatch_priv.h"
#include "remote_typedparam.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_RPC

/* As libvirtd 9.0: more parameters asked than the procedure's maximum is
 * INTERNAL_ERROR "nparams too large"; nparams 0 asks for the count (the
 * disk may then be absent), sent back in the reply's nparams. */
VKD_HANDLER(vkdDispatchDomainGetBlockIoTune)
{
    remote_domain_get_block_io_tune_args *a = args;
    remote_domain_get_block_io_tune_ret *r = ret;
    g_autoptr(virDomain) dom = NULL;
    virTypedParameterPtr params = NULL;
    int nparams = a->nparams;
    int rc;

    if (a->nparams > REMOTE_DOMAIN_BLOCK_IO_TUNE_PARAMETERS_MAX) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "nparams too large");
        return -1;
    }
    dom = vkdDomainFromWire(call->conn, &a->dom);
    if (nparams > 0)
        params = g_new0(virTypedParameter, nparams);
    if (virDomainGetBlockIoTune(dom, a->disk, params, &nparams, a->flags) < 0) {
        g_free(params);
        return -1;
    }
    if (a->nparams == 0) {
        r->nparams = nparams;
        g_free(params);
        return 0;
    }
    rc = remoteTypedParamsSerialize(params, nparams,
                                    REMOTE_DOMAIN_BLOCK_IO_TUNE_PARAMETERS_MAX,
                                    &r->params_val, &r->params_len, a->flags);
    remoteTypedParamsFree(params, nparams);
    return rc;
}

VKD_HANDLER(vkdDispatchDomainSetBlockIoTune)
{
    remote_domain_set_block_io_tune_args *a = args;
    g_autoptr(virDomain) dom = vkdDomainFromWire(call->conn, &a->dom);
    virTypedParameterPtr params = NULL;
    int nparams = 0;
    int rc;

    (void)ret;
    if (remoteTypedParamsDeserialize(a->params_val, a->params_len,
                                     REMOTE_DOMAIN_BLOCK_IO_TUNE_PARAMETERS_MAX, &params,
                                     &nparams) < 0)
        return -1;
    rc = virDomainSetBlockIoTune(dom, a->disk, params, nparams, a->flags);
    remoteTypedParamsFree(params, nparams);
    return rc;
}
