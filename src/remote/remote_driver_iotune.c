/* remote_driver_iotune.c: the remote driver's disk I/O throttling entry points (blkdeviotune, procedures 252/253) */
#define G_LOG_DOMAIN "virtkit.remote"

#include "remote_driver_priv.h"
#include "remote_typedparam.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_REMOTE

/* As libvirt 9.0's remote driver: the disk may be absent on the wire
 * (the count call); a Get with *nparams 0 only learns the count,
 * otherwise the reply's parameters fill the caller's array. */
int
remoteDomainGetBlockIoTune(virDomainPtr dom, const char *disk,
                           virTypedParameterPtr params, int *nparams, unsigned int flags)
{
    remote_domain_get_block_io_tune_args args = { .disk = (char *)disk,
                                                  .nparams = *nparams,
                                                  .flags = flags };
    remote_domain_get_block_io_tune_ret ret = { 0 };
    int rc = 0;

    remoteMakeDomain(&args.dom, dom);
    if (remoteCallDomainGetBlockIoTune(dom->conn, &args, &ret) < 0)
        return -1;
    if (*nparams == 0)
        *nparams = ret.nparams;
    else
        rc = remoteTypedParamsDeserialize(ret.params_val, ret.params_len,
                                          REMOTE_DOMAIN_BLOCK_IO_TUNE_PARAMETERS_MAX,
                                          &params, nparams);
    virXdrFree(remote_domain_get_block_io_tune_ret_filter, &ret);
    return rc;
}

int
remoteDomainSetBlockIoTune(virDomainPtr dom, const char *disk,
                           virTypedParameterPtr params, int nparams, unsigned int flags)
{
    remote_domain_set_block_io_tune_args args = { .disk = (char *)disk, .flags = flags };
    int rc;

    remoteMakeDomain(&args.dom, dom);
    if (remoteTypedParamsSerialize(
            params, nparams, REMOTE_DOMAIN_BLOCK_IO_TUNE_PARAMETERS_MAX, &args.params_val,
            &args.params_len, VIR_TYPED_PARAM_STRING_OKAY) < 0)
        return -1;
    rc = remoteCallDomainSetBlockIoTune(dom->conn, &args);
    remoteTypedParamsFreeRemote(args.params_val, args.params_len);
    return rc;
}
