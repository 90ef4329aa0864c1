/* remote_driver_agent.c: the remote driver's entry points answered by the guest agent that the generator cannot map */
#define G_LOG_DOMAIN "virtkit.remote"

#include "remote_driver_priv.h"

#define VIR_FROM_THIS VIR_FROM_REMOTE

/* virDomainGetTime: the reply's hyper and uint are the two out parameters
 * (GetHostname and SetTime are generated: protocol.vkp gen=both). */
int
remoteDomainGetTime(virDomainPtr dom, long long *seconds, unsigned int *nseconds,
                    unsigned int flags)
{
    remote_domain_get_time_args args = { .flags = flags };
    remote_domain_get_time_ret ret = { 0 };

    remoteMakeDomain(&args.dom, dom);
    if (remoteCallDomainGetTime(dom->conn, &args, &ret) < 0)
        return -1;
    *seconds = ret.seconds;
    *nseconds = ret.nseconds;
    return 0;
}
