/* remote_driver_blockjob.c: the remote driver's block job entry points (procedures 238, 239, 240, 266, 290, 345) */
#define G_LOG_DOMAIN "virtkit.remote"

#include "remote_driver_priv.h"
#include "remote_typedparam.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_REMOTE

/*
 * As libvirt 9.0's remote_driver.c: the bandwidth travels as a uhyper; a
 * GetBlockJobInfo reply with found == 0 leaves the caller's struct
 * zeroed and returns 0; BlockCopy sends its parameters with
 * VIR_TYPED_PARAM_STRING_OKAY. (BlockJobAbort is generated.)
 */

int
remoteDomainGetBlockJobInfo(virDomainPtr dom, const char *disk,
                            virDomainBlockJobInfoPtr info, unsigned int flags)
{
    remote_domain_get_block_job_info_args args = { .path = (char *)disk, .flags = flags };
    remote_domain_get_block_job_info_ret ret = { 0 };

    remoteMakeDomain(&args.dom, dom);
    if (remoteCallDomainGetBlockJobInfo(dom->conn, &args, &ret) < 0)
        return -1;
    memset(info, 0, sizeof(*info));
    if (!ret.found)
        return 0;
    info->type = ret.type;
    info->bandwidth = ret.bandwidth;
    info->cur = ret.cur;
    info->end = ret.end;
    return 1;
}

int
remoteDomainBlockJobSetSpeed(virDomainPtr dom, const char *disk, unsigned long bandwidth,
                             unsigned int flags)
{
    remote_domain_block_job_set_speed_args args = {
        .path = (char *)disk,
        .bandwidth = bandwidth,
        .flags = flags,
    };

    remoteMakeDomain(&args.dom, dom);
    return remoteCallDomainBlockJobSetSpeed(dom->conn, &args);
}

int
remoteDomainBlockPull(virDomainPtr dom, const char *disk, unsigned long bandwidth,
                      unsigned int flags)
{
    remote_domain_block_pull_args args = {
        .path = (char *)disk,
        .bandwidth = bandwidth,
        .flags = flags,
    };

    remoteMakeDomain(&args.dom, dom);
    return remoteCallDomainBlockPull(dom->conn, &args);
}

int
remoteDomainBlockRebase(virDomainPtr dom, const char *disk, const char *base,
                        unsigned long bandwidth, unsigned int flags)
{
    remote_domain_block_rebase_args args = {
        .path = (char *)disk,
        .base = (char *)base,
        .bandwidth = bandwidth,
        .flags = flags,
    };

    remoteMakeDomain(&args.dom, dom);
    return remoteCallDomainBlockRebase(dom->conn, &args);
}

int
remoteDomainBlockCommit(virDomainPtr dom, const char *disk, const char *base,
                        const char *top, unsigned long bandwidth, unsigned int flags)
{
    remote_domain_block_commit_args args = {
        .disk = (char *)disk,
        .base = (char *)base,
        .top = (char *)top,
        .bandwidth = bandwidth,
        .flags = flags,
    };

    remoteMakeDomain(&args.dom, dom);
    return remoteCallDomainBlockCommit(dom->conn, &args);
}

int
remoteDomainBlockCopy(virDomainPtr dom, const char *disk, const char *destxml,
                      virTypedParameterPtr params, int nparams, unsigned int flags)
{
    remote_domain_block_copy_args args = {
        .path = (char *)disk,
        .destxml = (char *)destxml,
        .flags = flags,
    };
    int rc;

    remoteMakeDomain(&args.dom, dom);
    if (remoteTypedParamsSerialize(
            params, nparams, REMOTE_DOMAIN_BLOCK_COPY_PARAMETERS_MAX, &args.params_val,
            &args.params_len, VIR_TYPED_PARAM_STRING_OKAY) < 0)
        return -1;
    rc = remoteCallDomainBlockCopy(dom->conn, &args);
    remoteTypedParamsFreeRemote(args.params_val, args.params_len);
    return rc;
}
