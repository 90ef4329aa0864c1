/* remote_driver_agent.c: the remote driver's entry points answered by the guest agent that the generator cannot map */
#define G_LOG_DOMAIN "virtkit.remote"

#include "remote_driver_priv.h"
#include "virerror.h"

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

/* virDomainFSFreeze / FSThaw: a string array out, as libvirt's remote
 * driver (its limit checked before sending). */
static int
remoteDomainFSFreezeThaw(virDomainPtr dom, const char **mountpoints,
                         unsigned int nmountpoints, unsigned int flags, bool freeze)
{
    remote_domain_fsfreeze_args args = { .flags = flags };
    remote_domain_fsfreeze_ret ret = { 0 };

    if (nmountpoints > REMOTE_DOMAIN_FSFREEZE_MOUNTPOINTS_MAX) {
        virReportError(VIR_ERR_RPC, "Too many mountpoints: %u > %d", nmountpoints,
                       REMOTE_DOMAIN_FSFREEZE_MOUNTPOINTS_MAX);
        return -1;
    }
    remoteMakeDomain(&args.dom, dom);
    args.mountpoints_len = nmountpoints;
    args.mountpoints_val = (remote_nonnull_string *)mountpoints;
    if (freeze) {
        if (remoteCallDomainFSFreeze(dom->conn, &args, &ret) < 0)
            return -1;
    } else {
        /* the same layout (remote_protocol.x declares both alike) */
        remote_domain_fsthaw_args targs = { .dom = args.dom,
                                            .mountpoints_len = args.mountpoints_len,
                                            .mountpoints_val = args.mountpoints_val,
                                            .flags = flags };
        remote_domain_fsthaw_ret tret = { 0 };

        if (remoteCallDomainFSThaw(dom->conn, &targs, &tret) < 0)
            return -1;
        ret.filesystems = tret.filesystems;
    }
    return ret.filesystems;
}

int
remoteDomainFSFreeze(virDomainPtr dom, const char **mountpoints,
                     unsigned int nmountpoints, unsigned int flags)
{
    return remoteDomainFSFreezeThaw(dom, mountpoints, nmountpoints, flags, true);
}

int
remoteDomainFSThaw(virDomainPtr dom, const char **mountpoints, unsigned int nmountpoints,
                   unsigned int flags)
{
    return remoteDomainFSFreezeThaw(dom, mountpoints, nmountpoints, flags, false);
}
