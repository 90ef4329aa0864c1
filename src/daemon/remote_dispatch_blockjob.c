/* remote_dispatch_blockjob.c: block job procedures with hand-written handlers (238, 345) */
/*
 * Thread protocol: see remote_dispatch.c; every handler runs on a worker
 * with its own reference to the client's connection.
 */
#define G_LOG_DOMAIN "virtkitd.dispatch"

#include "remote_dispatch_priv.h"
#include "remote_typedparam.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_RPC

/*
 * As libvirtd 9.0's daemon/remote.c: GetBlockJobInfo answers found = the
 * API's result (0: the other members stay zero); BlockCopy turns the
 * arguments back into virTypedParameters (the decoder has already bounded
 * their count) and calls the public API, which checks them. Procedures
 * 237, 239, 240, 266 and 290 are generated (gen=server).
 */

VKD_HANDLER(vkdDispatchDomainGetBlockJobInfo)
{
    remote_domain_get_block_job_info_args *a = args;
    remote_domain_get_block_job_info_ret *r = ret;
    g_autoptr(virDomain) dom = vkdDomainFromWire(call->conn, &a->dom);
    virDomainBlockJobInfo info = { 0 };
    int rc;

    if ((rc = virDomainGetBlockJobInfo(dom, a->path, &info, a->flags)) < 0)
        return -1;
    r->found = rc;
    if (rc == 0)
        return 0;
    r->type = info.type;
    r->bandwidth = info.bandwidth;
    r->cur = info.cur;
    r->end = info.end;
    return 0;
}

VKD_HANDLER(vkdDispatchDomainBlockCopy)
{
    remote_domain_block_copy_args *a = args;
    g_autoptr(virDomain) dom = vkdDomainFromWire(call->conn, &a->dom);
    virTypedParameterPtr params = NULL;
    int nparams = 0;
    int rc;

    (void)ret;
    if (remoteTypedParamsDeserialize(a->params_val, a->params_len,
                                     REMOTE_DOMAIN_BLOCK_COPY_PARAMETERS_MAX, &params,
                                     &nparams) < 0)
        return -1;
    rc = virDomainBlockCopy(dom, a->path, a->destxml, params, nparams, a->flags);
    remoteTypedParamsFree(params, nparams);
    return rc;
}
