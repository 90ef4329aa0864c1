/* remote_dispatch_jobs.c: a domain's disk errors and block I/O tuning procedures (252, 253, 263)
 *
 * Thread protocol: see remote_dispatch.c; every handler runs on a worker
 * with its own reference to the client's connection and may block in the
 * driver (QMP) for as long as the call takes.
 */
#define G_LOG_DOMAIN "virtkitd.dispatch"

#include <string.h>

#include "remote_dispatch_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_RPC

/* As libvirtd 9.0's daemon/remote.c: the size the client asks for is
 * bounded by remote_protocol.x's limit first, the API does the rest. */
VKD_HANDLER(vkdDispatchDomainGetDiskErrors)
{
    remote_domain_get_disk_errors_args *a = args;
    remote_domain_get_disk_errors_ret *r = ret;
    g_autoptr(virDomain) dom = NULL;
    g_autofree virDomainDiskError *errors = NULL;
    int n;

    if (a->maxerrors > REMOTE_DOMAIN_DISK_ERRORS_MAX) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "maxerrors too large");
        return -1;
    }
    dom = vkdDomainFromWire(call->conn, &a->dom);
    if (a->maxerrors)
        errors = g_new0(virDomainDiskError, a->maxerrors);
    if ((n = virDomainGetDiskErrors(dom, errors, a->maxerrors, a->flags)) < 0)
        return -1;
    r->nerrors = n;
    if (errors) {
        r->errors_len = (uint32_t)n;
        r->errors_val = g_new0(remote_domain_disk_error, MAX(n, 1));
        for (int i = 0; i < n; i++) {
            r->errors_val[i].disk = g_steal_pointer(&errors[i].disk);
            r->errors_val[i].error = errors[i].error;
        }
    }
    return 0;
}
