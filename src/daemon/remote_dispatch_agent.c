/* remote_dispatch_agent.c: guest agent procedures the generator cannot map (337)
 *
 * Thread protocol: see remote_dispatch.c; every handler runs on a worker
 * with its own reference to the client's connection and may block in the
 * driver (the guest agent) for as long as the call takes.
 */
#define G_LOG_DOMAIN "virtkitd.dispatch"

#include "remote_dispatch_priv.h"

#define VIR_FROM_THIS VIR_FROM_RPC

VKD_HANDLER(vkdDispatchDomainGetTime)
{
    remote_domain_get_time_args *a = args;
    remote_domain_get_time_ret *r = ret;
    g_autoptr(virDomain) dom = vkdDomainFromWire(call->conn, &a->dom);
    long long seconds = 0;
    unsigned int nseconds = 0;

    if (virDomainGetTime(dom, &seconds, &nseconds, a->flags) < 0)
        return -1;
    r->seconds = seconds;
    r->nseconds = nseconds;
    return 0;
}

VKD_HANDLER(vkdDispatchDomainFSFreeze)
{
    remote_domain_fsfreeze_args *a = args;
    remote_domain_fsfreeze_ret *r = ret;
    g_autoptr(virDomain) dom = vkdDomainFromWire(call->conn, &a->dom);
    int n;

    if ((n = virDomainFSFreeze(dom, (const char **)a->mountpoints_val, a->mountpoints_len,
                               a->flags)) < 0)
        return -1;
    r->filesystems = n;
    return 0;
}

VKD_HANDLER(vkdDispatchDomainFSThaw)
{
    remote_domain_fsthaw_args *a = args;
    remote_domain_fsthaw_ret *r = ret;
    g_autoptr(virDomain) dom = vkdDomainFromWire(call->conn, &a->dom);
    int n;

    if ((n = virDomainFSThaw(dom, (const char **)a->mountpoints_val, a->mountpoints_len,
                             a->flags)) < 0)
        return -1;
    r->filesystems = n;
    return 0;
}
