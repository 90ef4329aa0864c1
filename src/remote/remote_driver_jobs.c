/* remote_driver_jobs.c: the remote driver's entry points of a domain's disk errors and block I/O tuning */
#define G_LOG_DOMAIN "virtkit.remote"

#include <string.h>

#include "remote_driver_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_REMOTE

/* As libvirt 9.0's remote_driver.c: the limit of remote_protocol.x is
 * checked before sending, a reply with more entries than asked for (or
 * the limit) is refused, and the reply is freed with its filter. */
int
remoteDomainGetDiskErrors(virDomainPtr dom, virDomainDiskErrorPtr errors,
                          unsigned int maxerrors, unsigned int flags)
{
    remote_domain_get_disk_errors_args args = { .maxerrors = maxerrors, .flags = flags };
    remote_domain_get_disk_errors_ret ret = { 0 };
    int rc = -1;

    if (maxerrors > REMOTE_DOMAIN_DISK_ERRORS_MAX) {
        virReportError(VIR_ERR_RPC, "too many disk errors requested: %u > %d", maxerrors,
                       REMOTE_DOMAIN_DISK_ERRORS_MAX);
        return -1;
    }
    remoteMakeDomain(&args.dom, dom);
    if (remoteCallDomainGetDiskErrors(dom->conn, &args, &ret) < 0)
        return -1;
    if (ret.errors_len > REMOTE_DOMAIN_DISK_ERRORS_MAX || ret.errors_len > maxerrors) {
        virReportError(VIR_ERR_RPC, "%s", "returned number of disk errors exceeds limit");
        goto cleanup;
    }
    for (uint32_t i = 0; i < ret.errors_len; i++) {
        errors[i].disk = g_strdup(ret.errors_val[i].disk);
        errors[i].error = ret.errors_val[i].error;
    }
    rc = ret.nerrors;

cleanup:
    virXdrFree(remote_domain_get_disk_errors_ret_filter, &ret);
    return rc;
}
